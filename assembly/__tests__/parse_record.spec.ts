// understandRecord / understandLine on JSON records: splice facts, message/level/time keys, nested
// and dotted keys, stream field, time_source, JSON inside the message, and line recognition inside.
import { CFG, utf8, utf8List, TIME_AUTO, TIME_RECORD, TIME_HOST } from "../core/config";
import { rec, line, body, msg, level, format, time, stream, HOST, mem, LAST_LEN } from "./parse_util";

const HOST_ISO = "2024-06-15T12:00:00.000Z";

describe("record: splice facts", () => {
  it("reports object, closing brace, emptiness and the output key", () => {
    let r = rec('{"a":1}  \n');
    expect(r.isObject).toBe(true);
    expect(r.closeBrace).toBe(6);
    expect(r.emptyObject).toBe(false);
    expect(r.hasOutputKey).toBe(false);
    r = rec(" {} ");
    expect(r.isObject).toBe(true);
    expect(r.closeBrace).toBe(2);
    expect(r.emptyObject).toBe(true);
    r = rec('{"msg":"x","anomaly":{"user":"value"}}');
    expect(r.hasOutputKey).toBe(true);
  });
  it("leaves isObject false for anything that is not one complete object, with host time", () => {
    let r = rec('{"a":1');
    expect(r.isObject).toBe(false);
    expect(r.timeMs).toBe(HOST);
    r = rec("[1,2]");
    expect(r.isObject).toBe(false);
    r = rec("plain text");
    expect(r.isObject).toBe(false);
    r = rec("");
    expect(r.isObject).toBe(false);
  });
  it("keeps nothing of the record before when the next one is not an object", () => {
    CFG.streamField = utf8("service");
    let r = rec('{"log":"10.0.0.1 - - [15/Jan/2024:14:32:15 +0000] \\"GET /x HTTP/1.1\\" 502 0 \\"-\\" \\"c\\"","service":"api","anomaly":{}}');
    expect(r.httpStatus).toBe(502);
    expect(stream()).toBe("api");
    expect(r.hasOutputKey).toBe(true);
    expect(format()).toBe("nginx-access");
    r = rec('{"log":"trunc');
    CFG.streamField = new StaticArray<u8>(0);
    expect(r.isObject).toBe(false);
    expect(r.closeBrace).toBe(0);
    expect(r.emptyObject).toBe(true);
    expect(r.hasOutputKey).toBe(false);
    expect(r.msgLen).toBe(0);
    expect(r.bodyLen).toBe(0);
    expect(level()).toBe("unknown");
    expect(format()).toBe("text");
    expect(r.timeMs).toBe(HOST);
    expect(r.timeFromRecord).toBe(false);
    expect(r.httpStatus).toBe(0);
    expect(r.streamFieldLen).toBe(0);
  });
});

describe("record: message", () => {
  it("takes the first present key of the configured list whose value is a string", () => {
    rec('{"text":"t","msg":"m","message":"M"}');
    expect(msg()).toBe("M");
    rec('{"log":{"obj":1},"message":7,"msg":"string wins"}');
    expect(msg()).toBe("string wins");
    rec('{"MESSAGE":"journald"}');
    expect(msg()).toBe("journald");
  });
  it("unescapes the message, including surrogate pairs and lone surrogates", () => {
    rec('{"msg":"caf\\u00e9 \\"q\\" \\ud83d\\ude00 \\ud800 tab\\tend"}');
    expect(msg()).toBe("café \"q\" 😀 \uFFFD tab\tend");
  });
  it("drops the trailing newline Docker and CRI leave", () => {
    rec('{"log":"hello world\\n","stream":"stdout","time":"2024-01-15T14:32:15.123456789Z"}');
    expect(msg()).toBe("hello world");
    expect(body()).toBe("hello world");
  });
  it("uses the last of duplicate keys", () => {
    rec('{"msg":"first","msg":"second"}');
    expect(msg()).toBe("second");
  });
  it("matches keys written with escapes", () => {
    rec('{"m\\u0073g":"escaped key"}');
    expect(msg()).toBe("escaped key");
  });
  it("records without a message are json, level from fields or info", () => {
    let r = rec('{"event":"login","user":"bob"}');
    expect(format()).toBe("json");
    expect(level()).toBe("info");
    expect(r.msgLen).toBe(0);
    expect(r.bodyLen).toBe(0);
  });
  it("uses a configured message key list", () => {
    let saved = CFG.messageKeys;
    CFG.messageKeys = utf8List(["payload.text", "short_message"]);
    rec('{"msg":"ignored","short_message":"gelf"}');
    expect(msg()).toBe("gelf");
    rec('{"payload":{"text":"nested"},"short_message":"gelf"}');
    expect(msg()).toBe("nested");
    CFG.messageKeys = saved;
    rec('{"msg":"back","short_message":"gelf"}');
    expect(msg()).toBe("back");
  });
});

describe("record: level", () => {
  it("reads level words and abbreviations from the level keys in priority order", () => {
    rec('{"msg":"x","level":"ERROR"}');
    expect(level()).toBe("error");
    rec('{"msg":"x","severity":"Warning","lvl":"debug"}');
    expect(level()).toBe("warning");
    rec('{"msg":"x","loglevel":"dbug"}');
    expect(level()).toBe("debug");
    rec('{"msg":"x","log_level":"eror"}');
    expect(level()).toBe("error");
    rec('{"msg":"x","severity_text":"FATAL"}');
    expect(level()).toBe("critical");
    rec('{"msg":"x","level":"nonsense","severity":"notice"}');
    expect(level()).toBe("notice");
  });
  it("reads numeric levels: syslog PRIORITY, pino/bunyan", () => {
    rec('{"MESSAGE":"x","PRIORITY":"3"}');
    expect(level()).toBe("error");
    rec('{"msg":"x","priority":4}');
    expect(level()).toBe("warning");
    rec('{"msg":"x","level":30}');
    expect(level()).toBe("info");
    rec('{"msg":"x","level":50}');
    expect(level()).toBe("error");
    rec('{"msg":"x","level":60}');
    expect(level()).toBe("critical");
    rec('{"msg":"x","level":1e400}');
    expect(level()).toBe("info");
  });
  it("reads log.level as a dotted key and as a nested ECS object", () => {
    rec('{"message":"x","log.level":"warn"}');
    expect(level()).toBe("warning");
    rec('{"message":"x","log":{"level":"error","logger":"a"},"@timestamp":"2024-01-15T14:32:15.000Z"}');
    expect(level()).toBe("error");
    expect(time()).toBe("2024-01-15T14:32:15.000Z");
    expect(msg()).toBe("x");
  });
  it("falls back to the message's own level, then keywords, then info", () => {
    rec('{"log":"2024-01-15 14:32:15,123 WARN [main] c.e.App - careful"}');
    expect(level()).toBe("warning");
    rec('{"log":"something failed badly"}');
    expect(level()).toBe("error");
    rec('{"log":"all fine"}');
    expect(level()).toBe("info");
  });
  it("prefers the record's level field over the line's", () => {
    rec('{"level":"debug","log":"2024-01-15 14:32:15,123 ERROR [main] c.e.App - boom"}');
    expect(level()).toBe("debug");
    expect(format()).toBe("app");
    expect(body()).toBe("boom");
  });
});

describe("record: time", () => {
  it("reads RFC 3339 strings and epoch numbers from the time keys", () => {
    let r = rec('{"msg":"x","time":"2024-01-15T14:32:15.123Z"}');
    expect(time()).toBe("2024-01-15T14:32:15.123Z");
    expect(r.timeFromRecord).toBe(true);
    rec('{"msg":"x","ts":1705329135.123}');
    expect(time()).toBe("2024-01-15T14:32:15.123Z");
    rec('{"msg":"x","timestamp":1705329135123}');
    expect(time()).toBe("2024-01-15T14:32:15.123Z");
    rec('{"msg":"x","@timestamp":"2024-01-15T14:32:15+01:00"}');
    expect(time()).toBe("2024-01-15T13:32:15.000Z");
    rec('{"msg":"x","datetime":"2024-01-15 14:32:15"}');
    expect(time()).toBe("2024-01-15T14:32:15.000Z");
    rec('{"msg":"x","time":"1705329135"}');
    expect(time()).toBe("2024-01-15T14:32:15.000Z");
  });
  it("skips unparsable values and uses the next key, else the host time", () => {
    rec('{"msg":"x","time":"yesterday","ts":1705329135}');
    expect(time()).toBe("2024-01-15T14:32:15.000Z");
    let r = rec('{"msg":"x","time":"yesterday"}');
    expect(time()).toBe(HOST_ISO);
    expect(r.timeFromRecord).toBe(false);
  });
  it("uses the line's time when the record has none (auto)", () => {
    rec('{"log":"Jan 15 14:32:15 host app[1]: hi"}');
    expect(time()).toBe("2024-01-15T14:32:15.000Z");
    expect(format()).toBe("syslog-rfc3164");
    expect(body()).toBe("hi");
  });
  it("time_source record ignores the line's time, host ignores every time", () => {
    CFG.timeSource = TIME_RECORD;
    rec('{"log":"Jan 15 14:32:15 host app[1]: hi"}');
    expect(time()).toBe(HOST_ISO);
    rec('{"log":"Jan 15 14:32:15 host app[1]: hi","time":"2024-02-01T00:00:00Z"}');
    expect(time()).toBe("2024-02-01T00:00:00.000Z");
    CFG.timeSource = TIME_HOST;
    let r = rec('{"log":"Jan 15 14:32:15 host app[1]: hi","time":"2024-02-01T00:00:00Z"}');
    expect(time()).toBe(HOST_ISO);
    expect(r.timeFromRecord).toBe(false);
    CFG.timeSource = TIME_AUTO;
  });
});

describe("record: format and body", () => {
  it("json when the record has structured level/time and a plain message", () => {
    rec('{"level":"info","msg":"request completed","ts":1705329135}');
    expect(format()).toBe("json");
    expect(body()).toBe("request completed");
  });
  it("a record whose keys give level and time keeps its message whole (not re-parsed as a line)", () => {
    rec('{"level":"warn","time":"2024-01-15T14:32:15Z","msg":"2024-01-15 14:32:14,001 ERROR [main] cache stale"}');
    expect(format()).toBe("json");
    expect(level()).toBe("warning");
    expect(body()).toBe("2024-01-15 14:32:14,001 ERROR [main] cache stale");
    expect(time()).toBe("2024-01-15T14:32:15.000Z");
    // without a structured level, the same message is an app line: its header is parsed off
    rec('{"time":"2024-01-15T14:32:15Z","msg":"2024-01-15 14:32:14,001 ERROR [main] cache stale"}');
    expect(format()).toBe("app");
    expect(level()).toBe("error");
    expect(body()).toBe("cache stale");
  });
  it("text for a bare message record (tail without a parser)", () => {
    rec('{"log":"hello"}');
    expect(format()).toBe("text");
  });
  it("the line's format when the message is a recognised line", () => {
    let r = rec('{"log":"192.168.1.1 - - [15/Jan/2024:14:32:15 +0000] \\"GET /x HTTP/1.1\\" 502 0 \\"-\\" \\"curl\\"\\n","stream":"stdout","time":"2024-01-15T14:32:16Z"}');
    expect(format()).toBe("nginx-access");
    expect(r.httpStatus).toBe(502);
    expect(level()).toBe("error");
    expect(body()).toBe('"GET /x HTTP/1.1" 502');
    expect(time()).toBe("2024-01-15T14:32:16.000Z"); // the record's own time wins
  });
  it("a JSON object inside the message is read once: message, level, time from it", () => {
    rec('{"log":"{\\"level\\":\\"error\\",\\"msg\\":\\"db down\\",\\"time\\":\\"2024-01-15T14:32:15Z\\"}\\n","stream":"stderr"}');
    expect(format()).toBe("json");
    expect(level()).toBe("error");
    expect(msg()).toBe("db down");
    expect(body()).toBe("db down");
    expect(time()).toBe("2024-01-15T14:32:15.000Z");
  });
  it("inner JSON without a message keeps the JSON text as the message", () => {
    rec('{"log":"{\\"a\\":1,\\"level\\":40}"}');
    expect(format()).toBe("json");
    expect(level()).toBe("warning");
    expect(msg()).toBe('{"a":1,"level":40}');
  });
  it("does not recurse twice", () => {
    rec('{"log":"{\\"msg\\":\\"{\\\\\\"level\\\\\\":\\\\\\"debug\\\\\\"}\\"}"}');
    expect(msg()).toBe('{"level":"debug"}');
    expect(level()).toBe("info"); // a second level of nesting is not parsed
  });
  it("CRI line with a JSON payload inside a record", () => {
    rec('{"log":"2024-01-15T14:32:15.123456789Z stderr F {\\"level\\":\\"warn\\",\\"msg\\":\\"hi there\\"}"}');
    expect(format()).toBe("cri");
    expect(level()).toBe("warning");
    expect(body()).toBe("hi there");
    expect(time()).toBe("2024-01-15T14:32:15.123Z");
  });
  it("a broken JSON-looking message is just text", () => {
    rec('{"log":"{not json at all"}');
    expect(format()).toBe("text");
    expect(msg()).toBe("{not json at all");
  });
});

describe("record: stream field", () => {
  it("is empty unless configured", () => {
    let r = rec('{"msg":"x","kubernetes":{"container_name":"web"}}');
    expect(r.streamFieldLen).toBe(0);
  });
  it("reads a top-level key or a dotted path into nested objects", () => {
    CFG.streamField = utf8("kubernetes.container_name");
    rec('{"msg":"x","kubernetes":{"pod_name":"p","container_name":"web","labels":{"a":"b"}}}');
    expect(stream()).toBe("web");
    rec('{"msg":"x","kubernetes.container_name":"literal"}');
    expect(stream()).toBe("literal");
    rec('{"msg":"x","kubernetes":{"container_name":"we\\u0062"}}');
    expect(stream()).toBe("web");
    let r = rec('{"msg":"x","kubernetes":"flat"}');
    expect(r.streamFieldLen).toBe(0);
    CFG.streamField = utf8("service");
    rec('{"msg":"x","service":"api"}');
    expect(stream()).toBe("api");
    rec('{"msg":"x","service":42}');
    expect(stream()).toBe("42");
    CFG.streamField = new StaticArray<u8>(0);
  });
});

describe("understandLine on JSON lines", () => {
  it("treats a JSON object line exactly like a record", () => {
    let r = line('{"level":"warn","msg":"from a file","ts":1705329135}');
    expect(r.isObject).toBe(true);
    expect(level()).toBe("warning");
    expect(msg()).toBe("from a file");
    expect(format()).toBe("json");
  });
  it("treats a broken JSON line as text", () => {
    let r = line('{"level":"warn","msg":"trunc');
    expect(r.isObject).toBe(false);
    expect(format()).toBe("text");
    expect(msg()).toBe('{"level":"warn","msg":"trunc');
  });
});

describe("hostile records", () => {
  it("never trap on random bytes, and recover for the next record", () => {
    let p = heap.alloc(2048);
    let seed: u32 = 12345;
    for (let r = 0; r < 300; r++) {
      let n = <usize>(seed % 2000);
      for (let i: usize = 0; i < n; i++) {
        seed = seed * 1103515245 + 12345;
        let c = <u8>(seed >> 16);
        // bias towards JSON punctuation so deeper paths are exercised
        let k = (seed >> 8) & 7;
        if (k == 0) c = 0x7B; else if (k == 1) c = 0x22; else if (k == 2) c = 0x3A; else if (k == 3) c = 0x5C;
        store<u8>(p + i, c);
      }
      store<u8>(p, 0x7B);
      understandRecordAt(p, n);
    }
    heap.free(p);
    rec('{"level":"error","msg":"still fine"}');
    expect(level()).toBe("error");
    expect(msg()).toBe("still fine");
  });
  it("handle numbers like 1e400 and -1e400 in level and time fields", () => {
    let r = rec('{"msg":"x","level":1e400,"time":-1e400,"ts":1e400}');
    expect(r.isObject).toBe(true);
    expect(level()).toBe("info");
    expect(time()).toBe(HOST_ISO);
  });
  it("handle deep nesting under the configured dotted keys", () => {
    let s = '{"log":' + '{"level":'.repeat(2000) + '"x"' + "}".repeat(2000) + ',"msg":"m"}';
    let r = rec(s);
    expect(r.isObject).toBe(true);
    expect(msg()).toBe("m");
  });
});

import { understandRecord } from "../parse/record";
function understandRecordAt(p: usize, n: usize): void {
  let r = understandRecord(p, n, HOST);
  expect(r.msgLen <= n * 4 + 4).toBe(true);
}

describe("Redis levels", () => {
  it("`#` is a warning, or an error when its message has an error keyword", () => {
    line("1:M 17 Jan 2024 13:53:43.123 # WARNING: 12 slow log entries over 10ms in the last 60 seconds");
    expect(level()).toBe("warning");
    line("1:M 17 Jan 2024 13:53:43.123 # panic: runtime error: index out of range [3] with length 3");
    expect(level()).toBe("error");
    expect(body()).toBe("panic: runtime error: index out of range [3] with length 3");
    rec("{\"log\":\"1:M 17 Jan 2024 13:53:43.123 # Background saving error\",\"stream\":\"stdout\"}");
    expect(level()).toBe("error");
    line("1:M 17 Jan 2024 13:53:43.123 * DB saved on disk");
    expect(level()).toBe("notice");
  });
});

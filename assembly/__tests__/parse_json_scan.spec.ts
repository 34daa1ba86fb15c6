// The validating, non-recursive JSON object scanner and the unescaper, on normal and hostile input.
import { ObjectScan, JT_STRING, JT_NUMBER, JT_OBJECT, JT_ARRAY, JT_TRUE, JT_NULL, MAX_MEMBERS,
  findInObject, FOUND_PTR, FOUND_LEN, FOUND_KIND, ESC_NONE, ESC_SOME, ESC_TRAILING_NL } from "../parse/json_scan";
import { unescapeInto } from "../parse/json_unescape";
import { ByteBuf } from "../core/byte_buf";
import { understandRecord } from "../parse/record";
import { mem, memBytes, LAST_LEN, str, rec, msg, levelOf, HOST } from "./parse_util";

const S = new ObjectScan();

function ok(s: string): bool {
  let p = mem(s);
  return S.scan(p, LAST_LEN, 0, 0);
}

function key(i: i32): string { return str(S.keyPtr(i), S.keyLen(i)); }
function val(i: i32): string { return str(S.valPtr(i), S.valLen(i)); }

function unesc(s: string): string {
  let b = new ByteBuf(16);
  let p = mem(s);
  unescapeInto(p, LAST_LEN, b);
  return str(b.ptr, b.len);
}

/** Unmanaged buffer of n bytes: prefix, n - prefix - suffix copies of `fill`, suffix. */
function build(prefix: string, fill: u8, n: usize, suffix: string): usize {
  let a = String.UTF8.encode(prefix), b = String.UTF8.encode(suffix);
  let na = <usize>a.byteLength, nb = <usize>b.byteLength;
  let p = heap.alloc(n);
  memory.copy(p, changetype<usize>(a), na);
  memory.fill(p + na, fill, n - na - nb);
  memory.copy(p + n - nb, changetype<usize>(b), nb);
  return p;
}

describe("json scan: valid objects", () => {
  it("indexes top-level members with kinds and spans", () => {
    expect(ok(' {"a":"x","n":-1.5e3,"o":{"k":[1,2]},"l":[],"t":true,"z":null} \n')).toBe(true);
    expect(S.count).toBe(6);
    expect(key(0)).toBe("a"); expect(val(0)).toBe("x"); expect(S.kind(0)).toBe(JT_STRING);
    expect(val(1)).toBe("-1.5e3"); expect(S.kind(1)).toBe(JT_NUMBER);
    expect(val(2)).toBe('{"k":[1,2]}'); expect(S.kind(2)).toBe(JT_OBJECT);
    expect(val(3)).toBe("[]"); expect(S.kind(3)).toBe(JT_ARRAY);
    expect(S.kind(4)).toBe(JT_TRUE);
    expect(S.kind(5)).toBe(JT_NULL);
  });
  it("reports the closing brace and empty objects", () => {
    let p = mem('{"a":1}  ');
    expect(S.scan(p, LAST_LEN, 0, 0)).toBe(true);
    expect(S.closeBrace - p).toBe(6);
    expect(ok("{}")).toBe(true);
    expect(S.total).toBe(0);
    expect(ok(" { } ")).toBe(true);
  });
  it("flags escapes and a trailing newline escape", () => {
    expect(ok('{"a":"plain","b":"x\\ty","c":"line\\n","d":"crlf\\r\\n","e":"a\\\\n"}')).toBe(true);
    expect(S.valEsc(0)).toBe(ESC_NONE);
    expect(S.valEsc(1)).toBe(ESC_SOME);
    expect(S.valEsc(2)).toBe(ESC_TRAILING_NL);
    expect(S.valEsc(3)).toBe(ESC_TRAILING_NL);
    expect(S.valEsc(4)).toBe(ESC_SOME); // an escaped backslash followed by n is not a newline
  });
  it("detects the watched key", () => {
    let k = mem("anomaly");
    let kp = heap.alloc(7); memory.copy(kp, k, 7);
    let p = mem('{"x":1,"anomaly":{"old":true}}');
    expect(S.scan(p, LAST_LEN, kp, 7)).toBe(true);
    expect(S.keyHit).toBe(true);
    p = mem('{"anomalyx":1,"anomal":2}');
    expect(S.scan(p, LAST_LEN, kp, 7)).toBe(true);
    expect(S.keyHit).toBe(false);
    heap.free(kp);
  });
  it("keeps duplicate keys; find returns the last one", () => {
    expect(ok('{"k":1,"k":2}')).toBe(true);
    expect(S.count).toBe(2);
    let k = mem("k");
    let kp = heap.alloc(1); memory.copy(kp, k, 1);
    ok('{"k":1,"k":2}');
    expect(val(S.find(kp, 1))).toBe("2");
    heap.free(kp);
  });
  it("accepts numbers like 1e400 and -0 as valid JSON", () => {
    expect(ok('{"a":1e400,"b":-0,"c":0.5E-10,"d":123456789012345678901234567890}')).toBe(true);
    expect(S.count).toBe(4);
  });
  it("finds keys inside nested objects without recursion", () => {
    let p = mem('{"log":{"level":"warn","x":[{"level":1}]},"y":2}');
    let k = heap.alloc(5); memory.copy(k, changetype<usize>(String.UTF8.encode("level")), 5);
    expect(findInObject(p + 7, 34, k, 5)).toBe(true);
    expect(str(FOUND_PTR, FOUND_LEN)).toBe("warn");
    expect(FOUND_KIND).toBe(JT_STRING);
    heap.free(k);
  });
});

describe("json scan: invalid or hostile input is rejected, never trapped on", () => {
  it("rejects malformed objects", () => {
    expect(ok("")).toBe(false);
    expect(ok("   ")).toBe(false);
    expect(ok("[1,2]")).toBe(false);
    expect(ok('"str"')).toBe(false);
    expect(ok("{")).toBe(false);
    expect(ok('{"a":1,}')).toBe(false);
    expect(ok('{"a":01}')).toBe(false);
    expect(ok('{"a":1.}')).toBe(false);
    expect(ok('{"a":+1}')).toBe(false);
    expect(ok('{"a" 1}')).toBe(false);
    expect(ok('{"a":1 "b":2}')).toBe(false);
    expect(ok("{,}")).toBe(false);
    expect(ok('{"a":[1,]}')).toBe(false);
    expect(ok('{"a":[}')).toBe(false);
    expect(ok('{"a":{"b":1]}')).toBe(false);
    expect(ok('{"a":tru}')).toBe(false);
    expect(ok('{"a":nul}')).toBe(false);
    expect(ok("{'a':1}")).toBe(false);
    expect(ok('{a:1}')).toBe(false);
    expect(ok('{"a":"\\x"}')).toBe(false);
    expect(ok('{"a":"\\u12"}')).toBe(false);
    expect(ok('{"a":"\\u12G4"}')).toBe(false);
    expect(ok('{"a":1}{"b":2}')).toBe(false);
    expect(ok('{"a":1} x')).toBe(false);
    expect(ok('{"a":1}}')).toBe(false);
  });
  it("rejects every truncation of a valid record", () => {
    let full = '{"log":"2024-01-15 ERROR x \\"q\\" \\u00e9","kubernetes":{"labels":{"a":[1,2.5e-3,true,null]}},"n":-12}';
    expect(ok(full)).toBe(true);
    let b = String.UTF8.encode(full);
    let n = b.byteLength;
    let bad = 0;
    for (let cut = 0; cut < n; cut++) {
      let p = memBytes(changetype<usize>(b), <usize>cut);
      if (S.scan(p, <usize>cut, 0, 0)) bad++;
    }
    expect(bad).toBe(0);
  });
  it("rejects raw control characters and NUL inside strings, accepts them escaped", () => {
    // {"a":"x\0"} built byte by byte
    let s = String.UTF8.encode('{"a":"x_"}');
    let q = heap.alloc(10);
    memory.copy(q, changetype<usize>(s), 10);
    store<u8>(q + 7, 0);
    expect(S.scan(q, 10, 0, 0)).toBe(false);
    store<u8>(q + 7, 0x0A);
    expect(S.scan(q, 10, 0, 0)).toBe(false);
    heap.free(q);
    expect(ok('{"a":"x\\u0000\\n"}')).toBe(true);
  });
  it("passes invalid UTF-8 inside strings (the bytes are spliced, not re-encoded)", () => {
    let q = heap.alloc(12);
    let s = String.UTF8.encode('{"a":"xxxx"}');
    memory.copy(q, changetype<usize>(s), 12);
    store<u8>(q + 6, 0xFF); store<u8>(q + 7, 0xC3); store<u8>(q + 8, 0x28); store<u8>(q + 9, 0xED);
    expect(S.scan(q, 12, 0, 0)).toBe(true);
    // and a record with such bytes is still understood
    let r = understandRecord(q, 12, HOST);
    expect(r.isObject).toBe(true);
    heap.free(q);
  });
  it("validates 50,000-deep nesting without recursion", () => {
    let depth: usize = 50000;
    let n: usize = 5 + depth * 2 + 1;
    // {"a":[[[[...]]]]}
    let p = heap.alloc(n);
    memory.copy(p, changetype<usize>(String.UTF8.encode('{"a":')), 5);
    memory.fill(p + 5, 0x5B, depth);
    memory.fill(p + 5 + depth, 0x5D, depth);
    store<u8>(p + n - 1, 0x7D);
    expect(S.scan(p, n, 0, 0)).toBe(true);
    expect(S.kind(0)).toBe(JT_ARRAY);
    // one bracket short: rejected
    expect(S.scan(p, n - 2, 0, 0)).toBe(false);
    // the same depth as a record: understood, no trap
    let r = understandRecord(p, n, HOST);
    expect(r.isObject).toBe(true);
    // unbalanced: 50k opens and no closes
    memory.fill(p + 5, 0x7B, depth * 2);
    expect(S.scan(p, n, 0, 0)).toBe(false);
    heap.free(p);
  });
  it("handles an 8 MiB string value", () => {
    let n: usize = 8 << 20;
    let p = build('{"log":"', 0x61, n, '","level":"error"}');
    expect(S.scan(p, n, 0, 0)).toBe(true);
    expect(S.valLen(0)).toBe(n - 8 - 18);
    let r = understandRecord(p, n, HOST);
    expect(r.isObject).toBe(true);
    expect(r.msgLen).toBe(n - 8 - 18);
    expect(levelOf(r)).toBe("error");
    heap.free(p);
  });
  it("handles an 8 MiB string full of escapes", () => {
    let n: usize = 8 << 20;
    let p = build('{"msg":"', 0x5C, n, '"}');
    // an even run of backslashes is a run of escaped backslashes
    let run = n - 8 - 2;
    if (run & 1) store<u8>(p + 8, 0x78);
    expect(S.scan(p, n, 0, 0)).toBe(true);
    let r = understandRecord(p, n, HOST);
    expect(r.isObject).toBe(true);
    expect(r.msgLen).toBe(run / 2 + (run & 1));
    heap.free(p);
  });
  it("indexes at most MAX_MEMBERS keys but validates all of a 10,000-key object", () => {
    let s = "{";
    for (let i = 0; i < 10000; i++) s += (i ? "," : "") + '"k' + i.toString() + '":' + i.toString();
    s += "}";
    expect(ok(s)).toBe(true);
    expect(S.count).toBe(MAX_MEMBERS);
    expect(S.total).toBe(10000);
  });
  it("understands a record that ends at the top of linear memory (a page is added after it)", () => {
    // a fresh page the allocator does not own: the record's last byte is the last byte of memory
    memory.grow(1);
    let b = String.UTF8.encode('{"t":"x","lvl":"error","message":"at \\"the\\" top","k":1,"a":"z"}');
    let n = <usize>b.byteLength;
    let p = (<usize>memory.size() << 16) - n;
    memory.copy(p, changetype<usize>(b), n);
    let r = understandRecord(p, n, HOST);
    expect(r.isObject).toBe(true);
    expect(str(r.msgPtr, r.msgLen)).toBe('at "the" top');
    expect(levelOf(r)).toBe("error");
    expect(S.scan(p, n, 0, 0)).toBe(true);
    expect(S.count).toBe(5);
    expect(val(4)).toBe("z");
  });
  it("understands a record with 1,000 keys and the message last", () => {
    let s = "{";
    for (let i = 0; i < 1000; i++) s += '"k' + i.toString() + '":"v",';
    s += '"msg":"found me"}';
    let r = rec(s);
    expect(r.isObject).toBe(true);
    expect(msg()).toBe("found me");
  });
});

describe("json unescape", () => {
  it("decodes the simple escapes", () => {
    expect(unesc('a\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti')).toBe("a\"b\\c/d\be\ff\ng\rh\ti");
  });
  it("decodes \\u escapes to UTF-8, including surrogate pairs", () => {
    expect(unesc("caf\\u00e9 \\u20AC \\ud83d\\ude00")).toBe("café € 😀");
  });
  it("replaces lone surrogates with U+FFFD", () => {
    expect(unesc("a\\ud83db")).toBe("a\uFFFDb");
    expect(unesc("a\\ude00b")).toBe("a\uFFFDb");
    expect(unesc("\\ud83d\\u0041")).toBe("\uFFFDA");
  });
  it("keeps invalid or truncated escapes verbatim", () => {
    expect(unesc("a\\xb")).toBe("a\\xb");
    expect(unesc("a\\u12")).toBe("a\\u12");
    expect(unesc("a\\u12zz")).toBe("a\\u12zz");
    expect(unesc("end\\")).toBe("end\\");
  });
  it("copies strings without escapes unchanged", () => {
    expect(unesc("plain text")).toBe("plain text");
    expect(unesc("")).toBe("");
  });
  it("finds escapes at every offset of long runs (8 bytes per step)", () => {
    let head = "0123456789abcdefghijklmnopqrstuv";
    for (let k = 0; k < 24; k++) {
      let run = head.substring(0, k);
      expect(unesc(run + '\\"' + head + "\\n" + run + "\\")).toBe(run + '"' + head + "\n" + run + "\\");
    }
  });
});

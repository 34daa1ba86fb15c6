// novel.ts: the one writer of new_pattern events (first sighting and escalation).
import { ByteBuf } from "../core/byte_buf";
import { EVENTS, SEV_WARNING, SEV_INFO } from "../core/events";
import { newPatternSeen } from "../detect/novel";
import { T0, W, fresh, rec, count, linesWith, events, clearEvents, window, steady } from "./detect_util";

function text(out: ByteBuf, slot: i32, id: u64): bool { out.ascii("\"disk <*> \\\"failed\\\"\""); return true; }
function gone(out: ByteBuf, slot: i32, id: u64): bool { return false; }

function sighting(sev: u8, w: (out: ByteBuf, slot: i32, id: u64) => bool): string {
  EVENTS.reset();
  let s = String.UTF8.encode("app");
  newPatternSeen(sev, changetype<usize>(s), s.byteLength, 3, 0xff, w);
  return String.UTF8.decodeUnsafe(EVENTS.buf.ptr, EVENTS.buf.len);
}

describe("detect/novel: first sighting", () => {
  it("an event with id, text and the text in its description, never an alert", () => {
    let e = sighting(SEV_WARNING, text);
    expect(e).toBe("{\"type\":\"new_pattern\",\"severity\":\"warning\",\"stream\":\"app\",\"template_id\":\"00000000000000ff\"," +
      "\"template\":\"disk <*> \\\"failed\\\"\",\"description\":\"New error-level log pattern: disk <*> \\\"failed\\\"\"}");
    expect(EVENTS.alertSeverity).toBe(-1);
    expect(sighting(SEV_INFO, gone)).toBe("{\"type\":\"new_pattern\",\"severity\":\"info\",\"stream\":\"app\",\"template_id\":\"00000000000000ff\"," +
      "\"template\":\"\",\"description\":\"New log pattern: \"}");
    EVENTS.reset();
  });
});

/** A fresh stream "app" with w0 windows of 20 records, then a template first seen at w0 (level 2:
 *  error, 0: info), as the miner reports it new. */
function newLineAfter(w0: i64, tpl: u64, level: i32, msg: string): void {
  fresh();
  steady("app", 0, w0, 20);
  rec("app", T0 + w0 * W + 1000, tpl, level, msg, true);
}

describe("detect/novel: escalation", () => {
  it("a new error template that keeps occurring escalates once, as an alert", () => {
    fresh();
    steady("app", 0, 30, 100);
    rec("app", T0 + 30 * W + 1000, 77, 2, "NullPointerException at Foo.bar", true);
    for (let i = 0; i < 50; i++) rec("app", T0 + 30 * W + 2000 + <i64>i * 1000, 1);
    expect(count("\"type\":\"new_pattern\"")).toBe(0);      // its first sighting alone is not one
    for (let k: i64 = 0; k < 4; k++) rec("app", T0 + 31 * W + 5000 + k * 1000, 77, 2, "NullPointerException at Foo.bar");
    expect(count("\"type\":\"new_pattern\"")).toBe(1);
    let l = linesWith("\"type\":\"new_pattern\"")[0];
    expect(l.includes("\"template_id\":\"000000000000004d\"")).toBe(true);
    expect(l.includes("\"description\":\"New error pattern keeps occurring: 3 times")).toBe(true);
  });
  it("from a stream's second day on, a new error that recurs every few windows escalates; in its first day it does not", () => {
    for (let day = 0; day < 2; day++) {
      let w0: i64 = day == 0 ? 30 : 1500;                    // 30 min or 25 h of history
      newLineAfter(w0, 77, 2, "NullPointerException at Foo.bar");
      for (let w = w0; w < w0 + 9; w++) {
        window("app", w, 20);
        if (w == w0 + 4 || w == w0 + 8) rec("app", T0 + w * W + 30000, 77, 2, "NullPointerException at Foo.bar");
        if (w == w0 + 4) expect(count("\"type\":\"new_pattern\"")).toBe(0);   // twice: not yet
      }
      // three occurrences, never in consecutive windows
      expect(count("\"type\":\"new_pattern\"")).toBe(day == 0 ? 0 : 1);
      if (day == 1) expect(linesWith("\"type\":\"new_pattern\"")[0].includes("keeps occurring: 3 times since it first appeared")).toBe(true);
    }
  });
  it("from a stream's third day on, a never-seen error line alerts when first seen; on its second day it waits", () => {
    for (let day = 1; day < 3; day++) {
      let w0: i64 = day == 1 ? 1500 : 2940;                  // 25 h or 49 h of history
      newLineAfter(w0, 77, 2, "NullPointerException at Foo.bar");
      for (let w = w0; w < w0 + 6; w++) window("app", w, 20);
      expect(count("\"type\":\"new_pattern\"")).toBe(day == 1 ? 0 : 1);
      if (day == 2) expect(linesWith("\"type\":\"new_pattern\"")[0].includes("never seen on this stream before")).toBe(true);
      // a new line at info level does not
      newLineAfter(w0, 78, 0, "cache warmed in 5 ms");
      for (let w = w0; w < w0 + 6; w++) window("app", w, 20);
      expect(count("\"type\":\"new_pattern\"")).toBe(0);
    }
  });
  it("from a stream's third day on, an error line the miner knows from another stream is new to this one", () => {
    fresh();
    steady("app", 0, 50, 20);
    rec("app", T0 + 50 * W + 500, 92, 2, "disk full", true);                      // app's own, on day 0
    steady("app", 50, 100, 20);
    rec("other", T0 + 100 * W + 500, 90, 2, "panic: index out of range", true);   // new to the miner there
    steady("app", 100, 2940, 20);
    steady("young", 2900, 2940, 20);
    clearEvents();
    rec("app", T0 + 2940 * W + 1000, 90, 2, "panic: index out of range");        // the miner knows it
    rec("young", T0 + 2940 * W + 1500, 90, 2, "panic: index out of range");
    for (let w: i64 = 2940; w < 2946; w++) { window("app", w, 20); window("young", w, 20); }
    let ls = linesWith("\"type\":\"new_pattern\"");
    expect(ls.length).toBe(1);
    expect(ls[0].includes("\"stream\":\"app\"")).toBe(true);
    expect(ls[0].includes("never seen on this stream before")).toBe(true);
    // a template the stream has tracked before is not new to it
    clearEvents();
    rec("app", T0 + 2950 * W + 1000, 92, 2, "disk full");
    steady("app", 2950, 2953, 20);
    expect(count("\"type\":\"new_pattern\"")).toBe(0);
  });
  it("a new template at info level, or one the miner did not report new, does not escalate", () => {
    fresh();
    steady("app", 0, 30, 100);
    rec("app", T0 + 30 * W + 1000, 80, 0, "worker started", true);
    for (let k: i64 = 0; k < 20; k++) rec("app", T0 + 30 * W + 2000 + k * 1000, 80, 0, "worker started");
    rec("app", T0 + 30 * W + 30000, 81, 2, "known old error");
    for (let k: i64 = 0; k < 20; k++) rec("app", T0 + 30 * W + 31000 + k * 1000, 81, 2, "known old error");
    window("app", 31, 100);
    expect(count("\"type\":\"new_pattern\"")).toBe(0);
  });
  it("the episode resolves once the escalated template stops", () => {
    fresh();
    steady("app", 0, 30, 100);
    rec("app", T0 + 30 * W + 1000, 77, 2, "NullPointerException at Foo.bar", true);
    // a burst (min_events) in one window escalates at once, critical
    for (let k: i64 = 0; k < 9; k++) rec("app", T0 + 30 * W + 2000 + k * 1000, 77, 2, "NullPointerException at Foo.bar");
    expect(count("\"type\":\"new_pattern\"")).toBe(1);
    expect(linesWith("\"type\":\"new_pattern\"")[0].includes("\"severity\":\"critical\"")).toBe(true);
    clearEvents();
    steady("app", 30, 36, 100);
    expect(count("\"resolves\":\"new_pattern\"")).toBe(1);
  });
});

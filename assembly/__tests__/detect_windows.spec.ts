import { ByteBuf } from "../core/byte_buf";
import { CFG } from "../core/config";
import { EVENTS } from "../core/events";
import { LEVEL_INFO, LEVEL_ERROR } from "../core/levels";
import { JV, JV_OBJ, JV_NUM } from "../core/json_value";
import {
  detectRecord, detectFlush, detectReset, detectStreams, configureDetect, detectExportBaseline,
  detectLoadBaseline, detectWindowLog, detectSetWindowLog,
} from "../detect/index";

// ---- helpers: a deterministic record feeder that collects the events it triggers ----
const T0: i64 = 1705276800000; // 2024-01-15T00:00:00Z (a Monday)
const W: i64 = 60000;
let seed: u32 = 12345;
function rnd(): u32 { seed = seed * 1664525 + 1013904223; return seed >> 8; }

let events = "";
function feed(stream: string, t: i64, error: bool, tpl: u64, isNew: bool = false, msg: string = "GET /api/items/1 200"): void {
  let s = String.UTF8.encode(stream);
  let m = String.UTF8.encode(msg);
  EVENTS.reset();
  detectRecord(changetype<usize>(s), s.byteLength, t, error ? LEVEL_ERROR : LEVEL_INFO, error,
               <i32>(tpl & 0xFFFF), tpl, isNew, changetype<usize>(m), m.byteLength);
  if (EVENTS.count > 0) events += String.UTF8.decodeUnsafe(EVENTS.buf.ptr, EVENTS.buf.len) + "\n";
}

/** n records spread over window w (from T0), `errors` of them at error level; templates 1..5
 *  round-robin (errors use template 9). */
function window(stream: string, w: i64, n: i32, errors: i32 = 0): void {
  for (let i = 0; i < n; i++) {
    let t = T0 + w * W + (<i64>i * W) / <i64>n + <i64>(rnd() % 100);
    let err = (i * errors) / n != ((i + 1) * errors) / n;   // spread `errors` evenly
    feed(stream, t, err, err ? 9 : <u64>(1 + i % 5));
  }
}

function steady(stream: string, from: i64, to: i64, n: i32, errors: i32 = 0): void {
  for (let w = from; w < to; w++) window(stream, w, n + <i32>(rnd() % 11) - 5, errors);
}

function count(sub: string): i32 {
  let c = 0;
  let i = events.indexOf(sub);
  while (i >= 0) { c++; i = events.indexOf(sub, i + sub.length); }
  return c;
}

function fresh(): void {
  CFG.threshold = 3.0; CFG.windowSize = 60; CFG.minEvents = 10;
  configureDetect(null);
  detectReset();
  events = "";
  seed = 12345;
}

function cfgSection(key: string, v: f64): JV {
  let o = new JV(); o.kind = JV_OBJ;
  let n = new JV(); n.kind = JV_NUM; n.n = v;
  o.keys.push(key); o.vals.push(n);
  return o;
}

describe("detect: windows and warm-up", () => {
  it("steady traffic raises nothing", () => {
    fresh();
    steady("app", 0, 60, 100, 2);
    expect(events).toBe("");
    expect(detectStreams()).toBe(1);
  });
  it("no alert during warm-up even for a huge spike", () => {
    fresh();
    steady("app", 0, 4, 100);
    window("app", 4, 2000);
    window("app", 5, 100);
    expect(events).toBe("");
  });
  it("logs one NDJSON line per closed window when enabled", () => {
    fresh();
    detectSetWindowLog(true);
    steady("app", 0, 4, 50, 1);
    let out = new ByteBuf(256);
    detectWindowLog(out);
    let text = String.UTF8.decodeUnsafe(out.ptr, out.len);
    // window 0 is the stream's first (not learned from, but charted); windows 0, 1 and 2 closed
    expect(text.includes("{\"window\":{\"stream\":\"app\",\"start\":\"2024-01-15T00:01:00.000Z\",\"count\":")).toBe(true);
    expect(text.includes("{\"window\":{\"stream\":\"app\",\"start\":\"2024-01-15T00:00:00.000Z\",\"count\":")).toBe(true);
    expect(text.split("\n").length).toBe(4);
    out.reset();
    detectWindowLog(out);
    expect(out.len).toBe(0);
    detectSetWindowLog(false);
  });
  it("late records within the allowance still count in their window", () => {
    fresh();
    steady("app", 0, 30, 100);
    // window 30: 100 records, then window 31 starts; records of window 30 arriving 1 s late
    window("app", 30, 100);
    feed("app", T0 + 31 * W + 500, false, 1);
    for (let i = 0; i < 50; i++) feed("app", T0 + 30 * W + 59000, false, 1);   // late but inside allowance
    feed("app", T0 + 31 * W + 3000, false, 1);                                   // closes window 30
    expect(count("\"rate_spike\"")).toBe(0);  // 150 vs 100 is below the 1.5x minimum change
    expect(events.includes("rate_drop")).toBe(false);
  });
});

describe("detect: detectors on crafted counts", () => {
  it("rate_spike: critical, with window bounds, score and top templates", () => {
    fresh();
    steady("web", 0, 60, 100);
    window("web", 60, 600);
    // volume alone must last: one window of it is not yet an alert, the second confirms it
    expect(count("\"type\":\"rate_spike\"")).toBe(0);
    window("web", 61, 600);
    expect(count("\"type\":\"rate_spike\"")).toBe(1);
    expect(events.includes("\"severity\":\"critical\"")).toBe(true);
    expect(events.includes("\"window_start\":\"2024-01-15T01:01:00.000Z\"")).toBe(true);
    expect(events.includes("\"description\":\"Event rate spike: ")).toBe(true);
    expect(events.includes("\"top_templates\":[{\"template_id\":\"000000000000000")).toBe(true);
    expect(events.includes("\"example\":\"GET /api/items/1 200\"")).toBe(true);
  });
  it("rate_drop: caught while records still trickle in, once it lasts into a third window", () => {
    fresh();
    steady("web", 0, 40, 200);
    window("web", 40, 10);
    window("web", 41, 10);
    expect(count("\"type\":\"rate_drop\"")).toBe(0);   // a deploy's two-minute dip is not an incident
    window("web", 42, 10);
    expect(count("\"type\":\"rate_drop\"")).toBe(1);
  });
  it("error_spike: share far above expectation", () => {
    fresh();
    steady("api", 0, 40, 200, 2);
    window("api", 40, 200, 40);
    expect(count("\"type\":\"error_spike\"")).toBe(1);
    expect(events.includes("\"description\":\"Error rate spike: ")).toBe(true);
    expect(count("\"type\":\"rate_spike\"")).toBe(0);
  });
  it("pattern_spike: one template bursts while total volume barely moves", () => {
    fresh();
    // template 7 is rare (1 per window), the rest round-robin
    for (let w: i64 = 0; w < 40; w++) {
      for (let i = 0; i < 199; i++) feed("sys", T0 + w * W + <i64>i * 300, false, <u64>(1 + i % 5));
      feed("sys", T0 + w * W + 59900, false, 7);
    }
    for (let w: i64 = 40; w < 42; w++)
      for (let i = 0; i < 200; i++) feed("sys", T0 + w * W + <i64>i * 300, false, i < 60 ? 7 : <u64>(1 + i % 5));
    feed("sys", T0 + 42 * W + 3000, false, 1);
    expect(count("\"type\":\"pattern_spike\"")).toBe(1);
    expect(count("\"type\":\"rate_spike\"")).toBe(0);
    expect(events.includes("\"template_id\":\"0000000000000007\"")).toBe(true);
  });
  it("new_pattern: a new error template that keeps occurring escalates once", () => {
    fresh();
    steady("app", 0, 30, 100);
    feed("app", T0 + 30 * W + 1000, true, 77, true, "NullPointerException at Foo.bar");
    for (let i = 0; i < 50; i++) feed("app", T0 + 30 * W + 2000 + <i64>i * 1000, false, 1);
    feed("app", T0 + 31 * W + 5000, true, 77, false, "NullPointerException at Foo.bar");
    feed("app", T0 + 31 * W + 6000, true, 77, false, "NullPointerException at Foo.bar");
    feed("app", T0 + 31 * W + 9000, true, 77, false, "NullPointerException at Foo.bar");
    expect(count("\"type\":\"new_pattern\"")).toBe(1);
    expect(events.includes("\"template_id\":\"000000000000004d\"")).toBe(true);
  });
  it("new_pattern: a new error printed once a window escalates after three windows, a rare one never", () => {
    fresh();
    steady("app", 0, 30, 100);
    for (let w: i64 = 30; w < 36; w++) {
      feed("app", T0 + w * W + 20000, true, 78, w == 30, "payment gateway refused the request");
      if (w == 31) expect(count("\"type\":\"new_pattern\"")).toBe(0);   // once in each of two windows
      window("app", w, 100);
    }
    expect(count("\"type\":\"new_pattern\"")).toBe(1);
    events = "";
    for (let w: i64 = 36; w < 66; w++) {
      if (w == 40 || w == 45 || w == 52) feed("app", T0 + w * W + 20000, true, 79, w == 40, "disk quota warning escalated");
      window("app", w, 100);
    }
    expect(count("\"type\":\"new_pattern\"")).toBe(0);
  });
  it("a start-up banner of new templates is not a rate spike; the same volume of known lines is", () => {
    fresh();
    steady("app", 0, 60, 100);
    for (let k = 0; k < 150; k++)   // 15 new templates x 10 lines within two seconds
      feed("app", T0 + 60 * W + 500 + <i64>k * 10, false, 200 + <u64>(k / 10), k % 10 == 0, "Starting worker");
    window("app", 60, 100);
    window("app", 61, 100);
    expect(count("\"type\":\"rate_spike\"")).toBe(0);
    fresh();
    steady("app", 0, 60, 100);
    for (let w: i64 = 60; w < 62; w++) {
      for (let k = 0; k < 150; k++) feed("app", T0 + w * W + 500 + <i64>k * 10, false, <u64>(1 + k % 5));
      window("app", w, 100);
    }
    window("app", 62, 100);
    expect(count("\"type\":\"rate_spike\"")).toBe(1);
  });
  it("a new info template printed once (a deploy) raises nothing", () => {
    fresh();
    steady("app", 0, 30, 100);
    for (let k: u64 = 0; k < 8; k++) feed("app", T0 + 30 * W + 1000 + <i64>k * 10, false, 100 + k, true, "Starting v2");
    steady("app", 30, 40, 100);
    expect(events).toBe("");
  });
});

describe("detect: episodes", () => {
  it("dedupes a lasting incident, then resolves", () => {
    fresh();
    steady("web", 0, 60, 100);
    steady("web", 60, 68, 600);
    expect(count("\"type\":\"rate_spike\"")).toBe(1);
    steady("web", 68, 76, 100);
    expect(count("\"type\":\"resolved\"")).toBe(1);
    expect(events.includes("\"resolves\":\"rate_spike\"")).toBe(true);
    expect(events.includes("\"severity\":\"info\"")).toBe(true);
  });
  it("stays quiet within cooldown after a resolved episode", () => {
    fresh();
    steady("web", 0, 60, 100);
    steady("web", 60, 62, 600);
    steady("web", 62, 66, 100);          // resolves after 3 normal windows
    steady("web", 66, 68, 600);          // within 10 windows of the first alert
    steady("web", 68, 72, 100);
    expect(count("\"type\":\"rate_spike\"")).toBe(1);
  });
  it("a moderate deviation needs a second window to confirm", () => {
    fresh();
    steady("web", 0, 60, 100);
    window("web", 60, 158);
    let first = count("\"type\":\"rate_spike\"");
    window("web", 61, 158);
    window("web", 62, 158);
    expect(first).toBe(0);
    expect(count("\"type\":\"rate_spike\"")).toBe(1);   // pooled with the first window
  });
  it("detectFlush evaluates the open partial window at the end of a replay", () => {
    fresh();
    steady("web", 0, 59, 100);
    window("web", 59, 800);
    for (let i = 0; i < 400; i++) feed("web", T0 + 60 * W + <i64>i * 75, false, 1);   // 30 s more of a 8x rate
    let before = count("rate_spike");
    EVENTS.reset();
    detectFlush(T0 + 60 * W + 30000);
    let text = String.UTF8.decodeUnsafe(EVENTS.buf.ptr, EVENTS.buf.len);
    expect(before + (text.includes("rate_spike") ? 1 : 0)).toBe(1);
  });
});

describe("detect: noise it must not alert on", () => {
  it("a template that bursts for two windows now and then stops alerting once its bursts are usual", () => {
    fresh();
    let alertsAt = new Array<i32>();
    for (let w: i64 = 0; w < 400; w++) {
      let before = count("\"type\":\"pattern_spike\"");
      let burst = w >= 60 && w % 20 < 2;       // template 8: once a window, 30 more in 2 of every 20
      for (let i = 0; i < 100; i++) feed("job", T0 + w * W + <i64>i * 500, false, <u64>(1 + i % 5));
      feed("job", T0 + w * W + 40000, false, 8);
      if (burst) for (let i = 0; i < 30; i++) feed("job", T0 + w * W + 50000 + <i64>i * 10, false, 8);
      if (count("\"type\":\"pattern_spike\"") > before) alertsAt.push(<i32>w);
    }
    // the first bursts alert; the later ones (windows 200..380) do not
    expect(alertsAt.length).toBeGreaterThan(0);
    expect(alertsAt[alertsAt.length - 1]).toBeLessThan(200);
  });
  it("a single stray timestamp does not close windows (no false drop)", () => {
    fresh();
    steady("app", 0, 40, 100);
    feed("app", T0 + 400 * W, false, 1);          // one record 6 hours ahead
    steady("app", 40, 45, 100);
    expect(events).toBe("");
  });
  it("a replay restarted from the beginning realigns its windows", () => {
    fresh();
    steady("app", 0, 40, 100);
    steady("app", 0, 20, 100);                     // the same hour again
    expect(events).toBe("");
    expect(detectStreams()).toBe(1);
  });
});

describe("detect: checkpoints inside a window", () => {
  it("a one-second burst early in a window alerts only if the whole window would be out of line", () => {
    fresh();
    steady("app", 0, 60, 100);   // each of 5 templates ~20 per window
    // window 60: 18 lines of one template in its first second (a batch job), then the usual 100:
    // far out of line for the first 15 s (23 vs 5), not for the window (38 vs 20, z ~3.5)
    for (let i = 0; i < 18; i++) feed("app", T0 + 60 * W + 100 + <i64>i * 20, false, 3);
    window("app", 60, 100);
    window("app", 61, 100);
    expect(count("\"type\":\"pattern_spike\"")).toBe(0);
    expect(count("\"type\":\"rate_spike\"")).toBe(0);
  });
  it("a sustained surge is caught at a checkpoint, before its window closes", () => {
    fresh();
    steady("app", 0, 60, 200);
    // 4x from the start of window 60: 800 records per window; the confirming window 61 alerts at a
    // checkpoint, well before it closes
    let alertAt: i64 = -1;
    for (let i = 0; i < 1600 && alertAt < 0; i++) {
      let t = T0 + 60 * W + (<i64>i * W) / 800;
      feed("app", t, false, <u64>(1 + i % 5));
      if (events.includes("\"type\":\"rate_spike\"")) alertAt = t;
    }
    expect(alertAt).toBeGreaterThan(-1);
    expect(alertAt).toBeLessThan(T0 + 61 * W + 40000);
  });
});

describe("detect: bounded state and robustness", () => {
  it("keeps at most max_streams streams (LRU)", () => {
    fresh();
    expect(configureDetect(cfgSection("max_streams", 4))).toBeNull();
    for (let i = 0; i < 10; i++) feed("s" + i.toString(), T0 + <i64>i, false, 1);
    expect(detectStreams()).toBe(4);
    // the most recent four survive: touching s9 does not create a stream
    feed("s9", T0 + 20, false, 1);
    expect(detectStreams()).toBe(4);
    configureDetect(null);
  });
  it("rejects unknown or bad detection keys by name", () => {
    let e = configureDetect(cfgSection("warmup_window", 3));
    expect(e).not.toBeNull();
    expect((e as string).includes("detection.warmup_window")).toBe(true);
    e = configureDetect(cfgSection("max_streams", 0));
    expect((e as string).includes("detection.max_streams")).toBe(true);
    expect(configureDetect(cfgSection("late_allowance_seconds", 5))).toBeNull();
    configureDetect(null);
  });
  it("survives hostile times, empty keys, huge messages and template churn", () => {
    fresh();
    let big = "x".repeat(100000);
    feed("", 0, false, 0);
    feed("", -5000000000000, true, 1, true, big);
    feed("", 9000000000000000, false, 2);
    feed("", 100, false, 3);
    for (let i = 0; i < 3000; i++) feed("churn", T0 + <i64>i * 50, i % 7 == 0, <u64>(1000 + i), true, big);
    expect(detectStreams()).toBe(2);
    let out = new ByteBuf(64);
    detectExportBaseline(out);
    expect(out.len).toBeGreaterThan(10);
  });
});

describe("detect: baselines", () => {
  it("export, reload and merge (counts add)", () => {
    fresh();
    steady("web", 0, 30, 100, 1);
    let a = new ByteBuf(1024);
    detectExportBaseline(a);
    let doc = String.UTF8.decodeUnsafe(a.ptr, a.len);
    expect(doc.startsWith("{\"lad_baseline\":1,\"window_size\":60,\"streams\":[{\"stream\":\"web\",\"windows\":")).toBe(true);
    expect(doc.includes("\"hours\":[[0,")).toBe(true);
    expect(doc.includes("\"templates\":[{\"id\":\"0000000000000001\"")).toBe(true);
    detectReset();
    expect(detectLoadBaseline(a.ptr, a.len)).toBeNull();
    expect(detectLoadBaseline(a.ptr, a.len)).toBeNull();
    let b = new ByteBuf(1024);
    detectExportBaseline(b);
    let doc2 = String.UTF8.decodeUnsafe(b.ptr, b.len);
    // 28 learned windows (first partial skipped, last still open) -> 56 after loading twice
    expect(doc.includes("\"windows\":28,")).toBe(true);
    expect(doc2.includes("\"windows\":56,")).toBe(true);
  });
  it("a loaded baseline warms a new stream up and flags deviations from it", () => {
    fresh();
    steady("web", 0, 30, 100, 1);
    let a = new ByteBuf(1024);
    detectExportBaseline(a);
    detectReset();
    expect(detectLoadBaseline(a.ptr, a.len)).toBeNull();
    events = "";
    window("web", 100, 100);    // first (partial-skipped) window of the live stream
    window("web", 101, 100);
    window("web", 102, 700);    // no warm-up needed: the baseline has the stream
    window("web", 103, 700);
    window("web", 104, 100);
    expect(count("\"type\":\"rate_spike\"")).toBe(1);
  });
  it("rejects malformed documents without changing state", () => {
    fresh();
    let bad = String.UTF8.encode("{\"lad_baseline\":1,\"window_size\":60,\"streams\":[{\"stream\":\"x\",\"windows\":1,\"records\":2,\"errors\":0,\"hours\":[[200,1,2,4,0]]}]}");
    let e = detectLoadBaseline(changetype<usize>(bad), bad.byteLength);
    expect(e).not.toBeNull();
    expect((e as string).includes("hour of week")).toBe(true);
    expect(detectStreams()).toBe(0);
    let v2 = String.UTF8.encode("{\"lad_baseline\":2}");
    expect(detectLoadBaseline(changetype<usize>(v2), v2.byteLength)).not.toBeNull();
    let junk = String.UTF8.encode("[[[[");
    expect(detectLoadBaseline(changetype<usize>(junk), junk.byteLength)).not.toBeNull();
  });
});

/** Poisson draw (Knuth) from the spec's deterministic generator. */
/** errors_expected of the last window line in a window log. */
function lastErrorsExpected(b: ByteBuf): f64 {
  let text = String.UTF8.decodeUnsafe(b.ptr, b.len);
  let key = "\"errors_expected\":";
  let i = text.lastIndexOf(key);
  if (i < 0) return -1;
  let j = i + key.length;
  let k = j;
  while (k < text.length && text.charCodeAt(k) != 0x2C) k++;
  return parseFloat(text.substring(j, k));
}

function poisson(lam: f64): i32 {
  let L = Math.exp(-lam), k = 0, p: f64 = 1;
  do { k++; p *= <f64>(rnd() & 0xFFFFFF) / 16777216.0; } while (p > L);
  return k - 1;
}

describe("detect: slow low-count error rises (CUSUM)", () => {
  it("a noisy 4x rise of ~1 error per window is caught within 15 windows", () => {
    fresh();
    for (let w: i64 = 0; w < 120; w++) window("api", w, 70 + <i32>(rnd() % 31) - 15, poisson(1.0));
    for (let w: i64 = 120; w < 135; w++) window("api", w, 70 + <i32>(rnd() % 31) - 15, poisson(4.0));
    expect(count("\"type\":\"error_spike\"")).toBeGreaterThanOrEqual(1);
  });
  it("the error share does not learn a rise while the CUSUM builds evidence for it", () => {
    fresh();
    detectSetWindowLog(true);
    let out = new ByteBuf(1024);
    for (let w: i64 = 0; w < 120; w++) window("api", w, 70 + <i32>(rnd() % 11) - 5, poisson(1.0));
    out.reset(); detectWindowLog(out);
    let before = lastErrorsExpected(out);
    for (let w: i64 = 120; w < 129; w++) window("api", w, 70 + <i32>(rnd() % 11) - 5, 4);
    out.reset(); detectWindowLog(out);
    let during = lastErrorsExpected(out);
    detectSetWindowLog(false);
    expect(before).toBeGreaterThan(0.5);
    expect(during / before).toBeLessThan(1.15);   // learned, 8 windows of 4x would lift it far more
  });
  it("clean Poisson noise of 2 errors per window raises nothing", () => {
    fresh();
    for (let w: i64 = 0; w < 1500; w++) window("api", w, 120 + <i32>(rnd() % 41) - 20, poisson(2.0));
    expect(count("\"type\":\"error_spike\"")).toBe(0);
  });
});

import { T0, W, H, DAY, fresh, rec, count, linesWith, clearEvents, rnd } from "./detect_util";
import { blockOf, howAt } from "../detect/state";
import { bucketStats, BM } from "../detect/model";

/** `n` records of stream over window w (from t0), templates 1..5, plus `extra` of template x. */
function win(stream: string, t0: i64, w: i64, n: i32, x: u64 = 0, extra: i32 = 0, level: i32 = 0): void {
  let tot = n + extra;
  let xs = 0;
  for (let i = 0; i < tot; i++) {
    let t = t0 + w * W + (<i64>i * W) / <i64>tot + <i64>(rnd() % 50);
    let isX = (i * extra) / tot != ((i + 1) * extra) / tot;
    if (isX) { rec(stream, t, x, level); xs++; } else rec(stream, t, <u64>(1 + i % 5));
  }
}

function steady(stream: string, t0: i64, from: i64, to: i64, n: i32): void {
  for (let w = from; w < to; w++) win(stream, t0, w, n + <i32>(rnd() % 7) - 3);
}

describe("detect: routines", () => {
  it("a burst of the same template at the same hour every day alerts at most on its first day", () => {
    fresh();
    for (let d: i64 = 0; d < 4; d++) {
      let t0 = T0 + d * DAY;
      steady("cron", t0, 0, 385, 20);
      win("cron", t0, 385, 20, 7, 150 + <i32>(rnd() % 40));    // 06:25, a cron job's 150-190 lines
      steady("cron", t0, 386, 1440, 20);
      if (d == 0) clearEvents();
    }
    expect(count("\"severity\":\"warning\"") + count("\"severity\":\"critical\"")).toBe(0);
  });

  it("the same burst at another hour still alerts", () => {
    fresh();
    for (let d: i64 = 0; d < 3; d++) {
      let t0 = T0 + d * DAY;
      steady("cron", t0, 0, 385, 20);
      win("cron", t0, 385, 20, 7, 160);
      steady("cron", t0, 386, 1440, 20);
    }
    clearEvents();
    let t0 = T0 + 3 * DAY;
    steady("cron", t0, 0, 700, 20);
    win("cron", t0, 700, 20, 7, 160);
    win("cron", t0, 701, 20, 7, 160);
    win("cron", t0, 702, 20);
    expect(count("\"type\":\"pattern_spike\",\"severity\":\"critical\"") + count("\"type\":\"rate_spike\",\"severity\":\"critical\"")).toBeGreaterThanOrEqual(1);
  });

  it("a routine's bursts do not lift its hour's expectation: on a day without it the hour is no drop", () => {
    fresh();
    for (let d: i64 = 0; d < 4; d++) {
      let t0 = T0 + d * DAY;
      steady("job", t0, 0, 505, 4);
      for (let w: i64 = 505; w < 510; w++) win("job", t0, w, 4, 7, 150);    // 08:25-08:30, a job's lines
      steady("job", t0, 510, 1440, 4);
    }
    // the profile's hour of the job holds the stream's usual volume, not the job's (learned, it
    // came out at 2.6x the other hours)
    let b = blockOf(0);
    let hod = <i32>(((T0 % DAY) / H + 8) % 24);
    let sj: f64 = 0, wj: f64 = 0, so: f64 = 0, wo: f64 = 0;
    for (let d = 0; d < 7; d++) {
      let x = howAt(b, d * 24 + hod); sj += x.s; wj += x.w;
      let y = howAt(b, d * 24 + (hod + 4) % 24); so += y.s; wo += y.w;
    }
    expect(wj).toBeGreaterThan(100.0);
    expect((sj / wj) / (so / wo)).toBeLessThan(1.5);
    clearEvents();
    steady("job", T0 + 4 * DAY, 0, 1440, 4);                  // a day the job does not run
    expect(count("\"type\":\"rate_drop\"")).toBe(0);
  });
});

describe("detect: small streams and deploys", () => {
  it("a stream of 4 lines a minute: 6 errors where none are expected alert (confirmed by a second window)", () => {
    fresh();
    steady("small", T0, 0, 120, 4);
    win("small", T0, 120, 1, 9, 6, 2);
    win("small", T0, 121, 1, 9, 6, 2);
    win("small", T0, 122, 4);
    expect(count("\"type\":\"error_spike\"")).toBeGreaterThanOrEqual(1);
    // one window of it alone is not enough under min_events (small-sample evidence)
    fresh();
    steady("small", T0, 0, 120, 4);
    win("small", T0, 120, 1, 9, 6, 2);
    steady("small", T0, 121, 130, 4);
    expect(count("\"type\":\"error_spike\"")).toBe(0);
  });

  it("a deploy banner of known rare info lines is not a rate spike; the same volume of usual lines is", () => {
    fresh();
    steady("app", T0, 0, 200, 5);
    for (let k = 0; k < 3; k++) {
      // a deploy: the same 30 start-up lines (templates 20..49), once each
      for (let i = 0; i < 30; i++) rec("app", T0 + <i64>(200 + k * 200) * W + <i64>i * 100, <u64>(20 + i));
      steady("app", T0, 200 + k * 200, 400 + k * 200, 5);
    }
    expect(count("\"type\":\"rate_spike\"")).toBe(0);
    steady("app", T0, 800, 801, 40);
    steady("app", T0, 801, 802, 40);
    expect(count("\"type\":\"rate_spike\"")).toBeGreaterThanOrEqual(1);
  });

  it("a single-template stream's spike is one alert (rate), not two", () => {
    fresh();
    for (let w: i64 = 0; w < 100; w++) for (let i = 0; i < 50; i++) rec("one", T0 + w * W + <i64>i * 1200, 1);
    for (let i = 0; i < 800; i++) rec("one", T0 + 100 * W + <i64>i * 150, 1);
    rec("one", T0 + 102 * W + 3000, 1);
    expect(count("\"type\":\"rate_spike\"")).toBe(1);
    expect(count("\"type\":\"pattern_spike\"")).toBe(0);
  });
});

describe("detect: slow rises of a template", () => {
  it("a warning template creeping from 2% to 40% of its stream over two hours is flagged early", () => {
    fresh();
    for (let w: i64 = 0; w < 120; w++) win("svc", T0, w, 98 + <i32>(rnd() % 7) - 3, 8, 2, 1);
    let caught: i64 = -1;
    for (let w: i64 = 0; w < 120 && caught < 0; w++) {
      let x = 2 + <i32>(<f64>w * 38.0 / 120.0);
      win("svc", T0, 120 + w, 100 - x, 8, x, 1);
      if (count("\"type\":\"pattern_spike\"") > 0) caught = w;
    }
    expect(caught).toBeGreaterThanOrEqual(0);
    expect(caught).toBeLessThan(40);
    expect(linesWith("pattern_spike")[0].includes("\"template_id\":\"0000000000000008\"")).toBe(true);
  });

  it("on a small stream (10 lines a minute) a warning template creeping from 3% to 40% is flagged within the ramp", () => {
    fresh();
    for (let w: i64 = 0; w < 600; w++) win("small", T0, w, 10 + <i32>(rnd() % 5) - 2, 8, <i32>(rnd() % 3 == 0 ? 1 : 0), 1);
    let caught: i64 = -1;
    for (let w: i64 = 0; w < 120 && caught < 0; w++) {
      let f = 0.03 + 0.37 * <f64>w / 120.0;
      let x = <i32>(f * 10.0 + <f64>(rnd() % 100) / 100.0);
      win("small", T0, 600 + w, 10 - x + <i32>(rnd() % 5) - 2, 8, x, 1);
      if (count("\"type\":\"pattern_spike\"") > 0) caught = w;
    }
    expect(caught).toBeGreaterThanOrEqual(0);
    expect(linesWith("pattern_spike")[0].includes("\"template_id\":\"0000000000000008\"")).toBe(true);
  });

  it("a template with a steady 2% share raises nothing over a day", () => {
    fresh();
    for (let w: i64 = 0; w < 1440; w++) win("svc", T0, w, 98 + <i32>(rnd() % 7) - 3, 8, 1 + <i32>(rnd() % 3), 1);
    expect(count("\"type\":\"pattern_spike\"")).toBe(0);
  });

  it("a sparse warning template drifting above its share for hours, no window standing out on its own, raises no sustained rise (the ramps above still do)", () => {
    fresh();
    // a warning template at ~0.7 a window for a day, then at ~2 for three hours: 0-3 lines a
    // window, never a window that stands out on its own (3 where 0.7 are expected is p ~3%)
    for (let w: i64 = 0; w < 1440; w++) win("svc", T0, w, 40 + <i32>(rnd() % 7) - 3, 8, rnd() % 10 < 7 ? 1 : 0, 1);
    for (let w: i64 = 1440; w < 1620; w++) {
      let r = rnd() % 10;
      win("svc", T0, w, 40 + <i32>(rnd() % 7) - 3, 8, r < 1 ? 0 : r < 3 ? 1 : r < 6 ? 2 : 3, 1);
    }
    expect(count("sustained rise")).toBe(0);
  });
});

describe("detect: weekly shape", () => {
  it("a quiet weekend is learned at its first crossing, not alerted, nor the next (its step at midnight)", () => {
    fresh();
    // T0 is a Monday: days 5, 6, 12, 13 are weekend days at 40% of the weekday traffic
    let first = 0;
    for (let d: i64 = 0; d < 14; d++) {
      let weekend = d % 7 >= 5;
      if (d == 7) { first = count("\"type\":\"rate_drop\""); clearEvents(); }
      steady("shop", T0 + d * DAY, 0, 1440, weekend ? 40 : 100);
    }
    // the first hour of a Saturday a stream has never seen: its weekend level is learned (rate.ts)
    expect(first).toBe(0);
    expect(count("\"type\":\"rate_drop\"")).toBeLessThanOrEqual(1);
    expect(count("\"type\":\"rate_spike\"")).toBe(0);
  });

  it("before three weeks, an hour is expected from days of its own kind (weekdays or weekend)", () => {
    fresh();
    rec("s", T0, 1);
    let b = blockOf(0);
    // 4 weekdays at 100 per window at 03:00, one Saturday at 40 (60 windows each)
    for (let d = 0; d < 4; d++) { let x = howAt(b, d * 24 + 3); x.w = 60; x.s = 6000; x.ss = 60 * 10000; }
    let sat = howAt(b, 5 * 24 + 3); sat.w = 60; sat.s = 2400; sat.ss = 60 * 1600;
    expect(bucketStats(b, 5 * 24 + 3)).toBe(true);
    expect(BM).toBeCloseTo(40.0);
    expect(bucketStats(b, 4 * 24 + 3)).toBe(true);   // Friday: the weekdays'
    expect(BM).toBeCloseTo(100.0);
    // a weekend hour with too little of its own kind falls back to every day
    sat.w = 10; sat.s = 400; sat.ss = 10 * 1600;
    expect(bucketStats(b, 5 * 24 + 3)).toBe(true);
    expect(BM).toBeLessThan(100.0);
    expect(BM).toBeGreaterThan(90.0);
  });
});

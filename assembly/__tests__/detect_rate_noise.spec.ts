// hour_noise.ts and model.ts' seasonContinuity: a stream noisier at one hour of the day, a first
// weekend's profile taking over.
import { T0, W, H, DAY, fresh, rec, count, linesWith, window, steady, rnd } from "./detect_util";
import { Stream, lookupStream, blockOf } from "../detect/state";
import { hourNoiseUp, hourNoiseDown, hourNoiseLearn } from "../detect/hour_noise";

/** n records spread over window w of stream s (templates 1..5). */
function put(s: string, w: i64, n: i32): void {
  for (let i = 0; i < n; i++) rec(s, T0 + w * W + (<i64>i * W) / <i64>(n > 0 ? n : 1) + <i64>(rnd() % 50), <u64>(1 + i % 5));
}

describe("detect/hour_noise: a stream noisier at one hour of the day", () => {
  it("its usual swings at that hour raise nothing, a spike at a calm hour still does", () => {
    fresh();
    // ~22 a window, but from 10:00 to 11:00 each window is 8, 22 or 38; Monday to Thursday 14:00
    let end: i64 = 3 * 1440 + 14 * 60;
    for (let w: i64 = 0; w < end; w++) {
      let hod = (w % 1440) / 60;
      let n = 22 + <i32>(rnd() % 5) - 2;
      if (hod == 10) { let r = rnd() % 3; n = r == 0 ? 8 : r == 1 ? 22 : 38; }
      put("svc", w, n);
    }
    expect(count("\"type\":\"rate_spike\"")).toBe(0);
    // a calm hour: 50 twice where 22 are expected
    put("svc", end, 50);
    put("svc", end + 1, 50);
    put("svc", end + 2, 22);
    expect(count("\"type\":\"rate_spike\"")).toBe(1);
  });
});

describe("detect/model: the profile's detail changing between windows", () => {
  it("a first weekend's buckets taking over keep the expectation continuous (no spike on Saturday night)", () => {
    fresh();
    // 60 a window on weekdays, 24 on the weekend (T0 is a Monday): Monday to Sunday 02:00
    for (let w: i64 = 0; w < 6 * 1440 + 120; w++) {
      let weekend = w >= 5 * 1440;
      put("web", w, (weekend ? 24 : 60) + <i32>(rnd() % 5) - 2);
    }
    expect(count("\"type\":\"rate_spike\"")).toBe(0);
    expect(count("\"type\":\"rate_drop\"")).toBe(0);
  });
});

/** A stream two days old, its current window at 12:00: its block. */
function noon(): usize {
  fresh();
  rec("svc", T0, 1);
  let k = String.UTF8.encode("svc");
  let b = blockOf(lookupStream(changetype<usize>(k), k.byteLength, false));
  let s = changetype<Stream>(b);
  s.windows = 2 * 1440;
  s.ws = T0 + 2 * DAY + 12 * H;
  return b;
}

describe("detect/hour_noise: each side of the noise its own", () => {
  it("counts that follow the model leave both scales at 1, skewed as a small Poisson mean is", () => {
    let b = noon();
    let s = changetype<Stream>(b);
    // Poisson at a mean of 1, in its exact proportions (per 1000: 0 368, 1 368, 2 184, 3 61, 4 15, 5 3)
    let xs: i32[] = [0, 1, 2, 3, 4, 5], ps: i32[] = [368, 368, 184, 61, 15, 3];
    let seq = new Array<i32>();
    for (let i = 0; i < 6; i++) for (let k = 0; k < ps[i]; k++) seq.push(xs[i]);
    let n = seq.length;   // 999; taken in a scrambled order (a stride coprime with it), three times
    for (let k = 0; k < 3 * n; k++) hourNoiseLearn(s, b, <f64>seq[(k * 379) % n] - 1.0, 1.0, 1.0);
    expect(Math.abs(hourNoiseUp(s, b) - 1.0)).toBeLessThan(0.15);
    expect(Math.abs(hourNoiseDown(s, b) - 1.0)).toBeLessThan(0.15);
  });
  it("bursts widen the spike side only: a drop at that hour is judged by the noise below", () => {
    let b = noon();
    let s = changetype<Stream>(b);
    // a mean of 30 (variance 39): every third window 20 above, the others a little below
    for (let i = 0; i < 600; i++) hourNoiseLearn(s, b, i % 3 == 0 ? 20.0 : -3.0, 30.0, 39.0);
    expect(hourNoiseUp(s, b)).toBeGreaterThan(3.0);
    expect(hourNoiseDown(s, b)).toBeLessThan(1.0);
  });
});

// rate.ts' drop run on a stream with days of history: a daemon's fall to under a third caught on
// its run, with the level held while the run leans to a drop (window.ts) and the fall's stretched
// gaps not excused as routine gaps (silence.ts).
import { T0, W, DAY, fresh, rec, count, rnd } from "./detect_util";

/** n records of stream s in window w at random (Poisson-like) times, templates 1..5. */
function scatter(s: string, w: i64, n: i32): void {
  let ts = new Array<i64>(n);
  for (let i = 0; i < n; i++) ts[i] = T0 + w * W + <i64>(rnd() % <u32>W);
  ts.sort((a: i64, b: i64): i32 => a < b ? -1 : a > b ? 1 : 0);
  for (let i = 0; i < n; i++) rec(s, ts[i], <u64>(1 + i % 5));
}

/** A count around m, uniform within +-pct% (at 60% a variance of about 0.12 m^2: over-dispersed). */
function about(m: i32, pct: i32 = 20): i32 {
  let d = m * pct / 100;
  return m + <i32>(rnd() % <u32>(2 * d + 1)) - d;
}

const DAYW: i64 = DAY / W;

describe("detect/rate: a drop run is not learned", () => {
  it("a daemon's fall to under a third, each window under the threshold, is caught on its run before the level follows it down", () => {
    fresh();
    let end = 2 * DAYW + 720;
    for (let w: i64 = 0; w < end; w++) scatter("sshd", w, about(14, 60));
    expect(count("\"type\":\"rate_drop\"")).toBe(0);
    for (let w: i64 = end; w < end + 20; w++) scatter("sshd", w, 4 + <i32>(rnd() % 3) - 1);
    expect(count("\"type\":\"rate_drop\"")).toBe(1);
  });

  it("a fall to a fifth whose first windows fell only part of the way is caught on its deep part", () => {
    fresh();
    let end = 2 * DAYW + 720;
    for (let w: i64 = 0; w < end; w++) scatter("app", w, about(10, 40));
    expect(count("\"type\":\"rate_drop\"")).toBe(0);
    // five windows at 60% (the whole run then never shows a third: the level follows it), then a fifth
    for (let w: i64 = end; w < end + 5; w++) scatter("app", w, 6);
    for (let w: i64 = end + 5; w < end + 25; w++) scatter("app", w, 2 + <i32>(rnd() % 3) - 1);
    expect(count("\"type\":\"rate_drop\"")).toBe(1);
  });

  it("a deploy's dip to a fifth for two minutes is no drop", () => {
    fresh();
    let end = 2 * DAYW + 720;
    for (let w: i64 = 0; w < end; w++) scatter("app", w, about(10, 40));
    for (let k: i64 = 0; k < 6; k++) {
      let t0 = end + k * 60;
      scatter("app", t0, 6);
      scatter("app", t0 + 1, 2);
      scatter("app", t0 + 2, 2);
      scatter("app", t0 + 3, 6);
      for (let w: i64 = t0 + 4; w < t0 + 60; w++) scatter("app", w, about(10, 40));
    }
    expect(count("\"type\":\"rate_drop\"")).toBe(0);
  });
});

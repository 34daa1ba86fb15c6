// hour_noise.ts and model.ts' seasonContinuity: a stream noisier at one hour of the day, a first
// weekend's profile taking over.
import { T0, W, H, DAY, fresh, rec, count, linesWith, window, steady, rnd } from "./detect_util";

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

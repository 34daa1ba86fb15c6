// error_cusum.ts: slow, low-count error rises no single window shows.
import { fresh, count, linesWith, window, steady } from "./detect_util";

describe("detect/error_cusum: accumulated evidence", () => {
  it("a sustained 3x rise of 2 errors per window alerts once, with accumulated_windows", () => {
    fresh();
    steady("api", 0, 60, 150, 2);
    for (let w: i64 = 60; w < 62; w++) window("api", w, 150, 6);
    expect(count("\"type\":\"error_spike\"")).toBe(0);        // no single window shows it
    for (let w: i64 = 62; w < 72; w++) window("api", w, 150, 6);
    expect(count("\"type\":\"error_spike\"")).toBe(1);
    let l = linesWith("\"type\":\"error_spike\"")[0];
    expect(l.includes("\"accumulated_windows\":")).toBe(true);
    expect(l.includes("sustained rise over ")).toBe(true);
  });
  it("a share a little above its mean (x1.5) piles up no alert", () => {
    fresh();
    steady("api", 0, 60, 150, 2);
    for (let w: i64 = 60; w < 100; w++) window("api", w, 150, 3);
    expect(count("\"type\":\"error_spike\"")).toBe(0);
  });
  it("a small stream's one or two errors a window, where one in twenty windows has one, alerts", () => {
    // 20 records a window, an error every 20th window (0.05 expected): then 1-2 errors in every
    // window, a 20-40x rise that no window shows (3 errors is every window's floor) and that the
    // 4x CUSUM would credit at half the rate
    fresh();
    for (let w: i64 = 0; w < 400; w++) window("small", w, 20, w % 20 == 7 ? 1 : 0);
    expect(count("\"type\":\"error_spike\"")).toBe(0);
    for (let w: i64 = 400; w < 408; w++) window("small", w, 20, w % 3 == 1 ? 2 : 1);
    expect(count("\"type\":\"error_spike\"")).toBe(1);
    expect(linesWith("\"type\":\"error_spike\"")[0].includes("sustained rise over ")).toBe(true);
  });
  it("a rise of sparse errors does not teach the error noise it is judged against", () => {
    // 20 records a window, an error every 25th window (0.04 expected); then one error in two
    // windows out of three (17x): learned as noise while the CUSUM stood at the threshold, those
    // windows' errors lifted the over-dispersion until the CUSUM stalled under the strong bar (no
    // alert in 60 windows); unlearned, it alerts about 20 windows in
    fresh();
    for (let w: i64 = 0; w < 500; w++) window("cdn", w, 20, w % 25 == 7 ? 1 : 0);
    expect(count("\"type\":\"error_spike\"")).toBe(0);
    for (let w: i64 = 500; w < 530; w++) window("cdn", w, 20, w % 3 == 2 ? 0 : 1);
    expect(count("\"type\":\"error_spike\"")).toBe(1);
  });
  it("one error in most windows of a stream that has one in every other window piles up no alert", () => {
    fresh();
    for (let w: i64 = 0; w < 400; w++) window("small", w, 20, w % 2 == 0 ? 1 : 0);
    for (let w: i64 = 400; w < 440; w++) window("small", w, 20, w % 4 == 0 ? 0 : 1);
    expect(count("\"type\":\"error_spike\"")).toBe(0);
  });
});

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
});

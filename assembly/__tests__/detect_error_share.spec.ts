// error_share.ts: error_spike from one window's errors against the learned share.
import { fresh, count, linesWith, window, steady } from "./detect_util";

describe("detect/error_share: error_spike", () => {
  it("a share far above expectation alerts in its own window, as a share", () => {
    fresh();
    steady("api", 0, 40, 200, 2);
    window("api", 40, 200, 40);
    expect(count("\"type\":\"error_spike\"")).toBe(1);
    let l = linesWith("\"type\":\"error_spike\"")[0];
    expect(l.includes("\"description\":\"Error rate spike: ")).toBe(true);
    expect(l.includes("\"partial\":true")).toBe(true);   // strong evidence: at a checkpoint
    expect(l.includes("\"top_templates\":[{\"template_id\":\"0000000000000009\"")).toBe(true);
    expect(l.includes("\"accumulated_windows\"")).toBe(false);   // the share's own evidence
    expect(count("\"type\":\"rate_spike\"")).toBe(0);
  });
  it("below error_ratio x the expected share is not a spike", () => {
    fresh();
    steady("api", 0, 40, 200, 4);
    window("api", 40, 200, 7);
    window("api", 41, 200, 7);
    expect(count("\"type\":\"error_spike\"")).toBe(0);
  });
  it("one alert per episode, then resolved when errors are back to normal", () => {
    fresh();
    steady("api", 0, 40, 200, 2);
    for (let w: i64 = 40; w < 43; w++) window("api", w, 200, 40);
    expect(count("\"type\":\"error_spike\"")).toBe(1);
    steady("api", 43, 50, 200, 2);
    expect(count("\"resolves\":\"error_spike\"")).toBe(1);
  });
  it("under 3 errors a window confirms the one before it: a small stream's burst of 3, then 2", () => {
    fresh();
    for (let w: i64 = 0; w < 200; w++) window("q", w, 20, w % 40 == 0 ? 1 : 0);   // ~0.03 errors a window
    window("q", 200, 20, 3);   // z ~4: pending, under the strong bar
    expect(count("\"type\":\"error_spike\"")).toBe(0);
    window("q", 201, 20, 2);
    window("q", 202, 20, 0);   // closes 201
    expect(count("\"type\":\"error_spike\"")).toBe(1);
  });
});

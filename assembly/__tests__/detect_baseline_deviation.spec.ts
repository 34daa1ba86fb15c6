// baseline_deviation.ts: a window against a loaded baseline's profile.
import { ByteBuf } from "../core/byte_buf";
import { detectExportBaseline, detectLoadBaseline, detectReset } from "../detect/index";
import { fresh, count, linesWith, clearEvents, window, steady } from "./detect_util";

describe("detect/baseline_deviation", () => {
  it("errors far above the baseline's share alert against it; without a baseline nothing does", () => {
    fresh();
    steady("web", 0, 60, 100, 1);
    let a = new ByteBuf(1024);
    detectExportBaseline(a);
    detectReset();
    expect(detectLoadBaseline(a.ptr, a.len)).toBeNull();
    clearEvents();
    window("web", 7 * 1440, 100, 1);          // a week later, the same hour of week
    window("web", 7 * 1440 + 1, 100, 1);
    window("web", 7 * 1440 + 2, 100, 30);
    window("web", 7 * 1440 + 3, 100, 1);
    expect(count("\"type\":\"baseline_deviation\"")).toBe(1);
    expect(linesWith("\"type\":\"baseline_deviation\"")[0].includes("\"description\":\"Error rate vs baseline: ")).toBe(true);
    fresh();
    steady("web", 0, 60, 100, 1);
    window("web", 60, 100, 30);
    window("web", 61, 100, 1);
    expect(count("\"type\":\"baseline_deviation\"")).toBe(0);
  });
});

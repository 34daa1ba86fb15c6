// The level fallback's error-keyword answer kept in the miner's message caches (miner/index.ts,
// minerPeek): a message seen before, or one that differs from it in digits only, gets the answer
// without a scan, and the answer never outlives the patterns it was found with.
import { analyse } from "../pipeline/pipeline";
import { CFG, utf8 } from "../core/config";
import { levelName } from "../core/levels";
import { minerReset } from "../miner/index";

const TAG = utf8("app");

/** The level analyse() gives the raw line s (mined, so its answers are kept). */
function lv(s: string): string {
  let b = String.UTF8.encode(s);
  let a = analyse(changetype<usize>(TAG), <usize>TAG.length, 1718452800000, changetype<usize>(b), <usize>b.byteLength, true);
  return levelName(a!.rec.level);
}

describe("level fallback answers cached with the miner", () => {
  beforeEach(() => { minerReset(); });

  it("a message that differs in digits only gets the same answer", () => {
    expect(lv("connection 12 failed after 300 ms")).toBe("error");
    expect(lv("connection 7 failed after 4 ms")).toBe("error");
    expect(lv("connection 12 closed after 300 ms")).toBe("info");
    expect(lv("connection 9 closed after 1 ms")).toBe("info");
  });
  it("new patterns are not answered from answers found with the old ones", () => {
    let saved = CFG.errorPatterns;
    expect(lv("job 1 timed out")).toBe("info");
    CFG.errorPatterns = [utf8("timed out")];
    expect(lv("job 1 timed out")).toBe("error");
    expect(lv("job 2 timed out")).toBe("error");
    CFG.errorPatterns = saved;
    expect(lv("job 3 timed out")).toBe("info");
  });
  it("with a digit in a pattern, only byte-identical messages share an answer", () => {
    let saved = CFG.errorPatterns;
    CFG.errorPatterns = [utf8("e5")];
    expect(lv("status e5 seen")).toBe("error");
    expect(lv("status e6 seen")).toBe("info");
    expect(lv("status e5 seen")).toBe("error");
    CFG.errorPatterns = saved;
  });
});

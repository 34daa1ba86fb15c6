// rate.ts: rate_spike and rate_drop on crafted volumes.
import { JV, JV_OBJ, JV_BOOL } from "../core/json_value";
import { configureDetect } from "../detect/index";
import { T0, W, fresh, rec, count, linesWith, window, steady } from "./detect_util";

function detectorOff(key: string): void {
  let o = new JV(); o.kind = JV_OBJ;
  let v = new JV(); v.kind = JV_BOOL; v.b = false;
  o.keys.push(key); o.vals.push(v);
  expect(configureDetect(o)).toBeNull();
}

describe("detect/rate: rate_spike", () => {
  it("a volume spike alerts once it lasts into a second window, with its rate per minute", () => {
    fresh();
    steady("web", 0, 60, 100);
    window("web", 60, 600);
    expect(count("\"type\":\"rate_spike\"")).toBe(0);     // volume alone must last
    window("web", 61, 600);
    expect(count("\"type\":\"rate_spike\"")).toBe(1);
    let l = linesWith("\"type\":\"rate_spike\"")[0];
    expect(l.includes("\"severity\":\"critical\"")).toBe(true);
    expect(l.includes("\"description\":\"Event rate spike: ")).toBe(true);
    expect(l.includes("\"partial\":true")).toBe(true);   // at a checkpoint of the second window
    expect(count("\"type\":\"rate_drop\"")).toBe(0);
  });
  it("one window's burst followed by normal volume raises nothing", () => {
    fresh();
    steady("web", 0, 60, 100);
    window("web", 60, 600);
    steady("web", 61, 70, 100);
    expect(count("\"type\":\"rate_spike\"")).toBe(0);
  });
  it("lines of templates first seen in the window do not count as volume", () => {
    fresh();
    steady("app", 0, 60, 100);
    for (let w: i64 = 60; w < 62; w++) {
      for (let k = 0; k < 150; k++)   // 150 new-template lines each window
        rec("app", T0 + w * W + 500 + <i64>k * 10, 300 + <u64>(w * 1000) + <u64>(k / 10), 0, "Starting worker", k % 10 == 0);
      window("app", w, 100);
    }
    window("app", 62, 100);
    expect(count("\"type\":\"rate_spike\"")).toBe(0);
  });
});

describe("detect/rate: rate_drop", () => {
  it("a drop that still leaves records alerts in its third window", () => {
    fresh();
    steady("web", 0, 40, 200);
    window("web", 40, 10);
    window("web", 41, 10);
    expect(count("\"type\":\"rate_drop\"")).toBe(0);
    window("web", 42, 10);
    expect(count("\"type\":\"rate_drop\"")).toBe(1);
    expect(linesWith("\"type\":\"rate_drop\"")[0].includes("\"description\":\"Event rate drop: ")).toBe(true);
    expect(count("\"type\":\"rate_spike\"")).toBe(0);
  });
  it("a small stream's lasting drop alerts on its pooled evidence (each window under the threshold); a three-window dip does not", () => {
    fresh();
    steady("svc", 0, 1500, 10);                 // a day and more: its hours are known
    for (let w: i64 = 1500; w < 1503; w++) window("svc", w, 2);   // z ~2.8 a window, three windows
    steady("svc", 1503, 1530, 10);
    expect(count("\"type\":\"rate_drop\"")).toBe(0);
    for (let w: i64 = 1530; w < 1533; w++) window("svc", w, 2);
    expect(count("\"type\":\"rate_drop\"")).toBe(0);
    window("svc", 1533, 2);
    window("svc", 1534, 2);
    expect(count("\"type\":\"rate_drop\"")).toBe(1);
    expect(count("\"type\":\"rate_spike\"")).toBe(0);
  });
  it("a stream that dwindles and then stops is a silence, not also a drop run", () => {
    fresh();
    for (let w: i64 = 0; w < 1500; w++) { window("svc", w, 10); window("web", w, 100); }
    for (let w: i64 = 1500; w < 1503; w++) { window("svc", w, 2); window("web", w, 100); }
    for (let w: i64 = 1503; w < 1515; w++) window("web", w, 100);   // svc silent, web flows
    expect(count("\"type\":\"silence\",\"severity\":\"warning\",\"stream\":\"svc\"")).toBe(1);
    expect(count("\"type\":\"rate_drop\"")).toBe(0);
  });
  it("the first crossing into a weekend is learned, not alerted; the same step mid-week is a drop", () => {
    fresh();
    let fri: i64 = 4 * 1440, sat: i64 = 5 * 1440;   // T0 is a Monday
    steady("web", fri, sat, 100);                       // a Friday of history
    steady("web", sat, sat + 60, 40);                   // Saturday 00:00: 40% of the weekdays
    expect(count("\"type\":\"rate_drop\"")).toBe(0);
    fresh();
    steady("web", fri, fri + 1440 + 600, 100);          // ... a Saturday that looked like Friday
    steady("web", fri + 1440 + 600, fri + 1440 + 660, 40);   // Saturday 10:00
    expect(count("\"type\":\"rate_drop\"")).toBe(1);
  });
  it("rate_detector: false silences both", () => {
    fresh();
    detectorOff("rate_detector");
    steady("web", 0, 40, 200);
    for (let w: i64 = 40; w < 44; w++) window("web", w, 10);
    steady("web", 44, 60, 200);
    for (let w: i64 = 60; w < 63; w++) window("web", w, 1200);
    expect(count("\"type\":\"rate_drop\"")).toBe(0);
    expect(count("\"type\":\"rate_spike\"")).toBe(0);
  });
});

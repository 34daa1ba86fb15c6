// pattern.ts: pattern_spike of one template against its own expectation.
import { T0, W, fresh, rec, count, linesWith, window, steady } from "./detect_util";
import { ByteBuf } from "../core/byte_buf";
import { detectWindowLog, detectSetWindowLog } from "../detect/index";

/** 40 windows of 199 round-robin lines (templates 1..5) and one line of template 7. */
function history(): void {
  for (let w: i64 = 0; w < 40; w++) {
    for (let i = 0; i < 199; i++) rec("sys", T0 + w * W + <i64>i * 300, <u64>(1 + i % 5));
    rec("sys", T0 + w * W + 59900, 7);
  }
}

describe("detect/pattern: pattern_spike", () => {
  it("a template that is most of its stream is judged as the stream's volume, not as a pattern", () => {
    fresh();
    // one template, 20 lines a minute, then 200 a minute: the rate detector's case alone
    for (let w: i64 = 0; w < 62; w++) {
      let n = w < 60 ? 20 : 200;
      for (let i = 0; i < n; i++) rec("one", T0 + w * W + <i64>i * (W / <i64>n), 1);
    }
    detectSetWindowLog(true);
    for (let i = 0; i < 20; i++) rec("one", T0 + 62 * W + <i64>i * 3000, 1);
    let out = new ByteBuf(256);
    detectWindowLog(out);
    detectSetWindowLog(false);
    let text = String.UTF8.decodeUnsafe(out.ptr, out.len);
    // the window of 200 closed with a rate spike and no pattern evidence
    expect(text.includes("\"count\":200")).toBe(true);
    expect(text.includes("\"pattern_spike\":0,")).toBe(true);
    expect(text.includes("\"rate_spike\":0,")).toBe(false);
    expect(count("\"type\":\"pattern_spike\"")).toBe(0);
    expect(count("\"type\":\"rate_spike\"")).toBe(1);
  });
  it("one template bursting while the volume barely moves alerts, naming the template", () => {
    fresh();
    history();
    for (let w: i64 = 40; w < 42; w++)
      for (let i = 0; i < 200; i++) rec("sys", T0 + w * W + <i64>i * 300, i < 60 ? 7 : <u64>(1 + i % 5));
    rec("sys", T0 + 42 * W + 3000, 1);
    expect(count("\"type\":\"pattern_spike\"")).toBe(1);
    let l = linesWith("\"type\":\"pattern_spike\"")[0];
    expect(l.includes("\"template_id\":\"0000000000000007\"")).toBe(true);
    expect(l.includes("\"description\":\"Pattern spike: one template ")).toBe(true);
    expect(count("\"type\":\"rate_spike\"")).toBe(0);
  });
  it("a uniform surge of every template is a rate spike, not a pattern spike", () => {
    fresh();
    steady("web", 0, 60, 100);
    window("web", 60, 600);
    window("web", 61, 600);
    window("web", 62, 100);
    expect(count("\"type\":\"rate_spike\"")).toBe(1);
    expect(count("\"type\":\"pattern_spike\"")).toBe(0);
  });
});

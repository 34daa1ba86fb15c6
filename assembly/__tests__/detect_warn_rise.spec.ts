import { T0, H, DAY, fresh, rec, rnd, count, linesWith, clearEvents } from "./detect_util";
import { CFG } from "../core/config";
import { configureDetect, detectReset, detectExportBaseline, detectLoadBaseline, detectSetWindowLog, detectWindowLog } from "../detect/index";
import { ByteBuf } from "../core/byte_buf";

/** One line a second from `from` to `to`, all of one template; a share of them at warning level:
 *  `base`, ramping linearly to `top` over [rampFrom, rampTo) and staying there until `to`. */
function lines(from: i64, to: i64, base: f64, top: f64, rampFrom: i64, rampTo: i64): void {
  for (let t = from; t < to; t += 1000) {
    let p = base;
    if (t >= rampFrom) p = t >= rampTo ? top : base + (top - base) * <f64>(t - rampFrom) / <f64>(rampTo - rampFrom);
    let warn = <f64>(rnd() % 100000) < p * 100000;
    rec("edge", t, 1, warn ? 1 : 0, warn ? "GET /assets/missing/1.png 404" : "GET /api/items/1 200");
  }
}

describe("detect: slow warning rises", () => {
  it("warnings creeping from 5% to 35% of a stream over two hours alert as pattern_spike within the ramp", () => {
    fresh();
    // one template carries every line (nginx's 404s are mined into its one request template):
    // no template test can see the rise, the stream's warnings do
    let r0 = T0 + DAY + 10 * H, r1 = r0 + 2 * H;
    detectSetWindowLog(true);
    lines(T0, r1, 0.05, 0.35, r0, r1);
    let s = linesWith("\"type\":\"pattern_spike\"");
    expect(s.length).toBeGreaterThanOrEqual(1);
    expect(s[0].includes("Warning lines rising")).toBe(true);
    expect(s[0].includes("sustained rise over")).toBe(true);
    // the templates that carry the warnings are named (here the stream's one template)
    expect(s[0].includes("\"top_templates\":[{\"template_id\":\"0000000000000001\"")).toBe(true);
    // the window log shows the CUSUM at the strong bar
    let o = new ByteBuf(1 << 16);
    detectWindowLog(o);
    detectSetWindowLog(false);
    expect(String.UTF8.decodeUnsafe(o.ptr, o.len).includes("\"warn_cusum\":4.5")).toBe(true);
    // not before the ramp, and no other alert
    expect(s[0].includes("\"window_start\":\"2024-01-16T1")).toBe(true);
    expect(count("\"severity\":\"critical\"") + count("\"severity\":\"warning\"")).toBe(s.length);
  });

  it("a stream warmed from a baseline (which holds no warning share) learns it live and flags the ramp", () => {
    fresh();
    lines(T0, T0 + DAY, 0.05, 0.05, i64.MAX_VALUE, i64.MAX_VALUE);
    let a = new ByteBuf(1 << 16);
    detectExportBaseline(a);
    detectReset();
    expect(detectLoadBaseline(a.ptr, a.len)).toBeNull();
    clearEvents();
    let d0 = T0 + 7 * DAY;
    lines(d0, d0 + 10 * H, 0.05, 0.05, i64.MAX_VALUE, i64.MAX_VALUE);
    expect(count("\"type\":\"pattern_spike\"")).toBe(0);
    lines(d0 + 10 * H, d0 + 12 * H, 0.05, 0.35, d0 + 10 * H, d0 + 12 * H);
    let s = linesWith("\"type\":\"pattern_spike\"");
    expect(s.length).toBeGreaterThanOrEqual(1);
    expect(s[0].includes("Warning lines rising")).toBe(true);
  });

  it("a steady 5% of warnings for three days raises nothing", () => {
    fresh();
    lines(T0, T0 + 3 * DAY, 0.05, 0.05, i64.MAX_VALUE, i64.MAX_VALUE);
    expect(count("\"severity\":\"critical\"") + count("\"severity\":\"warning\"")).toBe(0);
  });
});

describe("detect: slow template rises in streams of few templates", () => {
  it("a warning template creeping from 10% to 40% of a stream of two templates alerts as itself", () => {
    fresh();
    // the template's rise test holds at most the strong bar's evidence; its alert adds the window's
    // own (at the cap alone its z was a hair under the bar with fewer than seven templates: it never
    // alerted, and only the stream's warning test, later and naming no template, did)
    let r0 = T0 + DAY + 10 * H, r1 = r0 + 2 * H;
    for (let t = T0; t < r1; t += 1000) {
      let p = t < r0 ? 0.1 : 0.1 + 0.3 * <f64>(t - r0) / <f64>(r1 - r0);
      let two = <f64>(rnd() % 100000) < p * 100000;
      rec("two", t, two ? 2 : 1, two ? 1 : 0, two ? "cache refresh slow for key 7" : "GET /api/items/1 200");
    }
    let s = linesWith("\"type\":\"pattern_spike\"");
    expect(s.length).toBeGreaterThanOrEqual(1);
    expect(s[0].includes("sustained rise over")).toBe(true);
    expect(s[0].includes("\"template_id\":\"0000000000000002\"")).toBe(true);
    expect(s[0].includes("\"window_start\":\"2024-01-16T1")).toBe(true);
  });
});

describe("detect: a stream of one template", () => {
  it("its daily swing in volume is never a template's sustained rise (the rate judges volume, with its seasonality)", () => {
    fresh();
    // 30-minute windows (as NAB's taxi counts): one template, no warnings, 50 lines a window at
    // night and 600 at the afternoon's peak, a week. A template's mean has no time of day: its rise
    // CUSUM climbs every morning, as the stream's seasonal expectation does not
    CFG.windowSize = 1800;
    configureDetect(null);
    detectReset();
    let t = T0;
    while (t < T0 + 7 * DAY) {
      let h = <f64>((t - T0) % DAY) / <f64>H;
      let sv = Math.sin(2 * Math.PI * (h - 8) / 24);
      let perWin = 50 + 550 * (sv > 0 ? sv : 0);
      rec("one", t, 1);
      t += <i64>(1800000.0 / perWin);
    }
    expect(count("sustained rise")).toBe(0);
  });
});

import { T0, W, H, DAY, fresh, rec, beat, count, linesWith, events, clearEvents, Fleet } from "./detect_util";

describe("detect: the module clock and silence", () => {
  it("a stream that stops while others flow is reported silent within 3 windows, on other records", () => {
    fresh();
    let f = new Fleet().add("web", 1000).add("api", 2000).add("sys", 5000);
    f.silence(1, T0 + 2 * H, T0 + 2 * H + 20 * 60000);
    f.run(T0, T0 + 2 * H + 30 * 60000);
    let s = linesWith("\"type\":\"silence\"");
    expect(s.length).toBeGreaterThanOrEqual(1);
    expect(s[0].includes("\"stream\":\"api\"")).toBe(true);
    // the first report comes while api is still silent, within 3 windows of its last record
    let at = s[0].indexOf("\"silent_seconds\":");
    let secs = I32.parseInt(s[0].substring(at + 17, s[0].indexOf(",", at)));
    expect(secs).toBeLessThanOrEqual(180);
    expect(secs).toBeGreaterThanOrEqual(15);
    // one incident, one type: its empty windows are not also rate drops; it resolves on return
    // (nor its last empty window, which closes after the stream is back)
    let drops = linesWith("\"type\":\"rate_drop\"");
    for (let i = 0; i < drops.length; i++) expect(drops[i].includes("\"stream\":\"api\"")).toBe(false);
    expect(count("\"resolves\":\"silence\"")).toBe(1);
    expect(count("\"stream\":\"web\"")).toBe(0);
    expect(count("\"stream\":\"sys\"")).toBe(0);
  });

  it("a slow stream's level does not learn its alerted silence: its return is no rate spike", () => {
    fresh();
    let f = new Fleet().add("web", 1000).add("met", 12500);   // met: 4.8 records a window
    f.silence(1, T0 + 3 * H, T0 + 3 * H + 20 * 60000);
    f.run(T0, T0 + 3 * H + 40 * 60000);
    expect(count("\"type\":\"silence\",\"severity\":\"warning\",\"stream\":\"met\"")).toBe(1);
    expect(count("\"type\":\"rate_spike\"")).toBe(0);
  });

  it("heartbeats alone keep the clock going when every stream is quiet", () => {
    fresh();
    let f = new Fleet().add("only", 1000);
    f.silence(0, T0 + 2 * H, T0 + 3 * H);
    f.run(T0, T0 + 2 * H + 10 * 60000, 1000);
    expect(count("\"type\":\"silence\",\"severity\":\"warning\",\"stream\":\"only\"")).toBe(1);
    // without heartbeats nothing can report it before the stream's next record
    fresh();
    let g = new Fleet().add("only", 1000);
    g.silence(0, T0 + 2 * H, T0 + 3 * H);
    g.run(T0, T0 + 2 * H + 10 * 60000);
    expect(count("\"type\":\"silence\"")).toBe(0);
  });

  it("a one-stream replay reports a silence late, when the stream resumes, and no drop for it", () => {
    fresh();
    let f = new Fleet().add("only", 1000);
    f.silence(0, T0 + 2 * H, T0 + 2 * H + 20 * 60000);
    f.run(T0, T0 + 2 * H + 30 * 60000);
    expect(count("\"type\":\"silence\",\"severity\":\"critical\",\"stream\":\"only\"")).toBe(1);
    expect(count("\"resolves\":\"silence\"")).toBe(1);
    expect(count("\"type\":\"rate_drop\"")).toBe(0);
  });

  it("a long silence escalates once to critical", () => {
    fresh();
    let f = new Fleet().add("web", 1000).add("api", 1000);
    f.silence(1, T0 + 2 * H, T0 + 3 * H);
    f.run(T0, T0 + 2 * H + 30 * 60000);
    expect(count("\"type\":\"silence\",\"severity\":\"warning\",\"stream\":\"api\"")).toBe(1);
    expect(count("\"type\":\"silence\",\"severity\":\"critical\",\"stream\":\"api\"")).toBe(1);
  });

  it("streams quiet by nature are not silent: sparse lines, lines every 20 s", () => {
    fresh();
    let f = new Fleet().add("web", 1000).add("sparse", 15 * 60000).add("batch", 20000);
    f.run(T0, T0 + 8 * H);
    expect(count("\"type\":\"silence\"")).toBe(0);
  });

  it("a busy stream's half-minute outage is a short silence from its third day, at hours with no routine quiet", () => {
    fresh();
    let f = new Fleet().add("web", 1000).add("api", 500);
    // its first day: too young to know its quiet moments
    f.silence(1, T0 + 12 * H, T0 + 12 * H + 40000);
    f.run(T0, T0 + DAY);
    expect(count("\"type\":\"silence\"")).toBe(0);
    // its third day, at noon: quiet for 40 s at that hour before, so routine
    f.silence(1, T0 + 2 * DAY + 12 * H, T0 + 2 * DAY + 12 * H + 40000);
    f.run(T0 + DAY, T0 + 2 * DAY + 13 * H);
    expect(count("\"type\":\"silence\"")).toBe(0);
    // at 15:00, never quiet before: 40 s without its 2 records a second is an outage
    f.silence(1, T0 + 2 * DAY + 15 * H, T0 + 2 * DAY + 15 * H + 40000);
    f.run(T0 + 2 * DAY + 13 * H, T0 + 2 * DAY + 16 * H);
    let s = linesWith("\"type\":\"silence\"");
    expect(s.length).toBe(1);
    expect(s[0].includes("\"severity\":\"warning\",\"stream\":\"api\"")).toBe(true);
    let at = s[0].indexOf("\"silent_seconds\":");
    let secs = I32.parseInt(s[0].substring(at + 17, s[0].indexOf(",", at)));
    expect(secs).toBeGreaterThanOrEqual(30);
    expect(secs).toBeLessThanOrEqual(41);
    // 20 s is no outage
    clearEvents();
    f.silence(1, T0 + 2 * DAY + 17 * H, T0 + 2 * DAY + 17 * H + 20000);
    f.run(T0 + 2 * DAY + 16 * H, T0 + 2 * DAY + 18 * H);
    expect(count("\"type\":\"silence\"")).toBe(0);
  });

  it("streams too slow to show a half-minute outage alone show it together (a service that stops)", () => {
    fresh();
    // four daemons of 15 lines a minute (8 expected in 30 s: z ~3.6 alone) and a busy stream
    let f = new Fleet().add("web", 1000).add("a", 4000).add("b", 4000).add("c", 4000).add("d", 4000);
    // one of them quiet for 30 s on its third day: not enough alone
    f.silence(2, T0 + 2 * DAY + 15 * H, T0 + 2 * DAY + 15 * H + 30000);
    f.run(T0, T0 + 2 * DAY + 16 * H);
    expect(count("\"type\":\"silence\"")).toBe(0);
    // all four quiet for the same 30 s, while web flows: one alert, on one of them, naming four
    for (let i = 1; i <= 4; i++) f.silence(i, T0 + 2 * DAY + 17 * H, T0 + 2 * DAY + 17 * H + 30000);
    f.run(T0 + 2 * DAY + 16 * H, T0 + 2 * DAY + 18 * H);
    let s = linesWith("\"type\":\"silence\"");
    expect(s.length).toBe(1);
    expect(s[0].includes("\"streams_silent\":4")).toBe(true);
    expect(s[0].includes("\"stream\":\"web\"")).toBe(false);
    expect(count("\"resolves\":\"silence\"")).toBe(1);
  });

  it("three slow streams quiet together for half a minute, among slower ones, are an outage (the churn's tail taken to its saddle point)", () => {
    fresh();
    // three daemons of 15 lines a minute, three of 3 a minute (always partly quiet: the churn) and a
    // busy stream; the Chernoff bound alone put the three's quiet at z ~4.2, under the strong bar
    let f = new Fleet().add("web", 1000).add("a", 4000).add("b", 4000).add("c", 4000).add("d", 20000).add("e", 20000).add("g", 20000);
    for (let i = 1; i <= 3; i++) f.silence(i, T0 + 2 * DAY + 17 * H, T0 + 2 * DAY + 17 * H + 30000);
    f.run(T0, T0 + 2 * DAY + 18 * H);
    let s = linesWith("\"type\":\"silence\"");
    expect(s.length).toBe(1);
    // on one of the three (a slower one may be quiet with them by chance: three or four together)
    expect(s[0].includes("\"stream\":\"a\"") || s[0].includes("\"stream\":\"b\"") || s[0].includes("\"stream\":\"c\"")).toBe(true);
    expect(s[0].includes("\"streams_silent\":3") || s[0].includes("\"streams_silent\":4")).toBe(true);
  });

  it("a service back from a half-minute outage is seen as it resumes: the first stream back finds the others quiet for all of it", () => {
    fresh();
    // four daemons of 10 lines a minute among slower ones: 20 s of their quiet (what the periodic
    // sweep sees of a 30 s outage) is under the strong bar; the whole 30 s, seen as the first of
    // them resumes, is over it
    let f = new Fleet().add("web", 1000).add("a", 6000).add("b", 6000).add("c", 6000).add("h", 6000)
      .add("d", 20000).add("e", 20000).add("g", 20000);
    for (let i = 1; i <= 4; i++) f.silence(i, T0 + 2 * DAY + 17 * H, T0 + 2 * DAY + 17 * H + 30000);
    f.run(T0, T0 + 2 * DAY + 18 * H);
    let s = linesWith("\"type\":\"silence\"");
    expect(s.length).toBe(1);
    expect(s[0].includes("\"stream\":\"a\"") || s[0].includes("\"stream\":\"b\"") || s[0].includes("\"stream\":\"c\"") ||
           s[0].includes("\"stream\":\"h\"")).toBe(true);
    expect(s[0].includes("\"silent_seconds\":3")).toBe(true);
  });

  it("a gap at the same hour every day (log rotation at midnight) stops alerting once seen", () => {
    fresh();
    let f = new Fleet().add("web", 1000).add("app", 2000);
    for (let d: i64 = 1; d < 4; d++) {
      f.silence(1, T0 + d * DAY, T0 + d * DAY + 50000);
      f.run(T0 + (d - 1) * DAY, T0 + d * DAY + H);
      if (d == 1) clearEvents();           // its first night may alert: nothing to tell it apart
      f.run(T0 + d * DAY + H, T0 + d * DAY + 2 * H);
    }
    expect(count("\"type\":\"silence\"")).toBe(0);
    expect(count("\"type\":\"rate_drop\"")).toBe(0);
  });

  it("a stream quiet every night is not silent in the night, though no gap of its starts then", () => {
    fresh();
    let f = new Fleet().add("web", 1000).add("ops", 2 * 60000);
    // "ops" writes from 06:00 to 22:00 only
    let t = T0;
    for (let d: i64 = 0; d < 4; d++) {
      // (one silence interval per stream: each night's is set once the night before has passed)
      f.silence(1, T0 + d * DAY + 22 * H, T0 + (d + 1) * DAY + 6 * H);
      f.run(t, T0 + (d + 1) * DAY + 30 * 60000);
      t = T0 + (d + 1) * DAY + 30 * 60000;
      if (d == 3) { clearEvents(); rec("ops", t, 1); }   // one late line at 00:30
      if (d < 3) { f.run(t, T0 + (d + 1) * DAY + 7 * H); t = T0 + (d + 1) * DAY + 7 * H; }
    }
    f.run(t, T0 + 4 * DAY + 5 * H);
    expect(count("\"type\":\"silence\"")).toBe(0);
    // the same stream silent in its day hours still is
    f.silence(1, T0 + 4 * DAY + 9 * H, T0 + 4 * DAY + 12 * H);
    f.run(T0 + 4 * DAY + 5 * H, T0 + 4 * DAY + 11 * H);
    expect(count("\"type\":\"silence\",\"severity\":\"critical\",\"stream\":\"ops\"")).toBe(1);
  });

  it("in its first two days a stream's longest gap at any hour may be routine; later its hours are its own", () => {
    fresh();
    let f = new Fleet().add("web", 1000).add("ops", 3 * 60000);
    f.silence(1, T0 + 22 * H, T0 + DAY + 3 * H);          // a 5-hour quiet on its first night
    f.run(T0, T0 + DAY + 8 * H);
    clearEvents();
    f.silence(1, T0 + DAY + 10 * H, T0 + DAY + 12 * H);   // 2 hours quiet on its second morning
    f.run(T0 + DAY + 8 * H, T0 + DAY + 13 * H);
    expect(count("\"type\":\"silence\"")).toBe(0);
    f.silence(1, T0 + 3 * DAY + 15 * H, T0 + 3 * DAY + 17 * H);   // the same on its fourth afternoon
    f.run(T0 + DAY + 13 * H, T0 + 3 * DAY + 18 * H);
    expect(count("\"type\":\"silence\",\"severity\":\"critical\",\"stream\":\"ops\"")).toBe(1);
  });

  it("a stream that writes its lines in bunches is judged by bunches: six missed bunches are no silence, twenty are", () => {
    // "dhcp": four lines within a second, every 20 s (12 lines a minute, steady); "web" keeps the clock
    for (let pass = 0; pass < 2; pass++) {
      fresh();
      let f = new Fleet().add("web", 1000);
      let t: i64 = T0;
      let end: i64 = T0 + 9 * H;
      let skipFrom: i64 = T0 + 8 * H;
      let skipTo: i64 = skipFrom + (pass == 0 ? 6 : 20) * 20000;
      for (let next: i64 = T0; next < end; next += 20000) {
        f.run(t, next);
        t = next;
        if (!(next >= skipFrom && next < skipTo)) for (let k = 0; k < 4; k++) rec("dhcp", next + <i64>k * 200, <u64>(1 + k));
      }
      let n = count("\"type\":\"silence\",\"severity\":\"critical\",\"stream\":\"dhcp\"") + count("\"type\":\"silence\",\"severity\":\"warning\",\"stream\":\"dhcp\"");
      if (pass == 0) expect(n).toBe(0); else expect(n).toBeGreaterThanOrEqual(1);
    }
  });

  it("a stream replayed from an earlier period keeps its own clock", () => {
    fresh();
    let f = new Fleet().add("today", 1000);
    f.run(T0 + DAY, T0 + DAY + 3 * H);
    // yesterday's file, read after today's: its windows follow its own times
    let g = new Fleet().add("yesterday", 1000);
    g.run(T0, T0 + 3 * H);
    expect(count("\"stream\":\"yesterday\"")).toBe(0);
    // and its own incidents are still seen
    for (let i = 0; i < 1200; i++) rec("yesterday", T0 + 3 * H + <i64>i * 100, 1);
    rec("yesterday", T0 + 3 * H + 130000, 1);
    expect(count("\"type\":\"rate_spike\",\"severity\":\"critical\",\"stream\":\"yesterday\"")).toBe(1);
  });

  it("a stray far-future timestamp does not move the clock", () => {
    fresh();
    let f = new Fleet().add("web", 1000).add("api", 1000);
    f.run(T0, T0 + 2 * H);
    rec("web", T0 + 30 * DAY, 1);
    f.run(T0 + 2 * H, T0 + 2 * H + 10 * 60000);
    expect(count("\"type\":\"silence\"")).toBe(0);
    expect(count("rate_drop")).toBe(0);
  });
});

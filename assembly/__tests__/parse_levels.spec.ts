// Level words, numeric levels, and the keyword matchers (error fallback and ignore_patterns).
import { levelFromWord, levelFromValueText, levelFromNumber, levelKeyKind, LK_GENERIC, LK_SYSLOG, LK_OTEL } from "../parse/level_words";
import { keywordAtWordStart, matchesAny } from "../parse/keywords";
import { levelName, LEVEL_UNKNOWN } from "../core/levels";
import { utf8List } from "../core/config";
import { mem, LAST_LEN } from "./parse_util";

function word(s: string, letters: bool = false): string {
  let p = mem(s);
  let l = levelFromWord(p, LAST_LEN, letters);
  return l == LEVEL_UNKNOWN ? "unknown" : levelName(l);
}
function value(s: string, kind: i32 = LK_GENERIC): string {
  let p = mem(s);
  let l = levelFromValueText(p, LAST_LEN, kind);
  return l == LEVEL_UNKNOWN ? "unknown" : levelName(l);
}
function num(v: i64, kind: i32 = LK_GENERIC): string {
  let l = levelFromNumber(v, kind);
  return l == LEVEL_UNKNOWN ? "unknown" : levelName(l);
}
function kw(s: string, pats: string[]): bool {
  let p = mem(s);
  return keywordAtWordStart(p, LAST_LEN, utf8List(pats));
}
function any(s: string, pats: string[]): bool {
  let p = mem(s);
  return matchesAny(p, LAST_LEN, utf8List(pats));
}
function kind(s: string): i32 {
  let p = mem(s);
  return levelKeyKind(p, LAST_LEN);
}

const SEED = ["ERROR", "FATAL", "CRITICAL", "Exception", "failed", "timeout", "Traceback", "panic", "OutOfMemory"];

describe("level words", () => {
  it("normalise the usual words in any case", () => {
    expect(word("TRACE")).toBe("trace");
    expect(word("debug")).toBe("debug");
    expect(word("Info")).toBe("info");
    expect(word("INFORMATION")).toBe("info");
    expect(word("informational")).toBe("info");
    expect(word("notice")).toBe("notice");
    expect(word("WARN")).toBe("warning");
    expect(word("Warning")).toBe("warning");
    expect(word("error")).toBe("error");
    expect(word("CRIT")).toBe("critical");
    expect(word("critical")).toBe("critical");
    expect(word("FATAL")).toBe("critical");
    expect(word("alert")).toBe("critical");
    expect(word("emerg")).toBe("critical");
    expect(word("Emergency")).toBe("critical");
    expect(word("panic")).toBe("critical");
    expect(word("SEVERE")).toBe("critical");
  });
  it("accept the common abbreviations", () => {
    expect(word("dbug")).toBe("debug");
    expect(word("DBG")).toBe("debug");
    expect(word("inf")).toBe("info");
    expect(word("wrn")).toBe("warning");
    expect(word("eror")).toBe("error");
    expect(word("ERR")).toBe("error");
    expect(word("ERRO")).toBe("error");
    expect(word("DEBU")).toBe("debug");
    expect(word("FATA")).toBe("critical");
    expect(word("TRC")).toBe("trace");
    expect(word("FTL")).toBe("critical");
    expect(word("trace3")).toBe("trace");
    expect(word("verbose")).toBe("trace");
    expect(word("finest")).toBe("trace");
  });
  it("reject other words and single letters unless asked", () => {
    expect(word("errors")).toBe("unknown");
    expect(word("information2")).toBe("unknown");
    expect(word("warned")).toBe("unknown");
    expect(word("E")).toBe("unknown");
    expect(word("E", true)).toBe("error");
    expect(word("w", true)).toBe("warning");
    expect(word("I", true)).toBe("info");
    expect(word("F", true)).toBe("critical");
    expect(word("")).toBe("unknown");
  });
  it("read field values with brackets, spaces and numbers", () => {
    expect(value(" [ERROR] ")).toBe("error");
    expect(value("<warn>")).toBe("warning");
    expect(value("E")).toBe("error");
    expect(value("30")).toBe("info");
    expect(value("3", LK_SYSLOG)).toBe("error");
    expect(value("6", LK_SYSLOG)).toBe("info");
    expect(value("not a level")).toBe("unknown");
    expect(value("99999999999999")).toBe("unknown");
  });
});

describe("numeric levels", () => {
  it("map syslog severities 0-7", () => {
    expect(num(0, LK_SYSLOG)).toBe("critical");
    expect(num(2, LK_SYSLOG)).toBe("critical");
    expect(num(3, LK_SYSLOG)).toBe("error");
    expect(num(4, LK_SYSLOG)).toBe("warning");
    expect(num(5, LK_SYSLOG)).toBe("notice");
    expect(num(6, LK_SYSLOG)).toBe("info");
    expect(num(7, LK_SYSLOG)).toBe("debug");
    expect(num(8, LK_SYSLOG)).toBe("unknown");
  });
  it("map pino / bunyan levels 10-60", () => {
    expect(num(10)).toBe("trace");
    expect(num(20)).toBe("debug");
    expect(num(30)).toBe("info");
    expect(num(40)).toBe("warning");
    expect(num(50)).toBe("error");
    expect(num(60)).toBe("critical");
    expect(num(70)).toBe("unknown");
    expect(num(-1)).toBe("unknown");
  });
  it("map OpenTelemetry severity numbers 1-24", () => {
    expect(num(1, LK_OTEL)).toBe("trace");
    expect(num(5, LK_OTEL)).toBe("debug");
    expect(num(9, LK_OTEL)).toBe("info");
    expect(num(13, LK_OTEL)).toBe("warning");
    expect(num(17, LK_OTEL)).toBe("error");
    expect(num(21, LK_OTEL)).toBe("critical");
    expect(num(25, LK_OTEL)).toBe("unknown");
  });
  it("choose the scale from the key name", () => {
    expect(kind("PRIORITY")).toBe(LK_SYSLOG);
    expect(kind("priority")).toBe(LK_SYSLOG);
    expect(kind("syslog.priority")).toBe(LK_SYSLOG);
    expect(kind("severity_number")).toBe(LK_OTEL);
    expect(kind("SeverityNumber")).toBe(LK_OTEL);
    expect(kind("level")).toBe(LK_GENERIC);
  });
});

describe("error keywords", () => {
  it("match case-insensitively at a word start", () => {
    expect(kw("connection failed", SEED)).toBe(true);
    expect(kw("Connection FAILED after 3 tries", SEED)).toBe(true);
    expect(kw("request timeout=5s", SEED)).toBe(true);
    expect(kw("Traceback (most recent call last):", SEED)).toBe(true);
    expect(kw("[error] disk", SEED)).toBe(true);
    expect(kw("kernel panic - not syncing", SEED)).toBe(true);
  });
  it("match at camel-case humps", () => {
    expect(kw("java.lang.NullPointerException at x", SEED)).toBe(true);
    expect(kw("ReadTimeout while polling", SEED)).toBe(true);
    expect(kw("java.lang.OutOfMemoryError: heap", SEED)).toBe(true);
  });
  it("do not match inside words", () => {
    expect(kw("the terrorist", SEED)).toBe(false);
    expect(kw("unfailed and untimeout", SEED)).toBe(false);
    expect(kw("all good, 200 OK", SEED)).toBe(false);
    expect(kw("", SEED)).toBe(false);
    expect(kw("anything", [])).toBe(false);
  });
  it("use the pattern list given, rebuilt when it changes", () => {
    expect(kw("disk quota exceeded", ["quota"])).toBe(true);
    expect(kw("disk quota exceeded", ["exceeded", "nothing"])).toBe(true);
    expect(kw("disk quota exceeded", ["full"])).toBe(false);
  });
  it("handle more than 64 patterns", () => {
    let many = new Array<string>(0);
    for (let i = 0; i < 70; i++) many.push("zz" + i.toString());
    many.push("boom");
    expect(kw("it went boom", many)).toBe(true);
    expect(kw("zz69 happened", many)).toBe(true);
    expect(kw("zy1 happened", many)).toBe(false);
    expect(kw("zz70 happened", many)).toBe(false); // "zz7" is not the whole word "zz70"
    expect(kw("zz7 happened", many)).toBe(true);
  });
  it("match whole words only, ending at a non-word byte or a camel-case hump", () => {
    expect(kw("connection failedover", SEED)).toBe(false);
    expect(kw("timeouts=3 panicked=0", SEED)).toBe(false);
    expect(kw("errors=0 warnings=2", SEED)).toBe(false);
    expect(kw("SocketTimeoutException: read", SEED)).toBe(true);
    expect(kw("java.net.SocketException: reset", SEED)).toBe(true);
  });
  it("a capitalised keyword needs its capital; all-caps and lower-case ones match any case", () => {
    expect(kw("Enabling unmasked SIMD FPU exception support... done.", SEED)).toBe(false);
    expect(kw("Unhandled Exception in thread", SEED)).toBe(true);
    expect(kw("an error occurred", SEED)).toBe(true);
    expect(kw("Connection Failed", SEED)).toBe(true);
  });
});

describe("ignore patterns", () => {
  it("match case-sensitive substrings anywhere", () => {
    expect(any("GET /healthcheck 200", ["healthcheck"])).toBe(true);
    expect(any("level=DEBUG x", ["DEBUG"])).toBe(true);
    expect(any("level=debug x", ["DEBUG"])).toBe(false);
    expect(any("abc", ["abcd"])).toBe(false);
    expect(any("abc", [""])).toBe(false);
    expect(any("xabcx", ["zz", "bc"])).toBe(true);
    expect(any("", ["a"])).toBe(false);
  });
});

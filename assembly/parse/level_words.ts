// Level words and numbers to the normalised LEVEL_* scale. Words are matched case-insensitively,
// dispatched on length so most tokens are rejected after one comparison.
import {
  LEVEL_TRACE, LEVEL_DEBUG, LEVEL_INFO, LEVEL_NOTICE, LEVEL_WARNING, LEVEL_ERROR, LEVEL_CRITICAL,
  LEVEL_UNKNOWN
} from "../core/levels";
import { eqLitCI, lower, isDigit, foldBytes, foldLit } from "./bytes";

// level words of 3-8 letters as foldBytes words
const W_ALERT = foldLit("alert");
const W_EMERGENC = foldLit("emergenc"), W_INFORMAT = foldLit("informat"), W_ION = foldLit("ion"), W_IONAL = foldLit("ional");
const W_CRIT = foldLit("crit");
const W_CRITICAL = foldLit("critical");
const W_CRT = foldLit("crt");
const W_DBG = foldLit("dbg");
const W_DBUG = foldLit("dbug");
const W_DEBU = foldLit("debu");
const W_DEBUG = foldLit("debug");
const W_EMER = foldLit("emer");
const W_EMERG = foldLit("emerg");
const W_EROR = foldLit("eror");
const W_ERR = foldLit("err");
const W_ERRO = foldLit("erro");
const W_ERROR = foldLit("error");
const W_FATA = foldLit("fata");
const W_FATAL = foldLit("fatal");
const W_FINE = foldLit("fine");
const W_FINER = foldLit("finer");
const W_FINEST = foldLit("finest");
const W_FTL = foldLit("ftl");
const W_INF = foldLit("inf");
const W_INFO = foldLit("info");
const W_NOTE = foldLit("note");
const W_NOTICE = foldLit("notice");
const W_PANI = foldLit("pani");
const W_PANIC = foldLit("panic");
const W_PNC = foldLit("pnc");
const W_SEVERE = foldLit("severe");
const W_TRAC = foldLit("trac");
const W_TRACE = foldLit("trace");
const W_TRC = foldLit("trc");
const W_VERBOSE = foldLit("verbose");
const W_WARN = foldLit("warn");
const W_WARNING = foldLit("warning");
const W_WRN = foldLit("wrn");

/** Level of the word [p, p+n), or LEVEL_UNKNOWN. Single letters (klog/Android style I, W, E ...)
 *  only when `letters` is set, since a lone letter in prose means nothing. */
export function levelFromWord(p: usize, n: usize, letters: bool = false): u8 {
  switch (<i32>n) {
    case 1: {
      if (!letters) return LEVEL_UNKNOWN;
      let c = lower(<u32>load<u8>(p));
      if (c == 0x74 || c == 0x76) return LEVEL_TRACE;     // t, v(erbose)
      if (c == 0x64) return LEVEL_DEBUG;                  // d
      if (c == 0x69) return LEVEL_INFO;                   // i
      if (c == 0x6E) return LEVEL_NOTICE;                 // n
      if (c == 0x77) return LEVEL_WARNING;                // w
      if (c == 0x65) return LEVEL_ERROR;                  // e
      if (c == 0x66 || c == 0x63 || c == 0x61) return LEVEL_CRITICAL; // f, c, a
      return LEVEL_UNKNOWN;
    }
    case 3: {
      let w = foldBytes(p, 3);
      if (w == W_INF) return LEVEL_INFO;
      if (w == W_ERR) return LEVEL_ERROR;
      if (w == W_WRN) return LEVEL_WARNING;
      if (w == W_DBG) return LEVEL_DEBUG;
      if (w == W_TRC) return LEVEL_TRACE;
      if (w == W_FTL || w == W_CRT || w == W_PNC) return LEVEL_CRITICAL;
      return LEVEL_UNKNOWN;
    }
    case 4: {
      let w = foldBytes(p, 4);
      if (w == W_INFO) return LEVEL_INFO;
      if (w == W_WARN) return LEVEL_WARNING;
      if (w == W_EROR || w == W_ERRO) return LEVEL_ERROR;
      if (w == W_DBUG || w == W_DEBU) return LEVEL_DEBUG;
      if (w == W_CRIT || w == W_FATA || w == W_PANI || w == W_EMER) return LEVEL_CRITICAL;
      if (w == W_TRAC) return LEVEL_TRACE;
      if (w == W_FINE) return LEVEL_DEBUG;
      if (w == W_NOTE) return LEVEL_NOTICE;       // MySQL [Note]
      return LEVEL_UNKNOWN;
    }
    case 5: {
      let w = foldBytes(p, 5);
      if (w == W_ERROR) return LEVEL_ERROR;
      if (w == W_DEBUG) return LEVEL_DEBUG;
      if (w == W_TRACE || w == W_FINER) return LEVEL_TRACE;
      if (w == W_FATAL || w == W_ALERT || w == W_EMERG || w == W_PANIC) return LEVEL_CRITICAL;
      return LEVEL_UNKNOWN;
    }
    case 6: {
      let w = foldBytes(p, 6);
      if (w == W_NOTICE) return LEVEL_NOTICE;
      if (w == W_SEVERE) return LEVEL_CRITICAL;
      if (w == W_FINEST) return LEVEL_TRACE;
      // trace1..trace8: the digit compared exactly
      if (foldBytes(p, 5) == W_TRACE && <u32>load<u8>(p + 5) - 0x31 < 8) return LEVEL_TRACE;
      return LEVEL_UNKNOWN;
    }
    case 7: {
      let w = foldBytes(p, 7);
      if (w == W_WARNING) return LEVEL_WARNING;
      if (w == W_VERBOSE) return LEVEL_TRACE;
      return LEVEL_UNKNOWN;
    }
    case 8: {
      let w = foldBytes(p, 8);
      if (w == W_CRITICAL) return LEVEL_CRITICAL;
      return LEVEL_UNKNOWN;
    }
    // longer words as two folded words too (eqLitCI with a string literal would give this whole
    // function a shadow-stack frame)
    case 9: {
      if (foldBytes(p, 8) == W_EMERGENC && (<u32>load<u8>(p + 8) | 0x20) == 0x79) return LEVEL_CRITICAL;
      return LEVEL_UNKNOWN;
    }
    case 11: {
      if (foldBytes(p, 8) == W_INFORMAT && foldBytes(p + 8, 3) == W_ION) return LEVEL_INFO;
      return LEVEL_UNKNOWN;
    }
    case 13: {
      if (foldBytes(p, 8) == W_INFORMAT && foldBytes(p + 8, 5) == W_IONAL) return LEVEL_INFO;
      return LEVEL_UNKNOWN;
    }
  }
  return LEVEL_UNKNOWN;
}

// the bytes levelFromValueText trims: a space and opening brackets at the left, a space, closing
// brackets and ':' at the right
const TRIM = memory.data(256);
const TRIM_LEFT: u8 = 1, TRIM_RIGHT: u8 = 2;
function initTrim(): void {
  store<u8>(TRIM + 0x20, TRIM_LEFT | TRIM_RIGHT);
  store<u8>(TRIM + 0x5B, TRIM_LEFT); store<u8>(TRIM + 0x3C, TRIM_LEFT); store<u8>(TRIM + 0x28, TRIM_LEFT);
  store<u8>(TRIM + 0x5D, TRIM_RIGHT); store<u8>(TRIM + 0x3E, TRIM_RIGHT); store<u8>(TRIM + 0x29, TRIM_RIGHT);
  store<u8>(TRIM + 0x3A, TRIM_RIGHT);
}
initTrim();

/** Level of a field value that is text: surrounding spaces and brackets are ignored; single letters
 *  and numeric strings are accepted. `keyKind` is as in levelFromNumber. */
@inline export function levelFromValueText(p: usize, n: usize, keyKind: i32): u8 {
  let end = p + n;
  // (one table lookup a byte instead of a chain of compares)
  while (p < end && (load<u8>(<usize>load<u8>(p), TRIM) & TRIM_LEFT)) p++;
  while (end > p && (load<u8>(<usize>load<u8>(end - 1), TRIM) & TRIM_RIGHT)) end--;
  if (p >= end || end - p > 16) return LEVEL_UNKNOWN;
  if (isDigit(<u32>load<u8>(p))) {
    let v = 0;
    let q = p;
    while (q < end) {
      let d = <u32>load<u8>(q) - 0x30;
      if (d >= 10) return LEVEL_UNKNOWN;
      v = v * 10 + <i32>d;
      if (v > 1000) return LEVEL_UNKNOWN;
      q++;
    }
    return levelFromNumber(<i64>v, keyKind);
  }
  return levelFromWord(p, end - p, true);
}

export const LK_GENERIC = 0;    // level, severity, lvl ...: 0-7 syslog, 10-60 pino/bunyan
export const LK_SYSLOG = 1;     // PRIORITY / priority: syslog severity 0-7
export const LK_OTEL = 2;       // severity_number: OpenTelemetry 1-24

/** Syslog severity 0..7 (emerg .. debug). */
export function levelFromSyslog(sev: i32): u8 {
  if (sev <= 2) return LEVEL_CRITICAL;
  if (sev == 3) return LEVEL_ERROR;
  if (sev == 4) return LEVEL_WARNING;
  if (sev == 5) return LEVEL_NOTICE;
  if (sev == 6) return LEVEL_INFO;
  return LEVEL_DEBUG;
}

/** A numeric level; the key decides the scale. */
export function levelFromNumber(v: i64, keyKind: i32): u8 {
  if (v < 0) return LEVEL_UNKNOWN;
  if (keyKind == LK_SYSLOG) return v <= 7 ? levelFromSyslog(<i32>v) : LEVEL_UNKNOWN;
  if (keyKind == LK_OTEL) {
    if (v < 1 || v > 24) return LEVEL_UNKNOWN;
    if (v <= 4) return LEVEL_TRACE;
    if (v <= 8) return LEVEL_DEBUG;
    if (v <= 12) return LEVEL_INFO;
    if (v <= 16) return LEVEL_WARNING;
    if (v <= 20) return LEVEL_ERROR;
    return LEVEL_CRITICAL;
  }
  if (v <= 7) return levelFromSyslog(<i32>v);
  if (v >= 10 && v <= 60) {
    // pino / bunyan: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal
    if (v < 20) return LEVEL_TRACE;
    if (v < 30) return LEVEL_DEBUG;
    if (v < 40) return LEVEL_INFO;
    if (v < 50) return LEVEL_WARNING;
    if (v < 60) return LEVEL_ERROR;
    return LEVEL_CRITICAL;
  }
  return LEVEL_UNKNOWN;
}

/** Scale implied by a level key's name: ...priority -> syslog, severity_number -> OpenTelemetry. */
export function levelKeyKind(k: usize, n: usize): i32 {
  if (n >= 8 && eqLitCI(k + n - 8, 8, "priority")) return LK_SYSLOG;
  if (n >= 15 && eqLitCI(k + n - 15, 15, "severity_number")) return LK_OTEL;
  if (n >= 14 && eqLitCI(k + n - 14, 14, "severitynumber")) return LK_OTEL;
  return LK_GENERIC;
}

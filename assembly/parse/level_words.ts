// Level words and numbers to the normalised LEVEL_* scale. Words are matched case-insensitively,
// dispatched on length so most tokens are rejected after one comparison.
import {
  LEVEL_TRACE, LEVEL_DEBUG, LEVEL_INFO, LEVEL_NOTICE, LEVEL_WARNING, LEVEL_ERROR, LEVEL_CRITICAL,
  LEVEL_UNKNOWN
} from "../core/levels";
import { eqLitCI, lower, isDigit } from "./bytes";

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
      if (eqLitCI(p, 3, "inf")) return LEVEL_INFO;
      if (eqLitCI(p, 3, "err")) return LEVEL_ERROR;
      if (eqLitCI(p, 3, "wrn")) return LEVEL_WARNING;
      if (eqLitCI(p, 3, "dbg")) return LEVEL_DEBUG;
      if (eqLitCI(p, 3, "trc")) return LEVEL_TRACE;
      if (eqLitCI(p, 3, "ftl") || eqLitCI(p, 3, "crt") || eqLitCI(p, 3, "pnc")) return LEVEL_CRITICAL;
      return LEVEL_UNKNOWN;
    }
    case 4: {
      if (eqLitCI(p, 4, "info")) return LEVEL_INFO;
      if (eqLitCI(p, 4, "warn")) return LEVEL_WARNING;
      if (eqLitCI(p, 4, "eror") || eqLitCI(p, 4, "erro")) return LEVEL_ERROR;
      if (eqLitCI(p, 4, "dbug") || eqLitCI(p, 4, "debu")) return LEVEL_DEBUG;
      if (eqLitCI(p, 4, "crit") || eqLitCI(p, 4, "fata") || eqLitCI(p, 4, "pani") || eqLitCI(p, 4, "emer")) return LEVEL_CRITICAL;
      if (eqLitCI(p, 4, "trac")) return LEVEL_TRACE;
      if (eqLitCI(p, 4, "fine")) return LEVEL_DEBUG;
      if (eqLitCI(p, 4, "note")) return LEVEL_NOTICE;       // MySQL [Note]
      return LEVEL_UNKNOWN;
    }
    case 5: {
      if (eqLitCI(p, 5, "error")) return LEVEL_ERROR;
      if (eqLitCI(p, 5, "debug")) return LEVEL_DEBUG;
      if (eqLitCI(p, 5, "trace") || eqLitCI(p, 5, "finer")) return LEVEL_TRACE;
      if (eqLitCI(p, 5, "fatal") || eqLitCI(p, 5, "alert") || eqLitCI(p, 5, "emerg") || eqLitCI(p, 5, "panic")) return LEVEL_CRITICAL;
      return LEVEL_UNKNOWN;
    }
    case 6: {
      if (eqLitCI(p, 6, "notice")) return LEVEL_NOTICE;
      if (eqLitCI(p, 6, "severe")) return LEVEL_CRITICAL;
      if (eqLitCI(p, 6, "finest")) return LEVEL_TRACE;
      if (eqLitCI(p, 6, "trace1") || eqLitCI(p, 6, "trace2") || eqLitCI(p, 6, "trace3") || eqLitCI(p, 6, "trace4") ||
          eqLitCI(p, 6, "trace5") || eqLitCI(p, 6, "trace6") || eqLitCI(p, 6, "trace7") || eqLitCI(p, 6, "trace8")) return LEVEL_TRACE;
      return LEVEL_UNKNOWN;
    }
    case 7: {
      if (eqLitCI(p, 7, "warning")) return LEVEL_WARNING;
      if (eqLitCI(p, 7, "verbose")) return LEVEL_TRACE;
      return LEVEL_UNKNOWN;
    }
    case 8: {
      if (eqLitCI(p, 8, "critical")) return LEVEL_CRITICAL;
      return LEVEL_UNKNOWN;
    }
    case 9: {
      if (eqLitCI(p, 9, "emergency")) return LEVEL_CRITICAL;
      return LEVEL_UNKNOWN;
    }
    case 11: {
      if (eqLitCI(p, 11, "information")) return LEVEL_INFO;
      return LEVEL_UNKNOWN;
    }
    case 13: {
      if (eqLitCI(p, 13, "informational")) return LEVEL_INFO;
      return LEVEL_UNKNOWN;
    }
  }
  return LEVEL_UNKNOWN;
}

/** Level of a field value that is text: surrounding spaces and brackets are ignored; single letters
 *  and numeric strings are accepted. `keyKind` is as in levelFromNumber. */
export function levelFromValueText(p: usize, n: usize, keyKind: i32): u8 {
  let end = p + n;
  while (p < end) {
    let c = <u32>load<u8>(p);
    if (c != 0x20 && c != 0x5B && c != 0x3C && c != 0x28) break;
    p++;
  }
  while (end > p) {
    let c = <u32>load<u8>(end - 1);
    if (c != 0x20 && c != 0x5D && c != 0x3E && c != 0x29 && c != 0x3A) break;
    end--;
  }
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

// Syslog lines: RFC 5424 ("<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG") and RFC 3164 / BSD
// ("<PRI>Mmm dd hh:mm:ss host tag[pid]: msg", PRI optional). PRI severity gives the level; without a
// PRI, a leading "error:" / "[WARN]" in the message does.
import { zeroByteMask, spaceTabMask, firstByte, tailWord } from "../core/mem";
import { FORMAT_SYSLOG3164, FORMAT_SYSLOG5424 } from "../core/formats";
import { LEVEL_UNKNOWN } from "../core/levels";
import { isAlpha, isDigit, countDigits, digitsN, skipSpaces, eqLitCI, foldBytes, foldLit, letterRun, LETTERS_UPPER } from "./bytes";
import { NO_TIME, TS_END, parseIso, parseSyslogStamp } from "./timestamp";
import { levelFromSyslog, levelFromWord } from "./level_words";
import { LineResult } from "./line_result";

@inline function tokenEnd(p: usize, end: usize): usize {
  // eight bytes a step while eight remain (hosts and tags are 5-20 bytes: ~14 interpreted
  // instructions a byte in the byte loop)
  while (p + 8 <= end) {
    let m = spaceTabMask(load<u64>(p));
    if (m) return p + firstByte(m);
    p += 8;
  }
  while (p < end && load<u8>(p) != 0x20 && load<u8>(p) != 0x09) p++;
  return p;
}

/** Level a message states at its start: "error: ...", "[WARN] ...", "<crit> ...", an upper-case
 *  level word ("WARN ...", "ERROR ..."), a klog header ("W0115 10:00:00.123 ..."), or a logfmt
 *  level key ("level=warning", "lvl=warn", "severity=error") among its first words. */
export function leadLevel(p: usize, end: usize): u8 {
  if (p >= end) return LEVEL_UNKNOWN;
  let c = <u32>load<u8>(p);
  if (c == 0x5B || c == 0x3C) {
    let close: u32 = c == 0x5B ? 0x5D : 0x3E;
    let q = p + 1;
    let lim = p + 14 < end ? p + 14 : end;
    while (q < lim && isAlpha(<u32>load<u8>(q))) q++;
    if (q < lim && <u32>load<u8>(q) == close) return levelFromWord(p + 1, q - p - 1);
    return LEVEL_UNKNOWN;
  }
  let lim = p + 14 < end ? p + 14 : end;
  // the letters at p (at most 14), and whether all are upper case
  let q = letterRun(p, lim);
  let upper = LETTERS_UPPER;
  if (q > p && q < end && load<u8>(q) == 0x3A) return levelFromWord(p, q - p);
  // klog: one of IWEF, MMDD, a space and hh:
  if (q == p + 1 && p + 9 <= end && countDigits(p + 1, end, 5) == 4 && load<u8>(p + 5) == 0x20 &&
      countDigits(p + 6, end, 3) == 2 && load<u8>(p + 8) == 0x3A) {
    let l = levelFromWord(p, 1, true);
    if (c == 0x49 || c == 0x57 || c == 0x45 || c == 0x46) return l;
  }
  // an upper-case level word on its own ("WARN disk almost full")
  if (upper && q > p + 2 && (q == end || load<u8>(q) == 0x20)) {
    let l = levelFromWord(p, q - p);
    if (l != LEVEL_UNKNOWN) return l;
  }
  return keyedLevel(p, end);
}

const K_LEVEL = foldLit("level"), K_LVL = foldLit("lvl"), K_SEVERITY = foldLit("severity"), K_LOGLEVEL = foldLit("loglevel");

/** "level=..." (or lvl, severity, loglevel) as a whole key within the first 80 bytes. */
export function keyedLevel(p: usize, end: usize): u8 {
  let lim = p + 80 < end ? p + 80 : end;
  let i = p;
  while (true) {
    // to the next '=': eight bytes per step, the last ones as one word cut at lim (its bytes past
    // lim are 0: no '=')
    while (true) {
      if (i + 8 > lim) {
        let m: u64 = i < lim ? zeroByteMask(tailWord(i, lim - i) ^ 0x3D3D3D3D3D3D3D3D) : 0;
        i = m ? i + firstByte(m) : lim;
        break;
      }
      let m = zeroByteMask(load<u64>(i) ^ 0x3D3D3D3D3D3D3D3D);
      if (m) { i += firstByte(m); break; }
      i += 8;
    }
    if (i + 4 >= lim) return LEVEL_UNKNOWN;
    // the key: letters back to a space or the start
    let k = i;
    i++;
    while (k > p && isAlpha(<u32>load<u8>(k - 1))) k--;
    if (k > p && load<u8>(k - 1) != 0x20) continue;
    let kn = i - 1 - k;
    // folded words, not eqLitCI loops over literals (which also cost a shadow-stack frame)
    let isKey = (kn == 5 && foldBytes(k, 5) == K_LEVEL) || (kn == 3 && foldBytes(k, 3) == K_LVL) ||
                (kn == 8 && (foldBytes(k, 8) == K_SEVERITY || foldBytes(k, 8) == K_LOGLEVEL));
    if (!isKey) continue;
    let v = i;
    if (v < end && load<u8>(v) == 0x22) v++;
    let e = v;
    while (e < end && isAlpha(<u32>load<u8>(e))) e++;
    return e > v ? levelFromWord(v, e - v) : LEVEL_UNKNOWN;
  }
  return LEVEL_UNKNOWN;
}

/** Host and tag after a BSD timestamp; sets the body to the message after "tag: ". */
function bsdRest(lr: LineResult, q: usize, end: usize): void {
  q = skipSpaces(q, end);
  let e1 = tokenEnd(q, end);
  if (e1 > q && load<u8>(e1 - 1) == 0x3A) { lr.body(e1, end); return; } // no host: "tag: msg"
  let q2 = skipSpaces(e1, end);
  let e2 = tokenEnd(q2, end);
  if (e2 > q2 && load<u8>(e2 - 1) == 0x3A) { lr.body(e2, end); return; }
  // a tag with spaces ("syslogd 1.4.1: restart."): the first ": " within 48 bytes, at most 2 spaces
  let lim = q2 + 48 < end ? q2 + 48 : end;
  let spaces = 0;
  for (let i = q2; i < lim; i++) {
    let c = <u32>load<u8>(i);
    if (c == 0x3A && (i + 1 == end || load<u8>(i + 1) == 0x20)) { lr.body(i + 1, end); return; }
    if (c == 0x20 && ++spaces > 2) break;
    if (c == 0x3D || c == 0x22) break;
  }
  lr.body(q2, end);
}

/** RFC 5424 after "<PRI>1 ". */
function parse5424(lr: LineResult, q: usize, end: usize): bool {
  let t = NO_TIME;
  if (q < end && load<u8>(q) == 0x2D) q++;
  else {
    t = parseIso(q, end);
    if (t == NO_TIME) return false;
    q = TS_END;
  }
  // HOSTNAME APP-NAME PROCID MSGID
  for (let k = 0; k < 4; k++) {
    if (q >= end || load<u8>(q) != 0x20) return false;
    q++;
    let e = tokenEnd(q, end);
    if (e == q) return false;
    q = e;
  }
  if (q >= end || load<u8>(q) != 0x20) return false;
  q++;
  if (q >= end) return false;
  // STRUCTURED-DATA: "-" or one or more [id k="v" ...] with \" \] \\ escapes in values
  if (load<u8>(q) == 0x2D) q++;
  else if (load<u8>(q) == 0x5B) {
    while (q < end && load<u8>(q) == 0x5B) {
      let i = q + 1;
      let inQuote = false;
      let closed = false;
      while (i < end) {
        let c = <u32>load<u8>(i);
        if (inQuote) {
          if (c == 0x5C) { i += 2; continue; }
          if (c == 0x22) inQuote = false;
        } else if (c == 0x22) inQuote = true;
        else if (c == 0x5D) { closed = true; break; }
        i++;
      }
      if (!closed) return false;
      q = i + 1;
    }
  } else return false;
  if (q < end) {
    if (load<u8>(q) != 0x20) return false;
    q++;
    // a UTF-8 BOM may introduce the message
    if (q + 3 <= end && load<u8>(q) == 0xEF && load<u8>(q + 1) == 0xBB && load<u8>(q + 2) == 0xBF) q += 3;
  }
  lr.format = FORMAT_SYSLOG5424;
  lr.time = t;
  lr.body(q, end);
  return true;
}

/** A line starting with "<PRI>": RFC 5424 if the version "1 " follows, else RFC 3164. */
export function recogniseSyslogPri(lr: LineResult, p: usize, end: usize, hostMs: i64): bool {
  let n = countDigits(p + 1, end, 4);
  if (n < 1 || n > 3) return false;
  let pri = digitsN(p + 1, end, n);
  let q = p + 1 + <usize>n;
  if (pri > 191 || q >= end || load<u8>(q) != 0x3E) return false;
  q++;
  let level = levelFromSyslog(pri & 7);
  if (q + 1 < end && load<u8>(q) == 0x31 && load<u8>(q + 1) == 0x20 && parse5424(lr, q + 2, end)) {
    lr.level = level;
    bodyLevel(lr);
    return true;
  }
  lr.format = FORMAT_SYSLOG3164;
  lr.level = level;
  // timestamp: BSD "Mmm dd hh:mm:ss", or RFC 3339 as rsyslog writes it, or none at all
  let t = parseSyslogStamp(q, end, hostMs);
  if (t == NO_TIME && q < end && isDigit(<u32>load<u8>(q))) t = parseIso(q, end);
  if (t != NO_TIME && (TS_END == end || load<u8>(TS_END) == 0x20)) {
    lr.time = t;
    bsdRest(lr, TS_END, end);
  } else {
    bsdRest(lr, q, end);
  }
  bodyLevel(lr);
  return true;
}

/** A level the message itself states beats the PRI's: daemons log through syslog at the
 *  facility's default severity (info) whatever their own level says. */
@inline function bodyLevel(lr: LineResult): void {
  let l = leadLevel(lr.bodyPtr, lr.bodyPtr + lr.bodyLen);
  if (l != LEVEL_UNKNOWN) lr.level = l;
}

/** BSD syslog without PRI ("Mmm dd hh:mm:ss host tag: msg"), as in /var/log/messages. */
@inline export function recogniseBsd(lr: LineResult, p: usize, end: usize, hostMs: i64): bool {
  let t = parseSyslogStamp(p, end, hostMs);
  if (t == NO_TIME) return false;
  let q = TS_END;
  if (q >= end || load<u8>(q) != 0x20) return false;
  lr.format = FORMAT_SYSLOG3164;
  lr.time = t;
  bsdRest(lr, q, end);
  lr.level = leadLevel(lr.bodyPtr, lr.bodyPtr + lr.bodyLen);
  return true;
}

/** rsyslog's RFC 3339 file format without PRI: "2024-01-15T14:32:15.123+01:00 host tag[pid]: msg".
 *  Needs the 'T' form of the time, a host token and a "tag:" token, so app lines do not match. */
export function recogniseIsoSyslog(lr: LineResult, p: usize, end: usize): bool {
  if (p + 20 > end || load<u8>(p + 10) != 0x54) return false;
  let t = parseIso(p, end);
  if (t == NO_TIME) return false;
  let q = TS_END;
  if (q >= end || load<u8>(q) != 0x20) return false;
  q++;
  let e1 = tokenEnd(q, end);
  if (e1 == q || e1 - q > 64 || e1 >= end || load<u8>(e1 - 1) == 0x3A) return false;
  if (levelFromWord(q, e1 - q) != LEVEL_UNKNOWN) return false;
  let q2 = e1 + 1;
  let e2 = tokenEnd(q2, end);
  if (e2 - q2 < 2 || e2 - q2 > 64 || load<u8>(e2 - 1) != 0x3A) return false;
  // tag: name or name[pid], name made of identifier characters
  let c0 = <u32>load<u8>(q2);
  if (!isAlpha(c0)) return false;
  for (let i = q2; i < e2 - 1; i++) {
    let c = <u32>load<u8>(i);
    if (c == 0x3D || c == 0x22 || c == 0x3A) return false;
  }
  lr.format = FORMAT_SYSLOG3164;
  lr.time = t;
  lr.body(e2, end);
  lr.level = leadLevel(lr.bodyPtr, end);
  return true;
}

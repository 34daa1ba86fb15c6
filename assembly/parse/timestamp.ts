// Date math and the timestamp shapes found in logs. Every parser returns epoch milliseconds (UTC)
// or NO_TIME, and leaves TS_END at the first byte after what it consumed. Times without a zone are
// taken as UTC; times without a year (syslog, klog) or a date (logback) take them from the host
// time, so a stream replayed later still gets consistent event times.
import { isDigit, isAlpha, lower, digitsN, countDigits, digits2, digits4, notDigits } from "./bytes";
import { NUM_MANT, NUM_EXP, NUM_DIGITS, NUM_NEG, parseDecimal, pow10u } from "./number";
import { floorDiv } from "../core/byte_buf";
import { firstByte } from "../core/mem";

export const NO_TIME: i64 = i64.MIN_VALUE;
/** 9999-12-31T23:59:59.999Z: the largest time RFC 3339 output can show. */
export const MAX_MS: i64 = 253402300799999;
const DAY_MS: i64 = 86400000;

export let TS_END: usize = 0;

@inline export function isLeap(y: i32): bool { return (y & 3) == 0 && (y % 100 != 0 || y % 400 == 0); }

export function daysInMonth(y: i32, m: i32): i32 {
  if (m == 2) return isLeap(y) ? 29 : 28;
  return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: i32, m: i32, d: i32): i64 {
  let yy = <i64>(m <= 2 ? y - 1 : y);
  let era = floorDiv(yy, 400);
  let yoe = yy - era * 400;
  let mp = <i64>(m > 2 ? m - 3 : m + 9);
  let doy = (153 * mp + 2) / 5 + <i64>d - 1;
  let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/** Year of an epoch-ms time. */
export function yearOf(ms: i64): i32 {
  let z = floorDiv(ms, DAY_MS) + 719468;
  let era = floorDiv(z, 146097);
  let doe = z - era * 146097;
  let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  let mp = (5 * doy + 2) / 153;
  let y = yoe + era * 400;
  if (mp >= 10) y++; // January and February belong to the next civil year
  return <i32>y;
}

/** Validated civil time to epoch ms (NO_TIME if a field is out of range or the result is outside
 *  1970..9999). A leap second (:60) is read as :59.999. */
export function civilMs(y: i32, mo: i32, d: i32, h: i32, mi: i32, s: i32, ms: i32): i64 {
  // consecutive records share their date: the last valid one is remembered
  let ymd = y >= 0 && y <= 9999 && <u32>mo < 16 && <u32>d < 32 ? (y << 9) | (mo << 5) | d : -1;
  if (ymd < 0 || ymd != LAST_YMD) {
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return NO_TIME;
    LAST_DAYS_MS = daysFromCivil(y, mo, d) * DAY_MS;
    LAST_YMD = ymd;
  }
  if (h < 0 || h > 24 || mi < 0 || mi > 59 || s < 0 || s > 60 || ms < 0 || ms > 999) return NO_TIME;
  if (h == 24 && (mi | s | ms) != 0) return NO_TIME;
  if (s == 60) { s = 59; ms = 999; }
  return LAST_DAYS_MS + <i64>h * 3600000 + <i64>mi * 60000 + <i64>s * 1000 + <i64>ms;
}
let LAST_YMD: i32 = -1;
let LAST_DAYS_MS: i64 = 0;

/** Apply a zone offset (minutes east of UTC) and range-check. */
function zoned(t: i64, offMin: i32): i64 {
  if (t == NO_TIME) return NO_TIME;
  t -= <i64>offMin * 60000;
  return t < 0 || t > MAX_MS ? NO_TIME : t;
}

/** Month from a 3-letter English abbreviation (any case) at p: 1..12, 0 if none. */
export function monthFromName(p: usize, end: usize): i32 {
  if (p + 3 > end) return 0;
  let a = lower(<u32>load<u8>(p)), b = lower(<u32>load<u8>(p + 1)), c = lower(<u32>load<u8>(p + 2));
  let k = (a << 16) | (b << 8) | c;
  switch (k) {
    case 0x6A616E: return 1;  // jan
    case 0x666562: return 2;  // feb
    case 0x6D6172: return 3;  // mar
    case 0x617072: return 4;  // apr
    case 0x6D6179: return 5;  // may
    case 0x6A756E: return 6;  // jun
    case 0x6A756C: return 7;  // jul
    case 0x617567: return 8;  // aug
    case 0x736570: return 9;  // sep
    case 0x6F6374: return 10; // oct
    case 0x6E6F76: return 11; // nov
    case 0x646563: return 12; // dec
  }
  return 0;
}

/** First letter of an English month or weekday name (Jan..Dec, Mon..Sun): A D F J M N O S T W. */
@inline export function monthOrDayInitial(c: u32): bool {
  return c == 0x41 || c == 0x44 || c == 0x46 || c == 0x4A || c == 0x4D || c == 0x4E || c == 0x4F ||
    c == 0x53 || c == 0x54 || c == 0x57;
}

/** A 3-letter English weekday abbreviation at p. */
export function isWeekday(p: usize, end: usize): bool {
  if (p + 3 > end) return false;
  let k = (lower(<u32>load<u8>(p)) << 16) | (lower(<u32>load<u8>(p + 1)) << 8) | lower(<u32>load<u8>(p + 2));
  return k == 0x6D6F6E || k == 0x747565 || k == 0x776564 || k == 0x746875 || k == 0x667269 ||
    k == 0x736174 || k == 0x73756E;
}

let FRAC_MS: i32 = 0;

/** Fraction digits at p (after the separator): milliseconds in FRAC_MS, returns the end. */
@inline function readFrac(p: usize, end: usize): usize {
  // the usual three digits or more at once (the loop below costs ~30 interpreted instructions a digit)
  if (p + 3 <= end) {
    let a = <u32>load<u8>(p) - 0x30, b = <u32>load<u8>(p + 1) - 0x30, c = <u32>load<u8>(p + 2) - 0x30;
    if (a < 10 && b < 10 && c < 10) {
      p += 3;
      // more digits (micro- and nanoseconds: CRI stamps) eight bytes a step
      if (p < end && isDigit(<u32>load<u8>(p))) {
        while (p + 8 <= end) {
          let m = notDigits(load<u64>(p));
          if (m) { p += firstByte(m); break; }
          p += 8;
        }
        while (p < end && isDigit(<u32>load<u8>(p))) p++;
      }
      FRAC_MS = <i32>(a * 100 + b * 10 + c);
      return p;
    }
  }
  let ms = 0;
  let n = 0;
  while (p < end && isDigit(<u32>load<u8>(p))) {
    if (n < 3) ms = ms * 10 + <i32>(load<u8>(p) - 0x30);
    n++;
    p++;
  }
  while (n < 3) { ms *= 10; n++; }
  FRAC_MS = ms;
  return p;
}

let ZONE_MIN: i32 = 0;

/** Optional zone at p: Z, +hh:mm, +hhmm, +hh, or (after one space) one of those or UTC/GMT.
 *  Sets ZONE_MIN and returns the end (p when there is no zone). */
@inline function readZone(p: usize, end: usize): usize {
  ZONE_MIN = 0;
  if (p >= end) return p;
  let c = <u32>load<u8>(p);
  if (c == 0x5A || c == 0x7A) return p + 1; // Z
  // memo of the last 6-byte numeric zone (" +hhmm", "+hh:mm"): the result depends only on those
  // bytes and on whether a digit follows
  if (zoneValid && p + 6 <= end && load<u32>(p) == zoneKey0 && load<u16>(p + 4) == zoneKey4 &&
      (p + 6 == end || !isDigit(<u32>load<u8>(p + 6)))) {
    ZONE_MIN = zoneMin;
    return p + 6;
  }
  let r = readZoneFull(p, end, c);
  if (r == p + 6) {
    zoneValid = true;
    zoneKey0 = load<u32>(p); zoneKey4 = load<u16>(p + 4); zoneMin = ZONE_MIN;
  }
  return r;
}
let zoneValid = false;
let zoneKey0: u32 = 0, zoneKey4: u16 = 0;
let zoneMin: i32 = 0;

function readZoneFull(p: usize, end: usize, c: u32): usize {
  let q = p;
  if (c == 0x20 && q + 1 < end) { q++; c = <u32>load<u8>(q); }
  if (c == 0x2B || c == 0x2D) {
    let hh = digits2(q + 1, end);
    if (hh < 0 || hh > 14) return p;
    let r = q + 3;
    let mm = 0;
    if (r < end && load<u8>(r) == 0x3A) {
      mm = digits2(r + 1, end);
      if (mm < 0) return p;
      r += 3;
    } else if (digits2(r, end) >= 0) {
      mm = digits2(r, end);
      r += 2;
    }
    if (mm > 59) return p;
    if (r < end && isDigit(<u32>load<u8>(r))) return p;
    ZONE_MIN = c == 0x2D ? -(hh * 60 + mm) : hh * 60 + mm;
    return r;
  }
  if (q != p && q + 3 <= end) {
    // a named zone: UTC/GMT and the abbreviations that name one offset (PostgreSQL, Java, ctime)
    let n: usize = 0;
    while (q + n < end && n < 5 && <u32>load<u8>(q + n) - 0x41 < 26) n++;
    if (n >= 3 && (q + n == end || !isAlpha(<u32>load<u8>(q + n)))) {
      let off = zoneOffset(q, n);
      if (off != NO_ZONE) { ZONE_MIN = off; return q + n; }
    }
  }
  return p;
}

const NO_ZONE: i32 = 9999;

/** Offset in minutes of an upper-case zone abbreviation of 3-5 letters, NO_ZONE if unknown. Only
 *  names with one common meaning (IST, BST and CST-as-China are left out; CST is US Central). */
function zoneOffset(q: usize, n: usize): i32 {
  if (n > 4) return NO_ZONE;
  let k: u32 = 0;
  for (let i: usize = 0; i < n; i++) k = (k << 8) | <u32>load<u8>(q + i);
  switch (k) {
    case 0x555443: case 0x474D54: return 0;                   // UTC GMT
    case 0x574554: return 0;           // WET
    case 0x57455354: return 60;        // WEST
    case 0x434554: case 0x4D4554: return 60;                  // CET MET
    case 0x43455354: case 0x4D455354: return 120;             // CEST MEST
    case 0x454554: return 120;         // EET
    case 0x45455354: return 180;       // EEST
    case 0x4D534B: return 180;         // MSK
    case 0x455354: return -300;        // EST
    case 0x454454: return -240;        // EDT
    case 0x435354: return -360;        // CST
    case 0x434454: return -300;        // CDT
    case 0x4D5354: return -420;        // MST
    case 0x4D4454: return -360;        // MDT
    case 0x505354: return -480;        // PST
    case 0x504454: return -420;        // PDT
    case 0x414B5354: return -540;      // AKST
    case 0x414B4454: return -480;      // AKDT
    case 0x485354: return -600;        // HST
    case 0x4A5354: return 540;         // JST
    case 0x4B5354: return 540;         // KST
    case 0x41455354: return 600;       // AEST
    case 0x41454454: return 660;       // AEDT
    case 0x4E5A5354: return 720;       // NZST
    case 0x4E5A4454: return 780;       // NZDT
  }
  return NO_ZONE;
}

let TOD_H: i32 = 0, TOD_M: i32 = 0, TOD_S: i32 = 0;

/** One or two digits at p (a time field); sets FIELD_END. */
let FIELD_END: usize = 0;
function field12(p: usize, end: usize): i32 {
  // (countDigits then digitsN cost ~150 interpreted instructions for two digits)
  if (p >= end) return -1;
  let a = <u32>load<u8>(p) - 0x30;
  if (a >= 10) return -1;
  if (p + 1 >= end || <u32>load<u8>(p + 1) - 0x30 >= 10) { FIELD_END = p + 1; return <i32>a; }
  if (p + 2 < end && <u32>load<u8>(p + 2) - 0x30 < 10) return -1;        // three digits
  FIELD_END = p + 2;
  return <i32>(a * 10 + <u32>load<u8>(p + 1) - 0x30);
}

/** Time of day h[h]:m[m][:s[s][(.|,|:)frac]] (separators ':' or '.'; two-digit hours unless ':'
 *  separates, as some loggers do not zero-pad); returns its end or 0. */
function readTimeOfDay(p: usize, end: usize): usize {
  let h = field12(p, end);
  if (h < 0) return 0;
  let q = FIELD_END;
  if (q + 1 >= end) return 0;
  let s1 = <u32>load<u8>(q);
  if (s1 != 0x3A && (s1 != 0x2E || q - p != 2)) return 0;
  let m = field12(q + 1, end);
  if (m < 0) return 0;
  q = FIELD_END;
  let s = 0;
  let secEnd: usize = 0;
  FRAC_MS = 0;
  if (q + 1 < end && load<u8>(q) == s1 && isDigit(<u32>load<u8>(q + 1))) {
    s = field12(q + 1, end);
    if (s < 0) return 0;
    q = FIELD_END;
    secEnd = q;
    if (q + 1 < end) {
      let f = <u32>load<u8>(q);
      if ((f == 0x2E || f == 0x2C || f == 0x3A) && isDigit(<u32>load<u8>(q + 1))) q = readFrac(q + 1, end);
    }
  }
  if (q < end && isDigit(<u32>load<u8>(q))) return 0;
  TOD_H = h; TOD_M = m; TOD_S = s;
  TOD_SEC_END = secEnd;
  return q;
}
/** Where readTimeOfDay's seconds field ended (before any fraction); 0 without seconds. */
let TOD_SEC_END: usize = 0;

/** ISO-8601 / RFC 3339 and close relatives: YYYY(-|/|.)MM(same)DD, then optionally (T|t|space|_|-)
 *  and a time of day, then an optional zone. A bare date means midnight. */
// parseIso's memo: records of one second share 'YYYY-MM-DDTHH:MM:SS'; the epoch ms of the last such
// prefix (fraction 0) is kept with its 19 bytes, and only the fraction and zone are read again.
const ISO_KEY = memory.data(24, 8);
let isoValid = false;
let isoBase: i64 = 0;
let isoH: i32 = 0, isoM: i32 = 0, isoS: i32 = 0;

@inline function isoKeyHit(p: usize, end: usize): bool {
  if (!isoValid || p + 19 > end) return false;
  // the 19 bytes as three words (the last overlapping the second), their differences ORed: one
  // test instead of four compares and branches
  if (((load<u64>(p) ^ load<u64>(ISO_KEY)) | (load<u64>(p + 8) ^ load<u64>(ISO_KEY, 8)) |
       (load<u64>(p + 11) ^ load<u64>(ISO_KEY, 11))) != 0) return false;
  return p + 19 == end || !isDigit(<u32>load<u8>(p + 19));
}

/** 'DDDD-DD-DD(T| )DD:DD:DD' at p, hour below 24 (the memo's only shape). */
function isoCanonical(p: usize, end: usize): bool {
  if (p + 19 > end) return false;
  for (let k: usize = 0; k < 19; k++) {
    let c = <u32>load<u8>(p + k);
    if (k == 4 || k == 7) { if (c != 0x2D) return false; }
    else if (k == 10) { if (c != 0x54 && c != 0x20) return false; }
    else if (k == 13 || k == 16) { if (c != 0x3A) return false; }
    else if (!isDigit(c)) return false;
  }
  return load<u8>(p + 11) < 0x32 || (load<u8>(p + 11) == 0x32 && load<u8>(p + 12) < 0x34);
}

export function parseIso(p: usize, end: usize): i64 {
  if (isoKeyHit(p, end)) return isoMemoHit(p, end);
  return isoFull(p, end);
}

/** parseIso with the one-second memo's hit inline (no call: JSON time values, CRI stamps). */
@inline export function parseIsoInline(p: usize, end: usize): i64 {
  if (isoKeyHit(p, end)) return isoMemoHit(p, end);
  return isoFull(p, end);
}

/** parseIso after a hit of its memo: exactly what the full path does after the seconds. */
@inline function isoMemoHit(p: usize, end: usize): i64 {
  let q = p + 19;
  FRAC_MS = 0;
  if (q + 1 < end) {
    let f = <u32>load<u8>(q);
    if ((f == 0x2E || f == 0x2C || f == 0x3A) && isDigit(<u32>load<u8>(q + 1))) q = readFrac(q + 1, end);
  }
  TOD_H = isoH; TOD_M = isoM; TOD_S = isoS;
  let z = readZone(q, end);
  let t0 = isoBase == NO_TIME ? NO_TIME : (isoS == 60 ? isoBase : isoBase + <i64>FRAC_MS);
  TS_END = z;
  return zoned(t0, ZONE_MIN);
}

function isoFull(p: usize, end: usize): i64 {
  let y = digits4(p, end);
  if (y < 0 || p + 10 > end) return NO_TIME;
  let sep = <u32>load<u8>(p + 4);
  if (sep != 0x2D && sep != 0x2F && sep != 0x2E) return NO_TIME;
  let mo = digits2(p + 5, end);
  if (mo < 0 || <u32>load<u8>(p + 7) != sep) return NO_TIME;
  let d = digits2(p + 8, end);
  if (d < 0) return NO_TIME;
  let q = p + 10;
  if (q < end && isDigit(<u32>load<u8>(q))) return NO_TIME;
  let h = 0, mi = 0, s = 0, ms = 0;
  if (q + 1 < end) {
    let t = <u32>load<u8>(q);
    if ((t == 0x54 || t == 0x74 || t == 0x20 || t == 0x5F || t == 0x2D) && isDigit(<u32>load<u8>(q + 1))) {
      let r = readTimeOfDay(q + 1, end);
      if (r) {
        h = TOD_H; mi = TOD_M; s = TOD_S; ms = FRAC_MS;
        q = r;
        if (isoCanonical(p, end)) {
          isoBase = civilMs(y, mo, d, h, mi, s, 0);
          isoH = h; isoM = mi; isoS = s;
          store<u64>(ISO_KEY, load<u64>(p)); store<u64>(ISO_KEY, load<u64>(p + 8), 8);
          store<u16>(ISO_KEY, load<u16>(p + 16), 16); store<u8>(ISO_KEY, load<u8>(p + 18), 18);
          isoValid = true;
        }
        let z = readZone(q, end);
        let t0 = civilMs(y, mo, d, h, mi, s, ms);
        TS_END = z;
        return zoned(t0, ZONE_MIN);
      }
    }
  }
  TS_END = q;
  return zoned(civilMs(y, mo, d, 0, 0, 0, 0), 0);
}

/** Pick the year for a year-less stamp: the latest of host year+1 .. host year-4 that is not more
 *  than a day after the host time (a December line read on January 1st belongs to last year; a
 *  Feb 29 line goes back to the last leap year). */
@inline export function yearless(mo: i32, d: i32, h: i32, mi: i32, s: i32, ms: i32, hostMs: i64, site: i32 = YL_OTHER): i64 {
  // consecutive lines share their date and time of day (a syslog stamp has no milliseconds): the
  // memo's answer, one test, while the host time is in its range
  let e = YL + (<usize>site << 6);
  if (<i32>(((mo ^ load<i32>(e)) | (d ^ load<i32>(e, 4)) | (h ^ load<i32>(e, 8)) | (mi ^ load<i32>(e, 12)) |
             (s ^ load<i32>(e, 16))) == 0) & <i32>(<u32>ms <= 999) &
      <i32>(hostMs >= load<i64>(e, 32)) & <i32>(hostMs < load<i64>(e, 40))) return load<i64>(e, 24) + <i64>ms;
  return yearlessSlow(mo, d, h, mi, s, ms, hostMs, e);
}

// yearless' memo, one per kind of caller (interleaved syslog and klog lines would evict each
// other's): the last date and time of day (month, day, hour, minute, second: i32 at 0-16; no leap
// second nor 24:00) that yearless placed in the host's year, that time at .000 (i64 at 24), and the
// host times [lo, hi) (i64 at 32, 40) for which the answer is the same for any milliseconds: the
// host in that year, the date at most a day ahead of it (even at .999) and less than 364 days
// behind it (no New Year's Eve case). Empty: lo > hi.
export const YL_SYSLOG = 0, YL_KLOG = 1, YL_OTHER = 2;
const YL = memory.data(3 << 6, 8);
function initYearless(): void { for (let k: usize = 0; k < 3; k++) store<i64>(YL + (k << 6), 1, 32); }
initYearless();
// the host year's bounds, kept for the next notes
let YL_YEAR: i32 = i32.MIN_VALUE;
let YL_Y0: i64 = 0, YL_Y1: i64 = 0;

/** `t`: the answer yearless gave, in the host's year hy, for these fields and `ms` (0-999). */
function noteYearless(e: usize, hy: i32, t: i64, mo: i32, d: i32, h: i32, mi: i32, s: i32, ms: i32): void {
  if (h > 23 || s > 59) return; // (24:00 and :60 do not add milliseconds as they are)
  if (hy != YL_YEAR) {
    YL_Y0 = daysFromCivil(hy, 1, 1) * DAY_MS; YL_Y1 = daysFromCivil(hy + 1, 1, 1) * DAY_MS;
    YL_YEAR = hy;
  }
  let base = t - <i64>ms;
  let lo = YL_Y0, hi = YL_Y1;
  if (base + 999 - DAY_MS > lo) lo = base + 999 - DAY_MS;
  if (base + 364 * DAY_MS < hi) hi = base + 364 * DAY_MS;
  store<i32>(e, mo); store<i32>(e, d, 4); store<i32>(e, h, 8); store<i32>(e, mi, 12); store<i32>(e, s, 16);
  store<i64>(e, base, 24); store<i64>(e, lo, 32); store<i64>(e, hi, 40);
}

function yearlessSlow(mo: i32, d: i32, h: i32, mi: i32, s: i32, ms: i32, hostMs: i64, e: usize): i64 {
  let hy = yearOf(hostMs);
  let limit = hostMs + DAY_MS;
  let t = civilMs(hy, mo, d, h, mi, s, ms);
  if (t != NO_TIME && t <= limit) {
    // next year's date only fits when this year's is about a year behind (New Year's Eve)
    if (t + 365 * DAY_MS <= limit) {
      let u = civilMs(hy + 1, mo, d, h, mi, s, ms);
      if (u != NO_TIME && u <= limit) return u;
    }
    if (<u32>ms <= 999) noteYearless(e, hy, t, mo, d, h, mi, s, ms);
    return t;
  }
  for (let y = hy - 1; y >= hy - 4; y--) {
    t = civilMs(y, mo, d, h, mi, s, ms);
    if (t != NO_TIME && t <= limit) return t;
  }
  return NO_TIME;
}

/** A time of day without a date: the day (host day -1, 0 or +1) that puts it nearest the host time. */
export function dateless(h: i32, mi: i32, s: i32, ms: i32, hostMs: i64): i64 {
  if (h > 23 || mi > 59 || s > 60 || hostMs < DAY_MS) return NO_TIME;
  if (s == 60) { s = 59; ms = 999; }
  let day = floorDiv(hostMs, DAY_MS) * DAY_MS;
  let t = day + <i64>h * 3600000 + <i64>mi * 60000 + <i64>s * 1000 + <i64>ms;
  if (t - hostMs > DAY_MS / 2) t -= DAY_MS;
  else if (hostMs - t > DAY_MS / 2) t += DAY_MS;
  return t;
}

/** Two-digit or space-padded day of month at p (1 or 2 digits); sets DAY_END. */
let DAY_END: usize = 0;
function readDay(p: usize, end: usize): i32 {
  if (p < end && load<u8>(p) == 0x20) p++;
  let d = field12(p, end);
  DAY_END = FIELD_END;
  return d;
}

/** BSD syslog stamp "Mmm dd hh:mm:ss[.frac]" (day may be space-padded), or "Mmm dd yyyy hh:mm:ss".
 *  Without a year, the year comes from the host time. */
// parseSyslogStamp's memo: records of one second share 'Mmm dd hh:mm:ss' (15 bytes, kept as two
// overlapping words) and so its fields; only the fraction, the byte after it and the year
// (which depends on the host time) are worked out again.
let sysValid = false;
let sysKey0: u64 = 0, sysKey7: u64 = 0;
let sysMo: i32 = 0, sysD: i32 = 0, sysH: i32 = 0, sysM: i32 = 0, sysS: i32 = 0;

/** 'Mmm dd hh:mm:ss[.frac]' (BSD syslog) at p, its year from the host time. (Inline: most lines
 *  that are no syslog stamp fail the space after the month name, without a call; a memo hit implies
 *  that space too.) */
@inline export function parseSyslogStamp(p: usize, end: usize, hostMs: i64): i64 {
  if (p + 4 > end || load<u8>(p + 3) != 0x20) return NO_TIME;
  return syslogStamp(p, end, hostMs);
}

function syslogStamp(p: usize, end: usize, hostMs: i64): i64 {
  if (sysValid && p + 15 <= end && ((load<u64>(p) ^ sysKey0) | (load<u64>(p + 7) ^ sysKey7)) == 0) {
    // exactly what the full path below does after these 15 bytes
    let q = p + 15;
    FRAC_MS = 0;
    if (q + 1 < end) {
      let f = <u32>load<u8>(q);
      if ((f == 0x2E || f == 0x2C || f == 0x3A) && isDigit(<u32>load<u8>(q + 1))) q = readFrac(q + 1, end);
    }
    if (q < end && isDigit(<u32>load<u8>(q))) return NO_TIME;
    TOD_H = sysH; TOD_M = sysM; TOD_S = sysS; TOD_SEC_END = p + 15;
    TS_END = q;
    return yearless(sysMo, sysD, sysH, sysM, sysS, FRAC_MS, hostMs, YL_SYSLOG);
  }
  // (parseSyslogStamp tested the space after the month name: monthFromName is a chain of compares)
  let mo = monthFromName(p, end);
  if (!mo) return NO_TIME;
  let d = readDay(p + 4, end);
  if (d < 0) return NO_TIME;
  let q = DAY_END;
  if (q >= end || load<u8>(q) != 0x20) return NO_TIME;
  q++;
  let year = -1;
  if (countDigits(q, end, 5) == 4 && q + 4 < end && load<u8>(q + 4) == 0x20) {
    year = digits4(q, end);
    q += 5;
  }
  let r = readTimeOfDay(q, end);
  if (!r || TOD_H > 23) return NO_TIME;
  TS_END = r;
  if (year >= 0) return civilMs(year, mo, d, TOD_H, TOD_M, TOD_S, FRAC_MS);
  if (q == p + 7 && TOD_SEC_END == p + 15) {
    // the memo's shape: two-character day, two-digit hour, minutes and seconds
    sysValid = true;
    sysKey0 = load<u64>(p); sysKey7 = load<u64>(p + 7);
    sysMo = mo; sysD = d; sysH = TOD_H; sysM = TOD_M; sysS = TOD_S;
  }
  return yearless(mo, d, TOD_H, TOD_M, TOD_S, FRAC_MS, hostMs, YL_SYSLOG);
}

/** Apache error / ctime stamp "Www Mmm dd hh:mm:ss[.micros] yyyy". */
export function parseCtime(p: usize, end: usize): i64 {
  if (!isWeekday(p, end) || p + 4 > end || load<u8>(p + 3) != 0x20) return NO_TIME;
  let q = p + 4;
  let mo = monthFromName(q, end);
  if (!mo || q + 4 > end || load<u8>(q + 3) != 0x20) return NO_TIME;
  let d = readDay(q + 4, end);
  if (d < 0) return NO_TIME;
  q = DAY_END;
  if (q >= end || load<u8>(q) != 0x20) return NO_TIME;
  let r = readTimeOfDay(q + 1, end);
  if (!r || r + 5 > end || load<u8>(r) != 0x20) return NO_TIME;
  let y = digits4(r + 1, end);
  if (y < 0) return NO_TIME;
  TS_END = r + 5;
  return civilMs(y, mo, d, TOD_H, TOD_M, TOD_S, FRAC_MS);
}

/** Common Log Format stamp "dd/Mmm/yyyy:hh:mm:ss +zzzz" (zone optional). */
// parseClf's memo: records of one second share 'dd/Mmm/yyyy:hh:mm:ss' (20 bytes, three words);
// its epoch ms (fraction 0) is kept, and only the fraction and the zone are read again.
let clfValid = false;
let clfKey0: u64 = 0, clfKey8: u64 = 0, clfKey12: u64 = 0;
let clfBase: i64 = 0;

export function parseClf(p: usize, end: usize): i64 {
  if (clfValid && p + 20 <= end &&
      ((load<u64>(p) ^ clfKey0) | (load<u64>(p + 8) ^ clfKey8) | (load<u64>(p + 12) ^ clfKey12)) == 0) {
    // exactly what the full path below does after these 20 bytes
    let q = p + 20;
    FRAC_MS = 0;
    if (q + 1 < end) {
      let f = <u32>load<u8>(q);
      if ((f == 0x2E || f == 0x2C || f == 0x3A) && isDigit(<u32>load<u8>(q + 1))) q = readFrac(q + 1, end);
    }
    if (q < end && isDigit(<u32>load<u8>(q))) return NO_TIME;
    let z = readZone(q, end);
    TS_END = z;
    return zoned(clfBase + <i64>FRAC_MS, ZONE_MIN);
  }
  let d = digits2(p, end);
  if (d < 0 || p + 20 > end || load<u8>(p + 2) != 0x2F) return NO_TIME;
  let mo = monthFromName(p + 3, end);
  if (!mo || load<u8>(p + 6) != 0x2F) return NO_TIME;
  let y = digits4(p + 7, end);
  if (y < 0 || load<u8>(p + 11) != 0x3A) return NO_TIME;
  let r = readTimeOfDay(p + 12, end);
  if (!r) return NO_TIME;
  let t = civilMs(y, mo, d, TOD_H, TOD_M, TOD_S, FRAC_MS);
  if (TOD_SEC_END == p + 20 && TOD_S != 60 && t != NO_TIME) {
    // the memo's shape: two-digit hour, minutes and seconds (a leap second is not kept)
    clfValid = true;
    clfKey0 = load<u64>(p); clfKey8 = load<u64>(p + 8); clfKey12 = load<u64>(p + 12);
    clfBase = t - <i64>FRAC_MS;
  }
  let z = readZone(r, end);
  TS_END = z;
  return zoned(t, ZONE_MIN);
}

/** RFC 2822 / HTTP date "[Www, ]dd Mmm yyyy hh:mm[:ss] zone". */
export function parseRfc2822(p: usize, end: usize): i64 {
  let q = p;
  if (isWeekday(q, end)) {
    q += 3;
    if (q < end && load<u8>(q) == 0x2C) q++;
    while (q < end && load<u8>(q) == 0x20) q++;
  }
  let nd = countDigits(q, end, 3);
  if (nd < 1 || nd > 2) return NO_TIME;
  let d = digitsN(q, end, nd);
  q += <usize>nd;
  if (q >= end || load<u8>(q) != 0x20) return NO_TIME;
  let mo = monthFromName(q + 1, end);
  if (!mo || q + 5 > end || load<u8>(q + 4) != 0x20) return NO_TIME;
  let y = digits4(q + 5, end);
  if (y < 0 || q + 10 > end || load<u8>(q + 9) != 0x20) return NO_TIME;
  let r = readTimeOfDay(q + 10, end);
  if (!r) return NO_TIME;
  let t = civilMs(y, mo, d, TOD_H, TOD_M, TOD_S, FRAC_MS);
  let z = readZone(r, end);
  TS_END = z;
  return zoned(t, ZONE_MIN);
}

/** Epoch number (mantissa * 10^exp) to ms, unit chosen by magnitude: < 1e11 seconds, < 1e14
 *  milliseconds, < 1e17 microseconds, else nanoseconds. */
export function epochMs(mant: u64, exp: i32, digits: i32, neg: bool): i64 {
  if (neg) return NO_TIME;
  if (mant == 0) return 0;
  let intDigits = digits + exp; // digits before the decimal point
  let shift: i32;
  if (intDigits <= 11) shift = exp + 3;
  else if (intDigits <= 14) shift = exp;
  else if (intDigits <= 17) shift = exp - 3;
  else if (intDigits <= 20) shift = exp - 6;
  else return NO_TIME;
  let v = mant;
  if (shift >= 0) {
    for (let i = 0; i < shift; i++) {
      if (v > <u64>MAX_MS) return NO_TIME;
      v *= 10;
    }
  } else {
    if (shift < -19) return 0;
    v /= pow10u(-shift);
  }
  return v > <u64>MAX_MS ? NO_TIME : <i64>v;
}

@inline function restIsZoneWord(p: usize, end: usize): bool {
  // "... UTC", " CET", "(UTC)": only letters and parentheses may follow a parsed time value
  if (p == end) return true;
  if (load<u8>(p) != 0x20) return false;
  p++;
  let n = 0;
  while (p < end) {
    let c = <u32>load<u8>(p);
    if (!isAlpha(c) && c != 0x28 && c != 0x29) return false;
    p++; n++;
  }
  return n > 0 && n <= 8;
}

/** A time given as a record field value (string): RFC 3339 / ISO 8601, epoch digits, syslog,
 *  CLF, ctime or RFC 2822. The whole value must be the time (a trailing zone word is allowed). */
@inline export function parseTimeString(p: usize, n: usize, hostMs: i64): i64 {
  let end = p + n;
  while (p < end && load<u8>(p) == 0x20) p++;
  while (end > p && load<u8>(end - 1) == 0x20) end--;
  if (p >= end) return NO_TIME;
  let c = <u32>load<u8>(p);
  let t = NO_TIME;
  if (isDigit(c)) {
    t = parseIsoInline(p, end);
    if (t != NO_TIME && restIsZoneWord(TS_END, end)) return t;
    if (parseDecimal(p, end - p)) return epochMs(NUM_MANT, NUM_EXP, NUM_DIGITS, NUM_NEG);
    t = parseClf(p, end);
    if (t != NO_TIME && restIsZoneWord(TS_END, end)) return t;
    t = parseRfc2822(p, end);
    if (t != NO_TIME && restIsZoneWord(TS_END, end)) return t;
    return NO_TIME;
  }
  if (isAlpha(c)) {
    t = parseCtime(p, end);
    if (t != NO_TIME && restIsZoneWord(TS_END, end)) return t;
    t = parseRfc2822(p, end);
    if (t != NO_TIME && restIsZoneWord(TS_END, end)) return t;
    t = parseSyslogStamp(p, end, hostMs);
    if (t != NO_TIME && restIsZoneWord(TS_END, end)) return t;
  }
  return NO_TIME;
}

/** After "dd Mmm " / "dd-Mmm ": an optional 4-digit year, then hh:mm[:ss[.fff]] and an optional zone. */
function dayMonthTime(d: i32, mo: i32, q: usize, end: usize, hostMs: i64): i64 {
  let y = -1;
  if (countDigits(q, end, 5) == 4 && q + 5 < end && load<u8>(q + 4) == 0x20) {
    y = digits4(q, end);
    q += 5;
  }
  let r = readTimeOfDay(q, end);
  if (!r || TOD_H > 23) return NO_TIME;
  let z = readZone(r, end);
  TS_END = z;
  if (y >= 0) return zoned(civilMs(y, mo, d, TOD_H, TOD_M, TOD_S, FRAC_MS), ZONE_MIN);
  return zoned(yearless(mo, d, TOD_H, TOD_M, TOD_S, FRAC_MS, hostMs), ZONE_MIN);
}

/** The time leading an application line, in any of the shapes logs commonly start with:
 *  ISO-like dates (-, / or . separated; T, space, _ or - before the time), YYYYMMDD[-T ]time,
 *  YYMMDD HHMMSS, YY/MM/DD time, MM/DD/YYYY time, MM.DD / MM-DD time (year-less), a bare time of
 *  day (date from the host), epoch seconds/millis (10/13 digits), CLF, ctime and syslog stamps.
 *  TS_END is left after the time; the caller checks what follows. */
export function parseLeadingTime(p: usize, end: usize, hostMs: i64): i64 {
  if (p >= end) return NO_TIME;
  let c = <u32>load<u8>(p);
  if (!isDigit(c)) {
    // ctime ('Www Mmm dd ...') and the syslog stamp ('Mmm dd ...') both have a space after three
    // letters: one test before the calls
    if (!isAlpha(c) || p + 4 > end || load<u8>(p + 3) != 0x20) return NO_TIME;
    let t = parseCtime(p, end);
    if (t != NO_TIME) return t;
    return parseSyslogStamp(p, end, hostMs);
  }
  let nd = countDigits(p, end, 21);
  let q = p + <usize>nd;
  let sep: u32 = q < end ? <u32>load<u8>(q) : 0;
  if (nd == 4) {
    if (sep == 0x2D || sep == 0x2F || sep == 0x2E) return parseIso(p, end);
    return NO_TIME;
  }
  if (nd == 8) {
    // YYYYMMDD then -, T or space, then hh:mm:ss or hhmmss
    let y = digits4(p, end), mo = digits2(p + 4, end), d = digits2(p + 6, end);
    if ((sep == 0x2D || sep == 0x54 || sep == 0x20) && q + 1 < end) {
      let r = readTimeOfDay(q + 1, end);
      if (r) {
        TS_END = r;
        let z = readZone(r, end);
        let t = civilMs(y, mo, d, TOD_H, TOD_M, TOD_S, FRAC_MS);
        TS_END = z;
        return zoned(t, ZONE_MIN);
      }
      if (countDigits(q + 1, end, 7) == 6) {
        TS_END = q + 7;
        return civilMs(y, mo, d, digits2(q + 1, end), digits2(q + 3, end), digits2(q + 5, end), 0);
      }
    }
    return NO_TIME;
  }
  if (nd == 6 && sep == 0x20 && countDigits(q + 1, end, 7) == 6) {
    // YYMMDD HHMMSS
    let t = civilMs(2000 + digits2(p, end), digits2(p + 2, end), digits2(p + 4, end),
      digits2(q + 1, end), digits2(q + 3, end), digits2(q + 5, end), 0);
    TS_END = q + 7;
    return t;
  }
  if ((nd == 1 || nd == 2) && sep == 0x20 && q + 5 < end && load<u8>(q + 4) == 0x20) {
    // dd Mmm [yyyy] hh:mm:ss[.fff] (Redis, "dd Mon yyyy HH:MM:SS.mmm")
    let mo = monthFromName(q + 1, end);
    if (!mo) return NO_TIME;
    return dayMonthTime(digitsN(p, end, nd), mo, q + 5, end, hostMs);
  }
  if (nd == 2 && sep == 0x2D && q + 5 < end && isAlpha(<u32>load<u8>(q + 1))) {
    // dd-Mmm-yyyy hh:mm:ss[.fff] (BIND, Tomcat, PHP-FPM) or dd-Mmm hh:mm (year-less, Bacula)
    let mo = monthFromName(q + 1, end);
    if (!mo) return NO_TIME;
    let r = q + 4;
    let c3 = <u32>load<u8>(r);
    if (c3 == 0x2D) {
      if (countDigits(r + 1, end, 5) != 4 || r + 6 >= end) return NO_TIME;
      let y = digits4(r + 1, end);
      let s = r + 5;
      let c4 = <u32>load<u8>(s);
      if (c4 != 0x20 && c4 != 0x3A) return NO_TIME;
      let tr = readTimeOfDay(s + 1, end);
      if (!tr) return NO_TIME;
      let t = civilMs(y, mo, digits2(p, end), TOD_H, TOD_M, TOD_S, FRAC_MS);
      let z = readZone(tr, end);
      TS_END = z;
      return zoned(t, ZONE_MIN);
    }
    if (c3 != 0x20) return NO_TIME;
    return dayMonthTime(digits2(p, end), mo, r + 1, end, hostMs);
  }
  if (nd == 2 && (sep == 0x3A)) {
    // bare time of day
    let r = readTimeOfDay(p, end);
    if (!r || TOD_H > 23) return NO_TIME;
    TS_END = r;
    return dateless(TOD_H, TOD_M, TOD_S, FRAC_MS, hostMs);
  }
  if (nd == 2 && (sep == 0x2F || sep == 0x2D || sep == 0x2E) && q + 3 <= end) {
    let a = digits2(p, end);
    let b = digits2(q + 1, end);
    if (b < 0) {
      // dd/Mmm/yyyy:... (CLF)
      return sep == 0x2F ? parseClf(p, end) : NO_TIME;
    }
    let r = q + 3;
    let c2: u32 = r < end ? <u32>load<u8>(r) : 0;
    if (c2 == sep) {
      // a/b/yy or a/b/yyyy followed by a time
      let ny = countDigits(r + 1, end, 5);
      if (ny != 2 && ny != 4) return NO_TIME;
      let yv = digitsN(r + 1, end, ny);
      let s = r + 1 + <usize>ny;
      if (s + 1 >= end || (load<u8>(s) != 0x20 && load<u8>(s) != 0x54 && load<u8>(s) != 0x2D)) return NO_TIME;
      let tr = readTimeOfDay(s + 1, end);
      if (!tr) return NO_TIME;
      TS_END = tr;
      let t = NO_TIME;
      if (ny == 2) {
        t = civilMs(2000 + a, b, yv, TOD_H, TOD_M, TOD_S, FRAC_MS);       // yy/mm/dd
        if (t == NO_TIME) t = civilMs(2000 + yv, a, b, TOD_H, TOD_M, TOD_S, FRAC_MS); // mm/dd/yy
      } else if (sep == 0x2E) {
        t = civilMs(yv, b, a, TOD_H, TOD_M, TOD_S, FRAC_MS);             // dd.mm.yyyy (European)
        if (t == NO_TIME) t = civilMs(yv, a, b, TOD_H, TOD_M, TOD_S, FRAC_MS);
      } else {
        t = civilMs(yv, a, b, TOD_H, TOD_M, TOD_S, FRAC_MS);             // mm/dd/yyyy
        if (t == NO_TIME) t = civilMs(yv, b, a, TOD_H, TOD_M, TOD_S, FRAC_MS); // dd/mm/yyyy
      }
      if (t != NO_TIME) {
        let z = readZone(tr, end);
        TS_END = z;
        t = zoned(t, ZONE_MIN);
      }
      return t;
    }
    if (c2 == 0x20 && r + 1 < end) {
      // MM.DD hh:mm:ss (year-less)
      let tr = readTimeOfDay(r + 1, end);
      if (!tr) return NO_TIME;
      TS_END = tr;
      return yearless(a, b, TOD_H, TOD_M, TOD_S, FRAC_MS, hostMs);
    }
    return NO_TIME;
  }
  if ((nd == 10 || nd == 13) && (q == end || sep == 0x20 || sep == 0x2E || sep == 0x5D || sep == 0x7C || sep == 0x2C || sep == 0x29)) {
    // epoch seconds or milliseconds, only within 2000..2100 so counters and ids are not taken
    let r = q;
    if (sep == 0x2E) { r++; while (r < end && isDigit(<u32>load<u8>(r))) r++; }
    if (!parseDecimal(p, r - p)) return NO_TIME;
    let t = epochMs(NUM_MANT, NUM_EXP, NUM_DIGITS, false);
    if (t < 946684800000 || t > 4102444800000) return NO_TIME;
    TS_END = r;
    return t;
  }
  return NO_TIME;
}

// A growable UTF-8 byte buffer in unmanaged memory (heap.alloc), reused across records so the
// hot path allocates nothing once it has grown to the working size.

import { copyBytes, jsonSpecialMask, firstByte } from "./mem";
@unmanaged
export class ByteBuf {
  ptr: usize = 0;
  len: usize = 0;
  cap: usize = 0;

  constructor(initial: usize = 4096) {
    this.ptr = heap.alloc(initial);
    this.cap = initial;
  }

  @inline reset(): void { this.len = 0; }

  /** Make room for n more bytes (the check inline, the growth out of line). */
  @inline ensure(n: usize): void {
    if (this.len + n > this.cap) this.grow(n);
  }

  private grow(n: usize): void {
    let need = this.len + n;
    let cap = this.cap << 1;
    while (cap < need) cap <<= 1;
    this.ptr = heap.realloc(this.ptr, cap);
    this.cap = cap;
  }

  /** Give back memory above `keep` bytes (after an unusually large record). */
  shrink(keep: usize): void {
    if (this.cap > keep && this.len <= keep) {
      this.ptr = heap.realloc(this.ptr, keep);
      this.cap = keep;
    }
  }

  @inline byte(c: u32): void {
    this.ensure(1);
    store<u8>(this.ptr + this.len, <u8>c);
    this.len++;
  }

  @inline bytes(src: usize, n: usize): void {
    this.ensure(n);
    copyBytes(this.ptr + this.len, src, n);
    this.len += n;
  }

  /** byte() and bytes() where the caller has made room already (one ensure for several writes:
   *  each test is a few interpreted operators and a branch). */
  @inline byteReserved(c: u32): void {
    store<u8>(this.ptr + this.len, <u8>c);
    this.len++;
  }
  @inline bytesReserved(src: usize, n: usize): void {
    copyBytes(this.ptr + this.len, src, n);
    this.len += n;
  }

  /** Append an ASCII string literal (config names, keys); never used with user data. */
  ascii(s: string): void {
    let n = <usize>s.length;
    this.ensure(n);
    let d = this.ptr + this.len;
    let p = changetype<usize>(s);
    let i: usize = 0;
    // four UTF-16 units -> four bytes per step
    for (; i + 4 <= n; i += 4) {
      let v = load<u64>(p + (i << 1));
      store<u32>(d + i, <u32>((v & 0xFF) | ((v >> 8) & 0xFF00) | ((v >> 16) & 0xFF0000) | ((v >> 24) & 0xFF000000)));
    }
    for (; i < n; i++) store<u8>(d + i, <u8>load<u16>(p + (i << 1)));
    this.len += n;
  }

  /** Append a JSON string literal (with quotes) from raw UTF-8 bytes: escapes what JSON needs and
   *  replaces invalid UTF-8 by U+FFFD so the output is always valid JSON. */
  jsonString(src: usize, n: usize): void {
    this.byte(0x22);
    this.jsonStringBody(src, n);
    this.byte(0x22);
  }

  jsonStringBody(src: usize, n: usize): void {
    this.ensure(n + 16);
    let end = src + n;
    let i = src;
    let runStart = i;
    while (i < end) {
      // 8 plain bytes per step (no byte to escape, no non-ASCII byte to validate)
      while (i + 8 <= end) {
        let w = load<u64>(i);
        let t = jsonSpecialMask(w) | (w & 0x8080808080808080);
        if (t) { i += firstByte(t); break; }
        i += 8;
      }
      if (i >= end) break;
      let c = <u32>load<u8>(i);
      if (c >= 0x20 && c != 0x22 && c != 0x5C && c < 0x80) { i++; continue; }
      if (c >= 0x80) {
        let k = utf8SeqLen(i, end);
        if (k > 0) { i += k; continue; }
      }
      // flush the clean run, then write an escape or replacement
      if (i > runStart) this.bytes(runStart, i - runStart);
      if (c >= 0x80) {
        this.ensure(3);
        let d = this.ptr + this.len;
        store<u8>(d, 0xEF); store<u8>(d + 1, 0xBF); store<u8>(d + 2, 0xBD);
        this.len += 3;
      } else {
        this.ensure(6);
        let d = this.ptr + this.len;
        store<u8>(d, 0x5C);
        if (c == 0x22 || c == 0x5C) { store<u8>(d + 1, <u8>c); this.len += 2; }
        else if (c == 0x0A) { store<u8>(d + 1, 0x6E); this.len += 2; }
        else if (c == 0x0D) { store<u8>(d + 1, 0x72); this.len += 2; }
        else if (c == 0x09) { store<u8>(d + 1, 0x74); this.len += 2; }
        else {
          store<u8>(d + 1, 0x75); store<u8>(d + 2, 0x30); store<u8>(d + 3, 0x30);
          store<u8>(d + 4, <u8>hexDigit(c >> 4)); store<u8>(d + 5, <u8>hexDigit(c & 15));
          this.len += 6;
        }
      }
      i++;
      runStart = i;
    }
    if (i > runStart) this.bytes(runStart, i - runStart);
  }

  u64dec(v: u64): void {
    this.ensure(20);
    if (v == 0) { this.byte(0x30); return; }
    let digits = 0;
    let t = v;
    while (t) { digits++; t /= 10; }
    let d = this.ptr + this.len + digits;
    while (v) { store<u8>(--d, <u8>(0x30 + <u32>(v % 10))); v /= 10; }
    this.len += digits;
  }

  i64dec(v: i64): void {
    if (v < 0) { this.byte(0x2D); this.u64dec(<u64>(-v)); } else this.u64dec(<u64>v);
  }

  /** Fixed-point decimal with `decimals` digits (trailing zeros trimmed); NaN/inf become 0. */
  fixed(v: f64, decimals: i32 = 2): void {
    if (!isFinite(v)) { this.byte(0x30); return; }
    if (v < 0) { this.byte(0x2D); v = -v; }
    if (v > 1e15) { this.u64dec(<u64>v); return; }
    let scale: f64 = 1;
    for (let i = 0; i < decimals; i++) scale *= 10;
    let scaled = <u64>Math.round(v * scale);
    let ip = scaled / <u64>scale;
    let fp = scaled % <u64>scale;
    this.u64dec(ip);
    if (fp == 0) return;
    this.byte(0x2E);
    let div = <u64>scale / 10;
    while (div > 0) {
      this.byte(0x30 + <u32>(fp / div));
      fp %= div;
      div /= 10;
      if (fp == 0) break;
    }
  }

  /** Lower-case hex, fixed width `digits` (at most 16). */
  hex(v: u64, digits: i32): void {
    this.ensure(<usize>digits);
    let d = this.ptr + this.len;
    for (let i = digits - 1; i >= 0; i--) {
      store<u8>(d + <usize>i, <u8>hexDigit(<u32>(v & 15)));
      v >>= 4;
    }
    this.len += <usize>digits;
  }

  /** RFC 3339 UTC time with milliseconds, quoted: "2024-01-15T14:32:15.123Z". (Inline: a call in
   *  WAMR's interpreter copies the callee's constants into its frame, and the date arithmetic of
   *  the prefixes has many; they stay out of line, called once a second.) */
  @inline rfc3339(ms: i64): void {
    this.ensure(26);
    this.rfc3339Reserved(ms);
  }

  /** rfc3339 where the caller has made room for its 26 bytes. */
  @inline rfc3339Reserved(ms: i64): void {
    rfc3339At(this.ptr + this.len, ms);
    this.len += 26;
  }
}

/** rfc3339's 26 bytes written at o (the caller made room). */
@inline export function rfc3339At(o: usize, ms: i64): void {
  // records of one second share '"YYYY-MM-DDTHH:MM:SS.' (21 bytes): computed once per second;
  // a time in [RFC_MS0, RFC_MS1) is in that second (two compares and one test, no i64 division)
  let f: u32;
  if (<i32>(ms >= RFC_MS0) & <i32>(ms < RFC_MS1)) f = <u32>(ms - RFC_MS0);
  else f = rfcSecond(ms);
  store<u64>(o, load<u64>(RFC_PREFIX));
  store<u64>(o, load<u64>(RFC_PREFIX, 8), 8);
  store<u64>(o, load<u64>(RFC_PREFIX, 16), 16);
  // the milliseconds' three digits and the 'Z' as one word from a table (no divisions), then '"'
  store<u32>(o, load<u32>(<usize>f << 2, RFC_MILLIS), 21);
  store<u8>(o, 0x22, 25);
}

@inline function hexDigit(v: u32): u32 { return v < 10 ? 0x30 + v : 0x57 + v; }

/** Two decimal digits of v (< 100) at o. */
@inline function two(o: usize, v: u32): void {
  store<u8>(o, <u8>(0x30 + v / 10));
  store<u8>(o, <u8>(0x30 + v % 10), 1);
}

// rfc3339's cached '"YYYY-MM-DDTHH:MM:SS.' (21 of 24 bytes) for second RFC_SECS, and its day's
// '"YYYY-MM-DDT' for day RFC_DAYS
const RFC_PREFIX = memory.data(24);
let RFC_SECS: i64 = i64.MIN_VALUE;
let RFC_DAYS: i64 = i64.MIN_VALUE;
/** RFC_SECS' milliseconds [RFC_MS0, RFC_MS1) (empty when RFC_SECS is not set or too far out for
 *  its times to be exact in i64). */
let RFC_MS0: i64 = 1;
let RFC_MS1: i64 = 0;
/** ms (0-999) -> its three digits and 'Z' as a little-endian word. */
const RFC_MILLIS = memory.data(1000 * 4, 4);
function initMillis(): void {
  for (let f: u32 = 0; f < 1000; f++) {
    store<u32>(RFC_MILLIS + (<usize>f << 2),
      (0x30 + f / 100) | ((0x30 + f / 10 % 10) << 8) | ((0x30 + f % 10) << 16) | (0x5A << 24));
  }
}
initMillis();

/** rfc3339's time outside the current second: its prefix written, the memo moved to its second.
 *  Returns the milliseconds within it. */
function rfcSecond(ms: i64): u32 {
  let secs = floorDiv(ms, 1000);
  if (secs != RFC_SECS) { writeSecondPrefix(secs); RFC_SECS = secs; }
  if (secs > -(<i64>1 << 50) && secs < (<i64>1 << 50)) { RFC_MS0 = secs * 1000; RFC_MS1 = RFC_MS0 + 1000; }
  else { RFC_MS0 = 1; RFC_MS1 = 0; }
  return <u32>(ms - secs * 1000);
}

function writeSecondPrefix(secs: i64): void {
  let days = floorDiv(secs, 86400);
  if (days != RFC_DAYS) { writeDatePrefix(days); RFC_DAYS = days; }
  let rem = <u32>(secs - days * 86400);
  let o = RFC_PREFIX;
  two(o + 12, rem / 3600); store<u8>(o, 0x3A, 14);
  two(o + 15, (rem / 60) % 60); store<u8>(o, 0x3A, 17);
  two(o + 18, rem % 60); store<u8>(o, 0x2E, 20);
}

function writeDatePrefix(days: i64): void {
  // civil_from_days (H. Hinnant)
  let z = days + 719468;
  let era = floorDiv(z, 146097);
  let doe = z - era * 146097;
  let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  let y = yoe + era * 400;
  let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  let mp = (5 * doy + 2) / 153;
  let d = doy - (153 * mp + 2) / 5 + 1;
  let m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) y++;
  if (y < 0) y = 0;
  if (y > 9999) y = 9999;
  let o = RFC_PREFIX;
  let yy = <u32>y;
  store<u8>(o, 0x22);
  two(o + 1, yy / 100); two(o + 3, yy % 100); store<u8>(o, 0x2D, 5);
  two(o + 6, <u32>m); store<u8>(o, 0x2D, 8);
  two(o + 9, <u32>d); store<u8>(o, 0x54, 11);
}

@inline export function floorDiv(a: i64, b: i64): i64 {
  let q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

/** Length of the valid UTF-8 sequence starting at p (a byte >= 0x80), or 0 if invalid. */
export function utf8SeqLen(p: usize, end: usize): usize {
  let c = <u32>load<u8>(p);
  if (c < 0xC2) return 0;
  if (c < 0xE0) {
    if (p + 1 >= end) return 0;
    return (load<u8>(p + 1) & 0xC0) == 0x80 ? 2 : 0;
  }
  if (c < 0xF0) {
    if (p + 2 >= end) return 0;
    let c1 = <u32>load<u8>(p + 1);
    if ((c1 & 0xC0) != 0x80 || (load<u8>(p + 2) & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && c1 < 0xA0) return 0;       // overlong
    if (c == 0xED && c1 >= 0xA0) return 0;      // surrogates
    return 3;
  }
  if (c < 0xF5) {
    if (p + 3 >= end) return 0;
    let c1 = <u32>load<u8>(p + 1);
    if ((c1 & 0xC0) != 0x80 || (load<u8>(p + 2) & 0xC0) != 0x80 || (load<u8>(p + 3) & 0xC0) != 0x80) return 0;
    if (c == 0xF0 && c1 < 0x90) return 0;
    if (c == 0xF4 && c1 >= 0x90) return 0;
    return 4;
  }
  return 0;
}

// Byte helpers shared by the parsers. Everything works on raw UTF-8 in linear memory; string
// literals are only read (their static UTF-16 data), never created, so nothing here allocates.

@inline export function isDigit(c: u32): bool { return c - 0x30 < 10; }
@inline export function isAlpha(c: u32): bool { return ((c | 0x20) - 0x61) < 26; }
@inline export function isAlnum(c: u32): bool { return isDigit(c) || isAlpha(c); }
@inline export function isUpper(c: u32): bool { return c - 0x41 < 26; }
@inline export function isLower(c: u32): bool { return c - 0x61 < 26; }
@inline export function lower(c: u32): u32 { return isUpper(c) ? c | 0x20 : c; }
@inline export function isSpace(c: u32): bool { return c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D; }
@inline export function isHex(c: u32): bool { return isDigit(c) || ((c | 0x20) - 0x61) < 6; }
@inline export function hexVal(c: u32): u32 { return isDigit(c) ? c - 0x30 : (c | 0x20) - 0x57; }

import { eqBytes, firstByte } from "../core/mem";
export { eqBytes };

/** High bit of each byte of w that is no ASCII letter: y, the byte with bit 5 set (7 bits), is a
 *  letter from 'a' (y + 0x1F reaches 0x80) to 'z' (y + 5 stays below 0x80); no carries. */
@inline function notLetters(w: u64): u64 {
  let y = (w | 0x2020202020202020) & 0x7F7F7F7F7F7F7F7F;
  return (~(y + 0x1F1F1F1F1F1F1F1F) | (y + 0x0505050505050505) | w) & 0x8080808080808080;
}

/** letterRun's second result: the letters it found are all upper case. */
export let LETTERS_UPPER = true;

/** End of the run of ASCII letters at p, at most up to lim (p <= lim <= p + 16); sets LETTERS_UPPER. Two
 *  words at a time where sixteen bytes are readable (a no-letter mask and firstByte; upper case by
 *  bit 5 of the letters), else byte by byte. */
@inline export function letterRun(p: usize, lim: usize): usize {
  let q: usize;
  if (p + 16 <= (<usize>memory.size() << 16)) {
    let w0 = load<u64>(p), w1 = load<u64>(p, 8);
    let k: usize = 16;
    let t = notLetters(w0);
    if (t) k = firstByte(t);
    else {
      t = notLetters(w1);
      if (t) k = 8 + firstByte(t);
    }
    let n = lim - p;
    if (k > n) k = n;
    q = p + k;
    let m0: u64 = k >= 8 ? <u64>-1 : (<u64>1 << (<u64>k << 3)) - 1;
    let m1: u64 = k > 8 ? (<u64>1 << (<u64>(k - 8) << 3)) - 1 : 0;
    LETTERS_UPPER = (((w0 & m0) | (w1 & m1)) & 0x2020202020202020) == 0;
  } else {
    q = p;
    let upper = true;
    while (q < lim && isAlpha(<u32>load<u8>(q))) { if (<u32>load<u8>(q) >= 0x61) upper = false; q++; }
    LETTERS_UPPER = upper;
  }
  return q;
}

/** [p, p+n) equals the bytes of `arr` (length compared first). */
@inline export function eqStatic(p: usize, n: usize, arr: StaticArray<u8>): bool {
  return <usize>arr.length == n && eqBytes(p, changetype<usize>(arr), n);
}

/** [p, p+n) equals the ASCII literal `lit` (exact case). */
export function eqLit(p: usize, n: usize, lit: string): bool {
  if (<usize>lit.length != n) return false;
  let s = changetype<usize>(lit);
  for (let i: usize = 0; i < n; i++) {
    if (<u32>load<u8>(p + i) != <u32>load<u16>(s + (i << 1))) return false;
  }
  return true;
}

/** The n <= 8 bytes at p packed little-endian with bit 5 set in each (| 0x20), read with loads
 *  that stay inside [p, p+n). Equals foldLit(lit) exactly when the bytes equal `lit` ignoring
 *  ASCII case, as long as lit holds only lower-case letters (a byte other than a letter would also
 *  match its bit-5 twin): one compare instead of an eqLitCI loop. */
@inline export function foldBytes(p: usize, n: usize): u64 {
  let v: u64;
  if (n >= 4) v = <u64>load<u32>(p) | (<u64>load<u32>(p + n - 4) << (<u64>(n - 4) << 3)); // overlapping
  else if (n == 3) v = <u64>load<u16>(p) | (<u64>load<u8>(p + 2) << 16);
  else if (n == 2) v = <u64>load<u16>(p);
  else if (n == 1) v = <u64>load<u8>(p);
  else return 0;
  return v | (0x2020202020202020 >> (<u64>(8 - n) << 3));
}

/** foldBytes of a lower-case letter literal of at most 8 characters. */
export function foldLit(s: string): u64 {
  let v: u64 = 0;
  for (let k = 0; k < s.length && k < 8; k++) v |= <u64>(s.charCodeAt(k) | 0x20) << (<u64>k << 3);
  return v;
}

/** [p, p+n) equals the lower-case ASCII literal `lit`, ignoring ASCII case of the input. */
export function eqLitCI(p: usize, n: usize, lit: string): bool {
  if (<usize>lit.length != n) return false;
  let s = changetype<usize>(lit);
  for (let i: usize = 0; i < n; i++) {
    if (lower(<u32>load<u8>(p + i)) != <u32>load<u16>(s + (i << 1))) return false;
  }
  return true;
}

/** Input at p (with at least lit.length bytes before end) starts with `lit`, exact case. */
export function startsLit(p: usize, end: usize, lit: string): bool {
  let n = <usize>lit.length;
  if (p + n > end) return false;
  return eqLit(p, n, lit);
}

@inline export function skipSpaces(p: usize, end: usize): usize {
  while (p < end && (load<u8>(p) == 0x20 || load<u8>(p) == 0x09)) p++;
  return p;
}

/** Skip spaces, tabs and line breaks. */
@inline export function skipWs(p: usize, end: usize): usize {
  while (p < end && isSpace(<u32>load<u8>(p))) p++;
  return p;
}

/** Read exactly n decimal digits at p as a number, or -1 if any is not a digit / out of range. */
export function digitsN(p: usize, end: usize, n: i32): i32 {
  if (p + <usize>n > end) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    let d = <u32>load<u8>(p + <usize>i) - 0x30;
    if (d >= 10) return -1;
    v = v * 10 + <i32>d;
  }
  return v;
}

/** digitsN(p, end, 2) without a loop (an interpreter pays ~40 instructions for the loop's two
 *  digits). */
@inline export function digits2(p: usize, end: usize): i32 {
  if (p + 2 > end) return -1;
  let a = <u32>load<u8>(p) - 0x30, b = <u32>load<u8>(p + 1) - 0x30;
  if (a >= 10 || b >= 10) return -1;
  return <i32>(a * 10 + b);
}

/** digitsN(p, end, 3) without a loop. */
@inline export function digits3(p: usize, end: usize): i32 {
  if (p + 3 > end) return -1;
  let a = <u32>load<u8>(p) - 0x30, b = <u32>load<u8>(p + 1) - 0x30, c = <u32>load<u8>(p + 2) - 0x30;
  if (a >= 10 || b >= 10 || c >= 10) return -1;
  return <i32>((a * 10 + b) * 10 + c);
}

/** digitsN(p, end, 4) without a loop. */
@inline export function digits4(p: usize, end: usize): i32 {
  if (p + 4 > end) return -1;
  let a = <u32>load<u8>(p) - 0x30, b = <u32>load<u8>(p + 1) - 0x30;
  let c = <u32>load<u8>(p + 2) - 0x30, d = <u32>load<u8>(p + 3) - 0x30;
  if (a >= 10 || b >= 10 || c >= 10 || d >= 10) return -1;
  return <i32>(((a * 10 + b) * 10 + c) * 10 + d);
}

/** High bit of each byte of w that is no ASCII digit: w ^ '0' is 0-9 for the digits, and
 *  (its low 7 bits) + 0x76 reaches 0x80 from 10 (no carries); bytes >= 0x80 by w. */
@inline export function notDigits(w: u64): u64 {
  return ((((w ^ 0x3030303030303030) & 0x7F7F7F7F7F7F7F7F) + 0x7676767676767676) | w) & 0x8080808080808080;
}

/** Number of consecutive digits at p (at most `max`). */
export function countDigits(p: usize, end: usize, max: i32 = 32): i32 {
  let n = 0;
  while (p < end && n < max && isDigit(<u32>load<u8>(p))) { p++; n++; }
  return n;
}

// Byte-range helpers of the per-record path: short copies done inline (V8 lowers wasm memory.copy
// to a call into C, whose fixed cost of tens of ns dominates 3-40 byte copies; not for overlapping
// ranges), comparison, and tests of 8 bytes at a time (SWAR, no SIMD).

/** Copies n bytes from s to d (non-overlapping), 8 bytes per step. */
@inline export function copyShort(d: usize, s: usize, n: usize): void {
  let e = d + n;
  while (d + 8 <= e) { store<u64>(d, load<u64>(s)); d += 8; s += 8; }
  while (d < e) { store<u8>(d, load<u8>(s)); d++; s++; }
}

/** Copies n bytes: inline when short, memory.copy when long. Non-overlapping ranges. */
@inline export function copyBytes(d: usize, s: usize, n: usize): void {
  memory.copy(d, s, n);
}

/** Bytes [a, a+n) equal bytes [b, b+n); 8 bytes per step (memory.compare orders, this only
 *  compares). */
export function eqBytes(a: usize, b: usize, n: usize): bool { return eqBytesInline(a, b, n); }

/** eqBytes inline, for the compares every record makes (a call in WAMR's interpreter costs about
 *  as much as ten operators). */
@inline export function eqBytesInline(a: usize, b: usize, n: usize): bool {
  let i: usize = 0;
  // sixteen bytes a step, the two words' differences ORed (one test)
  while (i + 16 <= n) {
    if (((load<u64>(a + i) ^ load<u64>(b + i)) | (load<u64>(a + i, 8) ^ load<u64>(b + i, 8))) != 0) return false;
    i += 16;
  }
  if (i + 8 <= n) {
    if (load<u64>(a + i) != load<u64>(b + i)) return false;
    i += 8;
  }
  if (i == n) return true;
  return tailXor(a + i, b + i, n - i) == 0;
}

/** tailWord(a, n) ^ tailWord(b, n) (n < 8) with one bounds test for both. */
@inline function tailXor(a: usize, b: usize, n: usize): u64 {
  if ((a > b ? a : b) + 8 <= (<usize>memory.size() << 16)) return (load<u64>(a) ^ load<u64>(b)) & ((<u64>1 << (<u64>n << 3)) - 1);
  return tailWord(a, n) ^ tailWord(b, n);
}

/** The n < 8 bytes at p as a little-endian word, upper bytes 0: one load when eight bytes are
 *  readable there (the interpreter pays ~12 instructions per byte of a byte loop), else a byte
 *  loop (the end of linear memory: never read past it). */
@inline export function tailWord(p: usize, n: usize): u64 {
  if (p + 8 <= (<usize>memory.size() << 16)) return load<u64>(p) & ((<u64>1 << (<u64>n << 3)) - 1);
  let t: u64 = 0;
  for (let k: usize = 0; k < n; k++) t |= <u64>load<u8>(p + k) << (<u64>k << 3);
  return t;
}

/** Index of the lowest flagged byte of a mask that flags bytes by their high bit only (m != 0):
 *  ctz(m) >> 3 without ctz, which WAMR's fast interpreter runs as a loop over the bits (up to 63
 *  steps, ~2.5% of its time on the mixed stream). The lowest flag moved to bit 0 of its byte k,
 *  times 0x0001020304050607, holds k in its top byte. */
@inline export function firstByte(m: u64): usize {
  return <usize>((((m & (0 - m)) >> 7) * 0x0001020304050607) >> 56);
}

/** High bit set in each zero byte of x. Only the lowest flagged byte is exact (borrows run
 *  upwards from a hit), which is all a scan for the first hit needs: firstByte(mask). */
@inline export function zeroByteMask(x: u64): u64 {
  return (x - 0x0101010101010101) & ~x & 0x8080808080808080;
}

/** High bit set in the lowest byte of w that a JSON string must escape ('"', '\\' or a control
 *  < 0x20), and possibly in bytes above it; 0 when there is none. x = w ^ 0x02 per byte maps '"'
 *  to 0x20 and the controls onto the controls, so "x - 0x21 borrows" flags both; "w ^ 0x5C - 1
 *  borrows" flags '\\'. A borrow only starts at a flagged byte (bytes below the lowest one are
 *  exact), and a byte >= 0x80 sets a high bit in either difference without a borrow, so one
 *  `& ~w` (its high bit) for both replaces a `& ~x` per test. */
@inline export function jsonSpecialMask(w: u64): u64 {
  return (((w ^ 0x0202020202020202) - 0x2121212121212121) | ((w ^ 0x5C5C5C5C5C5C5C5C) - 0x0101010101010101)) &
    ~w & 0x8080808080808080;
}

/** jsonSpecialMask without its `& ~w & 0x80..`: a superset (it may also flag bytes >= 0xA1), never
 *  missing a special byte; two words of it ORed and masked once make a cheap "nothing here" test. */
@inline export function roughJsonSpecial(w: u64): u64 {
  return ((w ^ 0x0202020202020202) - 0x2121212121212121) | ((w ^ 0x5C5C5C5C5C5C5C5C) - 0x0101010101010101);
}

/** The first byte a JSON string must escape at or after j, eight then sixteen bytes a step while
 *  the words lie below lim; else where fewer than eight bytes remain (the caller checks that byte
 *  and goes on one byte at a time). */
@inline export function nextJsonSpecial(j: usize, lim: usize): usize {
  // the first two words one by one (keys and short values end there), then two words a step
  // tested together by the rough mask (ASCII text: one test per sixteen bytes, the exact mask only
  // where it flags); the hit's position is worked out after the loop
  let t: u64 = 0;
  if (j + 16 <= lim) {
    t = jsonSpecialMask(load<u64>(j));
    if (!t) {
      t = jsonSpecialMask(load<u64>(j, 8));
      j += 8;
      if (!t) return specialPast16(j + 8, lim);
    }
  } else if (j + 8 <= lim) {
    t = jsonSpecialMask(load<u64>(j));
    if (!t) j += 8;
  }
  return t ? j + firstByte(t) : j;
}

/** nextJsonSpecial where sixteen bytes at j are always readable (the record scan keeps that much
 *  room past its end): the first two words without a bounds test. */
@inline export function nextJsonSpecialPadded(j: usize, lim: usize): usize {
  // (each hit returns its own position: written as one shared `t ? j + firstByte(t) : j` tail,
  // binaryen merged the paths and every short string paid the long path's last-word test)
  let t = jsonSpecialMask(load<u64>(j));
  if (t) return j + firstByte(t);
  t = jsonSpecialMask(load<u64>(j, 8));
  if (t) return j + 8 + firstByte(t);
  return specialPast16(j + 16, lim);
}

/** Both scans past their first two words: two words a step, then a last whole word. */
@inline function specialPast16(j: usize, lim: usize): usize {
  let last = lim - 16; // lim >= 16: linear memory starts with static data
  while (j <= last) {
    let w0 = load<u64>(j), w1 = load<u64>(j, 8);
    let r0 = roughJsonSpecial(w0), r1 = roughJsonSpecial(w1);
    if ((r0 | r1) & 0x8080808080808080) {
      let t = r0 & ~w0 & 0x8080808080808080;
      if (t) return j + firstByte(t);
      t = r1 & ~w1 & 0x8080808080808080;
      if (t) return j + 8 + firstByte(t);
    }
    j += 16;
  }
  if (j + 8 <= lim) {
    let t = jsonSpecialMask(load<u64>(j));
    if (t) return j + firstByte(t);
    j += 8;
  }
  return j;
}

/** How far eight-byte loads may reach for a scan of [p, end): end + 7 when linear memory holds
 *  those bytes (a scan then needs no byte-wise tail: a hit at or past end is no hit), else end. */
@inline export function overreadLimit(end: usize): usize {
  return end <= (<usize>memory.size() << 16) - 7 ? end + 7 : end;
}

/** zeroByteMask(w ^ spaces) | zeroByteMask(w ^ tabs) in fewer steps: both differences borrow only
 *  at a space or tab (or above a flagged byte), and one `& ~w` clears the bytes >= 0x80 for both. */
@inline export function spaceTabMask(w: u64): u64 {
  return (((w ^ 0x2020202020202020) - 0x0101010101010101) | ((w ^ 0x0909090909090909) - 0x0101010101010101)) &
    ~w & 0x8080808080808080;
}

/** The first byte at or after p that may be '"' or '\\' while eight bytes remain (eight per step);
 *  else p where fewer than eight remain: the caller checks that byte and the tail one by one. */
@inline export function skipToQuoteOrBackslash(p: usize, end: usize): usize {
  while (p + 8 <= end) {
    // (zeroByteMask of both in fewer steps, as spaceTabMask: one `& ~w` for both differences)
    let w = load<u64>(p);
    let m = (((w ^ 0x2222222222222222) - 0x0101010101010101) | ((w ^ 0x5C5C5C5C5C5C5C5C) - 0x0101010101010101)) &
      ~w & 0x8080808080808080;
    if (m) return p + firstByte(m);
    p += 8;
  }
  return p;
}

/** First byte equal to the byte in every lane of `lanes` (e.g. 0x2020202020202020 for a space) in
 *  [p, end), or end: eight bytes a step, then the tail one by one. */
@inline export function findByte(p: usize, end: usize, lanes: u64): usize {
  while (p + 8 <= end) {
    let m = zeroByteMask(load<u64>(p) ^ lanes);
    if (m) return p + firstByte(m);
    p += 8;
  }
  let c = <u8>lanes;
  while (p < end && load<u8>(p) != c) p++;
  return p;
}

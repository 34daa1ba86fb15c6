// The module's hashes: FNV-1a for template ids and texts, exact messages, token shapes and
// dictionary words; a murmur-style one, eight bytes a step, for stream keys (hashBytes). FNV steps
// are inlined so a caller's own loop (unrolled, fused with a class lookup) costs what it did with
// the constants written out.

import { tailWord } from "./mem";

export const FNV64_OFFSET: u64 = 0xcbf29ce484222325;
export const FNV64_PRIME: u64 = 0x100000001b3;
export const FNV32_OFFSET: u32 = 0x811c9dc5;
export const FNV32_PRIME: u32 = 0x01000193;

/** One FNV-1a 64 step: h with byte (or word) b mixed in. */
@inline export function fnv64Step(h: u64, b: u64): u64 { return (h ^ b) * FNV64_PRIME; }

/** One FNV-1a 32 step. */
@inline export function fnv32Step(h: u32, b: u32): u32 { return (h ^ b) * FNV32_PRIME; }

/** FNV-1a 64 of the bytes [p, p+n). */
@inline export function fnv64Bytes(p: usize, n: usize): u64 {
  let h = FNV64_OFFSET;
  for (let i: usize = 0; i < n; i++) h = fnv64Step(h, <u64>load<u8>(p + i));
  return h;
}

/** 64-bit hash of bytes (8 at a time, murmur-style finaliser): the detector's stream keys. */
@inline export function hashBytes(p: usize, n: usize): u64 {
  let h: u64 = 0x9E3779B97F4A7C15 ^ (<u64>n * 0xC2B2AE3D27D4EB4F);
  let i: usize = 0;
  while (i + 8 <= n) {
    let k = load<u64>(p + i) * 0x87C37B91114253D5;
    k = rotl<u64>(k, 31) * 0x4CF5AD432745937F;
    h = rotl<u64>(h ^ k, 27) * 5 + 0x52DCE729;
    i += 8;
  }
  let t = tailWord(p + i, n - i);
  h ^= t * 0x87C37B91114253D5;
  h ^= h >> 33; h *= 0xFF51AFD7ED558CCD;
  h ^= h >> 33; h *= 0xC4CEB9FE1A85EC53;
  h ^= h >> 33;
  return h;
}

/** FNV-style hash of [p, p+n) eight bytes per step; the length is mixed in (never 0): the miner's
 *  exact-message and digit-blind caches. */
@inline export function exactHash(p: usize, n: usize): u64 {
  let h: u64 = FNV64_OFFSET ^ <u64>n;
  let e = p + n;
  // two words a step (one loop test per sixteen bytes), then one
  while (p + 16 <= e) { h = fnv64Step(fnv64Step(h, load<u64>(p)), load<u64>(p, 8)); p += 16; }
  if (p + 8 <= e) { h = fnv64Step(h, load<u64>(p)); p += 8; }
  h = fnv64Step(h, tailWord(p, e - p));
  h ^= h >> 29;
  return h | 1;
}

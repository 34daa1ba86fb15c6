// Dictionary look-up for the miner's word rule: is an ASCII-letter token a common English word?
// Bloom filter built by scripts/lib/gen-dict.js (hashes must match hashes() there).
import { DICT_DATA, DICT_BITS_LOG2, DICT_K } from "./dict_data";
import { FNV32_OFFSET, fnv32Step } from "../core/hash";

/** True if the bytes [p, p+n) (ASCII letters, any case) form a dictionary word (~0.5% false positives). */
export function dictHas(p: usize, n: usize): bool {
  if (n < 2 || n > 24) return false;
  let h1 = FNV32_OFFSET, h2: u32 = 0x9747b28c;
  for (let i: usize = 0; i < n; i++) {
    let b = <u32>load<u8>(p + i) | 0x20; // lower-case (callers pass letters only)
    h1 = fnv32Step(h1, b);
    h2 = (h2 ^ b) * 0x5bd1e995; h2 ^= h2 >>> 15;
  }
  h2 |= 1;
  let mask: u32 = (1 << DICT_BITS_LOG2) - 1;
  for (let i: u32 = 0; i < DICT_K; i++) {
    let bit = (h1 + i * h2) & mask;
    if ((load<u32>(DICT_DATA + (<usize>(bit >>> 5) << 2)) & (1 << (bit & 31))) == 0) return false;
  }
  return true;
}

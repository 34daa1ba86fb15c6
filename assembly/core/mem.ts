// Short copies done inline: V8 lowers wasm memory.copy to a call into C, whose fixed cost
// (tens of ns) dominates the 3-40 byte copies of the per-record path. Not for overlapping ranges.

/** Copies n bytes from s to d (non-overlapping), 8 bytes per step. */
@inline export function copyShort(d: usize, s: usize, n: usize): void {
  let e = d + n;
  while (d + 8 <= e) { store<u64>(d, load<u64>(s)); d += 8; s += 8; }
  while (d < e) { store<u8>(d, load<u8>(s)); d++; s++; }
}

/** Copies n bytes: inline when short, memory.copy when long. Non-overlapping ranges. */
@inline export function copyBytes(d: usize, s: usize, n: usize): void {
  if (n <= 64) copyShort(d, s, n);
  else memory.copy(d, s, n);
}

/** Byte equality of two ranges of n bytes, 8 bytes per step (memory.compare orders; this only
 *  compares). */
@inline export function equalBytes(a: usize, b: usize, n: usize): bool {
  let e = a + n;
  while (a + 8 <= e) {
    if (load<u64>(a) != load<u64>(b)) return false;
    a += 8; b += 8;
  }
  while (a < e) {
    if (load<u8>(a) != load<u8>(b)) return false;
    a++; b++;
  }
  return true;
}

// Keyword matching on message bytes: ignore_patterns (case-sensitive substring) and the error
// keyword fallback (ASCII case-insensitive, only where a word starts, so "ERROR" does not fire
// inside "terrorist" while "Exception" still fires in "NullPointerException" at its camel-case start).
import { lower, isAlnum, isUpper, isLower, eqBytes } from "./bytes";

/** Some pattern occurs in [ptr, ptr+len) as a case-sensitive substring (empty patterns never match). */
export function matchesAny(ptr: usize, len: usize, pats: StaticArray<u8>[]): bool {
  for (let k = 0, np = pats.length; k < np; k++) {
    let pat = unchecked(pats[k]);
    let m = <usize>pat.length;
    if (m == 0 || m > len) continue;
    let pp = changetype<usize>(pat);
    let first = load<u8>(pp);
    let last = ptr + len - m;
    for (let i = ptr; i <= last; i++) {
      if (load<u8>(i) == first && eqBytes(i + 1, pp + 1, m - 1)) return true;
    }
  }
  return false;
}

// one bit per lower-cased first byte of the patterns, rebuilt per call (a dozen stores)
const FIRST = memory.data(32);

function eqCI(a: usize, b: usize, n: usize): bool {
  for (let i: usize = 0; i < n; i++) {
    if (lower(<u32>load<u8>(a + i)) != lower(<u32>load<u8>(b + i))) return false;
  }
  return true;
}

/** Some pattern starts at a word start in [ptr, ptr+len), ignoring ASCII case. A word starts after
 *  a byte that is not a letter/digit (or UTF-8), or at an upper-case letter after a lower-case one. */
export function keywordAtWordStart(ptr: usize, len: usize, pats: StaticArray<u8>[]): bool {
  let np = pats.length;
  if (np == 0 || len == 0) return false;
  memory.fill(FIRST, 0, 32);
  for (let k = 0; k < np; k++) {
    let pat = unchecked(pats[k]);
    if (pat.length == 0) continue;
    let c = lower(<u32>load<u8>(changetype<usize>(pat)));
    store<u8>(FIRST + (c >> 3), load<u8>(FIRST + (c >> 3)) | <u8>(<u32>1 << (c & 7)));
  }
  let prevWord = false;
  let prevLower = false;
  let end = ptr + len;
  for (let i = ptr; i < end; i++) {
    let c = <u32>load<u8>(i);
    let lc = lower(c);
    if ((!prevWord || (prevLower && isUpper(c))) && (load<u8>(FIRST + (lc >> 3)) & (1 << (lc & 7)))) {
      for (let k = 0; k < np; k++) {
        let pat = unchecked(pats[k]);
        let m = <usize>pat.length;
        if (m == 0 || i + m > end) continue;
        let pp = changetype<usize>(pat);
        if (lower(<u32>load<u8>(pp)) == lc && eqCI(i, pp, m)) return true;
      }
    }
    prevWord = isAlnum(c) || c >= 0x80;
    prevLower = isLower(c);
  }
  return false;
}

// Keyword matching on message bytes: ignore_patterns (case-sensitive substring) and the error
// keyword fallback (ASCII case-insensitive, only where a word starts, so "ERROR" does not fire
// inside "terrorist" while "Exception" still fires in "NullPointerException" at its camel-case start).
import { lower, isUpper, isLower, eqBytes } from "./bytes";

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

// Compiled keyword set, rebuilt when the pattern list changes: the lower-cased patterns in one
// unmanaged block, and per lower-cased first byte a bit mask of the patterns starting with it
// (patterns beyond 64 share the last bit and are checked one by one).
const MAX_FAST = 64;
const FIRST_MASK = memory.data(256 * 8);
// byte class: bit 0 = word byte (letter, digit, UTF-8), bit 1 = upper case, bit 2 = lower case
const CLASS = memory.data(256);
let classReady = false;
// the list compiled last, held so it cannot be freed and its address reused by another list
let compiledFor: StaticArray<u8>[] | null = null;
let compiledCount: i32 = -1;
let patBlock: usize = 0;         // per pattern: offset u32, length u32, then bytes
let patBlockCap: usize = 0;
let patCount: i32 = 0;

function initClass(): void {
  for (let c: u32 = 0; c < 256; c++) {
    let k: u8 = 0;
    if (c - 0x30 < 10 || c >= 0x80) k = 1;
    if (isUpper(c)) k = 3;
    if (isLower(c)) k = 5;
    store<u8>(CLASS + c, k);
  }
  classReady = true;
}

function compile(pats: StaticArray<u8>[]): void {
  let n = pats.length;
  let bytes: usize = 0;
  for (let k = 0; k < n; k++) bytes += 8 + <usize>unchecked(pats[k]).length;
  if (bytes > patBlockCap) {
    if (patBlock) heap.free(patBlock);
    patBlockCap = bytes + 64;
    patBlock = heap.alloc(patBlockCap);
  }
  memory.fill(FIRST_MASK, 0, 256 * 8);
  let off: usize = <usize>n * 8;
  for (let k = 0; k < n; k++) {
    let pat = unchecked(pats[k]);
    let m = <usize>pat.length;
    store<u32>(patBlock + <usize>k * 8, <u32>off);
    store<u32>(patBlock + <usize>k * 8, <u32>m, 4);
    let src = changetype<usize>(pat);
    for (let i: usize = 0; i < m; i++) store<u8>(patBlock + off + i, <u8>lower(<u32>load<u8>(src + i)));
    if (m) {
      let c = <usize>load<u8>(patBlock + off);
      let bit = <u64>1 << <u64>(k < MAX_FAST ? k : MAX_FAST - 1);
      store<u64>(FIRST_MASK + c * 8, load<u64>(FIRST_MASK + c * 8) | bit);
    }
    off += m;
  }
  patCount = n;
}

@inline function matchAt(i: usize, end: usize, k: i32): bool {
  let e = patBlock + <usize>k * 8;
  let m = <usize>load<u32>(e, 4);
  if (m == 0 || i + m > end) return false;
  let q = patBlock + <usize>load<u32>(e);
  for (let j: usize = 1; j < m; j++) {
    if (lower(<u32>load<u8>(i + j)) != <u32>load<u8>(q + j)) return false;
  }
  return true;
}

/** Some pattern starts at a word start in [ptr, ptr+len), ignoring ASCII case. A word starts after
 *  a byte that is not a letter/digit (or UTF-8), or at an upper-case letter after a lower-case one. */
export function keywordAtWordStart(ptr: usize, len: usize, pats: StaticArray<u8>[]): bool {
  let np = pats.length;
  if (np == 0 || len == 0) return false;
  if (!classReady) initClass();
  if (pats !== compiledFor || np != compiledCount) {
    compile(pats);
    compiledFor = pats;
    compiledCount = np;
  }
  return scanWords(ptr, ptr + len);
}

/** Forget the compiled patterns (call after changing a pattern list in place). */
export function resetKeywords(): void { compiledFor = null; }

function scanWords(ptr: usize, end: usize): bool {
  let prev: u32 = 0; // class of the previous byte
  for (let i = ptr; i < end; i++) {
    let c = <u32>load<u8>(i);
    let cls = <u32>load<u8>(CLASS + c);
    // word start: previous byte not a word byte, or camel-case hump (lower then upper)
    if (!(prev & 1) || ((prev & 4) && (cls & 2))) {
      let mask = load<u64>(FIRST_MASK + <usize>lower(c) * 8);
      while (mask) {
        let k = <i32>ctz(mask);
        mask &= mask - 1;
        if (k < MAX_FAST - 1) {
          if (matchAt(i, end, k)) return true;
        } else {
          for (let j = MAX_FAST - 1; j < patCount; j++) {
            let e = patBlock + <usize>j * 8;
            if (load<u32>(e, 4) && <u32>load<u8>(patBlock + <usize>load<u32>(e)) == lower(c) && matchAt(i, end, j)) return true;
          }
        }
      }
    }
    prev = cls;
  }
  return false;
}

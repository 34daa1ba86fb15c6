// Keyword matching on message bytes: ignore_patterns (case-sensitive substring) and the error
// keyword fallback: whole words (a word starts after a non-word byte or at a camel-case hump, and
// ends likewise, so "ERROR" does not fire inside "terrorist" nor "failed" in "failedOver", while
// "Exception" still fires in "NullPointerException"), ASCII case-insensitive except that a
// capitalised keyword ("Exception") needs its capital ("exception support... done" is not one).
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
// unmanaged block, and per input byte a bit mask of the patterns whose first byte it matches
// (either case) and one of those whose second byte it matches, so most word starts are rejected
// by two lookups (patterns beyond 64 share the last bit and are checked one by one).
const MAX_FAST = 64;
const FIRST_MASK = memory.data(256 * 8);
const SECOND_MASK = memory.data(256 * 8);
// The scan does one table lookup a byte and carries no state through memory (a lookup indexed by
// the previous lookup would chain load latencies): BYTE[c] bits 0-1 say when c can start a match
// (bit 1: some pattern starts with c; bit 0: that, and c is upper case), bits 2-3 what c allows
// next (bit 3: c is not a word byte; bit 2: c is lower case). So a match may start at c when
// BYTE[c] & (BYTE[previous] >> 2) != 0: after a non-word byte, or at a camel-case hump.
const BYTE = memory.data(256);
const AFTER_NONE: u32 = 8;       // the text start counts as a non-word byte
// the list compiled last, held so it cannot be freed and its address reused by another list
let compiledFor: StaticArray<u8>[] | null = null;
let compiledCount: i32 = -1;
let compiledAddr: usize = 0;
let patBlock: usize = 0;         // per pattern: offset u32, length u32, then bytes
let patBlockCap: usize = 0;
let patCount: i32 = 0;
/** Bumped by every compile: answers cached for the old patterns are stale. */
export let KW_GENERATION: u32 = 0;
/** Some compiled pattern holds a digit (answers then depend on the digits of the text). */
export let KW_DIGITS = false;

/** Sets bit in table[c] for the input bytes that match lower-cased pattern byte c. */
@inline function markByte(table: usize, c: usize, bit: u64): void {
  store<u64>(table + c * 8, load<u64>(table + c * 8) | bit);
  if (isLower(<u32>c)) store<u64>(table + (c - 0x20) * 8, load<u64>(table + (c - 0x20) * 8) | bit);
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
  memory.fill(SECOND_MASK, 0, 256 * 8);
  let off: usize = <usize>n * 8;
  for (let k = 0; k < n; k++) {
    let pat = unchecked(pats[k]);
    let m = <usize>pat.length;
    store<u32>(patBlock + <usize>k * 8, <u32>off);
    let src = changetype<usize>(pat);
    // "Exception" (capitalised, then lower case) must start with its capital in the text;
    // "ERROR" and "failed" match in any case
    let capital = false;
    if (m > 1 && isUpper(<u32>load<u8>(src))) {
      for (let i: usize = 1; i < m; i++) if (isLower(<u32>load<u8>(src + i))) { capital = true; break; }
    }
    store<u32>(patBlock + <usize>k * 8, <u32>m | (capital ? CAPITAL : 0), 4);
    for (let i: usize = 0; i < m; i++) store<u8>(patBlock + off + i, <u8>lower(<u32>load<u8>(src + i)));
    if (m) {
      let bit = <u64>1 << <u64>(k < MAX_FAST ? k : MAX_FAST - 1);
      markByte(FIRST_MASK, <usize>load<u8>(patBlock + off), bit);
      if (m == 1) for (let c: usize = 0; c < 256; c++) store<u64>(SECOND_MASK + c * 8, load<u64>(SECOND_MASK + c * 8) | bit);
      else markByte(SECOND_MASK, <usize>load<u8>(patBlock + off + 1), bit);
    }
    off += m;
  }
  patCount = n;
  KW_GENERATION++;
  KW_DIGITS = false;
  for (let k = 0; k < n; k++) {
    let pat = unchecked(pats[k]);
    for (let i = 0, m = pat.length; i < m; i++) if (<u32>unchecked(pat[i]) - 0x30 < 10) KW_DIGITS = true;
  }
  for (let c: u32 = 0; c < 256; c++) {
    let word = isUpper(c) || isLower(c) || c - 0x30 < 10 || c >= 0x80;
    let first = load<u64>(FIRST_MASK + <usize>c * 8) != 0;
    let b: u32 = first ? (isUpper(c) ? 3 : 2) : 0;
    if (!word) b |= 8;
    if (isLower(c)) b |= 4;
    store<u8>(BYTE + c, <u8>b);
  }
}

const CAPITAL: u32 = 0x80000000;

@inline function isWordByte(c: u32): bool { return isUpper(c) || isLower(c) || c - 0x30 < 10 || c >= 0x80; }

/** Pattern k at word start i, as a whole word: it ends at a non-word byte, the text end, or a
 *  camel-case hump ("Exception" in "IOExceptionHandler" does not end a word; in "IOException:" it does). */
@inline function matchAt(i: usize, end: usize, k: i32): bool {
  let e = patBlock + <usize>k * 8;
  let mf = load<u32>(e, 4);
  let m = <usize>(mf & ~CAPITAL);
  if (m == 0 || i + m > end) return false;
  if ((mf & CAPITAL) && !isUpper(<u32>load<u8>(i))) return false;
  let q = patBlock + <usize>load<u32>(e);
  for (let j: usize = 1; j < m; j++) {
    if (lower(<u32>load<u8>(i + j)) != <u32>load<u8>(q + j)) return false;
  }
  if (i + m < end) {
    let nx = <u32>load<u8>(i + m);
    if (isWordByte(nx) && !(isUpper(nx) && isLower(<u32>load<u8>(i + m - 1)))) return false;
  }
  return true;
}

/** Some pattern starts at a word start in [ptr, ptr+len), ignoring ASCII case. A word starts after
 *  a byte that is not a letter/digit (or UTF-8), or at an upper-case letter after a lower-case one. */
export function keywordAtWordStart(ptr: usize, len: usize, pats: StaticArray<u8>[]): bool {
  let np = pats.length;
  if (np == 0 || len == 0) return false;
  if (pats !== compiledFor || np != compiledCount) {
    compile(pats);
    compiledFor = pats;
    compiledCount = np;
    compiledAddr = changetype<usize>(pats);
  }
  return scanWords(ptr, ptr + len);
}

/** keywordAtWordStart for a list given by its address: per-record callers then hold no managed
 *  value (which would cost a shadow-stack frame). */
export function keywordAtWordStartAt(ptr: usize, len: usize, patsAddr: usize): bool {
  let np = load<i32>(patsAddr + offsetof<Array<usize>>("length_"));
  if (np == 0 || len == 0) return false;
  if (patsAddr != compiledAddr || np != compiledCount) compileAt(patsAddr);
  return scanWords(ptr, ptr + len);
}

/** Compiles the list at patsAddr unless it is the one compiled last (then KW_GENERATION and
 *  KW_DIGITS describe it). */
export function ensureKeywordsAt(patsAddr: usize): void {
  let np = load<i32>(patsAddr + offsetof<Array<usize>>("length_"));
  if (patsAddr != compiledAddr || np != compiledCount) compileAt(patsAddr);
}

function compileAt(patsAddr: usize): void {
  let pats = changetype<StaticArray<u8>[]>(patsAddr);
  compile(pats);
  compiledFor = pats;
  compiledCount = pats.length;
  compiledAddr = patsAddr;
}

/** Forget the compiled patterns (call after changing a pattern list in place). */
export function resetKeywords(): void { compiledFor = null; compiledAddr = 0; }

function scanWords(ptr: usize, end: usize): bool {
  let prev = AFTER_NONE;
  let i = ptr;
  while (i < end) {
    // to the next byte where a match may start; no call in this loop, so V8 keeps it in registers
    let b: u32 = 0;
    // unrolled by eight while eight bytes remain (constant-offset loads, one bounds test a step)
    let hit = false;
    while (i + 8 <= end) {
      b = <u32>load<u8>(<usize>load<u8>(i), BYTE);
      if ((b & (prev >> 2)) != 0) { hit = true; break; }
      prev = <u32>load<u8>(<usize>load<u8>(i + 1), BYTE);
      if ((prev & (b >> 2)) != 0) { b = prev; prev = <u32>load<u8>(<usize>load<u8>(i), BYTE); i += 1; hit = true; break; }
      b = <u32>load<u8>(<usize>load<u8>(i + 2), BYTE);
      if ((b & (prev >> 2)) != 0) { i += 2; hit = true; break; }
      prev = <u32>load<u8>(<usize>load<u8>(i + 3), BYTE);
      if ((prev & (b >> 2)) != 0) { b = prev; prev = <u32>load<u8>(<usize>load<u8>(i + 2), BYTE); i += 3; hit = true; break; }
      b = <u32>load<u8>(<usize>load<u8>(i + 4), BYTE);
      if ((b & (prev >> 2)) != 0) { i += 4; hit = true; break; }
      prev = <u32>load<u8>(<usize>load<u8>(i + 5), BYTE);
      if ((prev & (b >> 2)) != 0) { b = prev; prev = <u32>load<u8>(<usize>load<u8>(i + 4), BYTE); i += 5; hit = true; break; }
      b = <u32>load<u8>(<usize>load<u8>(i + 6), BYTE);
      if ((b & (prev >> 2)) != 0) { i += 6; hit = true; break; }
      prev = <u32>load<u8>(<usize>load<u8>(i + 7), BYTE);
      if ((prev & (b >> 2)) != 0) { b = prev; prev = <u32>load<u8>(<usize>load<u8>(i + 6), BYTE); i += 7; hit = true; break; }
      i += 8;
    }
    if (!hit) for (; i < end; i++) {
      b = <u32>load<u8>(<usize>load<u8>(i), BYTE);
      if ((b & (prev >> 2)) != 0) break;
      prev = b;
    }
    if (i >= end) break;
    if (patternAt(i, end)) return true;
    prev = b;
    i++;
  }
  return false;
}

/** Some pattern matches at word start i. */
function patternAt(i: usize, end: usize): bool {
  let c = <usize>load<u8>(i);
  // candidates: patterns starting with this byte, narrowed by the next one
  let mask = load<u64>(FIRST_MASK + c * 8);
  if (i + 1 < end) mask &= load<u64>(SECOND_MASK + <usize>load<u8>(i + 1) * 8);
  while (mask) {
    let k = <i32>ctz(mask);
    mask &= mask - 1;
    if (k < MAX_FAST - 1) {
      if (matchAt(i, end, k)) return true;
    } else {
      let lc = lower(<u32>c);
      for (let j = MAX_FAST - 1; j < patCount; j++) {
        let e = patBlock + <usize>j * 8;
        if ((load<u32>(e, 4) & ~CAPITAL) && <u32>load<u8>(patBlock + <usize>load<u32>(e)) == lc && matchAt(i, end, j)) return true;
      }
    }
  }
  return false;
}

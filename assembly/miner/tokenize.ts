// Tokeniser + masker: turns one message (UTF-8 bytes) into at most MAX_TOKENS masked tokens.
// Variable-looking parts become the wildcard "<*>" before any clustering, so most records arrive
// with their final shape. Works on bytes into preallocated scratch; nothing is allocated per record.
//
// Per whitespace token (in this order): user globs (extra_masks), URLs (scheme://<*>), absolute
// paths (<*>), then a scan of alphanumeric runs: UUIDs, MAC/IPv6 hex groups, e-mail addresses,
// numbers (with sign, units like 12ms/4KB, hex, 0x..), identifiers mostly made of digits; other
// runs keep their letters and only digit runs are masked (ssh2 -> ssh<*>). Masks separated by 1-2
// separator bytes collapse (10.0.0.1:80 -> <*>), and a token left without any 3-letter word becomes
// "<*>" as a whole (R02-M1-N0-C:J12-U11, [<*>], 0x1f,). A quoted value after '=' is one mask even
// with spaces inside. Across tokens: month/day names next to a mask join it, unit words after a
// number join it (5.2 KB), runs of "<*>" collapse to one, repeated masked tokens collapse
// (blk_<*> blk_<*> -> blk_<*>), so variable-length lists keep one shape.
import { dictHas } from "./dict";
import { copyShort, copyBytes, eqBytes } from "../core/mem";
import { FNV32_OFFSET, FNV64_OFFSET, fnv32Step, fnv64Step } from "../core/hash";

export const MAX_TOKENS_HARD: i32 = 128;
/** Input bytes looked at per message; the rest becomes a trailing "<*>". */
export const MAX_INPUT: usize = 8192;

// token flags
export const F_WILD: u8 = 1;     // the whole token is "<*>"
export const F_MASK: u8 = 2;     // contains a "<*>"
export const F_WEAK: u8 = 4;     // carries no evidence: punctuation only, or an upper-case level word
export const F_WORD: u8 = 8;     // a plain word (letters, inner - or _, one trailing : , ; .)
export const F_DICT: u8 = 16;    // a dictionary word (or key=<dictionary word>)
export const F_ABSORB: u8 = 32;  // may be absorbed by a wildcard of a template of another length
// (64 is the store's F_QUOTE)
export const F_KEYV: u8 = 128;   // key=<*> (trailing punctuation allowed): takes any value of its key

export const HASH_WILD: u32 = 0x5f3c2a1b;

// character classes
const C_DIGIT: u8 = 1, C_UPPER: u8 = 2, C_LOWER: u8 = 4, C_HEX: u8 = 8, C_SPACE: u8 = 16, C_SEP: u8 = 32, C_HIGH: u8 = 64;
// Hot tables live in unmanaged memory: managed globals would be spilled to the shadow stack on
// every access under the incremental runtime.
const CLS: usize = memory.data(256);
// Token scan classes (one lookup per byte in tokenize): space, and the bytes that make a token
// need masking (digit, / \\ : @) or a quoted-value check (=). Bits seen in a token tell
// maskToken which of its scans can find anything.
const T_SPACE: u8 = 1, T_DIGIT: u8 = 2, T_SLASH: u8 = 4, T_COLON: u8 = 8, T_AT: u8 = 16, T_EQ: u8 = 32;
const T_SPECIAL: u8 = T_DIGIT | T_SLASH | T_COLON | T_AT;
const T_ALL: u32 = 0xFF;
const TCLS: usize = memory.data(256);

/** Config-driven: extra delimiter bytes and glob masks (set by configureTokenizer). */
let extraMasks: StaticArray<u8>[] = [];
let nMasks: i32 = 0;

function initClasses(extraDelims: StaticArray<u8> | null): void {
  for (let c = 0; c < 256; c++) {
    let v: u8 = 0;
    if (c >= 0x30 && c <= 0x39) v |= C_DIGIT | C_HEX;
    if (c >= 0x41 && c <= 0x5A) v |= C_UPPER;
    if (c >= 0x61 && c <= 0x7A) v |= C_LOWER;
    if ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)) v |= C_HEX;
    if (c == 0x20 || (c >= 0x09 && c <= 0x0D)) v |= C_SPACE;
    if (c == 0x2E || c == 0x3A || c == 0x2C || c == 0x5F || c == 0x23 || c == 0x7C || c == 0x2F || c == 0x2B || c == 0x2D || c == 0x40) v |= C_SEP;
    if (c >= 0x80) v |= C_HIGH;
    store<u8>(CLS + <usize>c, v);
    let t: u8 = 0;
    if (v & C_SPACE) t = T_SPACE;
    else if (v & C_DIGIT) t = T_DIGIT;
    else if (c == 0x2F || c == 0x5C) t = T_SLASH;
    else if (c == 0x3A) t = T_COLON;
    else if (c == 0x40) t = T_AT;
    else if (c == 0x3D) t = T_EQ;
    store<u8>(TCLS + <usize>c, t);
  }
  if (extraDelims !== null) {
    for (let i = 0; i < extraDelims.length; i++) {
      let c = <i32>unchecked(extraDelims[i]);
      store<u8>(CLS + <usize>c, C_SPACE);
      store<u8>(TCLS + <usize>c, T_SPACE);
    }
  }
}
initClasses(null);

export function configureTokenizer(extraDelims: StaticArray<u8> | null, masks: StaticArray<u8>[]): void {
  initClasses(extraDelims);
  extraMasks = masks;
  nMasks = masks.length;
  memory.fill(MCACHE, 0, MC_SLOTS * MC_ENTRY);
}

// Masked-token cache: a token's masked form depends only on its bytes (and the configuration),
// and tokens such as "[2231]:" or "HTTP/1.1" recur. Direct-mapped by the raw FNV hash; short
// tokens only; entry: raw hash u32, out hash u32, raw len u8, out len u8, flags u8, raw, out.
const MC_SLOTS: usize = 1024;
const MC_MAX: usize = 32;
const MC_ENTRY: usize = 16 + 2 * MC_MAX;
const MCACHE: usize = heap.alloc(MC_SLOTS * MC_ENTRY);
memory.fill(MCACHE, 0, MC_SLOTS * MC_ENTRY);

/** The n <= MC_MAX bytes at entry e equal those at input a; in whole (masked) words when
 *  wordsOk says the input holds 7 bytes beyond them. */
@inline function sameRaw(e: usize, a: usize, n: usize, wordsOk: bool): bool {
  if (!wordsOk) return eqBytes(e, a, n);
  for (let k: usize = 0; k < n; k += 8) {
    let x = load<u64>(e + k) ^ load<u64>(a + k);
    if (k + 8 > n) x &= (<u64>1 << (<u64>(n - k) << 3)) - 1;
    if (x != 0) return false;
  }
  return true;
}

/** (Table lookups take the table's address as the load's immediate offset: WAMR's interpreter then
 *  runs one operator instead of an add and a load; binaryen folds only constants below 1024.) */
@inline function cls(c: u32): u8 { return load<u8>(<usize>(c & 255), CLS); }
@inline function isDigit(c: u32): bool { return (cls(c) & C_DIGIT) != 0; }
@inline function isAlpha(c: u32): bool { return (cls(c) & (C_UPPER | C_LOWER)) != 0; }
@inline function isAlnum(c: u32): bool { return (cls(c) & (C_DIGIT | C_UPPER | C_LOWER)) != 0; }
@inline function isHex(c: u32): bool { return (cls(c) & C_HEX) != 0; }
@inline function isSpace(c: u32): bool { return (cls(c) & C_SPACE) != 0; }
@inline function isSep(c: u32): bool { return (cls(c) & C_SEP) != 0; }
@inline function isLetterish(c: u32): bool { return (cls(c) & (C_UPPER | C_LOWER | C_HIGH)) != 0; }
@inline function lb(p: usize): u32 { return <u32>load<u8>(p); }
/** (For digit_key.ts' tables: the tests tokenize and noLetters make, after the configuration.) */
export function byteIsSpace(c: u32): bool { return isSpace(c); }
export function byteIsLetter(c: u32): bool { return isLetterish(c); }

/** The tokens of the current message: count, per-token hash/flags/text offset/length (text in
 *  tokText at tokOff), and a 64-bit hash of the whole masked sequence (the shape cache key). */
export let tokN: i32 = 0;
export let tokShape: u64 = 0;
export const TOK_HASH: usize = memory.data((MAX_TOKENS_HARD + 2) << 2);
export const TOK_FLAGS: usize = memory.data(MAX_TOKENS_HARD + 2);
export const TOK_OFF: usize = memory.data((MAX_TOKENS_HARD + 2) << 2);
export const TOK_LEN: usize = memory.data((MAX_TOKENS_HARD + 2) << 2);
export let tokText: usize = heap.alloc(4096);
let tokCap: usize = 4096;
let tokTextLen: usize = 0;

@inline export function tokHash(i: i32): u32 { return load<u32>(<usize>i << 2, TOK_HASH); }
@inline export function tokFlags(i: i32): u8 { return load<u8>(<usize>i, TOK_FLAGS); }
@inline export function tokOff(i: i32): u32 { return load<u32>(<usize>i << 2, TOK_OFF); }
@inline export function tokLen(i: i32): u32 { return load<u32>(<usize>i << 2, TOK_LEN); }
@inline function setHash(i: i32, v: u32): void { store<u32>(<usize>i << 2, v, TOK_HASH); }
@inline function setFlags(i: i32, v: u8): void { store<u8>(<usize>i, v, TOK_FLAGS); }
@inline function setOff(i: i32, v: u32): void { store<u32>(<usize>i << 2, v, TOK_OFF); }
@inline function setLen(i: i32, v: u32): void { store<u32>(<usize>i << 2, v, TOK_LEN); }

function textReserve(n: usize): void {
  if (tokTextLen + n <= tokCap) return;
  let c = tokCap << 1;
  while (c < tokTextLen + n) c <<= 1;
  tokText = heap.realloc(tokText, c);
  tokCap = c;
}

// ------------------------------------------------------------------ writing one masked token

let tokStart: usize = 0;    // offset in tokText where the current token starts
let tokMasked = false;

@inline function outAt(i: usize): u32 { return <u32>load<u8>(tokText + i); }

/** Appends "<*>", collapsing with a previous mask separated by at most 2 separator bytes. */
@inline function emitMask(): void {
  if (tokTextLen - tokStart < 3) {
    // nothing to collapse with (the usual case: the token starts with its mask)
    tokMasked = true;
    let d = tokText + tokTextLen;
    store<u8>(d, 0x3C); store<u8>(d + 1, 0x2A); store<u8>(d + 2, 0x3E);
    tokTextLen += 3;
  } else emitMaskJoin();
}

function emitMaskJoin(): void {
  let n = tokTextLen;
  tokMasked = true;
  // "<*>" immediately before, or "<*>" + 1..2 separators
  for (let s: usize = 0; s <= 2; s++) {
    if (n < tokStart + 3 + s) break;
    let e = n - s;
    if (outAt(e - 1) == 0x3E && outAt(e - 2) == 0x2A && outAt(e - 3) == 0x3C) {
      let ok = true;
      for (let k = e; k < n; k++) if (!isSep(outAt(k))) { ok = false; break; }
      if (ok) { tokTextLen = e; return; }
    }
    if (s < 2 && n - s - 1 >= tokStart && !isSep(outAt(n - s - 1))) break;
  }
  let d = tokText + tokTextLen;
  store<u8>(d, 0x3C); store<u8>(d + 1, 0x2A); store<u8>(d + 2, 0x3E);
  tokTextLen += 3;
}

/** Capacity for the whole message is ensured in tokenize(), so bytes are stored directly. */
@inline function emitByte(c: u32): void {
  store<u8>(tokText + tokTextLen, <u8>c);
  tokTextLen++;
}

/** Alphanumeric run [a, b) with dig digits (allHex: every byte a hex digit): true if it is
 *  masked as a whole. */
@inline function runVariable(a: usize, b: usize, dig: i32, allHex: bool): bool {
  let n = <i32>(b - a);
  let let_ = n - dig;
  if (dig == 0) return false;
  if (let_ == 0) return true;
  return runMixedVariable(a, b, n, dig, let_, allHex);
}

function runMixedVariable(a: usize, b: usize, n: i32, dig: i32, let_: i32, allHex: bool): bool {
  if (n > 2 && lb(a) == 0x30 && (lb(a + 1) | 0x20) == 0x78) return true;      // 0x..
  if (allHex && n >= 4) return true;
  if (isDigit(lb(a))) {                                                          // 12ms, 4KB, 2nd
    let j = a;
    while (j < b && isDigit(lb(j))) j++;
    let rest = <i32>(b - j);
    let restDigits = false;
    for (let p = j; p < b; p++) if (isDigit(lb(p))) { restDigits = true; break; }
    if (rest <= 4 && !restDigits) return true;
  }
  return dig >= let_ || n >= 16;
}

/** Alphanumeric run [a, b): true if it is masked as a whole. */
function runIsVariable(a: usize, b: usize): bool {
  let dig = 0;
  let all: u32 = 0xFF;
  for (let p = a; p < b; p++) {
    let k = <u32>cls(lb(p));
    dig += <i32>(k & C_DIGIT);
    all &= k;
  }
  return runVariable(a, b, dig, (all & C_HEX) != 0);
}

/** Writes an alphanumeric run, masked whole or digit runs only. */
@inline function writeRun(a: usize, b: usize, dig: i32, allHex: bool): void {
  if (runVariable(a, b, dig, allHex)) { emitMask(); return; }
  let p = a;
  while (p < b) {
    let c = lb(p);
    if (isDigit(c)) {
      while (p < b && isDigit(lb(p))) p++;
      emitMask();
    } else { emitByte(c); p++; }
  }
}

/** Length of a UUID (8-4-4-4-12 hex) at p, else 0. */
function uuidAt(p: usize, end: usize): usize {
  if (p + 36 > end) return 0;
  let q = p;
  for (let g = 0; g < 5; g++) {
    let want: usize = g == 0 ? 8 : g == 4 ? 12 : 4;
    for (let i: usize = 0; i < want; i++) { if (!isHex(lb(q))) return 0; q++; }
    if (g < 4) { if (lb(q) != 0x2D) return 0; q++; }
  }
  if (q < end && isAlnum(lb(q))) return 0;
  return q - p;
}

/** Length of >= 3 colon-separated hex groups (MAC, IPv6) with a digit somewhere, else 0. */
function hexGroupsAt(p: usize, end: usize): usize {
  let q = p, groups = 0, digit = false, last = p;
  while (groups < 16) {
    let r = q;
    while (r < end && r - q < 5 && isHex(lb(r))) { if (isDigit(lb(r))) digit = true; r++; }
    let len = r - q;
    if (len == 0 && !(groups > 0 && q < end && lb(q) == 0x3A)) break;
    if (len > 4) return 0;
    if (r < end && isAlnum(lb(r))) break;
    groups++; last = r;
    if (r < end && lb(r) == 0x3A) { q = r + 1; if (q < end && lb(q) == 0x3A) q++; continue; }
    break;
  }
  return groups >= 3 && digit ? last - p : 0;
}

/** Length of an e-mail address at p (local@domain.tld), else 0. */
function emailAt(p: usize, end: usize): usize {
  let q = p;
  let lim = p + 256 < end ? p + 256 : end;
  while (q < lim) {
    let c = lb(q);
    if (isAlnum(c) || c == 0x2E || c == 0x5F || c == 0x25 || c == 0x2B || c == 0x2D) q++; else break;
  }
  if (q >= end || lb(q) != 0x40 || q == p) return 0;
  let d = q + 1, dots = 0, lastDot: usize = 0;
  lim = d + 256 < end ? d + 256 : end;
  while (d < lim) {
    let c = lb(d);
    if (isAlnum(c) || c == 0x2D) d++;
    else if (c == 0x2E && d + 1 < end && isAlnum(lb(d + 1))) { dots++; lastDot = d; d++; }
    else break;
  }
  if (dots == 0) return 0;
  if (d - lastDot - 1 < 2) return 0;
  for (let k = lastDot + 1; k < d; k++) if (!isAlpha(lb(k))) return 0;
  return d - p;
}

/** Glob match ('*' any run, '?' one byte) of pattern against [p, p+n); iterative. */
function globMatch(pat: StaticArray<u8>, p: usize, n: usize): bool {
  let pi = 0, si: usize = 0;
  let star = -1; let mark: usize = 0;
  let pn = pat.length;
  while (si < n) {
    if (pi < pn && (unchecked(pat[pi]) == 0x3F || <u32>unchecked(pat[pi]) == lb(p + si))) { pi++; si++; }
    else if (pi < pn && unchecked(pat[pi]) == 0x2A) { star = pi++; mark = si; }
    else if (star >= 0) { pi = star + 1; si = ++mark; }
    else return false;
  }
  while (pi < pn && unchecked(pat[pi]) == 0x2A) pi++;
  return pi == pn;
}

// ) ] } > , ; : ' " . as bit sets over bytes 0-63 and 64-127
const TRAIL_LO: u64 = <u64>1 << 0x29 | <u64>1 << 0x3E | <u64>1 << 0x2C | <u64>1 << 0x3B | <u64>1 << 0x3A | <u64>1 << 0x27 | <u64>1 << 0x22 | <u64>1 << 0x2E;
const TRAIL_HI: u64 = <u64>1 << (0x5D - 64) | <u64>1 << (0x7D - 64);

@inline function isTrailPunct(c: u32): bool {
  return c < 128 && ((c < 64 ? TRAIL_LO >> <u64>c : TRAIL_HI >> <u64>(c - 64)) & 1) != 0;
}

/** User globs, tried on the token without trailing punctuation: true when one masked it. (Out of
 *  maskToken: the managed pattern list would give it a shadow-stack frame.) */
function maskedByGlob(a: usize, b: usize): bool {
  let e = b;
  while (e > a + 1 && isTrailPunct(lb(e - 1))) e--;
  for (let i = 0; i < nMasks; i++) {
    if (globMatch(unchecked(extraMasks[i]), a, e - a)) {
      emitMask();
      for (let p = e; p < b; p++) emitByte(lb(p));
      return true;
    }
  }
  return false;
}

/** Writes the masked form of raw token [a, b); q0..q1 is a quoted value to mask (q0 == q1: none).
 *  seen: the T_* bits of the token's bytes (a superset is fine), to skip scans that cannot match.
 *  Plain tokens (no T_SPECIAL byte, no quoted value, no globs) never get here: tokenize copies them. */
function maskToken(a: usize, b: usize, q0: usize, q1: usize, seen: u32): void {
  tokMasked = false;
  if (nMasks > 0 && maskedByGlob(a, b)) return;
  // URL: scheme://<*>
  if ((seen & T_COLON) != 0 && q0 == q1) for (let p = a; p + 3 <= b; p++) {
    if (lb(p) == 0x3A && lb(p + 1) == 0x2F && lb(p + 2) == 0x2F) {
      let s = p;
      while (s > a && (isAlnum(lb(s - 1)) || lb(s - 1) == 0x2E || lb(s - 1) == 0x2B || lb(s - 1) == 0x2D)) s--;
      if (s == p) break;
      let e = b;
      while (e > p + 3 && (lb(e - 1) == 0x29 || lb(e - 1) == 0x5D || lb(e - 1) == 0x7D || lb(e - 1) == 0x2C || lb(e - 1) == 0x3B || lb(e - 1) == 0x27 || lb(e - 1) == 0x22)) e--;
      for (let k = a; k < p + 3; k++) emitByte(lb(k));
      emitMask();
      for (let k = e; k < b; k++) emitByte(lb(k));
      return;
    }
  }
  // absolute path with at least two separators: <*>
  if ((seen & T_SLASH) != 0 && q0 == q1) {
    let s = a;
    // key=/path, key:/path: the path is the value (PWD=/home/alice, path:/var/log/x)
    let kk = keyEnd(a, b);
    if (kk > a && kk + 1 < b && (lb(kk) == 0x3D || lb(kk) == 0x3A) && lb(kk + 1) == 0x2F) s = kk + 1;
    while (s < b && (lb(s) == 0x28 || lb(s) == 0x5B || lb(s) == 0x22 || lb(s) == 0x27 || lb(s) == 0x3D || lb(s) == 0x3C)) s++;
    if (s < b && q0 == q1) {
      let c0 = lb(s);
      let starts = c0 == 0x2F
        || ((c0 == 0x7E || c0 == 0x2E) && s + 1 < b && lb(s + 1) == 0x2F)
        || (isAlpha(c0) && s + 2 < b && lb(s + 1) == 0x3A && lb(s + 2) == 0x5C);
      if (starts) {
        let seps = 0;
        for (let p = s; p < b; p++) { let c = lb(p); if (c == 0x2F || c == 0x5C) seps++; }
        if (seps >= 2) {
          let e = b;
          while (e > s + 1 && isTrailPunct(lb(e - 1))) e--;
          for (let k = a; k < s; k++) emitByte(lb(k));
          emitMask();
          for (let k = e; k < b; k++) emitByte(lb(k));
          return;
        }
      }
    }
  }
  // an e-mail needs an '@', MAC/IPv6 groups a ':', a UUID 36 bytes
  let hasAt = (seen & T_AT) != 0;
  let hasColon = (seen & T_COLON) != 0;
  let p = a;
  // key=value: a value with anything variable in it is one mask (rhost=<*> for an address or a
  // host name alike); the key and trailing punctuation stay
  let vk: usize = 0, vOut: usize = 0;
  if ((seen & T_EQ) != 0) {
    let kk = keyEnd(a, b);
    if (kk > a && kk + 1 < b && lb(kk) == 0x3D) {
      for (; p <= kk; p++) emitByte(lb(p));
      vk = kk + 1; vOut = tokTextLen;
    }
  }
  while (p < b) {
    if (p == q0 && q1 > q0) { emitMask(); p = q1; continue; }
    let c = lb(p);
    if (isAlnum(c)) {
      let k: usize = 0;
      if (p + 36 <= b) k = uuidAt(p, b);
      if (k == 0 && hasColon) k = hexGroupsAt(p, b);
      if (k == 0 && hasAt) k = emailAt(p, b);
      if (k > 0) { emitMask(); p += k; continue; }
      // the run, counting digits and checking hex on the way
      let j = p, dig = 0;
      let all: u32 = 0xFF;
      while (j < b) {
        let t = <u32>cls(lb(j));
        if ((t & (C_DIGIT | C_UPPER | C_LOWER)) == 0) break;
        dig += <i32>(t & C_DIGIT);
        all &= t;
        j++;
      }
      writeRun(p, j, dig, (all & C_HEX) != 0);
      p = j;
      continue;
    }
    // sign or comparison before a number: -12, +3, <1, >5, ~7
    if ((c == 0x2D || c == 0x2B || c == 0x3C || c == 0x3E || c == 0x7E) && p + 1 < b && isDigit(lb(p + 1))
        && (p == a || !isAlnum(lb(p - 1)))) {
      let j = p + 1;
      while (j < b && isAlnum(lb(j))) j++;
      if (runIsVariable(p + 1, j)) { emitMask(); p = j; continue; }
    }
    emitByte(c);
    p++;
  }
  if (vk != 0 && tokMasked) {
    let e = b;
    while (e > vk && e > q1 && isTrailPunct(lb(e - 1))) e--;     // a closing quote is the value's
    tokTextLen = vOut;
    emitMask();
    for (let k = e; k < b; k++) emitByte(lb(k));
  }
}

/** End of a key at a (letters, digits, _ - .) when a '=' or ':' follows it, else a. */
function keyEnd(a: usize, b: usize): usize {
  let k = a;
  while (k < b && (isAlnum(lb(k)) || lb(k) == 0x5F || lb(k) == 0x2D || lb(k) == 0x2E)) k++;
  return k < b && (lb(k) == 0x3D || lb(k) == 0x3A) ? k : a;
}

// ------------------------------------------------------------------ token list

@inline function setWild(i: i32): void {
  setFlags(i, F_WILD | F_MASK | F_ABSORB);
  setLen(i, 0);
  setHash(i, HASH_WILD);
}
@inline function isWildTok(i: i32): bool { return (tokFlags(i) & F_WILD) != 0; }

/** Copies token k to slot o (o < k), when compacting the list. */
@inline function moveToken(o: i32, k: i32): void {
  setOff(o, tokOff(k));
  setLen(o, tokLen(k));
  setFlags(o, tokFlags(k));
  setHash(o, tokHash(k));
}

/** Up to 8 bytes, lower-cased, packed little-endian (0 when longer or not letters/%). */
function packLower(p: usize, n: usize): u64 {
  if (n == 0 || n > 8) return 0;
  let v: u64 = 0;
  for (let k: usize = 0; k < n; k++) {
    let c = lb(p + k);
    if (!isAlpha(c) && c != 0x25) return 0;
    let lc = isAlpha(c) ? (c | 0x20) : c;
    v |= <u64>lc << (<u64>k << 3);
  }
  return v;
}

function packStr(s: string): u64 {
  let v: u64 = 0;
  for (let k = 0; k < s.length && k < 8; k++) v |= <u64>s.charCodeAt(k) << (<u64>k << 3);
  return v;
}

function packList(words: string): StaticArray<u64> {
  let parts = words.split(" ");
  let out = new StaticArray<u64>(parts.length);
  for (let i = 0; i < parts.length; i++) unchecked(out[i] = packStr(parts[i]));
  return out;
}

// Small word sets compared as packed u64, in open-addressing hash tables (set up once, in
// unmanaged memory for the hot path): one or two probes instead of a scan of the list.
const MONTH_N: i32 = 19;
const UNIT_N: i32 = 41;
const SET_SLOTS: usize = 128;                       // power of two, > 2 * entries
const MONTH_SET: usize = memory.data(<i32>SET_SLOTS << 3);
const UNIT_SET: usize = memory.data(<i32>SET_SLOTS << 3);

@inline function slotOf(v: u64): usize { return <usize>((v * 0x9E3779B97F4A7C15) >> 57); }

function setAdd(set: usize, v: u64): void {
  let i = slotOf(v);
  while (true) {
    let e = load<u64>(set + (i << 3));
    if (e == 0) { store<u64>(set + (i << 3), v); return; }
    if (e == v) return;
    i = (i + 1) & (SET_SLOTS - 1);
  }
}

function initWordSets(): void {
  let m = packList("jan feb mar apr may jun jul aug sep oct nov dec mon tue wed thu fri sat sun");
  for (let i = 0; i < MONTH_N; i++) setAdd(MONTH_SET, unchecked(m[i]));
  let u = packList("ms s sec secs second seconds min mins minute minutes h hr hrs hour hours day days us ns b kb mb gb tb kib mib gib tib bytes byte k m g kbps mbps gbps % msec msecs usec nsec");
  for (let i = 0; i < UNIT_N; i++) setAdd(UNIT_SET, unchecked(u[i]));
}
initWordSets();

function inSet(set: usize, v: u64): bool {
  if (v == 0) return false;
  let i = slotOf(v);
  while (true) {
    let e = load<u64>(set + (i << 3));
    if (e == v) return true;
    if (e == 0) return false;
    i = (i + 1) & (SET_SLOTS - 1);
  }
}

/** Token i is a month or day name (3 letters, any case, optionally followed by , or .). */
@inline function isMonthOrDay(i: i32): bool {
  let n = tokLen(i);
  let p = tokText + <usize>tokOff(i);
  if (n == 4) { let t = lb(p + 3); if (t == 0x2C || t == 0x2E) n = 3; }
  if (n != 3) return false;
  // | 0x20 maps exactly the ASCII letters onto the lower-case letters the set holds
  return inSet(MONTH_SET, (<u64>load<u16>(p) | <u64>lb(p + 2) << 16) | 0x202020);
}

function isUnit(i: i32): bool {
  let n = <usize>tokLen(i);
  let p = tokText + <usize>tokOff(i);
  while (n > 1 && isTrailPunct(lb(p + n - 1))) n--;
  return inSet(UNIT_SET, packLower(p, n));
}

function sameText(i: i32, j: i32): bool {
  let n = tokLen(i);
  if (n != tokLen(j)) return false;
  return eqBytes(tokText + <usize>tokOff(i), tokText + <usize>tokOff(j), <usize>n);
}

const LEVEL_WORDS = " TRACE DEBUG INFO NOTICE WARN WARNING ERROR ERR FATAL CRITICAL CRIT SEVERE EMERG ALERT ";

function isLevelWord(p: usize, n: usize): bool {
  // strip brackets / colon: [INFO] INFO: <INFO>
  while (n > 0 && (lb(p) == 0x5B || lb(p) == 0x3C)) { p++; n--; }
  while (n > 0 && (lb(p + n - 1) == 0x5D || lb(p + n - 1) == 0x3A || lb(p + n - 1) == 0x3E || lb(p + n - 1) == 0x2C)) n--;
  if (n < 3 || n > 8) return false;
  for (let k: usize = 0; k < n; k++) if ((cls(lb(p + k)) & C_UPPER) == 0) return false;
  let u = changetype<usize>(LEVEL_WORDS);
  let ul = <usize>LEVEL_WORDS.length;
  for (let s: usize = 0; s + n + 1 < ul; s++) {
    if (load<u16>(u + (s << 1)) != 0x20) continue;
    let ok = true;
    for (let k: usize = 0; k < n; k++) if (<u32>load<u16>(u + ((s + 1 + k) << 1)) != lb(p + k)) { ok = false; break; }
    if (ok && load<u16>(u + ((s + 1 + n) << 1)) == 0x20) return true;
  }
  return false;
}

/** Flags of a (non-wildcard) masked token text. Also used when restoring templates from text. */
export function classify(p: usize, n: usize): u8 {
  if (n == 3 && lb(p) == 0x3C && lb(p + 1) == 0x2A && lb(p + 2) == 0x3E) return F_WILD | F_MASK | F_ABSORB;
  let f: u8 = 0;
  let letters = 0, alnum = 0;
  for (let k: usize = 0; k < n; k++) {
    let c = lb(p + k);
    if (c == 0x3C && k + 2 < n && lb(p + k + 1) == 0x2A && lb(p + k + 2) == 0x3E) f |= F_MASK;
    if (isLetterish(c)) letters++;
    if (isAlnum(c) || c >= 0x80) alnum++;
  }
  // a filler for a missing or hidden value (****, ??) is neither punctuation nor absorbable
  if (n >= 2 && (lb(p) == 0x2A || lb(p) == 0x3F) && isRun(p, n)) return 0;
  if ((f & F_MASK) != 0 || letters == 0) f |= F_ABSORB;
  if (alnum == 0 && (f & F_MASK) == 0) f |= F_WEAK;
  else if (n <= 10 && (f & F_MASK) == 0 && isLevelWord(p, n)) f |= F_WEAK;
  if ((f & F_MASK) != 0 && (f & F_WILD) == 0 && isKeyWild(p, n)) f |= F_KEYV;
  if ((f & F_MASK) == 0) {
    // plain word: letters, inner '-' or '_', optional one trailing : , ; .
    let e = n;
    if (e > 1) { let t = lb(p + e - 1); if (t == 0x3A || t == 0x2C || t == 0x3B || t == 0x2E) e--; }
    let word = e > 0 && isAlpha(lb(p)) && isAlpha(lb(p + e - 1));
    if (word) for (let k: usize = 1; k + 1 < e; k++) { let c = lb(p + k); if (!isAlpha(c) && c != 0x2D && c != 0x5F) { word = false; break; } }
    if (word) f |= F_WORD;
    // dictionary word: the token (or the value of key=value) without surrounding punctuation
    let s: usize = 0;
    for (let k: usize = 0; k + 1 < n; k++) if (lb(p + k) == 0x3D || lb(p + k) == 0x3A) { s = k + 1; break; }
    let d = n;
    while (s < d && (lb(p + s) == 0x28 || lb(p + s) == 0x5B || lb(p + s) == 0x27 || lb(p + s) == 0x22)) s++;
    while (d > s) {
      let t = lb(p + d - 1);
      if (t == 0x3A || t == 0x2C || t == 0x3B || t == 0x2E || t == 0x21 || t == 0x3F || t == 0x29 || t == 0x5D || t == 0x27 || t == 0x22) d--; else break;
    }
    if (d - s >= 2) {
      let alpha = true;
      for (let k = s; k < d; k++) if (!isAlpha(lb(p + k))) { alpha = false; break; }
      if (alpha && dictHas(p + s, d - s)) f |= F_DICT;
    }
  }
  return f;
}

/** All n bytes at p are the same. */
function isRun(p: usize, n: usize): bool {
  for (let k: usize = 1; k < n; k++) if (lb(p + k) != lb(p)) return false;
  return true;
}

/** The token is key=<*> with only punctuation after the wildcard (uid=<*>, lock=<*>,). */
function isKeyWild(p: usize, n: usize): bool {
  let k = keyEnd(p, p + n);
  if (k == p || lb(k) != 0x3D || !isAlpha(lb(p))) return false;
  let e = k + 1 - p;
  if (e + 3 > n || lb(p + e) != 0x3C || lb(p + e + 1) != 0x2A || lb(p + e + 2) != 0x3E) return false;
  for (let q = e + 3; q < n; q++) if (!isTrailPunct(lb(p + q))) return false;
  return true;
}

/** Length of the `key=` that starts [p, p+n) (with its '='), 0 when it does not start with one. */
export function keyPrefix(p: usize, n: usize): usize {
  let k = keyEnd(p, p + n);
  if (k == p || lb(k) != 0x3D || !isAlpha(lb(p))) return 0;
  return k + 1 - p;
}

@inline export function fnv32(p: usize, n: usize): u32 {
  let h = FNV32_OFFSET;
  for (let k: usize = 0; k < n; k++) h = fnv32Step(h, lb(p + k));
  return h;
}

@inline function mixShape(h: u64, v: u32): u64 {
  h = fnv64Step(h, <u64>v);
  return h ^ (h >> 29);
}

/** No byte of [a, b) is a letter or non-ASCII. With a digit somewhere (the caller knows) and no
 *  quoted value or glob, maskToken would make such a token one wildcard: every rule masks the
 *  digits (so the token is masked) and writes only its punctuation besides, which leaves no
 *  3-letter word. So numbers, IPv4 addresses with ports, versions and times go there directly. */
@inline function noLetters(a: usize, b: usize): bool {
  for (let p = a; p < b; p++) if ((cls(lb(p)) & (C_UPPER | C_LOWER | C_HIGH)) != 0) return false;
  return true;
}

/** Path separators ('/' and '\\') in [a, b), counting stops at two. */
@inline function pathSeps(a: usize, b: usize): i32 {
  let n = 0;
  for (let p = a; p < b; p++) { let c = lb(p); if (c == 0x2F || c == 0x5C) { if (++n >= 2) break; } }
  return n;
}

/** Tokenises and masks [p, p+len) into the token arrays. maxTokens <= MAX_TOKENS_HARD. */
export function tokenize(p: usize, len: usize, maxTokens: i32): void {
  tokN = 0;
  tokTextLen = 0;
  let truncated = len > MAX_INPUT;
  let end = p + (truncated ? MAX_INPUT : len);
  // masking at most triples a byte run ("a1" -> "a<*>"); reserve once so emitters store directly
  textReserve((end - p) * 3 + 64);
  let i = p;
  let anyWild = false, anyMask = false, anyMonth = false;
  let globs = nMasks > 0;
  while (i < end) {
    while (i < end && isSpace(lb(i))) i++;
    if (i >= end) break;
    if (tokN >= maxTokens - 1) { truncated = true; break; }
    let a = i;
    tokStart = tokTextLen;
    // one pass to the next space: hash and note the byte kinds (plain tokens are done then)
    let h = FNV32_OFFSET;
    let seen: u32 = 0;
    // unrolled by eight while eight bytes remain: loads at constant offsets (the byte's and the
    // class table's: WAMR then runs one operator for each, not an add and a load) and one bounds
    // test per step
    let ended = false;
    while (i + 8 <= end) {
      let c = lb(i), t = <u32>load<u8>(<usize>c, TCLS);
      if (t & T_SPACE) { ended = true; break; }
      seen |= t; h = fnv32Step(h, c);
      c = <u32>load<u8>(i, 1); t = <u32>load<u8>(<usize>c, TCLS);
      if (t & T_SPACE) { i += 1; ended = true; break; }
      seen |= t; h = fnv32Step(h, c);
      c = <u32>load<u8>(i, 2); t = <u32>load<u8>(<usize>c, TCLS);
      if (t & T_SPACE) { i += 2; ended = true; break; }
      seen |= t; h = fnv32Step(h, c);
      c = <u32>load<u8>(i, 3); t = <u32>load<u8>(<usize>c, TCLS);
      if (t & T_SPACE) { i += 3; ended = true; break; }
      seen |= t; h = fnv32Step(h, c);
      c = <u32>load<u8>(i, 4); t = <u32>load<u8>(<usize>c, TCLS);
      if (t & T_SPACE) { i += 4; ended = true; break; }
      seen |= t; h = fnv32Step(h, c);
      c = <u32>load<u8>(i, 5); t = <u32>load<u8>(<usize>c, TCLS);
      if (t & T_SPACE) { i += 5; ended = true; break; }
      seen |= t; h = fnv32Step(h, c);
      c = <u32>load<u8>(i, 6); t = <u32>load<u8>(<usize>c, TCLS);
      if (t & T_SPACE) { i += 6; ended = true; break; }
      seen |= t; h = fnv32Step(h, c);
      c = <u32>load<u8>(i, 7); t = <u32>load<u8>(<usize>c, TCLS);
      if (t & T_SPACE) { i += 7; ended = true; break; }
      seen |= t; h = fnv32Step(h, c);
      i += 8;
    }
    if (!ended) while (i < end) {
      let c = lb(i);
      let t = <u32>load<u8>(<usize>c, TCLS);
      if (t & T_SPACE) break;
      seen |= t;
      h = fnv32Step(h, c);
      i++;
    }
    let q0: usize = 0, q1: usize = 0;
    if (seen & T_EQ) {
      // key="quoted value" (may contain spaces): one masked unit, the token then ends at the
      // first space after the closing quote
      for (let k = a; k + 1 < i; k++) {          // an '=' ending the token has no quote after it
        if (lb(k) != 0x3D) continue;
        let qc = lb(k + 1);
        if (qc != 0x22 && qc != 0x27) continue;
        let lim = k + 2 + 512 < end ? k + 2 + 512 : end;
        let j = k + 2;
        while (j < lim && lb(j) != qc) j++;
        if (j < lim) {
          q0 = k + 1; q1 = j + 1;
          i = q1;
          while (i < end && !isSpace(lb(i))) i++;
          break;
        }
      }
    }
    let k = tokN;
    let f: u8 = 0;
    if (q0 == q1 && !globs && (seen & T_SPECIAL) == 0) {
      // copied in whole words when the input has the bytes: tokText has slack for the overshoot
      let o = tokText + tokStart, n = i - a;
      if (i + 7 < end) for (let k: usize = 0; k < n; k += 8) store<u64>(o + k, load<u64>(a + k));
      else copyBytes(o, a, n);
      tokTextLen += n;
    } else if (!globs && (seen & (T_SLASH | T_COLON | T_EQ)) == T_SLASH && lb(a) == 0x2F && pathSeps(a, i) >= 2) {
      // an absolute path (no URL, no key=value): one wildcard, as maskToken's path rule makes it
      let o = tokText + tokStart;
      store<u8>(o, 0x3C); store<u8>(o + 1, 0x2A); store<u8>(o + 2, 0x3E);
      tokTextLen = tokStart + 3;
      f = F_WILD; anyWild = true;
    } else if (!globs && (seen & (T_DIGIT | T_EQ)) == T_DIGIT && noLetters(a, i)) {
      // digits and punctuation only: one wildcard (setWild below gives it the wildcard hash)
      let o = tokText + tokStart;
      store<u8>(o, 0x3C); store<u8>(o + 1, 0x2A); store<u8>(o + 2, 0x3E);
      tokTextLen = tokStart + 3;
      f = F_WILD; anyWild = true;
    } else {
      let rn = i - a;
      let e = MCACHE + (<usize>(h & <u32>(MC_SLOTS - 1))) * MC_ENTRY;
      let cacheable = q0 == q1 && !globs && rn <= MC_MAX;
      if (cacheable && load<u32>(e) == h && <usize>load<u8>(e, 8) == rn && sameRaw(e + 16, a, rn, i + 7 < end)) {
        // whole words: the entry has MC_MAX bytes of room, tokText slack for the overshoot
        let on = <usize>load<u8>(e, 9);
        let o = tokText + tokStart;
        for (let k: usize = 0; k < on; k += 8) store<u64>(o + k, load<u64>(e + 16 + MC_MAX + k));
        tokTextLen = tokStart + on;
        f = load<u8>(e, 10);
        h = load<u32>(e, 4);
        if (f == F_WILD) anyWild = true; else if (f == F_MASK) anyMask = true;
      } else {
        let rh = h;
        maskToken(a, i, q0, q1, q0 == q1 ? seen : T_ALL);
        let n = tokTextLen - tokStart;
        if (n == 0) continue;
        h = fnv32(tokText + tokStart, n);
        // a token with a mask but no 3-letter word is an identifier as a whole
        if (tokMasked) {
          let run = 0, best = 0;
          for (let q = tokStart; q < tokStart + n; q++) {
            if (isLetterish(outAt(q))) { run++; if (run > best) best = run; } else run = 0;
          }
          if (best < 3) { f = F_WILD; anyWild = true; } else { f = F_MASK; anyMask = true; }
        }
        if (cacheable && n <= MC_MAX) {
          store<u32>(e, rh); store<u32>(e, h, 4);
          store<u8>(e, <u8>rn, 8); store<u8>(e, <u8>n, 9); store<u8>(e, f, 10);
          copyShort(e + 16, a, rn);
          copyShort(e + 16 + MC_MAX, tokText + tokStart, n);
        }
      }
    }
    setOff(k, <u32>tokStart);
    let n = tokTextLen - tokStart;
    setLen(k, <u32>n);
    setFlags(k, f);
    setHash(k, h == HASH_WILD ? h + 1 : h);
    tokN = k + 1;
    // only plain 3-4 byte tokens can be month / day names
    if (f == 0 && (n == 3 || n == 4) && !anyMonth) anyMonth = isMonthOrDay(k);
  }
  if (truncated && tokN < maxTokens) { setOff(tokN, <u32>tokTextLen); setWild(tokN); tokN++; anyWild = true; }
  if (anyWild) {
    for (let k = 0; k < tokN; k++) if (tokFlags(k) == F_WILD) setWild(k);
    // month / day names next to a mask (two passes, right to left: "Fri Jun 17 07:07:00")
    if (anyMonth) for (let pass = 0; pass < 2; pass++) {
      for (let k = tokN - 1; k >= 0; k--) {
        if (isWildTok(k)) continue;
        if (((k + 1 < tokN && isWildTok(k + 1)) || (k > 0 && isWildTok(k - 1))) && isMonthOrDay(k)) setWild(k);
      }
    }
    // unit words after a number, runs of wildcards: dropped, the list compacted in one pass
    let o = 0;
    for (let k = 0; k < tokN; k++) {
      if (o > 0 && isWildTok(o - 1) && (isWildTok(k) || isUnit(k))) continue;
      if (o != k) moveToken(o, k);
      o++;
    }
    tokN = o;
  }
  tokClassified = false;
  // repeated identical masked tokens (blk_<*> blk_<*>) keep one
  if (anyMask && tokN > 1) {
    let o = 1;
    for (let k = 1; k < tokN; k++) {
      let f = tokFlags(k);
      if ((f & F_MASK) != 0 && (f & F_WILD) == 0 && tokHash(k) == tokHash(o - 1) && sameText(k, o - 1)) continue;
      if (o != k) moveToken(o, k);
      o++;
    }
    tokN = o;
  }
  let shape = FNV64_OFFSET;
  for (let k = 0; k < tokN; k++) shape = mixShape(shape, tokHash(k));
  tokShape = shape ^ <u64>tokN;
}

export let tokClassified = false;

/** Completes the flags of the current tokens (the shape-cache fast path does not need them). */
export function classifyTokens(): void {
  if (tokClassified) return;
  tokClassified = true;
  for (let k = 0; k < tokN; k++) {
    if (isWildTok(k)) continue;
    setFlags(k, classify(tokText + <usize>tokOff(k), <usize>tokLen(k)));
  }
}

/** Loads the tokens of a template text (space separated, "<*>" = wildcard), e.g. from a snapshot. */
export function tokensFromText(p: usize, len: usize, maxTokens: i32): void {
  tokN = 0;
  tokTextLen = 0;
  textReserve(len + 16);
  let i = p, end = p + len;
  while (i < end && tokN < maxTokens) {
    while (i < end && load<u8>(i) == 0x20) i++;
    if (i >= end) break;
    let a = i;
    while (i < end && load<u8>(i) != 0x20) i++;
    let k = tokN;
    let f = classify(a, i - a);
    setFlags(k, f);
    setOff(k, <u32>tokTextLen);
    if ((f & F_WILD) != 0) { setLen(k, 0); setHash(k, HASH_WILD); }
    else {
      copyBytes(tokText + tokTextLen, a, i - a);
      tokTextLen += i - a;
      setLen(k, <u32>(i - a));
      let h = fnv32(a, i - a);
      setHash(k, h == HASH_WILD ? h + 1 : h);
    }
    tokN = k + 1;
  }
  let shape = FNV64_OFFSET;
  for (let k = 0; k < tokN; k++) shape = mixShape(shape, tokHash(k));
  tokShape = shape ^ <u64>tokN;
  tokClassified = true;
}

// Digit-blind message cache, in front of the tokenizer (behind the exact-message cache): messages
// that differ only in their numbers (addresses, ports, ids, durations) share one token shape, so
// one per-byte pass and a lookup replace the tokenizer's per-token masking (~150-250 interpreted
// instructions a token, and most of its data-dependent branches).
//
// Why it is exact: every masking rule looks at a digit only through isDigit / isHex / isAlnum,
// except "0x", which needs the '0'; and a token of digits and punctuation only (no letter, no
// non-ASCII byte, no '=') becomes "<*>" whatever its digits and punctuation. So the key, the message
// with every digit written '0' (a '0') or '1' (any other) and, in such a token, every digit run
// written as one '0', is itself a message of the same shape. Tokens holding a quote keep their
// length (a quoted value's tail is masked by rules that count digits). Whitespace is copied, so
// the tokens, and any quoted value spanning them, line up. Entries hold the key bytes and are
// compared in full. Off with extra_masks (user globs see the digits) or a digit configured as a
// delimiter (digitKeyConfigure).
import { eqBytesInline, tailWord, firstByte } from "../core/mem";
import { exactHash } from "../core/hash";
import { byteIsSpace, byteIsLetter } from "./tokenize";

const K_SPACE: u8 = 1, K_DIGIT: u8 = 2, K_LETTER: u8 = 4, K_KEEP: u8 = 8;  // KEEP: '=' or a quote
const KCLS: usize = memory.data(256);
const KMAP: usize = memory.data(256);    // the key's byte for each input byte

const KC_BITS: i32 = 10;
/** Longer messages are not cached (the exact-message cache's limit). */
export const KC_MAX: usize = 176;
const KC_ENTRY: usize = 16 + KC_MAX;      // [u64 hash ^ len][u64 shape][key bytes]
let KC: usize = 0;
const KEY: usize = memory.data(<i32>KC_MAX + 8);
// per entry: the error-keyword answer for its key (0 not known, 1 none, 2 some; see minerPeek)
const KC_WORD: usize = memory.data(1 << KC_BITS);
let keyLen: usize = 0;
let keyHash: u64 = 0;
/** The last digitKeyGet built a key (digitKeyPut may store it). */
let keyReady = false;
let enabled = true;
/** The tokenizer's space and letter classes are the default ones: the key is built eight bytes a
 *  step (keyWords); else byte by byte through the tables. */
let wordwise = true;

/** Sets the byte classes from the tokenizer's (call after configureTokenizer); `on` false (user
 *  globs) turns the cache off. Clears the cache. */
export function digitKeyConfigure(on: bool): void {
  enabled = on;
  wordwise = true;
  for (let c: u32 = 0; c < 256; c++) {
    let k: u8 = 0, m = <u8>c;
    let digit = c >= 0x30 && c <= 0x39;
    let lc = c | 0x20;
    if (byteIsSpace(c) != (c == 0x20 || (c >= 0x09 && c <= 0x0D)) ||
        byteIsLetter(c) != ((lc >= 0x61 && lc <= 0x7A) || c >= 0x80)) wordwise = false;
    if (byteIsSpace(c)) { k = K_SPACE; if (digit) enabled = false; }
    else if (digit) { k = K_DIGIT; m = c == 0x30 ? 0x30 : 0x31; }
    else if (byteIsLetter(c)) k = K_LETTER;
    else if (c == 0x3D || c == 0x22 || c == 0x27) k = K_KEEP;
    store<u8>(KCLS + <usize>c, k);
    store<u8>(KMAP + <usize>c, m);
  }
  digitKeyClear();
}

export function digitKeyClear(): void {
  if (KC == 0) KC = heap.alloc(KC_ENTRY << KC_BITS);
  memory.fill(KC, 0, KC_ENTRY << KC_BITS);
  memory.fill(KC_WORD, 0, 1 << KC_BITS);
  keyReady = false;
}

/** [tok, end) holds a token of digits ('0' / '1') and punctuation: written to w (<= tok) with
 *  each digit run as one '0'. Returns the new end. */
function collapseRuns(tok: usize, end: usize, w: usize): usize {
  let inRun = false;
  for (let r = tok; r < end; r++) {
    let c = load<u8>(r);
    if ((c & 0xFE) == 0x30) {
      if (!inRun) { store<u8>(w, 0x30); w++; }
      inRun = true;
    } else { store<u8>(w, c); w++; inRun = false; }
  }
  return w;
}

/** One byte of a token into the key; returns its class (K_SPACE: the token has ended). */
@inline function keyByte(c: u32, d: usize): u32 {
  let t = <u32>load<u8>(<usize>c, KCLS);
  store<u8>(d, load<u8>(<usize>c, KMAP));
  return t;
}

// Eight bytes a step (the default classes): per word, a mask (high bit of each byte) of spaces,
// digits and "breakers" (letters, non-ASCII, '=', quotes, ...); bytes go to the key in place, digits
// mapped; the spaces split the words' masks into tokens; tokens of digits and punctuation are
// noted and collapsed afterwards in one compaction (most messages have one or two).
const ONES: u64 = 0x0101010101010101;
const HIGH: u64 = 0x8080808080808080;
const LOW7: u64 = 0x7F7F7F7F7F7F7F7F;
/** High bit of each byte of x (7-bit bytes) that is >= c / <= c / == c (exact: no carries). */
@inline function geB(x: u64, c: u64): u64 { return (x + (0x80 - c) * ONES) & HIGH; }
@inline function leB(x: u64, c: u64): u64 { return ((0x80 + c) * ONES - x) & HIGH; }
@inline function eqB(x: u64, c: u64): u64 { return ~((x ^ (c * ONES)) + LOW7) & HIGH; }

const MAX_COLLAPSE = 96;                      // tokens in KC_MAX bytes, with room
const COLLAPSE: usize = memory.data(MAX_COLLAPSE * 8);

function keyWords(p: usize, n: usize): usize {
  let nc = 0;
  let tokStart: usize = 0;
  let dAcc: u64 = 0, bAcc: u64 = 0;   // the current token has a digit / a breaker
  // whole words, then the tail word (its bytes past n are 0: no flag of any mask below is set there)
  let full = n & ~<usize>7;
  for (let o: usize = 0; o < n; o += 8) {
    let w: u64 = o < full ? load<u64>(p + o) : tailWord(p + o, n - o);
    // per mask, x (7-bit bytes: no carries between bytes) tested, and the bytes >= 0x80 (w's high
    // bits) cleared or set with one OR into the term that is complemented or not
    let x = w & LOW7;
    // digits: x + 0x50 reaches 0x80 from '0', x + 0x46 from ':'
    let g = (x + 0x50 * ONES) & ~((x + 0x46 * ONES) | w) & HIGH;
    // (both masks may err one way only. Spaces: only ' ' (a tab left inside a key token at worst
    // joins two tokens, and collapsing a joined token of digits and punctuation collapses each
    // of them). Breakers: every byte from '=' up (letters, but also [ ] _ { } ...), and quotes:
    // a token that is not collapsed keeps its digits mapped, which is exact too.)
    let sp = ~(((x ^ 0x20 * ONES) + LOW7) | w) & HIGH;
    // breakers: x + 0x43 reaches 0x80 from '='; a quote zeroes one of the two XORs (its sum
    // below 0x80), non-ASCII bytes by w
    let b = ((x + 0x43 * ONES) | ~(((x ^ 0x22 * ONES) + LOW7) & ((x ^ 0x27 * ONES) + LOW7)) | w) & HIGH;
    // digits: '0' stays, '1'-'9' become '1': a digit's low nibble subtracted (0x7F in each digit
    // byte from g, no borrows), 1 added where it was not 0
    let lo = w & 0x0F0F0F0F0F0F0F0F;
    let nz = (lo + LOW7) & g;
    store<u64>(KEY + o, w - (lo & (g - (g >> 7))) + (nz >> 7));
    if (!sp) { dAcc |= g; bAcc |= b; continue; }
    // no digit in this word or the token it continues (most words): no token ending here
    // collapses, the next token starts after the last space (m: the bytes up to it), no walk
    if ((dAcc | g) == 0) {
      let m = sp | (sp >> 8);
      m |= m >> 16;
      m |= m >> 32;
      tokStart = o + <usize>(((m >> 7) * ONES) >> 56);
      bAcc = b & ~m;
      continue;
    }
    while (sp) {
      let k = <u64>firstByte(sp);
      let below = (<u64>1 << (k << 3)) - 1;
      if ((dAcc | (g & below)) != 0 && (bAcc | (b & below)) == 0 && nc < MAX_COLLAPSE) {
        store<u32>(COLLAPSE + (<usize>nc << 3), <u32>tokStart);
        store<u32>(COLLAPSE + (<usize>nc << 3), <u32>(o + <usize>k), 4);
        nc++;
      }
      tokStart = o + <usize>k + 1;
      dAcc = 0; bAcc = 0;
      let upto = below | (<u64>0xFF << (k << 3));
      g &= ~upto; b &= ~upto;
      sp &= sp - 1;
    }
    dAcc |= g; bAcc |= b;
  }
  if (dAcc != 0 && bAcc == 0 && nc < MAX_COLLAPSE) {
    store<u32>(COLLAPSE + (<usize>nc << 3), <u32>tokStart);
    store<u32>(COLLAPSE + (<usize>nc << 3), <u32>n, 4);
    nc++;
  }
  if (nc == 0) return n;
  // compaction: the bytes between collapsed tokens move down, each collapsed token shrinks
  let w = KEY;
  let r: usize = 0;
  for (let j = 0; j < nc; j++) {
    let s0 = <usize>load<u32>(COLLAPSE + (<usize>j << 3));
    let s1 = <usize>load<u32>(COLLAPSE + (<usize>j << 3), 4);
    if (w != KEY + r) memory.copy(w, KEY + r, s0 - r);
    w += s0 - r;
    w = collapseRuns(KEY + s0, KEY + s1, w);
    r = s1;
  }
  if (w != KEY + r) memory.copy(w, KEY + r, n - r);
  return w + (n - r) - KEY;
}

/** The key of [p, p+n) into KEY byte by byte through the tables (any tokenizer configuration);
 *  returns its length. */
function keyBytes(p: usize, n: usize): usize {
  let d = KEY;
  let i = p, e = p + n;
  while (i < e) {
    let c = <u32>load<u8>(i);
    if (load<u8>(<usize>c, KCLS) & K_SPACE) { store<u8>(d, <u8>c); d++; i++; continue; }
    // a token: eight bytes a step while eight remain (loads and stores at constant offsets, one
    // bounds test per step; a space byte is stored too, then overwritten or cut off)
    let tok = d;
    let bits: u32 = 0;
    let ended = false;
    while (i + 8 <= e) {
      let t = keyByte(<u32>load<u8>(i), d);
      if (t & K_SPACE) { ended = true; break; }
      bits |= t;
      t = keyByte(<u32>load<u8>(i, 1), d + 1);
      if (t & K_SPACE) { i += 1; d += 1; ended = true; break; }
      bits |= t;
      t = keyByte(<u32>load<u8>(i, 2), d + 2);
      if (t & K_SPACE) { i += 2; d += 2; ended = true; break; }
      bits |= t;
      t = keyByte(<u32>load<u8>(i, 3), d + 3);
      if (t & K_SPACE) { i += 3; d += 3; ended = true; break; }
      bits |= t;
      t = keyByte(<u32>load<u8>(i, 4), d + 4);
      if (t & K_SPACE) { i += 4; d += 4; ended = true; break; }
      bits |= t;
      t = keyByte(<u32>load<u8>(i, 5), d + 5);
      if (t & K_SPACE) { i += 5; d += 5; ended = true; break; }
      bits |= t;
      t = keyByte(<u32>load<u8>(i, 6), d + 6);
      if (t & K_SPACE) { i += 6; d += 6; ended = true; break; }
      bits |= t;
      t = keyByte(<u32>load<u8>(i, 7), d + 7);
      if (t & K_SPACE) { i += 7; d += 7; ended = true; break; }
      bits |= t;
      i += 8; d += 8;
    }
    if (!ended) while (i < e) {
      let t = keyByte(<u32>load<u8>(i), d);
      if (t & K_SPACE) break;
      bits |= t;
      i++; d++;
    }
    if ((bits & (K_DIGIT | K_LETTER | K_KEEP)) == K_DIGIT) d = collapseRuns(tok, d, tok);
  }
  return d - KEY;
}

/** The cached token shape of message [p, p+n) by its digit-blind key, or 0 (then the key stays
 *  ready for digitKeyPut when it could be built). */
@inline export function digitKeyGet(p: usize, n: usize): u64 {
  keyReady = false;
  if (!enabled || n > KC_MAX) return 0;
  let kl = wordwise ? keyWords(p, n) : keyBytes(p, n);
  let h = exactHash(KEY, kl);
  keyLen = kl; keyHash = h; keyReady = true;
  let en = KC + <usize>(<u32>(h >> (64 - KC_BITS))) * KC_ENTRY;
  if (load<u64>(en) != (h ^ <u64>kl) || !eqBytesInline(en + 16, KEY, kl)) return 0;
  return load<u64>(en, 8);
}

/** Stores `shape` and the keyword answer `word` (0: not known) for the key the last digitKeyGet
 *  built (if it built one). */
export function digitKeyPut(shape: u64, word: u8): void {
  if (!keyReady) return;
  let h = keyHash;
  let k = <usize>(<u32>(h >> (64 - KC_BITS)));
  let en = KC + k * KC_ENTRY;
  store<u64>(en, h ^ <u64>keyLen);
  store<u64>(en, shape, 8);
  memory.copy(en + 16, KEY, keyLen);
  store<u8>(KC_WORD + k, word);
}

/** The keyword answer byte of the entry the last digitKeyGet found (call only after a hit). */
export function digitKeyWordAt(): usize { return KC_WORD + <usize>(<u32>(keyHash >> (64 - KC_BITS))); }

/** Forgets every entry's keyword answer (the patterns changed). */
export function digitKeyWordsClear(): void { memory.fill(KC_WORD, 0, 1 << KC_BITS); }

digitKeyConfigure(true);

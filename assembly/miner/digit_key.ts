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
import { eqBytes } from "../core/mem";
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
let keyLen: usize = 0;
let keyHash: u64 = 0;
/** The last digitKeyGet built a key (digitKeyPut may store it). */
let keyReady = false;
let enabled = true;

/** Sets the byte classes from the tokenizer's (call after configureTokenizer); `on` false (user
 *  globs) turns the cache off. Clears the cache. */
export function digitKeyConfigure(on: bool): void {
  enabled = on;
  for (let c: u32 = 0; c < 256; c++) {
    let k: u8 = 0, m = <u8>c;
    let digit = c >= 0x30 && c <= 0x39;
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
  keyReady = false;
}

/** [tok, end) holds a token of digits ('0' / '1') and punctuation: each digit run becomes one '0'.
 *  Returns the new end. */
function collapseRuns(tok: usize, end: usize): usize {
  let w = tok;
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

/** The cached token shape of message [p, p+n) by its digit-blind key, or 0 (then the key stays
 *  ready for digitKeyPut when it could be built). */
export function digitKeyGet(p: usize, n: usize): u64 {
  keyReady = false;
  if (!enabled || n > KC_MAX) return 0;
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
    if ((bits & (K_DIGIT | K_LETTER | K_KEEP)) == K_DIGIT) d = collapseRuns(tok, d);
  }
  let kl = d - KEY;
  let h = exactHash(KEY, kl);
  keyLen = kl; keyHash = h; keyReady = true;
  let en = KC + <usize>(<u32>(h >> (64 - KC_BITS))) * KC_ENTRY;
  if (load<u64>(en) != (h ^ <u64>kl) || !eqBytes(en + 16, KEY, kl)) return 0;
  return load<u64>(en, 8);
}

/** Stores `shape` for the key the last digitKeyGet built (if it built one). */
export function digitKeyPut(shape: u64): void {
  if (!keyReady) return;
  let h = keyHash;
  let en = KC + <usize>(<u32>(h >> (64 - KC_BITS))) * KC_ENTRY;
  store<u64>(en, h ^ <u64>keyLen);
  store<u64>(en, shape, 8);
  memory.copy(en + 16, KEY, keyLen);
}

digitKeyConfigure(true);

// The configured record keys (message, level, time, stream field) compiled into a small table so
// that one pass over a record's members finds all of them: per key length a bit mask of the keys
// that have it, so most members are rejected by one load and one test.
import { CFG, Config, cfgAddr, cfgMessageKeys, cfgLevelKeys, cfgTimeKeys, cfgStreamField } from "../core/config";
import { eqBytes } from "./bytes";
import { levelKeyKind } from "./level_words";
import { ByteBuf } from "../core/byte_buf";
import { unescapeInto } from "./json_unescape";

export const ROLE_MSG: u8 = 0;
export const ROLE_LEVEL: u8 = 1;
export const ROLE_TIME: u8 = 2;
export const ROLE_STREAM: u8 = 3;

/** Keys beyond this many (over all roles) are ignored. */
export const MAX_KEYS = 64;
// entry: ptr u32, len u32, role u8, levelKind u8, dotted u8, pad, first 8 bytes u64 (a shorter key:
// its bytes, the rest 0), last 8 bytes u64 (keys of 9 or more bytes); keys are compared as words
const ENTRY_SHIFT: usize = 5;
const ENTRIES = memory.data(MAX_KEYS << <i32>ENTRY_SHIFT);
const BY_LEN = memory.data(64 * 8);   // key length (63 = 63 or more) -> mask of entries
const BY_FIRST = memory.data(256 * 8); // first key byte -> mask of entries (with BY_LEN: ~1 candidate)
const MEMBER_OF = memory.data(MAX_KEYS * 4); // entry -> member index (valid where FOUND_MASK has its bit)
// n -> the mask of a word's low n bytes (n <= 8)
const LEN_MASK = memory.data(9 * 8);
function initLenMask(): void {
  for (let n: usize = 0; n < 8; n++) store<u64>(LEN_MASK + (n << 3), (<u64>1 << (<u64>n << 3)) - 1);
  store<u64>(LEN_MASK + 64, <u64>-1);
}
initLenMask();

// the lists the table was built from, held so they cannot be freed and their addresses reused
let builtCfg: Config | null = null;
let builtMsg: StaticArray<u8>[] | null = null;
let builtLevel: StaticArray<u8>[] | null = null;
let builtTime: StaticArray<u8>[] | null = null;
let builtStream: StaticArray<u8> | null = null;
// ... and their addresses, which ensureKeyIndex compares
let builtAddr: usize = 0, builtMsgAddr: usize = 0, builtLevelAddr: usize = 0, builtTimeAddr: usize = 0;
let builtStreamAddr: usize = 0;
export let KEY_COUNT: i32 = 0;
/** First entry of each role; entries of a role are in priority order. */
export let MSG_FIRST: i32 = 0;
export let LEVEL_FIRST: i32 = 0;
export let TIME_FIRST: i32 = 0;
export let STREAM_FIRST: i32 = 0;
/** Some configured key contains a dot (needs a nested lookup when the literal key is absent). */
export let ANY_DOTTED = false;
/** Bit e: entry e has a dot. */
export let DOTTED_MASK: u64 = 0;
/** Bit e: matchMembers found entry e's key (keyMember(e) is then its member). */
export let FOUND_MASK: u64 = 0;

const KEY_BUF = new ByteBuf(128);

function addList(list: StaticArray<u8>[], role: u8): void {
  for (let j = 0, n = list.length; j < n && KEY_COUNT < MAX_KEYS; j++) {
    let k = unchecked(list[j]);
    addKey(changetype<usize>(k), <usize>k.length, role);
  }
}

function addKey(p: usize, n: usize, role: u8): void {
  if (n == 0) return;
  let e = ENTRIES + (<usize>KEY_COUNT << ENTRY_SHIFT);
  store<u32>(e, <u32>p);
  store<u32>(e, <u32>n, 4);
  store<u8>(e, role, 8);
  store<u8>(e, <u8>levelKeyKind(p, n), 9);
  let dotted: u8 = 0;
  for (let i: usize = 0; i < n; i++) if (load<u8>(p + i) == 0x2E) { dotted = 1; break; }
  if (dotted) { ANY_DOTTED = true; DOTTED_MASK |= <u64>1 << <u64>KEY_COUNT; }
  store<u8>(e, dotted, 10);
  let first: u64 = 0, last: u64 = 0;
  for (let i: usize = 0; i < n && i < 8; i++) first |= <u64>load<u8>(p + i) << (<u64>i << 3);
  if (n > 8) for (let i: usize = 0; i < 8; i++) last |= <u64>load<u8>(p + n - 8 + i) << (<u64>i << 3);
  store<u64>(e, first, 16);
  store<u64>(e, last, 24);
  let b = BY_LEN + (n < 63 ? n : 63) * 8;
  store<u64>(b, load<u64>(b) | (<u64>1 << <u64>KEY_COUNT));
  b = BY_FIRST + <usize>load<u8>(p) * 8;
  store<u64>(b, load<u64>(b) | (<u64>1 << <u64>KEY_COUNT));
  KEY_COUNT++;
}

/** Forget the compiled keys (call after changing CFG key lists in place). */
export function resetKeyIndex(): void { builtCfg = null; builtAddr = 0; }

/** Rebuild when the configuration or one of its key lists was replaced (identity checks: a few
 *  loads per record; a list changed in place needs resetKeyIndex()). */
@inline export function ensureKeyIndex(): void {
  // compared as addresses (no managed locals on this per-record path: no shadow-stack spills)
  // (one test: the differences ORed, not five compares and branches)
  const M = offsetof<Config>("messageKeys");
  if (offsetof<Config>("levelKeys") == M + 4 && offsetof<Config>("timeKeys") == M + 8 &&
      offsetof<Config>("streamField") == M + 12) {
    // the four fields side by side (the layout is known when compiling): two words
    let c = cfgAddr();
    if (((<u64>(c ^ builtAddr)) | (load<u64>(c + M) ^ builtLists0) | (load<u64>(c + M + 8) ^ builtLists1)) != 0) rebuildKeyIndex();
  } else if (((cfgAddr() ^ builtAddr) | (cfgMessageKeys() ^ builtMsgAddr) | (cfgLevelKeys() ^ builtLevelAddr) |
       (cfgTimeKeys() ^ builtTimeAddr) | (cfgStreamField() ^ builtStreamAddr)) != 0) rebuildKeyIndex();
}
/** The built lists' addresses as the words ensureKeyIndex loads (message and level keys, time keys
 *  and the stream field). */
let builtLists0: u64 = 0, builtLists1: u64 = 0;

function rebuildKeyIndex(): void {
  let c = CFG;
  memory.fill(BY_LEN, 0, 64 * 8);
  memory.fill(BY_FIRST, 0, 256 * 8);
  KEY_COUNT = 0;
  ANY_DOTTED = false;
  DOTTED_MASK = 0;
  MSG_FIRST = 0;
  addList(c.messageKeys, ROLE_MSG);
  LEVEL_FIRST = KEY_COUNT;
  addList(c.levelKeys, ROLE_LEVEL);
  TIME_FIRST = KEY_COUNT;
  addList(c.timeKeys, ROLE_TIME);
  STREAM_FIRST = KEY_COUNT;
  if (KEY_COUNT < MAX_KEYS) addKey(changetype<usize>(c.streamField), <usize>c.streamField.length, ROLE_STREAM);
  builtCfg = c; builtMsg = c.messageKeys; builtLevel = c.levelKeys; builtTime = c.timeKeys;
  builtStream = c.streamField;
  builtAddr = changetype<usize>(c); builtMsgAddr = changetype<usize>(c.messageKeys);
  builtLevelAddr = changetype<usize>(c.levelKeys); builtTimeAddr = changetype<usize>(c.timeKeys);
  builtStreamAddr = changetype<usize>(c.streamField);
  MSG_RANGE = entryRange(MSG_FIRST, LEVEL_FIRST);
  LEVEL_RANGE = entryRange(LEVEL_FIRST, TIME_FIRST);
  TIME_RANGE = entryRange(TIME_FIRST, STREAM_FIRST);
  builtLists0 = <u64>builtMsgAddr | (<u64>builtLevelAddr << 32);
  builtLists1 = <u64>builtTimeAddr | (<u64>builtStreamAddr << 32);
}

@inline export function keyPtr(e: i32): usize { return <usize>load<u32>(<usize>e << ENTRY_SHIFT, ENTRIES); }
@inline export function keyLen(e: i32): usize { return <usize>load<u32>(<usize>e << ENTRY_SHIFT, ENTRIES + 4); }
@inline export function keyLevelKind(e: i32): i32 { return <i32>load<u8>(<usize>e << ENTRY_SHIFT, ENTRIES + 9); }
@inline export function keyDotted(e: i32): bool { return load<u8>(<usize>e << ENTRY_SHIFT, ENTRIES + 10) != 0; }
/** Member index of the scanned object whose key equals entry e (last duplicate), or -1. */
@inline export function keyMember(e: i32): i32 {
  return (FOUND_MASK >> <u64>e) & 1 ? load<i32>(MEMBER_OF + (<usize>e << 2)) : -1;
}

/** Each role's entries (entryRange), kept with the table: the per-record role loops load them. */
export let MSG_RANGE: u64 = 0;
export let LEVEL_RANGE: u64 = 0;
export let TIME_RANGE: u64 = 0;

/** Bits [a, b) (entries of one role: a = its first entry, b = the next role's), a <= b <= 64. */
@inline export function entryRange(a: i32, b: i32): u64 {
  let hi: u64 = b >= 64 ? <u64>-1 : (<u64>1 << <u64>b) - 1;
  let lo: u64 = a >= 64 ? <u64>-1 : (<u64>1 << <u64>a) - 1;
  return hi & ~lo;
}

/** Key [kp, kp+kl) (eight bytes readable at kp, and at kp + kl - 8 when kl > 8) equals the key of
 *  entry offset o (ENTRIES + o), a key of the same length when kl < 63 (BY_LEN is exact there). */
@inline function keyEquals(kp: usize, kl: usize, o: usize): bool {
  if (kl <= 8) return (load<u64>(kp) & load<u64>(kl << 3, LEN_MASK)) == load<u64>(o, ENTRIES + 16);
  if (load<u64>(kp) != load<u64>(o, ENTRIES + 16) || load<u64>(kp + kl - 8) != load<u64>(o, ENTRIES + 24)) return false;
  return kl <= 16 || (<usize>load<u32>(o, ENTRIES + 4) == kl && eqBytes(kp + 8, <usize>load<u32>(o, ENTRIES) + 8, kl - 16));
}

/** Matches member i (key [kp, kp+kl), no escapes, eight bytes readable at kp) against the
 *  configured keys: returns the entries it equals (keyMember(e) is set for each); the scan ORs
 *  them over the record for setMatches. */
@inline export function matchKey(i: i32, kp: usize, kl: usize): u64 {
  // BY_LEN is exact below 63: a candidate has this length (keyEquals checks it for longer keys)
  let mask = load<u64>((kl < 63 ? kl : 63) << 3, BY_LEN) & load<u64>(<usize>load<u8>(kp) << 3, BY_FIRST);
  let hits: u64 = 0;
  while (mask) {
    let bit = mask & (0 - mask);
    mask ^= bit;
    let e = <usize>ctz(bit);
    if (keyEquals(kp, kl, e << ENTRY_SHIFT)) {
      store<i32>(e << 2, i, MEMBER_OF);
      hits |= bit;
    }
  }
  return hits;
}

/** The entries matchKey found over one object (FOUND_MASK). */
@inline export function setMatches(found: u64): void { FOUND_MASK = found; }

/** Rare: a key written with escapes is compared in its unescaped form. */
export function matchEscaped(i: i32, kp: usize, kl: usize): u64 {
  KEY_BUF.reset();
  unescapeInto(kp, kl, KEY_BUF);
  KEY_BUF.ensure(8);
  if (KEY_BUF.len == 0) return 0;
  return matchKey(i, KEY_BUF.ptr, KEY_BUF.len);
}

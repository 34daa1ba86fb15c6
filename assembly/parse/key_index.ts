// The configured record keys (message, level, time, stream field) compiled into a small table so
// that one pass over a record's members finds all of them: per key length a bit mask of the keys
// that have it, so most members are rejected by one load and one test.
import { CFG, Config, cfgAddr, cfgMessageKeys, cfgLevelKeys, cfgTimeKeys, cfgStreamField } from "../core/config";
import { eqBytes } from "./bytes";
import { mKeyPtr, mKeyLen, mKeyEsc } from "./json_scan";
import { levelKeyKind } from "./level_words";
import { ByteBuf } from "../core/byte_buf";
import { unescapeInto } from "./json_unescape";

export const ROLE_MSG: u8 = 0;
export const ROLE_LEVEL: u8 = 1;
export const ROLE_TIME: u8 = 2;
export const ROLE_STREAM: u8 = 3;

/** Keys beyond this many (over all roles) are ignored. */
export const MAX_KEYS = 64;
// entry: ptr u32, len u32, role u8, levelKind u8, dotted u8, first byte u8, first 4 bytes u32,
// last byte u8, pad, last 4 bytes u32 (keys of 4-8 bytes compare as two overlapping u32 loads)
const ENTRY: usize = 24;
const ENTRIES = memory.data(<i32>(MAX_KEYS * <i32>ENTRY));
const BY_LEN = memory.data(64 * 8);
const BY_FIRST = memory.data(256 * 8); // first key byte -> mask of entries (with BY_LEN: ~1 candidate)
const MEMBER_OF = memory.data(MAX_KEYS * 4); // entry -> member index or -1 (reset by one memory.fill)   // key length (63 = 63 or more) -> mask of entries

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
  let e = ENTRIES + <usize>KEY_COUNT * ENTRY;
  store<u32>(e, <u32>p);
  store<u32>(e, <u32>n, 4);
  store<u8>(e, role, 8);
  store<u8>(e, <u8>levelKeyKind(p, n), 9);
  let dotted: u8 = 0;
  for (let i: usize = 0; i < n; i++) if (load<u8>(p + i) == 0x2E) { dotted = 1; break; }
  if (dotted) { ANY_DOTTED = true; DOTTED_MASK |= <u64>1 << <u64>KEY_COUNT; }
  store<u8>(e, dotted, 10);
  store<u8>(e, load<u8>(p), 11);
  store<u8>(e, load<u8>(p + n - 1), 16);
  store<u32>(e, n >= 4 ? load<u32>(p) : 0, 12);
  store<u32>(e, n >= 4 ? load<u32>(p + n - 4) : 0, 20);
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
  if (cfgAddr() == builtAddr && cfgMessageKeys() == builtMsgAddr && cfgLevelKeys() == builtLevelAddr &&
      cfgTimeKeys() == builtTimeAddr && cfgStreamField() == builtStreamAddr) return;
  rebuildKeyIndex();
}

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
}

@inline export function keyPtr(e: i32): usize { return <usize>load<u32>(ENTRIES + <usize>e * ENTRY); }
@inline export function keyLen(e: i32): usize { return <usize>load<u32>(ENTRIES + <usize>e * ENTRY, 4); }
@inline export function keyLevelKind(e: i32): i32 { return <i32>load<u8>(ENTRIES + <usize>e * ENTRY, 9); }
@inline export function keyDotted(e: i32): bool { return load<u8>(ENTRIES + <usize>e * ENTRY, 10) != 0; }
/** Member index of the scanned object whose key equals entry e (last duplicate), or -1. */
@inline export function keyMember(e: i32): i32 {
  return (FOUND_MASK >> <u64>e) & 1 ? load<i32>(MEMBER_OF + (<usize>e << 2)) : -1;
}

/** Bits [a, b) (entries of one role: a = its first entry, b = the next role's), a <= b <= 64. */
@inline export function entryRange(a: i32, b: i32): u64 {
  let hi: u64 = b >= 64 ? <u64>-1 : (<u64>1 << <u64>b) - 1;
  let lo: u64 = a >= 64 ? <u64>-1 : (<u64>1 << <u64>a) - 1;
  return hi & ~lo;
}

/** Key [kp, kp+kl) equals entry ent's key of the same length whose first byte it shares. */
@inline function keyEquals(kp: usize, kl: usize, ent: usize): bool {
  if (kl < 4) return load<u8>(kp + kl - 1) == load<u8>(ent, 16) && (kl < 3 || load<u8>(kp + 1) == load<u8>(<usize>load<u32>(ent) + 1));
  if (load<u32>(kp) != load<u32>(ent, 12) || load<u32>(kp + kl - 4) != load<u32>(ent, 20)) return false;
  return kl <= 8 || eqBytes(kp + 4, <usize>load<u32>(ent) + 4, kl - 8);
}

/** Records member i (key [kp, kp+kl), no escapes) against the configured keys (the scan calls this
 *  for every indexed member, after resetMatches()). */
@inline export function matchKey(i: i32, kp: usize, kl: usize): void {
  if (kl == 0) return;
  let mask = load<u64>(BY_LEN + (kl < 63 ? kl : 63) * 8) & load<u64>(BY_FIRST + <usize>load<u8>(kp) * 8);
  while (mask) {
    let e = <i32>ctz(mask);
    mask &= mask - 1;
    let ent = ENTRIES + <usize>e * ENTRY;
    if (<usize>load<u32>(ent, 4) == kl && keyEquals(kp, kl, ent)) {
      store<i32>(MEMBER_OF + (<usize>e << 2), i);
      FOUND_MASK |= <u64>1 << <u64>e;
    }
  }
}

/** One pass over a member index (json_scan layout): keyMember(e) and FOUND_MASK for every
 *  configured key (MEMBER_OF holds stale entries where FOUND_MASK has no bit). */
export function matchMembers(base: usize, count: i32): void {
  FOUND_MASK = 0;
  for (let i = 0; i < count; i++) {
    let kl = mKeyLen(base, i);
    let esc = mKeyEsc(base, i);
    if (!esc) {
      matchKey(i, mKeyPtr(base, i), kl);
    } else matchEscaped(i, mKeyPtr(base, i), kl);
  }
}

/** Forget the matches of the last member index. */
@inline export function resetMatches(): void { FOUND_MASK = 0; }

/** Rare: a key written with escapes is compared in its unescaped form. */
export function matchEscaped(i: i32, kp: usize, kl: usize): void {
  KEY_BUF.reset();
  unescapeInto(kp, kl, KEY_BUF);
  matchKey(i, KEY_BUF.ptr, KEY_BUF.len);
}

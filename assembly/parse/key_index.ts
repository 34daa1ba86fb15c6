// The configured record keys (message, level, time, stream field) compiled into a small table so
// that one pass over a record's members finds all of them: per key length a bit mask of the keys
// that have it, so most members are rejected by one load and one test.
import { CFG } from "../core/config";
import { eqBytes } from "./bytes";
import { ObjectScan } from "./json_scan";
import { levelKeyKind } from "./level_words";
import { ByteBuf } from "../core/byte_buf";
import { unescapeInto } from "./json_unescape";

export const ROLE_MSG: u8 = 0;
export const ROLE_LEVEL: u8 = 1;
export const ROLE_TIME: u8 = 2;
export const ROLE_STREAM: u8 = 3;

/** Keys beyond this many (over all roles) are ignored. */
export const MAX_KEYS = 64;
// entry: ptr u32, len u32, role u8, levelKind u8, dotted u8, pad u8, member i32
const ENTRY: usize = 16;
const ENTRIES = memory.data(<i32>(MAX_KEYS * <i32>ENTRY));
const BY_LEN = memory.data(64 * 8);   // key length (63 = 63 or more) -> mask of entries

let sig: usize = 0;
let built = false;
export let KEY_COUNT: i32 = 0;
/** First entry of each role; entries of a role are in priority order. */
export let MSG_FIRST: i32 = 0;
export let LEVEL_FIRST: i32 = 0;
export let TIME_FIRST: i32 = 0;
export let STREAM_FIRST: i32 = 0;
/** Some configured key contains a dot (needs a nested lookup when the literal key is absent). */
export let ANY_DOTTED = false;

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
  if (dotted) ANY_DOTTED = true;
  store<u8>(e, dotted, 10);
  let b = BY_LEN + (n < 63 ? n : 63) * 8;
  store<u64>(b, load<u64>(b) | (<u64>1 << <u64>KEY_COUNT));
  KEY_COUNT++;
}

function signature(): usize {
  let c = CFG;
  let s = changetype<usize>(c);
  s = s * 31 + changetype<usize>(c.messageKeys) + <usize>c.messageKeys.length;
  s = s * 31 + changetype<usize>(c.levelKeys) + <usize>c.levelKeys.length;
  s = s * 31 + changetype<usize>(c.timeKeys) + <usize>c.timeKeys.length;
  s = s * 31 + changetype<usize>(c.streamField) + <usize>c.streamField.length;
  return s;
}

/** Forget the compiled keys (call after changing CFG key lists in place). */
export function resetKeyIndex(): void { built = false; }

/** Rebuild when the configuration's key lists changed (checked per record: a few loads). */
export function ensureKeyIndex(): void {
  let s = signature();
  if (built && s == sig) return;
  memory.fill(BY_LEN, 0, 64 * 8);
  KEY_COUNT = 0;
  ANY_DOTTED = false;
  MSG_FIRST = 0;
  addList(CFG.messageKeys, ROLE_MSG);
  LEVEL_FIRST = KEY_COUNT;
  addList(CFG.levelKeys, ROLE_LEVEL);
  TIME_FIRST = KEY_COUNT;
  addList(CFG.timeKeys, ROLE_TIME);
  STREAM_FIRST = KEY_COUNT;
  if (KEY_COUNT < MAX_KEYS) addKey(changetype<usize>(CFG.streamField), <usize>CFG.streamField.length, ROLE_STREAM);
  sig = s;
  built = true;
}

@inline export function keyPtr(e: i32): usize { return <usize>load<u32>(ENTRIES + <usize>e * ENTRY); }
@inline export function keyLen(e: i32): usize { return <usize>load<u32>(ENTRIES + <usize>e * ENTRY, 4); }
@inline export function keyLevelKind(e: i32): i32 { return <i32>load<u8>(ENTRIES + <usize>e * ENTRY, 9); }
@inline export function keyDotted(e: i32): bool { return load<u8>(ENTRIES + <usize>e * ENTRY, 10) != 0; }
/** Member index of the scanned object whose key equals entry e (last duplicate), or -1. */
@inline export function keyMember(e: i32): i32 { return load<i32>(ENTRIES + <usize>e * ENTRY, 12); }

function matchKey(i: i32, kp: usize, kl: usize): void {
  let mask = load<u64>(BY_LEN + (kl < 63 ? kl : 63) * 8);
  while (mask) {
    let e = <i32>ctz(mask);
    mask &= mask - 1;
    let ent = ENTRIES + <usize>e * ENTRY;
    if (<usize>load<u32>(ent, 4) == kl && eqBytes(kp, <usize>load<u32>(ent), kl)) store<i32>(ent, i, 12);
  }
}

/** One pass over the scanned members: keyMember(e) for every configured key. */
export function matchMembers(scan: ObjectScan): void {
  for (let e = 0; e < KEY_COUNT; e++) store<i32>(ENTRIES + <usize>e * ENTRY, -1, 12);
  for (let i = 0, n = scan.count; i < n; i++) {
    let kl = scan.keyLen(i);
    if (!load<u64>(BY_LEN + (kl < 63 ? kl : 63) * 8) && !scan.keyEsc(i)) continue;
    if (scan.keyEsc(i)) {
      // rare: compare the unescaped key
      KEY_BUF.reset();
      unescapeInto(scan.keyPtr(i), kl, KEY_BUF);
      matchKey(i, KEY_BUF.ptr, KEY_BUF.len);
    } else matchKey(i, scan.keyPtr(i), kl);
  }
}

// Template store and online clustering.
//
// A template is a token sequence (constants and "<*>"). A record's masked tokens go, in order, to:
//  1. the shape cache: the exact masked sequence seen before -> its template (one hash probe);
//  2. same-length templates, compared position by position. Only "informative" template constants
//     count: wildcards and weak tokens (punctuation, upper-case level words) are skipped. With
//     c = matching constants and k = differing ones the record joins the best template when
//       k == 0 (and c >= 1), or c >= minConst, c / (c + k) >= similarity threshold, and k <= 1
//       once the template has been stable for `stableAfter` records (a long-constant token rarely
//       turns variable), and the first informative token is not a different plain word (Drain's
//       first-token rule: "Accepted password" vs "Failed password"), and no differing position
//       holds two different dictionary words ("stored as bytes" vs "stored as values" are two
//       messages; user names, hosts and ids are rarely both dictionary words).
//     A template held by ESTABLISHED (300) records takes no new variable where both the template
//     and the line hold plain text (no mask). Differing positions become "<*>" (refinement: the
//     template keeps its id).
//     Quoted strings ("watch", 'lamp', "socks kettle": up to 3 tokens, not a quoted key, sentence
//     or request line) are values: a differing one is neither evidence nor a block, and becomes
//     "<*>". Sibling rule: when no template accepts the line but at least 4 differ from it only by
//     one dictionary word at one (non-first) position, with at least 2 other matching constants,
//     the line's word is the 5th distinct one there: the most used sibling takes it and that
//     position becomes "<*>" (a search box, not "closed" vs "reset"). Earlier siblings keep theirs.
//  3. templates of other lengths (+-8 tokens) by alignment: a template wildcard (or a constant
//     that becomes one) may absorb extra masked or punctuation tokens, or match nothing, so an
//     optional "*64" or "(1.2 KB)" does not split a message; a quoted value may absorb the extra
//     words of a longer one, or its constant words match nothing (they become "<*>"). Same
//     acceptance rule.
//  4. otherwise a new template (evicting the least recently used one at the cap).
// No recursion; every table has a fixed cap. Tables are unmanaged memory (no GC work per record).
import { F_WILD, F_WEAK, F_WORD, F_DICT, F_ABSORB, F_MASK, F_KEYV, HASH_WILD, keyPrefix, classify, fnv32, MAX_TOKENS_HARD,
  tokN, tokHash, tokFlags, tokOff, tokLen, tokText, classifyTokens, tokClassified, TOK_FLAGS } from "./tokenize";
import { ByteBuf } from "../core/byte_buf";
import { FNV64_OFFSET, fnv64Step } from "../core/hash";
import { defaultNum, defaultBool } from "../core/config_keys";

/** The miner's configuration: the "templates" keys take their defaults from the configuration
 *  table (core/config_keys.ts); the rest are the miner's own constants. */
export class MinerConfig {
  maxTemplates: i32 = <i32>defaultNum("templates.max_templates");
  /** similarity_threshold t: c / (c + k) >= t. */
  threshold: f64 = defaultNum("templates.similarity_threshold");
  minConst: i32 = 3;
  stableAfter: u64 = 10;
  maxTokens: i32 = <i32>defaultNum("templates.max_tokens");
  includeText: bool = defaultBool("templates.include_text");
  warmupRecords: u64 = <u64>defaultNum("templates.warmup_records");
  warmupSeconds: i64 = <i64>defaultNum("templates.warmup_seconds");
  events: bool = defaultBool("templates.new_pattern_events");
  wordRule: bool = defaultBool("templates.word_rule");
  maxDelta: i32 = 8;
  maxAlign: i32 = 32;
  maxScan: i32 = 256;
  maxAlignScan: i32 = 128;
}

export let MCFG = new MinerConfig();

/** Store-side token flag (above tokenize's bits): part of a quoted string, a value. */
const F_QUOTE: u8 = 64;
/** Longest quoted span (tokens) taken as a value: longer quoted text is a sentence. */
const QUOTE_SPAN: i32 = 3;
/** Sibling rule: templates that differ from the line in one dictionary word only (the rest of
 *  their informative constants matching, at least SIB_MIN_C of them) are siblings; once the line
 *  would be the SIB_VALUES-th distinct word there, that position becomes <*>. */
const SIB_VALUES: i32 = 5;
const SIB_MIN_C: i32 = 2;
const SIB_MAX: i32 = 16;

// hot copies of the configuration (plain globals)
let kMinConst: i32 = 3;
let kRatio: f64 = 0.7 / 0.3;
let kNoRefine = false;
let kStable: u64 = 10;
let kWordRule = true;
let kMaxDelta: i32 = 8;
let kMaxAlign: i32 = 32;
let kMaxScan: i32 = 256;
let kMaxAlignScan: i32 = 128;
export let kMaxTokens: i32 = 64;
export let kWarmRecords: u64 = 1000;
export let kWarmMs: i64 = 300000;
export let kEvents = true;

function applyHotConfig(): void {
  let c = MCFG;
  kMinConst = c.minConst;
  kNoRefine = c.threshold >= 1.0;
  kRatio = kNoRefine ? 0 : c.threshold / (1.0 - c.threshold);
  kStable = c.stableAfter;
  kWordRule = c.wordRule;
  kMaxDelta = c.maxDelta;
  kMaxAlign = c.maxAlign;
  kMaxScan = c.maxScan;
  kMaxAlignScan = c.maxAlignScan;
  kMaxTokens = c.maxTokens;
  kWarmRecords = c.warmupRecords;
  kWarmMs = c.warmupSeconds * 1000;
  kEvents = c.events;
}

// ------------------------------------------------------------------ per-slot records

const SZ: usize = 80;
const O_BLOCK: usize = 0;   // usize: tokens block: hash u32[n] flags u8[n] off u32[n] len u32[n] text
const O_N: usize = 8;       // i32 tokens; 0 = free slot
const O_WILD: usize = 12;   // i32 wildcard count
const O_COUNT: usize = 16;  // u64
const O_FIRST: usize = 24;  // i64 ms
const O_LAST: usize = 32;   // i64 ms
const O_ID: usize = 40;     // u64
const O_GEN: usize = 48;    // u32 bumped on eviction (invalidates cache entries)
const O_NEW: usize = 52;    // u8
const O_SEEN: usize = 53;   // u8 scratch of settle()
const O_EX: usize = 56;     // usize example bytes (heap), 0 = none
const O_EXLEN: usize = 60;  // u32
const O_BNEXT: usize = 64;  // i32 bucket list / free list
const O_BPREV: usize = 68;
const O_LNEXT: usize = 72;  // i32 LRU list (towards older)
const O_LPREV: usize = 76;

let cap: i32 = 0;
let slots: usize = 0;
const bucketHead: usize = memory.data((MAX_TOKENS_HARD + 2) << 2);
let lruHead: i32 = -1;   // most recent
let lruTail: i32 = -1;
let freeHead: i32 = -1;
export let liveCount: i32 = 0;

@inline function rec(s: i32): usize { return slots + <usize>s * SZ; }
@inline function gI32(s: i32, o: usize): i32 { return load<i32>(rec(s) + o); }
@inline function sI32(s: i32, o: usize, v: i32): void { store<i32>(rec(s) + o, v); }
@inline function block(s: i32): usize { return load<usize>(rec(s) + O_BLOCK); }
@inline function nOf(s: i32): i32 { return load<i32>(rec(s) + O_N); }
@inline function bHead(n: i32): i32 { return load<i32>(bucketHead + (<usize>n << 2)); }
@inline function setBHead(n: i32, v: i32): void { store<i32>(bucketHead + (<usize>n << 2), v); }

// shape cache: key u64, slot i32, gen u32 per entry
let cBits: i32 = 0;
let cache: usize = 0;
@inline function cKey(j: i32): u64 { return load<u64>(cache + (<usize>j << 4)); }
@inline function cSlot(j: i32): i32 { return load<i32>(cache + (<usize>j << 4) + 8); }
@inline function cGen(j: i32): u32 { return load<u32>(cache + (<usize>j << 4) + 12); }

// alignment scratch
const DPW: i32 = MAX_TOKENS_HARD + 1;
const dpCost: usize = memory.data((DPW * DPW) << 2);
const dpFrom: usize = memory.data(DPW * DPW);
const pairT: usize = memory.data((MAX_TOKENS_HARD + 2) << 2);
const pairL: usize = memory.data((MAX_TOKENS_HARD + 2) << 2);
const misPos: usize = memory.data((MAX_TOKENS_HARD + 2) << 2);
const misBest: usize = memory.data((MAX_TOKENS_HARD + 2) << 2);
let misN: i32 = 0;
const HS_BITS: i32 = 8;
const hset: usize = memory.data((1 << HS_BITS) << 2);

export const EXAMPLE_MAX: usize = 300;

@inline export function slotLive(s: i32): bool { return s >= 0 && s < cap && nOf(s) > 0; }
@inline export function slotId(s: i32): u64 { return load<u64>(rec(s) + O_ID); }
/** Changes whenever the slot's text may have: reuse (gen) or a token turned into <*> (wildcards). */
@inline export function slotVersion(s: i32): u64 { return (<u64>load<u32>(rec(s) + O_GEN) << 32) | <u64>load<u32>(rec(s) + O_WILD); }
@inline export function slotCount(s: i32): u64 { return load<u64>(rec(s) + O_COUNT); }
@inline export function slotFirst(s: i32): i64 { return load<i64>(rec(s) + O_FIRST); }
@inline export function slotLast(s: i32): i64 { return load<i64>(rec(s) + O_LAST); }
@inline export function slotNew(s: i32): bool { return load<u8>(rec(s) + O_NEW) != 0; }
@inline export function slotExample(s: i32): usize { return load<usize>(rec(s) + O_EX); }
@inline export function slotExampleLen(s: i32): usize { return <usize>load<u32>(rec(s) + O_EXLEN); }

@inline function hashAt(s: i32, i: i32): u32 { return load<u32>(block(s) + (<usize>i << 2)); }
@inline function flagsPtr(s: i32): usize { return block(s) + (<usize>nOf(s) << 2); }
@inline function flagsAt(s: i32, i: i32): u8 { return load<u8>(flagsPtr(s) + <usize>i); }
@inline function offPtr(s: i32): usize { return flagsPtr(s) + <usize>nOf(s); }
@inline function tOff(s: i32, i: i32): u32 { return load<u32>(offPtr(s) + (<usize>i << 2)); }
@inline function tLen(s: i32, i: i32): u32 { return load<u32>(offPtr(s) + (<usize>(nOf(s) + i) << 2)); }
@inline function textPtr(s: i32): usize { return offPtr(s) + (<usize>nOf(s) << 3); }

/** (Re)allocates every table for `n` templates; forgets everything. */
export function storeInit(n: i32): void {
  applyHotConfig();
  storeFreeAll();
  cap = n;
  slots = heap.alloc(<usize>n * SZ);
  memory.fill(slots, 0, <usize>n * SZ);
  for (let i = 0; i < MAX_TOKENS_HARD + 2; i++) setBHead(i, -1);
  freeHead = -1;
  for (let i = n - 1; i >= 0; i--) { sI32(i, O_BNEXT, freeHead); freeHead = i; }
  lruHead = -1; lruTail = -1;
  pendN = 0;
  liveCount = 0;
  let bits = 4;
  while ((1 << bits) < n * 4) bits++;
  cBits = bits;
  cache = heap.alloc(<usize>(1 << bits) << 4);
  for (let j = 0; j < (1 << bits); j++) {
    store<u64>(cache + (<usize>j << 4), 0);
    store<i32>(cache + (<usize>j << 4) + 8, -1);
    store<u32>(cache + (<usize>j << 4) + 12, 0);
  }
}

function storeFreeAll(): void {
  if (slots == 0) return;
  for (let i = 0; i < cap; i++) {
    let b = block(i);
    if (b != 0) heap.free(b);
    let e = slotExample(i);
    if (e != 0) heap.free(e);
  }
  heap.free(slots);
  slots = 0;
  if (cache != 0) { heap.free(cache); cache = 0; }
}

// ------------------------------------------------------------------ lists

function lruUnlink(s: i32): void {
  let p = gI32(s, O_LPREV), n = gI32(s, O_LNEXT);
  if (p >= 0) sI32(p, O_LNEXT, n); else lruHead = n;
  if (n >= 0) sI32(n, O_LPREV, p); else lruTail = p;
}
function lruPushFront(s: i32): void {
  sI32(s, O_LPREV, -1);
  sI32(s, O_LNEXT, lruHead);
  if (lruHead >= 0) sI32(lruHead, O_LPREV, s);
  lruHead = s;
  if (lruTail < 0) lruTail = s;
}

function bucketUnlink(s: i32): void {
  let n = nOf(s);
  let p = gI32(s, O_BPREV), x = gI32(s, O_BNEXT);
  if (p >= 0) sI32(p, O_BNEXT, x); else setBHead(n, x);
  if (x >= 0) sI32(x, O_BPREV, p);
}
function bucketPush(s: i32): void {
  let n = nOf(s);
  let h = bHead(n);
  sI32(s, O_BPREV, -1);
  sI32(s, O_BNEXT, h);
  if (h >= 0) sI32(h, O_BPREV, s);
  setBHead(n, s);
}

function evict(s: i32): void {
  bucketUnlink(s);
  lruUnlink(s);
  heap.free(block(s)); store<usize>(rec(s) + O_BLOCK, 0);
  let e = slotExample(s);
  if (e != 0) { heap.free(e); store<usize>(rec(s) + O_EX, 0); store<u32>(rec(s) + O_EXLEN, 0); }
  sI32(s, O_N, 0);
  store<u32>(rec(s) + O_GEN, load<u32>(rec(s) + O_GEN) + 1);
  sI32(s, O_BNEXT, freeHead); freeHead = s;
  liveCount--;
}

/** A free slot, evicting the least recently used template at the cap. */
function takeSlot(): i32 {
  if (freeHead < 0) evict(lruTail);
  let s = freeHead;
  freeHead = gI32(s, O_BNEXT);
  return s;
}

// ------------------------------------------------------------------ shape cache

@inline export function cacheGet(key: u64): i32 {
  let mask = (1 << cBits) - 1;
  let i = <i32>(key ^ (key >> 32)) & mask;
  for (let probe = 0; probe < 8; probe++) {
    let j = (i + probe) & mask;
    let s = cSlot(j);
    if (s < 0) return -1;
    if (cKey(j) == key) {
      if (nOf(s) > 0 && load<u32>(rec(s) + O_GEN) == cGen(j)) return s;
      return -1;
    }
  }
  return -1;
}

export function cachePut(key: u64, s: i32): void {
  let mask = (1 << cBits) - 1;
  let i = <i32>(key ^ (key >> 32)) & mask;
  // first empty, stale or same-key entry of the probe window, else the home entry
  let victim = i;
  for (let probe = 0; probe < 8; probe++) {
    let j = (i + probe) & mask;
    let cs = cSlot(j);
    if (cs < 0 || cKey(j) == key || nOf(cs) == 0 || load<u32>(rec(cs) + O_GEN) != cGen(j)) { victim = j; break; }
  }
  let e = cache + (<usize>victim << 4);
  store<u64>(e, key);
  store<i32>(e + 8, s);
  store<u32>(e + 12, load<u32>(rec(s) + O_GEN));
}

// ------------------------------------------------------------------ quoted values

/** Trailing bytes after a closing quote: ) ] , ; . ! ? */
@inline function closePunct(c: u32): bool {
  return c == 0x29 || c == 0x5D || c == 0x2C || c == 0x3B || c == 0x2E || c == 0x21 || c == 0x3F;
}

/** Marks the current tokens that form a quoted string ("watch", 'lamp', "socks kettle"; at most
 *  QUOTE_SPAN tokens, no masked token inside a longer span) with F_QUOTE, and makes them
 *  absorbable: a quoted string is a value, whatever its words. Not a quoted key ('Name': ...), not
 *  a longer quoted sentence or a request line ("GET <*> HTTP/1.1"), which are a message's text. */
function markQuoted(): void {
  let n = tokN;
  for (let i = 0; i < n; i++) {
    let l = <usize>tokLen(i);
    if (l < 2) continue;                                      // wildcards have no text
    let p = tokText + <usize>tokOff(i);
    let s: usize = 0;
    while (s + 1 < l && (load<u8>(p + s) == 0x28 || load<u8>(p + s) == 0x5B)) s++;
    let q = <u32>load<u8>(p + s);
    if (q != 0x22 && q != 0x27) continue;
    let end = -1;
    for (let j = i; j < n && j < i + QUOTE_SPAN; j++) {
      let fj = tokFlags(j);
      if (j > i && (fj & F_MASK) != 0) break;
      let pj = tokText + <usize>tokOff(j);
      let e = <usize>tokLen(j);
      let b: usize = j == i ? s + 1 : 0;
      if (e > b && load<u8>(pj + e - 1) == 0x3A) break;        // 'Key': a quoted key
      while (e > b && closePunct(<u32>load<u8>(pj + e - 1))) e--;
      if (e > b && <u32>load<u8>(pj + e - 1) == q) { end = j; break; }
    }
    if (end < 0) continue;
    for (let j = i; j <= end; j++) store<u8>(TOK_FLAGS + <usize>j, tokFlags(j) | F_QUOTE | F_ABSORB);
    i = end;
  }
}

// ------------------------------------------------------------------ matching

let mC: i32 = 0;
let mK: i32 = 0;
let mBlock = false;
/** Differing positions where neither the template nor the line holds a masked token. */
let mPlain: i32 = 0;
/** A template held by this many records takes no new variable at a plain-text position: a
 *  token that neither side masks and that stayed the same over so many records is a constant, and a
 *  line differing there is another message (Windows' "initialized by client WindowsUpdateAgent"
 *  vs "SPP"). Loghub GA is the same for 100..300; 30 splits OpenSSH ("for root" then other
 *  users), 500 loses Windows. Masked values (hosts, numbers, ids) still refine. */
const ESTABLISHED: u64 = 300;

/** Adds the evidence of template token (s, ti) against line token li to mC/mK/mBlock. */
@inline function evidence(s: i32, ti: i32, li: i32, first: bool): void {
  if (hashAt(s, ti) == tokHash(li)) { mC++; return; }
  let tf = flagsAt(s, ti);
  let lf = tokFlags(li);
  if (((tf | lf) & F_QUOTE) != 0) return;      // a quoted value differs: free, it becomes <*>
  if ((tf & F_KEYV) != 0 && takesValue(s, ti, li)) return;   // key=<*> takes the line's value
  mK++;
  let kv = keyValues(s, ti, li);
  // plain text on both sides, unless one key with two values
  if (((tf | lf) & F_MASK) == 0 && kv <= 0) mPlain++;
  if (!kWordRule) return;
  if (first && (tf & F_WORD) != 0 && (lf & F_WORD) != 0 && !labelAt(li)) mBlock = true;
  if ((tf & F_DICT) != 0 && (lf & F_DICT) != 0) mBlock = true;
  if (kv < 0 || (kv == 0 && otherKeys(s, ti, li))) mBlock = true;
  if (((tf | lf) & F_MASK) != 0 && (filler(textPtr(s) + <usize>tOff(s, ti), <usize>tLen(s, ti)) ||
      filler(tokText + <usize>tokOff(li), <usize>tokLen(li)))) mBlock = true;
}

/** Line token li is a label: a lone ':' follows it (`alice : TTY=<*> ; ...`, sudo's user).
 *  A label names who or what the line is about, a value; Drain's first-word rule is for verbs. */
function labelAt(li: i32): bool {
  let j = li + 1;
  return j < tokN && tokLen(j) == 1 && load<u8>(tokText + <usize>tokOff(j)) == 0x3A;
}

/** A filler for a missing or hidden value (`****`, `??`): another case than any value. */
function filler(p: usize, n: usize): bool {
  if (n < 2) return false;
  let c = load<u8>(p);
  if (c != 0x2A && c != 0x3F) return false;
  for (let q: usize = 1; q < n; q++) if (load<u8>(p + q) != c) return false;
  return true;
}

/** Both tokens hold a '=' (not first) and name two fields: the keys before it differ
 *  (`phoneId=<*>` vs `retVal=true`), or only one has a word glued before its key (`(uid=<*>)` vs
 *  `LOGIN(uid=<*>)`: a missing word is another case, like an empty value). Two words before one
 *  key are a value (`alice(uid=0)` vs `bob(uid=0)`: the user). */
function otherKeys(s: i32, ti: i32, li: i32): bool {
  let tp = textPtr(s) + <usize>tOff(s, ti), tn = <usize>tLen(s, ti);
  let lp = tokText + <usize>tokOff(li), ln = <usize>tokLen(li);
  let a: usize = 1, b: usize = 1;
  while (a < tn && load<u8>(tp + a) != 0x3D) a++;
  while (b < ln && load<u8>(lp + b) != 0x3D) b++;
  if (a >= tn || b >= ln) return false;
  let ka = a, kb = b;
  while (ka > 0 && keyByte(<u32>load<u8>(tp + ka - 1))) ka--;
  while (kb > 0 && keyByte(<u32>load<u8>(lp + kb - 1))) kb--;
  if (a - ka != b - kb) return true;
  for (let q: usize = 0; q < a - ka; q++) if (load<u8>(tp + ka + q) != load<u8>(lp + kb + q)) return true;
  let wa = false, wb = false;
  for (let q: usize = 0; q < ka; q++) if (keyByte(<u32>load<u8>(tp + q))) { wa = true; break; }
  for (let q: usize = 0; q < kb; q++) if (keyByte(<u32>load<u8>(lp + q))) { wb = true; break; }
  if (wa || wb) return wa != wb;
  if (ka != kb) return true;
  for (let q: usize = 0; q < ka; q++) if (load<u8>(tp + q) != load<u8>(lp + q)) return true;
  return false;
}

@inline function keyByte(c: u32): bool {
  return (c - 0x30) < 10 || ((c | 0x20) - 0x61) < 26 || c == 0x5F || c == 0x2D || c == 0x2E;
}

/** Line token li gives template token ti's key (key=<*>) a non-empty value. */
function takesValue(s: i32, ti: i32, li: i32): bool {
  let tp = textPtr(s) + <usize>tOff(s, ti), tn = <usize>tLen(s, ti);
  let lp = tokText + <usize>tokOff(li), ln = <usize>tokLen(li);
  let k = keyPrefix(tp, tn);
  if (k == 0 || ln <= k) return false;
  for (let q: usize = 0; q < k; q++) if (load<u8>(tp + q) != load<u8>(lp + q)) return false;
  return true;
}

/** Two differing tokens as key=value: 1 when both give one key a value (a value differs), -1 when
 *  one leaves that key empty and the other does not (`rhost=` vs `rhost=<*>`: a missing value is
 *  another case than any value, two messages), 0 otherwise. */
function keyValues(s: i32, ti: i32, li: i32): i32 {
  let tp = textPtr(s) + <usize>tOff(s, ti), tn = <usize>tLen(s, ti);
  let lp = tokText + <usize>tokOff(li), ln = <usize>tokLen(li);
  let k = keyPrefix(tp, tn);
  if (k == 0 || ln < k) return 0;
  for (let q: usize = 0; q < k; q++) if (load<u8>(tp + q) != load<u8>(lp + q)) return 0;
  if (tn == k || ln == k) return -1;
  return 1;
}

/** After compareSame: the one differing position when the template was blocked only by two
 *  dictionary words there (not the first word), else -1. */
let mSib: i32 = -1;

function compareSame(s: i32): void {
  mC = 0; mK = 0; mBlock = false; mSib = -1; mPlain = 0;
  let n = tokN;
  let first = true;
  let sib = -1;
  let fp = flagsPtr(s);
  for (let i = 0; i < n; i++) {
    let tf = load<u8>(fp + <usize>i);
    if ((tf & (F_WILD | F_WEAK)) != 0) continue;
    let k0 = mK;
    evidence(s, i, i, first);
    if (mBlock) {
      if (sib >= 0 || k0 != 0 || first) { mSib = -1; return; }
      sib = i; mBlock = false;                 // maybe a sibling: look on for a second difference
    } else if (sib >= 0 && mK > 1) { mBlock = true; return; }
    if ((tf & F_WORD) != 0) first = false;     // the first word: not a bracketed or masked lead-in
  }
  if (sib >= 0) { mBlock = true; mSib = sib; }
}

@inline function countsAcceptable(s: i32, c: i32, k: i32): bool {
  if (c < 1) return false;
  if (k == 0) return true;
  if (kNoRefine || c < kMinConst) return false;
  if (<f64>c < kRatio * <f64>k - 1e-9) return false;
  if (slotCount(s) >= kStable && k > 1) return false;
  return true;
}

@inline function acceptable(s: i32): bool {
  return !mBlock && countsAcceptable(s, mC, mK) && (mPlain == 0 || slotCount(s) < ESTABLISHED);
}

/** Aligns template s (length m) with the line (length n != m). Wildcards (and constants that will
 *  become wildcards) may absorb extra absorbable line tokens; a wildcard may match nothing. Fills
 *  mC/mK/mBlock and misPos; false if no alignment exists. Costs: mismatch 10, empty wildcard 5,
 *  absorbed token 1. */
function align(s: i32): bool {
  let m = nOf(s), n = tokN;
  const INF: i32 = 0x3fffffff;
  let W = n + 1;
  for (let q = 0; q < (m + 1) * W; q++) {
    store<i32>(dpCost + (<usize>q << 2), INF);
    store<u8>(dpFrom + <usize>q, 0);
  }
  store<i32>(dpCost, 0);
  let fp = flagsPtr(s);
  for (let i = 0; i <= m; i++) {
    let tWild = i < m && (load<u8>(fp + <usize>i) & F_WILD) != 0;
    let tSkip = i < m && (load<u8>(fp + <usize>i) & (F_WILD | F_QUOTE)) != 0;
    let prevWild = i > 0 && (load<u8>(fp + <usize>(i - 1)) & F_WILD) != 0;
    let th = i < m ? hashAt(s, i) : 0;
    let tKey = i < m && (load<u8>(fp + <usize>i) & F_KEYV) != 0;
    for (let j = 0; j <= n; j++) {
      let at = i * W + j;
      let cur = load<i32>(dpCost + (<usize>at << 2));
      if (cur >= INF) continue;
      let from = load<u8>(dpFrom + <usize>at);
      if (i < m && j < n) {
        let mis = (tWild || th == tokHash(j) || (tKey && takesValue(s, i, j))) ? 0 : 10;
        let nx = at + W + 1;
        if (cur + mis < load<i32>(dpCost + (<usize>nx << 2))) {
          store<i32>(dpCost + (<usize>nx << 2), cur + mis);
          store<u8>(dpFrom + <usize>nx, mis ? 4 : 1);
        }
      }
      if (tSkip) {
        let nx = at + W;
        if (cur + 5 < load<i32>(dpCost + (<usize>nx << 2))) {
          store<i32>(dpCost + (<usize>nx << 2), cur + 5);
          store<u8>(dpFrom + <usize>nx, 2);
        }
      }
      // absorb line token j into the previous template token: a wildcard, a mismatch (becomes
      // one) or a token already absorbing
      if (i > 0 && j < n && from != 0 && from != 2 && (tokFlags(j) & F_ABSORB) != 0 && (prevWild || from == 4 || from == 3)) {
        let nx = at + 1;
        if (cur + 1 < load<i32>(dpCost + (<usize>nx << 2))) {
          store<i32>(dpCost + (<usize>nx << 2), cur + 1);
          store<u8>(dpFrom + <usize>nx, 3);
        }
      }
    }
  }
  if (load<i32>(dpCost + (<usize>(m * W + n) << 2)) >= INF) return false;
  // backtrack into pairs (reverse order); a quoted constant matching nothing becomes <*>
  let i = m, j = n, np = 0;
  misN = 0;
  while (i > 0 || j > 0) {
    let f = load<u8>(dpFrom + <usize>(i * W + j));
    if (f == 1 || f == 4) {
      store<i32>(pairT + (<usize>np << 2), i - 1);
      store<i32>(pairL + (<usize>np << 2), j - 1);
      np++; i--; j--;
    } else if (f == 2) {
      i--;
      if ((load<u8>(fp + <usize>i) & F_WILD) == 0) { store<i32>(misPos + (<usize>misN << 2), i); misN++; }
    }
    else if (f == 3) j--;
    else return false;
  }
  mC = 0; mK = 0; mBlock = false; mPlain = 0;
  let first = true;
  for (let q = np - 1; q >= 0; q--) {
    let ti = load<i32>(pairT + (<usize>q << 2)), li = load<i32>(pairL + (<usize>q << 2));
    let tf = load<u8>(fp + <usize>ti);
    if ((tf & F_WILD) != 0) continue;
    if (hashAt(s, ti) != tokHash(li) && !((tf & F_KEYV) != 0 && takesValue(s, ti, li))) {
      store<i32>(misPos + (<usize>misN << 2), ti); misN++;
    }
    if ((tf & F_WEAK) != 0) continue;
    evidence(s, ti, li, first);
    if ((tf & F_WORD) != 0) first = false;
  }
  return true;
}

function hsClear(): void { memory.fill(hset, 0, (1 << HS_BITS) << 2); }
@inline function hsSlot(h: u32): i32 { return <i32>((h * 0x9E3779B1) >> (32 - HS_BITS)); }
function hsAdd(h: u32): void {
  if (h == 0) h = 1;
  let mask = (1 << HS_BITS) - 1;
  let i = hsSlot(h);
  for (let k = 0; k < (1 << HS_BITS); k++) {
    let p = hset + (<usize>((i + k) & mask) << 2);
    let v = load<u32>(p);
    if (v == h) return;
    if (v == 0) { store<u32>(p, h); return; }
  }
}
function hsHas(h: u32): bool {
  if (h == 0) h = 1;
  let mask = (1 << HS_BITS) - 1;
  let i = hsSlot(h);
  for (let k = 0; k < (1 << HS_BITS); k++) {
    let v = load<u32>(hset + (<usize>((i + k) & mask) << 2));
    if (v == h) return true;
    if (v == 0) return false;
  }
  return false;
}

/** Cheap bound before aligning: informative constants present in the line vs absent from it. */
function alignPossible(s: i32): bool {
  let m = nOf(s);
  let fp = flagsPtr(s);
  let present = 0, absent = 0;
  for (let i = 0; i < m; i++) {
    let tf = load<u8>(fp + <usize>i);
    if ((tf & (F_WILD | F_WEAK | F_QUOTE)) != 0) continue;
    if (hsHas(hashAt(s, i))) present++; else absent++;
  }
  return countsAcceptable(s, present, absent);
}

/** Template token ti turns variable against line token li: `key=<*>` when both give one key a
 *  value (the key stays text: `rhost=<*>`, `USER=<*>`), else a whole wildcard. */
function refine(s: i32, ti: i32, li: i32): void {
  let tf = flagsAt(s, ti);
  if ((tf & F_WILD) != 0 || hashAt(s, ti) == tokHash(li)) return;
  if ((tf & F_KEYV) != 0 && takesValue(s, ti, li)) return;
  if (keyValues(s, ti, li) > 0) {
    let tp = textPtr(s) + <usize>tOff(s, ti), tn = <usize>tLen(s, ti);
    let k = keyPrefix(tp, tn);
    // trailing punctuation the template's value ends with (lock=5, -> lock=<*>,)
    let e = tn;
    while (e > k + 1 && isClosing(<u32>load<u8>(tp + e - 1))) e--;
    let t = tn - e;
    if (k + 3 + t <= tn) {
      memory.copy(tp + k + 3, tp + e, t);
      store<u8>(tp + k, 0x3C); store<u8>(tp + k + 1, 0x2A); store<u8>(tp + k + 2, 0x3E);
      let n = k + 3 + t;
      store<u32>(offPtr(s) + (<usize>(nOf(s) + ti) << 2), <u32>n);
      store<u8>(flagsPtr(s) + <usize>ti, classify(tp, n));
      let h = fnv32(tp, n);
      store<u32>(block(s) + (<usize>ti << 2), h == HASH_WILD ? h + 1 : h);
      sI32(s, O_WILD, gI32(s, O_WILD) + 1);
      return;
    }
  }
  wildcard(s, ti);
}

@inline function isClosing(c: u32): bool {
  return c == 0x29 || c == 0x5D || c == 0x7D || c == 0x2C || c == 0x3B || c == 0x2E || c == 0x3A || c == 0x22 || c == 0x27;
}

function wildcard(s: i32, i: i32): void {
  store<u8>(flagsPtr(s) + <usize>i, F_WILD | F_MASK | F_ABSORB);
  store<u32>(block(s) + (<usize>i << 2), HASH_WILD);
  sI32(s, O_WILD, gI32(s, O_WILD) + 1);
}

@inline function better(score: f64, s: i32, bestScore: f64, best: i32): bool {
  return score > bestScore || (score == bestScore && slotCount(s) > slotCount(best));
}

const sibPos: usize = memory.data(SIB_MAX << 2);
const sibSlot: usize = memory.data(SIB_MAX << 2);

/** Sibling rule: among the sibN recorded siblings, the position held by the most; when the line
 *  would be at least the SIB_VALUES-th distinct dictionary word there, the most used of them takes
 *  the line and that position becomes <*> (by the caller: it differs). Else -1. */
function siblingMerge(sibN: i32): i32 {
  let bestPos = -1, bestN = 0;
  for (let a = 0; a < sibN; a++) {
    let p = load<i32>(sibPos + (<usize>a << 2));
    let c = 0;
    for (let b = 0; b < sibN; b++) if (load<i32>(sibPos + (<usize>b << 2)) == p) c++;
    if (c > bestN) { bestN = c; bestPos = p; }
  }
  if (bestN + 1 < SIB_VALUES) return -1;
  let best = -1;
  for (let a = 0; a < sibN; a++) {
    if (load<i32>(sibPos + (<usize>a << 2)) != bestPos) continue;
    let t = load<i32>(sibSlot + (<usize>a << 2));
    if (best < 0 || slotCount(t) > slotCount(best)) best = t;
  }
  return best;
}

/** Finds the template for the current tokens, refining it; -1 if none fits. */
export function matchTokens(): i32 {
  settle();
  if (!tokClassified) { classifyTokens(); markQuoted(); }
  let n = tokN;
  let best = -1;
  let bestScore: f64 = -1e18;
  let scanned = 0;
  let sibN = 0;
  let s = bHead(n);
  while (s >= 0 && scanned < kMaxScan) {
    scanned++;
    compareSame(s);
    if (acceptable(s)) {
      let score = <f64>mC - 0.5 * <f64>mK;
      if (better(score, s, bestScore, best)) { bestScore = score; best = s; }
    } else if (mSib >= 0 && mC >= SIB_MIN_C && sibN < SIB_MAX) {
      store<i32>(sibPos + (<usize>sibN << 2), mSib);
      store<i32>(sibSlot + (<usize>sibN << 2), s);
      sibN++;
    }
    s = gI32(s, O_BNEXT);
  }
  if (best < 0 && sibN >= SIB_VALUES - 1) best = siblingMerge(sibN);
  if (best >= 0) {
    let fp = flagsPtr(best);
    for (let i = 0; i < n; i++) {
      if ((load<u8>(fp + <usize>i) & F_WILD) == 0 && hashAt(best, i) != tokHash(i)) refine(best, i, i);
    }
    return best;
  }
  // other lengths
  if (kMaxDelta <= 0) return -1;
  hsClear();
  for (let i = 0; i < n; i++) hsAdd(tokHash(i));
  let aligned = 0, looked = 0;
  let bestMisN = 0;
  for (let d = 1; d <= kMaxDelta && aligned < kMaxAlign && looked < kMaxAlignScan; d++) {
    for (let side = 0; side < 2; side++) {
      let len = side == 0 ? n - d : n + d;
      if (len < 1 || len > MAX_TOKENS_HARD) continue;
      s = bHead(len);
      while (s >= 0 && aligned < kMaxAlign && looked < kMaxAlignScan) {
        looked++;
        if (gI32(s, O_WILD) > 0 && alignPossible(s)) {
          aligned++;
          if (align(s) && acceptable(s)) {
            let score = <f64>mC - 0.5 * <f64>mK;
            if (better(score, s, bestScore, best)) {
              bestScore = score; best = s;
              bestMisN = misN;
              memory.copy(misBest, misPos, <usize>misN << 2);
            }
          }
        }
        s = gI32(s, O_BNEXT);
      }
    }
  }
  if (best >= 0) {
    for (let q = 0; q < bestMisN; q++) {
      let ti = load<i32>(misBest + (<usize>q << 2));
      if ((flagsAt(best, ti) & F_WILD) == 0) wildcard(best, ti);
    }
  }
  return best;
}

/** Counts a record for slot s at time t. */
@inline export function touch(s: i32, t: i64): void {
  let r = rec(s);
  store<u64>(r + O_COUNT, load<u64>(r + O_COUNT) + 1);
  if (t > load<i64>(r + O_LAST)) store<i64>(r + O_LAST, t);
  if (t < load<i64>(r + O_FIRST)) store<i64>(r + O_FIRST, t);
  // the list moves wait for the next reader of the lists (settle)
  if (pendN == PEND_N) settleNow();
  store<i32>(PEND + (<usize>pendN << 2), s);
  pendN++;
}

// Touches reach the LRU and bucket lists lazily: a hit only notes its slot, and whatever reads or
// changes the lists (a shape-cache miss, a new template, a listing) first replays the notes. The
// lists are in order of last touch, so replaying only each slot's last touch, oldest first, gives
// what moving it on every touch gave; a stream that keeps hitting a few templates then moves each
// once per replay instead of on every record (two unlinks and two pushes).
const PEND_N: i32 = 1024;
const PEND: usize = memory.data(PEND_N << 2);
let pendN: i32 = 0;

/** Applies the pending touches (call before reading or changing the lists). */
@inline function settle(): void { if (pendN) settleNow(); }

function settleNow(): void {
  let n = pendN;
  // newest first: a slot's first sighting is its last touch; the unique slots are packed at the
  // end of PEND (the write index never passes the read index)
  let u = n;
  for (let k = n - 1; k >= 0; k--) {
    let s = load<i32>(PEND + (<usize>k << 2));
    let r = rec(s);
    if (load<u8>(r + O_SEEN)) continue;
    store<u8>(r + O_SEEN, 1);
    u--;
    store<i32>(PEND + (<usize>u << 2), s);
  }
  for (let k = u; k < n; k++) {
    let s = load<i32>(PEND + (<usize>k << 2));
    store<u8>(rec(s) + O_SEEN, 0);
    if (lruHead != s) { lruUnlink(s); lruPushFront(s); }
    // most recently used first within its length bucket too: scans are capped (maxScan)
    if (bHead(nOf(s)) != s) { bucketUnlink(s); bucketPush(s); }
  }
  pendN = 0;
}

/** Creates a template from the current tokens; its id is the hash of its text. */
export function createFromTokens(t: i64, isNew: bool, exPtr: usize, exLen: usize): i32 {
  settle();
  if (!tokClassified) { classifyTokens(); markQuoted(); }
  let n = tokN;
  let textLen: usize = 0;
  for (let i = 0; i < n; i++) textLen += <usize>tokLen(i);
  let s = takeSlot();
  let blk = heap.alloc((<usize>n * 13) + textLen);
  let r = rec(s);
  store<usize>(r + O_BLOCK, blk);
  store<i32>(r + O_N, n);
  let fp = blk + (<usize>n << 2);
  let op = fp + <usize>n;
  let lp = op + (<usize>n << 2);
  let xp = lp + (<usize>n << 2);
  let w = 0;
  let o: u32 = 0;
  for (let i = 0; i < n; i++) {
    store<u32>(blk + (<usize>i << 2), tokHash(i));
    let f = tokFlags(i);
    store<u8>(fp + <usize>i, f);
    if ((f & F_WILD) != 0) w++;
    let l = tokLen(i);
    store<u32>(op + (<usize>i << 2), o);
    store<u32>(lp + (<usize>i << 2), l);
    memory.copy(xp + <usize>o, tokText + <usize>tokOff(i), <usize>l);
    o += l;
  }
  store<i32>(r + O_WILD, w);
  store<u64>(r + O_COUNT, 1);
  store<i64>(r + O_FIRST, t);
  store<i64>(r + O_LAST, t);
  store<u8>(r + O_NEW, isNew ? 1 : 0);
  setExample(s, exPtr, exLen);
  bucketPush(s);
  lruPushFront(s);
  liveCount++;
  store<u64>(r + O_ID, textHash(s));
  return s;
}

export function setExample(s: i32, p: usize, n: usize): void {
  let r = rec(s);
  let old = load<usize>(r + O_EX);
  if (old != 0) heap.free(old);
  store<usize>(r + O_EX, 0);
  store<u32>(r + O_EXLEN, 0);
  if (n == 0) return;
  if (n > EXAMPLE_MAX) {
    n = EXAMPLE_MAX;
    while (n > 0 && (load<u8>(p + n) & 0xC0) == 0x80) n--;   // do not cut a UTF-8 sequence
  }
  let e = heap.alloc(n);
  memory.copy(e, p, n);
  store<usize>(r + O_EX, e);
  store<u32>(r + O_EXLEN, <u32>n);
}

export function setIdentity(s: i32, id: u64, count: u64, first: i64, last: i64, isNew: bool): void {
  let r = rec(s);
  store<u64>(r + O_ID, id);
  store<u64>(r + O_COUNT, count);
  store<i64>(r + O_FIRST, first);
  store<i64>(r + O_LAST, last);
  store<u8>(r + O_NEW, isNew ? 1 : 0);
}

/** FNV-1a 64 of the template text (tokens joined by one space, wildcards as "<*>"). */
export function textHash(s: i32): u64 {
  let h = FNV64_OFFSET;
  let n = nOf(s);
  let xp = textPtr(s);
  let fp = flagsPtr(s);
  for (let i = 0; i < n; i++) {
    if (i > 0) h = fnv64Step(h, 0x20);
    if ((load<u8>(fp + <usize>i) & F_WILD) != 0) {
      h = fnv64Step(fnv64Step(fnv64Step(h, 0x3C), 0x2A), 0x3E);    // "<*>"
    } else {
      let p = xp + <usize>tOff(s, i);
      let l = <usize>tLen(s, i);
      for (let k: usize = 0; k < l; k++) h = fnv64Step(h, <u64>load<u8>(p + k));
    }
  }
  return h;
}

/** Writes the template text as JSON string content (no quotes). */
export function writeTextBody(out: ByteBuf, s: i32): void {
  let n = nOf(s);
  let xp = textPtr(s);
  let fp = flagsPtr(s);
  for (let i = 0; i < n; i++) {
    if (i > 0) out.byte(0x20);
    if ((load<u8>(fp + <usize>i) & F_WILD) != 0) out.ascii("<*>");
    else out.jsonStringBody(xp + <usize>tOff(s, i), <usize>tLen(s, i));
  }
}

/** A template with exactly the current tokens (seeding without duplicates), else -1. */
export function findExact(): i32 {
  settle();
  let n = tokN;
  let s = bHead(n);
  while (s >= 0) {
    let same = true;
    for (let i = 0; i < n; i++) if (hashAt(s, i) != tokHash(i)) { same = false; break; }
    if (same) return s;
    s = gI32(s, O_BNEXT);
  }
  return -1;
}

export function lruFirst(): i32 { settle(); return lruHead; }
@inline export function lruNextOf(s: i32): i32 { return gI32(s, O_LNEXT); }
export function lruLast(): i32 { settle(); return lruTail; }
@inline export function lruPrevOf(s: i32): i32 { return gI32(s, O_LPREV); }

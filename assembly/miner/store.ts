// Template store and online clustering.
//
// A template is a token sequence (constants and "<*>"). A record's masked tokens go, in order, to:
//  1. the shape cache: the exact masked sequence seen before -> its template (one hash probe);
//  2. same-length templates, compared position by position. Only "informative" template constants
//     count: wildcards and weak tokens (punctuation, upper-case level words) are skipped. With
//     c = matching constants and k = differing ones the record joins the best template when
//       k == 0 (and c >= 1), or c >= minConst, c >= ratio * k, and k <= 1 once the template has
//       been stable for `stableAfter` records (a long-constant token rarely turns variable), and
//       the first informative token is not a different plain word (Drain's first-token rule,
//       "Accepted password" vs "Failed password"), and no differing position holds two
//       different dictionary words ("stored as bytes" vs "stored as values": different messages;
//       user names, hosts, ids are rarely both dictionary words).
//     Differing positions become "<*>" (refinement; the template keeps its id).
//  3. templates of other lengths (+-8 tokens) by alignment: a template wildcard (or a constant
//     that becomes one) may absorb extra masked/punctuation tokens, or match nothing, so an
//     optional "*64" or "(1.2 KB)" does not split a message. Same acceptance rule.
//  4. otherwise a new template (evicting the least recently used one at the cap).
// No recursion; every table has a fixed cap.
import { TK, Tokens, F_WILD, F_WEAK, F_WORD, F_DICT, F_ABSORB, F_MASK, HASH_WILD, MAX_TOKENS_HARD, classify, fnv32 } from "./tokenize";
import { ByteBuf } from "../core/byte_buf";

export class MinerConfig {
  maxTemplates: i32 = 4096;
  /** similarity_threshold t: c / (c + k) >= t, i.e. c >= ratio * k with ratio = t / (1 - t). */
  threshold: f64 = 0.7;
  minConst: i32 = 3;
  stableAfter: u64 = 10;
  maxTokens: i32 = 64;
  includeText: bool = true;
  warmupRecords: u64 = 1000;
  warmupSeconds: i64 = 300;
  events: bool = true;
  wordRule: bool = true;
  maxDelta: i32 = 8;
  maxAlign: i32 = 32;
  maxScan: i32 = 2048;
}

export let MCFG = new MinerConfig();

// ------------------------------------------------------------------ per-slot state

let cap: i32 = 0;
let tBlock: StaticArray<usize> = new StaticArray<usize>(0);   // tokens: hash u32[n] flags u8[n] off u32[n] len u32[n] text
let tText: StaticArray<u32> = new StaticArray<u32>(0);        // text length in the block
let tN: StaticArray<i32> = new StaticArray<i32>(0);           // tokens; 0 = free slot
let tWild: StaticArray<i32> = new StaticArray<i32>(0);        // wildcard count
let tCount: StaticArray<u64> = new StaticArray<u64>(0);
let tFirst: StaticArray<i64> = new StaticArray<i64>(0);
let tLast: StaticArray<i64> = new StaticArray<i64>(0);
let tId: StaticArray<u64> = new StaticArray<u64>(0);
let tNew: StaticArray<u8> = new StaticArray<u8>(0);
let tGen: StaticArray<u32> = new StaticArray<u32>(0);
let tEx: StaticArray<usize> = new StaticArray<usize>(0);      // example bytes (heap), 0 = none
let tExLen: StaticArray<u32> = new StaticArray<u32>(0);
let bNext: StaticArray<i32> = new StaticArray<i32>(0);
let bPrev: StaticArray<i32> = new StaticArray<i32>(0);
let lNext: StaticArray<i32> = new StaticArray<i32>(0);
let lPrev: StaticArray<i32> = new StaticArray<i32>(0);
let bucketHead = new StaticArray<i32>(MAX_TOKENS_HARD + 2);
let lruHead: i32 = -1;   // most recent
let lruTail: i32 = -1;
let freeHead: i32 = -1;  // free slots chained through bNext
export let liveCount: i32 = 0;
let createdSeq: u64 = 0;

// shape cache
let cBits: i32 = 0;
let cKey: StaticArray<u64> = new StaticArray<u64>(0);
let cSlot: StaticArray<i32> = new StaticArray<i32>(0);
let cGen: StaticArray<u32> = new StaticArray<u32>(0);

// alignment scratch
const DPW: i32 = MAX_TOKENS_HARD + 1;
const dpCost: usize = heap.alloc(<usize>(DPW * DPW) << 2);
const dpFrom: usize = heap.alloc(<usize>(DPW * DPW));
const pairT = new StaticArray<i32>(MAX_TOKENS_HARD + 2);
const pairL = new StaticArray<i32>(MAX_TOKENS_HARD + 2);
const misPos = new StaticArray<i32>(MAX_TOKENS_HARD + 2);
let misN: i32 = 0;
const MIS_BEST = new StaticArray<i32>(MAX_TOKENS_HARD + 2);
// line token hash set for the alignment pre-filter
const HS_BITS: i32 = 8;
const hset = new StaticArray<u32>(1 << HS_BITS);

export const EXAMPLE_MAX: usize = 300;

@inline export function slotLive(s: i32): bool { return s >= 0 && s < cap && unchecked(tN[s]) > 0; }
@inline export function slotId(s: i32): u64 { return unchecked(tId[s]); }
@inline export function slotCount(s: i32): u64 { return unchecked(tCount[s]); }
@inline export function slotFirst(s: i32): i64 { return unchecked(tFirst[s]); }
@inline export function slotLast(s: i32): i64 { return unchecked(tLast[s]); }
@inline export function slotNew(s: i32): bool { return unchecked(tNew[s]) != 0; }
@inline export function slotCap(): i32 { return cap; }
@inline export function slotExample(s: i32): usize { return unchecked(tEx[s]); }
@inline export function slotExampleLen(s: i32): usize { return <usize>unchecked(tExLen[s]); }

@inline function hashAt(s: i32, i: i32): u32 { return load<u32>(unchecked(tBlock[s]) + (<usize>i << 2)); }
@inline function flagsPtr(s: i32): usize { return unchecked(tBlock[s]) + (<usize>unchecked(tN[s]) << 2); }
@inline function flagsAt(s: i32, i: i32): u8 { return load<u8>(flagsPtr(s) + <usize>i); }
@inline function offPtr(s: i32): usize { return flagsPtr(s) + <usize>unchecked(tN[s]); }
@inline function tokOff(s: i32, i: i32): u32 { return load<u32>(offPtr(s) + (<usize>i << 2)); }
@inline function tokLen(s: i32, i: i32): u32 { return load<u32>(offPtr(s) + (<usize>(unchecked(tN[s]) + i) << 2)); }
@inline function textPtr(s: i32): usize { return offPtr(s) + (<usize>unchecked(tN[s]) << 3); }

/** (Re)allocates every table for `n` templates; forgets everything. */
export function storeInit(n: i32): void {
  storeFreeBlocks();
  cap = n;
  tBlock = new StaticArray<usize>(n);
  tText = new StaticArray<u32>(n);
  tN = new StaticArray<i32>(n);
  tWild = new StaticArray<i32>(n);
  tCount = new StaticArray<u64>(n);
  tFirst = new StaticArray<i64>(n);
  tLast = new StaticArray<i64>(n);
  tId = new StaticArray<u64>(n);
  tNew = new StaticArray<u8>(n);
  tGen = new StaticArray<u32>(n);
  tEx = new StaticArray<usize>(n);
  tExLen = new StaticArray<u32>(n);
  bNext = new StaticArray<i32>(n);
  bPrev = new StaticArray<i32>(n);
  lNext = new StaticArray<i32>(n);
  lPrev = new StaticArray<i32>(n);
  for (let i = 0; i < bucketHead.length; i++) unchecked(bucketHead[i] = -1);
  freeHead = -1;
  for (let i = n - 1; i >= 0; i--) { unchecked(bNext[i] = freeHead); freeHead = i; }
  lruHead = -1; lruTail = -1;
  liveCount = 0;
  createdSeq = 0;
  let bits = 4;
  while ((1 << bits) < n * 4) bits++;
  cBits = bits;
  cKey = new StaticArray<u64>(1 << bits);
  cSlot = new StaticArray<i32>(1 << bits);
  cGen = new StaticArray<u32>(1 << bits);
  for (let i = 0; i < (1 << bits); i++) unchecked(cSlot[i] = -1);
}

function storeFreeBlocks(): void {
  for (let i = 0; i < cap; i++) {
    if (unchecked(tBlock[i]) != 0) { heap.free(unchecked(tBlock[i])); unchecked(tBlock[i] = 0); }
    if (unchecked(tEx[i]) != 0) { heap.free(unchecked(tEx[i])); unchecked(tEx[i] = 0); }
  }
}

// ------------------------------------------------------------------ lists

function lruUnlink(s: i32): void {
  let p = unchecked(lPrev[s]), n = unchecked(lNext[s]);
  if (p >= 0) unchecked(lNext[p] = n); else lruHead = n;
  if (n >= 0) unchecked(lPrev[n] = p); else lruTail = p;
}
function lruPushFront(s: i32): void {
  unchecked(lPrev[s] = -1);
  unchecked(lNext[s] = lruHead);
  if (lruHead >= 0) unchecked(lPrev[lruHead] = s);
  lruHead = s;
  if (lruTail < 0) lruTail = s;
}
@inline function lruTouch(s: i32): void { if (lruHead != s) { lruUnlink(s); lruPushFront(s); } }

function bucketUnlink(s: i32): void {
  let n = unchecked(tN[s]);
  let p = unchecked(bPrev[s]), x = unchecked(bNext[s]);
  if (p >= 0) unchecked(bNext[p] = x); else unchecked(bucketHead[n] = x);
  if (x >= 0) unchecked(bPrev[x] = p);
}
function bucketPush(s: i32): void {
  let n = unchecked(tN[s]);
  let h = unchecked(bucketHead[n]);
  unchecked(bPrev[s] = -1);
  unchecked(bNext[s] = h);
  if (h >= 0) unchecked(bPrev[h] = s);
  unchecked(bucketHead[n] = s);
}

function evict(s: i32): void {
  bucketUnlink(s);
  lruUnlink(s);
  heap.free(unchecked(tBlock[s])); unchecked(tBlock[s] = 0);
  if (unchecked(tEx[s]) != 0) { heap.free(unchecked(tEx[s])); unchecked(tEx[s] = 0); }
  unchecked(tN[s] = 0);
  unchecked(tGen[s] = tGen[s] + 1);
  unchecked(bNext[s] = freeHead); freeHead = s;
  liveCount--;
}

/** A free slot, evicting the least recently used template at the cap. */
function takeSlot(): i32 {
  if (freeHead < 0) evict(lruTail);
  let s = freeHead;
  freeHead = unchecked(bNext[s]);
  return s;
}

// ------------------------------------------------------------------ shape cache

export function cacheGet(key: u64): i32 {
  let mask = (1 << cBits) - 1;
  let i = <i32>(key ^ (key >> 32)) & mask;
  for (let probe = 0; probe < 8; probe++) {
    let j = (i + probe) & mask;
    let s = unchecked(cSlot[j]);
    if (s < 0) return -1;
    if (unchecked(cKey[j]) == key) {
      if (unchecked(tN[s]) > 0 && unchecked(tGen[s]) == unchecked(cGen[j])) return s;
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
    let cs = unchecked(cSlot[j]);
    if (cs < 0 || unchecked(cKey[j]) == key || unchecked(tN[cs]) == 0 || unchecked(tGen[cs]) != unchecked(cGen[j])) { victim = j; break; }
  }
  unchecked(cKey[victim] = key);
  unchecked(cSlot[victim] = s);
  unchecked(cGen[victim] = tGen[s]);
}

export function cacheClear(): void {
  for (let i = 0; i < cSlot.length; i++) unchecked(cSlot[i] = -1);
}

// ------------------------------------------------------------------ matching

let mC: i32 = 0;
let mK: i32 = 0;
let mBlock = false;

/** Adds the evidence of template token (s, ti) against line token li to mC/mK/mBlock. */
@inline function evidence(s: i32, ti: i32, li: i32, first: bool): void {
  let tf = flagsAt(s, ti);
  if (hashAt(s, ti) == unchecked(TK.hash[li])) { mC++; return; }
  mK++;
  if (!MCFG.wordRule) return;
  let lf = unchecked(TK.flags[li]);
  if (first && (tf & F_WORD) != 0 && (lf & F_WORD) != 0) mBlock = true;
  if ((tf & F_DICT) != 0 && (lf & F_DICT) != 0) mBlock = true;
}

function compareSame(s: i32): void {
  mC = 0; mK = 0; mBlock = false;
  let n = TK.n;
  let first = true;
  for (let i = 0; i < n; i++) {
    let tf = flagsAt(s, i);
    if ((tf & (F_WILD | F_WEAK)) != 0) continue;
    evidence(s, i, i, first);
    first = false;
  }
}

function acceptable(s: i32): bool {
  if (mBlock || mC < 1) return false;
  if (mK == 0) return true;
  if (mC < MCFG.minConst) return false;
  let t = MCFG.threshold;
  if (t >= 1.0) return false;
  if (<f64>mC < (t / (1.0 - t)) * <f64>mK - 1e-9) return false;
  if (unchecked(tCount[s]) >= MCFG.stableAfter && mK > 1) return false;
  return true;
}

/** Aligns template s (length m) with the line (length n != m). Wildcards (and constants that will
 *  become wildcards) may absorb extra absorbable line tokens; a wildcard may match nothing. Fills
 *  mC/mK/mBlock and misPos; false if no alignment exists. Costs: mismatch 10, empty wildcard 5,
 *  absorbed token 1. */
function align(s: i32): bool {
  let m = unchecked(tN[s]), n = TK.n;
  const INF: i32 = 0x3fffffff;
  let W = n + 1;
  for (let i = 0; i <= m; i++) for (let j = 0; j <= n; j++) {
    store<i32>(dpCost + (<usize>(i * W + j) << 2), INF);
    store<u8>(dpFrom + <usize>(i * W + j), 0);
  }
  store<i32>(dpCost, 0);
  for (let i = 0; i <= m; i++) {
    for (let j = 0; j <= n; j++) {
      let at = i * W + j;
      let cur = load<i32>(dpCost + (<usize>at << 2));
      if (cur >= INF) continue;
      let from = load<u8>(dpFrom + <usize>at);
      if (i < m && j < n) {
        let tf = flagsAt(s, i);
        let mis = ((tf & F_WILD) != 0 || hashAt(s, i) == unchecked(TK.hash[j])) ? 0 : 10;
        let nx = at + W + 1;
        if (cur + mis < load<i32>(dpCost + (<usize>nx << 2))) {
          store<i32>(dpCost + (<usize>nx << 2), cur + mis);
          store<u8>(dpFrom + <usize>nx, mis ? 4 : 1);
        }
      }
      if (i < m && (flagsAt(s, i) & F_WILD) != 0) {
        let nx = at + W;
        if (cur + 5 < load<i32>(dpCost + (<usize>nx << 2))) {
          store<i32>(dpCost + (<usize>nx << 2), cur + 5);
          store<u8>(dpFrom + <usize>nx, 2);
        }
      }
      if (i > 0 && j < n && from != 2 && from != 0 && (unchecked(TK.flags[j]) & F_ABSORB) != 0) {
        // previous template token is a wildcard, a mismatch (becomes one), or already absorbing
        if ((flagsAt(s, i - 1) & F_WILD) != 0 || from == 4 || from == 3) {
          let nx = at + 1;
          if (cur + 1 < load<i32>(dpCost + (<usize>nx << 2))) {
            store<i32>(dpCost + (<usize>nx << 2), cur + 1);
            store<u8>(dpFrom + <usize>nx, 3);
          }
        }
      }
    }
  }
  if (load<i32>(dpCost + (<usize>(m * W + n) << 2)) >= INF) return false;
  // backtrack into pairs (reverse order)
  let i = m, j = n, np = 0;
  while (i > 0 || j > 0) {
    let f = load<u8>(dpFrom + <usize>(i * W + j));
    if (f == 1 || f == 4) { unchecked(pairT[np] = i - 1); unchecked(pairL[np] = j - 1); np++; i--; j--; }
    else if (f == 2) i--;
    else if (f == 3) j--;
    else return false;
  }
  mC = 0; mK = 0; mBlock = false; misN = 0;
  let first = true;
  for (let q = np - 1; q >= 0; q--) {
    let ti = unchecked(pairT[q]), li = unchecked(pairL[q]);
    let tf = flagsAt(s, ti);
    if ((tf & F_WILD) != 0) continue;
    if (hashAt(s, ti) != unchecked(TK.hash[li])) { unchecked(misPos[misN] = ti); misN++; }
    if ((tf & F_WEAK) != 0) continue;
    evidence(s, ti, li, first);
    first = false;
  }
  return true;
}

function hsClear(): void { for (let i = 0; i < (1 << HS_BITS); i++) unchecked(hset[i] = 0); }
function hsAdd(h: u32): void {
  if (h == 0) h = 1;
  let mask = (1 << HS_BITS) - 1;
  let i = <i32>(h * 0x9E3779B1 >> (32 - HS_BITS));
  for (let k = 0; k < (1 << HS_BITS); k++) {
    let j = (i + k) & mask;
    let v = unchecked(hset[j]);
    if (v == h) return;
    if (v == 0) { unchecked(hset[j] = h); return; }
  }
}
function hsHas(h: u32): bool {
  if (h == 0) h = 1;
  let mask = (1 << HS_BITS) - 1;
  let i = <i32>(h * 0x9E3779B1 >> (32 - HS_BITS));
  for (let k = 0; k < (1 << HS_BITS); k++) {
    let j = (i + k) & mask;
    let v = unchecked(hset[j]);
    if (v == h) return true;
    if (v == 0) return false;
  }
  return false;
}

/** Upper bound check before aligning: informative constants present in the line vs absent. */
function alignPossible(s: i32): bool {
  let m = unchecked(tN[s]);
  let present = 0, absent = 0;
  for (let i = 0; i < m; i++) {
    let tf = flagsAt(s, i);
    if ((tf & (F_WILD | F_WEAK)) != 0) continue;
    if (hsHas(hashAt(s, i))) present++; else absent++;
  }
  if (present < 1) return false;
  if (absent == 0) return true;
  if (present < MCFG.minConst) return false;
  let t = MCFG.threshold;
  if (t >= 1.0) return false;
  if (<f64>present < (t / (1.0 - t)) * <f64>absent - 1e-9) return false;
  if (unchecked(tCount[s]) >= MCFG.stableAfter && absent > 1) return false;
  return true;
}

/** Template tokens that differ become wildcards. Returns true if the template changed. */
function generaliseSame(s: i32): bool {
  let n = TK.n;
  let changed = false;
  let fp = flagsPtr(s);
  for (let i = 0; i < n; i++) {
    let f = load<u8>(fp + <usize>i);
    if ((f & F_WILD) != 0) continue;
    if (hashAt(s, i) != unchecked(TK.hash[i])) { wildcard(s, i); changed = true; }
  }
  return changed;
}

function wildcard(s: i32, i: i32): void {
  store<u8>(flagsPtr(s) + <usize>i, F_WILD | F_MASK | F_ABSORB);
  store<u32>(unchecked(tBlock[s]) + (<usize>i << 2), HASH_WILD);
  unchecked(tWild[s] = tWild[s] + 1);
}

/** Finds the template for the current tokens, refining it; -1 if none fits. */
export function matchTokens(): i32 {
  let n = TK.n;
  let best = -1;
  let bestScore: f64 = -1e18;
  let scanned = 0;
  let s = unchecked(bucketHead[n]);
  while (s >= 0 && scanned < MCFG.maxScan) {
    scanned++;
    compareSame(s);
    if (acceptable(s)) {
      let score = <f64>mC - 0.5 * <f64>mK;
      if (score > bestScore || (score == bestScore && unchecked(tCount[s]) > unchecked(tCount[best]))) { bestScore = score; best = s; }
    }
    s = unchecked(bNext[s]);
  }
  if (best >= 0) {
    generaliseSame(best);
    return best;
  }
  // other lengths
  if (MCFG.maxDelta <= 0) return -1;
  hsClear();
  for (let i = 0; i < n; i++) hsAdd(unchecked(TK.hash[i]));
  let aligned = 0;
  let bestMisN = 0;
  let bestMis = MIS_BEST;
  for (let d = 1; d <= MCFG.maxDelta && aligned < MCFG.maxAlign; d++) {
    for (let side = 0; side < 2; side++) {
      let len = side == 0 ? n - d : n + d;
      if (len < 1 || len > MAX_TOKENS_HARD) continue;
      s = unchecked(bucketHead[len]);
      while (s >= 0 && aligned < MCFG.maxAlign) {
        if (unchecked(tWild[s]) > 0 && alignPossible(s)) {
          aligned++;
          if (align(s) && acceptable(s)) {
            let score = <f64>mC - 0.5 * <f64>mK;
            if (score > bestScore || (score == bestScore && unchecked(tCount[s]) > unchecked(tCount[best]))) {
              bestScore = score; best = s;
              bestMisN = misN;
              for (let q = 0; q < misN; q++) unchecked(bestMis[q] = misPos[q]);
            }
          }
        }
        s = unchecked(bNext[s]);
      }
    }
  }
  if (best >= 0) {
    for (let q = 0; q < bestMisN; q++) {
      let ti = unchecked(bestMis[q]);
      if ((flagsAt(best, ti) & F_WILD) == 0) wildcard(best, ti);
    }
  }
  return best;
}

/** Counts a record for slot s at time t. */
export function touch(s: i32, t: i64): void {
  unchecked(tCount[s] = tCount[s] + 1);
  if (t > unchecked(tLast[s])) unchecked(tLast[s] = t);
  if (t < unchecked(tFirst[s])) unchecked(tFirst[s] = t);
  lruTouch(s);
}

/** Creates a template from the current tokens. */
export function createFromTokens(t: i64, isNew: bool, exPtr: usize, exLen: usize): i32 {
  let n = TK.n;
  let textLen: usize = 0;
  for (let i = 0; i < n; i++) textLen += <usize>unchecked(TK.len[i]);
  let s = takeSlot();
  let blk = heap.alloc((<usize>n * 13) + textLen);
  unchecked(tBlock[s] = blk);
  unchecked(tN[s] = n);
  let fp = blk + (<usize>n << 2);
  let op = fp + <usize>n;
  let lp = op + (<usize>n << 2);
  let xp = lp + (<usize>n << 2);
  let w = 0;
  let o: u32 = 0;
  for (let i = 0; i < n; i++) {
    store<u32>(blk + (<usize>i << 2), unchecked(TK.hash[i]));
    let f = unchecked(TK.flags[i]);
    store<u8>(fp + <usize>i, f);
    if ((f & F_WILD) != 0) w++;
    let l = unchecked(TK.len[i]);
    store<u32>(op + (<usize>i << 2), o);
    store<u32>(lp + (<usize>i << 2), l);
    memory.copy(xp + <usize>o, TK.text.ptr + <usize>unchecked(TK.off[i]), <usize>l);
    o += l;
  }
  unchecked(tText[s] = o);
  unchecked(tWild[s] = w);
  unchecked(tCount[s] = 1);
  unchecked(tFirst[s] = t);
  unchecked(tLast[s] = t);
  unchecked(tNew[s] = isNew ? 1 : 0);
  setExample(s, exPtr, exLen);
  bucketPush(s);
  lruPushFront(s);
  liveCount++;
  createdSeq++;
  unchecked(tId[s] = textHash(s));
  return s;
}

export function setExample(s: i32, p: usize, n: usize): void {
  if (unchecked(tEx[s]) != 0) { heap.free(unchecked(tEx[s])); unchecked(tEx[s] = 0); unchecked(tExLen[s] = 0); }
  if (n == 0) return;
  if (n > EXAMPLE_MAX) {
    n = EXAMPLE_MAX;
    // do not cut a UTF-8 sequence
    while (n > 0 && (load<u8>(p + n) & 0xC0) == 0x80) n--;
  }
  let e = heap.alloc(n);
  memory.copy(e, p, n);
  unchecked(tEx[s] = e);
  unchecked(tExLen[s] = <u32>n);
}

@inline export function setIdentity(s: i32, id: u64, count: u64, first: i64, last: i64, isNew: bool): void {
  unchecked(tId[s] = id);
  unchecked(tCount[s] = count);
  unchecked(tFirst[s] = first);
  unchecked(tLast[s] = last);
  unchecked(tNew[s] = isNew ? 1 : 0);
}

/** FNV-1a 64 of the template text (tokens joined by one space, wildcards as "<*>"). */
export function textHash(s: i32): u64 {
  let h: u64 = 0xcbf29ce484222325;
  let n = unchecked(tN[s]);
  let xp = textPtr(s);
  let fp = flagsPtr(s);
  for (let i = 0; i < n; i++) {
    if (i > 0) h = (h ^ 0x20) * 0x100000001b3;
    if ((load<u8>(fp + <usize>i) & F_WILD) != 0) {
      h = (h ^ 0x3C) * 0x100000001b3; h = (h ^ 0x2A) * 0x100000001b3; h = (h ^ 0x3E) * 0x100000001b3;
    } else {
      let p = xp + <usize>tokOff(s, i);
      let l = <usize>tokLen(s, i);
      for (let k: usize = 0; k < l; k++) h = (h ^ <u64>load<u8>(p + k)) * 0x100000001b3;
    }
  }
  return h;
}

/** Writes the template text as JSON string content (no quotes). */
export function writeTextBody(out: ByteBuf, s: i32): void {
  let n = unchecked(tN[s]);
  let xp = textPtr(s);
  let fp = flagsPtr(s);
  for (let i = 0; i < n; i++) {
    if (i > 0) out.byte(0x20);
    if ((load<u8>(fp + <usize>i) & F_WILD) != 0) out.ascii("<*>");
    else out.jsonStringBody(xp + <usize>tokOff(s, i), <usize>tokLen(s, i));
  }
}

/** Loads tokens from a template text (space separated, "<*>" = wildcard) into TK. */
export function tokensFromTemplateText(p: usize, len: usize, maxTokens: i32): void {
  let t = TK;
  t.n = 0;
  t.text.reset();
  let i = p, end = p + len;
  let shape: u64 = 0xcbf29ce484222325;
  while (i < end && t.n < maxTokens) {
    while (i < end && load<u8>(i) == 0x20) i++;
    if (i >= end) break;
    let a = i;
    while (i < end && load<u8>(i) != 0x20) i++;
    let k = t.n;
    let f = classify(a, i - a);
    unchecked(t.flags[k] = f);
    unchecked(t.off[k] = <u32>t.text.len);
    let h: u32;
    if ((f & F_WILD) != 0) { unchecked(t.len[k] = 0); h = HASH_WILD; }
    else {
      t.text.bytes(a, i - a);
      unchecked(t.len[k] = <u32>(i - a));
      h = fnv32(a, i - a);
      if (h == HASH_WILD) h++;
    }
    unchecked(t.hash[k] = h);
    shape = (shape ^ <u64>h) * 0x100000001b3;
    shape = (shape ^ (shape >> 29));
    t.n = k + 1;
  }
  t.shape = shape ^ <u64>t.n;
}

/** Same-length template with exactly these tokens (for seeding without duplicates), else -1. */
export function findExact(): i32 {
  let n = TK.n;
  let s = unchecked(bucketHead[n]);
  while (s >= 0) {
    let same = true;
    for (let i = 0; i < n; i++) if (hashAt(s, i) != unchecked(TK.hash[i])) { same = false; break; }
    if (same) return s;
    s = unchecked(bNext[s]);
  }
  return -1;
}

/** Slots in creation-independent order: most recently used first. */
@inline export function lruFirst(): i32 { return lruHead; }
@inline export function lruNextOf(s: i32): i32 { return unchecked(lNext[s]); }
@inline export function lruLast(): i32 { return lruTail; }
@inline export function lruPrevOf(s: i32): i32 { return unchecked(lPrev[s]); }

// Per-stream detector state in unmanaged memory: one block per stream (header, alert states,
// tracked templates with their hash index and example lines, hour-of-week profile), a bounded
// stream table (open-addressing index + LRU list). Blocks are allocated on first use and reused
// after eviction, so memory stays bounded by max_streams whatever the input.
import { DCFG } from "./dconfig";
import { eqBytesInline, tailWord } from "../core/mem";
import { hashBytes } from "../core/hash";

export const NO_WINDOW: i64 = i64.MIN_VALUE;
export const KEY_MAX: i32 = 128;       // stream key bytes kept for display (hash covers all)
export const HOURS: i32 = 168;         // hour-of-week buckets, Monday 00:00 UTC = 0

// alert types (index into the per-stream TState array)
export const T_RATE_SPIKE: i32 = 0;
export const T_RATE_DROP: i32 = 1;
export const T_ERROR_SPIKE: i32 = 2;
export const T_PATTERN_SPIKE: i32 = 3;
export const T_NEW_PATTERN: i32 = 4;
export const T_BASELINE: i32 = 5;
export const T_SILENCE: i32 = 6;
export const T_COUNT: i32 = 7;

export function typeName(t: i32): string {
  switch (t) {
    case T_RATE_SPIKE: return "rate_spike";
    case T_RATE_DROP: return "rate_drop";
    case T_ERROR_SPIKE: return "error_spike";
    case T_PATTERN_SPIKE: return "pattern_spike";
    case T_NEW_PATTERN: return "new_pattern";
    case T_SILENCE: return "silence";
    default: return "baseline_deviation";
  }
}

// stream flags
export const SF_SKIP_FIRST: u32 = 1;   // current oldest window started mid-way (stream start, re-warm)
export const SF_BASELINE: u32 = 2;     // a loaded baseline covers this stream
export const SF_FLUSHED: u32 = 4;      // the open partial window was evaluated by detectFlush
export const SF_RBURST: u32 = 16;      // the last closed window was a volume burst
export const SF_EBURST: u32 = 32;      // ... an error burst
export const SF_SEASONAL: u32 = 8;     // the profile covers every hour of day: level is deseasonalised
export const SF_LAGGED: u32 = 64;      // its records run behind the module clock: it keeps its own
export const SF_DORMANT: u32 = 128;    // silent for a day: the clock no longer closes its windows
export const SF_SILENT: u32 = 256;     // a silence alert is open (silence.ts)
export const SF_DROPPING: u32 = 512;  // the closed window continues a run of drop windows that leans to a drop (rate.ts)

@unmanaged export class Stream {
  hash: u64;
  /** Start (ms) of the oldest open window; NO_WINDOW before the first record. */
  ws: i64;
  lastMs: i64;
  /** Event time of its latest record as placed (after jump handling), for the module clock. */
  lastT: i64;
  /** Longest gap between two of its records (ms), decaying by GAP_DECAY per closed window
   *  (silence.ts): how long this stream is normally quiet at sub-window scale. */
  gMax: f64;
  /** Records of the current arrival (records within a second of its first) and the
   *  mean records per arrival (EWMA; 0 = none yet): a silence is judged on arrivals, since a
   *  sparse stream's lines come in bunches (a DHCP renewal's request, ack and bound lines). */
  aRun: f64;
  aSize: f64;
  /** Event time (ms) the current arrival began (silence.ts). */
  aStart: i64;
  /** The level when the current gap became a possible silence (0: none yet; silence.ts). */
  silLev: f64;
  /** Host (Fluent Bit) time of its last record through the filter entry (silence.ts). */
  lastHost: i64;
  /** Day (epoch days) the per-hour gap maxima were last rolled over. */
  gapDay: i64;
  /** Hour (epoch hours) whose per-template maxima are being gathered (routines). */
  curHour: i64;
  /** A routine gap (silence.ts) in window excuseWin: its ms are not a drop. */
  excuseWin: i64;
  excuseMs: i64;
  // Holt (damped trend) model of the deseasonalised count per window
  level: f64;
  trend: f64;
  /** Over-dispersion moments of the count (model.ts dispUpdate), Welford M2 during warm-up. */
  rD: f64;
  rM1: f64;
  rM2: f64;
  wM2: f64;
  /** Fast EWMA of the deseasonalised count, the level accepted after a long episode. */
  fast: f64;
  // error share model: EWMAs of counts and errors per window, residual variance of errors
  eN: f64;
  eE: f64;
  eD: f64;
  eM1: f64;
  eM2: f64;
  /** Fast EWMAs of count and errors, the share accepted after a long error episode. */
  eFN: f64;
  eFE: f64;
  /** Windows of history in the loaded/learned profile (sum over buckets). */
  profW: f64;
  profS: f64;
  profE: f64;
  // the previous closed window (pooled tests); pLam < 0 = none
  pN: f64;
  pE: f64;
  pLam: f64;
  pV: f64;
  /** ... its variance before the hour's scales (hour_noise.ts): learning winsorises each side
   *  with its own. */
  pV0: f64;
  pLamE: f64;
  pVe: f64;
  /** The same for the rate-spike test (rare, novel and routine lines left out). */
  pNS: f64;
  pLamS: f64;
  pVS: f64;
  // benign-burst mixtures (window.ts burstStep): frequency and mean excess
  bR: f64;
  bRB: f64;
  bE: f64;
  bEB: f64;
  /** One-sided CUSUMs of the error count (log-likelihood ratio for a shift to error_ratio and
   *  error_ratio^2 times the expected errors), capped at the alert level; windows since the
   *  larger one was last 0 (window.ts cusumErrors). */
  cE1: f64;
  cE2: f64;
  cE3: f64;
  cRun: f64;
  /** Errors and expected errors over the closed windows of the current CUSUM run (a slow rise
   *  must reach error_ratio over its run, window.ts). */
  cEr: f64;
  cEx: f64;
  /** Warning share model (warn_rise.ts): EWMAs of counts and warnings per window, the warning
   *  count's over-dispersion moments, its rise CUSUM, the CUSUM's run length, and the warnings
   *  and expected warnings over that run. */
  wN: f64;
  wE: f64;
  wnD: f64;
  wnM1: f64;
  wnM2: f64;
  cW: f64;
  cWRun: f64;
  cWr: f64;
  cWx: f64;
  // z-scores of the last close (window log / tracing)
  zRS: f32;
  zRD: f32;
  /** Closed windows in a row below the drop guard (expected / min_ratio), with records, and their
   *  pooled count, expectation and variance (rate.ts: a drop that lasts). */
  dRun: i32;
  dN: f64;
  dLam: f64;
  dV: f64;
  /** The same for the run's windows at half their expectation or less (rate.ts: a deep run). */
  kRun: i32;
  kN: f64;
  kLam: f64;
  kV: f64;
  zE: f32;
  zP: f32;
  zB: f32;
  // window ring (index = window number & 1)
  cnt0: u32; cnt1: u32;
  err0: u32; err1: u32;
  warn0: u32; warn1: u32;
  /** Windows learned from since (re)start. */
  windows: u32;
  flags: u32;
  prev: i32;
  next: i32;
  keyLen: i32;
  nEntries: i32;
  victimPos: i32;
  victimCnt: i32;
  /** Partial-window checkpoints already done in the oldest open window (0..3). */
  checkpoint: i32;
  /** Consecutive records far behind / ahead of the open windows (time jumps). */
  behind: i32;
  ahead: i32;
  /** Use stamp while the LRU list is not kept (lookupStream): later uses, higher stamps. */
  used: u64;
}

@unmanaged export class TState {
  lastAlertWin: i64;
  startWin: i64;
  lastScore: f64;
  /** z of the previous closed window (confirmation of moderate evidence). */
  pendZ: f64;
  /** Template behind a pattern episode. */
  ref: u64;
  active: u8;
  sev: u8;
  alerted: u8;
  /** Consecutive closed windows whose z reached the threshold (up to 255). */
  run: u8;
  normal: i32;
  episode: i32;
}

// template entry flags
export const TF_USED: u16 = 1;
export const TF_NOVEL: u16 = 2;        // the miner reported it new (after its warm-up)
export const TF_ESCALATED: u16 = 4;    // new_pattern alert already raised for it
export const TF_BASELINE: u16 = 8;     // history came from a loaded baseline
export const TF_FROZEN: u16 = 16;      // its last window was anomalous: expectation not updated
export const TF_BURST: u16 = 32;       // its last closed window was a burst
export const TF_WARN: u16 = 64;        // it has had warning-or-worse records (slow rises on its share)

@unmanaged export class TEntry {
  id: u64;
  /** EWMA count per window, and its over-dispersion moments. */
  mean: f64;
  dD: f64;
  dM1: f64;
  dM2: f64;
  /** Counts since tracked (baseline export). */
  total: f64;
  totalErr: f64;
  firstWin: i64;
  exWin: i64;
  /** Window of the latest error occurrence of a novel template. */
  novelWin: i64;
  c0: u32; c1: u32;
  e0: u32; e1: u32;
  prevC: u32;
  nobs: u32;
  novelOcc: u32;
  novelPrev: u32;
  slot: i32;
  pz: f32;
  bP: f32;
  bB: f32;
  exLen: u16;
  flags: u16;
  /** Consecutive windows not learned from. */
  frozen: u16;
  /** Consecutive windows with error occurrences of a novel template (up to novelWin). */
  novelRun: u16;
  /** Windows since its rise CUSUM was last 0. */
  cRun: u16;
  /** One-sided CUSUM of its count for a rise to 2x its expectation (slow rises, window.ts). */
  cS: f32;
  /** Its share of its stream's lines, learned 10x slower than its mean (the slow-rise reference). */
  share: f32;
  /** Lines and expected lines over the current run of its rise CUSUM (a slow rise must double). */
  rC: f32;
  rE: f32;
  /** Closed windows in which it appeared (with total and firstWin: its lines per appearance). */
  occ: f32;
  /** Largest count of one window in the current hour (folded into its routine profile). */
  hNow: f32;
}

@unmanaged export class HowStat {
  w: f64;   // windows
  s: f64;   // sum of counts
  ss: f64;  // sum of squared counts
  e: f64;   // sum of errors
}

// ---- block layout (computed at init from the config) ----
export let K: i32 = 32;
export let EXB: i32 = 240;
export let OFF_KEY: usize = 0;
export let OFF_TS: usize = 0;
export let OFF_ENT: usize = 0;
export let OFF_IDX: usize = 0;
export let OFF_VIC: usize = 0;
export let OFF_EX: usize = 0;
export let OFF_HOW: usize = 0;
/** Per hour of day: longest gap today, and the decayed maximum over earlier days (f32 x 48). */
export let OFF_GAP: usize = 0;
/** Per template and hour of day: the largest window count seen in that hour on earlier days,
 *  decaying (f32 x 24 x K): a daily routine (a backup, a cron burst) is expected at its hour. */
export let OFF_ROUT: usize = 0;
/** Per hour of day: the rate's upside squared residual over its predicted variance (EWMA), the
 *  windows behind it, the downside's (f32 x 24 x 3, hour_noise.ts); right after the gaps (cleared
 *  with them). */
export let OFF_HNOISE: usize = 0;
/** Template ids the stream has ever tracked: a Bloom filter (SEEN_BITS bits, two probes from the
 *  id's two halves), right after the hour noise (cleared with it). A template the miner knows from
 *  other streams can still be new to this one (window.ts, novel.ts). */
export let OFF_SEEN: usize = 0;
const SEEN_BITS: u32 = 1024;
export let BLOCK: usize = 0;
/** Template index buckets per stream (power of two >= 2K). */
export let IDXN: i32 = 64;

@inline function align8(v: usize): usize { return (v + 7) & ~<usize>7; }

// ---- stream table ----
export let maxStreams: i32 = 0;
export let nStreams: i32 = 0;
let blocks: usize = 0;        // maxStreams block pointers (0 = not yet allocated)
let hidx: usize = 0;          // open-addressing index: i32 stream index + 1, 0 = empty
let hmask: u32 = 0;
export let lruHead: i32 = -1; // most recently used
export let lruTail: i32 = -1;
/** Window length (ms) the state was built for; a config change of window_size resets state. */
export let winMs: i64 = 0;
export let initialised = false;

export function layoutAndAlloc(windowSec: i32): void {
  freeAll();
  K = DCFG.templatesPerStream;
  EXB = DCFG.exampleBytes;
  IDXN = 8;
  while (IDXN < 2 * K) IDXN <<= 1;
  let o: usize = align8(offsetof<Stream>());
  OFF_KEY = o; o = align8(o + <usize>KEY_MAX);
  OFF_TS = o; o = align8(o + <usize>T_COUNT * offsetof<TState>());
  OFF_ENT = o; o = align8(o + <usize>K * offsetof<TEntry>());
  OFF_IDX = o; o = align8(o + <usize>IDXN);
  OFF_VIC = o; o = align8(o + <usize>K);
  OFF_EX = o; o = align8(o + <usize>K * <usize>EXB);
  OFF_HOW = o; o = align8(o + <usize>HOURS * offsetof<HowStat>());
  OFF_GAP = o; o = align8(o + 48 * 4);
  OFF_HNOISE = o; o = align8(o + 72 * 4);
  OFF_SEEN = o; o = align8(o + <usize>(SEEN_BITS >> 3));
  OFF_ROUT = o; o = align8(o + <usize>K * 24 * 4);
  BLOCK = o;
  maxStreams = DCFG.maxStreams;
  blocks = heap.alloc(<usize>maxStreams * sizeof<usize>());
  memory.fill(blocks, 0, <usize>maxStreams * sizeof<usize>());
  let cap: u32 = 16;
  while (cap < <u32>maxStreams * 2) cap <<= 1;
  hmask = cap - 1;
  hidx = heap.alloc(<usize>cap << 2);
  memory.fill(hidx, 0, <usize>cap << 2);
  nStreams = 0;
  lruHead = -1; lruTail = -1;
  headHash = 0; lastIdx = -1; lruOn = false;
  winMs = <i64>windowSec * 1000;
  initialised = true;
}

function freeAll(): void {
  if (blocks != 0) {
    for (let i = 0; i < maxStreams; i++) {
      let b = load<usize>(blocks + (<usize>i << alignof<usize>()));
      if (b != 0) heap.free(b);
    }
    heap.free(blocks);
    blocks = 0;
  }
  if (hidx != 0) { heap.free(hidx); hidx = 0; }
  nStreams = 0;
  initialised = false;
}

@inline export function blockOf(i: i32): usize { return load<usize>(blocks + (<usize>i << alignof<usize>())); }
@inline export function streamAt(i: i32): Stream { return changetype<Stream>(blockOf(i)); }
@inline export function tstate(b: usize, t: i32): TState { return changetype<TState>(b + OFF_TS + <usize>t * offsetof<TState>()); }
@inline export function entryAt(b: usize, j: i32): TEntry { return changetype<TEntry>(b + OFF_ENT + <usize>j * offsetof<TEntry>()); }
@inline export function howAt(b: usize, h: i32): HowStat { return changetype<HowStat>(b + OFF_HOW + <usize>h * offsetof<HowStat>()); }
/** Longest gap (ms) ending in hour-of-day h: today (prev = false) or over earlier days. */
/** Whether stream block b has tracked template id before (false positives ~3% at 100 ids). */
@inline export function seenHas(b: usize, id: u64): bool {
  let p = b + OFF_SEEN;
  let h1 = <u32>id & (SEEN_BITS - 1), h2 = <u32>(id >> 32) & (SEEN_BITS - 1);
  return (<u32>load<u8>(p + <usize>(h1 >> 3)) & (1 << (h1 & 7))) != 0 && (<u32>load<u8>(p + <usize>(h2 >> 3)) & (1 << (h2 & 7))) != 0;
}
@inline export function seenAdd(b: usize, id: u64): void {
  let p = b + OFF_SEEN;
  let h1 = <u32>id & (SEEN_BITS - 1), h2 = <u32>(id >> 32) & (SEEN_BITS - 1);
  store<u8>(p + <usize>(h1 >> 3), <u32>load<u8>(p + <usize>(h1 >> 3)) | (1 << (h1 & 7)));
  store<u8>(p + <usize>(h2 >> 3), <u32>load<u8>(p + <usize>(h2 >> 3)) | (1 << (h2 & 7)));
}
@inline export function hnoiseAt(b: usize, h: i32): usize { return b + OFF_HNOISE + (<usize>h << 2); }
@inline export function gapAt(b: usize, h: i32, prev: bool): usize { return b + OFF_GAP + (<usize>(prev ? h + 24 : h) << 2); }
/** Routine count of template j at hour of day h (see OFF_ROUT). */
@inline export function routineAt(b: usize, j: i32, h: i32): usize { return b + OFF_ROUT + ((<usize>j * 24 + <usize>h) << 2); }
@inline export function exampleAt(b: usize, j: i32): usize { return b + OFF_EX + <usize>j * <usize>EXB; }

function lruUnlink(i: i32): void {
  let s = streamAt(i);
  if (s.prev >= 0) streamAt(s.prev).next = s.next; else lruHead = s.next;
  if (s.next >= 0) streamAt(s.next).prev = s.prev; else lruTail = s.prev;
  s.prev = -1; s.next = -1;
}

function lruPushFront(i: i32): void {
  let s = streamAt(i);
  s.prev = -1;
  s.next = lruHead;
  if (lruHead >= 0) streamAt(lruHead).prev = i;
  lruHead = i;
  if (lruTail < 0) lruTail = i;
}

function hidxRemove(hash: u64, i: i32): void {
  let pos = <u32>hash & hmask;
  while (true) {
    let v = load<i32>(hidx + (<usize>pos << 2));
    if (v == 0) return;
    if (v == i + 1) break;
    pos = (pos + 1) & hmask;
  }
  // backward-shift deletion keeps probe chains intact without tombstones
  let hole = pos;
  let j = (pos + 1) & hmask;
  while (true) {
    let v = load<i32>(hidx + (<usize>j << 2));
    if (v == 0) break;
    let home = <u32>streamAt(v - 1).hash & hmask;
    // move v into the hole when its home is not cyclically within (hole, j]
    if (((j - home) & hmask) >= ((j - hole) & hmask)) {
      store<i32>(hidx + (<usize>hole << 2), v);
      hole = j;
    }
    j = (j + 1) & hmask;
  }
  store<i32>(hidx + (<usize>hole << 2), 0);
}

/** Whether stream s's key is the kl bytes at p. The block's key is zero past its length and
 *  readable for eight bytes past KEY_MAX (the block goes on), so its tail needs no bounds test:
 *  only p's (eqBytesInline tests both). */
@inline function keyEq(s: Stream, p: usize, kl: i32): bool {
  let k = changetype<usize>(s) + OFF_KEY;
  let n = <usize>kl;
  let i = n & ~<usize>7;
  if (!eqBytesInline(k, p, i)) return false;
  if (i == n) return true;
  let q = p + i;
  let w = q + 8 <= (<usize>memory.size() << 16) ? load<u64>(q) & ((<u64>1 << (<u64>(n - i) << 3)) - 1) : tailWord(q, n - i);
  return load<u64>(k + i) == w;
}

/** The stream last looked up (-1: none) and its hash (0 when unknown). */
let lastIdx: i32 = -1;
let headHash: u64 = 0;
/** Whether the LRU list is kept. Until the table first fills no stream is evicted and the order
 *  is not needed: each use only stamps the stream (`used`, from useClock), and the first eviction
 *  builds the list from the stamps (buildLru: the same order as moving each used stream to the
 *  front), kept from then on. The last stream's uses in a row after its first are not stamped:
 *  no other stream was used since its stamp, so it is still the highest. */
let lruOn = false;
let useClock: u64 = 0;

/** Stream index for the key (created when new, evicting the least recently used when full).
 *  `h`: hashBytes(p, n) when the caller has it, else 0. (Inline: the last stream's key again, the
 *  common case with one input, and a key found in its home slot of the index, the common case
 *  with a few inputs taking turns, cost no call; anything else goes to lookupStreamSlow.) */
@inline export function lookupStream(p: usize, n: usize, create: bool, h: u64 = 0): i32 {
  let r = -1;
  let kl = n < <usize>KEY_MAX ? <i32>n : KEY_MAX;
  if (h == headHash && h != 0) {
    let s = streamAt(lastIdx);
    if ((<i32>(s.hash == h) & <i32>(s.keyLen == kl)) && keyEq(s, p, kl)) r = lastIdx;
  } else if (h != 0) {
    let v = load<i32>(hidx + (<usize>(<u32>h & hmask) << 2));
    if (v != 0) {
      let i = v - 1;
      let s = streamAt(i);
      // (tests joined with `&`: one branch)
      if ((<i32>(s.hash == h) & <i32>(s.keyLen == kl)) && keyEq(s, p, kl)) {
        useStream(i, s, h);
        r = i;
      }
    }
  }
  return r >= 0 ? r : lookupStreamSlow(p, n, create, h);
}

/** Stream i (s) used, by key hash h: stamped, or moved to the list's front once it is kept. */
@inline function useStream(i: i32, s: Stream, h: u64): void {
  if (lruOn) {
    if (i != lruHead) lruToFront(i, s);
  } else {
    s.used = ++useClock;
  }
  lastIdx = i;
  headHash = h;
}

/** The LRU list from the use stamps (at the first eviction): most recent first. */
function buildLru(): void {
  let n = nStreams;
  // keys: stamp << 16 | index (index < 65536, max_streams' bound), sorted ascending by a heap sort
  let a = heap.alloc(<usize>n << 3);
  for (let i = 0; i < n; i++) store<u64>(a + (<usize>i << 3), (streamAt(i).used << 16) | <u64>i);
  for (let k = (n >> 1) - 1; k >= 0; k--) siftDown(a, k, n);
  for (let end = n - 1; end > 0; end--) {
    let t = load<u64>(a);
    store<u64>(a, load<u64>(a + (<usize>end << 3)));
    store<u64>(a + (<usize>end << 3), t);
    siftDown(a, 0, end);
  }
  // ascending: position 0 the least recent (tail), n - 1 the most recent (head)
  for (let k = 0; k < n; k++) {
    let s = streamAt(<i32>(load<u64>(a + (<usize>k << 3)) & 0xFFFF));
    s.next = k > 0 ? <i32>(load<u64>(a + (<usize>(k - 1) << 3)) & 0xFFFF) : -1;
    s.prev = k < n - 1 ? <i32>(load<u64>(a + (<usize>(k + 1) << 3)) & 0xFFFF) : -1;
  }
  lruTail = n > 0 ? <i32>(load<u64>(a) & 0xFFFF) : -1;
  lruHead = n > 0 ? <i32>(load<u64>(a + (<usize>(n - 1) << 3)) & 0xFFFF) : -1;
  heap.free(a);
  lruOn = true;
}

function siftDown(a: usize, k: i32, n: i32): void {
  while (true) {
    let c = 2 * k + 1;
    if (c >= n) return;
    if (c + 1 < n && load<u64>(a + (<usize>(c + 1) << 3)) > load<u64>(a + (<usize>c << 3))) c++;
    let x = load<u64>(a + (<usize>k << 3)), y = load<u64>(a + (<usize>c << 3));
    if (x >= y) return;
    store<u64>(a + (<usize>k << 3), y);
    store<u64>(a + (<usize>c << 3), x);
    k = c;
  }
}

/** Moves stream i (not the head) to the front of the LRU list. */
@inline function lruToFront(i: i32, s: Stream): void {
  let pv = s.prev, nx = s.next, hd = lruHead;
  streamAt(pv).next = nx;                     // not the head: it has a previous one
  if (nx >= 0) streamAt(nx).prev = pv; else lruTail = pv;
  s.prev = -1;
  s.next = hd;
  streamAt(hd).prev = i;                      // a list with i not at its head has a head
  lruHead = i;
}

function lookupStreamSlow(p: usize, n: usize, create: bool, h: u64): i32 {
  let kl = n < <usize>KEY_MAX ? <i32>n : KEY_MAX;
  if (h == 0) h = hashBytes(p, n);
  let pos = <u32>h & hmask;
  while (true) {
    let v = load<i32>(hidx + (<usize>pos << 2));
    if (v == 0) break;
    let s = streamAt(v - 1);
    if (s.hash == h && s.keyLen == kl && keyEq(s, p, kl)) {
      let i = v - 1;
      useStream(i, s, h);
      return i;
    }
    pos = (pos + 1) & hmask;
  }
  if (!create) return -1;
  let i: i32;
  if (nStreams < maxStreams) {
    i = nStreams++;
    if (blockOf(i) == 0) store<usize>(blocks + (<usize>i << alignof<usize>()), heap.alloc(BLOCK));
  } else {
    if (!lruOn) buildLru();
    i = lruTail;
    lruUnlink(i);
    hidxRemove(streamAt(i).hash, i);
  }
  initStream(i, h, p, kl);
  let s = streamAt(i);
  if (lruOn) lruPushFront(i); else s.used = ++useClock;
  pos = <u32>h & hmask;
  while (load<i32>(hidx + (<usize>pos << 2)) != 0) pos = (pos + 1) & hmask;
  store<i32>(hidx + (<usize>pos << 2), i + 1);
  lastIdx = i;
  headHash = h;
  return i;
}

function initStream(i: i32, h: u64, p: usize, kl: i32): void {
  let b = blockOf(i);
  memory.fill(b, 0, OFF_EX);                    // header, key, states, entries, index, victims
  memory.fill(b + OFF_HOW, 0, <usize>HOURS * offsetof<HowStat>() + 120 * 4 + <usize>(SEEN_BITS >> 3));   // with the gaps, hour noise, seen ids
  memory.fill(b + OFF_ROUT, 0, <usize>K * 24 * 4);
  let s = changetype<Stream>(b);
  s.hash = h;
  s.ws = NO_WINDOW;
  s.lastMs = NO_WINDOW;
  s.lastT = NO_WINDOW;
  s.pLam = -1;
  s.keyLen = kl;
  s.prev = -1; s.next = -1;
  memory.copy(b + OFF_KEY, p, <usize>kl);
  for (let t = 0; t < T_COUNT; t++) {
    let st = tstate(b, t);
    st.lastAlertWin = i64.MIN_VALUE / 2;
  }
}

/** Every live stream index, most recently used first. */
export function streamCount(): i32 { return nStreams; }

export function resetStreams(): void {
  if (!initialised) return;
  memory.fill(hidx, 0, (<usize>hmask + 1) << 2);
  nStreams = 0;
  lruHead = -1; lruTail = -1;
  headHash = 0; lastIdx = -1; lruOn = false;
}

// ---- template entries of one stream ----

@inline export function tbucket(id: u64): u32 { return <u32>(id ^ (id >> 29) ^ (id >> 47)); }

/** Entry index for a template id, or -1. */
export function findEntry(b: usize, id: u64): i32 { return findEntryInline(b, id); }

/** findEntry with its first probe inline (the per-record case: the id in its home slot, or an
 *  empty one there); a collision goes on probing out of line. */
@inline export function findEntryInline(b: usize, id: u64): i32 {
  let pos = tbucket(id) & (<u32>IDXN - 1);
  let v = <i32>load<u8>(b + OFF_IDX + <usize>pos);
  let r = -1;
  if (v != 0) r = entryAt(b, v - 1).id == id ? v - 1 : findEntryProbe(b, id, pos);
  return r;
}

/** findEntry's probes after the first (at pos, taken by another id). */
export function findEntryProbe(b: usize, id: u64, pos: u32): i32 {
  let mask = <u32>IDXN - 1;
  pos = (pos + 1) & mask;
  for (let n = 1; n < IDXN; n++) {
    let v = <i32>load<u8>(b + OFF_IDX + <usize>pos);
    if (v == 0) return -1;
    if (entryAt(b, v - 1).id == id) return v - 1;
    pos = (pos + 1) & mask;
  }
  return -1;
}

function idxInsert(b: usize, id: u64, j: i32): void {
  let mask = <u32>IDXN - 1;
  let pos = tbucket(id) & mask;
  while (load<u8>(b + OFF_IDX + <usize>pos) != 0) pos = (pos + 1) & mask;
  store<u8>(b + OFF_IDX + <usize>pos, <u8>(j + 1));
}

function idxRemove(b: usize, id: u64): void {
  let mask = <u32>IDXN - 1;
  let pos = tbucket(id) & mask;
  let found = false;
  for (let n = 0; n < IDXN; n++) {
    let v = <i32>load<u8>(b + OFF_IDX + <usize>pos);
    if (v == 0) return;
    if (entryAt(b, v - 1).id == id) { found = true; break; }
    pos = (pos + 1) & mask;
  }
  if (!found) return;
  let hole = pos;
  let j = (pos + 1) & mask;
  while (true) {
    let v = <i32>load<u8>(b + OFF_IDX + <usize>j);
    if (v == 0) break;
    let home = tbucket(entryAt(b, v - 1).id) & mask;
    if (((j - home) & mask) >= ((j - hole) & mask)) {
      store<u8>(b + OFF_IDX + <usize>hole, <u8>v);
      hole = j;
    }
    j = (j + 1) & mask;
  }
  store<u8>(b + OFF_IDX + <usize>hole, 0);
}

/** Claims an entry for a new template: a free one, else a victim chosen at the last window close
 *  (rarely used, untouched since), else a fresh one-off from this window. -1 = count as "other". */
export function claimEntry(s: Stream, b: usize, id: u64): i32 {
  let j: i32 = -1;
  if (s.nEntries < K) {
    j = s.nEntries++;
  } else {
    while (s.victimPos < s.victimCnt) {
      let v = <i32>load<u8>(b + OFF_VIC + <usize>s.victimPos);
      s.victimPos++;
      let e = entryAt(b, v);
      if (e.c0 == 0 && e.c1 == 0) { j = v; break; }
    }
    if (j < 0) {
      // probation: replace an entry seen once so far whose history is negligible
      let start = <i32>(<u32>id % <u32>K);
      for (let n = 0; n < 8; n++) {
        let v = (start + n) % K;
        let e = entryAt(b, v);
        if (e.c0 + e.c1 <= 1 && e.mean < 0.05 && (e.flags & TF_NOVEL) == 0) { j = v; break; }
      }
    }
    if (j < 0) return -1;
    idxRemove(b, entryAt(b, j).id);
  }
  let e = entryAt(b, j);
  memory.fill(changetype<usize>(e), 0, offsetof<TEntry>());
  e.id = id;
  e.flags = TF_USED;
  e.slot = -1;
  e.exWin = i64.MIN_VALUE;
  e.novelWin = i64.MIN_VALUE / 2;
  memory.fill(routineAt(b, j, 0), 0, 24 * 4);
  idxInsert(b, id, j);
  return j;
}

// ---- the two-window ring: window index w counts in slot w & 1 ----
@inline export function ringCnt(s: Stream, r: i32): u32 { return r ? s.cnt1 : s.cnt0; }
@inline export function ringErr(s: Stream, r: i32): u32 { return r ? s.err1 : s.err0; }
@inline export function entCnt(e: TEntry, r: i32): u32 { return r ? e.c1 : e.c0; }
@inline export function entErr(e: TEntry, r: i32): u32 { return r ? e.e1 : e.e0; }
/** Warmed up: warmup_windows closed and the oldest open window is a whole one. */
@inline export function warm(s: Stream): bool {
  return <i32>s.windows >= DCFG.warmupWindows && (s.flags & SF_SKIP_FIRST) == 0;
}

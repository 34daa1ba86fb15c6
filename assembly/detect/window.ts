// Event-time tumbling windows per stream, the detectors run on them, and the events they emit.
// Per record: O(1) counter and hash updates (plus a bounded example copy once per template and
// window). Heavy work (tail probabilities, model updates, top-K) happens at window close and at
// three checkpoints inside a window (1/4, 1/2, 3/4 elapsed) that let strong evidence alert early.
import { ByteBuf, floorDiv } from "../core/byte_buf";
import { CFG } from "../core/config";
import { EVENTS, SEV_INFO, SEV_WARNING, SEV_CRITICAL } from "../core/events";
import { LEVEL_WARNING, LEVEL_UNKNOWN } from "../core/levels";
import { DCFG } from "./dconfig";
import {
  Stream, TState, TEntry, NO_WINDOW, SF_SKIP_FIRST, SF_BASELINE, SF_FLUSHED, SF_RBURST, SF_EBURST, TF_BURST, TF_WARN,
  T_RATE_SPIKE, T_RATE_DROP, T_ERROR_SPIKE, T_PATTERN_SPIKE, T_NEW_PATTERN, T_BASELINE, T_COUNT,
  TF_USED, TF_NOVEL, TF_ESCALATED, TF_FROZEN,
  K, EXB, OFF_KEY, OFF_VIC, winMs, blockOf, tstate, entryAt, howAt, exampleAt,
  lookupStream, findEntry, claimEntry, typeName, nStreams,
} from "./state";
import {
  hourOfWeek, seasonIndex, updateSeasonal, bucketMean, bucketStats, BM, BV, BW, neff, predVar, dispInit, dispUpdate, dispPhi, ewmaC, holtForecast,
  PHI, BETA, ALPHA_FAST, NOVEL_PRIOR,
} from "./model";
import { zUpper, zLower, zBonferroni, upperPOfZ, zOfUpperP, llrRise } from "./stats";
import { noteRecord, decayGap, excused, HOST_MS } from "./silence";
import { routineHour, routineCount, routineMax, routineHours, ROUTINE_SLACK } from "./routine";

// ---- window log (Node harness charts) ----
export const WLOG = new ByteBuf(1024);
export let windowLogOn = false;
const WLOG_MAX: usize = 8 << 20;
export function setWindowLog(on: bool): void { windowLogOn = on; if (!on) WLOG.reset(); }

// ---- template text hook (the miner owns template text; the lead wires its writer in) ----
/** Appends the JSON string literal of the template in `slot` if it still holds `id`; false = not. */
export type TemplateWriter = (out: ByteBuf, slot: i32, id: u64) => bool;
let templateWriter: TemplateWriter | null = null;
export function setTemplateWriter(w: TemplateWriter | null): void { templateWriter = w; }
const TMP = new ByteBuf(512);
/** Per-template z scratch for one evaluation (templates_per_stream <= 120). */
const ZS: usize = heap.alloc(128 << 3);

/** Windows of history before a single window's volume or template spike may alert on its own
 *  (until then one that bursts now and then is not known to: it needs a second window). */
export const YOUNG_WINDOWS: f64 = 30;

/** Fewest events that may make an anomaly at all (3 errors, 3 lines of a template, 3 lines of a
 *  spike). Exact count tails judge small counts honestly; below `min_events` a window's evidence
 *  is small-sample and needs the next window to confirm it (no single-window alert). */
const MIN_COUNT: f64 = 3;
/** A template is rare in its stream below this many lines per window and this share of it. */
const RARE_MEAN: f64 = 0.1;
const RARE_SHARE: f64 = 0.05;

/** A timestamp this many windows away from a stream's windows is a jump... */
const JUMP_WINDOWS: i64 = 10;
/** ... taken only when this many consecutive records agree. */
const JUMP_CONFIRM: i32 = 3;

/** Counts are winsorised at this many standard deviations before the models learn them (an
 *  incident must not teach the model that it is normal; clipping rather than dropping keeps
 *  rare events from biasing small expectations towards zero). */
const Z_CLIP: f64 = 2.5;
/** Windows that reached the alert threshold are not learned at all, unless that lasts this many
 *  windows: then learning resumes, winsorised. */
const FREEZE_MAX: i32 = 10;

// Benign bursts: some streams and templates burst now and then (batch jobs, cron, retries). With
// such a history a window's count is a mixture: (1 - pi) NB(expected) + pi (expected + burst),
// burst excess exponential with mean B. pi and B are learned from the windows the NB model finds
// anomalous (one per run of consecutive windows), over about BURST_WINDOWS windows, and half an
// event is discounted so a single past incident does not mask the next one. A volume or template
// spike is judged by the mixture's tail: bursts of the usual size at the usual frequency stop
// alerting, a far larger one still alerts. (Error shares do not use it: an error burst is never
// "usual".)
const BURST_WINDOWS: f64 = 720;
let BP: f64 = 0;
let BB: f64 = 0;

/** One window of burst learning; returns "this window was a burst". Results in BP, BB. */
function burstStep(pi: f64, b: f64, burst: bool, prevBurst: bool, excess: f64): bool {
  let a = 1.0 / BURST_WINDOWS;
  let start = burst && !prevBurst;
  pi = (1 - a) * pi + (start ? a : 0);
  if (start && excess > 0) b = b <= 0 ? excess : 0.7 * b + 0.3 * excess;
  else if (burst && excess > b) b = 0.7 * b + 0.3 * excess;   // a run that grows
  BP = pi < 1e-12 ? 0 : pi;
  BB = b;
  return burst;
}

/** z under the burst mixture (z: the NB evidence, excess: observed - expected). */
function mixZ(z: f64, pi: f64, b: f64, excess: f64): f64 {
  pi -= 0.5 / BURST_WINDOWS;
  if (pi <= 0 || z <= 0) return z;
  let pNB = upperPOfZ(z);
  let pB = b > 0 ? Math.exp(-excess / (b > 1 ? b : 1)) : 0;
  if (excess <= 0) pB = 1;
  let z2 = zOfUpperP((1 - pi) * pNB + pi * pB);
  return z2 < z ? (z2 > 0 ? z2 : 0) : z;
}

// Slow, low-count error rises: a window of 2-3 expected errors cannot show a 4x rise on its own,
// and two windows barely do. Two one-sided CUSUMs of the error count accumulate the evidence
// (log-likelihood ratio for error_ratio and error_ratio^2 times the expected errors, NB when
// over-dispersed), restarted at 0 whenever the evidence turns against a rise. A CUSUM of a true
// likelihood ratio is at or above h with probability at most e^-h per look (x2: two of them), so
// 2 e^-S is its p-value: it alerts on its own at the same strong bar as a single window (1.5 x
// threshold, +0.5 at partial looks) and holds at most that much evidence (the cap), so it decays
// within a few windows once errors are back to normal.
/** Windows since the stronger error CUSUM was last 0 (for accumulated_windows); 0 = none. */
let accWindows: f64 = 0;
/** Windows a rising error CUSUM keeps the error share from learning (see learn()). */
const RISE_HOLD: f64 = 20;
/** Windows a rising template CUSUM keeps the template's mean from learning (see learn()). */
const TPL_RISE_HOLD: f64 = 120;
@inline function cusumZ(S: f64): f64 {
  if (S <= 0) return 0;
  let z = zOfUpperP(2.0 * Math.exp(-S));
  return z > 0 ? z : 0;
}
/** Templates below this many lines per window have no slow-rise test (too little to go on). */
const RISE_MIN_MEAN: f64 = 0.2;

/** Lines per appearance of a template: appearances are Poisson with rate a per window, so a share
 *  p of its windows holds one (a = -ln(1 - p)) and its lines per window over a give the bunch size
 *  (1 for a template that comes one line at a time, however frequent). */
function linesPerAppearance(en: TEntry, wIdx: i64): f64 {
  let w = <f64>(wIdx - en.firstWin);
  let occ = <f64>en.occ;
  if (w < 1 || occ < 3) return 1.0;
  let p = occ / w;
  if (p > 0.99) return 1.0;
  let a = -Math.log1p(-p);
  let k = en.total / w / a;
  return k > 1 ? k : 1.0;
}

/** One close of a template's rise CUSUM (log-likelihood ratio for 2x its expectation, each
 *  window's count winsorised at Z_CLIP so a single burst cannot make a rise, a routine count at
 *  its hour taken as expected); returns its z after a Bonferroni correction over m templates. */
function templateRise(en: TEntry, c: f64, n: f64, routine: f64, m: f64): f64 {
  let nob = <f64>en.nobs;
  // expected, for a warning or error template: its slowly learned share of this window's lines
  // (the mean itself follows a two-hour creep; the share neither does nor moves with the stream's
  // own ups and downs). An info template's mix drifts with the time of day: its own mean.
  let mean = (en.flags & TF_WARN) != 0 && en.share > 0 && n > 0 ? <f64>en.share * n : en.mean;
  let V = predVar(mean, dispPhi(changetype<usize>(en) + offsetof<TEntry>("dD"), ewmaC(nob, alphaDisp())), nob);
  let x = c;
  if (routine > 0 && x <= routine) x = mean;
  let hi = qHi(mean, V);
  if (x > hi) x = hi;
  let S = <f64>en.cS + llrRise(x, mean, V, 2.0);
  if (S < 0) S = 0;
  let cap = cusumCap() + Math.log(m > 1 ? m : 1);
  if (S > cap) S = cap;
  en.cS = <f32>S;
  en.cRun = S > 0 ? (en.cRun < 65535 ? en.cRun + 1 : en.cRun) : 0;
  if (S > 0) { en.rC += <f32>x; en.rE += <f32>mean; } else { en.rC = 0; en.rE = 0; }
  // evidence piled up over a long run from a template a little above its share (its share at
  // this time of day, a mix that drifts) is not a rise: over its run it must have doubled
  if (en.rC < 2 * en.rE) return 0;
  return zBonferroni(cusumZ(S), m);
}

@inline function cusumCap(): f64 { return -Math.log(0.5 * upperPOfZ(CFG.threshold * 1.5)); }

/** Upper / lower Z_CLIP quantile of a count with mean m and variance v (Cornish-Fisher). */
@inline function qHi(m: f64, v: f64): f64 { return m + Z_CLIP * Math.sqrt(v) + (Z_CLIP * Z_CLIP - 1) / 6; }
@inline function qLo(m: f64, v: f64): f64 { return m - Z_CLIP * Math.sqrt(v) + (Z_CLIP * Z_CLIP - 1) / 6; }

// evaluation modes
const M_CLOSE: i32 = 0;
const M_CHECK: i32 = 1;
const M_FLUSH: i32 = 2;

// top_templates orderings
const TOP_EXCESS: i32 = 0;
const TOP_DEFICIT: i32 = 1;
const TOP_ERRORS: i32 = 2;

@inline function ringCnt(s: Stream, r: i32): u32 { return r ? s.cnt1 : s.cnt0; }
@inline function ringErr(s: Stream, r: i32): u32 { return r ? s.err1 : s.err0; }
@inline function entCnt(e: TEntry, r: i32): u32 { return r ? e.c1 : e.c0; }
@inline function entErr(e: TEntry, r: i32): u32 { return r ? e.e1 : e.e0; }
/** Error shares are stable: they learn 4x slower than volumes. */
@inline function alphaErr(): f64 { return DCFG.alpha * 0.25; }
/** Over-dispersion is a second moment: it learns 10x slower, so an incident's first windows
 *  cannot inflate the variance that judges them. */
@inline function alphaDisp(): f64 { return DCFG.alpha * 0.1; }
@inline function warm(s: Stream): bool {
  return <i32>s.windows >= DCFG.warmupWindows && (s.flags & SF_SKIP_FIRST) == 0;
}

// ======================================================================= per record

let MEMO_WS: i64 = i64.MIN_VALUE, MEMO_W: i64 = 0, MEMO_WA: i64 = 0;

/** Counts one record in its stream's window; returns the stream's index. */
export function onRecord(sp: usize, sl: usize, t: i64, level: u8, isError: bool, slot: i32, id: u64,
                         isNew: bool, mp: usize, ml: usize): i32 {
  let si = lookupStream(sp, sl, true);
  let b = blockOf(si);
  let s = changetype<Stream>(b);
  let W = winMs;
  if (s.ws == NO_WINDOW) {
    s.ws = floorDiv(t, W) * W;
    s.flags |= SF_SKIP_FIRST;
    s.checkpoint = 0;
  } else if (t < s.ws - JUMP_WINDOWS * W) {
    // far in the past: a stray timestamp counts as late; a run of them (replay restarted, clock
    // reset) realigns the windows, keeping the learned models
    if (++s.behind < JUMP_CONFIRM) t = s.ws;
    else {
      s.ws = floorDiv(t, W) * W;
      s.cnt0 = 0; s.cnt1 = 0; s.err0 = 0; s.err1 = 0; s.warn0 = 0; s.warn1 = 0;
      clearEntryCounts(s, b);
      s.cE1 = 0; s.cE2 = 0; s.cRun = 0; s.cEr = 0; s.cEx = 0;
      s.flags |= SF_SKIP_FIRST;
      s.checkpoint = 0;
      s.behind = 0;
    }
    s.ahead = 0;
  } else if (t >= s.ws + (JUMP_WINDOWS + 2) * W) {
    // far in the future: jump only when the next records agree (one bad timestamp must not
    // close a dozen windows as empty)
    if (++s.ahead < JUMP_CONFIRM) t = s.lastMs > s.ws ? s.lastMs : s.ws;
    else s.ahead = 0;
    s.behind = 0;
  } else {
    s.behind = 0;
    s.ahead = 0;
  }
  if (t >= s.ws + W + DCFG.lateAllowanceMs) advance(s, b, t, DCFG.lateAllowanceMs);
  // (windows change once a minute: skip the two i64 divisions per record)
  if (s.ws != MEMO_WS || W != MEMO_W) { MEMO_WS = s.ws; MEMO_W = W; MEMO_WA = floorDiv(s.ws, W); }
  let wA = MEMO_WA;
  let inA = t < s.ws + W;           // also late records (t < ws): they count in the oldest window
  let wi = inA ? wA : wA + 1;
  let r = <i32>(wi & 1);
  if (r) { s.cnt1++; if (isError) s.err1++; else if (level == LEVEL_WARNING) s.warn1++; }
  else { s.cnt0++; if (isError) s.err0++; else if (level == LEVEL_WARNING) s.warn0++; }
  noteRecord(s, b, t);
  if (t > s.lastMs) s.lastMs = t;
  s.lastT = t;
  s.lastHost = HOST_MS;

  if (slot >= 0 || id != 0) {
    let j = findEntry(b, id);
    if (j < 0) {
      j = claimEntry(s, b, id);
      if (j >= 0) {
        let e = entryAt(b, j);
        e.firstWin = wi;
        if (isNew && warm(s)) e.flags |= TF_NOVEL;
      }
    }
    if (j >= 0) {
      let e = entryAt(b, j);
      e.slot = slot;
      if (r) { e.c1++; if (isError) e.e1++; } else { e.c0++; if (isError) e.e0++; }
      if (isError || (level >= LEVEL_WARNING && level != LEVEL_UNKNOWN)) e.flags |= TF_WARN;
      if (e.exWin != wi && EXB > 0 && ml > 0) keepExample(b, j, e, wi, mp, ml);
      if ((e.flags & (TF_NOVEL | TF_ESCALATED)) == TF_NOVEL && isError) {
        // error occurrences in this and the previous window
        if (wi == e.novelWin) e.novelOcc++;
        else {
          let next = wi == e.novelWin + 1;
          e.novelPrev = next ? e.novelOcc : 0;
          e.novelRun = next && e.novelRun < 65535 ? e.novelRun + 1 : 1;
          e.novelOcc = 1;
          e.novelWin = wi;
        }
        if (DCFG.newPatterns) checkNovel(s, b, e, j, wi);
      }
    }
  }

  // checkpoints inside the oldest window: strong evidence need not wait for the close
  if (inA && t >= s.ws && warm(s)) {
    let f = <f64>(t - s.ws) / <f64>W;
    let cp = f >= 0.75 ? 3 : f >= 0.5 ? 2 : f >= 0.25 ? 1 : 0;
    if (cp > s.checkpoint) {
      s.checkpoint = cp;
      evaluate(s, b, f, M_CHECK);
    }
  }
  return si;
}

function keepExample(b: usize, j: i32, e: TEntry, wi: i64, mp: usize, ml: usize): void {
  let n = ml < <usize>EXB ? ml : <usize>EXB;
  // cut on a UTF-8 character boundary
  if (n < ml) while (n > 0 && (load<u8>(mp + n) & 0xC0) == 0x80) n--;
  memory.copy(exampleAt(b, j), mp, n);
  e.exLen = <u16>n;
  e.exWin = wi;
}

function clearEntryCounts(s: Stream, b: usize): void {
  for (let j = 0; j < s.nEntries; j++) {
    let e = entryAt(b, j);
    e.c0 = 0; e.c1 = 0; e.e0 = 0; e.e1 = 0; e.prevC = 0;
  }
  s.pLam = -1;
}

/** Closes every window that ended (plus the late allowance) before t. Long silent gaps run the
 *  detectors on a few empty windows (a stream that went quiet is a drop), then jump. */
export function advance(s: Stream, b: usize, t: i64, late: i64): void {
  let W = winMs;
  let empties = 0;
  while (t >= s.ws + W + late) {
    if (s.cnt0 == 0 && s.cnt1 == 0 && empties >= DCFG.gapWindows) {
      let target = floorDiv(t - late, W) * W;
      let skipped = (target - s.ws) / W;
      s.ws = target;
      s.checkpoint = 0;
      s.flags = (s.flags | SF_SKIP_FIRST) & ~SF_FLUSHED;
      clearEntryCounts(s, b);
      s.cE1 = 0; s.cE2 = 0; s.cRun = 0; s.cEr = 0; s.cEx = 0;
      if (skipped >= <i64>DCFG.adaptWindows) s.windows = 0;  // a long silence: learn afresh
      break;
    }
    let r = <i32>(floorDiv(s.ws, W) & 1);
    if (ringCnt(s, r) == 0) empties++; else empties = 0;
    closeWindow(s, b);
  }
}

/** End of replay: closes each stream's windows that ended by `t` or by its own last record,
 *  whichever is earlier (streams of a replay end at different times: that is not a drop); the
 *  open partial window is evaluated for spikes only (expectation scaled to the elapsed part). */
export function flushAll(tAll: i64): void {
  let W = winMs;
  for (let i = 0; i < nStreams; i++) {
    let b = blockOf(i);
    let s = changetype<Stream>(b);
    if (s.ws == NO_WINDOW) continue;
    let t = s.lastMs < tAll ? s.lastMs : tAll;
    if (t >= s.ws + W) advance(s, b, t, 0);
    if (t >= s.ws && t < s.ws + W && (s.flags & SF_FLUSHED) == 0) {
      let f = <f64>(t - s.ws) / <f64>W;
      if (f >= 0.25 && warm(s)) evaluate(s, b, f, M_FLUSH);
      // the open window is charted once, as partial (end of a replay)
      if (windowLogOn) logWindow(s, b, <i32>(floorDiv(s.ws, W) & 1), true);
      s.flags |= SF_FLUSHED;
    }
  }
}

// ======================================================================= window close

function closeWindow(s: Stream, b: usize): void {
  let W = winMs;
  let wIdx = floorDiv(s.ws, W);
  let r = <i32>(wIdx & 1);
  let skip = (s.flags & SF_SKIP_FIRST) != 0;
  let anom = 0;
  if (!skip) {
    if (warm(s)) anom = evaluate(s, b, 1.0, M_CLOSE); else s.pLam = -1;
    learn(s, b, r, anom);
    if (windowLogOn) logWindow(s, b, r, false);
  } else {
    // not learned from, but charted: the timeline must account for every record
    if (windowLogOn) { s.pLam = -1; logWindow(s, b, r, false); }
    for (let j = 0; j < s.nEntries; j++) {
      let e = entryAt(b, j);
      e.prevC = 0;
    }
    s.pLam = -1;
  }
  // clear the ring slot: it becomes the window after next
  if (r) { s.cnt1 = 0; s.err1 = 0; s.warn1 = 0; } else { s.cnt0 = 0; s.err0 = 0; s.warn0 = 0; }
  for (let j = 0; j < s.nEntries; j++) {
    let e = entryAt(b, j);
    if (r) { e.c1 = 0; e.e1 = 0; } else { e.c0 = 0; e.e0 = 0; }
  }
  buildVictims(s, b, r ^ 1);
  decayGap(s);
  s.ws += W;
  s.checkpoint = 0;
  s.flags &= ~(SF_SKIP_FIRST | SF_FLUSHED);
}

function logWindow(s: Stream, b: usize, r: i32, partial: bool): void {
  if (WLOG.len > WLOG_MAX) return;
  WLOG.ascii("{\"window\":{\"stream\":");
  WLOG.jsonString(b + OFF_KEY, <usize>s.keyLen);
  WLOG.ascii(",\"start\":"); WLOG.rfc3339(s.ws);
  WLOG.ascii(",\"count\":"); WLOG.u64dec(ringCnt(s, r));
  WLOG.ascii(",\"errors\":"); WLOG.u64dec(ringErr(s, r));
  WLOG.ascii(",\"warnings\":"); WLOG.u64dec(r ? s.warn1 : s.warn0);
  if (partial) WLOG.ascii(",\"partial\":true");
  if (s.pLam >= 0) {
    // what the detectors expected of this window and how far it was from that (charts)
    WLOG.ascii(",\"expected\":"); WLOG.fixed(s.pLam, 1);
    WLOG.ascii(",\"errors_expected\":"); WLOG.fixed(s.pLamE, 2);
    WLOG.ascii(",\"z\":{\"rate_spike\":"); WLOG.fixed(<f64>s.zRS, 2);
    WLOG.ascii(",\"rate_drop\":"); WLOG.fixed(<f64>s.zRD, 2);
    WLOG.ascii(",\"error_spike\":"); WLOG.fixed(<f64>s.zE, 2);
    WLOG.ascii(",\"pattern_spike\":"); WLOG.fixed(<f64>s.zP, 2);
    if ((s.flags & SF_BASELINE) != 0) { WLOG.ascii(",\"baseline_deviation\":"); WLOG.fixed(<f64>s.zB, 2); }
    WLOG.ascii(",\"error_cusum\":"); WLOG.fixed(cusumZ(s.cE1 > s.cE2 ? s.cE1 : s.cE2), 2);
    WLOG.ascii("},\"dispersion\":{\"rate\":");
    WLOG.fixed(dispPhi(changetype<usize>(s) + offsetof<Stream>("rD"), ewmaC(<f64>s.windows, alphaDisp())), 4);
    WLOG.ascii(",\"errors\":");
    WLOG.fixed(dispPhi(changetype<usize>(s) + offsetof<Stream>("eD"), ewmaC(<f64>s.windows, alphaDisp())), 4);
    WLOG.byte(0x7D);
  }
  WLOG.ascii("}}\n");
}

/** Victims for new templates: entries untouched in the still-open window, rarest first. */
function buildVictims(s: Stream, b: usize, rOpen: i32): void {
  let n = 0;
  let vic = b + OFF_VIC;
  for (let j = 0; j < s.nEntries; j++) {
    let e = entryAt(b, j);
    if (entCnt(e, rOpen) != 0 || (e.flags & TF_NOVEL) != 0) continue;
    // insertion sort by mean (K is small)
    let k = n;
    while (k > 0 && entryAt(b, <i32>load<u8>(vic + <usize>(k - 1))).mean > e.mean) {
      store<u8>(vic + <usize>k, load<u8>(vic + <usize>(k - 1)));
      k--;
    }
    store<u8>(vic + <usize>k, <u8>j);
    n++;
  }
  // keep only the rare half so a busy template is never displaced by one-offs
  let keep = n - (K >> 1);
  if (keep < 0) keep = 0;
  if (keep > n) keep = n;
  s.victimCnt = keep;
  s.victimPos = 0;
}

// ======================================================================= models

/** The most a template's count reaches by its own noise when m is expected (twice m, and 4 sigma
 *  of its over-dispersed count, plus one line): routines are learned and excused above it only. */
function noiseBar(en: TEntry, m: f64): f64 {
  let no = <f64>en.nobs;
  let v = no > 0 ? predVar(m, dispPhi(changetype<usize>(en) + offsetof<TEntry>("dD"), ewmaC(no, alphaDisp())), no) : m;
  let bar = m + 4 * Math.sqrt(v);
  if (bar < 2 * m) bar = 2 * m;
  return bar + 1;
}

function learn(s: Stream, b: usize, r: i32, anom: i32): void {
  let n = <f64>ringCnt(s, r);
  let e = <f64>ringErr(s, r);
  let h = hourOfWeek(s.ws);
  let si = seasonIndex(s, b, s.ws + (winMs >> 1));
  let y = n / si;
  let k = <f64>s.windows;
  let alpha = DCFG.alpha;
  let warmup = <f64>DCFG.warmupWindows;
  // models do not learn from anomalous windows nor during an ongoing episode (they adapt to a
  // lasting change through adapt() after adapt_windows instead)
  let rs = tstate(b, T_RATE_SPIKE), rd = tstate(b, T_RATE_DROP), es = tstate(b, T_ERROR_SPIKE);
  let rateAnom = (anom & 1) != 0 || (rs.active != 0 && rs.normal == 0) || (rd.active != 0 && rd.normal == 0);
  // a slow rise the error CUSUM is accumulating (p <= ~7%, true of at most ~3% of normal windows) is not
  // learned either: learning it would lift the expectation and hide the rise from its own test.
  // Only for RISE_HOLD windows: evidence that builds that slowly is drift, and a share learned too
  // low must be able to catch up.
  let errRising = cusumZ(s.cE1 > s.cE2 ? s.cE1 : s.cE2) >= 1.5 && <f64>s.cRun <= RISE_HOLD;
  let errAnom = (anom & 2) != 0 || (es.active != 0 && es.normal == 0) || errRising;
  // the noise level (a second moment) learns only from windows outside any episode
  let rateDisp = !rateAnom && rs.active == 0 && rd.active == 0;
  let errDisp = !errAnom && es.active == 0;

  let rDisp = changetype<usize>(s) + offsetof<Stream>("rD");
  let eDisp = changetype<usize>(s) + offsetof<Stream>("eD");

  // rate: Welford during warm-up, then damped Holt with a robust over-dispersion estimate
  if (k < warmup || k < 2) {
    let k1 = k + 1;
    let d = y - s.level;
    s.level += d / k1;
    s.wM2 += d * (y - s.level);
    s.trend = 0;
    s.fast = s.level;
    let v = k1 >= 2 ? s.wM2 / (k1 - 1) : s.level;
    dispInit(rDisp, s.level * si, v * si * si);
  } else {
    if (!rateAnom) {
      let pred = holtForecast(s);
      let m = pred * si;
      let v = s.pLam >= 0 ? s.pV : m;
      let nc = n;
      let hi = qHi(m, v), lo = qLo(m, v);
      if (nc > hi) nc = hi;
      if (nc < lo) nc = lo;
      if (nc < 0) nc = 0;
      if (rateDisp) dispUpdate(rDisp, nc, m, alphaDisp());
      let nl = alpha * (nc / si) + (1 - alpha) * (s.level + PHI * s.trend);
      s.trend = BETA * (nl - s.level) + (1 - BETA) * PHI * s.trend;
      s.level = nl;
    }
    s.fast = ALPHA_FAST * y + (1 - ALPHA_FAST) * s.fast;
  }

  // error share: running sums during warm-up, slower EWMA after (shares are stable)
  let ae = alphaErr();
  if (k < warmup || k < 2) {
    let k1 = k + 1;
    s.eN += (n - s.eN) / k1;
    s.eE += (e - s.eE) / k1;
    s.eFN = s.eN; s.eFE = s.eE;
    dispInit(eDisp, s.eE, s.eE);
  } else {
    if (!errAnom) {
      let p = errShare(s);
      let m = p * n;
      let ec = e;
      let hi = qHi(m, s.pLam >= 0 ? s.pVe : m);
      if (ec > hi) ec = hi;
      if (errDisp) dispUpdate(eDisp, ec, m, alphaDisp());
      s.eN = (1 - ae) * s.eN + ae * n;
      s.eE = (1 - ae) * s.eE + ae * ec;
    }
    s.eFN = ALPHA_FAST * n + (1 - ALPHA_FAST) * s.eFN;
    s.eFE = ALPHA_FAST * e + (1 - ALPHA_FAST) * s.eFE;
  }

  // templates
  let W = winMs;
  let wIdx = floorDiv(s.ws, W);
  routineHour(s, b, s.ws);
  for (let j = 0; j < s.nEntries; j++) {
    let en = entryAt(b, j);
    let c = <f64>entCnt(en, r);
    // a routine is a burst: only a count of at least twice the template's usual at this hour and
    // beyond its noise (3 sigma) can make one, else every template's hourly maximum of ordinary
    // (diurnal, over-dispersed) noise would excuse the next surge of the same template
    if (c >= <f64>MIN_COUNT && c > noiseBar(en, en.mean * si)) routineCount(en, c);
    en.total += c;
    if (c > 0) en.occ += 1;
    en.totalErr += <f64>entErr(en, r);
    en.prevC = entCnt(en, r);
    // a rise its CUSUM is accumulating is not learned either, for up to TPL_RISE_HOLD windows: a
    // template creeping up over two hours on a small stream needs that long to show (an anomalous
    // window, by contrast, is learned again after FREEZE_MAX)
    let warnT = (en.flags & TF_WARN) != 0;
    let rising = cusumZ(<f64>en.cS) >= 1.5 && <f64>en.cRun <= (warnT ? TPL_RISE_HOLD : RISE_HOLD);
    let frozen = (en.flags & TF_FROZEN) != 0 || rising;
    if (frozen) { if (en.frozen < 65535) en.frozen++; } else en.frozen = 0;
    if (!frozen || (!(rising && warnT) && <i32>en.frozen > FREEZE_MAX)) {
      let no = <f64>en.nobs;
      if (n > 0) {
        let aS = alphaDisp();
        let w = no < 1.0 / aS ? 1.0 / (no + 1) : aS;
        en.share = <f32>(<f64>en.share + (c / n - <f64>en.share) * w);
      }
      if (no > 0) {
        let tD = changetype<usize>(en) + offsetof<TEntry>("dD");
        let v = predVar(en.mean, dispPhi(tD, ewmaC(no, alphaDisp())), no);
        let hi = qHi(en.mean, v), lo = qLo(en.mean, v);
        if (c > hi) c = hi;
        if (c < lo) c = lo;
        if (c < 0) c = 0;
      }
      let cap = 1.0 / alpha;
      let tDisp = changetype<usize>(en) + offsetof<TEntry>("dD");
      if (no == 0) dispInit(tDisp, c, c);
      if (no < cap) {
        if (no >= 1) dispUpdate(tDisp, c, en.mean, 1.0 / (no + 1));
        en.mean += (c - en.mean) / (no + 1);
      } else {
        dispUpdate(tDisp, c, en.mean, alphaDisp());
        en.mean = (1 - alpha) * en.mean + alpha * c;
      }
      en.nobs++;
    }
    en.flags &= ~TF_FROZEN;
    if ((en.flags & TF_NOVEL) != 0 && wIdx - en.firstWin > <i64>DCFG.newPatternWindows) en.flags &= ~TF_NOVEL;
  }

  // hour-of-week profile (baseline export, seasonality). An anomalous window is learned
  // winsorised at Z_CLIP around what was expected: left out entirely, the hours that differ from
  // the rest of the week (a quiet weekend morning) would never gather enough windows to be known
  // and would be judged against weekdays forever; clipped, an incident moves them little.
  let np = n, ep = e;
  if (anom != 0) {
    if (s.pLam < 0) np = -1;
    else {
      let hi = qHi(s.pLam, s.pV), lo = qLo(s.pLam, s.pV);
      if (np > hi) np = hi;
      if (np < lo) np = lo;
      if (np < 0) np = 0;
      let he = qHi(s.pLamE, s.pVe);
      if (ep > he) ep = he;
    }
  }
  if (np >= 0) {
    let hs = howAt(b, h);
    hs.w += 1; hs.s += np; hs.ss += np * np; hs.e += ep;
    s.profW += 1; s.profS += np; s.profE += ep;
    updateSeasonal(s, b, s.ws + W);
  }
  s.windows++;
}

/** Expected error share with a half-error prior over the history (never exactly 0). */
@inline function errShare(s: Stream): f64 {
  let k = neff(<f64>s.windows, alphaErr());
  return (s.eE * k + 0.5) / (s.eN * k + 1.0);
}

// ======================================================================= detectors

/** Runs the detectors on the oldest open window (fraction f of it elapsed). At close returns a
 *  mask of anomalous models (1 rate, 2 errors, 4 templates, 8 baseline) to freeze their learning. */
function evaluate(s: Stream, b: usize, f: f64, mode: i32): i32 {
  let W = winMs;
  let wIdx = floorDiv(s.ws, W);
  let r = <i32>(wIdx & 1);
  let n = <f64>ringCnt(s, r);
  let e = <f64>ringErr(s, r);
  let thr = CFG.threshold;
  let minEv = <f64>CFG.minEvents;
  let close = mode == M_CLOSE;
  let h = hourOfWeek(s.ws);
  let si = seasonIndex(s, b, s.ws + (W >> 1));
  let nw = neff(<f64>s.windows, DCFG.alpha);
  let anom = 0;

  // ---- rate ----
  // Each detector also pools the previous closed window with this one: an incident that began
  // late in the previous window then shows its full strength one window earlier.
  let pv = s.pLam >= 0;
  let lamFull = holtForecast(s) * si;
  let lam = lamFull * f;
  let phiR = dispPhi(changetype<usize>(s) + offsetof<Stream>("rD"), ewmaC(<f64>s.windows, alphaDisp()));
  let V = predVar(lam, phiR, nw);
  let zs: f64 = 0, zd: f64 = 0, zs2: f64 = 0, zd2: f64 = 0, zsNB: f64 = 0;
  // Lines of templates first seen in this window (a deploy's start-up banner) are not counted as
  // a volume spike: a print-once is benign, and a new line that stays chatty counts from its next
  // window (a new error flood is the error and new_pattern detectors' case).
  // Likewise a routine (a template's usual burst at this hour of day) and the lines of templates
  // that are rare in this stream and not errors (the same deploy banner printed again): their
  // volume is expected or benign; the pattern and error detectors still see them.
  let lamFull0 = holtForecast(s) * si;
  let hh = routineHours(s.ws);
  let nov: f64 = 0, rareExp: f64 = 0;
  for (let j = 0; j < s.nEntries; j++) {
    let en = entryAt(b, j);
    // rare templates are left out of both sides of the test: their lines here and their share
    // of the expectation (a stream of many rare templates still shows a surge in the rest)
    let rare = en.nobs > 0 && en.mean < RARE_MEAN && en.mean < RARE_SHARE * lamFull0;
    if (rare) rareExp += en.mean;
    let c = <f64>entCnt(en, r);
    if (c == 0) continue;
    if ((en.flags & TF_NOVEL) != 0 && en.firstWin == wIdx) { nov += c; continue; }
    let x: f64 = 0;
    if (rare) { x = c - <f64>entErr(en, r); }
    let rt = routineMax(b, j, hh) * ROUTINE_SLACK;
    if (rt > 0) {
      // a routine excuses a template only while it bursts beyond its own noise at this hour (a
      // backup's hundred lines): a surge lifting every template a few times stays counted
      let mf = en.mean * si * f;
      let y = c > noiseBar(en, mf) ? (c < rt ? c : rt) - mf : 0;
      if (y > x) x = y;
    }
    if (x > 0) nov += x;
  }
  let nS = n - nov;
  // the expectation of what nS counts: the stream's, less the rare templates' share of it
  let g = lamFull0 > 0 && rareExp < lamFull0 ? 1 - rareExp / lamFull0 : 1.0;
  if (g < 0.2) g = 0.2;
  let lamS = lam * g;
  let VS = predVar(lamS, phiR, nw);
  // A partial look (checkpoint) must also hold for the whole window with its rest as expected: a
  // one-second batch burst is far out of line for 15 s of a window but usual for the window, the
  // scale at which bursts are learned. A sustained change passes both a moment later.
  let part = !close && f < 1.0;
  let rest = lamFull - lam;
  let VP = part ? predVar(lamFull, phiR, nw) : V;
  let VPS = part ? predVar(lamFull * g, phiR, nw) : VS;
  // The benign-burst mixture models isolated burst windows: a burst that lasts into the next
  // window is not one of them (and the first window of an incident must not excuse its second).
  let rPi = (s.flags & SF_RBURST) != 0 ? 0.0 : s.bR;
  if (DCFG.rate) {
    if (nS >= MIN_COUNT && nS >= lamS * DCFG.minRatio) {
      zsNB = zUpper(nS, lamS, VS);
      zs = mixZ(zsNB, rPi, s.bRB, nS - lamS);
      if (part && zs >= thr) {
        let nP = nS + rest * g, lP = lamFull * g;
        let zP = nP > lP ? mixZ(zUpper(nP, lP, VPS), rPi, s.bRB, nP - lP) : 0;
        if (zP < zs) zs = zP;
      }
      if (pv && zs >= thr && nS + s.pNS >= (lamS + s.pLamS) * DCFG.minRatio)
        zs2 = mixZ(zUpper(nS + s.pNS, lamS + s.pLamS, VS + s.pVS), rPi, s.bRB, nS + s.pNS - lamS - s.pLamS);
    }
    // a routine gap (log rotation at midnight) takes its share of the window's expectation
    let ex = excused(s, wIdx);
    let lamD = ex > 0 ? lam * (1 - ex) : lam;
    if (mode != M_FLUSH && n <= lamD / DCFG.minRatio) {
      zd = zLower(n, lamD, ex > 0 ? predVar(lamD, phiR, nw) : V);
      if (part && zd >= thr) {
        let nP = n + rest;
        let zP = nP < lamFull ? zLower(nP, lamFull, VP) : 0;
        if (zP < zd) zd = zP;
      }
      if (pv && zd >= thr && n + s.pN <= (lamD + s.pLam) / DCFG.minRatio) zd2 = zLower(n + s.pN, lamD + s.pLam, V + s.pV);
    }
    // a young stream has no burst history yet: its volume spikes need a second window
    let young = <f64>s.windows < <f64>DCFG.warmupWindows + YOUNG_WINDOWS;
    // an empty window lies inside a gap of the stream, which is the silence detector's (one
    // incident, one type; it weighs the whole gap, the stream's usual quiet and its routines),
    // also when the stream is back by the time the window closes (its last silent window)
    if (n == 0) { if (zd >= thr) anom |= 1; zd = 0; zd2 = 0; }
    // Anomalies of volume alone (no errors out of line) must last: a spike needs a second window,
    // a drop that still leaves records a third (a deploy's two-minute dip and a daemon's burst of
    // one minute are not incidents; Datadog alerts only on anomalies that contain errors and
    // last). A stream that stops entirely is the silence detector's, which needs no such wait.
    let errHot = e >= MIN_COUNT && e > DCFG.errorRatio * errShare(s) * n;
    let sev = decide(b, T_RATE_SPIKE, zs, zs2, tstate(b, T_RATE_SPIKE).pendZ, young || nS < minEv || !errHot, wIdx, mode != M_CLOSE);
    if (sev >= 0) emit(T_RATE_SPIKE, sev, s, b, f, mode, n, e, perMin(n, f), perMin(lam, f), max(zs, zs2), -1, TOP_EXCESS, lam);
    let rd = tstate(b, T_RATE_DROP);
    sev = decide(b, T_RATE_DROP, zd, zd2, rd.run >= 2 || n == 0 ? rd.pendZ : 0, lam < minEv || n > 0, wIdx, mode != M_CLOSE);
    if (sev >= 0) emit(T_RATE_DROP, sev, s, b, f, mode, n, e, perMin(n, f), perMin(lam, f), max(zd, zd2), -1, TOP_DEFICIT, lam);
    if (zs >= thr || zd >= thr) anom |= 1;
  }

  // ---- error share (binomial given the window's volume, Poisson/NB tail with a floor) ----
  let ze: f64 = 0, ze2: f64 = 0, zeNB: f64 = 0;
  let p = errShare(s);
  let lamE = p * n;
  let k = neff(<f64>s.windows, alphaErr());
  let hist = s.eN * k + 1.0;
  let fl = DCFG.noiseFloor * DCFG.noiseFloor;
  let phiE = dispPhi(changetype<usize>(s) + offsetof<Stream>("eD"), ewmaC(<f64>s.windows, alphaDisp()));
  if (phiE < fl) phiE = fl;
  let Ve = lamE + phiE * lamE * lamE + n * n * p * (1 - p) / hist;
  // accumulated evidence of a rise (see cusumZ): this look added to the closed windows' CUSUMs
  let c1: f64 = 0, c2: f64 = 0, zc: f64 = 0;
  if (DCFG.errors) {
    let rho = DCFG.errorRatio;
    c1 = s.cE1 + llrRise(e, lamE, Ve, rho); if (c1 < 0) c1 = 0;
    c2 = s.cE2 + llrRise(e, lamE, Ve, rho * rho); if (c2 < 0) c2 = 0;
    zc = cusumZ(c1 > c2 ? c1 : c2);
  }
  if (DCFG.errors && n >= MIN_COUNT) {
    if (e >= MIN_COUNT && e >= lamE * DCFG.errorRatio) {
      zeNB = zUpper(e, lamE, Ve);
      ze = zeNB;
      if (pv && ze >= thr && e + s.pE >= (lamE + s.pLamE) * DCFG.errorRatio)
        ze2 = zUpper(e + s.pE, lamE + s.pLamE, Ve + s.pVe);
    }
    // the CUSUM alerts on its own only at the strong bar, and only when this look adds to it
    let barE = thr * 1.5 + (mode != M_CLOSE ? 0.5 : 0);
    // ... and only when the errors of its run (this look included) reach error_ratio x their
    // expectation: a share wandering a little above its mean for an hour piles up evidence too
    let zA = e > lamE && zc >= barE && s.cEr + e >= DCFG.errorRatio * (s.cEx + lamE) ? zc : 0;
    let z1 = ze > zA ? ze : zA;
    let zP = ze2 > zA ? ze2 : zA;
    let sev = decide(b, T_ERROR_SPIKE, z1, zP, tstate(b, T_ERROR_SPIKE).pendZ, n < minEv, wIdx, mode != M_CLOSE);
    if (sev >= 0) {
      accWindows = zA > ze && zA > ze2 ? s.cRun + 1 : 0;
      emit(T_ERROR_SPIKE, sev, s, b, f, mode, n, e, e / n, p, max(z1, zP), -1, TOP_ERRORS, lam);
      accWindows = 0;
    }
    if (ze >= thr) anom |= 2;
  }
  if (close) {
    let rb = burstStep(s.bR, s.bRB, zsNB >= thr, (s.flags & SF_RBURST) != 0, nS - lamS);
    s.bR = BP; s.bRB = BB;
    if (rb) s.flags |= SF_RBURST; else s.flags &= ~SF_RBURST;
    let eb = burstStep(s.bE, s.bEB, zeNB >= thr, (s.flags & SF_EBURST) != 0, e - lamE);
    s.bE = BP; s.bEB = BB;
    if (eb) s.flags |= SF_EBURST; else s.flags &= ~SF_EBURST;
    s.pN = n; s.pE = e; s.pLam = lam; s.pV = V; s.pLamE = lamE; s.pVe = Ve;
    s.pNS = nS; s.pLamS = lamS; s.pVS = VS;
    let cap = cusumCap();
    s.cE1 = c1 < cap ? c1 : cap;
    s.cE2 = c2 < cap ? c2 : cap;
    s.cRun = c1 > 0 || c2 > 0 ? s.cRun + 1 : 0;
    if (c1 > 0 || c2 > 0) { s.cEr += e; s.cEx += lamE; } else { s.cEr = 0; s.cEx = 0; }
    s.zRS = <f32>max(zs, zs2); s.zRD = <f32>max(zd, zd2); s.zE = <f32>max(ze, ze2);
  }

  // ---- one template far above its own expectation ----
  let zp: f64 = 0;
  if (DCFG.patterns) {
    let m = <f64>s.nEntries;
    let best = -1;
    let bestZ: f64 = 0;
    let bestRise = false;
    for (let j = 0; j < s.nEntries; j++) {
      let en = entryAt(b, j);
      let c = <f64>entCnt(en, r);
      let z: f64 = 0, zNB: f64 = 0, lt: f64 = 0;
      if (c >= MIN_COUNT) {
        let novel = en.nobs == 0;
        let mean = novel ? NOVEL_PRIOR : en.mean;
        // expected given the rest of the stream: a uniform surge is a rate spike, not a pattern
        let rest = lamFull - en.mean;
        let scale: f64 = 1;
        if (!novel && rest > minEv) { scale = (n - c) / f / rest; if (scale < 1) scale = 1; if (scale > 4) scale = 4; }
        lt = mean * scale * f;
        // a never-seen template only bursts when it adds volume (a deploy that renames lines
        // replaces volume instead)
        let adds = !novel || (n - lam) >= 0.5 * c;
        // a routine at this hour (its usual burst) is expected
        if (!novel && c <= routineMax(b, j, hh) * ROUTINE_SLACK) adds = false;
        let tPi: f64 = (en.flags & TF_BURST) != 0 ? 0.0 : <f64>en.bP;
        if (adds && c >= lt * DCFG.patternRatio) {
          let nob = novel ? 1.0 : <f64>en.nobs;
          let phiT = dispPhi(changetype<usize>(en) + offsetof<TEntry>("dD"), ewmaC(nob, alphaDisp()));
          // a template that comes in bunches (three lines per appearance) is tested on appearances
          let k = novel ? 1.0 : linesPerAppearance(en, wIdx);
          let Vt = predVar(lt / k, phiT, nob);
          zNB = zUpper(c / k, lt / k, Vt);
          z = mixZ(zNB, tPi, <f64>en.bB, c - lt);
          if (part && z >= thr) {
            // the whole window with its rest as expected (see the rate detector)
            let lF = mean * scale, cF = c + lF - lt;
            let zF = cF > lF ? mixZ(zUpper(cF / k, lF / k, predVar(lF / k, phiT, nob)), tPi, <f64>en.bB, cF - lF) : 0;
            if (zF < z) z = zF;
          }
          // pooled with the previous window (its expectation: the same unscaled mean)
          if (pv && z >= thr && en.prevC > 0) {
            let c2 = c + <f64>en.prevC;
            let l2 = lt + mean;
            if (c2 >= l2 * DCFG.patternRatio) {
              let z2 = mixZ(zUpper(c2 / k, l2 / k, Vt + predVar(mean / k, phiT, nob)), tPi, <f64>en.bB, c2 - l2);
              if (z2 > z) { z = z2; }
            }
          }
          z = zBonferroni(z, m);
          zNB = zBonferroni(zNB, m);
        }
        if (z > bestZ) { bestZ = z; best = j; bestRise = false; }
      }
      // a slow rise no single window shows (a warning template creeping up over hours)
      if (close && <f64>en.nobs >= YOUNG_WINDOWS && en.mean >= RISE_MIN_MEAN) {
        let zc = templateRise(en, c, n, routineMax(b, j, hh) * ROUTINE_SLACK, m);
        if (c > en.mean && ((en.flags & TF_WARN) == 0 || c > <f64>en.share * n) && zc >= thr * 1.5 && zc > z) {
          z = zc;
          if (z > bestZ) { bestZ = z; best = j; bestRise = true; }
        }
      }
      store<f64>(ZS + (<usize>j << 3), z);
      if (close && en.nobs > 0) {
        let tb = burstStep(<f64>en.bP, <f64>en.bB, zNB >= thr, (en.flags & TF_BURST) != 0, c - lt);
        en.bP = <f32>BP; en.bB = <f32>BB;
        if (tb) en.flags |= TF_BURST; else en.flags &= ~TF_BURST;
      }
    }
    // a template that is most of its stream spikes with it: the rate alert says it all
    if (best >= 0 && zs >= thr && entryAt(b, best).mean >= 0.5 * lamFull) best = -1;
    if (best >= 0) {
      let en = entryAt(b, best);
      let lasting = <f64>en.nobs < YOUNG_WINDOWS || <f64>entCnt(en, r) < minEv || entErr(en, r) * 2 < entCnt(en, r);
      let sev = decide(b, T_PATTERN_SPIKE, bestZ, 0, <f64>en.pz, lasting, wIdx, mode != M_CLOSE);
      if (sev >= 0) {
        tstate(b, T_PATTERN_SPIKE).ref = en.id;
        let c = <f64>entCnt(en, r);
        let exp = (en.nobs == 0 ? NOVEL_PRIOR : en.mean) * f;
        accWindows = bestRise ? <f64>en.cRun : 0;
        emit(T_PATTERN_SPIKE, sev, s, b, f, mode, n, e, c, exp, bestZ, best, TOP_EXCESS, lam);
        accWindows = 0;
      }
    }
    zp = bestZ;
    if (close) s.zP = <f32>bestZ;
    if (close) {
      // pending evidence per template for the next window; anomalous counts are not learned
      for (let j = 0; j < s.nEntries; j++) {
        let en = entryAt(b, j);
        let z = load<f64>(ZS + (<usize>j << 3));
        en.pz = <f32>z;
        if (z >= thr) en.flags |= TF_FROZEN;
      }
    }
    if (bestZ >= thr) anom |= 4;
  }

  // ---- against a loaded baseline (hour-of-week profile) ----
  let zb: f64 = 0;
  if (DCFG.baseline && close && (s.flags & SF_BASELINE) != 0) {
    let known = bucketStats(b, h);
    let bm = known ? BM : -1;
    let bv = BV;
    let zbr: f64 = 0, zbe: f64 = 0;
    let hw = BW;
    if (hw < 1) hw = 1;
    if (known) {
      let fl = DCFG.noiseFloor * DCFG.noiseFloor;
      let vb = bm + fl * bm * bm;
      if (bv > vb) vb = bv;
      vb *= 1.0 + 1.0 / hw;
      if (n >= MIN_COUNT && n >= bm * DCFG.minRatio) zbr = zUpper(n, bm, vb);
      else if (n <= bm / DCFG.minRatio) zbr = zLower(n, bm, vb);
    }
    let pb = (s.profE + 0.5) / (s.profS + 1.0);
    if (n >= MIN_COUNT && e >= MIN_COUNT && e >= pb * n * DCFG.errorRatio) {
      let le = pb * n;
      let fl = DCFG.noiseFloor * DCFG.noiseFloor;
      zbe = zUpper(e, le, le + fl * le * le + n * n * pb / (s.profS + 1.0));
    }
    zb = zbr > zbe ? zbr : zbe;
    let sev = decide(b, T_BASELINE, zb, 0, tstate(b, T_BASELINE).pendZ, false, wIdx, mode != M_CLOSE);
    if (sev >= 0) {
      if (zbr >= zbe) emit(T_BASELINE, sev, s, b, f, mode, n, e, perMin(n, f), perMin(bm, f), zb, -1, n >= bm ? TOP_EXCESS : TOP_DEFICIT, lam);
      else emit(T_BASELINE, sev, s, b, f, mode, n, e, e / n, pb, zb, -1, TOP_ERRORS, lam);
    }
    if (zb >= thr) anom |= 8;
    s.zB = <f32>zb;
  }

  if (close) {
    endOfWindow(s, b, T_RATE_SPIKE, zs, wIdx, n, e, lam, f);
    endOfWindow(s, b, T_RATE_DROP, zd, wIdx, n, e, lam, f);
    // a rise the CUSUM still sees keeps its episode open (and confirms the next window), but only
    // while the window itself leans to a rise (p <= ~7%): errors back near normal end the episode
    // though the CUSUM takes a while to forget
    let zHold = e > lamE && zUpper(e, lamE, Ve) >= 1.5 ? zc : 0;
    endOfWindow(s, b, T_ERROR_SPIKE, ze > zHold ? ze : zHold, wIdx, n, e, lam, f);
    endOfWindow(s, b, T_PATTERN_SPIKE, zp, wIdx, n, e, lam, f);
    endOfWindow(s, b, T_BASELINE, zb, wIdx, n, e, lam, f);
    // new_pattern episodes last while an escalated template keeps occurring
    let still: f64 = 0;
    for (let j = 0; j < s.nEntries; j++) {
      let en = entryAt(b, j);
      if ((en.flags & TF_ESCALATED) != 0 && entCnt(en, r) > 0) still = thr;
    }
    endOfWindow(s, b, T_NEW_PATTERN, still, wIdx, n, e, lam, f);
  }
  return anom;
}

@inline function perMin(count: f64, f: f64): f64 {
  let sec = <f64>winMs / 1000.0 * f;
  return sec > 0 ? count * 60.0 / sec : 0;
}

/** Alert decision for one look at a window. The window's own z must reach the threshold; it then
 *  alerts when the evidence is strong on its own (>= 1.5 x threshold, the seed's "critical"),
 *  alone or pooled with the previous window (zPool), or when the previous window also reached the
 *  threshold (pend). At most one alert per episode unless it escalates, and none within cooldown
 *  of the previous alert of this stream+type. Returns the severity to emit or -1. */
function decide(b: usize, t: i32, z: f64, zPool: f64, pend: f64, novel: bool, wIdx: i64, partial: bool): i32 {
  let thr = CFG.threshold;
  if (!(z >= thr)) return -1;
  let st = tstate(b, t);
  let strong = thr * 1.5;
  // a window looked at several times (checkpoints) must clear a higher bar at the early looks
  let bar = partial ? strong + 0.5 : strong;
  let zm = zPool > z ? zPool : z;
  // no track record yet, small-sample or volume-only evidence: it needs a confirming window, and
  // is then as severe as its evidence
  if (!((zm >= bar && !novel) || pend >= thr)) return -1;
  let sev: i32 = zm >= strong ? SEV_CRITICAL : SEV_WARNING;
  if (!st.active) {
    st.active = 1;
    st.alerted = 0;
    st.startWin = wIdx;
    st.episode = 0;
    st.normal = 0;
  }
  st.normal = 0;
  if (st.alerted) {
    if (sev <= <i32>st.sev) return -1;               // same episode, no escalation
  } else if (wIdx - st.lastAlertWin < <i64>DCFG.cooldownWindows && sev <= <i32>st.sev) {
    return -1;                                        // a recent alert of this type: stay quiet
  }
  st.alerted = 1;
  st.sev = <u8>sev;
  st.lastAlertWin = wIdx;
  st.lastScore = zm;
  return sev;
}

/** Episode bookkeeping at window close: pending evidence, resolution, adaptation. */
function endOfWindow(s: Stream, b: usize, t: i32, z: f64, wIdx: i64, n: f64, e: f64, lam: f64, f: f64): void {
  let st = tstate(b, t);
  let thr = CFG.threshold;
  st.pendZ = z;
  st.run = z >= thr ? (st.run < 255 ? st.run + 1 : 255) : 0;
  if (!st.active) return;
  st.episode++;
  if (z >= thr) st.normal = 0; else st.normal++;
  let adapted = false;
  let before = t == T_ERROR_SPIKE ? errShare(s) : perMin(lam, 1.0);
  if (st.normal < DCFG.resolveWindows) {
    if (st.episode < DCFG.adaptWindows || t == T_BASELINE) return;
    adapted = true;
    adapt(s, b, t);
  }
  if (st.alerted) emitResolved(t, s, b, wIdx, n, e, lam, z, st.episode, adapted, before);
  // the episode's accumulated evidence is spent with it: a new episode builds its own
  if (t == T_ERROR_SPIKE) { s.cE1 = 0; s.cE2 = 0; s.cRun = 0; s.cEr = 0; s.cEx = 0; }
  st.active = 0;
  st.alerted = 0;
  st.normal = 0;
}

/** A change that outlasts adapt_windows is the new normal: take the fast trackers' level. */
function adapt(s: Stream, b: usize, t: i32): void {
  if (t == T_RATE_SPIKE || t == T_RATE_DROP) {
    s.level = s.fast;
    s.trend = 0;
  } else if (t == T_ERROR_SPIKE) {
    s.eN = s.eFN;
    s.eE = s.eFE;
    s.cE1 = 0; s.cE2 = 0; s.cRun = 0; s.cEr = 0; s.cEx = 0;
  } else if (t == T_PATTERN_SPIKE) {
    let j = findEntry(b, tstate(b, t).ref);
    if (j >= 0) {
      let en = entryAt(b, j);
      en.mean = <f64>en.prevC;
      if (en.nobs == 0) en.nobs = 1;
    }
  }
}

/** new_pattern escalation: a template the miner reported new keeps occurring at error level —
 *  in two consecutive windows with new_pattern_count occurrences between them, in
 *  new_pattern_count consecutive windows (a steady trickle), or as a burst (min_events, at least
 *  2 x new_pattern_count) within one window. A rare error that recurs now and then does not
 *  escalate. */
function checkNovel(s: Stream, b: usize, e: TEntry, j: i32, wi: i64): void {
  let need = <u32>DCFG.newPatternCount;
  if (wi - e.firstWin > <i64>DCFG.newPatternWindows) return;
  let burst = <u32>CFG.minEvents;
  if (burst < need * 2) burst = need * 2;
  let both = e.novelPrev > 0 && e.novelOcc + e.novelPrev >= need;
  let steady = <u32>e.novelRun >= need;
  if (!both && !steady && e.novelOcc < burst) return;
  e.flags |= TF_ESCALATED;
  let st = tstate(b, T_NEW_PATTERN);
  let sev: i32 = e.novelOcc >= burst ? SEV_CRITICAL : SEV_WARNING;
  if (!st.active) { st.active = 1; st.alerted = 0; st.startWin = wi; st.episode = 0; }
  st.normal = 0;
  if (st.alerted && sev <= <i32>st.sev) return;
  st.alerted = 1;
  st.sev = <u8>sev;
  st.lastAlertWin = wi;
  let occ = <f64>(e.novelOcc + e.novelPrev);
  st.lastScore = occ;
  let r = <i32>(wi & 1);
  emit(T_NEW_PATTERN, sev, s, b, 1.0, M_CHECK, <f64>ringCnt(s, r), <f64>ringErr(s, r),
       occ, 0, 0, j, TOP_ERRORS, 0);
}

// ======================================================================= events

function emit(t: i32, sev: i32, s: Stream, b: usize, f: f64, mode: i32, n: f64, e: f64,
              value: f64, expected: f64, z: f64, ref: i32, order: i32, lam: f64): void {
  let W = winMs;
  let wIdx = floorDiv(s.ws, W);
  let r = <i32>(wIdx & 1);
  let o = EVENTS.begin(typeName(t), <u8>sev, b + OFF_KEY, <usize>s.keyLen);
  o.ascii(",\"window_start\":"); o.rfc3339(s.ws);
  o.ascii(",\"window_end\":"); o.rfc3339(s.ws + W);
  if (mode != M_CLOSE) o.ascii(",\"partial\":true");
  let share = t == T_ERROR_SPIKE || (t == T_BASELINE && order == TOP_ERRORS);
  o.ascii(",\"value\":"); o.fixed(value, share ? 4 : 2);
  o.ascii(",\"expected\":"); o.fixed(expected, share ? 4 : 2);
  o.ascii(",\"score\":"); o.fixed(z, 2);
  o.ascii(",\"window_records\":"); o.u64dec(<u64>n);
  o.ascii(",\"window_errors\":"); o.u64dec(<u64>e);
  if ((t == T_ERROR_SPIKE || t == T_PATTERN_SPIKE) && accWindows > 0) { o.ascii(",\"accumulated_windows\":"); o.u64dec(<u64>accWindows); }
  o.ascii(",\"description\":\"");
  if (t == T_RATE_SPIKE || t == T_RATE_DROP) {
    o.ascii(t == T_RATE_SPIKE ? "Event rate spike: " : "Event rate drop: ");
    o.fixed(value, 1); o.ascii("/min (expected ~"); o.fixed(expected, 1); o.ascii("/min, z=");
    o.fixed(z, 1); o.ascii(")");
  } else if (t == T_ERROR_SPIKE) {
    o.ascii("Error rate spike: "); o.fixed(value * 100, 1); o.ascii("% (expected ~");
    o.fixed(expected * 100, 1); o.ascii("%, z="); o.fixed(z, 1); o.ascii("), ");
    o.u64dec(<u64>e); o.ascii(" errors in "); o.u64dec(<u64>n); o.ascii(" records");
    if (accWindows > 0) { o.ascii(", sustained rise over "); o.u64dec(<u64>accWindows); o.ascii(" windows"); }
  } else if (t == T_PATTERN_SPIKE) {
    o.ascii("Pattern spike: one template "); o.fixed(value, 0); o.ascii(" times (expected ~");
    o.fixed(expected, 1); o.ascii(", z="); o.fixed(z, 1); o.ascii(")");
    if (accWindows > 0) { o.ascii(", sustained rise over "); o.u64dec(<u64>accWindows); o.ascii(" windows"); }
  } else if (t == T_NEW_PATTERN) {
    o.ascii("New error pattern keeps occurring: "); o.fixed(value, 0);
    o.ascii(" times in its last two windows");
  } else {
    if (order == TOP_ERRORS) {
      o.ascii("Error rate vs baseline: "); o.fixed(value * 100, 1); o.ascii("% (baseline ~");
      o.fixed(expected * 100, 1); o.ascii("%, z="); o.fixed(z, 1); o.ascii(")");
    } else {
      o.ascii("Event rate vs baseline: "); o.fixed(value, 1); o.ascii("/min (baseline ~");
      o.fixed(expected, 1); o.ascii("/min for this hour of week, z="); o.fixed(z, 1); o.ascii(")");
    }
  }
  if (mode != M_CLOSE) o.ascii(" [partial window]");
  o.byte(0x22);
  // the template the event is about (not that of the record that happens to carry it)
  if ((t == T_NEW_PATTERN || t == T_PATTERN_SPIKE) && ref >= 0) {
    o.ascii(",\"template_id\":\""); o.hex(entryAt(b, ref).id, 16); o.byte(0x22);
  }
  writeTop(o, s, b, r, f, order, ref, lam, n);
  EVENTS.end();
}

/** top_templates (up to 3) and one example line. */
function writeTop(o: ByteBuf, s: Stream, b: usize, r: i32, f: f64, order: i32, ref: i32, lam: f64, n: f64): void {
  let picked0 = -1, picked1 = -1, picked2 = -1;
  for (let round = 0; round < 3; round++) {
    let best = -1;
    let bestV: f64 = -1e300;
    if (round == 0 && ref >= 0) best = ref;
    else {
      for (let j = 0; j < s.nEntries; j++) {
        if (j == picked0 || j == picked1) continue;
        let en = entryAt(b, j);
        let c = <f64>entCnt(en, r);
        let ex = en.mean * f;
        let v: f64 = order == TOP_ERRORS ? <f64>entErr(en, r) : order == TOP_DEFICIT ? ex - c : c - ex;
        if (order == TOP_ERRORS && v <= 0) continue;
        if (order != TOP_ERRORS && v <= 0.5) continue;
        if (v > bestV) { bestV = v; best = j; }
      }
    }
    if (best < 0) break;
    if (round == 0) picked0 = best; else if (round == 1) picked1 = best; else picked2 = best;
  }
  o.ascii(",\"top_templates\":[");
  let ex = -1;
  for (let i = 0; i < 3; i++) {
    let j = i == 0 ? picked0 : i == 1 ? picked1 : picked2;
    if (j < 0) break;
    let en = entryAt(b, j);
    if (i > 0) o.byte(0x2C);
    o.ascii("{\"template_id\":\""); o.hex(en.id, 16);
    o.ascii("\",\"count\":"); o.u64dec(entCnt(en, r));
    o.ascii(",\"expected\":"); o.fixed(en.nobs == 0 ? 0 : en.mean * f, 2);
    if (entErr(en, r) > 0) { o.ascii(",\"errors\":"); o.u64dec(entErr(en, r)); }
    let w = templateWriter;
    if (w !== null && en.slot >= 0) {
      TMP.reset();
      if (w(TMP, en.slot, en.id)) { o.ascii(",\"template\":"); o.bytes(TMP.ptr, TMP.len); }
    }
    o.byte(0x7D);
    if (ex < 0 && en.exLen > 0) ex = j;
  }
  o.byte(0x5D);
  if (ex >= 0) {
    let en = entryAt(b, ex);
    o.ascii(",\"example\":"); o.jsonString(exampleAt(b, ex), <usize>en.exLen);
  }
}

function emitResolved(t: i32, s: Stream, b: usize, wIdx: i64, n: f64, e: f64, lam: f64, z: f64,
                      episode: i32, adapted: bool, before: f64): void {
  let W = winMs;
  let o = EVENTS.begin("resolved", SEV_INFO, b + OFF_KEY, <usize>s.keyLen);
  o.ascii(",\"resolves\":\""); o.ascii(typeName(t));
  o.ascii("\",\"window_start\":"); o.rfc3339(s.ws);
  o.ascii(",\"window_end\":"); o.rfc3339(s.ws + W);
  let share = t == T_ERROR_SPIKE;
  let value = share ? (n > 0 ? e / n : 0) : perMin(n, 1.0);
  let expected = share ? errShare(s) : perMin(lam, 1.0);
  o.ascii(",\"value\":"); o.fixed(value, share ? 4 : 2);
  o.ascii(",\"expected\":"); o.fixed(expected, share ? 4 : 2);
  o.ascii(",\"score\":"); o.fixed(z, 2);
  o.ascii(",\"duration_windows\":"); o.u64dec(<u64>episode);
  o.ascii(",\"description\":\""); o.ascii(typeName(t));
  if (adapted) {
    // the level the change settled at is learned; say what it was and what was expected before
    o.ascii(" persisted: its level is learned as normal after "); o.u64dec(<u64>episode); o.ascii(" windows (");
    if (share) { o.ascii("now ~"); o.fixed(expected * 100, 1); o.ascii("% errors, was ~"); o.fixed(before * 100, 1); o.ascii("%)"); }
    else { o.ascii("last window "); o.fixed(value, 1); o.ascii("/min, was expecting ~"); o.fixed(before, 1); o.ascii("/min)"); }
  } else {
    o.ascii(" resolved: back to normal after "); o.u64dec(<u64>episode); o.ascii(" windows (");
    if (share) { o.fixed(value * 100, 1); o.ascii("% errors, expected ~"); o.fixed(expected * 100, 1); o.ascii("%)"); }
    else { o.fixed(value, 1); o.ascii("/min, expected ~"); o.fixed(expected, 1); o.ascii("/min)"); }
  }
  o.ascii("\",\"top_templates\":[]");
  EVENTS.end();
}

// Event-time tumbling windows per stream: records counted into them, the checkpoints and the close
// that run the detectors on them (one file each: rate.ts, error_share.ts with error_cusum.ts,
// pattern.ts, novel.ts, baseline_deviation.ts; episodes in episode.ts, events in emit.ts), and
// the models' learning at close.
// Per record: O(1) counter and hash updates (plus a bounded example copy once per template and
// window). Heavy work (tail probabilities, model updates, top-K) happens at window close and at
// three checkpoints inside a window (1/4, 1/2, 3/4 elapsed) that let strong evidence alert early.
import { ByteBuf, floorDiv } from "../core/byte_buf";
import { LEVEL_WARNING, LEVEL_UNKNOWN } from "../core/levels";
import { CFG } from "../core/config";
import { DCFG } from "./dconfig";
import {
  Stream, TEntry, NO_WINDOW, SF_SKIP_FIRST, SF_BASELINE, SF_FLUSHED, SF_RBURST, SF_SILENT, SF_DROPPING,
  T_RATE_SPIKE, T_RATE_DROP, T_ERROR_SPIKE, T_PATTERN_SPIKE, T_NEW_PATTERN, T_BASELINE,
  TF_NOVEL, TF_WARN, TF_FROZEN,
  K, EXB, OFF_KEY, OFF_VIC, winMs, blockOf, tstate, entryAt, howAt, exampleAt,
  lookupStream, findEntryProbe, tbucket, IDXN, OFF_IDX, claimEntry, seenHas, seenAdd, nStreams, ringCnt, ringErr, entCnt, entErr, warm,
} from "./state";
import {
  hourOfWeek, seasonIndex, updateSeasonal, seasonContinuity, SI_LV, neff, predVar, dispInit, dispUpdate, dispPhi, ewmaC, holtForecast,
  alphaErr, alphaDisp, errShare, qHi, qLo, PHI, BETA, ALPHA_FAST,
} from "./model";
import { noteRecord, decayGap, HOST_MS } from "./silence";
import { routineHour, routineCount, routineHours, noiseBar } from "./routine";
import { M_CLOSE, M_CHECK, M_FLUSH, MIN_COUNT, setLook, lookLam } from "./look";
import { endOfWindow } from "./episode";
import { rateLook, zRateSpike, zRateDrop, routineLines } from "./rate";
import { errorLook, errorEpisodeZ } from "./error_share";
import { hourNoiseUp, hourNoiseDown, hourNoiseLearn } from "./hour_noise";
import { cusumZ, errCusumZ, cusumReset, errorRising, RISE_HOLD } from "./error_cusum";
import { patternLook, zPattern, TPL_RISE_HOLD } from "./pattern";
import { warnLearn, warnReset } from "./warn_rise";
import { baselineLook, zBaseline } from "./baseline_deviation";
import { novelRecord, novelEpisodeZ } from "./novel";
import { afterRecordAt } from "./clock";

// ---- window log (Node harness charts) ----
export const WLOG = new ByteBuf(1024);
export let windowLogOn = false;
const WLOG_MAX: usize = 8 << 20;
export function setWindowLog(on: bool): void { windowLogOn = on; if (!on) WLOG.reset(); }

/** A timestamp this many windows away from a stream's windows is a jump... */
const JUMP_WINDOWS: i64 = 10;
/** ... taken only when this many consecutive records agree. */
const JUMP_CONFIRM: i32 = 3;

/** Windows that reached the alert threshold are not learned at all, unless that lasts this many
 *  windows: then learning resumes, winsorised. */
const FREEZE_MAX: i32 = 10;
/** A drop run is kept from the level for at most this many windows, the run test's four (rate.ts
 *  DROP_RUN): long enough for a fall to be judged against the level before it, and no longer (held
 *  for 30, a Twitter series' level stayed above every decline of its trend and paged for hours:
 *  NAB's false positives 126 -> 236). */
const DROP_HOLD: i32 = 4;

// ======================================================================= per record

let MEMO_WS: i64 = i64.MIN_VALUE, MEMO_W: i64 = 0, MEMO_WA: i64 = 0;

/** Counts one record in its stream's window and moves the module clock (clock.ts afterRecord);
 *  returns the stream's index. */
export function onRecord(sp: usize, sl: usize, t: i64, level: u8, isError: bool, slot: i32, id: u64,
                         isNew: bool, mp: usize, ml: usize, sh: u64): i32 {
  let si = lookupStream(sp, sl, true, sh);
  let b = blockOf(si);
  let s = changetype<Stream>(b);
  let W = winMs;
  let ws = s.ws;
  // the common case in one test (`&`: one branch): a stream with windows, t neither far behind
  // nor far ahead of them, and no window to close
  if (<i32>(ws != NO_WINDOW) & <i32>(t >= ws - JUMP_WINDOWS * W) & <i32>(t < ws + (JUMP_WINDOWS + 2) * W) &
      <i32>(t < ws + W + DCFG.lateAllowanceMs)) {
    s.behind = 0;
    s.ahead = 0;
  } else if (ws == NO_WINDOW) {
    // a stream's first record (inline: with many streams taking turns, every record may be one)
    ws = floorDiv(t, W) * W;
    s.ws = ws;
    s.flags |= SF_SKIP_FIRST;
    s.checkpoint = 0;
    if (t >= ws + W + DCFG.lateAllowanceMs) { advance(s, b, t, DCFG.lateAllowanceMs); ws = s.ws; }
  } else {
    t = placeSlow(s, b, t);
    ws = s.ws;
  }
  // (windows change once a minute: skip the two i64 divisions per record)
  if (<i32>(ws != MEMO_WS) | <i32>(W != MEMO_W)) memoWindow(ws, W);
  let inA = t < ws + W;             // also late records (t < ws): they count in the oldest window
  let wi = MEMO_WA + <i64>!inA;
  let r = <i32>(wi & 1);
  if (r) { s.cnt1++; if (isError) s.err1++; else if (level == LEVEL_WARNING) s.warn1++; }
  else { s.cnt0++; if (isError) s.err0++; else if (level == LEVEL_WARNING) s.warn0++; }
  noteRecord(s, b, t);
  if (t > s.lastMs) s.lastMs = t;
  s.lastT = t;
  s.lastHost = HOST_MS;

  if (slot >= 0 || id != 0) {
    // the id in its home slot of the stream's index (`|`: one test; with the slot empty, j = -1
    // reads the block's bytes before the entries, unused), else a probe or a new entry out of line
    let pos = tbucket(id) & (<u32>IDXN - 1);
    let v = <i32>load<u8>(b + OFF_IDX + <usize>pos);
    let j = v - 1;
    if (<i32>(v == 0) | <i32>(entryAt(b, j).id != id)) j = v == 0 ? newEntry(s, b, id, wi, isNew) : entryOrNew(s, b, id, pos, wi, isNew);
    if (j >= 0) {
      let e = entryAt(b, j);
      e.slot = slot;
      if (r) { e.c1++; if (isError) e.e1++; } else { e.c0++; if (isError) e.e0++; }
      if (isError || (level >= LEVEL_WARNING && level != LEVEL_UNKNOWN)) e.flags |= TF_WARN;
      if (e.exWin != wi && EXB > 0 && ml > 0) keepExample(b, j, e, wi, mp, ml);
      novelRecord(s, b, e, j, wi, isError);
    }
  }

  // checkpoints inside the oldest window (at 1/4, 1/2, 3/4 of it): strong evidence need not wait
  // for the close. The next one is due when 4 (t - ws) >= (checkpoint + 1) W: the same test as
  // (t - ws) / W >= (checkpoint + 1) / 4 in f64 (exact quarters, W < 2^52), without a division
  if (<i32>inA & <i32>(t >= ws)) {
    if ((t - ws) << 2 >= <i64>(s.checkpoint + 1) * W && warm(s)) checkpoint(s, b, t, W);
  }
  afterRecordAt(s, t, si);
  return si;
}

/** onRecord's rare cases: a stream's first record, a time jump (behind or ahead of its windows),
 *  windows to close. Returns the time the record is placed at. */
function placeSlow(s: Stream, b: usize, t: i64): i64 {
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
      cusumReset(s);
      warnReset(s);
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
  return t;
}

function memoWindow(ws: i64, W: i64): void { MEMO_WS = ws; MEMO_W = W; MEMO_WA = floorDiv(ws, W); }

/** onRecord's template not in its home slot (pos, another id's): probed for, else a new entry. */
function entryOrNew(s: Stream, b: usize, id: u64, pos: u32, wi: i64, isNew: bool): i32 {
  let j = findEntryProbe(b, id, pos);
  return j >= 0 ? j : newEntry(s, b, id, wi, isNew);
}

/** A template new to this stream's table: new to the stream unless it tracked the id before
 *  (dropped from the bounded table since); from its third day on (two days have shown its own), a
 *  template the miner knows from other streams is new to this one too (the same error line
 *  reaching another service). Returns its entry, or -1 (counted as "other"). */
@inline function newEntry(s: Stream, b: usize, id: u64, wi: i64, isNew: bool): i32 {
  let seen = seenHas(b, id);
  let j = claimEntry(s, b, id);
  if (j >= 0) {
    seenAdd(b, id);
    let e = entryAt(b, j);
    e.firstWin = wi;
    if (warm(s) && (isNew || (!seen && <f64>s.windows * <f64>winMs >= 2 * 86400000.0))) e.flags |= TF_NOVEL;
  }
  return j;
}

/** A checkpoint is due in the oldest window (t in it): runs the detectors on it. */
function checkpoint(s: Stream, b: usize, t: i64, W: i64): void {
  let f = <f64>(t - s.ws) / <f64>W;
  let cp = f >= 0.75 ? 3 : f >= 0.5 ? 2 : f >= 0.25 ? 1 : 0;
  if (cp > s.checkpoint) {
    s.checkpoint = cp;
    evaluate(s, b, f, M_CHECK);
  }
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
      cusumReset(s);
      warnReset(s);
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
    WLOG.ascii(",\"error_cusum\":"); WLOG.fixed(errCusumZ(s), 2);
    WLOG.ascii(",\"warn_cusum\":"); WLOG.fixed(cusumZ(s.cW, 1), 2);
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

function learn(s: Stream, b: usize, r: i32, anom: i32): void {
  let n = <f64>ringCnt(s, r);
  let rtx = routineLines;
  routineLines = 0;
  let e = <f64>ringErr(s, r);
  let h = hourOfWeek(s.ws);
  let si = seasonIndex(s, b, s.ws + (winMs >> 1));
  let lvLearned = SI_LV;
  let y = n / si;
  let k = <f64>s.windows;
  let alpha = DCFG.alpha;
  let warmup = <f64>DCFG.warmupWindows;
  // models do not learn from anomalous windows nor during an ongoing episode (they adapt to a
  // lasting change through adapt() after adapt_windows instead)
  let rs = tstate(b, T_RATE_SPIKE), rd = tstate(b, T_RATE_DROP), es = tstate(b, T_ERROR_SPIKE);
  // nor a window inside a silence that alerted: the outage is the silence detector's incident, not
  // the stream's new level (learned, a sparse stream's level fell to an eighth in twenty empty
  // windows, and its return read as a rate spike)
  let rateAnom = (anom & 1) != 0 || (rs.active != 0 && rs.normal == 0) || (rd.active != 0 && rd.normal == 0) ||
                 (s.flags & SF_SILENT) != 0 ||
  // nor a run of drop windows that leans to a drop (rate.ts), its first DROP_HOLD windows
                 ((s.flags & SF_DROPPING) != 0 && s.dRun <= DROP_HOLD);
  // nor a slow rise the error CUSUM is accumulating (for up to RISE_HOLD windows, errorRising)
  let errAnom = (anom & 2) != 0 || (es.active != 0 && es.normal == 0) || errorRising(s);
  // the noise level (a second moment) learns only from windows outside any episode
  let rateDisp = !rateAnom && rs.active == 0 && rd.active == 0;
  // (nor while an error CUSUM stands at the threshold: a rise of sparse errors, learned as noise,
  // lifted a stream's over-dispersion from 0 to 30-40 within it and stalled its own CUSUM)
  let errDisp = es.active == 0 && errCusumZ(s) < CFG.threshold;

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
      let v0 = s.pLam >= 0 ? s.pV0 : m;
      let nc = n;
      let hi = qHi(m, v0 * hourNoiseUp(s, b)), lo = qLo(m, v0 * hourNoiseDown(s, b));
      if (nc > hi) nc = hi;
      if (nc < lo) nc = lo;
      if (nc < 0) nc = 0;
      if (rateDisp) {
        // the hour's scales learn against the stream-wide model's variance (v0, without them)
        hourNoiseLearn(s, b, nc - m, m, v0);
        dispUpdate(rDisp, nc, m, alphaDisp());
      }
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
    let p = errShare(s);
    let m = p * n;
    let ec = e;
    let hi = qHi(m, s.pLam >= 0 ? s.pVe : m);
    if (ec > hi) ec = hi;
    // the noise level learns from every window outside an episode, an unusual one winsorised:
    // leaving out the top few percent (anomalous or rising windows) would teach a variance too
    // small, and every over-dispersed tail would then read as an incident
    if (errDisp) dispUpdate(eDisp, ec, m, alphaDisp());
    if (!errAnom) {
      s.eN = (1 - ae) * s.eN + ae * n;
      s.eE = (1 - ae) * s.eE + ae * ec;
    }
    s.eFN = ALPHA_FAST * n + (1 - ALPHA_FAST) * s.eFN;
    s.eFE = ALPHA_FAST * e + (1 - ALPHA_FAST) * s.eFE;
  }
  // warning share (warn_rise.ts)
  warnLearn(s, n, <f64>(r ? s.warn1 : s.warn0), k < warmup || k < 2, k);

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
  // an anomalous window teaches the profile only its clipped count, and so does a burst the
  // benign-burst mixture excused: usual bursts do not alert, but an hour that once held one is
  // not a busier hour (a lifted index reads every ordinary window of that hour as a drop)
  // A routine's burst (routine.ts) likewise: it is its template's hour, excused as such, and a
  // template that bursts at random hours (spam) has a "routine" at most of them, whose bursts,
  // learned in full, lift those hours' index (every ordinary window there then reads as a drop)
  if (anom != 0 || (s.flags & SF_RBURST) != 0 || rtx > 0) {
    if (s.pLam < 0) np = -1;
    else {
      let hi = qHi(s.pLam, s.pV0 * hourNoiseUp(s, b)), lo = qLo(s.pLam, s.pV);
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
  seasonContinuity(s, b, s.ws + (W >> 1), s.ws + W + (W >> 1), lvLearned);
  s.windows++;
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
  let si = seasonIndex(s, b, s.ws + (W >> 1));
  // what every detector shares (look.ts); each also pools the previous closed window with this
  // one (s.pLam >= 0): an incident that began late in the previous window then shows its full
  // strength one window earlier
  setLook(mode, f, wIdx, n, e, si, neff(<f64>s.windows, DCFG.alpha), holtForecast(s) * si,
          routineHours(s.ws), s.pLam >= 0);
  // in this order: the pattern detector reads the rate's spike evidence, and each carries its
  // window over to the next look at close after its own decision
  let anom = rateLook(s, b);
  anom |= errorLook(s, b);
  anom |= patternLook(s, b);
  anom |= baselineLook(s, b);

  if (mode == M_CLOSE) {
    let lam = lookLam;
    endOfWindow(s, b, T_RATE_SPIKE, zRateSpike, wIdx, n, e, lam, f);
    endOfWindow(s, b, T_RATE_DROP, zRateDrop, wIdx, n, e, lam, f);
    endOfWindow(s, b, T_ERROR_SPIKE, errorEpisodeZ(e), wIdx, n, e, lam, f);
    endOfWindow(s, b, T_PATTERN_SPIKE, zPattern, wIdx, n, e, lam, f);
    endOfWindow(s, b, T_BASELINE, zBaseline, wIdx, n, e, lam, f);
    endOfWindow(s, b, T_NEW_PATTERN, novelEpisodeZ(s, b, r), wIdx, n, e, lam, f);
  }
  return anom;
}

// Silence: a stream that stops logging while the module clock (clock.ts) moves on. A dead service
// writes no line that could carry the news, so this detector runs from the clock's sweep, and its
// alert rides on whatever record (any stream's, or a heartbeat) is being processed.
//
// Evidence: the records the stream's model expected in the gap since its last record,
// mu = expected per window x gap / window, and the probability of none under the same
// over-dispersed count model as the rate detectors (negative binomial: (1 + phi mu)^(-1/phi)).
// Guards against quiet that is normal for the stream: the gap must exceed
//  - one and a half windows plus the late allowance (shippers read files in chunks; a deploy's restart or
//    a rotation pauses a stream for tens of seconds),
//  - twice the longest gap the stream showed lately (sub-window burstiness: a job that logs in
//    bursts every 20 s is quiet 19 s at a time), and
//  - 1.5 x the longest gap seen at this hour of day on earlier days (routines: log rotation at
//    midnight, a nightly restart).
import { CFG } from "../core/config";
import { EVENTS, SEV_INFO, SEV_WARNING, SEV_CRITICAL } from "../core/events";
import { floorDiv } from "../core/byte_buf";
import { DCFG } from "./dconfig";
import { Stream, T_SILENCE, SF_SILENT, OFF_KEY, winMs, tstate, gapAt } from "./state";
import { seasonIndex, holtForecast, dispPhi, ewmaC, hourOfDay } from "./model";
import { zOfUpperP } from "./stats";

/** Per closed window, the learned sub-window gap decays by this (half-life ~70 windows). */
const GAP_DECAY: f64 = 0.99;
/** Per day, the per-hour routine gaps of earlier days decay by this. */
const DAY_DECAY: f32 = 0.8;
/** Records closer than this belong to one arrival (one event's lines written together). */
const ARRIVAL_GAP_MS: i64 = 1000;
/** Weight of the latest arrival in the mean records per arrival. */
const ARRIVAL_ALPHA: f64 = 0.05;
/** A silence that lasts this many windows is critical (a dead service, not a hiccup). */
const CRITICAL_WINDOWS: i64 = 5;


/** Latest host time (ms) the Fluent Bit entry passed (the time Fluent Bit gave the record: the
 *  time it read it, unless a parser set it); i64.MIN_VALUE on the batch path, which has none. */
export let HOST_MS: i64 = i64.MIN_VALUE;
export function setHostTime(ms: i64): void { if (ms > HOST_MS) HOST_MS = ms; }
/** Forgets the host time and the last joint alert (detectReset). */
export function resetSilence(): void { HOST_MS = i64.MIN_VALUE; jLast = i64.MIN_VALUE; RESUMED = false; rB = 0; }

/** Called for every record of a stream before lastMs moves to t: learns the gap that ended, and
 *  ends an open silence episode (a `resolved` event), and counts arrivals (records under a second
 *  apart are one: a stream that writes its lines in bunches is silent by bunches, not by lines). Per
 *  record this is a subtraction and a few compares: only a gap of an eighth of a window or more can matter to a silence test (its floor is
 *  1.5 windows) and pays for the hour-of-day bookkeeping. */
export function noteRecord(s: Stream, b: usize, t: i64): void {
  if (t <= s.lastMs || s.lastMs == i64.MIN_VALUE) { s.aRun += 1; return; }
  let gap = t - s.lastMs;
  // an arrival spans at most ARRIVAL_GAP_MS from its first record: a stream writing steadily
  // twice a second is two records per arrival, not one endless arrival
  if (t - s.aStart < ARRIVAL_GAP_MS) s.aRun += 1;
  else {
    s.aStart = t;
    // an arrival ended: its records join the mean size of one
    let a = s.aRun + 1;
    s.aSize = s.aSize == 0 ? a : s.aSize + (a - s.aSize) * ARRIVAL_ALPHA;
    s.aRun = 0;
  }
  if (gap < (winMs >> 3) && (s.flags & SF_SILENT) == 0) {
    if (<f64>gap > s.gMax) s.gMax = <f64>gap;
    return;
  }
  longGap(s, b, t, gap);
}

function longGap(s: Stream, b: usize, t: i64, gap: i64): void {
  if (gap >= resumeMs()) { RESUMED = true; rB = b; rLast = s.lastMs; }
  // a silence nothing reported while it lasted (no other stream, no heartbeat moved the clock,
  // as in a one-file replay) is reported now, late, before it ends
  if ((s.flags & SF_SILENT) == 0) checkSilence(s, b, t, true);
  s.silLev = 0;
  toDayOf(s, b, s.lastMs);
  let st = tstate(b, T_SILENCE);
  let alerted = (s.flags & SF_SILENT) != 0;
  // every gap counts for each hour of day it spans (a routine is learned from its first day on:
  // a stream quiet every night from 23:00 to 07:00 is routinely quiet at 02:00 too, though none
  // of its gaps starts then); only gaps that did not alert count as the stream's ordinary
  // sub-window quiet
  let h = hourOfDay(s.lastMs);
  let hs = h;
  let span = floorDiv(t, 3600000) - floorDiv(s.lastMs, 3600000);
  if (span > 23) span = 23;
  for (let k: i64 = 0; k <= span; k++) {
    let p = gapAt(b, hs, false);
    if (<f32>gap > load<f32>(p)) store<f32>(p, <f32>gap);
    hs = hs == 23 ? 0 : hs + 1;
  }
  // a gap as long as this hour's routine ones (and longer than the usual quiet) is not a drop of
  // the window it ends in, nor what the stream's usual quiet is
  let routine = <f64>max(load<f32>(gapAt(b, h, true)), load<f32>(gapAt(b, hourOfDay(t), true)));
  let isRoutine = <f64>gap <= 1.5 * routine;
  // only a routine that stands out from the stream's other hours (a rotation) excuses a drop: any
  // hour's longest gap on earlier days is at least its ordinary gaps' extreme, and a drop to a
  // quarter stretches every gap that far (a daemon's fall to a quarter read as routine gaps)
  if (!alerted && isRoutine && <f64>gap > 2.0 * s.gMax && standsOut(b, routine)) {
    let W = winMs;
    let wIdx = floorDiv(t, W);
    let inWin = t - wIdx * W;
    s.excuseWin = wIdx;
    s.excuseMs = gap < inWin ? gap : inWin;
  } else if (!alerted && !isRoutine && <f64>gap > s.gMax) s.gMax = <f64>gap;   // a night's quiet is not the usual quiet
  if (alerted) emitEnd(s, b, t, gap);
  st.active = 0;
  st.alerted = 0;
  s.flags &= ~SF_SILENT;
}

/** Does an hour's longest gap on earlier days (routine) stand out from the stream's other hours
 *  (over twice their mean)? A rotation's pause does; the extremes of ordinary gaps do not. */
function standsOut(b: usize, routine: f64): bool {
  let sum: f64 = 0;
  for (let h = 0; h < 24; h++) sum += <f64>load<f32>(gapAt(b, h, true));
  return routine > 2 * sum / 24;
}

/** A gap belongs to the hour and day it started in: when that day is a new one, the per-hour
 *  gaps gathered so far become earlier days'. */
function toDayOf(s: Stream, b: usize, ms: i64): void {
  let day = floorDiv(ms, 86400000);
  if (day != s.gapDay) rollDays(b, day - s.gapDay);
  s.gapDay = day;
}

/** New day(s): today's per-hour gaps join the earlier days' (decayed) maxima. */
function rollDays(b: usize, days: i64): void {
  if (days <= 0) return;
  let d: f32 = days > 8 ? 0.0 : <f32>Math.pow(<f64>DAY_DECAY, <f64>days);
  for (let h = 0; h < 24; h++) {
    let pt = gapAt(b, h, false), pp = gapAt(b, h, true);
    let today = load<f32>(pt);
    let prev = load<f32>(pp) * d;
    store<f32>(pp, today > prev ? today : prev);
    store<f32>(pt, 0);
  }
}

/** Share of window wIdx that a routine gap excuses (0..1). */
@inline export function excused(s: Stream, wIdx: i64): f64 {
  return s.excuseWin == wIdx ? <f64>s.excuseMs / <f64>winMs : 0;
}

/** At each closed window: the sub-window gap estimate forgets slowly. */
@inline export function decayGap(s: Stream): void { s.gMax *= GAP_DECAY; }

/** A stream in its first two days: its gaps by hour are one or two nights' worth, not routines. */
@inline function youngStream(s: Stream): bool { return <f64>s.windows * <f64>winMs < 2 * 86400000.0; }

/** The shortest gap judged a silence: half a window (plus the late allowance while it lasts). */
@inline export function shortFloorMs(): i64 { return (winMs >> 1) + DCFG.lateAllowanceMs; }

/** Look at a stream's quiet since lastMs up to now (the clock's sweep, or the record that ends
 *  the gap: ended): is it a silence? */
export function checkSilence(s: Stream, b: usize, now: i64, ended: bool): void {
  if (!DCFG.silence || s.lastMs == i64.MIN_VALUE) return;
  if (<i32>s.windows < DCFG.warmupWindows) return;
  let W = winMs;
  let gap = now - s.lastMs;
  // a gap shorter than 1.5 windows is a short silence: a busy stream's 30-second outage. A record
  // that ends it proves it; while it lasts, records may still be on their way (late allowance).
  let floorMs = W + (W >> 1) + DCFG.lateAllowanceMs;
  let short = gap < floorMs;
  let shortMs: i64 = ended ? W >> 1 : shortFloorMs();
  if (short && gap < shortMs) return;
  if (<f64>gap < 2.0 * s.gMax) return;
  toDayOf(s, b, s.lastMs);
  let h0 = hourOfDay(s.lastMs), h1 = hourOfDay(now);
  let routine = <f64>max(load<f32>(gapAt(b, h0, true)), load<f32>(gapAt(b, h1, true)));
  // in its first two days a stream's gaps by hour are one or two nights' worth: any hour's longest
  // gap so far may be routine (a sparse daemon's first quiet morning); a busy stream's are short
  let young = youngStream(s);
  if (young) {
    for (let h = 0; h < 24; h++) {
      let g = <f64>max(load<f32>(gapAt(b, h, true)), load<f32>(gapAt(b, h, false)));
      if (g > routine) routine = g;
    }
  }
  if (<f64>gap < 1.5 * routine) return;
  // a short one only in its third day on, at hours with no routine quiet on earlier days (a
  // rotation pauses a stream for 10-60 s, at the same hour but not for the same time)
  if (short && (young || routine >= <f64>(W >> 3))) return;
  let logP = gapLogP(s, b, now);
  let mu = GAP_MU;
  let z = logP < -700 ? zOfUpperP(0) : zOfUpperP(Math.exp(logP));
  // a run of empty looks is a single first-passage test: it must clear the strong bar
  if (!(z >= CFG.threshold * 1.5)) return;
  raise(s, b, now, gap, mu, z, 1);
}

/** A silence of stream s (k streams silent together when k > 1): the episode's alert decision
 *  (one per silence unless it escalates, cooldown) and the event. */
function raise(s: Stream, b: usize, now: i64, gap: i64, mu: f64, z: f64, k: i32): void {
  let W = winMs;
  let st = tstate(b, T_SILENCE);
  let wIdx = floorDiv(now, W);
  let sev: i32 = gap >= CRITICAL_WINDOWS * W ? SEV_CRITICAL : SEV_WARNING;
  if (st.active == 0) {
    st.active = 1;
    st.alerted = 0;
    st.startWin = wIdx;
    st.episode = 0;
    st.normal = 0;
  }
  if (st.alerted != 0) {
    if (sev <= <i32>st.sev) return;                  // same silence, no escalation
  } else if (wIdx - st.lastAlertWin < <i64>DCFG.cooldownWindows && sev <= <i32>st.sev) {
    return;                                           // a recent silence alert: stay quiet
  }
  st.alerted = 1;
  s.flags |= SF_SILENT;
  st.sev = <u8>sev;
  st.lastAlertWin = wIdx;
  st.lastScore = z;
  emitSilence(s, b, now, gap, mu, z, sev, k);
}


// ---- streams silent together. A service or host that stops takes all its streams with it: each
// alone may be too slow to show a half-minute outage (a daemon at 0.3 records/s expects 9 records
// in 30 s, z 3.7), together they may expect more than enough. Each swept stream (third day on, at an
// hour whose longest gaps on earlier days do not stand out) has evidence L = -ln P(no arrival in
// JOINT_MS) under its count model, and X sums L over the streams that had none. A fleet of slow
// streams is always partly quiet, and only quiet beyond that churn counts: under independence a
// stream joins with probability e^-L, and X's tail is the Chernoff bound min over t of
// e^(K(t) - t x), K(t) = sum of ln(1 - e^-L + e^(-(1-t) L)) over every swept stream, refined by
// 1/(t sqrt(2 pi K''(t))) (Bahadur-Rao: the bound alone overstates the tail 3-10x, about one z;
// within 0.1 z of the exact tail on the fleet's sweeps). (Each stream's whole quiet instead of a
// common span, exponential above L: slow streams' long ordinary gaps weigh in with it, and the
// churn's heavier tail cost more than the longer span gained.) At the strong bar the quiet stream
// that weighs most carries the alert.
const JT: StaticArray<f64> = [0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95];
const NJ = 8;
const jK1 = new StaticArray<f64>(8);
const jK2 = new StaticArray<f64>(8);
let jX: f64 = 0;
let jK: i32 = 0;
let jBest: usize = 0;
let jBestL: f64 = 0;
/** Clock time of the last joint alert: one per window (the streams of an outage stay quiet over
 *  several sweeps, and each sweep would name another of them). */
let jLast: i64 = i64.MIN_VALUE;

/** The span the joint test looks back over: a third of a window (the sweep runs every quarter
 *  window at most 10 s, so a half-minute outage is seen at 20 s and more). */
@inline export function jointMs(): i64 { return winMs / 3; }

/** ... and when a stream's record ends a gap of half a window or more, one extra sweep at once
 *  looks back over half a window (resumeMs): a service back from a half-minute outage resumes
 *  its streams within a second, and the first one back finds the others still quiet for the
 *  whole outage, where the periodic sweep saw at most 20 s of it (a daemon's expectation of 10-15
 *  records then weighs half as much again). The stream that resumed counts as quiet over the
 *  span, and the p-value pays for the looks the data chose (jointEnd). */
@inline export function resumeMs(): i64 { return winMs >> 1; }

/** Set by a record that ended a gap of resumeMs or more (noteRecord): the clock sweeps at once.
 *  rB, rLast: that stream and its last record before the gap. */
export let RESUMED: bool = false;
let rB: usize = 0;
let rLast: i64 = 0;
export function clearResumed(): void { RESUMED = false; }

/** Is the gap that just ended worth a resumption sweep: the stream was unlikely to be quiet so
 *  long (RESUME_MIN_L) and may take part in the joint test? (Checked before the sweep starts:
 *  a fleet of slow streams ends an ordinary 30 s gap every few seconds.) */
export function resumeWorthy(now: i64): bool {
  if (!RESUMED || rB == 0 || !DCFG.silence) return false;
  let s = changetype<Stream>(rB);
  if (<i32>s.windows < DCFG.warmupWindows || youngStream(s)) return false;
  let W = winMs;
  let gap = now - rLast;
  if (gap < resumeMs() || gap >= W + (W >> 1) + DCFG.lateAllowanceMs) return false;
  return -spanLogP(s, rB, now, resumeMs()) >= RESUME_MIN_L;
}

/** The span of the sweep under way, the sweeps' period, and the evidence of the stream that
 *  resumed (a resumption sweep). */
let jSpan: i64 = 0;
let jPeriod: i64 = 0;
let jTrigL: f64 = 0;
/** A resumption sweep whose stream's own quiet was ordinary looks no further. */
let jBlocked = false;
/** The stream that resumed must have been unlikely to be quiet so long (-ln P, P <= ~22%): a slow
 *  stream's 30 s gaps are ordinary (a fleet of them ends one every few seconds) and tell nothing
 *  of the others. */
const RESUME_MIN_L: f64 = 1.5;

/** Start of a sweep looking back over span ms (sweeps every period ms): nothing gathered yet. A
 *  resumption sweep (span resumeMs) counts the stream that resumed as quiet over the span. */
export function jointBegin(span: i64, period: i64, now: i64): void {
  jSpan = span; jPeriod = period; jTrigL = 0; jBlocked = false;
  jX = 0; jK = 0; jBest = 0; jBestL = 0;
  for (let i = 0; i < NJ; i++) { unchecked(jK1[i] = 0); unchecked(jK2[i] = 0); }
  if (span != jointMs()) {
    jBlocked = true;                  // unless the stream that resumed counts
    if (rB != 0) jointAdd(changetype<Stream>(rB), rB, now, i64.MAX_VALUE, rLast, true);
  }
}

/** In the sweep: stream s's share of the joint test (its chance to be quiet, and its quiet). */
export function jointAdd(s: Stream, b: usize, now: i64, hostQuiet: i64, last: i64, trig: bool): void {
  if (!DCFG.silence || s.lastMs == i64.MIN_VALUE || (s.flags & SF_SILENT) != 0) return;
  if (<i32>s.windows < DCFG.warmupWindows) return;
  let W = winMs;
  if (youngStream(s)) return;
  let gap = now - last;
  // long gaps are the single-stream test's
  if (gap >= W + (W >> 1) + DCFG.lateAllowanceMs) return;
  toDayOf(s, b, s.lastMs);
  // a routine quiet at this hour (a rotation) stands out from the stream's other hours; a slow
  // stream's hourly longest gaps are all long, and its evidence weighs its ordinary gaps already
  let span = jSpan;
  let routine = <f64>max(load<f32>(gapAt(b, hourOfDay(now - span), true)), load<f32>(gapAt(b, hourOfDay(now), true)));
  if (routine >= <f64>(W >> 3) && standsOut(b, routine)) return;
  let L = -spanLogP(s, b, now, span);
  if (!(L > 0)) return;
  // log E[e^(tX)] of the stream's share (L with probability e^-L) and its second derivative
  let q = Math.exp(-L);
  for (let i = 0; i < NJ; i++) {
    let e = q * Math.exp(jT(i) * L);
    let M = 1 - q + e;
    let p = e / M;
    unchecked(jK1[i] += Math.log(M));
    unchecked(jK2[i] += L * L * p * (1 - p));
  }
  if (hostQuiet >= span && gap >= span) {
    if (trig && L < RESUME_MIN_L) return;
    jX += L;
    jK++;
    // (the stream that resumed is not silent: the alert is another's)
    if (trig) { jTrigL = L; jBlocked = false; }
    else if (L > jBestL) { jBestL = L; jBest = b; }
  }
}

@inline function jT(i: i32): f64 { return unchecked(JT[i]); }

/** End of a sweep: two or more streams quiet together beyond the fleet's churn, at the strong bar. */
export function jointEnd(now: i64): void {
  if (jK < 2 || jBest == 0 || jBlocked) return;
  let lp: f64 = 0, k2: f64 = 0, tb: f64 = 0;
  for (let i = 0; i < NJ; i++) {
    let v = -jT(i) * jX + unchecked(jK1[i]);
    if (v < lp) { lp = v; k2 = unchecked(jK2[i]); tb = jT(i); }
  }
  // Bahadur-Rao: the tail is the bound over t sqrt(2 pi K''), where that is over 1
  if (tb > 0 && k2 > 0) { let c = Math.log(tb * Math.sqrt(2 * Math.PI * k2)); if (c > 0) lp -= c; }
  // A resumption sweep looks at a time the data chose: right after a stream's gap of half a
  // window ended, which happens about lambda x period times as often as a periodic sweep for a
  // stream of lambda arrivals a second, each time counting that stream as quiet; and two spans are
  // looked at. Its p-value is multiplied by both (lambda x period = L x period / span).
  if (jSpan != jointMs()) {
    lp += Math.LN2;
    let m = jTrigL * <f64>jPeriod / <f64>jSpan;
    if (m > 1) lp += Math.log(m);
  }
  let z = lp < -700 ? zOfUpperP(0) : zOfUpperP(Math.exp(lp));
  if (!(z >= CFG.threshold * 1.5)) return;
  if (jLast != i64.MIN_VALUE && now - jLast < winMs) return;
  jLast = now;
  let s = changetype<Stream>(jBest);
  let gap = now - s.lastMs;
  gapLogP(s, jBest, now); // GAP_MU: the records its whole gap expected
  raise(s, jBest, now, gap, GAP_MU, z, jK);
}

/** log P(no arrival in the last span ms) for stream s at its current expected rate. */
function spanLogP(s: Stream, b: usize, now: i64, span: i64): f64 {
  let mu = holtForecast(s) * seasonIndex(s, b, now) * <f64>span / <f64>winMs;
  let per = s.aSize > 1 ? s.aSize : 1.0;
  return nbZeroLogP(s, mu / per);
}

/** Records the gap's expectation came to (set by gapLogP). */
let GAP_MU: f64 = 0;

/** log P(no arrival since the stream's last record up to now) under its over-dispersed count
 *  model; GAP_MU = the records expected in the gap. */
function gapLogP(s: Stream, b: usize, now: i64): f64 {
  let W = winMs;
  // records expected in the gap: the rate integrated over it, hour by hour (a gap that began in
  // the evening and runs into the night expects the evening's records, not the night's)
  // the level from before the gap: its empty windows are learned as it lasts, and a silence
  // judged against a level that learned it would never be one
  if (s.silLev <= 0) s.silLev = holtForecast(s);
  let lev = s.silLev;
  let mu: f64 = 0;
  let t0 = s.lastMs;
  let steps = 0;
  while (t0 < now && steps < 48) {
    let t1 = t0 + 3600000 < now ? t0 + 3600000 : now;
    mu += lev * seasonIndex(s, b, t0 + ((t1 - t0) >> 1)) * <f64>(t1 - t0) / <f64>W;
    t0 = t1; steps++;
  }
  if (t0 < now) mu += lev * <f64>(now - t0) / <f64>W;
  GAP_MU = mu;
  // ... and judged as arrivals: none of mu / size bunches came
  let per = s.aSize > 1 ? s.aSize : 1.0;
  return nbZeroLogP(s, mu / per);
}

/** log P(0) of the stream's over-dispersed count model with mean muA: (1 + phi muA)^(-1/phi). */
function nbZeroLogP(s: Stream, muA: f64): f64 {
  let phi = dispPhi(changetype<usize>(s) + offsetof<Stream>("rD"), ewmaC(<f64>s.windows, DCFG.alpha * 0.1));
  let fl = DCFG.noiseFloor * DCFG.noiseFloor;
  if (phi < fl) phi = fl;
  return -Math.log1p(phi * muA) / phi;
}

function emitSilence(s: Stream, b: usize, now: i64, gap: i64, mu: f64, z: f64, sev: i32, k: i32): void {
  let W = winMs;
  let o = EVENTS.begin("silence", <u8>sev, b + OFF_KEY, <usize>s.keyLen);
  o.ascii(",\"window_start\":"); o.rfc3339(floorDiv(s.lastMs, W) * W);
  o.ascii(",\"window_end\":"); o.rfc3339(floorDiv(now, W) * W + W);
  o.ascii(",\"partial\":true");
  o.ascii(",\"value\":0,\"expected\":"); o.fixed(mu, 2);
  o.ascii(",\"score\":"); o.fixed(z, 2);
  o.ascii(",\"window_records\":0,\"window_errors\":0");
  o.ascii(",\"last_record\":"); o.rfc3339(s.lastMs);
  o.ascii(",\"silent_seconds\":"); o.u64dec(<u64>(gap / 1000));
  if (k > 1) { o.ascii(",\"streams_silent\":"); o.u64dec(<u64>k); }
  o.ascii(",\"description\":\"Stream silent: no records for "); o.u64dec(<u64>(gap / 1000));
  o.ascii(" s (expected ~"); o.fixed(mu, 1); o.ascii(" by now, usually at most ");
  o.u64dec(<u64>(s.gMax / 1000)); o.ascii(" s between records, z="); o.fixed(z, 1);
  if (k > 1) { o.ascii("; silent together with "); o.u64dec(<u64>(k - 1)); o.ascii(k > 2 ? " other streams" : " other stream"); }
  o.ascii(")\",\"top_templates\":[]");
  EVENTS.end();
}

function emitEnd(s: Stream, b: usize, t: i64, gap: i64): void {
  let W = winMs;
  let st = tstate(b, T_SILENCE);
  let o = EVENTS.begin("resolved", SEV_INFO, b + OFF_KEY, <usize>s.keyLen);
  o.ascii(",\"resolves\":\"silence\"");
  o.ascii(",\"window_start\":"); o.rfc3339(floorDiv(t, W) * W);
  o.ascii(",\"window_end\":"); o.rfc3339(floorDiv(t, W) * W + W);
  o.ascii(",\"value\":1,\"expected\":1,\"score\":"); o.fixed(st.lastScore, 2);
  let dw = (gap + W - 1) / W;
  o.ascii(",\"duration_windows\":"); o.u64dec(<u64>dw);
  o.ascii(",\"silent_seconds\":"); o.u64dec(<u64>(gap / 1000));
  o.ascii(",\"description\":\"silence resolved: records again after "); o.u64dec(<u64>(gap / 1000));
  o.ascii(" s\",\"top_templates\":[]");
  EVENTS.end();
}

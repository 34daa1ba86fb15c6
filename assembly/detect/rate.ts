// rate_spike and rate_drop: the window's record count against the stream's expected volume
// (damped Holt on the deseasonalised count, over-dispersed NB tail, benign-burst mixture), each
// also pooled with the previous window (an incident that began late in the previous window then
// shows its full strength one window earlier).
import { CFG } from "../core/config";
import { DCFG } from "./dconfig";
import {
  Stream, SF_RBURST, SF_SEASONAL, SF_DROPPING, T_RATE_SPIKE, T_RATE_DROP, TF_NOVEL, tstate, entryAt, entCnt, entErr, howAt, winMs,
} from "./state";
import { predVar, dispPhi, ewmaC, alphaDisp, errShare, burstStep, mixZ, hourOfWeek, dayKindStarts, BP, BB } from "./model";
import { zUpper, zLower } from "./stats";
import { excused } from "./silence";
import { hourNoiseUp, hourNoiseDown } from "./hour_noise";
import { routineMax, noiseBar, ROUTINE_SLACK } from "./routine";
import { decide } from "./episode";
import { emit, perMin, TOP_EXCESS, TOP_DEFICIT } from "./emit";
import {
  M_CLOSE, M_FLUSH, MIN_COUNT, YOUNG_WINDOWS, lookMode, lookClose, lookPart, lookF, lookWIdx, lookR,
  lookN, lookE, lookSi, lookNw, lookLamFull, lookLam, lookHH, lookPv,
} from "./look";

/** A template is rare in its stream below this many lines per window and this share of it. */
const RARE_MEAN: f64 = 0.1;
const RARE_SHARE: f64 = 0.05;

/** A drop of volume alone alerts on its pooled evidence once it has lasted this many windows
 *  (this one included): a deploy's two-minute dip touches at most four, and only its middle ones
 *  fall below the guard. */
const DROP_RUN: i32 = 4;
/** ... and has fallen to a third or less over the run: a first weekend at 40% of the weekdays
 *  (weekly seasonality is not known in a stream's first week) is not an incident. */
const RUN_RATIO: f64 = 3.0;
/** A window at this fraction of its expectation or less is deep in a drop (a deep run). */
const DEEP_RATIO: f64 = 2.0;
/** A run of two or more drop windows whose pooled evidence reaches this z leans to a drop: the
 *  level is not learned from it (window.ts), else it follows the drop down within ten windows
 *  and neither the windows nor the run ever stand out. Two windows below the guard that pooled
 *  lean this far are rare in ordinary noise (~2%), so holding them biases the level little. */
const LEAN_Z: f64 = 2.0;

/** The first time a stream crosses into a weekend or back into the week (the first hour of a
 *  Saturday or a Monday, UTC, that it has never seen, with a day of history behind it), its level
 *  for the new kind of day is unknown: weekends at 40% of the weekdays are a step at midnight that
 *  no profile foresaw yet. Volume alone does not alert in that hour, and no drop run starts in it;
 *  the level learns the new day's as usual. Errors, patterns and silences are judged as always. */
function calendarStep(s: Stream, b: usize): bool {
  let h = hourOfWeek(s.ws);
  if (!dayKindStarts(h)) return false;
  return <f64>s.windows * <f64>winMs >= 86400000.0 && howAt(b, h).w * <f64>winMs < 3600000.0;
}

/** Lines of the closed window that routines excused beyond their templates' usual: when there are
 *  any, learn() teaches the hour's profile only the window's clipped count (a routine's burst is
 *  its template's hour, not the stream's). */
export let routineLines: f64 = 0;

/** This look's spike and drop evidence (the window's own, not pooled): episodes at close. */
export let zRateSpike: f64 = 0;
export let zRateDrop: f64 = 0;

/** Runs the rate detectors on this look (look.ts); at close also carries the window's counts and
 *  expectation over to the next look (pooling) and learns its bursts. Returns 1 when anomalous. */
export function rateLook(s: Stream, b: usize): i32 {
  let f = lookF, mode = lookMode, close = lookClose, part = lookPart;
  let wIdx = lookWIdx, r = lookR, n = lookN, e = lookE;
  let si = lookSi, nw = lookNw, lamFull = lookLamFull, lam = lookLam, pv = lookPv;
  let thr = CFG.threshold;
  let minEv = <f64>CFG.minEvents;
  let anom = 0;

  let phiR = dispPhi(changetype<usize>(s) + offsetof<Stream>("rD"), ewmaC(<f64>s.windows, alphaDisp()));
  // the stream's noise at this hour of day (hour_noise.ts), each side its own, scales every
  // variance below: kU the spike tests', kH the drop tests'
  let kU = hourNoiseUp(s, b), kH = hourNoiseDown(s, b);
  let V0 = predVar(lam, phiR, nw);
  let V = V0 * kH;
  let zs: f64 = 0, zd: f64 = 0, zs2: f64 = 0, zd2: f64 = 0, zsNB: f64 = 0, zRun: f64 = 0;
  // Lines of templates first seen in this window (a deploy's start-up banner) are not counted as
  // a volume spike: a print-once is benign, and a new line that stays chatty counts from its next
  // window (a new error flood is the error and new_pattern detectors' case).
  // Likewise a routine (a template's usual burst at this hour of day) and the lines of templates
  // that are rare in this stream and not errors (the same deploy banner printed again): their
  // volume is expected or benign; the pattern and error detectors still see them.
  let hh = lookHH;
  let nov: f64 = 0, rareExp: f64 = 0, rtx: f64 = 0;
  for (let j = 0; j < s.nEntries; j++) {
    let en = entryAt(b, j);
    // rare templates are left out of both sides of the test: their lines here and their share
    // of the expectation (a stream of many rare templates still shows a surge in the rest)
    let rare = en.nobs > 0 && en.mean < RARE_MEAN && en.mean < RARE_SHARE * lamFull;
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
      if (y > 0) rtx += y;
      if (y > x) x = y;
    }
    if (x > 0) nov += x;
  }
  let nS = n - nov;
  // the expectation of what nS counts: the stream's, less the rare templates' share of it
  let g = lamFull > 0 && rareExp < lamFull ? 1 - rareExp / lamFull : 1.0;
  if (g < 0.2) g = 0.2;
  let lamS = lam * g;
  let VS = predVar(lamS, phiR, nw) * kU;
  // A partial look (checkpoint) must also hold for the whole window with its rest as expected: a
  // one-second batch burst is far out of line for 15 s of a window but usual for the window, the
  // scale at which bursts are learned. A sustained change passes both a moment later.
  let rest = lamFull - lam;
  let VP = part ? predVar(lamFull, phiR, nw) * kH : V;
  let VPS = part ? predVar(lamFull * g, phiR, nw) * kU : VS;
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
    let VD = ex > 0 ? predVar(lamD, phiR, nw) * kH : V;
    if (mode != M_FLUSH && n <= lamD / DCFG.minRatio) {
      zd = zLower(n, lamD, VD);
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
    let cal = calendarStep(s, b);
    if (cal) { zs = 0; zs2 = 0; zd = 0; zd2 = 0; }
    let errHot = e >= MIN_COUNT && e > DCFG.errorRatio * errShare(s) * n;
    let sev = decide(b, T_RATE_SPIKE, zs, zs2, tstate(b, T_RATE_SPIKE).pendZ, young || nS < minEv || !errHot, wIdx, mode != M_CLOSE);
    if (sev >= 0) emit(T_RATE_SPIKE, sev, s, b, f, mode, n, e, perMin(n, f), perMin(lam, f), max(zs, zs2), -1, TOP_EXCESS, lam);
    let rd = tstate(b, T_RATE_DROP);
    // a drop that lasts, judged on its whole run: a small stream's drop to a fifth reads z 2-4 per
    // window, never two windows in a row at the threshold, yet is certain over four
    let below = mode != M_FLUSH && n <= lamD / DCFG.minRatio && !cal;
    // (once the stream's day is known: a first day's evening decline is no drop)
    if (below && s.dRun + 1 >= DROP_RUN && s.dN + n > 0 && (s.flags & SF_SEASONAL) != 0) zRun = zLower(s.dN + n, s.dLam + lamD, s.dV + VD);
    // it is a sequential test looked at every look of every run: the strong bar, as the CUSUMs
    // (an empty look is inside a gap: the silence detector's, one incident, one type)
    if (zRun < thr * 1.5 + (part ? 0.5 : 0) || (s.dN + n) * RUN_RATIO > s.dLam + lamD || n == 0) zRun = 0;
    // ... or on its deep part: the windows in a row at half their expectation or less (a drop to a
    // fifth whose first windows fell only part of the way, or whose level learned it as it went,
    // never shows a third over the whole run)
    let deep = below && n * DEEP_RATIO <= lamD;
    if (deep && s.kRun + 1 >= DROP_RUN && s.kN + n > 0 && n > 0 && (s.flags & SF_SEASONAL) != 0 &&
        (s.kN + n) * RUN_RATIO <= s.kLam + lamD) {
      let zk = zLower(s.kN + n, s.kLam + lamD, s.kV + VD);
      if (zk >= thr * 1.5 + (part ? 0.5 : 0) && zk > zRun) zRun = zk;
    }
    if (zRun >= thr && zRun > zd) sev = decide(b, T_RATE_DROP, zRun, zRun, zRun, false, wIdx, mode != M_CLOSE);
    else sev = decide(b, T_RATE_DROP, zd, zd2, rd.run >= 2 || n == 0 ? rd.pendZ : 0, lam < minEv || n > 0, wIdx, mode != M_CLOSE);
    if (sev >= 0) emit(T_RATE_DROP, sev, s, b, f, mode, n, e, perMin(n, f), perMin(lam, f), max(max(zd, zd2), zRun), -1, TOP_DEFICIT, lam);
    if (zs >= thr || zd >= thr || zRun >= thr) anom |= 1;
    if (close) {
      s.flags &= ~SF_DROPPING;
      if (below && s.dRun >= 1 && (s.flags & SF_SEASONAL) != 0 &&
          zLower(s.dN + n, s.dLam + lamD, s.dV + VD) >= LEAN_Z) s.flags |= SF_DROPPING;
      if (below && !(n == 0 && s.dN == 0)) {
        s.dRun++; s.dN += n; s.dLam += lamD; s.dV += VD;
      } else { s.dRun = 0; s.dN = 0; s.dLam = 0; s.dV = 0; }
      if (deep && !(n == 0 && s.kN == 0)) {
        s.kRun++; s.kN += n; s.kLam += lamD; s.kV += VD;
      } else { s.kRun = 0; s.kN = 0; s.kLam = 0; s.kV = 0; }
    }
  }
  if (close) {
    let rb = burstStep(s.bR, s.bRB, zsNB >= thr, (s.flags & SF_RBURST) != 0, nS - lamS);
    s.bR = BP; s.bRB = BB;
    if (rb) s.flags |= SF_RBURST; else s.flags &= ~SF_RBURST;
    s.pN = n; s.pLam = lam; s.pV = V; s.pV0 = V0;
    s.pNS = nS; s.pLamS = lamS; s.pVS = VS;
    s.zRS = <f32>max(zs, zs2); s.zRD = <f32>max(zd, zd2);
  }
  zRateSpike = zs;
  zRateDrop = zRun > zd ? zRun : zd;
  if (close) routineLines = rtx;
  return anom;
}

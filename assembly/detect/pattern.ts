// pattern_spike: one template far above its own expectation (scaled up, never down, by the
// rest of the stream's volume: a uniform surge is a rate spike), Bonferroni over the templates,
// tested on appearances for templates that come in bunches, judged by its benign-burst mixture;
// and at close the slow rise test per template (a CUSUM, see error_cusum.ts), which also alerts
// as pattern_spike.
import { CFG } from "../core/config";
import { DCFG } from "./dconfig";
import { Stream, TEntry, T_PATTERN_SPIKE, TF_BURST, TF_WARN, TF_FROZEN, TF_NOVEL, tstate, entryAt, entCnt, entErr } from "./state";
import { predVar, dispPhi, ewmaC, alphaDisp, burstStep, mixZ, qHi, BP, BB, NOVEL_PRIOR } from "./model";
import { zUpper, zBonferroni, llrRise } from "./stats";
import { routineMax, ROUTINE_SLACK } from "./routine";
import { cusumZ, cusumCap } from "./error_cusum";
import { warnRiseClose, warnExpected } from "./warn_rise";
import { zRateSpike } from "./rate";
import { decide } from "./episode";
import { emit, TOP_EXCESS, TOP_WARN } from "./emit";
import {
  M_CLOSE, MIN_COUNT, YOUNG_WINDOWS, lookMode, lookClose, lookPart, lookF, lookWIdx, lookR,
  lookN, lookE, lookLamFull, lookLam, lookHH, lookPv,
} from "./look";

/** Per-template z scratch for one evaluation (templates_per_stream <= 120). */
const ZS: usize = heap.alloc(128 << 3);

/** Windows a rising template CUSUM keeps the template's mean from learning (see learn()). */
export const TPL_RISE_HOLD: f64 = 120;
/** Templates below this many lines per window have no slow-rise test (too little to go on). */
const RISE_MIN_MEAN: f64 = 0.2;

/** This look's best template evidence (pattern_spike episodes at close). */
export let zPattern: f64 = 0;

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
 *  its hour taken as expected); returns its z after a Bonferroni correction over m templates, or
 *  0 while the run has not doubled or this window does not lean to the rise itself. */
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
  // it keeps at most the strong bar's evidence; this window's own adds to it (as the error
  // CUSUM's look): at the cap alone its z is a hair under the bar where a stream has fewer than
  // seven templates, and such a rise never alerted
  let cap = cusumCap() + Math.log(m > 1 ? m : 1);
  let Sz = S;
  if (S > cap) S = cap;
  en.cS = <f32>S;
  en.cRun = S > 0 ? (en.cRun < 65535 ? en.cRun + 1 : en.cRun) : 0;
  if (S > 0) { en.rC += <f32>x; en.rE += <f32>mean; } else { en.rC = 0; en.rE = 0; }
  // evidence piled up over a long run from a template a little above its share (its share at
  // this time of day, a mix that drifts) is not a rise: over its run it must have doubled
  if (en.rC < 2 * en.rE) return 0;
  // the window that alerts must itself show the doubling the CUSUM tests for, and be at the
  // threshold on its own (as the stream's warning test, warn_rise.ts): a long run a little above
  // the mean otherwise alerts on an ordinary window (two lines where 0.7 were expected, after 135
  // windows; with a merely leaning window, p <= ~7%, the fleet week had three more false episodes)
  if (c < 2.0 * mean || zUpper(c, mean, V) < CFG.threshold) return 0;
  return zBonferroni(cusumZ(Sz), m);
}

/** Runs the template spike and rise tests on this look; at close keeps each template's evidence
 *  for the next window and freezes the learning of anomalous ones. Returns 4 when anomalous. */
export function patternLook(s: Stream, b: usize): i32 {
  let f = lookF, mode = lookMode, close = lookClose, part = lookPart;
  let wIdx = lookWIdx, r = lookR, n = lookN, e = lookE;
  let lamFull = lookLamFull, lam = lookLam, hh = lookHH, pv = lookPv;
  let thr = CFG.threshold;
  let minEv = <f64>CFG.minEvents;
  let anom = 0;
  zPattern = 0;
  if (DCFG.patterns) {
    let m = <f64>s.nEntries;
    let best = -1;
    let bestZ: f64 = 0;
    let bestRise = false;
    for (let j = 0; j < s.nEntries; j++) {
      let en = entryAt(b, j);
      let c = <f64>entCnt(en, r);
      let z: f64 = 0, zNB: f64 = 0, lt: f64 = 0;
      // a template with no history of its own that the miner does not call new has been seen
      // before and dropped from the bounded table (a stream of more templates than it holds): its
      // expectation is unknown, not zero; it is judged once it has a history again
      // a template that is most of its stream is its stream's volume: the rate detector judges it
      // (with the stream's seasonality, which a template's mean has not)
      let dominant = en.nobs > 0 && en.mean >= 0.5 * lamFull;
      if (c >= MIN_COUNT && (en.nobs > 0 || (en.flags & TF_NOVEL) != 0) && !dominant) {
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
      // a slow rise no single window shows (a warning template creeping up over hours); a
      // template that is most of its stream keeps its CUSUM, which holds its mean's learning, but
      // does not alert on it: its rise is the stream's volume, the rate's. Nor an info template
      // that is most of this window: its expectation is its mean, which has no time of day, and
      // the stream's has (NAB's taxi counts, one template: a "sustained rise" every weekday
      // morning); a warning template's is its share of the window, whatever the hour
      if (close && <f64>en.nobs >= YOUNG_WINDOWS && en.mean >= RISE_MIN_MEAN) {
        let zc = templateRise(en, c, n, routineMax(b, j, hh) * ROUTINE_SLACK, m);
        let volume = dominant || ((en.flags & TF_WARN) == 0 && c >= 0.5 * n);
        if (zc >= thr * 1.5 && zc > z && !volume) {
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
    if (best >= 0 && zRateSpike >= thr && entryAt(b, best).mean >= 0.5 * lamFull) best = -1;
    // the stream's warnings rising slowly (warn_rise.ts), whichever templates carry them
    let wz = close ? warnRiseClose(s, n, <f64>(r ? s.warn1 : s.warn0)) : 0;
    if (wz > bestZ && wz >= thr * 1.5) {
      let sev = decide(b, T_PATTERN_SPIKE, wz, 0, 0, false, wIdx, false);
      if (sev >= 0) {
        tstate(b, T_PATTERN_SPIKE).ref = 0;
        emit(T_PATTERN_SPIKE, sev, s, b, f, mode, n, e, <f64>(r ? s.warn1 : s.warn0), warnExpected, wz, -1, TOP_WARN, lam, s.cWRun);
      }
      best = -1;
      bestZ = wz;
    }
    if (best >= 0) {
      let en = entryAt(b, best);
      let lasting = <f64>en.nobs < YOUNG_WINDOWS || <f64>entCnt(en, r) < minEv || entErr(en, r) * 2 < entCnt(en, r);
      let sev = decide(b, T_PATTERN_SPIKE, bestZ, 0, <f64>en.pz, lasting, wIdx, mode != M_CLOSE);
      if (sev >= 0) {
        tstate(b, T_PATTERN_SPIKE).ref = en.id;
        let c = <f64>entCnt(en, r);
        let exp = (en.nobs == 0 ? NOVEL_PRIOR : en.mean) * f;
        emit(T_PATTERN_SPIKE, sev, s, b, f, mode, n, e, c, exp, bestZ, best, TOP_EXCESS, lam, bestRise ? <f64>en.cRun : 0);
      }
    }
    zPattern = bestZ;
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
  return anom;
}

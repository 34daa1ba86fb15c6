// error_spike: the window's errors given its volume against the stream's learned error share
// (binomial given the records, Poisson/NB tail with a noise floor), pooled with the previous
// window; the error CUSUM (error_cusum.ts) adds the evidence of a slow rise to the same decision.
import { CFG } from "../core/config";
import { DCFG } from "./dconfig";
import { Stream, SF_EBURST, T_ERROR_SPIKE, tstate } from "./state";
import { neff, dispPhi, ewmaC, alphaErr, alphaDisp, errShare, burstStep, BP, BB } from "./model";
import { zUpper } from "./stats";
import { cusumLook, cusumAlertZ, cusumClose, zCusum } from "./error_cusum";
import { decide } from "./episode";
import { emit, TOP_ERRORS } from "./emit";
import { M_CLOSE, MIN_COUNT, lookMode, lookClose, lookF, lookWIdx, lookN, lookE, lookNw, lookLam, lookPv } from "./look";

/** This look's expected errors, their variance and the share evidence (the window's own). */
export let lamErr: f64 = 0;
export let varErr: f64 = 0;
export let zErrShare: f64 = 0;

/** Runs the error share detector (with the CUSUM's evidence) on this look; at close carries the
 *  window over to the next look and learns its bursts. Returns 2 when anomalous. */
export function errorLook(s: Stream, b: usize): i32 {
  let f = lookF, mode = lookMode, close = lookClose;
  let wIdx = lookWIdx, n = lookN, e = lookE, lam = lookLam, pv = lookPv;
  let thr = CFG.threshold;
  let minEv = <f64>CFG.minEvents;
  let anom = 0;

  let ze: f64 = 0, ze2: f64 = 0, zeNB: f64 = 0;
  let p = errShare(s);
  let lamE = p * n;
  let k = neff(<f64>s.windows, alphaErr());
  let hist = s.eN * k + 1.0;
  let fl = DCFG.noiseFloor * DCFG.noiseFloor;
  let phiE = dispPhi(changetype<usize>(s) + offsetof<Stream>("eD"), ewmaC(<f64>s.windows, alphaDisp()));
  if (phiE < fl) phiE = fl;
  let Ve = lamE + phiE * lamE * lamE + n * n * p * (1 - p) / hist;
  // accumulated evidence of a rise: this look added to the closed windows' CUSUMs
  cusumLook(s, e, lamE, Ve);
  // Under MIN_COUNT errors a window's evidence only confirms the window before it: a small
  // stream's error burst (4 errors where 0.4 were expected, then 2 and 2 where 0.05 were) is
  // certain over two windows, and two errors alone are not an incident.
  let few = e < MIN_COUNT;
  if (DCFG.errors && n >= MIN_COUNT) {
    if (e >= 2 && e >= lamE * DCFG.errorRatio) {
      zeNB = zUpper(e, lamE, Ve);
      ze = zeNB;
      if (pv && ze >= thr && e + s.pE >= (lamE + s.pLamE) * DCFG.errorRatio)
        ze2 = zUpper(e + s.pE, lamE + s.pLamE, Ve + s.pVe);
    }
    let zA = cusumAlertZ(s, e, lamE, mode != M_CLOSE);
    let z1 = ze > zA ? ze : zA;
    let zP = ze2 > zA ? ze2 : zA;
    let sev = decide(b, T_ERROR_SPIKE, z1, zP, tstate(b, T_ERROR_SPIKE).pendZ, n < minEv || (few && zA == 0), wIdx, mode != M_CLOSE);
    if (sev >= 0) {
      let acc: f64 = zA > ze && zA > ze2 ? s.cRun + 1 : 0;
      emit(T_ERROR_SPIKE, sev, s, b, f, mode, n, e, e / n, p, max(z1, zP), -1, TOP_ERRORS, lam, acc);
    }
    if (ze >= thr) anom |= 2;
  }
  if (close) {
    let eb = burstStep(s.bE, s.bEB, zeNB >= thr && !few, (s.flags & SF_EBURST) != 0, e - lamE);
    s.bE = BP; s.bEB = BB;
    if (eb) s.flags |= SF_EBURST; else s.flags &= ~SF_EBURST;
    s.pE = e; s.pLamE = lamE; s.pVe = Ve;
    cusumClose(s, e, lamE);
    s.zE = <f32>max(ze, ze2);
  }
  lamErr = lamE;
  varErr = Ve;
  zErrShare = ze;
  return anom;
}

/** The error_spike episode's evidence at close: the share's, or a rise the CUSUM still sees,
 *  which keeps its episode open (and confirms the next window), but only while the window itself
 *  leans to a rise (p <= ~7%): errors back near normal end the episode though the CUSUM takes a
 *  while to forget. */
export function errorEpisodeZ(e: f64): f64 {
  let lamE = lamErr, ze = zErrShare;
  let zHold = e > lamE && zUpper(e, lamE, varErr) >= 1.5 ? zCusum : 0;
  return ze > zHold ? ze : zHold;
}

// Slow, low-count error rises: a window of 2-3 expected errors cannot show a 4x rise on its own,
// and two windows barely do. Three one-sided CUSUMs of the error count accumulate the evidence
// (log-likelihood ratio for error_ratio, error_ratio^2 and error_ratio^4 times the expected
// errors, NB when over-dispersed), restarted at 0 whenever the evidence turns against a rise. The
// third is for a small stream's incident: one or two errors a window where 0.05 are expected is a
// 20-40x rise that no window shows on its own (3 errors is every window's floor) and that the 4x
// CUSUM credits at half the rate. A CUSUM of a true
// likelihood ratio is at or above h with probability at most e^-h per look (x3: three of them), so
// 3 e^-S is its p-value: it alerts on its own at the same strong bar as a single window (1.5 x
// threshold, +0.5 at partial looks) and holds at most that much evidence (the cap), so it decays
// within a few windows once errors are back to normal. Its alerts are error_spike events (the
// error share detector decides them, error_share.ts); the template rise test (pattern.ts) runs
// the same CUSUM per template.
import { CFG } from "../core/config";
import { DCFG } from "./dconfig";
import { Stream } from "./state";
import { zOfUpperP, upperPOfZ, llrRise } from "./stats";

/** Windows a rising error CUSUM keeps the error share from learning (see learn()). */
export const RISE_HOLD: f64 = 20;

/** The error CUSUMs looked at together (their p-value is ERR_CUSUMS e^-S, a union bound). */
const ERR_CUSUMS: f64 = 3;

/** z of the largest of k CUSUMs looked at together at S: k e^-S is its p-value (k = 2: the
 *  template rise test's pair, pattern.ts). */
@inline export function cusumZ(S: f64, k: f64 = 2): f64 {
  if (S <= 0) return 0;
  let z = zOfUpperP(k * Math.exp(-S));
  return z > 0 ? z : 0;
}

/** z of a stream's closed-window error CUSUMs (the largest of the three). */
@inline export function errCusumZ(s: Stream): f64 {
  let c = s.cE1 > s.cE2 ? s.cE1 : s.cE2;
  return cusumZ(c > s.cE3 ? c : s.cE3, ERR_CUSUMS);
}

/** The most evidence one of k CUSUMs holds: the strong bar's. */
@inline export function cusumCap(k: f64 = 2): f64 { return -Math.log(upperPOfZ(CFG.threshold * 1.5) / k); }

/** Forgets the accumulated evidence (a long gap, a replay realignment, adaptation, a spent episode). */
@inline export function cusumReset(s: Stream): void { s.cE1 = 0; s.cE2 = 0; s.cE3 = 0; s.cRun = 0; s.cEr = 0; s.cEx = 0; }

/** This look's CUSUMs (the closed windows' plus this look's errors) and their z. */
export let cusum1: f64 = 0;
export let cusum2: f64 = 0;
export let cusum3: f64 = 0;
export let zCusum: f64 = 0;

/** Adds this look's e errors (lamE expected, variance Ve) to the closed windows' CUSUMs. */
export function cusumLook(s: Stream, e: f64, lamE: f64, Ve: f64): void {
  let c1: f64 = 0, c2: f64 = 0, c3: f64 = 0, zc: f64 = 0;
  if (DCFG.errors) {
    let rho = DCFG.errorRatio;
    c1 = s.cE1 + llrRise(e, lamE, Ve, rho); if (c1 < 0) c1 = 0;
    c2 = s.cE2 + llrRise(e, lamE, Ve, rho * rho); if (c2 < 0) c2 = 0;
    c3 = s.cE3 + llrRise(e, lamE, Ve, rho * rho * rho * rho); if (c3 < 0) c3 = 0;
    let c = c1 > c2 ? c1 : c2;
    zc = cusumZ(c > c3 ? c : c3, ERR_CUSUMS);
  }
  cusum1 = c1; cusum2 = c2; cusum3 = c3; zCusum = zc;
}

/** The CUSUM's own alert evidence (0 = none): only at the strong bar, and only when this look
 *  adds to it, and only when the errors of its run (this look included) reach error_ratio x their
 *  expectation: a share wandering a little above its mean for an hour piles up evidence too. */
@inline export function cusumAlertZ(s: Stream, e: f64, lamE: f64, partial: bool): f64 {
  let barE = CFG.threshold * 1.5 + (partial ? 0.5 : 0);
  let zc = zCusum;
  return e > lamE && zc >= barE && s.cEr + e >= DCFG.errorRatio * (s.cEx + lamE) ? zc : 0;
}

/** At window close: the CUSUMs (capped) and their run carry over to the next window. */
export function cusumClose(s: Stream, e: f64, lamE: f64): void {
  let c1 = cusum1, c2 = cusum2, c3 = cusum3;
  let cap = cusumCap(ERR_CUSUMS);
  s.cE1 = c1 < cap ? c1 : cap;
  s.cE2 = c2 < cap ? c2 : cap;
  s.cE3 = c3 < cap ? c3 : cap;
  s.cRun = c1 > 0 || c2 > 0 || c3 > 0 ? s.cRun + 1 : 0;
  if (c1 > 0 || c2 > 0 || c3 > 0) { s.cEr += e; s.cEx += lamE; } else { s.cEr = 0; s.cEx = 0; }
}

/** A slow rise the CUSUM is accumulating (p <= ~7%, true of at most ~3% of normal windows) is not
 *  learned: learning it would lift the expectation and hide the rise from its own test. Only for
 *  RISE_HOLD windows: evidence that builds that slowly is drift, and a share learned too low must
 *  be able to catch up. */
@inline export function errorRising(s: Stream): bool {
  return errCusumZ(s) >= 1.5 && <f64>s.cRun <= RISE_HOLD;
}

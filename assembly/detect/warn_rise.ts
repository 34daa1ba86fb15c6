// Slow warning rises: a WARN line growing over hours to a third of its stream (a retry loop, a
// disk filling up) that no single window shows and that no template test may see (nginx's 404s
// are mined into the stream's one request template, which is the stream's volume). One one-sided
// CUSUM of the stream's warning count (log-likelihood ratio for twice its expectation: the
// warnings' slowly learned share of the window's lines, NB when over-dispersed), with the template
// rise test's rules (pattern.ts): each window winsorised at Z_CLIP (one burst of warnings is not a
// rise), alerting at the strong bar only when its run has doubled (warnings against expected
// warnings) and the window itself shows the doubling at the threshold. It alerts as pattern_spike
// (the stream's line mix changed), naming the warning templates that carry it.
import { CFG } from "../core/config";
import { Stream } from "./state";
import { predVar, dispPhi, dispInit, dispUpdate, ewmaC, alphaDisp, alphaErr, qHi } from "./model";
import { zUpper, llrRise } from "./stats";
import { cusumZ, cusumCap } from "./error_cusum";

/** Windows a rising warning CUSUM keeps the warning share from learning (as a warning template's). */
const WARN_RISE_HOLD: f64 = 120;
/** Below this many expected warnings a window the CUSUM rests (a stream that never warns). */
const WARN_MIN_MEAN: f64 = 0.02;

/** Expected warnings among n lines. */
@inline function warnMean(s: Stream, n: f64): f64 { return s.wN > 0 ? s.wE / s.wN * n : 0; }

@inline function warnVar(s: Stream, mean: f64): f64 {
  let nw = <f64>s.windows;
  return predVar(mean, dispPhi(changetype<usize>(s) + offsetof<Stream>("wnD"), ewmaC(nw, alphaDisp())), nw > 1 ? nw : 1);
}

/** Forgets the accumulated evidence (a long gap, a replay realignment). */
@inline export function warnReset(s: Stream): void { s.cW = 0; s.cWRun = 0; s.cWr = 0; s.cWx = 0; }

/** The last close's expected warnings (for the event). */
export let warnExpected: f64 = 0;

/** At close: the CUSUM takes the window's w warnings among n lines. Returns its z when it alerts
 *  (strong bar, a doubled run, a window that shows it), else 0. */
export function warnRiseClose(s: Stream, n: f64, w: f64): f64 {
  let mean = warnMean(s, n);
  warnExpected = mean;
  if (!(mean >= WARN_MIN_MEAN)) { warnReset(s); return 0; }
  let V = warnVar(s, mean);
  let x = w;
  let hi = qHi(mean, V);
  if (x > hi) x = hi;
  let S = s.cW + llrRise(x, mean, V, 2.0);
  if (S < 0) S = 0;
  // it keeps at most the strong bar's evidence; this window's own adds to it (as the error CUSUM's
  // look): at the cap alone its z is a hair under the bar
  let cap = cusumCap(1);
  let Sz = S;
  if (S > cap) S = cap;
  s.cW = S;
  s.cWRun = S > 0 ? s.cWRun + 1 : 0;
  if (S > 0) { s.cWr += x; s.cWx += mean; } else { s.cWr = 0; s.cWx = 0; }
  if (s.cWr < 2 * s.cWx) return 0;
  // the window that alerts shows the doubling and is at the threshold on its own: warnings are
  // sparse (0.3 a window), and a share drifting to twice its mean for an hour or two piles up
  // evidence too (leaning windows of two warnings paged four times in the fleet week)
  if (w < 2 * mean || zUpper(w, mean, V) < CFG.threshold) return 0;
  let z = cusumZ(Sz, 1);
  return z >= CFG.threshold * 1.5 ? z : 0;
}

/** A rise the CUSUM is accumulating (p <= ~7%) is not learned, for WARN_RISE_HOLD windows: learned,
 *  the share would follow a two-hour ramp and hide it from its own test. */
@inline function warnRising(s: Stream): bool { return cusumZ(s.cW, 1) >= 1.5 && s.cWRun <= WARN_RISE_HOLD; }

/** At close, after the detectors: the warning share and its noise learn (running means during
 *  warm-up; an unusual window winsorised; not while a rise is accumulating). */
export function warnLearn(s: Stream, n: f64, w: f64, warm: bool, k: f64): void {
  let p = changetype<usize>(s) + offsetof<Stream>("wnD");
  if (warm) {
    let k1 = k + 1;
    s.wN += (n - s.wN) / k1;
    s.wE += (w - s.wE) / k1;
    dispInit(p, s.wE, s.wE);
    return;
  }
  if (warnRising(s)) return;
  let mean = warnMean(s, n);
  let x = w;
  // no share yet (a stream with no warnings so far, or warmed from a baseline, which holds none):
  // nothing to measure the noise against
  if (mean > 0) {
    let hi = qHi(mean, warnVar(s, mean));
    if (x > hi) x = hi;
    dispUpdate(p, x, mean, alphaDisp());
  }
  let a = alphaErr();
  s.wN = (1 - a) * s.wN + a * n;
  s.wE = (1 - a) * s.wE + a * x;
}

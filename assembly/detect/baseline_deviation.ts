// baseline_deviation: with a loaded baseline covering the stream, the closed window against that
// hour of week's profile (mean and variance per window) and against the baseline's error share.
import { CFG } from "../core/config";
import { DCFG } from "./dconfig";
import { Stream, SF_BASELINE, T_BASELINE, tstate } from "./state";
import { hourOfWeek, bucketStats, BM, BV, BW } from "./model";
import { zUpper, zLower } from "./stats";
import { decide } from "./episode";
import { emit, perMin, TOP_EXCESS, TOP_DEFICIT, TOP_ERRORS } from "./emit";
import { M_CLOSE, MIN_COUNT, lookMode, lookClose, lookF, lookWIdx, lookN, lookE, lookLam } from "./look";

/** This look's evidence against the baseline (0 unless judged: at close, with a baseline). */
export let zBaseline: f64 = 0;

/** Runs the baseline detector at close. Returns 8 when anomalous. */
export function baselineLook(s: Stream, b: usize): i32 {
  let f = lookF, mode = lookMode, close = lookClose;
  let wIdx = lookWIdx, n = lookN, e = lookE, lam = lookLam;
  let thr = CFG.threshold;
  let anom = 0;
  let zb: f64 = 0;
  if (DCFG.baseline && close && (s.flags & SF_BASELINE) != 0) {
    let known = bucketStats(b, hourOfWeek(s.ws));
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
  zBaseline = zb;
  return anom;
}

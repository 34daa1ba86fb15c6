// Alert episodes per stream and type: the alert decision for one look at a window (strong
// evidence alone, or a confirming window; one alert per episode unless it escalates; cooldown),
// and at window close the episode's bookkeeping (pending evidence, resolution, adaptation).
import { CFG } from "../core/config";
import { SEV_WARNING, SEV_CRITICAL } from "../core/events";
import { DCFG } from "./dconfig";
import {
  Stream, T_RATE_SPIKE, T_RATE_DROP, T_ERROR_SPIKE, T_PATTERN_SPIKE, T_BASELINE,
  tstate, findEntry, entryAt,
} from "./state";
import { errShare } from "./model";
import { cusumReset } from "./error_cusum";
import { emitResolved, perMin } from "./emit";

/** Alert decision for one look at a window. The window's own z must reach the threshold; it then
 *  alerts when the evidence is strong on its own (>= 1.5 x threshold, the seed's "critical"),
 *  alone or pooled with the previous window (zPool), or when the previous window also reached the
 *  threshold (pend). At most one alert per episode unless it escalates, and none within cooldown
 *  of the previous alert of this stream+type. Returns the severity to emit or -1. */
export function decide(b: usize, t: i32, z: f64, zPool: f64, pend: f64, novel: bool, wIdx: i64, partial: bool): i32 {
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
export function endOfWindow(s: Stream, b: usize, t: i32, z: f64, wIdx: i64, n: f64, e: f64, lam: f64, f: f64): void {
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
  if (t == T_ERROR_SPIKE) cusumReset(s);
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
    cusumReset(s);
  } else if (t == T_PATTERN_SPIKE) {
    let j = findEntry(b, tstate(b, t).ref);
    if (j >= 0) {
      let en = entryAt(b, j);
      en.mean = <f64>en.prevC;
      if (en.nobs == 0) en.nobs = 1;
    }
  }
}


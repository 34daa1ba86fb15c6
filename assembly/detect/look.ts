// One look at a stream's oldest open window (a checkpoint, its close, or the end of a replay):
// what every detector shares, computed once by window.ts's evaluate() before the detectors run
// (module globals: no allocation, and no detector recomputes the expectation).

// evaluation modes
export const M_CLOSE: i32 = 0;
export const M_CHECK: i32 = 1;
export const M_FLUSH: i32 = 2;

/** Fewest events that may make an anomaly at all (3 errors, 3 lines of a template, 3 lines of a
 *  spike). Exact count tails judge small counts honestly; below `min_events` a window's evidence
 *  is small-sample and needs the next window to confirm it (no single-window alert). */
export const MIN_COUNT: f64 = 3;

/** Windows of history before a single window's volume or template spike may alert on its own
 *  (until then one that bursts now and then is not known to: it needs a second window). */
export const YOUNG_WINDOWS: f64 = 30;

/** M_CLOSE, M_CHECK or M_FLUSH; close: mode == M_CLOSE. */
export let lookMode: i32 = M_CLOSE;
export let lookClose = true;
/** A partial look (a checkpoint or the flush) before the window's end: f < 1. */
export let lookPart = false;
/** Fraction of the window elapsed (1 at close). */
export let lookF: f64 = 1;
/** The window's index (start / window size) and its ring slot (wIdx & 1). */
export let lookWIdx: i64 = 0;
export let lookR: i32 = 0;
/** Records and errors counted in it so far. */
export let lookN: f64 = 0;
export let lookE: f64 = 0;
/** Seasonal index at the window's middle, and the effective windows behind the level. */
export let lookSi: f64 = 1;
export let lookNw: f64 = 0;
/** Records expected in the whole window, and in its elapsed part (lamFull x f). */
export let lookLamFull: f64 = 0;
export let lookLam: f64 = 0;
/** The hours of day its routines are compared with (routineHours). */
export let lookHH: i32 = 0;
/** The previous window was judged (its pooled evidence is there: s.pLam >= 0). */
export let lookPv = false;

export function setLook(mode: i32, f: f64, wIdx: i64, n: f64, e: f64, si: f64, nw: f64,
                        lamFull: f64, hh: i32, pv: bool): void {
  lookMode = mode;
  lookClose = mode == M_CLOSE;
  lookPart = mode != M_CLOSE && f < 1.0;
  lookF = f;
  lookWIdx = wIdx;
  lookR = <i32>(wIdx & 1);
  lookN = n;
  lookE = e;
  lookSi = si;
  lookNw = nw;
  lookLamFull = lamFull;
  lookLam = lamFull * f;
  lookHH = hh;
  lookPv = pv;
}

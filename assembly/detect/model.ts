// Expectations and variances of the per-window models (rate, error share, templates, baseline
// profile). Pure functions over a stream block; used at checkpoints and window close only.
import { CFG } from "../core/config";
import { DCFG } from "./dconfig";
import { Stream, TEntry, HowStat, howAt, HOURS, SF_BASELINE, SF_SEASONAL } from "./state";
import { floorDiv } from "../core/byte_buf";

/** Damping of the Holt trend per window (a trend never extrapolates far). */
export const PHI: f64 = 0.9;
/** Trend smoothing (small: seasonality drifts slowly at window scale). */
export const BETA: f64 = 0.02;
/** Fast tracker, the level accepted when an episode outlasts adapt_windows. */
export const ALPHA_FAST: f64 = 0.3;
/** Minimum windows in an hour-of-week (or hour-of-day) bucket before it shapes expectations. */
export const MIN_BUCKET_WINDOWS: f64 = 5;
/** Expected count of a template a warm stream has never shown (prior for novel templates). */
export const NOVEL_PRIOR: f64 = 0.5;

/** Hour of week (Monday 00:00 UTC = 0) of an epoch-ms time. 1970-01-01 was a Thursday (= 3). */
export function hourOfWeek(ms: i64): i32 {
  let hours = floorDiv(ms, 3600000);
  let days = floorDiv(hours, 24);
  let dow = <i32>((days + 3) % 7);
  if (dow < 0) dow += 7;
  let hod = <i32>(hours - days * 24);
  return dow * 24 + hod;
}

/** Mean count per window of a bucket, falling back to the same hour on other days; -1 = unknown. */
export function bucketMean(b: usize, h: i32): f64 {
  let hs = howAt(b, h);
  if (hs.w >= MIN_BUCKET_WINDOWS) return hs.s / hs.w;
  let w: f64 = 0, sum: f64 = 0;
  let hod = h % 24;
  for (let d = 0; d < 7; d++) {
    let x = howAt(b, d * 24 + hod);
    w += x.w; sum += x.s;
  }
  if (w >= MIN_BUCKET_WINDOWS) return sum / w;
  return -1;
}

/** Variance of the count per window in a bucket (same fallback); -1 = unknown. */
export function bucketVar(b: usize, h: i32): f64 {
  let hs = howAt(b, h);
  let w = hs.w, s = hs.s, ss = hs.ss;
  if (w < MIN_BUCKET_WINDOWS) {
    w = 0; s = 0; ss = 0;
    let hod = h % 24;
    for (let d = 0; d < 7; d++) {
      let x = howAt(b, d * 24 + hod);
      w += x.w; s += x.s; ss += x.ss;
    }
    if (w < MIN_BUCKET_WINDOWS) return -1;
  }
  let m = s / w;
  let v = ss / w - m * m;
  return v < 0 ? 0 : v * w / (w - 1);
}

/** True when every hour of the day has profile data: only then is the profile a seasonal shape. */
export function profileComplete(b: usize): bool {
  for (let hod = 0; hod < 24; hod++) {
    let w: f64 = 0;
    for (let d = 0; d < 7; d++) w += howAt(b, d * 24 + hod).w;
    if (w < MIN_BUCKET_WINDOWS) return false;
  }
  return true;
}

/** Seasonal index at a time (profile mean there / overall mean), interpolated linearly between
 *  hour-bucket centres so a smooth daily curve stays smooth; 1 when the stream has no complete
 *  profile (see SF_SEASONAL). */
export function seasonIndex(s: Stream, b: usize, ms: i64): f64 {
  if ((s.flags & SF_SEASONAL) == 0 || s.profS <= 0) return 1.0;
  let weekMs: i64 = 7 * 86400000;
  let inWeek = ms - floorDiv(ms, weekMs) * weekMs;        // since Thursday 00:00 UTC
  let x = <f64>inWeek / 3600000.0 + 72.0;                   // hours since Monday 00:00 UTC
  if (x >= 168.0) x -= 168.0;
  let xc = x - 0.5;
  let h0f = Math.floor(xc);
  let frac = xc - h0f;
  let h0 = <i32>h0f;
  if (h0 < 0) h0 += HOURS;
  let h1 = h0 + 1;
  if (h1 >= HOURS) h1 -= HOURS;
  let m0 = bucketMean(b, h0);
  let m1 = bucketMean(b, h1);
  let m: f64;
  if (m0 < 0 && m1 < 0) return 1.0;
  if (m0 < 0) m = m1; else if (m1 < 0) m = m0; else m = m0 + (m1 - m0) * frac;
  let idx = m / (s.profS / s.profW);
  if (idx < 0.02) idx = 0.02;
  if (idx > 50) idx = 50;
  return idx;
}

/** Turns seasonal expectations on once the profile covers every hour of the day, rescaling the
 *  learned level into deseasonalised units so the switch does not jump the expectation. */
export function updateSeasonal(s: Stream, b: usize, ms: i64): void {
  if (!DCFG.seasonal || (s.flags & SF_SEASONAL) != 0) return;
  if (s.profW < 24 * MIN_BUCKET_WINDOWS || s.profS <= 0 || !profileComplete(b)) return;
  s.flags |= SF_SEASONAL;
  let si = seasonIndex(s, b, ms);
  s.level /= si;
  s.trend /= si;
  s.fast /= si;
}

/** Effective number of windows behind an EWMA / running mean. */
@inline export function neff(k: f64, alpha: f64): f64 {
  let cap = (2.0 - alpha) / alpha;
  return k < cap ? (k < 1 ? 1 : k) : cap;
}

/** Predictive variance of a count with mean m, relative over-dispersion phi (NB: m + phi m^2),
 *  floored by the configured noise floor, inflated by the uncertainty of a mean learned from
 *  n windows. */
@inline export function predVar(m: f64, phi: f64, n: f64): f64 {
  let fl = DCFG.noiseFloor * DCFG.noiseFloor;
  if (phi < fl) phi = fl;
  return (m + phi * m * m) * (1.0 + 1.0 / n);
}

/** One step of the relative over-dispersion estimate from a residual (clipped for robustness). */
@inline export function updPhi(phi: f64, x: f64, m: f64, alpha: f64): f64 {
  if (m < 0.5) m = 0.5;
  let r = x - m;
  let v = m + phi * m * m;
  let r2 = r * r;
  if (r2 > 25.0 * v) r2 = 25.0 * v;
  let term = (r2 - m) / (m * m);
  let p = (1.0 - alpha) * phi + alpha * term;
  return p < 0 ? 0 : (p > 100 ? 100 : p);
}

/** Expected full-window count (before seasonal index) from the Holt model. */
@inline export function holtForecast(s: Stream): f64 {
  let f = s.level + PHI * s.trend;
  return f < 0 ? 0 : f;
}

export function minErrors(): f64 {
  let m = <f64>CFG.minEvents * 0.5;
  return m < 3 ? 3 : m;
}

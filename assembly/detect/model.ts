// Expectations and variances of the per-window models (rate, error share, templates, baseline
// profile). Pure functions over a stream block; used at checkpoints and window close only.
import { DCFG } from "./dconfig";
import { Stream, TEntry, HowStat, howAt, HOURS, SF_BASELINE, SF_SEASONAL } from "./state";
import { floorDiv } from "../core/byte_buf";
import { winMs } from "./state";
import { upperPOfZ, zOfUpperP } from "./stats";

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

/** First hour of the weekend in the hour of week (Saturday 00:00 UTC). */
export const WEEKEND_HOUR: i32 = 5 * 24;

/** Whether hour of week h begins a new kind of day: Saturday (weekend) or Monday (weekdays). */
@inline export function dayKindStarts(h: i32): bool { return h == 0 || h == WEEKEND_HOUR; }

/** Hour of day (UTC) of an epoch-ms time. */
@inline export function hourOfDay(ms: i64): i32 { return <i32>(floorDiv(ms, 3600000) % 24 + 24) % 24; }

/** Hour of week (Monday 00:00 UTC = 0) of an epoch-ms time. 1970-01-01 was a Thursday (= 3). */
export function hourOfWeek(ms: i64): i32 {
  let hours = floorDiv(ms, 3600000);
  let days = floorDiv(hours, 24);
  let dow = <i32>((days + 3) % 7);
  if (dow < 0) dow += 7;
  let hod = <i32>(hours - days * 24);
  return dow * 24 + hod;
}

/** Windows per hour at the current window size. */
@inline function perHour(): f64 { return 3600000.0 / <f64>winMs; }

/** Windows a profile hour needs before it shapes expectations (half an hour of data, >= 5). */
@inline export function minBucket(): f64 {
  let m = 0.5 * perHour();
  return m < MIN_BUCKET_WINDOWS ? MIN_BUCKET_WINDOWS : m;
}

/** Mean and variance of the count per window for hour-of-week h: the hour-of-week bucket once it
 *  holds three hours of data (three weeks of history), else that hour on days of the same kind
 *  (weekdays, weekend) once it holds enough, else that hour over all days (a one-day baseline
 *  still gives the daily shape). Result in BM / BV; false = unknown. */
export let BM: f64 = 0;
export let BV: f64 = 0;
export let BW: f64 = 0;
/** Level of the bucket bucketStats used: 0 hour of week, 1 day kind, 2 every day. */
export let BL: i32 = 0;
export function bucketStats(b: usize, h: i32, minLevel: i32 = 0): bool {
  let hs = howAt(b, h);
  let w = hs.w, sum = hs.s, ss = hs.ss;
  BL = 0;
  if (w < 3.0 * perHour() || minLevel > 0) {
    // that hour on days of the same kind (weekdays or the weekend: most traffic that has a
    // weekly shape differs between the two), else on every day
    let hod = h % 24;
    let weekend = h >= WEEKEND_HOUR;
    w = 0; sum = 0; ss = 0;
    let d0 = weekend ? 5 : 0, d1 = weekend ? 7 : 5;
    for (let d = d0; d < d1; d++) {
      let x = howAt(b, d * 24 + hod);
      w += x.w; sum += x.s; ss += x.ss;
    }
    BL = 1;
    if (w < minBucket() || minLevel > 1) {
      w = 0; sum = 0; ss = 0;
      for (let d = 0; d < 7; d++) {
        let x = howAt(b, d * 24 + hod);
        w += x.w; sum += x.s; ss += x.ss;
      }
      BL = 2;
      if (w < minBucket()) return false;
    }
  }
  let m = sum / w;
  let v = w > 1 ? (ss / w - m * m) * w / (w - 1) : m;
  BM = m;
  BV = v < 0 ? 0 : v;
  BW = w;
  return true;
}

/** Mean count per window of hour-of-week h (see bucketStats); -1 = unknown. */
export function bucketMean(b: usize, h: i32): f64 {
  return bucketStats(b, h) ? BM : -1;
}

/** True when every hour of the day has profile data: only then is the profile a seasonal shape. */
export function profileComplete(b: usize): bool {
  let need = minBucket();
  for (let hod = 0; hod < 24; hod++) {
    let w: f64 = 0;
    for (let d = 0; d < 7; d++) w += howAt(b, d * 24 + hod).w;
    if (w < need) return false;
  }
  return true;
}

/** Seasonal index at a time (profile mean there / overall mean), interpolated linearly between
 *  hour-bucket centres so a smooth daily curve stays smooth; 1 when the stream has no complete
 *  profile (see SF_SEASONAL). */
/** The detail seasonIndex last used (0 hour of week, 1 day kind, 2 every day; -1 none). */
export let SI_LV: i32 = -1;

export function seasonIndex(s: Stream, b: usize, ms: i64, coarsest: i32 = 0): f64 {
  SI_LV = -1;
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
  // both hours from buckets of the same kind: mixing an hour-of-week or weekend bucket with an
  // every-day one next to it would make a step at every half hour
  let k0 = bucketStats(b, h0) ? BL : 3;
  let k1 = bucketStats(b, h1) ? BL : 3;
  let lv = k0 > k1 ? k0 : k1;
  if (lv > 2) lv = k0 < k1 ? k0 : k1;      // one side unknown: the other alone, as before
  if (lv < coarsest) lv = coarsest;        // (continuity: the index at a coarser detail)
  let m0 = bucketStats(b, h0, lv) ? BM : -1;
  let m1 = bucketStats(b, h1, lv) ? BM : -1;
  let m: f64;
  if (m0 < 0 && m1 < 0) return 1.0;
  SI_LV = lv;
  // between a weekday and a weekend day (Friday to Saturday, Sunday to Monday) buckets of those
  // kinds are a step by construction: the hour the time falls in alone, no ramp across midnight
  if (lv < 2 && m0 >= 0 && m1 >= 0 && dayKindStarts(h1)) { if (frac < 0.5) m1 = m0; else m0 = m1; }
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
  if (s.profW < 24 * minBucket() || s.profS <= 0 || !profileComplete(b)) return;
  s.flags |= SF_SEASONAL;
  let si = seasonIndex(s, b, ms);
  s.level /= si;
  s.trend /= si;
  s.fast /= si;
}

/** Keeps the expectation continuous where the profile's detail changes between two windows. The
 *  level is deseasonalised by the index it was learned under: learned against every-day buckets
 *  on a first Saturday it has taken in the weekend's 40%, and the weekend buckets that take over
 *  once they hold half an hour carry the 40% again (every expectation of the stream halved at
 *  23:30). So when the next window's index (at ms1) is of another detail than the one the closing
 *  window's (at ms0, detail lv) was, the level is rescaled by the two details' indices at one time
 *  (the coarser detail always has data where the finer has), as when seasonality switches on. */
export function seasonContinuity(s: Stream, b: usize, ms0: i64, ms1: i64, lv: i32): void {
  if (lv < 0) return;
  let siN = seasonIndex(s, b, ms1);
  let lvN = SI_LV;
  if (lvN < 0 || lvN == lv) return;
  let q: f64;
  if (lvN < lv) {
    // finer next: the next window's index at the old, coarser detail against its own
    let siO = seasonIndex(s, b, ms1, lv);
    if (SI_LV != lv) return;
    q = siO / siN;
  } else {
    // coarser next: the closing window's index at its own detail against the coarser one
    let siF = seasonIndex(s, b, ms0);
    if (SI_LV != lv) return;
    let siC = seasonIndex(s, b, ms0, lvN);
    if (SI_LV != lvN) return;
    q = siF / siC;
  }
  if (!(q > 0) || !isFinite(q)) return;
  s.level *= q;
  s.trend *= q;
  s.fast *= q;
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

// Over-dispersion (phi in Var = m + phi m^2) from pooled moments kept at p as three f64:
// D = EWMA of (clipped squared residual - m), M1 = EWMA of m, M2 = EWMA of m^2; phi = D / M2.
// Pooling over windows (rather than averaging per-window ratios) keeps small counts from making
// the estimate noisy, and the estimate's own standard error is subtracted before use, so Poisson
// noise alone never inflates the variance while real burstiness does.

export function dispInit(p: usize, mean: f64, variance: f64): void {
  store<f64>(p, variance - mean);
  store<f64>(p, mean, 8);
  store<f64>(p, mean * mean, 16);
}

export function dispUpdate(p: usize, x: f64, m: f64, alpha: f64): void {
  let D = load<f64>(p), M1 = load<f64>(p, 8), M2 = load<f64>(p, 16);
  let phi = M2 > 0 && D > 0 ? D / M2 : 0;
  let v = m + phi * m * m;
  if (v < 1) v = 1;
  let r = x - m;
  let r2 = r * r;
  if (r2 > 25.0 * v) r2 = 25.0 * v;   // one outlier cannot define the noise
  store<f64>(p, (1 - alpha) * D + alpha * (r2 - m));
  store<f64>(p, (1 - alpha) * M1 + alpha * m, 8);
  store<f64>(p, (1 - alpha) * M2 + alpha * m * m, 16);
}

/** phi minus two standard errors of its estimate (c: variance factor of the averages, e.g.
 *  alpha/(2-alpha) for an EWMA or 1/n for n windows), never negative. */
export function dispPhi(p: usize, c: f64): f64 {
  let D = load<f64>(p), M1 = load<f64>(p, 8), M2 = load<f64>(p, 16);
  if (!(M2 > 0)) return 0;
  let se = Math.sqrt(c * (2.0 * M2 + M1)) / M2;
  let phi = D / M2 - 2.0 * se;
  return phi > 0 ? (phi > 100 ? 100 : phi) : 0;
}

/** Variance factor of an EWMA average after k observations. */
@inline export function ewmaC(k: f64, alpha: f64): f64 {
  let c = alpha / (2.0 - alpha);
  let ck = k > 1 ? 1.0 / k : 1.0;
  return ck > c ? ck : c;
}

/** Expected full-window count (before seasonal index) from the Holt model. */
@inline export function holtForecast(s: Stream): f64 {
  let f = s.level + PHI * s.trend;
  return f < 0 ? 0 : f;
}



/** Error shares are stable: they learn 4x slower than volumes. */
@inline export function alphaErr(): f64 { return DCFG.alpha * 0.25; }
/** Over-dispersion is a second moment: it learns 10x slower, so an incident's first windows
 *  cannot inflate the variance that judges them. */
@inline export function alphaDisp(): f64 { return DCFG.alpha * 0.1; }

/** Expected error share with a half-error prior over the history (never exactly 0). */
@inline export function errShare(s: Stream): f64 {
  let k = neff(<f64>s.windows, alphaErr());
  return (s.eE * k + 0.5) / (s.eN * k + 1.0);
}

/** Counts are winsorised at this many standard deviations before the models learn them (an
 *  incident must not teach the model that it is normal; clipping rather than dropping keeps
 *  rare events from biasing small expectations towards zero). */
export const Z_CLIP: f64 = 2.5;

/** Upper / lower Z_CLIP quantile of a count with mean m and variance v (Cornish-Fisher). The
 *  lower one is 0 while a count of 0 is no rarer than that tail (a Poisson mean under ~5.1: e^-m >=
 *  P(z > 2.5)): the skew term would put it above 0, above a small mean even (0.38 for a mean of
 *  0.05), and every empty window of a sparse stream was learned as a third of a record, its level
 *  several times too high (silences then "expected" records a quiet daemon never writes). */
const LO_ZERO_MEAN: f64 = 5.08;
@inline export function qHi(m: f64, v: f64): f64 { return m + Z_CLIP * Math.sqrt(v) + (Z_CLIP * Z_CLIP - 1) / 6; }
@inline export function qLo(m: f64, v: f64): f64 {
  return m <= LO_ZERO_MEAN ? 0 : m - Z_CLIP * Math.sqrt(v) + (Z_CLIP * Z_CLIP - 1) / 6;
}

// Benign bursts: some streams and templates burst now and then (batch jobs, cron, retries). With
// such a history a window's count is a mixture: (1 - pi) NB(expected) + pi (expected + burst),
// burst excess exponential with mean B. pi and B are learned from the windows the NB model finds
// anomalous (one per run of consecutive windows), over about BURST_WINDOWS windows, and half an
// event is discounted so a single past incident does not mask the next one. A volume or template
// spike is judged by the mixture's tail: bursts of the usual size at the usual frequency stop
// alerting, a far larger one still alerts. (Error shares do not use it: an error burst is never
// "usual".)
const BURST_WINDOWS: f64 = 720;
/** burstStep's results: the burst probability and mean burst excess to store. */
export let BP: f64 = 0;
export let BB: f64 = 0;

/** One window of burst learning; returns "this window was a burst". Results in BP, BB. */
export function burstStep(pi: f64, b: f64, burst: bool, prevBurst: bool, excess: f64): bool {
  let a = 1.0 / BURST_WINDOWS;
  let start = burst && !prevBurst;
  pi = (1 - a) * pi + (start ? a : 0);
  if (start && excess > 0) b = b <= 0 ? excess : 0.7 * b + 0.3 * excess;
  else if (burst && excess > b) b = 0.7 * b + 0.3 * excess;   // a run that grows
  BP = pi < 1e-12 ? 0 : pi;
  BB = b;
  return burst;
}

/** z under the burst mixture (z: the NB evidence, excess: observed - expected). */
export function mixZ(z: f64, pi: f64, b: f64, excess: f64): f64 {
  pi -= 0.5 / BURST_WINDOWS;
  if (pi <= 0 || z <= 0) return z;
  let pNB = upperPOfZ(z);
  let pB = b > 0 ? Math.exp(-excess / (b > 1 ? b : 1)) : 0;
  if (excess <= 0) pB = 1;
  let z2 = zOfUpperP((1 - pi) * pNB + pi * pB);
  return z2 < z ? (z2 > 0 ? z2 : 0) : z;
}

// The rate's noise by hour of day. A stream's over-dispersion is one number (model.ts), yet its
// noise differs by hour: a shop's evening traffic is burstier than its nights, a batch host's
// nights burstier than its days. Per hour of day, an EWMA of the squared residual over the
// variance the stream-wide model predicted (1 when that model is right) scales the rate tests'
// variance at that hour, shrunk towards 1 while the hour has few windows behind it.
// Each side has its own: a daemon's bursts at an hour say nothing of how far its volume falls
// there, and a spread learned from them hid drops (a fall to a third read z 1 where z 3 was due,
// and the level learned it). Each side's scale is its semivariance over the semivariance the
// model predicts: an over-dispersed count is skewed (skewness g), and its lower half holds only
// about 1/2 - g / (3 sqrt(2 pi)) of its variance (Gram-Charlier; Poisson at a mean of 1: 0.37).
import { hourOfDay } from "./model";
import { Stream, winMs, hnoiseAt } from "./state";

/** Windows of an hour behind its ratio before it counts half (shrinkage towards 1). */
const PRIOR_WINDOWS: f32 = 60;
/** The ratio's EWMA weight once an hour has this many windows (about three days of a minute). */
const MEMORY_WINDOWS: f32 = 180;
/** Bounds on the scale: an hour is at most this much quieter or noisier than the model says. */
const K_MIN: f64 = 0.5;
const K_MAX: f64 = 4.0;
/** Byte offsets in an hour's slots (state.ts OFF_HNOISE): the windows behind it, the downside. */
const N_AT: usize = 96;
const DOWN_AT: usize = 192;

/** The hour of day of the stream's current window (its middle). */
@inline function hourOf(s: Stream): i32 { return hourOfDay(s.ws + (winMs >> 1)); }

function scaleAt(s: Stream, b: usize, side: usize): f64 {
  // from the stream's second day on: in its first, an hour's residuals are those of a level still
  // being learned, and its bursts must be learned as bursts against the stream-wide noise
  if (<f64>s.windows * <f64>winMs < 86400000.0) return 1.0;
  let p = hnoiseAt(b, hourOf(s));
  let n = load<f32>(p, N_AT);
  if (n <= 0) return 1.0;
  let k = <f64>load<f32>(p + side);
  let w = <f64>(n / (n + PRIOR_WINDOWS));
  let x = 1.0 + (k - 1.0) * w;
  return x < K_MIN ? K_MIN : x > K_MAX ? K_MAX : x;
}

/** The variance scale of the spike tests (counts above the expectation) at the current hour. */
export function hourNoiseUp(s: Stream, b: usize): f64 { return scaleAt(s, b, 0); }

/** The variance scale of the drop tests (counts below the expectation) at the current hour. */
export function hourNoiseDown(s: Stream, b: usize): f64 { return scaleAt(s, b, DOWN_AT); }

/** Learns one ordinary window: r its (winsorised) residual, m and v0 the mean and variance the
 *  stream-wide model predicted for it (without the hour's scale). */
export function hourNoiseLearn(s: Stream, b: usize, r: f64, m: f64, v0: f64): void {
  if (!(v0 > 0) || !(m > 0)) return;
  // the model's share of its variance below the mean, from its skewness (2 v / m - 1) / sqrt(v)
  let g = (2.0 * v0 / m - 1.0) / Math.sqrt(v0);
  let lo = 0.5 - 0.133 * g;
  if (lo < 0.1) lo = 0.1;
  let u = r * r / (v0 * (r < 0 ? lo : 1.0 - lo));
  if (u > 50) u = 50;                      // one outlier cannot define an hour's noise
  let p = hnoiseAt(b, hourOf(s));
  let n = load<f32>(p, N_AT);
  let a: f32 = n < MEMORY_WINDOWS ? 1 / (n + 1) : 1 / MEMORY_WINDOWS;
  let up = load<f32>(p), dn = load<f32>(p, DOWN_AT);
  let uu: f32 = r > 0 ? <f32>u : 0, ud: f32 = r < 0 ? <f32>u : 0;
  store<f32>(p, up + (uu - up) * a);
  store<f32>(p, dn + (ud - dn) * a, DOWN_AT);
  if (n < 65535) store<f32>(p, n + 1, N_AT);
}

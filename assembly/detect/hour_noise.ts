// The rate's noise by hour of day. A stream's over-dispersion is one number (model.ts), yet its
// noise differs by hour: a shop's evening traffic is burstier than its nights, a batch host's
// nights burstier than its days. Per hour of day, an EWMA of the squared residual over the
// variance the stream-wide model predicted (1 when that model is right) scales the rate tests'
// variance at that hour, shrunk towards 1 while the hour has few windows behind it.
import { hourOfDay } from "./model";
import { Stream, winMs, hnoiseAt } from "./state";

/** Windows of an hour behind its ratio before it counts half (shrinkage towards 1). */
const PRIOR_WINDOWS: f32 = 60;
/** The ratio's EWMA weight once an hour has this many windows (about three days of a minute). */
const MEMORY_WINDOWS: f32 = 180;
/** Bounds on the scale: an hour is at most this much quieter or noisier than the model says. */
const K_MIN: f64 = 0.5;
const K_MAX: f64 = 4.0;

/** The hour of day of the stream's current window (its middle). */
@inline function hourOf(s: Stream): i32 { return hourOfDay(s.ws + (winMs >> 1)); }

/** The variance scale for the stream's current window's hour of day. */
export function hourNoise(s: Stream, b: usize): f64 {
  // from the stream's second day on: in its first, an hour's residuals are those of a level still
  // being learned, and its bursts must be learned as bursts against the stream-wide noise
  if (<f64>s.windows * <f64>winMs < 86400000.0) return 1.0;
  let p = hnoiseAt(b, hourOf(s));
  let n = load<f32>(p, 96);
  if (n <= 0) return 1.0;
  let k = <f64>load<f32>(p);
  let w = <f64>(n / (n + PRIOR_WINDOWS));
  let x = 1.0 + (k - 1.0) * w;
  return x < K_MIN ? K_MIN : x > K_MAX ? K_MAX : x;
}

/** Learns one ordinary window: r2 its squared (winsorised) residual, v0 the variance the
 *  stream-wide model predicted for it (without the hour's scale). */
export function hourNoiseLearn(s: Stream, b: usize, r2: f64, v0: f64): void {
  if (!(v0 > 0)) return;
  let u = r2 / v0;
  if (u > 25) u = 25;                      // one outlier cannot define an hour's noise
  let p = hnoiseAt(b, hourOf(s));
  let n = load<f32>(p, 96);
  let a: f32 = n < MEMORY_WINDOWS ? 1 / (n + 1) : 1 / MEMORY_WINDOWS;
  let k = load<f32>(p);
  store<f32>(p, k + (<f32>u - k) * a);
  if (n < 65535) store<f32>(p, n + 1, 96);
}

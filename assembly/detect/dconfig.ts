// Detection settings beyond the seed's threshold / window_size / min_events (those live in CFG).
// Parsed once from the "detection" config section; never touched per record.
import { JV, JV_BOOL } from "../core/json_value";
import { checkKind, checkNum } from "../core/config_check";

// Unmanaged: the detector reads it on every record, and a managed global costs a shadow-stack spill
// at every use. One instance (DCFG); configureDetect copies new values into it.
@unmanaged
export class DetectConfig {
  /** Records up to this many ms past a window's end still count in it (the window closes later). */
  lateAllowanceMs: i64 = 2000;
  /** Closed windows a stream must have before it may alert (its model learns meanwhile). */
  warmupWindows: i32 = 10;
  /** After an alert, the same stream+type stays quiet this many windows unless it escalates. */
  cooldownWindows: i32 = 10;
  /** Consecutive normal windows that end an episode with a `resolved` event. */
  resolveWindows: i32 = 3;
  /** An episode longer than this accepts the new level as normal (the model re-learns). */
  adaptWindows: i32 = 60;
  maxStreams: i32 = 256;
  /** Templates tracked per stream (top-K by frequency, others go to one "other" counter). */
  templatesPerStream: i32 = 32;
  /** Smallest change in volume that may alert: spike >= ratio x expected, drop <= expected / ratio. */
  minRatio: f64 = 1.5;
  /** Error share must be at least this multiple of the expected share. */
  errorRatio: f64 = 2.0;
  /** A template must reach this multiple of its own expected count. */
  patternRatio: f64 = 3.0;
  /** EWMA smoothing of the per-window models (about 2/alpha windows of memory). */
  alpha: f64 = 0.1;
  /** Relative noise floor (coefficient of variation) no model may claim to beat: real traffic is
   *  over-dispersed, and a Poisson-only variance would alert on ordinary fluctuation. */
  noiseFloor: f64 = 0.1;
  /** A new error-level template alerts once it has occurred this many times in 2+ windows. */
  newPatternCount: i32 = 3;
  /** ... within this many windows of its first sighting. */
  newPatternWindows: i32 = 30;
  /** Empty windows after a gap that still run the detectors (the rest are skipped in bulk). */
  gapWindows: i32 = 3;
  /** Bytes kept of an example line. */
  exampleBytes: i32 = 240;
  /** Use the hour-of-week profile (loaded baseline or learned) as seasonal expectation. */
  seasonal: bool = true;
  /** Detectors on/off. */
  rate: bool = true;
  errors: bool = true;
  patterns: bool = true;
  newPatterns: bool = true;
  baseline: bool = true;
  silence: bool = true;
}

export const DCFG = new DetectConfig();

function numIn(v: JV, key: string, min: f64, max: f64): string | null { return checkNum(v, "detection." + key, min, max); }
function boolIn(v: JV, key: string): string | null { return checkKind(v, JV_BOOL, "detection." + key); }

/** Reads the "detection" section into a fresh DetectConfig; null = ok, else an error naming the key.
 *  Keys parsed by the lead (threshold, window_size, min_events) are accepted and skipped. */
export function parseDetectConfig(sec: JV | null, c: DetectConfig): string | null {
  if (sec === null) return null;
  let keys = sec.keys;
  for (let i = 0; i < keys.length; i++) {
    let k = keys[i];
    let v = sec.vals[i];
    let e: string | null = null;
    if (k == "threshold" || k == "window_size" || k == "min_events") continue;
    if (k == "late_allowance_seconds") { e = numIn(v, k, 0, 3600); if (e === null) c.lateAllowanceMs = <i64>(v.n * 1000); }
    else if (k == "warmup_windows") { e = numIn(v, k, 0, 100000); if (e === null) c.warmupWindows = <i32>v.n; }
    else if (k == "cooldown_windows") { e = numIn(v, k, 0, 100000); if (e === null) c.cooldownWindows = <i32>v.n; }
    else if (k == "resolve_windows") { e = numIn(v, k, 1, 100000); if (e === null) c.resolveWindows = <i32>v.n; }
    else if (k == "adapt_windows") { e = numIn(v, k, 2, 1000000); if (e === null) c.adaptWindows = <i32>v.n; }
    else if (k == "max_streams") { e = numIn(v, k, 1, 65536); if (e === null) c.maxStreams = <i32>v.n; }
    else if (k == "templates_per_stream") { e = numIn(v, k, 4, 120); if (e === null) c.templatesPerStream = <i32>v.n; }
    else if (k == "min_ratio") { e = numIn(v, k, 1, 1000); if (e === null) c.minRatio = v.n; }
    else if (k == "error_ratio") { e = numIn(v, k, 1, 1000); if (e === null) c.errorRatio = v.n; }
    else if (k == "pattern_ratio") { e = numIn(v, k, 1, 1000); if (e === null) c.patternRatio = v.n; }
    else if (k == "smoothing") { e = numIn(v, k, 0.001, 1); if (e === null) c.alpha = v.n; }
    else if (k == "noise_floor") { e = numIn(v, k, 0, 10); if (e === null) c.noiseFloor = v.n; }
    else if (k == "new_pattern_count") { e = numIn(v, k, 1, 1e9); if (e === null) c.newPatternCount = <i32>v.n; }
    else if (k == "new_pattern_windows") { e = numIn(v, k, 1, 1e6); if (e === null) c.newPatternWindows = <i32>v.n; }
    else if (k == "gap_windows") { e = numIn(v, k, 0, 1000); if (e === null) c.gapWindows = <i32>v.n; }
    else if (k == "example_bytes") { e = numIn(v, k, 0, 4096); if (e === null) c.exampleBytes = <i32>v.n; }
    else if (k == "seasonal") { e = boolIn(v, k); if (e === null) c.seasonal = v.b; }
    else if (k == "rate_detector") { e = boolIn(v, k); if (e === null) c.rate = v.b; }
    else if (k == "error_detector") { e = boolIn(v, k); if (e === null) c.errors = v.b; }
    else if (k == "pattern_detector") { e = boolIn(v, k); if (e === null) c.patterns = v.b; }
    else if (k == "new_pattern_detector") { e = boolIn(v, k); if (e === null) c.newPatterns = v.b; }
    else if (k == "baseline_detector") { e = boolIn(v, k); if (e === null) c.baseline = v.b; }
    else if (k == "silence_detector") { e = boolIn(v, k); if (e === null) c.silence = v.b; }
    else e = "detection." + k + ": unknown key";
    if (e !== null) return e;
  }
  return null;
}

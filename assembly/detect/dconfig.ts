// Detection settings beyond the seed's threshold / window_size / min_events (those live in CFG).
// Parsed once from the "detection" config section; never touched per record. Defaults: the
// configuration table (core/config_keys.ts), read when a DetectConfig is made (at start and at
// each configuration), never written again here.
import { JV } from "../core/json_value";
import { checkSection, defaultNum, defaultBool } from "../core/config_keys";

// Unmanaged: the detector reads it on every record, and a managed global costs a shadow-stack spill
// at every use. One instance (DCFG); configureDetect copies new values into it.
@unmanaged
export class DetectConfig {
  /** Records up to this many ms past a window's end still count in it (the window closes later). */
  lateAllowanceMs: i64 = <i64>(defaultNum("detection.late_allowance_seconds") * 1000);
  /** Closed windows a stream must have before it may alert (its model learns meanwhile). */
  warmupWindows: i32 = <i32>defaultNum("detection.warmup_windows");
  /** After an alert, the same stream+type stays quiet this many windows unless it escalates. */
  cooldownWindows: i32 = <i32>defaultNum("detection.cooldown_windows");
  /** Consecutive normal windows that end an episode with a `resolved` event. */
  resolveWindows: i32 = <i32>defaultNum("detection.resolve_windows");
  /** An episode longer than this accepts the new level as normal (the model re-learns). */
  adaptWindows: i32 = <i32>defaultNum("detection.adapt_windows");
  maxStreams: i32 = <i32>defaultNum("detection.max_streams");
  /** Templates tracked per stream (top-K by frequency, others go to one "other" counter). */
  templatesPerStream: i32 = <i32>defaultNum("detection.templates_per_stream");
  /** Smallest change in volume that may alert: spike >= ratio x expected, drop <= expected / ratio. */
  minRatio: f64 = defaultNum("detection.min_ratio");
  /** Error share must be at least this multiple of the expected share. */
  errorRatio: f64 = defaultNum("detection.error_ratio");
  /** A template must reach this multiple of its own expected count. */
  patternRatio: f64 = defaultNum("detection.pattern_ratio");
  /** EWMA smoothing of the per-window models (about 2/alpha windows of memory). */
  alpha: f64 = defaultNum("detection.smoothing");
  /** Relative noise floor (coefficient of variation) no model may claim to beat: real traffic is
   *  over-dispersed, and a Poisson-only variance would alert on ordinary fluctuation. */
  noiseFloor: f64 = defaultNum("detection.noise_floor");
  /** A new error-level template alerts once it has occurred this many times in 2+ windows. */
  newPatternCount: i32 = <i32>defaultNum("detection.new_pattern_count");
  /** ... within this many windows of its first sighting. */
  newPatternWindows: i32 = <i32>defaultNum("detection.new_pattern_windows");
  /** Empty windows after a gap that still run the detectors (the rest are skipped in bulk). */
  gapWindows: i32 = <i32>defaultNum("detection.gap_windows");
  /** Bytes kept of an example line. */
  exampleBytes: i32 = <i32>defaultNum("detection.example_bytes");
  /** Use the hour-of-week profile (loaded baseline or learned) as seasonal expectation. */
  seasonal: bool = defaultBool("detection.seasonal");
  /** Detectors on/off. */
  rate: bool = defaultBool("detection.rate_detector");
  errors: bool = defaultBool("detection.error_detector");
  patterns: bool = defaultBool("detection.pattern_detector");
  newPatterns: bool = defaultBool("detection.new_pattern_detector");
  baseline: bool = defaultBool("detection.baseline_detector");
  silence: bool = defaultBool("detection.silence_detector");
}

export const DCFG = new DetectConfig();

/** Reads the "detection" section into a fresh DetectConfig; null = ok, else an error naming the key
 *  (the section is checked against the configuration table, core/config_keys.ts). Keys the
 *  pipeline applies (threshold, window_size, min_events) are checked here too and skipped. */
export function parseDetectConfig(sec: JV | null, c: DetectConfig): string | null {
  if (sec === null) return null;
  let e = checkSection(sec, "detection");
  if (e !== null) return e;
  let keys = sec.keys;
  for (let i = 0; i < keys.length; i++) {
    let k = keys[i];
    let v = sec.vals[i];
    if (k == "late_allowance_seconds") c.lateAllowanceMs = <i64>(v.n * 1000);
    else if (k == "warmup_windows") c.warmupWindows = <i32>v.n;
    else if (k == "cooldown_windows") c.cooldownWindows = <i32>v.n;
    else if (k == "resolve_windows") c.resolveWindows = <i32>v.n;
    else if (k == "adapt_windows") c.adaptWindows = <i32>v.n;
    else if (k == "max_streams") c.maxStreams = <i32>v.n;
    else if (k == "templates_per_stream") c.templatesPerStream = <i32>v.n;
    else if (k == "min_ratio") c.minRatio = v.n;
    else if (k == "error_ratio") c.errorRatio = v.n;
    else if (k == "pattern_ratio") c.patternRatio = v.n;
    else if (k == "smoothing") c.alpha = v.n;
    else if (k == "noise_floor") c.noiseFloor = v.n;
    else if (k == "new_pattern_count") c.newPatternCount = <i32>v.n;
    else if (k == "new_pattern_windows") c.newPatternWindows = <i32>v.n;
    else if (k == "gap_windows") c.gapWindows = <i32>v.n;
    else if (k == "example_bytes") c.exampleBytes = <i32>v.n;
    else if (k == "seasonal") c.seasonal = v.b;
    else if (k == "rate_detector") c.rate = v.b;
    else if (k == "error_detector") c.errors = v.b;
    else if (k == "pattern_detector") c.patterns = v.b;
    else if (k == "new_pattern_detector") c.newPatterns = v.b;
    else if (k == "baseline_detector") c.baseline = v.b;
    else if (k == "silence_detector") c.silence = v.b;
  }
  return null;
}

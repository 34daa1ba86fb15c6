// Every configuration key, once: its type, range or choices, default, owner and meaning. Each
// section is checked against this table with one wording (checkSection); lad_describe() reports it,
// and the README's configuration table is checked against that report. The values themselves are
// applied by their owners (pipeline/config_apply.ts, detect/dconfig.ts, miner configureMiner),
// whose configuration classes take their defaults from here (defaultNum, defaultStrs, ...); a spec
// checks that an unconfigured module's effective values are these defaults.
import { JV, JV_STR, JV_BOOL, JV_OBJ, parseJson } from "./json_value";
import { checkKind, checkNum, checkStrList } from "./config_check";
import { severityNames } from "./events";

export const KT_NUM: u8 = 0;
/** A count or a number of seconds: a number (the owner takes its integer part). */
export const KT_INT: u8 = 1;
export const KT_BOOL: u8 = 2;
export const KT_STR: u8 = 3;
/** An array of strings. */
export const KT_STRS: u8 = 4;
/** A string, one of `choices`. */
export const KT_ENUM: u8 = 5;
/** Any JSON: a host-owned key whose shape the host checks. */
export const KT_ANY: u8 = 6;

export function typeName(t: u8): string {
  switch (t) {
    case KT_NUM: return "number";
    case KT_INT: return "integer";
    case KT_BOOL: return "boolean";
    case KT_STR: return "string";
    case KT_STRS: return "strings";
    case KT_ENUM: return "choice";
    default: return "any";
  }
}

/** Applied by the module. */
export const OWNER_MODULE: u8 = 0;
/** Used by the hosts only (the `lad` command, `lad serve`, Fluent Bit outputs): the module accepts
 *  the key so one file serves both, and leaves its checks to the host. */
export const OWNER_HOST: u8 = 1;

export class ConfigKey {
  constructor(
    /** "section.key"; a whole host-owned section is just "section". */
    public path: string,
    public type: u8,
    public min: f64,
    public max: f64,
    /** KT_ENUM: the accepted values. */
    public choices: string[],
    /** The default as JSON text ("null": none). */
    public dflt: string,
    public owner: u8,
    public doc: string,
  ) {}
}

const NONE: string[] = [];
function num(path: string, min: f64, max: f64, dflt: string, doc: string): ConfigKey { return new ConfigKey(path, KT_NUM, min, max, NONE, dflt, OWNER_MODULE, doc); }
function int(path: string, min: f64, max: f64, dflt: string, doc: string): ConfigKey { return new ConfigKey(path, KT_INT, min, max, NONE, dflt, OWNER_MODULE, doc); }
function flag(path: string, dflt: string, doc: string): ConfigKey { return new ConfigKey(path, KT_BOOL, 0, 0, NONE, dflt, OWNER_MODULE, doc); }
function str(path: string, dflt: string, doc: string): ConfigKey { return new ConfigKey(path, KT_STR, 0, 0, NONE, dflt, OWNER_MODULE, doc); }
function strs(path: string, dflt: string, doc: string): ConfigKey { return new ConfigKey(path, KT_STRS, 0, 0, NONE, dflt, OWNER_MODULE, doc); }
function oneOf(path: string, choices: string[], dflt: string, doc: string): ConfigKey { return new ConfigKey(path, KT_ENUM, 0, 0, choices, dflt, OWNER_MODULE, doc); }
function host(path: string, doc: string): ConfigKey { return new ConfigKey(path, KT_ANY, 0, 0, NONE, "null", OWNER_HOST, doc); }

export const CONFIG_KEYS: ConfigKey[] = [
  // detection: the seed's three keys, then the detectors' tuning (detect/README.md)
  num("detection.threshold", 0.1, 1000, "3", "standard deviations (seed meaning); critical at 1.5x"),
  int("detection.window_size", 1, 86400, "60", "seconds per event-time window"),
  int("detection.min_events", 0, 1e9, "10", "least records (or errors/pattern hits) before a window can alert"),
  num("detection.late_allowance_seconds", 0, 3600, "2", "records up to this long past a window's end still count in it"),
  int("detection.warmup_windows", 0, 100000, "10", "closed windows a stream needs before it may alert"),
  int("detection.cooldown_windows", 0, 100000, "10", "windows the same stream and type stay quiet after an alert, unless it escalates"),
  int("detection.resolve_windows", 1, 100000, "3", "consecutive normal windows that end an episode with a resolved event"),
  int("detection.adapt_windows", 2, 1000000, "60", "an episode longer than this is accepted as the new normal"),
  int("detection.max_streams", 1, 65536, "256", "streams tracked (LRU)"),
  int("detection.templates_per_stream", 4, 120, "32", "templates counted per stream (top-K)"),
  num("detection.min_ratio", 1, 1000, "1.5", "least volume change that may alert (spike >= ratio x expected, drop <= expected / ratio)"),
  num("detection.error_ratio", 1, 1000, "2", "least multiple of the expected error share that may alert"),
  num("detection.pattern_ratio", 1, 1000, "3", "least multiple of a template's expected count that may alert"),
  num("detection.smoothing", 0.001, 1, "0.1", "EWMA weight of the per-window models"),
  num("detection.noise_floor", 0, 10, "0.1", "relative noise no model may claim to beat"),
  int("detection.new_pattern_count", 1, 1e9, "3", "occurrences that escalate a new error-level template to an alert"),
  int("detection.new_pattern_windows", 1, 1e6, "30", "windows after its first sighting in which they count"),
  int("detection.gap_windows", 0, 1000, "3", "empty windows after a gap that still run the detectors"),
  int("detection.example_bytes", 0, 4096, "240", "bytes kept of an example line"),
  flag("detection.seasonal", "true", "use the hour-of-week profile (baseline or learned) as expectation"),
  flag("detection.rate_detector", "true", "rate_spike and rate_drop"),
  flag("detection.error_detector", "true", "error_spike"),
  flag("detection.pattern_detector", "true", "pattern_spike"),
  flag("detection.new_pattern_detector", "true", "new_pattern escalation"),
  flag("detection.baseline_detector", "true", "baseline_deviation"),
  flag("detection.silence_detector", "true", "silence"),
  // patterns (seed schema)
  strs("patterns.error_patterns", "[\"ERROR\",\"FATAL\",\"CRITICAL\",\"Exception\",\"failed\",\"failure\",\"failures\",\"timeout\",\"Traceback\",\"panic\",\"OutOfMemory\",\"Segmentation fault\",\"refused\",\"unreachable\",\"oom-killer\",\"Out of memory\",\"no space left on device\"]",
    "keywords that make an otherwise level-less line an error"),
  strs("patterns.ignore_patterns", "[]", "substrings: matching records are tagged ignored, not mined or counted"),
  // alerting: the module decides `alert`; delivery is the hosts'
  oneOf("alerting.min_severity", severityNames(), "\"warning\"", "least severity that sets alert: true"),
  host("alerting.enabled", "deliver alerts (the lad command, lad serve)"),
  host("alerting.webhook_url", "one webhook sink"),
  host("alerting.sinks", "alert sinks"),
  host("alerting.dedupe_seconds", "one alert per stream and type within this time"),
  host("alerting.spool_dir", "where undelivered alerts wait"),
  host("alerting.spool_max_bytes", "spool size cap"),
  host("alerting.retry", "delivery retries"),
  // formats: the seed's named regexes, applied by the lad command before the module
  host("formats", "seed-style named regexes, applied by the lad command before the module"),
  // input: where to look in a record
  strs("input.message_keys", "[\"log\",\"message\",\"msg\",\"MESSAGE\",\"body\",\"text\",\"@m\",\"@mt\"]", "keys holding the message"),
  strs("input.level_keys", "[\"level\",\"severity\",\"log.level\",\"lvl\",\"loglevel\",\"log_level\",\"severity_text\",\"PRIORITY\",\"priority\",\"levelname\",\"@l\",\"s\",\"severityText\",\"severityNumber\"]", "keys holding the level"),
  strs("input.time_keys", "[\"time\",\"timestamp\",\"@timestamp\",\"ts\",\"datetime\",\"t\",\"@t\",\"timeUnixNano\",\"__REALTIME_TIMESTAMP\",\"instant\",\"asctime\"]", "keys holding the event time"),
  str("input.stream_field", "\"\"", "record field that refines the stream: tag/value"),
  str("input.heartbeat_tag", "\"lad.heartbeat\"", "records with this tag only move the event-time clock"),
  oneOf("input.time_source", ["auto", "record", "host"], "\"auto\"", "where event time comes from"),
  str("input.format", "\"auto\"", "force a raw-line format (lad_describe: input_formats)"),
  // output
  str("output.key", "\"anomaly\"", "where lad's object goes"),
  str("output.fallback_key", "\"anomaly_lad\"", "where it goes when the record has output.key"),
  // templates: the miner
  int("templates.max_templates", 16, 65536, "4096", "templates kept (LRU)"),
  num("templates.similarity_threshold", 0.1, 1.0, "0.7", "share of matching tokens to join a template"),
  flag("templates.include_text", "true", "write the template text on each record"),
  flag("templates.new_pattern_events", "true", "new_pattern events on first sightings"),
  flag("templates.word_rule", "true", "a position that takes 5 dictionary words becomes <*>"),
  int("templates.warmup_records", 0, 1e12, "1000", "records per stream before a template counts as new"),
  int("templates.warmup_seconds", 0, 1e9, "300", "event-time seconds per stream before a template counts as new"),
  int("templates.max_tokens", 4, 128, "64", "tokens per template (128: the miner's MAX_TOKENS_HARD)"),
  str("templates.extra_delimiters", "\"\"", "extra ASCII delimiter bytes"),
  strs("templates.extra_masks", "[]", "glob patterns over whole tokens"),
  strs("templates.seed_templates", "[]", "templates known from the start (fleet-wide ids)"),
  strs("templates.seed_lines", "[]", "lines mined before any record"),
  // files under accessible_paths (the hosts resolve them beside the config file)
  str("baseline.file", "null", "baseline document to load"),
  strs("baseline.files", "null", "baseline documents to load"),
  str("state.file", "null", "template snapshot loaded at start and written every interval"),
  int("state.interval_seconds", 1, 1e7, "300", "seconds of event time between state writes"),
];

/** The default of "section.key", parsed: the owners' configuration classes start from these. */
function defaultValue(path: string): JV {
  for (let i = 0; i < CONFIG_KEYS.length; i++) {
    let k = CONFIG_KEYS[i];
    if (k.path != path) continue;
    let b = String.UTF8.encode(k.dflt);
    let v = parseJson(changetype<usize>(b), <usize>b.byteLength);
    if (v !== null) return v;
  }
  throw new Error("no default for " + path);
}
export function defaultNum(path: string): f64 { return defaultValue(path).n; }
export function defaultBool(path: string): bool { return defaultValue(path).b; }
export function defaultStr(path: string): string { return defaultValue(path).s; }
export function defaultStrs(path: string): string[] {
  let v = defaultValue(path);
  let l = new Array<string>(v.arr.length);
  for (let i = 0; i < v.arr.length; i++) l[i] = v.arr[i].s;
  return l;
}

/** The table's entry for section.key, or null. */
export function configKey(section: string, key: string): ConfigKey | null {
  let path = section + "." + key;
  for (let i = 0; i < CONFIG_KEYS.length; i++) if (CONFIG_KEYS[i].path == path) return CONFIG_KEYS[i];
  return null;
}

/** Whether `name` is a top-level section (or host-owned top-level key). */
export function isSection(name: string): bool {
  for (let i = 0; i < CONFIG_KEYS.length; i++) {
    let p = CONFIG_KEYS[i].path;
    if (p == name || (p.length > name.length && p.startsWith(name) && p.charCodeAt(name.length) == 0x2E)) return true;
  }
  return false;
}

/** One value against its key: the wording every section shares. */
export function checkValue(k: ConfigKey, v: JV): string | null {
  switch (k.type) {
    case KT_NUM: case KT_INT: return checkNum(v, k.path, k.min, k.max);
    case KT_BOOL: return checkKind(v, JV_BOOL, k.path);
    case KT_STR: return checkKind(v, JV_STR, k.path);
    case KT_STRS: { let scratch = new Array<string>(); return checkStrList(v, k.path, scratch); }
    case KT_ENUM: {
      let e = checkKind(v, JV_STR, k.path);
      if (e !== null) return e;
      if (!k.choices.includes(v.s)) return k.path + ": \"" + v.s + "\" is not one of " + k.choices.join(", ");
      return null;
    }
    default: return null;
  }
}

/** A section: an object whose every key is in the table with a good value. Null = ok, else the
 *  first problem, naming its key. */
export function checkSection(sec: JV, section: string): string | null {
  let e = checkKind(sec, JV_OBJ, section);
  if (e !== null) return e;
  for (let i = 0; i < sec.keys.length; i++) {
    let k = configKey(section, sec.keys[i]);
    if (k === null) return section + "." + sec.keys[i] + ": unknown key";
    e = checkValue(k, sec.vals[i]);
    if (e !== null) return e;
  }
  return null;
}

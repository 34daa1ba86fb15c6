// Applies a lad.json document (the seed's anomaly_config.yaml schema as JSON, plus lad's own keys)
// onto a fresh Config. Every unknown key is an error that names the key, so typos never pass silently.
import { Config, setConfig, utf8, utf8List, TIME_AUTO, TIME_RECORD, TIME_HOST } from "../core/config";
import { JV, JV_OBJ, JV_STR, parseJson, jsonError } from "../core/json_value";
import { checkKind as expect, checkNum as num, checkStrList as strList } from "../core/config_check";
import { SEV_INFO, SEV_WARNING, SEV_CRITICAL } from "../core/events";
import { LEVEL_UNKNOWN } from "../core/levels";
import * as F from "../core/formats";
import { configureMiner } from "../miner/index";
import { configureDetect } from "../detect/index";

function formatByName(s: string): u8 {
  if (s == "auto") return LEVEL_UNKNOWN;
  for (let f: u8 = 0; f <= F.FORMAT_TEXT; f++) if (F.formatName(f) == s) return f;
  for (let i = 0; i < F.FORMAT_ALIASES.length; i++) if (F.FORMAT_ALIASES[i] == s) return F.FORMAT_ALIASED[i];
  return 254;
}

function applyDetection(sec: JV, c: Config): string | null {
  let e = expect(sec, JV_OBJ, "detection");
  if (e !== null) return e;
  for (let i = 0; i < sec.keys.length; i++) {
    let k = sec.keys[i], v = sec.vals[i];
    if (k == "threshold") { e = num(v, "detection.threshold", 0.1, 1000); if (e === null) c.threshold = v.n; }
    else if (k == "window_size") { e = num(v, "detection.window_size", 1, 86400); if (e === null) c.windowSize = <i32>v.n; }
    else if (k == "min_events") { e = num(v, "detection.min_events", 0, 1e9); if (e === null) c.minEvents = <i32>v.n; }
    if (e !== null) return e;
  }
  return configureDetect(sec);
}

function applyPatterns(sec: JV, c: Config): string | null {
  let e = expect(sec, JV_OBJ, "patterns");
  if (e !== null) return e;
  for (let i = 0; i < sec.keys.length; i++) {
    let k = sec.keys[i], v = sec.vals[i];
    let list = new Array<string>();
    if (k == "error_patterns") { e = strList(v, "patterns.error_patterns", list); if (e === null) c.errorPatterns = utf8List(list); }
    else if (k == "ignore_patterns") { e = strList(v, "patterns.ignore_patterns", list); if (e === null) c.ignorePatterns = utf8List(list); }
    else e = "patterns." + k + ": unknown key";
    if (e !== null) return e;
  }
  return null;
}

function applyAlerting(sec: JV, c: Config): string | null {
  let e = expect(sec, JV_OBJ, "alerting");
  if (e !== null) return e;
  for (let i = 0; i < sec.keys.length; i++) {
    let k = sec.keys[i], v = sec.vals[i];
    if (k == "min_severity") {
      e = expect(v, JV_STR, "alerting.min_severity");
      if (e === null) {
        if (v.s == "info") c.minSeverity = SEV_INFO;
        else if (v.s == "warning") c.minSeverity = SEV_WARNING;
        else if (v.s == "critical") c.minSeverity = SEV_CRITICAL;
        else e = "alerting.min_severity: \"" + v.s + "\" is not one of info, warning, critical";
      }
    }
    // Delivery settings belong to the Node harness / Fluent Bit outputs; accepted here so one file serves both.
    else if (k == "enabled" || k == "webhook_url" || k == "sinks" || k == "dedupe_seconds" ||
             k == "spool_dir" || k == "spool_max_bytes" || k == "retry") { /* harness keys */ }
    else e = "alerting." + k + ": unknown key";
    if (e !== null) return e;
  }
  return null;
}

function applyInput(sec: JV, c: Config): string | null {
  let e = expect(sec, JV_OBJ, "input");
  if (e !== null) return e;
  for (let i = 0; i < sec.keys.length; i++) {
    let k = sec.keys[i], v = sec.vals[i];
    let list = new Array<string>();
    if (k == "message_keys") { e = strList(v, "input.message_keys", list); if (e === null) c.messageKeys = utf8List(list); }
    else if (k == "level_keys") { e = strList(v, "input.level_keys", list); if (e === null) c.levelKeys = utf8List(list); }
    else if (k == "time_keys") { e = strList(v, "input.time_keys", list); if (e === null) c.timeKeys = utf8List(list); }
    else if (k == "stream_field") { e = expect(v, JV_STR, "input.stream_field"); if (e === null) c.streamField = utf8(v.s); }
    else if (k == "heartbeat_tag") { e = expect(v, JV_STR, "input.heartbeat_tag"); if (e === null) c.heartbeatTag = utf8(v.s); }
    else if (k == "time_source") {
      e = expect(v, JV_STR, "input.time_source");
      if (e === null) {
        if (v.s == "auto") c.timeSource = TIME_AUTO;
        else if (v.s == "record") c.timeSource = TIME_RECORD;
        else if (v.s == "host") c.timeSource = TIME_HOST;
        else e = "input.time_source: \"" + v.s + "\" is not one of auto, record, host";
      }
    }
    else if (k == "format") {
      e = expect(v, JV_STR, "input.format");
      if (e === null) {
        let f = formatByName(v.s);
        if (f == 254) e = "input.format: unknown format \"" + v.s + "\"";
        else c.formatHint = f;
      }
    }
    else e = "input." + k + ": unknown key";
    if (e !== null) return e;
  }
  return null;
}

function applyOutput(sec: JV, c: Config): string | null {
  let e = expect(sec, JV_OBJ, "output");
  if (e !== null) return e;
  for (let i = 0; i < sec.keys.length; i++) {
    let k = sec.keys[i], v = sec.vals[i];
    if (k == "key" || k == "fallback_key") {
      e = expect(v, JV_STR, "output." + k);
      if (e === null && (v.s.length == 0 || v.s.length > 64)) e = "output." + k + ": must be 1 to 64 characters";
      if (e === null && (v.s.includes("\"") || v.s.includes("\\"))) e = "output." + k + ": must not contain quotes or backslashes";
      if (e === null) { if (k == "key") c.outputKey = utf8(v.s); else c.outputKeyFallback = utf8(v.s); }
    }
    else e = "output." + k + ": unknown key";
    if (e !== null) return e;
  }
  return null;
}

/** Keys whose values the WASI glue reads (file names under accessible_paths). */
export let baselineFiles: string[] = [];
export let stateFile: string = "";
export let stateIntervalSec: i32 = 300;

function applyFiles(sec: JV, name: string): string | null {
  let e = expect(sec, JV_OBJ, name);
  if (e !== null) return e;
  for (let i = 0; i < sec.keys.length; i++) {
    let k = sec.keys[i], v = sec.vals[i];
    if (name == "baseline" && k == "files") { let l = new Array<string>(); e = strList(v, "baseline.files", l); if (e === null) baselineFiles = l; }
    else if (name == "baseline" && k == "file") { e = expect(v, JV_STR, "baseline.file"); if (e === null) baselineFiles = [v.s]; }
    else if (name == "state" && k == "file") { e = expect(v, JV_STR, "state.file"); if (e === null) stateFile = v.s; }
    else if (name == "state" && k == "interval_seconds") { e = num(v, "state.interval_seconds", 1, 1e7); if (e === null) stateIntervalSec = <i32>v.n; }
    else e = name + "." + k + ": unknown key";
    if (e !== null) return e;
  }
  return null;
}

/** Parses and applies a config document. Returns null on success, else a message naming the bad key.
 *  On error the previous configuration stays in force in CFG, and the caller marks config as bad. */
export function applyConfig(ptr: usize, len: usize): string | null {
  let root = parseJson(ptr, len);
  if (root === null) return "config is not valid JSON: " + jsonError;
  if (root.kind != JV_OBJ) return "config: expected an object, got " + root.kindName();
  let c = new Config();
  let minerSec: JV | null = null;
  let detectSec: JV | null = null;
  let e: string | null = null;
  baselineFiles = []; stateFile = ""; stateIntervalSec = 300;
  for (let i = 0; i < root.keys.length; i++) {
    let k = root.keys[i], v = root.vals[i];
    if (k == "detection") detectSec = v;
    else if (k == "patterns") e = applyPatterns(v, c);
    else if (k == "alerting") e = applyAlerting(v, c);
    else if (k == "input") e = applyInput(v, c);
    else if (k == "output") e = applyOutput(v, c);
    else if (k == "templates") minerSec = v;
    else if (k == "baseline" || k == "state") e = applyFiles(v, k);
    else if (k == "formats") { /* custom regexes: applied by the Node harness before the module */ }
    else e = k + ": unknown key";
    if (e !== null) return e;
  }
  if (detectSec !== null) { e = applyDetection(detectSec, c); if (e !== null) return e; }
  else { e = configureDetect(null); if (e !== null) return e; }
  e = configureMiner(minerSec);
  if (e !== null) return e;
  setConfig(c);
  return null;
}

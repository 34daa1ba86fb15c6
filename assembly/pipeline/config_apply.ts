// Applies a lad.json document (the seed's anomaly_config.yaml schema as JSON, plus lad's own keys)
// onto a fresh Config. Every unknown key is an error that names the key, so typos never pass silently.
import { Config, setConfig, utf8, utf8List, timeSourceByName } from "../core/config";
import { JV, JV_OBJ, parseJson, jsonError } from "../core/json_value";
import { checkStrList } from "../core/config_check";
import { checkSection, isSection, defaultNum } from "../core/config_keys";
import { severityByName } from "../core/events";
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

// Each section is checked against the configuration table (core/config_keys.ts) first; the
// appliers below only assign, and check what a type and a range cannot say.

/** The seed's three detection keys (the rest are detect's: configureDetect checks the section). */
function applyDetection(sec: JV, c: Config): void {
  for (let i = 0; i < sec.keys.length; i++) {
    let k = sec.keys[i], v = sec.vals[i];
    if (k == "threshold") c.threshold = v.n;
    else if (k == "window_size") c.windowSize = <i32>v.n;
    else if (k == "min_events") c.minEvents = <i32>v.n;
  }
}

function strings(v: JV): string[] { let l = new Array<string>(); checkStrList(v, "", l); return l; }

function applyPatterns(sec: JV, c: Config): string | null {
  let e = checkSection(sec, "patterns");
  if (e !== null) return e;
  for (let i = 0; i < sec.keys.length; i++) {
    let k = sec.keys[i], v = sec.vals[i];
    if (k == "error_patterns") c.errorPatterns = utf8List(strings(v));
    else if (k == "ignore_patterns") c.ignorePatterns = utf8List(strings(v));
  }
  return null;
}

function applyAlerting(sec: JV, c: Config): string | null {
  let e = checkSection(sec, "alerting");
  if (e !== null) return e;
  let ms = sec.get("min_severity");
  if (ms !== null) c.minSeverity = severityByName(ms.s);
  return null;
}

function applyInput(sec: JV, c: Config): string | null {
  let e = checkSection(sec, "input");
  if (e !== null) return e;
  for (let i = 0; i < sec.keys.length; i++) {
    let k = sec.keys[i], v = sec.vals[i];
    if (k == "message_keys") c.messageKeys = utf8List(strings(v));
    else if (k == "level_keys") c.levelKeys = utf8List(strings(v));
    else if (k == "time_keys") c.timeKeys = utf8List(strings(v));
    else if (k == "stream_field") c.streamField = utf8(v.s);
    else if (k == "heartbeat_tag") c.heartbeatTag = utf8(v.s);
    else if (k == "time_source") c.timeSource = timeSourceByName(v.s);
    else if (k == "format") {
      let f = formatByName(v.s);
      if (f == 254) return "input.format: unknown format \"" + v.s + "\"";
      c.formatHint = f;
    }
  }
  return null;
}

function applyOutput(sec: JV, c: Config): string | null {
  let e = checkSection(sec, "output");
  if (e !== null) return e;
  for (let i = 0; i < sec.keys.length; i++) {
    let k = sec.keys[i], v = sec.vals[i];
    if (v.s.length == 0 || v.s.length > 64) return "output." + k + ": must be 1 to 64 characters";
    if (v.s.includes("\"") || v.s.includes("\\")) return "output." + k + ": must not contain quotes or backslashes";
    if (k == "key") c.outputKey = utf8(v.s); else c.outputKeyFallback = utf8(v.s);
  }
  return null;
}

/** Keys whose values the WASI glue reads (file names under accessible_paths). */
export let baselineFiles: string[] = [];
export let stateFile: string = "";
/** stateFile is set (a plain global: the filter entry tests it per record without a managed read). */
export let stateOn = false;
export let stateIntervalSec: i32 = <i32>defaultNum("state.interval_seconds");

function applyFiles(sec: JV, name: string): string | null {
  let e = checkSection(sec, name);
  if (e !== null) return e;
  for (let i = 0; i < sec.keys.length; i++) {
    let k = sec.keys[i], v = sec.vals[i];
    if (name == "baseline" && k == "files") baselineFiles = strings(v);
    else if (name == "baseline" && k == "file") baselineFiles = [v.s];
    else if (name == "state" && k == "file") { stateFile = v.s; stateOn = stateFile.length > 0; }
    else if (name == "state" && k == "interval_seconds") stateIntervalSec = <i32>v.n;
  }
  return null;
}

/** The document last applied (lad_describe reports it as the effective configuration). */
export let appliedConfig: JV | null = null;

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
  baselineFiles = []; stateFile = ""; stateOn = false; stateIntervalSec = <i32>defaultNum("state.interval_seconds");
  for (let i = 0; i < root.keys.length; i++) {
    let k = root.keys[i], v = root.vals[i];
    if (k == "detection") detectSec = v;
    else if (k == "patterns") e = applyPatterns(v, c);
    else if (k == "alerting") e = applyAlerting(v, c);
    else if (k == "input") e = applyInput(v, c);
    else if (k == "output") e = applyOutput(v, c);
    else if (k == "templates") minerSec = v;
    else if (k == "baseline" || k == "state") e = applyFiles(v, k);
    else if (!isSection(k)) e = k + ": unknown key";
    // else a host-owned section (formats: custom regexes the Node harness applies before the module)
    if (e !== null) return e;
  }
  e = configureDetect(detectSec); // checks the whole detection section
  if (e !== null) return e;
  if (detectSec !== null) applyDetection(detectSec, c);
  e = configureMiner(minerSec);
  if (e !== null) return e;
  setConfig(c);
  appliedConfig = root;
  return null;
}

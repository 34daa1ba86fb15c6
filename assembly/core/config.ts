// Runtime configuration. Defaults from the configuration table (config_keys.ts); `applyConfig`
// (pipeline/config_apply.ts) overwrites them from the lad.json / anomaly_config schema. Key lists
// are kept as UTF-8 byte arrays so the hot path compares bytes, never Strings.
import { LEVEL_UNKNOWN } from "./levels";
import { severityByName } from "./events";
import { defaultNum, defaultStr, defaultStrs } from "./config_keys";

export function utf8(s: string): StaticArray<u8> {
  let buf = String.UTF8.encode(s);
  let n = buf.byteLength;
  let out = new StaticArray<u8>(n);
  memory.copy(changetype<usize>(out), changetype<usize>(buf), <usize>n);
  return out;
}

export function utf8List(list: string[]): StaticArray<u8>[] {
  let out = new Array<StaticArray<u8>>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = utf8(list[i]);
  return out;
}

export const TIME_AUTO: u8 = 0;
export const TIME_RECORD: u8 = 1;
export const TIME_HOST: u8 = 2;

/** input.time_source's value (one of the table's choices) as TIME_*. */
export function timeSourceByName(s: string): u8 { return s == "record" ? TIME_RECORD : s == "host" ? TIME_HOST : TIME_AUTO; }

export class Config {
  // output
  outputKey: StaticArray<u8> = utf8(defaultStr("output.key"));
  /** Key used instead when the record already has outputKey (the user's value always survives). */
  outputKeyFallback: StaticArray<u8> = utf8(defaultStr("output.fallback_key"));

  // input: where to look in a record
  messageKeys: StaticArray<u8>[] = utf8List(defaultStrs("input.message_keys"));
  levelKeys: StaticArray<u8>[] = utf8List(defaultStrs("input.level_keys"));
  timeKeys: StaticArray<u8>[] = utf8List(defaultStrs("input.time_keys"));
  /** Record field that refines the stream (tag + "/" + value), empty = tag only. */
  streamField: StaticArray<u8> = utf8(defaultStr("input.stream_field"));
  /** Records with this tag only move the module's event-time clock (a Fluent Bit `dummy` input
   *  through the filter): no stream, no template; alerts of quiet streams may ride on them. */
  heartbeatTag: StaticArray<u8> = utf8(defaultStr("input.heartbeat_tag"));
  timeSource: u8 = timeSourceByName(defaultStr("input.time_source"));
  /** FORMAT_* to force a raw-line format, LEVEL_UNKNOWN(255) = auto-detect (input.format "auto"). */
  formatHint: u8 = LEVEL_UNKNOWN;

  // patterns (seed schema)
  errorPatterns: StaticArray<u8>[] = utf8List(defaultStrs("patterns.error_patterns"));
  ignorePatterns: StaticArray<u8>[] = utf8List(defaultStrs("patterns.ignore_patterns"));

  // detection (seed schema)
  threshold: f64 = defaultNum("detection.threshold");
  windowSize: i32 = <i32>defaultNum("detection.window_size");
  minEvents: i32 = <i32>defaultNum("detection.min_events");

  // alerting (seed schema)
  minSeverity: u8 = severityByName(defaultStr("alerting.min_severity"));
}

export let CFG = new Config();
/** CFG's address as a plain number: hot paths read its scalar fields through the cfg*() accessors below, since
 *  each read of a managed global costs a shadow-stack spill (and often a frame) under the
 *  incremental runtime. Kept in step by resetConfig / setConfig (CFG itself is only replaced
 *  there; its fields may be changed in place). */
let CFG_ADDR: usize = changetype<usize>(CFG);
@inline export function cfgTimeSource(): u8 { return load<u8>(CFG_ADDR + offsetof<Config>("timeSource")); }
@inline export function cfgFormatHint(): u8 { return load<u8>(CFG_ADDR + offsetof<Config>("formatHint")); }
@inline export function cfgMinSeverity(): u8 { return load<u8>(CFG_ADDR + offsetof<Config>("minSeverity")); }
@inline export function cfgWindowSize(): i32 { return load<i32>(CFG_ADDR + offsetof<Config>("windowSize")); }
/** Address and byte length of a StaticArray<u8> field (the length is its header's rtSize). */
@inline export function cfgHeartbeatTag(): usize { return load<usize>(CFG_ADDR + offsetof<Config>("heartbeatTag")); }
@inline export function cfgOutputKey(): usize { return load<usize>(CFG_ADDR + offsetof<Config>("outputKey")); }
@inline export function bytesLen(p: usize): usize { return <usize>load<u32>(p - 4); }
/** Address of a key or pattern list (identity checks), and whether ignore_patterns has any. */
@inline export function cfgMessageKeys(): usize { return load<usize>(CFG_ADDR + offsetof<Config>("messageKeys")); }
@inline export function cfgLevelKeys(): usize { return load<usize>(CFG_ADDR + offsetof<Config>("levelKeys")); }
@inline export function cfgTimeKeys(): usize { return load<usize>(CFG_ADDR + offsetof<Config>("timeKeys")); }
@inline export function cfgStreamField(): usize { return load<usize>(CFG_ADDR + offsetof<Config>("streamField")); }
@inline export function cfgAddr(): usize { return CFG_ADDR; }
@inline export function cfgErrorPatterns(): usize { return load<usize>(CFG_ADDR + offsetof<Config>("errorPatterns")); }
@inline export function cfgAnyIgnore(): bool {
  return load<i32>(load<usize>(CFG_ADDR + offsetof<Config>("ignorePatterns")) + offsetof<Array<usize>>("length_")) > 0;
}

export function resetConfig(): void { CFG = new Config(); CFG_ADDR = changetype<usize>(CFG); }
export function setConfig(c: Config): void { CFG = c; CFG_ADDR = changetype<usize>(c); }

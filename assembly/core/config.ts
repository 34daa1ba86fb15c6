// Runtime configuration. Defaults here; `applyConfig` (config_apply.ts) overwrites them from the
// lad.json / anomaly_config schema. Key lists are kept as UTF-8 byte arrays so the hot path
// compares bytes, never Strings.
import { LEVEL_UNKNOWN } from "./levels";
import { SEV_WARNING } from "./events";

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

export class Config {
  // output
  outputKey: StaticArray<u8> = utf8("anomaly");
  /** Key used instead when the record already has outputKey (the user's value always survives). */
  outputKeyFallback: StaticArray<u8> = utf8("anomaly_lad");

  // input: where to look in a record
  messageKeys: StaticArray<u8>[] = utf8List(["log", "message", "msg", "MESSAGE", "body", "text", "@m", "@mt"]);
  levelKeys: StaticArray<u8>[] = utf8List(["level", "severity", "log.level", "lvl", "loglevel", "log_level", "severity_text", "PRIORITY", "priority",
    "levelname", "@l", "s", "severityText", "severityNumber"]);
  timeKeys: StaticArray<u8>[] = utf8List(["time", "timestamp", "@timestamp", "ts", "datetime", "t", "@t", "timeUnixNano",
    "__REALTIME_TIMESTAMP", "instant", "asctime"]);
  /** Record field that refines the stream (tag + "/" + value), empty = tag only. */
  streamField: StaticArray<u8> = new StaticArray<u8>(0);
  /** Records with this tag only move the module's event-time clock (a Fluent Bit `dummy` input
   *  through the filter): no stream, no template; alerts of quiet streams may ride on them. */
  heartbeatTag: StaticArray<u8> = utf8("lad.heartbeat");
  timeSource: u8 = TIME_AUTO;
  /** FORMAT_* to force a raw-line format, LEVEL_UNKNOWN(255) = auto-detect. */
  formatHint: u8 = LEVEL_UNKNOWN;

  // patterns (seed schema)
  errorPatterns: StaticArray<u8>[] = utf8List(["ERROR", "FATAL", "CRITICAL", "Exception", "failed", "failure", "failures", "timeout",
    "Traceback", "panic", "OutOfMemory", "Segmentation fault", "refused", "unreachable", "oom-killer", "Out of memory"]);
  ignorePatterns: StaticArray<u8>[] = [];

  // detection (seed schema)
  threshold: f64 = 3.0;
  windowSize: i32 = 60;
  minEvents: i32 = 10;

  // alerting (seed schema)
  minSeverity: u8 = SEV_WARNING;
}

export let CFG = new Config();

export function resetConfig(): void { CFG = new Config(); }
export function setConfig(c: Config): void { CFG = c; }

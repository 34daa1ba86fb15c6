// Anomaly events collected for the current record (template miner and detectors append here);
// the pipeline writes them as anomaly.events and sets anomaly.alert when a window-level decision
// reaches min_severity. The miner's per-record first sighting of a template is an event, not an
// alert: it alerts only through the detector's escalation when it keeps occurring.
import { ByteBuf } from "./byte_buf";

export const SEV_INFO: u8 = 0;
export const SEV_WARNING: u8 = 1;
export const SEV_CRITICAL: u8 = 2;

export function severityName(s: u8): string {
  return s == SEV_CRITICAL ? "critical" : s == SEV_WARNING ? "warning" : "info";
}

/** The severities' names, lowest first. */
export function severityNames(): string[] {
  let l = new Array<string>();
  for (let s = SEV_INFO; s <= SEV_CRITICAL; s++) l.push(severityName(s));
  return l;
}

/** The severity named `name` (one of severityNames()); SEV_WARNING for any other. */
export function severityByName(name: string): u8 {
  for (let s = SEV_INFO; s <= SEV_CRITICAL; s++) if (severityName(s) == name) return s;
  return SEV_WARNING;
}

@unmanaged   // one global instance; a managed one costs a shadow-stack spill at every use
export class EventSink {
  buf: ByteBuf = new ByteBuf(1024);
  count: i32 = 0;
  maxSeverity: i32 = -1;
  /** Highest severity among window-level decisions (the events that can make an alert). */
  alertSeverity: i32 = -1;

  reset(): void { this.buf.reset(); this.count = 0; this.maxSeverity = -1; this.alertSeverity = -1; }

  /** Opens an event object and writes type, severity and stream; add fields with `,"k":v` on
   *  `buf`, then call end(). */
  begin(type: string, severity: u8, streamPtr: usize, streamLen: usize, alerting: bool = true): ByteBuf {
    let b = this.buf;
    if (this.count > 0) b.byte(0x2C);
    b.ascii("{\"type\":\""); b.ascii(type);
    b.ascii("\",\"severity\":\""); b.ascii(severityName(severity));
    b.ascii("\",\"stream\":"); b.jsonString(streamPtr, streamLen);
    this.count++;
    if (<i32>severity > this.maxSeverity) this.maxSeverity = severity;
    if (alerting && <i32>severity > this.alertSeverity) this.alertSeverity = severity;
    return b;
  }

  end(): void { this.buf.byte(0x7D); }
}

export const EVENTS = new EventSink();

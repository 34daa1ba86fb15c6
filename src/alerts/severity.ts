// Severity order and the one rule for which anomaly events become alerts, shared by `lad analyze`,
// `lad watch`, `lad serve` and the alerter.

import { SEV_RANK } from '../module/vocabulary.js';

export { SEV_RANK };

/** A severity's index in SEVERITIES (lowest first); anything else -1 (never reaches a minimum). */
export function severityRank(s: string): number { return SEV_RANK[s] ?? -1; }

/** Whether an event goes to the alerter: window-level decisions (events with `window_start`) on an
 *  alert record at or above the minimum severity, and every `resolved` event (so open alerts, e.g. in
 *  Alertmanager, get closed). A template's first sighting carries no window: an event, not an
 *  alert. The alerter filters and dedupes again. */
export function shouldAlert(recordAlert: boolean | undefined, ev: { type: string; severity: string; window_start?: string }, minRank: number): boolean {
  return ev.type === 'resolved' || (recordAlert === true && ev.window_start !== undefined && severityRank(ev.severity) >= minRank);
}

/** Exit code of a one-shot command (`lad analyze`, `lad alerts flush`) that ends with alerts still
 *  undelivered in the spool (the receiver was unreachable). */
export const EXIT_ALERTS_PENDING = 4;

/** The line a command prints when it ends with undelivered alerts. */
export function pendingAlertsLine(queued: number): string {
  return `lad: ${queued} alert${queued === 1 ? '' : 's'} not delivered (receiver unreachable); kept in the alert spool: run 'lad alerts flush' (or the next lad run) to deliver them`;
}

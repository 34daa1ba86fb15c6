// The module's words as the host uses them: severities in their order, event types, input formats.
// The module owns them (assembly/core/events.ts, detect/state.ts, core/formats.ts) and reports them
// through lad_describe(); tests/host/describe.test.js checks these lists against that answer.

/** Severities, lowest first: an event's rank is its index. */
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEV_RANK: Record<string, number> = Object.fromEntries(SEVERITIES.map((s, i) => [s, i]));

/** Event types the module emits (`resolved` closes an alert episode). */
export const EVENT_TYPES = ['rate_spike', 'rate_drop', 'error_spike', 'pattern_spike', 'new_pattern', 'baseline_deviation', 'silence', 'resolved'] as const;

/** input.format values (--format): the module's own parsers, besides custom `formats:` names. */
export const NATIVE_FORMATS = ['auto', 'syslog', 'json', 'nginx', 'apache', 'syslog-rfc3164', 'syslog-rfc5424',
  'nginx-access', 'nginx-error', 'apache-access', 'apache-error', 'logfmt', 'klog', 'cri', 'app', 'text'];

// Builds the analysis report (report.json; the HTML report renders the same object) and the short
// machine-readable summary printed by `lad analyze --json`, from what the module emitted.
import type { AnomalyEvent, Report, Severity, TemplateInfo, WindowPoint } from './types.js';
import type { RawAnomaly, RawEvent, RawWindow } from '../module/results.js';
import type { ModuleStats } from '../module/module.js';
import { SEV_RANK } from '../module/vocabulary.js';

/** Events kept in the report (all are counted; the list is capped so memory stays bounded). */
const MAX_KEPT = { critical: 10000, warning: 10000, info: 2000 } as const;
const MAX_TEMPLATES = 500;
const MAX_NEW_TEMPLATES = 200;

export function toIso(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) {
    // seconds or milliseconds since the epoch
    return new Date(v < 1e11 ? v * 1000 : v).toISOString();
  }
  if (typeof v === 'string') return v;
  return '';
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** One module event (plus the record's anomaly fields) in the report's shape. */
export function toAnomalyEvent(a: RawAnomaly, e: RawEvent, extra: { file?: string; line?: number | null } = {}): AnomalyEvent & Record<string, unknown> {
  const sev: Severity = e.severity === 'critical' || e.severity === 'warning' ? e.severity : 'info';
  const out: AnomalyEvent & Record<string, unknown> = {
    type: String(e.type ?? 'unknown'),
    severity: sev,
    stream: String(e.stream ?? ''),
    timestamp: toIso(e.time ?? a.time ?? e.window_end ?? ''),
    description: typeof e.description === 'string' && e.description && e.description !== e.type ? e.description
      : e.type === 'new_pattern' && typeof e.template === 'string' ? `New log pattern: ${e.template}`
        : String(e.type ?? ''),
  };
  const value = num(e.value), expected = num(e.expected), score = num(e.score);
  if (value !== undefined) out.value = value;
  if (expected !== undefined) out.expected = expected;
  if (score !== undefined) out.score = score;
  if (e.window_start !== undefined) out.window_start = toIso(e.window_start);
  if (e.window_end !== undefined) out.window_end = toIso(e.window_end);
  // A window-level event is about its window (and names its template itself when it is about one,
  // as pattern_spike does); the record that carries it is any record of any stream.
  const windowLevel = e.window_start !== undefined;
  const tid = e.template_id ?? (windowLevel ? undefined : a.template_id);
  if (tid !== undefined) out.template_id = String(tid);
  if (typeof e.template === 'string') out.template = e.template;
  else if (tid !== undefined && Array.isArray(e.top_templates)) {
    const t = (e.top_templates as Array<{ template_id?: unknown; template?: unknown }>).find((x) => x && String(x.template_id) === String(tid));
    if (t && typeof t.template === 'string') out.template = t.template;
  }
  if (Array.isArray(e.top_templates)) out.top_templates = e.top_templates as AnomalyEvent['top_templates'];
  if (typeof e.example === 'string') {
    out.example = e.example;
    out.sample_entries = [e.example.slice(0, 200)];
  }
  // Anything else the module adds (e.g. baseline fields) is kept as is.
  for (const [k, v] of Object.entries(e)) if (!(k in out) && k !== 'time') out[k] = v;
  if (extra.file) out.file = extra.file;
  if (typeof extra.line === 'number') out.line = extra.line + 1;
  return out;
}

/** An alert: a window-level decision (an event with `window_start`) of severity warning or critical.
 *  A template's first sighting and a `resolved` event are informational events, never alerts. */
export function isAlertEvent(ev: { type: string; severity: string; window_start?: unknown }): boolean {
  return ev.type !== 'resolved' && ev.window_start !== undefined && (ev.severity === 'warning' || ev.severity === 'critical');
}

/** Informational events by kind (everything that is not an alert). */
export interface InfoEvents { total: number; first_sightings: number; first_sightings_error: number; resolved: number; other: number }

export class ReportBuilder {
  /** Every event (alerts and informational) by severity. */
  readonly bySeverity: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  /** Alerts only (isAlertEvent): what --fail-on looks at. */
  readonly alertsBySeverity = { critical: 0, warning: 0 };
  readonly infoEvents: InfoEvents = { total: 0, first_sightings: 0, first_sightings_error: 0, resolved: 0, other: 0 };
  readonly byType: Record<string, number> = {};
  private readonly kept: (AnomalyEvent & Record<string, unknown>)[] = [];
  private readonly keptBySev: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  private readonly streams = new Map<string, WindowPoint[]>();
  /** Alert events (isAlertEvent). */
  alerts = 0;

  constructor(private readonly windowSec = 60) {}

  get total(): number { return this.bySeverity.critical + this.bySeverity.warning + this.bySeverity.info; }

  /** Adds every event of a record's anomaly object; returns them normalised. */
  addAnomaly(a: RawAnomaly, ctx: { file?: string; line?: number | null } = {}): (AnomalyEvent & Record<string, unknown>)[] {
    const out: (AnomalyEvent & Record<string, unknown>)[] = [];
    for (const raw of a.events ?? []) {
      const ev = toAnomalyEvent(a, raw, ctx);
      this.bySeverity[ev.severity]++;
      ev.alert = isAlertEvent(ev);
      if (ev.alert) {
        this.alerts++;
        this.alertsBySeverity[ev.severity as 'warning' | 'critical']++;
      } else {
        this.infoEvents.total++;
        if (ev.type === 'resolved') this.infoEvents.resolved++;
        else if (ev.type === 'new_pattern' && ev.window_start === undefined) {
          this.infoEvents.first_sightings++;
          if (ev.severity !== 'info') this.infoEvents.first_sightings_error++;
        } else this.infoEvents.other++;
      }
      this.byType[ev.type] = (this.byType[ev.type] ?? 0) + 1;
      if (this.keptBySev[ev.severity] < MAX_KEPT[ev.severity]) {
        this.keptBySev[ev.severity]++;
        this.kept.push(ev);
      }
      out.push(ev);
    }
    return out;
  }

  addWindow(w: RawWindow): void {
    const stream = String(w.stream ?? '');
    let list = this.streams.get(stream);
    if (!list) this.streams.set(stream, (list = []));
    list.push({ start: toIso(w.start), count: Number(w.count) || 0, errors: Number(w.errors) || 0 });
  }

  /** Seed statistics: mean events/minute and mean error share over all closed windows. */
  rates(): { avg_event_rate: number; avg_error_rate: number; windows: number } {
    let n = 0, rate = 0, err = 0, withEvents = 0;
    for (const list of this.streams.values()) {
      for (const w of list) {
        n++;
        rate += (w.count * 60) / this.windowSec;
        if (w.count > 0) { err += w.errors / w.count; withEvents++; }
      }
    }
    return { avg_event_rate: n ? rate / n : 0, avg_error_rate: withEvents ? err / withEvents : 0, windows: n };
  }

  anomalies(): (AnomalyEvent & Record<string, unknown>)[] { return this.kept; }

  build(meta: {
    files: string[];
    totalLines: number;
    stats: ModuleStats;
    templates: TemplateInfo[];
    elapsedSec: number;
    moduleSec?: number;
    version: string;
  }): Report & Record<string, unknown> {
    const r = this.rates();
    const sorted = [...meta.templates].sort((a, b) => b.count - a.count);
    const top = sorted.slice(0, MAX_TEMPLATES);
    const inTop = new Set(top.map((t) => t.template_id));
    const extraNew = sorted.filter((t) => t.new && !inTop.has(t.template_id)).slice(0, MAX_NEW_TEMPLATES);
    // Template text for the ids events name (top_templates carry ids only).
    const text = new Map(meta.templates.map((t) => [String(t.template_id), t.template]));
    for (const a of this.kept) {
      if (a.template === undefined && a.template_id !== undefined && text.has(a.template_id)) a.template = text.get(a.template_id);
      for (const t of a.top_templates ?? []) {
        if (t.template === undefined && text.has(String(t.template_id))) t.template = text.get(String(t.template_id))!;
      }
    }
    // same time: the more severe first
    const anomalies = [...this.kept].sort((a, b) =>
      a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : SEV_RANK[b.severity] - SEV_RANK[a.severity]);
    const statistics: Report['statistics'] & Record<string, unknown> = {
      avg_event_rate: round(r.avg_event_rate, 2),
      avg_error_rate: round(r.avg_error_rate, 6),
      by_level: meta.stats.by_level ?? {},
      by_format: meta.stats.by_format ?? {},
      by_severity: { ...this.bySeverity },
      by_type: { ...this.byType },
      records: meta.stats.records,
      windows: r.windows,
      window_seconds: this.windowSec,
      alerts: this.alerts,
      alerts_by_severity: { ...this.alertsBySeverity },
      informational_events: { ...this.infoEvents },
      elapsed_seconds: round(meta.elapsedSec, 3),
      module_seconds: meta.moduleSec !== undefined ? round(meta.moduleSec, 3) : undefined,
      lines_per_second: meta.elapsedSec > 0 ? Math.round(meta.totalLines / meta.elapsedSec) : undefined,
    };
    return {
      analyzed_file: meta.files.join(', '),
      analyzed_files: meta.files,
      analysis_time: new Date().toISOString(),
      total_lines: meta.totalLines,
      unique_patterns: meta.stats.templates ?? meta.templates.length,
      anomalies,
      anomalies_total: this.total,
      anomalies_truncated: anomalies.length < this.total,
      statistics,
      streams: [...this.streams.entries()].map(([stream, windows]) => ({ stream, windows })),
      templates: [...top, ...extraNew],
      lad_version: meta.version,
    };
  }
}

export function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** What `lad analyze --json` prints: the headline numbers and the warning/critical anomalies. */
export interface Summary {
  files: string[];
  total_lines: number;
  records: number;
  unique_patterns: number;
  avg_event_rate: number;
  avg_error_rate: number;
  /** Every event the module reported (alerts and informational events). */
  anomalies: { total: number; critical: number; warning: number; info: number; by_type: Record<string, number> };
  /** Alerts (window-level, warning or critical): what --fail-on looks at. */
  alerts: number;
  alerts_by_severity: { critical: number; warning: number };
  /** Events that are not alerts: first sightings of templates (error-level ones apart), resolved, other. */
  informational_events: InfoEvents;
  by_level: Record<string, number>;
  by_format: Record<string, number>;
  elapsed_seconds: number;
  /** Of which inside the module (lad_batch); the rest is reading and the harness. */
  module_seconds: number;
  /** CPU time of the whole process so far (user + system): steadier than wall time on a busy host. */
  cpu_seconds: number;
  lines_per_second: number;
  fail_on: string;
  exit_code: number;
  findings: AnomalyEvent[];
}

const MAX_FINDINGS = 100;

export function buildSummary(report: Report & Record<string, unknown>, failOn: string, exitCode: number): Summary {
  const s = report.statistics as Report['statistics'] & Record<string, unknown>;
  const findings = report.anomalies.filter((a) => a.severity !== 'info').slice(0, MAX_FINDINGS)
    .map((a) => {
      const { top_templates: _t, sample_entries: _s, ...rest } = a as AnomalyEvent & Record<string, unknown>;
      return rest as AnomalyEvent;
    });
  return {
    files: (report.analyzed_files as string[]) ?? [report.analyzed_file],
    total_lines: report.total_lines,
    records: Number(s.records ?? 0),
    unique_patterns: report.unique_patterns,
    avg_event_rate: s.avg_event_rate,
    avg_error_rate: s.avg_error_rate,
    anomalies: {
      total: Number(report.anomalies_total ?? report.anomalies.length),
      critical: s.by_severity.critical,
      warning: s.by_severity.warning,
      info: s.by_severity.info,
      by_type: (s.by_type as Record<string, number>) ?? {},
    },
    alerts: Number(s.alerts ?? 0),
    alerts_by_severity: (s.alerts_by_severity as Summary['alerts_by_severity']) ?? { critical: 0, warning: 0 },
    informational_events: (s.informational_events as InfoEvents) ?? { total: 0, first_sightings: 0, first_sightings_error: 0, resolved: 0, other: 0 },
    by_level: s.by_level,
    by_format: s.by_format,
    elapsed_seconds: Number(s.elapsed_seconds ?? 0),
    module_seconds: Number(s.module_seconds ?? 0),
    cpu_seconds: round((process.cpuUsage().user + process.cpuUsage().system) / 1e6, 3),
    lines_per_second: Number(s.lines_per_second ?? 0),
    fail_on: failOn,
    exit_code: exitCode,
    findings,
  };
}

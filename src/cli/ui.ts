// Terminal output: colours only on a TTY (picocolors), a progress line on stderr, the seed-style
// anomaly lines and summary.
import pc from 'picocolors';
import type { AnomalyEvent } from '../report/types.js';

export type Colors = ReturnType<typeof pc.createColors>;

export function colorsFor(stream: NodeJS.WriteStream): Colors {
  const env = process.env;
  const on = env.NO_COLOR ? false : env.FORCE_COLOR && env.FORCE_COLOR !== '0' ? true : Boolean(stream.isTTY) && env.TERM !== 'dumb';
  return pc.createColors(on);
}

export function fmtInt(n: number): string { return Math.round(n).toLocaleString('en-US'); }

export function fmtRate(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  return `${Math.round(n)}`;
}

function fmtBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(0)} KiB`;
  return `${n} B`;
}

const SPIN = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** One self-overwriting line on stderr; a no-op unless stderr is a TTY. */
export class Progress {
  private readonly on: boolean;
  private last = 0;
  private frame = 0;
  private shown = false;
  private readonly t0 = Date.now();
  private readonly c: Colors;

  constructor(enabled: boolean, private readonly label = 'Processing') {
    this.on = enabled && Boolean(process.stderr.isTTY);
    this.c = colorsFor(process.stderr);
  }

  update(lines: number, done: number, total: number | null, force = false): void {
    if (!this.on) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const secs = Math.max((now - this.t0) / 1000, 1e-3);
    const width = Math.max(20, (process.stderr.columns || 80) - 1);
    let bar = '';
    if (total && total > 0) {
      const frac = Math.min(1, done / total);
      const w = 20;
      const full = Math.round(frac * w);
      bar = `${this.c.cyan('█'.repeat(full))}${this.c.dim('░'.repeat(w - full))} ${(frac * 100).toFixed(0).padStart(3)}% `;
    } else {
      bar = `${this.c.cyan(SPIN[this.frame++ % SPIN.length])} `;
    }
    const text = `${bar}${this.label} ${fmtInt(lines)} lines · ${fmtBytes(done)} · ${fmtRate(lines / secs)} lines/s`;
    process.stderr.write(`\r\x1b[2K${text.length > width + 40 ? text.slice(0, width + 40) : text}`);
    this.shown = true;
  }

  /** Removes the line (before printing something else). */
  clear(): void {
    if (this.on && this.shown) { process.stderr.write('\r\x1b[2K'); this.shown = false; this.last = 0; }
  }
}

const ICON: Record<string, string> = { critical: '🔴', warning: '🟡', info: '🔵' };

/** Seed style: "⚠ [CRITICAL] error_spike" / description / time. */
export function formatAnomaly(a: AnomalyEvent & Record<string, unknown>, c: Colors): string {
  const col = a.severity === 'critical' ? c.red : a.severity === 'warning' ? c.yellow : c.blue;
  // Alerts (window-level decisions) as in the seed; informational events (a template's first
  // sighting, resolved) marked as such.
  const head = a.alert === false
    ? c.blue(`• ${a.type === 'new_pattern' && a.window_start === undefined ? 'first sighting' : a.type}`) + c.dim(` (${a.severity}, not an alert)`)
    : col(`⚠ [${a.severity.toUpperCase()}] ${a.type}`);
  const lines = [head + c.dim(`  ${a.stream}`)];
  lines.push(`  ${a.description}`);
  if ((a.type === 'pattern_spike' || a.type === 'new_pattern') && typeof a.template === 'string') lines.push(`  Template: ${truncate(a.template, 160)}`);
  const where = typeof a.line === 'number' ? c.dim(`  (line ${a.line}${a.file ? ` of ${a.file}` : ''})`) : '';
  lines.push(`  Time: ${a.timestamp || 'unknown'}${where}`);
  if (a.example) lines.push(c.dim(`  e.g. ${truncate(String(a.example), 160)}`));
  return lines.join('\n') + '\n';
}

export function truncate(s: string, n: number): string {
  const one = s.replace(/[\r\n\t]+/g, ' ');
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

export interface SummaryView {
  totalLines: number;
  uniquePatterns: number;
  avgEventRate: number | null;
  avgErrorRate: number | null;
  bySeverity: { critical: number; warning: number; info: number };
  /** When given, alerts and informational events are counted apart (else all as anomalies). */
  alerts?: { critical: number; warning: number };
  infoEvents?: { total: number; first_sightings: number; first_sightings_error: number; resolved: number; other: number };
  elapsedSec: number;
  extra?: string[];
}

export function formatSummary(s: SummaryView, c: Colors): string {
  const rule = '━'.repeat(60);
  const out = ['', rule, c.bold(c.cyan('ANALYSIS SUMMARY')), rule];
  out.push(`Total lines processed: ${fmtInt(s.totalLines)}`);
  out.push(`Unique patterns: ${fmtInt(s.uniquePatterns)}`);
  if (s.avgEventRate !== null) out.push(`Average event rate: ${s.avgEventRate.toFixed(1)}/min`);
  if (s.avgErrorRate !== null) out.push(`Average error rate: ${(s.avgErrorRate * 100).toFixed(2)}%`);
  out.push('');
  if (s.alerts && s.infoEvents) {
    const e = s.infoEvents;
    out.push(`Alerts: ${fmtInt(s.alerts.critical + s.alerts.warning)}`);
    out.push(`  ${ICON.critical} Critical: ${fmtInt(s.alerts.critical)}`);
    out.push(`  ${ICON.warning} Warning: ${fmtInt(s.alerts.warning)}`);
    out.push(`Informational events (not alerts): ${fmtInt(e.total)}`);
    out.push(`  ${ICON.info} New patterns, first sighting: ${fmtInt(e.first_sightings)}${e.first_sightings_error ? ` (${fmtInt(e.first_sightings_error)} at error level)` : ''}`);
    out.push(`  ${ICON.info} Resolved: ${fmtInt(e.resolved)}`);
    if (e.other) out.push(`  ${ICON.info} Other: ${fmtInt(e.other)}`);
  } else {
    const total = s.bySeverity.critical + s.bySeverity.warning + s.bySeverity.info;
    out.push(`Anomalies detected: ${fmtInt(total)}`);
    out.push(`  ${ICON.critical} Critical: ${fmtInt(s.bySeverity.critical)}`);
    out.push(`  ${ICON.warning} Warning: ${fmtInt(s.bySeverity.warning)}`);
    out.push(`  ${ICON.info} Info: ${fmtInt(s.bySeverity.info)}`);
  }
  for (const l of s.extra ?? []) out.push(l);
  if (s.elapsedSec > 0) out.push(c.dim(`\n${fmtInt(s.totalLines)} lines in ${s.elapsedSec.toFixed(2)} s (${fmtRate(s.totalLines / s.elapsedSec)} lines/s)`));
  return out.join('\n') + '\n';
}

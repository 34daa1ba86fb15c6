// Request bodies for each sink type. Every body carries the alert id so receivers can drop the
// duplicates that at-least-once delivery produces (a timed-out request may still have arrived).
import type { AnomalyEvent, SinkType } from './types.js';

/** Label set + start of an Alertmanager alert that is firing, kept to resolve it later. */
export interface OpenAlert {
  labels: Record<string, string>;
  startsAt: string;
}

function str(v: unknown, max: number): string {
  const s = typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

function num(v: number | undefined): string | undefined {
  if (v === undefined || v === null || !Number.isFinite(v)) return undefined;
  return String(Math.round(v * 100) / 100);
}

function validTime(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}

/** One-line human summary shared by Slack and Alertmanager. */
export function summaryLine(ev: AnomalyEvent): string {
  const sev = ev.type === 'resolved' ? 'RESOLVED' : String(ev.severity).toUpperCase();
  let s = `[${sev}] ${ev.type} on stream ${ev.stream}: ${str(ev.description, 300)}`;
  const v = num(ev.value), e = num(ev.expected);
  if (v !== undefined && e !== undefined) s += ` (value ${v}, expected ${e})`;
  return s;
}

// ---- generic webhook --------------------------------------------------------------------------

export function webhookBody(id: string, ev: AnomalyEvent): unknown {
  return { id, source: 'lad', ...ev };
}

// ---- Slack incoming webhook -------------------------------------------------------------------

/** Slack mrkdwn control characters: without this a log line containing `<!channel>` would ping a
 *  whole channel and `<http://x|y>` would render as a disguised link. */
export function slackEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const SEV_EMOJI: Record<string, string> = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
};

export function slackBody(id: string, ev: AnomalyEvent): unknown {
  const resolved = ev.type === 'resolved';
  const emoji = resolved ? ':white_check_mark:' : SEV_EMOJI[ev.severity] ?? ':grey_question:';
  const text = `${emoji} ${slackEscape(summaryLine(ev))}`;
  const fields: { type: string; text: string }[] = [
    { type: 'mrkdwn', text: `*Severity*\n${slackEscape(str(ev.severity, 20))}` },
    { type: 'mrkdwn', text: `*Stream*\n${slackEscape(str(ev.stream, 200))}` },
    { type: 'mrkdwn', text: `*Type*\n${slackEscape(str(ev.type, 50))}` },
    { type: 'mrkdwn', text: `*Event time*\n${slackEscape(str(ev.timestamp, 40))}` },
  ];
  const v = num(ev.value), e = num(ev.expected);
  if (v !== undefined) fields.push({ type: 'mrkdwn', text: `*Value*\n${v}${e !== undefined ? ` (expected ${e})` : ''}` });
  if (ev.template) fields.push({ type: 'mrkdwn', text: `*Template*\n${slackEscape(str(ev.template, 500))}` });
  const blocks: unknown[] = [
    { type: 'section', text: { type: 'mrkdwn', text: str(text, 2900) } },
    { type: 'section', fields: fields.slice(0, 10) },
  ];
  const example = ev.example ?? ev.sample_entries?.[0];
  if (example) {
    // Backtick runs would close the code block early.
    const code = slackEscape(str(example, 1500)).replace(/`{3,}/g, (m) => '\u02cb'.repeat(m.length));
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: '```' + code + '```' } });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `lad alert ${id}` }] });
  return { text: str(text, 3000), blocks };
}

// ---- Alertmanager /api/v2/alerts --------------------------------------------------------------

const LABEL_VALUE_MAX = 256;

export function alertmanagerLabels(ev: AnomalyEvent, type = ev.type): Record<string, string> {
  const labels: Record<string, string> = {
    alertname: 'lad_' + type.replace(/[^A-Za-z0-9_]/g, '_'),
    severity: ev.severity,
    stream: str(ev.stream, LABEL_VALUE_MAX),
    source: 'lad',
  };
  if (ev.template_id) labels.template_id = str(ev.template_id, LABEL_VALUE_MAX);
  return labels;
}

export function alertmanagerFiring(id: string, ev: AnomalyEvent): { body: unknown; open: OpenAlert } {
  const labels = alertmanagerLabels(ev);
  const startsAt = validTime(ev.window_start) ?? validTime(ev.timestamp) ?? new Date().toISOString();
  const annotations: Record<string, string> = {
    summary: str(summaryLine(ev), 500),
    description: str(ev.description, 2000),
    lad_alert_id: id,
    event_time: str(ev.timestamp, 40),
  };
  const v = num(ev.value), e = num(ev.expected), sc = num(ev.score);
  if (v !== undefined) annotations.value = v;
  if (e !== undefined) annotations.expected = e;
  if (sc !== undefined) annotations.score = sc;
  if (ev.template) annotations.template = str(ev.template, 1000);
  const example = ev.example ?? ev.sample_entries?.[0];
  if (example) annotations.example = str(example, 1000);
  if (ev.top_templates?.length) {
    annotations.top_templates = str(
      ev.top_templates.slice(0, 5).map((t) => `${t.count}× ${t.template}`).join('\n'), 2000);
  }
  return { body: [{ labels, annotations, startsAt }], open: { labels, startsAt } };
}

/** Resolves the given open alerts (same label sets, endsAt = event time of the resolution). */
export function alertmanagerResolved(id: string, ev: AnomalyEvent, open: OpenAlert[]): unknown {
  const endsAt = validTime(ev.timestamp) ?? new Date().toISOString();
  return open.map((o) => ({
    labels: o.labels,
    annotations: {
      summary: str(summaryLine(ev), 500),
      description: str(ev.description, 2000),
      lad_alert_id: id,
      event_time: str(ev.timestamp, 40),
    },
    // endsAt must not precede startsAt.
    startsAt: o.startsAt,
    endsAt: Date.parse(endsAt) < Date.parse(o.startsAt) ? o.startsAt : endsAt,
  }));
}

export function bodyFor(type: SinkType, id: string, ev: AnomalyEvent): unknown {
  if (type === 'slack') return slackBody(id, ev);
  if (type === 'alertmanager') return alertmanagerFiring(id, ev).body;
  return webhookBody(id, ev);
}

/// <reference types="node" />
// Alert delivery: filter (min_severity) -> dedupe (stream+type, event time) -> per-sink spool on
// disk -> in-order delivery with exponential backoff and full jitter. At-least-once: every payload
// carries an id (and an X-Lad-Alert-Id header) for receivers to drop duplicates. The id is derived
// from the alert itself (alertId), so the same alert found again (lad analyze re-run on the same
// file, lad watch restarted) has the same id, and the spool holds and sends it once.
import { createHash } from 'node:crypto';
import type {
  Alerter, AlerterOptions, AlerterStats, AlertingConfig, AnomalyEvent, Severity, SinkConfig, SinkType,
} from './types.js';
import { Redactor, redactUrl } from './redact.js';
import { Spool, type SpoolEntry } from './spool.js';
import { postJson } from './http.js';
import { SEV_RANK } from './severity.js';
import { SEVERITIES } from '../module/vocabulary.js';
export { EXIT_ALERTS_PENDING, pendingAlertsLine } from './severity.js';
import {
  alertmanagerFiring, alertmanagerResolved, slackBody, webhookBody, type OpenAlert,
} from './payloads.js';

export type * from './types.js';
export { redactUrl, Redactor } from './redact.js';
export { slackBody, webhookBody, alertmanagerFiring, alertmanagerResolved, summaryLine, slackEscape } from './payloads.js';

const SINK_TYPES: SinkType[] = ['webhook', 'slack', 'alertmanager'];
const DEFAULTS = {
  dedupe_seconds: 300,
  spool_max_bytes: 16 * 1024 * 1024,
  timeout_ms: 5000,
  initial_ms: 500,
  max_ms: 60000,
  permanent_attempts: 5,
  close_ms: 5000,
};

// ---- config validation (for the CLI's config loader) -------------------------------------------

function fail(where: string, msg: string): never {
  throw new Error(`${where}: ${msg}`);
}

function checkKeys(o: Record<string, unknown>, allowed: string[], where: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) fail(where, `unknown key "${k}" (allowed: ${allowed.join(', ')})`);
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function posNum(v: unknown, where: string, allowZero = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    fail(where, `must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${JSON.stringify(v)}`);
  }
  return v;
}

function checkUrl(v: unknown, where: string): string {
  if (typeof v !== 'string') fail(where, 'must be a string URL');
  let u: URL;
  try { u = new URL(v); } catch { fail(where, `is not a valid URL: ${redactUrl(v)}`); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') fail(where, `must be http:// or https://, got ${u.protocol}`);
  return v;
}

/** The `alerting:` keys and min_severity's default: the module's configuration table owns them
 *  (tests/host/describe.test.js checks these against lad_describe). The module applies
 *  min_severity; the rest are the hosts'. */
export const ALERTING_KEYS = ['enabled', 'min_severity', 'webhook_url', 'sinks', 'dedupe_seconds', 'spool_max_bytes', 'retry', 'spool_dir'];
export const DEFAULT_MIN_SEVERITY: Severity = 'warning';

/** Validates the raw `alerting:` section (YAML/JSON) and returns a typed config. Throws an Error
 *  naming the offending key; never echoes a URL's secrets. Absent section -> disabled. */
export function parseAlertingConfig(raw: unknown, where = 'alerting'): AlertingConfig {
  if (raw === undefined || raw === null) return { enabled: false, min_severity: DEFAULT_MIN_SEVERITY };
  if (!isObj(raw)) fail(where, 'must be a mapping');
  checkKeys(raw, ALERTING_KEYS, where);
  const cfg: AlertingConfig = { enabled: true, min_severity: DEFAULT_MIN_SEVERITY };
  if (raw.enabled !== undefined) {
    if (typeof raw.enabled !== 'boolean') fail(`${where}.enabled`, 'must be true or false');
    cfg.enabled = raw.enabled;
  }
  if (raw.min_severity !== undefined) {
    if (typeof raw.min_severity !== 'string' || !(raw.min_severity in SEV_RANK)) {
      fail(`${where}.min_severity`, `must be one of ${SEVERITIES.join(', ')}`);
    }
    cfg.min_severity = raw.min_severity as Severity;
  }
  if (raw.webhook_url !== undefined && raw.webhook_url !== null && raw.webhook_url !== '') {
    cfg.webhook_url = checkUrl(raw.webhook_url, `${where}.webhook_url`);
  }
  if (raw.sinks !== undefined && raw.sinks !== null) {
    if (!Array.isArray(raw.sinks)) fail(`${where}.sinks`, 'must be a list');
    cfg.sinks = raw.sinks.map((s, i) => {
      const w = `${where}.sinks[${i}]`;
      if (!isObj(s)) fail(w, 'must be a mapping');
      checkKeys(s, ['type', 'url', 'headers', 'timeout_ms'], w);
      if (typeof s.type !== 'string' || !SINK_TYPES.includes(s.type as SinkType)) {
        fail(`${w}.type`, `must be one of ${SINK_TYPES.join(', ')}`);
      }
      const sink: SinkConfig = { type: s.type as SinkType, url: checkUrl(s.url, `${w}.url`) };
      if (s.headers !== undefined) {
        if (!isObj(s.headers)) fail(`${w}.headers`, 'must be a mapping of strings');
        for (const [k, v] of Object.entries(s.headers)) {
          if (typeof v !== 'string') fail(`${w}.headers.${k}`, 'must be a string');
        }
        sink.headers = s.headers as Record<string, string>;
      }
      if (s.timeout_ms !== undefined) sink.timeout_ms = posNum(s.timeout_ms, `${w}.timeout_ms`);
      return sink;
    });
  }
  if (raw.spool_dir !== undefined && raw.spool_dir !== null) {
    if (typeof raw.spool_dir !== 'string' || !raw.spool_dir) fail(`${where}.spool_dir`, 'must be a directory path');
    cfg.spool_dir = raw.spool_dir;
  }
  if (raw.dedupe_seconds !== undefined) cfg.dedupe_seconds = posNum(raw.dedupe_seconds, `${where}.dedupe_seconds`, true);
  if (raw.spool_max_bytes !== undefined) cfg.spool_max_bytes = posNum(raw.spool_max_bytes, `${where}.spool_max_bytes`);
  if (raw.retry !== undefined) {
    const r = raw.retry;
    if (!isObj(r)) fail(`${where}.retry`, 'must be a mapping');
    checkKeys(r, ['initial_ms', 'max_ms', 'max_attempts'], `${where}.retry`);
    cfg.retry = {
      initial_ms: r.initial_ms === undefined ? DEFAULTS.initial_ms : posNum(r.initial_ms, `${where}.retry.initial_ms`),
      max_ms: r.max_ms === undefined ? DEFAULTS.max_ms : posNum(r.max_ms, `${where}.retry.max_ms`),
    };
    if (r.max_attempts !== undefined) {
      if (!Number.isInteger(r.max_attempts) || (r.max_attempts as number) < 1) fail(`${where}.retry.max_attempts`, 'must be an integer >= 1');
      cfg.retry.max_attempts = r.max_attempts as number;
    }
  }
  return cfg;
}

/** All configured sinks: `sinks` plus the seed's `webhook_url`. */
export function sinksOf(cfg: AlertingConfig): SinkConfig[] {
  const out = [...(cfg.sinks ?? [])];
  if (cfg.webhook_url) out.push({ type: 'webhook', url: cfg.webhook_url });
  return out;
}

// ---- delivery -----------------------------------------------------------------------------------

function fmtMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

class SinkWorker {
  readonly label: string;
  readonly spool: Spool;
  private url: URL;
  private headers: Record<string, string>;
  private timeoutMs: number;
  private initialMs: number;
  private maxMs: number;
  private maxAttempts: number | undefined;
  private log: (s: string) => void;
  private wake: (() => void) | null = null;
  private sleepTimer: NodeJS.Timeout | null = null;
  private ctl = new AbortController();
  private stopping = false;
  private deadline = Infinity;
  private consecutiveFailures = 0;
  private idleWaiters: (() => void)[] = [];
  private loop: Promise<void>;
  delivered = 0;
  failures = 0;

  constructor(readonly sink: SinkConfig, cfg: AlertingConfig, spoolRoot: string, log: (s: string) => void) {
    this.url = new URL(sink.url);
    this.label = `${sink.type} ${redactUrl(sink.url)}`;
    this.headers = { ...(sink.headers ?? {}) };
    this.timeoutMs = sink.timeout_ms ?? DEFAULTS.timeout_ms;
    this.initialMs = cfg.retry?.initial_ms ?? DEFAULTS.initial_ms;
    this.maxMs = Math.max(this.initialMs, cfg.retry?.max_ms ?? DEFAULTS.max_ms);
    this.maxAttempts = cfg.retry?.max_attempts;
    this.log = log;
    // The directory name is a hash: the URL (a secret) never appears on disk in clear.
    const key = `${sink.type}-${createHash('sha256').update(sink.type + '\n' + sink.url).digest('hex').slice(0, 16)}`;
    this.spool = Spool.open(spoolRoot, key, { type: sink.type, url: redactUrl(sink.url) },
      cfg.spool_max_bytes ?? DEFAULTS.spool_max_bytes, (s) => log(`alerts: ${this.label}: ${s}`));
    this.spool.onDurable = () => this.poke();
    this.loop = this.run();
  }

  enqueue(id: string, at: string, body: unknown): void {
    this.spool.append(id, at, body);
  }

  private poke(): void {
    const w = this.wake;
    this.wake = null;
    if (this.sleepTimer) { clearTimeout(this.sleepTimer); this.sleepTimer = null; }
    if (w) w();
  }

  /** Interruptible sleep; `ms` undefined = until poked. Unref'd: never keeps the process alive. */
  private sleep(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      if (ms !== undefined) {
        this.sleepTimer = setTimeout(() => { this.sleepTimer = null; this.wake = null; resolve(); }, ms);
        this.sleepTimer.unref();
      }
    });
  }

  private notifyIdle(): void {
    const ws = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of ws) w();
  }

  async idle(): Promise<void> {
    await this.spool.flush(); // accepted alerts join the queue once they are on disk
    if (!this.spool.queue.length || this.stopping) return;
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const e = this.spool.queue[0];
      if (!e) {
        this.notifyIdle();
        await this.sleep();
        continue;
      }
      await this.attempt(e);
    }
    this.notifyIdle();
  }

  private async attempt(e: SpoolEntry): Promise<void> {
    const started = Date.now();
    const r = await postJson(this.url, JSON.stringify(e.body), { ...this.headers, 'x-lad-alert-id': e.id },
      Math.max(1, Math.min(this.timeoutMs, this.deadline - started)), this.ctl.signal);
    if (r.ok) {
      this.delivered++;
      if (this.consecutiveFailures > 0) {
        this.log(`alerts: ${this.label}: delivered again after ${this.consecutiveFailures} failed attempts (${this.spool.queue.length - 1} still queued)`);
      }
      this.consecutiveFailures = 0;
      this.spool.ack(e);
      return;
    }
    if (this.stopping && r.error === 'aborted at shutdown deadline') return;
    this.failures++;
    this.consecutiveFailures++;
    e.attempts++;
    const why = r.error ?? `HTTP ${r.status} ${r.statusText ?? ''}`.trim() + (r.bodySnippet ? `: ${r.bodySnippet}` : '');
    const limit = this.maxAttempts ?? (r.transient ? Infinity : DEFAULTS.permanent_attempts);
    if (e.attempts >= limit) {
      this.log(`alerts: ${this.label}: delivery of alert ${e.id} failed (attempt ${e.attempts}): ${why}; giving up on it, kept in ${this.spool.dir}/dead.ndjson`);
      this.spool.deadLetter(e, why);
      return;
    }
    // Full jitter: uniform in [0, min(max, initial * 2^n)], but never sooner than Retry-After.
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(30, this.consecutiveFailures - 1));
    let delay = Math.random() * ceiling;
    if (r.retryAfterMs !== undefined) delay = Math.max(delay, Math.min(r.retryAfterMs, this.maxMs));
    const queued = this.spool.queue.length;
    const hint = r.transient ? '' : ' (this looks like a configuration problem)';
    this.log(`alerts: ${this.label}: delivery failed (attempt ${e.attempts}): ${why}${hint}; retrying in ${fmtMs(delay)} (${queued} queued)`);
    if (this.stopping) return;
    if (Date.now() + delay >= this.deadline) { this.stopping = true; return; } // closing: no time left
    await this.sleep(delay);
  }

  /** Delivers until the queue is empty or `deadline`, then aborts what is in flight. */
  async stop(deadline: number): Promise<void> {
    this.deadline = deadline;
    const left = deadline - Date.now();
    const t = setTimeout(() => { this.stopping = true; this.ctl.abort(); this.poke(); }, Math.max(0, left));
    // Ref'd on purpose: the process stays alive until the flush finishes or the deadline passes.
    await Promise.race([this.idle(), this.loop]);
    this.stopping = true;
    clearTimeout(t);
    this.ctl.abort();
    this.poke();
    await this.loop;
    await this.spool.close();
  }
}

/** The alert's id: a hash of what identifies it (stream, type, severity, window start or event
 *  time, template, what a `resolved` event resolves), formatted like a UUID. Stable across runs. */
export function alertId(ev: AnomalyEvent): string {
  const e = ev as unknown as Record<string, unknown>;
  const key = [e.stream, e.type, e.severity, e.window_start ?? e.timestamp, e.template_id, e.resolves]
    .map((v) => (v === undefined || v === null ? '' : String(v)));
  const h = createHash('sha256').update(JSON.stringify(key)).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function dedupeTime(ev: AnomalyEvent): number {
  const t = Date.parse(ev.timestamp);
  return Number.isFinite(t) ? t : Date.now();
}

/** Validates `config` (a typed AlertingConfig or the raw YAML section: parseAlertingConfig throws
 *  an Error naming a bad key) and starts one delivery worker per sink, replaying their spools. */
export function createAlerter(config: AlertingConfig, opts: AlerterOptions): Alerter {
  const cfg = parseAlertingConfig(config);
  const out = opts.log ?? ((s: string) => process.stderr.write(`lad: ${s}\n`));
  const redactor = new Redactor();
  const sinks = cfg.enabled ? sinksOf(cfg) : [];
  for (const s of sinks) { redactor.addUrl(s.url); redactor.addHeaders(s.headers); }
  const log = (s: string): void => {
    try { out(redactor.scrub(s)); } catch { /* a logger must not break delivery */ }
  };
  const minRank = SEV_RANK[cfg.min_severity] ?? SEV_RANK[DEFAULT_MIN_SEVERITY];
  const dedupeMs = (cfg.dedupe_seconds ?? DEFAULTS.dedupe_seconds) * 1000;
  const lastSent = new Map<string, number>();           // stream\0type -> event time
  const open = new Map<string, Map<string, { type: string; am: OpenAlert }>>(); // stream -> key -> open alert
  const stats = { accepted: 0, filtered: 0 };
  let closed = false;
  let warnedClosed = false;

  const workers: SinkWorker[] = [];
  for (const s of sinks) {
    try {
      workers.push(new SinkWorker(s, cfg, opts.spoolDir, log));
    } catch (e) {
      log(`alerts: ${s.type} ${redactUrl(s.url)}: disabled, cannot open its spool in ${opts.spoolDir}: ${(e as Error).message}`);
    }
  }
  if (cfg.enabled && sinks.length === 0) log('alerts: alerting is enabled but no sink is configured (webhook_url or sinks); alerts are not sent');

  function send(ev: AnomalyEvent): void {
    try {
      if (closed) {
        if (!warnedClosed) { warnedClosed = true; log('alerts: send() after close(); event ignored'); }
        return;
      }
      if (!workers.length || !ev || typeof ev !== 'object') return;
      const stream = String(ev.stream ?? '');
      const id = alertId(ev);
      const at = new Date().toISOString();
      if (ev.type === 'resolved') {
        // Which alerts it resolves: the named type if the event says, else all open on the stream.
        const resolves = (ev as unknown as { resolves?: unknown }).resolves;
        const m = open.get(stream);
        const closing: { type: string; am: OpenAlert }[] = [];
        if (m) {
          for (const [k, v] of m) {
            if (typeof resolves === 'string' && resolves && v.type !== resolves) continue;
            closing.push(v);
            m.delete(k);
            lastSent.delete(stream + '\0' + v.type);
          }
        }
        if (!closing.length && SEV_RANK[ev.severity] < minRank) { stats.filtered++; return; }
        stats.accepted++;
        for (const w of workers) {
          if (w.sink.type === 'alertmanager') {
            if (closing.length) w.enqueue(id, at, alertmanagerResolved(id, ev, closing.map((c) => c.am)));
          } else {
            w.enqueue(id, at, w.sink.type === 'slack' ? slackBody(id, ev) : webhookBody(id, ev));
          }
        }
        return;
      }
      if (!(SEV_RANK[ev.severity] >= minRank)) { stats.filtered++; return; }
      const dkey = stream + '\0' + ev.type;
      const t = dedupeTime(ev);
      const prev = lastSent.get(dkey);
      if (dedupeMs > 0 && prev !== undefined && Math.abs(t - prev) < dedupeMs) { stats.filtered++; return; }
      lastSent.set(dkey, t);
      if (lastSent.size > 10000) lastSent.delete(lastSent.keys().next().value!); // bounded
      stats.accepted++;
      const fired = alertmanagerFiring(id, ev);
      let m = open.get(stream);
      if (!m) { m = new Map(); open.set(stream, m); }
      m.set(ev.type + '\0' + (ev.template_id ?? ''), { type: ev.type, am: fired.open });
      if (m.size > 1000) m.delete(m.keys().next().value!);
      if (open.size > 10000) open.delete(open.keys().next().value!);
      for (const w of workers) {
        w.enqueue(id, at, w.sink.type === 'slack' ? slackBody(id, ev) : w.sink.type === 'alertmanager' ? fired.body : webhookBody(id, ev));
      }
    } catch (e) {
      log(`alerts: cannot enqueue an event: ${(e as Error).message}`);
    }
  }

  let closing: Promise<void> | null = null;
  function close(timeoutMs?: number): Promise<void> {
    if (closing) return closing;
    closed = true;
    const deadline = Date.now() + (timeoutMs ?? opts.closeTimeoutMs ?? DEFAULTS.close_ms);
    closing = (async () => {
      await Promise.all(workers.map(async (w) => {
        try {
          await w.stop(deadline);
        } catch (e) {
          log(`alerts: ${w.label}: error while closing: ${(e as Error).message}`);
        }
        const left = w.spool.queue.length;
        if (left) log(`alerts: ${w.label}: ${left} undelivered alerts kept in ${w.spool.dir}; the next run sends them first (or: lad alerts flush)`);
      }));
    })();
    return closing;
  }

  return {
    send,
    close,
    async idle() { await Promise.all(workers.map((w) => w.idle())); },
    stats(): AlerterStats {
      let delivered = 0, failures = 0, queued = 0, dropped = 0, dead = 0;
      for (const w of workers) {
        delivered += w.delivered; failures += w.failures; queued += w.spool.queue.length;
        dropped += w.spool.dropped; dead += w.spool.deadLettered;
      }
      let duplicates = 0;
      for (const w of workers) duplicates += w.spool.duplicates;
      return { accepted: stats.accepted, filtered: stats.filtered, delivered, failures, queued, dropped: dropped + dead, dead_lettered: dead, duplicates };
    },
  };
}

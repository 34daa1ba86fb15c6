// `lad serve`: a sidecar that tags NDJSON records with the same WebAssembly module Fluent Bit runs.
//
//   TCP listener (e.g. Vector `socket` sink)  ─┐
//                                              ├─> lad module (batches) ─> forward queue ─> TCP peer / stdout
//   HTTP POST /ingest (JSON array or NDJSON) ──┘                          └─> alerts (webhooks, spool)
//
// Guarantees: records of one connection (or one request) leave in the order they came; the forward
// queue is bounded (inputs are paused while it is over --max-buffer, /ingest answers 503); while
// the downstream is unreachable records are held and the forwarder reconnects with backoff; on
// SIGTERM inputs are drained, the queue is flushed (what cannot be delivered in time goes to a
// spool file that the next start sends first) and the process exits 0.
import net from 'node:net';
import http from 'node:http';
import { createHash } from 'node:crypto';
import { gunzipSync, inflateSync } from 'node:zlib';
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { LadModule } from '../module/module.js';
import type { RawAnomaly } from '../module/results.js';
import { EVENT_TYPES as EVENT_TYPE_LIST } from '../module/vocabulary.js';
import type { Alerter, AnomalyEvent } from '../alerts/index.js';
import { SEV_RANK, shouldAlert } from '../alerts/severity.js';
import { formatHostPort, type HostPort } from './address.js';
import { Counter, Gauge, Histogram, Registry, CONTENT_TYPE } from './metrics.js';
import { countLines, Tagger } from './tagger.js';
import { StdoutDownstream, TcpDownstream, type Chunk, type Downstream } from './forward.js';

export interface ServeOptions {
  /** TCP listener for NDJSON records; null = none. */
  listen: HostPort | null;
  /** HTTP listener for /ingest, /metrics, /healthz; null = none. */
  http: HostPort | null;
  /** Downstream for tagged records; null = stdout. */
  forward: HostPort | null;
  /** Stream tag handed to the module (refined per record by input.stream_field). */
  tag: string;
  /** Wall-clock heartbeat (input.heartbeat_tag) and the window size it needs (see Tagger.beat). */
  heartbeatTag?: string;
  windowMs?: number;
  /** Bound on records held for the downstream (bytes); inputs pause above it. */
  maxBufferBytes: number;
  /** Largest /ingest body (bytes, after decompression). */
  maxBodyBytes: number;
  /** A line longer than this is cut (memory stays bounded for a sender that never sends '\n'). */
  maxLineBytes: number;
  /** How long POST /ingest waits for its records to be written to the downstream before 503. */
  ackTimeoutMs: number;
  /** On shutdown: how long senders get to close their connections. */
  drainTimeoutMs: number;
  /** On shutdown: how long the downstream gets to take what is queued (the rest is spooled). */
  flushTimeoutMs: number;
  /** Most simultaneous TCP input connections: at the cap a new connection closes the idlest one
   *  (idle at least SHED_MIN_IDLE_MS, paused time not counted), else it is refused. */
  maxConnections: number;
  /** A TCP input connection that sends nothing for this long is closed (0 = never). */
  idleTimeoutMs: number;
  /** Directory for the forward spool. */
  spoolDir: string;
  /** min_severity's rank (SEV_RANK) counted as alerts in /metrics. */
  minSeverityRank: number;
  version: string;
  log: (line: string) => void;
}

/** Optional module state persistence (state.file in the config). */
export interface StateHooks {
  save(): void;
}

interface Conn {
  sock: net.Socket;
  /** Bytes after the last newline seen (a line still arriving). */
  partial: Buffer[];
  partialLen: number;
  /** Complete lines waiting for the next module call (reads of one event-loop turn are batched). */
  ready: Buffer[];
  readyLen: number;
  readyT0: number;
  ended: boolean;
  /** performance.now() of the last byte received (or of the connect), and the server's paused
   *  time then: time paused by backpressure is not idleness (see idleMs). */
  lastActive: number;
  pausedAtActive: number;
  /** Closed by lad serve (idle timeout, shed): FIN sent, still read until the sender closes. */
  closing: boolean;
  remote: string;
}

const EVENT_TYPES: ReadonlySet<string> = new Set(EVENT_TYPE_LIST);
const NL = Buffer.from('\n');
const SLICE = 1 << 20;
const MAX_INGEST_IN_FLIGHT = 8;
/** Before answering 413: at most this much of the refused body is read and dropped. */
const DISCARD_MAX_BYTES = 64 << 20;
const DISCARD_MAX_MS = 10_000;
const READY_MAX = 256 << 10;
/** At the connection cap, only a connection idle this long is closed for a newcomer. */
const SHED_MIN_IDLE_MS = 1000;
/** Connections beyond the cap that Node itself refuses (a guard on file descriptors while shed
 *  connections finish closing). */
const HARD_CONN_SLACK = 64;
/** A connection lad serve closes gets FIN and is read until the sender closes its side (so what it
 *  sent meanwhile is kept), for at most this long; then it is destroyed. */
const CLOSE_GRACE_MS = 3000;

export class LadServer {
  private tcp: net.Server | null = null;
  private web: http.Server | null = null;
  private readonly down: Downstream;
  private readonly conns = new Set<Conn>();
  private paused = false;
  /** Time inputs spent paused before the current pause, and when the current pause began. */
  private pausedBefore = 0;
  private pauseStart = 0;
  /** Connections in `conns` being closed by lad serve (not counted against --max-connections). */
  private closing = 0;
  private flushScheduled = false;
  private draining = false;
  private httpInFlight = 0;
  private shutdownP: Promise<void> | null = null;
  private readonly spoolFile: string;
  private spooled = 0;
  private sweepTimer: NodeJS.Timeout | null = null;
  private beatTimer: NodeJS.Timeout | null = null;
  private readonly closedLog = new Map<string, { at: number; since: number }>();
  readonly registry = new Registry();
  private readonly m: ReturnType<LadServer['makeMetrics']>;

  constructor(
    private readonly mod: LadModule,
    private readonly tagger: Tagger,
    private readonly alerter: Alerter | null,
    private readonly opts: ServeOptions,
    private readonly state: StateHooks | null = null,
  ) {
    const dl = { log: opts.log };
    this.down = opts.forward ? new TcpDownstream(opts.forward, dl) : new StdoutDownstream(dl);
    const id = createHash('sha256').update(`${opts.listen ? formatHostPort(opts.listen) : '-'}>${this.down.label}`).digest('hex').slice(0, 12);
    this.spoolFile = join(opts.spoolDir, `forward-${id}.ndjson`);
    this.m = this.makeMetrics();
    this.down.on('progress', () => this.maybeResume());
  }

  private makeMetrics() {
    const r = this.registry;
    const stats = () => { try { return this.mod.stats(); } catch { return null; } };
    const al = () => this.alerter?.stats();
    return {
      info: r.add(new Gauge('lad_build_info', 'lad version (value is always 1)', () => [[{ version: this.opts.version }, 1]])),
      received: r.add(new Counter('lad_records_received_total', 'Records received and analysed, by input', ['source'])),
      forwarded: r.add(new Gauge('lad_records_forwarded_total', 'Tagged records written to the downstream', () => this.down.forwardedRecords, 'counter')),
      pending: r.add(new Gauge('lad_records_pending', 'Tagged records held for the downstream (queued or being written)', () => this.down.pendingRecords())),
      pendingBytes: r.add(new Gauge('lad_forward_pending_bytes', 'Bytes held for the downstream', () => this.down.pendingBytes())),
      connected: r.add(new Gauge('lad_forward_connected', '1 while the downstream connection is up', () => (this.down.connected() ? 1 : 0))),
      reconnects: r.add(new Gauge('lad_forward_reconnects_total', 'Times the downstream connection was re-established', () => (this.down instanceof TcpDownstream ? this.down.reconnects : 0), 'counter')),
      spooled: r.add(new Gauge('lad_records_spooled_total', 'Records written to the forward spool at shutdown', () => this.spooled, 'counter')),
      anomalies: r.add(new Counter('lad_anomalies_total', 'Anomaly events found, by type and severity', ['type', 'severity'])),
      alerts: r.add(new Counter('lad_alerts_total', 'Window-level anomaly events at or above alerting.min_severity (alerts), by type and severity', ['type', 'severity'])),
      delivered: r.add(new Gauge('lad_alert_deliveries_total', 'Alert deliveries that succeeded (per sink)', () => al()?.delivered ?? 0, 'counter')),
      failures: r.add(new Gauge('lad_alert_delivery_failures_total', 'Alert delivery attempts that failed (per sink)', () => al()?.failures ?? 0, 'counter')),
      alertsQueued: r.add(new Gauge('lad_alerts_queued', 'Alerts waiting in the delivery spool', () => al()?.queued ?? 0)),
      alertsDropped: r.add(new Gauge('lad_alerts_dropped_total', 'Alerts dropped (spool over its bound, or dead-lettered)', () => al()?.dropped ?? 0, 'counter')),
      templates: r.add(new Gauge('lad_templates_active', 'Templates held by the module', () => stats()?.templates ?? 0)),
      streams: r.add(new Gauge('lad_streams_active', 'Streams tracked by the module', () => stats()?.streams ?? 0)),
      latency: r.add(new Histogram('lad_processing_latency_seconds', 'Time from a batch of records arriving to its tagged records being queued for the downstream',
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5])),
      batchSize: r.add(new Histogram('lad_batch_records', 'Records per module call', [1, 10, 100, 1000, 10000, 100000])),
      connections: r.add(new Gauge('lad_input_connections', 'Open TCP input connections', () => this.conns.size)),
      shed: r.add(new Counter('lad_input_connections_closed_total', 'TCP input connections closed by lad serve: idle_timeout (silent for --idle-timeout), shed_idlest (closed at --max-connections to admit a new one), refused (new one refused at --max-connections: every open one was active within the last second; time paused by backpressure does not count as idle)', ['reason'])),
      pausedG: r.add(new Gauge('lad_inputs_paused', '1 while inputs are paused because the downstream is slow or down', () => (this.paused ? 1 : 0))),
      backpressure: r.add(new Counter('lad_backpressure_total', 'Times inputs were paused because the forward queue was over --max-buffer')),
      ingest: r.add(new Counter('lad_http_ingest_requests_total', 'POST /ingest requests, by status code', ['code'])),
      ackTimeouts: r.add(new Counter('lad_http_ingest_ack_timeouts_total', 'POST /ingest requests answered 503 because their records were not written to the downstream within --ack-timeout')),
      wrapped: r.add(new Counter('lad_records_rewritten_total', 'Forwarded records rewritten so that every line is a UTF-8 JSON object: not_json (wrapped as {"log":...,"lad_wrapped":true}), invalid_utf8 (bytes replaced by U+FFFD)', ['reason'])),
      moduleErrors: r.add(new Counter('lad_module_errors_total', 'Batches the module failed on (their records were forwarded untagged)')),
    };
  }

  /** Binds the listeners and connects downstream. Resolves with the bound addresses. */
  async start(): Promise<{ tcp?: net.AddressInfo; http?: net.AddressInfo }> {
    this.replaySpool();
    this.down.start();
    if (this.opts.heartbeatTag) {
      const tag = this.opts.heartbeatTag, w = this.opts.windowMs ?? 60000;
      this.beatTimer = setInterval(() => { if (!this.draining) for (const a of this.tagger.beat(tag, w)) this.onAnomaly(a); }, 1000);
      this.beatTimer.unref();
    }
    const res: { tcp?: net.AddressInfo; http?: net.AddressInfo } = {};
    if (this.opts.listen) {
      this.tcp = net.createServer({ pauseOnConnect: false }, (s) => this.onConnection(s));
      this.tcp.maxConnections = this.opts.maxConnections + HARD_CONN_SLACK;
      res.tcp = await listen(this.tcp, this.opts.listen);
      if (this.opts.idleTimeoutMs > 0) {
        this.sweepTimer = setInterval(() => this.sweepIdle(), Math.max(50, Math.min(1000, this.opts.idleTimeoutMs / 4)));
        this.sweepTimer.unref();
      }
    }
    if (this.opts.http) {
      this.web = http.createServer((req, resp) => { void this.onRequest(req, resp); });
      this.web.keepAliveTimeout = 5000;
      res.http = await listen(this.web, this.opts.http);
    }
    return res;
  }

  // ---- TCP input ------------------------------------------------------------------------------

  private onConnection(sock: net.Socket): void {
    if (this.draining) { sock.destroy(); return; }
    const remote = `${sock.remoteAddress}:${sock.remotePort}`;
    if (this.conns.size - this.closing >= this.opts.maxConnections && !this.shedIdlest()) {
      this.noteClosed('refused', `input connection limit (--max-connections ${this.opts.maxConnections}) reached and every connection was active within ${SHED_MIN_IDLE_MS} ms: refused ${remote}`);
      sock.destroy();
      return;
    }
    const now = performance.now();
    const c: Conn = { sock, partial: [], partialLen: 0, ready: [], readyLen: 0, readyT0: 0, ended: false, lastActive: now, pausedAtActive: this.pausedMs(now), closing: false, remote };
    this.conns.add(c);
    if (this.paused) sock.pause();
    sock.on('data', (chunk: Buffer) => {
      const t = performance.now();
      c.lastActive = t;
      c.pausedAtActive = this.pausedMs(t);
      this.onData(c, chunk);
    });
    sock.on('end', () => this.finishConn(c));
    sock.on('error', () => { /* 'close' follows */ });
    sock.on('close', () => {
      this.finishConn(c);
      if (this.conns.delete(c) && c.closing) this.closing--;
      this.emitDrainCheck();
    });
  }

  /** Time inputs have spent paused by backpressure, in total. */
  private pausedMs(now: number): number {
    return this.pausedBefore + (this.paused ? now - this.pauseStart : 0);
  }

  /** How long a connection has sent nothing, not counting time its input was paused. */
  private idleMs(c: Conn, now: number): number {
    return now - c.lastActive - (this.pausedMs(now) - c.pausedAtActive);
  }

  /** At the cap: closes the connection idle the longest, if it has been idle SHED_MIN_IDLE_MS (also
   *  while inputs are paused: paused time does not count). What it sent is kept (a last line
   *  without '\n' included). */
  private shedIdlest(): boolean {
    const now = performance.now();
    let idlest: Conn | null = null;
    let idle = -1;
    for (const c of this.conns) {
      if (c.closing) continue;
      const i = this.idleMs(c, now);
      if (i > idle) { idlest = c; idle = i; }
    }
    if (!idlest || idle < SHED_MIN_IDLE_MS) return false;
    this.closeConn(idlest);
    this.noteClosed('shed_idlest', `input connection limit (--max-connections ${this.opts.maxConnections}) reached: closed the idlest connection (${idlest.remote}, idle ${(idle / 1000).toFixed(1)} s) to admit a new one`);
    return true;
  }

  /** Closes connections silent for --idle-timeout (time paused by backpressure not counted). */
  private sweepIdle(): void {
    if (this.draining) return;
    const now = performance.now();
    for (const c of [...this.conns]) {
      if (c.closing || this.idleMs(c, now) < this.opts.idleTimeoutMs) continue;
      this.closeConn(c);
      this.noteClosed('idle_timeout', `closed input connection ${c.remote}: nothing received for ${(this.opts.idleTimeoutMs / 1000).toFixed(1)} s (--idle-timeout)`);
    }
  }

  /** An orderly close: FIN to the sender, whose connection is still read (also while inputs are
   *  paused: it may hold bytes sent meanwhile) until it closes its side, or CLOSE_GRACE_MS. */
  private closeConn(c: Conn): void {
    c.closing = true;
    this.closing++;
    c.sock.resume();
    c.sock.end();
    setTimeout(() => c.sock.destroy(), CLOSE_GRACE_MS).unref();
  }

  /** Counts a connection closed by lad serve; logs the first and then at most one line per 10 s
   *  for each reason. */
  private noteClosed(reason: 'idle_timeout' | 'shed_idlest' | 'refused', line: string): void {
    this.m.shed.inc({ reason });
    const now = Date.now();
    const l = this.closedLog.get(reason);
    if (l && now - l.at < 10_000) { l.since++; return; }
    const more = l?.since ? ` (and ${l.since} more like it since the last such line)` : '';
    this.closedLog.set(reason, { at: now, since: 0 });
    this.opts.log(line + more);
  }

  private onData(c: Conn, chunk: Buffer): void {
    const last = chunk.lastIndexOf(10);
    if (last < 0) {
      c.partial.push(chunk);
      c.partialLen += chunk.length;
      if (c.partialLen >= this.opts.maxLineBytes) this.cutPartial(c);
      return;
    }
    // One call: a flush must never see the start of a line without its end.
    const head = chunk.subarray(0, last + 1);
    this.addReady(c, c.partial.length ? [...c.partial, head] : [head]);
    c.partial = last + 1 < chunk.length ? [chunk.subarray(last + 1)] : [];
    c.partialLen = chunk.length - (last + 1);
    if (c.partialLen >= this.opts.maxLineBytes) this.cutPartial(c);
  }

  /** Queues complete lines (`parts` together end with '\n'); they go to the module in one call per
   *  connection per loop turn (fewer, bigger batches), or at once past READY_MAX. Order within a
   *  connection is kept. */
  private addReady(c: Conn, parts: Buffer[]): void {
    if (!c.ready.length) c.readyT0 = performance.now();
    for (const p of parts) { c.ready.push(p); c.readyLen += p.length; }
    if (c.readyLen >= READY_MAX) { this.flushConn(c); return; }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        for (const x of this.conns) if (x.ready.length) this.flushConn(x);
      });
    }
  }

  private flushConn(c: Conn): void {
    if (!c.ready.length) return;
    const parts = c.ready;
    c.ready = [];
    c.readyLen = 0;
    this.process(parts, 'tcp', c.readyT0);
  }

  /** A line over --max-line is ended where it stands (the rest continues as a new line). */
  private cutPartial(c: Conn): void {
    const parts = [...c.partial, NL];
    c.partial = [];
    c.partialLen = 0;
    this.addReady(c, parts);
  }

  /** The sender closed (or the connection broke): a last line without '\n' still counts. */
  private finishConn(c: Conn): void {
    if (c.ended) return;
    c.ended = true;
    if (c.partialLen > 0) this.cutPartial(c);
    this.flushConn(c);
  }

  // ---- processing -----------------------------------------------------------------------------

  private process(parts: Buffer[], source: 'tcp' | 'http', t0: number, onWritten?: () => void): { records: number; anomalies: number; alerts: number; chunk: Chunk } {
    const r = this.tagger.tag(parts);
    if (r.error) {
      this.m.moduleErrors.inc();
      if (this.tagger.errors <= 3 || this.tagger.errors % 1000 === 0) {
        this.opts.log(`module error (${this.tagger.errors} so far): ${r.error}; the batch's ${r.records} records are forwarded untagged`);
      }
    }
    this.m.received.inc({ source }, r.records);
    if (r.wrapped) this.m.wrapped.inc({ reason: 'not_json' }, r.wrapped);
    if (r.repaired) this.m.wrapped.inc({ reason: 'invalid_utf8' }, r.repaired);
    this.m.batchSize.observe(r.records);
    let alerts = 0;
    for (const a of r.anomalies) alerts += this.onAnomaly(a);
    const chunk: Chunk = { buf: r.out, records: r.records, done: onWritten };
    this.down.enqueue(chunk);
    this.m.latency.observe((performance.now() - t0) / 1000);
    this.checkPressure();
    return { records: r.records, anomalies: r.anomalies.length, alerts, chunk };
  }

  private onAnomaly(a: RawAnomaly): number {
    let alerts = 0;
    for (const ev of a.events ?? []) {
      const type = EVENT_TYPES.has(ev.type) ? ev.type : 'other';
      const severity = ev.severity in SEV_RANK ? ev.severity : 'other';
      this.m.anomalies.inc({ type, severity });
      const toAlerter = shouldAlert(a.alert, ev, this.opts.minSeverityRank);
      if (toAlerter && ev.type !== 'resolved') { this.m.alerts.inc({ type, severity }); alerts++; }
      if (this.alerter && toAlerter) {
        const e = { ...ev } as unknown as AnomalyEvent;
        if (!e.timestamp && typeof a.time === 'string') e.timestamp = a.time;
        this.alerter.send(e);
      }
    }
    return alerts;
  }

  // ---- backpressure ---------------------------------------------------------------------------

  private checkPressure(): void {
    if (this.paused || this.draining) return;
    if (this.down.pendingBytes() <= this.opts.maxBufferBytes) return;
    this.paused = true;
    this.pauseStart = performance.now();
    this.m.backpressure.inc();
    for (const c of this.conns) if (!c.closing) c.sock.pause();
  }

  private maybeResume(): void {
    if (!this.paused) return;
    if (this.down.pendingBytes() > this.opts.maxBufferBytes / 2) return;
    this.pausedBefore += performance.now() - this.pauseStart;
    this.paused = false;
    for (const c of this.conns) c.sock.resume();
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = (req.url ?? '/').split('?')[0];
    try {
      if (url === '/ingest') {
        if (req.method !== 'POST') return reply(res, 405, { error: 'use POST' }, { allow: 'POST' });
        this.httpInFlight++;
        try { await this.ingest(req, res); } finally { this.httpInFlight--; this.emitDrainCheck(); }
        return;
      }
      if (url === '/metrics') {
        if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, { error: 'use GET' }, { allow: 'GET, HEAD' });
        const body = this.registry.render();
        res.writeHead(200, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      if (url === '/healthz') {
        const ok = !this.draining;
        return reply(res, ok ? 200 : 503, {
          status: ok ? 'ok' : 'draining',
          forward: { target: this.down.label, connected: this.down.connected(), pending_records: this.down.pendingRecords() },
          inputs_paused: this.paused,
        });
      }
      reply(res, 404, { error: 'not found: try POST /ingest, GET /metrics, GET /healthz' });
    } catch (e) {
      this.opts.log(`http ${req.method} ${url}: ${(e as Error).message}`);
      if (!res.headersSent) reply(res, 500, { error: 'internal error' });
      else res.destroy();
    }
  }

  private async ingest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const code = (c: number) => this.m.ingest.inc({ code: String(c) });
    if (this.draining) { code(503); req.resume(); return reply(res, 503, { error: 'shutting down' }, { 'retry-after': '5', connection: 'close' }); }
    // Bodies in flight count against memory too: a few requests at a time.
    if (this.paused || this.down.pendingBytes() > this.opts.maxBufferBytes || this.httpInFlight > MAX_INGEST_IN_FLIGHT) {
      code(503);
      req.resume();
      return reply(res, 503, { error: 'downstream is slow or down; retry later' }, { 'retry-after': '1' });
    }
    const t0 = performance.now();
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > this.opts.maxBodyBytes) {
      code(413);
      // Read (and discard) a bounded amount first: closing while the client still sends makes its
      // kernel drop our answer (a reset), so the client would never see the 413.
      await discardBody(req, DISCARD_MAX_BYTES, DISCARD_MAX_MS);
      return reply(res, 413, { error: `body over ${this.opts.maxBodyBytes} bytes (--max-body)` }, { connection: 'close' });
    }
    let body: Buffer;
    try {
      const b = await readBody(req, this.opts.maxBodyBytes);
      if (b === null) {
        code(413);
        await discardBody(req, DISCARD_MAX_BYTES, DISCARD_MAX_MS);
        return reply(res, 413, { error: `body over ${this.opts.maxBodyBytes} bytes (--max-body)` }, { connection: 'close' });
      }
      body = b;
    } catch (e) {
      code(400);
      return reply(res, 400, { error: `cannot read the body: ${(e as Error).message}` }, { connection: 'close' });
    }
    const enc = String(req.headers['content-encoding'] ?? '').toLowerCase();
    try {
      if (enc === 'gzip' || enc === 'x-gzip') body = gunzipSync(body, { maxOutputLength: this.opts.maxBodyBytes });
      else if (enc === 'deflate') body = inflateSync(body, { maxOutputLength: this.opts.maxBodyBytes });
      else if (enc && enc !== 'identity') { code(415); return reply(res, 415, { error: `unsupported content-encoding ${enc}` }); }
    } catch (e) {
      code(400);
      return reply(res, 400, { error: `cannot decode ${enc} body: ${(e as Error).message}` });
    }
    let lines: Buffer;
    try {
      lines = toLines(body);
    } catch (e) {
      code(400);
      return reply(res, 400, { error: (e as Error).message });
    }
    // The answer waits until the records were written to the downstream (the shipper's own retry
    // and acknowledgement machinery then covers a crash of lad serve), for at most --ack-timeout.
    let records = 0, anomalies = 0, alerts = 0;
    const chunks: Chunk[] = [];
    let unwritten = 0;
    let allWritten: () => void = () => {};
    const written = new Promise<void>((r) => { allWritten = r; });
    const onWritten = () => { if (--unwritten === 0) allWritten(); };
    for (let a = 0; a < lines.length;) {
      let b = Math.min(lines.length, a + SLICE);
      if (b < lines.length) {
        const nl = lines.lastIndexOf(10, b - 1);
        b = nl >= a ? nl + 1 : (lines.indexOf(10, b) + 1 || lines.length);
      }
      unwritten++;
      const r = this.process([lines.subarray(a, b)], 'http', t0, onWritten);
      chunks.push(r.chunk);
      records += r.records; anomalies += r.anomalies; alerts += r.alerts;
      a = b;
    }
    if (unwritten > 0) {
      let timer: NodeJS.Timeout | null = null;
      const inTime = await Promise.race([
        written.then(() => true),
        new Promise<boolean>((r) => { timer = setTimeout(() => r(false), this.opts.ackTimeoutMs); }),
      ]);
      if (timer) clearTimeout(timer);
      if (!inTime) {
        // Take back what was not handed to the downstream yet (the retry would duplicate it); what
        // was already written may arrive twice when the shipper retries (at-least-once).
        let withdrawn = 0;
        for (const c of chunks) if (this.down.withdraw(c)) withdrawn += c.records;
        this.m.ackTimeouts.inc();
        code(503);
        return reply(res, 503, {
          error: `records not written to the downstream within ${this.opts.ackTimeoutMs / 1000} s (--ack-timeout); retry`,
          accepted: 0, withdrawn, maybe_forwarded: records - withdrawn, forward: this.down.label,
        }, { 'retry-after': '1' });
      }
    }
    code(200);
    reply(res, 200, { accepted: records, forwarded: records, anomalies, alerts, forward: this.down.label });
  }

  // ---- spool ----------------------------------------------------------------------------------

  private replaySpool(): void {
    if (!existsSync(this.spoolFile)) return;
    let buf: Buffer;
    try {
      buf = readFileSync(this.spoolFile);
    } catch (e) {
      this.opts.log(`spool ${this.spoolFile}: cannot read (${(e as NodeJS.ErrnoException).code}); left in place`);
      return;
    }
    if (buf.length && buf[buf.length - 1] !== 10) buf = Buffer.concat([buf, NL]);
    const records = countLines(buf);
    const file = this.spoolFile;
    this.opts.log(`spool ${file}: sending ${records} records kept by the previous run first`);
    this.down.prepend([{ buf, records, done: () => { try { unlinkSync(file); } catch { /* gone */ } } }]);
  }

  private writeSpool(rest: Chunk[]): number {
    let records = 0;
    for (const c of rest) records += c.records;
    if (!records) return 0;
    mkdirSync(this.opts.spoolDir, { recursive: true });
    const tmp = `${this.spoolFile}.tmp`;
    writeFileSync(tmp, Buffer.concat(rest.map((c) => c.buf)));
    const fd = openSync(tmp, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
    renameSync(tmp, this.spoolFile);
    // The rename itself survives a power loss once the folder is synced.
    try { const d = openSync(this.opts.spoolDir, 'r'); try { fsyncSync(d); } finally { closeSync(d); } } catch { /* not supported everywhere */ }
    return records;
  }

  // ---- shutdown -------------------------------------------------------------------------------

  private drainWaiters: (() => void)[] = [];
  private emitDrainCheck(): void {
    if (!this.draining || this.conns.size > 0 || this.httpInFlight > 0) return;
    const w = this.drainWaiters;
    this.drainWaiters = [];
    for (const f of w) f();
  }

  /** Stop accepting, drain inputs, flush (or spool) the queue, save state, close alerting. */
  shutdown(reason: string): Promise<void> {
    if (!this.shutdownP) this.shutdownP = this.doShutdown(reason);
    return this.shutdownP;
  }

  private async doShutdown(reason: string): Promise<void> {
    const log = this.opts.log;
    this.draining = true;
    if (this.sweepTimer) { clearInterval(this.sweepTimer); this.sweepTimer = null; }
    if (this.beatTimer) { clearInterval(this.beatTimer); this.beatTimer = null; }
    log(`${reason}: stopping; no new connections, draining ${this.conns.size} connection(s)`);
    this.tcp?.close();
    this.web?.close();
    this.web?.closeIdleConnections();
    // Ask each sender to finish (FIN) and read until it closes its side; the memory bound is lifted
    // meanwhile so that nothing already sent is lost.
    this.paused = false;
    for (const c of this.conns) { c.sock.resume(); c.sock.end(); }
    if (this.conns.size > 0 || this.httpInFlight > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.opts.drainTimeoutMs);
        this.drainWaiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
    if (this.conns.size > 0) {
      log(`drain timeout: closing ${this.conns.size} connection(s) whose sender did not close within ${this.opts.drainTimeoutMs} ms`);
      for (const c of [...this.conns]) { this.finishConn(c); c.sock.destroy(); }
    }
    this.web?.closeAllConnections();
    const rest = await this.down.close(Date.now() + this.opts.flushTimeoutMs);
    try {
      this.spooled = this.writeSpool(rest);
      if (this.spooled) log(`forward ${this.down.label}: ${this.spooled} records not delivered; kept in ${this.spoolFile} and sent first on the next start`);
    } catch (e) {
      log(`spool ${this.spoolFile}: cannot write (${(e as Error).message}); ${rest.reduce((n, c) => n + c.records, 0)} records lost`);
    }
    try { this.state?.save(); } catch (e) { log(`state: cannot save: ${(e as Error).message}`); }
    if (this.alerter) await this.alerter.close();
    const received = this.m.received.total();
    log(`stopped: ${received} records received, ${this.down.forwardedRecords} forwarded${this.spooled ? `, ${this.spooled} spooled` : ''}`);
  }
}

// ---- helpers ----------------------------------------------------------------------------------

function listen(server: net.Server, a: HostPort): Promise<net.AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(a.port, a.host, () => {
      server.off('error', onError);
      resolve(server.address() as net.AddressInfo);
    });
  });
}

function reply(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body) + '\n';
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The body, or null when it is over `max` bytes (the rest is then left unread). */
function readBody(req: http.IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let n = 0;
    const onData = (c: Buffer) => {
      n += c.length;
      if (n > max) { parts.length = 0; cleanup(); resolve(null); return; }
      parts.push(c);
    };
    const onEnd = () => { cleanup(); resolve(Buffer.concat(parts)); };
    const onError = (e: Error) => { cleanup(); reject(e); };
    const cleanup = () => { req.off('data', onData); req.off('end', onEnd); req.off('error', onError); };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** Reads and drops the rest of a request body: until its end, `maxBytes` or `maxMs`. */
function discardBody(req: http.IncomingMessage, maxBytes: number, maxMs: number): Promise<void> {
  if (req.complete) return Promise.resolve();
  return new Promise((resolve) => {
    let n = 0;
    const t = setTimeout(finish, maxMs);
    function finish() { clearTimeout(t); req.off('data', onData); req.off('end', finish); req.off('error', finish); req.off('close', finish); resolve(); }
    function onData(c: Buffer) { n += c.length; if (n > maxBytes) finish(); }
    req.on('data', onData);
    req.on('end', finish);
    req.on('error', finish);
    req.on('close', finish);
    req.resume();
  });
}

/** An /ingest body as newline-terminated lines: a JSON array (of objects, or strings taken as
 *  `message`), one JSON object, or NDJSON / raw lines as they are. */
export function toLines(body: Buffer): Buffer {
  let i = 0;
  while (i < body.length && (body[i] === 0x20 || body[i] === 0x0a || body[i] === 0x0d || body[i] === 0x09)) i++;
  if (i === body.length) return Buffer.alloc(0);
  if (body[i] === 0x5b /* [ */) {
    let v: unknown;
    try { v = JSON.parse(body.toString('utf8')); } catch (e) { throw new Error(`body starts with '[' but is not valid JSON: ${(e as Error).message}`); }
    if (!Array.isArray(v)) throw new Error('expected a JSON array of records');
    const out: string[] = [];
    v.forEach((x, k) => {
      if (typeof x === 'string') out.push(JSON.stringify({ message: x }));
      else if (x !== null && typeof x === 'object' && !Array.isArray(x)) out.push(JSON.stringify(x));
      else throw new Error(`record ${k}: expected an object or a string, got ${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x}`);
    });
    return Buffer.from(out.length ? out.join('\n') + '\n' : '', 'utf8');
  }
  if (body[i] === 0x7b /* { */) {
    // One (possibly pretty-printed) object, or NDJSON.
    const nl = body.indexOf(10, i);
    if (nl >= 0 && nl < body.length - 1) {
      try {
        const v = JSON.parse(body.toString('utf8'));
        if (v && typeof v === 'object' && !Array.isArray(v)) return Buffer.from(JSON.stringify(v) + '\n', 'utf8');
      } catch { /* NDJSON */ }
    }
  }
  return body[body.length - 1] === 10 ? body : Buffer.concat([body, NL]);
}

// The `serve` subcommand: registerServe(program) adds it to the `lad` command.
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { Command, Option } from 'commander';
import { LadModule, ModuleError } from '../module/module.js';
import { ConfigError, loadConfig, moduleConfig } from '../config/load.js';
import { effective } from '../module/effective.js';
import { createAlerter, parseAlertingConfig, DEFAULT_MIN_SEVERITY, type Alerter } from '../alerts/index.js';
import { SEV_RANK } from '../alerts/severity.js';
import { UsageError, checkOutputPath, version, loadBaselineFile, stateFileFor } from './common.js';
import { StateFile } from '../module/state.js';
import { AddressError, parseHostPort, formatHostPort, type HostPort } from '../serve/address.js';
import { LadServer } from '../serve/server.js';
import { Tagger } from '../serve/tagger.js';

export interface ServeCliOptions {
  listen: string;
  forward: string;
  http?: string;
  config?: string;
  baseline?: string[];
  tag: string;
  streamField?: string;
  maxBuffer: string;
  maxBody: string;
  maxLine: string;
  maxConnections: string;
  idleTimeout: string;
  drainTimeout: string;
  ackTimeout: string;
  flushTimeout: string;
  spoolDir?: string;
  alerts: boolean;
  quiet?: boolean;
  state?: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

function positive(v: string, name: string, unit: number): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`invalid ${name} '${v}': expected a positive number`);
  return Math.round(n * unit);
}

function nonNegative(v: string, name: string, unit: number): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`invalid ${name} '${v}': expected a number >= 0`);
  return Math.round(n * unit);
}

function addr(raw: string, what: string, schemes: string[]): HostPort {
  try {
    return parseHostPort(raw, what, schemes);
  } catch (e) {
    if (e instanceof AddressError) throw new UsageError(e.message);
    throw e;
  }
}

export async function serve(o: ServeCliOptions): Promise<void> {
  const quiet = !!o.quiet;
  const log = (s: string) => { if (!quiet || /lost|cannot|error|^warning:/i.test(s)) process.stderr.write(`lad serve: ${s}\n`); };

  const listen = o.listen === 'none' || o.listen === '' ? null : addr(o.listen, '--listen', ['tcp']);
  const forward = o.forward === '-' ? null : addr(o.forward, '--forward', ['tcp']);
  const httpAddr = o.http ? addr(o.http, '--http', ['http']) : null;
  if (!listen && !httpAddr) throw new UsageError('nothing to listen on: give --listen and/or --http');
  const maxBufferBytes = positive(o.maxBuffer, '--max-buffer', 1 << 20);
  const maxBodyBytes = positive(o.maxBody, '--max-body', 1 << 20);
  const maxLineBytes = positive(o.maxLine, '--max-line', 1 << 20);
  const maxConnections = positive(o.maxConnections, '--max-connections', 1);
  const idleTimeoutMs = nonNegative(o.idleTimeout, '--idle-timeout', 1000);
  const ackTimeoutMs = positive(o.ackTimeout, '--ack-timeout', 1000);
  const drainTimeoutMs = positive(o.drainTimeout, '--drain-timeout', 1000);
  const flushTimeoutMs = positive(o.flushTimeout, '--flush-timeout', 1000);

  const cfg = loadConfig(o.config);
  if (cfg.formats.length) log(`${cfg.source}: formats: (custom line regexes) apply to files read by lad analyze/watch, not to records received by lad serve; ignored here`);
  const doc = moduleConfig(cfg);
  if (o.streamField) doc.input = { ...(doc.input as object ?? {}), stream_field: o.streamField };
  const base = cfg.source ? dirname(resolve(cfg.source)) : process.cwd();
  const rel = (p: string) => (isAbsolute(p) ? p : join(base, p));

  const mod = await LadModule.create();
  try {
    mod.configure(doc);
  } catch (e) {
    if (e instanceof ModuleError && e.kind === 'config') throw new ConfigError(`${cfg.source || 'configuration'}: ${e.message}`);
    throw e;
  }
  // baseline.file(s) from the config (Fluent Bit reads them from accessible_paths; here they are
  // relative to the config file), then --baseline.
  const b = (doc.baseline ?? {}) as { file?: unknown; files?: unknown };
  const cfgBaselines = typeof b.file === 'string' ? [b.file] : Array.isArray(b.files) ? b.files.filter((x): x is string => typeof x === 'string') : [];
  // Streams here are the tag (plus '/' and the stream field's value): a baseline none of whose
  // streams can be one of them has no effect, and a warning says so (also with -q).
  const sf = (doc.input as { stream_field?: unknown } | undefined)?.stream_field;
  for (const f of [...cfgBaselines.map(rel), ...(o.baseline ?? [])]) {
    const streams = loadBaselineFile(mod, f);
    if (streams.some((x) => x === o.tag || x.startsWith(o.tag + '/'))) continue;
    const list = (xs: string[]) => (xs.length > 5 ? [...xs.slice(0, 5), `… ${xs.length - 5} more`] : xs).map((x) => `'${x}'`).join(', ');
    process.stderr.write(`lad serve: warning: baseline '${f}' has no effect: its stream${streams.length === 1 ? '' : 's'} ${streams.length ? list(streams) : '(none)'} match${streams.length === 1 ? 'es' : ''} none of this server's ('${o.tag}'${typeof sf === 'string' && sf ? ` or '${o.tag}/<${sf}>'` : ''}); set --tag to the baseline's stream name\n`);
  }

  const rawAlerting = { ...cfg.alerting };
  const spoolRoot = o.spoolDir
    ?? (typeof rawAlerting.spool_dir === 'string' ? rawAlerting.spool_dir : undefined)
    ?? process.env.LAD_SPOOL_DIR
    ?? join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'lad', 'spool');
  delete rawAlerting.spool_dir;
  let alerting;
  try {
    alerting = parseAlertingConfig(cfg.doc.alerting === undefined ? undefined : rawAlerting, 'alerting');
  } catch (e) {
    throw new ConfigError(`${cfg.source}: ${(e as Error).message}`);
  }
  const minSeverityRank = SEV_RANK[alerting.min_severity] ?? SEV_RANK[DEFAULT_MIN_SEVERITY];
  let alerter: Alerter | null = null;
  if (o.alerts && alerting.enabled) {
    alerter = createAlerter(alerting, { spoolDir: join(spoolRoot, 'serve-alerts'), log: (s) => log(s) });
  }

  // The filter's state file (state.file beside the config, or --state): learned templates are
  // restored at start, saved every state.interval_seconds and at a clean stop.
  const eff = effective(mod);
  const stateSpec = stateFileFor(cfg, eff, o.state);
  if (stateSpec) checkOutputPath(stateSpec.path, stateSpec.flag);
  const state = stateSpec ? new StateFile(mod, stateSpec.path, stateSpec.intervalMs, log) : null;
  state?.restore();

  const tagger = new Tagger(mod, o.tag, eff.outputKeys);
  const server = new LadServer(mod, tagger, alerter, {
    listen, http: httpAddr, forward, tag: o.tag, maxBufferBytes, maxBodyBytes, maxLineBytes, maxConnections, idleTimeoutMs, ackTimeoutMs, drainTimeoutMs,
    flushTimeoutMs, spoolDir: join(spoolRoot, 'serve'), minSeverityRank, version: version(), log,
    heartbeatTag: eff.heartbeatTag, windowMs: eff.windowSec * 1000,
  }, state);

  let bound;
  try {
    bound = await server.start();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`cannot listen: ${err.code ?? ''} ${err.message}`.trim());
  }
  const parts: string[] = [];
  if (bound.tcp) parts.push(`tcp://${formatHostPort({ host: bound.tcp.address, port: bound.tcp.port })} (NDJSON)`);
  if (bound.http) parts.push(`http://${formatHostPort({ host: bound.http.address, port: bound.http.port })} (POST /ingest, GET /metrics, GET /healthz)`);
  process.stderr.write(`lad serve: listening on ${parts.join(', ')}; forwarding to ${forward ? `tcp://${formatHostPort(forward)}` : 'stdout'}\n`);

  const saver = state ? setInterval(() => state.maybeSave(), Math.min(stateSpec!.intervalMs, 5000)) : null;
  saver?.unref();
  await new Promise<void>((resolveStop) => {
    let signals = 0;
    const stop = (sig: string) => {
      if (++signals > 1) {
        process.stderr.write(`lad serve: ${sig} again: exiting now; records not yet forwarded are lost\n`);
        process.exit(130);
      }
      if (saver) clearInterval(saver);
      server.shutdown(sig).then(resolveStop, (e) => { log(`shutdown error: ${(e as Error).message}`); resolveStop(); });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

export function registerServe(program: Command): Command {
  return program.command('serve')
    .description('sidecar for Vector and other shippers: tag NDJSON records from TCP or HTTP with the lad module, forward them, send alerts; /metrics and /healthz')
    .option('-l, --listen <addr>', 'TCP listener for NDJSON records (tcp://HOST:PORT, or none)', 'tcp://127.0.0.1:9000')
    .option('--forward <addr>', 'where tagged NDJSON records go: tcp://HOST:PORT (e.g. a Vector socket source), or - for stdout', '-')
    .option('--http <addr>', 'HTTP listener (HOST:PORT) for POST /ingest (JSON array or NDJSON), GET /metrics, GET /healthz')
    .addOption(new Option('-c, --config <file>', 'configuration (lad.json, or YAML like the seed\'s anomaly_config.yaml)'))
    .option('-b, --baseline <file>', 'load a baseline (repeatable)', collect)
    .option('--tag <name>', 'stream name given to the module (input.stream_field refines it per record)', 'vector')
    .option('--stream-field <field>', 'refine the stream by this record field, e.g. host or file (sets input.stream_field)')
    .option('--max-buffer <MiB>', 'bound on tagged records held for the downstream; inputs pause above it', '64')
    .option('--max-body <MiB>', 'largest POST /ingest body (after decompression)', '16')
    .option('--max-line <MiB>', 'a line longer than this is cut', '8')
    .option('--max-connections <n>', 'most simultaneous TCP input connections; at the cap a new one closes the idlest (idle >= 1 s, time paused by backpressure not counted), else it is refused', '256')
    .option('--idle-timeout <seconds>', 'close a TCP input connection that sends nothing for this long, time paused by backpressure not counted (0 = never)', '300')
    .option('--ack-timeout <seconds>', 'POST /ingest answers once its records are written to the downstream; 503 if that takes longer', '30')
    .option('--drain-timeout <seconds>', 'on SIGTERM: time senders get to close their connections', '10')
    .option('--flush-timeout <seconds>', 'on SIGTERM: time the downstream gets to take queued records (the rest is spooled)', '10')
    .option('--spool-dir <dir>', 'spool directory (default: alerting.spool_dir, $LAD_SPOOL_DIR, or ~/.local/state/lad/spool)')
    .option('--no-alerts', 'do not deliver alerts even if alerting.enabled')
    .option('--state <file>', 'restore learned templates from this file at start, save them every state.interval_seconds and at stop (default: the config\'s state.file)')
    .option('-q, --quiet', 'log only errors and lost records')
    .action(async (opts: ServeCliOptions) => {
      await serve(opts);
      process.exit(0);
    });
}

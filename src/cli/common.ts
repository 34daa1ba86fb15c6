// Shared CLI plumbing: errors and exit codes, module set-up from a config, optional parts written
// elsewhere (HTML report, alert delivery) loaded when present.
import { accessSync, constants as fsConstants, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LadModule, ModuleError } from '../module/module.js';
import { NATIVE_FORMATS } from '../module/vocabulary.js';
import type { Effective } from '../module/effective.js';
import { ConfigError, loadConfig, moduleConfig, type LadConfig, type Overrides } from '../config/load.js';
import { SourceError } from '../input/sources.js';
import type { Alerter } from '../alerts/types.js';
import type { Report } from '../report/types.js';

/** Exit codes: 0 ok, 1 anomalies at or above --fail-on, 2 usage/input/config error, 3 internal. */
export const EXIT_OK = 0;
export const EXIT_ANOMALY = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;

export class UsageError extends Error {}

export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    return String(pkg.version ?? '0.0.0');
  } catch {
    return '0.0.0';
  }
}

/** Maps an error to its one-line message and exit code. */
export function classify(e: unknown): { message: string; code: number } {
  if (e instanceof UsageError || e instanceof ConfigError || e instanceof SourceError) return { message: e.message, code: EXIT_USAGE };
  if (e instanceof ModuleError) {
    if (e.kind === 'config' || e.kind === 'baseline') return { message: e.message, code: EXIT_USAGE };
    return { message: e.message, code: e.kind === 'load' ? EXIT_USAGE : EXIT_INTERNAL };
  }
  const err = e as NodeJS.ErrnoException;
  if (err && err.code === 'EPIPE') return { message: '', code: EXIT_OK };
  return { message: `internal error: ${err?.stack ?? String(e)}`, code: EXIT_INTERNAL };
}

export function fail(e: unknown): never {
  const { message, code } = classify(e);
  if (message) process.stderr.write(`lad: ${message}\n`);
  process.exit(code);
}

/** Checks before any work that `path` can be written (exit 2 with one line otherwise): not a
 *  folder, its folder exists, both writable. `flag` names the option in the message. */
export function checkOutputPath(path: string, flag = '--output'): void {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st?.isDirectory()) throw new UsageError(`invalid ${flag} '${path}': it is a folder, not a file`);
  const dir = dirname(resolve(path));
  const ds = statSync(dir, { throwIfNoEntry: false });
  if (!ds) throw new UsageError(`invalid ${flag} '${path}': folder '${dir}' does not exist`);
  if (!ds.isDirectory()) throw new UsageError(`invalid ${flag} '${path}': '${dir}' is not a folder`);
  try {
    accessSync(st ? path : dir, fsConstants.W_OK);
  } catch (e) {
    throw new UsageError(`invalid ${flag} '${path}': ${st ? 'the file' : `folder '${dir}'`} is not writable (${(e as NodeJS.ErrnoException).code})`);
  }
}

/** Writes a report/baseline file; a failure is a usage error naming the file (exit 2). */
export function writeOutput(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    throw new UsageError(`cannot write '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function parseThreshold(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`invalid --threshold '${v}': expected a positive number of standard deviations`);
  return n;
}

export const FAIL_ON = ['warning', 'critical', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export function parseFailOn(v: string): FailOn {
  if (!(FAIL_ON as readonly string[]).includes(v)) throw new UsageError(`invalid --fail-on '${v}': expected one of ${FAIL_ON.join(', ')}`);
  return v as FailOn;
}

export { NATIVE_FORMATS } from '../module/vocabulary.js';

export interface Setup {
  mod: LadModule;
  cfg: LadConfig;
  /** Custom format forced with --format NAME (null: auto / native). */
  forcedFormat: string | null;
  /** Baselines loaded (config's baseline.file(s), then --baseline), with their stream names. */
  baselines: LoadedBaseline[];
  /** Stream name (tag) per input file, when chosen by chooseStreams(); else streamTags(files). */
  tags?: string[];
  /** The module configuration given to mod (for a probe instance with the same settings). */
  moduleConfig?: Parameters<LadModule['configure']>[0];
}

export interface LoadedBaseline { path: string; streams: string[] }

/** baseline.file / baseline.files of the config, relative to the config file's folder (Fluent Bit
 *  reads them from its accessible paths; lad serve resolves them the same way). */
export function configBaselines(cfg: LadConfig): string[] {
  const b = (cfg.doc.baseline ?? {}) as { file?: unknown; files?: unknown };
  const list = typeof b.file === 'string' ? [b.file] : Array.isArray(b.files) ? b.files.filter((x): x is string => typeof x === 'string') : [];
  const base = cfg.source ? dirname(resolve(cfg.source)) : process.cwd();
  return list.map((p) => (isAbsolute(p) ? p : join(base, p)));
}

/** The template state file (`--state FILE`, else the config's state.file relative to the config
 *  file's folder, as the filter reads it beside lad.json) and its save interval (the module's
 *  effective state.interval_seconds); null when neither names one. */
export function stateFileFor(cfg: LadConfig, eff: Effective, cli?: string): { path: string; intervalMs: number; flag: string } | null {
  const st = (cfg.doc.state ?? {}) as { file?: unknown };
  const sec = eff.stateIntervalSec;
  if (cli !== undefined) {
    if (cli.trim() === '') throw new UsageError(`invalid --state '${cli}': expected a file name`);
    return { path: resolve(cli), intervalMs: sec * 1000, flag: '--state' };
  }
  if (typeof st.file !== 'string' || !st.file) return null;
  const base = cfg.source ? dirname(resolve(cfg.source)) : process.cwd();
  return { path: isAbsolute(st.file) ? st.file : join(base, st.file), intervalMs: sec * 1000, flag: `state.file (in ${cfg.source})` };
}

/** Loads config, starts and configures the module, loads baselines (the config's baseline.file(s)
 *  unless configBaselines is false, then opts.baseline). Throws errors for classify(). */
export async function setupModule(opts: { config?: string; threshold?: string | number; format?: string; baseline?: string[]; configBaselines?: boolean }): Promise<Setup> {
  const cfg = loadConfig(opts.config);
  const o: Overrides = {};
  if (opts.threshold !== undefined) o.threshold = typeof opts.threshold === 'number' ? opts.threshold : parseThreshold(opts.threshold);
  let forcedFormat: string | null = null;
  const fmt = opts.format ?? 'auto';
  if (cfg.formats.some((f) => f.name === fmt)) forcedFormat = fmt;
  else if (NATIVE_FORMATS.includes(fmt)) o.format = fmt;
  else {
    const custom = cfg.formats.map((f) => f.name);
    throw new UsageError(`invalid --format '${fmt}': expected one of ${[...NATIVE_FORMATS, ...custom].join(', ')}`);
  }
  const mod = await LadModule.create();
  const modCfg = moduleConfig(cfg, o);
  try {
    mod.configure(modCfg);
  } catch (e) {
    if (e instanceof ModuleError && e.kind === 'config') throw new ConfigError(`${cfg.source || 'configuration'}: ${e.message}`);
    throw e;
  }
  await checkAlerting(cfg);
  const baselines: LoadedBaseline[] = [];
  if (opts.configBaselines !== false) {
    const key = (cfg.doc.baseline as { file?: unknown } | undefined)?.file !== undefined ? 'baseline.file' : 'baseline.files';
    for (const b of configBaselines(cfg)) baselines.push({ path: b, streams: loadBaselineFile(mod, b, ` (${key} in ${cfg.source})`) });
  }
  for (const b of opts.baseline ?? []) baselines.push({ path: b, streams: loadBaselineFile(mod, b) });
  return { mod, cfg, forcedFormat, baselines, moduleConfig: modCfg };
}

/** Loads one baseline file into the module; returns the stream names it holds. */
export function loadBaselineFile(mod: LadModule, path: string, from = ''): string[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `baseline file not found: '${path}'${from}` : `cannot read baseline '${path}'${from}: ${code}`);
  }
  let doc: unknown = null;
  try { doc = JSON.parse(bytes.toString('utf8')); } catch { /* the module says what is wrong */ }
  if (isSeedBaseline(doc)) {
    throw new UsageError(`baseline '${path}'${from} was made by the seed script (--create-baseline): it holds only overall rates, `
      + `lad's baselines hold per-stream, per-hour-of-week counts; rebuild it from the same logs: lad baseline create LOGFILE... -o ${path}`);
  }
  try {
    mod.loadBaseline(bytes);
  } catch (e) {
    if (e instanceof ModuleError) throw new UsageError(`baseline '${path}'${from}: ${e.message}`);
    throw e;
  }
  try {
    const doc = JSON.parse(bytes.toString('utf8')) as { streams?: { stream?: unknown }[] };
    return Array.isArray(doc.streams) ? doc.streams.map((x) => x?.stream).filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** The seed script's baseline.json: {created_at, total_entries, error_rate, events_per_minute, ...}. */
export function isSeedBaseline(doc: unknown): boolean {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false;
  const d = doc as Record<string, unknown>;
  return !('lad_baseline' in d) && 'events_per_minute' in d && 'error_rate' in d && ('created_at' in d || 'total_entries' in d);
}

// ---- stream names ----------------------------------------------------------------------------------

/** A rotated file's suffix: syslog.1, syslog.2.gz, app.log-20240101, app.log.2024-01-01(.gz). */
const ROTATION = /(?:\.(\d{1,4})|[.-](\d{4}-?\d{2}-?\d{2}(?:[-T_]?\d{2,6})?))$/;

/** The stream a file belongs to, from its base name: rotation suffixes and .gz removed. */
export function streamStem(name: string): string {
  const n = name.replace(/\.gz$/i, '').replace(ROTATION, '');
  return n || name;
}

/** Sort key of a rotated file within its stream, oldest first: .N (higher = older), then dated
 *  files by date, then the live file. */
function rotationKey(path: string): [number, number | string] {
  const m = ROTATION.exec(basename(path).replace(/\.gz$/i, ''));
  if (!m) return [2, 0];
  if (m[1] !== undefined) return [0, -Number(m[1])];
  return [1, m[2].replace(/\D/g, '')];
}

/** Stream names (tags) for the given files: the base name without rotation suffix (so syslog,
 *  syslog.1 and syslog.2.gz are one stream), the folder too when two folders hold the same name;
 *  `stream` (--stream) names them all. */
export function streamTags(files: string[], stream?: string): string[] {
  if (stream) return files.map(() => stream);
  const stems = files.map((f) => (f === '-' ? 'stdin' : streamStem(basename(f))));
  const keys = files.map((f, i) => (f === '-' ? 'stdin' : join(dirname(f), stems[i])));
  return stems.map((n, i) => (stems.some((m, j) => m === n && keys[j] !== keys[i]) ? keys[i] : n));
}

/** The files in replay order: the rotated files of one stream oldest first (syslog.2.gz, syslog.1,
 *  syslog), each stream where its first file was given. */
export function replayOrder(files: string[]): string[] {
  const tags = streamTags(files);
  const out: string[] = [];
  const done = new Set<string>();
  for (const t of tags) {
    if (done.has(t)) continue;
    done.add(t);
    const group = files.filter((_, i) => tags[i] === t);
    group.sort((a, b) => {
      const ka = rotationKey(a), kb = rotationKey(b);
      if (ka[0] !== kb[0]) return ka[0] - kb[0];
      return ka[1] < kb[1] ? -1 : ka[1] > kb[1] ? 1 : 0;
    });
    out.push(...group);
  }
  return out;
}

/** Chooses the stream names the files are replayed under (setup.tags) so a baseline applies to the
 *  stream the user means: --stream NAME for all files; else, with one stream in the run and one in
 *  the baselines, the baseline's name. Returns the notes to print: which name was taken, and a
 *  warning for each baseline whose streams match none of the run's. */
export function chooseStreams(setup: Setup, files: string[], stream?: string): string[] {
  if (stream !== undefined && stream.trim() === '') throw new UsageError(`invalid --stream '${stream}': expected a stream name`);
  let tags = streamTags(files, stream);
  const notes: string[] = [];
  const inBaselines = [...new Set(setup.baselines.flatMap((b) => b.streams))];
  const input = (setup.cfg.doc.input ?? {}) as { stream_field?: unknown };
  const distinct = [...new Set(tags)];
  if (!stream && distinct.length === 1 && inBaselines.length === 1 && !input.stream_field && distinct[0] !== inBaselines[0]) {
    notes.push(`lad: stream '${distinct[0]}' compared with the baseline's only stream '${inBaselines[0]}'`);
    tags = tags.map(() => inBaselines[0]);
  }
  setup.tags = tags;
  const run = [...new Set(tags)];
  // With input.stream_field the module's streams are "tag/value".
  const matches = (s: string) => run.some((t) => s === t || s.startsWith(t + '/'));
  for (const b of setup.baselines) {
    if (b.streams.some(matches)) continue;
    const list = (xs: string[]) => (xs.length > 5 ? [...xs.slice(0, 5), `… ${xs.length - 5} more`] : xs).map((x) => `'${x}'`).join(', ');
    notes.push(`lad: warning: baseline '${b.path}' has no effect: its stream${b.streams.length === 1 ? '' : 's'} ${b.streams.length ? list(b.streams) : '(none)'} match${b.streams.length === 1 ? 'es' : ''} none of this run's (${list(run)}); name the stream with --stream NAME`);
  }
  return notes;
}

// ---- parts loaded only when used (HTML report, alert delivery: kept off the start-up path) ------

/** src/report/html.ts: renderHtml(report) -> one self-contained HTML page. */
export async function loadHtmlRenderer(): Promise<(report: Report) => string | Promise<string>> {
  const mod = await import('../report/html.js');
  return mod.renderHtml;
}

/** Validates the `alerting:` section (src/alerts owns its keys); throws ConfigError naming the key. */
export async function checkAlerting(cfg: LadConfig): Promise<void> {
  if (!cfg.doc.alerting) return;
  const { parseAlertingConfig } = await import('../alerts/index.js');
  try {
    parseAlertingConfig(cfg.alerting);
  } catch (e) {
    throw new ConfigError(`${cfg.source}: ${(e as Error).message}`);
  }
}

/** The alert deliverer when `alerting.enabled` (and not --no-alerts); else null. */
export async function createAlerterFor(cfg: LadConfig, enabled: boolean): Promise<Alerter | null> {
  if (!enabled || cfg.alerting.enabled !== true) return null;
  const { createAlerter, parseAlertingConfig } = await import('../alerts/index.js');
  const spoolDir = typeof cfg.alerting.spool_dir === 'string' && cfg.alerting.spool_dir ? cfg.alerting.spool_dir
    : process.env.LAD_SPOOL_DIR || join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'lad', 'spool');
  try {
    return createAlerter(parseAlertingConfig(cfg.alerting), { spoolDir });
  } catch (e) {
    throw new ConfigError(`${cfg.source}: ${(e as Error).message}`);
  }
}

export { severityRank, shouldAlert } from '../alerts/severity.js';

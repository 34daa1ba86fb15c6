// Shared CLI plumbing: errors and exit codes, module set-up from a config, optional parts written
// elsewhere (HTML report, alert delivery) loaded when present.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LadModule, ModuleError } from '../core/module.js';
import { ConfigError, loadConfig, moduleConfig, type LadConfig, type Overrides } from '../config/load.js';
import { SourceError } from '../core/sources.js';
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

/** Formats the module parses natively (--format), besides custom `formats:` names. */
export const NATIVE_FORMATS = ['auto', 'syslog', 'json', 'nginx', 'apache', 'syslog-rfc3164', 'syslog-rfc5424',
  'nginx-access', 'nginx-error', 'apache-access', 'apache-error', 'logfmt', 'klog', 'cri', 'app', 'text'];

export interface Setup {
  mod: LadModule;
  cfg: LadConfig;
  /** Custom format forced with --format NAME (null: auto / native). */
  forcedFormat: string | null;
}

/** Loads config, starts and configures the module, loads baselines. Throws errors for classify(). */
export async function setupModule(opts: { config?: string; threshold?: string | number; format?: string; baseline?: string[] }): Promise<Setup> {
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
  try {
    mod.configure(moduleConfig(cfg, o));
  } catch (e) {
    if (e instanceof ModuleError && e.kind === 'config') throw new ConfigError(`${cfg.source || 'configuration'}: ${e.message}`);
    throw e;
  }
  await checkAlerting(cfg);
  for (const b of opts.baseline ?? []) loadBaselineFile(mod, b);
  return { mod, cfg, forcedFormat };
}

export function loadBaselineFile(mod: LadModule, path: string): void {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `baseline file not found: '${path}'` : `cannot read baseline '${path}': ${code}`);
  }
  try {
    mod.loadBaseline(bytes);
  } catch (e) {
    if (e instanceof ModuleError) throw new UsageError(`baseline '${path}': ${e.message}`);
    throw e;
  }
}

/** Stream names (tags) for the given files: base names, or paths when two share a base name. */
export function streamTags(files: string[]): string[] {
  const names = files.map((f) => (f === '-' ? 'stdin' : basename(f)));
  return names.map((n, i) => (names.indexOf(n) !== names.lastIndexOf(n) ? files[i] : n));
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

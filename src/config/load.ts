// Configuration files: YAML (the seed's anomaly_config.yaml works unchanged) or JSON (lad.json).
// The module validates every section it applies (lad_configure names the bad key); the harness
// checks the top-level shape, compiles `formats:` (custom regexes it applies itself) and builds
// the JSON document the module gets.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { compileFormats, type CustomFormat } from './formats.js';

export class ConfigError extends Error {}

/** Sections a config may hold (module: all but formats; harness: formats and alert delivery). */
export const TOP_LEVEL_KEYS = ['detection', 'patterns', 'alerting', 'formats', 'input', 'templates', 'output', 'baseline', 'state'] as const;

export interface LadConfig {
  /** The file it came from ('' = defaults). */
  source: string;
  /** The document as written, for the module (minus formats). */
  doc: Record<string, unknown>;
  formats: CustomFormat[];
  alerting: Record<string, unknown>;
}

/** The option within edit distance 2 of word (case-insensitive), or null: for "did you mean". */
export function nearest(word: string, options: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = 3;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o);
    if (d < bestD) { bestD = d; best = o; }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a config document (already read). Throws ConfigError naming the offending key/value. */
export function parseConfig(text: string, source: string): LadConfig {
  let raw: unknown;
  try {
    raw = /\.json$/i.test(source) ? JSON.parse(text) : parseYaml(text, { uniqueKeys: true });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    throw new ConfigError(`${source}: not valid ${/\.json$/i.test(source) ? 'JSON' : 'YAML'}: ${msg}`);
  }
  if (raw === null || raw === undefined) raw = {};
  if (!isObject(raw)) throw new ConfigError(`${source}: expected a mapping of sections (detection, patterns, ...), got ${Array.isArray(raw) ? 'a list' : typeof raw}`);
  const doc: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(k)) {
      const hint = nearest(k, TOP_LEVEL_KEYS);
      throw new ConfigError(`${source}: unknown key '${k}'${hint ? ` (did you mean '${hint}'?)` : ''}; known keys: ${TOP_LEVEL_KEYS.join(', ')}`);
    }
    // An empty YAML section ("patterns:") means defaults.
    if (v === null) continue;
    if (k !== 'formats' && !isObject(v)) throw new ConfigError(`${source}: '${k}' must be a mapping, got ${Array.isArray(v) ? 'a list' : JSON.stringify(v)}`);
    doc[k] = v;
  }
  let formats: CustomFormat[] = [];
  if (doc.formats !== undefined) {
    if (!isObject(doc.formats)) throw new ConfigError(`${source}: 'formats' must be a mapping of name: regex`);
    try {
      formats = compileFormats(doc.formats);
    } catch (e) {
      throw new ConfigError(`${source}: ${(e as Error).message}`);
    }
    delete doc.formats;
  }
  const alerting = isObject(doc.alerting) ? doc.alerting : {};
  return { source, doc, formats, alerting };
}

export function loadConfig(path: string | undefined): LadConfig {
  if (!path) return { source: '', doc: {}, formats: [], alerting: {} };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(code === 'ENOENT' ? `config file not found: '${path}'` : `cannot read config '${path}': ${code}`);
  }
  return parseConfig(text, path);
}

export interface Overrides {
  threshold?: number;
  /** A module format name (input.format), not a custom one. */
  format?: string;
}

/** The JSON document for lad_configure: the file's sections plus command-line overrides. */
export function moduleConfig(cfg: LadConfig, o: Overrides = {}): Record<string, unknown> {
  const doc = structuredClone(cfg.doc);
  if (o.threshold !== undefined) doc.detection = { ...(doc.detection as object ?? {}), threshold: o.threshold };
  if (o.format !== undefined && o.format !== 'auto') doc.input = { ...(doc.input as object ?? {}), format: o.format };
  return doc;
}

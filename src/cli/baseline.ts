// `lad baseline create|merge|show`. Baselines are the module's own export format: create replays
// files and exports; merge loads each file into one module (counts add there) and exports, so the
// merging logic stays in the module.
import { readFileSync, writeFileSync } from 'node:fs';
import { checkGzip, checkSource } from '../input/sources.js';
import { UsageError, checkOutputPath, chooseStreams, loadBaselineFile, replayOrder, setupModule } from './common.js';
import { replay, skipMessage } from './replay.js';
import { Progress, colorsFor, fmtInt, truncate } from './ui.js';

function writeOut(path: string, text: string): void {
  try {
    writeFileSync(path, text.endsWith('\n') ? text : text + '\n');
  } catch (e) {
    throw new UsageError(`cannot write '${path}': ${(e as NodeJS.ErrnoException).code}`);
  }
}

/** Template id -> text, from lad_templates output ([{template_id, template}]) or a baseline's
 *  template_text ({id: text}). */
function templateTextOf(v: unknown): Record<string, string> {
  if (typeof v === 'string') { try { v = JSON.parse(v); } catch { return {}; } }
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const t of v) if (t && typeof t.template_id === 'string' && typeof t.template === 'string') out[t.template_id] = t.template;
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  }
  return out;
}

/** The module's baseline export, pretty-printed, plus "template_text" ({id: template}) for the
 *  templates it names, so `baseline show` can print them (the module ignores the key). */
function withTemplateText(json: string, texts: Record<string, string>[]): string {
  let doc: { streams?: { templates?: { id?: string }[] }[]; template_text?: Record<string, string> };
  try { doc = JSON.parse(json); } catch { return json; }
  const all = Object.assign({}, ...texts) as Record<string, string>;
  const named: Record<string, string> = {};
  for (const s of doc.streams ?? []) for (const t of s.templates ?? []) if (t.id && all[t.id] !== undefined) named[t.id] = all[t.id];
  if (Object.keys(named).length) doc.template_text = named;
  return JSON.stringify(doc, null, 2);
}

export async function baselineCreate(given: string[], o: { output: string; config?: string; format: string; quiet?: boolean; progress: boolean; stream?: string }): Promise<number> {
  if (given.length === 0) throw new UsageError('no input: give one or more log files');
  for (const f of given) checkSource(f);
  for (const f of given) await checkGzip(f);
  checkOutputPath(o.output);
  const files = replayOrder(given);
  const setup = await setupModule({ config: o.config, format: o.format, configBaselines: false });
  chooseStreams(setup, files, o.stream);
  const res = await replay(setup, files, 0, {}, { progress: new Progress(o.progress && !o.quiet), skipped: (n) => process.stderr.write(skipMessage(n) + '\n') });
  const json = withTemplateText(setup.mod.exportBaseline(), [templateTextOf(setup.mod.templatesJson())]);
  writeOut(o.output, json);
  if (!o.quiet) {
    const c = colorsFor(process.stdout);
    process.stdout.write(c.green(`Baseline saved to: ${o.output}`) + c.dim(` (${fmtInt(res.totalLines)} lines, ${fmtInt(setup.mod.stats().templates)} templates)`) + '\n');
  }
  return 0;
}

export async function baselineMerge(files: string[], o: { output: string; config?: string; quiet?: boolean }): Promise<number> {
  if (files.length < 1) throw new UsageError('give the baseline files to merge');
  checkOutputPath(o.output);
  const setup = await setupModule({ config: o.config, configBaselines: false });
  const texts: Record<string, string>[] = [];
  for (const f of files) {
    loadBaselineFile(setup.mod, f);
    try { texts.push(templateTextOf(JSON.parse(readFileSync(f, 'utf8')).template_text)); } catch { /* checked by the module */ }
  }
  writeOut(o.output, withTemplateText(setup.mod.exportBaseline(), texts));
  if (!o.quiet) process.stdout.write(colorsFor(process.stdout).green(`Merged ${files.length} baselines into: ${o.output}`) + '\n');
  return 0;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export async function baselineShow(file: string, o: { json?: boolean; config?: string }): Promise<number> {
  // Loading it into the module is the validation.
  const setup = await setupModule({ config: o.config, configBaselines: false });
  loadBaselineFile(setup.mod, file);
  let doc: Json;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
  } catch (e) {
    throw new UsageError(`baseline '${file}': not JSON: ${(e as Error).message}`);
  }
  if (o.json) {
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    return 0;
  }
  const c = colorsFor(process.stdout);
  process.stdout.write(c.bold(`Baseline ${file}`) + '\n');
  if (!describeLad(doc, c, (l) => process.stdout.write(l + '\n'))) describe(doc, '', 0, (l) => process.stdout.write(l + '\n'), c);
  return 0;
}

interface LadStream { stream?: string; windows?: number; records?: number; errors?: number; hours?: unknown[]; templates?: { id?: string; count?: number; errors?: number }[] }

/** The module's own format ({"lad_baseline": 1, "window_size", "streams": [...]}): rates per stream
 *  and their top templates. False for anything else (described generically then). */
function describeLad(doc: Json, c: ReturnType<typeof colorsFor>, out: (l: string) => void): boolean {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || !('lad_baseline' in doc) || !Array.isArray(doc.streams)) return false;
  // the module loads no baseline without a window_size of 1 or more: there is no default to assume
  const ws = doc.window_size;
  if (typeof ws !== 'number' || !(ws >= 1)) return false;
  const text_ = templateTextOf(doc.template_text);
  out(`format version ${doc.lad_baseline}, window ${ws} s, ${doc.streams.length} stream${doc.streams.length === 1 ? '' : 's'}`);
  for (const raw of doc.streams as unknown as LadStream[]) {
    const w = raw.windows ?? 0, n = raw.records ?? 0, e = raw.errors ?? 0;
    out('');
    out(c.cyan(String(raw.stream ?? '?')));
    out(`  ${fmtInt(n)} records in ${fmtInt(w)} windows: ${w ? ((n * 60) / (w * ws)).toFixed(1) : '0'}/min, error share ${n ? ((100 * e) / n).toFixed(2) : '0.00'}%`);
    if (Array.isArray(raw.hours)) out(`  hour-of-week slots learned: ${raw.hours.length}`);
    const t = [...(raw.templates ?? [])].sort((a, b) => (b.count ?? 0) - (a.count ?? 0));
    out(`  templates: ${fmtInt(t.length)}`);
    for (const x of t.slice(0, 10)) {
      const text = text_[String(x.id ?? '')];
      out(c.dim(`    ${String(x.id ?? '').padEnd(18)} ${fmtInt(x.count ?? 0).padStart(9)}${x.errors ? `  (${fmtInt(x.errors)} errors)` : ''}`) + (text !== undefined ? `  ${truncate(text, 100)}` : ''));
    }
    if (t.length > 10) out(c.dim(`    … ${fmtInt(t.length - 10)} more`));
  }
  if (!doc.template_text) out(c.dim('\n(no template text in this file: baselines made before lad stored it show ids only)'));
  return true;
}

/** Prints scalars as "key: value", lists as their length plus a few entries, up to depth 3. */
function describe(v: Json, key: string, depth: number, out: (l: string) => void, c: ReturnType<typeof colorsFor>): void {
  const pad = '  '.repeat(depth);
  if (v === null || typeof v !== 'object') {
    out(`${pad}${key ? c.cyan(key) + ': ' : ''}${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : String(v)}`);
    return;
  }
  if (Array.isArray(v)) {
    out(`${pad}${key ? c.cyan(key) + ': ' : ''}${fmtInt(v.length)} entries`);
    if (depth < 3) {
      const shown = v.slice(0, 5);
      for (let i = 0; i < shown.length; i++) {
        const e = shown[i];
        if (e !== null && typeof e === 'object' && !Array.isArray(e)) {
          const line = Object.entries(e).filter(([, x]) => x === null || typeof x !== 'object')
            .map(([k, x]) => `${k}=${typeof x === 'string' && x.length > 60 ? x.slice(0, 59) + '…' : x}`).join('  ');
          out(`${pad}  - ${line}`);
        } else out(`${pad}  - ${JSON.stringify(e)}`);
      }
      if (v.length > shown.length) out(`${pad}  … ${fmtInt(v.length - shown.length)} more`);
    }
    return;
  }
  const entries = Object.entries(v);
  if (key) out(`${pad}${c.cyan(key)}:${depth >= 3 ? ` ${entries.length} keys` : ''}`);
  if (depth >= 3) return;
  for (const [k, x] of entries.slice(0, 40)) describe(x, k, key ? depth + 1 : depth, out, c);
  if (entries.length > 40) out(`${pad}  … ${entries.length - 40} more keys`);
}

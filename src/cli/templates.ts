// `lad templates FILE...`: the templates the module learned, with counts, first/last seen and an
// example line, as a table or --json.
import { checkGzip, checkSource } from '../input/sources.js';
import type { TemplateInfo } from '../report/types.js';
import { UsageError, replayOrder, setupModule } from './common.js';
import { replay, skipMessage } from './replay.js';
import { Progress, colorsFor, fmtInt, truncate } from './ui.js';

export interface TemplatesOptions {
  format: string;
  config?: string;
  json?: boolean;
  limit: string;
  examples?: boolean;
  sort: string;
  progress: boolean;
}

export async function templates(files: string[], o: TemplatesOptions): Promise<number> {
  const limit = Number(o.limit);
  if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`invalid --limit '${o.limit}': expected a whole number (0 = all)`);
  if (!['count', 'first', 'id'].includes(o.sort)) throw new UsageError(`invalid --sort '${o.sort}': expected count, first or id`);
  if (files.length === 0) throw new UsageError('no input: give one or more log files, or - for stdin');
  for (const f of files) checkSource(f);
  for (const f of files) await checkGzip(f);
  const setup = await setupModule({ config: o.config, format: o.format, configBaselines: false });
  const res = await replay(setup, replayOrder(files), 0, {}, { progress: new Progress(o.progress), skipped: (n) => process.stderr.write(skipMessage(n) + '\n') });
  let list: TemplateInfo[] = JSON.parse(setup.mod.templatesJson() || '[]');
  if (o.sort === 'count') list.sort((a, b) => b.count - a.count || String(a.first_seen).localeCompare(String(b.first_seen)));
  else if (o.sort === 'first') list.sort((a, b) => String(a.first_seen).localeCompare(String(b.first_seen)));
  else list.sort((a, b) => String(a.template_id).localeCompare(String(b.template_id)));
  const total = list.length;
  if (limit > 0) list = list.slice(0, limit);
  if (o.json) {
    process.stdout.write(JSON.stringify(list, null, 2) + '\n');
    return 0;
  }
  const c = colorsFor(process.stdout);
  const cols = process.stdout.isTTY ? process.stdout.columns || 120 : 160;
  const cw = Math.max(5, ...list.map((t) => fmtInt(t.count).length));
  const idw = Math.max(2, ...list.map((t) => String(t.template_id).length));
  const tw = (s: unknown) => String(s ?? '').replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
  const timeW = Math.max(10, ...list.map((t) => tw(t.first_seen).length));
  process.stdout.write(c.bold(`${'COUNT'.padStart(cw)}  ${'ID'.padEnd(idw)}  ${'FIRST SEEN'.padEnd(timeW)}  ${'LAST SEEN'.padEnd(timeW)}  TEMPLATE`) + '\n');
  const room = Math.max(20, cols - (cw + idw + 2 * timeW + 8));
  for (const t of list) {
    const mark = t.new ? c.yellow(' (new)') : '';
    process.stdout.write(`${fmtInt(t.count).padStart(cw)}  ${c.dim(String(t.template_id).padEnd(idw))}  ${tw(t.first_seen).padEnd(timeW)}  ${tw(t.last_seen).padEnd(timeW)}  ${truncate(t.template, room)}${mark}\n`);
    if (o.examples && t.example) process.stdout.write(c.dim(`${' '.repeat(cw + 2)}e.g. ${truncate(t.example, cols - cw - 8)}`) + '\n');
  }
  process.stdout.write(c.dim(`\n${fmtInt(total)} templates from ${fmtInt(res.totalLines)} lines${limit > 0 && total > limit ? ` (showing the first ${limit}; --limit 0 for all)` : ''}\n`));
  return 0;
}

#!/usr/bin/env node
// Template-mining accuracy on the Loghub-2k sets (https://github.com/logpai/loghub), through the
// Fluent Bit-style host: every line goes through lad_filter one record at a time and the
// anomaly.template_id of its output is its predicted group. Grouping accuracy (GA, as in the
// Loghub benchmark): a line counts when the set of lines sharing its predicted id equals exactly
// the set of lines sharing its ground-truth EventId.
//   content: the ground-truth Content column as {"log": <content>}
//   raw:     the raw *_2k.log lines as {"log": <line>} (headers included, auto-detected)
// With --corrected DIR (logpai/logparser data/loghub_2k_corrected: DIR/<name>/<name>_2k.log_
// structured_corrected.csv) also the template-text accuracies of Loghub-2.0 (Jiang et al., ISSTA'24):
//   PA:  share of lines whose predicted template text equals their corrected ground-truth template
//   FTA: F1 over templates; a predicted template is right when its group of lines is exactly one
//        ground-truth group and its text equals that group's template
// Texts are compared after normalising whitespace; a token holding a wildcard counts as one
// wildcard (lad keeps "blk_<*>" where Loghub writes "<*>") and runs of wildcards as one.
// Default settings, a fresh module instance per dataset and mode.
//
// Usage: node scripts/eval-templates.js [--data DIR]... [--corrected DIR] [--wasm FILE] [--check]
//        [--json] [--only NAME] [--verbose]
//   --data may be given several times (or as DIR1,DIR2); each DIR holds <name>/<name>_2k.log and
//   <name>/<name>_2k.log_structured.csv. --check: exit 1 if mean GA < 0.95 content or < 0.90 raw.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LadModule } from '../dist/module/module.js';
import { readCsvObjects } from './lib/csv.js';
import { groupingAccuracy } from './lib/ga.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt; };
const dataDirs = args.flatMap((a, i) => (a === '--data' && i + 1 < args.length ? args[i + 1].split(',') : []))
  .map(d => resolve(root, d));
if (dataDirs.length === 0) dataDirs.push(resolve(root, '../shared/data/loghub-2k'));
const correctedDir = opt('--corrected', null) === null ? null : resolve(root, opt('--corrected', null));
const wasmPath = resolve(root, opt('--wasm', 'build/lad.wasm'));
const only = opt('--only', null);
const check = args.includes('--check');
const asJson = args.includes('--json');
const verbose = args.includes('--verbose');
const MIN_CONTENT = 0.95;
const MIN_RAW = 0.90;

async function predict(lines) {
  const host = await LadModule.create(wasmPath);
  const ids = [];
  const texts = [];
  const t0 = 1500000000;
  let dropped = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < lines.length; i++) {
    const out = host.filter('loghub', t0 + i, 0, JSON.stringify({ log: lines[i] }));
    if (out === null) { ids.push(`dropped-${i}`); texts.push(""); dropped++; continue; }
    const rec = JSON.parse(out);
    const a = rec.anomaly || rec.anomaly_lad || {};
    ids.push(a.template_id ?? `none-${i}`);
    texts.push(a.template ?? '');
  }
  const ns = Number(process.hrtime.bigint() - start);
  return { ids, texts, dropped, usPerRecord: ns / 1000 / lines.length, host };
}

/** Template text for comparison: whitespace collapsed, runs of adjacent wildcards made one. */
export function normTemplate(t) {
  // a token with a wildcard in it ("blk_<*>", "<*>:<*>") is one wildcard, as Loghub writes them
  return String(t).replace(/\s+/g, ' ').trim().split(' ').map(w => (w.includes('<*>') ? '<*>' : w)).join(' ')
    .replace(/<\*>(?: <\*>)+/g, '<*>');
}

/** PA and FTA of predicted ids/texts against ground-truth ids/templates. */
function templateAccuracy(ids, texts, gtIds, gtTexts) {
  const n = ids.length;
  let pa = 0;
  for (let i = 0; i < n; i++) if (normTemplate(texts[i]) === normTemplate(gtTexts[i])) pa++;
  const byPred = new Map();
  ids.forEach((p, i) => { if (!byPred.has(p)) byPred.set(p, []); byPred.get(p).push(i); });
  const gtSize = new Map();
  gtIds.forEach(g => gtSize.set(g, (gtSize.get(g) || 0) + 1));
  let correct = 0;
  for (const idx of byPred.values()) {
    const g = gtIds[idx[0]];
    if (gtSize.get(g) !== idx.length || !idx.every(i => gtIds[i] === g)) continue;
    // the predicted text of the group (the last line's output carries the template as it ended)
    if (normTemplate(texts[idx[idx.length - 1]]) === normTemplate(gtTexts[idx[0]])) correct++;
  }
  const pta = byPred.size ? correct / byPred.size : 0;
  const rta = gtSize.size ? correct / gtSize.size : 0;
  return { pa: n ? pa / n : 0, fta: pta + rta ? (2 * pta * rta) / (pta + rta) : 0 };
}

function explain(name, mode, pred, truth, contents, texts) {
  const byTruth = new Map();
  const predSets = new Map();
  const predText = new Map();
  pred.forEach((p, i) => {
    predText.set(p, texts[i]);
    if (!byTruth.has(truth[i])) byTruth.set(truth[i], new Map());
    const m = byTruth.get(truth[i]); m.set(p, (m.get(p) || 0) + 1);
    if (!predSets.has(p)) predSets.set(p, new Set());
    predSets.get(p).add(truth[i]);
  });
  for (const [t, m] of byTruth) {
    const ids = [...m.keys()];
    if (ids.length === 1 && predSets.get(ids[0]).size === 1) continue;
    const n = [...m.values()].reduce((a, b) => a + b, 0);
    console.log(`    ${name}/${mode} ${t} (${n} lines) e.g. ${contents[truth.indexOf(t)].slice(0, 90)}`);
    for (const [p, c] of m) console.log(`       -> ${p} x${c} shared with [${[...predSets.get(p)].join(',')}] ${String(predText.get(p) ?? '').slice(0, 100)}`);
  }
}

async function main() {
  if (!existsSync(wasmPath)) { console.error(`missing ${wasmPath}: run npm run build`); process.exit(2); }
  const sets = [];
  for (const dataDir of dataDirs) {
    for (const d of readdirSync(dataDir, { withFileTypes: true })) {
      if (d.isDirectory() && (!only || d.name === only)) sets.push({ name: d.name, dir: join(dataDir, d.name) });
    }
  }
  sets.sort((a, b) => a.name.localeCompare(b.name));
  const rows = [];
  for (const { name, dir } of sets) {
    const csvPath = join(dir, `${name}_2k.log_structured.csv`);
    const rawPath = join(dir, `${name}_2k.log`);
    if (!existsSync(csvPath) || !existsSync(rawPath)) continue;
    const recs = readCsvObjects(readFileSync(csvPath, 'utf8'));
    const truth = recs.map(r => r.EventId);
    const contents = recs.map(r => r.Content);
    let raw = readFileSync(rawPath, 'utf8').split('\n');
    if (raw.length && raw[raw.length - 1] === '') raw.pop();
    raw = raw.map(l => (l.endsWith('\r') ? l.slice(0, -1) : l));
    if (raw.length !== recs.length) console.error(`${name}: ${raw.length} raw lines vs ${recs.length} rows`);
    const c = await predict(contents);
    const r = await predict(raw.slice(0, recs.length));
    const gaC = groupingAccuracy(c.ids, truth);
    const gaR = groupingAccuracy(r.ids, truth);
    const row = {
      dataset: name, lines: recs.length, events: new Set(truth).size,
      ga_content: gaC, ga_raw: gaR,
      templates_content: new Set(c.ids).size, templates_raw: new Set(r.ids).size,
      us_per_record: (c.usPerRecord + r.usPerRecord) / 2, dropped: c.dropped + r.dropped,
    };
    const corrPath = correctedDir && join(correctedDir, name, `${name}_2k.log_structured_corrected.csv`);
    if (corrPath && existsSync(corrPath)) {
      const corr = readCsvObjects(readFileSync(corrPath, 'utf8'));
      if (corr.length === recs.length) {
        const gtIds = corr.map(x => x.EventId), gtT = corr.map(x => x.EventTemplate);
        const ac = templateAccuracy(c.ids, c.texts, gtIds, gtT);
        const ar = templateAccuracy(r.ids, r.texts, gtIds, gtT);
        Object.assign(row, { pa_content: ac.pa, fta_content: ac.fta, pa_raw: ar.pa, fta_raw: ar.fta });
      }
    }
    rows.push(row);
    if (verbose) { explain(name, 'content', c.ids, truth, contents, c.texts); explain(name, 'raw', r.ids, truth, contents, r.texts); }
  }
  const mean = k => { const v = rows.filter(r => r[k] !== undefined); return v.reduce((a, r) => a + r[k], 0) / Math.max(1, v.length); };
  const hasTA = rows.some(r => r.pa_content !== undefined);
  const result = { datasets: rows, mean_ga_content: mean('ga_content'), mean_ga_raw: mean('ga_raw') };
  if (hasTA) Object.assign(result, { mean_pa_content: mean('pa_content'), mean_fta_content: mean('fta_content'), mean_pa_raw: mean('pa_raw'), mean_fta_raw: mean('fta_raw') });
  const f3 = v => (v === undefined ? '    - ' : v.toFixed(3).padStart(6));
  if (asJson) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`dataset      events  GA content  GA raw   templates c/r   us/record${hasTA ? '   PA c/r         FTA c/r' : ''}`);
    for (const r of rows) {
      console.log(`${r.dataset.padEnd(12)} ${String(r.events).padStart(6)}  ${r.ga_content.toFixed(3).padStart(10)}  ${r.ga_raw.toFixed(3).padStart(6)}   ${String(r.templates_content).padStart(5)}/${String(r.templates_raw).padEnd(5)}    ${r.us_per_record.toFixed(1).padStart(6)}` +
        (hasTA ? `   ${f3(r.pa_content)}/${f3(r.pa_raw)}  ${f3(r.fta_content)}/${f3(r.fta_raw)}` : '') + (r.dropped ? `  dropped ${r.dropped}` : ''));
    }
    console.log(`${'MEAN'.padEnd(12)} ${''.padStart(6)}  ${result.mean_ga_content.toFixed(3).padStart(10)}  ${result.mean_ga_raw.toFixed(3).padStart(6)}` +
      (hasTA ? `${''.padStart(27)}${f3(result.mean_pa_content)}/${f3(result.mean_pa_raw)}  ${f3(result.mean_fta_content)}/${f3(result.mean_fta_raw)}` : ''));
    console.log(`targets: content >= ${MIN_CONTENT}, raw >= ${MIN_RAW} (Loghub data: https://github.com/logpai/loghub)`);
  }
  if (check && (result.mean_ga_content < MIN_CONTENT || result.mean_ga_raw < MIN_RAW)) {
    console.error('eval-templates: mean GA below target');
    process.exit(1);
  }
}

main().catch(e => { console.error(e); process.exit(2); });

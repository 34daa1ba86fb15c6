#!/usr/bin/env node
// Template-mining accuracy on the Loghub-2k sets (https://github.com/logpai/loghub), through the
// Fluent Bit-style host: every line goes through lad_filter one record at a time and the
// anomaly.template_id of its output is its predicted group. Grouping accuracy (GA, as in the
// Loghub benchmark): a line counts when the set of lines sharing its predicted id equals exactly
// the set of lines sharing its ground-truth EventId.
//   content: the ground-truth Content column as {"log": <content>}
//   raw:     the raw *_2k.log lines as {"log": <line>} (headers included, auto-detected)
// Default settings, a fresh module instance per dataset and mode.
//
// Usage: node scripts/eval-templates.js [--data DIR] [--wasm FILE] [--check] [--json] [--only NAME]
//        [--verbose]   (--check: exit 1 if mean GA < 0.95 content or < 0.90 raw)
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FluentBitHost } from '../tests/host/fb_host.js';
import { readCsvObjects } from './lib/csv.js';
import { groupingAccuracy } from './lib/ga.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt; };
const dataDir = resolve(root, opt('--data', '../shared/data/loghub-2k'));
const wasmPath = resolve(root, opt('--wasm', 'build/lad.wasm'));
const only = opt('--only', null);
const check = args.includes('--check');
const asJson = args.includes('--json');
const verbose = args.includes('--verbose');
const MIN_CONTENT = 0.95;
const MIN_RAW = 0.90;

async function predict(lines) {
  const host = await FluentBitHost.create({ wasmPath });
  const ids = [];
  const t0 = 1500000000;
  let dropped = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < lines.length; i++) {
    const out = host.filter('loghub', t0 + i, 0, JSON.stringify({ log: lines[i] }));
    if (out === null) { ids.push(`dropped-${i}`); dropped++; continue; }
    const rec = JSON.parse(out);
    const a = rec.anomaly || rec.anomaly_lad || {};
    ids.push(a.template_id ?? `none-${i}`);
  }
  const ns = Number(process.hrtime.bigint() - start);
  return { ids, dropped, usPerRecord: ns / 1000 / lines.length, host };
}

function explain(name, mode, pred, truth, contents) {
  const byTruth = new Map();
  const predSets = new Map();
  pred.forEach((p, i) => {
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
    for (const [p, c] of m) console.log(`       -> ${p} x${c} shared with [${[...predSets.get(p)].join(',')}]`);
  }
}

async function main() {
  if (!existsSync(wasmPath)) { console.error(`missing ${wasmPath}: run npm run build`); process.exit(2); }
  const sets = readdirSync(dataDir, { withFileTypes: true }).filter(d => d.isDirectory()).map(d => d.name).sort()
    .filter(n => !only || n === only);
  const rows = [];
  for (const name of sets) {
    const dir = join(dataDir, name);
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
    rows.push({
      dataset: name, lines: recs.length, events: new Set(truth).size,
      ga_content: gaC, ga_raw: gaR,
      templates_content: new Set(c.ids).size, templates_raw: new Set(r.ids).size,
      us_per_record: (c.usPerRecord + r.usPerRecord) / 2, dropped: c.dropped + r.dropped,
    });
    if (verbose) { explain(name, 'content', c.ids, truth, contents); explain(name, 'raw', r.ids, truth, contents); }
  }
  const mean = k => rows.reduce((a, r) => a + r[k], 0) / Math.max(1, rows.length);
  const result = { datasets: rows, mean_ga_content: mean('ga_content'), mean_ga_raw: mean('ga_raw') };
  if (asJson) console.log(JSON.stringify(result, null, 2));
  else {
    console.log('dataset      events  GA content  GA raw   templates c/r   us/record (host round trip incl. JSON)');
    for (const r of rows) {
      console.log(`${r.dataset.padEnd(12)} ${String(r.events).padStart(6)}  ${r.ga_content.toFixed(3).padStart(10)}  ${r.ga_raw.toFixed(3).padStart(6)}   ${String(r.templates_content).padStart(5)}/${String(r.templates_raw).padEnd(5)}    ${r.us_per_record.toFixed(1).padStart(6)}${r.dropped ? `  dropped ${r.dropped}` : ''}`);
    }
    console.log(`${'MEAN'.padEnd(12)} ${''.padStart(6)}  ${result.mean_ga_content.toFixed(3).padStart(10)}  ${result.mean_ga_raw.toFixed(3).padStart(6)}`);
    console.log(`targets: content >= ${MIN_CONTENT}, raw >= ${MIN_RAW} (Loghub data: https://github.com/logpai/loghub)`);
  }
  if (check && (result.mean_ga_content < MIN_CONTENT || result.mean_ga_raw < MIN_RAW)) {
    console.error('eval-templates: mean GA below target');
    process.exit(1);
  }
}

main().catch(e => { console.error(e); process.exit(2); });

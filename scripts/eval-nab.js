#!/usr/bin/env node
// npm run eval:nab -- --nab DIR — replays NAB's (Numenta Anomaly Benchmark) count series through
// build/lad.wasm as log streams and scores the alerts with NAB's standard profile
// (scripts/lib/nab-score.js), next to NAB's published detectors re-scored on the same files.
//
// Series: realKnownCause/nyc_taxi.csv (30-minute counts) and the 10 realTweets/Twitter_volume_*.csv
// (5-minute counts). Each row of count n becomes n records (one constant JSON record per event),
// spread evenly inside the row's interval, its event time carried as the record timestamp, through
// the Fluent Bit-style host (src/module/module.ts: lad_filter per record). One fresh module
// instance per series; detection.window_size = the series interval, every other setting default.
// Twitter rows start 173 s past a 5-minute boundary while lad's windows are epoch-aligned, so each
// series is shifted back by (first timestamp mod interval) — a constant < 1 interval — and alerts
// are shifted forward again when mapped to rows.
// An alert (severity warning/critical with a window_start, not `resolved`, any type) marks the row
// whose interval starts at its window_start: that row's anomaly score is 1, every other row's 0,
// threshold 0.5. Nothing here looks at the labels before scoring.
//
// Options: --nab DIR (a checkout or `git archive` of numenta/NAB: data, labels, config, results),
//   --wasm FILE (build/lad.wasm), --json FILE, --verbose, --dump FILE (alert events), --trace FILE (window log, filter path), --only SUBSTR (series whose name holds it),
//   --path auto|filter|batch (auto: lad_batch only for series above 20M records),
//   --corpus (also re-score the published detectors on the whole corpus vs results/final_results.json)
import { existsSync, readFileSync, writeFileSync, appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadWindows, loadProfiles, loadThresholds, readSeries, scoreSet, scorePublished, corpusFiles, listDetectors,
} from './lib/nab-score.js';
import { SEV_RANK } from '../dist/module/vocabulary.js';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const flag = (name) => args.includes(name);

const nabDir = opt('--nab', null);
if (!nabDir || !existsSync(join(nabDir, 'labels/combined_windows.json'))) {
  console.error(`eval-nab: needs --nab DIR, a copy of NAB (git clone https://github.com/numenta/NAB /tmp/NAB, then: npm run eval:nab -- --nab /tmp/NAB)${nabDir ? `; ${nabDir}/labels/combined_windows.json not found` : ''}`);
  process.exit(2);
}
const wasmPath = opt('--wasm', 'build/lad.wasm');
const verbose = flag('--verbose');
const dumpFile = opt('--dump', null); // every alert event, one JSON line each (for reading what fired)
if (dumpFile) rmSync(dumpFile, { force: true });
const traceFile = opt('--trace', null); // every closed window's line ({"window":{..}}: counts, expectations, z)
if (traceFile) rmSync(traceFile, { force: true });
const only = opt('--only', null);
const PROFILE = 'standard';
// filter: lad_filter per record (Fluent Bit's path); batch: lad_batch; auto: batch for a series of
// more than BATCH_ABOVE records (nyc_taxi, 156M), else filter
const pathOpt = opt('--path', 'auto');
const BATCH_ABOVE = 20e6;

const SERIES = [
  { relPath: 'realKnownCause/nyc_taxi.csv', interval: 1800, tag: 'nyc_taxi', record: '{"message":"taxi trip started"}' },
  ...corpusFiles(nabDir).filter((f) => /^realTweets\/Twitter_volume_.*\.csv$/.test(f))
    .map((relPath) => ({ relPath, interval: 300, tag: relPath.split('/')[1].replace('.csv', '').toLowerCase(), record: '{"message":"tweet received"}' })),
].filter((s) => !only || s.relPath.includes(only));

const isAlert = (e) => SEV_RANK[e.severity] >= SEV_RANK.warning && e.window_start !== undefined && e.type !== 'resolved';
const EVENTS_MARK = Buffer.from('"events":[');

// The faster path for huge series: the same records through lad_batch (the module's per-line entry:
// the same parse + mine + detect per record, minus one host<->module crossing per record). The
// event time then travels in the record as "time" (RFC 3339, ms), the only way a batch line carries
// one; the record is otherwise the same. ~4 MiB of NDJSON per call.
const CHUNK = 4 << 20;
function feedBatch(h, tag, record, timestamps, values, shift, I, take) {
  const msg = Buffer.from(record).subarray(1); // '"message":...}' after '{'
  const lineMax = 40 + msg.length;
  const buf = Buffer.allocUnsafe(CHUNK + lineMax);
  const head = Buffer.from('{"time":"');
  let len = 0;
  const lineMs = []; // event time of each line of the chunk, for events
  let secKey = -1, secText = null;
  const tagStr = tag.toString('utf8');
  const flush = () => {
    if (len === 0) return;
    const out = h.batchText(tagStr, buf.subarray(0, len), 0, Math.floor(lineMs[lineMs.length - 1] / 1000)).records;
    for (const line of out.split('\n')) {
      if (!line) continue;
      const o = JSON.parse(line);
      for (const e of o.anomaly?.events || []) take(e, lineMs[o.line]);
    }
    len = 0;
    lineMs.length = 0;
  };
  for (let i = 0; i < timestamps.length; i++) {
    const n = values[i];
    const base = timestamps[i] - shift;
    for (let k = 0; k < n; k++) {
      const ms = base + Math.floor((k * I) / n);
      const sec = Math.floor(ms / 1000);
      if (sec !== secKey) { secKey = sec; secText = new Date(sec * 1000).toISOString().slice(0, 19) + '.'; }
      len += head.copy(buf, len);
      len += buf.latin1Write(secText, len);
      const f = ms - sec * 1000;
      buf[len++] = 48 + Math.floor(f / 100); buf[len++] = 48 + (Math.floor(f / 10) % 10); buf[len++] = 48 + (f % 10);
      buf[len++] = 90; buf[len++] = 34; buf[len++] = 44; // Z",
      len += msg.copy(buf, len);
      buf[len++] = 10;
      lineMs.push(ms);
      if (len >= CHUNK) flush();
    }
  }
  flush();
}

// ------------------------------------------------------------------ replay one series
async function replay(s) {
  const { LadModule } = await import('../dist/module/module.js');
  const h = await LadModule.create(wasmPath, { config: { detection: { window_size: s.interval } } });
  const { timestamps, values } = readSeries(nabDir, s.relPath);
  const I = s.interval * 1000;
  const shift = ((timestamps[0] % I) + I) % I; // lad's windows are epoch-aligned; rows start `shift` past one
  const rowOf = new Map(timestamps.map((t, i) => [t - shift, i]));
  const tag = Buffer.from(`nab.${s.tag}`);
  const rec = Buffer.from(s.record);
  const alerts = [];
  const types = {};
  let records = 0, unmapped = 0;
  const take = (e, atMs) => {
    types[`${e.type}/${e.severity}`] = (types[`${e.type}/${e.severity}`] || 0) + 1;
    if (!isAlert(e)) return;
    const ws = Date.parse(e.window_start);
    const row = rowOf.get(ws);
    if (row === undefined) { unmapped++; return; }
    alerts.push({ row, type: e.type, severity: e.severity, at: atMs, description: e.description });
    if (dumpFile) appendFileSync(dumpFile, JSON.stringify({ series: s.relPath, row, ...e }) + '\n');
  };
  // the window log is switched on (and drained) through the batch entry with no lines
  const drain = () => { const t = h.batchText('lad.trace', '', 2, 0).windows; if (t) appendFileSync(traceFile, t); };
  if (traceFile) drain();
  const t0 = performance.now();
  const total = values.reduce((a, b) => a + b, 0);
  const useBatch = pathOpt === 'batch' || (pathOpt === 'auto' && total > BATCH_ABOVE);
  if (useBatch) feedBatch(h, tag, s.record, timestamps, values, shift, I, take);
  else {
    for (let i = 0; i < timestamps.length; i++) {
      const n = values[i];
      const base = timestamps[i] - shift;
      for (let k = 0; k < n; k++) {
        const ms = base + Math.floor((k * I) / n);
        const out = h.filterBytes(tag, Math.floor(ms / 1000), (ms % 1000) * 1e6, rec);
        records++;
        if (traceFile && records % 4096 === 0) drain();
        if (out === null) { h.dropped++; continue; }
        if (out.indexOf(EVENTS_MARK) < 0) continue;
        const o = JSON.parse(out.toString('utf8'));
        for (const e of (o.anomaly || o.anomaly_lad || {}).events || []) take(e, ms);
      }
    }
  }
  if (useBatch) records = total;
  const endMs = timestamps[timestamps.length - 1] - shift + I;
  const text = h.view(h.flush(Math.floor(endMs / 1000), 0)).records.toString();
  for (const line of text.split('\n')) if (line.trim()) for (const e of JSON.parse(line).anomaly?.events || []) take(e, endMs);
  if (traceFile) drain();
  const secs = (performance.now() - t0) / 1000;
  const scores = new Array(timestamps.length).fill(0);
  for (const a of alerts) scores[a.row] = 1;
  return { ...s, timestamps, scores, alerts, records, secs, unmapped, traps: h.traps, dropped: h.dropped, types, shift, path: useBatch ? 'batch' : 'filter' };
}

// ------------------------------------------------------------------ main
const windowsByFile = loadWindows(nabDir);
const profiles = loadProfiles(nabDir);
const thresholds = loadThresholds(nabDir);
const cost = profiles[PROFILE].CostMatrix;

console.log(`NAB replay: ${SERIES.length} series through ${wasmPath} (Fluent Bit-style host, one record per count), profile ${PROFILE}`);
const runs = [];
let totalRecords = 0, totalSecs = 0;
for (const s of SERIES) {
  const r = await replay(s);
  runs.push(r);
  totalRecords += r.records; totalSecs += r.secs;
  console.log(`  ${s.relPath.padEnd(40)} ${r.timestamps.length.toString().padStart(6)} rows ${r.records.toLocaleString().padStart(12)} records ${r.secs.toFixed(1).padStart(6)} s (${(r.records / r.secs / 1e6).toFixed(2)} M/s, ${r.path}), ${r.alerts.length} alerts${r.unmapped ? `, ${r.unmapped} not on a row` : ''}${r.traps ? `, ${r.traps} traps` : ''}`);
  if (verbose) console.log(`      events by type/severity: ${JSON.stringify(r.types)}`);
}
console.log(`  total ${totalRecords.toLocaleString()} records in ${totalSecs.toFixed(0)} s`);

const lad = scoreSet(runs.map((r) => ({ relPath: r.relPath, timestamps: r.timestamps, scores: r.scores })), { windowsByFile, threshold: 0.5, cost });
console.log(`\nlad per series (standard profile; windows = labelled anomaly windows, probationary rows not scored)`);
console.log(`  ${'series'.padEnd(40)} windows caught  FP detections  alert rows  raw score`);
for (let i = 0; i < runs.length; i++) {
  const r = runs[i], p = lad.per[i];
  console.log(`  ${r.relPath.padEnd(40)} ${`${p.caught}/${p.scorableWindows}`.padStart(14)}  ${String(p.fpDetections).padStart(13)}  ${String(r.scores.filter((x) => x).length).padStart(10)}  ${p.score.toFixed(3).padStart(9)}`);
  if (verbose) {
    for (const [w, row] of p.firstDetection) console.log(`      window ${w}: first detection at row ${row} (${new Date(r.timestamps[row]).toISOString()})`);
  }
}
console.log(`  ${'total'.padEnd(40)} ${`${lad.per.reduce((a, p) => a + p.caught, 0)}/${lad.per.reduce((a, p) => a + p.scorableWindows, 0)}`.padStart(14)}  ${String(lad.per.reduce((a, p) => a + p.fpDetections, 0)).padStart(13)}  ${''.padStart(10)}  ${lad.raw.toFixed(3).padStart(9)}`);
console.log(`  null detector ${lad.null.toFixed(3)}, perfect ${lad.perfect.toFixed(3)}`);

const relPaths = runs.map((r) => r.relPath);
const published = [];
for (const d of listDetectors(nabDir)) {
  if (d === 'null') continue;
  const p = scorePublished(nabDir, d, relPaths, { profile: PROFILE, windowsByFile, profiles, thresholds });
  if (p) published.push(p);
}
const table = [{ detector: 'lad (this build)', threshold: 0.5, normalised: lad.normalised, raw: lad.raw }, ...published]
  .sort((a, b) => b.normalised - a.normalised);
console.log(`\nNAB standard-profile score over these ${runs.length} files (0 = null detector, 100 = perfect); published detectors re-scored from results/ at their standard thresholds`);
for (const t of table) console.log(`  ${t.detector.padEnd(20)} ${t.normalised.toFixed(1).padStart(6)}   (raw ${t.raw.toFixed(3)}, threshold ${+t.threshold.toFixed(4)})`);

let corpus = null;
if (flag('--corpus')) {
  const all = corpusFiles(nabDir);
  const fr = JSON.parse(readFileSync(join(nabDir, 'results/final_results.json'), 'utf8'));
  corpus = [];
  console.log(`\nScorer check: published detectors on the whole corpus (${all.length} files) vs results/final_results.json`);
  for (const d of listDetectors(nabDir)) {
    const p = scorePublished(nabDir, d, all, { profile: PROFILE, windowsByFile, profiles, thresholds });
    const ref = fr[d]?.[PROFILE];
    if (!p || ref === undefined) continue;
    corpus.push({ detector: d, score: p.normalised, published: ref });
    console.log(`  ${d.padEnd(20)} ${p.normalised.toFixed(2).padStart(7)}  published ${ref.toFixed(2).padStart(7)}  ${Math.abs(p.normalised - ref) < 0.01 ? 'ok' : 'DIFFERS'}`);
  }
}

const jsonOut = opt('--json', null);
if (jsonOut) {
  writeFileSync(jsonOut, JSON.stringify({
    profile: PROFILE, wasm: wasmPath,
    lad: { normalised: lad.normalised, raw: lad.raw, null: lad.null, perfect: lad.perfect },
    series: runs.map((r, i) => ({
      file: r.relPath, path: r.path, rows: r.timestamps.length, records: r.records, seconds: r.secs, shift_s: r.shift / 1000,
      alerts: r.alerts.length, alert_rows: r.scores.filter((x) => x).length, unmapped: r.unmapped, events: r.types,
      alert_list: r.alerts.map((a) => ({ row: a.row, row_start: new Date(r.timestamps[a.row]).toISOString(), type: a.type, severity: a.severity })),
      windows: lad.per[i].scorableWindows, caught: lad.per[i].caught, fp_detections: lad.per[i].fpDetections, raw: lad.per[i].score,
    })),
    published: published.map((p) => ({ detector: p.detector, threshold: p.threshold, normalised: p.normalised, raw: p.raw })),
    corpus,
  }, null, 2));
}

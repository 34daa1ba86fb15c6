#!/usr/bin/env node
// npm run eval:fleet: replays a seeded, week-long simulated fleet node (scripts/lib/gen-fleet.js: 40
// streams, benign routines, 31 incidents of 10 kinds from day 2 on) through build/lad.wasm exactly as
// Fluent Bit calls it (src/module/module.ts), with a 1 s `lad.heartbeat` dummy input keeping the
// event-time clock moving, and scores it the way a held-out benchmark would:
//   * per incident: caught if an alert on its stream (any stream of the service for the outage)
//     comes between its start and end + 10 windows; time to detect from its start (also for the
//     slow WARN rise, whose ramp starts there); within 2 windows; silences also within 3 windows;
//   * false alarms: alerts no incident explains, grouped per stream into episodes (gaps < 10
//     windows), per day over the run and over the two clean days, each attributed to the benign
//     routine it overlaps (deploy, backup, cron, rotation, burst, out_of_order) or none.
// An alert is an event of severity warning or critical with a window_start (not `resolved`); it is
// attributed by its own `stream` field, at the event time of the record that carried it (or the
// flush time). Events on lad.heartbeat are counted apart. Exit 0 always, unless the module cannot
// be loaded: this is an evaluation, not a test.
//
// Options: --seeds 1,2,3  --days 7  --window 60  --threshold 3  --json FILE  --verbose
//          --wasm build/lad.wasm  --no-heartbeat  --dump FILE (alerts)  --trace FILE (window lines)
import { existsSync, writeFileSync, appendFileSync, rmSync } from 'node:fs';
import { planFleet, generateFleet, KINDS } from './lib/gen-fleet.js';
import { LadModule } from '../dist/module/module.js';
import { SEV_RANK } from '../dist/module/vocabulary.js';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 && i + 1 < args.length ? args[i + 1] : def; };
const flag = (name) => args.includes(name);

const seeds = opt('--seeds', opt('--seed', '1,2,3')).split(',').map(Number);
const days = Number(opt('--days', 7));
const windowSec = Number(opt('--window', 60));
const threshold = Number(opt('--threshold', 3));
const jsonOut = opt('--json', null);
const verbose = flag('--verbose');
const wasmPath = opt('--wasm', 'build/lad.wasm');
const heartbeat = !flag('--no-heartbeat');
const dump = opt('--dump', null); // every alert event, one JSON line each (for reading what fired)
const trace = opt('--trace', null); // every closed window's line ({"window":{..}}: counts, expectations, z) into FILE.seed
const W = windowSec * 1000;
const HEARTBEAT = 'lad.heartbeat';

const config = {
  detection: { threshold, window_size: windowSec, min_events: 10 },
  alerting: { min_severity: 'warning' },
};
const isAlert = (e) => SEV_RANK[e.severity] >= SEV_RANK.warning && e.window_start !== undefined && e.type !== 'resolved';
// benign causes in the order they are tried when an episode overlaps several
const CAUSES = ['deploy', 'backup', 'cron', 'rotation', 'burst', 'out_of_order'];

if (!existsSync(wasmPath)) { console.error(`${wasmPath} not found (npm run build)`); process.exit(2); }

// ------------------------------------------------------------------ one seed through the module
async function runSeed(seed) {
  if (dump) rmSync(`${dump}.${seed}`, { force: true });
  if (trace) rmSync(`${trace}.${seed}`, { force: true });
  const p = planFleet({ seed, days });
  let h;
  try { h = await LadModule.create(wasmPath, { config }); } catch (e) { console.error(`cannot load ${wasmPath}: ${e.message}`); process.exit(2); }
  const enc = new TextEncoder();
  const tags = new Map();
  const tagBytes = (t) => { let b = tags.get(t); if (!b) { b = enc.encode(t); tags.set(t, b); } return b; };
  const alerts = [];
  const byType = {};
  let hbEvents = 0, records = 0;
  const take = (e, at) => {
    const k = `${e.type}/${e.severity}`;
    byType[k] = (byType[k] || 0) + 1;
    if (e.stream === HEARTBEAT) { hbEvents++; return; }
    if (isAlert(e)) {
      alerts.push({ stream: e.stream, type: e.type, severity: e.severity, at, description: e.description });
      if (dump) appendFileSync(`${dump}.${seed}`, JSON.stringify({ at: new Date(at).toISOString(), ...e }) + '\n');
    }
  };
  // the record is encoded into one reused buffer (the host copies it into guest memory anyway)
  let scratch = new Uint8Array(1 << 16);
  const EVENTS = Buffer.from('"events":[');
  const t0 = performance.now();
  // the window log is switched on (and drained) through the batch entry with no lines
  const drain = () => { const t = h.batchText('lad.trace', '', 2, 0).windows; if (t) appendFileSync(`${trace}.${seed}`, t); };
  if (trace) drain();
  for (const rec of generateFleet(p, { heartbeat })) {
    records++;
    if (trace && records % 4096 === 0) drain();
    if (rec.record.length * 3 > scratch.length) scratch = new Uint8Array(rec.record.length * 3);
    const n = enc.encodeInto(rec.record, scratch).written;
    const out = h.filterBytes(tagBytes(rec.tag), Math.floor(rec.ms / 1000), (rec.ms % 1000) * 1e6, scratch.subarray(0, n));
    // parse only records that carry events (output is a Buffer over a reused host buffer)
    if (out === null || out.indexOf(EVENTS) < 0) continue;
    let o;
    try { o = JSON.parse(out.toString()); } catch { continue; }
    for (const e of (o.anomaly || o.anomaly_lad || {}).events || []) take(e, rec.ms);
  }
  const text = h.view(h.flush(Math.floor(p.end / 1000), 0)).records.toString();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try { for (const e of JSON.parse(line).anomaly?.events || []) take(e, p.end); } catch { /* not an event line */ }
  }
  if (trace) drain();
  const secs = (performance.now() - t0) / 1000;
  return { seed, p, alerts, byType, hbEvents, records, secs, traps: h.traps };
}

// ------------------------------------------------------------------ scoring
function score({ p, alerts }) {
  alerts.sort((a, b) => a.at - b.at);
  const used = new Set();
  const rows = [];
  for (const inc of p.incidents) {
    const streams = new Set(inc.streams);
    const mine = alerts.filter((a) => streams.has(a.stream) && a.at >= inc.start && a.at <= inc.end + 10 * W);
    for (const a of mine) used.add(a);
    const first = mine[0] || null;
    const ttd = first ? first.at - inc.start : null;
    rows.push({ inc, caught: !!first, ttd, within2: first !== null && ttd <= 2 * W, within3: first !== null && ttd <= 3 * W, first, types: [...new Set(mine.map((a) => `${a.stream === inc.stream ? '' : a.stream + ':'}${a.type}`))] });
  }
  // false alarms: unexplained alerts, episodes per stream with gaps < 10 windows
  const episodes = [];
  const open = new Map();
  for (const a of alerts) {
    if (used.has(a)) continue;
    const ep = open.get(a.stream);
    if (ep && a.at - ep.end < 10 * W) { ep.end = a.at; ep.alerts.push(a); continue; }
    const n = { stream: a.stream, start: a.at, end: a.at, alerts: [a] };
    episodes.push(n);
    open.set(a.stream, n);
  }
  for (const ep of episodes) {
    ep.types = [...new Set(ep.alerts.map((a) => a.type))];
    ep.cause = 'none';
    const near = p.benign.filter((b) => b.streams.includes(ep.stream) && b.start <= ep.end && b.end + 10 * W >= ep.start);
    for (const c of CAUSES) { const b = near.find((x) => x.cause === c); if (b) { ep.cause = c; ep.benign = b.id; break; } }
  }
  const cleanEnd = p.start + Math.min(2, p.days) * 86400000;
  return { rows, episodes, clean: episodes.filter((e) => e.start < cleanEnd).length, cleanDays: Math.min(2, p.days) };
}

// ------------------------------------------------------------------ reporting
const median = (xs) => { if (!xs.length) return null; const s = xs.slice().sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(0)}%` : '-');
const ts = (ms) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const secsStr = (ms) => (ms === null ? '-' : `${(ms / 1000).toFixed(0)}s`);

function kindTable(rows, indent = '  ') {
  console.log(`${indent}kind              n  caught  within 2 win  median TTD`);
  for (const k of KINDS) {
    const rs = rows.filter((r) => r.inc.kind === k);
    if (!rs.length) continue;
    const c = rs.filter((r) => r.caught).length, w2 = rs.filter((r) => r.within2).length;
    const med = median(rs.filter((r) => r.caught).map((r) => r.ttd));
    const extra = k === 'silence_20m' ? `   (within 3 win: ${rs.filter((r) => r.within3).length}/${rs.length})` : k === 'warn_rise_2h' ? '   (TTD from the start of the 2 h ramp)' : '';
    console.log(`${indent}${k.padEnd(16)} ${String(rs.length).padStart(2)}  ${`${c}/${rs.length}`.padStart(6)}  ${`${w2}/${rs.length}`.padStart(12)}  ${secsStr(med).padStart(10)}${extra}`);
  }
}

function totals(rows, episodes, clean, daysTotal, cleanDays) {
  const n = rows.length, c = rows.filter((r) => r.caught).length, w2 = rows.filter((r) => r.within2).length;
  const sil = rows.filter((r) => r.inc.kind === 'silence_20m');
  return {
    incidents: n, caught: c, within2: w2,
    caught_pct: n ? c / n : 0, within2_pct: n ? w2 / n : 0,
    median_ttd_s: (median(rows.filter((r) => r.caught).map((r) => r.ttd)) ?? NaN) / 1000,
    false_episodes: episodes.length, false_per_day: episodes.length / daysTotal,
    false_clean: clean, false_per_clean_day: cleanDays ? clean / cleanDays : 0,
    silences: sil.length, silences_within3: sil.filter((r) => r.within3).length,
  };
}
function totalLine(t) {
  return `caught ${t.caught}/${t.incidents} (${pct(t.caught, t.incidents)}), within 2 windows ${t.within2}/${t.incidents} (${pct(t.within2, t.incidents)}), median TTD ${Number.isNaN(t.median_ttd_s) ? '-' : t.median_ttd_s.toFixed(0) + 's'}, ` +
    `false episodes ${t.false_per_day.toFixed(2)}/day (${t.false_episodes}), days 0-1 ${t.false_per_clean_day.toFixed(2)}/day (${t.false_clean}), silences flagged within 3 windows ${t.silences_within3}/${t.silences}`;
}
const byCause = (eps) => CAUSES.concat('none').map((c) => [c, eps.filter((e) => e.cause === c).length]).filter(([, n]) => n).map(([c, n]) => `${c} ${n}`).join(', ') || 'none';

// ------------------------------------------------------------------ main
const T0 = performance.now();
console.log(`fleet week: ${days} days, 40 streams, window ${windowSec}s, threshold ${threshold}, heartbeat ${heartbeat ? '1/s' : 'off'}, ${wasmPath}`);
const allRows = [], allEps = [];
let allClean = 0, allDays = 0, allCleanDays = 0, allRecords = 0, allSecs = 0;
const summary = { days, windowSec, threshold, heartbeat, seeds: [] };
for (const seed of seeds) {
  const run = await runSeed(seed);
  const sc = score(run);
  const t = totals(sc.rows, sc.episodes, sc.clean, run.p.days, sc.cleanDays);
  allRows.push(...sc.rows); allEps.push(...sc.episodes); allClean += sc.clean; allDays += run.p.days; allCleanDays += sc.cleanDays; allRecords += run.records; allSecs += run.secs;
  console.log(`\n=== seed ${seed}: ${run.records.toLocaleString('en-US')} records (${(run.records / (run.p.days * 86400)).toFixed(1)}/s simulated), ${(run.records / run.secs / 1000).toFixed(0)}k records/s, ${run.secs.toFixed(0)}s; ${run.p.incidents.length} incidents, ${run.p.benign.length} benign routines (out-of-order stream ${run.p.outOfOrder})${run.traps ? `; ${run.traps} traps` : ''}`);
  if (verbose) {
    console.log('  incident                    stream                   start (UTC)          result   TTD     alert types');
    for (const r of sc.rows) {
      const res = r.within2 ? 'caught ' : r.caught ? 'late   ' : 'MISSED ';
      console.log(`  ${r.inc.id.padEnd(27)} ${r.inc.stream.padEnd(24)} ${ts(r.inc.start)}  ${res}  ${secsStr(r.ttd).padEnd(7)} ${r.types.join(',')}`);
    }
  }
  kindTable(sc.rows);
  console.log(`  total: ${totalLine(t)}`);
  console.log(`  false episodes by cause: ${byCause(sc.episodes)}; events on ${HEARTBEAT}: ${run.hbEvents}`);
  if (verbose) {
    for (const ep of sc.episodes) {
      const a = ep.alerts[0];
      console.log(`    ${ts(ep.start)} ${ep.stream.padEnd(22)} ${ep.types.join(',').padEnd(26)} ${ep.cause.padEnd(12)} ${String(ep.alerts.length).padStart(3)} alert(s)  ${a.severity}: ${(a.description || '').slice(0, 100)}`);
    }
    console.log('  events by type/severity:', JSON.stringify(run.byType));
  }
  summary.seeds.push({
    seed, records: run.records, seconds: run.secs, heartbeat_events: run.hbEvents, totals: t, events: run.byType,
    incidents: sc.rows.map((r) => ({ id: r.inc.id, kind: r.inc.kind, stream: r.inc.stream, streams: r.inc.streams, start: new Date(r.inc.start).toISOString(), end: new Date(r.inc.end).toISOString(), caught: r.caught, within2: r.within2, within3: r.within3, ttd_s: r.ttd === null ? null : r.ttd / 1000, types: r.types })),
    false_episodes: sc.episodes.map((e) => ({ stream: e.stream, start: new Date(e.start).toISOString(), end: new Date(e.end).toISOString(), alerts: e.alerts.length, types: e.types, cause: e.cause, benign: e.benign })),
  });
}
if (seeds.length > 1) {
  console.log(`\n=== all ${seeds.length} seeds`);
  kindTable(allRows);
  const t = totals(allRows, allEps, allClean, allDays, allCleanDays);
  console.log(`  total: ${totalLine(t)}`);
  console.log(`  false episodes by cause: ${byCause(allEps)}`);
  summary.totals = t;
}
const wall = (performance.now() - T0) / 1000;
console.log(`\n${allRecords.toLocaleString('en-US')} records in ${allSecs.toFixed(0)}s replay (${(allRecords / allSecs / 1000).toFixed(0)}k records/s incl. generation), total runtime ${wall.toFixed(0)}s`);
summary.records = allRecords; summary.runtime_s = wall;
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(summary, null, 2));
process.exitCode = 0;

#!/usr/bin/env node
// Instructions executed per record, by stage and stream shape: a deterministic cost measure (see
// scripts/lib/count-instr.js). The interpreter's CPU time follows this count; V8's speed does not.
// Usage: node scripts/bench-count.js [--json] [--scale] [--funcs[=N]] [--file=<records.jsonl>]   (after npm run build)
//   --funcs: also the N (default 30) functions with the most own instructions per record, by shape
//   (a counter per function too; inlined helpers count in their caller).
//   --segs=<function name part>[:shape]: where that function's instructions go, by straight-line
//   segment, with the .wat lines of each (the body's operators in order); the 25 largest, SEGS_TOP=<n> for more.
// Env: COUNT_WARM, COUNT_RECORDS (per shape), COUNT_TAGS (scale check), COUNT_WASM (module).
import { writeFileSync } from 'node:fs';
import { instrumentFile, STAGES, SEG_INFO } from './lib/count-instr.js';
import { readFileSync } from 'node:fs';
import { SHAPES, shapeRecords, mixedRecords } from './lib/bench-shapes.js';
import { LadModule } from '../dist/module/module.js';

/** Budget per stage, instructions per record in steady state. Issue 10's goal is lad's own work at
 *  most ~10 us per record in WAMR's fast interpreter; before this work lad cost ~45 us for ~20,000
 *  counted instructions (~2.2 ns each), so the whole record gets about 4,500. */
export const BUDGET = {
  'other': 400,
  'record scan': 800,
  'line recognition': 700,
  'level and time': 500,
  'tokenizer and miner': 1200,
  'detector': 500,
  'output writing': 400,
};
export const BUDGET_TOTAL = 4500;

const WARM = Number(process.env.COUNT_WARM ?? 1000);
const N = Number(process.env.COUNT_RECORDS ?? 6000);
const enc = new TextEncoder();
const SEC0 = 1705329135;

// COUNT_WASM=<path>.wasm counts another build (its .wat beside it), e.g. an older commit's
const WASM = process.env.COUNT_WASM ?? 'build/lad.wasm';
const { bytes, names } = instrumentFile(WASM, WASM.replace(/\.wasm$/, '.wat'));
writeFileSync('build/lad.count.wasm', bytes);
const funcsArg = process.argv.find((a) => a.startsWith('--funcs'));
const TOPN = funcsArg ? Number(funcsArg.split('=')[1] ?? 30) : 0;
if (TOPN) writeFileSync('build/lad.funcs.wasm', instrumentFile(WASM, WASM.replace(/\.wasm$/, '.wat'), true).bytes);
const segsArg = process.argv.find((a) => a.startsWith('--segs='));
if (segsArg) {
  const [part, shape = 'mixed'] = segsArg.slice(7).split(':');
  const fi = names.findIndex((n) => n.includes(part));
  const watPath = WASM.replace(/\.wasm$/, '.wat');
  writeFileSync('build/lad.segs.wasm', instrumentFile(WASM, watPath, false, fi).bytes);
  const h = await LadModule.create('build/lad.segs.wasm');
  const items = shape === 'mixed' ? mixedRecords(WARM * 2 + N) : shapeRecords(shape, WARM + N).map((rec) => ({ tag: enc.encode(`bench.${shape}`), rec }));
  const warm = shape === 'mixed' ? WARM * 2 : WARM;
  const read = () => SEG_INFO.map((_, k) => h.exports[`__seg_${k}`].value);
  let i = 0;
  for (; i < warm; i++) h.filterBytes(items[i].tag, SEC0 + Math.floor(i / 100), 0, items[i].rec);
  const b = read();
  for (; i < items.length; i++) h.filterBytes(items[i].tag, SEC0 + Math.floor(i / 100), 0, items[i].rec);
  const a = read(), n = items.length - warm;
  // the function's body lines in the .wat: the header and local declarations excluded
  const wat = readFileSync(watPath, 'utf8').split('\n');
  const start = wat.findIndex((l) => l.startsWith(` (func ${names[fi]} `));
  let body = start + 1; while (/^\s+\(local /.test(wat[body])) body++;
  const rows = SEG_INFO.map(([f, l, k], s) => [Number(a[s] - b[s]) / n * k, Number(a[s] - b[s]) / n, f, l, k]).filter((r) => r[0] > 0).sort((x, y) => y[0] - x[0]);
  console.log(`${names[fi]} on ${shape}: instructions per record by segment (runs per record x length), .wat lines`);
  for (const [c, runs, f, l, k] of rows.slice(0, Number(process.env.SEGS_TOP || 25))) console.log(`  ${c.toFixed(0).padStart(6)} ${runs.toFixed(2).padStart(7)} x ${String(k).padStart(3)}  ${watPath}:${body + f + 1}-${body + l + 1}`);
  process.exit(0);
}

function readStages(ex) {
  const st = STAGES.map((_, k) => ex[`__instr_${k}`].value);
  return TOPN ? st.concat(names.map((_, i) => ex[`__fn_${i}`].value), names.map((_, i) => ex[`__calls_${i}`].value)) : st;
}
function flushAcc(h) { h.exports.__instr_flush?.(); }

async function host() { return LadModule.create(TOPN ? 'build/lad.funcs.wasm' : 'build/lad.count.wasm'); }

/** Runs warm-up then measured records ([{tag, rec}]); returns per-record instructions by stage. */
function measure(h, items, warm) {
  let i = 0;
  for (; i < warm; i++) h.filterBytes(items[i].tag, SEC0 + Math.floor(i / 100), 0, items[i].rec);
  // a zero-cost call boundary: the stage accumulators include everything up to the last switch,
  // and every record ends by leaving its staged functions, so no partial record is pending.
  const before = readStages(h.exports);
  for (; i < items.length; i++) h.filterBytes(items[i].tag, SEC0 + Math.floor(i / 100), 0, items[i].rec);
  const after = readStages(h.exports);
  const n = items.length - warm;
  const all = after.map((a, k) => Number(a - before[k]) / n);
  return TOPN ? Object.assign(all.slice(0, STAGES.length), { funcs: all.slice(STAGES.length, STAGES.length + names.length), calls: all.slice(STAGES.length + names.length) }) : all;
}

const rows = [];
// --file=<records.jsonl>: the records of a JSON-lines file (e.g. bench-fb-input.js' mixed.jsonl) as
// Fluent Bit's tail hands them over: one tag, the host time now (COUNT_HOST_SEC to set it), the
// first COUNT_WARM * 2 records warm-up
const fileArg = process.argv.find((a) => a.startsWith('--file='));
if (fileArg) {
  const tag = enc.encode('bench.file');
  const hostSec = Number(process.env.COUNT_HOST_SEC ?? Math.floor(Date.now() / 1000));
  const items = readFileSync(fileArg.slice(7), 'utf8').split('\n').filter(Boolean).map((l) => ({ tag, rec: enc.encode(l) }));
  const h = await host();
  let i = 0;
  const warm = Math.min(WARM * 2, items.length >> 1);
  for (; i < warm; i++) h.filterBytes(tag, hostSec + Math.floor(i / 4096), 0, items[i].rec);
  const before = readStages(h.exports);
  for (; i < items.length; i++) h.filterBytes(tag, hostSec + Math.floor(i / 4096), 0, items[i].rec);
  const after = readStages(h.exports);
  const per = after.slice(0, STAGES.length).map((a, k) => Number(a - before[k]) / (items.length - warm));
  console.log(`${fileArg.slice(7)}: instructions per record after ${warm} warm-up records (${items.length - warm} measured, host time ${hostSec})`);
  STAGES.forEach((st, k) => console.log('  ' + st.padEnd(20) + Math.round(per[k]).toString().padStart(9)));
  console.log('  ' + 'total'.padEnd(20) + Math.round(per.reduce((a, b) => a + b, 0)).toString().padStart(9) + (h.traps ? `  (${h.traps} traps!)` : ''));
  process.exit(0);
}
for (const name of Object.keys(SHAPES)) {
  const tag = enc.encode(`bench.${name}`);
  const items = shapeRecords(name, WARM + N).map((rec) => ({ tag, rec }));
  const h = await host();
  rows.push({ name, per: measure(h, items, WARM), traps: h.traps });
}
{
  const items = mixedRecords(WARM * 2 + N);
  const h = await host();
  rows.push({ name: 'mixed', per: measure(h, items, WARM * 2), traps: h.traps });
}

const json = process.argv.includes('--json');
const total = (per) => per.reduce((a, b) => a + b, 0);
if (json) {
  console.log(JSON.stringify(Object.fromEntries(rows.map((r) => [r.name, { total: Math.round(total(r.per)), ...Object.fromEntries(STAGES.map((s, k) => [s, Math.round(r.per[k])])) }])), null, 1));
} else {
  console.log(`WebAssembly instructions executed per record (deterministic; steady state: ${WARM} warm-up records, then ${N} measured)`);
  const w = 11;
  console.log('  ' + 'stage'.padEnd(20) + rows.map((r) => r.name.padStart(w)).join('') + '   budget');
  STAGES.forEach((s, k) => {
    console.log('  ' + s.padEnd(20) + rows.map((r) => Math.round(r.per[k]).toString().padStart(w)).join('') + String(BUDGET[s]).padStart(9) +
      (rows.some((r) => r.per[k] > BUDGET[s]) ? '  over' : ''));
  });
  console.log('  ' + 'total'.padEnd(20) + rows.map((r) => Math.round(total(r.per)).toString().padStart(w)).join('') + String(BUDGET_TOTAL).padStart(9) +
    (rows.some((r) => total(r.per) > BUDGET_TOTAL) ? '  over' : ''));
  const traps = rows.reduce((a, r) => a + r.traps, 0);
  if (traps) console.log(`  (${traps} traps!)`);
}

if (TOPN) {
  for (const r of rows) {
    const top = r.per.funcs.map((c, i) => [c, i]).filter(([c]) => c > 0).sort((a, b) => b[0] - a[0]).slice(0, TOPN);
    const calls = r.per.calls.reduce((a, b) => a + b, 0);
    console.log(`\n${r.name}: own instructions per record, top ${TOPN} (calls per record; ${calls.toFixed(1)} calls per record in all)`);
    for (const [c, i] of top) console.log(`  ${c.toFixed(0).padStart(7)} ${r.per.calls[i].toFixed(2).padStart(6)}  ${names[i].replace(/^\$/, '')}`);
  }
}

if (process.argv.includes('--scale') || process.env.COUNT_SCALE === '1') {
  // 10,000 distinct tags interleaved vs the same records under one tag: instructions per record and
  // the module's memory.
  const TAGS = Number(process.env.COUNT_TAGS ?? 10_000);
  const base = mixedRecords(TAGS * 4 + 20_000);
  const many = base.map((it, i) => ({ tag: enc.encode(`k8s.pod-${i % TAGS}.${Object.keys(SHAPES)[i % 6]}`), rec: it.rec }));
  const h1 = await host();
  const one = total(measure(h1, base, TAGS * 4));
  const h2 = await host();
  const per = total(measure(h2, many, TAGS * 4));
  const mib = (h) => h.exports.memory.buffer.byteLength / 1048576;
  console.log(`scale: ${TAGS.toLocaleString()} tags interleaved ${Math.round(per)} instructions/record vs ${Math.round(one)} for the same records on 6 tags: ${(per / one).toFixed(2)}x (goal <= 1.5x); memory ${mib(h2).toFixed(1)} MiB (goal <= 64 MiB; 6 tags: ${mib(h1).toFixed(1)} MiB)`);
}

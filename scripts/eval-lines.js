#!/usr/bin/env node
// Level and event-time accuracy on the real-lines corpus (tests/data/real-lines.tsv), overall and per
// product, through the built module.
// Usage: node scripts/eval-lines.js [--data FILE] [--wasm FILE] [--json] [--failures] [--check PCT]
//   --failures: list every row read wrong; --check PCT: exit 1 if level% or time% is below PCT
import { resolve, dirname } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRows, runRows, summarise } from './lib/real-lines.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt; };
const dataPath = resolve(root, opt('--data', 'tests/data/real-lines.tsv'));
const wasmPath = resolve(root, opt('--wasm', 'build/lad.wasm'));
const check = opt('--check', null);

if (!existsSync(wasmPath)) { console.error(`missing ${wasmPath}: run npm run build`); process.exit(2); }
const results = await runRows(loadRows(dataPath), wasmPath);
const s = summarise(results);
if (args.includes('--json')) console.log(JSON.stringify(s, null, 2));
else {
  console.log('product                    rows  level%  time%');
  for (const p of s.per_product) {
    console.log(`${p.product.padEnd(26)} ${String(p.rows).padStart(4)}  ${p.level.toFixed(0).padStart(6)}  ${p.time.toFixed(0).padStart(5)}`);
  }
  console.log(`${'ALL'.padEnd(26)} ${String(s.rows).padStart(4)}  ${s.level.toFixed(1).padStart(6)}  ${s.time.toFixed(1).padStart(5)}   (${s.products} products)`);
}
if (args.includes('--failures')) {
  for (const r of results) {
    if (r.level_ok && r.time_ok) continue;
    const why = [];
    if (!r.level_ok) why.push(`level ${r.got_level} want ${r.level}`);
    if (!r.time_ok) why.push(`time ${r.got_time} want ${r.time}`);
    console.log(`  L${r.lineNo} ${r.product}: ${why.join('; ')}\n      ${r.line.slice(0, 160)}`);
  }
}
if (check !== null && (s.level < Number(check) || s.time < Number(check))) {
  console.error(`eval-lines: level ${s.level.toFixed(1)}% / time ${s.time.toFixed(1)}% below ${check}%`);
  process.exit(1);
}

#!/usr/bin/env node
// Golden check for speed work: hashes of the tagged output of samples/* and of the bench streams
// (through the Fluent Bit-style host, and samples also through the batch entry the CLI uses).
// `node scripts/bench-golden.js > before.txt`, change, rebuild, run again, diff: byte-identical
// outputs give identical hashes. Optional argument: the module (default build/lad.wasm).
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { LadModule, FLAG_TAG_ALL } from '../dist/module/module.js';
import { SHAPES, shapeRecords, mixedRecords } from './lib/bench-shapes.js';

const wasmPath = process.argv[2] ?? 'build/lad.wasm';
const enc = new TextEncoder();
const SEC0 = 1710230400; // 2024-03-12T08:00:00Z, the samples' day

async function run(name, items) {
  const h = await LadModule.create(wasmPath);
  const hash = createHash('sha256');
  let alerts = 0;
  items.forEach((it, i) => {
    const out = h.filterBytes(it.tag, SEC0 + Math.floor(i / 4), 0, it.rec);
    hash.update(out === null ? 'TRAP' : out); hash.update('\n');
    if (out !== null && out.includes('"alert":true')) alerts++;
  });
  console.log(`${name.padEnd(24)} ${String(items.length).padStart(6)} records ${String(alerts).padStart(5)} alerts  ${hash.digest('hex').slice(0, 32)}  traps=${h.traps}`);
}

for (const f of ['samples/syslog-sample.log', 'samples/app-sample.jsonl']) {
  const lines = readFileSync(f, 'utf8').split('\n').filter((l) => l.length > 0);
  const tag = enc.encode(f.endsWith('.log') ? 'host.syslog' : 'app.checkout');
  await run(f, lines.map((l) => ({ tag, rec: enc.encode(l.startsWith('{') ? l : JSON.stringify({ log: l })) })));
  const h = await LadModule.create(wasmPath);
  const out = h.batchText(f, readFileSync(f), FLAG_TAG_ALL, SEC0).records;
  console.log(`${(f + ' (batch)').padEnd(24)} ${String(lines.length).padStart(6)} lines                ${createHash('sha256').update(out).digest('hex').slice(0, 32)}`);
}
for (const name of Object.keys(SHAPES)) {
  const tag = enc.encode(`bench.${name}`);
  await run(`bench ${name}`, shapeRecords(name, 20_000).map((rec) => ({ tag, rec })));
}
await run('bench mixed', mixedRecords(30_000));
await run('bench 2000 tags', mixedRecords(30_000).map((it, i) => ({ tag: enc.encode(`k8s.pod-${i % 2000}`), rec: it.rec })));

#!/usr/bin/env node
// Input files for measuring lad inside a real Fluent Bit (README, Speed): the bench shapes mixed
// round-robin (syslog and nginx lines under "log", app JSON, logfmt, CRI), one JSON object per line,
// for `tail` + the json parser. Also the same records with a "pod" field taking 10,000 values (10k
// streams with lad.json {"input":{"stream_field":"pod"}}) and with one value (the 1-stream control).
// Usage: node scripts/bench-fb-input.js <dir> [records=240000]
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { mixedRecords } from './lib/bench-shapes.js';

const dir = process.argv[2];
if (!dir) { console.error('usage: node scripts/bench-fb-input.js <dir> [records]'); process.exit(2); }
const n = Number(process.argv[3] ?? 240000);
mkdirSync(dir, { recursive: true });
const dec = new TextDecoder();
const lines = mixedRecords(n).map((it) => dec.decode(it.rec));
writeFileSync(join(dir, 'mixed.jsonl'), lines.join('\n') + '\n');
const withPod = (k) => lines.map((l, i) => `${l.slice(0, -1)},"pod":"pod-${i % k}"}`).join('\n') + '\n';
writeFileSync(join(dir, 'tags10k.jsonl'), withPod(10000));
writeFileSync(join(dir, 'tags1.jsonl'), withPod(1));
console.log(`${n} records each: ${join(dir, 'mixed.jsonl')}, tags10k.jsonl, tags1.jsonl`);

#!/usr/bin/env node
// Input files for measuring lad inside a real Fluent Bit (README, Speed): the bench shapes mixed
// round-robin (syslog and nginx lines under "log", app JSON, logfmt, CRI), one JSON object per line,
// for `tail` + the json parser. Also the same records with a "pod" field taking 10,000 values (10k
// streams with lad.json {"input":{"stream_field":"pod"}}) and with one value (the 1-stream control).
// The shapes are dated 2024-01-15, but syslog and klog stamps carry no year: lad gives them the year
// of Fluent Bit's record time (now). In one file (one tail tag, one stream) the event time would then
// jump between 2024 and now on every few records, so the stream's windows close and relearn on most
// records (~7,000 extra instructions per record in the detector, ~8 us in Fluent Bit): a cost no
// live stream has. The dates are therefore moved to the latest January 15 that the yearless stamps
// also get (--year=<YYYY> to choose; --year=2024 keeps the shapes' own dates).
// Usage: node scripts/bench-fb-input.js <dir> [records=240000] [--year=<YYYY>]
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { mixedRecords } from './lib/bench-shapes.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const yearArg = process.argv.find((a) => a.startsWith('--year='));
const dir = args[0];
if (!dir) { console.error('usage: node scripts/bench-fb-input.js <dir> [records] [--year=YYYY]'); process.exit(2); }
const n = Number(args[1] ?? 240000);
const now = Date.now();
let year = new Date(now).getUTCFullYear();
// lad's yearless stamps take the host's year unless that puts them more than a day ahead
if (Date.UTC(year, 0, 15, 23, 59, 59) > now + 86400000) year--;
if (yearArg) year = Number(yearArg.slice(7));
mkdirSync(dir, { recursive: true });
const dec = new TextDecoder();
const lines = mixedRecords(n).map((it) => dec.decode(it.rec)
  .replaceAll('2024-01-15', `${year}-01-15`).replaceAll('15/Jan/2024', `15/Jan/${year}`));
writeFileSync(join(dir, 'mixed.jsonl'), lines.join('\n') + '\n');
const withPod = (k) => lines.map((l, i) => `${l.slice(0, -1)},"pod":"pod-${i % k}"}`).join('\n') + '\n';
writeFileSync(join(dir, 'tags10k.jsonl'), withPod(10000));
writeFileSync(join(dir, 'tags1.jsonl'), withPod(1));
console.log(`${n} records each (dated ${year}-01-15): ${join(dir, 'mixed.jsonl')}, tags10k.jsonl, tags1.jsonl`);

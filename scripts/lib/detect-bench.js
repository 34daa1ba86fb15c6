// Per-record cost of the detector alone (build/detect-harness.wasm): node scripts/lib/detect-bench.js
// Feeds N records over 8 streams and 40 templates (~10% errors, 200 records/s of event time per
// stream) straight into detectRecord (lad_truth_record), so the number excludes parsing and mining.
import { existsSync } from 'node:fs';
import { buildHarness } from './detect-build.js';
import { LadModule } from '../../dist/module/module.js';

const N = Number(process.env.BENCH_RECORDS ?? 2_000_000);
if (!existsSync('build/detect-harness.wasm')) buildHarness({ quiet: true });
const mod = await LadModule.create('build/detect-harness.wasm', { config: { detection: { window_size: 60 } } });
const ex = mod.exports;
const enc = new TextEncoder();
const put = (s) => { const b = enc.encode(s); const p = mod.alloc(b.length + 1); new Uint8Array(ex.memory.buffer).set(b, p); return [p, b.length]; };
const streams = Array.from({ length: 8 }, (_, i) => put(`kube.var.log.containers.app-${i}_default_app-${i}-0123456789abcdef.log`));
const msg = put('GET /api/v1/items/12345 HTTP/1.1 200 5123 "-" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"');
let s = 1;
const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
const t0ms = Date.UTC(2024, 0, 15);
function run(n) {
  let events = 0;
  for (let i = 0; i < n; i++) {
    const st = streams[i & 7];
    const tpl = Math.floor(rnd() * rnd() * 40);
    const err = rnd() < 0.1 ? 1 : 0;
    events += ex.lad_truth_record(st[0], st[1], t0ms + i * 0.625, err ? 5 : 2, err, tpl, (tpl * 2654435761) >>> 0, tpl, 0, msg[0], msg[1]);
  }
  return events;
}
run(200_000);
const t = process.hrtime.bigint();
const ev = run(N);
const secs = Number(process.hrtime.bigint() - t) / 1e9;
console.log(`detectRecord alone: ${Math.round(N / secs).toLocaleString()} records/s (${(secs * 1e9 / N).toFixed(0)} ns/record incl. the JS call), ${ev} event batches`);

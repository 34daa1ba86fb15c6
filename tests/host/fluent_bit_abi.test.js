// Fluent Bit's exact calling convention, with a minimal host of its own written from Fluent Bit's C
// (plugins/filter_wasm, src/wasm/flb_wasm.c; see ../shared/docs/fluent-bit-wasm-abi.md), so that the
// shared host (src/module/module.ts), which every other test and script uses, is checked against it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
import { LadModule } from '../../dist/module/module.js';

const WASM = 'build/lad.wasm';
const SEC0 = 1710230400;

/** flb_wasm_call_function_format_json: malloc tag and record copies (+NUL), call, strdup the
 *  NUL-terminated result (never freed: the module owns it), free both copies. */
async function minimalFluentBit() {
  const wasi = new WASI({ version: 'preview1', returnOnExit: true });
  const { instance } = await WebAssembly.instantiate(readFileSync(WASM), wasi.getImportObject());
  wasi.initialize(instance);
  const x = instance.exports;
  const copy = (s) => {
    const b = Buffer.from(s);
    const p = x.malloc(b.length + 1);
    const m = new Uint8Array(x.memory.buffer);
    m.set(b, p);
    m[p + b.length] = 0;
    return [p, b.length];
  };
  return (tag, sec, nsec, record) => {
    const [t, tl] = copy(tag);
    const [r, rl] = copy(record);
    const ret = x.lad_filter(t, tl, sec, nsec, r, rl);
    const m = Buffer.from(x.memory.buffer);
    const out = m.toString('utf8', ret, m.indexOf(0, ret));
    x.free(t);
    x.free(r);
    return out;
  };
}

test('the shared host calls lad_filter exactly as Fluent Bit does: same output for every record', async () => {
  const fb = await minimalFluentBit();
  const host = await LadModule.create(WASM);
  const lines = readFileSync('samples/syslog-sample.log', 'utf8').split('\n').filter(Boolean);
  let alerts = 0;
  lines.forEach((l, i) => {
    const rec = JSON.stringify({ log: l });
    const want = fb('host.syslog', SEC0 + (i >> 2), 0, rec);
    assert.equal(host.filter('host.syslog', SEC0 + (i >> 2), 0, rec, { validate: false }), want, `record ${i}`);
    if (want.includes('"alert":true')) alerts++;
  });
  assert.ok(alerts > 0, 'the sample raises alerts through both hosts');
  assert.equal(host.traps, 0);
});

test('batch: window results travel in their own channel, never among the tagged records', async () => {
  const host = await LadModule.create(WASM);
  const lines = [];
  for (let s = 0; s < 300; s += 5) lines.push(JSON.stringify({ time: SEC0 + s, log: `GET /api/items/${s % 7} 200` }));
  lines.push(JSON.stringify({ time: SEC0 + 1, window: { stream: 'not lad', count: 1 }, log: 'a user record named window' }));
  const { records, windows } = host.batchText('app', lines.join('\n') + '\n', 1 | 2, SEC0);
  const recs = records.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  assert.equal(recs.length, lines.length, 'one tagged record per line, and nothing else');
  assert.ok(recs.every((r) => typeof r.anomaly === 'object'), 'every record is tagged');
  assert.equal(recs[recs.length - 1].window.stream, 'not lad', "the user's own window key is kept");
  const wins = windows.split('\n').filter(Boolean).map((l) => JSON.parse(l).window);
  assert.ok(wins.length >= 3, `closed windows reported (${wins.length})`);
  assert.ok(wins.every((w) => w.stream === 'app' && typeof w.count === 'number'));
  assert.equal(host.batchText('app', lines[0] + '\n', 1, SEC0).windows, '', 'no window channel without flag 2');
});

// lad never writes a key the record already has: output.key, else output.fallback_key, else
// fallback_key + "_2", "_3", ... (Fluent Bit keeps the last of duplicate keys, so the user's value
// would be lost).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LadModule } from '../../dist/module/module.js';

const WASM = process.env.LAD_WASM ?? 'build/lad.wasm';
const T0 = 1773302400;

/** Top-level keys of a JSON object text, in order, duplicates kept (JSON.parse would merge them). */
function topKeys(text) {
  const keys = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      let k = j + 1;
      while (text[k] === ' ') k++;
      if (depth === 1 && text[k] === ':') keys.push(JSON.parse(text.slice(i, j + 1)));
      i = j;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return keys;
}

test('output key: anomaly, then anomaly_lad, then anomaly_lad_2, _3: never a key the record has', async () => {
  const h = await LadModule.create(WASM);
  const cases = [
    [{ log: 'a' }, 'anomaly'],
    [{ log: 'b', anomaly: 'mine' }, 'anomaly_lad'],
    [{ log: 'c', anomaly: 'mine', anomaly_lad: { x: 1 } }, 'anomaly_lad_2'],
    [{ anomaly_lad: 0, log: 'd', anomaly: 1, anomaly_lad_2: 2 }, 'anomaly_lad_3'],
    // only the fallback present: output.key is free
    [{ log: 'e', anomaly_lad: 7 }, 'anomaly'],
  ];
  for (const [rec, want] of cases) {
    const out = h.filter('t', T0, 0, JSON.stringify(rec));
    const keys = topKeys(out);
    assert.equal(new Set(keys).size, keys.length, `duplicate key in ${out}`);
    assert.equal(keys[keys.length - 1], want, out);
    const o = JSON.parse(out);
    for (const [k, v] of Object.entries(rec)) assert.deepEqual(o[k], v, `user's ${k} kept`);
    assert.equal(typeof o[want].template_id, 'string');
  }
});

test('output key with a configured fallback_key', async () => {
  const h = await LadModule.create(WASM, { config: { output: { key: 'lad', fallback_key: 'lad_x' } } });
  const out = h.filter('t', T0, 0, JSON.stringify({ lad: 1, lad_x: 2, log: 'z' }));
  assert.deepEqual(topKeys(out), ['lad', 'lad_x', 'log', 'lad_x_2']);
});

test('lad analyze -o records.ndjson: a record with anomaly and anomaly_lad keeps both, lad writes anomaly_lad_2', async (t) => {
  const { lad, tmp } = await import('../cli/helpers.js');
  const { writeFileSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const d = tmp(t);
  const f = join(d, 'app.jsonl');
  writeFileSync(f, JSON.stringify({ time: '2026-03-12T08:00:00Z', log: 'boot', anomaly: 'x', anomaly_lad: 'y' }) + '\n');
  const out = join(d, 'r.ndjson');
  const r = lad(['analyze', f, '-o', out, '--json', '--fail-on', 'never']);
  assert.equal(r.code, 0, r.stderr);
  const rec = readFileSync(out, 'utf8').trim();
  assert.deepEqual(topKeys(rec), ['time', 'log', 'anomaly', 'anomaly_lad', 'anomaly_lad_2']);
});

// The real-lines corpus (tests/data/real-lines.tsv): every row through the built module; the level
// and the event time a person reads off each line must come back on at least 97% of the rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRows, runRows, summarise } from '../../scripts/lib/real-lines.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TARGET = 97;

test('real-lines corpus: at least 300 rows from at least 60 products, each naming its source', () => {
  const rows = loadRows(resolve(root, 'tests/data/real-lines.tsv'));
  assert.ok(rows.length >= 300, `${rows.length} rows`);
  assert.ok(new Set(rows.map(r => r.product.replace(/^loghub-/, ''))).size >= 60);
  for (const r of rows) {
    assert.ok(r.source.length > 3, `row ${r.lineNo} names no source`);
    for (const l of r.level.split('|')) assert.match(l, /^(trace|debug|info|notice|warning|error|critical)$/, `row ${r.lineNo}`);
    for (const t of r.time.split('|')) assert.ok(t === '-' || t.startsWith('--') || !Number.isNaN(Date.parse(t)), `row ${r.lineNo} time ${t}`);
  }
});

test(`real-lines corpus: level and time right on >= ${TARGET}% of rows`, async () => {
  const results = await runRows(loadRows(resolve(root, 'tests/data/real-lines.tsv')), resolve(root, 'build/lad.wasm'));
  const s = summarise(results);
  const wrong = results.filter(r => !r.level_ok || !r.time_ok)
    .map(r => `L${r.lineNo} ${r.product}: level ${r.got_level} (want ${r.level}) time ${r.got_time} (want ${r.time})`);
  assert.ok(s.level >= TARGET && s.time >= TARGET,
    `level ${s.level.toFixed(1)}%, time ${s.time.toFixed(1)}%; wrong rows:\n${wrong.join('\n')}`);
});

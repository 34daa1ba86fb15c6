// The batch feeder against the real module: lines split across chunks of every size, lines longer
// than the region, CRLF, a last line without newline: each line reaches the module exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LadModule, FLAG_TAG_ALL } from '../../dist/module/module.js';
import { Feeder } from '../../dist/module/feeder.js';
import { readTagged } from '../../dist/module/results.js';

function rng(seed) { let s = seed >>> 0; return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296); }

async function run(text, chunker, opts = {}) {
  const mod = await LadModule.create();
  mod.setTag('test');
  const out = [];
  const feeder = new Feeder(mod, {
    flags: FLAG_TAG_ALL,
    batchBytes: opts.batchBytes ?? 4096,
    maxLineBytes: opts.maxLineBytes,
    onBatch: (b) => readTagged(b.out.records, ['anomaly'], { anomaly() {}, tagged: (buf) => out.push(buf.toString()) }),
  });
  const bytes = Buffer.from(text);
  for (const [a, b] of chunker(bytes.length)) feeder.push(bytes.subarray(a, b));
  feeder.end();
  const lines = feeder.lines;
  const { cutLines, cutBytes } = feeder;
  feeder.close();
  return { lines, cutLines, cutBytes, logs: out.join('').split('\n').filter((l) => l).map((l) => JSON.parse(l).log) };
}

const randomChunks = (r, max) => (n) => {
  const c = [];
  for (let a = 0; a < n;) { const b = Math.min(n, a + 1 + Math.floor(r() * max)); c.push([a, b]); a = b; }
  return c;
};

test('random line lengths and chunk sizes: every line once, in order', async () => {
  const r = rng(7);
  const src = [];
  for (let i = 0; i < 3000; i++) {
    const len = r() < 0.01 ? 20000 + Math.floor(r() * 80000) : Math.floor(r() * 300);
    src.push(`line ${i} ` + 'x'.repeat(len));
  }
  const text = src.join('\n') + '\n';
  for (const max of [1, 7, 4096, 65536, 1 << 20]) {
    const { lines, logs } = await run(text, randomChunks(rng(max), max));
    assert.equal(lines, src.length, `chunks up to ${max}: line count`);
    assert.deepEqual(logs, src, `chunks up to ${max}: same lines`);
  }
});

test('CRLF, empty lines, a last line without newline', async () => {
  const { lines, logs } = await run('a 1\r\n\r\nb 2\n\nc 3', (n) => [[0, 3], [3, 5], [5, n]]);
  assert.equal(lines, 5);
  assert.deepEqual(logs, ['a 1', 'b 2', 'c 3']);
});

test('a line longer than maxLineBytes is cut: its start kept as one line, the rest skipped and counted', async () => {
  const long = 'y'.repeat(300000);
  for (const chunks of [(n) => [[0, n]], randomChunks(rng(3), 5000)]) {
    const { logs, cutLines, cutBytes } = await run(`before\n${long}\nafter\n`, chunks, { maxLineBytes: 100000 });
    assert.equal(logs.length, 3, 'the long line is one line');
    assert.equal(logs[0], 'before');
    assert.equal(logs[2], 'after');
    assert.ok(long.startsWith(logs[1]), 'the start of the line is kept');
    assert.equal(logs[1].length, 100000, 'exactly maxLineBytes kept (the limit the warning names)');
    assert.equal(cutLines, 1);
    assert.equal(cutBytes, long.length - logs[1].length, 'every byte not analysed is counted');
  }
});

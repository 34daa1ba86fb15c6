// What cannot be analysed is said, with how much: binary files are skipped with a warning line,
// over-long lines are cut with a warning line, a truncated .gz is exit 2 naming it before any output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { lad, tmp, SYSLOG, ROOT } from './helpers.js';

test('a binary file is skipped with one warning line saying how much', (t) => {
  const d = tmp(t);
  const bin = join(d, 'lad.wasm.log');
  writeFileSync(bin, readFileSync(join(ROOT, 'build', 'lad.wasm')));
  const size = readFileSync(bin).length;
  const r = lad(['analyze', bin, SYSLOG, '--json', '--fail-on', 'never']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], new RegExp(`^lad: warning: skipped '.*lad\\.wasm\\.log': binary data, not log text .*; [\\d.]+ KiB not analysed$`));
  const s = JSON.parse(r.stdout);
  assert.deepEqual(s.skipped, [{ file: bin, kind: 'binary', bytes: size }]);
  assert.equal(s.total_lines, readFileSync(SYSLOG, 'utf8').split('\n').filter(Boolean).length, 'only the text file was analysed');
  // gzip'd binary and stdin too
  const gz = join(d, 'bin.gz');
  writeFileSync(gz, gzipSync(readFileSync(bin)));
  assert.match(lad(['analyze', gz, '-q']).stderr, /skipped '.*bin\.gz': binary data/);
  assert.match(lad(['analyze', '-', '-q'], { input: readFileSync(bin) }).stderr, /skipped stdin: binary data/);
});

test('text with a few NUL bytes or Latin-1 is still text', async () => {
  const { looksBinary } = await import('../../dist/input/sources.js');
  const text = Buffer.from(readFileSync(SYSLOG, 'latin1').slice(0, 65536), 'latin1');
  assert.equal(looksBinary(text), false);
  const withNul = Buffer.from(text); withNul.fill(0, 1000, 1100); // 100 NUL bytes of padding
  assert.equal(looksBinary(withNul), false);
  const latin1 = Buffer.from('Mär 12 10:00:00 h app: Größe überschritten, café\n'.repeat(500), 'latin1');
  assert.equal(looksBinary(latin1), false);
  assert.equal(looksBinary(readFileSync(join(ROOT, 'build', 'lad.wasm'))), true);
});

test('a line longer than the limit is cut and counted as one line, with a warning saying how much', (t) => {
  const d = tmp(t);
  const f = join(d, 'long.log');
  const head = readFileSync(SYSLOG, 'utf8').split('\n').slice(0, 50).join('\n') + '\n';
  writeFileSync(f, head + 'x'.repeat(3 << 20) + '\n' + head);
  // The default limit is 64 MiB; LAD_MAX_LINE_BYTES lowers it so the test stays small.
  const r = lad(['analyze', f, '--json', '--fail-on', 'never'], { env: { LAD_MAX_LINE_BYTES: '100000' } });
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.total_lines, 101, 'the long line is one line');
  assert.equal(s.skipped.length, 1);
  const cut = s.skipped[0];
  assert.equal(cut.kind, 'cut');
  assert.equal(cut.lines, 1);
  assert.equal(cut.bytes, (3 << 20) - 100000, 'all but the first 100000 bytes (the limit) not analysed');
  assert.match(r.stderr, /^lad: warning: '.*long\.log': 1 line longer than 97\.7 KiB cut; [\d.]+ MiB of it not analysed$/m);
});

test('a truncated .gz: exit 2 naming the file, before any output', (t) => {
  const d = tmp(t);
  const gz = join(d, 'syslog.2.gz');
  const whole = gzipSync(readFileSync(SYSLOG));
  writeFileSync(gz, whole.subarray(0, whole.length >> 1));
  const r = lad(['analyze', SYSLOG, gz]);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '', 'no report header before the error');
  assert.match(r.stderr, /^lad: cannot read '.*syslog\.2\.gz': truncated gzip data, after [\d,]+ bytes of text; nothing was analysed\n$/);
  const s = lad(['analyze', '-', '-q'], { input: readFileSync(gz) });
  assert.equal(s.code, 2);
  assert.match(s.stderr, /^lad: cannot read stdin: truncated gzip data/);
});

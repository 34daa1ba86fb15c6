// lad watch --ndjson follows files like tail -F: appends, rename rotation (with late writes to the
// renamed file), copytruncate (also truncate-and-refill between two polls), a file that appears
// later, a line written in two parts. Every line must come out exactly once, tagged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, tmp } from './helpers.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function lines(from, to, tag = 'app') {
  let s = '';
  for (let i = from; i <= to; i++) {
    const sec = i % 60, min = Math.floor(i / 60) % 60;
    s += `Mar 12 09:${String(min).padStart(2, '0')}:${String(sec).padStart(2, '0')} web-01 ${tag}[42]: INFO request seq=${String(i).padStart(6, '0')} handled in ${i % 97} ms\n`;
  }
  return s;
}

test('watch --ndjson: rotation, copytruncate, late files, split lines; no loss, no duplicates', async (t) => {
  const d = tmp(t);
  const app = join(d, 'app.log');
  const late = join(d, 'late.log');
  writeFileSync(app, lines(1, 500));
  const child = spawn(process.execPath, [CLI, 'watch', '--ndjson', '--interval', '40', '--status-interval', '0', app, late],
    { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (c) => { out += c; });
  child.stderr.on('data', (c) => { err += c; });
  const seen = () => (out.match(/seq=\d{6}/g) ?? []).length;
  async function until(n, what) {
    const t0 = Date.now();
    while (seen() < n) {
      if (Date.now() - t0 > 15000) assert.fail(`timed out waiting for ${what}: ${seen()} of ${n} lines; stderr: ${err}`);
      if (child.exitCode !== null) assert.fail(`lad watch exited ${child.exitCode}: ${err}`);
      await sleep(20);
    }
  }

  await until(500, 'the existing content');
  appendFileSync(app, lines(501, 1000));                       // appends
  await until(1000, 'appends');

  renameSync(app, app + '.1');                                 // rename rotation ...
  appendFileSync(app + '.1', lines(1001, 1100));               // ... the writer still writes the old file
  await sleep(10);
  writeFileSync(app, lines(1101, 1600));                       // ... then reopens the path
  await until(1600, 'rename rotation');

  copyFileSync(app, app + '.2');                               // copytruncate
  truncateSync(app, 0);
  await sleep(150);
  appendFileSync(app, lines(1601, 1700));
  await until(1700, 'copytruncate');

  truncateSync(app, 0);                                        // truncate and refill past our
  appendFileSync(app, lines(1701, 3000));                      // offset before the next poll
  await until(3000, 'truncate + refill');

  appendFileSync(app, lines(3001, 3001).slice(0, 30));         // a line in two writes
  await sleep(200);
  appendFileSync(app, lines(3001, 3001).slice(30));
  await until(3001, 'a split line');

  writeFileSync(late, lines(5001, 5100, 'late'));              // a file that appears later
  await until(3101, 'the late file');

  appendFileSync(app, 'Mar 12 10:00:00 web-01 app[42]: INFO request seq=009999 no newline');
  await sleep(200);
  child.kill('SIGINT');
  const code = await new Promise((r) => child.on('exit', (c) => r(c)));
  assert.equal(code, 0, err);

  const records = out.split('\n').filter((l) => l.length);
  const counts = new Map();
  for (const l of records) {
    const rec = JSON.parse(l);                                  // every line is a JSON record
    assert.equal(typeof rec.anomaly, 'object', 'tagged');
    const m = /seq=(\d{6})/.exec(rec.log);
    assert.ok(m, `raw line kept in "log": ${l.slice(0, 120)}`);
    counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  }
  const expected = [];
  for (let i = 1; i <= 3001; i++) expected.push(String(i).padStart(6, '0'));
  for (let i = 5001; i <= 5100; i++) expected.push(String(i).padStart(6, '0'));
  expected.push('009999');
  const missing = expected.filter((s) => !counts.has(s));
  const dup = [...counts].filter(([, n]) => n > 1).map(([s]) => s);
  assert.deepEqual(missing, [], 'no line lost');
  assert.deepEqual(dup, [], 'no line read twice');
  assert.equal(records.length, expected.length);
  const split = records.find((l) => l.includes('seq=003001'));
  assert.match(JSON.parse(split).log, /seq=003001 handled in \d+ ms$/, 'split line joined');
  assert.match(err, /ANALYSIS SUMMARY/, 'final summary on stderr');
  assert.match(err, /rotated/);
  assert.match(err, /truncated/);
});

test('watch --positions: a restarted watch resumes where it stopped (no loss, no repeats)', async (t) => {
  const d = tmp(t);
  const app = join(d, 'app.log');
  const pos = join(d, 'positions.json');
  writeFileSync(app, lines(1, 300));
  async function runOnce(until) {
    const child = spawn(process.execPath, [CLI, 'watch', '--ndjson', '--quiet', '--interval', '40', '--positions', pos, app],
      { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
    let out = '', err = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { err += c; });
    const t0 = Date.now();
    while ((out.match(/seq=\d{6}/g) ?? []).length < until) {
      if (Date.now() - t0 > 15000) assert.fail(`timed out: ${out.split('\n').length} lines; ${err}`);
      await sleep(20);
    }
    await sleep(100);
    child.kill('SIGTERM');
    assert.equal(await new Promise((r) => child.on('exit', r)), 0, err);
    return out.match(/seq=\d{6}/g) ?? [];
  }
  const first = await runOnce(300);
  appendFileSync(app, lines(301, 400) + 'Mar 12 09:59:59 web-01 app[42]: INFO request seq=000401 half');
  const second = await runOnce(100);
  appendFileSync(app, ' written later\n');
  const third = await runOnce(1);
  const all = [...first, ...second, ...third];
  assert.equal(all.length, 401, `first ${first.length}, second ${second.length}, third ${third.length}`);
  assert.equal(new Set(all).size, 401, 'no line twice');
  assert.deepEqual(third, ['seq=000401'], 'the unterminated line waited for its end');
});

// The documented rule: the saved file is looked for among names starting with its stem in the same
// folder (logrotate's NAME.1, dateext NAME-YYYYMMDD and STEM-YYYYMMDD.EXT), by inode and device.
for (const rotated of ['app.log.1', 'app.log-20240312', 'app-20240312.log']) test(`watch --positions: killed, file rotated by rename (to ${rotated}) and appended meanwhile: the rest of the renamed file comes first, then the new file`, async (t) => {
  const { readFileSync, statSync } = await import('node:fs');
  const d = tmp(t);
  const app = join(d, 'app.log');
  const pos = join(d, 'positions.json');
  writeFileSync(app, lines(1, 300));
  const start = () => {
    const child = spawn(process.execPath, [CLI, 'watch', '--ndjson', '--interval', '40', '--status-interval', '0', '--positions', pos, app],
      { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
    const io = { out: '', err: '' };
    child.stdout.on('data', (c) => { io.out += c; });
    child.stderr.on('data', (c) => { io.err += c; });
    return { child, io, seqs: () => io.out.match(/seq=\d{6}/g) ?? [] };
  };
  const waitFor = async (what, f) => {
    const t0 = Date.now();
    while (!f()) {
      if (Date.now() - t0 > 20000) assert.fail(`timed out waiting for ${what}`);
      await sleep(20);
    }
  };
  const a = start();
  await waitFor('300 lines', () => a.seqs().length >= 300);
  const size = statSync(app).size;
  await waitFor('positions saved', () => { try { return Object.values(JSON.parse(readFileSync(pos, 'utf8')))[0].offset === size; } catch { return false; } });
  a.child.kill('SIGKILL');
  await new Promise((r) => a.child.on('exit', r));
  // While it is down: more lines, rename rotation, a new file with lines of its own.
  appendFileSync(app, lines(301, 350));
  renameSync(app, join(d, rotated));
  writeFileSync(app, lines(351, 380));
  const b = start();
  await waitFor('80 lines', () => b.seqs().length >= 80);
  await sleep(300);
  b.child.kill('SIGTERM');
  assert.equal(await new Promise((r) => b.child.on('exit', r)), 0, b.io.err);
  const want = [];
  for (let i = 301; i <= 380; i++) want.push(`seq=${String(i).padStart(6, '0')}`);
  assert.deepEqual(b.seqs(), want, 'the renamed file finished first, then the new one; nothing twice');
  assert.ok(b.io.err.includes(`app.log was rotated while stopped; finishing ${join(d, rotated)} from byte`), b.io.err);
});

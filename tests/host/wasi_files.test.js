// lad.json, baseline and state files read (and the state file written) through WASI preopens, as
// Fluent Bit's accessible_paths provides them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, openSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LadModule } from '../../dist/module/module.js';

const WASM = process.env.LAD_WASM ?? 'build/lad.wasm';
const T0 = 1773302400; // 2026-03-12T08:00:00Z

/** A fresh temp directory, removed when the test ends. */
function tmp(t, prefix) {
  const d = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('lad.json from the first accessible path that holds one configures the module', async (t) => {
  const empty = tmp(t, 'lad-empty-');
  const dir = tmp(t, 'lad-cfg-');
  writeFileSync(join(dir, 'lad.json'), JSON.stringify({ output: { key: 'lad' }, patterns: { error_patterns: ['kaboom'] } }));
  const h = await LadModule.create(WASM, { preopens: { '/first': empty, '/second': dir } });
  const out = JSON.parse(h.filter('t', T0, 0, '{"log":"a kaboom happened"}'));
  assert.equal(out.lad.level, 'error');
  assert.equal(out.anomaly, undefined);
});

test('a bad lad.json: one stderr line naming the key, records pass through unchanged', async (t) => {
  const dir = tmp(t, 'lad-bad-');
  writeFileSync(join(dir, 'lad.json'), JSON.stringify({ detection: { treshold: 3 } }));
  const errPath = join(dir, 'stderr.txt');
  const fd = openSync(errPath, 'w');
  const h = await LadModule.create(WASM, { preopens: { '/cfg': dir }, stderr: fd });
  const rec = '{"log":"hello","n":1}';
  for (let i = 0; i < 3; i++) assert.equal(h.filter('t', T0 + i, 0, rec), rec);
  closeSync(fd);
  const err = readFileSync(errPath, 'utf8').trim().split('\n');
  assert.equal(err.length, 1);
  assert.match(err[0], /detection\.treshold/);
});

test('the template state file is written beside lad.json by event time and loaded by a new instance', async (t) => {
  const empty = tmp(t, 'lad-empty-');
  const dir = tmp(t, 'lad-state-');
  writeFileSync(join(dir, 'lad.json'), JSON.stringify({ state: { file: 'lad-state.json', interval_seconds: 60 } }));
  const h = await LadModule.create(WASM, { preopens: { '/empty': empty, '/state': dir } });
  const lines = ['user alice logged in from 10.0.0.1', 'disk /dev/sda1 is 91% full', 'job 42 finished in 12ms'];
  for (let i = 0; i < 300; i++) h.filter('t', T0 + i, 0, JSON.stringify({ log: lines[i % 3].replace(/\d+/, String(i)) }));
  assert.ok(existsSync(join(dir, 'lad-state.json')), 'state file not written after 300 s of event time');
  const snap = JSON.parse(readFileSync(join(dir, 'lad-state.json'), 'utf8'));
  assert.equal(snap.format, 'lad-templates');
  assert.ok(snap.templates.length >= 3);

  const h2 = await LadModule.create(WASM, { preopens: { '/empty': empty, '/state': dir } });
  const first = JSON.parse(h2.filter('t', T0 + 400, 0, '{"log":"disk /dev/sdb2 is 17% full"}'));
  const known = snap.templates.map((t) => t.id);
  assert.ok(known.includes(first.anomaly.template_id), 'restarted instance did not reuse the learned template');
});

/** WASI: oflags.CREAT, and errno NOSPC. */
const O_CREAT = 1;
const E_NOSPC = 51;

test('a state write that fails half-way (disk full) leaves the previous state file whole', async (t) => {
  const empty = tmp(t, 'lad-empty-');
  const dir = tmp(t, 'lad-state-');
  writeFileSync(join(dir, 'lad.json'), JSON.stringify({ state: { file: 'lad-state.json', interval_seconds: 60 } }));
  const before = JSON.stringify({ format: 'lad-templates', version: 1, templates: [{ template: 'cache warmed in <*> ms' }] });
  writeFileSync(join(dir, 'lad-state.json'), before);
  const errPath = join(dir, 'stderr.txt');
  const fd = openSync(errPath, 'w');
  let failed = 0;
  const h = await LadModule.create(WASM, {
    preopens: { '/empty': empty, '/state': dir }, stderr: fd,
    wrapWasi: (w) => {
      const created = new Set();
      const memory = () => new DataView(h.exports.memory.buffer);
      const pathOpen = w.path_open;
      w.path_open = (dirfd, lookup, p, plen, oflags, rb, ri, fdflags, fdOut) => {
        const e = pathOpen(dirfd, lookup, p, plen, oflags, rb, ri, fdflags, fdOut);
        if (e === 0 && (oflags & O_CREAT)) created.add(memory().getUint32(fdOut, true));
        return e;
      };
      const fdWrite = w.fd_write;
      // The first write to a file the module created succeeds (the start of the file is on disk),
      // every later one fails as on a full disk.
      const wrote = new Set();
      w.fd_write = (f, iovs, n, nw) => {
        if (created.has(f)) {
          if (wrote.has(f)) { failed++; return E_NOSPC; }
          wrote.add(f);
          const v = memory();
          const len = v.getUint32(iovs + 4, true);
          v.setUint32(iovs + 4, Math.min(len, 10), true); // a short first write: the rest must follow
        }
        return fdWrite(f, iovs, n, nw);
      };
      w.fd_close = ((close) => (f) => { created.delete(f); wrote.delete(f); return close(f); })(w.fd_close);
      return w;
    },
  });
  for (let i = 0; i < 200; i++) h.filter('t', T0 + i, 0, JSON.stringify({ log: `job ${i} finished in ${i % 7}ms` }));
  closeSync(fd);
  assert.ok(failed > 0, 'the module never tried to write its state');
  assert.equal(readFileSync(join(dir, 'lad-state.json'), 'utf8'), before, 'the previous state file was damaged');
  assert.ok(!existsSync(join(dir, 'lad-state.json.tmp')), 'a partial temporary file was left');
  assert.match(readFileSync(errPath, 'utf8'), /state lad-state\.json: write failed \(the previous file is kept\)/);
});

test('the state interval runs on event time (the records\' own times), not on the times Fluent Bit passes', async (t) => {
  const dir = tmp(t, 'lad-state-');
  writeFileSync(join(dir, 'lad.json'), JSON.stringify({ state: { file: 'lad-state.json', interval_seconds: 60 } }));
  // A backlog read at once: Fluent Bit stamps every record with the same second, their own times span 5 minutes.
  const h = await LadModule.create(WASM, { preopens: { '/state': dir } });
  for (let i = 0; i < 300; i++) {
    const time = new Date((T0 + i) * 1000).toISOString();
    h.filter('t', T0 + 86400, 0, JSON.stringify({ time, log: `job ${i} finished in ${i % 7}ms` }));
  }
  assert.ok(existsSync(join(dir, 'lad-state.json')), 'no state file after 5 minutes of event time');
  assert.equal(JSON.parse(readFileSync(join(dir, 'lad-state.json'), 'utf8')).format, 'lad-templates');
  assert.ok(!existsSync(join(dir, 'lad-state.json.tmp')));
  // The opposite: Fluent Bit's clock runs 5 minutes, the records' own times stand still: no write.
  const dir2 = tmp(t, 'lad-state-');
  writeFileSync(join(dir2, 'lad.json'), JSON.stringify({ state: { file: 'lad-state.json', interval_seconds: 60 } }));
  const h2 = await LadModule.create(WASM, { preopens: { '/state': dir2 } });
  const time = new Date(T0 * 1000).toISOString();
  for (let i = 0; i < 300; i++) h2.filter('t', T0 + i, 0, JSON.stringify({ time, log: `job ${i} finished in ${i % 7}ms` }));
  assert.ok(!existsSync(join(dir2, 'lad-state.json')), 'state written on Fluent Bit\'s clock');
});

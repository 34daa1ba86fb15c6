// lad.json, baseline and state files read (and the state file written) through WASI preopens, as
// Fluent Bit's accessible_paths provides them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, openSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FluentBitHost } from './fb_host.js';

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
  const h = await FluentBitHost.create({ wasmPath: WASM, preopens: { '/first': empty, '/second': dir } });
  const out = JSON.parse(h.filter('t', T0, 0, '{"log":"a kaboom happened"}'));
  assert.equal(out.lad.level, 'error');
  assert.equal(out.anomaly, undefined);
});

test('a bad lad.json: one stderr line naming the key, records pass through unchanged', async (t) => {
  const dir = tmp(t, 'lad-bad-');
  writeFileSync(join(dir, 'lad.json'), JSON.stringify({ detection: { treshold: 3 } }));
  const errPath = join(dir, 'stderr.txt');
  const fd = openSync(errPath, 'w');
  const h = await FluentBitHost.create({ wasmPath: WASM, preopens: { '/cfg': dir }, stderr: fd });
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
  const h = await FluentBitHost.create({ wasmPath: WASM, preopens: { '/empty': empty, '/state': dir } });
  const lines = ['user alice logged in from 10.0.0.1', 'disk /dev/sda1 is 91% full', 'job 42 finished in 12ms'];
  for (let i = 0; i < 300; i++) h.filter('t', T0 + i, 0, JSON.stringify({ log: lines[i % 3].replace(/\d+/, String(i)) }));
  assert.ok(existsSync(join(dir, 'lad-state.json')), 'state file not written after 300 s of event time');
  const snap = JSON.parse(readFileSync(join(dir, 'lad-state.json'), 'utf8'));
  assert.equal(snap.format, 'lad-templates');
  assert.ok(snap.templates.length >= 3);

  const h2 = await FluentBitHost.create({ wasmPath: WASM, preopens: { '/empty': empty, '/state': dir } });
  const first = JSON.parse(h2.filter('t', T0 + 400, 0, '{"log":"disk /dev/sdb2 is 17% full"}'));
  const known = snap.templates.map((t) => t.id);
  assert.ok(known.includes(first.anomaly.template_id), 'restarted instance did not reuse the learned template');
});

// lad serve keeps the state file the filter has (issue 12, item 11): state.file from the config
// (beside it) or --state; learned templates restored at start, saved every state.interval_seconds
// and at a clean stop, so a restart does not re-learn (and re-report as new) what it knew.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServe, get, haveWasm, wasmPath, tmp } from './helpers.js';

const skip = !haveWasm() && `${wasmPath()} missing: run npm run build:wasm`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function records() {
  const r = [];
  for (let i = 0; i < 120; i++) r.push({ message: `INFO request ${i} handled in ${i % 97} ms`, timestamp: new Date(Date.UTC(2026, 2, 12, 9, 0, i)).toISOString() });
  for (let i = 0; i < 5; i++) r.push({ message: `ERROR payment gateway refused card ${i} with code 51`, timestamp: new Date(Date.UTC(2026, 2, 12, 9, 2, i)).toISOString() });
  return r;
}

async function ingest(s) {
  const res = await get(s.httpPort, '/ingest', { method: 'POST', body: JSON.stringify(records()) });
  assert.equal(res.status, 200, res.text);
  return JSON.parse(res.text);
}

test('lad serve: the state file is saved periodically and at stop, and restored on restart', { skip, timeout: 120000 }, async (t) => {
  const dir = tmp();
  const cfg = join(dir, 'lad.json');
  writeFileSync(cfg, JSON.stringify({ templates: { warmup_records: 50, warmup_seconds: 1 }, state: { file: 'lad-state.json', interval_seconds: 1 } }));
  const stateFile = join(dir, 'lad-state.json');
  const args = ['--listen', 'none', '--http', '127.0.0.1:0', '--forward', '-', '-c', cfg, '--no-alerts'];

  const s1 = await startServe(args);
  let firsts1;
  try {
    await ingest(s1);
    // Saved on its interval while running (waits for the file, not for a fixed time).
    const t0 = Date.now();
    while (!existsSync(stateFile)) {
      if (Date.now() - t0 > 60000) assert.fail(`no state file while running: ${s1.stderr()}`);
      await sleep(50);
    }
    assert.equal(JSON.parse(readFileSync(stateFile, 'utf8')).format, 'lad-templates');
  } finally {
    const e = await s1.stop();
    assert.equal(e.code, 0, s1.stderr());
  }
  firsts1 = (s1.stdout().match(/"type":"new_pattern"/g) ?? []).length;
  assert.equal(firsts1, 1, 'the new error pattern is a first sighting in the first run');
  const saved = JSON.parse(readFileSync(stateFile, 'utf8'));
  assert.ok(saved.templates.some((x) => /payment gateway refused/.test(x.template)), 'saved at stop with what was learnt');

  const s2 = await startServe(args);
  try {
    assert.match(s2.stderr(), /state: restored 2 templates from .*lad-state\.json/);
    await ingest(s2);
  } finally {
    const e = await s2.stop();
    assert.equal(e.code, 0, s2.stderr());
  }
  assert.equal((s2.stdout().match(/"type":"new_pattern"/g) ?? []).length, 0, 'a restarted lad serve re-learnt a template it knew');
});

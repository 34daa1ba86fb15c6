// lad watch keeps the module's event-time clock going on the wall clock (a heartbeat a second, as
// Fluent Bit's dummy input does): a followed file that stopped being written to is reported
// silent while nothing at all is logged (issue 15).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, tmp } from './helpers.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('watch: a live file quiet for 3 minutes is reported silent though nothing else logs', async (t) => {
  const d = tmp(t);
  const log = join(d, 'svc.log');
  // a line a second for 40 minutes, the last one 3 minutes ago
  const end = Date.now() - 3 * 60000;
  let s = '';
  for (let i = 40 * 60; i > 0; i--) s += JSON.stringify({ time: new Date(end - i * 1000).toISOString(), level: 'info', msg: `job ${i % 7} done` }) + '\n';
  writeFileSync(log, s);
  const child = spawn(process.execPath, [CLI, 'watch', '--interval', '100', '--status-interval', '0', log],
    { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  let out = '', err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (c) => { out += c; });
  child.stderr.on('data', (c) => { err += c; });
  const t0 = Date.now();
  while (!/\] silence/.test(out)) {
    if (Date.now() - t0 > 30000) assert.fail(`no silence reported within 30 s; stdout: ${out.slice(-2000)}; stderr: ${err}`);
    if (child.exitCode !== null) assert.fail(`lad watch exited ${child.exitCode}: ${err}`);
    await sleep(50);
  }
  assert.match(out, /Stream silent: no records for \d+ s/);
  child.kill('SIGINT');
  await new Promise((r) => child.once('exit', r));
});

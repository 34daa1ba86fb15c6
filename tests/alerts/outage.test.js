// Issue 14: alerts across an outage are delivered once. Ids derive from the alert (the same alert
// found by a second run has the same id); the spool holds an id once and remembers recently
// delivered ids; `lad analyze` ending with undelivered alerts says so and exits 4; `lad alerts
// flush` delivers the spool on demand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAlerter, alertId } from '../../dist/alerts/index.js';
import { startReceiver, tmpDir, event, withTimeout } from './helpers.js';
import { CLI, SYSLOG } from '../cli/helpers.js';

const fast = { initial_ms: 5, max_ms: 50 };

test('alertId: the same alert always has the same id; a different window, severity or stream does not', () => {
  const e = event(1);
  assert.equal(alertId(e), alertId({ ...e }));
  assert.equal(alertId({ ...e, description: 'reworded', value: 0.5 }), alertId(e), 'measurements do not change which alert it is');
  assert.match(alertId(e), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  for (const over of [{ severity: 'warning' }, { stream: 'other' }, { timestamp: event(2).timestamp }, { window_start: '2024-01-01T00:05:00.000Z' }]) {
    assert.notEqual(alertId({ ...e, ...over }), alertId(e), JSON.stringify(over));
  }
});

test('outage, then the same alerts found again by a second run: each is delivered exactly once', async () => {
  // The outage is decided by which run sent a request, not by when the receiver reads it: run 1's
  // last request, aborted at its close deadline, can still be read after close() resolved, and
  // answering it 'ok' would be a duplicate that at-least-once delivery allows (so would a retry
  // after a client-side timeout, hence the long timeout_ms; run 1 is bounded by its deadline).
  // The spool is keyed by sink type and URL, so the header does not change which spool is used.
  const srv = await startReceiver((n, req) => (req.headers['x-lad-test-run'] === 'outage' ? 503 : 'ok'));
  const spoolDir = tmpDir();
  const cfgOf = (run) => ({ enabled: true, min_severity: 'warning', dedupe_seconds: 0, retry: fast,
    sinks: [{ type: 'webhook', url: `http://127.0.0.1:${srv.port}/hook`, headers: { 'x-lad-test-run': run }, timeout_ms: 60000 }] });
  const logs = [];
  const a1 = createAlerter(cfgOf('outage'), { spoolDir, log: (l) => logs.push(l) });
  for (let i = 0; i < 5; i++) a1.send(event(i));
  await a1.close(300);
  assert.equal(a1.stats().queued, 5);
  // Run 2 finds the same five (and one new) while replaying the spool of run 1.
  const cfg = cfgOf('recovered');
  const a2 = createAlerter(cfg, { spoolDir, log: (l) => logs.push(l) });
  for (let i = 0; i < 6; i++) a2.send(event(i));
  await withTimeout(a2.idle(), 10000, 'delivery');
  // Some sends may come after run 1's copies were delivered: still not sent again.
  for (let i = 0; i < 6; i++) a2.send(event(i));
  await withTimeout(a2.idle(), 10000, 'delivery');
  await a2.close();
  // Run 3, same alerts again: recently delivered ids are remembered on disk.
  const a3 = createAlerter(cfg, { spoolDir, log: (l) => logs.push(l) });
  for (let i = 0; i < 6; i++) a3.send(event(i));
  await withTimeout(a3.idle(), 10000, 'delivery');
  await a3.close();
  await srv.close();
  const ok = srv.arrivals.filter((a) => a.action === 'ok');
  assert.deepEqual(ok.map((a) => a.body.stream), ['s0', 's1', 's2', 's3', 's4', 's5'], 'each alert once, in order');
  assert.ok(ok.every((a) => a.headers['x-lad-alert-id'] === a.body.id));
  assert.equal(a3.stats().duplicates, 6);
});

function run(args, env = {}) {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '', stderr = '';
    const kill = setTimeout(() => c.kill('SIGKILL'), 60000);
    c.stdout.on('data', (d) => { stdout += d; });
    c.stderr.on('data', (d) => { stderr += d; });
    c.on('exit', (code) => { clearTimeout(kill); resolve({ code, stdout, stderr }); });
  });
}

test('lad analyze during an outage exits 4 with a clear line; lad alerts flush delivers; a re-run sends nothing twice', { timeout: 120000 }, async () => {
  // As above: the outage is decided by the run's header, not by when a request is read (the flush
  // that times out during the outage may leave one request to be read after it exited).
  const srv = await startReceiver((n, req) => (req.headers['x-lad-test-run'] === 'outage' ? 503 : 'ok'));
  const d = tmpDir();
  const cfg = join(d, 'alerts.yaml');
  const writeCfg = (run) => writeFileSync(cfg, `alerting:\n  enabled: true\n  sinks:\n    - { type: webhook, url: "http://127.0.0.1:${srv.port}/hook", headers: { x-lad-test-run: ${run} }, timeout_ms: 60000 }\n  min_severity: critical\n  retry: { initial_ms: 20, max_ms: 200 }\n  spool_dir: ${JSON.stringify(join(d, 'spool'))}\n`);
  writeCfg('outage');
  try {
    const r1 = await run(['analyze', SYSLOG, '--config', cfg, '--quiet', '--fail-on', 'never', '--json']);
    assert.equal(r1.code, 4, r1.stderr);
    const m = /lad: (\d+) alerts? not delivered \(receiver unreachable\); kept in the alert spool: run 'lad alerts flush'/.exec(r1.stderr);
    assert.ok(m, r1.stderr);
    const pending = Number(m[1]);
    assert.ok(pending >= 1);
    // The --json summary says the same as the exit code and the stderr line.
    const summary = JSON.parse(r1.stdout);
    assert.equal(summary.exit_code, 4);
    assert.equal(summary.alerts_undelivered, pending);

    // Still down: flush says so and exits 4.
    const f1 = await run(['alerts', 'flush', '--config', cfg, '--timeout', '1']);
    assert.equal(f1.code, 4, f1.stderr);
    assert.match(f1.stderr, new RegExp(`0 delivered, ${pending} still queued`));

    writeCfg('recovered');
    const f2 = await run(['alerts', 'flush', '--config', cfg, '--timeout', '20']);
    assert.equal(f2.code, 0, f2.stderr);
    assert.match(f2.stderr, new RegExp(`${pending} delivered, 0 still queued`));
    assert.equal(srv.uniqueIds((a) => a.action === 'ok').length, pending);

    const r2 = await run(['analyze', SYSLOG, '--config', cfg, '--quiet', '--fail-on', 'never']);
    assert.equal(r2.code, 0, r2.stderr);
    const ok = srv.arrivals.filter((a) => a.action === 'ok');
    assert.equal(ok.length, pending, 'the re-run found the same alerts and sent none of them again');

    const bad = await run(['alerts', 'flush', '--config', cfg, '--timeout', 'soon']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /invalid --timeout 'soon'/);
  } finally {
    await srv.close();
  }
});

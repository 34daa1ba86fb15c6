// Delivery against a real local HTTP server: failures, timeouts, recovery, restart, crash, bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createAlerter } from '../../dist/alerts/index.js';
import { startReceiver, tmpDir, event, withTimeout, listFiles } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const distAlerts = pathToFileURL(path.join(here, '../../dist/alerts/index.js')).href;

const fast = { initial_ms: 10, max_ms: 80 };

test('500s, then timeouts, then recovery: every alert arrives exactly once, in order', async () => {
  // Requests 1-3 fail with 500, 4-5 never get an answer, the rest succeed.
  const srv = await startReceiver((n) => (n <= 3 ? 'fail' : n <= 5 ? 'hang' : 'ok'));
  const spoolDir = tmpDir();
  const logs = [];
  const url = `http://alice:s3cretPass@127.0.0.1:${srv.port}/hook?token=SECRETTOKEN123`;
  const alerter = createAlerter(
    { enabled: true, min_severity: 'info', dedupe_seconds: 0, retry: fast,
      sinks: [{ type: 'webhook', url, timeout_ms: 150, headers: { authorization: 'Bearer hdrSecret999' } }] },
    { spoolDir, log: (l) => logs.push(l) });
  const sent = [];
  for (let i = 0; i < 20; i++) alerter.send(event(i));
  await withTimeout(alerter.idle(), 10000, 'delivery');
  await alerter.close();
  await srv.close();

  const ids = srv.uniqueIds();
  assert.equal(ids.length, 20, 'every alert arrived');
  // The payload carries the same id as the header, and order matches send order.
  const firstBodies = ids.map((id) => srv.arrivals.find((a) => a.headers['x-lad-alert-id'] === id).body);
  assert.deepEqual(firstBodies.map((b) => b.stream), Array.from({ length: 20 }, (_, i) => `s${i}`));
  for (const a of srv.arrivals) assert.equal(a.body.id, a.headers['x-lad-alert-id']);
  assert.equal(srv.arrivals.filter((a) => a.action === 'ok').length, 20, 'exactly one successful delivery each');
  assert.equal(srv.arrivals[0].headers.authorization, 'Bearer hdrSecret999');

  const all = logs.join('\n');
  assert.match(all, /delivery failed \(attempt 1\): HTTP 500/);
  assert.match(all, /timed out after 150 ms/);
  assert.match(all, /delivered again after 5 failed attempts/);
  assert.equal(logs.filter((l) => /delivery failed/.test(l)).length, 5, 'one line per failure');
  assert.ok(all.includes(`webhook http://***@127.0.0.1:${srv.port}/hook?***`), all);
  for (const secret of ['alice', 's3cretPass', 'SECRETTOKEN123', 'hdrSecret999']) {
    assert.ok(!all.includes(secret), `log leaks ${secret}`);
  }
  // Everything delivered: the spool holds no segment any more.
  assert.deepEqual(listFiles(spoolDir).filter((f) => f.includes('seg-')), []);
});

test('close while the receiver is down keeps alerts on disk; a new alerter delivers them first', async () => {
  const srv = await startReceiver(() => 503);
  const spoolDir = tmpDir();
  const logs = [];
  const cfg = { enabled: true, min_severity: 'warning', dedupe_seconds: 0, retry: fast,
    sinks: [{ type: 'webhook', url: `http://127.0.0.1:${srv.port}/hook`, timeout_ms: 200 }] };
  const a1 = createAlerter(cfg, { spoolDir, log: (l) => logs.push(l) });
  for (let i = 0; i < 5; i++) a1.send(event(i));
  const t0 = Date.now();
  await a1.close(300);
  assert.ok(Date.now() - t0 < 1500, 'close honours its deadline');
  assert.equal(srv.uniqueIds().length > 0, true, 'it did try');
  assert.match(logs.join('\n'), /5 undelivered alerts kept in .*next run sends them first/);
  const segs = listFiles(spoolDir).filter((f) => f.includes('seg-'));
  assert.equal(segs.length, 1);
  const lines = fs.readFileSync(path.join(spoolDir, segs[0]), 'utf8').trim().split('\n');
  assert.equal(lines.length, 5);
  assert.ok(!listFiles(spoolDir).some((f) => f.endsWith('lock')), 'lock released');

  // "Restart": the receiver is back; a new alerter replays the spool before new alerts.
  srv.setPlan(() => 'ok');
  const before = srv.arrivals.length;
  const a2 = createAlerter(cfg, { spoolDir, log: (l) => logs.push(l) });
  a2.send(event(100));
  a2.send(event(101));
  await withTimeout(a2.idle(), 5000, 'replay');
  await a2.close();
  await srv.close();
  // Delivery is at least once: a request of the closed alerter still in flight may land after the
  // receiver is back. It carries the same id (ids derive from the alert), so a receiver drops it.
  const seen = new Set();
  const delivered = [];
  for (const a of srv.arrivals.slice(before).filter((x) => x.action === 'ok')) {
    if (seen.has(a.body.id)) continue;
    seen.add(a.body.id);
    delivered.push(a.body.stream);
  }
  assert.deepEqual(delivered, ['s0', 's1', 's2', 's3', 's4', 's100', 's101']);
  assert.match(logs.join('\n'), /5 undelivered alerts from a previous run will be sent first/);
  assert.deepEqual(listFiles(spoolDir).filter((f) => f.includes('seg-') || f.includes('cursor')), []);
});

test('a crash (SIGKILL) after send loses nothing: the next alerter delivers from the spool', async () => {
  // The receiver holds the child's requests unanswered, so nothing is acknowledged before the crash.
  const srv = await startReceiver(() => 'hang');
  const spoolDir = tmpDir();
  const url = `http://127.0.0.1:${srv.port}/hook`;
  const child = `
    const { createAlerter } = await import(${JSON.stringify(distAlerts)});
    const a = createAlerter({ enabled: true, min_severity: 'info', dedupe_seconds: 0,
      sinks: [{ type: 'webhook', url: ${JSON.stringify(url)}, timeout_ms: 60000 }] },
      { spoolDir: ${JSON.stringify(spoolDir)}, log: () => {} });
    for (let i = 0; i < 3; i++) a.send({ type: 'rate_spike', severity: 'warning', stream: 'c' + i,
      timestamp: '2024-01-01T00:00:0' + i + 'Z', description: 'x' });
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 200);
  `;
  const r = await new Promise((resolve) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', child], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (c) => { err += c; });
    p.on('exit', (code, signal) => resolve({ code, signal, err }));
  });
  assert.equal(r.signal, 'SIGKILL', r.err);
  // The dead process left its lock and its fsync'd segment behind.
  const files = listFiles(spoolDir);
  assert.equal(files.filter((f) => f.endsWith('lock')).length, 1, files.join());
  const segLines = files.filter((f) => f.includes('seg-'))
    .flatMap((f) => fs.readFileSync(path.join(spoolDir, f), 'utf8').trim().split('\n'));
  assert.equal(segLines.length, 3, 'all three on disk before the crash');

  srv.setPlan(() => 'ok');
  const logs = [];
  const a = createAlerter({ enabled: true, min_severity: 'info', dedupe_seconds: 0, retry: fast,
    sinks: [{ type: 'webhook', url }] }, { spoolDir, log: (l) => logs.push(l) });
  await withTimeout(a.idle(), 5000, 'replay after crash');
  await a.close();
  await srv.close();
  assert.deepEqual(srv.arrivals.filter((x) => x.action === 'ok').map((x) => x.body.stream), ['c0', 'c1', 'c2']);
  assert.deepEqual(srv.uniqueIds().length, 3, 'the hung first attempt and its redelivery share an id');
  assert.match(logs.join('\n'), /3 undelivered alerts from a previous run/);
});

test('process.exit() right after send() without close(): the alert is still on disk', async () => {
  const spoolDir = tmpDir();
  const child = `
    const { createAlerter } = await import(${JSON.stringify(distAlerts)});
    const a = createAlerter({ enabled: true, min_severity: 'info', sinks: [{ type: 'webhook', url: 'http://127.0.0.1:1/x' }] },
      { spoolDir: ${JSON.stringify(spoolDir)}, log: () => {} });
    a.send({ type: 'rate_spike', severity: 'warning', stream: 'e', timestamp: '2024-01-01T00:00:00Z', description: 'x' });
    process.exit(0);
  `;
  const code = await new Promise((resolve) => spawn(process.execPath, ['--input-type=module', '-e', child], { stdio: 'ignore' }).on('exit', resolve));
  assert.equal(code, 0);
  const lines = listFiles(spoolDir).filter((f) => f.includes('seg-'))
    .flatMap((f) => fs.readFileSync(path.join(spoolDir, f), 'utf8').trim().split('\n').filter(Boolean));
  assert.equal(lines.length, 1);
  assert.equal(JSON.parse(lines[0]).body.stream, 'e');
});

test('unreachable URL: a clear, redacted log line per failure', async () => {
  const spoolDir = tmpDir();
  const logs = [];
  const url = 'http://bob:hunter2pw@127.0.0.1:1/services/T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx?api_key=k3yk3yk3y';
  const a = createAlerter({ enabled: true, min_severity: 'info', retry: fast, sinks: [{ type: 'slack', url }] },
    { spoolDir, log: (l) => logs.push(l) });
  a.send(event(1));
  await new Promise((r) => setTimeout(r, 300));
  await a.close(100);
  const all = logs.join('\n');
  assert.match(all, /slack http:\/\/\*\*\*@127\.0\.0\.1:1\/services\/\*\*\*\/\*\*\*\/\*\*\*\?\*\*\*: delivery failed \(attempt 1\): connection refused \(ECONNREFUSED\); retrying in/);
  for (const s of ['bob', 'hunter2pw', 'T0123ABCD', 'B0456EFGH', 'abcdefghijklmnopqrstuvwx', 'k3yk3yk3y']) {
    assert.ok(!all.includes(s), `log leaks ${s}: ${all}`);
  }
  // The spool directory name and its sink.json hold no secret either.
  const files = listFiles(spoolDir);
  for (const f of files) {
    const text = f + fs.readFileSync(path.join(spoolDir, f), 'utf8');
    for (const s of ['hunter2pw', 'abcdefghijklmnopqrstuvwx', 'k3yk3yk3y']) assert.ok(!text.includes(s), `${f} leaks ${s}`);
  }
});

test('spool is bounded: oldest dropped with a clear line, newest still delivered in order', async () => {
  const srv = await startReceiver(() => 'fail');
  const spoolDir = tmpDir();
  const logs = [];
  const cfg = { enabled: true, min_severity: 'info', dedupe_seconds: 0, spool_max_bytes: 8192,
    retry: { initial_ms: 50, max_ms: 50 },
    sinks: [{ type: 'webhook', url: `http://127.0.0.1:${srv.port}/h` }] };
  const a = createAlerter(cfg, { spoolDir, log: (l) => logs.push(l) });
  // ~300 bytes each, sent in separate batches so segments rotate.
  for (let i = 0; i < 200; i++) {
    a.send(event(i));
    if (i % 10 === 9) await new Promise((r) => setImmediate(r));
  }
  await a.close(100);
  const all = logs.join('\n');
  assert.match(all, /over spool_max_bytes \(8192 bytes\): dropped the \d+ oldest undelivered alerts/);
  const bytes = listFiles(spoolDir).filter((f) => f.includes('seg-'))
    .reduce((t, f) => t + fs.statSync(path.join(spoolDir, f)).size, 0);
  assert.ok(bytes <= 8192 + 1024 + 4096, `spool uses ${bytes} bytes`);
  const st = a.stats();
  assert.ok(st.dropped > 0 && st.queued > 0 && st.dropped + st.queued === 200, JSON.stringify(st));

  srv.setPlan(() => 'ok');
  const before = srv.arrivals.length;
  const b = createAlerter(cfg, { spoolDir, log: (l) => logs.push(l) });
  await withTimeout(b.idle(), 5000, 'drain');
  await b.close();
  await srv.close();
  const got = srv.arrivals.slice(before).map((x) => Number(x.body.stream.slice(1)));
  assert.equal(got.length, st.queued);
  assert.deepEqual(got, [...got].sort((x, y) => x - y), 'in order');
  assert.equal(got[got.length - 1], 199, 'the newest survived');
});

test('permanent 4xx: dead-lettered after 5 attempts so the queue moves on', async () => {
  let first = true;
  const srv = await startReceiver((n, req) => {
    if (req.headers['x-lad-alert-id'] && first && n <= 5) return 404;
    first = false;
    return 'ok';
  });
  const spoolDir = tmpDir();
  const logs = [];
  const a = createAlerter({ enabled: true, min_severity: 'info', dedupe_seconds: 0, retry: fast,
    sinks: [{ type: 'webhook', url: `http://127.0.0.1:${srv.port}/h` }] }, { spoolDir, log: (l) => logs.push(l) });
  a.send(event(1));
  a.send(event(2));
  await withTimeout(a.idle(), 5000, 'dead letter');
  await a.close();
  await srv.close();
  assert.deepEqual(srv.arrivals.filter((x) => x.action === 'ok').map((x) => x.body.stream), ['s2']);
  const all = logs.join('\n');
  assert.match(all, /HTTP 404 Not Found: no_service \(this looks like a configuration problem\)/);
  assert.match(all, /failed \(attempt 5\).*giving up on it, kept in .*dead\.ndjson/);
  const dead = listFiles(spoolDir).find((f) => f.endsWith('dead.ndjson'));
  assert.ok(dead);
  assert.equal(JSON.parse(fs.readFileSync(path.join(spoolDir, dead), 'utf8')).body.stream, 's1');
});

// `lad serve` end to end, as a child process, between a client that speaks exactly what Vector's
// `socket` sink sends (newline-delimited JSON over TCP) and a listener that plays Vector's `socket`
// source. Runs against dist/ (npm run build:ts) and build/lad.wasm (or $LAD_WASM).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  ROOT, startServe, vectorSource, vectorSink, vectorEvent, freePort, get, checkDelivery, parsePrometheus, sample,
  haveWasm, wasmPath, tmp, serveEntry,
} from './helpers.js';

const skip = !haveWasm() && `${wasmPath()} missing: run npm run build:wasm`;

test('serve entry', { skip }, (t) => {
  t.diagnostic(`lad serve runs as: node ${serveEntry().map((p) => p.replace(ROOT + '/', '')).join(' ')}`);
});

test('100k records from 4 Vector-style connections: each arrives once, in order, tagged', { skip, timeout: 60000 }, async (t) => {
  const source = await vectorSource();
  const s = await startServe(['--listen', 'tcp://127.0.0.1:0', '--forward', `tcp://127.0.0.1:${source.port}`, '--http', '127.0.0.1:0']);
  try {
    const t0 = performance.now();
    const per = 25000;
    const sinks = [0, 1, 2, 3].map((c) => vectorSink(s.tcpPort, c, per));
    const results = await Promise.all(sinks.map((x) => x.done));
    assert.deepEqual(results.map((r) => r.written), [per, per, per, per]);
    await source.waitFor(4 * per);
    const secs = (performance.now() - t0) / 1000;
    t.diagnostic(`100000 records through lad serve in ${secs.toFixed(2)} s end to end (${Math.round(100000 / secs)} records/s, test client and listener included)`);
    assert.equal(source.bad, 0, 'every forwarded line is JSON');
    assert.deepEqual(checkDelivery(source.records, { 0: per, 1: per, 2: per, 3: per }), []);
    // Original fields are intact.
    const r = source.records.find((x) => x.conn === 2 && x.seq === 123);
    const { anomaly, ...orig } = r;
    assert.deepEqual(orig, vectorEvent(2, 123));
    assert.equal(typeof anomaly.level, 'string');
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(source.records.length, 4 * per, 'nothing delivered twice');
    const fams = parsePrometheus((await get(s.httpPort, '/metrics')).text);
    assert.equal(sample(fams, 'lad_records_received_total', { source: 'tcp' }), 4 * per);
    assert.equal(sample(fams, 'lad_records_forwarded_total'), 4 * per);
    assert.equal(sample(fams, 'lad_records_pending'), 0);
    const lat = sample(fams, 'lad_processing_latency_seconds_sum') / sample(fams, 'lad_processing_latency_seconds_count');
    t.diagnostic(`${sample(fams, 'lad_batch_records_count')} module calls; mean latency from arrival to queued for the downstream: ${(lat * 1000).toFixed(2)} ms`);
  } finally {
    const e = await s.stop();
    await source.close();
    assert.equal(e.code, 0, s.stderr());
  }
});

test('/metrics is Prometheus text format; /healthz; POST /ingest (JSON array, NDJSON, gzip) and its errors', { skip, timeout: 30000 }, async () => {
  const source = await vectorSource();
  const s = await startServe(['--listen', 'none', '--forward', `tcp://127.0.0.1:${source.port}`, '--http', '127.0.0.1:0', '--max-body', '1']);
  try {
    let r = await get(s.httpPort, '/healthz');
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.text).status, 'ok');

    const arr = [vectorEvent(0, 0), vectorEvent(0, 1), vectorEvent(0, 2)];
    r = await get(s.httpPort, '/ingest', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(arr) });
    assert.equal(r.status, 200, r.text);
    assert.equal(JSON.parse(r.text).accepted, 3);
    const nd = [3, 4, 5, 6].map((i) => JSON.stringify(vectorEvent(0, i))).join('\n') + '\n';
    r = await get(s.httpPort, '/ingest', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: nd });
    assert.equal(JSON.parse(r.text).accepted, 4);
    r = await get(s.httpPort, '/ingest', { method: 'POST', headers: { 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify([vectorEvent(0, 7)])) });
    assert.equal(JSON.parse(r.text).accepted, 1);
    await source.waitFor(8);
    assert.deepEqual(checkDelivery(source.records, { 0: 8 }), []);

    assert.equal((await get(s.httpPort, '/ingest', { method: 'POST', body: '[1, 2]' })).status, 400);
    assert.equal((await get(s.httpPort, '/ingest', { method: 'POST', body: '[{"a":' })).status, 400);
    assert.equal((await get(s.httpPort, '/ingest', { method: 'POST', body: 'x'.repeat(2 << 20) })).status, 413);
    assert.equal((await get(s.httpPort, '/ingest')).status, 405);
    assert.equal((await get(s.httpPort, '/nope')).status, 404);

    r = await get(s.httpPort, '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    const fams = parsePrometheus(r.text);
    assert.equal(sample(fams, 'lad_records_received_total', { source: 'http' }), 8);
    assert.equal(sample(fams, 'lad_http_ingest_requests_total', { code: '200' }), 3);
    assert.equal(sample(fams, 'lad_http_ingest_requests_total', { code: '413' }), 1);
    for (const name of ['lad_records_forwarded_total', 'lad_anomalies_total', 'lad_alerts_total', 'lad_alert_delivery_failures_total',
      'lad_templates_active', 'lad_streams_active', 'lad_processing_latency_seconds', 'lad_forward_connected']) {
      assert.ok(fams.has(name), `${name} exposed`);
    }
    assert.equal(fams.get('lad_processing_latency_seconds').type, 'histogram');
    assert.ok(sample(fams, 'lad_processing_latency_seconds_count') >= 3);
    assert.equal(sample(fams, 'lad_forward_connected'), 1);
  } finally {
    const e = await s.stop();
    await source.close();
    assert.equal(e.code, 0, s.stderr());
  }
});

test('SIGTERM mid-stream: stops accepting, drains, forwards everything written, exits 0', { skip, timeout: 60000 }, async () => {
  const source = await vectorSource();
  const s = await startServe(['--listen', 'tcp://127.0.0.1:0', '--forward', `tcp://127.0.0.1:${source.port}`]);
  try {
    const sinks = [0, 1].map((c) => vectorSink(s.tcpPort, c, 5_000_000));
    await source.waitFor(20000);
    s.proc.kill('SIGTERM');
    const [a, b] = await Promise.all(sinks.map((x) => x.done));
    const e = await s.exit;
    assert.equal(e.code, 0, s.stderr());
    assert.ok(a.serverEnded && b.serverEnded, 'lad serve asked its senders to finish');
    assert.ok(a.written < 5_000_000 && b.written < 5_000_000, 'stopped mid-stream');
    await source.waitFor(a.written + b.written, 10000);
    assert.deepEqual(checkDelivery(source.records, { 0: a.written, 1: b.written }), []);
    assert.equal(source.records.length, a.written + b.written);
    assert.match(s.stderr(), /SIGTERM: stopping/);
  } finally {
    await s.stop('SIGKILL');
    await source.close();
  }
});

test('downstream down, then up: records are held and all delivered once, in order', { skip, timeout: 60000 }, async () => {
  const port = await freePort();
  const s = await startServe(['--listen', 'tcp://127.0.0.1:0', '--forward', `tcp://127.0.0.1:${port}`, '--http', '127.0.0.1:0']);
  let source;
  try {
    const w = vectorSink(s.tcpPort, 0, 30000);
    await w.done;
    await new Promise((r) => setTimeout(r, 300));
    const h = JSON.parse((await get(s.httpPort, '/healthz')).text);
    assert.equal(h.forward.connected, false);
    assert.equal(h.forward.pending_records, 30000);
    source = await vectorSource(port);
    await source.waitFor(30000, 20000);
    // Then a second outage mid-stream: the source goes away and comes back.
    await source.close();
    const w2 = vectorSink(s.tcpPort, 1, 10000);
    await w2.done;
    await new Promise((r) => setTimeout(r, 200));
    const again = await vectorSource(port);
    await again.waitFor(10000, 20000);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(checkDelivery(source.records, { 0: 30000 }), []);
    assert.deepEqual(checkDelivery(again.records, { 1: 10000 }), []);
    assert.equal(source.records.length + again.records.length, 40000);
    const fams = parsePrometheus((await get(s.httpPort, '/metrics')).text);
    assert.ok(sample(fams, 'lad_forward_reconnects_total') >= 2);
    source = again;
  } finally {
    const e = await s.stop();
    await source?.close();
    assert.equal(e.code, 0, s.stderr());
  }
});

test('backpressure: a stalled downstream pauses inputs; memory stays bounded; nothing lost', { skip, timeout: 60000 }, async () => {
  const source = await vectorSource();
  source.pause();
  const s = await startServe(['--listen', 'tcp://127.0.0.1:0', '--forward', `tcp://127.0.0.1:${source.port}`, '--http', '127.0.0.1:0', '--max-buffer', '1']);
  try {
    const total = 200000; // ~40 MB of NDJSON
    const w = vectorSink(s.tcpPort, 0, total);
    await new Promise((r) => setTimeout(r, 1500));
    const fams = parsePrometheus((await get(s.httpPort, '/metrics')).text);
    const pending = sample(fams, 'lad_forward_pending_bytes');
    assert.ok(pending <= 4 << 20, `held bytes ${pending} stay near --max-buffer (1 MiB)`);
    assert.equal(sample(fams, 'lad_inputs_paused'), 1);
    assert.ok(w.written < total, `the sender is held back (${w.written} of ${total} written)`);
    const ingest = await get(s.httpPort, '/ingest', { method: 'POST', body: JSON.stringify([vectorEvent(9, 0)]) });
    assert.equal(ingest.status, 503, '/ingest refuses while over the bound');
    assert.ok(ingest.headers.get('retry-after'));
    source.resume();
    await w.done;
    await source.waitFor(total, 40000);
    assert.deepEqual(checkDelivery(source.records, { 0: total }), []);
  } finally {
    const e = await s.stop();
    await source.close();
    assert.equal(e.code, 0, s.stderr());
  }
});

test('SIGTERM while the downstream is down: records are spooled and sent first on the next start', { skip, timeout: 60000 }, async () => {
  const port = await freePort();
  const spoolDir = tmp();
  const args = ['--listen', 'tcp://127.0.0.1:0', '--forward', `tcp://127.0.0.1:${port}`, '--flush-timeout', '0.5'];
  const s1 = await startServe(args, { spoolDir });
  await vectorSink(s1.tcpPort, 0, 5000).done;
  const e1 = await s1.stop();
  assert.equal(e1.code, 0, s1.stderr());
  assert.match(s1.stderr(), /5000 records not delivered; kept in/);
  const source = await vectorSource(port);
  const s2 = await startServe(args, { spoolDir });
  try {
    await vectorSink(s2.tcpPort, 0, 1000, { startSeq: 5000 }).done;
    await source.waitFor(6000);
    assert.deepEqual(checkDelivery(source.records, { 0: 6000 }), [], 'spooled records first, then new ones, in order');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(readdirSync(join(spoolDir, 'serve')).filter((f) => f.endsWith('.ndjson')).length, 0, 'spool removed once delivered');
  } finally {
    const e2 = await s2.stop();
    await source.close();
    assert.equal(e2.code, 0, s2.stderr());
  }
});

test('alerts from alerting records go to the configured webhook (predictable test module)', { timeout: 60000 }, async (t) => {
  const dir = tmp();
  const wasm = join(dir, 'alerting-module.wasm');
  const asc = spawnSync(process.execPath, [join(ROOT, 'node_modules/assemblyscript/bin/asc.js'), join(ROOT, 'tests/serve/fixtures/alerting-module.ts'),
    '-O3', '--runtime', 'incremental', '--use', 'abort=', '-o', wasm], { encoding: 'utf8', timeout: 60000, cwd: dir }); // no asconfig.json there
  if (asc.status !== 0 || !existsSync(wasm)) { t.skip(`asc failed: ${asc.stderr}`); return; }
  const posts = [];
  const hook = http.createServer((req, res) => {
    let b = '';
    req.on('data', (d) => { b += d; });
    req.on('end', () => { posts.push({ url: req.url, body: JSON.parse(b), id: req.headers['x-lad-alert-id'] }); res.end('ok'); });
  });
  await new Promise((r) => hook.listen(0, '127.0.0.1', r));
  const config = join(dir, 'lad.json');
  writeFileSync(config, JSON.stringify({
    alerting: { enabled: true, min_severity: 'warning', webhook_url: `http://127.0.0.1:${hook.address().port}/hook`, dedupe_seconds: 0 },
  }));
  const source = await vectorSource();
  const s = await startServe(['--listen', 'tcp://127.0.0.1:0', '--forward', `tcp://127.0.0.1:${source.port}`, '--http', '127.0.0.1:0', '--config', config],
    { env: { LAD_WASM: wasm } });
  try {
    await vectorSink(s.tcpPort, 0, 5000).done;
    await source.waitFor(5000);
    const deadline = Date.now() + 10000;
    while (posts.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(posts.length, 5, 'one webhook POST per alert');
    assert.ok(posts.every((p) => p.url === '/hook' && p.id));
    assert.equal(source.records.filter((r) => r.anomaly.alert === true).length, 5, 'alerting records are forwarded too');
    const fams = parsePrometheus((await get(s.httpPort, '/metrics')).text);
    assert.equal(sample(fams, 'lad_alerts_total', { type: 'error_spike', severity: 'warning' }), 5);
    assert.equal(sample(fams, 'lad_anomalies_total', { type: 'error_spike', severity: 'warning' }), 5);
    assert.equal(sample(fams, 'lad_alert_deliveries_total'), 5);
    assert.equal(sample(fams, 'lad_alert_delivery_failures_total'), 0);
  } finally {
    const e = await s.stop();
    await source.close();
    hook.close();
    assert.equal(e.code, 0, s.stderr());
  }
});

test('bad usage exits 2 with one clear line', { skip }, async () => {
  const r = spawnSync(process.execPath, ['--no-warnings', ...serveEntry(), '--forward', 'udp://x:1'], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--forward/);
  const r2 = spawnSync(process.execPath, ['--no-warnings', ...serveEntry(), '--config', '/nonexistent/lad.json'], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /not found/);
  void readFileSync;
});

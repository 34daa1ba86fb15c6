// `lad serve` under faults (issue 14): idle connections cannot lock senders out, /ingest answers
// only for what reached the downstream (SIGKILL), TCP loses at most what the README says, records
// that are not valid JSON are wrapped, a 413 is readable. Child processes, loopback only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
  startServe, vectorSource, vectorSink, vectorEvent, get, checkDelivery, parsePrometheus, sample, haveWasm, wasmPath,
} from './helpers.js';

const skip = !haveWasm() && `${wasmPath()} missing: run npm run build:wasm`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Opens `n` connections that never send; resolves once all are connected (or failed). */
async function idleConnections(port, n) {
  const socks = [];
  const state = { ended: 0, reset: 0 };
  await Promise.all(Array.from({ length: n }, () => new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    socks.push(s);
    s.on('connect', resolve);
    s.on('data', () => {});
    s.on('end', () => { state.ended++; });
    s.on('error', () => { state.reset++; resolve(); });
  })));
  return { socks, state, close() { for (const s of socks) s.destroy(); } };
}

async function metrics(port) {
  return parsePrometheus((await get(port, '/metrics')).text);
}

async function until(what, f, ms = 15000) {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() - t0 > ms) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

test('300 idle connections do not lock a new sender out: the idlest is shed, counted and logged', { skip, timeout: 60000 }, async () => {
  const source = await vectorSource();
  const s = await startServe(['--listen', 'tcp://127.0.0.1:0', '--forward', `tcp://127.0.0.1:${source.port}`, '--http', '127.0.0.1:0']);
  let idle;
  try {
    idle = await idleConnections(s.tcpPort, 300);
    await until('256 connections held', async () => sample(await metrics(s.httpPort), 'lad_input_connections') === 256);
    await sleep(1200); // they are now idle for more than a second
    const w = vectorSink(s.tcpPort, 7, 500);
    const r = await w.done; // rejects on ECONNRESET
    assert.equal(r.written, 500);
    await source.waitFor(500, 15000);
    assert.deepEqual(checkDelivery(source.records, { 7: 500 }), []);
    const fams = await metrics(s.httpPort);
    assert.ok(sample(fams, 'lad_input_connections') <= 256);
    assert.ok(sample(fams, 'lad_input_connections_closed_total', { reason: 'shed_idlest' }) >= 1);
    assert.match(s.stderr(), /connection limit \(--max-connections 256\) reached: closed the idlest connection/);
  } finally {
    idle?.close();
    const e = await s.stop();
    await source.close();
    assert.equal(e.code, 0, s.stderr());
  }
});

test('--idle-timeout closes silent connections (orderly FIN), keeps what they sent, counts them', { skip, timeout: 30000 }, async () => {
  const source = await vectorSource();
  const s = await startServe(['--listen', 'tcp://127.0.0.1:0', '--forward', `tcp://127.0.0.1:${source.port}`, '--http', '127.0.0.1:0', '--idle-timeout', '0.5']);
  let idle;
  try {
    idle = await idleConnections(s.tcpPort, 5);
    // One of them sends a line without '\n', then falls silent: the line is kept when it is closed.
    idle.socks[0].write(JSON.stringify(vectorEvent(3, 0)));
    await until('idle connections closed', async () => sample(await metrics(s.httpPort), 'lad_input_connections') === 0);
    await until('senders saw FIN', () => idle.state.ended === 5);
    assert.equal(idle.state.reset, 0);
    await source.waitFor(1, 10000);
    assert.deepEqual(checkDelivery(source.records, { 3: 1 }), []);
    assert.equal(sample(await metrics(s.httpPort), 'lad_input_connections_closed_total', { reason: 'idle_timeout' }), 5);
    assert.match(s.stderr(), /nothing received for 0\.5 s \(--idle-timeout\)/);
  } finally {
    idle?.close();
    const e = await s.stop();
    await source.close();
    assert.equal(e.code, 0, s.stderr());
  }
});

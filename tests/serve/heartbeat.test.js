// lad serve keeps the module's event-time clock going on the wall clock (a heartbeat a second): a
// live source that stops sending is reported silent while nothing arrives (issue 15).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServe, get, haveWasm, wasmPath, parsePrometheus, sample } from './helpers.js';

const skip = !haveWasm() && `${wasmPath()} missing: run npm run build:wasm`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('lad serve: a live source quiet for 3 minutes is reported silent though nothing arrives', { skip, timeout: 120000 }, async () => {
  const end = Date.now() - 3 * 60000;
  const recs = [];
  for (let i = 40 * 60; i > 0; i--) recs.push({ message: `INFO job ${i % 7} done`, timestamp: new Date(end - i * 1000).toISOString() });
  const s = await startServe(['--listen', 'none', '--http', '127.0.0.1:0', '--forward', '-', '--no-alerts']);
  try {
    const res = await get(s.httpPort, '/ingest', { method: 'POST', body: JSON.stringify(recs) });
    assert.equal(res.status, 200, res.text);
    const t0 = Date.now();
    for (;;) {
      const m = parsePrometheus((await get(s.httpPort, '/metrics')).text);
      const n = (sample(m, 'lad_anomalies_total', { type: 'silence', severity: 'critical' }) ?? 0) + (sample(m, 'lad_anomalies_total', { type: 'silence', severity: 'warning' }) ?? 0);
      if (n >= 1) break;
      if (Date.now() - t0 > 30000) assert.fail(`no silence counted within 30 s: ${s.stderr()}`);
      await sleep(200);
    }
  } finally {
    const e = await s.stop();
    assert.equal(e.code, 0, s.stderr());
  }
  // the heartbeat is not a user record: nothing of it is forwarded
  assert.doesNotMatch(s.stdout(), /"heartbeat":true/);
});

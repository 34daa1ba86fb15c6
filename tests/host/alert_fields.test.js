// Alert records carry alert: true and alert_severity (a string, because Fluent Bit's rewrite_tag
// record accessor only matches strings); records without an alert carry neither.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FluentBitHost } from './fb_host.js';

const WASM = process.env.LAD_WASM ?? 'build/lad.wasm';

test('a new error-level pattern after warm-up raises an alert with alert_severity', async () => {
  const h = await FluentBitHost.create({
    wasmPath: WASM,
    config: { templates: { warmup_records: 5, warmup_seconds: 0 }, alerting: { min_severity: 'warning' } },
  });
  for (let i = 0; i < 20; i++) {
    const out = JSON.parse(h.filter('app', 1773302400 + i, 0, JSON.stringify({ log: `user ${i} logged in`, level: 'info' })));
    assert.equal(out.anomaly.alert, undefined);
    assert.equal(out.anomaly.alert_severity, undefined);
  }
  const info = JSON.parse(h.filter('app', 1773302430, 0, '{"log":"cache warmed up","level":"info"}'));
  assert.equal(info.anomaly.events[0].type, 'new_pattern');
  assert.equal(info.anomaly.events[0].severity, 'info');
  assert.equal(info.anomaly.alert, undefined, 'an info event is below min_severity');
  const err = JSON.parse(h.filter('app', 1773302431, 0, '{"log":"payment gateway refused the request","level":"error"}'));
  assert.equal(err.anomaly.events[0].type, 'new_pattern');
  assert.equal(err.anomaly.events[0].severity, 'warning');
  assert.equal(err.anomaly.alert, true);
  assert.equal(err.anomaly.alert_severity, 'warning');
});

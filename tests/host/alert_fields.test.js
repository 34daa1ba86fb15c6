// Alert records carry alert: true and alert_severity (a string, because Fluent Bit's rewrite_tag
// record accessor only matches strings); records without an alert carry neither.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LadModule } from '../../dist/module/module.js';

const WASM = process.env.LAD_WASM ?? 'build/lad.wasm';

test('a new error-level pattern is a warning event at once and an alert only when it keeps occurring', async () => {
  const h = await LadModule.create(WASM, {
    config: { templates: { warmup_records: 5, warmup_seconds: 0 }, detection: { warmup_windows: 0 }, alerting: { min_severity: 'warning' } },
  });
  const t0 = 1773302400; // a window boundary (60 s windows)
  // two windows of normal traffic: a stream's first (partial) window never counts as warm
  for (let i = 0; i < 20; i++) {
    const out = JSON.parse(h.filter('app', t0 + i * 4, 0, JSON.stringify({ log: `user ${i} logged in`, level: 'info' })));
    assert.equal(out.anomaly.alert, undefined);
    assert.equal(out.anomaly.alert_severity, undefined);
  }
  const info = JSON.parse(h.filter('app', t0 + 90, 0, '{"log":"cache warmed up","level":"info"}'));
  assert.equal(info.anomaly.events[0].type, 'new_pattern');
  assert.equal(info.anomaly.events[0].severity, 'info');
  assert.equal(info.anomaly.alert, undefined, 'an info event is below min_severity');
  const err = JSON.parse(h.filter('app', t0 + 91, 0, '{"log":"payment gateway refused the request","level":"error"}'));
  assert.equal(err.anomaly.events[0].type, 'new_pattern');
  assert.equal(err.anomaly.events[0].severity, 'warning');
  assert.equal(err.anomaly.alert, undefined, 'a first sighting is not a window-level decision');
  assert.equal(err.anomaly.alert_severity, undefined);
  // The same error keeps occurring in the next window: the detector escalates it to an alert.
  let alerted = null;
  for (let i = 0; i < 6 && !alerted; i++) {
    const o = JSON.parse(h.filter('app', t0 + 120 + i * 5, 0, '{"log":"payment gateway refused the request","level":"error"}'));
    if (o.anomaly.alert) alerted = o;
  }
  assert.ok(alerted, 'the recurring new error pattern raised an alert');
  assert.equal(typeof alerted.anomaly.alert_severity, 'string');
  assert.ok(alerted.anomaly.events.some((e) => e.type === 'new_pattern' && e.window_start), JSON.stringify(alerted.anomaly.events));
});

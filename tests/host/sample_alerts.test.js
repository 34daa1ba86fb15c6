// What the README promises for the demo sample through the Fluent Bit-style host: every record out,
// 4 alert records (the rate spike confirmed at 10:31; error spike and the escalated new error pattern at
// 10:36; the error template's pattern spike confirmed at 10:37), and a
// sample whose syslog stamps agree with the year of the nginx lines inside them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LadModule } from '../../dist/module/module.js';

const WASM = process.env.LAD_WASM ?? 'build/lad.wasm';
const lines = readFileSync('samples/syslog-sample.log', 'utf8').split('\n').filter(Boolean);

test('samples/syslog-sample.log through the Fluent Bit-style host: 11,410 out, 4 alert records', async () => {
  const h = await LadModule.create(WASM);
  const now = Math.floor(Date.now() / 1000);
  const alerts = [];
  let out = 0;
  for (const l of lines) {
    const o = JSON.parse(h.filter('syslog', now, 0, JSON.stringify({ log: l })));
    out++;
    if (o.anomaly.alert) alerts.push([o.anomaly.alert_severity, o.anomaly.events.filter((e) => e.window_start).map((e) => e.type).join(','), o.anomaly.time.slice(11, 16)]);
  }
  assert.equal(lines.length, 11410);
  assert.equal(out, 11410);
  assert.deepEqual(alerts, [['critical', 'rate_spike', '10:31'], ['critical', 'error_spike', '10:36'], ['critical', 'new_pattern', '10:36'], ['critical', 'pattern_spike', '10:37']]);
});

test('the sample agrees with itself: syslog stamps and nginx lines say the same year', () => {
  for (const l of lines) {
    const year = l.slice(0, 4);
    assert.match(year, /^\d{4}$/, l);
    const clf = /\[\d{2}\/\w{3}\/(\d{4}):/.exec(l);
    if (clf) assert.equal(clf[1], year, l);
  }
});

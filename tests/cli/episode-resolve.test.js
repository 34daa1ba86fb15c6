// An episode ends when its stream is back to normal (issue 12 item 7): on the bundled syslog sample
// the error burst of 10:36-10:44 resolves soon after it ends, not an hour later as "the new normal",
// and no resolution text contradicts its own numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lad, tmp, SYSLOG } from './helpers.js';

test('the sample error burst resolves within 20 windows of its alert, as back to normal', (t) => {
  const report = join(tmp(t), 'r.json');
  const r = lad(['analyze', SYSLOG, '-o', report, '--fail-on', 'never']);
  assert.equal(r.code, 0, r.stderr);
  const rep = JSON.parse(readFileSync(report, 'utf8'));
  const res = rep.anomalies.filter((a) => a.type === 'resolved' && a.resolves === 'error_spike');
  assert.ok(res.length >= 1, `a resolved error_spike among ${rep.anomalies.map((a) => a.type).join(',')}`);
  for (const a of res) {
    assert.ok(a.duration_windows <= 20, `resolved after ${a.duration_windows} windows: ${a.description}`);
    assert.match(a.description, /back to normal/);
  }
  for (const a of rep.anomalies.filter((x) => x.type === 'resolved' && /learned as normal/.test(x.description))) {
    // "learned as normal" names the level it learned, which the numbers must not contradict
    assert.match(a.description, /now ~|last window/);
  }
});

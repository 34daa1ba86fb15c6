// Which anomaly events reach the alerter (one rule for analyze, watch and serve): window-level
// decisions on alert records at or above min_severity, and every `resolved`; never a template's
// first sighting, which carries no window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shouldAlert, severityRank } from '../../dist/alerts/severity.js';

const WARNING = severityRank('warning');
const windowed = { window_start: '2024-03-12T10:36:00.000Z', window_end: '2024-03-12T10:37:00.000Z' };

test('window-level decisions at or above min_severity on alert records go to the alerter', () => {
  assert.equal(shouldAlert(true, { type: 'error_spike', severity: 'critical', ...windowed }, WARNING), true);
  assert.equal(shouldAlert(true, { type: 'new_pattern', severity: 'warning', ...windowed }, WARNING), true);
  assert.equal(shouldAlert(true, { type: 'rate_spike', severity: 'info', ...windowed }, WARNING), false, 'below min_severity');
  assert.equal(shouldAlert(undefined, { type: 'error_spike', severity: 'critical', ...windowed }, WARNING), false, 'not an alert record');
});

test("a template's first sighting (no window) never goes, even on an alert record", () => {
  assert.equal(shouldAlert(true, { type: 'new_pattern', severity: 'warning' }, WARNING), false);
  assert.equal(shouldAlert(true, { type: 'new_pattern', severity: 'warning' }, severityRank('info')), false);
});

test('resolved events always go (open alerts get closed); unknown severities rank below info', () => {
  assert.equal(shouldAlert(undefined, { type: 'resolved', severity: 'info', ...windowed }, WARNING), true);
  assert.equal(severityRank('bogus') < severityRank('info'), true);
});

// lad analyze end to end on the bundled samples: the injected incident is found, the summary and
// report shapes, gzip and stdin input, records.ndjson output, the seed config unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { lad, tmp, seedConfig, SYSLOG, JSONL } from './helpers.js';

const lineCount = (f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.length > 0).length;
const SYSLOG_LINES = lineCount(SYSLOG);
const JSONL_LINES = lineCount(JSONL);

// The incident in samples (scripts/make-samples.js): surge 10:30-10:40, error burst 10:36-10:44 UTC.
const inIncident = (ts) => {
  const m = /T(\d{2}):(\d{2})/.exec(ts);
  if (!m) return false;
  const min = Number(m[1]) * 60 + Number(m[2]);
  return min >= 10 * 60 + 29 && min <= 10 * 60 + 46;
};

function summary(args) {
  const r = lad(['analyze', ...args, '--json', '--fail-on', 'never']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('--json summary shape', () => {
  const s = summary([SYSLOG]);
  for (const k of ['files', 'total_lines', 'records', 'unique_patterns', 'avg_event_rate', 'avg_error_rate', 'anomalies', 'by_level', 'by_format', 'elapsed_seconds', 'lines_per_second', 'fail_on', 'exit_code', 'findings']) {
    assert.ok(k in s, `summary has ${k}`);
  }
  assert.deepEqual(s.files, [SYSLOG]);
  assert.equal(s.total_lines, SYSLOG_LINES);
  assert.equal(s.records, SYSLOG_LINES);
  assert.ok(s.unique_patterns > 5 && s.unique_patterns < 500, `unique_patterns ${s.unique_patterns}`);
  for (const k of ['total', 'critical', 'warning', 'info']) assert.equal(typeof s.anomalies[k], 'number');
  assert.equal(s.anomalies.total, s.anomalies.critical + s.anomalies.warning + s.anomalies.info);
  // about 47 lines/min over 4 hours, ~2-6% errors outside the incident
  assert.ok(s.avg_event_rate > 30 && s.avg_event_rate < 90, `avg_event_rate ${s.avg_event_rate}`);
  assert.ok(s.avg_error_rate > 0 && s.avg_error_rate < 0.2, `avg_error_rate ${s.avg_error_rate}`);
  assert.ok(s.by_format['syslog-rfc3164'] > SYSLOG_LINES * 0.9, JSON.stringify(s.by_format));
});

test('syslog sample: the error burst and the traffic surge are found, at the right time', () => {
  const s = summary([SYSLOG]);
  const f = s.findings;
  assert.ok(s.anomalies.critical >= 1, `critical anomalies: ${JSON.stringify(s.anomalies)}`);
  const errors = f.filter((a) => a.type === 'error_spike');
  const surge = f.filter((a) => a.type === 'rate_spike');
  assert.ok(errors.length >= 1, `an error_spike: ${JSON.stringify(f.map((a) => a.type))}`);
  assert.ok(surge.length >= 1, `a rate_spike: ${JSON.stringify(f.map((a) => a.type))}`);
  for (const a of [...errors, ...surge]) assert.ok(inIncident(a.timestamp), `${a.type} at ${a.timestamp} is inside the incident`);
  // Nothing warning/critical far from the incident (the rest of the file is calm).
  const outside = f.filter((a) => !inIncident(a.timestamp) && a.type !== 'new_pattern');
  assert.ok(outside.length <= 2, `few findings outside the incident: ${JSON.stringify(outside.map((a) => [a.type, a.timestamp]))}`);
});

test('JSON-lines sample: the incident is found too', () => {
  const s = summary([JSONL]);
  assert.equal(s.total_lines, JSONL_LINES);
  assert.ok(s.by_format.json >= JSONL_LINES, JSON.stringify(s.by_format));
  const types = new Set(s.findings.filter((a) => inIncident(a.timestamp)).map((a) => a.type));
  assert.ok(types.has('error_spike'), `error_spike found: ${[...types]}`);
  assert.ok(types.has('rate_spike'), `rate_spike found: ${[...types]}`);
});

test('human output: anomalies as found and the seed-style summary', () => {
  const r = lad(['analyze', SYSLOG, '--fail-on', 'never']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /⚠ \[CRITICAL\] error_spike/);
  assert.match(r.stdout, /ANALYSIS SUMMARY/);
  assert.match(r.stdout, new RegExp(`Total lines processed: ${SYSLOG_LINES.toLocaleString('en-US')}`));
  assert.match(r.stdout, /Unique patterns: \d+/);
  assert.match(r.stdout, /Average event rate: [\d.]+\/min/);
  assert.match(r.stdout, /Average error rate: [\d.]+%/);
  assert.match(r.stdout, /Critical: \d+/);
  assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour codes when not on a TTY');
  const q = lad(['analyze', SYSLOG, '--quiet', '--fail-on', 'never']);
  assert.equal(q.stdout, '');
});

test('gzip input (by content) and stdin give the same result as the plain file', (t) => {
  const d = tmp(t);
  const gz = join(d, 'syslog-sample.log.gz');
  writeFileSync(gz, gzipSync(readFileSync(SYSLOG)));
  const plain = summary([SYSLOG]);
  const zipped = summary([gz]);
  assert.equal(zipped.total_lines, plain.total_lines);
  assert.deepEqual(zipped.anomalies, plain.anomalies);
  const r = lad(['analyze', '-', '--json', '--fail-on', 'never'], { input: readFileSync(SYSLOG) });
  assert.equal(r.code, 0, r.stderr);
  const viaStdin = JSON.parse(r.stdout);
  assert.equal(viaStdin.total_lines, plain.total_lines);
  assert.deepEqual(viaStdin.anomalies, plain.anomalies);
  const rz = lad(['analyze', '-', '--json', '--fail-on', 'never'], { input: readFileSync(gz) });
  assert.equal(JSON.parse(rz.stdout).total_lines, plain.total_lines);
});

test('a last line without newline and CRLF lines are counted', (t) => {
  const d = tmp(t);
  const f = join(d, 'crlf.log');
  writeFileSync(f, 'Mar 12 08:00:00 h a[1]: one\r\nMar 12 08:00:01 h a[1]: two\r\nMar 12 08:00:02 h a[1]: three');
  assert.equal(summary([f]).total_lines, 3);
});

test('--output records.ndjson: one tagged record per input line', (t) => {
  const d = tmp(t);
  const out = join(d, 'records.ndjson');
  const r = lad(['analyze', JSONL, '--quiet', '--fail-on', 'never', '--output', out]);
  assert.equal(r.code, 0, r.stderr);
  const lines = readFileSync(out, 'utf8').split('\n').filter((l) => l.length);
  assert.equal(lines.length, JSONL_LINES);
  const src = readFileSync(JSONL, 'utf8').split('\n').filter((l) => l.length);
  let withEvents = 0;
  for (let i = 0; i < lines.length; i++) {
    const rec = JSON.parse(lines[i]);
    assert.equal(typeof rec.anomaly, 'object', `line ${i + 1} tagged`);
    assert.equal(rec.trace_id, JSON.parse(src[i]).trace_id, 'same order, record kept');
    if (rec.anomaly.events) withEvents++;
  }
  assert.ok(withEvents > 0, 'some records carry events');
  // raw syslog lines come back as {"log": line, "anomaly": {...}}
  const out2 = join(d, 'syslog.ndjson');
  assert.equal(lad(['analyze', SYSLOG, '--quiet', '--fail-on', 'never', '-o', out2]).code, 0);
  const first = JSON.parse(readFileSync(out2, 'utf8').split('\n')[0]);
  assert.equal(first.log, readFileSync(SYSLOG, 'utf8').split('\n')[0]);
  assert.equal(first.anomaly.format, 'syslog-rfc3164');
});

test('--output report.json: the seed fields plus ours', (t) => {
  const d = tmp(t);
  const out = join(d, 'report.json');
  const r = lad(['analyze', SYSLOG, '--quiet', '--fail-on', 'never', '--output', out]);
  assert.equal(r.code, 0, r.stderr);
  const rep = JSON.parse(readFileSync(out, 'utf8'));
  for (const k of ['analyzed_file', 'analysis_time', 'total_lines', 'unique_patterns', 'anomalies', 'statistics', 'streams', 'templates', 'lad_version']) {
    assert.ok(k in rep, `report has ${k}`);
  }
  assert.equal(rep.analyzed_file, SYSLOG);
  assert.equal(rep.total_lines, SYSLOG_LINES);
  assert.ok(!Number.isNaN(Date.parse(rep.analysis_time)));
  assert.equal(typeof rep.statistics.avg_event_rate, 'number');
  assert.equal(typeof rep.statistics.avg_error_rate, 'number');
  const a = rep.anomalies.find((x) => x.type === 'error_spike');
  assert.ok(a, 'an error_spike in anomalies');
  for (const k of ['timestamp', 'type', 'severity', 'description', 'value', 'expected']) assert.ok(k in a, `anomaly has ${k}`);
  assert.ok(rep.streams.length >= 1 && rep.streams[0].windows.length > 200, 'per-minute windows for the timeline');
  const total = rep.streams[0].windows.reduce((s, w) => s + w.count, 0);
  assert.equal(total, SYSLOG_LINES, 'window counts add up to the lines');
  assert.ok(rep.templates.length > 5 && rep.templates[0].count >= rep.templates[1].count);
});

test("the seed's anomaly_config.yaml works unchanged", (t) => {
  const d = tmp(t);
  const cfg = join(d, 'anomaly_config.yaml');
  writeFileSync(cfg, seedConfig());
  const r = lad(['analyze', SYSLOG, '--config', cfg, '--json', '--fail-on', 'never', '--no-alerts']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.total_lines, SYSLOG_LINES);
  assert.ok(s.findings.some((a) => a.type === 'error_spike'), 'incident still found');
  // --threshold overrides detection.threshold: a huge threshold finds no spikes
  const calm = JSON.parse(lad(['analyze', SYSLOG, '--config', cfg, '--json', '--fail-on', 'never', '--no-alerts', '--threshold', '1000']).stdout);
  assert.ok(calm.anomalies.critical + calm.anomalies.warning < s.anomalies.critical + s.anomalies.warning);
});

test('several files: one stream each, lines add up', () => {
  const s = summary([SYSLOG, JSONL]);
  assert.equal(s.total_lines, SYSLOG_LINES + JSONL_LINES);
  assert.deepEqual(s.files, [SYSLOG, JSONL]);
  const streams = new Set(s.findings.map((a) => a.stream));
  assert.ok(streams.size >= 2, `findings from both streams: ${[...streams]}`);
});

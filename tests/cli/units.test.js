// The harness's own logic (one test asks the module for its effective configuration): Python regex conversion, timestamps, custom-format
// records and auto selection, config parsing, result splitting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pythonToJs, compileFormats, normalizeTimestamp, RegexTransform, AutoTransform, chooseFormat } from '../../dist/config/formats.js';
import { parseConfig, moduleConfig } from '../../dist/config/load.js';
import { effective } from '../../dist/module/effective.js';
import { readBatch } from '../../dist/module/results.js';
import { LadModule, FLAG_TAG_ALL, FLAG_WINDOWS } from '../../dist/module/module.js';
import { seedConfig } from './helpers.js';

test('Python named groups, backreferences and inline flags become JavaScript', () => {
  assert.deepEqual(pythonToJs('(?P<a>\\d+)-(?P=a)'), { pattern: '^(?:(?<a>\\d+)-\\k<a>)', flags: '' });
  assert.equal(pythonToJs('(?i)error').flags, 'i');
  const [f] = compileFormats({ x: '(?P<level>\\w+): (?P<message>.*)\\Z' });
  assert.deepEqual({ ...f.regex.exec('WARN: disk 91% full').groups }, { level: 'WARN', message: 'disk 91% full' });
  assert.equal(f.regex.exec('  WARN: x'), null, 're.match semantics: anchored at the start');
  assert.throws(() => compileFormats({ bad: '(?P<x>' }), /formats\.bad/);
  assert.throws(() => compileFormats({ bad: 42 }), /formats\.bad/);
  assert.deepEqual(compileFormats({ json: null }), []);
});

test('timestamps of the usual log formats become RFC 3339 UTC', () => {
  assert.equal(normalizeTimestamp('Mar  2 10:04:05', 2024), '2024-03-02T10:04:05.000Z');
  assert.equal(normalizeTimestamp('2024/01/15 14:32:15'), '2024-01-15T14:32:15.000Z');
  assert.equal(normalizeTimestamp('2024-01-15 14:32:15,123'.replace(',', '.')), '2024-01-15T14:32:15.123Z');
  assert.equal(normalizeTimestamp('2024-01-15T14:32:15+02:00'), '2024-01-15T12:32:15.000Z');
  assert.equal(normalizeTimestamp('15/Jan/2024:14:32:15 +0100'), '2024-01-15T13:32:15.000Z');
  assert.equal(normalizeTimestamp('Mon Jan 15 14:32:15.123456 2024'), '2024-01-15T14:32:15.000Z');
  assert.equal(normalizeTimestamp('1705329135'), '2024-01-15T14:32:15.000Z');
  assert.equal(normalizeTimestamp('yesterday'), null);
});

test('a custom format turns matching lines into JSON records and leaves the rest', () => {
  const [f] = compileFormats({ pipe: '(?P<timestamp>\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}) \\| (?P<level>\\w+) \\| (?P<message>.*)' });
  const t = new RegexTransform(f);
  const out = t.apply(Buffer.from('2024-03-12 10:00:01 | ERROR | payment "x" failed\nnot matching\n\n')).toString();
  const lines = out.split('\n');
  assert.equal(lines.length, 4, 'one output line per input line');
  assert.deepEqual(JSON.parse(lines[0]), { timestamp: '2024-03-12T10:00:01.000Z', level: 'ERROR', message: 'payment "x" failed' });
  assert.equal(lines[1], 'not matching');
  assert.equal(t.matched, 1);
});

test('auto mode keeps natively parsed formats out of the regex path', () => {
  const cfg = parseConfig(seedConfig(), 'anomaly_config.yaml');
  assert.deepEqual(cfg.formats.map((f) => f.name), ['syslog', 'nginx_error']);
  const syslog = ['Mar 12 08:00:00 web-01 sshd[1]: Accepted publickey for x', 'Mar 12 08:00:01 web-01 CRON[2]: (root) CMD (x)'];
  assert.equal(chooseFormat(cfg.formats, syslog), null, 'native syslog: no regex');
  const auto = new AutoTransform(cfg.formats);
  assert.equal(auto.apply(Buffer.from(syslog.join('\n') + '\n')), null, 'untouched, no copy');
  const [pipe] = compileFormats({ pipe: '(?P<level>\\w+) \\| (?P<message>.*)' });
  assert.equal(chooseFormat([pipe], ['ERROR | boom', 'INFO | fine']), pipe);
});

test('config: the seed file parses; sections, overrides, output keys', async () => {
  const cfg = parseConfig(seedConfig(), 'anomaly_config.yaml');
  assert.equal(cfg.alerting.enabled, true);
  const mod = await LadModule.create();
  mod.configure(moduleConfig(cfg));
  assert.equal(effective(mod).windowSec, 60);
  const doc = moduleConfig(cfg, { threshold: 4.5, format: 'syslog' });
  assert.equal(doc.detection.threshold, 4.5);
  assert.equal(doc.detection.window_size, 60, 'other detection keys kept');
  assert.equal(doc.input.format, 'syslog');
  assert.equal(doc.formats, undefined, 'custom formats stay in the harness');
  assert.equal(cfg.doc.detection.threshold, 3, 'overrides do not change the loaded config');
  mod.configure(moduleConfig(parseConfig('output:\n  key: lad\n', 'x.yaml')));
  assert.deepEqual(effective(mod).outputKeys, ['lad', 'anomaly_lad']);
  assert.throws(() => parseConfig('- a\n- b\n', 'l.yaml'), /expected a mapping/);
  assert.throws(() => parseConfig('patterns: 3\n', 'p.yaml'), /'patterns' must be a mapping/);
  assert.throws(() => parseConfig('detection: {}\ndetection: {}\n', 'd.yaml'), /d\.yaml/);
  assert.deepEqual(parseConfig('', 'empty.yaml').doc, {});
});

test('results: events with their lines, windows from their own channel, tagged records untouched', () => {
  const got = { an: [], win: [], tagged: [] };
  const sink = { anomaly: (a, line) => got.an.push([a.events[0].type, line]), window: (w) => got.win.push(w.count), tagged: (b) => got.tagged.push(b.toString()) };
  const windows = Buffer.from('{"window":{"stream":"s","start":0,"count":7,"errors":1}}\n');
  readBatch({ records: Buffer.from('{"line":3,"anomaly":{"events":[{"type":"error_spike","severity":"critical","stream":"s"}]}}\n'), windows }, FLAG_WINDOWS, ['anomaly'], 100, sink);
  assert.deepEqual(got.an, [['error_spike', 103]]);
  assert.deepEqual(got.win, [7]);
  got.an.length = 0; got.win.length = 0;
  // user records named "window" are records like any other: windows only come from their channel
  const recs = [
    '{"log":"a","anomaly":{"level":"info"}}',
    '{"window":{"stream":"s","start":60,"count":2,"errors":0}}',
    '{"window":{"x":1},"anomaly":{"level":"info"}}',
    '{"msg":"has \\"events\\":[{ inside","anomaly":{"events":[{"type":"rate_spike","severity":"warning","stream":"s"}]}}',
  ];
  readBatch({ records: Buffer.from(recs.join('\n') + '\n'), windows: Buffer.from('{"window":{"stream":"s","start":60,"count":2,"errors":0}}\n') }, FLAG_TAG_ALL | FLAG_WINDOWS, ['anomaly', 'anomaly_lad'], 0, sink);
  assert.deepEqual(got.win, [2], 'only the window channel\'s line');
  assert.equal(got.tagged.join(''), recs.join('\n') + '\n', 'records kept whole');
  assert.deepEqual(got.an, [['rate_spike', null]]);
});

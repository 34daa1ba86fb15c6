// Custom `formats:` regexes (Python syntax, as in the seed config) applied by the harness before the
// module: forced with --format NAME or chosen automatically for lines the module does not know.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lad, tmp } from './helpers.js';

const CONFIG = `formats:
  bracketed: '\\[(?P<host>[^\\]]+)\\] (?P<timestamp>\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}) <(?P<level>\\w+)> (?P<message>.*)'
  json: null
`;

function makeLog(file) {
  const lines = [];
  for (let i = 0; i < 300; i++) {
    const mm = String(Math.floor(i / 10)).padStart(2, '0'), ss = String((i * 6) % 60).padStart(2, '0');
    const err = i % 50 === 7;
    lines.push(`[web-0${i % 3}] 2024-03-12 10:${mm}:${ss} <${err ? 'ERROR' : 'INFO'}> ${err ? 'payment failed for order ' + i : 'request ' + i + ' served in ' + (i % 40) + ' ms'}`);
  }
  lines.push('an unrelated line that matches nothing');
  writeFileSync(file, lines.join('\n') + '\n');
  return lines;
}

for (const mode of ['forced', 'auto']) {
  test(`custom format (${mode}): groups become the record the module sees`, (t) => {
    const d = tmp(t);
    const cfg = join(d, 'c.yaml');
    writeFileSync(cfg, CONFIG);
    const log = join(d, 'app.log');
    const src = makeLog(log);
    const out = join(d, 'records.ndjson');
    const args = ['analyze', log, '--config', cfg, '--quiet', '--fail-on', 'never', '-o', out];
    if (mode === 'forced') args.push('--format', 'bracketed');
    const r = lad(args);
    assert.equal(r.code, 0, r.stderr);
    const recs = readFileSync(out, 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l));
    assert.equal(recs.length, src.length);
    assert.deepEqual(
      { host: recs[7].host, level: recs[7].level, message: recs[7].message, timestamp: recs[7].timestamp },
      { host: 'web-01', level: 'ERROR', message: 'payment failed for order 7', timestamp: '2024-03-12T10:00:42.000Z' });
    assert.equal(recs[7].anomaly.level, 'error');
    assert.equal(recs[7].anomaly.time, '2024-03-12T10:00:42.000Z', 'event time from the timestamp group');
    assert.equal(recs[8].anomaly.level, 'info');
    assert.equal(recs.at(-1).log, src.at(-1), 'a non-matching line goes to the module unchanged');
  });
}

test('auto mode leaves natively parsed logs alone even when formats: match them', (t) => {
  const d = tmp(t);
  const cfg = join(d, 'c.yaml');
  writeFileSync(cfg, "formats:\n  syslog: '(?P<timestamp>\\w+\\s+\\d+\\s+\\d+:\\d+:\\d+)\\s+(?P<host>\\S+)\\s+(?P<process>\\S+):\\s+(?P<message>.*)'\n");
  const log = join(d, 's.log');
  writeFileSync(log, 'Mar 12 10:00:00 web-01 sshd[1]: Accepted publickey for deploy\n');
  const out = join(d, 'r.ndjson');
  assert.equal(lad(['analyze', log, '--config', cfg, '-q', '-o', out]).code, 0);
  const rec = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(rec.log, 'Mar 12 10:00:00 web-01 sshd[1]: Accepted publickey for deploy');
  assert.equal(rec.anomaly.format, 'syslog-rfc3164');
  // ... but --format syslog names the custom one explicitly: the regex applies.
  assert.equal(lad(['analyze', log, '--config', cfg, '-q', '-o', out, '--format', 'syslog']).code, 0);
  const forced = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(forced.process, 'sshd[1]');
  assert.equal(forced.anomaly.format, 'json');
});

// The seed script's users: -v, -w/--watch, --create-baseline, its baseline.json, and a misspelt
// command get a pointer to what to type, never "unknown option" or a missing file named 'analyse'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lad, tmp, SYSLOG } from './helpers.js';

function usage(r, re) {
  assert.equal(r.code, 2, `exit 2 expected: ${r.code} ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, re);
}

test('-v prints the version like the seed', () => {
  const r = lad(['-v']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
});

test('-w/--watch and --create-baseline point to the commands', () => {
  usage(lad(['--watch', '/var/log/nginx/error.log']), /^lad: -w\/--watch \(the seed script's follow mode\) is a command here: lad watch \/var\/log\/nginx\/error\.log$/m);
  usage(lad(['-w', '-t', '2', 'app.log']), /lad watch -t 2 app\.log$/m);
  usage(lad(['--create-baseline', '/var/log/syslog']), /^lad: --create-baseline .* lad baseline create \/var\/log\/syslog -o baseline\.json$/m);
  usage(lad(['analyze', '--create-baseline', '-o', 'b.json', 'x.log']), /lad baseline create x\.log -o b\.json$/m);
});

test('a misspelt command is not read as a file name', () => {
  usage(lad(['analyse', SYSLOG]), /^lad: unknown command 'analyse' \(did you mean 'lad analyze'\?\)/);
  usage(lad(['templtes', SYSLOG]), /did you mean 'lad templates'/);
  // A real file of that name is still analysed (lad FILE).
  const r = lad(['nosuchfile.log']);
  usage(r, /no such file: 'nosuchfile\.log'/);
});

test("the seed's baseline.json: exit 2 saying what to do", (t) => {
  const d = tmp(t);
  const b = join(d, 'baseline.json');
  writeFileSync(b, JSON.stringify({ created_at: '2024-01-15T10:00:00.123456', total_entries: 100, error_rate: 0.01, events_per_minute: 40, pattern_frequencies: {}, hourly_distribution: {} }, null, 2));
  for (const args of [['--baseline', b, SYSLOG], ['baseline', 'show', b]]) {
    usage(lad(args), /was made by the seed script \(--create-baseline\).*rebuild it from the same logs: lad baseline create LOGFILE\.\.\. -o /);
  }
});

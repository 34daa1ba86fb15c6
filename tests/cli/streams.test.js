// Which stream a file is, so baselines apply to the stream the user means: a one-stream baseline
// applies to a one-stream analysis whatever the file names, --stream NAME chooses, rotated files of
// one stream are one stream (replayed oldest first), and a baseline matching nothing is a warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { lad, tmp, SYSLOG, JSONL } from './helpers.js';

/** A copy of the syslog sample with its modification time (year-less syslog stamps take its year). */
function copySample(dst, text) {
  if (text === undefined) copyFileSync(SYSLOG, dst); else writeFileSync(dst, text);
  const st = statSync(SYSLOG);
  utimesSync(dst, st.atime, st.mtime);
  return dst;
}

const summary = (r) => { assert.equal(r.code, 0, r.stderr); return JSON.parse(r.stdout); };

test('a baseline built from a.log applies to b.log with the same content (one stream each)', (t) => {
  const d = tmp(t);
  const a = copySample(join(d, 'a.log'));
  const b = copySample(join(d, 'b.log'));
  const base = join(d, 'base.json');
  assert.equal(lad(['baseline', 'create', a, '-o', base, '-q']).code, 0);
  const same = summary(lad(['analyze', a, '-b', base, '--json', '--fail-on', 'never']));
  assert.ok(same.findings.some((f) => f.type === 'baseline_deviation'), 'the baseline is used on its own file');
  const r = lad(['analyze', b, '-b', base, '--json', '--fail-on', 'never']);
  const other = summary(r);
  assert.match(r.stderr, /stream 'b\.log' compared with the baseline's only stream 'a\.log'/);
  assert.deepEqual(other.findings.map((f) => [f.type, f.timestamp]), same.findings.map((f) => [f.type, f.timestamp]));
});

test('--stream names the stream; a baseline whose streams match nothing gives a warning line', (t) => {
  const d = tmp(t);
  const a = copySample(join(d, 'a.log'));
  const base = join(d, 'base.json');
  assert.equal(lad(['baseline', 'create', a, '--stream', 'web', '-o', base, '-q']).code, 0);
  assert.deepEqual(JSON.parse(readFileSync(base, 'utf8')).streams.map((s) => s.stream), ['web']);
  // Two streams in the run: no automatic choice, so the baseline matches nothing.
  let r = lad(['analyze', a, JSONL, '-b', base, '--json', '--fail-on', 'never']);
  assert.equal(r.code, 0, r.stderr);
  const warn = r.stderr.split('\n').filter((l) => /warning/.test(l));
  assert.equal(warn.length, 1, r.stderr);
  assert.match(warn[0], new RegExp(`baseline '${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' has no effect: its stream 'web' matches none of this run's \\('a\\.log', 'app-sample\\.jsonl'\\); name the stream with --stream NAME`));
  assert.ok(!summary(r).findings.some((f) => f.type === 'baseline_deviation'));
  // --stream web: the baseline applies.
  r = lad(['analyze', a, '--stream', 'web', '-b', base, '--json', '--fail-on', 'never']);
  assert.doesNotMatch(r.stderr, /warning/);
  const s = summary(r);
  assert.ok(s.findings.some((f) => f.type === 'baseline_deviation' && f.stream === 'web'), JSON.stringify(s.findings));
  // Even quiet runs say when a baseline does nothing.
  r = lad(['analyze', a, '--stream', 'db', '-b', base, '-q', '--fail-on', 'never']);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /has no effect/);
  assert.equal(lad(['analyze', a, '--stream', ' ']).code, 2);
});

test('rotated files are one stream, replayed oldest first: syslog.2.gz + syslog = the whole file', (t) => {
  const d = tmp(t);
  const lines = readFileSync(SYSLOG, 'utf8').split('\n');
  const half = Math.floor(lines.length / 2);
  const older = lines.slice(0, half).join('\n') + '\n';
  const newer = lines.slice(half).join('\n');
  const gz = join(d, 'syslog.2.gz');
  writeFileSync(gz, gzipSync(older));
  utimesSync(gz, statSync(SYSLOG).atime, statSync(SYSLOG).mtime);
  const live = copySample(join(d, 'syslog'), newer);
  const whole = copySample(join(d, 'whole.log'));
  // Given newest first (as a shell glob sorts them): replayed oldest first all the same.
  const split = summary(lad(['analyze', live, gz, '--json', '--fail-on', 'never']));
  const one = summary(lad(['analyze', whole, '--json', '--fail-on', 'never']));
  assert.deepEqual(split.files, [gz, live]);
  assert.ok(split.findings.length > 0);
  assert.deepEqual(new Set(split.findings.map((f) => f.stream)), new Set(['syslog']));
  assert.deepEqual(split.findings.map((f) => [f.type, f.timestamp]), one.findings.map((f) => [f.type, f.timestamp]));
});

test('stream names of rotated files', async () => {
  const { streamStem, streamTags, replayOrder } = await import('../../dist/cli/common.js');
  for (const [f, s] of [['syslog.1', 'syslog'], ['syslog.2.gz', 'syslog'], ['app.log-20240101', 'app.log'],
    ['app.log-20240101.gz', 'app.log'], ['app.log.2024-01-01', 'app.log'], ['app.log', 'app.log'], ['x.gz', 'x'], ['syslog-sample.log', 'syslog-sample.log']]) {
    assert.equal(streamStem(f), s, f);
  }
  assert.deepEqual(streamTags(['/a/syslog', '/a/syslog.1', '/b/syslog']), ['/a/syslog', '/a/syslog', '/b/syslog']);
  assert.deepEqual(streamTags(['x.log', 'y.log'], 'web'), ['web', 'web']);
  assert.deepEqual(replayOrder(['s', 's.1', 'app.log-20240102', 's.10.gz', 'app.log-20240101', 'app.log']),
    ['s.10.gz', 's.1', 's', 'app.log-20240101', 'app.log-20240102', 'app.log']);
});

test('baseline.file in the config is loaded by lad analyze (relative to the config file); a missing one is exit 2', (t) => {
  const d = tmp(t);
  const a = copySample(join(d, 'a.log'));
  assert.equal(lad(['baseline', 'create', a, '-o', join(d, 'base.json'), '-q']).code, 0);
  const cfg = join(d, 'lad.json');
  writeFileSync(cfg, JSON.stringify({ baseline: { file: 'base.json' } }));
  const s = summary(lad(['analyze', a, '-c', cfg, '--json', '--fail-on', 'never']));
  assert.ok(s.findings.some((f) => f.type === 'baseline_deviation'), JSON.stringify(s.findings.map((f) => f.type)));
  const yaml = join(d, 'cfg.yaml');
  writeFileSync(yaml, 'baseline:\n  files: [nope.json]\n');
  const r = lad(['analyze', a, '-c', yaml]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^lad: baseline file not found: '.*nope\.json' \(baseline\.files in .*cfg\.yaml\)$/m);
});

// lad watch as a user meets it (issue 12): a folder is an error and a missing file is announced
// (item 13); the summary counts alerts apart from informational events (item 8); the filter's
// state file is restored and saved (item 11); --fail-on, --output and --json as in lad analyze
// (item 17); a one-stream baseline applies whatever the file's name (item 4). No timing
// assumptions: every wait is for a condition, with a generous deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, SYSLOG, lad, tmp } from './helpers.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts `lad watch ...args`; `until(pred, what)` waits for pred() (stdout, stderr), `stop()`
 *  sends SIGINT and resolves with the exit code. */
function watch(t, args, env = {}) {
  const child = spawn(process.execPath, [CLI, 'watch', '--interval', '40', '--status-interval', '0', ...args],
    { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  const w = { out: '', err: '' };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (c) => { w.out += c; });
  child.stderr.on('data', (c) => { w.err += c; });
  const exit = new Promise((r) => child.on('exit', (code) => r(code)));
  w.until = async (pred, what, ms = 60000) => {
    const t0 = Date.now();
    while (!pred(w.out, w.err)) {
      if (Date.now() - t0 > ms) assert.fail(`timed out waiting for ${what}; stderr: ${w.err.slice(-2000)}`);
      if (child.exitCode !== null) assert.fail(`lad watch exited ${child.exitCode} before ${what}: ${w.err}`);
      await sleep(25);
    }
  };
  w.stop = async () => { child.kill('SIGINT'); return exit; };
  w.exit = exit;
  return w;
}

const count = (s, re) => (s.match(re) ?? []).length;

test('watch: a folder is exit 2 with one line; a missing file is announced and followed once it appears', async (t) => {
  const d = tmp(t);
  const r = lad(['watch', d], { timeout: 60000 });
  assert.equal(r.code, 2, `a folder must be an error, not a silent wait (${r.signal ?? ''}): ${r.stderr}`);
  assert.match(r.stderr, /^lad: cannot watch '.*': it is a folder; lad watch follows files/);
  assert.equal(r.stderr.trim().split('\n').length, 1);

  const file = join(d, 'later.log');
  const w = watch(t, ['--ndjson', file]);
  await w.until((o, e) => /'.*later\.log' does not exist \(yet\); it will be followed once it appears/.test(e), 'the missing-file line');
  writeFileSync(file, 'Mar 12 09:00:00 web-01 app[42]: INFO request seq=000001 handled\n');
  await w.until((o) => /seq=000001/.test(o), 'the line of the file that appeared');
  assert.match(w.err, /later\.log appeared, following it/);
  assert.equal(await w.stop(), 0, w.err);
});

test('watch: the summary counts alerts apart from informational events; --fail-on, --output report.json, --json', async (t) => {
  const d = tmp(t);
  const report = join(d, 'report.json');
  const w = watch(t, ['--ndjson', '--fail-on', 'critical', '-o', report, SYSLOG]);
  const total = readFileSync(SYSLOG, 'utf8').split('\n').filter(Boolean).length;
  await w.until((o) => count(o, /\n/g) >= total, `all ${total} records`);
  const code = await w.stop();
  assert.match(w.err, /^Alerts: [1-9]/m, 'alerts counted as such');
  assert.match(w.err, /^Informational events \(not alerts\): [1-9]/m, 'first sightings counted apart');
  assert.doesNotMatch(w.err, /Anomalies detected/);
  assert.equal(code, 1, '--fail-on critical: a critical alert was raised');
  const rep = JSON.parse(readFileSync(report, 'utf8'));
  assert.ok(rep.statistics.alerts_by_severity.critical >= 1, JSON.stringify(rep.statistics));
  assert.match(w.err, /Report saved to: .*report\.json/);

  // --json: the machine summary on stdout at exit, human output on stderr; default --fail-on never.
  const small = join(d, 'small.log');
  writeFileSync(small, readFileSync(SYSLOG, 'utf8').split('\n').slice(0, 200).join('\n') + '\n');
  const recs = join(d, 'records.ndjson');
  const j = watch(t, ['--json', '-o', recs, small]);
  await j.until(() => existsSync(recs) && count(readFileSync(recs, 'utf8'), /\n/g) >= 200, 'all 200 records in records.ndjson');
  assert.equal(await j.stop(), 0, j.err);
  const summary = JSON.parse(j.out);
  assert.equal(summary.total_lines, 200);
  assert.equal(typeof summary.alerts, 'number');
  assert.match(j.err, /ANALYSIS SUMMARY/);
  assert.equal(lad(['watch', '--json', '--ndjson', small]).code, 2, '--json with --ndjson: both on stdout');
});

/** 120 routine lines, then a new error pattern after warm-up (a first sighting, unless known). */
function stateLog() {
  const l = [];
  for (let i = 0; i < 120; i++) l.push(`2026-03-12T09:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z web-01 app[42]: INFO request ${i} handled in ${i % 97} ms`);
  for (let i = 0; i < 5; i++) l.push(`2026-03-12T09:02:0${i}Z web-01 app[42]: ERROR payment gateway refused card ${i} with code 51`);
  return l.join('\n') + '\n';
}

test('watch keeps the state file the filter has: templates saved at exit and restored by the next run (no second first sighting)', async (t) => {
  const d = tmp(t);
  const cfg = join(d, 'lad.json');
  writeFileSync(cfg, JSON.stringify({ templates: { warmup_records: 50, warmup_seconds: 1 }, state: { file: 'lad-state.json' } }));
  const log = join(d, 'app.log');
  writeFileSync(log, stateLog());
  const run = async () => {
    const w = watch(t, ['--ndjson', '-c', cfg, log]);
    await w.until((o) => count(o, /\n/g) >= 125, 'all 125 records');
    assert.equal(await w.stop(), 0, w.err);
    return { firsts: count(w.out, /"type":"new_pattern"/g), err: w.err };
  };
  const first = await run();
  assert.equal(first.firsts, 1, 'the new error pattern is a first sighting in the first run');
  const state = JSON.parse(readFileSync(join(d, 'lad-state.json'), 'utf8'));
  assert.equal(state.format, 'lad-templates');
  assert.ok(state.templates.some((x) => /payment gateway refused/.test(x.template)));
  const second = await run();
  assert.match(second.err, /state: restored 2 templates from .*lad-state\.json/);
  assert.equal(second.firsts, 0, 'a restarted watch re-learnt a template it already knew');
  // --state names another file.
  const other = join(d, 'other-state.json');
  const w = watch(t, ['--ndjson', '--state', other, log]);
  await w.until((o) => count(o, /\n/g) >= 125, 'all 125 records');
  assert.equal(await w.stop(), 0, w.err);
  assert.ok(existsSync(other));
});

test('a baseline built from a.log applies to lad watch b.log (one stream each), as in lad analyze', async (t) => {
  const d = tmp(t);
  const a = join(d, 'a.log');
  const b = join(d, 'b.log');
  copyFileSync(SYSLOG, a);
  copyFileSync(SYSLOG, b);
  const base = join(d, 'base.json');
  assert.equal(lad(['baseline', 'create', a, '-o', base]).code, 0);
  const w = watch(t, ['--ndjson', '-b', base, b]);
  await w.until((o, e) => /following/.test(e), 'the start');
  assert.match(w.err, /stream 'b\.log' compared with the baseline's only stream 'a\.log'/);
  await w.stop();
  // A baseline that matches none of the watched streams is said so.
  const w2 = watch(t, ['--ndjson', '-b', base, '--stream', 'checkout', b]);
  await w2.until((o, e) => /following/.test(e), 'the start');
  await w2.stop();
  assert.match(w2.err, /warning: baseline '.*base\.json' has no effect: its stream 'a\.log' matches none of this run's \('checkout'\)/);
});

test('watch: --positions, --state or state.file in a folder that does not exist is exit 2 with one line, at start', (t) => {
  const d = tmp(t);
  const log = join(d, 'app.log');
  writeFileSync(log, 'Mar 12 09:00:00 web-01 app[42]: INFO hello\n');
  const r1 = lad(['watch', '--positions', join(d, 'nope', 'pos.json'), log], { timeout: 60000 });
  assert.equal(r1.code, 2, r1.stderr);
  assert.match(r1.stderr, /^lad: invalid --positions '.*pos\.json': folder '.*nope' does not exist\n$/);
  const r2 = lad(['watch', '--state', join(d, 'nope', 'state.json'), log], { timeout: 60000 });
  assert.equal(r2.code, 2, r2.stderr);
  assert.match(r2.stderr, /^lad: invalid --state '.*state\.json': folder '.*nope' does not exist\n$/);
  const cfg = join(d, 'lad.json');
  writeFileSync(cfg, JSON.stringify({ state: { file: 'nope/state.json' } }));
  const r3 = lad(['watch', '-c', cfg, log], { timeout: 60000 });
  assert.equal(r3.code, 2, r3.stderr);
  assert.match(r3.stderr, /lad: invalid state\.file \(in .*lad\.json\) '.*nope\/state\.json': folder '.*nope' does not exist/);
});

test('watch says what it does not analyse: binary and gzip files skipped with a line each, cut lines counted at exit', async (t) => {
  const d = tmp(t);
  const bin = join(d, 'wtmp');
  const gz = join(d, 'old.log.gz');
  const log = join(d, 'app.log');
  writeFileSync(bin, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
  writeFileSync(gz, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]));
  writeFileSync(log, `Mar 12 09:00:00 web-01 app[42]: INFO ${'x'.repeat(200 << 10)}\nMar 12 09:00:01 web-01 app[42]: INFO seq=000002 after the long one\n`);
  const child = watch(t, ['--ndjson', bin, gz, log], { LAD_MAX_LINE_BYTES: String(64 << 10) });
  await child.until((o) => /seq=000002/.test(o), 'the line after the long one');
  assert.equal(await child.stop(), 0, child.err);
  assert.match(child.err, /lad: warning: skipped '.*wtmp': binary data, not log text/);
  assert.match(child.err, /lad: warning: skipped '.*old\.log\.gz': gzip-compressed; lad watch follows plain text files \(lad analyze reads \.gz\)/);
  assert.match(child.err, /lad: warning: '.*app\.log': 1 line longer than 64\.0 KiB cut; 136\.0 KiB of it not analysed/);
  const only = lad(['watch', bin], { timeout: 60000 });
  assert.equal(only.code, 2);
  assert.match(only.stderr, /nothing to watch: every file given was skipped/);
});

test('watch: an unreadable state file is said (also with -q), moved aside, and replaced by a good one', async (t) => {
  const d = tmp(t);
  const st = join(d, 'state.json');
  writeFileSync(st, '{"format":"lad-templates","templates":[{"template": 42');
  const log = join(d, 'app.log');
  writeFileSync(log, stateLog());
  const w = watch(t, ['-q', '--ndjson', '--state', st, log]);
  await w.until((o) => count(o, /\n/g) >= 125, 'all 125 records');
  assert.equal(await w.stop(), 0, w.err);
  assert.match(w.err, /lad watch: warning: state .*state\.json: cannot read it \(.*\); moved to .*state\.json\.unreadable; starting fresh/);
  assert.equal(readFileSync(st + '.unreadable', 'utf8'), '{"format":"lad-templates","templates":[{"template": 42');
  assert.equal(JSON.parse(readFileSync(st, 'utf8')).format, 'lad-templates');
});

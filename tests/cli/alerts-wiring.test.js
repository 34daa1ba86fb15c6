// analyze hands alert events to the alert deliverer when alerting.enabled: a local webhook receives
// the incident's alerts; --no-alerts sends nothing; a bad alerting key is a config error (exit 2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, lad, tmp, SYSLOG } from './helpers.js';

function run(args) {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '', stderr = '';
    c.stdout.on('data', (d) => { stdout += d; });
    c.stderr.on('data', (d) => { stderr += d; });
    c.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('alerting.enabled: the incident reaches a webhook; --no-alerts sends nothing', async (t) => {
  const d = tmp(t);
  const got = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { got.push(JSON.parse(body)); res.end('ok'); });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const cfg = join(d, 'alerts.yaml');
  writeFileSync(cfg, `alerting:\n  enabled: true\n  webhook_url: "http://127.0.0.1:${server.address().port}/hook?token=s3cret"\n  min_severity: critical\n  spool_dir: ${JSON.stringify(join(d, 'spool'))}\n`);

  const quiet = await run(['analyze', SYSLOG, '--config', cfg, '--quiet', '--fail-on', 'never', '--no-alerts']);
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.equal(got.length, 0, 'nothing sent with --no-alerts');

  const r = await run(['analyze', SYSLOG, '--config', cfg, '--quiet', '--fail-on', 'never']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(got.length >= 1, `alerts received: ${got.length}; stderr: ${r.stderr}`);
  const text = JSON.stringify(got);
  assert.match(text, /error_spike/);
  assert.doesNotMatch(text, /"severity":"warning"/, 'min_severity: critical honoured');
  assert.doesNotMatch(r.stderr, /s3cret/, 'no secret printed');
});

test('a bad alerting key is a config error naming it', (t) => {
  const d = tmp(t);
  const cfg = join(d, 'a.yaml');
  writeFileSync(cfg, 'alerting:\n  enabled: true\n  webhok_url: "http://x"\n');
  const r = lad(['analyze', SYSLOG, '--config', cfg]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /webhok_url/);
  writeFileSync(cfg, 'alerting:\n  enabled: true\n  webhook_url: "ftp://x"\n');
  const r2 = lad(['analyze', SYSLOG, '--config', cfg]);
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /webhook_url/);
});

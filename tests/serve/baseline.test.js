// lad serve names its streams after --tag (plus the stream field's value): a baseline built from
// files (streams named after the files) matches nothing there unless --tag says so. That must not be
// silent (issue 12, item 4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, startServe, haveWasm, wasmPath, tmp } from './helpers.js';

const skip = !haveWasm() && `${wasmPath()} missing: run npm run build:wasm`;

test('lad serve: a baseline whose streams match none of its streams gets a warning line naming --tag', { skip, timeout: 120000 }, async () => {
  const dir = tmp();
  const base = join(dir, 'base.json');
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'baseline', 'create', join(ROOT, 'samples/syslog-sample.log'), '-o', base, '-q'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const args = ['--listen', 'none', '--http', '127.0.0.1:0', '--forward', '-', '--no-alerts', '-b', base];
  const s1 = await startServe(args);
  await s1.stop();
  assert.match(s1.stderr(), /lad serve: warning: baseline '.*base\.json' has no effect: its stream 'syslog-sample\.log' matches none of this server's \('vector'\); set --tag to the baseline's stream name/);
  const s2 = await startServe([...args, '--tag', 'syslog-sample.log']);
  await s2.stop();
  assert.doesNotMatch(s2.stderr(), /has no effect/);
});

// Tests leave nothing in the temp directory: runs test files that make temp folders with TMPDIR
// pointing at a fresh folder, then checks that folder is empty again. (tests/serve is checked by its
// owners.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FILES = ['tests/host/wasi_files.test.js', 'tests/alerts/which.test.js', 'tests/cli/templates-baseline.test.js'];

test('test files clean up their temp folders', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lad-tmpcheck-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env = { ...process.env, TMPDIR: dir };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', ...FILES], { cwd: ROOT, env, encoding: 'utf8', timeout: 300000 });
  assert.equal(r.status, 0, r.stdout.slice(-3000) + r.stderr);
  assert.deepEqual(readdirSync(dir), [], 'left in the temp directory');
});

// npm test runs the Node tests through scripts/test-node.js, which gives them a temp directory of
// their own and fails the run when anything is left in it (issue 12, item 3). This checks that
// guard on two tiny test files: one that cleans up, one that leaves a folder behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function runGuard(t, body) {
  const dir = mkdtempSync(join(tmpdir(), 'lad-guard-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'fixture.test.mjs');
  writeFileSync(file, `import { test } from 'node:test';\nimport * as fs from 'node:fs';\nimport * as os from 'node:os';\nimport * as path from 'node:path';\ntest('fixture', () => { ${body} });\n`);
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return spawnSync(process.execPath, [join(ROOT, 'scripts/test-node.js'), file], { cwd: ROOT, env, encoding: 'utf8', timeout: 60000 });
}

test('npm test fails when a test leaves something in the temp directory, and names it', (t) => {
  const dirty = runGuard(t, `fs.mkdtempSync(path.join(os.tmpdir(), 'lad-leak-'));`);
  assert.equal(dirty.status, 1, dirty.stdout + dirty.stderr);
  assert.match(dirty.stderr, /test-node: the tests left 1 item\(s\) in the temp directory: lad-leak-/);
  const clean = runGuard(t, `const d = fs.mkdtempSync(path.join(os.tmpdir(), 'lad-ok-')); fs.rmSync(d, { recursive: true });`);
  assert.equal(clean.status, 0, clean.stdout + clean.stderr);
  assert.doesNotMatch(clean.stderr, /left/);
});

test('npm test runs the Node tests through the temp-directory guard', () => {
  const pkg = JSON.parse(spawnSync(process.execPath, ['-e', 'process.stdout.write(require("fs").readFileSync("package.json","utf8"))'], { cwd: ROOT, encoding: 'utf8' }).stdout);
  assert.match(pkg.scripts['test:node'], /^node scripts\/test-node\.js/);
});

// The browser test skips (one line saying how to run it) when Chromium is missing outside CI, and
// fails under CI=true (.ci/run sets it and installs Chromium). Runs it with a browser path that
// does not exist, so no browser starts here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'browser.test.js');

function run(ci) {
  const env = { ...process.env, LAD_CHROMIUM: '/nonexistent/chromium' };
  delete env.CI;
  delete env.NODE_TEST_CONTEXT; // run it as a top-level test run of its own
  if (ci !== undefined) env.CI = ci;
  return spawnSync(process.execPath, ['--test', '--test-reporter=tap', file], { env, encoding: 'utf8', timeout: 60000 });
}

test('browser test: skipped with a how-to line outside CI, a failure with CI=true', () => {
  const local = run(undefined);
  assert.equal(local.status, 0, local.stdout + local.stderr);
  assert.match(local.stdout, /# SKIP no Chromium at \/nonexistent\/chromium; to run it, install Chromium/);
  assert.match(local.stdout, /# skipped 1/);
  const ci = run('true');
  assert.notEqual(ci.status, 0, 'CI=true and no browser must fail');
  assert.match(ci.stdout, /# fail 1/);
  assert.match(ci.stdout, /Chromium not found at \/nonexistent\/chromium with CI=true/);
});

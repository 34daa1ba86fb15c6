#!/usr/bin/env node
// Runs the Node tests (node --test, one file at a time) with TMPDIR pointing at a fresh folder of
// their own, then fails if anything was left in it: a test run must not litter the temp directory.
// Usage: node scripts/test-node.js [test files or folders...]   (default: tests/)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const paths = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'lad-test-tmp-'));
const env = { ...process.env, TMPDIR: dir, TMP: dir, TEMP: dir };
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...(paths.length ? paths : ['tests/'])],
  { cwd: ROOT, env, stdio: 'inherit' });
let left = [];
try { left = readdirSync(dir); } catch { /* removed by a test: nothing left */ }
rmSync(dir, { recursive: true, force: true });
let code = r.status ?? 1;
if (r.error) { console.error(`test-node: cannot run node --test: ${r.error.message}`); code = 1; }
if (left.length) {
  console.error(`test-node: the tests left ${left.length} item(s) in the temp directory: ${left.slice(0, 20).join(', ')}${left.length > 20 ? ', ...' : ''}`);
  if (code === 0) code = 1;
}
process.exit(code);

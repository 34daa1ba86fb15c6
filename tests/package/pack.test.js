// The npm package works when installed: `npm pack` carries dist/, build/lad.wasm (for Fluent Bit
// users) and the examples, not the tests or sources; installed into a temp folder (offline), its
// `lad` analyses a file and writes an HTML report. npm test builds first, so the pack here skips
// the prepack build (checked separately to be there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
// The user's npm: under `npm test`, PATH starts with node_modules/.bin, which holds an old npm (6)
// brought in by a dependency (nested `npm run` scripts run it too); call npm from PATH without those
// folders.
const PATH = (process.env.PATH ?? '').split(':').filter((d) => !/node_modules[\\/]\.bin$/.test(d)).join(':');
const env = { ...process.env, PATH, npm_config_update_notifier: 'false' };
for (const k of Object.keys(env)) if (/^npm_(execpath|node_execpath|lifecycle|package|config_(?!update_notifier))/.test(k)) delete env[k];
const npm = (args, cwd) => spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 180000, env });

test('package.json: a files list and a prepack build', () => {
  assert.equal(pkg.scripts.prepack, 'npm run build');
  assert.ok(pkg.files.includes('build/lad.wasm') && pkg.files.includes('dist/'), JSON.stringify(pkg.files));
});

test('npm pack + install into a temp folder: lad runs from the installed package', (t) => {
  assert.ok(existsSync(join(ROOT, 'build', 'lad.wasm')) && existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'run npm run build first');
  const dir = mkdtempSync(join(tmpdir(), 'lad-pack-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const p = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
  assert.equal(p.status, 0, p.stderr);
  const info = JSON.parse(p.stdout)[0];
  const files = info.files.map((f) => f.path);
  for (const f of ['build/lad.wasm', 'dist/cli/main.js', 'dist/module/module.js', 'package.json', 'README.md', 'fluent-bit.conf.example', 'lad.json.example']) assert.ok(files.includes(f), `tarball has ${f}`);
  for (const f of files) assert.doesNotMatch(f, /^(tests|assembly|src|scripts|samples|node_modules)\//, `tarball must not carry ${f}`);
  assert.ok(files.length < 80, `${files.length} files`);

  const app = join(dir, 'app');
  spawnSync('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  const tgz = join(dir, info.filename);
  const common = ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save'];
  // From the npm cache when it holds the dependencies, else from this checkout's node_modules.
  let r = npm([...common, tgz], app);
  if (r.status !== 0) {
    const deps = Object.keys(pkg.dependencies).map((d) => join(ROOT, 'node_modules', d));
    r = npm([...common, '--install-links', tgz, ...deps], app);
  }
  if (r.status !== 0) {
    const why = (r.stderr || r.error?.message || '').split('\n').find((l) => /error/i.test(l)) ?? `exit ${r.status}`;
    process.stderr.write(`package install test skipped: npm cannot install offline here (${why})\n`);
    t.skip(`npm cannot install offline: ${why}`);
    return;
  }
  const bin = join(app, 'node_modules', '.bin', 'lad');
  assert.ok(existsSync(join(app, 'node_modules', 'lad', 'build', 'lad.wasm')), 'lad.wasm installed for Fluent Bit users');
  const sample = join(ROOT, 'samples', 'syslog-sample.log');
  const html = join(dir, 'r.html');
  const a = spawnSync(bin, ['analyze', sample, '--json', '--fail-on', 'never', '-o', html], { cwd: app, encoding: 'utf8', timeout: 120000, env: { ...process.env, LAD_WASM: '' } });
  assert.equal(a.status, 0, a.stderr);
  assert.equal(JSON.parse(a.stdout).total_lines, 11410);
  assert.match(readFileSync(html, 'utf8'), /uPlot/);
  const v = spawnSync(bin, ['-V'], { encoding: 'utf8' });
  assert.equal(v.stdout.trim(), pkg.version);
});

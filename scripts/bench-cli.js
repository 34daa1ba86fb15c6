#!/usr/bin/env node
// End-to-end speed of `lad analyze`: generates a 1M-line syslog file and a 1M-line JSON-lines file
// (into the OS temp dir, reused across runs) and times the CLI on each, several runs, best kept.
// Prints wall-clock lines/s (whole process: start-up, module compile, replay, report) and the
// replay-only rate the CLI itself measures. Target: >= 500,000 lines/s end to end.
//
//   node scripts/bench-cli.js [--lines N] [--runs N] [--keep]
import { existsSync, statSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syslogLines, jsonLines, writeLines } from './make-samples.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : def; };
const LINES = opt('--lines', 1_000_000);
const RUNS = opt('--runs', 3);
const cli = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(cli)) { console.error('bench-cli: dist/cli/main.js missing: run npm run build first'); process.exit(2); }

function* take(gen, n) { let i = 0; for (const l of gen) { if (i++ >= n) return; yield l; } }

async function ensure(name, make) {
  const file = join(tmpdir(), `lad-bench-${name}-${LINES}.log`);
  if (!existsSync(file) || statSync(file).size === 0) {
    const t = Date.now();
    await writeLines(file, take(make(), LINES));
    console.log(`generated ${file} (${(statSync(file).size / 1e6).toFixed(0)} MB) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  return file;
}

// Enough minutes for LINES lines at the generators' rates (x5 scale), incidents recur daily.
const files = {
  syslog: await ensure('syslog', () => syslogLines({ seed: 1, minutes: 1e7, scale: 5 })),
  json: await ensure('json', () => jsonLines({ seed: 2, minutes: 1e7, scale: 5 })),
};

const results = [];
for (const [name, file] of Object.entries(files)) {
  let best = null;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [cli, 'analyze', file, '--quiet', '--json', '--fail-on', 'never', '--no-progress', '--no-alerts'],
      { encoding: 'utf8', maxBuffer: 64 << 20 });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) { console.error(`bench-cli: lad analyze failed (${r.status}): ${r.stderr}`); process.exit(1); }
    const s = JSON.parse(r.stdout);
    const run = { wall, lines: s.total_lines, replay: s.lines_per_second, module: s.module_seconds, cpu: s.cpu_seconds, anomalies: s.anomalies.total };
    if (!best || run.wall < best.wall) best = run;
  }
  const mb = statSync(file).size / 1e6;
  const rate = best.lines / best.wall;
  results.push({ input: name, lines: best.lines, mb: Math.round(mb), wall_s: Number(best.wall.toFixed(3)), lines_per_s: Math.round(rate), mb_per_s: Math.round(mb / best.wall), replay_lines_per_s: best.replay, module_s: best.module, cpu_s: best.cpu, lines_per_cpu_s: Math.round(best.lines / best.cpu), anomalies: best.anomalies });
  console.log(`lad analyze ${name.padEnd(6)} ${best.lines.toLocaleString('en-US')} lines (${Math.round(mb)} MB): ${best.wall.toFixed(2)} s wall = ${Math.round(rate).toLocaleString('en-US')} lines/s (${Math.round(mb / best.wall)} MB/s); replay only ${best.replay.toLocaleString('en-US')} lines/s, ${best.module.toFixed(2)} s in lad_batch, ${Math.round(best.lines / best.cpu).toLocaleString('en-US')} lines per CPU-second; ${best.anomalies} anomalies  [${rate >= 500000 ? 'OK' : 'BELOW 500k target'}]`);
}
if (args.includes('--json')) console.log(JSON.stringify(results));
if (args.includes('--clean')) for (const f of Object.values(files)) rmSync(f, { force: true });

#!/usr/bin/env node
// npm run bench: records/s of the whole filter (parse + mine + detect) through the Fluent Bit-style
// host (malloc, copy, call, strdup, free per record), for a syslog, an nginx and a JSON stream;
// then the `lad analyze` replay speed when scripts/bench-cli.js is present.
// First, the deterministic part: instructions executed per record by stage and stream shape, with
// the budget of each stage (scripts/bench-count.js); BENCH_COUNT_ONLY=1 stops after it.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { LadModule } from '../dist/module/module.js';

{
  const res = spawnSync(process.execPath, ['--no-warnings', new URL('./bench-count.js', import.meta.url).pathname, '--scale'], { stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
  if (process.env.BENCH_COUNT_ONLY === '1') process.exit(0);
  console.log('');
}

const N = Number(process.env.BENCH_RECORDS ?? 300_000);
const enc = new TextEncoder();

function rng(seed) { let s = seed >>> 0; return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296); }
const r = rng(42);
const pick = (a) => a[Math.floor(r() * a.length)];
const ip = () => `${10 + Math.floor(r() * 200)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`;
const months = ['Jan', 'Feb', 'Mar'];

const shapes = {
  syslog: (i) => ({ log: `${pick(months)} ${String(1 + (i % 28)).padStart(2)} 12:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')} web-${i % 5} ${pick(['sshd', 'cron', 'kernel', 'systemd'])}[${1000 + (i % 3000)}]: ${pick([
    `Accepted publickey for user${i % 40} from ${ip()} port ${1024 + (i % 60000)} ssh2`,
    `Failed password for invalid user admin from ${ip()} port ${2000 + (i % 50000)} ssh2`,
    `pam_unix(cron:session): session opened for user root by (uid=0)`,
    `Started Session ${i} of user www-data.`,
    `eth0: link up, 1000 Mbps, full duplex`,
  ])}` }),
  nginx: (i) => ({ log: `${ip()} - - [15/Jan/2024:14:${String(i % 60).padStart(2, '0')}:${String((i * 3) % 60).padStart(2, '0')} +0000] "${pick(['GET', 'POST'])} /api/v1/${pick(['users', 'orders', 'items'])}/${i % 9999} HTTP/1.1" ${pick([200, 200, 200, 201, 304, 404, 500])} ${100 + (i % 5000)} "-" "Mozilla/5.0 (X11; Linux x86_64)"` }),
  json: (i) => ({ time: new Date(1705329135000 + i * 10).toISOString(), level: pick(['info', 'info', 'info', 'debug', 'warn', 'error']), msg: pick([
    `request completed in ${i % 900}ms`, `user ${i % 500} logged in`, `cache miss for key session:${i}`, `db query took ${i % 70}ms rows=${i % 13}`,
  ]), service: 'checkout', trace_id: (i * 2654435761 >>> 0).toString(16) }),
};

console.log(`filter through the Fluent Bit-style host, ${N.toLocaleString()} records per stream (target >= 200,000 records/s)`);
let worst = Infinity;
for (const [name, gen] of Object.entries(shapes)) {
  const records = Array.from({ length: 20_000 }, (_, i) => enc.encode(JSON.stringify(gen(i))));
  const h = await LadModule.create('build/lad.wasm');
  const tag = enc.encode(`bench.${name}`);
  for (let i = 0; i < 20_000; i++) h.filterBytes(tag, 1705329135 + (i >> 6), 0, records[i]); // warm-up (JIT)
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) h.filterBytes(tag, 1705329135 + (i >> 6), 0, records[i % records.length]);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const rps = N / secs;
  worst = Math.min(worst, rps);
  console.log(`  ${name.padEnd(7)} ${Math.round(rps).toLocaleString().padStart(10)} records/s  (${(1e6 / rps).toFixed(2)} us/record, ${h.traps} traps)`);
}
console.log(`  slowest ${Math.round(worst).toLocaleString()} records/s`);

if (existsSync(new URL('./bench-cli.js', import.meta.url))) {
  const res = spawnSync(process.execPath, [new URL('./bench-cli.js', import.meta.url).pathname], { stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

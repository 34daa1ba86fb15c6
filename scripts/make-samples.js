#!/usr/bin/env node
// Generates the bundled sample logs (deterministic: fixed seed), each with one obvious incident:
//   samples/syslog-sample.log  syslog of one web host (rsyslog's RFC 3339 stamps), 4 hours, ~11k lines
//   samples/app-sample.jsonl   JSON-lines logs of a checkout service, 4 hours, ~7k lines
// Incident (both files): 10:30-10:40 a traffic surge (access lines x6), 10:36-10:44 an error burst
// (database pool exhausted: timeouts, 502/504s, a new "remaining connection slots" pattern, OOM).
// Also used by scripts/bench-cli.js to write big files: import { writeSyslog, writeJson }.
//
//   node scripts/make-samples.js            # rewrite samples/
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** mulberry32: small, fast, deterministic. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n) => (n < 10 ? '0' + n : '' + n);

function syslogTime(d) {
  const day = d.getUTCDate();
  return `${MON[d.getUTCMonth()]} ${day < 10 ? ' ' + day : day} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}
/** rsyslog's RFC 3339 file format (RSYSLOG_FileFormat): carries the year, so the sample's syslog
 *  stamps agree with the year in its nginx lines whatever the file's modification time. */
function rfc3339Time(d) {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}
function clfTime(d) {
  return `${p2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}
function nginxErrTime(d) {
  return `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** Poisson-ish count with mean m (normal approximation, never negative). */
function count(r, m) {
  if (m <= 0) return 0;
  const u = Math.max(1e-9, r()), v = r();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.max(0, Math.round(m + z * Math.sqrt(m)));
}

const pick = (r, a) => a[Math.floor(r() * a.length)];
const int = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1));

const PATHS = ['/', '/api/products', '/api/products/{id}', '/api/cart', '/api/orders/{id}', '/api/checkout', '/static/app.{h}.js', '/static/style.{h}.css', '/healthz', '/api/search?q=shoes', '/login'];
const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'curl/8.5.0', 'Go-http-client/1.1', 'kube-probe/1.29'];
const USERS = ['deploy', 'alice', 'bob', 'ci-runner', 'backup'];

function ip(r) { return `10.0.${int(r, 0, 9)}.${int(r, 2, 254)}`; }
function pubIp(r) { return `${pick(r, ['203.0.113', '198.51.100', '192.0.2'])}.${int(r, 2, 254)}`; }
function hex(r, n) { let s = ''; for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)]; return s; }
function path(r) {
  return pick(r, PATHS).replace('{id}', String(int(r, 1000, 99999))).replace('{h}', hex(r, 8));
}

/** The incident windows, as minutes from the start (start = 08:00). */
export const INCIDENT = { surgeFrom: 150, surgeTo: 160, errFrom: 156, errTo: 164 };

/** Syslog lines for one host. opts: { seed, start (Date), minutes, scale (x lines/min) }. */
export function* syslogLines({ seed = 42, start = new Date(Date.UTC(2024, 2, 12, 8, 0, 0)), minutes = 240, scale = 1, incident = INCIDENT, stamp = 'rfc3164' } = {}) {
  const r = rng(seed);
  const host = 'web-01';
  const pids = { nginx: 1123, checkout: 2231, postgres: 812, sshd: 977, cron: 0 };
  let uptime = 86400 * 3 + 1234.5;
  for (let m = 0; m < minutes; m++) {
    const mi = m % 1440;
    const surge = mi >= incident.surgeFrom && mi < incident.surgeTo;
    const burst = mi >= incident.errFrom && mi < incident.errTo;
    const daily = 1 + 0.25 * Math.sin((m / 240) * Math.PI);
    const events = [];
    const add = (n, f) => { for (let i = 0; i < n; i++) events.push([r() * 60, f]); };
    add(count(r, 18 * daily * scale * (surge ? 6 : 1)), 'access');
    add(count(r, 9 * daily * scale * (surge ? 3 : 1)), 'app');
    add(count(r, 4 * scale), 'postgres');
    add(count(r, 3 * scale), 'sshd');
    add(count(r, 1.5 * scale), 'system');
    add(count(r, 0.6 * scale), 'kernel');
    if (m % 5 === 0) add(1, 'cron');
    if (burst) add(count(r, 40 * scale), 'incident');
    events.sort((a, b) => a[0] - b[0]);
    for (const [sec, kind] of events) {
      const d = new Date(start.getTime() + m * 60000 + Math.floor(sec * 1000));
      const ts = stamp === 'rfc3339' ? rfc3339Time(d) : syslogTime(d);
      uptime += 0.37;
      let line;
      switch (kind) {
        case 'access': {
          const st = burst && r() < 0.45 ? pick(r, [502, 504, 504, 503]) : r() < 0.03 ? 404 : r() < 0.01 ? 500 : 200;
          const meth = r() < 0.8 ? 'GET' : 'POST';
          line = `${ts} ${host} nginx[${pids.nginx}]: ${ip(r)} - - [${clfTime(d)}] "${meth} ${path(r)} HTTP/1.1" ${st} ${int(r, 120, 48000)} "-" "${pick(r, AGENTS)}"`;
          break;
        }
        case 'app': {
          const x = r();
          const order = int(r, 10000, 99999);
          if (x < 0.45) line = `${ts} ${host} checkout[${pids.checkout}]: INFO order ${order} created for customer ${int(r, 100, 9999)} in ${int(r, 12, 180)} ms`;
          else if (x < 0.75) line = `${ts} ${host} checkout[${pids.checkout}]: INFO payment authorized order=${order} amount=${int(r, 5, 400)}.${p2(int(r, 0, 99))} EUR`;
          else if (x < 0.9) line = `${ts} ${host} checkout[${pids.checkout}]: INFO cache refresh completed: ${int(r, 100, 5000)} products in ${int(r, 20, 900)} ms`;
          else if (x < 0.985) line = `${ts} ${host} checkout[${pids.checkout}]: WARN slow query took ${int(r, 1000, 3000)} ms: SELECT id, total FROM orders WHERE customer_id = ${int(r, 100, 9999)}`;
          else line = `${ts} ${host} checkout[${pids.checkout}]: ERROR payment gateway returned 502 for order ${order}, retrying`;
          break;
        }
        case 'postgres': {
          const x = r();
          if (x < 0.5) line = `${ts} ${host} postgres[${pids.postgres}]: LOG:  duration: ${(r() * 900 + 50).toFixed(3)} ms  statement: SELECT * FROM products WHERE id = ${int(r, 1, 5000)}`;
          else if (x < 0.8) line = `${ts} ${host} postgres[${pids.postgres}]: LOG:  checkpoint starting: time`;
          else line = `${ts} ${host} postgres[${pids.postgres}]: LOG:  checkpoint complete: wrote ${int(r, 100, 3000)} buffers (${(r() * 20).toFixed(1)}%); 0 WAL file(s) added, 0 removed, ${int(r, 0, 3)} recycled`;
          break;
        }
        case 'sshd': {
          const x = r(), port = int(r, 32768, 60999), u = pick(r, USERS);
          const pid = pids.sshd + int(r, 1, 20000);
          if (x < 0.35) line = `${ts} ${host} sshd[${pid}]: Accepted publickey for ${u} from ${ip(r)} port ${port} ssh2: ED25519 SHA256:${hex(r, 16)}`;
          else if (x < 0.6) line = `${ts} ${host} sshd[${pid}]: pam_unix(sshd:session): session opened for user ${u}(uid=${int(r, 1000, 1010)}) by (uid=0)`;
          else if (x < 0.85) line = `${ts} ${host} sshd[${pid}]: Received disconnect from ${ip(r)} port ${port}:11: disconnected by user`;
          else line = `${ts} ${host} sshd[${pid}]: Invalid user ${pick(r, ['admin', 'test', 'oracle', 'ubuntu'])} from ${pubIp(r)} port ${port}`;
          break;
        }
        case 'system': {
          const x = r();
          if (x < 0.4) line = `${ts} ${host} systemd[1]: Started Session ${int(r, 100, 9999)} of User ${pick(r, USERS)}.`;
          else if (x < 0.7) line = `${ts} ${host} systemd-logind[${int(r, 500, 520)}]: New session ${int(r, 100, 9999)} of user ${pick(r, USERS)}.`;
          else if (x < 0.9) line = `${ts} ${host} dhclient[${int(r, 600, 620)}]: DHCPREQUEST for 10.0.0.12 on eth0 to 10.0.0.1 port 67`;
          else line = `${ts} ${host} systemd[1]: logrotate.service: Deactivated successfully.`;
          break;
        }
        case 'kernel': {
          const x = r();
          if (x < 0.6) line = `${ts} ${host} kernel: [${uptime.toFixed(6)}] IPv4: martian source 10.0.0.255 from 10.0.0.${int(r, 2, 254)}, on dev eth0`;
          else line = `${ts} ${host} kernel: [${uptime.toFixed(6)}] TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.`;
          break;
        }
        case 'cron':
          line = `${ts} ${host} CRON[${int(r, 20000, 40000)}]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)`;
          break;
        case 'incident': {
          const x = r();
          if (x < 0.4) line = `${ts} ${host} checkout[${pids.checkout}]: ERROR database connection failed: timeout after 5000 ms (pool=orders, active=50/50)`;
          else if (x < 0.6) line = `${ts} ${host} postgres[${pids.postgres + int(r, 1, 900)}]: FATAL:  remaining connection slots are reserved for non-replication superuser connections`;
          else if (x < 0.85) line = `${ts} ${host} nginx[${pids.nginx}]: ${nginxErrTime(d)} [error] ${pids.nginx}#${pids.nginx}: *${int(r, 1000, 99999)} upstream timed out (110: Connection timed out) while reading response header from upstream, client: ${ip(r)}, server: shop.example.com, request: "POST /api/checkout HTTP/1.1", upstream: "http://127.0.0.1:8080/api/checkout"`;
          else if (x < 0.97) line = `${ts} ${host} checkout[${pids.checkout}]: ERROR order ${int(r, 10000, 99999)} failed: could not obtain connection from pool within 5000 ms`;
          else line = `${ts} ${host} kernel: [${uptime.toFixed(6)}] Out of memory: Killed process ${int(r, 3000, 9000)} (java) total-vm:${int(r, 7000000, 9000000)}kB, anon-rss:${int(r, 5000000, 6500000)}kB`;
          break;
        }
      }
      yield line;
    }
  }
}

/** JSON-lines records of the checkout service, same incident. */
export function* jsonLines({ seed = 7, start = new Date(Date.UTC(2024, 2, 12, 8, 0, 0)), minutes = 240, scale = 1, incident = INCIDENT } = {}) {
  const r = rng(seed);
  for (let m = 0; m < minutes; m++) {
    const mi = m % 1440;
    const surge = mi >= incident.surgeFrom && mi < incident.surgeTo;
    const burst = mi >= incident.errFrom && mi < incident.errTo;
    const n = count(r, 28 * scale * (surge ? 5 : 1)) + (burst ? count(r, 35 * scale) : 0);
    const secs = [];
    for (let i = 0; i < n; i++) secs.push(r() * 60);
    secs.sort((a, b) => a - b);
    for (const s of secs) {
      const d = new Date(start.getTime() + m * 60000 + Math.floor(s * 1000));
      const trace = hex(r, 16);
      const x = r();
      let rec;
      if (burst && x < 0.5) {
        const y = r();
        rec = y < 0.5
          ? { level: 'error', logger: 'db.pool', msg: 'database connection failed: timeout after 5000 ms', pool: 'orders', active: 50, max: 50 }
          : y < 0.8
            ? { level: 'error', logger: 'http', msg: `POST /api/checkout failed with status 504 after ${int(r, 5000, 5100)} ms`, status: 504 }
            : { level: 'fatal', logger: 'db.pool', msg: 'circuit breaker opened for datasource orders after 20 consecutive failures' };
      } else if (x < 0.5) {
        rec = { level: 'info', logger: 'http', msg: `${pick(r, ['GET', 'GET', 'POST'])} ${path(r).replace(/\?.*/, '')} completed with status 200 in ${int(r, 3, 250)} ms`, status: 200, duration_ms: int(r, 3, 250) };
      } else if (x < 0.7) {
        rec = { level: 'info', logger: 'orders', msg: `order ${int(r, 10000, 99999)} created`, customer_id: int(r, 100, 9999), items: int(r, 1, 6) };
      } else if (x < 0.85) {
        rec = { level: 'info', logger: 'payments', msg: `payment authorized for order ${int(r, 10000, 99999)}`, amount: Number((r() * 400 + 5).toFixed(2)), currency: 'EUR' };
      } else if (x < 0.95) {
        rec = { level: 'debug', logger: 'cache', msg: `cache hit ratio ${(0.8 + r() * 0.19).toFixed(3)} over ${int(r, 1000, 9000)} lookups` };
      } else if (x < 0.99) {
        rec = { level: 'warn', logger: 'db', msg: `slow query took ${int(r, 1000, 3000)} ms`, table: 'orders' };
      } else {
        rec = { level: 'error', logger: 'payments', msg: `payment gateway returned 502 for order ${int(r, 10000, 99999)}, retrying`, status: 502 };
      }
      yield JSON.stringify({ timestamp: d.toISOString(), service: 'checkout', host: `checkout-${int(r, 1, 3)}`, trace_id: trace, ...rec });
    }
  }
}

/** Writes lines from a generator to a file; resolves to the line count. */
export async function writeLines(file, gen) {
  mkdirSync(dirname(file), { recursive: true });
  const out = createWriteStream(file);
  let n = 0;
  let buf = [];
  for (const line of gen) {
    buf.push(line);
    n++;
    if (buf.length === 4096) {
      if (!out.write(buf.join('\n') + '\n')) await new Promise((r) => out.once('drain', r));
      buf = [];
    }
  }
  if (buf.length) out.write(buf.join('\n') + '\n');
  await new Promise((res, rej) => out.end((e) => (e ? rej(e) : res())));
  return n;
}

async function main() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const a = await writeLines(join(root, 'samples', 'syslog-sample.log'), syslogLines({ stamp: 'rfc3339' }));
  const b = await writeLines(join(root, 'samples', 'app-sample.jsonl'), jsonLines());
  console.log(`samples/syslog-sample.log: ${a} lines; samples/app-sample.jsonl: ${b} lines`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();

// Deterministic record streams for the benchmarks (npm run bench) and the golden check: Fluent Bit
// record bodies (JSON objects) as `tail` + a parser would hand them to the filter.
const enc = new TextEncoder();

export function rng(seed) { let s = seed >>> 0; return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296); }

const pad2 = (n) => String(n).padStart(2, '0');
// every stream advances at 100 records/s from 2024-01-15T14:32:15Z (monotonic, as real logs are)
const T0 = 1705329135000;
const at = (i) => new Date(T0 + i * 10);
const hms = (d) => `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;

/** name -> (i, r) => record object; r is the shape's own seeded generator. */
export const SHAPES = {
  syslog: (i, r) => {
    const pick = (a) => a[Math.floor(r() * a.length)];
    const ip = () => `${10 + Math.floor(r() * 200)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`;
    return { log: `Jan 15 ${hms(at(i))} web-${i % 5} ${pick(['sshd', 'cron', 'kernel', 'systemd'])}[${1000 + (i % 3000)}]: ${pick([
      `Accepted publickey for user${i % 40} from ${ip()} port ${1024 + (i % 60000)} ssh2`,
      `Failed password for invalid user admin from ${ip()} port ${2000 + (i % 50000)} ssh2`,
      'pam_unix(cron:session): session opened for user root by (uid=0)',
      `Started Session ${i} of user www-data.`,
      'eth0: link up, 1000 Mbps, full duplex',
    ])}` };
  },
  nginx: (i, r) => {
    const pick = (a) => a[Math.floor(r() * a.length)];
    const ip = `${10 + Math.floor(r() * 200)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`;
    return { log: `${ip} - - [15/Jan/2024:${hms(at(i))} +0000] "${pick(['GET', 'POST'])} /api/v1/${pick(['users', 'orders', 'items'])}/${i % 9999} HTTP/1.1" ${pick([200, 200, 200, 201, 304, 404, 500])} ${100 + (i % 5000)} "-" "Mozilla/5.0 (X11; Linux x86_64)"` };
  },
  json_const: (i, r) => {
    const pick = (a) => a[Math.floor(r() * a.length)];
    return { time: at(i).toISOString(), level: pick(['info', 'info', 'info', 'debug', 'warn', 'error']), msg: pick([
      'request completed', 'user logged in', 'cache miss', 'connection pool exhausted', 'retrying upstream request',
      'health check ok', 'config reloaded', 'payment authorized', 'session expired', 'rate limit exceeded',
    ]), service: 'checkout', trace_id: ((i * 2654435761) >>> 0).toString(16) };
  },
  json_var: (i, r) => {
    const pick = (a) => a[Math.floor(r() * a.length)];
    return { time: at(i).toISOString(), level: pick(['info', 'info', 'info', 'debug', 'warn', 'error']), msg: pick([
      `request completed in ${i % 900}ms`, `user ${i % 500} logged in`, `cache miss for key session:${i}`, `db query took ${i % 70}ms rows=${i % 13}`,
    ]), service: 'checkout', trace_id: ((i * 2654435761) >>> 0).toString(16) };
  },
  logfmt: (i, r) => {
    const pick = (a) => a[Math.floor(r() * a.length)];
    return { log: `time=${at(i).toISOString()} level=${pick(['info', 'info', 'debug', 'warn', 'error'])} msg="${pick([
      `handled request path=/api/v1/items/${i % 400}`, 'worker started', `flushed ${i % 300} rows`, 'lease renewed', `retry ${i % 5} of 5`,
    ])}" component=${pick(['api', 'worker', 'scheduler'])} duration_ms=${i % 250}` };
  },
  cri: (i, r) => {
    const pick = (a) => a[Math.floor(r() * a.length)];
    return { log: `${at(i).toISOString().slice(0, 19)}.${String(at(i).getUTCMilliseconds()).padStart(3, '0')}${String(100000 + (i * 7919) % 900000)}Z ${pick(['stdout', 'stdout', 'stderr'])} F ${pick([
      `GET /healthz 200 ${i % 40}ms`, `I0115 14:32:15.123456       1 controller.go:${100 + (i % 50)}] Reconciling pod default/web-${i % 7}`,
      'Starting worker loop', `error: dial tcp 10.0.${i % 4}.${i % 200}:5432: connect: connection refused`,
    ])}` };
  },
};

/** `n` records of a shape, JSON-encoded bytes (deterministic: seed from the shape's name). */
export function shapeRecords(name, n, seed = 42) {
  const r = rng(seed + [...name].reduce((a, c) => a * 31 + c.charCodeAt(0), 7));
  const gen = SHAPES[name];
  const out = [];
  for (let i = 0; i < n; i++) out.push(enc.encode(JSON.stringify(gen(i, r))));
  return out;
}

/** A mixed stream: the shapes round-robin, each under its own tag. [{tag, rec}] */
export function mixedRecords(n, seed = 42) {
  const names = Object.keys(SHAPES);
  const per = Math.ceil(n / names.length);
  const recs = Object.fromEntries(names.map((k) => [k, shapeRecords(k, per, seed)]));
  const out = [];
  for (let i = 0; i < n; i++) { const k = names[i % names.length]; out.push({ tag: enc.encode(`bench.${k}`), rec: recs[k][Math.floor(i / names.length)] }); }
  return out;
}

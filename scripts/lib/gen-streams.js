// Seeded synthetic log streams for the detection evaluation: several realistic shapes (nginx access
// log, JSON application log, syslog with sshd/cron/kernel, a low-volume worker), daily seasonality,
// over-dispersed noise (per-minute gamma multipliers and a slow day-to-day drift), benign periodic
// activity, and injected incidents of every kind the detectors must catch — plus benign changes
// they must not alert on. Everything derives from one seed.

// ---------------------------------------------------------------- random numbers
export function rng(seed) {
  // sfc32 seeded through splitmix32
  let s = seed >>> 0;
  const sm = () => { s = (s + 0x9e3779b9) >>> 0; let z = s; z = Math.imul(z ^ (z >>> 16), 0x85ebca6b); z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35); return (z ^ (z >>> 16)) >>> 0; };
  let a = sm(), b = sm(), c = sm(), d = sm();
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  const r = {
    u: next,
    int: (n) => Math.floor(next() * n),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    normal: () => { let u = 0, v = 0; while (u === 0) u = next(); v = next(); return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v); },
    poisson: (lam) => {
      if (lam <= 0) return 0;
      if (lam > 40) return Math.max(0, Math.round(lam + Math.sqrt(lam) * r.normal()));
      let L = Math.exp(-lam), k = 0, p = 1;
      do { k++; p *= next(); } while (p > L);
      return k - 1;
    },
    // gamma(shape k, scale 1), Marsaglia-Tsang
    gamma: (k) => {
      if (k < 1) return r.gamma(k + 1) * Math.pow(next(), 1 / k);
      const d = k - 1 / 3, c = 1 / Math.sqrt(9 * d);
      for (;;) {
        let x, v;
        do { x = r.normal(); v = 1 + c * x; } while (v <= 0);
        v = v * v * v;
        const u = next();
        if (u < 1 - 0.0331 * x * x * x * x) return d * v;
        if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
      }
    },
    hex: (n) => { let s = ''; for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(next() * 16)]; return s; },
  };
  return r;
}

// ---------------------------------------------------------------- formatting helpers
export const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const p2 = (n) => String(n).padStart(2, '0');
export function clf(ms) { // 15/Jan/2024:14:32:15 +0000
  const d = new Date(ms);
  return `${p2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}
export function bsd(ms) { // Jan 15 14:32:15
  const d = new Date(ms);
  return `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}
export const iso = (ms) => new Date(ms).toISOString();
export const ip = (r) => `${10 + r.int(200)}.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}`;
export const USERS = ['admin', 'root', 'test', 'oracle', 'postgres', 'ubuntu', 'git', 'deploy', 'guest', 'user1', 'pi', 'ftp'];
export const AGENTS = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 13_4) Safari/605.1.15', 'curl/8.4.0', 'okhttp/4.11.0', 'kube-probe/1.28'];

// ---------------------------------------------------------------- stream shapes
// Each template: key (ground-truth identity), weight, level, gen(r, ms) -> message.
// A stream: tag, base rate (records/s), daily amplitude, noise CV, render(msg, level, ms, r) -> record JSON.

function accessLine(r, ms, method, path, status, bytes) {
  return `${ip(r)} - - [${clf(ms)}] "${method} ${path} HTTP/1.1" ${status} ${bytes} "-" "${r.pick(AGENTS)}"`;
}

function webTemplates() {
  const t = (key, weight, method, pathFn, statusFn) => ({
    key, weight, level: 'info',
    gen: (r, ms) => { const st = statusFn(r); return { msg: accessLine(r, ms, method, pathFn(r), st, 200 + r.int(30000)), status: st }; },
  });
  const ok = () => 200;
  return [
    t('web:get_product', 30, 'GET', (r) => `/api/products/${1000 + r.int(90000)}`, ok),
    t('web:get_user', 12, 'GET', (r) => `/api/users/${r.int(50000)}`, ok),
    t('web:search', 10, 'GET', (r) => `/api/search?q=${r.hex(6)}&page=${1 + r.int(5)}`, ok),
    t('web:post_order', 5, 'POST', () => '/api/orders', () => 201),
    t('web:post_cart', 7, 'POST', (r) => `/api/cart/${r.hex(8)}/items`, ok),
    t('web:static_js', 14, 'GET', (r) => `/static/js/app.${r.hex(8)}.js`, (r) => (r.u() < 0.3 ? 304 : 200)),
    t('web:static_css', 6, 'GET', (r) => `/static/css/main.${r.hex(8)}.css`, (r) => (r.u() < 0.3 ? 304 : 200)),
    t('web:img', 9, 'GET', (r) => `/img/p/${r.int(9000)}.jpg`, ok),
    t('web:login', 2, 'POST', () => '/api/login', (r) => (r.u() < 0.15 ? 401 : 200)),
    t('web:not_found', 2.2, 'GET', (r) => `/${r.pick(['wp-admin', 'old', '.env', 'favicon.png', 'robots.txt'])}/${r.hex(4)}`, () => 404),
    t('web:server_error', 0.25, 'GET', (r) => `/api/products/${1000 + r.int(90000)}`, (r) => r.pick([500, 502, 503])),
  ];
}

function apiTemplates() {
  const t = (key, weight, level, gen) => ({ key, weight, level, gen: (r, ms) => ({ msg: gen(r, ms) }) });
  return [
    t('api:req_done', 40, 'info', (r) => `request completed method=${r.pick(['GET', 'POST'])} path=/v1/${r.pick(['orders', 'cart', 'users', 'payments'])} status=200 duration=${5 + r.int(300)}ms`),
    t('api:cache_hit', 15, 'debug', (r) => `cache hit key=product:${r.int(90000)}`),
    t('api:cache_miss', 3, 'info', (r) => `cache miss for key product:${r.int(90000)}, loading from database`),
    t('api:db_query', 12, 'debug', (r) => `db query took ${1 + r.int(80)}ms rows=${r.int(200)}`),
    t('api:payment_ok', 4, 'info', (r) => `payment authorized order=${r.hex(12)} amount=${(r.u() * 300).toFixed(2)} currency=EUR`),
    t('api:user_login', 3, 'info', (r) => `user ${r.int(50000)} logged in from ${ip(r)}`),
    t('api:slow_req', 1.2, 'warn', (r) => `slow request path=/v1/search duration=${1200 + r.int(3000)}ms`),
    t('api:retry', 0.8, 'warn', (r) => `retrying call to inventory-service attempt=${1 + r.int(3)}`),
    t('api:db_timeout', 0.5, 'error', (r) => `database query failed: timeout after ${3000 + r.int(2000)}ms (pool=${r.int(20)}/20)`),
    t('api:upstream_502', 0.35, 'error', (r) => `upstream payment-gateway returned 502 Bad Gateway for order=${r.hex(12)}`),
    t('api:validation', 0.25, 'error', (r) => `request validation failed: field "email" invalid value "${r.hex(5)}@"`),
  ];
}

function syslogTemplates() {
  const t = (key, weight, level, prog, gen) => ({ key, weight, level, prog, gen: (r, ms) => ({ msg: gen(r, ms) }) });
  return [
    t('sys:cron', 6, 'info', 'CRON', (r) => `(root) CMD (/usr/lib/sysstat/sa1 1 1)`),
    t('sys:session_open', 3, 'info', 'systemd-logind', (r) => `New session ${r.int(9000)} of user ${r.pick(['deploy', 'alice', 'bob'])}.`),
    t('sys:ssh_accept', 2, 'info', 'sshd', (r) => `Accepted publickey for ${r.pick(['deploy', 'alice', 'bob'])} from ${ip(r)} port ${20000 + r.int(40000)} ssh2: RSA SHA256:${r.hex(20)}`),
    t('sys:ssh_fail', 1.5, 'info', 'sshd', (r) => `Failed password for invalid user ${r.pick(USERS)} from ${ip(r)} port ${20000 + r.int(40000)} ssh2`),
    t('sys:ssh_disconnect', 2.5, 'info', 'sshd', (r) => `Received disconnect from ${ip(r)} port ${20000 + r.int(40000)}:11: Bye Bye [preauth]`),
    t('sys:systemd_start', 2, 'info', 'systemd', (r) => `Started ${r.pick(['Daily apt upgrade and clean activities', 'Cleanup of Temporary Directories', 'Rotate log files'])}.`),
    t('sys:kernel_ufw', 4, 'info', 'kernel', (r) => `[UFW BLOCK] IN=eth0 OUT= MAC=${r.hex(12)} SRC=${ip(r)} DST=10.0.0.5 LEN=${40 + r.int(60)} PROTO=TCP SPT=${1024 + r.int(60000)} DPT=${r.pick([23, 445, 3389, 8080])}`),
    t('sys:ntp', 0.6, 'info', 'systemd-timesyncd', (r) => `Synchronized to time server ${ip(r)}:123 (ntp.ubuntu.com).`),
    t('sys:disk_warn', 0.15, 'warn', 'smartd', (r) => `Device: /dev/sda [SAT], SMART Usage Attribute: 194 Temperature_Celsius changed from ${30 + r.int(10)} to ${30 + r.int(10)}`),
    t('sys:oom', 0.03, 'err', 'kernel', (r) => `Out of memory: Killed process ${1000 + r.int(30000)} (java) total-vm:${r.int(9000000)}kB`),
  ];
}

function workerTemplates() {
  const t = (key, weight, level, gen) => ({ key, weight, level, gen: (r, ms) => ({ msg: gen(r, ms) }) });
  return [
    t('wrk:job_start', 3, 'info', (r) => `job ${r.hex(10)} started queue=${r.pick(['emails', 'thumbnails', 'exports'])}`),
    t('wrk:job_done', 3, 'info', (r) => `job ${r.hex(10)} finished in ${1 + r.int(90)}s`),
    t('wrk:heartbeat', 2, 'debug', (r) => `worker heartbeat pid=${1000 + r.int(100)} queue_depth=${r.int(50)}`),
    t('wrk:job_failed', 0.12, 'error', (r) => `job ${r.hex(10)} failed: SMTP connection refused by mail.example.com:587`),
  ];
}

// A harder variant to check robustness (not used for tuning): twice the noise, a night trough near
// zero, a sparse stream, benign batch bursts of one template a few times an hour.
export const HARD_STREAMS = [
  { tag: 'web.access', base: 6, amp: 1.25, cv: 0.2, templates: webTemplates(), kind: 'web' },
  { tag: 'app.api', base: 2.5, amp: 1.1, cv: 0.25, templates: apiTemplates(), kind: 'json', bursts: { key: 'api:db_query', perHour: 3, size: [15, 40] } },
  { tag: 'host.syslog', base: 0.3, amp: 0.3, cv: 0.25, templates: syslogTemplates(), kind: 'syslog', bursts: { key: 'sys:systemd_start', perHour: 1, size: [5, 12] } },
  { tag: 'app.worker', base: 0.25, amp: 0.6, cv: 0.3, templates: workerTemplates(), kind: 'json', bursts: { key: 'wrk:job_done', perHour: 2, size: [10, 25] } },
];

const SYSLOG_PRI = { info: 30, warn: 28, err: 27, error: 27 };

export const STREAMS = [
  { tag: 'web.access', base: 8, amp: 1.0, cv: 0.08, templates: webTemplates(), kind: 'web' },
  { tag: 'app.api', base: 4, amp: 0.9, cv: 0.1, templates: apiTemplates(), kind: 'json' },
  { tag: 'host.syslog', base: 0.45, amp: 0.2, cv: 0.1, templates: syslogTemplates(), kind: 'syslog' },
  { tag: 'app.worker', base: 0.3, amp: 0.4, cv: 0.15, templates: workerTemplates(), kind: 'json' },
];

function render(stream, tpl, out, level, ms, r) {
  if (stream.kind === 'web') return JSON.stringify({ log: out.msg });
  if (stream.kind === 'syslog') {
    const host = 'web-01';
    return JSON.stringify({ log: `<${SYSLOG_PRI[level] ?? 30}>${bsd(ms)} ${host} ${tpl.prog}[${100 + (tpl.key.length * 37) % 9000}]: ${out.msg}` });
  }
  return JSON.stringify({ time: iso(ms), level, msg: out.msg, logger: stream.tag === 'app.api' ? 'checkout' : 'worker' });
}

/** Truth for the direct harness: the generator's level words that are not the module's own level
 *  names (lad_describe's "levels", whose index is the level's number). */
export const LEVEL_ALIAS = { warn: 'warning', err: 'error' };

// ---------------------------------------------------------------- seasonality and noise
/** Daily shape: night trough around 04:00 UTC, daytime plateau with peaks at 11:00 and 16:00. */
export function dailyShape(hour, amp) {
  const g = (h, c, w) => Math.exp(-0.5 * Math.pow(((h - c + 36) % 24 - 12) / w, 2));
  const raw = 0.25 + 0.8 * g(hour, 11, 2.5) + 0.9 * g(hour, 16, 3) + 0.35 * g(hour, 20.5, 2);
  // normalise to mean 1 over the day, then apply amplitude
  return 1 + amp * (raw / 0.814 - 1);
}

// ---------------------------------------------------------------- incidents
// kind: what the generator does; expect: the detector types that count as catching it (any alert
// on the stream counts; the list documents intent). benign: must NOT alert.
export const INCIDENT_KINDS = [
  { kind: 'error_burst', stream: 'app.api', minutes: 10, expect: ['error_spike'] },
  { kind: 'http_5xx_burst', stream: 'web.access', minutes: 8, expect: ['error_spike'] },
  { kind: 'surge', stream: 'web.access', minutes: 15, expect: ['rate_spike'] },
  { kind: 'drop', stream: 'web.access', minutes: 20, expect: ['rate_drop'] },
  { kind: 'drop_api', stream: 'app.api', minutes: 15, expect: ['rate_drop'] },
  { kind: 'new_error_pattern', stream: 'app.api', minutes: 30, expect: ['new_pattern', 'error_spike'] },
  { kind: 'sshd_bruteforce', stream: 'host.syslog', minutes: 10, expect: ['pattern_spike', 'rate_spike'] },
  { kind: 'cache_miss_storm', stream: 'app.api', minutes: 10, expect: ['pattern_spike'] },
  { kind: 'subtle_error_rise', stream: 'app.api', minutes: 15, expect: ['error_spike'] },
  { kind: 'worker_failures', stream: 'app.worker', minutes: 20, expect: ['error_spike', 'new_pattern'] },
  { kind: 'benign_deploy', stream: 'app.api', minutes: 2, benign: true },
];

const NEW_ERR = (r) => `java.lang.NullPointerException: Cannot invoke "Discount.apply()" because "promo" is null at CheckoutService.applyDiscount(CheckoutService.java:${200 + r.int(3)})`;
const DEPLOY_LINES = [
  'Starting checkout-service v2.14.0 (commit 9f3c2ab)',
  'Loaded configuration from /etc/checkout/config.yaml',
  'Connected to database primary db-0.db.svc:5432',
  'Feature flags: new_pricing=on, fast_cart=off',
  'HTTP server listening on :8080',
  'Warmed up product cache with 5000 entries',
  'Registered 14 routes',
  'Health check endpoint ready at /healthz',
];

/**
 * Plan a run. days: total simulated days; clean days come first (the first hour of day 0 is
 * warm-up), then incident days with incidents spaced apart (one of each kind per incident day, in
 * random order, at random minutes — not aligned to windows).
 */
export function plan({ seed = 1, cleanDays = 2, incidentDays = 1, start = Date.UTC(2024, 0, 15), variant = 'default' } = {}) {
  const r = rng(seed ^ 0x5eed);
  const days = cleanDays + incidentDays;
  const incidents = [];
  for (let d = cleanDays; d < days; d++) {
    const kinds = INCIDENT_KINDS.slice();
    for (let i = kinds.length - 1; i > 0; i--) { const j = r.int(i + 1); [kinds[i], kinds[j]] = [kinds[j], kinds[i]]; }
    const slot = (24 * 3600 * 1000 - 3600 * 1000) / kinds.length;
    kinds.forEach((k, i) => {
      const st = start + d * 86400000 + 1800 * 1000 + i * slot + Math.floor(r.u() * (slot - (k.minutes + 30) * 60000));
      incidents.push({ id: `${k.kind}@d${d}`, ...k, start: st, end: st + k.minutes * 60000 });
    });
  }
  return { seed, start, days, cleanDays, incidents, variant, end: start + days * 86400000 };
}

/**
 * Generate records in time order: yields {tag, ms, record, level, tpl, msg, incident}.
 * Per second and stream, the count is Poisson(rate(t)); rate = base x daily shape x per-minute
 * gamma noise (CV stream.cv) x slow drift (an AR(1) on log rate, ~5% day-to-day).
 */
export function* generate(p, { streams = p.variant === 'hard' ? HARD_STREAMS : STREAMS } = {}) {
  const r = rng(p.seed);
  const state = streams.map((s) => ({
    s,
    cum: cumulative(s.templates),
    drift: 0,
    noise: 1,
  }));
  const active = (tag, ms) => p.incidents.filter((i) => i.stream === tag && ms >= i.start && ms < i.end);
  const deployDone = new Set();
  for (let sec = p.start / 1000; sec < p.end / 1000; sec++) {
    const ms0 = sec * 1000;
    const hour = ((ms0 / 3600000) % 24);
    const newMinute = ms0 % 60000 === 0;
    const batch = [];
    for (const st of state) {
      const s = st.s;
      if (newMinute) {
        const k = 1 / (s.cv * s.cv);
        st.noise = r.gamma(k) / k;
        st.drift = 0.999 * st.drift + 0.0022 * r.normal();
      }
      let rate = s.base * Math.max(0.03, dailyShape(hour, s.amp)) * st.noise * Math.exp(st.drift);
      const inc = active(s.tag, ms0);
      let errBoost = 1, surge = 1;
      const extra = [];
      for (const i of inc) {
        const pos = (ms0 - i.start) / (i.end - i.start);
        switch (i.kind) {
          case 'surge': surge *= 4; break;
          case 'drop': case 'drop_api': surge *= 0.08; break;
          case 'error_burst': extra.push({ n: r.poisson(rate * 0.25), key: 'api:db_timeout', i }); break;
          case 'http_5xx_burst': extra.push({ n: r.poisson(rate * 0.15), key: 'web:server_error', i }); break;
          case 'subtle_error_rise': errBoost = 4; break;
          case 'new_error_pattern': extra.push({ n: r.poisson(0.4), custom: 'newerr', i }); break;
          case 'sshd_bruteforce': extra.push({ n: r.poisson(8), key: 'sys:ssh_fail', i }); break;
          case 'cache_miss_storm': extra.push({ n: r.poisson(rate * 1.2), key: 'api:cache_miss', i }); break;
          case 'worker_failures': extra.push({ n: r.poisson(0.15), key: 'wrk:job_failed', i }); break;
          case 'benign_deploy':
            if (!deployDone.has(i.id)) { deployDone.add(i.id); extra.push({ n: DEPLOY_LINES.length, custom: 'deploy', i }); }
            break;
        }
        void pos;
      }
      rate *= surge;
      // benign bursts: a batch job that logs a run of lines at random times
      if (s.bursts && r.u() < s.bursts.perHour / 3600) extra.push({ n: s.bursts.size[0] + r.int(s.bursts.size[1] - s.bursts.size[0] + 1), key: s.bursts.key, i: null });
      const n = r.poisson(rate);
      for (let k = 0; k < n; k++) {
        let tpl = pickTpl(st.cum, r.u());
        if (errBoost !== 1 && isErrTpl(tpl) === false && r.u() < errShareOf(s) * (errBoost - 1)) tpl = pickErr(s, r);
        batch.push(makeRec(s, tpl, ms0 + r.int(1000), r, inc.length ? inc[0] : null));
      }
      for (const x of extra) {
        for (let k = 0; k < x.n; k++) {
          const ms = ms0 + (x.custom === 'deploy' ? k * 50 : r.int(1000));
          if (x.custom === 'newerr') batch.push(custom(s, 'api:new_npe', 'error', NEW_ERR(r), ms, x.i, r));
          else if (x.custom === 'deploy') batch.push(custom(s, `api:deploy_${k}`, 'info', DEPLOY_LINES[k], ms, x.i, r));
          else batch.push(makeRec(s, s.templates.find((t) => t.key === x.key), x.i ? ms : ms0 + Math.min(999, k * 20), r, x.i));
        }
      }
    }
    batch.sort((a, b) => a.ms - b.ms);
    for (const rec of batch) yield rec;
  }
}

function cumulative(tpls) {
  let tot = 0;
  const c = tpls.map((t) => (tot += t.weight));
  return { c, tot, tpls };
}
function pickTpl(cum, u) {
  const x = u * cum.tot;
  for (let i = 0; i < cum.c.length; i++) if (x < cum.c[i]) return cum.tpls[i];
  return cum.tpls[cum.tpls.length - 1];
}
const isErrTpl = (t) => t.level === 'error' || t.level === 'err' || t.key === 'web:server_error';
function errShareOf(s) {
  const tot = s.templates.reduce((a, t) => a + t.weight, 0);
  return s.templates.filter(isErrTpl).reduce((a, t) => a + t.weight, 0) / tot;
}
function pickErr(s, r) { return r.pick(s.templates.filter(isErrTpl)); }

function makeRec(s, tpl, ms, r, incident) {
  const out = tpl.gen(r, ms);
  let level = tpl.level;
  if (out.status !== undefined) level = out.status >= 500 ? 'error' : out.status >= 400 ? 'warn' : 'info';
  return { tag: s.tag, ms, record: render(s, tpl, out, level, ms, r), level, tpl: tpl.key, msg: out.msg, incident: incident ? incident.id : null };
}
function custom(s, key, level, msg, ms, incident, r) {
  const tpl = { key, prog: 'app' };
  return { tag: s.tag, ms, record: render(s, tpl, { msg }, level, ms, r), level, tpl: key, msg, incident: incident ? incident.id : null };
}

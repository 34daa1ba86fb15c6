// A seeded, week-long simulated fleet node for the detection evaluation (scripts/eval-fleet.js):
// 40 streams whose rates are ~10^4 apart (nginx access logs, app JSON in pino/zap/logrus/ECS style,
// Docker- and CRI/klog-wrapped container lines, 15 syslog daemons, a batch job, a sparse stream, a
// chatty debug stream), daily and weekly seasonality, growth, over-dispersed counts and error shares,
// benign routines that must not alert (deploys, a nightly backup, a cron burst, log-rotation gaps, an
// out-of-order stream, daemon bursts) and 31 incidents of 10 kinds from day 2 on. Everything derives
// from the seed; nothing here was tuned against the detector.
import { rng, clf, bsd, iso, ip, p2, MON, USERS, AGENTS, dailyShape } from './gen-streams.js';

const DAY = 86400000;
const MIN = 60000;

// ---------------------------------------------------------------- vocabulary
const LUSERS = ['deploy', 'alice', 'bob', 'ci', 'backup', 'ops'];
const WORDS = ['shoes', 'laptop', 'coffee', 'jacket', 'phone', 'lamp', 'desk', 'camera', 'watch', 'bag', 'tent', 'bike', 'socks', 'kettle'];
const FIELDS = ['email', 'sku', 'quantity', 'currency', 'address.zip', 'customer_id'];
const DOMAINS = ['gmail.com', 'example.org', 'outlook.com', 'yahoo.fr', 'web.de'];
const NS = ['shop', 'shop', 'api', 'monitoring', 'kube-system', 'batch'];
const PODS = ['checkout', 'cart', 'search', 'auth', 'payments', 'inventory', 'notify', 'gateway', 'recommend', 'pricing', 'worker', 'redis', 'node-exporter'];
const CTRS = ['app', 'app', 'sidecar', 'istio-proxy', 'init-migrate'];
const IMAGES = ['registry.example.com/shop/checkout:2.14.3', 'registry.example.com/shop/search:1.9.0', 'docker.io/library/redis:7.2', 'quay.io/prometheus/node-exporter:v1.7.0', 'registry.k8s.io/pause:3.9'];
const UNITS = ['apt-daily', 'man-db', 'logrotate', 'fstrim', 'motd-news', 'sysstat-collect', 'e2scrub_all', 'systemd-tmpfiles-clean', 'phpsessionclean', 'update-notifier-download'];
const COMMS = ['bash', 'python3', 'node', 'java', 'curl', 'sh', 'runc', 'containerd-shim'];
const SNAPS = ['core20', 'lxd', 'snapd', 'core22', 'amazon-ssm-agent'];
const TABLES = ['orders', 'order_items', 'customers', 'products', 'carts', 'payments', 'stock_moves', 'sessions'];
const JOBS = ['report-daily', 'cleanup-sessions', 'sync-prices', 'export-feed'];
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

// Variable fields: {name} in a template calls F.name(r, ms) per record.
const F = {
  ip: (r) => ip(r),
  lip: (r) => `10.244.${r.int(8)}.${2 + r.int(250)}`,
  port: (r) => String(1024 + r.int(64000)),
  id: (r) => String(1000 + r.int(900000)),
  n: (r) => String(1 + r.int(12)),
  n100: (r) => String(r.int(100)),
  n3: (r) => String(100 + r.int(900)),
  n4: (r) => String(1000 + r.int(9000)),
  big: (r) => String(1000000 + r.int(9000000)),
  ms: (r) => String(1 + Math.floor(400 * r.u() * r.u() * r.u())), // long-tailed latency
  slow: (r) => String(1500 + r.int(8000)),
  sec: (r) => (20 * r.u() * r.u()).toFixed(2),
  hex4: (r) => r.hex(4), hex7: (r) => r.hex(7), hex8: (r) => r.hex(8), hex12: (r) => r.hex(12), hex16: (r) => r.hex(16), hex64: (r) => r.hex(64),
  uuid: (r) => `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-a${r.hex(3)}-${r.hex(12)}`,
  qid: (r) => r.hex(10).toUpperCase(),
  b64: (r) => { let s = ''; for (let i = 0; i < 43; i++) s += B64[r.int(64)]; return s; },
  user: (r) => r.pick(USERS), luser: (r) => r.pick(LUSERS), uid: (r) => String(1000 + r.int(6)),
  word: (r) => r.pick(WORDS), field: (r) => r.pick(FIELDS), table: (r) => r.pick(TABLES), job: (r) => r.pick(JOBS),
  method: (r) => r.pick(['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE']),
  email: (r) => `${r.pick(['anna', 'li', 'omar', 'jo', 'max', 'eva'])}.${r.hex(3)}@${r.pick(DOMAINS)}`,
  domain: (r) => r.pick(DOMAINS),
  money: (r) => (5 + 300 * r.u()).toFixed(2),
  bool: (r) => (r.u() < 0.5 ? 'true' : 'false'),
  ver: (r) => `v2.${r.int(30)}.${r.int(10)}`,
  pod: (r) => `${r.pick(PODS)}-${r.hex(9)}-${r.hex(5)}`,
  ns: (r) => r.pick(NS), ctr: (r) => r.pick(CTRS), image: (r) => r.pick(IMAGES), svcname: (r) => r.pick(PODS),
  unit: (r) => r.pick(UNITS), comm: (r) => r.pick(COMMS), snap: (r) => r.pick(SNAPS),
  dport: (r) => r.pick(['22', '23', '445', '3389', '8080', '5900']),
  uptime: (r, ms) => ((ms - 1704067200000) / 1000).toFixed(6).padStart(13, ' '),
  epoch: (r, ms) => (ms / 1000).toFixed(3),
  epochf: (r, ms) => (ms / 1000).toFixed(4),
  ua: (r) => r.pick(AGENTS),
};

// ---------------------------------------------------------------- templates
// Template text: optional level prefix 'W:' (warn), 'E:' (error), 'D:' (debug), then optional
// '@prog ' (syslog program name), then the message. <name> is a per-stream constant (substituted
// once), {name} a variable field (F above).
function compile(src, consts = {}, r = null) {
  let level = 'info';
  const m = /^([WEDF]):\s?/.exec(src);
  if (m) { level = { W: 'warn', E: 'error', D: 'debug', F: 'fatal' }[m[1]]; src = src.slice(m[0].length); }
  let prog = null;
  const pm = /^@(\S+) /.exec(src);
  if (pm) { prog = pm[1]; src = src.slice(pm[0].length); }
  src = src.replace(/<(\w+)>/g, (_, k) => (k in consts ? consts[k] : `<${k}>`));
  const parts = src.split(/\{(\w+)\}/);
  for (let i = 1; i < parts.length; i += 2) {
    const f = F[parts[i]];
    if (!f) throw new Error(`unknown field {${parts[i]}} in ${src}`);
    parts[i] = f;
  }
  // zap-style caller / klog-style file:line: fixed per template, as in real code
  const line = r ? 40 + r.int(900) : 100;
  return { text: src, level, prog, parts, line, w: 1, key: '' };
}
function expand(t, r, ms) {
  const p = t.parts;
  let s = p[0];
  for (let i = 1; i < p.length; i += 2) s += p[i](r, ms) + p[i + 1];
  return s;
}

// Generic application messages; each app stream takes a seeded subset plus its own lines.
const APP_INFO = [
  'request completed method={method} path=/v1/<ent>s/{id} status=200 duration_ms={ms}',
  'handled GET /v1/<ent>s in {ms}ms',
  'fetched <ent> {id} from cache',
  'cache miss for <ent>:{id}, loading from <db>',
  '<db> query took {ms}ms rows={n100}',
  'published event <ent>.updated id={uuid} to topic <q>',
  'consumed message from <q> partition={n} offset={big}',
  'calling <dep> GET /internal/{word}/{id}',
  '<dep> responded 200 in {ms}ms',
  'user {id} authenticated via session cookie',
  'created <ent> {uuid} for customer {id}',
  'updated <ent> {id} fields=[status,updated_at]',
  'connection pool stats active={n} idle={n} waiting=0',
  'scheduled job <ent>-sync finished processed={n100} skipped={n}',
  'rate limiter allowed client={ip} tokens_left={n}',
  'health check ok uptime={n4}s',
  'feature flag <ent>_v2 evaluated to {bool} for user {id}',
  'gc pause {ms}ms heap_used={n3}MB',
  'D: decoded request body bytes={n4} content_type=application/json',
  'D: span {hex16} finished name=<ent>.load duration_ms={ms}',
];
const APP_WARN = [
  'W: slow request path=/v1/<ent>s/{id} duration_ms={slow}',
  'W: retrying <dep> call attempt={n}/3 after {ms}ms',
  'W: connection pool nearly exhausted active={n}/20',
  'W: deprecated API version v1 used by client {ip}',
  'W: <ent> {id} not found in cache, falling back to <db> replica',
  'W: circuit breaker for <dep> is half-open',
];
const APP_ERR = [
  'E: failed to load <ent> {id}: <db> query timeout after {slow}ms',
  'E: <dep> returned 503 Service Unavailable for request {uuid}',
  "E: unhandled exception in /v1/<ent>s: TypeError: Cannot read properties of undefined (reading '{word}')",
  'E: could not publish to <q>: broker not available',
  'E: validation failed for <ent> {id}: missing required field "{field}"',
  'E: deadlock detected while updating <ent> {id}, transaction rolled back',
];
// Start-up lines printed by every deploy (the same templates each time, per app).
const STARTUP = [
  'Starting <svc> {ver} (commit {hex7})',
  'Loaded configuration from /etc/<svc>/config.yaml',
  'Connecting to <db> at <db>-primary.db.svc:5432',
  'Connected to <db>, pool size 20',
  'Running database migrations: 0 pending',
  'Feature flags loaded: {n} flags from flagd',
  'Connecting to message broker amqp://rabbitmq.msg.svc:5672',
  'Subscribed to <q>',
  'Metrics exporter listening on :9090',
  'Warming up caches',
  'Cache warm-up finished in {ms}ms',
  'Registered {n} HTTP routes',
  'HTTP server listening on :8080',
  'Readiness probe passing, accepting traffic',
  'Previous instance drained, shutdown complete',
];
// Never-seen error lines for the "new ERROR template" incidents (one per incident).
const NEW_ERRORS = [
  'E: java.lang.NullPointerException: Cannot invoke "Discount.apply()" because "promo" is null at CheckoutService.applyDiscount(CheckoutService.java:{n3})',
  'E: panic: runtime error: index out of range [{n}] with length {n} goroutine {n3} [running]',
  'E: certificate verify failed: x509: certificate has expired or is not yet valid: current time is after 2024-01-17T00:00:00Z (peer {lip}:{port})',
  'E: ENOSPC: no space left on device, write \'/var/lib/<svc>/spool/{hex8}.tmp\'',
  'E: kafka: Failed to produce message to topic <q>: kafka server: Message was too large, server rejected it to avoid allocation error (size {n4}kB)',
  'E: pq: remaining connection slots are reserved for non-replication superuser connections',
  'E: schema mismatch: column "discount_code" of relation "{table}" does not exist (migration 0{n3} not applied)',
  'E: OAuth token refresh failed for client <svc>: invalid_grant (refresh token revoked at {epoch})',
  'E: segfault in libvips worker pid={n4}: corrupted image header for upload {uuid}',
  'E: DNS lookup for <dep>.svc.cluster.local failed: SERVFAIL after 3 attempts',
  'E: redis: MOVED {n4} {lip}:6379 while executing EVALSHA {hex16}',
  'E: grpc: received message larger than max (4194305 vs. 4194304) from <dep>',
  'E: OutOfMemoryError: Java heap space while serializing response for request {uuid}',
  'E: license verification failed: signature mismatch for key {hex12}',
  'E: unexpected end of JSON input while parsing webhook payload from {ip} (len={n4})',
  'E: TLS handshake timeout talking to <dep> at {lip}:8443 after 10s',
];

// ---------------------------------------------------------------- nginx endpoints
// [method, path, status kind]: 200 | 'static' (30% 304) | 'auth' (15% 401) | 404 | 201 | 204 | 301
const SITES = {
  shop: [['GET', '/', 200], ['GET', '/product/{id}', 200], ['GET', '/static/js/app.{hex8}.js', 'static'], ['GET', '/img/p/{id}.webp', 'static'],
    ['GET', '/category/{word}?page={n}', 200], ['GET', '/api/cart', 200], ['POST', '/api/events', 204], ['GET', '/search?q={word}', 200],
    ['GET', '/static/css/main.{hex8}.css', 'static'], ['POST', '/api/cart/items', 201], ['GET', '/healthz', 200], ['GET', '/api/recommendations?user={id}', 200],
    ['GET', '/account', 'auth'], ['POST', '/login', 'auth'], ['POST', '/api/checkout', 201], ['GET', '/favicon.ico', 200], ['GET', '/sitemap.xml', 200],
    ['GET', '/robots.txt', 200], ['GET', '/wp-login.php', 404], ['GET', '/.env', 404], ['GET', '/old-shop/{word}', 301], ['GET', '/phpmyadmin/index.php', 404]],
  api: [['GET', '/v1/orders/{id}', 200], ['GET', '/v1/products?sku={id}', 200], ['POST', '/v1/auth/token', 'auth'], ['GET', '/v1/users/{id}', 200],
    ['GET', '/v1/inventory/{id}', 200], ['POST', '/v1/orders', 201], ['PUT', '/v1/users/{id}', 200], ['GET', '/v1/health', 200], ['DELETE', '/v1/cart/{hex8}', 204],
    ['GET', '/v2/prices?sku={id}&currency=EUR', 200], ['POST', '/v1/webhooks/stripe', 200], ['GET', '/v1/orders?customer={id}&page={n}', 200],
    ['GET', '/v1/coupons/{hex8}', 404], ['PATCH', '/v1/orders/{id}', 200], ['GET', '/metrics', 200]],
  admin: [['GET', '/admin/', 'auth'], ['GET', '/admin/orders?page={n}', 200], ['GET', '/admin/orders/{id}', 200], ['POST', '/admin/products/{id}', 200],
    ['GET', '/admin/static/admin.{hex8}.js', 'static'], ['GET', '/admin/reports/daily.csv', 200], ['POST', '/admin/login', 'auth'],
    ['GET', '/admin/customers?q={word}', 200], ['POST', '/admin/refunds', 201], ['GET', '/admin/audit?since={epoch}', 200], ['GET', '/admin/settings', 200]],
  cdn: [['GET', '/assets/{hex8}/hero-{n}.avif', 'static'], ['GET', '/assets/{hex8}/thumb-{id}.webp', 'static'], ['GET', '/fonts/inter-{n}00.woff2', 'static'],
    ['GET', '/assets/{hex8}/app.js', 'static'], ['GET', '/assets/{hex8}/app.css', 'static'], ['GET', '/video/{hex8}/seg-{n3}.ts', 206],
    ['GET', '/assets/{hex8}/logo.svg', 'static'], ['HEAD', '/assets/{hex8}/app.js', 200], ['GET', '/assets/missing/{hex8}.png', 404], ['GET', '/favicon.ico', 200]],
};

// ---------------------------------------------------------------- syslog daemons
// name, facility, base rate (records/s), daily amplitude, error share, fixed pid (null: per record),
// bursts per day (benign natural bursts of 5-30 lines of one of the first templates), templates.
const DAEMONS = [
  ['sshd', 4, 0.15, 0.3, 0.01, null, 2, [
    'Connection closed by {ip} port {port} [preauth]', 'Invalid user {user} from {ip} port {port}',
    'Failed password for invalid user {user} from {ip} port {port} ssh2', 'Received disconnect from {ip} port {port}:11: Bye Bye [preauth]',
    'Disconnected from invalid user {user} {ip} port {port} [preauth]', 'Accepted publickey for {luser} from {ip} port {port} ssh2: ED25519 SHA256:{b64}',
    'pam_unix(sshd:session): session opened for user {luser}(uid={uid}) by (uid=0)', 'pam_unix(sshd:session): session closed for user {luser}',
    'Received disconnect from {ip} port {port}:11: disconnected by user', 'Disconnected from user {luser} {ip} port {port}',
    'Connection reset by {ip} port {port} [preauth]', 'Unable to negotiate with {ip} port {port}: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth]',
    'W: Timeout before authentication for {ip} port {port}', 'W: banner exchange: Connection from {ip} port {port}: invalid format',
    'E: error: kex_exchange_identification: Connection closed by remote host', 'E: error: maximum authentication attempts exceeded for {user} from {ip} port {port} ssh2 [preauth]']],
  ['cron', 9, 0.02, 0, 0, null, 0, [
    'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)', 'pam_unix(cron:session): session closed for user root',
    '(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)', '(root) CMD (   cd / && run-parts --report /etc/cron.hourly)',
    '({luser}) CMD (/home/{luser}/bin/sync.sh >/dev/null 2>&1)', '(root) CMD ([ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi)',
    '(CRON) info (No MTA installed, discarding output)', '(root) CMD (/usr/local/bin/backup-check --quiet)', '(www-data) CMD (php /var/www/shop/bin/console messenger:consume --limit=50)',
    '(root) CMD (/usr/sbin/logrotate /etc/logrotate.conf)', 'pam_unix(cron:session): session opened for user www-data(uid=33) by (uid=0)']],
  ['systemd', 3, 0.06, 0.4, 0.005, 1, 3, [
    '{unit}.service: Deactivated successfully.', 'Started Session {n3} of User {luser}.', 'Starting {unit}.service...', 'Finished {unit}.service.',
    '{unit}.service: Consumed {sec}s CPU time.', 'Created slice User Slice of UID {uid}.', 'Removed slice User Slice of UID {uid}.',
    'run-containerd-runc-k8s.io-{hex64}-runc.{hex4}.mount: Deactivated successfully.', 'Started cri-containerd-{hex64}.scope - libcontainer container {hex64}.',
    'cri-containerd-{hex64}.scope: Deactivated successfully.', 'Reloading.', 'Starting Cleanup of Temporary Directories...', 'Finished Cleanup of Temporary Directories.',
    'W: {unit}.service: Scheduled restart job, restart counter is at {n}.', 'W: Configuration file /etc/systemd/system/kubelet.service.d/10-kubeadm.conf is marked world-inaccessible. This has no effect as configuration data is accessible via APIs without restrictions.',
    "E: {unit}.service: Failed with result 'exit-code'.", 'E: Failed to start {unit}.service.']],
  ['kernel', 0, 0.05, 0, 0.002, 0, 4, [
    'cni0: port {n}(veth{hex8}) entered blocking state', 'cni0: port {n}(veth{hex8}) entered disabled state', 'device veth{hex8} entered promiscuous mode',
    'cni0: port {n}(veth{hex8}) entered forwarding state', 'IPv6: ADDRCONF(NETDEV_CHANGE): veth{hex8}: link becomes ready', 'device veth{hex8} left promiscuous mode',
    '[UFW BLOCK] IN=eth0 OUT= MAC=02:42:ac:11:00:02 SRC={ip} DST=10.0.4.17 LEN=44 TOS=0x00 PREC=0x00 TTL=241 ID={n4} PROTO=TCP SPT={port} DPT={dport} WINDOW=1024 RES=0x00 SYN URGP=0',
    'audit: type=1400 audit({epoch}:{n3}): apparmor="DENIED" operation="open" profile="snap.{snap}" name="/proc/{n4}/mounts" pid={n4} comm="{comm}" requested_mask="r" denied_mask="r" fsuid=0 ouid=0',
    'eth0: renamed from veth{hex7}', 'overlayfs: fs on \'/var/lib/containerd/tmpmounts/containerd-mount{big}\' does not support file handles, falling back to xino=off.',
    'W: TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.  Check SNMP counters.', 'W: nf_conntrack: nf_conntrack: table full, dropping packet',
    'E: Memory cgroup out of memory: Killed process {n4} (java) total-vm:{big}kB, anon-rss:{big}kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:{n4}kB oom_score_adj:{n3}']],
  ['postfix', 2, 0.04, 0.8, 0.01, null, 2, [
    '@postfix/smtpd connect from unknown[{ip}]', '@postfix/smtpd disconnect from unknown[{ip}] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5',
    '@postfix/cleanup {qid}: message-id=<{hex16}@shop.example.com>', '@postfix/qmgr {qid}: from=<noreply@shop.example.com>, size={n4}, nrcpt=1 (queue active)',
    '@postfix/smtp {qid}: to=<{email}>, relay=mx.{domain}[{ip}]:25, delay={sec}, delays=0.01/0/0.2/0.4, dsn=2.0.0, status=sent (250 2.0.0 OK {hex12})',
    '@postfix/qmgr {qid}: removed', '@postfix/pickup {qid}: uid=33 from=<www-data>', '@postfix/anvil statistics: max connection rate 1/60s for (smtp:{ip}) at Jan 15 10:00:00',
    'W: @postfix/smtp {qid}: to=<{email}>, relay=none, delay={sec}, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to mx.{domain}[{ip}]:25: Connection timed out)',
    'W: @postfix/smtpd warning: hostname host-{hex4}.example.net does not resolve to address {ip}: Name or service not known',
    'E: @postfix/smtp {qid}: to=<{email}>, relay=mx.{domain}[{ip}]:25, delay={sec}, dsn=5.1.1, status=bounced (host said: 550 5.1.1 user unknown)']],
  ['dhclient', 3, 0.00083, 0, 0, null, 0, [
    'DHCPREQUEST for 10.0.4.17 on eth0 to 10.0.4.1 port 67 (xid=0x{hex8})', 'DHCPACK of 10.0.4.17 from 10.0.4.1 (xid=0x{hex8})', 'bound to 10.0.4.17 -- renewal in {n4} seconds.',
    'XMT: Renew on eth0, interval {n4}ms.', 'RCV: Reply message on eth0 from fe80::1.', 'PRC: Renewing lease on eth0.', 'XMT: Solicit on eth0, interval {n4}ms.',
    'Listening on LPF/eth0/02:42:ac:11:00:02', 'Sending on   LPF/eth0/02:42:ac:11:00:02', 'Sending on   Socket/fallback', 'W: No DHCPOFFERS received.']],
  ['ntpd', 3, 0.0011, 0, 0, 802, 0, [
    'Soliciting pool server {ip}', '{ip} 901a 8a sys_peer {ip}', '0.0.0.0 0615 05 clock_sync', '{ip} 8011 81 mobilize assoc {n4}',
    'Listen normally on {n} eth0 10.0.4.17:123', 'new interface(s) found: waking up resolver', '0.0.0.0 c61c 0c clock_step +{sec} s',
    'kernel reports TIME_ERROR: 0x41: Clock Unsynchronized', "leapsecond file ('/usr/share/zoneinfo/leap-seconds.list'): good hash signature",
    "W: leapsecond file ('/usr/share/zoneinfo/leap-seconds.list'): will expire in less than {n} days", 'W: frequency error {n3} PPM exceeds tolerance 500 PPM']],
  ['rsyslogd', 5, 0.0015, 0, 0, 711, 0, [
    'imjournal: journal files changed, reloading...  [v8.2112.0 try https://www.rsyslog.com/e/0 ]', '[origin software="rsyslogd" swVersion="8.2112.0" x-pid="711" x-info="https://www.rsyslog.com"] rsyslogd was HUPed',
    "imuxsock: Acquired UNIX socket '/run/systemd/journal/syslog' (fd 3) from systemd.  [v8.2112.0]", 'imuxsock: begin to drop messages due to rate-limiting',
    'imuxsock: {n3} messages lost due to rate-limiting ({n3} allowed within 5 seconds)', "rsyslogd's groupid changed to 110", "rsyslogd's userid changed to 104",
    '[origin software="rsyslogd" swVersion="8.2112.0" x-pid="711" x-info="https://www.rsyslog.com"] start',
    "action 'action-8-builtin:omfwd' resumed (module 'builtin:omfwd') [v8.2112.0 try https://www.rsyslog.com/e/2359 ]",
    "W: action 'action-8-builtin:omfwd' suspended (module 'builtin:omfwd'), retry 0. There should be messages before this one giving the reason for suspension. [v8.2112.0 try https://www.rsyslog.com/e/2007 ]"]],
  ['sudo', 10, 0.01, 1.4, 0.005, null, 0, [
    'pam_unix(sudo:session): session opened for user root(uid=0) by {luser}(uid={uid})', 'pam_unix(sudo:session): session closed for user root',
    '{luser} : TTY=pts/{n} ; PWD=/home/{luser} ; USER=root ; COMMAND=/usr/bin/systemctl status {unit}', '{luser} : TTY=pts/{n} ; PWD=/srv/app ; USER=root ; COMMAND=/usr/bin/docker ps',
    '{luser} : TTY=pts/{n} ; PWD=/home/{luser} ; USER=root ; COMMAND=/usr/bin/journalctl -u {unit} --since today', '{luser} : TTY=pts/{n} ; PWD=/home/{luser} ; USER=root ; COMMAND=/usr/bin/kubectl get pods -A',
    '{luser} : TTY=pts/{n} ; PWD=/home/{luser} ; USER=root ; COMMAND=/usr/bin/apt-get update', '      ci : PWD=/var/lib/ci ; USER=root ; COMMAND=/usr/local/bin/deploy.sh {svcname}',
    'W: {user} : user NOT in sudoers ; TTY=pts/{n} ; PWD=/home/{user} ; USER=root ; COMMAND=/bin/bash',
    'W: pam_unix(sudo:auth): authentication failure; logname={luser} uid={uid} euid=0 tty=/dev/pts/{n} ruser={luser} rhost=  user={luser}',
    'E: {luser} : 3 incorrect password attempts ; TTY=pts/{n} ; PWD=/home/{luser} ; USER=root ; COMMAND=/usr/bin/su -']],
  ['dbus-daemon', 3, 0.02, 0.3, 0, 598, 2, [
    "[system] Activating via systemd: service name='org.freedesktop.hostname1' unit='dbus-org.freedesktop.hostname1.service' requested by ':1.{n3}' (uid=0 pid={n4} comm=\"{comm}\")",
    "[system] Successfully activated service 'org.freedesktop.hostname1'",
    "[system] Activating via systemd: service name='org.freedesktop.timedate1' unit='dbus-org.freedesktop.timedate1.service' requested by ':1.{n3}' (uid=0 pid={n4} comm=\"{comm}\")",
    "[system] Successfully activated service 'org.freedesktop.timedate1'", '[system] Reloaded configuration',
    "[system] Activating via systemd: service name='org.freedesktop.PackageKit' unit='packagekit.service' requested by ':1.{n3}' (uid=0 pid={n4} comm=\"{comm}\")",
    "[system] Successfully activated service 'org.freedesktop.PackageKit'",
    "[system] Activating service name='org.freedesktop.PolicyKit1' requested by ':1.{n3}' (uid=0 pid={n4} comm=\"{comm}\") (using servicehelper)",
    "[system] Successfully activated service 'org.freedesktop.PolicyKit1'",
    'W: [system] Rejected send message, 0 matched rules; type="method_call", sender=":1.{n3}" (uid=1000 pid={n4} comm="{comm}") interface="org.freedesktop.DBus.Properties" member="GetAll" error name="(unset)" requested_reply="0" destination="org.freedesktop.login1"',
    "W: [system] Failed to activate service 'org.bluez': timed out (service_start_timeout=25000ms)"]],
  ['NetworkManager', 3, 0.01, 0.2, 0.003, 640, 3, [
    '<info>  [{epochf}] device (veth{hex7}): carrier: link connected', '<info>  [{epochf}] manager: (veth{hex7}): new Veth device (/org/freedesktop/NetworkManager/Devices/{n3})',
    "<info>  [{epochf}] device (veth{hex7}): state change: unmanaged -> unavailable (reason 'managed', sys-iface-state: 'external')",
    '<info>  [{epochf}] device (veth{hex7}): released from master device cni0', '<info>  [{epochf}] dhcp4 (eth0): state changed new lease, address=10.0.4.17',
    '<info>  [{epochf}] connectivity: (eth0) check succeeded', "<info>  [{epochf}] policy: set 'Wired connection 1' (eth0) as default for IPv4 routing and DNS",
    '<info>  [{epochf}] audit: op="connection-update" uuid="{uuid}" name="Wired connection 1" pid={n4} uid=0 result="success"',
    "W: <warn>  [{epochf}] device (veth{hex7}): failed to find device {n3} 'veth{hex7}' with udev",
    "W: <warn>  [{epochf}] dispatcher: (8) /etc/NetworkManager/dispatcher.d/99-cni failed (failed): Script '/etc/NetworkManager/dispatcher.d/99-cni' exited with error status 1.",
    'E: <error> [{epochf}] dhcp4 (eth0): error -113 dispatching events']],
  ['snapd', 3, 0.005, 0.2, 0.01, 655, 1, [
    'storehelpers.go:753: cannot refresh: snap has no updates available: "core20", "lxd", "snapd"', 'autorefresh.go:551: auto-refresh: all snaps are up-to-date',
    'overlord.go:271: Acquiring state lock file', 'overlord.go:276: Acquired state lock file', 'daemon.go:247: started snapd/2.61.3 (series 16; classic) ubuntu/22.04 (amd64) linux/5.15.0-91-generic.',
    'daemon.go:340: adjusting startup timeout by 45s (pessimistic estimate of 30s plus 5s per snap)', 'api_snaps.go:356: Installing snap "{snap}" revision unset',
    'storehelpers.go:922: cannot refresh snap "{snap}": snap has running apps ({snap}), pids: {n4}', 'handlers.go:495: Reported install problem for "{snap}" as {hex8}-{hex4}',
    'W: stateengine.go:149: state ensure error: Get "https://api.snapcraft.io/api/v1/snaps/sections": dial tcp: lookup api.snapcraft.io: Temporary failure in name resolution',
    'W: daemon.go:1107: WARNING: cannot create syslog logger: Unix syslog delivery error',
    'E: taskrunner.go:271: [change {n3} "Download snap \\"{snap}\\" (rev {n4}) from channel \\"latest/stable\\"" task] failed: cannot download snap: connection reset by peer']],
  ['containerd', 3, 0.15, 0.3, 0.02, 890, 3, [
    'time="{rfc}" level=info msg="StartContainer for \\"{hex64}\\" returns successfully"',
    'time="{rfc}" level=info msg="CreateContainer within sandbox \\"{hex64}\\" for container &ContainerMetadata{Name:{ctr},Attempt:0,}"',
    'time="{rfc}" level=info msg="RunPodSandbox for &PodSandboxMetadata{Name:{pod},Uid:{uuid},Namespace:{ns},Attempt:0,} returns sandbox id \\"{hex64}\\""',
    'time="{rfc}" level=info msg="StopPodSandbox for \\"{hex64}\\""', 'time="{rfc}" level=info msg="TearDown network for sandbox \\"{hex64}\\" successfully"',
    'time="{rfc}" level=info msg="shim disconnected" id={hex64} namespace=k8s.io', 'time="{rfc}" level=info msg="cleaning up dead shim" namespace=k8s.io',
    'time="{rfc}" level=info msg="ImageCreate event name:\\"{image}\\" labels:{key:\\"io.cri-containerd.image\\" value:\\"managed\\"}"',
    'time="{rfc}" level=info msg="PullImage \\"{image}\\" returns image reference \\"sha256:{hex64}\\""',
    'time="{rfc}" level=info msg="Container to stop \\"{hex64}\\" must be in running or unknown state, current state \\"CONTAINER_EXITED\\""',
    'W: time="{rfc}" level=warning msg="cleaning up after shim disconnected" id={hex64} namespace=k8s.io',
    'W: time="{rfc}" level=warning msg="cleanup warnings time=\\"{rfc}\\" level=info msg=\\"starting signal loop\\" namespace=k8s.io pid={n4} runtime=io.containerd.runc.v2\\n"',
    'E: time="{rfc}" level=error msg="ContainerStatus for \\"{hex64}\\" failed" error="rpc error: code = NotFound desc = an error occurred when try to find container \\"{hex64}\\": not found"',
    'E: time="{rfc}" level=error msg="Failed to destroy network for sandbox \\"{hex64}\\"" error="plugin type=\\"calico\\" failed (delete): error getting ClusterInformation: connection is unauthorized: Unauthorized"']],
  ['kubelet', 3, 0.5, 0.3, 0.03, 1043, 4, [
    'kubelet.go:2431] "SyncLoop (PLEG): event for pod" pod="{ns}/{pod}" event={"ID":"{uuid}","Type":"ContainerStarted","Data":"{hex64}"}',
    'prober.go:107] "Probe failed" probeType="Readiness" pod="{ns}/{pod}" podUID="{uuid}" containerName="{ctr}" probeResult="failure" output="HTTP probe failed with statuscode: 503"',
    'reconciler_common.go:258] "operationExecutor.VerifyControllerAttachedVolume started for volume \\"kube-api-access-{hex4}\\"" pod="{ns}/{pod}"',
    'kubelet.go:2408] "SyncLoop UPDATE" source="api" pods=["{ns}/{pod}"]', 'kubelet.go:2402] "SyncLoop ADD" source="api" pods=["{ns}/{pod}"]',
    'kubelet.go:2418] "SyncLoop DELETE" source="api" pods=["{ns}/{pod}"]', 'scope.go:117] "RemoveContainer" containerID="{hex64}"',
    'kuberuntime_container.go:770] "Killing container with a grace period" pod="{ns}/{pod}" podUID="{uuid}" containerName="{ctr}" containerID="containerd://{hex64}" gracePeriod=30',
    'topology_manager.go:215] "Topology Admit Handler" podUID="{uuid}" podNamespace="{ns}" podName="{pod}"',
    'kubelet_volumes.go:160] "Cleaned up orphaned pod volumes dir" podUID="{uuid}" path="/var/lib/kubelet/pods/{uuid}/volumes"',
    'W: eviction_manager.go:337] "Eviction manager: attempting to reclaim" resourceName="ephemeral-storage"',
    'W: cri_stats_provider.go:455] "Failed to get the info of the filesystem with mountpoint" err="unable to find data in memory cache" mountpoint="/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs"',
    'E: pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"{ctr}\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container\\"" pod="{ns}/{pod}" podUID="{uuid}"',
    'E: remote_runtime.go:496] "ContainerStatus from runtime service failed" err="rpc error: code = NotFound desc = an error occurred when try to find container \\"{hex64}\\": not found" containerID="{hex64}"']],
  ['auditd', 10, 0.25, 0.2, 0, 812, 3, [
    'type=SYSCALL msg=audit({epoch}:{n4}): arch=c000003e syscall=59 success=yes exit=0 a0={hex12} a1={hex12} a2={hex12} a3=0 items=2 ppid={n4} pid={n4} auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm="{comm}" exe="/usr/bin/{comm}" key="exec"',
    'type=EXECVE msg=audit({epoch}:{n4}): argc=3 a0="{comm}" a1="-c" a2="{hex8}"', 'type=CWD msg=audit({epoch}:{n4}): cwd="/"',
    'type=PATH msg=audit({epoch}:{n4}): item=0 name="/usr/bin/{comm}" inode={big} dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0',
    'type=PROCTITLE msg=audit({epoch}:{n4}): proctitle={hex64}',
    "type=USER_ACCT msg=audit({epoch}:{n4}): pid={n4} uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:accounting grantors=pam_permit acct=\"root\" exe=\"/usr/sbin/cron\" hostname=? addr=? terminal=cron res=success'",
    "type=CRED_ACQ msg=audit({epoch}:{n4}): pid={n4} uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:setcred grantors=pam_permit,pam_cap acct=\"root\" exe=\"/usr/sbin/cron\" hostname=? addr=? terminal=cron res=success'",
    "type=USER_START msg=audit({epoch}:{n4}): pid={n4} uid=0 auid=0 ses={n3} msg='op=PAM:session_open grantors=pam_loginuid,pam_env,pam_unix acct=\"root\" exe=\"/usr/sbin/cron\" hostname=? addr=? terminal=cron res=success'",
    "type=USER_END msg=audit({epoch}:{n4}): pid={n4} uid=0 auid=0 ses={n3} msg='op=PAM:session_close grantors=pam_loginuid,pam_env,pam_unix acct=\"root\" exe=\"/usr/sbin/cron\" hostname=? addr=? terminal=cron res=success'",
    "type=SERVICE_START msg=audit({epoch}:{n4}): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='unit={unit} comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res=success'",
    "type=SERVICE_STOP msg=audit({epoch}:{n4}): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='unit={unit} comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res=success'",
    "W: type=USER_AUTH msg=audit({epoch}:{n4}): pid={n4} uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication grantors=? acct=\"{user}\" exe=\"/usr/sbin/sshd\" hostname={ip} addr={ip} terminal=ssh res=failed'",
    'W: type=ANOM_ABEND msg=audit({epoch}:{n4}): auid=4294967295 uid=0 gid=0 ses=4294967295 pid={n4} comm="{comm}" exe="/usr/bin/{comm}" sig=6 res=1']],
];
F.rfc = (r, ms) => iso(ms).slice(0, 23) + '456789Z'; // containerd's RFC 3339 nano

// ---------------------------------------------------------------- container inner lines
const REDIS = ['{n} changes in 60 seconds. Saving...', 'Background saving started by pid {n4}', 'DB saved on disk', 'Background saving terminated with success',
  'Fork CoW for RDB: current {n} MB, peak {n} MB, average {n} MB', 'RDB: {n} MB of memory used by copy-on-write', 'D: Accepted {lip}:{port}', 'D: Client closed connection id={big} addr={lip}:{port}',
  'Replica {lip}:6379 asks for synchronization', 'Synchronization with replica {lip}:6379 succeeded', 'Starting BGREWRITEAOF on tick',
  'W: WARNING: 12 slow log entries over 10ms in the last 60 seconds', 'W: Client id={big} addr={lip}:{port} laddr=10.244.1.9:6379 fd={n3} name= age={n3} idle=0 flags=N closed for overcoming of output buffer limits.'];
const POSTGRES = ['LOG:  connection received: host={lip} port={port}', 'LOG:  connection authorized: user=app database=shop application_name=checkout',
  'LOG:  disconnection: session time: 0:00:{n}.{n3} user=app database=shop host={lip} port={port}', 'LOG:  checkpoint starting: time',
  'LOG:  checkpoint complete: wrote {n3} buffers (0.{n}%); 0 WAL file(s) added, 0 removed, 1 recycled; write={sec} s, sync=0.0{n} s, total={sec} s',
  'LOG:  automatic vacuum of table "shop.public.{table}": index scans: 1', 'LOG:  automatic analyze of table "shop.public.{table}"',
  'LOG:  duration: {slow}.{n3} ms  statement: SELECT o.* FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.customer_id = $1',
  'LOG:  could not receive data from client: Connection reset by peer', 'LOG:  unexpected EOF on client connection with an open transaction',
  'W: WARNING:  there is no transaction in progress', 'E: ERROR:  duplicate key value violates unique constraint "{table}_pkey"',
  'E: ERROR:  canceling statement due to statement timeout', 'E: FATAL:  password authentication failed for user "{user}"', 'E: ERROR:  deadlock detected'];
const BACKUP = ['LOG:  connection authorized: user=backup database=shop application_name=pg_dump', 'LOG:  statement: COPY public.{table} TO stdout;',
  'LOG:  duration: {slow}.{n3} ms  statement: COPY public.{table} TO stdout;', 'LOG:  statement: LOCK TABLE public.{table} IN ACCESS SHARE MODE',
  'LOG:  statement: SELECT pg_catalog.set_config(\'search_path\', \'\', false);', 'LOG:  temporary file: path "base/pgsql_tmp/pgsql_tmp{n4}.{n}", size {big}'];
const WORKER = ['job {hex8} started queue=<q> type=send_email', 'job {hex8} finished in {ms}ms queue=<q>', 'D: polling queue <q> depth={n}', 'email to {email} accepted by smtp relay',
  'push notification delivered device={hex16} latency_ms={ms}', 'rendered template order_confirmation locale=de in {ms}ms', 'requeued {n} delayed jobs', 'worker heartbeat pid={n4} busy={n}/8',
  'W: job {hex8} retry {n}/5 after smtp 421 try again later', 'W: queue <q> latency {sec}s above 5s', 'E: job {hex8} failed: dial tcp {lip}:587: connect: connection refused',
  'E: job {hex8} failed permanently after 5 attempts'];
const RABBIT = ['accepting AMQP connection <0.{n3}.0> ({lip}:{port} -> 10.244.3.9:5672)', "connection <0.{n3}.0> ({lip}:{port} -> 10.244.3.9:5672): user 'app' authenticated and granted access to vhost '/'",
  "closing AMQP connection <0.{n3}.0> ({lip}:{port} -> 10.244.3.9:5672, vhost: '/', user: 'app')", 'Stopping message store for directory \'/var/lib/rabbitmq/mnesia/msg_stores/vhosts/{hex16}/msg_store_transient\'',
  'Message store for directory \'/var/lib/rabbitmq/mnesia/msg_stores/vhosts/{hex16}/msg_store_persistent\' is stopped', 'Waiting for Mnesia tables for 30000 ms, 9 retries left',
  'Successfully synced tables from a peer', 'Setting up a table for connection tracking on this node', 'W: client unexpectedly closed TCP connection',
  'W: closing AMQP connection <0.{n3}.0> ({lip}:{port} -> 10.244.3.9:5672): missed heartbeats from client, timeout: 60s',
  "E: Channel error on connection <0.{n3}.0> ({lip}:{port} -> 10.244.3.9:5672, vhost: '/', user: 'app'), channel 1: operation basic.publish caused a channel exception not_found: no exchange 'events.v2' in vhost '/'"];
const KLOG = {
  scheduler: ['schedule_one.go:286] "Successfully bound pod to node" pod="{ns}/{pod}" node="node-07" evaluatedNodes=3 feasibleNodes=2',
    'reflector.go:351] Caches populated for *v1.Pod from k8s.io/client-go/informers/factory.go:159', 'leaderelection.go:260] successfully acquired lease kube-system/kube-scheduler',
    'eventhandlers.go:126] "Add event for unscheduled pod" pod="{ns}/{pod}"', 'eventhandlers.go:186] "Delete event for scheduled pod" pod="{ns}/{pod}"',
    'scheduling_queue.go:1050] "Pod moved to an internal scheduling queue" pod="{ns}/{pod}" event="NodeUpdate" queue="Active"', 'node_tree.go:65] "Added node in listed group to NodeTree" node="node-07" zone=""',
    'W: schedule_one.go:1004] "Unable to schedule pod; no fit; waiting" pod="{ns}/{pod}" err="0/3 nodes are available: 1 Insufficient memory, 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }."',
    'W: reflector.go:539] k8s.io/client-go/informers/factory.go:159: failed to list *v1.CSIStorageCapacity: the server could not find the requested resource',
    'E: leaderelection.go:332] error retrieving resource lock kube-system/kube-scheduler: Get "https://10.0.0.1:443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler?timeout=5s": context deadline exceeded'],
  controller: ['replica_set.go:676] "Finished syncing" kind="ReplicaSet" key="{ns}/{svcname}-{hex8}" duration="{ms}.{n3}µs"',
    'event.go:307] "Event occurred" object="{ns}/{pod}" fieldPath="" kind="Pod" apiVersion="v1" type="Normal" reason="SuccessfulCreate" message="Created pod: {pod}"',
    'job_controller.go:562] "enqueueing job" key="batch/{job}-{n4}"', 'cronjob_controllerv2.go:528] "Created Job" job="batch/{job}-{n4}" cronjob="batch/{job}"',
    'cleaner.go:172] "Cleaning CSR as it is more than approvedExpiration duration old and approved." csr="csr-{hex4}"', 'range_allocator.go:380] "Set node PodCIDR" node="node-07" podCIDRs=["10.244.3.0/24"]',
    'garbagecollector.go:533] "Processing item" item="[v1/Pod, namespace: {ns}, name: {pod}, uid: {uuid}]" virtual=false',
    'deployment_controller.go:497] "Error syncing deployment" deployment="{ns}/{svcname}" err="Operation cannot be fulfilled on deployments.apps \\"{svcname}\\": the object has been modified; please apply your changes to the latest version and try again"',
    'endpointslice_controller.go:310] "Error syncing endpoint slices for service, retrying" key="{ns}/{svcname}" err="EndpointSlice informer cache is out of date"',
    'W: reflector.go:535] k8s.io/client-go/metadata/metadatainformer/informer.go:138: watch of *v1.PartialObjectMetadata ended with: an error on the server ("unable to decode an event from the watch stream: http2: client connection lost") has prevented the request from succeeding',
    'W: garbagecollector.go:707] failed to discover some groups: map[metrics.k8s.io/v1beta1:stale GroupVersion discovery: metrics.k8s.io/v1beta1]',
    'E: horizontal.go:270] failed to compute desired number of replicas based on listed metrics for Deployment/{ns}/{svcname}: invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    'E: resource_quota_controller.go:440] unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: stale GroupVersion discovery: metrics.k8s.io/v1beta1'],
  proxy: ['proxier.go:796] "SyncProxyRules complete" elapsed="{ms}.{n3}ms"', 'proxier.go:1504] "Reloading service iptables data" numServices={n} numEndpoints={n} numFilterChains=6 numFilterRules={n} numNATChains={n} numNATRules={n}',
    'config.go:97] "Calling handler.OnEndpointSliceUpdate"', 'config.go:322] "Calling handler.OnServiceUpdate"', 'service.go:308] "Service updated ports" service="{ns}/{svcname}" ports=1',
    'endpointslicecache.go:348] "Setting endpoints for service port name" portName="{ns}/{svcname}:http" endpoints=["{lip}:8080"]', 'proxier.go:805] "Syncing iptables rules"',
    'conntrack.go:66] "Setting nf_conntrack_max" nfConntrackMax={big}', 'server_others.go:152] "Using iptables Proxier"',
    'W: proxier.go:1546] "Failed to execute iptables-restore" err="exit status 4: iptables-restore: line 17 failed"'],
  metrics: ['server.go:191] "Failed probe" probe="metric-storage-ready" err="no metrics to serve"', 'scraper.go:149] "Scraping node" node="node-07"',
    'scraper.go:172] "Scrape finished" duration="{ms}.{n3}ms" nodeCount=3 podCount={n3}', 'storage.go:95] "Storing metrics"', 'storage.go:100] "Done storing metrics"',
    'requestheader_controller.go:169] Starting RequestHeaderAuthRequestController', 'tlsconfig.go:240] "Starting DynamicServingCertificateController"',
    'secure_serving.go:213] Serving securely on [::]:10250', 'W: configmap_cafile_content.go:202] "Unable to get configmap/extension-apiserver-authentication in kube-system"',
    'E: scraper.go:140] "Failed to scrape node" err="Get \\"https://10.0.4.17:10250/metrics/resource\\": context deadline exceeded" node="node-07"',
    'E: scraper.go:140] "Failed to scrape node" err="request failed, status: \\"500 Internal Server Error\\"" node="node-05"'],
};
const COREDNS = ['[INFO] {lip}:{port} - {n4} "A IN <dep>.shop.svc.cluster.local. udp 60 false 512" NOERROR qr,aa,rd 130 0.000{n3}s',
  '[INFO] {lip}:{port} - {n4} "AAAA IN <dep>.shop.svc.cluster.local. udp 60 false 512" NOERROR qr,aa,rd 153 0.000{n3}s',
  '[INFO] {lip}:{port} - {n4} "A IN api.stripe.com.shop.svc.cluster.local. udp 56 false 512" NXDOMAIN qr,aa,rd 149 0.000{n3}s',
  '[INFO] {lip}:{port} - {n4} "A IN api.stripe.com. udp 32 false 512" NOERROR qr,rd,ra 132 0.0{n3}s',
  '[INFO] {lip}:{port} - {n4} "A IN redis.shop.svc.cluster.local. udp 46 false 512" NOERROR qr,aa,rd 96 0.000{n3}s',
  '[INFO] {lip}:{port} - {n4} "SRV IN _grpc._tcp.<dep>.shop.svc.cluster.local. udp 70 false 512" NXDOMAIN qr,aa,rd 163 0.000{n3}s',
  '[INFO] {lip}:{port} - {n4} "PTR IN {n3}.{n3}.244.10.in-addr.arpa. udp 44 false 512" NOERROR qr,aa,rd 112 0.000{n3}s',
  '[INFO] plugin/reload: Running configuration SHA512 = {hex64}', '[INFO] Reloading', '[INFO] Reloading complete',
  'W: [WARNING] No files matching import glob pattern: custom/*.override', 'E: [ERROR] plugin/errors: 2 api.stripe.com. A: read udp {lip}:{port}->10.0.0.2:53: i/o timeout',
  'E: [ERROR] plugin/errors: 2 {hex8}.ec2.internal. AAAA: dial udp 10.0.0.2:53: connect: network is unreachable'];
const BATCH = ['reconcile run {uuid} started accounts=500', 'account {id} reconciled ledger_delta=0.00 entries={n}', 'account {id} reconciled ledger_delta={money} entries={n} adjusted=true',
  'fetched {n3} settlements from bank API page={n}', 'D: account {id} skipped: no activity since last run', 'W: account {id} has {n} unmatched settlements, deferring',
  'reconcile run finished ok={n3} deferred={n} failed=0 duration=20s', 'E: account {id} failed to reconcile: ledger mismatch {money} EUR'];
const LICENSE = ['license check ok, seats used {n}/50, expires 2025-03-31', 'phoned home to licensing.example.com in {ms}ms', 'refreshed entitlement cache (12 features)',
  'usage report queued for upload id={uuid}', 'W: license server slow to respond ({slow}ms), using cached entitlement', 'feature "advanced-search" entitlement valid',
  'D: next license check in 900s', 'upload of usage report {uuid} done', 'license file /etc/license/shop.lic unchanged (sha256 {hex16})', 'clock skew against license server {ms}ms'];
const PRICING_DEBUG = ['D: price lookup sku={id} region=eu base={money} tax=0.19', 'D: applied rule {hex4} to sku={id} result={money}', 'D: cache get price:{id} hit={bool}',
  'D: promotions evaluated for cart {hex8}: {n} candidates, 0 applied', 'D: currency conversion EUR->CHF rate=0.94{n} cached', 'D: rounding {money} -> {money} mode=HALF_EVEN',
  'D: loaded price list {hex8} entries={n4}', 'D: rule engine tick queue={n} in_flight={n}', 'priced cart {hex8} items={n} total={money} EUR in {ms}ms', 'price list refreshed from feed version={n4}',
  'W: price for sku={id} older than 24h, serving stale', 'E: price feed fetch failed: HTTP 504 from feed.example.com'];

// ---------------------------------------------------------------- stream table
// fmt: nginx | pino | zap | logrus | ecs | docker | cri | syslog. svc groups streams for the 30 s
// outage. base: weekday mean records/s; amp: diurnal amplitude; shift: hours the day is shifted;
// user: weekends at 40%; cv: per-minute count noise; err: error share; deploy: benign deploys.
function appDefs() {
  const a = (tag, fmt, svc, base, err, consts, own, extra = {}) => ({ tag, fmt, svc, base, amp: 0.9, shift: 0, user: true, cv: 0.15, err, consts: { svc: tag.split('.')[1], ...consts }, own, deploy: true, ...extra });
  return [
    a('app.checkout', 'pino', 'shop', 1.0, 0.01, { ent: 'order', db: 'postgres', dep: 'payments', q: 'orders.events' },
      ['order {id} placed total={money} items={n}', 'payment intent {hex12} created for order {id}', 'W: order {id} total mismatch recalculated from {money} to {money}', 'E: order {id} could not be placed: payment declined by issuer']),
    a('app.cart', 'zap', 'shop', 0.8, 0.005, { ent: 'cart', db: 'redis', dep: 'pricing', q: 'cart.events' },
      ['cart {hex8} item added sku={id} qty={n}', 'cart {hex8} merged into user {id}', 'cart {hex8} expired after 30d']),
    a('app.search', 'zap', 'api', 0.9, 0.008, { ent: 'product', db: 'opensearch', dep: 'catalog', q: 'index.updates' },
      ['query "{word}" returned {n100} hits in {ms}ms', 'reindexed shard {n} docs={big}', 'W: query "{word} {word}" timed out on shard {n}, partial results', 'autocomplete "{word}" {n} suggestions']),
    a('app.auth', 'logrus', 'api', 0.6, 0.02, { ent: 'session', db: 'postgres', dep: 'users', q: 'auth.audit' },
      ['issued token for user {id} ttl=3600s', 'refresh token rotated for session {hex16}', 'W: login failed for user {email}: bad password', 'W: account {id} locked after 5 failed attempts', 'E: JWKS fetch failed: context deadline exceeded']),
    a('app.payments', 'ecs', 'shop', 0.3, 0.03, { ent: 'charge', db: 'postgres', dep: 'stripe', q: 'payments.events' },
      ['charge ch_{hex16} succeeded amount={money} EUR', 'webhook stripe event evt_{hex16} processed type=charge.succeeded', 'E: charge ch_{hex16} declined: card_declined', 'refund re_{hex16} created for order {id}']),
    a('app.inventory', 'pino', 'api', 0.4, 0.006, { ent: 'sku', db: 'postgres', dep: 'warehouse', q: 'stock.moves' },
      ['stock for SKU-{id} adjusted by -{n} now {n100}', 'reservation {uuid} released for order {id}', 'W: SKU-{id} stock below threshold ({n} left)']),
    a('app.notify', 'logrus', 'notify', 0.15, 0.015, { ent: 'notification', db: 'redis', dep: 'smtp-relay', q: 'notify.outbox' },
      ['email queued to {email} template=order_confirmation', 'push notification sent to device {hex16}', 'sms to +49{big} queued via provider']),
    a('app.gateway', 'ecs', 'api', 0.7, 0.012, { ent: 'route', db: 'redis', dep: 'search', q: 'gateway.audit' },
      ['route /api/{word} -> search upstream_status=200 latency={ms}ms', 'jwt verified for client {hex8} scopes=read,write', 'W: upstream search latency p99 {slow}ms over budget']),
    a('app.recommend', 'zap', 'shop', 0.35, 0.004, { ent: 'model', db: 'feature-store', dep: 'catalog', q: 'reco.feedback' },
      ['model v{n}.{n} scored {n100} candidates for user {id} in {ms}ms', 'feature vector cache refreshed entries={n4}', 'W: cold-start user {id}, falling back to popular items']),
  ];
}

function streamDefs() {
  const S = [];
  const web = (tag, site, base, amp, err, extra = {}) => S.push({ tag, fmt: 'nginx', site, svc: tag.split('.')[1], base, amp, shift: 0, user: true, cv: 0.12, err, ...extra });
  web('nginx.shop', 'shop', 6, 1.3, 0.004, { svc: 'shop', cv: 0.1 });
  web('nginx.api', 'api', 2.0, 1.0, 0.006, { svc: 'api' });
  web('nginx.admin', 'admin', 0.12, 1.6, 0.01, { cv: 0.35 });
  web('nginx.cdn', 'cdn', 1.2, 1.1, 0.001, { svc: 'shop', cv: 0.2 });
  S.push(...appDefs());
  S.push({ tag: 'app.pricing', fmt: 'pino', svc: 'shop', base: 1.0, amp: 0.3, shift: 0, user: false, cv: 0.12, err: 0.001, consts: { svc: 'pricing' }, lines: PRICING_DEBUG, chatty: true });
  S.push({ tag: 'app.license', fmt: 'logrus', svc: 'license', base: 4 / 3600, amp: 0, shift: 0, user: false, cv: 0.1, err: 0, consts: { svc: 'license' }, lines: LICENSE });
  S.push({ tag: 'batch.reconcile', fmt: 'zap', svc: 'batch', base: 0, amp: 0, shift: 0, user: false, cv: 0, err: 0.004, consts: { svc: 'reconcile' }, lines: BATCH, batch: true });
  S.push({ tag: 'docker.redis', fmt: 'docker', inner: 'redis', svc: 'shop', base: 0.08, amp: 0.6, shift: 0, user: true, cv: 0.3, err: 0, consts: {}, lines: REDIS });
  S.push({ tag: 'docker.postgres', fmt: 'docker', inner: 'postgres', svc: 'db', base: 0.25, amp: 0.8, shift: 0, user: true, cv: 0.2, err: 0.01, consts: {}, lines: POSTGRES });
  S.push({ tag: 'docker.worker', fmt: 'docker', inner: 'logfmt', svc: 'notify', base: 0.4, amp: 0.7, shift: 1, user: true, cv: 0.25, err: 0.02, consts: { q: 'mail' }, lines: WORKER });
  S.push({ tag: 'docker.rabbitmq', fmt: 'docker', inner: 'rabbit', svc: 'notify', base: 0.06, amp: 0.5, shift: 0, user: true, cv: 0.3, err: 0.005, consts: {}, lines: RABBIT });
  S.push({ tag: 'k8s.scheduler', fmt: 'cri', klog: true, svc: 'k8s', base: 0.1, amp: 0.3, shift: 0, user: false, cv: 0.3, err: 0.01, consts: {}, lines: KLOG.scheduler });
  S.push({ tag: 'k8s.controller', fmt: 'cri', klog: true, svc: 'k8s', base: 0.25, amp: 0.3, shift: 0, user: false, cv: 0.25, err: 0.02, consts: {}, lines: KLOG.controller });
  S.push({ tag: 'k8s.coredns', fmt: 'cri', klog: false, svc: 'k8s', base: 0.3, amp: 0.8, shift: 0, user: true, cv: 0.2, err: 0.01, consts: { dep: 'checkout' }, lines: COREDNS });
  S.push({ tag: 'k8s.kube-proxy', fmt: 'cri', klog: true, svc: 'k8s', base: 0.05, amp: 0.2, shift: 0, user: false, cv: 0.3, err: 0, consts: {}, lines: KLOG.proxy });
  S.push({ tag: 'k8s.metrics', fmt: 'cri', klog: true, svc: 'k8s', base: 0.08, amp: 0, shift: 0, user: false, cv: 0.15, err: 0.03, consts: {}, lines: KLOG.metrics });
  for (const [name, fac, base, amp, err, pid, bursts, lines] of DAEMONS) {
    S.push({ tag: `syslog.${name.toLowerCase().replace('-daemon', '')}`, fmt: 'syslog', prog: name, fac, svc: 'host', base, amp, shift: 0, user: name === 'sudo' || name === 'postfix', cv: 0.2, err, pid, bursts, consts: {}, lines });
  }
  return S;
}

// ---------------------------------------------------------------- building streams from the seed
function zipfWeights(n, s) { const w = []; for (let i = 0; i < n; i++) w.push(1 / Math.pow(i + 1, s)); return w; }
function shuffle(r, a) { for (let i = a.length - 1; i > 0; i--) { const j = r.int(i + 1); [a[i], a[j]] = [a[j], a[i]]; } return a; }

/** Compiles a stream's templates with Zipf-like weights (seeded exponent, order mostly as listed). */
function buildStream(def, r) {
  const st = { ...def, normal: [], errors: [] };
  st.zipf = 0.8 + 0.5 * r.u();
  st.dispAmp = 0.2 + 0.5 * r.u(); // hour-of-day dependent dispersion
  st.dispPeak = r.u() * 24;
  st.errCv = 0.3 + 0.3 * r.u(); // per-minute jitter of the error share
  if (def.user) st.shift = -1.5 + 3 * r.u(); // user-facing peaks differ by up to 3 h
  let src;
  if (def.fmt === 'nginx') {
    // nginx: templates are endpoints; the error share is the 5xx share of any endpoint
    st.normal = SITES[def.site].map(([method, path, status], i) => ({ ...compile(path, {}, r), method, status, key: `${def.tag}#${i}` }));
    st.normal.forEach((t) => { t.level = t.status === 404 ? 'warn' : 'info'; });
  } else {
    if (def.own) {
      // app: a seeded subset of the generic messages plus the app's own, warnings in the tail
      const info = shuffle(r, APP_INFO.slice()).slice(0, 10 + r.int(8));
      const own = def.own;
      const warn = shuffle(r, APP_WARN.slice()).slice(0, 2 + r.int(3));
      const errs = shuffle(r, APP_ERR.slice()).slice(0, 2 + r.int(4));
      const normal = own.filter((l) => !l.startsWith('E:')).concat(info);
      shuffle(r, normal);
      // own info lines rank near the top (they are the app's core business)
      for (const l of own.filter((x) => !x.startsWith('E:') && !x.startsWith('W:')).reverse()) { normal.splice(normal.indexOf(l), 1); normal.splice(r.int(4), 0, l); }
      for (const w of warn) normal.splice(Math.floor(normal.length / 2 + r.u() * normal.length / 2), 0, w);
      src = normal.concat(errs, own.filter((l) => l.startsWith('E:')));
      st.startup = shuffle(r, STARTUP.slice()).slice(0, 8 + r.int(8)).map((l) => compile(l, def.consts, r));
    } else src = def.lines;
    for (const l of src) {
      const t = compile(l, { ...def.consts, svc: def.consts?.svc || '' }, r);
      t.key = `${def.tag}#${st.normal.length + st.errors.length}`;
      (t.level === 'error' || t.level === 'fatal' ? st.errors : st.normal).push(t);
    }
  }
  if (def.batch) {
    // the run's first and last lines are not part of the per-item mix
    st.edges = st.normal.filter((t) => t.text.startsWith('reconcile run'));
    st.normal = st.normal.filter((t) => !t.text.startsWith('reconcile run'));
  }
  // a few adjacent swaps: the listed order is the typical rank, not an exact one
  for (let i = 0; i + 1 < st.normal.length; i++) if (r.u() < 0.25) [st.normal[i], st.normal[i + 1]] = [st.normal[i + 1], st.normal[i]];
  const w = zipfWeights(st.normal.length, st.zipf);
  st.normal.forEach((t, i) => { t.w = w[i]; });
  const we = zipfWeights(st.errors.length, 1);
  st.errors.forEach((t, i) => { t.w = we[i]; });
  st.normCum = cum(st.normal);
  st.errCum = cum(st.errors);
  if (def.err > 0 && st.errors.length === 0 && def.fmt !== 'nginx') throw new Error(`${def.tag}: error share without error templates`);
  return st;
}
function cum(tpls) { const c = new Float64Array(tpls.length); let s = 0; tpls.forEach((t, i) => { s += t.w; c[i] = s; }); return c; }
function pick(c, u) { const x = u * c[c.length - 1]; let lo = 0, hi = c.length - 1; while (lo < hi) { const m = (lo + hi) >> 1; if (x < c[m]) hi = m; else lo = m + 1; } return lo; }

/** Expected (noise-free) records/s of a stream at ms: base x diurnal x weekly x growth. */
function expectedRate(st, ms, p) {
  if (st.batch) return 0;
  const hour = ((ms % DAY) / 3600000 - st.shift + 24) % 24;
  const dow = new Date(ms - (ms % DAY)).getUTCDay();
  const weekly = st.user && (dow === 0 || dow === 6) ? 0.4 : 1;
  const growth = 1 + 0.1 * (ms - p.start) / (p.days * DAY);
  return st.base * Math.max(0.03, dailyShape(hour, st.amp)) * weekly * growth;
}

// ---------------------------------------------------------------- rendering
const PINO = { debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
const LOGRUS = { debug: 'debug', info: 'info', warn: 'warning', error: 'error', fatal: 'fatal' };
const SYS_SEV = { debug: 7, info: 6, warn: 4, error: 3, fatal: 2 };
const KLETTER = { debug: 'I', info: 'I', warn: 'W', error: 'E', fatal: 'F' };
const REDIS_SYM = { debug: '-', info: '*', warn: '#', error: '#', fatal: '#' };
const RABBIT_LVL = { debug: 'debug', info: 'info', warn: 'warning', error: 'error', fatal: 'critical' };
const HOST = 'node-07';

// per-second caches: formatting dates is the costliest part of a record after JSON.stringify
function perSecond(fn) { let k = NaN, v = ''; return (ms) => { const s = Math.floor(ms / 1000); if (s !== k) { k = s; v = fn(s * 1000); } return v; }; }
const clfS = perSecond(clf), bsdS = perSecond(bsd), isoS = perSecond(iso);
const frac3 = (ms) => String(ms % 1000).padStart(3, '0');
const isoMs = (ms) => isoS(ms).slice(0, 20) + frac3(ms) + 'Z';
const isoNano = (ms, r) => isoS(ms).slice(0, 20) + frac3(ms) + String(r.int(1000000)).padStart(6, '0') + 'Z';
const rfcSec = (ms) => isoS(ms).slice(0, 19) + 'Z';
const klogHead = (ms, level) => { const d = isoS(ms); return `${KLETTER[level]}${d.slice(5, 7)}${d.slice(8, 10)} ${d.slice(11, 19)}.${frac3(ms)}${String((ms * 7) % 1000).padStart(3, '0')}`; };
const redisTime = (ms) => { const d = new Date(ms); return `${d.getUTCDate()} ${MON[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${frac3(ms)}`; };
const pgTime = (ms) => `${isoS(ms).slice(0, 10)} ${isoS(ms).slice(11, 19)}.${frac3(ms)} UTC`;

// {"log": line} without building an object (the bulk of the records)
const logRec = (line) => '{"log":' + JSON.stringify(line) + '}';

/** The record JSON of one line of stream st, template t at ms (level may differ from t.level). */
function render(st, t, msg, level, ms, r, status) {
  switch (st.fmt) {
    case 'nginx': {
      const bytes = status >= 500 ? 150 + r.int(400) : status === 304 || status === 204 ? 0 : 200 + r.int(40000);
      const ref = r.u() < 0.6 ? '-' : `https://shop.example.com/${r.pick(WORDS)}`;
      return logRec(`${ip(r)} - - [${clfS(ms)}] "${t.method} ${msg} HTTP/1.1" ${status} ${bytes} "${ref}" "${r.pick(AGENTS)}"`);
    }
    case 'pino': return JSON.stringify({ level: PINO[level], time: ms, pid: 7, hostname: `${st.consts.svc}-7d9f8c6b5-x2k4q`, name: st.consts.svc, msg });
    case 'zap': return JSON.stringify({ level: level === 'fatal' ? 'fatal' : level, ts: ms / 1000, caller: `${st.consts.svc}/handler.go:${t.line}`, msg });
    case 'logrus': return JSON.stringify({ level: LOGRUS[level], msg, time: rfcSec(ms) });
    case 'ecs': return JSON.stringify({ '@timestamp': isoMs(ms), 'log.level': level.toUpperCase(), message: msg, 'ecs.version': '1.2.0', 'service.name': st.consts.svc, 'log.logger': `com.shop.${st.consts.svc}.Service`, 'process.thread.name': `http-nio-8080-exec-${1 + (t.line % 10)}` });
    case 'docker': {
      let inner;
      if (st.inner === 'redis') inner = `1:M ${redisTime(ms)} ${REDIS_SYM[level]} ${msg}`;
      else if (st.inner === 'postgres') inner = `${pgTime(ms)} [${1000 + (t.line * 13) % 9000}] ${msg}`;
      else if (st.inner === 'rabbit') inner = `${isoS(ms).slice(0, 10)} ${isoS(ms).slice(11, 19)}.${frac3(ms)}000+00:00 [${RABBIT_LVL[level]}] <0.${t.line}.0> ${msg}`;
      else inner = `time="${rfcSec(ms)}" level=${LOGRUS[level]} msg="${msg}"`;
      return JSON.stringify({ log: inner + '\n', stream: level === 'error' || level === 'fatal' || st.inner === 'postgres' ? 'stderr' : 'stdout', time: isoNano(ms, r) });
    }
    case 'cri': {
      if (st.klog) return logRec(`${isoNano(ms, r)} stderr F ${klogHead(ms, level)}       1 ${msg}`);
      return logRec(`${isoNano(ms, r)} stdout F ${msg}`);
    }
    case 'syslog': {
      // containerd and kubelet reach syslog through journald at info priority: their level is inside
      const sev = st.prog === 'containerd' || st.prog === 'kubelet' ? 6 : SYS_SEV[level];
      const pri = st.fac * 8 + sev;
      const prog = t.prog || st.prog;
      if (st.prog === 'kernel') return logRec(`<${pri}>${bsdS(ms)} ${HOST} kernel: [${F.uptime(r, ms).trim()}] ${msg}`);
      const pid = st.pid === null ? 1000 + r.int(60000) : st.pid;
      const body = st.prog === 'kubelet' ? `${klogHead(ms, level)}    1043 ${msg}` : msg;
      return logRec(`<${pri}>${bsdS(ms)} ${HOST} ${prog}[${pid}]: ${body}`);
    }
  }
  throw new Error(`unknown format ${st.fmt}`);
}

// ---------------------------------------------------------------- the plan
const KINDS = ['surge', 'http_5xx_storm', 'error_burst', 'new_error', 'drop', 'template_storm', 'outage_30s', 'error_rise', 'silence_20m', 'warn_rise_2h'];

/**
 * Plans a run: the streams (templates, weights), benign routines and incidents, all from the seed.
 * benign: [{id, cause, streams, start, end}] with cause deploy | backup | cron | rotation | burst | out_of_order.
 * incidents: [{id, kind, stream, streams, start, end, ...params}], 31 of them on days >= 2.
 */
export function planFleet({ seed = 1, days = 7, start = Date.UTC(2024, 0, 15), incidents: nInc = 31 } = {}) {
  const r = rng((seed * 2654435761) ^ 0xf1ee7);
  const streams = streamDefs().map((d) => buildStream(d, r));
  const byTag = new Map(streams.map((s) => [s.tag, s]));
  const p = { seed, start, days, end: start + days * DAY, streams, benign: [], incidents: [] };
  const busy = new Map(streams.map((s) => [s.tag, []])); // per stream: [from, to] kept free of new incidents
  const block = (tag, a, b) => busy.get(tag).push([a, b]);
  const isFree = (tag, a, b) => busy.get(tag).every(([x, y]) => b <= x || a >= y);
  const weekday = (d) => { const w = new Date(start + d * DAY).getUTCDay(); return w >= 1 && w <= 5; };

  // benign: deploys (weekdays, working hours, 1-3 per app): 2 min dip to ~20%, then start-up lines
  let bid = 0;
  for (const st of streams.filter((s) => s.deploy)) {
    for (let d = 0; d < days; d++) {
      if (!weekday(d)) continue;
      const n = 1 + r.int(3);
      for (let k = 0; k < n; k++) {
        const t = start + d * DAY + Math.floor((9 + 9 * r.u()) * 3600000);
        p.benign.push({ id: `deploy#${++bid}`, cause: 'deploy', streams: [st.tag], start: t, end: t + 2 * MIN + 5000, dip: 0.15 + 0.1 * r.u() });
      }
    }
  }
  // nightly backup doubling docker.postgres for 30-40 min; 06:25 cron.daily burst; midnight rotation gaps
  const rotating = ['nginx.shop', 'nginx.api', 'nginx.admin', 'nginx.cdn', ...shuffle(r, ['app.auth', 'app.notify', 'docker.redis', 'k8s.coredns', 'app.license']).slice(0, 2)];
  for (let d = 0; d < days; d++) {
    const b = start + d * DAY + 3 * 3600000 + r.int(120000);
    p.benign.push({ id: `backup#d${d}`, cause: 'backup', streams: ['docker.postgres'], start: b, end: b + (30 + r.int(11)) * MIN });
    const c = start + d * DAY + (6 * 60 + 25) * MIN + r.int(5000);
    p.benign.push({ id: `cron#d${d}`, cause: 'cron', streams: ['syslog.cron'], start: c, end: c + MIN, lines: 50 + r.int(151) });
    if (d > 0) for (const tag of rotating) { const g = start + d * DAY; p.benign.push({ id: `rotation#d${d}:${tag}`, cause: 'rotation', streams: [tag], start: g, end: g + (10 + r.int(51)) * 1000 }); }
  }
  // natural daemon bursts: a few times a day 5-30 lines of one common template at once
  for (const st of streams.filter((s) => s.bursts)) {
    for (let d = 0; d < days; d++) {
      const n = r.poisson(st.bursts);
      for (let k = 0; k < n; k++) {
        const t = start + d * DAY + r.int(DAY);
        p.benign.push({ id: `burst#${++bid}`, cause: 'burst', streams: [st.tag], start: t, end: t + 3000, lines: 5 + r.int(26), tpl: r.int(Math.min(5, st.normal.length)) });
      }
    }
  }
  // one stream's records arrive up to 20 s late (a forwarder with retries)
  const ooo = r.pick(['app.gateway', 'docker.worker', 'app.search', 'k8s.coredns']);
  p.outOfOrder = ooo;
  p.benign.push({ id: `out_of_order:${ooo}`, cause: 'out_of_order', streams: [ooo], start, end: p.end });
  for (const b of p.benign) if (b.cause !== 'out_of_order') for (const tag of b.streams) block(tag, b.start - 15 * MIN, b.end + 15 * MIN);
  p.benign.sort((a, b) => a.start - b.start);

  // incidents: 3 of each kind + 1, spread over days 2.., random times, on streams where they make sense
  const kinds = [];
  for (let i = 0; i < nInc; i++) kinds.push(i < KINDS.length * Math.floor(nInc / KINDS.length) ? KINDS[i % KINDS.length] : KINDS[r.int(KINDS.length)]);
  shuffle(r, kinds);
  const services = {};
  for (const s of streams) (services[s.svc] ||= []).push(s.tag);
  const outageSvcs = Object.keys(services).filter((k) => services[k].length >= 2 && k !== 'host');
  const rateOk = (st, a, b, min) => expectedRate(st, a, p) >= min && expectedRate(st, b, p) >= min && expectedRate(st, (a + b) / 2, p) >= min;
  const errs = (st) => st.err > 0 && st.errors.length > 0;
  const firstDay = Math.min(2, days - 1);
  const counters = {};
  for (const kind of kinds) {
    for (let attempt = 0; attempt < 2000; attempt++) {
      const t0 = start + firstDay * DAY + r.int((days - firstDay) * DAY - 3 * 3600000);
      const inc = { kind, start: t0 };
      let st = null;
      const cand = (f) => { const c = streams.filter(f); return c.length ? r.pick(c) : null; };
      switch (kind) {
        case 'surge': st = cand((s) => !s.batch && s.fmt !== 'syslog' && s.base >= 0.1); inc.end = t0 + (10 + r.int(11)) * MIN; inc.mult = 3 + 2 * r.u(); if (st && !rateOk(st, t0, inc.end, 0.05)) st = null; break;
        case 'http_5xx_storm': st = cand((s) => s.fmt === 'nginx' && s.base >= 0.5); inc.end = t0 + (5 + r.int(11)) * MIN; inc.share = 0.1 + 0.2 * r.u(); if (st && !rateOk(st, t0, inc.end, 0.1)) st = null; break;
        case 'error_burst': st = cand((s) => errs(s) && s.fmt !== 'syslog' && !s.batch && s.base >= 0.05); inc.end = t0 + (5 + r.int(6)) * MIN; inc.mult = 20; if (st && !rateOk(st, t0, inc.end, 0.02)) st = null; break;
        case 'new_error': st = cand((s) => s.fmt !== 'syslog' && s.fmt !== 'nginx'); inc.end = t0 + 30 * MIN; inc.perMin = 0.2 + 1.8 * r.u(); break;
        case 'drop': st = cand((s) => !s.batch && s.base >= 0.1); inc.end = t0 + (15 + r.int(16)) * MIN; inc.frac = 0.1 + 0.2 * r.u(); if (st && !rateOk(st, t0, inc.end, 0.1)) st = null; break;
        case 'template_storm': {
          st = cand((s) => !s.batch && s.normal.length >= 4);
          inc.end = t0 + 10 * MIN; inc.mult = 10 + 20 * r.u();
          if (st) {
            inc.tpl = 1 + r.int(Math.min(6, st.normal.length - 1));
            const share = st.normal[inc.tpl].w / st.normCum[st.normCum.length - 1];
            if (!rateOk(st, t0, inc.end, 0.2 / 60 / share)) st = null; // the template normally logs >= 0.2/min
          }
          break;
        }
        case 'outage_30s': { const svc = r.pick(outageSvcs); inc.service = svc; inc.streams = services[svc]; inc.end = t0 + 30000; st = byTag.get(services[svc][0]); break; }
        case 'error_rise': st = cand((s) => errs(s) && !s.batch && s.err >= 0.004); inc.end = t0 + (20 + r.int(11)) * MIN; inc.mult = 3 + r.u(); if (st && !rateOk(st, t0, inc.end, 0.3 / 60 / st.err)) st = null; break;
        case 'silence_20m': st = cand((s) => !s.batch); inc.end = t0 + 20 * MIN; if (st && !rateOk(st, t0, inc.end, 1 / 60)) st = null; break;
        case 'warn_rise_2h': {
          st = cand((s) => !s.batch && s.normal.some((t) => t.level === 'warn'));
          inc.end = t0 + 120 * MIN; inc.target = 0.3 + 0.2 * r.u();
          if (st) { const ws = st.normal.map((t, i) => (t.level === 'warn' ? i : -1)).filter((i) => i >= 0); inc.tpl = r.pick(ws); if (!rateOk(st, t0, inc.end, 0.5 / 60)) st = null; }
          break;
        }
      }
      if (!st) continue;
      inc.streams ||= [st.tag];
      inc.stream = inc.streams.length === 1 ? st.tag : `service:${inc.service}`;
      const graceEnd = inc.end + 30 * MIN;
      if (!inc.streams.every((tag) => isFree(tag, t0 - 30 * MIN, graceEnd))) continue;
      if (inc.end + 15 * MIN > p.end) continue;
      for (const tag of inc.streams) block(tag, t0 - 30 * MIN, graceEnd);
      counters[kind] = (counters[kind] || 0) + 1;
      inc.id = `${kind}#${counters[kind]}@d${Math.floor((t0 - start) / DAY)}`;
      if (kind === 'new_error') inc.line = NEW_ERRORS[(p.incidents.filter((i) => i.kind === 'new_error').length + r.int(3)) % NEW_ERRORS.length];
      if (kind === 'template_storm' || kind === 'warn_rise_2h') inc.template = st.normal[inc.tpl].text;
      p.incidents.push(inc);
      break;
    }
  }
  p.incidents.sort((a, b) => a.start - b.start);
  return p;
}

// ---------------------------------------------------------------- generation
/**
 * Yields {tag, ms, record, level, incident} per record, second by second (within a second sorted by
 * event time; the out-of-order stream's records come when they "arrive", up to 20 s after their
 * event time). With heartbeat (default on) a `lad.heartbeat` record leads every simulated second.
 */
export function* generateFleet(p, { heartbeat = true } = {}) {
  const r = rng(p.seed >>> 0);
  const N = p.streams.length;
  // per stream: effects (benign + incidents) sorted by start, walked with a pointer
  const eff = p.streams.map(() => []);
  const idx = new Map(p.streams.map((s, i) => [s.tag, i]));
  for (const b of p.benign) for (const tag of b.streams) eff[idx.get(tag)].push({ ...b, src: 'benign', kind: b.cause });
  for (const inc of p.incidents) for (const tag of inc.streams) eff[idx.get(tag)].push({ ...inc, src: 'incident' });
  for (const e of eff) e.sort((a, b) => a.start - b.start);
  const next = new Int32Array(N);
  const active = p.streams.map(() => []);
  const rateSec = new Float64Array(N); // this minute's expected records/s incl. noise
  const errShare = new Float64Array(N);
  const drift = new Float64Array(N);
  const hb = '{"message":"lad heartbeat"}';
  const late = Array.from({ length: 32 }, () => []); // out-of-order records by arrival second mod 32
  const oooIdx = idx.get(p.outOfOrder);
  const newErrTpl = new Map();
  let batch = [];

  const rec = (st, t, ms, level, status, incident, msgOverride) => {
    const msg = msgOverride ?? expand(t, r, ms);
    return { tag: st.tag, ms, record: render(st, t, msg, level, ms, r, status), level: st.fmt === 'nginx' ? (status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info') : level, incident };
  };
  const nginxStatus = (t) => {
    const s = t.status;
    if (s === 'static') return r.u() < 0.3 ? 304 : 200;
    if (s === 'auth') return r.u() < 0.15 ? 401 : 200;
    return s;
  };
  // one ordinary record: an error template with probability share, else the weighted mix
  const ordinary = (st, ms, share, incident) => {
    if (share > 0 && r.u() < share) {
      if (st.fmt === 'nginx') { const t = st.normal[pick(st.normCum, r.u())]; return rec(st, t, ms, 'error', r.pick([500, 502, 502, 503, 504]), incident); }
      const t = st.errors[pick(st.errCum, r.u())];
      return rec(st, t, ms, t.level, 0, incident);
    }
    const t = st.normal[pick(st.normCum, r.u())];
    return rec(st, t, ms, t.level, st.fmt === 'nginx' ? nginxStatus(t) : 0, incident);
  };
  const push = (i, x) => {
    if (i === oooIdx) {
      // arrival delay: most small, some up to 20 s
      const arrive = Math.floor((x.ms + Math.floor(20000 * Math.pow(r.u(), 3))) / 1000);
      late[arrive % 32].push(x);
    } else batch.push(x);
  };

  const startSec = Math.floor(p.start / 1000), endSec = Math.floor(p.end / 1000);
  for (let sec = startSec; sec < endSec; sec++) {
    const ms0 = sec * 1000;
    if (ms0 % MIN === 0) {
      const hour = (ms0 % DAY) / 3600000;
      for (let i = 0; i < N; i++) {
        const st = p.streams[i];
        const ke = 1 / (st.errCv * st.errCv);
        errShare[i] = Math.min(0.5, st.err * (r.gamma(ke) / ke));
        if (st.batch) continue;
        // over-dispersion: gamma multiplier per minute, CV depending on the hour; slow AR(1) drift
        const cv = st.cv * (1 + st.dispAmp * Math.cos((2 * Math.PI * (hour - st.dispPeak)) / 24));
        const k = 1 / (cv * cv);
        drift[i] = 0.999 * drift[i] + 0.002 * r.normal();
        rateSec[i] = expectedRate(st, ms0, p) * (r.gamma(k) / k) * Math.exp(drift[i]);
      }
    }
    if (heartbeat) yield { tag: 'lad.heartbeat', ms: ms0, record: hb, level: 'info', incident: null };
    for (let i = 0; i < N; i++) {
      const st = p.streams[i];
      const E = eff[i];
      while (next[i] < E.length && E[next[i]].start <= ms0 + 999) active[i].push(E[next[i]++]);
      let act = active[i];
      if (act.length) act = active[i] = act.filter((e) => e.end > ms0 || (e.kind === 'deploy' && !e.done));
      let rate = rateSec[i], share = errShare[i], silent = false, incident = null;
      if (st.batch) {
        // 500 lines in 20 s every 15 minutes (starting 5 s past the quarter hour)
        const q = (ms0 - 5000) % (15 * MIN);
        if (q >= 0 && q < 20000) {
          const nth = q / 1000;
          for (let k = 0; k < 25; k++) {
            const line = nth * 25 + k;
            const ms = ms0 + k * 40;
            const t = line === 0 ? st.edges[0] : line === 499 ? st.edges[1] : null;
            push(i, t ? rec(st, t, ms, t.level, 0, null) : ordinary(st, ms, share, null));
          }
        }
      }
      for (const e of act) {
        const live = e.start <= ms0 + 999 && e.end > ms0;
        if (e.src === 'incident' && live) incident = e.id;
        switch (e.kind) {
          case 'surge': if (live) rate *= e.mult; break;
          case 'drop': if (live) rate *= e.frac; break;
          case 'silence_20m': case 'outage_30s': case 'rotation': if (live) silent = true; break;
          case 'error_burst': case 'error_rise': if (live) share = Math.min(0.9, share * e.mult); break;
          case 'http_5xx_storm': if (live) share = e.share; break;
          case 'deploy': if (live) rate *= e.dip; break;
        }
      }
      if (silent) continue;
      let n = r.poisson(rate);
      for (let k = 0; k < n; k++) push(i, ordinary(st, ms0 + r.int(1000), share, incident));
      // effects that add lines of their own
      for (const e of act) {
        const live = e.start <= ms0 + 999 && e.end > ms0;
        switch (e.kind) {
          case 'new_error': {
            if (!live) break;
            let t = newErrTpl.get(e.id);
            if (!t) { t = compile(e.line, { svc: st.tag.split('.')[1], q: 'events', dep: 'upstream', ...st.consts }, r); newErrTpl.set(e.id, t); }
            n = r.poisson(e.perMin / 60);
            for (let k = 0; k < n; k++) push(i, rec(st, t, ms0 + r.int(1000), 'error', 500, e.id));
            break;
          }
          case 'template_storm': case 'warn_rise_2h': {
            if (!live) break;
            const t = st.normal[e.tpl];
            const s0 = t.w / st.normCum[st.normCum.length - 1];
            let extra;
            if (e.kind === 'template_storm') extra = rate * s0 * (e.mult - 1);
            else { const f = s0 + (e.target - s0) * Math.min(1, (ms0 - e.start) / (e.end - e.start)); extra = f > s0 ? (rate * (f - s0)) / (1 - f) : 0; }
            n = r.poisson(extra);
            for (let k = 0; k < n; k++) push(i, rec(st, t, ms0 + r.int(1000), t.level, st.fmt === 'nginx' ? nginxStatus(t) : 0, e.id));
            break;
          }
          case 'backup': {
            if (!live) break;
            st.backupTpl ||= BACKUP.map((l) => compile(l, {}, r));
            n = r.poisson(rateSec[i]); // doubles the stream
            for (let k = 0; k < n; k++) { const t = r.pick(st.backupTpl); push(i, rec(st, t, ms0 + r.int(1000), t.level, 0, null)); }
            break;
          }
          case 'cron': {
            if (!live) break;
            // cron.daily: run-parts and PAM session lines, spread over a minute
            n = r.poisson(e.lines / 60);
            for (let k = 0; k < n; k++) { const t = st.normal[r.int(Math.min(4, st.normal.length))]; push(i, rec(st, t, ms0 + r.int(1000), t.level, 0, null)); }
            break;
          }
          case 'burst': {
            if (e.done || e.start > ms0 + 999) break;
            e.done = true;
            const t = st.normal[e.tpl];
            for (let k = 0; k < e.lines; k++) push(i, rec(st, t, Math.max(e.start, ms0) + k * 37, t.level, 0, null));
            break;
          }
          case 'deploy': {
            // after the dip, the new instance prints its start-up lines once
            if (e.done || ms0 + 999 < e.start + 2 * MIN) break;
            e.done = true;
            const t0 = Math.max(ms0, e.start + 2 * MIN);
            st.startup.forEach((t, k) => push(i, rec(st, t, t0 + k * (30 + r.int(70)), 'info', 0, null)));
            break;
          }
        }
      }
    }
    const due = late[sec % 32];
    if (due.length) { for (const x of due) batch.push(x); due.length = 0; }
    if (batch.length > 1) batch.sort((a, b) => a.ms - b.ms);
    for (const x of batch) yield x;
    batch = [];
  }
}

export { KINDS };

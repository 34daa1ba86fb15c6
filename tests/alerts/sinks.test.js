// Payload shape of each sink, min_severity, dedupe, resolved, config validation, URL redaction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAlerter, parseAlertingConfig, redactUrl, sinksOf, Redactor } from '../../dist/alerts/index.js';
import { startReceiver, tmpDir, event, withTimeout } from './helpers.js';

async function deliverAll(cfgExtra, events) {
  const srv = await startReceiver(() => 'ok');
  const base = `http://127.0.0.1:${srv.port}`;
  const logs = [];
  const a = createAlerter({
    enabled: true, min_severity: 'warning', dedupe_seconds: 300,
    sinks: [
      { type: 'webhook', url: `${base}/webhook` },
      { type: 'slack', url: `${base}/services/T000/B000/XXXXXXXX` },
      { type: 'alertmanager', url: `${base}/api/v2/alerts` },
    ],
    ...cfgExtra,
  }, { spoolDir: tmpDir(), log: (l) => logs.push(l) });
  for (const e of events) a.send(e);
  await withTimeout(a.idle(), 5000, 'delivery');
  await a.close();
  await srv.close();
  const by = (p) => srv.arrivals.filter((x) => x.path === p).map((x) => x.body);
  return { webhook: by('/webhook'), slack: by('/services/T000/B000/XXXXXXXX'), am: by('/api/v2/alerts'), logs, arrivals: srv.arrivals };
}

const spike = event(1, {
  stream: 'nginx',
  description: 'error share 45% <!channel> <script>alert(1)</script>',
  template_id: 't42',
  template: 'upstream timed out <*>',
  example: 'upstream timed out ```x``` <b>',
  score: 7.5,
  window_start: '2024-01-01T00:01:00Z',
  top_templates: [{ template_id: 't42', template: 'upstream timed out <*>', count: 90, expected: 3 }],
});

test('payload shapes: generic webhook, Slack, Alertmanager (firing + resolved)', async () => {
  const resolved = { type: 'resolved', severity: 'info', stream: 'nginx', timestamp: '2024-01-01T00:09:00Z', description: 'error share back to normal' };
  const r = await deliverAll({}, [spike, resolved]);

  // Generic webhook: the event JSON + id.
  assert.equal(r.webhook.length, 2);
  const w = r.webhook[0];
  assert.match(w.id, /^[0-9a-f-]{36}$/);
  assert.equal(w.source, 'lad');
  for (const k of ['type', 'severity', 'stream', 'timestamp', 'description', 'value', 'expected', 'top_templates']) {
    assert.deepEqual(w[k], spike[k], k);
  }
  assert.equal(r.webhook[1].type, 'resolved');

  // Slack: one readable line with severity, stream, description; mrkdwn control chars escaped.
  assert.equal(r.slack.length, 2);
  const s = r.slack[0];
  assert.equal(typeof s.text, 'string');
  assert.ok(!s.text.includes('\n'));
  assert.match(s.text, /\[CRITICAL\] error_spike on stream nginx: error share 45% &lt;!channel&gt; &lt;script&gt;/);
  assert.ok(!JSON.stringify(s).includes('<!channel>'), 'no channel ping from log text');
  assert.ok(Array.isArray(s.blocks) && s.blocks.length >= 3);
  assert.equal(s.blocks[0].type, 'section');
  const code = s.blocks.find((b) => b.text?.text?.startsWith('```'));
  assert.ok(code && !code.text.text.slice(3, -3).includes('```'), 'example cannot close the code block');
  assert.ok(s.blocks.at(-1).elements[0].text.includes(w.id), 'id in the context block');
  assert.match(r.slack[1].text, /RESOLVED/);

  // Alertmanager: array of alerts; resolved re-uses the firing label set with endsAt.
  assert.equal(r.am.length, 2);
  const [fire] = r.am[0];
  assert.deepEqual(fire.labels, { alertname: 'lad_error_spike', severity: 'critical', stream: 'nginx', source: 'lad', template_id: 't42' });
  assert.equal(fire.startsAt, '2024-01-01T00:01:00.000Z');
  assert.equal(fire.endsAt, undefined);
  assert.equal(fire.annotations.description, spike.description);
  assert.match(fire.annotations.summary, /^\[CRITICAL\] error_spike on stream nginx/);
  assert.equal(fire.annotations.lad_alert_id, w.id);
  assert.equal(fire.annotations.value, '0.4');
  assert.equal(fire.annotations.expected, '0.02');
  assert.match(fire.annotations.top_templates, /90× upstream timed out/);
  assert.equal(r.am[1].length, 1);
  assert.deepEqual(r.am[1][0].labels, fire.labels);
  assert.equal(r.am[1][0].startsAt, fire.startsAt);
  assert.equal(r.am[1][0].endsAt, '2024-01-01T00:09:00.000Z');
  for (const a of r.arrivals) assert.equal(a.headers['content-type'], 'application/json');
});

test('min_severity and dedupe per stream+type (event time); resolved passes and re-arms', async () => {
  const t = (m) => `2024-01-01T00:${String(m).padStart(2, '0')}:00Z`;
  const ev = (stream, type, severity, m) => ({ type, severity, stream, timestamp: t(m), description: `${stream} ${type} ${m}` });
  const events = [
    ev('a', 'rate_spike', 'info', 0),        // below min_severity
    ev('a', 'rate_spike', 'warning', 1),     // sent
    ev('a', 'rate_spike', 'critical', 3),    // dup within 300 s of event time
    ev('a', 'error_spike', 'warning', 3),    // other type: sent
    ev('b', 'rate_spike', 'warning', 3),     // other stream: sent
    ev('a', 'rate_spike', 'warning', 7),     // 6 min later: sent
    { ...ev('a', 'resolved', 'info', 8), resolves: 'rate_spike' },   // resolves a/rate_spike only
    ev('a', 'rate_spike', 'warning', 9),     // re-armed by resolved: sent
    ev('c', 'resolved', 'info', 9),          // nothing open on c, info < warning: dropped
  ];
  const r = await deliverAll({}, events);
  assert.deepEqual(r.webhook.map((b) => b.description), ['a rate_spike 1', 'a error_spike 3', 'b rate_spike 3', 'a rate_spike 7', 'a resolved 8', 'a rate_spike 9']);
  // Alertmanager got the resolution only for a/rate_spike.
  const resolvedAm = r.am.find((arr) => arr[0].endsAt);
  assert.equal(resolvedAm.length, 1);
  assert.equal(resolvedAm[0].labels.alertname, 'lad_rate_spike');
  assert.equal(resolvedAm[0].labels.stream, 'a');
});

test('disabled or sink-less config sends nothing and says why', async () => {
  const logs = [];
  const a = createAlerter({ enabled: true, min_severity: 'info', webhook_url: '' }, { spoolDir: tmpDir(), log: (l) => logs.push(l) });
  a.send(event(1));
  await a.close();
  assert.match(logs.join('\n'), /no sink is configured/);
  const b = createAlerter({ enabled: false, min_severity: 'info', webhook_url: 'http://127.0.0.1:1/x' }, { spoolDir: tmpDir(), log: (l) => logs.push(l) });
  b.send(event(1));
  await b.close();
  assert.equal(b.stats().accepted, 0);
});

test('parseAlertingConfig: seed section works, unknown keys and bad values are named', () => {
  const seed = parseAlertingConfig({ enabled: true, webhook_url: '', min_severity: 'warning' });
  assert.deepEqual(seed, { enabled: true, min_severity: 'warning' });
  assert.deepEqual(sinksOf(parseAlertingConfig({ webhook_url: 'https://x.example/h' })), [{ type: 'webhook', url: 'https://x.example/h' }]);
  const full = parseAlertingConfig({
    enabled: true, min_severity: 'critical', dedupe_seconds: 0, spool_max_bytes: 1e6,
    retry: { initial_ms: 100, max_ms: 1000, max_attempts: 3 },
    sinks: [{ type: 'alertmanager', url: 'http://am:9093/api/v2/alerts', headers: { 'X-Scope-OrgID': 't' }, timeout_ms: 1000 }],
  });
  assert.equal(full.sinks[0].type, 'alertmanager');
  assert.equal(full.retry.max_attempts, 3);
  assert.throws(() => parseAlertingConfig({ enabeld: true }), /alerting: unknown key "enabeld"/);
  assert.throws(() => parseAlertingConfig({ min_severity: 'loud' }), /alerting\.min_severity: must be one of/);
  assert.throws(() => parseAlertingConfig({ sinks: [{ type: 'pager', url: 'http://x' }] }), /alerting\.sinks\[0\]\.type/);
  assert.throws(() => parseAlertingConfig({ sinks: [{ type: 'slack', url: 'http://x', token: 1 }] }), /sinks\[0\]: unknown key "token"/);
  assert.throws(() => parseAlertingConfig({ retry: { initial_ms: -1 } }), /retry\.initial_ms/);
  // A bad URL's secret is not echoed.
  assert.throws(() => parseAlertingConfig({ webhook_url: 'ftp://u:topsecret@h/x' }), (e) => !e.message.includes('topsecret'));
});

test('redactUrl hides userinfo, query, fragment and path tokens', () => {
  assert.equal(redactUrl('https://hooks.slack.com/services/T0/B0/abc'), 'https://hooks.slack.com/services/***/***/***');
  assert.equal(redactUrl('https://u:p@am.example:9093/api/v2/alerts?x=1#f'), 'https://***@am.example:9093/api/v2/alerts?***#***');
  assert.equal(redactUrl('https://discord.com/api/webhooks/123/tok'), 'https://discord.com/api/webhooks/***/***');
  assert.equal(redactUrl('https://h.example/hook/a1b2c3d4e5f6'), 'https://h.example/hook/***');
  assert.equal(redactUrl('not a url'), '<invalid url>');
});

test('Redactor scrubs secrets from free text but leaves a secret-free URL readable', () => {
  const r = new Redactor();
  r.addUrl('http://127.0.0.1:9093/api/v2/alerts');
  r.addUrl('https://user:pw12345@hooks.example/services/T1/B2/tok3nTOKEN?sig=abc123def');
  r.addHeaders({ Authorization: 'Bearer sekritvalue' });
  assert.equal(r.scrub('POST http://127.0.0.1:9093/api/v2/alerts failed'), 'POST http://127.0.0.1:9093/api/v2/alerts failed');
  const out = r.scrub('fetch https://user:pw12345@hooks.example/services/T1/B2/tok3nTOKEN?sig=abc123def: pw12345 tok3nTOKEN abc123def sekritvalue');
  for (const s of ['pw12345', 'tok3nTOKEN', 'abc123def', 'sekritvalue']) assert.ok(!out.includes(s), out);
});

test('createAlerter validates the raw config section and names the bad key', () => {
  assert.throws(() => createAlerter({ enabled: true, min_severity: 'warning', webhok_url: 'http://x' }, { spoolDir: tmpDir() }),
    /alerting: unknown key "webhok_url"/);
  assert.throws(() => createAlerter({ enabled: true, sinks: [{ type: 'slack' }] }, { spoolDir: tmpDir() }),
    /alerting\.sinks\[0\]\.url: must be a string URL/);
});

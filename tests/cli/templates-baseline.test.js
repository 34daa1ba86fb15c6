// lad templates (--json and table) and lad baseline create / merge / show, plus analyze --baseline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lad, tmp, SYSLOG, JSONL } from './helpers.js';

test('templates --json: learned templates with counts, first/last seen, example', () => {
  const r = lad(['templates', SYSLOG, '--json', '--limit', '0']);
  assert.equal(r.code, 0, r.stderr);
  const list = JSON.parse(r.stdout);
  assert.ok(Array.isArray(list) && list.length > 10, `templates: ${list.length}`);
  for (const t of list) {
    for (const k of ['template_id', 'template', 'count', 'first_seen', 'last_seen', 'example']) assert.ok(k in t, `template has ${k}`);
    assert.ok(t.count >= 1);
    assert.ok(t.first_seen <= t.last_seen, `${t.first_seen} <= ${t.last_seen}`);
  }
  for (let i = 1; i < list.length; i++) assert.ok(list[i - 1].count >= list[i].count, 'sorted by count');
  const lines = readFileSync(SYSLOG, 'utf8').split('\n').filter((l) => l).length;
  assert.equal(list.reduce((s, t) => s + t.count, 0), lines, 'every line in exactly one template');
  // variable parts are masked: one template for all "order N created for customer N in N ms"
  const orders = list.filter((t) => /order .* created for customer/.test(t.template));
  assert.equal(orders.length, 1, JSON.stringify(orders.map((t) => t.template)));
  assert.ok(orders[0].count > 1000);
  // the incident's pattern is new, first seen in the incident
  const slots = list.find((t) => t.template.includes('remaining connection slots are reserved'));
  assert.ok(slots, 'incident template learned');
  assert.match(slots.first_seen, /T10:3[6-9]/);
  assert.equal(slots.new, true);
});

test('templates table and --limit', () => {
  const r = lad(['templates', SYSLOG, '--limit', '3', '--examples']);
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.split('\n');
  assert.match(rows[0], /COUNT\s+ID\s+FIRST SEEN\s+LAST SEEN\s+TEMPLATE/);
  assert.equal(rows.filter((l) => /^\s*[\d,]+\s{2}\S/.test(l)).length, 3);
  assert.match(r.stdout, /e\.g\. /);
  assert.match(r.stdout, /showing the first 3/);
});

test('baseline create, show, merge (counts add), analyze --baseline', (t) => {
  const d = tmp(t);
  const a = join(d, 'a.json');
  const m = join(d, 'fleet.json');
  let r = lad(['baseline', 'create', SYSLOG, '-o', a]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Baseline saved to/);
  const base = JSON.parse(readFileSync(a, 'utf8'));
  assert.equal(typeof base, 'object');

  r = lad(['baseline', 'show', a]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.split('\n').length > 3);
  assert.deepEqual(JSON.parse(lad(['baseline', 'show', a, '--json']).stdout), base);

  r = lad(['baseline', 'merge', a, a, '-o', m]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(m));
  const merged = JSON.parse(readFileSync(m, 'utf8'));
  // Every count-like number doubles when a baseline is merged with itself.
  const counts = (o, out = [], key = '') => {
    if (Array.isArray(o)) o.forEach((x) => counts(x, out, key));
    else if (o && typeof o === 'object') for (const [k, v] of Object.entries(o)) counts(v, out, k);
    else if (typeof o === 'number' && /(^|_)(count|counts|records|total|n|lines|events)$/.test(key)) out.push(o);
    return out;
  };
  const ca = counts(base), cm = counts(merged);
  assert.ok(ca.length > 0, 'the baseline holds counts');
  assert.equal(cm.reduce((s, x) => s + x, 0), 2 * ca.reduce((s, x) => s + x, 0), 'counts add');
  assert.equal(lad(['baseline', 'show', m]).code, 0);

  r = lad(['analyze', JSONL, '--baseline', a, '--json', '--fail-on', 'never']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).total_lines, readFileSync(JSONL, 'utf8').split('\n').filter((l) => l).length);
});

test('a file that is not a baseline is rejected with exit 2', (t) => {
  const r = lad(['baseline', 'show', SYSLOG]);
  assert.equal(r.code, 2);
  assert.ok(r.stderr.includes(SYSLOG), r.stderr);
  const r2 = lad(['analyze', SYSLOG, '--baseline', JSONL]);
  assert.equal(r2.code, 2);
  assert.ok(r2.stderr.includes(JSONL), r2.stderr);
});

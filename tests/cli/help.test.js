// Help and baseline show: the root help mentions 'lad FILE', defaults print as typed (200, not "200"),
// -q says the same thing in every command, and baseline show prints each template's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { lad, tmp, SYSLOG } from './helpers.js';

const COMMANDS = [['analyze'], ['watch'], ['baseline', 'create'], ['baseline', 'merge'], ['baseline', 'show'], ['templates']];

test('root help mentions lad FILE; no quoted defaults; one meaning of -q', () => {
  const root = lad(['--help']);
  assert.equal(root.code, 0);
  assert.match(root.stdout, /'lad FILE\.\.\.' is short for 'lad analyze FILE\.\.\.'/);
  const quiet = new Set();
  for (const c of COMMANDS) {
    const h = lad([...c, '--help']).stdout;
    assert.doesNotMatch(h, /\(default: "/, `${c.join(' ')}: quoted default`);
    // The -q description, with its wrapped continuation lines joined.
    const q = /^\s*-q, --quiet\s+(.*(?:\n\s{8,}\S.*)*)/m.exec(h);
    if (q) quiet.add(q[1].replace(/\s+/g, ' ').trim());
  }
  assert.match(lad(['analyze', '--help']).stdout, /\(default: 200\)/);
  assert.equal(quiet.size, 1, [...quiet].join('\n'));
});

test('baseline show prints template text; merge keeps it', (t) => {
  const d = tmp(t);
  const b = join(d, 'b.json');
  assert.equal(lad(['baseline', 'create', SYSLOG, '-o', b, '-q']).code, 0);
  const show = lad(['baseline', 'show', b]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^\s+[0-9a-f]{16}\s+[\d,]+\s+INFO order <\*> created for customer <\*> in <\*>$/m);
  const m = join(d, 'm.json');
  assert.equal(lad(['baseline', 'merge', b, b, '-o', m, '-q']).code, 0);
  assert.match(lad(['baseline', 'show', m]).stdout, /INFO order <\*> created for customer/);
  // The module still accepts a baseline carrying template_text.
  assert.equal(lad(['analyze', SYSLOG, '-b', m, '-q', '--fail-on', 'never']).code, 0);
});

test('baseline show: a document without window_size is the module\'s to reject (the host assumes no default)', (t) => {
  const d = tmp(t);
  const b = join(d, 'b.json');
  assert.equal(lad(['baseline', 'create', SYSLOG, '-o', b, '-q']).code, 0);
  const doc = JSON.parse(readFileSync(b, 'utf8'));
  delete doc.window_size;
  writeFileSync(b, JSON.stringify(doc));
  const show = lad(['baseline', 'show', b]);
  assert.equal(show.code, 2);
  assert.match(show.stderr, /window_size: expected a number >= 1/);
  assert.doesNotMatch(show.stdout, /window \d+ s/);
});

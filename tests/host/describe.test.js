// The host's words for the module's contract (src/module/vocabulary.ts, the batch flags) are the
// module's own, as lad_describe() states them; so is the README's configuration table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LadModule, FLAG_TAG_ALL, FLAG_WINDOWS } from '../../dist/module/module.js';
import { SEVERITIES, EVENT_TYPES, NATIVE_FORMATS } from '../../dist/module/vocabulary.js';

test('lad_describe: severities in order, event types, input formats and batch flags match the host', async () => {
  const d = (await LadModule.create()).describe();
  assert.deepEqual(d.severities, [...SEVERITIES]);
  assert.deepEqual(d.event_types, [...EVENT_TYPES]);
  assert.deepEqual([...d.input_formats].sort(), [...NATIVE_FORMATS].sort());
  assert.deepEqual(d.batch_flags, { tag_all: FLAG_TAG_ALL, windows: FLAG_WINDOWS });
});

test("lad_describe: record levels in order; the direct harness's level words are the module's", async () => {
  const { levels } = (await LadModule.create()).describe();
  // a level's number is its index: the parser's LEVEL_INFO is 2, LEVEL_ERROR 5 (assembly/core/levels.ts)
  assert.equal(levels.indexOf('info'), 2);
  assert.equal(levels.indexOf('error'), 5);
  assert.equal(levels.length, 7);
  const { LEVEL_ALIAS } = await import('../../scripts/lib/gen-streams.js');
  for (const [word, level] of Object.entries(LEVEL_ALIAS)) assert.ok(levels.includes(level), `${word} -> ${level}`);
});

test("the host's config lists are the table's: sections, alerting keys, min_severity's default", async () => {
  const { TOP_LEVEL_KEYS } = await import('../../dist/config/load.js');
  const { ALERTING_KEYS, DEFAULT_MIN_SEVERITY } = await import('../../dist/alerts/index.js');
  const { config } = (await LadModule.create()).describe();
  assert.deepEqual([...TOP_LEVEL_KEYS].sort(), [...new Set(config.map((k) => k.key.split('.')[0]))].sort());
  assert.deepEqual([...ALERTING_KEYS].sort(), config.filter((k) => k.key.startsWith('alerting.')).map((k) => k.key.slice(9)).sort());
  assert.equal(DEFAULT_MIN_SEVERITY, config.find((k) => k.key === 'alerting.min_severity').default);
});

test('effective configuration: configured values, else the defaults, integers as applied', async () => {
  const mod = await LadModule.create();
  const d = mod.describe();
  for (const k of d.config) assert.deepEqual(d.effective[k.key], k.default, k.key);
  mod.configure({ detection: { window_size: 30.7 }, alerting: { enabled: true }, output: { key: 'lad' } });
  const e = mod.describe().effective;
  assert.equal(e['detection.window_size'], 30);
  assert.equal(e['alerting.enabled'], true);
  assert.equal(e['output.key'], 'lad');
  assert.equal(e['output.fallback_key'], 'anomaly_lad');
});

/** The README's configuration table: key cells (names without a section take the previous one's;
 *  `section.*` rows list their keys in the meaning cell) and default cells. */
function readmeConfigTable() {
  const text = readFileSync('README.md', 'utf8');
  const start = text.indexOf('## Configuration (`lad.json`)');
  const part = text.slice(start, text.indexOf('\n## ', start + 10));
  const rows = [];
  for (const line of part.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cells = line.replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
    let section = '';
    const keys = [];
    for (const [, name] of cells[0].matchAll(/`([^`]+)`/g)) {
      if (name.endsWith('.*')) {
        section = name.slice(0, -2);
        for (const [, k] of cells[2].matchAll(/`([a-z_]+)`/g)) keys.push(`${section}.${k}`);
        continue;
      }
      if (name.includes('.')) section = name.split('.')[0];
      keys.push(name.includes('.') || !section ? name : `${section}.${name}`);
    }
    rows.push({ keys, dflt: cells[1] });
  }
  return rows;
}

/** A default cell's value: a number, `text`, `[]`, none (null or empty). Undefined: not checkable. */
function cellValue(s) {
  s = s.trim();
  if (s === 'none') return null;
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  const m = /^`(.*)`$/.exec(s);
  if (m) return m[1] === '[]' ? [] : m[1];
  return undefined;
}

test("the README's configuration table names every key of the table, and its defaults are the table's", async () => {
  const { config } = (await LadModule.create()).describe();
  const rows = readmeConfigTable();
  const documented = rows.flatMap((r) => r.keys);
  assert.deepEqual([...new Set(documented)].sort(), config.map((k) => k.key).sort());
  let checked = 0;
  for (const r of rows) {
    const cells = r.dflt.split(/, (?=[`\dn])/);
    if (cells.length !== r.keys.length) continue;
    r.keys.forEach((key, i) => {
      const want = cellValue(cells[i]);
      if (want === undefined) return;
      const got = config.find((k) => k.key === key).default;
      if (want === null) assert.ok(got === null || got === '', `${key}: README says none, the module ${JSON.stringify(got)}`);
      else assert.deepEqual(got, want, key);
      checked++;
    });
  }
  assert.ok(checked >= 12, `defaults checked: ${checked}`);
});

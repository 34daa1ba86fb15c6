// One owner for each part of the module's contract (issue 13): one JS host of the ABI, one hash
// helper, the severity order said once per language, the module's defaults not restated by the
// hosts. Each test reads the tree, so a copy that comes back fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function files(dir, exts = ['.ts', '.js']) {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : files(p, exts);
    return exts.some((x) => e.name.endsWith(x)) ? [p] : [];
  });
}

/** [file, line number, line] of every line in `dirs` matching re, outside `allowed` files. */
function hits(dirs, re, allowed = []) {
  const out = [];
  for (const f of dirs.flatMap((d) => files(d))) {
    const rel = relative(ROOT, join(ROOT, f));
    if (allowed.includes(rel)) continue;
    readFileSync(join(ROOT, f), 'utf8').split('\n').forEach((l, i) => { if (re.test(l)) out.push(`${rel}:${i + 1}: ${l.trim()}`); });
  }
  return out;
}

test('one JS host of the ABI: only src/module/module.ts (and the Fluent Bit calling-convention test) instantiates a module', () => {
  const found = hits(['src', 'scripts', 'tests'], /WebAssembly\.(instantiate|compile)\b|new WebAssembly\.(Instance|Module)\b/,
    ['src/module/module.ts', 'tests/host/fluent_bit_abi.test.js', 'tests/package/one-owner.test.js']);
  assert.deepEqual(found, []);
});

test('one hash helper: the FNV-1a constants live in assembly/core/hash.ts only', () => {
  // scripts/lib/gen-dict.js builds the dictionary's Bloom filter offline (assembly/miner/dict_data.ts):
  // it cannot call the module it generates data for.
  const found = hits(['assembly', 'src', 'scripts'], /0xcbf29ce484222325|0x100000001b3|0x811c9dc5|0x01000193/i,
    ['assembly/core/hash.ts', 'scripts/lib/gen-dict.js']);
  assert.deepEqual(found, []);
});

test('the severity order is said once: assembly/core/events.ts for the module, src/module/vocabulary.ts for the hosts', () => {
  // a rank map (info: 0, ... critical: 2), a rank by comparison, or the three names in order
  const re = /\binfo['"]?\s*:\s*0\b|['"]critical['"]\s*\?\s*2|\binfo\W+(\w+\W+)?warning\W+(\w+\W+)?critical\b|\bcritical\W+(\w+\W+)?warning\W+(\w+\W+)?info\b/;
  const found = hits(['src', 'scripts', 'assembly'], re, ['src/module/vocabulary.ts', 'assembly/core/events.ts'])
    .filter((h) => !/\/__tests__\//.test(h))
    // keyed by severity, not ordered by it: colours, icons, counters, caps
    .filter((h) => !/(SEV_COLOR|ICON|MAX_KEPT|bySeverity|keptBySev|critical: number|anomalies: \{ total)/.test(h))
    // the real-lines corpus documents its level column (levels, not severities)
    .filter((h) => !h.startsWith('scripts/lib/real-lines.js'));
  assert.deepEqual(found, []);
});

test("the hosts ask the module for its defaults: no fallback to min_severity's or window_size's default", () => {
  const found = hits(['src', 'scripts'], /(min_severity|window_size|windowSize|minSeverity)\b.*(\?\?|\|\||\?[^:]*:)\s*(['"]warning['"]|60\b)/);
  assert.deepEqual(found, []);
});

test("the module's configuration classes take their defaults from the table (core/config_keys.ts), not from literals", () => {
  // fields that are no configuration key: the miner's own constants, the format hint ("auto" = none)
  const own = new Set(['formatHint', 'minConst', 'stableAfter', 'maxDelta', 'maxAlign', 'maxScan', 'maxAlignScan']);
  const classes = [['assembly/core/config.ts', 'Config'], ['assembly/detect/dconfig.ts', 'DetectConfig'], ['assembly/miner/store.ts', 'MinerConfig']];
  const literal = [];
  let fields = 0;
  for (const [file, name] of classes) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const start = text.indexOf(`export class ${name} {`);
    assert.ok(start >= 0, `${file}: class ${name}`);
    const body = text.slice(start, text.indexOf('\n}', start));
    for (const [, field, init] of body.matchAll(/^\s+(\w+): [^=\n]+= (.+);$/gm)) {
      fields++;
      if (!own.has(field) && !/\bdefault(Num|Bool|Str|Strs)\(/.test(init)) literal.push(`${file} ${name}.${field} = ${init}`);
    }
  }
  assert.ok(fields >= 40, `fields read: ${fields}`);
  assert.deepEqual(literal, []);
});

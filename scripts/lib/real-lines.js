// The real-lines corpus (tests/data/real-lines.tsv): real log lines from public fixtures and
// documentation, each with the level and event time a person reads off it. Each row goes through the
// built module as Fluent Bit sends a tailed line ({"log": <line>}), and anomaly.level /
// anomaly.time are compared with the row.
//   time column: ISO 8601 ("Z" or offset; the time written without a zone is read as UTC), "--MM-DD..."
//   for a line without a year (month, day and clock are compared), "-" for a line without a time of
//   its own (the record must get the host time), alternatives separated by "|".
//   level column: trace|debug|info|notice|warning|error|critical, alternatives separated by "|".
import { readFileSync } from 'node:fs';
import { LadModule } from '../../dist/module/module.js';

/** The host time given with every record: a row without a time must come back with exactly this. */
export const HOST_SEC = 1234567890; // 2009-02-13T23:31:30Z

export function loadRows(path) {
  const rows = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((l, i) => {
    if (!l || l.startsWith('#')) return;
    const f = l.split('\t');
    if (f.length < 5) throw new Error(`${path}:${i + 1}: want 5 tab-separated columns`);
    rows.push({ lineNo: i + 1, product: f[0], source: f[1], level: f[2], time: f[3], line: f.slice(4).join('\t') });
  });
  return rows;
}

function timeMatches(want, got) {
  if (got === undefined) return false;
  const gotMs = Date.parse(got);
  return want.split('|').some(w => {
    if (w === '-') return gotMs === HOST_SEC * 1000;
    if (w.startsWith('--')) {
      const ref = Date.parse(`2000${w.slice(1)}`); // leap year, so --02-29 parses
      const a = new Date(ref), b = new Date(gotMs);
      return a.getUTCMonth() === b.getUTCMonth() && a.getUTCDate() === b.getUTCDate() &&
        a.getUTCHours() === b.getUTCHours() && a.getUTCMinutes() === b.getUTCMinutes() &&
        a.getUTCSeconds() === b.getUTCSeconds() && a.getUTCMilliseconds() === b.getUTCMilliseconds();
    }
    return Date.parse(w) === gotMs;
  });
}

/** Run every row; returns rows with got_level, got_time, level_ok, time_ok. */
export async function runRows(rows, wasmPath) {
  const host = await LadModule.create(wasmPath);
  return rows.map(r => {
    const out = host.filter('real', HOST_SEC, 0, JSON.stringify({ log: r.line }));
    const a = out === null ? {} : (JSON.parse(out).anomaly ?? {});
    return {
      ...r, got_level: a.level, got_time: a.time,
      level_ok: r.level.split('|').includes(a.level),
      time_ok: timeMatches(r.time, a.time),
    };
  });
}

export function summarise(results) {
  const pct = (n, d) => (d ? (100 * n) / d : 0);
  const byProduct = new Map();
  for (const r of results) {
    if (!byProduct.has(r.product)) byProduct.set(r.product, []);
    byProduct.get(r.product).push(r);
  }
  const level = pct(results.filter(r => r.level_ok).length, results.length);
  const time = pct(results.filter(r => r.time_ok).length, results.length);
  const products = [...byProduct.entries()].map(([product, rs]) => ({
    product, rows: rs.length,
    level: pct(rs.filter(r => r.level_ok).length, rs.length),
    time: pct(rs.filter(r => r.time_ok).length, rs.length),
  })).sort((a, b) => a.product.localeCompare(b.product));
  return { rows: results.length, products: products.length, level, time, per_product: products };
}

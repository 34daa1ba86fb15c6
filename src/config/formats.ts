// Custom `formats:` from the config: Python-style regexes with named groups, applied by the harness
// before the module. A matching line becomes a JSON record built from its groups (timestamp turned
// into RFC 3339 when recognisable, level, message, the rest as fields); other lines pass unchanged,
// so the module's own parsers still see them.
import type { LineTransform } from '../module/feeder.js';

export interface CustomFormat {
  name: string;
  source: string;
  regex: RegExp;
}

/** Python `re` syntax -> JavaScript: (?P<n>..) -> (?<n>..), (?P=n) -> \k<n>, leading inline
 *  flags -> RegExp flags, \A / \Z anchors. re.match anchors at the start only. */
export function pythonToJs(src: string): { pattern: string; flags: string } {
  let flags = '';
  let s = src;
  const lead = /^\(\?([aiLmsux]+)\)/.exec(s);
  if (lead) {
    for (const f of lead[1]) {
      if (f === 'i' || f === 'm' || f === 's') { if (!flags.includes(f)) flags += f; }
      else if (f === 'x') throw new Error('verbose flag (?x) is not supported');
      // a, L, u: ASCII/locale/unicode matching; JavaScript's default is close to Python's for logs
    }
    s = s.slice(lead[0].length);
  }
  s = s.replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$(?![\\s\\S])');
  return { pattern: `^(?:${s})`, flags };
}

export function compileFormats(map: Record<string, unknown>): CustomFormat[] {
  const out: CustomFormat[] = [];
  for (const [name, v] of Object.entries(map)) {
    if (v === null || v === undefined || v === '') continue; // e.g. `json: null`: the module parses it
    if (typeof v !== 'string') throw new Error(`formats.${name}: expected a regex string or null, got ${JSON.stringify(v)}`);
    let regex: RegExp;
    try {
      const { pattern, flags } = pythonToJs(v);
      regex = new RegExp(pattern, flags);
    } catch (e) {
      throw new Error(`formats.${name}: invalid regex ${JSON.stringify(v)}: ${(e as Error).message}`);
    }
    out.push({ name, source: v, regex });
  }
  return out;
}

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

function iso(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

function tzOffsetMs(tz: string | undefined): number {
  if (!tz) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
  if (!m) return 0;
  const v = (Number(m[2]) * 60 + Number(m[3])) * 60000;
  return m[1] === '+' ? v : -v;
}

/** Best effort RFC 3339 (UTC when the text has no zone) for the time formats logs use; null when
 *  unrecognised. `year` fills in syslog's missing year. */
export function normalizeTimestamp(t: string, year = new Date().getUTCFullYear()): string | null {
  let m: RegExpExecArray | null;
  const s = t.trim();
  // ISO 8601 / RFC 3339, with space or T, optional fraction and zone
  if ((m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s))) {
    const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] ? Math.floor(Number(m[7]) * 1000) : 0);
    return iso(ms - (m[8] && m[8].toUpperCase() !== 'Z' ? tzOffsetMs(m[8]) : 0));
  }
  // nginx error: 2024/01/15 14:32:15
  if ((m = /^(\d{4})\/(\d{2})\/(\d{2})\s+(\d{2}):(\d{2}):(\d{2})$/.exec(s))) {
    return iso(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  }
  // syslog: Jan 15 14:32:15 (no year)
  if ((m = /^([A-Za-z]{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})$/.exec(s)) && m[1].toLowerCase() in MONTHS) {
    return iso(Date.UTC(year, MONTHS[m[1].toLowerCase()], +m[2], +m[3], +m[4], +m[5]));
  }
  // access log: 15/Jan/2024:14:32:15 +0000
  if ((m = /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\s+([+-]\d{4}))?$/.exec(s)) && m[2].toLowerCase() in MONTHS) {
    return iso(Date.UTC(+m[3], MONTHS[m[2].toLowerCase()], +m[1], +m[4], +m[5], +m[6]) - tzOffsetMs(m[7]));
  }
  // apache error: Mon Jan 15 14:32:15.123456 2024
  if ((m = /^[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?\s+(\d{4})$/.exec(s)) && m[1].toLowerCase() in MONTHS) {
    return iso(Date.UTC(+m[6], MONTHS[m[1].toLowerCase()], +m[2], +m[3], +m[4], +m[5]));
  }
  // epoch seconds or milliseconds
  if (/^\d{10}(\.\d+)?$/.test(s)) return iso(Number(s) * 1000);
  if (/^\d{13}$/.test(s)) return iso(Number(s));
  return null;
}

/** Turns the groups of a matching line into a record for the module. */
export function recordFromGroups(groups: Record<string, string | undefined>, line: string, year?: number): Record<string, unknown> {
  const rec: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(groups)) if (v !== undefined) rec[k] = v;
  if (typeof rec.timestamp === 'string') {
    const t = normalizeTimestamp(rec.timestamp, year);
    if (t) rec.timestamp = t;
  }
  if (rec.message === undefined) rec.message = line;
  return rec;
}

/** Applies one custom format to every line of a batch. */
export class RegexTransform implements LineTransform {
  matched = 0;
  constructor(readonly format: CustomFormat, private readonly year?: number) {}

  apply(lines: Buffer): Buffer {
    const text = lines.toString('utf8');
    const parts = text.split('\n');
    const re = this.format.regex;
    for (let i = 0; i < parts.length; i++) {
      let line = parts[i];
      if (line.length === 0) continue;
      if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
      const m = re.exec(line);
      if (m && m.groups) {
        parts[i] = JSON.stringify(recordFromGroups(m.groups, line, this.year));
        this.matched++;
      }
    }
    return Buffer.from(parts.join('\n'), 'utf8');
  }
}

// The seed's built-in patterns, used only to decide whether the module understands a file natively
// (then custom formats stay out of the hot path in auto mode).
const NATIVE = [
  /^\w+\s+\d+\s+\d+:\d+:\d+\s+\S+\s+\S+?(\[\d+\])?:\s+/,
  /^<\d{1,3}>\d?\s*/,
  /^\d{4}\/\d{2}\/\d{2}\s+\d{2}:\d{2}:\d{2}\s+\[\w+\]\s+/,
  /^\S+\s+\S+\s+\S+\s+\[[^\]]+\]\s+"[^"]*"\s+\d+/,
  /^\[[^\]]+\]\s+\[[\w:]+\]\s+/,
  /^\d{4}-\d{2}-\d{2}[T\s]\d{2}:\d{2}:\d{2}\S*\s+\S+\s+/,
  /^\s*\{/,
];

/** Auto mode for one source: decides on the first batch whether a custom format applies, then
 *  either applies it or leaves every batch untouched. */
export class AutoTransform implements LineTransform {
  private chosen: RegexTransform | null | undefined;
  constructor(private readonly formats: CustomFormat[], private readonly year?: number) {}

  get format(): CustomFormat | null { return this.chosen ? this.chosen.format : null; }

  apply(lines: Buffer): Buffer | null {
    if (this.chosen === undefined) {
      const sample = lines.toString('utf8', 0, Math.min(lines.length, 64 << 10)).split('\n').slice(0, 60);
      const f = chooseFormat(this.formats, sample);
      this.chosen = f ? new RegexTransform(f, this.year) : null;
    }
    return this.chosen ? this.chosen.apply(lines) : null;
  }
}

/** Auto mode: the custom format to apply, chosen on a sample of lines. A format is chosen only when
 *  most sample lines match it and the module's own parsers would not recognise them. */
export function chooseFormat(formats: CustomFormat[], sample: string[]): CustomFormat | null {
  const lines = sample.filter((l) => l.trim().length > 0).slice(0, 50);
  if (formats.length === 0 || lines.length === 0) return null;
  const half = Math.ceil(lines.length / 2);
  const native = lines.filter((l) => NATIVE.some((r) => r.test(l))).length;
  if (native >= half) return null;
  for (const f of formats) {
    if (lines.filter((l) => f.regex.test(l)).length >= half) return f;
  }
  return null;
}

// Runs batches of complete NDJSON lines through the lad module (lad_batch with FLAG_TAG_ALL: every
// record comes back tagged, one output line per non-empty input line, in order) and picks out the
// anomaly objects for metrics and alerts. The input region in module memory is allocated once and
// grown when a bigger batch arrives.
import { LiveGate, heartbeatLine } from '../module/heartbeat.js';
import { isUtf8 } from 'node:buffer';
import { FLAG_TAG_ALL, type LadModule } from '../module/module.js';
import { readTagged, type RawAnomaly } from '../module/results.js';

export interface TagOutcome {
  /** Tagged NDJSON, newline-terminated (a copy: module memory is reused by the next call). */
  out: Buffer;
  records: number;
  anomalies: RawAnomaly[];
  /** Set when the module failed on this batch: `out` then holds the input lines untagged. */
  error?: string;
  /** Lines that were not a JSON object, replaced by {"log":"<input line>","lad_wrapped":true}. */
  wrapped: number;
  /** JSON lines with bytes that are not UTF-8, replaced by U+FFFD. */
  repaired: number;
}

const NL = 10;

export function countLines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(NL); i >= 0; i = b.indexOf(NL, i + 1)) n++;
  return n;
}

/** The non-empty lines of `buf` (without '\n' and a '\r' before it). */
function splitLines(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let a = 0;
  while (a < buf.length) {
    let b = buf.indexOf(NL, a);
    if (b < 0) b = buf.length;
    let e = b;
    if (e > a && buf[e - 1] === 13) e--;
    if (e > a) out.push(buf.subarray(a, e));
    a = b + 1;
  }
  return out;
}

/** Cheap check that every line of `buf` is UTF-8 and looks like a JSON object ('{' ... '}'). */
function looksLikeObjects(buf: Buffer): boolean {
  if (!isUtf8(buf)) return false;
  let a = 0;
  while (a < buf.length) {
    let b = buf.indexOf(NL, a);
    if (b < 0) b = buf.length;
    if (b > a && (buf[a] !== 0x7b || buf[b - 1] !== 0x7d)) return false;
    a = b + 1;
  }
  return true;
}

function jsonObject(text: string): boolean {
  if (text.charCodeAt(0) !== 0x7b) return false;
  try {
    const v = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** What `lad serve` forwards is one JSON object per line, valid UTF-8, always (a Vector `socket`
 *  source decoding JSON rejects anything else): a line with bytes that are not UTF-8 has them
 *  replaced by U+FFFD; a line that is not a JSON object becomes {"log":"<its input line>",
 *  "lad_wrapped":true}. `input` are the batch's input parts (one output line per non-empty input
 *  line, in order). */
export function ensureJsonLines(out: Buffer, input: Buffer[]): { out: Buffer; wrapped: number; repaired: number } {
  if (looksLikeObjects(out)) return { out, wrapped: 0, repaired: 0 };
  const outLines = splitLines(out);
  const inLines = splitLines(input.length === 1 ? input[0] : Buffer.concat(input));
  const paired = inLines.length === outLines.length;
  let wrapped = 0, repaired = 0;
  const parts: Buffer[] = [];
  outLines.forEach((line, i) => {
    const utf8 = isUtf8(line);
    if (utf8 && line[0] === 0x7b && line[line.length - 1] === 0x7d) { parts.push(line, NLB); return; }
    const text = line.toString('utf8');
    if (jsonObject(text)) {
      if (utf8) parts.push(line, NLB);
      else { repaired++; parts.push(Buffer.from(text, 'utf8'), NLB); }
      return;
    }
    wrapped++;
    const raw = (paired ? inLines[i] : line).toString('utf8');
    parts.push(Buffer.from(JSON.stringify({ log: raw, lad_wrapped: true }), 'utf8'), NLB);
  });
  return { out: Buffer.concat(parts), wrapped, repaired };
}

const NLB = Buffer.from('\n');

/** Input lines without the empty ones (what the module would have emitted, untagged). */
function passThrough(parts: Buffer[]): Buffer {
  const all = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  const keep: Buffer[] = [];
  let a = 0;
  while (a < all.length) {
    let b = all.indexOf(NL, a);
    if (b < 0) b = all.length;
    let e = b;
    if (e > a && all[e - 1] === 13) e--;
    if (e > a) keep.push(all.subarray(a, e), Buffer.from('\n'));
    a = b + 1;
  }
  return Buffer.concat(keep);
}

export class Tagger {
  private ptr = 0;
  private cap = 0;
  errors = 0;

  private gate: LiveGate | null = null;

  constructor(private readonly mod: LadModule, private readonly mainTag: string, private readonly outputKeys: string[]) {
    mod.setTag(mainTag);
  }

  /** A wall-clock heartbeat (a record tagged `hbTag`, which only moves the module's event-time
   *  clock) so quiet streams' windows close and silences are seen while nothing arrives; only once
   *  the input has shown itself live (the module clock within 10 windows of the wall clock).
   *  Returns the anomalies riding on it (never forwarded: it is not a user record). */
  beat(hbTag: string, windowMs: number, nowMs = Date.now()): RawAnomaly[] {
    this.gate ??= new LiveGate(this.mod, windowMs);
    if (!this.gate.open(nowMs)) return [];
    const line = heartbeatLine(nowMs);
    const anomalies: RawAnomaly[] = [];
    try {
      if (line.length > this.cap) return [];
      this.mod.setTag(hbTag);
      this.mod.mem().set(line, this.ptr);
      const span = this.mod.batch(this.ptr, line.length, FLAG_TAG_ALL, Math.floor(nowMs / 1000));
      const out = Buffer.from(this.mod.view(span).records);
      if (out.includes('"events":[')) readTagged(out, this.outputKeys, { anomaly: (a) => anomalies.push(a) });
    } catch {
      this.errors++;
    } finally {
      this.mod.setTag(this.mainTag);
    }
    return anomalies;
  }

  /** `parts`, concatenated, must be complete lines (the last part ends with '\n'). */
  tag(parts: Buffer[]): TagOutcome {
    let total = 0;
    for (const p of parts) total += p.length;
    if (total === 0) return { out: Buffer.alloc(0), records: 0, anomalies: [], wrapped: 0, repaired: 0 };
    try {
      if (total > this.cap) {
        if (this.ptr) this.mod.release(this.ptr);
        this.ptr = 0;
        this.cap = Math.max(total, this.cap * 2, 1 << 20);
        this.ptr = this.mod.alloc(this.cap);
      }
      let mem = this.mod.mem();
      let off = this.ptr;
      for (const p of parts) { mem.set(p, off); off += p.length; }
      const span = this.mod.batch(this.ptr, total, FLAG_TAG_ALL, Math.floor(Date.now() / 1000));
      const raw = Buffer.from(this.mod.view(span).records);
      const { out, wrapped, repaired } = ensureJsonLines(raw, parts);
      const anomalies: RawAnomaly[] = [];
      if (out.includes('"events":[')) readTagged(out, this.outputKeys, { anomaly: (a) => anomalies.push(a) });
      return { out, records: countLines(out), anomalies, wrapped, repaired };
    } catch (e) {
      // Never lose records: a failing module passes them on untagged.
      this.errors++;
      this.cap = 0;
      this.ptr = 0;
      const pass = passThrough(parts);
      const { out, wrapped, repaired } = ensureJsonLines(pass, [pass]);
      return { out, records: countLines(out), anomalies: [], error: (e as Error).message, wrapped, repaired };
    }
  }
}

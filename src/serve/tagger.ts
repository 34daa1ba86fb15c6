// Runs batches of complete NDJSON lines through the lad module (lad_batch with FLAG_TAG_ALL: every
// record comes back tagged, one output line per non-empty input line, in order) and picks out the
// anomaly objects for metrics and alerts. The input region in module memory is allocated once and
// grown when a bigger batch arrives.
import { FLAG_TAG_ALL, type LadModule } from '../core/module.js';
import { readTagged, type RawAnomaly } from '../core/results.js';

export interface TagOutcome {
  /** Tagged NDJSON, newline-terminated (a copy: module memory is reused by the next call). */
  out: Buffer;
  records: number;
  anomalies: RawAnomaly[];
  /** Set when the module failed on this batch: `out` then holds the input lines untagged. */
  error?: string;
}

const NL = 10;

export function countLines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(NL); i >= 0; i = b.indexOf(NL, i + 1)) n++;
  return n;
}

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

  constructor(private readonly mod: LadModule, tag: string, private readonly outputKeys: string[]) {
    mod.setTag(tag);
  }

  /** `parts`, concatenated, must be complete lines (the last part ends with '\n'). */
  tag(parts: Buffer[]): TagOutcome {
    let total = 0;
    for (const p of parts) total += p.length;
    if (total === 0) return { out: Buffer.alloc(0), records: 0, anomalies: [] };
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
      mem = this.mod.mem();
      const out = Buffer.allocUnsafe(span.len);
      mem.copy(out, 0, span.ptr, span.ptr + span.len);
      const anomalies: RawAnomaly[] = [];
      if (out.includes('"events":[')) readTagged(out, this.outputKeys, { anomaly: (a) => anomalies.push(a) });
      return { out, records: countLines(out), anomalies };
    } catch (e) {
      // Never lose records: a failing module passes them on untagged.
      this.errors++;
      this.cap = 0;
      this.ptr = 0;
      const out = passThrough(parts);
      return { out, records: countLines(out), anomalies: [], error: (e as Error).message };
    }
  }
}

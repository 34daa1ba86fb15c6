// Totals since start, for lad_stats (harness summaries, /metrics). Fixed-size arrays: no growth.
import { ByteBuf } from "./byte_buf";
import { levelName, LEVEL_CRITICAL } from "./levels";
import { formatName, FORMAT_TEXT } from "./formats";

// Unmanaged (like the counters' arrays): the per-record path reads and bumps these, and a managed
// global costs a shadow-stack spill at every use under the incremental runtime.
@unmanaged
export class Stats {
  untouched: u64 = 0;   // records returned unchanged (not a JSON object, or config error)
  alerts: u64 = 0;
  events: u64 = 0;
  /** u64 counters of the records analysed, per level (0-6), format (0-15), whether their event
   *  time came from the record or line itself (not the host clock) and whether they were ignored:
   *  one increment per record (countRecord), the totals summed when they are written. */
  counts: usize = memory.data(512 * 8, 8);

  /** Counts one analysed record: level li (<= 6), format fi (<= 15). */
  @inline countRecord(li: usize, fi: usize, timed: bool, ignored: bool): void {
    let c = this.counts + ((li << 9) | (fi << 5) | (<usize>timed << 4) | (<usize>ignored << 3));
    store<u64>(c, load<u64>(c) + 1);
  }

  /** The sum of the counters whose index has the bits of `want` under `mask`. */
  sum(mask: usize, want: usize): u64 {
    let t: u64 = 0;
    for (let i: usize = 0; i < 512; i++) if ((i & mask) == want) t += load<u64>(this.counts + (i << 3));
    return t;
  }

  get records(): u64 { return this.sum(0, 0); }
  get timed(): u64 { return this.sum(2, 2); }
  get ignored(): u64 { return this.sum(1, 1); }
  level(i: usize): u64 { return this.sum(7 << 6, i << 6); }
  format(i: usize): u64 { return this.sum(15 << 2, i << 2); }

  reset(): void {
    this.untouched = 0; this.alerts = 0; this.events = 0;
    memory.fill(this.counts, 0, 512 * 8);
  }

  /** Writes the counters as the body of a JSON object (no braces), so callers can add fields. */
  writeFields(out: ByteBuf): void {
    out.ascii("\"records\":"); out.u64dec(this.records);
    out.ascii(",\"timed\":"); out.u64dec(this.timed);
    out.ascii(",\"ignored\":"); out.u64dec(this.ignored);
    out.ascii(",\"untouched\":"); out.u64dec(this.untouched);
    out.ascii(",\"events\":"); out.u64dec(this.events);
    out.ascii(",\"alerts\":"); out.u64dec(this.alerts);
    out.ascii(",\"by_level\":{");
    for (let i: u8 = 0; i <= LEVEL_CRITICAL; i++) {
      if (i) out.byte(0x2C);
      out.byte(0x22); out.ascii(levelName(i)); out.ascii("\":"); out.u64dec(this.level(<usize>i));
    }
    out.ascii("},\"by_format\":{");
    let first = true;
    for (let f: u8 = 0; f <= FORMAT_TEXT; f++) {
      if (this.format(<usize>f) == 0) continue;
      if (!first) out.byte(0x2C);
      first = false;
      out.byte(0x22); out.ascii(formatName(f)); out.ascii("\":"); out.u64dec(this.format(<usize>f));
    }
    out.byte(0x7D);
  }
}

export const STATS = new Stats();

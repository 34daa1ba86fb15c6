// Totals since start, for lad_stats (harness summaries, /metrics). Fixed-size arrays: no growth.
import { ByteBuf } from "./byte_buf";
import { levelName, LEVEL_CRITICAL } from "./levels";
import { formatName, FORMAT_TEXT } from "./formats";

// Unmanaged (like the counters' arrays): the per-record path reads and bumps these, and a managed
// global costs a shadow-stack spill at every use under the incremental runtime.
@unmanaged
export class Stats {
  records: u64 = 0;
  /** Records whose event time came from the record or line itself (not the host clock). */
  timed: u64 = 0;
  ignored: u64 = 0;
  untouched: u64 = 0;   // records returned unchanged (not a JSON object, or config error)
  alerts: u64 = 0;
  events: u64 = 0;
  /** u64 counters per level (8) and per format (16). */
  byLevel: usize = memory.data(8 * 8, 8);
  byFormat: usize = memory.data(16 * 8, 8);

  @inline level(i: usize): u64 { return load<u64>(this.byLevel + (i << 3)); }
  @inline format(i: usize): u64 { return load<u64>(this.byFormat + (i << 3)); }

  reset(): void {
    this.records = 0; this.timed = 0; this.ignored = 0; this.untouched = 0; this.alerts = 0; this.events = 0;
    memory.fill(this.byLevel, 0, 8 * 8);
    memory.fill(this.byFormat, 0, 16 * 8);
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

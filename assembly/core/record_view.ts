// What the parser understood of a record: understandRecord / understandLine (parse/record.ts) return
// one. The parser owns a single instance, overwritten per record, so understanding a record
// allocates nothing. Pointers point into the input record or into the parser's own scratch buffers
// and are valid until the next record.
import { LEVEL_UNKNOWN } from "./levels";
import { FORMAT_TEXT } from "./formats";

@unmanaged
export class RecordView {
  /** The input parsed as a JSON object (false: not JSON / malformed; raw lines are not JSON). */
  isObject: bool = false;
  /** Offset (from the record start) of the top-level closing brace, for splicing our key in. */
  closeBrace: usize = 0;
  /** The top-level object has no members ("{}"), so no comma is needed before our key. */
  emptyObject: bool = true;
  /** The top-level object already has a key equal to the configured output key. */
  hasOutputKey: bool = false;

  /** The full message, unescaped UTF-8 (empty when the record has no message field). */
  msgPtr: usize = 0;
  msgLen: usize = 0;
  /** The message after any recognised header (syslog header, access-log prefix, time, level). */
  bodyPtr: usize = 0;
  bodyLen: usize = 0;

  level: u8 = LEVEL_UNKNOWN;
  format: u8 = FORMAT_TEXT;
  /** Event time in epoch milliseconds, and whether it came from the record rather than the host. */
  timeMs: i64 = 0;
  timeFromRecord: bool = false;
  /** HTTP status of an access-log line, 0 when none. */
  httpStatus: i32 = 0;

  /** Value of the configured stream field (e.g. kubernetes container name); empty when absent. */
  streamFieldPtr: usize = 0;
  streamFieldLen: usize = 0;

  /** Back to the initial values above: every field zeroed at once (a field added later is
   *  cleared too), then the three whose initial value is not zero. */
  reset(): void {
    memory.fill(changetype<usize>(this), 0, offsetof<RecordView>());
    this.emptyObject = true;
    this.level = LEVEL_UNKNOWN;
    this.format = FORMAT_TEXT;
  }
}

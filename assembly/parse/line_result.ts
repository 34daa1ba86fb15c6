// What line recognition found in one message: recogniseLine returns it (one instance, owned by
// line_recognise.ts and reused for every line, so recognising allocates nothing), and each
// recogniser fills the one it is given. Kept apart from the RecordView so understandRecord can give
// structured record fields precedence over what the line itself says. Unmanaged: functions that
// hold one need no shadow-stack frame.
import { LEVEL_UNKNOWN } from "../core/levels";
import { FORMAT_TEXT } from "../core/formats";
import { NO_TIME } from "./timestamp";

@unmanaged
export class LineResult {
  /** Epoch ms of the line's own timestamp, NO_TIME if none. */
  time: i64 = NO_TIME;
  /** The message after the recognised header. */
  bodyPtr: usize = 0;
  bodyLen: usize = 0;
  /** HTTP status of an access-log line, 0 when none. */
  status: i32 = 0;
  format: u8 = FORMAT_TEXT;
  level: u8 = LEVEL_UNKNOWN;

  /** Nothing recognised: the whole line [p, p+n) is the body. */
  reset(p: usize, n: usize): void {
    this.format = FORMAT_TEXT;
    this.level = LEVEL_UNKNOWN;
    this.time = NO_TIME;
    this.bodyPtr = p;
    this.bodyLen = n;
    this.status = 0;
  }

  /** Body = [p, end), leading spaces dropped. */
  body(p: usize, end: usize): void {
    while (p < end && (load<u8>(p) == 0x20 || load<u8>(p) == 0x09)) p++;
    if (p > end) p = end;
    this.bodyPtr = p;
    this.bodyLen = end - p;
  }
}

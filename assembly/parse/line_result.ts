// What line recognition found in one message. Kept apart from REC so understandRecord can give
// structured record fields precedence over what the line itself says.
import { LEVEL_UNKNOWN } from "../core/levels";
import { FORMAT_TEXT } from "../core/formats";
import { NO_TIME } from "./timestamp";

export class LineResult {
  format: u8 = FORMAT_TEXT;
  level: u8 = LEVEL_UNKNOWN;
  /** Epoch ms of the line's own timestamp, NO_TIME if none. */
  time: i64 = NO_TIME;
  bodyPtr: usize = 0;
  bodyLen: usize = 0;
  httpStatus: i32 = 0;

  reset(p: usize, n: usize): void {
    this.format = FORMAT_TEXT;
    this.level = LEVEL_UNKNOWN;
    this.time = NO_TIME;
    this.bodyPtr = p;
    this.bodyLen = n;
    this.httpStatus = 0;
  }

  /** Body = [p, end), leading spaces dropped. */
  body(p: usize, end: usize): void {
    while (p < end && (load<u8>(p) == 0x20 || load<u8>(p) == 0x09)) p++;
    if (p > end) p = end;
    this.bodyPtr = p;
    this.bodyLen = end - p;
  }
}

export const LINE = new LineResult();

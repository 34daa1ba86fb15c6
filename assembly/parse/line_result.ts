// What line recognition found in one message. Kept apart from REC so understandRecord can give
// structured record fields precedence over what the line itself says. Plain globals rather than an
// object: the recognisers write them often, and functions without managed references need no
// shadow-stack frame.
import { LEVEL_UNKNOWN } from "../core/levels";
import { FORMAT_TEXT } from "../core/formats";
import { NO_TIME } from "./timestamp";

export let L_FORMAT: u8 = FORMAT_TEXT;
export let L_LEVEL: u8 = LEVEL_UNKNOWN;
/** Epoch ms of the line's own timestamp, NO_TIME if none. */
export let L_TIME: i64 = NO_TIME;
export let L_BODY_PTR: usize = 0;
export let L_BODY_LEN: usize = 0;
export let L_STATUS: i32 = 0;

export function lineReset(p: usize, n: usize): void {
  L_FORMAT = FORMAT_TEXT;
  L_LEVEL = LEVEL_UNKNOWN;
  L_TIME = NO_TIME;
  L_BODY_PTR = p;
  L_BODY_LEN = n;
  L_STATUS = 0;
}

/** Body = [p, end), leading spaces dropped. */
export function lineBody(p: usize, end: usize): void {
  while (p < end && (load<u8>(p) == 0x20 || load<u8>(p) == 0x09)) p++;
  if (p > end) p = end;
  L_BODY_PTR = p;
  L_BODY_LEN = end - p;
}

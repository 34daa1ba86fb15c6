// Kubernetes shapes. klog: "Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg" (L = I/W/E/F).
// CRI (containerd, CRI-O log files): "<RFC3339Nano> stdout|stderr F|P msg"; the stream name says
// nothing about severity, so the level comes from recognising the inner message.
import { FORMAT_KLOG, FORMAT_CRI } from "../core/formats";
import { LEVEL_INFO, LEVEL_WARNING, LEVEL_ERROR, LEVEL_CRITICAL } from "../core/levels";
import { countDigits, digits2, digits3, digits4 } from "./bytes";
import { NO_TIME, TS_END, parseIsoInline, yearless, civilMs, YL_KLOG } from "./timestamp";
import { LineResult } from "./line_result";

export function recogniseKlog(lr: LineResult, p: usize, end: usize, hostMs: i64): bool {
  if (p + 22 > end) return false;
  let c = <u32>load<u8>(p);
  let level: u8;
  if (c == 0x49) level = LEVEL_INFO;
  else if (c == 0x57) level = LEVEL_WARNING;
  else if (c == 0x45) level = LEVEL_ERROR;
  else if (c == 0x46) level = LEVEL_CRITICAL;
  else return false;
  // Lmmdd (klog) or Lyyyymmdd (glog)
  let year = -1;
  let b = p + 1;
  if (countDigits(b, end, 9) == 8) { year = digits4(b, end); b += 4; }
  let mo = digits2(b, end), d = digits2(b + 2, end);
  if (mo < 0 || d < 0 || load<u8>(b + 4) != 0x20) return false;
  let tp = b + 5;
  if (tp + 8 > end) return false;
  let h = digits2(tp, end), mi = digits2(tp + 3, end), s = digits2(tp + 6, end);
  if (h < 0 || mi < 0 || s < 0 || load<u8>(tp + 2) != 0x3A || load<u8>(tp + 5) != 0x3A) return false;
  let q = tp + 8;
  let ms = 0;
  if (q < end && load<u8>(q) == 0x2E) {
    let n = countDigits(q + 1, end, 9);
    if (n >= 3) ms = digits3(q + 1, end);
    q += 1 + <usize>n;
  }
  // spaces, thread id, space, file:line]
  while (q < end && load<u8>(q) == 0x20) q++;
  let n = countDigits(q, end, 20);
  if (n == 0) return false;
  q += <usize>n;
  if (q >= end || load<u8>(q) != 0x20) return false;
  q++;
  let lim = q + 256 < end ? q + 256 : end;
  while (q < lim && load<u8>(q) != 0x5D && load<u8>(q) != 0x20) q++;
  if (q >= lim || load<u8>(q) != 0x5D) return false;
  lr.format = FORMAT_KLOG;
  lr.level = level;
  lr.time = year >= 0 ? civilMs(year, mo, d, h, mi, s, ms) : yearless(mo, d, h, mi, s, ms, hostMs, YL_KLOG);
  lr.body(q + 1, end);
  return true;
}

/** "stdout" or "stderr" at q (6 bytes readable): two word compares, not a loop over a literal. */
@inline function isStdStream(q: usize): bool {
  let a = load<u32>(q), b = load<u16>(q + 4);
  return (a == 0x6F647473 && b == 0x7475) || (a == 0x65647473 && b == 0x7272);   // "stdo" "ut", "stde" "rr"
}

/** CRI prefix; on success sets format, time and body (the inner message) and returns true. */
export function recogniseCri(lr: LineResult, p: usize, end: usize): bool {
  if (p + 28 > end || load<u8>(p + 4) != 0x2D || load<u8>(p + 10) != 0x54) return false;
  let t = parseIsoInline(p, end);
  if (t == NO_TIME) return false;
  let q = TS_END;
  if (q >= end || load<u8>(q) != 0x20) return false;
  q++;
  if (q + 7 < end && isStdStream(q) && load<u8>(q + 6) == 0x20) q += 7;
  else return false;
  // tag: F (full) or P (partial), possibly more flags separated by ':'
  let tagStart = q;
  while (q < end && load<u8>(q) != 0x20) q++;
  if (q == tagStart || q - tagStart > 16) return false;
  if (q < end) q++;
  lr.format = FORMAT_CRI;
  lr.time = t;
  lr.bodyPtr = q;
  lr.bodyLen = end - q;
  return true;
}

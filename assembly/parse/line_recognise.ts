// Line recognition: dispatch on the first byte to the recognisers that can start with it, cheapest
// and most specific first; each one rejects within a few bytes when the shape does not fit. No
// regular expressions, no backtracking beyond a bounded header.
import { cfgFormatHint } from "../core/config";
import { LEVEL_UNKNOWN } from "../core/levels";
import {
  FORMAT_SYSLOG3164, FORMAT_SYSLOG5424, FORMAT_NGINX_ACCESS, FORMAT_NGINX_ERROR, FORMAT_APACHE_ACCESS,
  FORMAT_APACHE_ERROR, FORMAT_LOGFMT, FORMAT_KLOG, FORMAT_CRI, FORMAT_APP, FORMAT_TEXT
} from "../core/formats";
import { isAlpha, isDigit, isSpace } from "./bytes";
import { LineResult } from "./line_result";
import { recogniseSyslogPri, recogniseBsd, recogniseIsoSyslog } from "./line_syslog";
import { recogniseAccess, accessPossible, recogniseNginxError, recogniseApacheError } from "./line_access";
import { recogniseKlog, recogniseCri } from "./line_klog_cri";
import { recogniseLogfmt } from "./line_logfmt";
import { recogniseApp } from "./line_app";
import { scanHead } from "./line_head";
import { NO_TIME } from "./timestamp";

@inline function detect(lr: LineResult, p: usize, end: usize, hostMs: i64): bool {
  let c = <u32>load<u8>(p);
  if (c == 0x3C) return recogniseSyslogPri(lr, p, end, hostMs);
  if (isDigit(c)) {
    if (recogniseCri(lr, p, end)) { recogniseInner(lr, end, hostMs); return true; }
    return recogniseNginxError(lr, p, end) || recogniseIsoSyslog(lr, p, end) || recogniseAccess(lr, p, end) ||
      recogniseApp(lr, p, end, hostMs);
  }
  if (c == 0x5B) return recogniseApacheError(lr, p, end) || recogniseApp(lr, p, end, hostMs);
  if (isAlpha(c)) {
    return recogniseKlog(lr, p, end, hostMs) || recogniseBsd(lr, p, end, hostMs) || recogniseLogfmt(lr, p, end, hostMs) ||
      (accessPossible(p, end) && recogniseAccess(lr, p, end)) || recogniseApp(lr, p, end, hostMs);
  }
  if (c == 0x3A) return recogniseAccess(lr, p, end);   // IPv6 client "::1 - - [..."
  if (c == 0x2D) return recogniseApp(lr, p, end, hostMs); // "- <time> ..." (nil label)
  return false;
}

/** After a CRI prefix: recognise the container's own line; the CRI time (zoned, ns) is kept. */
function recogniseInner(lr: LineResult, end: usize, hostMs: i64): void {
  let t = lr.time;
  let p = lr.bodyPtr;
  while (p < end && isSpace(<u32>load<u8>(p))) p++;
  lr.reset(p, end - p);
  if (p < end) detect(lr, p, end, hostMs);
  lr.format = FORMAT_CRI;
  lr.time = t;
}

/** The recogniser for a configured format hint. */
function hinted(lr: LineResult, f: u8, p: usize, end: usize, hostMs: i64): bool {
  let c = <u32>load<u8>(p);
  switch (f) {
    case FORMAT_SYSLOG3164:
    case FORMAT_SYSLOG5424:
      return c == 0x3C ? recogniseSyslogPri(lr, p, end, hostMs) : (recogniseBsd(lr, p, end, hostMs) || recogniseIsoSyslog(lr, p, end));
    case FORMAT_NGINX_ACCESS:
    case FORMAT_APACHE_ACCESS: return recogniseAccess(lr, p, end);
    case FORMAT_NGINX_ERROR: return recogniseNginxError(lr, p, end);
    case FORMAT_APACHE_ERROR: return c == 0x5B && recogniseApacheError(lr, p, end);
    case FORMAT_LOGFMT: return recogniseLogfmt(lr, p, end, hostMs);
    case FORMAT_KLOG: return recogniseKlog(lr, p, end, hostMs);
    case FORMAT_CRI: {
      if (!recogniseCri(lr, p, end)) return false;
      recogniseInner(lr, end, hostMs);
      return true;
    }
    case FORMAT_APP: return recogniseApp(lr, p, end, hostMs);
    case FORMAT_TEXT: return true;
  }
  return false;
}

/** The one result of recogniseLine, overwritten by each line. */
const LINE = new LineResult();

/** Recognise the raw line [p, p+n): returns its format, level, time, body and HTTP status (valid
 *  until the next line). Surrounding whitespace (the newline Docker and tail leave) is not part of
 *  the body. */
@inline export function recogniseLine(p: usize, n: usize, hostMs: i64): LineResult {
  let lr = LINE;
  let end = p + n;
  while (p < end && isSpace(<u32>load<u8>(p))) p++;
  while (end > p && isSpace(<u32>load<u8>(end - 1))) end--;
  lr.reset(p, end - p);
  if (p >= end) return lr;
  let hint = cfgFormatHint();
  if (hint != LEVEL_UNKNOWN) {
    if (hinted(lr, hint, p, end, hostMs)) return lr;
    lr.reset(p, end - p);   // what the hinted recogniser wrote before it gave up
  }
  detect(lr, p, end, hostMs);
  if (lr.time == NO_TIME) scanHead(lr, p, end, hostMs);
  return lr;
}

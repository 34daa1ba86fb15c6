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
import { L_FORMAT, L_LEVEL, L_TIME, L_BODY_PTR, L_BODY_LEN, L_STATUS, lineReset, lineBody } from "./line_result";
import { recogniseSyslogPri, recogniseBsd, recogniseIsoSyslog } from "./line_syslog";
import { recogniseAccess, recogniseNginxError, recogniseApacheError } from "./line_access";
import { recogniseKlog, recogniseCri } from "./line_klog_cri";
import { recogniseLogfmt } from "./line_logfmt";
import { recogniseApp } from "./line_app";
import { scanHead } from "./line_head";
import { NO_TIME } from "./timestamp";

function detect(p: usize, end: usize, hostMs: i64): bool {
  let c = <u32>load<u8>(p);
  if (c == 0x3C) return recogniseSyslogPri(p, end, hostMs);
  if (isDigit(c)) {
    if (recogniseCri(p, end)) { recogniseInner(end, hostMs); return true; }
    return recogniseNginxError(p, end) || recogniseIsoSyslog(p, end) || recogniseAccess(p, end) ||
      recogniseApp(p, end, hostMs);
  }
  if (c == 0x5B) return recogniseApacheError(p, end) || recogniseApp(p, end, hostMs);
  if (isAlpha(c)) {
    return recogniseKlog(p, end, hostMs) || recogniseBsd(p, end, hostMs) || recogniseLogfmt(p, end, hostMs) ||
      recogniseAccess(p, end) || recogniseApp(p, end, hostMs);
  }
  if (c == 0x3A) return recogniseAccess(p, end);   // IPv6 client "::1 - - [..."
  if (c == 0x2D) return recogniseApp(p, end, hostMs); // "- <time> ..." (nil label)
  return false;
}

/** After a CRI prefix: recognise the container's own line; the CRI time (zoned, ns) is kept. */
function recogniseInner(end: usize, hostMs: i64): void {
  let t = L_TIME;
  let p = L_BODY_PTR;
  while (p < end && isSpace(<u32>load<u8>(p))) p++;
  lineReset(p, end - p);
  if (p < end) detect(p, end, hostMs);
  L_FORMAT = FORMAT_CRI;
  L_TIME = t;
}

/** The recogniser for a configured format hint. */
function hinted(f: u8, p: usize, end: usize, hostMs: i64): bool {
  let c = <u32>load<u8>(p);
  switch (f) {
    case FORMAT_SYSLOG3164:
    case FORMAT_SYSLOG5424:
      return c == 0x3C ? recogniseSyslogPri(p, end, hostMs) : (recogniseBsd(p, end, hostMs) || recogniseIsoSyslog(p, end));
    case FORMAT_NGINX_ACCESS:
    case FORMAT_APACHE_ACCESS: return recogniseAccess(p, end);
    case FORMAT_NGINX_ERROR: return recogniseNginxError(p, end);
    case FORMAT_APACHE_ERROR: return c == 0x5B && recogniseApacheError(p, end);
    case FORMAT_LOGFMT: return recogniseLogfmt(p, end, hostMs);
    case FORMAT_KLOG: return recogniseKlog(p, end, hostMs);
    case FORMAT_CRI: {
      if (!recogniseCri(p, end)) return false;
      recogniseInner(end, hostMs);
      return true;
    }
    case FORMAT_APP: return recogniseApp(p, end, hostMs);
    case FORMAT_TEXT: return true;
  }
  return false;
}

/** Recognise the raw line [p, p+n) into LINE (format, level, time, body, HTTP status). Surrounding
 *  whitespace (the newline Docker and tail leave) is not part of the body. */
export function recogniseLine(p: usize, n: usize, hostMs: i64): void {
  let end = p + n;
  while (p < end && isSpace(<u32>load<u8>(p))) p++;
  while (end > p && isSpace(<u32>load<u8>(end - 1))) end--;
  lineReset(p, end - p);
  if (p >= end) return;
  let hint = cfgFormatHint();
  if (hint != LEVEL_UNKNOWN && hinted(hint, p, end, hostMs)) return;
  lineReset(p, end - p);
  detect(p, end, hostMs);
  if (L_TIME == NO_TIME) scanHead(p, end, hostMs);
}

// Web server logs. Access: NCSA common/combined, as nginx and Apache write them
// ("host ident user [dd/Mmm/yyyy:hh:mm:ss zone] "request" status bytes ["referer" "ua" ...]").
// Errors: nginx ("yyyy/mm/dd hh:mm:ss [level] pid#tid: *cid msg") and Apache 2.2 / 2.4
// ("[Www Mmm dd hh:mm:ss[.us] yyyy] [module:level] [pid ..] [client ..] msg").
import { skipToQuoteOrBackslash, findByte } from "../core/mem";
import {
  FORMAT_NGINX_ACCESS, FORMAT_APACHE_ACCESS, FORMAT_NGINX_ERROR, FORMAT_APACHE_ERROR
} from "../core/formats";
import { LEVEL_ERROR, LEVEL_WARNING, LEVEL_INFO, LEVEL_UNKNOWN } from "../core/levels";
import { cfgFormatHint } from "../core/config";
import { isAlpha, digits3, skipSpaces, startsLit, countDigits } from "./bytes";
import { NO_TIME, TS_END, parseClf, parseIso, parseCtime } from "./timestamp";
import { levelFromWord } from "./level_words";
import { LineResult } from "./line_result";

/** Level an HTTP status implies: 5xx error, 4xx warning, anything else info. */
export function levelFromStatus(status: i32): u8 {
  if (status >= 500 && status <= 599) return LEVEL_ERROR;
  if (status >= 400 && status <= 499) return LEVEL_WARNING;
  return LEVEL_INFO;
}

/** End of a quoted field whose opening quote is at q (backslash escapes honoured), or 0. */
@inline function quotedEnd(q: usize, end: usize): usize {
  let i = q + 1;
  while (i < end) {
    i = skipToQuoteOrBackslash(i, end);
    if (i >= end) break;
    let c = load<u8>(i);
    if (c == 0x5C) { i += 2; continue; }
    if (c == 0x22) return i + 1;
    i++;
  }
  return 0;
}

/** recogniseAccess can succeed on [p, end): its token walk needs a '[' in the first 512 bytes. One
 *  eight-byte search instead of the walk, for lines that start with a letter (host names are rare,
 *  text is common); a line starting with a digit is most likely an access line: no test. */
@inline export function accessPossible(p: usize, end: usize): bool {
  let lim = p + 512 < end ? p + 512 : end;
  return findByte(p, lim, 0x5B5B5B5B5B5B5B5B) < lim;
}

export function recogniseAccess(lr: LineResult, p: usize, end: usize): bool {
  // up to four space-separated tokens ([vhost:port] host ident user) before "[" + CLF time
  let q = p;
  let tokens = 0;
  let lim = p + 512 < end ? p + 512 : end;
  while (q < lim) {
    let c = load<u8>(q);
    if (c == 0x5B) break;
    if (c == 0x22 || c == 0x09) return false;
    let e = findByte(q, lim, 0x2020202020202020);
    if (e >= lim) return false;
    tokens++;
    if (tokens > 4) return false;
    q = e + 1;
  }
  if (tokens < 3 || q >= lim) return false;
  let t = parseClf(q + 1, end);
  if (t == NO_TIME) return false;
  q = TS_END;
  if (q + 2 >= end || load<u8>(q) != 0x5D || load<u8>(q + 1) != 0x20 || load<u8>(q + 2) != 0x22) return false;
  let reqStart = q + 2;
  let reqEnd = quotedEnd(reqStart, end);
  if (!reqEnd || reqEnd >= end || load<u8>(reqEnd) != 0x20) return false;
  let status = digits3(reqEnd + 1, end);
  if (status < 100) return false;
  q = reqEnd + 4;
  if (q < end && load<u8>(q) != 0x20) return false;
  let statusEnd = q;
  // bytes: digits, or "-" (Apache %b for zero; nginx always prints a number)
  let dashBytes = false;
  if (q < end) {
    q++;
    if (q < end && load<u8>(q) == 0x2D) { dashBytes = true; q++; }
    else { let n = countDigits(q, end, 20); if (n == 0) return false; q += <usize>n; }
  }
  let fmt = FORMAT_NGINX_ACCESS;
  let hint = cfgFormatHint();
  if (hint == FORMAT_APACHE_ACCESS) fmt = FORMAT_APACHE_ACCESS;
  else if (hint != FORMAT_NGINX_ACCESS) {
    // common log format (nothing after the bytes), vhost prefix or "-" bytes are Apache's;
    // combined (quoted referer and user agent) is ambiguous and taken as nginx (its default
    // log_format); extra fields after the quoted ones are nginx extensions. (The quoted fields
    // need not be scanned: whatever follows the bytes, valid or not, makes it nginx's.)
    if (tokens == 4 || dashBytes || skipSpaces(q, end) >= end) fmt = FORMAT_APACHE_ACCESS;
  }
  lr.format = fmt;
  lr.time = t;
  lr.status = status;
  lr.level = levelFromStatus(status);
  // what a template miner should see: the request line and the status
  lr.bodyPtr = reqStart;
  lr.bodyLen = statusEnd - reqStart;
  return true;
}

/** nginx error log line. */
export function recogniseNginxError(lr: LineResult, p: usize, end: usize): bool {
  if (p + 22 > end || load<u8>(p + 4) != 0x2F) return false;
  let t = parseIso(p, end);
  if (t == NO_TIME) return false;
  let q = TS_END;
  if (q + 2 >= end || load<u8>(q) != 0x20 || load<u8>(q + 1) != 0x5B) return false;
  q += 2;
  let w = q;
  while (q < end && isAlpha(<u32>load<u8>(q))) q++;
  if (q >= end || load<u8>(q) != 0x5D) return false;
  let level = levelFromWord(w, q - w);
  if (level == LEVEL_UNKNOWN) return false;
  q++;
  lr.format = FORMAT_NGINX_ERROR;
  lr.level = level;
  lr.time = t;
  // "pid#tid: " and an optional "*connection " before the message
  let r = skipSpaces(q, end);
  let n = countDigits(r, end, 12);
  if (n > 0 && r + <usize>n < end && load<u8>(r + <usize>n) == 0x23) {
    let s = r + <usize>n + 1;
    let m = countDigits(s, end, 12);
    s += <usize>m;
    if (m > 0 && s < end && load<u8>(s) == 0x3A) {
      r = skipSpaces(s + 1, end);
      if (r < end && load<u8>(r) == 0x2A) {
        let k = countDigits(r + 1, end, 20);
        if (k > 0) r = skipSpaces(r + 1 + <usize>k, end);
      }
    }
  }
  lr.body(r, end);
  return true;
}

/** Apache httpd error log line (2.2 and 2.4). */
export function recogniseApacheError(lr: LineResult, p: usize, end: usize): bool {
  let t = parseCtime(p + 1, end);
  if (t == NO_TIME) return false;
  let q = TS_END;
  if (q + 3 >= end || load<u8>(q) != 0x5D || load<u8>(q + 1) != 0x20 || load<u8>(q + 2) != 0x5B) return false;
  q += 3;
  // [level] or [module:level]
  let w = q;
  let lim = q + 48 < end ? q + 48 : end;
  while (q < lim && load<u8>(q) != 0x5D) {
    if (load<u8>(q) == 0x3A) w = q + 1;
    q++;
  }
  if (q >= lim) return false;
  let level = levelFromWord(w, q - w);
  if (level == LEVEL_UNKNOWN) return false;
  lr.format = FORMAT_APACHE_ERROR;
  lr.level = level;
  lr.time = t;
  q++;
  // drop "[pid N:tid M]", "[client a:b]" and "[remote a:b]": they vary per line
  while (true) {
    let r = skipSpaces(q, end);
    if (r >= end || load<u8>(r) != 0x5B) break;
    if (!startsLit(r + 1, end, "pid ") && !startsLit(r + 1, end, "client ") && !startsLit(r + 1, end, "remote ")) break;
    let e = r + 1;
    while (e < end && load<u8>(e) != 0x5D) e++;
    if (e >= end) break;
    q = e + 1;
  }
  lr.body(q, end);
  return true;
}

// Application log lines (log4j, logback, Spring Boot, Python logging, Go/Java/.NET loggers and the
// many home-grown "time [thread] LEVEL logger: msg" layouts). One general recogniser instead of a
// pattern per framework:
//   [level or label] time-like tokens, then up to a dozen header tokens (pids, [threads], ids,
//   logger names, separators like "-", "|", ":" or "---") among which a level word, then the body.
// The body starts after the separator or "logger:" that follows the level, else right after the
// level (and any [thread] brackets), else after the last separator, else after the time. Header
// tokens must look like identifiers (digits, dots, camelCase, UPPER), so prose ends the header.
import { FORMAT_APP } from "../core/formats";
import { LEVEL_UNKNOWN, LEVEL_NOTICE, LEVEL_WARNING, LEVEL_WARNING_UP, LEVEL_DEBUG } from "../core/levels";
import { isAlpha, isDigit, isUpper, isLower, skipSpaces, countDigits, letterRun, LETTERS_UPPER } from "./bytes";
import { NO_TIME, TS_END, parseLeadingTime, monthOrDayInitial } from "./timestamp";
import { levelFromWord } from "./level_words";
import { LineResult } from "./line_result";
import { startsWithKey, recogniseLogfmt } from "./line_logfmt";
import { keyedLevel } from "./line_syslog";

const MAX_HDR_TOKENS = 12;
const MAX_HDR_BYTES: usize = 320;
const MAX_BRACKET: usize = 256;

const TK_LEVEL = 1;
const TK_SEP = 2;     // "-", "--", ":", "|", ">", "=>" ...
const TK_LOGGER = 3;  // header-like token ending with ':'
const TK_HDR = 4;     // pid, id, logger name, label
const TK_BRACKET = 5; // [thread], (context)
const TK_PROSE = 6;

let TOK_END: usize = 0;
let TOK_LEVEL: u8 = LEVEL_UNKNOWN;
let TOK_COLON = false;
let TIME_END: usize = 0;

/** End (after the closing bracket) of a nested [..] or (..) group at p, or 0. */
function bracketEnd(p: usize, end: usize): usize {
  let open = <u32>load<u8>(p);
  let close: u32 = open == 0x5B ? 0x5D : 0x29;
  let lim = p + MAX_BRACKET < end ? p + MAX_BRACKET : end;
  let depth = 0;
  for (let i = p; i < lim; i++) {
    let c = <u32>load<u8>(i);
    if (c == open) depth++;
    else if (c == close) {
      depth--;
      if (depth == 0) return i + 1;
    }
  }
  return 0;
}

@inline function isSepChar(c: u32): bool {
  return c == 0x2D || c == 0x3A || c == 0x7C || c == 0x3E || c == 0x3D || c == 0x2A || c == 0x7E || c == 0x23;
}

/** Identifier-like: has a digit, an inner punctuation mark (c.e.App, my_svc, chrome.exe), a
 *  camelCase hump, or is all upper case (RAS, KERNEL). Plain words are prose. */
export function headerish(p: usize, n: usize): bool {
  let upper = 0, lowerN = 0;
  let prevLower = false;
  for (let i: usize = 0; i < n; i++) {
    let c = <u32>load<u8>(p + i);
    if (isDigit(c)) return true;
    if (isUpper(c)) {
      if (prevLower) return true;
      upper++;
      prevLower = false;
    } else if (isLower(c) || c >= 0x80) {
      lowerN++;
      prevLower = true;
    } else {
      if (i > 0 && i + 1 < n) return true;
      prevLower = false;
    }
  }
  return lowerN == 0 && upper >= 2;
}

/** Read and classify the header token at q (not a space). Sets TOK_END (and TOK_LEVEL/TOK_COLON). */
function readToken(q: usize, end: usize): i32 {
  TOK_COLON = false;
  TOK_LEVEL = LEVEL_UNKNOWN;
  let c = <u32>load<u8>(q);
  if (c == 0x5B || c == 0x28) {
    let e = bracketEnd(q, end);
    if (e) {
      TOK_END = e;
      if (e < end && load<u8>(e) == 0x3A) { TOK_END = e + 1; TOK_COLON = true; }
      // [INFO], [core:error], [ WARN ]
      let a = q + 1, b = e - 1;
      while (a < b && load<u8>(a) == 0x20) a++;
      while (b > a && load<u8>(b - 1) == 0x20) b--;
      let w = a;
      for (let i = a; i < b; i++) if (load<u8>(i) == 0x3A) w = i + 1;
      if (b - w <= 13) {
        let lv = levelFromWord(w, b - w);
        if (lv != LEVEL_UNKNOWN) { TOK_LEVEL = lv; return TK_LEVEL; }
      }
      return TK_BRACKET;
    }
  }
  let e = q;
  while (e < end) {
    let d = <u32>load<u8>(e);
    if (d == 0x20 || d == 0x09 || d == 0x7C) break;
    e++;
  }
  TOK_END = e;
  let b = e;
  if (b > q && load<u8>(b - 1) == 0x3A) { b--; TOK_COLON = true; }
  let n = b - q;
  if (n == 0) return TK_SEP;
  if (n <= 4) {
    let allSep = true;
    for (let i = q; i < b; i++) if (!isSepChar(<u32>load<u8>(i))) { allSep = false; break; }
    if (allSep) return TK_SEP;
  }
  if (n <= 13 && isAlpha(c)) {
    let lv = levelFromWord(q, n);
    if (lv != LEVEL_UNKNOWN) { TOK_LEVEL = lv; return TK_LEVEL; }
  }
  if (isAlpha(c)) {
    // "debug/GraphiteWriter:" (Icinga): a level word, then '/' and the component
    let sl = q + 1;
    let lim = q + 14 < b ? q + 14 : b;
    while (sl < lim && isAlpha(<u32>load<u8>(sl))) sl++;
    if (sl < lim && load<u8>(sl) == 0x2F && sl - q >= 3) {
      let lv = levelFromWord(q, sl - q);
      if (lv != LEVEL_UNKNOWN) { TOK_LEVEL = lv; return TK_LEVEL; }
    }
  }
  if (n > 128) return TK_PROSE;
  if (TOK_COLON) {
    // Monolog "channel.LEVEL:" (e.g. production.ERROR:)
    let d = b;
    while (d > q && load<u8>(d - 1) != 0x2E) d--;
    if (d > q + 1 && b - d <= 13) {
      let lv = levelFromWord(d, b - d);
      if (lv != LEVEL_UNKNOWN) { TOK_LEVEL = lv; return TK_LEVEL; }
    }
  }
  if (headerish(q, n)) return TOK_COLON ? TK_LOGGER : TK_HDR;
  // "Remoting:" is a class-like logger name; a lower-case "ciod:" starts the message
  return TOK_COLON && isUpper(c) ? TK_LOGGER : TK_PROSE;
}

/** A time at q, optionally in brackets, that ends at a token boundary. Sets TIME_END. */
function timeAt(q: usize, end: usize, hostMs: i64): i64 {
  if (q >= end) return NO_TIME;
  let bracket = load<u8>(q) == 0x5B;
  let t = parseLeadingTime(bracket ? q + 1 : q, end, hostMs);
  if (t == NO_TIME) return NO_TIME;
  let r = TS_END;
  if (bracket) {
    if (r >= end || load<u8>(r) != 0x5D) return NO_TIME;
    TIME_END = r + 1;
    return t;
  }
  if (r < end) {
    let c = <u32>load<u8>(r);
    if (c == 0x2C || c == 0x3B) r++;          // "time, ..." / "time; ..."
    else if (c == 0x3A && r + 1 < end && !isDigit(<u32>load<u8>(r + 1))) {
      // "time:LEVEL:logger:" (VMware), "time::module::" (vdsm)
      while (r < end && load<u8>(r) == 0x3A) r++;
    } else if (c != 0x20 && c != 0x09 && c != 0x7C) return NO_TIME;
  }
  TIME_END = r;
  return t;
}

/** A one-byte token at q (followed by a space or the end). */
@inline function loneByte(q: usize, end: usize): u32 {
  if (q + 1 < end && load<u8>(q + 1) != 0x20 && load<u8>(q + 1) != 0x09) return 0;
  return <u32>load<u8>(q);
}

let LF_END: usize = 0;
let LF_BODY: usize = 0;

/** A level word leading the line: "[WARN] ..", "ERROR: ..", "ERROR:root:msg" (Python), "INFO  ..". */
function levelFirst(q: usize, end: usize): u8 {
  LF_BODY = 0;
  let c = <u32>load<u8>(q);
  if (c == 0x5B) {
    let w = q + 1;
    let lim = q + 16 < end ? q + 16 : end;
    let e = letterRun(w, lim);
    if (e >= lim || load<u8>(e) != 0x5D) return LEVEL_UNKNOWN;
    let lv = levelFromWord(w, e - w);
    if (lv == LEVEL_UNKNOWN) return lv;
    LF_END = e + 1;
    if (LF_END < end && load<u8>(LF_END) == 0x3A) LF_END++;
    return lv;
  }
  let lim = q + 14 < end ? q + 14 : end;
  let w = letterRun(q, lim);
  let allUpper = LETTERS_UPPER;
  let n = w - q;
  if (n < 3) return LEVEL_UNKNOWN;
  if (w < end && load<u8>(w) == 0x3A) {
    let lv = levelFromWord(q, n);
    if (lv == LEVEL_UNKNOWN) return lv;
    LF_END = w + 1;
    // Python logging default: LEVEL:logger:message
    let s = w + 1;
    if (s < end && load<u8>(s) != 0x20) {
      let r = s;
      let rl = s + 128 < end ? s + 128 : end;
      while (r < rl) {
        let d = <u32>load<u8>(r);
        if (d == 0x3A || d == 0x20) break;
        r++;
      }
      if (r < rl && load<u8>(r) == 0x3A) LF_BODY = r + 1;
    }
    return lv;
  }
  if (w < end && load<u8>(w) == 0x5B && allUpper && n == 4) {
    // logrus' text format: DEBU[0000] msg (seconds since start in the brackets)
    let r = w + 1;
    while (r < end && isDigit(<u32>load<u8>(r))) r++;
    if (r > w + 1 && r < end && load<u8>(r) == 0x5D) {
      let lv = levelFromWord(q, n);
      if (lv == LEVEL_UNKNOWN) return lv;
      LF_END = r + 1;
      return lv;
    }
  }
  if ((w == end || load<u8>(w) == 0x20 || load<u8>(w) == 0x09) && allUpper) {
    let lv = levelFromWord(q, n);
    if (lv == LEVEL_UNKNOWN) return lv;
    LF_END = w;
    return lv;
  }
  return LEVEL_UNKNOWN;
}

/** A short label before the time ("-" or an upper-case code like "KERNDTLB"). */
function isLabel(p: usize, e: usize): bool {
  let n = e - p;
  if (n == 0 || n > 16) return false;
  if (n == 1 && load<u8>(p) == 0x2D) return true;
  for (let i = p; i < e; i++) {
    let c = <u32>load<u8>(i);
    if (!isUpper(c) && !isDigit(c) && c != 0x5F && c != 0x2D) return false;
  }
  return true;
}

/** Set by the head scan while it reads a field-structured record from its time on
 *  ("2568643 node-70 action start <epoch> 1 msg"): numbers right after the time are fields there
 *  (in "<time> 3 users logged in" they are the message's). */
export let APP_FIELDS = false;
export function setAppFields(v: bool): void { APP_FIELDS = v; }

export function recogniseApp(lr: LineResult, p: usize, end: usize, hostMs: i64): bool {
  let q = p;
  let level = LEVEL_UNKNOWN;
  let levelEnd: usize = 0;
  let t = timeAt(q, end, hostMs);
  if (t != NO_TIME) q = TIME_END;
  else {
    let lv = levelFirst(q, end);
    if (lv != LEVEL_UNKNOWN) {
      level = lv;
      if (LF_BODY) {
        lr.format = FORMAT_APP;
        lr.level = lv;
        lr.body(LF_BODY, end);
        return true;
      }
      q = LF_END;
      levelEnd = q;
      let s = skipSpaces(q, end);
      t = timeAt(s, end, hostMs);
      if (t != NO_TIME) { q = TIME_END; levelEnd = q; }
    } else {
      let e = q;
      while (e < end && load<u8>(e) != 0x20) e++;
      if (!isLabel(q, e)) return false;
      t = timeAt(skipSpaces(e, end), end, hostMs);
      if (t == NO_TIME) return false;
      q = TIME_END;
    }
  }
  let afterTime = q;
  lr.format = FORMAT_APP;
  lr.time = t;

  // "time|field|field|message": fields without spaces between pipes are header
  if (q < end && load<u8>(q) == 0x7C) {
    let r = q + 1;
    let bodyAt = r;
    for (let f = 0; f < 6; f++) {
      let s = r;
      while (r < end) {
        let c = load<u8>(r);
        if (c == 0x7C || c == 0x20 || c == 0x09) break;
        r++;
      }
      if (r >= end || load<u8>(r) != 0x7C) break;
      if (level == LEVEL_UNKNOWN) level = levelFromWord(s, r - s);
      r++;
      bodyAt = r;
    }
    lr.level = level;
    lr.body(bodyAt, end);
    return true;
  }

  // "time key=value ...": logfmt with a leading time
  let s0 = skipSpaces(q, end);
  if (level == LEVEL_UNKNOWN && startsWithKey(s0, end) && recogniseLogfmt(lr, s0, end, hostMs)) {
    if (lr.time == NO_TIME) lr.time = t;
    return true;
  }

  let lastTerm: usize = 0;
  let bodyAt: usize = 0;
  let afterLevel: usize = levelEnd;
  let chain = level != LEVEL_UNKNOWN; // still right after the level (only [brackets] so far)
  let prevSep = true;
  let levelAt: usize = 0;             // start of the level word found among the header tokens
  let sawStamp = false;               // a syslog stamp (Mmm dd hh:mm:ss) inside the header
  let stampEnd: usize = 0;
  let lastHdr: usize = 0;             // end of the last header token (pid, host, component)
  let hdrCount = 0;                   // header tokens since the level
  let compAt: usize = 0;              // end of a component token right after the level
  let numsEnd: usize = 0;             // end of the numbers (pid, tid, flags) right after the time
  let onlyNums = true;                // every token since the time was a number (pid, tid)
  let afterLogger = false;            // the previous token was a logger name right after the level
  let hdrLimit = q + MAX_HDR_BYTES < end ? q + MAX_HDR_BYTES : end;
  for (let k = 0; k < MAX_HDR_TOKENS; k++) {
    q = skipSpaces(q, end);
    if (q >= hdrLimit) break;
    let c = <u32>load<u8>(q);
    if (level == LEVEL_UNKNOWN && onlyNums && t != NO_TIME) {
      let lb = loneByte(q, end);
      if (lb) {
        // a one-letter level in its known place, after the time and any pid/tid (Android logcat,
        // MongoDB, Santa: V D I W E F); a symbol right after the time (Redis: * notice, # warning
        // and worse, which the error keywords refine, . debug)
        let lv = LEVEL_UNKNOWN;
        if (lb == 0x56 || lb == 0x44 || lb == 0x49 || lb == 0x57 || lb == 0x45 || lb == 0x46) lv = levelFromWord(q, 1, true);
        else if (k == 0) lv = lb == 0x2A ? LEVEL_NOTICE : lb == 0x23 ? LEVEL_WARNING_UP : lb == 0x2E ? LEVEL_DEBUG : LEVEL_UNKNOWN;
        if (lv != LEVEL_UNKNOWN) {
          level = lv;
          q++;
          levelEnd = q; afterLevel = q; chain = true; prevSep = false; onlyNums = false;
          if (lb < 0x41) { lastTerm = q; bodyAt = q; break; }
          continue;
        }
      }
      let n0 = c == 0x2D && q + 1 < end && isDigit(<u32>load<u8>(q + 1)) ? q + 1 : q; // "-1"
      let e = n0;
      while (e < end && isDigit(<u32>load<u8>(e))) e++;
      if (e == n0 || (e < end && load<u8>(e) != 0x20)) onlyNums = false;
      else numsEnd = e;
    }
    if (c == 0x7C) {
      q++;
      lastTerm = q;
      if (level != LEVEL_UNKNOWN) { bodyAt = q; break; }
      prevSep = true;
      continue;
    }
    // a second time in the header (BGL/Thunderbird carry one after the host): header, not message
    if (t != NO_TIME && k > 0 && level == LEVEL_UNKNOWN && (isDigit(c) || monthOrDayInitial(c))) {
      let t2 = parseLeadingTime(q, end, hostMs);
      let nd = isDigit(c) ? countDigits(q, end, 21) : 0;
      // a dated stamp, not a bare number (a count in the message may look like epoch seconds)
      if (t2 != NO_TIME && (TS_END == end || load<u8>(TS_END) == 0x20) && !(nd >= 10 && (q + <usize>nd == TS_END ||
          load<u8>(q + <usize>nd) == 0x2E))) {
        if (!nd) { sawStamp = true; stampEnd = TS_END; }
        q = TS_END;
        lastHdr = q;
        onlyNums = false;
        prevSep = false;
        continue;
      }
    }
    let kind = readToken(q, end);
    let te = TOK_END;
    if (kind == TK_LEVEL) {
      if (level == LEVEL_UNKNOWN) {
        level = TOK_LEVEL;
        levelAt = q;
        levelEnd = te;
        afterLevel = te;
        chain = true;
        q = te;
        prevSep = false;
        if (TOK_COLON) { bodyAt = te; break; }
        continue;
      }
      kind = TK_PROSE; // a second level word is message text
    }
    if (kind == TK_SEP || kind == TK_LOGGER) {
      lastTerm = te;
      q = te;
      if (level != LEVEL_UNKNOWN) {
        let n = skipSpaces(te, end);
        if (kind == TK_SEP && n < end && load<u8>(n) == 0x5B) { chain = false; prevSep = true; continue; }
        bodyAt = te;
        break;
      }
      prevSep = true;
      continue;
    }
    if (kind == TK_BRACKET) {
      // an RFC 5424 structured-data element may carry the level ([origin@1 level="INFO" ...])
      if (level == LEVEL_UNKNOWN && c == 0x5B) {
        let lv = keyedLevel(q + 1, te - 1);
        if (lv != LEVEL_UNKNOWN) { level = lv; levelEnd = te; afterLevel = te; }
      }
      // [thread] right after the level, or the [request context] right after "LEVEL logger"
      if (chain || afterLogger) afterLevel = te;
      afterLogger = false;
      q = te;
      prevSep = false;
      continue;
    }
    if (kind == TK_HDR) {
      afterLogger = chain && level != LEVEL_UNKNOWN && isAlpha(c);
      if (afterLogger && hdrCount == 0) compAt = te;
      chain = false;
      q = te;
      lastHdr = te;
      if (level != LEVEL_UNKNOWN) hdrCount++;
      prevSep = false;
      continue;
    }
    afterLogger = false;
    // after a syslog stamp and its host inside the header (Thunderbird: "<epoch> <date> host Mmm dd
    // hh:mm:ss user@host md: msg"), a "program:" tag ends the header
    if (level == LEVEL_UNKNOWN && sawStamp && TOK_COLON && !prevSep && lastHdr > stampEnd) {
      lastTerm = te; bodyAt = te;
      break;
    }
    // prose: ends the header, unless it sits between separators before the level
    // ("time - myapp - ERROR - msg")
    if (level == LEVEL_UNKNOWN && prevSep && lastTerm) {
      let n = skipSpaces(te, end);
      if (n < end && n > te && isSepChar(<u32>load<u8>(n))) {
        let m = n;
        while (m < end && isSepChar(<u32>load<u8>(m))) m++;
        if (m == end || load<u8>(m) == 0x20) { q = te; prevSep = false; continue; }
      }
    }
    break;
  }
  if (!bodyAt) {
    if (level != LEVEL_UNKNOWN) {
      bodyAt = lastTerm > levelEnd ? lastTerm : afterLevel;
      // "LEVEL Component message" (one component token between the level and the prose)
      if (!(lastTerm > levelEnd) && hdrCount == 1 && compAt > afterLevel) bodyAt = compAt;
    } else if (lastTerm) bodyAt = lastTerm;
    else bodyAt = APP_FIELDS && numsEnd > afterTime ? numsEnd : afterTime;
  }
  // a line that is only a level word ("<time> 1 warning") keeps that word as its message
  if (levelAt && skipSpaces(bodyAt, end) >= end) bodyAt = levelAt;
  lr.level = level;
  lr.body(bodyAt, end);
  return true;
}

// A time anywhere in the head of a line: when the recognisers found no time where lines usually
// start with one, the first bytes of the line are scanned once, at token starts, for any time shape
// the leading-time parser knows (dated ones only: a bare time of day in prose is not an event
// time). What precedes it decides how much is header: a prefix of header-like tokens (a file name,
// "[pid]", "MainThread::INFO::", "pid:role") is header, and the application recogniser reads the
// rest of the header from the time on; after prose ("... for 127.0.0.1 at <time>") only the time is
// taken and the line keeps its body.
import { LEVEL_UNKNOWN } from "../core/levels";
import { isAlpha, isDigit, isUpper, countDigits } from "./bytes";
import { NO_TIME, TS_END, parseLeadingTime, monthOrDayInitial } from "./timestamp";
import { levelFromWord } from "./level_words";
import { LineResult } from "./line_result";
import { recogniseApp, headerish, setAppFields } from "./line_app";

const HEAD_BYTES: usize = 100;

@inline function startsToken(c: u32): bool {
  return c == 0x20 || c == 0x09 || c == 0x5B || c == 0x28 || c == 0x3A || c == 0x7C || c == 0x2C ||
    c == 0x3D || c == 0x22 || c == 0x2F;
}

@inline function endsTime(c: u32): bool {
  return c == 0x20 || c == 0x09 || c == 0x5D || c == 0x29 || c == 0x2C || c == 0x3A || c == 0x7C || c == 0x22;
}

let HT_AT: usize = 0;
let HT_END: usize = 0;

/** First dated time at a token start in [p, p+HEAD_BYTES); sets HT_AT, returns NO_TIME if none. */
function findTime(p: usize, end: usize, hostMs: i64): i64 {
  let lim = p + HEAD_BYTES < end ? p + HEAD_BYTES : end;
  let prev: u32 = 0x20;
  for (let i = p; i < lim; i++) {
    let c = <u32>load<u8>(i);
    let before = prev;
    prev = c;
    // a token start; not a value after '=' ("start_time=..." is not the event's time)
    if (!startsToken(before) || before == 0x3D) continue;
    if (isDigit(c)) {
      // a bare time of day ("12:05") is too weak a sign this far into a line, and a number is an
      // epoch time only as a field of its own, not as a value after ':' ("onExtend:1514038530000")
      let nd = countDigits(i, end, 11);
      if (nd <= 2 && i + <usize>nd < end && load<u8>(i + <usize>nd) == 0x3A) continue;
      if (nd >= 10 && before != 0x20 && before != 0x09 && before != 0x28 && before != 0x5B) continue;
    } else if (!isUpper(c) || !monthOrDayInitial(c)) continue;
    let t = parseLeadingTime(i, end, hostMs);
    if (t == NO_TIME) continue;
    let te = TS_END;
    if (te < end && !endsTime(<u32>load<u8>(te))) continue;
    HT_AT = i;
    HT_END = te;
    return t;
  }
  return NO_TIME;
}

/** [p, e) holds only header-like tokens: [brackets], ids, paths, CamelCase or UPPER words, short
 *  marks ("I,", "-"). */
function headerPrefix(p: usize, e: usize): bool {
  return idPrefix(p, e) || identPrefix(p, e);
}

/** A short run of fields led by a record number ("2568643 node-70 action start <time>"). */
function idPrefix(p: usize, e: usize): bool {
  if (!isDigit(<u32>load<u8>(p))) return false;
  let tokens = 0;
  let q = p;
  while (q < e) {
    while (q < e && load<u8>(q) == 0x20) q++;
    if (q >= e) break;
    tokens++;
    while (q < e && load<u8>(q) != 0x20) q++;
  }
  let n = countDigits(p, e, 21);
  return tokens <= 4 && (p + <usize>n == e || load<u8>(p + <usize>n) == 0x20);
}

function identPrefix(p: usize, e: usize): bool {
  let q = p;
  while (q < e) {
    while (q < e && (load<u8>(q) == 0x20 || load<u8>(q) == 0x09)) q++;
    if (q >= e) break;
    let s = q;
    while (q < e && load<u8>(q) != 0x20 && load<u8>(q) != 0x09) q++;
    let n = q - s;
    let c = <u32>load<u8>(s);
    if (c == 0x5B || c == 0x28 || n <= 2) continue;
    let b = q;
    if (load<u8>(b - 1) == 0x3A) b--;
    if (b > s && headerish(s, b - s)) continue;
    return false;
  }
  return true;
}

/** An upper-case level word among the alphanumeric runs of [p, e) ("MainThread::INFO::"); after a
 *  record number, any case ("2568643 node-70 switch_module error <time>"). */
function prefixLevel(p: usize, e: usize): u8 {
  let anyCase = isDigit(<u32>load<u8>(p));
  let q = p;
  while (q < e) {
    while (q < e && !isAlpha(<u32>load<u8>(q))) q++;
    let s = q;
    let upper = true;
    while (q < e && (isAlpha(<u32>load<u8>(q)) || isDigit(<u32>load<u8>(q)))) { if (!isUpper(<u32>load<u8>(q))) upper = false; q++; }
    if ((upper || (anyCase && (q == e || load<u8>(q) == 0x20))) && q - s >= 3 && q - s <= 8) {
      let lv = levelFromWord(s, q - s);
      if (lv != LEVEL_UNKNOWN) return lv;
    }
  }
  return LEVEL_UNKNOWN;
}

/** Called when recognition found no time: look for one in the head of [p, end). */
export function scanHead(lr: LineResult, p: usize, end: usize, hostMs: i64): void {
  let t = findTime(p, end, hostMs);
  if (t == NO_TIME) return;
  let at = HT_AT;
  let from = at > p && load<u8>(at - 1) == 0x5B ? at - 1 : at;
  if (from > p && headerPrefix(p, from)) {
    let f = lr.format, lv = lr.level, bp = lr.bodyPtr, bl = lr.bodyLen, st = lr.status;
    lr.reset(from, end - from);
    setAppFields(idPrefix(p, from));
    let ok = recogniseApp(lr, from, end, hostMs);
    setAppFields(false);
    if (ok && lr.time != NO_TIME) {
      if (lr.level == LEVEL_UNKNOWN) lr.level = prefixLevel(p, from);
      if (lr.level == LEVEL_UNKNOWN) lr.level = lv;
      return;
    }
    lr.format = f; lr.level = lv; lr.bodyPtr = bp; lr.bodyLen = bl; lr.status = st;
    lr.time = t;
    return;
  }
  // after prose, only a full date and time of day is the event's ("... at 2015-08-05 11:37:01
  // +0200"); a bare date or number there is more likely a value in the message
  let hasClock = false;
  for (let i = at; i < HT_END; i++) if (load<u8>(i) == 0x3A) { hasClock = true; break; }
  if (hasClock) lr.time = t;
}

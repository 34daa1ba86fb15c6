// Record understanding: from a Fluent Bit record body (JSON object, untrusted) or a raw text line to
// the RecordView it returns (message, level, event time, format, body, HTTP status, stream field).
// Works on the input bytes; the only copies are unescaped strings, written into buffers reused
// across records.
import { RecordView } from "../core/record_view";
import { CFG, cfgTimeSource, cfgOutputKey, bytesLen, cfgErrorPatterns, TIME_HOST, TIME_RECORD, utf8 } from "../core/config";
import { ByteBuf } from "../core/byte_buf";
import { LEVEL_UNKNOWN, LEVEL_ERROR, LEVEL_WARNING, LEVEL_WARNING_UP, LEVEL_INFO, LEVEL_PENDING_INFO, LEVEL_PENDING_WARNING } from "../core/levels";
import { FORMAT_JSON, FORMAT_TEXT, FORMAT_CRI } from "../core/formats";
import {
  ObjectScan, JT_STRING, JT_NUMBER, JT_OBJECT, JT_ARRAY, FOUND_PTR, FOUND_LEN, FOUND_KIND, FOUND_ESC, findInObject,
  ESC_NONE, ESC_SOME, ESC_TRAILING_NL, findMember, mKind, mValPtr, mValLen, mValEsc, mValUPtr, mValULen, mAddr
} from "./json_scan";
import {
  ensureKeyIndex, keyMember, keyPtr, keyLen, keyDotted, keyLevelKind, KEY_COUNT,
  MSG_FIRST, LEVEL_FIRST, TIME_FIRST, STREAM_FIRST, FOUND_MASK, DOTTED_MASK, MSG_RANGE, LEVEL_RANGE, TIME_RANGE
} from "./key_index";
import { unescapeInto } from "./json_unescape";
import { isSpace, isAlnum } from "./bytes";
import { zeroByteMask, firstByte } from "../core/mem";
import { parseDecimal, numInteger, NUM_MANT, NUM_EXP, NUM_DIGITS, NUM_NEG } from "./number";
import { NO_TIME, parseTimeString, epochMs } from "./timestamp";
import { levelFromValueText, levelFromNumber } from "./level_words";
import { keywordAtWordStartAt } from "./keywords";
import { recogniseLine } from "./line_recognise";

/** The one result of understandRecord / understandLine, overwritten by each record. */
const VIEW = new RecordView();

const SCAN = new ObjectScan();      // the record
const INNER = new ObjectScan();     // a JSON object inside the message string
const MSG_BUF = new ByteBuf(4096);  // unescaped record message
const INNER_MSG_BUF = new ByteBuf(1024);
const VAL_BUF = new ByteBuf(128);   // unescaped level / time strings
const STREAM_BUF = new ByteBuf(128);
/** Scratch grown past this by one huge message is shrunk back on the next record. */
const KEEP_BYTES: usize = 256 * 1024;

// ---- value lookup: configured key -> member (key_index), or a dotted path into nested objects ----

let V_PTR: usize = 0;
let V_LEN: usize = 0;
let V_KIND: u8 = 0;
let V_ESC: u8 = ESC_NONE;
/** The value's member (0: a nested value): where V_ESC is set, its copy unescaped by the scan
 *  (uPtr() / uLen()). */
let V_MEMBER: usize = 0;
/** The string value already unescaped by the scan (0: not available; only where V_ESC is set). */
@inline function uPtr(): usize { return V_MEMBER ? mValUPtr(V_MEMBER, 0) : 0; }
@inline function uLen(): usize { return mValULen(V_MEMBER, 0); }

/** Follow a dotted key ("log.level" = {"log":{"level":..}}, "kubernetes.labels.app") through
 *  nested objects; at each level the literal rest of the key is tried before splitting further. */
function lookupDotted(base: usize, count: i32, k: usize, n: usize): bool {
  let end = k + n;
  let d = k;
  while (d < end && load<u8>(d) != 0x2E) d++;
  if (d >= end || d == k) return false;
  let i = findMember(base, count, k, d - k);
  if (i < 0 || mKind(base, i) != JT_OBJECT) return false;
  let obj = mValPtr(base, i), objLen = mValLen(base, i);
  let rest = d + 1;
  for (let depth = 0; depth < 16 && rest < end; depth++) {
    if (findInObject(obj, objLen, rest, end - rest)) {
      V_PTR = FOUND_PTR; V_LEN = FOUND_LEN; V_KIND = FOUND_KIND; V_ESC = FOUND_ESC ? ESC_SOME : ESC_NONE; V_MEMBER = 0;
      return true;
    }
    let e = rest;
    while (e < end && load<u8>(e) != 0x2E) e++;
    if (e >= end || e == rest) return false;
    if (!findInObject(obj, objLen, rest, e - rest) || FOUND_KIND != JT_OBJECT) return false;
    obj = FOUND_PTR; objLen = FOUND_LEN;
    rest = e + 1;
  }
  return false;
}

/** Value of configured key entry e in the member index last given to matchMembers (`objects`: some
 *  member of it has an object value, so a dotted key may lead into one). Sets V_*. */
@inline function valueOf(base: usize, count: i32, objects: bool, e: i32): bool {
  let i = keyMember(e);
  if (i >= 0) {
    V_PTR = mValPtr(base, i); V_LEN = mValLen(base, i); V_KIND = mKind(base, i); V_ESC = mValEsc(base, i);
    V_MEMBER = mAddr(base, i);
    return true;
  }
  return keyDotted(e) && objects && dottedValue(base, count, e);
}

/** valueOf's dotted path (out of line: the common direct hit stays a few loads, no call). */
function dottedValue(base: usize, count: i32, e: i32): bool { return lookupDotted(base, count, keyPtr(e), keyLen(e)); }

/** V_* string value as plain bytes (unescaped into `buf` only when it has escapes). */
@inline function valueBytes(buf: ByteBuf): void { if (V_ESC) valueUnescaped(buf); }

/** (valueBytes' rare path, out of line: most values have no escapes.) */
function valueUnescaped(buf: ByteBuf): void {
  let u = uPtr();
  if (u) { V_PTR = u; V_LEN = uLen(); V_ESC = ESC_NONE; return; }
  buf.reset();
  unescapeInto(V_PTR, V_LEN, buf);
  V_PTR = buf.ptr; V_LEN = buf.len; V_ESC = ESC_NONE;
}

// ---- fields of one object ----

/** What extractFields found in one object: the record itself, or a JSON object inside its message
 *  (one instance each, reused). */
@unmanaged
class Fields {
  msgPtr: usize = 0;
  msgLen: usize = 0;
  time: i64 = NO_TIME;
  hasMsg: bool = false;
  level: u8 = LEVEL_UNKNOWN;
}
const OUTER_FIELDS = new Fields();
const INNER_FIELDS = new Fields();

/** Fills f from the object's members, whose keys were matched by its scan. */
@inline function extractFields(base: usize, count: i32, objects: bool, msgBuf: ByteBuf, hostMs: i64, wantTime: bool,
                       f: Fields): void {
  f.hasMsg = false;   // (msgPtr and msgLen are read only when hasMsg is set)
  // per role only the entries found in this object or dotted, in priority order
  let cand = (FOUND_MASK | DOTTED_MASK) & MSG_RANGE;
  while (cand) {
    let e = <i32>ctz(cand);
    cand &= cand - 1;
    if (!valueOf(base, count, objects, e) || V_KIND != JT_STRING) continue;
    if (V_ESC == ESC_TRAILING_NL) {
      // "...\n" as Docker and CRI write it: drop the newline instead of copying the message
      let n = V_LEN - 2;
      if (n >= 2 && load<u16>(V_PTR + n - 2) == 0x725C) n -= 2;
      f.msgPtr = V_PTR; f.msgLen = n;
    } else if (V_ESC) {
      let u = uPtr();
      if (u) { f.msgPtr = u; f.msgLen = uLen(); }
      else {
        msgBuf.reset();
        unescapeInto(V_PTR, V_LEN, msgBuf);
        f.msgPtr = msgBuf.ptr; f.msgLen = msgBuf.len;
      }
    } else { f.msgPtr = V_PTR; f.msgLen = V_LEN; }
    f.hasMsg = true;
    break;
  }

  f.level = LEVEL_UNKNOWN;
  cand = (FOUND_MASK | DOTTED_MASK) & LEVEL_RANGE;
  while (cand) {
    let e = <i32>ctz(cand);
    cand &= cand - 1;
    if (!valueOf(base, count, objects, e)) continue;
    let lv = LEVEL_UNKNOWN;
    // a one-letter key ("s", MongoDB) is a level only as a word or letter, never as a number
    if (V_KIND == JT_NUMBER && keyLen(e) == 1) continue;
    if (V_KIND == JT_STRING) {
      valueBytes(VAL_BUF);
      lv = levelFromValueText(V_PTR, V_LEN, keyLevelKind(e));
    } else if (V_KIND == JT_NUMBER && parseDecimal(V_PTR, V_LEN)) {
      let v = numInteger();
      if (v != i64.MIN_VALUE) lv = levelFromNumber(v, keyLevelKind(e));
    }
    if (lv != LEVEL_UNKNOWN) { f.level = lv; break; }
  }

  f.time = NO_TIME;
  if (!wantTime) return;
  cand = (FOUND_MASK | DOTTED_MASK) & TIME_RANGE;
  while (cand) {
    let e = <i32>ctz(cand);
    cand &= cand - 1;
    if (!valueOf(base, count, objects, e)) continue;
    let t = NO_TIME;
    if (V_KIND == JT_STRING) {
      valueBytes(VAL_BUF);
      t = parseTimeString(V_PTR, V_LEN, hostMs);
    } else if (V_KIND == JT_NUMBER && parseDecimal(V_PTR, V_LEN)) {
      t = epochMs(NUM_MANT, NUM_EXP, NUM_DIGITS, NUM_NEG);
    } else if (V_KIND == JT_OBJECT) {
      t = timeObject(V_PTR, V_LEN, hostMs);
    }
    if (t != NO_TIME) { f.time = t; break; }
  }
}

const K_DATE = utf8("$date");
const K_NUMLONG = utf8("$numberLong");
const K_EPOCH_S = utf8("epochSecond");
const K_NANO = utf8("nanoOfSecond");

/** A time given as an object: MongoDB extended JSON {"$date": "..." | ms | {"$numberLong": "ms"}},
 *  log4j2 JSON {"epochSecond": s, "nanoOfSecond": ns}. */
function timeObject(obj: usize, len: usize, hostMs: i64): i64 {
  if (findInObject(obj, len, changetype<usize>(K_DATE), <usize>K_DATE.length)) {
    if (FOUND_KIND == JT_STRING) return parseTimeString(FOUND_PTR, FOUND_LEN, hostMs);
    if (FOUND_KIND == JT_NUMBER && parseDecimal(FOUND_PTR, FOUND_LEN)) return epochMs(NUM_MANT, NUM_EXP, NUM_DIGITS, NUM_NEG);
    if (FOUND_KIND == JT_OBJECT && findInObject(FOUND_PTR, FOUND_LEN, changetype<usize>(K_NUMLONG), <usize>K_NUMLONG.length) &&
        FOUND_KIND == JT_STRING && parseDecimal(FOUND_PTR, FOUND_LEN)) return epochMs(NUM_MANT, NUM_EXP, NUM_DIGITS, NUM_NEG);
    return NO_TIME;
  }
  if (findInObject(obj, len, changetype<usize>(K_EPOCH_S), <usize>K_EPOCH_S.length) && FOUND_KIND == JT_NUMBER &&
      parseDecimal(FOUND_PTR, FOUND_LEN)) {
    let s = numInteger();
    if (s == i64.MIN_VALUE || s < 0 || s > 253402300799) return NO_TIME;
    let ms = s * 1000;
    if (findInObject(obj, len, changetype<usize>(K_NANO), <usize>K_NANO.length) && FOUND_KIND == JT_NUMBER &&
        parseDecimal(FOUND_PTR, FOUND_LEN)) {
      let ns = numInteger();
      if (ns > 0 && ns < 1000000000) ms += ns / 1000000;
    }
    return ms;
  }
  return NO_TIME;
}

/** The message [p, p+n) is itself a JSON object: returns its message, level and time (once, never
 *  deeper), or null when it is not a valid object. */
@inline function innerJson(p: usize, n: usize, hostMs: i64, wantTime: bool): Fields | null {
  if (n < 2) return null;
  let c0 = <u32>load<u8>(p);
  if (c0 != 0x7B && !isSpace(c0)) return null; // most messages: one test (inline: no call)
  return innerJsonScan(p, n, hostMs, wantTime);
}

function innerJsonScan(p: usize, n: usize, hostMs: i64, wantTime: bool): Fields | null {
  let end = p + n;
  let a = p;
  while (a < end && isSpace(<u32>load<u8>(a))) a++;
  let b = end;
  while (b > a && isSpace(<u32>load<u8>(b - 1))) b--;
  if (b - a < 2 || load<u8>(a) != 0x7B || load<u8>(b - 1) != 0x7D) return null;
  if (!INNER.scan(a, b - a, 0, 0)) return null;
  let f = INNER_FIELDS;
  extractFields(INNER.members.ptr, INNER.count, INNER.anyObject, INNER_MSG_BUF, hostMs, wantTime, f);
  return f;
}

/** The stream field's value into v (only for the record itself; call right after extractFields). */
@inline function streamField(v: RecordView, base: usize, count: i32, objects: bool): void {
  if (STREAM_FIRST >= KEY_COUNT || !valueOf(base, count, objects, STREAM_FIRST)) return;
  if (V_KIND == JT_STRING) {
    if (V_ESC) {
      let u = uPtr();
      if (u) { V_PTR = u; V_LEN = uLen(); }
      else {
        STREAM_BUF.reset();
        unescapeInto(V_PTR, V_LEN, STREAM_BUF);
        V_PTR = STREAM_BUF.ptr; V_LEN = STREAM_BUF.len;
      }
    }
  } else if (V_KIND == JT_OBJECT || V_KIND == JT_ARRAY) return;
  v.streamFieldPtr = V_PTR;
  v.streamFieldLen = V_LEN;
}

@inline function errorKeyword(p: usize, n: usize): bool { return keywordAtWordStartAt(p, n, cfgErrorPatterns()); }

/** Level fallback when nothing said it: HTTP status, then the error keywords in the body (not in
 *  the header, where program and logger names live), then info. A format's top marker that also
 *  covers errors (Redis `#`) is an error when the body has an error keyword, else a warning.
 *  `defer`: the keyword scan is left to the caller (LEVEL_PENDING_INFO / _WARNING; msgPtr and
 *  msgLen are then the view's body). */
@inline function finishLevel(level: u8, status: i32, msgPtr: usize, msgLen: usize, defer: bool): u8 {
  // one compare on the common path (a known level): both special codes sit at the top of u8
  if (level < LEVEL_WARNING_UP) return level;
  if (level == LEVEL_WARNING_UP) {
    if (defer) return msgLen ? LEVEL_PENDING_WARNING : LEVEL_WARNING;
    return msgLen && errorKeyword(msgPtr, msgLen) ? LEVEL_ERROR : LEVEL_WARNING;
  }
  return fallbackLevel(status, msgPtr, msgLen, defer);
}

@inline function fallbackLevel(status: i32, msgPtr: usize, msgLen: usize, defer: bool): u8 {
  if (status >= 500 && status <= 599) return LEVEL_ERROR;
  if (status >= 400 && status <= 499) return LEVEL_WARNING;
  if (defer) return msgLen ? LEVEL_PENDING_INFO : LEVEL_INFO;
  if (msgLen && errorKeyword(msgPtr, msgLen)) return LEVEL_ERROR;
  return LEVEL_INFO;
}

function setTime(v: RecordView, recordTime: i64, lineTime: i64, hostMs: i64): void {
  let src = cfgTimeSource();
  let t = NO_TIME;
  if (src != TIME_HOST) {
    t = recordTime;
    if (t == NO_TIME && src != TIME_RECORD) t = lineTime;
  }
  if (t == NO_TIME) { v.timeMs = hostMs; v.timeFromRecord = false; }
  else { v.timeMs = t; v.timeFromRecord = true; }
}

/** Everything after a successful scan of a top-level object, into v. */
@inline function understandObject(v: RecordView, hostMs: i64, defer: bool): void {
  let wantTime = cfgTimeSource() != TIME_HOST;
  let base = SCAN.members.ptr, count = SCAN.count;
  let objects = SCAN.anyObject;
  let f = OUTER_FIELDS;
  extractFields(base, count, objects, MSG_BUF, hostMs, wantTime, f);
  streamField(v, base, count, objects);
  let level = f.level;
  let recTime = f.time;
  let lineTime = NO_TIME;
  let format = FORMAT_JSON;
  let status = 0;
  if (!f.hasMsg) {
    v.format = FORMAT_JSON;
    v.level = finishLevel(level, 0, 0, 0, defer);
    setTime(v, recTime, NO_TIME, hostMs);
    return;
  }
  let msgPtr = f.msgPtr, msgLen = f.msgLen;
  let bodyPtr = msgPtr, bodyLen = msgLen;
  // an inner object (after a compose prefix or not) ends the message: most messages end otherwise,
  // so one test of the last byte skips the prefix search
  let inner: Fields | null = null;
  let last = msgLen ? <u32>load<u8>(msgPtr + msgLen - 1) : 0;
  if (last == 0x7D || isSpace(last)) {
    let jp = msgPtr;
    if (load<u8>(msgPtr) != 0x7B) {
      let j = composePrefixEnd(msgPtr, msgPtr + msgLen);
      if (j) jp = j;
    }
    inner = innerJson(jp, msgPtr + msgLen - jp, hostMs, wantTime);
  }
  if (inner) {
    // {"log":"{\"level\":\"error\",\"msg\":\"...\"}"}: the inner object is the real record
    if (inner.level != LEVEL_UNKNOWN) level = inner.level;
    if (inner.time != NO_TIME) recTime = inner.time;
    if (inner.hasMsg) { msgPtr = inner.msgPtr; msgLen = inner.msgLen; }
    let lr = recogniseLine(msgPtr, msgLen, hostMs);
    bodyPtr = lr.bodyPtr; bodyLen = lr.bodyLen;
    if (level == LEVEL_UNKNOWN) level = lr.level;
    lineTime = lr.time;
    status = lr.status;
  } else if (level != LEVEL_UNKNOWN && (recTime != NO_TIME || !wantTime)) {
    // a structured record (pino, zap, logrus, ...): its keys said level and time, so the message
    // is plain text, not a log line with a header to parse
  } else {
    let lr = recogniseLine(msgPtr, msgLen, hostMs);
    bodyPtr = lr.bodyPtr; bodyLen = lr.bodyLen;
    status = lr.status;
    lineTime = lr.time;
    let lineLevel = lr.level;
    if (lr.format == FORMAT_CRI && bodyLen && load<u8>(bodyPtr) == 0x7B) {
      // tail of a CRI file without a parser: {"log":"<time> stdout F {json}"}
      let cri = innerJson(bodyPtr, bodyLen, hostMs, wantTime);
      if (cri) {
        if (lineLevel == LEVEL_UNKNOWN && cri.level != LEVEL_UNKNOWN) lineLevel = cri.level;
        if (cri.hasMsg) { bodyPtr = cri.msgPtr; bodyLen = cri.msgLen; }
      }
    }
    if (level == LEVEL_UNKNOWN) level = lineLevel;
    if (lr.format != FORMAT_TEXT) format = lr.format;
    else if (f.level == LEVEL_UNKNOWN && f.time == NO_TIME) format = FORMAT_TEXT;
  }
  v.msgPtr = msgPtr; v.msgLen = msgLen;
  v.bodyPtr = bodyPtr; v.bodyLen = bodyLen;
  v.format = format;
  v.httpStatus = status;
  v.level = finishLevel(level, status, bodyPtr, bodyLen, defer);
  setTime(v, recTime, lineTime, hostMs);
}

/** Give back scratch memory a huge record grew (memory stays bounded by the largest *recent* record). */
@inline function releaseLarge(): void {
  // one test per record (the OR of the capacities is at least the largest): the exact tests out
  // of line
  if ((MSG_BUF.cap | INNER_MSG_BUF.cap | VAL_BUF.cap | STREAM_BUF.cap) > KEEP_BYTES) releaseLargeSlow();
}

function releaseLargeSlow(): void {
  if (MSG_BUF.cap > KEEP_BYTES) { MSG_BUF.reset(); MSG_BUF.shrink(KEEP_BYTES); }
  if (INNER_MSG_BUF.cap > KEEP_BYTES) { INNER_MSG_BUF.reset(); INNER_MSG_BUF.shrink(KEEP_BYTES); }
  if (VAL_BUF.cap > KEEP_BYTES) { VAL_BUF.reset(); VAL_BUF.shrink(KEEP_BYTES); }
  if (STREAM_BUF.cap > KEEP_BYTES) { STREAM_BUF.reset(); STREAM_BUF.shrink(KEEP_BYTES); }
}

/** Understand a Fluent Bit record body (a JSON object; anything else leaves isObject false).
 *  The returned view is valid until the next record. `defer`: see finishLevel. */
@inline export function understandRecord(rec: usize, len: usize, hostTimeMs: i64, defer: bool = false): RecordView {
  let v = VIEW;
  v.reset();
  ensureKeyIndex();
  releaseLarge();
  v.timeMs = hostTimeMs;
  let ok = SCAN.scan(rec, len, cfgOutputKey(), bytesLen(cfgOutputKey()));
  if (!ok) return v;
  v.isObject = true;
  v.closeBrace = SCAN.closeBrace - rec;
  v.emptyObject = SCAN.total == 0;
  v.hasOutputKey = SCAN.keyHit;
  understandObject(v, hostTimeMs, defer);
  return v;
}

/** End of a docker compose prefix "name  | " when a JSON object follows it, else 0. The name ends
 *  at its first space, found eight bytes a step; the name bytes are checked only when "| {" follows
 *  (most messages fail at the byte after the first space). */
function composePrefixEnd(p: usize, end: usize): usize {
  let lim = p + 64 < end ? p + 64 : end;
  let q = p;
  while (q + 8 <= lim) {
    let m = zeroByteMask(load<u64>(q) ^ 0x2020202020202020);
    if (m) { q += firstByte(m); break; }
    q += 8;
  }
  while (q < lim && load<u8>(q) != 0x20) q++;
  if (q == p || q >= lim) return 0;
  let s = q;
  while (q < lim && load<u8>(q) == 0x20) q++;
  if (q + 2 >= end || load<u8>(q) != 0x7C || load<u8>(q + 1) != 0x20) return 0;
  for (let k = p; k < s; k++) {
    let c = <u32>load<u8>(k);
    if (!(isAlnum(c) || c == 0x2D || c == 0x5F || c == 0x2E)) return 0;
  }
  q += 2;
  while (q < end && load<u8>(q) == 0x20) q++;
  return q < end && load<u8>(q) == 0x7B ? q : 0;
}

/** Understand one raw text line: a JSON object line is handled as a record; any other line is the
 *  message itself. The returned view is valid until the next record. */
export function understandLine(line: usize, len: usize, hostTimeMs: i64, defer: bool = false): RecordView {
  let end = line + len;
  let p = line;
  while (p < end && isSpace(<u32>load<u8>(p))) p++;
  if (p < end && load<u8>(p) == 0x7B) {
    let r = understandRecord(line, len, hostTimeMs, defer);
    if (r.isObject) return r;
  } else {
    // "service-1  | {json}": docker compose's prefix before a JSON record
    let j = composePrefixEnd(p, end);
    if (j) {
      let r = understandRecord(j, end - j, hostTimeMs, defer);
      if (r.isObject) return r;
    }
  }
  let v = VIEW;
  v.reset();
  v.isObject = false;
  v.msgPtr = line; v.msgLen = len;
  let lr = recogniseLine(line, len, hostTimeMs);
  let bodyPtr = lr.bodyPtr, bodyLen = lr.bodyLen;
  let level = lr.level;
  if (lr.format == FORMAT_CRI && bodyLen && load<u8>(bodyPtr) == 0x7B) {
    // a CRI log file line whose payload is a JSON object
    ensureKeyIndex();
    let cri = innerJson(bodyPtr, bodyLen, hostTimeMs, cfgTimeSource() != TIME_HOST);
    if (cri) {
      if (level == LEVEL_UNKNOWN) level = cri.level;
      if (cri.hasMsg) { bodyPtr = cri.msgPtr; bodyLen = cri.msgLen; }
    }
  }
  v.format = lr.format;
  v.bodyPtr = bodyPtr; v.bodyLen = bodyLen;
  v.httpStatus = lr.status;
  v.level = finishLevel(level, lr.status, bodyPtr, bodyLen, defer);
  // a raw line is its own record: its time counts as record time
  setTime(v, lr.time, lr.time, hostTimeMs);
  return v;
}

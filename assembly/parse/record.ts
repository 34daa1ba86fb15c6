// Record understanding: from a Fluent Bit record body (JSON object, untrusted) or a raw text line to
// the global REC (message, level, event time, format, body, HTTP status, stream field). Works on the
// input bytes; the only copies are unescaped strings, written into buffers reused across records.
import { REC } from "../core/record_view";
import { CFG, cfgTimeSource, cfgOutputKey, bytesLen, cfgErrorPatterns, TIME_HOST, TIME_RECORD, utf8 } from "../core/config";
import { ByteBuf } from "../core/byte_buf";
import { LEVEL_UNKNOWN, LEVEL_ERROR, LEVEL_WARNING, LEVEL_INFO } from "../core/levels";
import { FORMAT_JSON, FORMAT_TEXT, FORMAT_CRI } from "../core/formats";
import {
  ObjectScan, JT_STRING, JT_NUMBER, JT_OBJECT, JT_ARRAY, FOUND_PTR, FOUND_LEN, FOUND_KIND, FOUND_ESC, findInObject,
  ESC_NONE, ESC_SOME, ESC_TRAILING_NL, findMember, mKind, mValPtr, mValLen, mValEsc, mValUPtr, mValULen
} from "./json_scan";
import {
  ensureKeyIndex, keyMember, keyPtr, keyLen, keyDotted, keyLevelKind, KEY_COUNT,
  MSG_FIRST, LEVEL_FIRST, TIME_FIRST, STREAM_FIRST, FOUND_MASK, DOTTED_MASK, entryRange
} from "./key_index";
import { unescapeInto } from "./json_unescape";
import { isSpace, isAlnum } from "./bytes";
import { zeroByteMask } from "../core/mem";
import { parseDecimal, numInteger, NUM_MANT, NUM_EXP, NUM_DIGITS, NUM_NEG } from "./number";
import { NO_TIME, parseTimeString, epochMs } from "./timestamp";
import { levelFromValueText, levelFromNumber } from "./level_words";
import { keywordAtWordStartAt } from "./keywords";
import { L_FORMAT, L_LEVEL, L_TIME, L_BODY_PTR, L_BODY_LEN, L_STATUS, lineReset, lineBody } from "./line_result";
import { recogniseLine } from "./line_recognise";

const SCAN = new ObjectScan();      // the record
const INNER = new ObjectScan();     // a JSON object inside the message string
SCAN.matchKeys = true;
INNER.matchKeys = true;
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
/** The string value already unescaped by the scan (0: not available). */
let V_UPTR: usize = 0;
let V_ULEN: usize = 0;

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
      V_PTR = FOUND_PTR; V_LEN = FOUND_LEN; V_KIND = FOUND_KIND; V_ESC = FOUND_ESC ? ESC_SOME : ESC_NONE; V_UPTR = 0;
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

/** The member index being read has an object value (set beside each extractFields call). */
let HAS_OBJECTS = true;

/** Value of configured key entry e in the member index last given to matchMembers. Sets V_*. */
function valueOf(base: usize, count: i32, e: i32): bool {
  let i = keyMember(e);
  if (i >= 0) {
    V_PTR = mValPtr(base, i); V_LEN = mValLen(base, i); V_KIND = mKind(base, i); V_ESC = mValEsc(base, i);
    V_UPTR = mValUPtr(base, i); V_ULEN = mValULen(base, i);
    return true;
  }
  return keyDotted(e) && HAS_OBJECTS && lookupDotted(base, count, keyPtr(e), keyLen(e));
}

/** V_* string value as plain bytes (unescaped into `buf` only when it has escapes). */
function valueBytes(buf: ByteBuf): void {
  if (V_ESC) {
    if (V_UPTR) { V_PTR = V_UPTR; V_LEN = V_ULEN; V_ESC = ESC_NONE; return; }
    buf.reset();
    unescapeInto(V_PTR, V_LEN, buf);
    V_PTR = buf.ptr; V_LEN = buf.len; V_ESC = ESC_NONE;
  }
}

// ---- fields of one object ----

let F_HAS_MSG = false;
let F_MSG_PTR: usize = 0;
let F_MSG_LEN: usize = 0;
let F_LEVEL: u8 = LEVEL_UNKNOWN;
let F_TIME: i64 = NO_TIME;

/** The object's keys were matched by its scan (matchKeys). */
function extractFields(base: usize, count: i32, msgBuf: ByteBuf, hostMs: i64, wantTime: bool): void {
  F_HAS_MSG = false; F_MSG_PTR = 0; F_MSG_LEN = 0;
  // per role only the entries found in this object or dotted, in priority order
  let cand = (FOUND_MASK | DOTTED_MASK) & entryRange(MSG_FIRST, LEVEL_FIRST);
  while (cand) {
    let e = <i32>ctz(cand);
    cand &= cand - 1;
    if (!valueOf(base, count, e) || V_KIND != JT_STRING) continue;
    if (V_ESC == ESC_TRAILING_NL) {
      // "...\n" as Docker and CRI write it: drop the newline instead of copying the message
      let n = V_LEN - 2;
      if (n >= 2 && load<u16>(V_PTR + n - 2) == 0x725C) n -= 2;
      F_MSG_PTR = V_PTR; F_MSG_LEN = n;
    } else if (V_UPTR) {
      F_MSG_PTR = V_UPTR; F_MSG_LEN = V_ULEN;
    } else if (V_ESC) {
      msgBuf.reset();
      unescapeInto(V_PTR, V_LEN, msgBuf);
      F_MSG_PTR = msgBuf.ptr; F_MSG_LEN = msgBuf.len;
    } else { F_MSG_PTR = V_PTR; F_MSG_LEN = V_LEN; }
    F_HAS_MSG = true;
    break;
  }

  F_LEVEL = LEVEL_UNKNOWN;
  cand = (FOUND_MASK | DOTTED_MASK) & entryRange(LEVEL_FIRST, TIME_FIRST);
  while (cand) {
    let e = <i32>ctz(cand);
    cand &= cand - 1;
    if (!valueOf(base, count, e)) continue;
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
    if (lv != LEVEL_UNKNOWN) { F_LEVEL = lv; break; }
  }

  F_TIME = NO_TIME;
  if (!wantTime) return;
  cand = (FOUND_MASK | DOTTED_MASK) & entryRange(TIME_FIRST, STREAM_FIRST);
  while (cand) {
    let e = <i32>ctz(cand);
    cand &= cand - 1;
    if (!valueOf(base, count, e)) continue;
    let t = NO_TIME;
    if (V_KIND == JT_STRING) {
      valueBytes(VAL_BUF);
      t = parseTimeString(V_PTR, V_LEN, hostMs);
    } else if (V_KIND == JT_NUMBER && parseDecimal(V_PTR, V_LEN)) {
      t = epochMs(NUM_MANT, NUM_EXP, NUM_DIGITS, NUM_NEG);
    } else if (V_KIND == JT_OBJECT) {
      t = timeObject(V_PTR, V_LEN, hostMs);
    }
    if (t != NO_TIME) { F_TIME = t; break; }
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

// what innerJson found
let IN_LEVEL: u8 = LEVEL_UNKNOWN;
let IN_TIME: i64 = NO_TIME;
let IN_HAS_MSG = false;
let IN_MSG_PTR: usize = 0;
let IN_MSG_LEN: usize = 0;

/** The message [p, p+n) is itself a JSON object: take message, level and time from it (once, never
 *  deeper). Returns false (changing nothing) when it is not a valid object. */
@inline function innerJson(p: usize, n: usize, hostMs: i64, wantTime: bool): bool {
  if (n < 2) return false;
  let c0 = <u32>load<u8>(p);
  if (c0 != 0x7B && !isSpace(c0)) return false; // most messages: one test (inline: no call)
  return innerJsonScan(p, n, hostMs, wantTime);
}

function innerJsonScan(p: usize, n: usize, hostMs: i64, wantTime: bool): bool {
  let end = p + n;
  let a = p;
  while (a < end && isSpace(<u32>load<u8>(a))) a++;
  let b = end;
  while (b > a && isSpace(<u32>load<u8>(b - 1))) b--;
  if (b - a < 2 || load<u8>(a) != 0x7B || load<u8>(b - 1) != 0x7D) return false;
  if (!INNER.scan(a, b - a, 0, 0)) return false;
  // keep the outer fields: extractFields overwrites F_*
  let oHas = F_HAS_MSG, oPtr = F_MSG_PTR, oLen = F_MSG_LEN, oLevel = F_LEVEL, oTime = F_TIME;
  let oObjects = HAS_OBJECTS;
  HAS_OBJECTS = INNER.anyObject;
  extractFields(INNER.members.ptr, INNER.count, INNER_MSG_BUF, hostMs, wantTime);
  HAS_OBJECTS = oObjects;
  IN_LEVEL = F_LEVEL; IN_TIME = F_TIME; IN_HAS_MSG = F_HAS_MSG; IN_MSG_PTR = F_MSG_PTR; IN_MSG_LEN = F_MSG_LEN;
  F_HAS_MSG = oHas; F_MSG_PTR = oPtr; F_MSG_LEN = oLen; F_LEVEL = oLevel; F_TIME = oTime;
  return true;
}

/** The stream field's value (only for the record itself; call right after extractFields). */
function streamField(base: usize, count: i32): void {
  if (STREAM_FIRST >= KEY_COUNT || !valueOf(base, count, STREAM_FIRST)) return;
  if (V_KIND == JT_STRING) {
    if (V_UPTR) {
      V_PTR = V_UPTR; V_LEN = V_ULEN;
    } else if (V_ESC) {
      STREAM_BUF.reset();
      unescapeInto(V_PTR, V_LEN, STREAM_BUF);
      V_PTR = STREAM_BUF.ptr; V_LEN = STREAM_BUF.len;
    }
  } else if (V_KIND == JT_OBJECT || V_KIND == JT_ARRAY) return;
  REC.streamFieldPtr = V_PTR;
  REC.streamFieldLen = V_LEN;
}

@inline function errorKeyword(p: usize, n: usize): bool { return keywordAtWordStartAt(p, n, cfgErrorPatterns()); }

/** Level fallback when nothing said it: HTTP status, then the error keywords in the body (not in
 *  the header, where program and logger names live), then info. */
@inline function finishLevel(level: u8, status: i32, msgPtr: usize, msgLen: usize): u8 {
  return level != LEVEL_UNKNOWN ? level : fallbackLevel(status, msgPtr, msgLen);
}

function fallbackLevel(status: i32, msgPtr: usize, msgLen: usize): u8 {
  if (status >= 500 && status <= 599) return LEVEL_ERROR;
  if (status >= 400 && status <= 499) return LEVEL_WARNING;
  if (msgLen && errorKeyword(msgPtr, msgLen)) return LEVEL_ERROR;
  return LEVEL_INFO;
}

function setTime(recordTime: i64, lineTime: i64, hostMs: i64): void {
  let src = cfgTimeSource();
  let t = NO_TIME;
  if (src != TIME_HOST) {
    t = recordTime;
    if (t == NO_TIME && src != TIME_RECORD) t = lineTime;
  }
  if (t == NO_TIME) { REC.timeMs = hostMs; REC.timeFromRecord = false; }
  else { REC.timeMs = t; REC.timeFromRecord = true; }
}

/** Everything after a successful scan of a top-level object. */
function understandObject(hostMs: i64): void {
  let wantTime = cfgTimeSource() != TIME_HOST;
  let base = SCAN.members.ptr, count = SCAN.count;
  HAS_OBJECTS = SCAN.anyObject;
  extractFields(base, count, MSG_BUF, hostMs, wantTime);
  streamField(base, count);
  let level = F_LEVEL;
  let recTime = F_TIME;
  let lineTime = NO_TIME;
  let format = FORMAT_JSON;
  let status = 0;
  if (!F_HAS_MSG) {
    REC.format = FORMAT_JSON;
    REC.level = finishLevel(level, 0, 0, 0);
    setTime(recTime, NO_TIME, hostMs);
    return;
  }
  let msgPtr = F_MSG_PTR, msgLen = F_MSG_LEN;
  let bodyPtr = msgPtr, bodyLen = msgLen;
  let jp = msgPtr;
  if (msgLen && load<u8>(msgPtr) != 0x7B) {
    let j = composePrefixEnd(msgPtr, msgPtr + msgLen);
    if (j) jp = j;
  }
  if (innerJson(jp, msgPtr + msgLen - jp, hostMs, wantTime)) {
    // {"log":"{\"level\":\"error\",\"msg\":\"...\"}"}: the inner object is the real record
    if (IN_LEVEL != LEVEL_UNKNOWN) level = IN_LEVEL;
    if (IN_TIME != NO_TIME) recTime = IN_TIME;
    if (IN_HAS_MSG) { msgPtr = IN_MSG_PTR; msgLen = IN_MSG_LEN; }
    recogniseLine(msgPtr, msgLen, hostMs);
    bodyPtr = L_BODY_PTR; bodyLen = L_BODY_LEN;
    if (level == LEVEL_UNKNOWN) level = L_LEVEL;
    lineTime = L_TIME;
    status = L_STATUS;
  } else if (level != LEVEL_UNKNOWN && (recTime != NO_TIME || !wantTime)) {
    // a structured record (pino, zap, logrus, ...): its keys said level and time, so the message
    // is plain text, not a log line with a header to parse
  } else {
    recogniseLine(msgPtr, msgLen, hostMs);
    bodyPtr = L_BODY_PTR; bodyLen = L_BODY_LEN;
    status = L_STATUS;
    lineTime = L_TIME;
    if (L_FORMAT == FORMAT_CRI && bodyLen && load<u8>(bodyPtr) == 0x7B &&
        innerJson(bodyPtr, bodyLen, hostMs, wantTime)) {
      // tail of a CRI file without a parser: {"log":"<time> stdout F {json}"}
      if (L_LEVEL == LEVEL_UNKNOWN && IN_LEVEL != LEVEL_UNKNOWN) L_LEVEL = IN_LEVEL;
      if (IN_HAS_MSG) { bodyPtr = IN_MSG_PTR; bodyLen = IN_MSG_LEN; }
    }
    if (level == LEVEL_UNKNOWN) level = L_LEVEL;
    if (L_FORMAT != FORMAT_TEXT) format = L_FORMAT;
    else if (F_LEVEL == LEVEL_UNKNOWN && F_TIME == NO_TIME) format = FORMAT_TEXT;
  }
  REC.msgPtr = msgPtr; REC.msgLen = msgLen;
  REC.bodyPtr = bodyPtr; REC.bodyLen = bodyLen;
  REC.format = format;
  REC.httpStatus = status;
  REC.level = finishLevel(level, status, bodyPtr, bodyLen);
  setTime(recTime, lineTime, hostMs);
}

/** Give back scratch memory a huge record grew (memory stays bounded by the largest *recent* record). */
function releaseLarge(): void {
  if (MSG_BUF.cap > KEEP_BYTES) { MSG_BUF.reset(); MSG_BUF.shrink(KEEP_BYTES); }
  if (INNER_MSG_BUF.cap > KEEP_BYTES) { INNER_MSG_BUF.reset(); INNER_MSG_BUF.shrink(KEEP_BYTES); }
  if (VAL_BUF.cap > KEEP_BYTES) { VAL_BUF.reset(); VAL_BUF.shrink(KEEP_BYTES); }
  if (STREAM_BUF.cap > KEEP_BYTES) { STREAM_BUF.reset(); STREAM_BUF.shrink(KEEP_BYTES); }
}

/** Understand a Fluent Bit record body (a JSON object; anything else leaves isObject false). */
export function understandRecord(rec: usize, len: usize, hostTimeMs: i64): void {
  REC.reset();
  ensureKeyIndex();
  releaseLarge();
  REC.timeMs = hostTimeMs;
  let ok = SCAN.scan(rec, len, cfgOutputKey(), bytesLen(cfgOutputKey()));
  if (!ok) return;
  REC.isObject = true;
  REC.closeBrace = SCAN.closeBrace - rec;
  REC.emptyObject = SCAN.total == 0;
  REC.hasOutputKey = SCAN.keyHit;
  understandObject(hostTimeMs);
}

/** End of a docker compose prefix "name  | " when a JSON object follows it, else 0. The name ends
 *  at its first space, found eight bytes a step; the name bytes are checked only when "| {" follows
 *  (most messages fail at the byte after the first space). */
function composePrefixEnd(p: usize, end: usize): usize {
  let lim = p + 64 < end ? p + 64 : end;
  let q = p;
  while (q + 8 <= lim) {
    let m = zeroByteMask(load<u64>(q) ^ 0x2020202020202020);
    if (m) { q += <usize>(ctz(m) >> 3); break; }
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
 *  message itself. */
export function understandLine(line: usize, len: usize, hostTimeMs: i64): void {
  let end = line + len;
  let p = line;
  while (p < end && isSpace(<u32>load<u8>(p))) p++;
  if (p < end && load<u8>(p) == 0x7B) {
    understandRecord(line, len, hostTimeMs);
    if (REC.isObject) return;
  } else {
    // "service-1  | {json}": docker compose's prefix before a JSON record
    let j = composePrefixEnd(p, end);
    if (j) {
      understandRecord(j, end - j, hostTimeMs);
      if (REC.isObject) return;
    }
  }
  REC.reset();
  REC.isObject = false;
  REC.msgPtr = line; REC.msgLen = len;
  recogniseLine(line, len, hostTimeMs);
  let bodyPtr = L_BODY_PTR, bodyLen = L_BODY_LEN;
  if (L_FORMAT == FORMAT_CRI && bodyLen && load<u8>(bodyPtr) == 0x7B) {
    // a CRI log file line whose payload is a JSON object
    ensureKeyIndex();
    if (innerJson(bodyPtr, bodyLen, hostTimeMs, cfgTimeSource() != TIME_HOST)) {
      if (L_LEVEL == LEVEL_UNKNOWN) L_LEVEL = IN_LEVEL;
      if (IN_HAS_MSG) { bodyPtr = IN_MSG_PTR; bodyLen = IN_MSG_LEN; }
    }
  }
  REC.format = L_FORMAT;
  REC.bodyPtr = bodyPtr; REC.bodyLen = bodyLen;
  REC.httpStatus = L_STATUS;
  REC.level = finishLevel(L_LEVEL, L_STATUS, bodyPtr, bodyLen);
  // a raw line is its own record: its time counts as record time
  setTime(L_TIME, L_TIME, hostTimeMs);
}

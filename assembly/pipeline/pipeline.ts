// The per-record pipeline shared by every host: understand the record, mine its template, feed the
// detectors, then write the output record (the input bytes spliced with one added object). Each
// stage returns its result (an unmanaged struct it owns and reuses, valid until the next record):
// understandRecord / understandLine a RecordView, minerProcess a MinerResult; analyse() returns
// an Analysis, which writeAnom() and writeTagged() take.
import { ByteBuf, rfc3339At } from "../core/byte_buf";
import { RecordView } from "../core/record_view";
import { EVENTS, severityName } from "../core/events";
// (hot reads of the configuration go through the cfg*() accessors: no managed locals, so no
// shadow-stack spills)
import { CFG, cfgHeartbeatTag, cfgMinSeverity, cfgAnyIgnore, cfgOutputKey, cfgErrorPatterns, bytesLen } from "../core/config";
import { STATS } from "../core/stats";
import { levelName, LEVEL_ERROR, LEVEL_CRITICAL, LEVEL_WARNING, LEVEL_INFO, LEVEL_PENDING_INFO, LEVEL_PENDING_WARNING } from "../core/levels";
import { formatName } from "../core/formats";
import { understandRecord, understandLine } from "../parse/record";
import { matchesAny, keywordAtWordStartAt } from "../parse/keywords";
import { findInObject } from "../parse/json_scan";
import { minerProcess, minerWriteFields, minerWriteFieldsAt, minerPeekReset, minerPeek, minerNoteWord, MINER_FIELDS_MAX } from "../miner/index";
import { detectRecord, detectTick } from "../detect/index";
import { eqBytes } from "../core/mem";
import { hashBytes } from "../core/hash";

/** writeAnom's result: the added object of the current record (without its key). */
const ANOM = new ByteBuf(1024);
const STREAM = new ByteBuf(256);

/** What analyse() found for one record (the record's events are in EVENTS). */
@unmanaged
export class Analysis {
  /** The record as the parser understood it (owned by the parser, valid until the next record). */
  rec: RecordView = changetype<RecordView>(0);
  /** Its template slot; -1 for none (a heartbeat, an ignored record, a record without a message). */
  slot: i32 = -1;
  /** The message matched ignore_patterns: neither mined nor detected. */
  ignored: bool = false;
}

/** The one result of analyse(), overwritten by each record. */
const ANALYSIS = new Analysis();

/** Runs one record through the pipeline (then writeAnom() builds its added object).
 *  `raw`: the bytes are a raw text line (batch mode) instead of a JSON record body.
 *  Returns null when the record must pass through unchanged (not a JSON object), else the
 *  record's Analysis (valid until the next record). */
export function analyse(tagPtr: usize, tagLen: usize, hostTimeMs: i64, rec: usize, len: usize, raw: bool): Analysis | null {
  EVENTS.reset();
  minerPeekReset();
  let v = raw ? understandLine(rec, len, hostTimeMs, true) : understandRecord(rec, len, hostTimeMs, true);
  if (!raw && !v.isObject) { STATS.untouched++; return null; }
  if (v.level >= LEVEL_PENDING_INFO) v.level = pendingLevel(v);
  let a = ANALYSIS;
  a.rec = v;

  // A heartbeat only moves the clock; it carries whatever alerts that produced.
  let hb = cfgHeartbeatTag();
  if (!raw && tagLen == bytesLen(hb) && tagLen > 0 && eqBytes(tagPtr, hb, tagLen)) {
    detectTick(v.timeMs);
    if (EVENTS.count > 0) {
      STATS.events += <u64>EVENTS.count;
      if (EVENTS.alertSeverity >= <i32>cfgMinSeverity()) STATS.alerts++;
    }
    a.slot = -1;
    a.ignored = false;
    return a;
  }

  // Stream key: tag, optionally refined by a record field (e.g. the container name); the tag's own
  // bytes when there is no field (miner and detector copy what they keep)
  let sp = tagPtr, sl = tagLen;
  if (v.streamFieldLen > 0) {
    STREAM.reset();
    STREAM.bytes(tagPtr, tagLen);
    STREAM.byte(0x2F);
    STREAM.bytes(v.streamFieldPtr, v.streamFieldLen);
    sp = STREAM.ptr; sl = STREAM.len;
  }

  let ignored = cfgAnyIgnore() && ignoredMessage(v.msgPtr, v.msgLen);
  let slot: i32 = -1;
  if (!ignored) {
    // one hash of the stream key (eight bytes a step) for both the miner and the detector
    let sh = hashBytes(sp, sl);
    let m = minerProcess(v.bodyPtr, v.bodyLen, v.level, v.timeMs, sp, sl, sh);
    slot = m.slot;
    detectRecord(sp, sl, v.timeMs, v.level, v.level >= LEVEL_ERROR,
                 slot, m.id, m.isNew, v.msgPtr, v.msgLen, sh);
  }

  STATS.countRecord(<usize>(v.level <= LEVEL_CRITICAL ? v.level : 2), <usize>(v.format < 16 ? v.format : 15),
                    v.timeFromRecord, ignored);
  if (EVENTS.count > 0) {
    STATS.events += <u64>EVENTS.count;
    if (EVENTS.alertSeverity >= <i32>cfgMinSeverity()) STATS.alerts++;
  }
  a.slot = slot;
  a.ignored = ignored;
  return a;
}

/** The level the parser left to the error-keyword scan of the body (LEVEL_PENDING_*): the answer
 *  kept with the miner's cache entry for this body when there is one (miner/index.ts, minerPeek),
 *  else scanned and noted there. */
function pendingLevel(v: RecordView): u8 {
  let p = v.bodyPtr, n = v.bodyLen, pats = cfgErrorPatterns();
  let w = minerPeek(p, n, pats);
  let some: bool;
  if (w >= 0) some = w != 0;
  else {
    some = keywordAtWordStartAt(p, n, pats);
    minerNoteWord(some);
  }
  return some ? LEVEL_ERROR : v.level == LEVEL_PENDING_WARNING ? LEVEL_WARNING : LEVEL_INFO;
}

/** (Out of analyse: the managed pattern list would give it a shadow-stack frame.) */
function ignoredMessage(p: usize, n: usize): bool { return matchesAny(p, n, CFG.ignorePatterns); }

/** Builds and returns the added object of the record analyse() just returned `an` for (a buffer
 *  reused per record; built only when it is needed: the batch entry skips it for records that
 *  carry no events). */
@inline export function writeAnom(an: Analysis): ByteBuf {
  let a = ANOM;
  a.reset();
  writeAnomTo(a, an);
  return a;
}

/** writeAnom's object appended to `a`. */
@inline function writeAnomTo(a: ByteBuf, an: Analysis): void {
  let slot = an.slot;
  let ignored = an.ignored;
  let v = an.rec;
  writeHead(a, v.level, v.format);
  a.rfc3339(v.timeMs);
  if (ignored || EVENTS.count > 0) writeRare(a, slot, ignored);
  else if (slot >= 0) minerWriteFields(a, slot);
  a.byte(0x7D);
}

/** writeTagged(out, rec, len, an, writeAnom(an)) for a JSON object record, the added object
 *  written straight into `out` (no copy through writeAnom's buffer), NUL-terminated. */
@inline export function writeTaggedObject(out: ByteBuf, rec: usize, len: usize, an: Analysis): void {
  let v = an.rec;
  // the common case: the added key and the level/format head cached as one run (KHEAD), one
  // capacity test, then plain stores at a running pointer (out.len set once at the end)
  let k = headIndex(v.level, v.format);
  let kn = <usize>load<u8>(KHEAD_LEN + k);
  if (<i32>(kn == 0) | <i32>v.hasOutputKey | <i32>(cfgOutputKey() != kheadKeyAddr)) {
    writeTaggedSlow(out, rec, len, an, k);
    return;
  }
  let head = v.closeBrace;
  let skip: usize = v.emptyObject ? 1 : 0;  // the run's leading comma
  out.ensure(head + KHEAD_MAX + 26 + MINER_FIELDS_MAX + 3);
  let d = out.ptr + out.len;
  memory.copy(d, rec, head);
  d += head;
  kn -= skip;
  memory.copy(d, KHEAD + (k << 7) + skip, kn);
  d += kn;
  rfc3339At(d, v.timeMs);
  d += 26;
  let slot = an.slot;
  if (an.ignored || EVENTS.count > 0) {
    out.len = d - out.ptr;
    writeRare(out, slot, an.ignored);
    closeTagged(out);
    return;
  }
  // the closing braces and the NUL in the room made above (or by a rendering of the fields)
  if (slot >= 0) d = minerWriteFieldsAt(out, d, slot, 3);
  store<u16>(d, 0x7D7D);
  store<u8>(d, 0, 2);
  out.len = d + 2 - out.ptr;
}

/** The closing braces of the added object and of the record, and a NUL after them that `len`
 *  does not count (the Fluent Bit entry returns the buffer as a C string): one capacity test. */
@inline function closeTagged(out: ByteBuf): void {
  out.ensure(3);
  let e = out.ptr + out.len;
  store<u16>(e, 0x7D7D);
  store<u8>(e, 0, 2);
  out.len += 2;
}

/** writeTaggedObject without a cached run (the first record of a level and format, a new output
 *  key, or a record that has the output key): written piece by piece, then the run kept. */
function writeTaggedSlow(out: ByteBuf, rec: usize, len: usize, an: Analysis, k: usize): void {
  let v = an.rec;
  let kp = cfgOutputKey(), kl = bytesLen(kp);
  if (v.hasOutputKey) { chooseKey(rec, len); kp = KEY.ptr; kl = KEY.len; }
  let head = v.closeBrace;
  let comma: usize = v.emptyObject ? 0 : 1;
  let n = head + comma + kl + 3;
  // one capacity test for the head, the key and the common added object: the cached level and
  // format head (64), the time (26) and the cached template fields
  out.ensure(n + 64 + 26 + MINER_FIELDS_MAX);
  keyHead(out.ptr + out.len, rec, head, comma, kp, kl);
  out.len += n;
  let slot = an.slot;
  let ignored = an.ignored;
  writeHead(out, v.level, v.format, true);
  if (!v.hasOutputKey) keepKeyHead(k);
  out.rfc3339Reserved(v.timeMs);
  if (ignored || EVENTS.count > 0) writeRare(out, slot, ignored);
  else if (slot >= 0) minerWriteFields(out, slot, true);
  closeTagged(out);
}

// writeTaggedObject's runs: per (level, format) `,"<output key>":` and writeHead's bytes, while the
// output key is the one they were built for (held, so its address cannot be reused)
const KHEAD_MAX: usize = 128;
const KHEAD: usize = memory.data(8 * 16 * <i32>KHEAD_MAX, 8);
const KHEAD_LEN: usize = memory.data(8 * 16);
let kheadKey: StaticArray<u8> | null = null;
let kheadKeyAddr: usize = 0;

/** Keeps the run of (level, format) k from the configured output key and HEAD (when both fit). */
function keepKeyHead(k: usize): void {
  let kp = cfgOutputKey(), kl = bytesLen(kp);
  if (kp != kheadKeyAddr) {
    memory.fill(KHEAD_LEN, 0, 8 * 16);
    kheadKey = CFG.outputKey;
    kheadKeyAddr = kp;
  }
  let hn = <usize>load<u8>(HEAD_LEN + k);
  let n = kl + 4 + hn;
  if (hn == 0 || n > KHEAD_MAX) return;
  let d = KHEAD + (k << 7);
  store<u16>(d, 0x222C);   // ,"
  memory.copy(d + 2, kp, kl);
  store<u16>(d + 2 + kl, 0x3A22); // ":
  memory.copy(d + 4 + kl, HEAD + (k << 6), hn);
  store<u8>(KHEAD_LEN + k, <u8>n);
}

/** writeAnom's parts for ignored records and records with events (string literals: out of the
 *  common path, which then needs no shadow-stack frame). */
/** At d: the record up to its closing brace (head bytes), a comma unless it was empty, and the
 *  added key's `"key":`. Returns where the `":` starts (the caller sized the buffer). */
@inline function keyHead(d: usize, rec: usize, head: usize, comma: usize, kp: usize, kl: usize): usize {
  memory.copy(d, rec, head);
  d += head;
  if (comma) { store<u8>(d, 0x2C); d++; }
  store<u8>(d, 0x22);
  memory.copy(d + 1, kp, kl);
  d += kl + 1;
  store<u16>(d, 0x3A22); // '":'
  return d;
}

function writeRare(a: ByteBuf, slot: i32, ignored: bool): void {
  if (ignored) a.ascii(",\"ignored\":true");
  if (slot >= 0) minerWriteFields(a, slot);
  if (EVENTS.count > 0) {
    a.ascii(",\"events\":[");
    a.bytes(EVENTS.buf.ptr, EVENTS.buf.len);
    a.byte(0x5D);
    if (EVENTS.alertSeverity >= <i32>cfgMinSeverity()) {
      // alert_severity is a string because Fluent Bit's rewrite_tag rules only match strings.
      a.ascii(",\"alert\":true,\"alert_severity\":\"");
      a.ascii(severityName(<u8>EVENTS.alertSeverity));
      a.byte(0x22);
    }
  }
}

// '{"level":"<level>","format":"<format>","time":' rendered once per (level, format): 8 levels
// (unknown shares info's name) x 16 formats of at most 64 bytes
const HEAD: usize = memory.data(8 * 16 * 64, 8);
const HEAD_LEN: usize = memory.data(8 * 16);

/** `reserved`: the caller has made room for 64 bytes. */
/** The HEAD (and KHEAD) entry of a level and format. */
@inline function headIndex(level: u8, format: u8): usize {
  return (<usize>(level < 7 ? level : 7) << 4) | <usize>(format & 15);
}

@inline function writeHead(a: ByteBuf, level: u8, format: u8, reserved: bool = false): void {
  let k = headIndex(level, format);
  let n = <usize>load<u8>(HEAD_LEN + k);
  if (n == 0) renderHead(a, level, format, k);
  else if (reserved) a.bytesReserved(HEAD + (k << 6), n);
  else a.bytes(HEAD + (k << 6), n);
}

/** writeHead's first use of a (level, format): written out and kept (out of line: string literals
 *  would give writeAnom a shadow-stack frame). */
function renderHead(a: ByteBuf, level: u8, format: u8, k: usize): void {
  let start = a.len;
  a.ascii("{\"level\":\""); a.ascii(levelName(level));
  a.ascii("\",\"format\":\""); a.ascii(formatName(format));
  a.ascii("\",\"time\":");
  let n = a.len - start;
  if (n > 64 || format > 15) return;
  memory.copy(HEAD + (k << 6), a.ptr + start, n);
  store<u8>(HEAD_LEN + k, <u8>n);
}

/** The key lad writes under, in KEY: output.key; when the record has it, output.fallback_key; when
 *  it has that too, fallback_key + "_2", "_3", ... (the first one the record lacks). A key the
 *  record already has is never written (JSON readers such as Fluent Bit keep the last duplicate, so
 *  the user's value would be lost). Keys are compared as written (a key spelled with \u escapes is
 *  not decoded). */
const KEY = new ByteBuf(80);

/** (Only for a record that has output.key.) */
function chooseKey(rec: usize, len: usize): void {
  KEY.reset();
  let fb = CFG.outputKeyFallback;
  KEY.bytes(changetype<usize>(fb), <usize>fb.length);
  if (!findInObject(rec, len, KEY.ptr, KEY.len)) return;
  let n: u64 = 2;
  while (true) {
    KEY.reset();
    KEY.bytes(changetype<usize>(fb), <usize>fb.length);
    KEY.byte(0x5F);
    KEY.u64dec(n);
    if (!findInObject(rec, len, KEY.ptr, KEY.len)) return;
    n++;
  }
}

/** Writes the output record of the record analyse() returned `an` for, with `added` (what writeAnom
 *  returned): the input up to its closing brace, our key, `added`, "}". For a raw (non-JSON) line:
 *  {"log":"<line>","<key>":{...}}. */
@inline export function writeTagged(out: ByteBuf, rec: usize, len: usize, an: Analysis, added: ByteBuf): void {
  let v = an.rec;
  let kp = cfgOutputKey(), kl = bytesLen(kp);
  if (v.isObject && v.hasOutputKey) { chooseKey(rec, len); kp = KEY.ptr; kl = KEY.len; }
  if (v.isObject) {
    // one capacity check and direct stores: the sizes are all known here
    let head = v.closeBrace;
    let comma: usize = v.emptyObject ? 0 : 1;
    let al = added.len;
    let n = head + comma + kl + 3 + al + 1;
    out.ensure(n);
    let d = keyHead(out.ptr + out.len, rec, head, comma, kp, kl);
    memory.copy(d + 2, added.ptr, al);
    store<u8>(d + 2 + al, 0x7D);
    out.len += n;
    return;
  }
  writeLineTagged(out, rec, len, kp, kl, added);
}

/** writeTagged for a raw line (batch mode); out of line: its string literal would give the record
 *  path a shadow-stack frame. */
function writeLineTagged(out: ByteBuf, rec: usize, len: usize, kp: usize, kl: usize, added: ByteBuf): void {
  out.ascii("{\"log\":");
  out.jsonString(rec, len);
  out.byte(0x2C);
  out.byte(0x22);
  out.bytes(kp, kl);
  out.byte(0x22); out.byte(0x3A);
  out.bytes(added.ptr, added.len);
  out.byte(0x7D);
}

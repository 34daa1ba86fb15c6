// The per-record pipeline shared by every host: understand the record, mine its template, feed the
// detectors, then write the output record (the input bytes spliced with one added object).
import { ByteBuf } from "../core/byte_buf";
import { REC } from "../core/record_view";
import { EVENTS, severityName } from "../core/events";
// (hot reads of the configuration go through the cfg*() accessors: no managed locals, so no
// shadow-stack spills)
import { CFG, cfgHeartbeatTag, cfgMinSeverity, cfgAnyIgnore, cfgOutputKey, bytesLen } from "../core/config";
import { STATS } from "../core/stats";
import { levelName, LEVEL_ERROR, LEVEL_CRITICAL } from "../core/levels";
import { formatName } from "../core/formats";
import { understandRecord, understandLine } from "../parse/record";
import { matchesAny } from "../parse/keywords";
import { findInObject } from "../parse/json_scan";
import { minerProcess, minerIsNew, minerTemplateId, minerWriteFields } from "../miner/index";
import { detectRecord, detectTick } from "../detect/index";
import { eqBytes } from "../core/mem";
import { hashBytes } from "../core/hash";

/** The added object for the current record (without its key). */
export const ANOM = new ByteBuf(1024);
const STREAM = new ByteBuf(256);

/** Runs one record through the pipeline (call writeAnom() for its added object).
 *  `raw`: the bytes are a raw text line (batch mode) instead of a JSON record body.
 *  Returns false when the record must pass through unchanged (not a JSON object). */
export function analyse(tagPtr: usize, tagLen: usize, hostTimeMs: i64, rec: usize, len: usize, raw: bool): bool {
  EVENTS.reset();
  if (raw) understandLine(rec, len, hostTimeMs);
  else understandRecord(rec, len, hostTimeMs);
  if (!raw && !REC.isObject) { STATS.untouched++; return false; }

  // A heartbeat only moves the clock; it carries whatever alerts that produced.
  let hb = cfgHeartbeatTag();
  if (!raw && tagLen == bytesLen(hb) && tagLen > 0 && eqBytes(tagPtr, hb, tagLen)) {
    detectTick(REC.timeMs);
    if (EVENTS.count > 0) {
      STATS.events += <u64>EVENTS.count;
      if (EVENTS.alertSeverity >= <i32>cfgMinSeverity()) STATS.alerts++;
    }
    LAST_SLOT = -1;
    LAST_IGNORED = false;
    return true;
  }

  // Stream key: tag, optionally refined by a record field (e.g. the container name); the tag's own
  // bytes when there is no field (miner and detector copy what they keep)
  let sp = tagPtr, sl = tagLen;
  if (REC.streamFieldLen > 0) {
    STREAM.reset();
    STREAM.bytes(tagPtr, tagLen);
    STREAM.byte(0x2F);
    STREAM.bytes(REC.streamFieldPtr, REC.streamFieldLen);
    sp = STREAM.ptr; sl = STREAM.len;
  }

  let ignored = cfgAnyIgnore() && ignoredMessage();
  let slot: i32 = -1;
  if (!ignored) {
    // one hash of the stream key (eight bytes a step) for both the miner and the detector
    let sh = hashBytes(sp, sl);
    slot = minerProcess(REC.bodyPtr, REC.bodyLen, REC.level, REC.timeMs, sp, sl, sh);
    let isNew = slot >= 0 && minerIsNew();
    let id: u64 = slot >= 0 ? minerTemplateId(slot) : 0;
    detectRecord(sp, sl, REC.timeMs, REC.level, REC.level >= LEVEL_ERROR,
                 slot, id, isNew, REC.msgPtr, REC.msgLen, sh);
  }

  STATS.records++;
  if (REC.timeFromRecord) STATS.timed++;
  if (ignored) STATS.ignored++;
  let li = <usize>(REC.level <= LEVEL_CRITICAL ? REC.level : 2), fi = <usize>(REC.format < 16 ? REC.format : 15);
  let bl = STATS.byLevel + (li << 3), bf = STATS.byFormat + (fi << 3);
  store<u64>(bl, load<u64>(bl) + 1);
  store<u64>(bf, load<u64>(bf) + 1);
  if (EVENTS.count > 0) {
    STATS.events += <u64>EVENTS.count;
    if (EVENTS.alertSeverity >= <i32>cfgMinSeverity()) STATS.alerts++;
  }
  LAST_SLOT = slot;
  LAST_IGNORED = ignored;
  return true;
}

/** (Out of analyse: the managed pattern list would give it a shadow-stack frame.) */
function ignoredMessage(): bool { return matchesAny(REC.msgPtr, REC.msgLen, CFG.ignorePatterns); }

let LAST_SLOT: i32 = -1;
let LAST_IGNORED = false;

/** Builds the added object of the record analyse() just saw into ANOM (only when it is needed:
 *  the batch entry skips it for records that carry no events). */
export function writeAnom(): void {
  let slot = LAST_SLOT;
  let ignored = LAST_IGNORED;
  let a = ANOM;
  a.reset();
  writeHead(a, REC.level, REC.format);
  a.rfc3339(REC.timeMs);
  if (ignored || EVENTS.count > 0) writeRare(a, slot, ignored);
  else if (slot >= 0) minerWriteFields(a, slot);
  a.byte(0x7D);
}

/** writeAnom's parts for ignored records and records with events (string literals: out of the
 *  common path, which then needs no shadow-stack frame). */
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

@inline function writeHead(a: ByteBuf, level: u8, format: u8): void {
  let k = (<usize>(level < 7 ? level : 7) << 4) | <usize>(format & 15);
  let n = <usize>load<u8>(HEAD_LEN + k);
  if (n == 0) renderHead(a, level, format, k);
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

/** Writes the output record: the input up to its closing brace, our key, ANOM, "}".
 *  For a raw (non-JSON) line: {"log":"<line>","<key>":{...}}. */
export function writeTagged(out: ByteBuf, rec: usize, len: usize): void {
  let kp = cfgOutputKey(), kl = bytesLen(kp);
  if (REC.isObject && REC.hasOutputKey) { chooseKey(rec, len); kp = KEY.ptr; kl = KEY.len; }
  if (REC.isObject) {
    // one capacity check and direct stores: the sizes are all known here
    let head = REC.closeBrace;
    let comma: usize = REC.emptyObject ? 0 : 1;
    let an = ANOM.len;
    let n = head + comma + kl + 3 + an + 1;
    out.ensure(n);
    let d = out.ptr + out.len;
    memory.copy(d, rec, head);
    d += head;
    if (comma) { store<u8>(d, 0x2C); d++; }
    store<u8>(d, 0x22);
    memory.copy(d + 1, kp, kl);
    d += kl + 1;
    store<u16>(d, 0x3A22); // '":'
    memory.copy(d + 2, ANOM.ptr, an);
    store<u8>(d + 2 + an, 0x7D);
    out.len += n;
    return;
  }
  writeLineTagged(out, rec, len, kp, kl);
}

/** writeTagged for a raw line (batch mode); out of line: its string literal would give the record
 *  path a shadow-stack frame. */
function writeLineTagged(out: ByteBuf, rec: usize, len: usize, kp: usize, kl: usize): void {
  out.ascii("{\"log\":");
  out.jsonString(rec, len);
  out.byte(0x2C);
  out.byte(0x22);
  out.bytes(kp, kl);
  out.byte(0x22); out.byte(0x3A);
  out.bytes(ANOM.ptr, ANOM.len);
  out.byte(0x7D);
}

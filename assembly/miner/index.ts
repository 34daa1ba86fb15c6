// Template miner: public API used by the pipeline, the exports and the harness.
// See store.ts (clustering) and tokenize.ts (masking). Per record: the token shape from the
// exact-message cache, else from the digit-blind cache (digit_key.ts), else by tokenising into
// scratch; one shape-cache probe, and only for an unseen shape a scan of same-length templates (then
// an alignment with other lengths). No allocation per record except when a template is created.
//
// Ids: template_id is FNV-1a 64 of the template text when the template was created (16 hex
// digits). It stays fixed while the template is refined (a constant turning into <*>), so every
// record of one template carries one id; hosts that first see the same message variant, or are
// seeded with the same templates, report the same id.
//
// Snapshot document (minerSnapshot / minerRestore, also the Fluent Bit state file):
//   {"format":"lad-templates","version":1,"templates":[
//     {"id":"<16 hex>","template":"<text, tokens separated by one space, <*> = wildcard>",
//      "count":N,"first_seen":<epoch ms>,"last_seen":<epoch ms>,"new":bool,"example":"<line>"}, ...]}
//   Least recently used first. On restore "template" is required; the other fields are optional.
import { ByteBuf } from "../core/byte_buf";
import { eqBytes, eqBytesInline, tailWord } from "../core/mem";
import { checkSection } from "../core/config_keys";
import { JV, JV_OBJ, JV_NUM, JV_STR, JV_ARR, JV_BOOL, parseJson } from "../core/json_value";
import { SEV_INFO, SEV_WARNING } from "../core/events";
import { newPatternSeen } from "../detect/novel";
import { LEVEL_ERROR, LEVEL_UNKNOWN } from "../core/levels";
import { tokenize, tokensFromText, configureTokenizer, MAX_TOKENS_HARD } from "./tokenize";
import { tokN, tokShape } from "./tokenize";
import { FNV64_OFFSET, fnv64Step, fnv64Bytes, exactHash } from "../core/hash";
import { digitKeyGet, digitKeyPut, digitKeyClear, digitKeyConfigure, digitKeyWordAt, digitKeyWordsClear } from "./digit_key";
import { ensureKeywordsAt, KW_GENERATION, KW_DIGITS } from "../parse/keywords";
import {
  MCFG, MinerConfig, storeInit, cacheGet, cachePut, matchTokens, touch, createFromTokens, setIdentity,
  slotLive, slotId, slotVersion, slotCount, slotFirst, slotLast, slotNew, slotExample, slotExampleLen,
  writeTextBody, findExact, liveCount, lruLast, lruPrevOf, lruFirst, lruNextOf,
  kMaxTokens, kWarmRecords, kWarmMs, kEvents,
} from "./store";

let inited = false;
let seedTemplates: string[] = [];
let seedLines: string[] = [];

// ------------------------------------------------------------------ per-stream warm-up

// [u64 key][i64 first][u64 count] per entry, unmanaged (managed arrays would cost shadow-stack
// spills on every record)
const ST_BITS: i32 = 10;
let ST: usize = 0;

function streamsClear(): void {
  if (ST == 0) { ST = heap.alloc(24 << ST_BITS); SF = heap.alloc(16 << SF_BITS); memory.fill(SF, 0, 16 << SF_BITS); }
  for (let i = 0; i < (1 << ST_BITS); i++) { store<u64>(ST + <usize>i * 24, 0); store<u64>(ST + <usize>i * 24, 0, 16); }
}

// The stream's FNV-1a by the caller's 64-bit key hash (hashBytes, eight bytes a step): FNV takes a
// byte a step, ~18 interpreted instructions per byte of every record's stream key. Direct-mapped;
// like the table above it takes a 64-bit hash for the stream's identity.
const SF_BITS: i32 = 8;
let SF: usize = 0;       // allocated with the table above (streamsClear)

@inline function streamFnv(p: usize, n: usize, sh: u64): u64 {
  if (sh == 0) return fnv64Bytes(p, n);
  let e = SF + (<usize>(<u32>sh & ((1 << SF_BITS) - 1)) << 4);
  if (load<u64>(e) == sh) return load<u64>(e, 8);
  let h = fnv64Bytes(p, n);
  store<u64>(e, sh);
  store<u64>(e, h, 8);
  return h;
}

/** Counts a record for the stream and tells whether its warm-up is over. */
@inline function streamWarm(p: usize, n: usize, sh: u64, t: i64): bool {
  let h = streamFnv(p, n, sh);
  if (h == 0) h = 1;
  let e = ST + <usize>(h >> (64 - ST_BITS)) * 24;
  if (load<u64>(e) != h) {             // new stream (or a colliding one takes the entry over)
    store<u64>(e, h);
    store<i64>(e, t, 8);
    store<u64>(e, 0, 16);
  }
  let c = load<u64>(e, 16) + 1;
  store<u64>(e, c, 16);
  if (t < load<i64>(e, 8)) store<i64>(e, t, 8);
  return c > kWarmRecords && t - load<i64>(e, 8) >= kWarmMs;
}

// ------------------------------------------------------------------ exact message -> token shape

// Structured logs repeat their messages byte for byte. The token shape (the shape cache's key) is a
// pure function of the message bytes and the tokenizer's configuration, so a message seen before
// skips the tokenizer whenever its shape is still cached (the common case). Direct-mapped; an entry
// holds the message bytes, compared in full on a hit. Cleared with the miner (configuration changes
// go through ensureInit).
const XC_BITS: i32 = 10;
const XC_MAX: usize = 176;              // longer messages are not cached
const XC_ENTRY: usize = 16 + XC_MAX;    // [u64 hash][u64 shape][message bytes]
let XC: usize = 0;
let xcHash: u64 = 0;
// per entry: the error-keyword answer for its message (0 not known, 1 none, 2 some; see minerPeek)
const XC_WORD: usize = memory.data(1 << XC_BITS);

function exactClear(): void {
  if (XC == 0) XC = heap.alloc(XC_ENTRY << XC_BITS);
  memory.fill(XC, 0, XC_ENTRY << XC_BITS);
  memory.fill(XC_WORD, 0, 1 << XC_BITS);
}

/** The cached token shape of message [p, p+n) (sets xcHash), or 0. */
@inline function exactGet(p: usize, n: usize): u64 {
  if (n > XC_MAX) return 0;
  let h = exactHash(p, n);
  xcHash = h;
  let e = XC + <usize>(<u32>(h >> (64 - XC_BITS))) * XC_ENTRY;
  if (load<u64>(e) != (h ^ <u64>n) || !eqBytesInline(e + 16, p, n)) return 0;
  return load<u64>(e, 8);
}

function exactPut(p: usize, n: usize, shape: u64, word: u8): void {
  if (n > XC_MAX) return;
  let h = xcHash;
  let k = <usize>(<u32>(h >> (64 - XC_BITS)));
  let e = XC + k * XC_ENTRY;
  store<u64>(e, h ^ <u64>n);
  store<u64>(e, shape, 8);
  memory.copy(e + 16, p, n);
  store<u8>(XC_WORD + k, word);
}

// ------------------------------------------------------------------ the level fallback's lookup

// The level fallback (an error keyword in the body, parse/record.ts) runs before the miner, on the
// body the miner gets next. Its answer is a pure function of the message bytes, so it is kept in
// the exact-message cache's entries; and, when no error pattern holds a digit, in the digit-blind
// cache's entries too: the key changes digits only (each stays a digit: a word byte, neither case)
// and shortens digit runs, so a pattern without digits matches at the same word starts of the key
// as of the message. minerPeek does the miner's two cache lookups early (minerProcess then reuses
// them for the same body) and returns the cached answer; minerNoteWord keeps a computed one.
let peekPtr: usize = 0;
let peekLen: usize = 0;
let peekOn = false;
let peekKey: u64 = 0;
let peekWordAt: usize = 0;   // the hit entry's answer byte (0: no entry may hold one)
let peekWord: u8 = 0;        // the answer computed for this body, for the entries a miss creates
let peekGen: u32 = 0;

/** Forget the last peek (each record starts with this: a peek is only for its own record). */
@inline export function minerPeekReset(): void { peekOn = false; }

/** The miner's cache lookups for body [p, p+n) (n > 0), ahead of minerProcess; returns the cached
 *  error-keyword answer for the error patterns at patsAddr: 1 some, 0 none, -1 not known. */
export function minerPeek(p: usize, n: usize, patsAddr: usize): i32 {
  ensureInit();
  ensureKeywordsAt(patsAddr);
  if (peekGen != KW_GENERATION) { memory.fill(XC_WORD, 0, 1 << XC_BITS); digitKeyWordsClear(); peekGen = KW_GENERATION; }
  peekPtr = p; peekLen = n; peekOn = true; peekWord = 0;
  let at: usize = 0;
  let key = exactGet(p, n);
  if (key) at = XC_WORD + <usize>(<u32>(xcHash >> (64 - XC_BITS)));
  else {
    key = digitKeyGet(p, n);
    if (key && !KW_DIGITS) at = digitKeyWordAt();
  }
  peekKey = key;
  peekWordAt = at;
  let w = at ? <i32>load<u8>(at) : 0;
  return w - 1;
}

/** The answer computed for the body of the last minerPeek. */
export function minerNoteWord(some: bool): void {
  let w: u8 = some ? 2 : 1;
  peekWord = w;
  if (peekWordAt) store<u8>(peekWordAt, w);
}

// ------------------------------------------------------------------ lifecycle

/** (The check stays inline: initMiner has a shadow-stack frame, paid on every call.) */
@inline function ensureInit(): void { if (!inited) initMiner(); }

function initMiner(): void {
  inited = true;
  exactClear();
  digitKeyClear();
  fieldsClear();
  storeInit(MCFG.maxTemplates);
  streamsClear();
  applySeeds();
}

/** Forgets every learned template and stream (configuration and seeds stay). */
export function minerReset(): void {
  inited = false;
  ensureInit();
}

function applySeeds(): void {
  for (let i = 0; i < seedTemplates.length; i++) {
    let b = String.UTF8.encode(seedTemplates[i]);
    loadTemplate(changetype<usize>(b), <usize>b.byteLength, 0, 0, 0, false, 0, 0, 0, false);
  }
  for (let i = 0; i < seedLines.length; i++) {
    let b = String.UTF8.encode(seedLines[i]);
    let p = changetype<usize>(b), n = <usize>b.byteLength;
    tokenize(p, n, MCFG.maxTokens);
    if (tokN == 0) continue;
    let s = cacheGet(tokShape);
    if (s < 0) s = matchTokens();
    if (s < 0) s = createFromTokens(0, false, p, n);
    cachePut(tokShape, s);
  }
}

/** Creates a template from its text unless an identical one exists. Returns the slot or -1. */
function loadTemplate(p: usize, n: usize, id: u64, count: u64, first: i64, isNew: bool, last: i64,
                      exPtr: usize, exLen: usize, keepIdentity: bool): i32 {
  tokensFromText(p, n, MCFG.maxTokens);
  if (tokN == 0) return -1;
  let s = findExact();
  if (s < 0) s = createFromTokens(first, isNew, exPtr, exLen);
  if (keepIdentity) setIdentity(s, id, count, first, last, isNew);
  cachePut(tokShape, s);
  return s;
}

// ------------------------------------------------------------------ per record

/** What minerProcess did with one record (as Drain3's add_log_message returns the cluster and the
 *  change): one instance, overwritten per record. */
@unmanaged
export class MinerResult {
  /** The template's id (see above); 0 when the record has no template. */
  id: u64 = 0;
  /** The template's slot (minerWriteFields, minerWriteTemplate); -1 when the record has none (an
   *  empty message, or one without tokens). */
  slot: i32 = -1;
  /** The template was created by this record, after its stream's warm-up. */
  isNew: bool = false;
}

/** The one result of minerProcess, overwritten by each record. */
const MINED = new MinerResult();

@inline function mined(r: MinerResult, s: i32, isNew: bool): MinerResult {
  r.slot = s; r.id = slotId(s); r.isNew = isNew;
  return r;
}

@inline function notMined(r: MinerResult): MinerResult {
  r.slot = -1; r.id = 0; r.isNew = false;
  return r;
}

/** Mines one record's body: returns its template (valid until the next record). `streamHash`:
 *  hashBytes of the stream key when the caller has it (0: not known). */
@inline export function minerProcess(bodyPtr: usize, bodyLen: usize, level: u8, timeMs: i64,
                             streamPtr: usize, streamLen: usize, streamHash: u64 = 0): MinerResult {
  ensureInit();
  let r = MINED;
  if (bodyLen == 0) return notMined(r);
  // the lookups minerPeek did for this body, else the same ones now
  let key: u64 = 0;
  let peeked = false;
  if (peekOn) { peekOn = false; peeked = peekPtr == bodyPtr && peekLen == bodyLen; key = peekKey; }
  if (!peeked) {
    key = exactGet(bodyPtr, bodyLen);
    if (key == 0) key = digitKeyGet(bodyPtr, bodyLen);
  }
  let tokenized = false;
  if (key == 0) {
    tokenize(bodyPtr, bodyLen, kMaxTokens);
    tokenized = true;
    if (tokN == 0) return notMined(r);
    key = tokShape;
    if (key != 0) {
      let w = peeked ? peekWord : <u8>0;
      exactPut(bodyPtr, bodyLen, key, w);
      digitKeyPut(key, KW_DIGITS ? 0 : w);
    }
  }
  let warm = streamWarm(streamPtr, streamLen, streamHash, timeMs);
  let s = cacheGet(key);
  if (s >= 0) { touch(s, timeMs); return mined(r, s, false); }
  if (!tokenized) tokenize(bodyPtr, bodyLen, kMaxTokens);
  s = matchTokens();
  if (s >= 0) {
    touch(s, timeMs);
    cachePut(key, s);
    return mined(r, s, false);
  }
  s = createFromTokens(timeMs, warm, bodyPtr, bodyLen);
  cachePut(key, s);
  if (warm && kEvents) reportNew(level, streamPtr, streamLen, s);
  return mined(r, s, warm);
}

/** The first sighting is a new_pattern event; detect/novel.ts writes every new_pattern event. (Out
 *  of minerProcess: the function reference would give it a shadow-stack frame.) */
function reportNew(level: u8, streamPtr: usize, streamLen: usize, s: i32): void {
  let sev = level >= LEVEL_ERROR && level != LEVEL_UNKNOWN ? SEV_WARNING : SEV_INFO;
  newPatternSeen(sev, streamPtr, streamLen, s, slotId(s), minerWriteTemplateIf);
}

export function minerTemplateId(slot: i32): u64 { return slotLive(slot) ? slotId(slot) : 0; }

/** `,"template_id":"<16 hex>","template":"<text>"` (template omitted when include_text is off). */
/** `reserved`: the caller has made room for MINER_FIELDS_MAX bytes (a rendering that is not
 *  cached makes its own room). */
@inline export function minerWriteFields(out: ByteBuf, slot: i32, reserved: bool = false): void {
  if (!slotLive(slot)) return;
  // rendered once per template version: a direct-mapped cache of the bytes
  let e = FC + (<usize>(<u32>slot & (FC_SLOTS - 1)) << 5);
  let id = slotId(slot), ver = slotVersion(slot);
  if (load<i32>(e) == slot + 1 && load<u64>(e, 8) == id && load<u64>(e, 16) == ver) {
    if (reserved) out.bytesReserved(load<usize>(e, 24), <usize>load<u32>(e, 28));
    else out.bytes(load<usize>(e, 24), <usize>load<u32>(e, 28));
    return;
  }
  renderFields(out, slot, e, id, ver);
}

/** minerWriteFields at d (out.ptr <= d, out has room for MINER_FIELDS_MAX + `after` bytes at d;
 *  out.len is not kept up to date by the caller): returns the end of what it wrote, with room for
 *  `after` bytes after it (out.len is set only when the rendering was not cached). */
@inline export function minerWriteFieldsAt(out: ByteBuf, d: usize, slot: i32, after: usize): usize {
  if (!slotLive(slot)) return d;
  let e = FC + (<usize>(<u32>slot & (FC_SLOTS - 1)) << 5);
  let id = slotId(slot), ver = slotVersion(slot);
  if (load<i32>(e) == slot + 1 && load<u64>(e, 8) == id && load<u64>(e, 16) == ver) {
    let n = <usize>load<u32>(e, 28);
    memory.copy(d, load<usize>(e, 24), n);
    return d + n;
  }
  out.len = d - out.ptr;
  renderFields(out, slot, e, id, ver);
  out.ensure(after);
  return out.ptr + out.len;
}

/** minerWriteFields' first rendering of a template version (out of line: string literals would
 *  give the cache-hit path a shadow-stack frame). */
function renderFields(out: ByteBuf, slot: i32, e: usize, id: u64, ver: u64): void {
  let start = out.len;
  out.ascii(",\"template_id\":\""); out.hex(id, 16); out.byte(0x22);
  if (MCFG.includeText) { out.ascii(",\"template\":"); minerWriteTemplate(out, slot); }
  let n = out.len - start;
  if (n > FC_MAX) return;
  let buf = load<usize>(e, 24);
  if (buf == 0) { buf = heap.alloc(FC_MAX); store<usize>(e, buf, 24); }
  memory.copy(buf, out.ptr + start, n);
  store<i32>(e, slot + 1); store<u64>(e, id, 8); store<u64>(e, ver, 16); store<u32>(e, <u32>n, 28);
}

// minerWriteFields' cache: [i32 slot+1][pad][u64 id][u64 version][u32 ptr][u32 len] per entry
const FC_SLOTS: u32 = 256;
const FC_MAX: usize = 512;
/** The longest cached rendering minerWriteFields copies. */
export const MINER_FIELDS_MAX: usize = FC_MAX;
const FC: usize = memory.data(<i32>(FC_SLOTS << 5), 8);

function fieldsClear(): void {
  for (let i: u32 = 0; i < FC_SLOTS; i++) store<i32>(FC + (<usize>i << 5), 0);
}

/** The template text as a JSON string literal. */
export function minerWriteTemplate(out: ByteBuf, slot: i32): void {
  out.byte(0x22);
  if (slotLive(slot)) writeTextBody(out, slot);
  out.byte(0x22);
}

/** Writes the template text if `slot` still holds template `id` (detector top_templates hook). */
export function minerWriteTemplateIf(out: ByteBuf, slot: i32, id: u64): bool {
  if (!slotLive(slot) || slotId(slot) != id) return false;
  minerWriteTemplate(out, slot);
  return true;
}

export function minerCount(): i32 { return inited ? liveCount : 0; }

// ------------------------------------------------------------------ listing, snapshot, restore

/** JSON array of live templates, most frequent first. */
export function minerTemplatesJson(out: ByteBuf): void {
  ensureInit();
  let n = liveCount;
  let idx = new StaticArray<i32>(n);
  let k = 0;
  for (let s = lruFirst(); s >= 0 && k < n; s = lruNextOf(s)) { unchecked(idx[k] = s); k++; }
  // shell sort by count, descending
  let gap = k >> 1;
  while (gap > 0) {
    for (let i = gap; i < k; i++) {
      let v = unchecked(idx[i]);
      let c = slotCount(v);
      let j = i;
      while (j >= gap && slotCount(unchecked(idx[j - gap])) < c) { unchecked(idx[j] = idx[j - gap]); j -= gap; }
      unchecked(idx[j] = v);
    }
    gap >>= 1;
  }
  out.byte(0x5B);
  for (let i = 0; i < k; i++) {
    let s = unchecked(idx[i]);
    if (i > 0) out.byte(0x2C);
    out.ascii("{\"template_id\":\""); out.hex(slotId(s), 16);
    out.ascii("\",\"template\":"); minerWriteTemplate(out, s);
    out.ascii(",\"count\":"); out.u64dec(slotCount(s));
    out.ascii(",\"first_seen\":"); out.rfc3339(slotFirst(s));
    out.ascii(",\"last_seen\":"); out.rfc3339(slotLast(s));
    out.ascii(",\"example\":"); out.jsonString(slotExample(s), slotExampleLen(s));
    out.ascii(",\"new\":"); out.ascii(slotNew(s) ? "true" : "false");
    out.byte(0x7D);
  }
  out.byte(0x5D);
}

/** Serialises the learned templates (document format at the top of this file). */
export function minerSnapshot(out: ByteBuf): void {
  ensureInit();
  out.ascii("{\"format\":\"lad-templates\",\"version\":1,\"templates\":[");
  let first = true;
  for (let s = lruLast(); s >= 0; s = lruPrevOf(s)) {
    if (!first) out.byte(0x2C);
    first = false;
    out.ascii("{\"id\":\""); out.hex(slotId(s), 16);
    out.ascii("\",\"template\":"); minerWriteTemplate(out, s);
    out.ascii(",\"count\":"); out.u64dec(slotCount(s));
    out.ascii(",\"first_seen\":"); out.i64dec(slotFirst(s));
    out.ascii(",\"last_seen\":"); out.i64dec(slotLast(s));
    out.ascii(",\"new\":"); out.ascii(slotNew(s) ? "true" : "false");
    out.ascii(",\"example\":"); out.jsonString(slotExample(s), slotExampleLen(s));
    out.byte(0x7D);
  }
  out.ascii("]}\n");
}

let hexValue: u64 = 0;
/** Parses 1..16 hex digits into hexValue; false if not hex. */
function parseHex64(s: string): bool {
  let n = s.length;
  if (n < 1 || n > 16) return false;
  let v: u64 = 0;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    let d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (d < 0) return false;
    v = (v << 4) | <u64>d;
  }
  hexValue = v;
  return true;
}

function numOr(v: JV | null, dflt: f64): f64 {
  if (v === null || v.kind != JV_NUM || !isFinite(v.n)) return dflt;
  return v.n;
}

@inline function clampU64(x: f64): u64 { return x <= 0 ? 0 : x >= 9.0e15 ? <u64>9.0e15 : <u64>x; }
@inline function clampI64(x: f64): i64 { return x <= -9.0e15 ? <i64>-9.0e15 : x >= 9.0e15 ? <i64>9.0e15 : <i64>x; }

/** Loads a snapshot, replacing the learned templates. False (state unchanged) on bad input. */
export function minerRestore(ptr: usize, len: usize): bool {
  let root = parseJson(ptr, len);
  if (root === null || root.kind != JV_OBJ) return false;
  let list = root.get("templates");
  if (list === null || list.kind != JV_ARR) return false;
  // validate everything first
  for (let i = 0; i < list.arr.length; i++) {
    let e = list.arr[i];
    if (e.kind != JV_OBJ) return false;
    let t = e.get("template");
    if (t === null || t.kind != JV_STR || t.s.length == 0) return false;
    let id = e.get("id");
    if (id !== null && (id.kind != JV_STR || !parseHex64(id.s))) return false;
    let ex = e.get("example");
    if (ex !== null && ex.kind != JV_STR) return false;
  }
  ensureInit();
  storeInit(MCFG.maxTemplates);
  streamsClear();
  notMined(MINED);   // the last result named a slot of the templates just replaced
  let start = list.arr.length > MCFG.maxTemplates ? list.arr.length - MCFG.maxTemplates : 0;
  for (let i = start; i < list.arr.length; i++) {
    let e = list.arr[i];
    let text = String.UTF8.encode(e.get("template")!.s);
    let exv = e.get("example");
    let exb = String.UTF8.encode(exv !== null ? exv.s : "");
    let idv = e.get("id");
    let first = clampI64(numOr(e.get("first_seen"), 0));
    let last = clampI64(numOr(e.get("last_seen"), <f64>first));
    let nv = e.get("new");
    let isNew = nv !== null && nv.kind == JV_BOOL && nv.b;
    let count = clampU64(numOr(e.get("count"), 1));
    let s = loadTemplate(changetype<usize>(text), <usize>text.byteLength, 0, count, first, isNew, last,
                         changetype<usize>(exb), <usize>exb.byteLength, false);
    if (s < 0) continue;
    let id: u64 = idv !== null && parseHex64(idv.s) ? hexValue : slotId(s);
    setIdentity(s, id, count, first, last, isNew);
  }
  applySeeds();
  return true;
}

// ------------------------------------------------------------------ configuration

function bad(key: string, what: string): string { return "templates." + key + ": " + what; }

/** Applies the "templates" config section (null = defaults). Resets learned state. Returns null on
 *  success or a message naming the bad key. */
export function configureMiner(section: JV | null): string | null {
  let c = new MinerConfig();
  let delims: StaticArray<u8> | null = null;
  let masks = new Array<StaticArray<u8>>();
  let seedsT = new Array<string>();
  let seedsL = new Array<string>();
  if (section !== null) {
    // types and ranges: the configuration table (core/config_keys.ts); below, what they cannot say
    let e = checkSection(section, "templates");
    if (e !== null) return e;
    for (let i = 0; i < section.keys.length; i++) {
      let k = section.keys[i], v = section.vals[i];
      if (k == "max_templates") c.maxTemplates = <i32>v.n;
      else if (k == "similarity_threshold") c.threshold = v.n;
      else if (k == "include_text") c.includeText = v.b;
      else if (k == "new_pattern_events") c.events = v.b;
      else if (k == "word_rule") c.wordRule = v.b;
      else if (k == "warmup_records") c.warmupRecords = <u64>v.n;
      else if (k == "warmup_seconds") c.warmupSeconds = <i64>v.n;
      else if (k == "max_tokens") c.maxTokens = <i32>v.n;
      else if (k == "extra_delimiters") {
        let b = String.UTF8.encode(v.s);
        let n = b.byteLength;
        let d = new StaticArray<u8>(n);
        for (let j = 0; j < n; j++) {
          let ch = load<u8>(changetype<usize>(b) + <usize>j);
          if (ch >= 0x80) return bad(k, "delimiters must be ASCII");
          unchecked(d[j] = ch);
        }
        delims = d;
      } else if (k == "extra_masks") {
        if (v.arr.length > 64) return bad(k, "at most 64 patterns");
        for (let j = 0; j < v.arr.length; j++) {
          let b = String.UTF8.encode(v.arr[j].s);
          let n = b.byteLength;
          if (n == 0 || n > 256) return bad(k + "[" + j.toString() + "]", "pattern must be 1..256 bytes");
          let d = new StaticArray<u8>(n);
          memory.copy(changetype<usize>(d), changetype<usize>(b), <usize>n);
          masks.push(d);
        }
      } else if (k == "seed_templates" || k == "seed_lines") {
        for (let j = 0; j < v.arr.length; j++) {
          if (k == "seed_templates") seedsT.push(v.arr[j].s); else seedsL.push(v.arr[j].s);
        }
      }
    }
  }
  MCFG = c;
  configureTokenizer(delims, masks);
  digitKeyConfigure(masks.length == 0);
  seedTemplates = seedsT;
  seedLines = seedsL;
  inited = false;
  notMined(MINED);   // the last result named a slot of the templates just replaced
  ensureInit();
  return null;
}

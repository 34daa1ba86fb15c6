// The module's exports: the Fluent Bit filter entry, the allocator, configuration, and the batch
// entry points the Node harness uses. Every entry resets the shadow stack first (a trap in an
// earlier call would otherwise leak it until the instance dies) and holds no managed locals itself.
import "./wasi/abort"; // the abort handler named in asconfig.json
import { ByteBuf } from "./core/byte_buf";
import { zeroByteMask } from "./core/mem";
import { STATS } from "./core/stats";
import { EVENTS } from "./core/events";
import { analyse, writeAnom, writeTagged, writeTaggedObject, Analysis } from "./pipeline/pipeline";
import { applyConfig, baselineFiles, stateFile, stateOn, stateIntervalSec } from "./pipeline/config_apply";
import { describe } from "./pipeline/describe";
import { readPreopenFile, writePreopenFile, stderrLine, lastReadDir } from "./wasi/preopen_files";
import { minerTemplatesJson, minerSnapshot, minerRestore, minerWriteTemplateIf } from "./miner/index";
import { detectFlush, detectWindowLog, detectSetWindowLog, detectExportBaseline, detectLoadBaseline, detectStreams, detectSetTemplateWriter, detectClockMs, detectHostTime } from "./detect/index";
import { minerCount } from "./miner/index";

const OUT = new ByteBuf(1 << 16);
/** The window channel of lad_batch / lad_flush: window lines apart from the records in OUT. */
const WINDOWS = new ByteBuf(1 << 12);
const FILEBUF = new ByteBuf(4096);

/** lad_batch / lad_flush flags (the host, src/module/module.ts, names them alike). */
const BATCH_TAG_ALL: u32 = 1;
const BATCH_WINDOWS: u32 = 2;

let started = false;
/** False after a bad configuration: records then pass through unchanged. */
let configOk = true;
let lastError = "";
let nextStateWriteMs: i64 = 0;
let stateDir: u32 = 3;

// Events name the text of the templates behind them.
detectSetTemplateWriter(minerWriteTemplateIf);

@inline function resetStack(): void { __stack_pointer = __heap_base; }

/** A NUL-terminated copy of OUT's content stays in OUT: hosts copy it before the next call. */
@inline function finish(): usize {
  OUT.byte(0);
  OUT.len--;
  return OUT.ptr;
}

/** (The check stays inline: startFirst has a shadow-stack frame, paid on every call.) */
@inline function startOnce(): void { if (!started) startFirst(); }

function startFirst(): void {
  started = true;
  // Fluent Bit: read lad.json from the first accessible_paths directory holding one.
  if (readPreopenFile("lad.json", FILEBUF)) {
    stateDir = lastReadDir; // the state file lives beside lad.json
    let err = applyConfig(FILEBUF.ptr, FILEBUF.len);
    if (err !== null) {
      configOk = false;
      lastError = "lad.json: " + err;
      stderrLine(lastError + " (records pass through untagged)");
      return;
    }
    loadFiles();
  }
}

function loadFiles(): void {
  for (let i = 0; i < baselineFiles.length; i++) {
    if (!readPreopenFile(baselineFiles[i], FILEBUF)) { stderrLine("baseline " + baselineFiles[i] + ": not found in accessible_paths"); continue; }
    let err = detectLoadBaseline(FILEBUF.ptr, FILEBUF.len);
    if (err !== null) stderrLine("baseline " + baselineFiles[i] + ": " + err);
  }
  if (stateFile.length > 0 && readPreopenFile(stateFile, FILEBUF)) {
    if (!minerRestore(FILEBUF.ptr, FILEBUF.len)) stderrLine("state " + stateFile + ": unreadable, starting fresh");
  }
}

/** Writes the state file every state.interval_seconds of event time (the records' own times, as
 *  the windows use; Fluent Bit's record times only when a record has none). A clock that goes back
 *  by more than an interval (a stray future timestamp earlier, or older logs replayed) restarts
 *  the schedule instead of stopping writes until it catches up. */
function maybeWriteState(timeMs: i64): void {
  if (stateFile.length == 0) return;
  let every = <i64>stateIntervalSec * 1000;
  if (nextStateWriteMs == 0 || timeMs < nextStateWriteMs - 2 * every) { nextStateWriteMs = timeMs + every; return; }
  if (timeMs < nextStateWriteMs) return;
  nextStateWriteMs = timeMs + every;
  FILEBUF.reset();
  minerSnapshot(FILEBUF);
  if (!writePreopenFile(stateDir, stateFile, FILEBUF.ptr, FILEBUF.len)) stderrLine("state " + stateFile + ": write failed (the previous file is kept)");
}

@inline function filterImpl(tag: usize, tagLen: u32, sec: u32, nsec: u32, rec: usize, recLen: u32): usize {
  startOnce();
  OUT.reset();
  if (OUT.cap > (4 << 20)) OUT.shrink(1 << 16); // give back what one huge record took
  let a: Analysis | null = null;
  if (configOk) {
    let hostMs = <i64>sec * 1000 + <i64>(nsec / 1000000);
    detectHostTime(hostMs);
    a = analyse(tag, tagLen, hostMs, rec, recLen, false);
  }
  if (!a) {
    OUT.bytes(rec, recLen);
    return finish();
  }
  // (a record analyse() did not return null for is a JSON object; written NUL-terminated)
  writeTaggedObject(OUT, rec, recLen, a);
  if (stateOn) maybeWriteState(a.rec.timeMs);
  return OUT.ptr;
}

/** Fluent Bit entry (Event_Format json). Returns a NUL-terminated JSON object owned by the module. */
export function lad_filter(tag: usize, tagLen: u32, sec: u32, nsec: u32, rec: usize, recLen: u32): usize {
  resetStack();
  return filterImpl(tag, tagLen, sec, nsec, rec, recLen);
}

// Host allocations (Fluent Bit: a copy of the tag and of the record per call, freed right after)
// recycle through a small stash of freed blocks instead of a TLSF allocate/free pair per copy:
// each block carries its capacity in an 8-byte header; at most STASH_N blocks of at most
// STASH_MAX bytes wait in the stash, [STASH, stashTop). The common paths (the first stashed block
// fits; a free with room in the stash) touch no shadow stack and reset it not: the entry they
// serve resets it.
const STASH_N = 4;
const STASH_MAX: usize = 64 * 1024;
const STASH = memory.data(STASH_N * 4, 4);
const STASH_END = STASH + STASH_N * 4;
let stashTop = STASH;

export function malloc(size: usize): usize {
  // Fluent Bit frees its tag then its record and allocates them again in that order: the first
  // block fits (taken, the last one moved into its place)
  let t = stashTop;
  if (t != STASH) {
    let b = load<usize>(STASH);
    if (load<usize>(b) >= size) {
      t -= 4;
      stashTop = t;
      store<usize>(STASH, load<usize>(t));
      return b + 8;
    }
  }
  return mallocSlow(size);
}

/** malloc past the first stashed block: the others, then the heap. */
function mallocSlow(size: usize): usize {
  resetStack();
  for (let s = STASH + 4; s < stashTop; s += 4) {
    let b = load<usize>(s);
    if (load<usize>(b) >= size) {
      stashTop -= 4;
      store<usize>(s, load<usize>(stashTop));
      return b + 8;
    }
  }
  let cap: usize = size < 240 ? 248 : (size + 255) & ~<usize>255;
  if (cap < size) return 0; // size near 4 GiB
  let b = heap.alloc(cap + 8);
  store<usize>(b, cap);
  return b + 8;
}

export function free(ptr: usize): void {
  if (!ptr) return;
  let b = ptr - 8;
  let t = stashTop;
  if (t < STASH_END && load<usize>(b) <= STASH_MAX) {
    store<usize>(t, b);
    stashTop = t + 4;
    return;
  }
  freeSlow(b);
}

function freeSlow(b: usize): void {
  resetStack();
  heap.free(b);
}

function configureImpl(ptr: usize, len: u32): i32 {
  started = true; // a host-given config replaces lad.json
  let err = applyConfig(ptr, len);
  if (err !== null) { configOk = false; lastError = err; return 1; }
  configOk = true;
  lastError = "";
  return 0;
}

/** Host-given configuration (JSON bytes). 0 = ok; else see lad_last_error. */
export function lad_configure(ptr: usize, len: u32): i32 {
  resetStack();
  return configureImpl(ptr, len);
}

function lastErrorImpl(): usize {
  OUT.reset();
  let b = String.UTF8.encode(lastError);
  OUT.bytes(changetype<usize>(b), <usize>b.byteLength);
  return finish();
}

export function lad_last_error(): usize {
  resetStack();
  return lastErrorImpl();
}

export function lad_result_len(): u32 {
  return <u32>OUT.len;
}

/** First '\n' in [p, end), or end: eight bytes at a time (SWAR zero-byte test), then bytewise. */
@inline function findNewline(p: usize, end: usize): usize {
  while (p + 8 <= end) {
    if (zeroByteMask(load<u64>(p) ^ 0x0A0A0A0A0A0A0A0A) != 0) break;
    p += 8;
  }
  while (p < end && load<u8>(p) != 0x0A) p++;
  return p;
}

/** Window lines closed since the last drain go to the window channel, NUL-terminated. */
function drainWindows(flags: u32): void {
  WINDOWS.reset();
  if (WINDOWS.cap > (4 << 20)) WINDOWS.shrink(1 << 12);
  if (flags & BATCH_WINDOWS) detectWindowLog(WINDOWS);
  WINDOWS.byte(0);
  WINDOWS.len--;
}

function batchImpl(tag: usize, tagLen: u32, hostSec: u32, inPtr: usize, inLen: u32, flags: u32): usize {
  startOnce();
  OUT.reset();
  let all = (flags & BATCH_TAG_ALL) != 0;
  detectSetWindowLog((flags & BATCH_WINDOWS) != 0);
  let hostMs = <i64>hostSec * 1000;
  let end = inPtr + inLen;
  let p = inPtr;
  let line: u32 = 0;
  while (p < end) {
    let e = findNewline(p, end);
    let n = e - p;
    if (n > 0 && load<u8>(p + n - 1) == 0x0D) n--;
    if (n > 0) {
      if (!configOk) {
        if (all) { OUT.bytes(p, n); OUT.byte(0x0A); }
      } else {
        // (never null: a raw line is not passed through)
        let a = analyse(tag, tagLen, hostMs, p, n, true);
        if (a && all) { writeTagged(OUT, p, n, a, writeAnom(a)); OUT.byte(0x0A); }
        else if (a && EVENTS.count > 0) {
          let added = writeAnom(a);
          OUT.ascii("{\"line\":"); OUT.u64dec(line); OUT.ascii(",\"anomaly\":");
          OUT.bytes(added.ptr, added.len); OUT.ascii("}\n");
        }
      }
    }
    line++;
    p = e + 1;
  }
  drainWindows(flags);
  return finish();
}

/** Batch entry: newline-separated lines (JSON records or raw text). flags: 1 = emit every record
 *  tagged (NDJSON), else only records carrying events as {"line":i,"anomaly":{..}}; 2 = also
 *  report the windows that closed, as {"window":{..}} lines in the window channel (lad_windows),
 *  never among the records. Result length: lad_result_len(). */
export function lad_batch(tag: usize, tagLen: u32, hostSec: u32, inPtr: usize, inLen: u32, flags: u32): usize {
  resetStack();
  return batchImpl(tag, tagLen, hostSec, inPtr, inLen, flags);
}

function flushImpl(sec: u32, flags: u32): usize {
  OUT.reset();
  EVENTS.reset();
  detectSetWindowLog((flags & BATCH_WINDOWS) != 0);
  // sec 0: each stream up to its own last record
  detectFlush(sec == 0 ? i64.MAX_VALUE : <i64>sec * 1000);
  if (EVENTS.count > 0) {
    OUT.ascii("{\"line\":-1,\"anomaly\":{\"events\":[");
    OUT.bytes(EVENTS.buf.ptr, EVENTS.buf.len);
    OUT.ascii("]}}\n");
  }
  drainWindows(flags);
  return finish();
}

/** End of a replay: close open windows at event time `sec` (0 = each stream's last record) and
 *  return their events as NDJSON (with flag 2, the windows go to the window channel). */
export function lad_flush(sec: u32, flags: u32): usize {
  resetStack();
  return flushImpl(sec, flags);
}

/** The window channel of the last lad_batch / lad_flush (NDJSON {"window":{..}} lines, NUL-terminated,
 *  owned by the module until its next batch or flush); its length: lad_windows_len(). */
export function lad_windows(): usize { return WINDOWS.ptr; }
export function lad_windows_len(): u32 { return <u32>WINDOWS.len; }

function statsImpl(): usize {
  OUT.reset();
  OUT.byte(0x7B);
  STATS.writeFields(OUT);
  OUT.ascii(",\"templates\":"); OUT.u64dec(<u64>minerCount());
  OUT.ascii(",\"streams\":"); OUT.u64dec(<u64>detectStreams());
  OUT.ascii(",\"config_ok\":"); OUT.ascii(configOk ? "true" : "false");
  let clk = detectClockMs();
  OUT.ascii(",\"clock_ms\":"); if (clk < 0) OUT.ascii("null"); else OUT.u64dec(<u64>clk);
  OUT.byte(0x7D);
  return finish();
}

export function lad_stats(): usize {
  resetStack();
  return statsImpl();
}

function describeImpl(): usize { OUT.reset(); describe(OUT, BATCH_TAG_ALL, BATCH_WINDOWS); return finish(); }
/** The module's contract as JSON: severities in order, event types, input formats, batch flags. */
export function lad_describe(): usize { resetStack(); return describeImpl(); }

function templatesImpl(): usize { OUT.reset(); minerTemplatesJson(OUT); return finish(); }
export function lad_templates(): usize { resetStack(); return templatesImpl(); }

function snapshotImpl(): usize { OUT.reset(); minerSnapshot(OUT); return finish(); }
/** Serialised learned templates (see README: state file format). */
export function lad_snapshot(): usize { resetStack(); return snapshotImpl(); }

function restoreImpl(ptr: usize, len: u32): i32 {
  if (minerRestore(ptr, len)) return 0;
  lastError = "snapshot: unreadable";
  return 1;
}
export function lad_restore(ptr: usize, len: u32): i32 { resetStack(); return restoreImpl(ptr, len); }

function baselineExportImpl(): usize { OUT.reset(); detectExportBaseline(OUT); return finish(); }
export function lad_baseline_export(): usize { resetStack(); return baselineExportImpl(); }

function baselineLoadImpl(ptr: usize, len: u32): i32 {
  let err = detectLoadBaseline(ptr, len);
  if (err !== null) { lastError = "baseline: " + err; return 1; }
  return 0;
}
export function lad_baseline_load(ptr: usize, len: u32): i32 { resetStack(); return baselineLoadImpl(ptr, len); }

// Streaming detection: per-stream event-time windows, count-data detectors (rate spike/drop,
// error share, per-template spikes, new error patterns that keep occurring, baseline deviation),
// alert episodes with cooldown/escalation/resolution, and mergeable baselines.
// See README.md here for the statistics and the file layout, state.ts for the bounded memory layout.
import { ByteBuf } from "../core/byte_buf";
import { CFG, cfgWindowSize } from "../core/config";
import { JV } from "../core/json_value";
import { DCFG, DetectConfig, parseDetectConfig } from "./dconfig";
import { layoutAndAlloc, resetStreams, initialised, winMs, nStreams } from "./state";
import { onRecord, flushAll, WLOG, windowLogOn, setWindowLog } from "./window";
import { setTemplateWriter, TemplateWriter } from "./emit";
import { exportBaseline, loadBaseline } from "./baseline";
import { tick, resetClock, CLK } from "./clock";
import { NO_WINDOW } from "./state";
import { setHostTime, resetSilence } from "./silence";


export { TemplateWriter } from "./emit";

/** (Re)builds the state when first used or when window_size / table sizes changed. */
@inline function ensureInit(): void {
  let w = <i64>cfgWindowSize() * 1000;
  if (!initialised || w != winMs) layoutAndAlloc(cfgWindowSize());
}

/** `streamHash`: hashBytes of the stream key when the caller has it (0: computed here). */
export function detectRecord(streamPtr: usize, streamLen: usize, timeMs: i64, level: u8, isError: bool,
                             templateSlot: i32, templateId: u64, isNewTemplate: bool,
                             msgPtr: usize, msgLen: usize, streamHash: u64 = 0): void {
  ensureInit();
  // (the clock moves at onRecord's end, with the stream and time at hand)
  onRecord(streamPtr, streamLen, timeMs, level, isError, templateSlot, templateId, isNewTemplate, msgPtr, msgLen, streamHash);
}

/** A heartbeat at event time timeMs: moves the module clock (closing quiet streams' windows and
 *  looking for silences) without counting a record. */
export function detectTick(timeMs: i64): void {
  ensureInit();
  tick(timeMs, -1);
}

export function detectFlush(timeMs: i64): void {
  ensureInit();
  flushAll(timeMs);
}

export function detectWindowLog(out: ByteBuf): void {
  if (WLOG.len == 0) return;
  out.bytes(WLOG.ptr, WLOG.len);
  WLOG.reset();
  if (WLOG.cap > (1 << 20)) WLOG.shrink(1 << 16);
}

export function detectSetWindowLog(on: bool): void { setWindowLog(on); }

export function detectStreams(): i32 { return initialised ? nStreams : 0; }
/** The Fluent Bit entry's record time (ms): silence must pass in it too (silence.ts). */
export function detectHostTime(ms: i64): void { setHostTime(ms); }
/** The module clock (latest trusted event time, ms); -1 before the first record. */
export function detectClockMs(): i64 { return initialised && CLK != NO_WINDOW ? CLK : -1; }

export function detectExportBaseline(out: ByteBuf): void {
  ensureInit();
  exportBaseline(out);
}

export function detectLoadBaseline(ptr: usize, len: usize): string | null {
  ensureInit();
  return loadBaseline(ptr, len);
}

/** Extra "detection" keys (see dconfig.ts). Changing table sizes rebuilds the state. */
export function configureDetect(section: JV | null): string | null {
  let c = new DetectConfig();
  let e = parseDetectConfig(section, c);
  let rebuild = c.maxStreams != DCFG.maxStreams || c.templatesPerStream != DCFG.templatesPerStream ||
                c.exampleBytes != DCFG.exampleBytes;
  // DCFG stays one unmanaged object: the new values are copied into it
  if (e === null) memory.copy(changetype<usize>(DCFG), changetype<usize>(c), offsetof<DetectConfig>());
  heap.free(changetype<usize>(c));
  if (e !== null) return e;
  if (rebuild && initialised) layoutAndAlloc(CFG.windowSize);
  return null;
}

/** Forgets every stream (models, open windows, loaded baselines). Configuration stays. */
export function detectReset(): void {
  resetClock();
  resetSilence();
  if (initialised) resetStreams();
}

/** Lets the pipeline provide template text for top_templates: call once with the miner's
 *  minerWriteTemplateIf (kept out of this module so detect compiles without the miner). */
export function detectSetTemplateWriter(w: TemplateWriter | null): void { setTemplateWriter(w); }

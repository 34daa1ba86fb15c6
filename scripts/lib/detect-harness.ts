// Direct harness for the detector alone (no parser, no miner): the evaluation's fast path and a
// way to iterate before the full pipeline exists. Built by scripts/lib/detect-build.js into
// build/detect-harness.wasm (plain asc, no WASI). Record truth (level, template id, "new") comes
// from the generator instead of the parser and miner.
import { ByteBuf } from "../../assembly/core/byte_buf";
import { EVENTS } from "../../assembly/core/events";
import { applyConfig } from "../../assembly/pipeline/config_apply";
import {
  detectRecord, detectFlush, detectExportBaseline, detectLoadBaseline, detectReset,
  detectStreams, detectWindowLog, detectSetWindowLog, detectSetTemplateWriter,
} from "../../assembly/detect/index";

// the generator's template ids are not the miner's: no template text here
detectSetTemplateWriter(null);

const OUT = new ByteBuf(1 << 16);
let errText = "";

export function h_alloc(n: usize): usize { return heap.alloc(n); }
export function h_free(p: usize): void { heap.free(p); }

/** The module's own configuration code (every key checked as lad_configure checks it). */
export function h_configure(ptr: usize, len: usize): i32 {
  let e = applyConfig(ptr, len);
  if (e !== null) { errText = e; return 1; }
  return 0;
}

export function h_record(sp: usize, sl: usize, timeMs: f64, level: u8, isErr: i32, slot: i32,
                         idLo: u32, idHi: u32, isNew: i32, mp: usize, ml: usize): i32 {
  EVENTS.reset();
  detectRecord(sp, sl, <i64>timeMs, level, isErr != 0, slot, (<u64>idHi << 32) | <u64>idLo, isNew != 0, mp, ml);
  return EVENTS.count;
}

export function h_flush(timeMs: f64): i32 {
  EVENTS.reset();
  detectFlush(<i64>timeMs);
  return EVENTS.count;
}

export function h_events_ptr(): usize { return EVENTS.buf.ptr; }
export function h_events_len(): usize { return EVENTS.buf.len; }

export function h_baseline_export(): usize { OUT.reset(); detectExportBaseline(OUT); return OUT.ptr; }
export function h_window_log(on: i32): usize { detectSetWindowLog(on != 0); OUT.reset(); detectWindowLog(OUT); return OUT.ptr; }
export function h_out_len(): usize { return OUT.len; }

export function h_baseline_load(ptr: usize, len: usize): i32 {
  let e = detectLoadBaseline(ptr, len);
  if (e !== null) { errText = e; return 1; }
  return 0;
}

export function h_error(): usize {
  OUT.reset();
  let b = String.UTF8.encode(errText);
  OUT.bytes(changetype<usize>(b), <usize>b.byteLength);
  return OUT.ptr;
}

export function h_reset(): void { detectReset(); }
export function h_streams(): i32 { return detectStreams(); }

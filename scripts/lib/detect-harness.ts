// The detector fed the truth: the evaluation's fast path. Built by scripts/lib/detect-build.js into
// build/detect-harness.wasm with the module's own build options, it is the lad module itself
// (every lad_* export: the one JS host, src/module/module.ts, loads, configures, describes it and
// moves baselines in and out as it does build/lad.wasm) plus the entries below, which take a
// record's level, template and "new" from the generator instead of the parser and the miner.
export * from "../../assembly/index";
import { EVENTS } from "../../assembly/core/events";
import { fnv64Bytes } from "../../assembly/core/hash";
import { detectRecord, detectFlush, detectSetTemplateWriter } from "../../assembly/detect/index";

// the generator's template ids are not the miner's: no template text here
detectSetTemplateWriter(null);

/** One record with its truth; returns how many events it raised (read them with lad_truth_events). */
export function lad_truth_record(sp: usize, sl: usize, timeMs: f64, level: u8, isErr: i32, slot: i32,
                                 idLo: u32, idHi: u32, isNew: i32, mp: usize, ml: usize): i32 {
  EVENTS.reset();
  detectRecord(sp, sl, <i64>timeMs, level, isErr != 0, slot, (<u64>idHi << 32) | <u64>idLo, isNew != 0, mp, ml);
  return EVENTS.count;
}

/** Closes every stream's windows up to timeMs; returns how many events that raised. */
export function lad_truth_flush(timeMs: f64): i32 {
  EVENTS.reset();
  detectFlush(<i64>timeMs);
  return EVENTS.count;
}

/** The last call's events: comma-separated JSON objects at lad_truth_events(), lad_truth_events_len() bytes. */
export function lad_truth_events(): usize { return EVENTS.buf.ptr; }
export function lad_truth_events_len(): usize { return EVENTS.buf.len; }

/** A template id as the miner makes one: FNV-1a 64 of its text (core/hash.ts). */
export function lad_truth_id(p: usize, n: usize): u64 { return fnv64Bytes(p, n); }

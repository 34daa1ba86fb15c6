// Detector events (one JSON object each, appended to EVENTS): the window-level events of every
// detector (emit), their top_templates and example line, and `resolved` when an episode ends.
import { ByteBuf, floorDiv } from "../core/byte_buf";
import { EVENTS, SEV_INFO } from "../core/events";
import {
  Stream, T_RATE_SPIKE, T_RATE_DROP, T_ERROR_SPIKE, T_PATTERN_SPIKE, T_NEW_PATTERN, T_BASELINE,
  OFF_KEY, TF_WARN, winMs, entryAt, exampleAt, typeName, entCnt, entErr,
} from "./state";
import { errShare } from "./model";
import { M_CLOSE } from "./look";

// top_templates orderings
export const TOP_EXCESS: i32 = 0;
export const TOP_DEFICIT: i32 = 1;
export const TOP_ERRORS: i32 = 2;
/** A rise of the stream's warnings (warn_rise.ts): pattern_spike's description says so; templates
 *  by excess. */
export const TOP_WARN: i32 = 3;

// ---- template text hook (the miner owns template text; the lead wires its writer in) ----
/** Appends the JSON string literal of the template in `slot` if it still holds `id`; false = not. */
export type TemplateWriter = (out: ByteBuf, slot: i32, id: u64) => bool;
let templateWriter: TemplateWriter | null = null;
export function setTemplateWriter(w: TemplateWriter | null): void { templateWriter = w; }
const TMP = new ByteBuf(512);

/** count per minute of a window's elapsed part f. */
@inline export function perMin(count: f64, f: f64): f64 {
  let sec = <f64>winMs / 1000.0 * f;
  return sec > 0 ? count * 60.0 / sec : 0;
}

/** One detector event about the stream's oldest open window (value / expected / z as its type
 *  states them; ref: the template it is about or -1; acc: accumulated_windows of a CUSUM, 0 = none). */
export function emit(t: i32, sev: i32, s: Stream, b: usize, f: f64, mode: i32, n: f64, e: f64,
                     value: f64, expected: f64, z: f64, ref: i32, order: i32, lam: f64, acc: f64 = 0): void {
  let W = winMs;
  let wIdx = floorDiv(s.ws, W);
  let r = <i32>(wIdx & 1);
  let o = EVENTS.begin(typeName(t), <u8>sev, b + OFF_KEY, <usize>s.keyLen);
  o.ascii(",\"window_start\":"); o.rfc3339(s.ws);
  o.ascii(",\"window_end\":"); o.rfc3339(s.ws + W);
  if (mode != M_CLOSE) o.ascii(",\"partial\":true");
  let share = t == T_ERROR_SPIKE || (t == T_BASELINE && order == TOP_ERRORS);
  o.ascii(",\"value\":"); o.fixed(value, share ? 4 : 2);
  o.ascii(",\"expected\":"); o.fixed(expected, share ? 4 : 2);
  o.ascii(",\"score\":"); o.fixed(z, 2);
  o.ascii(",\"window_records\":"); o.u64dec(<u64>n);
  o.ascii(",\"window_errors\":"); o.u64dec(<u64>e);
  if ((t == T_ERROR_SPIKE || t == T_PATTERN_SPIKE) && acc > 0) { o.ascii(",\"accumulated_windows\":"); o.u64dec(<u64>acc); }
  o.ascii(",\"description\":\"");
  if (t == T_RATE_SPIKE || t == T_RATE_DROP) {
    o.ascii(t == T_RATE_SPIKE ? "Event rate spike: " : "Event rate drop: ");
    o.fixed(value, 1); o.ascii("/min (expected ~"); o.fixed(expected, 1); o.ascii("/min, z=");
    o.fixed(z, 1); o.ascii(")");
  } else if (t == T_ERROR_SPIKE) {
    o.ascii("Error rate spike: "); o.fixed(value * 100, 1); o.ascii("% (expected ~");
    o.fixed(expected * 100, 1); o.ascii("%, z="); o.fixed(z, 1); o.ascii("), ");
    o.u64dec(<u64>e); o.ascii(" errors in "); o.u64dec(<u64>n); o.ascii(" records");
    if (acc > 0) { o.ascii(", sustained rise over "); o.u64dec(<u64>acc); o.ascii(" windows"); }
  } else if (t == T_PATTERN_SPIKE && order == TOP_WARN) {
    o.ascii("Warning lines rising: "); o.fixed(value, 0); o.ascii(" in "); o.u64dec(<u64>n);
    o.ascii(" records (expected ~"); o.fixed(expected, 1); o.ascii(", z="); o.fixed(z, 1); o.ascii(")");
    if (acc > 0) { o.ascii(", sustained rise over "); o.u64dec(<u64>acc); o.ascii(" windows"); }
  } else if (t == T_PATTERN_SPIKE) {
    o.ascii("Pattern spike: one template "); o.fixed(value, 0); o.ascii(" times (expected ~");
    o.fixed(expected, 1); o.ascii(", z="); o.fixed(z, 1); o.ascii(")");
    if (acc > 0) { o.ascii(", sustained rise over "); o.u64dec(<u64>acc); o.ascii(" windows"); }
  } else if (t == T_NEW_PATTERN) {
    if (value > 1) {
      o.ascii("New error pattern keeps occurring: "); o.fixed(value, 0);
      o.ascii(" times since it first appeared");
    } else o.ascii("New error pattern, never seen on this stream before");
  } else {
    if (order == TOP_ERRORS) {
      o.ascii("Error rate vs baseline: "); o.fixed(value * 100, 1); o.ascii("% (baseline ~");
      o.fixed(expected * 100, 1); o.ascii("%, z="); o.fixed(z, 1); o.ascii(")");
    } else {
      o.ascii("Event rate vs baseline: "); o.fixed(value, 1); o.ascii("/min (baseline ~");
      o.fixed(expected, 1); o.ascii("/min for this hour of week, z="); o.fixed(z, 1); o.ascii(")");
    }
  }
  if (mode != M_CLOSE) o.ascii(" [partial window]");
  o.byte(0x22);
  // the template the event is about (not that of the record that happens to carry it)
  if ((t == T_NEW_PATTERN || t == T_PATTERN_SPIKE) && ref >= 0) {
    o.ascii(",\"template_id\":\""); o.hex(entryAt(b, ref).id, 16); o.byte(0x22);
  }
  writeTop(o, s, b, r, f, order, ref, lam, n);
  EVENTS.end();
}

/** top_templates (up to 3) and one example line. */
function writeTop(o: ByteBuf, s: Stream, b: usize, r: i32, f: f64, order: i32, ref: i32, lam: f64, n: f64): void {
  let picked0 = -1, picked1 = -1, picked2 = -1;
  for (let round = 0; round < 3; round++) {
    let best = -1;
    let bestV: f64 = -1e300;
    if (round == 0 && ref >= 0) best = ref;
    else {
      for (let j = 0; j < s.nEntries; j++) {
        if (j == picked0 || j == picked1) continue;
        let en = entryAt(b, j);
        let c = <f64>entCnt(en, r);
        let ex = en.mean * f;
        let v: f64 = order == TOP_ERRORS ? <f64>entErr(en, r) : order == TOP_DEFICIT ? ex - c :
                     order == TOP_WARN ? ((en.flags & TF_WARN) != 0 ? c : 0) : c - ex;
        if ((order == TOP_ERRORS || order == TOP_WARN) && v <= 0) continue;
        if (order != TOP_ERRORS && v <= 0.5) continue;
        if (v > bestV) { bestV = v; best = j; }
      }
    }
    if (best < 0) break;
    if (round == 0) picked0 = best; else if (round == 1) picked1 = best; else picked2 = best;
  }
  o.ascii(",\"top_templates\":[");
  let ex = -1;
  for (let i = 0; i < 3; i++) {
    let j = i == 0 ? picked0 : i == 1 ? picked1 : picked2;
    if (j < 0) break;
    let en = entryAt(b, j);
    if (i > 0) o.byte(0x2C);
    o.ascii("{\"template_id\":\""); o.hex(en.id, 16);
    o.ascii("\",\"count\":"); o.u64dec(entCnt(en, r));
    o.ascii(",\"expected\":"); o.fixed(en.nobs == 0 ? 0 : en.mean * f, 2);
    if (entErr(en, r) > 0) { o.ascii(",\"errors\":"); o.u64dec(entErr(en, r)); }
    let w = templateWriter;
    if (w !== null && en.slot >= 0) {
      TMP.reset();
      if (w(TMP, en.slot, en.id)) { o.ascii(",\"template\":"); o.bytes(TMP.ptr, TMP.len); }
    }
    o.byte(0x7D);
    if (ex < 0 && en.exLen > 0) ex = j;
  }
  o.byte(0x5D);
  if (ex >= 0) {
    let en = entryAt(b, ex);
    o.ascii(",\"example\":"); o.jsonString(exampleAt(b, ex), <usize>en.exLen);
  }
}

export function emitResolved(t: i32, s: Stream, b: usize, wIdx: i64, n: f64, e: f64, lam: f64, z: f64,
                      episode: i32, adapted: bool, before: f64): void {
  let W = winMs;
  let o = EVENTS.begin("resolved", SEV_INFO, b + OFF_KEY, <usize>s.keyLen);
  o.ascii(",\"resolves\":\""); o.ascii(typeName(t));
  o.ascii("\",\"window_start\":"); o.rfc3339(s.ws);
  o.ascii(",\"window_end\":"); o.rfc3339(s.ws + W);
  let share = t == T_ERROR_SPIKE;
  let value = share ? (n > 0 ? e / n : 0) : perMin(n, 1.0);
  let expected = share ? errShare(s) : perMin(lam, 1.0);
  o.ascii(",\"value\":"); o.fixed(value, share ? 4 : 2);
  o.ascii(",\"expected\":"); o.fixed(expected, share ? 4 : 2);
  o.ascii(",\"score\":"); o.fixed(z, 2);
  o.ascii(",\"duration_windows\":"); o.u64dec(<u64>episode);
  o.ascii(",\"description\":\""); o.ascii(typeName(t));
  if (adapted) {
    // the level the change settled at is learned; say what it was and what was expected before
    o.ascii(" persisted: its level is learned as normal after "); o.u64dec(<u64>episode); o.ascii(" windows (");
    if (share) { o.ascii("now ~"); o.fixed(expected * 100, 1); o.ascii("% errors, was ~"); o.fixed(before * 100, 1); o.ascii("%)"); }
    else { o.ascii("last window "); o.fixed(value, 1); o.ascii("/min, was expecting ~"); o.fixed(before, 1); o.ascii("/min)"); }
  } else {
    o.ascii(" resolved: back to normal after "); o.u64dec(<u64>episode); o.ascii(" windows (");
    if (share) { o.fixed(value * 100, 1); o.ascii("% errors, expected ~"); o.fixed(expected * 100, 1); o.ascii("%)"); }
    else { o.fixed(value, 1); o.ascii("/min, expected ~"); o.fixed(expected, 1); o.ascii("/min)"); }
  }
  o.ascii("\",\"top_templates\":[]");
  EVENTS.end();
}

// Baseline documents: per stream, an hour-of-week profile of window counts and errors plus template
// frequencies, all as sums so that documents merge by adding (one baseline can serve a fleet).
// Schema (version 1):
// {"lad_baseline":1,"window_size":60,"streams":[{"stream":"web.access","windows":W,"records":S,
//   "errors":E,"hours":[[hour_of_week,windows,sum,sum_of_squares,errors],...],
//   "templates":[{"id":"<16 hex>","count":C,"errors":CE,"windows":CW},...]}]}
import { ByteBuf } from "../core/byte_buf";
import { CFG } from "../core/config";
import { JV, JV_OBJ, JV_ARR, JV_NUM, JV_STR, parseJson, jsonError } from "../core/json_value";
import { DCFG } from "./dconfig";
import { YOUNG_WINDOWS } from "./look";
import { profileComplete, updateSeasonal, dispInit, minBucket } from "./model";
import {
  Stream, TEntry, HowStat, HOURS, OFF_KEY, SF_BASELINE, SF_SEASONAL, NO_WINDOW, TF_BASELINE, TF_USED,
  nStreams, blockOf, howAt, entryAt, findEntry, claimEntry, seenAdd, lookupStream, winMs,
} from "./state";

export const BASELINE_VERSION: i32 = 1;
/** Templates read per stream entry of a document (more than a stream can track anyway). */
const MAX_LOAD_TEMPLATES: i32 = 2048;

export function exportBaseline(out: ByteBuf): void {
  out.ascii("{\"lad_baseline\":"); out.u64dec(<u64>BASELINE_VERSION);
  out.ascii(",\"window_size\":"); out.u64dec(<u64>(winMs / 1000));
  out.ascii(",\"streams\":[");
  let first = true;
  for (let i = 0; i < nStreams; i++) {
    let b = blockOf(i);
    let s = changetype<Stream>(b);
    if (s.profW <= 0 && s.nEntries == 0) continue;
    if (!first) out.byte(0x2C);
    first = false;
    out.ascii("{\"stream\":"); out.jsonString(b + OFF_KEY, <usize>s.keyLen);
    out.ascii(",\"windows\":"); num(out, s.profW);
    out.ascii(",\"records\":"); num(out, s.profS);
    out.ascii(",\"errors\":"); num(out, s.profE);
    out.ascii(",\"hours\":[");
    let f2 = true;
    for (let h = 0; h < HOURS; h++) {
      let hs = howAt(b, h);
      if (hs.w <= 0) continue;
      if (!f2) out.byte(0x2C);
      f2 = false;
      out.byte(0x5B); out.u64dec(<u64>h);
      out.byte(0x2C); num(out, hs.w);
      out.byte(0x2C); num(out, hs.s);
      out.byte(0x2C); num(out, hs.ss);
      out.byte(0x2C); num(out, hs.e);
      out.byte(0x5D);
    }
    out.ascii("],\"templates\":[");
    let f3 = true;
    for (let j = 0; j < s.nEntries; j++) {
      let e = entryAt(b, j);
      if ((e.flags & TF_USED) == 0 || e.nobs == 0) continue;
      if (!f3) out.byte(0x2C);
      f3 = false;
      out.ascii("{\"id\":\""); out.hex(e.id, 16);
      out.ascii("\",\"count\":"); num(out, e.total);
      out.ascii(",\"errors\":"); num(out, e.totalErr);
      out.ascii(",\"windows\":"); out.u64dec(<u64>e.nobs);
      out.byte(0x7D);
    }
    out.ascii("]}");
  }
  out.ascii("]}");
}

/** Integral sums print as integers; sums of squares can exceed 2^53 only in absurd cases. */
function num(out: ByteBuf, v: f64): void {
  if (v >= 0 && v < 9.0e15 && v == Math.floor(v)) out.u64dec(<u64>v); else out.fixed(v, 3);
}

let hexVal: u64 = 0;

/** Parses up to 16 hex digits into hexVal. */
function parseHex(s: string): bool {
  if (s.length == 0 || s.length > 16) return false;
  let v: u64 = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    let d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (d < 0) return false;
    v = (v << 4) | <u64>d;
  }
  hexVal = v;
  return true;
}

function numField(o: JV, key: string, path: string, out: StaticArray<f64>, i: i32): string | null {
  let v = o.get(key);
  if (v === null) return path + "." + key + ": missing";
  if (v.kind != JV_NUM || !(v.n >= 0) || !isFinite(v.n)) return path + "." + key + ": expected a non-negative number";
  out[i] = v.n;
  return null;
}

/** Merges a baseline document into the live state (counts add). null = ok, else the error. */
export function loadBaseline(ptr: usize, len: usize): string | null {
  let root = parseJson(ptr, len);
  if (root === null) return "not valid JSON: " + jsonError;
  if (root.kind != JV_OBJ) return "expected an object";
  let ver = root.get("lad_baseline");
  if (ver === null || ver.kind != JV_NUM) return "lad_baseline: missing version number";
  if (<i32>ver.n != BASELINE_VERSION) return "lad_baseline: unsupported version " + ver.n.toString();
  let ws = root.get("window_size");
  if (ws === null || ws.kind != JV_NUM || !(ws.n >= 1)) return "window_size: expected a number >= 1";
  // another window size: per-window sums rescale (the hour's total is what carries over)
  let q = <f64>(winMs / 1000) / ws.n;
  let streams = root.get("streams");
  if (streams === null || streams.kind != JV_ARR) return "streams: expected an array";
  // validate everything first so a bad document changes nothing
  let tmp = new StaticArray<f64>(5);
  for (let i = 0; i < streams.arr.length; i++) {
    let so = streams.arr[i];
    let path = "streams[" + i.toString() + "]";
    if (so.kind != JV_OBJ) return path + ": expected an object";
    let name = so.get("stream");
    if (name === null || name.kind != JV_STR) return path + ".stream: expected a string";
    let e = numField(so, "windows", path, tmp, 0); if (e !== null) return e;
    e = numField(so, "records", path, tmp, 1); if (e !== null) return e;
    e = numField(so, "errors", path, tmp, 2); if (e !== null) return e;
    let hours = so.get("hours");
    if (hours === null || hours.kind != JV_ARR) return path + ".hours: expected an array";
    for (let k = 0; k < hours.arr.length; k++) {
      let row = hours.arr[k];
      if (row.kind != JV_ARR || row.arr.length != 5) return path + ".hours[" + k.toString() + "]: expected [hour, windows, sum, sum_sq, errors]";
      for (let c = 0; c < 5; c++) {
        let x = row.arr[c];
        if (x.kind != JV_NUM || !(x.n >= 0) || !isFinite(x.n)) return path + ".hours[" + k.toString() + "]: expected non-negative numbers";
      }
      if (row.arr[0].n >= <f64>HOURS || row.arr[0].n != Math.floor(row.arr[0].n)) return path + ".hours[" + k.toString() + "]: hour of week must be 0..167";
    }
    let tpl = so.get("templates");
    if (tpl !== null) {
      if (tpl.kind != JV_ARR) return path + ".templates: expected an array";
      for (let k = 0; k < tpl.arr.length; k++) {
        let t = tpl.arr[k];
        let tp = path + ".templates[" + k.toString() + "]";
        if (t.kind != JV_OBJ) return tp + ": expected an object";
        let id = t.get("id");
        if (id === null || id.kind != JV_STR || !parseHex(id.s)) return tp + ".id: expected a hex string";
        e = numField(t, "count", tp, tmp, 0); if (e !== null) return e;
        e = numField(t, "windows", tp, tmp, 1); if (e !== null) return e;
        let er = t.get("errors");
        if (er !== null && (er.kind != JV_NUM || !(er.n >= 0))) return tp + ".errors: expected a non-negative number";
      }
    }
  }
  for (let i = 0; i < streams.arr.length; i++) mergeStream(streams.arr[i], q);
  return null;
}

function mergeStream(so: JV, q: f64): void {
  let name = String.UTF8.encode(so.get("stream")!.s);
  let si = lookupStream(changetype<usize>(name), <usize>name.byteLength, true);
  let b = blockOf(si);
  let s = changetype<Stream>(b);
  let hours = so.get("hours")!;
  let addW: f64 = 0, addS: f64 = 0, addE: f64 = 0;
  for (let k = 0; k < hours.arr.length; k++) {
    let row = hours.arr[k].arr;
    let hs = howAt(b, <i32>row[0].n);
    let w = row[1].n / q;
    hs.w += w; hs.s += row[2].n; hs.ss += row[3].n * q; hs.e += row[4].n;
    addW += w; addS += row[2].n; addE += row[4].n;
  }
  s.profW += addW; s.profS += addS; s.profE += addE;
  s.flags |= SF_BASELINE;
  // a stream with no live history starts warm from the baseline
  let warmup = <u32>DCFG.warmupWindows;
  if (s.windows < warmup && s.profW >= <f64>DCFG.warmupWindows && s.profW > 0) {
    s.level = s.profS / s.profW;
    s.trend = 0;
    s.fast = s.level;
    dispInit(changetype<usize>(s) + offsetof<Stream>("rD"), s.level, s.level);
    s.eN = s.profS / s.profW;
    s.eE = s.profE / s.profW;
    s.eFN = s.eN; s.eFE = s.eE;
    dispInit(changetype<usize>(s) + offsetof<Stream>("eD"), s.eE, s.eE);
    s.windows = warmup + <u32>YOUNG_WINDOWS;   // history enough: not a young stream
    // the warm-start level is the overall mean: already in deseasonalised units
    if (DCFG.seasonal && s.profW >= 24 * minBucket() && profileComplete(b)) s.flags |= SF_SEASONAL;
  } else {
    updateSeasonal(s, b, s.ws != NO_WINDOW ? s.ws : 0);
  }
  let tpl = so.get("templates");
  if (tpl === null) return;
  // most frequent first, so the per-stream cap keeps the templates that matter
  let nt = tpl.arr.length < MAX_LOAD_TEMPLATES ? tpl.arr.length : MAX_LOAD_TEMPLATES;
  let order = new Array<i32>(nt);
  for (let k = 0; k < nt; k++) order[k] = k;
  let counts = new Array<f64>(nt);
  for (let k = 0; k < nt; k++) counts[k] = tpl.arr[k].get("count")!.n;
  sortByCountDesc(order, counts);
  for (let oi = 0; oi < order.length; oi++) {
    let t = tpl.arr[order[oi]];
    parseHex(t.get("id")!.s);
    let id = hexVal;
    let count = t.get("count")!.n;
    let wins = t.get("windows")!.n / q;
    let er = t.get("errors");
    let errs = er !== null ? er.n : 0;
    let j = findEntry(b, id);
    if (j < 0) { j = claimEntry(s, b, id); if (j >= 0) seenAdd(b, id); }
    if (j < 0) continue;
    let e = entryAt(b, j);
    let n0 = <f64>e.nobs;
    let tot = e.mean * n0 + count;
    let nw = n0 + wins;
    e.mean = nw > 0 ? tot / nw : 0;
    if (n0 == 0) dispInit(changetype<usize>(e) + offsetof<TEntry>("dD"), e.mean, e.mean);
    e.nobs = nw > 4e9 ? 4000000000 : <u32>Math.ceil(nw);
    e.total += count;
    e.totalErr += errs;
    e.flags |= TF_BASELINE;
  }
}

/** Insertion sort of indices by descending count (documents are small; no closures needed). */
function sortByCountDesc(order: Array<i32>, counts: Array<f64>): void {
  for (let i = 1; i < order.length; i++) {
    let x = order[i];
    let k = i;
    while (k > 0 && counts[order[k - 1]] < counts[x]) { order[k] = order[k - 1]; k--; }
    order[k] = x;
  }
}

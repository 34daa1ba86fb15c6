// Helpers for the detect_*.spec.ts files: a deterministic record feeder that collects the events
// every record carries (whichever stream they are about), steady traffic, heartbeats.
import { CFG } from "../core/config";
import { EVENTS } from "../core/events";
import { LEVEL_INFO, LEVEL_ERROR, LEVEL_WARNING } from "../core/levels";
import { detectRecord, detectTick, detectReset, configureDetect } from "../detect/index";

export const T0: i64 = 1705276800000; // 2024-01-15T00:00:00Z (a Monday)
export const W: i64 = 60000;
export const H: i64 = 3600000;
export const DAY: i64 = 86400000;
let seed: u32 = 12345;
export function rnd(): u32 { seed = seed * 1664525 + 1013904223; return seed >> 8; }

/** Events collected since fresh(), one NDJSON-ish line per record that carried any. */
export let events = "";
export function clearEvents(): void { events = ""; }

function collect(): void {
  if (EVENTS.count > 0) events += String.UTF8.decodeUnsafe(EVENTS.buf.ptr, EVENTS.buf.len) + "\n";
}

/** One record. level: 0 info, 1 warning, 2 error. */
export function rec(stream: string, t: i64, tpl: u64, level: i32 = 0, msg: string = "GET /api/items/1 200",
                    isNew: bool = false): void {
  let s = String.UTF8.encode(stream);
  let m = String.UTF8.encode(msg);
  EVENTS.reset();
  let lv = level == 2 ? LEVEL_ERROR : level == 1 ? LEVEL_WARNING : LEVEL_INFO;
  detectRecord(changetype<usize>(s), s.byteLength, t, lv, level == 2,
               <i32>(tpl & 0xFFFF), tpl, isNew, changetype<usize>(m), m.byteLength);
  collect();
}

/** n records spread over window w (from T0), `errors` of them at error level; templates 1..5
 *  round-robin (errors use template 9). */
export function window(stream: string, w: i64, n: i32, errors: i32 = 0): void {
  for (let i = 0; i < n; i++) {
    let t = T0 + w * W + (<i64>i * W) / <i64>n + <i64>(rnd() % 100);
    let err = (i * errors) / n != ((i + 1) * errors) / n;   // spread `errors` evenly
    rec(stream, t, err ? 9 : <u64>(1 + i % 5), err ? 2 : 0);
  }
}

/** Windows from..to of about n records (+-5), `errors` of them errors. */
export function steady(stream: string, from: i64, to: i64, n: i32, errors: i32 = 0): void {
  for (let w = from; w < to; w++) window(stream, w, n + <i32>(rnd() % 11) - 5, errors);
}

/** A heartbeat at t (Fluent Bit's dummy input through the filter). */
export function beat(t: i64): void {
  EVENTS.reset();
  detectTick(t);
  collect();
}

/** Occurrences of sub in the collected events. */
export function count(sub: string): i32 {
  let c = 0;
  let i = events.indexOf(sub);
  while (i >= 0) { c++; i = events.indexOf(sub, i + sub.length); }
  return c;
}

/** The collected event lines that contain sub. */
export function linesWith(sub: string): string[] {
  let out = new Array<string>();
  let ls = events.split("\n");
  for (let i = 0; i < ls.length; i++) if (ls[i].includes(sub)) out.push(ls[i]);
  return out;
}

export function fresh(): void {
  CFG.threshold = 3.0; CFG.windowSize = 60; CFG.minEvents = 10;
  configureDetect(null);
  detectReset();
  events = "";
  seed = 12345;
}

/** Several streams logging steadily from..to (ms), interleaved in time order: stream i logs
 *  every period[i] ms (+ up to 10% jitter), template 1 + (k % tpls[i]). */
export class Fleet {
  names: string[] = [];
  period: i64[] = [];
  next: i64[] = [];
  k: i32[] = [];
  tpls: i32[] = [];
  stopFrom: i64[] = [];
  stopTo: i64[] = [];

  add(name: string, periodMs: i64, tpls: i32 = 5): Fleet {
    this.names.push(name); this.period.push(periodMs); this.next.push(-1); this.k.push(0);
    this.tpls.push(tpls); this.stopFrom.push(i64.MAX_VALUE); this.stopTo.push(i64.MAX_VALUE);
    return this;
  }

  /** Stream i writes nothing in [from, to). */
  silence(i: i32, from: i64, to: i64): Fleet { this.stopFrom[i] = from; this.stopTo[i] = to; return this; }

  run(from: i64, to: i64, beatMs: i64 = 0): void {
    for (let i = 0; i < this.names.length; i++) if (this.next[i] < from) this.next[i] = from + <i64>(rnd() % <u32>this.period[i]);
    let nb = beatMs > 0 ? from : i64.MAX_VALUE;
    while (true) {
      let bi = -1;
      let bt = i64.MAX_VALUE;
      for (let i = 0; i < this.names.length; i++) if (this.next[i] < bt) { bt = this.next[i]; bi = i; }
      if (nb <= bt && nb < to) { beat(nb); nb += beatMs; continue; }
      if (bt >= to) break;
      if (!(bt >= this.stopFrom[bi] && bt < this.stopTo[bi])) {
        rec(this.names[bi], bt, <u64>(1 + this.k[bi] % this.tpls[bi]));
        this.k[bi]++;
      }
      let p = this.period[bi];
      this.next[bi] = bt + p - p / 20 + <i64>(rnd() % <u32>(p / 10 + 1));
    }
  }
}

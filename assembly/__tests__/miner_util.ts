// Helpers for the miner_*.spec.ts files: strings in and out of unmanaged memory, masked token text,
// and a miner configured from a JSON snippet.
import { ByteBuf } from "../core/byte_buf";
import { EVENTS } from "../core/events";
import { parseJson } from "../core/json_value";
import { tokenize, tokN, tokFlags, tokOff, tokLen, tokText, F_WILD } from "../miner/tokenize";
import { minerProcess, minerWriteFields, configureMiner, MinerResult } from "../miner/index";

export const T0: i64 = 1718452800000; // 2024-06-15T12:00:00Z

let lastPtr: usize = 0;
export let LAST_LEN: usize = 0;

/** UTF-8 bytes of s in fresh unmanaged memory (the previous copy is freed). */
export function mem(s: string): usize {
  let b = String.UTF8.encode(s);
  if (lastPtr) heap.free(lastPtr);
  let n = <usize>b.byteLength;
  let p = heap.alloc(n + 1);
  memory.copy(p, changetype<usize>(b), n);
  store<u8>(p + n, 0);
  lastPtr = p;
  LAST_LEN = n;
  return p;
}

export function str(p: usize, n: usize): string { return String.UTF8.decodeUnsafe(p, n); }

/** The masked tokens of s joined by single spaces. */
export function masked(s: string): string {
  let p = mem(s);
  tokenize(p, LAST_LEN, 64);
  let out = "";
  for (let i = 0; i < tokN; i++) {
    if (i > 0) out += " ";
    if ((tokFlags(i) & F_WILD) != 0) out += "<*>";
    else out += str(tokText + <usize>tokOff(i), <usize>tokLen(i));
  }
  return out;
}

const STREAM = "app";

/** Mines one line (stream "app" unless given); returns what the miner returned for it (valid
 *  until the next line). Events of this record stay in EVENTS. */
export function mined(s: string, t: i64 = T0, level: u8 = 2, stream: string = STREAM): MinerResult {
  EVENTS.reset();
  let sb = String.UTF8.encode(stream);
  let sp = heap.alloc(<usize>sb.byteLength + 1);
  memory.copy(sp, changetype<usize>(sb), <usize>sb.byteLength);
  let p = mem(s);
  let r = minerProcess(p, LAST_LEN, level, t, sp, <usize>sb.byteLength);
  heap.free(sp);
  return r;
}

/** mined(), its template slot only. */
export function mine(s: string, t: i64 = T0, level: u8 = 2, stream: string = STREAM): i32 {
  return mined(s, t, level, stream).slot;
}

const FB = new ByteBuf(1024);

/** The fields the pipeline writes for a slot. */
export function fields(slot: i32): string {
  FB.reset();
  minerWriteFields(FB, slot);
  return str(FB.ptr, FB.len);
}

export function bufText(b: ByteBuf): string { return str(b.ptr, b.len); }
export function eventsText(): string { return str(EVENTS.buf.ptr, EVENTS.buf.len); }

/** configureMiner with a JSON object text ("" = defaults); returns the error or "". */
export function configure(json: string): string {
  if (json.length == 0) { let e = configureMiner(null); return e === null ? "" : e; }
  let p = mem(json);
  let v = parseJson(p, LAST_LEN);
  if (v === null) return "bad test json";
  let e = configureMiner(v);
  return e === null ? "" : e;
}

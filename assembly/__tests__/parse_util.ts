// Test helpers for the parse_*.spec.ts files: put strings into unmanaged memory and read REC back.
import { REC } from "../core/record_view";
import { understandRecord, understandLine } from "../parse/record";
import { levelName } from "../core/levels";
import { formatName } from "../core/formats";

/** 2024-06-15T12:00:00Z, the host time used unless a test says otherwise. */
export const HOST: i64 = 1718452800000;

let lastPtr: usize = 0;
export let LAST_LEN: usize = 0;

/** Copy the UTF-8 bytes of s into fresh unmanaged memory (the previous copy is freed). */
export function mem(s: string): usize {
  let b = String.UTF8.encode(s);
  return memBytes(changetype<usize>(b), <usize>b.byteLength);
}

/** Copy raw bytes into fresh unmanaged memory, NUL-terminated like Fluent Bit's copy. */
export function memBytes(src: usize, n: usize): usize {
  if (lastPtr) heap.free(lastPtr);
  let p = heap.alloc(n + 1);
  memory.copy(p, src, n);
  store<u8>(p + n, 0);
  lastPtr = p;
  LAST_LEN = n;
  return p;
}

export function rec(s: string, host: i64 = HOST): void {
  let p = mem(s);
  understandRecord(p, LAST_LEN, host);
}

export function line(s: string, host: i64 = HOST): void {
  let p = mem(s);
  understandLine(p, LAST_LEN, host);
}

export function str(p: usize, n: usize): string { return String.UTF8.decodeUnsafe(p, n); }
export function body(): string { return str(REC.bodyPtr, REC.bodyLen); }
export function msg(): string { return str(REC.msgPtr, REC.msgLen); }
export function level(): string { return REC.level == 255 ? "unknown" : levelName(REC.level); }
export function format(): string { return formatName(REC.format); }
export function iso(ms: i64): string { return new Date(ms).toISOString(); }
export function time(): string { return iso(REC.timeMs); }
export function stream(): string { return str(REC.streamFieldPtr, REC.streamFieldLen); }
/** epoch ms of a UTC civil time (month 1-12) */
export function utc(y: i32, mo: i32, d: i32, h: i32 = 0, mi: i32 = 0, s: i32 = 0, ms: i32 = 0): i64 {
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

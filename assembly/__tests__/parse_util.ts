// Test helpers for the parse_*.spec.ts files: put strings into unmanaged memory and read back the
// RecordView that understandRecord / understandLine returned.
import { RecordView } from "../core/record_view";
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

/** The view the last rec() / line() got back (what body(), msg(), level() ... read). */
let LAST_VIEW: RecordView = changetype<RecordView>(0);

export function rec(s: string, host: i64 = HOST): RecordView {
  let p = mem(s);
  LAST_VIEW = understandRecord(p, LAST_LEN, host);
  return LAST_VIEW;
}

export function line(s: string, host: i64 = HOST): RecordView {
  let p = mem(s);
  LAST_VIEW = understandLine(p, LAST_LEN, host);
  return LAST_VIEW;
}

export function str(p: usize, n: usize): string { return String.UTF8.decodeUnsafe(p, n); }
export function body(): string { return str(LAST_VIEW.bodyPtr, LAST_VIEW.bodyLen); }
export function msg(): string { return str(LAST_VIEW.msgPtr, LAST_VIEW.msgLen); }
export function levelOf(v: RecordView): string { return v.level == 255 ? "unknown" : levelName(v.level); }
export function level(): string { return levelOf(LAST_VIEW); }
export function format(): string { return formatName(LAST_VIEW.format); }
export function iso(ms: i64): string { return new Date(ms).toISOString(); }
export function time(): string { return iso(LAST_VIEW.timeMs); }
export function stream(): string { return str(LAST_VIEW.streamFieldPtr, LAST_VIEW.streamFieldLen); }
/** epoch ms of a UTC civil time (month 1-12) */
export function utc(y: i32, mo: i32, d: i32, h: i32 = 0, mi: i32 = 0, s: i32 = 0, ms: i32 = 0): i64 {
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

// Validating JSON object scanner without recursion: nesting is tracked on an explicit bracket stack
// in an unmanaged growable buffer, so 50k-deep input costs 50 KiB of heap, not wasm stack. While it
// validates, it records the span of every top-level member (key and value) so lookups afterwards
// compare lengths and bytes without re-parsing.
import { ByteBuf } from "../core/byte_buf";
import { isDigit, isHex, skipWs, eqBytes } from "./bytes";

export const JT_NONE: u8 = 0;
export const JT_STRING: u8 = 1;
export const JT_NUMBER: u8 = 2;
export const JT_OBJECT: u8 = 3;
export const JT_ARRAY: u8 = 4;
export const JT_TRUE: u8 = 5;
export const JT_FALSE: u8 = 6;
export const JT_NULL: u8 = 7;

/** Members beyond this many are validated but not indexed (a record with more keys still passes). */
export const MAX_MEMBERS: i32 = 4096;
// member layout: keyPtr u32, keyLen u32, valPtr u32, valLen u32, kind u8, keyEsc u8, valEsc u8, pad
const MEMBER_SIZE: usize = 20;
/** The bracket stack, grown past this by one deeply nested record, is shrunk back afterwards (the
 *  member index needs no shrinking: MAX_MEMBERS bounds it). */
const KEEP_BYTES: usize = 64 * 1024;

const S_OBJ_FIRST = 0;   // after '{': key or '}'
const S_OBJ_KEY = 1;     // after ',' in an object: key
const S_COLON = 2;       // after a key: ':'
const S_VALUE = 3;       // after ':' or ',' in an array: a value
const S_ARR_FIRST = 4;   // after '[': value or ']'
const S_AFTER = 5;       // after a value: ',' or the closing bracket

/** Set by scanString: the string contained a backslash escape. */
export let STR_ESC = false;

/** Scan a JSON string whose opening quote is at i-1. Returns the position of the closing quote,
 *  or 0 if the string is invalid or unterminated. */
export function scanString(i: usize, end: usize): usize {
  let esc = false;
  while (i < end) {
    // skip 8 plain bytes at a time: no '"', no '\\', nothing below 0x20 (SWAR, not SIMD)
    while (i + 8 <= end) {
      let w = load<u64>(i);
      let q = w ^ 0x2222222222222222;
      let b = w ^ 0x5C5C5C5C5C5C5C5C;
      let t = ((q - 0x0101010101010101) & ~q) | ((b - 0x0101010101010101) & ~b) | ((w - 0x2020202020202020) & ~w);
      if (t & 0x8080808080808080) break;
      i += 8;
    }
    if (i >= end) break;
    let c = <u32>load<u8>(i);
    if (c == 0x22) { STR_ESC = esc; return i; }
    if (c == 0x5C) {
      esc = true;
      if (i + 1 >= end) return 0;
      let e = <u32>load<u8>(i + 1);
      if (e == 0x75) { // \uXXXX
        if (i + 6 > end) return 0;
        if (!isHex(<u32>load<u8>(i + 2)) || !isHex(<u32>load<u8>(i + 3)) ||
            !isHex(<u32>load<u8>(i + 4)) || !isHex(<u32>load<u8>(i + 5))) return 0;
        i += 6;
        continue;
      }
      if (e == 0x22 || e == 0x5C || e == 0x2F || e == 0x62 || e == 0x66 || e == 0x6E || e == 0x72 || e == 0x74) {
        i += 2;
        continue;
      }
      return 0;
    }
    if (c < 0x20) return 0; // raw control characters (incl. NUL) are not allowed in JSON strings
    i++;
  }
  return 0;
}

/** Scan a JSON number starting at i; returns its end or 0 if invalid. */
export function scanNumber(i: usize, end: usize): usize {
  if (i < end && load<u8>(i) == 0x2D) i++;
  if (i >= end) return 0;
  let c = <u32>load<u8>(i);
  if (c == 0x30) i++;
  else if (c - 0x31 < 9) { i++; while (i < end && isDigit(<u32>load<u8>(i))) i++; }
  else return 0;
  if (i < end && load<u8>(i) == 0x2E) {
    i++;
    if (i >= end || !isDigit(<u32>load<u8>(i))) return 0;
    while (i < end && isDigit(<u32>load<u8>(i))) i++;
  }
  if (i < end && (load<u8>(i) | 0x20) == 0x65) {
    i++;
    if (i < end && (load<u8>(i) == 0x2B || load<u8>(i) == 0x2D)) i++;
    if (i >= end || !isDigit(<u32>load<u8>(i))) return 0;
    while (i < end && isDigit(<u32>load<u8>(i))) i++;
  }
  return i;
}

function scanLiteral(i: usize, end: usize, c: u32): usize {
  // true / false / null, compared as whole words
  if (c == 0x74) {
    if (i + 4 <= end && load<u32>(i) == 0x65757274) return i + 4;
  } else if (c == 0x66) {
    if (i + 5 <= end && load<u32>(i + 1) == 0x65736C61) return i + 5;
  } else if (c == 0x6E) {
    if (i + 4 <= end && load<u32>(i) == 0x6C6C756E) return i + 4;
  }
  return 0;
}

export class ObjectScan {
  members: ByteBuf = new ByteBuf(MEMBER_SIZE * 64);
  stack: ByteBuf = new ByteBuf(256);
  /** Indexed top-level members (at most MAX_MEMBERS). */
  count: i32 = 0;
  /** Total top-level members seen (may exceed count). */
  total: i32 = 0;
  /** Absolute address of the top-level closing brace. */
  closeBrace: usize = 0;
  /** Some top-level key equals the key given to scan(). */
  keyHit: bool = false;
  /** Some indexed key contains a backslash escape (lookups then also compare unescaped keys). */
  anyKeyEsc: bool = false;

  /** Validate [p, p+len) as exactly one JSON object (surrounding whitespace allowed) and index its
   *  top-level members. `watchKey` (may be empty) is compared with every top-level key. */
  scan(p: usize, len: usize, watchPtr: usize, watchLen: usize): bool {
    this.count = 0;
    this.total = 0;
    this.keyHit = false;
    this.anyKeyEsc = false;
    this.members.reset();
    let ok = this.run(p, p + len, watchPtr, watchLen);
    if (this.stack.cap > KEEP_BYTES) { this.stack.reset(); this.stack.shrink(KEEP_BYTES); }
    return ok;
  }

  private run(p: usize, end: usize, watchPtr: usize, watchLen: usize): bool {
    let i = skipWs(p, end);
    if (i >= end || load<u8>(i) != 0x7B) return false;
    let stack = this.stack;
    stack.reset();
    stack.byte(0x7B);
    let depth: usize = 1;
    i++;
    let state = S_OBJ_FIRST;
    let keyPtr: usize = 0, keyLen: usize = 0, keyEsc = false;
    let valStart: usize = 0;
    // (if/else rather than switch: asc 0.27 drops the code after a switch whose cases `break`
    // from inside nested blocks)
    while (true) {
      i = skipWs(i, end);
      if (i >= end) return false;
      let c = <u32>load<u8>(i);
      if (state == S_OBJ_FIRST || state == S_OBJ_KEY) {
        if (!(c == 0x7D && state == S_OBJ_FIRST)) {
          if (c != 0x22) return false;
          let q = scanString(i + 1, end);
          if (!q) return false;
          if (depth == 1) {
            keyPtr = i + 1; keyLen = q - keyPtr; keyEsc = STR_ESC;
            if (watchLen && keyLen == watchLen && !keyEsc && eqBytes(keyPtr, watchPtr, keyLen)) this.keyHit = true;
          }
          i = q + 1;
          state = S_COLON;
          continue;
        }
      } else if (state == S_COLON) {
        if (c != 0x3A) return false;
        i++;
        state = S_VALUE;
        continue;
      } else if (state == S_VALUE || state == S_ARR_FIRST) {
        if (!(c == 0x5D && state == S_ARR_FIRST)) {
          if (depth == 1) valStart = i;
          if (c == 0x7B || c == 0x5B) {
            stack.byte(c);
            depth++;
            i++;
            state = c == 0x7B ? S_OBJ_FIRST : S_ARR_FIRST;
            continue;
          }
          let scalarEnd: usize = 0;
          let kind: u8 = JT_NONE;
          let vEsc = false;
          if (c == 0x22) {
            let q = scanString(i + 1, end);
            if (!q) return false;
            kind = JT_STRING; vEsc = STR_ESC;
            scalarEnd = q + 1;
          } else if (c == 0x2D || isDigit(c)) {
            scalarEnd = scanNumber(i, end);
            if (!scalarEnd) return false;
            kind = JT_NUMBER;
          } else {
            scalarEnd = scanLiteral(i, end, c);
            if (!scalarEnd) return false;
            kind = c == 0x74 ? JT_TRUE : c == 0x66 ? JT_FALSE : JT_NULL;
          }
          if (depth == 1) {
            if (kind == JT_STRING) this.addMember(keyPtr, keyLen, keyEsc, i + 1, scalarEnd - i - 2, kind, vEsc);
            else this.addMember(keyPtr, keyLen, keyEsc, i, scalarEnd - i, kind, false);
          }
          i = scalarEnd;
          state = S_AFTER;
          continue;
        }
      } else { // S_AFTER
        let top = <u32>load<u8>(stack.ptr + depth - 1);
        if (c == 0x2C) {
          i++;
          state = top == 0x7B ? S_OBJ_KEY : S_VALUE;
          continue;
        }
        if (!((c == 0x7D && top == 0x7B) || (c == 0x5D && top == 0x5B))) return false;
      }
      // c closes the innermost object or array
      depth--;
      stack.len = depth;
      i++;
      if (depth == 0) {
        this.closeBrace = i - 1;
        return skipWs(i, end) == end;
      }
      if (depth == 1) {
        let kind = load<u8>(valStart) == 0x7B ? JT_OBJECT : JT_ARRAY;
        this.addMember(keyPtr, keyLen, keyEsc, valStart, i - valStart, kind, false);
      }
      state = S_AFTER;
    }
  }

  private addMember(kp: usize, kl: usize, kesc: bool, vp: usize, vl: usize, kind: u8, vesc: bool): void {
    this.total++;
    if (this.count >= MAX_MEMBERS) return;
    let b = this.members;
    b.ensure(MEMBER_SIZE);
    let m = b.ptr + b.len;
    store<u32>(m, <u32>kp);
    store<u32>(m, <u32>kl, 4);
    store<u32>(m, <u32>vp, 8);
    store<u32>(m, <u32>vl, 12);
    store<u8>(m, kind, 16);
    store<u8>(m, <u8>kesc, 17);
    if (kesc) this.anyKeyEsc = true;
    store<u8>(m, <u8>vesc, 18);
    b.len += MEMBER_SIZE;
    this.count++;
  }

  @inline keyPtr(i: i32): usize { return <usize>load<u32>(this.members.ptr + <usize>i * MEMBER_SIZE); }
  @inline keyLen(i: i32): usize { return <usize>load<u32>(this.members.ptr + <usize>i * MEMBER_SIZE, 4); }
  @inline valPtr(i: i32): usize { return <usize>load<u32>(this.members.ptr + <usize>i * MEMBER_SIZE, 8); }
  @inline valLen(i: i32): usize { return <usize>load<u32>(this.members.ptr + <usize>i * MEMBER_SIZE, 12); }
  @inline kind(i: i32): u8 { return load<u8>(this.members.ptr + <usize>i * MEMBER_SIZE, 16); }
  @inline keyEsc(i: i32): bool { return load<u8>(this.members.ptr + <usize>i * MEMBER_SIZE, 17) != 0; }
  @inline valEsc(i: i32): bool { return load<u8>(this.members.ptr + <usize>i * MEMBER_SIZE, 18) != 0; }

  /** Index of the last member whose raw (unescaped-free) key equals [k, k+n), or -1. */
  find(k: usize, n: usize): i32 {
    let base = this.members.ptr;
    for (let i = this.count - 1; i >= 0; i--) {
      let m = base + <usize>i * MEMBER_SIZE;
      if (<usize>load<u32>(m, 4) == n && eqBytes(<usize>load<u32>(m), k, n)) return i;
    }
    return -1;
  }
}

// ---- lookups inside an already validated value (nested objects) ----

/** Result of findInObject / skipValue. */
export let FOUND_PTR: usize = 0;
export let FOUND_LEN: usize = 0;
export let FOUND_KIND: u8 = JT_NONE;
export let FOUND_ESC = false;

/** Skip one validated JSON value at i; returns its end and sets FOUND_KIND/PTR/LEN (string spans
 *  exclude the quotes). Containers are skipped with a depth counter: no recursion. */
export function skipValue(i: usize, end: usize): usize {
  let c = <u32>load<u8>(i);
  if (c == 0x22) {
    let q = scanString(i + 1, end);
    if (!q) return 0;
    FOUND_KIND = JT_STRING; FOUND_ESC = STR_ESC; FOUND_PTR = i + 1; FOUND_LEN = q - i - 1;
    return q + 1;
  }
  if (c == 0x7B || c == 0x5B) {
    let start = i;
    let depth = 0;
    while (i < end) {
      let d = <u32>load<u8>(i);
      if (d == 0x22) {
        let q = scanString(i + 1, end);
        if (!q) return 0;
        i = q + 1;
        continue;
      }
      if (d == 0x7B || d == 0x5B) depth++;
      else if (d == 0x7D || d == 0x5D) {
        depth--;
        if (depth == 0) {
          FOUND_KIND = c == 0x7B ? JT_OBJECT : JT_ARRAY; FOUND_ESC = false;
          FOUND_PTR = start; FOUND_LEN = i + 1 - start;
          return i + 1;
        }
      }
      i++;
    }
    return 0;
  }
  let e: usize;
  if (c == 0x2D || isDigit(c)) { e = scanNumber(i, end); FOUND_KIND = JT_NUMBER; }
  else { e = scanLiteral(i, end, c); FOUND_KIND = c == 0x74 ? JT_TRUE : c == 0x66 ? JT_FALSE : JT_NULL; }
  if (!e) return 0;
  FOUND_ESC = false; FOUND_PTR = i; FOUND_LEN = e - i;
  return e;
}

/** Find key [k, k+n) among the members of the validated object [obj, obj+len) (last duplicate wins).
 *  Sets FOUND_*; returns false when absent. */
export function findInObject(obj: usize, len: usize, k: usize, n: usize): bool {
  let end = obj + len;
  let i = skipWs(obj, end);
  if (i >= end || load<u8>(i) != 0x7B) return false;
  i++;
  let found = false;
  let fPtr: usize = 0, fLen: usize = 0, fKind: u8 = JT_NONE, fEsc = false;
  while (true) {
    i = skipWs(i, end);
    if (i >= end || load<u8>(i) != 0x22) break;
    let q = scanString(i + 1, end);
    if (!q) break;
    let kp = i + 1, kl = q - kp;
    i = skipWs(q + 1, end);
    if (i >= end || load<u8>(i) != 0x3A) break;
    i = skipWs(i + 1, end);
    if (i >= end) break;
    let e = skipValue(i, end);
    if (!e) break;
    if (kl == n && eqBytes(kp, k, n)) {
      found = true; fPtr = FOUND_PTR; fLen = FOUND_LEN; fKind = FOUND_KIND; fEsc = FOUND_ESC;
    }
    i = skipWs(e, end);
    if (i >= end || load<u8>(i) != 0x2C) break;
    i++;
  }
  if (found) { FOUND_PTR = fPtr; FOUND_LEN = fLen; FOUND_KIND = fKind; FOUND_ESC = fEsc; }
  return found;
}

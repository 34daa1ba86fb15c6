// Validating JSON object scanner without recursion. The top-level object is parsed by a direct
// member loop that records the span of every key and value; nested containers are validated by a
// state machine whose nesting lives on an explicit bracket stack in an unmanaged growable buffer,
// so 50k-deep input costs 50 KiB of heap, not wasm stack. Strings are skipped 8 bytes at a time.
import { ByteBuf } from "../core/byte_buf";
import { isDigit, isHex, eqBytes } from "./bytes";
import { jsonSpecialMask, nextJsonSpecial, nextJsonSpecialPadded, firstByte, eqBytesInline } from "../core/mem";
import { matchKey, matchEscaped, setMatches } from "./key_index";

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
// member layout: keyPtr u32, keyLen u32, valPtr u32, valLen u32, kind u8, keyEsc u8, valEsc u8, pad,
// then only where valEsc is set: unescaped value ptr u32 (0: none), unescaped value len u32 (a string
// value with escapes other than \uXXXX is unescaped while it is scanned, into the scanner's own buffer)
const MEMBER_SIZE: usize = 28;
/** The bracket stack, grown past this by one deeply nested record, is shrunk back afterwards (the
 *  member index needs no shrinking: MAX_MEMBERS bounds it). */
const KEEP_BYTES: usize = 64 * 1024;

const S_OBJ_FIRST = 0;   // after '{': key or '}'
const S_OBJ_KEY = 1;     // after ',' in an object: key
const S_COLON = 2;       // after a key: ':'
const S_VALUE = 3;       // after ':' or ',' in an array: a value
const S_ARR_FIRST = 4;   // after '[': value or ']'
const S_AFTER = 5;       // after a value: ',' or the closing bracket

// byte classes inside strings: 0 plain, 1 '"', 2 '\\', 3 control character (invalid raw)
const STR_CLASS = memory.data(256);
// JSON whitespace
const WS_CLASS = memory.data(256);
function initTables(): void {
  for (let c = 0; c < 0x20; c++) store<u8>(STR_CLASS + <usize>c, 3);
  store<u8>(STR_CLASS + 0x22, 1);
  store<u8>(STR_CLASS + 0x5C, 2);
  store<u8>(WS_CLASS + 0x20, 1);
  store<u8>(WS_CLASS + 0x09, 1);
  store<u8>(WS_CLASS + 0x0A, 1);
  store<u8>(WS_CLASS + 0x0D, 1);
}
initTables();

// the byte a simple escape stands for ("\n" -> 0x0A), 1 for 'u', 0 for an invalid escape
const ESC_MAP = memory.data(256);
function initEscMap(): void {
  store<u8>(ESC_MAP + 0x22, 0x22); store<u8>(ESC_MAP + 0x5C, 0x5C); store<u8>(ESC_MAP + 0x2F, 0x2F);
  store<u8>(ESC_MAP + 0x62, 0x08); store<u8>(ESC_MAP + 0x66, 0x0C); store<u8>(ESC_MAP + 0x6E, 0x0A);
  store<u8>(ESC_MAP + 0x72, 0x0D); store<u8>(ESC_MAP + 0x74, 0x09); store<u8>(ESC_MAP + 0x75, 1);
}
initEscMap();

/** Four hex digits at p. */
@inline function hex4ok(p: usize): bool {
  return isHex(<u32>load<u8>(p)) && isHex(<u32>load<u8>(p + 1)) && isHex(<u32>load<u8>(p + 2)) && isHex(<u32>load<u8>(p + 3));
}

@inline function ws(i: usize, end: usize): usize {
  while (i < end && load<u8>(<usize>load<u8>(i), WS_CLASS)) i++;
  return i;
}

/** Set by scanString: the string contained a backslash escape, and where the first one was. */
export let STR_ESC = false;
export let STR_FIRST_ESC: usize = 0;

/** valEsc() values: no escapes, escapes, or only a trailing "\n" / "\r\n" (Docker and CRI lines),
 *  which a message can drop instead of being unescaped into a copy. */
export const ESC_NONE: u8 = 0;
export const ESC_SOME: u8 = 1;
export const ESC_TRAILING_NL: u8 = 2;

/** Scan a JSON string whose opening quote is at i-1. Returns the position of the closing quote,
 *  or 0 if the string is invalid or unterminated. Sets STR_ESC. */
@inline export function scanString(i: usize, end: usize): usize {
  let esc = false;
  while (true) {
    // 8 bytes per step up to the first '"', '\\' or byte below 0x20
    while (i + 8 <= end) {
      let t = jsonSpecialMask(load<u64>(i));
      if (t) { i += firstByte(t); break; }
      i += 8;
    }
    if (i >= end) return 0;
    let k = load<u8>(<usize>load<u8>(i), STR_CLASS);
    if (k == 0) { i++; continue; }   // the last < 8 bytes go one at a time
    if (k == 1) { STR_ESC = esc; return i; }
    if (k == 3) return 0; // raw control characters (incl. NUL) are not allowed in JSON strings
    if (!esc) { esc = true; STR_FIRST_ESC = i; }
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
  return 0;
}

/** The rest of a key from q, where the eight-byte scan stopped short of its closing quote (an
 *  escape, a control byte, or the last bytes before the end of memory): byte by byte. Returns the
 *  closing quote or 0 when the string is invalid; STR_ESC: the key has an escape. */
function stringTail(q: usize, end: usize, lim: usize): usize {
  let esc = false;
  while (true) {
    if (q >= end) return 0;
    let b = <u32>load<u8>(q);
    if (b == 0x22) break;
    if (b == 0x5C) {
      esc = true;
      if (q + 1 >= end) return 0;
      let r = <u32>load<u8>(<usize>load<u8>(q + 1), ESC_MAP);
      if (r == 0) return 0;
      if (r == 1) {
        if (q + 6 > end || !hex4ok(q + 2)) return 0;
        q += 6;
      } else q += 2;
      continue;
    }
    if (b < 0x20) return 0; // raw control characters (incl. NUL) are not allowed
    q = nextJsonSpecial(q + 1, lim);
  }
  STR_ESC = esc;
  return q;
}

/** valueTail's results besides the closing quote: ESC_SOME or ESC_TRAILING_NL, the unescaped copy
 *  (0 when an escape is \uXXXX) and where the next copy goes. */
let VT_ESC: u8 = ESC_NONE;
let VT_UPTR: usize = 0;
let VT_ULEN: usize = 0;
let VT_NEXT: usize = 0;

/** The rest of a string value [vp, ...) from j, where the eight-byte scan stopped at a byte that is
 *  not its closing quote: escapes other than \uXXXX are unescaped on the way into ud (runs
 *  block-copied). Returns the closing quote or 0 when the string is invalid; sets VT_*. */
function valueTail(vp: usize, j: usize, end: usize, lim: usize, ud: usize): usize {
  // (the record scan keeps 24 bytes readable past `end`: the byte after a backslash and sixteen
  // bytes at j are read without a bounds test; an escape whose second byte lies at or past `end`
  // leaves j past it, and the next round's test fails the string)
  let run = vp, d = ud, fe: usize = 0;
  let simple = true;
  while (true) {
    if (j >= end) return 0;
    let b = <u32>load<u8>(j);
    if (b == 0x22) break;
    if (b != 0x5C) return 0;  // a control byte (the scan stops only at '"', '\\' and those)
    fe = fe ? fe : j;         // the first escape (addresses are never 0)
    let r = <u32>load<u8>(<usize>load<u8>(j + 1), ESC_MAP);
    if (r > 1) {
      memory.copy(d, run, j - run);
      d += j - run;
      store<u8>(d, <u8>r);
      d++;
      j += 2;
      run = j;
    } else {
      if (r == 0 || j + 6 > end || !hex4ok(j + 2)) return 0;
      simple = false;
      j += 6;
    }
    j = nextJsonSpecialPadded(j, lim);
  }
  VT_UPTR = 0; VT_ULEN = 0; VT_NEXT = ud; VT_ESC = ESC_NONE;
  if (fe) {
    VT_ESC = ESC_SOME;
    if ((fe + 2 == j && load<u8>(j - 1) == 0x6E) ||
        (fe + 4 == j && load<u8>(j - 3) == 0x72 && load<u8>(j - 2) == 0x5C && load<u8>(j - 1) == 0x6E)) {
      VT_ESC = ESC_TRAILING_NL;
    }
    if (simple) {
      memory.copy(d, run, j - run);
      d += j - run;
      VT_UPTR = ud; VT_ULEN = d - ud;
      VT_NEXT = d;
    }
  }
  return j;
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

/** true / false / null at i, compared as whole words; returns the end or 0. */
function scanLiteral(i: usize, end: usize, c: u32): usize {
  if (c == 0x74) {
    if (i + 4 <= end && load<u32>(i) == 0x65757274) return i + 4;
  } else if (c == 0x66) {
    if (i + 5 <= end && load<u32>(i + 1) == 0x65736C61) return i + 5;
  } else if (c == 0x6E) {
    if (i + 4 <= end && load<u32>(i) == 0x6C6C756E) return i + 4;
  }
  return 0;
}

/** End of the scalar (number or literal) starting at i with first byte c, or 0 if invalid. */
@inline function scanScalar(i: usize, end: usize, c: u32): usize {
  return (c == 0x2D || isDigit(c)) ? scanNumber(i, end) : scanLiteral(i, end, c);
}

@unmanaged   // global instances only; a managed one costs a shadow-stack spill at every use
export class ObjectScan {
  /** Every indexed key is matched against the configured keys while scanning (key_index:
   *  FOUND_MASK, keyMember; valid once ensureKeyIndex has run). */
  members: ByteBuf = new ByteBuf(MEMBER_SIZE * 64);
  /** Unescaped string values of the last scan (see mValUPtr). */
  unesc: ByteBuf = new ByteBuf(256);
  stack: ByteBuf = new ByteBuf(256);
  /** Indexed top-level members (at most MAX_MEMBERS). */
  count: i32 = 0;
  /** Total top-level members seen (may exceed count). */
  total: i32 = 0;
  /** Absolute address of the top-level closing brace. */
  closeBrace: usize = 0;
  /** Some top-level key equals the key given to scan(). */
  keyHit: bool = false;
  /** Some top-level value is an object (else a dotted key cannot resolve: no nested lookup). */
  anyObject: bool = false;

  /** Validate [p, p+len) as exactly one JSON object (surrounding whitespace allowed) and index its
   *  top-level members. The key [watchPtr, watchPtr+watchLen) (may be empty) is compared with
   *  every top-level key (keyHit). */
  @inline scan(p: usize, len: usize, watchPtr: usize, watchLen: usize): bool {
    this.keyHit = false;
    this.anyObject = false;
    // room for every member this input can hold (a member takes at least 6 bytes), capped
    let room = len / 6 + 1;
    if (room > <usize>MAX_MEMBERS) room = <usize>MAX_MEMBERS;
    let m = this.members;
    m.reset();
    m.ensure(room * MEMBER_SIZE);
    // unescaped values are never longer than the input
    let u = this.unesc;
    u.reset();
    if (u.cap > KEEP_BYTES) u.shrink(KEEP_BYTES);
    u.ensure(len);
    // run reads up to 24 bytes past the end (sixteen-byte string starts, eight-byte loads, single
    // bytes that a later test rejects): a record that ends closer to the top of linear memory
    // (rare: the allocator's last block ends before its tail header) gets a page added after it
    if (p + len > (<usize>memory.size() << 16) - 24 && memory.grow(1) < 0) return false;
    let ok = this.run(p, p + len, watchPtr, watchLen);
    if (this.stack.cap > KEEP_BYTES) { this.stack.reset(); this.stack.shrink(KEEP_BYTES); }
    return ok;
  }

  @inline private run(p: usize, end: usize, watchPtr: usize, watchLen: usize): bool {
    this.count = 0;
    this.total = 0;
    // strings go eight bytes a step up to lim, seven bytes past `end` (scan() made sure memory
    // has them; a hit at or past `end` is an unterminated string), so there is no byte-wise tail.
    // Where a position may have passed `end` by a byte or two, the byte there is read unchecked:
    // every such path fails a later test (a string then ends at or past `end`, a scalar or a
    // container checks `end` itself, a closing brace past `end` is not the last byte)
    let lim = end + 7;
    let i = p;
    if (i < end && load<u8>(i) != 0x7B) i = ws(i, end);
    if (i >= end || load<u8>(i) != 0x7B) return false;
    i++;
    if (i < end && load<u8>(<usize>load<u8>(i), WS_CLASS)) i = ws(i, end);
    if (i >= end) return false;
    let base = this.members.ptr;
    let m = base;             // the next member's entry
    let ud = this.unesc.ptr;
    let found: u64 = 0;
    let count = 0;
    let total = 0;
    if (load<u8>(i) != 0x7D) {
      while (true) {
        // key (whitespace is rare between tokens: skipped only when the expected byte is not there)
        if (load<u8>(i) != 0x22) {
          i = ws(i, end);
          if (i >= end || load<u8>(i) != 0x22) return false;
        }
        let kp = i + 1;
        let q = nextJsonSpecialPadded(kp, lim);
        if (q >= end) return false;
        let kesc = false;
        if (load<u8>(q) != 0x22) {
          // an escape, a control byte or the last bytes of memory: byte by byte (out of line)
          q = stringTail(q, end, lim);
          if (!q) return false;
          kesc = STR_ESC;
        }
        let kl = q - kp;
        if (kl == watchLen) {
          // (nested: one compare for the keys of another length, not a select chain over all tests)
          if (watchLen && !kesc && eqBytesInline(kp, watchPtr, kl)) this.keyHit = true;
        }
        i = q + 1;
        if (load<u8>(i) != 0x3A) {
          i = ws(i, end);
          if (i >= end || load<u8>(i) != 0x3A) return false;
        }
        i++;
        // value
        let c = <u32>load<u8>(i);
        if (load<u8>(<usize>c, WS_CLASS)) {
          i = ws(i, end);
          if (i >= end) return false;
          c = <u32>load<u8>(i);
        }
        let vp = i, vl: usize;
        let kind: u32;
        if (c == 0x22) {
          vp = i + 1;
          let j = nextJsonSpecialPadded(vp, lim);
          if (j >= end) return false;
          kind = JT_STRING;
          if (load<u8>(j) != 0x22) {
            // escapes (unescaped on the way into ud unless one is \uXXXX), out of line
            j = valueTail(vp, j, end, lim, ud);
            if (!j) return false;
            kind = JT_STRING | (<u32>VT_ESC << 16);
            // the unescaped copy: stored only for values with escapes (readers test valEsc first)
            if (count < MAX_MEMBERS) { store<u32>(m, <u32>VT_UPTR, 20); store<u32>(m, <u32>VT_ULEN, 24); }
            ud = VT_NEXT;
          }
          vl = j - vp;
          i = j + 1;
        } else if (c == 0x7B || c == 0x5B) {
          let e = this.skipContainer(i, end);
          if (!e) return false;
          vl = e - i;
          kind = c == 0x7B ? JT_OBJECT : JT_ARRAY;
          if (c == 0x7B) this.anyObject = true;
          i = e;
        } else {
          let e = scanScalar(i, end, c);
          if (!e) return false;
          vl = e - i;
          kind = c == 0x74 ? JT_TRUE : c == 0x66 ? JT_FALSE : c == 0x6E ? JT_NULL : JT_NUMBER;
          i = e;
        }
        total++;
        if (count < MAX_MEMBERS) {
          store<u32>(m, <u32>kp);
          store<u32>(m, <u32>kl, 4);
          store<u32>(m, <u32>vp, 8);
          store<u32>(m, <u32>vl, 12);
          store<u32>(m, kind | (<u32>kesc << 8), 16);
          if (!kesc) found |= matchKey(count, kp, kl);
          else found |= matchEscaped(count, kp, kl);
          m += MEMBER_SIZE;
          count++;
        }
        c = <u32>load<u8>(i);
        if (c == 0x2C) { i++; continue; }
        if (c == 0x7D) break;
        if (!load<u8>(<usize>c, WS_CLASS)) return false;
        i = ws(i, end);
        if (i >= end) return false;
        c = <u32>load<u8>(i);
        if (c == 0x2C) { i++; continue; }
        if (c == 0x7D) break;
        return false;
      }
    }
    setMatches(found);
    this.count = count;
    this.total = total;
    this.members.len = <usize>count * MEMBER_SIZE;
    this.closeBrace = i;
    i++;
    return i == end || ws(i, end) == end;
  }

  /** Validate the nested object or array opening at i; returns the position after its closing
   *  bracket, or 0. Iterative: nesting is kept on this.stack. */
  private skipContainer(i: usize, end: usize): usize {
    let stack = this.stack;
    stack.reset();
    let c = <u32>load<u8>(i);
    stack.byte(c);
    let depth: usize = 1;
    i++;
    let state = c == 0x7B ? S_OBJ_FIRST : S_ARR_FIRST;
    // (if/else rather than switch: asc 0.27 drops the code after a switch whose cases `break`
    // from inside nested blocks)
    while (true) {
      i = ws(i, end);
      if (i >= end) return 0;
      c = <u32>load<u8>(i);
      if (state == S_AFTER) {
        let top = <u32>load<u8>(stack.ptr + depth - 1);
        if (c == 0x2C) {
          i++;
          state = top == 0x7B ? S_OBJ_KEY : S_VALUE;
          continue;
        }
        if (!((c == 0x7D && top == 0x7B) || (c == 0x5D && top == 0x5B))) return 0;
      } else if (state == S_VALUE || state == S_ARR_FIRST) {
        if (!(c == 0x5D && state == S_ARR_FIRST)) {
          if (c == 0x7B || c == 0x5B) {
            stack.byte(c);
            depth++;
            i++;
            state = c == 0x7B ? S_OBJ_FIRST : S_ARR_FIRST;
            continue;
          }
          let e: usize;
          if (c == 0x22) {
            e = scanString(i + 1, end);
            if (!e) return 0;
            e++;
          } else {
            e = scanScalar(i, end, c);
            if (!e) return 0;
          }
          i = e;
          state = S_AFTER;
          continue;
        }
      } else if (state == S_COLON) {
        if (c != 0x3A) return 0;
        i++;
        state = S_VALUE;
        continue;
      } else { // S_OBJ_FIRST, S_OBJ_KEY
        if (!(c == 0x7D && state == S_OBJ_FIRST)) {
          if (c != 0x22) return 0;
          let q = scanString(i + 1, end);
          if (!q) return 0;
          i = q + 1;
          state = S_COLON;
          continue;
        }
      }
      // c closes the innermost object or array
      depth--;
      stack.len = depth;
      i++;
      if (depth == 0) return i;
      state = S_AFTER;
    }
    return 0;
  }

  @inline keyPtr(i: i32): usize { return <usize>load<u32>(this.members.ptr + <usize>i * MEMBER_SIZE); }
  @inline keyLen(i: i32): usize { return <usize>load<u32>(this.members.ptr + <usize>i * MEMBER_SIZE, 4); }
  @inline valPtr(i: i32): usize { return <usize>load<u32>(this.members.ptr + <usize>i * MEMBER_SIZE, 8); }
  @inline valLen(i: i32): usize { return <usize>load<u32>(this.members.ptr + <usize>i * MEMBER_SIZE, 12); }
  @inline kind(i: i32): u8 { return load<u8>(this.members.ptr + <usize>i * MEMBER_SIZE, 16); }
  @inline keyEsc(i: i32): bool { return load<u8>(this.members.ptr + <usize>i * MEMBER_SIZE, 17) != 0; }
  /** ESC_NONE, ESC_SOME or ESC_TRAILING_NL. */
  @inline valEsc(i: i32): u8 { return load<u8>(this.members.ptr + <usize>i * MEMBER_SIZE, 18); }
  /** The unescaped string value, when it has escapes and none is \uXXXX (else 0); only where
   *  valEsc(i) is set. */
  @inline valUPtr(i: i32): usize { return <usize>load<u32>(this.members.ptr + <usize>i * MEMBER_SIZE, 20); }
  @inline valULen(i: i32): usize { return <usize>load<u32>(this.members.ptr + <usize>i * MEMBER_SIZE, 24); }

  /** Index of the last member whose raw key equals [k, k+n), or -1. */
  find(k: usize, n: usize): i32 { return findMember(this.members.ptr, this.count, k, n); }
}

// ---- the member index as raw memory (hot paths pass these, not the object) ----

/** Index of the last member in [base, base + count members) whose raw key equals [k, k+n), or -1. */
export function findMember(base: usize, count: i32, k: usize, n: usize): i32 {
  for (let i = count - 1; i >= 0; i--) {
    let m = base + <usize>i * MEMBER_SIZE;
    if (<usize>load<u32>(m, 4) == n && eqBytes(<usize>load<u32>(m), k, n)) return i;
  }
  return -1;
}
/** The address of member i's entry (mValUPtr(mAddr(base, i), 0) reads member i's field). */
@inline export function mAddr(base: usize, i: i32): usize { return base + <usize>i * MEMBER_SIZE; }
@inline export function mKeyPtr(base: usize, i: i32): usize { return <usize>load<u32>(base + <usize>i * MEMBER_SIZE); }
@inline export function mKeyLen(base: usize, i: i32): usize { return <usize>load<u32>(base + <usize>i * MEMBER_SIZE, 4); }
@inline export function mValPtr(base: usize, i: i32): usize { return <usize>load<u32>(base + <usize>i * MEMBER_SIZE, 8); }
@inline export function mValLen(base: usize, i: i32): usize { return <usize>load<u32>(base + <usize>i * MEMBER_SIZE, 12); }
@inline export function mKind(base: usize, i: i32): u8 { return load<u8>(base + <usize>i * MEMBER_SIZE, 16); }
@inline export function mKeyEsc(base: usize, i: i32): bool { return load<u8>(base + <usize>i * MEMBER_SIZE, 17) != 0; }
@inline export function mValEsc(base: usize, i: i32): u8 { return load<u8>(base + <usize>i * MEMBER_SIZE, 18); }
/** The value unescaped by the scan (a string with escapes, none of them \uXXXX), else 0; only
 *  where mValEsc is set. */
@inline export function mValUPtr(base: usize, i: i32): usize { return <usize>load<u32>(base + <usize>i * MEMBER_SIZE, 20); }
@inline export function mValULen(base: usize, i: i32): usize { return <usize>load<u32>(base + <usize>i * MEMBER_SIZE, 24); }

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
  let e = scanScalar(i, end, c);
  if (!e) return 0;
  FOUND_KIND = c == 0x74 ? JT_TRUE : c == 0x66 ? JT_FALSE : c == 0x6E ? JT_NULL : JT_NUMBER;
  FOUND_ESC = false; FOUND_PTR = i; FOUND_LEN = e - i;
  return e;
}

/** Find key [k, k+n) among the members of the validated object [obj, obj+len) (last duplicate wins).
 *  Sets FOUND_*; returns false when absent. */
export function findInObject(obj: usize, len: usize, k: usize, n: usize): bool {
  let end = obj + len;
  let i = ws(obj, end);
  if (i >= end || load<u8>(i) != 0x7B) return false;
  i++;
  let found = false;
  let fPtr: usize = 0, fLen: usize = 0, fKind: u8 = JT_NONE, fEsc = false;
  while (true) {
    i = ws(i, end);
    if (i >= end || load<u8>(i) != 0x22) break;
    let q = scanString(i + 1, end);
    if (!q) break;
    let kp = i + 1, kl = q - kp;
    i = ws(q + 1, end);
    if (i >= end || load<u8>(i) != 0x3A) break;
    i = ws(i + 1, end);
    if (i >= end) break;
    let e = skipValue(i, end);
    if (!e) break;
    if (kl == n && eqBytes(kp, k, n)) {
      found = true; fPtr = FOUND_PTR; fLen = FOUND_LEN; fKind = FOUND_KIND; fEsc = FOUND_ESC;
    }
    i = ws(e, end);
    if (i >= end || load<u8>(i) != 0x2C) break;
    i++;
  }
  if (found) { FOUND_PTR = fPtr; FOUND_LEN = fLen; FOUND_KIND = fKind; FOUND_ESC = fEsc; }
  return found;
}

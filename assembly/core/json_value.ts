// A small JSON DOM for documents read once (config, baselines, snapshots). Strings are fine here;
// the per-record path never uses it. Nesting is limited to MAX_DEPTH so hostile input cannot
// exhaust the (small) wasm stack.

export const JV_NULL: u8 = 0;
export const JV_BOOL: u8 = 1;
export const JV_NUM: u8 = 2;
export const JV_STR: u8 = 3;
export const JV_ARR: u8 = 4;
export const JV_OBJ: u8 = 5;

const MAX_DEPTH = 64;

export class JV {
  kind: u8 = JV_NULL;
  b: bool = false;
  n: f64 = 0;
  s: string = "";
  arr: JV[] = [];
  keys: string[] = [];
  vals: JV[] = [];

  get(key: string): JV | null {
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] == key) return this.vals[i];
    return null;
  }

  kindName(): string {
    switch (this.kind) {
      case JV_BOOL: return "boolean";
      case JV_NUM: return "number";
      case JV_STR: return "string";
      case JV_ARR: return "array";
      case JV_OBJ: return "object";
      default: return "null";
    }
  }
}

/** Error of the last failed parseJson, with a byte offset. */
export let jsonError: string = "";

class Parser {
  p: usize;
  end: usize;
  start: usize;
  failed: bool = false;
  constructor(p: usize, end: usize) { this.p = p; this.end = end; this.start = p; }

  fail(msg: string): JV | null {
    if (!this.failed) jsonError = msg + " at byte " + (this.p - this.start).toString();
    this.failed = true;
    return null;
  }

  ws(): void {
    while (this.p < this.end) {
      let c = load<u8>(this.p);
      if (c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09) this.p++; else break;
    }
  }

  value(depth: i32): JV | null {
    if (depth > MAX_DEPTH) return this.fail("nesting deeper than " + MAX_DEPTH.toString());
    this.ws();
    if (this.p >= this.end) return this.fail("unexpected end");
    let c = load<u8>(this.p);
    let v = new JV();
    if (c == 0x7B) { // {
      this.p++;
      v.kind = JV_OBJ;
      this.ws();
      if (this.p < this.end && load<u8>(this.p) == 0x7D) { this.p++; return v; }
      while (true) {
        this.ws();
        if (this.p >= this.end || load<u8>(this.p) != 0x22) return this.fail("expected a key");
        let k = this.str();
        if (k === null) return null;
        this.ws();
        if (this.p >= this.end || load<u8>(this.p) != 0x3A) return this.fail("expected ':'");
        this.p++;
        let item = this.value(depth + 1);
        if (item === null) return null;
        v.keys.push(k); v.vals.push(item);
        this.ws();
        if (this.p >= this.end) return this.fail("unexpected end");
        c = load<u8>(this.p++);
        if (c == 0x2C) continue;
        if (c == 0x7D) return v;
        return this.fail("expected ',' or '}'");
      }
    }
    if (c == 0x5B) { // [
      this.p++;
      v.kind = JV_ARR;
      this.ws();
      if (this.p < this.end && load<u8>(this.p) == 0x5D) { this.p++; return v; }
      while (true) {
        let item = this.value(depth + 1);
        if (item === null) return null;
        v.arr.push(item);
        this.ws();
        if (this.p >= this.end) return this.fail("unexpected end");
        c = load<u8>(this.p++);
        if (c == 0x2C) continue;
        if (c == 0x5D) return v;
        return this.fail("expected ',' or ']'");
      }
    }
    if (c == 0x22) {
      let s = this.str();
      if (s === null) return null;
      v.kind = JV_STR; v.s = s;
      return v;
    }
    if (this.lit("true")) { v.kind = JV_BOOL; v.b = true; return v; }
    if (this.lit("false")) { v.kind = JV_BOOL; return v; }
    if (this.lit("null")) return v;
    // number
    let s0 = this.p;
    while (this.p < this.end) {
      c = load<u8>(this.p);
      if ((c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2B || c == 0x2E || c == 0x65 || c == 0x45) this.p++; else break;
    }
    if (this.p == s0) return this.fail("unexpected character");
    let text = String.UTF8.decodeUnsafe(s0, this.p - s0);
    let n = parseFloat(text);
    if (isNaN(n)) return this.fail("bad number");
    v.kind = JV_NUM; v.n = n;
    return v;
  }

  lit(word: string): bool {
    let n = <usize>word.length;
    if (this.p + n > this.end) return false;
    for (let i: usize = 0; i < n; i++) {
      if (<u16>load<u8>(this.p + i) != load<u16>(changetype<usize>(word) + (i << 1))) return false;
    }
    this.p += n;
    return true;
  }

  /** Reads a JSON string at p (on the opening quote). */
  str(): string | null {
    this.p++;
    let parts = "";
    let run = this.p;
    while (true) {
      if (this.p >= this.end) { this.fail("unterminated string"); return null; }
      let c = load<u8>(this.p);
      if (c == 0x22) break;
      if (c == 0x5C) {
        parts += String.UTF8.decodeUnsafe(run, this.p - run);
        this.p++;
        if (this.p >= this.end) { this.fail("unterminated string"); return null; }
        let e = load<u8>(this.p++);
        if (e == 0x6E) parts += "\n";
        else if (e == 0x74) parts += "\t";
        else if (e == 0x72) parts += "\r";
        else if (e == 0x62) parts += "\b";
        else if (e == 0x66) parts += "\f";
        else if (e == 0x75) {
          if (this.p + 4 > this.end) { this.fail("bad \\u escape"); return null; }
          let cp: i32 = 0;
          for (let i = 0; i < 4; i++) {
            let h = <i32>load<u8>(this.p++);
            let d = h >= 0x30 && h <= 0x39 ? h - 0x30 : h >= 0x61 && h <= 0x66 ? h - 0x57 : h >= 0x41 && h <= 0x46 ? h - 0x37 : -1;
            if (d < 0) { this.fail("bad \\u escape"); return null; }
            cp = (cp << 4) | d;
          }
          parts += String.fromCharCode(cp);
        } else parts += String.fromCharCode(e);
        run = this.p;
        continue;
      }
      this.p++;
    }
    parts += String.UTF8.decodeUnsafe(run, this.p - run);
    this.p++;
    return parts;
  }
}

/** Parses a whole JSON document; null on error (message in jsonError). */
export function parseJson(ptr: usize, len: usize): JV | null {
  jsonError = "";
  let ps = new Parser(ptr, ptr + len);
  let v = ps.value(0);
  if (v === null) return null;
  ps.ws();
  if (ps.p != ps.end) { ps.fail("trailing data"); return null; }
  return v;
}

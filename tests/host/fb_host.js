// A host that calls build/lad.wasm exactly as Fluent Bit's wasm filter does (see
// ../shared/docs/fluent-bit-wasm-abi.md): malloc tag and record copies (+NUL), call the filter,
// strdup the NUL-terminated result (the module owns it), free both copies. A trap drops that record
// and the same instance serves the next one; a result that is not a JSON object drops the record.
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const enc = new TextEncoder();
const dec = new TextDecoder();

export class FluentBitHost {
  /** `wrapWasi(imports)`: optional, returns the wasi_snapshot_preview1 functions to use instead
   *  (tests use it to make a host call fail). */
  static async create({ wasmPath = 'build/lad.wasm', config = null, preopens = {}, functionName = 'lad_filter', stderr, wrapWasi = null } = {}) {
    const module = await WebAssembly.compile(readFileSync(wasmPath));
    const wasi = new WASI({ version: 'preview1', returnOnExit: true, preopens, ...(stderr !== undefined ? { stderr } : {}) });
    const imports = wasi.getImportObject();
    if (wrapWasi) imports.wasi_snapshot_preview1 = wrapWasi({ ...imports.wasi_snapshot_preview1 });
    const instance = await WebAssembly.instantiate(module, imports);
    wasi.initialize(instance);
    const host = new FluentBitHost(instance, functionName);
    if (config) {
      const err = host.configure(config);
      if (err) throw new Error(`lad_configure: ${err}`);
    }
    return host;
  }

  constructor(instance, functionName) {
    this.ex = instance.exports;
    this.fn = this.ex[functionName];
    this.traps = 0;
    this.dropped = 0;
  }

  get memory() { return this.ex.memory; }

  /** A view of guest memory, re-made only when memory has grown (growth detaches old views). */
  view() {
    if (this.mem === undefined || this.mem.buffer !== this.ex.memory.buffer) this.mem = Buffer.from(this.ex.memory.buffer); // Buffer: native memchr in indexOf
    return this.mem;
  }

  /** Copies bytes into guest memory at a fresh malloc, NUL-terminated, as Fluent Bit does. */
  put(bytes) {
    const ptr = this.ex.malloc(bytes.length + 1);
    const mem = this.view();
    mem.set(bytes, ptr);
    mem[ptr + bytes.length] = 0;
    return ptr;
  }

  /** strdup of the NUL-terminated string at ptr (a copy of its bytes, found by strlen as in C). */
  cbytes(ptr) {
    const mem = this.view();
    const end = mem.indexOf(0, ptr);
    const n = (end < 0 ? mem.length : end) - ptr;
    // strdup: copy out of guest memory (into a reused host buffer; valid until the next call)
    if (this.out === undefined || this.out.length < n) this.out = Buffer.allocUnsafe(Math.max(n, 1 << 16));
    mem.copy(this.out, 0, ptr, ptr + n);
    return this.out.subarray(0, n);
  }

  cstring(ptr) { return dec.decode(this.cbytes(ptr)); }

  /** One record through the filter, as bytes in and out. Returns the output bytes (copied out of
   *  guest memory, in a host buffer reused by the next call), or null when the call trapped. */
  filterBytes(tagBytes, sec, nsec, recBytes) {
    const t = this.put(tagBytes);
    const r = this.put(recBytes);
    let out = null;
    try {
      const ret = this.fn(t, tagBytes.length, sec >>> 0, nsec >>> 0, r, recBytes.length);
      out = this.cbytes(ret);
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      this.traps++;
    }
    this.ex.free(t);
    this.ex.free(r);
    return out;
  }

  /** One record through the filter. Returns the output JSON text, or null when Fluent Bit would
   *  drop the record (trap, empty result, or a result that is not a JSON object). */
  filter(tag, sec, nsec, record, { validate = true } = {}) {
    const tagBytes = typeof tag === 'string' ? enc.encode(tag) : tag;
    const recBytes = typeof record === 'string' ? enc.encode(record) : record;
    const bytes = this.filterBytes(tagBytes, sec, nsec, recBytes);
    const out = bytes === null ? null : dec.decode(bytes);
    if (out === null || out.length === 0) { this.dropped++; return null; }
    if (validate) {
      let v;
      try { v = JSON.parse(out); } catch { this.dropped++; return null; }
      if (v === null || typeof v !== 'object' || Array.isArray(v)) { this.dropped++; return null; }
    }
    return out;
  }

  /** lad_configure with a config object or JSON text; returns null or the error message. */
  configure(config) {
    const bytes = enc.encode(typeof config === 'string' ? config : JSON.stringify(config));
    const p = this.put(bytes);
    const rc = this.ex.lad_configure(p, bytes.length);
    this.ex.free(p);
    return rc === 0 ? null : this.cstring(this.ex.lad_last_error());
  }

  /** Batch entry (Node harness path): newline-separated lines -> NDJSON text. */
  batch(tag, hostSec, text, flags = 0) {
    const tagBytes = enc.encode(tag);
    const bytes = typeof text === 'string' ? enc.encode(text) : text;
    const t = this.put(tagBytes);
    const p = this.put(bytes);
    const ret = this.ex.lad_batch(t, tagBytes.length, hostSec >>> 0, p, bytes.length, flags);
    const len = this.ex.lad_result_len();
    const out = dec.decode(new Uint8Array(this.ex.memory.buffer, ret, len));
    this.ex.free(t);
    this.ex.free(p);
    return out;
  }

  json(exportName, ...args) {
    return JSON.parse(this.cstring(this.ex[exportName](...args)));
  }
}

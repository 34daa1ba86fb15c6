// Node side of build/detect-harness.wasm: feeds generator records (with their ground-truth level
// and template) straight into the detector. The evaluation's fast path; the real path is the
// module's JS host (src/module/module.ts) with the full pipeline.
import { readFileSync } from 'node:fs';
import { LEVEL_NUM } from './gen-streams.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

function fnv64(s) {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < s.length; i++) { h ^= BigInt(s.charCodeAt(i)); h = (h * 0x100000001b3n) & 0xffffffffffffffffn; }
  return [Number(h & 0xffffffffn), Number(h >> 32n)];
}

export class DirectDetector {
  static async create({ wasmPath = 'build/detect-harness.wasm', config = {}, minerWarmupMs = 20 * 60000 } = {}) {
    const mod = await WebAssembly.compile(readFileSync(wasmPath));
    let inst;
    const imports = {
      env: {
        abort: (msg, file, line, col) => { throw new Error(`abort at ${line}:${col}`); },
        trace: () => {},
        seed: () => 42,
        'Date.now': () => 0,
      },
    };
    inst = await WebAssembly.instantiate(mod, imports);
    const d = new DirectDetector(inst.exports, minerWarmupMs);
    const err = d.configure(config);
    if (err) throw new Error(err);
    return d;
  }

  constructor(ex, minerWarmupMs) {
    this.ex = ex;
    this.ids = new Map();
    this.streams = new Map();
    this.firstMs = null;
    this.minerWarmupMs = minerWarmupMs;
    this.msgBuf = ex.h_alloc(4096);
    this.msgCap = 4096;
  }

  mem() { return new Uint8Array(this.ex.memory.buffer); }

  put(bytes) {
    const p = this.ex.h_alloc(bytes.length + 1);
    this.mem().set(bytes, p);
    return p;
  }

  out(ptr, len) { return dec.decode(new Uint8Array(this.ex.memory.buffer, ptr, len)); }

  configure(config) {
    const b = enc.encode(JSON.stringify(config));
    const p = this.put(b);
    const rc = this.ex.h_configure(p, b.length);
    this.ex.h_free(p);
    return rc ? this.out(this.ex.h_error(), this.ex.h_out_len()) : null;
  }

  /** Feeds one generator record; returns parsed events (array) or null. */
  record(rec) {
    let s = this.streams.get(rec.tag);
    if (!s) { const b = enc.encode(rec.tag); s = { p: this.put(b), n: b.length }; this.streams.set(rec.tag, s); }
    let id = this.ids.get(rec.tpl);
    let isNew = 0;
    if (this.firstMs === null) this.firstMs = rec.ms;
    if (!id) {
      id = { v: fnv64(rec.tpl), slot: this.ids.size };
      this.ids.set(rec.tpl, id);
      if (rec.ms - this.firstMs >= this.minerWarmupMs) isNew = 1;
    }
    const mb = enc.encode(rec.msg.length > 1000 ? rec.msg.slice(0, 1000) : rec.msg);
    this.mem().set(mb, this.msgBuf);
    const lv = LEVEL_NUM[rec.level] ?? 2;
    const n = this.ex.h_record(s.p, s.n, rec.ms, lv, lv >= 5 ? 1 : 0, id.slot, id.v[0] >>> 0, id.v[1] >>> 0, isNew, this.msgBuf, mb.length);
    return n ? this.events() : null;
  }

  events() {
    return JSON.parse('[' + this.out(this.ex.h_events_ptr(), this.ex.h_events_len()) + ']');
  }

  flush(ms) { return this.ex.h_flush(ms) ? this.events() : []; }

  exportBaseline() { const p = this.ex.h_baseline_export(); return this.out(p, this.ex.h_out_len()); }

  loadBaseline(text) {
    const b = enc.encode(text);
    const p = this.put(b);
    const rc = this.ex.h_baseline_load(p, b.length);
    this.ex.h_free(p);
    return rc ? this.out(this.ex.h_error(), this.ex.h_out_len()) : null;
  }

  /** Template id as the events print it (16 hex digits). */
  idHex(tpl) {
    const id = this.ids.get(tpl);
    if (!id) return null;
    return (id.v[1] >>> 0).toString(16).padStart(8, '0') + (id.v[0] >>> 0).toString(16).padStart(8, '0');
  }
}

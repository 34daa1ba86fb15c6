// The detector fed the generator's truth (level, template, "new"): the evaluation's fast path. It
// runs build/detect-harness.wasm, which is the lad module plus the truth entries (detect-harness.ts),
// through the module's one JS host (src/module/module.ts): configuration, baselines and the words of
// the contract (level numbers) are the host's and the module's, not restated here. The real path
// is the same host with build/lad.wasm's full pipeline.
import { LadModule } from '../../dist/module/module.js';
import { LEVEL_ALIAS } from './gen-streams.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

export class DirectDetector {
  static async create({ wasmPath = 'build/detect-harness.wasm', config = {}, minerWarmupMs = 20 * 60000 } = {}) {
    return new DirectDetector(await LadModule.create(wasmPath, { config }), minerWarmupMs);
  }

  constructor(mod, minerWarmupMs) {
    this.mod = mod;
    this.ex = mod.exports;
    this.ids = new Map();
    this.streams = new Map();
    this.firstMs = null;
    this.minerWarmupMs = minerWarmupMs;
    this.msgBuf = mod.alloc(4096);
    // the module's level numbers: a level's number is its index in lad_describe's list
    const levels = mod.describe().levels;
    this.levelNum = new Map(levels.map((l, i) => [l, i]));
    this.infoLevel = this.levelNum.get('info');
    this.errorLevel = this.levelNum.get('error');
  }

  mem() { return new Uint8Array(this.ex.memory.buffer); }

  put(bytes) {
    const p = this.mod.alloc(bytes.length + 1);
    this.mem().set(bytes, p);
    return p;
  }

  out(ptr, len) { return dec.decode(new Uint8Array(this.ex.memory.buffer, ptr, len)); }

  /** A template id as the miner makes one (lad_truth_id: the module's FNV-1a 64), as [lo, hi]. */
  templateId(text) {
    const b = enc.encode(text);
    const p = this.put(b);
    const h = BigInt.asUintN(64, this.ex.lad_truth_id(p, b.length));
    this.mod.release(p);
    return [Number(h & 0xffffffffn), Number(h >> 32n)];
  }

  level(name) { return this.levelNum.get(LEVEL_ALIAS[name] ?? name) ?? this.infoLevel; }

  /** Feeds one generator record; returns parsed events (array) or null. */
  record(rec) {
    let s = this.streams.get(rec.tag);
    if (!s) { const b = enc.encode(rec.tag); s = { p: this.put(b), n: b.length }; this.streams.set(rec.tag, s); }
    let id = this.ids.get(rec.tpl);
    let isNew = 0;
    if (this.firstMs === null) this.firstMs = rec.ms;
    if (!id) {
      id = { v: this.templateId(rec.tpl), slot: this.ids.size };
      this.ids.set(rec.tpl, id);
      if (rec.ms - this.firstMs >= this.minerWarmupMs) isNew = 1;
    }
    const mb = enc.encode(rec.msg.length > 1000 ? rec.msg.slice(0, 1000) : rec.msg);
    this.mem().set(mb, this.msgBuf);
    const lv = this.level(rec.level);
    const n = this.ex.lad_truth_record(s.p, s.n, rec.ms, lv, lv >= this.errorLevel ? 1 : 0, id.slot, id.v[0] >>> 0, id.v[1] >>> 0, isNew, this.msgBuf, mb.length);
    return n ? this.events() : null;
  }

  events() {
    return JSON.parse('[' + this.out(this.ex.lad_truth_events(), this.ex.lad_truth_events_len()) + ']');
  }

  flush(ms) { return this.ex.lad_truth_flush(ms) ? this.events() : []; }

  exportBaseline() { return this.mod.exportBaseline(); }

  /** Loads a baseline; null, or the module's complaint. */
  loadBaseline(text) {
    try { this.mod.loadBaseline(text); return null; } catch (e) { return e.message; }
  }

  /** Template id as the events print it (16 hex digits). */
  idHex(tpl) {
    const id = this.ids.get(tpl);
    if (!id) return null;
    return (id.v[1] >>> 0).toString(16).padStart(8, '0') + (id.v[0] >>> 0).toString(16).padStart(8, '0');
  }
}

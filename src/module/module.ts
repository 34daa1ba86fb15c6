// The lad WebAssembly module (build/lad.wasm), run through node:wasi exactly as Fluent Bit runs it.
// Detection lives only in the module: this wrapper moves bytes in and out of its linear memory.
// Memory can grow during any call, which detaches earlier views: every accessor re-reads
// memory.buffer after a call.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WASI as WASIType } from 'node:wasi';

/** Error from the module or its loading, with a message fit for one line on stderr. */
export class ModuleError extends Error {
  constructor(message: string, readonly kind: 'load' | 'config' | 'baseline' | 'trap' = 'load') {
    super(message);
  }
}

const REQUIRED = [
  'memory', 'malloc', 'free', 'lad_configure', 'lad_last_error', 'lad_batch', 'lad_result_len',
  'lad_flush', 'lad_stats', 'lad_templates', 'lad_baseline_export', 'lad_baseline_load',
] as const;

interface Exports {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(ptr: number): void;
  lad_configure(ptr: number, len: number): number;
  lad_last_error(): number;
  lad_batch(tagPtr: number, tagLen: number, hostSec: number, inPtr: number, inLen: number, flags: number): number;
  lad_result_len(): number;
  lad_flush(sec: number, flags: number): number;
  lad_stats(): number;
  lad_templates(): number;
  lad_baseline_export(): number;
  lad_baseline_load(ptr: number, len: number): number;
  lad_snapshot?(): number;
  lad_restore?(ptr: number, len: number): number;
}

/** lad_batch flags */
export const FLAG_TAG_ALL = 1;
export const FLAG_WINDOWS = 2;

/** Path of the module: $LAD_WASM, else build/lad.wasm next to dist/. */
export function defaultWasmPath(): string {
  return process.env.LAD_WASM || fileURLToPath(new URL('../../build/lad.wasm', import.meta.url));
}

let compiled: { path: string; module: WebAssembly.Module } | null = null;
let WASIClass: typeof WASIType | null = null;

async function loadWasi(): Promise<typeof WASIType> {
  if (WASIClass) return WASIClass;
  // node:wasi prints an ExperimentalWarning on Node 20; it is noise for a CLI user.
  const emit = process.emitWarning;
  process.emitWarning = ((w: string | Error, ...rest: unknown[]) => {
    const text = typeof w === 'string' ? w : w.message;
    if (/WASI/.test(text)) return;
    return (emit as (...a: unknown[]) => void).call(process, w, ...rest);
  }) as typeof process.emitWarning;
  const mod = await import('node:wasi');
  WASIClass = mod.WASI;
  return WASIClass;
}

function compile(path: string): WebAssembly.Module {
  if (compiled && compiled.path === path) return compiled.module;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new ModuleError(`cannot read the lad module '${path}': ${(e as NodeJS.ErrnoException).code ?? e} (run 'npm run build:wasm', or set LAD_WASM)`);
  }
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(bytes as unknown as BufferSource);
  } catch (e) {
    throw new ModuleError(`'${path}' is not a valid WebAssembly module: ${(e as Error).message}`);
  }
  const names = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  const missing = REQUIRED.filter((n) => !names.has(n));
  if (missing.length) {
    throw new ModuleError(`'${path}' lacks export(s) ${missing.join(', ')}: rebuild it with 'npm run build:wasm'`);
  }
  compiled = { path, module };
  return module;
}

export class LadModule {
  private x!: Exports;
  private u8!: Uint8Array;
  private buf!: Buffer;
  private tagPtr = 0;
  private tagCap = 0;
  private tagLen = 0;
  readonly path: string;
  /** Time spent inside lad_batch (the module's own work), for speed reports. */
  batchNs = 0n;

  private constructor(path: string) { this.path = path; }

  static async create(path = defaultWasmPath()): Promise<LadModule> {
    const WASI = await loadWasi();
    const module = compile(path);
    const m = new LadModule(path);
    // The module only writes diagnostics (abort messages) to its stdout/stderr: keep stdout clean
    // for NDJSON consumers by sending both to our stderr.
    const wasi = new WASI({ version: 'preview1', returnOnExit: true, stdout: 2, stderr: 2 } as ConstructorParameters<typeof WASIType>[0]);
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(module, wasi.getImportObject() as WebAssembly.Imports);
      wasi.initialize(instance);
    } catch (e) {
      throw new ModuleError(`cannot start the lad module '${path}': ${(e as Error).message}`);
    }
    m.x = instance.exports as unknown as Exports;
    m.refresh();
    return m;
  }

  /** Views over linear memory; memory growth detaches them, so call after every module call. */
  private refresh(): void {
    const b = this.x.memory.buffer;
    if (this.u8 === undefined || this.u8.buffer !== b) {
      this.u8 = new Uint8Array(b);
      this.buf = Buffer.from(b);
    }
  }

  private call<T>(name: string, f: () => T): T {
    let r: T;
    try {
      r = f();
    } catch (e) {
      throw new ModuleError(`lad module trapped in ${name}: ${(e as Error).message}`, 'trap');
    }
    this.refresh();
    return r;
  }

  /** Memory as a Buffer; valid until the next module call. */
  mem(): Buffer { return this.buf; }

  alloc(size: number): number {
    const p = this.call('malloc', () => this.x.malloc(size));
    if (!p) throw new ModuleError(`lad module could not allocate ${size} bytes`, 'trap');
    return p;
  }

  private cstr(ptr: number): string {
    if (!ptr) return '';
    let end = this.buf.indexOf(0, ptr);
    if (end < 0) end = this.buf.length;
    return this.buf.toString('utf8', ptr, end);
  }

  private lastError(): string { return this.cstr(this.call('lad_last_error', () => this.x.lad_last_error())); }

  /** Copies bytes into a fresh module allocation, calls f(ptr, len), frees it. */
  private withBytes<T>(bytes: Uint8Array, f: (ptr: number, len: number) => T): T {
    const p = this.alloc(Math.max(1, bytes.length));
    this.u8.set(bytes, p);
    try {
      return f(p, bytes.length);
    } finally {
      this.call('free', () => this.x.free(p));
    }
  }

  /** Applies a lad.json-schema config; throws ModuleError('config') naming the bad key. */
  configure(config: unknown): void {
    const bytes = Buffer.from(JSON.stringify(config ?? {}), 'utf8');
    const rc = this.withBytes(bytes, (p, n) => this.call('lad_configure', () => this.x.lad_configure(p, n)));
    if (rc !== 0) throw new ModuleError(this.lastError() || `configuration rejected (code ${rc})`, 'config');
  }

  /** Loads (adds) a baseline exported by lad_baseline_export. */
  loadBaseline(json: string | Uint8Array): void {
    const bytes = typeof json === 'string' ? Buffer.from(json, 'utf8') : json;
    const rc = this.withBytes(bytes, (p, n) => this.call('lad_baseline_load', () => this.x.lad_baseline_load(p, n)));
    if (rc !== 0) throw new ModuleError(this.lastError() || `baseline rejected (code ${rc})`, 'baseline');
  }

  exportBaseline(): string { return this.cstr(this.call('lad_baseline_export', () => this.x.lad_baseline_export())); }

  stats(): ModuleStats { return JSON.parse(this.cstr(this.call('lad_stats', () => this.x.lad_stats()))) as ModuleStats; }

  templatesJson(): string { return this.cstr(this.call('lad_templates', () => this.x.lad_templates())); }

  /** The learned templates as the filter's state file holds them (lad_snapshot). */
  snapshot(): string {
    if (!this.x.lad_snapshot) throw new ModuleError(`'${this.path}' has no lad_snapshot: rebuild it with 'npm run build:wasm'`);
    return this.cstr(this.call('lad_snapshot', () => this.x.lad_snapshot!()));
  }

  /** Restores templates from a state file's bytes; throws ModuleError('config') when unreadable
   *  (the module's state is then unchanged). */
  restore(bytes: string | Uint8Array): void {
    if (!this.x.lad_restore) throw new ModuleError(`'${this.path}' has no lad_restore: rebuild it with 'npm run build:wasm'`);
    const b = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    const rc = this.withBytes(b, (p, n) => this.call('lad_restore', () => this.x.lad_restore!(p, n)));
    if (rc !== 0) throw new ModuleError(this.lastError() || `state rejected (code ${rc})`, 'config');
  }

  release(ptr: number): void { if (ptr) this.call('free', () => this.x.free(ptr)); }

  /** Sets the tag (stream name) used by later batch calls. */
  setTag(tag: string): void {
    const bytes = Buffer.from(tag, 'utf8');
    if (bytes.length > this.tagCap) {
      if (this.tagPtr) this.call('free', () => this.x.free(this.tagPtr));
      this.tagCap = Math.max(64, bytes.length);
      this.tagPtr = this.alloc(this.tagCap);
    }
    this.u8.set(bytes, this.tagPtr);
    this.tagLen = bytes.length;
  }

  /** Analyses the complete newline-separated lines at [ptr, ptr+len) in module memory. Returns
   *  the NDJSON result's location (read it with mem() before the next module call). */
  batch(ptr: number, len: number, flags: number, hostSec = Math.floor(Date.now() / 1000)): Span {
    const t0 = process.hrtime.bigint();
    const out = this.call('lad_batch', () => this.x.lad_batch(this.tagPtr, this.tagLen, hostSec >>> 0, ptr, len, flags));
    this.batchNs += process.hrtime.bigint() - t0;
    return { ptr: out, len: this.x.lad_result_len() };
  }

  /** End of input: closes open windows at event time `sec` (0 = the module's latest time). */
  flush(sec: number, flags: number): Span {
    const ptr = this.call('lad_flush', () => this.x.lad_flush(sec >>> 0, flags));
    return { ptr, len: this.x.lad_result_len() };
  }
}

export interface Span { ptr: number; len: number }

export interface ModuleStats {
  records: number;
  /** Records whose event time came from the record or line itself. */
  timed?: number;
  ignored?: number;
  untouched?: number;
  events?: number;
  alerts?: number;
  by_level: Record<string, number>;
  by_format: Record<string, number>;
  templates: number;
  streams: number;
  config_ok?: boolean;
  /** The module's event-time clock (latest trusted event time, ms since the epoch); null before any record. */
  clock_ms?: number | null;
}

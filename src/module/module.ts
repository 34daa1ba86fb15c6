// The one JS host of the lad WebAssembly module (build/lad.wasm), run through node:wasi as Fluent
// Bit runs it: the CLI, `lad serve`, the scripts and the tests all call the module through it.
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
  'lad_windows', 'lad_windows_len', 'lad_flush', 'lad_stats', 'lad_templates', 'lad_baseline_export',
  'lad_baseline_load', 'lad_describe',
] as const;

interface Exports {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(ptr: number): void;
  lad_configure(ptr: number, len: number): number;
  lad_last_error(): number;
  lad_batch(tagPtr: number, tagLen: number, hostSec: number, inPtr: number, inLen: number, flags: number): number;
  lad_result_len(): number;
  lad_windows(): number;
  lad_windows_len(): number;
  lad_filter?(tagPtr: number, tagLen: number, sec: number, nsec: number, recPtr: number, recLen: number): number;
  lad_flush(sec: number, flags: number): number;
  lad_stats(): number;
  lad_templates(): number;
  lad_baseline_export(): number;
  lad_baseline_load(ptr: number, len: number): number;
  lad_snapshot?(): number;
  lad_describe(): number;
  lad_restore?(ptr: number, len: number): number;
}

/** lad_batch / lad_flush flags (assembly/index.ts: BATCH_TAG_ALL, BATCH_WINDOWS). */
export const FLAG_TAG_ALL = 1;
export const FLAG_WINDOWS = 2;

/** How the module's WASI instance is set up: preopened directories (Fluent Bit's accessible_paths),
 *  where its stderr goes, and (tests) a wrapper over the WASI functions it imports. */
export interface ModuleOptions {
  preopens?: Record<string, string>;
  /** File descriptor for the module's stdout and stderr (diagnostics only); default 2. */
  stderr?: number;
  wrapWasi?: (imports: Record<string, unknown>) => Record<string, unknown>;
  /** A configuration applied at once (see configure()). */
  config?: unknown;
}

const enc = new TextEncoder();

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
  private out: Buffer | null = null;
  readonly path: string;
  /** Time spent inside lad_batch (the module's own work), for speed reports. */
  batchNs = 0n;
  /** Records the Fluent Bit entry dropped: calls that trapped, and results Fluent Bit rejects. */
  traps = 0;
  dropped = 0;

  private constructor(path: string) { this.path = path; }

  static async create(path = defaultWasmPath(), opts: ModuleOptions = {}): Promise<LadModule> {
    const WASI = await loadWasi();
    const module = compile(path);
    const m = new LadModule(path);
    // The module only writes diagnostics (abort messages) to its stdout/stderr: keep stdout clean
    // for NDJSON consumers by sending both to our stderr.
    const fd = opts.stderr ?? 2;
    const wasi = new WASI({ version: 'preview1', returnOnExit: true, stdout: fd, stderr: fd, preopens: opts.preopens ?? {} } as ConstructorParameters<typeof WASIType>[0]);
    const imports = wasi.getImportObject() as Record<string, Record<string, unknown>>;
    if (opts.wrapWasi) imports.wasi_snapshot_preview1 = opts.wrapWasi({ ...imports.wasi_snapshot_preview1 });
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(module, imports as WebAssembly.Imports);
      wasi.initialize(instance);
    } catch (e) {
      throw new ModuleError(`cannot start the lad module '${path}': ${(e as Error).message}`);
    }
    m.x = instance.exports as unknown as Exports;
    m.refresh();
    if (opts.config !== undefined && opts.config !== null) m.configure(opts.config);
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

  /** The raw exports (instrumented builds' counters, tests calling an entry directly). */
  get exports(): Record<string, unknown> & { memory: WebAssembly.Memory } { return this.x as unknown as Record<string, unknown> & { memory: WebAssembly.Memory }; }

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

  /** Applies a lad.json-schema config (an object, or its JSON text as read from a file); throws
   *  ModuleError('config') naming the bad key. */
  configure(config: unknown): void {
    const bytes = Buffer.from(typeof config === 'string' ? config : JSON.stringify(config ?? {}), 'utf8');
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

  /** The module's contract in its own words (lad_describe): severities and levels in order, event
   *  types, input formats, batch flags, the configuration table and the effective configuration. */
  describe(): ModuleDescription {
    return JSON.parse(this.cstr(this.call('lad_describe', () => this.x.lad_describe()))) as ModuleDescription;
  }

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
   *  where its two channels lie (read them with view() before the next module call). */
  batch(ptr: number, len: number, flags: number, hostSec = Math.floor(Date.now() / 1000)): Output {
    const t0 = process.hrtime.bigint();
    const out = this.call('lad_batch', () => this.x.lad_batch(this.tagPtr, this.tagLen, hostSec >>> 0, ptr, len, flags));
    this.batchNs += process.hrtime.bigint() - t0;
    return this.output(out);
  }

  /** End of input: closes open windows at event time `sec` (0 = the module's latest time). */
  flush(sec: number, flags: number): Output {
    return this.output(this.call('lad_flush', () => this.x.lad_flush(sec >>> 0, flags)));
  }

  private output(ptr: number): Output {
    return { records: { ptr, len: this.x.lad_result_len() }, windows: { ptr: this.x.lad_windows(), len: this.x.lad_windows_len() } };
  }

  /** The channels of a batch or flush as views of module memory, valid until the next module call. */
  view(out: Output): OutputBytes {
    return { records: this.buf.subarray(out.records.ptr, out.records.ptr + out.records.len), windows: this.buf.subarray(out.windows.ptr, out.windows.ptr + out.windows.len) };
  }

  /** One batch of text under `tag`, copied in and out: for tests and scripts (the CLI feeds module
   *  memory directly through Feeder). */
  batchText(tag: string, input: string | Uint8Array, flags: number, hostSec?: number): { records: string; windows: string } {
    const bytes = typeof input === 'string' ? enc.encode(input) : input;
    this.setTag(tag);
    const p = this.alloc(Math.max(1, bytes.length));
    this.u8.set(bytes, p);
    try {
      const v = this.view(this.batch(p, bytes.length, flags, hostSec));
      return { records: v.records.toString('utf8'), windows: v.windows.toString('utf8') };
    } finally {
      this.release(p);
    }
  }

  // ---- Fluent Bit's per-record entry, called exactly as its wasm filter calls it (see
  // ../shared/docs/fluent-bit-wasm-abi.md): malloc NUL-terminated copies of tag and record, call,
  // strdup the NUL-terminated result (the module owns it), free both copies. A trap drops that
  // record and the same instance serves the next one. Export calls are direct (no call() wrapper):
  // benches time this path per record.

  private put(bytes: Uint8Array): number {
    const ptr = this.x.malloc(bytes.length + 1);
    this.refresh();
    this.u8.set(bytes, ptr);
    this.u8[ptr + bytes.length] = 0;
    return ptr;
  }

  /** strdup of the NUL-terminated string at ptr, into a host buffer reused by the next call. */
  private strdup(ptr: number): Buffer {
    this.refresh();
    const end = this.buf.indexOf(0, ptr);
    const n = (end < 0 ? this.buf.length : end) - ptr;
    if (this.out === null || this.out.length < n) this.out = Buffer.allocUnsafe(Math.max(n, 1 << 16));
    this.buf.copy(this.out, 0, ptr, ptr + n);
    return this.out.subarray(0, n);
  }

  /** One record through lad_filter, bytes in and out. Returns the output bytes (in a host buffer
   *  reused by the next call), or null when the call trapped. */
  filterBytes(tag: Uint8Array, sec: number, nsec: number, record: Uint8Array): Buffer | null {
    const fn = this.x.lad_filter;
    if (!fn) throw new ModuleError(`'${this.path}' has no lad_filter: rebuild it with 'npm run build:wasm'`);
    const t = this.put(tag);
    const r = this.put(record);
    let out: Buffer | null = null;
    try {
      out = this.strdup(fn(t, tag.length, sec >>> 0, nsec >>> 0, r, record.length));
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      this.traps++;
    }
    this.x.free(t);
    this.x.free(r);
    this.refresh();
    return out;
  }

  /** One record through lad_filter. Returns the output JSON text, or null when Fluent Bit would
   *  drop the record (trap, empty result, or, when validating, a result that is not a JSON object). */
  filter(tag: string | Uint8Array, sec: number, nsec: number, record: string | Uint8Array, { validate = true } = {}): string | null {
    const bytes = this.filterBytes(typeof tag === 'string' ? enc.encode(tag) : tag, sec, nsec, typeof record === 'string' ? enc.encode(record) : record);
    const out = bytes === null ? null : bytes.toString('utf8');
    if (out === null || out.length === 0) { this.dropped++; return null; }
    if (validate) {
      let v: unknown;
      try { v = JSON.parse(out); } catch { this.dropped++; return null; }
      if (v === null || typeof v !== 'object' || Array.isArray(v)) { this.dropped++; return null; }
    }
    return out;
  }
}

export interface Span { ptr: number; len: number }

export interface ModuleDescription {
  /** Lowest first: an event's rank is its index. */
  severities: string[];
  /** Record levels, lowest first: a level's number (the module's LEVEL_*) is its index. */
  levels: string[];
  event_types: string[];
  input_formats: string[];
  batch_flags: { tag_all: number; windows: number };
  /** Every configuration key (assembly/core/config_keys.ts). */
  config: ConfigKeyDescription[];
  /** Each key's value now: configured, else its default. */
  effective: Record<string, unknown>;
}

export interface ConfigKeyDescription {
  key: string;
  type: 'number' | 'integer' | 'boolean' | 'string' | 'strings' | 'choice' | 'any';
  min?: number;
  max?: number;
  choices?: string[];
  default: unknown;
  owner: 'module' | 'host';
  doc: string;
}

/** Where lad_batch / lad_flush left their two channels: the records (tagged records, or the lines
 *  carrying events) and the windows closed meanwhile (with FLAG_WINDOWS). */
export interface Output { records: Span; windows: Span }
export interface OutputBytes { records: Buffer; windows: Buffer }

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

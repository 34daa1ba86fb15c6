// Moves log bytes into the module in big batches: bytes land in one reused region of module memory
// (read there straight from the file descriptor when possible), the region is cut after its last
// newline, the complete lines go to lad_batch in one call and the partial tail moves to the front.
// JavaScript never looks at single lines here except to count newlines (memchr speed) and when a
// custom `formats:` regex must rewrite them.
import { readSync } from 'node:fs';
import type { LadModule, Output, OutputBytes } from './module.js';

/** Rewrites complete lines (custom formats); must keep one output line per input line. Returns
 *  null to leave the lines as they are (no copy). `lines` is a view of module memory. */
export interface LineTransform {
  apply(lines: Buffer): Buffer | null;
}

export interface BatchInfo {
  /** The batch's two channels (NDJSON) as views of module memory: valid only during the callback. */
  out: OutputBytes;
  /** 0-based number, within this source, of the batch's first line. */
  firstLine: number;
  /** Lines in the batch. */
  lines: number;
}

export interface FeederOptions {
  flags: number;
  /** Analyse once this many bytes are buffered (big = fewer calls; 4 MiB is plenty). */
  batchBytes?: number;
  /** A line longer than this is cut (the module copes with 8 MiB strings; memory stays bounded). */
  maxLineBytes?: number;
  transform?: LineTransform | null;
  /** Host time (seconds) for records that carry no time; default: now. */
  hostSec?: () => number;
  onBatch(info: BatchInfo): void;
}

const NL = 10;

/** Longest line analysed whole: 64 MiB, or $LAD_MAX_LINE_BYTES (at least 1 KiB). */
export function defaultMaxLine(): number {
  const v = Number(process.env.LAD_MAX_LINE_BYTES);
  return Number.isInteger(v) && v >= 1024 ? v : 64 << 20;
}

export class Feeder {
  private ptr = 0;
  private cap = 0;
  private fill = 0;
  private xptr = 0;
  private xcap = 0;
  private readonly batchBytes: number;
  private readonly maxLine: number;
  /** Lines and bytes handed to the module so far. */
  lines = 0;
  bytes = 0;
  /** Lines longer than maxLineBytes: each was cut to its first maxLineBytes; the rest (up to its
   *  newline) was skipped, cutBytes in all. */
  cutLines = 0;
  cutBytes = 0;
  private skipping = false;

  constructor(private readonly mod: LadModule, private readonly opts: FeederOptions) {
    this.maxLine = opts.maxLineBytes ?? defaultMaxLine();
    this.batchBytes = Math.min(opts.batchBytes ?? 4 << 20, this.maxLine);
    this.grow(this.batchBytes + (64 << 10));
  }

  /** Bytes waiting for their newline. */
  get pending(): number { return this.fill; }

  private grow(cap: number): void {
    if (cap <= this.cap) return;
    const p = this.mod.alloc(cap);
    if (this.fill > 0) this.mod.mem().copyWithin(p, this.ptr, this.ptr + this.fill);
    if (this.ptr) this.mod.release(this.ptr);
    this.ptr = p;
    this.cap = cap;
  }

  /** Copies a chunk in; analyses when enough is buffered. */
  push(chunk: Uint8Array): void {
    let off = 0;
    while (off < chunk.length) {
      if (this.fill === this.cap) this.makeRoom();
      const n = Math.min(chunk.length - off, this.cap - this.fill);
      this.mod.mem().set(chunk.subarray(off, off + n), this.ptr + this.fill);
      const from = this.fill;
      this.fill += n;
      off += n;
      if (this.skipping) this.dropSkipped(from);
      if (this.fill >= this.batchBytes) this.process(false);
    }
  }

  /** Reads from fd (at `position`, or the current offset when null) straight into module memory
   *  until EOF or `limit` bytes. Returns the number of bytes read. */
  readFd(fd: number, position: number | null, limit = Infinity): number {
    let total = 0;
    while (total < limit) {
      if (this.cap - this.fill < (64 << 10)) this.makeRoom();
      const want = Math.min(this.cap - this.fill, limit - total);
      const n = readSync(fd, this.mod.mem(), this.ptr + this.fill, want, position === null ? null : position + total);
      if (n <= 0) break;
      const from = this.fill;
      this.fill += n;
      total += n;
      if (this.skipping) this.dropSkipped(from);
      if (this.fill >= this.batchBytes) this.process(false);
    }
    return total;
  }

  /** Analyses every complete line now (for followers that want low latency). */
  flushLines(): void { this.process(false); }

  /** End of the source: analyses everything, a last line without newline included. */
  end(): void {
    if (this.fill > 0 && this.mod.mem()[this.ptr + this.fill - 1] !== NL) {
      if (this.fill === this.cap) this.grow(this.cap + 1);
      this.mod.mem()[this.ptr + this.fill] = NL;
      this.fill++;
    }
    this.process(false);
  }

  /** Frees the module regions. */
  close(): void {
    this.mod.release(this.ptr);
    this.mod.release(this.xptr);
    this.ptr = this.cap = this.fill = this.xptr = this.xcap = 0;
  }

  /** Region full: analyse its complete lines, or grow it for one long line (cut at maxLine). */
  private makeRoom(): void {
    const mem = this.mod.mem();
    const last = mem.subarray(this.ptr, this.ptr + this.fill).lastIndexOf(NL);
    if (last >= 0 && this.fill - (last + 1) < this.cap / 2) { this.process(false); return; }
    if (this.cap < this.maxLine + (64 << 10)) { this.grow(Math.min(this.cap * 2, this.maxLine + (64 << 10))); return; }
    // Complete lines before a long one: analyse them first, the long line then starts the region.
    if (last >= 0) { this.process(false); if (this.fill < this.cap) return; }
    // One line longer than maxLine: keep exactly its first maxLine bytes (memory stays bounded, the
    // warning's limit is the real one) and skip the rest of it, counted.
    if (this.fill > this.maxLine) { this.cutBytes += this.fill - this.maxLine; this.fill = this.maxLine; }
    if (this.fill === this.cap) this.grow(this.cap + 1);
    this.mod.mem()[this.ptr + this.fill] = NL;
    this.fill++;
    this.cutLines++;
    this.skipping = true;
    this.process(false);
  }

  /** While skipping the rest of a cut line: drops the bytes from `from` up to and including the
   *  next newline (all of them when there is none yet). */
  private dropSkipped(from: number): void {
    const mem = this.mod.mem();
    const nl = mem.subarray(this.ptr + from, this.ptr + this.fill).indexOf(NL);
    if (nl < 0) {
      this.cutBytes += this.fill - from;
      this.fill = from;
      return;
    }
    this.cutBytes += nl;
    mem.copyWithin(this.ptr + from, this.ptr + from + nl + 1, this.ptr + this.fill);
    this.fill -= nl + 1;
    this.skipping = false;
  }

  private process(_final: boolean): void {
    let mem = this.mod.mem();
    const region = mem.subarray(this.ptr, this.ptr + this.fill);
    const cut = region.lastIndexOf(NL) + 1;
    if (cut === 0) return;
    let n = 0;
    for (let i = region.indexOf(NL); i >= 0 && i < cut; i = region.indexOf(NL, i + 1)) n++;
    const hostSec = this.opts.hostSec ? this.opts.hostSec() : Math.floor(Date.now() / 1000);
    let span: Output;
    const out = this.opts.transform ? this.opts.transform.apply(region.subarray(0, cut)) : null;
    if (out) {
      if (out.length > this.xcap) {
        if (this.xptr) this.mod.release(this.xptr);
        this.xcap = Math.max(out.length, this.xcap * 2);
        this.xptr = this.mod.alloc(this.xcap);
      }
      this.mod.mem().set(out, this.xptr);
      span = this.mod.batch(this.xptr, out.length, this.opts.flags, hostSec);
    } else {
      span = this.mod.batch(this.ptr, cut, this.opts.flags, hostSec);
    }
    this.opts.onBatch({ out: this.mod.view(span), firstLine: this.lines, lines: n });
    this.lines += n;
    this.bytes += cut;
    mem = this.mod.mem();
    if (cut < this.fill) mem.copyWithin(this.ptr, this.ptr + cut, this.ptr + this.fill);
    this.fill -= cut;
  }
}

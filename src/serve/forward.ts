// Where tagged records go: a TCP peer (e.g. Vector's `socket` source) or stdout. Records wait in a
// FIFO queue; a chunk leaves the queue when it is handed to the socket and is counted as forwarded
// only when the write completes. A connection that breaks puts its uncompleted writes back at the
// front of the queue (no loss, no reordering) and the forwarder reconnects with exponential backoff
// and jitter. The caller bounds the queue: it stops reading its inputs while pendingBytes() is
// over its limit.
import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { Writable } from 'node:stream';
import { formatHostPort, type HostPort } from './address.js';

export interface Chunk {
  buf: Buffer;
  records: number;
  /** Called once the chunk's write completed (e.g. to delete a replayed spool file). */
  done?: () => void;
}

export interface DownstreamOptions {
  log: (line: string) => void;
  /** Bytes handed to the socket at once before waiting for 'drain'. */
  writeHighWater?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
}

export abstract class Downstream extends EventEmitter {
  protected q: Chunk[] = [];
  protected qBytes = 0;
  protected inflight: Chunk[] = [];
  protected inflightBytes = 0;
  protected gen = 0;
  protected closing = false;
  /** Records and bytes whose write completed. */
  forwardedRecords = 0;
  forwardedBytes = 0;
  abstract readonly label: string;

  constructor(protected readonly opts: DownstreamOptions) { super(); }

  abstract start(): void;
  abstract connected(): boolean;
  /** Flushes until the deadline, then closes. Resolves with the chunks not delivered (in order). */
  abstract close(deadline: number): Promise<Chunk[]>;
  protected abstract target(): Writable | null;

  pendingBytes(): number { return this.qBytes + this.inflightBytes; }
  pendingRecords(): number {
    let n = 0;
    for (const c of this.inflight) n += c.records;
    for (const c of this.q) n += c.records;
    return n;
  }

  enqueue(c: Chunk): void {
    if (c.buf.length === 0) { c.done?.(); return; }
    this.q.push(c);
    this.qBytes += c.buf.length;
    this.pump();
  }

  /** Takes a chunk back if it is still queued (not handed to the connection yet). */
  withdraw(c: Chunk): boolean {
    const i = this.q.indexOf(c);
    if (i < 0) return false;
    this.q.splice(i, 1);
    this.qBytes -= c.buf.length;
    this.emit('progress');
    return true;
  }

  /** Puts chunks at the front of the queue (e.g. a spool from the previous run). */
  prepend(chunks: Chunk[]): void {
    for (let i = chunks.length - 1; i >= 0; i--) {
      this.q.unshift(chunks[i]);
      this.qBytes += chunks[i].buf.length;
    }
    this.pump();
  }

  protected pump(): void {
    const w = this.target();
    if (!w) return;
    const hw = this.opts.writeHighWater ?? (1 << 20);
    const gen = this.gen;
    while (this.q.length && w.writableLength < hw) {
      const c = this.q.shift()!;
      this.qBytes -= c.buf.length;
      this.inflight.push(c);
      this.inflightBytes += c.buf.length;
      w.write(c.buf, (err) => this.written(gen, err));
    }
  }

  private written(gen: number, err: Error | null | undefined): void {
    if (gen !== this.gen || err) return; // a broken connection requeues its writes
    const c = this.inflight.shift();
    if (!c) return;
    this.inflightBytes -= c.buf.length;
    this.forwardedRecords += c.records;
    this.forwardedBytes += c.buf.length;
    try { c.done?.(); } catch { /* a callback must not break forwarding */ }
    this.emit('progress');
    if (this.pendingBytes() === 0) this.emit('idle');
    else this.pump();
  }

  /** The connection broke: uncompleted writes go back to the front, in order. */
  protected requeueInflight(): void {
    this.gen++;
    if (this.inflight.length) {
      this.q = this.inflight.concat(this.q);
      this.qBytes += this.inflightBytes;
      this.inflight = [];
      this.inflightBytes = 0;
    }
  }

  /** Resolves when nothing is pending, or at the deadline (false). */
  protected waitIdle(deadline: number): Promise<boolean> {
    if (this.pendingBytes() === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.off('idle', onIdle); resolve(this.pendingBytes() === 0); }, Math.max(0, deadline - Date.now()));
      const onIdle = () => { clearTimeout(t); resolve(true); };
      this.once('idle', onIdle);
    });
  }

  protected takeAll(): Chunk[] {
    this.requeueInflight();
    const rest = this.q;
    this.q = [];
    this.qBytes = 0;
    return rest;
  }
}

/** Newline-delimited records over TCP to HOST:PORT, reconnecting with backoff. */
export class TcpDownstream extends Downstream {
  readonly label: string;
  private sock: net.Socket | null = null;
  private connecting = false;
  private failures = 0;
  private downSince = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private lastError = '';
  private ending = false;
  reconnects = 0;
  connectFailures = 0;

  constructor(private readonly addr: HostPort, opts: DownstreamOptions) {
    super(opts);
    this.label = `tcp://${formatHostPort(addr)}`;
  }

  start(): void { this.connect(); }
  connected(): boolean { return this.sock !== null; }
  protected target(): Writable | null { return this.sock; }

  private connect(): void {
    if (this.connecting || this.sock) return;
    this.connecting = true;
    const s = net.connect({ host: this.addr.host, port: this.addr.port });
    let up = false;
    s.on('connect', () => {
      this.connecting = false;
      up = true;
      s.setNoDelay(true);
      s.setKeepAlive(true, 30_000);
      this.sock = s;
      if (this.failures > 0) {
        this.reconnects++;
        const secs = ((Date.now() - this.downSince) / 1000).toFixed(1);
        this.opts.log(`forward ${this.label}: connected after ${secs} s down; sending ${this.pendingRecords()} held records`);
      }
      this.failures = 0;
      this.emit('up');
      this.pump();
    });
    s.on('drain', () => this.pump());
    s.on('data', () => { /* the peer has nothing to say; reading keeps the socket healthy */ });
    s.on('error', (e: NodeJS.ErrnoException) => { this.lastError = e.code ?? e.message; });
    s.on('close', () => {
      this.connecting = false;
      if (up) this.sock = null;
      this.requeueInflight();
      if (this.ending) return;
      if (!up) this.connectFailures++;
      if (this.failures === 0) {
        this.downSince = Date.now();
        this.opts.log(`forward ${this.label}: ${up ? 'connection lost' : 'cannot connect'}${this.lastError ? ` (${this.lastError})` : ''}; holding records and retrying`);
      }
      this.failures++;
      this.lastError = '';
      this.emit('down');
      this.scheduleRetry();
    });
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    const initial = this.opts.backoffInitialMs ?? 100;
    const max = this.opts.backoffMaxMs ?? 5000;
    const ceiling = Math.min(max, initial * 2 ** Math.min(20, this.failures - 1));
    const delay = ceiling / 2 + Math.random() * ceiling / 2;
    this.retryTimer = setTimeout(() => { this.retryTimer = null; this.connect(); }, delay);
  }

  async close(deadline: number): Promise<Chunk[]> {
    this.closing = true;
    // Keep reconnecting (the retry timer runs on) until everything is delivered or time is up.
    await this.waitIdle(deadline);
    if (this.retryTimer) { clearTimeout(this.retryTimer); this.retryTimer = null; }
    const s = this.sock;
    if (s) {
      // FIN after the last byte; wait for the peer to close its side so it has read everything.
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => { s.destroy(); resolve(); }, Math.max(100, deadline - Date.now()));
        s.once('close', () => { clearTimeout(t); resolve(); });
        this.ending = true;
        s.end();
      });
    }
    this.sock = null;
    return this.takeAll();
  }
}

/** Tagged records to stdout (for pipes and debugging). */
export class StdoutDownstream extends Downstream {
  readonly label = 'stdout';
  private out: Writable = process.stdout;
  private broken = false;

  start(): void {
    this.out.on('drain', () => this.pump());
    this.out.on('error', (e: NodeJS.ErrnoException) => {
      if (!this.broken) this.opts.log(`forward stdout: ${e.code ?? e.message}; records are kept for the spool`);
      this.broken = true;
      this.requeueInflight();
    });
  }
  connected(): boolean { return !this.broken; }
  protected target(): Writable | null { return this.broken ? null : this.out; }

  async close(deadline: number): Promise<Chunk[]> {
    this.closing = true;
    await this.waitIdle(deadline);
    return this.takeAll();
  }
}

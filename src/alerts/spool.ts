/// <reference types="node" />
// Bounded on-disk spool of one sink: append-only NDJSON segments plus a cursor of what was
// delivered. Every accepted alert is written (and fsync'd) before it is sent, so it survives an
// outage, a restart and a crash; delivery is at-least-once and receivers dedupe by id.
//
//   <dir>/seg-000000000007.ndjson   {"id":..,"at":..,"body":..}\n ...   (never appended after restart)
//   <dir>/cursor.json               {"seg":7,"off":1234}: everything before it was delivered
//   <dir>/dead.ndjson               alerts given up on (permanent errors / max_attempts)
//   <dir>/delivered.ids             ids of the last DELIVERED_KEEP delivered alerts (one a line)
//
// An alert whose id is queued already, or among the recently delivered ids, is not queued again
// (ids are derived from the alert: the same alert found by a second run is the same id).
//   <dir>/lock                      pid of the owning process
//   <dir>/sink.json                 sink type and redacted URL, for humans
import { promises as fsp } from 'node:fs';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SpoolEntry {
  id: string;
  at: string;
  body: unknown;
  /** segment number and byte offset just past this entry's line */
  seg: number;
  end: number;
  attempts: number;
}

interface Segment {
  n: number;
  size: number;
}

const SEG_RE = /^seg-(\d{12})\.ndjson$/;
const DEAD_MAX_BYTES = 4 * 1024 * 1024;
/** Delivered ids remembered (memory and delivered.ids) to drop an alert found again. */
const DELIVERED_KEEP = 10000;

function segName(n: number): string {
  return `seg-${String(n).padStart(12, '0')}.ndjson`;
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes `<dir>/lock` if free or stale. */
function tryLock(dir: string): boolean {
  const lock = path.join(dir, 'lock');
  for (let i = 0; i < 2; i++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let pid = 0;
      try { pid = parseInt(fs.readFileSync(lock, 'utf8'), 10); } catch { /* vanished */ }
      if (pid === process.pid) return false; // another Alerter of this process owns it
      if (pidAlive(pid)) return false;
      try { fs.unlinkSync(lock); } catch { /* raced */ }
    }
  }
  return false;
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  } catch { /* not supported everywhere */ }
}

/** Reads the undelivered entries of a spool directory (segments after the cursor). */
function readEntries(dir: string, log: (s: string) => void): { entries: SpoolEntry[]; segs: Segment[] } {
  let cursor = { seg: 0, off: 0 };
  try {
    const c = JSON.parse(fs.readFileSync(path.join(dir, 'cursor.json'), 'utf8'));
    if (Number.isInteger(c.seg) && Number.isInteger(c.off)) cursor = c;
  } catch { /* no cursor yet: nothing delivered */ }
  const segs: Segment[] = [];
  for (const f of fs.readdirSync(dir)) {
    const m = SEG_RE.exec(f);
    if (m) segs.push({ n: parseInt(m[1], 10), size: fs.statSync(path.join(dir, f)).size });
  }
  segs.sort((a, b) => a.n - b.n);
  const entries: SpoolEntry[] = [];
  const kept: Segment[] = [];
  for (const s of segs) {
    const file = path.join(dir, segName(s.n));
    if (s.n < cursor.seg || (s.n === cursor.seg && cursor.off >= s.size)) {
      fs.rmSync(file, { force: true }); // fully delivered
      continue;
    }
    const buf = fs.readFileSync(file);
    let pos = s.n === cursor.seg ? cursor.off : 0;
    const before = entries.length;
    while (pos < buf.length) {
      const nl = buf.indexOf(0x0a, pos);
      if (nl < 0) {
        log(`spool ${file}: ignoring a truncated last line (${buf.length - pos} bytes; interrupted write)`);
        break;
      }
      const line = buf.subarray(pos, nl).toString('utf8');
      pos = nl + 1;
      try {
        const o = JSON.parse(line);
        if (typeof o.id === 'string') entries.push({ id: o.id, at: o.at, body: o.body, seg: s.n, end: pos, attempts: 0 });
      } catch {
        log(`spool ${file}: skipping a corrupt line ending at byte ${pos}`);
      }
    }
    if (entries.length === before) {
      fs.rmSync(file, { force: true }); // nothing undelivered in it
      continue;
    }
    // Its effective end is the last complete entry, so acking that entry retires the segment.
    kept.push({ n: s.n, size: entries[entries.length - 1].end });
  }
  return { entries, segs: kept };
}

/** One process 'exit' hook for all open spools (not one listener each). */
const openSpools = new Set<() => void>();
function flushAllOnExit(): void {
  for (const f of openSpools) f();
}

export class Spool {
  readonly dir: string;
  private maxBytes: number;
  private segMax: number;
  private log: (s: string) => void;
  private segs: Segment[] = [];
  private cur: Segment | null = null;
  private fd: number | null = null;
  /** durable, undelivered, in order */
  readonly queue: SpoolEntry[] = [];
  /** accepted, not yet written */
  private pending: { id: string; at: string; body: unknown; line: Buffer }[] = [];
  private writing: Promise<void> | null = null;
  private cursor = { seg: 0, off: 0 };
  private cursorDirty = false;
  private cursorWriting: Promise<void> | null = null;
  onDurable: () => void = () => {};
  /** Safety net for a process that exits without close(): write what is buffered. */
  private onExit = (): void => { try { this.flushSync(); } catch { /* exiting */ } };
  dropped = 0;
  deadLettered = 0;
  duplicates = 0;
  /** ids queued or waiting to be written */
  private known = new Set<string>();
  /** recently delivered ids, oldest first */
  private delivered = new Set<string>();
  private deliveredLines = 0;

  private constructor(dir: string, maxBytes: number, log: (s: string) => void) {
    this.dir = dir;
    this.maxBytes = Math.max(4096, maxBytes);
    // Small enough that dropping the oldest segment loses little, big enough to batch.
    this.segMax = Math.min(1024 * 1024, Math.max(1024, Math.floor(this.maxBytes / 8)));
    this.log = log;
  }

  /** Opens (and locks) the spool of a sink under `root/key`, replaying what a previous run left,
   *  and adopting `root/key.*` spools of processes that are gone. */
  static open(root: string, key: string, meta: object, maxBytes: number, log: (s: string) => void): Spool {
    fs.mkdirSync(root, { recursive: true });
    let dir = path.join(root, key);
    fs.mkdirSync(dir, { recursive: true });
    if (!tryLock(dir)) {
      // A live process (another `lad watch`) owns the main spool: work beside it; a later run adopts ours.
      dir = path.join(root, `${key}.${process.pid}.${Date.now().toString(36)}`);
      fs.mkdirSync(dir, { recursive: true });
      if (!tryLock(dir)) throw new Error(`cannot lock alert spool ${dir}`);
      log(`spool ${path.join(root, key)} is in use by another process; using ${dir}`);
    }
    fs.writeFileSync(path.join(dir, 'sink.json'), JSON.stringify(meta) + '\n');
    const sp = new Spool(dir, maxBytes, log);
    const { entries, segs } = readEntries(dir, log);
    sp.segs = segs;
    const first = segs[0];
    try {
      const c = JSON.parse(fs.readFileSync(path.join(dir, 'cursor.json'), 'utf8'));
      if (first && c.seg === first.n) sp.cursor = c;
    } catch { /* none */ }
    if (first && sp.cursor.seg !== first.n) sp.cursor = { seg: first.n, off: 0 };
    sp.loadDelivered();
    for (const e of entries) {
      if (sp.known.has(e.id) || sp.delivered.has(e.id)) { sp.duplicates++; continue; }
      sp.known.add(e.id);
      sp.queue.push(e);
    }
    // Orphans: sibling spools of dead processes.
    const adopted: SpoolEntry[] = [];
    for (const f of fs.readdirSync(root)) {
      const other = path.join(root, f);
      if (other === dir || !(f === key || f.startsWith(key + '.'))) continue;
      if (!tryLock(other)) continue;
      const got = readEntries(other, log);
      adopted.push(...got.entries);
      if (got.entries.length) log(`spool: adopting ${got.entries.length} undelivered alerts from ${other}`);
      if (f === key) {
        // The main spool became free while we set up beside it: keep it, just release it.
        fs.rmSync(path.join(other, 'lock'), { force: true });
        if (got.entries.length) {
          for (const s of got.segs) fs.rmSync(path.join(other, segName(s.n)), { force: true });
          fs.rmSync(path.join(other, 'cursor.json'), { force: true });
        }
      } else {
        const dead = path.join(other, 'dead.ndjson');
        if (fs.existsSync(dead)) fs.appendFileSync(path.join(dir, 'dead.ndjson'), fs.readFileSync(dead));
        fs.rmSync(other, { recursive: true, force: true });
      }
    }
    sp.startSegment();
    openSpools.add(sp.onExit);
    if (openSpools.size === 1) process.on('exit', flushAllOnExit);
    if (sp.queue.length) log(`spool ${dir}: ${sp.queue.length} undelivered alerts from a previous run will be sent first`);
    if (adopted.length) {
      for (const e of adopted) sp.append(e.id, e.at, e.body);
      sp.flushSync();
    }
    return sp;
  }

  private startSegment(): void {
    if (this.fd !== null) { fs.closeSync(this.fd); this.fd = null; }
    const n = (this.segs.length ? this.segs[this.segs.length - 1].n : 0) + 1;
    this.fd = fs.openSync(path.join(this.dir, segName(n)), 'a');
    this.cur = { n, size: 0 };
    this.segs.push(this.cur);
    fsyncDir(this.dir);
    if (this.segs.length === 1) this.cursor = { seg: n, off: 0 };
  }

  private loadDelivered(): void {
    let text = '';
    try { text = fs.readFileSync(path.join(this.dir, 'delivered.ids'), 'utf8'); } catch { return; }
    const ids = text.split('\n').filter((x) => x.length > 0 && x.length < 200);
    for (const id of ids.slice(-DELIVERED_KEEP)) this.delivered.add(id);
    this.deliveredLines = ids.length;
  }

  private noteDelivered(id: string): void {
    this.delivered.delete(id);
    this.delivered.add(id);
    if (this.delivered.size > DELIVERED_KEEP) this.delivered.delete(this.delivered.keys().next().value!);
    const file = path.join(this.dir, 'delivered.ids');
    try {
      if (this.deliveredLines >= 2 * DELIVERED_KEEP) {
        fs.writeFileSync(file + '.tmp', [...this.delivered].join('\n') + '\n');
        fs.renameSync(file + '.tmp', file);
        this.deliveredLines = this.delivered.size;
      } else {
        fs.appendFileSync(file, id + '\n');
        this.deliveredLines++;
      }
    } catch { /* best effort: at worst a re-found alert is sent again (receivers dedupe by id) */ }
  }

  /** Buffers an alert; the write + fsync happens in the next batch (see flush). Returns false (and
   *  queues nothing) when the same id is queued already or was delivered recently. */
  append(id: string, at: string, body: unknown): boolean {
    if (this.known.has(id) || this.delivered.has(id)) { this.duplicates++; return false; }
    this.known.add(id);
    const line = Buffer.from(JSON.stringify({ id, at, body }) + '\n', 'utf8');
    this.pending.push({ id, at, body, line });
    if (!this.writing) {
      this.writing = new Promise<void>((resolve) => setImmediate(() => {
        try { this.flushSync(); } catch (e) { this.log(`spool ${this.dir}: write failed: ${(e as Error).message}`); }
        this.writing = null;
        resolve();
      }));
    }
    return true;
  }

  /** Waits until every appended alert is on disk. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** One write + one fsync for the whole batch. */
  private flushSync(): void {
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    if (this.cur!.size >= this.segMax) this.startSegment();
    const buf = Buffer.concat(batch.map((b) => b.line));
    try {
      let off = 0;
      while (off < buf.length) off += fs.writeSync(this.fd!, buf, off);
      fs.fsyncSync(this.fd!);
    } catch (e) {
      // Disk full or similar: keep the batch in memory so it is still delivered in this run.
      this.log(`spool ${this.dir}: cannot write ${batch.length} alerts to disk (${(e as Error).message}); they are kept in memory only`);
      for (const b of batch) this.queue.push({ id: b.id, at: b.at, body: b.body, seg: -1, end: 0, attempts: 0 });
      this.onDurable();
      return;
    }
    let pos = this.cur!.size;
    for (const b of batch) {
      pos += b.line.length;
      this.queue.push({ id: b.id, at: b.at, body: b.body, seg: this.cur!.n, end: pos, attempts: 0 });
    }
    this.cur!.size = pos;
    this.enforceLimit();
    this.onDurable();
  }

  private totalBytes(): number {
    let t = 0;
    for (const s of this.segs) t += s.size;
    return t;
  }

  /** Drops whole oldest segments (never the one being written) while over the bound. */
  private enforceLimit(): void {
    let total = this.totalBytes();
    if (total <= this.maxBytes) return;
    if (this.segs.length === 1 && this.cur!.size > 0) { this.startSegment(); }
    while (total > this.maxBytes && this.segs.length > 1) {
      const s = this.segs.shift()!;
      total -= s.size;
      fs.rmSync(path.join(this.dir, segName(s.n)), { force: true });
      // The head entry may be in flight; it stays referenced by the sender but is off the queue.
      let lost = 0, firstAt = '', lastAt = '';
      for (let i = this.queue.length - 1; i >= 0; i--) {
        if (this.queue[i].seg === s.n) {
          lost++;
          if (!lastAt) lastAt = this.queue[i].at;
          firstAt = this.queue[i].at;
          this.known.delete(this.queue[i].id);
          this.queue.splice(i, 1);
        }
      }
      this.dropped += lost;
      this.cursor = { seg: this.segs[0].n, off: 0 };
      this.cursorDirty = true;
      if (lost) {
        this.log(`spool ${this.dir} over spool_max_bytes (${this.maxBytes} bytes): dropped the ${lost} oldest undelivered alerts (queued ${firstAt} .. ${lastAt})`);
      }
    }
    void this.writeCursor();
  }

  /** Marks the head entry delivered (or dead-lettered). */
  ack(e: SpoolEntry, delivered = true): void {
    const i = this.queue.indexOf(e);
    if (i >= 0) this.queue.splice(i, 1);
    this.known.delete(e.id);
    if (delivered) this.noteDelivered(e.id);
    if (e.seg < 0 || e.seg < this.cursor.seg) return; // memory-only, or its segment was dropped
    this.cursor = { seg: e.seg, off: e.end };
    const s = this.segs.find((x) => x.n === e.seg);
    if (s && s !== this.cur && e.end >= s.size) {
      // Finished an old segment: delete it and move the cursor to the next one.
      fs.rmSync(path.join(this.dir, segName(s.n)), { force: true });
      this.segs.splice(this.segs.indexOf(s), 1);
      this.cursor = { seg: this.segs[0].n, off: 0 };
    }
    this.cursorDirty = true;
    void this.writeCursor();
  }

  deadLetter(e: SpoolEntry, reason: string): void {
    const file = path.join(this.dir, 'dead.ndjson');
    try {
      let size = 0;
      try { size = fs.statSync(file).size; } catch { /* none */ }
      if (size < DEAD_MAX_BYTES) {
        fs.appendFileSync(file, JSON.stringify({ id: e.id, at: e.at, reason, body: e.body }) + '\n');
      } else {
        this.log(`spool ${this.dir}: dead-letter file is full (${DEAD_MAX_BYTES} bytes); alert ${e.id} is discarded`);
      }
    } catch { /* best effort; already logged by the caller */ }
    this.deadLettered++;
    this.ack(e, false);
  }

  /** Writes the cursor atomically (tmp + fsync + rename); coalesces bursts of acks. */
  private writeCursor(): Promise<void> {
    if (this.cursorWriting) return this.cursorWriting;
    this.cursorWriting = (async () => {
      while (this.cursorDirty) {
        this.cursorDirty = false;
        const tmp = path.join(this.dir, 'cursor.json.tmp');
        const data = JSON.stringify(this.cursor) + '\n';
        try {
          const fh = await fsp.open(tmp, 'w');
          try { await fh.writeFile(data); await fh.sync(); } finally { await fh.close(); }
          await fsp.rename(tmp, path.join(this.dir, 'cursor.json'));
        } catch (err) {
          this.log(`spool ${this.dir}: cannot save delivery cursor (${(err as Error).message}); some alerts may be sent twice`);
        }
      }
      this.cursorWriting = null;
    })();
    return this.cursorWriting;
  }

  async close(): Promise<void> {
    await this.flush();
    this.flushSync();
    openSpools.delete(this.onExit);
    if (openSpools.size === 0) process.off('exit', flushAllOnExit);
    while (this.cursorWriting) await this.cursorWriting;
    if (this.cursorDirty) await this.writeCursor();
    if (this.fd !== null) { fs.closeSync(this.fd); this.fd = null; }
    // Leave no empty segment behind.
    if (this.cur && this.cur.size === 0) {
      fs.rmSync(path.join(this.dir, segName(this.cur.n)), { force: true });
      this.segs.splice(this.segs.indexOf(this.cur), 1);
    }
    // Nothing left: the cursor is meaningless for the next run.
    if (!this.queue.length && this.segs.every((s) => s.n < this.cursor.seg || (s.n === this.cursor.seg && this.cursor.off >= s.size))) {
      for (const s of this.segs) fs.rmSync(path.join(this.dir, segName(s.n)), { force: true });
      fs.rmSync(path.join(this.dir, 'cursor.json'), { force: true });
    }
    fs.rmSync(path.join(this.dir, 'lock'), { force: true });
    // A per-process side spool with nothing left is removed entirely.
    if (path.basename(this.dir).includes('.') && !this.queue.length && !fs.existsSync(path.join(this.dir, 'dead.ndjson'))) {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

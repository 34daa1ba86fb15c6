// `tail -F` for one path: follows appends, rename rotation (drains the old file, then reads the new
// one from its start), copytruncate (also when the file has grown back past our offset, caught by
// comparing the bytes just before our offset) and files that appear later. A line is handed to the
// module once complete; a last line without newline is handed over when its file is rotated away
// or at the end. Resuming from a saved position whose file was renamed away while we were down
// (rename rotation), the renamed file is found among its siblings (NAME.1, NAME-20240312, ... in
// the same directory, same inode and device) and finished before the new file is read.
import { openSync, closeSync, fstatSync, statSync, readSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Feeder } from '../module/feeder.js';

const SIG = 64;

export interface FollowEvents {
  rotated?(path: string, how: 'rename' | 'truncate'): void;
  opened?(path: string): void;
  /** Resuming: the saved file now lives under `rotatedPath`; it is read to its end first. */
  resumedRotated?(path: string, rotatedPath: string, offset: number): void;
}

/** Where a follower stands, to resume after a restart (saved by `lad watch --positions`). */
export interface Position {
  ino: number;
  dev: number;
  /** Offset just after the last complete line handed to the module. */
  offset: number;
}

export class Follower {
  private fd: number | null = null;
  private ino = -1;
  private dev = -1;
  private pos = 0;
  private sig: Buffer = Buffer.alloc(0);
  private first = true;

  constructor(readonly path: string, private readonly feeder: Feeder, private readonly fromEnd: boolean,
    private readonly events: FollowEvents = {}, private readonly resume: Position | null = null) {}

  /** The resume point, or null while no file is open. */
  position(): Position | null {
    if (this.fd === null) return null;
    return { ino: this.ino, dev: this.dev, offset: this.pos - this.feeder.pending };
  }

  get offset(): number { return this.pos; }
  get lines(): number { return this.feeder.lines; }

  /** Reads whatever is new; returns the number of bytes read. */
  poll(): number {
    let st: ReturnType<typeof statSync> | null = null;
    try { st = statSync(this.path); } catch { st = null; }
    let got = 0;
    const r0 = this.resume;
    if (this.first && r0 && this.fd === null && (st === null || st.ino !== r0.ino || st.dev !== r0.dev)) this.openRotated(r0);
    if (this.fd !== null) {
      got += this.readOpen();
      const replaced = st === null || st.ino !== this.ino || st.dev !== this.dev;
      if (replaced) {
        // Renamed or removed: the old file is drained; its unterminated last line ends here.
        this.feeder.end();
        closeSync(this.fd);
        this.fd = null;
        this.events.rotated?.(this.path, 'rename');
      }
    }
    if (this.fd === null && st !== null && st.isFile()) {
      let fd: number;
      try { fd = openSync(this.path, 'r'); } catch { return got; }
      const fst = fstatSync(fd);
      this.fd = fd;
      this.ino = fst.ino;
      this.dev = fst.dev;
      const r = this.first ? this.resume : null;
      if (r && r.ino === fst.ino && r.dev === fst.dev && r.offset <= fst.size) this.pos = r.offset;
      else this.pos = this.first && this.fromEnd ? fst.size : 0;
      this.sig = this.pos > 0 ? this.readSig(this.pos) : Buffer.alloc(0);
      this.events.opened?.(this.path);
      got += this.readOpen();
    }
    this.first = false;
    return got;
  }

  /** The saved file under a rotated name (same directory, a name that starts with the path's stem,
   *  its name up to the first dot: NAME.1, NAME-20240312, STEM-20240312.EXT, ...; the same inode and
   *  device decide): opened at the saved offset, so the rest of it is read before the new file. */
  private openRotated(r: Position): void {
    const dir = dirname(this.path);
    const base = basename(this.path);
    const dot = base.indexOf('.', 1);
    const stem = dot > 0 ? base.slice(0, dot) : base;
    let names: string[];
    try { names = readdirSync(dir); } catch { return; }
    for (const n of names.sort()) {
      // logrotate's NAME.1 and NAME-DATE, and dateext with `extension` (STEM-DATE.EXT)
      if (n === base || !n.startsWith(stem) || n.length === stem.length) continue;
      const p = join(dir, n);
      let fd: number;
      try {
        const s = statSync(p);
        if (!s.isFile() || s.ino !== r.ino || s.dev !== r.dev || r.offset > s.size) continue;
        fd = openSync(p, 'r');
      } catch { continue; }
      const fst = fstatSync(fd);
      if (fst.ino !== r.ino || fst.dev !== r.dev) { closeSync(fd); continue; }
      this.fd = fd;
      this.ino = fst.ino;
      this.dev = fst.dev;
      this.pos = r.offset;
      this.sig = this.pos > 0 ? this.readSig(this.pos) : Buffer.alloc(0);
      // The file at the path is new since the saved position: read it from its start.
      this.first = false;
      this.events.resumedRotated?.(this.path, p, r.offset);
      return;
    }
  }

  private readSig(end: number): Buffer {
    const n = Math.min(SIG, end);
    const b = Buffer.alloc(n);
    const r = readSync(this.fd!, b, 0, n, end - n);
    return r === n ? b : b.subarray(0, r);
  }

  private readOpen(): number {
    const fd = this.fd!;
    const size = fstatSync(fd).size;
    let truncated = size < this.pos;
    if (!truncated && this.pos > 0 && this.sig.length > 0) {
      // Truncated and refilled past our offset between two polls: the bytes before it changed.
      truncated = !this.readSig(this.pos).equals(this.sig);
    }
    if (truncated) {
      // copytruncate: what was written between our last read and the truncation is gone (as for
      // tail -F); an unterminated line we hold ends here.
      this.feeder.end();
      this.pos = 0;
      this.sig = Buffer.alloc(0);
      this.events.rotated?.(this.path, 'truncate');
    }
    const now = fstatSync(fd).size;
    if (now <= this.pos) return 0;
    const got = this.feeder.readFd(fd, this.pos, now - this.pos);
    this.pos += got;
    this.feeder.flushLines();
    if (got > 0) this.sig = this.readSig(this.pos);
    return got;
  }

  /** Final read; an unterminated last line is handed over, or kept for a resumed run. */
  close(handOverPartial = true): void {
    if (this.fd !== null) {
      try { this.readOpen(); } catch { /* file went away */ }
      closeSync(this.fd);
      this.fd = null;
    }
    if (handOverPartial) this.feeder.end();
    this.feeder.close();
  }
}

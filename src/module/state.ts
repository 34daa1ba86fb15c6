// The template state file shared by the Fluent Bit filter, `lad watch` and `lad serve`
// (state.file / state.interval_seconds in lad.json, or --state): restored at start, written every
// interval and at a clean stop. Written as the filter writes it: a temporary file, synced, then
// renamed over the old one, so a crash or a full disk mid-write never leaves a damaged file.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { LadModule } from './module.js';

export class StateFile {
  private last = Date.now();

  constructor(private readonly mod: LadModule, readonly path: string, readonly intervalMs: number, private readonly log: (s: string) => void) {}

  /** Restores the learned templates when the file exists. Returns how many it holds (0: none). An
   *  unreadable file is reported and moved aside to FILE.unreadable (never overwritten unseen). */
  restore(): number {
    if (!existsSync(this.path)) return 0;
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
      this.mod.restore(text);
    } catch (e) {
      let aside = '';
      try { renameSync(this.path, `${this.path}.unreadable`); aside = `; moved to ${this.path}.unreadable`; } catch { /* left in place */ }
      this.log(`warning: state ${this.path}: cannot read it (${(e as Error).message})${aside}; starting fresh`);
      return 0;
    }
    let n = 0;
    try { n = (JSON.parse(text).templates ?? []).length; } catch { /* restored: the module read it */ }
    this.log(`state: restored ${n} template${n === 1 ? '' : 's'} from ${this.path}`);
    return n;
  }

  /** Writes the state now (atomically). Throws on failure; the old file is then untouched. */
  save(): void {
    const data = this.mod.snapshot();
    const tmp = `${this.path}.tmp`;
    let fd: number | null = null;
    try {
      fd = openSync(tmp, 'w');
      const b = Buffer.from(data, 'utf8');
      let off = 0;
      while (off < b.length) off += writeSync(fd, b, off, b.length - off);
      fsyncSync(fd);
      closeSync(fd);
      fd = null;
      renameSync(tmp, this.path);
    } catch (e) {
      if (fd !== null) try { closeSync(fd); } catch { /* already failing */ }
      rmSync(tmp, { force: true });
      throw e;
    }
    this.last = Date.now();
  }

  /** Saves when an interval has passed since the last save; failures are logged, not thrown. */
  maybeSave(now = Date.now()): void {
    if (now - this.last < this.intervalMs) return;
    this.last = now;
    try { this.save(); } catch (e) { this.log(`warning: state ${this.path}: cannot save (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the previous file is kept`); }
  }
}

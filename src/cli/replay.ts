// Replays files through one module instance: the shared engine of analyze, baseline create and
// templates. One lad_batch call per ~4 MiB of input; only the small result is parsed.
import { statSync, openSync, readSync, closeSync } from 'node:fs';
import { Feeder, defaultMaxLine, type LineTransform } from '../module/feeder.js';
import { FLAG_TAG_ALL, LadModule } from '../module/module.js';
import { readBatch, type RawAnomaly, type RawWindow } from '../module/results.js';
import { feedSource } from '../input/sources.js';
import { AutoTransform, RegexTransform } from '../config/formats.js';
import { effective } from '../module/effective.js';
import { streamTags, type Setup } from './common.js';
import { Progress } from './ui.js';

export interface ReplayHooks {
  /** A record carrying events (file = the source path, line = 0-based line or null). */
  anomaly?(a: RawAnomaly, file: string, line: number | null): void;
  window?(w: RawWindow): void;
  /** Tagged records (FLAG_TAG_ALL), newline-terminated NDJSON, valid during the call only. */
  tagged?(bytes: Buffer): void;
}

export interface ReplayResult {
  totalLines: number;
  totalBytes: number;
  elapsedSec: number;
  interrupted: boolean;
  /** What was not analysed: files skipped as binary, lines cut (one entry per file concerned). */
  skipped: SkipNote[];
}

export interface SkipNote {
  file: string;
  /** 'binary': the whole file was skipped; 'cut': lines longer than the limit were cut;
   *  'untimed': its lines carry no usable event time (see sampled/timed/clock). */
  kind: 'binary' | 'cut' | 'untimed';
  /** Bytes not analysed (null: unknown, e.g. binary data on stdin). */
  bytes: number | null;
  /** Lines cut (kind 'cut'). */
  lines?: number;
  /** The line length limit (kind 'cut'). */
  limit?: number;
  /** Kind 'untimed': lines sampled from the head of the file, and how many had their own time. */
  sampled?: number;
  timed?: number;
  /** Kind 'untimed': the clock used instead ('sequence': one line per second in file order, ending
   *  at the file's modification time; 'host': the file's modification time for every line). */
  clock?: 'sequence' | 'host';
  /** Kind 'untimed': the time given to the last line (ISO 8601). */
  until?: string;
}

function fmtSize(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** One line for stderr saying what was not analysed and how much. */
export function skipMessage(n: SkipNote): string {
  const name = n.file === '-' ? 'stdin' : `'${n.file}'`;
  if (n.kind === 'binary') {
    return `lad: warning: skipped ${name}: binary data, not log text (NUL bytes, control characters or invalid UTF-8 in its first 64 KiB)${n.bytes !== null ? `; ${fmtSize(n.bytes)} not analysed` : ''}`;
  }
  if (n.kind === 'untimed') {
    const found = `${n.timed} of the first ${n.sampled} lines ha${n.timed === 1 ? 's' : 've'} a time lad can read`;
    if (n.clock === 'sequence') {
      return `lad: warning: ${name}: no usable event time (${found}); using line order instead: one line per second, ` +
        `the last at the file's modification time (${n.until}). Volume anomalies (spikes, drops, silences) say nothing ` +
        `about this file; new patterns and error bursts are judged per window of lines. Set input.time_keys or a ` +
        `custom format if its lines do carry a time.`;
    }
    return `lad: warning: ${name}: few lines carry a usable event time (${found}); lines without one get the time of ` +
      `the file's modification (${n.until}), so they gather in its last window.`;
  }
  return `lad: warning: ${name}: ${n.lines} line${n.lines === 1 ? '' : 's'} longer than ${fmtSize(n.limit!)} cut; ${fmtSize(n.bytes!)} of ${n.lines === 1 ? 'it' : 'them'} not analysed`;
}

const PROBE_BYTES = 64 << 10;
const PROBE_LINES = 200;
/** Below this share of timed lines a file is replayed on the line-order clock. */
const MIN_TIMED_SHARE = 0.5;
let probe: LadModule | null = null;

/** How many of the first lines of a file carry their own event time, read by a separate module
 *  instance with the same settings (the real one keeps no trace of the probe). Null for stdin,
 *  empty files and host-time configurations. */
async function probeTimes(setup: Setup, file: string): Promise<{ sampled: number; timed: number; avgLen: number } | null> {
  if (file === '-') return null;
  const mc = setup.moduleConfig as { input?: { time_source?: string } } | undefined;
  if (mc?.input?.time_source === 'host') return null;
  let head: Buffer;
  try {
    const fd = openSync(file, 'r');
    try {
      const b = Buffer.alloc(PROBE_BYTES);
      const n = readSync(fd, b, 0, PROBE_BYTES, 0);
      head = b.subarray(0, n);
    } finally { closeSync(fd); }
  } catch { return null; }
  let cut = head.lastIndexOf(10);
  if (cut < 0) cut = head.length;
  // compressed or binary input: left to feedSource (which decompresses or skips it)
  if (head.includes(0) || (head[0] === 0x1f && head[1] === 0x8b)) return null;
  let text0: string;
  try { text0 = new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, cut)); } catch { return null; }
  const lines = text0.split('\n').filter((l) => l.trim() !== '').slice(0, PROBE_LINES);
  if (lines.length === 0) return null;
  if (probe === null) probe = await LadModule.create(setup.mod.path);
  if (setup.moduleConfig !== undefined) probe.configure(setup.moduleConfig);
  const text = Buffer.from(lines.join('\n') + '\n');
  const before = probe.stats();
  const p = probe.alloc(text.length);
  probe.mem().set(text, p);
  probe.batch(p, text.length, 0, 1);
  probe.release(p);
  const after = probe.stats();
  const sampled = after.records - before.records;
  const timed = (after.timed ?? 0) - (before.timed ?? 0);
  return { sampled, timed, avgLen: text.length / lines.length };
}

/** Line-order clock for a file without event times: each line becomes {"time": t, "log": line},
 *  t one second after the previous line's. */
export class SequenceTransform implements LineTransform {
  constructor(private next: number) {}
  apply(lines: Buffer): Buffer | null {
    const parts = lines.toString('utf8').split('\n');
    const last = parts.length - 1; // after the final newline
    for (let i = 0; i < last; i++) parts[i] = `{"time":${this.next++},"log":${JSON.stringify(parts[i].endsWith('\r') ? parts[i].slice(0, -1) : parts[i])}}`;
    return Buffer.from(parts.join('\n'));
  }
}

export function transformFor(setup: Setup, path: string): LineTransform | null {
  const { cfg, forcedFormat } = setup;
  let year: number | undefined;
  try { if (path !== '-') year = statSync(path).mtime.getUTCFullYear(); } catch { /* checked earlier */ }
  if (forcedFormat) return new RegexTransform(cfg.formats.find((f) => f.name === forcedFormat)!, year);
  if (cfg.formats.length > 0) return new AutoTransform(cfg.formats, year);
  return null;
}

export async function replay(setup: Setup, files: string[], flags: number, hooks: ReplayHooks,
  opts: { progress?: Progress; stop?: () => boolean; skipped?: (n: SkipNote) => void } = {}): Promise<ReplayResult> {
  const skipped: SkipNote[] = [];
  const note = (n: SkipNote) => { skipped.push(n); opts.progress?.clear(); opts.skipped?.(n); };
  const { mod } = setup;
  const keys = effective(mod).outputKeys;
  const tags = setup.tags ?? streamTags(files);
  const t0 = process.hrtime.bigint();
  let totalLines = 0;
  let totalBytes = 0;
  let interrupted = false;
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    mod.setTag(tags[i]);
    const sink = {
      anomaly: (a: RawAnomaly, line: number | null) => hooks.anomaly?.(a, file, line),
      window: hooks.window ? (w: RawWindow) => hooks.window!(w) : undefined,
      tagged: hooks.tagged,
    };
    // A replayed file's own mtime is the "host time": year-less timestamps (RFC 3164 syslog) then
    // take the year the file was written in, not the year of the replay.
    let mtimeSec: number | undefined;
    try { if (file !== '-') mtimeSec = Math.floor(statSync(file).mtimeMs / 1000); } catch { /* checked earlier */ }
    let transform = transformFor(setup, file);
    if (transform === null && mtimeSec !== undefined) {
      const pr = await probeTimes(setup, file);
      if (pr !== null && pr.sampled > 0 && pr.timed < pr.sampled * MIN_TIMED_SHARE) {
        let size = 0;
        try { size = statSync(file).size; } catch { /* checked earlier */ }
        if (pr.timed === 0) {
          const estLines = Math.max(1, Math.round(size / Math.max(1, pr.avgLen)));
          transform = new SequenceTransform(mtimeSec - estLines + 1);
          note({ file, kind: 'untimed', bytes: null, sampled: pr.sampled, timed: 0, clock: 'sequence', until: new Date(mtimeSec * 1000).toISOString() });
        } else {
          note({ file, kind: 'untimed', bytes: null, sampled: pr.sampled, timed: pr.timed, clock: 'host', until: new Date(mtimeSec * 1000).toISOString() });
        }
      }
    }
    const feeder = new Feeder(mod, {
      flags,
      ...(mtimeSec !== undefined ? { hostSec: () => mtimeSec! } : {}),
      transform,
      onBatch: (b) => readBatch(b.out, flags, keys, b.firstLine, sink),
    });
    const base = totalLines;
    try {
      const fed = await feedSource(file, feeder, (done, size) => opts.progress?.update(base + feeder.lines, done, size),
        () => { if (opts.stop?.()) interrupted = true; return interrupted; });
      if (fed.skipped === 'binary') note({ file, kind: 'binary', bytes: fed.size });
      if (feeder.cutLines > 0) note({ file, kind: 'cut', bytes: feeder.cutBytes, lines: feeder.cutLines, limit: defaultMaxLine() });
    } finally {
      totalLines += feeder.lines;
      totalBytes += feeder.bytes;
      feeder.close();
    }
    if (interrupted) break;
  }
  // End of replay: close the windows still open (event time: the module's latest).
  readBatch(mod.view(mod.flush(0, flags & ~FLAG_TAG_ALL)), flags & ~FLAG_TAG_ALL, keys, 0, {
    anomaly: (a: RawAnomaly) => hooks.anomaly?.(a, files[files.length - 1] ?? '', null),
    window: hooks.window ? (w: RawWindow) => hooks.window!(w) : undefined,
  });
  const elapsedSec = Number(process.hrtime.bigint() - t0) / 1e9;
  opts.progress?.clear();
  return { totalLines, totalBytes, elapsedSec, interrupted, skipped };
}

// Replays files through one module instance: the shared engine of analyze, baseline create and
// templates. One lad_batch call per ~4 MiB of input; only the small result is parsed.
import { statSync } from 'node:fs';
import { Feeder, defaultMaxLine, type LineTransform } from '../core/feeder.js';
import { FLAG_TAG_ALL } from '../core/module.js';
import { readEvents, readTagged, type RawAnomaly, type RawWindow } from '../core/results.js';
import { feedSource } from '../core/sources.js';
import { AutoTransform, RegexTransform } from '../config/formats.js';
import { outputKeys } from '../config/load.js';
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
  /** 'binary': the whole file was skipped; 'cut': lines longer than the limit were cut. */
  kind: 'binary' | 'cut';
  /** Bytes not analysed (null: unknown, e.g. binary data on stdin). */
  bytes: number | null;
  /** Lines cut (kind 'cut'). */
  lines?: number;
  /** The line length limit (kind 'cut'). */
  limit?: number;
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
  return `lad: warning: ${name}: ${n.lines} line${n.lines === 1 ? '' : 's'} longer than ${fmtSize(n.limit!)} cut; ${fmtSize(n.bytes!)} of ${n.lines === 1 ? 'it' : 'them'} not analysed`;
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
  const keys = outputKeys(setup.cfg);
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
    const feeder = new Feeder(mod, {
      flags,
      ...(mtimeSec !== undefined ? { hostSec: () => mtimeSec! } : {}),
      transform: transformFor(setup, file),
      onBatch: (b) => {
        if (flags & FLAG_TAG_ALL) readTagged(b.result, keys, sink);
        else readEvents(b.result, b.firstLine, sink);
      },
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
  const span = mod.flush(0, flags & ~FLAG_TAG_ALL);
  const res = mod.mem().subarray(span.ptr, span.ptr + span.len);
  readEvents(res, 0, {
    anomaly: (a: RawAnomaly) => hooks.anomaly?.(a, files[files.length - 1] ?? '', null),
    window: hooks.window ? (w: RawWindow) => hooks.window!(w) : undefined,
  });
  const elapsedSec = Number(process.hrtime.bigint() - t0) / 1e9;
  opts.progress?.clear();
  return { totalLines, totalBytes, elapsedSec, interrupted, skipped };
}

// `lad watch FILE...`: follow files like tail -F through one module instance; anomalies shown and
// alerted as they happen, a periodic status line, a summary on Ctrl-C. With --ndjson every record
// goes to stdout tagged (NDJSON, for Vector's exec source) and everything else to stderr.
import { closeSync, fsyncSync, openSync, readFileSync, readSync, renameSync, statSync, writeSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { Feeder } from '../module/feeder.js';
import { Follower, type Position } from '../input/follow.js';
import { FLAG_TAG_ALL, FLAG_WINDOWS } from '../module/module.js';
import { readBatch, type RawAnomaly } from '../module/results.js';
import { effective } from '../module/effective.js';
import { ReportBuilder, buildSummary } from '../report/json.js';
import type { TemplateInfo } from '../report/types.js';
import {
  UsageError, checkOutputPath, chooseStreams, createAlerterFor, loadHtmlRenderer, parseFailOn, setupModule, severityRank, shouldAlert,
  stateFileFor, version, writeOutput,
} from './common.js';
import { exitCodeFor, outputKind } from './analyze.js';
import { skipMessage, transformFor } from './replay.js';
import { SNIFF_BYTES, looksBinary } from '../input/sources.js';
import { defaultMaxLine } from '../module/feeder.js';
import { pendingAlertsLine } from '../alerts/severity.js';
import { StateFile } from '../module/state.js';
import { Heartbeat } from '../module/heartbeat.js';
import { colorsFor, fmtInt, formatAnomaly, formatSummary } from './ui.js';

export interface WatchOptions {
  format: string;
  threshold?: string;
  config?: string;
  baseline?: string[];
  ndjson?: boolean;
  quiet?: boolean;
  fromEnd?: boolean;
  interval: string;
  statusInterval: string;
  positions?: string;
  alerts: boolean;
  stream?: string;
  state?: string;
  failOn: string;
  output?: string;
  json?: boolean;
}

/** What a watched path is now: a text file, nothing yet (followed once it appears), binary data
 *  (skipped with a warning, as lad analyze does), or an error. */
function checkWatched(path: string): 'file' | 'missing' | 'binary' | 'gzip' {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR') throw new UsageError(`cannot watch '${path}': a part of its path is not a folder`);
    throw new UsageError(`cannot watch '${path}': ${code}`);
  }
  if (st.isDirectory()) throw new UsageError(`cannot watch '${path}': it is a folder; lad watch follows files (name them, e.g. ${path.replace(/\/+$/, '')}/*.log)`);
  if (!st.isFile() && !st.isFIFO()) throw new UsageError(`cannot watch '${path}': not a regular file`);
  let fd: number;
  try { fd = openSync(path, 'r'); } catch (e) { throw new UsageError(`cannot watch '${path}': ${(e as NodeJS.ErrnoException).code}`); }
  try {
    if (!st.isFile()) return 'file';
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, st.size));
    const n = readSync(fd, head, 0, head.length, 0);
    if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
    return looksBinary(head.subarray(0, n)) ? 'binary' : 'file';
  } finally {
    closeSync(fd);
  }
}

function positive(v: string, name: string, min: number): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min) throw new UsageError(`invalid ${name} '${v}': expected a number >= ${min}`);
  return n;
}

export async function watch(given: string[], o: WatchOptions): Promise<number> {
  if (given.length === 0) throw new UsageError('no files to watch');
  if (given.includes('-')) throw new UsageError("watch follows files; use 'lad analyze -' for stdin");
  // A folder is an error; binary or gzip files are skipped with a warning line (as lad analyze
  // skips binary data); a missing file is followed once it appears, and said so.
  const kinds = new Map(given.map((f) => [f, checkWatched(f)] as const));
  for (const [f, k] of kinds) {
    if (k === 'gzip') process.stderr.write(`lad: warning: skipped '${f}': gzip-compressed; lad watch follows plain text files (lad analyze reads .gz)\n`);
    if (k === 'binary') process.stderr.write(`lad: warning: skipped '${f}': binary data, not log text (NUL bytes, control characters or invalid UTF-8 in its first 64 KiB)\n`);
  }
  const files = given.filter((f) => kinds.get(f) === 'file' || kinds.get(f) === 'missing');
  if (files.length === 0) throw new UsageError('nothing to watch: every file given was skipped');
  const intervalMs = positive(o.interval, '--interval', 10);
  const statusSec = positive(o.statusInterval, '--status-interval', 0);
  const failOn = parseFailOn(o.failOn);
  const kind = o.output ? outputKind(o.output) : null;
  if (o.output) checkOutputPath(o.output);
  if (o.json && o.ndjson) throw new UsageError('--json and --ndjson both write to stdout: choose one (or --output records.ndjson)');
  if (o.positions !== undefined) checkOutputPath(o.positions, '--positions');
  const missing = files.filter((f) => kinds.get(f) === 'missing');
  const renderHtml = kind === 'html' ? await loadHtmlRenderer() : null;
  const setup = await setupModule({ config: o.config, threshold: o.threshold, format: o.format, baseline: o.baseline });
  for (const note of chooseStreams(setup, files, o.stream)) {
    if (!o.quiet || note.includes('warning:')) process.stderr.write(note + '\n');
  }
  for (const f of missing) process.stderr.write(`lad watch: warning: '${f}' does not exist (yet); it will be followed once it appears\n`);
  const eff = effective(setup.mod);
  const stateSpec = stateFileFor(setup.cfg, eff, o.state);
  if (stateSpec) checkOutputPath(stateSpec.path, stateSpec.flag);
  const state = stateSpec ? new StateFile(setup.mod, stateSpec.path, stateSpec.intervalMs,
    (m) => { if (!o.quiet || m.startsWith('warning:')) process.stderr.write(`lad watch: ${m}\n`); }) : null;
  state?.restore();
  const alerter = await createAlerterFor(setup.cfg, o.alerts);
  const minAlert = severityRank(eff.minSeverity);
  const { mod } = setup;
  const keys = eff.outputKeys;

  // Human output goes to stdout unless stdout carries NDJSON.
  const human = o.ndjson || o.json ? process.stderr : process.stdout;
  const c = colorsFor(human);
  const err = colorsFor(process.stderr);
  const builder = new ReportBuilder(eff.windowSec);
  let ndjsonFd: number | null = null;
  if (kind === 'ndjson') {
    try { ndjsonFd = openSync(o.output!, 'w'); } catch (e) { throw new UsageError(`cannot write '${o.output}': ${(e as NodeJS.ErrnoException).code}`); }
  }
  const flags = FLAG_WINDOWS | (o.ndjson || ndjsonFd !== null ? FLAG_TAG_ALL : 0);
  let backlog = false;

  const onAnomaly = (a: RawAnomaly, file: string, line: number | null) => {
    for (const ev of builder.addAnomaly(a, { file: files.length > 1 ? file : undefined, line })) {
      if (!o.quiet && ev.severity !== 'info') human.write(formatAnomaly(ev, c) + '\n');
      if (alerter && shouldAlert(a.alert, ev, minAlert)) alerter.send(ev);
    }
  };
  const tagged = (bytes: Buffer) => {
    if (ndjsonFd !== null) {
      for (let off = 0; off < bytes.length;) off += writeSync(ndjsonFd, bytes, off, bytes.length - off);
      return;
    }
    if (!process.stdout.write(Buffer.from(bytes))) backlog = true;
  };

  // --positions: resume where the last run stopped (same file identity), save as we go.
  const saved: Record<string, Position> = {};
  if (o.positions) {
    try {
      Object.assign(saved, JSON.parse(readFileSync(o.positions, 'utf8')));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`positions file '${o.positions}' is unreadable: ${(e as Error).message}`);
    }
  }
  let lastSaved = '';
  const savePositions = () => {
    if (!o.positions) return;
    const now: Record<string, Position> = { ...saved };
    for (const x of followers) {
      const p = x.f.position();
      if (p) now[resolvePath(x.f.path)] = p;
    }
    const text = JSON.stringify(now);
    if (text === lastSaved) return;
    // Synced before the rename (at most once a second, and only when a position moved): after a
    // power loss the file is the previous or the new one, whole, never empty.
    const fd = openSync(o.positions + '.tmp', 'w');
    try { writeSync(fd, text); fsyncSync(fd); } finally { closeSync(fd); }
    renameSync(o.positions + '.tmp', o.positions);
    lastSaved = text;
  };

  const tags = setup.tags!;
  const followers = files.map((file, i) => {
    const feeder = new Feeder(mod, {
      flags,
      batchBytes: 256 << 10,
      transform: transformFor(setup, file),
      onBatch: (b) => readBatch(b.out, flags, keys, b.firstLine,
        { anomaly: (a: RawAnomaly, line: number | null) => onAnomaly(a, file, line), window: (w) => builder.addWindow(w), tagged }),
    });
    return {
      feeder,
      file,
      tag: tags[i],
      f: new Follower(file, feeder, Boolean(o.fromEnd), {
        rotated: (p, how) => { if (!o.quiet) process.stderr.write(err.dim(`lad watch: ${p} ${how === 'rename' ? 'rotated' : 'truncated'}, following the new file\n`)); },
        resumedRotated: (p, from, off) => { if (!o.quiet) process.stderr.write(err.dim(`lad watch: ${p} was rotated while stopped; finishing ${from} from byte ${off} first\n`)); },
        opened: (p) => { if (missing.includes(p) && !o.quiet) process.stderr.write(err.dim(`lad watch: ${p} appeared, following it\n`)); },
      }, saved[resolvePath(file)] ?? null),
    };
  });

  // wall-clock heartbeat: quiet streams' windows close and silences are seen while nothing logs
  const heart = new Heartbeat(mod, eff.heartbeatTag, eff.windowSec * 1000, flags & ~FLAG_TAG_ALL,
    (b) => readBatch(b.out, flags & ~FLAG_TAG_ALL, keys, b.firstLine, { anomaly: (a) => onAnomaly(a, files[0], null), window: (w) => builder.addWindow(w) }));

  const t0 = Date.now();
  let lastStatus = t0;
  let lastLines = 0;
  const totalLines = () => followers.reduce((s, x) => s + x.f.lines, 0);
  const pollAll = () => {
    for (const x of followers) {
      mod.setTag(x.tag);
      x.f.poll();
    }
  };
  const status = () => {
    const now = Date.now();
    const lines = totalLines();
    const rate = ((lines - lastLines) * 1000) / Math.max(1, now - lastStatus);
    lastStatus = now;
    lastLines = lines;
    const a = builder.alertsBySeverity;
    process.stderr.write(err.dim(`lad watch ${new Date(now).toISOString().slice(11, 19)} · ${files.length} file${files.length > 1 ? 's' : ''} · ${fmtInt(lines)} lines (${rate.toFixed(0)}/s) · alerts: ${a.critical} critical, ${a.warning} warning · ${builder.infoEvents.total} informational`) + '\n');
  };

  if (!o.quiet) process.stderr.write(err.dim(`lad watch: following ${files.join(', ')} (Ctrl-C to stop)`) + '\n');

  let lastSave = 0;
  let stopping = false;
  let failure: unknown = null;
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | null = null;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      if (timer) clearTimeout(timer);
      resolve();
    };
    const tick = async () => {
      timer = null;
      if (stopping) return;
      try {
        pollAll();
        heart.maybeBeat();
      } catch (e) {
        failure = e;
        stop();
        return;
      }
      if (backlog) {
        await new Promise((r) => process.stdout.once('drain', r));
        backlog = false;
      }
      if (statusSec > 0 && Date.now() - lastStatus >= statusSec * 1000 && !o.quiet) status();
      if (Date.now() - lastSave >= 1000) { savePositions(); lastSave = Date.now(); }
      state?.maybeSave();
      if (!stopping) timer = setTimeout(tick, intervalMs);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') stop(); });
    void tick();
  });
  if (failure) throw failure;

  // Final read of every file, then close the open windows. An unterminated last line is handed
  // over, except with --positions: the next run reads it whole (never twice).
  for (const x of followers) {
    mod.setTag(x.tag);
    x.f.poll();
  }
  savePositions();
  for (const x of followers) {
    mod.setTag(x.tag);
    x.f.close(!o.positions);
  }
  readBatch(mod.view(mod.flush(0, flags & ~FLAG_TAG_ALL)), flags & ~FLAG_TAG_ALL, keys, 0, {
    anomaly: (a) => onAnomaly(a, files[0], null),
    window: (w) => builder.addWindow(w),
  });
  heart.close();
  if (ndjsonFd !== null) closeSync(ndjsonFd);
  // Lines longer than the limit were cut: say how many and how much (as lad analyze does).
  for (const x of followers) {
    if (x.feeder.cutLines > 0) process.stderr.write(skipMessage({ file: x.file, kind: 'cut', bytes: x.feeder.cutBytes, lines: x.feeder.cutLines, limit: defaultMaxLine() }) + '\n');
  }
  if (state) {
    try { state.save(); } catch (e) { process.stderr.write(`lad watch: warning: state ${state.path}: cannot save (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the previous file is kept\n`); }
  }
  let undelivered: number | null = null;
  if (alerter) {
    await alerter.close();
    undelivered = alerter.stats().queued;
    if (undelivered > 0) process.stderr.write(pendingAlertsLine(undelivered) + '\n');
  }
  // Only alerts (window-level decisions) decide the exit code, as in lad analyze.
  const code = exitCodeFor(failOn, builder.alertsBySeverity);
  const elapsedSec = (Date.now() - t0) / 1000;
  if (!o.quiet) {
    const r = builder.rates();
    const stats = mod.stats();
    human.write(formatSummary({
      totalLines: totalLines(),
      uniquePatterns: stats.templates,
      avgEventRate: r.windows ? r.avg_event_rate : null,
      avgErrorRate: r.windows ? r.avg_error_rate : null,
      bySeverity: builder.bySeverity,
      alerts: builder.alertsBySeverity,
      infoEvents: builder.infoEvents,
      elapsedSec: 0,
      extra: [c.dim(`\nWatched ${files.length} file${files.length > 1 ? 's' : ''} for ${elapsedSec.toFixed(1)} s`)],
    }, c));
  }
  if (kind === 'json' || kind === 'html' || o.json) {
    const stats = mod.stats();
    let templates: TemplateInfo[] = [];
    try { templates = JSON.parse(mod.templatesJson() || '[]'); } catch { templates = []; }
    const report = builder.build({ files, totalLines: totalLines(), stats, templates, elapsedSec, moduleSec: Number(mod.batchNs) / 1e9, version: version() });
    if (kind === 'json') writeOutput(o.output!, JSON.stringify(report, null, 2) + '\n');
    else if (kind === 'html') writeOutput(o.output!, await renderHtml!(report));
    if (o.json) {
      const summary: Record<string, unknown> = { ...buildSummary(report, failOn, code) };
      if (undelivered !== null) summary.alerts_undelivered = undelivered;
      process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    }
  }
  if (o.output && !o.quiet) human.write(c.green(`\nReport saved to: ${o.output}\n`));
  await new Promise<void>((r) => (process.stdout.writableNeedDrain ? process.stdout.once('drain', r) : r()));
  return code;
}


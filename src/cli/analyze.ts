// `lad analyze FILE... | -`: replay through the module, print anomalies as found and the seed-style
// summary, write report.json / report.html / records.ndjson, exit by --fail-on.
import { openSync, writeSync, closeSync } from 'node:fs';
import { extname } from 'node:path';
import { FLAG_TAG_ALL, FLAG_WINDOWS } from '../module/module.js';
import { checkGzip, checkSource } from '../input/sources.js';
import { effective } from '../module/effective.js';
import { ReportBuilder, buildSummary } from '../report/json.js';
import type { TemplateInfo } from '../report/types.js';
import {
  EXIT_ANOMALY, EXIT_OK, UsageError, checkOutputPath, writeOutput, chooseStreams, createAlerterFor, loadHtmlRenderer, parseFailOn, parseThreshold,
  replayOrder, setupModule, severityRank, shouldAlert, version, type FailOn,
} from './common.js';
import { replay, skipMessage } from './replay.js';
import { EXIT_ALERTS_PENDING, pendingAlertsLine } from '../alerts/severity.js';
import { Progress, colorsFor, formatAnomaly, formatSummary, fmtInt } from './ui.js';

export interface AnalyzeOptions {
  format: string;
  threshold?: string;
  config?: string;
  baseline?: string[];
  output?: string;
  quiet?: boolean;
  json?: boolean;
  failOn: string;
  alerts: boolean;
  progress: boolean;
  maxPrint: string;
  stream?: string;
}

type OutputKind = 'json' | 'html' | 'ndjson';

export function outputKind(path: string): OutputKind {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.html' || ext === '.htm') return 'html';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  throw new UsageError(`invalid --output '${path}': the extension must be .html, .json or .ndjson (.jsonl)`);
}

export function exitCodeFor(failOn: FailOn, bySeverity: { critical: number; warning: number }): number {
  if (failOn === 'never') return EXIT_OK;
  if (failOn === 'warning' && bySeverity.warning + bySeverity.critical > 0) return EXIT_ANOMALY;
  if (failOn === 'critical' && bySeverity.critical > 0) return EXIT_ANOMALY;
  return EXIT_OK;
}

export async function analyze(given: string[], o: AnalyzeOptions): Promise<number> {
  // Rotated files of one stream are replayed oldest first (syslog.2.gz, syslog.1, syslog).
  const files = replayOrder(given);
  // Validate everything cheap before starting the module.
  const failOn = parseFailOn(o.failOn);
  if (o.threshold !== undefined) parseThreshold(o.threshold);
  const kind = o.output ? outputKind(o.output) : null;
  if (o.output) checkOutputPath(o.output);
  const maxPrint = Number(o.maxPrint);
  if (!Number.isInteger(maxPrint) || maxPrint < 0) throw new UsageError(`invalid --max-print '${o.maxPrint}': expected a whole number`);
  if (files.length === 0) throw new UsageError('no input: give one or more log files, or - for stdin');
  if (files.filter((f) => f === '-').length > 1) throw new UsageError("stdin ('-') can be given only once");
  for (const f of files) checkSource(f);
  for (const f of files) await checkGzip(f);
  const renderHtml = kind === 'html' ? await loadHtmlRenderer() : null;

  const setup = await setupModule({ config: o.config, threshold: o.threshold, format: o.format, baseline: o.baseline });
  for (const note of chooseStreams(setup, files, o.stream)) {
    if (!o.quiet || note.includes('warning:')) process.stderr.write(note + '\n');
  }
  const alerter = await createAlerterFor(setup.cfg, o.alerts);
  const minAlert = severityRank(effective(setup.mod).minSeverity);

  const human = !o.quiet && !o.json;
  const out = colorsFor(process.stdout);
  const progress = new Progress(o.progress && !o.quiet);
  const builder = new ReportBuilder(effective(setup.mod).windowSec);
  let printed = 0;
  let suppressed = 0;

  if (human) {
    process.stdout.write(out.bold(out.blue('🔍 Log Anomaly Detector')) + '\n\n');
    process.stdout.write(`Analyzing: ${files.join(', ')}\n`);
    const th = o.threshold ?? (setup.cfg.doc.detection as Record<string, unknown> | undefined)?.threshold ?? 3;
    process.stdout.write(`Threshold: ${th} standard deviations\n\n`);
  }

  let ndjsonFd: number | null = null;
  if (kind === 'ndjson') {
    try { ndjsonFd = openSync(o.output!, 'w'); } catch (e) { throw new UsageError(`cannot write '${o.output}': ${(e as NodeJS.ErrnoException).code}`); }
  }

  let stopRequested = false;
  const onSig = () => { stopRequested = true; };
  process.once('SIGINT', onSig);

  const flags = FLAG_WINDOWS | (ndjsonFd !== null ? FLAG_TAG_ALL : 0);
  const res = await replay(setup, files, flags, {
    anomaly: (a, file, line) => {
      const events = builder.addAnomaly(a, { file: files.length > 1 ? file : undefined, line });
      for (const ev of events) {
        if (human && ev.severity !== 'info') {
          if (printed < maxPrint) {
            progress.clear();
            process.stdout.write(formatAnomaly(ev, out) + '\n');
            printed++;
          } else suppressed++;
        }
        if (alerter && shouldAlert(a.alert, ev, minAlert)) alerter.send(ev);
      }
    },
    window: (w) => builder.addWindow(w),
    tagged: ndjsonFd !== null ? (bytes) => { writeAll(ndjsonFd!, bytes); } : undefined,
  }, { progress, stop: () => stopRequested, skipped: (n) => process.stderr.write(skipMessage(n) + '\n') });
  process.removeListener('SIGINT', onSig);
  if (ndjsonFd !== null) closeSync(ndjsonFd);

  const stats = setup.mod.stats();
  let templates: TemplateInfo[] = [];
  try { templates = JSON.parse(setup.mod.templatesJson() || '[]'); } catch { templates = []; }
  const report = builder.build({ files, totalLines: res.totalLines, stats, templates, elapsedSec: res.elapsedSec, moduleSec: Number(setup.mod.batchNs) / 1e9, version: version() });
  if (res.interrupted) (report as Record<string, unknown>).interrupted = true;
  if (res.skipped.length) (report as Record<string, unknown>).skipped = res.skipped;
  // Only alerts (window-level decisions) decide the exit code, never a template's first sighting.
  let code = exitCodeFor(failOn, builder.alertsBySeverity);

  if (human) {
    if (res.interrupted) process.stdout.write(out.yellow('\nInterrupted by user\n'));
    if (suppressed > 0) process.stdout.write(out.dim(`… ${fmtInt(suppressed)} more warning/critical events not shown (see --output report.json)\n`));
    const rates = builder.rates();
    process.stdout.write(formatSummary({
      totalLines: res.totalLines,
      uniquePatterns: report.unique_patterns,
      avgEventRate: rates.windows ? rates.avg_event_rate : null,
      avgErrorRate: rates.windows ? rates.avg_error_rate : null,
      bySeverity: builder.bySeverity,
      alerts: builder.alertsBySeverity,
      infoEvents: builder.infoEvents,
      elapsedSec: res.elapsedSec,
    }, out));
  }

  if (kind === 'json') writeOutput(o.output!, JSON.stringify(report, null, 2) + '\n');
  else if (kind === 'html') writeOutput(o.output!, await renderHtml!(report));
  if (o.output && human) process.stdout.write(out.green(`\nReport saved to: ${o.output}\n`));

  // Delivery gets its few seconds; alerts still undelivered then (receiver down) make the exit
  // code 4, and the --json summary says so too.
  let undelivered: number | null = null;
  if (alerter) {
    await alerter.close();
    undelivered = alerter.stats().queued;
    if (undelivered > 0) code = EXIT_ALERTS_PENDING;
  }

  if (o.json) {
    const summary: Record<string, unknown> = { ...buildSummary(report, failOn, code) };
    if (res.skipped.length) summary.skipped = res.skipped;
    if (undelivered !== null) summary.alerts_undelivered = undelivered;
    process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  }
  if (undelivered) process.stderr.write(pendingAlertsLine(undelivered) + '\n');
  return code;
}

function writeAll(fd: number, bytes: Buffer): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

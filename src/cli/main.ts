#!/usr/bin/env node
// The `lad` command. Exit codes: 0 ok, 1 anomalies at or above --fail-on, 2 usage/input/config
// error (one line on stderr naming the offending value), 3 internal error, 4 alerts left undelivered
// in the spool (lad analyze, lad alerts flush).
import { existsSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { analyze } from './analyze.js';
import { watch } from './watch.js';
import { baselineCreate, baselineMerge, baselineShow } from './baseline.js';
import { templates } from './templates.js';
import { EXIT_OK, EXIT_USAGE, fail, version } from './common.js';
import { registerServe } from './serve.js';
import { registerAlerts } from './alerts.js';
import { nearest } from '../config/load.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

function build(): Command {
  const program = new Command('lad');
  program
    .description('Edge log anomaly detector: replays and follows logs through the same WebAssembly module Fluent Bit runs')
    .version(version(), '-V, --version')
    .configureOutput({ outputError: (str, write) => write(`lad: ${str.replace(/^error: /, '').trim()} (see --help)\n`) })
    .exitOverride();

  const formatOpt = () => new Option('-f, --format <format>', 'log format: auto, syslog, json, nginx, apache, logfmt, ... or a custom name from the config\'s formats:').default('auto');
  const configOpt = () => new Option('-c, --config <file>', 'configuration (YAML like the seed\'s anomaly_config.yaml, or lad.json)');

  program.command('analyze', { isDefault: true })
    .description('replay log files (plain or .gz, or - for stdin) through the detector and report anomalies')
    .argument('<files...>', 'log files, .gz files, or - for stdin')
    .addOption(formatOpt())
    .option('-t, --threshold <z>', 'anomaly threshold in standard deviations (default 3.0, or detection.threshold)')
    .addOption(configOpt())
    .option('-b, --baseline <file>', 'compare with a baseline (repeatable)', collect)
    .option('-o, --output <file>', 'write report.html, report.json or records.ndjson (by extension)')
    .option('-q, --quiet', 'no human-readable output (anomaly lines, summary, status, messages); --json/--ndjson output, written files, errors and warnings still appear')
    .option('--json', 'print a machine-readable summary on stdout')
    .option('--fail-on <severity>', 'exit 1 when an alert this severe was found (window-level decisions; a first sighting never counts): warning, critical or never', 'critical')
    .option('--no-alerts', 'do not deliver alerts even if alerting.enabled')
    .option('--no-progress', 'no progress line on stderr')
    .option('--max-print <n>', 'print at most n warning/critical events', '200')
    .option('--stream <name>', 'stream name for all files (default: the file name without rotation suffix; with one stream and a one-stream baseline, the baseline\'s)')
    .action(async (files: string[], opts) => done(await analyze(files, opts)));

  program.command('watch')
    .description('follow log files like tail -F (rotation, copytruncate, files appearing later); Ctrl-C prints a summary')
    .argument('<files...>', 'log files to follow')
    .addOption(formatOpt())
    .option('-t, --threshold <z>', 'anomaly threshold in standard deviations')
    .addOption(configOpt())
    .option('-b, --baseline <file>', 'compare with a baseline (repeatable)', collect)
    .option('--ndjson', 'write every record, tagged, as NDJSON on stdout (e.g. for Vector\'s exec source); messages go to stderr')
    .option('-q, --quiet', 'no human-readable output (anomaly lines, summary, status, messages); --json/--ndjson output, written files, errors and warnings still appear')
    .option('--from-end', 'skip what the files hold at start (default: read them from the beginning)')
    .option('--interval <ms>', 'poll interval', '250')
    .option('--status-interval <seconds>', 'status line period on stderr (0 = off)', '10')
    .option('--positions <file>', 'remember read positions in this file and resume from them (no line twice across restarts)')
    .option('--no-alerts', 'do not deliver alerts even if alerting.enabled')
    .option('--stream <name>', 'stream name for all files (default: the file name without rotation suffix; with one stream and a one-stream baseline, the baseline\'s)')
    .option('--state <file>', 'restore learned templates from this file at start, save them every state.interval_seconds and at exit (default: the config\'s state.file)')
    .option('-o, --output <file>', 'at exit, write report.html or report.json; records.ndjson gets every tagged record as it goes (by extension)')
    .option('--json', 'at exit, print a machine-readable summary on stdout (human output goes to stderr)')
    .option('--fail-on <severity>', 'exit 1 at the end when an alert this severe was raised while watching: warning, critical or never', 'never')
    .action(async (files: string[], opts) => done(await watch(files, opts)));

  const baseline = program.command('baseline').description('create, merge and show baselines');
  baseline.command('create')
    .description('learn a baseline from log files')
    .argument('<files...>', 'log files (plain, .gz or -)')
    .option('-o, --output <file>', 'baseline file to write', 'baseline.json')
    .addOption(formatOpt())
    .addOption(configOpt())
    .option('--stream <name>', 'stream name to learn the files under (default: the file name without rotation suffix)')
    .option('-q, --quiet', 'no human-readable output (anomaly lines, summary, status, messages); --json/--ndjson output, written files, errors and warnings still appear')
    .option('--no-progress', 'no progress line on stderr')
    .action(async (files: string[], opts) => done(await baselineCreate(files, opts)));
  baseline.command('merge')
    .description('merge baselines (e.g. from several hosts) into one; counts add')
    .argument('<files...>', 'baseline files')
    .requiredOption('-o, --output <file>', 'merged baseline file to write')
    .addOption(configOpt())
    .option('-q, --quiet', 'no human-readable output (anomaly lines, summary, status, messages); --json/--ndjson output, written files, errors and warnings still appear')
    .action(async (files: string[], opts) => done(await baselineMerge(files, opts)));
  baseline.command('show')
    .description('describe a baseline file')
    .argument('<file>', 'baseline file')
    .option('--json', 'print it as JSON')
    .addOption(configOpt())
    .action(async (file: string, opts) => done(await baselineShow(file, opts)));

  program.command('templates')
    .description('list the log templates learned from files: counts, first/last seen, example')
    .argument('<files...>', 'log files (plain, .gz or -)')
    .addOption(formatOpt())
    .addOption(configOpt())
    .option('--json', 'print JSON')
    .option('-n, --limit <n>', 'show the first n (0 = all)', '50')
    .option('--sort <key>', 'count, first or id', 'count')
    .option('--examples', 'show an example line under each template')
    .option('--no-progress', 'no progress line on stderr')
    .action(async (files: string[], opts) => done(await templates(files, opts)));

  registerServe(program);
  registerAlerts(program);
  program.addHelpText('after', `
'lad FILE...' is short for 'lad analyze FILE...' (as with the seed script).
Exit codes: 0 ok, 1 an alert at or above --fail-on (analyze), 2 usage/input/config error, 3 internal error, 4 alerts left undelivered.`);
  // Defaults in --help as the user types them (200, not "200").
  const unquote = (c: Command) => {
    for (const opt of c.options) if (typeof opt.defaultValue === 'string' && opt.defaultValueDescription === undefined) opt.defaultValueDescription = opt.defaultValue;
    c.commands.forEach(unquote);
  };
  unquote(program);
  return program;
}

function done(code: number): void {
  process.exitCode = code;
  // Let stdout drain (pipes), then exit even if an alert timer or a stream would keep us alive.
  process.stdout.write('', () => process.exit(code));
}

const COMMANDS = ['analyze', 'watch', 'baseline', 'templates', 'serve', 'help'];

/** The seed script's habits, answered before commander sees them: `-v` (its --version) prints the
 *  version; `-w/--watch` and `--create-baseline` (its modes) and a misspelt command name (`lad
 *  analyse x`, which would otherwise be read as a file name) are a usage error pointing to the
 *  command to type. Returns the error line, or null. */
export function seedHabits(args: string[]): string | null {
  const end = args.indexOf('--');
  const opts = end < 0 ? args : args.slice(0, end);
  const first = args[0] ?? '';
  const inAnalyze = first === 'analyze' || (!COMMANDS.includes(first));
  if (inAnalyze) {
    if (opts.includes('-w') || opts.includes('--watch')) {
      const rest = opts.filter((a) => a !== '-w' && a !== '--watch' && a !== 'analyze');
      return `-w/--watch (the seed script's follow mode) is a command here: lad watch ${rest.join(' ') || 'FILE...'}`;
    }
    if (opts.includes('--create-baseline')) {
      const oi = opts.findIndex((a) => a === '-o' || a === '--output');
      const out = oi >= 0 && opts[oi + 1] ? opts[oi + 1] : 'baseline.json';
      const rest = opts.filter((a, i) => a !== '--create-baseline' && a !== 'analyze' && i !== oi && (oi < 0 || i !== oi + 1));
      return `--create-baseline (the seed script's option) is a command here: lad baseline create ${rest.join(' ') || 'FILE...'} -o ${out}`;
    }
  }
  if (first && !first.startsWith('-') && !COMMANDS.includes(first) && !existsSync(first)) {
    const near = nearest(first, COMMANDS.filter((c) => c !== 'help'));
    if (near) return `unknown command '${first}' (did you mean 'lad ${near}'?); 'lad FILE' analyses a file, and there is no file '${first}'`;
  }
  return null;
}

async function main(): Promise<void> {
  const program = build();
  if (process.argv.length <= 2) {
    program.outputHelp({ error: true });
    process.exit(EXIT_USAGE);
  }
  const args = process.argv.slice(2);
  const dd = args.indexOf('--');
  if ((dd < 0 ? args : args.slice(0, dd)).includes('-v')) {
    // The seed's -v is --version.
    process.stdout.write(version() + '\n');
    process.exit(EXIT_OK);
  }
  const habit = seedHabits(args);
  if (habit) {
    process.stderr.write(`lad: ${habit}\n`);
    process.exit(EXIT_USAGE);
  }
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      const ok = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
      process.exit(ok ? EXIT_OK : EXIT_USAGE);
    }
    fail(e);
  }
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(EXIT_OK); });
void main();

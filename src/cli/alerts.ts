// `lad alerts flush`: delivers the alerts waiting in the spool (left by a run during an outage) now,
// without analysing anything. Exit 0 when the spool is empty afterwards, 4 when alerts are still
// waiting (receiver still unreachable), 2 on a bad option or configuration.
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { UsageError, createAlerterFor } from './common.js';
import { EXIT_ALERTS_PENDING, pendingAlertsLine } from '../alerts/severity.js';

export interface FlushOptions {
  config?: string;
  timeout: string;
}

export async function alertsFlush(o: FlushOptions): Promise<number> {
  const secs = Number(o.timeout);
  if (o.timeout.trim() === '' || !Number.isFinite(secs) || secs <= 0) throw new UsageError(`invalid --timeout '${o.timeout}': expected a positive number of seconds`);
  const cfg = loadConfig(o.config);
  const alerter = await createAlerterFor(cfg, true);
  if (!alerter) throw new UsageError(`${cfg.source || 'configuration'}: alerting is not enabled; nothing to flush (set alerting.enabled and a sink)`);
  const deadline = Date.now() + secs * 1000;
  const start = alerter.stats().queued;
  let timer: NodeJS.Timeout | null = null;
  await Promise.race([alerter.idle(), new Promise<void>((r) => { timer = setTimeout(r, secs * 1000); })]);
  if (timer) clearTimeout(timer);
  await alerter.close(Math.max(100, deadline - Date.now()));
  const st = alerter.stats();
  process.stderr.write(`lad alerts flush: ${st.delivered} delivered, ${st.queued} still queued (of ${start} waiting)\n`);
  if (st.queued > 0) {
    process.stderr.write(pendingAlertsLine(st.queued) + '\n');
    return EXIT_ALERTS_PENDING;
  }
  return 0;
}

export function registerAlerts(program: Command): void {
  const alerts = program.command('alerts').description('the alert delivery spool');
  alerts.command('flush')
    .description('deliver the alerts waiting in the spool now (exit 0 when none is left, 4 when some still wait)')
    .option('-c, --config <file>', 'configuration with the alerting: section (the sinks whose spools to flush)')
    .option('--timeout <seconds>', 'give up after this long (what is left stays in the spool)', '30')
    .action(async (opts: FlushOptions) => {
      const code = await alertsFlush(opts);
      process.exitCode = code;
      process.stdout.write('', () => process.exit(code));
    });
}

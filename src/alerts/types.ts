// Alerting configuration (the `alerting:` section of anomaly_config.yaml) and the Alerter API.
import type { AnomalyEvent, Severity } from '../report/types.js';

export type { AnomalyEvent, Severity };

export type SinkType = 'webhook' | 'slack' | 'alertmanager';

export interface SinkConfig {
  type: SinkType;
  url: string;
  /** Extra request headers (e.g. Authorization). Values are treated as secrets: never logged. */
  headers?: Record<string, string>;
  /** Whole-request deadline (connect + response); default 5000. */
  timeout_ms?: number;
}

export interface RetryConfig {
  /** First backoff ceiling; default 500. */
  initial_ms: number;
  /** Backoff ceiling cap; default 60000. */
  max_ms: number;
  /** Attempts per alert in one run before it goes to the sink's dead-letter file. Unset (default):
   *  transient failures (network, timeout, 5xx, 408, 429) retry forever; permanent ones (other
   *  4xx, 3xx) are dead-lettered after 5 attempts so one bad alert cannot block the queue. */
  max_attempts?: number;
}

export interface AlertingConfig {
  enabled: boolean;
  min_severity: Severity;
  /** Seed key: a generic JSON webhook (same as a `{type: webhook}` sink). Empty string = none. */
  webhook_url?: string;
  sinks?: SinkConfig[];
  /** Suppress repeats of the same stream+type within this many seconds of event time; default 300,
   *  0 disables. `resolved` events always pass. */
  dedupe_seconds?: number;
  /** Bound on the on-disk spool of each sink; default 16 MiB. Oldest alerts are dropped (and
   *  logged) only beyond it. */
  spool_max_bytes?: number;
  retry?: RetryConfig;
  /** Where the CLI keeps the spools (read by the CLI, which passes it as opts.spoolDir). */
  spool_dir?: string;
}

export interface AlerterOptions {
  /** Directory for the per-sink spools (created if missing). */
  spoolDir: string;
  /** Receives one line per failure / drop / recovery; secrets already redacted. Default: stderr. */
  log?: (line: string) => void;
  /** Default deadline for close(); default 5000 ms. */
  closeTimeoutMs?: number;
}

export interface AlerterStats {
  /** Alerts accepted by send() after filtering and dedupe. */
  accepted: number;
  /** Dropped by min_severity / dedupe. */
  filtered: number;
  /** Successful deliveries (per sink). */
  delivered: number;
  /** Failed delivery attempts (per sink). */
  failures: number;
  /** Undelivered alerts waiting in the spools (sum over sinks). */
  queued: number;
  /** Alerts lost because a spool exceeded spool_max_bytes, or dead-lettered. */
  dropped: number;
  dead_lettered: number;
  /** Alerts not queued again because the spool already held or recently delivered the same id. */
  duplicates: number;
}

export interface Alerter {
  /** Non-blocking: filters, dedupes and enqueues the event for every sink. Never throws. */
  send(event: AnomalyEvent): void;
  /** Stops accepting events, makes every accepted event durable in the spool, then delivers what it
   *  can until the deadline (default opts.closeTimeoutMs); the rest stays in the spool for the next
   *  Alerter on the same spoolDir. Never rejects. */
  close(timeoutMs?: number): Promise<void>;
  /** Resolves when every sink's queue is empty (or the alerter is closed). For status lines/tests. */
  idle(): Promise<void>;
  stats(): AlerterStats;
}

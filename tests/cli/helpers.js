// Shared helpers for the CLI tests: run the built CLI (dist/cli/main.js) and make temp dirs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');
export const SYSLOG = join(ROOT, 'samples', 'syslog-sample.log');
export const JSONL = join(ROOT, 'samples', 'app-sample.jsonl');
export const LOGHUB = join(ROOT, '..', 'shared', 'data', 'loghub-2k');

/** The seed's anomaly_config.yaml, verbatim. */
export const SEED_CONFIG = `detection:
  # Standard deviations for anomaly threshold
  threshold: 3.0
  # Minimum events per window for analysis
  min_events: 10
  # Time window for rate analysis (seconds)
  window_size: 60

patterns:
  # Known error patterns to track
  error_patterns:
    - "ERROR"
    - "FATAL"
    - "CRITICAL"
    - "Exception"
    - "failed"
    - "timeout"
  # Patterns to ignore
  ignore_patterns:
    - "DEBUG"
    - "healthcheck"

alerting:
  enabled: true
  webhook_url: ""
  min_severity: "warning"

formats:
  syslog: '(?P<timestamp>\\w+\\s+\\d+\\s+\\d+:\\d+:\\d+)\\s+(?P<host>\\S+)\\s+(?P<process>\\S+):\\s+(?P<message>.*)'
  nginx_error: '(?P<timestamp>\\d{4}/\\d{2}/\\d{2}\\s+\\d{2}:\\d{2}:\\d{2})\\s+\\[(?P<level>\\w+)\\]\\s+(?P<message>.*)'
  json: null  # Parsed as JSON
`;

/** Runs `lad ...args`; returns { code, stdout, stderr }. */
export function lad(args, opts = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    timeout: 120000,
    ...opts,
    env: { ...process.env, NO_COLOR: '1', ...(opts.env ?? {}) },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

export function tmp(t) {
  const d = mkdtempSync(join(tmpdir(), 'lad-cli-test-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** The seed's anomaly_config.yaml exactly as the seed README gives it (../shared), else SEED_CONFIG. */
export function seedConfig() {
  try {
    const md = readFileSync(join(ROOT, '..', 'shared', 'seed', 'log-anomaly-detector.md'), 'utf8');
    const m = /`anomaly_config\.yaml`[^`]*```yaml\n([\s\S]*?)```/.exec(md);
    if (m) return m[1];
  } catch { /* fall through */ }
  return SEED_CONFIG;
}

// What the configured module does, asked of it (lad_describe's effective configuration) instead of
// reading the config file again with defaults restated on the host side.
import type { LadModule } from './module.js';

export interface Effective {
  /** detection.window_size, seconds. */
  windowSec: number;
  /** output.key, then output.fallback_key. */
  outputKeys: string[];
  /** input.heartbeat_tag (the table's default when configured empty). */
  heartbeatTag: string;
  /** state.interval_seconds. */
  stateIntervalSec: number;
  /** alerting.min_severity: the least severity that sets `alert: true`. */
  minSeverity: string;
}

export function effective(mod: LadModule): Effective {
  const d = mod.describe();
  const e = d.effective;
  const dflt = (key: string) => d.config.find((k) => k.key === key)?.default;
  return {
    windowSec: e['detection.window_size'] as number,
    outputKeys: [e['output.key'] as string, e['output.fallback_key'] as string],
    heartbeatTag: (e['input.heartbeat_tag'] as string) || (dflt('input.heartbeat_tag') as string),
    stateIntervalSec: e['state.interval_seconds'] as number,
    minSeverity: e['alerting.min_severity'] as string,
  };
}

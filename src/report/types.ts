// The analysis report: the seed's report.json fields plus lad's own (documented in README).

export type { Severity } from '../module/vocabulary.js';
import type { Severity } from '../module/vocabulary.js';

export interface TemplateCount {
  template_id: string;
  template: string;
  count: number;
  expected?: number;
}

/** One anomaly event as the module emits it in anomaly.events, plus the seed's fields. */
export interface AnomalyEvent {
  type: string;                 // rate_spike, rate_drop, error_spike, pattern_spike, new_pattern, baseline_deviation, resolved
  severity: Severity;
  stream: string;
  timestamp: string;            // RFC 3339, event time of the record that carried it (seed field)
  description: string;
  value?: number;
  expected?: number;
  score?: number;
  window_start?: string;
  window_end?: string;
  template_id?: string;
  template?: string;
  top_templates?: TemplateCount[];
  example?: string;
  sample_entries?: string[];    // seed field: up to 5 raw lines, 200 chars each
  alert?: boolean;              // a window-level decision at warning or above (else informational)
}

export interface WindowPoint {
  start: string;                // RFC 3339
  count: number;
  errors: number;
}

export interface TemplateInfo {
  template_id: string;
  template: string;
  count: number;
  first_seen: string;
  last_seen: string;
  example: string;
  new?: boolean;                // first seen after warm-up
}

export interface Report {
  analyzed_file: string;
  analysis_time: string;
  total_lines: number;
  unique_patterns: number;
  anomalies: AnomalyEvent[];
  statistics: {
    avg_event_rate: number;     // events per minute, mean over windows
    avg_error_rate: number;     // error share 0..1, mean over windows
    by_level: Record<string, number>;
    by_format: Record<string, number>;
    by_severity: Record<Severity, number>;
    lines_per_second?: number;
  };
  streams: { stream: string; windows: WindowPoint[] }[];
  templates: TemplateInfo[];
  lad_version: string;
}

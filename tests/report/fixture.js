// A Report fixture with hostile log text in every field that carries log content.
export const XSS = '<script>alert(1)</script>';
export const XSS2 = '</script><script>window.__pwned = 2</script><img src=x onerror="window.__pwned=3">';

const t0 = Date.UTC(2024, 2, 1, 10, 0, 0);
const iso = (ms) => new Date(ms).toISOString();

export function makeReport() {
  const windows = (base, spikeAt, errAt) => Array.from({ length: 120 }, (_, i) => ({
    start: iso(t0 + i * 60000),
    count: base + (i % 7) + (i >= spikeAt && i < spikeAt + 3 ? base * 6 : 0),
    errors: 1 + (i >= errAt && i < errAt + 4 ? base * 2 : 0),
  }));
  const anomalies = [
    {
      type: 'rate_spike', severity: 'warning', stream: 'web', timestamp: iso(t0 + 60 * 60000),
      description: 'event rate 540/min vs expected 93/min', value: 540, expected: 93, score: 6.1,
      window_start: iso(t0 + 60 * 60000), window_end: iso(t0 + 61 * 60000),
      top_templates: [
        { template_id: 't1', template: 'GET <*> HTTP/1.1 200', count: 400, expected: 60 },
        { template_id: 't9', template: XSS, count: 12, expected: 0 },
      ],
      example: 'GET /index.html HTTP/1.1 200',
      sample_entries: ['GET /index.html HTTP/1.1 200', XSS2],
    },
    {
      type: 'error_spike', severity: 'critical', stream: 'web', timestamp: iso(t0 + 90 * 60000),
      description: `error share 62% in window: ${XSS}`, value: 0.62, expected: 0.01, score: 9.3,
      window_start: iso(t0 + 90 * 60000), window_end: iso(t0 + 91 * 60000),
      template_id: 't9', template: XSS,
      example: XSS,
      sample_entries: [XSS, XSS2, 'x'.repeat(5000)],
    },
    {
      type: 'new_pattern', severity: 'info', stream: 'db', timestamp: iso(t0 + 30 * 60000),
      description: 'new template after warm-up', template_id: 't7', template: 'connection reset by <*>',
      example: 'connection reset by 10.0.0.7 <b>bold</b>',
    },
    {
      type: 'resolved', severity: 'info', stream: 'web', timestamp: iso(t0 + 95 * 60000),
      description: 'error share back to normal',
    },
  ];
  return {
    analyzed_file: `/var/log/${XSS}.log`,
    analysis_time: iso(t0 + 200 * 60000),
    total_lines: 54321,
    unique_patterns: 42,
    anomalies,
    statistics: {
      avg_event_rate: 97.5, avg_error_rate: 0.021,
      by_level: { INFO: 50000, ERROR: 1200, [XSS]: 1 },
      by_format: { syslog: 40000, json: 14321 },
      by_severity: { info: 2, warning: 1, critical: 1 },
      lines_per_second: 812345,
    },
    streams: [
      { stream: 'web', windows: windows(90, 60, 90) },
      { stream: 'db', windows: windows(20, 200, 200).filter((_, i) => i < 40 || i > 50) }, // a gap
    ],
    templates: [
      { template_id: 't1', template: 'GET <*> HTTP/1.1 200', count: 40000, first_seen: iso(t0), last_seen: iso(t0 + 119 * 60000), example: 'GET / HTTP/1.1 200' },
      { template_id: 't9', template: XSS, count: 80, first_seen: iso(t0 + 89 * 60000), last_seen: iso(t0 + 93 * 60000), example: XSS2, new: true },
      { template_id: 't7', template: 'connection reset by <*>', count: 3, first_seen: iso(t0 + 30 * 60000), last_seen: iso(t0 + 31 * 60000), example: 'connection reset by 10.0.0.7', new: true },
      { template_id: 't2', template: 'user <*> logged in', count: 14000, first_seen: iso(t0), last_seen: iso(t0 + 119 * 60000), example: 'user bob logged in' },
    ],
    lad_version: '0.1.0-test',
  };
}

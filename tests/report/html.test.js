// Static checks of the HTML report: self-contained, escaped, data round-trips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderHtml, jsonForScript, escapeHtml } from '../../dist/report/html.js';
import { makeReport, XSS, XSS2 } from './fixture.js';

function dataBlock(html) {
  const m = /<script type="application\/json" id="lad-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'data block present');
  return m[1];
}

test('log text never appears as markup; it round-trips through the JSON block', () => {
  const r = makeReport();
  const html = renderHtml(r);
  assert.ok(!html.includes(XSS), 'no raw <script> from log text');
  assert.ok(!html.includes('<img'), 'no raw <img> from log text');
  assert.ok(!/<[a-z][^>]*\sonerror=/i.test(html), 'no handler attribute from log text');
  // Exactly our three script elements: data, uPlot, page script.
  assert.equal((html.match(/<script\b/gi) || []).length, 3);
  const raw = dataBlock(html);
  assert.ok(!/[<>&]/.test(raw), 'no <, > or & inside the data block');
  const d = JSON.parse(raw);
  const crit = d.anomalies.find((a) => a.type === 'error_spike');
  assert.equal(crit.example, XSS);
  assert.equal(crit.template, XSS);
  assert.deepEqual(crit.sample_entries.slice(0, 2), [XSS, XSS2]);
  assert.ok(crit.sample_entries[2].length < 2100 && crit.sample_entries[2].includes('more chars'), 'long lines clipped');
  assert.equal(d.meta.file, r.analyzed_file);
  assert.equal(d.anomalies.length, 4);
  assert.deepEqual(d.anomalies.map((a) => a.type), ['new_pattern', 'rate_spike', 'error_spike', 'resolved'], 'time order');
  assert.deepEqual(d.topTemplates.map((t) => t.template_id), ['t1', 't2', 't9', 't7']);
  assert.deepEqual(d.newTemplates.map((t) => t.template_id), ['t7', 't9']);
  // Title is escaped HTML.
  assert.ok(html.includes(`<title>lad report: /var/log/&lt;script&gt;alert(1)&lt;/script&gt;.log</title>`));
});

test('self-contained and offline: no external resource, CSP forbids fetches', () => {
  const html = renderHtml(makeReport());
  assert.ok(!/<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=/i.test(html), 'no external resource element');
  assert.match(html, /http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-/);
  assert.match(html, /uPlot v?1\.6\.\d+/);
  assert.match(html, /Copyright \(c\) \d{4} Leon Sorokin/, 'uPlot MIT notice kept');
  assert.ok(html.length < 400_000, `report is ${html.length} bytes`);
});

test('series: rate per minute, error share, gaps drop to zero', () => {
  const d = JSON.parse(dataBlock(renderHtml(makeReport())));
  const web = d.streams.find((s) => s.stream === 'web');
  assert.equal(web.windowSec, 60);
  assert.equal(web.t.length, 120);
  assert.equal(web.rate[0], 90);                 // 90 events in a 60 s window
  assert.equal(web.err[0], Math.round(100000 / 90) / 1000);
  const db = d.streams.find((s) => s.stream === 'db');
  assert.ok(db.rate.includes(0), 'gap rendered as zero');
  assert.ok(db.err.includes(null));
});

test('empty and odd reports still render', () => {
  const html = renderHtml({
    analyzed_file: '-', analysis_time: '', total_lines: 0, unique_patterns: 0, anomalies: [],
    statistics: { avg_event_rate: 0, avg_error_rate: 0, by_level: {}, by_format: {}, by_severity: { info: 0, warning: 0, critical: 0 } },
    streams: [{ stream: 'x', windows: [{ start: 'not a time', count: 1, errors: 0 }] }], templates: [], lad_version: '0',
  });
  const d = JSON.parse(dataBlock(html));
  assert.equal(d.streams[0].t.length, 0);
  assert.equal(d.anomalies.length, 0);
});

test('helpers escape what they must', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  assert.equal(jsonForScript({ s: '</script>\u2028&' }), '{"s":"\\u003c/script\\u003e\\u2028\\u0026"}');
  assert.deepEqual(JSON.parse(jsonForScript({ s: '</script>\u2028&' })), { s: '</script>\u2028&' });
});

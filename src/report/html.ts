/// <reference types="node" />
// Self-contained HTML report: one file, works offline (uPlot and the page script are inlined, a CSP
// forbids every network fetch). Log text only ever travels as JSON in a data block and is put on the
// page with textContent, so a log line containing markup renders as text; the CSP (script hashes)
// is a second wall should that ever fail.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AnomalyEvent, Report, TemplateInfo, WindowPoint } from './types.js';
import { CLIENT_JS } from './html_client.js';
import { SEV_RANK } from '../module/vocabulary.js';

const MAX_TEXT = 2000;          // one log line / example on the page
const MAX_TEMPLATE = 1000;
const MAX_SAMPLES = 5;
const MAX_TOP_TEMPLATES_PER_ANOMALY = 10;
const MAX_ANOMALIES = 5000;     // beyond: info events dropped first (report.json keeps all)
const MAX_STREAMS = 12;         // charts; smaller streams are listed as omitted
const MAX_POINTS = 4000;        // per chart; windows merged beyond
const TOP_TEMPLATES = 50;
const NEW_TEMPLATES = 200;

let assets: { js: string; css: string; version: string; license: string } | null = null;

/** uPlot's dist files, read from node_modules once per process. */
function uplotAssets(): { js: string; css: string; version: string; license: string } {
  if (assets) return assets;
  const req = createRequire(import.meta.url);
  const js = readFileSync(req.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  const css = readFileSync(req.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const version = JSON.parse(readFileSync(req.resolve('uplot/package.json'), 'utf8')).version as string;
  let license = '';
  try { license = readFileSync(req.resolve('uplot/LICENSE'), 'utf8'); } catch { /* MIT; notice below */ }
  assets = { js: safeScript(js), css: css.replace(/<\/style/gi, '<\\/style'), version, license: license.replace(/--/g, '- -') };
  return assets;
}

/** Script text that cannot end its <script> element early. */
function safeScript(js: string): string {
  if (/<!--/.test(js)) throw new Error('inlined script contains "<!--"');
  return js.replace(/<\/script/gi, '<\\/script');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON for a <script type="application/json"> block: no `<`, `>` or `&` can appear literally. */
export function jsonForScript(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Truncates without splitting a surrogate pair. */
function clip(v: unknown, max: number): string {
  let s = typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
  if (s.length <= max) return s;
  let end = max;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  s = s.slice(0, end) + ` … [${s.length - end} more chars]`;
  return s;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function timeMs(s: string | undefined): number | null {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : null;
}

// ---- series ---------------------------------------------------------------------------------------

interface ChartSeries {
  stream: string;
  windowSec: number;
  merged: number;
  total: number;
  t: number[];                 // seconds
  rate: (number | null)[];     // events per minute
  err: (number | null)[];      // error share, percent
}

function buildSeries(stream: string, windows: WindowPoint[]): ChartSeries {
  const pts: { t: number; count: number; errors: number }[] = [];
  for (const w of windows) {
    const t = timeMs(w.start);
    if (t === null) continue;
    pts.push({ t: t / 1000, count: Math.max(0, num(w.count) ?? 0), errors: Math.max(0, num(w.errors) ?? 0) });
  }
  pts.sort((a, b) => a.t - b.t);
  // The window length is not in the report: the smallest step between windows is.
  let ws = Infinity;
  for (let i = 1; i < pts.length; i++) {
    const d = pts[i].t - pts[i - 1].t;
    if (d > 0 && d < ws) ws = d;
  }
  if (!Number.isFinite(ws)) ws = 60;
  const total = pts.reduce((a, p) => a + p.count, 0);
  // Too many windows for a readable chart: merge k consecutive window slots.
  const span = pts.length ? pts[pts.length - 1].t - pts[0].t : 0;
  const merged = Math.max(1, Math.ceil(span / ws / MAX_POINTS));
  const bucket = ws * merged;
  const buckets: { t: number; count: number; errors: number }[] = [];
  for (const p of pts) {
    const bt = pts[0].t + Math.floor((p.t - pts[0].t) / bucket) * bucket;
    const last = buckets[buckets.length - 1];
    if (last && last.t === bt) { last.count += p.count; last.errors += p.errors; } else buckets.push({ t: bt, count: p.count, errors: p.errors });
  }
  const out: ChartSeries = { stream, windowSec: ws, merged, total, t: [], rate: [], err: [] };
  const push = (t: number, count: number, errors: number | null): void => {
    out.t.push(t);
    out.rate.push(Math.round((count * 60 / bucket) * 1000) / 1000);
    out.err.push(errors === null || count === 0 ? null : Math.round((errors / count) * 100000) / 1000);
  };
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i];
    const prev = buckets[i - 1];
    // A missing window had no events: drop the line to zero instead of bridging the gap.
    if (prev && b.t - prev.t > bucket * 1.5) {
      push(prev.t + bucket, 0, null);
      if (b.t - bucket > prev.t + bucket) push(b.t - bucket, 0, null);
    }
    push(b.t, b.count, b.errors);
  }
  return out;
}

// ---- page data --------------------------------------------------------------------------------

function anomalyData(a: AnomalyEvent, i: number): Record<string, unknown> {
  return {
    i,
    t: timeMs(a.timestamp) ?? timeMs(a.window_start),
    timestamp: clip(a.timestamp, 64),
    type: clip(a.type, 64),
    severity: clip(a.severity, 16),
    stream: clip(a.stream, 256),
    description: clip(a.description, MAX_TEXT),
    value: num(a.value),
    expected: num(a.expected),
    score: num(a.score),
    window_start: a.window_start ? clip(a.window_start, 64) : undefined,
    window_end: a.window_end ? clip(a.window_end, 64) : undefined,
    template_id: a.template_id ? clip(a.template_id, 128) : undefined,
    template: a.template ? clip(a.template, MAX_TEMPLATE) : undefined,
    top_templates: Array.isArray(a.top_templates)
      ? a.top_templates.slice(0, MAX_TOP_TEMPLATES_PER_ANOMALY).map((t) => ({
        template_id: clip(t.template_id, 128), template: clip(t.template, MAX_TEMPLATE), count: num(t.count) ?? 0, expected: num(t.expected),
      }))
      : undefined,
    example: a.example ? clip(a.example, MAX_TEXT) : undefined,
    sample_entries: Array.isArray(a.sample_entries) ? a.sample_entries.slice(0, MAX_SAMPLES).map((s) => clip(s, MAX_TEXT)) : undefined,
  };
}

function templateData(t: TemplateInfo): Record<string, unknown> {
  return {
    template_id: clip(t.template_id, 128),
    template: clip(t.template, MAX_TEMPLATE),
    count: num(t.count) ?? 0,
    first_seen: clip(t.first_seen, 64),
    last_seen: clip(t.last_seen, 64),
    example: clip(t.example, MAX_TEXT),
  };
}

function pageData(r: Report): Record<string, unknown> {
  const all = Array.isArray(r.anomalies) ? r.anomalies : [];
  // Keep the most severe when there are too many to embed; then back to time order.
  let picked = all.map((a, i) => ({ a, i }));
  if (picked.length > MAX_ANOMALIES) {
    const rank = (a: AnomalyEvent): number => SEV_RANK[a.severity] ?? 0;
    picked = picked.sort((x, y) => rank(y.a) - rank(x.a) || x.i - y.i).slice(0, MAX_ANOMALIES).sort((x, y) => x.i - y.i);
  }
  const anomalies = picked.map(({ a, i }) => anomalyData(a, i));
  anomalies.sort((x, y) => ((x.t as number | null) ?? 0) - ((y.t as number | null) ?? 0) || (x.i as number) - (y.i as number));

  const streamsIn = Array.isArray(r.streams) ? r.streams : [];
  const series = streamsIn.map((s) => buildSeries(String(s.stream ?? ''), Array.isArray(s.windows) ? s.windows : []))
    .sort((a, b) => b.total - a.total);
  const charted = series.slice(0, MAX_STREAMS);

  const templates = Array.isArray(r.templates) ? r.templates : [];
  const top = [...templates].sort((a, b) => (num(b.count) ?? 0) - (num(a.count) ?? 0)).slice(0, TOP_TEMPLATES);
  const fresh = templates.filter((t) => t.new).sort((a, b) => String(a.first_seen).localeCompare(String(b.first_seen)));

  return {
    meta: {
      file: clip(r.analyzed_file, 500),
      analysis_time: clip(r.analysis_time, 64),
      version: clip(r.lad_version, 64),
      total_lines: num(r.total_lines) ?? 0,
      unique_patterns: num(r.unique_patterns) ?? 0,
      statistics: r.statistics ?? {},
    },
    streams: charted,
    streamsOmitted: series.length - charted.length,
    anomalies,
    anomaliesOmitted: all.length - anomalies.length,
    topTemplates: top.map(templateData),
    templatesTotal: templates.length,
    newTemplates: fresh.slice(0, NEW_TEMPLATES).map(templateData),
    newOmitted: Math.max(0, fresh.length - NEW_TEMPLATES),
  };
}

// ---- page -------------------------------------------------------------------------------------

const PAGE_CSS = `
:root { --fg:#1d2330; --muted:#6b7280; --bg:#f6f7f9; --card:#fff; --line:#e3e6ea; --code:#f0f2f5; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--fg); background:var(--bg); }
header { padding:18px 28px 8px; }
h1 { font-size:20px; margin:0 0 2px; word-break:break-all; }
h2 { font-size:16px; margin:0 0 10px; }
h3 { font-size:14px; margin:6px 0; font-weight:600; }
h4 { font-size:13px; margin:10px 0 4px; }
main { padding:0 28px 40px; }
section { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:16px 18px; margin:14px 0; }
.muted { color:var(--muted); font-weight:normal; }
code, pre { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:12.5px; }
code { background:var(--code); padding:1px 4px; border-radius:3px; word-break:break-all; }
pre { background:var(--code); padding:6px 8px; border-radius:4px; margin:4px 0; white-space:pre-wrap; word-break:break-all; max-height:16em; overflow:auto; }
.cards { display:flex; flex-wrap:wrap; gap:10px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:10px 14px; min-width:120px; }
.card-v { font-size:20px; font-weight:600; } .card-k { color:var(--muted); font-size:12px; }
.card.sev-critical .card-v { color:#c62828; } .card.sev-warning .card-v { color:#ef6c00; } .card.sev-info .card-v { color:#1565c0; }
.breakdown { display:flex; gap:24px; flex-wrap:wrap; margin-top:10px; }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; padding:5px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:12px; color:var(--muted); font-weight:600; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
td.ts { white-space:nowrap; font-variant-numeric:tabular-nums; }
table.kv { width:auto; } table.kv caption { text-align:left; font-weight:600; font-size:12px; color:var(--muted); }
tr.anomaly { cursor:pointer; } tr.anomaly:hover { background:#f3f6fb; }
tr.anomaly.flash { background:#fff3c4; }
tr.details > td { background:#fafbfc; }
td.desc { max-width:48em; word-break:break-word; }
.tog { border:0; background:none; cursor:pointer; font-size:12px; color:var(--muted); }
.badge { display:inline-block; padding:1px 7px; border-radius:10px; font-size:11.5px; font-weight:600; color:#fff; }
.badge.sev-critical { background:#c62828; } .badge.sev-warning { background:#ef6c00; }
.badge.sev-info { background:#1565c0; } .badge.sev-resolved { background:#2e7d32; }
.filters { display:flex; gap:12px; align-items:center; margin-bottom:8px; flex-wrap:wrap; }
.chart { margin:6px 0 18px; } .plot { width:100%; min-height:240px; }
.legend-markers { display:flex; gap:14px; font-size:12px; color:var(--muted); }
.mk { display:inline-flex; gap:5px; align-items:center; }
.tri { width:0; height:0; border-left:6px solid transparent; border-right:6px solid transparent; border-top:9px solid #555; }
.tri.sev-critical { border-top-color:#c62828; } .tri.sev-warning { border-top-color:#ef6c00; }
.tri.sev-info { border-top-color:#1565c0; } .tri.sev-resolved { border-top-color:#2e7d32; }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:2px 12px; margin:4px 0; }
dl.facts dt { color:var(--muted); } dl.facts dd { margin:0; }
table.inner { width:auto; max-width:100%; }
footer { color:var(--muted); font-size:12px; padding:0 28px 24px; }
`;

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('base64');
}

/** Renders the whole report as one self-contained HTML document. */
export function renderHtml(report: Report): string {
  const ua = uplotAssets();
  const data = jsonForScript(pageData(report));
  const client = safeScript(CLIENT_JS);
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${sha256(ua.js)}' 'sha256-${sha256(client)}'`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = escapeHtml(`lad report: ${clip(report.analyzed_file, 200)}`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="lad ${escapeHtml(clip(report.lad_version, 64))}; uPlot ${escapeHtml(ua.version)}">
<title>${title}</title>
<style>${ua.css}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
<header>
<h1 id="title">${title}</h1>
<div id="subtitle" class="muted"></div>
</header>
<main>
<noscript><p>This report draws its charts and tables with JavaScript. The data is embedded in the page source (the <code>lad-data</code> block).</p></noscript>
<section id="summary"><h2>Summary</h2><div id="cards" class="cards"></div><div id="breakdown" class="breakdown"></div></section>
<section id="timeline"><h2>Timeline <span class="muted">event rate and error share per stream; markers are anomalies (click one to see it in the table)</span></h2>
<div id="marker-legend" class="legend-markers"></div><div id="charts"></div></section>
<section id="anomalies"><h2>Anomalies</h2>
<div class="filters"><label>Severity <select id="f-sev"><option value="all">all</option><option value="info">info and above</option><option value="warning">warning and above</option><option value="critical">critical</option></select></label>
<label>Filter <input id="f-text" type="search" placeholder="type, stream, text"></label><span id="f-count" class="muted"></span></div>
<p id="anomaly-note" class="muted"></p>
<table id="anomaly-table"><thead><tr><th></th><th>Time</th><th>Severity</th><th>Type</th><th>Stream</th><th>Description</th><th class="num">Value</th><th class="num">Expected</th></tr></thead>
<tbody id="anomaly-rows"></tbody></table></section>
<section id="top-templates"><h2>Top templates</h2><p id="top-note" class="muted"></p>
<table><thead><tr><th>Id</th><th>Template</th><th class="num">Count</th><th class="num">Share</th><th>First seen</th><th>Last seen</th></tr></thead><tbody id="top-rows"></tbody></table></section>
<section id="new-templates"><h2>New templates <span class="muted">first seen after warm-up</span></h2><p id="new-note" class="muted"></p>
<table><thead><tr><th>Id</th><th>Template</th><th class="num">Count</th><th class="num">Share</th><th>First seen</th><th>Last seen</th></tr></thead><tbody id="new-rows"></tbody></table></section>
</main>
<footer>Generated by lad ${escapeHtml(clip(report.lad_version, 64))}. Charts: uPlot ${escapeHtml(ua.version)} (MIT), bundled in this file.</footer>
<script type="application/json" id="lad-data">${data}</script>
<!-- uPlot ${escapeHtml(ua.version)}, https://github.com/leeoniya/uPlot
${escapeHtml(ua.license)}-->
<script>${ua.js}</script>
<script>${client}</script>
</body>
</html>
`;
}

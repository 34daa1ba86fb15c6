// The report page's own script, inlined as text. It reads the data block, builds every element with
// createElement/textContent (never innerHTML), and draws the charts with the bundled uPlot.
// Kept as plain ES2017 in a string so it needs neither a bundler nor DOM typings in the Node build.

import { SEVERITIES } from '../module/vocabulary.js';

export const CLIENT_JS = String.raw`(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('lad-data').textContent);
  var SEV_COLOR = { critical: '#c62828', warning: '#ef6c00', info: '#1565c0', resolved: '#2e7d32' };
  var SEV_RANK = { ${SEVERITIES.map((s, i) => s + ': ' + i).join(', ')} };

  function el(tag, props, kids) {
    var e = document.createElement(tag);
    if (props) for (var k in props) {
      if (k === 'text') e.textContent = props[k];
      else if (k === 'cls') e.className = props[k];
      else if (k.indexOf('data-') === 0) e.setAttribute(k, props[k]);
      else e[k] = props[k];
    }
    if (kids) for (var i = 0; i < kids.length; i++) if (kids[i] != null) e.appendChild(kids[i]);
    return e;
  }
  function $(id) { return document.getElementById(id); }
  function fmtNum(v, d) {
    if (v === null || v === undefined || !isFinite(v)) return '';
    var a = Math.abs(v);
    if (d === undefined) d = a >= 100 ? 0 : a >= 10 ? 1 : 2;
    return Number(v).toLocaleString('en-US', { maximumFractionDigits: d });
  }
  function fmtPct(v) { return v === null || v === undefined || !isFinite(v) ? '' : fmtNum(v * 100, 2) + ' %'; }
  function sevKey(a) { return a.type === 'resolved' ? 'resolved' : a.severity; }
  function badge(a) { var k = sevKey(a); return el('span', { cls: 'badge sev-' + k, text: k }); }

  // ---- header & summary ----------------------------------------------------------------------
  var m = D.meta;
  $('title').textContent = 'lad report: ' + m.file;
  $('subtitle').textContent = 'analyzed ' + m.analysis_time + '  ·  lad ' + m.version;
  var s = m.statistics || {};
  var bySev = s.by_severity || {};
  var cards = [
    ['Lines', fmtNum(m.total_lines, 0)],
    ['Unique patterns', fmtNum(m.unique_patterns, 0)],
    ['Avg events / min', fmtNum(s.avg_event_rate)],
    ['Avg error share', fmtPct(s.avg_error_rate)],
    ['Critical', fmtNum(bySev.critical || 0, 0), 'critical'],
    ['Warning', fmtNum(bySev.warning || 0, 0), 'warning'],
    ['Info', fmtNum(bySev.info || 0, 0), 'info']
  ];
  if (s.lines_per_second) cards.push(['Lines / s', fmtNum(s.lines_per_second, 0)]);
  var cardBox = $('cards');
  cards.forEach(function (c) {
    cardBox.appendChild(el('div', { cls: 'card' + (c[2] ? ' sev-' + c[2] : '') }, [
      el('div', { cls: 'card-v', text: c[1] }), el('div', { cls: 'card-k', text: c[0] })]));
  });
  function kvTable(title, obj) {
    var keys = Object.keys(obj || {}).sort(function (a, b) { return obj[b] - obj[a]; });
    if (!keys.length) return null;
    return el('table', { cls: 'kv' }, [
      el('caption', { text: title }),
      el('tbody', null, keys.map(function (k) {
        return el('tr', null, [el('th', { text: k }), el('td', { cls: 'num', text: fmtNum(obj[k], 0) })]);
      }))]);
  }
  var bd = $('breakdown');
  [kvTable('By level', s.by_level), kvTable('By format', s.by_format)].forEach(function (t) { if (t) bd.appendChild(t); });

  // ---- timeline charts -------------------------------------------------------------------------
  var charts = [];
  var byStream = {};
  D.anomalies.forEach(function (a) { (byStream[a.stream] = byStream[a.stream] || []).push(a); });
  function anomaliesFor(stream) {
    if (D.streams.length === 1) return D.anomalies; // one stream: every marker belongs to it
    return byStream[stream] || [];
  }
  function drawMarkers(list) {
    return function (u) {
      var ctx = u.ctx, b = u.bbox, dpr = window.devicePixelRatio || 1;
      ctx.save();
      ctx.beginPath(); ctx.rect(b.left, b.top, b.width, b.height); ctx.clip();
      for (var i = 0; i < list.length; i++) {
        var a = list[i];
        if (a.t === null) continue;
        var x = Math.round(u.valToPos(a.t / 1000, 'x', true));
        if (x < b.left - 1 || x > b.left + b.width + 1) continue;
        var c = SEV_COLOR[sevKey(a)] || '#555';
        ctx.strokeStyle = c; ctx.fillStyle = c; ctx.globalAlpha = 0.75;
        ctx.lineWidth = Math.max(1, dpr);
        ctx.setLineDash([4 * dpr, 3 * dpr]);
        ctx.beginPath(); ctx.moveTo(x + 0.5, b.top); ctx.lineTo(x + 0.5, b.top + b.height); ctx.stroke();
        ctx.setLineDash([]); ctx.globalAlpha = 1;
        var h = 7 * dpr;
        ctx.beginPath(); ctx.moveTo(x - h, b.top); ctx.lineTo(x + h, b.top); ctx.lineTo(x, b.top + h * 1.4); ctx.closePath(); ctx.fill();
      }
      ctx.restore();
    };
  }
  var chartsBox = $('charts');
  if (!D.streams.length) chartsBox.appendChild(el('p', { cls: 'muted', text: 'No windows were recorded.' }));
  if (D.streamsOmitted) chartsBox.appendChild(el('p', { cls: 'muted', text: D.streamsOmitted + ' smaller streams are not charted.' }));
  D.streams.forEach(function (st, si) {
    var list = anomaliesFor(st.stream);
    var box = el('div', { cls: 'chart', 'data-stream': st.stream });
    var head = el('h3', null, [el('span', { text: 'Stream ' }), el('code', { text: st.stream || '(default)' }),
      el('span', { cls: 'muted', text: '  ' + fmtNum(st.total, 0) + ' events, ' + list.length + ' anomalies, window ' + st.windowSec + ' s' + (st.merged > 1 ? ' (shown merged ×' + st.merged + ')' : '') })]);
    var plotBox = el('div', { cls: 'plot' });
    box.appendChild(head); box.appendChild(plotBox);
    chartsBox.appendChild(box);
    var opts = {
      width: Math.max(320, plotBox.clientWidth || 900),
      height: 240,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); },
      cursor: { drag: { x: true, y: false } },
      scales: {
        x: { time: true },
        rate: { auto: true, range: function (u, lo, hi) { return [0, hi > 0 ? hi * 1.1 : 1]; } },
        err: { auto: true, range: function (u, lo, hi) { return [0, Math.max(5, Math.ceil((hi || 0) * 1.1))]; } }
      },
      series: [
        { label: 'time (UTC)' },
        { label: 'events/min', scale: 'rate', stroke: '#1565c0', width: 1.5, fill: 'rgba(21,101,192,0.08)',
          value: function (u, v) { return v == null ? '-' : fmtNum(v); } },
        { label: 'error share %', scale: 'err', stroke: '#c62828', width: 1.5,
          value: function (u, v) { return v == null ? '-' : fmtNum(v, 2) + ' %'; } }
      ],
      axes: [
        {},
        { scale: 'rate', label: 'events / min', size: 60 },
        { scale: 'err', side: 1, label: 'error %', grid: { show: false }, size: 50 }
      ],
      hooks: { draw: [drawMarkers(list)] }
    };
    var u = new uPlot(opts, [st.t, st.rate, st.err], plotBox);
    charts.push({ u: u, box: plotBox });
    // Click near a marker: jump to its row in the table.
    u.over.addEventListener('click', function (ev) {
      var best = null, bestD = 9;
      list.forEach(function (a) {
        if (a.t === null) return;
        var d = Math.abs(u.valToPos(a.t / 1000, 'x') - ev.offsetX);
        if (d < bestD) { bestD = d; best = a; }
      });
      if (best) focusRow(best.i);
    });
  });
  var legend = $('marker-legend');
  [${[...SEVERITIES].reverse().map((s) => "'" + s + "'").join(', ')}, 'resolved'].forEach(function (k) {
    legend.appendChild(el('span', { cls: 'mk' }, [el('span', { cls: 'tri sev-' + k }), el('span', { text: k })]));
  });
  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.u.setSize({ width: Math.max(320, c.box.clientWidth), height: 240 }); });
  });

  // ---- anomaly table -------------------------------------------------------------------------
  var tbody = $('anomaly-rows');
  var rows = [];
  function explanation(a) {
    var parts = [];
    var facts = [];
    if (a.window_start || a.window_end) facts.push(['Window', (a.window_start || '?') + ' → ' + (a.window_end || '?')]);
    if (a.value !== undefined) facts.push(['Value', fmtNum(a.value)]);
    if (a.expected !== undefined) facts.push(['Expected', fmtNum(a.expected)]);
    if (a.score !== undefined) facts.push(['Score', fmtNum(a.score)]);
    if (a.template_id) facts.push(['Template id', a.template_id]);
    if (facts.length) parts.push(el('dl', { cls: 'facts' }, facts.reduce(function (acc, f) {
      acc.push(el('dt', { text: f[0] })); acc.push(el('dd', { text: f[1] })); return acc;
    }, [])));
    if (a.template) parts.push(el('div', null, [el('h4', { text: 'Template' }), el('pre', { cls: 'tpl', text: a.template })]));
    if (a.top_templates && a.top_templates.length) {
      parts.push(el('h4', { text: 'Top templates in the window' }));
      parts.push(el('table', { cls: 'inner' }, [
        el('thead', null, [el('tr', null, [el('th', { text: 'Template' }), el('th', { cls: 'num', text: 'Count' }), el('th', { cls: 'num', text: 'Expected' }), el('th', { cls: 'num', text: '×' })])]),
        el('tbody', null, a.top_templates.map(function (t) {
          var ratio = t.expected ? t.count / t.expected : null;
          return el('tr', null, [el('td', null, [el('code', { text: t.template })]), el('td', { cls: 'num', text: fmtNum(t.count, 0) }),
            el('td', { cls: 'num', text: t.expected === undefined ? '' : fmtNum(t.expected) }), el('td', { cls: 'num', text: ratio === null ? '' : fmtNum(ratio, 1) })]);
        }))]));
    }
    if (a.example) parts.push(el('div', null, [el('h4', { text: 'Example line' }), el('pre', { cls: 'log', text: a.example })]));
    if (a.sample_entries && a.sample_entries.length) {
      parts.push(el('h4', { text: 'Sample entries' }));
      a.sample_entries.forEach(function (l) { parts.push(el('pre', { cls: 'log', text: l })); });
    }
    if (!parts.length) parts.push(el('p', { cls: 'muted', text: 'No further detail was recorded for this anomaly.' }));
    return parts;
  }
  D.anomalies.forEach(function (a) {
    var toggle = el('button', { cls: 'tog', type: 'button', text: '▸', title: 'Show explanation' });
    var tr = el('tr', { cls: 'anomaly', id: 'a-' + a.i, 'data-sev': sevKey(a) }, [
      el('td', null, [toggle]),
      el('td', { cls: 'ts', text: a.timestamp }),
      el('td', null, [badge(a)]),
      el('td', { text: a.type }),
      el('td', null, [el('code', { text: a.stream })]),
      el('td', { cls: 'desc', text: a.description }),
      el('td', { cls: 'num', text: fmtNum(a.value) }),
      el('td', { cls: 'num', text: fmtNum(a.expected) })
    ]);
    var detCell = el('td', { colSpan: 8 });
    var det = el('tr', { cls: 'details', hidden: true }, [detCell]);
    function flip() {
      // Built on first open: thousands of rows stay cheap.
      if (!detCell.firstChild) explanation(a).forEach(function (n) { detCell.appendChild(n); });
      det.hidden = !det.hidden;
      toggle.textContent = det.hidden ? '▸' : '▾';
    }
    toggle.addEventListener('click', function (e) { e.stopPropagation(); flip(); });
    tr.addEventListener('click', flip);
    tbody.appendChild(tr); tbody.appendChild(det);
    rows.push({ a: a, tr: tr, det: det, open: function () { if (det.hidden) flip(); },
      shut: function () { if (!det.hidden) flip(); },
      hay: (a.type + ' ' + a.stream + ' ' + a.description + ' ' + (a.template || '')).toLowerCase() });
  });
  if (!D.anomalies.length) tbody.appendChild(el('tr', null, [el('td', { colSpan: 8, cls: 'muted', text: 'No anomalies.' })]));
  if (D.anomaliesOmitted) $('anomaly-note').textContent = 'The report embeds ' + D.anomalies.length + ' of ' + (D.anomalies.length + D.anomaliesOmitted) + ' anomalies (info events dropped first); report.json has all of them.';
  function applyFilter() {
    var min = $('f-sev').value, q = $('f-text').value.toLowerCase(), shown = 0;
    rows.forEach(function (r) {
      var ok = (min === 'all' || (r.a.type !== 'resolved' && SEV_RANK[r.a.severity] >= SEV_RANK[min])) && (!q || r.hay.indexOf(q) >= 0);
      r.tr.hidden = !ok;
      if (!ok) r.shut();
      if (ok) shown++;
    });
    $('f-count').textContent = shown + ' of ' + rows.length + ' shown';
  }
  $('f-sev').addEventListener('change', applyFilter);
  $('f-text').addEventListener('input', applyFilter);
  applyFilter();
  function focusRow(i) {
    var r = rows.filter(function (x) { return x.a.i === i; })[0];
    if (!r) return;
    if (r.tr.hidden) { $('f-sev').value = 'all'; $('f-text').value = ''; applyFilter(); }
    r.open();
    r.tr.scrollIntoView({ block: 'center' });
    r.tr.classList.add('flash');
    setTimeout(function () { r.tr.classList.remove('flash'); }, 1200);
  }

  // ---- templates -------------------------------------------------------------------------------
  function templateTable(id, list, total, emptyText) {
    var tb = $(id);
    if (!list.length) { tb.appendChild(el('tr', null, [el('td', { colSpan: 6, cls: 'muted', text: emptyText })])); return; }
    list.forEach(function (t) {
      tb.appendChild(el('tr', null, [
        el('td', null, [el('code', { text: t.template_id })]),
        el('td', null, [el('code', { cls: 'tpl', text: t.template }),
          t.example ? el('details', null, [el('summary', { text: 'example' }), el('pre', { cls: 'log', text: t.example })]) : null]),
        el('td', { cls: 'num', text: fmtNum(t.count, 0) }),
        el('td', { cls: 'num', text: total ? fmtNum(100 * t.count / total, 2) + ' %' : '' }),
        el('td', { cls: 'ts', text: t.first_seen }),
        el('td', { cls: 'ts', text: t.last_seen })
      ]));
    });
  }
  templateTable('top-rows', D.topTemplates, m.total_lines, 'No templates.');
  templateTable('new-rows', D.newTemplates, m.total_lines, 'No new templates after warm-up.');
  if (D.templatesTotal > D.topTemplates.length) $('top-note').textContent = 'Top ' + D.topTemplates.length + ' of ' + D.templatesTotal + ' templates by count.';
  if (D.newOmitted) $('new-note').textContent = D.newOmitted + ' more new templates are in report.json.';
  document.body.setAttribute('data-ready', '1');
})();`;

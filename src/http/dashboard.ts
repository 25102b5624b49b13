import { createHash } from 'node:crypto';

/*
 * The dashboard is one static page: no external script, style, font or image, so it works on a
 * machine with no internet access and under a strict Content-Security-Policy. The inline script
 * finds the mount point from its own URL (everything before `/resil`), polls
 * `<mount>/resil/api/policies` and `<mount>/health` every 2 s, and renders with DOM APIs only
 * (textContent, never innerHTML), so a policy id cannot inject markup.
 */

const STYLE = `
:root { font: 14px/1.4 system-ui, sans-serif; color: #1d1f23; background: #f6f7f9; }
body { margin: 0 auto; padding: 16px 24px; max-width: 1200px; }
h1 { font-size: 20px; margin: 0 0 4px; }
#summary { margin: 8px 0 12px; display: flex; gap: 16px; flex-wrap: wrap; align-items: center; }
#banner { display: none; padding: 8px 12px; border-radius: 4px; background: #fde2e1; color: #8a1c15; margin-bottom: 12px; }
#banner.shown { display: block; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e5e8; vertical-align: top; }
th { background: #eceef1; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.detail { font-family: ui-monospace, monospace; font-size: 12px; color: #4a4f57; }
.stale table { opacity: 0.55; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 12px; }
.closed, .pass { background: #dcf5e3; color: #14632f; }
.half-open, .warn { background: #fff1cc; color: #7a5200; }
.open, .fail { background: #fde2e1; color: #8a1c15; }
.none { background: #eceef1; color: #4a4f57; }
.muted { color: #6b717a; }
`;

const SCRIPT = `
(function () {
  'use strict';
  var root = location.pathname.replace(/\\/resil\\/?$/, '');
  var INTERVAL_MS = 2000;
  var lastOk = null;
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function badge(text, cls) { return el('span', text, 'badge ' + cls); }

  function getJson(path) {
    return fetch(root + path, { cache: 'no-store', headers: { accept: 'application/json' } }).then(function (r) {
      // /health answers 503 with a report when it fails: that is data, not an error.
      if (!r.ok && r.status !== 503) throw new Error(path + ' answered HTTP ' + r.status);
      return r.json();
    });
  }

  function detail(kind, state) {
    if (!state || typeof state !== 'object') return '';
    var parts = [];
    Object.keys(state).forEach(function (k) {
      var v = state[k];
      if (kind === 'circuitBreaker' && k === 'state') return;
      if (v !== null && typeof v === 'object') v = JSON.stringify(v);
      parts.push(k + ': ' + v);
    });
    return parts.join(', ');
  }

  function healthOf(report, id) {
    var worst = null, rank = { pass: 0, warn: 1, fail: 2 };
    if (!report || !report.checks) return null;
    Object.keys(report.checks).forEach(function (key) {
      if (key.lastIndexOf(id + ':', 0) !== 0) return;
      report.checks[key].forEach(function (c) {
        if (worst === null || rank[c.status] > rank[worst.status]) worst = c;
      });
    });
    return worst;
  }

  function renderSummary(report) {
    var s = $('summary');
    s.replaceChildren();
    if (!report) { s.appendChild(el('span', 'health unavailable', 'muted')); return; }
    s.appendChild(el('span', 'health'));
    s.appendChild(badge(report.status, report.status));
    s.appendChild(el('span', 'score ' + report.score));
    Object.keys(report.checks || {}).forEach(function (key) {
      report.checks[key].forEach(function (c) {
        if (c.componentId !== 'process') return;
        var t = key + ' ' + c.observedValue + (c.observedUnit ? ' ' + c.observedUnit : '');
        s.appendChild(badge(t, c.status));
      });
    });
  }

  function renderRows(policies, report) {
    var body = $('rows');
    body.replaceChildren();
    if (policies.length === 0) {
      var td = el('td', 'No policies registered yet.', 'muted');
      td.colSpan = 8;
      body.appendChild(el('tr')).appendChild(td);
      return;
    }
    policies.forEach(function (p) {
      var tr = el('tr');
      tr.appendChild(el('td', p.id));
      tr.appendChild(el('td', p.kind));
      var st = el('td');
      if (p.kind === 'circuitBreaker' && p.state) {
        st.appendChild(badge(p.state.isolated ? 'open (isolated)' : p.state.state, p.state.state));
      }
      var d = detail(p.kind, p.state);
      if (d) st.appendChild(el('div', d, 'detail'));
      st.className = 'detail';
      tr.appendChild(st);
      var stats = p.stats || {};
      ['calls', 'successes', 'failures', 'rejections'].forEach(function (k) { tr.appendChild(el('td', stats[k], 'num')); });
      var h = healthOf(report, p.id), ht = el('td');
      if (h) { ht.appendChild(badge(h.status, h.status)); if (h.output) ht.appendChild(el('div', h.output, 'muted')); }
      else ht.appendChild(el('span', '-', 'muted'));
      tr.appendChild(ht);
      body.appendChild(tr);
    });
  }

  function showError(message) {
    document.body.classList.add('stale');
    var b = $('banner');
    b.textContent = 'Cannot refresh: ' + message + '. ' +
      (lastOk ? 'Showing data from ' + lastOk.toLocaleTimeString() + '.' : 'No data received yet.') + ' Retrying every 2 s.';
    b.className = 'shown';
  }

  function refresh() {
    Promise.all([getJson('/resil/api/policies'), getJson('/health').catch(function () { return null; })])
      .then(function (results) {
        renderSummary(results[1]);
        renderRows(results[0], results[1]);
        lastOk = new Date();
        document.body.classList.remove('stale');
        $('banner').className = '';
        $('updated').textContent = 'updated ' + lastOk.toLocaleTimeString();
      })
      .catch(function (e) { showError(e && e.message ? e.message : String(e)); })
      .then(function () { setTimeout(refresh, INTERVAL_MS); });
  }
  refresh();
})();
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The dashboard page served at `/resil`. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>resil dashboard</title>
<style>${STYLE}</style>
</head>
<body>
<h1>resil policies</h1>
<div class="muted" id="updated">loading…</div>
<div id="summary"></div>
<div id="banner" role="alert"></div>
<table>
<thead><tr><th>policy</th><th>kind</th><th>state</th><th>calls</th><th>successes</th><th>failures</th><th>rejections</th><th>health</th></tr></thead>
<tbody id="rows"></tbody>
</table>
<script>${SCRIPT}</script>
</body>
</html>
`;

/**
 * Content-Security-Policy of the dashboard: nothing may load from anywhere, the page's own inline
 * script and style are allowed by hash, and it may fetch only from its own origin.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  `script-src ${sha256(SCRIPT)}`,
  `style-src ${sha256(STYLE)}`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

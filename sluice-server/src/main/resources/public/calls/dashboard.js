// The police calls dashboard: fed by the calls pipeline's snapshot and batch events of
// /api/stream. Call types, addresses and codes come from the records: they are cut short and set
// with textContent only, never parsed as HTML.
'use strict';

(function () {
  var PIPELINE = 'calls';
  var MAX_HOUR_ROWS = 100;
  var COLORS = ['--accent', '--pos', '--warn', '--danger', '--cloud-2', '--cloud-3', '--cloud-4', '--cloud-5'];
  var STACKED_CODES = 7;

  var state = { view: null, pipelines: [] };
  var charts = {};

  var $ = function (id) { return document.getElementById(id); };

  function clip(text, n) {
    if (text === null || text === undefined) return '';
    var s = String(text);
    return s.length > n ? s.slice(0, n - 1) + '…' : s;
  }

  function cell(text, className) {
    return Sluice.el('td', className, text);
  }

  /** An hour as San Francisco's wall clock shows it. */
  function hourLabel(iso) {
    return new Date(iso).toLocaleString([], {
      timeZone: 'America/Los_Angeles', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit'
    });
  }

  function fill(tableId, emptyId, rows, make) {
    var body = $(tableId).querySelector('tbody');
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row, i) { fragment.appendChild(make(row, i)); });
    body.replaceChildren(fragment);
    $(emptyId).hidden = rows.length > 0;
  }

  // ---- Charts ----------------------------------------------------------------------------

  function axisColors() {
    return { grid: Sluice.css('--border'), text: Sluice.css('--muted'), surface: Sluice.css('--surface'), body: Sluice.css('--text') };
  }

  function options(stacked) {
    var c = axisColors();
    return {
      animation: false, responsive: true, maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { stacked: stacked, ticks: { color: c.text, maxTicksLimit: 12, autoSkip: true, maxRotation: 0 }, grid: { color: c.grid } },
        y: { stacked: stacked, beginAtZero: true, ticks: { color: c.text, precision: 0 }, grid: { color: c.grid } }
      },
      plugins: {
        legend: { display: stacked, labels: { color: c.text, boxWidth: 12 } },
        tooltip: { backgroundColor: c.surface, titleColor: c.body, bodyColor: c.body, borderColor: c.grid, borderWidth: 1 }
      }
    };
  }

  function chart(id, stacked) {
    if (typeof Chart === 'undefined') return null;
    if (!charts[id]) charts[id] = new Chart($(id), { type: 'bar', data: { labels: [], datasets: [] }, options: options(stacked) });
    return charts[id];
  }

  /** The most frequent codes get a series each; the rest are summed as "other". */
  function renderDispositions() {
    var rows = state.view.dispositions || [];
    $('dispositions-empty').hidden = rows.length > 0;
    var c = chart('dispositions-chart', true);
    if (!c) return;
    var hours = [];
    var totals = {};
    var names = {};
    rows.forEach(function (r) {
      if (hours.indexOf(r.window_start) < 0) hours.push(r.window_start);
      totals[r.disposition] = (totals[r.disposition] || 0) + r.count;
      names[r.disposition] = r.description;
    });
    hours.sort();
    var codes = Object.keys(totals).sort(function (a, b) { return totals[b] - totals[a] || (a < b ? -1 : 1); });
    var shown = codes.slice(0, STACKED_CODES);
    var series = {};
    shown.concat(['other']).forEach(function (code) { series[code] = hours.map(function () { return 0; }); });
    rows.forEach(function (r) {
      var key = shown.indexOf(r.disposition) >= 0 ? r.disposition : 'other';
      series[key][hours.indexOf(r.window_start)] += r.count;
    });
    c.data.labels = hours.map(hourLabel);
    c.data.datasets = shown.concat(codes.length > shown.length ? ['other'] : []).map(function (code, i) {
      var label = code === 'other' ? 'other codes' : clip(code, 10) + ' · ' + clip(names[code], 32);
      var color = Sluice.css(COLORS[i % COLORS.length]);
      return { label: label, data: series[code], backgroundColor: color, borderColor: color };
    });
    c.update();
  }

  function renderHourOfDay() {
    var rows = state.view.hour_of_day || [];
    $('hour-of-day-empty').hidden = rows.length > 0;
    var c = chart('hour-of-day-chart', false);
    if (!c) return;
    var counts = [];
    for (var h = 0; h < 24; h++) counts.push(0);
    rows.forEach(function (r) { if (r.hour >= 0 && r.hour < 24) counts[r.hour] = r.count; });
    c.data.labels = counts.map(function (_, h) { return (h < 10 ? '0' : '') + h; });
    var color = Sluice.css('--accent');
    c.data.datasets = [{ label: 'calls', data: counts, backgroundColor: color, borderColor: color }];
    c.update();
  }

  function rethemeCharts() {
    // Colours come from CSS variables: build the charts again in the new theme.
    Object.keys(charts).forEach(function (id) { charts[id].destroy(); delete charts[id]; });
    if (state.view) {
      renderDispositions();
      renderHourOfDay();
    }
  }

  // ---- Tables and KPIs -------------------------------------------------------------------

  function renderTables() {
    var v = state.view;
    fill('types', 'types-empty', v.top_types || [], function (t, i) {
      var tr = Sluice.el('tr');
      tr.appendChild(cell(String(i + 1), 'num'));
      tr.appendChild(cell(clip(t.call_type, 80)));
      tr.appendChild(cell(Sluice.formatCount(t.count), 'num'));
      return tr;
    });
    fill('hours', 'hours-empty', (v.hours || []).slice(0, MAX_HOUR_ROWS), function (h) {
      var tr = Sluice.el('tr');
      tr.appendChild(cell(hourLabel(h.window_start), 'col-time'));
      tr.appendChild(cell(clip(h.call_type, 60)));
      var code = cell(clip(h.disposition, 10) + ' · ' + clip(h.description, 40));
      if (h.description === 'unknown') code.classList.add('warn');
      tr.appendChild(code);
      tr.appendChild(cell(Sluice.formatCount(h.count), 'num'));
      return tr;
    });
    fill('unknown', 'unknown-empty', v.unknown_codes || [], function (u) {
      var tr = Sluice.el('tr');
      tr.appendChild(cell(clip(u.disposition, 10)));
      tr.appendChild(cell(Sluice.formatCount(u.count), 'num'));
      return tr;
    });
  }

  function own() {
    return Sluice.pipelineStatus(state.pipelines, PIPELINE);
  }

  function renderKpis() {
    var v = state.view;
    if (v) {
      var total = 0, newest = null, newestCount = 0, unknown = 0;
      (v.dispositions || []).forEach(function (d) {
        total += d.count;
        if (newest === null || d.window_start > newest) { newest = d.window_start; newestCount = 0; }
        if (d.window_start === newest) newestCount += d.count;
      });
      (v.unknown_codes || []).forEach(function (u) { unknown += u.count; });
      $('kpi-calls').textContent = Sluice.formatCount(total);
      $('kpi-hour').textContent = newest ? Sluice.formatCount(newestCount) : '–';
      $('kpi-hour-note').textContent = newest ? 'calls so far, ' + hourLabel(newest) : 'calls so far';
      $('kpi-unknown').textContent = Sluice.formatCount(unknown);
      $('kpi-unknown').classList.toggle('warn', unknown > 0);
    }
    var p = own();
    Sluice.showPipeline(p);
  }

  function renderAll() {
    renderKpis();
    renderTables();
    renderDispositions();
    renderHourOfDay();
    $('last-update').textContent = 'Updated ' + new Date().toLocaleTimeString();
  }

  /** Snapshots and batches both carry the whole view: the aggregates are small. */
  function onView(data) {
    state.view = data;
    renderAll();
  }

  function onPipelines(u) {
    state.pipelines = u.pipelines || [];
    renderKpis();
  }

  function onStatus(s) {
    var banner = $('db-banner');
    if (s.database === 'down') {
      banner.textContent = 'The database cannot be reached: showing the last known state. ' + (s.detail || '');
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    Sluice.onThemeChange(rethemeCharts);
    Sluice.connectLive({ snapshot: onView, batch: onView, pipelines: onPipelines, status: onStatus }, PIPELINE);
  });
})();

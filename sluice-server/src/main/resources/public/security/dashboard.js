// The security dashboard: fed by the security pipeline's snapshot and batch events of /api/stream.
// Everything in the tables (excerpts, fields, hosts) comes from attackers or their packets: it is
// cut short and set with textContent only, never parsed as HTML.
'use strict';

(function () {
  var PIPELINE = 'security';
  var MAX_ALERTS = 50;
  var HISTORY_PAGE = 20;
  var CLASSES = ['sqli', 'xss', 'cmdi', 'traversal', 'rfi', 'dos', 'ddos', 'synflood'];
  var COLORS = ['--accent', '--danger', '--warn', '--cloud-2', '--cloud-3', '--cloud-4', '--pos', '--cloud-5'];

  var state = {
    view: null,
    traffic: null,
    pipelines: [],
    skewMs: 0,            // client clock minus server clock
    historyOffset: 0,     // 0: the newest incidents, from the live feed
    historyRows: null,    // an older page, fetched on request
    historyMore: false
  };

  var $ = function (id) { return document.getElementById(id); };

  // ---- Text ------------------------------------------------------------------------------

  /** Untrusted text cut to n characters, with an ellipsis when cut. */
  function clip(text, n) {
    if (text === null || text === undefined) return '';
    var s = String(text);
    return s.length > n ? s.slice(0, n - 1) + '…' : s;
  }

  function cell(text, className, full) {
    var td = Sluice.el('td', className, text);
    if (full) td.title = clip(full, 1000);
    return td;
  }

  function pair(source, target) {
    var from = source === '*' ? 'many sources' : clip(source, 48);
    return from + ' → ' + clip(target, 64);
  }

  function serverAgeMs(iso) {
    if (!iso) return null;
    return Date.now() - state.skewMs - Date.parse(iso);
  }

  function clock(iso) {
    if (!iso) return '–';
    return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  function when(iso) {
    if (!iso) return '–';
    var d = new Date(iso);
    var age = serverAgeMs(iso);
    return age !== null && age < 86400000 ? clock(iso) : d.toLocaleString();
  }

  var units = ['B', 'kB', 'MB', 'GB', 'TB'];
  function formatBytes(value) {
    if (value === null || value === undefined) return '–';
    var i = 0;
    while (value >= 1000 && i < units.length - 1) { value /= 1000; i++; }
    return (i === 0 ? Math.round(value) : value.toFixed(value >= 100 ? 0 : 1)) + ' ' + units[i];
  }

  function classColor(name) {
    var i = CLASSES.indexOf(name);
    return Sluice.css(COLORS[(i < 0 ? hash(name) : i) % COLORS.length]);
  }

  function seriesColor(i) {
    return Sluice.css(COLORS[i % COLORS.length]);
  }

  function hash(text) {
    var h = 0;
    for (var i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
    return Math.abs(h);
  }

  function classBadge(name) {
    var span = Sluice.el('span', 'class-tag', clip(name, 16));
    span.setAttribute('data-class', clip(name, 16));
    return span;
  }

  // ---- Tables ----------------------------------------------------------------------------

  function incidentRow(i, closedColumn) {
    var tr = Sluice.el('tr');
    tr.setAttribute('data-id', String(i.id));
    var cls = Sluice.el('td', 'col-class');
    cls.appendChild(classBadge(i.class));
    tr.appendChild(cls);
    tr.appendChild(cell(pair(i.source, i.target), 'pair', i.source + ' → ' + i.target));
    var opened = cell(closedColumn ? when(i.opened_at) : Sluice.formatAge(serverAgeMs(i.opened_at)), 'col-time', i.opened_at);
    opened.setAttribute('data-age-of', closedColumn ? '' : i.opened_at);
    tr.appendChild(opened);
    if (closedColumn) {
      tr.appendChild(cell(i.closed_at ? when(i.closed_at) : 'open', 'col-time' + (i.closed_at ? '' : ' still-open'), i.closed_at));
    } else {
      var last = cell(Sluice.formatAge(serverAgeMs(i.updated_at)), 'col-time', i.updated_at);
      last.setAttribute('data-age-of', i.updated_at);
      tr.appendChild(last);
    }
    tr.appendChild(cell(Sluice.formatCount(i.events), 'num'));
    tr.appendChild(cell(Sluice.formatCount(i.alerts), 'num'));
    return tr;
  }

  function fill(tableId, emptyId, rows, make) {
    var body = $(tableId).querySelector('tbody');
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) { fragment.appendChild(make(row)); });
    body.replaceChildren(fragment);
    $(emptyId).hidden = rows.length > 0;
  }

  function renderOpen() {
    fill('open-incidents', 'open-empty', state.view.open || [], function (i) { return incidentRow(i, false); });
  }

  function renderHistory() {
    var rows = state.historyOffset === 0 ? (state.view ? state.view.recent || [] : []) : state.historyRows || [];
    fill('history', 'history-empty', rows, function (i) { return incidentRow(i, true); });
    $('history-range').textContent = rows.length
      ? (state.historyOffset + 1) + '–' + (state.historyOffset + rows.length)
      : '\u00a0';
    $('history-prev').disabled = state.historyOffset === 0;
    $('history-next').disabled = state.historyOffset === 0 ? rows.length < HISTORY_PAGE : !state.historyMore;
  }

  function pageHistory(offset) {
    if (offset <= 0) {
      state.historyOffset = 0;
      state.historyRows = null;
      renderHistory();
      return;
    }
    fetch('/api/security/incidents?limit=' + HISTORY_PAGE + '&offset=' + offset, { headers: { Accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (page) {
        state.historyOffset = offset;
        state.historyRows = page.incidents || [];
        state.historyMore = page.next_offset !== null && page.next_offset !== undefined;
        renderHistory();
      })
      .catch(function () { $('history-range').textContent = 'Could not load older incidents; try again.'; });
  }

  function alertRow(a) {
    var tr = Sluice.el('tr');
    tr.setAttribute('data-id', String(a.id));
    tr.appendChild(cell(clock(a.detected_at), 'col-time', a.detected_at));
    var cls = Sluice.el('td', 'col-class');
    cls.appendChild(classBadge(a.class));
    tr.appendChild(cls);
    tr.appendChild(cell(pair(a.source, a.target), 'pair', a.source + ' → ' + a.target));
    tr.appendChild(cell(clip(a.field, 40) + ' · ' + clip(a.rule, 32), 'col-field', a.field + ' · ' + a.rule));
    var excerpt = Sluice.el('td', 'excerpt');
    var text = Sluice.el('span', 'excerpt-text mono', clip(a.excerpt, 200));
    text.title = clip(a.excerpt, 1000);
    excerpt.appendChild(text);
    tr.appendChild(excerpt);
    return tr;
  }

  function renderAlerts(freshIds) {
    fill('alerts', 'alerts-empty', state.view.alerts || [], function (a) {
      var tr = alertRow(a);
      if (freshIds && freshIds.has(a.id)) tr.className = 'fresh';
      return tr;
    });
  }

  function rankedRow(r) {
    var tr = Sluice.el('tr');
    tr.appendChild(cell(r.name === '*' ? 'many sources' : clip(r.name, 64), null, r.name));
    tr.appendChild(cell(Sluice.formatCount(r.alerts), 'num'));
    return tr;
  }

  function renderTop() {
    fill('top-sources', 'top-sources-empty', state.view.top_sources || [], rankedRow);
    fill('top-targets', 'top-targets-empty', state.view.top_targets || [], rankedRow);
  }

  function renderTrafficTables() {
    var t = state.traffic || { talkers: [], new_hosts: [] };
    fill('talkers', 'talkers-empty', t.talkers || [], function (r) {
      var tr = Sluice.el('tr');
      tr.appendChild(cell(clip(r.source, 64), null, r.source));
      tr.appendChild(cell(formatBytes(r.bytes), 'num'));
      tr.appendChild(cell(Sluice.formatCount(r.events), 'num'));
      tr.appendChild(cell(Sluice.formatCount(r.targets), 'num'));
      return tr;
    });
    fill('new-hosts', 'new-hosts-empty', t.new_hosts || [], function (h) {
      var tr = Sluice.el('tr');
      tr.appendChild(cell(clip(h.host, 64), null, h.host));
      tr.appendChild(cell(clock(h.first_minute), 'col-time', h.first_minute));
      return tr;
    });
  }

  // ---- Charts ----------------------------------------------------------------------------

  var charts = {};

  function axisColors() {
    return { grid: Sluice.css('--border'), text: Sluice.css('--muted'), surface: Sluice.css('--surface'), body: Sluice.css('--text') };
  }

  function baseOptions(stacked, yFormat) {
    var c = axisColors();
    return {
      animation: false, responsive: true, maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { stacked: stacked, ticks: { color: c.text, maxTicksLimit: 8, autoSkip: true, maxRotation: 0 }, grid: { color: c.grid } },
        y: { stacked: stacked, beginAtZero: true, ticks: { color: c.text, precision: 0, callback: yFormat }, grid: { color: c.grid } }
      },
      plugins: {
        legend: { labels: { color: c.text, boxWidth: 12 } },
        tooltip: { backgroundColor: c.surface, titleColor: c.body, bodyColor: c.body, borderColor: c.grid, borderWidth: 1 }
      }
    };
  }

  function chart(id, type, options) {
    if (typeof Chart === 'undefined') return null;
    if (!charts[id]) charts[id] = new Chart($(id), { type: type, data: { labels: [], datasets: [] }, options: options });
    return charts[id];
  }

  /** The minutes of the window, as ISO strings and as labels. */
  function minutes() {
    var list = [];
    if (!state.view || !state.view.from) return list;
    var from = Date.parse(state.view.from), to = Date.parse(state.view.to);
    for (var t = from; t < to && list.length < 1440; t += 60000) list.push(t);
    return list;
  }

  function label(t) {
    return new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function renderPerMinute() {
    var rows = state.view.per_minute || [];
    $('per-minute-empty').hidden = rows.length > 0;
    var c = chart('per-minute-chart', 'bar', baseOptions(true, function (v) { return Sluice.formatCount(v); }));
    if (!c) return;
    var times = minutes();
    var index = {};
    times.forEach(function (t, i) { index[t] = i; });
    var byClass = {};
    rows.forEach(function (r) {
      var i = index[Date.parse(r.minute)];
      if (i === undefined) return;
      if (!byClass[r.class]) byClass[r.class] = times.map(function () { return 0; });
      byClass[r.class][i] = r.alerts;
    });
    c.data.labels = times.map(label);
    c.data.datasets = Object.keys(byClass).sort().map(function (name) {
      return { label: clip(name, 16), data: byClass[name], backgroundColor: classColor(name), borderWidth: 0 };
    });
    c.update('none');
  }

  function renderSeries(id, emptyId, series, name) {
    $(emptyId).hidden = series.length > 0;
    var c = chart(id, 'line', baseOptions(false, function (v) { return formatBytes(v); }));
    if (!c) return;
    var times = minutes();
    var index = {};
    times.forEach(function (t, i) { index[t] = i; });
    c.data.labels = times.map(label);
    c.data.datasets = series.map(function (s, n) {
      var data = times.map(function () { return 0; });
      (s.minutes || []).forEach(function (m) {
        var i = index[Date.parse(m.minute)];
        if (i !== undefined) data[i] = m.bytes;
      });
      return {
        label: name(s.key), data: data, borderColor: seriesColor(n), backgroundColor: seriesColor(n),
        borderWidth: 2, pointRadius: 0, tension: 0.2
      };
    });
    c.update('none');
  }

  function renderProtocols(protocols) {
    $('protocols-empty').hidden = protocols.length > 0;
    var c = chart('protocols-chart', 'doughnut', {
      animation: false, responsive: true, maintainAspectRatio: false,
      plugins: {
        legend: { position: 'bottom', labels: { color: axisColors().text, boxWidth: 12 } },
        tooltip: { callbacks: { label: function (item) { return item.label + ': ' + formatBytes(item.raw); } } }
      }
    });
    if (!c) return;
    c.data.labels = protocols.map(function (p) { return clip(p.proto, 16); });
    c.data.datasets = [{
      data: protocols.map(function (p) { return p.bytes; }),
      backgroundColor: protocols.map(function (p, i) { return seriesColor(i); }),
      borderColor: Sluice.css('--surface')
    }];
    c.update('none');
  }

  function renderTraffic() {
    var t = state.traffic || { hosts: [], ports: [], protocols: [] };
    renderSeries('hosts-chart', 'hosts-empty', t.hosts || [], function (k) { return clip(k, 40); });
    renderSeries('ports-chart', 'ports-empty', t.ports || [], function (k) { return k === '0' ? 'no port' : 'port ' + clip(k, 8); });
    renderProtocols(t.protocols || []);
    renderTrafficTables();
  }

  function rethemeCharts() {
    // Colours come from CSS variables: build the charts again in the new theme.
    Object.keys(charts).forEach(function (id) { charts[id].destroy(); delete charts[id]; });
    if (state.view) {
      renderPerMinute();
      renderTraffic();
    }
  }

  // ---- KPIs ------------------------------------------------------------------------------

  function renderKpis() {
    var v = state.view;
    if (v) {
      $('kpi-open').textContent = Sluice.formatCount(v.open_count);
      $('kpi-open').classList.toggle('warn', v.open_count > 0);
      var perClass = {};
      var total = 0;
      (v.per_minute || []).forEach(function (r) { perClass[r.class] = (perClass[r.class] || 0) + r.alerts; total += r.alerts; });
      $('kpi-alerts').textContent = Sluice.formatCount(total);
      var top = Object.keys(perClass).sort(function (a, b) { return perClass[b] - perClass[a] || (a < b ? -1 : 1); })[0];
      $('kpi-class').textContent = top ? clip(top, 16) : '–';
      $('kpi-class-note').textContent = top ? Sluice.formatCount(perClass[top]) + ' alerts in the last hour' : 'in the last hour';
    }
    var t = state.traffic;
    if (t) {
      var bytes = 0, events = 0;
      (t.protocols || []).forEach(function (p) { bytes += p.bytes; events += p.events; });
      $('kpi-bytes').textContent = formatBytes(bytes);
      $('kpi-bytes-note').textContent = Sluice.formatCount(events) + ' packets and requests, last hour';
    }
    Sluice.showPipeline(Sluice.pipelineStatus(state.pipelines, PIPELINE));
  }

  /** Ages move every second even when no event arrives. */
  function tick() {
    document.querySelectorAll('[data-age-of]').forEach(function (node) {
      var iso = node.getAttribute('data-age-of');
      if (iso) node.textContent = Sluice.formatAge(serverAgeMs(iso));
    });
  }

  // ---- Live events -----------------------------------------------------------------------

  function renderAll(freshIds) {
    renderKpis();
    renderOpen();
    renderHistory();
    renderAlerts(freshIds);
    renderTop();
    renderPerMinute();
    renderTraffic();
    $('last-update').textContent = 'Updated ' + new Date(Date.now() - state.skewMs).toLocaleTimeString();
  }

  function onSnapshot(data, event) {
    if (event && event.now) state.skewMs = Date.now() - Date.parse(event.now);
    state.view = data;
    state.traffic = data.traffic || null;
    renderAll(null);
  }

  /**
   * A change: new alerts go in front of the kept ones; the aggregates, traffic and new hosts stay
   * when they were not sent again (null).
   */
  function onBatch(data, event) {
    if (data.whole || !state.view) { onSnapshot(data, event); return; }
    if (event && event.now) state.skewMs = Date.now() - Date.parse(event.now);
    var fresh = new Set();
    var seen = new Set();
    var merged = [];
    (data.alerts || []).concat(state.view.alerts || []).forEach(function (a) {
      if (seen.has(a.id)) return;
      seen.add(a.id);
      merged.push(a);
    });
    (data.alerts || []).forEach(function (a) { fresh.add(a.id); });
    merged.sort(function (a, b) { return Date.parse(b.detected_at) - Date.parse(a.detected_at) || b.id - a.id; });
    var view = Object.assign({}, data, { alerts: merged.slice(0, MAX_ALERTS) });
    if (!data.per_minute) {
      // Not read again this time: the aggregates are read at a bounded rate.
      view.per_minute = state.view.per_minute;
      view.top_sources = state.view.top_sources;
      view.top_targets = state.view.top_targets;
    }
    state.view = view;
    if (data.traffic) {
      var kept = state.traffic ? state.traffic.new_hosts : [];
      state.traffic = Object.assign({}, data.traffic, { new_hosts: data.traffic.new_hosts || kept });
    }
    renderAll(fresh);
  }

  function onPipelines(u) {
    if (u.now) state.skewMs = Date.now() - Date.parse(u.now);
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
    $('history-prev').addEventListener('click', function () { pageHistory(state.historyOffset - HISTORY_PAGE); });
    $('history-next').addEventListener('click', function () { pageHistory(state.historyOffset + HISTORY_PAGE); });
    Sluice.onThemeChange(rethemeCharts);
    Sluice.connectLive({ snapshot: onSnapshot, batch: onBatch, pipelines: onPipelines, status: onStatus }, PIPELINE);
    setInterval(tick, 1000);
  });
})();

// The revenue dashboard: fed by the revenue pipeline's snapshot and batch events of /api/stream,
// and by /api/revenue/ids for the lookup of one id. Ids come from whoever produced the records:
// every value is set with textContent, never parsed as HTML.
'use strict';

(function () {
  var PIPELINE = 'revenue';
  var MAX_ID_SHOWN = 64;

  var state = { view: null, lookupId: null, lookupSeq: 0, skewMs: 0 };
  var chart = null;
  var $ = function (id) { return document.getElementById(id); };

  function clip(text, n) {
    if (text === null || text === undefined) return '';
    var s = String(text);
    return s.length > n ? s.slice(0, n - 1) + '…' : s;
  }

  var money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 4 });
  var compactMoney = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 2 });

  /** An exact decimal from the server, shown with grouping; the text itself when it is huge. */
  function formatAmount(text) {
    if (text === null || text === undefined) return '–';
    var n = Number(text);
    return isFinite(n) && Math.abs(n) < 1e15 ? money.format(n) : String(text);
  }

  /**
   * An amount in a KPI card, whose width fits about eight digits: from 100,000 on in compact form
   * (1.2M), the exact amount in the card's tooltip.
   */
  function showAmount(id, text) {
    var node = $(id);
    var n = Number(text);
    var compact = text !== null && text !== undefined && isFinite(n) && Math.abs(n) >= 1e5;
    node.textContent = compact ? compactMoney.format(n) : formatAmount(text);
    node.title = compact ? formatAmount(text) : '';
  }

  function when(iso) {
    if (!iso) return '–';
    var d = new Date(iso);
    return Date.now() - d.getTime() < 86400000
      ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
      : d.toLocaleString();
  }

  function cell(text, className, title) {
    var td = Sluice.el('td', className, text);
    if (title) td.title = clip(title, 300);
    return td;
  }

  // ---- Live state ------------------------------------------------------------------------

  function render(view) {
    state.view = view;
    var totals = view.totals || { ids: 0, revenue: '0' };
    $('kpi-ids').textContent = Sluice.formatCount(totals.ids);
    showAmount('kpi-revenue', totals.revenue);
    var minutes = view.minutes || [];
    var newest = minutes.length ? minutes[minutes.length - 1] : null;
    showAmount('kpi-minute', newest ? newest.revenue : null);
    $('kpi-minute-note').textContent = newest ? 'revenue in ' + when(newest.minute) : 'revenue in it';
    $('kpi-changed').textContent = Sluice.formatCount((view.changed || []).length) + (view.more_changed ? '+' : '');
    var banner = $('redis-banner');
    if (view.redis && view.redis !== 'up') {
      banner.textContent = 'Redis cannot be read: showing the last known state. ' + view.redis;
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
    renderTop(view.top || []);
    renderMinutes(minutes);
    $('last-update').textContent = 'Updated ' + when(new Date().toISOString());
  }

  function renderTop(top) {
    var body = $('top-table').querySelector('tbody');
    body.replaceChildren();
    $('top-empty').hidden = top.length > 0;
    top.forEach(function (entry) {
      var latest = entry.latest;
      var tr = Sluice.el('tr');
      tr.appendChild(cell(entry.rank, 'num'));
      var idCell = Sluice.el('td', 'lookup-id');
      var link = Sluice.el('button', 'button-quiet', clip(latest.id, MAX_ID_SHOWN));
      link.type = 'button';
      link.title = clip(latest.id, 300);
      link.addEventListener('click', function () {
        $('lookup-id').value = latest.id;
        lookup(latest.id);
      });
      idCell.appendChild(link);
      tr.appendChild(idCell);
      tr.appendChild(cell(formatAmount(latest.revenue), 'num', latest.revenue));
      tr.appendChild(cell(Sluice.formatCount(latest.revenue_counter), 'num'));
      tr.appendChild(cell(when(latest.time), 'col-time', latest.time));
      body.appendChild(tr);
    });
  }

  function chartColors() {
    return { grid: Sluice.css('--border'), text: Sluice.css('--muted'), accent: Sluice.css('--accent') };
  }

  function renderMinutes(minutes) {
    $('minutes-empty').hidden = minutes.length > 0;
    if (typeof Chart === 'undefined') return;
    var c = chartColors();
    if (!chart) {
      chart = new Chart($('minutes-chart'), {
        type: 'bar',
        data: { labels: [], datasets: [{ label: 'Revenue', data: [], backgroundColor: c.accent }] },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false,
          scales: {
            x: { ticks: { color: c.text, maxTicksLimit: 8, autoSkip: true, maxRotation: 0 }, grid: { color: c.grid } },
            y: { beginAtZero: true, ticks: { color: c.text }, grid: { color: c.grid } }
          },
          plugins: { legend: { display: false } }
        }
      });
    }
    chart.data.labels = minutes.map(function (m) {
      return new Date(m.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    });
    chart.data.datasets[0].data = minutes.map(function (m) { return Number(m.revenue); });
    chart.update();
  }

  function retheme() {
    if (!chart) return;
    var c = chartColors();
    chart.data.datasets[0].backgroundColor = c.accent;
    ['x', 'y'].forEach(function (axis) {
      chart.options.scales[axis].ticks.color = c.text;
      chart.options.scales[axis].grid.color = c.grid;
    });
    chart.update();
  }

  function onSnapshot(view) { render(view); }

  function onBatch(view) {
    render(view);
    // Refresh the id shown when it changed, or when too many changed to list them all.
    if (state.lookupId !== null &&
        (view.more_changed || (view.changed || []).indexOf(state.lookupId) >= 0)) {
      lookup(state.lookupId, true);
    }
  }

  function onPipelines(u) {
    if (u.now) state.skewMs = Date.now() - Date.parse(u.now);
    Sluice.showPipeline(Sluice.pipelineStatus(u.pipelines || [], PIPELINE));
  }

  function onStatus(s) {
    var banner = $('db-banner');
    if (s.database === 'down') {
      banner.textContent = 'The database cannot be reached: live updates wait for it. ' + (s.detail || '');
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
  }

  // ---- Lookup ----------------------------------------------------------------------------

  function lookup(id, quiet) {
    var seq = ++state.lookupSeq;
    state.lookupId = id;
    var error = $('lookup-error');
    if (!quiet) error.hidden = true;
    fetch('/api/revenue/ids?id=' + encodeURIComponent(id) + '&history=20')
      .then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      })
      .then(function (answer) {
        if (seq !== state.lookupSeq) return; // a newer lookup was asked for
        if (!answer.ok) {
          $('lookup-result').hidden = true;
          error.textContent = answer.body && answer.body.detail ? answer.body.detail : 'The lookup failed.';
          error.hidden = false;
          return;
        }
        error.hidden = true;
        renderLookup(answer.body);
      })
      .catch(function () {
        if (seq !== state.lookupSeq) return;
        error.textContent = 'The server cannot be reached.';
        error.hidden = false;
      });
  }

  function figure(label, value, title) {
    var div = Sluice.el('div', 'figure');
    div.appendChild(Sluice.el('dt', null, label));
    var dd = Sluice.el('dd', null, value);
    if (title) dd.title = clip(title, 300);
    div.appendChild(dd);
    return div;
  }

  function renderLookup(found) {
    var latest = found.latest;
    var dl = $('lookup-latest');
    dl.replaceChildren(
      figure('Id', clip(latest.id, MAX_ID_SHOWN) + (latest.numeric_id ? ' (integer)' : ''), latest.id),
      figure('Revenue', formatAmount(latest.revenue), latest.revenue),
      figure('Counter', Sluice.formatCount(latest.revenue_counter)),
      figure('Event time', when(latest.time), latest.time)
    );
    var body = $('history-table').querySelector('tbody');
    body.replaceChildren();
    (found.history || []).forEach(function (h) {
      var tr = Sluice.el('tr');
      tr.appendChild(cell(when(h.time), 'col-time', h.time));
      tr.appendChild(cell(formatAmount(h.revenue), 'num', h.revenue));
      tr.appendChild(cell(Sluice.formatCount(h.revenue_counter), 'num'));
      body.appendChild(tr);
    });
    $('lookup-kept').textContent = 'Showing ' + Sluice.formatCount((found.history || []).length) +
      ' of the ' + Sluice.formatCount(found.kept) + ' states Redis keeps for this id.';
    $('lookup-result').hidden = false;
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('lookup-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var id = $('lookup-id').value;
      if (id.length > 0) lookup(id);
    });
    Sluice.onThemeChange(retheme);
    Sluice.connectLive({ snapshot: onSnapshot, batch: onBatch, pipelines: onPipelines, status: onStatus }, PIPELINE);
  });
})();

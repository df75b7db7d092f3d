// Shared by every page: theme switch, navigation, live stream, DOM and number helpers.
// Every text that comes from a record or the server is set with textContent, never parsed as HTML.
'use strict';

var Sluice = (function () {
  var root = document.documentElement;
  var darkQuery = window.matchMedia('(prefers-color-scheme: dark)');
  var themeListeners = [];

  function theme() {
    var chosen = root.getAttribute('data-theme');
    if (chosen === 'light' || chosen === 'dark') return chosen;
    return darkQuery.matches ? 'dark' : 'light';
  }

  function setTheme(name) {
    root.setAttribute('data-theme', name);
    try { localStorage.setItem('sluice-theme', name); } catch (e) { /* storage disabled */ }
    announceTheme();
  }

  function announceTheme() {
    var button = document.getElementById('theme-toggle');
    if (button) {
      button.setAttribute('aria-label', theme() === 'dark' ? 'Switch to light theme' : 'Switch to dark theme');
    }
    themeListeners.forEach(function (listener) { listener(theme()); });
  }

  function onThemeChange(listener) {
    themeListeners.push(listener);
  }

  function css(name) {
    return getComputedStyle(root).getPropertyValue(name).trim();
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  var integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
  var oneDecimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

  function formatCount(value) {
    if (value === null || value === undefined) return '–';
    return integer.format(value);
  }

  function formatRate(value) {
    if (value === null || value === undefined) return '–';
    return value >= 100 ? integer.format(value) : oneDecimal.format(value);
  }

  function formatPercent(value, digits) {
    if (value === null || value === undefined) return '–';
    return (value * 100).toFixed(digits === undefined ? 1 : digits) + '%';
  }

  function formatDuration(ms) {
    if (ms === null || ms === undefined) return '–';
    if (ms < 1000) return Math.round(ms) + ' ms';
    if (ms < 60000) return oneDecimal.format(ms / 1000) + ' s';
    var minutes = Math.floor(ms / 60000);
    if (minutes < 60) return minutes + ' min ' + Math.floor((ms % 60000) / 1000) + ' s';
    return Math.floor(minutes / 60) + ' h ' + (minutes % 60) + ' min';
  }

  function formatAge(ms) {
    if (ms === null || ms === undefined || !isFinite(ms)) return '–';
    if (ms < 1500) return 'just now';
    return formatDuration(Math.max(0, ms)).replace(/\.\d s$/, ' s') + ' ago';
  }

  /**
   * A review as plain text for display: the IMDB reviews mark line breaks with <br /> tags, which
   * read better as spaces. Everything else stays exactly as written, and is set as text.
   */
  function readable(text) {
    return String(text).replace(/<br\s*\/?>/gi, ' ');
  }

  function labelName(label) {
    return label === 'pos' ? 'Positive' : label === 'neg' ? 'Negative' : '—';
  }

  function labelElement(label) {
    var span = el('span', 'label ' + (label === 'pos' ? 'label-pos' : label === 'neg' ? 'label-neg' : 'label-none'), labelName(label));
    return span;
  }

  var infoPromise = null;

  /** GET /api/info, once per page: the registered pipelines and what their pages need. */
  function info() {
    if (!infoPromise) {
      infoPromise = fetch('/api/info', { headers: { Accept: 'application/json' } })
        .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); });
    }
    return infoPromise;
  }

  /** The pipeline entry of /api/info, or null. */
  function pipelineInfo(name) {
    return info().then(function (i) {
      return (i.pipelines || []).find(function (p) { return p.name === name; }) || null;
    });
  }

  function title(name) {
    return name.charAt(0).toUpperCase() + name.slice(1);
  }

  /**
   * Fills the top navigation (a nav element with id "nav") with a link per registered pipeline that
   * has a page; data-current on the nav names the page's pipeline, or "overview".
   */
  function navigation() {
    var nav = document.getElementById('nav');
    if (!nav) return;
    var current = nav.getAttribute('data-current');
    info().then(function (i) {
      (i.pipelines || []).forEach(function (p) {
        if (!p.page) return;
        var link = el('a', null, title(p.name));
        link.href = p.page;
        link.title = p.description;
        if (p.name === current) link.setAttribute('aria-current', 'page');
        nav.appendChild(link);
      });
      // On a phone the links scroll within the nav: the page's own link is the one to show.
      var here = nav.querySelector('a[aria-current="page"]');
      if (here) nav.scrollLeft = Math.max(0, here.offsetLeft - nav.offsetLeft - 8);
    }).catch(function () { /* the overview link stays; the page itself still works */ });
  }

  /**
   * The live stream: EventSource reconnects by itself; the indicator shows whether updates flow.
   * handlers maps event names to functions receiving the parsed JSON. With a pipeline, the stream
   * also carries that pipeline's snapshot and batch events; their handlers receive the pipeline's
   * data and, second, the whole event (its pipeline and the server's time).
   */
  function connectLive(handlers, pipeline) {
    var indicator = document.getElementById('live-status');
    var source = null;
    var url = '/api/stream' + (pipeline ? '?pipeline=' + encodeURIComponent(pipeline) : '');
    var perPipeline = { snapshot: true, batch: true };
    function show(state, text) {
      if (!indicator) return;
      indicator.setAttribute('data-state', state);
      indicator.querySelector('.live-text').textContent = text;
      indicator.setAttribute('title', text);
    }
    function open() {
      source = new EventSource(url);
      source.onopen = function () { show('live', 'Live'); };
      source.onerror = function () {
        show('reconnecting', 'Reconnecting…');
        if (source.readyState === EventSource.CLOSED) {
          // The browser gave up (for example on an HTTP error): start again shortly.
          setTimeout(open, 3000);
        }
      };
      Object.keys(handlers).forEach(function (name) {
        source.addEventListener(name, function (event) {
          var data;
          try { data = JSON.parse(event.data); } catch (e) { return; }
          if (perPipeline[name]) {
            if (data.pipeline !== pipeline) return;
            handlers[name](data.data || {}, data);
          } else {
            handlers[name](data);
          }
        });
      });
    }
    open();
    return { close: function () { if (source) source.close(); } };
  }

  /**
   * A pipeline's entry among the statuses of /api/pipelines: its own row, or, for a pipeline whose
   * queries each report under their own name (security-injections, revenue-latest, ...), one status
   * made of theirs: the worst state, the busiest query's rate, lag and counts (the queries read the
   * same records, so their figures are not added), and the latest commit. queries, the pipeline's
   * query names from /api/info, picks its rows exactly; without them, rows named after the pipeline
   * and a dash are its queries. Null before any of them reported.
   */
  function pipelineStatus(statuses, name, queries) {
    var own = statuses.find(function (p) { return p.name === name; });
    if (own) {
      return own;
    }
    var rows = statuses.filter(function (p) {
      return queries ? queries.indexOf(p.name) >= 0 : p.name.indexOf(name + '-') === 0;
    });
    if (rows.length === 0) {
      return null;
    }
    var rank = { FAILED: 3, STOPPED: 2, RUNNING: 0 };
    function severity(p) {
      var r = rank[String(p.state || '').toUpperCase()];
      return r === undefined ? 1 : r;
    }
    var worst = rows.reduce(function (a, b) { return severity(b) > severity(a) ? b : a; });
    function present(field) {
      return rows.map(function (q) { return q[field]; }).filter(function (v) { return v !== null && v !== undefined; });
    }
    function most(field) {
      var values = present(field);
      return values.length ? Math.max.apply(null, values) : null;
    }
    var commits = present('last_committed_at').sort();
    return {
      name: name,
      state: worst.state,
      detail: worst.detail,
      input_rows_per_second: most('input_rows_per_second'),
      kafka_lag: most('kafka_lag'),
      quarantined: most('quarantined'),
      records: most('records'),
      last_committed_at: commits.length ? commits[commits.length - 1] : null
    };
  }

  /**
   * A pipeline's state and platform figures, in whichever of these elements the page has: the
   * state badge (pipeline-state), records in per second (kpi-input), Kafka lag (kpi-lag), and
   * quarantined records (kpi-quarantined, kpi-quarantined-note). p is the pipeline's entry of
   * /api/pipelines as pipelineStatus gives it, or null before it first reported.
   */
  function showPipeline(p) {
    function set(id, text) {
      var node = document.getElementById(id);
      if (node) node.textContent = text;
      return node;
    }
    set('kpi-input', p ? formatRate(p.input_rows_per_second) : '–');
    var lag = set('kpi-lag', p && p.kafka_lag !== null ? formatCount(p.kafka_lag) : '–');
    if (lag) lag.classList.toggle('warn', !!(p && p.kafka_lag > 50000));
    var quarantined = set('kpi-quarantined', p ? formatCount(p.quarantined) : '–');
    if (quarantined) quarantined.classList.toggle('warn', !!(p && p.quarantined > 0));
    set('kpi-quarantined-note', p && p.records ? 'of ' + formatCount(p.records) + ' read' : 'unreadable records');
    var badge = document.getElementById('pipeline-state');
    if (!badge) return;
    if (!p) {
      badge.className = 'badge badge-muted';
      badge.textContent = 'No pipeline yet';
      return;
    }
    var state = String(p.state || '').toUpperCase();
    badge.className = 'badge ' + (state === 'RUNNING' ? 'badge-ok' : state === 'FAILED' || state === 'STOPPED' ? 'badge-bad' : 'badge-warn');
    badge.textContent = p.name + ' · ' + (p.state || 'unknown');
    badge.title = p.detail || '';
  }

  document.addEventListener('DOMContentLoaded', function () {
    var button = document.getElementById('theme-toggle');
    if (button) {
      button.addEventListener('click', function () { setTheme(theme() === 'dark' ? 'light' : 'dark'); });
    }
    announceTheme();
    navigation();
  });
  darkQuery.addEventListener('change', announceTheme);

  return {
    theme: theme, onThemeChange: onThemeChange, css: css, el: el,
    formatCount: formatCount, formatRate: formatRate, formatPercent: formatPercent,
    formatDuration: formatDuration, formatAge: formatAge, readable: readable, labelName: labelName, labelElement: labelElement,
    connectLive: connectLive, info: info, pipelineInfo: pipelineInfo, title: title,
    pipelineStatus: pipelineStatus, showPipeline: showPipeline
  };
})();

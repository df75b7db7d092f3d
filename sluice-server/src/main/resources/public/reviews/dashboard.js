// The reviews dashboard: fed by the reviews pipeline's snapshot and batch events of /api/stream.
'use strict';

(function () {
  var PIPELINE = 'reviews';
  var PAGE_SIZE = 10;
  var MAX_PREDICTIONS = 100;
  var MAX_POINTS = 2000;
  var CLOUD_MIN_INTERVAL_MS = 4000;

  var state = {
    words: [],
    predictions: [],
    accuracy: [],
    pipelines: [],
    skewMs: 0,            // client clock minus server clock
    sort: { key: 'rank', dir: 'asc' },
    page: 0,
    freshIds: new Set()
  };

  var $ = function (id) { return document.getElementById(id); };
  var mine = readMine();

  // ---- KPIs and pipeline health ----------------------------------------------------------

  function reviewsPipeline() {
    return Sluice.pipelineStatus(state.pipelines, PIPELINE);
  }

  function serverAgeMs(iso) {
    if (!iso) return null;
    return Date.now() - state.skewMs - Date.parse(iso);
  }

  function renderKpis() {
    var last = state.accuracy.length ? state.accuracy[state.accuracy.length - 1] : null;
    var p = reviewsPipeline();
    $('kpi-reviews').textContent = last ? Sluice.formatCount(last.reviews) : (p ? Sluice.formatCount(p.records - p.quarantined) : '–');
    $('kpi-reviews-note').textContent = p ? 'in ' + Sluice.formatCount(p.batches) + (p.batches === 1 ? ' batch' : ' batches') : 'processed';
    $('kpi-accuracy').textContent = last && last.accuracy !== null ? Sluice.formatPercent(last.accuracy) : '–';
    $('kpi-accuracy-note').textContent = last ? Sluice.formatCount(last.correct) + ' of ' + Sluice.formatCount(last.total) + ' right' : 'of labelled reviews';
    $('kpi-processing').textContent = p ? Sluice.formatRate(p.processed_rows_per_second) : '–';
    $('kpi-batch').textContent = p ? Sluice.formatDuration(p.last_batch_duration_ms) : '–';
    Sluice.showPipeline(p);
    tick();
  }

  /** Ages move every second even when no event arrives. */
  function tick() {
    var p = reviewsPipeline();
    var batchAge = p ? serverAgeMs(p.last_committed_at || p.updated_at) : null;
    $('kpi-batch-note').textContent = p && p.last_batch_id !== null && p.last_batch_id !== undefined
      ? '#' + Sluice.formatCount(p.last_batch_id) + ' · ' + Sluice.formatAge(batchAge)
      : 'duration';
    $('last-update').textContent = p && p.last_committed_at
      ? 'Last batch ' + Sluice.formatAge(batchAge)
      : 'Waiting for the first batch…';
  }

  // ---- Accuracy chart --------------------------------------------------------------------

  var chart = null;

  function chartColors() {
    return {
      line: Sluice.css('--accent'),
      fill: Sluice.css('--accent-soft'),
      grid: Sluice.css('--border'),
      text: Sluice.css('--muted'),
      surface: Sluice.css('--surface'),
      body: Sluice.css('--text')
    };
  }

  function createChart() {
    if (typeof Chart === 'undefined') return;
    var c = chartColors();
    chart = new Chart($('accuracy-chart'), {
      type: 'line',
      data: { datasets: [{
        label: 'Accuracy', data: [], parsing: false, borderColor: c.line, backgroundColor: c.fill,
        borderWidth: 2, fill: 'origin', pointRadius: 0, pointHoverRadius: 4, tension: 0.25
      }] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'Reviews processed', color: c.text },
               ticks: { color: c.text, maxTicksLimit: 8, precision: 0, callback: function (v) { return Sluice.formatCount(v); } },
               grid: { color: c.grid } },
          y: { suggestedMin: 50, suggestedMax: 100, title: { display: true, text: 'Accuracy', color: c.text },
               ticks: { color: c.text, callback: function (v) { return v + '%'; } }, grid: { color: c.grid } }
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            backgroundColor: c.surface, titleColor: c.body, bodyColor: c.body, borderColor: c.grid, borderWidth: 1,
            callbacks: {
              title: function (items) { return Sluice.formatCount(items[0].parsed.x) + ' reviews'; },
              label: function (item) { return 'Accuracy ' + item.parsed.y.toFixed(2) + '%'; }
            }
          }
        }
      }
    });
  }

  function renderChart() {
    var points = [];
    state.accuracy.forEach(function (a) {
      if (a.accuracy !== null && a.accuracy !== undefined) points.push({ x: a.reviews, y: a.accuracy * 100 });
    });
    $('accuracy-empty').hidden = points.length > 0;
    if (!chart) return;
    chart.data.datasets[0].data = points;
    // Few points: show them, or a lone first point would be invisible.
    chart.data.datasets[0].pointRadius = points.length <= 40 ? 3 : 0;
    chart.options.scales.x.min = points.length === 1 ? 0 : undefined;
    var min = points.reduce(function (m, p) { return Math.min(m, p.y); }, 100);
    chart.options.scales.y.suggestedMin = Math.max(0, Math.min(50, Math.floor(min / 10) * 10));
    chart.update('none');
  }

  function themeChart() {
    if (!chart) return;
    var c = chartColors();
    var ds = chart.data.datasets[0];
    ds.borderColor = c.line;
    ds.backgroundColor = c.fill;
    ['x', 'y'].forEach(function (axis) {
      var scale = chart.options.scales[axis];
      scale.ticks.color = c.text;
      scale.title.color = c.text;
      scale.grid.color = c.grid;
    });
    var tooltip = chart.options.plugins.tooltip;
    tooltip.backgroundColor = c.surface; tooltip.titleColor = c.body; tooltip.bodyColor = c.body; tooltip.borderColor = c.grid;
    chart.update('none');
  }

  // ---- Word cloud ------------------------------------------------------------------------

  var cloud = { key: '', at: 0, timer: null, running: false, size: '' };

  function seeded(seed) {
    return function () {
      seed |= 0; seed = seed + 0x6D2B79F5 | 0;
      var t = Math.imul(seed ^ seed >>> 15, 1 | seed);
      t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
      return ((t ^ t >>> 14) >>> 0) / 4294967296;
    };
  }

  function hash(text) {
    var h = 0;
    for (var i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
    return Math.abs(h);
  }

  function scheduleCloud() {
    var box = $('word-cloud');
    var size = box.clientWidth + 'x' + box.clientHeight;
    var key = state.words.map(function (w) { return w.word; }).join(' ');
    if (key === cloud.key && size === cloud.size) return;
    var wait = Math.max(0, cloud.at + CLOUD_MIN_INTERVAL_MS - Date.now());
    if (cloud.timer) return;
    cloud.timer = setTimeout(function () { cloud.timer = null; layoutCloud(); }, cloud.key ? wait : 0);
  }

  function layoutCloud() {
    var box = $('word-cloud');
    $('cloud-empty').hidden = state.words.length > 0;
    if (!state.words.length || !window.d3 || !d3.layout || !d3.layout.cloud) {
      var old = box.querySelector('svg');
      if (old) old.remove();
      cloud.key = '';
      return;
    }
    if (cloud.running || document.hidden) { scheduleLater(); return; }
    var width = box.clientWidth, height = box.clientHeight;
    var words = state.words.slice(0, 100);
    var max = Math.sqrt(words[0].count), min = Math.sqrt(words[words.length - 1].count);
    var biggest = Math.max(22, Math.min(64, width / 7));
    var smallest = width < 480 ? 10 : 12;
    var input = words.map(function (w, i) {
      var share = max === min ? 1 : (Math.sqrt(w.count) - min) / (max - min);
      return { text: w.word, count: w.count, rank: i, size: Math.round(smallest + share * (biggest - smallest)) };
    });
    cloud.key = words.map(function (w) { return w.word; }).join(' ');
    cloud.size = width + 'x' + height;
    cloud.at = Date.now();
    cloud.running = true;
    d3.layout.cloud()
      .size([width, height])
      .words(input)
      .padding(3)
      .rotate(function (d) { return hash(d.text) % 7 === 0 ? -90 : 0; })
      .font('system-ui, -apple-system, "Segoe UI", Roboto, sans-serif')
      .fontWeight(650)
      .fontSize(function (d) { return d.size; })
      .random(seeded(7))
      .timeInterval(12)
      .on('end', function (placed) { cloud.running = false; drawCloud(placed, width, height); })
      .start();
  }

  function scheduleLater() {
    if (cloud.timer) return;
    cloud.timer = setTimeout(function () { cloud.timer = null; layoutCloud(); }, 1000);
  }

  function drawCloud(placed, width, height) {
    var NS = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'Word cloud of the ' + placed.length + ' most frequent words');
    var g = document.createElementNS(NS, 'g');
    g.setAttribute('transform', 'translate(' + width / 2 + ',' + height / 2 + ')');
    var palette = ['--cloud-1', '--cloud-2', '--cloud-3', '--cloud-4', '--cloud-5'];
    placed.forEach(function (d) {
      var text = document.createElementNS(NS, 'text');
      text.setAttribute('text-anchor', 'middle');
      text.setAttribute('transform', 'translate(' + d.x + ',' + d.y + ') rotate(' + d.rotate + ')');
      text.setAttribute('font-size', d.size);
      // A style, not the fill attribute: only CSS resolves the theme's variables.
      text.style.fill = 'var(' + palette[d.rank < 5 ? 0 : (d.rank % (palette.length - 1)) + 1] + ')';
      text.textContent = d.text;
      var title = document.createElementNS(NS, 'title');
      title.textContent = d.text + ': ' + Sluice.formatCount(d.count);
      text.appendChild(title);
      g.appendChild(text);
    });
    svg.appendChild(g);
    var box = $('word-cloud');
    var old = box.querySelector('svg');
    if (old) box.replaceChild(svg, old); else box.appendChild(svg);
  }

  // ---- Top words table -------------------------------------------------------------------

  function sortedWords() {
    var rows = state.words.map(function (w, i) { return { rank: i + 1, word: w.word, count: w.count }; });
    var key = state.sort.key, sign = state.sort.dir === 'asc' ? 1 : -1;
    rows.sort(function (a, b) {
      var x = a[key], y = b[key];
      var c = key === 'word' ? String(x).localeCompare(String(y)) : x - y;
      return c !== 0 ? sign * c : a.rank - b.rank;
    });
    return rows;
  }

  function renderWords() {
    var rows = sortedWords();
    var pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    var start = state.page * PAGE_SIZE;
    var top = state.words.length ? state.words[0].count : 1;
    var body = document.createDocumentFragment();
    rows.slice(start, start + PAGE_SIZE).forEach(function (r) {
      var tr = Sluice.el('tr');
      tr.appendChild(Sluice.el('td', 'num subtle', r.rank));
      var word = Sluice.el('td', 'word-cell', r.word);
      word.title = r.word;
      tr.appendChild(word);
      tr.appendChild(Sluice.el('td', 'num', Sluice.formatCount(r.count)));
      var shareCell = Sluice.el('td');
      var share = Sluice.el('div', 'share');
      var fill = Sluice.el('span');
      fill.style.width = Math.max(2, Math.round(100 * r.count / top)) + '%';
      share.appendChild(fill);
      shareCell.appendChild(share);
      tr.appendChild(shareCell);
      body.appendChild(tr);
    });
    var tbody = $('words-table').tBodies[0];
    tbody.replaceChildren(body);
    $('words-range').textContent = rows.length
      ? 'Showing ' + (start + 1) + '–' + Math.min(rows.length, start + PAGE_SIZE) + ' of ' + rows.length
      : 'No words yet';
    $('words-page').textContent = (state.page + 1) + ' / ' + pages;
    $('words-prev').disabled = state.page === 0;
    $('words-next').disabled = state.page >= pages - 1;
    document.querySelectorAll('#words-table th button').forEach(function (b) {
      var active = b.getAttribute('data-sort') === state.sort.key;
      if (active) b.setAttribute('aria-sort', state.sort.dir === 'asc' ? 'ascending' : 'descending');
      else b.removeAttribute('aria-sort');
    });
  }

  function setupWordsTable() {
    document.querySelectorAll('#words-table th button').forEach(function (b) {
      b.addEventListener('click', function () {
        var key = b.getAttribute('data-sort');
        if (state.sort.key === key) {
          state.sort.dir = state.sort.dir === 'asc' ? 'desc' : 'asc';
        } else {
          state.sort = { key: key, dir: key === 'count' ? 'desc' : 'asc' };
        }
        state.page = 0;
        renderWords();
      });
    });
    $('words-prev').addEventListener('click', function () { state.page = Math.max(0, state.page - 1); renderWords(); });
    $('words-next').addEventListener('click', function () { state.page += 1; renderWords(); });
  }

  // ---- Predictions -----------------------------------------------------------------------

  function readMine() {
    try { return new Set(JSON.parse(sessionStorage.getItem('sluice-posted') || '[]').map(function (p) { return p.id; })); }
    catch (e) { return new Set(); }
  }

  function renderPredictions() {
    var body = document.createDocumentFragment();
    state.predictions.forEach(function (p) {
      var tr = Sluice.el('tr');
      tr.setAttribute('data-id', p.id);
      if (state.freshIds.has(p.id)) tr.classList.add('fresh');
      if (mine.has(p.id)) tr.classList.add('mine');
      var excerptCell = Sluice.el('td', 'excerpt');
      var shown = Sluice.readable(p.excerpt);
      var excerpt = Sluice.el('div', 'excerpt-text', shown);
      excerpt.title = shown;
      excerptCell.appendChild(excerpt);
      tr.appendChild(excerptCell);
      var predicted = Sluice.el('td', 'predicted');
      predicted.appendChild(Sluice.labelElement(p.predicted));
      tr.appendChild(predicted);
      var expected = Sluice.el('td', 'expected');
      expected.appendChild(Sluice.labelElement(p.truth));
      if (p.truth === 'pos' || p.truth === 'neg') {
        var right = p.truth === p.predicted;
        var verdict = Sluice.el('span', 'verdict ' + (right ? 'verdict-right' : 'verdict-wrong'), right ? '✓' : '✗');
        verdict.title = right ? 'The prediction is right' : 'The prediction is wrong';
        expected.appendChild(verdict);
      }
      tr.appendChild(expected);
      var probCell = Sluice.el('td', 'num prob-cell');
      var prob = Sluice.el('div', 'prob');
      var bar = Sluice.el('div', 'prob-bar');
      var fill = Sluice.el('span', p.predicted === 'pos' ? 'pos' : 'neg');
      fill.style.width = Math.round(p.probability * 100) + '%';
      bar.appendChild(fill);
      prob.appendChild(bar);
      prob.appendChild(Sluice.el('span', 'prob-value', Sluice.formatPercent(p.probability, 0)));
      prob.title = 'Probability of the predicted label';
      probCell.appendChild(prob);
      tr.appendChild(probCell);
      body.appendChild(tr);
    });
    $('predictions').tBodies[0].replaceChildren(body);
    $('predictions-empty').hidden = state.predictions.length > 0;
    state.freshIds.clear();
  }

  // ---- Events ----------------------------------------------------------------------------

  function clock(now) {
    if (now) state.skewMs = Date.now() - Date.parse(now);
  }

  function onSnapshot(s, event) {
    clock(event.now);
    state.words = s.words || [];
    state.predictions = (s.predictions || []).slice(0, MAX_PREDICTIONS);
    state.accuracy = (s.accuracy || []).slice(-MAX_POINTS);
    renderAll();
  }

  function onBatch(b, event) {
    clock(event.now);
    mine = readMine();
    state.words = b.words || state.words;
    var fresh = b.predictions || [];
    fresh.forEach(function (p) { state.freshIds.add(p.id); });
    state.predictions = fresh.concat(state.predictions).slice(0, MAX_PREDICTIONS);
    state.accuracy = state.accuracy.concat(b.accuracy || []).slice(-MAX_POINTS);
    renderAll();
  }

  function onPipelines(u) {
    clock(u.now);
    state.pipelines = u.pipelines || [];
    renderKpis();
  }

  function onStatus(s) {
    var banner = $('db-banner');
    if (s.database === 'down') {
      banner.textContent = 'The database cannot be reached: showing the last known data. ' + (s.detail || '');
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
  }

  function renderAll() {
    renderKpis();
    renderChart();
    renderWords();
    renderPredictions();
    scheduleCloud();
  }

  document.addEventListener('DOMContentLoaded', function () {
    createChart();
    setupWordsTable();
    renderAll();
    Sluice.onThemeChange(themeChart);
    Sluice.connectLive({ snapshot: onSnapshot, batch: onBatch, pipelines: onPipelines, status: onStatus }, PIPELINE);
    setInterval(tick, 1000);
    var resizeTimer = null;
    window.addEventListener('resize', function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(scheduleCloud, 300);
    });
    document.addEventListener('visibilitychange', function () { if (!document.hidden) scheduleCloud(); });
  });
})();

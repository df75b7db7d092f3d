// The overview: a card per registered pipeline (from /api/info), with its status from the
// pipelines events of /api/stream: its own row, or its queries' rows made into one.
'use strict';

(function () {
  var registered = [];
  var statuses = [];
  var skewMs = 0;
  var $ = function (id) { return document.getElementById(id); };

  function badge(s) {
    var state = s ? String(s.state || 'unknown') : 'not running';
    var upper = state.toUpperCase();
    var kind = upper === 'RUNNING' ? 'badge-ok'
      : upper === 'FAILED' || upper === 'STOPPED' ? 'badge-bad'
      : s ? 'badge-warn' : 'badge-muted';
    var span = Sluice.el('span', 'badge ' + kind, state);
    if (s && s.detail) span.title = s.detail;
    return span;
  }

  function figure(label, value, warn) {
    var div = Sluice.el('div', 'figure');
    div.appendChild(Sluice.el('dt', null, label));
    var dd = Sluice.el('dd', warn ? 'warn' : null, value);
    div.appendChild(dd);
    return div;
  }

  function card(p) {
    var s = Sluice.pipelineStatus(statuses, p.name, p.queries);
    var article = Sluice.el('article', 'card pipeline-card');
    article.setAttribute('data-pipeline', p.name);
    var head = Sluice.el('div', 'card-head');
    var h2 = Sluice.el('h2');
    if (p.page) {
      var link = Sluice.el('a', null, Sluice.title(p.name));
      link.href = p.page;
      h2.appendChild(link);
    } else {
      h2.textContent = Sluice.title(p.name);
    }
    head.appendChild(h2);
    head.appendChild(badge(s));
    article.appendChild(head);
    article.appendChild(Sluice.el('p', 'subtle', p.description));
    var figures = Sluice.el('dl', 'figures');
    figures.appendChild(figure('Processed', s ? Sluice.formatCount(s.records - s.quarantined) : '–'));
    figures.appendChild(figure('Input', s ? Sluice.formatRate(s.input_rows_per_second) + '/s' : '–'));
    figures.appendChild(figure('Lag', s && s.kafka_lag !== null ? Sluice.formatCount(s.kafka_lag) : '–',
      !!(s && s.kafka_lag > 50000)));
    figures.appendChild(figure('Quarantined', s ? Sluice.formatCount(s.quarantined) : '–', !!(s && s.quarantined > 0)));
    var age = s && s.last_committed_at ? Date.now() - skewMs - Date.parse(s.last_committed_at) : null;
    figures.appendChild(figure('Last batch', age === null ? '–' : Sluice.formatAge(age)));
    article.appendChild(figures);
    return article;
  }

  function render() {
    var box = $('pipelines');
    var cards = document.createDocumentFragment();
    registered.forEach(function (p) { cards.appendChild(card(p)); });
    box.replaceChildren(cards);
    if (!registered.length) {
      box.appendChild(Sluice.el('p', 'subtle', 'No pipeline is registered with this server.'));
    }
  }

  function onPipelines(u) {
    if (u.now) skewMs = Date.now() - Date.parse(u.now);
    statuses = u.pipelines || [];
    $('last-update').textContent = 'Status as of ' + new Date(Date.now() - skewMs).toLocaleTimeString();
    render();
  }

  function onStatus(s) {
    var banner = $('db-banner');
    if (s.database === 'down') {
      banner.textContent = 'The database cannot be reached: showing the last known status. ' + (s.detail || '');
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    Sluice.info().then(function (info) {
      registered = info.pipelines || [];
      render();
    }).catch(function () {
      $('pipelines-empty').textContent = 'The server did not answer /api/info; reload to try again.';
    });
    Sluice.connectLive({ pipelines: onPipelines, status: onStatus });
    setInterval(function () { if (registered.length) render(); }, 5000);
  });
})();

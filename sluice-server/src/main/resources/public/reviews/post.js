// The post page: sends one review to POST /api/reviews and follows it until its prediction exists.
'use strict';

(function () {
  var STORE_KEY = 'sluice-posted';
  var TOKEN_KEY = 'sluice-api-token';
  var MAX_HISTORY = 10;
  var $ = function (id) { return document.getElementById(id); };
  var authRequired = false;

  function history() {
    try { return JSON.parse(sessionStorage.getItem(STORE_KEY) || '[]'); } catch (e) { return []; }
  }

  function saveHistory(items) {
    try { sessionStorage.setItem(STORE_KEY, JSON.stringify(items.slice(0, MAX_HISTORY))); } catch (e) { /* full or disabled */ }
  }

  function token() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch (e) { return ''; }
  }

  function setToken(value) {
    try {
      if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
    } catch (e) { /* disabled */ }
  }

  function showTokenBox(message, isError) {
    $('token-box').hidden = false;
    $('token-hint').textContent = message;
    $('token-hint').classList.toggle('error', !!isError);
  }

  function scoreHint() {
    var checked = document.querySelector('input[name="score"]:checked');
    var score = checked ? Number(checked.value) : null;
    var text = score === null ? 'No score.' : score + (score === 1 ? ' star' : ' stars') + ': ' +
      (score >= 4 ? 'expected positive.' : score <= 2 ? 'expected negative.' : 'no expected label (neutral).');
    $('score-hint').textContent = text;
  }

  function renderHistory() {
    var items = history();
    var list = document.createDocumentFragment();
    items.forEach(function (item) {
      var li = Sluice.el('li');
      li.setAttribute('data-id', item.id);
      li.setAttribute('data-state', item.prediction ? 'done' : 'pending');
      var left = Sluice.el('div');
      left.appendChild(Sluice.el('div', 'excerpt-text', item.text));
      left.appendChild(Sluice.el('div', 'subtle mono', 'id ' + item.id + ' · partition ' + item.partition + ', offset ' + item.offset));
      li.appendChild(left);
      var right = Sluice.el('div', 'result-line');
      if (item.prediction) {
        var p = item.prediction;
        right.appendChild(Sluice.labelElement(p.predicted));
        right.appendChild(Sluice.el('span', 'subtle', Sluice.formatPercent(p.probability, 0)));
        if (p.truth === 'pos' || p.truth === 'neg') {
          var ok = p.truth === p.predicted;
          right.appendChild(Sluice.el('span', 'verdict ' + (ok ? 'verdict-right' : 'verdict-wrong'), ok ? '✓ as expected' : '✗ expected ' + Sluice.labelName(p.truth).toLowerCase()));
        }
      } else {
        right.appendChild(Sluice.el('span', 'spinner'));
        right.appendChild(Sluice.el('span', 'subtle', 'Waiting for the prediction…'));
      }
      li.appendChild(right);
      list.appendChild(li);
    });
    $('history').replaceChildren(list);
    $('history-empty').hidden = items.length > 0;
  }

  function resolve(prediction) {
    var items = history();
    var changed = false;
    items.forEach(function (item) {
      if (item.id === prediction.id && !item.prediction) {
        item.prediction = { predicted: prediction.predicted, probability: prediction.probability, truth: prediction.truth };
        changed = true;
      }
    });
    if (changed) { saveHistory(items); renderHistory(); }
  }

  function pending() {
    return history().filter(function (item) { return !item.prediction && Date.now() - item.at < 10 * 60 * 1000; });
  }

  function lookUp() {
    pending().forEach(function (item) {
      fetch('/api/predictions/' + encodeURIComponent(item.id), { headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (p) { if (p) resolve(p); })
        .catch(function () { /* next batch or timer tries again */ });
    });
  }

  function onBatch(b) {
    (b.predictions || []).forEach(resolve);
    if (pending().length) lookUp();
  }

  function problemText(body, status) {
    if (body && body.detail) return body.detail;
    return 'The server answered ' + status + '.';
  }

  function submit(event) {
    event.preventDefault();
    var error = $('form-error');
    error.textContent = '';
    error.classList.remove('error');
    var text = $('review-text').value;
    if (!text.trim()) {
      error.textContent = 'Write a review first.';
      error.classList.add('error');
      $('review-text').focus();
      return;
    }
    var headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (authRequired) {
      var typed = $('api-token').value.trim();
      if (typed) setToken(typed);
      if (!token()) {
        showTokenBox('Enter the API token to post.', true);
        $('api-token').focus();
        return;
      }
      headers.Authorization = 'Bearer ' + token();
    }
    var checked = document.querySelector('input[name="score"]:checked');
    var review = { text: text };
    if (checked) review.score = Number(checked.value);
    var button = $('submit');
    button.disabled = true;
    button.textContent = 'Posting…';
    fetch('/api/reviews', { method: 'POST', headers: headers, body: JSON.stringify(review) })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (body) {
          if (response.status === 202) {
            var items = history();
            items.unshift({ id: body.id, partition: body.partition, offset: body.offset, text: text, at: Date.now(), prediction: null });
            saveHistory(items);
            renderHistory();
            $('review-text').value = '';
            updateCount();
            $('token-box').hidden = true;
            error.textContent = 'Accepted: Kafka acknowledged it. Its prediction follows.';
            return;
          }
          if (response.status === 401) {
            setToken('');
            $('api-token').value = '';
            showTokenBox('The token was not accepted: ' + problemText(body, 401), true);
            $('api-token').focus();
            return;
          }
          error.textContent = problemText(body, response.status);
          error.classList.add('error');
        });
      })
      .catch(function () {
        error.textContent = 'Cannot reach the server. Check that Sluice is running and try again.';
        error.classList.add('error');
      })
      .finally(function () {
        button.disabled = false;
        button.textContent = 'Post review';
      });
  }

  function updateCount() {
    var text = $('review-text').value;
    var chars = Array.from(text).length;
    $('text-count').textContent = chars.toLocaleString() + ' / 20,000';
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('review-form').addEventListener('submit', submit);
    $('review-text').addEventListener('input', updateCount);
    document.querySelectorAll('input[name="score"]').forEach(function (r) { r.addEventListener('change', scoreHint); });
    scoreHint();
    renderHistory();
    fetch('/api/info').then(function (r) { return r.json(); }).then(function (info) {
      authRequired = info.write_auth === 'bearer';
      if (authRequired && !token()) {
        showTokenBox('This server requires a token to post. It is kept for this browser tab only.', false);
      }
    }).catch(function () { /* the POST will say what is wrong */ });
    Sluice.connectLive({ batch: onBatch, snapshot: function (s) { (s.predictions || []).forEach(resolve); } }, 'reviews');
    if (pending().length) lookUp();
    setInterval(function () { if (pending().length) lookUp(); }, 5000);
  });
})();

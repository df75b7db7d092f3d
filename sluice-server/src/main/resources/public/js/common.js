// Shared by the dashboard and the post page: theme switch, live stream, DOM and number helpers.
// Every text that comes from a review is set with textContent, never parsed as HTML.
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

  /**
   * The live stream: EventSource reconnects by itself; the indicator shows whether updates flow.
   * handlers maps event names to functions receiving the parsed JSON.
   */
  function connectLive(handlers) {
    var indicator = document.getElementById('live-status');
    var source = null;
    function show(state, text) {
      if (!indicator) return;
      indicator.setAttribute('data-state', state);
      indicator.querySelector('.live-text').textContent = text;
      indicator.setAttribute('title', text);
    }
    function open() {
      source = new EventSource('/api/stream');
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
          handlers[name](data);
        });
      });
    }
    open();
    return { close: function () { if (source) source.close(); } };
  }

  document.addEventListener('DOMContentLoaded', function () {
    var button = document.getElementById('theme-toggle');
    if (button) {
      button.addEventListener('click', function () { setTheme(theme() === 'dark' ? 'light' : 'dark'); });
    }
    announceTheme();
  });
  darkQuery.addEventListener('change', announceTheme);

  return {
    theme: theme, onThemeChange: onThemeChange, css: css, el: el,
    formatCount: formatCount, formatRate: formatRate, formatPercent: formatPercent,
    formatDuration: formatDuration, formatAge: formatAge, readable: readable, labelName: labelName, labelElement: labelElement,
    connectLive: connectLive
  };
})();

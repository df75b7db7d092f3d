// The bar at the top of every page, written once: included right after the page's
// <header class="topbar" data-current="..."> and run at once, so the bar is there before the first
// paint. data-current names the page's pipeline, or "overview"; common.js adds the pipelines' links
// to the nav and wires the live status and the theme toggle.
(function () {
  var header = document.currentScript && document.currentScript.previousElementSibling;
  if (!header || !header.classList.contains('topbar')) return;
  var current = header.getAttribute('data-current') || '';
  header.innerHTML =
    '<div class="topbar-inner">' +
      '<a class="brand" href="/" aria-label="Sluice overview">' +
        '<svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true"><path d="M4 9c4 0 4-3 8-3s4 3 8 3 4-3 8-3M4 16c4 0 4-3 8-3s4 3 8 3 4-3 8-3M4 23c4 0 4-3 8-3s4 3 8 3 4-3 8-3"/></svg>' +
        '<span>Sluice</span>' +
      '</a>' +
      '<nav class="nav" id="nav" aria-label="Pages"><a href="/">Overview</a></nav>' +
      '<div class="topbar-tools">' +
        '<span id="live-status" class="live" data-state="connecting" role="status" aria-live="polite">' +
          '<span class="live-dot" aria-hidden="true"></span><span class="live-text">Connecting…</span>' +
        '</span>' +
        '<button id="theme-toggle" class="icon-button" type="button" aria-label="Switch to dark theme" title="Switch theme">' +
          '<svg class="icon-sun" viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="4.5"/><path d="M12 1.5v3M12 19.5v3M1.5 12h3M19.5 12h3M4.6 4.6l2.1 2.1M17.3 17.3l2.1 2.1M4.6 19.4l2.1-2.1M17.3 6.7l2.1-2.1"/></svg>' +
          '<svg class="icon-moon" viewBox="0 0 24 24" aria-hidden="true"><path d="M20.5 14.5A8.5 8.5 0 0 1 9.5 3.5a8.5 8.5 0 1 0 11 11z"/></svg>' +
        '</button>' +
      '</div>' +
    '</div>';
  var nav = header.querySelector('#nav');
  // Set as an attribute, never parsed as markup.
  nav.setAttribute('data-current', current);
  if (current === 'overview') nav.firstChild.setAttribute('aria-current', 'page');
})();

// Runs before the style sheet, so the page is painted in the chosen theme from the start.
(function () {
  var stored = null;
  try { stored = localStorage.getItem('sluice-theme'); } catch (e) { /* storage disabled */ }
  if (stored === 'light' || stored === 'dark') {
    document.documentElement.setAttribute('data-theme', stored);
  }
})();

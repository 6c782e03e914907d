// Runs blocking in <head>: applies the remembered theme before first paint (no flash)
// and marks the document as scripted so the stylesheet can enable the sidebar drawer.
(function () {
  var root = document.documentElement;
  root.classList.add('js');
  try {
    var theme = localStorage.getItem('handbook-theme');
    if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  } catch (e) { /* storage blocked: follow the system preference */ }
})();

// The Handbook's page behaviour: theme toggle, sidebar drawer, ←/→ chapter navigation, the
// search field (its code loaded on first use), keyboard access to wide formulas. No
// dependencies; loaded with `defer`.
(function () {
  'use strict';
  var root = document.documentElement;
  var here = document.currentScript ? document.currentScript.src : '';
  var STORAGE_KEY = 'handbook-theme';
  var darkQuery = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

  // ---- Theme -------------------------------------------------------------------------------
  // data-theme on <html> is set only when the reader has chosen; otherwise CSS follows
  // prefers-color-scheme. effectiveTheme() resolves either case.
  function effectiveTheme() {
    var t = root.dataset.theme;
    if (t === 'light' || t === 'dark') return t;
    return darkQuery && darkQuery.matches ? 'dark' : 'light';
  }

  var themeButton = document.querySelector('.theme-toggle');

  function syncThemeButton() {
    if (themeButton) themeButton.setAttribute('aria-pressed', String(effectiveTheme() === 'dark'));
  }

  function announceTheme() {
    document.dispatchEvent(new CustomEvent('handbook:themechange', { detail: { theme: effectiveTheme() } }));
  }

  if (themeButton) {
    themeButton.hidden = false;
    syncThemeButton();
    themeButton.addEventListener('click', function () {
      var next = effectiveTheme() === 'dark' ? 'light' : 'dark';
      root.dataset.theme = next;
      try { localStorage.setItem(STORAGE_KEY, next); } catch (e) { /* not remembered */ }
      syncThemeButton();
      announceTheme();
    });
  }
  if (darkQuery) {
    var onSystemChange = function () {
      if (!root.dataset.theme) { syncThemeButton(); announceTheme(); }
    };
    if (darkQuery.addEventListener) darkQuery.addEventListener('change', onSystemChange);
    else if (darkQuery.addListener) darkQuery.addListener(onSystemChange);
  }

  // ---- Sidebar drawer (narrow screens) -------------------------------------------------------
  var sidebar = document.getElementById('sidebar');
  var sidebarButton = document.querySelector('.sidebar-toggle');

  function setSidebar(open, focusTarget) {
    if (!sidebar || !sidebarButton) return;
    sidebarButton.setAttribute('aria-expanded', String(open));
    root.classList.toggle('sidebar-open', open);
    if (open) {
      var target = sidebar.querySelector('[aria-current="page"]') || sidebar.querySelector('a');
      if (target) target.focus();
    } else if (focusTarget) {
      focusTarget.focus();
    }
  }

  if (sidebar && sidebarButton) {
    sidebarButton.hidden = false;
    sidebarButton.addEventListener('click', function () {
      setSidebar(sidebarButton.getAttribute('aria-expanded') !== 'true');
    });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && root.classList.contains('sidebar-open')) {
        setSidebar(false, sidebarButton);
      }
    });
    // A click outside the open drawer (on the dimmed page) closes it.
    document.addEventListener('click', function (event) {
      if (!root.classList.contains('sidebar-open')) return;
      if (sidebar.contains(event.target) || sidebarButton.contains(event.target)) return;
      setSidebar(false);
    });
    // Moving focus out of the drawer (Tab past its last link) closes it.
    sidebar.addEventListener('focusout', function (event) {
      if (!root.classList.contains('sidebar-open')) return;
      var to = event.relatedTarget;
      if (to && !sidebar.contains(to) && to !== sidebarButton) setSidebar(false);
    });
    // Widening the window past the breakpoint leaves drawer mode.
    var wide = window.matchMedia('(min-width: 900px)');
    var onWide = function () { if (wide.matches) setSidebar(false); };
    if (wide.addEventListener) wide.addEventListener('change', onWide);
    else if (wide.addListener) wide.addListener(onWide);
  }

  // ---- The header's height, as drawn -----------------------------------------------------------
  // On a phone its title wraps to two or three lines: what sits under the header (the open
  // sidebar, a focused field scrolled into view) is placed below its real height, not 3.25rem.
  // Set only when it differs from the stylesheet's 3.25rem: a custom property on <html> restyles
  // the whole page, which the first frame of every desktop load would otherwise pay for.
  var header = document.querySelector('.site-header');
  if (header && window.ResizeObserver) {
    var usual = 0;
    new ResizeObserver(function () {
      var h = header.offsetHeight;
      usual = usual || parseFloat(getComputedStyle(root).fontSize) * 3.25;
      if (Math.abs(h - usual) < 1) root.style.removeProperty('--header-now');
      else root.style.setProperty('--header-now', h + 'px');
    }).observe(header);
  }

  // ---- ←/→ go to the previous/next chapter (as in mdBook) -------------------------------------
  var FORM_TAGS = { INPUT: 1, SELECT: 1, TEXTAREA: 1, BUTTON: 1, OPTION: 1 };
  var ARROW_ROLES = /^(slider|spinbutton|listbox|option|menu|menubar|menuitem|radiogroup|radio|tablist|tab|tree|treegrid|grid|combobox|textbox|scrollbar)$/;

  function handlesArrowsItself(node) {
    if (!node || node.nodeType !== 1) return false;
    var tag = node.tagName;
    if (FORM_TAGS[tag]) return true;
    if (tag.indexOf('CALC-') === 0) return true;
    if (node.isContentEditable) return true;
    var role = node.getAttribute('role');
    if (role && ARROW_ROLES.test(role)) return true;
    // A focused element that scrolls sideways (wide formula, code block) uses ←/→ to scroll.
    if (node !== document.body && node !== root && node.scrollWidth > node.clientWidth + 1) {
      var overflow = getComputedStyle(node).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') return true;
    }
    return false;
  }

  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented) return;
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (root.classList.contains('sidebar-open')) return;
    var path = event.composedPath ? event.composedPath() : [event.target];
    for (var i = 0; i < path.length; i++) {
      if (handlesArrowsItself(path[i])) return;
    }
    var rel = event.key === 'ArrowLeft' ? 'prev' : 'next';
    var link = document.querySelector('.pager a[rel~="' + rel + '"]');
    if (link) {
      event.preventDefault();
      window.location.href = link.href;
    }
  });

  // ---- Search: the field in the header --------------------------------------------------------
  // Its code (search.js) and Pagefind's index are fetched when the reader first focuses or types
  // in it, never with the page. "/" focuses it, except while typing in a field or in a figure.
  var searchInput = document.querySelector('.search-input');
  var searching = null;
  function startSearch() {
    searching = searching || import(new URL('search.js', here).href).then(function (m) { m.start(searchInput); },
      function (e) { searching = null; console.warn('search could not load:', e); });
  }
  if (searchInput && here) {
    searchInput.addEventListener('focus', startSearch);
    searchInput.addEventListener('input', startSearch);
    document.addEventListener('keydown', function (event) {
      if (event.key !== '/' || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      var path = event.composedPath ? event.composedPath() : [event.target];
      for (var i = 0; i < path.length; i++) {
        var n = path[i];
        if (n.nodeType !== 1) continue;
        if (/^(INPUT|TEXTAREA|SELECT)$/.test(n.tagName) || n.isContentEditable || n.tagName.indexOf('CALC-') === 0) return;
      }
      event.preventDefault();
      searchInput.focus();
    });
  }

  // ---- Links to a section: land on it once the page is laid out ------------------------------
  // Prose off screen is drawn late (content-visibility in site.css), so the browser's jump to
  // #section is made with estimated heights; repeat it when the real ones are known.
  if (location.hash.length > 1) {
    window.addEventListener('load', function () {
      var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target) requestAnimationFrame(function () { target.scrollIntoView(); });
    }, { once: true });
  }

  // ---- "Going further" asides print open ------------------------------------------------------
  // site.css shows a closed aside's content in print where ::details-content exists; elsewhere
  // the asides are opened for the print and closed again after it, as the reader left them.
  var openedForPrint = [];
  window.addEventListener('beforeprint', function () {
    var closed = document.querySelectorAll('details.further:not([open])');
    for (var i = 0; i < closed.length; i++) { closed[i].open = true; openedForPrint.push(closed[i]); }
  });
  window.addEventListener('afterprint', function () {
    while (openedForPrint.length) openedForPrint.pop().open = false;
  });

  // ---- Wide display formulas: focusable only when they actually scroll ------------------------
  // A ResizeObserver checks each formula after the browser's own layout (measuring at once
  // would force an extra layout while the page loads) and again whenever its width changes.
  // All measurements first, then all changes: alternating them would lay the page out again
  // for every formula.
  // A formula far from the viewport is not laid out (content-visibility in site.css): it
  // cannot be measured, so it keeps the tabindex the build gave it until it has been.
  function laidOut(d) {
    var inside = d.firstElementChild;
    return !inside || !inside.checkVisibility || inside.checkVisibility({ contentVisibilityAuto: true });
  }
  function untab(e) {
    var d = e.target;
    if (d.scrollWidth <= d.clientWidth + 1) d.removeAttribute('tabindex');
  }
  function markScrollable(entries) {
    var scrolls = [];
    for (var i = 0; i < entries.length; i++) {
      var d = entries[i].target;
      scrolls.push(laidOut(d) ? d.scrollWidth > d.clientWidth + 1 : null);
    }
    for (var j = 0; j < entries.length; j++) {
      var el = entries[j].target;
      if (scrolls[j] === true) el.setAttribute('tabindex', '0');
      else if (scrolls[j] === false && el.getAttribute('tabindex') === '0') {
        // A formula Tab has just reached (and so brought into layout) keeps its place in the
        // order until the reader moves on: taking it away now would drop the focus to <body>.
        if (document.activeElement === el) el.addEventListener('blur', untab, { once: true });
        else el.removeAttribute('tabindex');
      }
    }
  }
  var displays = document.querySelectorAll('.katex-display');
  if (displays.length && window.ResizeObserver) {
    // Measured when the page is idle: it is not urgent (every formula starts focusable), and
    // the first report, for every formula at once, came in the frame the widgets first draw.
    var resized = new ResizeObserver(function (entries) {
      if (window.requestIdleCallback) requestIdleCallback(function () { markScrollable(entries); }, { timeout: 1000 });
      else markScrollable(entries);
    });
    var remeasure = function (e) {
      if (e.skipped) return;
      // Observing again reports the formula's size once more, now after its first layout.
      resized.unobserve(e.target);
      resized.observe(e.target);
    };
    for (var i = 0; i < displays.length; i++) {
      resized.observe(displays[i]);
      displays[i].addEventListener('contentvisibilityautostatechange', remeasure);
    }
  }
})();

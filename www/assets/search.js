// Search across the book, imported by site.js when the reader first focuses or types in the
// header's search field; Pagefind's API and its index (../pagefind/, built by
// scripts/search-index.mjs) are fetched only then. The field becomes an ARIA combobox: ↑/↓ move
// through the results (aria-activedescendant), Enter opens one, Escape closes the list (and a
// second Escape clears the field). A result names its chapter and section and shows an excerpt
// with the match marked; it links to the section.
const ROOT = new URL('../', import.meta.url);
const MAX_PAGES = 6;
const PER_PAGE = 2;

let pagefind = null;
function loadPagefind() {
  pagefind ??= import(new URL('pagefind/pagefind.js', ROOT).href).then(async (pf) => {
    // Results' URLs under the book's own path, whatever sub-path it is served from.
    await pf.options({ baseUrl: ROOT.pathname, excerptLength: 16 });
    await pf.init();
    return pf;
  });
  pagefind.catch(() => { pagefind = null; });
  return pagefind;
}

/** Pagefind's excerpt (escaped text and <mark>) as nodes: text and <mark> only. */
function excerptNodes(html) {
  const template = document.createElement('template');
  template.innerHTML = html;
  const out = [];
  for (const node of template.content.childNodes) {
    if (node.nodeName === 'MARK') {
      const mark = document.createElement('mark');
      mark.textContent = node.textContent;
      out.push(mark);
    } else {
      out.push(document.createTextNode(node.textContent));
    }
  }
  return out;
}

/** The words of a query or a heading, lowercased, without the punctuation around them. */
const wordsOf = (text) => text.toLowerCase().split(/\s+/).map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')).filter(Boolean);

/**
 * Whether a heading names every word of the query: a section titled "What np.gradient
 * computes" is about np.gradient, where a chapter that uses it often may not be. Words are
 * compared on their first six letters (initialisation, initialization), short ones whole.
 */
function names(title, query) {
  const words = wordsOf(title);
  return query.every((q) => words.some((w) => (q.length <= 3 ? w === q : w.slice(0, 6) === q.slice(0, 6))));
}

/** The words Pagefind marked in an excerpt. */
const markedWords = (excerpt) => [...excerpt.matchAll(/<mark>(.*?)<\/mark>/g)].flatMap((m) => wordsOf(m[1]));

/** How many leading characters two words share. */
function sharedStart(a, b) {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n;
}

/**
 * Whether a page matched a word of the query itself. Finding no word that starts with a query
 * word, Pagefind tries shorter and shorter starts of it: "zzqxqj" matched every "z" of the
 * book. A typo that keeps a word's first four letters ("gradint": "grad") still counts, and
 * so does a query of short words only, which Pagefind matches whole.
 */
function matchesQuery(page, query) {
  const long = query.filter((q) => q.length >= 3);
  const marked = [page.excerpt, ...page.sub_results.map((sub) => sub.excerpt)].flatMap(markedWords);
  if (!long.length || !marked.length) return true;
  return long.some((q) => marked.some((w) => sharedStart(q, w) >= Math.min(q.length, 4)));
}

/** A page's best sections: one whose heading names the query first, then the most matches. */
function bestSections(page, query) {
  const subs = page.sub_results?.length ? page.sub_results : [{ title: page.meta.title, url: page.url, excerpt: page.excerpt, locations: page.locations }];
  return subs
    .map((sub, i) => ({ sub, i, named: names(sub.title, query) }))
    .sort((a, b) => b.named - a.named || b.sub.locations.length - a.sub.locations.length || a.i - b.i)
    .slice(0, PER_PAGE)
    .map((s) => s.sub);
}

function span(className, ...children) {
  const el = document.createElement('span');
  el.className = className;
  el.append(...children);
  return el;
}

export function start(input) {
  if (input.dataset.search) return;
  input.dataset.search = 'on';
  const box = input.parentNode;
  const listbox = document.createElement('div');
  listbox.id = 'search-results';
  listbox.className = 'search-results';
  listbox.setAttribute('role', 'listbox');
  listbox.setAttribute('aria-label', 'Search results');
  listbox.hidden = true;
  const status = document.createElement('p');
  status.className = 'search-status';
  status.setAttribute('role', 'status');
  box.append(listbox, status);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', listbox.id);
  input.setAttribute('aria-expanded', 'false');

  let options = [];
  let active = -1;
  let shownTerm = null;
  let ran = 0;

  const setActive = (i) => {
    options[active]?.setAttribute('aria-selected', 'false');
    active = i;
    const option = options[active];
    if (option) {
      option.setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', option.id);
      option.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  };

  const open = (show) => {
    listbox.hidden = !(show && options.length);
    input.setAttribute('aria-expanded', String(!listbox.hidden));
    box.classList.toggle('searching', show);
    if (!show) setActive(-1);
  };

  const render = (term, items) => {
    listbox.replaceChildren();
    options = items.map((item, i) => {
      const a = document.createElement('a');
      a.id = `search-result-${i}`;
      a.className = 'search-result';
      a.href = item.url;
      a.tabIndex = -1;
      a.setAttribute('role', 'option');
      a.setAttribute('aria-selected', 'false');
      a.append(span('search-chapter', item.chapter));
      if (item.section) a.append(span('search-section', item.section));
      a.append(span('search-excerpt', ...excerptNodes(item.excerpt)));
      return a;
    });
    listbox.append(...options);
    active = -1;
    input.removeAttribute('aria-activedescendant');
    shownTerm = term;
    box.dataset.shown = term;
    status.textContent = items.length ? `${items.length} result${items.length === 1 ? '' : 's'}` : `No results for “${term}”`;
    // Results that arrive after the reader has left the field wait for them to come back.
    open(document.activeElement === input);
  };

  const run = async () => {
    const term = input.value.trim();
    const id = ++ran;
    if (!term) {
      shownTerm = null;
      delete box.dataset.shown;
      options = [];
      listbox.replaceChildren();
      status.textContent = '';
      open(false);
      return;
    }
    const pf = await loadPagefind();
    const search = await pf.debouncedSearch(term, {}, 100);
    if (search === null || id !== ran) return; // a newer search replaced this one
    const query = wordsOf(term);
    const found = await Promise.all(search.results.slice(0, MAX_PAGES).map((r) => r.data()));
    if (id !== ran) return;
    const pages = found.filter((page) => matchesQuery(page, query));
    // Pagefind's order, except that a chapter with a section titled by the query comes first.
    const named = (page) => page.sub_results.some((sub) => names(sub.title, query));
    const ordered = [...pages.filter(named), ...pages.filter((p) => !named(p))];
    const items = ordered.flatMap((page) => bestSections(page, query).map((sub) => ({
      chapter: page.meta.chapter ?? page.meta.title,
      section: sub.title !== page.meta.title ? sub.title : '',
      excerpt: sub.excerpt,
      url: sub.url,
    })));
    render(term, items);
  };

  const go = (option) => {
    open(false);
    option.click();
  };

  input.addEventListener('input', () => { run().catch(fail); });
  input.addEventListener('focus', () => {
    loadPagefind().catch(fail);
    if (shownTerm !== null && shownTerm === input.value.trim()) open(true);
  });
  input.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const shown = !listbox.hidden;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!options.length) return;
      event.preventDefault();
      if (!shown) { open(true); setActive(event.key === 'ArrowDown' ? 0 : options.length - 1); return; }
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((active + step + options.length + (active < 0 && step < 0 ? 1 : 0)) % options.length);
    } else if (event.key === 'Enter') {
      // Enter opens the chosen result, or the first.
      if (!shown || !options.length) return;
      event.preventDefault();
      go(options[Math.max(active, 0)]);
    } else if (event.key === 'Escape') {
      if (shown || box.classList.contains('searching')) open(false);
      else if (input.value) { input.value = ''; run().catch(fail); }
      else return;
      event.preventDefault();
      event.stopPropagation();
    }
  });
  // A click on a result keeps the focus in the field until the link is followed.
  listbox.addEventListener('mousedown', (event) => event.preventDefault());
  listbox.addEventListener('click', (event) => {
    const a = event.target.closest('a');
    if (!a) return;
    open(false);
    // On this page: the browser jumps with estimated heights for prose not yet laid out
    // (content-visibility in site.css); land on the section again once it is, and take the
    // keyboard there.
    if (a.pathname === location.pathname && a.hash) {
      const target = document.getElementById(decodeURIComponent(a.hash.slice(1)));
      if (!target) return;
      requestAnimationFrame(() => requestAnimationFrame(() => {
        target.scrollIntoView();
        if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
        target.focus({ preventScroll: true });
      }));
    }
  });
  box.addEventListener('focusout', (event) => {
    if (!box.contains(event.relatedTarget)) open(false);
  });
  document.addEventListener('click', (event) => {
    if (!box.contains(event.target)) open(false);
  });

  function fail(error) {
    status.textContent = 'Search is not available right now.';
    box.classList.add('searching');
    console.warn('search:', error);
  }

  if (input.value.trim()) run().catch(fail);
  else loadPagefind().catch(fail);
}

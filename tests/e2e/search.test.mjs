// Search across the book (issue 15): the field in every page's header, Pagefind's index built
// over dist/ (scripts/search-index.mjs), the results as a combobox (www/assets/search.js).
// Queries find their chapters; a result names its chapter and section, marks the match and
// links to the section; the keyboard alone works it; nothing of it is fetched before the
// reader searches; it works under a sub-path and on a phone; axe passes with results open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  RESULTS, useBrowserAndSite, startSite, openPage, assertClean, runAxe, formatViolations, waitForWidgets, nextFrame,
} from './harness.mjs';

const shared = useBrowserAndSite();

const FIELD = '.site-header input[type=search]';
const OPTIONS = '#search-results [role=option]';

/** Types `query` in the header's field and waits for the results list; returns the options. */
async function search(page, query) {
  await page.locator(FIELD).fill(query);
  // search.js marks the query whose results are shown.
  await page.waitForFunction((q) => document.querySelector('.site-search')?.dataset.shown === q, query, { timeout: 15_000 });
  return results(page);
}

/** The options shown: [{ id, href (path + hash), chapter, section, excerpt, marks, selected }]. */
function results(page) {
  return page.$$eval(OPTIONS, (options) => options.map((o) => ({
    id: o.id,
    href: new URL(o.href).pathname + new URL(o.href).hash,
    chapter: o.querySelector('.search-chapter')?.textContent ?? '',
    section: o.querySelector('.search-section')?.textContent ?? '',
    excerpt: o.querySelector('.search-excerpt')?.textContent ?? '',
    marks: [...o.querySelectorAll('mark')].map((m) => m.textContent),
    selected: o.getAttribute('aria-selected'),
  })));
}

const QUERIES = [
  ['Hessian', 'gradient-descent.html', '4. Gradient descent'],
  ['saddle', 'partial-derivatives.html', '2. Partial derivatives'],
  ['np.gradient', 'derivative.html', '1. The derivative'],
  ['chain rule', 'backpropagation.html', '5. The chain rule and backpropagation'],
  ['He initialization', 'vanishing-gradients.html', '6. Vanishing and exploding gradients'],
];

for (const [query, file, chapter] of QUERIES) {
  test(`"${query}" finds chapter ${chapter}`, { timeout: 45_000 }, async () => {
    const { page, records, close } = await openPage(shared.browser, shared.site.url + 'index.html');
    try {
      const found = await search(page, query);
      assert.ok(found.length > 0, `"${query}" has results`);
      const first = found[0];
      assert.equal(first.href.split('#')[0], `/${file}`, `"${query}": the first result is ${file}: ${JSON.stringify(found.map((r) => r.href))}`);
      assert.equal(first.chapter, chapter, 'a result names its chapter');
      assert.match(first.href, /#[\w-]+$/, 'a result links straight to its section');
      assert.ok(first.section.length > 0, 'a result names its section');
      assert.ok(first.marks.length > 0, `the match is marked in the excerpt: ${first.excerpt}`);
      const words = query.toLowerCase().split(/\s+/);
      assert.ok(first.marks.some((m) => words.some((w) => m.toLowerCase().startsWith(w.slice(0, 4)))), `the marks are the query's words: ${first.marks}`);
      assertClean(records, { label: query });
    } finally {
      await close();
    }
  });
}

test('formulas are found by their spoken form; the embed page, the sidebar and the footer are not indexed', { timeout: 60_000 }, async () => {
  const { page, records, close } = await openPage(shared.browser, shared.site.url + 'partial-derivatives.html');
  try {
    // ∂f/∂w, typeset by KaTeX, is read "partial f over partial w" (its aria-label).
    const spoken = await page.$$eval('.katex[aria-label]', (ks) => ks.map((k) => k.getAttribute('aria-label')));
    assert.ok(spoken.some((s) => s.includes('partial f over partial w')), 'the chapter has a formula read "partial f over partial w"');
    const found = await search(page, 'partial f over partial w');
    assert.ok(found.some((r) => r.href.startsWith('/partial-derivatives.html')), `the spoken form finds chapter 2: ${JSON.stringify(found.map((r) => r.href))}`);
    // Words found only outside the chapters' text (the header's and footer's "Handbook", the
    // footer's "KaTeX", the sidebar's "Introduction") are found only where the text has them.
    const pages = await page.evaluate(async () => {
      const names = ['index.html', 'derivative.html', 'partial-derivatives.html', 'gradient.html', 'gradient-descent.html',
        'backpropagation.html', 'vanishing-gradients.html', 'summary.html'];
      const out = {};
      for (const n of names) {
        const doc = new DOMParser().parseFromString(await (await fetch(n)).text(), 'text/html');
        out[n] = doc.querySelector('article.page').textContent.toLowerCase();
      }
      return out;
    });
    for (const word of ['handbook', 'katex', 'introduction', 'bloggers']) {
      const hits = await search(page, word);
      for (const r of hits) {
        const file = r.href.split('#')[0].slice(1);
        assert.notEqual(file, 'embed.html', `"${word}": the embed page is not indexed`);
        const exact = r.marks.some((m) => m.toLowerCase().replace(/[^a-z]/g, '') === word);
        if (exact) assert.ok(pages[file]?.includes(word), `"${word}" found on ${file}, whose text does not hold it (sidebar or footer indexed?)`);
      }
    }
    const handbook = await search(page, 'handbook');
    assert.deepEqual([...new Set(handbook.map((r) => r.href.split('#')[0]))], ['/index.html'], 'the title in every header and footer is not indexed');
    assertClean(records);
  } finally {
    await close();
  }
});

test('a query no word of the book starts with finds nothing, though a typo that keeps a word\'s start still finds it', { timeout: 45_000 }, async () => {
  const { page, records, close } = await openPage(shared.browser, shared.site.url + 'index.html');
  try {
    // Pagefind falls back to the query's first letters: "zzqxqj" matched every "z".
    assert.deepEqual(await search(page, 'zzqxqj'), []);
    assert.equal(await page.locator('.search-status').textContent(), 'No results for “zzqxqj”');
    const typo = await search(page, 'gradint');
    assert.ok(typo.length > 0, '"gradint" finds the gradient');
    assert.ok(typo.every((r) => r.marks.some((m) => m.toLowerCase().includes('grad'))), JSON.stringify(typo.map((r) => r.marks)));
    assertClean(records, { label: 'nonsense' });
  } finally {
    await close();
  }
});

test('nothing of the search is fetched before the reader starts one', { timeout: 45_000 }, async () => {
  const requests = [];
  const { page, records, close } = await openPage(shared.browser, shared.site.url + 'gradient-descent.html', {
    beforeGoto: (p) => p.on('request', (r) => requests.push(new URL(r.url()).pathname)),
  });
  try {
    await waitForWidgets(page);
    await page.mouse.wheel(0, 2000);
    await page.waitForTimeout(500);
    const early = requests.filter((u) => u.includes('/pagefind/') || u.endsWith('/search.js'));
    assert.deepEqual(early, [], 'no search code or index on page load');
    // The field is there, empty, and an ordinary search box until then.
    assert.equal(await page.locator(FIELD).isVisible(), true);
    await search(page, 'learning rate');
    assert.ok(requests.some((u) => u.endsWith('/assets/search.js')), 'search.js is fetched when the reader types');
    assert.ok(requests.some((u) => u.endsWith('/pagefind/pagefind.js')), 'Pagefind is fetched when the reader types');
    assert.ok(requests.some((u) => /\/pagefind\/index\//.test(u)), 'and the index');
    assertClean(records);
  } finally {
    await close();
  }
});

test('the keyboard alone: / focuses the field, ↑/↓ move, Escape closes, Enter opens the section', { timeout: 60_000 }, async () => {
  const { page, records, close } = await openPage(shared.browser, shared.site.url + 'derivative.html');
  try {
    await waitForWidgets(page);
    // "/" typed in a widget's text field is the widget's.
    const fn = page.locator('calc-derivative input[name=function]').first();
    await fn.fill('x');
    await fn.press('/');
    assert.equal(await fn.inputValue(), 'x/');
    assert.notEqual(await page.evaluate(() => document.activeElement?.matches('.site-header input[type=search]')), true);
    await fn.fill('x^2');
    // Elsewhere it focuses the search field.
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.matches('.site-header input[type=search]')), true, '/ focuses the field');
    assert.equal(await page.locator(FIELD).inputValue(), '', 'the / is not typed into it');
    await page.keyboard.type('saddle');
    await page.waitForFunction(() => document.querySelectorAll('#search-results [role=option]').length >= 2, null, { timeout: 15_000 });
    const input = page.locator(FIELD);
    assert.equal(await input.getAttribute('role'), 'combobox');
    assert.equal(await input.getAttribute('aria-expanded'), 'true');
    const found = await results(page);
    await page.keyboard.press('ArrowDown');
    assert.equal(await input.getAttribute('aria-activedescendant'), found[0].id);
    await page.keyboard.press('ArrowDown');
    assert.equal(await input.getAttribute('aria-activedescendant'), found[1].id);
    assert.deepEqual((await results(page)).map((r) => r.selected).slice(0, 2), ['false', 'true']);
    await page.keyboard.press('ArrowUp');
    assert.equal(await input.getAttribute('aria-activedescendant'), found[0].id);
    // Escape closes the list and leaves the keyboard in the field, on this page.
    const here = page.url();
    await page.keyboard.press('Escape');
    assert.equal(await input.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('#search-results').isVisible(), false);
    assert.equal(await page.evaluate(() => document.activeElement?.matches('.site-header input[type=search]')), true);
    assert.equal(page.url(), here);
    // ↓ opens it again; Enter opens the chosen result, at its section.
    await page.keyboard.press('ArrowDown');
    assert.equal(await input.getAttribute('aria-expanded'), 'true');
    const chosen = (await results(page))[0];
    await Promise.all([page.waitForURL((u) => u.pathname + u.hash === chosen.href), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
    const id = decodeURIComponent(chosen.href.split('#')[1]);
    await page.waitForFunction((id) => {
      const r = document.getElementById(id)?.getBoundingClientRect();
      return r && r.top >= 0 && r.top < innerHeight;
    }, id, { timeout: 10_000 });
    assertClean(records);
  } finally {
    await close();
  }
});

test('a result on the same page lands on its section', { timeout: 45_000 }, async () => {
  const { page, records, close } = await openPage(shared.browser, shared.site.url + 'gradient-descent.html');
  try {
    await waitForWidgets(page);
    const found = await search(page, 'Hessian');
    const chosen = found.find((r) => r.href.startsWith('/gradient-descent.html#'));
    assert.ok(chosen, 'a section of this chapter');
    await page.locator(`#${chosen.id}`).click();
    const id = decodeURIComponent(chosen.href.split('#')[1]);
    await page.waitForFunction((id) => {
      const r = document.getElementById(id)?.getBoundingClientRect();
      return r && Math.abs(r.top) < innerHeight / 2;
    }, id, { timeout: 10_000 });
    assert.equal(new URL(page.url()).hash, `#${id}`);
    assert.equal(await page.locator('#search-results').isVisible(), false, 'the list closes');
    assertClean(records);
  } finally {
    await close();
  }
});

test('search works from dist/ under the sub-path /handbook/', { timeout: 45_000 }, async () => {
  const sub = await startSite({ base: '/handbook/' });
  const requests = [];
  try {
    const { page, records, close } = await openPage(shared.browser, sub.url + 'summary.html', {
      beforeGoto: (p) => p.on('request', (r) => requests.push(r.url())),
    });
    try {
      const found = await search(page, 'Hessian');
      assert.ok(found.length > 0);
      for (const r of found) assert.match(r.href, /^\/handbook\/[\w-]+\.html(#[\w-]+)?$/, 'results link inside the sub-path');
      for (const u of requests) if (u.startsWith(sub.origin)) assert.ok(new URL(u).pathname.startsWith('/handbook/'), `requested ${u} outside /handbook/`);
      assert.ok(requests.some((u) => u.endsWith('/handbook/pagefind/pagefind.js')));
      await Promise.all([page.waitForURL(/\/handbook\/gradient-descent\.html#/), page.locator(OPTIONS).first().click()]);
      assertClean(records);
    } finally {
      await close();
    }
  } finally {
    await sub.close();
  }
});

for (const width of [360, 1280]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`results at ${width} px (${colorScheme}): inside the screen, and axe passes`, { timeout: 60_000 }, async () => {
      const { page, records, close } = await openPage(shared.browser, shared.site.url + 'gradient.html', {
        colorScheme, viewport: { width, height: 740 },
      });
      try {
        await waitForWidgets(page);
        await search(page, 'gradient');
        await page.keyboard.press('ArrowDown');
        await nextFrame(page);
        const box = await page.locator('#search-results').boundingBox();
        assert.ok(box.x >= 0 && box.x + box.width <= width + 0.5, `the list fits the screen: ${JSON.stringify(box)}`);
        const field = await page.locator(FIELD).boundingBox();
        assert.ok(field.x >= 0 && field.x + field.width <= width + 0.5, `the field fits the screen: ${JSON.stringify(field)}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
        assert.ok(overflow <= 1, `the page does not scroll sideways (by ${overflow} px)`);
        const violations = await runAxe(page);
        assert.equal(violations.length, 0, `axe with the results open:\n${formatViolations(violations)}`);
        fs.mkdirSync(path.join(RESULTS, 'screenshots'), { recursive: true });
        await page.screenshot({ path: path.join(RESULTS, 'screenshots', `search-${width}-${colorScheme}.png`) });
        assertClean(records);
      } finally {
        await close();
      }
    });
  }
}

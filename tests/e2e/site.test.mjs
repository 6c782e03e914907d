// The built site in headless Chromium: every page, light and dark, phone and desktop widths.
// Needs dist/ (npm run build) and a local Chromium (see harness.findChrome).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowserAndSite, startSite, sitePages, openPage, assertClean, runAxe, formatViolations, screenshot,
  waitForWidgets, canvasInventory, nextFrame, requestedFiles,
} from './harness.mjs';

const PAGES = sitePages(); // throws "build the site first: npm run build" when dist/ is missing
const SCHEMES = ['light', 'dark'];
const WIDTHS = [360, 1280];
const CHAPTER1_WIDGETS = ['calc-derivative', 'calc-secant', 'calc-numerical-error'];

const shared = useBrowserAndSite();

/** Checks shared by every load: widgets ready, clean, canvases drawn and labelled. */
async function checkLoaded(page, records, label) {
  const widgets = await waitForWidgets(page);
  await page.evaluate(() => document.fonts.ready);
  await nextFrame(page);
  const canvases = await canvasInventory(page);
  for (const c of canvases.filter((c) => !c.hidden)) {
    const where = `${label}: canvas in ${c.host} (part="${c.part}")`;
    assert.ok(c.width > 0 && c.height > 0, `${where} has an empty backing store ${c.width}×${c.height}`);
    assert.ok(c.clientWidth > 0 && c.clientHeight > 0, `${where} is not displayed (${c.clientWidth}×${c.clientHeight} CSS px)`);
    assert.ok(c.colors > 1, `${where} is blank (${c.colors} distinct colour${c.colors === 1 ? '' : 's'})`);
    assert.equal(c.role, 'img', `${where} must have role="img"`);
    assert.ok(c.label.trim().length > 0, `${where} must have a non-empty aria-label`);
  }
  assertClean(records, { label });
  return { widgets, canvases };
}

for (const name of PAGES) {
  for (const colorScheme of SCHEMES) {
    for (const width of WIDTHS) {
      const label = `${name} ${colorScheme} ${width}px`;
      test(label, { timeout: 60_000 }, async () => {
        const { page, records, close } = await openPage(shared.browser, shared.site.url + name, {
          colorScheme,
          viewport: { width, height: 800 },
        });
        try {
          const { widgets, canvases } = await checkLoaded(page, records, label);
          if (name === 'derivative.html') {
            const tags = new Set(widgets.map((w) => w.tag));
            for (const tag of CHAPTER1_WIDGETS) assert.ok(tags.has(tag), `${label}: no <${tag}> on the page`);
            assert.ok(canvases.length >= CHAPTER1_WIDGETS.length, `${label}: expected a canvas per widget`);
          }
          // Nothing may force the reader to scroll sideways (phones especially).
          const overflow = await page.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
          }));
          assert.ok(
            overflow.scrollWidth <= overflow.innerWidth + 1,
            `${label}: the page scrolls horizontally (scrollWidth ${overflow.scrollWidth} > ${overflow.innerWidth})`,
          );
          const violations = await runAxe(page);
          assert.equal(violations.length, 0, `${label}: axe violations:\n${formatViolations(violations)}`);
          await screenshot(page, `${name.replace(/\.html$/, '')}-${colorScheme}-${width}`);
          assertClean(records, { label: `${label} (after checks)` });
        } finally {
          await close();
        }
      });
    }
  }
}

test('the whole site works under the sub-path /handbook/', { timeout: 60_000 }, async () => {
  const sub = await startSite({ base: '/handbook/' });
  try {
    assert.match(sub.url, /\/handbook\/$/);
    for (const name of PAGES) {
      const { page, records, close } = await openPage(shared.browser, sub.url + name);
      const urls = [];
      page.on('request', (req) => urls.push(req.url()));
      try {
        await page.reload({ waitUntil: 'load' }); // capture every request from the start
        await checkLoaded(page, records, `/handbook/${name}`);
        for (const u of urls) {
          if (u.startsWith(sub.origin)) {
            assert.ok(new URL(u).pathname.startsWith('/handbook/'), `/handbook/${name} requested ${u} outside the sub-path`);
          }
        }
        // links between pages stay under the sub-path
        const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
        for (const href of hrefs) {
          if (href.startsWith(sub.origin)) {
            assert.ok(new URL(href).pathname.startsWith('/handbook/'), `/handbook/${name} links to ${href} outside the sub-path`);
          }
        }
      } finally {
        await close();
      }
    }
  } finally {
    await sub.close();
  }
});

test('the index page is served for the bare sub-path /handbook/', { timeout: 30_000 }, async () => {
  const sub = await startSite({ base: '/handbook/' });
  try {
    const { page, records, close } = await openPage(shared.browser, sub.url);
    try {
      await checkLoaded(page, records, '/handbook/');
      assert.ok((await page.title()).trim().length > 0, 'the index page has a title');
    } finally {
      await close();
    }
  } finally {
    await sub.close();
  }
});

/** The href of <link rel=prev|next> or <a rel=prev|next>, if the page declares one. */
function relHref(page, rel) {
  return page.evaluate((rel) => document.querySelector(`link[rel~=${rel}][href], a[rel~=${rel}][href]`)?.href ?? null, rel);
}

async function pressAndWaitForNavigation(page, key) {
  const before = page.url();
  await page.keyboard.press(key);
  await page.waitForURL((u) => u.href !== before, { timeout: 5000 }).catch(() => {
    throw new Error(`pressing ${key} on ${before} did not navigate`);
  });
  await page.waitForLoadState('load');
  return page.url();
}

// A chapter whose first screen shows a widget (chapter 1's secant, loading="eager") compiles
// its wasm from <head> (self.calculusWasm) and its widgets take that module; without it (a
// page that does not start the compile) they fetch the wasm themselves. Either way the wasm
// is downloaded once: the first module at once, the later one (the explorer's and the
// numerical error's code, screens down) only when the reader nears them.
for (const early of [true, false]) {
  test(`a chapter's widgets draw from ${early ? 'the wasm its <head> compiled' : 'a wasm they fetch, with no compile started in <head>'}`, { timeout: 30_000 }, async () => {
    let wasm;
    const { page, records, close } = await openPage(shared.browser, shared.site.url + 'derivative.html', {
      beforeGoto: async (page) => {
        wasm = requestedFiles(page, '.wasm');
        if (!early) {
          await page.route('**/derivative.html', async (route) => {
            const html = await (await route.fetch()).text();
            const stripped = html.replace(/<script>self\.calculusWasm = [^<]*<\/script>/, '');
            assert.notEqual(stripped, html, 'the chapter starts compiling its wasm from <head>');
            await route.fulfill({ body: stripped, contentType: 'text/html; charset=utf-8' });
          });
        }
      },
    });
    try {
      await page.$eval('calc-secant', (el) => el.ready);
      assert.deepEqual(wasm, ['calculus-core_bg.wasm'], 'the first screen fetches the first module alone');
      const widgets = await waitForWidgets(page);
      assert.ok(widgets.length >= 3, `expected the chapter's widgets, got ${widgets.length}`);
      assert.equal(await page.evaluate(() => typeof self.calculusWasm?.['calculus-core']), early ? 'object' : 'undefined');
      assert.deepEqual(wasm, ['calculus-core_bg.wasm', 'calculus-core_later_bg.wasm'], 'each module is fetched once');
      assertClean(records, { label: `derivative.html (${early ? 'compiled early' : 'fetched by the widgets'})` });
    } finally {
      await close();
    }
  });
}

// A chapter whose widgets all begin below the first screens (chapter 4's lab is several
// screens down) fetches no wasm until the reader nears one: then once, and every widget draws.
test("a chapter's widgets below the fold fetch its wasm only as the reader nears them", { timeout: 30_000 }, async () => {
  let wasm;
  const { page, records, close } = await openPage(shared.browser, shared.site.url + 'gradient-descent.html', {
    beforeGoto: async (page) => {
      wasm = requestedFiles(page, '.wasm');
    },
  });
  try {
    const html = await page.content();
    assert.doesNotMatch(html, /self\.calculusWasm = /, 'no compile started in <head>');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.waitForLoadState('networkidle');
    assert.deepEqual(wasm, [], 'nothing fetched while the reader is on the first screen');
    assert.equal(await page.$eval('calc-descent', (el) => el.started), false, 'the lab has not started');
    // Printed before the reader got there, a widget gives its description, not a blank.
    const height = () => page.$eval('calc-race', (el) => el.getBoundingClientRect().height);
    assert.equal(await height(), 0, 'on screen an unstarted widget is an empty block');
    await page.emulateMedia({ media: 'print' });
    assert.ok((await height()) > 40, 'printed, it shows its description');
    await page.emulateMedia({ media: 'screen' });
    const widgets = await waitForWidgets(page);
    assert.ok(widgets.length >= 4, `expected the chapter's widgets, got ${widgets.length}`);
    assert.deepEqual(wasm, ['calculus-descent_bg.wasm'], 'the wasm is fetched once, when the reader came near');
    assertClean(records, { label: 'gradient-descent.html (lazy)' });
  } finally {
    await close();
  }
});

test('←/→ navigate between chapter pages', { timeout: 60_000 }, async () => {
  if (!PAGES.includes('derivative.html')) assert.fail('dist/derivative.html is missing');
  const { page, records, close } = await openPage(shared.browser, shared.site.url + 'derivative.html');
  try {
    await waitForWidgets(page);
    const start = page.url();
    const declaredPrev = await relHref(page, 'prev');
    await page.evaluate(() => document.activeElement?.blur());
    const prev = await pressAndWaitForNavigation(page, 'ArrowLeft');
    if (declaredPrev) assert.equal(prev, declaredPrev, 'ArrowLeft goes to the rel=prev page');
    else assert.match(new URL(prev).pathname, /\/(index\.html)?$/, 'ArrowLeft from chapter 1 goes to index.html');
    assert.ok(PAGES.includes(new URL(prev).pathname.split('/').pop() || 'index.html'), `${prev} is a page of the site`);

    // and → comes back to the chapter
    await waitForWidgets(page);
    const declaredNext = await relHref(page, 'next');
    if (declaredNext) assert.equal(declaredNext, start, `${prev} declares rel=next = derivative.html`);
    await page.evaluate(() => document.activeElement?.blur());
    const back = await pressAndWaitForNavigation(page, 'ArrowRight');
    assert.equal(back, start, 'ArrowRight returns to derivative.html');
    await waitForWidgets(page);
    assertClean(records, { label: 'keyboard navigation' });
  } finally {
    await close();
  }
});

test('arrow keys inside a widget do not leave the page', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openPage(shared.browser, shared.site.url + 'derivative.html');
  try {
    await waitForWidgets(page);
    const start = page.url();
    // the focused chart canvas uses ←/→ to move its point
    await page.evaluate(() => document.querySelector('calc-derivative').shadowRoot.querySelector('canvas[part~=chart]').focus());
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    // a text field uses ←/→ to move the caret
    await page.locator('calc-derivative input[name=function]').first().focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowRight');
    // a slider uses ←/→ to change its value
    await page.locator('calc-derivative input[name=x]').first().focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    // a click on a widget's text (its readout) puts the keyboard on its chart, not on the page
    const readout = page.locator('calc-derivative [part~=readout]').first();
    await readout.scrollIntoViewIfNeeded();
    await readout.click();
    await page.waitForTimeout(50);
    const focused = await page.evaluate(() => {
      const el = document.querySelector('calc-derivative');
      return document.activeElement === el && el.shadowRoot.activeElement?.matches('canvas[part~=chart]');
    });
    assert.ok(focused, 'a click on the readout focuses the chart');
    const before = await readout.textContent();
    await page.keyboard.press('ArrowRight');
    assert.notEqual(await readout.textContent(), before, '→ after the click moves the point');
    await page.waitForTimeout(400);
    assert.equal(page.url(), start, 'arrow keys used by a widget must not navigate');
    assertClean(records, { label: 'arrow keys in widgets' });
  } finally {
    await close();
  }
});

const TOGGLE = [
  '[data-theme-toggle]',
  '#theme-toggle',
  '.theme-toggle',
  'button[aria-label*="theme" i]',
  'button[title*="theme" i]',
  'button[aria-label*="dark" i]',
  'button[aria-label*="light" i]',
].join(', ');

async function effectiveTheme(page) {
  return page.evaluate(() => {
    const attr = document.documentElement.getAttribute('data-theme');
    if (attr === 'light' || attr === 'dark') return attr;
    return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  });
}

for (const colorScheme of SCHEMES) {
  test(`theme toggle switches html[data-theme] and is remembered (${colorScheme} system)`, { timeout: 60_000 }, async () => {
    const context = await shared.browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 } });
    try {
      for (const name of PAGES) {
        await context.clearCookies();
        const { page, records, close } = await openPage(context, shared.site.url + name, { colorScheme });
        try {
          await page.evaluate(() => localStorage.clear());
          await page.reload();
          await waitForWidgets(page);
          const initial = await effectiveTheme(page);
          assert.equal(initial, colorScheme, `${name}: with no stored choice the theme follows the system (${colorScheme})`);
          const toggle = page.locator(TOGGLE).first();
          assert.ok((await toggle.count()) > 0, `${name}: no theme toggle button found (looked for ${TOGGLE})`);
          await toggle.click();
          const flipped = initial === 'dark' ? 'light' : 'dark';
          const attr = await page.evaluate(() => document.documentElement.getAttribute('data-theme'));
          assert.equal(attr, flipped, `${name}: clicking the toggle sets html[data-theme=${flipped}]`);

          await page.reload();
          await waitForWidgets(page);
          assert.equal(
            await page.evaluate(() => document.documentElement.getAttribute('data-theme')),
            flipped,
            `${name}: the choice is remembered after reload`,
          );
          // canvases are still drawn (redrawn in the new theme)
          for (const c of (await canvasInventory(page)).filter((c) => !c.hidden)) assert.ok(c.colors > 1, `${name}: canvas in ${c.host} blank after theme change`);

          await page.locator(TOGGLE).first().click();
          assert.equal(await effectiveTheme(page), initial, `${name}: clicking again switches back`);
          await page.reload();
          await waitForWidgets(page);
          assert.equal(await effectiveTheme(page), initial, `${name}: switching back is remembered too`);
          assertClean(records, { label: `${name} theme toggle` });
        } finally {
          await page.evaluate(() => localStorage.clear()).catch(() => {});
          await close();
        }
      }
    } finally {
      await context.close();
    }
  });
}

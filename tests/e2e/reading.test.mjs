// The chapters as a reader meets them: the "going further" asides (closed, opened and closed
// again from the keyboard, printed open, never in the address), fields whose messages do not
// move the page, and contour maps that use a narrow screen's width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserAndSite, openPage, requireDist, assertClean, waitForWidgets, canvasPixel } from './harness.mjs';

requireDist();

const shared = useBrowserAndSite();

test('a going-further aside opens and closes by keyboard, and its state stays out of the address', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openPage(shared.browser, shared.site.url + 'gradient-descent.html');
  try {
    await waitForWidgets(page);
    const asides = page.locator('details.further');
    assert.ok((await asides.count()) >= 5, 'chapter 4 has its asides');
    // Every aside starts closed, with a title that says what is inside.
    for (const open of await asides.evaluateAll((all) => all.map((d) => d.open))) assert.equal(open, false);
    const aside = page.locator('details.further').filter({ has: page.locator('summary', { hasText: 'Hessian' }) });
    const summary = aside.locator('summary');
    assert.match(await summary.textContent(), /^Going further: /);
    const body = aside.locator('p').first();
    assert.equal(await body.isVisible(), false, 'a closed aside hides its content');
    const address = page.url();
    // The summary takes the focus like any control; Enter opens the aside, Space closes it.
    await summary.scrollIntoViewIfNeeded();
    await summary.focus();
    await page.keyboard.press('Enter');
    assert.equal(await aside.evaluate((d) => d.open), true);
    assert.equal(await body.isVisible(), true);
    assert.match(await body.textContent(), /eigenvalues|Hessian/);
    await page.keyboard.press('Space');
    assert.equal(await aside.evaluate((d) => d.open), false);
    assert.equal(await body.isVisible(), false);
    await page.keyboard.press('Space');
    assert.equal(await aside.evaluate((d) => d.open), true);
    assert.equal(page.url(), address, 'opening an aside does not touch the address');
    // The keys left the focus on the summary, the native disclosure control.
    assert.equal(await page.evaluate(() => document.activeElement.localName), 'summary');
    assertClean(records);
  } finally {
    await close();
  }
});

for (const file of ['gradient.html', 'vanishing-gradients.html']) {
  test(`${file}: Tab alone reaches every widget, each into its first control`, { timeout: 60_000 }, async () => {
    const { page, records, close } = await openPage(shared.browser, shared.site.url + file);
    try {
      const widgets = await page.evaluate(() => [...document.querySelectorAll('*')].filter((e) => e.localName.startsWith('calc-') && !['calc-number', 'calc-value'].includes(e.localName)).map((e) => e.localName));
      const reached = [];
      for (let i = 0; i < 300 && reached.length < widgets.length; i++) {
        await page.keyboard.press('Tab');
        const focus = await page.evaluate(() => {
          const host = document.activeElement;
          return { tag: host.localName, inner: !!host.shadowRoot?.activeElement };
        });
        assert.notEqual(focus.tag, 'body', `Tab ${i + 1} dropped the focus (reached so far: ${reached})`);
        if (focus.tag.startsWith('calc-') && reached.at(-1) !== focus.tag) {
          // A widget that was waiting to start takes the focus on its host, starts, and hands it on.
          await page.evaluate(async () => {
            const host = document.activeElement;
            await host.ready;
            await new Promise((r) => setTimeout(r, 0));
          });
          const now = await page.evaluate(() => document.activeElement.shadowRoot?.activeElement?.matches('input, select, button, summary, canvas') ?? false);
          assert.ok(now, `${focus.tag}: the focus went on into a control`);
          reached.push(focus.tag);
        }
      }
      assert.deepEqual(reached, widgets);
      assertClean(records, { label: `${file} by Tab` });
    } finally {
      await close();
    }
  });
}

test('print shows every aside open, whatever its state on screen', { timeout: 30_000 }, async () => {
  const { page, close } = await openPage(shared.browser, shared.site.url + 'gradient-descent.html');
  try {
    await waitForWidgets(page);
    const hidden = () => page.locator('details.further').evaluateAll((all) =>
      all.filter((d) => !d.querySelector(':scope > p').checkVisibility()).length);
    assert.ok((await hidden()) >= 5, 'on screen, the closed asides hide their content');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await hidden(), 0, 'in print, every aside shows its content');
    // A PDF of the chapter is longer with the asides in it than the screen's closed state
    // would make it: the asides' text is on its pages.
    const printed = await page.pdf({ format: 'A4' });
    assert.ok(printed.length > 10_000);
    await page.emulateMedia({ media: 'screen' });
    assert.ok((await hidden()) >= 5, 'back on screen, they are closed again');
  } finally {
    await close();
  }
});

/** Every layout-shift entry from now on (those right after input too: CLS leaves them out). */
async function watchShifts(page) {
  await page.evaluate(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => window.__shifts.push(...list.getEntries().map((e) => e.value))).observe({ type: 'layout-shift' });
  });
  return () => page.evaluate(() => window.__shifts);
}

for (const width of [360, 1280]) {
  test(`typing a bad value moves nothing on the page (${width} px)`, { timeout: 40_000 }, async () => {
    const { page, records, close } = await openPage(shared.browser, shared.site.url + 'gradient-descent.html', {
      viewport: { width, height: 800 },
    });
    try {
      await waitForWidgets(page);
      const lab = page.locator('#lab');
      const fields = [
        // Each prefix typed is already wrong, so every keystroke shows (or keeps) a message.
        [lab.locator('input[name=rate]'), '555', /0\.001 to 2/, true],
        [lab.locator('input[name=iterations]'), '00', /1/, true],
        [lab.locator('input[name=function]'), ' +*', /column/, false],
      ];
      for (const [field, text, message, clear] of fields) {
        await field.scrollIntoViewIfNeeded();
        await page.waitForTimeout(200);
        const shifts = await watchShifts(page);
        await field.focus();
        await page.keyboard.press('End');
        if (clear) await field.fill('');
        for (const ch of text) {
          await page.keyboard.type(ch);
          await page.waitForTimeout(60);
        }
        await page.waitForTimeout(300);
        const described = await field.evaluate((input) => input.getRootNode().getElementById(input.getAttribute('aria-describedby')).textContent);
        assert.match(described, message, 'the message is shown');
        assert.equal(await field.getAttribute('aria-invalid'), 'true');
        assert.deepEqual(await shifts(), [], `no layout shift while typing into ${await field.getAttribute('name')}`);
      }
      assertClean(records);
    } finally {
      await close();
    }
  });
}

test('at 360 px the contour maps use the width they have', { timeout: 40_000 }, async () => {
  for (const [name, selector] of [['gradient.html', '#fig-gradient calc-gradient'], ['gradient-descent.html', '#lab'], ['gradient-descent.html', '#race']]) {
    const { page, close } = await openPage(shared.browser, shared.site.url + name, { viewport: { width: 360, height: 800 } });
    try {
      await waitForWidgets(page);
      const el = page.locator(selector);
      const { canvas, mapWidth } = await el.evaluate((el) => {
        const canvas = el.shadowRoot.querySelector('canvas[part~=chart]');
        // All three maps show w from −10 to 10 (the bowl and the long valley): its width in CSS pixels.
        const [a, b] = [el.chartToPixel(-10, 0), el.chartToPixel(10, 0)];
        return { canvas: canvas.clientWidth, mapWidth: Math.abs(b.x - a.x) };
      });
      assert.ok(canvas >= 290, `${name} ${selector}: the canvas is ${canvas} px wide`);
      assert.ok(mapWidth >= 0.75 * canvas, `${name} ${selector}: the map is ${mapWidth.toFixed(0)} of ${canvas} px`);
    } finally {
      await close();
    }
  }
});

test('at 320 px no formula in the text runs past the column (a long one breaks between its terms), and nothing hides under the taller header', { timeout: 60_000 }, async () => {
  const { page, records, close } = await openPage(shared.browser, `${shared.site.url}backpropagation.html`, { viewport: { width: 320, height: 640 } });
  try {
    for (const slug of ['derivative', 'partial-derivatives', 'gradient', 'gradient-descent', 'backpropagation', 'vanishing-gradients', 'summary']) {
      await page.goto(`${shared.site.url}${slug}.html`);
      const past = await page.evaluate(() => {
        // Everything laid out at once (prose off screen is skipped until near).
        const style = document.createElement('style');
        style.textContent = '* { content-visibility: visible !important; }';
        document.head.append(style);
        const edge = document.querySelector('article.page').getBoundingClientRect().right;
        return [...document.querySelectorAll('article.page .katex:not(.katex-display .katex)')]
          .filter((k) => !k.closest('.table-wrap, pre') && k.getBoundingClientRect().right > edge + 1)
          .map((k) => k.getAttribute('aria-label'));
      });
      assert.deepEqual(past, [], `${slug}: formulas past the column`);
    }
    // The title wraps there, and the header grows: what sits under it starts under it.
    await page.locator('.sidebar-toggle').click();
    const edges = await page.evaluate(() => ({
      header: document.querySelector('.site-header').getBoundingClientRect().bottom,
      sidebar: document.querySelector('.sidebar').getBoundingClientRect().top,
      padding: parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop),
    }));
    assert.ok(edges.header > 60, `the header is ${edges.header} px tall`);
    assert.ok(Math.abs(edges.sidebar - edges.header) < 1, `the open sidebar starts under the header: ${JSON.stringify(edges)}`);
    assert.ok(edges.padding >= edges.header, 'a focused element scrolled into view is not under the header');
    assertClean(records, { label: 'formulas at 320 px' });
  } finally {
    await close();
  }
});

test('printed from the dark theme, the charts are drawn light, and dark again after', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openPage(shared.browser, shared.site.url + 'derivative.html', { colorScheme: 'dark' });
  try {
    await waitForWidgets(page);
    const secant = page.locator('calc-secant');
    // The chart's top-left pixel is its background.
    const corner = async () => {
      const [r, g, b] = await canvasPixel(page, 'calc-secant', 1, 1);
      return { light: (r + g + b) / 3 > 128, card: await secant.evaluate((el) => el.shadowRoot.querySelector('.widget').classList.contains('dark')) };
    };
    assert.deepEqual(await corner(), { light: false, card: true }, 'dark on screen');
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    await page.waitForFunction(() => !document.querySelector('calc-secant').shadowRoot.querySelector('.widget').classList.contains('dark'));
    assert.deepEqual(await corner(), { light: true, card: false }, 'light on paper');
    await page.emulateMedia({ media: 'screen', colorScheme: 'dark' });
    await page.waitForFunction(() => document.querySelector('calc-secant').shadowRoot.querySelector('.widget').classList.contains('dark'));
    assert.deepEqual(await corner(), { light: false, card: true }, 'dark again after');
    assertClean(records, { label: 'print from dark' });
  } finally {
    await close();
  }
});

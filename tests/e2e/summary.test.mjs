// The summary (issue 13): seven steps, each with a live thumbnail of its chapter's key figure
// that draws, answers the reader and links to its chapter; all seven share one wasm build.
// (Its light/dark, 360/1280 px, axe and console checks are site.test.mjs's, as for every page.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserAndSite, requireDist, openPage, assertClean, waitForWidgets, canvasInventory, canvasHash, partText, waitUntil, requestedFiles } from './harness.mjs';

requireDist();

const shared = useBrowserAndSite();

/** The plan's seven steps: the thumbnail's element and the chapter it links to. */
const STEPS = [
  ['landscape', 'calc-gradient', 'partial-derivatives.html'],
  ['minimum', 'calc-derivative', 'derivative.html'],
  ['compass', 'calc-gradient', 'gradient.html'],
  ['downhill', 'calc-gradient', 'gradient.html'],
  ['descent', 'calc-descent', 'gradient-descent.html'],
  ['chain', 'calc-gears', 'backpropagation.html'],
  ['toolkit', 'calc-cliff', 'vanishing-gradients.html'],
];

async function openSummary() {
  let wasm;
  const opened = await openPage(shared.browser, shared.site.url + 'summary.html', {
    beforeGoto: (page) => {
      wasm = requestedFiles(page, '.wasm');
    },
  });
  await waitForWidgets(opened.page);
  return { ...opened, wasm };
}

test('the summary has seven steps, each a drawn thumbnail linking to its chapter, on one wasm build', { timeout: 60_000 }, async () => {
  const { page, records, close, wasm } = await openSummary();
  try {
    const figures = await page.$$eval('main figure.widget', (figs) =>
      figs.map((f) => ({
        id: f.id,
        tag: f.firstElementChild.localName,
        compact: f.firstElementChild.hasAttribute('compact'),
        links: [...f.querySelectorAll('figcaption a')].map((a) => a.getAttribute('href')),
      })),
    );
    assert.equal(figures.length, 7, 'seven thumbnails');
    const headings = await page.$$eval('main h2', (hs) => hs.map((h) => h.textContent));
    for (let i = 0; i < 7; i++) assert.match(headings[i], new RegExp(`^${i + 1}\\. `), `step ${i + 1}'s heading is numbered`);
    STEPS.forEach(([step, tag, chapter], i) => {
      const fig = figures[i];
      assert.equal(fig.tag, tag, `step ${i + 1} (${step}) shows <${tag}>`);
      assert.ok(fig.compact, `step ${i + 1}'s <${tag}> is a thumbnail (compact)`);
      assert.deepEqual(fig.links, [chapter], `step ${i + 1} links to ${chapter}`);
    });
    // Every thumbnail's charts are drawn (more than a background), its controls pared down.
    const drawn = (await canvasInventory(page)).filter((c) => !c.hidden && c.host !== 'document');
    const hosts = new Set(drawn.map((c) => c.host));
    assert.equal(hosts.size, 5, `five kinds of thumbnail drew: ${[...hosts].join(', ')}`);
    for (const c of drawn) assert.ok(c.colors > 4, `${c.host} ${c.part}: drawn (${c.colors} colours)`);
    // One build, in two modules: the first for the first screens' thumbnails, the later one
    // (the descent, the gears, the cliff) fetched as the reader nears them.
    assert.deepEqual(wasm, ['calculus-summary_bg.wasm', 'calculus-summary_later_bg.wasm'], 'the seven share one wasm build');
    // The thumbnails hide what a chapter's full figure offers, not their essential control.
    const visible = await page.$eval('#fig-descent calc-descent', (el) =>
      [...el.shadowRoot.querySelectorAll('button, input')].filter((n) => n.offsetParent !== null).map((n) => n.name),
    );
    assert.ok(visible.includes('play') && visible.includes('k'), `the descent thumbnail keeps Play and its scrubber: ${visible}`);
    assert.ok(!visible.includes('function') && !visible.includes('rate'), `the descent thumbnail hides the function and rate fields: ${visible}`);
    assertClean(records, { label: 'summary.html' });
  } finally {
    await close();
  }
});

test('the summary thumbnails work: keys move the point, the clipping threshold and gear X', { timeout: 60_000 }, async () => {
  const { page, records, close } = await openSummary();
  try {
    const readout = async (sel) => (await partText(page, sel, 'readout')).replace(/\u2212/g, '-').replace(/\u2032/g, "'");
    const press = async (sel, key, times = 1) => {
      await page.$eval(sel, (el) => el.shadowRoot.querySelector('canvas[part~=chart]').focus());
      for (let i = 0; i < times; i++) await page.keyboard.press(key);
    };
    // Step 2: the point walks to x = 2, where the slope is 0 (f′(x) = 2(x − 2)).
    const minimum = '#fig-minimum calc-derivative';
    assert.match(await readout(minimum), /x = 0\.50, f\(x\) = 3\.25, f'\(x\) = -3\.00/);
    const before = await canvasHash(page, minimum);
    await press(minimum, 'ArrowRight');
    await waitUntil(() => readout(minimum), (t) => !t.startsWith('x = 0.50'));
    // The readout changes at once; the chart at the next frame.
    const after = await waitUntil(() => canvasHash(page, minimum), (h) => h !== before);
    assert.notEqual(after, before, 'the explorer redrew');
    // Step 4: at (0, 0) on Himmelblau's function, ∇f = (−14, −22) by hand.
    assert.match(await readout('#fig-downhill calc-gradient'), /f = 170\.00, ∇f = \[∂f\/∂w, ∂f\/∂b\] = \[-14\.00, -22\.00\]/);
    // Step 7: a lower threshold caps the clipped run's steps lower.
    const cliff = '#fig-toolkit calc-cliff';
    assert.match(await readout(cliff), /Clipped at 1:/);
    await press(cliff, 'ArrowLeft', 4);
    await waitUntil(() => readout(cliff), (t) => !/Clipped at 1:/.test(t));
    // Four presses of ← take log₁₀ of the threshold 0.05 lower each: about 10^−0.2 ≈ 0.63.
    assert.match(await readout(cliff), /Clipped at 0\.6\d:/);
    assertClean(records, { label: 'summary.html interactions' });
  } finally {
    await close();
  }
});

test('a later module that cannot load: its thumbnails say so, the others keep working, and Try again draws them', { timeout: 60_000 }, async () => {
  let gone = true;
  const { page, records, close } = await openPage(shared.browser, shared.site.url + 'summary.html', {
    beforeGoto: (page) => page.route('**/*_later_bg.wasm', (route) => (gone ? route.fulfill({ status: 404, body: 'gone' }) : route.continue())),
  });
  try {
    await page.$eval('calc-gradient', (el) => el.ready);
    await page.$eval('calc-gears', (el) => el.scrollIntoView());
    const failed = await page.$eval('calc-gears', (el) =>
      el.ready.then(() => 'drew', () => ({
        message: el.shadowRoot.querySelector('[part=error]')?.textContent.replace(/\s+/g, ' ').trim(),
        // The description a page without JavaScript shows, less its note that it needs it.
        description: el.shadowRoot.querySelector('slot').assignedElements().filter((p) => p.checkVisibility()).map((p) => p.textContent).join(' '),
        note: el.querySelector('.widget-note')?.checkVisibility(),
      })));
    assert.match(failed.message, /could not start: could not fetch \/pkg\/calculus-summary_later_bg\.wasm: 404 Not Found Try again$/);
    assert.ok(failed.description.length > 40, `the thumbnail gives its description: ${JSON.stringify(failed.description)}`);
    assert.equal(failed.note, false, '"This figure needs JavaScript." is not shown: it has JavaScript');
    // It follows the page's theme button, as a drawn chart does.
    for (const theme of ['dark', 'light']) {
      await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      await page.waitForFunction((dark) => document.querySelector('calc-gears').shadowRoot.querySelector('.failed').classList.contains('dark') === dark, theme === 'dark');
    }
    // The first thumbnail, on the first module, still answers its keys.
    const before = await partText(page, 'calc-gradient', 'readout');
    await page.$eval('calc-gradient', (el) => el.scrollIntoView());
    await page.focus('calc-gradient >> canvas');
    await page.keyboard.press('ArrowLeft');
    await waitUntil(() => partText(page, 'calc-gradient', 'readout'), (t) => t !== before, { timeout: 3000 });
    // The network is back: Try again, from the keyboard, fetches the module and draws; the
    // focus, on the button, goes to the thumbnail's first control.
    gone = false;
    await page.$eval('calc-gears', (el) => el.scrollIntoView());
    await page.focus('calc-gears >> button.retry');
    await page.keyboard.press('Enter');
    await page.$eval('calc-gears', (el) => el.ready);
    assert.ok(await page.$eval('calc-gears', (el) => el.shadowRoot.activeElement?.matches('input, select, button, canvas')), 'the focus is on a control of the drawn thumbnail');
    assert.match(await partText(page, 'calc-gears', 'readout'), /At x = 1/);
    assertClean(records, { allow: [/_later_bg\.wasm/, /could not start/], label: 'summary without its later module' });
  } finally {
    await close();
  }
});

test('a thumbnail waiting for a slow later module holds its place, busy, keeps what is typed into it, then takes the focus it was given', { timeout: 60_000 }, async () => {
  let release;
  const held = new Promise((r) => (release = r));
  const { page, records, close } = await openPage(shared.browser, shared.site.url + 'summary.html', {
    beforeGoto: (page) => page.route('**/*_later_bg.wasm', async (route) => {
      await held;
      await route.continue();
    }),
  });
  try {
    await page.$eval('calc-gradient', (el) => el.ready);
    // Tab reaches the gears before the reader has scrolled near: focused, it starts.
    await page.focus('calc-gears');
    await waitUntil(() => page.$eval('calc-gears', (el) => !!el.shadowRoot.querySelector('.widget')), (v) => v, { timeout: 5000 });
    const waiting = await page.$eval('calc-gears', (el) => {
      const root = el.shadowRoot.querySelector('.widget');
      return { busy: root.getAttribute('aria-busy'), height: el.getBoundingClientRect().height };
    });
    assert.equal(waiting.busy, 'true');
    assert.ok(waiting.height > 200, `it holds its place while its wasm comes (${waiting.height} px)`);
    // Drawn, it hands the focus it was given to its first control.
    release();
    await page.$eval('calc-gears', (el) => el.ready);
    const drawn = await page.$eval('calc-gears', (el) => {
      const root = el.shadowRoot.querySelector('.widget');
      return { busy: root.hasAttribute('aria-busy'), focused: !!el.shadowRoot.activeElement };
    });
    assert.deepEqual(drawn, { busy: false, focused: true }, 'drawn, it hands the focus to its first control');
    assertClean(records, { label: 'summary with a slow later module' });
  } finally {
    release();
    await close();
  }
});

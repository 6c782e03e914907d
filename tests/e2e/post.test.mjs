// A blog post (issue 14): plain HTML with the one script tag and widgets of three chapters,
// one of them far below the fold. The post downloads the builds that draw them all for the
// fewest bytes (here one, the summary's), and the far widget starts only when the reader
// scrolls to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserAndSite, requireDist, openFixture, fixtureHtml, assertClean, runAxe, formatViolations, canvasInventory, waitUntil, requestedFiles } from './harness.mjs';

requireDist();

const shared = useBrowserAndSite();

const POST = '__e2e-post.html';
const FAR = 4000; // px of prose between the first widgets and the last

const post = (last = '<calc-gears id="gears"><p>Gears for the chain rule.</p></calc-gears>') =>
  fixtureHtml(
    'A post that mixes chapters',
    `<h1>Why gradient descent works</h1>
<p>A short post about slopes.</p>
<calc-derivative id="slope" function="x^2" x="1"><p>The slope of x squared.</p></calc-derivative>
<p>And in two dimensions:</p>
<calc-gradient id="compass"><p>The gradient of a bowl.</p></calc-gradient>
<div style="height: ${FAR}px"><p>A long stretch of prose.</p></div>
${last}`,
  );

/** Opens the post, noting every wasm fetched. */
async function openPost(html, options = {}) {
  let wasm, scripts;
  const opened = await openFixture(shared, POST, html, {
    ...options,
    beforeGoto: async (page) => {
      wasm = requestedFiles(page, '.wasm');
      scripts = requestedFiles(page, '.js');
      await options.beforeGoto?.(page);
    },
  });
  return { ...opened, wasm, scripts };
}

// A lazy element far below is not even defined yet: its code waits too (calc-widgets.js).
const started = (page, id) => page.$eval(`#${id}`, (el) => !!el.shadowRoot?.querySelector('.widget'));
const ready = (page, id) =>
  page.$eval(`#${id}`, async (el) => {
    await customElements.whenDefined(el.localName);
    await el.ready;
    return true;
  });

test('a post mixing three chapters loads one wasm build, and its far widget only when scrolled to', { timeout: 60_000 }, async () => {
  const { page, records, close, wasm } = await openPost(post());
  try {
    assert.ok(await ready(page, 'slope'));
    assert.ok(await ready(page, 'compass'));
    // The three need the explorer, the gradient field and the gears: of the builds that have
    // all three, the summary's is the smallest (the whole API's is the other).
    // The explorer is one of that build's later charts (scripts/wasm-builds.mjs): its later
    // module comes at once too, and the gears, also in it, need nothing more.
    assert.deepEqual(wasm, ['calculus-summary_bg.wasm', 'calculus-summary_later_bg.wasm'], 'one wasm build for the whole post');
    await page.waitForTimeout(300);
    assert.equal(await started(page, 'gears'), false, 'the widget below the fold has not started');
    await page.$eval('#gears', (el) => el.scrollIntoView());
    await waitUntil(() => started(page, 'gears'), (s) => s, { timeout: 5000 });
    assert.ok(await ready(page, 'gears'));
    const gears = (await canvasInventory(page)).filter((c) => c.host === 'calc-gears#gears');
    assert.ok(gears.length && gears.every((c) => c.colors > 4), 'the gears drew once scrolled to');
    assert.deepEqual(wasm, ['calculus-summary_bg.wasm', 'calculus-summary_later_bg.wasm'], 'scrolling fetched no other wasm');
    const violations = await runAxe(page);
    assert.equal(violations.length, 0, `axe violations:\n${formatViolations(violations)}`);
    assertClean(records, { label: 'mixed post' });
  } finally {
    await close();
  }
});

test('a far widget\'s code waits for the reader; a script that adds a widget or makes one eager loads it then', { timeout: 60_000 }, async () => {
  const { page, records, close, scripts } = await openPost(post());
  try {
    assert.ok(await ready(page, 'slope'));
    await page.waitForTimeout(300);
    assert.ok(!scripts.some((s) => s.startsWith('calc-gears')), `the far widget's code is not fetched: ${scripts.join(', ')}`);
    const waiting = await page.$eval('#gears', (el) => ({
      defined: !!customElements.get('calc-gears'),
      display: getComputedStyle(el).display,
      description: el.querySelector('p').getBoundingClientRect().height,
    }));
    assert.deepEqual(waiting, { defined: false, display: 'block', description: 0 }, 'until then it is the empty block a defined, unstarted widget is');
    await page.$eval('#gears', (el) => el.setAttribute('loading', 'eager'));
    assert.ok(await ready(page, 'gears'), 'made eager by a script, it loads and draws without being scrolled to');
    assert.equal(await page.evaluate(() => scrollY), 0);
    await page.evaluate(() => {
      const added = document.createElement('calc-secant');
      added.id = 'added';
      document.querySelector('h1').after(added);
    });
    assert.ok(await ready(page, 'added'), 'an element a script adds near the viewport loads its code and draws');
    assertClean(records, { label: 'post with late elements' });
  } finally {
    await close();
  }
});

test('Tab reaches a far widget whose code has not loaded: it loads, and the focus goes on into its first control; Shift+Tab into its last', { timeout: 60_000 }, async () => {
  const html = post('<calc-gears id="gears"><p>Gears for the chain rule.</p></calc-gears><p><a href="#top" id="after">Back to the top</a></p>');
  const { page, records, close } = await openPost(html);
  try {
    assert.ok(await ready(page, 'slope'));
    assert.equal(await page.evaluate(() => !!customElements.get('calc-gears')), false, 'not defined before the reader gets near');
    // From the compass's last control, Tab goes to the far widget, which stands in the order.
    await page.$eval('#compass', (el) => el.shadowRoot.querySelector('.menu-button').focus());
    await page.keyboard.press('Tab');
    assert.ok(await ready(page, 'gears'), 'focused, it loads and draws');
    const inside = () => page.evaluate(() => {
      const host = document.activeElement;
      return { host: host.id, control: host.shadowRoot?.activeElement?.getAttribute('name') ?? host.shadowRoot?.activeElement?.className ?? null };
    });
    assert.deepEqual(await waitUntil(inside, (f) => f.control !== null), { host: 'gears', control: 'link-a' });
    assert.equal(await page.$eval('#gears', (el) => el.getAttribute('tabindex')), '-1', 'it leaves the Tab order');
    await page.focus('#after');
    assert.equal(await page.$eval('#gears', (el) => el.getAttribute('tabindex')), null, 'its tabindex goes once the focus has left');
    // Coming back from below: Shift+Tab lands on its last control, the menu.
    await page.keyboard.press('Shift+Tab');
    assert.deepEqual(await inside(), { host: 'gears', control: 'menu-button' });
    assertClean(records, { label: 'tab to a far widget' });
  } finally {
    await close();
  }
});

test('a widget whose code cannot load says so in the console, and the others draw', { timeout: 60_000 }, async () => {
  const { page, records, close } = await openPost(post(), {
    beforeGoto: (page) => page.route(/\/web\/calc-gears-[^/]*\.js$/, (route) => route.fulfill({ status: 404, body: '' })),
  });
  try {
    assert.ok(await ready(page, 'slope'));
    await page.$eval('#gears', (el) => el.scrollIntoView());
    await waitUntil(() => records.some((r) => r.kind === 'console-error' && /<calc-gears>: could not load its code/.test(r.text)), (s) => s, { timeout: 5000 });
    assert.equal(await page.evaluate(() => !!customElements.get('calc-gears')), false);
    const shown = await page.$eval('#gears p', (p) => p.getBoundingClientRect().height);
    assert.ok(shown > 0, 'the element it left undefined shows its description, as without JavaScript');
    assertClean(records, { allow: [/calc-gears/], label: 'post with a missing module' });
  } finally {
    await close();
  }
});

test('loading="eager" draws a widget far below the fold at once', { timeout: 60_000 }, async () => {
  const { page, records, close } = await openPost(post('<calc-gears id="gears" loading="eager"><p>Gears.</p></calc-gears>'));
  try {
    assert.ok(await ready(page, 'gears'));
    assert.equal(await page.evaluate(() => scrollY), 0, 'the reader has not scrolled');
    assertClean(records, { label: 'eager post' });
  } finally {
    await close();
  }
});

test('a post with one chapter loads that chapter’s own build; a bad loading value is named', { timeout: 60_000 }, async () => {
  const html = fixtureHtml('One widget', '<calc-gradient id="compass" loading="soon"><p>The gradient of a bowl.</p></calc-gradient>');
  const { page, records, close, wasm } = await openPost(html);
  try {
    assert.ok(await ready(page, 'compass'));
    assert.deepEqual(wasm, ['calculus-field_bg.wasm'], 'the smallest build with the gradient field');
    const error = await page.$eval('#compass', (el) => el.shadowRoot.querySelector('[part~=attribute-error]').textContent);
    assert.match(error, /loading="soon" is neither "lazy" nor "eager", so lazy is used/);
    assertClean(records, { label: 'one-widget post' });
  } finally {
    await close();
  }
});

test('a post with the secant and the gradient field loads the two chapters\' builds, cheaper than one that draws both', { timeout: 60_000 }, async () => {
  const html = fixtureHtml('Two chapters', `<calc-secant id="secant" loading="eager"></calc-secant>
<calc-gradient id="compass" loading="eager"><p>The gradient of a bowl.</p></calc-gradient>`);
  const { page, records, close, wasm } = await openPost(html);
  try {
    assert.ok(await ready(page, 'secant'));
    assert.ok(await ready(page, 'compass'));
    // Only the whole API's build has both (244 KB); chapter 1's first module and chapter 3's
    // build are 142 together (web/covering.js cheapestPlan).
    assert.deepEqual([...wasm].sort(), ['calculus-core_bg.wasm', 'calculus-field_bg.wasm']);
    assertClean(records, { label: 'two-chapter post' });
  } finally {
    await close();
  }
});

test('attributes out of range or of no known word are named in the widget, which uses the nearest value or its default', { timeout: 60_000 }, async () => {
  const html = fixtureHtml('Slips in attributes', `<h1>Slips</h1>
<calc-secant id="secant" h="5" loading="eager"></calc-secant>
<calc-derivative id="derivative" x="50" theme="purple" numerical samples="99999" loading="eager"></calc-derivative>
<calc-gears id="gears" x="99" loading="eager"></calc-gears>
<calc-partial id="partial" slice="q" at="1e9" loading="eager"></calc-partial>`);
  const { page, records, close } = await openPost(html);
  try {
    const notes = {};
    for (const id of ['secant', 'derivative', 'gears', 'partial']) {
      notes[id] = await page.$eval(`#${id}`, async (el) => {
        await customElements.whenDefined(el.localName);
        await el.ready;
        return el.shadowRoot.querySelector('[part~=attribute-error]').textContent;
      });
    }
    assert.deepEqual(notes, {
      secant: 'h="5" is outside 0.001 to 1, so 1 is used.',
      derivative: 'samples="99999" is outside 2 to 5000, so 5000 is used. x="50" is outside -10 to 10, so 10 is used. theme="purple" is neither "light" nor "dark", so the page\'s theme is used.',
      gears: 'x="99" is outside -3 to 3, so 3 is used.',
      partial: 'slice="q" is neither "b" nor "w", so b is used. at="1e9" is outside -10 to 10, so 10 is used.',
    });
    // Each draws with the value it names.
    assert.equal(await page.$eval('#secant', (el) => el.h), 1);
    assert.equal(await page.$eval('#derivative', (el) => el.x), 10);
    assertClean(records, { label: 'slips in attributes' });
  } finally {
    await close();
  }
});

test('a settings attribute gives the race, the lab and the playground what their other attributes cannot; what it cannot use is named; a link\'s settings win', { timeout: 60_000 }, async () => {
  const html = fixtureHtml('Settings in attributes', `<h1>Settings</h1>
<calc-race id="race" iterations="60" settings="adam.lr=0.7&amp;momentum.on=0&amp;k=12" loading="eager"></calc-race>
<calc-descent id="lab" settings="k=3&amp;lr=abc" loading="eager"></calc-descent>
<calc-playground id="pg" preset="relu-he" settings="lr=0.05&amp;activation=cosine" loading="eager"></calc-playground>`);
  const { page, records, close } = await openPost(html);
  try {
    const state = () => page.evaluate(async () => {
      const out = {};
      for (const el of document.querySelectorAll('#race, #lab, #pg')) {
        await customElements.whenDefined(el.localName);
        await el.ready;
        out[el.id] = { settings: el.settings(), note: el.shadowRoot.querySelector('[part~=attribute-error]').textContent };
      }
      return out;
    });
    const given = await state();
    assert.equal(given.race.settings['adam.lr'], 0.7);
    assert.equal(given.race.settings['momentum.on'], 0, 'momentum is off');
    assert.equal(given.race.settings.k, 12);
    assert.equal(given.race.settings.n, 60, 'the iterations attribute still holds');
    assert.equal(given.race.note, '');
    assert.equal(given.lab.settings.k, 3);
    assert.match(given.lab.note, /^The settings attribute's learning rate "abc" is not a number from [^,]+, so [\d.]+ is used\.$/);
    assert.equal(given.pg.settings.lr, '0.05');
    assert.equal(given.pg.settings.hidden, '8', 'the rest is the preset\'s');
    assert.match(given.pg.note, /^The settings attribute's activation "cosine" is not one of [a-z, ]+, so relu is used\.$/);
    // Copied again, the same settings come back, those tuned for the function left out.
    assert.match(await page.$eval('#race', (el) => el.embedCode()), / iterations="60" settings="k=12&amp;momentum\.on=0&amp;adam\.lr=0\.7">/);

    // A link's own settings win over the attribute's; the attribute's others stay.
    await page.evaluate(() => { location.hash = 'race.adam.lr=0.2'; });
    await page.waitForFunction(() => document.querySelector('#race').settings()['adam.lr'] === 0.2);
    const linked = await state();
    assert.equal(linked.race.settings.k, 12);
    assert.equal(linked.race.settings['momentum.on'], 0);
    assertClean(records, { label: 'settings attributes' });
  } finally {
    await close();
  }
});

test('the same lab pasted twice: the second says its id is taken and keeps out of the address; the first keeps its own', { timeout: 60_000 }, async () => {
  const html = fixtureHtml('Two labs', `<h1>Two labs</h1>
<calc-descent id="lab" rate="0.01" loading="eager"></calc-descent>
<calc-descent id="lab" rate="0.95" loading="eager"></calc-descent>`);
  const { page, records, close } = await openPost(html);
  try {
    const labs = () => page.evaluate(async () => Promise.all([...document.querySelectorAll('calc-descent')].map(async (el) => {
      await customElements.whenDefined(el.localName);
      await el.ready;
      return { rate: el.rate, note: el.shadowRoot.querySelector('[part~=attribute-error]').textContent };
    })));
    const [first, second] = await labs();
    assert.deepEqual([first.rate, second.rate], [0.01, 0.95]);
    assert.equal(first.note, '');
    assert.match(second.note, /^id="lab" is also an element's before this one: .* Give each its own id\.$/);
    // The first's change goes to the address; the second's does not write over it.
    await page.evaluate(() => {
      const [a, b] = document.querySelectorAll('calc-descent');
      a.setRate(0.02);
      b.setRate(0.9);
    });
    const hash = await waitUntil(() => page.evaluate(() => location.hash), (h) => h.includes('lab.lr='));
    assert.match(hash, /lab\.lr=0\.02/);
    // Each gives its own link.
    const links = await page.evaluate(() => [...document.querySelectorAll('calc-descent')].map((el) => new URL(el.linkToView()).hash));
    assert.match(links[0], /^#lab\.f=/);
    assert.match(links[1], /^#descent-2\.f=.*descent-2\.lr=0\.9/);
    assertClean(records, { label: 'two labs' });
  } finally {
    await close();
  }
});

test('a refused attribute or link value says what is used instead', { timeout: 60_000 }, async () => {
  const html = fixtureHtml('More slips', `<h1>More slips</h1>
<calc-graph id="graph" step="-3" loading="eager"></calc-graph>
<calc-race id="race" iterations="1000" loading="eager"></calc-race>
<calc-secant id="secant" xmin="5" xmax="1" loading="eager"></calc-secant>
<calc-descent id="lab" loading="eager"></calc-descent>
<p>At <calc-value for="lab"></calc-value> and <calc-number for="lab" name="speed"></calc-number>.</p>`);
  const { page, records, close } = await openPost(html);
  try {
    const note = (id) => page.$eval(`#${id}`, async (el) => {
      await customElements.whenDefined(el.localName);
      await el.ready;
      return el.shadowRoot.querySelector('[part~=attribute-error]').textContent;
    });
    assert.equal(await note('graph'), 'step="-3" is outside 0 to 15, so 0 is used.');
    assert.equal(await note('race'), 'iterations="1000" should be a whole number from 1 to 500, so 100 is used.');
    assert.match(await note('secant'), /^xmin\/xmax: .*, so -1 to 3 is used\.$/);
    await note('lab');
    await page.evaluate(() => { location.hash = 'lab.f=w%5E&lab.k=-1'; });
    const lab = await waitUntil(() => note('lab'), (t) => t.includes('step'));
    assert.match(lab, /^The link's function "w\^" could not be used \(.+\), so the page's is shown\./);
    assert.match(lab, /The link's step "-1" is not a number from 0 to 500, so the last step is used\.$/);
    const live = await page.evaluate(async () => Promise.all([...document.querySelectorAll('calc-value, calc-number')].map(async (el) => {
      await customElements.whenDefined(el.localName);
      await el.ready;
      return el.shadowRoot.querySelector('[part=value]').textContent;
    })));
    assert.deepEqual(live, ['(it needs a name: one of rate, iterations, end, loss, start, factor)', '(name="speed" is not one of rate)']);
    assertClean(records, { label: 'more slips' });
  } finally {
    await close();
  }
});

// Chapter 1 widgets against the widget contract (ARCHITECTURE.md).
// The interaction tests use a fixture page served from the same origin as dist/ (through a
// Playwright route), holding only the one script web/calc-widgets.js and known attributes,
// because a widget must work alone in any page. derivative.html itself is checked too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowserAndSite, fixtureHtml, openFixture, requireDist, openPage, assertClean, waitForWidgets, canvasInventory, canvasHash,
  colorNear, chartPointOnPage, scrollChartIntoView, partText, waitUntil, nextFrame, screenshot,
} from './harness.mjs';

requireDist(); // "build the site first: npm run build"

const FIXTURE = '__e2e-fixture.html';
const FIXTURE_HTML = fixtureHtml(
  'Chapter 1 widgets',
  `<h1>Chapter 1 widgets</h1>
<calc-derivative id="d" function="x^2" x="1" xmin="-10" xmax="10" numerical samples="100"><p>The slope of x squared.</p></calc-derivative>
<calc-secant id="s" function="x^2" x="1" h="1"><p>Secant lines approach the tangent.</p></calc-secant>
<calc-numerical-error id="n" function="x^2" samples="100"><p>The error of the numerical derivative.</p></calc-numerical-error>`,
);

const D = '#d';
const S = '#s';
const N = '#n';

const shared = useBrowserAndSite();

/** Opens the fixture (same origin as the site) and waits for its widgets. */
async function openWidgets(options = {}) {
  const opened = await openFixture(shared, FIXTURE, FIXTURE_HTML, options);
  const widgets = await waitForWidgets(opened.page);
  assert.deepEqual(widgets.map((w) => w.tag), ['calc-derivative', 'calc-secant', 'calc-numerical-error']);
  await scrollChartIntoView(opened.page, D);
  return opened;
}

/** Normalises typographic minus/primes and parses `x = 1.50, f(x) = 2.25, f'(x) = 3.00: increasing`. */
function parseReadout(text) {
  assert.ok(text, `empty readout`);
  const t = text.replace(/[\u2212\u2012\u2013\u2014]/g, '-').replace(/[\u2032\u2019\u02b9]/g, "'").replace(/\s+/g, ' ');
  const num = '(-?\\d+(?:\\.\\d+)?)';
  const grab = (re, what) => {
    const m = re.exec(t);
    assert.ok(m, `readout ${JSON.stringify(text)} has no ${what}`);
    return { value: Number(m[1]), text: m[1], decimals: (m[1].split('.')[1] ?? '').length };
  };
  return {
    x: grab(new RegExp(`(?:^|[^\\w'(])x\\s*=\\s*${num}`), 'x = …'),
    f: grab(new RegExp(`f\\(x\\)\\s*=\\s*${num}`), 'f(x) = …'),
    df: grab(new RegExp(`f'\\(x\\)\\s*=\\s*${num}`), "f'(x) = …"),
    trend: (/\b(increasing|decreasing|flat)\b/.exec(t) ?? [])[1] ?? null,
    text,
  };
}

/** f = x², f' = 2x and the trend word agree with the printed x, to the printed precision. */
function assertConsistentWithSquare(r, label) {
  const half = (d) => 0.5 * 10 ** -d;
  const dx = half(r.x.decimals);
  const x = r.x.value;
  const tolF = half(r.f.decimals) + 2 * Math.abs(x) * dx + dx * dx + 1e-9;
  const tolD = half(r.df.decimals) + 2 * dx + 1e-9;
  assert.ok(Math.abs(r.f.value - x * x) <= tolF, `${label}: f(x) = ${r.f.text} but x² = ${x * x} (x = ${r.x.text}) ${r.text}`);
  assert.ok(Math.abs(r.df.value - 2 * x) <= tolD, `${label}: f'(x) = ${r.df.text} but 2x = ${2 * x} (x = ${r.x.text}) ${r.text}`);
  const want = r.df.value > 0 ? 'increasing' : r.df.value < 0 ? 'decreasing' : 'flat';
  assert.equal(r.trend, want, `${label}: trend word for f'(x) = ${r.df.text}`);
}

async function readout(page, selector = D) {
  return partText(page, selector, 'readout');
}

async function curveAt(page, x, y, selector = D) {
  const { color, p } = await page.evaluate(
    ({ selector, x, y }) => {
      const el = document.querySelector(selector);
      return { color: el.curveColor, p: el.chartToPixel(x, y) };
    },
    { selector, x, y },
  );
  assert.match(String(color), /^#[0-9a-f]{6}$/i, `el.curveColor must be a #rrggbb string, got ${JSON.stringify(color)}`);
  const found = await colorNear(page, selector, p.x, p.y, color, { radius: 3 });
  return { color, p, ...found };
}

async function assertCurveThrough(page, x, y, label, selector = D) {
  const c = await curveAt(page, x, y, selector);
  assert.ok(
    c.distance <= 60,
    `${label}: curve colour ${c.color} not found within 3 CSS px of chartToPixel(${x}, ${y}) = ` +
      `(${c.p.x.toFixed(1)}, ${c.p.y.toFixed(1)}); closest pixel ${JSON.stringify(c.rgba)} at distance ${c.distance.toFixed(1)}`,
  );
}

/** Sets a text field / slider value inside a widget and fires input + change, like a reader would. */
async function setField(page, selector, name, value) {
  await page.evaluate(
    ({ selector, name, value }) => {
      const input = document.querySelector(selector).shadowRoot.querySelector(`[name=${name}]`);
      if (!input) throw new Error(`${selector} has no [name=${name}] in its shadow root`);
      input.value = String(value);
      input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    },
    { selector, name, value },
  );
  await nextFrame(page);
}

for (const colorScheme of ['light', 'dark']) {
  test(`calc-derivative draws x² through (2, 4) and (−2, 4) in el.curveColor (${colorScheme})`, { timeout: 30_000 }, async () => {
    const { page, records, close } = await openWidgets({ colorScheme });
    try {
      await assertCurveThrough(page, 2, 4, colorScheme);
      await assertCurveThrough(page, -2, 4, colorScheme);
      const r = parseReadout(await readout(page));
      assert.deepEqual([r.x.text, r.f.text, r.df.text, r.trend], ['1.00', '1.00', '2.00', 'increasing'], r.text);
      await screenshot(page, `fixture-chapter1-${colorScheme}`);
      assertClean(records, { label: `fixture ${colorScheme}` });
    } finally {
      await close();
    }
  });
}

test('calc-derivative: dragging the point with the mouse', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openWidgets();
  try {
    const from = await chartPointOnPage(page, D, 1, 1);
    const to = await chartPointOnPage(page, D, 3, 9);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, from.y, { steps: 5 });
    await page.mouse.move(to.x, to.y, { steps: 10 });
    await page.mouse.up();
    await nextFrame(page);
    const r = parseReadout(await waitUntil(() => readout(page), (t) => !/x\s*=\s*1\.00\b/.test(t ?? '')));
    assert.ok(Math.abs(r.x.value - 3) <= 0.15, `after the drag x should be ≈ 3, readout: ${r.text}`);
    assertConsistentWithSquare(r, 'mouse drag');
    assertClean(records, { label: 'mouse drag' });
  } finally {
    await close();
  }
});

test('calc-derivative: dragging the point by touch', { timeout: 30_000 }, async () => {
  const { page, context, records, close } = await openWidgets({ hasTouch: true, viewport: { width: 390, height: 844 } });
  try {
    await page.evaluate(() => {
      window.__pointerTypes = [];
      document.addEventListener('pointerdown', (e) => window.__pointerTypes.push(e.pointerType), true);
    });
    const from = await chartPointOnPage(page, D, 1, 1);
    const to = await chartPointOnPage(page, D, 3, 9);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from.x, y: from.y }] });
    const steps = 12;
    for (let i = 1; i <= steps; i++) {
      const x = from.x + ((to.x - from.x) * i) / steps;
      const y = from.y + ((to.y - from.y) * i) / steps;
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await nextFrame(page);
    assert.ok((await page.evaluate(() => window.__pointerTypes)).includes('touch'), 'a touch pointerdown reached the page');
    const r = parseReadout(await waitUntil(() => readout(page), (t) => !/x\s*=\s*1\.00\b/.test(t ?? '')));
    assert.ok(
      Math.abs(r.x.value - 3) <= 0.2,
      `after a touch drag x should be ≈ 3 (does the canvas set touch-action: none and use pointer events?), readout: ${r.text}`,
    );
    assertConsistentWithSquare(r, 'touch drag');
    assertClean(records, { label: 'touch drag' });
  } finally {
    await close();
  }
});

test('calc-derivative: ←/→ on the focused canvas move x by (xmax − xmin)/200', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openWidgets();
  try {
    const focus = await page.evaluate((sel) => {
      const canvas = document.querySelector(sel).shadowRoot.querySelector('canvas[part~=chart]');
      canvas.focus();
      return { tabIndex: canvas.tabIndex, focused: document.querySelector(sel).shadowRoot.activeElement === canvas };
    }, D);
    assert.ok(focus.tabIndex >= 0, 'the chart canvas is in the tab order (tabindex="0")');
    assert.ok(focus.focused, 'the chart canvas can take focus');
    const labelBefore = await page.evaluate((sel) => document.querySelector(sel).shadowRoot.querySelector('canvas[part~=chart]').getAttribute('aria-label'), D);
    const hashBefore = await canvasHash(page, D);

    // (10 − (−10))/200 = 0.1: x = 1.10, f(x) = 1.21, f'(x) = 2.20
    await page.keyboard.press('ArrowRight');
    let r = parseReadout(await waitUntil(() => readout(page), (t) => /1\.10/.test(t ?? '')));
    assert.deepEqual([r.x.text, r.f.text, r.df.text, r.trend], ['1.10', '1.21', '2.20', 'increasing'], r.text);
    await nextFrame(page);
    assert.notEqual(await canvasHash(page, D), hashBefore, 'the chart is redrawn after ArrowRight');
    const labelAfter = await page.evaluate((sel) => document.querySelector(sel).shadowRoot.querySelector('canvas[part~=chart]').getAttribute('aria-label'), D);
    assert.ok(labelAfter?.trim(), 'the canvas keeps a non-empty aria-label');
    assert.notEqual(labelAfter, labelBefore, 'the canvas aria-label is live: it describes the new point');

    // 11 × ← from 1.10: x = 0.00, f(x) = 0.00, f'(x) = 0.00: flat (no −0.00, no 1e-16 slope)
    for (let i = 0; i < 11; i++) await page.keyboard.press('ArrowLeft');
    r = parseReadout(await waitUntil(() => readout(page), (t) => /x\s*=\s*-?0\.00/.test(t ?? '')));
    assert.deepEqual([r.x.text, r.f.text, r.df.text, r.trend], ['0.00', '0.00', '0.00', 'flat'], r.text);

    // 10 more: x = −1.00, f(x) = 1.00, f'(x) = −2.00: decreasing
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft');
    r = parseReadout(await waitUntil(() => readout(page), (t) => /1\.00.*1\.00.*2\.00/.test(t ?? '')));
    assert.deepEqual([r.x.value, r.f.value, r.df.value, r.trend], [-1, 1, -2, 'decreasing'], r.text);

    // the point never leaves [xmin, xmax]
    for (let i = 0; i < 120; i++) await page.keyboard.press('ArrowLeft');
    r = parseReadout(await readout(page));
    assert.ok(r.x.value >= -10 && r.x.value <= -9.9, `x stays ≥ xmin = −10: ${r.text}`);
    assertConsistentWithSquare(r, 'at xmin');
    assert.equal(await page.evaluate(() => location.pathname.endsWith('__e2e-fixture.html')), true, 'arrows did not navigate');
    assertClean(records, { label: 'keyboard' });
  } finally {
    await close();
  }
});

test('calc-derivative: a bad function shows an error and leaves the chart as it was', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openWidgets();
  try {
    assert.equal(await partText(page, D, 'error'), '', 'no error message at first');
    const before = await canvasHash(page, D);
    // Well formed, but with no finite value anywhere on the chart: refused too, with why.
    for (const bad of ['x^', 'foo(x)', 'sin(x))', '1/0', 'ln(-1 - x^2)']) {
      await page.locator(`${D} input[name=function]`).fill(bad);
      await setField(page, D, 'function', bad);
      const message = await waitUntil(() => partText(page, D, 'error'), (t) => !!t);
      assert.ok(message, `typing ${JSON.stringify(bad)} shows a message in [part~=error]`);
      if (bad === 'foo(x)') assert.match(message, /foo/, 'the message names the unknown function');
      if (bad === '1/0') assert.equal(message, '1/0 has no finite value anywhere on the chart: there is nothing to draw. The chart still shows x^2.');
      await page.waitForTimeout(100);
      await nextFrame(page);
      assert.equal(await canvasHash(page, D), before, `after ${JSON.stringify(bad)} the canvas pixels are unchanged`);
      await assertCurveThrough(page, 2, 4, `after ${JSON.stringify(bad)}`);
    }
    assertClean(records, { label: 'bad functions' });

    // a good function clears the error and redraws: x³ − 3x has f(1) = −2, f'(1) = 3 − 3 = 0
    await page.locator(`${D} input[name=function]`).fill('x^3 - 3x');
    await setField(page, D, 'function', 'x^3 - 3x');
    assert.equal(await waitUntil(() => partText(page, D, 'error'), (t) => t === ''), '', 'the error clears');
    await nextFrame(page);
    assert.notEqual(await canvasHash(page, D), before, 'the chart is redrawn for the new function');
    // points where no other curve is near (on [−10, 10] the y axis spans about ±970)
    await assertCurveThrough(page, 8, 488, 'x³ − 3x at x = 8 (512 − 24)');
    await assertCurveThrough(page, -8, -488, 'x³ − 3x at x = −8 (−512 + 24)');
    const r = parseReadout(await waitUntil(() => readout(page), (t) => /-2\.00|−2\.00/.test(t ?? '')));
    assert.deepEqual([r.x.text, r.f.value, r.df.value, r.trend], ['1.00', -2, 0, 'flat'], r.text);
    assertClean(records, { label: 'good function' });
  } finally {
    await close();
  }
});

test('devicePixelRatio 2: every canvas backing store is 2× its CSS size', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openWidgets({ deviceScaleFactor: 2 });
  try {
    assert.equal(await page.evaluate(() => devicePixelRatio), 2);
    for (const c of await canvasInventory(page)) {
      assert.ok(Math.abs(c.width - 2 * c.clientWidth) <= 1, `${c.host}: canvas.width ${c.width} ≠ 2 × clientWidth ${c.clientWidth}`);
      assert.ok(Math.abs(c.height - 2 * c.clientHeight) <= 1, `${c.host}: canvas.height ${c.height} ≠ 2 × clientHeight ${c.clientHeight}`);
      assert.ok(c.colors > 1, `${c.host}: canvas blank at DPR 2`);
    }
    await assertCurveThrough(page, 2, 4, 'DPR 2');
    await screenshot(page, 'fixture-chapter1-dpr2');
    assertClean(records, { label: 'DPR 2' });
  } finally {
    await close();
  }
});

test('canvases resize with their container', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openWidgets({ viewport: { width: 1280, height: 800 } });
  try {
    await page.setViewportSize({ width: 400, height: 800 });
    await page.waitForTimeout(300);
    await nextFrame(page);
    for (const c of await canvasInventory(page)) {
      assert.ok(c.clientWidth <= 400, `${c.host}: canvas wider (${c.clientWidth}px) than a 400px viewport`);
      assert.ok(Math.abs(c.width - c.clientWidth) <= 1, `${c.host}: backing store ${c.width} follows CSS width ${c.clientWidth}`);
      assert.ok(c.colors > 1, `${c.host}: canvas blank after resize`);
    }
    await assertCurveThrough(page, 2, 4, 'after resize');
    assertClean(records, { label: 'resize' });
  } finally {
    await close();
  }
});

test('calc-secant and calc-numerical-error draw, read out and respond', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openWidgets();
  try {
    // A screen reader hears nothing of a widget the reader has not used, however its readout
    // changed as it loaded.
    await page.waitForTimeout(900);
    for (const sel of [S, N]) {
      assert.equal(await page.$eval(sel, (el) => el.shadowRoot.querySelector('.announce').textContent), '', `${sel} said something at load`);
    }
    for (const sel of [S, N]) {
      const text = await readout(page, sel);
      assert.ok(text, `${sel}: [part~=readout] is non-empty`);
      // The readout is not a live region itself: a screen reader hears it once it settles.
      const live = await page.evaluate((sel) => document.querySelector(sel).shadowRoot.querySelector('[part~=readout]').getAttribute('aria-live'), sel);
      assert.equal(live, null, `${sel}: the readout is not aria-live itself`);
    }
    // secant of x² at x = 1, h = 1: (f(2) − f(1))/1 = 3; tangent slope f'(1) = 2
    const numbers = (t) => (t.replace(/[\u2212]/g, '-').match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
    const secant = await readout(page, S);
    assert.ok(numbers(secant).some((v) => Math.abs(v - 3) < 0.01), `secant readout shows the quotient 3: ${secant}`);
    assert.ok(numbers(secant).some((v) => Math.abs(v - 2) < 0.01), `secant readout shows f'(1) = 2: ${secant}`);

    // the h slider changes the readout and the chart
    const hashS = await canvasHash(page, S);
    const range = await page.evaluate((sel) => {
      const i = document.querySelector(sel).shadowRoot.querySelector('input[name=h]');
      return { min: i.min, max: i.max, value: i.value };
    }, S);
    const other = range.value === range.max ? range.min : range.max;
    await setField(page, S, 'h', other);
    const secant2 = await waitUntil(() => readout(page, S), (t) => t !== secant);
    assert.notEqual(secant2, secant, 'moving the h slider updates the secant readout');
    assert.notEqual(await canvasHash(page, S), hashS, 'moving the h slider redraws the secant chart');

    // Keys on the focused chart: ↑ shrinks h as the slider does (h = 10^−t, t up 0.05), ↓
    // grows it, Shift takes ten times the step.
    await setField(page, S, 'h', 0);
    const hShown = () => page.evaluate((sel) => document.querySelector(sel).h, S);
    await page.evaluate((sel) => document.querySelector(sel).canvas.focus(), S);
    assert.equal(await hShown(), 1);
    await page.keyboard.press('ArrowUp');
    assert.equal(await hShown(), 0.891); // 10^−0.05 = 0.89125…, to three significant digits
    await page.keyboard.press('ArrowDown');
    assert.equal(await hShown(), 1);
    await page.keyboard.press('Shift+ArrowUp');
    assert.equal(await hShown(), 0.316); // 10^−0.5 = 0.31623…

    // Twenty keys in a burst change the readout twenty times; a screen reader hears it once,
    // when it has settled, from the widget's one status line.
    const heard = await page.evaluate(async (sel) => {
      const el = document.querySelector(sel);
      const status = el.shadowRoot.querySelector('.announce[role=status]');
      const said = [];
      new MutationObserver(() => said.push(status.textContent)).observe(status, { childList: true, characterData: true, subtree: true });
      for (let i = 0; i < 20; i++) {
        el.canvas.dispatchEvent(new KeyboardEvent('keydown', { key: i % 2 ? 'ArrowDown' : 'ArrowUp', bubbles: true }));
        await new Promise((r) => setTimeout(r, 30));
      }
      el.canvas.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
      await new Promise((r) => setTimeout(r, 1200));
      return { said, readout: el.shadowRoot.querySelector('[part~=readout]').textContent };
    }, S);
    assert.deepEqual(heard.said, [heard.readout], 'announced once, the readout where it settled');

    // more samples change the numerical-error chart
    const hashN = await canvasHash(page, N);
    const readN = await readout(page, N);
    await setField(page, N, 'samples', 20);
    const readN2 = await waitUntil(() => readout(page, N), (t) => t !== readN);
    assert.ok(readN2, 'numerical-error readout stays non-empty');
    assert.notEqual(await canvasHash(page, N), hashN, 'changing samples redraws the numerical-error chart');
    // An attribute past the slider's reach (400): the slider stretches to it, not sits at its end.
    const slider = () => page.evaluate((sel) => {
      const root = document.querySelector(sel).shadowRoot;
      const i = root.querySelector('input[name=samples]');
      return { max: i.max, value: i.value, shown: root.querySelector('.samples-value').textContent };
    }, N);
    await page.evaluate((sel) => document.querySelector(sel).setAttribute('samples', '5000'), N);
    assert.deepEqual(await slider(), { max: '5000', value: '5000', shown: '5000' });
    await setField(page, N, 'samples', 50);
    assert.deepEqual(await slider(), { max: '5000', value: '50', shown: '50' });
    assertClean(records, { label: 'secant & numerical-error' });
  } finally {
    await close();
  }
});

test('derivative.html: every widget is ready, drawn and labelled', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openPage(shared.browser, shared.site.url + 'derivative.html');
  try {
    const widgets = await waitForWidgets(page);
    for (const tag of ['calc-derivative', 'calc-secant', 'calc-numerical-error']) {
      assert.ok(widgets.some((w) => w.tag === tag), `derivative.html has a <${tag}>`);
    }
    const contract = await page.evaluate(() =>
      [...document.querySelectorAll('*')]
        .filter((el) => el.localName.startsWith('calc-'))
        .map((el) => {
          const root = el.shadowRoot;
          const canvas = root?.querySelector('canvas[part~=chart]');
          let p = null;
          try {
            p = el.chartToPixel(1, 1); // (1, 1) is inside any chart, linear or log
          } catch {}
          return {
            tag: el.localName,
            shadow: !!root,
            canvas: !!canvas,
            role: canvas?.getAttribute('role'),
            label: canvas?.getAttribute('aria-label') ?? '',
            readout: root?.querySelector('[part~=readout]')?.textContent.trim() ?? null,
            drawTimes: Array.isArray(el.drawTimes),
            chartToPixel: !!p && Number.isFinite(p.x) && Number.isFinite(p.y),
            curveColor: typeof el.curveColor === 'string' ? el.curveColor : null,
            lightDomHidden: [...el.children].every((c) => c.getClientRects().length === 0),
          };
        }),
    );
    for (const w of contract) {
      assert.ok(w.shadow, `<${w.tag}> has an open shadow root`);
      assert.ok(w.canvas, `<${w.tag}> has canvas[part~=chart]`);
      assert.equal(w.role, 'img', `<${w.tag}> canvas role="img"`);
      assert.ok(w.label.trim(), `<${w.tag}> canvas has a non-empty aria-label`);
      assert.ok(w.readout, `<${w.tag}> has a non-empty [part~=readout]`);
      assert.ok(w.drawTimes, `<${w.tag}> exposes el.drawTimes`);
      assert.ok(w.chartToPixel, `<${w.tag}> exposes el.chartToPixel(x, y)`);
      assert.match(String(w.curveColor), /^#[0-9a-f]{6}$/i, `<${w.tag}> exposes el.curveColor as #rrggbb`);
      assert.ok(w.lightDomHidden, `<${w.tag}>: the no-JavaScript description is hidden once upgraded`);
    }
    // The secant is eager here, on the first screen; its embed code leaves that to the post.
    const secant = await page.evaluate(() => {
      const el = document.querySelector('calc-secant');
      return { loading: el.getAttribute('loading'), code: el.embedCode() };
    });
    assert.equal(secant.loading, 'eager');
    assert.match(secant.code, /\n<calc-secant function="x\^2" x="1" h="1" xmin="-1" xmax="3"><\/calc-secant>$/);
    assertClean(records, { label: 'derivative.html' });
  } finally {
    await close();
  }
});

test('without JavaScript the widgets show their description', { timeout: 30_000 }, async () => {
  const context = await shared.browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(shared.site.url + 'derivative.html');
    const visible = await page.evaluate(() =>
      [...document.querySelectorAll('*')]
        .filter((el) => el.localName.startsWith('calc-'))
        .map((el) => ({ tag: el.localName, text: el.innerText.trim() })),
    );
    assert.ok(visible.length > 0, 'derivative.html has widgets');
    for (const w of visible) assert.ok(w.text.length > 0, `<${w.tag}> has a visible description without JavaScript`);
  } finally {
    await context.close();
  }
});

test('bad attributes are reported in the widget, which keeps working on its defaults', { timeout: 30_000 }, async () => {
  const html = FIXTURE_HTML.replace(
    /<calc-derivative id="d"[^>]*>/,
    '<calc-derivative id="d" function="foo(x)" x="abc" xmin="5" xmax="1">',
  );
  const { page, close } = await openFixture(shared, FIXTURE, html);
  try {
    await waitForWidgets(page);
    // The refused function is named in the field's error; the chart stays on x² (the default).
    assert.match(await partText(page, D, 'error'), /function="foo\(x\)".*foo/);
    const notes = await partText(page, D, 'attribute-error');
    assert.match(notes, /xmax \(1\) must be greater than xmin \(5\)/, notes);
    assert.match(notes, /x="abc" is not a number/, notes);
    // Defaults: x = 1 on [−10, 10], so f(1) = 1 and f'(1) = 2.
    const r = parseReadout(await readout(page));
    assert.deepEqual([r.x.text, r.f.value, r.df.value, r.trend], ['1.00', 1, 2, 'increasing'], r.text);
    await assertCurveThrough(page, 2, 4, 'the default x² after refused attributes');
  } finally {
    await close();
  }
});

test('calc-derivative: at a corner or a jump the readout says f′ is undefined', { timeout: 30_000 }, async () => {
  const { page, close } = await openWidgets();
  try {
    // |x| at 0: the difference quotient is −1 from the left and 1 from the right, so there is
    // no limit; sign(x) at 0 jumps from −1 to 1, so it is not even continuous there.
    for (const [fn, expected] of [
      ['abs(x)', /^x = 0\.00, f\(x\) = 0\.00, f'\(x\) = undefined: a corner \(slope -1\.00 from the left, 1\.00 from the right\)$/],
      ['sign(x)', /^x = 0\.00, f\(x\) = 0\.00, f'\(x\) = undefined: f jumps here$/],
      ['ln(x)', /f\(x\) = undefined, f'\(x\) = undefined$/],
    ]) {
      await page.evaluate(([sel, fn]) => {
        const el = document.querySelector(sel);
        el.setAttribute('function', fn);
        el.setAttribute('x', fn === 'ln(x)' ? '-2' : '0');
      }, [D, fn]);
      const text = await waitUntil(() => readout(page), (t) => expected.test(t ?? ''));
      assert.match(text, expected, `${fn}: ${text}`);
    }
  } finally {
    await close();
  }
});

// The embed page documents samples as 2 to 5000, what the chart accepts: the field and the
// attribute take the same, and say so past it.
test('calc-derivative: samples up to 5000, by attribute or field, and a clear message past it', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openWidgets();
  try {
    const samplesError = () => page.evaluate((sel) => {
      const input = document.querySelector(sel).shadowRoot.querySelector('input[name=samples]');
      return { value: input.value, invalid: input.getAttribute('aria-invalid'), message: input.closest('.number-field').textContent };
    }, D);
    await page.evaluate((sel) => document.querySelector(sel).setAttribute('samples', '3000'), D);
    await nextFrame(page);
    const taken = await samplesError();
    assert.equal(taken.value, '3000');
    assert.notEqual(taken.invalid, 'true', '3000 samples are taken');
    assert.equal(await page.evaluate((sel) => document.querySelector(sel).samples, D), 3000);
    // An attribute past the limit is named under the widget, and the limit used.
    await page.evaluate((sel) => document.querySelector(sel).setAttribute('samples', '6000'), D);
    await nextFrame(page);
    assert.equal(await partText(page, D, 'attribute-error'), 'samples="6000" is outside 2 to 5000, so 5000 is used.');
    assert.equal(await page.evaluate((sel) => document.querySelector(sel).samples, D), 5000);
    // Typed in the field, it is refused beside the field, and the last good count stays.
    await setField(page, D, 'samples', 6000);
    const refused = await samplesError();
    assert.equal(refused.invalid, 'true', '6000 samples are refused');
    assert.match(refused.message, /a whole number from 2 to 5000/);
    assert.equal(await page.evaluate((sel) => document.querySelector(sel).samples, D), 5000, 'the last good count stays');
    assertClean(records, { label: 'samples' });
  } finally {
    await close();
  }
});

test('on a phone, the numerical-error legend leaves every sample in sight', { timeout: 30_000 }, async () => {
  // x⁴ − 3x² + x at 7 samples: the errors make a V from 10¹·⁵ down to about 10⁻¹⁵ at x = 0, where
  // the central difference (f(h) − f(−h))/2h = 2h/2h of the odd part is f'(0) = 1 but for
  // rounding. Every spot along the plot's edges holds a sample or the h line.
  const html = fixtureHtml('Numerical error on a phone', '<calc-numerical-error id="v" function="x^4 - 3x^2 + x" samples="7" loading="eager"></calc-numerical-error>');
  const { page, records, close } = await openFixture(shared, '__e2e-numerical-phone.html', html, { viewport: { width: 390, height: 844 } });
  try {
    await waitForWidgets(page);
    const f = (x) => x ** 4 - 3 * x ** 2 + x;
    const xs = Array.from({ length: 7 }, (_, i) => -10 + (20 * i) / 6);
    // The first sample's error, numpy.gradient's one-sided difference against f'(−10) = −3939.
    const first = Math.abs((f(xs[1]) - f(xs[0])) / (xs[1] - xs[0]) - (4 * (-10) ** 3 - 6 * -10 + 1));
    // In the canvas's own pixels: the first marker's colour, then each sample's column
    // searched from the plot's top to its bottom for that colour.
    const hidden = await page.$eval('#v', (el, { xs, first }) => {
      const { canvas, chart } = el;
      const ratio = canvas.width / canvas.clientWidth;
      const image = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const rgb = (x, y) => {
        const k = 4 * (Math.round(y * ratio) * canvas.width + Math.round(x * ratio));
        return [image.data[k], image.data[k + 1], image.data[k + 2]];
      };
      const at = el.chartToPixel(-10, first);
      const marker = rgb(at.x, at.y);
      const { top, bottom } = chart.frame;
      return xs.filter((x) => {
        const column = el.chartToPixel(x, 1).x;
        for (let y = top; y <= bottom; y += 0.5) {
          const c = rgb(column, y);
          if (Math.hypot(c[0] - marker[0], c[1] - marker[1], c[2] - marker[2]) < 40) return false;
        }
        return true;
      });
    }, { xs, first });
    assert.deepEqual(hidden, [], 'samples under the legend (x)');
    assertClean(records);
  } finally {
    await close();
  }
});

test('what a reader types into a widget still waiting for its wasm is kept, and drawn once it comes', { timeout: 30_000 }, async () => {
  let release;
  const held = new Promise((r) => (release = r));
  const html = fixtureHtml('A slow secant', '<calc-secant id="s" function="x^2" loading="eager"></calc-secant><calc-numerical-error id="n" loading="eager"></calc-numerical-error>');
  const { page, records, close } = await openFixture(shared, '__e2e-slow-secant.html', html, {
    beforeGoto: (p) => p.route('**/*.wasm', async (route) => { await held; await route.continue(); }),
  });
  try {
    await page.waitForFunction(() => document.querySelector('#s')?.shadowRoot?.querySelector('.widget[aria-busy] input[name=function]'));
    // Clicked, the field takes the focus (it is not inert), and keeps what is typed.
    await page.click('#s >> input[name=function]');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('x^3');
    await page.locator('#n >> input[name=samples]').fill('20');
    release();
    await page.$eval('#s', (el) => el.ready);
    await page.$eval('#n', (el) => el.ready);
    await nextFrame(page);
    const secant = await page.$eval('#s', (el) => ({
      field: el.shadowRoot.querySelector('input[name=function]').value,
      shown: el.functionShown,
    }));
    assert.deepEqual(secant, { field: 'x^3', shown: 'x^3' });
    // The focus stays where the reader left it: the samples slider.
    assert.equal(await page.$eval('#n', (el) => document.activeElement === el && el.shadowRoot.activeElement?.getAttribute('name')), 'samples');
    // At x = 1, h = 1 on x³: the secant slope (2³ − 1³)/1 = 7 and the tangent's 3·1² = 3.
    assert.match(await partText(page, '#s', 'readout'), /secant slope \(f\(x \+ h\) − f\(x\)\)\/h = 7\.0000, tangent slope f'\(1\.00\) = 3\.0000/);
    assert.match(await partText(page, '#n', 'readout'), /^spacing h = 1\.053;/, '20 samples on [−10, 10]: h = 20/19 = 1.0526…');
    assertClean(records);
  } finally {
    release();
    await close();
  }
});

test('while the wasm arrives, fields, sliders and choices already show what setup gives them', { timeout: 60_000 }, async () => {
  let release;
  const held = new Promise((r) => (release = r));
  const widgets = [
    '<calc-secant function="x^2" x="2" h="0.1" xmin="0" xmax="4"></calc-secant>',
    '<calc-derivative function="x^3 - 3x" x="1.5"></calc-derivative>',
    '<calc-numerical-error function="sin(x)" samples="40"></calc-numerical-error>',
    '<calc-partial function="w^2 + b^2" slice="b" at="3"></calc-partial>',
    '<calc-partial function="(1 - w)^2 + 100(b - w^2)^2" slice="w" at="0.5" point="1"></calc-partial>',
    '<calc-gradient function="w^2 + b^2" w="3" b="4" downhill></calc-gradient>',
    '<calc-descent function="w^2 + b^2" w="8" b="9" rate="0.1" iterations="30"></calc-descent>',
    '<calc-race function="w^2 + 10b^2" w="-9" b="2"></calc-race>',
    '<calc-gears x="0.5"></calc-gears>',
    '<calc-deep-gradients depth="12" activation="tanh"></calc-deep-gradients>',
    '<calc-cliff threshold="2"></calc-cliff>',
    '<calc-playground preset="deep-sigmoid"></calc-playground>',
    '<calc-tiny-network rate="0.25" activation="relu" stop="4"></calc-tiny-network>',
  ].map((w) => w.replace('>', ' loading="eager">'));
  const html = fixtureHtml('Controls before the wasm', widgets.join('\n'));
  const { page, records, close } = await openFixture(shared, '__e2e-starting-values.html', html, {
    beforeGoto: (p) => p.route('**/*.wasm', async (route) => { await held; await route.continue(); }),
  });
  // Every control's state, per element, skipping the outputs the wasm formats; and the
  // partial's names for the held and the free variable.
  const controls = () => page.$$eval('main > *', (els) => els.map((el) => [el.localName, [...el.shadowRoot.querySelectorAll('input, select')]
    .filter((c) => c.name)
    .map((c) => `${c.name}=${c.type === 'checkbox' ? c.checked : c.value}${c.disabled ? ' (disabled)' : ''}`)
    .concat([...el.shadowRoot.querySelectorAll('.fixed-name, .free-name')].map((n) => `${n.className}: ${n.textContent}`))]));
  try {
    await page.waitForFunction((n) => [...document.querySelectorAll('main > *')].filter((el) => el.shadowRoot?.querySelector('.widget[aria-busy]')).length === n, widgets.length);
    const before = await controls();
    // Not empty: the descent's fields say where it starts, before it has run.
    assert.deepEqual(before.find(([tag]) => tag === 'calc-descent')[1].filter((c) => /^(w|b|iterations|rate)=/.test(c)), ['w=8', 'b=9', 'iterations=30', 'rate=0.1']);
    release();
    await page.$$eval('main > *', (els) => Promise.all(els.map((el) => el.ready)));
    assert.deepEqual(await controls(), before);
    assertClean(records);
  } finally {
    release();
    await close();
  }
});

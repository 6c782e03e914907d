// Chapter 5's <calc-graph> against the widget contract (ARCHITECTURE.md): stepping the backward
// pass reaches the engine's gradients (micrograd's neuron, colah's two paths into b), editing
// the formula or a value redraws, a bad formula keeps the last good graph, keys alone drive it,
// and it passes axe in light and dark at 360 px and 1280 px. A fixture page holds the widget
// alone, as a blog post would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowserAndSite, fixtureHtml, openFixture, requireDist, assertClean, waitForWidgets, runAxe, formatViolations,
  canvasHash, partText, nextFrame, screenshot, scrollChartIntoView, waitUntil, colorNear,
} from './harness.mjs';
import { backprop } from '../api/calculus.mjs';

requireDist();

const FIXTURE = '__e2e-graph.html';
const NEURON = 'tanh(x1*w1 + x2*w2 + b)';
const COLAH = '(a + b)*(b + 1)';
const HTML = fixtureHtml(
  'Computational graph',
  `<h1>Computational graphs</h1>
<calc-graph id="g"><p>The graph of a neuron, tanh(x1·w1 + x2·w2 + b).</p></calc-graph>
<calc-graph id="c" function="${COLAH}"><p>colah's e = (a + b)(b + 1).</p></calc-graph>
<calc-graph id="s" function="sin(x)*sin(x) + x" step="end"><p>sin x used twice.</p></calc-graph>
<calc-graph id="bad" function="x*("><p>A formula with a mistake.</p></calc-graph>`,
);

const shared = useBrowserAndSite();

async function open(options = {}) {
  const opened = await openFixture(shared, FIXTURE, HTML, options);
  await waitForWidgets(opened.page);
  return opened;
}

/** What widget `sel`'s chart shows and knows: steps, variables, shown gradients by name. */
function state(page, sel) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const c = el.chart;
    const names = c.variables;
    const shown = Object.fromEntries(names.map((n, k) => [n, c.shownGradient(k)]));
    return { step: c.step, steps: c.steps, forward: c.forwardSteps, source: c.source, names, shown, nodes: c.nodeCount };
  }, sel);
}

const click = (page, sel, name) => page.evaluate(({ sel, name }) => document.querySelector(sel).shadowRoot.querySelector(`button[name=${name}]`).click(), { sel, name });
const readout = (page, sel) => partText(page, sel, 'readout');
const minus = (t) => t.replace(/\u2212/g, '-');

test("stepping micrograd's neuron backwards reaches the engine's gradients", async () => {
  const { page, records, close } = await open();
  try {
    let s = await state(page, '#g');
    assert.equal(s.source, NEURON);
    assert.equal(s.step, s.forward, 'the widget starts with the forward pass done');
    assert.ok(Object.values(s.shown).every(Number.isNaN), 'no gradient before the backward pass');
    assert.match(await readout(page, '#g'), /^Forward, step 5 of 15: tanh\(/);
    for (let k = s.step; k < s.steps; k++) await click(page, '#g', 'step');
    s = await state(page, '#g');
    assert.equal(s.step, s.steps);
    const want = { x1: -1.5, w1: 1.0, x2: 0.5, w2: 0, b: 0.5 };
    for (const [name, g] of Object.entries(want)) assert.ok(Math.abs(s.shown[name] - g) < 1e-12, `${name}.grad = ${s.shown[name]}, want ${g}`);
    const engine = backprop(NEURON, { x1: 2, x2: 0, w1: -3, w2: 1, b: 6.8813735870195432 }).gradients;
    for (const name of s.names) assert.equal(s.shown[name], engine[name], `${name}: the widget shows the engine's number`);
    // The forward pass appears node by node: Reset, then each Step computes one more node.
    await click(page, '#g', 'reset');
    assert.match(await readout(page, '#g'), /^Inputs, step 0/);
    await click(page, '#g', 'step');
    assert.match(minus(await readout(page, '#g')), /^Forward, step 1 of \d+: .* = 2 × -3 = -6$/);
    // Play walks on by itself until Pause.
    await click(page, '#g', 'play');
    const played = await waitUntil(() => state(page, '#g'), (st) => st.step >= 3, { timeout: 5000 });
    assert.ok(played.step >= 3, `Play reached step ${played.step}`);
    await click(page, '#g', 'play');
    const paused = (await state(page, '#g')).step;
    assert.equal(await page.evaluate(() => document.querySelector('#g').shadowRoot.querySelector('button[name=play]').textContent), 'Play');
    await new Promise((r) => setTimeout(r, 700));
    assert.equal((await state(page, '#g')).step, paused, 'Pause stops the walk');
    assertClean(records);
  } finally {
    await close();
  }
});

test("colah's b receives two contributions, 3 then 2, that add up to 5", async () => {
  const { page, records, close } = await open();
  try {
    const s = await state(page, '#c');
    assert.deepEqual(s.names, ['a', 'b']);
    const seen = [];
    for (let k = s.step; k < s.steps; k++) {
      await click(page, '#c', 'step');
      seen.push(await readout(page, '#c'));
    }
    const intoB = seen.filter((t) => / → b: /.test(t));
    assert.equal(intoB.length, 2, seen.join('\n'));
    assert.match(intoB[0], /∂f\/∂\(b \+ 1\) × ∂\(b \+ 1\)\/∂b = 3 × 1 = 3; ∂f\/∂b = 3 so far \(1 more to come\)/);
    assert.match(intoB[1], /∂f\/∂\(a \+ b\) × ∂\(a \+ b\)\/∂b = 2 × 1 = 2; ∂f\/∂b = 3 \+ 2 = 5 \(all 2 contributions\)/);
    assert.equal((await state(page, '#c')).shown.b, 5);
    // Pointing at b says the same.
    await scrollChartIntoView(page, '#c');
    const p = await page.evaluate(() => {
      const el = document.querySelector('#c');
      const [x, y] = el.chart.nodeCenter(1);
      const box = el.canvas.getBoundingClientRect();
      return { x: box.left + x, y: box.top + y };
    });
    await page.mouse.move(p.x, p.y);
    const node = await waitUntil(() => partText(page, '#c', 'node-readout'), (t) => t && t.length > 0);
    assert.equal(node, 'b = 1; ∂f/∂b = 5 = 3 through (b + 1) + 2 through (a + b)');
    // a = 2.5 and the node "a + b" picked go into the embed code; pasted, the same numbers:
    // a + b = 3.5, ∂f/∂(a + b) = b + 1 = 2.
    await page.evaluate(() => {
      const el = document.querySelector('#c');
      const a = el.shadowRoot.querySelector('input[name=var-0]');
      a.value = '2.5';
      a.dispatchEvent(new Event('input'));
      const pick = el.shadowRoot.querySelector('select[name=node]');
      pick.value = [...pick.options].find((o) => o.textContent === 'a + b').value;
      pick.dispatchEvent(new Event('change'));
    });
    await page.mouse.move(0, 0);
    const code = await page.$eval('#c', (el) => el.embedCode());
    assert.match(code, /<calc-graph id="c" function="\(a \+ b\)\*\(b \+ 1\)" values="a=2\.5" step="end" node="a \+ b"><\/calc-graph>$/);
    const shown = await partText(page, '#c', 'node-readout');
    const pasted = await openFixture(shared, '__e2e-graph-pasted.html', fixtureHtml('Pasted', code.split('\n').at(-1)));
    try {
      await waitForWidgets(pasted.page);
      assert.equal(await partText(pasted.page, '#c', 'node-readout'), shown);
      assert.match(shown, /^a \+ b = 3\.5; ∂f\/∂\(a \+ b\) = 2/);
      assertClean(pasted.records, { label: 'pasted graph' });
    } finally {
      await pasted.close();
    }
    // A bad pair is named, and the formula's own value used there.
    await page.$eval('#c', (el) => el.setAttribute('values', 'q=1; b=x'));
    assert.equal(
      await partText(page, '#c', 'attribute-error'),
      'values="q=1; b=x": "q" is not one of a, b. b\'s "x" is not a number. The formula\'s own are used there.',
    );
    assertClean(records);
  } finally {
    await close();
  }
});

test('editing the formula and the values redraws; a bad formula keeps the last good graph', async () => {
  const { page, records, close } = await open();
  try {
    await scrollChartIntoView(page, '#g');
    const before = await canvasHash(page, '#g');
    const field = page.locator('#g input[name=function]');
    await field.fill('sin(x)*sin(x) + x');
    await nextFrame(page);
    let s = await state(page, '#g');
    assert.equal(s.source, 'sin(x)*sin(x) + x');
    assert.equal(s.nodes, 4, 'x, sin x (once), the product, the sum');
    assert.notEqual(await canvasHash(page, '#g'), before);
    assert.equal(await page.locator('#g select[name=preset]').inputValue(), 'sin(x)*sin(x) + x');
    const good = await canvasHash(page, '#g');

    await field.fill('sin(x)*');
    await nextFrame(page);
    const error = await partText(page, '#g', 'error');
    assert.match(error, /column 8.*The chart still shows sin\(x\)\*sin\(x\) \+ x\./);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal((await state(page, '#g')).source, 'sin(x)*sin(x) + x');
    assert.equal(await canvasHash(page, '#g'), good, 'the last good graph stays');

    // A value: x = 2 gives ∂f/∂x = 2 sin x cos x + 1 = sin 4 + 1 at the end of the pass.
    await field.fill('sin(x)*sin(x) + x');
    await page.evaluate(() => document.querySelector('#g').showStep(1e9));
    await page.locator('#g input[name=var-0]').fill('2');
    await nextFrame(page);
    s = await state(page, '#g');
    assert.ok(Math.abs(s.shown.x - (Math.sin(4) + 1)) < 1e-12, `∂f/∂x = ${s.shown.x}`);
    assert.notEqual(await canvasHash(page, '#g'), good);
    await page.locator('#g input[name=var-0]').fill('');
    assert.match(await page.locator('#g').evaluate((el) => el.shadowRoot.querySelector('#' + el.uid + '-var-0-error').textContent), /x must be a number; the graph keeps 2\./);
    assertClean(records);
  } finally {
    await close();
  }
});

test("dragging b's node sideways sets b, and every value and gradient follows", async () => {
  const { page, records, close } = await open();
  try {
    await scrollChartIntoView(page, '#c');
    await page.evaluate(() => document.querySelector('#c').showStep(1e9));
    const p = await page.evaluate(() => {
      const el = document.querySelector('#c');
      const [x, y] = el.chart.nodeCenter(1);
      const box = el.canvas.getBoundingClientRect();
      return { x: box.left + x, y: box.top + y };
    });
    // 100 px to the right at 0.01 a pixel: b from 1 to 2. Then e = (a + b)(b + 1) = 4 · 3 = 12,
    // ∂e/∂a = b + 1 = 3 and ∂e/∂b = (b + 1) + (a + b) = 3 + 4 = 7.
    await page.mouse.move(p.x, p.y);
    await page.mouse.down();
    for (let dx = 20; dx <= 100; dx += 20) await page.mouse.move(p.x + dx, p.y);
    await page.mouse.up();
    await nextFrame(page);
    assert.equal(await page.locator('#c input[name=var-1]').inputValue(), '2');
    const s = await state(page, '#c');
    assert.deepEqual([s.shown.a, s.shown.b], [3, 7]);
    const out = await page.evaluate(() => {
      const c = document.querySelector('#c').chart;
      return c.shownValue(c.nodeCount - 1);
    });
    assert.equal(out, 12);
    assertClean(records);
  } finally {
    await close();
  }
});

test('the keyboard alone steps, scrubs and picks nodes', async () => {
  const { page, records, close } = await open();
  try {
    // Tab from the top of the page to the first graph's canvas.
    let onCanvas = false;
    for (let i = 0; i < 40 && !onCanvas; i++) {
      await page.keyboard.press('Tab');
      onCanvas = await page.evaluate(() => document.activeElement?.id === 'g' && document.activeElement.shadowRoot.activeElement?.localName === 'canvas');
    }
    assert.ok(onCanvas, 'Tab reaches the graph');
    const steps = (await state(page, '#g')).steps;
    await page.keyboard.press('End');
    assert.equal((await state(page, '#g')).step, steps);
    await page.keyboard.press('Home');
    assert.equal((await state(page, '#g')).step, 0);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    assert.equal((await state(page, '#g')).step, 2);
    await page.keyboard.press('ArrowDown');
    assert.match(minus(await partText(page, '#g', 'node-readout')), /^b = 6.8814; ∂f\/∂b = 0.5$/);
    await page.keyboard.press('ArrowUp');
    assert.match(await partText(page, '#g', 'node-readout'), /^tanh\(/);
    await page.keyboard.press('Escape');
    assert.equal(await partText(page, '#g', 'node-readout'), '');
    assertClean(records);
  } finally {
    await close();
  }
});

test('each backward step lights its own edge, the second of two between sin x and the product too', async () => {
  const { page, records, close } = await open();
  try {
    let s = await state(page, '#s');
    assert.equal(s.step, s.steps, 'step="end": the whole backward pass');
    assert.ok(Math.abs(s.shown.x - (Math.sin(2) + 1)) < 1e-12, `∂f/∂x = 2 sin x cos x + 1 = ${s.shown.x}`);
    await scrollChartIntoView(page, '#s');
    const arrow = await page.evaluate(() => document.querySelector('#s').calculus.arrowColor(false));
    const places = new Set();
    for (let k = s.forward + 2; k <= s.steps; k++) {
      const at = await page.evaluate((k) => {
        const el = document.querySelector('#s');
        el.showStep(k);
        el.drawNow();
        return el.chart.contributionAt;
      }, k);
      assert.equal(at.length, 2, `step ${k} has a lit edge`);
      const near = await colorNear(page, '#s', at[0], at[1], arrow, { radius: 4 });
      assert.ok(near.distance < 60, `step ${k}: the contribution is written at (${at}) in the gradient colour (${JSON.stringify(near)})`);
      places.add(at.map(Math.round).join(','));
    }
    assert.equal(places.size, s.steps - s.forward - 1, 'every edge of the pass is a different edge, both sin → * ones included');
    // A bad function attribute is named, and the widget shows its first example.
    assert.match(await partText(page, '#bad', 'error'), /^function="x\*\(": .*column 4\. The chart still shows tanh\(x1\*w1 \+ x2\*w2 \+ b\)\.$/);
    assertClean(records);
  } finally {
    await close();
  }
});

for (const scheme of ['light', 'dark']) {
  for (const width of [360, 1280]) {
    test(`axe, no console errors and a readable picture: ${scheme}, ${width} px`, async () => {
      const { page, records, close } = await open({ colorScheme: scheme, viewport: { width, height: 900 } });
      try {
        // Mid-backward-pass on colah's graph: the second contribution into b.
        await page.evaluate(() => {
          const el = document.querySelector('#c');
          el.showStep(el.chart.steps - 1);
        });
        await scrollChartIntoView(page, '#c');
        const box = await page.evaluate(() => document.querySelector('#c').canvas.getBoundingClientRect().width);
        assert.ok(box <= width, `the canvas fits the page (${box} px)`);
        const widthOfPage = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(widthOfPage <= width, `no sideways scrolling (${widthOfPage} px)`);
        await page.evaluate(() => document.querySelector('#g').showStep(13));
        await nextFrame(page);
        await screenshot(page, `calc-graph-${scheme}-${width}`);
        const violations = await runAxe(page);
        assert.equal(violations.length, 0, formatViolations(violations));
        assertClean(records);
      } finally {
        await close();
      }
    });
  }
}

test('its examples are listed while its wasm is still on the way', async () => {
  let release;
  const held = new Promise((r) => (release = r));
  const opened = await openFixture(shared, FIXTURE, HTML, {
    beforeGoto: (page) => page.route('**/*.wasm', async (route) => { await held; await route.continue(); }),
  });
  const { page, records, close } = opened;
  try {
    await page.waitForFunction(() => document.querySelector('#g')?.shadowRoot?.querySelector('select[name=preset]'));
    const options = () => page.$eval('#g', (el) => [...el.shadowRoot.querySelectorAll('select[name=preset] option')].map((o) => o.textContent));
    const listed = await options();
    assert.deepEqual(listed, ['custom', "micrograd's neuron", "colah's e = (a + b)(b + 1)", 'sin x used twice', 'a squared sigmoid']);
    release();
    await waitForWidgets(page);
    assert.deepEqual(await options(), listed, 'the same list once drawn, not a second copy');
    assert.equal(await page.locator('#g select[name=preset]').inputValue(), NEURON);
    assertClean(records);
  } finally {
    release();
    await close();
  }
});

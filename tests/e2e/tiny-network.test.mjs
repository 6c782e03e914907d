// <calc-tiny-network>, chapter 5's 2-2-1 network trained by hand: every number the table
// shows at every stop against closed forms worked out here (σ and the chain rule written
// out in JS by the test, not by the widget), the step and the loss after it, keyboard-only
// use, bad input, console, axe, light and dark, 360 and 1280 px, and the redraw time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowserAndSite, fixtureHtml, openFixture, requireDist, assertClean, waitForWidgets, runAxe, formatViolations,
  colorNear, scrollChartIntoView, partText, nextFrame, stats,
} from './harness.mjs';

requireDist();

const FIXTURE = '__e2e-tiny-network.html';
const FIXTURE_HTML = fixtureHtml(
  'Tiny network',
  `<h1>A tiny network, trained by hand</h1>
<calc-tiny-network id="t"><p>A 2-2-1 network's forward and backward pass, number by number.</p></calc-tiny-network>
<calc-tiny-network id="bad" x1="abc" rate="50" activation="softmax" start="1, 2" steps="-4" stop="9"><p>Bad attributes.</p></calc-tiny-network>`,
);
const T = '#t';
const shared = useBrowserAndSite();

/** Opens the fixture, runs `check(page)`, then requires a page free of errors. */
async function withWidgets(options, check) {
  const { page, records, close } = await openFixture(shared, FIXTURE, FIXTURE_HTML, options);
  try {
    await waitForWidgets(page);
    await scrollChartIntoView(page, T);
    await check(page);
    assertClean(records);
  } finally {
    await close();
  }
}

/** Shows stop `stop` (0-based) as a click on Next or Back would. */
const showStop = (page, stop, selector = T) =>
  page.evaluate(({ s, stop }) => { const el = document.querySelector(s); el.chart.setStop(stop); el.refresh(); }, { s: selector, stop });

// ---- the closed forms: Mazur's numbers, linear output, mse ------------------------------
const sigmoid = (z) => 1 / (1 + Math.exp(-z));
const [x1, x2, y, rate] = [0.05, 0.1, 0.01, 0.5];

/** Every quantity of one training step from parameters p = [w1 w2 w3 w4 b1 b2 w5 w6 b3]. */
function byHand(p) {
  const [w1, w2, w3, w4, b1, b2, w5, w6, b3] = p;
  const z1 = w1 * x1 + w2 * x2 + b1; // 0.15·0.05 + 0.20·0.10 + 0.35 = 0.3775
  const z2 = w3 * x1 + w4 * x2 + b2;
  const h1 = 1 / (1 + Math.exp(-z1));
  const h2 = 1 / (1 + Math.exp(-z2));
  const yHat = w5 * h1 + w6 * h2 + b3;
  const L = (yHat - y) ** 2;
  const dyHat = 2 * (yHat - y);
  const dh1 = w5 * dyHat;
  const dh2 = w6 * dyHat;
  const s1 = h1 * (1 - h1);
  const s2 = h2 * (1 - h2);
  const dz1 = dh1 * s1;
  const dz2 = dh2 * s2;
  const grads = [dz1 * x1, dz1 * x2, dz2 * x1, dz2 * x2, dz1, dz2, dyHat * h1, dyHat * h2, dyHat];
  const stepped = p.map((v, k) => v - rate * grads[k]);
  return { z1, z2, h1, h2, yHat, L, dyHat, dh1, dh2, s1, s2, dz1, dz2, grads, stepped };
}
const START = [0.15, 0.2, 0.25, 0.3, 0.35, 0.35, 0.4, 0.45, 0.6];
const NAMES = ['w₁', 'w₂', 'w₃', 'w₄', 'b₁', 'b₂', 'w₅', 'w₆', 'b₃'];

/** What each stop's table must show, quantity → value, from the hand-worked numbers. */
function expected(stop, p = START) {
  const a = byHand(p);
  const b = byHand(a.stepped);
  switch (stop) {
    case 0: return { 'z₁': a.z1, 'h₁': a.h1, 'z₂': a.z2, 'h₂': a.h2 };
    case 1: return { 'ŷ': a.yHat };
    case 2: return { L: a.L };
    case 3: return { '∂L/∂ŷ': a.dyHat, '∂L/∂w₅': a.grads[6], '∂L/∂w₆': a.grads[7], '∂L/∂b₃': a.grads[8] };
    case 4: return {
      '∂L/∂h₁': a.dh1, 'f′(z₁)': a.s1, '∂L/∂z₁': a.dz1, '∂L/∂w₁': a.grads[0], '∂L/∂w₂': a.grads[1], '∂L/∂b₁': a.grads[4],
      '∂L/∂h₂': a.dh2, 'f′(z₂)': a.s2, '∂L/∂z₂': a.dz2, '∂L/∂w₃': a.grads[2], '∂L/∂w₄': a.grads[3], '∂L/∂b₂': a.grads[5],
    };
    case 5: return Object.fromEntries(NAMES.map((n, k) => [`new ${n}`, a.stepped[k]]));
    case 6: return { 'z₁′': b.z1, 'h₁′': b.h1, 'z₂′': b.z2, 'h₂′': b.h2, 'ŷ′': b.yHat, 'L′': b.L };
  }
}

/** The table's rows: quantity → { rule, numbers, value } (the leading "= " dropped). */
async function table(page, selector = T) {
  return page.evaluate((selector) => {
    const root = document.querySelector(selector).shadowRoot;
    const rows = {};
    for (const tr of root.querySelectorAll('table.numbers tbody tr')) {
      const cell = (c) => tr.querySelector(c).textContent.replace(/^= /, '');
      rows[tr.querySelector('th').textContent] = { rule: cell('.rule'), numbers: cell('.numbers'), value: cell('.value') };
    }
    return rows;
  }, selector);
}

/** A shown number agrees with `want` to its last shown digit (half a unit in the last place). */
function assertShown(text, want, what) {
  const t = text.replace('−', '-');
  const m = /^(-?\d+(?:\.(\d+))?)(?:e([-+]?\d+))?$/.exec(t);
  assert.ok(m, `${what}: ${JSON.stringify(text)} is not a number`);
  const decimals = (m[2] ?? '').length;
  const exponent = Number(m[3] ?? 0);
  const tol = 0.5 * 10 ** (exponent - decimals) * (1 + 1e-9);
  assert.ok(Math.abs(Number(t) - want) <= tol, `${what}: shows ${text}, the closed form is ${want} (±${tol})`);
}

const stopOf = (page, selector = T) => page.evaluate((s) => document.querySelector(s).chart.stop, selector);
const click = (page, name, selector = T) =>
  page.evaluate(({ s, name }) => document.querySelector(s).shadowRoot.querySelector(`button[name=${name}]`).click(), { s: selector, name });

test('every number of every stop matches the closed forms, with the chain-rule formula beside it', async () => {
  await withWidgets({}, async (page) => {
    for (let stop = 0; stop < 7; stop++) {
      assert.equal(await stopOf(page), stop);
      const rows = await table(page);
      for (const [quantity, want] of Object.entries(expected(stop))) {
        assert.ok(rows[quantity], `stop ${stop + 1}: no row ${quantity} in ${Object.keys(rows)}`);
        assertShown(rows[quantity].value, want, `stop ${stop + 1} ${quantity}`);
      }
      if (stop < 6) await click(page, 'next');
    }
    // The formulas are written out with the numbers in: the hand-worked ones.
    await showStop(page, 0);
    let rows = await table(page);
    assert.equal(rows['z₁'].rule, 'w₁·x₁ + w₂·x₂ + b₁');
    assert.equal(rows['z₁'].numbers, '0.15 × 0.05 + 0.2 × 0.1 + 0.35');
    assert.equal(rows['z₁'].value, '0.3775');
    assert.equal(rows['h₁'].numbers, '1/(1 + exp(−0.3775))');
    assert.equal(rows['h₁'].rule, 'σ(z₁) = 1/(1 + exp(−z₁))');
    await showStop(page, 3);
    rows = await table(page);
    const a = byHand(START);
    assert.equal(rows['∂L/∂w₅'].rule, '∂L/∂ŷ · h₁ = 2(ŷ − y) · h₁');
    const [d, h1] = rows['∂L/∂w₅'].numbers.split(' × ');
    assertShown(d, a.dyHat, '∂L/∂ŷ in ∂L/∂w₅');
    assertShown(h1, a.h1, 'h₁ in ∂L/∂w₅');
    await showStop(page, 4);
    rows = await table(page);
    assert.equal(rows['∂L/∂h₁'].rule, 'w₅ · ∂L/∂ŷ (row 1 of W₂ᵀ·∂L/∂ŷ)');
    assert.equal(rows['f′(z₁)'].rule, 'σ′(z₁) = h₁(1 − h₁)');
    assert.equal(rows['∂L/∂z₁'].rule, '∂L/∂h₁ · f′(z₁)');
  });
});

test('the loss after the step is lower, equals the closed form, and Step again lowers it further', async () => {
  await withWidgets({}, async (page) => {
    await showStop(page, 6);
    const a = byHand(START);
    const b = byHand(a.stepped);
    assert.ok(b.L < a.L);
    let rows = await table(page);
    assertShown(rows['L′'].value, b.L, 'L′');
    const [before, after] = rows['L → L′'].value.split(' → ');
    assertShown(before, a.L, 'L before');
    assertShown(after, b.L, 'L after');
    const readout = await partText(page, T, 'readout');
    assert.match(readout, /^Stop 7 of 7\./);
    // Three more steps, each loss against the closed form, each lower than the last.
    let p = a.stepped;
    let last = b.L;
    for (let k = 1; k <= 3; k++) {
      await click(page, 'again');
      const c = byHand(byHand(p).stepped);
      rows = await table(page);
      assertShown(rows['L′'].value, c.L, `L′ after ${k} more steps`);
      assert.ok(c.L < last, `step ${k}: ${c.L} ≥ ${last}`);
      last = c.L;
      p = byHand(p).stepped;
      assert.match(rows['L, step by step'].value, new RegExp(`^${rows['L, step by step'].value.split(' → ')[0].replace('.', '\\.')}`));
      assert.equal(rows['L, step by step'].value.split(' → ').length, k + 2);
    }
    assert.match(await partText(page, T, 'readout'), /L′ = /);
    assert.match(await page.evaluate((s) => document.querySelector(s).shadowRoot.querySelector('.stop-value').textContent, T), /after 3 steps taken/);
    // Reset: the first stop and the starting weights again.
    await click(page, 'reset');
    assert.equal(await stopOf(page), 0);
    assertShown((await table(page))['h₁'].value, a.h1, 'h₁ after reset');
    // A changed starting weight and the steps taken go into the embed code; pasted, the table
    // shows the same numbers (the example's settings are left unsaid).
    await page.evaluate((s) => {
      const w1 = document.querySelector(s).shadowRoot.querySelector('input[name=p0]');
      w1.value = '0.5';
      w1.dispatchEvent(new Event('input'));
    }, T);
    await click(page, 'again');
    await click(page, 'again');
    await showStop(page, 3);
    const code = await page.$eval(T, (el) => el.embedCode());
    assert.match(code, /<calc-tiny-network id="t" start="0\.5, 0\.2, [^"]*" steps="2" stop="4"><\/calc-tiny-network>$/);
    const shownHere = await table(page);
    const pasted = await openFixture(shared, '__e2e-tiny-pasted.html', fixtureHtml('Pasted', code.split('\n').at(-1)));
    try {
      await waitForWidgets(pasted.page);
      assert.deepEqual(await table(pasted.page), shownHere, 'the pasted copy shows the same numbers');
      assertClean(pasted.records, { label: 'pasted tiny network' });
    } finally {
      await pasted.close();
    }
  });
});

test('keyboard only: Tab to the buttons and the diagram, Enter, arrows, Home, End; fields by typing', async () => {
  await withWidgets({}, async (page) => {
    const focused = () => page.evaluate(() => {
      const host = document.activeElement;
      let el = host;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      // Only the first widget's controls count: the second one's come after them.
      return host?.id === 't' ? `${el.localName}${el.name ? `[name=${el.name}]` : ''}` : null;
    });
    const tabTo = async (target, key = 'Tab') => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press(key);
        if ((await focused()) === target) return;
      }
      assert.fail(`Tab never reached ${target}`);
    };
    await tabTo('input[name=x1]');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('0.1');
    const h1 = 1 / (1 + Math.exp(-(0.15 * 0.1 + 0.2 * 0.1 + 0.35)));
    assertShown((await table(page))['h₁'].value, h1, 'h₁ with x₁ = 0.1 typed');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('0.05');
    await tabTo('button[name=next]');
    await page.keyboard.press('Enter');
    assert.equal(await stopOf(page), 1);
    await page.keyboard.press('Space');
    assert.equal(await stopOf(page), 2);
    // The diagram comes before the buttons: back to it.
    await tabTo('canvas', 'Shift+Tab');
    await page.keyboard.press('ArrowRight');
    assert.equal(await stopOf(page), 3);
    await page.keyboard.press('End');
    assert.equal(await stopOf(page), 6);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await stopOf(page), 5);
    await page.keyboard.press('Home');
    assert.equal(await stopOf(page), 0);
    assertShown((await table(page))['h₁'].value, byHand(START).h1, 'h₁ back at x₁ = 0.05');
  });
});

test('bad input shows a message next to the field and keeps the last good state', async () => {
  await withWidgets({}, async (page) => {
    const field = async (name, value) => {
      const input = page.locator(`${T} input[name=${name}]`);
      await input.fill(value);
      return page.evaluate(({ s, name }) => {
        const root = document.querySelector(s).shadowRoot;
        const input = root.querySelector(`input[name=${name}]`);
        return { invalid: input.getAttribute('aria-invalid'), message: root.getElementById(input.getAttribute('aria-describedby')).textContent };
      }, { s: T, name });
    };
    const h1 = byHand(START).h1;
    let r = await field('x1', '');
    assert.equal(r.invalid, 'true');
    assert.equal(r.message, 'x₁ needs a number. The network keeps x₁ = 0.05.');
    r = await field('x1', '500');
    assert.equal(r.message, 'x₁ must be from −100 to 100. The network keeps x₁ = 0.05.');
    assertShown((await table(page))['h₁'].value, h1, 'h₁ kept');
    r = await field('rate', '0');
    assert.match(r.message, /^the learning rate η must be a number from 0\.001 to 10\. The network keeps learning rate η = 0\.5\.$/);
    r = await field('x1', '0.05');
    assert.equal(r.invalid, 'false');
    assert.equal(r.message, '');
    // Bad attributes: said in the widget, the defaults used.
    const note = await partText(page, '#bad', 'attribute-error');
    assert.match(note, /x1="abc" is not a number, so 0\.05 is used\./);
    assert.match(note, /rate="50": the learning rate η must be a number from 0\.001 to 10, so 0\.5 is used\./);
    assert.match(note, /activation="softmax": .*relu, sigmoid, tanh or linear.*, so sigmoid is used\./);
    assert.match(note, /stop="9" should be a whole number from 1 to 7, so 1 is used\./);
    assert.match(note, /start="1, 2": should be 9 numbers, w₁, w₂, w₃, w₄, b₁, b₂, w₅, w₆, b₃, joined by commas, so the example's are used where it does not say\./);
    assert.match(note, /steps="-4" is outside 0 to 1000, so 0 is used\./);
    assertShown((await table(page, '#bad'))['h₁'].value, h1, 'bad attributes: defaults');
    // Steps that run away: a message by the button, and the last good step kept.
    await page.locator(`${T} input[name=rate]`).fill('10');
    const ranAway = await page.evaluate((s) => {
      const el = document.querySelector(s);
      const button = el.shadowRoot.querySelector('button[name=again]');
      const message = el.shadowRoot.getElementById(`${el.uid}-again-error`);
      for (let k = 0; k < 3000 && !message.textContent; k++) button.click();
      return { message: message.textContent, loss: el.chart.loss, after: el.chart.lossAfter, steps: el.chart.steps };
    }, T);
    assert.match(ranAway.message, /the step ran away/);
    assert.ok(Number.isFinite(ranAway.loss) && Number.isFinite(ranAway.after), JSON.stringify(ranAway));
    await page.locator(`${T} input[name=rate]`).fill('0.5');
    await click(page, 'reset');
    assert.equal(await page.evaluate((s) => document.querySelector(s).chart.steps, T), 0);
    assert.equal(await page.evaluate((s) => document.querySelector(s).shadowRoot.querySelector('.walk .error').textContent, T), '');
    // Another activation: tanh's numbers, by hand.
    await page.locator(`${T} select[name=activation]`).selectOption('tanh');
    const z1 = 0.15 * 0.05 + 0.2 * 0.1 + 0.35;
    assertShown((await table(page))['h₁'].value, Math.tanh(z1), 'tanh(z₁)');
    assert.equal((await table(page))['h₁'].numbers, 'tanh(0.3775)');
  });
});

test('the diagram draws each stop in its pass colour; and redraws', async () => {
  await withWidgets({}, async (page) => {
    const point = (x, y) => page.evaluate(({ s, x, y }) => document.querySelector(s).chartToPixel(x, y), { s: T, x, y });
    const colors = await page.evaluate((s) => {
      const el = document.querySelector(s);
      return { curve: el.curveColor, arrow: el.calculus.arrowColor(el.dark) };
    }, T);
    // Stop 1: the edge x₁ → h₁ (height 0.75, columns 0 to 1) in the forward colour.
    let p = await point(0.22, 0.75);
    assert.ok((await colorNear(page, T, p.x, p.y, colors.curve, { radius: 3 })).distance < 40, 'forward edge colour');
    // Stop 5: the same edge dashed, in the backward colour.
    await showStop(page, 4);
    await nextFrame(page);
    assert.ok((await colorNear(page, T, p.x, p.y, colors.arrow, { radius: 8 })).distance < 40, 'backward edge colour');
    // Redraw time over the stops.
    const times = await page.evaluate((s) => {
      const el = document.querySelector(s);
      el.drawTimes.length = 0;
      for (let k = 0; k < 140; k++) {
        el.chart.setStop(k % 7);
        el.drawNow();
      }
      return el.drawTimes;
    }, T);
    const { median, p95 } = stats(times);
    console.log(`tiny network redraw: median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`);
  });
});

for (const colorScheme of ['light', 'dark']) {
  for (const width of [360, 1280]) {
    test(`axe, no console errors, fits, screenshots: ${colorScheme} at ${width} px`, async () => {
      await withWidgets({ colorScheme, viewport: { width, height: 900 } }, async (page) => {
        const violations = await runAxe(page);
        assert.equal(violations.length, 0, formatViolations(violations));
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
        for (const [stop, name] of [[0, 'forward'], [4, 'backward'], [6, 'after-step']]) {
          await showStop(page, stop);
          await nextFrame(page);
          const el = await page.$(T);
          const file = `test-results/screenshots/tiny-network-${name}-${colorScheme}-${width}.png`;
          await el.screenshot({ path: file, animations: 'disabled' });
        }
        const again = await runAxe(page);
        assert.equal(again.length, 0, formatViolations(again));
      });
    });
  }
}

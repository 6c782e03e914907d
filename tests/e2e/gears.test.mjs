// Chapter 5's <calc-gears> against the widget contract (ARCHITECTURE.md) and the chain rule:
// turning gear X by θ turns A by dA/dx·θ, B by dB/dA·dA/dx·θ and C by dC/dx·θ, with the
// expected numbers written here from closed forms (x² → sin → exp at x = 1: dA/dx = 2,
// dB/dA = cos 1, dC/dB = e^{sin 1}). A fixture page holds the widget alone, as a blog post has it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowserAndSite, fixtureHtml, openFixture, requireDist, assertClean, waitForWidgets, runAxe, formatViolations,
  chartPointOnPage, scrollChartIntoView, partText, nextFrame, screenshot, canvasHash,
} from './harness.mjs';

requireDist(); // "build the site first: npm run build"

const FIXTURE = '__e2e-gears.html';
const G = '#g';
const html = (attributes = '') =>
  fixtureHtml('Chapter 5 gears', `<h1>Chapter 5 gears</h1>
<calc-gears id="g" ${attributes}><p>Four gears: turning x turns A, B and C by the chain rule.</p></calc-gears>`);

const shared = useBrowserAndSite();

async function openGears(attributes, options = {}) {
  const opened = await openFixture(shared, FIXTURE, html(attributes), options);
  const widgets = await waitForWidgets(opened.page);
  assert.deepEqual(widgets.map((w) => w.tag), ['calc-gears']);
  await scrollChartIntoView(opened.page, G);
  return opened;
}

/** |actual − expected| ≤ rel·|expected| + abs. */
function near(actual, expected, what, { rel = 1e-12, abs = 1e-12 } = {}) {
  assert.ok(
    Number.isFinite(actual) && Math.abs(actual - expected) <= rel * Math.abs(expected) + abs,
    `${what}: ${actual} should be ${expected}`,
  );
}

const state = (page) =>
  page.evaluate((sel) => {
    const g = document.querySelector(sel);
    return { turns: g.turns, locals: g.locals, values: g.values, check: g.check, stoppedAt: g.stoppedAt, drawTimes: g.drawTimes };
  }, G);

const focusCanvas = (page) =>
  page.evaluate((sel) => document.querySelector(sel).shadowRoot.querySelector('canvas[part~=chart]').focus(), G);

/** Types into a field of the widget as a reader would (input and change events). */
async function setField(page, name, value) {
  await page.evaluate(
    ({ sel, name, value }) => {
      const input = document.querySelector(sel).shadowRoot.querySelector(`[name=${name}]`);
      input.value = String(value);
      input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    },
    { sel: G, name, value },
  );
  await nextFrame(page);
}

const fieldError = (page, name) =>
  page.evaluate(
    ({ sel, name }) => {
      const root = document.querySelector(sel).shadowRoot;
      const input = root.querySelector(`[name=${name}]`);
      const message = root.getElementById(input.getAttribute('aria-describedby'));
      return { text: message.textContent.trim(), invalid: input.getAttribute('aria-invalid'), part: message.getAttribute('part') };
    },
    { sel: G, name },
  );

async function axeAndClean(page, records, label) {
  const violations = await runAxe(page);
  assert.equal(violations.length, 0, `${label}: ${formatViolations(violations)}`);
  assertClean(records, { label });
}

// ------------------------------------------------------------------------------------------

for (const colorScheme of ['light', 'dark']) {
  for (const width of [360, 1280]) {
    test(`calc-gears draws, describes itself and passes axe (${colorScheme}, ${width} px)`, { timeout: 30_000 }, async () => {
      const { page, records, close } = await openGears('', { colorScheme, viewport: { width, height: 900 } });
      try {
        const canvas = await page.evaluate((sel) => {
          const g = document.querySelector(sel);
          const c = g.shadowRoot.querySelector('canvas[part~=chart]');
          const box = g.shadowRoot.querySelector('.widget').getBoundingClientRect();
          return { role: c.getAttribute('role'), label: c.getAttribute('aria-label'), tabIndex: c.tabIndex, ratio: c.width / c.clientWidth, right: box.right, color: g.curveColor };
        }, G);
        assert.equal(canvas.role, 'img');
        assert.match(canvas.label, /^Four gears in a row, x → A → B → C, for C = exp\(sin\(x\^2\)\) at x = 1\./);
        assert.ok(canvas.tabIndex >= 0, 'the gears take focus for the keyboard');
        assert.ok(canvas.right <= width, `the widget fits in ${width} px (its right edge is at ${canvas.right})`);
        assert.match(canvas.color, /^#[0-9a-f]{6}$/);
        // Gear X's centre is in X's colour (its hub).
        const centre = await page.evaluate((sel) => document.querySelector(sel).chartToPixel(0.5, 0), G);
        assert.ok(centre.x > 0 && centre.y > 0, JSON.stringify(centre));
        await focusCanvas(page);
        for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
        await nextFrame(page);
        await screenshot(page, `gears-${colorScheme}-${width}`);
        await axeAndClean(page, records, `${colorScheme} ${width}`);
      } finally {
        await close();
      }
    });
  }
}

test('calc-gears: turning X by keyboard turns each gear by the product of the local derivatives', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openGears();
  try {
    const before = await canvasHash(page, G);
    await focusCanvas(page);
    // Six steps of 5° and one of 45° (Shift): X turns by 75°.
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('ArrowLeft'); // and back 5°: 70°
    await nextFrame(page);
    const s = await state(page);
    const [dA, dB, dC] = [2, Math.cos(1), Math.exp(Math.sin(1))];
    near(s.values[0], 1, 'x');
    near(s.values[1], 1, 'A = x²');
    near(s.values[2], Math.sin(1), 'B = sin A');
    near(s.values[3], Math.exp(Math.sin(1)), 'C = exp B');
    near(s.locals[0], dA, 'dA/dx = 2x');
    near(s.locals[1], dB, 'dB/dA = cos A');
    near(s.locals[2], dC, 'dC/dB = exp B');
    const theta = 70;
    near(s.turns[0], theta, 'X');
    near(s.turns[1], dA * theta, 'A turns by dA/dx·θ');
    near(s.turns[2], dA * dB * theta, 'B turns by dB/dA·dA/dx·θ');
    near(s.turns[3], dA * dB * dC * theta, 'C turns by dC/dx·θ');
    // The product against the engine's dC/dx of exp(sin(x^2)), both against the closed form.
    near(s.check.product, dA * dB * dC, 'the product of the ratios');
    near(s.check.whole, dA * dB * dC, "the engine's dC/dx");
    assert.equal(s.check.agrees, true);
    assert.equal(s.stoppedAt, -1);
    const readout = await partText(page, G, 'readout');
    assert.match(readout, /dA\/dx = 2, dB\/dA = 0\.5403, dC\/dB = 2\.3198\./);
    assert.match(readout, /= 2\.50676153499; the engine's dC\/dx of exp\(sin\(x\^2\)\) = 2\.50676153499 ✓/);
    assert.match(readout, /X turned \+70\.0°, so A turned \+140\.0°, B \+75\.6° and C \+175\.5°/);
    assert.notEqual(await canvasHash(page, G), before, 'the gears are redrawn at their new angles');
    // The turn goes with the widget: in its embed code, and pasted, the gears stand as here.
    const code = await page.$eval(G, (el) => el.embedCode());
    assert.match(code, / x="1" turn="70"><\/calc-gears>$/);
    const pasted = await openGears('x="1" turn="70"');
    try {
      const again = await state(pasted.page);
      for (let i = 0; i < 4; i++) near(again.turns[i], s.turns[i], `gear ${i} pasted`);
      assert.match(await partText(pasted.page, G, 'readout'), /X turned \+70\.0°, so A turned \+140\.0°, B \+75\.6° and C \+175\.5°/);
    } finally {
      await pasted.close();
    }
    // Home turns every gear back.
    await page.keyboard.press('Home');
    assert.deepEqual((await state(page)).turns, [0, 0, 0, 0]);
    // Each turn redrew (their timing is the bench's).
    assert.ok(s.drawTimes.length > 1);
    assertClean(records, { label: 'keyboard' });
  } finally {
    await close();
  }
});

test('calc-gears: dragging round gear X turns it, and the others by their ratios', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openGears();
  try {
    const centre = await chartPointOnPage(page, G, 0.5, 0);
    const r = 30;
    await page.mouse.move(centre.x + r, centre.y);
    await page.mouse.down();
    // A quarter turn anticlockwise on screen: from the right of the centre to above it.
    for (let i = 1; i <= 12; i++) {
      const a = (Math.PI / 2) * (i / 12);
      await page.mouse.move(centre.x + r * Math.cos(a), centre.y - r * Math.sin(a));
    }
    await page.mouse.up();
    await nextFrame(page);
    const s = await state(page);
    assert.ok(Math.abs(s.turns[0] - 90) < 3, `X turned ${s.turns[0]}°, about 90°`);
    const [dA, dB, dC] = [2, Math.cos(1), Math.exp(Math.sin(1))];
    near(s.turns[3], dA * dB * dC * s.turns[0], 'C turns by dC/dx times X');
    // A press outside gear X's column turns nothing.
    const farRight = await chartPointOnPage(page, G, 3.5, 0);
    await page.mouse.move(farRight.x + r, farRight.y);
    await page.mouse.down();
    await page.mouse.move(farRight.x, farRight.y - r, { steps: 5 });
    await page.mouse.up();
    assert.equal((await state(page)).turns[0], s.turns[0]);
    assertClean(records, { label: 'drag' });
  } finally {
    await close();
  }
});

test('calc-gears: a negative link turns its gear backwards, and C with it', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openGears('links="x^2; cos(A); exp(B)"');
  try {
    await focusCanvas(page);
    await page.keyboard.press('ArrowUp'); // +5°
    const s = await state(page);
    // dB/dA = −sin 1 < 0: B turns against A and X; dC/dB = e^{cos 1} > 0 keeps C with B.
    const [dA, dB, dC] = [2, -Math.sin(1), Math.exp(Math.cos(1))];
    near(s.locals[1], dB, 'dB/dA = −sin A');
    near(s.turns[1], dA * 5, 'A');
    near(s.turns[2], dA * dB * 5, 'B');
    near(s.turns[3], dA * dB * dC * 5, 'C');
    assert.ok(s.turns[2] < 0 && s.turns[3] < 0, 'B and C turn backwards');
    const readout = await partText(page, G, 'readout');
    assert.match(readout, /dB\/dA < 0: B turns against A\. So C turns against X\./);
    assert.equal(await page.evaluate((sel) => document.querySelector(sel).shadowRoot.querySelector('select[name=preset]').value, G), 'x^2; cos(A); exp(B)');
    assertClean(records, { label: 'negative' });
  } finally {
    await close();
  }
});

test('calc-gears: where a local derivative is 0 the chain stops and every later gear stands still', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openGears();
  try {
    await setField(page, 'x', 0);
    await focusCanvas(page);
    await page.keyboard.press('ArrowRight');
    let s = await state(page);
    assert.equal(s.stoppedAt, 0, 'dA/dx = 2x = 0 stops the chain at A');
    assert.deepEqual(s.turns, [5, 0, 0, 0]);
    assert.deepEqual([s.check.product, s.check.whole, s.check.agrees], [0, 0, true]);
    assert.match(await partText(page, G, 'readout'), /dA\/dx = 0 here: the chain stops, so A, B, C stand still\./);
    assert.match(await page.evaluate((sel) => document.querySelector(sel).shadowRoot.querySelector('canvas').getAttribute('aria-label'), G), /chain stops/);
    // relu below 0: the preset stops at A too; further along, relu(B − 1) stops C alone.
    await setField(page, 'preset', 'relu(x); 2A; relu(B - 1)');
    await setField(page, 'x', 0.25);
    s = await state(page);
    assert.equal(s.stoppedAt, 2, 'relu(B − 1) is flat for B = 0.5 < 1');
    await page.keyboard.press('ArrowRight');
    s = await state(page);
    assert.deepEqual(s.turns, [5, 5, 10, 0]);
    assert.match(await partText(page, G, 'readout'), /dC\/dB = 0 here: the chain stops, so C stands still\./);
    assertClean(records, { label: 'zero' });
  } finally {
    await close();
  }
});

test('calc-gears: a bad link shows its message beside its field and keeps the last good chain', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openGears();
  try {
    const good = await state(page);
    await setField(page, 'link-b', 'sin(A');
    let e = await fieldError(page, 'link-b');
    assert.match(e.text, /\. The gears still use sin\(A\)\.$/);
    assert.equal(e.invalid, 'true');
    assert.match(e.part, /\berror\b/);
    assert.deepEqual((await state(page)).locals, good.locals, 'the chain is unchanged');
    await setField(page, 'link-b', 'A*y');
    e = await fieldError(page, 'link-b');
    assert.match(e.text, /one variable.*A, y.*The gears still use sin\(A\)\./);
    // The other fields are untouched and the chain still turns.
    assert.equal((await fieldError(page, 'link-a')).text, '');
    await focusCanvas(page);
    await page.keyboard.press('ArrowRight');
    near((await state(page)).turns[3], 2 * Math.cos(1) * Math.exp(Math.sin(1)) * 5, 'C still turns by the old chain');
    // Any one variable name will do: sin(u) is the same link.
    await setField(page, 'link-b', 'sin(u)');
    e = await fieldError(page, 'link-b');
    assert.deepEqual([e.text, e.invalid], ['', 'false']);
    near((await state(page)).locals[1], Math.cos(1), 'dB/dA with B written in u');
    // An x field left empty (a number field holds "" for what is not yet a number, "1e" say).
    await setField(page, 'x', '');
    assert.match((await fieldError(page, 'x')).text, /x must be a number/);
    assertClean(records, { label: 'bad link' });
  } finally {
    await close();
  }
});

test('calc-gears: bad attributes are reported and the defaults used', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openGears('links="x^2; sin(A)" x="abc"');
  try {
    const text = await partText(page, G, 'attribute-error');
    assert.match(text, /links="x\^2; sin\(A\)" should hold three formulas separated by ";"/);
    assert.match(text, /x="abc" is not a number, so 1 is used\./);
    assert.deepEqual((await state(page)).values.slice(0, 2), [1, 1]);
    // A link of the attribute that does not parse: its field says so, naming the attribute.
    await page.evaluate((sel) => document.querySelector(sel).setAttribute('links', 'x^2; sin(A); exp(B'), G);
    assert.match((await fieldError(page, 'link-c')).text, /^links="x\^2; sin\(A\); exp\(B": .*The gears still use exp\(B\)\.$/);
    assertClean(records, { label: 'attributes' });
  } finally {
    await close();
  }
});

test('calc-gears: keyboard only: fields, preset, gears and the x slider', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openGears();
  try {
    const focused = () =>
      page.evaluate((sel) => {
        const a = document.querySelector(sel).shadowRoot.activeElement;
        return a ? a.getAttribute('name') ?? a.tagName.toLowerCase() : null;
      }, G);
    // Tab starts from a button just before the widget, as from the text before it. Left to
    // itself, Chromium 148 starts sequential navigation near what was last scrolled into
    // view (here the chart), which is the browser's choice, not the widget's order.
    await page.evaluate((sel) => {
      const before = document.createElement('button');
      before.textContent = 'before';
      document.querySelector(sel).before(before);
      before.focus();
    }, G);
    await page.keyboard.press('Tab');
    const order = [await focused()];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused());
    }
    assert.deepEqual(order, ['link-a', 'link-b', 'link-c', 'preset', 'canvas', 'x-slider', 'x']);
    // Back to the gears: turn X with the keyboard.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(), 'canvas');
    await page.keyboard.press('ArrowUp');
    assert.equal((await state(page)).turns[0], 5);
    // The slider moves x by 0.01: the turn so far is kept where it took the gears, and counts again from 0.
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowRight');
    const s = await state(page);
    near(s.values[0], 1.01, 'x after one slider step');
    assert.deepEqual(s.turns, [0, 0, 0, 0]);
    near(s.locals[0], 2.02, 'dA/dx = 2x at 1.01');
    assertClean(records, { label: 'keyboard only' });
  } finally {
    await close();
  }
});

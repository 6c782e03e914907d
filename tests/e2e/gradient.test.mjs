// <calc-gradient> (chapter 3's compass) against mathematics: the field of w² + b² points away
// from the minimum, the np.gradient pitfall swaps the components, level lines lie on their
// level, and the probe reads the exact gradient.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowserAndSite, fixtureHtml, openFixture, requireDist, assertClean, waitForWidgets, runAxe, formatViolations,
  partText, waitUntil, colorNear, scrollChartIntoView, screenshot, nextFrame,
} from './harness.mjs';

requireDist();

const FIXTURE = '__e2e-gradient.html';
const FIXTURE_HTML = fixtureHtml(
  'Gradient widget',
  `<h1>The gradient</h1>
<calc-gradient id="g" function="w^2 + b^2" w="3" b="4"><p>Level lines and gradient arrows of a bowl.</p></calc-gradient>`,
);
const G = '#g';

const shared = useBrowserAndSite();

async function openGradient(options = {}) {
  const opened = await openFixture(shared, FIXTURE, FIXTURE_HTML, options);
  await waitForWidgets(opened.page);
  await scrollChartIntoView(opened.page, G);
  return opened;
}

/** The arrows as drawn: [[w, b, dw, db], …], of the map or (`which` = 'pitfallArrows') of the pitfall's map beside it. */
const arrows = (page, which = 'arrows') =>
  page.evaluate(({ sel, which }) => {
    const flat = [...document.querySelector(sel).chart[which]()];
    const out = [];
    for (let k = 0; k < flat.length; k += 4) out.push(flat.slice(k, k + 4));
    return out;
  }, { sel: G, which });

/**
 * Whether the arrow colour shows 2 to 6 CSS px from the grid point (w, b) along the screen
 * direction (dx, dy) (y down), on the map (`frame` 'frame', canvas part 'chart') or on the
 * pitfall's ('pitfallFrame', 'pitfall'): where that grid point's arrow runs.
 */
const arrowAlong = (page, frame, part, w, b, dx, dy) =>
  page.evaluate(({ sel, frame, part, w, b, dx, dy }) => {
    const el = document.querySelector(sel);
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(el.calculus.arrowColor(false).slice(i, i + 2), 16));
    const canvas = el.shadowRoot.querySelector(`canvas[part~=${part}]`);
    // The frame is plain data (crates/calculus-wasm/src/chart/frame.rs): map (w, b) linearly.
    const f = el.chart[frame];
    const x = f.left + ((w - f.x[0]) / (f.x[1] - f.x[0])) * (f.right - f.left);
    const y = f.bottom - ((b - f.y[0]) / (f.y[1] - f.y[0])) * (f.bottom - f.top);
    const ratio = canvas.width / canvas.clientWidth;
    const copy = document.createElement('canvas');
    [copy.width, copy.height] = [canvas.width, canvas.height];
    const ctx = copy.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(canvas, 0, 0);
    const length = Math.hypot(dx, dy);
    for (let t = 2; t <= 6; t += 0.5) {
      const px = Math.round((x + (t * dx) / length) * ratio);
      const py = Math.round((y + (t * dy) / length) * ratio);
      const [pr, pg, pb] = ctx.getImageData(px, py, 1, 1).data;
      if (Math.abs(pr - r) + Math.abs(pg - g) + Math.abs(pb - bl) < 60) return true;
    }
    return false;
  }, { sel: G, frame, part, w, b, dx, dy });

test('calc-gradient: the bowl\'s field is exactly (2w, 2b) and points away from the minimum', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openGradient();
  try {
    const field = await arrows(page);
    assert.equal(field.length, 11 * 11, 'eleven arrows per side by default');
    for (const [w, b, dw, db] of field) {
      assert.deepEqual([dw, db], [2 * w, 2 * b], `∇f at (${w}, ${b})`);
      // ∇f · (w, b) = 2(w² + b²) > 0 everywhere but the origin: uphill is away from it.
      if (w !== 0 || b !== 0) assert.ok(dw * w + db * b > 0, `uphill at (${w}, ${b})`);
    }
    // The arrows are drawn in the arrow colour: the one at (10, 0) starts at its grid point.
    const color = await page.evaluate(() => document.querySelector('calc-gradient').calculus.arrowColor(false));
    const start = await page.evaluate((sel) => document.querySelector(sel).chartToPixel(10, 0), G);
    assert.ok(await colorNear(page, G, start.x + 3, start.y, color, { radius: 3 }), `arrow colour ${color} near (10, 0)`);
    // −∇f reverses every arrow.
    await page.evaluate((sel) => document.querySelector(sel).shadowRoot.querySelector('input[name=descent]').click(), G);
    for (const [w, b, dw, db] of await arrows(page)) {
      // === rather than deepEqual: at w = 0, −2w is −0, which equals 0.
      assert.ok(dw === -2 * w && db === -2 * b, `−∇f at (${w}, ${b}) is (${dw}, ${db})`);
    }
    assertClean(records, { label: 'gradient field' });
    await screenshot(page, 'calc-gradient-light');
  } finally {
    await close();
  }
});

test('calc-gradient: the np.gradient pitfall, beside the exact field, swaps the components and counts per grid step', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openGradient();
  try {
    const visible = () => page.evaluate((sel) => {
      const canvas = document.querySelector(sel).shadowRoot.querySelector('canvas[part~=pitfall]');
      return canvas.getClientRects().length > 0 && canvas.clientWidth > 0;
    }, G);
    assert.equal(await visible(), false, 'no pitfall map until the toggle is on');
    await page.evaluate((sel) => document.querySelector(sel).shadowRoot.querySelector('input[name=pitfall]').click(), G);
    // 11 arrows on [−10, 10]: a grid step of 2. Inside, np.gradient(Z)[0] (along the rows, b)
    // is ((b + 2)² − (b − 2)²)/2 = 4b and np.gradient(Z)[1] is 4w, exactly; unpacked as
    // dZ_dw, dZ_db the arrow at (w, b) is (4b, 4w): the swapped, per-step field.
    for (const [w, b, dw, db] of await arrows(page, 'pitfallArrows')) {
      if (Math.abs(w) === 10 || Math.abs(b) === 10) continue; // one-sided ends
      assert.deepEqual([dw, db], [4 * b, 4 * w], `pitfall arrow at (${w}, ${b})`);
    }
    // The map beside it still shows the exact field, (2w, 2b).
    for (const [w, b, dw, db] of await arrows(page)) assert.deepEqual([dw, db], [2 * w, 2 * b], `exact arrow at (${w}, ${b})`);
    // Both pictures are drawn, side by side, each with its title. At (6, −6) the exact arrow
    // (12, −12) runs right and down the screen; the pitfall's (−24, 24) runs left and up.
    assert.ok(await waitUntil(visible, (v) => v), 'the pitfall map is shown');
    await page.waitForFunction((sel) => !!document.querySelector(sel).chart.pitfallFrame, G);
    await nextFrame(page);
    const boxes = await page.evaluate((sel) => [...document.querySelector(sel).shadowRoot.querySelectorAll('canvas')].map((c) => {
      const r = c.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, label: c.getAttribute('aria-label'), title: c.closest('.map').querySelector('.panel-title').textContent };
    }), G);
    const [main, wrong] = boxes;
    assert.ok(wrong.left >= main.right - 1 && Math.abs(wrong.top - main.top) < 1, `side by side: ${JSON.stringify(boxes)}`);
    assert.equal(main.title, 'exact ∇f (correct)');
    assert.equal(wrong.title, 'dZ_dw, dZ_db = np.gradient(Z) (wrong)');
    assert.match(wrong.label, /np\.gradient/);
    assert.ok(await arrowAlong(page, 'frame', 'chart', 6, -6, 1, 1), 'exact arrow at (6, −6) runs right and down');
    assert.ok(await arrowAlong(page, 'pitfallFrame', 'pitfall', 6, -6, -1, -1), 'pitfall arrow at (6, −6) runs left and up');
    // The probe still works on the main map: a click at (−4, 2) there moves it.
    const at = await page.evaluate((sel) => {
      const el = document.querySelector(sel);
      const box = el.shadowRoot.querySelector('canvas[part~=chart]').getBoundingClientRect();
      const p = el.chartToPixel(-4, 2);
      return { x: box.left + p.x, y: box.top + p.y };
    }, G);
    await page.mouse.click(at.x, at.y);
    assert.match(
      await waitUntil(() => partText(page, G, 'readout'), (t) => t.includes('(-4.00, 2.00)')),
      /^at \(w, b\) = \(-4\.00, 2\.00\): f = 20\.00, ∇f = \[∂f\/∂w, ∂f\/∂b\] = \[-8\.00, 4\.00\]/,
    );
    assertClean(records, { label: 'pitfall' });
    await screenshot(page, 'calc-gradient-pitfall');
  } finally {
    await close();
  }
});

test('calc-gradient: every level line lies on its level', { timeout: 30_000 }, async () => {
  const { page, close } = await openGradient();
  try {
    const lines = await page.evaluate((sel) => {
      const chart = document.querySelector(sel).chart;
      return [...chart.levels()].map((level, k) => [level, [...chart.contourPoints(k)]]);
    }, G);
    assert.ok(lines.length >= 10, `about 20 levels, got ${lines.length}`);
    // Traced on an 81 × 81 grid of [−10, 10]²: cells of h = 0.25. Linear interpolation of w²
    // along a cell edge is off by at most h²/4, so w² + b² is off by at most h²/4 (only one
    // coordinate varies along an edge): 0.015625.
    const tolerance = 0.25 ** 2 / 4;
    for (const [level, flat] of lines) {
      assert.ok(flat.length > 0, `level ${level} has points`);
      for (let k = 0; k < flat.length; k += 2) {
        const [w, b] = [flat[k], flat[k + 1]];
        assert.ok(Math.abs(w * w + b * b - level) <= tolerance + 1e-9, `(${w}, ${b}) on level ${level}`);
      }
    }
  } finally {
    await close();
  }
});

test('calc-gradient: the probe reads the exact gradient and moves by keyboard, or to where its fields say', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openGradient();
  try {
    // At (3, 4): ∇f = (6, 8), ‖∇f‖ = √(36 + 64) = 10.
    assert.equal(
      await partText(page, G, 'readout'),
      'at (w, b) = (3.00, 4.00): f = 25.00, ∇f = [∂f/∂w, ∂f/∂b] = [6.00, 8.00], ‖∇f‖ = 10.00',
    );
    await page.locator(`${G} canvas[part~=chart]`).first().focus();
    await page.keyboard.press('ArrowRight'); // w += 20/40
    // At (3.5, 4): f = 12.25 + 16 = 28.25, ∇f = (7, 8), ‖∇f‖ = √113 = 10.630…
    const text = await waitUntil(() => partText(page, G, 'readout'), (t) => t.includes('3.50'));
    assert.equal(text, 'at (w, b) = (3.50, 4.00): f = 28.25, ∇f = [∂f/∂w, ∂f/∂b] = [7.00, 8.00], ‖∇f‖ = 10.63');
    // Its fields followed; typed, the probe goes there (a screen reader's way to move it).
    const field = (name) => page.locator(`${G} input[name=${name}]`);
    assert.equal(await field('w').inputValue(), '3.5');
    await field('b').fill('-2');
    // At (3.5, −2): f = 12.25 + 4 = 16.25, ∇f = (7, −4), ‖∇f‖ = √65 = 8.062…
    assert.equal(
      await waitUntil(() => partText(page, G, 'readout'), (t) => t.includes('-2.00')),
      'at (w, b) = (3.50, -2.00): f = 16.25, ∇f = [∂f/∂w, ∂f/∂b] = [7.00, -4.00], ‖∇f‖ = 8.06',
    );
    // Typed, exactly there (pointed at, it sits on the map's grid of 0.05).
    await field('w').fill('3.333');
    assert.match(await page.$eval(G, (el) => el.embedCode()), / w="3\.333" b="-2"/);
    await field('w').fill('3.5');
    // Off the map is refused beside the field, and the probe stays.
    await field('w').fill('11');
    assert.equal(await field('w').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator(`${G} #${await page.$eval(G, (el) => el.uid)}-w-error`).textContent(), /^Type a number from −10 to 10: the map.s range\.$/);
    assert.match(await partText(page, G, 'readout'), /^at \(w, b\) = \(3\.50, -2\.00\)/);
    // Moved by the keyboard again, the refused text and its message go.
    await page.locator(`${G} canvas[part~=chart]`).first().focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await field('w').inputValue(), '3');
    assert.equal(await field('w').getAttribute('aria-invalid'), 'false');
    // The mouse passing over the map shows the probe where it points; leaving, it goes back to
    // where it was put, and that is what a link and the embed code keep.
    const box = await page.locator(`${G} canvas[part~=chart]`).first().boundingBox();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.2);
    assert.doesNotMatch(await partText(page, G, 'readout'), /^at \(w, b\) = \(3\.00, -2\.00\)/, 'hovering shows the probe where the mouse is');
    await page.mouse.move(box.x + box.width + 200, box.y - 100);
    assert.match(await waitUntil(() => partText(page, G, 'readout'), (t) => t.includes('(3.00, -2.00)')), /^at \(w, b\) = \(3\.00, -2\.00\)/);
    const code = await page.$eval(G, (el) => el.embedCode());
    assert.match(code, / w="3" b="-2"/);
    assert.doesNotMatch(code, /arrows=|pitfall/, 'what the reader did not change is not written');
    // The pitfall beside it is kept too.
    await page.locator(`${G} input[name=pitfall]`).check();
    assert.match(await page.$eval(G, (el) => el.embedCode()), / pitfall>/);
    assert.match(await page.$eval(G, (el) => el.linkToView()), /g\.pitfall=(&|$)/);
    const violations = await runAxe(page);
    assert.equal(violations.length, 0, formatViolations(violations));
    assertClean(records, { label: 'probe' });
  } finally {
    await close();
  }
});

test('calc-gradient: bad input is refused and the map kept; HiDPI canvas', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openGradient({ deviceScaleFactor: 2 });
  try {
    const ratio = await page.evaluate((sel) => {
      const c = document.querySelector(sel).shadowRoot.querySelector('canvas');
      return c.width / c.clientWidth;
    }, G);
    assert.ok(Math.abs(ratio - 2) < 0.02, `backing store ratio ${ratio} at devicePixelRatio 2`);
    for (const [bad, why] of [['w^', /\S/], ['x*y*z', /two variables/], ['1/0', /^1\/0 has no finite value anywhere on the chart: there is nothing to draw\./]]) {
      await page.locator(`${G} input[name=function]`).fill(bad);
      const message = await waitUntil(() => partText(page, G, 'error'), (t) => !!t);
      assert.match(message, why, `${bad}: ${message}`);
      // Still the bowl: ∇f = (2w, 2b) at the probe (3, 4).
      assert.match(await partText(page, G, 'readout'), /\[6\.00, 8\.00\], ‖∇f‖ = 10\.00$/);
    }
    assertClean(records, { label: 'gradient hidpi' });
  } finally {
    await close();
  }
});

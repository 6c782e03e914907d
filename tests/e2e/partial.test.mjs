// <calc-partial> (chapter 2's slicer): the slice's readout is the exact partial derivative,
// and holding the other variable fixed slices the other way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowserAndSite, fixtureHtml, openFixture, requireDist, assertClean, waitForWidgets, partText, waitUntil, runAxe, formatViolations,
  scrollChartIntoView, canvasHash, nextFrame,
} from './harness.mjs';

requireDist();

const FIXTURE = '__e2e-partial.html';
const FIXTURE_HTML = fixtureHtml(
  'Partial derivative widget',
  `<h1>Partial derivatives</h1>
<calc-partial id="p" function="w^2 + b^2" slice="b" at="5"><p>A loss surface and one slice of it.</p></calc-partial>`,
);
const P = '#p';

const shared = useBrowserAndSite();

test('calc-partial: the slice reads ∂f/∂w = 2w with b held, and ∂f/∂b = 2b the other way', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openFixture(shared, FIXTURE, FIXTURE_HTML);
  try {
    await waitForWidgets(page);
    // f(w, b) = w² + b² sliced at b = 5, point w = 3: f = 9 + 25 = 34, ∂f/∂w = 2·3 = 6.
    assert.equal(await partText(page, P, 'readout'), '∂f/∂w at (w, b) = (3.00, 5.00) = 6.00, with b held at 5.00; f = 34.00');
    // Another slice, b = −2: the slope along w does not depend on b (still 6); f = 9 + 4 = 13.
    await page.evaluate((sel) => document.querySelector(sel).setAttribute('at', '-2'), P);
    assert.equal(
      await waitUntil(() => partText(page, P, 'readout'), (t) => t.includes('-2.00')),
      '∂f/∂w at (w, b) = (3.00, -2.00) = 6.00, with b held at -2.00; f = 13.00',
    );
    // Slice the other way through the same point: w held at 3, the point at b = −2:
    // ∂f/∂b = 2·(−2) = −4, f = 9 + 4 = 13.
    await page.evaluate((sel) => document.querySelector(sel).shadowRoot.querySelector('input[name=other]').click(), P);
    assert.equal(
      await waitUntil(() => partText(page, P, 'readout'), (t) => t.startsWith('∂f/∂b')),
      '∂f/∂b at (w, b) = (3.00, -2.00) = -4.00, with w held at 3.00; f = 13.00',
    );
    // Back to b held at 5, then the point moved on the 2D slice by keyboard: 20 steps of
    // (10 − (−10))/200 = 0.1 take w from 3 to 5, where ∂f/∂w = 10 and f = 25 + 25 = 50; the
    // surface marks the same point, in the point colour, at (5, 5, 50).
    await page.evaluate((sel) => {
      const el = document.querySelector(sel);
      el.shadowRoot.querySelector('input[name=other]').click();
      el.setAttribute('at', '5');
    }, P);
    await page.locator(`${P} canvas[part~=slice]`).focus();
    for (let k = 0; k < 20; k++) await page.keyboard.press('ArrowRight');
    assert.equal(
      await waitUntil(() => partText(page, P, 'readout'), (t) => t.includes('(5.00, 5.00)')),
      '∂f/∂w at (w, b) = (5.00, 5.00) = 10.00, with b held at 5.00; f = 50.00',
    );
    // Its field followed; typed, the point goes there: w = −1.5, ∂f/∂w = −3, f = 2.25 + 25.
    const point = page.locator(`${P} input[name=point]`);
    assert.equal(await point.inputValue(), '5');
    await point.fill('-1.5');
    assert.equal(
      await waitUntil(() => partText(page, P, 'readout'), (t) => t.includes('-1.50')),
      '∂f/∂w at (w, b) = (-1.50, 5.00) = -3.00, with b held at 5.00; f = 27.25',
    );
    await point.fill('20');
    assert.equal(await point.getAttribute('aria-invalid'), 'true', 'off the slice is refused');
    await page.locator(`${P} canvas[part~=slice]`).focus();
    for (let k = 0; k < 65; k++) await page.keyboard.press('ArrowRight');
    assert.equal(await point.getAttribute('aria-invalid'), 'false', 'moved another way, the refusal goes');
    assert.equal(
      await waitUntil(() => partText(page, P, 'readout'), (t) => t.includes('(5.00, 5.00)')),
      '∂f/∂w at (w, b) = (5.00, 5.00) = 10.00, with b held at 5.00; f = 50.00',
    );
    await new Promise((r) => setTimeout(r, 100));
    const marked = await page.evaluate((sel) => {
      const el = document.querySelector(sel);
      const canvas = el.shadowRoot.querySelector('canvas[part~=chart]');
      const ratio = canvas.width / canvas.clientWidth;
      const [x, y] = el.chart.toPixel(5, 5);
      const copy = document.createElement('canvas');
      [copy.width, copy.height] = [canvas.width, canvas.height];
      const ctx = copy.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(canvas, 0, 0);
      const [r, g, b] = ctx.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
      return [r, g, b];
    }, P);
    // #cc79a7, the point colour of the light theme (chart/theme.rs).
    assert.ok(Math.abs(marked[0] - 0xcc) + Math.abs(marked[1] - 0x79) + Math.abs(marked[2] - 0xa7) < 40, `point colour at (5, 5): ${marked}`);
    // Both canvases are labelled images, and the page is accessible and clean.
    const labels = await page.evaluate((sel) => [...document.querySelector(sel).shadowRoot.querySelectorAll('canvas')].map((c) => [c.getAttribute('role'), c.getAttribute('aria-label')]), P);
    for (const [role, label] of labels) assert.ok(role === 'img' && label, `canvas ${role} ${label}`);
    const violations = await runAxe(page);
    assert.equal(violations.length, 0, formatViolations(violations));
    assertClean(records, { label: 'partial' });
  } finally {
    await close();
  }
});

test('calc-partial: the red slice is drawn on the surface; bad input is refused; HiDPI canvases', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openFixture(shared, FIXTURE, FIXTURE_HTML, { deviceScaleFactor: 2 });
  try {
    await waitForWidgets(page);
    // The slice b = 5 of w² + b² in the slice colour, somewhere along w (parts of it may be
    // hidden behind the bowl, so several points are tried).
    const found = await page.evaluate(async (sel) => {
      const el = document.querySelector(sel);
      const color = el.calculus.arrowColor(false);
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
      const canvas = el.shadowRoot.querySelector('canvas[part~=chart]');
      const ratio = canvas.width / canvas.clientWidth;
      // Read a copy, so the widget's own canvas is not flagged for repeated readback.
      const copy = document.createElement('canvas');
      [copy.width, copy.height] = [canvas.width, canvas.height];
      const ctx = copy.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(canvas, 0, 0);
      let hits = 0;
      for (const w of [-8, -6, -4, -2, 2, 4, 6, 8]) {
        const [x, y] = el.chart.toPixel(w, 5);
        const data = ctx.getImageData(Math.round(x * ratio) - 3, Math.round(y * ratio) - 3, 7, 7).data;
        for (let k = 0; k < data.length; k += 4) {
          if (Math.abs(data[k] - r) + Math.abs(data[k + 1] - g) + Math.abs(data[k + 2] - b) < 60) {
            hits++;
            break;
          }
        }
      }
      return { hits, ratio: [...el.shadowRoot.querySelectorAll('canvas')].map((c) => c.width / c.clientWidth) };
    }, P);
    assert.ok(found.hits >= 4, `the slice colour at ${found.hits} of 8 points on the slice`);
    for (const ratio of found.ratio) assert.ok(Math.abs(ratio - 2) < 0.02, `backing store ratio ${ratio} at devicePixelRatio 2`);
    // A bad function shows why, and the readout stays on the last good one.
    for (const [bad, why] of [['w^', /\S/], ['x*y*z', /two variables/], ['1/0', /^1\/0 has no finite value anywhere on the chart: there is nothing to draw\./]]) {
      await page.locator(`${P} input[name=function]`).fill(bad);
      const message = await waitUntil(() => partText(page, P, 'error'), (t) => !!t);
      assert.match(message, why, `${bad}: ${message}`);
      assert.match(await partText(page, P, 'readout'), /= 6\.00, with b held at 5\.00; f = 34\.00$/);
    }
    assertClean(records, { label: 'partial hidpi' });
  } finally {
    await close();
  }
});

/** Page coordinates of CSS pixel (x, y) of the widget's 3D canvas. */
const onSurface = (page, x, y) =>
  page.evaluate(
    ({ sel, x, y }) => {
      const box = document.querySelector(sel).shadowRoot.querySelector('canvas[part~=chart]').getBoundingClientRect();
      return { x: box.left + x, y: box.top + y, width: box.width, height: box.height };
    },
    { sel: P, x, y },
  );

test('calc-partial: dragging the surface turns it; the arrow keys turn it too', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openFixture(shared, FIXTURE, FIXTURE_HTML);
  try {
    await waitForWidgets(page);
    await scrollChartIntoView(page, P);
    const view = () => page.evaluate((sel) => {
      const el = document.querySelector(sel);
      return { yaw: el.yaw, pitch: el.pitch, point: el.chart.toPixel(el.point, el.at) };
    }, P);
    const before = await view();
    const hash0 = await canvasHash(page, P);
    // Start the drag in the lower left of the canvas, well away from the slice's point (a drag
    // that starts on the point moves the point instead).
    const box = await onSurface(page, 0, 0);
    const start = { x: box.width * 0.15, y: box.height * 0.85 };
    assert.ok(Math.hypot(start.x - before.point[0], start.y - before.point[1]) > 40, 'the drag starts away from the point');
    await page.mouse.move(box.x + start.x, box.y + start.y);
    await page.mouse.down();
    // 60 px right and 20 px up: yaw + 0.6, pitch − 0.2 (0.01 radian per pixel).
    await page.mouse.move(box.x + start.x + 60, box.y + start.y - 20, { steps: 6 });
    const turning = await page.evaluate((sel) => document.querySelector(sel).turning, P);
    await page.mouse.up();
    await nextFrame(page);
    const after = await view();
    assert.ok(turning, 'the coarse mesh is drawn while the pointer is down');
    assert.ok(Math.abs(after.yaw - before.yaw - 0.6) < 1e-9, `yaw ${before.yaw} → ${after.yaw}`);
    assert.ok(Math.abs(after.pitch - before.pitch + 0.2) < 1e-9, `pitch ${before.pitch} → ${after.pitch}`);
    const hash1 = await canvasHash(page, P);
    assert.notEqual(hash1, hash0, 'the surface is drawn from the new view');
    // The slice's point is where it was on the surface (w = 3, b = 5), seen from elsewhere.
    assert.match(await partText(page, P, 'readout'), /^∂f\/∂w at \(w, b\) = \(3\.00, 5\.00\) = 6\.00/);
    assert.ok(Math.hypot(after.point[0] - before.point[0], after.point[1] - before.point[1]) > 1, 'the point moved on screen with the surface');
    // The keyboard on the focused surface: ← turns by −0.1, ↑ raises the eye by 0.05.
    await page.locator(`${P} canvas[part~=chart]`).first().focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    await nextFrame(page);
    const keyed = await view();
    assert.ok(Math.abs(keyed.yaw - after.yaw + 0.1) < 1e-9 && Math.abs(keyed.pitch - after.pitch - 0.05) < 1e-9, `keys: ${JSON.stringify(keyed)}`);
    assert.notEqual(await canvasHash(page, P), hash1, 'the keys redraw the surface');
    assertClean(records, { label: 'partial turning' });
  } finally {
    await close();
  }
});

test('calc-partial: dragging the point on the surface moves it along the slice', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openFixture(shared, FIXTURE, FIXTURE_HTML);
  try {
    await waitForWidgets(page);
    await scrollChartIntoView(page, P);
    const pixel = (w, b) => page.evaluate(({ sel, w, b }) => document.querySelector(sel).chart.toPixel(w, b), { sel: P, w, b });
    const yaw = await page.evaluate((sel) => document.querySelector(sel).yaw, P);
    // Grab the point (3, 5) a few pixels off its centre, inside the 12 px it answers to, and
    // take it along the red curve to where the surface shows (w, b) = (−4, 5).
    const [px, py] = await pixel(3, 5);
    const [tx, ty] = await pixel(-4, 5);
    const box = await onSurface(page, 0, 0);
    await page.mouse.move(box.x + px + 4, box.y + py - 3);
    await page.mouse.down();
    await page.mouse.move(box.x + tx, box.y + ty, { steps: 12 });
    await page.mouse.up();
    const text = await waitUntil(() => partText(page, P, 'readout'), (t) => !t.includes('(3.00, 5.00)'));
    const m = /^∂f\/∂w at \(w, b\) = \((-?\d+\.\d\d), 5\.00\) = (-?\d+\.\d\d), with b held at 5\.00; f = (-?\d+\.\d\d)$/.exec(text);
    assert.ok(m, text);
    const w = Number(m[1]);
    // The point lands on the slice near w = −4 (the pointer is projected onto the curve, to
    // a hundredth), and the readout is exact there: ∂f/∂w = 2w and f = w² + 25.
    assert.ok(Math.abs(w + 4) <= 0.15, `w = ${w} after dragging to −4`);
    assert.equal(m[2], (2 * w).toFixed(2), `∂f/∂w at w = ${w}`);
    assert.equal(m[3], (w * w + 25).toFixed(2), `f at w = ${w}`);
    // Moving the point did not turn the surface, and the flat chart follows: its point is at w.
    assert.equal(await page.evaluate((sel) => document.querySelector(sel).yaw, P), yaw);
    const sliceLabel = await page.evaluate((sel) => document.querySelector(sel).shadowRoot.querySelector('canvas[part~=slice]').getAttribute('aria-label'), P);
    assert.ok(sliceLabel.includes(w.toFixed(2)), sliceLabel);
    assertClean(records, { label: 'partial point drag' });
  } finally {
    await close();
  }
});

// Chapter 4's widgets against mathematics: <calc-descent> (the lab), <calc-loss-curve>,
// <calc-lr-sweep>, the live numbers in the prose (<calc-number>, <calc-value>), <calc-race>,
// and the settings kept in the page's address.
//
// On f(w, b) = w² + b², ∇f = (2w, 2b), so one step of gradient descent at rate η is
//   (w, b) ← (w, b) − η·(2w, 2b) = (1 − 2η)·(w, b):
// the path is a geometric sequence, (w_k, b_k) = (1 − 2η)^k·(w₀, b₀), and the loss is
// f_k = (1 − 2η)^(2k)·f₀. From (8, 9), f₀ = 64 + 81 = 145. Every expected value below
// comes from these closed forms, worked in the comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowserAndSite, fixtureHtml, openPage, requireDist, assertClean, waitForWidgets, runAxe, formatViolations,
  partText, waitUntil, scrollChartIntoView, chartPointOnPage, canvasInventory, nextFrame,
} from './harness.mjs';

requireDist();

const FIXTURE = '__e2e-descent.html';
// The widgets as the chapter embeds them (www/chapters/gradient-descent.html).
const FIXTURE_HTML = fixtureHtml(
  'Gradient descent widgets',
  `<h1>Gradient descent</h1>
<calc-descent id="lab" function="w^2 + b^2" w="8" b="9" rate="0.1" iterations="30"><p>Gradient descent on a bowl.</p></calc-descent>
<calc-loss-curve for="lab"><p>The loss at every step.</p></calc-loss-curve>
<p>With a learning rate of <calc-number for="lab" name="rate">0.1</calc-number>, after <calc-value for="lab" name="iterations">30</calc-value> steps the walker stands at <calc-value for="lab" name="end">(0.0099, 0.0111)</calc-value>, where the loss is <calc-value for="lab" name="loss">0.000222</calc-value>.</p>
<calc-lr-sweep for="lab" steps="100"><p>Final loss against the learning rate.</p></calc-lr-sweep>
<calc-race id="race" function="w^2 + 10b^2" w="-9" b="2"><p>Four optimizers racing.</p></calc-race>`,
);
const LAB = '#lab';
const CURVE = 'calc-loss-curve';
const SWEEP = 'calc-lr-sweep';
const RACE = '#race';

const shared = useBrowserAndSite();

/** Opens the fixture, optionally with `hash` ("#lab.lr=…"), and waits for its widgets. */
async function openDescent({ hash = '', ...options } = {}) {
  const dialogs = [];
  const opened = await openPage(shared.browser, shared.site.url + FIXTURE + hash, {
    ...options,
    beforeGoto: async (page) => {
      // An alert() from injected markup would show here (listening before the page loads).
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        dialog.dismiss().catch(() => {});
      });
      // The request carries no hash, so the route matches with or without one.
      await page.route('**/' + FIXTURE, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: FIXTURE_HTML }));
    },
  });
  opened.dialogs = dialogs;
  try {
    await waitForWidgets(opened.page);
  } catch (e) {
    await opened.close();
    throw e;
  }
  await nextFrame(opened.page);
  return opened;
}

/** Runs fn(lab, arg) in the page. */
const onLab = (page, fn, arg) => page.evaluate(({ src, arg }) => (0, eval)(src)(document.getElementById('lab'), arg), { src: String(fn), arg });
/** Runs fn(race, arg) in the page. */
const onRace = (page, fn, arg) => page.evaluate(({ src, arg }) => (0, eval)(src)(document.getElementById('race'), arg), { src: String(fn), arg });

/** What the lab shows: its settings and current step. */
const labState = (page) =>
  onLab(page, (lab) => ({
    source: lab.source,
    start: [...lab.start],
    rate: lab.rate,
    iterations: lab.iterations,
    k: lab.k,
    last: lab.last,
    divergedAt: lab.divergedAt,
    fields: Object.fromEntries(['function', 'w', 'b', 'rate', 'iterations'].map((n) => [n, lab.shadowRoot.querySelector(`input[name=${n}]`).value])),
  }));

/** `[w, b, f, ∂f/∂w, ∂f/∂b]` of every step 0..last of the lab's path. */
const labPath = (page) =>
  onLab(page, (lab) => {
    const out = [];
    for (let k = 0; k <= lab.last; k++) out.push([...lab.point(k)]);
    return out;
  });

/** The text each live element shows, by its name attribute (calc-number under 'number'). */
const liveTexts = (page) =>
  page.evaluate(() => {
    const out = {};
    for (const el of document.querySelectorAll('calc-number, calc-value')) {
      const key = el.localName === 'calc-number' ? 'number' : el.getAttribute('name');
      out[key] = el.shadowRoot.querySelector('[part=value]').textContent.trim();
    }
    return out;
  });

/** |actual − expected| ≤ rel·|expected| + abs. */
function near(actual, expected, { rel = 1e-12, abs = 0 } = {}, what = '') {
  assert.ok(
    Number.isFinite(actual) && Math.abs(actual - expected) <= rel * Math.abs(expected) + abs,
    `${what}: ${actual} should be ${expected} (relative ${rel}, absolute ${abs})`,
  );
}

/** The chapter's documented number format: 4 decimals without trailing zeros from 0.001 to 1e5, else 3 significant digits. */
function fmt(v) {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e-3 && a < 1e5) return String(Number(v.toFixed(4)));
  return v.toPrecision(3).replace(/e\+?/, 'e');
}

/** Every element matching `selector` in the document and in every open shadow root. */
const deepCount = (page, selector) =>
  page.evaluate((selector) => {
    let n = 0;
    const walk = (root) => {
      n += root.querySelectorAll(selector).length;
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(document);
    return n;
  }, selector);

async function axeAndClean(page, records, label, dialogs = []) {
  const violations = await runAxe(page);
  assert.equal(violations.length, 0, formatViolations(violations));
  assert.deepEqual(dialogs, [], `${label}: no dialog may open`);
  assertClean(records, { label });
}

// ------------------------------------------------------------------------------------------

test('calc-descent: the plan\'s run on w² + b² is (8, 9)·0.8^k, and the prose quotes its end', { timeout: 30_000 }, async () => {
  const { page, records, dialogs, close } = await openDescent();
  try {
    const state = await labState(page);
    assert.deepEqual(
      { source: state.source, start: state.start, rate: state.rate, iterations: state.iterations, k: state.k, last: state.last, divergedAt: state.divergedAt },
      { source: 'w^2 + b^2', start: [8, 9], rate: 0.1, iterations: 30, k: 30, last: 30, divergedAt: -1 },
    );
    // η = 0.1: factor 1 − 2·0.1 = 0.8, so (w_k, b_k) = (8·0.8^k, 9·0.8^k), f_k = 145·0.64^k and
    // ∇f_k = (2w_k, 2b_k).
    const path = await labPath(page);
    assert.equal(path.length, 31, 'the start and 30 steps');
    for (let k = 0; k <= 30; k++) {
      const [w, b, f, gw, gb] = path[k];
      near(w, 8 * 0.8 ** k, {}, `w_${k}`);
      near(b, 9 * 0.8 ** k, {}, `b_${k}`);
      near(f, 145 * 0.64 ** k, {}, `f_${k}`);
      near(gw, 2 * 8 * 0.8 ** k, {}, `∂f/∂w at step ${k}`);
      near(gb, 2 * 9 * 0.8 ** k, {}, `∂f/∂b at step ${k}`);
    }
    assert.match(await partText(page, LAB, 'readout'), /^step 30:/);
    // The sentence: rate 0.10 (two significant digits); 30 steps; 8·0.8^30 = 0.0099035… → 0.0099
    // and 9·0.8^30 = 0.0111415… → 0.0111; loss 0.0099035² + 0.0111415² = 0.00022221… → 0.000222.
    assert.deepEqual(await liveTexts(page), { number: '0.10', iterations: '30', end: '(0.0099, 0.0111)', loss: '0.000222' });
    // The widget contract (ARCHITECTURE.md) holds for the live numbers too: waitForWidgets in
    // openDescent found a `ready` promise on each and it resolved.
    const tags = (await waitForWidgets(page)).map((w) => w.tag);
    for (const tag of ['calc-descent', 'calc-loss-curve', 'calc-number', 'calc-value', 'calc-lr-sweep', 'calc-race']) assert.ok(tags.includes(tag), `<${tag}> ready`);
    await axeAndClean(page, records, 'plan run', dialogs);
  } finally {
    await close();
  }
});

test('calc-descent: the rate presets diverge at step 73, oscillate, and crawl', { timeout: 30_000 }, async () => {
  const { page, records, dialogs, close } = await openDescent();
  try {
    // Windows' high contrast drops the accent colour and the inset shadow: the pressed
    // preset keeps a mark of its own.
    await page.emulateMedia({ forcedColors: 'active' });
    const marks = await page.locator(LAB).evaluate((el) => [...el.shadowRoot.querySelectorAll('button[data-rate]')]
      .map((b) => `${b.getAttribute('aria-pressed')} ${getComputedStyle(b).borderTopWidth}`));
    assert.deepEqual(marks.sort(), ['false 1px', 'false 1px', 'false 1px', 'true 3px']);
    await page.emulateMedia({ forcedColors: 'none' });
    // From the page's 30 steps: the diverging preset needs (and sets) 100 steps to show it.
    await page.locator(`${LAB} button[data-rate="1.05"]`).click();
    // η = 1.05: factor 1 − 2.1 = −1.1, loss 145·1.21^k. The run stops once the loss passes
    // 10⁶·max(1, 145): 1.21^k > 10⁶ ⇔ k > 6/log10(1.21) = 6/0.0827854 = 72.48, so step 73 is
    // the first not taken and step 72 is the last point of the path.
    let state = await labState(page);
    assert.equal(state.fields.iterations, '100', 'the steps field shows the preset\'s 100 steps');
    // The steps field set by hand gives the same run.
    await page.locator(`${LAB} input[name=iterations]`).fill('100');
    state = await labState(page);
    assert.equal(state.rate, 1.05);
    assert.equal(state.iterations, 100);
    assert.equal(state.divergedAt, 73, 'divergedAt');
    assert.equal(state.last, 72, 'the path ends at step 72');
    assert.match(await partText(page, LAB, 'readout'), /Diverged at step 73/);
    let path = await labPath(page);
    for (let k = 0; k <= 72; k++) near(path[k][0], 8 * (-1.1) ** k, { rel: 1e-11 }, `w_${k} at 1.05`);
    near(path[72][2], 145 * 1.21 ** 72, { rel: 1e-11 }, 'last loss at 1.05');
    assert.ok(path[72][2] <= 145e6 && 145 * 1.21 ** 73 > 145e6, 'step 72 is under the bound, step 73 over it');
    assert.match((await liveTexts(page)).end, /73/, 'the sentence says where the run diverged');
    assert.equal(await page.locator(`${LAB} button[data-rate="1.05"]`).getAttribute('aria-pressed'), 'true');

    // η = 0.95: factor 1 − 1.9 = −0.9, so w_k = 8·(−0.9)^k alternates in sign and shrinks.
    await page.locator(`${LAB} button[data-rate="0.95"]`).click();
    state = await labState(page);
    assert.equal(state.rate, 0.95);
    assert.equal(state.divergedAt, -1, 'oscillating, not diverging');
    assert.equal(state.last, 100);
    path = await labPath(page);
    for (let k = 0; k <= 100; k++) {
      near(path[k][0], 8 * (-0.9) ** k, { rel: 1e-11 }, `w_${k} at 0.95`);
      assert.equal(Math.sign(path[k][0]), k % 2 ? -1 : 1, `sign of w_${k} at 0.95`);
    }
    assert.doesNotMatch(await partText(page, LAB, 'readout'), /Diverged/);

    // η = 0.01: factor 0.98; after 30 steps w = 8·0.98^30 = 4.3639…, b = 9·0.98^30.
    await page.locator(`${LAB} input[name=iterations]`).fill('30');
    await page.locator(`${LAB} button[data-rate="0.01"]`).click();
    state = await labState(page);
    assert.equal(state.rate, 0.01);
    assert.equal(state.last, 30);
    const [w30, b30] = await onLab(page, (lab) => [...lab.point(30)]);
    near(w30, 8 * 0.98 ** 30, {}, 'w_30 at 0.01');
    near(b30, 9 * 0.98 ** 30, {}, 'b_30 at 0.01');
    assert.equal((await liveTexts(page)).end, `(${fmt(8 * 0.98 ** 30)}, ${fmt(9 * 0.98 ** 30)})`);

    // Each example landscape brings a rate it can take: Rosenbrock's walls make 0.01 diverge
    // within five steps, so its preset walks at 0.0015 for 500 steps from (−1.5, 2.5), and ends
    // inside the valley's last stretch, near (1, 1) where f = 0.
    await page.locator(`${LAB} select[name=preset]`).selectOption({ label: 'Rosenbrock' });
    state = await labState(page);
    assert.deepEqual([state.rate, state.iterations, state.start, state.divergedAt], [0.0015, 500, [-1.5, 2.5], -1]);
    assert.deepEqual([state.fields.rate, state.fields.iterations], ['0.0015', '500']);
    const end = await onLab(page, (lab) => [...lab.point(lab.last)]);
    assert.ok(Math.hypot(end[0] - 1, end[1] - 1) < 0.5 && end[2] < 0.1, `Rosenbrock ends near (1, 1): ${end}`);
    // Himmelblau from (0, 0) at 0.01 reaches its minimum (3, 2), where f = 0.
    await page.locator(`${LAB} select[name=preset]`).selectOption({ label: 'Himmelblau (four minima)' });
    state = await labState(page);
    assert.deepEqual([state.rate, state.iterations, state.start], [0.01, 100, [0, 0]]);
    const min = await onLab(page, (lab) => [...lab.point(lab.last)]);
    near(min[0], 3, { abs: 1e-9 }, 'Himmelblau w_100');
    near(min[1], 2, { abs: 1e-9 }, 'Himmelblau b_100');
    await axeAndClean(page, records, 'presets', dialogs);
  } finally {
    await close();
  }
});

test('calc-descent: Play walks the path and stops at the end; Pause stops it', { timeout: 30_000 }, async () => {
  const { page, records, dialogs, close } = await openDescent();
  try {
    // 12 steps: the animation runs at max(6, 12/4) = 6 steps a second, about 2 s.
    await page.locator(`${LAB} input[name=iterations]`).fill('12');
    const play = page.locator(`${LAB} button[name=play]`);
    const hashBefore = await waitUntil(() => page.evaluate(() => location.hash), (h) => /lab\.n=12(&|$)/.test(h));
    await play.click();
    assert.equal((await play.textContent()).trim(), 'Pause');
    const seen = [];
    const hashes = new Set();
    const end = Date.now() + 6000;
    for (;;) {
      const now = await onLab(page, (lab) => ({ k: lab.k, playing: !!lab.playing, text: lab.shadowRoot.querySelector('button[name=play]').textContent.trim() }));
      seen.push(now);
      if (!now.playing || Date.now() > end) break;
      hashes.add(await page.evaluate(() => location.hash));
      await page.waitForTimeout(80);
    }
    // The address records where the walk stops, not every frame of it.
    assert.deepEqual([...hashes].filter((h) => h !== hashBefore), [], 'the address is left alone while playing');
    assert.match(await waitUntil(() => page.evaluate(() => location.hash), (h) => /lab\.k=12(&|$)/.test(h)), /lab\.k=12(&|$)/, 'the address has the step the walk stopped at');
    const ks = seen.map((s) => s.k);
    assert.ok(ks.every((k, i) => i === 0 || k >= ks[i - 1]), `k never goes back: ${ks}`);
    assert.ok(new Set(ks).size >= 4, `k moves through the steps: ${ks}`);
    assert.equal(ks[0] < 12, true, `play starts over from the beginning: ${ks}`);
    const last = seen.at(-1);
    assert.deepEqual(last, { k: 12, playing: false, text: 'Play' }, 'stops at lab.last with the button back to Play');
    assert.match(await partText(page, LAB, 'readout'), /^step 12:/);

    // Again, and pause part-way.
    await play.click();
    await waitUntil(() => onLab(page, (lab) => lab.k), (k) => k >= 3 && k < 12, { timeout: 3000 });
    await play.click();
    const paused = await onLab(page, (lab) => lab.k);
    assert.equal((await play.textContent()).trim(), 'Play');
    assert.ok(paused > 0 && paused < 12, `paused mid-way at ${paused}`);
    await page.waitForTimeout(600);
    assert.equal(await onLab(page, (lab) => lab.k), paused, 'k stays put after Pause');
    assert.match(await partText(page, LAB, 'readout'), new RegExp(`^step ${paused}:`));
    const pausedAt = new RegExp(`lab\\.k=${paused}(&|$)`);
    assert.match(await waitUntil(() => page.evaluate(() => location.hash), (h) => pausedAt.test(h)), pausedAt, 'the address has the step of the pause');
    await axeAndClean(page, records, 'play', dialogs);
  } finally {
    await close();
  }
});

test('calc-descent: dragging the start re-runs the path; the arrow keys move it by 0.5', { timeout: 30_000 }, async () => {
  const { page, records, dialogs, close } = await openDescent();
  try {
    await scrollChartIntoView(page, LAB);
    const from = await chartPointOnPage(page, LAB, 2, -3);
    const to = await chartPointOnPage(page, LAB, -6, 4);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 8 });
    await page.mouse.up();
    const { start } = await labState(page);
    // The start snaps to a grid of (10 − (−10))/400 = 0.05.
    for (const [i, target] of [[0, -6], [1, 4]]) {
      assert.ok(Math.abs(start[i] - target) <= 0.05 + 1e-12, `start[${i}] = ${start[i]}, near ${target}`);
      assert.ok(Math.abs(start[i] / 0.05 - Math.round(start[i] / 0.05)) < 1e-9, `start[${i}] = ${start[i]} on the 0.05 grid`);
    }
    // The path starts there and its first step is 0.8 times the start.
    const [p0, p1] = await onLab(page, (lab) => [[...lab.point(0)], [...lab.point(1)]]);
    assert.deepEqual(p0.slice(0, 2), start);
    near(p0[2], start[0] ** 2 + start[1] ** 2, {}, 'f at the start');
    near(p1[0], 0.8 * start[0], {}, 'w_1');
    near(p1[1], 0.8 * start[1], {}, 'b_1');
    assert.equal((await labState(page)).fields.w, String(start[0]), 'the w₀ field follows');

    // Keyboard: → moves w₀ by (10 − (−10))/40 = 0.5.
    await page.locator(`${LAB} canvas[part~=chart]`).focus();
    await page.keyboard.press('ArrowRight');
    const moved = await labState(page);
    near(moved.start[0], start[0] + 0.5, { abs: 1e-12 }, 'w₀ after →');
    assert.equal(moved.start[1], start[1], 'b₀ after →');
    const q1 = await onLab(page, (lab) => [...lab.point(1)]);
    near(q1[0], 0.8 * moved.start[0], {}, 'w_1 after →');
    await axeAndClean(page, records, 'drag start', dialogs);
  } finally {
    await close();
  }
});

test('calc-number: the arrow keys and a sideways drag set the lab\'s rate; the sentence follows', { timeout: 30_000 }, async () => {
  const { page, records, dialogs, close } = await openDescent();
  try {
    const number = page.locator('calc-number');
    await number.focus();
    await page.keyboard.press('ArrowRight');
    // 0.1 → 0.11 (the next rate with two significant digits).
    let state = await labState(page);
    assert.equal(state.rate, 0.11);
    assert.equal(state.fields.rate, '0.11', 'the lab\'s η field');
    // Factor 1 − 0.22 = 0.78: 8·0.78^30 = 0.0046337… → 0.00463, 9·0.78^30 = 0.0052129… → 0.00521
    // (three significant digits below 0.1); loss 145·0.78^60 = 4.8646e-5 → 0.0000486.
    assert.deepEqual(await liveTexts(page), { number: '0.11', iterations: '30', end: '(0.00463, 0.00521)', loss: '0.0000486' });
    assert.equal(await number.getAttribute('aria-valuenow'), '0.11');
    // Shift takes ten steps: 0.11 → 0.21, and back.
    await page.keyboard.press('Shift+ArrowRight');
    assert.equal((await labState(page)).rate, 0.21);
    await page.keyboard.press('Shift+ArrowLeft');
    assert.equal((await labState(page)).rate, 0.11);

    // A drag of 75 px to the right: a decade per 150 px, so 0.11·10^0.5 = 0.3479 → 0.35.
    await number.scrollIntoViewIfNeeded();
    const box = await number.boundingBox();
    const x = Math.round(box.x + box.width / 2);
    const y = Math.round(box.y + box.height / 2);
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 75, y, { steps: 5 });
    await page.mouse.up();
    state = await labState(page);
    assert.equal(state.rate, 0.35, 'rate after the drag');
    assert.equal(state.fields.rate, '0.35');
    // Factor 1 − 0.7 = 0.3: 8·0.3^30 = 1.647e-15, 9·0.3^30 = 1.853e-15.
    assert.deepEqual(await liveTexts(page), {
      number: '0.35', iterations: '30', end: `(${fmt(8 * 0.3 ** 30)}, ${fmt(9 * 0.3 ** 30)})`, loss: fmt(145 * 0.09 ** 30),
    });
    assert.equal((await liveTexts(page)).end, '(1.65e-15, 1.85e-15)');
    await axeAndClean(page, records, 'live numbers', dialogs);
  } finally {
    await close();
  }
});

test('calc-loss-curve: pointing at step 10 rings it on the map and reads its loss', { timeout: 30_000 }, async () => {
  const { page, records, dialogs, close } = await openDescent();
  try {
    await scrollChartIntoView(page, CURVE);
    // f_10 = 145·0.64^10 = 145·0.0115292 = 1.67174 → "1.6717". (The chart's y axis is log10 of
    // the loss; chartToPixel takes the loss itself.)
    const loss10 = 145 * 0.64 ** 10;
    const at = await chartPointOnPage(page, CURVE, 10, loss10);
    const [at9, at11] = [await chartPointOnPage(page, CURVE, 9, loss10), await chartPointOnPage(page, CURVE, 11, loss10)];
    assert.ok(at9.x < at.x && at.x < at11.x, 'steps run left to right');
    await page.mouse.move(at.x, at.y);
    const highlighted = await waitUntil(() => onLab(page, (lab) => lab.highlighted), (k) => k === 10);
    assert.equal(highlighted, 10, 'lab.highlighted');
    assert.equal(await page.evaluate((sel) => document.querySelector(sel).highlighted, CURVE), 10);
    assert.equal(await partText(page, CURVE, 'readout'), 'step 10: loss = 1.6717');
    // Leaving the curve clears the ring.
    await page.mouse.move(at.x, at.y - 2000 > 0 ? at.y - 2000 : 1);
    assert.equal(await waitUntil(() => onLab(page, (lab) => lab.highlighted), (k) => k === -1), -1, 'ring cleared on leave');
    // Keyboard: focus, → from the lab's step (30, the end) stays at 30; ← goes to 29.
    await page.locator(`${CURVE} canvas[part~=chart]`).focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await onLab(page, (lab) => lab.highlighted), 29);
    assert.equal(await partText(page, CURVE, 'readout'), `step 29: loss = ${fmt(145 * 0.64 ** 29)}`);
    await axeAndClean(page, records, 'loss curve', dialogs);
  } finally {
    await close();
  }
});

test('calc-lr-sweep: 2/L = 1, final loss 145·(1 − 2η)^200, divergence past 1.036; a click sets η', { timeout: 30_000 }, async () => {
  const { page, records, dialogs, close } = await openDescent();
  try {
    const { critical, flat } = await page.evaluate((sel) => {
      const sweep = document.querySelector(sel);
      return { critical: sweep.criticalRate, flat: [...sweep.chart.points()] };
    }, SWEEP);
    // The Hessian of w² + b² is 2I: L = 2, critical rate 2/L = 1.
    near(critical, 1, {}, 'criticalRate');
    assert.equal(flat.length, 200 * 3, '200 rates');
    near(flat[0], 0.001, {}, 'first rate');
    near(flat.at(-3), 2, {}, 'last rate');
    // After 100 steps at η the loss is 145·(1 − 2η)^200. The run stops at the first step k where
    // 145·(1 − 2η)^(2k) > 10⁶·145, i.e. 2k·log10|1 − 2η| > 6: never for η ≤ 1, and within 100
    // steps once 200·log10(2η − 1) > 6, i.e. η > (1 + 10^0.03)/2 = 1.0358.
    let checked = 0;
    for (let i = 0; i < flat.length; i += 3) {
      const [r, loss, at] = flat.slice(i, i + 3);
      const q = Math.abs(1 - 2 * r);
      if (r < 1) assert.equal(at, -1, `η = ${r} must not diverge`);
      if (r > 1.04) assert.notEqual(at, -1, `η = ${r} must diverge within 100 steps`);
      if (at === -1) {
        near(loss, 145 * q ** 200, { rel: 1e-9, abs: 1e-300 }, `final loss at η = ${r}`);
        checked++;
      } else {
        // the first k with (2k)·log10 q > 6 (skipping rates too close to the boundary to call)
        const exact = 3 / Math.log10(q);
        if (Math.abs(exact - Math.round(exact)) > 1e-6) {
          assert.equal(at, Math.floor(exact) + 1, `η = ${r} diverges at step ⌊3/log10(${q})⌋ + 1`);
          near(loss, 145 * q ** (2 * (at - 1)), { rel: 1e-9 }, `last loss before diverging at η = ${r}`);
        }
      }
    }
    assert.ok(checked > 150, `${checked} converging rates checked`);

    // A click where log10 η = log10 0.5 gives the lab η = 0.5 (rounded to 2 significant digits).
    await scrollChartIntoView(page, SWEEP);
    const target = await chartPointOnPage(page, SWEEP, Math.log10(0.5), 1);
    const box = await page.evaluate((sel) => {
      const r = document.querySelector(sel).shadowRoot.querySelector('canvas[part~=chart]').getBoundingClientRect();
      return { top: r.top, height: r.height };
    }, SWEEP);
    await page.mouse.click(target.x, box.top + box.height / 2);
    const state = await labState(page);
    assert.equal(state.rate, 0.5, 'the lab\'s rate after the click');
    assert.equal(state.fields.rate, '0.5');
    // At η = 0.5 the factor is 1 − 1 = 0: one step lands exactly on the minimum.
    const p1 = await onLab(page, (lab) => [...lab.point(1)]);
    assert.deepEqual(p1.slice(0, 3), [0, 0, 0], 'one step to (0, 0)');
    assert.match(await partText(page, SWEEP, 'readout'), /^Learning rate 0\.500/);
    assert.equal((await liveTexts(page)).end, '(0, 0)');
    await axeAndClean(page, records, 'sweep', dialogs);
  } finally {
    await close();
  }
});

test('url state: a link sets the lab exactly', { timeout: 30_000 }, async () => {
  const hash = '#lab.f=w%5E2%20%2B%2010b%5E2&lab.w=-9&lab.b=2&lab.lr=0.05&lab.n=50&lab.k=20';
  const { page, records, dialogs, close } = await openDescent({ hash });
  try {
    const state = await labState(page);
    assert.deepEqual(
      { source: state.source, start: state.start, rate: state.rate, iterations: state.iterations, k: state.k, last: state.last },
      { source: 'w^2 + 10b^2', start: [-9, 2], rate: 0.05, iterations: 50, k: 20, last: 50 },
    );
    assert.equal(state.fields.function, 'w^2 + 10b^2');
    assert.equal(await partText(page, LAB, 'attribute-error'), '', 'no URL note');
    assert.match(await partText(page, LAB, 'readout'), /^step 20:/);
    // ∇(w² + 10b²) = (2w, 20b) = (−18, 40) at (−9, 2); one step at 0.05: (−9 + 0.9, 2 − 2) = (−8.1, 0).
    const p1 = await onLab(page, (lab) => [...lab.point(1)]);
    near(p1[0], -8.1, { abs: 1e-12 }, 'w_1');
    near(p1[1], 0, { abs: 1e-12 }, 'b_1');
    // b_k = 2·(1 − 20·0.05)^k = 0 from step 1; w_k = −9·0.9^k.
    const p20 = await onLab(page, (lab) => [...lab.point(20)]);
    near(p20[0], -9 * 0.9 ** 20, {}, 'w_20');
    // The sweep follows the lab's new landscape: the Hessian is diag(2, 20), so L = 20 and
    // 2/L = 0.1; after 100 steps at η the loss is 81·(1 − 2η)^200 + 40·(1 − 20η)^200.
    const sweep = await page.evaluate((sel) => {
      const el = document.querySelector(sel);
      return { critical: el.criticalRate, flat: [...el.chart.points()] };
    }, SWEEP);
    near(sweep.critical, 0.1, {}, 'criticalRate on w² + 10b²');
    let converged = 0;
    for (let i = 0; i < sweep.flat.length; i += 3) {
      const [r, loss, at] = sweep.flat.slice(i, i + 3);
      if (r < 0.1) assert.equal(at, -1, `η = ${r} < 2/L must not diverge`);
      if (at !== -1) continue;
      near(loss, 81 * (1 - 2 * r) ** 200 + 40 * (1 - 20 * r) ** 200, { rel: 1e-9, abs: 1e-300 }, `final loss at η = ${r}`);
      converged++;
    }
    assert.ok(converged > 100, `${converged} converging rates checked`);
    await axeAndClean(page, records, 'url in', dialogs);
  } finally {
    await close();
  }
});

test('url state: the address round-trips the lab and the race into a new page', { timeout: 30_000 }, async () => {
  const first = await openDescent();
  let hash;
  let before;
  try {
    const { page } = first;
    await page.locator(`${LAB} input[name=rate]`).fill('0.25');
    await page.locator(`${RACE} input[name="adam.learningRate"]`).fill('0.3');
    await page.locator(`${RACE} input[name="rmsprop.enabled"]`).uncheck();
    await page.waitForTimeout(1200);
    hash = await page.evaluate(() => location.hash);
    assert.match(hash, /(^#|&)lab\.lr=0\.25(&|$)/, hash);
    assert.match(hash, /(^#|&)race\.adam\.lr=0\.3(&|$)/, hash);
    assert.match(hash, /(^#|&)race\.rmsprop\.on=0(&|$)/, hash);
    before = {
      lab: await labState(page),
      race: await onRace(page, (race) => ({ k: race.k, adam: [...race.chart.settings(3)], enabled: [...race.enabled], start: [...race.start], n: race.iterations })),
    };
    assert.equal(before.lab.rate, 0.25);
    assert.deepEqual(before.race.enabled, [true, true, false, true]);
    assert.equal(before.race.adam[0], 0.3);
    assertClean(first.records, { label: 'url out' });
  } finally {
    await first.close();
  }

  const { page, records, dialogs, close } = await openDescent({ hash });
  try {
    const lab = await labState(page);
    assert.deepEqual(lab, before.lab, 'the lab as it was');
    const race = await onRace(page, (race) => ({
      k: race.k,
      adam: [...race.chart.settings(3)],
      enabled: [...race.enabled],
      start: [...race.start],
      n: race.iterations,
      box: race.shadowRoot.querySelector('input[name="rmsprop.enabled"]').checked,
      adamField: race.shadowRoot.querySelector('input[name="adam.learningRate"]').value,
      rmspropLength: race.chart.length(2),
      rmspropCell: race.shadowRoot.querySelector('tr[data-racer="2"] .loss').textContent.trim(),
    }));
    assert.deepEqual(
      { k: race.k, adam: race.adam, enabled: race.enabled, start: race.start, n: race.n },
      before.race,
      'the race as it was',
    );
    assert.equal(race.box, false, 'RMSprop unchecked');
    assert.equal(race.adamField, '0.3');
    assert.equal(race.rmspropLength, 0, 'RMSprop does not run');
    assert.equal(race.rmspropCell, 'off');
    assert.doesNotMatch(await partText(page, RACE, 'readout'), /RMSprop/);
    assert.equal(await partText(page, LAB, 'attribute-error'), '');
    assert.equal(await partText(page, RACE, 'attribute-error'), '');
    // Adam at η = 0.3 from (−9, 2): the first step is −η·sign(g) per coordinate: (−8.7, 1.7).
    const adam1 = await onRace(page, (race) => [...race.chart.point(3, 1)]);
    near(adam1[0], -8.7, { abs: 1e-9 }, 'Adam w_1 at 0.3');
    near(adam1[1], 1.7, { abs: 1e-9 }, 'Adam b_1 at 0.3');
    await axeAndClean(page, records, 'url round trip', dialogs);
  } finally {
    await close();
  }
});

test('url state: malformed and hostile links are refused with a note; the page keeps working', { timeout: 30_000 }, async () => {
  const cases = [
    {
      hash: '#lab.lr=abc&lab.n=99999&lab.w=1e400&lab.f=sin(',
      // each bad value named in the note
      mentions: [/abc/, /99999/, /1e400/, /function/],
    },
    {
      hash: '#lab.f=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&race.f=%3Cimg%20src%3Dx%20onerror%3Dalert(2)%3E&race.momentum.momentum=1.5&race.gd.lr=-1',
      mentions: [/function/],
      race: [/function/, /1\.5/, /-1/],
    },
  ];
  for (const { hash, mentions, race } of cases) {
    const { page, records, dialogs, close } = await openDescent({ hash });
    try {
      const state = await labState(page);
      assert.deepEqual(
        { source: state.source, start: state.start, rate: state.rate, iterations: state.iterations, last: state.last },
        { source: 'w^2 + b^2', start: [8, 9], rate: 0.1, iterations: 30, last: 30 },
        `${hash}: the page's defaults`,
      );
      const note = await partText(page, LAB, 'attribute-error');
      assert.ok(note, `${hash}: a visible note in the attribute-error line`);
      for (const re of mentions) assert.match(note, re, `${hash}: the note mentions ${re}`);
      // The defaults still compute right: w_30 = 8·0.8^30.
      near(await onLab(page, (lab) => lab.point(30)[0]), 8 * 0.8 ** 30, {}, `${hash}: w_30`);
      if (race) {
        // The race keeps its page settings: the long valley, GD η = 0.09, momentum μ = 0.5.
        const r = await onRace(page, (race) => ({ source: race.source, gd: [...race.chart.settings(0)], momentum: [...race.chart.settings(1)] }));
        assert.deepEqual(r, { source: 'w^2 + 10b^2', gd: [0.09], momentum: [0.05, 0.5] }, `${hash}: the race's defaults`);
        const raceNote = await partText(page, RACE, 'attribute-error');
        for (const re of race) assert.match(raceNote, re, `${hash}: the race's note mentions ${re}`);
      }
      assert.equal(await deepCount(page, 'img'), 0, `${hash}: no element injected`);
      await page.waitForTimeout(100);
      assert.deepEqual(dialogs, [], `${hash}: no dialog`);
      // Every chart drawn.
      for (const c of await canvasInventory(page)) assert.ok(c.colors > 1, `${hash}: canvas in ${c.host} is blank`);
      await axeAndClean(page, records, `hostile ${hash}`, dialogs);
    } finally {
      await close();
    }
  }
});

test('url state: Back and Forward step through the reader\'s changes', { timeout: 30_000 }, async () => {
  const { page, records, dialogs, close } = await openDescent();
  try {
    const rate = page.locator(`${LAB} input[name=rate]`);
    // Changes more than a second apart are separate history entries.
    await page.waitForTimeout(1100);
    await rate.fill('0.2');
    await waitUntil(() => page.evaluate(() => location.hash), (h) => /lab\.lr=0\.2(&|$)/.test(h));
    await page.waitForTimeout(1200);
    await rate.fill('0.3');
    const later = await waitUntil(() => page.evaluate(() => location.hash), (h) => /lab\.lr=0\.3(&|$)/.test(h));
    assert.match(later, /lab\.lr=0\.3(&|$)/);
    await page.goBack();
    assert.equal(await waitUntil(() => onLab(page, (lab) => lab.rate), (r) => r === 0.2), 0.2, 'Back restores η = 0.2');
    assert.equal((await labState(page)).fields.rate, '0.2');
    // η = 0.2: factor 0.6, w_30 = 8·0.6^30.
    near(await onLab(page, (lab) => lab.point(30)[0]), 8 * 0.6 ** 30, {}, 'w_30 after Back');
    await page.goForward();
    assert.equal(await waitUntil(() => onLab(page, (lab) => lab.rate), (r) => r === 0.3), 0.3, 'Forward restores η = 0.3');
    assert.equal((await labState(page)).fields.rate, '0.3');
    await axeAndClean(page, records, 'history', dialogs);
  } finally {
    await close();
  }
});

test('calc-race: each optimizer\'s first step from (−9, 2) on w² + 10b²; Play; a bad rate is refused', { timeout: 30_000 }, async () => {
  const { page, records, dialogs, close } = await openDescent();
  try {
    // ∇(w² + 10b²) = (2w, 20b) = (−18, 40) at (−9, 2); f(−9, 2) = 81 + 40 = 121.
    const firsts = await onRace(page, (race) => [0, 1, 2, 3].map((i) => [[...race.chart.point(i, 0)], [...race.chart.point(i, 1)], [...race.chart.settings(i)]]));
    for (const [p0] of firsts) assert.deepEqual(p0, [-9, 2, 121], 'every racer starts at (−9, 2)');
    // Gradient descent, η = 0.09: (−9 + 0.09·18, 2 − 0.09·40) = (−7.38, −1.6); f = 54.4644 + 25.6 = 80.0644.
    const [, gd1, gdSettings] = firsts[0];
    assert.deepEqual(gdSettings, [0.09]);
    near(gd1[0], -7.38, { abs: 1e-12 }, 'GD w_1');
    near(gd1[1], -1.6, { abs: 1e-12 }, 'GD b_1');
    near(gd1[2], 80.0644, { rel: 1e-12 }, 'GD f_1');
    // Momentum, η = 0.05: the buffer starts as the first gradient, so step 1 is plain GD's:
    // (−9 + 0.05·18, 2 − 0.05·40) = (−8.1, 0).
    const [, mom1, momSettings] = firsts[1];
    assert.equal(momSettings[0], 0.05);
    near(mom1[0], -8.1, { abs: 1e-12 }, 'momentum w_1');
    near(mom1[1], 0, { abs: 1e-12 }, 'momentum b_1');
    // RMSprop, η = 0.1, α = 0.99: v = 0.01·g², √v = 0.1·|g|, step η·g/(0.1|g| + ε) = 10η·sign(g) = 1
    // per coordinate (ε = 1e-8 shifts it by about 1e-8/1.8): (−8, 1).
    const [, rms1, rmsSettings] = firsts[2];
    assert.deepEqual(rmsSettings, [0.1, 0.99]);
    near(rms1[0], -8, { abs: 1e-7 }, 'RMSprop w_1');
    near(rms1[1], 1, { abs: 1e-7 }, 'RMSprop b_1');
    // Adam, η = 0.5: after bias correction m̂ = g and v̂ = g², so the step is η·g/(|g| + ε) = η·sign(g):
    // (−9 + 0.5, 2 − 0.5) = (−8.5, 1.5).
    const [, adam1, adamSettings] = firsts[3];
    assert.equal(adamSettings[0], 0.5);
    near(adam1[0], -8.5, { abs: 1e-9 }, 'Adam w_1');
    near(adam1[1], 1.5, { abs: 1e-9 }, 'Adam b_1');
    assert.match(await partText(page, RACE, 'readout'), /Gradient descent .*Momentum .*RMSprop .*Adam /);

    // A bad learning rate: a message beside it, and the race keeps the last good settings.
    const gdField = page.locator(`${RACE} input[name="gd.learningRate"]`);
    await gdField.fill('-1');
    const message = await waitUntil(
      () => onRace(page, (race) => race.shadowRoot.querySelector('tr[data-racer="0"] .error').textContent.trim()),
      (t) => !!t,
    );
    assert.match(message, /learning rate/i, message);
    assert.equal(await gdField.getAttribute('aria-invalid'), 'true');
    const kept = await onRace(page, (race) => [[...race.chart.settings(0)], [...race.chart.point(0, 1)]]);
    assert.deepEqual(kept[0], [0.09], 'GD keeps η = 0.09');
    assert.deepEqual(kept[1], gd1, 'GD keeps its path');
    // A good one clears it: η = 0.05 gives (−8.1, 0) as for momentum above.
    await gdField.fill('0.05');
    assert.equal(await waitUntil(() => onRace(page, (race) => race.shadowRoot.querySelector('tr[data-racer="0"] .error').textContent.trim()), (t) => !t), '');
    const gdNew = await onRace(page, (race) => [...race.chart.point(0, 1)]);
    near(gdNew[0], -8.1, { abs: 1e-12 }, 'GD w_1 at 0.05');
    near(gdNew[1], 0, { abs: 1e-12 }, 'GD b_1 at 0.05');

    // μ = 1.5 is out of range: refused beside momentum's own fields; every racer keeps running.
    const muField = page.locator(`${RACE} input[name="momentum.momentum"]`);
    await muField.fill('1.5');
    const muMessage = await waitUntil(
      () => onRace(page, (race) => race.shadowRoot.querySelector('tr[data-racer="1"] .error').textContent.trim()),
      (t) => !!t,
    );
    assert.match(muMessage, /momentum must be in \[0, 1\)/, muMessage);
    assert.equal(await muField.getAttribute('aria-invalid'), 'true');
    const afterMu = await onRace(page, (race) => [0, 1, 2, 3].map((i) => [...race.chart.settings(i)].concat(race.chart.point(i, 1).length ? 1 : 0)));
    assert.deepEqual(afterMu[1].slice(0, 2), [0.05, 0.5], 'momentum keeps its last good settings');
    for (const [i, r] of afterMu.entries()) assert.equal(r.at(-1), 1, `racer ${i} still has a path`);
    assert.doesNotMatch(await partText(page, RACE, 'readout'), /no race/i);
    await muField.fill('0.5');

    // Play: 12 steps at 6 a second.
    await page.locator(`${RACE} input[name=iterations]`).fill('12');
    const play = page.locator(`${RACE} button[name=play]`);
    await play.click();
    assert.equal((await play.textContent()).trim(), 'Pause');
    const ks = [];
    const end = Date.now() + 6000;
    for (;;) {
      const now = await onRace(page, (race) => ({ k: race.k, playing: !!race.playing }));
      ks.push(now.k);
      if (!now.playing || Date.now() > end) break;
      await page.waitForTimeout(80);
    }
    assert.ok(ks.every((k, i) => i === 0 || k >= ks[i - 1]) && new Set(ks).size >= 4, `the race animates: ${ks}`);
    assert.equal(ks.at(-1), 12, 'stops at the last step');
    assert.equal((await play.textContent()).trim(), 'Play');
    assert.match(await partText(page, RACE, 'readout'), /^step 12:/);
    // Reset, then Step: one step at a time, like the lab.
    await page.locator(`${RACE} button[name=reset]`).click();
    await page.locator(`${RACE} button[name=step]`).click();
    await page.locator(`${RACE} button[name=step]`).click();
    assert.equal(await onRace(page, (race) => race.k), 2, 'two Steps from the start');
    assert.match(await partText(page, RACE, 'readout'), /^step 2:/);
    await axeAndClean(page, records, 'race', dialogs);
  } finally {
    await close();
  }
});

// A reader who opens the page at a follower's figure: the lab, further up and lazy, starts for
// it, or the follower would stay blank until the reader scrolled up to the lab. The same in a
// post, where the lab's code is fetched then too; the live numbers do not start it.
test('a follower opened far from its lab starts the lab, on the book page and in a post', { timeout: 60_000 }, async () => {
  const drawnSweep = async (page) => {
    await page.waitForFunction(() => document.querySelector('calc-lr-sweep')?.drawTimes?.length > 0, null, { timeout: 10_000 });
    return (await canvasInventory(page)).filter((c) => c.host.startsWith('calc-lr-sweep') && c.colors > 1).length;
  };
  const book = await openPage(shared.browser, `${shared.site.url}gradient-descent.html#fig-lr-sweep`);
  try {
    assert.ok(await drawnSweep(book.page), 'the sweep is drawn');
    assert.equal(await book.page.evaluate(() => document.querySelector('#lab').started), true, 'its lab started');
    assertClean(book.records, { label: 'gradient-descent.html#fig-lr-sweep' });
  } finally {
    await book.close();
  }
  const spacer = '<div style="height: 4000px"></div>';
  const post = fixtureHtml('A follower before its lab', `<h1>The sweep first</h1>
<calc-lr-sweep for="far-lab" steps="100"><p>Final loss against the learning rate.</p></calc-lr-sweep>
<p>The rate is <calc-number for="far-lab" name="rate">0.1</calc-number>.</p>
<p>A slip: <calc-number id="astray" for="nothing" name="rate">0.1</calc-number>.</p>
${spacer}
<calc-descent id="far-lab" function="w^2 + b^2" w="8" b="9" rate="0.1" iterations="30"><p>The lab.</p></calc-descent>`);
  const opened = await openPage(shared.browser, shared.site.url + '__e2e-far-lab.html', {
    beforeGoto: (page) => page.route('**/__e2e-far-lab.html', (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: post })),
  });
  try {
    assert.ok(await drawnSweep(opened.page), 'the sweep is drawn in the post');
    // η = 0.1 from (8, 9): the lab's run reached the sweep, which reads the lab's rate.
    assert.equal(await opened.page.evaluate(() => document.querySelector('#far-lab').rate), 0.1);
    // A number that names no lab says so beside itself, and nothing reaches the console.
    assert.match(await opened.page.$eval('#astray', (el) => el.shadowRoot.querySelector('.error').textContent), /for="nothing" should name a <calc-descent>/);
    assertClean(opened.records, { label: 'post with a far lab' });
  } finally {
    await opened.close();
  }
});

test('a function attribute with no finite value: the lab and the race run on their first landscape, and say why beside the field', { timeout: 60_000 }, async () => {
  const post = fixtureHtml('Bad functions', `<h1>Two slips</h1>
<calc-descent id="lab" function="1/0" loading="eager"><p>The lab.</p></calc-descent>
<calc-race id="race" function="ln(-1 - w^2)" loading="eager"><p>The race.</p></calc-race>`);
  const { page, records, close } = await openPage(shared.browser, shared.site.url + '__e2e-bad-functions.html', {
    beforeGoto: (p) => p.route('**/__e2e-bad-functions.html', (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: post })),
  });
  try {
    // The lab starts on the bowl, the race on the long valley.
    for (const [id, bad, first] of [['lab', '1/0', 'w^2 + b^2'], ['race', 'ln(-1 - w^2)', 'w^2 + 10b^2']]) {
      const shown = await page.$eval(`#${id}`, async (el) => {
        await customElements.whenDefined(el.localName);
        await el.ready;
        const $ = (s) => el.shadowRoot.querySelector(s);
        return { field: $('input[name=function]').value, error: $('[part~=error]').textContent, readout: $('[part~=readout]').textContent, w: $('input[name=w]').value };
      });
      assert.equal(shown.field, bad, `${id}: the field keeps what the page asked for`);
      assert.equal(shown.error, `function="${bad}": ${bad} has no finite value anywhere on the chart: there is nothing to draw. The chart still shows ${first}.`);
      assert.match(shown.readout, /\d/, `${id}: it runs on ${first}: ${shown.readout}`);
      assert.notEqual(shown.w, '', `${id}: its start is filled in`);
    }
    assertClean(records, { label: 'bad function attributes' });
  } finally {
    await close();
  }
});

test('calc-descent: the learning-rate slider answers its keys, a step on the grid of two digits', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openDescent();
  try {
    const slider = page.locator(`${LAB} input[name=rate-slider]`);
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    assert.equal((await labState(page)).rate, 0.11);
    // Ten steps down: 0.11, 0.1, then in thousandths below 0.1, 0.099 … 0.091.
    await page.keyboard.press('Shift+ArrowLeft');
    assert.equal((await labState(page)).rate, 0.091);
    await page.keyboard.press('End');
    assert.equal((await labState(page)).rate, 2);
    assertClean(records, { label: 'rate slider keys' });
  } finally {
    await close();
  }
});

test('the network back, Try again on the lab brings the whole page back: its followers, the race and the live numbers', { timeout: 60_000 }, async () => {
  let gone = true;
  const { page, records, close } = await openPage(shared.browser, shared.site.url + FIXTURE, {
    beforeGoto: async (p) => {
      await p.route('**/' + FIXTURE, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: FIXTURE_HTML }));
      await p.route('**/*.wasm', (route) => (gone ? route.abort('internetdisconnected') : route.continue()));
    },
  });
  try {
    const tags = ['calc-descent', 'calc-loss-curve', 'calc-lr-sweep', 'calc-race'];
    for (const tag of tags) {
      await page.locator(tag).evaluate((e) => e.scrollIntoView());
      await page.waitForFunction((t) => document.querySelector(t)?.shadowRoot?.querySelector('button.retry'), tag, { timeout: 10_000 });
    }
    await page.waitForFunction(() => /\(/.test(document.querySelector('calc-value[name=loss]').shadowRoot.querySelector('.error').textContent));
    gone = false;
    await page.locator('calc-descent').evaluate((e) => e.scrollIntoView());
    await page.locator('calc-descent >> button.retry').click();
    for (const tag of tags) await page.locator(tag).evaluate((e) => e.ready);
    for (const el of await page.$$('calc-value, calc-number')) await el.evaluate((e) => e.ready);
    // The loss after 30 steps at η = 0.1: 0.8^60 · 145 ≈ 0.000222, written by the lab (the
    // fallback text, a slot, is gone) and the message beside it gone too.
    assert.deepEqual(await page.locator('calc-value[name=loss]').evaluate((e) => {
      const value = e.shadowRoot.querySelector('[part=value]');
      return [value.firstElementChild?.localName ?? null, value.textContent, e.shadowRoot.querySelector('.error').textContent];
    }), [null, '0.000222', '']);
    assertClean(records, { allow: [/ERR_INTERNET_DISCONNECTED|Failed to fetch|could not (start|fetch)|internetdisconnected/i], label: 'gradient descent, network back' });
  } finally {
    await close();
  }
});

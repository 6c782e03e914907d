// Chapter 6's <calc-deep-gradients> and <calc-cliff> against the engine's claims:
//   - sigmoid units with N(0, 0.1²) weights: layer 1's gradient is orders of magnitude below
//     the last hidden layer's (≈ 10⁻⁷ on the book's batch); ReLU with He's init keeps them
//     within 20× (layer 1 reads only 2 inputs per unit, so it sits a little lower);
//   - on the cliff, every clipped step is at most rate × threshold (rate 1), while the
//     unclipped walk takes one step of ≈ 18 (rate × ‖∇f‖ on the ramp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowserAndSite, fixtureHtml, openFixture, requireDist, assertClean, waitForWidgets, runAxe, formatViolations,
  partText, canvasInventory, nextFrame, screenshot,
} from './harness.mjs';

requireDist();

const FIXTURE = '__e2e-vanishing.html';
const HTML = fixtureHtml(
  'Vanishing and exploding gradients widgets',
  `<h1>Vanishing and exploding gradients</h1>
<calc-deep-gradients id="deep"><p>The gradient of each layer of a deep network.</p></calc-deep-gradients>
<calc-cliff id="cliff"><p>Gradient clipping on a cliff.</p></calc-cliff>`,
);
const shared = useBrowserAndSite();

async function open(options = {}, html = HTML) {
  const opened = await openFixture(shared, FIXTURE, html, options);
  await waitForWidgets(opened.page);
  await nextFrame(opened.page);
  return opened;
}

const deep = (page, fn, arg) => page.evaluate(({ src, arg }) => (0, eval)(src)(document.getElementById('deep'), arg), { src: String(fn), arg });
const cliff = (page, fn, arg) => page.evaluate(({ src, arg }) => (0, eval)(src)(document.getElementById('cliff'), arg), { src: String(fn), arg });

/** Sets a shadow-DOM control of `id` and fires its event, as a reader's change would. */
const setControl = (page, id, name, value) =>
  page.evaluate(({ id, name, value }) => {
    const input = document.getElementById(id).shadowRoot.querySelector(`[name=${name}]`);
    input.value = String(value);
    input.dispatchEvent(new Event(input.localName === 'select' ? 'change' : 'input', { bubbles: true }));
  }, { id, name, value });

test('sigmoid with small σ vanishes by orders of magnitude; ReLU with He stays level', async () => {
  const { page, records, close } = await open();
  try {
    const start = await deep(page, (el) => ({ ratio: el.ratio, norms: [...el.norms], spreads: [...el.spreads] }));
    assert.equal(start.norms.length, 11, '10 hidden layers and the output layer');
    assert.equal(start.spreads.length, 10);
    assert.ok(start.ratio < 1e-5, `sigmoid, σ 0.1: layer 1 / layer 10 = ${start.ratio}`);
    const readout = await partText(page, '#deep', 'readout');
    assert.match(readout, /^Layer 1's gradient is \d\.\d × 10⁻[⁰¹²³⁴⁵⁶⁷⁸⁹]+ of layer 10's: vanishing towards the input\./);
    // The spread fades layer by layer too.
    assert.ok(start.spreads.at(-1) < 1e-6 * start.spreads[0]);

    await setControl(page, 'deep', 'activation', 'relu');
    await setControl(page, 'deep', 'init', 'he');
    await nextFrame(page);
    const relu = await deep(page, (el) => ({ ratio: el.ratio, sigmaDisabled: el.shadowRoot.querySelector('input[name=sigma]').disabled }));
    assert.ok(relu.ratio > 1 / 20 && relu.ratio < 20, `ReLU + He: ${relu.ratio}`);
    assert.ok(relu.sigmaDisabled, 'σ is read by the normal init alone');
    assert.match(await partText(page, '#deep', 'readout'), /level within a factor of 100/);

    // Large σ explodes: tanh with σ = 3 grows towards the input.
    await setControl(page, 'deep', 'init', 'normal');
    await setControl(page, 'deep', 'activation', 'tanh');
    await setControl(page, 'deep', 'sigma', Math.log10(3));
    await nextFrame(page);
    const tanh = await deep(page, (el) => el.ratio);
    assert.ok(tanh > 100, `tanh, σ 3: ${tanh}`);
    assert.match(await partText(page, '#deep', 'readout'), /exploding towards the input/);
    assertClean(records);
  } finally {
    await close();
  }
});

test('every control of the deep network works, and a re-sample draws new weights', async () => {
  const { page, records, close } = await open();
  try {
    await setControl(page, 'deep', 'depth', 20);
    await setControl(page, 'deep', 'width', 64);
    await nextFrame(page);
    let state = await deep(page, (el) => ({ n: el.norms.length, s: el.spreads.length, label: el.shadowRoot.querySelector('.depth-value').textContent }));
    assert.deepEqual(state, { n: 21, s: 20, label: '20' });
    assert.match(await partText(page, '#deep', 'readout'), /of layer 20's/);
    await setControl(page, 'deep', 'init', 'xavier');
    await nextFrame(page);
    const before = await deep(page, (el) => [...el.norms]);
    await page.evaluate(() => document.getElementById('deep').shadowRoot.querySelector('button[name=resample]').click());
    await nextFrame(page);
    const after = await deep(page, (el) => ({ norms: [...el.norms], seed: el.chart.seed }));
    assert.equal(after.seed, 2);
    assert.notDeepEqual(after.norms, before);
    // The redraw at 20 × 64, gradients included, stays inside a frame.
    const times = await deep(page, async (el) => {
      const out = [];
      for (let i = 0; i < 15; i++) {
        await new Promise((r) => requestAnimationFrame(r));
        el.chart.setSeed(100 + i);
        const t0 = performance.now();
        el.drawNow();
        out.push(performance.now() - t0);
      }
      return out.sort((a, b) => a - b);
    });
    // Timing is the bench's (bench/vanishing.mjs, ≤ 16 ms): here, only that it redraws.
    assert.equal(times.length, 15);
    assertClean(records);
  } finally {
    await close();
  }
});

test('the deep network and the cliff by keyboard: sliders (the logarithmic ones too) and selects answer keys', async () => {
  const { page, close } = await open();
  try {
    await page.evaluate(() => document.getElementById('deep').shadowRoot.querySelector('input[name=depth]').focus());
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await nextFrame(page);
    assert.equal(await deep(page, (el) => el.norms.length), 13);
    await page.evaluate(() => document.getElementById('deep').shadowRoot.querySelector('select[name=activation]').focus());
    await page.keyboard.press('ArrowDown');
    await nextFrame(page);
    assert.equal(await deep(page, (el) => el.shadowRoot.querySelector('select[name=activation]').value), 'tanh');
    await page.evaluate(() => document.getElementById('deep').shadowRoot.querySelector('button[name=resample]').focus());
    await page.keyboard.press('Enter');
    assert.equal(await deep(page, (el) => el.chart.seed), 2);
    // The logarithmic sliders step along their grid of two significant digits: σ and the
    // cliff's threshold (before, one arrow's hundredth of a decade rounded back to the start).
    await page.evaluate(() => document.getElementById('deep').shadowRoot.querySelector('input[name=sigma]').focus());
    await page.keyboard.press('ArrowRight');
    assert.equal(await deep(page, (el) => el.settings.sigma), 0.11);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await deep(page, (el) => el.settings.sigma), 0.099);
    await page.evaluate(() => document.getElementById('cliff').shadowRoot.querySelector('input[name=threshold]').focus());
    await page.keyboard.press('ArrowUp');
    assert.equal(await cliff(page, (el) => el.chart.threshold), 1.1);
    await page.keyboard.press('Shift+ArrowUp');
    assert.equal(await cliff(page, (el) => el.chart.threshold), 2.1);
    await page.keyboard.press('Home');
    const [least, shown] = await cliff(page, (el) => [10 ** Number(el.shadowRoot.querySelector('input[name=threshold]').min), el.chart.threshold]);
    assert.ok(Math.abs(shown - least) < 1e-12 * least, `Home: ${shown}, the slider's least ${least}`);
  } finally {
    await close();
  }
});

test('bad attributes are reported and the defaults used', async () => {
  const html = fixtureHtml('bad', `<calc-deep-gradients id="deep" depth="99" width="abc" activation="swish" sigma="-1"></calc-deep-gradients>
<calc-cliff id="cliff" threshold="0"></calc-cliff>`);
  const { page, records, close } = await open({}, html);
  try {
    const text = await partText(page, '#deep', 'attribute-error');
    assert.match(text, /depth="99" is outside 2 to 20 \(whole numbers\), so 10 is used\./);
    assert.match(text, /width="abc" is not a number, so 32 is used\./);
    assert.match(text, /activation="swish" is not one of sigmoid, tanh, relu, so sigmoid is used\./);
    assert.match(text, /sigma="-1" is outside 0.01 to 10, so 0.1 is used\./);
    assert.equal(await deep(page, (el) => el.norms.length), 11);
    assert.match(await partText(page, '#cliff', 'attribute-error'), /threshold="0" is outside 0.1 to 30, so 1 is used\./);
    assert.equal(await cliff(page, (el) => el.threshold), 1);
    // Fixing an attribute clears its message.
    await page.evaluate(() => document.getElementById('deep').setAttribute('depth', '12'));
    await nextFrame(page);
    assert.doesNotMatch(await partText(page, '#deep', 'attribute-error'), /depth=/);
    assert.equal(await deep(page, (el) => el.norms.length), 13);
    // The engine refuses what the controls never send; the chart keeps its settings.
    const refused = await deep(page, (el) => {
      try {
        el.chart.setNetwork(1, 32, 'relu', 'he', 0.1);
        return 'accepted';
      } catch (e) {
        return e.message;
      }
    });
    assert.equal(refused, 'depth must be a whole number from 2 to 20');
    assertClean(records);
  } finally {
    await close();
  }
});

test('on the cliff the clipped walk never steps past rate × threshold; the unclipped one is thrown', async () => {
  const { page, records, close } = await open();
  try {
    const steps = await cliff(page, (el) => ({ clipped: [...el.stepLengths(true)], thrown: [...el.stepLengths(false)] }));
    assert.equal(steps.clipped.length, 30);
    assert.ok(Math.max(...steps.clipped) <= 1, `clipped: ${Math.max(...steps.clipped)}`);
    assert.ok(Math.max(...steps.thrown) > 15, `thrown: ${Math.max(...steps.thrown)}`);
    assert.match(await partText(page, '#cliff', 'readout'), /^Unclipped: longest step 18\.\d, ends at .*Clipped at 1: longest step 1\.000, ends at \(2\.97\d+, -0\.0\d+\), f = 0\.400 \(at most η × threshold = 1\)\.$/);
    for (const [t, position] of [[0.3, Math.log10(0.3)], [5, Math.log10(5)]]) {
      await setControl(page, 'cliff', 'threshold', position);
      const state = await cliff(page, (el) => ({ t: el.threshold, max: Math.max(...el.stepLengths(true)) }));
      assert.equal(state.t, t);
      assert.ok(state.max <= t, `threshold ${t}: ${state.max}`);
    }
    // Keyboard: → on the focused map raises the threshold by 10^0.05.
    await page.evaluate(() => document.getElementById('cliff').shadowRoot.querySelector('canvas').focus());
    await page.keyboard.press('ArrowLeft');
    assert.equal(await cliff(page, (el) => el.threshold), 4.5);
    await page.keyboard.press('Shift+ArrowRight');
    assert.equal(await cliff(page, (el) => el.threshold), 8);
    // At the top of the slider nothing is clipped: the clipped walk is the thrown one.
    await setControl(page, 'cliff', 'threshold', Math.log10(30));
    const top = await cliff(page, (el) => Math.max(...el.stepLengths(true)));
    assert.ok(top > 15);
    assertClean(records);
  } finally {
    await close();
  }
});

for (const colorScheme of ['light', 'dark']) {
  for (const width of [360, 1280]) {
    test(`drawn, accessible and clean at ${width} px, ${colorScheme}`, async () => {
      const { page, records, close } = await open({ colorScheme, viewport: { width, height: 900 }, deviceScaleFactor: 2 });
      try {
        const canvases = (await canvasInventory(page)).filter((c) => c.host !== 'document');
        assert.equal(canvases.length, 3);
        for (const c of canvases) {
          assert.equal(c.role, 'img');
          assert.ok(c.label.length > 40, `${c.host} ${c.part}: ${c.label}`);
          assert.ok(c.colors >= 8, `${c.host} ${c.part} looks blank`);
          assert.equal(c.width, Math.round(c.clientWidth * 2), 'HiDPI backing store');
        }
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth > innerWidth);
        assert.equal(overflow, false, 'no sideways scrolling');
        const violations = await runAxe(page);
        assert.deepEqual(violations, [], formatViolations(violations));
        await screenshot(page, `vanishing-${width}-${colorScheme}`);
        assertClean(records);
      } finally {
        await close();
      }
    });
  }
}

// The widget menu (web/widget-menu.js): "Save as PNG" downloads the chart redrawn at twice the
// device's resolution with its caption, not blank; "Copy link to this view" gives a link that
// opens on the same view; "Copy as Python" gives a script that prints what the readout shows
// (and loads the translator only on the click); the menu works by keyboard and passes axe.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  RESULTS, useBrowserAndSite, openPage, assertClean, runAxe, formatViolations, waitForWidgets, screenshot, waitUntil, fixtureHtml,
} from './harness.mjs';

const shared = useBrowserAndSite();

/** A context whose clipboard the page may read and write. */
async function clipboardContext(options = {}) {
  const context = await shared.browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: shared.site.origin });
  return context;
}

/** Opens `host`'s menu with the mouse and runs entry `action`; resolves with what the menu said. */
async function runEntry(page, host, action) {
  const status = host.locator('.menu-status');
  // The last entry's message may still be showing: wait for this one's, not that.
  await status.evaluate((e) => { e.textContent = ''; });
  await host.locator('.menu-button').click();
  await host.locator(`[role=menuitem][data-action=${action}]`).click();
  await status.filter({ hasText: /\S/ }).waitFor({ timeout: 30_000 });
  return status.textContent();
}

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(bytes) {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', 'a PNG file');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Decodes a PNG in the page: distinct colours, the spread of its pixels, its corner's colour. */
function pixelStats(page, bytes) {
  return page.evaluate(async (b64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${b64}`;
    await image.decode();
    const c = document.createElement('canvas');
    [c.width, c.height] = [image.naturalWidth, image.naturalHeight];
    const g = c.getContext('2d');
    g.drawImage(image, 0, 0);
    const { data } = g.getImageData(0, 0, c.width, c.height);
    const colors = new Set();
    let sum = 0;
    let sumSq = 0;
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      const grey = (data[i] + data[i + 1] + data[i + 2]) / 3;
      sum += grey;
      sumSq += grey * grey;
      if (colors.size < 5000) colors.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    }
    const mean = sum / n;
    return { colors: colors.size, variance: sumSq / n - mean * mean, corner: [data[0], data[1], data[2]] };
  }, bytes.toString('base64'));
}

for (const { dpr, theme } of [{ dpr: 1, theme: 'light' }, { dpr: 2, theme: 'dark' }]) {
  test(`Save as PNG: twice the device resolution, the theme shown, a caption, a name that says what (dpr ${dpr}, ${theme})`, async () => {
    const context = await clipboardContext({ deviceScaleFactor: dpr, colorScheme: theme, acceptDownloads: true });
    // openPage emulates its own colour scheme on a page of a given context: tell it ours.
    const { page, records } = await openPage(context, `${shared.site.url}gradient-descent.html`, { colorScheme: theme });
    try {
      await waitForWidgets(page);
      const host = page.locator('calc-descent#lab');
      assert.equal(await host.evaluate((e) => e.dark), theme === 'dark', `the widget shows the ${theme} theme`);
      await host.scrollIntoViewIfNeeded();
      const css = await host.evaluate((e) => {
        const r = e.shadowRoot.querySelector('canvas[part~=chart]').getBoundingClientRect();
        return { width: r.width, height: r.height, bg: getComputedStyle(e.shadowRoot.querySelector('.widget')).getPropertyValue('--bg').trim() };
      });
      const before = await host.evaluate((e) => [e.canvas.width, e.canvas.height]);
      const [download, said] = await Promise.all([page.waitForEvent('download'), runEntry(page, host, 'png')]);
      assert.equal(download.suggestedFilename(), 'descent-w2-plus-b2-lr0.1.png');
      assert.equal(said, 'Saved descent-w2-plus-b2-lr0.1.png.');
      const file = path.join(RESULTS, `menu-descent-${theme}-${dpr}x.png`);
      fs.mkdirSync(RESULTS, { recursive: true });
      await download.saveAs(file);
      const bytes = fs.readFileSync(file);
      const size = pngSize(bytes);
      assert.equal(size.width, Math.round(css.width * 2 * dpr), 'the chart at 2 × the device pixel ratio');
      assert.ok(size.height > Math.round(css.height * 2 * dpr), `the chart (${Math.round(css.height * 2 * dpr)} px) and a caption under it: ${size.height}`);
      const stats = await pixelStats(page, bytes);
      assert.ok(stats.colors > 50 && stats.variance > 50, `not blank: ${JSON.stringify(stats)}`);
      const hex = `#${stats.corner.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
      assert.equal(hex, css.bg.toLowerCase(), 'the background of the theme shown');
      // The canvas on the page is back at the screen's resolution.
      assert.deepEqual(await host.evaluate((e) => [e.canvas.width, e.canvas.height]), before);
      assertClean(records, { label: 'save as PNG' });
    } finally {
      await context.close();
    }
  });
}

test('Save as PNG: a widget with two canvases (the gradient with its pitfall) saves both', async () => {
  const context = await clipboardContext({ acceptDownloads: true });
  const { page, records } = await openPage(context, `${shared.site.url}gradient.html`);
  try {
    await waitForWidgets(page);
    const host = page.locator('calc-gradient').first();
    await host.evaluate(async (e) => {
      const box = e.shadowRoot.querySelector('input[name=pitfall]');
      box.click();
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    });
    const [download] = await Promise.all([page.waitForEvent('download'), runEntry(page, host, 'png')]);
    assert.match(download.suggestedFilename(), /^gradient-w2-plus-b2-w\d.*\.png$/);
    const file = path.join(RESULTS, 'menu-gradient-pitfall.png');
    await download.saveAs(file);
    const bytes = fs.readFileSync(file);
    const { width } = pngSize(bytes);
    const span = await host.evaluate((e) => {
      const boxes = [...e.shadowRoot.querySelectorAll('canvas[part~=chart]')].map((c) => c.getBoundingClientRect());
      return Math.max(...boxes.map((b) => b.right)) - Math.min(...boxes.map((b) => b.left));
    });
    assert.ok(Math.abs(width - span * 2) <= 2, `both maps side by side: ${width} px for ${span} CSS px`);
    assertClean(records, { label: 'two canvases' });
  } finally {
    await context.close();
  }
});

test('Copy link to this view: the lab\'s address state, and a widget\'s attributes, reopen the same view', async () => {
  const context = await clipboardContext();
  try {
    const { page, records } = await openPage(context, `${shared.site.url}gradient-descent.html`);
    await waitForWidgets(page);
    const lab = page.locator('calc-descent#lab');
    await lab.evaluate((e) => {
      e.applyFunction('w^2 + 3b^2', false);
      e.source = 'w^2 + 3b^2';
      e.start = [4, -6];
      e.setRate(0.12);
      e.showStep(5);
    });
    assert.equal(await runEntry(page, lab, 'link'), 'Link copied.');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    assert.ok(link.startsWith(`${shared.site.url}gradient-descent.html#`), link);
    assert.match(link, /lab\.lr=0\.12/);
    const labReadout = await lab.locator('[part~=readout]').textContent();
    // The loss curve follows the lab: its link is the lab's, opening at the curve.
    const curveLink = await page.locator('calc-loss-curve').evaluate((e) => e.linkToView());
    assert.equal(curveLink, `${link}&view=loss-curve`);
    assertClean(records, { label: 'copy link' });

    const again = await openPage(context, link);
    await waitForWidgets(again.page);
    assert.equal(await again.page.locator('calc-descent#lab [part~=readout]').textContent(), labReadout, 'the link shows the same step of the same run');
    await again.close();

    // A widget that keeps nothing in the address: its attributes travel in the link.
    const ch1 = await openPage(context, `${shared.site.url}derivative.html`);
    await waitForWidgets(ch1.page);
    const explorer = ch1.page.locator('calc-derivative').first();
    await explorer.evaluate((e) => {
      e.applyFunction('x^3 - 3x', false);
      e.moveTo(1.5);
      e.root.querySelector('input[name=numerical]').click();
    });
    const shown = await explorer.locator('[part~=readout]').textContent();
    assert.equal(await runEntry(ch1.page, explorer, 'link'), 'Link copied.');
    const explorerLink = await ch1.page.evaluate(() => navigator.clipboard.readText());
    assert.match(explorerLink, /#derivative\.function=x%5E3%20-%203x&derivative\.x=1\.5/);
    const opened = await openPage(context, explorerLink);
    await waitForWidgets(opened.page);
    const reopened = opened.page.locator('calc-derivative').first();
    assert.equal(await reopened.locator('[part~=readout]').textContent(), shown);
    assert.equal(await reopened.evaluate((e) => e.root.querySelector('input[name=numerical]').checked), true);
    assertClean(opened.records, { label: 'opened link' });
    await opened.close();
    await ch1.close();

    // The slicer's point, moved along the slice by the keyboard, comes back where it was,
    // on either slice.
    const ch2 = await openPage(context, `${shared.site.url}partial-derivatives.html`);
    const slicer = ch2.page.locator('calc-partial').first();
    await slicer.evaluate(async (e) => {
      e.scrollIntoView();
      await customElements.whenDefined(e.localName);
      await e.ready;
    });
    for (const other of [false, true]) {
      if (other) await slicer.locator('input[name=other]').check();
      await slicer.locator('canvas[part~=slice]').focus();
      await ch2.page.keyboard.press('Shift+ArrowRight');
      await ch2.page.keyboard.press('Shift+ArrowRight');
      if (other) {
        // The surface turned and tilted by its keys: the link keeps the view too.
        await slicer.locator('canvas[part=chart]').focus();
        for (const key of ['ArrowLeft', 'ArrowLeft', 'ArrowUp']) await ch2.page.keyboard.press(key);
      }
      const view = await slicer.locator('[part~=readout]').textContent();
      const angles = await slicer.evaluate((e) => [e.yaw, e.pitch]);
      const slicerLink = await slicer.evaluate((e) => e.linkToView());
      assert.match(slicerLink, /partial\.point=/);
      if (other) assert.match(slicerLink, /partial\.yaw=-?[\d.]+&partial\.pitch=[\d.]+/);
      else assert.doesNotMatch(slicerLink, /yaw|pitch/, 'the book\'s own view needs no words');
      const back = await openPage(context, slicerLink);
      const reopenedSlicer = back.page.locator('calc-partial').first();
      await reopenedSlicer.evaluate(async (e) => {
        e.scrollIntoView();
        await customElements.whenDefined(e.localName);
        await e.ready;
      });
      assert.equal(await reopenedSlicer.locator('[part~=readout]').textContent(), view, `the same view (${slicerLink})`);
      const reopened = await reopenedSlicer.evaluate((e) => [e.yaw, e.pitch]);
      for (const i of [0, 1]) assert.ok(Math.abs(reopened[i] - angles[i]) < 1e-3, `turned the same: ${reopened} against ${angles}`);
      assertClean(back.records, { label: 'opened slicer link' });
      await back.close();
    }
    await ch2.close();

    // Chapter 6's playground (id="training") keeps its settings in the address, as its
    // caption says.
    const tweak = (playground) => playground.evaluate((e) => e.applySettings(new Map([['lr', '0.3'], ['hidden', '3'], ['activation', 'tanh']])));
    const ch6 = await openPage(context, `${shared.site.url}vanishing-gradients.html`);
    await waitForWidgets(ch6.page);
    await tweak(ch6.page.locator('calc-playground'));
    const address = await waitUntil(() => ch6.page.url(), (url) => /[#&]training\.lr=0\.3(&|$)/.test(url));
    assert.match(address, /#training\.dataset=circle&.*training\.lr=0\.3/, 'the chapter keeps the settings in its address');
    await ch6.close();

    // Without an id (a post may hold several), nothing goes into the address, but the link
    // carries its settings and reopens them.
    const POST = '__e2e-playground-post.html';
    const asPost = (page) => page.route('**/' + POST, (route) => route.fulfill({
      status: 200, contentType: 'text/html; charset=utf-8', body: fixtureHtml('A post', '<calc-playground><p>A network.</p></calc-playground>'),
    }));
    const post = await openPage(context, shared.site.url + POST, { beforeGoto: asPost });
    await waitForWidgets(post.page);
    const playground = post.page.locator('calc-playground');
    const before = await playground.evaluate((e) => e.chart.settings());
    await tweak(playground);
    const settings = await playground.evaluate((e) => e.chart.settings());
    assert.notEqual(settings, before);
    assert.equal(new URL(post.page.url()).hash, '', 'nothing written to the address without an id');
    assert.equal(await runEntry(post.page, playground, 'link'), 'Link copied.');
    const playgroundLink = await post.page.evaluate(() => navigator.clipboard.readText());
    assert.match(playgroundLink, /#playground\.dataset=/);
    const reopened6 = await openPage(context, playgroundLink, { beforeGoto: asPost });
    await waitForWidgets(reopened6.page);
    assert.equal(await reopened6.page.locator('calc-playground').evaluate((e) => e.chart.settings()), settings);
    assertClean(reopened6.records, { label: 'opened playground link' });
    await reopened6.close();
    await post.close();
  } finally {
    await context.close();
  }
});

/** Runs a copied script with python3 (matplotlib on Agg); what it printed. */
function runPython(code) {
  const run = spawnSync('python3', ['-'], { input: code, encoding: 'utf8', env: { ...process.env, MPLBACKEND: 'Agg' } });
  assert.equal(run.status, 0, `the copied script failed:\n${run.stderr}\n${code}`);
  return run.stdout.trim();
}

const hasNumpy = spawnSync('python3', ['-c', 'import numpy, matplotlib'], { encoding: 'utf8' }).status === 0;

test('Copy as Python: loaded on the click; every widget\'s script prints its readout', { skip: !hasNumpy && 'python3 with numpy and matplotlib is missing' }, async () => {
  const context = await clipboardContext();
  try {
    const { page, records } = await openPage(context, `${shared.site.url}gradient-descent.html`);
    const fetched = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await waitForWidgets(page);
    assert.ok(!fetched.some((p) => p.endsWith('/pkg/calculus_bg.wasm')), 'the translator is not loaded before the click');
    const lab = page.locator('calc-descent#lab');
    await lab.evaluate((e) => e.setRate(1.5)); // a diverging run
    assert.equal(await runEntry(page, lab, 'python'), 'Python code copied.');
    assert.ok(fetched.some((p) => p.endsWith('/pkg/calculus_bg.wasm')), 'the full build, fetched on the click');
    const script = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(script, /^# Gradient descent, step by step: w\^2 \+ b\^2 from \(8, 9\), η = 1\.5, 30 steps/);
    const readout = await lab.locator('[part~=readout]').textContent();
    assert.match(readout, /Diverged at step/);
    assert.equal(runPython(script), readout, 'the script prints what the lab shows');
    for (const tag of ['calc-loss-curve', 'calc-lr-sweep', 'calc-race']) {
      const host = page.locator(tag).first();
      await runEntry(page, host, 'python');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(runPython(copied), await host.locator('[part~=readout]').textContent(), `${tag}: the script prints the readout`);
    }
    assertClean(records, { label: 'copy as Python' });

    for (const [page2, tag] of [['derivative.html', 'calc-derivative'], ['derivative.html', 'calc-secant'], ['derivative.html', 'calc-numerical-error'],
      ['partial-derivatives.html', 'calc-partial'], ['gradient.html', 'calc-gradient'], ['vanishing-gradients.html', 'calc-deep-gradients'], ['vanishing-gradients.html', 'calc-cliff']]) {
      const other = await openPage(context, `${shared.site.url}${page2}`);
      await waitForWidgets(other.page);
      const host = other.page.locator(tag).first();
      assert.equal(await runEntry(other.page, host, 'python'), 'Python code copied.');
      const copied = await other.page.evaluate(() => navigator.clipboard.readText());
      assert.equal(runPython(copied), await host.locator('[part~=readout]').textContent(), `${tag}: the script prints the readout`);
      assertClean(other.records, { label: tag });
      await other.close();
    }

    // Where f has no derivative (a corner, a jump), the script says what the explorer says.
    const ch1 = await openPage(context, `${shared.site.url}derivative.html`);
    await waitForWidgets(ch1.page);
    const explorer = ch1.page.locator('calc-derivative').first();
    for (const [source, x] of [['abs(x - 1)', 1], ['sign(x)', 0]]) {
      const before = await explorer.locator('[part~=readout]').textContent();
      await explorer.evaluate((e, [source, x]) => {
        e.applyFunction(source, false);
        e.moveTo(x);
      }, [source, x]);
      // The readout is written with the next redraw, a frame later.
      await ch1.page.waitForFunction(([before, x]) => {
        const text = document.querySelector('calc-derivative').shadowRoot.querySelector('[part~=readout]').textContent;
        return text !== before && text.startsWith(`x = ${x.toFixed(2)},`);
      }, [before, x]);
      await runEntry(ch1.page, explorer, 'python');
      const copied = await ch1.page.evaluate(() => navigator.clipboard.readText());
      const readout = await explorer.locator('[part~=readout]').textContent();
      assert.match(readout, /undefined/);
      assert.equal(runPython(copied), readout, `${source} at ${x}`);
    }
    await ch1.close();

    // Chapter 5, each widget moved on from where it starts, and what it shows under it.
    const ch5 = await openPage(context, `${shared.site.url}backpropagation.html`);
    await waitForWidgets(ch5.page);
    const chapter5 = [
      ['calc-gears', ['readout'], (e) => { // turned at another x
        e.setX(0.8);
        e.turn(30);
      }],
      ['calc-graph', ['readout', 'node-readout'], (e) => { // three edges into the backward pass, a node picked
        e.showStep(e.chart.forwardSteps + 4);
        e.setFocus(1);
      }],
      ['calc-tiny-network', ['readout'], (e) => { // two steps taken, at the last stop
        e.stepAgain();
        e.stepAgain();
        e.go(e.chart.stops - 1);
      }],
    ];
    for (const [tag, parts, moveOn] of chapter5) {
      const host = ch5.page.locator(tag);
      await host.evaluate(moveOn);
      assert.equal(await host.locator('[role=menuitem][data-action=python]').getAttribute('aria-disabled'), null, `${tag}: its entry is enabled`);
      assert.equal(await runEntry(ch5.page, host, 'python'), 'Python code copied.');
      const copied = await ch5.page.evaluate(() => navigator.clipboard.readText());
      const shown = await Promise.all(parts.map((part) => host.locator(`[part~=${part}]`).textContent()));
      assert.match(shown.join(''), /∂|dA\/dx|Stop 7/, `${tag}: the readout shows the state set`);
      assert.equal(runPython(copied), shown.join('\n'), `${tag}: the script prints the readout`);
    }
    assertClean(ch5.records, { label: 'chapter 5' });
    await ch5.close();

    // Chapter 6's playground, trained an epoch and a few batches, then on with another
    // optimizer from the middle of an epoch: the script replays the run through the change.
    const ch6 = await openPage(context, `${shared.site.url}vanishing-gradients.html`);
    await waitForWidgets(ch6.page);
    const playground = ch6.page.locator('calc-playground');
    await playground.evaluate((e) => {
      e.stepBy(() => e.chart.trainEpoch());
      e.stepBy(() => e.chart.train(3));
      const { optimizer } = Object.fromEntries(new URLSearchParams(e.chart.settings()));
      e.chart.setStep(optimizer === 'adam' ? 'momentum' : 'adam', 0.01, 20, 0.5);
      e.changed();
      e.stepBy(() => e.chart.trainEpoch());
      e.stepBy(() => e.chart.train(2));
    });
    assert.equal(await runEntry(ch6.page, playground, 'python'), 'Python code copied.');
    const replay = await ch6.page.evaluate(() => navigator.clipboard.readText());
    assert.match(replay, /its step settings changed at step \d+/);
    const status = await playground.locator('[part~=readout]').textContent();
    assert.match(status, /^epoch 2, step \d+/);
    assert.equal(runPython(replay), status, 'the playground\'s script prints its readout');
    assertClean(ch6.records, { label: 'playground' });
    await ch6.close();
  } finally {
    await context.close();
  }
});

test('the menu by keyboard: Enter opens on the first entry, ↓ ↑ Home End move, Escape closes; axe passes with it open', async () => {
  const { page, records, close } = await openPage(shared.browser, `${shared.site.url}derivative.html`);
  try {
    await waitForWidgets(page);
    const host = page.locator('calc-derivative').first();
    const button = host.locator('.menu-button');
    const focused = () => host.evaluate((e) => e.shadowRoot.activeElement?.dataset.action ?? e.shadowRoot.activeElement?.className);
    await button.focus();
    await page.keyboard.press('Enter');
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    assert.equal(await focused(), 'png');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'link');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'python');
    await page.keyboard.press('End');
    assert.equal(await focused(), 'embed');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'png', '↓ wraps to the first');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(), 'embed', '↑ wraps to the last');
    await page.keyboard.press('Home');
    assert.equal(await focused(), 'png');
    const labels = await host.locator('[role=menuitem]').allTextContents();
    assert.deepEqual(labels, ['Save as PNG', 'Copy link to this view', 'Copy as Python', 'Copy embed code']);
    await host.scrollIntoViewIfNeeded();
    await screenshot(page, 'menu-open-derivative');
    const violations = await runAxe(page);
    assert.deepEqual(violations, [], formatViolations(violations));
    await page.keyboard.press('Escape');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    assert.equal(await focused(), 'menu-button', 'the focus goes back to the button');
    assertClean(records, { label: 'keyboard' });
  } finally {
    await close();
  }
});

test('on a phone, the menu of a widget low on the screen opens upward, whole on the screen, and its message too', async () => {
  const { page, records, close } = await openPage(shared.browser, `${shared.site.url}gradient.html`, {
    viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true,
  });
  try {
    const host = page.locator('calc-gradient').first();
    await host.evaluate(async (e) => {
      e.scrollIntoView();
      await customElements.whenDefined(e.localName);
      await e.ready;
    });
    const box = (selector) => host.locator(selector).evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom };
    });
    // The card's top, with its ⋯ button, 60 px above the screen's bottom edge.
    await host.evaluate((e) => scrollBy(0, e.getBoundingClientRect().top - innerHeight + 60));
    await host.locator('.menu-button').tap();
    const list = await box('.menu-list');
    const button = await box('.menu-button');
    assert.ok(list.bottom <= button.top, `the list opens above its button (${JSON.stringify({ list, button })})`);
    assert.ok(list.top >= 0 && list.bottom <= 844, `the whole list is on the screen (${JSON.stringify(list)})`);
    await host.locator('[role=menuitem][data-action=png]').tap();
    await host.locator('.menu-status').filter({ hasText: /\S/ }).waitFor({ timeout: 30_000 });
    const status = await box('.menu-status');
    assert.ok(status.top >= 0 && status.bottom <= 844, `the message is on the screen (${JSON.stringify(status)})`);
    // Scrolled so that the card is high on the screen, it opens downward again.
    await host.evaluate((e) => scrollBy(0, e.getBoundingClientRect().top - 100));
    await host.locator('.menu-button').tap();
    const down = await box('.menu-list');
    assert.ok(down.top >= (await box('.menu-button')).bottom, `the list opens below its button (${JSON.stringify(down)})`);
    assertClean(records, { label: 'phone menu' });
  } finally {
    await close();
  }
});

test('a disabled entry is announced with its reason, and axe passes on it', async () => {
  const { page, records, close } = await openPage(shared.browser, `${shared.site.url}backpropagation.html`);
  try {
    await waitForWidgets(page);
    // Every widget of the book has its script: a widget without one is made here, a gears
    // element whose class answers as the base class does (web/widget.js) while it starts.
    await page.evaluate(async () => {
      const Gears = customElements.get('calc-gears');
      const own = Object.getOwnPropertyDescriptor(Gears.prototype, 'pythonUnavailable');
      delete Gears.prototype.pythonUnavailable;
      try {
        const element = document.createElement('calc-gears');
        element.id = 'no-script';
        element.setAttribute('loading', 'eager');
        document.querySelector('calc-gears').after(element);
        await element.ready;
      } finally {
        Object.defineProperty(Gears.prototype, 'pythonUnavailable', own);
      }
    });
    const host = page.locator('calc-gears#no-script');
    const entry = host.locator('[role=menuitem][data-action=python]');
    assert.equal(await entry.getAttribute('aria-disabled'), 'true');
    await host.scrollIntoViewIfNeeded();
    await host.locator('.menu-button').click();
    assert.match(await entry.textContent(), /^Copy as Python.+/);
    const violations = await runAxe(page);
    assert.deepEqual(violations, [], formatViolations(violations));
    // Chosen all the same, it says why and copies nothing.
    await entry.focus();
    await page.keyboard.press('Enter');
    await host.locator('.menu-status').filter({ hasText: /\S/ }).waitFor({ timeout: 3000 });
    assert.match(await host.locator('.menu-status').textContent(), /^Copy as Python: .+/);
    assertClean(records, { label: 'disabled entry' });
  } finally {
    await close();
  }
});

test('a link to a figure lands on its widget and stays there while the widgets above it draw, on a phone with a slow network too', { timeout: 90_000 }, async () => {
  for (const [width, delay] of [[1280, 0], [390, 1500]]) {
    for (const [url, tag] of [
      ['derivative.html#fig-derivative', 'calc-derivative'],
      ['derivative.html#fig-numerical-error', 'calc-numerical-error'],
      ['vanishing-gradients.html#fig-playground', 'calc-playground'],
    ]) {
      const { page, records, close } = await openPage(shared.browser, `${shared.site.url}${url}`, {
        viewport: { width, height: 800 },
        hasTouch: width < 500,
        isMobile: width < 500,
        beforeGoto: (p) => delay && p.route('**/*.wasm', async (route) => { await new Promise((r) => setTimeout(r, delay)); await route.continue(); }),
      });
      try {
        const id = url.split('#')[1];
        await page.locator(`#${id} ${tag}`).evaluate(async (e) => { await customElements.whenDefined(e.localName); await e.ready; });
        await page.waitForTimeout(400);
        const top = await page.locator(`#${id} ${tag}`).evaluate((e) => e.getBoundingClientRect().top);
        assert.ok(top >= 0 && top < 200, `${url} at ${width} px: the figure's widget is at ${Math.round(top)} px`);
        assertClean(records, { label: `${url} at ${width} px` });
      } finally {
        await close();
      }
    }
  }
});

test('a link to a widget\'s view opens at that widget, not at the top of its chapter', async () => {
  for (const [url, tag, at] of [
    ['gradient-descent.html#race.n=150', 'calc-race'],
    ['derivative.html#numerical-error.samples=40', 'calc-numerical-error'],
    ['vanishing-gradients.html#cliff.threshold=2', 'calc-cliff'],
    // A heading has the id "gears": the tag names the widget all the same.
    ['backpropagation.html#gears.x=1&gears.turn=35', 'calc-gears'],
    // A follower's link holds its lab's settings, and names the follower to open at.
    ['gradient-descent.html#lab.lr=0.2&view=loss-curve', 'calc-loss-curve'],
    ['vanishing-gradients.html#view=deep-gradients', 'calc-deep-gradients'],
    // A section's anchor is no widget's: the page goes there, and its widgets work.
    ['derivative.html#flat-points', 'calc-derivative', '#flat-points'],
  ]) {
    const { page, records, close } = await openPage(shared.browser, `${shared.site.url}${url}`);
    try {
      // Landed, once the widget it names has started (or, for a section, the page has loaded).
      // (Within 10 s: a page whose scripts failed would otherwise wait for ever.)
      const drawn = (scroll) => page.locator(tag).first().evaluate(async (e, scroll) => {
        if (scroll) e.scrollIntoView();
        const ready = (async () => {
          await customElements.whenDefined(e.localName);
          await e.ready;
        })();
        await Promise.race([ready, new Promise((_, no) => setTimeout(() => no(new Error(`${e.localName} never drew`)), 10_000))]);
      }, scroll);
      if (!at) await drawn(false);
      await page.waitForTimeout(400);
      const top = await page.locator(at ?? tag).first().evaluate((e) => e.getBoundingClientRect().top);
      // And its widgets work: scrolled to, it draws.
      await drawn(true);
      assert.ok(top >= 0 && top < 200, `${url}: the widget is at ${top} px, not at the top of the window`);
      assertClean(records, { label: url });
    } finally {
      await close();
    }
  }
});

// The "Embed a widget" page and "Copy embed code": every element of the registry has a section
// with a drawn example, an attribute table and a snippet that points at where the book is
// served (here under a sub-path, as on GitHub Pages); a snippet pasted into a bare page works;
// each widget's menu copies markup that reproduces what it shows.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  ROOT, useBrowserAndSite, openPage, assertClean, runAxe, formatViolations, waitForWidgets, canvasInventory, screenshot,
} from './harness.mjs';

const shared = useBrowserAndSite({ base: '/handbook/' });

/** Every element web/ defines. */
const REGISTRY = fs.readdirSync(path.join(ROOT, 'web')).filter((f) => f.endsWith('.js'))
  .flatMap((f) => [...fs.readFileSync(path.join(ROOT, 'web', f), 'utf8').matchAll(/customElements\.define\("(calc-[a-z-]+)"/g)].map((m) => m[1]));

/** Scrolls through the page, so that widgets waiting to be near the viewport load too. */
async function scrollThrough(page) {
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += 500) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 20));
    }
  });
}

/** A bare page of the same site holding `body` only, as a blog post would. */
function openPost(context, name, body, headers = {}) {
  const url = shared.site.url + name;
  return openPage(context, url, {
    beforeGoto: (page) => page.route(`**/${name}`, (route) => route.fulfill({
      status: 200, headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A post</title><link rel="icon" href="data:,"></head><body><main><h1>A post</h1>\n${body}\n</main></body></html>`,
    })),
  });
}

test('the embed page is linked from the contents and the index', async () => {
  const { page, close } = await openPage(shared.browser, shared.site.url);
  try {
    const links = await page.$$eval('a[href="embed.html"]', (as) => as.map((a) => a.closest('nav, main')?.localName));
    assert.ok(links.includes('nav'), 'the sidebar links the embed page');
    assert.ok(links.includes('main'), 'the index page links the embed page');
  } finally {
    await close();
  }
});

test('the embed page: every element, drawn, with its attributes and a snippet that works as pasted', async () => {
  const { page, records, close } = await openPage(shared.browser, `${shared.site.url}embed.html`);
  try {
    const sections = await page.$$eval('section.embed-entry', (ss) => ss.map((s) => ({
      id: s.querySelector('h2').id,
      example: [...s.querySelector('.embed-example').querySelectorAll('*')].map((e) => e.localName).filter((t) => t.startsWith('calc-')),
      rows: s.querySelectorAll('table.embed-attributes tbody tr').length,
      snippet: s.querySelector('code[data-embed-snippet]').textContent,
    })));
    assert.deepEqual(sections.map((s) => s.id.replace('embed-', '')).sort(), [...REGISTRY].sort(), 'a section per element of the registry');
    const script = `<script type="module" src="${shared.site.url}web/calc-widgets.js"></script>`;
    for (const s of sections) {
      const tag = s.id.replace('embed-', '');
      assert.ok(s.example.includes(tag), `${tag}: a live example`);
      assert.ok(s.rows >= 1, `${tag}: an attribute table`);
      assert.ok(s.snippet.startsWith(`${script}\n`), `${tag}: the snippet loads the script from where the book is served:\n${s.snippet}`);
      assert.match(s.snippet, new RegExp(`<${tag}[\\s>]`), `${tag}: the snippet holds the element`);
    }
    await scrollThrough(page);
    await waitForWidgets(page, { timeout: 30_000 });
    const blank = (await canvasInventory(page)).filter((c) => !c.hidden && c.clientWidth > 0 && c.colors <= 1);
    assert.deepEqual(blank.map((c) => c.host), [], 'every example is drawn');
    await screenshot(page, 'embed-page');
    // The playground's address keys, as the page lists them, are the ones it writes.
    const keys = await page.evaluate(() => ({
      listed: document.querySelector('#embed-calc-playground').closest('section').querySelector('.embed-url-keys').textContent,
      written: [...new URLSearchParams(document.querySelector('calc-playground').chart.settings()).keys()],
    }));
    for (const key of keys.written) assert.match(keys.listed, new RegExp(`\\b${key}\\b`), `the playground's key ${key} is not listed`);
    const violations = await runAxe(page);
    assert.equal(violations.length, 0, formatViolations(violations));
    assertClean(records, { label: 'embed.html' });

    // Pasted as it is into a bare page, a snippet draws its widget.
    const derivative = sections.find((s) => s.id === 'embed-calc-derivative').snippet;
    const post = await openPost(shared.browser, 'pasted.html', derivative);
    try {
      await waitForWidgets(post.page);
      const colors = (await canvasInventory(post.page)).map((c) => c.colors);
      assert.ok(colors.length && colors.every((n) => n > 1), 'the pasted widget drew');
      assertClean(post.records, { label: 'pasted snippet' });
    } finally {
      await post.close();
    }
  } finally {
    await close();
  }
});

test('the embed page names in <head> the modules its first chart needs, and nothing it does not fetch', async () => {
  const html = fs.readFileSync(path.join(ROOT, 'dist', 'embed.html'), 'utf8');
  const head = html.slice(0, html.indexOf('</head>'));
  const preloads = [...head.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
  const first = html.match(/<(calc-[a-z-]+)[\s>]/)[1];
  const fetched = [];
  const { page, records, close } = await openPage(shared.browser, `${shared.site.url}embed.html`, {
    beforeGoto: (p) => p.on('request', (r) => fetched.push(new URL(r.url()).pathname.replace('/handbook/', ''))),
  });
  try {
    await page.evaluate((tag) => document.querySelector(tag).ready, first);
    const module = await page.evaluate(() => [...document.scripts].some((s) => s.src.endsWith('web/calc-widgets.js')));
    assert.ok(module, 'the page loads the widgets as a post does');
    assert.ok(preloads.length >= 3, `the registry's chunks, the first chart's module and its glue: ${preloads.join(', ')}`);
    const element = preloads.find((m) => m.startsWith(`web/${first}-`));
    assert.ok(element, `${first}'s module is among the preloads: ${preloads.join(', ')}`);
    for (const m of preloads) {
      assert.ok(fs.existsSync(path.join(ROOT, 'dist', m)), `${m} is a bundled module`);
      assert.ok(fetched.includes(m), `${m} is preloaded and fetched by the time ${first} is drawn`);
    }
    // The registry's own imports, which the browser would otherwise ask for only once it had
    // parsed the registry, are all named.
    const registry = fs.readFileSync(path.join(ROOT, 'dist', 'web', 'calc-widgets.js'), 'utf8');
    for (const [, chunk] of registry.matchAll(/(?:\bimport\s*|\bfrom\s*)"\.\/([^"]+\.js)"/g)) {
      assert.ok(preloads.includes(`web/${chunk}`), `the registry's import ${chunk} is named in <head>`);
    }
    assertClean(records, { label: 'embed.html' });
  } finally {
    await close();
  }
});

// A canvas keeps its context's state between redraws: a line cap or dash one redraw leaves
// behind must not change the next (the gears' arrows once grew a pixel at each end).
test('on a phone, the attribute tables break no word in two, and the copy buttons wear the site\'s style', async () => {
  const { page, records, close } = await openPage(shared.browser, `${shared.site.url}embed.html`, {
    viewport: { width: 390, height: 844 }, colorScheme: 'dark',
  });
  try {
    // Each word of a cell on one line: a word split across two lines has two boxes. (A line may
    // end at a hyphen: calc-descent, too-large-init.)
    const split = await page.evaluate(() => {
      const out = [];
      for (const cell of document.querySelectorAll('.embed-attributes td')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const m of node.data.matchAll(/[^\s-]+/g)) {
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            if (range.getClientRects().length > 1) out.push(m[0]);
          }
        }
      }
      return out;
    });
    assert.deepEqual(split, [], 'words broken across lines');
    // Each table on screen first: off screen, content-visibility skips its layout.
    const widths = await page.evaluate(async () => {
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      const wide = [];
      for (const table of document.querySelectorAll('.embed-table')) {
        table.scrollIntoView();
        await frame();
        await frame();
        if (table.scrollWidth > table.clientWidth) wide.push(table.closest('section')?.id);
      }
      return { page: document.documentElement.scrollWidth, tables: wide.length };
    });
    assert.deepEqual(widths, { page: 390, tables: 0 }, 'nothing wider than the screen');
    const button = page.locator('button.embed-copy').first();
    await button.scrollIntoViewIfNeeded();
    const look = await button.evaluate((b) => {
      const style = getComputedStyle(b);
      const root = getComputedStyle(document.documentElement);
      const colour = (v) => {
        const probe = document.createElement('span');
        probe.style.color = v;
        document.body.append(probe);
        const c = getComputedStyle(probe).color;
        probe.remove();
        return c;
      };
      return {
        background: style.backgroundColor === colour(root.getPropertyValue('--surface')),
        text: style.color === colour(root.getPropertyValue('--text')),
        radius: style.borderRadius,
        tall: b.getBoundingClientRect().height >= 40,
      };
    });
    assert.deepEqual(look, { background: true, text: true, radius: '6px', tall: true });
    await screenshot(page, 'embed-phone-dark');
    assertClean(records, { label: 'embed on a phone' });
  } finally {
    await close();
  }
});

test('at 320 px (a phone, or 400 % zoom) every element fits its card and the page does not scroll sideways', async () => {
  const { page, records, close } = await openPage(shared.browser, `${shared.site.url}embed.html`, { viewport: { width: 320, height: 640 } });
  try {
    await scrollThrough(page);
    await waitForWidgets(page, { timeout: 30_000 });
    const over = await page.evaluate(() => {
      const out = [];
      for (const host of document.querySelectorAll('.embed-example *')) {
        const card = host.shadowRoot?.querySelector('.widget');
        if (!card) continue;
        const edge = card.getBoundingClientRect();
        for (const n of card.querySelectorAll('*')) {
          const b = n.getBoundingClientRect();
          // An Example list is as wide as its longest option unless the card's column says not.
          if (b.width && (b.right > edge.right + 0.5 || b.left < edge.left - 0.5)) out.push(`${host.localName} ${n.localName}.${n.className}`);
        }
      }
      return [...new Set(out)];
    });
    assert.deepEqual(over, [], 'parts past their card');
    // A number inside a sentence is no Tab stop, unless it is one to drag (a slider).
    const stops = await page.evaluate(() => [...document.querySelectorAll('calc-value, calc-number')]
      .map((e) => `${e.localName} ${e.getAttribute('tabindex')} ${e.getAttribute('role')}`));
    assert.deepEqual([...new Set(stops)].sort(), ['calc-number 0 slider', 'calc-value null null']);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'the page scrolls sideways');
    assertClean(records, { label: 'embed at 320 px' });
  } finally {
    await close();
  }
});

test('every element draws once as it loads, and the same pixels when redrawn with nothing changed', async () => {
  const { page, records, close } = await openPage(shared.browser, `${shared.site.url}embed.html`);
  try {
    await scrollThrough(page);
    await waitForWidgets(page, { timeout: 30_000 });
    await canvasInventory(page); // the harness's pixel reader, which Chromium does not warn about
    const pixels = () => page.evaluate(() => [...document.querySelectorAll('.embed-example > *')]
      .filter((el) => el.localName.startsWith('calc-') && el.shadowRoot)
      .map((el) => ({
        tag: el.localName,
        canvases: [...el.shadowRoot.querySelectorAll('canvas')].map((c) => {
          const data = c.width && c.height ? window.__e2eRead(c, 0, 0, c.width, c.height) : [];
          let h = 0x811c9dc5;
          for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i], 0x01000193);
          return `${c.width}×${c.height}:${h >>> 0}`;
        }),
      })));
    const first = await pixels();
    assert.ok(first.length >= REGISTRY.length - 2, `the examples were found (${first.length})`);
    // And none drew twice as the page loaded: a second canvas's first size report, say, must
    // not repeat the first draw (the gradient's hidden pitfall map once did, for every map).
    const twice = await page.evaluate(() => [...document.querySelectorAll('.embed-example > *')]
      .filter((el) => el.drawTimes?.length > 1).map((el) => `${el.localName}: ${el.drawTimes.length} draws`));
    assert.deepEqual(twice, [], 'drawn more than once with nothing changed');
    await page.evaluate(() => {
      for (const el of document.querySelectorAll('.embed-example > *')) if (typeof el.drawNow === 'function') el.drawNow();
    });
    const again = await pixels();
    const changed = again.filter((w, i) => w.canvases.join() !== first[i].canvases.join()).map((w) => w.tag);
    assert.deepEqual(changed, [], 'these drew differently the second time');
    assertClean(records, { label: 'embed.html redrawn' });
  } finally {
    await close();
  }
});

test('Copy embed code, from the keyboard, copies each widget as it is now; pasted, it shows the same', async () => {
  const context = await shared.browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: shared.site.origin });
  try {
    const { page, records } = await openPage(context, `${shared.site.url}embed.html`);
    await scrollThrough(page);
    await waitForWidgets(page, { timeout: 30_000 });
    // The reader changes a few things first.
    await page.evaluate(() => {
      document.querySelector('calc-derivative').moveTo(2.5);
      document.querySelector('calc-gears').setX(-0.75);
      document.querySelector('calc-deep-gradients').apply({ depth: 7 });
      // Settings with no attribute of their own travel in `settings`.
      const type = (host, name, value) => {
        const field = document.querySelector(host).shadowRoot.querySelector(`[name="${name}"]`);
        field.value = value;
        field.dispatchEvent(new Event('input'));
      };
      type('calc-race', 'adam.learningRate', '0.7');
      type('calc-playground', 'lr', '0.1');
    });
    const hosts = await page.$$eval('.embed-example > *, .embed-example > p > *', (els) =>
      els.filter((e) => e.shadowRoot?.querySelector('.menu-button')).map((e, i) => {
        e.dataset.copyTest = String(i);
        return e.localName;
      }));
    const menuless = REGISTRY.filter((t) => !hosts.includes(t));
    assert.deepEqual(menuless.sort(), ['calc-number', 'calc-value'], 'every widget but the numbers inside sentences has the menu');
    const copied = {};
    for (let i = 0; i < hosts.length; i++) {
      const host = page.locator(`[data-copy-test="${i}"]`);
      const button = host.locator('.menu-button');
      await button.focus();
      assert.equal(await button.getAttribute('aria-expanded'), 'false');
      await page.keyboard.press('Enter');
      assert.equal(await button.getAttribute('aria-expanded'), 'true', `${hosts[i]}: Enter opens the menu`);
      const onItem = await host.evaluate((e) => e.shadowRoot.activeElement?.getAttribute('role'));
      assert.equal(onItem, 'menuitem', `${hosts[i]}: the focus is on the first item`);
      await page.keyboard.press('End'); // "Copy embed code" is the last entry
      await page.keyboard.press('Enter');
      const status = host.locator('.menu-status');
      await status.filter({ hasText: 'copied' }).waitFor({ timeout: 3000 });
      assert.equal(await button.getAttribute('aria-expanded'), 'false', `${hosts[i]}: the menu closes`);
      copied[hosts[i]] ??= await page.evaluate(() => navigator.clipboard.readText());
    }
    assert.match(copied['calc-derivative'], /<calc-derivative function="x\^3 - 3x" x="2.5" xmin="-10" xmax="10"><\/calc-derivative>$/);
    assert.match(copied['calc-gears'], /<calc-gears links="x\^2; sin\(A\); exp\(B\)" x="-0.75"><\/calc-gears>$/);
    assert.match(copied['calc-deep-gradients'], /<calc-deep-gradients depth="7"><\/calc-deep-gradients>$/, 'only what the reader changed');
    assert.match(copied['calc-race'], /<calc-race id="race" [^>]*settings="[^"]*adam\.lr=0\.7[^"]*"/);
    assert.match(copied['calc-playground'], /<calc-playground id="playground" preset="deep-sigmoid" settings="lr=0\.1">/);
    // The lab shows its whole path, where it starts anyway: no settings beyond its attributes.
    assert.doesNotMatch(copied['calc-descent'], /settings=/);
    // A follower brings the lab it follows.
    assert.match(copied['calc-loss-curve'], /<calc-descent id="lab-curve"[^>]*><\/calc-descent>\n<calc-loss-curve for="lab-curve"><\/calc-loss-curve>$/);
    // The page's first example is eager there; pasted elsewhere, the post decides.
    for (const text of Object.values(copied)) assert.doesNotMatch(text, / loading=/, text);
    for (const text of Object.values(copied)) assert.ok(text.startsWith(`<script type="module" src="${shared.site.url}web/calc-widgets.js"></script>\n`), text);
    assertClean(records, { label: 'copying' });

    // Pasted into a bare page, each copy shows what the widget showed: the same attributes again.
    const body = Object.values(copied).map((t, i) => (i ? t.slice(t.indexOf('\n') + 1) : t)).join('\n');
    const post = await openPost(context, 'copied.html', body);
    try {
      await scrollThrough(post.page);
      await waitForWidgets(post.page, { timeout: 30_000 });
      const again = await post.page.evaluate(() => Object.fromEntries([...document.querySelectorAll('main > *')]
        .filter((e) => e.embedMarkup).map((e) => [e.localName + (e.id ? `#${e.id}` : ''), e.embedMarkup()])));
      for (const [tag, text] of Object.entries(copied)) {
        const markup = text.split('\n').at(-1);
        assert.ok(Object.values(again).includes(markup), `${tag}: pasted, it does not show the same:\n  copied ${markup}\n  shows  ${JSON.stringify(again)}`);
      }
      assertClean(post.records, { label: 'pasted copies' });
    } finally {
      await post.close();
    }
  } finally {
    await context.close();
  }
});

test('the menu: Escape closes it and gives the focus back, ↓ ↑ move, a click outside closes it', async () => {
  const { page, records, close } = await openPage(shared.browser, `${shared.site.url}derivative.html`);
  try {
    await waitForWidgets(page);
    const host = page.locator('calc-derivative').first();
    const button = host.locator('.menu-button');
    // Named for its figure: a page's menus are told apart.
    assert.match(await button.getAttribute('aria-label'), /^Menu of Figure 1\.\d$/);
    const names = await page.$$eval('calc-secant, calc-derivative, calc-numerical-error', (els) => els.map((e) => e.shadowRoot.querySelector('.menu-button').getAttribute('aria-label')));
    assert.equal(new Set(names).size, names.length, `one name each: ${names}`);
    assert.equal(await button.getAttribute('aria-haspopup'), 'menu');
    await button.focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    await page.keyboard.press('ArrowUp'); // from the first entry it wraps onto the last
    assert.equal(await host.evaluate((e) => e.shadowRoot.activeElement?.dataset.action), 'embed');
    await page.keyboard.press('Escape');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    assert.equal(await host.evaluate((e) => e.shadowRoot.activeElement?.classList.contains('menu-button')), true);
    await button.click();
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    await page.mouse.click(5, 300);
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    // Where the clipboard is refused, the snippet is put, selected, in a field of the widget.
    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
    });
    await button.click();
    await host.locator('[role=menuitem][data-action=embed]').click();
    await host.locator('.menu-status').filter({ hasText: 'not available' }).waitFor({ timeout: 3000 });
    const field = await host.evaluate((e) => {
      const f = e.shadowRoot.querySelector('textarea.menu-fallback');
      return { value: f.value, focused: e.shadowRoot.activeElement === f, selected: f.selectionEnd - f.selectionStart, label: f.getAttribute('aria-label') };
    });
    assert.match(field.value, /\n<calc-derivative function="x\^2" x="1" xmin="-10" xmax="10"><\/calc-derivative>$/);
    assert.ok(field.focused && field.selected === field.value.length, 'the field is focused with its text selected');
    assert.equal(field.label, 'Embed code');
    assertClean(records, { label: 'menu' });
  } finally {
    await close();
  }
});

test('while its wasm is on the way, each widget holds the height it has once drawn, in the page\'s theme (1280 px light, 390 px dark)', { timeout: 120_000 }, async () => {
  for (const [width, colorScheme] of [[1280, 'light'], [390, 'dark']]) {
    let release;
    const held = new Promise((r) => (release = r));
    const { page, records, close } = await openPage(shared.browser, shared.site.url + 'embed.html', {
      viewport: { width, height: 900 },
      colorScheme,
      beforeGoto: (p) => p.route('**/*.wasm', async (route) => { await held; await route.continue(); }),
    });
    try {
      const charts = REGISTRY.filter((tag) => tag !== 'calc-number' && tag !== 'calc-value');
      const waiting = {};
      for (const tag of charts) {
        const el = page.locator(`.embed-entry ${tag}`).first();
        await el.evaluate((e) => e.scrollIntoView());
        await page.waitForFunction((e) => e.shadowRoot?.querySelector('.widget[aria-busy]'), await el.elementHandle());
        waiting[tag] = await el.evaluate((e) => e.getBoundingClientRect().height);
        const dark = await el.evaluate((e) => e.shadowRoot.querySelector('.widget').classList.contains('dark'));
        assert.equal(dark, colorScheme === 'dark', `${tag} waits in the page's ${colorScheme} theme`);
      }
      release();
      const moved = [];
      for (const tag of charts) {
        const drawn = await page.locator(`.embed-entry ${tag}`).first().evaluate(async (e) => { await e.ready; return e.getBoundingClientRect().height; });
        // Within a line of the readout: how many lines it wraps to is only known once written.
        if (Math.abs(drawn - waiting[tag]) > 24) moved.push(`${tag}: ${Math.round(waiting[tag])} → ${Math.round(drawn)} px`);
      }
      assert.deepEqual(moved, [], `at ${width} px, the first draw moved what is below these widgets`);
      assertClean(records, { label: `embed page at ${width} px, wasm held back` });
    } finally {
      release();
      await close();
    }
  }
});

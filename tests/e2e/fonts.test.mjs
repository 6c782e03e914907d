// Each page's KaTeX faces are subset to the glyphs that page draws (scripts/build-site.mjs,
// scripts/katex-assets.mjs, which works out from KaTeX's stylesheet which face draws each
// character). Here Chromium says which font drew each formula's text: always one of KaTeX's
// faces, never a system font standing in for a glyph a subset left out. Every formula is
// drawn (the "going further" asides opened, nothing skipped by content-visibility).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserAndSite, sitePages, openPage, assertClean } from './harness.mjs';

const shared = useBrowserAndSite({ base: '/handbook/' });

for (const name of sitePages()) {
  test(`${name}: every formula's glyphs come from the page's KaTeX faces`, { timeout: 60_000 }, async () => {
    const { page, records, close } = await openPage(shared.browser, shared.site.url + name);
    try {
      const count = await page.evaluate(async () => {
        const style = document.createElement('style');
        style.textContent = '* { content-visibility: visible !important; }';
        document.head.append(style);
        for (const d of document.querySelectorAll('details')) d.open = true;
        let n = 0;
        for (const el of document.querySelectorAll('.katex-html, .katex-html *')) {
          if ([...el.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.data.length)) {
            el.setAttribute('data-glyphs', String(n++));
          }
        }
        await document.fonts.ready;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        await document.fonts.ready;
        return n;
      });
      const fonts = [];
      if (count) {
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('DOM.enable');
        await cdp.send('CSS.enable');
        const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
        const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: '[data-glyphs]' });
        assert.equal(nodeIds.length, count);
        const wrong = new Map();
        for (const nodeId of nodeIds) {
          const { fonts: used } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
          for (const f of used) {
            fonts.push(f.familyName);
            if (!f.isCustomFont || !f.familyName.startsWith('KaTeX_')) {
              const { outerHTML } = await cdp.send('DOM.getOuterHTML', { nodeId });
              wrong.set(f.familyName, outerHTML.slice(0, 200));
            }
          }
        }
        await cdp.detach();
        assert.deepEqual(Object.fromEntries(wrong), {}, `${name}: formula text drawn with fonts other than KaTeX's faces`);
      }
      if (name === 'index.html' || name === 'embed.html') {
        // The introduction has a formula or two; the embed page none.
      } else {
        assert.ok(fonts.length > 100, `${name}: expected formulas (${fonts.length} text runs)`);
      }
      // Only the page's own subsets are fetched, from under the sub-path.
      const requested = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((u) => /\.woff2$/.test(u)));
      const declared = await page.evaluate(() => [...document.querySelectorAll('style')].flatMap((s) => [...s.textContent.matchAll(/url\(([^)]+)\)/g)].map((m) => new URL(m[1], location.href).href)));
      for (const url of requested) assert.ok(declared.includes(url), `${name}: fetched ${url}, which its @font-face rules do not name`);
      assertClean(records, { label: name });
    } finally {
      await close();
    }
  });
}

// Embeds under a strict Content-Security-Policy: a blog post that allows scripts from itself
// and wasm compilation only (`script-src 'self' 'wasm-unsafe-eval'`), and styles from itself
// only, so that an inline script, an eval or a style attribute anywhere in the widgets would
// be refused (and reported) here.
import test from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserAndSite, openPage, assertClean, waitForWidgets, canvasInventory } from './harness.mjs';

const shared = useBrowserAndSite({ base: '/blog/' });

const POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:";

const POST = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A post with a policy</title>
<link rel="icon" href="data:,">
<script type="module" src="web/calc-widgets.js"></script>
</head><body><main><h1>A post with a policy</h1>
<p>Chapter 1:</p><calc-derivative function="x^3 - 3x" x="1.5"></calc-derivative>
<p>Chapter 3:</p><calc-gradient function="w^2 + 10b^2"></calc-gradient>
<p>Chapter 4, a lab and its loss curve:</p><calc-descent id="lab"></calc-descent><calc-loss-curve for="lab"></calc-loss-curve>
<p>Chapter 5:</p><calc-gears></calc-gears><calc-graph function="(w*x + b - y)^2" step="end"></calc-graph>
<p>Chapter 6:</p><calc-deep-gradients></calc-deep-gradients>
</main></body></html>`;

test(`the widgets work in a post served with ${POLICY}`, async () => {
  const url = `${shared.site.url}post.html`;
  const { page, records, close } = await openPage(shared.browser, url, {
    beforeGoto: async (p) => {
      await p.route('**/post.html', (route) => route.fulfill({
        status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': POLICY }, body: POST,
      }));
      await p.addInitScript(() => {
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
      });
    },
  });
  try {
    await page.evaluate(async () => {
      for (let y = 0; y < document.documentElement.scrollHeight; y += 500) {
        window.scrollTo(0, y);
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    const found = await waitForWidgets(page, { timeout: 30_000 });
    assert.equal(found.length, 7);
    const blank = (await canvasInventory(page)).filter((c) => !c.hidden && c.clientWidth > 0 && c.colors <= 1);
    assert.deepEqual(blank.map((c) => c.host), [], 'every widget drew');
    // The menu too: open it and copy (the clipboard may be refused here; the menu says so).
    const button = page.locator('calc-gears .menu-button');
    await button.click();
    await page.locator('calc-gears [role=menuitem][data-action=embed]').click();
    await page.locator('calc-gears .menu-status').filter({ hasText: /\S/ }).waitFor({ timeout: 3000 });
    const said = await page.locator('calc-gears .menu-status').textContent();
    if (/not available/.test(said)) {
      // Refused: the snippet waits, selected, in a field of the widget.
      const field = await page.evaluate(() => document.querySelector('calc-gears').shadowRoot.querySelector('textarea.menu-fallback').value);
      assert.match(field, /<calc-gears links="x\^2; sin\(A\); exp\(B\)" x="1"><\/calc-gears>$/);
    } else {
      assert.equal(said, 'Embed code copied.');
    }
    // The gears' layout comes from its sheet, not from style attributes the policy refuses.
    const touch = await page.evaluate(() => getComputedStyle(document.querySelector('calc-gears').shadowRoot.querySelector('canvas')).touchAction);
    assert.equal(touch, 'none');
    assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no violation of the policy');
    assertClean(records, { label: 'post under CSP' });
  } finally {
    await close();
  }
});

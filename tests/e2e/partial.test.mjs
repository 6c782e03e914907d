// <calc-partial> (chapter 2's slicer): the slice's readout is the exact partial derivative,
// and holding the other variable fixed slices the other way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startSite, requireDist, openPage, assertClean, waitForWidgets, partText, waitUntil, runAxe, formatViolations,
} from './harness.mjs';

requireDist();

const FIXTURE = '__e2e-partial.html';
const FIXTURE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Partial derivative widget (test fixture)</title>
<script type="module" src="web/calc-widgets.js"></script>
</head>
<body>
<main>
<h1>Partial derivatives</h1>
<calc-partial id="p" function="w^2 + b^2" slice="b" at="5"><p>A loss surface and one slice of it.</p></calc-partial>
</main>
</body>
</html>`;
const P = '#p';

let browser;
let site;

before(async () => {
  browser = await launchBrowser();
  site = await startSite({ base: '/' });
});

after(async () => {
  await browser?.close();
  await site?.close();
});

test('calc-partial: the slice reads ∂f/∂w = 2w with b held, and ∂f/∂b = 2b the other way', { timeout: 30_000 }, async () => {
  const { page, records, close } = await openPage(browser, site.url + FIXTURE, {
    beforeGoto: (p) =>
      p.route('**/' + FIXTURE, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: FIXTURE_HTML })),
  });
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
    // Slice the other way: w held at −2, the point at b = 3: ∂f/∂b = 2·3 = 6, f = 4 + 9 = 13.
    await page.evaluate((sel) => document.querySelector(sel).shadowRoot.querySelector('input[name=other]').click(), P);
    assert.equal(
      await waitUntil(() => partText(page, P, 'readout'), (t) => t.startsWith('∂f/∂b')),
      '∂f/∂b at (w, b) = (-2.00, 3.00) = 6.00, with w held at -2.00; f = 13.00',
    );
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

// Chapter 6's budget: <calc-deep-gradients> at its largest, 20 hidden layers × 64 units,
// redraws in ≤ 16 ms (one frame), median of 41: each redraw a new draw of the weights, so it
// builds the network, runs the forward and backward pass on the batch, and draws both
// charts. Measured on a fixture page holding the widget alone (served from the site's origin).
import { stats } from '../tests/e2e/harness.mjs';

export const VANISHING_BUDGET = { deepRedrawMs: 16 };
const REDRAWS = 41;
const PAGE = '__bench-vanishing.html';
const HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>
<script type="module" src="web/calc-widgets.js"></script></head>
<body><calc-deep-gradients id="deep" depth="20" width="64" init="xavier"></calc-deep-gradients></body></html>`;

export async function measureVanishing(browser, site) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    await page.route(`**/${PAGE}`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: HTML }));
    await page.goto(site.url + PAGE, { waitUntil: 'load' });
    return await page.evaluate(async (REDRAWS) => {
      const el = document.getElementById('deep');
      await customElements.whenDefined('calc-deep-gradients');
      await el.ready;
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      const times = [];
      for (let i = 0; i < REDRAWS; i++) {
        await frame();
        el.chart.setSeed(1000 + i);
        const t0 = performance.now();
        el.drawNow();
        times.push(performance.now() - t0);
      }
      return { layers: el.norms.length - 1, times };
    }, REDRAWS);
  } finally {
    await context.close();
  }
}

/** Adds the chapter's budget to `budget` (the bench's reporter); returns lines to print. */
export function reportVanishing(measured, budget) {
  const s = stats(measured.times);
  const ok = measured.layers === 20 && s.median <= VANISHING_BUDGET.deepRedrawMs;
  budget(`calc-deep-gradients: 20 × 64 redraw with its gradients ≤ ${VANISHING_BUDGET.deepRedrawMs} ms (median of ${s.n}; p95 ${s.p95.toFixed(2)} ms)`, s.median, VANISHING_BUDGET.deepRedrawMs, ok, 'ms');
  return [`calc-deep-gradients at 20 hidden layers × 64: new weights, gradients and both charts, median ${s.median.toFixed(2)} ms, p95 ${s.p95.toFixed(2)} ms, max ${s.max.toFixed(2)} ms (${s.n} redraws)`];
}

// Chapter 5's computational graph (issue: the graph widget), on a page holding the widget
// alone, with a generated formula of about 150 nodes (a sum of products under tanh):
//   - the graph laid out and drawn ≤ 16 ms: compile, both passes, layout, the picture, plus
//     the widget's fields and list for the new formula (median of 15 alternations between two
//     such formulas, so every one is new);
//   - a backward step redrawn ≤ 4 ms (median): the step, its readout and the redraw, for every
//     step of that graph's backward pass.
// Run alone: node bench/graph.mjs (after npm run build).
import { fileURLToPath } from 'node:url';
import { fixtureHtml, openFixture, waitForWidgets, stats, launchBrowser, startSite } from '../tests/e2e/harness.mjs';

export const GRAPH_BUDGET = { layoutMs: 16, stepMedianMs: 4 };
const PAGE = '__bench-graph.html';

/** tanh(x1*w1 + … + xn*wn): 2n variables, n products, n − 1 sums, tanh. */
export function sumOfProducts(n, w = 'w') {
  return `tanh(${Array.from({ length: n }, (_, k) => `x${k + 1}*${w}${k + 1}`).join(' + ')})`;
}

export async function measureGraph(browser, site) {
  const html = fixtureHtml('Graph bench', '<calc-graph id="g"></calc-graph>');
  const { page, close } = await openFixture({ browser, site }, PAGE, html, { viewport: { width: 1280, height: 800 } });
  try {
    await waitForWidgets(page);
    return await page.evaluate(
      async ({ a, b }) => {
        const el = document.querySelector('#g');
        el.scrollIntoView({ block: 'center' });
        const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
        await frame();
        const layout = [];
        const chartOnly = [];
        for (let i = 0; i < 16; i++) {
          await frame();
          const source = i % 2 ? a : b;
          const t0 = performance.now();
          el.applyFunction(source);
          el.drawNow();
          const t1 = performance.now();
          el.chart.setFunction(source);
          el.drawNow();
          const t2 = performance.now();
          if (i > 0) {
            layout.push(t1 - t0);
            chartOnly.push(t2 - t1);
          }
        }
        const nodes = el.chart.nodeCount;
        const steps = [];
        for (let k = el.chart.forwardSteps + 1; k <= el.chart.steps; k++) {
          await frame();
          const t0 = performance.now();
          el.showStep(k);
          el.drawNow();
          steps.push(performance.now() - t0);
        }
        return { nodes, layout, chartOnly, steps };
      },
      { a: sumOfProducts(37), b: sumOfProducts(37, 'v') },
    );
  } finally {
    await close();
  }
}

/** Adds the graph's budgets to `budget` (the bench's reporter); returns lines for the table. */
export function reportGraph(measured, budget) {
  const layout = stats(measured.layout);
  const chart = stats(measured.chartOnly);
  const steps = stats(measured.steps);
  budget(`calc-graph: ${measured.nodes} nodes laid out and drawn ≤ ${GRAPH_BUDGET.layoutMs} ms (median of ${layout.n}; chart alone ${chart.median.toFixed(2)} ms)`, layout.median, GRAPH_BUDGET.layoutMs, measured.nodes <= 150 && layout.median <= GRAPH_BUDGET.layoutMs, 'ms');
  budget(`calc-graph: a backward step redrawn, median ≤ ${GRAPH_BUDGET.stepMedianMs} ms (${steps.n} steps of ${measured.nodes} nodes; p95 ${steps.p95.toFixed(2)} ms)`, steps.median, GRAPH_BUDGET.stepMedianMs, steps.median <= GRAPH_BUDGET.stepMedianMs, 'ms');
  return [
    `computational graph (calc-graph, ${measured.nodes} nodes, 1280×800)`,
    `  new formula (fields, layout, draw): median ${layout.median.toFixed(2)} ms, p95 ${layout.p95.toFixed(2)} ms; chart alone median ${chart.median.toFixed(2)} ms`,
    `  backward step (readout, redraw): median ${steps.median.toFixed(2)} ms, p95 ${steps.p95.toFixed(2)} ms over ${steps.n} steps`,
  ];
}

// Alone: node bench/graph.mjs
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const browser = await launchBrowser();
  const site = await startSite();
  try {
    const lines = [];
    const measured = await measureGraph(browser, site);
    const report = reportGraph(measured, (name, value, limit, pass, unit) => lines.push(`${pass ? 'PASS' : 'FAIL'}  ${name}: ${value.toFixed(2)} ${unit}`));
    console.log([...report, ...lines].join('\n'));
  } finally {
    await browser.close();
    await site.close();
  }
}

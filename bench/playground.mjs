// Chapter 6's training playground (<calc-playground>), measured as a reader's browser runs it
// at its default settings (the circle, 4 × 8 ReLU + He, SGD, batch 10):
//   - a played frame's work (the training slice and the chart it redraws) ≤ 8 ms median;
//   - a full frame (a slice and all three charts: boundary heat map, losses, gradient norms),
//     reported beside it;
//   - the main thread's CPU time per played frame (Chrome's ThreadTime metric: the script, and
//     the painting of the canvases that follows it) ≤ 8 ms;
//   - long tasks (PerformanceObserver 'longtask') while it plays: none. On a machine whose
//     cores are shared, a task can pass 50 ms waiting for a core; the CPU time tells the two
//     apart.
// The page is the widget alone, served from the site's origin like the tests' fixtures.
export const PLAYGROUND_BUDGET = { frameMedianMs: 8, threadMsPerFrame: 8 };

const PAGE = '__bench-playground.html';
const HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>playground bench</title>
<script type="module" src="web/calc-widgets.js"></script></head>
<body><main><calc-playground id="pg"></calc-playground></main></body></html>`;

export async function measurePlayground(browser, site) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.route(`**/${PAGE}`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: HTML }));
  try {
    await page.goto(site.url + PAGE, { waitUntil: 'load' });
    await page.evaluate(async () => {
      await customElements.whenDefined('calc-playground');
      await document.getElementById('pg').ready;
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const threadTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN;
    const before = await threadTime();
    const out = await page.evaluate(async () => {
      const el = document.getElementById('pg');
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      const long = [];
      const observer = new PerformanceObserver((list) => long.push(...list.getEntries().map((e) => e.duration)));
      observer.observe({ type: 'longtask' });
      el.frameTimes = [];
      el.play();
      while (el.frameTimes.length < 300 && el.playing) await frame();
      el.pause();
      observer.disconnect();
      return { played: [...el.frameTimes], long, epochs: el.chart.epoch };
    });
    out.threadMsPerFrame = ((await threadTime()) - before) * 1000 / out.played.length;
    out.full = await page.evaluate(async () => {
      const el = document.getElementById('pg');
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      // A full frame: one epoch (the default's slice) and all three charts.
      el.chart.reset();
      const full = [];
      for (let i = 0; i < 60; i++) {
        await frame();
        const t0 = performance.now();
        el.chart.train(el.chart.batchesPerEpoch);
        el.drawNow();
        full.push(performance.now() - t0);
      }
      return full;
    });
    return out;
  } finally {
    await context.close();
  }
}

const median = (values) => {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : NaN;
};

export function reportPlayground(p, budget) {
  const played = median(p.played);
  const full = median(p.full);
  budget(`<calc-playground> played frame (training slice + redraw) ≤ ${PLAYGROUND_BUDGET.frameMedianMs} ms median`, played, PLAYGROUND_BUDGET.frameMedianMs, played <= PLAYGROUND_BUDGET.frameMedianMs, 'ms');
  budget(`<calc-playground> main-thread CPU per played frame ≤ ${PLAYGROUND_BUDGET.threadMsPerFrame} ms`, p.threadMsPerFrame, PLAYGROUND_BUDGET.threadMsPerFrame, p.threadMsPerFrame <= PLAYGROUND_BUDGET.threadMsPerFrame, 'ms');
  budget('<calc-playground> long tasks (> 50 ms) while it plays', p.long.length, 0, p.long.length === 0, '');
  return [
    `training playground (circle, 4 × 8 ReLU + He, sgd 0.03, batch 10), ${p.played.length} played frames, ${p.epochs} epochs:`,
    `  played frame ${played.toFixed(2)} ms median (main thread ${p.threadMsPerFrame.toFixed(2)} ms CPU per frame, painting included) · full frame (an epoch and all three charts) ${full.toFixed(2)} ms median · long tasks ${p.long.length}${p.long.length ? ` (${p.long.map((d) => d.toFixed(0)).join(', ')} ms)` : ''}`,
  ];
}

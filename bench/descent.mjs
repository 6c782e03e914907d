// Chapter 4's budgets (issue 4), measured on the chapter page as a reader loads it:
//   - the optimizer race animating: per-frame work (advance one step, update the readouts,
//     redraw four 500-step paths on the contour map), median ≤ 4 ms;
//   - a learning-rate sweep of 200 rates × 100 steps computed in ≤ 20 ms (median of 15).
import { stats } from '../tests/e2e/harness.mjs';

export const DESCENT_BUDGET = { frameMedianMs: 4, sweepMs: 20 };
const FRAMES = 500;

export async function measureDescent(page) {
  return page.evaluate(async (FRAMES) => {
    const race = document.querySelector('calc-race');
    const sweep = document.querySelector('calc-lr-sweep');
    const out = {};
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    if (race) {
      await race.ready;
      race.scrollIntoView({ block: 'center' });
      await frame();
      // Every racer runs 500 steps on the page's landscape (none diverges there).
      const field = race.shadowRoot.querySelector('input[name=iterations]');
      field.value = '500';
      field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      const lengths = [0, 1, 2, 3].map((i) => race.chart.length(i));
      const times = [];
      for (let k = 0; k < FRAMES; k++) {
        await frame();
        const t0 = performance.now();
        race.showStep(k + 1);
        race.drawNow();
        times.push(performance.now() - t0);
      }
      out.race = { lengths, times };
    }
    if (sweep) {
      await sweep.ready;
      const times = [];
      for (let i = 0; i < 15; i++) {
        const t0 = performance.now();
        sweep.chart.compute(8, 9, 100);
        times.push(performance.now() - t0);
      }
      out.sweep = { times, points: sweep.chart.points().length / 3 };
    }
    return out;
  }, FRAMES);
}

/** Adds the chapter's budgets to `budget` (the bench's reporter). */
export function reportDescent(name, measured, budget) {
  if (measured.race) {
    const s = stats(measured.race.times);
    const full = measured.race.lengths.every((n) => n === 501);
    budget(`${name} calc-race: per-frame work median ≤ ${DESCENT_BUDGET.frameMedianMs} ms (4 optimizers × 500 steps; p95 ${s.p95.toFixed(2)} ms)`, s.median, DESCENT_BUDGET.frameMedianMs, full && s.median <= DESCENT_BUDGET.frameMedianMs, 'ms');
  }
  if (measured.sweep) {
    const s = stats(measured.sweep.times);
    budget(`${name} calc-lr-sweep: ${measured.sweep.points} rates × 100 steps ≤ ${DESCENT_BUDGET.sweepMs} ms (median of 15)`, s.median, DESCENT_BUDGET.sweepMs, measured.sweep.points === 200 && s.median <= DESCENT_BUDGET.sweepMs, 'ms');
  }
}

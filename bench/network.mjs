// The network engine's budgets (issue 11), measured in the page as a reader's browser runs it:
//   - training throughput on TensorFlow Playground's spiral (250 points, a 2-8-8-1 tanh net,
//     batch 10, sgd, learning rate 0.03, one epoch = 25 steps): Network.step ≥ 40× the epochs
//     per second of TensorFlow.js (@tensorflow/tfjs, cpu backend) on the same net and data,
//     with Playground's own engine (bench/playground-nn.js) timed beside them;
//   - predict on a 100 × 100 grid of that net ≤ 1 ms (median of 41 means of 10 calls; the
//     slower of the net as made and after 100 epochs);
//   - one step of a 10-layer × 32-unit net on a batch of 64 ≤ 1 ms (median).
// The last two run in a page of their own, as chapter 6's does (measureCalls).
// The three engines take turns in short slices, so that a slow stretch of the machine falls
// on all of them; the ratios are of medians measured in this one run.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const NETWORK_BUDGET = { speedupVsTfjs: 40, gridMs: 1, deepStepMs: 1 };

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SCRIPTS = {
  'tf.min.js': `${ROOT}node_modules/@tensorflow/tfjs/dist/tf.min.js`,
  'playground-nn.js': `${ROOT}bench/playground-nn.js`,
};

/**
 * What both pages run with, injected before their scripts: the median; `timed`, since the
 * page's clock ticks in 0.1 ms steps (no cross-origin isolation), too coarse for one call,
 * each sample is the mean of 10 calls in a row and the result their median; one epoch of
 * `step` over the data in batches; and the JS API module, loaded.
 */
function pageHelpers() {
  const median = (v) => {
    const s = [...v].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const timed = (f, samples) => {
    for (let i = 0; i < 200; i++) f();
    const times = [];
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      for (let k = 0; k < 10; k++) f();
      times.push((performance.now() - t0) / 10);
    }
    return median(times);
  };
  const epoch = (net, inputs, labels, batch, options) => {
    for (let s = 0; s < labels.length / batch; s++) {
      net.step(inputs.subarray(s * 2 * batch, (s + 1) * 2 * batch), labels.subarray(s * batch, (s + 1) * batch), options);
    }
  };
  // The JS API module, from the site's pkg/ (`pkg`: its URL).
  const calculus = async (pkg) => {
    const calc = await import(`${pkg}calculus.js`);
    await calc.default({ module_or_path: `${pkg}calculus_bg.wasm` });
    return calc;
  };
  globalThis.bench = { median, timed, epoch, calculus };
}

/**
 * Runs `run({ pkg, origin })` in a fresh page of the site (its index), with
 * pageHelpers as `globalThis.bench`; throws the page's own errors.
 */
async function inPage(browser, site, run, { setup } = {}) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(pageHelpers);
    await setup?.(page);
    await page.goto(site.url + 'index.html', { waitUntil: 'load' });
    const out = await page.evaluate(run, { pkg: site.url + 'pkg/', origin: site.origin });
    if (errors.length) throw new Error(`network bench page errors: ${errors.join('; ')}`);
    return out;
  } finally {
    await context.close();
  }
}

/** The two peers, served from the site's own origin, only to the page that races them. */
const servePeers = (site) => (page) =>
  page.route(`${site.origin}/__bench/*`, (route) => {
    const file = SCRIPTS[new URL(route.request().url()).pathname.split('/').pop()];
    if (!file) return route.fulfill({ status: 404, body: '' });
    route.fulfill({ status: 200, contentType: 'text/javascript', body: fs.readFileSync(file) });
  });

export async function measureNetwork(browser, site) {
  const race = await inPage(browser, site, async ({ pkg, origin }) => {
    const load = (src) =>
      new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = src;
        s.onload = resolve;
        s.onerror = () => reject(new Error(`could not load ${src}`));
        document.head.append(s);
      });
    await load(`${origin}/__bench/tf.min.js`);
    await load(`${origin}/__bench/playground-nn.js`);
    const { Network, dataset } = await globalThis.bench.calculus(pkg);
    const { median, epoch } = globalThis.bench;
    const tf = globalThis.tf;
    await tf.setBackend('cpu');
    await tf.ready();

    const { inputs, labels } = dataset('spiral', { count: 250, noise: 0, seed: 1 });
    const BATCH = 10;
    const STEPS = labels.length / BATCH;
    const options = { learningRate: 0.03, optimizer: 'sgd', loss: 'mse' };

    const ours = new Network([2, 8, 8, 1], { activation: 'tanh', seed: 1 });
    const oursEpoch = () => epoch(ours, inputs, labels, BATCH, options);

    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }));
    model.add(tf.layers.dense({ units: 8, activation: 'tanh' }));
    model.add(tf.layers.dense({ units: 1 }));
    const sgd = tf.train.sgd(0.03);
    // The batches as tensors made once: what a careful TF.js user would do.
    const xs = [], ys = [];
    for (let s = 0; s < STEPS; s++) {
      xs.push(tf.tensor2d(Float32Array.from(inputs.subarray(s * 2 * BATCH, (s + 1) * 2 * BATCH)), [BATCH, 2]));
      ys.push(tf.tensor2d(Float32Array.from(labels.subarray(s * BATCH, (s + 1) * BATCH)), [BATCH, 1]));
    }
    const tfjsEpoch = () => {
      for (let s = 0; s < STEPS; s++) {
        sgd.minimize(() => tf.losses.meanSquaredError(ys[s], model.apply(xs[s])), false);
      }
    };

    const pg = globalThis.playgroundNN;
    const playground = pg.buildNetwork([2, 8, 8, 1], pg.TANH, pg.LINEAR, ['x', 'y']);
    const playgroundEpoch = () => pg.epoch(playground, inputs, labels, BATCH, 0.03);

    // Epochs per second of each engine in slices of ~150 ms, taking turns.
    const engines = { ours: oursEpoch, tfjs: tfjsEpoch, playground: playgroundEpoch };
    const rates = { ours: [], tfjs: [], playground: [] };
    for (const run of Object.values(engines)) for (let i = 0; i < 5; i++) run();
    for (let round = 0; round < 9; round++) {
      for (const [name, run] of Object.entries(engines)) {
        const t0 = performance.now();
        let epochs = 0;
        while (performance.now() - t0 < 150) {
          run();
          epochs++;
        }
        rates[name].push(epochs / ((performance.now() - t0) / 1000));
      }
    }
    return {
      epochsPerSecond: { ours: median(rates.ours), tfjs: median(rates.tfjs), playground: median(rates.playground) },
      finalLoss: ours.gradients(inputs, labels).loss,
    };
  }, { setup: servePeers(site) });
  return { ...race, ...(await measureCalls(browser, site)) };
}

/**
 * The decision grid's predict and the deep net's step, alone in a page of their own, as
 * chapter 6's page runs them: not after TF.js has trained in the same page, whose heap made
 * every collection slower (the grid's 1.04 ms there, 0.91 to 0.93 alone).
 */
function measureCalls(browser, site) {
  return inPage(browser, site, async ({ pkg }) => {
    const { Network, dataset } = await globalThis.bench.calculus(pkg);
    const { timed, epoch } = globalThis.bench;
    const ours = new Network([2, 8, 8, 1], { activation: 'tanh', seed: 1 });
    const { inputs, labels } = dataset('spiral', { count: 250, noise: 0, seed: 1 });

    // A 100 × 100 grid over the data's square, as the decision map draws it.
    const grid = new Float64Array(2 * 100 * 100);
    for (let r = 0; r < 100; r++) {
      for (let c = 0; c < 100; c++) {
        grid[2 * (r * 100 + c)] = -6 + (12 * c) / 99;
        grid[2 * (r * 100 + c) + 1] = 6 - (12 * r) / 99;
      }
    }
    // The map is drawn from the first epoch on, and tanh's cost depends on the sums' sizes:
    // the slower of the net as made and after 100 epochs as the race runs them.
    const fresh = timed(() => ours.predict(grid), 41);
    for (let e = 0; e < 100; e++) epoch(ours, inputs, labels, 10, { learningRate: 0.03 });
    const gridMs = Math.max(fresh, timed(() => ours.predict(grid), 41));

    const deep = new Network([2, ...Array(10).fill(32), 1], { activation: 'relu', init: 'he', seed: 1 });
    const batch = dataset('moons', { count: 64, noise: 0.1, seed: 2 });
    const deepStepMs = timed(() => deep.step(batch.inputs, batch.labels, { learningRate: 0.01, optimizer: 'adam', loss: 'bce' }), 41);
    return { gridMs, deepStepMs };
  });
}

export function reportNetwork(n, budget) {
  const { ours, tfjs, playground } = n.epochsPerSecond;
  const vsTfjs = ours / tfjs;
  budget(`Network.step ≥ ${NETWORK_BUDGET.speedupVsTfjs}× TensorFlow.js epochs/s (spiral, 2-8-8-1 tanh, batch 10)`, vsTfjs, NETWORK_BUDGET.speedupVsTfjs, vsTfjs >= NETWORK_BUDGET.speedupVsTfjs, '×');
  budget(`Network.predict on a 100 × 100 grid (2-8-8-1) ≤ ${NETWORK_BUDGET.gridMs} ms median`, n.gridMs, NETWORK_BUDGET.gridMs, n.gridMs <= NETWORK_BUDGET.gridMs, 'ms');
  budget(`Network.step, 10 × 32 units, batch 64 ≤ ${NETWORK_BUDGET.deepStepMs} ms median`, n.deepStepMs, NETWORK_BUDGET.deepStepMs, n.deepStepMs <= NETWORK_BUDGET.deepStepMs, 'ms');
  return [
    `training on the spiral (250 points, 2-8-8-1 tanh, batch 10, sgd 0.03), epochs per second (median of 9 slices):`,
    `  Network.step ${ours.toFixed(0)} · TensorFlow.js (cpu) ${tfjs.toFixed(0)} · TensorFlow Playground's engine ${playground.toFixed(0)}`,
    `  → ${vsTfjs.toFixed(1)}× TensorFlow.js, ${(ours / playground).toFixed(1)}× Playground`,
    `predict 100 × 100 grid: ${n.gridMs.toFixed(3)} ms · deep step (10 × 32, batch 64, adam, bce): ${n.deepStepMs.toFixed(3)} ms`,
  ];
}

// "Copy as Python": every widget's script (web/python-scripts.js) run by python3 with numpy and
// matplotlib (Agg), at several states — a typed function, a diverging descent, a preset — and
// what it prints compared with the engine's own numbers to the digits the readout shows. And
// `toPython` for every function and operator: numpy's value against the engine's, point by point.
// Needs python3 with numpy and matplotlib (`.ci/run` installs them from PyPI when missing).
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import calc from './calculus.mjs';
import { CHAINS, CLIFF, DEEP_GRADIENTS, LANDSCAPES, PLAYGROUND_DATA, PLAYGROUND_PRESETS, RACERS } from '../../build/pkg/book.js';

// web/python-scripts.js and web/python/ import ../pkg/book.js as they sit in dist/: here, copies beside build/pkg.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const beside = fs.mkdtempSync(path.join(os.tmpdir(), 'handbook-python-'));
fs.mkdirSync(path.join(beside, 'web'));
fs.copyFileSync(path.join(ROOT, 'web', 'python-scripts.js'), path.join(beside, 'web', 'python-scripts.js'));
fs.cpSync(path.join(ROOT, 'web', 'python'), path.join(beside, 'web', 'python'), { recursive: true });
fs.symlinkSync(path.join(ROOT, 'build', 'pkg'), path.join(beside, 'pkg'));
const { pythonScript } = await import(pathToFileURL(path.join(beside, 'web', 'python-scripts.js')).href);
process.on('exit', () => fs.rmSync(beside, { recursive: true, force: true }));

/**
 * Runs `code` as a copied script: matplotlib on Agg, show() a no-op; counts the figures drawn.
 * An array of scripts runs in one Python (numpy and matplotlib imported once), each in a fresh
 * namespace with the figures of the one before closed; it gives an array of results.
 */
function runPython(code) {
  const wrapper = `import json, sys, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
plt.show = lambda *a, **k: None
for i, code in enumerate(json.load(sys.stdin)):
    try:
        exec(compile(code, "<copied>", "exec"), {"__name__": "__main__"})
    except BaseException:
        print(f"SCRIPT {i}", file=sys.stderr)
        raise
    print("FIGURES", len(plt.get_fignums()), flush=True)
    plt.close("all")
`;
  const scripts = Array.isArray(code) ? code : [code];
  const run = spawnSync('python3', ['-c', wrapper], { input: JSON.stringify(scripts), encoding: 'utf8', env: { ...process.env, MPLBACKEND: 'Agg' } });
  if (run.error) throw new Error(`python3 could not run (${run.error.message}): install Python 3 with numpy and matplotlib`);
  const failed = scripts[Number(run.stderr.match(/^SCRIPT (\d+)$/m)?.[1])];
  assert.equal(run.status, 0, `the script failed:\n${run.stderr}\n--- script ---\n${failed ?? scripts.join('\n---\n')}`);
  const results = [];
  let printed = [];
  for (const line of run.stdout.replace(/\n$/, '').split('\n')) {
    const figures = line.match(/^FIGURES (\d+)$/);
    if (!figures) printed.push(line);
    else {
      results.push({ printed: printed.join('\n').trim(), figures: Number(figures[1]) });
      printed = [];
    }
  }
  return Array.isArray(code) ? results : results[0];
}

const hasNumpy = spawnSync('python3', ['-c', 'import numpy, matplotlib'], { encoding: 'utf8' }).status === 0;
if (!hasNumpy) {
  test('python3 with numpy and matplotlib', () => {
    assert.fail('python3 with numpy and matplotlib is needed: python3 -m pip install numpy matplotlib (.ci/run does it)');
  });
}

/** A stand-in for a widget: its tag, its state and the full build (which has toPython). */
const widget = (localName, state) => ({ localName, calculus: calc, pythonUnavailable: () => null, pythonState: () => state });

/** The numbers in a line of text (1.00e6, −∞ aside). */
const numbers = (text) => [...text.matchAll(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g)].map((m) => m[0]);

/**
 * `printed` says `expected` (the engine's numbers written as the readout writes them): the same
 * words, and each number the same to the digits shown (one unit in the last digit allowed,
 * for a value that sits on a rounding boundary).
 */
function sameReadout(printed, expected, what) {
  const words = (t) => t.replace(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g, '#');
  assert.equal(words(printed), words(expected), `${what}: the script prints\n  ${printed}\nthe widget shows\n  ${expected}`);
  const [ours, theirs] = [numbers(printed), numbers(expected)];
  theirs.forEach((shown, i) => {
    const decimals = (shown.split('e')[0].split('.')[1] ?? '').length;
    const exponent = shown.includes('e') ? Number(shown.split('e')[1]) : 0;
    const unit = 10 ** (exponent - decimals);
    assert.ok(Math.abs(Number(ours[i]) - Number(shown)) <= unit * 1.0001,
      `${what}: ${ours[i]} where the widget shows ${shown}\n  ${printed}\n  ${expected}`);
  });
}

const fmt = (v, style, digits) => calc.formatNumber(v, style, digits);
const dec = (v) => fmt(v, 'decimals', 2);
const sig = (v, d = 4) => fmt(v, 'significant', d);

/** The explorer's readout (crates/calculus-wasm/src/chart/explorer.rs), at a smooth point. */
function derivativeReadout(source, x, v = 'x') {
  const [f, d] = [calc.evaluate(source, { [v]: x }), calc.derivative(source, x)];
  const trend = d > 0 ? ': increasing' : d < 0 ? ': decreasing' : ': flat';
  return `${v} = ${dec(x)}, f(${v}) = ${dec(f)}, f'(${v}) = ${dec(d)}${trend}`;
}

test('derivative: the readout at typed functions, presets and a variable of another name', { skip: !hasNumpy }, async () => {
  const cases = [
    ['x^2', 1, 'x', [-10, 10]],
    ['x^3 - 3x', 1.5, 'x', [-3, 3]],
    ['sin(x)^2 + relu(x - 1) - 2sigmoid(-x)', 0.7, 'x', [-5, 5]],
    ['log(t, 2) + sec(t) + atan2(t, 2) + max(t, 1)', 0.4, 't', [0.1, 3]],
  ];
  for (const [source, x, variable, range] of cases) {
    const script = await pythonScript(widget('calc-derivative', { source, variable, x, range, numerical: true, samples: 50 }));
    const { printed, figures } = runPython(script);
    sameReadout(printed, derivativeReadout(source, x, variable), source);
    assert.equal(figures, 1, `${source}: one figure`);
  }
  // Where f has no derivative the script says so, as the explorer does.
  const at = async (source, x) => runPython(await pythonScript(widget('calc-derivative', { source, variable: 'x', x, range: [-3, 3], numerical: false }))).printed;
  assert.equal(await at('abs(x)', 0), "x = 0.00, f(x) = 0.00, f'(x) = undefined: a corner (slope -1.00 from the left, 1.00 from the right)");
  assert.equal(await at('relu(x) + 2', 0), "x = 0.00, f(x) = 2.00, f'(x) = undefined: a corner (slope 0.00 from the left, 1.00 from the right)");
  assert.equal(await at('sign(x)', 0), "x = 0.00, f(x) = 0.00, f'(x) = undefined: f jumps here");
  assert.equal(await at('ln(x)', -1), "x = -1.00, f(x) = undefined, f'(x) = undefined");
});

test('secant: the difference quotient and the tangent slope', { skip: !hasNumpy }, async () => {
  for (const [source, x, h] of [['x^2', 1, 1], ['exp(x) - x^3', 0.5, 0.001], ['cbrt(x) + nthRoot(x, 5)', -2, 0.1]]) {
    const script = await pythonScript(widget('calc-secant', { source, variable: 'x', x, h, range: [x - 2, x + 2] }));
    const q = (calc.evaluate(source, { x: x + h }) - calc.evaluate(source, { x })) / h;
    const d = calc.derivative(source, x);
    const f4 = (v) => fmt(v, 'fixed', 4);
    const expected = `h = ${f4(h)}: secant slope (f(x + h) − f(x))/h = ${f4(q)}, tangent slope f'(${dec(x)}) = ${f4(d)}, gap ${f4(Math.abs(q - d))}`;
    sameReadout(runPython(script).printed, expected, source);
  }
  const corner = await pythonScript(widget('calc-secant', { source: 'abs(x)', variable: 'x', x: 0, h: 0.5, range: [-2, 2] }));
  assert.equal(runPython(corner).printed, 'h = 0.5000: secant slope (f(x + h) − f(x))/h = 1.0000; no tangent at x = 0.00, a corner: the secant slope tends to -1.0000 from the left and 1.0000 from the right');
});

test('numerical error: numpy.gradient against the exact derivative', { skip: !hasNumpy }, async () => {
  for (const [source, samples, range] of [['sin(x)', 100, [-10, 10]], ['x^3 - 3x', 21, [-2, 2]]]) {
    const script = await pythonScript(widget('calc-numerical-error', { source, variable: 'x', samples, range }));
    const xs = Array.from({ length: samples }, (_, i) => (i === samples - 1 ? range[1] : i * ((range[1] - range[0]) / (samples - 1)) + range[0]));
    const ys = xs.map((x) => calc.evaluate(source, { x }));
    const numerical = calc.numericalGradient(ys, xs);
    const exact = calc.derivatives(source, xs);
    const error = xs.map((_, i) => Math.abs(numerical[i] - exact[i]));
    const worst = Math.max(...error.slice(1, -1));
    const expected = `spacing h = ${sig((range[1] - range[0]) / (samples - 1))}; error at the ends: ${sig(error[0])} and ${sig(error.at(-1))}; inside: largest ${sig(worst)}`;
    sameReadout(runPython(script).printed, expected, source);
  }
});

test('partial: a slice with one variable held', { skip: !hasNumpy }, async () => {
  for (const [source, fixed, at, point] of [['w^2 + b^2', 1, 5, 3], ['w*b + sin(b)', 0, -1.5, 2]]) {
    const script = await pythonScript(widget('calc-partial', { source, names: ['w', 'b'], fixed, at, point, freeRange: [-10, 10] }));
    const [w, b] = fixed === 1 ? [point, at] : [at, point];
    const [free, held] = fixed === 1 ? ['w', 'b'] : ['b', 'w'];
    const g = calc.gradient(source, { w, b });
    const two = (v) => fmt(v, 'fixed', 2);
    const expected = `∂f/∂${free} at (w, b) = (${two(w)}, ${two(b)}) = ${two(g[free])}, with ${held} held at ${two(at)}; f = ${two(calc.evaluate(source, { w, b }))}`;
    sameReadout(runPython(script).printed, expected, source);
  }
});

test('gradient: f, ∇f and its length at the probe', { skip: !hasNumpy }, async () => {
  for (const [source, w, b, downhill] of [['w^2 + b^2', 3, 4, false], ['(w^2 + b - 11)^2 + (w + b^2 - 7)^2', 0.5, -1, true], ['w + 2', 1, 1, false]]) {
    const script = await pythonScript(widget('calc-gradient', { source, names: ['w', 'b'], w, b, range: [-5, 5, -5, 5], arrows: 9, downhill }));
    const g = calc.gradient(source, { w, b });
    const [gw, gb] = [g.w ?? 0, g.b ?? 0];
    const expected = `at (w, b) = (${dec(w)}, ${dec(b)}): f = ${dec(calc.evaluate(source, { w, b }))}, ∇f = [∂f/∂w, ∂f/∂b] = [${dec(gw)}, ${dec(gb)}], ‖∇f‖ = ${dec(Math.hypot(gw, gb))}`;
    sameReadout(runPython(script).printed, expected, source);
  }
});

/** The lab's readout at step k (crates/calculus-wasm/src/chart/descent_map.rs). */
function descentReadout(source, [w, b], rate, iterations, k) {
  const run = calc.descend(source, { start: { w, b }, learningRate: rate, iterations });
  const at = run.variables;
  const last = run.path.length - 1;
  k = Math.min(k, last);
  const point = Object.fromEntries(at.map((name, i) => [name, run.path[k][i]]));
  const p = { w, b, ...point };
  const g = calc.gradient(source, p);
  const [gw, gb] = [g.w ?? 0, g.b ?? 0];
  let text = `step ${k}: (w, b) = ${calc.formatPoint(p.w, p.b, 'value')}, f = ${sig(run.loss[k])}, ∇f = [${sig(gw)}, ${sig(gb)}], ‖∇f‖ = ${sig(Math.hypot(gw, gb))}`;
  if (run.diverged && k === last) text += `. Diverged at step ${run.path.length}: the loss ran past ${dec(1e6)} times its start, so the run stopped.`;
  return { text, run, k };
}

const labState = (source, w, b, rate, iterations, k, range = [-10, 10, -10, 10]) =>
  ({ source, names: ['w', 'b'], w, b, rate, iterations, k, range });

test('descent: the lab at a step, a typed function, a diverging run', { skip: !hasNumpy }, async () => {
  const cases = [
    ['w^2 + b^2', 8, 9, 0.1, 30, 500], // the chapter's bowl, at the end
    ['w^2 + b^2', 8, 9, 0.1, 30, 7], // a step along the way
    ['w^2 + b^2', 8, 9, 1.5, 30, 500], // diverges: ×4 a step
    ['(1 - w)^2 + 100(b - w^2)^2', -1.5, 2.5, 0.0015, 500, 500], // Rosenbrock
    ['w^2 + 3sin(b)^2 + abs(w - b)/10', 2, -3, 0.05, 60, 500], // typed
  ];
  for (const [source, w, b, rate, iterations, k] of cases) {
    const script = await pythonScript(widget('calc-descent', labState(source, w, b, rate, iterations, k)));
    const { text } = descentReadout(source, [w, b], rate, iterations, k);
    const { printed, figures } = runPython(script);
    sameReadout(printed, text, `${source} at η = ${rate}`);
    assert.equal(figures, 1);
  }
  // The diverging run says so, as the lab does.
  const diverging = runPython(await pythonScript(widget('calc-descent', labState('w^2 + b^2', 8, 9, 1.5, 30, 500)))).printed;
  assert.match(diverging, /Diverged at step \d+: the loss ran past 1\.00e6 times its start/);
});

test('loss curve: the lab\'s loss at the step shown, and a diverging run', { skip: !hasNumpy }, async () => {
  for (const [rate, k] of [[0.1, 30], [0.1, 4], [1.5, 500]]) {
    const script = await pythonScript(widget('calc-loss-curve', labState('w^2 + b^2', 8, 9, rate, 30, k)));
    const run = calc.descend('w^2 + b^2', { start: { w: 8, b: 9 }, learningRate: rate, iterations: 30 });
    const shown = Math.min(k, run.path.length - 1);
    const diverged = run.diverged ? `; the run diverged at step ${run.path.length}` : '';
    sameReadout(runPython(script).printed, `step ${shown}: loss = ${fmt(run.loss[shown], 'value')}${diverged}`, `η = ${rate}`);
  }
});

test('learning-rate sweep: the critical rate 2/L and the lab\'s run', { skip: !hasNumpy }, async () => {
  const bowl = runPython(await pythonScript(widget('calc-lr-sweep', { ...labState('w^2 + b^2', 8, 9, 0.1, 30, 30), steps: 100 }))).printed;
  const run = calc.descend('w^2 + b^2', { start: { w: 8, b: 9 }, learningRate: 0.1, iterations: 100 });
  // On w² + b² the curvature is 2 everywhere: 2/L = 1.
  sameReadout(bowl, `Learning rate 0.100: ends at loss ${sig(run.loss.at(-1), 3)} after 100 steps (from ${sig(run.loss[0], 3)}). Critical rate 2/L = 1.000 (L, the largest curvature, measured where the best run ended, (0, 0)).`, 'bowl');
  const valley = runPython(await pythonScript(widget('calc-lr-sweep', { ...labState('w^2 + 10b^2', -9, 2, 0.5, 30, 30), steps: 100 }))).printed;
  // L = 20 along b: 2/L = 0.1, and η = 0.5 diverges.
  assert.match(valley, /^Learning rate 0\.500: diverges at step \d+\. Critical rate 2\/L = 0\.1000 /);
});

test('race: four optimizers with PyTorch\'s rules, as the race runs them', { skip: !hasNumpy }, async () => {
  for (const landscape of [LANDSCAPES[1], LANDSCAPES[2]]) {
    const racers = RACERS.map(({ key, name, params }, i) => {
      const { learningRate, ...rest } = landscape.race.racers[i];
      return { key, name, learningRate, enabled: true, params: Object.fromEntries(params.map(([p]) => [p, rest[p]])) };
    });
    const k = landscape.race.steps;
    const state = { source: landscape.source, names: ['w', 'b'], w: landscape.start[0], b: landscape.start[1], iterations: k, k, range: landscape.range, racers };
    const printed = runPython(await pythonScript(widget('calc-race', state))).printed;
    const parts = racers.map(({ key, name, learningRate, params }) => {
      const run = calc.descend(landscape.source, { start: { w: state.w, b: state.b }, learningRate, iterations: k, optimizer: key, ...params });
      return run.diverged ? `${name} diverged at step ${run.path.length}` : `${name} ${fmt(run.loss.at(-1), 'value')}`;
    });
    sameReadout(printed, `step ${k}: ${parts.join(', ')}`, landscape.source);
  }
});

test('cliff: plain and clipped descent, as clip_grad_norm_ clips', { skip: !hasNumpy }, async () => {
  const words = (run) => {
    const steps = run.path.slice(1).map((p, i) => Math.hypot(p[0] - run.path[i][0], p[1] - run.path[i][1]));
    const end = run.path.at(-1);
    const [w, b] = run.variables[0] === 'w' ? end : [end[1], end[0]];
    return `longest step ${sig(Math.max(0, ...steps), 3)}, ends at ${calc.formatPoint(w, b, 'value')}, f = ${sig(run.loss.at(-1), 3)}`;
  };
  for (const threshold of [CLIFF.threshold, 0.3, 12]) {
    const options = { start: { w: CLIFF.start[0], b: CLIFF.start[1] }, learningRate: CLIFF.rate, iterations: CLIFF.steps };
    const thrown = calc.descend(CLIFF.source, options);
    // descend() has no clipping: the clipped walk step by step on the engine's gradient.
    const clipped = { variables: ['w', 'b'], path: [[CLIFF.start[0], CLIFF.start[1]]], loss: [] };
    let [w, b] = CLIFF.start;
    clipped.loss.push(calc.evaluate(CLIFF.source, { w, b }));
    for (let t = 0; t < CLIFF.steps; t++) {
      let { w: gw, b: gb } = calc.gradient(CLIFF.source, { w, b });
      const scale = threshold / (Math.sqrt(gw * gw + gb * gb) + 1e-6);
      if (scale < 1) [gw, gb] = [gw * scale, gb * scale];
      [w, b] = [w - CLIFF.rate * gw, b - CLIFF.rate * gb];
      clipped.path.push([w, b]);
      clipped.loss.push(calc.evaluate(CLIFF.source, { w, b }));
    }
    const expected = `Unclipped: ${words(thrown)}. Clipped at ${fmt(threshold, 'value')}: ${words(clipped)} (at most η × threshold = ${fmt(CLIFF.rate * threshold, 'value')}).`;
    sameReadout(runPython(await pythonScript(widget('calc-cliff', { threshold }))).printed, expected, `threshold ${threshold}`);
  }
});

/** The deep-gradients chart's number style: `1.2 × 10⁻⁶` beyond [0.01, 1000). */
function timesPower(v) {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return 'overflow';
  if (Math.abs(v) >= 1e-2 && Math.abs(v) < 1e3) return sig(v, 2);
  let exponent = Math.floor(Math.log10(Math.abs(v)));
  let mantissa = v / 10 ** exponent;
  if (Math.abs(mantissa) >= 9.95) [mantissa, exponent] = [Math.sign(mantissa), exponent + 1];
  return `${sig(mantissa, 2)} × ${fmt(exponent, 'power')}`;
}

test('deep gradients: the seeded network on the spiral, each activation and init, as the engine measures it', { skip: !hasNumpy }, async () => {
  const data = calc.dataset(DEEP_GRADIENTS.dataset, { count: DEEP_GRADIENTS.points, noise: 0, seed: DEEP_GRADIENTS.seed });
  const cases = [
    { depth: 10, width: 32, activation: 'sigmoid', init: 'normal', sigma: 0.1, seed: 1 }, // the chapter's: vanishing
    { depth: 6, width: 16, activation: 'relu', init: 'he', sigma: 0.1, seed: 3 },
    { depth: 8, width: 24, activation: 'tanh', init: 'normal', sigma: 2, seed: 2 }, // exploding
    { depth: 4, width: 8, activation: 'tanh', init: 'xavier', sigma: 0.1, seed: 7 },
  ];
  for (const s of cases) {
    const net = new calc.Network([2, ...Array(s.depth).fill(s.width), 1], { activation: s.activation, init: s.init, std: s.sigma, seed: s.seed });
    const g = net.gradients(data.inputs, data.labels, { loss: 'bce' });
    const norms = g.layerNorms;
    const ratio = norms[s.depth - 1] > 0 ? norms[0] / norms[s.depth - 1] : NaN;
    const verdict = !Number.isFinite(ratio) ? 'no gradient reaches the last hidden layer'
      : ratio < 1e-2 ? 'vanishing towards the input' : ratio > 1e2 ? 'exploding towards the input' : 'level within a factor of 100';
    const total = Math.hypot(...g.gradients);
    const expected = `Layer 1's gradient is ${timesPower(ratio)} of layer ${s.depth}'s: ${verdict}. Loss ${sig(g.loss, 3)}, ‖∇L‖ = ${timesPower(total)}.`;
    const { printed, figures } = runPython(await pythonScript(widget('calc-deep-gradients', s)));
    assert.equal(printed, expected, `${JSON.stringify(s)}`);
    assert.equal(figures, 1);
  }
});

// The charts of chapters 5 and 6 run in Node without a canvas until they are drawn: their
// readouts are the widgets' own text. Each state below is what the widget's pythonState() reads
// from its chart.
const offscreen = () => ({});

/** Runs the scripts of `cases` ({ script, expected, what }) in one Python; each prints its readout and draws one figure. */
function sameReadouts(cases) {
  runPython(cases.map((c) => c.script)).forEach(({ printed, figures }, i) => {
    sameReadout(printed, cases[i].expected, cases[i].what);
    assert.equal(figures, 1, `${cases[i].what}: one figure`);
  });
}

test('gears: values, slopes, the chain rule checked and the turns, as the readout says them', { skip: !hasNumpy }, async () => {
  const cases = [
    [CHAINS[0].links, 1, 30], // the chapter's chain, X turned 30°
    [CHAINS[1].links, 1.3, -45], // cos turns B and C backwards
    [CHAINS[0].links, 0, 5], // dA/dx = 0 stops the chain
    [['x - 2', 'ln(A)', 'B'], 1, 10], // ln of a negative number: undefined from B on
    [['t^2', '5', 'B + 1'], 2, 0], // a constant link ignores its input; t, not x
    [['exp(u)', 'exp(u)', 'exp(u)'], 1, 1], // dC/dx ≈ 1.4e8: twelve digits of a large number
  ];
  sameReadouts(await Promise.all(cases.map(async ([links, x, turn]) => {
    const chart = new calc.GearsChart(offscreen());
    links.forEach((source, i) => chart.setLink(i, source));
    chart.setX(x);
    chart.turn(turn);
    const state = { links, variables: chart.linkVariables, variable: chart.variable, composed: chart.composed, x, turn: chart.turns[0] };
    return { script: await pythonScript(widget('calc-gears', state)), expected: chart.readout(), what: `${links.join('; ')} at ${x}` };
  })));
});

test('computational graph: every step of both passes, and a picked node, as the engine steps them', { skip: !hasNumpy }, async () => {
  const cases = [];
  const at = async (source, values, steps, focus = -1) => {
    const chart = new calc.GraphChart(offscreen());
    chart.setFunction(source);
    chart.variables.forEach((name, k) => name in values && chart.setValue(k, values[name]));
    for (const step of steps === 'all' ? Array.from({ length: chart.steps + 1 }, (_, k) => k) : steps) {
      chart.setStep(step);
      const state = {
        source: chart.source,
        values: Object.fromEntries(chart.variables.map((name, k) => [name, chart.value(k)])),
        names: Array.from({ length: chart.nodeCount }, (_, i) => chart.nodeName(i)),
        step: chart.step,
        focus,
      };
      const expected = chart.readout() + (focus >= 0 ? `\n${chart.nodeReadout(focus)}` : '');
      cases.push({ script: await pythonScript(widget('calc-graph', state)), expected, what: `${source} at step ${chart.step}` });
    }
  };
  await at('(a + b)*(b + 1)', { a: 2, b: 1 }, 'all', 1); // colah's: b gets 3, then 2
  await at('tanh(x1*w1 + x2*w2 + b)', {}, [0, 5, 11, 13]); // micrograd's neuron at its preset values
  await at('sin(x)*sin(x) + x', { x: 0.7 }, [4, 5, 6, 7, 8], 1); // one node used twice
  await at('sigmoid(w*x + b)^2 - x/w', { w: 0.5, x: 2, b: -1 }, [3, 9, 14]);
  await at('x^y + nthRoot(x, 5) - atan2(y, x)*max(x, y) + min(x, 2) - log(x, 2) + abs(-y)', { x: 1.5, y: -0.4 }, [12, 18, 25, 40], 0);
  sameReadouts(cases);
});

test('tiny network: every stop of the step, after steps taken, with each activation', { skip: !hasNumpy }, async () => {
  const cases = [];
  for (const [activation, steps] of [['sigmoid', 0], ['tanh', 3], ['relu', 11], ['linear', 1]]) {
    const chart = new calc.TinyNetworkChart(offscreen());
    chart.setActivation(activation);
    if (activation === 'relu') {
      // A hidden unit below 0, where relu passes nothing back; and more than eight steps,
      // whose history the last stop cuts to the last eight.
      chart.setInput(0, 1);
      chart.setParameter(2, -0.9);
      chart.setTarget(0.3);
    }
    for (let i = 0; i < steps; i++) chart.stepAgain();
    for (let stop = 0; stop < chart.stops; stop++) {
      chart.setStop(stop);
      const state = {
        inputs: chart.inputs, target: chart.target, rate: chart.rate, activation: chart.activation, start: chart.start,
        steps: chart.steps, stop, title: chart.stopTitle(stop),
      };
      cases.push({ script: await pythonScript(widget('calc-tiny-network', state)), expected: chart.readout(), what: `${activation}, ${steps} steps, stop ${stop + 1}` });
    }
  }
  sameReadouts(cases);
});

/** The playground's settings as Playground.settings() writes them, as an object. */
const parse = (query) => Object.fromEntries(new URLSearchParams(query));

/** What <calc-playground>'s pythonState() reads from its chart. */
const playgroundState = (chart) => ({
  schedule: chart.schedule().map(parse), count: chart.count, steps: chart.steps, epoch: chart.latestEpoch,
  clipped: chart.clippedSteps, diverged: chart.diverged, measured: Array.from(chart.epochParameters()),
});

test('playground: each dataset\'s generator in the script gives the engine\'s points', { skip: !hasNumpy }, async () => {
  const scripts = await Promise.all(PLAYGROUND_DATA.map(async ({ key }) => {
    const chart = new calc.Playground(offscreen(), offscreen(), offscreen(), offscreen());
    chart.setData(key, 0.3, 50);
    const script = await pythonScript(widget('calc-playground', playgroundState(chart)));
    // The script up to its settings defines generate(); print its points instead of training.
    return `${script.slice(0, script.indexOf('\nCOUNT, NOISE'))}\nX, y = generate(101, 0.3, 7)\nprint(repr(np.hstack([X, y]).ravel().tolist()))`;
  }));
  runPython(scripts).forEach(({ printed }, d) => {
    const { key } = PLAYGROUND_DATA[d];
    const ours = JSON.parse(printed);
    const { inputs, labels } = calc.dataset(key, { count: 101, noise: 0.3, seed: 7 });
    const theirs = [...labels].flatMap((label, i) => [inputs[2 * i], inputs[2 * i + 1], label]);
    assert.equal(ours.length, theirs.length);
    ours.forEach((v, i) => assert.ok(Math.abs(v - theirs[i]) <= 1e-12 * Math.max(1, Math.abs(theirs[i])), `${key}: ${v} where the engine has ${theirs[i]} (at ${i})`));
  });
});

test('playground: the run replayed, through changes of optimizer, batch and clipping, to the readout', { skip: !hasNumpy }, async () => {
  const cases = [];
  const check = async (chart, what) => {
    cases.push({ script: await pythonScript(widget('calc-playground', playgroundState(chart))), expected: chart.status(), what });
  };
  const fresh = () => new calc.Playground(offscreen(), offscreen(), offscreen(), offscreen());
  let chart = fresh();
  await check(chart, 'the start, before any step');
  chart.train(60);
  await check(chart, 'the start, 60 steps: two epochs and a part');
  for (const { key, epochs } of PLAYGROUND_PRESETS) {
    chart = fresh();
    chart.preset(key);
    while (chart.epoch < Math.min(epochs, 8) && !chart.diverged) chart.trainEpoch();
    await check(chart, `preset ${key}`);
  }
  // Settings changed in the middle of a run: the run goes on with them (the same optimizer
  // keeps its state, another starts afresh), and a batch size mid-epoch.
  chart = fresh();
  chart.setData('spiral', 0.1, 70);
  chart.setNetwork(2, 6, 'tanh', 'xavier', 1);
  chart.setStep('momentum', 0.05, 16, 0);
  chart.train(23);
  chart.setStep('momentum', 0.02, 7, 0);
  chart.train(40);
  chart.setStep('adam', 0.01, 25, 0.5);
  chart.trainEpoch();
  chart.setStep('rmsprop', 0.003, 25, 0.5);
  chart.setStep('rmsprop', 0.005, 30, 2); // before any step: only this one counts
  chart.train(17);
  assert.ok(chart.clippedSteps > 0, 'some steps were clipped');
  assert.equal(chart.schedule().length, 4, 'step 0, 23, 63 and the last change');
  await check(chart, 'changed in the middle of the run');
  // Other data, a linear network from zeros, a normal init, a seed.
  for (const [dataset, noise, train, network, seed] of [
    ['xor', 0.2, 60, [3, 5, 'relu', 'normal', 0.7], 9],
    ['gauss', 0.5, 30, [1, 4, 'sigmoid', 'zeros', 1], 2],
    ['moons', 0.15, 50, [2, 8, 'linear', 'he', 1], 4],
  ]) {
    chart = fresh();
    chart.setSeed(seed);
    chart.setData(dataset, noise, train);
    chart.setNetwork(...network);
    chart.setStep('sgd', 0.1, 12, 0);
    chart.train(100);
    await check(chart, `${dataset}, ${network.join(' ')}`);
  }
  // A run that jumps about, where numpy's last bits grow into the third digit within twenty
  // epochs: the readout is measured on the widget's weights; and its copy in mid-epoch.
  chart = fresh();
  chart.setData('spiral', 0.1, 50);
  chart.setNetwork(4, 12, 'tanh', 'xavier', 1);
  chart.setStep('momentum', 0.1, 5, 0);
  while (chart.epoch < 20) chart.trainEpoch();
  await check(chart, 'a run that jumps about');
  chart.train(7);
  await check(chart, 'a run that jumps about, in mid-epoch');
  // Runs that diverge: the step, and the loss that gave out (NaN) or was still a number when
  // the weights were not.
  for (const [activation, std] of [['relu', 10], ['linear', 3]]) {
    chart = fresh();
    chart.setNetwork(10, 16, activation, 'normal', std);
    chart.setStep('sgd', 10, 10, 0);
    chart.train(200);
    assert.ok(chart.diverged, chart.status());
    await check(chart, `diverged, ${activation}`);
  }
  sameReadouts(cases);
});

test('the scripts\' sigmoid: 1/(1 + e^−z), its subnormal tail kept, and nothing overflows', { skip: !hasNumpy }, async () => {
  const { SIGMOID } = await import(pathToFileURL(path.join(beside, 'web', 'python', 'networks.js')).href);
  // Below −709.78, e^−z overflows: 1/(1 + e^−z) reads 0 where σ(z) = e^z/(1 + e^z)
  // is e^z itself to double precision (1 + e^z rounds to 1), down to e^−745, the last subnormal.
  const { printed } = runPython(`import math, warnings
import numpy as np
warnings.simplefilter("error")
np.seterr(over="raise", divide="raise", invalid="raise", under="ignore")  # the tail underflows, as it must
${SIGMOID}
z = np.array([-745.0, -740.0, -720.0, -709.9, 0.0, math.log(3), 40.0, np.inf, -np.inf, np.nan])
s = sigmoid(z)
print(repr([float(v) for v in s]))
print(repr([math.exp(v) for v in z[:4]]))
print(float(sigmoid(-720.0)), float(sigmoid(0.0)))
`);
  const [values, tails, scalars] = printed.split('\n');
  const got = JSON.parse(values.replace(/nan/g, 'null').replace(/inf/g, '1e999'));
  const exp = JSON.parse(tails);
  assert.deepEqual(got.slice(0, 4), exp, 'e^z below −709, not 0');
  assert.ok(got.slice(0, 4).every((v) => v > 0), 'subnormal, not 0');
  assert.equal(got[4], 0.5, 'σ(0) = ½');
  assert.ok(Math.abs(got[5] - 0.75) <= Number.EPSILON, `σ(ln 3) = ¾, got ${got[5]}`);
  assert.equal(got[6], 1 / (1 + Math.exp(-40)), 'σ(40)');
  assert.deepEqual(got.slice(7), [1, 0, null], 'σ(∞) = 1, σ(−∞) = 0, σ(NaN) is NaN');
  assert.equal(scalars, `${exp[2]} 0.5`, 'on numpy scalars too');
});

test('toPython: numpy gives the engine\'s value for every function and operator', { skip: !hasNumpy }, () => {
  const formulas = [
    'sin(x)', 'cos(x)', 'tan(x)', 'sec(x)', 'csc(x)', 'cot(x)', 'asin(x/2)', 'acos(x/2)', 'atan(x)', 'asec(x + 2)',
    'acsc(x + 2)', 'acot(x)', 'sinh(x)', 'cosh(x)', 'tanh(x)', 'sech(x)', 'csch(x)', 'coth(x)', 'asinh(x)', 'acosh(x + 2)',
    'atanh(x/2)', 'asech(x/4 + 0.5)', 'acsch(x)', 'acoth(x + 2)', 'exp(x)', 'ln(x + 2)', 'log(x + 2)', 'log10(x + 2)',
    'log2(x + 2)', 'sqrt(x + 2)', 'cbrt(x)', 'abs(x)', 'sigmoid(x)', 'relu(x)', 'sign(x)', 'step(x)',
    'log(x + 2, 3)', 'nthRoot(x, 5)', 'nthRoot(x + 2, 4)', 'nthRoot(x, 3)', 'pow(x + 2, 0.5)', 'atan2(x, 0.5)', 'min(x, 0.2)',
    'max(x, 0.2)', '-x^2', '(-x)^2', '2^3^x', 'x^-1', '2x + 3(x + 1)', '1/2x', 'x**2', '-(x - 1)*-x', 'e^x + pi', '2e x',
    'sigmoid(-x)^2', '2 sec(x)^2', '1/sec(x)',
  ];
  const xs = [-0.7, 0.3, 1.1];
  const script = `import numpy as np\nnp.seterr(all="ignore")\nxs = [${xs.join(', ')}]\n${formulas.map((f) => `for x0 in xs:\n    print(repr(float((lambda x: ${calc.toPython(f)})(np.float64(x0)))))`).join('\n')}\n`;
  const printed = runPython(script).printed.split('\n').map(Number);
  formulas.forEach((f, i) => xs.forEach((x, j) => {
    let expected;
    try {
      expected = calc.evaluate(f, { x });
    } catch {
      expected = NaN; // not defined there: numpy's nan
    }
    const got = printed[i * xs.length + j];
    if (Number.isNaN(expected)) assert.ok(Number.isNaN(got) || !Number.isFinite(got), `${f} at ${x}: numpy ${got}, the engine: not defined`);
    else assert.ok(Math.abs(got - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${f} at ${x}: numpy ${got} (${calc.toPython(f)}), the engine ${expected}`);
  }));
});

test('toPython: a formula that does not parse is a JS Error that says where', () => {
  assert.throws(() => calc.toPython('sin(x'), (e) => e instanceof Error && /column/.test(e.message));
  assert.throws(() => calc.toPython('foo(x)'), /foo/);
  assert.equal(calc.toPython('lambda + 1'), 'lambda_ + 1');
});

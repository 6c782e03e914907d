// The Network API and dataset(): every loss and activation against hand-worked derivatives,
// every optimizer over several steps against PyTorch's update rules written out, clipping as
// clip_grad_norm_, initialisation statistics, seeds and every kind of bad input.
import test from 'node:test';
import assert from 'node:assert/strict';
import calc, { close, allClose, throwsError, stillWorks } from './calculus.mjs';

const { Network, dataset } = calc;
const f64 = (a) => new Float64Array(a);
const sigmoid = (z) => 1 / (1 + Math.exp(-z));
const ACTIVATIONS = {
  relu: { f: (z) => Math.max(z, 0), d: (z) => (z > 0 ? 1 : 0) },
  sigmoid: { f: sigmoid, d: (z) => sigmoid(z) * (1 - sigmoid(z)) },
  tanh: { f: Math.tanh, d: (z) => 1 - Math.tanh(z) ** 2 },
  linear: { f: (z) => z, d: () => 1 },
};
const LOSSES = {
  // torch.nn.MSELoss and BCEWithLogitsLoss, per element, with dL/dŷ.
  mse: { l: (o, y) => (o - y) ** 2, d: (o, y) => 2 * (o - y) },
  bce: { l: (o, y) => Math.max(o, 0) - o * y + Math.log1p(Math.exp(-Math.abs(o))), d: (o, y) => sigmoid(o) - y },
};

test('a 1-1-1 network: loss and gradient by the chain rule, for every activation and loss', () => {
  // ŷ = w2·f(w1·x + b1) + b2 on two samples.
  const [w1, b1, w2, b2] = [0.5, -0.2, 1.5, 0.1];
  const xs = [1, -2];
  for (const [activation, { f, d }] of Object.entries(ACTIVATIONS)) {
    for (const [loss, L] of Object.entries(LOSSES)) {
      const ys = loss === 'bce' ? [1, 0] : [0.3, -0.7];
      const net = new Network([1, 1, 1], { activation });
      net.setParameters(f64([w1, b1, w2, b2]));
      let value = 0;
      const g = [0, 0, 0, 0];
      xs.forEach((x, s) => {
        const z = w1 * x + b1;
        const h = f(z);
        const o = w2 * h + b2;
        value += L.l(o, ys[s]) / xs.length;
        const dO = L.d(o, ys[s]) / xs.length;
        const dZ = dO * w2 * d(z);
        g[0] += dZ * x;
        g[1] += dZ;
        g[2] += dO * h;
        g[3] += dO;
      });
      const what = `${activation}/${loss}`;
      const out = net.gradients(f64(xs), f64(ys), { loss });
      assert.deepEqual(Object.keys(out), ['loss', 'gradients', 'layerNorms'], what);
      assert.ok(out.gradients instanceof Float64Array && out.layerNorms instanceof Float64Array, what);
      close(out.loss, value, 1e-14, `${what} loss`);
      allClose(out.gradients, g, 1e-14, `${what} gradients`);
      allClose(out.layerNorms, [Math.abs(g[0]), Math.abs(g[2])], 1e-14, `${what} layerNorms`);
      // predict gives the raw outputs.
      allClose(net.predict(f64(xs)), xs.map((x) => w2 * f(w1 * x + b1) + b2), 1e-15, `${what} predict`);
    }
  }
});

test('predict is row-major n × outputs, and the defaults are tanh, he, seed 1, mse, sgd', () => {
  const net = new Network([2, 2]);
  // W = [[1, 2], [3, 4]] (W[j][i] joins input i to output j), b = [0.5, -0.5].
  net.setParameters(f64([1, 2, 3, 4, 0.5, -0.5]));
  assert.deepEqual([...net.predict(f64([1, 0, 0, 1, 1, 1]))], [1.5, 2.5, 2.5, 3.5, 3.5, 6.5]);
  assert.deepEqual([...net.predict([2, -1])], [0.5, 1.5], 'a plain array of numbers works too');
  assert.deepEqual(net.sizes, [2, 2]);

  const plain = new Network([2, 3, 1]);
  const explicit = new Network([2, 3, 1], { activation: 'tanh', init: 'he', seed: 1 });
  assert.deepEqual([...plain.parameters()], [...explicit.parameters()]);
  const x = f64([0.3, -1.2]);
  const y = f64([0.5]);
  assert.deepEqual(plain.gradients(x, y), explicit.gradients(x, y, { loss: 'mse' }));
  assert.deepEqual(plain.step(x, y, { learningRate: 0.1 }), explicit.step(x, y, { learningRate: 0.1, optimizer: 'sgd', loss: 'mse' }));
  assert.deepEqual([...plain.parameters()], [...explicit.parameters()]);
  // A tanh hidden layer: ŷ = v·tanh(Wx + b) + c.
  const p = plain.parameters();
  const hidden = [0, 1, 2].map((j) => Math.tanh(p[2 * j] * x[0] + p[2 * j + 1] * x[1] + p[6 + j]));
  close(plain.predict(x)[0], hidden.reduce((s, h, j) => s + p[9 + j] * h, p[12]), 1e-15, 'tanh by default');
});

test('every optimizer over several steps follows PyTorch, and its state carries across steps', () => {
  // ŷ = w·x + b at x = 1, y = 3: both parameters see g = 2(w + b − 3) (mse).
  const cases = [
    { optimizer: 'sgd', rule: (g, t, s) => 0.05 * g },
    { optimizer: 'momentum', momentum: 0.5, rule: (g, t, s) => 0.05 * (s.buf = t === 1 ? g : 0.5 * s.buf + g) },
    {
      optimizer: 'rmsprop', alpha: 0.9, epsilon: 1e-6,
      rule: (g, t, s) => ((s.sq = 0.9 * s.sq + 0.1 * g * g), (0.05 * g) / (Math.sqrt(s.sq) + 1e-6)),
    },
    {
      optimizer: 'adam', beta1: 0.8, beta2: 0.99, epsilon: 1e-8,
      rule: (g, t, s) => {
        s.buf = 0.8 * s.buf + 0.2 * g;
        s.sq = 0.99 * s.sq + 0.01 * g * g;
        return ((0.05 / (1 - 0.8 ** t)) * s.buf) / (Math.sqrt(s.sq) / Math.sqrt(1 - 0.99 ** t) + 1e-8);
      },
    },
  ];
  for (const { rule, ...options } of cases) {
    const net = new Network([1, 1]);
    net.setParameters(f64([1, 0]));
    let [w, b] = [1, 0];
    const state = { buf: 0, sq: 0 };
    for (let t = 1; t <= 6; t++) {
      const g = 2 * (w + b - 3);
      const r = net.step(f64([1]), f64([3]), { learningRate: 0.05, ...options });
      close(r.loss, (w + b - 3) ** 2, 1e-15, `${options.optimizer} loss ${t}`);
      close(r.gradNorm, Math.abs(g) * Math.SQRT2, 1e-15, `${options.optimizer} gradNorm ${t}`);
      const delta = rule(g, t, state);
      w -= delta;
      b -= delta;
      allClose(net.parameters(), [w, b], 1e-14, `${options.optimizer} step ${t}`);
    }
  }
  // setParameters forgets the state: momentum's next buffer is g again, not 0.5·buf + g.
  const net = new Network([1, 1]);
  net.setParameters(f64([1, 0]));
  net.step(f64([1]), f64([3]), { learningRate: 0.05, optimizer: 'momentum' });
  net.setParameters(f64([1, 0]));
  net.step(f64([1]), f64([3]), { learningRate: 0.05, optimizer: 'momentum' });
  allClose(net.parameters(), [1 + 0.05 * 4, 0.05 * 4], 1e-15, 'fresh momentum after setParameters');
});

test('clipping is clip_grad_norm_: scaled by clip/(‖g‖ + 1e-6) only when that is below 1', () => {
  // ∇L = (−4, −4) at w = 1, b = 0; ‖∇L‖ = 4√2 ≈ 5.66.
  const total = 4 * Math.SQRT2;
  const net = new Network([1, 1]);
  net.setParameters(f64([1, 0]));
  const r = net.step(f64([1]), f64([3]), { learningRate: 1, clip: 2 });
  assert.deepEqual(Object.keys(r), ['loss', 'gradNorm', 'clipped', 'layerNorms']);
  assert.equal(r.clipped, true);
  close(r.gradNorm, total, 1e-15, 'gradNorm is measured before clipping');
  close(r.layerNorms[0], 4, 1e-15, 'layerNorms too');
  const scale = 2 / (total + 1e-6);
  allClose(net.parameters(), [1 + 4 * scale, 4 * scale], 1e-15, 'clipped step');

  net.setParameters(f64([1, 0]));
  const free = net.step(f64([1]), f64([3]), { learningRate: 0.1, clip: 6 });
  assert.equal(free.clipped, false);
  allClose(net.parameters(), [1.4, 0.4], 1e-15, 'a clip above the norm changes nothing');
});

test('initialisation: the std of a 256 × 256 layer within 3% of its formula, biases 0', () => {
  const cases = [
    ['he', {}, Math.sqrt(2 / 256)],
    ['xavier', {}, Math.sqrt(2 / 512)],
    ['normal', { std: 0.05 }, 0.05],
    ['normal', {}, 1],
  ];
  for (const [init, extra, want] of cases) {
    const p = new Network([256, 256], { init, ...extra, seed: 7 }).parameters();
    const w = p.subarray(0, 256 * 256);
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const sd = Math.sqrt(w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length);
    assert.ok(Math.abs(sd / want - 1) < 0.03, `${init} ${JSON.stringify(extra)}: std ${sd}, formula ${want}`);
    assert.ok(p.subarray(256 * 256).every((b) => b === 0), `${init}: biases start at 0`);
  }
  assert.ok(new Network([3, 4, 2], { init: 'zeros' }).parameters().every((v) => v === 0));
  // He uses each layer's own fan-in: 2 inputs, then 64.
  const deep = new Network([2, 64, 64, 1], { init: 'he', seed: 3 }).parameters();
  const second = deep.subarray(2 * 64 + 64, 2 * 64 + 64 + 64 * 64);
  const sd = Math.sqrt(second.reduce((s, v) => s + v * v, 0) / second.length);
  assert.ok(Math.abs(sd / Math.sqrt(2 / 64) - 1) < 0.05, `second layer std ${sd}`);
});

test('seeds: the same seed gives the same network and dataset, another seed another', () => {
  const params = (seed) => [...new Network([2, 8, 8, 1], { seed }).parameters()];
  assert.deepEqual(params(5), params(5));
  assert.notDeepEqual(params(5), params(6));
  assert.equal(params(5).length, 2 * 8 + 8 + 8 * 8 + 8 + 8 + 1);
  const points = (seed) => [...dataset('spiral', { count: 40, noise: 0.2, seed }).inputs];
  assert.deepEqual(points(1), points(1));
  assert.notDeepEqual(points(1), points(2));
});

test('datasets: n × 2 inputs, labels 0 or 1, each to its definition without noise', () => {
  for (const name of ['circle', 'xor', 'gauss', 'spiral', 'moons']) {
    const d = dataset(name);
    assert.ok(d.inputs instanceof Float64Array && d.labels instanceof Float64Array, name);
    assert.equal(d.labels.length, 500, `${name}: 500 points by default`);
    assert.equal(d.inputs.length, 1000, name);
    assert.ok(d.labels.every((l) => l === 0 || l === 1), name);
  }
  const circle = dataset('circle', { count: 200 });
  for (let i = 0; i < 200; i++) {
    const r = Math.hypot(circle.inputs[2 * i], circle.inputs[2 * i + 1]);
    assert.ok(circle.labels[i] === 1 ? r < 2.5 : r >= 3.5 && r <= 5, `circle point ${i} at r = ${r}`);
  }
  const xor = dataset('xor', { count: 200 });
  for (let i = 0; i < 200; i++) {
    const [x, y] = [xor.inputs[2 * i], xor.inputs[2 * i + 1]];
    assert.equal(xor.labels[i], x * y >= 0 ? 1 : 0, `xor point ${i}`);
  }
  const moons = dataset('moons', { count: 100 });
  for (let i = 0; i < 100; i++) {
    const [x, y] = [moons.inputs[2 * i], moons.inputs[2 * i + 1]];
    const [cx, cy] = moons.labels[i] === 0 ? [0, 0] : [1, 0.5];
    close(Math.hypot(x - cx, y - cy), 1, 1e-15, `moons point ${i}`);
  }
  const gauss = dataset('gauss', { count: 4000 });
  const ones = gauss.labels.reduce((s, l) => s + l, 0);
  assert.equal(ones, 2000);
});

test('a network learns: xor to over 90% accuracy with relu, adam and bce', () => {
  const { inputs, labels } = dataset('xor', { count: 200, seed: 3 });
  const net = new Network([2, 8, 8, 1], { activation: 'relu', seed: 2 });
  let first;
  for (let epoch = 0; epoch < 150; epoch++) {
    for (let s = 0; s < 20; s++) {
      const r = net.step(inputs.subarray(20 * s, 20 * s + 20), labels.subarray(10 * s, 10 * s + 10), {
        learningRate: 0.01, optimizer: 'adam', loss: 'bce',
      });
      first ??= r.loss;
    }
  }
  const out = net.predict(inputs);
  const right = labels.filter((l, i) => (out[i] > 0 ? 1 : 0) === l).length;
  assert.ok(right / labels.length > 0.9, `accuracy ${right / labels.length}`);
  assert.ok(net.gradients(inputs, labels, { loss: 'bce' }).loss < first / 3);
});

test('bad input throws an Error that says what is allowed, and the module keeps working', () => {
  const sizes = /^sizes must be at least two layer sizes \(inputs and outputs\), each ≥ 1$/;
  throwsError(() => new Network([2]), sizes, 'one size');
  throwsError(() => new Network([]), sizes, 'no sizes');
  throwsError(() => new Network([2, 0, 1]), /sizes must be whole numbers ≥ 1, but one is 0/, 'a zero size');
  throwsError(() => new Network([2, 2.5, 1]), /sizes must be whole numbers ≥ 1, but one is 2.5/, 'a fractional size');
  throwsError(() => new Network([2, NaN]), /sizes must be whole numbers ≥ 1, but one is NaN/, 'NaN');
  throwsError(() => new Network('2,3'), /^sizes must be a Float64Array or an array of numbers$/, 'a string');
  throwsError(() => new Network([2, 1000, 1000, 1]), /^a network of 1005001 parameters is too large for a page \(at most 1000000\)$/, 'too large');
  throwsError(() => new Network([1e300, 1e300]), /too large for a page/, 'astronomically large');
  throwsError(() => new Network([2, 1], { activation: 'softmax' }), /^unknown activation 'softmax': use relu, sigmoid, tanh or linear$/);
  throwsError(() => new Network([2, 1], { init: 'orthogonal' }), /^unknown init 'orthogonal': use he, xavier, normal or zeros$/);
  throwsError(() => new Network([2, 1], { init: 'normal', std: -1 }), /^std must be a finite number ≥ 0$/);
  throwsError(() => new Network([2, 1], { seed: -1 }), /^seed must be a whole number ≥ 0, got -1$/);
  throwsError(() => new Network([2, 1], { seed: 1.5 }), /^seed must be a whole number ≥ 0, got 1.5$/);
  throwsError(() => new Network([2, 1], { activation: 3 }), /^network options: activation: invalid type: the number 3, expected a string$/);
  throwsError(() => new Network([2, 1], 'tanh'), /^network options must be an object like \{x: 1\}$/);

  const net = new Network([2, 3, 1]);
  const before = [...net.parameters()];
  const x = f64([1, 2]);
  const y = f64([1]);
  throwsError(() => net.setParameters(f64([1, 2, 3])), /^parameters must hold 13 numbers \(got 3\)$/);
  throwsError(() => net.setParameters(f64(Array(13).fill(Infinity))), /^parameters\[0\] is Infinity, but every entry must be a finite number$/);
  throwsError(() => net.predict(f64([1, 2, 3])), /^inputs must hold n × 2 numbers \(rows of 2\), n ≥ 1 \(got 3\)$/);
  throwsError(() => net.predict(f64([])), /^inputs must hold n × 2 numbers \(rows of 2\), n ≥ 1 \(got 0\)$/);
  throwsError(() => net.predict(undefined), /^inputs must be a Float64Array or an array of numbers$/);
  throwsError(() => net.predict([1, 'a']), /^inputs\[1\] is NaN, but every entry must be a finite number$/);
  throwsError(() => net.gradients(x, f64([1, 2])), /^targets must hold 1 × 1 numbers, one row per input row \(got 2\)$/);
  throwsError(() => net.gradients(x, f64([2]), { loss: 'bce' }), /^every target must be in \[0, 1\] for the bce loss \(0 or 1 for a class\)$/);
  throwsError(() => net.gradients(x, y, { loss: 'l1' }), /^unknown loss 'l1': use mse or bce$/);
  for (const learningRate of [0, -0.1, Infinity, NaN]) {
    throwsError(() => net.step(x, y, { learningRate }), /^learningRate must be a positive finite number$/, `learningRate ${learningRate}`);
  }
  throwsError(() => net.step(x, y, {}), /^step options need 'learningRate', e\.g\. 0\.03$/);
  throwsError(() => net.step(x, y), /^step options must be an object like \{x: 1\}$/);
  throwsError(() => net.step(x, y, { learningRate: '0.1' }), /^step options: learningRate: invalid type: the string "0.1", expected a number$/);
  for (const clip of [0, -1, Infinity, NaN]) {
    throwsError(() => net.step(x, y, { learningRate: 0.1, clip }), /^clip must be a positive finite number$/, `clip ${clip}`);
  }
  throwsError(() => net.step(x, y, { learningRate: 0.1, optimizer: 'gd' }), /^unknown optimizer 'gd': use "sgd", "momentum", "rmsprop" or "adam"$/);
  throwsError(() => net.step(x, y, { learningRate: 0.1, optimizer: 'momentum', momentum: 1 }), /^momentum must be in \[0, 1\)$/);
  throwsError(() => net.step(x, y, { learningRate: 0.1, optimizer: 'adam', beta2: -0.5 }), /^beta2 must be in \[0, 1\)$/);
  throwsError(() => net.step(x, y, { learningRate: 0.1, optimizer: 'rmsprop', epsilon: 0 }), /^epsilon must be a positive finite number$/);
  assert.deepEqual([...net.parameters()], before, 'no refused call changed the network');

  throwsError(() => dataset('swiss'), /^unknown dataset 'swiss': use circle, xor, gauss, spiral or moons$/);
  throwsError(() => dataset('moons', { count: 0 }), /^count must be a whole number from 1 to 100000$/);
  throwsError(() => dataset('moons', { count: 2.5 }), /^count must be a whole number ≥ 0, got 2.5$/);
  throwsError(() => dataset('moons', { noise: -1 }), /^noise must be a finite number ≥ 0$/);
  throwsError(() => dataset('moons', { seed: 'x' }), /^dataset options: seed: invalid type: the string "x", expected a number$/);

  // The module and the network still work.
  stillWorks('after bad network input');
  const r = net.step(x, y, { learningRate: 0.1 });
  assert.ok(Number.isFinite(r.loss));
});

// gradient, descend (PyTorch update rules) and backprop.
import test from 'node:test';
import assert from 'node:assert/strict';
import { gradient, descend, backprop, close } from './calculus.mjs';

test('gradient of w² + b² is (2w, 2b)', () => {
  const g = gradient('w^2 + b^2', { w: 3, b: -4 });
  assert.deepEqual(Object.keys(g).sort(), ['b', 'w']);
  close(g.w, 6, 1e-15, '∂/∂w = 2w');
  close(g.b, -8, 1e-15, '∂/∂b = 2b');
});

test('gradient of x·y + sin x', () => {
  // ∂/∂x = y + cos x, ∂/∂y = x
  const g = gradient('x*y + sin(x)', { x: 1, y: 2 });
  close(g.x, 2 + Math.cos(1), 1e-15, '∂/∂x');
  close(g.y, 1, 1e-15, '∂/∂y');
});

test('gradient of a one-variable function is its derivative', () => {
  const g = gradient('x^3', { x: 2 }); // 3x² = 12
  assert.deepEqual(Object.keys(g), ['x']);
  close(g.x, 12, 1e-15);
});

/** Column of variable name in a descend result's path. */
function column(run, name) {
  const i = run.variables.indexOf(name);
  assert.ok(i >= 0, `variable ${name} missing from ${JSON.stringify(run.variables)}`);
  return run.path.map((p) => p[i]);
}

test('gradient descent on w² + b² from (8, 9): path[k] = (8·0.8^k, 9·0.8^k)', () => {
  // w ← w − 0.1·2w = 0.8w, the same for b. f(path[k]) = (64 + 81)·0.64^k = 145·0.64^k.
  const run = descend('w^2 + b^2', { start: { w: 8, b: 9 }, learningRate: 0.1, iterations: 30 });
  assert.deepEqual([...run.variables].sort(), ['b', 'w']);
  assert.equal(run.path.length, 31, 'path = start + one point per iteration');
  assert.equal(run.loss.length, 31, 'loss[i] = f(path[i])');
  assert.equal(run.diverged, false);
  const w = column(run, 'w');
  const b = column(run, 'b');
  for (let k = 0; k <= 30; k++) {
    close(w[k], 8 * 0.8 ** k, 1e-12, `w[${k}]`);
    close(b[k], 9 * 0.8 ** k, 1e-12, `b[${k}]`);
    close(run.loss[k], 145 * 0.64 ** k, 1e-12, `loss[${k}]`);
  }
  assert.equal(w[0], 8);
  assert.equal(b[0], 9);
  // explicit optimizer "gd" is the same run
  const gd = descend('w^2 + b^2', { start: { w: 8, b: 9 }, learningRate: 0.1, iterations: 30, optimizer: 'gd' });
  assert.deepEqual(gd, run);
});

test('zero iterations: the path is just the start', () => {
  const run = descend('x^2', { start: { x: 3 }, learningRate: 0.1, iterations: 0 });
  assert.deepEqual(run.path, [[3]]);
  assert.deepEqual(run.loss, [9]);
  assert.equal(run.diverged, false);
});

test('momentum: PyTorch SGD (buffer = first gradient, default momentum 0.9)', () => {
  // f = x², f′ = 2x, x0 = 1, lr = 0.1, μ = 0.9
  //  step 1: g = 2,    buf = 2                  x1 = 1 − 0.1·2      = 0.8
  //  step 2: g = 1.6,  buf = 0.9·2 + 1.6 = 3.4  x2 = 0.8 − 0.34     = 0.46
  //  step 3: g = 0.92, buf = 0.9·3.4 + 0.92 = 3.98  x3 = 0.46 − 0.398 = 0.062
  const run = descend('x^2', { start: { x: 1 }, learningRate: 0.1, iterations: 3, optimizer: 'momentum' });
  const x = column(run, 'x');
  [1, 0.8, 0.46, 0.062].forEach((want, k) => close(x[k], want, 1e-12, `x[${k}]`));
  [1, 0.64, 0.2116, 0.003844].forEach((want, k) => close(run.loss[k], want, 1e-12, `loss[${k}]`));
  // momentum 0.5: step 2: buf = 0.5·2 + 1.6 = 2.6, x2 = 0.8 − 0.26 = 0.54
  const half = descend('x^2', { start: { x: 1 }, learningRate: 0.1, iterations: 2, optimizer: 'momentum', momentum: 0.5 });
  [1, 0.8, 0.54].forEach((want, k) => close(column(half, 'x')[k], want, 1e-12, `μ=0.5 x[${k}]`));
});

test('rmsprop: PyTorch defaults α = 0.99, ε = 1e-8', () => {
  // v ← α v + (1 − α) g²;  x ← x − lr·g/(√v + ε),  v0 = 0. f = x², x0 = 1, lr = 0.01.
  //  step 1: g = 2, v = 0.01·4 = 0.04, √v = 0.2:  x1 = 1 − 0.01·2/(0.2 + 1e-8) ≈ 0.9
  const x1 = 1 - (0.01 * 2) / (0.2 + 1e-8);
  //  step 2: g = 2·x1 ≈ 1.8, v = 0.99·0.04 + 0.01·g² ≈ 0.0396 + 0.0324 = 0.072
  const g1 = 2 * x1;
  const v2 = 0.99 * 0.04 + 0.01 * g1 * g1;
  const x2 = x1 - (0.01 * g1) / (Math.sqrt(v2) + 1e-8);
  const run = descend('x^2', { start: { x: 1 }, learningRate: 0.01, iterations: 2, optimizer: 'rmsprop' });
  const x = column(run, 'x');
  close(x[1], x1, 1e-12, 'x1 ≈ 0.9');
  close(x[2], x2, 1e-12, 'x2');
  close(x[2], 1 - 0.1 - 0.018 / Math.sqrt(0.072), 1e-6, 'x2 ≈ 0.9 − 0.018/√0.072 ≈ 0.8329');
  // α = 0.9: v1 = 0.1·4 = 0.4, x1 = 1 − 0.02/(√0.4 + 1e-8)
  const alpha = descend('x^2', { start: { x: 1 }, learningRate: 0.01, iterations: 1, optimizer: 'rmsprop', alpha: 0.9 });
  close(column(alpha, 'x')[1], 1 - 0.02 / (Math.sqrt(0.4) + 1e-8), 1e-12, 'α = 0.9');
});

test('adam: PyTorch defaults (0.9, 0.999), ε = 1e-8, bias-corrected', () => {
  // m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²; m̂ = m/(1−β1ᵗ); v̂ = v/(1−β2ᵗ); x ← x − lr·m̂/(√v̂ + ε)
  // f = w² + b², start (1, −3), lr = 0.1.
  // step 1: m̂ = g, v̂ = g², so each coordinate moves by lr·g/(|g| + ε) ≈ lr·sign(g):
  //   w: g = 2  → w1 = 1 − 0.1·2/(2 + 1e-8) ≈ 0.9
  //   b: g = −6 → b1 = −3 + 0.1·6/(6 + 1e-8) ≈ −2.9
  const w1 = 1 - (0.1 * 2) / (2 + 1e-8);
  const b1 = -3 + (0.1 * 6) / (6 + 1e-8);
  // step 2 for w: g = 2·w1 ≈ 1.8; m = 0.9·0.2 + 0.1·g ≈ 0.36; v = 0.999·0.004 + 0.001·g² ≈ 0.007236
  //   m̂ = m/(1 − 0.81) = m/0.19; v̂ = v/(1 − 0.998001) = v/0.001999
  const gw = 2 * w1;
  const m = 0.9 * 0.2 + 0.1 * gw;
  const v = 0.999 * 0.004 + 0.001 * gw * gw;
  const w2 = w1 - (0.1 * (m / 0.19)) / (Math.sqrt(v / (1 - 0.999 ** 2)) + 1e-8);
  const run = descend('w^2 + b^2', { start: { w: 1, b: -3 }, learningRate: 0.1, iterations: 2, optimizer: 'adam' });
  const w = column(run, 'w');
  const b = column(run, 'b');
  close(w[1], w1, 1e-12, 'w1 ≈ 0.9');
  close(b[1], b1, 1e-12, 'b1 ≈ −2.9');
  close(w[2], w2, 1e-12, 'w2');
  close(w[2], 0.9 - 0.1 * (0.36 / 0.19) / Math.sqrt(0.007236 / 0.001999), 1e-6, 'w2 ≈ 0.8004');
  close(run.loss[1], w1 * w1 + b1 * b1, 1e-12, 'loss[1] = f(path[1])');
  // explicit options: β1 = β2 = 0.5, ε = 1, f = x², x0 = 1, lr = 0.1
  //  step 1: m̂ = g, v̂ = g²: x1 = 1 − 0.1·2/(2 + 1) = 1 − 0.2/3 ≈ 0.9333
  //  step 2: g = 2·x1; m = 0.5·(0.5·2) + 0.5·g; v = 0.5·(0.5·4) + 0.5·g²; m̂ = m/0.75; v̂ = v/0.75
  const opt = descend('x^2', { start: { x: 1 }, learningRate: 0.1, iterations: 2, optimizer: 'adam', beta1: 0.5, beta2: 0.5, epsilon: 1 });
  const ox1 = 1 - 0.2 / 3;
  const og = 2 * ox1;
  const om = 0.5 * 1 + 0.5 * og;
  const ov = 0.5 * 2 + 0.5 * og * og;
  close(column(opt, 'x')[1], ox1, 1e-12, 'ε = 1: x1');
  close(column(opt, 'x')[2], ox1 - (0.1 * (om / 0.75)) / (Math.sqrt(ov / 0.75) + 1), 1e-12, 'β1 = β2 = 0.5: x2');
});

test('divergence stops the run and reports diverged: true', () => {
  // lr = 1.5 on x²: x ← x − 3x = −2x, so the loss is 4^k. The run is called diverged once the
  // loss passes 10⁶·max(1, f(start)) = 10⁶: 4¹⁰ = 1048576 is the first, so steps 0–9 remain.
  const run = descend('x^2', { start: { x: 1 }, learningRate: 1.5, iterations: 5000 });
  assert.equal(run.diverged, true);
  assert.equal(run.path.length, 10);
  const x = column(run, 'x');
  [1, -2, 4, -8, 16].forEach((want, k) => close(x[k], want, 0, `x[${k}]`));
  // w² + b² from (8, 9) at lr 1.05: the loss is 145·1.21^k, past 1.45e8 first at k = 73.
  const far = descend('w^2 + b^2', { start: { w: 8, b: 9 }, learningRate: 1.05, iterations: 500 });
  assert.equal(far.diverged, true);
  assert.equal(far.path.length, 73);
  // At 0.95 the factor is 1 − 1.9 = −0.9: it oscillates and settles.
  const swing = descend('w^2 + b^2', { start: { w: 8, b: 9 }, learningRate: 0.95, iterations: 500 });
  assert.equal(swing.diverged, false);
  assert.equal(swing.path.length, 501);
});

function nodeById(nodes) {
  const map = new Map();
  for (const n of nodes) {
    assert.equal(typeof n.id, 'number', 'node.id');
    assert.equal(typeof n.op, 'string', 'node.op');
    assert.ok(n.op.length > 0, 'node.op non-empty');
    assert.equal(typeof n.label, 'string', 'node.label');
    assert.ok(Array.isArray(n.inputs), 'node.inputs');
    assert.equal(typeof n.value, 'number', 'node.value');
    assert.equal(typeof n.grad, 'number', 'node.grad');
    assert.ok(!map.has(n.id), `duplicate node id ${n.id}`);
    map.set(n.id, n);
  }
  return map;
}

function checkTopological(nodes) {
  const seen = new Set();
  for (const n of nodes) {
    for (const i of n.inputs) assert.ok(seen.has(i), `node ${n.id} (${n.op}) uses input ${i} before it is defined`);
    seen.add(n.id);
  }
}

test('backprop of x·y + sin x: value, gradients and the node list', () => {
  // x = 2, y = 3: value = 6 + sin 2; ∂/∂x = y + cos x = 3 + cos 2; ∂/∂y = x = 2
  const r = backprop('x*y + sin(x)', { x: 2, y: 3 });
  close(r.value, 6 + Math.sin(2), 1e-15, 'value');
  assert.deepEqual(Object.keys(r.gradients).sort(), ['x', 'y']);
  close(r.gradients.x, 3 + Math.cos(2), 1e-15, '∂/∂x');
  close(r.gradients.y, 2, 1e-15, '∂/∂y');

  const { nodes } = r;
  assert.ok(Array.isArray(nodes));
  const byId = nodeById(nodes);
  checkTopological(nodes);
  const out = nodes.at(-1);
  close(out.value, r.value, 0, 'output node is last and holds the value');
  close(out.grad, 1, 0, 'd out/d out = 1');
  assert.equal(out.inputs.length, 2, 'output is the sum of two terms');

  // leaves: x and y (one node per variable; its grad is the total derivative)
  const leaf = (name) => {
    const found = nodes.filter((n) => n.inputs.length === 0 && n.label === name);
    assert.equal(found.length, 1, `exactly one leaf labelled ${name}: ${JSON.stringify(nodes)}`);
    return found[0];
  };
  const x = leaf('x');
  const y = leaf('y');
  close(x.value, 2, 0, 'x');
  close(y.value, 3, 0, 'y');
  close(x.grad, 3 + Math.cos(2), 1e-15, 'x.grad accumulates both paths');
  close(y.grad, 2, 1e-15, 'y.grad');

  // the product node x·y = 6 and the sin node sin 2, each with gradient 1 (they are summed)
  const [a, b] = out.inputs.map((id) => byId.get(id));
  const product = [a, b].find((n) => n.inputs.length === 2);
  const sine = [a, b].find((n) => n.inputs.length === 1);
  assert.ok(product && sine, 'output = product + sin');
  close(product.value, 6, 0, 'x·y');
  close(product.grad, 1, 0, 'product.grad');
  assert.deepEqual([...product.inputs].sort(), [x.id, y.id].sort());
  close(sine.value, Math.sin(2), 1e-15, 'sin x');
  close(sine.grad, 1, 0, 'sin.grad');
  assert.deepEqual(sine.inputs, [x.id]);
  assert.equal(nodes.length, 5, 'x, y, x·y, sin x, sum');
});

test('backprop of a neuron sigmoid(w·x + b)', () => {
  // w = 1, x = 0, b = 0: z = 0, σ(0) = ½, σ′(0) = ¼.
  // ∂/∂w = x·¼ = 0, ∂/∂x = w·¼ = ¼, ∂/∂b = ¼. Every node before σ has grad ¼.
  const r = backprop('sigmoid(w*x + b)', { w: 1, x: 0, b: 0 });
  close(r.value, 0.5, 1e-15, 'value');
  close(r.gradients.w, 0, 1e-15, '∂/∂w');
  close(r.gradients.x, 0.25, 1e-15, '∂/∂x');
  close(r.gradients.b, 0.25, 1e-15, '∂/∂b');
  const byId = nodeById(r.nodes);
  checkTopological(r.nodes);
  const out = r.nodes.at(-1);
  assert.equal(out.inputs.length, 1, 'sigmoid has one input');
  const z = byId.get(out.inputs[0]);
  close(z.value, 0, 0, 'z = w·x + b');
  close(z.grad, 0.25, 1e-15, 'z.grad = σ′(0)');
  assert.equal(r.nodes.length, 6, 'w, x, w·x, b, w·x + b, sigmoid');
});

test('backprop with a constant: 3x² at x = 2', () => {
  // value 12, d/dx = 6x = 12
  const r = backprop('3*x^2', { x: 2 });
  close(r.value, 12, 1e-15);
  close(r.gradients.x, 12, 1e-15);
  checkTopological(r.nodes);
  assert.deepEqual(Object.keys(r.gradients), ['x'], 'gradients only for variables, not constants');
});

// Network.trace on chapter 5's 2-2-1 network (Matt Mazur's walkthrough's numbers, with a
// linear output), every number of both passes against the chain rule worked by hand here,
// then one step and the trace again; and bad inputs throw Errors, never traps.
import test from 'node:test';
import assert from 'node:assert/strict';
import calc, { close, allClose, throwsError, stillWorks } from './calculus.mjs';

const { Network } = calc;
const f64 = (a) => new Float64Array(a);
const sigmoid = (z) => 1 / (1 + Math.exp(-z));

// W1 = [[w1, w2], [w3, w4]], b1 = [b1, b2], W2 = [w5, w6], b3.
const [w1, w2, w3, w4, b1, b2, w5, w6, b3] = [0.15, 0.2, 0.25, 0.3, 0.35, 0.35, 0.4, 0.45, 0.6];
const [x1, x2, y] = [0.05, 0.1, 0.01];

function network(activation = 'sigmoid') {
  const net = new Network([2, 2, 1], { activation, init: 'zeros' });
  net.setParameters(f64([w1, w2, w3, w4, b1, b2, w5, w6, b3]));
  return net;
}

test('the 2-2-1 network by hand: forward, loss, backward, layer by layer', () => {
  const trace = network().trace(f64([x1, x2]), f64([y]), { loss: 'mse' });
  assert.deepEqual(Object.keys(trace), ['loss', 'layers']);
  assert.equal(trace.layers.length, 2);
  const [hidden, output] = trace.layers;
  assert.deepEqual(Object.keys(hidden), ['z', 'a', 'gradA', 'gradZ', 'slope', 'gradWeights', 'gradBiases']);

  // Forward: z1 = 0.15·0.05 + 0.20·0.10 + 0.35 = 0.3775, z2 = 0.25·0.05 + 0.30·0.10 + 0.35 = 0.3925.
  const z = [w1 * x1 + w2 * x2 + b1, w3 * x1 + w4 * x2 + b2];
  close(z[0], 0.3775, 1e-15, 'z1 written out');
  close(z[1], 0.3925, 1e-15, 'z2 written out');
  const h = z.map(sigmoid);
  close(h[0], 0.5932699921071872, 1e-15, 'h1 = σ(0.3775)');
  const out = w5 * h[0] + w6 * h[1] + b3;
  allClose(hidden.z, z, 1e-15, 'hidden z');
  allClose(hidden.a, h, 1e-15, 'hidden a');
  allClose(output.z, [out], 1e-15, 'output z');
  allClose(output.a, [out], 1e-15, 'output a (linear)');
  close(trace.loss, (out - y) ** 2, 1e-15, 'L = (ŷ − y)²');

  // Backward: ∂L/∂ŷ = 2(ŷ − y), the output is linear; ∂L/∂w5 = ∂L/∂ŷ · h1.
  const dOut = 2 * (out - y);
  allClose(output.gradA, [dOut], 1e-15, 'output gradA');
  allClose(output.slope, [1], 0, 'output slope');
  allClose(output.gradZ, [dOut], 1e-15, 'output gradZ');
  allClose(output.gradWeights, [dOut * h[0], dOut * h[1]], 1e-15, 'output gradWeights');
  allClose(output.gradBiases, [dOut], 1e-15, 'output gradBiases');
  // ∂L/∂h = W2ᵀ·∂L/∂ŷ, then σ′(z) = h(1 − h).
  const gradA = [w5 * dOut, w6 * dOut];
  const slope = h.map((v) => v * (1 - v));
  const gradZ = [gradA[0] * slope[0], gradA[1] * slope[1]];
  allClose(hidden.gradA, gradA, 1e-15, 'hidden gradA');
  allClose(hidden.slope, slope, 1e-15, 'hidden slope');
  allClose(hidden.gradZ, gradZ, 1e-15, 'hidden gradZ');
  allClose(hidden.gradWeights, [gradZ[0] * x1, gradZ[0] * x2, gradZ[1] * x1, gradZ[1] * x2], 1e-15, 'hidden gradWeights');
  allClose(hidden.gradBiases, gradZ, 1e-15, 'hidden gradBiases');
  for (const layer of trace.layers) for (const v of Object.values(layer)) assert.ok(v instanceof Float64Array);
});

test('one step at rate 0.5 lowers the loss to its closed-form value', () => {
  const net = network();
  const before = net.trace(f64([x1, x2]), f64([y]));
  const g = [...before.layers[0].gradWeights, ...before.layers[0].gradBiases, ...before.layers[1].gradWeights, ...before.layers[1].gradBiases];
  const step = net.step(f64([x1, x2]), f64([y]), { learningRate: 0.5 });
  close(step.loss, before.loss, 1e-15, 'step reports the loss before it');
  const p = [w1, w2, w3, w4, b1, b2, w5, w6, b3].map((w, k) => w - 0.5 * g[k]);
  allClose(net.parameters(), p, 1e-15, 'w − η·∂L/∂w');
  const h = [sigmoid(p[0] * x1 + p[1] * x2 + p[4]), sigmoid(p[2] * x1 + p[3] * x2 + p[5])];
  const after = p[6] * h[0] + p[7] * h[1] + p[8];
  const again = net.trace(f64([x1, x2]), f64([y]));
  close(again.loss, (after - y) ** 2, 1e-14, 'loss after the step');
  assert.ok(again.loss < before.loss, `loss ${again.loss} not below ${before.loss}`);
});

test('tanh and ReLU slopes: 1 − a² and [z > 0]', () => {
  const tanh = network('tanh').trace(f64([x1, x2]), f64([y]));
  allClose(tanh.layers[0].slope, tanh.layers[0].a.map((a) => 1 - a * a), 1e-15, 'tanh′');
  const relu = new Network([2, 2, 1], { activation: 'relu', init: 'zeros' });
  relu.setParameters(f64([1, 0, -1, 0, 0, 0, 1, 1, 0]));
  const t = relu.trace(f64([0.5, 2]), f64([0]));
  allClose(t.layers[0].z, [0.5, -0.5], 0, 'relu z');
  allClose(t.layers[0].slope, [1, 0], 0, 'relu′');
  allClose(t.layers[0].gradZ, [t.layers[0].gradA[0], 0], 0, 'relu gradZ');
});

test('bad inputs to trace throw Errors and the module keeps working', () => {
  const net = network();
  throwsError(() => net.trace(f64([x1]), f64([y])), /inputs/, 'one input for two');
  throwsError(() => net.trace(f64([x1, x2]), f64([y, y])), /targets/, 'two targets for one row');
  throwsError(() => net.trace(f64([NaN, x2]), f64([y])), /inputs/, 'NaN input');
  throwsError(() => net.trace(f64([x1, x2]), f64([Infinity])), /targets/, 'infinite target');
  throwsError(() => net.trace(f64([x1, x2]), f64([y]), { loss: 'hinge' }), /loss/, 'unknown loss');
  throwsError(() => net.trace(f64([x1, x2]), f64([2]), { loss: 'bce' }), /0|1|target/i, 'bce target outside [0, 1]');
  // The network is untouched by the failures.
  close(net.trace(f64([x1, x2]), f64([y])).loss, network().trace(f64([x1, x2]), f64([y])).loss, 0, 'same loss after errors');
  stillWorks('trace errors');
});

// backwardSteps(expr, values): the backward pass edge by edge, as chapter 5's graph widget
// replays it. Checked against backprop (the same graph, the same ids) and the two worked
// examples the chapter uses: colah's e = (a + b)(b + 1) and micrograd's neuron.
import test from 'node:test';
import assert from 'node:assert/strict';
import calc, { backprop, close } from './calculus.mjs';

const { backwardSteps } = calc;

const NEURON = 'tanh(x1*w1 + x2*w2 + b)';
const NEURON_AT = { x1: 2, x2: 0, w1: -3, w2: 1, b: 6.8813735870195432 };
const COLAH = '(a + b)*(b + 1)';

/** The steps, and backprop's nodes for the same call. */
function both(expr, values) {
  return { steps: backwardSteps(expr, values), nodes: backprop(expr, values).nodes };
}

/** The id of the node labelled `label` (a variable's name). */
function idOf(nodes, label) {
  const node = nodes.find((n) => n.label === label);
  assert.ok(node, `no node labelled ${label}`);
  return node.id;
}

test("colah's e = (a + b)(b + 1): b receives 3 through d = b + 1, then 2 through c = a + b", () => {
  const { steps, nodes } = both(COLAH, { a: 2, b: 1 });
  const b = idOf(nodes, 'b');
  const intoB = steps.filter((s) => s.to === b);
  assert.deepEqual(intoB.map((s) => s.contribution), [3, 2]);
  assert.deepEqual(intoB.map((s) => s.total), [3, 5]);
  // Each is upstream × local: ∂e/∂d = c = 3 and ∂e/∂c = d = 2, each times 1.
  assert.deepEqual(intoB.map((s) => [s.upstream, s.local]), [[3, 1], [2, 1]]);
  assert.equal(nodes[intoB[0].from].op, 'add');
  assert.equal(nodes[intoB[1].from].op, 'add');
  assert.notEqual(intoB[0].from, intoB[1].from, 'two paths, two different nodes');
  assert.equal(nodes[b].grad, 5);
  const a = idOf(nodes, 'a');
  assert.deepEqual(steps.filter((s) => s.to === a).map((s) => s.contribution), [2]);
});

test("micrograd's neuron: the walkthrough's gradients", () => {
  const { steps, nodes } = both(NEURON, NEURON_AT);
  const final = (label) => steps.filter((s) => s.to === idOf(nodes, label)).at(-1).total;
  close(final('x1'), -1.5, 1e-12, 'x1.grad');
  close(final('w1'), 1.0, 1e-12, 'w1.grad');
  close(final('x2'), 0.5, 1e-12, 'x2.grad');
  close(final('w2'), 0, 1e-12, 'w2.grad');
  close(final('b'), 0.5, 1e-12, 'b.grad');
  close(nodes.at(-1).value, Math.SQRT1_2, 1e-12, 'o = tanh(n) = 1/√2');
});

test('the steps use backprop’s node ids, one per edge, and sum to each node’s grad', () => {
  for (const [expr, values] of [
    [NEURON, NEURON_AT],
    [COLAH, { a: 2, b: 1 }],
    ['sin(x)*sin(x) + x', { x: 0.7 }],
    ['x*x*y - exp(x/y)', { x: 1.3, y: -0.4 }],
  ]) {
    const { steps, nodes } = both(expr, values);
    const edges = nodes.reduce((n, node) => n + node.inputs.length, 0);
    assert.equal(steps.length, edges, `${expr}: one step per edge`);
    const sums = new Map();
    for (const s of steps) {
      assert.ok(nodes[s.from]?.inputs.includes(s.to), `${expr}: ${s.to} is an input of ${s.from}`);
      assert.equal(s.contribution, s.upstream * s.local, `${expr}: contribution = upstream × local`);
      assert.equal(s.upstream, nodes[s.from].grad, `${expr}: upstream is ∂f/∂from`);
      const sum = (sums.get(s.to) ?? 0) + s.contribution;
      assert.equal(s.total, sum, `${expr}: total is the running sum`);
      sums.set(s.to, sum);
    }
    for (const node of nodes.slice(0, -1)) {
      assert.equal(sums.get(node.id), node.grad, `${expr}: ${node.label}'s contributions sum to its grad exactly`);
    }
  }
});

test('a node passes its gradient on only after receiving all of its own', () => {
  for (const [expr, values] of [[NEURON, NEURON_AT], [COLAH, { a: 2, b: 1 }], ['sin(x)*sin(x) + x', { x: 2 }]]) {
    const steps = backwardSteps(expr, values);
    steps.forEach((s, k) => {
      const later = steps.slice(k).some((t) => t.to === s.from);
      assert.ok(!later, `${expr}: node ${s.from} passes on at step ${k} before all of its gradient arrived`);
    });
  }
});

test('sin x written twice is one node, fed twice by the product', () => {
  const { steps, nodes } = both('sin(x)*sin(x) + x', { x: 1 });
  const sin = nodes.filter((n) => n.op === 'sin');
  assert.equal(sin.length, 1);
  const intoSin = steps.filter((s) => s.to === sin[0].id);
  assert.equal(intoSin.length, 2);
  close(intoSin.at(-1).total, 2 * Math.sin(1), 1e-15, '∂f/∂sin = 2 sin x');
});

test('a bad expression or a missing variable is a clear Error', () => {
  assert.throws(() => backwardSteps('(a + ', { a: 1 }), (e) => e instanceof Error && /column/.test(e.message));
  assert.throws(() => backwardSteps(COLAH, { a: 2 }), (e) => e instanceof Error && /no value for variable 'b'/.test(e.message));
  assert.throws(() => backwardSteps(COLAH, { a: 2, b: 'x' }), (e) => e instanceof Error && /b/.test(e.message));
  assert.throws(() => backwardSteps(COLAH, null), Error);
});

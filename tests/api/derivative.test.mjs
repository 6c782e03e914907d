// derivative / derivatives / differentiate: one-variable calculus.
// Expected slopes are closed forms (the textbook rule is written next to each case).
import test from 'node:test';
import assert from 'node:assert/strict';
import { derivative, derivatives, differentiate, evaluate, close, allClose } from './calculus.mjs';

const sigmoid = (x) => 1 / (1 + Math.exp(-x));

test('derivative of every function against its closed form', () => {
  const cases = [
    // [expr, x, exact slope, rule]
    ['x^2', 3, 6, '2x'],
    ['x^2', 0, 0, '2x'],
    ['3*x^3 - 2*x + 1', 2, 34, '9x² − 2 = 36 − 2'],
    ['x^-1', 2, -0.25, '−1/x²'],
    ['sin(x)', 1, Math.cos(1), 'cos x'],
    ['sin(x)', 0, 1, 'cos 0'],
    ['cos(x)', 0.5, -Math.sin(0.5), '−sin x'],
    ['cos(x)', 0, 0, '−sin 0'],
    ['tan(x)', 0.3, 1 + Math.tan(0.3) ** 2, '1 + tan² x = 1/cos² x'],
    ['tan(x)', 0, 1, '1/cos² 0'],
    ['exp(x)', 1, Math.E, 'exp x'],
    ['exp(x)', 0, 1, 'exp 0'],
    ['log(x)', 2, 0.5, '1/x'],
    ['ln(x)', 4, 0.25, '1/x'],
    ['sqrt(x)', 4, 0.25, '1/(2√x) = 1/4'],
    ['sqrt(x)', 9, 1 / 6, '1/(2·3)'],
    ['abs(x)', -2, -1, 'sign x'],
    ['abs(x)', 3, 1, 'sign x'],
    ['tanh(x)', 0, 1, '1 − tanh² 0'],
    ['tanh(x)', 0.5, 1 - Math.tanh(0.5) ** 2, '1 − tanh² x'],
    ['sigmoid(x)', 0, 0.25, 'σ(0)(1 − σ(0)) = ½·½'],
    ['sigmoid(x)', 2, sigmoid(2) * (1 - sigmoid(2)), 'σ(1 − σ)'],
    ['relu(x)', 2, 1, 'x > 0'],
    ['relu(x)', -1, 0, 'x < 0'],
    ['relu(x)', 0, 0, 'PyTorch convention: relu′(0) = 0'],
    ['2^x', 1, 2 * Math.LN2, 'aˣ ln a'],
    ['e^x', 1, Math.E, 'eˣ'],
    ['sin(x^2)', 1.5, 3 * Math.cos(2.25), 'chain rule: 2x cos x² = 3 cos 2.25'],
    ['x*exp(x)', 1, 2 * Math.E, 'product rule: (1 + x)eˣ = 2e'],
    ['x^3/(1 + x^2)', 1, 1, 'quotient rule: (3x²(1+x²) − 2x⁴)/(1+x²)² = (6 − 2)/4'],
    ['sqrt(1 + x^2)', 0, 0, 'x/√(1+x²)'],
    ['sin(x)*x + tanh(x)', 0, 1, 'cos x·x + sin x + 1 − tanh² x = 0 + 0 + 1'],
    ['2x', 7, 2, 'implicit multiplication'],
    ['3(x+1)^2', 1, 12, '6(x + 1) = 12'],
    ['-x^2', 3, -6, '−2x'],
    ['x^x', 1, 1, 'xˣ(ln x + 1) = 1·(0 + 1)'],
    ['x + pi', 5, 1, 'constants have zero slope'],
  ];
  for (const [expr, x, want, rule] of cases) {
    close(derivative(expr, x), want, 1e-12, `d/dx ${expr} at x = ${x} (${rule})`);
  }
});

test('derivative works for any variable name', () => {
  close(derivative('t^2', 3), 6, 1e-15, 'd/dt t² at 3');
  close(derivative('w^3', -2), 12, 1e-15, 'd/dw w³ at −2 = 3·4');
  close(derivative('sin(z)', 0), 1, 1e-15, 'd/dz sin z at 0');
});

test('derivatives on a Float64Array', () => {
  const xs = new Float64Array([-2, -1, 0, 0.5, 3]);
  const ys = derivatives('x^2', xs);
  assert.ok(ys instanceof Float64Array, `expected a Float64Array, got ${ys?.constructor?.name}`);
  allClose(ys, [-4, -2, 0, 1, 6], 0, 'd/dx x² = 2x'); // exact: 2x is exact in binary floating point
  assert.deepEqual([...xs], [-2, -1, 0, 0.5, 3], 'the input array is not modified');

  // Points stream through wasm a few thousand at a time: every one comes back, in order,
  // across the chunks' seams (2x is exact for these x).
  const seams = Float64Array.from({ length: 10_000 }, (_, i) => i - 5000.5);
  const doubled = derivatives('x^2', seams);
  assert.equal(doubled.length, seams.length);
  assert.ok(doubled.every((s, i) => s === 2 * seams[i]), 'd/dx x² = 2x at 10,000 points');
  assert.deepEqual([...derivatives('x^2', [1, 2.5])], [2, 5], 'a plain array of numbers');
  assert.equal(derivatives('x^2', new Float64Array(0)).length, 0, 'no points');

  // Into an array the caller made: the same slopes, in that array, which is returned.
  const out = new Float64Array(seams.length).fill(7);
  assert.equal(derivatives('x^2', seams, out), out);
  assert.ok(out.every((s, i) => s === 2 * seams[i]), 'written into out, across the seams');
  // In place: each chunk is read before it is written.
  const inPlace = Float64Array.from(seams);
  derivatives('x^2', inPlace, inPlace);
  assert.ok(inPlace.every((s, i) => s === 2 * seams[i]), 'out may be xs itself');
  assert.throws(() => derivatives('x^2', [1, 2], new Float64Array(3)), /out must be as long as xs \(2 numbers\), not 3/);
  assert.deepEqual([...derivatives('x^2', [1, 2], undefined)], [2, 4], 'out left out');
  assert.deepEqual([...derivatives('x^2', [1, 2], null)], [2, 4], 'out null');
  for (const notOne of [[0, 0], new Float32Array(2), {}, 'ab', 2]) {
    assert.throws(() => derivatives('x^2', [1, 2], notOne), /^Error: out must be a Float64Array$/, `out = ${JSON.stringify(notOne)}`);
  }
  assert.deepEqual([...derivatives('x^2', [3])], [6], 'the module works on after a refused out');

  // A transcendental one against the closed form at 1,001 points in [−5, 5].
  const n = 1001;
  const grid = new Float64Array(n);
  for (let i = 0; i < n; i++) grid[i] = -5 + (10 * i) / (n - 1);
  const slopes = derivatives('sin(x)*x + tanh(x)', grid);
  assert.equal(slopes.length, n);
  for (let i = 0; i < n; i++) {
    const x = grid[i];
    close(slopes[i], Math.cos(x) * x + Math.sin(x) + 1 - Math.tanh(x) ** 2, 1e-12, `x = ${x}`);
  }

  // derivatives agrees with derivative point by point.
  const some = new Float64Array([-1.5, 0.25, 2]);
  const many = derivatives('x^3/(1 + x^2)', some);
  for (let i = 0; i < some.length; i++) close(many[i], derivative('x^3/(1 + x^2)', some[i]), 1e-15, `x = ${some[i]}`);
});

test('differentiate returns the simplified symbolic derivative', () => {
  assert.equal(differentiate('x^2', 'x'), '2*x');
  assert.equal(differentiate('3*x^3 - 2*x + 1', 'x'), '9*x^2 - 2');
  assert.equal(differentiate('t^2', 't'), '2*t');
  // The functions of issue 18, in the textbooks' forms.
  assert.equal(differentiate('atan(x)', 'x'), '1/(1 + x^2)');
  assert.equal(differentiate('asin(x)', 'x'), '1/sqrt(1 - x^2)');
  assert.equal(differentiate('sinh(2x)', 'x'), '2*cosh(2*x)');
  assert.equal(differentiate('log(x, 2)', 'x'), '1/(x*ln(2))');
  assert.equal(differentiate('nthRoot(x, 3)', 'x'), '1/(3*nthRoot(x, 3)^2)');
  assert.equal(differentiate('max(x, 0)', 'x'), '(1 + sign(x))/2');
});

test('differentiate output parses back and evaluates to the closed form', () => {
  const cases = [
    // [f, f′ as a JS function]
    ['sin(x)*x + tanh(x)', (x) => Math.cos(x) * x + Math.sin(x) + 1 - Math.tanh(x) ** 2],
    ['x^3/(1 + x^2)', (x) => (3 * x ** 2 * (1 + x ** 2) - 2 * x ** 4) / (1 + x ** 2) ** 2],
    ['sqrt(1 + x^2)*exp(sin(x))', (x) =>
      (x / Math.sqrt(1 + x ** 2)) * Math.exp(Math.sin(x)) + Math.sqrt(1 + x ** 2) * Math.exp(Math.sin(x)) * Math.cos(x)],
    ['sigmoid(x)', (x) => sigmoid(x) * (1 - sigmoid(x))],
    ['log(x) + cos(x)', (x) => 1 / x - Math.sin(x)],
    ['exp(2x)', (x) => 2 * Math.exp(2 * x)],
    ['atan(x)*sinh(x)', (x) => Math.sinh(x) / (1 + x * x) + Math.atan(x) * Math.cosh(x)],
    ['acos(x/4) + sec(x)', (x) => -1 / Math.sqrt(16 - x * x) + Math.tan(x) / Math.cos(x)],
    ['atan2(x, 2) + log10(x)', (x) => 2 / (x * x + 4) + 1 / (x * Math.LN10)],
    ['cbrt(x^2)', (x) => (2 / 3) / Math.cbrt(x)],
  ];
  for (const [f, df] of cases) {
    const text = differentiate(f, 'x');
    assert.equal(typeof text, 'string');
    for (const x of [0.3, 1.7, 2.9]) close(evaluate(text, { x }), df(x), 1e-12, `d/dx ${f} = ${text} at ${x}`);
  }
  // A partial derivative: the other variable stays a symbol. ∂(x·y + y²)/∂x = y.
  const partial = differentiate('x*y + y^2', 'x');
  close(evaluate(partial, { x: 5, y: 3 }), 3, 0, `∂/∂x (x·y + y²) = ${partial}`);
});

// numericalGradient(ys, xs) must equal numpy.gradient(ys, xs) (edge_order=1):
//   interior (non-uniform), with hd = x[i] − x[i−1], hs = x[i+1] − x[i]:
//     g[i] = −hs/(hd(hd+hs))·y[i−1] + (hs−hd)/(hd·hs)·y[i] + hd/(hs(hd+hs))·y[i+1]
//   ends: one-sided first differences.
import test from 'node:test';
import assert from 'node:assert/strict';
import { numericalGradient, allClose } from './calculus.mjs';

const f64 = (a) => new Float64Array(a);

test("numpy's documented non-uniform example", () => {
  // np.gradient([1, 2, 4, 7, 11, 16], [0., 1., 1.5, 3.5, 4., 6.]) = [1., 3., 3.5, 6.7, 6.9, 2.5]
  // Worked:
  //  i=0: (2 − 1)/1 = 1
  //  i=1: hd=1,   hs=0.5: −0.5/1.5·1 + (−0.5/0.5)·2 + 1/0.75·4 = −1/3 − 2 + 16/3 = 3
  //  i=2: hd=0.5, hs=2:   −2/1.25·2 + 1.5/1·4 + 0.5/5·7 = −3.2 + 6 + 0.7 = 3.5
  //  i=3: hd=2,   hs=0.5: −0.5/5·4 + (−1.5/1)·7 + 2/1.25·11 = −0.4 − 10.5 + 17.6 = 6.7
  //  i=4: hd=0.5, hs=2:   −1.6·7 + 1.5·11 + 0.1·16 = −11.2 + 16.5 + 1.6 = 6.9
  //  i=5: (16 − 11)/(6 − 4) = 2.5
  const g = numericalGradient(f64([1, 2, 4, 7, 11, 16]), f64([0, 1, 1.5, 3.5, 4, 6]));
  assert.ok(g instanceof Float64Array, `expected a Float64Array, got ${g?.constructor?.name}`);
  allClose(g, [1, 3, 3.5, 6.7, 6.9, 2.5], 1e-12, 'np.gradient example');
});

test("numpy's documented uniform examples", () => {
  // np.gradient([1, 2, 4, 7, 11, 16]) = [1., 1.5, 2.5, 3.5, 4.5, 5.]  (spacing 1: (y[i+1] − y[i−1])/2)
  allClose(numericalGradient(f64([1, 2, 4, 7, 11, 16]), f64([0, 1, 2, 3, 4, 5])), [1, 1.5, 2.5, 3.5, 4.5, 5], 1e-12, 'h = 1');
  // np.gradient(f, 2) = [0.5, 0.75, 1.25, 1.75, 2.25, 2.5]
  allClose(numericalGradient(f64([1, 2, 4, 7, 11, 16]), f64([0, 2, 4, 6, 8, 10])), [0.5, 0.75, 1.25, 1.75, 2.25, 2.5], 1e-12, 'h = 2');
});

test('x² samples: interior exactly 2x, ends off by h', () => {
  // Central difference of x²: ((x+h)² − (x−h)²)/(2h) = 4xh/(2h) = 2x, exactly.
  // Forward difference at the left end:  ((x+h)² − x²)/h = 2x + h.
  // Backward difference at the right end: (x² − (x−h)²)/h = 2x − h.
  const h = 0.5; // a power of two: every sample and difference is exact in binary
  const xs = f64(Array.from({ length: 13 }, (_, i) => -3 + i * h)); // −3, −2.5, …, 3
  const ys = xs.map((x) => x * x);
  const g = numericalGradient(ys, xs);
  assert.equal(g.length, xs.length);
  const want = [...xs].map((x, i) => (i === 0 ? 2 * x + h : i === xs.length - 1 ? 2 * x - h : 2 * x));
  allClose(g, want, 1e-12, 'x² samples');
  assert.equal(g[0], -6 + 0.5); //  2·(−3) + h
  assert.equal(g[12], 6 - 0.5); //  2·3 − h
});

test('two points: both ends are the one difference quotient', () => {
  // (5 − 3)/(4 − 0) = 0.5 at both points
  allClose(numericalGradient(f64([3, 5]), f64([0, 4])), [0.5, 0.5], 1e-15);
});

test('non-uniform samples of a line give its slope everywhere', () => {
  // y = 3x − 1 on irregular xs: every formula is exact for a straight line.
  const xs = f64([-2, -1.75, -1, 0.5, 0.625, 3, 10]);
  const ys = xs.map((x) => 3 * x - 1);
  allClose(numericalGradient(ys, xs), Array(xs.length).fill(3), 1e-12, 'slope 3');
});

test('non-uniform samples of a parabola: interior formula is exact for quadratics', () => {
  // numpy's non-uniform interior formula is second-order: exact for y = x² (g = 2x) at interior points.
  const xs = f64([0, 0.5, 1.5, 1.75, 3, 4]);
  const ys = xs.map((x) => x * x);
  const g = numericalGradient(ys, xs);
  for (let i = 1; i < xs.length - 1; i++) allClose([g[i]], [2 * xs[i]], 1e-12, `x = ${xs[i]}`);
  // ends: (0.25 − 0)/0.5 = 0.5 ; (16 − 9)/1 = 7
  allClose([g[0], g[5]], [0.5, 7], 1e-12, 'ends');
});

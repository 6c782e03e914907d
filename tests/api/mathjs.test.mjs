// Every function of the formula language against mathjs's symbolic derivative (issue 18): at
// points swept across each function's domain, derivatives() agrees with mathjs to 1e-9
// (relative) wherever both are finite real numbers. mathjs has no rule for atan2, min, max and
// sign, and a wrong one for acoth; those are checked against closed forms instead.
import test from 'node:test';
import assert from 'node:assert/strict';
import { create, all } from 'mathjs';
import { derivatives } from './calculus.mjs';

const math = create(all);

/** n + 1 evenly spaced points from lo to hi, both included. */
const sweep = (lo, hi, n = 600) => Float64Array.from({ length: n + 1 }, (_, i) => lo + ((hi - lo) * i) / n);

/** |a − b| ≤ tol·max(|a|, |b|), with 0 = 0. */
const agree = (a, b, tol) => a === b || Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b));

// [formula, domain swept, the formula as mathjs writes it where it differs]
const CASES = [
  ['asin(x)', [-1, 1]],
  ['acos(x)', [-1, 1]],
  ['atan(x)', [-10, 10]],
  ['sec(x)', [-4, 4]],
  ['csc(x)', [-4, 4]],
  ['cot(x)', [-4, 4]],
  ['asec(x)', [-4, 4]],
  ['acsc(x)', [-4, 4]],
  ['acot(x)', [-4, 4]],
  ['sinh(x)', [-20, 20]],
  ['cosh(x)', [-20, 20]],
  ['sech(x)', [-20, 20]],
  ['csch(x)', [-20, 20]],
  ['coth(x)', [-20, 20]],
  ['asinh(x)', [-10, 10]],
  ['acosh(x)', [-4, 4]],
  ['atanh(x)', [-2, 2]],
  ['asech(x)', [-1, 2]],
  ['acsch(x)', [-4, 4]],
  // mathjs 15's rule for acoth has its sign wrong ("d/dx(acoth(x)) = -1 / (1 - x^2)"; acoth is
  // atanh(1/x), whose derivative is 1/(1 − x²), as for atanh): compare with its chain rule on
  // atanh(1/x) instead, and pin the value down by its closed form below.
  ['acoth(x)', [-4, 4], 'atanh(1/x)'],
  ['log10(x)', [-1, 100]],
  // mathjs has no rule for log2; log(x, 2) is the same function.
  ['log2(x)', [-1, 100], 'log(x, 2)'],
  ['log(x, 3)', [-1, 100]],
  ['log(7, x)', [-1, 10]],
  ['log(x, x + 1)', [-1, 10]],
  ['cbrt(x)', [-27, 27]],
  ['nthRoot(x, 5)', [-32, 32]],
  ['nthRoot(x, 4)', [-16, 16]],
  ['nthRoot(8, x)', [-5, 5]],
  ['pow(x, 3)', [-5, 5]],
  ['pow(2, x)', [-5, 5]],
  ['pow(x, x)', [0, 5]],
  // The chain rule through the new functions.
  ['atan(x)*sinh(x)', [-10, 10]],
  ['asinh(x^2 - 1)/cosh(x)', [-5, 5]],
  ['acos(x/4)*sec(x)', [-4, 4]],
  ['log10(1 + x^2)*coth(x)', [-5, 5]],
];

test('every new function against mathjs across its domain, to 1e-9', () => {
  for (const [formula, [lo, hi], theirs = formula] of CASES) {
    const xs = sweep(lo, hi);
    const ours = derivatives(formula, xs);
    const d = math.derivative(theirs, 'x').compile();
    let compared = 0;
    for (let i = 0; i < xs.length; i++) {
      const expected = d.evaluate({ x: xs[i] });
      // Complex, ±∞ or NaN on mathjs's side (outside the real domain, or at a pole).
      if (typeof expected !== 'number' || !Number.isFinite(expected) || !Number.isFinite(ours[i])) continue;
      compared++;
      assert.ok(agree(ours[i], expected, 1e-9), `d/dx ${formula} at x = ${xs[i]}: ours ${ours[i]}, mathjs ${expected}`);
    }
    // Most of each sweep lies in the domain: the comparison is not vacuous.
    assert.ok(compared > 150, `${formula}: only ${compared} points compared`);
  }
});

test("where the function is defined, ours is finite wherever mathjs's is", () => {
  // mathjs writes some derivatives in forms that are real outside the function's domain
  // (acosh' for x < −1); ours is NaN there because the function is. Inside, no NaN.
  const inside = [
    ['asin(x)', [-0.999, 0.999]],
    ['acosh(x)', [1.001, 9]],
    ['atanh(x)', [-0.999, 0.999]],
    ['asech(x)', [0.001, 0.999]],
    ['acoth(x)', [1.001, 9]],
    ['nthRoot(x, 3)', [-9, -0.001]],
  ];
  for (const [formula, [lo, hi]] of inside) {
    for (const slope of derivatives(formula, sweep(lo, hi))) assert.ok(Number.isFinite(slope), `${formula}: ${slope}`);
  }
});

test('atan2, min, max and sign against their closed forms (mathjs has no rule for them)', () => {
  const xs = sweep(-3, 3);
  const cases = [
    // ∂atan2(y, x)/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²)
    ['atan2(x, 1.5)', (x) => 1.5 / (x * x + 2.25)],
    ['atan2(1.5, x)', (x) => -1.5 / (x * x + 2.25)],
    ['atan2(x^2, 2)', (x) => (2 * 2 * x) / (x ** 4 + 4)],
    // The smaller argument's slope; half of each where they meet (PyTorch's minimum).
    ['min(x, x^2)', (x) => (x < x * x ? 1 : x * x < x ? 2 * x : (1 + 2 * x) / 2)],
    ['max(x, 1 - x)', (x) => (x > 1 - x ? 1 : 1 - x > x ? -1 : 0)],
    ['sign(x)*x^2', (x) => 2 * Math.abs(x)],
    // acoth(x) = ½·ln((x + 1)/(x − 1)) for |x| > 1: its derivative is ½·(1/(x + 1) − 1/(x − 1)).
    ['acoth(x + 4)', (x) => 0.5 * (1 / (x + 5) - 1 / (x + 3))],
  ];
  for (const [formula, slope] of cases) {
    const ours = derivatives(formula, xs);
    for (let i = 0; i < xs.length; i++) {
      const want = slope(xs[i]);
      // At acoth's pole (x + 4 = 1) f is not defined, so neither is its slope: NaN.
      const ok = Number.isFinite(want)
        ? agree(ours[i], want, 1e-12) || Math.abs(ours[i] - want) < 1e-15
        : Number.isNaN(ours[i]);
      assert.ok(ok, `d/dx ${formula} at x = ${xs[i]}: ${ours[i]} vs ${want}`);
    }
  }
});

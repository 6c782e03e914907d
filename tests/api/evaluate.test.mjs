// evaluate(expr, vars): the expression language, precedence and every function.
// Expected values are worked by hand in the comments (or are closed forms computed with Math.*).
import test from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, close } from './calculus.mjs';

test('arithmetic and precedence', () => {
  const cases = [
    ['1 + 2*3', {}, 7], //                 * before +: 1 + 6
    ['(1 + 2)*3', {}, 9], //               parentheses first: 3·3
    ['10 - 4 - 3', {}, 3], //              left-associative: (10 − 4) − 3
    ['64 / 4 / 2', {}, 8], //              left-associative: (64 / 4) / 2 = 16 / 2
    ['2 * 3 / 4', {}, 1.5], //             (2·3)/4
    ['7 - 2*3 + 1', {}, 2], //             7 − 6 + 1
    ['2^3', {}, 8],
    ['2**3', {}, 8], //                    ** is a synonym of ^
    ['2^3^2', {}, 512], //                 right-associative: 2^(3^2) = 2^9
    ['2**3**2', {}, 512],
    ['(2^3)^2', {}, 64], //                8² = 64
    ['-2^2', {}, -4], //                   ^ binds tighter than unary minus: −(2²)
    ['(-2)^2', {}, 4],
    ['2^-2', {}, 0.25], //                 1/2² = 1/4
    ['-x^2', { x: 3 }, -9], //             −(3²)
    ['(-x)^2', { x: 3 }, 9],
    ['x^-1', { x: 4 }, 0.25], //           1/4
    ['--x', { x: 5 }, 5], //               −(−5)
    ['2 * -3', {}, -6],
    ['2x', { x: 5 }, 10], //               implicit multiplication
    ['3(x+1)', { x: 2 }, 9], //            3·(2 + 1)
    ['2x^2', { x: 3 }, 18], //             2·(3²): ^ before implicit multiplication
    ['1 + 2x*3', { x: 2 }, 13], //         1 + (2·2)·3
    ['1.5 + 0.5', {}, 2],
    ['x*y + z', { x: 2, y: 3, z: 4 }, 10], // 6 + 4
    ['w*x + b', { w: -2, x: 3, b: 1 }, -5], // −6 + 1
    ['x', { x: -0.125 }, -0.125],
  ];
  for (const [expr, vars, want] of cases) {
    assert.equal(evaluate(expr, vars), want, `evaluate(${JSON.stringify(expr)}, ${JSON.stringify(vars)})`);
  }
});

test('whitespace is insignificant', () => {
  assert.equal(evaluate('  1+2 *   3 ', {}), 7);
  assert.equal(evaluate('\t2 ^ 3 ^ 2\n', {}), 512);
});

test('constants pi and e', () => {
  close(evaluate('pi', {}), Math.PI, 1e-15, 'pi');
  close(evaluate('e', {}), Math.E, 1e-15, 'e');
  close(evaluate('2pi', {}), 2 * Math.PI, 1e-15, '2pi');
  close(evaluate('pi/2', {}), Math.PI / 2, 1e-15, 'pi/2');
  close(evaluate('e^2', {}), Math.E ** 2, 1e-14, 'e^2');
});

test('every function at hand-checkable points', () => {
  const cases = [
    ['sin(0)', 0], ['sin(pi/2)', 1], ['cos(0)', 1], ['cos(pi)', -1],
    ['tan(0)', 0], ['tan(pi/4)', 1], //              sin = cos at π/4
    ['exp(0)', 1], ['exp(1)', Math.E],
    ['log(1)', 0], ['log(e)', 1], ['ln(e)', 1], ['ln(e^2)', 2], ['log(e^3)', 3], // log = ln
    ['sqrt(16)', 4], ['sqrt(2)^2', 2],
    ['abs(-3)', 3], ['abs(2.5)', 2.5], ['abs(0)', 0],
    ['tanh(0)', 0],
    ['sigmoid(0)', 0.5], //                           1/(1 + e⁰) = 1/2
    ['relu(-2)', 0], ['relu(1.5)', 1.5], ['relu(0)', 0],
  ];
  for (const [expr, want] of cases) close(evaluate(expr, {}), want, 1e-14, expr);
  // Closed forms at non-special points.
  const x = 0.7;
  close(evaluate('sin(x)', { x }), Math.sin(x), 1e-15, 'sin(0.7)');
  close(evaluate('cos(x)', { x }), Math.cos(x), 1e-15, 'cos(0.7)');
  close(evaluate('tan(x)', { x }), Math.tan(x), 1e-15, 'tan(0.7)');
  close(evaluate('exp(x)', { x }), Math.exp(x), 1e-15, 'exp(0.7)');
  close(evaluate('log(x)', { x }), Math.log(x), 1e-15, 'log(0.7)');
  close(evaluate('ln(x)', { x }), Math.log(x), 1e-15, 'ln(0.7)');
  close(evaluate('sqrt(x)', { x }), Math.sqrt(x), 1e-15, 'sqrt(0.7)');
  close(evaluate('tanh(x)', { x }), Math.tanh(x), 1e-15, 'tanh(0.7)');
  close(evaluate('sigmoid(x)', { x }), 1 / (1 + Math.exp(-x)), 1e-15, 'sigmoid(0.7)');
  close(evaluate('sigmoid(-x)', { x }), 1 - 1 / (1 + Math.exp(-x)), 1e-15, 'sigmoid(−0.7) = 1 − sigmoid(0.7)');
  close(evaluate('sin(x)^2 + cos(x)^2', { x }), 1, 1e-15, 'sin² + cos² = 1');
});

test('variables may be unused or have any name', () => {
  assert.equal(evaluate('2 + 2', { x: 1 }), 4); // an extra variable is harmless
  assert.equal(evaluate('t^2', { t: 3 }), 9);
  assert.equal(evaluate('w + b', { w: 1, b: 2 }), 3);
});

test('returns a plain JS number', () => {
  assert.equal(typeof evaluate('1', {}), 'number');
});

// Errors are JS Errors carrying the engine's message; hostile input never traps the wasm module,
// and the module keeps answering correctly afterwards.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  evaluate, derivative, derivatives, differentiate, numericalGradient, gradient, descend, backprop,
  throwsError, noTrap, stillWorks, close,
} from './calculus.mjs';

const f64 = (a) => new Float64Array(a);

test('syntax errors name the token and its 1-based column', () => {
  //  s i n ( x ) )
  //  1 2 3 4 5 6 7   → the second ')' is at column 7
  throwsError(() => evaluate('sin(x))', { x: 1 }), /unexpected '\)' at column 7/, 'sin(x))');
  throwsError(() => evaluate('1 + * 2', {}), /column 5/, "'*' at column 5");
  throwsError(() => evaluate(')', {}), /column 1/, "')'");
  for (const bad of ['x^', '2 +', '(x + 1', 'sin(', '1 2 +', 'x $ 2', 'sin()', '*x']) {
    throwsError(() => evaluate(bad, { x: 1 }), /\S/, JSON.stringify(bad));
    throwsError(() => derivative(bad, 1), /\S/, `derivative ${JSON.stringify(bad)}`);
    throwsError(() => differentiate(bad, 'x'), /\S/, `differentiate ${JSON.stringify(bad)}`);
  }
  stillWorks('after syntax errors');
});

test('unknown function', () => {
  throwsError(() => evaluate('foo(x)', { x: 1 }), /unknown function 'foo' at column 1/, 'foo(x)');
  //  1 + b a r ( x )  → 'bar' starts at column 5
  throwsError(() => evaluate('1 + bar(x)', { x: 1 }), /unknown function 'bar' at column 5/, '1 + bar(x)');
  throwsError(() => derivative('foo(x)', 1), /unknown function 'foo'/, 'derivative foo(x)');
  throwsError(() => gradient('foo(x, y)', { x: 1, y: 2 }), /\S/, 'gradient foo(x, y)');
  stillWorks('after unknown function');
});

test('a function given the wrong number of arguments names how many it takes, at its column', () => {
  throwsError(() => evaluate('log(x, 2, 3)', { x: 1 }), /^log takes 1 or 2 arguments at column 1$/, 'log of three');
  //  2 + s i n ( x ,  y )  → 'sin' starts at column 5
  throwsError(() => derivative('2 + sin(x, 1)', 1), /^sin takes 1 argument at column 5$/, 'sin of two');
  throwsError(() => evaluate('atan2(y)', { y: 1 }), /^atan2 takes 2 arguments at column 1$/, 'atan2 of one');
  throwsError(() => differentiate('x*pow(x)', 'x'), /^pow takes 2 arguments at column 3$/, 'pow of one');
  throwsError(() => derivatives('nthRoot(x)', f64([1])), /^nthRoot takes 2 arguments at column 1$/, 'nthRoot of one');
  throwsError(() => gradient('max(w, b, 1)', { w: 1, b: 2 }), /^max takes 2 arguments at column 1$/, 'max of three');
  // A comma belongs only between a call's arguments.
  throwsError(() => evaluate('(x, 1)', { x: 1 }), /^unexpected ',' at column 3$/, 'a comma in brackets');
  throwsError(() => evaluate('min(x,)', { x: 1 }), /^expected a number, variable or '\(' at column 7$/, 'a missing argument');
  stillWorks('after wrong numbers of arguments');
});

test('where a function is not a finite real number, the engine says it is not defined here', () => {
  throwsError(() => derivative('0^(x - 5)', 2), /^not defined here: 0\^\(x - 5\) at x = 2 is not a finite real number$/, '0^(x − 5) at 2');
  throwsError(() => derivative('(x^x)^0', -0.6), /^not defined here: \(x\^x\)\^0 at x = -0.6 is not a finite real number$/, '(x^x)^0 at −0.6');
  throwsError(() => evaluate('asin(x)', { x: 2 }), /^not defined here: asin\(x\) at x = 2/, 'asin(2)');
  throwsError(() => evaluate('ln(x)', { x: -1 }), /^not defined here/, 'ln(−1)');
  throwsError(() => evaluate('1/x', { x: 0 }), /^not defined here/, '1/0');
  throwsError(() => gradient('w/b', { w: 1, b: 0 }), /^not defined here: w\/b at b = 0, w = 1/, 'w/b at b = 0');
  throwsError(() => derivative('atan2(x, x)', 0), /^not defined here: the slope of atan2\(x, x\) at x = 0 is not a number$/, 'the angle of the origin');
  // Many points at once: NaN where it is not defined, the slope elsewhere; never ±∞ from a pole.
  const slopes = derivatives('1/x + sqrt(x)', f64([-1, 0, 4]));
  assert.ok(Number.isNaN(slopes[0]) && Number.isNaN(slopes[1]), `${[...slopes]}`);
  close(slopes[2], -1 / 16 + 1 / 4, 1e-15, "(1/x + √x)' at 4");
  // At an end of the domain with a vertical tangent, the slope is infinite but f is defined.
  assert.equal(derivative('asin(x)', 1), Infinity);
  assert.equal(derivative('sqrt(x)', 0), Infinity);
  stillWorks('after points where functions are not defined');
});

test('missing variable', () => {
  throwsError(() => evaluate('x + y', { x: 1 }), /no value for variable 'y'/, 'evaluate x + y');
  throwsError(() => evaluate('x', {}), /no value for variable 'x'/, 'evaluate x with {}');
  throwsError(() => gradient('w^2 + b^2', { w: 1 }), /no value for variable 'b'/, 'gradient');
  throwsError(() => backprop('x*y', { y: 1 }), /no value for variable 'x'/, 'backprop');
  stillWorks('after missing variables');
});

test('derivative of a two-variable expression is an error', () => {
  throwsError(() => derivative('x*y', 1), /variable/i, 'derivative x*y');
  throwsError(() => derivatives('x + y', f64([1, 2])), /variable/i, 'derivatives x + y');
  stillWorks('after two-variable derivative');
});

test('derivatives refuses points that are not an array of numbers', () => {
  for (const xs of ['1, 2', 3, { x: 1 }, undefined]) {
    throwsError(() => derivatives('x^2', xs), /^xs must be a Float64Array or an array of numbers$/, `derivatives(x^2, ${xs})`);
  }
  stillWorks('after derivatives of a bad array');
});

test('numericalGradient: different lengths and fewer than 2 points', () => {
  throwsError(() => numericalGradient(f64([1, 2, 3]), f64([0, 1])), /as many|length|same|match/i, '3 ys, 2 xs');
  throwsError(() => numericalGradient(f64([1]), f64([0])), /2|two|point|least/i, 'one point');
  throwsError(() => numericalGradient(f64([]), f64([])), /2|two|point|least/i, 'no points');
  stillWorks('after numericalGradient errors');
});

test('bad descend options', () => {
  const ok = { start: { x: 1 }, learningRate: 0.1, iterations: 10 };
  throwsError(() => descend('x^2', { ...ok, optimizer: 'adamw' }), /optimizer|adamw/i, 'unknown optimizer');
  throwsError(() => descend('x^2', { ...ok, start: {} }), /no value for variable 'x'|start|x/i, 'start lacks x');
  throwsError(() => descend('w^2 + b^2', { ...ok, start: { w: 1 } }), /'b'|\bb\b/, 'start lacks b');
  throwsError(() => descend('x^2', { ...ok, learningRate: -0.1 }), /learning|rate|lr/i, 'negative learning rate');
  throwsError(() => descend('x^2', { ...ok, learningRate: NaN }), /learning|rate|lr|finite|number/i, 'NaN learning rate');
  throwsError(() => descend('x^2', { ...ok, iterations: -1 }), /\S/, 'negative iterations');
  throwsError(() => descend('x^2', { ...ok, iterations: 2.5 }), /\S/, 'fractional iterations');
  throwsError(() => descend('x^2', { ...ok, optimizer: 'momentum', momentum: -1 }), /momentum/i, 'momentum −1');
  throwsError(() => descend('x^2', { ...ok, optimizer: 'adam', beta1: 1.5 }), /beta|β/i, 'beta1 1.5');
  throwsError(() => descend('x^2', { ...ok, optimizer: 'rmsprop', alpha: -1 }), /alpha|α/i, 'alpha −1');
  throwsError(() => descend('x^2', { ...ok, optimizer: 'adam', epsilon: -1 }), /epsilon|ε/i, 'epsilon −1');
  throwsError(() => descend('x^2', { learningRate: 0.1, iterations: 10 }), /\S/, 'no start');
  throwsError(() => descend('x^2', {}), /\S/, 'no options');
  throwsError(() => descend('x^', ok), /\S/, 'bad expression');
  stillWorks('after bad descend options');
});

test('hostile: 10,000 nested parentheses', () => {
  const deep = '('.repeat(10000) + 'x' + ')'.repeat(10000);
  throwsError(() => evaluate(deep, { x: 1 }), /\S/, 'evaluate');
  throwsError(() => derivative(deep, 1), /\S/, 'derivative');
  throwsError(() => derivatives(deep, f64([1, 2])), /\S/, 'derivatives');
  throwsError(() => differentiate(deep, 'x'), /\S/, 'differentiate');
  throwsError(() => gradient(deep, { x: 1 }), /\S/, 'gradient');
  throwsError(() => backprop(deep, { x: 1 }), /\S/, 'backprop');
  throwsError(() => descend(deep, { start: { x: 1 }, learningRate: 0.1, iterations: 1 }), /\S/, 'descend');
  const deepFn = 'sin('.repeat(10000) + 'x' + ')'.repeat(10000);
  throwsError(() => evaluate(deepFn, { x: 1 }), /\S/, 'nested sin');
  const deepNeg = '-'.repeat(20000) + 'x';
  noTrap(() => evaluate(deepNeg, { x: 1 }), '20,000 unary minus'); // either an Error or +1
  const deepPow = Array(10000).fill('x').join('^');
  noTrap(() => evaluate(deepPow, { x: 1 }), 'x^x^…^x (right-assoc, 10,000 deep)');
  stillWorks('after deep nesting');
});

test('hostile: deep nesting within any length limit answers correctly or throws an Error', () => {
  // The same shapes as above but under 10,000 characters, so a length limit cannot stop them
  // before the parser, the graph, the backward pass and the simplifier see them.
  const shapes = [
    ['4,000 nested parentheses', '('.repeat(4000) + 'x' + ')'.repeat(4000), (x) => x, () => 1],
    ['1,500 nested sin', 'sin('.repeat(1500) + 'x' + ')'.repeat(1500), null, null],
    ['9,000 unary minus', '-'.repeat(9000) + 'x', (x) => x, () => 1], // an even count: +x
    ['2,000 right-assoc powers of 1', Array(2000).fill('x').join('^'), () => 1, null], // 1^…^1 = 1
    ['2,400-term sum', Array(2400).fill('x').join('+'), (x) => 2400 * x, () => 2400],
    ['1,600-factor product', Array(1600).fill('x').join('*'), (x) => x ** 1600, null],
  ];
  for (const [name, expr, f, df] of shapes) {
    assert.ok(expr.length < 10000, `${name}: ${expr.length} characters`);
    const x = 1;
    const v = noTrap(() => evaluate(expr, { x }), `evaluate ${name}`);
    if (f && 'value' in v) close(v.value, f(x), 1e-12, `evaluate ${name}`);
    const d = noTrap(() => derivative(expr, x), `derivative ${name}`);
    if (df && 'value' in d) close(d.value, df(x), 1e-12, `derivative ${name}`);
    noTrap(() => derivatives(expr, f64([1, 0.5])), `derivatives ${name}`);
    noTrap(() => gradient(expr, { x }), `gradient ${name}`);
    noTrap(() => backprop(expr, { x }), `backprop ${name}`);
    noTrap(() => descend(expr, { start: { x }, learningRate: 1e-9, iterations: 2, optimizer: 'adam' }), `descend ${name}`);
    const s = noTrap(() => differentiate(expr, 'x'), `differentiate ${name}`);
    if (df && 'value' in s) {
      const back = noTrap(() => evaluate(s.value, { x }), `evaluate(differentiate ${name})`);
      if ('value' in back) close(back.value, df(x), 1e-12, `differentiate ${name}`);
    }
    stillWorks(`after ${name}`);
  }
});

test('hostile: a 20,000-term sum answers correctly or throws an Error, never traps', () => {
  // x + x + … + x (20,000 terms) = 20000·x; its derivative is 20000.
  const sum = Array(20000).fill('x').join(' + ');
  const checks = [
    ['evaluate', () => evaluate(sum, { x: 0.5 }), 10000],
    ['derivative', () => derivative(sum, 0.5), 20000],
    ['gradient', () => gradient(sum, { x: 0.5 }).x, 20000],
    ['backprop', () => backprop(sum, { x: 0.5 }).gradients.x, 20000],
    ['differentiate', () => evaluate(differentiate(sum, 'x'), { x: 0.5 }), 20000],
    ['descend', () => descend(sum, { start: { x: 0.5 }, learningRate: 1e-6, iterations: 2 }).path[1][0], 0.5 - 1e-6 * 20000],
  ];
  for (const [name, fn, want] of checks) {
    const r = noTrap(fn, name);
    if ('value' in r) close(r.value, want, 1e-9, name);
  }
  stillWorks('after the long sum');
});

test('hostile: empty and blank expressions', () => {
  for (const blank of ['', ' ', '\n\t', '()']) {
    throwsError(() => evaluate(blank, {}), /\S/, `evaluate ${JSON.stringify(blank)}`);
    throwsError(() => derivative(blank, 1), /\S/, `derivative ${JSON.stringify(blank)}`);
    throwsError(() => differentiate(blank, 'x'), /\S/, `differentiate ${JSON.stringify(blank)}`);
    throwsError(() => gradient(blank, {}), /\S/, `gradient ${JSON.stringify(blank)}`);
    throwsError(() => backprop(blank, {}), /\S/, `backprop ${JSON.stringify(blank)}`);
  }
  stillWorks('after empty expressions');
});

test('hostile: NaN and Infinity inputs throw an Error', () => {
  throwsError(() => evaluate('x + 1', { x: NaN }), /\S/, 'evaluate x = NaN');
  throwsError(() => evaluate('x + 1', { x: Infinity }), /\S/, 'evaluate x = Infinity');
  throwsError(() => derivative('x^2', NaN), /\S/, 'derivative at NaN');
  throwsError(() => derivative('x^2', -Infinity), /\S/, 'derivative at −Infinity');
  throwsError(() => gradient('w^2 + b^2', { w: NaN, b: 1 }), /\S/, 'gradient at NaN');
  throwsError(() => backprop('x*y', { x: Infinity, y: 1 }), /\S/, 'backprop at Infinity');
  throwsError(() => descend('x^2', { start: { x: Infinity }, learningRate: 0.1, iterations: 3 }), /\S/, 'descend from Infinity');
  throwsError(() => descend('x^2', { start: { x: 1 }, learningRate: Infinity, iterations: 3 }), /\S/, 'descend lr Infinity');
  // Arrays with non-finite samples: an Error or a Float64Array, never a trap.
  noTrap(() => derivatives('x^2', f64([1, NaN, Infinity])), 'derivatives with NaN');
  noTrap(() => numericalGradient(f64([1, NaN, 3]), f64([0, 1, 2])), 'numericalGradient NaN ys');
  noTrap(() => numericalGradient(f64([1, 2, 3]), f64([0, 0, 0])), 'numericalGradient repeated xs');
  stillWorks('after NaN/Infinity');
});

test('hostile: huge iteration counts throw an Error quickly', () => {
  for (const iterations of [1e9, 2 ** 32, 2 ** 53, 1e300, Infinity]) {
    const t0 = performance.now();
    // 1e9 is a valid integer, so the engine's own limit must reject it and say so;
    // the larger ones may be rejected while converting the options.
    const re = iterations === 1e9 ? /iteration/i : /\S/;
    throwsError(() => descend('x^2', { start: { x: 1 }, learningRate: 0.1, iterations }), re, `iterations = ${iterations}`);
    assert.ok(performance.now() - t0 < 1000, `rejecting iterations = ${iterations} took ${performance.now() - t0} ms`);
  }
  stillWorks('after huge iteration counts');
});

test('hostile: wrong argument types never trap', () => {
  noTrap(() => evaluate('x', null), 'vars = null');
  noTrap(() => evaluate('x', { x: 'three' }), 'string value');
  noTrap(() => evaluate('x', [1]), 'vars = array');
  noTrap(() => derivatives('x^2', [1, 2, 3]), 'plain array for xs');
  noTrap(() => numericalGradient([1, 2], [0, 1]), 'plain arrays');
  noTrap(() => descend('x^2', null), 'options = null');
  noTrap(() => descend('x^2', { start: { x: 1 }, learningRate: '0.1', iterations: 3 }), 'string learning rate');
  noTrap(() => gradient('x', undefined), 'point = undefined');
  noTrap(() => differentiate('x^2', ''), 'empty variable name');
  noTrap(() => differentiate('x^2', '2x'), 'invalid variable name');
  stillWorks('after wrong argument types');
});

test('a long stream of errors interleaved with work leaves the module healthy', () => {
  for (let i = 0; i < 2000; i++) {
    throwsError(() => evaluate('sin(x))', { x: 1 }), /column 7/, `error ${i}`);
    assert.equal(evaluate('2^3^2', {}), 512);
  }
  stillWorks('after 2000 errors');
});

// The JS boundary (crates/calculus-wasm/src/convert/): what shapes go in and come out, and
// the messages bad input gets. Results are plain objects and arrays (never Maps or wasm-owned
// objects), keys in a stable order; typed arrays stay Float64Arrays.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  evaluate, derivatives, numericalGradient, gradient, descend, backprop, throwsError, stillWorks,
} from './calculus.mjs';

const isPlain = (v) => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

test('results are plain objects and arrays; typed arrays stay Float64Array', () => {
  const g = gradient('w^2 + b^2', { w: 1, b: 2 });
  assert.ok(isPlain(g), 'gradient is a plain object');
  // The engine's order (variables sorted by name), whatever the order of the input's keys.
  assert.deepEqual(Object.keys(g), ['b', 'w']);
  assert.deepEqual(g, { b: 4, w: 2 });
  assert.deepEqual(Object.keys(gradient('z + a + m', { m: 1, z: 2, a: 3 })), ['a', 'm', 'z']);

  const run = descend('w^2 + b^2', { start: { w: 8, b: 9 }, learningRate: 0.1, iterations: 2 });
  assert.ok(isPlain(run), 'descend returns a plain object');
  assert.deepEqual(Object.keys(run), ['variables', 'path', 'loss', 'diverged']);
  assert.ok(Array.isArray(run.variables) && Array.isArray(run.path) && Array.isArray(run.loss));
  assert.ok(run.path.every(Array.isArray), 'each point of the path is an Array');
  assert.equal(JSON.stringify(JSON.parse(JSON.stringify(run))), JSON.stringify(run), 'JSON round trip');

  const r = backprop('x*2', { x: 3 });
  assert.ok(isPlain(r) && isPlain(r.gradients) && r.nodes.every(isPlain));
  assert.deepEqual(Object.keys(r), ['value', 'gradients', 'nodes']);
  assert.deepEqual(r.nodes.map((n) => Object.keys(n)), Array(3).fill(['id', 'op', 'label', 'inputs', 'value', 'grad']));
  assert.deepEqual(r.nodes, [
    { id: 0, op: 'var', label: 'x', inputs: [], value: 3, grad: 2 },
    { id: 1, op: 'const', label: '2', inputs: [], value: 2, grad: 3 },
    { id: 2, op: 'mul', label: '*', inputs: [0, 1], value: 6, grad: 1 },
  ]);

  assert.ok(derivatives('x^2', new Float64Array([1, 2])) instanceof Float64Array);
  assert.ok(numericalGradient(new Float64Array([0, 1]), new Float64Array([0, 1])) instanceof Float64Array);
});

test('variables: any object with own enumerable number properties', () => {
  class Point { constructor() { this.x = 2; } }
  assert.equal(evaluate('x^2', new Point()), 4, 'a class instance');
  assert.equal(evaluate('x^2', Object.assign(Object.create(null), { x: 3 })), 9, 'a null-prototype object');
  assert.equal(evaluate('x + 1', { x: 1, unused: 5 }), 2, 'extra names are ignored');
});

test('variables: bad input is named', () => {
  throwsError(() => evaluate('x', null), /^variables must be an object like \{x: 1\}$/, 'null');
  throwsError(() => evaluate('x', [1]), /^variables must be an object like \{x: 1\}$/, 'array');
  throwsError(() => evaluate('x', 3), /^variables must be an object/, 'number');
  throwsError(() => gradient('x', 'x'), /^point must be an object/, 'string point');
  throwsError(() => backprop('x', undefined), /^values must be an object/, 'undefined values');
  throwsError(() => evaluate('x', { x: 'three' }), /^variables: .*"three".*'x'/, 'string value');
  throwsError(() => evaluate('x', { x: NaN }), /^variables: the value of 'x' must be a finite number, got NaN$/, 'NaN');
  throwsError(() => gradient('x', { x: -Infinity }), /^point: the value of 'x' must be a finite number, got -inf/i, '-Infinity');
  throwsError(() => evaluate('x', { x: null }), /'x'/, 'null value');
  throwsError(() => evaluate('x', { x: {} }), /'x'/, 'object value');
  throwsError(() => evaluate('x', { x: 1n }), /'x'/, 'BigInt value');
  stillWorks('after bad variables');
});

test('descend options: optional keys may be undefined or null, extra keys are ignored', () => {
  const base = { start: { x: 1 }, learningRate: 0.1, iterations: 2 };
  const plain = descend('x^2', base);
  assert.deepEqual(descend('x^2', { ...base, optimizer: undefined, momentum: null, note: 'hi' }), plain);
  // null hyperparameters take PyTorch's defaults, like absent ones
  assert.deepEqual(
    descend('x^2', { ...base, optimizer: 'adam', beta1: null, beta2: undefined, epsilon: null }),
    descend('x^2', { ...base, optimizer: 'adam' }),
  );
  // "sgd" is another name for "gd"
  assert.deepEqual(descend('x^2', { ...base, optimizer: 'sgd' }), plain);
  // options read through getters and prototypes, and left as they were
  class Options { get learningRate() { return 0.1; } }
  const o = Object.assign(new Options(), { start: { x: 1 }, iterations: 2 });
  assert.deepEqual(descend('x^2', o), plain);
  const frozen = Object.freeze({ ...base, start: Object.freeze({ x: 1 }) });
  assert.deepEqual(descend('x^2', frozen), plain);
});

test('descend options: bad input names the option', () => {
  const ok = { start: { x: 1 }, learningRate: 0.1, iterations: 2 };
  throwsError(() => descend('x^2', null), /^descend options must be an object like \{x: 1\}$/, 'null');
  throwsError(() => descend('x^2', [ok]), /^descend options must be an object/, 'array');
  throwsError(() => descend('x^2', {}), /^descend options need 'start'/, '{}');
  throwsError(() => descend('x^2', { ...ok, start: null }), /^descend options need 'start'/, 'start null');
  throwsError(() => descend('x^2', { ...ok, learningRate: undefined }), /^descend options need 'learningRate'/, 'no rate');
  throwsError(() => descend('x^2', { ...ok, iterations: null }), /^descend options need 'iterations'/, 'no iterations');
  throwsError(() => descend('x^2', { ...ok, start: 5 }), /^descend options: start: .*5.*object/, 'start 5');
  throwsError(() => descend('x^2', { ...ok, start: [1] }), /^descend options: start: .*array/, 'start array');
  throwsError(() => descend('x^2', { ...ok, start: { x: 'one' } }), /^descend options: start: .*"one".*'x'/, 'start.x string');
  throwsError(() => descend('x^2', { ...ok, learningRate: '0.1' }), /^descend options: learningRate: .*"0\.1".*number/, 'rate string');
  throwsError(() => descend('x^2', { ...ok, iterations: '3' }), /^descend options: iterations: /, 'iterations string');
  throwsError(() => descend('x^2', { ...ok, optimizer: 3 }), /^descend options: optimizer: .*string/, 'optimizer 3');
  throwsError(() => descend('x^2', { ...ok, optimizer: 'momentum', momentum: 'high' }), /^descend options: momentum: /, 'momentum string');
  throwsError(() => descend('x^2', { ...ok, optimizer: 'adamw' }), /^unknown optimizer 'adamw': use "gd", "momentum", "rmsprop" or "adam"$/, 'adamw');
  throwsError(() => descend('x^2', { ...ok, iterations: 2.5 }), /^iterations must be a whole number, 0 or more$/, '2.5');
  stillWorks('after bad descend options');
});

// Loads the built wasm module (build/pkg, wasm-bindgen --target web) into Node, once.
// Shared by every tests/api/*.test.mjs file. Not a test file itself (no ".test." in the name).
import fs from 'node:fs';
import assert from 'node:assert/strict';

const pkg = new URL('../../build/pkg/', import.meta.url);
const jsUrl = new URL('calculus.js', pkg);
const wasmUrl = new URL('calculus_bg.wasm', pkg);

if (!fs.existsSync(jsUrl) || !fs.existsSync(wasmUrl)) {
  throw new Error(
    `build the wasm first: npm run build (missing ${fs.existsSync(jsUrl) ? wasmUrl.pathname : jsUrl.pathname})`,
  );
}

const calc = await import(jsUrl.href);
try {
  calc.initSync({ module: fs.readFileSync(wasmUrl) });
} catch (e) {
  throw new Error(`loading build/pkg/calculus_bg.wasm failed (rebuild: npm run build): ${e.message}`, { cause: e });
}

export default calc;
export const {
  evaluate, derivative, derivatives, differentiate, numericalGradient, gradient, descend, backprop,
} = calc;

/** |actual − expected| ≤ tol·max(1, |expected|) (relative for large values, absolute near 0). */
export function close(actual, expected, tol = 1e-12, what = '') {
  assert.equal(typeof actual, 'number', `${what}: expected a number, got ${typeof actual} (${actual})`);
  const scale = Math.max(1, Math.abs(expected));
  assert.ok(
    Math.abs(actual - expected) <= tol * scale,
    `${what ? what + ': ' : ''}${actual} is not within ${tol} (relative) of ${expected}`,
  );
}

/** Element-wise close() on array-likes of equal length. */
export function allClose(actual, expected, tol = 1e-12, what = '') {
  assert.equal(actual.length, expected.length, `${what}: length ${actual.length} ≠ ${expected.length}`);
  for (let i = 0; i < expected.length; i++) close(actual[i], expected[i], tol, `${what}[${i}]`);
}

/** True if e is (or wraps) a WebAssembly trap rather than an engine error. */
export function isTrap(e) {
  return (
    e instanceof WebAssembly.RuntimeError ||
    /unreachable|RuntimeError|memory access out of bounds|Maximum call stack size exceeded|unsafe aliasing|already borrowed|null pointer passed to rust/i.test(
      String(e?.message ?? e),
    )
  );
}

/**
 * Calls fn, requiring a thrown JS Error (not a wasm trap) whose message matches re (if given).
 * Returns the error.
 */
export function throwsError(fn, re, what = '') {
  let threw = false;
  let err;
  let result;
  try {
    result = fn();
  } catch (e) {
    threw = true;
    err = e;
  }
  assert.ok(threw, `${what}: expected an Error, but it returned ${safeString(result)}`);
  assert.ok(err instanceof Error, `${what}: thrown value is not an Error: ${safeString(err)}`);
  assert.ok(!isTrap(err), `${what}: a wasm trap reached JS: ${err?.constructor?.name}: ${err.message}`);
  assert.ok(typeof err.message === 'string' && err.message.trim().length > 0, `${what}: empty error message`);
  if (re) assert.match(err.message, re, `${what}: unexpected message`);
  return err;
}

/** Calls fn; it may return or throw an Error, but never trap. Returns { value } or { error }. */
export function noTrap(fn, what = '') {
  try {
    return { value: fn() };
  } catch (e) {
    assert.ok(e instanceof Error, `${what}: thrown value is not an Error: ${safeString(e)}`);
    assert.ok(!isTrap(e), `${what}: a wasm trap reached JS: ${e?.constructor?.name}: ${e.message}`);
    return { error: e };
  }
}

/** The module still answers correctly (run after every hostile call). */
export function stillWorks(what = '') {
  // 1 + 2·3 = 7; d/dx x² at 3 = 6; numpy.gradient([0,1,4],[0,1,2]) = [1, 2, 3].
  assert.equal(evaluate('1 + 2*3', {}), 7, `${what}: evaluate broken afterwards`);
  close(derivative('x^2', 3), 6, 1e-12, `${what}: derivative broken afterwards`);
  allClose(numericalGradient(new Float64Array([0, 1, 4]), new Float64Array([0, 1, 2])), [1, 2, 3], 1e-12,
    `${what}: numericalGradient broken afterwards`);
}

function safeString(v) {
  try {
    return typeof v === 'string' ? JSON.stringify(v) : String(JSON.stringify(v) ?? v);
  } catch {
    return String(v);
  }
}

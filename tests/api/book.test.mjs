// The book's facts and its number formatter have one source, the Rust: build/pkg/book.js is
// written from crates/calculus-wasm/src/book/ and chart/theme.rs, and formatNumber is
// format.rs. These tests catch a fact or a colour copied into web/, and facts that the built
// module and the charts disagree on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import calc from './calculus.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BOOK = path.join(ROOT, 'build', 'pkg', 'book.js');
if (!fs.existsSync(BOOK)) throw new Error(`build the facts first: npm run build (missing ${BOOK})`);
const book = await import(new URL('../../build/pkg/book.js', import.meta.url).href);

/** Every web/**.js file's source without its comments (so prose may still quote a number). */
const web = fs
  .readdirSync(path.join(ROOT, 'web'), { recursive: true })
  .filter((f) => f.endsWith('.js'))
  .map((f) => ({
    file: `web/${f}`,
    code: fs.readFileSync(path.join(ROOT, 'web', f), 'utf8').replace(/\/\*[\s\S]*?\*\/|(^|[^:\\])\/\/.*$/gm, '$1'),
  }));

/** Every string and every array of numbers among the facts, found by walking them. */
function walk(value, strings, arrays) {
  if (typeof value === 'string') strings.add(value);
  else if (Array.isArray(value) && value.length >= 2 && value.every((v) => typeof v === 'number')) arrays.push(value);
  if (value && typeof value === 'object') for (const v of Object.values(value)) walk(v, strings, arrays);
}
const factStrings = new Set();
const factArrays = [];
for (const [name, value] of Object.entries(book)) if (name !== 'PALETTE' && name !== 'PRINT_BORDER') walk(value, factStrings, factArrays);

test('web/ writes no colour: every one comes from chart/theme.rs through book.js', () => {
  for (const { file, code } of web) {
    const hex = code.match(/#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?(?:[0-9a-fA-F]{2})?\b/g);
    assert.equal(hex, null, `${file} writes colours ${hex}: add them to theme.rs and read them from book.js's PALETTE`);
    assert.doesNotMatch(code, /\brgba?\(\s*\d/, `${file} writes an rgb() colour`);
  }
  // Every custom property the widget CSS reads has its colour in both schemes.
  const style = fs.readFileSync(path.join(ROOT, 'web', 'style.js'), 'utf8');
  const used = new Set([...style.matchAll(/var\(--([a-z]+)\)/g)].map((m) => m[1]));
  for (const name of used) {
    assert.match(book.PALETTE.light[name] ?? '', /^#[0-9a-f]{6}$/, `--${name} (light)`);
    assert.match(book.PALETTE.dark[name] ?? '', /^#[0-9a-f]{6}$/, `--${name} (dark)`);
  }
});

test('web/ copies no fact of book.js: no example, label or range written out again', () => {
  // Short everyday words ("gd", "Adam") may appear for other reasons; sources, labels and
  // names of three or more characters are the book's.
  const strings = [...factStrings].filter((s) => s.length >= 3 && !/^#/.test(s));
  for (const { file, code } of web) {
    for (const s of strings) {
      for (const q of ['"', "'", '`']) {
        assert.ok(!code.includes(`${q}${s}${q}`), `${file} writes the fact ${q}${s}${q}: import it from ../pkg/book.js`);
      }
    }
    // A range or a pair of numbers written out: [-10, 10], [0.001, 2], [8, 9], ...
    for (const m of code.matchAll(/\[\s*(-?[\d.e+-]+(?:\s*,\s*-?[\d.e+-]+)+)\s*\]/g)) {
      const numbers = m[1].split(',').map(Number);
      if (numbers.some(Number.isNaN)) continue;
      const copy = factArrays.find((a) => a.length === numbers.length && a.every((v, i) => v === numbers[i]));
      assert.equal(copy, undefined, `${file} writes ${m[0]}, a fact of book.js`);
    }
    // A named constant whose value is a fact: `const MAX_STEPS = 500;`.
    for (const m of code.matchAll(/^(?:export\s+)?const\s+([A-Z_]+)\s*=\s*(-?[\d.e+-]+)\s*;/gm)) {
      assert.ok(!(m[1] in book), `${file} defines ${m[1]} again: import it from ../pkg/book.js`);
    }
  }
  assert.ok(!web.some(({ code }) => /\b1e6\b|\b1000000\b|\b1_000_000\b/.test(code)), 'the start limit (1e6) is written in web/');
});

test('book.js: the facts every widget starts from', () => {
  assert.deepEqual(book.EXAMPLES[0], { source: 'x^2', label: 'x²', range: [-10, 10] });
  const lab = book.LANDSCAPES[book.LAB_LANDSCAPE];
  assert.deepEqual([lab.source, lab.start, lab.lab], ['w^2 + b^2', [8, 9], { rate: 0.1, steps: 30 }]);
  // The race the page shows on the long valley (tests/e2e/descent.test.mjs reads it there).
  const valley = book.LANDSCAPES[book.RACE_LANDSCAPE];
  assert.equal(valley.source, 'w^2 + 10b^2');
  assert.deepEqual(valley.race.racers[0], { learningRate: 0.09 });
  assert.deepEqual(valley.race.racers[1], { learningRate: 0.05, momentum: 0.5 });
  assert.deepEqual(book.RACERS.map((r) => r.key), ['gd', 'momentum', 'rmsprop', 'adam']);
  assert.deepEqual(book.RATE_RANGE, [0.001, 2]);
  assert.ok(book.MAX_STEPS <= book.MAX_ITERATIONS);
  for (const l of book.LANDSCAPES) {
    assert.equal(l.race.racers.length, book.RACERS.length, l.source);
    l.race.racers.forEach((options, i) => {
      const keys = ['learningRate', ...book.RACERS[i].params.map(([p]) => p)];
      assert.deepEqual(Object.keys(options), keys, `${l.source}: ${book.RACERS[i].key}'s settings`);
    });
  }
});

test('the charts agree with book.js on the lab and the sweep', () => {
  // No canvas is touched until a chart draws, so the charts can be asked in Node.
  const lab = book.LANDSCAPES[book.LAB_LANDSCAPE];
  const map = new calc.DescentMap({});
  map.run(lab.start[0], lab.start[1], lab.lab.rate, lab.lab.steps);
  assert.equal(map.length, lab.lab.steps + 1);
  assert.throws(() => map.run(0, 0, 0.1, book.MAX_ITERATIONS + 1), /100000/);
  map.free();
  const sweep = new calc.LearningRateSweep({});
  sweep.compute(lab.start[0], lab.start[1], 100);
  const rates = sweep.points().filter((_, i) => i % 3 === 0);
  assert.equal(rates.length, book.SWEEP.points, 'the sweep runs SWEEP.points rates');
  assert.ok(Math.abs(rates[0] - book.RATE_RANGE[0]) < 1e-15 && Math.abs(rates.at(-1) - book.RATE_RANGE[1]) < 1e-12, 'over RATE_RANGE');
  sweep.free();
});

test(
  "the race's own defaults are book.js's for the long valley (chart/optimizer_race must read the book module)",
  () => {
    const race = new calc.OptimizerRace({});
    const settings = book.RACERS.map((_, i) => [...race.settings(i)]);
    race.free();
    const expected = book.LANDSCAPES[book.RACE_LANDSCAPE].race.racers.map((o) => Object.values(o));
    assert.deepEqual(settings, expected);
  },
);

test(
  "the lab's readout quotes its point as the steps table and the prose do (chart/descent_map must use format::point)",
  () => {
    const map = new calc.DescentMap({});
    map.run(8, 9, 0.1, 30);
    const [w, b] = map.point(30);
    const readout = map.readout(30);
    map.free();
    assert.ok(readout.includes(`(w, b) = ${calc.formatPoint(w, b, 'value')},`), readout);
    assert.match(readout, /\(w, b\) = \(0\.0099, 0\.0111\)/);
  },
);

test('formatNumber: the one formatter, from JS (worked by hand)', () => {
  const f = calc.formatNumber;
  // The lab's run from (8, 9) at 0.1 ends after 30 steps at (8·0.8³⁰, 9·0.8³⁰).
  const end = [8 * 0.8 ** 30, 9 * 0.8 ** 30];
  assert.equal(f(end[0], 'value'), '0.0099');
  assert.equal(calc.formatPoint(end[0], end[1], 'value'), '(0.0099, 0.0111)');
  assert.equal(f(145 * 0.64 ** 10, 'value'), '1.6717');
  assert.equal(f(145 * 0.64 ** 30, 'value'), '0.000222');
  assert.equal(f(123456, 'value'), '1.23e5');
  assert.equal(f(NaN, 'value'), 'undefined');
  assert.equal(f(-Infinity, 'value'), '−∞');
  assert.equal(f(0.1, 'rate'), '0.10');
  assert.equal(f(1.05, 'rate'), '1.05');
  assert.equal(f(2.001, 'fixed', 4), '2.0010');
  assert.equal(f(-0.004, 'fixed', 2), '0.00');
  assert.equal(f(2.25, 'decimals', 2), '2.25');
  assert.equal(f(0.004, 'decimals', 2), '4.00e-3');
  assert.equal(f(0.0068, 'significant', 4), '0.006800');
  assert.equal(f(5.684e-14, 'significant', 4), '5.684e-14');
  assert.equal(f(0.001, 'tick'), '0.001');
  assert.equal(f(-3, 'power'), '10⁻³');
  assert.throws(() => f(1, 'fixed'), /digits/);
  assert.throws(() => f(1, 'money'), /unknown number style/);
  assert.equal(f(1, 'value'), '1', 'still works after a refused style');
});

test("the README's table of the formula language lists every function, constant and operator the parser knows", () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The formula language'), readme.indexOf('## The maths API'));
  assert.ok(section.length > 100, 'README.md has a section "The formula language"');
  for (const item of [...book.FORMULA.functions, ...book.FORMULA.constants, ...book.FORMULA.operators]) {
    assert.ok(section.includes(`\`${item}\``), `README.md's formula language lists \`${item}\``);
  }
});

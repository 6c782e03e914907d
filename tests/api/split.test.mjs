// A build with later charts ships as two modules (crates/wasm-split, scripts/build.mjs
// splitLater): the first, fetched at once, and the later, fetched when one of its charts
// starts. These check that the cut loses nothing, copies nothing, and that the two modules,
// instantiated through the build's glue, join into one program.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WASM_BUILDS, laterClasses } from '../../scripts/wasm-builds.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const split = WASM_BUILDS.filter((b) => b.later);

test('the split builds are named: at least one, so that this file tests something', () => {
  assert.ok(split.length >= 1);
});

for (const build of split) {
  const file = (dir, suffix = '') => path.join(ROOT, 'build', dir, `${build.name}${suffix}_bg.wasm`);
  const bytes = { whole: fs.readFileSync(file('whole')), first: fs.readFileSync(file('pkg')), later: fs.readFileSync(file('pkg', '_later')) };
  const modules = Object.fromEntries(Object.entries(bytes).map(([k, b]) => [k, new WebAssembly.Module(b)]));
  const exports = (m) => WebAssembly.Module.exports(modules[m]).map((e) => e.name);
  const isLater = (name) => laterClasses(build).some((c) => name.startsWith(`${c}_`) || name === `__wbg_${c}_free`);

  test(`${build.name}: every export of the whole is in exactly one module, the later classes' in the later one`, () => {
    const first = new Set(exports('first'));
    const later = new Set(exports('later'));
    for (const name of exports('whole')) {
      assert.ok(first.has(name) !== later.has(name), `${name}: in ${first.has(name) ? 'both' : 'neither'}`);
      if (later.has(name)) assert.ok(isLater(name), `${name} moved, but is no later class's`);
    }
    assert.ok([...later].some(isLater), 'the later classes moved');
    for (const name of later) assert.ok(exports('whole').includes(name), `the later module exports ${name}, which the whole did not`);
  });

  test(`${build.name}: the later module takes its memory, globals and functions from the first`, () => {
    const first = new Map(WebAssembly.Module.exports(modules.first).map((e) => [e.name, e.kind]));
    const glue = new Set(WebAssembly.Module.imports(modules.whole).map((i) => `${i.module}.${i.name}`));
    for (const i of WebAssembly.Module.imports(modules.later)) {
      if (i.module === 'first') assert.equal(first.get(i.name), i.kind, `first.${i.name} is a ${i.kind} the first module exports`);
      else assert.ok(glue.has(`${i.module}.${i.name}`), `${i.module}.${i.name} is one of the glue's imports`);
    }
  });

  test(`${build.name}: nothing is copied: the two weigh what the whole does, give or take their imports and exports`, () => {
    const sum = bytes.first.length + bytes.later.length;
    assert.ok(sum < bytes.whole.length * 1.05, `${bytes.first.length} + ${bytes.later.length} bytes against ${bytes.whole.length} whole`);
    assert.ok(bytes.first.length < bytes.whole.length * 0.9, 'the first module is smaller than the whole by a tenth at least');
  });

  test(`${build.name}: instantiated through its glue, the later module joins the first`, async () => {
    const glue = await import(pathToFileURL(path.join(ROOT, 'build', 'pkg', `${build.name}.js`)).href);
    assert.throws(() => glue.joinLater(modules.later), /not instantiated yet/);
    glue.initSync({ module: modules.first });
    glue.joinLater(modules.later);
  });
}

test('a split build costs a page its first module alone when none of the page\'s charts is a later one', async () => {
  const { cost, smallestCovering } = await import('../../web/covering.js');
  const split = { name: 'split', features: ['a', 'b'], later: ['b'], bytes: 100, first: 60 };
  const whole = { name: 'whole', features: ['a', 'b'], bytes: 80 };
  const alone = { name: 'alone', features: ['a'], bytes: 70 };
  assert.equal(cost(split, ['a']), 60);
  assert.equal(cost(split, ['a', 'b']), 100);
  assert.equal(cost(whole, ['a']), 80);
  // Smallest first, as builds.js lists them.
  const builds = [alone, whole, split];
  assert.equal(smallestCovering(builds, ['a']).name, 'split', "a's chart is in the split build's first module");
  assert.equal(smallestCovering(builds, ['a', 'b']).name, 'whole', 'b needs the split build whole: the other is smaller');
  assert.equal(smallestCovering(builds, ['c']), undefined);
  assert.equal(smallestCovering([whole, { ...whole, name: 'twin' }], ['a']).name, 'whole', 'of two that cost the same, the first');
});

test('a post\'s builds: one that draws all its charts, or several when that one costs more', async () => {
  const { cheapestPlan } = await import('../../web/covering.js');
  const names = (plan) => Object.fromEntries([...plan].map(([f, b]) => [f, b.name]));
  const field = { name: 'field', features: ['field'], bytes: 73 };
  const core = { name: 'core', features: ['explorer', 'secant'], later: ['explorer'], bytes: 94, first: 69 };
  const summary = { name: 'summary', features: ['explorer', 'field', 'gears'], later: ['explorer', 'gears'], bytes: 117, first: 74 };
  const api = { name: 'api', features: ['explorer', 'secant', 'field', 'gears'], bytes: 244 };
  const builds = [field, core, summary, api];
  assert.deepEqual(names(cheapestPlan(builds, ['secant', 'field'])), { secant: 'core', field: 'field' }, '69 + 73, not 244');
  assert.deepEqual(names(cheapestPlan(builds, ['explorer', 'field', 'gears'])), { explorer: 'summary', field: 'summary', gears: 'summary' });
  assert.deepEqual(names(cheapestPlan(builds, ['field'])), { field: 'field' });
  assert.equal(cheapestPlan(builds, ['playground']), null);
});

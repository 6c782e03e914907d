// The build's stamps (scripts/stamp.mjs): a step whose inputs are unchanged is skipped, so a
// no-change `npm run build` runs no cargo. The last test times a real no-change build (≤ 15 s).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fingerprint, parseDepInfo, staleReason, writeStamp } from '../../scripts/stamp.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('parseDepInfo reads the prerequisites of the first rule', () => {
  const text = '/t/out.wasm: /src/a.rs /src/with\\ space.rs \\\n  /src/b.rs\n\n/src/a.rs:\n/src/b.rs:\n# env-dep:X=1\n';
  assert.deepEqual(parseDepInfo(text), ['/src/a.rs', '/src/with space.rs', '/src/b.rs']);
  assert.deepEqual(parseDepInfo(''), []);
});

test('a stamp is fresh until an input changes, an output goes or the key changes', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stamp-'));
  try {
    fs.writeFileSync(path.join(root, 'a.rs'), 'fn a() {}');
    fs.writeFileSync(path.join(root, 'b.rs'), 'fn b() {}');
    fs.writeFileSync(path.join(root, 'out.wasm'), 'wasm');
    const file = path.join(root, 'stamps', 's.json');
    const key = { features: ['--features', 'x'] };
    const check = (k = key) => staleReason(file, { key: k, outputs: ['out.wasm'], root });
    assert.equal(check(), 'never built');
    writeStamp(file, { key, inputs: fingerprint(['a.rs', path.join(root, 'b.rs')], root) });
    assert.equal(check(), null, 'nothing changed');

    // Saved again without a change (new mtime, same bytes): still fresh.
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(root, 'a.rs'), later, later);
    assert.equal(check(), null, 'touched only');

    assert.equal(check({ features: [] }), 'settings changed');
    fs.writeFileSync(path.join(root, 'b.rs'), 'fn b() { 1 }');
    assert.equal(check(), 'b.rs changed');
    fs.writeFileSync(path.join(root, 'b.rs'), 'fn b() {}');
    assert.equal(check(), null, 'changed back');
    fs.rmSync(path.join(root, 'out.wasm'));
    assert.equal(check(), 'out.wasm missing');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a no-change npm run build runs no cargo and takes at most 15 s', async (t) => {
  const { planWasm, factsStale } = await import('../../scripts/build.mjs');
  if (!fs.existsSync(new URL('../../build/stamps/', import.meta.url))) return t.skip('no build yet: npm run build');
  // The stamps alone: no build must run.
  assert.deepEqual(planWasm({ optimise: false }).map(({ build, reason }) => `${build.name}: ${reason}`), []);
  assert.equal(factsStale(), null);
  // The build itself, timed (the release build: every wasm build must also be optimised).
  if (planWasm().length) return t.skip('a wasm build is unoptimised (npm start rebuilt it): npm run build first');
  const t0 = performance.now();
  const run = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  assert.equal(run.status, 0, run.stderr);
  t.diagnostic(`no-change npm run build: ${seconds.toFixed(1)} s`);
  assert.doesNotMatch(run.stdout + run.stderr, /\$ (cargo|wasm-bindgen|\S*wasm-opt) /);
  assert.ok(seconds <= 15, `no-change build took ${seconds.toFixed(1)} s (at most 15)`);
});

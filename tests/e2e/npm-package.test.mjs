// The npm package (build/npm, written by `npm run build`) as a user gets it: `npm pack`, then
// `npm install <tarball>` into a fresh project; imported in Node with no init step; bundled
// with esbuild into a page; and loaded the way a CDN serves it (its files as they are).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  ROOT, launchBrowser, startSite, openPage, assertClean, waitForWidgets, colorNear, screenshot, tempDir,
} from './harness.mjs';

const NPM_DIR = path.join(ROOT, 'build', 'npm');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const shared = {};

before(() => {
  const pkg = JSON.parse(fs.readFileSync(path.join(NPM_DIR, 'package.json'), 'utf8'));
  const dir = tempDir('handbook-npm-');
  const packed = JSON.parse(execFileSync(npm, ['pack', NPM_DIR, '--json', '--pack-destination', dir], { cwd: dir, encoding: 'utf8' }));
  const tarball = path.join(dir, packed[0].filename);
  const project = path.join(dir, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'a-user', private: true, type: 'module' }));
  // The package has no dependencies: installing the tarball needs no registry.
  execFileSync(npm, ['install', tarball, '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: project, stdio: 'pipe' });
  Object.assign(shared, { pkg, dir, project, packed: packed[0], tarball });
});

after(() => fs.rmSync(shared.dir, { recursive: true, force: true }));

test('package.json: exports with types, files, sideEffects, engines, license', () => {
  const { pkg, packed } = shared;
  assert.equal(pkg.exports['.'].types, './index.d.ts');
  assert.equal(pkg.exports['./widgets'].types, './widgets.d.ts');
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.engines.node, '>=20');
  assert.equal(pkg.license, 'MIT');
  assert.ok(Array.isArray(pkg.sideEffects) && pkg.sideEffects.includes('./widgets.js'));
  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(files, ['LICENSE', 'README.md', 'calculus.js', 'calculus_bg.wasm', 'index.d.ts', 'index.js', 'node.js',
    'package.json', 'widgets.d.ts', 'widgets.js']);
  // One wasm (the full build) and its glue: the chapter builds are the site's alone.
  console.log(`# ${packed.filename}: ${packed.size} bytes packed, ${packed.unpackedSize} unpacked`);
  assert.ok(packed.size < 600_000, `tarball ${packed.size} bytes`);
});

test('index.d.ts declares every export, documented, with the errors it throws', async () => {
  const dts = fs.readFileSync(path.join(NPM_DIR, 'index.d.ts'), 'utf8');
  const mod = await import(path.join(shared.project, 'node_modules', shared.pkg.name, 'node.js'));
  const names = Object.keys(mod).sort();
  assert.ok(names.includes('derivative') && names.includes('Network') && names.includes('backwardSteps'), names.join());
  for (const name of names) {
    const decl = new RegExp(`(/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/)\\s*export (function|class) ${name}\\b`).exec(dts);
    assert.ok(decl, `index.d.ts: ${name} is not declared with a doc comment`);
    if (!['curveColor', 'arrowColor', 'Network'].includes(name)) assert.match(decl[1], /@throws \{Error\}/, `${name}: no @throws`);
  }
  assert.equal((dts.match(/^export (function|class) /gm) ?? []).length, names.length, 'index.d.ts declares what the module does not export');
  assert.match(dts, /constructor\(sizes: number\[\], options: NetworkOptions\);/);
  assert.match(dts, /export interface StepOptions \{/);
});

test("the declarations type-check a user's code, and catch a wrong call", () => {
  // TypeScript's own resolution of the package (exports → types), as an editor would.
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const check = (name, code) => {
    fs.writeFileSync(path.join(shared.project, name), code);
    try {
      execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext',
        '--target', 'es2022', '--lib', 'es2022,dom', name], { cwd: shared.project, encoding: 'utf8', stdio: 'pipe' });
      return '';
    } catch (e) {
      return e.stdout || e.message;
    }
  };
  const ok = check('ok.ts', `import { derivative, gradient, descend, Network, dataset, type Descent } from ${JSON.stringify(shared.pkg.name)};
import ${JSON.stringify(`${shared.pkg.name}/widgets`)};
const d: number = derivative("x^3", 2);
const g: { [name: string]: number } = gradient("w^2 + b^2", { w: 1, b: 2 });
const run: Descent = descend("w^2", { start: { w: 1 }, learningRate: 0.1, iterations: 3, optimizer: "adam" });
const net = new Network([2, 3, 1], { activation: "tanh" });
const { inputs, labels } = dataset("xor", { count: 8 });
const { loss, gradNorm } = net.step(inputs, labels, { learningRate: 0.1, loss: "bce" });
const el: HTMLElement = document.createElement("calc-derivative");
export const all = [d, g, run.diverged, loss, gradNorm, el];
`);
  assert.equal(ok, '', ok);
  const bad = check('bad.ts', `import { derivative, descend } from ${JSON.stringify(shared.pkg.name)};
derivative("x^3", "2");
descend("w^2", { start: { w: 1 }, learningRate: 0.1, iterations: 3, optimizer: "adamw" });
`);
  assert.match(bad, /bad\.ts\(2,\d+\): error TS2345/);
  assert.match(bad, /bad\.ts\(3,\d+\): error TS2\d+: Type .\"adamw\". is not assignable/);
});

test('in Node ≥ 20, the installed package answers at once: derivative and a Network step', () => {
  // One linear neuron from zero, one sample (x = 2, target 3), MSE, SGD at 0.1: the loss is
  // (0 − 3)² = 9, ∂L/∂w = 2(0 − 3)·2 = −12 and ∂L/∂b = −6, so w = 1.2 and b = 0.6 after
  // the step, and the prediction at 2 is 1.2·2 + 0.6 = 3.
  const script = `
    import { derivative, gradient, Network } from ${JSON.stringify(shared.pkg.name)};
    const net = new Network([1, 1], { activation: "linear", init: "zeros" });
    const x = new Float64Array([2]);
    const { loss } = net.step(x, new Float64Array([3]), { learningRate: 0.1, optimizer: "sgd", loss: "mse" });
    let error = null;
    try { derivative("x +", 1); } catch (e) { error = e instanceof Error && e.message; }
    console.log(JSON.stringify({ d: derivative("x^3", 2), g: gradient("w^2 + b^2", { w: 1, b: 2 }), loss,
      params: [...net.parameters()], predicted: net.predict(x)[0], error }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: shared.project, encoding: 'utf8' }));
  assert.equal(out.d, 12); // d/dx x³ = 3x² = 12 at 2
  assert.deepEqual(out.g, { w: 2, b: 4 });
  assert.equal(out.loss, 9);
  assert.ok(Math.abs(out.params[0] - 1.2) < 1e-12 && Math.abs(out.params[1] - 0.6) < 1e-12, JSON.stringify(out.params));
  assert.ok(Math.abs(out.predicted - 3) < 1e-12, String(out.predicted));
  assert.match(out.error, /column/);
});

/** Serves `root`, opens it, waits for its widget and checks it drew its curve where the chart says. */
async function assertWidgetDraws(root, name) {
  const site = await startSite({ root });
  const browser = await launchBrowser();
  const { page, records, close } = await openPage(browser, site.url);
  try {
    await waitForWidgets(page);
    const answer = await page.evaluate(() => window.answer);
    if (answer !== undefined) assert.equal(answer, 12);
    await screenshot(page, `npm-${name}`);
    // f(x) = x², so the curve passes through (−8, 64), far from the tangent and the derivative.
    const p = await page.evaluate(() => document.querySelector('calc-derivative').chartToPixel(-8, 64));
    const color = await page.evaluate(() => document.querySelector('calc-derivative').curveColor);
    const found = await colorNear(page, 'calc-derivative', p.x, p.y, color, { radius: 3 });
    assert.ok(found.distance < 60, `${name}: the curve's colour ${color} is not drawn at (−8, 64): nearest ${JSON.stringify(found)}`);
    assertClean(records, { label: name });
  } finally {
    await close();
    await browser.close();
    await site.close();
  }
}

const page = (script) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>package</title><link rel="icon" href="data:,">
${script}</head><body><main><calc-derivative function="x^2" x="1"></calc-derivative></main></body></html>`;

test('bundled by esbuild into a page, the widgets and the maths work in Chromium', async () => {
  const { build } = await import('esbuild');
  const out = path.join(shared.project, 'out');
  fs.writeFileSync(path.join(shared.project, 'main.js'),
    `import "${shared.pkg.name}/widgets";\nimport { derivative } from "${shared.pkg.name}";\nwindow.answer = derivative("x^3", 2);\n`);
  await build({ entryPoints: [path.join(shared.project, 'main.js')], absWorkingDir: shared.project, bundle: true, format: 'esm',
    platform: 'browser', target: 'es2022', outdir: out, logLevel: 'silent' });
  // esbuild leaves `new URL("./calculus_bg.wasm", import.meta.url)` as it is: the wasm goes beside the bundle.
  fs.copyFileSync(path.join(shared.project, 'node_modules', shared.pkg.name, 'calculus_bg.wasm'), path.join(out, 'calculus_bg.wasm'));
  fs.writeFileSync(path.join(out, 'index.html'), page('<script type="module" src="main.js"></script>'));
  await assertWidgetDraws(out, 'esbuild');
});

test('from a CDN (the files as they are, one module script), the widgets work', async () => {
  const root = path.join(shared.project, 'node_modules', shared.pkg.name);
  fs.writeFileSync(path.join(root, 'index.html'), page(`<script type="module" src="widgets.js"></script>
<script type="module">import { derivative } from "./index.js"; window.answer = derivative("x^3", 2);</script>`));
  await assertWidgetDraws(root, 'cdn');
});

test('package.json names the repository the package is built from', async () => {
  const { buildNpm } = await import('../../scripts/build-npm.mjs');
  const out = path.join(shared.dir, 'built');
  const pkg = await buildNpm({ out, env: { GITHUB_REPOSITORY: 'someone/handbook', GITHUB_SERVER_URL: 'https://github.com' } });
  assert.deepEqual(pkg.repository, { type: 'git', url: 'git+https://github.com/someone/handbook.git' });
});

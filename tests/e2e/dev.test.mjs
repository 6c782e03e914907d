// The authoring loop (`npm start`, scripts/start.mjs) and its dev server (serve.mjs with
// liveReload): the reload script is added as pages are served and never ships in dist/; a
// saved page is rebuilt and the open page reloads, keeping its scroll position and its hash;
// a port in use is named, with the PORT=… hint.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { DIST, ROOT, launchBrowser, requireDist } from './harness.mjs';
import { DEV_EVENTS, serve } from '../../scripts/serve.mjs';
import { classify } from '../../scripts/start.mjs';

const START = path.join(ROOT, 'scripts', 'start.mjs');

/** Every file under `dir`, recursively. */
const filesUnder = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(path.join(dir, d.name)) : [path.join(dir, d.name)]));

test('dist/ has no trace of the dev server\'s reload script', () => {
  requireDist();
  const traces = ['data-dev-reload', DEV_EVENTS, 'dev-reload-scroll', 'EventSource'];
  const found = [];
  for (const file of filesUnder(DIST)) {
    const text = fs.readFileSync(file, 'latin1');
    for (const t of traces) if (text.includes(t)) found.push(`${path.relative(ROOT, file)}: ${t}`);
  }
  assert.deepEqual(found, []);
});

test('what a changed file rebuilds', () => {
  assert.deepEqual(classify('www/chapters/gradient.html'), { kind: 'pages', page: 'gradient.html' });
  assert.deepEqual(classify('www/index.html'), { kind: 'pages', page: 'index.html' });
  assert.deepEqual(classify('www/chapters.json'), { kind: 'pages', page: null });
  assert.deepEqual(classify('www/assets/site.css'), { kind: 'assets', file: 'www/assets/site.css' });
  assert.deepEqual(classify('web/calc-race.js'), { kind: 'web' });
  assert.deepEqual(classify('crates/calculus-wasm/src/chart/path.rs'), { kind: 'rust' });
  assert.deepEqual(classify('Cargo.lock'), { kind: 'rust' });
  assert.equal(classify('www/chapters/.gradient.html.swp'), null);
  assert.equal(classify('README.md'), null);
});

test('the dev server adds its script to pages as it serves them, and streams reloads and errors', async () => {
  requireDist();
  const { server, url, live } = await serve({ root: DIST, port: 0, liveReload: true });
  const controller = new AbortController();
  try {
    const html = await (await fetch(url + 'index.html')).text();
    assert.match(html, /<script data-dev-reload>[\s\S]*<\/script><\/body>/);
    assert.ok(!fs.readFileSync(path.join(DIST, 'index.html'), 'utf8').includes('data-dev-reload'), 'dist/index.html itself untouched');
    // Other files as they are.
    const css = await fetch(url + 'assets/site.css');
    assert.equal(Number(css.headers.get('content-length')), fs.statSync(path.join(DIST, 'assets', 'site.css')).size);

    const res = await fetch(url + DEV_EVENTS, { signal: controller.signal });
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const reader = res.body.getReader();
    let text = '';
    const until = async (needle) => {
      while (!text.includes(needle)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await until('event: hello');
    live.reload(['gradient.html']);
    await until('event: reload\ndata: ["gradient.html"]');
    live.error('www/chapters/gradient.html:3: KaTeX cannot typeset $\\frac{$');
    await until('event: build-error\ndata: "www/chapters/gradient.html:3');
    live.ok();
    await until('event: build-ok');
  } finally {
    controller.abort();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Starts `npm start` on `port`; resolves once it watches. */
function startLoop(port) {
  const child = spawn(process.execPath, [START], { cwd: ROOT, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const ready = new Promise((resolve, reject) => {
    const check = () => { if (log.includes('Watching')) { child.stdout.off('data', check); resolve(); } };
    child.stdout.on('data', check);
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}):\n${log}`)));
  });
  return { child, ready, log: () => log };
}

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });

test('npm start: a saved page is rebuilt and the open page reloads, keeping its scroll position and hash', async () => {
  requireDist();
  const port = await freePort();
  const loop = startLoop(port);
  const browser = await launchBrowser();
  const file = path.join(ROOT, 'www', 'chapters', 'derivative.html');
  const source = fs.readFileSync(file);
  try {
    await loop.ready;
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await page.goto(`http://127.0.0.1:${port}/derivative.html#secant.h=0.1`);
    await page.waitForFunction(() => document.querySelector('script[data-dev-reload]'));
    await page.evaluate(() => { scrollTo(0, 1200); window.beforeReload = true; });
    const y = await page.evaluate(() => scrollY);
    // Saved again as it is: the page is rebuilt (the same) and reloads.
    fs.writeFileSync(file, source);
    await page.waitForFunction(() => !window.beforeReload && document.readyState === 'complete', null, { timeout: 15_000 });
    await page.waitForTimeout(200);
    const after = await page.evaluate(() => scrollY);
    assert.ok(Math.abs(after - y) <= 40, `scroll kept near ${y}: ${after}`);
    assert.equal(new URL(page.url()).hash, '#secant.h=0.1');
    assert.match(loop.log(), /rebuilt pages in \d+ ms: derivative\.html/);
  } finally {
    await browser.close();
    loop.child.kill();
  }
});

test('npm start on a port in use names the port and the PORT=… hint', async () => {
  const blocker = net.createServer();
  await new Promise((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address();
  try {
    const child = spawn(process.execPath, [START], { cwd: ROOT, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 1);
    assert.match(err, new RegExp(`Port ${port} is already in use`));
    assert.match(err, new RegExp(`PORT=${port + 1} npm start`));
  } finally {
    blocker.close();
  }
});

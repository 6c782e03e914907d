// Helpers shared by every browser test (tests/e2e/*.test.mjs) and by bench/run.mjs.
// Headless Chromium through playwright-core; nothing here downloads a browser.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = path.join(ROOT, 'dist');
export const RESULTS = path.join(ROOT, 'test-results');

export const CHROME_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// One place knows where browsers live: the same lookup `npm test` uses to say what to install.
export { findChrome } from '../../scripts/setup.mjs';
import { findChrome } from '../../scripts/setup.mjs';

/**
 * Launches headless Chromium. Playwright gives every launch its own fresh temporary
 * user-data dir (mkdtemp, removed on close), so no profile is shared or reused.
 * Returns a playwright Browser: use browser.newContext(...) / openPage(browser, ...).
 */
export async function launchBrowser(options = {}) {
  return chromium.launch({
    executablePath: findChrome(),
    headless: true,
    args: CHROME_ARGS,
    timeout: 60_000,
    ...options,
  });
}

/** Throws a clear message when dist/ has not been built. */
export function requireDist() {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) {
    throw new Error(`build the site first: npm run build (missing ${path.join(DIST, 'index.html')})`);
  }
}

/** The HTML pages of the built site, index.html first, then the others alphabetically. */
export function sitePages() {
  requireDist();
  return fs
    .readdirSync(DIST)
    .filter((f) => f.endsWith('.html'))
    .sort((a, b) => (a === 'index.html' ? -1 : b === 'index.html' ? 1 : a.localeCompare(b)));
}

/**
 * Serves dist/ with scripts/serve.mjs on a free port under `base` (e.g. '/handbook/').
 * Returns { url, origin, base, server, close() }; url ends with '/'.
 */
export async function startSite({ base = '/', root = DIST } = {}) {
  if (root === DIST) requireDist();
  const servePath = path.join(ROOT, 'scripts', 'serve.mjs');
  if (!fs.existsSync(servePath)) throw new Error(`missing ${servePath} (the static server used by the tests)`);
  const { serve } = await import(pathToFileURL(servePath).href);
  const { server, url: served } = await serve({ root, port: 0, base, host: '127.0.0.1' });
  const address = server.address();
  // Trust the server's address for the port; build the URL ourselves so a missing
  // trailing slash or a 0.0.0.0 host in `served` cannot confuse the tests.
  const normalBase = ('/' + base.replace(/^\/+|\/+$/g, '') + '/').replace(/^\/\/$/, '/');
  const origin = `http://127.0.0.1:${address?.port ?? new URL(served).port}`;
  const url = origin + normalBase;
  return {
    url,
    origin,
    base: normalBase,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/**
 * Opens `url` in a new page and records problems while it lives.
 * target: a Browser (a new context is made with the options) or a BrowserContext.
 * options: { colorScheme, deviceScaleFactor, viewport, hasTouch, isMobile, reducedMotion, waitUntil, beforeGoto(page) }.
 * Returns { page, context, records, close() }. `records` is a live array of
 *   { kind: 'console-error'|'console-warning'|'pageerror'|'requestfailed'|'http-error'|'off-origin', text, url }.
 */
export async function openPage(target, url, options = {}) {
  const { colorScheme = 'light', deviceScaleFactor = 1, viewport = { width: 1280, height: 800 }, hasTouch, isMobile,
    reducedMotion, waitUntil = 'load', beforeGoto } = options;
  let context;
  let ownContext = false;
  if (typeof target.newContext === 'function') {
    context = await target.newContext({ colorScheme, deviceScaleFactor, viewport, hasTouch, isMobile, reducedMotion });
    ownContext = true;
  } else {
    context = target;
  }
  const page = await context.newPage();
  if (!ownContext) {
    await page.emulateMedia({ colorScheme, reducedMotion });
    if (viewport) await page.setViewportSize(viewport);
  }
  const records = recordProblems(page, new URL(url).origin);
  if (beforeGoto) await beforeGoto(page);
  await page.goto(url, { waitUntil, timeout: 30_000 });
  return {
    page,
    context,
    records,
    close: async () => {
      if (ownContext) await context.close();
      else await page.close();
    },
  };
}

const pageRecords = new WeakMap();

/** Attaches the problem recorders to a page (done by openPage). */
export function recordProblems(page, origin) {
  const records = [];
  pageRecords.set(page, records);
  page.on('console', (msg) => {
    const type = msg.type();
    if (type === 'error' || type === 'warning') {
      const loc = msg.location();
      records.push({ kind: `console-${type}`, text: msg.text(), url: loc?.url ? `${loc.url}:${loc.lineNumber}` : '' });
    }
  });
  page.on('pageerror', (err) => records.push({ kind: 'pageerror', text: String(err?.stack || err), url: page.url() }));
  page.on('requestfailed', (req) => {
    const error = req.failure()?.errorText ?? 'failed';
    // net::ERR_ABORTED means the browser cancelled the request because the page navigated or
    // closed (e.g. the favicon of a page the test has just left): not a fault of the site.
    if (/ERR_ABORTED/.test(error)) return;
    records.push({ kind: 'requestfailed', text: `${req.method()} ${error}`, url: req.url() });
  });
  page.on('response', (res) => {
    if (res.status() >= 400) records.push({ kind: 'http-error', text: `HTTP ${res.status()}`, url: res.url() });
  });
  page.on('request', (req) => {
    const u = req.url();
    if (/^(data|blob|about|javascript):/i.test(u)) return;
    let o;
    try {
      o = new URL(u).origin;
    } catch {
      o = u;
    }
    if (o !== origin) records.push({ kind: 'off-origin', text: `${req.method()} ${req.resourceType()}`, url: u });
  });
  return records;
}

/** Fails with every recorded problem listed. `allow`: regexes matched against "kind text url". */
export function assertClean(records, { allow = [], label = '' } = {}) {
  const bad = records.filter((r) => !allow.some((re) => re.test(`${r.kind} ${r.text} ${r.url}`)));
  if (bad.length) {
    const lines = bad.map((r) => `  - [${r.kind}] ${r.text}${r.url ? ` (${r.url})` : ''}`);
    assert.fail(`${label ? label + ': ' : ''}${bad.length} problem(s) while loading:\n${lines.join('\n')}`);
  }
}

const AXE_SOURCE_PATH = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
let axeSource;

/**
 * Runs axe-core in the page (all default rules; axe descends into open shadow roots by default).
 * Returns the violations, simplified: [{ id, impact, help, helpUrl, nodes: [{ target, html, summary }] }].
 */
export async function runAxe(page, options = {}) {
  axeSource ??= fs.readFileSync(AXE_SOURCE_PATH, 'utf8');
  // Evaluated through the DevTools protocol, so a page Content-Security-Policy cannot block it.
  const hasAxe = await page.evaluate(() => typeof window.axe === 'object');
  if (!hasAxe) await page.evaluate(`${axeSource}\n;void 0`);
  const violations = await page.evaluate(async (opts) => {
    const result = await window.axe.run(document, { resultTypes: ['violations'], ...opts });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 300), summary: n.failureSummary })),
    }));
  }, options);
  return violations;
}

/** A readable listing of axe violations for assertion messages. */
export function formatViolations(violations) {
  return violations
    .map(
      (v) =>
        `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes.map((n) => `    at ${JSON.stringify(n.target)}: ${n.html}\n      ${String(n.summary).replace(/\n/g, '\n      ')}`).join('\n'),
    )
    .join('\n');
}

/** Saves a full-page PNG to test-results/screenshots/<name>.png and returns the path. */
export async function screenshot(page, name) {
  const dir = path.join(RESULTS, 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}

/**
 * The files `page` asks for whose path ends with `ext` ('.wasm', '.js'), by name, in order:
 * the array fills as they are requested.
 */
export function requestedFiles(page, ext) {
  const names = [];
  page.on('request', (r) => {
    const file = new URL(r.url()).pathname;
    if (file.endsWith(ext)) names.push(file.split('/').pop());
  });
  return names;
}

/**
 * Waits until every `calc-*` element (in the document and in open shadow roots) is defined
 * and its `ready` promise has resolved. Rejects with the names of the laggards on timeout.
 * Returns [{ tag, id, index }] of the widgets found.
 */
export async function waitForWidgets(page, { timeout = 10_000 } = {}) {
  try {
    return await widgetsReady(page, timeout);
  } catch (e) {
    // say why: the page's own errors usually explain a widget that never got ready
    const records = pageRecords.get(page) ?? [];
    const lines = records.map((r) => `  - [${r.kind}] ${r.text}${r.url ? ` (${r.url})` : ''}`);
    e.message += lines.length ? `\nproblems recorded on ${page.url()}:\n${lines.join('\n')}` : '';
    throw e;
  }
}

function widgetsReady(page, timeout) {
  return page.evaluate(async (timeout) => {
    const all = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.localName.startsWith('calc-')) all.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    const pending = new Set(all);
    const waitOne = async (el) => {
      await customElements.whenDefined(el.localName);
      // the element is upgraded now; `ready` must be a promise (or thenable)
      if (!el.ready || typeof el.ready.then !== 'function') throw new Error(`<${el.localName}> has no ready promise`);
      await el.ready;
      pending.delete(el);
    };
    let timer;
    const timedOut = new Promise((_, reject) => {
      timer = setTimeout(() => {
        const names = [...pending].map((el) => `<${el.localName}${el.id ? '#' + el.id : ''}>`);
        reject(new Error(`widgets not ready after ${timeout} ms: ${names.join(', ')}`));
      }, timeout);
    });
    // Widgets with loading="lazy" (a post's default) start only near the viewport: visit each
    // as a reader scrolling down would, then go back to where the page was.
    // Passes again over any that has not started yet (a busy machine may take longer than a
    // pass allows), until every one has or the time is up.
    let over = false;
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const visit = async () => {
      const [x, y] = [scrollX, scrollY];
      const unstarted = () => all.filter((el) => pending.has(el) && el.getRootNode() === document && el.started !== true);
      for (let pass = 0; !over && unstarted().length; pass++) {
        for (const el of unstarted()) {
          if (over) break;
          el.scrollIntoView({ block: 'center' });
          // Until it has begun: the viewport is checked at the next frames, not at once, and
          // a lazy element's code (calc-widgets.js) is fetched only then.
          await frame();
          for (let t = 0; !customElements.get(el.localName) && t < 100 && !over; t++) await frame();
          for (let t = 0; el.started === false && t < 100 && !over; t++) await frame();
        }
        // Elements with no `started` (the live numbers in the prose) need no visit.
        if (unstarted().every((el) => el.started === undefined && customElements.get(el.localName))) break;
        await frame();
      }
      scrollTo(x, y);
    };
    try {
      await Promise.race([Promise.all([...all.map(waitOne), visit()]), timedOut]);
    } finally {
      over = true;
      clearTimeout(timer);
    }
    const counts = {};
    return all.map((el) => ({ tag: el.localName, id: el.id || '', index: (counts[el.localName] = (counts[el.localName] ?? -1) + 1) }));
  }, timeout);
}

// ---------------------------------------------------------------- canvas helpers
// All take `selector`: a document-level CSS selector for the widget element
// (e.g. 'calc-derivative' or 'calc-derivative:nth-of-type(2)' or '#my-widget').
// The chart canvas is the widget's shadowRoot `canvas[part~=chart]`.

const IN_PAGE_HELPERS = `
  window.__e2eChart = (selector) => {
    const el = document.querySelector(selector);
    if (!el) throw new Error('no element ' + selector);
    const canvas = el.shadowRoot && el.shadowRoot.querySelector('canvas[part~=chart]');
    if (!canvas) throw new Error(selector + ' has no shadowRoot canvas[part~=chart]');
    return { el, canvas };
  };
  // Reads pixels from a copy, so the widget's own canvas never gets Chrome's
  // "Multiple readback operations ... willReadFrequently" warning because of the tests.
  window.__e2eRead = (canvas, x, y, w, h) => {
    const copy = document.createElement('canvas');
    copy.width = w;
    copy.height = h;
    const ctx = copy.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(canvas, x, y, w, h, 0, 0, w, h);
    return ctx.getImageData(0, 0, w, h).data;
  };
`;

async function ensureHelpers(page) {
  await page.evaluate(`if (!window.__e2eChart) { ${IN_PAGE_HELPERS} }`);
}

/** RGBA [r, g, b, a] of the chart canvas of `selector` at CSS coordinates (cssX, cssY). */
export async function canvasPixel(page, selector, cssX, cssY) {
  await ensureHelpers(page);
  return page.evaluate(
    ({ selector, cssX, cssY }) => {
      const { canvas } = window.__e2eChart(selector);
      const ratio = canvas.width / canvas.clientWidth;
      const x = Math.min(canvas.width - 1, Math.max(0, Math.floor(cssX * ratio)));
      const y = Math.min(canvas.height - 1, Math.max(0, Math.floor(cssY * ratio)));
      return Array.from(window.__e2eRead(canvas, x, y, 1, 1));
    },
    { selector, cssX, cssY },
  );
}

/** Parses '#rrggbb', '#rgb' or 'rgb(a)(r, g, b)' into [r, g, b]. */
export function parseColor(color) {
  const s = String(color).trim();
  let m = /^#([0-9a-f]{6})$/i.exec(s);
  if (m) return [0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16));
  m = /^#([0-9a-f]{3})$/i.exec(s);
  if (m) return [...m[1]].map((c) => parseInt(c + c, 16));
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(s);
  if (m) return [m[1], m[2], m[3]].map(Number);
  throw new Error(`cannot parse colour ${JSON.stringify(color)}`);
}

/**
 * Looks for `color` in the chart canvas within `radius` CSS px of (cssX, cssY).
 * Returns { distance, at: {x, y} (CSS px), rgba } of the closest opaque-ish pixel
 * (Euclidean RGB distance, 0 = identical, 441 = black vs white).
 */
export async function colorNear(page, selector, cssX, cssY, color, { radius = 3 } = {}) {
  await ensureHelpers(page);
  const target = parseColor(color);
  return page.evaluate(
    ({ selector, cssX, cssY, target, radius }) => {
      const { canvas } = window.__e2eChart(selector);
      const ratio = canvas.width / canvas.clientWidth;
      const r = Math.ceil(radius * ratio);
      const cx = Math.floor(cssX * ratio);
      const cy = Math.floor(cssY * ratio);
      const x0 = Math.max(0, cx - r);
      const y0 = Math.max(0, cy - r);
      const w = Math.min(canvas.width, cx + r + 1) - x0;
      const h = Math.min(canvas.height, cy + r + 1) - y0;
      if (w <= 0 || h <= 0) return { distance: Infinity, at: null, rgba: null, outside: true };
      const data = window.__e2eRead(canvas, x0, y0, w, h);
      let best = { distance: Infinity, at: null, rgba: null };
      for (let j = 0; j < h; j++) {
        for (let i = 0; i < w; i++) {
          const k = 4 * (j * w + i);
          if (data[k + 3] < 128) continue;
          const d = Math.hypot(data[k] - target[0], data[k + 1] - target[1], data[k + 2] - target[2]);
          if (d < best.distance) best = { distance: d, at: { x: (x0 + i) / ratio, y: (y0 + j) / ratio }, rgba: Array.from(data.slice(k, k + 4)) };
        }
      }
      return best;
    },
    { selector, cssX, cssY, target, radius },
  );
}

/** SHA-256 of the chart canvas pixels (getImageData), with its size. */
export async function canvasHash(page, selector) {
  await ensureHelpers(page);
  const { width, height, bytes } = await page.evaluate((selector) => {
    const { canvas } = window.__e2eChart(selector);
    const data = window.__e2eRead(canvas, 0, 0, canvas.width, canvas.height);
    // hash in the page would need SubtleCrypto (secure context); send a compact digest instead
    let h1 = 0x811c9dc5 | 0;
    let h2 = 0x01000193 | 0;
    for (let i = 0; i < data.length; i++) {
      h1 = Math.imul(h1 ^ data[i], 0x01000193);
      h2 = Math.imul(h2 + data[i] + (i & 0xff), 0x5bd1e995) ^ (h2 >>> 15);
    }
    return { width: canvas.width, height: canvas.height, bytes: [h1 >>> 0, h2 >>> 0, data.length] };
  }, selector);
  return createHash('sha256').update(JSON.stringify({ width, height, bytes })).digest('hex');
}

/**
 * Every <canvas> in the page, including those inside open shadow roots:
 * [{ host, part, role, label, width, height, clientWidth, clientHeight, colors }]
 * where `colors` is the number of distinct RGBA values, capped at 16 (1 = blank).
 */
export async function canvasInventory(page) {
  await ensureHelpers(page);
  return page.evaluate(() => {
    const found = [];
    const walk = (root, host) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.localName === 'canvas') found.push({ canvas: el, host });
        if (el.shadowRoot) walk(el.shadowRoot, el.localName + (el.id ? '#' + el.id : ''));
      }
    };
    walk(document, 'document');
    return found.map(({ canvas, host }) => {
      let colors = 0;
      try {
        const data = canvas.width && canvas.height ? window.__e2eRead(canvas, 0, 0, canvas.width, canvas.height) : new Uint8ClampedArray(0);
        const u32 = new Uint32Array(data.buffer ?? new ArrayBuffer(0));
        const seen = new Set();
        for (let i = 0; i < u32.length && seen.size < 16; i++) seen.add(u32[i]);
        colors = seen.size;
      } catch {
        colors = -1; // unreadable
      }
      return {
        host,
        part: canvas.getAttribute('part') ?? '',
        role: canvas.getAttribute('role') ?? '',
        label: canvas.getAttribute('aria-label') ?? '',
        width: canvas.width,
        height: canvas.height,
        clientWidth: canvas.clientWidth,
        clientHeight: canvas.clientHeight,
        // Inside a panel the widget hides until asked for (the np.gradient pitfall's map).
        hidden: !!canvas.closest('[hidden]'),
        colors,
      };
    });
  });
}

/**
 * The viewport (page) coordinates of a chart point of widget `selector`, after scrolling it
 * into view: el.chartToPixel(x, y) + the canvas's bounding box.
 */
export async function chartPointOnPage(page, selector, x, y) {
  await ensureHelpers(page);
  return page.evaluate(
    ({ selector, x, y }) => {
      const { el, canvas } = window.__e2eChart(selector);
      const p = el.chartToPixel(x, y);
      const box = canvas.getBoundingClientRect();
      const style = getComputedStyle(canvas);
      const left = box.left + parseFloat(style.borderLeftWidth || '0') + parseFloat(style.paddingLeft || '0');
      const top = box.top + parseFloat(style.borderTopWidth || '0') + parseFloat(style.paddingTop || '0');
      return { x: left + p.x, y: top + p.y, css: p };
    },
    { selector, x, y },
  );
}

/** Scrolls the widget's chart canvas to the middle of the viewport. */
export async function scrollChartIntoView(page, selector) {
  await ensureHelpers(page);
  await page.evaluate((selector) => window.__e2eChart(selector).canvas.scrollIntoView({ block: 'center', inline: 'center' }), selector);
  await nextFrame(page);
}

/** Resolves after two animation frames (lets rAF-scheduled redraws happen). */
export async function nextFrame(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

/** Text content of a shadow-DOM part of widget `selector` (e.g. 'readout', 'error'); null if absent. */
export async function partText(page, selector, part) {
  return page.evaluate(
    ({ selector, part }) => {
      const el = document.querySelector(selector);
      const node = el?.shadowRoot?.querySelector(`[part~=${part}]`);
      if (!node) return null;
      // a hidden error element counts as empty
      if (node.hidden || node.getClientRects().length === 0 || getComputedStyle(node).visibility === 'hidden') return '';
      return node.textContent.replace(/\s+/g, ' ').trim();
    },
    { selector, part },
  );
}

/** Polls fn() until predicate(value) is true or timeout; returns the last value. */
export async function waitUntil(fn, predicate, { timeout = 3000, interval = 30 } = {}) {
  const end = Date.now() + timeout;
  let value = await fn();
  while (!predicate(value) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, interval));
    value = await fn();
  }
  return value;
}

/** A unique temp directory (for callers that need one). */
export function tempDir(prefix = 'handbook-e2e-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Median and nearest-rank p95 of numbers. */
export function stats(values) {
  const v = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  if (!v.length) return { n: 0, median: NaN, p95: NaN, min: NaN, max: NaN };
  const median = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  const p95 = v[Math.min(v.length - 1, Math.ceil(0.95 * v.length) - 1)];
  return { n: v.length, median, p95, min: v[0], max: v.at(-1) };
}

/**
 * The browser and the built site for one test file: launched before its first test, closed
 * after its last. Read `.browser` and `.site` inside tests.
 */
export function useBrowserAndSite({ base = '/' } = {}) {
  const shared = {};
  before(async () => {
    shared.browser = await launchBrowser();
    shared.site = await startSite({ base });
  });
  after(async () => {
    await shared.browser?.close();
    await shared.site?.close();
  });
  return shared;
}

/** A page holding only the widget script and `body`: a widget alone, as a blog post has it. */
export function fixtureHtml(title, body) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} (test fixture)</title>
<script type="module" src="web/calc-widgets.js"></script>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

/** Opens `html` as `name` on the test site (same origin as dist/, through a route). */
export function openFixture({ browser, site }, name, html, options = {}) {
  return openPage(browser, site.url + name, {
    ...options,
    beforeGoto: async (page) => {
      await options.beforeGoto?.(page);
      await page.route('**/' + name, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    },
  });
}

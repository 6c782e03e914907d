// Before/after screenshots of every chart, to prove a refactor changed no pixel readers see.
//
//   node scripts/visual.mjs capture <distDir> <outDir> [--dpr 1,2] [--themes light,dark]
//                                   [--viewport 1280x900] [--pages derivative,index] [--states off]
//   node scripts/visual.mjs compare <dirA> <dirB> [--out diffDir] [--tolerance 2] [--aa-max-diff 96]
//
// capture serves <distDir> (scripts/serve.mjs), opens index.html and every chapter page of
// chapters.json in headless Chromium (tests/e2e/harness.mjs: same flags as the browser tests)
// for each devicePixelRatio and theme (prefers-color-scheme emulated), waits for every widget's
// `ready` and for its redraws to stop, then writes:
//   <outDir>/<page>-<tag>#<index>-<canvas>-<theme>-<dpr>x.png  each canvas's backing store
//                 (canvas.toDataURL: the exact pixels, whatever the compositor does),
//   <outDir>/pages/<page>-<theme>-<dpr>x.png                  a full-page screenshot, for context,
//   <outDir>/manifest.json                                     sizes, widget ids, problems.
// Then, unless --states off, it operates each widget's controls in turn (every checkbox, flipped
// and flipped back; every entry of the example list; every preset button such as the lab's
// learning rates) and saves the canvases that then differ from the page as it opened, as
//   <outDir>/<page>~<tag>#<index>.<control>-<tag>#<index>-<canvas>-<theme>-<dpr>x.png
// (the example list and preset buttons are left where they were last set, so later states build
// on earlier ones, in the same order every run). Last, it clicks the site's theme toggle and
// checks that every canvas then holds exactly the pixels the other emulated theme drew (both ways
// of choosing a theme agree). Nothing animates unless Play is pressed, and no chart reads the
// clock, so nothing needs freezing; reducedMotion is emulated all the same.
//
// compare decodes each same-named PNG pair (dependency-free: node:zlib) and reports, per image,
// identical / max channel difference / pixels differing by more than the tolerance / % and a
// verdict: "identical"; "within tolerance" (no channel off by more than --tolerance, on < 0.1 %
// of the pixels: a faint change everywhere, like a CSS colour one unit off, is DIFFERENT);
// "anti-aliasing only" (max difference <= --aa-max-diff and the differing pixels either < 0.1 %
// of the image or isolated: no more than 2 differing neighbours each); or "DIFFERENT". Diff
// images (changed pixels red, changes within tolerance orange, the rest a faded copy of A) go to
// --out, with report.json. Exits 1 when an image is DIFFERENT, differs in size or is missing.
// Canvas images of one dist are byte-identical from run to run, so for them anything but
// "identical" is a change to look at. Full-page screenshots go through the compositor, which
// now and then draws a few line-end pixels of a chart differently (seen: 20 px, max diff 75, on
// the 3D surface at 2x): that reads as "anti-aliasing only".
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ------------------------------------------------------------------------------ arguments

function parseArgs(argv) {
  const positional = [];
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [key, inline] = a.slice(2).split(/=(.*)/s);
      options[key] = inline ?? argv[++i];
    } else positional.push(a);
  }
  return { positional, options };
}

const USAGE = `usage:
  node scripts/visual.mjs capture <distDir> <outDir> [--dpr 1,2] [--themes light,dark] [--viewport 1280x900] [--pages a,b] [--states off]
  node scripts/visual.mjs compare <dirA> <dirB> [--out diffDir] [--tolerance 2] [--aa-max-diff 96]`;

// ------------------------------------------------------------------------------ capture

/** The pages to open: index.html, then every chapter of chapters.json that dist/ holds. */
function pagesOf(distDir) {
  const listFile = [path.join(distDir, 'chapters.json'), path.join(REPO, 'www', 'chapters.json')].find((f) => fs.existsSync(f));
  const chapters = listFile ? JSON.parse(fs.readFileSync(listFile, 'utf8')) : [];
  const slugs = ['index', ...chapters.map((c) => c.slug)];
  return slugs.filter((slug) => fs.existsSync(path.join(distDir, `${slug}.html`)));
}

/** Waits until no widget has redrawn for three frames in a row and the fonts are loaded. */
async function settle(page, { timeout = 10_000 } = {}) {
  await page.evaluate(async (timeout) => {
    document.body.getBoundingClientRect(); // lay out now, so the fonts it needs start loading
    await document.fonts.ready;
    const widgets = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.localName.startsWith('calc-')) widgets.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    const draws = () => widgets.reduce((n, el) => n + (el.drawTimes?.length ?? 0), 0);
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const end = performance.now() + timeout;
    let last = draws();
    let quiet = 0;
    while (quiet < 3 && performance.now() < end) {
      await frame();
      const now = draws();
      quiet = now === last ? quiet + 1 : 0;
      last = now;
    }
    await document.fonts.ready;
  }, timeout);
}

/**
 * Every canvas in every widget's shadow root, in document order:
 * [{ tag, id, index, canvas, part, width, height, cssWidth, cssHeight, hidden, url }] where
 * `index` counts widgets of one tag in the page and `url` is the PNG data URL (null if 0×0).
 */
function readCanvases(page) {
  return page.evaluate(() => {
    const found = [];
    const counts = {};
    const walk = (root) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.localName.startsWith('calc-')) {
          const index = (counts[el.localName] = (counts[el.localName] ?? -1) + 1);
          const canvases = el.shadowRoot ? [...el.shadowRoot.querySelectorAll('canvas')] : [];
          canvases.forEach((c, i) =>
            found.push({
              tag: el.localName,
              id: el.id,
              index,
              canvas: i,
              part: c.getAttribute('part') ?? '',
              width: c.width,
              height: c.height,
              cssWidth: c.clientWidth,
              cssHeight: c.clientHeight,
              hidden: !!c.closest('[hidden]') || c.getClientRects().length === 0,
              url: c.width && c.height ? c.toDataURL('image/png') : null,
            }),
          );
        }
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return found;
  });
}

/**
 * The controls that change what a widget's charts show without typing, one "state" each:
 * every checkbox (flipped, then flipped back), every entry of the example list and every preset
 * button (a button with a data-* attribute; not Play/Step/Reset). Returns
 * [{ tag, index, kind: 'checkbox'|'preset'|'button', k, label }].
 */
function listControls(page) {
  return page.evaluate(() => {
    const found = [];
    const counts = {};
    const walk = (root) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.localName.startsWith('calc-') && el.shadowRoot) {
          const tag = el.localName;
          const index = (counts[tag] = (counts[tag] ?? -1) + 1);
          const shadow = el.shadowRoot;
          shadow.querySelectorAll('input[type=checkbox]').forEach((cb, k) =>
            found.push({ tag, index, kind: 'checkbox', k, label: `${cb.name}=${cb.checked ? 'off' : 'on'}` }),
          );
          [...(shadow.querySelector('select[name=preset]')?.options ?? [])].forEach((o, k) => {
            if (o.value) found.push({ tag, index, kind: 'preset', k, label: `preset${k}` });
          });
          [...shadow.querySelectorAll('button')].forEach((b, k) => {
            const data = Object.entries(b.dataset)[0];
            if (data) found.push({ tag, index, kind: 'button', k, label: `${data[0]}=${data[1]}` });
          });
        } else if (el.localName.startsWith('calc-')) counts[el.localName] = (counts[el.localName] ?? -1) + 1;
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return found;
  });
}

/** Operates control `k` of kind `kind` of the `index`-th <tag> widget (as listControls found it). */
function operate(page, { tag, index, kind, k }) {
  return page.evaluate(({ tag, index, kind, k }) => {
    const all = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.localName === tag) all.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    const shadow = all[index].shadowRoot;
    if (kind === 'checkbox') shadow.querySelectorAll('input[type=checkbox]')[k].click();
    else if (kind === 'button') shadow.querySelectorAll('button')[k].click();
    else {
      const select = shadow.querySelector('select[name=preset]');
      select.value = select.options[k].value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }, { tag, index, kind, k });
}

/**
 * A full-page screenshot. The site skips rendering off-screen prose (`content-visibility: auto`)
 * until it nears the viewport, so a plain full-page shot shows some of it blank, and which part
 * depends on timing: for the shot, everything is rendered, as a reader scrolling would see it.
 */
async function pageScreenshot(page, file) {
  const style = await page.addStyleTag({ content: '*, *::before, *::after { content-visibility: visible !important; }' });
  await settle(page);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide', timeout: 180_000 });
  await style.evaluate((node) => node.remove());
  await settle(page);
}

const canvasName = (slug, c, theme, dpr) => `${slug}-${c.tag}#${c.index}-${c.canvas}-${theme}-${dpr}x.png`;

async function capture(distDir, outDir, options) {
  distDir = path.resolve(distDir);
  outDir = path.resolve(outDir);
  if (!fs.existsSync(path.join(distDir, 'index.html'))) throw new Error(`no index.html in ${distDir}`);
  const dprs = String(options.dpr ?? '1,2').split(',').map(Number);
  const themes = String(options.themes ?? 'light,dark').split(',');
  const [vw, vh] = String(options.viewport ?? '1280x900').split('x').map(Number);
  const viewport = { width: vw, height: vh };
  const slugs = options.pages ? String(options.pages).split(',') : pagesOf(distDir);

  const { launchBrowser, openPage, waitForWidgets } = await import(pathToFileURL(path.join(REPO, 'tests/e2e/harness.mjs')).href);
  const { serve } = await import(pathToFileURL(path.join(REPO, 'scripts/serve.mjs')).href);

  fs.mkdirSync(path.join(outDir, 'pages'), { recursive: true });
  const { server, url: siteUrl } = await serve({ root: distDir, port: 0, host: '127.0.0.1' });
  const browser = await launchBrowser();
  const manifest = { distDir, viewport, dprs, themes, date: new Date().toISOString(), chromium: browser.version(), pages: [] };
  let problems = 0;
  try {
    for (const slug of slugs) {
      for (const dpr of dprs) {
        const opened = {}; // theme → { page, close, records, entry, current: Map(name with THEME → canvas) }
        for (const theme of themes) {
          const t0 = Date.now();
          const o = await openPage(browser, `${siteUrl}${slug}.html`, {
            colorScheme: theme,
            deviceScaleFactor: dpr,
            viewport,
            reducedMotion: 'reduce',
          });
          const widgets = await waitForWidgets(o.page, { timeout: 30_000 });
          await settle(o.page);
          const canvases = await readCanvases(o.page);
          const urls = new Map();
          const entry = { page: slug, theme, dpr, widgets: widgets.length, canvases: [], problems: [] };
          for (const c of canvases) {
            const name = canvasName(slug, c, theme, dpr);
            const { url, ...meta } = c;
            // A hidden canvas (a panel not yet opened) shows readers nothing: its pixels are
            // whatever it last drew, or blank.
            const saved = url && !c.hidden;
            entry.canvases.push({ file: saved ? name : null, ...meta });
            if (url) urls.set(canvasName(slug, c, 'THEME', dpr), c);
            if (saved) fs.writeFileSync(path.join(outDir, name), Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
          }
          await pageScreenshot(o.page, path.join(outDir, 'pages', `${slug}-${theme}-${dpr}x.png`));
          // Each state: the visible canvases it changed.
          let stateImages = 0;
          let current = urls;
          const reread = async () => {
            await settle(o.page);
            const now = new Map();
            for (const c of await readCanvases(o.page)) if (c.url) now.set(canvasName(slug, c, 'THEME', dpr), c);
            return now;
          };
          if (options.states !== 'off') {
            for (const control of await listControls(o.page)) {
              await operate(o.page, control);
              const now = await reread();
              for (const [key, c] of now) {
                if (c.hidden || current.get(key)?.url === c.url) continue;
                const name = canvasName(`${slug}~${control.tag}#${control.index}.${control.label}`, c, theme, dpr);
                fs.writeFileSync(path.join(outDir, name), Buffer.from(c.url.slice(c.url.indexOf(',') + 1), 'base64'));
                stateImages++;
              }
              current = now;
              if (control.kind === 'checkbox') {
                await operate(o.page, control);
                current = await reread();
              }
            }
          }
          entry.stateImages = stateImages;
          entry.problems = o.records.map((r) => `[${r.kind}] ${r.text} ${r.url}`);
          problems += entry.problems.length;
          manifest.pages.push(entry);
          // The theme toggle check below compares the pages in the state they are left in.
          opened[theme] = { ...o, current, entry };
          const blank = entry.canvases.filter((c) => !c.file).length;
          console.log(
            `${slug} ${theme} ${dpr}x: ${widgets.length} widgets, ${entry.canvases.length - blank} canvases${blank ? ` (+${blank} hidden or 0×0)` : ''}, ${stateImages} in other states` +
              `${entry.problems.length ? `, ${entry.problems.length} problem(s)` : ''} (${Date.now() - t0} ms)`,
          );
          for (const p of entry.problems) console.log(`  ${p}`);
        }
        // The site's theme toggle must give the same pixels as the other emulated theme.
        if (themes.length === 2) {
          for (const [theme, other] of [themes, [...themes].reverse()]) {
            const { page, current } = opened[theme];
            await page.evaluate(() => document.querySelector('.theme-toggle')?.click());
            const toggled = await page.evaluate(() => document.documentElement.dataset.theme ?? null);
            await settle(page);
            const after = (await readCanvases(page)).filter((c) => c.url && !c.hidden);
            const mismatches = after
              .filter((c) => opened[other].current.get(canvasName(slug, c, 'THEME', dpr))?.url !== c.url)
              .map((c) => canvasName(slug, c, `${theme}+toggle`, dpr));
            const check = { toggledTo: toggled, expected: other, canvases: after.length, mismatches };
            opened[theme].entry.toggleCheck = check;
            if (current.size && toggled !== other) {
              console.log(`  ! ${slug} ${theme} ${dpr}x: the theme toggle set data-theme=${toggled}, expected ${other}`);
              problems++;
            } else if (mismatches.length) {
              console.log(`  ! ${slug} ${theme} ${dpr}x: after the toggle, ${mismatches.length} canvas(es) differ from the emulated ${other} theme: ${mismatches.join(', ')}`);
              problems++;
            }
          }
        }
        for (const o of Object.values(opened)) await o.close();
      }
    }
  } finally {
    await browser.close();
    server.closeAllConnections?.();
    server.close();
  }
  fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  const files = manifest.pages.reduce((n, p) => n + p.canvases.filter((c) => c.file).length, 0);
  const states = manifest.pages.reduce((n, p) => n + p.stateImages, 0);
  console.log(`\n${files} canvas images as the pages open, ${states} in other states and ${manifest.pages.length} page screenshots in ${outDir}${problems ? `; ${problems} problem(s), see above` : ''}`);
  return problems ? 1 : 0;
}

// ------------------------------------------------------------------------------ PNG

const PNG_SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

/** Decodes an 8-bit, non-interlaced PNG (grey, RGB, palette, grey+alpha or RGBA) into RGBA. */
export function decodePng(buf) {
  if (!buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG');
  let width, height, depth, type, interlace, palette, transparency;
  const idat = [];
  for (let p = 8; p < buf.length; ) {
    const length = buf.readUInt32BE(p);
    const kind = buf.toString('latin1', p + 4, p + 8);
    const data = buf.subarray(p + 8, p + 8 + length);
    p += 12 + length;
    if (kind === 'IHDR') {
      [width, height] = [data.readUInt32BE(0), data.readUInt32BE(4)];
      [depth, type, interlace] = [data[8], data[9], data[12]];
    } else if (kind === 'PLTE') palette = data;
    else if (kind === 'tRNS') transparency = data;
    else if (kind === 'IDAT') idat.push(data);
    else if (kind === 'IEND') break;
  }
  if (depth !== 8 || interlace !== 0) throw new Error(`unsupported PNG: bit depth ${depth}, interlace ${interlace}`);
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[type];
  if (!channels) throw new Error(`unsupported PNG colour type ${type}`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const up = y ? pixels.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? row[i - channels] : 0;
      const b = up[i];
      const c = i >= channels ? up[i - channels] : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`bad PNG filter ${filter}`);
      row[i] = (src[i] + predictor) & 255;
    }
  }
  if (type === 6) return { width, height, data: pixels };
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0, j = 0; i < pixels.length; i += channels, j += 4) {
    if (type === 0 || type === 4) rgba.fill(pixels[i], j, j + 3);
    else if (type === 2) pixels.copy(rgba, j, i, i + 3);
    else palette.copy(rgba, j, pixels[i] * 3, pixels[i] * 3 + 3);
    rgba[j + 3] = type === 4 ? pixels[i + 1] : type === 3 && transparency && pixels[i] < transparency.length ? transparency[pixels[i]] : 255;
  }
  return { width, height, data: rgba };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** Encodes RGBA pixels as a PNG. */
export function encodePng({ width, height, data }) {
  const chunk = (kind, body) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(kind, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) data.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// ------------------------------------------------------------------------------ compare

/** Every .png under dir, as paths relative to it. */
function pngsUnder(dir, rel = '') {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? pngsUnder(dir, path.join(rel, d.name)) : d.name.endsWith('.png') ? [path.join(rel, d.name)] : [],
  );
}

/**
 * Compares two decoded images. Returns { verdict, maxDiff, differing, isolated, pixels, diff }:
 * `differing` counts pixels whose largest channel difference exceeds `tolerance`; `isolated`
 * those of them with at most 2 differing neighbours; `diff` is the highlight image.
 */
export function compareImages(a, b, { tolerance = 2, aaMaxDiff = 96 } = {}) {
  if (a.width !== b.width || a.height !== b.height) {
    return { verdict: 'DIFFERENT', reason: `size ${a.width}×${a.height} vs ${b.width}×${b.height}`, maxDiff: NaN, differing: NaN, pixels: a.width * a.height };
  }
  const { width, height } = a;
  const pixels = width * height;
  const delta = new Uint8Array(pixels);
  let maxDiff = 0;
  for (let p = 0, i = 0; p < pixels; p++, i += 4) {
    const d = Math.max(
      Math.abs(a.data[i] - b.data[i]),
      Math.abs(a.data[i + 1] - b.data[i + 1]),
      Math.abs(a.data[i + 2] - b.data[i + 2]),
      Math.abs(a.data[i + 3] - b.data[i + 3]),
    );
    delta[p] = d;
    if (d > maxDiff) maxDiff = d;
  }
  const diff = Buffer.alloc(pixels * 4);
  let touched = 0; // pixels that differ at all
  let differing = 0;
  let isolated = 0;
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      const i = p * 4;
      if (delta[p] > tolerance) {
        differing++;
        let neighbours = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const nx = x + dx, ny = y + dy;
            if ((dx || dy) && nx >= 0 && ny >= 0 && nx < width && ny < height && delta[ny * width + nx] > tolerance) neighbours++;
          }
        }
        if (neighbours <= 2) isolated++;
        diff.set([255, 0, 0, 255], i);
      } else if (delta[p] > 0) {
        touched++;
        diff.set([255, 160, 0, 255], i);
      } else {
        // A faded grey copy of A (composited on white), so the changes stand out.
        const alpha = a.data[i + 3] / 255;
        const grey = 0.299 * a.data[i] + 0.587 * a.data[i + 1] + 0.114 * a.data[i + 2];
        const shade = Math.round(255 - (255 - (grey * alpha + 255 * (1 - alpha))) * 0.3);
        diff.set([shade, shade, shade, 255], i);
      }
    }
  }
  touched += differing;
  let verdict;
  let reason;
  if (maxDiff === 0) verdict = 'identical';
  else if (differing === 0 && touched / pixels < 0.001) verdict = 'within tolerance';
  else if (differing === 0) (verdict = 'DIFFERENT'), (reason = `${touched} px (${((100 * touched) / pixels).toFixed(2)} %) shifted by at most ${maxDiff}: a change everywhere, however faint`);
  else if (maxDiff <= aaMaxDiff && (differing / pixels < 0.001 || isolated === differing)) verdict = 'anti-aliasing only';
  else verdict = 'DIFFERENT';
  return { verdict, reason, maxDiff, differing, isolated, touched, pixels, diff: { width, height, data: diff } };
}

function compare(dirA, dirB, options) {
  const tolerance = Number(options.tolerance ?? 2);
  const aaMaxDiff = Number(options['aa-max-diff'] ?? 96);
  const out = options.out ? path.resolve(options.out) : null;
  const a = new Set(pngsUnder(dirA));
  const b = new Set(pngsUnder(dirB));
  const names = [...new Set([...a, ...b])].sort();
  const rows = [];
  for (const name of names) {
    if (!a.has(name) || !b.has(name)) {
      rows.push({ name, verdict: 'MISSING', reason: `only in ${a.has(name) ? dirA : dirB}` });
      continue;
    }
    const bytesA = fs.readFileSync(path.join(dirA, name));
    const bytesB = fs.readFileSync(path.join(dirB, name));
    if (bytesA.equals(bytesB)) {
      rows.push({ name, verdict: 'identical', maxDiff: 0, differing: 0 });
      continue;
    }
    const result = compareImages(decodePng(bytesA), decodePng(bytesB), { tolerance, aaMaxDiff });
    const { diff, ...row } = result;
    rows.push({ name, ...row });
    if (out && diff && result.verdict !== 'identical') {
      const file = path.join(out, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, encodePng(diff));
    }
  }
  const width = Math.max(10, ...names.map((n) => n.length));
  for (const r of rows) {
    const details = [];
    if (Number.isFinite(r.differing) && r.verdict !== 'identical') {
      const pct = ((100 * r.differing) / r.pixels).toFixed(4);
      details.push(`max diff ${r.maxDiff}, ${r.differing} px > ${tolerance} (${pct} %), ${r.isolated} of them isolated`);
    }
    if (r.reason) details.push(r.reason);
    console.log(`${r.name.padEnd(width)}  ${r.verdict}${details.length ? `: ${details.join('; ')}` : ''}`);
  }
  const summary = (label, subset) => {
    const count = (v) => subset.filter((r) => r.verdict === v).length;
    return (
      `${label}: ${subset.length} images, ${count('identical')} identical, ${count('within tolerance')} within tolerance, ` +
      `${count('anti-aliasing only')} anti-aliasing only, ${count('DIFFERENT')} DIFFERENT, ${count('MISSING')} missing`
    );
  };
  const isPage = (r) => r.name.startsWith(`pages${path.sep}`);
  console.log(`\n${summary('canvases', rows.filter((r) => !isPage(r)))}\n${summary('page screenshots', rows.filter(isPage))}`);
  if (out) console.log(`diff images in ${out}`);
  const bad = rows.filter((r) => r.verdict === 'DIFFERENT' || r.verdict === 'MISSING').length;
  if (out) {
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'report.json'), JSON.stringify({ dirA, dirB, tolerance, aaMaxDiff, rows }, null, 2) + '\n');
  }
  return bad ? 1 : 0;
}

// ------------------------------------------------------------------------------ main

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [command, ...rest] = process.argv.slice(2);
  const { positional, options } = parseArgs(rest);
  try {
    if (command === 'capture' && positional.length === 2) process.exitCode = await capture(positional[0], positional[1], options);
    else if (command === 'compare' && positional.length === 2) process.exitCode = compare(positional[0], positional[1], options);
    else {
      console.error(USAGE);
      process.exitCode = 2;
    }
  } catch (e) {
    console.error(`visual: ${e.stack || e.message}`);
    process.exitCode = 2;
  }
}

// Builds the static site into dist/: every page is www/template.html + its content with the
// TeX typeset by KaTeX; contents, sidebar and previous/next come from www/chapters.json.
//
//   node scripts/build-site.mjs            (or: import { buildSite } from './build-site.mjs')
//
// Content conventions (www/index.html, www/chapters/<slug>.html):
//   $...$ inline math, $$...$$ display math, \$ a literal dollar sign, typeset by
//   scripts/typeset.mjs (not inside <pre>, <code>, <script>, <style>, comments or tags; inside
//   math write < > & as &lt; &gt; &amp;). A TeX error fails the build.
//   <a data-chapter="slug">text</a> becomes a link when that chapter is ready, else plain text.
//   <!-- contents --> (index only) is replaced by the list of chapters.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ELEMENT_FEATURES, WASM_BUILDS, buildsModule } from './wasm-builds.mjs';
import { smallestCovering } from '../web/covering.js';
import { indexSite } from './search-index.mjs';
import { hintingLetters, purgeCss, subsetCharacters } from './katex-assets.mjs';
import { KATEX_DIST, katexStylesheet, setUpKatexCss, setUpTypesetting, typesetPage } from './typeset.mjs';
import { escapeMarkup as escapeHtml } from '../web/markup.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WWW = path.join(REPO, 'www');
const BOOK_TITLE = 'The Handbook of Calculus for Machine Learning';
const INTRO_DESCRIPTION =
  'An interactive textbook of the calculus behind machine learning: derivatives, gradients, ' +
  'gradient descent and backpropagation, with live figures computed in WebAssembly.';

// ---- small helpers --------------------------------------------------------------------------

async function exists(p) {
  try { await fs.access(p); return true; } catch { return false; }
}

async function copyDir(src, dst, filter = () => true) {
  await fs.mkdir(dst, { recursive: true });
  let count = 0;
  for (const entry of await fs.readdir(src, { withFileTypes: true })) {
    const s = path.join(src, entry.name);
    const d = path.join(dst, entry.name);
    if (entry.isDirectory()) count += await copyDir(s, d, filter);
    else if (entry.isFile() && filter(entry.name)) { await fs.copyFile(s, d); count++; }
  }
  return count;
}

// ---- chapters -------------------------------------------------------------------------------

export async function loadChapters() {
  const list = JSON.parse(await fs.readFile(path.join(WWW, 'chapters.json'), 'utf8'));
  const seen = new Set();
  for (const ch of list) {
    for (const key of ['slug', 'title', 'summary']) {
      if (typeof ch[key] !== 'string' || !ch[key]) throw new Error(`chapters.json: entry without "${key}": ${JSON.stringify(ch)}`);
    }
    if (!/^[a-z0-9][a-z0-9-]*$/.test(ch.slug) || ch.slug === 'index') throw new Error(`chapters.json: bad slug "${ch.slug}"`);
    if (seen.has(ch.slug)) throw new Error(`chapters.json: duplicate slug "${ch.slug}"`);
    seen.add(ch.slug);
    ch.ready = ch.ready === true;
    ch.href = `${ch.slug}.html`;
  }
  return list;
}

const chapterLabel = (ch) => (ch.number != null ? `${ch.number}. ${ch.title}` : ch.title);

function sidebarHtml(chapters, current) {
  const cur = (slug) => (slug === current ? ' aria-current="page"' : '');
  const items = [
    `      <li><a href="index.html"${cur('index')}><span class="toc-number" aria-hidden="true"></span><span class="toc-text">Introduction</span></a></li>`,
  ];
  for (const ch of chapters) {
    const num = `<span class="toc-number">${ch.number != null ? escapeHtml(ch.number) : ''}</span>`;
    if (ch.ready) {
      items.push(`      <li><a href="${ch.href}"${cur(ch.slug)}>${num}<span class="toc-text">${escapeHtml(ch.title)}</span></a></li>`);
    } else {
      items.push(`      <li><span class="toc-pending">${num}<span class="toc-text">${escapeHtml(ch.title)}</span><span class="toc-status">in preparation</span></span></li>`);
    }
  }
  return `    <ol class="toc">\n${items.join('\n')}\n    </ol>`;
}

function contentsHtml(chapters) {
  const items = chapters.map((ch) => {
    const label = escapeHtml(chapterLabel(ch));
    const summary = `<span class="contents-summary">${escapeHtml(ch.summary)}</span>`;
    if (ch.ready) return `  <li><a class="contents-title" href="${ch.href}">${label}</a>${summary}</li>`;
    return `  <li class="pending"><span class="contents-title">${label}<span class="status-badge">in preparation</span></span>${summary}</li>`;
  });
  return `<ol class="contents">\n${items.join('\n')}\n</ol>`;
}

function pagerHtml(prev, next) {
  if (!prev && !next) return '';
  const link = (p, rel, label, arrow) =>
    `      <a rel="${rel}" href="${p.href}"><span class="pager-label">${rel === 'prev' ? `<span aria-hidden="true">${arrow}</span> ${label}` : `${label} <span aria-hidden="true">${arrow}</span>`}</span><span class="pager-title">${escapeHtml(p.label)}</span></a>`;
  return [
    '    <nav class="pager" aria-label="Previous and next chapter">',
    prev ? link(prev, 'prev', 'Previous', '←') : '',
    next ? link(next, 'next', 'Next', '→') : '',
    '    </nav>',
  ].filter(Boolean).join('\n');
}

function resolveChapterRefs(html, chapters, file) {
  return html.replace(/<a\s+data-chapter="([^"]+)"\s*>([\s\S]*?)<\/a>/g, (_, slug, text) => {
    const ch = chapters.find((c) => c.slug === slug);
    if (!ch) throw new Error(`${file}: data-chapter="${slug}" is not in chapters.json`);
    return ch.ready
      ? `<a href="${ch.href}">${text}</a>`
      : `<span class="chapter-ref pending">${text}</span>`;
  });
}

// ---- KaTeX assets ---------------------------------------------------------------------------

/**
 * KaTeX's stylesheet, as dist/assets/katex/katex.min.css: without the selectors that name a
 * class no page uses (only build-time KaTeX runs, so the built pages hold every class there
 * will be) and without its @font-face rules, which each page declares for its own faces.
 */
async function writeKatexCss(outDir, usedClasses) {
  const { css } = await setUpKatexCss();
  const dst = path.join(outDir, 'assets', 'katex');
  await fs.mkdir(dst, { recursive: true });
  await writeAtomic(path.join(dst, 'katex.min.css'), purgeCss(css, usedClasses));
}

/** The class names in a page's HTML. */
const classesIn = (html) => new Set([...html.matchAll(/\sclass="([^"]*)"/g)].flatMap((m) => m[1].split(/\s+/).filter(Boolean)));

/**
 * www/assets copied into `<out>/assets`, its scripts and stylesheets minified by esbuild (the
 * sources stay commented): every page loads site.css and site.js, so their comments were
 * bytes each reader paid for. Other files are copied as they are.
 */
async function copyAssets(outDir) {
  const { transform } = await import('esbuild');
  const src = path.join(WWW, 'assets');
  const dst = path.join(outDir, 'assets');
  await fs.mkdir(dst, { recursive: true });
  await Promise.all((await fs.readdir(src, { withFileTypes: true })).filter((e) => e.isFile()).map(async ({ name }) => {
    const loader = /\.(js|css)$/.exec(name)?.[1];
    if (!loader) return fs.copyFile(path.join(src, name), path.join(dst, name));
    const code = await fs.readFile(path.join(src, name), 'utf8');
    try {
      const { code: min } = await transform(code, { loader, minify: true, legalComments: 'none', sourcefile: `www/assets/${name}` });
      await writeAtomic(path.join(dst, name), min);
    } catch (err) {
      throw new Error(`www/assets/${name}: ${err.message}`);
    }
  }));
}

/** A script minified for inlining (theme-init.js in every page's <head>). */
async function minifyScript(code, sourcefile) {
  const { transform } = await import('esbuild');
  return (await transform(code, { loader: 'js', minify: true, legalComments: 'none', sourcefile })).code.trim();
}

/**
 * Bundles the widgets into minified ES modules, in web/ beside the registry, so that
 * `new URL("../pkg/…", import.meta.url)` still finds the wasm:
 *
 * - for a blog post, web/calc-widgets.js (the registry) with one chunk per widget, the code
 *   widgets share, and each wasm build's glue: a post downloads only the chunks of the
 *   elements it holds;
 * - for each chapter, one module (web/page-<slug>.js) holding its widgets, the code they
 *   share and their glue. A chapter knows its elements, and one file arrives far sooner
 *   than the ten a chapter's widgets are split into: browsers open six connections to a
 *   server speaking HTTP/1.1, and the rest queue (40 ms for chapter 4 here).
 *
 * `pageModules` maps a page's slug to the web/ modules defining its elements.
 */
async function bundleWidgets(outDir, pageModules) {
  const { build } = await import('esbuild');
  // The sources, copied beside pkg/ so that their `../pkg/` imports resolve.
  const web = path.join(outDir, '.web-src');
  const staging = path.join(outDir, '.web-bundle');
  await fs.rm(web, { recursive: true, force: true });
  await fs.rm(staging, { recursive: true, force: true });
  await copyDir(path.join(REPO, 'web'), web);
  try {
    await bundle(build, web, staging, pageModules);
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true });
    // Name the sources (web/x.js:3:4), not their copies.
    throw new Error(String(err.message).replace(/[^\s"']*\.web-src\//g, 'web/'));
  } finally {
    await fs.rm(web, { recursive: true, force: true });
  }
  await fs.rm(path.join(outDir, 'web'), { recursive: true, force: true });
  await fs.rename(staging, path.join(outDir, 'web'));
}

async function bundle(build, web, staging, pageModules) {
  const common = { bundle: true, format: 'esm', target: 'es2022', minify: true, legalComments: 'none', logLevel: 'silent' };
  await build({
    ...common,
    entryPoints: ['calc-widgets.js', ...ON_CLICK].map((m) => path.join(web, m)),
    outdir: staging,
    splitting: true,
    chunkNames: '[name]-[hash]',
  });
  await Promise.all(Object.entries(pageModules).map(([slug, { modules, build: name }]) => build({
    ...common,
    stdin: { contents: modules.map((m) => `import "./${m}";`).join('\n'), resolveDir: web, sourcefile: `page-${slug}.js` },
    outfile: path.join(staging, `page-${slug}.js`),
    plugins: [pageBuild(name, web), onClickOnly()],
  })));
}

/**
 * The modules a widget imports only when the reader asks (the Python scripts, 18 KB
 * gzipped; the menu's copy and save, 1 KB): entries of their own beside the registry, so
 * that a page's one-file bundle imports them instead of carrying them inline.
 */
const ON_CLICK = ['python-scripts.js', 'menu-actions.js'];

/** Keeps the on-click modules out of a page's bundle: they stay imports of dist/web/<name>. */
function onClickOnly() {
  return {
    name: 'on-click-only',
    setup(b) {
      b.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, (args) =>
        ON_CLICK.includes(args.path.slice(2)) && args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined);
    },
  };
}

/**
 * A book page knows its elements, and so its one wasm build: its bundle gets, in place of
 * build/pkg/builds.js (every build, each a dynamic import), that build alone, imported
 * statically, so that a widget starts in the task that runs the bundle. Its widgets are lazy
 * by default, as a post's are: one further down than a screen below the first starts (and
 * the page fetches its wasm) only as the reader nears it. A widget on the first screen says
 * `loading="eager"`, and its page's wasm is fetched from <head> (widgetScripts).
 */
function pageBuild(name, web) {
  return {
    name: 'page-build',
    setup(b) {
      b.onResolve({ filter: /\/pkg\/builds\.js$/ }, () => ({ path: name ?? 'none', namespace: 'page-build' }));
      b.onLoad({ filter: /.*/, namespace: 'page-build' }, () => {
        const build = WASM_BUILDS.find((x) => x.name === name);
        const builds = build ? [{ name, features: build.features, later: build.later }] : [];
        return {
          resolveDir: web,
          contents: buildsModule(builds, {
            loading: 'lazy',
            glueImport: () => 'glue',
            head: build ? [`import * as glue from "../pkg/${name}.js";`] : [],
          }),
        };
      });
    },
  };
}

/**
 * For each element, the web/ module that defines it and the charts it draws
 * (ELEMENT_FEATURES); elements that draw none (the live numbers in the prose) have none.
 */
async function elementsOf(webDir) {
  const out = {};
  for (const name of await fs.readdir(webDir)) {
    if (!name.endsWith('.js')) continue;
    const source = await fs.readFile(path.join(webDir, name), 'utf8');
    const widget = /extends (CalcWidget|PathWidget)\b/.test(source);
    for (const [, tag] of source.matchAll(/customElements\.define\("(calc-[a-z-]+)"/g)) {
      const features = ELEMENT_FEATURES[tag] ?? [];
      if (widget && !features.length) throw new Error(`web/${name}: <${tag}> draws a chart: name its cargo features in ELEMENT_FEATURES (scripts/wasm-builds.mjs)`);
      out[tag] = { module: name, features };
    }
  }
  return out;
}

/** The wasm builds, smallest first, with their charts (build/pkg/builds.js, scripts/build.mjs). */
async function buildsIn(pkg) {
  const file = path.join(pkg, 'builds.js');
  if (!(await exists(file))) return [];
  // Imported afresh: the authoring loop reads it again after each wasm build.
  const { BUILDS } = await import(`${pathToFileURL(file).href}?${(await fs.stat(file)).mtimeMs}`);
  return BUILDS.map(({ name, features, later, bytes, first }) => ({ name, features, later, bytes, first }));
}

/** Whether a page loads the widgets as a blog post does (the embed page): by the registry's one script. */
function loadsAsPost(html) {
  return html.includes('src="web/calc-widgets.js"');
}

/** The first element of `html` that draws a chart, or null. */
function firstChartOf(html) {
  for (const [, tag] of html.matchAll(/<(calc-[a-z-]+)/g)) if (ELEMENT_FEATURES[tag]?.length) return tag;
  return null;
}

/**
 * What a page loading the widgets as a post does (the embed page) fetches before its first
 * chart can start: the registry's static imports, then that element's module and its build's
 * glue (dynamic imports), each with its own static imports. The browser learns of a module's
 * imports only once it has parsed it on the main thread, which is busy laying out the page:
 * the registry's chunks were asked for 80 ms after the registry had arrived. Named in <head>
 * as modulepreloads, they come with the first requests (embed page, 13 interleaved loads:
 * ready 151 → 139 ms). `forFirst(tag, build)` lists them, from the bundles in `dir`/web.
 */
async function postModules(dir) {
  const web = path.join(dir, 'web');
  const files = (await fs.readdir(web).catch(() => [])).filter((f) => f.endsWith('.js'));
  const code = new Map(await Promise.all(files.map(async (f) => [f, await fs.readFile(path.join(web, f), 'utf8')])));
  const registry = code.get('calc-widgets.js');
  if (!registry) return null;
  // Static imports only (`import"./x.js"`, `from"./x.js"`), not `import("./x.js")`.
  const staticImports = (file, seen) => {
    if (seen.has(file) || !code.has(file)) return;
    seen.add(file);
    for (const [, dep] of code.get(file).matchAll(/(?:\bimport\s*|\bfrom\s*)["']\.\/([^"']+\.js)["']/g)) staticImports(dep, seen);
  };
  return {
    forFirst(tag, build) {
      const seen = new Set();
      staticImports('calc-widgets.js', seen);
      const element = registry.match(new RegExp(`"${tag}":\\(\\)=>import\\("\\./([^"]+)"\\)`))?.[1];
      const glue = files.find((f) => f.startsWith(`${build}-`) && /^[A-Z0-9]+\.js$/.test(f.slice(build.length + 1)));
      for (const file of [element, glue]) if (file) staticImports(file, seen);
      seen.delete('calc-widgets.js'); // its own <script> tag asks for it
      return [...seen];
    },
  };
}

/** The smallest build that draws every element of `used`, as web/loader.js picks it. */
function buildFor(used, builds, where) {
  const features = [...new Set(used.flatMap((e) => e.features))];
  if (!features.length) return null;
  const build = smallestCovering(builds, features);
  if (!build && builds.length) throw new Error(`${where}: no wasm build draws all of its charts (${features.join(', ')}): add one to scripts/wasm-builds.mjs`);
  return build?.name ?? null;
}

/**
 * What a chapter's <head> loads for its widgets, which draw with wasm build `build`, so
 * that those on the first screen are drawn in the page's first frame rather than after it.
 * All of it is `early`, placed before the stylesheets and the font preloads:
 *
 * - when a widget of the page is `loading="eager"` (`eager`: one the first screen shows), a
 *   preload and an inline script that start fetching and compiling that build while the
 *   page downloads (web/loader.js takes the compiled module from `self.calculusWasm`). The
 *   preload is what puts the wasm first in line: the preload scanner requests everything in
 *   <head> before the script runs. A page whose widgets all begin further down leaves its
 *   wasm (75 to 110 KB gzipped, most of a chapter) until the reader nears the first: the
 *   first screen comes sooner, and a reader who never scrolls there never pays for it;
 * - the chapter's one widget module, holding the first frame until it has run
 *   (`blocking="render"`): the elements are defined, and with the wasm compiled they draw,
 *   before the first layout, instead of the page laying out twice. It is deferred (a module
 *   without `async`), so that it runs when the parser ends, before DOMContentLoaded: async, it
 *   ran as often after DOMContentLoaded, whose layout of the page's light DOM (each widget's
 *   fallback description included) then came first, and the widgets laid the page out again,
 *   40 ms later on chapter 1 in about half the loads. A dynamic import would
 *   instead run after that first layout, 100 ms or more for a long chapter here. It comes
 *   before the stylesheets and fonts, at high priority, because over HTTP/1.1 a browser
 *   opens six connections to a host: behind two stylesheets and three fonts, chapter 1's
 *   module waited for a free one and arrived 130 ms after the wasm, holding every widget
 *   back that long.
 */
function widgetScripts(slug, build, eager) {
  const module = `<script type="module" blocking="render" fetchpriority="high" src="web/page-${slug}.js"></script>`;
  return build && eager ? `${earlyWasm(build)}\n${module}` : module;
}

/** The preload and inline script that fetch and compile wasm build `build` from <head>. */
function earlyWasm(build) {
  return [
    `<link rel="preload" href="pkg/${build}_bg.wasm" as="fetch" type="application/wasm" crossorigin fetchpriority="high">`,
    `<script>self.calculusWasm = { ${JSON.stringify(build)}: WebAssembly.compileStreaming(fetch("pkg/${build}_bg.wasm")).catch(() => null) };</script>`,
  ].join('\n');
}

/**
 * A page's KaTeX faces, each cut down to the characters the page draws with it (`glyphs`,
 * from renderPage) and the auto-hinter's letters (subsetCharacters: `siteChars`, every
 * character the site draws), written as assets/katex/fonts/<face>.<hash>.woff2 unless already
 * there. Returns `[{ face, file }]` (face: KaTeX's URL, `fonts/KaTeX_Main-Regular.woff2`). A
 * page fetches only the faces its formulas use, with only its own glyphs.
 *
 * Subsetting a face to woff2 takes 150 to 350 ms (Brotli at its best), so each subset is kept
 * in `cacheDir` (build/fonts/) by KaTeX's version, the face and the characters: a build whose
 * formulas draw what they drew last time makes none.
 */
async function pageFonts(outDir, glyphs, siteChars, cacheDir) {
  const dir = path.join(outDir, 'assets', 'katex', 'fonts');
  await fs.mkdir(dir, { recursive: true });
  const faces = Object.keys(glyphs).sort();
  const out = [];
  for (const face of faces) {
    const chars = [...subsetCharacters(glyphs[face], siteChars)].sort().join('');
    const bytes = await subsetFace(face, chars, cacheDir);
    const file = `${path.basename(face, '.woff2')}.${createHash('sha256').update(bytes).digest('hex').slice(0, 10)}.woff2`;
    if (!(await exists(path.join(dir, file)))) await writeAtomic(path.join(dir, file), bytes);
    out.push({ face, file });
  }
  return out;
}

async function subsetFace(face, chars, cacheDir) {
  const { version } = JSON.parse(await fs.readFile(path.join(KATEX_DIST, '..', 'package.json'), 'utf8'));
  const key = createHash('sha256').update(`katex ${version}\n${face}\n${chars}`).digest('hex').slice(0, 24);
  const cached = path.join(cacheDir, `${path.basename(face, '.woff2')}.${key}.woff2`);
  try {
    return await fs.readFile(cached);
  } catch {
    const { default: subsetFont } = await import('subset-font');
    const bytes = await subsetFont(await fs.readFile(path.join(KATEX_DIST, face)), chars, { targetFormat: 'woff2' });
    await fs.mkdir(cacheDir, { recursive: true });
    await writeAtomic(cached, bytes);
    return bytes;
  }
}

/** Every character the site's formulas draw (and the space), from each page's `{ face: chars }`. */
function siteCharacters(glyphsByPage) {
  const all = new Set(' ');
  for (const glyphs of Object.values(glyphsByPage)) for (const chars of Object.values(glyphs)) for (const c of chars) all.add(c);
  return all;
}

/** Removes the subset fonts no page names any more (the authoring loop makes new ones). */
async function pruneFonts(outDir, fontsByPage) {
  const dir = path.join(outDir, 'assets', 'katex', 'fonts');
  const kept = new Set(Object.values(fontsByPage).flat().map((f) => f.file));
  for (const name of await fs.readdir(dir).catch(() => [])) if (!kept.has(name)) await fs.rm(path.join(dir, name), { force: true });
}

/**
 * What a page's <head> says about its fonts: KaTeX's @font-face rule for each face the page
 * uses, pointing at the page's subset, and preloads for the faces that nearly every formula
 * uses, and for Size1 when a delimiter is drawn with it (found late, they would arrive after
 * the first layout and force a second one); the others are fetched when first drawn.
 */
function fontsHead(fonts, html) {
  if (!fonts.length) return '';
  const { faces } = katexStylesheet();
  const rules = fonts.map(({ face, file }) => {
    const rule = faces.get(face);
    if (!rule) throw new Error(`katex.min.css: no @font-face for ${face}`);
    return rule.replace(/url\([^)]*\)/, `url(assets/katex/fonts/${file})`);
  });
  const preload = ['KaTeX_Main-Regular', 'KaTeX_Math-Italic', ...(/\bsize1\b/.test(html) ? ['KaTeX_Size1-Regular'] : [])];
  const preloads = fonts.filter(({ face }) => preload.includes(path.basename(face, '.woff2')))
    .map(({ file }) => `<link rel="preload" href="assets/katex/fonts/${file}" as="font" type="font/woff2" crossorigin>`);
  return [`<style>${rules.join('')}</style>`, ...preloads].join('\n');
}

// ---- build ----------------------------------------------------------------------------------

function fillTemplate(template, values) {
  return template.replace(/\{\{(\w+)\}\}/g, (m, key) => {
    if (!(key in values)) throw new Error(`template.html: unknown placeholder ${m}`);
    return values[key];
  });
}

function safeOutDir(outDir) {
  const resolved = path.resolve(REPO, outDir);
  const rel = path.relative(resolved, REPO);
  // Refuse to wipe the filesystem root, the repository, any of its ancestors, or sources.
  if (resolved === path.parse(resolved).root || rel === '' || !rel.startsWith('..') && !path.isAbsolute(rel)) {
    throw new Error(`buildSite: refusing to use ${resolved} as the output directory`);
  }
  for (const src of ['www', 'web', 'scripts', 'crates', 'tests', 'bench', 'node_modules', '.git']) {
    const s = path.join(REPO, src);
    if (resolved === s || resolved.startsWith(s + path.sep)) {
      throw new Error(`buildSite: refusing to write into ${resolved}`);
    }
  }
  return resolved;
}

/** Writes a file whole: the dev server never serves half of one. */
async function writeAtomic(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, file);
}

const sameList = (a = [], b = []) => a.length === b.length && a.every((x, i) => x === b[i]);

/** What each page loads (its modules and its build): its <head> names the build. */
const usesSignature = (uses) => JSON.stringify(uses);

/**
 * The site build, whole (`full`) or in parts for the authoring loop (scripts/start.mjs):
 *
 * - `pages(hrefs)`: those pages again (all of them when `hrefs` is null: chapters.json, the
 *   template), with their formulas typeset once per process; the fonts are subset again
 *   only when a page draws a character they lack, so no page ever misses a glyph;
 * - `widgets()`: the widget bundles from web/ (and the pages, if one now loads other builds);
 * - `pkg()`: build/pkg copied again (new wasm or book.js), then the bundles that inline its glue;
 * - `assets()`: www/assets copied again.
 *
 * What the parts need from the last whole build (the characters in the fonts, each page's
 * elements) is kept in `build/site-<out>.json`, outside dist/.
 */
export function siteBuilder({ outDir = 'dist', pkgDir = 'build/pkg', onIndexed = null } = {}) {
  const out = safeOutDir(outDir);
  const pkg = path.resolve(REPO, pkgDir);
  const stateFile = path.join(path.dirname(pkg), `site-${path.basename(out)}.json`);
  const fontCache = path.join(path.dirname(pkg), 'fonts');
  const pkgFiles = [...WASM_BUILDS.flatMap(({ name, later }) => [`${name}.js`, `${name}_bg.wasm`, ...(later ? [`${name}_later_bg.wasm`] : [])]), 'book.js', 'builds.js'];

  async function context() {
    await setUpTypesetting();
    const [rawTemplate, themeInit, chapters] = await Promise.all([
      fs.readFile(path.join(WWW, 'template.html'), 'utf8'),
      fs.readFile(path.join(WWW, 'assets', 'theme-init.js'), 'utf8'),
      loadChapters(),
    ]);
    // Inlined: a blocking script in <head> would otherwise hold up parsing for a round trip.
    const inline = await minifyScript(themeInit, 'www/assets/theme-init.js');
    const template = rawTemplate.replace('<script src="assets/theme-init.js"></script>', () => `<script>${inline}</script>`);
    // Pages in reading order: the introduction, then every ready chapter.
    const pages = [{ slug: 'index', href: 'index.html', label: 'Introduction', source: path.join(WWW, 'index.html') }];
    for (const ch of chapters) {
      const source = path.join(WWW, 'chapters', `${ch.slug}.html`);
      if (ch.ready) {
        if (!(await exists(source))) throw new Error(`chapters.json: "${ch.slug}" is ready but ${path.relative(REPO, source)} is missing`);
        pages.push({ slug: ch.slug, href: ch.href, label: chapterLabel(ch), source, chapter: ch });
      }
    }
    return { template, chapters, pages };
  }

  /**
   * One page's HTML with its widget and font placeholders, the elements it holds, the
   * characters its math draws by face (`glyphs`) and the class names it uses.
   */
  async function renderPage({ template, chapters, pages }, i) {
    const page = pages[i];
    const file = path.relative(REPO, page.source);
    let body = await fs.readFile(page.source, 'utf8');
    body = resolveChapterRefs(body, chapters, file);
    let glyphs;
    ({ html: body, glyphs } = typesetPage(body, file));
    // The "Embed a widget" page: a section per element of web/embed-catalog.js.
    if (body.includes('<!-- widget catalog -->')) {
      const { embedSectionsHtml } = await import('./embed-page.mjs');
      body = body.replace('<!-- widget catalog -->', await embedSectionsHtml({ repo: REPO, pkgDir: pkg, chapters }));
    }
    if (page.slug === 'index') {
      if (!body.includes('<!-- contents -->')) throw new Error(`${file}: missing <!-- contents --> placeholder`);
      body = body.replace('<!-- contents -->', contentsHtml(chapters));
    } else {
      if (/<h1[\s>]/i.test(body)) throw new Error(`${file}: the build writes the <h1> from chapters.json; remove it from the fragment`);
      const ch = page.chapter;
      const head = [
        '<div class="chapter-head">',
        ch.number != null ? `<p class="chapter-kicker">Chapter ${escapeHtml(ch.number)}</p>` : '',
        `<h1>${escapeHtml(ch.title)}</h1>`,
        ch.subtitle ? `<p class="chapter-subtitle">${escapeHtml(ch.subtitle)}</p>` : '',
        '</div>',
      ].filter(Boolean).join('\n');
      body = `${head}\n${body}`;
    }
    // Code blocks scroll sideways on narrow screens: make them reachable from the keyboard.
    body = body.replace(/<pre(?![^>]*\btabindex=)(\s[^>]*)?>/g, (m, attrs = '') => `<pre tabindex="0"${attrs}>`);

    const prev = pages[i - 1];
    const next = pages[i + 1];
    // A page that loads the widgets as a blog post does (the embed page) gets no module of its own.
    const asPost = loadsAsPost(body);
    const tags = asPost ? [] : [...new Set(body.match(/<calc-[a-z-]+/g) ?? [])].map((t) => t.slice(1));
    const hasWidgets = tags.length > 0;
    // Such a page's first chart (near the top, so drawn at once) gets its wasm started from
    // <head> too (postWasm): the registry would ask for it only once the page has parsed and
    // been laid out.
    const postFirst = asPost ? firstChartOf(body) : null;
    const headExtra = [
      prev ? `<link rel="prev" href="${prev.href}">` : '',
      next ? `<link rel="next" href="${next.href}">` : '',
      // The page's KaTeX faces and their preloads (fontsHead).
      body.includes('class="katex"') ? '<!-- katex fonts -->' : '',
    ].filter(Boolean).map((l) => l + '\n').join('');

    const html = fillTemplate(template, {
      title: escapeHtml(page.slug === 'index' ? BOOK_TITLE : `${page.chapter.title} · ${BOOK_TITLE}`),
      description: escapeHtml(page.slug === 'index' ? INTRO_DESCRIPTION : page.chapter.summary),
      // The page's wasm and widget module (see widgetScripts), or a post's first wasm (postWasm).
      early: hasWidgets || postFirst ? '<!-- early wasm -->\n' : '',
      head: headExtra,
      bodyClass: page.slug === 'index' ? 'page-index' : `page-chapter page-${page.slug}`,
      sidebar: sidebarHtml(chapters, page.slug),
      content: body.trim(),
      pager: pagerHtml(prev, next),
    });
    if (/\s(href|src)="\//.test(html)) throw new Error(`${file}: absolute URL found; use relative URLs only`);
    return { html, tags, glyphs, classes: classesIn(html) };
  }

  /** The wasm builds as widgetUses last read them (postWasm picks from them). */
  let knownBuilds = [];

  /**
   * The <head> lines of a page that loads its widgets as a post does (the embed page): its
   * first chart's build, fetched and compiled from the start as on a chapter (widgetScripts).
   * The registry's loader picks the same build for it (web/loader.js buildFor): on a page
   * with `data-calc-wasm="per-element"` the smallest that draws that element, else the
   * smallest that draws every element of the page.
   */
  function postWasm(html, modules) {
    const first = firstChartOf(html);
    if (!first) return '';
    const tags = html.includes('data-calc-wasm="per-element"') ? [first] : [...new Set((html.match(/<calc-[a-z-]+/g) ?? []).map((t) => t.slice(1)))];
    const features = [...new Set(tags.flatMap((tag) => ELEMENT_FEATURES[tag] ?? []))];
    const build = smallestCovering(knownBuilds, features)?.name;
    if (!build) return '';
    const preloads = modules?.forFirst(first, build) ?? [];
    return [earlyWasm(build), ...preloads.map((m) => `<link rel="modulepreload" href="web/${m}">`)].join('\n') + '\n';
  }

  /** For each page with widgets, `{ modules, build }`: the web/ modules defining its elements and the wasm build they draw with. */
  async function widgetUses(pages, tagsOf) {
    const [elements, builds] = await Promise.all([elementsOf(path.join(REPO, 'web')), buildsIn(pkg)]);
    knownBuilds = builds;
    const uses = {};
    for (const page of pages) {
      const used = [...new Set((tagsOf(page) ?? []).map((tag) => elements[tag]).filter(Boolean))];
      if (!used.length) continue;
      uses[page.href] = { modules: [...new Set(used.map((e) => e.module))], build: buildFor(used, builds, page.href) };
    }
    return uses;
  }

  const modulesOf = (uses, pages) => Object.fromEntries(pages.filter((p) => uses[p.href]).map((p) => [p.slug, uses[p.href]]));

  /**
   * A page's HTML with its font faces (`fonts`, from pageFonts) and its widget scripts in
   * place; `modules` (postModules) names the bundled modules a post's first chart needs.
   */
  function inject(html, page, uses, fonts, modules) {
    html = html.replace('<!-- katex fonts -->', () => fontsHead(fonts, html));
    if (!uses[page.href]) return html.replace('<!-- early wasm -->', () => postWasm(html, modules));
    const eager = /<calc-[a-z-]+\s[^>]*\bloading="eager"/.test(html);
    return html.replace('<!-- early wasm -->', widgetScripts(page.slug, uses[page.href].build, eager));
  }

  async function copyPkg(dir, warnings) {
    // book.js: the facts the widgets import (scripts/build.mjs), inlined into their bundles.
    const missing = [];
    for (const f of pkgFiles) if (!(await exists(path.join(pkg, f)))) missing.push(f);
    if (missing.length) warnings.push(`${path.relative(REPO, pkg) || pkg}: missing ${missing.join(', ')} (run the wasm build first)`);
    if (!(await exists(pkg))) return;
    await fs.mkdir(path.join(dir, 'pkg'), { recursive: true });
    for (const name of await fs.readdir(pkg)) {
      if (pkgFiles.includes(name) || name.endsWith('.d.ts')) await fs.copyFile(path.join(pkg, name), path.join(dir, 'pkg', name));
    }
  }

  const canBundle = async (dir) =>
    (await exists(path.join(REPO, 'web', 'calc-widgets.js'))) && (await exists(path.join(dir, 'pkg', 'calculus.js')));

  async function readState() {
    try { return JSON.parse(await fs.readFile(stateFile, 'utf8')); } catch { return null; }
  }
  const writeState = async (state) => {
    await fs.mkdir(path.dirname(stateFile), { recursive: true });
    await fs.writeFile(stateFile, JSON.stringify(state, null, 1) + '\n');
  };

  /**
   * The search index made again from the pages in dist/ when one changed (search-index.mjs).
   * With `onIndexed(error, result)` (the authoring loop) it runs after the call returns, one
   * run at a time, so that the page reloads without waiting for it; without, it is awaited.
   */
  let indexing = Promise.resolve();
  async function reindex() {
    if (!onIndexed) return indexSite(out);
    indexing = indexing.then(() => indexSite(out)).then((r) => onIndexed(null, r), (e) => onIndexed(e));
  }

  /** The whole site, built beside dist/ and then put in its place (what is served stays whole). */
  async function full() {
    const t0 = performance.now();
    const warnings = [];
    const ctx = await context();
    const next = `${out}.next`;
    await fs.rm(next, { recursive: true, force: true });
    await fs.mkdir(next, { recursive: true });

    const rendered = new Map();
    const classes = new Set();
    for (let i = 0; i < ctx.pages.length; i++) {
      const r = await renderPage(ctx, i);
      rendered.set(ctx.pages[i].href, r);
      for (const c of r.classes) classes.add(c);
    }

    // Assets, KaTeX (its stylesheet, each page's faces), widgets, wasm package.
    await copyAssets(next);
    await writeKatexCss(next, classes);
    const glyphs = Object.fromEntries(ctx.pages.map((p) => [p.href, rendered.get(p.href).glyphs]));
    const siteChars = siteCharacters(glyphs);
    const fonts = {};
    for (const page of ctx.pages) fonts[page.href] = await pageFonts(next, glyphs[page.href], siteChars, fontCache);
    if (!(await exists(path.join(REPO, 'web')))) warnings.push('web/ is missing: pages will show the widget descriptions only');
    else if (!(await exists(path.join(REPO, 'web', 'calc-widgets.js')))) warnings.push('web/calc-widgets.js is missing: pages will show the widget descriptions only');
    await copyPkg(next, warnings);
    const uses = await widgetUses(ctx.pages, (p) => rendered.get(p.href).tags);
    const pageModules = modulesOf(uses, ctx.pages);
    if (await canBundle(next)) await bundleWidgets(next, pageModules);
    else if (await exists(path.join(REPO, 'web'))) await copyDir(path.join(REPO, 'web'), path.join(next, 'web'));
    const modules = await postModules(next);
    for (const page of ctx.pages) await fs.writeFile(path.join(next, page.href), inject(rendered.get(page.href).html, page, uses, fonts[page.href], modules));
    // GitHub Pages: serve files as they are (no Jekyll processing).
    await fs.writeFile(path.join(next, '.nojekyll'), '');
    // The search index (scripts/search-index.mjs), taken from the last build when no page changed.
    const search = await indexSite(next, { reuseFrom: out });

    const old = `${out}.old`;
    await fs.rm(old, { recursive: true, force: true });
    if (await exists(out)) await fs.rename(out, old);
    await fs.rename(next, out);
    await fs.rm(old, { recursive: true, force: true });
    await writeState({
      classes: [...classes].sort(),
      glyphs,
      fonts,
      pages: Object.fromEntries(ctx.pages.map((p) => [p.href, rendered.get(p.href).tags])),
      pageModules,
      uses: usesSignature(uses),
    });

    for (const w of warnings) console.warn(`build-site: warning: ${w}`);
    const ms = performance.now() - t0;
    const katexFonts = new Set(Object.values(fonts).flat().map((f) => f.file)).size;
    return { outDir: out, pages: ctx.pages.map((p) => p.href), katexFonts, search, warnings, ms };
  }

  /**
   * Builds the pages `hrefs` (all when null) again into dist/. Returns the pages written. A
   * page list that changed (a chapter now ready) or a missing state means a whole build.
   */
  async function pages(hrefs = null) {
    const state = await readState();
    const ctx = await context();
    if (!state?.glyphs || !(await exists(out)) || !sameList(ctx.pages.map((p) => p.href), Object.keys(state.pages))) {
      await full();
      return ctx.pages.map((p) => p.href);
    }
    const targets = ctx.pages.map((p, i) => [p, i]).filter(([p]) => !hrefs || hrefs.includes(p.href));
    const rendered = new Map();
    for (const [p, i] of targets) rendered.set(p.href, await renderPage(ctx, i));

    // KaTeX's stylesheet again only when a page uses a class it left out; each page's faces
    // subset again to its glyphs (a file already made for the same glyphs is kept).
    const classes = new Set(state.classes);
    const before = classes.size;
    for (const r of rendered.values()) for (const c of r.classes) classes.add(c);
    if (classes.size > before) {
      await writeKatexCss(out, classes);
      state.classes = [...classes].sort();
    }
    const hintedBy = hintingLetters(siteCharacters(state.glyphs));
    for (const [href, r] of rendered) state.glyphs[href] = r.glyphs;
    // A new letter the auto-hinter measures by changes how every page's faces hint: all again.
    const siteChars = siteCharacters(state.glyphs);
    if (hintingLetters(siteChars) !== hintedBy) {
      await full();
      return ctx.pages.map((p) => p.href);
    }
    for (const [href, r] of rendered) state.fonts[href] = await pageFonts(out, r.glyphs, siteChars, fontCache);
    for (const [href, r] of rendered) state.pages[href] = r.tags;
    const uses = await widgetUses(ctx.pages, (p) => state.pages[p.href]);
    const pageModules = modulesOf(uses, ctx.pages);
    if (JSON.stringify(pageModules) !== JSON.stringify(state.pageModules) && (await canBundle(out))) {
      await bundleWidgets(out, pageModules);
      state.pageModules = pageModules;
    }
    // The bundles are read only when a post is among the pages written (an edit of a chapter
    // needs none of them).
    const modules = targets.some(([p]) => loadsAsPost(rendered.get(p.href).html)) ? await postModules(out) : null;
    for (const [p] of targets) await writeAtomic(path.join(out, p.href), inject(rendered.get(p.href).html, p, uses, state.fonts[p.href], modules));
    await pruneFonts(out, state.fonts);
    state.uses = usesSignature(uses);
    await writeState(state);
    // Indexed again only if a page's HTML changed (a page saved as it was changes nothing).
    await reindex();
    return targets.map(([p]) => p.href);
  }

  /** The widget bundles again (web/ changed); the pages too when one now loads other modules or builds. */
  async function widgets() {
    const state = await readState();
    const ctx = await context();
    if (!state || !sameList(ctx.pages.map((p) => p.href), Object.keys(state.pages))) return pages(null);
    const uses = await widgetUses(ctx.pages, (p) => state.pages[p.href]);
    const pageModules = modulesOf(uses, ctx.pages);
    if (await canBundle(out)) await bundleWidgets(out, pageModules);
    state.pageModules = pageModules;
    const changed = state.uses !== usesSignature(uses);
    await writeState(state);
    // The early wasm preloads in each page's <head> name its builds: pages() writes them again.
    if (changed) return pages(null);
    // A post's <head> names the bundled modules of its first chart, whose names carry hashes.
    const posts = [];
    for (const p of ctx.pages) if (loadsAsPost(await fs.readFile(path.join(out, p.href), 'utf8').catch(() => ''))) posts.push(p.href);
    return posts.length ? pages(posts) : [];
  }

  /** build/pkg copied again (a wasm build or book.js changed), then the bundles that inline it. */
  async function pkgChanged() {
    const warnings = [];
    await copyPkg(out, warnings);
    for (const w of warnings) console.warn(`build-site: warning: ${w}`);
    return widgets();
  }

  /** www/assets copied again; theme-init.js is inlined in every page. */
  async function assets(changed = []) {
    await copyAssets(out);
    return changed.some((f) => f.endsWith('theme-init.js')) ? pages(null) : [];
  }

  /** Typesets every page's formulas in memory (nothing written), so that the first edit is fast. */
  async function warm() {
    const ctx = await context();
    for (let i = 0; i < ctx.pages.length; i++) {
      await renderPage(ctx, i);
      await new Promise((r) => setImmediate(r)); // let requests and edits in between pages
    }
  }

  return { full, pages, widgets, pkg: pkgChanged, assets, warm, index: reindex, outDir: out };
}

export async function buildSite(options = {}) {
  return siteBuilder(options).full();
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  buildSite({ outDir: opt('--out') ?? 'dist', pkgDir: opt('--pkg') ?? 'build/pkg' }).then(
    (r) => console.log(`build-site: ${r.pages.length} pages, ${r.katexFonts} KaTeX fonts, search index ${r.search.indexed ? 'made' : 'unchanged'} -> ${path.relative(process.cwd(), r.outDir) || '.'} in ${r.ms.toFixed(0)} ms`),
    (err) => { console.error(`build-site: ${err.message}`); process.exitCode = 1; },
  );
}

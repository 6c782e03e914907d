// The book's search index: Pagefind (npm `pagefind`, its binary shipped in the package) run over
// the built pages, written to <site>/pagefind/. The reader's page fetches none of it until they
// start a search (www/assets/search.js).
//
// Pagefind is handed a copy of each page prepared for indexing, so that what is served carries
// nothing for the index (no data-pagefind-* attributes, not one byte more per formula):
//
// - only the chapter's text is indexed (`article.page`): the header, the sidebar, the pager and
//   the footer are not; nor is the "Embed a widget" page (a catalogue of code, not the book);
// - each formula is indexed by its spoken form, the aria-label the build gives it
//   ("partial f over partial w"), and not by KaTeX's glyphs;
// - each page carries its chapter ("4. Gradient descent") as metadata for the result.
//
// The index is written again only when a page's HTML changed (its fingerprint is kept in
// build/search-<site>.json), so the authoring loop re-indexes after a page edit only.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Pages never indexed: the widget catalogue. */
export const NOT_INDEXED = new Set(['embed.html']);

/** What Pagefind reads besides the page's article: nothing inside these. */
const EXCLUDE = ['.katex-html', '.skip-link', 'script', 'style', 'template'];

/**
 * Pagefind's files the book does not use: its ready-made UIs and the wasm for pages of no known
 * language (the index is English). Kept: its JS API, its worker, the English wasm, the index.
 */
const UNUSED = /^(pagefind-(ui|modular-ui|component-ui|highlight)\.(js|css)|wasm\.unknown\.pagefind)$/;

const escapeAttr = (s) => String(s).replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c]);

/**
 * A built page as Pagefind should read it: its article is the body to index, named with its
 * chapter; formulas are read by their spoken form. `chapter` is the label the result shows.
 */
export function indexableHtml(html, chapter) {
  if (!/<article class="page"/.test(html)) throw new Error('search index: a page without <article class="page">');
  return html
    .replace('<article class="page"', `<article class="page" data-pagefind-body data-pagefind-meta="chapter:${escapeAttr(chapter)}"`)
    .replace(/<span class="katex" role="math" aria-label=/g, '<span class="katex" role="math" data-pagefind-index-attrs="aria-label" aria-label=');
}

/** The chapter label of a built page: "4. Gradient descent", "Summary", "Introduction". */
export function chapterOf(html, name) {
  if (name === 'index.html') return 'Introduction';
  const kicker = /<p class="chapter-kicker">Chapter ([^<]+)<\/p>/.exec(html);
  const title = /<h1>([\s\S]*?)<\/h1>/.exec(html);
  const text = title ? title[1].replace(/<[^>]*>/g, '').trim() : name.replace(/\.html$/, '');
  return kicker ? `${kicker[1]}. ${text}` : text;
}

async function exists(p) {
  try { await fs.access(p); return true; } catch { return false; }
}

/**
 * Indexes the pages in `siteDir` into `siteDir/pagefind/`, unless the last index was made from
 * the same pages (`force` skips that check). With `reuseFrom` (a directory holding a previous
 * site), an index made from the same pages is copied from there instead: the whole build
 * writes the site beside dist/ and swaps it in. Returns `{ pages, indexed, ms }`: `indexed` is
 * false when nothing was done.
 */
export async function indexSite(siteDir, { reuseFrom = null, force = false, stateFile = defaultState(siteDir) } = {}) {
  const t0 = performance.now();
  const names = (await fs.readdir(siteDir)).filter((n) => n.endsWith('.html') && !NOT_INDEXED.has(n)).sort();
  const pages = await Promise.all(names.map(async (name) => ({ name, html: await fs.readFile(path.join(siteDir, name), 'utf8') })));
  const hash = createHash('sha256');
  hash.update(await fs.readFile(fileURLToPath(import.meta.url))); // this file's rules
  for (const { name, html } of pages) hash.update(`${name}\0${html}\0`);
  const fingerprint = hash.digest('hex');
  const state = await readJson(stateFile);
  const out = path.join(siteDir, 'pagefind');
  const done = () => ({ pages: names, ms: performance.now() - t0 });

  if (!force && state?.fingerprint === fingerprint) {
    const from = reuseFrom ? path.join(reuseFrom, 'pagefind') : out;
    if (await exists(path.join(from, 'pagefind-entry.json'))) {
      if (from !== out) await fs.cp(from, out, { recursive: true });
      return { ...done(), indexed: false };
    }
  }

  const pagefind = await import('pagefind');
  try {
    const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en', excludeSelectors: EXCLUDE });
    if (!index) throw new Error(`search index: ${errors.join('; ')}`);
    for (const { name, html } of pages) {
      const added = await index.addHTMLFile({ url: `/${name}`, content: indexableHtml(html, chapterOf(html, name)) });
      if (added.errors.length) throw new Error(`search index: ${name}: ${added.errors.join('; ')}`);
    }
    // Written beside, then swapped in: what is served stays whole.
    const next = `${out}.next`;
    await fs.rm(next, { recursive: true, force: true });
    const written = await index.writeFiles({ outputPath: next });
    if (written.errors.length) throw new Error(`search index: ${written.errors.join('; ')}`);
    for (const f of await fs.readdir(next)) if (UNUSED.test(f)) await fs.rm(path.join(next, f));
    const old = `${out}.old`;
    await fs.rm(old, { recursive: true, force: true });
    if (await exists(out)) await fs.rename(out, old);
    await fs.rename(next, out);
    await fs.rm(old, { recursive: true, force: true });
  } finally {
    await pagefind.close();
  }
  await fs.mkdir(path.dirname(stateFile), { recursive: true });
  await fs.writeFile(stateFile, JSON.stringify({ fingerprint }) + '\n');
  return { ...done(), indexed: true };
}

/** build/search-<site>.json, beside the site build's own state (build/site-<site>.json). */
function defaultState(siteDir) {
  return path.join(REPO, 'build', `search-${path.basename(siteDir).replace(/\.next$/, '')}.json`);
}

async function readJson(file) {
  try { return JSON.parse(await fs.readFile(file, 'utf8')); } catch { return null; }
}

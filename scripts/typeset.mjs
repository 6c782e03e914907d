// Formulas typeset at build time: `$...$` and `$$...$$` in a page's HTML become KaTeX's HTML,
// each named for screen readers by its spoken form, and the glyphs each font face draws are
// gathered so that the page's fonts can be subset to them.
//
//   await setUpTypesetting();
//   const { html, glyphs } = typesetPage('<p>The slope of $x^2$ is $2x$.</p>', 'www/x.html');
//   // glyphs: { 'fonts/KaTeX_Math-Italic.woff2': 'x', 'fonts/KaTeX_Main-Regular.woff2': '2' }
//
// Math is not looked for inside <pre>, <code>, <script>, <style>, comments or tags. Inside math
// write < > & as &lt; &gt; &amp; (they are decoded before KaTeX sees them). A TeX error throws,
// naming the file and line.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import katex from 'katex';
import { escapeMarkup } from '../web/markup.js';
import { classesNamed, compactFormula, fontFaceRules, fontModel, glyphsByFace } from './katex-assets.mjs';

const WWW = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'www');
export const KATEX_DIST = path.join(path.dirname(fileURLToPath(import.meta.resolve('katex/package.json'))), 'dist');

const decodeEntities = (s) =>
  s.replace(/&(lt|gt|amp|quot|apos|nbsp|#39|#x27);/g, (_, e) =>
    ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0', '#39': "'", '#x27': "'" })[e]);

// Regions never searched for math: raw-text elements, code, comments and the tags themselves.
const PROTECTED = /<(pre|code|script|style|textarea)\b[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->|<\/?[a-zA-Z][^>]*>/g;

/**
 * The characters KaTeX drew on the page being typeset (typesetPage sets it), by the font face
 * that draws them (`Map(face URL → Set(char))`, scripts/katex-assets.mjs): each page's faces
 * are subset to its own. A formula's rendering is kept (`typesetCache`), so the dev loop
 * re-renders a page in the time of its new formulas only.
 */
let typeset = new Map();
const typesetCache = new Map();

/** KaTeX's stylesheet (its woff2 sources only) and the font model read from it; set up once, like `speak`. */
let katexCss = null;

/** The stylesheet `setUpKatexCss` read (`{ css, model, faces, keep }`), once it has. */
export function katexStylesheet() {
  if (!katexCss) throw new Error('typeset.mjs: setUpKatexCss() first');
  return katexCss;
}

export async function setUpKatexCss() {
  if (katexCss) return katexCss;
  let css = await fs.readFile(path.join(KATEX_DIST, 'katex.min.css'), 'utf8');
  css = css.replace(/@font-face\{[^}]*\}/g, (rule) =>
    rule.replace(/src:([^;}]*)/, (_, list) => {
      const woff2 = list.split(/,(?=\s*url\()/).map((s) => s.trim()).find((s) => /\.woff2\)/.test(s));
      if (!woff2) throw new Error(`katex.min.css: @font-face without woff2: ${rule}`);
      return `src:${woff2}`;
    }));
  if (/\.(woff|ttf)\)/.test(css)) throw new Error('katex.min.css: non-woff2 font left after rewrite');
  // The classes compactFormula keeps: those a stylesheet or script names (site.js finds
  // .katex-display, the search index leaves out .katex-html).
  const site = await fs.readFile(path.join(WWW, 'assets', 'site.css'), 'utf8');
  const keep = new Set([...classesNamed(css), ...classesNamed(site), 'katex', 'katex-display', 'katex-html']);
  katexCss = { css, model: fontModel(css), faces: fontFaceRules(css), keep };
  return katexCss;
}

/**
 * Reads MathML aloud as English text (speech-rule-engine's ClearSpeak rules, as MathJax does).
 * Set up once by buildSite before any page is typeset.
 */
let speak = null;

async function setUpSpeech() {
  if (speak) return;
  const { default: sre } = await import('speech-rule-engine');
  await sre.setupEngine({ locale: 'en', domain: 'clearspeak', modality: 'speech' });
  await sre.engineReady();
  speak = (mathml) => SPOKEN_FIXES.reduce((text, [wrong, right]) => text.replace(wrong, right), sre.toSpeech(mathml));
}

/**
 * Readings ClearSpeak gets wrong for this book's notation: ∂f/∂w read as "∂f of slash ∂w",
 * 45° as "45 raised to the composed with power", KaTeX's upright Δ and ∞ as "normal
 * triangle" and "normal infinity", and ‖v‖ as "the metric of v".
 */
const SPOKEN_FIXES = [
  [/ of slash /g, ' over '],
  [/ slash /g, ' over '],
  [/partial differential/g, 'partial'],
  [/(?:raised )?to the composed with power/g, 'degrees'],
  [/normal triangle/g, 'delta'],
  [/\bnormal (?=infinity)/g, ''],
  [/the metric of/g, 'the norm of'],
];

/**
 * A formula typeset by KaTeX as HTML, named for screen readers by its spoken form: "w squared
 * plus b squared". KaTeX's own accessible output, a copy of every formula as MathML hidden
 * beside it, doubled the page's elements; parsing and laying those out cost a chapter 30 to
 * 50 ms before its widgets could start. The HTML is then compacted (compactFormula in
 * scripts/katex-assets.mjs): the classes no stylesheet reads go, style values are shortened.
 */
function renderTex(tex, displayMode, where) {
  const key = `${displayMode ? '$$' : '$'}${tex}`;
  let done = typesetCache.get(key);
  if (!done) {
    done = renderTexUncached(tex, displayMode, where);
    typesetCache.set(key, done);
  }
  for (const [face, chars] of done.glyphs) {
    if (!typeset.has(face)) typeset.set(face, new Set());
    for (const c of chars) typeset.get(face).add(c);
  }
  return done.html;
}

function renderTexUncached(tex, displayMode, where) {
  const source = decodeEntities(tex).trim();
  const options = { displayMode, throwOnError: true, strict: 'error' };
  let both;
  try {
    both = katex.renderToString(source, { ...options, output: 'htmlAndMathml' });
  } catch (err) {
    const delim = displayMode ? '$$' : '$';
    throw new Error(`${where}: KaTeX cannot typeset ${delim}${tex}${delim}\n  ${err.message}`);
  }
  // One rendering gives both: the MathML to speak, then dropped from what the page shows.
  const mathml = /<span class="katex-mathml">([\s\S]*?<\/math>)<\/span>/.exec(both);
  const spoken = mathml && speak(mathml[1]);
  if (!spoken) throw new Error(`${where}: no spoken form for $${tex}$`);
  let html = compactFormula(both.replace(mathml[0], () => ''), katexCss.keep);
  const glyphs = glyphsByFace(html, katexCss.model);
  html = html.replace('<span class="katex">', `<span class="katex" role="math" aria-label="${escapeMarkup(spoken)}">`);
  // A wide equation scrolls sideways on a phone; the keyboard must be able to scroll it too.
  if (displayMode) html = html.replace('<span class="katex-display">', '<span class="katex-display" tabindex="0">');
  return { html, glyphs };
}

function lineOf(source, index) {
  return source.slice(0, index).split('\n').length;
}

// Typesets $...$ and $$...$$ in one run of text (between tags).
function renderMathInText(text, file, source, offset) {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '$') { out += '$'; i += 2; continue; }
    if (c !== '$') { out += c; i++; continue; }
    const display = text[i + 1] === '$';
    const open = display ? 2 : 1;
    let j = i + open;
    let end = -1;
    while (j < text.length) {
      if (text[j] === '\\') { j += 2; continue; }
      if (text[j] === '$') {
        if (!display) { end = j; break; }
        if (text[j + 1] === '$') { end = j; break; }
        throw new Error(`${file}:${lineOf(source, offset + j)}: a single $ inside $$...$$ (write \\$ for a dollar sign)`);
      }
      j++;
    }
    if (end < 0) {
      throw new Error(`${file}:${lineOf(source, offset + i)}: unclosed ${display ? '$$' : '$'} (math may not contain tags; write \\$ for a dollar sign)`);
    }
    const tex = text.slice(i + open, end);
    if (!tex.trim()) throw new Error(`${file}:${lineOf(source, offset + i)}: empty math`);
    const rendered = renderTex(tex, display, `${file}:${lineOf(source, offset + i)}`);
    i = end + open;
    // Keep short inline math together with the punctuation that follows it (no line break
    // between a formula and its full stop). Not a chain of terms (KaTeX's boxes, each a place
    // the line may break): kept whole, 1 − tanh²(n) = 1 − o² = 1 − 0.5 = 0.5 ran past a phone.
    const boxes = rendered.split(/class="(?:katex-)?base"/).length - 1;
    const punct = !display && tex.length <= 40 && boxes <= 3 ? /^[.,;:!?)\]’”]+/.exec(text.slice(i)) : null;
    if (punct) {
      out += `<span class="nowrap">${rendered}${punct[0]}</span>`;
      i += punct[0].length;
    } else {
      out += rendered;
    }
  }
  return out;
}

function renderMath(html, file = '<content>') {
  let out = '';
  let last = 0;
  for (const m of html.matchAll(PROTECTED)) {
    out += renderMathInText(html.slice(last, m.index), file, html, last);
    out += m[0];
    last = m.index + m[0].length;
  }
  out += renderMathInText(html.slice(last), file, html, last);
  return out;
}

/** KaTeX's stylesheet and the spoken forms, set up once before any page is typeset. */
export async function setUpTypesetting() {
  await setUpSpeech();
  return setUpKatexCss();
}

/**
 * A page's HTML with its formulas typeset, and the characters they draw by font face
 * (`{ face URL: sorted characters }`). `file` names the source in errors.
 */
export function typesetPage(html, file = '<content>') {
  typeset = new Map();
  const out = renderMath(html, file);
  const glyphs = Object.fromEntries([...typeset].map(([face, chars]) => [face, [...chars].sort().join('')]));
  return { html: out, glyphs };
}

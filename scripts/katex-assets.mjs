// Which KaTeX font face draws each character of a formula, read from KaTeX's own stylesheet:
// its rules that set font-family, font-weight and font-style (`.katex .mathnormal`,
// `.katex .delimsizing.size1`, ...) applied to KaTeX's HTML as the browser's cascade
// does, then each face picked from the @font-face rules as the browser matches them.
//
// build-site.mjs subsets each face to the characters drawn with it, on each page: a face
// holds only its own characters (Main-Bold, a few bold letters, not the 90 every face held),
// and a page fetches only the faces its formulas use, each with only that page's glyphs.

const FONT_PROPS = ['font-family', 'font-weight', 'font-style'];

/** `{ rules, faces }` from a KaTeX stylesheet: the rules that set a font property, and each @font-face. */
export function fontModel(css) {
  const faces = [];
  const rules = [];
  let order = 0;
  for (const [, prelude, body] of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const decls = declarations(body);
    if (prelude.trim() === '@font-face') {
      const src = /url\(([^)]+)\)/.exec(decls.src ?? '');
      if (!src) continue;
      faces.push({
        family: familyName(decls['font-family']),
        weight: weightOf(decls['font-weight'] ?? '400'),
        style: decls['font-style'] ?? 'normal',
        url: src[1].replace(/^["']|["']$/g, ''),
      });
      continue;
    }
    if (prelude.trim().startsWith('@')) continue;
    const props = fontProps(decls);
    if (!Object.keys(props).length) continue;
    for (const selector of prelude.split(',')) {
      const parsed = parseSelector(selector.trim());
      if (parsed) rules.push({ ...parsed, props, order: order++ });
    }
  }
  return { rules, faces };
}

function declarations(body) {
  const out = {};
  for (const decl of body.split(';')) {
    const colon = decl.indexOf(':');
    if (colon > 0) out[decl.slice(0, colon).trim()] = decl.slice(colon + 1).trim();
  }
  return out;
}

const familyName = (list) => list.split(',')[0].trim().replace(/^["']|["']$/g, '');
const weightOf = (w) => (w === 'bold' ? 700 : w === 'normal' ? 400 : Number(w));

/** font-family, font-weight and font-style, from the longhands or the `font` shorthand. */
function fontProps(decls) {
  const props = {};
  if (decls.font) {
    // KaTeX's one shorthand: `normal 1.21em KaTeX_Main,math,…` (style, weight: normal).
    const m = /^(?:(normal|italic|bold|\d00)\s+)*[\d.]+[a-z%]*(?:\/\S+)?\s+(.+)$/.exec(decls.font);
    if (!m) throw new Error(`katex.min.css: a font shorthand this build cannot read: ${decls.font}`);
    const words = decls.font.slice(0, decls.font.indexOf(m[2])).split(/\s+/);
    props['font-family'] = familyName(m[2]);
    props['font-style'] = words.includes('italic') ? 'italic' : 'normal';
    props['font-weight'] = words.includes('bold') ? 700 : Number(words.find((w) => /^\d00$/.test(w)) ?? 400);
  }
  if (decls['font-family']) props['font-family'] = familyName(decls['font-family']);
  if (decls['font-weight']) props['font-weight'] = weightOf(decls['font-weight']);
  if (decls['font-style']) props['font-style'] = decls['font-style'];
  return props;
}

/**
 * A selector of class compounds and type selectors joined by descendant or child
 * combinators (all KaTeX's font rules are), right to left; null for anything else
 * (pseudo-classes, attributes), which sets no font in KaTeX's stylesheet.
 */
function parseSelector(selector) {
  const parts = selector.replace(/\s*>\s*/g, ' > ').split(/\s+/);
  const compounds = [];
  let combinator = null;
  for (const part of parts) {
    if (part === '>') { combinator = '>'; continue; }
    const m = /^([a-z]+)?((?:\.[\w-]+)*)$/i.exec(part);
    if (!m || (!m[1] && !m[2])) return null;
    compounds.push({ tag: m[1] ?? null, classes: m[2].split('.').filter(Boolean), combinator: compounds.length ? (combinator ?? ' ') : null });
    combinator = null;
  }
  const specificity = compounds.reduce((s, c) => s + c.classes.length * 100 + (c.tag ? 1 : 0), 0);
  return { compounds: compounds.reverse(), specificity };
}

const compoundMatches = (c, el) => (!c.tag || c.tag === el.tag) && c.classes.every((k) => el.classes.includes(k));

/** Does the selector (right to left) match the last element of `path` (root first)? */
function matches(compounds, path, index = path.length - 1, k = 0) {
  if (!compoundMatches(compounds[k], path[index])) return false;
  if (k === compounds.length - 1) return true;
  // compounds[k].combinator joins compounds[k] to the one on its left, compounds[k + 1].
  if (compounds[k].combinator === '>') return index > 0 && matches(compounds, path, index - 1, k + 1);
  for (let i = index - 1; i >= 0; i--) if (matches(compounds, path, i, k + 1)) return true;
  return false;
}

/** The face the browser picks for (family, weight, style) among `faces` (CSS Fonts 4, §5.2). */
export function matchFace(faces, { family, weight, style }) {
  let pool = faces.filter((f) => f.family === family);
  if (!pool.length) return null;
  const styles = style === 'italic' ? ['italic', 'oblique', 'normal'] : style === 'oblique' ? ['oblique', 'italic', 'normal'] : ['normal', 'oblique', 'italic'];
  for (const s of styles) {
    const withStyle = pool.filter((f) => f.style === s);
    if (withStyle.length) { pool = withStyle; break; }
  }
  const weights = pool.map((f) => f.weight);
  const up = (from, to = Infinity) => weights.filter((w) => w >= from && w <= to).sort((x, y) => x - y);
  const down = (from) => weights.filter((w) => w <= from).sort((x, y) => y - x);
  const order = weight >= 400 && weight <= 500
    ? [...up(weight, 500), ...down(weight), ...up(500)]
    : weight < 400 ? [...down(weight), ...up(weight)] : [...up(weight), ...down(weight)];
  const pick = order[0];
  return pool.find((f) => f.weight === pick);
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

const decodeText = (s) =>
  s.replace(/&(lt|gt|amp|quot|#39|#x27|nbsp);|&#(x[0-9a-f]+|\d+);/gi, (m, named, num) => {
    if (named) return { lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'", '#x27': "'", nbsp: '\u00a0' }[named.toLowerCase()];
    return String.fromCodePoint(num[0] === 'x' || num[0] === 'X' ? parseInt(num.slice(1), 16) : Number(num));
  });

/**
 * The characters of KaTeX's HTML `html` (one formula) by the URL of the face that draws
 * them: `Map(url → Set(char))`. Text with no KaTeX face (none matches its family) is left out.
 */
export function glyphsByFace(html, model) {
  const out = new Map();
  const path = [];
  const styles = [];
  const root = { 'font-family': null, 'font-weight': 400, 'font-style': 'normal' };
  const current = () => styles[styles.length - 1] ?? root;
  for (const m of html.matchAll(/<(\/?)([a-z][a-z0-9]*)([^>]*?)(\/?)>|([^<]+)/gi)) {
    const [, close, tag, attrs, selfClose, text] = m;
    if (text !== undefined) {
      const s = current();
      const face = s['font-family'] && matchFace(model.faces, { family: s['font-family'], weight: s['font-weight'], style: s['font-style'] });
      if (!face) continue;
      let set = out.get(face.url);
      if (!set) out.set(face.url, (set = new Set()));
      for (const c of decodeText(text)) set.add(c);
      continue;
    }
    const name = tag.toLowerCase();
    if (close) {
      if (path.length && path[path.length - 1].tag === name) { path.pop(); styles.pop(); }
      continue;
    }
    const classes = (/\bclass="([^"]*)"/.exec(attrs)?.[1] ?? '').split(/\s+/).filter(Boolean);
    path.push({ tag: name, classes });
    const style = { ...current() };
    for (const prop of FONT_PROPS) {
      let best = null;
      for (const rule of model.rules) {
        if (!(prop in rule.props) || !matches(rule.compounds, path)) continue;
        if (!best || rule.specificity > best.specificity || (rule.specificity === best.specificity && rule.order > best.order)) best = rule;
      }
      if (best) style[prop] = best.props[prop];
    }
    styles.push(style);
    if (selfClose || VOID.has(name)) { path.pop(); styles.pop(); }
  }
  return out;
}

/** The class names a selector needs on the page to match anything (those inside :not() excepted). */
const requiredClasses = (selector) =>
  [...selector.replace(/:not\([^)]*\)/g, '').matchAll(/\.([\w-]+)/g)].map((m) => m[1]);

/**
 * KaTeX's stylesheet without its @font-face rules (each page declares the faces it uses,
 * subset to its glyphs) and without the selectors that name a class no page uses: only
 * build-time KaTeX runs, so the classes in the built pages are all there will ever be.
 */
export function purgeCss(css, usedClasses) {
  return css.replace(/([^{}]+)\{([^{}]*)\}/g, (rule, prelude, body) => {
    if (prelude.trim() === '@font-face') return '';
    const kept = prelude.split(',').filter((s) => requiredClasses(s).every((c) => usedClasses.has(c)));
    return kept.length ? `${kept.join(',')}{${body}}` : '';
  });
}

/** KaTeX's @font-face rules, by the URL of their woff2 (as in its stylesheet: `fonts/KaTeX_Main-Regular.woff2`). */
export function fontFaceRules(css) {
  const out = new Map();
  for (const [rule] of css.matchAll(/@font-face\{[^}]*\}/g)) {
    const url = /url\(([^)]+\.woff2)\)/.exec(rule);
    if (url) out.set(url[1].replace(/^["']|["']$/g, ''), rule);
  }
  return out;
}

/**
 * The letters FreeType's auto-hinter measures a font by, per script: the blue zones (the
 * heights of capitals, x-height, ascenders, descenders: FreeType's afblue.dat), the standard
 * stem widths ('o', 'O', '0': afscript.h) and the digits (whether they share one width).
 * Chromium on Linux hints with it, so a face that lacks some of these letters draws every
 * glyph a little differently: a page's subset of a face must keep those its old subset had.
 */
const HINTING_LETTERS = {
  latin: 'THEZOCQSHEZLOCUSfijkdbhuvxzoescnrxzoescpqgjyoO0123456789',
  greek: 'ΓΒΕΖΘΟΩΒΔΖΞΘΟβθδζλξαειοπστωβγημρφχψοΟ',
  cyrillic: 'БВЕПЗОСЭБВЕШЗОСЭхпншезосруфоО',
};

const SCRIPT_RANGES = { greek: /[\u0370-\u03ff\u1f00-\u1fff]/u, cyrillic: /[\u0400-\u04ff]/u };

/**
 * The characters to keep in a page's subset of one face: those it draws (`chars`), and the
 * auto-hinter's letters that the site draws anywhere (`siteChars`) for each script the page
 * draws with this face (Latin always: symbols and digits are hinted as Latin). Every page's
 * glyphs then hint as they did when each face held all the site's characters.
 */
export function subsetCharacters(chars, siteChars) {
  const keep = new Set(chars);
  const scripts = ['latin', ...Object.keys(SCRIPT_RANGES).filter((s) => [...chars].some((c) => SCRIPT_RANGES[s].test(c)))];
  for (const script of scripts) for (const c of HINTING_LETTERS[script]) if (siteChars.has(c)) keep.add(c);
  return keep;
}

/** The auto-hinter's letters among `siteChars`, as a string: what every page's subsets keep of them. */
export const hintingLetters = (siteChars) =>
  [...new Set(Object.values(HINTING_LETTERS).join(''))].filter((c) => siteChars.has(c)).sort().join('');

// ---- compacting KaTeX's HTML --------------------------------------------------------------

/** The class names that some selector of `css` names. */
export const classesNamed = (css) =>
  new Set([...css.replace(/\{[^{}]*\}/g, ',').matchAll(/\.([A-Za-z_][\w-]*)/g)].map((m) => m[1]));

/**
 * KaTeX's HTML for one formula made smaller, drawing the same: the class names that no
 * stylesheet names dropped (`mord`, `mrel`, `mopen`, `mtight`: KaTeX's record of what each
 * atom is, which its stylesheet never reads; a class attribute left empty goes too), and
 * style values shortened (`margin-right:0.2778em;` → `margin-right:.2778em`). `keep`: the
 * class names any stylesheet or script uses.
 *
 * The spans those classes leave bare stay: unwrapping them (a third fewer elements) moved
 * glyphs by a fraction of a pixel in Chromium, even around elements only.
 */
export function compactFormula(html, keep) {
  return html
    .replace(/ class="([^"]*)"/g, (_, list) => {
      const kept = list.split(/\s+/).filter((c) => c && keep.has(c)).join(' ');
      return kept ? ` class="${kept}"` : '';
    })
    .replace(/ style="([^"]*)"/g, (_, style) => ` style="${style.replace(/;$/, '').replace(/(^|[^\w.])0\.(\d)/g, '$1.$2')}"`);
}

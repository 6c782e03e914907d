// The architecture's invariants (ARCHITECTURE.md), checked from the source text. Each failure
// lists every offending file:line. No build needed: these read files only.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WASM_SRC = 'crates/calculus-wasm/src';
const CHART = `${WASM_SRC}/chart`;
const MAX_CHART_FILE_LINES = 500;
const MAX_DRAW_FN_LINES = 60;

/** Files under `dir` (relative to the repository, '/'-separated), recursively, sorted. */
function filesUnder(dir, ext = '') {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? filesUnder(`${dir}/${d.name}`, ext) : d.name.endsWith(ext) ? [`${dir}/${d.name}`] : []))
    .sort();
}

const read = (file) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** 1-based line number of character `index` of `text`. */
const lineAt = (text, index) => text.slice(0, index).split('\n').length;

/**
 * Splits Rust or JS source into `code` (the same text with comments and the contents of string
 * literals blanked to spaces, newlines kept, so indices and lines still match) and `strings`
 * ([{ start, text }]: each string literal's contents and where they start). Rough but adequate:
 * handles //, nested /* *\/, escapes, Rust raw strings and char literals vs lifetimes, JS
 * template literals (their ${...} counted as string) and JS regex literals.
 */
function scan(source, lang) {
  const out = source.split('');
  const strings = [];
  const blank = (from, to) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  const n = source.length;
  let i = 0;
  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      // Rust block comments nest; JS ones end at the first */.
      let depth = 1;
      let j = i + 2;
      while (depth > 0 && j < n) {
        if (lang === 'rs' && source.startsWith('/*', j)) (depth++, (j += 2));
        else if (source.startsWith('*/', j)) (depth--, (j += 2));
        else j++;
      }
      blank(i, j);
      i = j;
    } else if (lang === 'rs' && c === 'r' && /^r#*"/.test(source.slice(i, i + 10)) && /^b?$/.test(/\w*$/.exec(source.slice(Math.max(0, i - 2), i))[0])) {
      const hashes = /^r(#*)"/.exec(source.slice(i, i + 10))[1];
      const open = i + 2 + hashes.length;
      const close = source.indexOf('"' + hashes, open);
      const end = close < 0 ? n : close;
      strings.push({ start: open, text: source.slice(open, end) });
      blank(open, end);
      i = end + 1 + hashes.length;
    } else if (c === '"' || (lang === 'js' && (c === "'" || c === '`'))) {
      let j = i + 1;
      while (j < n && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
      strings.push({ start: i + 1, text: source.slice(i + 1, j) });
      blank(i + 1, j);
      i = j + 1;
    } else if (lang === 'rs' && c === "'") {
      // A char literal ('x', '\n', '\u{1F600}') or a lifetime ('a): only the first closes.
      const m = /^'(\\u\{[0-9a-fA-F]+\}|\\.|[^\\'])'/.exec(source.slice(i, i + 12));
      if (m) blank(i + 1, i + m[0].length - 1);
      i += m ? m[0].length : 1;
    } else if (lang === 'js' && c === '/' && /[(,=:[!&|?{};]\s*$|^\s*$|return\s*$/.test(source.slice(source.lastIndexOf('\n', i - 1) + 1, i))) {
      // A regex literal: skip to its closing slash (character classes may hold one).
      let j = i + 1;
      let inClass = false;
      while (j < n && source[j] !== '\n' && (inClass || source[j] !== '/')) {
        if (source[j] === '\\') j++;
        else if (source[j] === '[') inClass = true;
        else if (source[j] === ']') inClass = false;
        j++;
      }
      blank(i + 1, j);
      i = j + 1;
    } else i++;
  }
  return { code: out.join(''), strings };
}

const scanned = new Map();
function scanFile(file) {
  if (!scanned.has(file)) {
    const source = read(file);
    scanned.set(file, { source, ...scan(source, file.endsWith('.rs') ? 'rs' : 'js') });
  }
  return scanned.get(file);
}

/** `file:line: what` for every match of `re` (global) in the file's code (not comments, not strings). */
function inCode(file, re, what) {
  const { code } = scanFile(file);
  return [...code.matchAll(re)].map((m) => `${file}:${lineAt(code, m.index)}: ${what(m)}`);
}

/** `file:line: what` for every match of `re` (global) inside the file's string literals. */
function inStrings(file, re, what) {
  const { source, strings } = scanFile(file);
  return strings.flatMap((s) => [...s.text.matchAll(re)].map((m) => `${file}:${lineAt(source, s.start + m.index)}: ${what(m)}`));
}

/** Fails listing every violation, one per line. */
function expectNone(found, rule) {
  const violations = [...new Set(found)]; // one line per place, however many matches it holds
  if (violations.length) assert.fail(`${rule}: ${violations.length} violation(s)\n  ${violations.join('\n  ')}`);
}

const WEB_CRATES = /\b(wasm[-_]bindgen|js[-_]sys|web[-_]sys)\b/g;

test('crates/calculus does not depend on wasm-bindgen, js-sys or web-sys', () => {
  const manifest = 'crates/calculus/Cargo.toml';
  const violations = read(manifest)
    .split('\n')
    .flatMap((line, k) => (line.replace(/#.*/, '').match(WEB_CRATES) ? [`${manifest}:${k + 1}: ${line.trim()}`] : []));
  for (const file of filesUnder('crates/calculus/src', '.rs')) violations.push(...inCode(file, WEB_CRATES, (m) => `uses ${m[0]}`));
  expectNone(violations, 'the maths crate must stay free of wasm and web crates');
});

test('JS values are read only in the boundary module convert/ (no Reflect, no js_sys::)', () => {
  const BOUNDARY = `${WASM_SRC}/convert/`;
  assert.ok(filesUnder(BOUNDARY, '.rs').length > 0, `${BOUNDARY} holds the boundary`);
  const violations = filesUnder(WASM_SRC, '.rs')
    .filter((file) => !file.startsWith(BOUNDARY))
    .flatMap((file) => inCode(file, /\bReflect\b|\bjs_sys::/g, (m) => `${m[0]} outside convert/`));
  expectNone(violations, 'only crates/calculus-wasm/src/convert/ may touch JS values');
});

const HEX_COLOUR = /#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})(?![\w-])/g;
const RGB_FUNCTION = /\brgba?\(/g;

test('every chart colour comes from chart/theme.rs', () => {
  const violations = filesUnder(WASM_SRC, '.rs')
    .filter((file) => file !== `${CHART}/theme.rs`)
    .flatMap((file) => [
      // RGBColor(12, 34, 56) and friends with literal components; plotters' named colours
      ...inCode(file, /\b(?:RGBColor|RGBAColor|HSLColor)\s*\(\s*[\d.]/g, (m) => `colour literal ${m[0]}…)`),
      ...inCode(file, /\b(?:BLACK|WHITE|RED|GREEN|BLUE|CYAN|MAGENTA|YELLOW)\b/g, (m) => `plotters named colour ${m[0]}`),
      ...inStrings(file, HEX_COLOUR, (m) => `colour string "${m[0]}"`),
      ...inStrings(file, RGB_FUNCTION, (m) => `colour format string "${m[0]}"`),
    ]);
  expectNone(violations, 'colour literal outside crates/calculus-wasm/src/chart/theme.rs');
});

test('the widgets hold no colour literals (their CSS colours come from the theme)', () => {
  const violations = filesUnder('web', '.js').flatMap((file) => [
    ...inStrings(file, HEX_COLOUR, (m) => `hex colour ${m[0]}`),
    ...inStrings(file, RGB_FUNCTION, (m) => `colour ${m[0]}…)`),
  ]);
  expectNone(violations, 'colour literal in web/*.js');
});

test(`no chart module is longer than ${MAX_CHART_FILE_LINES} lines`, () => {
  const violations = filesUnder(CHART, '.rs').flatMap((file) => {
    const lines = read(file).split('\n').length - (read(file).endsWith('\n') ? 1 : 0);
    return lines > MAX_CHART_FILE_LINES ? [`${file}:${lines}: ${lines} lines (at most ${MAX_CHART_FILE_LINES})`] : [];
  });
  expectNone(violations, 'chart module too long');
});

test(`no draw function in chart/ is longer than ${MAX_DRAW_FN_LINES} lines`, () => {
  const violations = [];
  for (const file of filesUnder(CHART, '.rs')) {
    const { code } = scanFile(file);
    for (const m of code.matchAll(/\bfn\s+(draw\w*)/g)) {
      // The body runs from the first `{` after the name to its matching `}` (a `;` first: no body).
      const open = code.slice(m.index).search(/[{;]/) + m.index;
      if (code[open] !== '{') continue;
      let depth = 0;
      let k = open;
      for (; k < code.length; k++) {
        if (code[k] === '{') depth++;
        else if (code[k] === '}' && --depth === 0) break;
      }
      const first = lineAt(code, m.index);
      const lines = lineAt(code, k) - first + 1;
      if (lines > MAX_DRAW_FN_LINES) violations.push(`${file}:${first}: fn ${m[1]} is ${lines} lines (at most ${MAX_DRAW_FN_LINES})`);
    }
  }
  expectNone(violations, 'draw function too long');
});

test('the drawing crate allows no clippy::too_many_arguments', () => {
  const violations = filesUnder(WASM_SRC, '.rs').flatMap((file) =>
    inCode(file, /#!?\[\s*allow\s*\([^)]*clippy::too_many_arguments/g, () => 'allow(clippy::too_many_arguments)'),
  );
  expectNone(violations, 'too_many_arguments allowed');
});

/**
 * The files the codemap of ARCHITECTURE.md names. A line starting in column 0 and ending in `/`
 * opens a section (`crates/calculus/`, `web/`); names on the following lines are relative to it;
 * a bare name after `src/chart/explorer.rs, ` on the same line is in that same folder. Globs
 * (`calc-*.js`) name no file.
 */
function codemapFiles() {
  const doc = read('ARCHITECTURE.md');
  const block = /## Codemap[\s\S]*?\n```[^\n]*\n([\s\S]*?)\n```/.exec(doc);
  assert.ok(block, 'ARCHITECTURE.md has a "## Codemap" section with a ``` block');
  const named = new Set();
  let section = '';
  for (const line of block[1].split('\n')) {
    const head = /^(\S+\/)(\s|$)/.exec(line);
    if (head) section = head[1];
    let folder = '';
    for (const m of line.matchAll(/(?<![\w*/.-])((?:[\w.-]+\/)*)([\w.-]+\.\w+)(?![\w*])/g)) {
      if (m[1]) folder = m[1];
      named.add(`${head && m.index === 0 ? '' : section}${folder}${m[2]}`);
    }
  }
  return named;
}

test("ARCHITECTURE.md's codemap names every file under crates/*/src and web/", () => {
  const named = codemapFiles();
  const crates = fs.readdirSync(path.join(ROOT, 'crates')).filter((c) => fs.statSync(path.join(ROOT, 'crates', c)).isDirectory());
  const files = [...crates.flatMap((c) => filesUnder(`crates/${c}/src`)), ...filesUnder('web')];
  const violations = files.filter((f) => !named.has(f)).map((f) => `${f}:1: not in the codemap of ARCHITECTURE.md`);
  expectNone(violations, 'file missing from the codemap');
});

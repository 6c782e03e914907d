// What each wasm build weighs, gzipped and Brotli'd, and what in it weighs most (issue 16):
// twiggy's top items by retained size, read from the same build with its function names kept
// (build/names/, written by scripts/build.mjs beside each shipped build and optimised alike).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { WASM_BUILDS } from '../scripts/wasm-builds.mjs';

const TOP = 8;

/** Gzip (level 9) and Brotli (quality 11) sizes of `bytes`, as a server would send them. */
export function compressed(bytes) {
  return {
    gzip: zlib.gzipSync(bytes, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Items that only point at code counted elsewhere, or the names section itself. */
const bookkeeping = (name) => /^(export |import |table\[|elem\[|"function names")/.test(name);

/** Every build: `{ name, raw, gzip, brotli, parts: { first, later } | null, top: [{ name, retained, percent }] | null, note }`. */
export function measureBuilds(root) {
  const twiggy = spawnSync('twiggy', ['--version'], { encoding: 'utf8' }).status === 0;
  return WASM_BUILDS.map(({ name, later }) => {
    const file = path.join(root, 'build', 'pkg', `${name}_bg.wasm`);
    if (!fs.existsSync(file)) return { name, note: 'not built' };
    // A split build (crates/wasm-split) is its first module, what a page fetches at once, and
    // its later one: measured apart, and the build as their sum.
    const laterFile = path.join(root, 'build', 'pkg', `${name}_later_bg.wasm`);
    const parts = later && fs.existsSync(laterFile)
      ? { first: compressed(fs.readFileSync(file)), later: compressed(fs.readFileSync(laterFile)) }
      : null;
    const bytes = parts ? Buffer.concat([fs.readFileSync(file), fs.readFileSync(laterFile)]) : fs.readFileSync(file);
    const named = path.join(root, 'build', 'names', `${name}_bg.wasm`);
    let top = null;
    let note = '';
    if (!twiggy) note = 'install twiggy (cargo install twiggy) for its top items';
    else if (!fs.existsSync(named)) note = 'no named copy: npm run build writes build/names/';
    else {
      const run = spawnSync('twiggy', ['top', '--retained', '-f', 'json', named], { encoding: 'utf8', maxBuffer: 64 << 20 });
      if (run.status !== 0) note = `twiggy failed: ${run.stderr.trim().split('\n').pop()}`;
      else {
        const items = JSON.parse(run.stdout);
        const total = items.reduce((s, i) => s + i.shallow_size, 0);
        const names = items.find((i) => bookkeeping(i.name) && i.name.startsWith('"function names"'))?.shallow_size ?? 0;
        top = items
          .filter((i) => !bookkeeping(i.name))
          .slice(0, TOP)
          // Percent of the shipped module: the names section is not shipped.
          .map((i) => ({ name: i.name.replace(/::h[0-9a-f]{16}$/, ''), retained: i.retained_size, percent: (100 * i.retained_size) / (total - names) }));
      }
    }
    // Two files, each compressed as served: the sum of the parts, not one stream of both.
    const sizes = parts
      ? { gzip: parts.first.gzip + parts.later.gzip, brotli: parts.first.brotli + parts.later.brotli }
      : compressed(bytes);
    return { name, raw: bytes.length, ...sizes, parts, top, note };
  });
}

/** The report's lines, under `table` (bench/run.mjs's) and `fmtKB`. */
export function reportBuilds(builds, { table, fmtKB }) {
  const out = ['wasm builds (build/pkg): shipped sizes, and each one\'s top items by retained size (twiggy, names from build/names)'];
  out.push(table(builds.map((b) => [b.name, b.raw ? fmtKB(b.raw) : '—', b.gzip ? fmtKB(b.gzip) : '—', b.brotli ? fmtKB(b.brotli) : '—',
    b.parts ? `${fmtKB(b.parts.first.gzip)} + ${fmtKB(b.parts.later.gzip)}` : '']), ['build', 'raw', 'gzip', 'brotli', 'first + later (gzip)']));
  for (const b of builds) {
    if (!b.top) {
      if (b.note) out.push('', `${b.name}: ${b.note}`);
      continue;
    }
    out.push('', `${b.name}: top ${b.top.length} items`);
    out.push(table(b.top.map((i) => [i.name.length > 90 ? i.name.slice(0, 89) + '…' : i.name, fmtKB(i.retained), i.percent.toFixed(1) + ' %']), ['item', 'retained', 'of build'], 'lrr'));
  }
  return out;
}

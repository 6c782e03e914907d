// Stamps: what a build step read, so that a step whose inputs are unchanged (and whose outputs
// exist) is skipped. The five wasm builds share one cargo target directory with different
// features, so cargo recompiles calculus-wasm for each of them every time; a stamp per build
// skips cargo, wasm-bindgen and wasm-opt altogether when none of that build's sources changed.
//
// A stamp is JSON: { key, optimised, inputs: { file: { size, mtimeMs, sha1 } } }. `key` holds
// what is not a file (the command's features, the toolchain's version); `inputs` the files the
// step read: the source files cargo's dep-info lists for that build (only the files that
// build compiled, so a chart behind a feature is an input of the builds with that feature
// only) plus the manifests, Cargo.lock and .cargo/config.toml.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The files a Makefile-style dep-info file (cargo's `<target>.d`) lists as prerequisites of
 * its first rule. Escaped spaces (`\ `) stay in names; `# env-dep:` comments are ignored.
 */
export function parseDepInfo(text) {
  const rule = text.split('\n').filter((l) => l && !l.startsWith('#')).join('\n').replace(/\\\n/g, ' ');
  const first = rule.split('\n')[0] ?? '';
  // The target ends at the first ': ' (a Windows drive letter's colon is followed by a slash).
  const colon = first.search(/:(\s|$)/);
  if (colon < 0) return [];
  const deps = [];
  let current = '';
  const rest = first.slice(colon + 1);
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '\\' && rest[i + 1] === ' ') { current += ' '; i++; continue; }
    if (c === ' ' || c === '\t') { if (current) deps.push(current); current = ''; continue; }
    current += c;
  }
  if (current) deps.push(current);
  return deps;
}

const sha1 = (file) => createHash('sha1').update(readFileSync(file)).digest('hex');

/** The fingerprint of each file, relative to `root` when inside it; a missing file is null. */
export function fingerprint(files, root) {
  const inputs = {};
  for (const file of [...new Set(files)].sort()) {
    const abs = path.resolve(root, file);
    const rel = path.relative(root, abs);
    const name = rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
    try {
      const st = statSync(abs);
      inputs[name] = { size: st.size, mtimeMs: st.mtimeMs, sha1: sha1(abs) };
    } catch {
      inputs[name] = null;
    }
  }
  return inputs;
}

/**
 * Why the step stamped in `stampFile` must run again (a short reason), or null when it need
 * not: same key, every input the same (same size and mtime, or else the same content: a file
 * saved without a change does not count) and every output present.
 */
export function staleReason(stampFile, { key, outputs = [], root }) {
  if (!existsSync(stampFile)) return 'never built';
  let stamp;
  try { stamp = JSON.parse(readFileSync(stampFile, 'utf8')); } catch { return 'unreadable stamp'; }
  if (JSON.stringify(stamp.key) !== JSON.stringify(key)) return 'settings changed';
  for (const out of outputs) if (!existsSync(path.resolve(root, out))) return `${out} missing`;
  for (const [name, was] of Object.entries(stamp.inputs ?? {})) {
    const abs = path.resolve(root, name);
    let st = null;
    try { st = statSync(abs); } catch { /* missing */ }
    if (!was || !st) { if (was || st) return `${name} ${st ? 'appeared' : 'removed'}`; continue; }
    if (st.size === was.size && st.mtimeMs === was.mtimeMs) continue;
    if (st.size !== was.size || sha1(abs) !== was.sha1) return `${name} changed`;
  }
  return null;
}

export function readStamp(stampFile) {
  try { return JSON.parse(readFileSync(stampFile, 'utf8')); } catch { return null; }
}

export function writeStamp(stampFile, { key, inputs, ...rest }) {
  mkdirSync(path.dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, JSON.stringify({ key, ...rest, inputs }, null, 1) + '\n');
}

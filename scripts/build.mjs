// `npm run build`: the wasm module and the book's facts (build/pkg), then the static site (dist/).
//
// Each wasm build and the facts are stamped (scripts/stamp.mjs, build/stamps/): a build whose
// sources are unchanged runs no cargo, wasm-bindgen or wasm-opt, so a no-change build is the
// site alone. `npm start` calls the same functions with `optimise: false` (no wasm-opt in the
// authoring loop); the release build runs wasm-opt on any build the loop left unoptimised.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, setup } from "./setup.mjs";
import { WASM_BUILDS, buildsModule, cargoArgs, laterClasses } from "./wasm-builds.mjs";
import { fingerprint, parseDepInfo, readStamp, staleReason, writeStamp } from "./stamp.mjs";

const PKG = path.join(ROOT, "build", "pkg");
const STAMPS = path.join(ROOT, "build", "stamps");
/** Each wasm build with its names kept, for the bench's size report (scripts/build.mjs). */
export const NAMES = path.join(ROOT, "build", "names");
/** A build with `later` charts whole, optimised, before crates/wasm-split cuts it in two. */
const WHOLE = path.join(ROOT, "build", "whole");
const SPLITTER_SOURCE = path.join(ROOT, "crates", "wasm-split", "src", "main.rs");
const WASM_TARGET = path.join(ROOT, "target", "wasm32-unknown-unknown", "release");

/**
 * Runs a command in the project root without blocking the event loop (the dev server keeps
 * serving meanwhile); its output is streamed. Rejects when it fails, with cargo's and rustc's
 * `file:line` error lines in the message (`error.details`), for the terminal and the page.
 */
export function runAsync(cmd, args, { quiet = false } = {}) {
  if (!quiet) console.log(`$ ${cmd} ${args.join(" ")}`);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "inherit", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => { process.stderr.write(d); err += d; });
    child.on("error", (e) => reject(new Error(`could not run ${cmd}: ${e.message}`)));
    child.on("close", (code) => {
      if (code === 0) return resolve();
      const e = new Error(`${path.basename(cmd)} ${args.join(" ")} failed (exit ${code})`);
      e.details = compilerErrors(err);
      reject(e);
    });
  });
}

/** rustc's errors as `file:line:col: error…` lines, from its human or short output. */
export function compilerErrors(stderr) {
  const out = [];
  const lines = stderr.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const short = /^(\S+\.rs:\d+:\d+): (error.*)$/.exec(lines[i]);
    if (short) { out.push(`${short[1]}: ${short[2]}`); continue; }
    const head = /^(error(\[\w+\])?: .*)$/.exec(lines[i]);
    const at = head && /^\s*--> (\S+:\d+:\d+)/.exec(lines[i + 1] ?? "");
    if (head && at) out.push(`${at[1]}: ${head[1]}`);
  }
  return out.length ? out.join("\n") : stderr.trim().split("\n").slice(-12).join("\n");
}

/** What every Rust build reads besides its sources: manifests, lock file, cargo settings. */
function manifests() {
  const crates = readdirSync(path.join(ROOT, "crates")).map((c) => path.join("crates", c, "Cargo.toml"));
  return ["Cargo.toml", "Cargo.lock", ".cargo/config.toml", ...crates].filter((f) => existsSync(path.join(ROOT, f)));
}

let toolchain = null;
function toolchainKey() {
  toolchain ??= {
    rustc: execFileSync("rustc", ["-V"], { encoding: "utf8" }).trim(),
    rustflags: process.env.RUSTFLAGS ?? "",
    cargoRustflags: process.env.CARGO_ENCODED_RUSTFLAGS ?? "",
  };
  return toolchain;
}

/** The stamp of one step, after it ran: the dep-info's files (read now) and the manifests. */
function stampAfter(stampFile, key, depInfo, startedAt, extra = {}) {
  const deps = parseDepInfo(readFileSync(depInfo, "utf8"));
  const inputs = fingerprint([...deps, ...manifests()], ROOT);
  // A file saved while the build ran may have been read before the edit: never trust it.
  for (const fp of Object.values(inputs)) if (fp && fp.mtimeMs >= startedAt) Object.assign(fp, { mtimeMs: -1, sha1: "edited during the build" });
  writeStamp(stampFile, { key, ...extra, inputs });
}

const wasmStamp = (name) => path.join(STAMPS, `wasm-${name}.json`);
// The wasm-opt passes are part of the key: new passes optimise every build again. So are a
// split build's later charts, the splitter's source and what it appends to the glue.
const wasmKey = (build) => ({
  features: cargoArgs(build), wasmOpt: WASM_OPT, ...toolchainKey(),
  ...(build.later ? { later: laterClasses(build), splitter: createHash("sha1").update(readFileSync(SPLITTER_SOURCE)).update(JOIN_LATER).digest("hex") } : {}),
});
const wasmOutputs = ({ name, later }) => [`build/pkg/${name}.js`, `build/pkg/${name}_bg.wasm`, `build/names/${name}_bg.wasm`,
  ...(later ? [`build/pkg/${name}_later_bg.wasm`, `build/whole/${name}_bg.wasm`] : [])];

/**
 * The wasm builds that must run and why: `[{ build, reason }]`; a build whose stamp is fresh is
 * absent, or present with `reason: "not optimised"` when only wasm-opt is missing.
 */
export function planWasm({ optimise = true } = {}) {
  const plan = [];
  for (const build of WASM_BUILDS) {
    const reason = staleReason(wasmStamp(build.name), { key: wasmKey(build), outputs: wasmOutputs(build), root: ROOT });
    if (reason) plan.push({ build, reason });
    else if (optimise && !readStamp(wasmStamp(build.name))?.optimised) plan.push({ build, reason: "not optimised" });
  }
  return plan;
}

/** Builds the wasm builds whose sources changed; returns the names of those it (re)wrote. */
export async function buildWasm({ optimise = true, shortErrors = false } = {}) {
  splitterBuilt = null; // the authoring loop's next run builds it again, should its source have changed
  mkdirSync(PKG, { recursive: true });
  const plan = planWasm({ optimise });
  const fresh = WASM_BUILDS.length - plan.length;
  if (fresh) console.log(`wasm: ${fresh} of ${WASM_BUILDS.length} builds unchanged (${WASM_BUILDS.filter((b) => !plan.some((p) => p.build === b)).map((b) => b.name).join(", ")})`);
  const done = [];
  for (const { build, reason } of plan) {
    const { name } = build;
    console.log(`wasm: ${name}: ${reason}`);
    const stampFile = wasmStamp(name);
    // A split build's whole module waits in build/whole/ for the splitter.
    const wasm = path.join(build.later ? WHOLE : PKG, `${name}_bg.wasm`);
    const named = path.join(NAMES, `${name}_bg.wasm`);
    if (reason === "not optimised") {
      await Promise.all([wasmOpt(wasm), existsSync(named) && wasmOpt(named, ["--debuginfo"])]);
      if (build.later) await splitLater(build);
      writeStamp(stampFile, { ...readStamp(stampFile), optimised: true, ...shippedBytes(build) });
      done.push(name);
      continue;
    }
    const startedAt = Date.now() - 1000; // mtime granularity
    // --lib: the package's native programs (book-facts) are not built for the browser.
    await runAsync("cargo", ["build", "--release", "--target", "wasm32-unknown-unknown", "-p", "calculus-wasm", "--lib", ...cargoArgs(build),
      ...(shortErrors ? ["--message-format=short"] : [])]);
    const raw = path.join(WASM_TARGET, "calculus_wasm.wasm");
    await runAsync("wasm-bindgen", [raw, "--out-dir", PKG, "--out-name", name, "--target", "web", "--remove-name-section"]);
    // The same module with its function names, never shipped: what the bench's size report
    // reads (twiggy), optimised alike so that its sizes are the shipped ones.
    await runAsync("wasm-bindgen", [raw, "--out-dir", NAMES, "--out-name", name, "--target", "web"], { quiet: true });
    if (build.later) {
      mkdirSync(WHOLE, { recursive: true });
      renameSync(path.join(PKG, `${name}_bg.wasm`), wasm);
    }
    if (optimise) await Promise.all([wasmOpt(wasm), wasmOpt(named, ["--debuginfo"])]);
    if (build.later) await splitLater(build);
    stampAfter(stampFile, wasmKey(build), path.join(WASM_TARGET, "calculus_wasm.d"), startedAt, { optimised: optimise, ...shippedBytes(build) });
    done.push(name);
  }
  writeBuildsModule();
  return done;
}

/**
 * build/pkg/builds.js: every wasm build with the charts it holds and its gzipped size, and
 * the charts each element needs, for web/loader.js to pick the smallest build that draws a
 * page's elements. Each build's glue is a dynamic import, so a post fetches only the one it
 * picks; a book page's bundle replaces this module by its one build (build-site.mjs).
 * Written only when it changes, so that an unchanged build bundles nothing again.
 */
function writeBuildsModule() {
  const builds = WASM_BUILDS.map((b) => ({ name: b.name, features: b.features, later: b.later, ...shippedSize(b) })).sort((a, b) => a.bytes - b.bytes);
  const text = buildsModule(builds, {
    // As on <img>: a post's widgets are fetched and drawn when they near the viewport.
    loading: "lazy",
    glueImport: (name) => `import("./${name}.js")`,
    head: ["// Written by scripts/build.mjs (writeBuildsModule): the wasm builds, smallest first."],
  });
  const file = path.join(PKG, "builds.js");
  if (!existsSync(file) || readFileSync(file, "utf8") !== text) writeFileSync(file, text);
}

/** The gzipped size of a wasm file. */
const gzippedSize = (wasm) => gzipSync(readFileSync(wasm), { level: 9 }).length;

/**
 * What a build costs a page, gzipped, kept in its stamp for writeBuildsModule: `bytes`, all of
 * it, and for a split build `first`, its first module alone (a page none of whose elements
 * draws a later chart fetches no more).
 */
function shippedBytes({ name, later }) {
  const first = gzippedSize(path.join(PKG, `${name}_bg.wasm`));
  return later ? { bytes: first + gzippedSize(path.join(PKG, `${name}_later_bg.wasm`)), first } : { bytes: first };
}

/**
 * Cuts a build with `later` charts in two (crates/wasm-split): build/whole/<name>_bg.wasm
 * becomes build/pkg/<name>_bg.wasm, what a page fetches at once, and <name>_later_bg.wasm, the
 * code only those charts reach, which imports the first's memory and functions. The glue gets
 * `joinLater(module)`, with which web/loader.js adds the second once a later chart starts.
 */
async function splitLater(build) {
  const { name } = build;
  splitterBuilt ??= runAsync("cargo", ["build", "--release", "--quiet", "-p", "wasm-split"]);
  await splitterBuilt;
  const exe = path.join(ROOT, "target", "release", process.platform === "win32" ? "wasm-split.exe" : "wasm-split");
  await runAsync(exe, [path.join(WHOLE, `${name}_bg.wasm`), path.join(PKG, `${name}_bg.wasm`), path.join(PKG, `${name}_later_bg.wasm`), ...laterClasses(build)]);
  // wasm-bindgen's glue, less what an earlier split appended (a build made unoptimised and
  // split in the authoring loop is split again once optimised).
  const glue = path.join(PKG, `${name}.js`);
  const text = readFileSync(glue, "utf8");
  const at = text.indexOf(JOIN_LATER_MARK);
  writeFileSync(glue, `${at < 0 ? text : text.slice(0, at)}${JOIN_LATER}`);
}

/** The splitter's cargo build, once for all the split builds of a run of buildWasm. */
let splitterBuilt = null;

const JOIN_LATER_MARK = "\n/** Adds the later module";

/**
 * Appended to a split build's glue, inside it because it needs the glue's own imports and its
 * `wasm`: the later module is instantiated against the first's exports, and its exports join
 * them, so that the glue's classes for the later charts find their functions.
 */
const JOIN_LATER = `
/** Adds the later module (scripts/build.mjs splitLater) to the first, instantiated. */
export function joinLater(module) {
    if (wasm === undefined) throw new Error("the first wasm module is not instantiated yet");
    const instance = new WebAssembly.Instance(module, { ...__wbg_get_imports(), first: wasm });
    wasm = { ...wasm, ...instance.exports };
}
`;

/** A build's gzipped size from its stamp, measured (and stamped) once if the stamp predates it. */
function shippedSize(build) {
  const stamp = readStamp(wasmStamp(build.name));
  if (stamp?.bytes && (!build.later || stamp.first)) return { bytes: stamp.bytes, ...(build.later ? { first: stamp.first } : {}) };
  if (!stamp || !wasmOutputs(build).every((f) => existsSync(path.join(ROOT, f)))) return { bytes: Infinity };
  const sizes = shippedBytes(build);
  writeStamp(wasmStamp(build.name), { ...stamp, ...sizes });
  return sizes;
}

/**
 * build/pkg/book.js: the book's facts (crates/calculus-wasm/src/book/) and the widgets' CSS
 * colours (chart/theme.rs), written by a native program from the Rust, for the widgets to
 * import as `../pkg/book.js`, like their wasm glue. No fact is written in web/ again.
 * Returns whether it ran (false: its sources are unchanged).
 */
export async function buildFacts({ shortErrors = false } = {}) {
  mkdirSync(PKG, { recursive: true });
  const reason = factsStale();
  if (!reason) return false;
  console.log(`book-facts: ${reason}`);
  const startedAt = Date.now() - 1000;
  await runAsync("cargo", ["run", "-q", "-p", "calculus-wasm", "--bin", "book-facts", ...(shortErrors ? ["--message-format=short"] : []),
    "--", path.join(PKG, "book.js")]);
  stampAfter(FACTS_STAMP, toolchainKey(), path.join(ROOT, "target", "debug", "book-facts.d"), startedAt);
  return true;
}

const FACTS_STAMP = path.join(STAMPS, "book-facts.json");

/** Why book.js must be written again, or null. */
export function factsStale() {
  return staleReason(FACTS_STAMP, { key: toolchainKey(), outputs: ["build/pkg/book.js"], root: ROOT });
}

/** wasm-opt's passes for every build (and its named copy, so that the size report matches). */
export const WASM_OPT = ["-Oz", "--gufa", "-Oz"];

async function wasmOpt(wasm, flags = []) {
  const before = statSync(wasm).size;
  // binaryen from npm: Debian's wasm-opt (108) predates the reference-types table that
  // wasm-bindgen 0.2.130 emits and produces a module that fails to instantiate.
  const bin = path.join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "wasm-opt.cmd" : "wasm-opt");
  if (spawnSync(bin, ["--version"], { stdio: "ignore" }).status === 0) {
    // -Oz, then GUFA (whole-program flow analysis: constants and types it proves, calls it
    // removes) and -Oz again on what that frees: 0.6 KB gzipped more than -Oz alone on
    // calculus-descent; --converge and a second -Oz alone gave 0.4 (ARCHITECTURE.md).
    await runAsync(bin, [...WASM_OPT, ...flags, wasm, "-o", wasm]);
    console.log(`wasm-opt: ${path.relative(ROOT, wasm)} ${before} → ${statSync(wasm).size} bytes`);
  } else {
    console.log(`wasm-opt not found; shipping wasm-bindgen's output (${before} bytes).`);
  }
}

export async function build({ optimise = true } = {}) {
  const t0 = performance.now();
  await buildWasm({ optimise });
  await buildFacts();
  const { buildSite } = await import("./build-site.mjs");
  const site = await buildSite({ outDir: path.join(ROOT, "dist"), pkgDir: PKG });
  console.log(`search index: ${site.search.pages.length} pages, ${site.search.indexed ? `made in ${Math.round(site.search.ms)} ms` : "unchanged"}`);
  // The npm package (build/npm): the full wasm build and the widgets, for `npm pack`.
  const { buildNpm } = await import("./build-npm.mjs");
  await buildNpm();
  console.log(`Built the site into ${path.relative(process.cwd(), path.join(ROOT, "dist")) || "."}/ in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    setup();
    await build();
  } catch (e) {
    console.error(`\nbuild failed: ${e.message}`);
    process.exit(1);
  }
}

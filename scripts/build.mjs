// `npm run build`: the wasm module and the book's facts (build/pkg), then the static site (dist/).
import { mkdirSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, run, setup } from "./setup.mjs";
import { WASM_BUILDS } from "./wasm-builds.mjs";

const PKG = path.join(ROOT, "build", "pkg");

export function buildWasm() {
  mkdirSync(PKG, { recursive: true });
  for (const { name, features } of WASM_BUILDS) {
    // --lib: the package's native programs (book-facts) are not built for the browser.
    run("cargo", ["build", "--release", "--target", "wasm32-unknown-unknown", "-p", "calculus-wasm", "--lib", ...features]);
    const raw = path.join(ROOT, "target", "wasm32-unknown-unknown", "release", "calculus_wasm.wasm");
    run("wasm-bindgen", [raw, "--out-dir", PKG, "--out-name", name, "--target", "web", "--remove-name-section"]);
    optimise(path.join(PKG, `${name}_bg.wasm`));
  }
}

/**
 * build/pkg/book.js: the book's facts (crates/calculus-wasm/src/book.rs) and the widgets' CSS
 * colours (chart/theme.rs), written by a native program from the Rust, for the widgets to
 * import as `../pkg/book.js`, like their wasm glue. No fact is written in web/ again.
 */
export function buildFacts() {
  mkdirSync(PKG, { recursive: true });
  run("cargo", ["run", "-q", "-p", "calculus-wasm", "--bin", "book-facts", "--", path.join(PKG, "book.js")]);
}

function optimise(wasm) {
  const before = statSync(wasm).size;
  // binaryen from npm: Debian's wasm-opt (108) predates the reference-types table that
  // wasm-bindgen 0.2.130 emits and produces a module that fails to instantiate.
  const wasmOpt = path.join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "wasm-opt.cmd" : "wasm-opt");
  if (spawnSync(wasmOpt, ["--version"], { stdio: "ignore" }).status === 0) {
    run(wasmOpt, ["-Oz", wasm, "-o", wasm]);
    console.log(`wasm-opt: ${path.basename(wasm)} ${before} → ${statSync(wasm).size} bytes`);
  } else {
    console.log(`wasm-opt not found; shipping wasm-bindgen's output (${before} bytes).`);
  }
}

export async function build() {
  buildWasm();
  buildFacts();
  const { buildSite } = await import("./build-site.mjs");
  await buildSite({ outDir: path.join(ROOT, "dist"), pkgDir: PKG });
  console.log(`Built the site into ${path.relative(process.cwd(), path.join(ROOT, "dist")) || "."}/`);
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

// `npm start`: the authoring loop. Serves the book on http://localhost:8080 (PORT overrides
// the port) at once when a build exists, building first only when none does; then watches the
// sources and rebuilds only what a change touches, and the open page reloads itself:
//
//   www/chapters/<slug>.html, www/index.html   that page (KaTeX kept per formula: ~20 ms),
//                                              then the search index (scripts/search-index.mjs)
//                                              when the page's HTML changed, after the reload
//   www/chapters.json, www/template.html       every page (the sidebar, contents, pager)
//   www/assets/                                the assets (every page if theme-init.js)
//   web/                                       the widget bundles
//   crates/, Cargo.*, .cargo/                  the wasm builds whose sources changed (their
//                                              stamps, scripts/build.mjs), without wasm-opt,
//                                              then book.js and the bundles that inline them
//
// A failed rebuild leaves the last good build served, and its error (file and line) is shown
// in the terminal and over the open page until a rebuild succeeds. `npm run build` is the
// release build: it runs wasm-opt on any wasm build the loop left unoptimised.
import { existsSync, watch } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, setup } from "./setup.mjs";
import { build, buildFacts, buildWasm } from "./build.mjs";
import { serve } from "./serve.mjs";

const DIST = path.join(ROOT, "dist");
const PKG = path.join(ROOT, "build", "pkg");
const STATE = path.join(ROOT, "build", "site-dist.json");

export function portInUseMessage(port) {
  return `Port ${port} is already in use (another npm start, or another server, is listening on it).\n` +
    `Serve on another port:  PORT=${port + 1} npm start`;
}

/** What a changed file (relative to the repository, '/'-separated) asks to rebuild, or null. */
export function classify(file) {
  const name = path.posix.basename(file);
  if (/^\.|~$|\.(swp|swx|tmp)$|^4913$/.test(name)) return null; // editors' temporary files
  if (file === "www/chapters.json" || file === "www/template.html") return { kind: "pages", page: null };
  if (file === "www/index.html") return { kind: "pages", page: "index.html" };
  const chapter = /^www\/chapters\/([^/]+\.html)$/.exec(file);
  if (chapter) return { kind: "pages", page: chapter[1] };
  if (file.startsWith("www/assets/")) return { kind: "assets", file };
  if (file.startsWith("web/")) return { kind: "web" };
  if (/^crates\/[^/]+\/(src\/.*\.rs|Cargo\.toml|build\.rs)$/.test(file) || /^(Cargo\.(toml|lock)|\.cargo\/config\.toml)$/.test(file)) {
    return { kind: "rust" };
  }
  return null;
}

/** The newest modification time of the files under `dir`. */
async function newest(dir) {
  let max = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, entry.name);
    max = Math.max(max, entry.isDirectory() ? await newest(p) : (await stat(p)).mtimeMs);
  }
  return max;
}

/** One job at a time, in order; `push` coalesces what arrives while a job runs. */
function lane(work) {
  let pending = [];
  let running = false;
  let timer = null;
  const drain = async () => {
    running = true;
    while (pending.length) {
      const batch = pending;
      pending = [];
      await work(batch);
    }
    running = false;
  };
  return {
    push(item, delay = 30) {
      pending.push(item);
      clearTimeout(timer);
      // A save is often several events; wait for the last one.
      timer = setTimeout(() => { if (!running) drain(); }, delay);
    },
    get running() { return running || pending.length > 0; },
  };
}

async function main() {
  const port = Number(process.env.PORT ?? 8080);
  let served;
  try {
    // Listen first: a port in use is said at once, before any build.
    served = await serve({ root: DIST, port, host: "127.0.0.1", liveReload: true });
  } catch (e) {
    if (e.code === "EADDRINUSE") {
      console.error(`\nnpm start: ${portInUseMessage(port)}`);
      process.exit(1);
    }
    throw e;
  }
  const { url, live } = served;
  const shown = url.replace("127.0.0.1", "localhost");
  const hasBuild = existsSync(path.join(DIST, "index.html")) && existsSync(path.join(PKG, "calculus.js"));
  if (hasBuild) console.log(`The Handbook is being served at ${shown}`);
  setup();
  if (!hasBuild) {
    console.log(`No build yet: building the book once (a few minutes on a fresh clone); ${shown} shows it when done.`);
    await build({ optimise: false });
    live.reload("*");
    console.log(`\nThe Handbook is being served at ${shown}`);
  }
  console.log("Watching www/, web/ and crates/: a saved change is rebuilt and the open page reloads. (Ctrl+C to stop)\n");

  const { siteBuilder } = await import("./build-site.mjs");
  // The search index is made again after a page changed, once the page has reloaded.
  const site = siteBuilder({
    outDir: DIST, pkgDir: PKG, onIndexed: (e, r) => {
      if (e) return report("search index", e);
      succeeded("search index");
      if (r.indexed) console.log(`search index: ${r.pages.length} pages in ${Math.round(r.ms)} ms`);
    },
  });
  const errors = new Map(); // stage → message

  const report = (stage, e) => {
    const message = e.details ? `${e.message}\n${e.details}` : e.message;
    errors.set(stage, message);
    console.error(`\n✗ ${stage}: ${message}\n  (the last good build is still served)\n`);
    live.error([...errors.values()].join("\n\n"));
  };
  const succeeded = (stage) => {
    if (errors.delete(stage) && errors.size === 0) live.ok();
    else if (errors.size) live.error([...errors.values()].join("\n\n"));
  };
  const time = (t0) => `${Math.round(performance.now() - t0)} ms`;

  // The site's lane: pages, assets, widget bundles, and build/pkg once the Rust lane wrote it.
  const siteLane = lane(async (batch) => {
    const t0 = performance.now();
    const kinds = new Set(batch.map((c) => c.kind));
    const reload = new Set();
    const stages = [
      ["pkg", () => site.pkg()],
      ["web", () => site.widgets()],
      ["assets", () => site.assets(batch.filter((c) => c.kind === "assets").map((c) => c.file))],
      ["pages", () => {
        const pages = batch.filter((c) => c.kind === "pages").map((c) => c.page);
        return site.pages(pages.includes(null) ? null : [...new Set(pages)]);
      }],
    ];
    for (const [stage, run] of stages) {
      if (!kinds.has(stage)) continue;
      try {
        const written = await run();
        // New bundles, wasm or CSS may be used by any page.
        if (stage !== "pages") reload.add("*");
        for (const p of written) reload.add(p);
        succeeded(stage);
      } catch (e) {
        report(stage, e);
      }
    }
    if (reload.size) {
      live.reload(reload.has("*") ? "*" : [...reload]);
      console.log(`rebuilt ${[...kinds].join(", ")} in ${time(t0)}${reload.has("*") ? "" : `: ${[...reload].join(", ")}`}`);
    }
  });

  // The Rust lane: cargo is slow, so it runs beside the site's lane (a prose edit need not
  // wait for it); what it wrote is handed to the site's lane.
  const rustLane = lane(async (batch) => {
    const t0 = performance.now();
    try {
      const built = await buildWasm({ optimise: false, shortErrors: true });
      const facts = await buildFacts({ shortErrors: true });
      succeeded("rust");
      if (built.length || facts) {
        console.log(`rebuilt ${[...built, ...(facts ? ["book.js"] : [])].join(", ")} in ${time(t0)}`);
        siteLane.push({ kind: "pkg" }, 0);
      } else if (!batch.every((c) => c.startup)) {
        console.log("wasm: every build is up to date (no build compiles the changed code, or it is back as built)");
      }
    } catch (e) {
      report("rust", e);
    }
  });

  const onChange = (file) => {
    const change = classify(file);
    if (!change) return;
    if (change.kind === "rust") rustLane.push(change, 150);
    else siteLane.push(change);
  };
  const watchDir = (dir, prefix) => {
    if (!existsSync(dir)) return;
    watch(dir, { recursive: true }, (_, name) => name && onChange(prefix + name.split(path.sep).join("/")));
  };
  watchDir(path.join(ROOT, "www"), "www/");
  watchDir(path.join(ROOT, "web"), "web/");
  watchDir(path.join(ROOT, "crates"), "crates/");
  watchDir(path.join(ROOT, ".cargo"), ".cargo/");
  watch(ROOT, (_, name) => name && onChange(name));

  // Catch up with what changed since the last build (a pull, an edit with the loop stopped):
  // the stamps find the wasm builds; the site's sources are compared with its last build.
  // Meanwhile the formulas are typeset once, so the first edit is as fast as the next.
  if (hasBuild) {
    rustLane.push({ kind: "rust", startup: true }, 0);
    const built = existsSync(STATE) ? (await stat(STATE)).mtimeMs : 0;
    if ((await newest(path.join(ROOT, "www"))) > built) siteLane.push({ kind: "pages", page: null }, 0);
    if ((await newest(path.join(ROOT, "web"))) > built) siteLane.push({ kind: "web" }, 0);
    // A build from before the search (or whose index was removed) gets one; else nothing runs.
    site.index();
    if (!siteLane.running) site.warm().catch(() => {});
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((e) => {
    console.error(`\nnpm start failed: ${e.message}${e.details ? `\n${e.details}` : ""}`);
    process.exit(1);
  });
}

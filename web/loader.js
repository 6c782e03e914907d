// Instantiates one wasm build for the page; every widget that needs it awaits the same promise.
// The builds (scripts/wasm-builds.mjs) hold different sets of charts. A page loads the
// smallest build that draws every element in it, so a blog post mixing three chapters
// downloads one module, not three. A book page's bundle knows its elements, and
// `../pkg/builds.js` in it lists only its one build, imported statically; in the registry
// (calc-widgets.js), it lists every build, each behind a dynamic import.
//
// A chapter page starts compiling its wasm from <head>, before anything else has loaded:
//   self.calculusWasm = { "calculus-core": WebAssembly.compileStreaming(fetch(…)) }
// By the time the widgets start, that is usually done, and they instantiate it synchronously
// and draw before the page's first frame. Without it (a blog post with one script tag) the
// wasm is fetched from beside this file.
import { BUILDS, DEFAULT_LOADING, ELEMENT_FEATURES } from "../pkg/builds.js";
import { cheapestPlan, covers, smallestCovering } from "./covering.js";

export { DEFAULT_LOADING };

/** How far beyond the viewport a lazy widget starts: a screen's height above and below. */
export const NEAR_VIEWPORT = "100% 0px";

/** An element's `loading`: `"lazy"` or `"eager"` as it asks (as on <img>), else the page's default. */
export function loadingOf(el) {
  const asked = el.getAttribute("loading");
  return asked === "lazy" || asked === "eager" ? asked : DEFAULT_LOADING;
}

const loading = new Map();
/** Charts the elements found in the page so far draw: the build picked must draw them all. */
const pageFeatures = new Set();

/**
 * Notes that the page holds these elements, before any of them loads a build. A page that
 * shows every element one after another (the book's embed page) says
 * `data-calc-wasm="per-element"` on any element: there each loads the smallest build that
 * draws it, as the reader scrolls to it, rather than one build of every chart at once.
 */
export function expectElements(tags) {
  if (document.querySelector('[data-calc-wasm="per-element"]')) return;
  for (const tag of tags) for (const f of ELEMENT_FEATURES[tag] ?? []) pageFeatures.add(f);
}

/** Whether element `tag` draws a chart (the live numbers in the prose draw none). */
export const drawsChart = (tag) => tag in ELEMENT_FEATURES;

/**
 * The build element `tag` draws with: one already loading that has its charts, else the one
 * the page's cheapest plan gives its chart (the builds that draw every chart the page needs
 * for the fewest bytes: covering.js), else the cheapest with its own.
 */
export function buildFor(tag) {
  const own = ELEMENT_FEATURES[tag];
  if (!own) throw new Error(`<${tag}> draws no chart`);
  const all = [...new Set([...pageFeatures, ...own])];
  const planned = planFor(all).get(own[0]);
  const build =
    BUILDS.find((b) => loading.has(b.name) && covers(b, own)) ??
    (planned && covers(planned, own) ? planned : undefined) ??
    smallestCovering(BUILDS, own);
  if (!build) throw new Error(`no wasm build draws <${tag}> (its charts: ${own.join(", ")})`);
  return build;
}

const plans = new Map();
/** The cheapest plan for these charts, made once for each set of them. */
function planFor(features) {
  const key = [...features].sort().join(" ");
  if (!plans.has(key)) plans.set(key, cheapestPlan(BUILDS, features) ?? new Map());
  return plans.get(key);
}

/** The initialised wasm-bindgen module that draws element `tag`, shared by the whole page. */
export function loadCalculus(tag) {
  let build;
  try {
    build = buildFor(tag);
  } catch (e) {
    return Promise.reject(e);
  }
  const first = once(loading, build.name, () => instantiate(build));
  // A chart in the build's second module (`later`: what the first screens do not show) needs
  // it joined to the first before it draws; it is fetched meanwhile, not after.
  if (!ELEMENT_FEATURES[tag].some((f) => build.later?.includes(f))) return first;
  return once(joining, build.name, () => joinLater(build, first));
}

/**
 * `promises[key]`, made by `make` if there is none: shared while it lasts, and forgotten if it
 * fails, so that a widget's "Try again" fetches afresh.
 */
function once(promises, key, make) {
  if (!promises.has(key)) {
    const made = make();
    promises.set(key, made);
    made.catch(() => promises.get(key) === made && promises.delete(key));
  }
  return promises.get(key);
}

const joining = new Map();

/** Fetches and compiles build `name`'s later module, and adds it to the first once that is ready. */
async function joinLater({ name }, first) {
  const module = await compile(new URL(`../pkg/${name}_later_bg.wasm`, import.meta.url));
  const glue = await first;
  glue.joinLater(module);
  return glue;
}

/** A wasm module compiled as it downloads, or once it has (a server that does not send application/wasm). */
async function compile(url) {
  let response;
  try {
    response = await fetch(url);
  } catch {
    throw new Error(`could not fetch ${url.pathname}: the network failed`);
  }
  if (!response.ok) throw new Error(`could not fetch ${url.pathname}: ${response.status} ${response.statusText}`);
  const streams = WebAssembly.compileStreaming && response.headers.get("Content-Type")?.startsWith("application/wasm");
  return streams ? WebAssembly.compileStreaming(response) : WebAssembly.compile(await response.arrayBuffer());
}

async function instantiate({ name, glue: importGlue }) {
  // A post's glue is a chunk of its own: fetch and compile the wasm meanwhile, not after it.
  const url = new URL(`../pkg/${name}_bg.wasm`, import.meta.url);
  const compiling = globalThis.calculusWasm?.[name] ?? WebAssembly.compileStreaming?.(fetch(url));
  const compiled = compiling?.catch(() => null);
  let glue;
  try {
    glue = await importGlue(); // a book page's is its bundle's own, a post's a chunk of its own
  } catch {
    throw new Error(`could not fetch the code of ${name}: the network failed`);
  }
  const module = await compiled;
  if (module instanceof WebAssembly.Module) {
    try {
      glue.initSync({ module });
      return glue;
    } catch {
      // Not this build's module after all: fetch the right one below.
    }
  }
  // No compiled module (the head's fetch failed, or a server that does not send
  // application/wasm): fetched again here, where a failure says which file and why.
  glue.initSync({ module: await compile(url) });
  return glue;
}

// The one script a page (or a blog post) needs: it defines every <calc-*> element. Each
// element's code is fetched only when that element appears in the page, so a post with one
// widget downloads that widget and nothing else. The page's elements share one wasm build,
// the smallest that draws them all (loader.js), fetched when the first of them nears the
// viewport (`loading="lazy"`, the default here) or at once (`loading="eager"`).
//   <script type="module" src=".../web/calc-widgets.js"></script>
//   <calc-derivative function="x^3 - 3x"></calc-derivative>
import { drawsChart, expectElements, loadCalculus, loadingOf } from "./loader.js";

export { loadCalculus };

/** Every element, by tag: the module that defines it. */
export const WIDGETS = {
  "calc-derivative": () => import("./calc-derivative.js"),
  "calc-secant": () => import("./calc-secant.js"),
  "calc-numerical-error": () => import("./calc-numerical-error.js"),
  "calc-partial": () => import("./calc-partial.js"),
  "calc-gradient": () => import("./calc-gradient.js"),
  "calc-descent": () => import("./calc-descent.js"),
  "calc-loss-curve": () => import("./calc-loss-curve.js"),
  "calc-lr-sweep": () => import("./calc-lr-sweep.js"),
  "calc-race": () => import("./calc-race.js"),
  "calc-gears": () => import("./calc-gears.js"),
  "calc-graph": () => import("./calc-graph.js"),
  "calc-tiny-network": () => import("./calc-tiny-network.js"),
  "calc-number": () => import("./calc-live.js"),
  "calc-value": () => import("./calc-live.js"),
  "calc-deep-gradients": () => import("./calc-deep-gradients.js"),
  "calc-cliff": () => import("./calc-cliff.js"),
  "calc-playground": () => import("./calc-playground.js"),
};

const pending = new Set(Object.keys(WIDGETS));

function load(tag) {
  pending.delete(tag);
  WIDGETS[tag]().catch((err) => console.error(`<${tag}>: could not load its code: ${err.message}`));
}

/**
 * Starts fetching and compiling the wasm of the elements in `root` that will draw at once (the
 * eager ones, and lazy ones within a screen of the viewport, the margin they start at) while
 * their code downloads, rather than after: compiling takes a while.
 */
function preload(root, tags) {
  // Within a screen of the viewport: loader.js's NEAR_VIEWPORT, where lazy widgets start.
  const soon = (el) => {
    if (loadingOf(el) === "eager") return true;
    const box = el.getBoundingClientRect();
    return box.bottom > -innerHeight && box.top < 2 * innerHeight;
  };
  for (const tag of tags) {
    if (!drawsChart(tag)) continue;
    const els = root.localName === tag ? [root] : root.getElementsByTagName(tag);
    if ([...els].some(soon)) loadCalculus(tag).catch(() => {}); // the element reports the failure
  }
}

/**
 * Loads the code of these elements now. A page that knows which elements it holds calls this
 * from <head>, so that they are defined before the parser reaches them; everything else is
 * found in the page.
 */
export function define(...tags) {
  loadAll(tags.filter((tag) => pending.has(tag)));
}

/** Loads the code of every element in `root` (an element or the document) not loaded yet. */
function scan(root) {
  const found = [...pending].filter((tag) => root.localName === tag || root.getElementsByTagName(tag).length);
  loadAll(found);
  preload(root, found);
}

/** Every element found is noted before any loads, so that the first picks a build for all. */
function loadAll(tags) {
  expectElements(tags);
  for (const tag of tags) load(tag);
}

// The page is searched once it has parsed (watching the parser insert each of a chapter's
// ten thousand elements cost 25 ms), then watched for elements that scripts add later.
function watch() {
  scan(document);
  if (!pending.size) return;
  const watcher = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) if (node.nodeType === Node.ELEMENT_NODE) scan(node);
    }
    if (!pending.size) watcher.disconnect();
  });
  watcher.observe(document, { childList: true, subtree: true });
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch, { once: true });
else watch();

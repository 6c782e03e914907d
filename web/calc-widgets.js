// The one script a page (or a blog post) needs: it defines every <calc-*> element. Each
// element's code is fetched only when that element needs it, so a post with one widget
// downloads that widget and nothing else: at once for `loading="eager"`, else when the
// first element of its tag nears the viewport. The page's elements share one wasm build,
// the smallest that draws them all (loader.js), fetched when the first of them nears the
// viewport (`loading="lazy"`, the default here) or at once (`loading="eager"`).
//   <script type="module" src=".../web/calc-widgets.js"></script>
//   <calc-derivative function="x^3 - 3x"></calc-derivative>
import { DEFAULT_LOADING, NEAR_VIEWPORT, drawsChart, expectElements, loadCalculus, loadingOf } from "./loader.js";
// Every element needs the widgets' shared code (a live number needs a lab): fetched with this
// module rather than after the first element's, it saves the first widget a round trip.
import "./widget.js";
import { seenNearViewport, standInForFocus } from "./near-viewport.js";

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

/** Tags whose code has not been asked for yet. */
const pending = new Set(Object.keys(WIDGETS));
/** Elements of a pending tag waiting to come near the viewport, by tag. */
const waiting = new Map();
let nearWatcher = null;

function load(tag) {
  if (!pending.delete(tag)) return;
  for (const el of waiting.get(tag) ?? []) nearWatcher.unobserve(el);
  waiting.delete(tag);
  WIDGETS[tag]().catch((err) => {
    console.error(`<${tag}>: could not load its code: ${err.message}`);
    // Its elements stay undefined: let them show their description, as without JavaScript.
    unreserved.add(tag);
    reserveLazyElements();
  });
}

/**
 * Loads the code of `tag` and, for a chart, its wasm too: the wasm is fetched and compiled
 * while the code downloads, rather than after it (compiling takes a while).
 */
function start(tag) {
  if (!pending.has(tag)) return;
  if (drawsChart(tag)) loadCalculus(tag).catch(() => {}); // the element reports the failure
  load(tag);
}

/**
 * A lazy element's code waits, as its wasm does, until the element nears the viewport (the
 * margin at which widget.js starts it): a post with twenty widgets down a long page fetches
 * the one on screen, not twenty modules competing with that one's wasm.
 */
function whenNear(el) {
  nearWatcher ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        seenNearViewport(entry.target);
        start(entry.target.localName);
      }
    },
    { rootMargin: NEAR_VIEWPORT },
  );
  const tag = el.localName;
  if (!waiting.has(tag)) waiting.set(tag, new Set());
  waiting.get(tag).add(el);
  nearWatcher.observe(el);
  // Reached by Tab before it is near, it loads then (widget.js hands the focus on). Not a
  // number inside a sentence: it has no chart to start, and kept a Tab stop with no name.
  if (!drawsChart(tag)) return;
  standInForFocus(el, () => {
    seenNearViewport(el);
    start(tag);
  });
}

/**
 * Until its code arrives, a lazy element looks as it will once defined and not yet started:
 * an empty block (its shadow root's `:host`, web/style.js), its light-DOM description hidden
 * on screen; printed, it gives its description, as a defined one does (style.js
 * `slot.unstarted`). In a layer, so that any rule of the page's own wins, as it does over `:host`. The live
 * numbers are inline and show their text until their lab answers, defined or not: left alone.
 */
function reserveLazyElements() {
  const lazy = DEFAULT_LOADING === "lazy" ? ':not([loading="eager"])' : '[loading="lazy"]';
  const tags = Object.keys(WIDGETS).filter((tag) => drawsChart(tag) && !unreserved.has(tag)).join(", ");
  reserved.replaceSync(tags ? `@layer calc-widgets {
  :where(${tags}):not(:defined)${lazy} { display: block; margin: 1.5rem 0; }
  @media screen { :where(${tags}):not(:defined)${lazy} > * { display: none; } }
}` : "");
}
/** Tags whose code could not load: their elements are left as they are. */
const unreserved = new Set();
const reserved = new CSSStyleSheet();
reserveLazyElements();
document.adoptedStyleSheets = [...document.adoptedStyleSheets, reserved];

/** Whether `el` is within a screen of the viewport now (NEAR_VIEWPORT), as the page opens. */
function nearNow(el) {
  const box = el.getBoundingClientRect();
  return box.bottom > -innerHeight && box.top < 2 * innerHeight;
}

/**
 * Loads the code of these elements now. A page that knows which elements it holds calls this
 * from <head>, so that they are defined before the parser reaches them; everything else is
 * found in the page.
 */
export function define(...tags) {
  const now = tags.filter((tag) => pending.has(tag));
  expectElements(now);
  for (const tag of now) load(tag);
}

/**
 * Finds the elements of `root` (an element or the document) whose code is not loaded: an
 * eager one's loads now, a lazy one's when it nears the viewport. `opening`: the page has
 * just parsed, and the lazy ones already near load now rather than a frame later.
 */
function scan(root, opening = false) {
  const found = [];
  for (const tag of pending) {
    const els = root.localName === tag ? [root] : [...root.getElementsByTagName(tag)];
    if (els.length) found.push([tag, els]);
  }
  // Every element found is noted before any loads, so that the first picks a build for all.
  expectElements(found.map(([tag]) => tag));
  for (const [tag, els] of found) {
    const near = opening ? els.filter(nearNow) : [];
    for (const el of near) seenNearViewport(el);
    if (near.length || els.some((el) => loadingOf(el) === "eager")) start(tag);
    else for (const el of els) whenNear(el);
  }
}

// The page is searched once it has parsed (watching the parser insert each of a chapter's
// ten thousand elements cost 25 ms), then watched for elements that scripts add later, and
// for a waiting element that a script makes eager.
function watch() {
  scan(document, true);
  if (!pending.size) return;
  const watcher = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === "attributes") {
        if (pending.has(record.target.localName) && loadingOf(record.target) === "eager") start(record.target.localName);
        continue;
      }
      for (const node of record.addedNodes) if (node.nodeType === Node.ELEMENT_NODE) scan(node);
    }
    if (!pending.size) watcher.disconnect();
  });
  watcher.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["loading"] });
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch, { once: true });
else watch();

// When a lazy widget comes near the viewport: within a screen of it (NEAR_VIEWPORT), as
// <img loading="lazy"> does, so that its wasm is fetched and it is drawn before it is seen.
import { NEAR_VIEWPORT } from "./loader.js";

const waiting = new Map();
let watcher = null;

/**
 * Calls `then` once `el` is within a screen of the viewport, or is focused (Tab reaches it
 * before the reader scrolls near: `standInForFocus`); once, however often asked.
 */
export function whenNearViewport(el, then) {
  if (waiting.has(el)) return;
  watcher ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        watcher.unobserve(entry.target);
        const run = waiting.get(entry.target);
        waiting.delete(entry.target);
        run?.();
      }
    },
    { rootMargin: NEAR_VIEWPORT },
  );
  waiting.set(el, then);
  watcher.observe(el);
  standInForFocus(el, () => {
    forgetNearViewport(el);
    then();
  });
}

/** Stops waiting for `el` (it was started another way): its `then` will not run. */
export function forgetNearViewport(el) {
  if (!waiting.delete(el)) return;
  watcher.unobserve(el);
}

/**
 * Lazy elements the registry (calc-widgets.js) saw near the viewport when it fetched their
 * code: they start as soon as they are defined, not a frame later when the viewport's check
 * would say the same.
 */
const seenNear = new WeakSet();

/** Notes that `el`, not defined yet, is near the viewport (the registry's observation). */
export function seenNearViewport(el) {
  seenNear.add(el);
}

/** Whether the registry saw `el` near the viewport. */
export function wasSeenNear(el) {
  return seenNear.has(el);
}

/**
 * Widgets waiting to start that stand in the Tab order meanwhile, each with the direction the
 * focus came from. A widget has nothing to focus until it starts, and it starts as it nears
 * the viewport: Tab went past every widget further down than a screen.
 */
const standIns = new WeakMap();

/**
 * Makes `el`, waiting to start, a stop of the Tab order (unless the page gave it a tabindex of
 * its own): focused, it calls `start`, and once drawn the widget hands the focus on to its
 * first control, or its last when the reader came back with Shift+Tab (`takeFocusStandIn`).
 */
export function standInForFocus(el, start) {
  const known = standIns.get(el);
  if (known) {
    known.start = start; // the registry's stand-in, now the defined widget's
    return;
  }
  if (el.hasAttribute("tabindex")) return;
  const state = { backwards: false, start };
  standIns.set(el, state);
  el.setAttribute("tabindex", "0");
  el.addEventListener(
    "focus",
    (e) => {
      const from = e.relatedTarget;
      state.backwards = !!from && !!(el.compareDocumentPosition(from) & Node.DOCUMENT_POSITION_FOLLOWING);
      state.start();
    },
    { once: true },
  );
}

/**
 * Ends `el`'s stand-in (it has started and drawn): null if it had none; else whether the focus
 * is on it, and came back from below, for the widget to pass it on, and `done()`, which takes
 * it out of the Tab order once it has.
 */
export function takeFocusStandIn(el) {
  const state = standIns.get(el);
  if (!state) return null;
  standIns.delete(el);
  const done = () => leaveTabOrder(el);
  // On the host itself: a reader already on one of its controls keeps the focus where it is.
  const focused = document.activeElement === el && !el.shadowRoot?.activeElement;
  return { focused, backwards: state.backwards, done };
}

/**
 * Takes host `el` out of the Tab order. With the focus in its shadow tree, a host that stops
 * being focusable loses it to <body>: it leaves the Tab order, and drops its tabindex once the
 * focus has moved on.
 */
export function leaveTabOrder(el) {
  if (!el.matches(":focus")) return el.removeAttribute("tabindex");
  el.setAttribute("tabindex", "-1");
  el.addEventListener("blur", () => el.removeAttribute("tabindex"), { once: true });
}

// When a lazy widget comes near the viewport: within a screen of it (NEAR_VIEWPORT), as
// <img loading="lazy"> does, so that its wasm is fetched and it is drawn before it is seen.
import { NEAR_VIEWPORT } from "./loader.js";

const waiting = new Map();
let watcher = null;

/** Calls `then` once `el` is within a screen of the viewport; once, however often asked. */
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

// Loads the wasm module once per page; every widget awaits the same promise. The module's URL
// is resolved from this file's own URL, so a blog post needs only the one script tag.
import init, * as calculus from "../pkg/calculus.js";

let loading = null;

/** The initialised `calculus` module (shared by all widgets on the page). */
export function loadCalculus() {
  loading ??= init({ module_or_path: new URL("../pkg/calculus_bg.wasm", import.meta.url) }).then(
    () => calculus,
  );
  return loading;
}

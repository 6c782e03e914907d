// Loads a wasm build once per page; every widget that needs it awaits the same promise. URLs
// are resolved from this file's own URL, so a blog post needs only the one script tag.
//   calculus-core: the API and the one-variable charts (chapter 1)
//   calculus:      everything, surfaces and gradient fields included (chapters 2 and 3)
const builds = {
  "calculus-core": () => import("../pkg/calculus-core.js"),
  calculus: () => import("../pkg/calculus.js"),
};
const wasm = {
  "calculus-core": () => new URL("../pkg/calculus-core_bg.wasm", import.meta.url),
  calculus: () => new URL("../pkg/calculus_bg.wasm", import.meta.url),
};
const loading = new Map();

/** The initialised module of wasm build `name` (shared by all widgets on the page). */
export function loadCalculus(name = "calculus-core") {
  if (!loading.has(name)) {
    loading.set(
      name,
      builds[name]().then(async (glue) => {
        await glue.default({ module_or_path: wasm[name]() });
        return glue;
      }),
    );
  }
  return loading.get(name);
}

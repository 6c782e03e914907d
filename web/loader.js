// Loads a wasm build once per page; every widget that needs it awaits the same promise. URLs
// are resolved from this file's own URL, so a blog post needs only the one script tag.
// Each build is the API plus one chapter’s charts (scripts/wasm-builds.mjs); a widget names the
// build it draws with in `static calculusBuild`.
const builds = {
  "calculus-core": () => import("../pkg/calculus-core.js"), //       chapter 1
  "calculus-surface": () => import("../pkg/calculus-surface.js"), // chapter 2
  "calculus-field": () => import("../pkg/calculus-field.js"), //     chapter 3
  "calculus-descent": () => import("../pkg/calculus-descent.js"), // chapter 4
  calculus: () => import("../pkg/calculus.js"), //                   all of them
};
const loading = new Map();

/** The initialised module of wasm build `name` (shared by all widgets on the page). */
export function loadCalculus(name = "calculus-core") {
  if (!builds[name]) return Promise.reject(new Error(`no wasm build named "${name}"`));
  if (!loading.has(name)) {
    const wasm = new URL(`../pkg/${name}_bg.wasm`, import.meta.url);
    loading.set(
      name,
      builds[name]().then(async (glue) => {
        await glue.default({ module_or_path: wasm });
        return glue;
      }),
    );
  }
  return loading.get(name);
}

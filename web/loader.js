// Instantiates a wasm build once per page; every widget that needs it awaits the same promise.
// Each build is the API plus one chapter’s charts (scripts/wasm-builds.mjs). A widget names
// its build in `static calculusBuild = { name, glue }`, importing the glue statically: a
// dynamic import would cost the page a task, and a chapter’s first layout would run first.
//
// A chapter page starts compiling its wasm from <head>, before anything else has loaded:
//   self.calculusWasm = { "calculus-core": WebAssembly.compileStreaming(fetch(…)) }
// By the time the widgets start, that is usually done, and they instantiate it synchronously
// and draw in the same task, before the page's first frame. Without it (a blog post with one
// script tag) the wasm is fetched from beside this file.
const loading = new Map();

/**
 * The initialised glue of wasm build `build`: `{ name, glue }`, where `glue` is the build's
 * wasm-bindgen module and `pkg/<name>_bg.wasm` its wasm.
 */
export function loadCalculus(build) {
  const { name, glue } = build ?? {};
  if (!name || !glue) return Promise.reject(new Error("a widget must name its wasm build: static calculusBuild = { name, glue }"));
  if (!loading.has(name)) loading.set(name, instantiate(name, glue));
  return loading.get(name);
}

async function instantiate(name, glue) {
  const early = globalThis.calculusWasm?.[name];
  const module = early && (await early.catch(() => null));
  if (module instanceof WebAssembly.Module) {
    try {
      glue.initSync({ module });
      return glue;
    } catch {
      // Not this build's module after all: fetch the right one below.
    }
  }
  await glue.default({ module_or_path: new URL(`../pkg/${name}_bg.wasm`, import.meta.url) });
  return glue;
}

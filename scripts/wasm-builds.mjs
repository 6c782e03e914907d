// Shared by the wasm build (build.mjs) and the site build (build-site.mjs).

/**
 * The wasm builds. `calculus` has the whole API and every chart: it is the JS API module (and
 * the future npm package). Each chapter's page loads the smallest build that draws its
 * widgets: the API plus that chapter's charts (cargo features of calculus-wasm). `features` are
 * the build's cargo arguments.
 */
const SIZE_FIRST_ENGINE = ["--config", 'profile.release.package.calculus.opt-level="z"'];

export const WASM_BUILDS = [
  // The JS API module: every export (feature `api`) and every chart.
  { name: "calculus", features: [] },
  { name: "calculus-core", features: ["--no-default-features", "--features", "derivative"] },
  { name: "calculus-surface", features: ["--no-default-features", "--features", "surface"] },
  { name: "calculus-field", features: ["--no-default-features", "--features", "field"] },
  { name: "calculus-descent", features: ["--no-default-features", "--features", "descent"] },
  // Chapter 5 builds the engine size-first: its page is held to 200 KB, and that saves 7 KB
  // gzipped; its graphs and its 2-2-1 network are small, so the speed-first opt-level buys it
  // nothing. Chapter 6 keeps it: size-first, its 20 × 64 network took 23 ms a redraw, not 8.
  { name: "calculus-backprop", features: ["--no-default-features", "--features", "backprop", ...SIZE_FIRST_ENGINE] },
  { name: "calculus-vanishing", features: ["--no-default-features", "--features", "vanishing"] },
];

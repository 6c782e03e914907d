// Shared by the wasm build (build.mjs) and the site build (build-site.mjs).

/**
 * The wasm builds. `calculus` has the whole API and every chart: it is the JS API module (and
 * the future npm package). Each chapter's page loads the smallest build that draws its
 * widgets: the API plus that chapter's charts (cargo features of calculus-wasm).
 */
export const WASM_BUILDS = [
  { name: "calculus", features: [] },
  { name: "calculus-core", features: ["--no-default-features"] },
  { name: "calculus-surface", features: ["--no-default-features", "--features", "surface"] },
  { name: "calculus-field", features: ["--no-default-features", "--features", "field"] },
  { name: "calculus-descent", features: ["--no-default-features", "--features", "descent"] },
  { name: "calculus-backprop", features: ["--no-default-features", "--features", "backprop"] },
  { name: "calculus-vanishing", features: ["--no-default-features", "--features", "vanishing"] },
];

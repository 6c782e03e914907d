// Shared by the wasm build (build.mjs) and the site build (build-site.mjs).

/**
 * The wasm builds. `calculus` has the whole API and every chart: it is the JS API module (and
 * the future npm package). Each chapter's page loads the smallest build that draws its
 * widgets: the API plus that chapter's charts (cargo features of calculus-wasm). `features` are
 * the build's cargo arguments.
 */
const SIZE_FIRST_ENGINE = ["--config", 'profile.release.package.calculus.opt-level="z"'];

export const WASM_BUILDS = [
  { name: "calculus", features: [] },
  { name: "calculus-core", features: ["--no-default-features", "--features", "derivative"] },
  { name: "calculus-surface", features: ["--no-default-features", "--features", "surface"] },
  { name: "calculus-field", features: ["--no-default-features", "--features", "field"] },
  { name: "calculus-descent", features: ["--no-default-features", "--features", "descent"] },
  // Chapters 5 and 6 build the engine size-first: their pages are held to 200 KB, and it saves
  // 7–8 KB gzipped each. Their networks are small (a 2-2-1 by hand; at most 20 × 64 and a
  // playground's batches), so the speed-first opt-level buys them nothing their budgets need.
  { name: "calculus-backprop", features: ["--no-default-features", "--features", "backprop", ...SIZE_FIRST_ENGINE] },
  { name: "calculus-vanishing", features: ["--no-default-features", "--features", "vanishing", ...SIZE_FIRST_ENGINE] },
];

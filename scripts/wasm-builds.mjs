// Shared by the wasm build (build.mjs) and the site build (build-site.mjs).

/**
 * Which charts each element draws: the cargo features of calculus-wasm (one per chart) its
 * code needs. A page, or a blog post, loads one build that has all of its elements' features:
 * the smallest such build (web/loader.js, and build-site.mjs for the book's own pages).
 * Elements not listed (the live numbers in the prose) load no wasm of their own.
 */
export const ELEMENT_FEATURES = {
  "calc-derivative": ["explorer"],
  "calc-secant": ["secant"],
  "calc-numerical-error": ["numerical-error"],
  "calc-partial": ["surface"],
  "calc-gradient": ["field"],
  "calc-descent": ["descent-map"],
  "calc-loss-curve": ["loss-curve"],
  "calc-lr-sweep": ["lr-sweep"],
  "calc-race": ["race"],
  "calc-gears": ["gears"],
  "calc-graph": ["graph"],
  "calc-tiny-network": ["tiny-network"],
  "calc-deep-gradients": ["deep-gradients"],
  "calc-cliff": ["cliff"],
  "calc-playground": ["playground"],
};

const EVERY_CHART = [...new Set(Object.values(ELEMENT_FEATURES).flat())];

/**
 * Chapters 1, 4 and 5 and the summary build the engine size-first: it saves 4 to 7 KB gzipped
 * of a page held to 150 KB (issue 16), and their charts keep their budgets with room to spare
 * (chapter 4's sweep of 200 rates takes 2 ms, not 1, of its 20; the race's frame and the
 * redraws did not move). Chapter 6 keeps opt-level 3: its 20 × 64 network redraws in 8 ms,
 * in 18 at "s" and 23 to 32 at "z", over its 16.
 */
const SIZE_FIRST_ENGINE = ["--config", 'profile.release.package.calculus.opt-level="z"'];

/**
 * The wasm builds: `features` are the charts each holds (cargo features of calculus-wasm),
 * `cargo` any other cargo arguments. `calculus` has the whole JS API (feature `api`) and every
 * chart: it is the JS API module (and the npm package). Every other build has no API: a
 * chapter's charts, or the summary's thumbnails.
 */
export const WASM_BUILDS = [
  { name: "calculus", features: EVERY_CHART, api: true },
  // Chapter 1 opens on the secant; its explorer and numerical error are screens further down.
  { name: "calculus-core", features: ["explorer", "secant", "numerical-error"], cargo: SIZE_FIRST_ENGINE, later: ["explorer", "numerical-error"] },
  // The surface's slice is drawn by chapter 1's explorer (the feature `surface` enables it).
  { name: "calculus-surface", features: ["surface", "explorer"] },
  { name: "calculus-field", features: ["field"] },
  { name: "calculus-descent", features: ["descent-map", "loss-curve", "lr-sweep", "race"], cargo: SIZE_FIRST_ENGINE },
  { name: "calculus-backprop", features: ["gears", "graph", "tiny-network"], cargo: SIZE_FIRST_ENGINE },
  { name: "calculus-vanishing", features: ["deep-gradients", "playground", "cliff"] },
  // The summary's seven thumbnails: the five charts they draw. The first screen shows the
  // gradient field; the rest come as the reader scrolls.
  { name: "calculus-summary", features: ["explorer", "field", "descent-map", "gears", "cliff"], cargo: SIZE_FIRST_ENGINE, later: ["explorer", "descent-map", "gears", "cliff"] },
];

/**
 * A build's `later` charts go to a second module (`<name>_later_bg.wasm`), fetched only when
 * an element drawing one of them starts: crates/wasm-split moves the code that only their
 * classes reach, and the first module, the one a page fetches at once, keeps the rest. Each
 * chart by the wasm-bindgen classes it exports (lowercased, as in their exports' names).
 */
export const LATER_CLASSES = {
  explorer: ["DerivativeExplorer"],
  "numerical-error": ["NumericalErrorChart"],
  "descent-map": ["DescentMap"],
  gears: ["GearsChart"],
  cliff: ["CliffMap"],
};

/** The wasm-split arguments' classes for a build's later charts. */
export function laterClasses({ later = [] }) {
  return later.flatMap((feature) => {
    const classes = LATER_CLASSES[feature];
    if (!classes) throw new Error(`scripts/wasm-builds.mjs: name the classes of chart "${feature}" in LATER_CLASSES`);
    return classes.map((c) => c.toLowerCase());
  });
}

/** The cargo arguments of a build. */
export function cargoArgs({ features, api = false, cargo = [] }) {
  return api ? cargo : ["--no-default-features", "--features", features.join(","), ...cargo];
}

/**
 * The text of a builds module (web/loader.js imports it as `../pkg/builds.js`): the charts
 * each element draws, the widgets' default `loading`, and `builds` (`{ name, features, bytes? }`,
 * smallest first), each with its glue: `glueImport(name)` is the expression that gives it.
 * A split build has `later`, the charts in its second module (WASM_BUILDS), and `first`, the
 * gzipped size of its first module alone. `head` lines come first (the static imports of a
 * book page's one build).
 */
export function buildsModule(builds, { loading, glueImport, head = [] }) {
  const entry = ({ name, features, later, bytes, first }) =>
    `  { name: ${JSON.stringify(name)}, features: ${JSON.stringify(features)},${later?.length ? ` later: ${JSON.stringify(later)},` : ""}${bytes === undefined ? "" : ` bytes: ${bytes},`}${first === undefined ? "" : ` first: ${first},`} glue: () => ${glueImport(name)} },`;
  return [
    ...head,
    `export const ELEMENT_FEATURES = ${JSON.stringify(ELEMENT_FEATURES)};`,
    `export const DEFAULT_LOADING = ${JSON.stringify(loading)};`,
    "export const BUILDS = [",
    ...builds.map(entry),
    "];",
    "",
  ].join("\n");
}

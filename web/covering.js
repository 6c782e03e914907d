// The one rule for which wasm build draws a set of charts, shared by the loader (a post, in
// the browser) and the site build (a book page, at build time), so the two cannot disagree.

/** Whether `build` (`{ features }`) holds every chart of `features`. */
export const covers = (build, features) => features.every((f) => build.features.includes(f));

/** The first build of `builds` (smallest first) that holds every chart of `features`. */
export const smallestCovering = (builds, features) => builds.find((b) => covers(b, features));

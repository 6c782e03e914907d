// The one rule for which wasm build draws a set of charts, shared by the loader (a post, in
// the browser) and the site build (a book page, at build time), so the two cannot disagree.

/** Whether `build` (`{ features }`) holds every chart of `features`. */
export const covers = (build, features) => features.every((f) => build.features.includes(f));

/**
 * What drawing `features` with `build` fetches, gzipped: all of it, or the first module alone
 * of a split build when none of them is a later chart (`bytes`, `first`, `later`: builds.js).
 */
export const cost = (build, features) =>
  build.first !== undefined && !features.some((f) => build.later.includes(f)) ? build.first : build.bytes;

/**
 * The build of `builds` (smallest first) that holds every chart of `features` and costs least
 * to draw them; of two that cost the same, the first. Undefined when none holds them all.
 */
export function smallestCovering(builds, features) {
  let best;
  for (const b of builds) if (covers(b, features) && (!best || cost(b, features) < cost(best, features))) best = b;
  return best;
}

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

/**
 * The builds that draw all of `features` for the fewest bytes: one build that has them all, or
 * several when that one costs more (a post with chapter 1's secant and chapter 3's gradient
 * field: the two chapters' builds, 142 KB, not the whole API's 244). `Map` chart → build, or
 * null when no set of `builds` has them all. Each chart goes to the first build of the set
 * (smallest first) that has it; a set with a build left nothing to draw is not considered.
 * Of two plans that cost the same, the one with fewer builds. (Eight builds: 255 sets.)
 */
export function cheapestPlan(builds, features) {
  let best = null;
  for (let mask = 1; mask < 1 << builds.length; mask++) {
    const set = builds.filter((_, i) => mask & (1 << i));
    const drawn = new Map(set.map((b) => [b, []]));
    const plan = new Map();
    for (const f of features) {
      const b = set.find((x) => x.features.includes(f));
      if (!b) break;
      drawn.get(b).push(f);
      plan.set(f, b);
    }
    if (plan.size < features.length || [...drawn.values()].some((fs) => !fs.length)) continue;
    const total = set.reduce((sum, b) => sum + cost(b, drawn.get(b)), 0);
    if (!best || total < best.total || (total === best.total && set.length < best.size)) best = { total, size: set.length, plan };
  }
  return best?.plan ?? null;
}

// The address of the one script a post needs (calc-widgets.js, beside this module wherever the
// book is served), for the snippets that "Copy embed code" writes. The npm package swaps this
// module for one naming its own widgets.js (scripts/build-npm.mjs).
export const WIDGETS_SCRIPT = new URL("./calc-widgets.js", import.meta.url).href;

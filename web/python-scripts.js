// "Copy as Python": a widget's current state as a short, self-contained numpy + matplotlib
// script that prints the numbers its readout shows, to the digits shown, and draws its picture.
// Loaded on the first click of the menu entry, with the engine's translator: the formula →
// numpy text (`toPython`) and the derivatives (`differentiate`) come from the full wasm build,
// which a chapter page does not otherwise load (its own build holds its charts only).
//
// The script computes everything itself, as a reader would in a notebook: f and its
// derivatives as numpy functions written from the engine's expression tree, descent and the
// optimizers in PyTorch's update rules (crates/calculus/src/optim.rs), numpy.gradient itself.
// A widget says which script is its own (`pythonState()`); one whose state cannot be
// written as a script says why instead (`pythonUnavailable()`).
//
// Weight: fetched on the click only. It is an entry of its own in the widget bundles
// (dist/web/python-scripts.js), which the registry's chunks and every chapter's one-file
// page-<slug>.js import dynamically (scripts/build-site.mjs keeps it out of the pages).

import { derivativeScript, numericalErrorScript, secantScript } from "./python/derivative.js";
import { gradientScript, partialScript } from "./python/surface.js";
import { descentScript, lossCurveScript, lrSweepScript, raceScript } from "./python/descent.js";
import { gearsScript, graphScript, tinyNetworkScript } from "./python/backprop.js";
import { cliffScript, deepGradientsScript, playgroundScript } from "./python/networks.js";

/** The full build's glue beside the chapter builds; not bundled, so fetched on the click only. */
const API_GLUE = new URL("../pkg/calculus.js", import.meta.url).href;
let api = null;

/** The module with `toPython`: the widget's own when it is the full build, else the full build. */
async function engineFor(widget) {
  if (typeof widget.calculus?.toPython === "function") return widget.calculus;
  api ??= import(/* @vite-ignore */ API_GLUE).then(async (glue) => {
    await glue.default();
    return glue;
  });
  return api;
}

/** The script that reproduces `widget` now. */
export async function pythonScript(widget) {
  const why = widget.pythonUnavailable();
  if (why) throw new Error(why);
  const make = SCRIPTS[widget.localName];
  if (!make) throw new Error(`no script for <${widget.localName}>`);
  const engine = await engineFor(widget);
  return make(widget.pythonState(), translator(engine));
}

/** The engine's translations: a formula, a variable's name, a derivative, all as numpy. */
function translator(engine) {
  return {
    expr: (source) => engine.toPython(source),
    name: (variable) => engine.toPython(variable),
    diff: (source, variable) => engine.toPython(engine.differentiate(source, variable)),
    diff2: (source, a, b) => engine.toPython(engine.differentiate(engine.differentiate(source, a), b)),
    // The engine's graph of a formula, inputs first: each node's operation, label and inputs
    // (and a constant's value); the script computes every value and gradient itself.
    nodes: (source, values) => engine.backprop(source, values).nodes.map(({ op, label, inputs, value }) => ({ op, label, inputs, value: op === "const" ? value : undefined })),
  };
}

/** Each element's script, by tag: one module per chapter, in python/. */
const SCRIPTS = {
  "calc-derivative": derivativeScript,
  "calc-secant": secantScript,
  "calc-numerical-error": numericalErrorScript,
  "calc-partial": partialScript,
  "calc-gradient": gradientScript,
  "calc-descent": descentScript,
  "calc-loss-curve": lossCurveScript,
  "calc-lr-sweep": lrSweepScript,
  "calc-race": raceScript,
  "calc-deep-gradients": deepGradientsScript,
  "calc-gears": gearsScript,
  "calc-graph": graphScript,
  "calc-tiny-network": tinyNetworkScript,
  "calc-cliff": cliffScript,
  "calc-playground": playgroundScript,
};

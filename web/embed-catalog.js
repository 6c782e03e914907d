// Every element a page can embed, for the book's "Embed a widget" page (built from this list by
// scripts/build-site.mjs) and the npm package's element types: what each shows, its attributes
// with what they accept and their defaults, and an example. Defaults and ranges are the book's
// facts (../pkg/book.js, from crates/calculus-wasm/src/book/), never written here again.
import {
  ACTIVATIONS, CLIFF, DEEP_GRADIENTS, DERIVATIVE, EXAMPLES, GEARS, GRADIENT, LANDSCAPES, LAB_LANDSCAPE, MAX_STEPS, NUMERICAL_ERROR,
  PARTIAL, PLAYGROUND_PRESETS, PLAYGROUND_START, RACE_LANDSCAPE, RACERS, RATE_RANGE, SECANT, SURFACES, SWEEP, CHAINS,
} from "../pkg/book.js";

const THEME = { name: "theme", accepts: "light or dark", default: "the page's", meaning: "colour scheme of the chart" };
/** What every chart element accepts. */
const WIDGET = [
  THEME,
  { name: "loading", accepts: "lazy or eager", default: "lazy", meaning: "lazy: fetched and drawn when it nears the viewport; eager: at once" },
  { name: "compact", accepts: "present or absent", default: "absent", meaning: "a thumbnail: the chart, its readout and its main control" },
];
/** The lab's, the race's and the playground's: what "Copy embed code" writes for their state. */
const SETTINGS = {
  name: "settings", accepts: "key=value pairs joined by &, the keys below", default: "none",
  meaning: "settings over the other attributes', as a link gives them (a link's own win)",
};
const ONE_VARIABLE = "a formula of one variable (any name)";
const TWO_VARIABLES = "a formula of w and b";
const lab = LANDSCAPES[LAB_LANDSCAPE];
const race = LANDSCAPES[RACE_LANDSCAPE];
const names = (list) => list.map(([key]) => key).join(", ");
const range = ([lo, hi]) => `${lo} to ${hi}`;
/** Radians as attributes take them: degrees, to a tenth. */
const degrees = (r) => Math.round((r * 1800) / Math.PI) / 10;

/**
 * `{ tag, chapter, title, about, example, attributes: [{ name, accepts, default, meaning }],
 * lab?, urlKeys? }`. `example` is the live example's attributes; a linked element (`for`) is
 * shown with `lab`, the element it reads, which its snippet includes.
 */
export const CATALOG = [
  {
    tag: "calc-derivative", chapter: "derivative", title: "Derivative explorer",
    about: "A function, its derivative and the tangent at a point the reader drags.",
    example: { function: EXAMPLES[1].source, x: "1.5" },
    attributes: [
      { name: "function", accepts: ONE_VARIABLE, default: EXAMPLES[0].source, meaning: "the function drawn" },
      { name: "x", accepts: "a number inside the range", default: DERIVATIVE.x, meaning: "where the tangent touches" },
      { name: "xmin, xmax", accepts: "numbers, xmin < xmax", default: "the example's range", meaning: "the visible x range" },
      { name: "numerical", accepts: "present or absent", default: "absent", meaning: "also show numpy.gradient's samples" },
      { name: "samples", accepts: range(DERIVATIVE.samplesLimit), default: DERIVATIVE.samples, meaning: "how many samples numpy.gradient gets" },
      ...WIDGET,
    ],
  },
  {
    tag: "calc-secant", chapter: "derivative", title: "Secant to tangent",
    about: "The secant through x and x + h turning into the tangent as h shrinks.",
    example: { function: EXAMPLES[0].source, x: "1", h: "0.5" },
    attributes: [
      { name: "function", accepts: ONE_VARIABLE, default: EXAMPLES[0].source, meaning: "the function drawn" },
      { name: "x", accepts: "a number", default: SECANT.x, meaning: "the fixed point" },
      { name: "h", accepts: range(SECANT.hRange), default: SECANT.h, meaning: "the step to the second point" },
      { name: "xmin, xmax", accepts: "numbers, xmin < xmax", default: "x − 2 to x + 2", meaning: "the visible x range" },
      ...WIDGET,
    ],
  },
  {
    tag: "calc-numerical-error", chapter: "derivative", title: "Numerical error",
    about: "How far numpy.gradient's estimate is from the exact derivative, as the samples grow.",
    example: { function: EXAMPLES[2].source, samples: "40" },
    attributes: [
      { name: "function", accepts: ONE_VARIABLE, default: EXAMPLES[0].source, meaning: "the function differentiated" },
      { name: "samples", accepts: range(NUMERICAL_ERROR.samplesLimit), default: NUMERICAL_ERROR.samples, meaning: "how many samples" },
      { name: "xmin, xmax", accepts: "numbers, xmin < xmax", default: "the example's range", meaning: "the sampled x range" },
      ...WIDGET,
    ],
  },
  {
    tag: "calc-partial", chapter: "partial-derivatives", title: "Partial derivative slice",
    about: "A surface cut along one variable, with the slope of the cut: a partial derivative.",
    example: { function: SURFACES[0].source, slice: "b", at: "3" },
    attributes: [
      { name: "function", accepts: TWO_VARIABLES, default: SURFACES[0].source, meaning: "the surface" },
      { name: "slice", accepts: "b or w", default: "b", meaning: "the variable held fixed" },
      { name: "at", accepts: "a number inside the range", default: PARTIAL.at, meaning: "the value it is held at" },
      { name: "point", accepts: "a number inside the range", default: PARTIAL.point, meaning: "where the point sits along the slice" },
      {
        name: "yaw, pitch", accepts: `degrees; pitch ${PARTIAL.pitchRange.map(degrees).join(" to ")}`,
        default: [PARTIAL.yaw, PARTIAL.pitch].map(degrees).join(", "), meaning: "the 3D view: its turn and its tilt",
      },
      ...WIDGET,
    ],
  },
  {
    tag: "calc-gradient", chapter: "gradient", title: "Gradient field",
    about: "The gradient arrows over a contour map, and the gradient at a probe the reader drags.",
    example: { function: SURFACES[1].source, w: "3", b: "2" },
    attributes: [
      { name: "function", accepts: TWO_VARIABLES, default: SURFACES[0].source, meaning: "the surface" },
      { name: "w, b", accepts: "numbers inside the range", default: GRADIENT.probe.join(", "), meaning: "the probe" },
      { name: "arrows", accepts: range(GRADIENT.arrowsRange), default: GRADIENT.arrows, meaning: "arrows per side of the grid" },
      { name: "downhill", accepts: "present or absent", default: "absent", meaning: "arrows of −∇f, downhill, instead of ∇f" },
      { name: "pitfall", accepts: "present or absent", default: "absent", meaning: "beside it, np.gradient's field with its components swapped" },
      ...WIDGET,
    ],
  },
  {
    tag: "calc-descent", chapter: "gradient-descent", title: "Gradient descent lab",
    about: "Gradient descent walking down a surface, step by step, at the learning rate the reader picks.",
    example: { id: "lab", function: lab.source, rate: "0.1", iterations: "30" },
    urlKeys: "f (function), w, b (start), lr (learning rate), n (steps), k (the step shown)",
    attributes: [
      { name: "function", accepts: TWO_VARIABLES, default: lab.source, meaning: "the surface" },
      { name: "w, b", accepts: "numbers", default: lab.start.join(", "), meaning: "where the walk starts" },
      { name: "rate", accepts: range(RATE_RANGE), default: lab.lab.rate, meaning: "the learning rate" },
      { name: "iterations", accepts: `1 to ${MAX_STEPS}`, default: lab.lab.steps, meaning: "the number of steps" },
      { name: "id", accepts: "a name", default: "none", meaning: "keeps the settings in the page's address; other elements' for" },
      SETTINGS,
      ...WIDGET,
    ],
  },
  {
    tag: "calc-loss-curve", chapter: "gradient-descent", title: "Loss curve",
    about: "The loss after each step of a descent lab on the page.",
    lab: { tag: "calc-descent", attrs: { id: "lab-curve" } },
    example: { for: "lab-curve" },
    attributes: [
      { name: "for", accepts: "the id of a calc-descent", default: "required", meaning: "the lab it follows" },
      ...WIDGET,
    ],
  },
  {
    tag: "calc-lr-sweep", chapter: "gradient-descent", title: "Learning-rate sweep",
    about: "The loss after a fixed number of steps for every learning rate, with the lab's rate marked.",
    lab: { tag: "calc-descent", attrs: { id: "lab-sweep" } },
    example: { for: "lab-sweep", steps: "50" },
    attributes: [
      { name: "for", accepts: "the id of a calc-descent", default: "required", meaning: "the lab it follows" },
      { name: "steps", accepts: range(SWEEP.stepsRange), default: SWEEP.steps, meaning: "steps taken at each rate" },
      ...WIDGET,
    ],
  },
  {
    tag: "calc-number", chapter: "gradient-descent", title: "Live learning rate (in a sentence)",
    about: "A learning rate inside a sentence that the reader changes by dragging it, tied to a lab.",
    lab: { tag: "calc-descent", attrs: { id: "lab-number" } },
    example: { for: "lab-number", name: "rate" },
    attributes: [
      { name: "for", accepts: "the id of a calc-descent", default: "required", meaning: "the lab it sets" },
      { name: "name", accepts: "rate", default: "rate", meaning: "the setting it shows and sets" },
    ],
  },
  {
    tag: "calc-value", chapter: "gradient-descent", title: "Live value (in a sentence)",
    about: "A number from a lab inside a sentence, kept up to date as the reader plays.",
    lab: { tag: "calc-descent", attrs: { id: "lab-value" } },
    example: { for: "lab-value", name: "loss" },
    attributes: [
      { name: "for", accepts: "the id of a calc-descent", default: "required", meaning: "the lab it reads" },
      { name: "name", accepts: "rate, iterations, end, loss, start or factor", default: "required", meaning: "the number shown" },
    ],
  },
  {
    tag: "calc-race", chapter: "gradient-descent", title: "Optimizer race",
    about: "Gradient descent, momentum, RMSprop and Adam racing down the same surface.",
    example: { id: "race", iterations: "100" },
    urlKeys: "f (function), w, b (start), n (steps), k (the step shown), and for each optimizer " +
      RACERS.map(({ key, params }) => [`${key}.lr`, ...params.map(([p]) => `${key}.${p}`), `${key}.on`].join(", ")).join("; "),
    attributes: [
      { name: "function", accepts: TWO_VARIABLES, default: race.source, meaning: "the surface" },
      { name: "w, b", accepts: "numbers", default: race.start.join(", "), meaning: "where the racers start" },
      { name: "iterations", accepts: `1 to ${MAX_STEPS}`, default: race.race.steps, meaning: "the number of steps" },
      { name: "id", accepts: "a name", default: "none", meaning: "keeps the settings in the page's address" },
      SETTINGS,
      ...WIDGET,
    ],
  },
  {
    tag: "calc-gears", chapter: "backpropagation", title: "Chain-rule gears",
    about: "Three functions chained like gears: turning the first turns the others at the rates of their derivatives.",
    example: { links: CHAINS[0].links.join("; "), x: "0.5" },
    attributes: [
      { name: "links", accepts: "three formulas A; B; C, each of one variable", default: CHAINS[0].links.join("; "), meaning: "the chain" },
      { name: "x", accepts: range(GEARS.xRange), default: GEARS.x, meaning: "the input" },
      { name: "turn", accepts: "degrees", default: "0", meaning: "how far gear X has turned (anticlockwise), the others with it" },
      ...WIDGET,
    ],
  },
  {
    tag: "calc-graph", chapter: "backpropagation", title: "Computational graph",
    about: "A formula as a graph of operations, with the forward and backward passes run step by step.",
    example: { function: "(w*x + b - y)^2", step: "end" },
    attributes: [
      { name: "function", accepts: "any formula", default: "the first example", meaning: "the graph drawn" },
      { name: "values", accepts: "name=number pairs joined by ;", default: "the example's", meaning: "the inputs' values" },
      { name: "step", accepts: "forward, end or a number of steps", default: "forward", meaning: "how far the passes have run" },
      { name: "node", accepts: "a node's name, as the Node list shows it", default: "none", meaning: "the node picked, its gradient read out" },
      ...WIDGET,
    ],
  },
  {
    tag: "calc-tiny-network", chapter: "backpropagation", title: "A 2-2-1 network by hand",
    about: "Backpropagation through a two-input network with one hidden layer, one stop at a time.",
    example: { stop: "4" },
    attributes: [
      { name: "x1, x2", accepts: "numbers from −100 to 100", default: "0.05, 0.1", meaning: "the inputs" },
      { name: "y", accepts: "a number from −100 to 100", default: "0.01", meaning: "the target" },
      { name: "rate", accepts: "0.001 to 10", default: "0.5", meaning: "the learning rate" },
      { name: "activation", accepts: `${names(ACTIVATIONS)} or linear`, default: "the sigmoid of Mazur's worked example", meaning: "the hidden layer's activation" },
      { name: "start", accepts: "nine numbers joined by commas: w₁, w₂, w₃, w₄, b₁, b₂, w₅, w₆, b₃", default: "Mazur's", meaning: "the starting weights and biases" },
      { name: "steps", accepts: "0 to 1000", default: "0", meaning: "steps taken with Step again" },
      { name: "stop", accepts: "1 to 7", default: "1", meaning: "the stop of the walk shown" },
      ...WIDGET,
    ],
  },
  {
    tag: "calc-deep-gradients", chapter: "vanishing-gradients", title: "Gradients through a deep network",
    about: "The size of the gradient at every layer of a deep network: shrinking, exploding or steady.",
    example: { depth: "12", activation: DEEP_GRADIENTS.activations[0][0] },
    attributes: [
      { name: "depth", accepts: `${range(DEEP_GRADIENTS.depthRange)} (whole)`, default: DEEP_GRADIENTS.depth, meaning: "hidden layers" },
      { name: "width", accepts: `${range(DEEP_GRADIENTS.widthRange)} (whole)`, default: DEEP_GRADIENTS.width, meaning: "units per layer" },
      { name: "activation", accepts: names(DEEP_GRADIENTS.activations), default: DEEP_GRADIENTS.activations[DEEP_GRADIENTS.activation][0], meaning: "the activation" },
      { name: "init", accepts: names(DEEP_GRADIENTS.inits), default: DEEP_GRADIENTS.inits[DEEP_GRADIENTS.init][0], meaning: "how the weights start" },
      { name: "sigma", accepts: range(DEEP_GRADIENTS.sigmaRange), default: DEEP_GRADIENTS.sigma, meaning: "the normal init's spread" },
      { name: "seed", accepts: "a whole number", default: DEEP_GRADIENTS.seed, meaning: "the random start" },
      ...WIDGET,
    ],
  },
  {
    tag: "calc-cliff", chapter: "vanishing-gradients", title: "Gradient clipping at a cliff",
    about: "Descent meeting a cliff in the loss, with and without clipping the gradient.",
    example: { threshold: "2" },
    attributes: [
      { name: "threshold", accepts: range(CLIFF.thresholdRange), default: CLIFF.threshold, meaning: "the clipping threshold" },
      ...WIDGET,
    ],
  },
  {
    tag: "calc-playground", chapter: "vanishing-gradients", title: "Network playground",
    about: "A small network trained in the page on a toy dataset, with its per-layer gradient sizes.",
    example: { id: "playground", preset: PLAYGROUND_PRESETS[0].key },
    urlKeys: `${Object.keys(PLAYGROUND_START).join(", ")}, steps (the steps trained, replayed where it opens)`,
    attributes: [
      { name: "preset", accepts: PLAYGROUND_PRESETS.map((p) => p.key).join(", "), default: "none (the start)", meaning: "a starting configuration" },
      { name: "id", accepts: "a name", default: "none", meaning: "keeps the settings in the page's address" },
      SETTINGS,
      ...WIDGET,
    ],
  },
];

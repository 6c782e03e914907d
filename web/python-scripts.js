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

import { CLIFF, DEEP_GRADIENTS, DIVERGENCE_FACTOR, GEARS, PLAYGROUND_DATA, PLAYGROUND_OPTIMIZERS, RATE_RANGE, SWEEP } from "../pkg/book.js";

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

/** A number as Python writes it back (and the reader typed it). */
const num = (v) => (Number.isInteger(v) ? String(v) : String(v).replace(/^(-?)\./, "$10."));
/** A number in Python where it may not be finite (a weight that overflowed, a folded ln(0)). */
const pyNumber = (v) => (Number.isFinite(v) ? num(v) : Number.isNaN(v) ? "np.nan" : v > 0 ? "np.inf" : "-np.inf");
/** A string literal in Python. */
const str = (s) => JSON.stringify(String(s));
/** A dict of numbers in Python: `{"alpha": 0.99}`. */
const pyDict = (o) => `{${Object.entries(o).map(([k, v]) => `${str(k)}: ${num(v)}`).join(", ")}}`;

/** The book's number styles (crates/calculus-wasm/src/format.rs), each as a small function. */
const FORMATS = {
  _e: `def _e(s):  # the book writes 1.00e6 and 5.00e-3, not 1.00e+06 and 5.00e-03
    mantissa, exponent = s.split("e")
    return f"{mantissa}e{int(exponent)}"
`,
  special: `def special(v):
    return "undefined" if np.isnan(v) else ("∞" if v > 0 else "−∞")
`,
  dec: `def dec(v, d=2):  # d decimals; powers of ten from 10⁶ up and where the decimals would read 0
    if not np.isfinite(v):
        return special(v)
    if v != 0 and (abs(v) >= 10**6 or abs(v) < 0.5 * 10.0**-d):
        return _e(f"{v:.{d}e}")
    s = f"{v:.{d}f}"
    return s[1:] if s.startswith("-") and not s.strip("-0.") else s
`,
  fixed: `def fixed(v, d=4):  # d decimals
    if not np.isfinite(v):
        return special(v)
    s = f"{v:.{d}f}"
    return s[1:] if s.startswith("-") and not s.strip("-0.") else s
`,
  sig: `def sig(v, d=4):  # d significant digits; powers of ten outside [10⁻³, 10⁶)
    if not np.isfinite(v):
        return special(v)
    if v == 0:
        return "0"
    exponent = int(np.floor(np.log10(abs(v))))
    if -3 <= exponent < 6:
        return f"{v:.{max(0, d - 1 - exponent)}f}"
    return _e(f"{v:.{d - 1}e}")
`,
  val: `def val(v):  # four decimals from 0.1 to 10⁵, else three significant digits
    if not np.isfinite(v):
        return special(v)
    a = abs(v)
    if a == 0:
        return "0"
    if 0.1 <= a < 1e5:
        return f"{v:.4f}".rstrip("0").rstrip(".")
    s = f"{v:.2e}"
    exponent = int(s.split("e")[1])
    if exponent < -6 or exponent >= 3:
        return _e(s)
    s = f"{v:.{2 - exponent}f}"
    return s.rstrip("0").rstrip(".") if a >= 10**-3 else s
`,
};

/** The helpers `names` need (with what they call), in a fixed order. */
function formats(...names) {
  const wanted = new Set(names);
  if (["dec", "fixed", "sig", "val"].some((n) => wanted.has(n))) wanted.add("special");
  if (["dec", "sig", "val"].some((n) => wanted.has(n))) wanted.add("_e");
  return Object.keys(FORMATS).filter((n) => wanted.has(n)).map((n) => FORMATS[n]).join("\n");
}

/** The opening every script shares: what it reproduces, the imports, the helpers. */
function head(title, caption, helpers) {
  return `# ${title}: ${caption}
# From The Handbook of Calculus for Machine Learning ("Copy as Python"). Needs numpy and matplotlib.
import numpy as np
import matplotlib.pyplot as plt

np.seterr(all="ignore")  # where f is not defined numpy gives nan, as the widget shows "undefined"

${formats(...helpers)}`;
}

/** `def name(args): return body`, with the engine's own formula in a comment. */
const def = (name, args, body, comment) => `def ${name}(${args}):${comment ? `  # ${comment}` : ""}
    return ${body}
`;

/** A derivative that is a constant still gives an array on an array of points. */
const onArray = (fn, x) => `${fn}(${x}) + 0 * ${x}`;

// ---- chapter 1 -----------------------------------------------------------------------------

function oneVariable(s, py) {
  const x = py.name(s.variable);
  return {
    x,
    f: def("f", x, py.expr(s.source), `f(${s.variable}) = ${s.source}`),
    df: def("df", x, py.diff(s.source, s.variable), `f'(${s.variable}), the engine's derivative`),
  };
}

/** y limits that show the curve where poles would otherwise flatten it. */
/** The end of a plot of f over xs (the explorer's and the secant's): limits, labels, show. */
const curveAxes = (v) => `ax.set_ylim(*y_limits(f(xs)))
ax.set_xlabel("${v}")
ax.grid(True)
ax.legend()
plt.show()
`;

const Y_LIMITS = `def y_limits(ys):  # the middle 96% of the values, with a margin: poles do not flatten the curve
    finite = ys[np.isfinite(ys)]
    if finite.size == 0:
        return -1, 1
    lo, hi = np.percentile(finite, [2, 98])
    pad = 0.1 * (hi - lo) or 1
    return lo - pad, hi + pad
`;

/** Where f has no derivative though autodiff gives a number: crates/calculus/src/derivative.rs. */
const SMOOTHNESS = `def jumps(x):  # f leaps at x: the gap across x does not shrink with the step
    d = 1e-9 * max(abs(x), 1)
    wide, narrow = abs(f(x + d) - f(x - d)), abs(f(x + d / 10) - f(x - d / 10))
    return bool(np.isfinite(wide) and wide > 1e-6 * (1 + abs(f(x))) and narrow > 0.5 * wide)


def corner(x):  # the slopes either side stay apart as the step shrinks (|x| at 0): no f'(x)
    d = 1e-9 * max(abs(x), 1)
    left, right = df(x - d), df(x + d)
    wide, narrow = abs(right - left), abs(df(x + d / 10) - df(x - d / 10))
    smooth = not (np.isfinite(left) and np.isfinite(right) and wide > 1e-6 * (1 + abs(left) + abs(right))
                  and narrow > 0.5 * wide and np.isfinite(f(x)))
    return None if smooth else (left, right)
`;

function derivativeScript(s, py) {
  const { x, f, df } = oneVariable(s, py);
  const v = s.variable;
  const numerical = s.numerical
    ? `
xs_n = np.linspace(${num(s.range[0])}, ${num(s.range[1])}, ${s.samples})
ax.plot(xs_n, np.gradient(f(xs_n), xs_n), ".", label="numpy.gradient, ${s.samples} samples")`
    : "";
  return `${head("f(x) and its derivative", `f(${v}) = ${s.source} at ${v} = ${s.x}`, ["dec"])}
${f}
${df}
${Y_LIMITS}
${SMOOTHNESS}
x0 = np.float64(${num(s.x)})
y0, slope = f(x0), df(x0)
at = f"${v} = {dec(x0)}"
if not np.isfinite(y0):
    print(f"{at}, f(${v}) = undefined, f'(${v}) = undefined")
elif jumps(x0):
    print(f"{at}, f(${v}) = {dec(y0)}, f'(${v}) = undefined: f jumps here")
elif corner(x0):
    left, right = corner(x0)
    print(f"{at}, f(${v}) = {dec(y0)}, f'(${v}) = undefined: a corner (slope {dec(left)} from the left, {dec(right)} from the right)")
else:
    trend = ": increasing" if slope > 0 else ": decreasing" if slope < 0 else ": flat" if slope == 0 else ""
    print(f"{at}, f(${v}) = {dec(y0)}, f'(${v}) = {dec(slope)}{trend}")

xs = np.linspace(${num(s.range[0])}, ${num(s.range[1])}, 1001)
fig, ax = plt.subplots()
ax.plot(xs, f(xs), label="f(${v}) = ${s.source}")
ax.plot(xs, ${onArray("df", "xs")}, "--", label="f'(${v})")
ax.plot(xs, y0 + slope * (xs - x0), ":", label="tangent at ${v} = ${s.x}")
ax.plot([x0], [y0], "o")${numerical}
${curveAxes(v)}`;
}

function secantScript(s, py) {
  const { x, f, df } = oneVariable(s, py);
  const v = s.variable;
  return `${head("The secant and the tangent", `f(${v}) = ${s.source} at ${v} = ${s.x}, h = ${s.h}`, ["dec", "fixed"])}
${f}
${df}
${Y_LIMITS}
${SMOOTHNESS}
x0, h = np.float64(${num(s.x)}), np.float64(${num(s.h)})
quotient = (f(x0 + h) - f(x0)) / h  # the difference quotient: the secant's slope
slope = df(x0)
secant = f"h = {fixed(h)}: secant slope (f(${v} + h) − f(${v}))/h = {fixed(quotient)}"
if not np.isfinite(f(x0)):
    print(f"{secant}; f({dec(x0)}) is undefined, so there is no tangent")
elif jumps(x0):
    print(f"{secant}; no tangent at ${v} = {dec(x0)}: f jumps there")
elif corner(x0):
    left, right = corner(x0)
    print(f"{secant}; no tangent at ${v} = {dec(x0)}, a corner: the secant slope tends to {fixed(left)} from the left and {fixed(right)} from the right")
else:
    print(f"{secant}, tangent slope f'({dec(x0)}) = {fixed(slope)}, gap {fixed(abs(quotient - slope))}")

xs = np.linspace(${num(s.range[0])}, ${num(s.range[1])}, 1001)
fig, ax = plt.subplots()
ax.plot(xs, f(xs), label="f(${v}) = ${s.source}")
ax.plot(xs, f(x0) + quotient * (xs - x0), "--", label=f"secant, h = {h:g}")
ax.plot(xs, f(x0) + slope * (xs - x0), ":", label="tangent")
ax.plot([x0, x0 + h], [f(x0), f(x0 + h)], "o")
${curveAxes(v)}`;
}

function numericalErrorScript(s, py) {
  const { x, f, df } = oneVariable(s, py);
  const v = s.variable;
  return `${head("numpy.gradient against the exact derivative", `f(${v}) = ${s.source}, ${s.samples} samples from ${s.range[0]} to ${s.range[1]}`, ["sig"])}
${f}
${df}
xs = np.linspace(${num(s.range[0])}, ${num(s.range[1])}, ${s.samples})
numerical = np.gradient(f(xs), xs)  # central differences inside, one-sided at the two ends
exact = ${onArray("df", "xs")}
error = np.abs(numerical - exact)

shown = lambda e: sig(e) if np.isfinite(e) else "not finite (f overflows)"
inside = error[1:-1]
worst = np.max(inside[np.isfinite(inside)], initial=0.0)
inside_text = "inside: exactly 0" if worst == 0 else f"inside: largest {shown(worst)}"
if not np.all(np.isfinite(inside)):
    inside_text += " where f stays finite"
print(f"spacing h = {sig(xs[1] - xs[0])}; error at the ends: {shown(error[0])} and {shown(error[-1])}; {inside_text}")

fig, ax = plt.subplots()
ax.semilogy(xs, np.where(error > 0, error, np.nan), ".-", label="|numpy.gradient − f'(${v})|")
ax.set_xlabel("${v}")
ax.grid(True, which="both")
ax.legend()
plt.show()
`;
}

// ---- chapters 2 and 3: functions of two variables -------------------------------------------

function twoVariables(s, py) {
  const [u, v] = s.names;
  const [pu, pv] = [py.name(u), py.name(v)];
  return {
    u, v, pu, pv,
    f: def("f", `${pu}, ${pv}`, py.expr(s.source), `f(${u}, ${v}) = ${s.source}`),
    grad: `def grad(${pu}, ${pv}):  # [∂f/∂${u}, ∂f/∂${v}], the engine's derivatives
    return np.array(np.broadcast_arrays(${py.diff(s.source, u)}, ${py.diff(s.source, v)}, ${pu}, ${pv})[:2], dtype=float)
`,
  };
}

/** A grid over the map's range and f on it, for contour plots. */
const grid = (range, pu, pv, n = 201) => `U, V = np.meshgrid(np.linspace(${num(range[0])}, ${num(range[1])}, ${n}), np.linspace(${num(range[2])}, ${num(range[3])}, ${n}))
Z = f(U, V) + 0 * U`;

function partialScript(s, py) {
  const { u, v, f } = twoVariables(s, py);
  const [free, held] = s.fixed === 1 ? [u, v] : [v, u];
  const pfree = py.name(free);
  const dfree = def("df", `${py.name(u)}, ${py.name(v)}`, py.diff(s.source, free), `∂f/∂${free}, the engine's derivative`);
  const point = s.fixed === 1 ? [s.point, s.at] : [s.at, s.point];
  const call = (freeValue) => (s.fixed === 1 ? `${freeValue}, ${held}0` : `${held}0, ${freeValue}`);
  return `${head("A partial derivative: one variable held fixed", `f(${u}, ${v}) = ${s.source}, ${held} held at ${s.at}`, ["fixed"])}
${f}
${dfree}
${held}0 = np.float64(${num(s.at)})  # held fixed
${pfree}0 = np.float64(${num(s.point)})  # the point on the slice
slope, value = df(${call(`${pfree}0`)}), f(${call(`${pfree}0`)})
print(f"∂f/∂${free} at (${u}, ${v}) = ({fixed(${num(point[0])}, 2)}, {fixed(${num(point[1])}, 2)}) = {fixed(slope, 2)}, "
      f"with ${held} held at {fixed(${held}0, 2)}; f = {fixed(value, 2)}")

ts = np.linspace(${num(s.freeRange[0])}, ${num(s.freeRange[1])}, 401)
fig, ax = plt.subplots()
ax.plot(ts, f(${call("ts")}) + 0 * ts, label=f"f with ${held} = {${held}0:g}")
ax.plot(ts, value + slope * (ts - ${pfree}0), "--", label="slope ∂f/∂${free}")
ax.plot([${pfree}0], [value], "o")
ax.set_xlabel("${free}")
ax.grid(True)
ax.legend()
plt.show()
`;
}

function gradientScript(s, py) {
  const { u, v, pu, pv, f, grad } = twoVariables(s, py);
  const sign = s.downhill ? "-" : "";
  return `${head("The gradient field", `f(${u}, ${v}) = ${s.source} at (${s.w}, ${s.b})`, ["dec"])}
${f}
${grad}
${pu}0, ${pv}0 = np.float64(${num(s.w)}), np.float64(${num(s.b)})
value, g = f(${pu}0, ${pv}0), grad(${pu}0, ${pv}0)
if np.isfinite(value):
    print(f"at (${u}, ${v}) = ({dec(${pu}0)}, {dec(${pv}0)}): f = {dec(value)}, ∇f = [∂f/∂${u}, ∂f/∂${v}] = "
          f"[{dec(g[0])}, {dec(g[1])}], ‖∇f‖ = {dec(np.hypot(*g))}")
else:
    print(f"f is undefined at ({dec(${pu}0)}, {dec(${pv}0)})")

${grid(s.range, pu, pv)}
A, B = np.meshgrid(np.linspace(${num(s.range[0])}, ${num(s.range[1])}, ${s.arrows}), np.linspace(${num(s.range[2])}, ${num(s.range[3])}, ${s.arrows}))
G = grad(A, B)
fig, ax = plt.subplots()
ax.contour(U, V, Z, levels=20)
ax.quiver(A, B, ${sign}G[0], ${sign}G[1], angles="xy")  # arrows of ${sign || "+"}∇f
ax.plot([${pu}0], [${pv}0], "o")
ax.set_aspect("equal")
ax.set_xlabel("${u}")
ax.set_ylabel("${v}")
plt.show()
`;
}

// ---- chapter 4: descent, its loss curve and the learning-rate sweep, the race --------------

/** Plain gradient descent as the lab runs it (crates/calculus/src/descent.rs). */
const DESCEND = `DIVERGENCE_FACTOR = ${DIVERGENCE_FACTOR}  # a run stops once its loss passes this many times max(1, |f(start)|)


def descend(start, lr, steps):
    """Plain gradient descent: the points, losses and gradients, and the step it diverged at."""
    p = np.array(start, dtype=float)
    g = grad(*p)
    loss0 = f(*p)
    path, losses, grads = [p.copy()], [loss0], [g]
    bound = DIVERGENCE_FACTOR * max(1, abs(loss0))  # past this the run has diverged: it stops
    for t in range(1, steps + 1):
        p = p - lr * g
        loss, g = f(*p), grad(*p)
        if not (np.isfinite(loss) and abs(loss) <= bound and np.all(np.isfinite(p))):
            return path, losses, grads, t
        path.append(p.copy())
        losses.append(loss)
        grads.append(g)
    return path, losses, grads, None
`;

function descentHead(s, py, title, helpers) {
  const { u, v, pu, pv, f, grad } = twoVariables(s, py);
  return {
    u, v, pu, pv,
    text: `${head(title, `${s.source} from (${s.w}, ${s.b}), η = ${s.rate}, ${s.iterations} steps`, helpers)}
${f}
${grad}
${DESCEND}
path, losses, grads, diverged_at = descend([${num(s.w)}, ${num(s.b)}], ${num(s.rate)}, ${s.iterations})
`,
  };
}

function descentScript(s, py) {
  const { u, v, pu, pv, text } = descentHead(s, py, "Gradient descent, step by step", ["sig", "val", "dec"]);
  return `${text}k = min(${s.k}, len(path) - 1)  # the step shown
(${pu}k, ${pv}k), g = path[k], grads[k]
line = (f"step {k}: (${u}, ${v}) = ({val(${pu}k)}, {val(${pv}k)}), f = {sig(losses[k])}, "
        f"∇f = [{sig(g[0])}, {sig(g[1])}], ‖∇f‖ = {sig(np.hypot(*g))}")
if diverged_at is not None and k == len(path) - 1:
    line += f". Diverged at step {diverged_at}: the loss ran past {dec(DIVERGENCE_FACTOR)} times its start, so the run stopped."
print(line)

P = np.array(path[: k + 1])
${grid(s.range, pu, pv)}
fig, ax = plt.subplots()
ax.contour(U, V, Z, levels=20)
ax.plot(P[:, 0], P[:, 1], ".-", label="descent")
ax.plot(*P[0], "o", label="start")
ax.set_xlim(${num(s.range[0])}, ${num(s.range[1])})
ax.set_ylim(${num(s.range[2])}, ${num(s.range[3])})
ax.set_aspect("equal")
ax.set_xlabel("${u}")
ax.set_ylabel("${v}")
ax.legend()
plt.show()
`;
}

function lossCurveScript(s, py) {
  const { text } = descentHead(s, py, "The loss curve of a descent", ["val"]);
  return `${text}k = min(${s.k}, len(losses) - 1)  # the step shown
diverged = f"; the run diverged at step {diverged_at}" if diverged_at is not None else ""
print(f"step {k}: loss = {val(losses[k])}{diverged}")

fig, ax = plt.subplots()
steps = np.arange(len(losses))
losses = np.array(losses)
if np.all(losses > 0):
    ax.semilogy(steps, losses, ".-")  # a log axis when every loss is positive, as the widget draws it
else:
    ax.plot(steps, losses, ".-")
ax.plot([k], [losses[k]], "o")
ax.set_xlabel("step")
ax.set_ylabel("loss")
ax.grid(True, which="both")
plt.show()
`;
}

function lrSweepScript(s, py) {
  const { u, v, pu, pv, text } = descentHead(s, py, "The learning-rate sweep", ["sig", "val"]);
  const h = (a, b) => py.diff2(s.source, a, b);
  return `${text}
${def("hessian", `${pu}, ${pv}`, `np.array(np.broadcast_arrays(${h(u, u)}, ${h(u, v)}, ${h(v, u)}, ${h(v, v)}), dtype=float).reshape(2, 2)`, "the engine's second derivatives")}
lo, hi = np.log10(${num(RATE_RANGE[0])}), np.log10(${num(RATE_RANGE[1])})
rates = 10 ** (lo + (hi - lo) * np.arange(${SWEEP.points}) / ${SWEEP.points - 1})  # the sweep's rates, even in log
steps = ${s.steps}
finals = []
for rate in rates:
    _, run_losses, _, stop = descend([${num(s.w)}, ${num(s.b)}], rate, steps)
    finals.append(np.nan if stop is not None else run_losses[-1])
finals = np.array(finals)

best = np.nanargmin(np.where(np.isfinite(finals), finals, np.nan)) if np.any(np.isfinite(finals)) else None
if best is not None:
    end = descend([${num(s.w)}, ${num(s.b)}], rates[best], steps)[0][-1]
    L = np.linalg.eigvalsh(hessian(*end))[-1]  # the largest curvature there
    shown = [0.0 if abs(c) < 1e-9 else c for c in end]
    critical = (f"Critical rate 2/L = {sig(2 / L)} (L, the largest curvature, measured where the best run ended, "
                f"({val(shown[0])}, {val(shown[1])}))." if L > 0 else "f does not curve upwards where the best run ended, so no critical rate.")
else:
    critical = "f does not curve upwards where the best run ended, so no critical rate."
_, run_losses, _, stop = descend([${num(s.w)}, ${num(s.b)}], ${num(s.rate)}, steps)
outcome = (f"diverges at step {stop}" if stop is not None
           else f"ends at loss {sig(run_losses[-1], 3)} after {steps} steps (from {sig(run_losses[0], 3)})")
print(f"Learning rate {sig(${num(s.rate)}, 3)}: {outcome}. {critical}")

fig, ax = plt.subplots()
ax.loglog(rates, finals, ".-", label=f"loss after {steps} steps")
ax.axvline(${num(s.rate)}, linestyle=":", label="η = ${s.rate}")
if best is not None and L > 0:
    ax.axvline(2 / L, linestyle="--", label="2/L")
ax.set_xlabel("learning rate η")
ax.set_ylabel("final loss")
ax.grid(True, which="both")
ax.legend()
plt.show()
`;
}

/** PyTorch's SGD (with momentum), RMSprop and Adam, as crates/calculus/src/optim.rs has them. */
const RULES = `def gd(p, g, lr, t, velocity, square):  # torch.optim.SGD
    return p - lr * g, velocity, square


def momentum(p, g, lr, t, velocity, square, momentum):  # torch.optim.SGD(momentum=...)
    velocity = g if t == 1 else momentum * velocity + g
    return p - lr * velocity, velocity, square


def rmsprop(p, g, lr, t, velocity, square, alpha, epsilon=1e-8):  # torch.optim.RMSprop
    square = alpha * square + (1 - alpha) * g * g
    return p - lr * g / (np.sqrt(square) + epsilon), velocity, square


def adam(p, g, lr, t, velocity, square, beta1, beta2, epsilon=1e-8):  # torch.optim.Adam
    velocity = beta1 * velocity + (1 - beta1) * g
    square = beta2 * square + (1 - beta2) * g * g
    denom = np.sqrt(square) / np.sqrt(1 - beta2**t) + epsilon
    return p - (lr / (1 - beta1**t)) * velocity / denom, velocity, square
`;

/** Descent on f with one of the RULES, stopped as the race stops a run that diverges. */
const RACE = `DIVERGENCE_FACTOR = ${DIVERGENCE_FACTOR}  # a run stops once its loss passes this many times max(1, |f(start)|)


def race(step, start, lr, steps, settings):
    """Descent with one of PyTorch's update rules; as descend(), with the optimizer's state."""
    p = np.array(start, dtype=float)
    velocity, square = np.zeros_like(p), np.zeros_like(p)
    g = grad(*p)
    loss0 = f(*p)
    path, losses = [p.copy()], [loss0]
    bound = DIVERGENCE_FACTOR * max(1, abs(loss0))
    for t in range(1, steps + 1):
        p, velocity, square = step(p, g, lr, t, velocity, square, **settings)
        loss, g = f(*p), grad(*p)
        if not (np.isfinite(loss) and abs(loss) <= bound and np.all(np.isfinite(p))):
            return path, losses, t
        path.append(p.copy())
        losses.append(loss)
    return path, losses, None


${RULES}`;

function raceScript(s, py) {
  const { u, v, pu, pv, f, grad } = twoVariables(s, py);
  const racers = s.racers.filter((r) => r.enabled);
  return `${head("The optimizer race", `${s.source} from (${s.w}, ${s.b}), ${s.iterations} steps`, ["val"])}
${f}
${grad}
${RACE}

racers = [  # name, rule, learning rate, its settings
${racers.map((r) => `    (${str(r.name)}, ${r.key}, ${num(r.learningRate)}, ${pyDict(r.params)}),`).join("\n")}
]
k = ${s.k}  # the step shown
parts, runs = [], []
for name, rule, lr, settings in racers:
    path, losses, stop = race(rule, [${num(s.w)}, ${num(s.b)}], lr, ${s.iterations}, settings)
    runs.append((name, np.array(path)))
    if stop is not None and k >= len(path) - 1:
        parts.append(f"{name} diverged at step {stop}")
    else:
        parts.append(f"{name} {val(losses[min(k, len(losses) - 1)])}")
print(f"step {k}: " + ", ".join(parts))

${grid(s.range, pu, pv)}
fig, ax = plt.subplots()
ax.contour(U, V, Z, levels=20)
for name, P in runs:
    ax.plot(P[: k + 1, 0], P[: k + 1, 1], ".-", label=name)
ax.set_xlim(${num(s.range[0])}, ${num(s.range[1])})
ax.set_ylim(${num(s.range[2])}, ${num(s.range[3])})
ax.set_aspect("equal")
ax.set_xlabel("${u}")
ax.set_ylabel("${v}")
ax.legend()
plt.show()
`;
}

// ---- chapter 5: the chain rule, the computational graph, a tiny network -------------------

/** The gears' names after X, in chain order (the readout's). */
const LINKS = ["A", "B", "C"];

/**
 * Chapter 5's gears: each link and its derivative as numpy (the engine's translation), the
 * composed formula and its derivative as a whole, and the readout's sentences from them.
 */
function gearsScript(s, py) {
  const names = [s.variable, ...LINKS];
  // A link of no variable ignores its input: its argument is a name it does not use.
  const arg = (i) => py.name(s.variables[i] || names[i]);
  const links = LINKS.map((gear, i) => {
    const v = s.variables[i] || names[i];
    return def(gear, arg(i), py.expr(s.links[i]), `${gear}(${v}) = ${s.links[i]}`) + "\n\n"
      + def(`d${gear}`, arg(i), py.diff(s.links[i], v), `d${gear}/d${v}, the engine's derivative`);
  });
  const x = py.name(s.variable);
  return `${head("The chain rule as gears", `${s.links.join("; ")} at ${s.variable} = ${s.x}, X turned ${s.turn}°`, ["dec", "sig", "val"])}
${links.join("\n\n")}

${def("whole", x, py.expr(s.composed), `C = ${s.composed}, composed`)}

${def("d_whole", x, py.diff(s.composed, s.variable), `dC/d${s.variable} of the composed formula, differentiated as a whole`)}

X, COMPOSED = ${str(s.variable)}, ${str(s.composed)}  # the variable gear X stands for; C(B(A(X)))
x0 = np.float64(${num(s.x)})
TURN = ${num(s.turn)}  # degrees gear X has turned (anticlockwise) since x was set
names = [X, "A", "B", "C"]
slope_names = [f"d{names[i + 1]}/d{names[i]}" for i in range(3)]

values, slopes, products = [x0], [], []
for link, slope in [(A, dA), (B, dB), (C, dC)]:
    value = np.float64(link(values[-1]))
    # Where a link is undefined (ln of a negative number), so is its slope.
    slopes.append(np.float64(slope(values[-1])) if np.isfinite(value) else np.nan)
    products.append((products[-1] if products else 1.0) * slopes[-1])  # how far the gear turns per degree of X
    values.append(value)
product = products[-1]
composed = np.float64(whole(x0))
slope_of_whole = np.float64(d_whole(x0)) if np.isfinite(composed) else np.nan
turns = [TURN * r for r in [1.0] + products]


def degrees(v):
    return f"{'+' if v > 0 else ''}{dec(v, 1)}°"


lines = [f"At {X} = {val(x0)}: " + ", ".join(f"{names[k]} = {val(values[k])}" for k in (1, 2, 3)) + ".",
         ", ".join(f"{slope_names[i]} = {val(slopes[i])}" for i in range(3)) + "."]
if not (np.isfinite(product) and np.isfinite(slope_of_whole)):
    lines.append(f"dC/d{X} is undefined here, so the gears have no ratio to check.")
else:
    # the same number to 1e-12, relative, as the widget checks
    agree = product == slope_of_whole or abs(product - slope_of_whole) <= 1e-12 * max(abs(product), abs(slope_of_whole))
    lines.append(f"Chain rule: {' × '.join(val(d) for d in slopes)} = {sig(product, 12)}; the engine's dC/d{X} of "
                 f"{COMPOSED} = {sig(slope_of_whole, 12)} {'✓ they agree' if agree else '✗ they differ'}.")
if TURN == 0:
    lines.append("Turn gear X: each gear turns by X's turn times the product of the ratios up to it "
                 "(the chain rule, linearised at this point).")
else:
    lines.append(f"X turned {degrees(turns[0])}, so A turned {degrees(turns[1])}, B {degrees(turns[2])} "
                 f"and C {degrees(turns[3])} (dC/d{X} × {degrees(turns[0])}).")
undefined = next((k for k in (1, 2, 3) if not np.isfinite(values[k])), None)
stopped = next((i for i in range(3) if slopes[i] == 0), None)
if undefined is not None:
    lines.append(f"{names[undefined]} is undefined at {names[undefined - 1]} = {val(values[undefined - 1])}, "
                 f"so {', '.join(names[undefined:])} cannot turn.")
elif stopped is not None:
    lines.append(f"{slope_names[stopped]} = 0 here: the chain stops, so {', '.join(names[stopped + 1:])} "
                 f"stand{'s' if stopped == 2 else ''} still.")
else:
    lines += [f"{slope_names[i]} < 0: {names[i + 1]} turns against {names[i]}." for i in range(3) if slopes[i] < 0]
    if product < 0:
        lines.append("So C turns against X.")
print("\\n".join(lines))

# Each gear's area shows its own ratio (within what can be drawn), its spoke its turn.
least, most = ${GEARS.ratioShown.map(num).join(", ")}
fig, ax = plt.subplots(figsize=(10, 3.6))
theta = np.linspace(0, 2 * np.pi, 721)
for k, ratio in enumerate([1.0] + products):
    own = 1.0 if k == 0 else slopes[k - 1]
    radius = 0.46 * np.sqrt((np.clip(abs(own), least, most) if np.isfinite(own) else least) / most)
    moving = bool(np.isfinite(ratio) and ratio != 0)
    angle = np.radians(turns[k] % 360) if moving else 0.0
    teeth = max(6, round(40 * radius))
    r = radius * (0.88 + 0.12 * (np.sin(teeth * (theta - angle)) > 0))
    color = f"C{k}" if moving else "grey"
    ax.fill(k + 0.5 + r * np.cos(theta), r * np.sin(theta), alpha=0.35, color=color)
    ax.plot([k + 0.5, k + 0.5 + radius * np.cos(angle)], [0, radius * np.sin(angle)], color=color, lw=2)
    if not moving:
        ax.text(k + 0.5, 0, "stopped" if ratio == 0 else "undefined", ha="center", va="center")
    ax.text(k + 0.5, -0.62, f"{names[k]} = {val(values[k])}", ha="center")
    ax.text(k + 0.5, -0.78, degrees(turns[k]) if np.isfinite(ratio) else "—", ha="center")
    if k > 0:
        ax.annotate(f"{slope_names[k - 1]}\\n×{val(slopes[k - 1])}", (k, 0.6), ha="center")
ax.set_xlim(0, 4)
ax.set_ylim(-0.85, 0.85)
ax.set_aspect("equal")
ax.axis("off")
plt.show()
`;
}

/**
 * Each operation of the engine's graph (crates/calculus/src/backprop.rs) as Python: its forward
 * rule in its inputs a and b, its local derivatives (∂out/∂a, ∂out/∂b) given its own value
 * out (`varies`: whether an exponent is a variable, whose ln would otherwise be taken for no
 * reason), and how the readout writes it with the numbers in. Functions of one argument come
 * from the engine's translation, `powi` from its exponent.
 */
const GRAPH_RULES = {
  neg: ["-a", "(-1.0, 0.0)", "−({0})"],
  add: ["a + b", "(1.0, 1.0)", "{0} + {1}"],
  sub: ["a - b", "(1.0, -1.0)", "{0} − {1}"],
  mul: ["a * b", "(b, a)", "{0} × {1}"],
  div: ["a / b", "(1 / b, -out / b)", "{0} / {1}"],
  pow: ["np.nan if np.isnan(a) or np.isnan(b) else a**b",
    "(b * a**(b - 1), 0.0 if not varies or (a == 0 and b >= 0) else out * np.log(a))", "{0}^{1}"],
  root: [null, "((1 / b) * a**(1 / b - 1) if a == 0 else out / (b * a), -out * np.log(a) / (b * b) if varies else 0.0)",
    "nthRoot({0}, {1})"],
  atan2: ["np.arctan2(a, b)", "(b / np.hypot(a, b) / np.hypot(a, b), -a / np.hypot(a, b) / np.hypot(a, b))", "atan2({0}, {1})"],
  min: ["a if a <= b else b if b < a else np.nan", "(1.0, 0.0) if a < b else (0.0, 1.0) if b < a else (0.5, 0.5)", "min({0}, {1})"],
  max: ["a if a >= b else b if b > a else np.nan", "(1.0, 0.0) if a > b else (0.0, 1.0) if b > a else (0.5, 0.5)", "max({0}, {1})"],
};

/** The rule of a graph node `{ op, label }`: [its key in the script, forward, local, words]. */
function graphRule({ op, label }, py) {
  if (op === "powi") {
    const n = Number(label.slice(1));
    return [label, `a**${n}` + (n === 0 ? " + 0 * a" : ""), n === 0 ? "(0.0, 0.0)" : `(${n} * a**${n - 1}, 0.0)`, `{0}${label}`];
  }
  if (GRAPH_RULES[op]) {
    const [forward, local, words] = GRAPH_RULES[op];
    return [op, forward ?? py.expr(`nthRoot(a, b)`), local, words];
  }
  // A function of one argument: the engine's numpy and its derivative rule.
  return [op, py.expr(`${op}(a)`), `(${py.diff(`${op}(a)`, "a")}, 0.0)`, `${op}({0})`];
}

/**
 * Chapter 5's computational graph: the engine's nodes (a subexpression written twice is one
 * node), then micrograd's two passes over them in Python, every backward edge recorded in
 * the order the engine runs them, and the readout of the step shown.
 */
function graphScript(s, py) {
  const nodes = py.nodes(s.source, s.values);
  const rules = new Map();
  const rows = nodes.map((node, i) => {
    const given = node.op === "var" ? num(s.values[node.label]) : node.op === "const" ? pyNumber(node.value) : "None";
    const kind = node.op === "var" ? "input" : node.op === "const" ? "constant" : graphRule(node, py)[0];
    if (node.inputs.length) rules.set(kind, graphRule(node, py));
    return `    (${str(s.names[i])}, ${str(node.label)}, ${str(kind)}, [${node.inputs.join(", ")}], ${given}),`;
  });
  const table = [...rules.values()].map(([key, forward, local, words]) =>
    `    ${str(key)}: (lambda a, b: ${forward},\n${" ".repeat(key.length + 8)}lambda a, b, out, varies: ${local}, ${str(words)}),`);
  return `${head("A computational graph, both passes", `f = ${s.source} at ${Object.entries(s.values).map(([k, v]) => `${k} = ${v}`).join(", ")}, step ${s.step}`, ["val"])}
# The engine's graph of f, inputs first, output last: (name, label, rule, inputs, value given)
graph = [
${rows.join("\n")}
]
RULES = {  # forward(a, b), local derivatives (∂out/∂a, ∂out/∂b), the step in words
${table.join("\n")}
}
STEP = ${s.step}  # the step shown
FOCUS = ${s.focus}  # the node picked (-1: none)

# Forward: each node's value from its inputs' (a one-input rule reads a twice, b = a).
value = []
for name, label, rule, args, given in graph:
    value.append(np.float64(given) if given is not None else RULES[rule][0](value[args[0]], value[args[-1]]))

# Backward, micrograd's: the output's gradient is 1; each node, after every node that uses it,
# passes upstream × local to each input, whose running sum grows; every edge is recorded.
grad = [np.float64(0)] * len(graph)
grad[-1] = np.float64(1)
steps = []  # (to, from, upstream, local, contribution, to's total so far)
for i in reversed(range(len(graph))):
    name, label, rule, args, given = graph[i]
    if not args:
        continue
    a, b = value[args[0]], value[args[-1]]
    varies = graph[args[-1]][2] != "constant"
    for to, local in zip(args, RULES[rule][1](a, b, value[i], varies)):
        grad[to] += grad[i] * local
        steps.append((to, i, grad[i], local, grad[i] * local, grad[to]))

computed = [i for i, node in enumerate(graph) if node[3]]  # step k computes computed[k - 1]
total = len(computed) + 1 + len(steps)
feeds = [sum(1 for s in steps if s[0] == i) for i in range(len(graph))]
names = [node[0] for node in graph]


def wrapped(name):  # ∂f/∂b, ∂f/∂(a + b)
    return name if all(c.isalnum() or c in "_." for c in name) else f"({name})"


def backward_words(j):
    to, frm, upstream, local, contribution, so_far = steps[j]
    parts = [val(s[4]) for s in steps[:j + 1] if s[0] == to]
    sum_ = f"{' + '.join(parts)} = {val(so_far)}" if len(parts) > 1 else val(so_far)
    left = feeds[to] - len(parts)
    status = ((f" (all {len(parts)} contributions)" if len(parts) > 1 else " (all of it)") if left == 0
              else " so far (1 more to come)" if left == 1 else f" so far ({left} more to come)")
    return (f"{names[frm]} → {names[to]}: ∂f/∂{wrapped(names[frm])} × ∂{wrapped(names[frm])}/∂{wrapped(names[to])} = "
            f"{val(upstream)} × {val(local)} = {val(contribution)}; ∂f/∂{wrapped(names[to])} = {sum_}{status}")


at = f"step {STEP} of {total}"
if STEP == 0:
    print(f"Inputs, {at}: step on to run the forward pass, one node at a time.")
elif STEP <= len(computed):
    i = computed[STEP - 1]
    name, label, rule, args, given = graph[i]
    words = RULES[rule][2].format(*[val(value[k]) for k in args])
    print(f"Forward, {at}: {name} = {words} = {val(value[i])}")
elif STEP == len(computed) + 1:
    print(f"Backward, {at}: the output's gradient ∂f/∂f = 1 starts the backward pass.")
else:
    print(f"Backward, {at}: {backward_words(STEP - len(computed) - 2)}")
if FOCUS >= 0:
    parts = [f"{val(s[4])} through {wrapped(names[s[1]])}" for s in steps if s[0] == FOCUS]
    sum_ = f" = {' + '.join(parts)}" if len(parts) > 1 else ""
    print(f"{names[FOCUS]} = {val(value[FOCUS])}; ∂f/∂{wrapped(names[FOCUS])} = {val(grad[FOCUS])}{sum_}")

# The picture at this step: what is known of each value and each gradient, in layers.
shown_value = [i not in computed or computed.index(i) < STEP for i in range(len(graph))]
applied = steps[:max(0, STEP - len(computed) - 1)]
shown_grad = {len(graph) - 1: 1.0} if STEP > len(computed) else {}
for to, frm, upstream, local, contribution, so_far in applied:
    shown_grad[to] = so_far
layer = []
for name, label, rule, args, given in graph:
    layer.append(1 + max(layer[k] for k in args) if args else 0)
place = {i: (layer[i], sum(1 for j in range(i) if layer[j] == layer[i])) for i in range(len(graph))}
fig, ax = plt.subplots(figsize=(min(24, 2.4 * (max(layer) + 1)), min(16, 1.3 * max(p[1] + 1 for p in place.values()))))
for i, (name, label, rule, args, given) in enumerate(graph):
    for k in args:
        lit = STEP > len(computed) + 1 and steps[STEP - len(computed) - 2][:2] == (k, i)
        ax.annotate("", place[i], place[k], arrowprops=dict(arrowstyle="->", color="C3" if lit else "grey", lw=2 if lit else 1,
                                                           shrinkA=22, shrinkB=22))
    text = label + (f"\\n{val(value[i])}" if shown_value[i] else "") + (f"\\ngrad {val(shown_grad[i])}" if i in shown_grad else "")
    lit = 0 < STEP <= len(computed) and computed[STEP - 1] == i
    ax.text(*place[i], text, ha="center", va="center", bbox=dict(boxstyle="round", fc="white", ec="C3" if lit or i == FOCUS else "C0"))
ax.set_xlim(-0.6, max(layer) + 0.6)
ax.set_ylim(-0.6, max(p[1] for p in place.values()) + 0.6)
ax.axis("off")
ax.set_title("f = " + ${str(s.source)})
plt.show()
`;
}

/**
 * Chapter 5's 2-2-1 network trained by hand: the steps taken so far replayed from the
 * starting parameters, then the walk's one step, every number of it in numpy, and the stop's
 * readout (its title is the widget's).
 */
function tinyNetworkScript(s) {
  const act = ACTIVATIONS[s.activation];
  if (!act) throw new Error(`no script for ${s.activation}`);
  return `${head("A tiny network, trained by hand", `x = (${s.inputs.join(", ")}), y = ${s.target}, η = ${s.rate}, ${s.activation}, stop ${s.stop + 1}`, ["val"])}
def act(z):  # ${s.activation}, the hidden layer's; the output is linear
    return ${act[0]}


def act_slope(a):  # its slope, through its output a
    return ${act[1]}


x, y, RATE = np.array([${s.inputs.map(num).join(", ")}]), ${num(s.target)}, ${num(s.rate)}
STOP, TITLE = ${s.stop}, ${str(s.title)}  # the stop shown (from 0) and its title
# w₁ w₂ w₃ w₄ b₁ b₂ w₅ w₆ b₃: W₁ row by row, its biases, W₂, its bias (the engine's layout)
START = np.array([${s.start.map(num).join(", ")}])
NAMES = ["w₁", "w₂", "w₃", "w₄", "b₁", "b₂", "w₅", "w₆", "b₃"]


def trace(p):
    """One forward and one backward pass on the example, with the mse loss (ŷ − y)²."""
    W1, b1, w2, b3 = p[:4].reshape(2, 2), p[4:6], p[6:8], p[8]
    z = W1 @ x + b1
    h = act(z)
    y_hat = w2 @ h + b3
    d_out = 2 * (y_hat - y)  # ∂L/∂ŷ
    dh = w2 * d_out  # ∂L/∂h = W₂ᵀ·∂L/∂ŷ
    dz = dh * act_slope(h)  # ∂L/∂z
    grad = np.concatenate([np.outer(dz, x).ravel(), dz, d_out * h, [d_out]])
    return dict(z=z, h=h, y_hat=y_hat, loss=(y_hat - y) ** 2, d_out=d_out, dh=dh, dz=dz, grad=grad)


# "Step again" ${s.steps} time${s.steps === 1 ? "" : "s"}: plain gradient descent from the start.
p, losses = START, []
for _ in range(${s.steps}):
    t = trace(p)
    losses.append(t["loss"])
    p = p - RATE * t["grad"]
before = trace(p)
stepped = p - RATE * before["grad"]
after = trace(stepped)

sub = "₁₂"


def forward_rows(t, prime):  # z₁, h₁, z₂, h₂ of a pass (′: after the step)
    return [row for j in range(2) for row in [(f"z{sub[j]}{prime}", t["z"][j]), (f"h{sub[j]}{prime}", t["h"][j])]]



stops = [  # each stop's quantities, as the readout lists them (the table adds f′(z))
    forward_rows(before, ""),
    [("ŷ", before["y_hat"])],
    [("L", before["loss"])],
    [("∂L/∂ŷ", before["d_out"]), ("∂L/∂w₅", before["grad"][6]), ("∂L/∂w₆", before["grad"][7]), ("∂L/∂b₃", before["grad"][8])],
    [row for j in range(2) for row in [(f"∂L/∂h{sub[j]}", before["dh"][j]), (f"∂L/∂z{sub[j]}", before["dz"][j]),
                                      (f"∂L/∂{NAMES[2 * j]}", before["grad"][2 * j]),
                                      (f"∂L/∂{NAMES[2 * j + 1]}", before["grad"][2 * j + 1]),
                                      (f"∂L/∂{NAMES[4 + j]}", before["grad"][4 + j])]],
    [(f"new {name}", stepped[k]) for k, name in enumerate(NAMES)],
    forward_rows(after, "′") + [("ŷ′", after["y_hat"]), ("L′", after["loss"])],
]
shown = [(q, val(v)) for q, v in stops[STOP]]
if STOP == len(stops) - 1:
    shown.append(("L → L′", f"{val(before['loss'])} → {val(after['loss'])}"))
    if losses:  # the last eight steps' losses before them
        shown.append(("L, step by step", " → ".join(val(l) for l in losses[-8:] + [before["loss"], after["loss"]])))
print(f"Stop {STOP + 1} of {len(stops)}. {TITLE}: " + ", ".join(f"{q} = {v}" for q, v in shown) + ".")

# The network with the stop's weights on its edges and values in its units.
weights = stepped if STOP >= 5 else p  # the step's new weights from its stop on
t = after if STOP == 6 else before
at = {"x₁": (0, 0.75), "x₂": (0, 0.25), "h₁": (1, 0.75), "h₂": (1, 0.25), "ŷ": (2, 0.5), "L": (3, 0.5)}
edges = [("x₁", "h₁", 0), ("x₂", "h₁", 1), ("x₁", "h₂", 2), ("x₂", "h₂", 3), ("h₁", "ŷ", 6), ("h₂", "ŷ", 7)]
fig, ax = plt.subplots(figsize=(8, 4))
for a, b, k in edges:  # each weight written near the unit it feeds, where the edges part
    ax.annotate("", at[b], at[a], arrowprops=dict(arrowstyle="->", color="grey", shrinkA=16, shrinkB=16))
    ax.text(0.4 * at[a][0] + 0.6 * at[b][0], 0.4 * at[a][1] + 0.6 * at[b][1], f"{NAMES[k]} = {val(weights[k])}",
            fontsize=8, ha="center", va="center", bbox=dict(fc="white", ec="none", pad=1))
ax.annotate("", at["L"], at["ŷ"], arrowprops=dict(arrowstyle="->", color="grey"))
units = {"x₁": x[0], "x₂": x[1], "h₁": t["h"][0], "h₂": t["h"][1], "ŷ": t["y_hat"], "L": t["loss"]}
for name, v in units.items():
    ax.text(*at[name], f"{name}\\n{val(v)}", ha="center", va="center", bbox=dict(boxstyle="circle,pad=0.3", fc="white", ec="C0"))
ax.set_xlim(-0.4, 3.4)
ax.set_ylim(0, 1)
ax.axis("off")
ax.set_title(f"Stop {STOP + 1}: {TITLE}", fontsize=9)
plt.show()
`;
}

// ---- chapter 6: networks on the toy datasets --------------------------------------------

/** The engine's seeded generator (crates/calculus/src/random.rs), draw for draw. */
const RNG = `MASK = (1 << 64) - 1


class Rng:
    """The engine's generator (SplitMix64, Marsaglia's polar normal): the same seed, the same numbers."""

    def __init__(self, seed):
        self.state = seed

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next_u64() >> 11) * (1.0 / (1 << 53))

    def between(self, low, high):
        return low + (high - low) * self.uniform()

    def normal(self):
        while True:
            v1, v2 = 2 * self.uniform() - 1, 2 * self.uniform() - 1
            s = v1 * v1 + v2 * v2
            if 0 < s < 1:
                return v1 * math.sqrt(-2 * math.log(s) / s)

    def shuffle(self, *lists):  # Fisher–Yates, the same swaps in each list
        for i in range(len(lists[0]) - 1, 0, -1):
            j = self.next_u64() % (i + 1)
            for rows in lists:
                rows[i], rows[j] = rows[j], rows[i]
`;

/**
 * Each toy dataset's points as crates/calculus/src/dataset.rs draws them, in generate()'s
 * body: `rng`, `halves` (the first half of the points class 1) and `noise` given, rows of
 * [x, y] into `points`, classes into `labels`.
 */
const DATASETS = {
  circle: `    for n, inside in halves:  # class 1 within radius 2.5, class 0 from 3.5 to 5
        r0, r1 = (0.0, 2.5) if inside else (3.5, 5.0)
        for _ in range(n):
            r, angle = rng.between(r0, r1), rng.between(0.0, math.tau)
            x, y = r * math.sin(angle), r * math.cos(angle)
            nx, ny = rng.between(-5.0, 5.0) * noise, rng.between(-5.0, 5.0) * noise
            points.append([x, y])
            labels.append(math.hypot(x + nx, y + ny) < 2.5)  # noise moves the point that decides the class`,
  xor: `    padded = lambda v: v + 0.3 if v > 0 else v - 0.3
    for _ in range(count):
        x, y = padded(rng.between(-5.0, 5.0)), padded(rng.between(-5.0, 5.0))
        nx, ny = rng.between(-5.0, 5.0) * noise, rng.between(-5.0, 5.0) * noise
        points.append([x, y])
        labels.append((x + nx) * (y + ny) >= 0)`,
  gauss: `    sd = math.sqrt(0.5 + 7.0 * noise)
    for n, positive in halves:  # class 1 round (2, 2), class 0 round (-2, -2)
        centre = 2.0 if positive else -2.0
        for _ in range(n):
            x = centre + sd * rng.normal()
            points.append([x, centre + sd * rng.normal()])
            labels.append(positive)`,
  spiral: `    for n, positive in halves:  # two arms, class 0's turned by π
        turn = 0.0 if positive else math.pi
        for i in range(n):
            r, t = i / n * 5.0, 1.75 * i / n * math.tau + turn
            x = r * math.sin(t) + rng.between(-1.0, 1.0) * noise
            points.append([x, r * math.cos(t) + rng.between(-1.0, 1.0) * noise])
            labels.append(positive)`,
  moons: `    outer = count // 2  # sklearn's make_moons: the upper moon class 0, the lower class 1
    points = [[math.cos(t), math.sin(t)] for t in np.linspace(0.0, math.pi, outer)]
    points += [[1 - math.cos(t), 1 - math.sin(t) - 0.5] for t in np.linspace(0.0, math.pi, count - outer)]
    labels = [False] * outer + [True] * (count - outer)
    for row in points:
        for k in range(2):
            row[k] += noise * rng.normal()`,
};

/** generate() for dataset `name`: the engine's points, in the engine's order. */
function dataset(name) {
  if (!DATASETS[name]) throw new Error(`no script for the ${name} data`);
  return `def generate(count, noise, seed):
    """The ${name} data as the engine makes it, draw for draw: the same seed, the same points."""
    rng = Rng(seed)
    halves = [(count // 2, True), (count - count // 2, False)]
    points, labels = [], []
${DATASETS[name]}
    rng.shuffle(points, labels)  # the rows come shuffled, as the engine's do
    return np.array(points, dtype=float), np.array(labels, dtype=float)[:, None]
`;
}

/** Each init's standard deviation from a layer's fans (crates/calculus/src/nn/init.rs); zeros draws nothing. */
const INIT_STD = {
  he: "np.sqrt(2 / fan_in)",
  xavier: "np.sqrt(2 / (fan_in + fan_out))",
  normal: "SIGMA",
  zeros: "None",
};

/** A hidden activation and its slope through its output a, as the engine's backward pass writes it. */
const ACTIVATIONS = {
  sigmoid: ["1 / (1 + np.exp(-z))", "a * (1 - a)"],
  tanh: ["np.tanh(z)", "1 - a * a"],
  relu: ["np.where(z > 0, z, 0.0)", "(a > 0) * 1.0"],  // 0 where z is not a number, as the engine's layers
  linear: ["z", "np.ones_like(a)"],
};

/**
 * A multilayer perceptron as crates/calculus/src/nn/ has it: its parameters flat (each
 * layer's W, outputs × inputs, then b), the seeded init, the forward pass (the output linear),
 * BCEWithLogitsLoss and the backward pass.
 */
function network(activation, init) {
  const act = ACTIVATIONS[activation];
  if (!act || !INIT_STD[init]) throw new Error(`no script for ${activation} with ${init} init`);
  return `def act(z):  # ${activation}
    return ${act[0]}


def act_slope(a):  # its slope, through its output a
    return ${act[1]}


def initial_parameters(sizes, seed):
    """W[j][i] joins input i to unit j; each layer's W drawn in turn from the seeded generator (${init}), b zeros."""
    rng, parts = Rng(seed), []
    for fan_in, fan_out in zip(sizes, sizes[1:]):
        std = ${INIT_STD[init]}
        parts.append(np.zeros(fan_in * fan_out) if std is None else
                     np.array([std * rng.normal() for _ in range(fan_in * fan_out)]))
        parts.append(np.zeros(fan_out))
    return np.concatenate(parts)


def layers(flat, sizes):
    """Each layer's (W, b) in a vector laid out as the parameters (views, not copies)."""
    out, at = [], 0
    for fan_in, fan_out in zip(sizes, sizes[1:]):
        W = flat[at:at + fan_in * fan_out].reshape(fan_out, fan_in)
        out.append((W, flat[at + fan_in * fan_out:at + fan_in * fan_out + fan_out]))
        at += fan_in * fan_out + fan_out
    return out


def forward(params, sizes, X):
    """Every layer's outputs, X first: the hidden layers through act, the output linear (a logit)."""
    outs = [X]
    for l, (W, b) in enumerate(layers(params, sizes)):
        # z = x·Wᵀ + b, summed as the engine sums it (b first, then input by input), so that a
        # run whose numbers blow up overflows where the engine's does
        z = b + outs[-1][:, :1] * W[:, 0]
        for i in range(1, W.shape[1]):
            z += outs[-1][:, i:i + 1] * W[:, i]
        outs.append(act(z) if l < len(sizes) - 2 else z)
    return outs


def bce(o, y):  # BCEWithLogitsLoss, the mean
    return np.mean(np.maximum(o, 0) - o * y + np.log1p(np.exp(-np.abs(o))))


def passes(params, sizes, X, y):
    """The loss on the batch (X, y) and its gradient, laid out as the parameters; every layer's outputs."""
    outs = forward(params, sizes, X)
    delta = (1 / (1 + np.exp(-outs[-1])) - y) / len(X)  # ∂L/∂output
    grads = []
    for l, (W, b) in reversed(list(enumerate(layers(params, sizes)))):
        grads = [(delta.T @ outs[l]).ravel(), delta.sum(axis=0)] + grads
        if l > 0:
            delta = (delta @ W) * act_slope(outs[l])
    return bce(outs[-1], y), np.concatenate(grads), outs


def layer_norms(grad, sizes):  # ‖∂L/∂W_l‖, first layer first (weights only)
    return [np.linalg.norm(W) for W, _ in layers(grad, sizes)]
`;
}

function deepGradientsScript(s) {
  // The script ports the generators; python.test checks them against the engine's.
  const caption = `${s.depth} hidden ${s.activation} layers of ${s.width}, ${s.init} init${INIT_STD[s.init] === INIT_STD.normal ? ` σ = ${s.sigma}` : ""}, seed ${s.seed}`;
  return `${head("Gradients through a deep network", caption, ["sig"])}import math

${RNG}

${dataset(DEEP_GRADIENTS.dataset)}

${network(s.activation, s.init)}

DEPTH, WIDTH, SEED, SIGMA = ${s.depth}, ${s.width}, ${s.seed}, ${num(s.sigma)}
X, y = generate(${DEEP_GRADIENTS.points}, 0.0, ${DEEP_GRADIENTS.seed})  # the batch
sizes = [2] + [WIDTH] * DEPTH + [1]
params = initial_parameters(sizes, SEED)

loss, grad, outs = passes(params, sizes, X, y)  # one forward and one backward pass
norms = layer_norms(grad, sizes)
total = np.linalg.norm(grad)
spreads = [np.sqrt(np.mean(np.var(a, axis=0))) for a in outs[1:-1]]  # how much each hidden layer varies


def times_power(v):  # as the widget writes it: 1.2 × 10⁻⁶ beyond [0.01, 1000)
    if v == 0:
        return "0"
    if not np.isfinite(v):
        return "overflow"
    if 1e-2 <= abs(v) < 1e3:
        return sig(v, 2)
    exponent = math.floor(math.log10(abs(v)))
    mantissa = v / 10.0**exponent
    if abs(mantissa) >= 9.95:
        mantissa, exponent = math.copysign(1, mantissa), exponent + 1
    return f"{sig(mantissa, 2)} × 10{str(exponent).translate(str.maketrans('-0123456789', '⁻⁰¹²³⁴⁵⁶⁷⁸⁹'))}"


ratio = norms[0] / norms[DEPTH - 1] if norms[DEPTH - 1] > 0 else np.nan
verdict = ("no gradient reaches the last hidden layer" if not np.isfinite(ratio)
           else "vanishing towards the input" if ratio < 1e-2
           else "exploding towards the input" if ratio > 1e2
           else "level within a factor of 100")
print(f"Layer 1's gradient is {times_power(ratio)} of layer {DEPTH}'s: {verdict}. "
      f"Loss {sig(loss, 3)}, ‖∇L‖ = {times_power(total)}.")

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
left.bar(range(1, len(norms) + 1), norms, log=True)
left.set_xlabel("layer")
left.set_ylabel("‖∂L/∂W‖")
right.bar(range(1, len(spreads) + 1), spreads, log=True)
right.set_xlabel("hidden layer")
right.set_ylabel("spread of its outputs")
plt.show()
`;
}

/**
 * Chapter 6's playground: its run replayed step by step as the engine took it (the data, the
 * seeded weights, each epoch's batch order, each step's rule and clipping) for the charts, and
 * its readout measured on the widget's own weights (see the script's comment for why).
 */
function playgroundScript(s) {
  const [run] = s.schedule;
  const data = PLAYGROUND_DATA.find((d) => d.key === run.dataset);
  if (!data) throw new Error(`no script for the ${run.dataset} data`);
  const n = (key) => num(Number(run[key]));
  const entries = s.schedule.map((e) => {
    const clip = Number(e.clip) > 0 ? num(Number(e.clip)) : "None";
    return `    (${e.step}, ${e.optimizer}, ${num(Number(e.lr))}, ${e.batch}, ${clip}, ${pyDict(PLAYGROUND_OPTIMIZERS[e.optimizer])}),`;
  });
  const changes = s.schedule.length > 1 ? `, its step settings changed at step ${s.schedule.slice(1).map((e) => e.step).join(", ")}` : "";
  const caption = `${data.label} data, ${run.hidden} hidden ${run.activation} layers of ${run.width}, ${run.init} init, ${run.optimizer} η = ${run.lr}, seed ${run.seed}, ${s.steps} steps${changes}`;
  // Written out in lines of a few numbers: the weights of a large network run to thousands.
  const measured = s.measured.map(pyNumber).reduce((lines, v, i) => {
    if (i % 6 === 0) lines.push([]);
    lines.at(-1).push(v);
    return lines;
  }, []).map((line) => `    ${line.join(", ")},`).join("\n");
  return `${head("The training playground", caption, ["sig"])}import math
import struct

${RNG}

${dataset(run.dataset)}

${network(run.activation, run.init)}

${RULES}
sgd = gd  # the playground's name for plain descent, PyTorch's

COUNT, NOISE, TRAIN, SEED = ${s.count}, ${n("noise")}, ${n("train")}, ${n("seed")}
HIDDEN, WIDTH, SIGMA = ${n("hidden")}, ${n("width")}, ${n("std")}
SCHEDULE = [  # from step, update rule, learning rate, batch size, clip threshold, the rule's settings
${entries.join("\n")}
]
# Where the widget is: steps taken (one that diverged counts), the epoch its latest losses were
# measured after, and the steps clip_grad_norm_ scaled down.
STEPS, EPOCH, CLIPPED, DIVERGED = ${s.steps}, ${s.epoch}, ${s.clipped}, ${s.diverged ? "True" : "False"}
# The replay below takes the widget's every step, in numpy's arithmetic: the same up to the
# order of sums and the last bit of tanh and σ. A calm run ends on the same weights; a run
# that jumps about (a high rate with momentum, tiny batches) can grow those bits into the
# third digit over a thousand steps. So the readout is measured, as the widget measured it, on
# the widget's own weights at the end of epoch EPOCH, written out here.
MEASURED = np.array([
${measured}
])

X, y = generate(COUNT, NOISE, SEED)
k = min(max(math.floor(COUNT * (TRAIN / 100) + 0.5), 1), COUNT - 1)  # the first k rows train, the rest test
train_X, train_y, test_X, test_y = X[:k], y[:k], X[k:], y[k:]
sizes = [2] + [WIDTH] * HIDDEN + [1]
params = initial_parameters(sizes, SEED)


def measure(weights):  # both sets after an epoch: the losses and the test accuracy
    train_out, test_out = forward(weights, sizes, train_X)[-1], forward(weights, sizes, test_X)[-1]
    return bce(train_out, train_y), bce(test_out, test_y), np.mean((test_out >= 0) == (test_y >= 0.5))


# Each epoch's batches in a fresh order, from a generator seeded by the first weight's bits.
order_rng = Rng(0x5EED ^ struct.unpack("<Q", struct.pack("<d", params[0]))[0])
order = list(range(k))
cursor = epoch = steps = 0
rule, t, velocity, square = None, 0, np.zeros_like(params), np.zeros_like(params)
epochs, norms, clipped_at, diverged = [(0, *measure(params))], [], [], None
while steps < STEPS and diverged is None:
    _, update, lr, batch, clip, settings = [e for e in SCHEDULE if e[0] <= steps][-1]
    if cursor == 0:
        order_rng.shuffle(order)
    rows = order[cursor:cursor + batch]
    steps += 1
    loss, grad, _ = passes(params, sizes, train_X[rows], train_y[rows])
    norms.append(layer_norms(grad, sizes))
    if update is not rule:  # another rule starts from fresh state; the same one keeps its own
        rule, t, velocity, square = update, 0, np.zeros_like(params), np.zeros_like(params)
    if clip is not None:  # torch.nn.utils.clip_grad_norm_(parameters, clip)
        scale = clip / (np.linalg.norm(grad) + 1e-6)
        if scale < 1:
            grad = grad * scale
            clipped_at.append(steps)
    t += 1
    params, velocity, square = rule(params, grad, lr, t, velocity, square, **settings)
    if not (np.isfinite(loss) and np.all(np.isfinite(params))):
        diverged = (steps, epoch, loss)
        break
    cursor = min(cursor + batch, k)
    if cursor == k:
        cursor, epoch = 0, epoch + 1
        epochs.append((epoch, *measure(params)))
        if not np.all(np.isfinite(epochs[-1][1:3])):
            diverged = (steps, epoch, loss)

if DIVERGED:  # the replay's divergence: the step, and the loss that gave out or was still a number
    step, at, loss = diverged or (steps, epoch, loss)
    became = "NaN" if np.isnan(loss) else sig(loss, 3)
    print(f"Diverged at step {step} (epoch {at}): the loss became {became}, so training stopped. "
          "Lower the learning rate, or turn clipping on, and reset.")
else:
    train_loss, test_loss, test_accuracy = measure(MEASURED)
    also = f", {CLIPPED} clipped" if CLIPPED else ""
    print(f"epoch {EPOCH}, step {STEPS}{also}: train loss {sig(train_loss, 3)}, test loss {sig(test_loss, 3)}, "
          f"test accuracy {math.floor(test_accuracy * 100 + 0.5)}%")  # halves rounded up, as the widget rounds

x0, x1, y0, y1 = ${data.range.map(num).join(", ")}
gx, gy = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
logits = forward(params, sizes, np.column_stack([gx.ravel(), gy.ravel()]))[-1]
fig, (boundary, curves, gradients) = plt.subplots(1, 3, figsize=(15, 4.5))
boundary.imshow((1 / (1 + np.exp(-logits))).reshape(gx.shape), extent=(x0, x1, y0, y1), origin="lower",
                cmap="RdBu", vmin=0, vmax=1, alpha=0.6)  # P(class 1)
boundary.scatter(train_X[:, 0], train_X[:, 1], c=train_y[:, 0], cmap="RdBu", vmin=0, vmax=1, s=14, label="train")
boundary.scatter(test_X[:, 0], test_X[:, 1], facecolors="none", edgecolors=plt.cm.RdBu(test_y[:, 0]), s=14, label="test")
boundary.set_xlim(x0, x1)
boundary.set_ylim(y0, y1)
boundary.legend()
E = np.array(epochs, dtype=float)
curves.semilogy(E[:, 0], E[:, 1], label="train loss")
curves.semilogy(E[:, 0], E[:, 2], "--", label="test loss")
curves.set_xlabel("epoch")
curves.legend()
if norms:
    N = np.array(norms)
    for l in range(N.shape[1]):
        gradients.semilogy(np.arange(1, len(N) + 1), N[:, l], label=f"L{l + 1}")
    gradients.vlines(clipped_at, 0, 0.04, transform=gradients.get_xaxis_transform(), color="C3")  # the clipped steps
    gradients.legend()
gradients.set_xlabel("step")
gradients.set_ylabel("‖∂L/∂W‖")
plt.show()
`;
}

/** Chapter 6's cliff: plain descent, and descent with the gradient clipped as clip_grad_norm_. */
function cliffScript(s, py) {
  const { u, v, pu, pv, f, grad } = twoVariables({ source: CLIFF.source, names: ["w", "b"] }, py);
  const start = `[${CLIFF.start.map(num).join(", ")}]`;
  return `${head("Gradient clipping on a cliff", `η = ${CLIFF.rate}, ${CLIFF.steps} steps from (${CLIFF.start.join(", ")}), clipped at ${s.threshold}`, ["sig", "val"])}
${f}
${grad}
DIVERGENCE_FACTOR = ${DIVERGENCE_FACTOR}  # a run stops once its loss passes this many times max(1, |f(start)|)


def descend(start, lr, steps, clip=None):
    """Gradient descent; with clip, torch.nn.utils.clip_grad_norm_(params, clip) before each step."""
    p = np.array(start, dtype=float)
    g = grad(*p)
    loss0 = f(*p)
    path, losses = [p.copy()], [loss0]
    bound = DIVERGENCE_FACTOR * max(1, abs(loss0))
    for t in range(1, steps + 1):
        if clip is not None:
            scale = clip / (np.sqrt(np.sum(g * g)) + 1e-6)
            if scale < 1:
                g = g * scale
        p = p - lr * g
        loss, g = f(*p), grad(*p)
        if not (np.isfinite(loss) and abs(loss) <= bound and np.all(np.isfinite(p))):
            break
        path.append(p.copy())
        losses.append(loss)
    return np.array(path), losses


def words(path, losses):
    longest = max(np.hypot(*(b - a)) for a, b in zip(path, path[1:])) if len(path) > 1 else 0.0
    return f"longest step {sig(longest, 3)}, ends at ({val(path[-1][0])}, {val(path[-1][1])}), f = {sig(losses[-1], 3)}"


threshold = ${num(s.threshold)}
thrown = descend(${start}, ${num(CLIFF.rate)}, ${CLIFF.steps})
clipped = descend(${start}, ${num(CLIFF.rate)}, ${CLIFF.steps}, clip=threshold)
print(f"Unclipped: {words(*thrown)}. Clipped at {val(threshold)}: {words(*clipped)} "
      f"(at most η × threshold = {val(${num(CLIFF.rate)} * threshold)}).")

${grid(CLIFF.range, pu, pv)}
fig, ax = plt.subplots()
ax.contour(U, V, Z, levels=30)
ax.plot(thrown[0][:, 0], thrown[0][:, 1], ".--", label="unclipped")
ax.plot(clipped[0][:, 0], clipped[0][:, 1], ".-", label=f"clipped at {threshold:g}")
ax.set_xlim(${num(CLIFF.range[0])}, ${num(CLIFF.range[1])})
ax.set_ylim(${num(CLIFF.range[2])}, ${num(CLIFF.range[3])})
ax.set_aspect("equal")
ax.set_xlabel("${u}")
ax.set_ylabel("${v}")
ax.legend()
plt.show()
`;
}

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

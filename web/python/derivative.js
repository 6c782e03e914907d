// "Copy as Python", chapter 1: the derivative explorer, the secant and numpy.gradient's error.

import { def, head, num, onArray } from "./lines.js";

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

export function derivativeScript(s, py) {
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

export function secantScript(s, py) {
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

export function numericalErrorScript(s, py) {
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

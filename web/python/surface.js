// "Copy as Python", chapters 2 and 3: functions of two variables, their slices and gradients.

import { def, head, num } from "./lines.js";

export function twoVariables(s, py) {
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
export const grid = (range, pu, pv, n = 201) => `U, V = np.meshgrid(np.linspace(${num(range[0])}, ${num(range[1])}, ${n}), np.linspace(${num(range[2])}, ${num(range[3])}, ${n}))
Z = f(U, V) + 0 * U`;

/** The end of a map with paths on it: its range, square, its axes named, the legend, shown. */
export const mapEnd = (range, u, v) => `ax.set_xlim(${num(range[0])}, ${num(range[1])})
ax.set_ylim(${num(range[2])}, ${num(range[3])})
ax.set_aspect("equal")
ax.set_xlabel("${u}")
ax.set_ylabel("${v}")
ax.legend()
plt.show()`;

export function partialScript(s, py) {
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

export function gradientScript(s, py) {
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

// "Copy as Python", chapter 4: descent, its loss curve, the learning-rate sweep and the race, the
// optimizers in PyTorch's update rules (crates/calculus/src/optim.rs).

import { DIVERGENCE_FACTOR, RATE_RANGE, SWEEP } from "../../pkg/book.js";
import { def, head, num, pyDict, str } from "./lines.js";
import { grid, mapEnd, twoVariables } from "./surface.js";

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

export function descentScript(s, py) {
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
${mapEnd(s.range, u, v)}
`;
}

export function lossCurveScript(s, py) {
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

export function lrSweepScript(s, py) {
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
export const RULES = `def gd(p, g, lr, t, velocity, square):  # torch.optim.SGD
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

export function raceScript(s, py) {
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
${mapEnd(s.range, u, v)}
`;
}

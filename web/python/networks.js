// "Copy as Python", chapter 6: networks on the toy datasets (the engine's generator and
// initialisations ported, checked point for point), the deep network's gradients, the cliff and
// the playground.

import { CLIFF, DEEP_GRADIENTS, DIVERGENCE_FACTOR, PLAYGROUND_DATA, PLAYGROUND_OPTIMIZERS } from "../../pkg/book.js";
import { head, num, pyDict, pyNumber, str } from "./lines.js";
import { grid, mapEnd, twoVariables } from "./surface.js";
import { RULES } from "./descent.js";

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

/**
 * σ as the engine computes it (crates/calculus/src/elementary): 1/(1 + e^−z), and e^z/(1 + e^z)
 * below 0. Written 1/(1 + np.exp(-z)) alone, e^−z overflows below z = −709.78 and σ(z) reads 0
 * there, where an exploding run's engine keeps its last subnormal values. Scripts that use
 * `sigmoid` print this first.
 */
export const SIGMOID = `def sigmoid(z):  # 1/(1 + e^−z), as e^z/(1 + e^z) below 0: e^−|z| never overflows
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1, e) / (1 + e)
`;

/** A hidden activation and its slope through its output a, as the engine's backward pass writes it. */
export const ACTIVATIONS = {
  sigmoid: ["sigmoid(z)", "a * (1 - a)"],
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
  return `${SIGMOID}

def act(z):  # ${activation}
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
    delta = (sigmoid(outs[-1]) - y) / len(X)  # ∂L/∂output
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

export function deepGradientsScript(s) {
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
export function playgroundScript(s) {
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
boundary.imshow(sigmoid(logits).reshape(gx.shape), extent=(x0, x1, y0, y1), origin="lower",
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
export function cliffScript(s, py) {
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
${mapEnd(CLIFF.range, u, v)}
`;
}

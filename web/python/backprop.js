// "Copy as Python", chapter 5: the chain rule's gears, the computational graph, the tiny network.

import { GEARS } from "../../pkg/book.js";
import { def, head, num, pyNumber, str } from "./lines.js";
import { ACTIVATIONS, SIGMOID } from "./networks.js";

/** The gears' names after X, in chain order (the readout's). */
const LINKS = ["A", "B", "C"];

/**
 * Chapter 5's gears: each link and its derivative as numpy (the engine's translation), the
 * composed formula and its derivative as a whole, and the readout's sentences from them.
 */
export function gearsScript(s, py) {
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
 * Each operation of the engine's graph (crates/calculus/src/backprop/rules.rs) as Python: its forward
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
export function graphScript(s, py) {
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
export function tinyNetworkScript(s) {
  const act = ACTIVATIONS[s.activation];
  if (!act) throw new Error(`no script for ${s.activation}`);
  return `${head("A tiny network, trained by hand", `x = (${s.inputs.join(", ")}), y = ${s.target}, η = ${s.rate}, ${s.activation}, stop ${s.stop + 1}`, ["val"])}
${act === ACTIVATIONS.sigmoid ? `${SIGMOID}\n\n` : ""}def act(z):  # ${s.activation}, the hidden layer's; the output is linear
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

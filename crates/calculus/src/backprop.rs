//! The one computational graph: reverse-mode automatic differentiation, micrograd-sized.
//!
//! An [`Expr`] is compiled once into a flat list of [`Node`]s in topological order (inputs
//! before the nodes that use them, output last). `Graph::forward` fills in every node's
//! value front to back; `Graph::backward` seeds the output's gradient with 1 and walks
//! back to front, each node adding its share to its inputs by the chain rule. Each
//! operation's forward rule and local derivative sit side by side below, so the book can
//! point at both.
//!
//! Evaluating at a new point allocates nothing, and constant subtrees are folded when
//! compiling, so one graph can be evaluated at 100,000 points cheaply.
//!
//! Second derivatives come from the same rules: each backward rule can also build its local
//! derivatives as new nodes, so the backward pass becomes part of the graph (PyTorch's
//! `create_graph=True`), and reverse mode run over a gradient node gives a row of the
//! Hessian ([`Graph::hessian`]). There is no separate differentiator for numbers.
//!
//! ```
//! use calculus::{parse, Graph};
//!
//! // f(w, b) = (2w + b)^2, at w = 1, b = 3: f = 25, ∂f/∂w = 2·5·2 = 20, ∂f/∂b = 2·5 = 10.
//! let mut graph = Graph::compile(&parse("(2w + b)^2")?);
//! assert_eq!(graph.variables(), ["b", "w"]);
//! let mut gradient = [0.0; 2];
//! let f = graph.value_and_gradient(&[3.0, 1.0], &mut gradient);
//! assert_eq!((f, gradient), (25.0, [10.0, 20.0]));
//! # Ok::<(), calculus::Error>(())
//! ```

use std::collections::HashMap;

use crate::expr::{Expr, Func};

/// One edge of the backward pass: node `from`, its gradient final, passes
/// `upstream × local` to its input `to`, whose running sum becomes `total`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BackwardStep {
    pub to: usize,
    pub from: usize,
    /// ∂output/∂from.
    pub upstream: f64,
    /// ∂from/∂to, this edge's local derivative.
    pub local: f64,
    pub contribution: f64,
    /// ∂output/∂to so far: the contributions reported for `to` up to this one.
    pub total: f64,
}

/// What a node computes from its inputs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    /// The variable `variables()[k]`.
    Var(usize),
    Const(f64),
    Neg,
    Add,
    Sub,
    Mul,
    Div,
    /// `a^b` for a non-constant or non-integer exponent.
    Pow,
    /// `a^n` for a constant integer `n`: computed by multiplication, defined for negative `a`.
    PowInt(i32),
    Func(Func),
    /// `a^b·ln(a)`, the slope of `a^b` along its exponent, taken to be 0 where a = 0 and
    /// b ≥ 0 as PyTorch does. Never compiled from a formula: it appears only when the backward
    /// pass is built as nodes ([`Graph::hessian`]).
    PowLn,
}

/// The largest constant integer exponent computed by repeated multiplication.
const MAX_INT_POWER: f64 = 64.0;

impl Op {
    /// A short lower-case name: `var const neg add sub mul div pow powi sin cos ...`.
    pub fn name(&self) -> &'static str {
        match self {
            Op::Var(_) => "var",
            Op::Const(_) => "const",
            Op::Neg => "neg",
            Op::Add => "add",
            Op::Sub => "sub",
            Op::Mul => "mul",
            Op::Div => "div",
            Op::Pow => "pow",
            Op::PowInt(_) => "powi",
            Op::Func(f) => f.name(),
            Op::PowLn => "powln",
        }
    }

    /// How many inputs the operation reads.
    pub(crate) fn arity(&self) -> usize {
        match self {
            Op::Var(_) | Op::Const(_) => 0,
            Op::Neg | Op::PowInt(_) | Op::Func(_) => 1,
            Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Pow | Op::PowLn => 2,
        }
    }

    /// The forward rule: this node's value from its inputs' values `a` and `b`
    /// (`b` is ignored by one-input operations).
    // Always inlined: in the column loops of `Graph::slopes` the operation is a literal, and
    // this `match` (and `Func::apply`'s) folds away.
    #[inline(always)]
    pub(crate) fn forward(self, a: f64, b: f64) -> f64 {
        match self {
            Op::Var(_) => f64::NAN,
            Op::Const(c) => c,
            Op::Neg => -a,
            Op::Add => a + b,
            Op::Sub => a - b,
            Op::Mul => a * b,
            Op::Div => a / b,
            Op::Pow => a.powf(b),
            Op::PowInt(n) => match n {
                2 => a * a,
                3 => a * a * a,
                _ => a.powi(n),
            },
            Op::Func(f) => f.apply(a),
            Op::PowLn => {
                if a == 0.0 && b >= 0.0 {
                    0.0
                } else {
                    a.powf(b) * a.ln()
                }
            }
        }
    }

    /// The backward rule: the local derivatives (∂out/∂a, ∂out/∂b), given the inputs and
    /// this node's own value `out`. The exponent's derivative is only wanted when the
    /// exponent depends on a variable (`exponent_varies`): ln(a) of a negative base would
    /// otherwise be NaN for no reason.
    // Always inlined, like `forward`.
    #[inline(always)]
    pub(crate) fn local_gradient(
        self,
        a: f64,
        b: f64,
        out: f64,
        exponent_varies: bool,
    ) -> (f64, f64) {
        match self {
            Op::Var(_) | Op::Const(_) => (0.0, 0.0),
            Op::Neg => (-1.0, 0.0),
            Op::Add => (1.0, 1.0),
            Op::Sub => (1.0, -1.0),
            Op::Mul => (b, a),
            // d(a/b)/db = −a/b² = −(a/b)/b
            Op::Div => (1.0 / b, -out / b),
            Op::Pow => {
                let d_base = b * a.powf(b - 1.0);
                // d(a^b)/db = a^b·ln(a); PyTorch takes it to be 0 where a = 0 and b ≥ 0.
                let d_exponent = if !exponent_varies || (a == 0.0 && b >= 0.0) {
                    0.0
                } else {
                    out * a.ln()
                };
                (d_base, d_exponent)
            }
            // d(a^n)/da = n·a^(n−1); a^0 is the constant 1 even where a^−1 is infinite.
            Op::PowInt(n) => match n {
                0 => (0.0, 0.0),
                1 => (1.0, 0.0),
                2 => (2.0 * a, 0.0),
                3 => (3.0 * a * a, 0.0),
                _ => (f64::from(n) * a.powi(n - 1), 0.0),
            },
            Op::Func(f) => (f.slope(a, out), 0.0),
            // d(a^b·ln a)/da = a^(b−1)·(b·ln a + 1); d(a^b·ln a)/db = a^b·ln²a = out·ln a.
            Op::PowLn => {
                if a == 0.0 && b >= 0.0 {
                    (0.0, 0.0)
                } else {
                    let ln = a.ln();
                    (a.powf(b - 1.0) * (b * ln + 1.0), out * ln)
                }
            }
        }
    }

    /// The backward rule once more, built as nodes of `g` rather than computed: the local
    /// derivatives of node `out`, whose inputs are nodes `a` and `b`, rule for rule as in
    /// [`local_gradient`](Self::local_gradient). `None` is a derivative that is 0 at every
    /// point (a constant's, sign's), for which nothing is built. This is what lets the
    /// backward pass itself be differentiated ([`Graph::hessian`]).
    fn local_gradient_nodes(
        self,
        g: &mut Graph,
        [a, b]: [usize; 2],
        out: usize,
        exponent_varies: bool,
    ) -> (Option<usize>, Option<usize>) {
        match self {
            Op::Var(_) | Op::Const(_) => (None, None),
            Op::Neg => (Some(g.constant(-1.0)), None),
            Op::Add => (Some(g.constant(1.0)), Some(g.constant(1.0))),
            Op::Sub => (Some(g.constant(1.0)), Some(g.constant(-1.0))),
            Op::Mul => (Some(b), Some(a)),
            // d(a/b)/db = −a/b² = −(a/b)/b
            Op::Div => {
                let one = g.constant(1.0);
                let ratio = g.op2(Op::Div, out, b);
                (Some(g.op2(Op::Div, one, b)), Some(g.op1(Op::Neg, ratio)))
            }
            // d(a^b)/da = b·a^(b−1); d(a^b)/db = a^b·ln(a), with PyTorch's 0 where a = 0, b ≥ 0.
            Op::Pow => {
                let one = g.constant(1.0);
                let b_minus_one = g.op2(Op::Sub, b, one);
                let power = g.op2(Op::Pow, a, b_minus_one);
                let d_base = g.op2(Op::Mul, b, power);
                (
                    Some(d_base),
                    exponent_varies.then(|| g.op2(Op::PowLn, a, b)),
                )
            }
            // d(a^n)/da = n·a^(n−1); a^0 is the constant 1.
            Op::PowInt(n) => match n {
                0 => (None, None),
                1 => (Some(g.constant(1.0)), None),
                _ => {
                    let power = g.op1(Op::PowInt(n.saturating_sub(1)), a);
                    let n = g.constant(f64::from(n));
                    (Some(g.op2(Op::Mul, n, power)), None)
                }
            },
            Op::Func(f) => (f.slope_node(g, a, out), None),
            // d(a^b·ln a)/da = a^(b−1)·(b·ln a + 1); d(a^b·ln a)/db = out·ln a.
            Op::PowLn => {
                let one = g.constant(1.0);
                let ln = g.op1(Op::Func(Func::Ln), a);
                let b_minus_one = g.op2(Op::Sub, b, one);
                let power = g.op2(Op::Pow, a, b_minus_one);
                let b_ln = g.op2(Op::Mul, b, ln);
                let b_ln_plus_one = g.op2(Op::Add, b_ln, one);
                let d_base = g.op2(Op::Mul, power, b_ln_plus_one);
                (Some(d_base), Some(g.op2(Op::Mul, out, ln)))
            }
        }
    }
}

impl Func {
    /// The function's value at `x`.
    #[inline(always)]
    pub(crate) fn apply(self, x: f64) -> f64 {
        match self {
            Func::Sin => x.sin(),
            Func::Cos => x.cos(),
            Func::Tan => x.tan(),
            Func::Exp => x.exp(),
            Func::Ln => x.ln(),
            Func::Sqrt => x.sqrt(),
            Func::Abs => x.abs(),
            Func::Tanh => x.tanh(),
            // exp(−x) overflows to ∞ for very negative x, and 1/∞ = 0 is the right limit.
            Func::Sigmoid => 1.0 / (1.0 + (-x).exp()),
            Func::Relu => {
                if x > 0.0 || x.is_nan() {
                    x
                } else {
                    0.0
                }
            }
            Func::Sign => sign(x),
            Func::Step => step(x),
        }
    }

    /// The derivative at `x`, where `y` is the function's value there (several derivatives
    /// are cheapest written in terms of it).
    #[inline(always)]
    pub(crate) fn slope(self, x: f64, y: f64) -> f64 {
        match self {
            Func::Sin => x.cos(),
            Func::Cos => -x.sin(),
            Func::Tan => 1.0 + y * y,
            Func::Exp => y,
            Func::Ln => 1.0 / x,
            // +∞ at 0, like PyTorch.
            Func::Sqrt => 0.5 / y,
            // abs'(0) = sign(0) = 0 and relu'(0) = step(0) = 0, like PyTorch.
            Func::Abs => sign(x),
            Func::Tanh => 1.0 - y * y,
            Func::Sigmoid => y * (1.0 - y),
            Func::Relu => step(x),
            Func::Sign | Func::Step => 0.0,
        }
    }

    /// [`slope`](Self::slope) built as nodes of `g`, for the node `y` = f(`x`); `None` where
    /// the slope is 0 everywhere (sign, step).
    fn slope_node(self, g: &mut Graph, x: usize, y: usize) -> Option<usize> {
        let one = |g: &mut Graph| g.constant(1.0);
        Some(match self {
            Func::Sin => g.op1(Op::Func(Func::Cos), x),
            Func::Cos => {
                let sin = g.op1(Op::Func(Func::Sin), x);
                g.op1(Op::Neg, sin)
            }
            Func::Tan => {
                let (one, y2) = (one(g), g.op1(Op::PowInt(2), y));
                g.op2(Op::Add, one, y2)
            }
            Func::Exp => y,
            Func::Ln => {
                let one = one(g);
                g.op2(Op::Div, one, x)
            }
            Func::Sqrt => {
                let half = g.constant(0.5);
                g.op2(Op::Div, half, y)
            }
            Func::Abs => g.op1(Op::Func(Func::Sign), x),
            Func::Tanh => {
                let (one, y2) = (one(g), g.op1(Op::PowInt(2), y));
                g.op2(Op::Sub, one, y2)
            }
            Func::Sigmoid => {
                let one = one(g);
                let rest = g.op2(Op::Sub, one, y);
                g.op2(Op::Mul, y, rest)
            }
            Func::Relu => g.op1(Op::Func(Func::Step), x),
            Func::Sign | Func::Step => return None,
        })
    }
}

/// −1, 0 or 1 (NaN for NaN). Unlike `f64::signum`, sign(0) = 0.
fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        x * 0.0
    }
}

/// 1 for x > 0, 0 for x ≤ 0 (NaN for NaN).
fn step(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x.is_nan() {
        x
    } else {
        0.0
    }
}

/// One operation in the graph, with the value and gradient of its last evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub op: Op,
    /// Indices of the input nodes, all smaller than this node's; only the first
    /// `op.arity()` are meaningful (see [`Node::args`]).
    pub(crate) inputs: [usize; 2],
    pub value: f64,
    /// ∂output/∂(this node), after `Graph::backward`.
    pub grad: f64,
}

impl Node {
    fn new(op: Op, inputs: [usize; 2]) -> Node {
        let value = match op {
            Op::Const(c) => c,
            _ => f64::NAN,
        };
        Node {
            op,
            inputs,
            value,
            grad: 0.0,
        }
    }

    /// The input node indices this node actually reads.
    pub fn args(&self) -> &[usize] {
        self.inputs.get(..self.op.arity()).unwrap_or_default()
    }
}

/// A compiled expression: evaluate with `Graph::forward`, differentiate with
/// `Graph::backward`.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    nodes: Vec<Node>,
    variables: Vec<String>,
    output: usize,
}

/// A compiled subtree: either a node, or a constant not yet placed in the graph (so that
/// constant subtrees fold into one number and constant exponents can become `PowInt`).
#[derive(Clone, Copy)]
enum Compiled {
    Node(usize),
    Const(f64),
}

impl Graph {
    /// Compiles `expr`. Variables come first, one node each in alphabetical order, so a
    /// variable used twice collects both gradients. A subexpression written more than once
    /// becomes one node (hash-consing), so its gradient is the sum of what each use passes
    /// back, as the book's graph widget shows.
    pub fn compile(expr: &Expr) -> Graph {
        let variables = expr.variables();
        let nodes = (0..variables.len())
            .map(|k| Node::new(Op::Var(k), [0, 0]))
            .collect();
        let mut compiler = Compiler {
            graph: Graph {
                nodes,
                variables,
                output: 0,
            },
            seen: HashMap::new(),
        };
        let root = compiler.add(expr);
        let output = compiler.place(root);
        let mut graph = compiler.graph;
        graph.output = output;
        graph
    }

    /// The variables, sorted; `forward` takes their values in this order.
    pub fn variables(&self) -> &[String] {
        &self.variables
    }

    /// Every node, inputs before the nodes that use them.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The index of the output node (the last one).
    pub(crate) fn output(&self) -> usize {
        self.output
    }

    /// The output's value from the last `forward`.
    pub(crate) fn value(&self) -> f64 {
        self.nodes.get(self.output).map_or(f64::NAN, |n| n.value)
    }

    /// A short label for drawing: `x`, `2`, `*`, `sin`, `^2`.
    pub fn label(&self, node: usize) -> String {
        let Some(node) = self.nodes.get(node) else {
            return String::new();
        };
        match node.op {
            Op::Var(k) => self.variables.get(k).cloned().unwrap_or_default(),
            Op::Const(c) => Expr::Num(c).to_string(),
            Op::Neg | Op::Sub => "-".into(),
            Op::Add => "+".into(),
            Op::Mul => "*".into(),
            Op::Div => "/".into(),
            Op::Pow => "^".into(),
            Op::PowInt(n) => format!("^{n}"),
            Op::Func(f) => f.name().into(),
            Op::PowLn => "^·ln".into(),
        }
    }

    /// Evaluates every node at `values` (one per variable, in `variables()` order) and
    /// returns the output. A slice of the wrong length gives NaN everywhere.
    pub(crate) fn forward(&mut self, values: &[f64]) -> f64 {
        let known = values.len() == self.variables.len();
        for i in 0..self.nodes.len() {
            let (before, rest) = self.nodes.split_at_mut(i);
            let Some(node) = rest.first_mut() else { break };
            let value_of = |j: usize| before.get(j).map_or(f64::NAN, |n| n.value);
            node.value = match node.op {
                Op::Var(k) if known => values.get(k).copied().unwrap_or(f64::NAN),
                Op::Var(_) => f64::NAN,
                op => op.forward(value_of(node.inputs[0]), value_of(node.inputs[1])),
            };
        }
        self.value()
    }

    /// Sets every node's `grad` to ∂output/∂node at the point of the last `forward`:
    /// the output's is 1, and each node, visited after every node that uses it, passes
    /// `grad × local derivative` on to its inputs.
    pub(crate) fn backward(&mut self) {
        // Every node of a compiled formula is used, so the output depends on all of them.
        self.backward_from(self.output, |_| true, |_| {});
    }

    /// The backward pass at `values` (see [`forward`](Self::forward)), one [`BackwardStep`]
    /// per edge in the order the pass runs. It is [`backward`](Self::backward) itself, told
    /// to report each edge, so each node's contributions sum to its `grad` exactly (they are
    /// added in this order), and a node appears as `from` only after its last `to`.
    ///
    /// ```
    /// use calculus::{parse, Graph};
    ///
    /// // colah's e = (a + b)(b + 1) at a = 2, b = 1: b gets 3 through d = b + 1 (the node made
    /// // last, so the first to pass its gradient on), then 2 through c = a + b.
    /// let mut graph = Graph::compile(&parse("(a + b)*(b + 1)")?);
    /// let steps = graph.backward_steps(&[2.0, 1.0]);
    /// let into_b: Vec<f64> = steps.iter().filter(|s| s.to == 1).map(|s| s.contribution).collect();
    /// assert_eq!(into_b, [3.0, 2.0]);
    /// assert_eq!(graph.nodes()[1].grad, 5.0);
    /// # Ok::<(), calculus::Error>(())
    /// ```
    pub fn backward_steps(&mut self, values: &[f64]) -> Vec<BackwardStep> {
        self.forward(values);
        let mut steps = Vec::new();
        self.backward_from(self.output, |_| true, |step| steps.push(step));
        steps
    }

    /// [`backward`](Self::backward) from node `seed` instead of the output, visiting only the
    /// nodes `depends` names: as in PyTorch, a node `seed` does not depend on passes nothing
    /// back (not even 0 × an infinite local derivative, which would be NaN).
    fn backward_from(
        &mut self,
        seed: usize,
        depends: impl Fn(usize) -> bool,
        mut report: impl FnMut(BackwardStep),
    ) {
        for node in &mut self.nodes {
            node.grad = 0.0;
        }
        if let Some(out) = self.nodes.get_mut(seed) {
            out.grad = 1.0;
        }
        // Nodes after the seed cannot be among its inputs.
        for i in (0..self.nodes.len().min(seed.saturating_add(1))).rev() {
            if !depends(i) {
                continue;
            }
            let (before, rest) = self.nodes.split_at_mut(i);
            let Some(node) = rest.first() else { continue };
            let arity = node.op.arity();
            if arity == 0 {
                continue;
            }
            let [ia, ib] = node.inputs;
            let a = before.get(ia).map_or(f64::NAN, |n| n.value);
            let b = before.get(ib).map_or(f64::NAN, |n| n.value);
            let exponent_varies = node.op == Op::Pow && !is_constant(before, ib);
            let (da, db) = node.op.local_gradient(a, b, node.value, exponent_varies);
            let upstream = node.grad;
            for (to, local) in [(ia, da), (ib, db)].into_iter().take(arity) {
                if let Some(input) = before.get_mut(to) {
                    let contribution = upstream * local;
                    input.grad += contribution;
                    report(BackwardStep {
                        to,
                        from: i,
                        upstream,
                        local,
                        contribution,
                        total: input.grad,
                    });
                }
            }
        }
    }

    /// Which nodes `seed` depends on, itself included.
    fn ancestors(&self, seed: usize) -> Vec<bool> {
        let mut reached = vec![false; self.nodes.len()];
        if let Some(r) = reached.get_mut(seed) {
            *r = true;
        }
        for (i, node) in self.nodes.iter().enumerate().rev() {
            if reached.get(i).copied().unwrap_or(false) {
                for &input in node.args() {
                    if let Some(r) = reached.get_mut(input) {
                        *r = true;
                    }
                }
            }
        }
        reached
    }

    /// This graph with its backward pass appended as nodes, as PyTorch records it under
    /// `create_graph=True`, and for each variable the node that holds ∂f/∂variable.
    ///
    /// It is [`backward`](Self::backward) done symbolically on the graph: walking back from
    /// the output, each node's gradient node times its local derivatives (built by
    /// [`Op::local_gradient_nodes`], the same rules) is added to its inputs' gradient nodes.
    /// A forward pass then computes f and ∇f together, and a backward pass from a gradient
    /// node differentiates ∂f/∂u once more.
    fn with_gradient(&self) -> (Graph, Vec<usize>) {
        let mut g = self.clone();
        let mut adjoint: Vec<Option<usize>> = vec![None; self.nodes.len()];
        if let Some(slot) = adjoint.get_mut(self.output) {
            *slot = Some(g.constant(1.0));
        }
        for (i, node) in self.nodes.iter().enumerate().rev() {
            let Some(grad) = adjoint.get(i).copied().flatten() else {
                continue;
            };
            let exponent_varies = node.op == Op::Pow && !is_constant(&self.nodes, node.inputs[1]);
            let locals = node
                .op
                .local_gradient_nodes(&mut g, node.inputs, i, exponent_varies);
            for (&input, local) in node.args().iter().zip([locals.0, locals.1]) {
                // A constant needs no gradient.
                let constant = self.nodes.get(input).is_none() || is_constant(&self.nodes, input);
                let Some(local) = local.filter(|_| !constant) else {
                    continue;
                };
                let share = g.times(grad, local);
                if let Some(slot) = adjoint.get_mut(input) {
                    *slot = Some(match *slot {
                        None => share,
                        Some(sum) => g.op2(Op::Add, sum, share),
                    });
                }
            }
        }
        // Variables come first, one node each: node k is variable k.
        let gradient = (0..self.variables.len())
            .map(|k| match adjoint.get(k).copied().flatten() {
                Some(node) => node,
                None => g.constant(0.0),
            })
            .collect();
        (g, gradient)
    }

    /// The matrix of second derivatives ∂²f/∂u∂v at `values` (one per variable, in
    /// `variables()` order; a slice of the wrong length gives NaN everywhere).
    ///
    /// Reverse mode over reverse mode, on this one graph: the backward pass is built as nodes
    /// (see `with_gradient`), one forward pass computes ∇f, and a backward pass from the node
    /// of ∂f/∂u gives row u, ∂(∂f/∂u)/∂v for every v.
    ///
    /// ```
    /// use calculus::{parse, Graph};
    ///
    /// // f = w²b: ∂f/∂b = w², ∂f/∂w = 2wb; at (b, w) = (3, 2): [[0, 2w], [2w, 2b]].
    /// let graph = Graph::compile(&parse("w^2*b")?);
    /// assert_eq!(graph.hessian(&[3.0, 2.0]), [[0.0, 4.0], [4.0, 6.0]]);
    /// # Ok::<(), calculus::Error>(())
    /// ```
    pub fn hessian(&self, values: &[f64]) -> Vec<Vec<f64>> {
        let n = self.variables.len();
        if values.len() != n {
            // Some entries (those of w·b) would not even read the values.
            return vec![vec![f64::NAN; n]; n];
        }
        let (mut g, gradient) = self.with_gradient();
        g.forward(values);
        gradient
            .iter()
            .map(|&node| {
                let depends = g.ancestors(node);
                g.backward_from(node, |i| depends.get(i).copied().unwrap_or(false), |_| {});
                g.nodes.iter().take(n).map(|node| node.grad).collect()
            })
            .collect()
    }

    /// A node for `op` of nodes `a` and `b` (`b` is ignored by one-input operations),
    /// appended; an operation on constants alone becomes a constant, as when compiling, so
    /// that a constant exponent stays recognisably constant.
    // Not inlined: the backward rules' node builders (local_gradient_nodes, slope_node) call
    // op2 and constant from some 40 places, and the crate's opt-level 3 copied them into each
    // (calculus-descent 228 gzipped bytes more); building a graph is no inner loop.
    #[inline(never)]
    fn op2(&mut self, op: Op, a: usize, b: usize) -> usize {
        // op1 passes (a, a), so "b is constant" is "a is constant" there too.
        let constant = |i: usize| match self.nodes.get(i).map(|n| n.op) {
            Some(Op::Const(c)) => Some(c),
            _ => None,
        };
        if let (Some(a), Some(b)) = (constant(a), constant(b)) {
            return self.constant(op.forward(a, b));
        }
        self.nodes.push(Node::new(op, [a, b]));
        self.nodes.len() - 1
    }

    fn op1(&mut self, op: Op, a: usize) -> usize {
        self.op2(op, a, a)
    }

    #[inline(never)]
    fn constant(&mut self, c: f64) -> usize {
        self.nodes.push(Node::new(Op::Const(c), [0, 0]));
        self.nodes.len() - 1
    }

    /// The node a·b, without a multiplication where either is the constant ±1 (the seed of
    /// the backward pass, the local derivatives of +, − and negation).
    fn times(&mut self, a: usize, b: usize) -> usize {
        let is = |i: usize, c: f64| self.nodes.get(i).is_some_and(|n| n.op == Op::Const(c));
        if is(a, 1.0) {
            b
        } else if is(b, 1.0) {
            a
        } else if is(a, -1.0) {
            self.op1(Op::Neg, b)
        } else if is(b, -1.0) {
            self.op1(Op::Neg, a)
        } else {
            self.op2(Op::Mul, a, b)
        }
    }

    /// `forward` then `backward`: returns f and writes ∂f/∂(each variable) into `grad_out`
    /// (in `variables()` order; extra slots are left alone, missing ones skipped).
    pub fn value_and_gradient(&mut self, values: &[f64], grad_out: &mut [f64]) -> f64 {
        let value = self.forward(values);
        self.backward();
        for (slot, node) in grad_out
            .iter_mut()
            .zip(&self.nodes)
            .take(self.variables.len())
        {
            *slot = node.grad;
        }
        value
    }
}

/// A graph being compiled, with every node made so far by what it computes (the operation,
/// a constant's bits, the inputs), so that a repeated subexpression is found, not made again.
struct Compiler {
    graph: Graph,
    seen: HashMap<(&'static str, u64, [usize; 2]), usize>,
}

impl Compiler {
    fn add(&mut self, expr: &Expr) -> Compiled {
        match expr {
            Expr::Num(n) => Compiled::Const(*n),
            Expr::Pi => Compiled::Const(std::f64::consts::PI),
            Expr::E => Compiled::Const(std::f64::consts::E),
            Expr::Var(name) => match self.graph.variables.binary_search(name) {
                Ok(k) => Compiled::Node(k),
                Err(_) => Compiled::Const(f64::NAN),
            },
            Expr::Neg(a) => {
                let a = self.add(a);
                self.unary(Op::Neg, a)
            }
            Expr::Call(f, a) => {
                let a = self.add(a);
                self.unary(Op::Func(*f), a)
            }
            Expr::Add(a, b) => self.binary(Op::Add, a, b),
            Expr::Sub(a, b) => self.binary(Op::Sub, a, b),
            Expr::Mul(a, b) => self.binary(Op::Mul, a, b),
            Expr::Div(a, b) => self.binary(Op::Div, a, b),
            Expr::Pow(a, b) => {
                let base = self.add(a);
                match self.add(b) {
                    Compiled::Const(n) if n.fract() == 0.0 && n.abs() <= MAX_INT_POWER => {
                        // In range, so the cast is exact.
                        self.unary(Op::PowInt(n as i32), base)
                    }
                    exponent => self.combine(Op::Pow, base, exponent),
                }
            }
        }
    }

    fn unary(&mut self, op: Op, a: Compiled) -> Compiled {
        match a {
            Compiled::Const(a) => Compiled::Const(op.forward(a, f64::NAN)),
            Compiled::Node(a) => self.push(op, [a, a]),
        }
    }

    fn binary(&mut self, op: Op, a: &Expr, b: &Expr) -> Compiled {
        let a = self.add(a);
        let b = self.add(b);
        self.combine(op, a, b)
    }

    fn combine(&mut self, op: Op, a: Compiled, b: Compiled) -> Compiled {
        if let (Compiled::Const(a), Compiled::Const(b)) = (a, b) {
            return Compiled::Const(op.forward(a, b));
        }
        let a = self.place(a);
        let b = self.place(b);
        self.push(op, [a, b])
    }

    /// The node index of a compiled subtree, giving a constant its node now.
    fn place(&mut self, c: Compiled) -> usize {
        match c {
            Compiled::Node(i) => i,
            Compiled::Const(c) => match self.push(Op::Const(c), [0, 0]) {
                Compiled::Node(i) => i,
                Compiled::Const(_) => 0,
            },
        }
    }

    /// The node for `op` of `inputs`: the one already made for the same operation on the
    /// same inputs, or a new one.
    fn push(&mut self, op: Op, inputs: [usize; 2]) -> Compiled {
        let payload = match op {
            Op::Var(k) => k as u64,
            Op::Const(c) => c.to_bits(),
            Op::PowInt(n) => u64::from(n.unsigned_abs()) << 1 | u64::from(n < 0),
            _ => 0,
        };
        let nodes = &mut self.graph.nodes;
        let id = *self
            .seen
            .entry((op.name(), payload, inputs))
            .or_insert_with(|| {
                nodes.push(Node::new(op, inputs));
                nodes.len() - 1
            });
        Compiled::Node(id)
    }
}

/// Whether node `i` is a constant (a missing node is not).
fn is_constant(nodes: &[Node], i: usize) -> bool {
    nodes.get(i).is_some_and(|n| matches!(n.op, Op::Const(_)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn graph(src: &str) -> Graph {
        Graph::compile(&parse(src).unwrap())
    }

    #[test]
    fn constants_fold_and_integer_powers_use_powi() {
        let g = graph("(1 + 2)*x^2");
        let ops: Vec<Op> = g.nodes().iter().map(|n| n.op).collect();
        // The constant 3 is placed only when the product needs it, after x^2.
        assert_eq!(ops, [Op::Var(0), Op::PowInt(2), Op::Const(3.0), Op::Mul]);
        assert_eq!(g.output(), 3);
        let labels: Vec<String> = (0..4).map(|i| g.label(i)).collect();
        assert_eq!(labels, ["x", "^2", "3", "*"]);
    }

    #[test]
    fn a_variable_used_twice_accumulates() {
        // f = x·x + x, f' = 2x + 1 = 7 at x = 3.
        let mut g = graph("x*x + x");
        let mut d = [0.0];
        assert_eq!(g.value_and_gradient(&[3.0], &mut d), 12.0);
        assert_eq!(d, [7.0]);
    }

    #[test]
    fn wrong_number_of_values_gives_nan_not_a_panic() {
        let mut g = graph("x + y");
        assert!(g.forward(&[1.0]).is_nan());
        assert!(g.forward(&[]).is_nan());
        g.backward();
        let mut d = [0.0; 1];
        assert!(g.value_and_gradient(&[1.0, 2.0, 3.0], &mut d).is_nan());
        assert_eq!(g.forward(&[1.0, 2.0]), 3.0);
        assert_eq!(g.label(99), "");
    }

    #[test]
    fn constant_exponent_keeps_nan_out_of_the_base_gradient() {
        // (x)^0.5 has no ∂/∂exponent to take, so ln of the base is never formed.
        let mut g = graph("x^2.5");
        let mut d = [0.0];
        g.value_and_gradient(&[4.0], &mut d);
        assert_eq!(d, [2.5 * 8.0]);
        // A constant base with a variable exponent: d(2^x)/dx = 2^x ln 2.
        let mut g = graph("2^x");
        g.value_and_gradient(&[3.0], &mut d);
        assert_eq!(d, [8.0 * 2f64.ln()]);
        // 0^y at y = 2: PyTorch's convention makes ∂/∂y = 0 rather than 0·(−∞) = NaN.
        let mut g = graph("x^y");
        let mut d = [0.0; 2];
        g.value_and_gradient(&[0.0, 2.0], &mut d);
        assert_eq!(d, [0.0, 0.0]);
    }

    #[test]
    fn conventions_at_kinks() {
        let cases = [
            ("abs(x)", 0.0),
            ("relu(x)", 0.0),
            ("sign(x)", 0.0),
            ("step(x)", 0.0),
        ];
        for (src, slope) in cases {
            let mut g = graph(src);
            let mut d = [f64::NAN];
            g.value_and_gradient(&[0.0], &mut d);
            assert_eq!(d, [slope], "{src}");
        }
        let mut g = graph("sqrt(x)");
        let mut d = [0.0];
        g.value_and_gradient(&[0.0], &mut d);
        assert_eq!(d, [f64::INFINITY]);
    }

    #[test]
    fn x_to_the_zero_is_flat_even_at_zero() {
        let mut g = graph("x^0");
        let mut d = [f64::NAN];
        assert_eq!(g.value_and_gradient(&[0.0], &mut d), 1.0);
        assert_eq!(d, [0.0]);
    }
}

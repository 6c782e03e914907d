//! The one computational graph: reverse-mode automatic differentiation, micrograd-sized.
//!
//! An [`Expr`] is compiled once into a flat list of [`Node`]s in topological order (inputs
//! before the nodes that use them, output last). `Graph::forward` fills in every node's
//! value front to back; `Graph::backward` seeds the output's gradient with 1 and walks
//! back to front, each node adding its share to its inputs by the chain rule. Each
//! operation's forward rule and local derivative sit side by side in rules.rs, so the book can
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

use crate::expr::Expr;
use rules::MAX_INT_POWER;

mod compile;
mod real;
mod rules;

pub use rules::Op;

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

impl Graph {
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
            Op::Root => "nthRoot".into(),
            Op::Atan2 | Op::Min | Op::Max => node.op.name().into(),
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
            let exponent_varies = node.op.has_exponent() && !is_constant(before, ib);
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
            let exponent_varies =
                node.op.has_exponent() && !is_constant(&self.nodes, node.inputs[1]);
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

    /// The nodes of `e`, a formula in one variable (a derivative rule's u), appended with that
    /// variable as the node `u`.
    fn build(&mut self, e: &Expr, u: usize) -> usize {
        let (op, a, b) = match e {
            Expr::Var(_) => return u,
            Expr::Num(c) => return self.constant(*c),
            Expr::Pi => return self.constant(std::f64::consts::PI),
            Expr::E => return self.constant(std::f64::consts::E),
            // No rule calls a function of two arguments.
            Expr::Call2(..) => return self.constant(f64::NAN),
            Expr::Neg(a) => (Op::Neg, a, a),
            Expr::Call(f, a) => (Op::Func(*f), a, a),
            Expr::Pow(a, n) => match **n {
                Expr::Num(n) if n.fract() == 0.0 && n.abs() <= MAX_INT_POWER => {
                    (Op::PowInt(n as i32), a, a)
                }
                _ => (Op::Pow, a, n),
            },
            Expr::Add(a, b) => (Op::Add, a, b),
            Expr::Sub(a, b) => (Op::Sub, a, b),
            Expr::Mul(a, b) => (Op::Mul, a, b),
            Expr::Div(a, b) => (Op::Div, a, b),
        };
        let a = self.build(a, u);
        let b = if op.arity() == 2 { self.build(b, u) } else { a };
        self.op2(op, a, b)
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

/// Whether node `i` is a constant (a missing node is not).
fn is_constant(nodes: &[Node], i: usize) -> bool {
    nodes.get(i).is_some_and(|n| matches!(n.op, Op::Const(_)))
}

#[cfg(test)]
mod tests;

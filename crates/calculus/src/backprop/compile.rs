//! From an expression to a graph: constant subtrees folded into one number, constant integer
//! exponents made `PowInt`, and a subexpression written twice made one node (hash-consing).

use std::collections::HashMap;

use super::rules::MAX_INT_POWER;
use super::{Graph, Node, Op};
use crate::expr::{Expr, Func, Func2};

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
            // log(x, base) is ln x/ln base, as mathjs computes it; a constant base folds.
            Expr::Call2(Func2::Log, a, base) => {
                let a = self.add(a);
                let ln_a = self.unary(Op::Func(Func::Ln), a);
                let base = self.add(base);
                let ln_base = self.unary(Op::Func(Func::Ln), base);
                self.combine(Op::Div, ln_a, ln_base)
            }
            // The square and cube roots are exact as √ and ∛ (powf(x, 1/3) is not).
            Expr::Call2(Func2::NthRoot, a, n) => {
                let a = self.add(a);
                match self.add(n) {
                    Compiled::Const(2.0) => self.unary(Op::Func(Func::Sqrt), a),
                    Compiled::Const(3.0) => self.unary(Op::Func(Func::Cbrt), a),
                    n => self.combine(Op::Root, a, n),
                }
            }
            Expr::Call2(Func2::Atan2, a, b) => self.binary(Op::Atan2, a, b),
            Expr::Call2(Func2::Min, a, b) => self.binary(Op::Min, a, b),
            Expr::Call2(Func2::Max, a, b) => self.binary(Op::Max, a, b),
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

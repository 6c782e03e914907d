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

use std::f64::consts::{LN_10, LN_2, LOG2_E, SQRT_2};

use crate::elementary;
use crate::expr::{Expr, Func, Func2};

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
    /// nthRoot(a, b): a^(1/b), and for an odd integer b the real root of a negative a.
    Root,
    /// atan2(a, b): the angle of the point (b, a).
    Atan2,
    Min,
    Max,
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
            Op::Root => "root",
            Op::Atan2 => "atan2",
            Op::Min => "min",
            Op::Max => "max",
            Op::PowLn => "powln",
        }
    }

    /// Whether the second input is an exponent (of a^b, or the n of nthRoot), whose
    /// derivative involves ln of the first and is wanted only when it varies.
    pub(crate) fn has_exponent(&self) -> bool {
        matches!(self, Op::Pow | Op::Root)
    }

    /// How many inputs the operation reads.
    pub(crate) fn arity(&self) -> usize {
        match self {
            Op::Var(_) | Op::Const(_) => 0,
            Op::Neg | Op::PowInt(_) | Op::Func(_) => 1,
            Op::Add
            | Op::Sub
            | Op::Mul
            | Op::Div
            | Op::Pow
            | Op::PowLn
            | Op::Root
            | Op::Atan2
            | Op::Min
            | Op::Max => 2,
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
            // powf says NaN^0 = 1^NaN = 1, but a power of something not defined is not
            // defined either: (x^x)^0 at x = −0.6.
            Op::Pow if a.is_nan() || b.is_nan() => f64::NAN,
            Op::Pow => a.powf(b),
            Op::PowInt(n) => match n {
                // a^0 is 1 wherever a is a number (0^0 = 1 too, as everywhere in floating
                // point), and NaN where a is not defined or infinite: 0·a is NaN there.
                0 => 0.0 * a + 1.0,
                2 => a * a,
                3 => a * a * a,
                _ => a.powi(n),
            },
            Op::Func(f) => f.apply(a),
            Op::Root | Op::Atan2 | Op::Min | Op::Max => self.forward_more(a, b),
            Op::PowLn => {
                if a == 0.0 && b >= 0.0 {
                    0.0
                } else {
                    a.powf(b) * a.ln()
                }
            }
        }
    }

    /// [`forward`](Self::forward) for the functions of two arguments, not inlined, as
    /// [`Func::apply_more`] is not.
    #[inline(never)]
    fn forward_more(self, a: f64, b: f64) -> f64 {
        match self {
            Op::Root => root(a, b),
            Op::Atan2 => a.atan2(b),
            // Unlike f64::min, NaN (an argument not defined here) is passed on.
            Op::Min if a <= b => a,
            Op::Min if b < a => b,
            Op::Max if a >= b => a,
            Op::Max if b > a => b,
            _ => f64::NAN,
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
            Op::Root | Op::Atan2 | Op::Min | Op::Max => {
                self.local_gradient_more(a, b, out, exponent_varies)
            }
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

    /// [`local_gradient`](Self::local_gradient) for the functions of two arguments, not
    /// inlined, as [`Func::apply_more`] is not.
    #[inline(never)]
    fn local_gradient_more(self, a: f64, b: f64, out: f64, exponent_varies: bool) -> (f64, f64) {
        match self {
            // d(a^(1/n))/da = (1/n)·a^(1/n − 1) = out/(n·a), its limit at a = 0 taken from
            // the first form (∞ for n > 1: a vertical tangent, like √ at 0);
            // d(a^(1/n))/dn = −a^(1/n)·ln(a)/n².
            Op::Root => {
                let d_base = if a == 0.0 {
                    (1.0 / b) * a.powf(1.0 / b - 1.0)
                } else {
                    out / (b * a)
                };
                let d_n = if exponent_varies {
                    -out * a.ln() / (b * b)
                } else {
                    0.0
                };
                (d_base, d_n)
            }
            // ∂atan2(a, b)/∂a = b/(a² + b²), ∂/∂b = −a/(a² + b²); with the hypotenuse r
            // rather than r², which would overflow first. (NaN at the origin, where the angle
            // jumps.)
            Op::Atan2 => {
                let r = a.hypot(b);
                (b / r / r, -a / r / r)
            }
            // Where a = b the two one-sided slopes differ (a corner); each side gets half,
            // as in PyTorch's minimum and maximum.
            Op::Min | Op::Max => {
                let a_wins = if self == Op::Min { a < b } else { a > b };
                let b_wins = if self == Op::Min { b < a } else { b > a };
                match (a_wins, b_wins) {
                    (true, _) => (1.0, 0.0),
                    (_, true) => (0.0, 1.0),
                    _ => (0.5, 0.5),
                }
            }
            _ => (f64::NAN, f64::NAN),
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
            Op::Func(f) => (f.slope_node(g, a), None),
            // d/da = out/(n·a); d/dn = −out·ln(a)/n².
            Op::Root => {
                let n_a = g.op2(Op::Mul, b, a);
                let d_base = g.op2(Op::Div, out, n_a);
                let d_n = exponent_varies.then(|| {
                    let ln = g.op1(Op::Func(Func::Ln), a);
                    let out_ln = g.op2(Op::Mul, out, ln);
                    let n2 = g.op1(Op::PowInt(2), b);
                    let ratio = g.op2(Op::Div, out_ln, n2);
                    g.op1(Op::Neg, ratio)
                });
                (Some(d_base), d_n)
            }
            // b/(a² + b²) and −a/(a² + b²).
            Op::Atan2 => {
                let a2 = g.op1(Op::PowInt(2), a);
                let b2 = g.op1(Op::PowInt(2), b);
                let r2 = g.op2(Op::Add, a2, b2);
                let d_a = g.op2(Op::Div, b, r2);
                let minus_a = g.op1(Op::Neg, a);
                (Some(d_a), Some(g.op2(Op::Div, minus_a, r2)))
            }
            // The share of a is (1 ∓ sign(a − b))/2: 1, ½ or 0; b gets the rest.
            Op::Min | Op::Max => {
                let difference = g.op2(Op::Sub, a, b);
                let sign = g.op1(Op::Func(Func::Sign), difference);
                let one = g.constant(1.0);
                let half = g.constant(0.5);
                let (wins, loses) = if self == Op::Min {
                    (Op::Sub, Op::Add)
                } else {
                    (Op::Add, Op::Sub)
                };
                let a_twice = g.op2(wins, one, sign);
                let b_twice = g.op2(loses, one, sign);
                (
                    Some(g.op2(Op::Mul, half, a_twice)),
                    Some(g.op2(Op::Mul, half, b_twice)),
                )
            }
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
            f => f.apply_more(x),
        }
    }

    /// [`apply`](Self::apply) for the functions formulas use less (NaN for the others,
    /// which `apply` handles). Not inlined: `apply` is inlined into every loop of the
    /// engine, and these 23 arms in each copy cost the wasm 5 KB.
    #[inline(never)]
    fn apply_more(self, x: f64) -> f64 {
        match self {
            Func::Sec => 1.0 / x.cos(),
            Func::Csc => 1.0 / x.sin(),
            Func::Cot => 1.0 / x.tan(),
            Func::Asin => asin(x),
            Func::Acos => acos(x),
            Func::Atan => x.atan(),
            Func::Asec => acos(1.0 / x),
            Func::Acsc => asin(1.0 / x),
            Func::Acot => (1.0 / x).atan(),
            Func::Sinh => elementary::sinh_cosh(x).0,
            Func::Cosh => elementary::sinh_cosh(x).1,
            Func::Sech => 1.0 / elementary::sinh_cosh(x).1,
            Func::Csch => 1.0 / elementary::sinh_cosh(x).0,
            Func::Coth => 1.0 / x.tanh(),
            Func::Asinh => x.asinh(),
            Func::Acosh => x.acosh(),
            Func::Atanh => x.atanh(),
            Func::Asech => (1.0 / x).acosh(),
            Func::Acsch => (1.0 / x).asinh(),
            Func::Acoth => (1.0 / x).atanh(),
            Func::Log10 => x.log10(),
            Func::Log2 => log2(x),
            Func::Cbrt => cbrt(x),
            _ => f64::NAN,
        }
    }

    /// The derivative at `x`, where `y` is the function's value there (several derivatives
    /// are cheapest written in terms of it).
    ///
    /// 1 − x² is written (1 − x)(1 + x), and √(x² − 1) as √(x − 1)·√(x + 1): near x = ±1,
    /// where these vanish, x² would round away the digits that matter, and x² overflows
    /// long before the square root does.
    #[inline(always)]
    pub(crate) fn slope(self, x: f64, y: f64) -> f64 {
        match self {
            Func::Sin => x.cos(),
            Func::Cos => -x.sin(),
            Func::Tan => 1.0 + y * y,
            Func::Atan => 1.0 / (1.0 + x * x),
            Func::Tanh => 1.0 - y * y,
            Func::Exp => y,
            Func::Ln => 1.0 / x,
            // +∞ at 0, like PyTorch.
            Func::Sqrt => 0.5 / y,
            // abs'(0) = sign(0) = 0 and relu'(0) = step(0) = 0, like PyTorch.
            Func::Abs => sign(x),
            Func::Sigmoid => y * (1.0 - y),
            Func::Relu => step(x),
            Func::Sign | Func::Step => 0.0,
            f => f.slope_more(x, y),
        }
    }

    /// [`slope`](Self::slope) for the functions [`apply_more`](Self::apply_more) computes,
    /// not inlined for the same reason.
    #[inline(never)]
    fn slope_more(self, x: f64, y: f64) -> f64 {
        match self {
            // sec' = sec·tan, csc' = −csc·cot, cot' = −csc² = −(1 + cot²)
            Func::Sec => y * x.tan(),
            Func::Csc => -y / x.tan(),
            Func::Cot => -(1.0 + y * y),
            // ±∞ at x = ±1, the ends of the domain, like √ at 0.
            Func::Asin => 1.0 / ((1.0 - x).sqrt() * (1.0 + x).sqrt()),
            Func::Acos => -1.0 / ((1.0 - x).sqrt() * (1.0 + x).sqrt()),
            // asec' = 1/(|x|·√(x² − 1)), acsc' = −asec', acot' = −1/(1 + x²)
            Func::Asec => 1.0 / abs_root_square_minus_one(x),
            Func::Acsc => -1.0 / abs_root_square_minus_one(x),
            Func::Acot => -1.0 / (1.0 + x * x),
            Func::Sinh => elementary::sinh_cosh(x).1,
            Func::Cosh => elementary::sinh_cosh(x).0,
            // sech' = −sech·tanh, csch' = −csch·coth; coth' = −csch², from sinh: 1 − coth²
            // would cancel where coth is near 1.
            Func::Sech => -y * x.tanh(),
            Func::Csch => -y / x.tanh(),
            Func::Coth => {
                let sinh = elementary::sinh_cosh(x).0;
                -1.0 / (sinh * sinh)
            }
            // asinh' = 1/√(1 + x²) (hypot, which does not overflow), acosh' = 1/√(x² − 1),
            // atanh' = 1/(1 − x²).
            Func::Asinh => 1.0 / 1f64.hypot(x),
            Func::Acosh => 1.0 / ((x - 1.0).sqrt() * (x + 1.0).sqrt()),
            Func::Atanh | Func::Acoth => 1.0 / ((1.0 - x) * (1.0 + x)),
            // asech' = −1/(x·√(1 − x²)) on 0 < x ≤ 1, acsch' = −1/(|x|·√(1 + x²)); acoth' is
            // atanh's rule.
            Func::Asech => -1.0 / (x * (1.0 - x).sqrt() * (1.0 + x).sqrt()),
            Func::Acsch => -1.0 / (x.abs() * 1f64.hypot(x)),
            Func::Log10 => 1.0 / (x * LN_10),
            Func::Log2 => 1.0 / (x * LN_2),
            // ∛x' = 1/(3·∛x²), +∞ at 0 as for √.
            Func::Cbrt => 1.0 / (3.0 * y * y),
            _ => f64::NAN,
        }
    }

    /// f'(u) as the textbooks (and mathjs) write it: what [`slope`](Self::slope) computes,
    /// as a formula in u. `differentiate` shows it, and the Hessian builds it as nodes
    /// ([`slope_node`](Self::slope_node)). Text, parsed when used: built node by node in
    /// code, these 35 formulas cost every wasm build several KB, as text under 1 KB, and
    /// neither use is an inner loop.
    pub(crate) fn derivative_rule(self) -> &'static str {
        match self {
            Func::Sin => "cos(u)",
            Func::Cos => "-sin(u)",
            Func::Tan => "1/cos(u)^2",
            Func::Sec => "sec(u)*tan(u)",
            Func::Csc => "-csc(u)*cot(u)",
            Func::Cot => "-csc(u)^2",
            Func::Asin => "1/sqrt(1 - u^2)",
            Func::Acos => "-1/sqrt(1 - u^2)",
            Func::Atan => "1/(1 + u^2)",
            Func::Asec => "1/(abs(u)*sqrt(u^2 - 1))",
            Func::Acsc => "-1/(abs(u)*sqrt(u^2 - 1))",
            Func::Acot => "-1/(1 + u^2)",
            Func::Sinh => "cosh(u)",
            Func::Cosh => "sinh(u)",
            Func::Tanh => "1 - tanh(u)^2",
            Func::Sech => "-sech(u)*tanh(u)",
            Func::Csch => "-csch(u)*coth(u)",
            Func::Coth => "-csch(u)^2",
            Func::Asinh => "1/sqrt(u^2 + 1)",
            Func::Acosh => "1/sqrt(u^2 - 1)",
            Func::Atanh | Func::Acoth => "1/(1 - u^2)",
            Func::Asech => "-1/(u*sqrt(1 - u^2))",
            Func::Acsch => "-1/(abs(u)*sqrt(u^2 + 1))",
            Func::Exp => "exp(u)",
            Func::Ln => "1/u",
            Func::Log10 => "1/(u*ln(10))",
            Func::Log2 => "1/(u*ln(2))",
            Func::Sqrt => "1/(2*sqrt(u))",
            Func::Cbrt => "1/(3*cbrt(u)^2)",
            Func::Abs => "sign(u)",
            Func::Sigmoid => "sigmoid(u)*(1 - sigmoid(u))",
            Func::Relu => "step(u)",
            Func::Sign | Func::Step => "0",
        }
    }

    /// f'(`x`) built as nodes of `g` from [`derivative_rule`](Self::derivative_rule); `None`
    /// where it is 0 everywhere (sign, step).
    fn slope_node(self, g: &mut Graph, x: usize) -> Option<usize> {
        match crate::parse(self.derivative_rule()).ok()? {
            Expr::Num(0.0) => None,
            rule => Some(g.build(&rule, x)),
        }
    }
}

/// The real cube root, within an ulp of the standard library's and exact for perfect cubes:
/// powf(|x|, 1/3) is off by up to |ln x|·2⁻⁵⁴ relative, 1/3 not being a float, and one Newton
/// step on y³ = |x| takes that away. (The standard library's cbrt of its own costs every wasm
/// build 0.4 KB gzipped.) Far out, |x| is first scaled by 2^∓300, so that y³ neither
/// overflows nor loses digits as a subnormal, and the root scaled back by 2^±100: exactly.
fn cbrt(x: f64) -> f64 {
    let ax = x.abs();
    let (scaled, back) = if ax < 1e-290 {
        (ax * TWO_300, TWO_MINUS_100)
    } else if ax > 1e290 {
        (ax * TWO_MINUS_300, TWO_100)
    } else {
        (ax, 1.0)
    };
    let y = scaled.powf(1.0 / 3.0);
    // 0, ∞ and NaN as powf gives them.
    let y = if y > 0.0 && y < f64::INFINITY {
        y - (y * y * y - scaled) / (3.0 * y * y)
    } else {
        y
    };
    f64::from_bits((y * back).to_bits() | (x.to_bits() & (1 << 63)))
}

/// log₂ x as e + log₂ m, where x = m·2^e with √½ ≤ m < √2: exact for powers of two (m = 1),
/// within 2 ulp of the standard library's elsewhere, and cheaper in the wasm than its log2
/// (0.2 KB gzipped).
fn log2(x: f64) -> f64 {
    if !(f64::MIN_POSITIVE..f64::INFINITY).contains(&x) {
        // Subnormals scaled up by 2⁵⁴; 0, ∞, negatives and NaN as ln has them.
        return if x > 0.0 && x < f64::MIN_POSITIVE {
            log2(x * TWO_54) - 54.0
        } else {
            x.ln() * LOG2_E
        };
    }
    let bits = x.to_bits();
    let mut exponent = ((bits >> 52) as i64 - 1023) as f64;
    let mut m = f64::from_bits(bits & ((1 << 52) - 1) | 1f64.to_bits());
    if m > SQRT_2 {
        m *= 0.5;
        exponent += 1.0;
    }
    exponent + m.ln() * LOG2_E
}

/// 2⁵⁴, for [`log2`].
const TWO_54: f64 = 18014398509481984.0;

/// 2³⁰⁰, 2⁻³⁰⁰, 2¹⁰⁰ and 2⁻¹⁰⁰, for [`cbrt`].
const TWO_300: f64 = 2.037035976334486e90;
const TWO_MINUS_300: f64 = 4.909093465297727e-91;
const TWO_100: f64 = 1.2676506002282294e30;
const TWO_MINUS_100: f64 = 7.888609052210118e-31;

/// asin x as the angle of the point (√(1 − x²), x), within 2 ulp of the standard library's:
/// atan2 is in the wasm anyway, and asin and acos of their own cost it 0.6 KB gzipped.
fn asin(x: f64) -> f64 {
    x.atan2(((1.0 - x) * (1.0 + x)).sqrt())
}

/// acos x as the angle of the point (x, √(1 − x²)), within 1 ulp of the standard library's.
fn acos(x: f64) -> f64 {
    ((1.0 - x) * (1.0 + x)).sqrt().atan2(x)
}

/// |x|·√(x² − 1), the denominator of asec' and acsc', as |x|·√(|x| − 1)·√(|x| + 1).
#[inline(always)]
fn abs_root_square_minus_one(x: f64) -> f64 {
    let ax = x.abs();
    ax * ((ax - 1.0).sqrt() * (ax + 1.0).sqrt())
}

/// nthRoot(a, n): a^(1/n), and for negative a and odd integer n the real root −|a|^(1/n)
/// (mathjs's nthRoot; powf would give NaN). n = 3 is exactly cbrt.
fn root(a: f64, n: f64) -> f64 {
    if n == 3.0 {
        cbrt(a)
    } else if a < 0.0 && (n % 2.0).abs() == 1.0 {
        -(-a).powf(1.0 / n)
    } else {
        a.powf(1.0 / n)
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

/// Whether node `i` is a constant (a missing node is not).
fn is_constant(nodes: &[Node], i: usize) -> bool {
    nodes.get(i).is_some_and(|n| matches!(n.op, Op::Const(_)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;
    use std::f64::consts::{FRAC_PI_2, PI};

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
    fn two_argument_functions_compile_to_one_node_each_or_to_exact_equivalents() {
        let ops = |src: &str| -> Vec<Op> { graph(src).nodes().iter().map(|n| n.op).collect() };
        // Identical calls are one node; min and max of the same inputs are two.
        assert_eq!(
            ops("min(x, 1) + min(x, 1)*max(x, 1)"),
            [
                Op::Var(0),
                Op::Const(1.0),
                Op::Min,
                Op::Max,
                Op::Mul,
                Op::Add
            ]
        );
        // log(x, b) = ln x/ln b, the constant ln 2 folded; pow(a, b) is a^b; the square and
        // cube roots are √ and ∛, any other root a node of its own.
        assert_eq!(
            ops("log(x, 2)"),
            [
                Op::Var(0),
                Op::Func(Func::Ln),
                Op::Const(2f64.ln()),
                Op::Div
            ]
        );
        assert_eq!(ops("pow(x, 2)"), [Op::Var(0), Op::PowInt(2)]);
        assert_eq!(ops("nthRoot(x, 3)"), [Op::Var(0), Op::Func(Func::Cbrt)]);
        assert_eq!(ops("nthRoot(x, 2)"), [Op::Var(0), Op::Func(Func::Sqrt)]);
        assert_eq!(ops("nthRoot(x, 5)"), [Op::Var(0), Op::Const(5.0), Op::Root]);
        assert_eq!(ops("atan2(x, y)"), [Op::Var(0), Op::Var(1), Op::Atan2]);
        let labels: Vec<String> = (0..3).map(|i| graph("nthRoot(x, 5)").label(i)).collect();
        assert_eq!(labels, ["x", "5", "nthRoot"]);
    }

    #[test]
    fn every_derivative_rule_parses_in_u() {
        for f in Func::ALL {
            let rule = parse(f.derivative_rule()).unwrap();
            assert!(rule.variables().iter().all(|v| v == "u"), "{}", f.name());
        }
    }

    #[test]
    fn asin_and_acos_as_angles_are_within_two_ulp() {
        let ulps = |a: f64, b: f64| (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs();
        for i in 0..=200_000 {
            let x = -1.0 + f64::from(i) / 100_000.0;
            assert!(ulps(asin(x), x.asin()) <= 2, "asin({x})");
            assert!(ulps(acos(x), x.acos()) <= 1, "acos({x})");
        }
        assert_eq!((asin(1.0), asin(-1.0)), (FRAC_PI_2, -FRAC_PI_2));
        assert_eq!((acos(1.0), acos(-1.0), acos(0.0)), (0.0, PI, FRAC_PI_2));
        assert_eq!(asin(-0.0).to_bits(), (-0.0f64).to_bits());
        assert!(asin(1.5).is_nan() && acos(-1.5).is_nan() && asin(f64::NAN).is_nan());
    }

    #[test]
    fn cube_roots_are_within_an_ulp_and_exact_for_cubes() {
        let ulps = |a: f64, b: f64| (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs();
        for i in -3200..=3200 {
            for m in [1.0, 1.37, 2.0, 3.3, 7.9] {
                let x = m * 10f64.powf(f64::from(i) / 10.0);
                assert!(ulps(cbrt(x), x.cbrt()) <= 1, "cbrt({x:e})");
                assert!(ulps(cbrt(-x), (-x).cbrt()) <= 1, "cbrt(-{x:e})");
            }
        }
        for k in 1..100_000i64 {
            let c = k as f64;
            assert_eq!(cbrt(c * c * c), c, "{k}³");
            assert_eq!(cbrt(-c * c * c), -c, "-{k}³");
        }
        assert_eq!(cbrt(0.125), 0.5);
        assert_eq!(cbrt(f64::from_bits(1)), 2f64.powi(-358));
        assert_eq!(cbrt(2f64.powi(1023)), 2f64.powi(341));
        for (c, e) in [
            (TWO_300, 300),
            (TWO_MINUS_300, -300),
            (TWO_100, 100),
            (TWO_MINUS_100, -100),
        ] {
            assert_eq!(c, 2f64.powi(e));
        }
        assert_eq!(cbrt(0.0).to_bits(), 0);
        assert_eq!(cbrt(-0.0).to_bits(), (-0.0f64).to_bits());
        assert_eq!(
            (cbrt(f64::INFINITY), cbrt(f64::NEG_INFINITY)),
            (f64::INFINITY, f64::NEG_INFINITY)
        );
        assert!(cbrt(f64::NAN).is_nan());
    }

    #[test]
    fn binary_logarithms_are_within_two_ulp_and_exact_at_powers_of_two() {
        let ulps = |a: f64, b: f64| (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs();
        for i in -3230..=3080 {
            for m in [1.0, 1.1, 1.41, 1.42, 2.9, 7.7] {
                let x = m * 10f64.powf(f64::from(i) / 10.0);
                assert!(ulps(log2(x), x.log2()) <= 2, "log2({x:e})");
            }
        }
        for i in 0..200_000 {
            let x = 0.5 + f64::from(i) / 100_000.0;
            assert!(ulps(log2(x), x.log2()) <= 2, "log2({x})");
        }
        for k in -1022..=1023 {
            assert_eq!(log2(2f64.powi(k)), f64::from(k), "2^{k}");
        }
        for j in 0..52 {
            assert_eq!(
                log2(f64::from_bits(1 << j)),
                f64::from(j) - 1074.0,
                "2^({j} - 1074)"
            );
        }
        assert_eq!(log2(0.0), f64::NEG_INFINITY);
        assert_eq!(log2(f64::INFINITY), f64::INFINITY);
        assert!(log2(-1.0).is_nan() && log2(f64::NAN).is_nan());
        assert_eq!(TWO_54, 2f64.powi(54));
    }

    #[test]
    fn roots_of_negative_numbers_are_real_for_odd_n() {
        // (−32)^(1/5) = −2, (−8)^(1/3) = −2 exactly; an even root of a negative is no number.
        assert_eq!(root(-32.0, 5.0), -2.0);
        assert_eq!(root(-8.0, 3.0), -2.0);
        assert_eq!(root(-1.0, -3.0), -1.0);
        assert!(root(-16.0, 4.0).is_nan());
        assert!(root(-2.0, 2.5).is_nan());
        assert_eq!(root(81.0, 4.0), 3.0);
    }

    #[test]
    fn x_to_the_zero_is_flat_even_at_zero() {
        let mut g = graph("x^0");
        let mut d = [f64::NAN];
        assert_eq!(g.value_and_gradient(&[0.0], &mut d), 1.0);
        assert_eq!(d, [0.0]);
    }
}

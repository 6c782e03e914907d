//! Each operation's forward rule and local derivative, side by side: what a node computes
//! from its inputs, and what it passes back to each of them by the chain rule. The graph
//! (`super`) runs them; these are the mathematics.

use std::f64::consts::{LN_10, LN_2};

use super::real::*;
use super::Graph;
use crate::elementary;
use crate::expr::{Expr, Func};

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
pub(super) const MAX_INT_POWER: f64 = 64.0;

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
    pub(super) fn local_gradient_nodes(
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
            Func::Sigmoid => elementary::sigmoid(x),
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

//! The same graph at many points at once: `derivatives()` at 100,000 points.
//!
//! [`Graph::slopes`] runs the forward and backward rules of [`crate::backprop`] column by column
//! over batches of points instead of point by point. Each node's rule is chosen once per batch,
//! so the inner loops are plain arithmetic that LLVM turns into SIMD, and sin, cos, exp, tanh,
//! atan, sinh and cosh come from the branch-free kernels of [`crate::elementary`]. The rules
//! themselves are not repeated here: the loops call `Op::forward` and `Op::local_gradient`.
//!
//! ```
//! use calculus::{derivatives, parse};
//!
//! // derivatives() and Function1::slopes run here.
//! assert_eq!(derivatives(&parse("x^2")?, &[-1.0, 0.0, 2.5])?, [-2.0, 0.0, 5.0]);
//! # Ok::<(), calculus::Error>(())
//! ```

use crate::backprop::{Graph, Op};
use crate::elementary;
use crate::expr::Func;

/// Points evaluated together by [`Graph::slopes`]: large enough that per-node work is spread
/// over many points, small enough that a column per node stays in cache.
const BATCH: usize = 512;

impl Graph {
    /// f'(x) at every x in `xs` for a graph of at most one variable (a constant's slope is 0),
    /// written to `out`; pairs beyond the shorter slice are skipped.
    ///
    /// The same forward and backward rules as [`Graph::forward`] and [`Graph::backward`], run
    /// column by column over a batch of points instead of point by point: each node's rule
    /// is chosen once per batch, so the inner loops are plain arithmetic that LLVM turns
    /// into SIMD. This is what makes `derivatives()` at 100,000 points fast.
    ///
    /// Two differences from the point-by-point path, both within an ulp or two: sin, cos, exp,
    /// tanh and atan come from the branch-free column kernels of [`crate::elementary`] instead
    /// of the standard library, and sin and cos (sinh and cosh) get their derivative, cos and
    /// −sin (cosh and sinh), from the forward pass, which computes both at once. Where f is
    /// not a finite real number the slope is NaN, as `derivative` calls it not defined.
    pub(crate) fn slopes(&self, xs: &[f64], out: &mut [f64]) {
        let len = xs.len().min(out.len());
        let (xs, mut rest) = (xs.get(..len).unwrap_or_default(), out.get_mut(..len));
        self.slopes_by_batch(xs, &mut |slopes| {
            if let Some((head, tail)) = rest
                .take()
                .and_then(|r| r.split_at_mut_checked(slopes.len()))
            {
                head.copy_from_slice(slopes);
                rest = Some(tail);
            }
        });
    }

    /// [`Graph::slopes`] appended to `out`, which need not be zeroed first.
    pub(crate) fn append_slopes(&self, xs: &[f64], out: &mut Vec<f64>) {
        out.reserve(xs.len());
        self.slopes_by_batch(xs, &mut |slopes| out.extend_from_slice(slopes));
    }

    /// The slopes at `xs`, handed to `emit` one batch at a time, in order. (`dyn`, so that
    /// this large function is compiled once, not once per caller.)
    fn slopes_by_batch(&self, xs: &[f64], emit: &mut dyn FnMut(&[f64])) {
        let n = self.nodes().len();
        let one_variable = self.variables().len() == 1;
        let mut values = vec![0.0; n * BATCH];
        // What a node's forward pass computes besides its value, for its backward pass:
        // cos x beside sin x, sin x beside cos x (unused for other nodes).
        let mut extras = vec![0.0; n * BATCH];
        let mut grads = vec![0.0; n * BATCH];
        let exponent_varies: Vec<bool> = self
            .nodes()
            .iter()
            .map(|node| {
                node.op.has_exponent()
                    && self
                        .nodes()
                        .get(node.inputs[1])
                        .is_some_and(|b| !matches!(b.op, Op::Const(_)))
            })
            .collect();
        // A constant's slope is 0, where the constant is a number.
        let constant_slope = if self.value().is_finite() {
            0.0
        } else {
            f64::NAN
        };
        for chunk in xs.chunks(BATCH) {
            if !one_variable {
                emit(&[constant_slope; BATCH][..chunk.len()]);
                continue;
            }
            let m = chunk.len();
            // Forward: node k's values for the whole chunk, from its inputs' columns.
            for (k, node) in self.nodes().iter().enumerate() {
                let (before, rest) = values.split_at_mut(k * BATCH);
                let (Some(column), Some(extra)) =
                    (rest.get_mut(..m), extras.get_mut(k * BATCH..k * BATCH + m))
                else {
                    continue;
                };
                match node.op {
                    Op::Var(_) => column.copy_from_slice(chunk),
                    Op::Const(c) => column.fill(c),
                    op => {
                        let a = column_of(before, node.inputs[0], m);
                        let b = column_of(before, node.inputs[1], m);
                        forward_column(op, a, b, column, extra);
                    }
                }
            }
            // Backward: seed the output with 1 and pass gradients down, node by node. Where f
            // itself is not a finite real number it has no slope either: the seed there is
            // 1 + 0·f = NaN, which every path carries down to x (NaN times any local
            // derivative is NaN), rather than whatever the pass would make of the ∞ or NaN.
            grads.fill(0.0);
            let output = self.output();
            if let Some(seed) = grads.get_mut(output * BATCH..output * BATCH + m) {
                for (g, f) in seed.iter_mut().zip(column_of(&values, output, m)) {
                    *g = 1.0 + 0.0 * f;
                }
            }
            for (k, node) in self.nodes().iter().enumerate().rev() {
                let arity = node.op.arity();
                if arity == 0 {
                    continue;
                }
                let [ia, ib] = node.inputs;
                let (below, rest) = grads.split_at_mut(k * BATCH);
                let Some(g) = rest.get(..m) else { continue };
                let columns = Columns {
                    a: column_of(&values, ia, m),
                    b: column_of(&values, ib, m),
                    own: column_of(&values, k, m),
                    extra: column_of(&extras, k, m),
                    g,
                };
                let varies = exponent_varies.get(k).copied().unwrap_or(false);
                if arity == 1 || ia == ib {
                    // One input, or the same input twice (x·x): both shares land on it.
                    let Some(ga) = below.get_mut(ia * BATCH..ia * BATCH + m) else {
                        continue;
                    };
                    if arity == 1 {
                        backward_unary(node.op, &columns, ga);
                    } else {
                        specialised!(node.op, [Op::Add, Op::Mul], |op| pass_down_twice(
                            op, varies, &columns, ga
                        ));
                    }
                } else {
                    let (low, high) = (ia.min(ib), ia.max(ib));
                    let (lower, upper) = below.split_at_mut(high * BATCH);
                    let (Some(g_low), Some(g_high)) = (
                        lower.get_mut(low * BATCH..low * BATCH + m),
                        upper.get_mut(..m),
                    ) else {
                        continue;
                    };
                    let (ga, gb) = if ia < ib {
                        (g_low, g_high)
                    } else {
                        (g_high, g_low)
                    };
                    specialised!(node.op, [Op::Add, Op::Sub, Op::Mul, Op::Div], |op| {
                        pass_down_both(op, varies, &columns, ga, gb)
                    });
                }
            }
            // Variables come first: node 0 is x.
            emit(grads.get(..m).unwrap_or_default());
        }
    }
}

/// Evaluates `$body` with the operation `$name` written as a literal when it is one of those
/// listed: once `Op::forward` or `Op::local_gradient` is inlined into such a loop its `match`
/// folds away, leaving straight arithmetic that LLVM vectorises. Other operations share one
/// loop that matches on the operation at every point. (Each listed operation is a loop of
/// its own in the wasm, so the lists hold only what formulas commonly use, and only
/// operations that can reach the call.)
macro_rules! specialised {
    ($op:expr, [$($literal:expr),* $(,)?], |$name:ident| $body:expr) => {
        match $op {
            $($name if $name == $literal => {
                let $name = $literal;
                $body
            })*
            $name => $body,
        }
    };
}
use specialised;

/// A node's forward rule over a column: sin, cos, exp, tanh, atan, sinh and cosh by the SIMD
/// kernels (sin and cos, sinh and cosh, leave the other one in `extra`), everything else by
/// `Op::forward`.
fn forward_column(op: Op, a: &[f64], b: &[f64], out: &mut [f64], extra: &mut [f64]) {
    match op {
        Op::Func(Func::Sin) => elementary::sin_cos_column(a, out, extra),
        Op::Func(Func::Cos) => elementary::sin_cos_column(a, extra, out),
        Op::Func(Func::Exp) => elementary::exp_column(a, out),
        Op::Func(Func::Tanh) => elementary::tanh_column(a, out),
        Op::Func(Func::Atan) => elementary::atan_column(a, out),
        Op::Func(Func::Sinh) => elementary::sinh_cosh_column(a, out, extra),
        Op::Func(Func::Cosh) => elementary::sinh_cosh_column(a, extra, out),
        op => specialised!(
            op,
            [
                Op::Neg,
                Op::Add,
                Op::Sub,
                Op::Mul,
                Op::Div,
                Op::PowInt(2),
                Op::PowInt(3),
                Op::Func(Func::Sqrt),
                Op::Func(Func::Abs),
            ],
            |op| forward_loop(op, a, b, out)
        ),
    }
}

#[inline(always)]
fn forward_loop(op: Op, a: &[f64], b: &[f64], out: &mut [f64]) {
    for ((v, a), b) in out.iter_mut().zip(a).zip(b) {
        *v = op.forward(*a, *b);
    }
}

/// The columns a node's backward rule reads: its inputs' values, its own value and extra
/// column, and its gradient.
struct Columns<'a> {
    a: &'a [f64],
    b: &'a [f64],
    own: &'a [f64],
    extra: &'a [f64],
    g: &'a [f64],
}

/// A one-input node's backward rule over a column, added to its input's gradient `ga`.
fn backward_unary(op: Op, c: &Columns, ga: &mut [f64]) {
    match op {
        // sin' = cos and cos' = −sin, both computed by the forward pass.
        Op::Func(Func::Sin) => {
            for ((ga, g), cos) in ga.iter_mut().zip(c.g).zip(c.extra) {
                *ga += g * cos;
            }
        }
        Op::Func(Func::Cos) => {
            for ((ga, g), sin) in ga.iter_mut().zip(c.g).zip(c.extra) {
                *ga += g * -sin;
            }
        }
        // sinh' = cosh and cosh' = sinh, both computed by the forward pass.
        Op::Func(Func::Sinh | Func::Cosh) => {
            for ((ga, g), other) in ga.iter_mut().zip(c.g).zip(c.extra) {
                *ga += g * other;
            }
        }
        op => specialised!(
            op,
            [
                Op::Neg,
                Op::PowInt(2),
                Op::PowInt(3),
                Op::Func(Func::Sqrt),
                Op::Func(Func::Abs),
                Op::Func(Func::Exp),
                Op::Func(Func::Tanh),
                Op::Func(Func::Atan),
            ],
            |op| pass_down(op, c, ga)
        ),
    }
}

#[inline(always)]
fn pass_down(op: Op, c: &Columns, ga: &mut [f64]) {
    let inputs = c.a.iter().zip(c.b).zip(c.own);
    for ((ga, g), ((a, b), own)) in ga.iter_mut().zip(c.g).zip(inputs) {
        let (da, _) = op.local_gradient(*a, *b, *own, false);
        *ga += g * da;
    }
}

/// A two-input node whose inputs are one node (x·x): both shares, one after the other as
/// [`Graph::backward`] adds them.
#[inline(always)]
fn pass_down_twice(op: Op, varies: bool, c: &Columns, ga: &mut [f64]) {
    let inputs = c.a.iter().zip(c.b).zip(c.own);
    for ((ga, g), ((a, b), own)) in ga.iter_mut().zip(c.g).zip(inputs) {
        let (da, db) = op.local_gradient(*a, *b, *own, varies);
        *ga += g * da;
        *ga += g * db;
    }
}

#[inline(always)]
fn pass_down_both(op: Op, varies: bool, c: &Columns, ga: &mut [f64], gb: &mut [f64]) {
    let inputs = c.a.iter().zip(c.b).zip(c.own);
    for (((ga, gb), g), ((a, b), own)) in ga.iter_mut().zip(gb).zip(c.g).zip(inputs) {
        let (da, db) = op.local_gradient(*a, *b, *own, varies);
        *ga += g * da;
        *gb += g * db;
    }
}

/// Node `k`'s column of `m` values (NaNs for an index out of range, which compile never makes).
fn column_of(columns: &[f64], k: usize, m: usize) -> &[f64] {
    const NANS: [f64; BATCH] = [f64::NAN; BATCH];
    columns
        .get(k * BATCH..k * BATCH + m)
        .unwrap_or(&NANS[..m.min(BATCH)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{Expr, Func2};
    use crate::parse;

    fn graph(src: &str) -> Graph {
        Graph::compile(&parse(src).unwrap())
    }

    #[test]
    fn slopes_runs_every_operation_and_edge_case() {
        // Each rule through its column loop, across a batch boundary, with the kernels'
        // fix-ups (huge and non-finite inputs) in the same batches as ordinary points.
        let mut xs: Vec<f64> = (0..300).map(|i| -7.5 + 0.05 * i as f64).collect();
        xs.extend([
            0.0,
            -0.0,
            1e-300,
            1e6,
            -1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ]);
        let sources = [
            "x",
            "-x",
            "x + 2",
            "2 - x",
            "3x",
            "x/3",
            "3/x",
            "x^2",
            "x^3",
            "x^-2",
            "x^7",
            "x^0.5",
            "2^x",
            "x^x",
            "x*x",
            "x/x",
            "x - x",
            "x + x",
            "sin(x)",
            "cos(x)",
            "tan(x)",
            "exp(x)",
            "ln(x)",
            "sqrt(x)",
            "abs(x)",
            "tanh(x)",
            "sigmoid(x)",
            "relu(x)",
            "sign(x)",
            "step(x)",
            "sin(x)*x + tanh(x)",
            "sqrt(1 + x^2)*exp(sin(x))",
            "x^3/(1 + x^2)",
            "cos(sin(x))",
            "7",
            "ln(-1)",
            "exp(1000x)",
            "tanh(1e-300*x)",
            "atan(x)",
            "sinh(x)",
            "cosh(x)",
            "sinh(x)*atan(x)",
            "cosh(x^2) - sinh(x)",
            "asin(x/8) + acos(x/8)",
            "sec(x) + csc(x) + cot(x)",
            "asinh(x) + acosh(x) + atanh(x)",
            "asec(x) + acsc(x) + acot(x)",
            "sech(x) + csch(x) + coth(x)",
            "asech(x) + acsch(x) + acoth(x)",
            "log10(x) + log2(x) + cbrt(x)",
            "log(x, 3) + log(2, x)",
            "nthRoot(x, 5) + nthRoot(x, 2) + nthRoot(x, 3) + nthRoot(2, x)",
            "atan2(x, 2) + atan2(1, x) + atan2(x, x)",
            "min(x, 1) + max(x, -x) + min(x, x)",
            "(x^x)^0",
            "0^(x - 5)",
        ];
        for src in sources {
            let mut g = graph(src);
            let mut got = vec![f64::NAN; xs.len()];
            g.slopes(&xs, &mut got);
            for (x, got) in xs.iter().zip(&got) {
                let mut want = [0.0];
                let value = g.value_and_gradient(&[*x], &mut want);
                // Where f is not a finite real number it has no slope.
                let want = if !value.is_finite() {
                    f64::NAN
                } else if g.variables().is_empty() {
                    0.0
                } else {
                    want[0]
                };
                let close = got == &want
                    || got.is_nan() && want.is_nan()
                    || (got - want).abs() <= 1e-14 * want.abs();
                assert!(close, "{src} at {x}: {got} vs {want}");
            }
        }
        // Shorter outputs and inputs are fine.
        let g = graph("sin(x)");
        let mut out = [9.0; 3];
        g.slopes(&xs[..2], &mut out);
        assert_eq!(out[2], 9.0);
        g.slopes(&xs, &mut out[..1]);
        g.slopes(&[], &mut out);
    }

    use proptest::prelude::*;

    /// One point's slope by the point-by-point rules, except that each function with a kernel
    /// node can be given its (value, slope) by `elementary(node, f, x)`; `None` keeps the
    /// node's own rule. With `None` everywhere this is [`Graph::value_and_gradient`].
    ///
    /// Also whether the evaluation cancels: a sum or difference, forward or backward, much
    /// smaller than its terms. There the roundings of the terms, which move when a kernel's
    /// result moves by an ulp, decide the last bits of the result. (A trigonometric function
    /// of a huge number counts too.)
    fn slope_with(
        g: &Graph,
        x: f64,
        elementary: &dyn Fn(usize, Func, f64) -> Option<(f64, f64)>,
    ) -> (f64, bool) {
        if g.variables().len() != 1 {
            let constant = g.nodes().get(g.output()).map_or(f64::NAN, |n| n.value);
            return (if constant.is_finite() { 0.0 } else { f64::NAN }, false);
        }
        let n = g.nodes().len();
        let mut value = vec![f64::NAN; n];
        let mut slope = vec![None; n];
        let mut cancels = false;
        let mut cancel = |sum: f64, terms: f64| cancels |= sum.abs() < 0.5 * terms;
        for (k, node) in g.nodes().iter().enumerate() {
            let [a, b] = node.inputs.map(|i| value[i]);
            value[k] = match node.op {
                Op::Var(_) => x,
                Op::Func(f) => match elementary(k, f, a) {
                    Some((v, s)) => {
                        slope[k] = Some(s);
                        v
                    }
                    None => node.op.forward(a, b),
                },
                op => op.forward(a, b),
            };
            if matches!(node.op, Op::Add | Op::Sub) {
                cancel(value[k], a.abs() + b.abs());
            }
            // sin, cos or tan of a number whose ulp is over 10⁻⁴ (|a| > 2⁴⁰): a different
            // last bit of a is a different value altogether.
            if matches!(node.op, Op::Func(Func::Sin | Func::Cos | Func::Tan)) {
                cancel(0.0, f64::from(a.abs() > 1e12));
            }
        }
        let mut grad = vec![0.0; n];
        let mut terms = vec![0.0; n];
        grad[g.output()] = 1.0;
        terms[g.output()] = 1.0;
        for (k, node) in g.nodes().iter().enumerate().rev() {
            let arity = node.op.arity();
            if arity == 0 {
                continue;
            }
            cancel(grad[k], terms[k]);
            let [ia, ib] = node.inputs;
            let varies = node.op.has_exponent() && !matches!(g.nodes()[ib].op, Op::Const(_));
            let (da, db) = match slope[k] {
                Some(s) => (s, 0.0),
                None => node
                    .op
                    .local_gradient(value[ia], value[ib], value[k], varies),
            };
            grad[ia] += grad[k] * da;
            terms[ia] += (grad[k] * da).abs();
            if arity == 2 {
                grad[ib] += grad[k] * db;
                terms[ib] += (grad[k] * db).abs();
            }
        }
        cancel(grad[0], terms[0]);
        let defined = value[g.output()].is_finite();
        (if defined { grad[0] } else { f64::NAN }, cancels)
    }

    /// What `Graph::slopes` uses for sin, cos, exp, tanh, atan, sinh and cosh: the column
    /// kernels, and the slope each node's backward rule forms from them.
    fn kernels(_: usize, f: Func, x: f64) -> Option<(f64, f64)> {
        let (mut s, mut c, mut y) = ([0.0], [0.0], [0.0]);
        match f {
            Func::Sin | Func::Cos => elementary::sin_cos_column(&[x], &mut s, &mut c),
            Func::Sinh | Func::Cosh => elementary::sinh_cosh_column(&[x], &mut s, &mut c),
            Func::Exp => elementary::exp_column(&[x], &mut y),
            Func::Tanh => elementary::tanh_column(&[x], &mut y),
            Func::Atan => elementary::atan_column(&[x], &mut y),
            _ => return None,
        }
        Some(match f {
            Func::Sin | Func::Sinh => (s[0], c[0]),
            Func::Cos => (c[0], -s[0]),
            Func::Cosh => (c[0], s[0]),
            _ => (y[0], f.slope(x, y[0])),
        })
    }

    /// The standard library's function with a kernel at node `node`, its value (`part` 0) or
    /// slope (`part` 1) scaled by 1 + `scale`: what a kernel's error of up to 2 ulp can do.
    fn perturbed(
        node: usize,
        part: usize,
        scale: f64,
    ) -> impl Fn(usize, Func, f64) -> Option<(f64, f64)> {
        move |k, f, x| {
            let (v, s) = match f {
                Func::Sin => (x.sin(), x.cos()),
                Func::Cos => (x.cos(), -x.sin()),
                Func::Sinh => (x.sinh(), x.cosh()),
                Func::Cosh => (x.cosh(), x.sinh()),
                Func::Exp | Func::Tanh | Func::Atan => {
                    let y = f.apply(x);
                    (y, f64::NAN)
                }
                _ => return None,
            };
            let bump = |u: f64, p: usize| {
                if k == node && part == p {
                    u * (1.0 + scale)
                } else {
                    u
                }
            };
            let v = bump(v, 0);
            // exp's and tanh's slopes are formed from their values, as in the batch.
            let s = if s.is_nan() {
                f.slope(x, v)
            } else {
                bump(s, 1)
            };
            Some((v, s))
        }
    }

    fn any_expr() -> impl Strategy<Value = Expr> {
        let leaf = prop_oneof![
            4 => Just(Expr::Var("x".into())),
            1 => (-3.0..3.0f64).prop_map(Expr::Num),
            1 => Just(Expr::Pi),
        ];
        leaf.prop_recursive(4, 24, 2, |inner| {
            let b = Box::new;
            prop_oneof![
                1 => inner.clone().prop_map(move |a| Expr::Neg(b(a))),
                1 => (inner.clone(), inner.clone()).prop_map(move |(x, y)| Expr::Add(b(x), b(y))),
                1 => (inner.clone(), inner.clone()).prop_map(move |(x, y)| Expr::Sub(b(x), b(y))),
                1 => (inner.clone(), inner.clone()).prop_map(move |(x, y)| Expr::Mul(b(x), b(y))),
                1 => (inner.clone(), inner.clone()).prop_map(move |(x, y)| Expr::Div(b(x), b(y))),
                1 => (inner.clone(), -3..5i32)
                    .prop_map(move |(x, n)| Expr::Pow(b(x), b(Expr::Num(n.into())))),
                1 => (inner.clone(), inner.clone()).prop_map(move |(x, y)| Expr::Pow(b(x), b(y))),
                3 => (proptest::sample::select(Func::ALL.to_vec()), inner.clone())
                    .prop_map(move |(f, x)| Expr::Call(f, b(x))),
                1 => (proptest::sample::select(Func2::ALL.to_vec()), inner.clone(), inner)
                    .prop_map(move |(f, x, y)| Expr::Call2(f, b(x), b(y))),
            ]
        })
    }

    fn any_point() -> impl Strategy<Value = f64> {
        prop_oneof![
            8 => -10.0..10.0f64,
            2 => -1e3..1e3f64,
            1 => -1e-6..1e-6f64,
            2 => any::<f64>(),
            1 => prop_oneof![
                Just(f64::INFINITY),
                Just(f64::NEG_INFINITY),
                Just(f64::NAN),
                Just(1e300),
                Just(-1e300),
                Just(0.0),
                Just(-0.0),
            ],
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn slopes_agree_with_value_and_gradient(
            e in any_expr(),
            xs in proptest::collection::vec(any_point(), 1..300),
        ) {
            let mut g = Graph::compile(&e);
            let mut batch = vec![0.0; xs.len()];
            g.slopes(&xs, &mut batch);
            let kernel_nodes: Vec<usize> = g.nodes().iter().enumerate().filter(|(_, n)| {
                matches!(n.op, Op::Func(Func::Sin | Func::Cos | Func::Exp | Func::Tanh
                    | Func::Atan | Func::Sinh | Func::Cosh))
            }).map(|(k, _)| k).collect();
            for (x, got) in xs.iter().zip(&batch) {
                let mut d = [0.0];
                let one = g.variables().len() == 1;
                let point = [*x];
                let value = g.value_and_gradient(if one { &point } else { &[] }, &mut d);
                let want = if !value.is_finite() {
                    f64::NAN
                } else if one {
                    d[0]
                } else {
                    0.0
                };
                let same = |a: f64, b: f64| a.to_bits() == b.to_bits() || a.is_nan() && b.is_nan();
                // The batch is the point-by-point path, bit for bit, once sin, cos, exp and
                // tanh are the kernels' (which are within 2 ulp of std, see elementary.rs);
                // and that path with std's functions is value_and_gradient.
                let (point, cancels) = slope_with(&g, *x, &|_, _, _| None);
                prop_assert!(same(point, want));
                let with_kernels = slope_with(&g, *x, &kernels).0;
                prop_assert!(same(with_kernels, *got),
                    "{} at {}: batch {} vs point path with the kernels {}", e, x, got, with_kernels);
                // So they agree to 4 ulp, or exactly for NaN and ±∞, unless the formula
                // magnifies a 2-ulp change in some function with a kernel: measured by making
                // that change to one of them at a time (first-order error analysis), or
                // cancels (then the bit-for-bit check above is what holds).
                if cancels {
                    continue;
                }
                let mut magnified = 0.0;
                for &k in &kernel_nodes {
                    for part in [0, 1] {
                        for scale in [2.0 * f64::EPSILON, -2.0 * f64::EPSILON] {
                            let r = slope_with(&g, *x, &perturbed(k, part, scale)).0;
                            let change = if same(r, want) { 0.0 } else { (r - want).abs() };
                            magnified += if change.is_nan() { f64::INFINITY } else { change };
                        }
                    }
                }
                // A formula that turns a 2-ulp change into a change of more than 1e-8 of the
                // result (a condition number beyond ~10⁷, like sin(exp(x²)) at x = 7, where
                // exp's ulp is 10⁷) is not linear at this scale: again only the bit-for-bit
                // check speaks.
                if magnified > 1e-8 * want.abs() {
                    continue;
                }
                let ulp = f64::from_bits(want.abs().to_bits() + 1) - want.abs();
                let tolerance = 4.0 * ulp + 2.0 * magnified;
                if !want.is_finite() && magnified == 0.0 {
                    prop_assert!(same(*got, want), "{} at {}: batch {} vs {}", e, x, got, want);
                } else {
                    prop_assert!(same(*got, want) || (got - want).abs() <= tolerance,
                        "{} at {}: batch {} vs {} (tolerance {})", e, x, got, want, tolerance);
                }
            }
        }
    }
}

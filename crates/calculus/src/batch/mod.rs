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
mod tests;

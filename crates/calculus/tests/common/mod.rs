//! What the property tests share: random formulas built from the smooth functions.

use calculus::{BackwardStep, Expr, Func, Func2, Graph};
use proptest::prelude::*;

/// Formulas built from `leaf` (variables and numbers) with the smooth functions (every
/// function but abs, relu, sign and step, and of two arguments log, nthRoot and atan2), with
/// integer and variable exponents.
pub fn smooth_expr(leaf: impl Strategy<Value = Expr> + 'static) -> impl Strategy<Value = Expr> {
    let smooth: Vec<Func> = Func::ALL
        .into_iter()
        .filter(|f| !matches!(f, Func::Abs | Func::Relu | Func::Sign | Func::Step))
        .collect();
    let smooth2 = vec![Func2::Log, Func2::NthRoot, Func2::Atan2];
    leaf.prop_recursive(4, 24, 2, move |inner| {
        let b = |e: Expr| Box::new(e);
        prop_oneof![
            inner.clone().prop_map(move |a| Expr::Neg(b(a))),
            (inner.clone(), inner.clone()).prop_map(move |(x, y)| Expr::Add(b(x), b(y))),
            (inner.clone(), inner.clone()).prop_map(move |(x, y)| Expr::Sub(b(x), b(y))),
            (inner.clone(), inner.clone()).prop_map(move |(x, y)| Expr::Mul(b(x), b(y))),
            (inner.clone(), inner.clone()).prop_map(move |(x, y)| Expr::Div(b(x), b(y))),
            (inner.clone(), -3..5i32)
                .prop_map(move |(x, n)| Expr::Pow(b(x), b(Expr::Num(n.into())))),
            (inner.clone(), inner.clone()).prop_map(move |(x, y)| Expr::Pow(b(x), b(y))),
            (proptest::sample::select(smooth.clone()), inner.clone())
                .prop_map(move |(f, x)| Expr::Call(f, b(x))),
            (
                proptest::sample::select(smooth2.clone()),
                inner.clone(),
                inner
            )
                .prop_map(move |(f, x, y)| Expr::Call2(f, b(x), b(y))),
        ]
    })
}

/// The graph of `e` after a forward and a backward pass at `point`, and that pass's edges:
/// each node's value and ∂f/∂node, and each edge's upstream × local, the sizes that say how
/// much rounding a result computed from them can carry.
#[allow(dead_code)] // chain_rule.rs does not judge rounding
pub fn evaluated(e: &Expr, point: &[(&str, f64)]) -> (Graph, Vec<BackwardStep>) {
    let mut graph = Graph::compile(e);
    let value = |name: &String| point.iter().find(|p| p.0 == name).map_or(f64::NAN, |p| p.1);
    let values: Vec<f64> = graph.variables().iter().map(value).collect();
    let steps = graph.backward_steps(&values);
    (graph, steps)
}

/// ε times the sizes of the finite `terms`, summed: what rounding each of them once can add up to.
#[allow(dead_code)] // chain_rule.rs and hessian.rs do not sum it
pub fn rounding(terms: impl Iterator<Item = f64>) -> f64 {
    terms
        .map(|t| f64::EPSILON * t.abs())
        .filter(|r| r.is_finite())
        .sum()
}

//! The Hessian from the graph (reverse mode over its own backward pass), against closed
//! forms, against central differences of the graph's gradient, and against differentiating
//! the symbolic derivative.
//!
//! Rows and columns follow the variables' sorted order: (b, w) for a function of w and b.

use calculus::{differentiate, evaluate, gradient, hessian, parse, Expr, Graph};
use proptest::prelude::*;

mod common;

fn h(src: &str, point: &[(&str, f64)]) -> Vec<Vec<f64>> {
    hessian(&parse(src).unwrap(), point).unwrap()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

fn assert_close(got: &[Vec<f64>], want: &[&[f64]], tol: f64) {
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (row, want_row) in got.iter().zip(want) {
        assert_eq!(row.len(), want_row.len(), "{got:?}");
        for (g, w) in row.iter().zip(*want_row) {
            assert!(close(*g, *w, tol), "{got:?} vs {want:?}");
        }
    }
}

#[test]
fn the_bowl_curves_by_two_everywhere() {
    for (w, b) in [(0.0, 0.0), (3.0, -7.0), (1e6, 1e-6)] {
        assert_eq!(
            h("w^2 + b^2", &[("w", w), ("b", b)]),
            [[2.0, 0.0], [0.0, 2.0]]
        );
    }
}

#[test]
fn rosenbrock_at_its_minimum() {
    // f = (1 − w)² + 100(b − w²)²: f_bb = 200, f_bw = −400w, f_ww = 2 − 400(b − w²) + 800w².
    // At (1, 1), in the order (b, w): [[200, −400], [−400, 802]].
    assert_eq!(
        h("(1 - w)^2 + 100(b - w^2)^2", &[("w", 1.0), ("b", 1.0)]),
        [[200.0, -400.0], [-400.0, 802.0]]
    );
    // At (−1, 2): f_bw = 400, f_ww = 2 − 400·1 + 800 = 402.
    assert_eq!(
        h("(1 - w)^2 + 100(b - w^2)^2", &[("w", -1.0), ("b", 2.0)]),
        [[200.0, 400.0], [400.0, 402.0]]
    );
}

#[test]
fn products_quotients_and_powers() {
    // sin(w)·b: f_bb = 0, f_bw = cos w, f_ww = −b·sin w.
    let (w, b) = (0.7f64, 2.5f64);
    assert_close(
        &h("sin(w)*b", &[("w", w), ("b", b)]),
        &[&[0.0, w.cos()], &[w.cos(), -b * w.sin()]],
        1e-15,
    );
    // x/y: f_xx = 0, f_xy = −1/y², f_yy = 2x/y³. At (3, 2): −1/4 and 3/4.
    assert_eq!(
        h("x/y", &[("x", 3.0), ("y", 2.0)]),
        [[0.0, -0.25], [-0.25, 0.75]]
    );
    // x^y: f_xx = y(y − 1)x^(y−2), f_xy = x^(y−1)(1 + y ln x), f_yy = x^y ln²x. At (2, 3):
    // 12, 4(1 + 3 ln 2) and 8 ln²2.
    let ln2 = 2f64.ln();
    let cross = 4.0 * (1.0 + 3.0 * ln2);
    assert_close(
        &h("x^y", &[("x", 2.0), ("y", 3.0)]),
        &[&[12.0, cross], &[cross, 8.0 * ln2 * ln2]],
        1e-14,
    );
    // exp(w·b): f_bb = w²e^(wb), f_bw = (1 + wb)e^(wb), f_ww = b²e^(wb). At (1, 2):
    let e2 = 2f64.exp();
    assert_close(
        &h("exp(w*b)", &[("w", 1.0), ("b", 2.0)]),
        &[&[e2, 3.0 * e2], &[3.0 * e2, 4.0 * e2]],
        1e-15,
    );
}

#[test]
fn one_variable_second_derivatives() {
    let f2 = |src: &str, x: f64| h(src, &[("x", x)])[0][0];
    // (x³)'' = 6x; (x^2.5)'' = 3.75·x^0.5; (1/x)'' = 2/x³; tan'' = 2 tan x (1 + tan²x);
    // sigmoid'' = σ(1 − σ)(1 − 2σ); ln'' = −1/x²; sqrt'' = −x^(−3/2)/4.
    assert_eq!(f2("x^3", 2.0), 12.0);
    assert_eq!(f2("x^2.5", 4.0), 7.5);
    assert_eq!(f2("1/x", 2.0), 0.25);
    let t = 0.5f64.tan();
    assert!(close(f2("tan(x)", 0.5), 2.0 * t * (1.0 + t * t), 1e-15));
    let s = 1.0 / (1.0 + (-0.3f64).exp());
    assert!(close(
        f2("sigmoid(x)", 0.3),
        s * (1.0 - s) * (1.0 - 2.0 * s),
        1e-14
    ));
    assert_eq!(f2("ln(x)", 4.0), -1.0 / 16.0);
    assert_eq!(f2("sqrt(x)", 4.0), -1.0 / 32.0);
    // |x| and relu are straight on each side: 0, with the gradient's conventions at the kink.
    for x in [-1.0, 0.0, 2.0] {
        assert_eq!(f2("abs(x)", x), 0.0);
        assert_eq!(f2("relu(x)", x), 0.0);
    }
}

#[test]
fn a_term_the_row_does_not_depend_on_cannot_spoil_it() {
    // f = √w + b² at w = 0: ∂f/∂w = 1/(2√w) is infinite, but the row of ∂f/∂b = 2b does
    // not depend on w at all: [2, 0], not NaN from 0 × ∞.
    assert_eq!(h("sqrt(w) + b^2", &[("w", 0.0), ("b", 1.0)])[0], [2.0, 0.0]);
}

#[test]
fn constants_and_bad_points() {
    assert!(h("2*pi", &[]).is_empty());
    // A linear function does not curve.
    assert_eq!(
        h("3w - b", &[("w", 1.0), ("b", 1.0)]),
        [[0.0, 0.0], [0.0, 0.0]]
    );
    let err = hessian(&parse("w*b").unwrap(), &[("w", 1.0)]).unwrap_err();
    assert_eq!(err.to_string(), "no value for variable 'b'");
    let graph = Graph::compile(&parse("w*b").unwrap());
    let wrong = graph.hessian(&[1.0]);
    assert!(wrong.iter().flatten().all(|v| v.is_nan()));
}

/// Formulas in w and b built from the smooth functions.
fn smooth_expr() -> impl Strategy<Value = Expr> {
    common::smooth_expr(prop_oneof![
        2 => Just(Expr::Var("w".into())),
        2 => Just(Expr::Var("b".into())),
        1 => (-3.0..3.0f64).prop_map(Expr::Num),
    ])
}

/// ∇f at (w, b) from the graph, in the order (b, w), padded with zeros for a variable f
/// lacks; NaN where f is not defined.
fn grad(e: &Expr, w: f64, b: f64) -> [f64; 2] {
    let Ok(g) = gradient(e, &[("w", w), ("b", b)]) else {
        return [f64::NAN; 2];
    };
    let of = |name: &str| g.iter().find(|(n, _)| n == name).map_or(0.0, |p| p.1);
    [of("b"), of("w")]
}

/// The largest size among the finite `values`, 0 if none.
fn largest(values: impl IntoIterator<Item = f64>) -> f64 {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(0.0f64, |m, v| m.max(v.abs()))
}

/// The largest value or first-order gradient among the graph's nodes at (w, b): the size of
/// the terms the backward pass over the backward pass sums.
fn largest_term(e: &Expr, w: f64, b: f64) -> f64 {
    let (graph, _) = common::evaluated(e, &[("w", w), ("b", b)]);
    largest(graph.nodes().iter().flat_map(|n| [n.value, n.grad]))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn hessian_matches_central_differences_of_the_gradient(
        e in smooth_expr(), w in -3.0..3.0f64, b in -3.0..3.0f64,
    ) {
        let names = Graph::compile(&e).variables().to_vec();
        let full = hessian(&e, &[("w", w), ("b", b)]).unwrap();
        prop_assert_eq!(full.len(), names.len());
        let largest = largest_term(&e, w, b);
        // Column j of the Hessian is the change of ∇f along variable j: two step sizes, and
        // judged only where they agree (f smooth at this scale).
        for (j, name) in names.iter().enumerate() {
            let along = |t: f64| if name == "w" { grad(&e, w + t, b) } else { grad(&e, w, b + t) };
            let x = if name == "w" { w } else { b };
            let step = 1e-5 * (1.0 + x.abs());
            let (p, m, p2, m2) = (along(step), along(-step), along(step / 2.0), along(-step / 2.0));
            for (i, row_name) in names.iter().enumerate() {
                let k = usize::from(row_name == "w");
                let exact = full[i][j];
                let wide = (p[k] - m[k]) / (2.0 * step);
                let narrow = (p2[k] - m2[k]) / step;
                let size = p[k].abs().max(m[k].abs());
                // The graph's entries round with the terms they are built from: the constant
                // ᵇ√(w/(2.15w)) at b = −0.023 is 1.6·10¹⁴, and its ∂²/∂w², exactly 0, is 1.
                let scale = 1.0 + exact.abs() + size * 1e-6 / step + largest * f64::EPSILON * 1e6;
                let smooth_here = [exact, p[k], m[k], p2[k], m2[k]]
                    .iter()
                    .all(|v| v.is_finite() && v.abs() < 1e8)
                    && (wide - narrow).abs() <= 1e-6 * scale;
                if smooth_here {
                    prop_assert!((exact - narrow).abs() <= 1e-5 * scale,
                        "∂²({})/∂{}∂{} at w = {}, b = {}: graph {} vs central {}",
                        e, row_name, name, w, b, exact, narrow);
                }
            }
        }
    }

    #[test]
    fn hessian_matches_the_symbolic_second_derivatives(
        e in smooth_expr(), w in -3.0..3.0f64, b in -3.0..3.0f64,
    ) {
        let point = [("w", w), ("b", b)];
        let names = Graph::compile(&e).variables().to_vec();
        let full = hessian(&e, &point).unwrap();
        // Rounding in an entry is relative to the terms it is summed from, which can be as
        // large as the largest entry: w/(c·w) is constant in w, but its cross derivative
        // sums terms of the size of its ∂²/∂b² (10¹⁶ at worst) to about 0. Or as large as
        // the gradient: −sinh(2.196⁴)/w⁻¹ is a line in w, slope −6.3·10⁹, and its ∂²/∂w²
        // sums terms of that size to ±10⁻⁵. Or as large as a node's value or gradient:
        // ln(ᵇ√w − (b − b)) at w = 0.086, b = 0.031 passes ∂f/∂(b − b) = −1/ᵇ√w = −10³⁴ to
        // both b's, and its ∂²/∂b², −161 140, is what is left of terms of 10³⁷ that cancel.
        let largest = largest(full.iter().flatten().chain(&grad(&e, w, b)).copied())
            .max(largest_term(&e, w, b));
        for (i, u) in names.iter().enumerate() {
            let du = differentiate(&e, u);
            for (j, v) in names.iter().enumerate() {
                let symbolic = evaluate(&differentiate(&du, v), &point).unwrap_or(f64::NAN);
                let graph = full[i][j];
                if symbolic.is_finite() && graph.is_finite() && largest < 1e10 {
                    prop_assert!((symbolic - graph).abs() <= 1e-7 * (1.0 + largest.max(symbolic.abs())),
                        "∂²({})/∂{}∂{} at w = {}, b = {}: symbolic {} vs graph {}",
                        e, u, v, w, b, symbolic, graph);
                }
            }
        }
    }

    #[test]
    fn the_hessian_is_symmetric(e in smooth_expr(), w in -3.0..3.0f64, b in -3.0..3.0f64) {
        let full = hessian(&e, &[("w", w), ("b", b)]).unwrap();
        // As above, rounding is relative to the largest entry or term.
        let largest = largest(full.iter().flatten().copied()).max(largest_term(&e, w, b));
        let both = full.len() == 2 && full[0][1].is_finite() && full[1][0].is_finite();
        if both && largest < 1e10 {
            prop_assert!((full[0][1] - full[1][0]).abs() <= 1e-9 * (1.0 + largest), "{}: {:?}", e, full);
        }
    }
}

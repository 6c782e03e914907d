//! The graph's derivatives: every rule against its derivative from the calculus books, and
//! random formulas against central differences and against the symbolic derivative.

use calculus::{
    derivative, derivatives, differentiate, evaluate, gradient, parse, Expr, Function1,
};
use proptest::prelude::*;

mod common;

fn slope(src: &str, x: f64) -> f64 {
    derivative(&parse(src).unwrap(), x).unwrap()
}

fn close(got: f64, want: f64, tolerance: f64) -> bool {
    (got - want).abs() <= tolerance * (1.0 + want.abs())
}

#[test]
fn every_function_against_its_textbook_derivative() {
    let sigmoid = |x: f64| 1.0 / (1.0 + (-x).exp());
    type Rule = (&'static str, fn(f64) -> f64);
    let rules: [Rule; 10] = [
        ("sin(x)", |x| x.cos()),
        ("cos(x)", |x| -x.sin()),
        ("tan(x)", |x| 1.0 / (x.cos() * x.cos())),
        ("exp(x)", |x| x.exp()),
        ("ln(x)", |x| 1.0 / x),
        ("sqrt(x)", |x| 1.0 / (2.0 * x.sqrt())),
        ("abs(x)", |x| if x > 0.0 { 1.0 } else { -1.0 }),
        ("tanh(x)", |x| 1.0 / (x.cosh() * x.cosh())),
        ("relu(x)", |x| if x > 0.0 { 1.0 } else { 0.0 }),
        ("sign(x) + step(x)", |_| 0.0),
    ];
    let points = [0.3, 0.7, 1.2, 2.5, -0.4, -1.3];
    for (src, rule) in rules {
        for x in points {
            let want = rule(x);
            if !want.is_finite() || (src.starts_with("ln") || src.starts_with("sqrt")) && x < 0.0 {
                continue;
            }
            let got = slope(src, x);
            assert!(close(got, want, 1e-14), "{src} at {x}: {got} vs {want}");
        }
    }
    // σ'(x) = e^−x/(1 + e^−x)²
    for x in points {
        let want = (-x).exp() / (1.0 + (-x).exp()).powi(2);
        assert!(close(slope("sigmoid(x)", x), want, 1e-14));
        assert!(sigmoid(x) > 0.0);
    }
}

#[test]
fn functions_at_their_edges() {
    // The conventions PyTorch uses at kinks, and exact values.
    assert_eq!(slope("abs(x)", 0.0), 0.0);
    assert_eq!(slope("relu(x)", 0.0), 0.0);
    assert_eq!(slope("sqrt(x)", 0.0), f64::INFINITY);
    assert_eq!(slope("sigmoid(x)", 0.0), 0.25);
    assert_eq!(slope("tanh(x)", 0.0), 1.0);
    assert_eq!(slope("sigmoid(x)", -1000.0), 0.0);
    assert_eq!(slope("sigmoid(x)", 1000.0), 0.0);
    // Like PyTorch, ln' is 1/x wherever it is evaluated, even where ln itself is NaN.
    assert_eq!(slope("ln(x)", -1.0), -1.0);
}

#[test]
fn products_quotients_and_powers() {
    // d/dx x³ = 3x², d/dx x⁻² = −2x⁻³, d/dx (x³/(1 + x²)) = (3x² + x⁴)/(1 + x²)²
    for x in [-2.0, -0.5, 0.5, 1.5, 3.0] {
        assert!(close(slope("x^3", x), 3.0 * x * x, 1e-15));
        assert!(close(slope("x^-2", x), -2.0 / (x * x * x), 1e-15));
        let q = (3.0 * x * x + x.powi(4)) / (1.0 + x * x).powi(2);
        assert!(close(slope("x^3/(1 + x^2)", x), q, 1e-14));
        // d/dx sqrt(1 + x²)·e^sin(x) = e^sin(x)·(x/√(1 + x²) + √(1 + x²)·cos x)
        let r = (1.0 + x * x).sqrt();
        let want = x.sin().exp() * (x / r + r * x.cos());
        assert!(close(slope("sqrt(1 + x^2)*exp(sin(x))", x), want, 1e-14));
        // d/dx x·sin(x) + tanh(x) = sin x + x cos x + 1 − tanh² x
        let want = x.sin() + x * x.cos() + 1.0 - x.tanh().powi(2);
        assert!(close(slope("sin(x)*x + tanh(x)", x), want, 1e-14));
    }
    // Negative bases with integer exponents are fine.
    assert_eq!(slope("x^3", -2.0), 12.0);
    assert_eq!(slope("x^2.5", 4.0), 2.5 * 8.0);
}

#[test]
fn variable_exponent_and_division_partials() {
    // f = x^y: ∂f/∂x = y·x^(y−1), ∂f/∂y = x^y·ln x
    let f = parse("x^y").unwrap();
    for (x, y) in [(2.0, 3.0), (0.5, -1.5), (3.0, 0.25)] {
        let g = gradient(&f, &[("x", x), ("y", y)]).unwrap();
        let f64pow = |a: f64, b: f64| a.powf(b);
        assert!(close(g[0].1, y * f64pow(x, y - 1.0), 1e-14));
        assert!(close(g[1].1, f64pow(x, y) * x.ln(), 1e-14));
    }
    // f = a/b: ∂f/∂a = 1/b, ∂f/∂b = −a/b²
    let g = gradient(&parse("a/b").unwrap(), &[("a", 3.0), ("b", 2.0)]).unwrap();
    assert_eq!(g, [("a".into(), 0.5), ("b".into(), -0.75)]);
    // x^x: d/dx = x^x·(ln x + 1); at 1 that is 1.
    assert_eq!(slope("x^x", 1.0), 1.0);
}

#[test]
fn derivatives_at_many_points_match_one_at_a_time() {
    let f = parse("sqrt(1 + x^2)*exp(sin(x))").unwrap();
    let xs: Vec<f64> = (0..1000).map(|i| -5.0 + 0.01 * i as f64).collect();
    let many = derivatives(&f, &xs).unwrap();
    for (x, d) in xs.iter().zip(&many) {
        // The batch takes sin, cos and exp from SIMD kernels within an ulp or two of the
        // standard library's, so the two agree up to a few ulp of the terms of
        // f' = e^sin(x)·(x/√(1 + x²) + √(1 + x²)·cos x), which can cancel.
        let r = (1.0 + x * x).sqrt();
        let terms = x.sin().exp() * (x.abs() / r + r * x.cos().abs());
        let one = derivative(&f, *x).unwrap();
        assert!(
            (d - one).abs() <= 8.0 * f64::EPSILON * terms,
            "at {x}: {d} vs {one}"
        );
    }
    assert!(derivatives(&parse("x*y").unwrap(), &xs).is_err());
}

/// Formulas in x (and π) built from the smooth functions.
fn smooth_expr() -> impl Strategy<Value = Expr> {
    common::smooth_expr(prop_oneof![
        3 => Just(Expr::Var("x".into())),
        1 => (-3.0..3.0f64).prop_map(Expr::Num),
        1 => Just(Expr::Pi),
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn graph_slope_matches_central_difference(e in smooth_expr(), x in -4.0..4.0f64) {
        let mut f = Function1::new(&e).unwrap();
        let (y, d) = f.value_and_slope(x);
        let h = 1e-5 * (1.0 + x.abs());
        let fp = f.value(x + h);
        let fm = f.value(x - h);
        let fp2 = f.value(x + h / 2.0);
        let fm2 = f.value(x - h / 2.0);
        let wide = (fp - fm) / (2.0 * h);
        let narrow = (fp2 - fm2) / h;
        let scale = 1.0 + d.abs() + y.abs() + fp.abs().max(fm.abs()) * 1e-6 / h;
        // Only judge where f is finite and smooth at this scale: both step sizes agree.
        let smooth_here = [y, d, fp, fm, fp2, fm2].iter().all(|v| v.is_finite() && v.abs() < 1e8)
            && (wide - narrow).abs() <= 1e-6 * scale;
        if smooth_here {
            prop_assert!((d - narrow).abs() <= 1e-5 * scale,
                "{} at x = {}: graph {} vs central {}", e, x, d, narrow);
        }
    }

    #[test]
    fn symbolic_derivative_agrees_with_the_graph(e in smooth_expr(), x in -4.0..4.0f64) {
        let (y, d) = Function1::new(&e).unwrap().value_and_slope(x);
        let symbolic = differentiate(&e, "x");
        let s = evaluate(&symbolic, &[("x", x)]).unwrap();
        if y.is_finite() && d.is_finite() && s.is_finite() && d.abs() < 1e12 {
            prop_assert!(close(s, d, 1e-8), "d/dx {} = {} at x = {}: {} vs graph {}", e, symbolic, x, s, d);
        }
    }

    #[test]
    fn simplify_keeps_the_value(e in smooth_expr(), x in -4.0..4.0f64) {
        let before = evaluate(&e, &[("x", x)]).unwrap();
        let after = evaluate(&calculus::simplify(&e), &[("x", x)]).unwrap();
        if before.is_finite() && before.abs() < 1e12 {
            prop_assert!(close(after, before, 1e-9), "{} = {} but simplified {} = {}", e, before, calculus::simplify(&e), after);
        }
    }
}

/// `cargo test --release -p calculus --test autodiff -- --ignored --nocapture` prints the
/// cost per point of `derivatives` for the benchmark formulas.
#[test]
#[ignore]
fn speed_per_point() {
    let xs: Vec<f64> = (0..100_000).map(|i| -5.0 + 1e-4 * i as f64).collect();
    for src in [
        "x",
        "x^2",
        "x^3/(1 + x^2)",
        "sqrt(1 + x^2)*exp(sin(x))",
        "sin(x)*x + tanh(x)",
    ] {
        let f = parse(src).unwrap();
        // The best of several runs: the first pays for page faults on fresh memory.
        let mut best = f64::INFINITY;
        let mut d = Vec::new();
        for _ in 0..20 {
            let start = std::time::Instant::now();
            d = derivatives(&f, &xs).unwrap();
            best = best.min(start.elapsed().as_nanos() as f64 / xs.len() as f64);
        }
        println!("{src:>28}: {best:.2} ns/point ({})", d[0]);
    }
}

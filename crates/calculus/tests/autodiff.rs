//! The graph's derivatives: every rule against its derivative from the calculus books, and
//! random formulas against central differences and against the symbolic derivative.

use calculus::{
    derivative, derivatives, differentiate, evaluate, gradient, parse, Expr, Func2, Function1,
};
use proptest::prelude::*;
use std::f64::consts::{LN_10, LN_2, PI};

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
    // The ends of a domain where the tangent turns vertical: ±∞, as √ at 0.
    let edges = [
        ("asin(x)", 1.0, f64::INFINITY),
        ("asin(x)", -1.0, f64::INFINITY),
        ("acos(x)", 1.0, f64::NEG_INFINITY),
        ("acos(x)", -1.0, f64::NEG_INFINITY),
        ("acosh(x)", 1.0, f64::INFINITY),
        ("cbrt(x)", 0.0, f64::INFINITY),
        ("nthRoot(x, 5)", 0.0, f64::INFINITY),
        ("asec(x)", 1.0, f64::INFINITY),
        ("asec(x)", -1.0, f64::INFINITY),
        ("acsc(x)", 1.0, f64::NEG_INFINITY),
        ("asech(x)", 1.0, f64::NEG_INFINITY),
    ];
    for (src, x, want) in edges {
        assert_eq!(slope(src, x), want, "{src} at {x}");
    }
    // Corners take half of each side, as PyTorch's minimum and maximum do; a step's slope
    // is 0 on both sides and, by convention, at the step.
    assert_eq!(slope("min(x, 0)", 0.0), 0.5);
    assert_eq!(slope("max(x, 2)", 2.0), 0.5);
    assert_eq!(slope("max(x, -x)", 0.0), 0.0);
    assert_eq!(slope("sign(x)", 0.0), 0.0);
}

#[test]
fn not_defined_here() -> Result<(), calculus::Error> {
    let refused = |src: &str, x: f64| derivative(&parse(src).unwrap(), x).unwrap_err().to_string();
    // The function is not a finite real number: ∞ (a pole), or not real.
    assert_eq!(
        refused("0^(x - 5)", 2.0),
        "not defined here: 0^(x - 5) at x = 2 is not a finite real number"
    );
    assert_eq!(
        refused("(x^x)^0", -0.6),
        "not defined here: (x^x)^0 at x = -0.6 is not a finite real number"
    );
    for (src, x) in [
        ("ln(x)", -1.0),
        ("1/x", 0.0),
        ("asin(x)", 1.5),
        ("acosh(x)", 0.5),
        ("atanh(x)", 1.0),
        ("sqrt(x)", -4.0),
        ("nthRoot(x, 4)", -16.0),
        ("csc(x)", 0.0),
        ("coth(x)", 0.0),
        ("log(x, 1)", 3.0),
        ("asech(x)", 0.0),
    ] {
        assert!(
            refused(src, x).starts_with("not defined here: "),
            "{src} at {x}"
        );
        let f = parse(src).unwrap();
        assert!(evaluate(&f, &[("x", x)]).is_err(), "{src} at {x}");
        assert!(derivatives(&f, &[x, 0.25])?[0].is_nan(), "{src} at {x}");
    }
    // Defined, but without a slope: the angle of the origin.
    assert_eq!(
        refused("atan2(x, x)", 0.0),
        "not defined here: the slope of atan2(x, x) at x = 0 is not a number"
    );
    // A constant that is no number.
    let nowhere = parse("ln(-1)").unwrap();
    assert_eq!(
        evaluate(&nowhere, &[]).unwrap_err().to_string(),
        "not defined here: ln(-1) is not a finite real number"
    );
    assert!(derivatives(&nowhere, &[1.0])?[0].is_nan());
    let err = gradient(&parse("w/b").unwrap(), &[("w", 1.0), ("b", 0.0)]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "not defined here: w/b at b = 0, w = 1 is not a finite real number"
    );
    Ok(())
}

#[test]
fn every_new_rule_at_worked_points() {
    let r3 = 3f64.sqrt();
    // (formula, x, its slope worked from the definitions)
    let cases = [
        // asin' = 1/√(1 − x²): 1/√(1 − 0.36) = 1/0.8; acos' is its negative.
        ("asin(x)", 0.6, 1.25),
        ("acos(x)", 0.6, -1.25),
        ("asin(x)", -0.6, 1.25),
        // atan' = 1/(1 + x²)
        ("atan(x)", 1.0, 0.5),
        ("atan(x)", -2.0, 0.2),
        // sec' = sec·tan: 2·√3 at π/3; csc' = −csc·cot: −2·√3 at π/6; cot' = −csc²: −2 at π/4
        ("sec(x)", PI / 3.0, 2.0 * r3),
        ("csc(x)", PI / 6.0, -2.0 * r3),
        ("cot(x)", PI / 4.0, -2.0),
        // asec' = 1/(|x|√(x² − 1)), acsc' its negative, acot' = −1/(1 + x²)
        ("asec(x)", 2.0, 1.0 / (2.0 * r3)),
        ("asec(x)", -2.0, 1.0 / (2.0 * r3)),
        ("acsc(x)", 2.0, -1.0 / (2.0 * r3)),
        ("acot(x)", 1.0, -0.5),
        // At ln 2, e^x = 2: cosh = (2 + 1/2)/2 = 5/4, sinh = (2 − 1/2)/2 = 3/4, tanh = 3/5.
        ("sinh(x)", LN_2, 1.25),
        ("cosh(x)", LN_2, 0.75),
        ("cosh(x)", -LN_2, -0.75),
        // sech' = −sech·tanh = −(4/5)(3/5); csch' = −csch·coth = −(4/3)(5/3); coth' = −csch²
        ("sech(x)", LN_2, -0.48),
        ("csch(x)", LN_2, -20.0 / 9.0),
        ("coth(x)", LN_2, -16.0 / 9.0),
        // asinh' = 1/√(1 + x²): 1/1.25; acosh' = 1/√(x² − 1): 1/0.75; atanh' = 1/(1 − x²)
        ("asinh(x)", 0.75, 0.8),
        ("acosh(x)", 1.25, 4.0 / 3.0),
        ("atanh(x)", 0.5, 4.0 / 3.0),
        // asech' = −1/(x√(1 − x²)): −1/(0.6·0.8); acsch' = −1/(|x|√(1 + x²)): −1/(0.75·1.25);
        // acoth' = 1/(1 − x²)
        ("asech(x)", 0.6, -25.0 / 12.0),
        ("acsch(x)", 0.75, -16.0 / 15.0),
        ("acsch(x)", -0.75, -16.0 / 15.0),
        ("acoth(x)", 2.0, -1.0 / 3.0),
        // log_b' = 1/(x ln b)
        ("log10(x)", 5.0, 1.0 / (5.0 * LN_10)),
        ("log2(x)", 0.25, 4.0 / LN_2),
        ("log(x, 2)", 4.0, 1.0 / (4.0 * LN_2)),
        // d/db log_b 8 = d/db (ln 8/ln b) = −ln 8/(b ln² b) = −3/(2 ln 2) at b = 2
        ("log(8, x)", 2.0, -3.0 / (2.0 * LN_2)),
        // ∛x' = 1/(3∛x²): 1/12 at ±8; ⁿ√x' = 1/(n·ⁿ√x^(n−1)): 1/(5·2⁴) at ±32, 1/(4·2³) at 16
        ("cbrt(x)", 8.0, 1.0 / 12.0),
        ("cbrt(x)", -8.0, 1.0 / 12.0),
        ("nthRoot(x, 3)", -8.0, 1.0 / 12.0),
        ("nthRoot(x, 5)", -32.0, 1.0 / 80.0),
        ("nthRoot(x, 5)", 32.0, 1.0 / 80.0),
        ("nthRoot(x, 4)", 16.0, 1.0 / 32.0),
        ("nthRoot(x, 2)", 9.0, 1.0 / 6.0),
        // d/dn 8^(1/n) = −8^(1/n)·ln 8/n² = −2·3 ln 2/9 at n = 3
        ("nthRoot(8, x)", 3.0, -2.0 * 3.0 * LN_2 / 9.0),
        ("pow(x, 3)", 2.0, 12.0),
        ("pow(2, x)", 3.0, 8.0 * LN_2),
        // ∂atan2(y, x)/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²), at (x, y) = (4, 3)
        ("atan2(x, 4)", 3.0, 4.0 / 25.0),
        ("atan2(3, x)", 4.0, -3.0 / 25.0),
        ("atan2(x, -1)", 0.0, -1.0),
        // min and max follow the smaller and the larger argument.
        ("min(x, 2)", 1.0, 1.0),
        ("min(x, 2)", 3.0, 0.0),
        ("max(x, 2)", 1.0, 0.0),
        ("max(x^2, 2)", 3.0, 6.0),
        ("sign(x)", -1.5, 0.0),
    ];
    for (src, x, want) in cases {
        let got = slope(src, x);
        assert!(close(got, want, 1e-14), "{src} at {x}: {got} vs {want}");
    }
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

/// The graph's f'(x) against central differences, judged only where f is finite and smooth
/// at the scale of the step: two step sizes agree (so not across a corner or a step).
fn slope_matches_central_difference(e: &Expr, x: f64) -> Result<(), TestCaseError> {
    let mut f = Function1::new(e).unwrap();
    let (y, d) = f.value_and_slope(x);
    let h = 1e-5 * (1.0 + x.abs());
    let (fp, fm) = (f.value(x + h), f.value(x - h));
    let (fp2, fm2) = (f.value(x + h / 2.0), f.value(x - h / 2.0));
    let wide = (fp - fm) / (2.0 * h);
    let narrow = (fp2 - fm2) / h;
    // Each node's rounding, ε·|value|, moves f by that times ∂f/∂node, and a difference
    // quotient divides it by the step: sin(csc π + x) adds x to csc π = 8·10¹⁵, whose ulp is
    // 1, so f(x ± h) are equal and the quotient 0 while f' = cos(csc π + x) is not. And the
    // graph's slope rounds with the terms the backward pass sums: ᵡ⁺ˣ√(x − x − tan π) passes
    // ±5·10¹⁹ to x through x − x, and its slope, 134 272.4, comes out 131 072.
    let (graph, steps) = common::evaluated(e, &[("x", x)]);
    let of_f = common::rounding(graph.nodes().iter().map(|n| n.value * n.grad));
    let of_slope = common::rounding(steps.iter().map(|step| step.contribution));
    let scale =
        1.0 + d.abs() + y.abs() + (fp.abs().max(fm.abs()) * 1e-6 + of_f * 1e5) / h + of_slope * 1e6;
    let smooth_here = [y, d, fp, fm, fp2, fm2]
        .iter()
        .all(|v| v.is_finite() && v.abs() < 1e8)
        && (wide - narrow).abs() <= 1e-6 * scale
        // f(x) itself on the curve through its neighbours, not a point the rounding moved:
        // sign(x·(π − π/x·x))·x is x where π/x·x rounds below π, and 0 on either side.
        && ((fp + fm) / 2.0 - y).abs() <= 1e-6 * scale;
    if smooth_here {
        prop_assert!(
            (d - narrow).abs() <= 1e-5 * scale,
            "{} at x = {}: graph {} vs central {}",
            e,
            x,
            d,
            narrow
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn graph_slope_matches_central_difference(e in smooth_expr(), x in -4.0..4.0f64) {
        slope_matches_central_difference(&e, x)?;
    }

    #[test]
    fn kinks_match_central_differences_away_from_their_corners(
        a in smooth_expr(),
        b in smooth_expr(),
        which in 0..3usize,
        x in -4.0..4.0f64,
    ) {
        let e = match which {
            0 => Expr::Call2(Func2::Min, Box::new(a), Box::new(b)),
            1 => Expr::Call2(Func2::Max, Box::new(a), Box::new(b)),
            _ => Expr::Mul(Box::new(Expr::Call(calculus::Func::Sign, Box::new(a))), Box::new(b)),
        };
        slope_matches_central_difference(&e, x)?;
    }

    #[test]
    fn symbolic_derivative_agrees_with_the_graph(e in smooth_expr(), x in -4.0..4.0f64) {
        let (y, d) = Function1::new(&e).unwrap().value_and_slope(x);
        let symbolic = differentiate(&e, "x");
        let s = evaluate(&symbolic, &[("x", x)]).unwrap_or(f64::NAN);
        // A value past 1e12 rounds by more than 1e-4 an ulp, and the symbolic form (a quotient
        // rule's difference of two such terms) carries that into its slope: x/c/(x·sin π) is
        // 2e16 everywhere, slope 0 by the graph and -0.98 by the rule's rounding.
        // Both also round with the terms the slope is summed from, the backward pass's
        // upstream × local: (π/(x/x))^e^π passes ±3·10¹² through x/x, whose local
        // derivatives 1/x and −x/x² cancel, and the graph's slope of x² is 1.5·10⁻⁵ out.
        let rounding = common::rounding(common::evaluated(&e, &[("x", x)]).1.iter().map(|step| step.contribution));
        if y.is_finite() && d.is_finite() && s.is_finite() && d.abs() < 1e12 && y.abs() < 1e12 {
            prop_assert!(close(s, d, 1e-8) || (s - d).abs() <= 10.0 * rounding,
                "d/dx {} = {} at x = {}: {} vs graph {}", e, symbolic, x, s, d);
        }
    }

    #[test]
    fn simplify_keeps_the_value(e in smooth_expr(), x in -4.0..4.0f64) {
        let before = evaluate(&e, &[("x", x)]).unwrap_or(f64::NAN);
        let after = evaluate(&calculus::simplify(&e), &[("x", x)]).unwrap_or(f64::NAN);
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
        "atan(x)*sinh(x)",
        "sin(x)",
        "tanh(x)",
        "atan(x)",
        "sinh(x)",
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

use super::real::*;
use super::*;
use crate::expr::Func;
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

//! Minima and maxima found from the sign changes of f', and flat points where f' touches
//! zero without changing sign, checked against closed forms.

use calculus::{flat_points, parse, FlatKind, FlatPoint, Function1};
use std::f64::consts::PI;

fn find(src: &str, a: f64, b: f64, samples: usize) -> Vec<FlatPoint> {
    let mut f = Function1::new(&parse(src).unwrap()).unwrap();
    flat_points(&mut f, a, b, samples)
}

#[test]
fn parabola() {
    let found = find("x^2", -10.0, 10.0, 100);
    assert_eq!(found.len(), 1);
    assert!(found[0].x.abs() < 1e-9);
    assert!(found[0].y.abs() < 1e-18);
    assert_eq!(found[0].kind, FlatKind::Minimum);
}

#[test]
fn parabola_minimum_is_reported_exactly_at_zero() {
    // The minimum of x² is at 0 with f(0) = 0; a search that ends within 10⁻¹²·(b − a)
    // of 0 reports 0 itself, and f there, rather than −7e-64 and 5e-127.
    for samples in [2, 100, 101, 2000] {
        let found = find("x^2", -10.0, 10.0, samples);
        assert_eq!(found.len(), 1, "{samples}");
        assert_eq!(
            (found[0].x, found[0].y, found[0].kind),
            (0.0, 0.0, FlatKind::Minimum),
            "{samples}"
        );
    }
}

#[test]
fn cube_is_flat_at_zero_but_neither_minimum_nor_maximum() {
    // f = x³, f' = 3x² ≥ 0 with its only zero at 0, where f(0) = 0.
    for samples in [100, 101, 2000] {
        let found = find("x^3", -10.0, 10.0, samples);
        assert_eq!(found.len(), 1, "{samples}");
        assert_eq!(
            (found[0].x, found[0].y, found[0].kind, found[0].corner),
            (0.0, 0.0, FlatKind::Neither, false),
            "{samples}"
        );
    }
    // −x³ falls on both sides of 0 instead.
    let found = find("-x^3", -1.0, 1.0, 100);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].x, found[0].kind), (0.0, FlatKind::Neither));
}

#[test]
fn shifted_cube_is_flat_at_one() {
    // x³ − 3x² + 3x = (x − 1)³ + 1, f' = 3(x − 1)² ≥ 0: flat only at 1, where f = 1.
    // A double zero of f' is pinned down only to about √ε: near 1 the computed f' is
    // rounding noise of order ε·3, which 3(x − 1)² matches when |x − 1| ≈ 2·10⁻⁸.
    for samples in [100, 2000] {
        let found = find("x^3 - 3x^2 + 3x", -3.0, 3.0, samples);
        assert_eq!(found.len(), 1, "{samples}");
        assert_eq!(found[0].kind, FlatKind::Neither);
        assert!((found[0].x - 1.0).abs() < 1e-6, "{}", found[0].x);
        assert!((found[0].y - 1.0).abs() < 1e-12, "{}", found[0].y);
    }
}

#[test]
fn quintic_has_a_maximum_a_flat_point_and_a_minimum() {
    // f = x⁵ − 5x³, f' = 5x²(x² − 3): simple zeros at ±√3, where f' changes sign, and a
    // double zero at 0, where f' < 0 on both sides. f(∓√3) = ∓9√3 ± 15√3 = ±6√3.
    let r3 = 3.0_f64.sqrt();
    let found = find("x^5 - 5x^3", -3.0, 3.0, 100);
    assert_eq!(found.len(), 3);
    let expected = [
        (-r3, 6.0 * r3, FlatKind::Maximum),
        (0.0, 0.0, FlatKind::Neither),
        (r3, -6.0 * r3, FlatKind::Minimum),
    ];
    for (point, (x, y, kind)) in found.iter().zip(expected) {
        assert!((point.x - x).abs() < 1e-12, "{} vs {x}", point.x);
        assert!((point.y - y).abs() < 1e-12, "{} vs {y}", point.y);
        assert_eq!(point.kind, kind);
        assert!(!point.corner);
    }
    // 0 is within 10⁻¹²·6 of the search's answer, so it is exact.
    assert_eq!((found[1].x, found[1].y), (0.0, 0.0));
}

#[test]
fn sine_plus_line_is_flat_at_odd_multiples_of_pi() {
    // f = sin x + x, f' = cos x + 1 ≥ 0, zero where cos x = −1: x = (2k + 1)π. In
    // [−10, 10] that is ±π and ±3π (5π ≈ 15.7 is outside), and f = x there.
    // As for every double zero of f', the position is known only to about √ε·|x|.
    let found = find("sin(x) + x", -10.0, 10.0, 200);
    let expected = [-3.0 * PI, -PI, PI, 3.0 * PI];
    assert_eq!(found.len(), expected.len());
    for (point, x) in found.iter().zip(expected) {
        assert_eq!(point.kind, FlatKind::Neither);
        assert!((point.x - x).abs() < 1e-7, "{} vs {x}", point.x);
        assert!((point.y - x).abs() < 1e-7, "{} vs {x}", point.y);
    }
}

#[test]
fn cubic_with_turning_points_has_no_flat_inflection() {
    // f = x³ − 3x: f' = 3x² − 3 changes sign at ±1 and is −3 at the inflection point 0,
    // so the only flat points are the maximum at −1 and the minimum at 1.
    let found = find("x^3 - 3x", -3.0, 3.0, 100);
    let kinds: Vec<FlatKind> = found.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, [FlatKind::Maximum, FlatKind::Minimum]);
    assert!((found[0].x + 1.0).abs() < 1e-12 && (found[1].x - 1.0).abs() < 1e-12);
}

#[test]
fn nearly_flat_is_not_flat() {
    // f' = 3x² + 0.01 ≥ 0.01 everywhere: steepest descent is slow at 0 but never stops.
    for samples in [100, 101, 2000] {
        assert_eq!(find("x^3 + 0.01x", -10.0, 10.0, samples), [], "{samples}");
        assert_eq!(find("x^3 + 0.01x", -1.0, 1.0, samples), [], "{samples}");
    }
}

#[test]
fn flat_stretches_and_poles_are_not_flat_points() {
    for samples in [100, 101] {
        // f' = 0 on a whole stretch: there is no single point to report.
        assert_eq!(find("5", -1.0, 1.0, samples), []);
        assert_eq!(find("relu(x)", -1.0, 1.0, samples), []);
        assert_eq!(find("relu(x)^3", -1.0, 1.0, samples), []);
        // sin² + cos² = 1, so f' is 0 up to rounding everywhere.
        assert_eq!(find("sin(x)^2 + cos(x)^2", -10.0, 10.0, samples), []);
        // f' = −1/x² and sec² x keep one sign but never come near 0.
        assert_eq!(find("1/x", -1.0, 1.0, samples), []);
        assert_eq!(find("tan(x)", -3.0, 3.0, samples), []);
        assert_eq!(find("1/x^3", -1.0, 1.0, samples), []);
    }
}

#[test]
fn cubic_has_a_maximum_then_a_minimum() {
    // f = x³ − 3x, f' = 3(x − 1)(x + 1): f(−1) = 2 is a maximum, f(1) = −2 a minimum.
    let found = find("x^3 - 3x", -3.0, 3.0, 100);
    assert_eq!(found.len(), 2);
    assert!((found[0].x + 1.0).abs() < 1e-12 && (found[0].y - 2.0).abs() < 1e-12);
    assert_eq!(found[0].kind, FlatKind::Maximum);
    assert!((found[1].x - 1.0).abs() < 1e-12 && (found[1].y + 2.0).abs() < 1e-12);
    assert_eq!(found[1].kind, FlatKind::Minimum);
}

#[test]
fn sine_extrema_alternate() {
    // sin has maxima at π/2 + 2kπ and minima at −π/2 + 2kπ; in [−10, 10]: ±π/2, ±3π/2, ±5π/2.
    let found = find("sin(x)", -10.0, 10.0, 200);
    let expected = [
        (-2.5 * PI, FlatKind::Minimum),
        (-1.5 * PI, FlatKind::Maximum),
        (-0.5 * PI, FlatKind::Minimum),
        (0.5 * PI, FlatKind::Maximum),
        (1.5 * PI, FlatKind::Minimum),
        (2.5 * PI, FlatKind::Maximum),
    ];
    assert_eq!(found.len(), expected.len());
    for (point, (x, kind)) in found.iter().zip(expected) {
        assert!((point.x - x).abs() < 1e-12, "{} vs {x}", point.x);
        assert_eq!(point.kind, kind);
        let y = if kind == FlatKind::Maximum { 1.0 } else { -1.0 };
        assert!((point.y - y).abs() < 1e-15);
        assert!(!point.corner);
    }
}

#[test]
fn quartic_against_the_trigonometric_roots_of_its_derivative() {
    // f = x⁴ − 3x² + x, f' = 4x³ − 6x + 1 = 4(x³ + px + q) with p = −3/2, q = 1/4.
    // Three real roots (4p³ + 27q² < 0), by Viète's trigonometric method:
    // x_k = 2√(−p/3)·cos(⅓·arccos((3q/2p)·√(−3/p)) − 2πk/3), k = 0, 1, 2.
    let (p, q): (f64, f64) = (-1.5, 0.25);
    assert!(4.0 * p.powi(3) + 27.0 * q * q < 0.0);
    let r = 2.0 * (-p / 3.0).sqrt();
    let phi = ((3.0 * q / (2.0 * p)) * (-3.0 / p).sqrt()).acos() / 3.0;
    let mut roots: Vec<f64> = (0..3)
        .map(|k| r * (phi - 2.0 * PI * k as f64 / 3.0).cos())
        .collect();
    roots.sort_by(f64::total_cmp);
    // f'' = 12x² − 6 decides the kinds: positive at the outer roots, negative in the middle.
    let kinds = [FlatKind::Minimum, FlatKind::Maximum, FlatKind::Minimum];
    let found = find("x^4 - 3x^2 + x", -3.0, 3.0, 150);
    assert_eq!(found.len(), 3);
    for ((point, root), kind) in found.iter().zip(roots).zip(kinds) {
        assert!((point.x - root).abs() < 1e-12, "{} vs {root}", point.x);
        assert_eq!(point.kind, kind);
        let y = root.powi(4) - 3.0 * root * root + root;
        assert!((point.y - y).abs() < 1e-12);
    }
}

#[test]
fn shifted_parabola() {
    let found = find("(x-2)^2+1", -10.0, 10.0, 100);
    assert_eq!(found.len(), 1);
    assert!((found[0].x - 2.0).abs() < 1e-12);
    assert_eq!((found[0].y, found[0].kind), (1.0, FlatKind::Minimum));
}

#[test]
fn poles_are_not_extrema() {
    // 1/x² and tan² change the sign of f' through a pole, not through zero.
    for samples in [50, 99, 100, 101] {
        assert_eq!(find("1/x^2", -2.0, 2.0, samples), []);
        assert_eq!(find("tan(x)^2", 0.5, 2.5, samples), []);
        assert_eq!(find("1/(x - 1)^2", -3.0, 3.0, samples), []);
    }
    // tan² still has its genuine minimum at π, between two poles.
    let found = find("tan(x)^2", 2.0, 4.0, 100);
    assert_eq!(found.len(), 1);
    assert!((found[0].x - PI).abs() < 1e-12);
}

#[test]
fn corners_are_flagged() {
    let found = find("abs(x - 1) + 2", -3.0, 3.0, 100);
    assert_eq!(found.len(), 1);
    assert!((found[0].x - 1.0).abs() < 1e-12);
    assert_eq!(
        (found[0].y, found[0].kind, found[0].corner),
        (2.0, FlatKind::Minimum, true)
    );
    let found = find("-abs(x)", -3.0, 3.0, 7);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].x, found[0].kind, found[0].corner),
        (0.0, FlatKind::Maximum, true)
    );
}

#[test]
fn corners_of_min_and_max_are_flagged() {
    // max(x, −x) = |x|: a minimum at 0 where the slopes −1 and 1 meet.
    let found = find("max(x, -x)", -3.0, 3.0, 100);
    assert_eq!(found.len(), 1);
    assert!(found[0].x.abs() < 1e-12);
    assert_eq!((found[0].kind, found[0].corner), (FlatKind::Minimum, true));
    // 2 − max(x − 1, 1 − x) = 2 − |x − 1|: a maximum of 2 at 1.
    let found = find("2 - max(x - 1, 1 - x)", -3.0, 3.0, 100);
    assert_eq!(found.len(), 1);
    assert!((found[0].x - 1.0).abs() < 1e-12);
    assert_eq!(
        (found[0].y, found[0].kind, found[0].corner),
        (2.0, FlatKind::Maximum, true)
    );
    // min(x², 2 − x²): x² below 1, so a smooth minimum at 0; the two parabolas cross at ±1,
    // corners where f = 1 is largest.
    let found = find("min(x^2, 2 - x^2)", -1.5, 1.5, 100);
    let summary: Vec<(FlatKind, bool)> = found.iter().map(|p| (p.kind, p.corner)).collect();
    assert_eq!(
        summary,
        [
            (FlatKind::Maximum, true),
            (FlatKind::Minimum, false),
            (FlatKind::Maximum, true)
        ]
    );
    for (point, x) in found.iter().zip([-1.0, 0.0, 1.0]) {
        assert!((point.x - x).abs() < 1e-12, "{} vs {x}", point.x);
        assert!((point.y - x * x).abs() < 1e-12);
    }
}

#[test]
fn corners_steps_and_domain_edges_of_the_new_functions() {
    let f = |src: &str| Function1::new(&parse(src).unwrap()).unwrap();
    // max(x, 0) is relu: slopes 0 on the left and 1 on the right of its corner.
    assert_eq!(f("max(x, 0)").corner(0.0), Some((0.0, 1.0)));
    assert_eq!(f("min(x, 0)").corner(0.0), Some((1.0, 0.0)));
    assert_eq!(f("max(x, 0)").corner(1.0), None);
    // sign jumps from −1 to 1 at 0, and acot = atan(1/x) from −π/2 to π/2.
    assert!(f("sign(x)").jumps(0.0));
    assert!(f("acot(x)").jumps(0.0));
    assert!(!f("acot(x)").jumps(1.0));
    // asin has no flat point on its domain (asin' ≥ 1), nor a corner at its ends, where
    // the tangent is vertical and the function stops.
    assert_eq!(find("asin(x)", -1.0, 1.0, 100), []);
    assert_eq!(f("asin(x)").corner(1.0), None);
    assert_eq!(f("acosh(x)").corner(1.0), None);
}

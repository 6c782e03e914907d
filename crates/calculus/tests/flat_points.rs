//! Minima and maxima found from the sign changes of f', checked against closed forms.

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

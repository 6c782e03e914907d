//! The difference quotient and the secant line, against their closed forms: for x²,
//! ((x + h)² − x²)/h = 2x + h; for x³, 3x² + 3xh + h².

use calculus::{parse, Function1};

fn f(src: &str) -> Function1 {
    Function1::new(&parse(src).unwrap()).unwrap()
}

#[test]
fn the_quotient_of_a_square_is_two_x_plus_h() {
    let mut sq = f("x^2");
    // 2·1 + 0.1 = 2.1, up to the rounding of 1.1² and of the division.
    assert!((sq.difference_quotient(1.0, 0.1) - 2.1).abs() < 1e-14);
    // With h a power of two every step is exact: 2·1 + 0.5 and 2·3 − 0.25.
    assert_eq!(sq.difference_quotient(1.0, 0.5), 2.5);
    assert_eq!(sq.difference_quotient(3.0, -0.25), 5.75);
    // The gap to f'(x) = 2x is h itself.
    for h in [1.0, 0.5, 0.25, 0.125] {
        assert_eq!(sq.difference_quotient(2.0, h) - 4.0, h);
    }
}

#[test]
fn the_quotient_of_a_cube_is_three_x_squared_plus_three_x_h_plus_h_squared() {
    // x = 1, h = 0.5: 3 + 1.5 + 0.25 = 4.75.
    assert_eq!(f("x^3").difference_quotient(1.0, 0.5), 4.75);
}

#[test]
fn the_secant_passes_through_both_points_and_the_tangent_through_one() {
    // x² at x = 1, h = 0.5: through (1, 1) and (1.5, 2.25), slope 2.5; tangent slope 2.
    let s = f("x^2").secant(1.0, 0.5);
    assert_eq!(
        (s.fx, s.fxh, s.slope, s.tangent_slope),
        (1.0, 2.25, 2.5, 2.0)
    );
    assert_eq!((s.at(1.0), s.at(1.5), s.at(-1.0)), (1.0, 2.25, -4.0));
    // The tangent y = 1 + 2(t − 1) meets the axis at t = 1/2.
    assert_eq!((s.tangent_at(1.0), s.tangent_at(0.5)), (1.0, 0.0));
}

#[test]
fn no_step_and_no_value_give_nan_not_a_panic() {
    assert!(f("x^2").difference_quotient(1.0, 0.0).is_nan());
    let s = f("ln(x)").secant(-1.0, 0.5);
    assert!(s.fx.is_nan() && s.slope.is_nan());
}

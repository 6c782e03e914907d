//! `numerical_gradient` against numpy.gradient's documented formulas.

use calculus::numerical::compare;
use calculus::{linspace, numerical_gradient, parse, Error, Function1};

#[test]
fn numpy_documented_example() {
    // np.gradient([1, 2, 4, 7, 11, 16], [0., 1., 1.5, 3.5, 4., 6.]) == [1., 3., 3.5, 6.7, 6.9, 2.5]
    let got = numerical_gradient(
        &[1.0, 2.0, 4.0, 7.0, 11.0, 16.0],
        &[0.0, 1.0, 1.5, 3.5, 4.0, 6.0],
    )
    .unwrap();
    for (g, want) in got.iter().zip([1.0, 3.0, 3.5, 6.7, 6.9, 2.5]) {
        assert!((g - want).abs() < 1e-12, "{got:?}");
    }
    // np.gradient([1, 2, 4, 7, 11, 16], [0, 1, 2, 3, 4, 5]) == [1., 1.5, 2.5, 3.5, 4.5, 5.]
    let got = numerical_gradient(
        &[1.0, 2.0, 4.0, 7.0, 11.0, 16.0],
        &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0],
    )
    .unwrap();
    assert_eq!(got, [1.0, 1.5, 2.5, 3.5, 4.5, 5.0]);
}

#[test]
fn samples_of_a_parabola() {
    // y = x² with spacing h: centred differences ((x+h)² − (x−h)²)/2h = 2x exactly;
    // the one-sided ends give 2x₀ + h and 2xₙ − h.
    let h = 0.25;
    let xs: Vec<f64> = (0..41).map(|i| -5.0 + h * i as f64).collect();
    let ys: Vec<f64> = xs.iter().map(|x| x * x).collect();
    let got = numerical_gradient(&ys, &xs).unwrap();
    assert_eq!(got[0], 2.0 * -5.0 + h);
    assert_eq!(got[40], 2.0 * 5.0 - h);
    for i in 1..40 {
        assert!((got[i] - 2.0 * xs[i]).abs() < 1e-12);
    }
}

#[test]
fn uneven_spacing_is_exact_for_parabolas() {
    // numpy's non-uniform interior formula is second-order: exact for quadratics.
    let xs = [-2.0, -1.5, 0.0, 0.25, 1.0, 3.0];
    let ys: Vec<f64> = xs.iter().map(|x| 3.0 * x * x - x + 2.0).collect();
    let got = numerical_gradient(&ys, &xs).unwrap();
    for i in 1..5 {
        assert!((got[i] - (6.0 * xs[i] - 1.0)).abs() < 1e-12, "{got:?}");
    }
}

#[test]
fn refuses_what_numpy_refuses() {
    assert_eq!(
        numerical_gradient(&[1.0], &[0.0]).unwrap_err().to_string(),
        "numerical gradient needs at least 2 points, got 1"
    );
    assert!(matches!(
        numerical_gradient(&[1.0, 2.0, 3.0], &[0.0, 1.0]),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        numerical_gradient(&[1.0, 2.0], &[1.0, 1.0]),
        Err(Error::RepeatedPoint { .. })
    ));
}

fn function(src: &str) -> Function1 {
    Function1::new(&parse(src).unwrap()).unwrap()
}

#[test]
fn compare_a_parabola_inside_exact_ends_off_by_h() {
    // x² on linspace(−4, 4, 9): h = 1 and every number is an integer, so nothing rounds.
    // Inside, ((x + 1)² − (x − 1)²)/2 = 2x exactly; the ends give 2x₀ + h and 2x₈ − h.
    let c = compare(&mut function("x^2"), (-4.0, 4.0), 9).unwrap();
    assert_eq!(c.xs, linspace(-4.0, 4.0, 9));
    assert_eq!(c.values, [16.0, 9.0, 4.0, 1.0, 0.0, 1.0, 4.0, 9.0, 16.0]);
    assert_eq!(c.exact, [-8.0, -6.0, -4.0, -2.0, 0.0, 2.0, 4.0, 6.0, 8.0]);
    assert_eq!(
        c.numerical,
        [-7.0, -6.0, -4.0, -2.0, 0.0, 2.0, 4.0, 6.0, 7.0]
    );
    assert_eq!(c.error, [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
}

#[test]
fn compare_the_books_example_up_to_rounding() {
    // The book's x² with 100 samples on [−10, 10]: h = 20/99; the ends miss by h, the inside
    // by rounding only.
    let c = compare(&mut function("x^2"), (-10.0, 10.0), 100).unwrap();
    let h = 20.0 / 99.0;
    assert!((c.error[0] - h).abs() < 1e-12 && (c.error[99] - h).abs() < 1e-12);
    assert!(c.error[1..99].iter().all(|e| *e < 1e-12));
}

#[test]
fn compare_a_cube_inside_off_by_h_squared() {
    // x³ on linspace(−2, 2, 9): h = 0.5, all exact in binary. Inside,
    // ((x + h)³ − (x − h)³)/2h = 3x² + h², off by h² = 0.25. At the ends,
    // ((x + h)³ − x³)/h = 3x² + 3xh + h² and (x³ − (x − h)³)/h = 3x² − 3xh + h²:
    // off by |3·(−2)·0.5 + 0.25| = 2.75 and |−3·2·0.5 + 0.25| = 2.75.
    let c = compare(&mut function("x^3"), (-2.0, 2.0), 9).unwrap();
    assert_eq!(
        c.error,
        [2.75, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 2.75]
    );
}

#[test]
fn compare_refuses_what_numpy_refuses() {
    let mut f = function("x^2");
    assert!(matches!(
        compare(&mut f, (0.0, 1.0), 1),
        Err(Error::TooFewPoints { got: 1 })
    ));
    assert!(matches!(
        compare(&mut f, (0.0, 1.0), 0),
        Err(Error::TooFewPoints { got: 0 })
    ));
    assert!(matches!(
        compare(&mut f, (1.0, 1.0), 3),
        Err(Error::RepeatedPoint { .. })
    ));
    // Nothing finite to sample: NaNs, not a panic.
    let c = compare(&mut f, (f64::NAN, 1.0), 3).unwrap();
    assert!(c.error.iter().all(|e| e.is_nan()));
}

/// Chapter 1: `linspace(-10, 10, 100)` is evenly spaced only up to rounding, so numpy (and the
/// engine) take the uneven-spacing branch; its weighted central difference is exact for x²
/// too, so the interior still comes out as 2x up to rounding.
#[test]
fn linspace_is_not_bit_uniform_and_the_interior_stays_exact() {
    let xs = linspace(-10.0, 10.0, 100);
    let gaps: Vec<f64> = xs.windows(2).map(|w| w[1] - w[0]).collect();
    // i·(20/99) − 10 rounds differently from one i to the next: the gaps are not all equal.
    assert!(gaps.iter().any(|&g| g != gaps[0]));
    let ys: Vec<f64> = xs.iter().map(|x| x * x).collect();
    let slopes = numerical_gradient(&ys, &xs).unwrap();
    for (x, s) in xs.iter().zip(&slopes).skip(1).take(98) {
        assert!((s - 2.0 * x).abs() < 1e-12, "at {x}: {s}");
    }
    // The ends: 2x ± h with h = 20/99.
    assert!((slopes[0] - (-20.0 + 20.0 / 99.0)).abs() < 1e-12);
    assert!((slopes[99] - (20.0 - 20.0 / 99.0)).abs() < 1e-12);
}

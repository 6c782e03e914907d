//! `numerical_gradient` against numpy.gradient's documented formulas.

use calculus::{numerical_gradient, Error};

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

//! What part of a function to show: y ranges, breaks at poles and steps, sample positions.
//! Expected values are worked from the rules' definitions, not read off a run.

use calculus::view::{padded, reaching, sample_xs, with_breaks, y_range, LossScale};
use std::f64::consts::FRAC_PI_2;

fn breaks(points: &[(f64, f64)]) -> Vec<f64> {
    points
        .iter()
        .filter(|p| p.1.is_nan())
        .map(|p| p.0)
        .collect()
}

#[test]
fn a_parabola_keeps_its_whole_range_padded_by_six_percent() {
    // x² on [−10, 10] in 400 intervals (x = 0 is sample 200): 0 to 100, nothing far beyond
    // the middle; 6% of 100 on each side.
    let xs = sample_xs((-10.0, 10.0), 640.0, 1.6);
    assert_eq!(xs[200], 0.0);
    let ys: Vec<f64> = xs.iter().map(|x| x * x).collect();
    assert_eq!(y_range(ys.iter().copied()), (-6.0, 106.0));
}

#[test]
fn a_parabola_is_drawn_without_breaks() {
    let xs = sample_xs((-10.0, 10.0), 640.0, 1.5);
    let ys: Vec<f64> = xs.iter().map(|x| x * x).collect();
    let slopes: Vec<f64> = xs.iter().map(|x| 2.0 * x).collect();
    let (lo, hi) = y_range(ys.iter().copied());
    let with = with_breaks(&xs, &ys, Some(&slopes), hi - lo);
    let without = with_breaks(&xs, &ys, None, hi - lo);
    assert!(breaks(&with).is_empty() && breaks(&without).is_empty());
    assert_eq!(with.len(), xs.len());
    assert_eq!(with, xs.iter().copied().zip(ys).collect::<Vec<_>>());
}

#[test]
fn tan_breaks_at_its_pole_and_its_spikes_do_not_set_the_range() {
    // 101 samples on [0, 3]: h = 0.03, so π/2 ≈ 1.5708 lies between x = 1.56 and 1.59,
    // where tan goes from about +92.6 to about −51.3, against its slope 1 + tan² > 0.
    let xs: Vec<f64> = (0..=100).map(|i| 0.03 * i as f64).collect();
    let ys: Vec<f64> = xs.iter().map(|x| x.tan()).collect();
    let slopes: Vec<f64> = ys.iter().map(|y| 1.0 + y * y).collect();
    let (lo, hi) = y_range(ys.iter().copied());
    // The spike tan(1.56) ≈ 92.6 is cut (see the next test for the rule); the lowest value,
    // tan(1.59) ≈ −52.1, is not.
    assert!(hi < 92.6 / 4.0, "{lo} {hi}");
    assert!(lo < 1.59f64.tan(), "{lo} {hi}");
    let b = breaks(&with_breaks(&xs, &ys, Some(&slopes), hi - lo));
    assert_eq!(b, [(xs[52] + xs[53]) / 2.0]);
    assert!(xs[52] < FRAC_PI_2 && FRAC_PI_2 < xs[53]);
}

#[test]
fn a_step_breaks_where_it_jumps_with_or_without_slopes() {
    // x/|x| on an even number of samples across 0: −1 then 1, slopes 0 on both sides, so the
    // jump of 2 is unexplained by any slope; without slopes, it is 2 against neighbouring
    // changes of 0.
    let xs: Vec<f64> = (0..10).map(|i| -0.9 + 0.2 * i as f64).collect();
    let ys: Vec<f64> = xs.iter().map(|x| x / x.abs()).collect();
    let slopes = vec![0.0; xs.len()];
    let (lo, hi) = y_range(ys.iter().copied());
    // −1 and 1: span 2, 6% of 2 = 0.12 on each side.
    assert!((lo + 1.12).abs() < 1e-15 && (hi - 1.12).abs() < 1e-15);
    let midpoint = (xs[4] + xs[5]) / 2.0;
    assert_eq!(
        breaks(&with_breaks(&xs, &ys, Some(&slopes), hi - lo)),
        [midpoint]
    );
    assert_eq!(breaks(&with_breaks(&xs, &ys, None, hi - lo)), [midpoint]);
    assert!(midpoint.abs() < 1e-15);
}

#[test]
fn a_steep_but_continuous_rise_is_not_a_jump() {
    // 10x on [0, 1] in 3 samples: each change of 5 is a quarter of the span and more, but the
    // slopes (10) explain it: 10·(10 + 10)·0.5 = 100 > 5.
    let xs = [0.0, 0.5, 1.0];
    let ys = [0.0, 5.0, 10.0];
    let slopes = [10.0; 3];
    assert!(breaks(&with_breaks(&xs, &ys, Some(&slopes), 10.0)).is_empty());
}

#[test]
fn an_extreme_ten_middles_beyond_its_quantile_is_cut_to_one_middle() {
    // 0, 1, …, 99 and a spike of 10⁴: 101 values, nearest-rank quantiles at index 100·q, so
    // q10 = 10, q90 = 90, middle = 80. 10⁴ − 90 > 800: the top becomes 90 + 80 = 170. The
    // bottom, 0, is only 10 below q10 and stays. Padded by 6% of 170 = 10.2.
    let values = (0..100).map(f64::from).chain([1e4]);
    let (lo, hi) = y_range(values);
    assert!(
        (lo + 10.2).abs() < 1e-12 && (hi - 180.2).abs() < 1e-12,
        "{lo} {hi}"
    );
}

#[test]
fn a_constant_gets_room_around_it() {
    // One value: padded by max(1, |v|/10).
    assert_eq!(y_range([3.0; 5]), (2.0, 4.0));
    assert_eq!(y_range([100.0; 5]), (90.0, 110.0));
    assert_eq!(y_range([-50.0, -50.0]), (-55.0, -45.0));
}

#[test]
fn nothing_finite_gives_the_unit_range_and_huge_values_stay_finite() {
    assert_eq!(y_range([f64::NAN, f64::INFINITY]), (-1.0, 1.0));
    assert_eq!(y_range(std::iter::empty()), (-1.0, 1.0));
    let (lo, hi) = y_range([-f64::MAX, f64::MAX]);
    assert!(lo.is_finite() && hi.is_finite() && lo < hi);
    assert_eq!((lo, hi), (-1e300, 1e300));
}

#[test]
fn samples_one_per_step_of_the_width_within_limits() {
    // 640 / 1.5 = 426.7, so 427 intervals and 428 samples, both ends included.
    let xs = sample_xs((-1.0, 3.0), 640.0, 1.5);
    assert_eq!(xs.len(), 428);
    assert_eq!((xs[0], xs[427]), (-1.0, 3.0));
    // Too narrow for 64 intervals, too wide for 2048, or no width at all.
    assert_eq!(sample_xs((0.0, 1.0), 10.0, 1.5).len(), 65);
    assert_eq!(sample_xs((0.0, 1.0), 1e6, 1.5).len(), 2049);
    assert_eq!(sample_xs((0.0, 1.0), f64::NAN, 1.5).len(), 65);
    assert_eq!(sample_xs((0.0, 1.0), 100.0, 0.0).len(), 2049);
}

#[test]
fn padding_and_reaching_widen_by_their_fractions() {
    // 1.5% of 20 = 0.3.
    let (lo, hi) = padded((-10.0, 10.0));
    assert!((lo + 10.3).abs() < 1e-12 && (hi - 10.3).abs() < 1e-12);
    // x + h = 4 beyond [−1, 3]: widened to [−1, 4], then 5% of 5 = 0.25 beyond 4.
    assert_eq!(reaching((-1.0, 3.0), 4.0), (-1.0, 4.25));
    assert_eq!(reaching((-1.0, 3.0), -2.0), (-2.25, 3.0));
    assert_eq!(reaching((-1.0, 3.0), 2.0), (-1.0, 3.0));
    assert_eq!(reaching((-1.0, 3.0), f64::NAN), (-1.0, 3.0));
}

#[test]
fn losses_go_on_a_log_axis_until_one_is_negative() {
    // Largest 100 = 10²: the floor is 24 decades lower, at −22, where a loss of 0 is drawn.
    let scale = LossScale::for_losses(&[100.0, 1.0, 0.0, f64::NAN]);
    assert_eq!(
        scale,
        LossScale {
            log: true,
            floor: -22.0
        }
    );
    assert_eq!(
        (scale.at(100.0), scale.at(1.0), scale.at(0.0)),
        (2.0, 0.0, -22.0)
    );
    let linear = LossScale::for_losses(&[3.0, -1.0]);
    assert!(!linear.log);
    assert_eq!(linear.at(-1.0), -1.0);
    // All zero: nothing positive to take a logarithm of.
    assert!(!LossScale::for_losses(&[0.0, 0.0]).log);
}

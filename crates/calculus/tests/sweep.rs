//! The learning-rate sweep on the bowl w² + b², against its closed form: ∇f = 2(w, b), so a
//! step of plain descent multiplies w and b by 1 − 2η and the loss by r² with r = |1 − 2η|.
//! From f₀ = 8² + 9² = 145, n steps end at 145·r²ⁿ. L = 2, so the critical rate is 2/L = 1.

use calculus::sweep::{rates, Region, Sweep, POINTS, RATES};
use calculus::{parse, Descender};

const F0: f64 = 145.0;
const STEPS: usize = 100;

fn bowl() -> Sweep {
    let mut descender = Descender::new(&parse("w^2 + b^2").unwrap());
    assert_eq!(descender.variables(), ["b", "w"]);
    Sweep::run(&mut descender, &[9.0, 8.0], STEPS).unwrap()
}

/// |1 − 2η|: how much one step shrinks (or grows) w and b.
fn ratio(rate: f64) -> f64 {
    (1.0 - 2.0 * rate).abs()
}

#[test]
fn rates_are_log_spaced_from_a_thousandth_to_two() {
    let r = rates();
    assert_eq!(r.len(), POINTS);
    assert_eq!(r[0], RATES.0);
    assert!((r[POINTS - 1] - RATES.1).abs() < 1e-15);
    // Each rate is the last times (2/0.001)^(1/199).
    let factor = (RATES.1 / RATES.0).powf(1.0 / (POINTS - 1) as f64);
    for w in r.windows(2) {
        assert!((w[1] / w[0] - factor).abs() < 1e-12);
    }
}

#[test]
fn final_losses_are_the_closed_form_and_diverge_past_the_bound() {
    let sweep = bowl();
    assert_eq!((sweep.steps, sweep.start_loss), (STEPS, F0));
    for (point, last) in sweep.points.iter().zip(sweep.final_losses()) {
        let r = ratio(point.learning_rate);
        // A run diverges at the first step k whose loss 145·r²ᵏ passes 10⁶·145:
        // k = ⌊3/log10 r⌋ + 1 for r > 1.
        let diverges = r > 1.0 && r.powi(2 * STEPS as i32) > 1e6;
        if diverges {
            let k = (3.0 / r.log10()).floor() as usize + 1;
            assert_eq!(point.diverged_at, Some(k), "{point:?}");
            assert_eq!(last, None);
        } else {
            let want = F0 * r.powi(2 * STEPS as i32);
            let got = last.unwrap();
            // Subnormal losses (below about 1e-308) keep fewer digits.
            assert!(
                (got - want).abs() <= 1e-9 * want + 1e-300,
                "{point:?}: {want}"
            );
        }
    }
}

#[test]
fn the_critical_rate_is_two_over_l_and_the_best_run_ends_at_the_minimum() {
    let sweep = bowl();
    assert_eq!(sweep.critical_rate, Some(1.0));
    let end = sweep.best_end.unwrap();
    assert!(end.iter().all(|v| v.abs() < 1e-100), "{end:?}");
}

#[test]
fn regions_switch_where_the_closed_form_says() {
    let sweep = bowl();
    assert!(sweep.scale.log);
    // The loss axis is log10, floored 24 decades below the largest final loss (or f₀). The
    // best runs end at 0 or nearly, so the best sits on the floor; "good" is at least
    // halfway down in decades from log10 145 to the floor: 145·r²⁰⁰ ≤ 10^good, that is
    // r ≤ ρ = 10^((good − log10 145)/200), or 0.5(1 − ρ) ≤ η ≤ 0.5(1 + ρ).
    let settled = |rate: f64| ratio(rate).powi(200) <= 1e6;
    let top = rates()
        .into_iter()
        .filter(|&rate| settled(rate))
        .map(|rate| F0 * ratio(rate).powi(200))
        .fold(F0, f64::max);
    let floor = top.log10() - 24.0;
    let start = F0.log10();
    let good = floor + 0.5 * (start - floor);
    let rho = 10f64.powf((good - start) / 200.0);
    let (good_from, good_to) = (0.5 * (1.0 - rho), 0.5 * (1.0 + rho));
    for (point, region) in sweep.points.iter().zip(&sweep.regions) {
        let rate = point.learning_rate;
        // Right at a boundary, rounding decides: leave those out.
        let near = |b: f64| (rate / b - 1.0).abs() < 1e-6;
        if near(good_from) || near(good_to) || near(1.0) {
            continue;
        }
        let want = if rate > 1.0 {
            // r > 1: the loss grows every step, ending above f₀ or diverging.
            Region::Diverges
        } else if (good_from..=good_to).contains(&rate) {
            Region::Good
        } else if rate < good_from {
            Region::TooSmall
        } else {
            Region::TooLarge
        };
        assert_eq!(*region, want, "rate {rate}");
    }
    // Each region is there, in that order along the rates.
    let mut order: Vec<Region> = sweep.regions.clone();
    order.dedup();
    assert_eq!(
        order,
        [
            Region::TooSmall,
            Region::Good,
            Region::TooLarge,
            Region::Diverges
        ]
    );
}

#[test]
fn the_chart_units_follow_the_scale() {
    let sweep = bowl();
    assert_eq!(sweep.scaled_start(), F0.log10());
    for (scaled, last) in sweep.scaled_losses().iter().zip(sweep.final_losses()) {
        assert_eq!(scaled.is_some(), last.is_some());
        if let (Some(s), Some(l)) = (scaled, last) {
            assert_eq!(*s, l.log10().max(sweep.scale.floor));
        }
    }
}

#[test]
fn a_plane_has_no_critical_rate_and_a_bad_start_is_an_error() {
    // w + b does not curve: every run goes down forever, no critical rate. Each step moves by
    // η along (−1, −1), so the loss falls by 2η per step and never diverges upward, and the
    // fastest (largest) rate ends lowest.
    let mut plane = Descender::new(&parse("w + b").unwrap());
    let sweep = Sweep::run(&mut plane, &[0.0, 0.0], 10).unwrap();
    assert_eq!(sweep.critical_rate, None);
    assert!(!sweep.scale.log);
    assert!(sweep.best_end.is_some());
    let mut bowl = Descender::new(&parse("w^2 + b^2").unwrap());
    assert!(Sweep::run(&mut bowl, &[f64::NAN, 0.0], 10).is_err());
    assert!(Sweep::run(&mut bowl, &[1.0], 10).is_err());
    assert!(Sweep::run(&mut bowl, &[1.0, 1.0], 100_001).is_err());
}

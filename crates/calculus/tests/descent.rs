//! Gradient descent paths, worked by hand with PyTorch's update rules.

use calculus::optim::Stepper;
use calculus::{descend, parse, Descent, DescentOptions, Graph, Optimizer};

fn run(
    src: &str,
    start: &[(&str, f64)],
    learning_rate: f64,
    iterations: usize,
    optimizer: Optimizer,
) -> Descent {
    let options = DescentOptions {
        start: start.iter().map(|&(n, v)| (n.to_string(), v)).collect(),
        learning_rate,
        iterations,
        optimizer,
    };
    descend(&parse(src).unwrap(), &options).unwrap()
}

#[test]
fn plain_descent_on_a_bowl_shrinks_geometrically() {
    // ∇(w² + b²) = (2w, 2b), so each step multiplies both by 1 − 0.1·2 = 0.8.
    let d = run(
        "w^2 + b^2",
        &[("w", 8.0), ("b", 9.0)],
        0.1,
        30,
        Optimizer::Gd,
    );
    assert_eq!(d.variables, ["b", "w"]);
    assert_eq!((d.path.len(), d.loss.len(), d.diverged), (31, 31, false));
    for (k, (point, loss)) in d.path.iter().zip(&d.loss).enumerate() {
        let shrink = 0.8f64.powi(k as i32);
        let (b, w) = (9.0 * shrink, 8.0 * shrink);
        assert!((point[0] - b).abs() <= 1e-12 * b, "step {k}");
        assert!((point[1] - w).abs() <= 1e-12 * w, "step {k}");
        assert!((loss - (w * w + b * b)).abs() <= 1e-12 * loss);
    }
    // 0.8³⁰ ≈ 0.0012379, so the end is near (w, b) = (0.0099, 0.0111).
    let end = &d.path[30];
    assert!((end[1] - 0.0099).abs() < 1e-4 && (end[0] - 0.0111).abs() < 1e-4);
}

#[test]
fn momentum_first_steps() {
    // f = x², g = 2x, lr = 0.1, μ = 0.9, from x = 1:
    // t=1: g = 2,    buf = 2 (first step copies g),  x = 1 − 0.1·2      = 0.8
    // t=2: g = 1.6,  buf = 0.9·2 + 1.6 = 3.4,         x = 0.8 − 0.1·3.4  = 0.46
    // t=3: g = 0.92, buf = 0.9·3.4 + 0.92 = 3.98,     x = 0.46 − 0.1·3.98 = 0.062
    let d = run("x^2", &[("x", 1.0)], 0.1, 3, Optimizer::momentum());
    let xs: Vec<f64> = d.path.iter().map(|p| p[0]).collect();
    for (got, want) in xs.iter().zip([1.0, 0.8, 0.46, 0.062]) {
        assert!((got - want).abs() < 1e-15, "{xs:?}");
    }
}

#[test]
fn rmsprop_first_steps() {
    // f = x², lr = 0.01, α = 0.99, ε = 1e-8, from x = 1:
    // t=1: g = 2,   v = 0.01·4 = 0.04,                    x₁ = 1 − 0.01·2/(√0.04 + ε) = 1 − 0.02/(0.2 + ε)
    // t=2: g = 2x₁, v = 0.99·0.04 + 0.01·g² = 0.0396 + 0.01·g², x₂ = x₁ − 0.01·g/(√v + ε)
    let eps: f64 = 1e-8;
    let x1 = 1.0 - 0.02 / (0.2 + eps);
    let g = 2.0 * x1;
    let v = 0.0396 + 0.01 * g * g;
    let x2 = x1 - 0.01 * g / (v.sqrt() + eps);
    let d = run("x^2", &[("x", 1.0)], 0.01, 2, Optimizer::rms_prop());
    assert!((d.path[1][0] - x1).abs() < 1e-15);
    assert!((d.path[2][0] - x2).abs() < 1e-15);
    // x₁ ≈ 0.9 (the first step is lr/√(1 − α) = 0.1 in size), x₂ ≈ 0.9 − 0.018/√0.0720 ≈ 0.8329
    assert!((x1 - 0.9).abs() < 1e-7 && (x2 - 0.83292).abs() < 1e-4);
}

#[test]
fn adam_first_steps() {
    // f = x², lr = 0.1, β1 = 0.9, β2 = 0.999, ε = 1e-8, from x = 1:
    // t=1: g = 2, m = 0.1·2 = 0.2, v = 0.001·4 = 0.004, bc1 = 0.1, bc2 = 0.001
    //      denom = √0.004/√0.001 + ε = 2 + ε, x₁ = 1 − (0.1/0.1)·0.2/(2 + ε) ≈ 0.9
    // t=2: g = 2x₁, m = 0.9·0.2 + 0.1·g, v = 0.999·0.004 + 0.001·g²,
    //      bc1 = 1 − 0.81 = 0.19, bc2 = 1 − 0.998001 = 0.001999
    //      x₂ = x₁ − (0.1/0.19)·m/(√v/√0.001999 + ε)
    let eps: f64 = 1e-8;
    let x1 = 1.0 - 0.2 / (2.0 + eps);
    let g = 2.0 * x1;
    let m = 0.18 + 0.1 * g;
    let v = 0.003996 + 0.001 * g * g;
    let x2 = x1 - (0.1 / 0.19) * m / (v.sqrt() / 0.001999f64.sqrt() + eps);
    let d = run("x^2", &[("x", 1.0)], 0.1, 2, Optimizer::adam());
    assert!(
        (d.path[1][0] - x1).abs() < 1e-12,
        "{} vs {x1}",
        d.path[1][0]
    );
    assert!(
        (d.path[2][0] - x2).abs() < 1e-12,
        "{} vs {x2}",
        d.path[2][0]
    );
    // Adam's early steps are about lr in size: x₂ ≈ 0.8004.
    assert!((x2 - 0.8004).abs() < 1e-3);
}

#[test]
fn divergence_stops_before_the_point_that_passes_the_bound() {
    // f = x⁴ from 10 with lr = 1: x ← x − 4x³ gives −3990, whose loss 3990⁴ ≈ 2.5e14 passes
    // 10⁶·f(10) = 10¹⁰ at once: one point.
    let d = run("x^4", &[("x", 10.0)], 1.0, 100, Optimizer::Gd);
    assert!(d.diverged);
    assert_eq!((d.path, d.loss), (vec![vec![10.0]], vec![1e4]));
    // From 0.1 (loss 10⁻⁴, so the bound is 10⁶): x₁ = 0.1 − 0.004 = 0.096, the run settles.
    let d = run("x^4", &[("x", 0.1)], 1.0, 100, Optimizer::Gd);
    assert!(!d.diverged);
}

#[test]
fn leaving_the_domain_is_divergence() {
    // f = √x from 1 with lr = 10: x₁ = 1 − 10·(1/2) = −4, where √x is NaN.
    let d = run("sqrt(x)", &[("x", 1.0)], 10.0, 10, Optimizer::Gd);
    assert!(d.diverged);
    assert_eq!(d.path, [[1.0]]);
}

#[test]
fn every_optimizer_settles_in_a_bowl() {
    for optimizer in [
        Optimizer::Gd,
        Optimizer::momentum(),
        Optimizer::rms_prop(),
        Optimizer::adam(),
    ] {
        let d = run(
            "(x - 3)^2 + (y + 1)^2",
            &[("x", 0.0), ("y", 0.0)],
            0.05,
            2000,
            optimizer,
        );
        let end = d.path.last().unwrap();
        assert!(!d.diverged);
        assert!(
            (end[0] - 3.0).abs() < 0.05 && (end[1] + 1.0).abs() < 0.05,
            "{}: {end:?}",
            optimizer.name()
        );
    }
}

#[test]
fn divergence_is_called_where_the_closed_form_says() {
    // On w² + b² a step multiplies (w, b) by r = 1 − 2·lr, so the loss after k steps is
    // 145·r^(2k) from (8, 9). |r| ≤ 1 never diverges; |r| > 1 passes the bound
    // 10⁶·145 at the first k with r^(2k) > 10⁶, i.e. k > 3 / log10|r|.
    for lr in [0.01, 0.1, 0.5, 0.95, 0.99, 1.0] {
        let d = run(
            "w^2 + b^2",
            &[("w", 8.0), ("b", 9.0)],
            lr,
            500,
            Optimizer::Gd,
        );
        assert!(!d.diverged, "lr {lr}");
        assert_eq!(d.path.len(), 501);
    }
    for (lr, step) in [(1.05, 73), (1.1, 38), (1.5, 10), (2.0, 7)] {
        let r: f64 = 1.0 - 2.0 * lr;
        let expected = (3.0 / r.abs().log10()).floor() as usize + 1;
        assert_eq!(expected, step, "closed form at lr {lr}");
        let d = run(
            "w^2 + b^2",
            &[("w", 8.0), ("b", 9.0)],
            lr,
            500,
            Optimizer::Gd,
        );
        assert!(d.diverged, "lr {lr}");
        // The path holds steps 0 to step − 1; the step that crossed the bound is not in it.
        assert_eq!(d.path.len(), step, "lr {lr}");
        assert!(d.loss[step - 1] <= 1.45e8);
    }
}

#[test]
fn gradients_are_recorded_at_every_point() {
    let d = run(
        "w^2 + b^2",
        &[("w", 8.0), ("b", 9.0)],
        0.1,
        3,
        Optimizer::Gd,
    );
    // variables (b, w); ∇f = (2b, 2w): at the start (18, 16), then ×0.8 per step.
    for (k, g) in d.gradients.iter().enumerate() {
        let s = 0.8f64.powi(k as i32);
        assert!((g[0] - 18.0 * s).abs() < 1e-12 && (g[1] - 16.0 * s).abs() < 1e-12);
    }
}

#[test]
fn a_sweep_finds_the_critical_rate_of_the_bowl() {
    use calculus::{critical_rate, Descender};
    let f = parse("w^2 + b^2").unwrap();
    // L = 2 (the Hessian is 2I), so 2/L = 1.
    assert_eq!(
        critical_rate(&f, &[("w", 0.0), ("b", 0.0)]).unwrap(),
        Some(1.0)
    );
    let mut descender = Descender::new(&f);
    let rates: Vec<f64> = (0..200)
        .map(|k| 10f64.powf(-3.0 + (2f64.log10() + 3.0) * k as f64 / 199.0))
        .collect();
    let sweep = descender
        .sweep(&[9.0, 8.0], &rates, 100, Optimizer::Gd)
        .unwrap();
    for point in &sweep {
        let r: f64 = 1.0 - 2.0 * point.learning_rate;
        let want = 145.0 * r.powi(200);
        if r.abs() <= 1.0 {
            assert!(point.diverged_at.is_none());
            // Below about 1e-300 the losses are subnormal and keep fewer digits.
            assert!(
                (point.loss - want).abs() <= 1e-9 * want + 1e-300,
                "{point:?}"
            );
        } else {
            let k = (3.0 / r.abs().log10()).floor() as usize + 1;
            assert_eq!(point.diverged_at, (k <= 100).then_some(k), "{point:?}");
        }
    }
    // The elongated bowl curves by 20 along b: 2/20 = 0.1. Rosenbrock at its minimum (1, 1):
    // H = [[802, −400], [−400, 200]], λmax = 501 + √(301² + 400²) = 501 + 500.6005...
    let long = parse("w^2 + 10b^2").unwrap();
    assert_eq!(
        critical_rate(&long, &[("w", 3.0), ("b", 1.0)]).unwrap(),
        Some(0.1)
    );
    let rosenbrock = parse("(1 - w)^2 + 100(b - w^2)^2").unwrap();
    let rate = critical_rate(&rosenbrock, &[("w", 1.0), ("b", 1.0)])
        .unwrap()
        .unwrap();
    let lambda = 501.0 + (301f64 * 301.0 + 400.0 * 400.0).sqrt();
    assert!((rate - 2.0 / lambda).abs() < 1e-15, "{rate}");
    // A saddle curves down along b: L is still 2, along w.
    let saddle = parse("w^2 - b^2").unwrap();
    assert_eq!(
        critical_rate(&saddle, &[("w", 0.0), ("b", 0.0)]).unwrap(),
        Some(1.0)
    );
    // A plane does not curve: no critical rate.
    assert_eq!(
        critical_rate(&parse("w + b").unwrap(), &[("w", 0.0), ("b", 0.0)]).unwrap(),
        None
    );
}

/// Chapter 4's runaway run at η = 1.05 from (8, 9) on w² + b², left to run past the lab's
/// divergence bound: where f64 overflows, stepped by the engine's own graph and optimizer.
#[test]
fn the_diverging_run_overflows_where_the_book_says() {
    // By hand: each step multiplies (w, b) by 1 − 2·1.05 = −1.1, so after k steps
    // b = 9·1.1^k (up to sign), and the loss is 145·1.21^k. f64's largest number is
    // M = 1.7976931348623157e308, log10 M = 308.254716.
    // - The loss w² + b² overflows at the first k with 145·1.21^k > M:
    //   k > (308.254716 − log10 145)/log10 1.21 = (308.254716 − 2.161368)/0.0827854 ≈ 3697.43,
    //   so k = 3698.
    // - b² = 81·1.21^k alone: k > (308.254716 − 1.908485)/0.0827854 ≈ 3700.49, so k = 3701.
    // - b itself: the step computes b − 1.05·(2b); its gradient 2b = 18·1.1^k overflows first,
    //   at k > (308.254716 − 1.255273)/0.0413927 ≈ 7416.76, i.e. at step 7417, so b is infinite
    //   from step 7418 on; the next update is ∞ − ∞: NaN at step 7419.
    // Each bound is at least 0.24 steps from an integer, far more than the rounding of a few
    // thousand products (relative 1e-12) can move it.
    let mut graph = Graph::compile(&parse("w^2 + b^2").unwrap());
    assert_eq!(graph.variables(), ["b", "w"]);
    let mut point = [9.0, 8.0];
    let mut gradient = [0.0; 2];
    let mut stepper = Stepper::new(Optimizer::Gd, 2).unwrap();
    let (mut loss_inf, mut b2_inf, mut b_inf, mut nan) = (None, None, None, None);
    for k in 0..=7500 {
        let loss = graph.value_and_gradient(&point, &mut gradient);
        let first = |slot: &mut Option<usize>, now: bool| {
            if now && slot.is_none() {
                *slot = Some(k);
            }
        };
        first(&mut loss_inf, loss.is_infinite());
        first(&mut b2_inf, (point[0] * point[0]).is_infinite());
        first(&mut b_inf, point[0].is_infinite());
        first(&mut nan, loss.is_nan());
        stepper.step(&mut point, &gradient, 1.05);
    }
    assert_eq!(loss_inf, Some(3698));
    assert_eq!(b2_inf, Some(3701));
    assert_eq!(b_inf, Some(7418));
    assert_eq!(nan, Some(7419));
}

/// Chapter 4: RMSProp's first step is 10η in each coordinate, and once its average has
/// caught up with a steady gradient the step is η.
#[test]
fn rmsprop_warms_up_from_ten_eta_to_eta() {
    // With a constant gradient g, s_t = (1 − 0.99^t)·g², so the step is
    // η·|g|/(√s_t + ε) = η/√(1 − 0.99^t) up to ε/|g| = 1e-8/3:
    // t = 1: η/√0.01 = 10η; t = 50: 0.99^50 = 0.605006, η/√0.394994 = 1.5911η;
    // t = 300: 0.99^300 = 0.049041, η/√0.950959 = 1.0255η.
    let eta = 0.1;
    let d = run("3x", &[("x", 0.0)], eta, 300, Optimizer::rms_prop());
    let step = |t: usize| (d.path[t - 1][0] - d.path[t][0]) / eta;
    for (t, want) in [(1, 10.0), (50, 1.591_127), (300, 1.025_461)] {
        assert!((step(t) - want).abs() < 1e-5, "t = {t}: {}", step(t));
    }
}

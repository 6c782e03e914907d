//! Gradient descent paths, worked by hand with PyTorch's update rules.

use calculus::{descend, parse, Descent, DescentOptions, Optimizer};

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
fn divergence_stops_before_the_first_non_finite_point() {
    // f = x⁴ from 10 with lr = 1: x ← x − 4x³ gives 10, −3990, ≈2.5e11, ≈−6.5e34, then
    // ≈1.1e105, which is finite but whose loss (1.1e105)⁴ ≈ 1.5e420 overflows: four points.
    let d = run("x^4", &[("x", 10.0)], 1.0, 100, Optimizer::Gd);
    assert!(d.diverged);
    assert_eq!(d.path.len(), 4);
    assert_eq!(d.loss.len(), 4);
    assert_eq!(d.path[1], [-3990.0]);
    assert!(d.path.iter().flatten().all(|x| x.is_finite()));
    assert!(d.loss.iter().all(|l| l.is_finite()));
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

//! The optimizers' first two steps on f(w) = w² (∇f = 2w), worked by hand from the update
//! rules in PyTorch's documentation for `SGD`, `RMSprop` and `Adam`.

use calculus::optim::{Optimizer, Stepper};

/// Two steps from w = 1 with learning rate `lr`, the gradient taken at the current w.
fn two_steps(optimizer: Optimizer, lr: f64) -> [f64; 2] {
    let mut stepper = Stepper::new(optimizer, 1).unwrap();
    let mut w = [1.0];
    let mut out = [0.0; 2];
    for slot in &mut out {
        let g = [2.0 * w[0]];
        stepper.step(&mut w, &g, lr);
        *slot = w[0];
    }
    assert_eq!(stepper.steps_taken(), 2);
    out
}

#[test]
fn plain_descent() {
    // w ← w − lr·2w = (1 − 2·0.1)·w: 0.8, then 0.64.
    let [w1, w2] = two_steps(Optimizer::Gd, 0.1);
    assert_eq!(w1, 0.8);
    assert!((w2 - 0.64).abs() < 1e-16);
}

#[test]
fn momentum() {
    // PyTorch: b₁ = g₁ (the buffer starts as the first gradient), then bₜ = μ·bₜ₋₁ + gₜ.
    // t=1: g = 2, b = 2, w = 1 − 0.1·2 = 0.8
    // t=2: g = 1.6, b = 0.9·2 + 1.6 = 3.4, w = 0.8 − 0.34 = 0.46
    let [w1, w2] = two_steps(Optimizer::momentum(), 0.1);
    assert_eq!(w1, 0.8);
    assert!((w2 - 0.46).abs() < 1e-15, "{w2}");
}

#[test]
fn rmsprop() {
    // v = α·v + (1 − α)·g², w ← w − lr·g/(√v + ε), with α = 0.99, ε = 1e-8, lr = 0.01:
    // t=1: v = 0.01·4 = 0.04, w₁ = 1 − 0.01·2/(0.2 + ε)
    // t=2: g = 2w₁, v = 0.99·0.04 + 0.01·g², w₂ = w₁ − 0.01·g/(√v + ε)
    let eps = 1e-8;
    let w1: f64 = 1.0 - 0.02 / (0.2 + eps);
    let g = 2.0 * w1;
    let v: f64 = 0.0396 + 0.01 * g * g;
    let w2 = w1 - 0.01 * g / (v.sqrt() + eps);
    let [got1, got2] = two_steps(Optimizer::rms_prop(), 0.01);
    assert!((got1 - w1).abs() < 1e-15 && (got2 - w2).abs() < 1e-15);
    // The first step is lr/√(1 − α) = 0.1 long: w₁ ≈ 0.9.
    assert!((w1 - 0.9).abs() < 1e-7);
}

#[test]
fn adam() {
    // m = β1·m + (1 − β1)·g, v = β2·v + (1 − β2)·g², w ← w − (lr/(1 − β1ᵗ))·m/(√v/√(1 − β2ᵗ) + ε)
    // t=1: m = 0.2, v = 0.004, √(0.004)/√(0.001) = 2: w₁ = 1 − (0.1/0.1)·0.2/(2 + ε)
    // t=2: g = 2w₁, m = 0.18 + 0.1·g, v = 0.003996 + 0.001·g², 1 − β1² = 0.19,
    //      1 − β2² = 0.001999
    let eps = 1e-8;
    let w1: f64 = 1.0 - 0.2 / (2.0 + eps);
    let g = 2.0 * w1;
    let m = 0.18 + 0.1 * g;
    let v: f64 = 0.003996 + 0.001 * g * g;
    let w2 = w1 - (0.1 / 0.19) * m / (v.sqrt() / 0.001999f64.sqrt() + eps);
    let [got1, got2] = two_steps(Optimizer::adam(), 0.1);
    assert!((got1 - w1).abs() < 1e-12, "{got1} vs {w1}");
    assert!((got2 - w2).abs() < 1e-12, "{got2} vs {w2}");
    // Adam's early steps are about lr long whatever the gradient's size.
    assert!((w1 - 0.9).abs() < 1e-8 && (w2 - 0.8004).abs() < 1e-3);
}

#[test]
fn each_parameter_keeps_its_own_state() {
    // Two independent copies of w² from 1 and from −1 move as mirror images.
    let mut stepper = Stepper::new(Optimizer::adam(), 2).unwrap();
    let mut p = [1.0, -1.0];
    for _ in 0..5 {
        let g = [2.0 * p[0], 2.0 * p[1]];
        stepper.step(&mut p, &g, 0.1);
    }
    assert_eq!(p[0], -p[1]);
}

#[test]
fn the_old_paths_still_name_the_optimizer() {
    assert_eq!(
        calculus::Optimizer::adam(),
        calculus::descent::Optimizer::adam()
    );
    assert_eq!(calculus::optim::Optimizer::default().name(), "gd");
}

//! The update rules of PyTorch's optimizers — `SGD` (plain and with momentum), `RMSprop` and
//! `Adam` — stepping a slice of parameters, with the state each rule keeps between steps.
//!
//! Nothing here knows about expressions: a [`Stepper`] reads gradients and moves numbers, so
//! descent on a typed formula ([`crate::descent`]) and a network's weights share one copy of
//! the rules, written as PyTorch's documentation writes them.
//!
//! ```
//! use calculus::optim::{Optimizer, Stepper};
//!
//! // f(w) = w², ∇f = 2w. Plain descent with lr = 0.1 multiplies w by 1 − 0.2 = 0.8.
//! let mut stepper = Stepper::new(Optimizer::Gd, 1)?;
//! let mut w = [10.0];
//! let gradient = [2.0 * w[0]];
//! stepper.step(&mut w, &gradient, 0.1);
//! assert_eq!(w, [8.0]);
//! assert_eq!(stepper.steps_taken(), 1);
//! # Ok::<(), calculus::Error>(())
//! ```

use crate::error::{check, Error};

/// How a step is taken from the gradient.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Optimizer {
    /// p ← p − lr·g
    #[default]
    Gd,
    /// v ← μ·v + g (v = g on the first step); p ← p − lr·v. The book calls v the velocity
    /// (PyTorch's momentum buffer, its b_t: the book keeps b for the bias).
    Momentum { momentum: f64 },
    /// s ← α·s + (1−α)·g²; p ← p − lr·g/(√s + ε)
    RmsProp { alpha: f64, epsilon: f64 },
    /// m ← β1·m + (1−β1)·g; s ← β2·s + (1−β2)·g²; p ← p − (lr/(1−β1ᵗ))·m/(√s/√(1−β2ᵗ) + ε)
    Adam {
        beta1: f64,
        beta2: f64,
        epsilon: f64,
    },
}

impl Optimizer {
    /// Momentum with PyTorch's customary μ = 0.9.
    pub fn momentum() -> Optimizer {
        Optimizer::Momentum { momentum: 0.9 }
    }

    /// RMSprop with PyTorch's defaults α = 0.99, ε = 1e-8.
    pub fn rms_prop() -> Optimizer {
        Optimizer::RmsProp {
            alpha: 0.99,
            epsilon: 1e-8,
        }
    }

    /// Adam with PyTorch's defaults β = (0.9, 0.999), ε = 1e-8.
    pub fn adam() -> Optimizer {
        Optimizer::Adam {
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
        }
    }

    /// The optimizer [`Optimizer::name`] calls `name`, with PyTorch's defaults.
    pub fn named(name: &str) -> Option<Optimizer> {
        match name {
            "gd" => Some(Optimizer::Gd),
            "momentum" => Some(Optimizer::momentum()),
            "rmsprop" => Some(Optimizer::rms_prop()),
            "adam" => Some(Optimizer::adam()),
            _ => None,
        }
    }

    /// `gd`, `momentum`, `rmsprop` or `adam`.
    pub fn name(&self) -> &'static str {
        match self {
            Optimizer::Gd => "gd",
            Optimizer::Momentum { .. } => "momentum",
            Optimizer::RmsProp { .. } => "rmsprop",
            Optimizer::Adam { .. } => "adam",
        }
    }

    /// Whether each hyperparameter is in its range (what a run checks first), so that a
    /// setting can be refused where it is made.
    pub fn validate(&self) -> Result<(), Error> {
        let fraction = |option, value: f64| check(option, (0.0..1.0).contains(&value), "in [0, 1)");
        let epsilon = |value: f64| {
            check(
                "epsilon",
                value.is_finite() && value > 0.0,
                "a positive finite number",
            )
        };
        match *self {
            Optimizer::Gd => Ok(()),
            Optimizer::Momentum { momentum } => fraction("momentum", momentum),
            Optimizer::RmsProp {
                alpha,
                epsilon: eps,
            } => {
                fraction("alpha", alpha)?;
                epsilon(eps)
            }
            Optimizer::Adam {
                beta1,
                beta2,
                epsilon: eps,
            } => {
                fraction("beta1", beta1)?;
                fraction("beta2", beta2)?;
                epsilon(eps)
            }
        }
    }
}

/// An optimizer with its state for one set of parameters: PyTorch's `optimizer.step()`.
///
/// `velocity` is momentum's velocity v (PyTorch's momentum buffer) or Adam's first moment m;
/// `square` is the running mean of g² (RMSprop) or Adam's second moment, s in the book. Both
/// start at 0, as PyTorch's do, and gd reads neither.
#[derive(Debug, Clone, PartialEq)]
pub struct Stepper {
    optimizer: Optimizer,
    velocity: Vec<f64>,
    square: Vec<f64>,
    /// Steps taken so far: Adam's bias corrections and momentum's first step depend on it.
    t: usize,
}

impl Stepper {
    /// A fresh state for `parameters` numbers; an out-of-range hyperparameter is an error
    /// (see [`Optimizer::validate`]).
    pub fn new(optimizer: Optimizer, parameters: usize) -> Result<Stepper, Error> {
        optimizer.validate()?;
        Ok(Stepper {
            optimizer,
            velocity: vec![0.0; parameters],
            square: vec![0.0; parameters],
            t: 0,
        })
    }

    pub fn optimizer(&self) -> Optimizer {
        self.optimizer
    }

    /// New hyperparameters for the same rule, keeping its state, as changing a PyTorch
    /// param_group's `momentum` or `betas` between steps does. Another rule is refused: its
    /// state would mean something else.
    pub fn retune(&mut self, optimizer: Optimizer) -> Result<(), Error> {
        check(
            "optimizer",
            optimizer.name() == self.optimizer.name(),
            "the rule this state belongs to (start a new Stepper for another)",
        )?;
        optimizer.validate()?;
        self.optimizer = optimizer;
        Ok(())
    }

    /// How many times [`step`](Self::step) has run.
    pub fn steps_taken(&self) -> usize {
        self.t
    }

    /// Moves every parameter by its rule, given the gradient at the current parameters.
    ///
    /// Parameters, gradients and state are paired index by index; entries beyond the
    /// shortest are left alone. A learning rate that is not a positive finite number gives
    /// parameters that are not finite, never a panic (descent refuses one before it starts).
    pub fn step(&mut self, params: &mut [f64], grads: &[f64], learning_rate: f64) {
        self.t = self.t.saturating_add(1);
        let (t, lr) = (self.t, learning_rate);
        // Past i32::MAX steps, βᵗ is 0 to every digit: the bias corrections are 1.
        let t_power = i32::try_from(t).unwrap_or(i32::MAX);
        let state = self.velocity.iter_mut().zip(self.square.iter_mut());
        for ((p, &g), (vel, sq)) in params.iter_mut().zip(grads).zip(state) {
            match self.optimizer {
                Optimizer::Gd => *p -= lr * g,
                Optimizer::Momentum { momentum } => {
                    *vel = if t == 1 { g } else { momentum * *vel + g };
                    *p -= lr * *vel;
                }
                Optimizer::RmsProp { alpha, epsilon } => {
                    *sq = alpha * *sq + (1.0 - alpha) * g * g;
                    *p -= lr * g / (sq.sqrt() + epsilon);
                }
                Optimizer::Adam {
                    beta1,
                    beta2,
                    epsilon,
                } => {
                    *vel = beta1 * *vel + (1.0 - beta1) * g;
                    *sq = beta2 * *sq + (1.0 - beta2) * g * g;
                    let bias_correction1 = 1.0 - beta1.powi(t_power);
                    let bias_correction2 = 1.0 - beta2.powi(t_power);
                    let denom = sq.sqrt() / bias_correction2.sqrt() + epsilon;
                    *p -= (lr / bias_correction1) * *vel / denom;
                }
            }
        }
    }
}

/// Scales `gradient` in place so that its 2-norm is at most `max_norm`, as
/// `torch.nn.utils.clip_grad_norm_` does: by max_norm/(‖g‖ + 1e-6) when that factor is
/// below 1 (the 1e-6 keeps a zero gradient from dividing by zero, and leaves a clipped norm a
/// hair under `max_norm`). Returns ‖g‖ before clipping and whether it scaled.
///
/// ```
/// use calculus::optim::clip_grad_norm;
///
/// let mut g = [30.0, 40.0]; // ‖g‖ = 50
/// let (norm, clipped) = clip_grad_norm(&mut g, 5.0);
/// assert_eq!((norm, clipped), (50.0, true));
/// assert!((g[0].hypot(g[1]) - 5.0).abs() < 1e-6);
/// ```
pub fn clip_grad_norm(gradient: &mut [f64], max_norm: f64) -> (f64, bool) {
    let norm = gradient.iter().map(|g| g * g).sum::<f64>().sqrt();
    let scale = max_norm / (norm + 1e-6);
    let clipped = scale < 1.0;
    if clipped {
        gradient.iter_mut().for_each(|g| *g *= scale);
    }
    (norm, clipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_hyperparameters_are_refused_before_any_step() {
        let err = Stepper::new(Optimizer::Momentum { momentum: 1.0 }, 1).unwrap_err();
        assert_eq!(err.to_string(), "momentum must be in [0, 1)");
        assert!(Stepper::new(Optimizer::adam(), 0).is_ok());
    }

    #[test]
    fn clipping_leaves_a_short_gradient_alone_and_caps_a_long_one() {
        let mut short = [0.3, 0.4];
        assert_eq!(clip_grad_norm(&mut short, 1.0), (0.5, false));
        assert_eq!(short, [0.3, 0.4]);
        let mut long = [300.0, -400.0];
        assert_eq!(clip_grad_norm(&mut long, 1.0), (500.0, true));
        // The direction is kept; the length is 1·500/(500 + 1e-6), a hair under 1.
        assert!((long[0] / long[1] + 0.75).abs() < 1e-15);
        let length = long[0].hypot(long[1]);
        assert!(length < 1.0 && length > 1.0 - 1e-8);
        let mut zero = [0.0, 0.0];
        assert_eq!(clip_grad_norm(&mut zero, 1.0), (0.0, false));
    }

    #[test]
    fn mismatched_lengths_step_the_common_prefix() {
        let mut s = Stepper::new(Optimizer::Gd, 1).unwrap();
        let mut p = [1.0, 1.0];
        s.step(&mut p, &[1.0, 1.0], 0.5);
        assert_eq!(p, [0.5, 1.0]);
    }
}

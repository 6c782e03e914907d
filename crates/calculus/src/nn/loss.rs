//! The two losses, each the mean over every output of every sample, as PyTorch computes them,
//! with the gradient dL/dŷ beside the value.
//!
//! ```text
//! mse: L = (1/N) Σ (ŷ − y)²                                dL/dŷ = 2(ŷ − y)/N
//! bce: L = (1/N) Σ max(ŷ, 0) − ŷ·y + ln(1 + e^−|ŷ|)        dL/dŷ = (σ(ŷ) − y)/N
//! ```
//! N = samples × outputs. bce is `BCEWithLogitsLoss`: it takes the raw output ŷ (a logit),
//! and its form never exponentiates a large positive number, so no ŷ overflows it.

use crate::error::{lookup, Error};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Loss {
    /// torch.nn.MSELoss()
    #[default]
    Mse,
    /// torch.nn.BCEWithLogitsLoss(), targets in [0, 1]
    Bce,
}

impl Loss {
    pub fn name(self) -> &'static str {
        match self {
            Loss::Mse => "mse",
            Loss::Bce => "bce",
        }
    }

    pub fn named(name: &str) -> Result<Loss, Error> {
        lookup(
            &[Loss::Mse, Loss::Bce],
            Loss::name,
            name,
            "loss",
            "mse or bce",
        )
    }

    /// The targets this loss accepts: bce's are probabilities.
    pub(crate) fn check_targets(self, targets: &[f64]) -> Result<(), Error> {
        if self == Loss::Bce {
            if let Some(index) = targets.iter().position(|y| !(0.0..=1.0).contains(y)) {
                return Err(Error::InvalidOption {
                    option: "every target",
                    requirement: if targets[index].is_finite() {
                        "in [0, 1] for the bce loss (0 or 1 for a class)"
                    } else {
                        "a finite number"
                    },
                });
            }
        }
        Ok(())
    }

    /// The mean loss of `outputs` against `targets`, and dL/dŷ written into `grad`.
    pub(crate) fn forward_backward(
        self,
        outputs: &[f64],
        targets: &[f64],
        grad: &mut [f64],
    ) -> f64 {
        let n = outputs.len() as f64;
        let mut total = 0.0;
        for ((&o, &y), g) in outputs.iter().zip(targets).zip(grad.iter_mut()) {
            match self {
                Loss::Mse => {
                    let d = o - y;
                    total += d * d;
                    *g = 2.0 * d / n;
                }
                Loss::Bce => {
                    let e = (-o.abs()).exp();
                    total += o.max(0.0) - o * y + e.ln_1p();
                    // σ(o) from the same e^−|o|: 1/(1 + e) for o ≥ 0, e/(1 + e) below.
                    let sigma = if o >= 0.0 {
                        1.0 / (1.0 + e)
                    } else {
                        e / (1.0 + e)
                    };
                    *g = (sigma - y) / n;
                }
            }
        }
        total / n
    }
}

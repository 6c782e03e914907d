//! Starting weights: each drawn from N(0, σ²) with σ set by the layer's fan-in and fan-out,
//! as PyTorch's `nn.init` draws them; biases start at 0.
//!
//! ```text
//! he      σ = √(2 / fan_in)                kaiming_normal_ (ReLU's gain √2, fan_in mode)
//! xavier  σ = √(2 / (fan_in + fan_out))    xavier_normal_
//! normal  σ = std
//! zeros   every weight 0
//! ```

use crate::error::{check, Error};

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Init {
    #[default]
    He,
    Xavier,
    Normal {
        std: f64,
    },
    Zeros,
}

impl Init {
    /// The init `name` calls; `std` is read by `normal` alone, and is 1 when not given, as
    /// in `torch.nn.init.normal_`.
    pub fn named(name: &str, std: Option<f64>) -> Result<Init, Error> {
        let init = match name {
            "he" => Init::He,
            "xavier" => Init::Xavier,
            "zeros" => Init::Zeros,
            "normal" => Init::Normal {
                std: std.unwrap_or(1.0),
            },
            _ => {
                return Err(Error::UnknownName {
                    what: "init",
                    name: name.to_string(),
                    allowed: "he, xavier, normal or zeros",
                })
            }
        };
        init.validate()?;
        Ok(init)
    }

    pub fn name(self) -> &'static str {
        match self {
            Init::He => "he",
            Init::Xavier => "xavier",
            Init::Normal { .. } => "normal",
            Init::Zeros => "zeros",
        }
    }

    pub(crate) fn validate(self) -> Result<(), Error> {
        match self {
            Init::Normal { std } => {
                check("std", std.is_finite() && std >= 0.0, "a finite number ≥ 0")
            }
            _ => Ok(()),
        }
    }

    /// The standard deviation of a layer's weights.
    pub fn std(self, fan_in: usize, fan_out: usize) -> f64 {
        match self {
            Init::He => (2.0 / fan_in as f64).sqrt(),
            Init::Xavier => (2.0 / (fan_in + fan_out) as f64).sqrt(),
            Init::Normal { std } => std,
            Init::Zeros => 0.0,
        }
    }
}

//! Optimizers and descent: the options of `descend` and of a racer in, a run out.

use calculus::{Descent, DescentOptions, Optimizer};
use wasm_bindgen::{JsError, JsValue};

use super::build::{number_array, plain_array, plain_object};
use super::read::{object, Properties};

/// Every key of `DescendOptions` and of a racer's options: one struct, so that one reader
/// serves both (each takes the keys it knows).
pub(super) struct OptionsIn {
    start: Option<Vec<(String, f64)>>,
    pub(super) learning_rate: Option<f64>,
    iterations: Option<f64>,
    /// Read by `descend` too, which ignores it but refuses a value that is not a boolean.
    #[cfg_attr(not(feature = "race"), allow(dead_code))]
    enabled: Option<bool>,
    pub(super) optimizer: Option<String>,
    momentum: Option<f64>,
    alpha: Option<f64>,
    beta1: Option<f64>,
    beta2: Option<f64>,
    epsilon: Option<f64>,
    /// A network step's own keys, read here so that one reader serves its optimizer too.
    #[cfg(feature = "network")]
    pub(super) loss: Option<String>,
    #[cfg(feature = "network")]
    pub(super) clip: Option<f64>,
}

/// The options object `options` (`what` names it in errors), every key read in the order
/// above, so the first bad one is the one named.
pub(super) fn options_in(options: &JsValue, what: &str) -> Result<OptionsIn, JsError> {
    object(options, what)?;
    let p = Properties {
        object: options,
        what,
    };
    Ok(OptionsIn {
        start: p.variables("start")?,
        learning_rate: p.number("learningRate")?,
        iterations: p.number("iterations")?,
        enabled: p.boolean("enabled")?,
        optimizer: p.string("optimizer")?,
        momentum: p.number("momentum")?,
        alpha: p.number("alpha")?,
        beta1: p.number("beta1")?,
        beta2: p.number("beta2")?,
        epsilon: p.number("epsilon")?,
        #[cfg(feature = "network")]
        loss: p.string("loss")?,
        #[cfg(feature = "network")]
        clip: p.number("clip")?,
    })
}

impl OptionsIn {
    /// The optimizer `name` (`self.optimizer` when `None`, `gd` when neither), with the
    /// hyperparameters given and PyTorch's defaults elsewhere.
    pub(super) fn optimizer(&self, name: Option<&str>) -> Result<Optimizer, JsError> {
        let or = |given: Option<f64>, default: f64| given.unwrap_or(default);
        let key = name.or(self.optimizer.as_deref()).unwrap_or("gd");
        let defaults =
            Optimizer::named(if key == "sgd" { "gd" } else { key }).ok_or_else(|| {
                JsError::new(&format!(
                    "unknown optimizer '{key}': use \"gd\", \"momentum\", \"rmsprop\" or \"adam\""
                ))
            })?;
        Ok(match defaults {
            Optimizer::Gd => Optimizer::Gd,
            Optimizer::Momentum { momentum } => Optimizer::Momentum {
                momentum: or(self.momentum, momentum),
            },
            Optimizer::RmsProp { alpha, epsilon } => Optimizer::RmsProp {
                alpha: or(self.alpha, alpha),
                epsilon: or(self.epsilon, epsilon),
            },
            Optimizer::Adam {
                beta1,
                beta2,
                epsilon,
            } => Optimizer::Adam {
                beta1: or(self.beta1, beta1),
                beta2: or(self.beta2, beta2),
                epsilon: or(self.epsilon, epsilon),
            },
        })
    }
}

/// `DescendOptions` (see lib.rs's TypeScript section) as the engine's [`DescentOptions`].
pub fn descent_options(options: &JsValue) -> Result<DescentOptions, JsError> {
    let mut given = options_in(options, "descend options")?;
    let start = given
        .start
        .take()
        .ok_or_else(|| JsError::new("descend options need 'start', e.g. {w: 8, b: 9}"))?;
    let learning_rate = given
        .learning_rate
        .ok_or_else(|| JsError::new("descend options need 'learningRate', e.g. 0.1"))?;
    let iterations = given
        .iterations
        .ok_or_else(|| JsError::new("descend options need 'iterations', e.g. 30"))?;
    if !(iterations >= 0.0 && iterations.fract() == 0.0 && iterations <= 1e9) {
        return Err(JsError::new("iterations must be a whole number, 0 or more"));
    }
    Ok(DescentOptions {
        start,
        learning_rate,
        iterations: iterations as usize,
        optimizer: given.optimizer(None)?,
    })
}

/// What a racer of the optimizer race may set: `{learningRate, enabled}` and the
/// hyperparameters of its optimizer.
#[cfg(feature = "race")]
pub struct RacerOptions {
    /// The caller's optimizer, with the hyperparameters given (not validated).
    pub optimizer: Optimizer,
    /// Not checked: the race refuses a rate that is not positive and finite.
    pub learning_rate: Option<f64>,
    pub enabled: Option<bool>,
}

/// A racer's options `{learningRate?, enabled?, momentum?, alpha?, beta1?, beta2?,
/// epsilon?}` for the optimizer `name` (`gd`, `momentum`, `rmsprop`, `adam`): any
/// `optimizer` key in `options` is ignored, and `options` is not modified.
#[cfg(feature = "race")]
pub fn racer(options: &JsValue, name: &str) -> Result<RacerOptions, JsError> {
    let given = options_in(options, "racer options")?;
    Ok(RacerOptions {
        optimizer: given.optimizer(Some(name))?,
        learning_rate: given.learning_rate,
        enabled: given.enabled,
    })
}

/// A run as the JS `Descent` `{variables, path, loss, diverged}`.
pub fn descent_js(run: &Descent) -> JsValue {
    plain_object(&[
        (
            "variables",
            plain_array(run.variables.iter().map(|v| JsValue::from_str(v))),
        ),
        (
            "path",
            plain_array(run.path.iter().map(|p| number_array(p))),
        ),
        ("loss", number_array(&run.loss)),
        ("diverged", JsValue::from_bool(run.diverged)),
    ])
}

//! Networks: layer sizes, batches, network, step and dataset options in; a step's
//! measurements and a dataset's samples out.

use calculus::dataset::Samples;
use calculus::nn::{Activation, Init, Loss, Measured, NetworkOptions, StepOptions, Trace};
use wasm_bindgen::{JsError, JsValue};

use super::arrays::{float64_array, float64_input};
use super::build::{plain_array, plain_object};
use super::descent::options_in;
use super::read::{object, Properties};

/// `value` (a `Float64Array` or an array of numbers) copied into `into`, which is reused
/// from call to call; anything else is refused with `what` named. An entry that is not a
/// number becomes NaN, which the engine then names by its index.
pub fn numbers(value: &JsValue, what: &str, into: &mut Vec<f64>) -> Result<(), JsError> {
    let array = float64_input(value, what)?;
    into.resize(array.length() as usize, 0.0);
    array.copy_to(into);
    Ok(())
}

/// Layer sizes `[inputs, hidden…, outputs]`: whole numbers ≥ 1 (the engine checks how many
/// there are and how large the network grows).
pub fn sizes(value: &JsValue) -> Result<Vec<usize>, JsError> {
    let mut given = Vec::new();
    numbers(value, "sizes", &mut given)?;
    given
        .iter()
        .map(|&s| {
            if s >= 1.0 && s.fract() == 0.0 {
                // Past usize::MAX the cast saturates, and the engine refuses the size.
                Ok(s as usize)
            } else {
                Err(JsError::new(&format!(
                    "sizes must be whole numbers ≥ 1, but one is {}",
                    calculus::digits::Shortest(s)
                )))
            }
        })
        .collect()
}

/// A whole number in [0, 2⁵³], or `default` when not given.
fn whole(given: Option<f64>, what: &str, default: u64) -> Result<u64, JsError> {
    match given {
        None => Ok(default),
        Some(v) if v >= 0.0 && v.fract() == 0.0 && v <= 9_007_199_254_740_992.0 => Ok(v as u64),
        Some(v) => Err(JsError::new(&format!(
            "{what} must be a whole number ≥ 0, got {}",
            calculus::digits::Shortest(v)
        ))),
    }
}

/// The properties of an optional options object: `None` for `undefined` and `null`.
fn optional<'a>(value: &'a JsValue, what: &'a str) -> Result<Option<Properties<'a>>, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    object(value, what)?;
    Ok(Some(Properties {
        object: value,
        what,
    }))
}

/// `{activation?, init?, std?, seed?}`: tanh, he and seed 1 where not given.
pub fn network_options(value: &JsValue) -> Result<NetworkOptions, JsError> {
    let defaults = NetworkOptions::default();
    let Some(p) = optional(value, "network options")? else {
        return Ok(defaults);
    };
    let activation = p.string("activation")?;
    let init = p.string("init")?;
    let std = p.number("std")?;
    let seed = p.number("seed")?;
    Ok(NetworkOptions {
        activation: match activation {
            Some(name) => Activation::named(&name)?,
            None => defaults.activation,
        },
        init: match init {
            Some(name) => Init::named(&name, std)?,
            None => defaults.init,
        },
        seed: whole(seed, "seed", defaults.seed)?,
    })
}

/// The optimizer names a network step takes (PyTorch's: `sgd` is plain descent).
const OPTIMIZERS: [&str; 4] = ["sgd", "momentum", "rmsprop", "adam"];

/// `step`'s `{learningRate, optimizer?, loss?, clip?, momentum?, alpha?, beta1?, beta2?,
/// epsilon?}`; or, `with_rate` false, `gradients`' optional `{loss?}`.
pub fn step_options(value: &JsValue, with_rate: bool) -> Result<StepOptions, JsError> {
    if !with_rate {
        let loss = match optional(value, "gradients options")? {
            Some(p) => p.string("loss")?,
            None => None,
        };
        return Ok(StepOptions {
            loss: loss_named(loss)?,
            ..StepOptions::new(1.0)
        });
    }
    let given = options_in(value, "step options")?;
    let name = given.optimizer.as_deref().unwrap_or("sgd");
    if !OPTIMIZERS.contains(&name) {
        return Err(JsError::new(&format!(
            "unknown optimizer '{name}': use \"sgd\", \"momentum\", \"rmsprop\" or \"adam\""
        )));
    }
    let learning_rate = given
        .learning_rate
        .ok_or_else(|| JsError::new("step options need 'learningRate', e.g. 0.03"))?;
    Ok(StepOptions {
        learning_rate,
        optimizer: given.optimizer(Some(if name == "sgd" { "gd" } else { name }))?,
        loss: loss_named(given.loss)?,
        clip: given.clip,
    })
}

fn loss_named(name: Option<String>) -> Result<Loss, JsError> {
    Ok(match name {
        Some(name) => Loss::named(&name)?,
        None => Loss::Mse,
    })
}

/// `{count?, noise?, seed?}` for `dataset`: 500 points, no noise, seed 1 when not given.
pub fn dataset_options(value: &JsValue) -> Result<(usize, f64, u64), JsError> {
    let (count, noise, seed) = match optional(value, "dataset options")? {
        Some(p) => (p.number("count")?, p.number("noise")?, p.number("seed")?),
        None => (None, None, None),
    };
    let count = whole(count, "count", 500)?;
    Ok((
        usize::try_from(count).unwrap_or(usize::MAX),
        noise.unwrap_or(0.0),
        whole(seed, "seed", 1)?,
    ))
}

/// `step`'s `{loss, gradNorm, clipped, layerNorms}`, or, given the gradient, `gradients`'
/// `{loss, gradients, layerNorms}`.
pub fn step_js(m: &Measured, gradient: Option<&[f64]>) -> JsValue {
    let loss = ("loss", JsValue::from_f64(m.loss));
    let norms = ("layerNorms", float64_array(&m.layer_norms).into());
    match gradient {
        Some(g) => plain_object(&[loss, ("gradients", float64_array(g).into()), norms]),
        None => plain_object(&[
            loss,
            ("gradNorm", JsValue::from_f64(m.grad_norm)),
            ("clipped", JsValue::from_bool(m.clipped)),
            norms,
        ]),
    }
}

/// `{inputs, labels}`, two `Float64Array`s.
pub fn samples_js(samples: &Samples) -> JsValue {
    plain_object(&[
        ("inputs", float64_array(&samples.inputs).into()),
        ("labels", float64_array(&samples.labels).into()),
    ])
}

/// `{loss, layers: [{z, a, gradA, gradZ, slope, gradWeights, gradBiases}]}`, Float64Arrays.
pub fn trace_js(trace: &Trace) -> JsValue {
    let layers = trace.layers.iter().map(|l| {
        plain_object(&[
            ("z", float64_array(&l.z).into()),
            ("a", float64_array(&l.a).into()),
            ("gradA", float64_array(&l.grad_a).into()),
            ("gradZ", float64_array(&l.grad_z).into()),
            ("slope", float64_array(&l.slope).into()),
            ("gradWeights", float64_array(&l.grad_weights).into()),
            ("gradBiases", float64_array(&l.grad_biases).into()),
        ])
    });
    plain_object(&[
        ("loss", JsValue::from_f64(trace.loss)),
        ("layers", plain_array(layers)),
    ])
}

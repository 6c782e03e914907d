//! Crossing the JS boundary: the one place where JS values are read or built.
//!
//! Values go in and out through serde: the wire types below mirror the JS shapes documented
//! in lib.rs's TypeScript section and convert to and from the engine's types, and [`to_js`] /
//! [`from_js`] carry them over with the small serde data format at the end of this file.
//! Plain objects and arrays in, plain objects and arrays out (never `Map`s); every failure is
//! a JS `Error` that names what was wrong ("descend options: learningRate: invalid type: the
//! string "0.1", expected a number"). Chart code calls the functions here and never names
//! `js_sys`.

use std::fmt;

use calculus::{Descent, DescentOptions, Graph, Optimizer};
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use wasm_bindgen::{JsError, JsValue};

/// Typed arrays cross as `Float64Array`, built by [`float64_array`].
pub use js_sys::Float64Array;

pub fn js_error(e: impl fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

// ---------------------------------------------------------------------------------------------
// Generic conversions

/// `value` as JS: structs and maps become plain objects (in field or insertion order),
/// sequences and tuples arrays, `None` and `()` `undefined`, every number a JS number.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(format::Ser).map_err(js_error)
}

/// A JS value read as `T`; a failure reads "`what`: invalid type: …, expected …".
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsError> {
    T::deserialize(format::De(value)).map_err(|e| JsError::new(&format!("{what}: {e}")))
}

/// A finite number, or an error naming `what` and what it got.
pub fn finite(value: Option<f64>, what: &str) -> Result<f64, JsError> {
    match value {
        Some(v) if v.is_finite() => Ok(v),
        Some(v) => Err(JsError::new(&format!(
            "{what} must be a finite number, got {v}"
        ))),
        None => Err(JsError::new(&format!("{what} must be a number"))),
    }
}

/// Refuses anything but a non-array object, with the message every options argument uses.
fn object(value: &JsValue, what: &str) -> Result<(), JsError> {
    if value.is_object() && !js_sys::Array::is_array(value) {
        Ok(())
    } else {
        Err(JsError::new(&format!(
            "{what} must be an object like {{x: 1}}"
        )))
    }
}

/// An optional JS number: `null` and `undefined` are `None`, and any number, NaN included,
/// is `Some` (ranges are the engine's to check). Its error says "expected a number" where
/// `f64`'s would say "expected f64".
#[derive(Clone, Copy, Default)]
struct Number(Option<f64>);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Number, D::Error> {
        struct NumberVisitor;
        impl Visitor<'_> for NumberVisitor {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                Ok(Number(Some(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Number, E> {
                Ok(Number(None))
            }
        }
        d.deserialize_f64(NumberVisitor)
    }
}

// ---------------------------------------------------------------------------------------------
// Variables: `{name: number}`, in key order

/// `{x: 1, y: 2}` as `[("x", 1), ("y", 2)]`, in the object's key order. Every value must be
/// a finite number: a point with a NaN or infinite coordinate is a mistake upstream, better
/// named here than returned as a NaN far from its cause.
struct Variables(Vec<(String, f64)>);

impl<'de> Deserialize<'de> for Variables {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Variables, D::Error> {
        struct VariablesVisitor;
        impl<'de> Visitor<'de> for VariablesVisitor {
            type Value = Variables;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object like {x: 1}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Variables, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value_seed(Value(&key))?;
                    out.push((key, value));
                }
                Ok(Variables(out))
            }
        }
        d.deserialize_map(VariablesVisitor)
    }
}

/// The value of the variable named `.0`: a finite number.
struct Value<'k>(&'k str);

impl<'de> DeserializeSeed<'de> for Value<'_> {
    type Value = f64;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<f64, D::Error> {
        d.deserialize_f64(self)
    }
}

impl Visitor<'_> for Value<'_> {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a number as the value of '{}'", self.0)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        if v.is_finite() {
            Ok(v)
        } else {
            Err(E::custom(format_args!(
                "the value of '{}' must be a finite number, got {v}",
                self.0
            )))
        }
    }
}

/// `{name: number}` as pairs in key order (`what` names the argument in errors:
/// "point: the value of 'w' must be a finite number, got NaN").
pub fn variables(value: &JsValue, what: &str) -> Result<Vec<(String, f64)>, JsError> {
    object(value, what)?;
    Ok(from_js::<Variables>(value.clone(), what)?.0)
}

/// Pairs as a plain object `{name: number}`, keys in the pairs' order.
struct VariablesOut<'a>(&'a [(String, f64)]);

impl Serialize for VariablesOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// `[("b", 4), ("w", 2)]` as `{b: 4, w: 2}`.
pub fn variables_js(pairs: &[(String, f64)]) -> Result<JsValue, JsError> {
    to_js(&VariablesOut(pairs))
}

// ---------------------------------------------------------------------------------------------
// Optimizers and descent

/// Every key of `DescendOptions` and of a racer's options: one struct, so that one reader
/// serves both (each takes the keys it knows).
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct OptionsIn {
    start: Option<Variables>,
    learning_rate: Number,
    iterations: Number,
    enabled: Option<bool>,
    optimizer: Option<String>,
    momentum: Number,
    alpha: Number,
    beta1: Number,
    beta2: Number,
    epsilon: Number,
    // A network step's: here so that one reader serves its optimizer keys too.
    #[cfg(feature = "network")]
    loss: Option<String>,
    #[cfg(feature = "network")]
    clip: Number,
}

fn options_in(options: &JsValue, what: &str) -> Result<OptionsIn, JsError> {
    object(options, what)?;
    from_js(options.clone(), what)
}

impl OptionsIn {
    /// The optimizer `name` (`self.optimizer` when `None`, `gd` when neither), with the
    /// hyperparameters given and PyTorch's defaults elsewhere.
    fn optimizer(&self, name: Option<&str>) -> Result<Optimizer, JsError> {
        let or = |given: Number, default: f64| given.0.unwrap_or(default);
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
    let Variables(start) = given
        .start
        .take()
        .ok_or_else(|| JsError::new("descend options need 'start', e.g. {w: 8, b: 9}"))?;
    let learning_rate = given
        .learning_rate
        .0
        .ok_or_else(|| JsError::new("descend options need 'learningRate', e.g. 0.1"))?;
    let iterations = given
        .iterations
        .0
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
#[cfg(feature = "descent")]
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
#[cfg(feature = "descent")]
pub fn racer(options: &JsValue, name: &str) -> Result<RacerOptions, JsError> {
    let given = options_in(options, "racer options")?;
    Ok(RacerOptions {
        optimizer: given.optimizer(Some(name))?,
        learning_rate: given.learning_rate.0,
        enabled: given.enabled,
    })
}

/// The JS `Descent`: the run without its gradients.
#[derive(Serialize)]
struct DescentOut<'a> {
    variables: &'a [String],
    path: &'a [Vec<f64>],
    loss: &'a [f64],
    diverged: bool,
}

/// A run as the JS `Descent` `{variables, path, loss, diverged}`.
pub fn descent_js(run: &Descent) -> Result<JsValue, JsError> {
    to_js(&DescentOut {
        variables: &run.variables,
        path: &run.path,
        loss: &run.loss,
        diverged: run.diverged,
    })
}

// ---------------------------------------------------------------------------------------------
// Backprop

#[derive(Serialize)]
struct BackpropOut<'a> {
    value: f64,
    gradients: VariablesOut<'a>,
    nodes: Vec<NodeOut<'a>>,
}

#[derive(Serialize)]
struct NodeOut<'a> {
    id: u32,
    op: &'static str,
    label: String,
    inputs: Inputs<'a>,
    value: f64,
    grad: f64,
}

/// Node indices as an array of numbers (`u32`, which always fits a JS number).
struct Inputs<'a>(&'a [usize]);

impl Serialize for Inputs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|&i| i as u32))
    }
}

/// The JS `Backprop` of a graph after a forward and a backward pass: `value`, `gradients`
/// (`grads[k]` for `graph.variables()[k]`), and every node in topological order.
pub fn backprop_js(graph: &Graph, value: f64, grads: &[f64]) -> Result<JsValue, JsError> {
    let gradients: Vec<(String, f64)> = graph
        .variables()
        .iter()
        .cloned()
        .zip(grads.iter().copied())
        .collect();
    let nodes = graph
        .nodes()
        .iter()
        .enumerate()
        .map(|(id, node)| NodeOut {
            id: id as u32,
            op: node.op.name(),
            label: graph.label(id),
            inputs: Inputs(node.args()),
            value: node.value,
            grad: node.grad,
        })
        .collect();
    to_js(&BackpropOut {
        value,
        gradients: VariablesOut(&gradients),
        nodes,
    })
}

// ---------------------------------------------------------------------------------------------
// For the charts

/// A new `Float64Array` holding `values`. Allocating it and copying in with `set` is several
/// times faster than wasm-bindgen's `Vec<f64>` return, which `slice()`s a view of wasm
/// memory (0.4 ms for 100,000 numbers here, more than the whole derivative computation).
pub fn float64_array(values: &[f64]) -> Float64Array {
    let array = Float64Array::new_with_length(values.len() as u32);
    array.copy_from(values);
    array
}

/// A plain JS array of numbers (for `setLineDash`).
pub fn number_array(values: &[f64]) -> JsValue {
    values
        .iter()
        .map(|&v| JsValue::from_f64(v))
        .collect::<js_sys::Array>()
        .into()
}

// ---------------------------------------------------------------------------------------------
// Networks

#[cfg(feature = "network")]
pub use network::{
    dataset_options, measured_js, network_options, numbers, samples_js, sizes, step_options,
};

#[cfg(feature = "network")]
mod network {
    use calculus::dataset::Samples;
    use calculus::nn::{Activation, Init, Loss, Measured, NetworkOptions, StepOptions};
    use js_sys::{Array, Object, Reflect};
    use serde::Deserialize;
    use wasm_bindgen::{JsCast, JsError, JsValue};

    use super::format::with_key;
    use super::{float64_array, from_js, object, options_in, Float64Array, Number};

    /// `value` (a `Float64Array` or an array of numbers) copied into `into`; anything else,
    /// or an entry that is not a number, is refused with `what` named.
    pub fn numbers(value: &JsValue, what: &str, into: &mut Vec<f64>) -> Result<(), JsError> {
        let array = if let Some(array) = value.dyn_ref::<Float64Array>() {
            array.clone()
        } else if Array::is_array(value) {
            // Entries that are not numbers become NaN, which the engine names by index.
            Float64Array::new(value)
        } else {
            return Err(JsError::new(&format!(
                "{what} must be a Float64Array or an array of numbers"
            )));
        };
        into.resize(array.length() as usize, 0.0);
        array.copy_to(into);
        Ok(())
    }

    /// Layer sizes `[inputs, hidden…, outputs]`: whole numbers ≥ 1 (the engine checks how
    /// many there are and how large the network grows).
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
                        "sizes must be whole numbers ≥ 1, but one is {s}"
                    )))
                }
            })
            .collect()
    }

    /// A whole number in [0, 2⁵³] from an optional JS number, or `default`.
    fn whole(given: Number, what: &str, default: u64) -> Result<u64, JsError> {
        match given.0 {
            None => Ok(default),
            Some(v) if v >= 0.0 && v.fract() == 0.0 && v <= 9_007_199_254_740_992.0 => Ok(v as u64),
            Some(v) => Err(JsError::new(&format!(
                "{what} must be a whole number ≥ 0, got {v}"
            ))),
        }
    }

    /// `value` as an options object, or `None` for `undefined`/`null`.
    fn optional_object(value: &JsValue, what: &str) -> Result<bool, JsError> {
        if value.is_undefined() || value.is_null() {
            return Ok(false);
        }
        object(value, what)?;
        Ok(true)
    }

    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct NetworkIn {
        activation: Option<String>,
        init: Option<String>,
        std: Number,
        seed: Number,
    }

    /// `{activation?, init?, std?, seed?}`: tanh, he and seed 1 where not given.
    pub fn network_options(value: &JsValue) -> Result<NetworkOptions, JsError> {
        let defaults = NetworkOptions::default();
        if !optional_object(value, "network options")? {
            return Ok(defaults);
        }
        let given: NetworkIn = from_js(value.clone(), "network options")?;
        let activation = match given.activation.as_deref() {
            Some(name) => Activation::named(name)?,
            None => defaults.activation,
        };
        let init = match given.init.as_deref() {
            Some(name) => Init::named(name, given.std.0)?,
            None => defaults.init,
        };
        Ok(NetworkOptions {
            activation,
            init,
            seed: whole(given.seed, "seed", defaults.seed)?,
        })
    }

    /// The optimizer names a network step takes (PyTorch's: `sgd` is plain descent).
    const OPTIMIZERS: [&str; 4] = ["sgd", "momentum", "rmsprop", "adam"];

    /// `{learningRate, optimizer?, loss?, clip?, momentum?, alpha?, beta1?, beta2?,
    /// epsilon?}` for `step`, or only `{loss?}` for `gradients` (`with_rate` false).
    pub fn step_options(value: &JsValue, with_rate: bool) -> Result<StepOptions, JsError> {
        let what = if with_rate {
            "step options"
        } else {
            "gradients options"
        };
        if !with_rate && !optional_object(value, what)? {
            return Ok(StepOptions::new(1.0));
        }
        let given = options_in(value, what)?;
        let loss = match given.loss.as_deref() {
            Some(name) => Loss::named(name)?,
            None => Loss::Mse,
        };
        if !with_rate {
            return Ok(StepOptions {
                loss,
                ..StepOptions::new(1.0)
            });
        }
        let name = given.optimizer.as_deref().unwrap_or("sgd");
        if !OPTIMIZERS.contains(&name) {
            return Err(JsError::new(&format!(
                "unknown optimizer '{name}': use \"sgd\", \"momentum\", \"rmsprop\" or \"adam\""
            )));
        }
        let learning_rate = given
            .learning_rate
            .0
            .ok_or_else(|| JsError::new("step options need 'learningRate', e.g. 0.03"))?;
        Ok(StepOptions {
            learning_rate,
            optimizer: given.optimizer(Some(if name == "sgd" { "gd" } else { name }))?,
            loss,
            clip: given.clip.0,
        })
    }

    /// `{count?, noise?, seed?}` for `dataset`: 500 points, no noise, seed 1 by default.
    pub fn dataset_options(value: &JsValue) -> Result<(usize, f64, u64), JsError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct DatasetIn {
            count: Number,
            noise: Number,
            seed: Number,
        }
        let given: DatasetIn = if optional_object(value, "dataset options")? {
            from_js(value.clone(), "dataset options")?
        } else {
            DatasetIn::default()
        };
        let count = whole(given.count, "count", 500)?;
        Ok((
            usize::try_from(count).unwrap_or(usize::MAX),
            given.noise.0.unwrap_or(0.0),
            whole(given.seed, "seed", 1)?,
        ))
    }

    /// A plain object with `fields` in order: faster than serde for the few numbers and
    /// typed arrays a training step returns, thousands of times a second.
    fn plain(fields: &[(&'static str, JsValue)]) -> JsValue {
        let out = Object::new();
        for (name, value) in fields {
            // Setting a data property on a fresh plain object cannot fail.
            let _ = with_key(name, |name| Reflect::set(&out, name, value));
        }
        out.into()
    }

    /// `step`'s `{loss, gradNorm, clipped, layerNorms}`, or with `gradient`, `gradients`'
    /// `{loss, gradients, layerNorms}`.
    pub fn measured_js(m: &Measured, gradient: Option<&[f64]>) -> JsValue {
        let loss = ("loss", JsValue::from_f64(m.loss));
        let norms = ("layerNorms", float64_array(&m.layer_norms).into());
        match gradient {
            Some(g) => plain(&[loss, ("gradients", float64_array(g).into()), norms]),
            None => plain(&[
                loss,
                ("gradNorm", JsValue::from_f64(m.grad_norm)),
                ("clipped", JsValue::from_bool(m.clipped)),
                norms,
            ]),
        }
    }

    /// `{inputs, labels}` as two `Float64Array`s.
    pub fn samples_js(samples: &Samples) -> JsValue {
        plain(&[
            ("inputs", float64_array(&samples.inputs).into()),
            ("labels", float64_array(&samples.labels).into()),
        ])
    }
}

// ---------------------------------------------------------------------------------------------
// The serde data format behind `to_js` and `from_js`

/// JS values as a serde data format: `undefined`/`null`, booleans, numbers, strings, arrays
/// and plain objects, nothing else (no `Map`s, no `BigInt`s, no bytes). It is this small
/// module rather than serde-wasm-bindgen because that crate's generality (its `Map` and
/// `BigInt` support, a key cache, Rust-`Debug` renderings of values in its messages) cost
/// about 12 KB of gzipped wasm in every build, more than the whole boundary before it.
mod format {
    use std::fmt;

    use js_sys::{Array, Object, Reflect};
    use serde::de::{self, DeserializeSeed, Expected, IntoDeserializer, Unexpected, Visitor};
    use serde::ser::{self, Impossible, Serialize};
    use wasm_bindgen::{JsCast, JsValue};

    /// A message for a person: what was expected and what came.
    #[derive(Debug)]
    pub struct Error(String);

    impl fmt::Display for Error {
        fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(&self.0)
        }
    }

    impl std::error::Error for Error {}

    impl de::Error for Error {
        fn custom<T: fmt::Display>(message: T) -> Error {
            Error(message.to_string())
        }

        fn invalid_type(got: Unexpected, expected: &dyn Expected) -> Error {
            Error(format!(
                "invalid type: {}, expected {expected}",
                describe(got)
            ))
        }

        fn invalid_value(got: Unexpected, expected: &dyn Expected) -> Error {
            Self::invalid_type(got, expected)
        }
    }

    /// A value named in JS terms ("the string "0.1"", "an array"), without serde's
    /// `Unexpected` display, which escapes strings and writes floats its own way.
    fn describe(got: Unexpected) -> String {
        match got {
            Unexpected::Unit => "null or undefined".to_string(),
            Unexpected::Bool(b) => format!("the boolean {b}"),
            Unexpected::Float(v) => format!("the number {v}"),
            Unexpected::Str(s) => format!("the string \"{s}\""),
            Unexpected::Seq => "an array".to_string(),
            Unexpected::Map => "an object".to_string(),
            _ => "another kind of value".to_string(),
        }
    }

    /// The error for `value` where `expected` was wanted, without a visitor's dispatch.
    fn mismatch(value: &JsValue, expected: &dyn Expected) -> Error {
        let string;
        let got = if value.is_undefined() || value.is_null() {
            Unexpected::Unit
        } else if let Some(b) = value.as_bool() {
            Unexpected::Bool(b)
        } else if let Some(v) = value.as_f64() {
            Unexpected::Float(v)
        } else if let Some(s) = value.as_string() {
            string = s;
            Unexpected::Str(&string)
        } else if Array::is_array(value) {
            Unexpected::Seq
        } else if value.is_object() {
            Unexpected::Map
        } else {
            // A function, a symbol or a BigInt.
            Unexpected::Other("")
        };
        de::Error::invalid_type(got, expected)
    }

    /// The serializer's one error: the wire types hold nothing that has no JS form (bytes,
    /// enums with data), so it never happens, and carries no message to keep it free.
    #[derive(Debug)]
    pub struct NoJsForm;

    impl fmt::Display for NoJsForm {
        fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("this value has no JS form")
        }
    }

    impl std::error::Error for NoJsForm {}

    impl ser::Error for NoJsForm {
        fn custom<T: fmt::Display>(_: T) -> NoJsForm {
            NoJsForm
        }
    }

    /// `f` given the JS string for a field name, made once per name and then reused: creating it
    /// decodes UTF-8 on the JS side, which, for the dozen keys of a training step's options
    /// read thousands of times a second, cost more than the step's arithmetic.
    pub fn with_key<R>(name: &'static str, f: impl FnOnce(&JsValue) -> R) -> R {
        thread_local! {
            static KEYS: std::cell::RefCell<Vec<((usize, usize), JsValue)>> = const {
                std::cell::RefCell::new(Vec::new())
            };
        }
        // A literal's address and length name it (two literals may share a start).
        let id = (name.as_ptr() as usize, name.len());
        KEYS.with(|keys| {
            let mut keys = keys.borrow_mut();
            let at = match keys.iter().position(|(at, _)| *at == id) {
                Some(at) => at,
                None => {
                    keys.push((id, JsValue::from_str(name)));
                    keys.len() - 1
                }
            };
            // Lent, not cloned: a clone and its drop are two more calls into JS.
            f(&keys[at].1)
        })
    }

    // --- Deserializer ----------------------------------------------------------------------

    /// Reads one JS value.
    pub struct De(pub JsValue);

    impl<'de> de::Deserializer<'de> for De {
        type Error = Error;

        /// Scalars only: objects are read by `deserialize_map` and `deserialize_struct`,
        /// and no wire type has an array in it.
        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let value = self.0;
            if value.is_undefined() || value.is_null() {
                visitor.visit_unit()
            } else if let Some(b) = value.as_bool() {
                visitor.visit_bool(b)
            } else if let Some(v) = value.as_f64() {
                visitor.visit_f64(v)
            } else if let Some(s) = value.as_string() {
                visitor.visit_string(s)
            } else {
                Err(mismatch(&value, &visitor))
            }
        }

        /// A plain object's own enumerable `[key, value]` pairs, in `Object.entries` order.
        fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            if !self.0.is_object() || Array::is_array(&self.0) {
                return Err(mismatch(&self.0, &visitor));
            }
            visitor.visit_map(Entries {
                entries: Object::entries(self.0.unchecked_ref()),
                next: 0,
                value: JsValue::UNDEFINED,
            })
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            if self.0.is_undefined() || self.0.is_null() {
                visitor.visit_none()
            } else {
                visitor.visit_some(self)
            }
        }

        /// A struct reads only its own fields (by name, so getters and prototypes count);
        /// an `undefined` field is a missing one.
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Error> {
            if !self.0.is_object() {
                return Err(mismatch(&self.0, &visitor));
            }
            visitor.visit_map(Fields {
                object: self.0,
                fields,
                next: 0,
                value: JsValue::UNDEFINED,
            })
        }

        fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_unit()
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf unit unit_struct newtype_struct seq tuple tuple_struct enum identifier
        }
    }

    /// The own enumerable `[key, value]` pairs of an object, in `Object.entries` order.
    struct Entries {
        entries: Array,
        next: u32,
        value: JsValue,
    }

    impl<'de> de::MapAccess<'de> for Entries {
        type Error = Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, Error> {
            if self.next >= self.entries.length() {
                return Ok(None);
            }
            let pair: Array = self.entries.get(self.next).unchecked_into();
            self.next += 1;
            self.value = pair.get(1);
            seed.deserialize(De(pair.get(0))).map(Some)
        }

        fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
            seed.deserialize(De(std::mem::take(&mut self.value)))
        }
    }

    /// The named fields of a struct that are not `undefined`.
    struct Fields {
        object: JsValue,
        fields: &'static [&'static str],
        /// The index of the field `value` belongs to, then of the next one to look at.
        next: usize,
        value: JsValue,
    }

    impl<'de> de::MapAccess<'de> for Fields {
        type Error = Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, Error> {
            while let Some(&field) = self.fields.get(self.next) {
                self.next += 1;
                // Reflect.get on an object only throws from a getter; that reads as absent.
                let value = with_key(field, |name| Reflect::get(&self.object, name))
                    .unwrap_or(JsValue::UNDEFINED);
                if !value.is_undefined() {
                    self.value = value;
                    // The field's index, which derived field visitors take as well as its
                    // name, and match without comparing strings.
                    let key: de::value::U64Deserializer<Error> =
                        ((self.next - 1) as u64).into_deserializer();
                    return seed.deserialize(key).map(Some);
                }
            }
            Ok(None)
        }

        /// An error names the field: "learningRate: invalid type: …".
        fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
            seed.deserialize(De(std::mem::take(&mut self.value)))
                .map_err(|e| self.named(e))
        }
    }

    impl Fields {
        /// `e` prefixed with the name of the field being read.
        #[inline(never)]
        fn named(&self, Error(e): Error) -> Error {
            let field = self.fields.get(self.next.wrapping_sub(1));
            Error(format!("{}: {e}", field.copied().unwrap_or_default()))
        }
    }

    // --- Serializer ------------------------------------------------------------------------

    /// Builds one JS value.
    pub struct Ser;

    impl ser::Serializer for Ser {
        type Ok = JsValue;
        type Error = NoJsForm;
        type SerializeSeq = Elements;
        type SerializeTuple = Elements;
        type SerializeTupleStruct = Impossible<JsValue, NoJsForm>;
        type SerializeTupleVariant = Impossible<JsValue, NoJsForm>;
        type SerializeMap = MapMembers;
        type SerializeStruct = Members;
        type SerializeStructVariant = Impossible<JsValue, NoJsForm>;

        fn serialize_bool(self, v: bool) -> Result<JsValue, NoJsForm> {
            Ok(JsValue::from_bool(v))
        }
        fn serialize_i8(self, v: i8) -> Result<JsValue, NoJsForm> {
            self.serialize_f64(v.into())
        }
        fn serialize_i16(self, v: i16) -> Result<JsValue, NoJsForm> {
            self.serialize_f64(v.into())
        }
        fn serialize_i32(self, v: i32) -> Result<JsValue, NoJsForm> {
            self.serialize_f64(v.into())
        }
        /// Exact up to 2⁵³, like every JS number.
        fn serialize_i64(self, v: i64) -> Result<JsValue, NoJsForm> {
            self.serialize_f64(v as f64)
        }
        fn serialize_u8(self, v: u8) -> Result<JsValue, NoJsForm> {
            self.serialize_f64(v.into())
        }
        fn serialize_u16(self, v: u16) -> Result<JsValue, NoJsForm> {
            self.serialize_f64(v.into())
        }
        fn serialize_u32(self, v: u32) -> Result<JsValue, NoJsForm> {
            self.serialize_f64(v.into())
        }
        /// Exact up to 2⁵³, like every JS number.
        fn serialize_u64(self, v: u64) -> Result<JsValue, NoJsForm> {
            self.serialize_f64(v as f64)
        }
        fn serialize_f32(self, v: f32) -> Result<JsValue, NoJsForm> {
            self.serialize_f64(v.into())
        }
        fn serialize_f64(self, v: f64) -> Result<JsValue, NoJsForm> {
            Ok(JsValue::from_f64(v))
        }
        fn serialize_char(self, v: char) -> Result<JsValue, NoJsForm> {
            self.serialize_str(v.encode_utf8(&mut [0; 4]))
        }
        fn serialize_str(self, v: &str) -> Result<JsValue, NoJsForm> {
            Ok(JsValue::from_str(v))
        }
        fn serialize_bytes(self, _: &[u8]) -> Result<JsValue, NoJsForm> {
            Err(NoJsForm)
        }
        fn serialize_none(self) -> Result<JsValue, NoJsForm> {
            Ok(JsValue::UNDEFINED)
        }
        fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<JsValue, NoJsForm> {
            value.serialize(self)
        }
        fn serialize_unit(self) -> Result<JsValue, NoJsForm> {
            Ok(JsValue::UNDEFINED)
        }
        fn serialize_unit_struct(self, _: &'static str) -> Result<JsValue, NoJsForm> {
            Ok(JsValue::UNDEFINED)
        }
        fn serialize_unit_variant(
            self,
            _: &'static str,
            _: u32,
            variant: &'static str,
        ) -> Result<JsValue, NoJsForm> {
            self.serialize_str(variant)
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            value: &T,
        ) -> Result<JsValue, NoJsForm> {
            value.serialize(self)
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<JsValue, NoJsForm> {
            Err(NoJsForm)
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Elements, NoJsForm> {
            Ok(Elements(Array::new()))
        }
        fn serialize_tuple(self, len: usize) -> Result<Elements, NoJsForm> {
            self.serialize_seq(Some(len))
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Impossible<JsValue, NoJsForm>, NoJsForm> {
            Err(NoJsForm)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Impossible<JsValue, NoJsForm>, NoJsForm> {
            Err(NoJsForm)
        }
        /// A plain object, keys in insertion order (as JS orders them: integer-like keys
        /// first).
        fn serialize_map(self, _: Option<usize>) -> Result<MapMembers, NoJsForm> {
            Ok(MapMembers {
                object: Object::new(),
                key: JsValue::UNDEFINED,
            })
        }
        fn serialize_struct(self, _: &'static str, _: usize) -> Result<Members, NoJsForm> {
            Ok(Members(Object::new()))
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Impossible<JsValue, NoJsForm>, NoJsForm> {
            Err(NoJsForm)
        }
    }

    /// The elements of an array being built.
    pub struct Elements(Array);

    impl ser::SerializeSeq for Elements {
        type Ok = JsValue;
        type Error = NoJsForm;
        fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NoJsForm> {
            self.0.push(&value.serialize(Ser)?);
            Ok(())
        }
        fn end(self) -> Result<JsValue, NoJsForm> {
            Ok(self.0.into())
        }
    }

    impl ser::SerializeTuple for Elements {
        type Ok = JsValue;
        type Error = NoJsForm;
        fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NoJsForm> {
            ser::SerializeSeq::serialize_element(self, value)
        }
        fn end(self) -> Result<JsValue, NoJsForm> {
            ser::SerializeSeq::end(self)
        }
    }

    /// Sets `object[key] = value`; on a fresh plain object this cannot throw.
    fn set(object: &Object, key: &JsValue, value: &JsValue) {
        let _ = Reflect::set(object, key, value);
    }

    /// The members of a plain object being built from a map.
    pub struct MapMembers {
        object: Object,
        key: JsValue,
    }

    impl ser::SerializeMap for MapMembers {
        type Ok = JsValue;
        type Error = NoJsForm;
        fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), NoJsForm> {
            self.key = key.serialize(Ser)?;
            Ok(())
        }
        fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NoJsForm> {
            set(&self.object, &self.key, &value.serialize(Ser)?);
            Ok(())
        }
        fn end(self) -> Result<JsValue, NoJsForm> {
            Ok(self.object.into())
        }
    }

    /// The members of a plain object being built from a struct.
    pub struct Members(Object);

    impl ser::SerializeStruct for Members {
        type Ok = JsValue;
        type Error = NoJsForm;
        fn serialize_field<T: Serialize + ?Sized>(
            &mut self,
            name: &'static str,
            value: &T,
        ) -> Result<(), NoJsForm> {
            let value = value.serialize(Ser)?;
            with_key(name, |name| set(&self.0, name, &value));
            Ok(())
        }
        fn end(self) -> Result<JsValue, NoJsForm> {
            Ok(self.0.into())
        }
    }
}

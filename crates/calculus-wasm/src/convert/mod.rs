//! Crossing the JS boundary: the one place where JS values are read or built.
//!
//! Values go in and out through serde: the wire types in the files below mirror the JS shapes
//! documented in lib.rs's TypeScript section and convert to and from the engine's types, and
//! [`to_js`] / [`from_js`] carry them over with the small serde data format of
//! `js_format.rs`. Plain objects and arrays in, plain objects and arrays out (never `Map`s);
//! every failure is a JS `Error` that names what was wrong ("descend options: learningRate:
//! invalid type: the string "0.1", expected a number"). Chart code calls the functions here
//! and never names `js_sys`.
//!
//! | file | what crosses |
//! | --- | --- |
//! | `js_format.rs` | any serde type: the data format itself |
//! | `variables.rs` | `{name: number}` both ways |
//! | `descent.rs` | descent and racer options in, runs out |
//! | `backprop.rs` | a graph after its forward and backward passes, out |
//! | `arrays.rs` | typed arrays and arrays of numbers, out |

use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsError, JsValue};

mod arrays;
mod backprop;
mod descent;
mod js_format;
mod variables;

pub use arrays::{float64_array, number_array, Float64Array};
pub use backprop::backprop_js;
#[cfg(feature = "descent")]
pub use descent::racer;
pub use descent::{descent_js, descent_options};
pub use variables::{variables, variables_js};

pub fn js_error(e: impl fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// `value` as JS: structs and maps become plain objects (in field or insertion order),
/// sequences and tuples arrays, `None` and `()` `undefined`, every number a JS number.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(js_format::Ser).map_err(js_error)
}

/// A JS value read as `T`; a failure reads "`what`: invalid type: …, expected …".
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsError> {
    T::deserialize(js_format::De(value)).map_err(|e| JsError::new(&format!("{what}: {e}")))
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

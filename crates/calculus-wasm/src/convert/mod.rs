//! Crossing the JS boundary: the one place where JS values are read or built.
//!
//! Values go out through serde: the wire types in the files below mirror the JS shapes
//! documented in lib.rs's TypeScript section, and [`to_js`] builds them with the small serde
//! data format of `js_format.rs`. Values come in through `read.rs`, which reads the few
//! shapes the API takes by hand. Plain objects and arrays in, plain objects and arrays out
//! (never `Map`s); every failure is a JS `Error` that names what was wrong ("descend options:
//! learningRate: invalid type: the string "0.1", expected a number"). Chart code calls the
//! functions here and never names `js_sys`.
//!
//! | file | what crosses |
//! | --- | --- |
//! | `js_format.rs` | any serde type, out: the data format itself |
//! | `read.rs` | objects of numbers and options objects, in |
//! | `variables.rs` | `{name: number}` both ways |
//! | `descent.rs` | descent and racer options in, runs out |
//! | `backprop.rs` | a graph after its forward and backward passes, out |
//! | `arrays.rs` | typed arrays and arrays of numbers, out |

use std::fmt;

use serde::Serialize;
use wasm_bindgen::{JsError, JsValue};

mod arrays;
mod backprop;
mod descent;
mod js_format;
mod read;
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

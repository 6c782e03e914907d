//! Crossing the JS boundary: the one place where JS values are read or built.
//!
//! Every value is built or read by hand, for the few shapes the API takes and returns: plain
//! objects and arrays in, plain objects and arrays out (never `Map`s), as lib.rs's TypeScript
//! section documents them. A general mechanism costs more wasm than these shapes: serde's
//! derived readers and writers over a data format of our own were 1.5 KB of gzipped wasm
//! more, and serde-wasm-bindgen 12 KB more. Every failure is a JS `Error` that names what was
//! wrong ("descend options: learningRate: invalid type: the string "0.1", expected a
//! number"). Chart code calls the functions here and never names `js_sys`.
//!
//! | file | what crosses |
//! | --- | --- |
//! | `read.rs` | objects of numbers and options objects, in |
//! | `build.rs` | plain objects and arrays, out |
//! | `variables.rs` | `{name: number}` both ways |
//! | `descent.rs` | descent and racer options in, runs out |
//! | `backprop.rs` | a graph after its forward and backward passes, and its backward steps, out |
//! | `frame.rs` | where a chart's plotting area sat, out |
//! | `network.rs` | network, step and dataset options in; steps, traces and samples out |
//! | `arrays.rs` | typed arrays, in and out, whole or streamed in chunks |
//! | `keys.rs` | property names, made once as JS strings |

// The boundary serves the API (feature `api`) and the charts; a chapter's build, without the
// API, uses only part of it, and the linker drops the rest.
#![cfg_attr(not(feature = "api"), allow(dead_code, unused_imports))]

use std::fmt;

use wasm_bindgen::{JsError, JsValue};

mod arrays;
#[cfg(feature = "api")]
mod backprop;
mod build;
mod descent;
mod frame;
mod keys;
#[cfg(feature = "network")]
mod network;
mod read;
mod variables;

pub use arrays::{float64_array, float64_input, float64_output, map_chunks, Float64Array};
#[cfg(feature = "api")]
pub use backprop::{backprop_js, backward_steps_js};
pub use build::number_array;
#[cfg(feature = "race")]
pub use descent::racer;
#[cfg(feature = "api")]
pub use descent::{descent_js, descent_options};
pub use frame::frame_js;
#[cfg(feature = "network")]
pub use network::{
    dataset_options, network_options, numbers, samples_js, sizes, step_js, step_options, trace_js,
};
pub use variables::{variables, variables_js};

/// A thrown JS value as JSON text (`"Unknown"` if it has none), for messages.
pub fn json(value: &JsValue) -> String {
    js_sys::JSON::stringify(value).map_or_else(|_| "Unknown".to_string(), String::from)
}

pub fn js_error(e: impl fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// A finite number, or an error naming `what` and what it got.
pub fn finite(value: Option<f64>, what: &str) -> Result<f64, JsError> {
    match value {
        Some(v) if v.is_finite() => Ok(v),
        Some(v) => Err(JsError::new(&format!(
            "{what} must be a finite number, got {}",
            calculus::digits::Shortest(v)
        ))),
        None => Err(JsError::new(&format!("{what} must be a number"))),
    }
}

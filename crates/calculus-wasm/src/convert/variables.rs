//! Variables: `{name: number}`, in key order, both ways.

use serde::{Serialize, Serializer};
use wasm_bindgen::{JsError, JsValue};

use super::read::{object, pairs};
use super::to_js;

/// `{name: number}` as pairs in key order (`what` names the argument in errors:
/// "point: the value of 'w' must be a finite number, got NaN").
pub fn variables(value: &JsValue, what: &str) -> Result<Vec<(String, f64)>, JsError> {
    object(value, what)?;
    pairs(value).map_err(|e| JsError::new(&format!("{what}: {e}")))
}

/// Pairs as a plain object `{name: number}`, keys in the pairs' order.
pub(super) struct VariablesOut<'a>(pub(super) &'a [(String, f64)]);

impl Serialize for VariablesOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// `[("b", 4), ("w", 2)]` as `{b: 4, w: 2}`.
pub fn variables_js(pairs: &[(String, f64)]) -> Result<JsValue, JsError> {
    to_js(&VariablesOut(pairs))
}

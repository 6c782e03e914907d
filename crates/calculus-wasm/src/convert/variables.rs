//! Variables: `{name: number}`, in key order, both ways.

use js_sys::Object;
use wasm_bindgen::{JsError, JsValue};

use super::build::set;
use super::read::{object, pairs};

/// `{name: number}` as pairs in key order (`what` names the argument in errors:
/// "point: the value of 'w' must be a finite number, got NaN").
pub fn variables(value: &JsValue, what: &str) -> Result<Vec<(String, f64)>, JsError> {
    object(value, what)?;
    pairs(value).map_err(|e| JsError::new(&format!("{what}: {e}")))
}

/// `[("b", 4), ("w", 2)]` as `{b: 4, w: 2}`, keys in the pairs' order.
pub fn variables_js(pairs: &[(String, f64)]) -> JsValue {
    let object = Object::new();
    for (key, value) in pairs {
        set(&object, &JsValue::from_str(key), &JsValue::from_f64(*value));
    }
    object.into()
}

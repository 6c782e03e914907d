//! Building JS values: plain objects (keys in the order given) and plain arrays, nothing
//! else (never `Map`s). Built directly rather than through serde's derived `Serialize` and a
//! data format: the few shapes the API returns (a run, a graph, variables, a frame) take
//! less wasm this way, and serde-wasm-bindgen, which cost 12 KB of gzipped wasm in every
//! build, is not needed either.

use js_sys::{Array, Object};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::keys::with_key;

/// A plain object with `members` in order (as JS orders keys: integer-like ones first).
pub(super) fn plain_object(members: &[(&'static str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in members {
        with_key(name, |key| set(&object, key, value));
    }
    object.into()
}

#[wasm_bindgen]
extern "C" {
    /// Reflect.set without js_sys's `catch`, whose wrapper (a closure and an `arguments`
    /// object on every call) cost a training step more than its tanh: on a fresh plain
    /// object, setting a data property cannot throw.
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    fn reflect_set(target: &Object, key: &JsValue, value: &JsValue) -> bool;
}

/// Sets `object[key] = value` on a plain object this module made.
pub(super) fn set(object: &Object, key: &JsValue, value: &JsValue) {
    reflect_set(object, key, value);
}

/// A plain array of `items`.
pub(super) fn plain_array(items: impl IntoIterator<Item = JsValue>) -> JsValue {
    items.into_iter().collect::<Array>().into()
}

/// A plain array of numbers.
pub fn number_array(values: &[f64]) -> JsValue {
    plain_array(values.iter().map(|&v| JsValue::from_f64(v)))
}

/// `(a, b)` as the array `[a, b]`.
pub(super) fn pair(a: f64, b: f64) -> JsValue {
    number_array(&[a, b])
}

//! Crossing the JS boundary: plain objects in, plain objects out, errors as JS `Error`s.

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsError, JsValue};

pub fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// A plain object, or an error naming what was expected.
pub fn object_of(value: &JsValue, what: &str) -> Result<Object, JsError> {
    if value.is_object() && !js_sys::Array::is_array(value) {
        Ok(value.clone().unchecked_into())
    } else {
        Err(JsError::new(&format!(
            "{what} must be an object like {{x: 1}}"
        )))
    }
}

/// `{name: number}` as pairs in key order. Every value must be a number (NaN and ±Infinity
/// are numbers: the engine decides what they mean).
pub fn number_map(value: &JsValue, what: &str) -> Result<Vec<(String, f64)>, JsError> {
    let object = object_of(value, what)?;
    let mut out = Vec::new();
    for entry in Object::entries(&object).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let key = pair.get(0).as_string().unwrap_or_default();
        let v = pair.get(1);
        let number = v.as_f64().ok_or_else(|| {
            JsError::new(&format!("{what}: the value of '{key}' must be a number"))
        })?;
        out.push((key, number));
    }
    Ok(out)
}

/// `object[key]` as a number, `None` when absent.
pub fn optional_number(object: &Object, key: &str) -> Result<Option<f64>, JsError> {
    let v = Reflect::get(object, &key.into()).unwrap_or(JsValue::UNDEFINED);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_f64()
        .map(Some)
        .ok_or_else(|| JsError::new(&format!("'{key}' must be a number")))
}

pub fn set(object: &Object, key: &str, value: &JsValue) {
    // Reflect.set on a fresh plain object cannot fail.
    let _ = Reflect::set(object, &key.into(), value);
}

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

/// `{name: number}` as pairs in key order. Every value must be a finite number: a point
/// with a NaN or infinite coordinate is a mistake upstream, better named here than returned
/// as a NaN far from its cause.
pub fn number_map(value: &JsValue, what: &str) -> Result<Vec<(String, f64)>, JsError> {
    let object = object_of(value, what)?;
    let mut out = Vec::new();
    for entry in Object::entries(&object).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let key = pair.get(0).as_string().unwrap_or_default();
        let number = finite(
            pair.get(1).as_f64(),
            &format!("{what}: the value of '{key}'"),
        )?;
        out.push((key, number));
    }
    Ok(out)
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

/// A new `Float64Array` holding `values`. Allocating it and copying in with `set` is several
/// times faster than wasm-bindgen's `Vec<f64>` return, which `slice()`s a view of wasm
/// memory (0.4 ms for 100,000 numbers here, more than the whole derivative computation).
pub fn float64_array(values: &[f64]) -> js_sys::Float64Array {
    let array = js_sys::Float64Array::new_with_length(values.len() as u32);
    array.copy_from(values);
    array
}

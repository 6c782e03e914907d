//! Reading JS values, by hand: the few shapes the API takes in (an object of numbers, the
//! options of `descend` and of a racer) need no general deserializer, and serde's derived
//! readers and visitors cost more wasm than these functions. Messages say what was expected
//! and what came, in JS terms: "learningRate: invalid type: the string "0.1", expected a
//! number".

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsError, JsValue};

use super::keys::with_key;

/// Refuses anything but a non-array object, with the message every options argument uses.
pub(super) fn object(value: &JsValue, what: &str) -> Result<(), JsError> {
    if is_object(value) {
        Ok(())
    } else {
        Err(JsError::new(&format!(
            "{what} must be an object like {{x: 1}}"
        )))
    }
}

fn is_object(value: &JsValue) -> bool {
    value.is_object() && !Array::is_array(value)
}

/// "invalid type: the string "0.1", expected a number": `value` named in JS terms.
fn invalid(value: &JsValue, expected: &str) -> String {
    let got = if value.is_undefined() || value.is_null() {
        "null or undefined".to_string()
    } else if let Some(b) = value.as_bool() {
        format!("the boolean {b}")
    } else if let Some(v) = value.as_f64() {
        format!("the number {}", calculus::digits::Shortest(v))
    } else if let Some(s) = value.as_string() {
        format!("the string \"{s}\"")
    } else if Array::is_array(value) {
        "an array".to_string()
    } else if value.is_object() {
        "an object".to_string()
    } else {
        // A function, a symbol or a BigInt.
        "another kind of value".to_string()
    };
    format!("invalid type: {got}, expected {expected}")
}

/// An object's own enumerable `{name: number}` pairs, in `Object.entries` order. Every value
/// must be a finite number: a point with a NaN or infinite coordinate is a mistake upstream,
/// better named here than returned as a NaN far from its cause.
pub(super) fn pairs(value: &JsValue) -> Result<Vec<(String, f64)>, String> {
    if !is_object(value) {
        return Err(invalid(value, "an object like {x: 1}"));
    }
    let entries = Object::entries(value.unchecked_ref());
    let mut out = Vec::with_capacity(entries.length() as usize);
    for i in 0..entries.length() {
        let entry: Array = entries.get(i).unchecked_into();
        // Object.entries's keys are strings.
        let key = entry.get(0).as_string().unwrap_or_default();
        let value = entry.get(1);
        match value.as_f64() {
            Some(v) if v.is_finite() => out.push((key, v)),
            Some(v) => {
                return Err(format!(
                    "the value of '{key}' must be a finite number, got {}",
                    calculus::digits::Shortest(v)
                ))
            }
            None => {
                return Err(invalid(
                    &value,
                    &format!("a number as the value of '{key}'"),
                ))
            }
        }
    }
    Ok(out)
}

/// The named properties of an options object, read one at a time (by name, so getters and
/// prototypes count). `undefined` and `null` are absent, as is a property whose getter
/// throws; an error names the argument and the property: "descend options: learningRate:
/// invalid type: …".
pub(super) struct Properties<'a> {
    pub object: &'a JsValue,
    pub what: &'a str,
}

impl Properties<'_> {
    /// The property `key`, `None` when absent.
    fn get(&self, key: &'static str) -> Option<JsValue> {
        // Reflect.get on an object only throws from a getter; that reads as absent.
        let value = with_key(key, |name| Reflect::get(self.object, name)).ok()?;
        (!value.is_undefined() && !value.is_null()).then_some(value)
    }

    fn error(&self, key: &str, message: String) -> JsError {
        JsError::new(&format!("{}: {key}: {message}", self.what))
    }

    /// Any number, NaN included (ranges are the engine's to check).
    pub fn number(&self, key: &'static str) -> Result<Option<f64>, JsError> {
        self.get(key)
            .map(|v| {
                v.as_f64()
                    .ok_or_else(|| self.error(key, invalid(&v, "a number")))
            })
            .transpose()
    }

    pub fn boolean(&self, key: &'static str) -> Result<Option<bool>, JsError> {
        self.get(key)
            .map(|v| {
                v.as_bool()
                    .ok_or_else(|| self.error(key, invalid(&v, "a boolean")))
            })
            .transpose()
    }

    pub fn string(&self, key: &'static str) -> Result<Option<String>, JsError> {
        self.get(key)
            .map(|v| {
                v.as_string()
                    .ok_or_else(|| self.error(key, invalid(&v, "a string")))
            })
            .transpose()
    }

    /// `{name: number}`, as [`pairs`].
    pub fn variables(&self, key: &'static str) -> Result<Option<Vec<(String, f64)>>, JsError> {
        self.get(key)
            .map(|v| pairs(&v).map_err(|e| self.error(key, e)))
            .transpose()
    }
}

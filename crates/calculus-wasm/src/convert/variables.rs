//! Variables: `{name: number}`, in key order, both ways.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use wasm_bindgen::{JsError, JsValue};

use super::{from_js, object, to_js};

/// `{x: 1, y: 2}` as `[("x", 1), ("y", 2)]`, in the object's key order. Every value must be
/// a finite number: a point with a NaN or infinite coordinate is a mistake upstream, better
/// named here than returned as a NaN far from its cause.
pub(super) struct Variables(pub(super) Vec<(String, f64)>);

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

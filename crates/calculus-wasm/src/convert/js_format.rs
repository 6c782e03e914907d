//! JS values as a serde data format: `undefined`/`null`, booleans, numbers, strings, arrays
//! and plain objects, nothing else (no `Map`s, no `BigInt`s, no bytes). It is this small
//! module rather than serde-wasm-bindgen because that crate's generality (its `Map` and
//! `BigInt` support, a key cache, Rust-`Debug` renderings of values in its messages) cost
//! about 12 KB of gzipped wasm in every build, more than the whole boundary before it.

use std::fmt;

use js_sys::{Array, Object, Reflect};
use serde::de::{self, DeserializeSeed, Expected, IntoDeserializer, Unexpected, Visitor};
use serde::ser::{self, Impossible, Serialize};
use wasm_bindgen::{JsCast, JsValue};

/// A message for a person: what was expected and what came.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Error {
        Error(message.to_string())
    }

    fn invalid_type(got: Unexpected, expected: &dyn Expected) -> Error {
        Error(format!(
            "invalid type: {}, expected {expected}",
            describe(got)
        ))
    }

    fn invalid_value(got: Unexpected, expected: &dyn Expected) -> Error {
        Self::invalid_type(got, expected)
    }
}

/// A value named in JS terms ("the string "0.1"", "an array"), without serde's
/// `Unexpected` display, which escapes strings and writes floats its own way.
fn describe(got: Unexpected) -> String {
    match got {
        Unexpected::Unit => "null or undefined".to_string(),
        Unexpected::Bool(b) => format!("the boolean {b}"),
        Unexpected::Float(v) => format!("the number {v}"),
        Unexpected::Str(s) => format!("the string \"{s}\""),
        Unexpected::Seq => "an array".to_string(),
        Unexpected::Map => "an object".to_string(),
        _ => "another kind of value".to_string(),
    }
}

/// The error for `value` where `expected` was wanted, without a visitor's dispatch.
fn mismatch(value: &JsValue, expected: &dyn Expected) -> Error {
    let string;
    let got = if value.is_undefined() || value.is_null() {
        Unexpected::Unit
    } else if let Some(b) = value.as_bool() {
        Unexpected::Bool(b)
    } else if let Some(v) = value.as_f64() {
        Unexpected::Float(v)
    } else if let Some(s) = value.as_string() {
        string = s;
        Unexpected::Str(&string)
    } else if Array::is_array(value) {
        Unexpected::Seq
    } else if value.is_object() {
        Unexpected::Map
    } else {
        // A function, a symbol or a BigInt.
        Unexpected::Other("")
    };
    de::Error::invalid_type(got, expected)
}

/// The serializer's one error: the wire types hold nothing that has no JS form (bytes,
/// enums with data), so it never happens, and carries no message to keep it free.
#[derive(Debug)]
pub struct NoJsForm;

impl fmt::Display for NoJsForm {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("this value has no JS form")
    }
}

impl std::error::Error for NoJsForm {}

impl ser::Error for NoJsForm {
    fn custom<T: fmt::Display>(_: T) -> NoJsForm {
        NoJsForm
    }
}

// --- Deserializer ----------------------------------------------------------------------

/// Reads one JS value.
pub struct De(pub JsValue);

impl<'de> de::Deserializer<'de> for De {
    type Error = Error;

    /// Scalars only: objects are read by `deserialize_map` and `deserialize_struct`,
    /// and no wire type has an array in it.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let value = self.0;
        if value.is_undefined() || value.is_null() {
            visitor.visit_unit()
        } else if let Some(b) = value.as_bool() {
            visitor.visit_bool(b)
        } else if let Some(v) = value.as_f64() {
            visitor.visit_f64(v)
        } else if let Some(s) = value.as_string() {
            visitor.visit_string(s)
        } else {
            Err(mismatch(&value, &visitor))
        }
    }

    /// A plain object's own enumerable `[key, value]` pairs, in `Object.entries` order.
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if !self.0.is_object() || Array::is_array(&self.0) {
            return Err(mismatch(&self.0, &visitor));
        }
        visitor.visit_map(Entries {
            entries: Object::entries(self.0.unchecked_ref()),
            next: 0,
            value: JsValue::UNDEFINED,
        })
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_undefined() || self.0.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    /// A struct reads only its own fields (by name, so getters and prototypes count);
    /// an `undefined` field is a missing one.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if !self.0.is_object() {
            return Err(mismatch(&self.0, &visitor));
        }
        visitor.visit_map(Fields {
            object: self.0,
            fields,
            next: 0,
            value: JsValue::UNDEFINED,
        })
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf unit unit_struct newtype_struct seq tuple tuple_struct enum identifier
    }
}

/// The own enumerable `[key, value]` pairs of an object, in `Object.entries` order.
struct Entries {
    entries: Array,
    next: u32,
    value: JsValue,
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.next >= self.entries.length() {
            return Ok(None);
        }
        let pair: Array = self.entries.get(self.next).unchecked_into();
        self.next += 1;
        self.value = pair.get(1);
        seed.deserialize(De(pair.get(0))).map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(De(std::mem::take(&mut self.value)))
    }
}

/// The named fields of a struct that are not `undefined`.
struct Fields {
    object: JsValue,
    fields: &'static [&'static str],
    /// The index of the field `value` belongs to, then of the next one to look at.
    next: usize,
    value: JsValue,
}

impl<'de> de::MapAccess<'de> for Fields {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        while let Some(&field) = self.fields.get(self.next) {
            self.next += 1;
            // Reflect.get on an object only throws from a getter; that reads as absent.
            let value =
                Reflect::get(&self.object, &JsValue::from_str(field)).unwrap_or(JsValue::UNDEFINED);
            if !value.is_undefined() {
                self.value = value;
                // The field's index, which derived field visitors take as well as its
                // name, and match without comparing strings.
                let key: de::value::U64Deserializer<Error> =
                    ((self.next - 1) as u64).into_deserializer();
                return seed.deserialize(key).map(Some);
            }
        }
        Ok(None)
    }

    /// An error names the field: "learningRate: invalid type: …".
    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(De(std::mem::take(&mut self.value)))
            .map_err(|e| self.named(e))
    }
}

impl Fields {
    /// `e` prefixed with the name of the field being read.
    #[inline(never)]
    fn named(&self, Error(e): Error) -> Error {
        let field = self.fields.get(self.next.wrapping_sub(1));
        Error(format!("{}: {e}", field.copied().unwrap_or_default()))
    }
}

// --- Serializer ------------------------------------------------------------------------

/// Builds one JS value.
pub struct Ser;

impl ser::Serializer for Ser {
    type Ok = JsValue;
    type Error = NoJsForm;
    type SerializeSeq = Elements;
    type SerializeTuple = Elements;
    type SerializeTupleStruct = Impossible<JsValue, NoJsForm>;
    type SerializeTupleVariant = Impossible<JsValue, NoJsForm>;
    type SerializeMap = MapMembers;
    type SerializeStruct = Members;
    type SerializeStructVariant = Impossible<JsValue, NoJsForm>;

    fn serialize_bool(self, v: bool) -> Result<JsValue, NoJsForm> {
        Ok(JsValue::from_bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<JsValue, NoJsForm> {
        self.serialize_f64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<JsValue, NoJsForm> {
        self.serialize_f64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<JsValue, NoJsForm> {
        self.serialize_f64(v.into())
    }
    /// Exact up to 2⁵³, like every JS number.
    fn serialize_i64(self, v: i64) -> Result<JsValue, NoJsForm> {
        self.serialize_f64(v as f64)
    }
    fn serialize_u8(self, v: u8) -> Result<JsValue, NoJsForm> {
        self.serialize_f64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<JsValue, NoJsForm> {
        self.serialize_f64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<JsValue, NoJsForm> {
        self.serialize_f64(v.into())
    }
    /// Exact up to 2⁵³, like every JS number.
    fn serialize_u64(self, v: u64) -> Result<JsValue, NoJsForm> {
        self.serialize_f64(v as f64)
    }
    fn serialize_f32(self, v: f32) -> Result<JsValue, NoJsForm> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<JsValue, NoJsForm> {
        Ok(JsValue::from_f64(v))
    }
    fn serialize_char(self, v: char) -> Result<JsValue, NoJsForm> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<JsValue, NoJsForm> {
        Ok(JsValue::from_str(v))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<JsValue, NoJsForm> {
        Err(NoJsForm)
    }
    fn serialize_none(self) -> Result<JsValue, NoJsForm> {
        Ok(JsValue::UNDEFINED)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<JsValue, NoJsForm> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<JsValue, NoJsForm> {
        Ok(JsValue::UNDEFINED)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<JsValue, NoJsForm> {
        Ok(JsValue::UNDEFINED)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<JsValue, NoJsForm> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<JsValue, NoJsForm> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<JsValue, NoJsForm> {
        Err(NoJsForm)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Elements, NoJsForm> {
        Ok(Elements(Array::new()))
    }
    fn serialize_tuple(self, len: usize) -> Result<Elements, NoJsForm> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Impossible<JsValue, NoJsForm>, NoJsForm> {
        Err(NoJsForm)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Impossible<JsValue, NoJsForm>, NoJsForm> {
        Err(NoJsForm)
    }
    /// A plain object, keys in insertion order (as JS orders them: integer-like keys
    /// first).
    fn serialize_map(self, _: Option<usize>) -> Result<MapMembers, NoJsForm> {
        Ok(MapMembers {
            object: Object::new(),
            key: JsValue::UNDEFINED,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Members, NoJsForm> {
        Ok(Members(Object::new()))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Impossible<JsValue, NoJsForm>, NoJsForm> {
        Err(NoJsForm)
    }
}

/// The elements of an array being built.
pub struct Elements(Array);

impl ser::SerializeSeq for Elements {
    type Ok = JsValue;
    type Error = NoJsForm;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NoJsForm> {
        self.0.push(&value.serialize(Ser)?);
        Ok(())
    }
    fn end(self) -> Result<JsValue, NoJsForm> {
        Ok(self.0.into())
    }
}

impl ser::SerializeTuple for Elements {
    type Ok = JsValue;
    type Error = NoJsForm;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NoJsForm> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<JsValue, NoJsForm> {
        ser::SerializeSeq::end(self)
    }
}

/// Sets `object[key] = value`; on a fresh plain object this cannot throw.
fn set(object: &Object, key: &JsValue, value: &JsValue) {
    let _ = Reflect::set(object, key, value);
}

/// The members of a plain object being built from a map.
pub struct MapMembers {
    object: Object,
    key: JsValue,
}

impl ser::SerializeMap for MapMembers {
    type Ok = JsValue;
    type Error = NoJsForm;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), NoJsForm> {
        self.key = key.serialize(Ser)?;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NoJsForm> {
        set(&self.object, &self.key, &value.serialize(Ser)?);
        Ok(())
    }
    fn end(self) -> Result<JsValue, NoJsForm> {
        Ok(self.object.into())
    }
}

/// The members of a plain object being built from a struct.
pub struct Members(Object);

impl ser::SerializeStruct for Members {
    type Ok = JsValue;
    type Error = NoJsForm;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), NoJsForm> {
        set(&self.0, &JsValue::from_str(key), &value.serialize(Ser)?);
        Ok(())
    }
    fn end(self) -> Result<JsValue, NoJsForm> {
        Ok(self.0.into())
    }
}

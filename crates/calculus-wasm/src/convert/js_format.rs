//! JS values built as a serde data format: `undefined`, booleans, numbers, strings, arrays
//! and plain objects, nothing else (no `Map`s, no `BigInt`s, no bytes). Only serializing:
//! what comes in is read by hand (read.rs). It is this small module rather than
//! serde-wasm-bindgen because that crate's generality (its `Map` and
//! `BigInt` support, a key cache, Rust-`Debug` renderings of values in its messages) cost
//! about 12 KB of gzipped wasm in every build, more than the whole boundary before it.

use std::fmt;

use js_sys::{Array, Object, Reflect};
use serde::ser::{self, Impossible, Serialize};
use wasm_bindgen::JsValue;

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

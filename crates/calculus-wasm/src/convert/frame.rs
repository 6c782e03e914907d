//! A chart's frame, as JS receives it.

use wasm_bindgen::JsValue;

use super::build::{pair, plain_object};
use crate::chart::frame::Frame;

/// `{x: [x0, x1], y: [y0, y1], logY, left, right, top, bottom}`, or `undefined` for none.
pub fn frame_js(frame: Option<Frame>) -> JsValue {
    let Some(f) = frame else {
        return JsValue::UNDEFINED;
    };
    plain_object(&[
        ("x", pair(f.x.0, f.x.1)),
        ("y", pair(f.y.0, f.y.1)),
        ("logY", JsValue::from_bool(f.log_y)),
        ("left", JsValue::from_f64(f.left)),
        ("right", JsValue::from_f64(f.right)),
        ("top", JsValue::from_f64(f.top)),
        ("bottom", JsValue::from_f64(f.bottom)),
    ])
}

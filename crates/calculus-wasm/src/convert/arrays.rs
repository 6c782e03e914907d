//! Typed arrays, in and out.

use js_sys::Array;
use wasm_bindgen::{JsCast, JsError, JsValue};

/// Typed arrays cross as `Float64Array`, built by [`float64_array`].
pub use js_sys::Float64Array;

/// A new `Float64Array` holding `values`. Allocating it and copying in with `set` is several
/// times faster than wasm-bindgen's `Vec<f64>` return, which `slice()`s a view of wasm
/// memory (0.4 ms for 100,000 numbers here, more than the whole derivative computation).
pub fn float64_array(values: &[f64]) -> Float64Array {
    let array = Float64Array::new_with_length(values.len() as u32);
    array.copy_from(values);
    array
}

/// `value` as a `Float64Array`: itself, or an array of numbers copied into a new one (an entry
/// that is not a number becomes NaN); anything else is refused with `what` named.
pub fn float64_input(value: &JsValue, what: &str) -> Result<Float64Array, JsError> {
    if let Some(array) = value.dyn_ref::<Float64Array>() {
        Ok(array.clone())
    } else if Array::is_array(value) {
        Ok(Float64Array::new(value))
    } else {
        Err(JsError::new(&format!(
            "{what} must be a Float64Array or an array of numbers"
        )))
    }
}

/// The array `out` names for `length` results: none when it is absent (`undefined` or `null`),
/// else a `Float64Array` of that length, refused otherwise. Checked here because wasm-bindgen
/// does not check an imported type: a plain array reached `subarray` and threw a bare TypeError.
pub fn float64_output(out: Option<JsValue>, length: u32) -> Result<Option<Float64Array>, JsError> {
    let Some(out) = out.filter(|v| !v.is_undefined() && !v.is_null()) else {
        return Ok(None);
    };
    let out = out
        .dyn_into::<Float64Array>()
        .map_err(|_| JsError::new("out must be a Float64Array"))?;
    if out.length() != length {
        return Err(JsError::new(&format!(
            "out must be as long as xs ({length} numbers), not {}",
            out.length()
        )));
    }
    Ok(Some(out))
}

/// Numbers streamed through wasm: a few thousand at a time, which stay in cache.
const CHUNK: u32 = 4096;

/// `map` applied to `input` chunk by chunk into `output` (as long as `input`; else a new array
/// of that length), where `map` writes one output per input.
///
/// Why chunks: taking a `&[f64]` and returning a `Vec` copies the whole input into wasm memory
/// and the whole output out of it, through two fresh 800 KB buffers at 100,000 points. Those
/// copies cost more than the slopes of `x^2` themselves, and they varied from run to run with
/// the allocator and page faults. Chunks reuse two small buffers instead.
pub fn map_chunks(
    input: &Float64Array,
    output: Option<Float64Array>,
    mut map: impl FnMut(&[f64], &mut [f64]),
) -> Float64Array {
    let n = input.length();
    let output = output.unwrap_or_else(|| Float64Array::new_with_length(n));
    let size = CHUNK.min(n) as usize;
    let (mut xs, mut ys) = (vec![0.0; size], vec![0.0; size]);
    let mut start = 0;
    while start < n {
        let end = n.min(start + CHUNK);
        let len = (end - start) as usize;
        let (Some(xs), Some(ys)) = (xs.get_mut(..len), ys.get_mut(..len)) else {
            break;
        };
        input.subarray(start, end).copy_to(xs);
        map(xs, ys);
        output.subarray(start, end).copy_from(ys);
        start = end;
    }
    output
}

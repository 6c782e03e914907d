//! Typed arrays for the charts.

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

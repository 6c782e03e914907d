//! sin, cos, exp, tanh, atan, sinh and cosh over whole columns of numbers, fast enough for
//! [`Graph::slopes`].
//!
//! `f64::sin` and friends are scalar library calls: in WebAssembly each costs 10–15 ns and
//! nothing can be done two at a time, so they dominate the batched derivative of any formula
//! that uses them. The kernels here are musl's own algorithms (musl's libm is what Rust's
//! standard library uses in WebAssembly) rewritten without branches: every number of a column
//! takes the same path through plain arithmetic and bit operations, so LLVM turns each loop
//! into 128-bit SIMD (two numbers per instruction, `f64x2` in wasm). tanh and atan instead
//! pick their formula per pair of numbers, in [`F64x2`] lanes written out by hand: along a
//! plot's samples or a network's grid, neighbours take the same formula, and a pair pays for
//! one formula where a select pays for all of them (or, for atan, LLVM gave up on SIMD).
//!
//! Each column function works in two passes:
//!
//! 1. The fast path, branch-free, over the whole column, within 1 ulp or so of the standard
//!    library on its range: |x| ≤ 2¹⁹·π/2 for sin and cos (bar the rare x within 2⁻¹⁶·|x| of
//!    a multiple of π/2), |x| ≤ 708 for exp, sinh and cosh, every x for tanh and atan. It also
//!    notes, with an OR that vectorises too, whether any input was outside that range.
//! 2. Only if one was: a scalar fix-up that recomputes those inputs with the standard library
//!    (huge arguments, ±∞, NaN, x near a multiple of π/2, exp's overflow and subnormal
//!    results; sinh and cosh there as e^|x|/2), so every result is right everywhere and the
//!    special values are exactly the standard library's.
//!
//! ```ignore
//! // A private module: this example runs as the unit test `the_overview_example`.
//! use crate::elementary::{exp_column, sin_cos_column, tanh_column};
//!
//! let xs = [0.0, 0.5, -3.0, f64::INFINITY];
//! let (mut sin, mut cos, mut exp, mut tanh) = ([0.0; 4], [0.0; 4], [0.0; 4], [0.0; 4]);
//! sin_cos_column(&xs, &mut sin, &mut cos);
//! exp_column(&xs, &mut exp);
//! tanh_column(&xs, &mut tanh);
//! for (i, x) in xs.iter().enumerate() {
//!     let ulps = |a: f64, b: f64| (a.to_bits() as i64 - b.to_bits() as i64).abs();
//!     assert!(ulps(sin[i], x.sin()) <= 2 || sin[i].is_nan() && x.sin().is_nan());
//!     assert!(ulps(cos[i], x.cos()) <= 2 || cos[i].is_nan() && x.cos().is_nan());
//!     assert!(ulps(exp[i], x.exp()) <= 2);
//!     assert!(ulps(tanh[i], x.tanh()) <= 2);
//! }
//! assert_eq!((exp[3], tanh[3]), (f64::INFINITY, 1.0));
//! ```
//!
//! [`Graph::slopes`]: crate::Graph::slopes

// musl's constants are written with musl's digits, more than an f64 holds, so that they can be
// checked against its source; `constants_are_musls_bits` checks each one's bits.
#![allow(clippy::excessive_precision)]

use std::hint::black_box;

use crate::lanes::F64x2;

mod atan;
mod exp;
mod hyperbolic;
mod sin_cos;
mod tanh;

pub(crate) use atan::atan_column;
pub(crate) use exp::{exp_column, sigmoid, sigmoid_column};
pub(crate) use hyperbolic::{sinh_cosh, sinh_cosh_column};
pub(crate) use sin_cos::sin_cos_column;
pub(crate) use tanh::tanh_column;

/// 1.5·2⁵²: adding it to |t| < 2⁵¹ rounds t to the nearest integer n, which then sits in the
/// low bits of the sum (as n mod 2⁵², two's complement), and subtracting it again gives n as
/// a float. No float-to-int conversion, no `round` call: both vectorise everywhere.
const TOINT: f64 = 6755399441055744.0;

/// The sign bit of an f64.
const SIGN: u64 = 1 << 63;

/// Whether |x| = `ax` is beyond `limit` or NaN: outside a fast path.
#[inline(always)]
fn beyond(ax: f64, limit: f64) -> bool {
    ax > limit || ax.is_nan()
}

#[cfg(test)]
mod tests;

//! Two f64 lanes at a time: WebAssembly's 128-bit SIMD where the engine runs in the browser,
//! a pair of plain numbers everywhere else, behind one type.
//!
//! LLVM vectorises most loops of the engine by itself, but not all: a dense layer's sums over
//! eight samples ([`crate::nn`]) stayed one number at a time in the wasm build. A kernel
//! written on [`F64x2`] is SIMD by construction. Each operation is the same IEEE operation in
//! both implementations (no fused multiply-add), so the two give the same bits, and the
//! native tests of a kernel test its wasm build too.
//!
//! ```ignore
//! // A private module: this example runs as the unit test `the_overview_example`.
//! use crate::lanes::F64x2;
//!
//! let x = F64x2::load(&[-3.0, 0.5]);
//! let mut out = [0.0; 2];
//! (x * x + F64x2::splat(1.0)).store(&mut out);
//! assert_eq!(out, [10.0, 1.25]);
//! ```

use std::ops::{Add, Mul};

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::*;

    /// Two f64 lanes in one `v128`.
    #[derive(Clone, Copy)]
    pub(crate) struct F64x2(v128);

    impl F64x2 {
        #[inline(always)]
        pub(crate) fn splat(a: f64) -> F64x2 {
            F64x2(f64x2_splat(a))
        }
        /// The first two numbers of `xs`.
        #[inline(always)]
        pub(crate) fn load(xs: &[f64]) -> F64x2 {
            F64x2(f64x2(xs[0], xs[1]))
        }
        /// Into the first two places of `out`.
        #[inline(always)]
        pub(crate) fn store(self, out: &mut [f64]) {
            out[0] = f64x2_extract_lane::<0>(self.0);
            out[1] = f64x2_extract_lane::<1>(self.0);
        }
        #[inline(always)]
        pub(super) fn add(self, b: F64x2) -> F64x2 {
            F64x2(f64x2_add(self.0, b.0))
        }
        #[inline(always)]
        pub(super) fn mul(self, b: F64x2) -> F64x2 {
            F64x2(f64x2_mul(self.0, b.0))
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod imp {
    /// Two f64 lanes as a pair.
    #[derive(Clone, Copy)]
    pub(crate) struct F64x2([f64; 2]);

    impl F64x2 {
        #[inline(always)]
        pub(crate) fn splat(a: f64) -> F64x2 {
            F64x2([a, a])
        }
        /// The first two numbers of `xs`.
        #[inline(always)]
        pub(crate) fn load(xs: &[f64]) -> F64x2 {
            F64x2([xs[0], xs[1]])
        }
        /// Into the first two places of `out`.
        #[inline(always)]
        pub(crate) fn store(self, out: &mut [f64]) {
            out[..2].copy_from_slice(&self.0);
        }
        #[inline(always)]
        pub(super) fn add(self, b: F64x2) -> F64x2 {
            F64x2([self.0[0] + b.0[0], self.0[1] + b.0[1]])
        }
        #[inline(always)]
        pub(super) fn mul(self, b: F64x2) -> F64x2 {
            F64x2([self.0[0] * b.0[0], self.0[1] * b.0[1]])
        }
    }
}

pub(crate) use imp::F64x2;

impl Add for F64x2 {
    type Output = F64x2;
    #[inline(always)]
    fn add(self, b: F64x2) -> F64x2 {
        F64x2::add(self, b)
    }
}

impl Mul for F64x2 {
    type Output = F64x2;
    #[inline(always)]
    fn mul(self, b: F64x2) -> F64x2 {
        F64x2::mul(self, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overview_example() {
        let x = F64x2::load(&[-3.0, 0.5]);
        let mut out = [0.0; 2];
        (x * x + F64x2::splat(1.0)).store(&mut out);
        assert_eq!(out, [10.0, 1.25]);
    }
}

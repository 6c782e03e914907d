//! Two f64 lanes at a time: WebAssembly's 128-bit SIMD where the engine runs in the browser,
//! a pair of plain numbers everywhere else, behind one type.
//!
//! LLVM vectorises most loops of the engine by itself, but not all: a dense layer's sums over
//! eight samples ([`crate::nn`]) stayed one number at a time in the wasm build. A kernel
//! written on [`F64x2`] is SIMD by construction. Each operation is the same IEEE operation in
//! both implementations (no fused multiply-add), so the two give the same bits, and the
//! native tests of a kernel test its wasm build too.
//!
//! Beyond arithmetic, a lane holds bits: masks from comparisons (all ones or all zeros), which
//! [`F64x2::select`] and [`F64x2::bitmask`] read, and the bitwise operations a kernel needs to
//! take a sign or build 2^k from an exponent. A kernel that must branch per pair (on whether
//! both numbers take one formula) reads its comparison with `bitmask`.
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

use std::ops::{Add, Div, Mul, Sub};

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
        #[inline(always)]
        pub(super) fn sub(self, b: F64x2) -> F64x2 {
            F64x2(f64x2_sub(self.0, b.0))
        }
        #[inline(always)]
        pub(super) fn div(self, b: F64x2) -> F64x2 {
            F64x2(f64x2_div(self.0, b.0))
        }
        /// Both lanes holding the bits `bits`.
        #[inline(always)]
        pub(crate) fn splat_bits(bits: u64) -> F64x2 {
            F64x2(u64x2_splat(bits))
        }
        #[inline(always)]
        pub(crate) fn and(self, b: F64x2) -> F64x2 {
            F64x2(v128_and(self.0, b.0))
        }
        #[inline(always)]
        pub(crate) fn or(self, b: F64x2) -> F64x2 {
            F64x2(v128_or(self.0, b.0))
        }
        /// `self` where `self < limit`, else `limit` (so NaN gives `limit`): wasm's `pmin`.
        #[inline(always)]
        pub(crate) fn below(self, limit: F64x2) -> F64x2 {
            F64x2(f64x2_pmin(limit.0, self.0))
        }
        /// The mask of the lanes where `self < b` (false for NaN).
        #[inline(always)]
        pub(crate) fn lt(self, b: F64x2) -> F64x2 {
            F64x2(f64x2_lt(self.0, b.0))
        }
        /// The mask of the lanes where `self ≥ b` (false for NaN).
        #[inline(always)]
        pub(crate) fn ge(self, b: F64x2) -> F64x2 {
            F64x2(f64x2_ge(self.0, b.0))
        }
        /// The mask of the lanes that hold NaN.
        #[inline(always)]
        pub(crate) fn nan(self) -> F64x2 {
            F64x2(f64x2_ne(self.0, self.0))
        }
        /// A mask's lanes as bits 0 and 1.
        #[inline(always)]
        pub(crate) fn bitmask(self) -> u8 {
            i64x2_bitmask(self.0)
        }
        /// `if_set` in the lanes where `self` (a mask) is set, `if_clear` in the others.
        #[inline(always)]
        pub(crate) fn select(self, if_set: F64x2, if_clear: F64x2) -> F64x2 {
            F64x2(v128_bitselect(if_set.0, if_clear.0, self.0))
        }
        /// Each lane's bits as an integer n: the number whose bits are (n + add) << 52, in
        /// wrapping u64 arithmetic (how an exponent becomes a power of two).
        #[inline(always)]
        pub(crate) fn exponent_bits(self, add: F64x2) -> F64x2 {
            F64x2(i64x2_shl(i64x2_add(self.0, add.0), 52))
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
        #[inline(always)]
        pub(super) fn sub(self, b: F64x2) -> F64x2 {
            F64x2([self.0[0] - b.0[0], self.0[1] - b.0[1]])
        }
        #[inline(always)]
        pub(super) fn div(self, b: F64x2) -> F64x2 {
            F64x2([self.0[0] / b.0[0], self.0[1] / b.0[1]])
        }
        #[inline(always)]
        fn bits(self, b: F64x2, f: impl Fn(u64, u64) -> u64) -> F64x2 {
            let lane = |i: usize| f64::from_bits(f(self.0[i].to_bits(), b.0[i].to_bits()));
            F64x2([lane(0), lane(1)])
        }
        #[inline(always)]
        fn mask(self, b: F64x2, f: impl Fn(f64, f64) -> bool) -> F64x2 {
            let lane = |i: usize| f64::from_bits(if f(self.0[i], b.0[i]) { u64::MAX } else { 0 });
            F64x2([lane(0), lane(1)])
        }
        /// Both lanes holding the bits `bits`.
        #[inline(always)]
        pub(crate) fn splat_bits(bits: u64) -> F64x2 {
            F64x2([f64::from_bits(bits); 2])
        }
        #[inline(always)]
        pub(crate) fn and(self, b: F64x2) -> F64x2 {
            self.bits(b, |a, b| a & b)
        }
        #[inline(always)]
        pub(crate) fn or(self, b: F64x2) -> F64x2 {
            self.bits(b, |a, b| a | b)
        }
        /// `self` where `self < limit`, else `limit` (so NaN gives `limit`): wasm's `pmin`.
        #[inline(always)]
        pub(crate) fn below(self, limit: F64x2) -> F64x2 {
            let lane = |i: usize| {
                if self.0[i] < limit.0[i] {
                    self.0[i]
                } else {
                    limit.0[i]
                }
            };
            F64x2([lane(0), lane(1)])
        }
        /// The mask of the lanes where `self < b` (false for NaN).
        #[inline(always)]
        pub(crate) fn lt(self, b: F64x2) -> F64x2 {
            self.mask(b, |a, b| a < b)
        }
        /// The mask of the lanes where `self ≥ b` (false for NaN).
        #[inline(always)]
        pub(crate) fn ge(self, b: F64x2) -> F64x2 {
            self.mask(b, |a, b| a >= b)
        }
        /// The mask of the lanes that hold NaN.
        #[inline(always)]
        pub(crate) fn nan(self) -> F64x2 {
            self.mask(self, |a, _| a.is_nan())
        }
        /// A mask's lanes as bits 0 and 1.
        #[inline(always)]
        pub(crate) fn bitmask(self) -> u8 {
            (self.0[0].to_bits() >> 63) as u8 | ((self.0[1].to_bits() >> 63) as u8) << 1
        }
        /// `if_set` in the lanes where `self` (a mask) is set, `if_clear` in the others.
        #[inline(always)]
        pub(crate) fn select(self, if_set: F64x2, if_clear: F64x2) -> F64x2 {
            let m = self;
            if_set.and(m).or(F64x2([
                f64::from_bits(if_clear.0[0].to_bits() & !m.0[0].to_bits()),
                f64::from_bits(if_clear.0[1].to_bits() & !m.0[1].to_bits()),
            ]))
        }
        /// Each lane's bits as an integer n: the number whose bits are (n + add) << 52, in
        /// wrapping u64 arithmetic (how an exponent becomes a power of two).
        #[inline(always)]
        pub(crate) fn exponent_bits(self, add: F64x2) -> F64x2 {
            self.bits(add, |a, b| a.wrapping_add(b) << 52)
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

impl Sub for F64x2 {
    type Output = F64x2;
    #[inline(always)]
    fn sub(self, b: F64x2) -> F64x2 {
        F64x2::sub(self, b)
    }
}

impl Div for F64x2 {
    type Output = F64x2;
    #[inline(always)]
    fn div(self, b: F64x2) -> F64x2 {
        F64x2::div(self, b)
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

    #[test]
    fn masks_select_and_bits_behave_as_in_wasm() {
        let lanes = |v: F64x2| {
            let mut out = [0.0; 2];
            v.store(&mut out);
            out
        };
        let x = F64x2::load(&[-1.5, f64::NAN]);
        let one = F64x2::splat(1.0);
        // Comparisons are false for NaN; a mask is all ones or all zeros.
        assert_eq!(x.lt(one).bitmask(), 0b01);
        assert_eq!(x.ge(one).bitmask(), 0b00);
        assert_eq!(x.nan().bitmask(), 0b10);
        assert_eq!(lanes(x.nan())[1].to_bits(), u64::MAX);
        let picked = lanes(x.lt(one).select(F64x2::splat(7.0), F64x2::splat(8.0)));
        assert_eq!(picked, [7.0, 8.0]);
        // pmin: NaN takes the limit.
        assert_eq!(lanes(x.below(F64x2::splat(-2.0))), [-2.0, -2.0]);
        assert_eq!(lanes(x.below(one))[0], -1.5);
        // |x| and the sign of x, with bit masks.
        let magnitude = F64x2::splat_bits(!(1 << 63));
        assert_eq!(lanes(x.and(magnitude))[0], 1.5);
        assert_eq!(
            lanes(F64x2::splat(2.0).or(x.and(F64x2::splat_bits(1 << 63))))[0],
            -2.0
        );
        // 2^k from k's bits: (k + 1023) << 52.
        let k = F64x2::load(&[f64::from_bits(3), f64::from_bits(-5i64 as u64)]);
        assert_eq!(
            lanes(k.exponent_bits(F64x2::splat_bits(1023))),
            [8.0, 1.0 / 32.0]
        );
        assert_eq!(
            lanes(F64x2::splat(1.0) / F64x2::splat(4.0) - one),
            [-0.75, -0.75]
        );
    }
}

//! sinh and cosh together: a Taylor series for small |x|, (e^|x| ± e^−|x|)/2 from one exp
//! beyond, and the standard library's way where exp would overflow.

use super::exp::{exp_fast, EXP_LIMIT};
use super::*;

/// Below this |x|, sinh uses its Taylor series; from here on (e^|x| − e^−|x|)/2, where
/// e^−|x| ≤ e^−1 is small beside e^|x| and the subtraction loses under half a bit.
pub(super) const SINH_SMALL: f64 = 1.0;

/// 1/(2k + 1)! for k = 1 to 9: sinh x = x + x³·(S3 + S5·x² + … + S19·x¹⁶) + O(x²¹), and
/// x²¹/21! < 2⁻⁶⁵·sinh x for |x| < 1.
pub(super) const SINH_TAYLOR: [f64; 9] = [
    1.0 / 6.0,
    1.0 / 120.0,
    1.0 / 5040.0,
    1.0 / 362880.0,
    1.0 / 39916800.0,
    1.0 / 6227020800.0,
    1.0 / 1307674368000.0,
    1.0 / 355687428096000.0,
    1.0 / 121645100408832000.0,
];

/// How many numbers the sinh series decides for at once: long enough for the vectorised
/// loops, short enough that a block seldom straddles |x| = [`SINH_SMALL`].
pub(super) const SINH_BLOCK: usize = 16;

/// sinh x and cosh x for every x in `xs`, written to `sinh` and `cosh` (the common length of
/// the three slices is used). Both come from one e^|x|, and the derivative of either is the
/// other. |x| beyond 708 (and NaN) are left to [`sinh_cosh_large`].
pub(crate) fn sinh_cosh_column(xs: &[f64], sinh: &mut [f64], cosh: &mut [f64]) {
    let len = xs.len().min(sinh.len()).min(cosh.len());
    let (xs, sinh, cosh) = (&xs[..len], &mut sinh[..len], &mut cosh[..len]);
    let mut slow = 0u64;
    for ((x, s), c) in xs.iter().zip(sinh.iter_mut()).zip(cosh.iter_mut()) {
        (*s, *c) = sinh_cosh_from_exp(*x);
        slow |= u64::from(beyond(x.abs(), EXP_LIMIT));
    }
    // sinh by its series where |x| < 1, in blocks: along a plot's samples neighbours are
    // close, so most blocks have no such x and skip the series.
    for (xs, sinh) in xs.chunks(SINH_BLOCK).zip(sinh.chunks_mut(SINH_BLOCK)) {
        let small = xs
            .iter()
            .fold(0u64, |n, x| n | u64::from(x.abs() < SINH_SMALL));
        if small != 0 {
            for (x, s) in xs.iter().zip(sinh.iter_mut()) {
                // A select, not a branch, so that this loop vectorises too.
                let series = sinh_small(*x);
                *s = if x.abs() < SINH_SMALL { series } else { *s };
            }
        }
    }
    if slow != 0 {
        for ((x, s), c) in xs.iter().zip(sinh.iter_mut()).zip(cosh.iter_mut()) {
            if beyond(x.abs(), EXP_LIMIT) {
                (*s, *c) = sinh_cosh_large(*x);
            }
        }
    }
}

/// (sinh x, cosh x) for one x: the column kernel's arithmetic, which the point-by-point path
/// uses too (so the standard library's sinh and cosh are not in the wasm, and both paths
/// agree bit for bit).
#[inline(never)]
pub(crate) fn sinh_cosh(x: f64) -> (f64, f64) {
    let (mut sinh, mut cosh) = ([0.0], [0.0]);
    sinh_cosh_column(&[x], &mut sinh, &mut cosh);
    (sinh[0], cosh[0])
}

/// (sinh x, cosh x) for |x| > [`EXP_LIMIT`] (and NaN), where e^−|x| is nothing beside e^|x|:
/// both are e^|x|/2, formed as (e^(|x|/2)/2)·e^(|x|/2) because e^|x| itself overflows first.
pub(super) fn sinh_cosh_large(x: f64) -> (f64, f64) {
    let e = (0.5 * x.abs()).exp();
    let cosh = (0.5 * e) * e;
    (f64::from_bits(cosh.to_bits() | (x.to_bits() & SIGN)), cosh)
}

/// (sinh x, cosh x) as (e^|x| ∓ e^−|x|)/2 with the sign of x on sinh, for |x| ≤
/// [`EXP_LIMIT`]; sinh is right from |x| = [`SINH_SMALL`] on. Garbage (but no panic) beyond.
#[inline(always)]
pub(super) fn sinh_cosh_from_exp(x: f64) -> (f64, f64) {
    let ax = x.abs();
    let e = exp_fast(if ax < EXP_LIMIT { ax } else { EXP_LIMIT });
    let half_inverse = 0.5 / e;
    let half = 0.5 * e;
    let sinh = half - half_inverse;
    (
        f64::from_bits(sinh.to_bits() | (x.to_bits() & SIGN)),
        half + half_inverse,
    )
}

/// sinh x for |x| < [`SINH_SMALL`]: |x| + |x|³·S(x²), then the sign of x.
#[inline(always)]
pub(super) fn sinh_small(x: f64) -> f64 {
    let ax = x.abs();
    let z = ax * ax;
    let c = &SINH_TAYLOR;
    let p = c[0]
        + z * (c[1]
            + z * (c[2]
                + z * (c[3] + z * (c[4] + z * (c[5] + z * (c[6] + z * (c[7] + z * c[8])))))));
    let small = ax + ax * (z * p);
    f64::from_bits(small.to_bits() | (x.to_bits() & SIGN))
}

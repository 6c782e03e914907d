//! tanh, per pair of numbers: an odd polynomial near 0, 1 − 2/(e^{2|x|} + 1) beyond.

use super::exp::{EXP_LIMIT, INV_LN2, LN2_HI, LN2_LO, P1, P2, P3, P4, P5};
use super::*;

/// Below this |x|, tanh uses the odd polynomial; from here on 1 − 2/(e^{2|x|} + 1), which
/// loses nothing to cancellation once tanh|x| ≥ 1/2 (at |x| = ln(3)/2 ≈ 0.5493).
pub(super) const TANH_SMALL: f64 = 0.55;

// tanh x = x + x³·T(x²) for |x| ≤ 0.5625 (so beyond TANH_SMALL): a Chebyshev fit (mpmath
// `chebyfit`, degree 10 in x²) of (tanh x − x)/x³, whose relative error including the
// rounding of the coefficients is below 7.1e-17. The x³·T part is at most a tenth of
// tanh x, so its rounding errors shrink tenfold: the result is within 0.75 ulp of tanh x
// (`tanh_is_within_one_and_a_half_ulp_of_the_exact_value`).
/// −1/3, the Taylor coefficient of x³.
pub(super) const T0: f64 = -0.3333333333333333;
pub(super) const T1: f64 = 0.13333333333332392;
pub(super) const T2: f64 = -0.0539682539670594;
pub(super) const T3: f64 = 0.021869488476962563;
pub(super) const T4: f64 = -0.008863234021529514;
pub(super) const T5: f64 = 0.003592105532132769;
pub(super) const T6: f64 = -0.0014556239774192678;
pub(super) const T7: f64 = 0.0005887537111834804;
pub(super) const T8: f64 = -0.00023410556936672797;
pub(super) const T9: f64 = 8.426522203958066e-05;
pub(super) const T10: f64 = -2.0026740085317684e-05;

/// tanh x for every x in `xs`, written to `out` (the shorter length is used). Every input
/// takes a fast path: large |x| clamp to e^708, where 1 − 2/(e^{2|x|} + 1) is 1 anyway, and
/// NaN is passed through.
///
/// The column goes two numbers at a time, and a pair computes only the formula its two numbers
/// need: along a plot's samples, or a network layer's sums over a grid of points, neighbours
/// are close, so a pair whose numbers straddle |x| = [`TANH_SMALL`] (and pays for both) is
/// rare. Deciding per pair, not per block of 16 as before, and keeping the constants in
/// [`TanhLanes`], made a 2-8-8-1 network's predict on a 100 × 100 grid 1.5× faster in Chromium.
pub(crate) fn tanh_column(xs: &[f64], out: &mut [f64]) {
    let len = xs.len().min(out.len());
    let k = black_box(TanhLanes::new());
    let mut xs = xs[..len].chunks_exact(2);
    let mut out = out[..len].chunks_exact_mut(2);
    for (x, t) in (&mut xs).zip(&mut out) {
        tanh_pair(F64x2::load(x), &k).store(t);
    }
    if let ([x], [t]) = (xs.remainder(), out.into_remainder()) {
        let mut pair = [0.0; 2];
        tanh_pair(F64x2::load(&[*x, 0.0]), &k).store(&mut pair);
        *t = pair[0];
    }
}

/// tanh of two numbers, by the formula each needs.
#[inline(always)]
pub(super) fn tanh_pair(x: F64x2, k: &TanhLanes) -> F64x2 {
    let ax = x.and(k.magnitude);
    let large = ax.ge(k.small);
    if large.bitmask() == 0b11 {
        return tanh_large(x, ax, k);
    }
    let small = ax.lt(k.small);
    if small.bitmask() == 0b11 {
        return tanh_small(x, ax, k);
    }
    // One of each, or a NaN (neither), which only passes through as itself.
    let t = small.select(tanh_small(x, ax, k), tanh_large(x, ax, k));
    x.nan().select(x, t)
}

/// tanh's constants, each in both lanes. LLVM writes a constant out beside each use, inside
/// the loop, and V8 builds every 128-bit constant anew with three or four instructions: that
/// was a third of tanh's time. Made once per column and passed through `black_box`, they are
/// values LLVM cannot rewrite as constants, which stay in registers or one load away.
#[derive(Clone, Copy)]
pub(super) struct TanhLanes {
    magnitude: F64x2,
    sign: F64x2,
    small: F64x2,
    one: F64x2,
    two: F64x2,
    exp_limit: F64x2,
    inv_ln2: F64x2,
    toint: F64x2,
    ln2_hi: F64x2,
    ln2_lo: F64x2,
    /// 1023 − TOINT's bits, wrapping: added to t's bits, it gives 2^k's exponent field.
    exponent: F64x2,
    p: [F64x2; 5],
    t: [F64x2; 11],
}

impl TanhLanes {
    fn new() -> TanhLanes {
        let splat = F64x2::splat;
        TanhLanes {
            magnitude: F64x2::splat_bits(!SIGN),
            sign: F64x2::splat_bits(SIGN),
            small: splat(TANH_SMALL),
            one: splat(1.0),
            two: splat(2.0),
            exp_limit: splat(EXP_LIMIT),
            inv_ln2: splat(INV_LN2),
            toint: splat(TOINT),
            ln2_hi: splat(LN2_HI),
            ln2_lo: splat(LN2_LO),
            exponent: F64x2::splat_bits(1023u64.wrapping_sub(TOINT.to_bits())),
            p: [P1, P2, P3, P4, P5].map(splat),
            t: [T0, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10].map(splat),
        }
    }
}

/// tanh x for |x| ≥ [`TANH_SMALL`] (and ±∞), given |x| as `ax`: 1 − 2/(e^{2|x|} + 1) with
/// the sign of x, e^{2|x|} as [`ExpParts`] makes it, lane by lane the same operations.
#[inline(always)]
pub(super) fn tanh_large(x: F64x2, ax: F64x2, k: &TanhLanes) -> F64x2 {
    // Clamped: past e^708 the result is 1 anyway.
    let y = (k.two * ax).below(k.exp_limit);
    let t = y * k.inv_ln2 + k.toint;
    let n = t - k.toint;
    let hi = y - n * k.ln2_hi;
    let lo = n * k.ln2_lo;
    let r = hi - lo;
    let rr = r * r;
    let p = &k.p;
    let c = r - rr * (p[0] + rr * (p[1] + rr * (p[2] + rr * (p[3] + rr * p[4]))));
    let scale = t.exponent_bits(k.exponent);
    // e^{2|x|} = 2^k·m/d with d = 2 − c and m = d·(1 + r) + r·c, so that
    // 2/(e^{2|x|} + 1) = 2d/(2^k·m + d): one division where exp and the quotient took two.
    // It measures within 1.4 ulp (the test below).
    let d = k.two - c;
    let m = d + (r * c + r * d);
    let v = k.one - k.two * d / (scale * m + d);
    v.or(x.and(k.sign))
}

/// tanh x for |x| < [`TANH_SMALL`], given |x| as `ax`: tanh |x| = |x| + |x|³·T(x²), then the
/// sign of x put on with a bit operation (which also gives tanh(−0) = −0). Full relative
/// accuracy down to subnormals, where |x| + |x|·0·T = |x|.
#[inline(always)]
pub(super) fn tanh_small(x: F64x2, ax: F64x2, k: &TanhLanes) -> F64x2 {
    let z = ax * ax;
    let t = &k.t;
    let p = t[0]
        + z * (t[1]
            + z * (t[2]
                + z * (t[3]
                    + z * (t[4]
                        + z * (t[5]
                            + z * (t[6] + z * (t[7] + z * (t[8] + z * (t[9] + z * t[10])))))))));
    let v = ax + ax * (z * p);
    v.or(x.and(k.sign))
}

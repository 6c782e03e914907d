//! exp, and the sigmoid 1/(1 + e^−x) on top of it: musl's reduction x = k·ln 2 + r and its
//! rational approximation of e^r, then 2^k put into the exponent bits.

use super::*;

/// The fast path's limit: e^±708 and 2^k for |k| ≤ 1022 are normal numbers, so the result
/// is neither an overflow nor subnormal (which musl treats separately).
pub(super) const EXP_LIMIT: f64 = 708.0;

/// 1/ln 2 (musl `invln2`, 1.44269504088896338700e+00, 0x3FF71547_652B82FE).
pub(super) const INV_LN2: f64 = std::f64::consts::LOG2_E;
/// ln 2's first 32 bits (musl `ln2hi`, 0x3FE62E42_FEE00000): k·ln2hi is exact for |k| < 2²⁰.
pub(super) const LN2_HI: f64 = 6.93147180369123816490e-01;
/// ln 2 − ln2hi (musl `ln2lo`, 0x3DEA39EF_35793C76).
pub(super) const LN2_LO: f64 = 1.90821492927058770002e-10;

// musl's (fdlibm's) exp: r·(e^r + 1)/(e^r − 1) ≈ 2 + r²·(P1 + P2·r² + … + P5·r⁸) on
// |r| ≤ ln2/2 (a Remez fit), so that with c = r − r²·(P1 + …), e^r = 1 + r + r·c/(2 − c).
/// musl `P1` (0x3FC55555_5555553E).
pub(super) const P1: f64 = 1.66666666666666019037e-01;
/// musl `P2` (0xBF66C16C_16BEBD93).
pub(super) const P2: f64 = -2.77777777770155933842e-03;
/// musl `P3` (0x3F11566A_AF25DE2C).
pub(super) const P3: f64 = 6.61375632143793436117e-05;
/// musl `P4` (0xBEBBBD41_C5D26BF1).
pub(super) const P4: f64 = -1.65339022054652515390e-06;
/// musl `P5` (0x3E663769_72BEA4D0).
pub(super) const P5: f64 = 4.13813679705723846039e-08;

/// eˣ for every x in `xs`, written to `out` (the shorter length is used).
pub(crate) fn exp_column(xs: &[f64], out: &mut [f64]) {
    exp_pass(xs, out, 1.0, |e| e, f64::exp);
}

/// σ(x) = 1/(1 + e^−x) for every x in `xs`, written to `out` (the shorter length is used):
/// [`exp_column`]'s two passes, with [`sigmoid`] beyond |x| = 708, for a network's sigmoid
/// layers, where the scalar `f64::exp` made a sigmoid net ten times slower than a tanh one.
pub(crate) fn sigmoid_column(xs: &[f64], out: &mut [f64]) {
    exp_pass(xs, out, -1.0, |e| 1.0 / (1.0 + e), sigmoid);
}

/// σ(x) = 1/(1 + e^−x) for one number, with the standard library's exp.
pub(crate) fn sigmoid(x: f64) -> f64 {
    // Written e^x/(1 + e^x) on the left: beyond x = −709.78 e^−x overflows, and 1/(1 + ∞)
    // would say 0 where σ is still e^x, down to the smallest subnormal at x = −744.4.
    // It also rounds once less where e^−x is large (the sum is then 1 or 1 + 2⁻⁵²).
    if x < 0.0 {
        let e = x.exp();
        e / (1.0 + e)
    } else {
        1.0 / (1.0 + (-x).exp())
    }
}

/// The two passes of a column built on e^(sign·x): `then(e^(sign·x))` vectorised over every
/// number, then `exact(x)` from the standard library wherever |x| was beyond [`EXP_LIMIT`].
#[inline(always)]
pub(super) fn exp_pass(
    xs: &[f64],
    out: &mut [f64],
    sign: f64,
    then: impl Fn(f64) -> f64,
    exact: impl Fn(f64) -> f64,
) {
    let len = xs.len().min(out.len());
    let (xs, out) = (&xs[..len], &mut out[..len]);
    let mut slow = 0u64;
    for (x, y) in xs.iter().zip(out.iter_mut()) {
        *y = then(exp_fast(sign * x));
        slow |= u64::from(beyond(x.abs(), EXP_LIMIT));
    }
    if slow != 0 {
        for (x, y) in xs.iter().zip(out.iter_mut()) {
            if beyond(x.abs(), EXP_LIMIT) {
                *y = exact(*x);
            }
        }
    }
}

/// eˣ for |x| ≤ [`EXP_LIMIT`]; garbage (but no panic) elsewhere.
#[inline(always)]
pub(super) fn exp_fast(x: f64) -> f64 {
    let e = ExpParts::of(x);
    let y = 1.0 + (e.r * e.c / (2.0 - e.c) - e.lo + e.hi);
    y * e.scale
}

/// musl's exp up to its last division: x = k·ln 2 + r, and e^r = 1 + r + r·c/(2 − c).
pub(super) struct ExpParts {
    /// 2^k
    scale: f64,
    /// r = hi − lo, held as two numbers.
    hi: f64,
    lo: f64,
    r: f64,
    c: f64,
}

impl ExpParts {
    #[inline(always)]
    fn of(x: f64) -> ExpParts {
        let t = x * INV_LN2 + TOINT;
        let k = t - TOINT;
        let hi = x - k * LN2_HI;
        let lo = k * LN2_LO;
        let r = hi - lo;
        let rr = r * r;
        let c = r - rr * (P1 + rr * (P2 + rr * (P3 + rr * (P4 + rr * P5))));
        // 2^k from its bits: k sits in the low bits of t (two's complement), the biased
        // exponent k + 1023 goes to bits 52..62. |k| ≤ 1022 here, so 2^k is a normal number
        // and y·2^k is exact (musl's scalbn).
        let k_bits = t.to_bits().wrapping_sub(TOINT.to_bits());
        let scale = f64::from_bits(k_bits.wrapping_add(1023) << 52);
        ExpParts {
            scale,
            hi,
            lo,
            r,
            c,
        }
    }
}

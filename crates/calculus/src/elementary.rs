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

// ───────────────────────────────────────────────────────────────────────── sin and cos

/// The fast path's limit: |x| ≤ 2¹⁹·π/2, so n = round(x·2/π) has at most 20 bits and
/// n·pio2_1 (31 significant bits) is exact.
const TRIG_LIMIT: f64 = 823549.6631057315;

/// 2/π (musl `invpio2`, 6.36619772367581382433e-01, 0x3FE45F30_6DC9C883).
const INV_PIO2: f64 = std::f64::consts::FRAC_2_PI;
/// π/2 to 33 bits, the last two zero (musl `pio2_1`, 0x3FF921FB_54400000).
const PIO2_1: f64 = 1.57079632673412561417e+00;
/// π/2 − pio2_1 (musl `pio2_1t`, 0x3DD0B461_1A626331).
const PIO2_1T: f64 = 6.07710050650619224932e-11;

// musl's __sin: sin(x) ≈ x + S1·x³ + … + S6·x¹³ on [−π/4, π/4].
/// musl `S1` (0xBFC55555_55555549).
const S1: f64 = -1.66666666666666324348e-01;
/// musl `S2` (0x3F811111_1110F8A6).
const S2: f64 = 8.33333333332248946124e-03;
/// musl `S3` (0xBF2A01A0_19C161D5).
const S3: f64 = -1.98412698298579493134e-04;
/// musl `S4` (0x3EC71DE3_57B1FE7D).
const S4: f64 = 2.75573137070700676789e-06;
/// musl `S5` (0xBE5AE5E6_8A2B9CEB).
const S5: f64 = -2.50507602534068634195e-08;
/// musl `S6` (0x3DE5D93A_5ACFD57C).
const S6: f64 = 1.58969099521155010221e-10;

// musl's __cos: cos(x) ≈ 1 − x²/2 + C1·x⁴ + … + C6·x¹⁴ on [−π/4, π/4].
/// musl `C1` (0x3FA55555_5555554C).
const C1: f64 = 4.16666666666666019037e-02;
/// musl `C2` (0xBF56C16C_16C15177).
const C2: f64 = -1.38888888888741095749e-03;
/// musl `C3` (0x3EFA01A0_19CB1590).
const C3: f64 = 2.48015872894767294178e-05;
/// musl `C4` (0xBE927E4F_809C52AD).
const C4: f64 = -2.75573143513906633035e-07;
/// musl `C5` (0x3E21EE9E_BDB4B1C4).
const C5: f64 = 2.08757232129817482790e-09;
/// musl `C6` (0xBDA8FAE9_BE8838D4).
const C6: f64 = -1.13596475577881948265e-11;

/// sin x and cos x for every x in `xs`, written to `sin` and `cos` (the common length of the
/// three slices is used). Computing both costs little more than one: they share the
/// argument reduction, and the derivative of either is the other.
pub(crate) fn sin_cos_column(xs: &[f64], sin: &mut [f64], cos: &mut [f64]) {
    let len = xs.len().min(sin.len()).min(cos.len());
    let (xs, sin, cos) = (&xs[..len], &mut sin[..len], &mut cos[..len]);
    let mut slow = 0u64;
    for ((x, s), c) in xs.iter().zip(sin.iter_mut()).zip(cos.iter_mut()) {
        let (y0, y1, q) = reduce(*x);
        (*s, *c) = sin_cos_reduced(y0, y1, q);
        slow |= u64::from(needs_std(*x, y0));
    }
    if slow != 0 {
        for ((x, s), c) in xs.iter().zip(sin.iter_mut()).zip(cos.iter_mut()) {
            if needs_std(*x, reduce(*x).0) {
                (*s, *c) = (x.sin(), x.cos());
            }
        }
    }
}

/// Whether x is left to the standard library: beyond the fast path's range, not finite, or
/// so close to a multiple of π/2 that the one-step reduction cancelled more than 16 bits
/// (where musl takes two more steps). That is a fraction |x|/50,000 or so of the arguments
/// around x, one point in 10,000 when plotting on [−10, 10]: cheaper to leave to the fix-up
/// than to take three reduction steps everywhere, which costs 20% more.
#[inline(always)]
fn needs_std(x: f64, y0: f64) -> bool {
    let ax = x.abs();
    beyond(ax, TRIG_LIMIT) || y0.abs() < ax * (1.0 / 65536.0)
}

/// x = n·π/2 + y0 + y1 with |y0| ≲ π/4 and n mod 4 in the low bits of the returned `q`:
/// musl's __rem_pio2 for medium arguments, first step. n·pio2_1 is exact (n has at most 20
/// bits) and so is x − n·pio2_1 (Sterbenz); n·pio2_1t brings y to about 85 bits, which leaves
/// at least 69 where the result is used ([`needs_std`] is false).
#[inline(always)]
fn reduce(x: f64) -> (f64, f64, u64) {
    // n = round(x·2/π).
    let t = x * INV_PIO2 + TOINT;
    let n = t - TOINT;
    let r = x - n * PIO2_1;
    let w = n * PIO2_1T;
    let y0 = r - w;
    let y1 = (r - y0) - w;
    (y0, y1, t.to_bits())
}

/// sin and cos of n·π/2 + y0 + y1 from musl's kernels, for the quadrant n mod 4 in the low
/// bits of `q`: odd quadrants swap sin and cos, quadrants 2 and 3 negate sin, quadrants 1 and
/// 2 negate cos. All by bit masks, not branches.
#[inline(always)]
fn sin_cos_reduced(y0: f64, y1: f64, q: u64) -> (f64, f64) {
    let s = kernel_sin(y0, y1);
    let c = kernel_cos(y0, y1);
    let swap = (q & 1).wrapping_neg();
    let (sb, cb) = (s.to_bits(), c.to_bits());
    let sin_bits = (cb & swap) | (sb & !swap);
    let cos_bits = (sb & swap) | (cb & !swap);
    let sin_sign = (q & 2) << 62;
    let cos_sign = (q.wrapping_add(1) & 2) << 62;
    (
        f64::from_bits(sin_bits ^ sin_sign),
        f64::from_bits(cos_bits ^ cos_sign),
    )
}

/// musl's __sin(x, y, 1): sin(x + y) for |x| ≤ π/4, y a tail much smaller than x.
#[inline(always)]
fn kernel_sin(x: f64, y: f64) -> f64 {
    let z = x * x;
    let w = z * z;
    let r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
    let v = z * x;
    x - ((z * (0.5 * y - v * r) - y) - v * S1)
}

/// musl's __cos(x, y): cos(x + y) for |x| ≤ π/4. 1 − z/2 is formed with its rounding error
/// ((1 − w) − hz) added back, which keeps the result within an ulp near x = ±π/4.
#[inline(always)]
fn kernel_cos(x: f64, y: f64) -> f64 {
    let z = x * x;
    let w = z * z;
    let r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
    let hz = 0.5 * z;
    let w = 1.0 - hz;
    w + (((1.0 - w) - hz) + (z * r - x * y))
}

// ─────────────────────────────────────────────────────────────────────────────── exp

/// The fast path's limit: e^±708 and 2^k for |k| ≤ 1022 are normal numbers, so the result
/// is neither an overflow nor subnormal (which musl treats separately).
const EXP_LIMIT: f64 = 708.0;

/// 1/ln 2 (musl `invln2`, 1.44269504088896338700e+00, 0x3FF71547_652B82FE).
const INV_LN2: f64 = std::f64::consts::LOG2_E;
/// ln 2's first 32 bits (musl `ln2hi`, 0x3FE62E42_FEE00000): k·ln2hi is exact for |k| < 2²⁰.
const LN2_HI: f64 = 6.93147180369123816490e-01;
/// ln 2 − ln2hi (musl `ln2lo`, 0x3DEA39EF_35793C76).
const LN2_LO: f64 = 1.90821492927058770002e-10;

// musl's (fdlibm's) exp: r·(e^r + 1)/(e^r − 1) ≈ 2 + r²·(P1 + P2·r² + … + P5·r⁸) on
// |r| ≤ ln2/2 (a Remez fit), so that with c = r − r²·(P1 + …), e^r = 1 + r + r·c/(2 − c).
/// musl `P1` (0x3FC55555_5555553E).
const P1: f64 = 1.66666666666666019037e-01;
/// musl `P2` (0xBF66C16C_16BEBD93).
const P2: f64 = -2.77777777770155933842e-03;
/// musl `P3` (0x3F11566A_AF25DE2C).
const P3: f64 = 6.61375632143793436117e-05;
/// musl `P4` (0xBEBBBD41_C5D26BF1).
const P4: f64 = -1.65339022054652515390e-06;
/// musl `P5` (0x3E663769_72BEA4D0).
const P5: f64 = 4.13813679705723846039e-08;

/// eˣ for every x in `xs`, written to `out` (the shorter length is used).
pub(crate) fn exp_column(xs: &[f64], out: &mut [f64]) {
    exp_pass(xs, out, 1.0, |e| e, f64::exp);
}

/// σ(x) = 1/(1 + e^−x) for every x in `xs`, written to `out` (the shorter length is used):
/// the standard library's formula on [`exp_column`]'s two passes, for a network's sigmoid
/// layers, where the scalar `f64::exp` made a sigmoid net ten times slower than a tanh one.
pub(crate) fn sigmoid_column(xs: &[f64], out: &mut [f64]) {
    let sigmoid = |x: f64| 1.0 / (1.0 + (-x).exp());
    exp_pass(xs, out, -1.0, |e| 1.0 / (1.0 + e), sigmoid);
}

/// The two passes of a column built on e^(sign·x): `then(e^(sign·x))` vectorised over every
/// number, then `exact(x)` from the standard library wherever |x| was beyond [`EXP_LIMIT`].
#[inline(always)]
fn exp_pass(
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
fn exp_fast(x: f64) -> f64 {
    let e = ExpParts::of(x);
    let y = 1.0 + (e.r * e.c / (2.0 - e.c) - e.lo + e.hi);
    y * e.scale
}

/// musl's exp up to its last division: x = k·ln 2 + r, and e^r = 1 + r + r·c/(2 − c).
struct ExpParts {
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

// ────────────────────────────────────────────────────────────────────────────── tanh

/// Below this |x|, tanh uses the odd polynomial; from here on 1 − 2/(e^{2|x|} + 1), which
/// loses nothing to cancellation once tanh|x| ≥ 1/2 (at |x| = ln(3)/2 ≈ 0.5493).
const TANH_SMALL: f64 = 0.55;

// tanh x = x + x³·T(x²) for |x| ≤ 0.5625 (so beyond TANH_SMALL): a Chebyshev fit (mpmath
// `chebyfit`, degree 10 in x²) of (tanh x − x)/x³, whose relative error including the
// rounding of the coefficients is below 7.1e-17. The x³·T part is at most a tenth of
// tanh x, so its rounding errors shrink tenfold: the result is within 0.75 ulp of tanh x
// (`tanh_is_within_one_and_a_half_ulp_of_the_exact_value`).
/// −1/3, the Taylor coefficient of x³.
const T0: f64 = -0.3333333333333333;
const T1: f64 = 0.13333333333332392;
const T2: f64 = -0.0539682539670594;
const T3: f64 = 0.021869488476962563;
const T4: f64 = -0.008863234021529514;
const T5: f64 = 0.003592105532132769;
const T6: f64 = -0.0014556239774192678;
const T7: f64 = 0.0005887537111834804;
const T8: f64 = -0.00023410556936672797;
const T9: f64 = 8.426522203958066e-05;
const T10: f64 = -2.0026740085317684e-05;

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
fn tanh_pair(x: F64x2, k: &TanhLanes) -> F64x2 {
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
struct TanhLanes {
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
fn tanh_large(x: F64x2, ax: F64x2, k: &TanhLanes) -> F64x2 {
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
fn tanh_small(x: F64x2, ax: F64x2, k: &TanhLanes) -> F64x2 {
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

// ────────────────────────────────────────────────────────────────────────────── atan

// musl's (fdlibm's) atan: |x| is reduced to |t| ≤ 7/16 by one of four identities,
// atan|x| = atan(c) + atan(t) with c = 0, 1/2, 1, 3/2 or ∞ and t a quotient of linear terms in
// |x|, and atan t ≈ t − t³·(aT0 + aT1·t² + … + aT10·t²⁰). musl picks the identity with
// branches; here every lane computes the quotient with coefficients picked by selects, which
// is the same arithmetic, so the results are musl's bit for bit (Rust's in wasm).
/// atan(1/2) to 53 bits (musl `atanhi[0]`, 0x3FDDAC67_0561BB4F) and the rest (`atanlo[0]`,
/// 0x3C7A2B7F_222F65E2).
const ATAN_HALF: (f64, f64) = (4.63647609000806093515e-01, 2.26987774529616870924e-17);
/// atan(1) = π/4 (musl `atanhi[1]`, 0x3FE921FB_54442D18; `atanlo[1]`, 0x3C81A626_33145C07).
const ATAN_ONE: (f64, f64) = (std::f64::consts::FRAC_PI_4, 3.06161699786838301793e-17);
/// atan(3/2) (musl `atanhi[2]`, 0x3FEF730B_D281F69B; `atanlo[2]`, 0x3C700788_7AF0CBBD).
const ATAN_THREE_HALVES: (f64, f64) = (9.82793723247329054082e-01, 1.39033110312309984516e-17);
/// atan(∞) = π/2 (musl `atanhi[3]`, 0x3FF921FB_54442D18; `atanlo[3]`, 0x3C91A626_33145C07).
const ATAN_INFINITY: (f64, f64) = (std::f64::consts::FRAC_PI_2, 6.12323399573676603587e-17);
/// musl `aT[0..=10]` (0x3FD55555_5555550D, 0xBFC99999_9998EBC4, 0x3FC24924_920083FF,
/// 0xBFBC71C6_FE231671, 0x3FB745CD_C54C206E, 0xBFB3B0F2_AF749A6D, 0x3FB10D66_A0D03D51,
/// 0xBFADDE2D_52DEFD9A, 0x3FA97B4B_24760DEB, 0xBFA2B444_2C6A6C2F, 0x3F90AD3A_E322DA11).
const AT: [f64; 11] = [
    3.33333333333329318027e-01,
    -1.99999999998764832476e-01,
    1.42857142725034663711e-01,
    -1.11111104054623557880e-01,
    9.09088713343650656196e-02,
    -7.69187620504482999495e-02,
    6.66107313738753120669e-02,
    -5.83357013379057348645e-02,
    4.97687799461593236017e-02,
    -3.65315727442169155270e-02,
    1.62858201153657823623e-02,
];

/// atan x for every x in `xs`, written to `out` (the shorter length is used). No fix-up
/// pass: ±∞ and NaN come out of the same arithmetic (−1/∞ = −0, so atan ±∞ = ±π/2).
///
/// LLVM leaves the branch-free loop over [`atan_fast`] scalar (its five-way select), so the
/// column goes two numbers at a time by hand: a pair whose two numbers take the same one of
/// musl's identities, which along a plot's samples is nearly every pair, is computed in SIMD
/// lanes with that identity's constants; a pair that straddles two goes number by number.
/// Either way each number gets [`atan_fast`]'s arithmetic, so the bits are musl's.
pub(crate) fn atan_column(xs: &[f64], out: &mut [f64]) {
    let len = xs.len().min(out.len());
    let k = black_box(AtanLanes::new());
    let mut xs = xs[..len].chunks_exact(2);
    let mut out = out[..len].chunks_exact_mut(2);
    for (x, y) in (&mut xs).zip(&mut out) {
        let pair = F64x2::load(x);
        let ax = pair.and(k.magnitude);
        let mut a = [0.0; 2];
        ax.store(&mut a);
        let identity = atan_identity(a[0]);
        if atan_identity(a[1]) == identity {
            atan_pair(pair, ax, identity, &k).store(y);
        } else {
            y[0] = atan_fast(x[0]);
            y[1] = atan_fast(x[1]);
        }
    }
    for (x, y) in xs.remainder().iter().zip(out.into_remainder()) {
        *y = atan_fast(*x);
    }
}

/// Which of musl's reductions takes |x| = `ax`: 0 to 3 for c = 0, 1/2, 1 and 3/2, 4 for
/// c = ∞ (and NaN). musl compares the high word: these are the same thresholds, 7/16, 11/16,
/// 19/16, 39/16.
#[inline(always)]
fn atan_identity(ax: f64) -> usize {
    if ax < 0.4375 {
        0
    } else if ax < 0.6875 {
        1
    } else if ax < 1.1875 {
        2
    } else if ax < 2.4375 {
        3
    } else {
        4
    }
}

/// atan's constants, each in both lanes, made once per column (see [`TanhLanes`] for why).
#[derive(Clone, Copy)]
struct AtanLanes {
    magnitude: F64x2,
    sign: F64x2,
    one: F64x2,
    minus_one: F64x2,
    /// (c, atan c to 53 bits, the rest) for each identity of [`atan_identity`].
    identities: [(F64x2, F64x2, F64x2); 5],
    at: [F64x2; 11],
}

impl AtanLanes {
    fn new() -> AtanLanes {
        let splat = F64x2::splat;
        let identity = |c: f64, (hi, lo): (f64, f64)| (splat(c), splat(hi), splat(lo));
        AtanLanes {
            magnitude: F64x2::splat_bits(!SIGN),
            sign: F64x2::splat_bits(SIGN),
            one: splat(1.0),
            minus_one: splat(-1.0),
            identities: [
                identity(0.0, (0.0, 0.0)),
                identity(0.5, ATAN_HALF),
                identity(1.0, ATAN_ONE),
                identity(1.5, ATAN_THREE_HALVES),
                identity(0.0, ATAN_INFINITY),
            ],
            at: AT.map(splat),
        }
    }
}

/// [`atan_fast`] on two numbers that take the same `identity`, lane by lane the same
/// operations.
#[inline(always)]
fn atan_pair(x: F64x2, ax: F64x2, identity: usize, k: &AtanLanes) -> F64x2 {
    let (c, hi, lo) = k.identities[identity];
    let t = if identity < 4 {
        (ax - c) / (k.one + c * ax)
    } else {
        k.minus_one / ax
    };
    let z = t * t;
    let w = z * z;
    let a = &k.at;
    let s1 = z * (a[0] + w * (a[2] + w * (a[4] + w * (a[6] + w * (a[8] + w * a[10])))));
    let s2 = w * (a[1] + w * (a[3] + w * (a[5] + w * (a[7] + w * a[9]))));
    let y = hi - ((t * (s1 + s2) - lo) - t);
    y.or(x.and(k.sign))
}

/// musl's atan, branch-free: atan|x| = atan c + atan t with t = (|x| − c)/(1 + c·|x|) for
/// c = 0, 1/2, 1 or 3/2, and t = −1/|x| for c = ∞. musl writes the c = 1/2 case as
/// (2|x| − 1)/(2 + |x|): the same quotient, numerator and denominator each exactly doubled.
#[inline(always)]
fn atan_fast(x: f64) -> f64 {
    let ax = x.abs();
    // musl compares the high word: these are the same thresholds, 7/16, 11/16, 19/16, 39/16.
    let (c, (hi, lo)) = if ax < 0.4375 {
        (0.0, (0.0, 0.0))
    } else if ax < 0.6875 {
        (0.5, ATAN_HALF)
    } else if ax < 1.1875 {
        (1.0, ATAN_ONE)
    } else if ax < 2.4375 {
        (1.5, ATAN_THREE_HALVES)
    } else {
        (0.0, ATAN_INFINITY)
    };
    // For c = ∞ the quotient is set apart, so that ∞ − ∞ never happens.
    let near = ax < 2.4375;
    let t = if near { ax - c } else { -1.0 } / if near { 1.0 + c * ax } else { ax };
    let z = t * t;
    let w = z * z;
    let s1 = z * (AT[0] + w * (AT[2] + w * (AT[4] + w * (AT[6] + w * (AT[8] + w * AT[10])))));
    let s2 = w * (AT[1] + w * (AT[3] + w * (AT[5] + w * (AT[7] + w * AT[9]))));
    // For |x| < 7/16, hi = lo = 0 and this is musl's t − t·(s1 + s2), negated twice.
    let y = hi - ((t * (s1 + s2) - lo) - t);
    f64::from_bits(y.to_bits() | (x.to_bits() & SIGN))
}

// ───────────────────────────────────────────────────────────────────────── sinh and cosh

/// Below this |x|, sinh uses its Taylor series; from here on (e^|x| − e^−|x|)/2, where
/// e^−|x| ≤ e^−1 is small beside e^|x| and the subtraction loses under half a bit.
const SINH_SMALL: f64 = 1.0;

/// 1/(2k + 1)! for k = 1 to 9: sinh x = x + x³·(S3 + S5·x² + … + S19·x¹⁶) + O(x²¹), and
/// x²¹/21! < 2⁻⁶⁵·sinh x for |x| < 1.
const SINH_TAYLOR: [f64; 9] = [
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
const SINH_BLOCK: usize = 16;

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
fn sinh_cosh_large(x: f64) -> (f64, f64) {
    let e = (0.5 * x.abs()).exp();
    let cosh = (0.5 * e) * e;
    (f64::from_bits(cosh.to_bits() | (x.to_bits() & SIGN)), cosh)
}

/// (sinh x, cosh x) as (e^|x| ∓ e^−|x|)/2 with the sign of x on sinh, for |x| ≤
/// [`EXP_LIMIT`]; sinh is right from |x| = [`SINH_SMALL`] on. Garbage (but no panic) beyond.
#[inline(always)]
fn sinh_cosh_from_exp(x: f64) -> (f64, f64) {
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
fn sinh_small(x: f64) -> f64 {
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_overview_example() {
        let xs = [0.0, 0.5, -3.0, f64::INFINITY];
        let (mut sin, mut cos, mut exp, mut tanh) = ([0.0; 4], [0.0; 4], [0.0; 4], [0.0; 4]);
        sin_cos_column(&xs, &mut sin, &mut cos);
        exp_column(&xs, &mut exp);
        tanh_column(&xs, &mut tanh);
        for (i, x) in xs.iter().enumerate() {
            let ulps = |a: f64, b: f64| (a.to_bits() as i64 - b.to_bits() as i64).abs();
            assert!(ulps(sin[i], x.sin()) <= 2 || sin[i].is_nan() && x.sin().is_nan());
            assert!(ulps(cos[i], x.cos()) <= 2 || cos[i].is_nan() && x.cos().is_nan());
            assert!(ulps(exp[i], x.exp()) <= 2);
            assert!(ulps(tanh[i], x.tanh()) <= 2);
        }
        assert_eq!((exp[3], tanh[3]), (f64::INFINITY, 1.0));
    }

    /// How many representable numbers lie between a and b (0 if equal; NaN only matches NaN).
    fn ulps(a: f64, b: f64) -> u64 {
        if a.is_nan() || b.is_nan() {
            return if a.is_nan() && b.is_nan() {
                0
            } else {
                u64::MAX
            };
        }
        // Map the floats onto a line of integers that is monotonic across zero.
        let key = |x: f64| {
            let bits = x.to_bits() as i64;
            if bits < 0 {
                i64::MIN - bits
            } else {
                bits
            }
        };
        key(a).abs_diff(key(b))
    }

    type Kernel = fn(&[f64], &mut [f64]);
    type Reference = fn(f64) -> f64;

    fn sin_k(xs: &[f64], out: &mut [f64]) {
        sin_cos_column(xs, out, &mut vec![0.0; xs.len()]);
    }
    fn cos_k(xs: &[f64], out: &mut [f64]) {
        sin_cos_column(xs, &mut vec![0.0; xs.len()], out);
    }
    fn sinh_k(xs: &[f64], out: &mut [f64]) {
        sinh_cosh_column(xs, out, &mut vec![0.0; xs.len()]);
    }
    fn cosh_k(xs: &[f64], out: &mut [f64]) {
        sinh_cosh_column(xs, &mut vec![0.0; xs.len()], out);
    }

    fn sigmoid(x: f64) -> f64 {
        1.0 / (1.0 + (-x).exp())
    }

    const KERNELS: [(&str, Kernel, Reference); 8] = [
        ("sin", sin_k, f64::sin),
        ("cos", cos_k, f64::cos),
        ("exp", exp_column, f64::exp),
        ("tanh", tanh_column, f64::tanh),
        ("atan", atan_column, f64::atan),
        ("sinh", sinh_k, f64::sinh),
        ("cosh", cosh_k, f64::cosh),
        ("sigmoid", sigmoid_column, sigmoid),
    ];

    /// The largest ulp distance from the standard library over `xs`, and where.
    fn worst(kernel: Kernel, reference: Reference, xs: &[f64]) -> (u64, f64) {
        let mut out = vec![0.0; xs.len()];
        kernel(xs, &mut out);
        xs.iter()
            .zip(&out)
            .map(|(&x, &y)| (ulps(y, reference(x)), x))
            .fold((0, f64::NAN), |a, b| if b.0 > a.0 { b } else { a })
    }

    fn assert_within(name: &str, xs: &[f64], max: u64) -> u64 {
        let (kernel, reference) = KERNELS
            .iter()
            .find(|k| k.0 == name)
            .map(|k| (k.1, k.2))
            .unwrap();
        let (u, x) = worst(kernel, reference, xs);
        assert!(u <= max, "{name}({x:e}) is {u} ulp from std");
        u
    }

    fn grid(lo: f64, hi: f64, n: usize) -> Vec<f64> {
        (0..=n)
            .map(|i| lo + (hi - lo) * i as f64 / n as f64)
            .collect()
    }

    #[test]
    fn constants_are_musls_bits() {
        let bits = [
            (INV_PIO2, 0x3FE45F30_6DC9C883),
            (PIO2_1, 0x3FF921FB_54400000),
            (PIO2_1T, 0x3DD0B461_1A626331),
            (S1, 0xBFC55555_55555549),
            (S2, 0x3F811111_1110F8A6),
            (S3, 0xBF2A01A0_19C161D5),
            (S4, 0x3EC71DE3_57B1FE7D),
            (S5, 0xBE5AE5E6_8A2B9CEB),
            (S6, 0x3DE5D93A_5ACFD57C),
            (C1, 0x3FA55555_5555554C),
            (C2, 0xBF56C16C_16C15177),
            (C3, 0x3EFA01A0_19CB1590),
            (C4, 0xBE927E4F_809C52AD),
            (C5, 0x3E21EE9E_BDB4B1C4),
            (C6, 0xBDA8FAE9_BE8838D4),
            (INV_LN2, 0x3FF71547_652B82FE),
            (LN2_HI, 0x3FE62E42_FEE00000),
            (LN2_LO, 0x3DEA39EF_35793C76),
            (P1, 0x3FC55555_5555553E),
            (P2, 0xBF66C16C_16BEBD93),
            (P3, 0x3F11566A_AF25DE2C),
            (P4, 0xBEBBBD41_C5D26BF1),
            (P5, 0x3E663769_72BEA4D0),
            (ATAN_HALF.0, 0x3FDDAC67_0561BB4F),
            (ATAN_HALF.1, 0x3C7A2B7F_222F65E2),
            (ATAN_ONE.0, 0x3FE921FB_54442D18),
            (ATAN_ONE.1, 0x3C81A626_33145C07),
            (ATAN_THREE_HALVES.0, 0x3FEF730B_D281F69B),
            (ATAN_THREE_HALVES.1, 0x3C700788_7AF0CBBD),
            (ATAN_INFINITY.0, 0x3FF921FB_54442D18),
            (ATAN_INFINITY.1, 0x3C91A626_33145C07),
            (AT[0], 0x3FD55555_5555550D),
            (AT[1], 0xBFC99999_9998EBC4),
            (AT[2], 0x3FC24924_920083FF),
            (AT[3], 0xBFBC71C6_FE231671),
            (AT[4], 0x3FB745CD_C54C206E),
            (AT[5], 0xBFB3B0F2_AF749A6D),
            (AT[6], 0x3FB10D66_A0D03D51),
            (AT[7], 0xBFADDE2D_52DEFD9A),
            (AT[8], 0x3FA97B4B_24760DEB),
            (AT[9], 0xBFA2B444_2C6A6C2F),
            (AT[10], 0x3F90AD3A_E322DA11),
        ];
        for (i, (c, b)) in bits.iter().enumerate() {
            assert_eq!(c.to_bits(), *b, "constant {i}");
        }
        assert_eq!(TOINT, 1.5 * 2f64.powi(52));
        assert!(TRIG_LIMIT <= 2f64.powi(19) * std::f64::consts::FRAC_PI_2);
    }

    #[test]
    fn dense_grids_stay_within_two_ulp() {
        // 200,001 points each; the margins beyond the fast ranges exercise the fix-up.
        assert_within("sin", &grid(-1e5, 1e5, 200_000), 2);
        assert_within("cos", &grid(-1e5, 1e5, 200_000), 2);
        assert_within("sin", &grid(-7.0, 7.0, 200_000), 2);
        assert_within("cos", &grid(-7.0, 7.0, 200_000), 2);
        assert_within("exp", &grid(-745.5, 710.0, 200_000), 2);
        assert_within("exp", &grid(-2.0, 2.0, 200_000), 2);
        assert_within("tanh", &grid(-30.0, 30.0, 200_000), 2);
        assert_within("tanh", &grid(-1.0, 1.0, 200_000), 2);
        assert_within("atan", &grid(-1e3, 1e3, 200_000), 2);
        assert_within("atan", &grid(-3.0, 3.0, 200_000), 2);
        assert_within("sinh", &grid(-710.0, 710.0, 200_000), 2);
        assert_within("sinh", &grid(-3.0, 3.0, 200_000), 2);
        assert_within("cosh", &grid(-710.0, 710.0, 200_000), 2);
        assert_within("cosh", &grid(-3.0, 3.0, 200_000), 2);
    }

    /// musl's atan as its C source writes it, branches and all.
    fn musl_atan(x: f64) -> f64 {
        let ix = (x.to_bits() >> 32) as u32 & 0x7fff_ffff;
        if ix >= 0x4410_0000 {
            return if x.is_nan() {
                x
            } else {
                (ATAN_INFINITY.0 + ATAN_INFINITY.1).copysign(x)
            };
        }
        let (id, t) = if ix < 0x3fdc_0000 {
            if ix < 0x3e40_0000 {
                return x;
            }
            (None, x)
        } else {
            let x = x.abs();
            if ix < 0x3ff3_0000 {
                if ix < 0x3fe6_0000 {
                    (Some(ATAN_HALF), (2.0 * x - 1.0) / (2.0 + x))
                } else {
                    (Some(ATAN_ONE), (x - 1.0) / (x + 1.0))
                }
            } else if ix < 0x4003_8000 {
                (Some(ATAN_THREE_HALVES), (x - 1.5) / (1.0 + 1.5 * x))
            } else {
                (Some(ATAN_INFINITY), -1.0 / x)
            }
        };
        let z = t * t;
        let w = z * z;
        let s1 = z * (AT[0] + w * (AT[2] + w * (AT[4] + w * (AT[6] + w * (AT[8] + w * AT[10])))));
        let s2 = w * (AT[1] + w * (AT[3] + w * (AT[5] + w * (AT[7] + w * AT[9]))));
        match id {
            None => t - t * (s1 + s2),
            Some((hi, lo)) => (hi - (t * (s1 + s2) - lo - t)).copysign(x),
        }
    }

    #[test]
    fn atan_is_musls_bit_for_bit() {
        let mut xs = grid(-5.0, 5.0, 200_000);
        xs.extend(grid(-1e20, 1e20, 20_000));
        xs.extend([
            0.4375,
            0.6875,
            1.1875,
            2.4375,
            1e-9,
            1e-300,
            -0.0,
            1e30,
            f64::INFINITY,
        ]);
        let more: Vec<f64> = xs
            .iter()
            .flat_map(|x| [f64::from_bits(x.to_bits() + 1), -x])
            .collect();
        xs.extend(more);
        let mut out = vec![0.0; xs.len()];
        atan_column(&xs, &mut out);
        for (x, y) in xs.iter().zip(&out) {
            let want = musl_atan(*x);
            assert!(
                y.to_bits() == want.to_bits() || y.is_nan() && want.is_nan(),
                "atan({x:e})"
            );
        }
    }

    #[test]
    fn near_multiples_of_half_pi() {
        // The doubles next to k·π/2, where the reduction cancels the most (these go to the
        // standard library), and doubles about 2⁻¹⁶·|x| away, either side of where the fast
        // path takes over, for k up to beyond the fast path's limit.
        let mut xs = Vec::new();
        for k in (1..600_000i64).step_by(997).chain(1..64) {
            let c = k as f64 * std::f64::consts::FRAC_PI_2;
            let bits = c.to_bits();
            let near = (bits - 64..bits + 64).map(f64::from_bits);
            let edge = [0.25, 0.5, 0.9, 0.99, 1.01, 1.1, 2.0, 4.0, 64.0]
                .into_iter()
                .flat_map(|m| [c * (1.0 + m / 65536.0), c * (1.0 - m / 65536.0)]);
            for x in near.chain(edge) {
                xs.extend([x, -x]);
            }
        }
        // Halfway between quadrants, where n = round(x·2/π) could go either way.
        xs.extend((0..64).map(|k| (2 * k + 1) as f64 * std::f64::consts::FRAC_PI_4));
        assert_within("sin", &xs, 2);
        assert_within("cos", &xs, 2);
    }

    #[test]
    fn tiny_values_are_exact() {
        let mut xs = vec![
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
            1e-300,
            -1e-300,
        ];
        xs.extend((0..200).map(|i| 1e-9 * 0.9f64.powi(i)));
        xs.extend((0..200).map(|i| -1e-9 * 0.9f64.powi(i)));
        for (name, kernel, reference) in KERNELS {
            let mut out = vec![0.0; xs.len()];
            kernel(&xs, &mut out);
            for (x, y) in xs.iter().zip(&out) {
                let want = reference(*x);
                // Bit for bit: sin(−0) = −0, tanh(−1e-300) = −1e-300.
                assert!(
                    y.to_bits() == want.to_bits() || ulps(*y, want) <= 1 && x.abs() > 1e-200,
                    "{name}({x:e}) = {y:e}, std {want:e}"
                );
            }
        }
    }

    #[test]
    fn special_values_match_std_exactly() {
        let xs = [
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN,
            1e300,
            -1e300,
            1e6,
            -1e6,
            TRIG_LIMIT,
            f64::from_bits(TRIG_LIMIT.to_bits() + 1),
            708.0,
            f64::from_bits(708.0f64.to_bits() + 1),
            709.782712893384,
            709.7827128933841,
            -708.4,
            -745.1332191019411,
            -745.1332191019412,
            -746.0,
            20.0,
            -20.0,
            22.0,
            -22.0,
            710.0,
            -710.0,
        ];
        for (name, kernel, reference) in KERNELS {
            let mut out = vec![0.0; xs.len()];
            kernel(&xs, &mut out);
            for (x, y) in xs.iter().zip(&out) {
                let want = reference(*x);
                assert!(ulps(*y, want) <= 1, "{name}({x:e}) = {y:e}, std {want:e}");
                if !want.is_finite() || want == 0.0 || want.abs() == 1.0 {
                    assert!(
                        y.to_bits() == want.to_bits() || want.is_nan() && y.is_nan(),
                        "{name}({x:e}) = {y:e}, std {want:e}"
                    );
                }
            }
        }
        let mut t = [0.0; 6];
        tanh_column(
            &[
                1e-300,
                -1e-300,
                20.0,
                -20.0,
                f64::INFINITY,
                f64::NEG_INFINITY,
            ],
            &mut t,
        );
        assert_eq!(t, [1e-300, -1e-300, 1.0, -1.0, 1.0, -1.0]);
        assert!(t[1].is_sign_negative());
    }

    #[test]
    fn columns_of_any_length_and_mismatched_slices() {
        let xs: Vec<f64> = (0..37).map(|i| i as f64 * 0.3 - 5.0).collect();
        let (mut s, mut c) = (vec![9.0; 40], vec![9.0; 20]);
        sin_cos_column(&xs, &mut s, &mut c);
        assert_eq!(s[20..], [9.0; 20]);
        assert_eq!(c[19], xs[19].cos());
        let mut e = vec![9.0; 3];
        exp_column(&xs, &mut e);
        assert!(ulps(e[2], xs[2].exp()) <= 1);
        tanh_column(&[], &mut e);
        sin_cos_column(&[], &mut [], &mut []);
    }

    /// Double-double arithmetic (about 106 bits), for an exact-enough tanh.
    #[derive(Clone, Copy)]
    struct Dd(f64, f64);

    impl Dd {
        fn normal(hi: f64, lo: f64) -> Dd {
            let s = hi + lo;
            Dd(s, lo - (s - hi))
        }
        fn add(self, b: Dd) -> Dd {
            let s = self.0 + b.0;
            let bb = s - self.0;
            let e = (self.0 - (s - bb)) + (b.0 - bb);
            Dd::normal(s, e + self.1 + b.1)
        }
        fn mul(self, b: Dd) -> Dd {
            let p = self.0 * b.0;
            let e = self.0.mul_add(b.0, -p);
            Dd::normal(p, e + self.0 * b.1 + self.1 * b.0)
        }
        fn div(self, b: Dd) -> Dd {
            let q1 = self.0 / b.0;
            let r = self.add(b.mul(Dd(-q1, 0.0)));
            Dd::normal(q1, r.0 / b.0)
        }
    }

    /// tanh x to ~100 bits for |x| ≤ 1, as sinh x / cosh x from their series.
    fn exact_tanh(x: f64) -> Dd {
        let x = Dd(x, 0.0);
        let xx = x.mul(x);
        let (mut sinh, mut cosh) = (x, Dd(1.0, 0.0));
        let (mut s_term, mut c_term) = (x, Dd(1.0, 0.0));
        for k in 1..20 {
            let k = f64::from(k);
            s_term = s_term.mul(xx).div(Dd(2.0 * k * (2.0 * k + 1.0), 0.0));
            c_term = c_term.mul(xx).div(Dd(2.0 * k * (2.0 * k - 1.0), 0.0));
            sinh = sinh.add(s_term);
            cosh = cosh.add(c_term);
        }
        sinh.div(cosh)
    }

    #[test]
    fn tanh_is_within_one_and_a_half_ulp_of_the_exact_value() {
        // Where std's tanh is itself up to 2 ulp out (musl's and glibc's both use expm1 there),
        // the polynomial is within 0.75 ulp of tanh. 1 − 2/(e^{2|x|} + 1) is within 1.4 at
        // worst, just beyond TANH_SMALL: 2/(…) ≤ 1/2 carries up to 1.75 of its own ulp of
        // error (exp's, damped by e/(e + 1), then the sum's and the quotient's), which is
        // 0.875 of the result's, and the subtraction rounds once more.
        let xs = grid(-1.0, 1.0, 100_000);
        let mut out = vec![0.0; xs.len()];
        tanh_column(&xs, &mut out);
        let mut worst = [0.0f64; 2];
        for (x, t) in xs.iter().zip(&out) {
            let exact = exact_tanh(*x);
            let ulp = f64::from_bits(t.abs().to_bits() + 1) - t.abs();
            let error = ((t - exact.0) - exact.1).abs() / ulp;
            let w = &mut worst[usize::from(x.abs() >= TANH_SMALL)];
            *w = w.max(error);
        }
        assert!(worst[0] < 0.8 && worst[1] < 1.5, "{worst:?} ulp");
    }

    fn anywhere() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>(),
            -1e5..1e5f64,
            -10.0..10.0f64,
            -1e-3..1e-3f64,
            -745.5..710.0f64,
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn every_kernel_within_two_ulp_of_std(xs in proptest::collection::vec(anywhere(), 1..40)) {
            for (name, kernel, reference) in KERNELS {
                let (u, x) = worst(kernel, reference, &xs);
                prop_assert!(u <= 2, "{}({:e}) is {} ulp from std", name, x, u);
            }
        }
    }

    /// Prints the worst ulp distance on large samples: `cargo test --release -p calculus
    /// elementary -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn report_worst_ulps() {
        let mut state = 0x9E3779B97F4A7C15u64;
        let mut uniform = |lo: f64, hi: f64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            lo + (hi - lo) * (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let ranges: [(&str, f64, f64); 11] = [
            ("sin", -1e5, 1e5),
            ("cos", -1e5, 1e5),
            ("sin", -4.0, 4.0),
            ("cos", -4.0, 4.0),
            ("exp", -745.0, 710.0),
            ("tanh", -30.0, 30.0),
            ("tanh", -0.6, 0.6),
            ("atan", -10.0, 10.0),
            ("sinh", -3.0, 3.0),
            ("sinh", -710.0, 710.0),
            ("cosh", -3.0, 3.0),
        ];
        for (name, lo, hi) in ranges {
            let xs: Vec<f64> = (0..10_000_000).map(|_| uniform(lo, hi)).collect();
            let (kernel, reference) = KERNELS
                .iter()
                .find(|k| k.0 == name)
                .map(|k| (k.1, k.2))
                .unwrap();
            let mut out = vec![0.0; xs.len()];
            kernel(&xs, &mut out);
            let mut histogram = [0usize; 4];
            let mut worst = (0, 0.0);
            for (x, y) in xs.iter().zip(&out) {
                let u = ulps(*y, reference(*x));
                histogram[(u as usize).min(3)] += 1;
                if u > worst.0 {
                    worst = (u, *x);
                }
            }
            println!(
                "{name:>4} on [{lo}, {hi}]: max {} ulp (at {:e}); 0/1/2/3+ ulp: {histogram:?}",
                worst.0, worst.1
            );
        }
    }
}

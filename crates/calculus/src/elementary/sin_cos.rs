//! sin and cos together: one range reduction (x = n·π/2 + y) serves both, then musl's
//! polynomials on y, the quadrant picking which is which.

use super::*;

/// The fast path's limit: |x| ≤ 2¹⁹·π/2, so n = round(x·2/π) has at most 20 bits and
/// n·pio2_1 (31 significant bits) is exact.
pub(super) const TRIG_LIMIT: f64 = 823549.6631057315;

/// 2/π (musl `invpio2`, 6.36619772367581382433e-01, 0x3FE45F30_6DC9C883).
pub(super) const INV_PIO2: f64 = std::f64::consts::FRAC_2_PI;
/// π/2 to 33 bits, the last two zero (musl `pio2_1`, 0x3FF921FB_54400000).
pub(super) const PIO2_1: f64 = 1.57079632673412561417e+00;
/// π/2 − pio2_1 (musl `pio2_1t`, 0x3DD0B461_1A626331).
pub(super) const PIO2_1T: f64 = 6.07710050650619224932e-11;

// musl's __sin: sin(x) ≈ x + S1·x³ + … + S6·x¹³ on [−π/4, π/4].
/// musl `S1` (0xBFC55555_55555549).
pub(super) const S1: f64 = -1.66666666666666324348e-01;
/// musl `S2` (0x3F811111_1110F8A6).
pub(super) const S2: f64 = 8.33333333332248946124e-03;
/// musl `S3` (0xBF2A01A0_19C161D5).
pub(super) const S3: f64 = -1.98412698298579493134e-04;
/// musl `S4` (0x3EC71DE3_57B1FE7D).
pub(super) const S4: f64 = 2.75573137070700676789e-06;
/// musl `S5` (0xBE5AE5E6_8A2B9CEB).
pub(super) const S5: f64 = -2.50507602534068634195e-08;
/// musl `S6` (0x3DE5D93A_5ACFD57C).
pub(super) const S6: f64 = 1.58969099521155010221e-10;

// musl's __cos: cos(x) ≈ 1 − x²/2 + C1·x⁴ + … + C6·x¹⁴ on [−π/4, π/4].
/// musl `C1` (0x3FA55555_5555554C).
pub(super) const C1: f64 = 4.16666666666666019037e-02;
/// musl `C2` (0xBF56C16C_16C15177).
pub(super) const C2: f64 = -1.38888888888741095749e-03;
/// musl `C3` (0x3EFA01A0_19CB1590).
pub(super) const C3: f64 = 2.48015872894767294178e-05;
/// musl `C4` (0xBE927E4F_809C52AD).
pub(super) const C4: f64 = -2.75573143513906633035e-07;
/// musl `C5` (0x3E21EE9E_BDB4B1C4).
pub(super) const C5: f64 = 2.08757232129817482790e-09;
/// musl `C6` (0xBDA8FAE9_BE8838D4).
pub(super) const C6: f64 = -1.13596475577881948265e-11;

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
pub(super) fn needs_std(x: f64, y0: f64) -> bool {
    let ax = x.abs();
    beyond(ax, TRIG_LIMIT) || y0.abs() < ax * (1.0 / 65536.0)
}

/// x = n·π/2 + y0 + y1 with |y0| ≲ π/4 and n mod 4 in the low bits of the returned `q`:
/// musl's __rem_pio2 for medium arguments, first step. n·pio2_1 is exact (n has at most 20
/// bits) and so is x − n·pio2_1 (Sterbenz); n·pio2_1t brings y to about 85 bits, which leaves
/// at least 69 where the result is used ([`needs_std`] is false).
#[inline(always)]
pub(super) fn reduce(x: f64) -> (f64, f64, u64) {
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
pub(super) fn sin_cos_reduced(y0: f64, y1: f64, q: u64) -> (f64, f64) {
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
pub(super) fn kernel_sin(x: f64, y: f64) -> f64 {
    let z = x * x;
    let w = z * z;
    let r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
    let v = z * x;
    x - ((z * (0.5 * y - v * r) - y) - v * S1)
}

/// musl's __cos(x, y): cos(x + y) for |x| ≤ π/4. 1 − z/2 is formed with its rounding error
/// ((1 − w) − hz) added back, which keeps the result within an ulp near x = ±π/4.
#[inline(always)]
pub(super) fn kernel_cos(x: f64, y: f64) -> f64 {
    let z = x * x;
    let w = z * z;
    let r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
    let hz = 0.5 * z;
    let w = 1.0 - hz;
    w + (((1.0 - w) - hz) + (z * r - x * y))
}

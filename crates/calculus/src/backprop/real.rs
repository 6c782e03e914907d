//! Real functions the rules need that the standard library does not give as the book
//! defines them (or gives at a cost in every wasm build): cube root, log₂, the inverse sines,
//! roots of any degree, sign and step.

use std::f64::consts::{LOG2_E, SQRT_2};

/// The real cube root, within an ulp of the standard library's and exact for perfect cubes:
/// powf(|x|, 1/3) is off by up to |ln x|·2⁻⁵⁴ relative, 1/3 not being a float, and one Newton
/// step on y³ = |x| takes that away. (The standard library's cbrt of its own costs every wasm
/// build 0.4 KB gzipped.) Far out, |x| is first scaled by 2^∓300, so that y³ neither
/// overflows nor loses digits as a subnormal, and the root scaled back by 2^±100: exactly.
pub(super) fn cbrt(x: f64) -> f64 {
    let ax = x.abs();
    let (scaled, back) = if ax < 1e-290 {
        (ax * TWO_300, TWO_MINUS_100)
    } else if ax > 1e290 {
        (ax * TWO_MINUS_300, TWO_100)
    } else {
        (ax, 1.0)
    };
    let y = scaled.powf(1.0 / 3.0);
    // 0, ∞ and NaN as powf gives them.
    let y = if y > 0.0 && y < f64::INFINITY {
        y - (y * y * y - scaled) / (3.0 * y * y)
    } else {
        y
    };
    f64::from_bits((y * back).to_bits() | (x.to_bits() & (1 << 63)))
}

/// log₂ x as e + log₂ m, where x = m·2^e with √½ ≤ m < √2: exact for powers of two (m = 1),
/// within 2 ulp of the standard library's elsewhere, and cheaper in the wasm than its log2
/// (0.2 KB gzipped).
pub(super) fn log2(x: f64) -> f64 {
    if !(f64::MIN_POSITIVE..f64::INFINITY).contains(&x) {
        // Subnormals scaled up by 2⁵⁴; 0, ∞, negatives and NaN as ln has them.
        return if x > 0.0 && x < f64::MIN_POSITIVE {
            log2(x * TWO_54) - 54.0
        } else {
            x.ln() * LOG2_E
        };
    }
    let bits = x.to_bits();
    let mut exponent = ((bits >> 52) as i64 - 1023) as f64;
    let mut m = f64::from_bits(bits & ((1 << 52) - 1) | 1f64.to_bits());
    if m > SQRT_2 {
        m *= 0.5;
        exponent += 1.0;
    }
    exponent + m.ln() * LOG2_E
}

/// 2⁵⁴, for [`log2`].
pub(super) const TWO_54: f64 = 18014398509481984.0;

/// 2³⁰⁰, 2⁻³⁰⁰, 2¹⁰⁰ and 2⁻¹⁰⁰, for [`cbrt`].
pub(super) const TWO_300: f64 = 2.037035976334486e90;
pub(super) const TWO_MINUS_300: f64 = 4.909093465297727e-91;
pub(super) const TWO_100: f64 = 1.2676506002282294e30;
pub(super) const TWO_MINUS_100: f64 = 7.888609052210118e-31;

/// asin x as the angle of the point (√(1 − x²), x), within 2 ulp of the standard library's:
/// atan2 is in the wasm anyway, and asin and acos of their own cost it 0.6 KB gzipped.
pub(super) fn asin(x: f64) -> f64 {
    x.atan2(((1.0 - x) * (1.0 + x)).sqrt())
}

/// acos x as the angle of the point (x, √(1 − x²)), within 1 ulp of the standard library's.
pub(super) fn acos(x: f64) -> f64 {
    ((1.0 - x) * (1.0 + x)).sqrt().atan2(x)
}

/// |x|·√(x² − 1), the denominator of asec' and acsc', as |x|·√(|x| − 1)·√(|x| + 1).
#[inline(always)]
pub(super) fn abs_root_square_minus_one(x: f64) -> f64 {
    let ax = x.abs();
    ax * ((ax - 1.0).sqrt() * (ax + 1.0).sqrt())
}

/// nthRoot(a, n): a^(1/n), and for negative a and odd integer n the real root −|a|^(1/n)
/// (mathjs's nthRoot; powf would give NaN). n = 3 is exactly cbrt.
pub(super) fn root(a: f64, n: f64) -> f64 {
    if n == 3.0 {
        cbrt(a)
    } else if a < 0.0 && (n % 2.0).abs() == 1.0 {
        -(-a).powf(1.0 / n)
    } else {
        a.powf(1.0 / n)
    }
}

/// −1, 0 or 1 (NaN for NaN). Unlike `f64::signum`, sign(0) = 0.
pub(super) fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        x * 0.0
    }
}

/// 1 for x > 0, 0 for x ≤ 0 (NaN for NaN).
pub(super) fn step(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x.is_nan() {
        x
    } else {
        0.0
    }
}

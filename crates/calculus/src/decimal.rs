//! Decimal text to the nearest `f64`, for the number literals readers type.
//!
//! `str::parse::<f64>` is exact, but it ships the Eisel–Lemire tables of powers of five and
//! two more algorithms into every wasm build (13.8 KB of calculus-core's gzipped 125 KB).
//! A literal is read once per parse, so here the one exact method is enough: the digits
//! as a big integer D, the value D · 10^E as the quotient of two big integers, long division
//! to 63 bits, and rounding half to even on those bits and the remainder. The result is the
//! same `f64` as `str::parse` gives, bit for bit (tested against it below).

use std::cmp::Ordering;

/// Significant digits kept. A decimal exactly halfway between two `f64`s has at most 768
/// (`2^-1075 · (2^54 − 1)` is the longest); past 800 digits only whether the rest is zero
/// can decide a rounding, so the rest becomes one nonzero digit.
const MAX_DIGITS: i64 = 800;

/// The nearest `f64` to `text`: digits with an optional `.`, then an optional exponent
/// `e`/`E` with an optional sign (the parser's number tokens, which always hold a digit
/// before the exponent). Past `f64::MAX` (once rounded) it is infinity, as `str::parse`.
// #[cold] here and on mul_add: the crate builds at opt-level 3 for the engine's loops, and
// LLVM unrolls these for speed no literal needs (cold, 0.4 KB less gzipped wasm).
#[cold]
pub(crate) fn decimal(text: &str) -> f64 {
    let (mantissa, exponent) = text.split_once(['e', 'E']).unwrap_or((text, ""));
    // value = 0.d₁d₂…d_count · 10^point = D · 10^(point − count), D the digits as an integer.
    let mut digits = vec![];
    let mut count: i64 = 0;
    let mut point: i64 = 0;
    let mut fraction = false;
    let mut rest = false;
    for c in mantissa.bytes() {
        if c == b'.' {
            fraction = true;
            continue;
        }
        let d = c.wrapping_sub(b'0');
        if count == 0 && d == 0 {
            point -= i64::from(fraction);
            continue;
        }
        point += i64::from(!fraction);
        if count < MAX_DIGITS {
            mul_add(&mut digits, 10, u32::from(d));
            count += 1;
        } else {
            rest |= d != 0;
        }
    }
    if rest {
        mul_add(&mut digits, 10, 1);
        count += 1;
    }
    let (negative, exponent) = match exponent.strip_prefix('-') {
        Some(e) => (true, e),
        None => (false, exponent.strip_prefix('+').unwrap_or(exponent)),
    };
    let mut e: i64 = 0;
    for c in exponent.bytes() {
        // Saturates far beyond any f64 (10^±400), as the text may hold thousands of digits.
        e = (e * 10 + i64::from(c.wrapping_sub(b'0'))).min(1 << 40);
    }
    let point = point + if negative { -e } else { e };
    // 0.d… · 10^point lies in [10^(point−1), 10^point).
    if count == 0 || point < -324 {
        return 0.0;
    }
    if point > 310 {
        return f64::INFINITY;
    }
    // value = num / den · 2^scale: num = D · 5^scale or den = 5^−scale.
    let scale = point - count;
    let (mut num, mut den) = (digits, vec![1]);
    for _ in 0..scale.unsigned_abs() {
        mul_add(if scale > 0 { &mut num } else { &mut den }, 5, 0);
    }
    // Doubled until num / den lies in (1/2, 2): both have as many bits.
    let shift = bits(&den) - bits(&num);
    for _ in 0..shift.unsigned_abs() {
        mul_add(if shift > 0 { &mut num } else { &mut den }, 2, 0);
    }
    // Long division, one bit at a time: quotient = ⌊num / den · 2^62⌋, 62 or 63 bits.
    let mut quotient: u64 = 0;
    for _ in 0..63 {
        quotient <<= 1;
        if cmp(&num, &den).is_ge() {
            sub(&mut num, &den);
            quotient |= 1;
        }
        mul_add(&mut num, 2, 0);
    }
    round(quotient, !num.is_empty(), scale - shift - 62)
}

/// The `f64` nearest to (`q` + a fraction, nonzero when `inexact`) · 2^`exp`, ties to even;
/// `q` has 62 or 63 bits.
fn round(q: u64, inexact: bool, exp: i64) -> f64 {
    let top = exp + 63 - i64::from(q.leading_zeros());
    if top > 1023 {
        return f64::INFINITY;
    }
    // Bits kept: 53, fewer below 2^−1022 (subnormals), none below 2^−1075.
    let keep = if top >= -1022 { 53 } else { top + 1075 };
    if keep < 0 {
        return 0.0;
    }
    let drop = 64 - i64::from(q.leading_zeros()) - keep;
    let kept = q >> drop;
    let rem = q & ((1 << drop) - 1);
    let half = 1 << (drop - 1);
    let up = rem > half || (rem == half && (inexact || kept & 1 == 1));
    let low = exp + drop;
    let unit = if low >= -1022 {
        f64::from_bits(((low + 1023) as u64) << 52)
    } else {
        f64::from_bits(1 << (low + 1074))
    };
    // Exact: kept + 1 ≤ 2^53, and a multiple of 2^low that fits (or infinity).
    (kept + u64::from(up)) as f64 * unit
}

// Big unsigned integers: 32-bit limbs, least significant first, no zero limb on top.

#[cold]
pub(crate) fn mul_add(a: &mut Vec<u32>, m: u32, add: u32) {
    let mut carry = u64::from(add);
    for limb in a.iter_mut() {
        carry += u64::from(*limb) * u64::from(m);
        *limb = carry as u32;
        carry >>= 32;
    }
    if carry > 0 {
        a.push(carry as u32);
    }
}

/// `a /= d`, returning the remainder.
pub(crate) fn div_small(a: &mut Vec<u32>, d: u32) -> u32 {
    let mut rem = 0u64;
    for limb in a.iter_mut().rev() {
        let cur = rem << 32 | u64::from(*limb);
        *limb = (cur / u64::from(d)) as u32;
        rem = cur % u64::from(d);
    }
    trim(a);
    rem as u32
}

fn bits(a: &[u32]) -> i64 {
    a.last().map_or(0, |top| {
        32 * a.len() as i64 - i64::from(top.leading_zeros())
    })
}

fn cmp(a: &[u32], b: &[u32]) -> Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

/// `a -= b`, for `a ≥ b`.
fn sub(a: &mut Vec<u32>, b: &[u32]) {
    let mut borrow = false;
    let mut b = b.iter();
    for limb in a.iter_mut() {
        let (d, o1) = limb.overflowing_sub(b.next().copied().unwrap_or(0));
        let (d, o2) = d.overflowing_sub(u32::from(borrow));
        *limb = d;
        borrow = o1 || o2;
    }
    trim(a);
}

fn trim(a: &mut Vec<u32>) {
    while a.last() == Some(&0) {
        a.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::decimal;
    use proptest::prelude::*;

    fn same(text: &str) {
        let std: f64 = text.parse().unwrap();
        assert_eq!(decimal(text).to_bits(), std.to_bits(), "{text}");
    }

    /// The exact decimal of `n · 2^p` (n < 2^64), as `digits e exponent`.
    fn exact(n: u64, p: i32) -> String {
        // Decimal digits, least significant first.
        let mut digits: Vec<u32> = n
            .to_string()
            .bytes()
            .rev()
            .map(|b| u32::from(b - b'0'))
            .collect();
        let times = |digits: &mut Vec<u32>, m: u32| {
            let mut carry = 0;
            for d in digits.iter_mut() {
                let v = *d * m + carry;
                *d = v % 10;
                carry = v / 10;
            }
            while carry > 0 {
                digits.push(carry % 10);
                carry /= 10;
            }
        };
        for _ in 0..p.unsigned_abs() {
            times(&mut digits, if p > 0 { 2 } else { 5 });
        }
        let text: String = digits
            .iter()
            .rev()
            .map(|d| char::from(b'0' + *d as u8))
            .collect();
        format!("{text}e{}", p.min(0))
    }

    #[test]
    fn hard_cases_match_std() {
        for text in [
            "0", "0.0", "000.000", ".5", "5.", "0e0", "0e999999999999", "1e-99999999999",
            "1e99999999999999999999999", "1", "2", "0.1", "0.2", "0.3", "1.5", "3.14159",
            "9007199254740992", "9007199254740993", "9007199254740994", "9007199254740995",
            "9007199254740993.0000000000000000001", "1e23", "8.98846567431158e307",
            "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
            "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999999",
            "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792",
            "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308",
            "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
            "1e-324", "3e-324", "1e-323", "1e-400", "1e308", "1e309", "1e310", "123456789e-330",
            "0.000000000000000000000000000000000000000000000000000000000000000001e66",
            "1E5", "1e+5", "1e-5", "1.e3", "7e-1",
        ] {
            same(text);
        }
        // Past MAX_DIGITS: a 1 far down the tail decides a tie.
        let tie = exact(9007199254740993, 0);
        let digits = tie.split('e').next().unwrap();
        same(&format!("{digits}.{}1", "0".repeat(2000)));
        same(&format!("{digits}.{}", "0".repeat(2000)));
        same(&format!("{}{}e-1000", digits, "0".repeat(990)));
        same(&format!("{}1", "9".repeat(1200)));
    }

    #[test]
    fn halfway_points_match_std() {
        // (2m + 1) · 2^(e − 1): halfway between m · 2^e and (m + 1) · 2^e, across the range,
        // subnormals included, and a hair either side of each.
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for i in 0..3000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let m = if i % 2 == 0 {
                seed >> 11 | 1 << 52
            } else {
                seed >> (12 + i % 40)
            };
            let p = (seed % 2100) as i32 - 1076;
            let text = exact(2 * m + 1, p);
            same(&text);
            let (digits, e) = text.split_once('e').unwrap();
            same(&format!("{digits}1e{e}"));
            same(&format!("{digits}.0000000000000000000000001e{e}"));
            let below = (digits.parse::<u128>().ok(), digits.len());
            if let (Some(d), n) = below {
                same(&format!("{:0n$}9e{}", d - 1, e.parse::<i32>().unwrap() - 1));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn doubles_written_any_way_match_std(bits in any::<u64>(), precision in 0usize..30) {
            let x = f64::from_bits(bits & !(1 << 63));
            prop_assume!(x.is_finite());
            same(&format!("{x:e}"));
            same(&format!("{x:.precision$e}"));
            same(&format!("{x}"));
        }

        #[test]
        fn digit_strings_match_std(
            int in "[0-9]{0,40}",
            frac in proptest::option::of("[0-9]{0,40}"),
            exp in proptest::option::of((prop_oneof![Just(""), Just("+"), Just("-")], 0u32..400)),
        ) {
            let mut text = int.clone();
            if let Some(frac) = &frac {
                text.push('.');
                text.push_str(frac);
            }
            prop_assume!(text.bytes().any(|b| b.is_ascii_digit()));
            if let Some((sign, e)) = exp {
                text.push_str(&format!("e{sign}{e}"));
            }
            same(&text);
        }
    }
}

//! `f64` to decimal text: the same characters as `format!("{v}")`, `format!("{v:.d$}")` and
//! `format!("{v:.d$e}")`, without std's float formatting.
//!
//! std writes floats with Grisu and falls back to Dragon4 where Grisu cannot be sure: both,
//! with their tables, cost every gzipped wasm build about 7 KB. Numbers are written a few
//! dozen at a redraw, so one exact method is enough here: the value's whole decimal expansion
//! (a double is `m · 2^q`, so `m · 5^-q / 10^-q` when q < 0), as big-integer digits, then
//! rounding on those digits. Every result is tested against std (below, and on millions of
//! values in `tests`), which is what makes this a drop-in replacement.
//!
//! - [`shortest`]: the fewest digits that read back as `v` (`{}`), e.g. `0.1`, `1e21` as
//!   `1000000000000000000000`;
//! - [`fixed`]: `decimals` digits after the point, correctly rounded (`{:.2}`);
//! - [`scientific`]: `digits` + 1 significant digits in exponent form (`{:.2e}`: `1.23e-4`);
//! - [`debug`]: `{:?}` (`1.0`, `1e16`), for the Python literals of `python.rs`.
//!
//! Ties (only exact binary fractions such as 0.125 can be one) round to even, as std does.
//!
//! `#[cold]`: the crate builds at opt-level 3 for the engine's loops, and LLVM would unroll
//! and inline these for a speed no label needs.

use std::fmt;

use crate::decimal::{div_small, mul_add};

/// A positive number as `0.d₁d₂…dₙ · 10^point`: digits 0–9, the first nonzero, none of them
/// trailing zeros.
#[derive(Clone, Debug, PartialEq)]
struct Decimal {
    digits: Vec<u8>,
    point: i32,
}

impl Decimal {
    /// The exact decimal expansion of `x · 2^q`, for x > 0.
    #[cold]
    fn exact(x: u64, q: i32) -> Decimal {
        let mut big = vec![x as u32, (x >> 32) as u32];
        if big[1] == 0 {
            big.pop();
        }
        // x · 2^q = x · 5^-q / 10^-q when q < 0.
        let (base, block, power) = if q >= 0 {
            (2u32, 31, 1 << 31)
        } else {
            (5, 13, 1_220_703_125)
        };
        let n = q.unsigned_abs();
        for _ in 0..n / block {
            mul_add(&mut big, power, 0);
        }
        mul_add(&mut big, base.pow(n % block), 0);
        // Nine digits at a time, least significant first.
        let mut digits = vec![];
        while !big.is_empty() {
            let mut chunk = div_small(&mut big, 1_000_000_000);
            for _ in 0..9 {
                digits.push((chunk % 10) as u8);
                chunk /= 10;
            }
        }
        while digits.last() == Some(&0) {
            digits.pop();
        }
        digits.reverse();
        let point = digits.len() as i32 - if q < 0 { n as i32 } else { 0 };
        while digits.last() == Some(&0) {
            digits.pop();
        }
        Decimal { digits, point }
    }

    /// The digit worth 10^(point − 1 − i), zero past the end.
    fn digit(&self, i: i32) -> u8 {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.digits.get(i).copied())
            .unwrap_or(0)
    }

    /// Its digits from 10^(k − 1) down to 10^(k − n): zeros above `point`, possibly leading.
    fn window(&self, k: i32, n: i32) -> Vec<u8> {
        (0..n).map(|i| self.digit(i + self.point - k)).collect()
    }

    /// Whether what lies below 10^(k − n) is more than half of 10^(k − n) (`Greater`), exactly
    /// half or less.
    fn rest(&self, k: i32, n: i32) -> std::cmp::Ordering {
        let first = n + self.point - k;
        let next = self.digit(first);
        let beyond = (first + 1..self.digits.len() as i32).any(|i| self.digit(i) != 0);
        next.cmp(&5).then(if beyond {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        })
    }
}

/// `digits` + 1 as a decimal string (all nines carry into one digit more); `true` when it
/// carried.
fn increment(digits: &mut Vec<u8>) -> bool {
    for d in digits.iter_mut().rev() {
        if *d == 9 {
            *d = 0;
        } else {
            *d += 1;
            return false;
        }
    }
    digits.insert(0, 1);
    true
}

/// `digits · 10^(k − n)` against `x` (n = digits.len(); `digits` may have leading zeros).
fn compare(digits: &[u8], k: i32, x: &Decimal) -> std::cmp::Ordering {
    let lead = digits.iter().take_while(|&&d| d == 0).count();
    let digits = &digits[lead..];
    if digits.is_empty() {
        return std::cmp::Ordering::Less;
    }
    let point = k - lead as i32;
    point.cmp(&x.point).then_with(|| {
        let n = digits.len().max(x.digits.len());
        (0..n as i32)
            .map(|i| (digits.get(i as usize).copied().unwrap_or(0), x.digit(i)))
            .find(|(a, b)| a != b)
            .map_or(std::cmp::Ordering::Equal, |(a, b)| a.cmp(&b))
    })
}

/// A finite nonzero `|v|` as its mantissa and exponent, `m · 2^q`.
fn decode(v: f64) -> (u64, i32) {
    let bits = v.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, exponent - 1075)
    }
}

/// The shortest digits that lie strictly inside `v`'s rounding interval (its bounds included
/// when its mantissa is even, as a reader rounding half to even reads them back), and the
/// nearest of them to `v`, ties away from zero: std's `{}` (Dragon4's shortest mode).
#[cold]
fn shortest_digits(v: f64) -> Decimal {
    let (m, q) = decode(v);
    let inclusive = m % 2 == 0;
    // In quarters of the last place: the gap below is half the gap above at a power of two
    // (std counts the smallest normal number as one too).
    let (low, high) = if m == 1 << 52 {
        (4 * m - 1, 4 * m + 2)
    } else {
        (4 * m - 2, 4 * m + 2)
    };
    let (value, low, high) = (
        Decimal::exact(4 * m, q - 2),
        Decimal::exact(low, q - 2),
        Decimal::exact(high, q - 2),
    );
    // Digits start at 10^(k−1), the largest such that high ≤ 10^k (high < 10^k if inclusive).
    let power = high.digits == [1];
    let k = if power && !inclusive {
        high.point - 1
    } else {
        high.point
    };
    let within =
        |o: std::cmp::Ordering, inside: std::cmp::Ordering| o == inside || (inclusive && o.is_eq());
    let mut n = 1;
    loop {
        let mut digits = value.window(k, n);
        let down = within(compare(&digits, k, &low), std::cmp::Ordering::Greater);
        let mut up_digits = digits.clone();
        let carried = increment(&mut up_digits);
        let up_k = k + i32::from(carried);
        let up = within(compare(&up_digits, up_k, &high), std::cmp::Ordering::Less);
        if down || up {
            let point = if up && (!down || value.rest(k, n).is_ge()) {
                digits = up_digits;
                up_k
            } else {
                k
            };
            let lead = digits.iter().take_while(|&&d| d == 0).count();
            let mut digits = digits.split_off(lead);
            while digits.last() == Some(&0) {
                digits.pop();
            }
            return Decimal {
                digits,
                point: point - lead as i32,
            };
        }
        n += 1;
    }
}

/// `value` rounded to the digits above 10^`limit`, ties to even: `(digits, k)`, the digits
/// from 10^(k−1) down, as many as reach 10^limit (none when the value rounds to zero).
#[cold]
fn round_at(value: &Decimal, limit: i32) -> (Vec<u8>, i32) {
    let k = value.point;
    let n = k - limit;
    if n < 0 {
        return (vec![], k);
    }
    let mut digits = value.window(k, n);
    let rest = value.rest(k, n);
    // With no digit kept, a tie rounds to the even 0 (0.5 to no decimals is 0).
    let odd = digits.last().is_some_and(|d| d % 2 == 1);
    if rest.is_gt() || (rest.is_eq() && odd) {
        let carried = increment(&mut digits);
        return (digits, k + i32::from(carried));
    }
    (digits, k)
}

/// Writes `-` for a negative `v` (−0 too, as std does) and `NaN`/`inf`; true when done.
fn special(out: &mut String, v: f64) -> bool {
    if v.is_nan() {
        out.push_str("NaN");
        return true;
    }
    if v.is_sign_negative() {
        out.push('-');
    }
    if v.is_infinite() {
        out.push_str("inf");
        return true;
    }
    false
}

fn push_digits(out: &mut String, digits: &[u8]) {
    out.extend(digits.iter().map(|d| char::from(b'0' + d)));
}

fn zeros(out: &mut String, n: i32) {
    out.extend((0..n).map(|_| '0'));
}

/// `v` as `format!("{v}")` writes it: the shortest digits that read back as `v`, never in
/// exponent form (`1e21` is `1000000000000000000000`, `1e-7` is `0.0000001`).
#[cold]
pub fn shortest(v: f64) -> String {
    let mut out = String::new();
    if special(&mut out, v) {
        return out;
    }
    if v == 0.0 {
        out.push('0');
        return out;
    }
    let Decimal { digits, point } = shortest_digits(v);
    let n = digits.len() as i32;
    if point <= 0 {
        out.push_str("0.");
        zeros(&mut out, -point);
        push_digits(&mut out, &digits);
    } else if point < n {
        push_digits(&mut out, &digits[..point as usize]);
        out.push('.');
        push_digits(&mut out, &digits[point as usize..]);
    } else {
        push_digits(&mut out, &digits);
        zeros(&mut out, point - n);
    }
    out
}

/// `v` as `format!("{v:.decimals$}")` writes it: `decimals` digits after the point.
#[cold]
pub fn fixed(v: f64, decimals: usize) -> String {
    let mut out = String::new();
    if special(&mut out, v) {
        return out;
    }
    let d = decimals.min(1100) as i32;
    let (digits, k) = if v == 0.0 {
        (vec![], 0)
    } else {
        let (m, q) = decode(v);
        round_at(&Decimal::exact(m, q), -d)
    };
    // The digits from 10^(k−1) to 10^−d; nothing above the point when k ≤ 0.
    let whole = k.max(0);
    if whole == 0 || digits.is_empty() {
        out.push('0');
    }
    // Position p (10^p) is digits[k − 1 − p] when inside.
    let digit = |p: i32| {
        usize::try_from(k - 1 - p)
            .ok()
            .and_then(|i| digits.get(i).copied())
            .unwrap_or(0)
    };
    if !digits.is_empty() {
        for p in (0..whole).rev() {
            out.push(char::from(b'0' + digit(p)));
        }
    }
    if d > 0 {
        out.push('.');
        for p in 1..=d {
            out.push(char::from(b'0' + digit(-p)));
        }
    }
    out
}

/// `v` as `format!("{v:.digits$e}")` writes it: `digits` + 1 significant digits, `e`, and the
/// exponent (`1.23e-4`, `1e5`, `0.00e0`).
#[cold]
pub fn scientific(v: f64, digits: usize) -> String {
    let mut out = String::new();
    if special(&mut out, v) {
        return out;
    }
    let n = digits.min(1100) as i32 + 1;
    let (mut ds, k) = if v == 0.0 {
        (vec![0; n as usize], 1)
    } else {
        let (m, q) = decode(v);
        let value = Decimal::exact(m, q);
        round_at(&value, value.point - n)
    };
    ds.truncate(n as usize);
    out.push(char::from(b'0' + ds[0]));
    if n > 1 {
        out.push('.');
        push_digits(&mut out, &ds[1..]);
    }
    out.push('e');
    out.push_str(&(k - 1).to_string());
    out
}

/// `v` as `format!("{v:?}")` writes it: [`shortest`] with at least one decimal (`1.0`) from
/// 10⁻⁴ to 10¹⁶ and for zero, the shortest digits in exponent form outside (`1e16`, `1.5e-5`).
#[cold]
pub fn debug(v: f64) -> String {
    let a = v.abs();
    if !v.is_finite() || a == 0.0 || (1e-4..1e16).contains(&a) {
        let mut out = shortest(v);
        if v.is_finite() && !out.contains('.') {
            out.push_str(".0");
        }
        return out;
    }
    let mut out = String::new();
    special(&mut out, v);
    let Decimal { digits, point } = shortest_digits(v);
    push_digits(&mut out, &digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        push_digits(&mut out, &digits[1..]);
    }
    out.push('e');
    out.push_str(&(point - 1).to_string());
    out
}

/// `{}` of an `f64` through [`shortest`], for messages: `format!("is {}", Shortest(v))`.
pub struct Shortest(pub f64);

impl fmt::Display for Shortest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&shortest(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::{debug, fixed, scientific, shortest};

    /// Every mode against std for `v` (and −v): `{}`, and `{:.d}`, `{:.de}` for d in 0..=17.
    fn same(v: f64) {
        for v in [v, -v] {
            assert_eq!(
                shortest(v),
                format!("{v}"),
                "{{}} of {:e} ({:#x})",
                v,
                v.to_bits()
            );
            assert_eq!(debug(v), format!("{v:?}"), "{{:?}} of {v:e}");
            for d in 0..=17 {
                assert_eq!(fixed(v, d), format!("{v:.d$}"), "{{:.{d}}} of {v:e}");
                assert_eq!(scientific(v, d), format!("{v:.d$e}"), "{{:.{d}e}} of {v:e}");
            }
        }
    }

    #[test]
    fn special_values_match_std() {
        for v in [
            0.0,
            f64::NAN,
            f64::INFINITY,
            0.5,
            1.5,
            2.5,
            0.125,
            0.375,
            0.05,
            0.1,
            0.3,
            1.0 / 3.0,
            1e21,
            1e22,
            1e23,
            1e-7,
            123_456.7,
            999_999.5,
            9.5,
            99.5,
            0.95,
            0.0095,
            5e-324,
            1e-323,
            f64::MIN_POSITIVE,
            2.225_073_858_507_201e-308,
            f64::MAX,
            f64::EPSILON,
            9_007_199_254_740_993.0,
            2f64.powi(50) + 0.25,
            2f64.powi(60),
            2f64.powi(-60),
            0.30000000000000004,
            1e16,
            9_999_999_999_999_998.0,
            1e-4,
            9.999e-5,
            123e20,
        ] {
            same(v);
        }
    }

    /// SplitMix64, for reproducible values of every kind.
    fn values(n: usize, seed: u64) -> impl Iterator<Item = f64> {
        let mut s = seed;
        let mut next = move || {
            s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        (0..n).map(move |i| {
            let r = next();
            match i % 6 {
                // Any finite bit pattern.
                0 => f64::from_bits(r & !(1 << 63)).min(f64::MAX),
                // Values near the book's numbers: 1e-8 to 1e8.
                1 => 10f64.powf((r >> 11) as f64 / (1u64 << 53) as f64 * 16.0 - 8.0),
                // Decimals with a few digits, as readers type and ticks fall.
                2 => (r % 100_000) as f64 / 10f64.powi((r >> 40) as i32 % 9),
                // Exact binary fractions: the ties.
                3 => (r % 4096) as f64 / 2f64.powi((r >> 40) as i32 % 20),
                // Powers of two (the asymmetric rounding intervals) and their neighbours.
                4 => {
                    let p = 2f64.powi((r % 2000) as i32 - 1000);
                    f64::from_bits(p.to_bits().wrapping_add((r >> 60) % 3).wrapping_sub(1))
                }
                // Sums that round: what arithmetic leaves in the readouts.
                _ => (r % 1000) as f64 * 0.1 + (r >> 50) as f64 * 0.01,
            }
        })
    }

    #[test]
    fn values_of_every_kind_match_std() {
        for v in values(3_000, 16) {
            if v.is_finite() {
                same(v);
            }
        }
    }

    /// The long run: `cargo test -p calculus --release digits -- --ignored`.
    #[test]
    #[ignore]
    fn millions_of_values_match_std() {
        for v in values(2_000_000, 61) {
            if v.is_finite() {
                same(v);
            }
        }
    }
}

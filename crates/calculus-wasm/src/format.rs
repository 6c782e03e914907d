//! The book's one number formatter: every number a reader sees, in a chart's readout, a
//! label, a table or a sentence of the prose, is written here, in one of a few named styles.
//! Rust calls [`format`] (and [`point`]); the widgets call the same code through the wasm
//! exports `formatNumber` and `formatPoint`, once their wasm build is instantiated.
//!
//! | style | where | examples |
//! | --- | --- | --- |
//! | [`Style::Decimals`]`(d)` | chart readouts (`Decimals(2)`, the default) | `2.25`, `-0.50`, `1.00e6`, `5.00e-3` |
//! | [`Style::Fixed`]`(d)` | values that are watched digit by digit | `2.0010`, `0.00` |
//! | [`Style::Significant`]`(d)` | readouts of values of any size | `0.2020`, `5.684e-14` |
//! | [`Style::Value`] | tables, sentences, points (chapter 4) | `0.0099`, `1.6717`, `0.000222`, `1.23e5` |
//! | [`Style::Rate`] | a learning rate as the prose quotes it | `0.10`, `0.95`, `1.05` |
//! | [`Style::Tick`] | axis tick labels | `-10`, `2.5`, `0.001`, `1e5` |
//! | [`Style::Power`] | labels of log axes, from the exponent | `10⁻³` |
//!
//! Rules every style shares: NaN is `undefined`, ±∞ are `∞` and `−∞` (except in `Tick` and
//! `Power`, which never see them), and no style writes `-0`. Rounding is Rust's: correct to
//! the last digit, ties (only exact binary halves, such as 0.125) to even. The digits come
//! from `calculus::digits`, the same characters as `format!("{v:.2}")` and `{v:.2e}` without
//! std's float formatting (7 KB gzipped of every build).
//!
//! ```js
//! calculus.formatNumber(0.0099035, "value");       // "0.0099"
//! calculus.formatNumber(2.25, "decimals", 2);      // "2.25"
//! calculus.formatPoint(0.0099035, 0.0111415, "value"); // "(0.0099, 0.0111)"
//! ```

use calculus::digits::{fixed as fixed_point, scientific};
use wasm_bindgen::prelude::*;

/// How a number is written. The digits of `Fixed`, `Decimals` and `Significant` are at most
/// [`MAX_DIGITS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// `d` decimals, never in exponent form: `2.0010`. For numbers the reader watches digit
    /// by digit (the secant's quotient as h shrinks, the slider values beside it).
    Fixed(u8),
    /// `d` decimals, in exponent form from 10⁶ up and below half the last decimal (where the
    /// decimals would read 0): `2.25`, `1.00e6`, `5.00e-3`. `Decimals(2)` is the readouts'.
    Decimals(u8),
    /// `d` significant digits, in exponent form outside [10⁻³, 10⁶): `0.2020`, `0.006800`,
    /// `5.684e-14`. For readouts that compare numbers of any size.
    Significant(u8),
    /// The book's number in tables and sentences: four decimals without trailing zeros from
    /// 0.1 to 10⁵, three significant digits below (four decimals would leave 0.00197 as
    /// 0.002) and in exponent form beyond: `1.6717`, `0.0099`, `0.000222`, `1.23e5`.
    Value,
    /// A learning rate as the prose quotes it: two significant digits below 1, two decimals
    /// from 1 up: `0.10`, `0.0015`, `1.05`.
    Rate,
    /// An axis tick with no more digits than it needs: `-10`, `2.5`, `0.001`, `1e5`.
    Tick,
    /// A power of ten, from its exponent: `10⁻³` for −3; no label for a non-integer exponent.
    Power,
}

/// The most digits a style may ask for.
pub(crate) const MAX_DIGITS: u8 = 17;

impl Style {
    /// The style called `name` in JS (`"value"`, `"rate"`, `"tick"`, `"power"`, or `"fixed"`,
    /// `"decimals"` and `"significant"` with their `digits`).
    pub fn named(name: &str, digits: Option<u32>) -> Result<Style, String> {
        let digits = |least: u32| match digits {
            Some(d) if (least..=u32::from(MAX_DIGITS)).contains(&d) => Ok(d as u8),
            _ => Err(format!(
                "the \"{name}\" style needs digits from {least} to {MAX_DIGITS}"
            )),
        };
        Ok(match name {
            "fixed" => Style::Fixed(digits(0)?),
            "decimals" => Style::Decimals(digits(0)?),
            "significant" => Style::Significant(digits(1)?),
            "value" => Style::Value,
            "rate" => Style::Rate,
            "tick" => Style::Tick,
            "power" => Style::Power,
            other => {
                return Err(format!(
                    "unknown number style \"{other}\": use \"value\", \"rate\", \"tick\", \"power\", \"fixed\", \"decimals\" or \"significant\""
                ))
            }
        })
    }
}

/// `v` written in `style`.
pub fn format(v: f64, style: Style) -> String {
    match style {
        Style::Fixed(d) => fixed(v, d.min(MAX_DIGITS).into()),
        Style::Decimals(d) => decimals(v, d.min(MAX_DIGITS).into()),
        Style::Significant(d) => significant(v, d.min(MAX_DIGITS).into()),
        Style::Value => value(v),
        Style::Rate => rate(v),
        Style::Tick => tick(v),
        Style::Power => power(v),
    }
}

/// A point, `(u, v)`, each coordinate in `style`: `(0.0099, 0.0111)` in [`Style::Value`], as
/// the book quotes points.
pub fn point((u, v): (f64, f64), style: Style) -> String {
    format!("({}, {})", format(u, style), format(v, style))
}

/// `undefined`, `∞` or `−∞` for a number that is not finite.
fn not_finite(v: f64) -> Option<String> {
    if v.is_nan() {
        Some("undefined".to_string())
    } else if v.is_infinite() {
        Some(if v > 0.0 { "∞" } else { "−∞" }.to_string())
    } else {
        None
    }
}

/// `s` without a minus sign when all its digits are zeros: `-0.00` is `0.00`.
fn unsigned_zero(s: String) -> String {
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => s,
    }
}

/// Decimals without their trailing zeros, and without the point when none remain.
fn trim_zeros(s: String) -> String {
    if !s.contains('.') {
        return s;
    }
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn fixed(v: f64, decimals: usize) -> String {
    if let Some(s) = not_finite(v) {
        return s;
    }
    unsigned_zero(fixed_point(v, decimals))
}

fn decimals(v: f64, decimals: usize) -> String {
    if let Some(s) = not_finite(v) {
        return s;
    }
    let a = v.abs();
    let tiny = 0.5 * 10f64.powi(-(decimals as i32));
    if a != 0.0 && (a >= 1e6 || a < tiny) {
        scientific(v, decimals)
    } else {
        unsigned_zero(fixed_point(v, decimals))
    }
}

fn significant(v: f64, digits: usize) -> String {
    if let Some(s) = not_finite(v) {
        return s;
    }
    if v == 0.0 {
        return "0".to_string();
    }
    let exponent = v.abs().log10().floor() as i32;
    if (-3..6).contains(&exponent) {
        let decimals = (digits as i32 - 1 - exponent).max(0) as usize;
        fixed_point(v, decimals)
    } else {
        scientific(v, digits.saturating_sub(1))
    }
}

/// `digits` significant digits as JavaScript's `toPrecision` writes them (in exponent form
/// below 10⁻⁶ and from 10^digits up), with `e5` for its `e+5`.
fn precision(v: f64, digits: usize) -> String {
    let digits = digits.max(1);
    // The exponent after rounding: 9.996 to three digits is 10.0, not 9.99.
    let exponent_form = scientific(v, digits - 1);
    let exponent = exponent_form.rsplit_once('e').map_or(0, |(_, e)| {
        let n = e
            .bytes()
            .filter(u8::is_ascii_digit)
            .fold(0i32, |n, b| n * 10 + i32::from(b - b'0'));
        if e.starts_with('-') {
            -n
        } else {
            n
        }
    });
    if exponent < -6 || exponent >= digits as i32 {
        exponent_form
    } else {
        // Rounded at the same digit as the mantissa (or, after a carry, at one that rounds
        // the same way).
        let decimals = (digits as i32 - 1 - exponent) as usize;
        fixed_point(v, decimals)
    }
}

fn value(v: f64) -> String {
    if let Some(s) = not_finite(v) {
        return s;
    }
    let a = v.abs();
    if a == 0.0 {
        "0".to_string()
    } else if (0.1..1e5).contains(&a) {
        trim_zeros(fixed(v, 4))
    } else if (1e-3..0.1).contains(&a) {
        trim_zeros(precision(v, 3))
    } else {
        precision(v, 3)
    }
}

fn rate(v: f64) -> String {
    if let Some(s) = not_finite(v) {
        return s;
    }
    if v >= 1.0 {
        fixed(v, 2)
    } else {
        precision(v, 2)
    }
}

fn tick(v: f64) -> String {
    let v = if v.abs() < 1e-12 { 0.0 } else { v };
    if v != 0.0 && (v.abs() >= 1e5 || v.abs() < 1e-3) {
        return scientific(v, 0);
    }
    unsigned_zero(trim_zeros(fixed_point(v, 4)))
}

fn power(exponent: f64) -> String {
    if !exponent.is_finite() || (exponent - exponent.round()).abs() > 1e-9 {
        return String::new();
    }
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let n = exponent.round() as i64;
    let mut s = String::from("10");
    if n < 0 {
        s.push('⁻');
    }
    for c in n.unsigned_abs().to_string().chars() {
        let digit = c.to_digit(10).and_then(|d| DIGITS.get(d as usize));
        s.push(*digit.unwrap_or(&'⁰'));
    }
    s
}

#[wasm_bindgen(typescript_custom_section)]
const TS_STYLE: &'static str = r#"
/** A style of the book's number formatter (`digits` required by fixed, decimals, significant). */
export type NumberStyle = "value" | "rate" | "tick" | "power" | "fixed" | "decimals" | "significant";
"#;

/// `value` written in the book's `style` (see format.rs): `formatNumber(0.0099035, "value")`
/// is `"0.0099"`, `formatNumber(2.25, "decimals", 2)` is `"2.25"`. Throws on an unknown style.
#[wasm_bindgen(js_name = formatNumber)]
pub fn format_number(
    value: f64,
    #[wasm_bindgen(unchecked_param_type = "NumberStyle")] style: &str,
    digits: Option<u32>,
) -> Result<String, JsError> {
    Ok(format(value, styled(style, digits)?))
}

/// The style `name` with its `digits`, for the exports; its error is a JS `Error`.
fn styled(name: &str, digits: Option<u32>) -> Result<Style, JsError> {
    Style::named(name, digits).map_err(|e| JsError::new(&e))
}

/// The point `(u, v)`, each coordinate in `style` (`"value"` as the book quotes points):
/// `formatPoint(0.0099035, 0.0111415, "value")` is `"(0.0099, 0.0111)"`.
#[wasm_bindgen(js_name = formatPoint)]
pub fn format_point(
    u: f64,
    v: f64,
    #[wasm_bindgen(unchecked_param_type = "NumberStyle")] style: &str,
    digits: Option<u32>,
) -> Result<String, JsError> {
    Ok(point((u, v), styled(style, digits)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn each(style: Style, cases: &[(f64, &str)]) {
        for &(v, expected) in cases {
            assert_eq!(format(v, style), expected, "{v} in {style:?}");
        }
    }

    #[test]
    fn decimals_two_is_the_readouts_number() {
        // 1.5² = 2.25; 1/3 rounds down, 2/3 up; −0.001 rounds to zero but is 1.00e-3 since
        // two decimals would show nothing of it; 10⁶ switches to exponent form.
        each(
            Style::Decimals(2),
            &[
                (2.25, "2.25"),
                (3.0, "3.00"),
                (1.0 / 3.0, "0.33"),
                (-2.0 / 3.0, "-0.67"),
                (0.0, "0.00"),
                (-0.0, "0.00"),
                (0.005, "0.01"),
                (0.004, "4.00e-3"),
                (-0.001, "-1.00e-3"),
                (999_999.0, "999999.00"),
                (1e6, "1.00e6"),
                (-2.5e7, "-2.50e7"),
                (f64::NAN, "undefined"),
                (f64::INFINITY, "∞"),
                (f64::NEG_INFINITY, "−∞"),
            ],
        );
        // Four decimals: tiny is below 0.00005.
        each(
            Style::Decimals(4),
            &[(0.00005, "0.0001"), (0.00004, "4.0000e-5"), (1.5, "1.5000")],
        );
    }

    #[test]
    fn fixed_never_switches_to_exponents() {
        // The secant at h = 0.001 on x² at 1: (1.001² − 1)/0.001 = 2.001.
        each(
            Style::Fixed(4),
            &[
                (2.001, "2.0010"),
                (2.0, "2.0000"),
                (0.00001, "0.0000"),
                (-0.00001, "0.0000"),
                (-0.00005001, "-0.0001"),
                (1e7, "10000000.0000"),
                (f64::NAN, "undefined"),
                (f64::NEG_INFINITY, "−∞"),
            ],
        );
        // The partial's readout: ∂f/∂w = 2w at w = 3.
        each(
            Style::Fixed(2),
            &[
                (6.0, "6.00"),
                (-4.0, "-4.00"),
                (0.004, "0.00"),
                (-0.004, "0.00"),
                (0.005, "0.01"),
                (98.5, "98.50"),
            ],
        );
    }

    #[test]
    fn significant_digits_and_exponents() {
        // 0.202 to four digits; 0.0068 to four: 0.006800 (exponent −3, six decimals);
        // 5.684e-14 in exponent form; 8 to four digits keeps its zeros.
        each(
            Style::Significant(4),
            &[
                (0.202, "0.2020"),
                (0.0068, "0.006800"),
                (5.684e-14, "5.684e-14"),
                (8.0, "8.000"),
                (0.009_903_520_314_283_05, "0.009904"),
                (123_456.7, "123457"),
                (1_234_567.0, "1.235e6"),
                (0.0, "0"),
                (f64::NAN, "undefined"),
                (f64::INFINITY, "∞"),
            ],
        );
        each(
            Style::Significant(3),
            &[
                (0.1, "0.100"),
                (1.05, "1.05"),
                (145.0, "145"),
                (-0.5, "-0.500"),
            ],
        );
    }

    #[test]
    fn value_is_the_tables_number() {
        // The lab's run on w² + b² from (8, 9) at 0.1: after 30 steps (8·0.8³⁰, 9·0.8³⁰) =
        // (0.0099035…, 0.0111415…) and the loss 0.00022221…; the loss 145·0.64¹⁰ = 1.67167….
        each(
            Style::Value,
            &[
                (8.0 * 0.8f64.powi(30), "0.0099"),
                (9.0 * 0.8f64.powi(30), "0.0111"),
                (145.0 * 0.64f64.powi(30), "0.000222"),
                (145.0 * 0.64f64.powi(10), "1.6717"),
                (0.00197, "0.00197"),
                (0.1, "0.1"),
                (-0.25, "-0.25"),
                (8.0, "8"),
                (12_345.678_91, "12345.6789"),
                (99_999.9, "99999.9"),
                (1e5, "1.00e5"),
                (123_456.0, "1.23e5"),
                (0.001, "0.001"),
                (0.000_015, "0.0000150"),
                (1e-7, "1.00e-7"),
                (-3.2e-9, "-3.20e-9"),
                (0.0, "0"),
                (-0.0, "0"),
                (f64::NAN, "undefined"),
                (f64::INFINITY, "∞"),
                (f64::NEG_INFINITY, "−∞"),
            ],
        );
    }

    #[test]
    fn rate_quotes_two_digits() {
        each(
            Style::Rate,
            &[
                (0.1, "0.10"),
                (0.95, "0.95"),
                (0.01, "0.010"),
                (0.0015, "0.0015"),
                (0.001, "0.0010"),
                (1.0, "1.00"),
                (1.05, "1.05"),
                (2.0, "2.00"),
            ],
        );
    }

    #[test]
    fn ticks_and_powers() {
        each(
            Style::Tick,
            &[
                (-10.0, "-10"),
                (2.5, "2.5"),
                (0.001, "0.001"),
                (0.0001, "1e-4"),
                (1e5, "1e5"),
                (1e-13, "0"),
                (-1e-13, "0"),
                (0.30000000000000004, "0.3"),
                (12.34567, "12.3457"),
            ],
        );
        each(
            Style::Power,
            &[
                (-3.0, "10⁻³"),
                (0.0, "10⁰"),
                (12.0, "10¹²"),
                (-15.0, "10⁻¹⁵"),
                (0.5, ""),
                (f64::NAN, ""),
            ],
        );
    }

    #[test]
    fn points_are_written_as_the_book_quotes_them() {
        let end = (8.0 * 0.8f64.powi(30), 9.0 * 0.8f64.powi(30));
        assert_eq!(point(end, Style::Value), "(0.0099, 0.0111)");
        assert_eq!(point((8.0, 9.0), Style::Value), "(8, 9)");
        assert_eq!(point((3.0, 4.0), Style::Decimals(2)), "(3.00, 4.00)");
    }

    #[test]
    fn styles_by_name() {
        assert_eq!(Style::named("value", None), Ok(Style::Value));
        assert_eq!(Style::named("rate", Some(7)), Ok(Style::Rate));
        assert_eq!(Style::named("fixed", Some(4)), Ok(Style::Fixed(4)));
        assert_eq!(Style::named("decimals", Some(0)), Ok(Style::Decimals(0)));
        assert_eq!(
            Style::named("significant", Some(3)),
            Ok(Style::Significant(3))
        );
        assert!(Style::named("fixed", None).is_err());
        assert!(Style::named("significant", Some(0)).is_err());
        assert!(Style::named("decimals", Some(18)).is_err());
        assert!(Style::named("Value", None).is_err());
    }

    /// What JavaScript's `toPrecision` writes, checked against values worked by hand.
    #[test]
    fn precision_follows_to_precision() {
        for (v, digits, expected) in [
            (0.0099035, 3, "0.00990"),
            (0.000222, 3, "0.000222"),
            (0.0099996, 3, "0.0100"),
            (9.9996, 3, "10.0"),
            (999.6, 3, "1.00e3"),
            (123.0, 3, "123"),
            (-1.5e-7, 2, "-1.5e-7"),
            (1e-6, 3, "0.00000100"),
        ] {
            assert_eq!(precision(v, digits), expected, "{v} to {digits}");
        }
    }
}

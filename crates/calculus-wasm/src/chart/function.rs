//! The function a widget holds: parsed and compiled once from what the reader typed, with
//! the checks on what a reader (or an attribute) may ask for.
//!
//! ```ignore
//! let f = OneVariable::new("x^3 - 3x")?;
//! assert_eq!(f.derivative_text, "3*x^2 - 3");
//! ```
use calculus::digits::{scientific, Shortest};

/// A function of one variable as a widget holds it: compiled once, with its derivative as text
/// and MathML for display.
pub struct OneVariable {
    pub function: calculus::Function1,
    /// What the reader typed, trimmed.
    pub source: String,
    /// The variable's name; `x` for a constant function.
    pub variable: String,
    pub mathml: String,
    pub derivative_text: String,
    pub derivative_mathml: String,
    /// f and f' in words, for the charts' `aria-label`s.
    pub spoken: String,
    pub derivative_spoken: String,
}

impl OneVariable {
    /// `source` compiled for a chart of `range`. Errors: what the parser and compiler refuse,
    /// and a function with no finite value anywhere on `range` (`1/0`, `ln(-1 - x^2)`): the
    /// chart would show nothing of it, and lose its last good function.
    pub fn new(source: &str, range: (f64, f64)) -> Result<OneVariable, wasm_bindgen::JsError> {
        let expr = calculus::parse(source).map_err(crate::convert::js_error)?;
        let mut function = calculus::Function1::new(&expr).map_err(crate::convert::js_error)?;
        let variable = function.variable().unwrap_or("x").to_string();
        if !finite_somewhere(range, None, &mut |x, _| function.value(x)) {
            return Err(nowhere_finite(source));
        }
        let derivative = calculus::differentiate(&expr, &variable);
        Ok(OneVariable {
            function,
            source: source.trim().to_string(),
            mathml: expr.to_mathml(),
            derivative_text: derivative.to_string(),
            derivative_mathml: derivative.to_mathml(),
            spoken: calculus::speech::spoken(&expr),
            derivative_spoken: calculus::speech::spoken(&derivative),
            variable,
        })
    }

    /// f and f' at one sample per 1.5 CSS pixels across `range`, on a plot `css_width` wide:
    /// enough for a smooth curve at any width.
    pub fn curves(&mut self, range: (f64, f64), css_width: f64) -> Curves {
        let xs = super::sample_xs(range, css_width, 1.5);
        let (fs, ds) = xs.iter().map(|&x| self.function.value_and_slope(x)).unzip();
        Curves { xs, fs, ds }
    }
}

/// f and f' sampled across a view, for a chart's curves and its y range.
#[derive(Default)]
pub struct Curves {
    pub xs: Vec<f64>,
    pub fs: Vec<f64>,
    pub ds: Vec<f64>,
}

/// A function of two variables a reader typed (chapters 2 and 3), compiled for a chart of
/// `u` by `v`, and in words. Errors as [`OneVariable::new`]'s.
#[cfg(feature = "two-variables")]
pub fn two_variables(
    source: &str,
    (u, v): ((f64, f64), (f64, f64)),
) -> Result<(calculus::surface::Function2, String), wasm_bindgen::JsError> {
    let expr = calculus::parse(source).map_err(crate::convert::js_error)?;
    let mut f = calculus::surface::Function2::new(&expr, None).map_err(crate::convert::js_error)?;
    if !finite_somewhere(u, Some(v), &mut |a, b| f.value(a, b)) {
        return Err(nowhere_finite(source));
    }
    Ok((f, calculus::speech::spoken(&expr)))
}

/// Whether `f` is finite anywhere on a chart of `u` (by `v`, for two variables): tried at
/// 129 points from end to end of each range (129 × 129 on a map). A function finite at none
/// of them is refused; one finite anywhere is drawn, gaps and all. (`dyn` and not inlined:
/// one small loop a build, not a copy of the graph's evaluation at each caller.)
#[inline(never)]
fn finite_somewhere(
    u: (f64, f64),
    v: Option<(f64, f64)>,
    f: &mut dyn FnMut(f64, f64) -> f64,
) -> bool {
    const STEPS: u32 = 128;
    let at = |(a, b): (f64, f64), i: u32| a + (b - a) * f64::from(i) / f64::from(STEPS);
    let rows = if v.is_some() { STEPS } else { 0 };
    (0..=STEPS).any(|i| (0..=rows).any(|j| f(at(u, i), v.map_or(0.0, |v| at(v, j))).is_finite()))
}

/// "1/0 has no finite value anywhere on the chart: there is nothing to draw".
fn nowhere_finite(source: &str) -> wasm_bindgen::JsError {
    wasm_bindgen::JsError::new(&format!(
        "{} has no finite value anywhere on the chart: there is nothing to draw",
        source.trim()
    ))
}

/// An x range a reader (or an attribute) asked for, if it is one.
pub fn checked_range(xmin: f64, xmax: f64) -> Result<(f64, f64), wasm_bindgen::JsError> {
    if !(xmin.is_finite() && xmax.is_finite()) {
        return Err(wasm_bindgen::JsError::new(
            "the range must be two finite numbers",
        ));
    }
    if xmax <= xmin {
        return Err(wasm_bindgen::JsError::new(&format!(
            "xmax ({}) must be greater than xmin ({})",
            Shortest(xmax),
            Shortest(xmin)
        )));
    }
    // Narrower than this, neighbouring samples round to the same float.
    let narrowest = 1e-9 * (1.0 + xmin.abs().max(xmax.abs()));
    if xmax - xmin < narrowest {
        return Err(wasm_bindgen::JsError::new(&format!(
            "the range is too narrow to draw: xmax − xmin must be at least {}",
            scientific(narrowest, 1)
        )));
    }
    if xmax - xmin > 1e12 {
        return Err(wasm_bindgen::JsError::new(
            "the range is too wide to draw (at most 10¹² across)",
        ));
    }
    Ok((xmin, xmax))
}

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
    pub fn new(source: &str) -> Result<OneVariable, wasm_bindgen::JsError> {
        let expr = calculus::parse(source).map_err(crate::convert::js_error)?;
        let function = calculus::Function1::new(&expr).map_err(crate::convert::js_error)?;
        let variable = function.variable().unwrap_or("x").to_string();
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

/// A function of two variables a reader typed (chapters 2 and 3), compiled, and in words.
#[cfg(feature = "two-variables")]
pub fn two_variables(
    source: &str,
) -> Result<(calculus::surface::Function2, String), wasm_bindgen::JsError> {
    let expr = calculus::parse(source).map_err(crate::convert::js_error)?;
    let f = calculus::surface::Function2::new(&expr, None).map_err(crate::convert::js_error)?;
    Ok((f, calculus::speech::spoken(&expr)))
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

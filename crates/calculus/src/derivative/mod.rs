//! Functions of one variable: the slope at a point or at many points, the secant whose slope
//! tends to it, and where the graph is flat.
//!
//! Everything here runs on the [`Graph`]: compile once, then each point costs one forward
//! and one backward pass.
//!
//! ```
//! use calculus::{derivative, derivatives, parse, Function1};
//! use calculus::derivative::{flat_points, FlatKind};
//!
//! let f = parse("x^3 - 3x")?;
//! assert_eq!(derivative(&f, 2.0)?, 9.0); // 3·2² − 3
//! assert_eq!(derivatives(&f, &[0.0, 1.0])?, [-3.0, 0.0]);
//!
//! let mut f = Function1::new(&f)?;
//! let flat = flat_points(&mut f, -3.0, 3.0, 100);
//! assert_eq!(flat.len(), 2);
//! assert_eq!(flat[0].kind, FlatKind::Maximum); // at x = −1
//!
//! // The secant from x = 2 to 2.5: ((2.5³ − 7.5) − (2³ − 6))/0.5 = 3·2² + 3·2·0.5 + 0.25 − 3.
//! assert_eq!(f.difference_quotient(2.0, 0.5), 12.25);
//! # Ok::<(), calculus::Error>(())
//! ```

use crate::backprop::Graph;
use crate::error::Error;
use crate::expr::Expr;

mod flat;
pub use flat::{flat_points, FlatKind, FlatPoint};

/// A compiled function of at most one variable (of any name).
#[derive(Debug, Clone)]
pub struct Function1 {
    graph: Graph,
    /// Whether the graph has its one variable; a constant function has none.
    has_variable: bool,
}

impl Function1 {
    /// Compiles `expr`, which must mention at most one variable.
    pub fn new(expr: &Expr) -> Result<Function1, Error> {
        let variables = expr.variables();
        if variables.len() > 1 {
            return Err(Error::TooManyVariables {
                allowed: 1,
                expression: expr.to_string(),
                variables,
            });
        }
        Ok(Function1 {
            graph: Graph::compile(expr),
            has_variable: variables.len() == 1,
        })
    }

    /// The variable's name, or `None` for a constant function.
    pub fn variable(&self) -> Option<&str> {
        self.graph.variables().first().map(String::as_str)
    }

    fn point(&self, x: f64) -> [f64; 1] {
        [x]
    }

    fn values<'a>(&self, point: &'a [f64; 1]) -> &'a [f64] {
        if self.has_variable {
            point
        } else {
            &[]
        }
    }

    /// f(x).
    pub fn value(&mut self, x: f64) -> f64 {
        let point = self.point(x);
        let values = self.values(&point);
        self.graph.forward(values)
    }

    /// (f(x), f'(x)); the slope of a constant function is 0.
    pub fn value_and_slope(&mut self, x: f64) -> (f64, f64) {
        let point = self.point(x);
        let values = self.values(&point);
        let mut slope = [0.0];
        let value = self.graph.value_and_gradient(values, &mut slope);
        (value, slope[0])
    }

    /// f'(x) for each x in `xs`, written to `out` (pairs beyond the shorter slice are skipped).
    pub fn slopes(&mut self, xs: &[f64], out: &mut [f64]) {
        self.graph.slopes(xs, out);
    }

    /// Whether f jumps at `x` (sign or step at 0): the values a tiny step either side differ,
    /// and keep differing as the step shrinks, so f is not even continuous there and has no
    /// derivative, though the slopes on both sides may be 0.
    pub fn jumps(&mut self, x: f64) -> bool {
        let gap = |f: &mut Function1, delta: f64| (f.value(x + delta) - f.value(x - delta)).abs();
        let delta = 1e-9 * x.abs().max(1.0);
        let (wide, narrow) = (gap(self, delta), gap(self, delta / 10.0));
        let scale = 1.0 + self.value(x).abs();
        wide.is_finite() && wide > 1e-6 * scale && narrow > 0.5 * wide
    }

    /// The slopes from the left and from the right when f has a corner at `x` (|x| at 0,
    /// relu at 0): there the limit of the difference quotient does not exist, so f'(x) is
    /// undefined, whatever value autodiff's convention gives. `None` where f is smooth.
    ///
    /// Slopes a tiny step δ either side of a smooth point differ by about 2δ·f''(x), which
    /// shrinks tenfold with δ; at a corner the difference stays. Both must hold to report one.
    pub fn corner(&mut self, x: f64) -> Option<(f64, f64)> {
        let gap = |f: &mut Function1, delta: f64| {
            let left = f.value_and_slope(x - delta).1;
            let right = f.value_and_slope(x + delta).1;
            (left, right, (right - left).abs())
        };
        let delta = 1e-9 * x.abs().max(1.0);
        let (left, right, wide) = gap(self, delta);
        let (_, _, narrow) = gap(self, delta / 10.0);
        let tolerance = 1e-6 * (1.0 + left.abs() + right.abs());
        let stays = narrow > 0.5 * wide;
        (left.is_finite()
            && right.is_finite()
            && wide > tolerance
            && stays
            && self.value(x).is_finite())
        .then_some((left, right))
    }
}

impl Function1 {
    /// The difference quotient (f(x + h) − f(x))/h: the slope of the secant, which tends to
    /// f'(x) as h → 0 where f is differentiable. h = 0 gives NaN, not a panic.
    pub fn difference_quotient(&mut self, x: f64, h: f64) -> f64 {
        (self.value(x + h) - self.value(x)) / h
    }

    /// The secant through (x, f(x)) and (x + h, f(x + h)), with the tangent's slope f'(x)
    /// beside it for comparison.
    pub fn secant(&mut self, x: f64, h: f64) -> Secant {
        let (fx, tangent_slope) = self.value_and_slope(x);
        let fxh = self.value(x + h);
        Secant {
            x,
            h,
            fx,
            fxh,
            slope: (fxh - fx) / h,
            tangent_slope,
        }
    }
}

/// The line through two points of a graph, (x, f(x)) and (x + h, f(x + h)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Secant {
    pub x: f64,
    pub h: f64,
    /// f(x)
    pub fx: f64,
    /// f(x + h)
    pub fxh: f64,
    /// The difference quotient (f(x + h) − f(x))/h.
    pub slope: f64,
    /// f'(x), from the graph, for the tangent the secant turns into.
    pub tangent_slope: f64,
}

impl Secant {
    /// The secant's height above `t`: f(x) + slope·(t − x).
    pub fn at(&self, t: f64) -> f64 {
        line_at(self.x, self.fx, self.slope, t)
    }

    /// The tangent's height above `t`: f(x) + f'(x)·(t − x).
    pub fn tangent_at(&self, t: f64) -> f64 {
        line_at(self.x, self.fx, self.tangent_slope, t)
    }
}

/// The line through (x, y) with `slope`, at `t`.
fn line_at(x: f64, y: f64, slope: f64, t: f64) -> f64 {
    y + slope * (t - x)
}

/// f'(x) for a function of one variable. Where f is not a finite real number, or its slope
/// is not a number, this is [`Error::NotDefined`]; at an end of f's domain where the tangent
/// is vertical (√x at 0, asin x at ±1) the slope is ±∞, and at a corner (|x| at 0) it is
/// PyTorch's convention.
pub fn derivative(expr: &Expr, x: f64) -> Result<f64, Error> {
    let mut f = Function1::new(expr)?;
    let (value, slope) = f.value_and_slope(x);
    if value.is_finite() && !slope.is_nan() {
        return Ok(slope);
    }
    let values = f.values(&[x]).to_vec();
    Err(crate::gradient::not_defined(
        expr,
        &f.graph,
        &values,
        value.is_finite(),
    ))
}

/// f'(x) at every x in `xs`, compiling `expr` once; NaN at the points where f is not a finite
/// real number (see [`derivative`]).
pub fn derivatives(expr: &Expr, xs: &[f64]) -> Result<Vec<f64>, Error> {
    let f = Function1::new(expr)?;
    // Filled batch by batch rather than zeroed first: at 100,000 points, zeroing is a
    // noticeable part of the whole.
    let mut out = Vec::new();
    f.graph.append_slopes(xs, &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn corner_of(src: &str, x: f64) -> Option<(f64, f64)> {
        Function1::new(&crate::parse(src).unwrap())
            .unwrap()
            .corner(x)
    }

    #[test]
    fn corners_are_where_the_one_sided_slopes_differ() {
        // |x|: slope −1 on the left, 1 on the right; relu: 0 and 1; |x − 2| at 2.
        assert_eq!(corner_of("abs(x)", 0.0), Some((-1.0, 1.0)));
        assert_eq!(corner_of("relu(x)", 0.0), Some((0.0, 1.0)));
        assert_eq!(corner_of("abs(x - 2)", 2.0), Some((-1.0, 1.0)));
        // Smooth points, however curved, are not corners.
        for (src, x) in [
            ("x^2", 0.0),
            ("abs(x)", 1.0),
            ("x^400", 1.0),
            ("exp(20x)", 1.0),
            ("sin(x)", 3.0),
            ("7", 0.0),
        ] {
            assert_eq!(corner_of(src, x), None, "{src} at {x}");
        }
        // Where f itself is undefined there is no corner to speak of.
        assert_eq!(corner_of("1/x", 0.0), None);
    }

    #[test]
    fn jumps_are_where_f_is_not_continuous() {
        let jumps = |src: &str, x: f64| {
            Function1::new(&crate::parse(src).unwrap())
                .unwrap()
                .jumps(x)
        };
        // sign jumps from −1 to 1 and step from 0 to 1 at 0; both are continuous elsewhere,
        // as are |x| (a corner, not a jump) and smooth steep functions.
        assert!(jumps("sign(x)", 0.0));
        assert!(jumps("step(x - 1)", 1.0));
        for (src, x) in [
            ("sign(x)", 0.5),
            ("abs(x)", 0.0),
            ("x^2", 0.0),
            ("exp(20x)", 1.0),
            ("tanh(1000x)", 0.0),
        ] {
            assert!(!jumps(src, x), "{src} at {x}");
        }
    }

    #[test]
    fn one_variable_of_any_name_or_none() {
        let mut f = Function1::new(&parse("t^2").unwrap()).unwrap();
        assert_eq!(f.variable(), Some("t"));
        assert_eq!(f.value_and_slope(3.0), (9.0, 6.0));
        let mut c = Function1::new(&parse("2 + pi").unwrap()).unwrap();
        assert_eq!(c.variable(), None);
        assert_eq!(c.value_and_slope(3.0), (2.0 + std::f64::consts::PI, 0.0));
        let err = Function1::new(&parse("x*y").unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected a function of one variable, but 'x*y' has 2: x, y"
        );
    }

    #[test]
    fn slopes_tolerate_mismatched_lengths() {
        let mut f = Function1::new(&parse("x^2").unwrap()).unwrap();
        let mut out = [0.0; 2];
        f.slopes(&[1.0, 2.0, 3.0], &mut out);
        assert_eq!(out, [2.0, 4.0]);
    }
}

//! Functions of one variable: the slope at a point or at many points, and where the
//! graph is flat.
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
//! # Ok::<(), calculus::Error>(())
//! ```

use crate::backprop::Graph;
use crate::error::Error;
use crate::expr::Expr;

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
            return Err(Error::NotOneVariable {
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

    /// The graph the function runs on (for drawing it).
    pub fn graph(&self) -> &Graph {
        &self.graph
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
}

/// f'(x) for a function of one variable.
pub fn derivative(expr: &Expr, x: f64) -> Result<f64, Error> {
    Ok(Function1::new(expr)?.value_and_slope(x).1)
}

/// f'(x) at every x in `xs`, compiling `expr` once.
pub fn derivatives(expr: &Expr, xs: &[f64]) -> Result<Vec<f64>, Error> {
    let f = Function1::new(expr)?;
    // Filled batch by batch rather than zeroed first: at 100,000 points, zeroing is a
    // noticeable part of the whole.
    let mut out = Vec::new();
    f.graph.append_slopes(xs, &mut out);
    Ok(out)
}

/// Whether the function turns down or up at a flat point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlatKind {
    Minimum,
    Maximum,
}

/// A local extremum: where f' is zero, or changes sign at a kink like |x| at 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlatPoint {
    pub x: f64,
    pub y: f64,
    pub kind: FlatKind,
    /// The slope jumps here instead of passing through zero (|x| at 0): a corner, not a
    /// smooth flat point.
    pub corner: bool,
}

/// The most grid points `flat_points` will use, however many are asked for.
pub const MAX_SAMPLES: usize = 1_000_000;

/// Bisection halves a bracket at most this often: 2⁻²⁰⁰ of any finite interval is far
/// below one ulp, so the limit only stops pointless work near 0, where floats are dense.
const MAX_BISECTIONS: usize = 200;

/// The local minima and maxima of `f` in [a, b], in increasing x.
///
/// `f'` is sampled on `samples` evenly spaced points (at least 2, at most
/// [`MAX_SAMPLES`]); each sign change of f' between neighbours, and each exact zero with
/// opposite signs on either side, is one candidate, refined by bisection on the sign of f'
/// to near machine precision. Candidates where f is not finite, or where f' blows up (the
/// sign change runs through a pole, as for 1/x² at 0), are not extrema and are dropped.
/// Flat stretches (a constant, relu for x < 0) and inflections (x³ at 0) are not reported.
pub fn flat_points(f: &mut Function1, a: f64, b: f64, samples: usize) -> Vec<FlatPoint> {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    if !(a.is_finite() && b.is_finite()) || a == b {
        return Vec::new();
    }
    let n = samples.clamp(2, MAX_SAMPLES);
    let last = (n - 1) as f64;
    let grid: Vec<f64> = (0..n)
        .map(|i| {
            let t = i as f64 / last;
            // Two-sided form, so the last point is exactly b.
            a * (1.0 - t) + b * t
        })
        .collect();
    let slopes: Vec<f64> = grid.iter().map(|&x| f.value_and_slope(x).1).collect();

    let mut found = Vec::new();
    for i in 0..n.saturating_sub(1) {
        let (Some(&x0), Some(&x1), Some(&s0), Some(&s1)) = (
            grid.get(i),
            grid.get(i + 1),
            slopes.get(i),
            slopes.get(i + 1),
        ) else {
            break;
        };
        // An exact zero on the grid, with the slope changing sign across it.
        if s1 == 0.0 {
            if let (Some(&x2), Some(&s2)) = (grid.get(i + 2), slopes.get(i + 2)) {
                if let Some(kind) = turn(s0, s2) {
                    found.extend(classify(f, x1, kind, (x0, x2), (s0, s2)));
                }
            }
        } else if s0 != 0.0 {
            if let Some(kind) = turn(s0, s1) {
                let x = bisect(f, x0, x1, s0);
                found.extend(classify(f, x, kind, (x0, x1), (s0, s1)));
            }
        }
    }
    found
}

/// The kind of extremum where the slope goes from `before` to `after`, if it changes sign.
fn turn(before: f64, after: f64) -> Option<FlatKind> {
    if before < 0.0 && after > 0.0 {
        Some(FlatKind::Minimum)
    } else if before > 0.0 && after < 0.0 {
        Some(FlatKind::Maximum)
    } else {
        None
    }
}

/// Narrows [lo, hi], where the slope has sign `sign(s_lo)` at lo and the opposite at hi,
/// to where it changes sign.
fn bisect(f: &mut Function1, mut lo: f64, mut hi: f64, s_lo: f64) -> f64 {
    for _ in 0..MAX_BISECTIONS {
        let mid = lo + (hi - lo) / 2.0;
        if mid <= lo || mid >= hi {
            break;
        }
        let s = f.value_and_slope(mid).1;
        if s == 0.0 {
            return mid;
        }
        if (s < 0.0) == (s_lo < 0.0) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo + (hi - lo) / 2.0
}

/// Accepts `x` as an extremum of the given kind unless f is not finite there or f' blows
/// up next to it. `bracket` is the grid cell (or pair of neighbours) that found it and
/// `bracket_slopes` the slopes at its ends.
fn classify(
    f: &mut Function1,
    x: f64,
    kind: FlatKind,
    bracket: (f64, f64),
    bracket_slopes: (f64, f64),
) -> Option<FlatPoint> {
    let y = f.value(x);
    if !y.is_finite() || !f.value(bracket.0).is_finite() || !f.value(bracket.1).is_finite() {
        return None;
    }
    // Probe the slope just beside x. Approaching a smooth extremum it shrinks towards 0;
    // at a corner it stays put; approaching a pole it grows without bound.
    let width = bracket.1 - bracket.0;
    let near = width * 1e-6;
    let nearer = width * 1e-8;
    let bound = bracket_slopes.0.abs().max(bracket_slopes.1.abs());
    let mut corner = false;
    for side in [-1.0, 1.0] {
        let s_near = f.value_and_slope(x + side * near).1;
        let s_nearer = f.value_and_slope(x + side * nearer).1;
        if !s_near.is_finite() || !s_nearer.is_finite() || s_nearer.abs() > 1e3 * bound {
            return None;
        }
        // A smooth slope would have shrunk about 100-fold between the two probes.
        if s_nearer != 0.0 && s_nearer.abs() > 0.5 * s_near.abs() {
            corner = true;
        }
    }
    Some(FlatPoint { x, y, kind, corner })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn points(src: &str, a: f64, b: f64, samples: usize) -> Vec<FlatPoint> {
        let mut f = Function1::new(&parse(src).unwrap()).unwrap();
        flat_points(&mut f, a, b, samples)
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

    #[test]
    fn parabola_minimum_at_zero_for_any_grid() {
        for samples in [2, 3, 100, 101, 200, 201, 1000] {
            let found = points("x^2", -10.0, 10.0, samples);
            assert_eq!(found.len(), 1, "{samples}");
            assert!(found[0].x.abs() < 1e-9);
            assert_eq!(found[0].kind, FlatKind::Minimum);
            assert!(!found[0].corner);
        }
    }

    #[test]
    fn shifted_parabola() {
        let found = points("(x-2)^2+1", -10.0, 10.0, 100);
        assert_eq!(found.len(), 1);
        assert!((found[0].x - 2.0).abs() < 1e-12);
        assert_eq!(found[0].y, 1.0);
    }

    #[test]
    fn abs_has_a_corner_minimum() {
        let found = points("abs(x)", -1.0, 1.0, 101);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].x, found[0].kind, found[0].corner),
            (0.0, FlatKind::Minimum, true)
        );
        let found = points("abs(x - 0.3)", -1.0, 1.0, 100);
        assert_eq!(found.len(), 1);
        assert!((found[0].x - 0.3).abs() < 1e-12 && found[0].corner);
    }

    #[test]
    fn poles_and_flat_stretches_are_not_extrema() {
        assert_eq!(points("1/x^2", -1.0, 1.0, 100), []);
        assert_eq!(points("1/x^2", -1.0, 1.0, 101), []);
        assert_eq!(points("tan(x)^2", 1.0, 2.0, 100), []);
        assert_eq!(points("5", -1.0, 1.0, 100), []);
        assert_eq!(points("relu(x)", -1.0, 1.0, 100), []);
        assert_eq!(points("x^3", -1.0, 1.0, 101), []);
    }

    #[test]
    fn degenerate_intervals() {
        assert_eq!(points("x^2", 1.0, 1.0, 100), []);
        assert_eq!(points("x^2", f64::NAN, 1.0, 100), []);
        assert_eq!(points("x^2", -1.0, f64::INFINITY, 100).len(), 0);
        assert_eq!(points("x^2", 1.0, -1.0, 0).len(), 1);
    }
}

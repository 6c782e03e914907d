//! A function of several variables at a named point: its value and its gradient.
//!
//! ```
//! use calculus::{evaluate, gradient, parse};
//!
//! // f(w, b) = w² + 3b at (2, 5): f = 19, ∇f = (∂f/∂b, ∂f/∂w) = (3, 4).
//! let f = parse("w^2 + 3b")?;
//! assert_eq!(evaluate(&f, &[("w", 2.0), ("b", 5.0)])?, 19.0);
//! assert_eq!(
//!     gradient(&f, &[("w", 2.0), ("b", 5.0)])?,
//!     [("b".to_string(), 3.0), ("w".to_string(), 4.0)]
//! );
//! # Ok::<(), calculus::Error>(())
//! ```

use crate::backprop::Graph;
use crate::error::Error;
use crate::expr::Expr;

/// The value of every variable of `graph`, in its order, looked up by name in `point`
/// (the first entry of a name wins; names the graph does not use are ignored).
pub(crate) fn values_at(graph: &Graph, point: &[(&str, f64)]) -> Result<Vec<f64>, Error> {
    graph
        .variables()
        .iter()
        .map(|name| {
            point
                .iter()
                .find(|(n, _)| n == name)
                .map(|&(_, v)| v)
                .ok_or_else(|| Error::NoValue {
                    variable: name.clone(),
                })
        })
        .collect()
}

/// The [`Error::NotDefined`] for `expr` at `values` (in the order of `graph`'s variables):
/// its value is not a finite real number there, or (`slope`) its derivative is not a number.
pub(crate) fn not_defined(expr: &Expr, graph: &Graph, values: &[f64], slope: bool) -> Error {
    Error::NotDefined {
        expression: expr.to_string(),
        point: graph
            .variables()
            .iter()
            .cloned()
            .zip(values.iter().copied())
            .collect(),
        slope,
    }
}

/// f at `point`. A missing variable is an error naming the first missing one in
/// alphabetical order; so is a point where f is not a finite real number ([`Error::NotDefined`]:
/// `ln(x)` at x = −1, `1/x` at 0), rather than a NaN or ∞ that would pass unnoticed.
pub fn evaluate(expr: &Expr, point: &[(&str, f64)]) -> Result<f64, Error> {
    let mut graph = Graph::compile(expr);
    let values = values_at(&graph, point)?;
    match graph.forward(&values) {
        value if value.is_finite() => Ok(value),
        _ => Err(not_defined(expr, &graph, &values, false)),
    }
}

/// ∂f/∂v for every variable v of `expr`, sorted by name, at `point`; [`Error::NotDefined`]
/// where f is not a finite real number, or a partial derivative is not a number.
pub fn gradient(expr: &Expr, point: &[(&str, f64)]) -> Result<Vec<(String, f64)>, Error> {
    let mut graph = Graph::compile(expr);
    let values = values_at(&graph, point)?;
    let mut grad = vec![0.0; values.len()];
    let value = graph.value_and_gradient(&values, &mut grad);
    if !value.is_finite() || grad.iter().any(|g| g.is_nan()) {
        return Err(not_defined(expr, &graph, &values, value.is_finite()));
    }
    Ok(graph.variables().iter().cloned().zip(grad).collect())
}

/// The matrix of second derivatives ∂²f/∂u∂v at `point`, rows and columns in the sorted
/// order of the variables. Exact up to rounding: reverse mode run over the graph's own
/// backward pass ([`Graph::hessian`]), so the conventions of the gradient (|x|' = 0 at 0,
/// say) hold for the Hessian too.
pub fn hessian(expr: &Expr, point: &[(&str, f64)]) -> Result<Vec<Vec<f64>>, Error> {
    let graph = Graph::compile(expr);
    let values = values_at(&graph, point)?;
    Ok(graph.hessian(&values))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    #[test]
    fn missing_variables_are_named_alphabetically() {
        let f = parse("z + y + a*x").unwrap();
        let err = evaluate(&f, &[("a", 1.0), ("z", 2.0)]).unwrap_err();
        assert_eq!(err.to_string(), "no value for variable 'x'");
        let err = gradient(&parse("a*b").unwrap(), &[("a", 1.0), ("c", 2.0)]).unwrap_err();
        assert_eq!(err.to_string(), "no value for variable 'b'");
    }

    #[test]
    fn extra_names_are_ignored_and_constants_have_no_gradient() {
        let f = parse("2*pi").unwrap();
        assert_eq!(
            evaluate(&f, &[("x", 1.0)]).unwrap(),
            2.0 * std::f64::consts::PI
        );
        assert_eq!(gradient(&f, &[]).unwrap(), []);
    }

    #[test]
    fn gradient_of_a_product() {
        // ∂(xy)/∂x = y = 3, ∂(xy)/∂y = x = 2.
        let g = gradient(&parse("x*y").unwrap(), &[("y", 3.0), ("x", 2.0)]).unwrap();
        assert_eq!(g, [("x".into(), 3.0), ("y".into(), 2.0)]);
    }
}

//! The maths as JS functions (feature `api`, in the full build `calculus` only): evaluate,
//! derivatives, symbolic differentiation, numpy.gradient, the gradient, descent and the
//! computational graph. The chapters' widgets call none of them (their charts reach the engine
//! from Rust), so the chapter builds leave them out: `derivatives`' batched kernels alone are
//! 12 KB of wasm.

use calculus::Expr;
use wasm_bindgen::prelude::*;

use crate::convert::{
    self, finite, float64_array, float64_input, float64_output, js_error, map_chunks, variables,
    Float64Array,
};
use crate::parse;

/// The value of `expr` with the given variable values, e.g. `evaluate("x^2 + y", {x: 3, y: 1})`
/// is 10. Throws when a variable has no value.
#[wasm_bindgen]
pub fn evaluate(
    expr: &str,
    #[wasm_bindgen(unchecked_param_type = "Variables")] vars: JsValue,
) -> Result<f64, JsError> {
    let e = parse(expr)?;
    let values = variables(&vars, "variables")?;
    let pairs: Vec<(&str, f64)> = values.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    calculus::evaluate(&e, &pairs).map_err(js_error)
}

/// The exact slope of a one-variable expression at `x`, by reverse-mode autodiff:
/// `derivative("x^2", 3)` is 6. The variable may have any name; two or more is an error.
#[wasm_bindgen]
pub fn derivative(expr: &str, x: f64) -> Result<f64, JsError> {
    let x = finite(Some(x), "x")?;
    calculus::derivative(&parse(expr)?, x).map_err(js_error)
}

/// [`derivative`] at many points in one call (the expression is compiled once). With `out`, a
/// Float64Array as long as `xs`, the slopes are written there and it is returned, as numpy's
/// `out=`: a caller asking again and again (each frame of an animation) reuses one array,
/// where a new one of 100,000 numbers costs the JS heap up to half a millisecond of page
/// faults, more than the slopes of `x^2` themselves.
#[wasm_bindgen]
pub fn derivatives(
    expr: &str,
    #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] xs: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Float64Array | null")] out: Option<JsValue>,
) -> Result<Float64Array, JsError> {
    let mut f = calculus::Function1::new(&parse(expr)?).map_err(js_error)?;
    let xs = float64_input(&xs, "xs")?;
    let out = float64_output(out, xs.length())?;
    Ok(map_chunks(&xs, out, |xs, slopes| f.slopes(xs, slopes)))
}

/// The symbolic derivative, simplified, as text that `evaluate` accepts:
/// `differentiate("3*x^3 - 2*x + 1", "x")` is `"9*x^2 - 2"`.
#[wasm_bindgen]
pub fn differentiate(expr: &str, variable: &str) -> Result<String, JsError> {
    Ok(derive(expr, variable)?.to_string())
}

/// The same derivative as MathML (`<math>…</math>`), so pages can typeset a reader's function
/// without TeX at run time.
#[wasm_bindgen(js_name = differentiateMathML)]
pub fn differentiate_mathml(expr: &str, variable: &str) -> Result<String, JsError> {
    Ok(derive(expr, variable)?.to_mathml())
}

fn derive(expr: &str, variable: &str) -> Result<Expr, JsError> {
    if calculus::parse(variable).ok() != Some(Expr::Var(variable.to_string())) {
        return Err(JsError::new(&format!(
            "'{variable}' is not a variable name"
        )));
    }
    Ok(calculus::differentiate(&parse(expr)?, variable))
}

/// An expression as MathML, for typesetting what a reader typed.
#[wasm_bindgen(js_name = toMathML)]
pub fn to_mathml(expr: &str) -> Result<String, JsError> {
    Ok(parse(expr)?.to_mathml())
}

/// The expression in Python over numpy, from the engine's tree ("Copy as Python"):
/// `toPython("sin(x)^2")` is `"np.sin(x)**2"`, `toPython("relu(x)")` `"np.maximum(x, 0)"`. A
/// variable Python reserves gets a `_` after it: `toPython("lambda")` is `"lambda_"`.
#[wasm_bindgen(js_name = toPython)]
pub fn to_python(expr: &str) -> Result<String, JsError> {
    Ok(calculus::python::to_python(&parse(expr)?))
}

/// `numpy.gradient(ys, xs)` (edge_order=1): central differences inside, numpy's formula for
/// uneven spacing, one-sided differences at the two ends.
#[wasm_bindgen(js_name = numericalGradient)]
pub fn numerical_gradient(ys: &[f64], xs: &[f64]) -> Result<Float64Array, JsError> {
    Ok(float64_array(
        &calculus::numerical_gradient(ys, xs).map_err(js_error)?,
    ))
}

/// The gradient at a point: `gradient("w^2 + b^2", {w: 1, b: 2})` is `{b: 4, w: 2}`.
#[wasm_bindgen(unchecked_return_type = "Variables")]
pub fn gradient(
    expr: &str,
    #[wasm_bindgen(unchecked_param_type = "Variables")] point: JsValue,
) -> Result<JsValue, JsError> {
    let e = parse(expr)?;
    let values = variables(&point, "point")?;
    let pairs: Vec<(&str, f64)> = values.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    Ok(convert::variables_js(
        &calculus::gradient(&e, &pairs).map_err(js_error)?,
    ))
}

/// Gradient descent from `options.start`, with PyTorch's update rules for `gd`, `momentum`,
/// `rmsprop` and `adam`. Stops early, with `diverged: true`, when the iterates blow up.
#[wasm_bindgen(unchecked_return_type = "Descent")]
pub fn descend(
    expr: &str,
    #[wasm_bindgen(unchecked_param_type = "DescendOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let e = parse(expr)?;
    let options = convert::descent_options(&options)?;
    Ok(convert::descent_js(
        &calculus::descend(&e, &options).map_err(js_error)?,
    ))
}

/// One forward and one backward pass through the expression's computational graph: its value,
/// the gradient, and every node with its value and gradient (topological order, output last).
#[wasm_bindgen(unchecked_return_type = "Backprop")]
pub fn backprop(
    expr: &str,
    #[wasm_bindgen(unchecked_param_type = "Variables")] values: JsValue,
) -> Result<JsValue, JsError> {
    let (mut graph, point) = graph_at(expr, &values)?;
    let mut grads = vec![0.0; point.len()];
    let value = graph.value_and_gradient(&point, &mut grads);
    Ok(convert::backprop_js(&graph, value, &grads))
}

/// The backward pass of `backprop(expr, values)`, one entry per edge, in the order the pass
/// runs: node `from` (whose gradient is final) passes upstream × local to its input `to`;
/// `total` is `to`'s running sum. The node ids are `backprop`'s.
#[wasm_bindgen(js_name = backwardSteps, unchecked_return_type = "BackwardStep[]")]
pub fn backward_steps(
    expr: &str,
    #[wasm_bindgen(unchecked_param_type = "Variables")] values: JsValue,
) -> Result<JsValue, JsError> {
    let (mut graph, point) = graph_at(expr, &values)?;
    Ok(convert::backward_steps_js(&graph.backward_steps(&point)))
}

/// `expr` compiled, and the point `values` names in the graph's variable order.
fn graph_at(expr: &str, values: &JsValue) -> Result<(calculus::Graph, Vec<f64>), JsError> {
    let e = parse(expr)?;
    let given = variables(values, "values")?;
    let graph = calculus::Graph::compile(&e);
    let mut point = Vec::with_capacity(graph.variables().len());
    for name in graph.variables() {
        match given.iter().find(|(k, _)| k == name) {
            Some((_, v)) => point.push(*v),
            None => return Err(JsError::new(&format!("no value for variable '{name}'"))),
        }
    }
    Ok((graph, point))
}

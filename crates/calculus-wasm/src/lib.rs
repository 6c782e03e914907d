//! The Handbook's JavaScript API and every chart it draws: a thin wasm-bindgen layer over the
//! [`calculus`] crate. It converts values, turns typed errors into JS `Error`s and draws; the
//! maths lives in `calculus`.
//!
//! ```js
//! import init, { derivative, descend } from "./pkg/calculus.js";
//! await init();
//! derivative("x^2", 3);                     // 6
//! descend("w^2 + b^2", { start: { w: 8, b: 9 }, learningRate: 0.1, iterations: 30 });
//! ```
//!
//! Every export returns `Result`, so a bad input throws an `Error` with the engine's message
//! and never traps; the module keeps working afterwards.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod book;
pub mod chart;
mod convert;
pub mod format;

use calculus::{DescentOptions, Expr, Optimizer};
use js_sys::{Array, Float64Array, Object};
use wasm_bindgen::prelude::*;

use convert::{finite, float64_array, js_error, number_map, object_of, optional_number, set};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Values of an expression's variables, by name. */
export type Variables = { [name: string]: number };

export interface DescendOptions {
  /** Where the run starts: a value for every variable. */
  start: Variables;
  learningRate: number;
  /** Number of steps; the path holds the start and then one point per step. */
  iterations: number;
  optimizer?: "gd" | "momentum" | "rmsprop" | "adam";
  /** SGD momentum (PyTorch default 0.9). */
  momentum?: number;
  /** RMSprop smoothing constant (PyTorch default 0.99). */
  alpha?: number;
  /** Adam's first-moment decay (default 0.9). */
  beta1?: number;
  /** Adam's second-moment decay (default 0.999). */
  beta2?: number;
  /** Added to denominators of RMSprop and Adam (default 1e-8). */
  epsilon?: number;
}

export interface Descent {
  /** The order of the coordinates of each point in `path`. */
  variables: string[];
  path: number[][];
  /** `loss[i]` is f at `path[i]`. */
  loss: number[];
  /** True when an iterate or its loss stopped being finite; the run stopped there. */
  diverged: boolean;
}

export interface GraphNode {
  id: number;
  /** `var`, `const`, `add`, `mul`, `pow`, `sin`, ... */
  op: string;
  label: string;
  inputs: number[];
  value: number;
  /** d(output)/d(this node). */
  grad: number;
}

export interface Backprop {
  value: number;
  gradients: Variables;
  /** In topological order; the output is last. */
  nodes: GraphNode[];
}
"#;

fn parse(expr: &str) -> Result<Expr, JsError> {
    calculus::parse(expr).map_err(js_error)
}

/// The value of `expr` with the given variable values, e.g. `evaluate("x^2 + y", {x: 3, y: 1})`
/// is 10. Throws when a variable has no value.
#[wasm_bindgen]
pub fn evaluate(
    expr: &str,
    #[wasm_bindgen(unchecked_param_type = "Variables")] vars: JsValue,
) -> Result<f64, JsError> {
    let e = parse(expr)?;
    let values = number_map(&vars, "variables")?;
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

/// [`derivative`] at many points in one call (the expression is compiled once).
#[wasm_bindgen]
pub fn derivatives(expr: &str, xs: &[f64]) -> Result<Float64Array, JsError> {
    Ok(float64_array(
        &calculus::derivatives(&parse(expr)?, xs).map_err(js_error)?,
    ))
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

/// `expr` with the variable `name` held at `value`, as text: a slice of a surface
/// (`substitute("w^2 + b^2", "b", 5)` is `"w^2 + 5^2"`).
#[wasm_bindgen]
pub fn substitute(expr: &str, name: &str, value: f64) -> Result<String, JsError> {
    let value = finite(Some(value), name)?;
    Ok(parse(expr)?.substitute(name, value).to_string())
}

/// An expression as MathML, for typesetting what a reader typed.
#[wasm_bindgen(js_name = toMathML)]
pub fn to_mathml(expr: &str) -> Result<String, JsError> {
    Ok(parse(expr)?.to_mathml())
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
    let values = number_map(&point, "point")?;
    let pairs: Vec<(&str, f64)> = values.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let grad = calculus::gradient(&e, &pairs).map_err(js_error)?;
    let out = Object::new();
    for (name, g) in grad {
        set(&out, &name, &g.into());
    }
    Ok(out.into())
}

/// Gradient descent from `options.start`, with PyTorch's update rules for `gd`, `momentum`,
/// `rmsprop` and `adam`. Stops early, with `diverged: true`, when the iterates blow up.
#[wasm_bindgen(unchecked_return_type = "Descent")]
pub fn descend(
    expr: &str,
    #[wasm_bindgen(unchecked_param_type = "DescendOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let e = parse(expr)?;
    let options = descent_options(&options)?;
    let run = calculus::descend(&e, &options).map_err(js_error)?;
    let out = Object::new();
    let names: Array = run.variables.iter().map(|v| JsValue::from_str(v)).collect();
    set(&out, "variables", &names);
    let path: Array = run
        .path
        .iter()
        .map(|p| p.iter().map(|v| JsValue::from_f64(*v)).collect::<Array>())
        .collect();
    set(&out, "path", &path);
    let loss: Array = run.loss.iter().map(|v| JsValue::from_f64(*v)).collect();
    set(&out, "loss", &loss);
    set(&out, "diverged", &run.diverged.into());
    Ok(out.into())
}

fn descent_options(options: &JsValue) -> Result<DescentOptions, JsError> {
    let options = object_of(options, "descend options")?;
    let start = js_sys::Reflect::get(&options, &"start".into()).unwrap_or(JsValue::UNDEFINED);
    if start.is_undefined() {
        return Err(JsError::new(
            "descend options need 'start', e.g. {w: 8, b: 9}",
        ));
    }
    let start = number_map(&start, "start")?;
    let learning_rate = optional_number(&options, "learningRate")?
        .ok_or_else(|| JsError::new("descend options need 'learningRate', e.g. 0.1"))?;
    let iterations = optional_number(&options, "iterations")?
        .ok_or_else(|| JsError::new("descend options need 'iterations', e.g. 30"))?;
    if !(iterations >= 0.0 && iterations.fract() == 0.0 && iterations <= 1e9) {
        return Err(JsError::new("iterations must be a whole number, 0 or more"));
    }
    let optimizer = optimizer_of(&options)?;
    Ok(DescentOptions {
        start,
        learning_rate,
        iterations: iterations as usize,
        optimizer,
    })
}

/// The optimizer named by `options.optimizer` (default `gd`), with its hyperparameters
/// (`momentum`, `alpha`, `beta1`, `beta2`, `epsilon`) where given and PyTorch's defaults
/// elsewhere.
pub(crate) fn optimizer_of(options: &Object) -> Result<Optimizer, JsError> {
    let name = js_sys::Reflect::get(options, &"optimizer".into()).unwrap_or(JsValue::UNDEFINED);
    let name = if name.is_undefined() {
        "gd".to_string()
    } else {
        name.as_string().ok_or_else(|| {
            JsError::new("optimizer must be \"gd\", \"momentum\", \"rmsprop\" or \"adam\"")
        })?
    };
    let number = |key: &str, default: f64| -> Result<f64, JsError> {
        Ok(optional_number(options, key)?.unwrap_or(default))
    };
    let optimizer = match name.as_str() {
        "gd" | "sgd" => Optimizer::Gd,
        "momentum" => match Optimizer::momentum() {
            Optimizer::Momentum { momentum } => Optimizer::Momentum {
                momentum: number("momentum", momentum)?,
            },
            other => other,
        },
        "rmsprop" => match Optimizer::rms_prop() {
            Optimizer::RmsProp { alpha, epsilon } => Optimizer::RmsProp {
                alpha: number("alpha", alpha)?,
                epsilon: number("epsilon", epsilon)?,
            },
            other => other,
        },
        "adam" => match Optimizer::adam() {
            Optimizer::Adam {
                beta1,
                beta2,
                epsilon,
            } => Optimizer::Adam {
                beta1: number("beta1", beta1)?,
                beta2: number("beta2", beta2)?,
                epsilon: number("epsilon", epsilon)?,
            },
            other => other,
        },
        other => {
            return Err(JsError::new(&format!(
                "unknown optimizer '{other}': use \"gd\", \"momentum\", \"rmsprop\" or \"adam\""
            )))
        }
    };
    Ok(optimizer)
}

/// One forward and one backward pass through the expression's computational graph: its value,
/// the gradient, and every node with its value and gradient (topological order, output last).
#[wasm_bindgen(unchecked_return_type = "Backprop")]
pub fn backprop(
    expr: &str,
    #[wasm_bindgen(unchecked_param_type = "Variables")] values: JsValue,
) -> Result<JsValue, JsError> {
    let e = parse(expr)?;
    let given = number_map(&values, "values")?;
    let mut graph = calculus::Graph::compile(&e);
    let mut point = Vec::with_capacity(graph.variables().len());
    for name in graph.variables() {
        match given.iter().find(|(k, _)| k == name) {
            Some((_, v)) => point.push(*v),
            None => return Err(JsError::new(&format!("no value for variable '{name}'"))),
        }
    }
    let mut grads = vec![0.0; point.len()];
    let value = graph.value_and_gradient(&point, &mut grads);
    let out = Object::new();
    set(&out, "value", &value.into());
    let gradients = Object::new();
    for (name, g) in graph.variables().iter().zip(&grads) {
        set(&gradients, name, &(*g).into());
    }
    set(&out, "gradients", &gradients);
    let nodes = Array::new();
    for (id, node) in graph.nodes().iter().enumerate() {
        let n = Object::new();
        set(&n, "id", &(id as f64).into());
        set(&n, "op", &node.op.name().into());
        set(&n, "label", &graph.label(id).into());
        let inputs: Array = node
            .args()
            .iter()
            .map(|i| JsValue::from_f64(*i as f64))
            .collect();
        set(&n, "inputs", &inputs);
        set(&n, "value", &node.value.into());
        set(&n, "grad", &node.grad.into());
        nodes.push(&n);
    }
    set(&out, "nodes", &nodes);
    Ok(out.into())
}

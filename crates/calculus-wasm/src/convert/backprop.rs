//! Backprop: a graph after one forward and one backward pass, as the JS `Backprop`, and the
//! backward pass edge by edge, as `BackwardStep[]`.

use calculus::{BackwardStep, Graph};
use wasm_bindgen::JsValue;

use super::build::{plain_array, plain_object};
use super::variables::variables_js;

/// The JS `Backprop` of a graph after a forward and a backward pass: `value`, `gradients`
/// (`grads[k]` for `graph.variables()[k]`), and every node in topological order.
pub fn backprop_js(graph: &Graph, value: f64, grads: &[f64]) -> JsValue {
    let gradients: Vec<(String, f64)> = graph
        .variables()
        .iter()
        .cloned()
        .zip(grads.iter().copied())
        .collect();
    let nodes = graph.nodes().iter().enumerate().map(|(id, node)| {
        plain_object(&[
            ("id", JsValue::from_f64(id as f64)),
            ("op", JsValue::from_str(node.op.name())),
            ("label", JsValue::from_str(&graph.label(id))),
            (
                "inputs",
                plain_array(node.args().iter().map(|&i| JsValue::from_f64(i as f64))),
            ),
            ("value", JsValue::from_f64(node.value)),
            ("grad", JsValue::from_f64(node.grad)),
        ])
    });
    plain_object(&[
        ("value", JsValue::from_f64(value)),
        ("gradients", variables_js(&gradients)),
        ("nodes", plain_array(nodes)),
    ])
}

/// `BackwardStep[]`, in the order the backward pass ran.
pub fn backward_steps_js(steps: &[BackwardStep]) -> JsValue {
    plain_array(steps.iter().map(|s| {
        plain_object(&[
            ("to", JsValue::from_f64(s.to as f64)),
            ("from", JsValue::from_f64(s.from as f64)),
            ("upstream", JsValue::from_f64(s.upstream)),
            ("local", JsValue::from_f64(s.local)),
            ("contribution", JsValue::from_f64(s.contribution)),
            ("total", JsValue::from_f64(s.total)),
        ])
    }))
}

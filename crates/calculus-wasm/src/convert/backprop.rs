//! Backprop: a graph after one forward and one backward pass, as the JS `Backprop`.

use calculus::Graph;
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

//! Backprop: a graph after one forward and one backward pass, as the JS `Backprop`.

use calculus::Graph;
use serde::{Serialize, Serializer};
use wasm_bindgen::{JsError, JsValue};

use super::to_js;
use super::variables::VariablesOut;

#[derive(Serialize)]
struct BackpropOut<'a> {
    value: f64,
    gradients: VariablesOut<'a>,
    nodes: Vec<NodeOut<'a>>,
}

#[derive(Serialize)]
struct NodeOut<'a> {
    id: u32,
    op: &'static str,
    label: String,
    inputs: Inputs<'a>,
    value: f64,
    grad: f64,
}

/// Node indices as an array of numbers (`u32`, which always fits a JS number).
struct Inputs<'a>(&'a [usize]);

impl Serialize for Inputs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|&i| i as u32))
    }
}

/// The JS `Backprop` of a graph after a forward and a backward pass: `value`, `gradients`
/// (`grads[k]` for `graph.variables()[k]`), and every node in topological order.
pub fn backprop_js(graph: &Graph, value: f64, grads: &[f64]) -> Result<JsValue, JsError> {
    let gradients: Vec<(String, f64)> = graph
        .variables()
        .iter()
        .cloned()
        .zip(grads.iter().copied())
        .collect();
    let nodes = graph
        .nodes()
        .iter()
        .enumerate()
        .map(|(id, node)| NodeOut {
            id: id as u32,
            op: node.op.name(),
            label: graph.label(id),
            inputs: Inputs(node.args()),
            value: node.value,
            grad: node.grad,
        })
        .collect();
    to_js(&BackpropOut {
        value,
        gradients: VariablesOut(&gradients),
        nodes,
    })
}

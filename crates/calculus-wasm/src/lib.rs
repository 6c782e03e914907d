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

#[cfg(target_arch = "wasm32")]
mod allocator;
#[cfg(feature = "api")]
mod api;
pub mod book;
pub mod chart;
mod convert;
pub mod format;
#[cfg(feature = "network")]
mod network;

use calculus::Expr;
use wasm_bindgen::prelude::*;

use convert::{finite, js_error};

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

/**
 * Where a chart's plotting area sat at its last redraw (a chart's `frame` getter; undefined
 * before the first draw). A chart point (u, v) is at CSS pixel
 * `left + (u − x[0]) / (x[1] − x[0]) · (right − left)`,
 * `bottom − (v′ − y[0]) / (y[1] − y[0]) · (bottom − top)` of the canvas, where v′ is v, or
 * log10 v when `logY`.
 */
export interface Frame {
  /** Visible x range. */
  x: [number, number];
  /** Visible y range, in axis units (log10 of the value when `logY`). */
  y: [number, number];
  logY: boolean;
  /** The plotting area, in CSS pixels from the canvas's top-left corner. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface Backprop {
  value: number;
  gradients: Variables;
  /** In topological order; the output is last. A subexpression written twice is one node. */
  nodes: GraphNode[];
}

/** One edge of the backward pass: node `from` passes `upstream × local = contribution` to its
 *  input `to`, whose gradient so far becomes `total`. Ids are `Backprop`'s node ids. */
export interface BackwardStep {
  to: number;
  from: number;
  upstream: number;
  local: number;
  contribution: number;
  total: number;
}
"#;

pub(crate) fn parse(expr: &str) -> Result<Expr, JsError> {
    calculus::parse(expr).map_err(js_error)
}

/// `expr` with the variable `name` held at `value`, as text: a slice of a surface
/// (`substitute("w^2 + b^2", "b", 5)` is `"w^2 + 5^2"`).
#[wasm_bindgen]
pub fn substitute(expr: &str, name: &str, value: f64) -> Result<String, JsError> {
    let value = finite(Some(value), name)?;
    Ok(parse(expr)?.substitute(name, value).to_string())
}

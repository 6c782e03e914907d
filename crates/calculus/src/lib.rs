//! The mathematics of the Handbook of Calculus for Machine Learning.
//!
//! Readers type formulas; [`parse`] turns them into an [`Expr`]. Every number the book
//! shows — values, slopes, gradients, descent paths — comes from one computational graph,
//! [`Graph`], differentiated in reverse mode exactly as backpropagation does it.
//! [`differentiate`] writes the derivative as a formula, only so it can be displayed, and
//! [`numerical_gradient`] reproduces `numpy.gradient` to compare against.
//!
//! ```
//! use calculus::{derivative, differentiate, parse};
//!
//! let f = parse("x^3 - 3x")?;
//! assert_eq!(derivative(&f, 2.0)?, 9.0);
//! assert_eq!(differentiate(&f, "x").to_string(), "3*x^2 - 3");
//! # Ok::<(), calculus::Error>(())
//! ```
//!
//! Nothing here panics on any input: malformed text, missing variables and bad options
//! are [`Error`]s, and the parser bounds the depth of every tree it builds.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod backprop;
mod batch;
pub mod chain;
pub mod clip;
pub mod contour;
pub mod dataset;
mod decimal;
pub mod derivative;
pub mod descent;
pub mod differentiate;
pub mod digits;
mod elementary;
pub mod error;
pub mod expr;
pub mod gradient;
mod lanes;
pub mod nn;
pub mod numerical;
pub mod optim;
pub mod parse;
pub mod python;
pub mod random;
pub mod speech;
pub mod surface;
pub mod sweep;
pub mod view;

pub use backprop::{BackwardStep, Graph, Node, Op};
pub use contour::{contour_lines, levels, nice_levels};
pub use derivative::{derivative, derivatives, flat_points, FlatKind, FlatPoint, Function1};
pub use descent::{
    critical_rate, descend, Descender, Descent, DescentOptions, Optimizer, SweepPoint,
};
pub use differentiate::{differentiate, simplify};
pub use error::Error;
pub use expr::{Expr, Func, Func2};
pub use gradient::{evaluate, gradient, hessian};
pub use numerical::{linspace, numerical_gradient};
pub use parse::parse;
pub use surface::{Function2, Grid};

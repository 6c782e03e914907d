//! A descent run on a contour map: the engine's [`Descender`] compiled once for the map's
//! function, and its path mapped to the map's axes (u across, v up). The descent map, the
//! learning-rate sweep, the optimizer race and chapter 6's cliff (clipped or not) all run through it.
//!
//! ```ignore
//! let (map, mut runner) = landscape("w^2 + b^2", None)?;
//! let path = runner.run((8.0, 9.0), 0.1, 30, Optimizer::Gd)?;
//! ```

use calculus::descent::{Descender, Optimizer};
use wasm_bindgen::prelude::*;

use super::contour_map::ContourMap;
use crate::convert::js_error;

/// A path in the map's coordinates (u across, v up), with f and ∇f at every point.
#[derive(Default, Clone)]
pub struct Path {
    pub points: Vec<(f64, f64)>,
    pub loss: Vec<f64>,
    pub gradient: Vec<(f64, f64)>,
    pub diverged: bool,
    /// ‖p_{k+1} − p_k‖ for every step (the engine's `Descent::step_lengths`).
    pub step_lengths: Vec<f64>,
}

/// One step of a path: the point, f there and ∇f there.
pub type Step = ((f64, f64), f64, (f64, f64));

impl Path {
    /// The step at which the run diverged: the first point not in the path.
    pub fn diverged_at(&self) -> Option<usize> {
        self.diverged.then_some(self.points.len())
    }

    /// Step `k`: its point, f and ∇f there (None past the end).
    pub fn step(&self, k: usize) -> Option<Step> {
        Some((
            *self.points.get(k)?,
            *self.loss.get(k)?,
            *self.gradient.get(k)?,
        ))
    }
}

/// The map's function compiled for descent, and which axis each of its variables is on.
pub struct Runner {
    pub descender: Descender,
    /// For each variable, in the descender's (sorted) order: 0 for u, 1 for v.
    pub axis_of: Vec<usize>,
}

impl Runner {
    pub fn new(map: &ContourMap) -> Result<Runner, JsError> {
        let expr = calculus::parse(&map.source).map_err(js_error)?;
        let descender = Descender::new(&expr);
        let (u, _) = map.names();
        let axis_of = descender
            .variables()
            .iter()
            .map(|name| usize::from(*name != u))
            .collect();
        Ok(Runner { descender, axis_of })
    }

    pub fn inputs(&self, (u, v): (f64, f64)) -> Vec<f64> {
        self.axis_of
            .iter()
            .map(|&axis| if axis == 0 { u } else { v })
            .collect()
    }

    /// A point of the engine's (sorted) variables on the map; an axis f ignores keeps `rest`.
    pub fn on_map(&self, p: &[f64], rest: (f64, f64)) -> (f64, f64) {
        let mut q = rest;
        for (&x, &axis) in p.iter().zip(&self.axis_of) {
            if axis == 0 {
                q.0 = x;
            } else {
                q.1 = x;
            }
        }
        q
    }

    pub fn run(
        &mut self,
        start: (f64, f64),
        learning_rate: f64,
        iterations: usize,
        optimizer: Optimizer,
    ) -> Result<Path, JsError> {
        self.run_clipped(start, learning_rate, iterations, (optimizer, None))
    }

    /// [`run`](Self::run) with each gradient clipped to norm `clip` first (chapter 6).
    pub fn run_clipped(
        &mut self,
        start: (f64, f64),
        learning_rate: f64,
        iterations: usize,
        (optimizer, clip): (Optimizer, Option<f64>),
    ) -> Result<Path, JsError> {
        let inputs = self.inputs(start);
        let run = self
            .descender
            .run_clipped(&inputs, learning_rate, iterations, optimizer, clip)
            .map_err(js_error)?;
        Ok(Path {
            step_lengths: run.step_lengths(),
            points: run.path.iter().map(|p| self.on_map(p, start)).collect(),
            gradient: run
                .gradients
                .iter()
                .map(|g| self.on_map(g, (0.0, 0.0)))
                .collect(),
            loss: run.loss,
            diverged: run.diverged,
        })
    }
}

/// `source` as a map (on `like`'s range, when given) and compiled for descent: what a chart
/// swaps in whole when the reader types a function, keeping its own on error.
pub fn landscape(source: &str, like: Option<&ContourMap>) -> Result<(ContourMap, Runner), JsError> {
    let mut map = ContourMap::new(source)?;
    if let Some(old) = like {
        map.set_range(old.u.0, old.u.1, old.v.0, old.v.1)?;
    }
    let runner = Runner::new(&map)?;
    Ok((map, runner))
}

pub fn checked_iterations(iterations: u32) -> Result<usize, JsError> {
    if (1..=100_000).contains(&iterations) {
        Ok(iterations as usize)
    } else {
        Err(JsError::new("iterations must be between 1 and 100000"))
    }
}

/// `(0.0099, 0.0111)`: a point as the steps table and the prose quote it.
pub fn point_text(p: (f64, f64)) -> String {
    crate::format::point(p, crate::format::Style::Value)
}

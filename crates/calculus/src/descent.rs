//! Gradient descent on a typed formula with the update rules of PyTorch's `SGD` (plain and
//! with momentum), `RMSprop` and `Adam`, so the book's paths match what readers will see in
//! PyTorch. The rules themselves live in [`crate::optim`]; this module adds the function, its
//! gradient from the graph, and the test for divergence.
//!
//! ```
//! use calculus::{descend, parse, DescentOptions, Optimizer};
//!
//! // On w² each step multiplies w by 1 − 2·lr = 0.8.
//! let run = descend(&parse("w^2")?, &DescentOptions {
//!     start: vec![("w".into(), 10.0)],
//!     learning_rate: 0.1,
//!     iterations: 2,
//!     optimizer: Optimizer::Gd,
//! })?;
//! assert_eq!(run.path, [[10.0], [8.0], [6.4]]);
//! assert_eq!(run.loss, [100.0, 64.0, 6.4 * 6.4]);
//! # Ok::<(), calculus::Error>(())
//! ```

use crate::backprop::Graph;
use crate::error::{check, Error};
use crate::expr::Expr;
pub use crate::optim::Optimizer;
use crate::optim::{clip_grad_norm, Stepper};

/// The most iterations one run may take.
pub const MAX_ITERATIONS: usize = 100_000;

/// Where to start, how big a step, how many, and which rule.
#[derive(Debug, Clone, PartialEq)]
pub struct DescentOptions {
    /// A value for every variable (by name; extra names are ignored).
    pub start: Vec<(String, f64)>,
    pub learning_rate: f64,
    pub iterations: usize,
    pub optimizer: Optimizer,
}

/// A run has diverged once its loss exceeds this many times max(1, |f(start)|): on w² + b²
/// a rate above 1 multiplies the loss by (1 − 2·lr)² > 1 every step, but at 1.05 it would
/// take thousands of steps to overflow, while the reader needs to hear at once that the
/// run is running away.
pub const DIVERGENCE_FACTOR: f64 = 1e6;

/// The path descent took.
#[derive(Debug, Clone, PartialEq)]
pub struct Descent {
    /// The variables, sorted; every point of `path` lists their values in this order.
    pub variables: Vec<String>,
    /// The start, then one point per iteration.
    pub path: Vec<Vec<f64>>,
    /// f at each point of `path`.
    pub loss: Vec<f64>,
    /// ∇f at each point of `path`, in the order of `variables`.
    pub gradients: Vec<Vec<f64>>,
    /// The run stopped early: the next point, at step `path.len()`, or its loss was not
    /// finite, or the loss passed [`DIVERGENCE_FACTOR`] × max(1, |f(start)|) (that point is
    /// not in `path`).
    pub diverged: bool,
}

impl Descent {
    /// The length of every step, ‖p_{k+1} − p_k‖, first step first.
    pub fn step_lengths(&self) -> Vec<f64> {
        self.path
            .windows(2)
            .map(|pair| {
                let squares = pair[0].iter().zip(&pair[1]).map(|(a, b)| (b - a) * (b - a));
                squares.sum::<f64>().sqrt()
            })
            .collect()
    }

    /// The longest step the run took (0 for a run of no steps): on a cliff, the one that
    /// threw it.
    pub fn longest_step(&self) -> f64 {
        self.step_lengths().into_iter().fold(0.0, f64::max)
    }
}

/// Where a run of [`Descender::sweep`] ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepPoint {
    pub learning_rate: f64,
    /// f at the last point reached.
    pub loss: f64,
    /// The step at which the run diverged, if it did.
    pub diverged_at: Option<usize>,
}

/// Runs `options.iterations` steps of the chosen optimizer on `expr`.
pub fn descend(expr: &Expr, options: &DescentOptions) -> Result<Descent, Error> {
    let mut descender = Descender::new(expr);
    let start = descender.start_from(&options.start)?;
    descender.run(
        &start,
        options.learning_rate,
        options.iterations,
        options.optimizer,
    )
}

/// A function compiled once for many runs of descent (a sweep of learning rates, a race of
/// optimizers, every redraw of a path the reader drags).
#[derive(Debug, Clone)]
pub struct Descender {
    graph: Graph,
}

impl Descender {
    pub fn new(expr: &Expr) -> Descender {
        Descender {
            graph: Graph::compile(expr),
        }
    }

    /// The variables, sorted: the order of every point.
    pub fn variables(&self) -> &[String] {
        self.graph.variables()
    }

    /// f at `point`, in the order of [`variables`](Self::variables); NaN for a point of the
    /// wrong length.
    pub(crate) fn value(&mut self, point: &[f64]) -> f64 {
        self.graph.forward(point)
    }

    /// The start point in the order of [`variables`](Self::variables), looked up by name.
    pub(crate) fn start_from(&self, start: &[(String, f64)]) -> Result<Vec<f64>, Error> {
        let named: Vec<(&str, f64)> = start.iter().map(|(n, v)| (n.as_str(), *v)).collect();
        crate::gradient::values_at(&self.graph, &named)
    }

    /// The whole path from `start`, with the loss and gradient at every point.
    pub fn run(
        &mut self,
        start: &[f64],
        learning_rate: f64,
        iterations: usize,
        optimizer: Optimizer,
    ) -> Result<Descent, Error> {
        self.run_clipped(start, learning_rate, iterations, optimizer, None)
    }

    /// [`run`](Self::run) with the gradient clipped before every step, as
    /// `torch.nn.utils.clip_grad_norm_(params, clip)` between `backward()` and `step()`:
    /// scaled by clip/(‖∇f‖ + 1e-6) when that is below 1 ([`clip_grad_norm`]). A plain
    /// gradient step is then never longer than `learning_rate × clip`. The path's gradients
    /// are ∇f itself, before clipping. `None` never clips.
    pub fn run_clipped(
        &mut self,
        start: &[f64],
        learning_rate: f64,
        iterations: usize,
        optimizer: Optimizer,
        clip: Option<f64>,
    ) -> Result<Descent, Error> {
        if let Some(clip) = clip {
            check(
                "clip",
                clip.is_finite() && clip > 0.0,
                "a positive finite number",
            )?;
        }
        // `steps` refuses more than MAX_ITERATIONS; the buffers must not be sized before that.
        let capacity = iterations.min(MAX_ITERATIONS) + 1;
        let mut run = Descent {
            variables: self.variables().to_vec(),
            path: Vec::with_capacity(capacity),
            loss: Vec::with_capacity(capacity),
            gradients: Vec::with_capacity(capacity),
            diverged: false,
        };
        run.diverged = self
            .steps(
                start,
                learning_rate,
                iterations,
                (optimizer, clip),
                |p, f, g| {
                    run.path.push(p.to_vec());
                    run.loss.push(f);
                    run.gradients.push(g.to_vec());
                },
            )?
            .is_some();
        Ok(run)
    }

    /// Where `iterations` steps from `start` end, for each learning rate: one point of the
    /// chart of final loss against learning rate.
    pub fn sweep(
        &mut self,
        start: &[f64],
        learning_rates: &[f64],
        iterations: usize,
        optimizer: Optimizer,
    ) -> Result<Vec<SweepPoint>, Error> {
        learning_rates
            .iter()
            .map(|&learning_rate| {
                let mut loss = f64::NAN;
                let diverged_at = self.steps(
                    start,
                    learning_rate,
                    iterations,
                    (optimizer, None),
                    |_, f, _| loss = f,
                )?;
                Ok(SweepPoint {
                    learning_rate,
                    loss,
                    diverged_at,
                })
            })
            .collect()
    }

    /// The optimizer's loop, clipping each gradient to `clip` first when there is one.
    /// `visit` sees the start and then every point reached, with its loss and (unclipped)
    /// gradient; the result is the step at which the run diverged, if it did.
    fn steps(
        &mut self,
        start: &[f64],
        lr: f64,
        iterations: usize,
        (optimizer, clip): (Optimizer, Option<f64>),
        mut visit: impl FnMut(&[f64], f64, &[f64]),
    ) -> Result<Option<usize>, Error> {
        check(
            "learning rate",
            lr.is_finite() && lr > 0.0,
            "a positive finite number",
        )?;
        check("iterations", iterations <= MAX_ITERATIONS, "at most 100000")?;
        let n = self.variables().len();
        let mut stepper = Stepper::new(optimizer, n)?;
        check(
            "the start point",
            start.len() == n && start.iter().all(|v| v.is_finite()),
            "finite in every coordinate",
        )?;

        let mut p = start.to_vec();
        let mut g = vec![0.0; n];
        let f0 = self.graph.value_and_gradient(&p, &mut g);
        if !f0.is_finite() {
            return Err(Error::NotFiniteAtStart { value: f0 });
        }
        visit(&p, f0, &g);
        let bound = DIVERGENCE_FACTOR * f0.abs().max(1.0);

        for t in 1..=iterations {
            if let Some(clip) = clip {
                clip_grad_norm(&mut g, clip);
            }
            stepper.step(&mut p, &g, lr);
            let f = self.graph.value_and_gradient(&p, &mut g);
            if !(f.is_finite() && f.abs() <= bound && p.iter().all(|v| v.is_finite())) {
                return Ok(Some(t));
            }
            visit(&p, f, &g);
        }
        Ok(None)
    }
}

/// The largest rate at which plain gradient descent still settles into a minimum where f
/// curves by at most L in every direction: 2/L, with L the largest eigenvalue of the
/// Hessian there (for w² + b², L = 2 and the rate is 1). `None` where f does not curve
/// upwards (L ≤ 0), or for more than two variables.
pub fn critical_rate(expr: &Expr, point: &[(&str, f64)]) -> Result<Option<f64>, Error> {
    Ok(rate_for_curvature(&crate::gradient::hessian(expr, point)?))
}

impl Descender {
    /// [`critical_rate`] at `point`, given in the order of [`variables`](Self::variables).
    pub fn critical_rate(&self, point: &[f64]) -> Option<f64> {
        rate_for_curvature(&self.graph.hessian(point))
    }
}

/// 2/L for the Hessian of one or two variables, L its largest eigenvalue, when L > 0.
fn rate_for_curvature(hessian: &[Vec<f64>]) -> Option<f64> {
    let entry = |i: usize, j: usize| hessian.get(i).and_then(|row| row.get(j)).copied();
    let largest = match (hessian.len(), entry(0, 0), entry(0, 1), entry(1, 1)) {
        (1, Some(a), _, _) => a,
        // The larger root of λ² − (a + c)λ + (ac − b²).
        (2, Some(a), Some(b), Some(c)) => (a + c) / 2.0 + ((a - c) / 2.0).hypot(b),
        _ => return None,
    };
    (largest > 0.0 && largest.is_finite()).then(|| 2.0 / largest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn options(
        start: &[(&str, f64)],
        learning_rate: f64,
        iterations: usize,
        optimizer: Optimizer,
    ) -> DescentOptions {
        DescentOptions {
            start: start.iter().map(|&(n, v)| (n.to_string(), v)).collect(),
            learning_rate,
            iterations,
            optimizer,
        }
    }

    #[test]
    fn invalid_options_are_refused_with_a_reason() {
        let f = parse("x^2").unwrap();
        let cases = [
            (
                options(&[("x", 1.0)], 0.0, 10, Optimizer::Gd),
                "learning rate must be a positive finite number",
            ),
            (
                options(&[("x", 1.0)], f64::NAN, 10, Optimizer::Gd),
                "learning rate must be a positive finite number",
            ),
            (
                options(&[("x", 1.0)], 0.1, 100_001, Optimizer::Gd),
                "iterations must be at most 100000",
            ),
            (
                options(
                    &[("x", 1.0)],
                    0.1,
                    10,
                    Optimizer::Momentum { momentum: 1.0 },
                ),
                "momentum must be in [0, 1)",
            ),
            (
                options(
                    &[("x", 1.0)],
                    0.1,
                    10,
                    Optimizer::RmsProp {
                        alpha: -0.1,
                        epsilon: 1e-8,
                    },
                ),
                "alpha must be in [0, 1)",
            ),
            (
                options(
                    &[("x", 1.0)],
                    0.1,
                    10,
                    Optimizer::Adam {
                        beta1: 0.9,
                        beta2: 0.999,
                        epsilon: 0.0,
                    },
                ),
                "epsilon must be a positive finite number",
            ),
            (
                options(&[("y", 1.0)], 0.1, 10, Optimizer::Gd),
                "no value for variable 'x'",
            ),
            (
                options(&[("x", f64::INFINITY)], 0.1, 10, Optimizer::Gd),
                "the start point must be finite in every coordinate",
            ),
        ];
        for (options, message) in cases {
            assert_eq!(descend(&f, &options).unwrap_err().to_string(), message);
        }
        let err = descend(
            &parse("ln(x)").unwrap(),
            &options(&[("x", -1.0)], 0.1, 10, Optimizer::Gd),
        )
        .unwrap_err();
        assert!(matches!(err, Error::NotFiniteAtStart { .. }));
    }

    #[test]
    fn zero_iterations_is_just_the_start() {
        let run = descend(
            &parse("x^2").unwrap(),
            &options(&[("x", 3.0)], 0.1, 0, Optimizer::adam()),
        )
        .unwrap();
        assert_eq!(
            (run.path, run.loss, run.diverged),
            (vec![vec![3.0]], vec![9.0], false)
        );
    }
}

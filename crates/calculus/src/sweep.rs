//! The learning-rate sweep of chapter 4: plain gradient descent from one start at
//! [`POINTS`] rates spaced evenly in log from 0.001 to 2, the loss each run ends at, which
//! rates are too small, good, too large or diverge, and the critical rate 2/L.
//!
//! ```
//! use calculus::sweep::{Region, Sweep, POINTS};
//! use calculus::{parse, Descender};
//!
//! // w² + b² from (w, b) = (8, 9): each step multiplies the loss by (1 − 2η)², so rates near
//! // 0.5 end at the minimum, and every rate above 2/L = 1 ends above where it began.
//! let mut descender = Descender::new(&parse("w^2 + b^2")?);
//! let sweep = Sweep::run(&mut descender, &[9.0, 8.0], 100)?;
//! assert_eq!(sweep.points.len(), POINTS);
//! assert_eq!(sweep.critical_rate, Some(1.0));
//! let region_at = |rate: f64| {
//!     let i = sweep.points.iter().position(|p| p.learning_rate >= rate).unwrap();
//!     sweep.regions[i]
//! };
//! assert_eq!(region_at(0.001), Region::TooSmall);
//! assert_eq!(region_at(0.5), Region::Good);
//! assert_eq!(region_at(1.01), Region::Diverges);
//! # Ok::<(), calculus::Error>(())
//! ```

use crate::descent::{Descender, SweepPoint};
use crate::error::Error;
use crate::optim::Optimizer;
use crate::view::LossScale;

/// The range of rates swept, as in the lab's slider: 0.001 to 2.
pub const RATES: (f64, f64) = (1e-3, 2.0);

/// How many rates a sweep runs (the bench times 200 runs of 100 steps).
pub const POINTS: usize = 200;

/// [`POINTS`] rates from `RATES.0` to `RATES.1`, evenly spaced in log10.
pub fn rates() -> Vec<f64> {
    let (lo, hi) = (RATES.0.log10(), RATES.1.log10());
    (0..POINTS)
        .map(|i| 10f64.powf(lo + (hi - lo) * i as f64 / (POINTS - 1) as f64))
        .collect()
}

/// Where a rate of the sweep falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// Below the best rate, and ended less than halfway down from the start to the best.
    TooSmall,
    /// Ended at least halfway down (on the loss axis) from the start's loss to the best's.
    Good,
    /// Above the best rate, ended less than halfway down but no higher than it began.
    TooLarge,
    /// Diverged, or (above the best rate) ended higher than it began.
    Diverges,
}

/// Everything the sweep's chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    /// Steps each run takes.
    pub steps: usize,
    /// f at the start.
    pub start_loss: f64,
    /// One run per rate of [`rates`], in increasing rate.
    pub points: Vec<SweepPoint>,
    /// The loss axis: log10 unless a loss is negative, over the final losses and the start's.
    pub scale: LossScale,
    /// The region of each point, judged on `scale` (so "halfway" is halfway in decades on a
    /// log axis).
    pub regions: Vec<Region>,
    /// Where the run with the lowest final loss ended, in the descender's variable order.
    pub best_end: Option<Vec<f64>>,
    /// 2/L at `best_end` ([`Descender::critical_rate`]); `None` where f does not curve
    /// upwards there, or no run settled.
    pub critical_rate: Option<f64>,
}

impl Sweep {
    /// Runs `steps` steps of plain gradient descent from `start` (in the order of
    /// `descender.variables()`) at each of the [`rates`], then finds the critical rate where
    /// the best run ended. The checks of [`Descender::run`] apply: a start that is not
    /// finite, or where f is not, is an error, and so are more than 100,000 steps.
    pub fn run(descender: &mut Descender, start: &[f64], steps: usize) -> Result<Sweep, Error> {
        let points = descender.sweep(start, &rates(), steps, Optimizer::Gd)?;
        let start_loss = descender.value(start);
        let finals: Vec<f64> = points
            .iter()
            .filter(|p| p.diverged_at.is_none())
            .map(|p| p.loss)
            .chain([start_loss])
            .collect();
        let scale = LossScale::for_losses(&finals);
        let values = scaled(&points, &scale);
        let regions = regions(&values, scale.at(start_loss));
        let best = points
            .iter()
            .filter(|p| p.diverged_at.is_none() && p.loss.is_finite())
            .min_by(|a, b| a.loss.total_cmp(&b.loss))
            .copied();
        let mut sweep = Sweep {
            steps,
            start_loss,
            points,
            scale,
            regions,
            best_end: None,
            critical_rate: None,
        };
        if let Some(best) = best {
            // Run again rather than keep every run's end: one path costs less than 200 ends.
            let run = descender.run(start, best.learning_rate, steps, Optimizer::Gd)?;
            if let Some(end) = run.path.last() {
                sweep.critical_rate = descender.critical_rate(end);
                sweep.best_end = Some(end.clone());
            }
        }
        Ok(sweep)
    }

    /// Each run's final loss, `None` where it diverged.
    pub fn final_losses(&self) -> Vec<Option<f64>> {
        self.points
            .iter()
            .map(|p| p.diverged_at.is_none().then_some(p.loss))
            .collect()
    }

    /// Each run's final loss on the loss axis ([`Sweep::scale`]), `None` where it diverged.
    pub fn scaled_losses(&self) -> Vec<Option<f64>> {
        scaled(&self.points, &self.scale)
    }

    /// The start's loss on the loss axis.
    pub fn scaled_start(&self) -> f64 {
        self.scale.at(self.start_loss)
    }
}

fn scaled(points: &[SweepPoint], scale: &LossScale) -> Vec<Option<f64>> {
    points
        .iter()
        .map(|p| p.diverged_at.is_none().then(|| scale.at(p.loss)))
        .collect()
}

/// Sorts each rate: good where the final loss fell at least halfway (in the axis's units)
/// from the start's to the best's; too small or too large on either side of the best;
/// diverges where the run blew up (`None`) or, above the best rate, ended above where it
/// began. With no run left, every rate diverges.
fn regions(values: &[Option<f64>], start: f64) -> Vec<Region> {
    let best_index = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i);
    let Some(best_index) = best_index else {
        return vec![Region::Diverges; values.len()];
    };
    let best = values.get(best_index).copied().flatten().unwrap_or(start);
    let good = best + 0.5 * (start - best);
    values
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            None => Region::Diverges,
            Some(v) if *v > start && i > best_index => Region::Diverges,
            Some(v) if *v <= good => Region::Good,
            _ if i < best_index => Region::TooSmall,
            _ => Region::TooLarge,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Region::*;

    #[test]
    fn regions_worked_by_hand() {
        // Start 10, best 0 (index 2): good is ≤ 5. Index 0 (8) and 1 (6) lie before the best:
        // too small; 3 (4) is good; 4 (7) too large; 5 (12 > 10, after the best) diverges, and
        // so does 6, which has no final loss.
        let values = [
            Some(8.0),
            Some(6.0),
            Some(0.0),
            Some(4.0),
            Some(7.0),
            Some(12.0),
            None,
        ];
        assert_eq!(
            regions(&values, 10.0),
            [TooSmall, TooSmall, Good, Good, TooLarge, Diverges, Diverges]
        );
        // Above the start but before the best is too small, not diverging.
        assert_eq!(regions(&[Some(11.0), Some(0.0)], 10.0), [TooSmall, Good]);
    }

    #[test]
    fn nothing_settled_means_everything_diverges() {
        assert_eq!(regions(&[None, None], 1.0), [Diverges, Diverges]);
        assert!(regions(&[], 1.0).is_empty());
    }

    #[test]
    fn ties_go_to_the_smallest_rate() {
        // Two runs end at the same best value: the first is the best, so the point between
        // them counts as after it.
        assert_eq!(
            regions(&[Some(0.0), Some(20.0), Some(0.0)], 10.0),
            [Good, Diverges, Good]
        );
    }
}

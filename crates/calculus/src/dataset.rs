//! The toy datasets networks learn in the book: TensorFlow Playground's four classification
//! sets and scikit-learn's two moons, each a set of 2-D points with a class label 0 or 1.
//!
//! The definitions are the originals' (Playground's `dataset.ts`, sklearn's `make_moons`),
//! with Playground's label −1 written 0, so that the same labels serve the bce loss. The
//! random numbers come from the book's seeded generator ([`crate::random::Rng`]), so a seed
//! always gives the same points, though not the originals' (they use Math.random and
//! numpy's generator). As both originals do, the rows are shuffled at the end. Then
//! [`split`] cuts a set into the rows a network trains on and the rows it is tested on, and
//! [`grid`] gives the points its predictions are drawn at.
//!
//! ```
//! use calculus::dataset::{generate, Dataset};
//!
//! let xor = generate(Dataset::Xor, 100, 0.0, 1)?;
//! assert_eq!((xor.inputs.len(), xor.labels.len()), (200, 100));
//! // Without noise, every point's label is its quadrant's: 1 where x·y ≥ 0.
//! for (p, &label) in xor.inputs.chunks(2).zip(&xor.labels) {
//!     assert_eq!(label, if p[0] * p[1] >= 0.0 { 1.0 } else { 0.0 });
//! }
//! # Ok::<(), calculus::Error>(())
//! ```

use std::f64::consts::{PI, TAU};

use crate::error::{check, lookup, Error};
use crate::numerical::linspace;
use crate::random::Rng;

/// The most points a dataset may have.
pub const MAX_COUNT: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    /// Class 1 inside radius 2.5, class 0 in the ring from 3.5 to 5. Noise moves the point
    /// that decides the label, not the point shown: near the edge, labels flip.
    Circle,
    /// x and y uniform on [−5, 5], pushed 0.3 away from the axes; class 1 where x·y ≥ 0.
    /// Noise acts as the circle's.
    Xor,
    /// Two Gaussian clouds at (2, 2), class 1, and (−2, −2), class 0, of variance
    /// 0.5 + 7·noise in each coordinate (Playground maps noise 0…0.5 to 0.5…4).
    Gauss,
    /// Two arms r = 5i/n, θ = 1.75·2π·i/n (+π for class 0), each coordinate moved by
    /// noise·U(−1, 1).
    Spiral,
    /// sklearn's make_moons: the upper half of the unit circle (class 0) and the lower half
    /// of one centred at (1, 0.5) (class 1), plus N(0, noise²) in each coordinate.
    Moons,
}

impl Dataset {
    pub const ALL: [Dataset; 5] = [
        Dataset::Circle,
        Dataset::Xor,
        Dataset::Gauss,
        Dataset::Spiral,
        Dataset::Moons,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dataset::Circle => "circle",
            Dataset::Xor => "xor",
            Dataset::Gauss => "gauss",
            Dataset::Spiral => "spiral",
            Dataset::Moons => "moons",
        }
    }

    pub fn named(name: &str) -> Result<Dataset, Error> {
        lookup(
            &Dataset::ALL,
            Dataset::name,
            name,
            "dataset",
            "circle, xor, gauss, spiral or moons",
        )
    }
}

/// Points as a row-major n × 2 matrix, and one label (0 or 1) per point.
#[derive(Debug, Clone, PartialEq)]
pub struct Samples {
    pub inputs: Vec<f64>,
    pub labels: Vec<f64>,
}

impl Samples {
    fn with_capacity(count: usize) -> Samples {
        Samples {
            inputs: Vec::with_capacity(2 * count),
            labels: Vec::with_capacity(count),
        }
    }

    fn push(&mut self, x: f64, y: f64, label: bool) {
        self.inputs.extend([x, y]);
        self.labels.push(if label { 1.0 } else { 0.0 });
    }
}

/// `count` points of `dataset` (half of each class, the odd one to the second), with the
/// given noise, from the generator seeded with `seed`.
pub fn generate(dataset: Dataset, count: usize, noise: f64, seed: u64) -> Result<Samples, Error> {
    check(
        "count",
        (1..=MAX_COUNT).contains(&count),
        "a whole number from 1 to 100000",
    )?;
    check(
        "noise",
        noise.is_finite() && noise >= 0.0,
        "a finite number ≥ 0",
    )?;
    let mut rng = Rng::new(seed);
    let first = count / 2;
    let halves = [(first, true), (count - first, false)];
    let mut samples = Samples::with_capacity(count);
    match dataset {
        Dataset::Circle => {
            let radius = 5.0;
            for (n, inside) in halves {
                let (r0, r1) = if inside {
                    (0.0, 0.5 * radius)
                } else {
                    (0.7 * radius, radius)
                };
                for _ in 0..n {
                    let r = rng.between(r0, r1);
                    let angle = rng.between(0.0, TAU);
                    let (x, y) = (r * angle.sin(), r * angle.cos());
                    let nx = rng.between(-radius, radius) * noise;
                    let ny = rng.between(-radius, radius) * noise;
                    samples.push(x, y, (x + nx).hypot(y + ny) < 0.5 * radius);
                }
            }
        }
        Dataset::Xor => {
            let padded = |v: f64| if v > 0.0 { v + 0.3 } else { v - 0.3 };
            for _ in 0..count {
                let x = padded(rng.between(-5.0, 5.0));
                let y = padded(rng.between(-5.0, 5.0));
                let nx = rng.between(-5.0, 5.0) * noise;
                let ny = rng.between(-5.0, 5.0) * noise;
                samples.push(x, y, (x + nx) * (y + ny) >= 0.0);
            }
        }
        Dataset::Gauss => {
            let sd = (0.5 + 7.0 * noise).sqrt();
            for (n, positive) in halves {
                let centre = if positive { 2.0 } else { -2.0 };
                for _ in 0..n {
                    let x = centre + sd * rng.normal();
                    let y = centre + sd * rng.normal();
                    samples.push(x, y, positive);
                }
            }
        }
        Dataset::Spiral => {
            for (n, positive) in halves {
                let turn = if positive { 0.0 } else { PI };
                for i in 0..n {
                    let r = i as f64 / n as f64 * 5.0;
                    let t = 1.75 * i as f64 / n as f64 * TAU + turn;
                    let x = r * t.sin() + rng.between(-1.0, 1.0) * noise;
                    let y = r * t.cos() + rng.between(-1.0, 1.0) * noise;
                    samples.push(x, y, positive);
                }
            }
        }
        Dataset::Moons => {
            // sklearn: n_samples_out = n // 2 on the outer moon (class 0), the rest inner.
            let (outer, inner) = (count / 2, count - count / 2);
            for t in linspace(0.0, PI, outer) {
                samples.push(t.cos(), t.sin(), false);
            }
            for t in linspace(0.0, PI, inner) {
                samples.push(1.0 - t.cos(), 1.0 - t.sin() - 0.5, true);
            }
            for v in &mut samples.inputs {
                *v += noise * rng.normal();
            }
        }
    }
    let Samples { inputs, labels } = &mut samples;
    rng.shuffle_rows(inputs, 2, labels, 1);
    Ok(samples)
}

/// The points a network learns from and the points it is tested on (n × 2 inputs each).
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub train: Samples,
    pub test: Samples,
}

/// The first `train_fraction` of the rows to train on, the rest to test on. A dataset's rows
/// come shuffled ([`generate`]), so this is a random split, and the same one
/// for the same seed. Each side gets at least one row.
pub fn split(samples: &Samples, train_fraction: f64) -> Result<Split, Error> {
    let n = samples.labels.len();
    check(
        "train fraction",
        train_fraction > 0.0 && train_fraction < 1.0,
        "between 0 and 1 (exclusive)",
    )?;
    check(
        "dataset",
        n >= 2,
        "at least 2 points, to train on one and test on one",
    )?;
    let width = samples.inputs.len() / n;
    let k = ((n as f64 * train_fraction).round() as usize).clamp(1, n - 1);
    let part = |rows: std::ops::Range<usize>| Samples {
        inputs: samples.inputs[rows.start * width..rows.end * width].to_vec(),
        labels: samples.labels[rows].to_vec(),
    };
    Ok(Split {
        train: part(0..k),
        test: part(k..n),
    })
}

/// The centres of an n × n grid of cells over `[xmin, xmax, ymin, ymax]`, as a batch of
/// points (n² × 2, row-major), row by row from the top (y = ymax) as an image is stored.
pub fn grid([x0, x1, y0, y1]: [f64; 4], n: usize) -> Vec<f64> {
    let (dx, dy) = ((x1 - x0) / n as f64, (y1 - y0) / n as f64);
    let mut points = Vec::with_capacity(2 * n * n);
    for row in 0..n {
        let y = y1 - (row as f64 + 0.5) * dy;
        for col in 0..n {
            points.extend([x0 + (col as f64 + 0.5) * dx, y]);
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_split_keeps_every_row_once_and_both_sides_nonempty() {
        let samples = generate(Dataset::Xor, 11, 0.0, 3).unwrap();
        let s = split(&samples, 0.5).unwrap();
        assert_eq!((s.train.labels.len(), s.test.labels.len()), (6, 5));
        let mut rows = s.train.inputs.clone();
        rows.extend(&s.test.inputs);
        assert_eq!(rows, samples.inputs);
        let tiny = split(&samples, 0.01).unwrap();
        assert_eq!((tiny.train.labels.len(), tiny.test.labels.len()), (1, 10));
        assert!(split(&samples, 1.0).is_err());
        assert!(split(&samples, f64::NAN).is_err());
        let one = generate(Dataset::Xor, 1, 0.0, 3).unwrap();
        assert!(split(&one, 0.5).is_err());
    }

    #[test]
    fn the_grid_runs_along_rows_from_the_top() {
        let g = grid([0.0, 4.0, 0.0, 2.0], 2);
        assert_eq!(g, [1.0, 1.5, 3.0, 1.5, 1.0, 0.5, 3.0, 0.5]);
    }
}

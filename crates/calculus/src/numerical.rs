//! The numerical derivative of sampled data, exactly as `numpy.gradient(ys, xs)` computes it
//! (with the default `edge_order=1`).
//!
//! Interior points use a centred difference; when the spacing is not uniform numpy's
//! second-order weights for uneven neighbours are used instead. The two ends use one-sided
//! first-order differences, so they are off by about h·f''/2.
//!
//! ```
//! use calculus::numerical_gradient;
//!
//! // Samples of x² at x = 0, 1, 2, 3: interior slopes are exactly 2x, the ends are off by h = 1.
//! let slopes = numerical_gradient(&[0.0, 1.0, 4.0, 9.0], &[0.0, 1.0, 2.0, 3.0])?;
//! assert_eq!(slopes, [1.0, 2.0, 4.0, 5.0]);
//! # Ok::<(), calculus::Error>(())
//! ```
//!
//! [`compare`] runs the book's whole experiment — `linspace`, evaluate, `numpy.gradient`, the
//! exact derivative, the error — in one call:
//!
//! ```
//! use calculus::numerical::compare;
//! use calculus::{parse, Function1};
//!
//! let mut f = Function1::new(&parse("x^2")?)?;
//! let c = compare(&mut f, (0.0, 3.0), 4)?;
//! assert_eq!(c.numerical, [1.0, 2.0, 4.0, 5.0]);
//! assert_eq!(c.exact, [0.0, 2.0, 4.0, 6.0]);
//! assert_eq!(c.error, [1.0, 0.0, 0.0, 1.0]); // the ends are off by h = 1
//! # Ok::<(), calculus::Error>(())
//! ```

use crate::derivative::Function1;
use crate::error::Error;

/// `numpy.gradient(ys, xs)`: the slope of the samples (xs[i], ys[i]) at every sample.
pub fn numerical_gradient(ys: &[f64], xs: &[f64]) -> Result<Vec<f64>, Error> {
    if ys.len() != xs.len() {
        return Err(Error::LengthMismatch {
            ys: ys.len(),
            xs: xs.len(),
        });
    }
    if ys.len() < 2 {
        return Err(Error::TooFewPoints { got: ys.len() });
    }
    let dx: Vec<f64> = xs.windows(2).map(|w| w[1] - w[0]).collect();
    if let Some(i) = dx.iter().position(|&d| d == 0.0) {
        return Err(Error::RepeatedPoint {
            index: i + 1,
            x: xs.get(i).copied().unwrap_or(f64::NAN),
        });
    }
    let dy: Vec<f64> = ys.windows(2).map(|w| w[1] - w[0]).collect();
    // numpy calls the spacing uniform only if every difference is exactly equal.
    let uniform = dx.first().filter(|&&h| dx.iter().all(|&d| d == h)).copied();

    let mut out = Vec::with_capacity(ys.len());
    // One-sided difference at the left end.
    out.push(dy.first().copied().unwrap_or(f64::NAN) / dx.first().copied().unwrap_or(f64::NAN));
    for (y, dx) in ys.windows(3).zip(dx.windows(2)) {
        let (y0, y1, y2) = (y[0], y[1], y[2]);
        let slope = match uniform {
            Some(h) => (y2 - y0) / (2.0 * h),
            None => {
                let (dx1, dx2) = (dx[0], dx[1]);
                let a = -dx2 / (dx1 * (dx1 + dx2));
                let b = (dx2 - dx1) / (dx1 * dx2);
                let c = dx1 / (dx2 * (dx1 + dx2));
                a * y0 + b * y1 + c * y2
            }
        };
        out.push(slope);
    }
    // One-sided difference at the right end.
    out.push(dy.last().copied().unwrap_or(f64::NAN) / dx.last().copied().unwrap_or(f64::NAN));
    Ok(out)
}

/// `numpy.linspace(start, stop, num)`: `num` evenly spaced samples, both ends included.
///
/// Computed as numpy does (`i * step + start`, then the last sample set to `stop` exactly),
/// so the samples the book feeds to [`numerical_gradient`] are the ones numpy would use.
///
/// ```
/// let xs = calculus::numerical::linspace(-10.0, 10.0, 5);
/// assert_eq!(xs, vec![-10.0, -5.0, 0.0, 5.0, 10.0]);
/// ```
pub fn linspace(start: f64, stop: f64, num: usize) -> Vec<f64> {
    if num == 1 {
        return vec![start];
    }
    let step = (stop - start) / (num.saturating_sub(1)) as f64;
    let mut xs: Vec<f64> = (0..num).map(|i| i as f64 * step + start).collect();
    if let Some(last) = xs.last_mut() {
        *last = stop;
    }
    xs
}

/// A function sampled evenly, with its numerical derivative beside its exact one.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// `linspace(range.0, range.1, samples)`.
    pub xs: Vec<f64>,
    /// f at each sample.
    pub values: Vec<f64>,
    /// `numpy.gradient(values, xs)`.
    pub numerical: Vec<f64>,
    /// f' at each sample, from the graph.
    pub exact: Vec<f64>,
    /// |numerical − exact| at each sample.
    pub error: Vec<f64>,
}

/// What the book's numpy snippet does, for `f` on `range` with `samples` points: the samples,
/// f there, `numpy.gradient` of those values, the exact f' from the graph and the error of
/// one against the other.
///
/// Fewer than 2 samples, or a range so narrow that neighbouring samples coincide, is an
/// error (see [`numerical_gradient`]).
pub fn compare(
    f: &mut Function1,
    (start, stop): (f64, f64),
    samples: usize,
) -> Result<Comparison, Error> {
    let (xs, values, numerical) = sampled(f, (start, stop), samples)?;
    let mut exact = vec![0.0; xs.len()];
    f.slopes(&xs, &mut exact);
    let error = numerical
        .iter()
        .zip(&exact)
        .map(|(n, e)| (n - e).abs())
        .collect();
    Ok(Comparison {
        xs,
        values,
        numerical,
        exact,
        error,
    })
}

/// The x of each sample, f there and numpy.gradient there.
pub type Sampled = (Vec<f64>, Vec<f64>, Vec<f64>);

/// `samples` evenly spaced x on the range, f there, and `numpy.gradient` of those values:
/// the numerical half of [`compare`], for a chart that shows only the samples.
pub fn sampled(
    f: &mut Function1,
    (start, stop): (f64, f64),
    samples: usize,
) -> Result<Sampled, Error> {
    let xs = linspace(start, stop, samples);
    let values: Vec<f64> = xs.iter().map(|&x| f.value(x)).collect();
    let numerical = numerical_gradient(&values, &xs)?;
    Ok((xs, values, numerical))
}

#[cfg(test)]
mod tests {
    #[test]
    fn linspace_matches_numpy() {
        // numpy: step = 20/99; y[i] = i*step + start; y[-1] = stop.
        let xs = super::linspace(-10.0, 10.0, 100);
        assert_eq!(xs.len(), 100);
        assert_eq!(xs[0], -10.0);
        assert_eq!(xs[1], 20.0 / 99.0 - 10.0);
        assert_eq!(xs[99], 10.0);
        assert_eq!(super::linspace(3.0, 7.0, 1), vec![3.0]);
        assert!(super::linspace(0.0, 1.0, 0).is_empty());
    }

    use super::*;

    #[test]
    fn numpy_documented_example() {
        // From the numpy.gradient documentation:
        // np.gradient([1, 2, 4, 7, 11, 16], [0., 1., 1.5, 3.5, 4., 6.])
        //   -> array([1. , 3. , 3.5, 6.7, 6.9, 2.5])
        let ys = [1.0, 2.0, 4.0, 7.0, 11.0, 16.0];
        let xs = [0.0, 1.0, 1.5, 3.5, 4.0, 6.0];
        let expected = [1.0, 3.0, 3.5, 6.7, 6.9, 2.5];
        let got = numerical_gradient(&ys, &xs).unwrap();
        for (g, e) in got.iter().zip(expected) {
            assert!((g - e).abs() < 1e-12, "{got:?}");
        }
    }

    #[test]
    fn non_uniform_weights_worked_by_hand() {
        // xs = [0, 1, 3], ys = [0, 1, 9] (x²): dx1 = 1, dx2 = 2.
        // a = −2/(1·3) = −2/3, b = (2 − 1)/(1·2) = 1/2, c = 1/(2·3) = 1/6
        // middle = −2/3·0 + 1/2·1 + 1/6·9 = 0.5 + 1.5 = 2 = 2x at x = 1 (exact for quadratics)
        // ends: (1 − 0)/1 = 1 and (9 − 1)/2 = 4.
        let got = numerical_gradient(&[0.0, 1.0, 9.0], &[0.0, 1.0, 3.0]).unwrap();
        assert_eq!(got, [1.0, 2.0, 4.0]);
    }

    #[test]
    fn two_points_give_the_secant_twice() {
        assert_eq!(
            numerical_gradient(&[1.0, 4.0], &[1.0, 2.0]).unwrap(),
            [3.0, 3.0]
        );
    }

    #[test]
    fn errors() {
        let err = numerical_gradient(&[1.0], &[1.0]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "numerical gradient needs at least 2 points, got 1"
        );
        assert!(numerical_gradient(&[], &[]).is_err());
        assert!(matches!(
            numerical_gradient(&[1.0, 2.0], &[1.0]),
            Err(Error::LengthMismatch { ys: 2, xs: 1 })
        ));
        assert!(matches!(
            numerical_gradient(&[1.0, 2.0, 3.0], &[0.0, 1.0, 1.0]),
            Err(Error::RepeatedPoint { index: 2, .. })
        ));
    }
}

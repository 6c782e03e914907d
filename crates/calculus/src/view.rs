//! What part of a function to show: where to sample it, which y range to give it so poles do
//! not flatten the rest, where its graph must be broken (a pole, a step), and how losses that
//! span many decades map to an axis.
//!
//! These are decisions about numbers, not pixels, so they live in the engine: every chart of
//! a function of one variable takes its view from here.
//!
//! ```
//! use calculus::view::{sample_xs, with_breaks, y_range};
//!
//! // tan on [0, 3] crosses its pole at π/2: the y range ignores the spikes there, and the
//! // samples either side of the pole are not joined.
//! let xs = sample_xs((0.0, 3.0), 640.0, 1.5);
//! let ys: Vec<f64> = xs.iter().map(|x| x.tan()).collect();
//! let slopes: Vec<f64> = ys.iter().map(|y| 1.0 + y * y).collect();
//! let (lo, hi) = y_range(ys.iter().copied());
//! assert!(hi < 100.0 && lo > -100.0);
//! let points = with_breaks(&xs, &ys, Some(&slopes), hi - lo);
//! let breaks: Vec<f64> = points.iter().filter(|p| p.1.is_nan()).map(|p| p.0).collect();
//! assert_eq!(breaks.len(), 1);
//! assert!((breaks[0] - std::f64::consts::FRAC_PI_2).abs() < 0.01);
//! ```

/// Beyond ±1e300 nothing is drawable, and spans must not overflow to infinity.
const LIMIT: f64 = 1e300;

/// A y range that shows what matters of `values`: padded, never empty, always finite, and
/// robust to poles. Near a pole (tan, 1/x) a few samples are huge; when an extreme lies far
/// beyond the middle of the samples, that side of the view is set by the middle instead, so
/// the shape of the function stays visible rather than a few spikes.
///
/// - Values that are not finite are ignored; with none left the range is (−1, 1).
/// - The middle is the span from the 10% to the 90% quantile (nearest rank). An extreme more
///   than 10 middles beyond its quantile is replaced by that quantile ± one middle.
/// - The result is padded by 6% of its span on each side; a range of (nearly) one value is
///   padded by max(1, |value|/10) instead.
pub fn y_range(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    let mut v: Vec<f64> = values
        .into_iter()
        .filter(|y| y.is_finite())
        .map(|y| y.clamp(-LIMIT, LIMIT))
        .collect();
    if v.is_empty() {
        return (-1.0, 1.0);
    }
    sort(&mut v);
    let at = |q: f64| {
        v.get(((v.len() - 1) as f64 * q).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    let (mut lo, mut hi) = (at(0.0), at(1.0));
    // Measured against the middle 80%, each side on its own: one heavy tail (tan's derivative,
    // 1 + tan², has only a high one) must not hide the other. Ten times the middle keeps exp(x)
    // on [−10, 10] whole, and cuts tan's spikes.
    let (q10, q90) = (at(0.1), at(0.9));
    let middle = (q90 - q10).max(1e-12);
    if hi - q90 > 10.0 * middle {
        hi = q90 + middle;
    }
    if q10 - lo > 10.0 * middle {
        lo = q10 - middle;
    }
    let span = hi - lo;
    let (lo, hi) = if span < 1e-9 * (1.0 + lo.abs()) {
        let pad = 1.0f64.max(lo.abs() * 0.1);
        (lo - pad, hi + pad)
    } else {
        (lo - 0.06 * span, hi + 0.06 * span)
    };
    (lo.max(-LIMIT), hi.min(LIMIT))
}

/// Samples of a curve as points, with a break (a point whose y is NaN, halfway between the
/// two samples) wherever the curve jumps: at a pole or a step, joining the samples would
/// draw a vertical line that is not in the graph.
///
/// A jump is a change between neighbours of more than a quarter of `y_span` (the height of
/// the view) that the curve's own steepness does not explain: against the sign of the slopes
/// on both sides (tan at its poles) or more than ten times what the slopes allow over the
/// step (a step function, whose slopes are 0). Without slopes, it is a change more than ten
/// times those of the neighbouring samples. Only as many samples as the shortest slice holds
/// are used.
pub fn with_breaks(xs: &[f64], ys: &[f64], slopes: Option<&[f64]>, y_span: f64) -> Vec<(f64, f64)> {
    let mut points = Vec::with_capacity(xs.len() + 8);
    // |ys[i] − ys[i − 1]|, or 0 where either is missing.
    let step = |i: usize| match (ys.get(i.wrapping_sub(1)), ys.get(i)) {
        (Some(a), Some(b)) => (b - a).abs(),
        _ => 0.0,
    };
    let n = xs
        .len()
        .min(ys.len())
        .min(slopes.map_or(usize::MAX, <[f64]>::len));
    let mut previous: Option<(f64, f64)> = None;
    for (i, (&x, &y)) in xs.iter().zip(ys).take(n).enumerate() {
        if let Some((x0, y0)) = previous {
            let dy = y - y0;
            let big = dy.abs() > 0.25 * y_span;
            let jump = big
                && match slopes {
                    Some(s) => {
                        let s0 = s.get(i - 1).copied().unwrap_or(f64::NAN);
                        let s1 = s.get(i).copied().unwrap_or(f64::NAN);
                        let against = s0 * dy < 0.0 && s1 * dy < 0.0;
                        let unexplained = dy.abs() > 10.0 * (s0.abs() + s1.abs()) * (x - x0);
                        against || unexplained
                    }
                    None => dy.abs() > 10.0 * step(i - 1).max(step(i + 1)),
                };
            if jump {
                points.push(((x0 + x) / 2.0, f64::NAN));
            }
        }
        points.push((x, y));
        previous = Some((x, y));
    }
    points
}

/// The x range to draw for a function on `range`: 1.5% wider on each side, so that markers
/// at the two ends (numpy's one-sided samples, say) are drawn whole instead of cut by the
/// frame.
pub fn padded(range: (f64, f64)) -> (f64, f64) {
    let pad = 0.015 * (range.1 - range.0);
    (range.0 - pad, range.1 + pad)
}

/// Evenly spaced sample positions across `range`, both ends included: one interval per
/// `step` CSS pixels of `css_width`, but never fewer than 64 nor more than 2048 intervals.
pub fn sample_xs(range: (f64, f64), css_width: f64, step: f64) -> Vec<f64> {
    let n = ((css_width / step).ceil() as usize).clamp(64, 2048);
    (0..=n)
        .map(|i| range.0 + (range.1 - range.0) * i as f64 / n as f64)
        .collect()
}

/// `range` widened to take in `v` when `v` lies outside it, with room beyond `v` of 5% of
/// the widened span (the secant's second point x + h, say, must not sit on the frame). A `v`
/// inside the range, or not finite, leaves it as it is.
pub fn reaching((lo, hi): (f64, f64), v: f64) -> (f64, f64) {
    if !v.is_finite() || (lo..=hi).contains(&v) {
        return (lo, hi);
    }
    let (lo, hi) = (lo.min(v), hi.max(v));
    let pad = 0.05 * (hi - lo);
    if v <= lo {
        (lo - pad, hi)
    } else {
        (lo, hi + pad)
    }
}

/// How losses map to a chart's y axis: log10 while none is negative, else the loss itself.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LossScale {
    /// Whether the axis is log10 of the loss.
    pub log: bool,
    /// On a log axis, 24 decades below the largest finite loss is as far down as it goes: a
    /// path that lands exactly on the minimum (loss 0) is drawn on that floor.
    pub floor: f64,
}

impl LossScale {
    /// Log when no finite loss is negative and at least one is positive (a loss of exactly 0,
    /// a step that lands on the minimum, sits on the floor); linear otherwise.
    pub fn for_losses(losses: &[f64]) -> LossScale {
        let log = losses.iter().all(|l| *l >= 0.0 || !l.is_finite())
            && losses.iter().any(|l| l.is_finite() && *l > 0.0);
        let top = losses
            .iter()
            .copied()
            .filter(|l| l.is_finite())
            .fold(f64::NEG_INFINITY, f64::max);
        LossScale {
            log,
            floor: top.log10() - 24.0,
        }
    }

    /// `loss` in axis units: max(log10(loss), floor) on a log axis, the loss on a linear one.
    pub fn at(&self, loss: f64) -> f64 {
        if self.log {
            loss.log10().max(self.floor)
        } else {
            loss
        }
    }
}

/// Sorts `v` into increasing [`f64::total_cmp`] order, by heapsort: the same result as
/// `sort_unstable_by(f64::total_cmp)` (numbers equal in that order are the same bits), in a
/// few hundred bytes of wasm rather than the several kilobytes of the standard library's
/// sorts, for the few thousand numbers a view or a contour map sorts.
pub(crate) fn sort(v: &mut [f64]) {
    /// Moves `v[root]` down the heap `v[..end]` until neither child is larger.
    fn sift_down(v: &mut [f64], mut root: usize, end: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && v[child].total_cmp(&v[child + 1]).is_lt() {
                child += 1;
            }
            if v[root].total_cmp(&v[child]).is_ge() {
                return;
            }
            v.swap(root, child);
            root = child;
        }
    }
    let n = v.len();
    for root in (0..n / 2).rev() {
        sift_down(v, root, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sort_orders_as_total_cmp_does() {
        // Repeats, both zeros, infinities and NaNs of both signs, sorted and reversed runs.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let special = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -f64::NAN,
        ];
        for n in [0, 1, 2, 3, 7, 64, 1000] {
            let mut v: Vec<f64> = (0..n)
                .map(|i| match next() % 4 {
                    0 => special[i % special.len()],
                    1 => (next() % 5) as f64,
                    _ => f64::from_bits(next()),
                })
                .collect();
            v.extend((0..n).map(|i| i as f64));
            v.extend((0..n).rev().map(|i| i as f64));
            let mut want = v.clone();
            want.sort_unstable_by(f64::total_cmp);
            super::sort(&mut v);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&v), bits(&want), "n = {n}");
        }
    }
}

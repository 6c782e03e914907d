//! Where the graph of a function of one variable is flat: its local minima and maxima (a
//! sign change of f', refined by bisection), and the points where f' touches zero without
//! changing sign (refined by golden-section search on |f'|).
//!
//! ```
//! use calculus::{parse, Function1};
//! use calculus::derivative::{flat_points, FlatKind};
//!
//! let mut f = Function1::new(&parse("x^3")?)?;
//! let flat = flat_points(&mut f, -1.0, 1.0, 100);
//! assert_eq!((flat.len(), flat[0].x, flat[0].kind), (1, 0.0, FlatKind::Neither));
//! # Ok::<(), calculus::Error>(())
//! ```

use super::Function1;

/// Whether the function turns up, turns down, or carries on at a flat point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlatKind {
    Minimum,
    Maximum,
    /// flat, but neither a minimum nor a maximum: f' is zero without changing sign, an
    /// inflection point like x³ at 0
    Neither,
}

/// A flat point: a local extremum, where f' is zero or changes sign at a kink like |x| at
/// 0, or a point where f' touches zero without changing sign ([`FlatKind::Neither`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlatPoint {
    pub x: f64,
    pub y: f64,
    pub kind: FlatKind,
    /// The slope jumps here instead of passing through zero (|x| at 0): a corner, not a
    /// smooth flat point.
    pub corner: bool,
}

/// The most grid points `flat_points` will use, however many are asked for.
pub(crate) const MAX_SAMPLES: usize = 1_000_000;

/// Bisection halves a bracket at most this often: 2⁻²⁰⁰ of any finite interval is far
/// below one ulp, so the limit only stops pointless work near 0, where floats are dense.
const MAX_BISECTIONS: usize = 200;

/// Golden-section search narrows a bracket at most this often: 0.618¹⁰⁰ ≈ 10⁻²¹ of a
/// bracket is far finer than [`SNAP`], so more would only cost time.
const MAX_SECTIONS: usize = 100;

/// 1/φ = (√5 − 1)/2, the golden-section ratio.
const INV_PHI: f64 = 0.618_033_988_749_894_9;

/// Where f' touches zero without changing sign, rounding leaves a residue whose size
/// scales with f'. A slope at most this fraction of the largest slope on the grid (or of
/// 1, for gentle functions) counts as zero there; x³ + 0.01x, whose slope never drops
/// below 0.01, stays well clear of it.
const FLAT_TOLERANCE: f64 = 1e-9;

/// A refined flat point this close to 0 or to a grid point, as a fraction of b − a, is
/// reported there exactly: the search cannot tell the two apart, and x = 0 reads better
/// than x = −7e-64.
const SNAP: f64 = 1e-12;

/// The flat points of `f` in [a, b], in increasing x: local minima and maxima, and points
/// where f' touches zero without changing sign ([`FlatKind::Neither`]).
///
/// `f'` is sampled on `samples` evenly spaced points (at least 2, at most
/// 1,000,000); each sign change of f' between neighbours, and each exact zero with
/// opposite signs on either side, is one candidate extremum, refined by bisection on the
/// sign of f' to near machine precision. Candidates where f is not finite, or where f'
/// blows up (the sign change runs through a pole, as for 1/x² at 0), are not extrema and
/// are dropped.
///
/// Each local minimum of |f'| on the grid with f' of one sign on both sides is a
/// candidate `Neither` point, refined by golden-section search on |f'| within its two
/// grid cells and kept only if |f'| there is zero up to rounding (see [`FLAT_TOLERANCE`])
/// and f is finite. Flat stretches (a constant, relu for x < 0) are not reported.
///
/// A point within 10⁻¹²·(b − a) of 0 or of a grid point is reported exactly there, with
/// y = f at that x.
pub fn flat_points(f: &mut Function1, a: f64, b: f64, samples: usize) -> Vec<FlatPoint> {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    if !(a.is_finite() && b.is_finite()) || a == b {
        return Vec::new();
    }
    let n = samples.clamp(2, MAX_SAMPLES);
    let last = (n - 1) as f64;
    let grid: Vec<f64> = (0..n)
        .map(|i| {
            let t = i as f64 / last;
            // Two-sided form, so the last point is exactly b.
            a * (1.0 - t) + b * t
        })
        .collect();
    let slopes: Vec<f64> = grid.iter().map(|&x| f.value_and_slope(x).1).collect();
    // The scale of f' over the interval, so that "zero" means the same for x³ and 10⁶x³.
    let scale = slopes
        .iter()
        .filter(|s| s.is_finite())
        .fold(1.0_f64, |m, s| m.max(s.abs()));
    let exact = Exact {
        grid: &grid,
        a,
        b,
        within: SNAP * (b - a),
        tol: FLAT_TOLERANCE * scale,
    };

    let mut found = Vec::new();
    for i in 0..n.saturating_sub(1) {
        let (Some(&x0), Some(&x1), Some(&s0), Some(&s1)) = (
            grid.get(i),
            grid.get(i + 1),
            slopes.get(i),
            slopes.get(i + 1),
        ) else {
            break;
        };
        // An exact zero on the grid, with the slope changing sign across it.
        if s1 == 0.0 {
            if let (Some(&x2), Some(&s2)) = (grid.get(i + 2), slopes.get(i + 2)) {
                if let Some(kind) = turn(s0, s2) {
                    found.extend(classify(f, x1, kind, (x0, x2), (s0, s2), &exact));
                }
            }
        } else if s0 != 0.0 {
            if let Some(kind) = turn(s0, s1) {
                let x = bisect(f, x0, x1, s0);
                found.extend(classify(f, x, kind, (x0, x1), (s0, s1), &exact));
            }
        }
    }
    // Both lists are in increasing x.
    merge(found, touches(f, &slopes, &exact))
}

/// Two lists in increasing x as one, `a`'s point first on a tie: what a stable sort of the
/// two would give, without a sort routine in the wasm only for this (the engine's other
/// sorts are unstable ones of numbers).
fn merge(a: Vec<FlatPoint>, b: Vec<FlatPoint>) -> Vec<FlatPoint> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut b = b.into_iter().peekable();
    for p in a {
        while let Some(q) = b.next_if(|q| q.x.total_cmp(&p.x).is_lt()) {
            out.push(q);
        }
        out.push(p);
    }
    out.extend(b);
    out
}

/// The kind of extremum where the slope goes from `before` to `after`, if it changes sign.
fn turn(before: f64, after: f64) -> Option<FlatKind> {
    if before < 0.0 && after > 0.0 {
        Some(FlatKind::Minimum)
    } else if before > 0.0 && after < 0.0 {
        Some(FlatKind::Maximum)
    } else {
        None
    }
}

/// Narrows [lo, hi], where the slope has sign `sign(s_lo)` at lo and the opposite at hi,
/// to where it changes sign.
fn bisect(f: &mut Function1, mut lo: f64, mut hi: f64, s_lo: f64) -> f64 {
    for _ in 0..MAX_BISECTIONS {
        let mid = lo + (hi - lo) / 2.0;
        if mid <= lo || mid >= hi {
            break;
        }
        let s = f.value_and_slope(mid).1;
        if s == 0.0 {
            return mid;
        }
        if (s < 0.0) == (s_lo < 0.0) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo + (hi - lo) / 2.0
}

/// Accepts `x` as an extremum of the given kind unless f is not finite there or f' blows
/// up next to it. `bracket` is the grid cell (or pair of neighbours) that found it and
/// `bracket_slopes` the slopes at its ends.
fn classify(
    f: &mut Function1,
    x: f64,
    kind: FlatKind,
    bracket: (f64, f64),
    bracket_slopes: (f64, f64),
    exact: &Exact,
) -> Option<FlatPoint> {
    let x = exact.snap(f, x);
    let y = f.value(x);
    if !y.is_finite() || !f.value(bracket.0).is_finite() || !f.value(bracket.1).is_finite() {
        return None;
    }
    // Probe the slope just beside x. Approaching a smooth extremum it shrinks towards 0;
    // at a corner it stays put; approaching a pole it grows without bound.
    let width = bracket.1 - bracket.0;
    let near = width * 1e-6;
    let nearer = width * 1e-8;
    let bound = bracket_slopes.0.abs().max(bracket_slopes.1.abs());
    let mut corner = false;
    for side in [-1.0, 1.0] {
        let s_near = f.value_and_slope(x + side * near).1;
        let s_nearer = f.value_and_slope(x + side * nearer).1;
        if !s_near.is_finite() || !s_nearer.is_finite() || s_nearer.abs() > 1e3 * bound {
            return None;
        }
        // A smooth slope would have shrunk about 100-fold between the two probes.
        if s_nearer != 0.0 && s_nearer.abs() > 0.5 * s_near.abs() {
            corner = true;
        }
    }
    Some(FlatPoint { x, y, kind, corner })
}

/// The exact values a refined flat point may be moved to (0 and the grid points), and how
/// near it must be.
struct Exact<'g> {
    grid: &'g [f64],
    a: f64,
    b: f64,
    /// How near counts as "at": [`SNAP`] of b − a.
    within: f64,
    /// Slopes this small count as zero: [`FLAT_TOLERANCE`] of the scale of f'.
    tol: f64,
}

impl Exact<'_> {
    /// `x`, or 0 or the nearest grid point if `x` is within `within` of it and moving
    /// there keeps f finite and leaves |f'| no larger than at `x` (or than `tol`), so a
    /// snap never lands on a pole or on the far side of a corner.
    fn snap(&self, f: &mut Function1, x: f64) -> f64 {
        let limit = slope_size(f.value_and_slope(x).1).max(self.tol);
        let last = self.grid.len().saturating_sub(1);
        // `as` saturates, so even a stray NaN only picks index 0.
        let index = ((x - self.a) / (self.b - self.a) * last as f64).round() as usize;
        let nearest_grid = self.grid.get(index.min(last)).copied();
        // 0 first: it reads best, and is often a grid point anyway.
        let zero = (self.a <= 0.0 && 0.0 <= self.b).then_some(0.0);
        for target in [zero, nearest_grid].into_iter().flatten() {
            if (x - target).abs() <= self.within {
                let (y, s) = f.value_and_slope(target);
                if y.is_finite() && slope_size(s) <= limit {
                    return target;
                }
            }
        }
        x
    }
}

/// |s|, with NaN as infinitely steep so it never wins a comparison for "flattest".
fn slope_size(s: f64) -> f64 {
    if s.is_nan() {
        f64::INFINITY
    } else {
        s.abs()
    }
}

/// Whether `p` and `q` are both strictly positive or both strictly negative.
fn same_sign(p: f64, q: f64) -> bool {
    (p > 0.0 && q > 0.0) || (p < 0.0 && q < 0.0)
}

/// The points where f' touches zero without changing sign, from the grid `slopes` of f'
/// at `exact.grid`.
fn touches(f: &mut Function1, slopes: &[f64], exact: &Exact) -> Vec<FlatPoint> {
    let n = slopes.len();
    let big = |s: f64| s.is_finite() && s.abs() > exact.tol;
    // For each index, the nearest index at or before (after) it where f' is clearly not
    // zero. Between two of these a touch point's slope may be lost in rounding, so those
    // two decide which way f' goes on either side.
    let mut before = Vec::with_capacity(n);
    let mut latest = None;
    for &s in slopes {
        if big(s) {
            latest = Some(before.len());
        }
        before.push(latest);
    }
    let mut after = vec![None; n];
    let mut earliest = None;
    for (i, &s) in slopes.iter().enumerate().rev() {
        if big(s) {
            earliest = Some(i);
        }
        if let Some(slot) = after.get_mut(i) {
            *slot = earliest;
        }
    }
    // Runs of nonzero slopes of one sign: a zero, a sign change or a non-finite slope
    // starts a new run. A touch point needs one sign from its clear slope on the left to
    // its clear slope on the right, apart from an exact zero at the point itself; a zero
    // anywhere else means a flat stretch (relu for x < 0), not a touch.
    let mut run = Vec::with_capacity(n);
    let mut id = 0_usize;
    let mut previous = f64::NAN;
    for &s in slopes {
        if !same_sign(s, previous) {
            id += 1;
        }
        run.push(id);
        previous = s;
    }

    // Candidates as (left clear index, right clear index, grid index). Several local minima
    // of |f'| between the same two clear slopes are rounding noise around one touch point.
    let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
    for i in 1..n.saturating_sub(1) {
        let (Some(&s0), Some(&s1), Some(&s2)) =
            (slopes.get(i - 1), slopes.get(i), slopes.get(i + 1))
        else {
            break;
        };
        // A local minimum of |f'| (ties allowed on the left, so a run of equal slopes gives
        // one candidate, not one per point), with f' of one sign on both sides.
        let dip = s1.abs() <= s0.abs() && s1.abs() < s2.abs();
        if !(dip && same_sign(s0, s2) && (s1 == 0.0 || same_sign(s1, s0))) {
            continue;
        }
        let (Some(Some(left)), Some(Some(right))) = (before.get(i - 1), after.get(i + 1)) else {
            continue;
        };
        let one_run = |p: usize, q: usize| run.get(p).is_some() && run.get(p) == run.get(q);
        if !(one_run(*left, i - 1) && one_run(i + 1, *right)) {
            continue;
        }
        match candidates.last_mut() {
            Some(last) if (last.0, last.1) == (*left, *right) => {
                let flatter = slopes.get(i).map(|s| s.abs()) < slopes.get(last.2).map(|s| s.abs());
                if flatter {
                    last.2 = i;
                }
            }
            _ => candidates.push((*left, *right, i)),
        }
    }

    let mut found = Vec::new();
    for (_, _, i) in candidates {
        let (Some(&lo), Some(&mid), Some(&hi), Some(&s_mid)) = (
            exact.grid.get(i - 1),
            exact.grid.get(i),
            exact.grid.get(i + 1),
            slopes.get(i),
        ) else {
            continue;
        };
        let x = flattest(f, lo, hi, (mid, s_mid));
        let x = exact.snap(f, x);
        let (y, s) = f.value_and_slope(x);
        if y.is_finite() && slope_size(s) <= exact.tol {
            found.push(FlatPoint {
                x,
                y,
                kind: FlatKind::Neither,
                corner: false,
            });
        }
    }
    found
}

/// The x in [lo, hi] where |f'| is least, by golden-section search; `known` is a point
/// inside with its slope, kept if the search finds nothing flatter. If |f'| is exactly 0
/// on a stretch around the answer (as 1 + cos x is within about 10⁻⁸ of π, where cos x
/// rounds to −1), the middle of that stretch is returned: the true zero is its centre up to
/// rounding, while the search alone would stop anywhere inside it.
fn flattest(f: &mut Function1, lo: f64, hi: f64, known: (f64, f64)) -> f64 {
    let mut size = |x: f64| slope_size(f.value_and_slope(x).1);
    let (mut a, mut b) = (lo, hi);
    let mut c = b - INV_PHI * (b - a);
    let mut d = a + INV_PHI * (b - a);
    let (mut gc, mut gd) = (size(c), size(d));
    for _ in 0..MAX_SECTIONS {
        if !(a < c && c < d && d < b) {
            break;
        }
        if gc <= gd {
            b = d;
            d = c;
            gd = gc;
            c = b - INV_PHI * (b - a);
            gc = size(c);
        } else {
            a = c;
            c = d;
            gc = gd;
            d = a + INV_PHI * (b - a);
            gd = size(d);
        }
    }
    let (mut x, mut g) = if gc <= gd { (c, gc) } else { (d, gd) };
    if slope_size(known.1) < g {
        (x, g) = (known.0, slope_size(known.1));
    }
    if g == 0.0 {
        let left = zero_edge(f, x, lo);
        let right = zero_edge(f, x, hi);
        x = left + (right - left) / 2.0;
    }
    x
}

/// The end, towards `outside`, of the stretch of exact zeros of f' that holds `inside`.
fn zero_edge(f: &mut Function1, mut inside: f64, mut outside: f64) -> f64 {
    for _ in 0..MAX_BISECTIONS {
        let mid = inside + (outside - inside) / 2.0;
        if mid == inside || mid == outside {
            break;
        }
        if f.value_and_slope(mid).1 == 0.0 {
            inside = mid;
        } else {
            outside = mid;
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    #[test]
    fn merge_is_a_stable_sort_of_two_sorted_lists() {
        let at = |x: f64, kind: FlatKind| FlatPoint {
            x,
            y: 0.0,
            kind,
            corner: false,
        };
        let a = vec![
            at(-1.0, FlatKind::Minimum),
            at(0.0, FlatKind::Maximum),
            at(2.0, FlatKind::Minimum),
        ];
        let b = vec![
            at(-2.0, FlatKind::Neither),
            at(0.0, FlatKind::Neither),
            at(3.0, FlatKind::Neither),
        ];
        let mut sorted = [a.clone(), b.clone()].concat();
        sorted.sort_by(|p, q| p.x.total_cmp(&q.x));
        assert_eq!(merge(a.clone(), b.clone()), sorted);
        assert_eq!(merge(a.clone(), Vec::new()), a);
        assert_eq!(merge(Vec::new(), b.clone()), b);
    }

    fn points(src: &str, a: f64, b: f64, samples: usize) -> Vec<FlatPoint> {
        let mut f = Function1::new(&parse(src).unwrap()).unwrap();
        flat_points(&mut f, a, b, samples)
    }

    #[test]
    fn parabola_minimum_at_zero_for_any_grid() {
        for samples in [2, 3, 100, 101, 200, 201, 1000] {
            let found = points("x^2", -10.0, 10.0, samples);
            assert_eq!(found.len(), 1, "{samples}");
            // Snapped: the search ends within 10⁻¹²·20 of 0, so 0 is reported exactly.
            assert_eq!((found[0].x, found[0].y), (0.0, 0.0), "{samples}");
            assert_eq!(found[0].kind, FlatKind::Minimum);
            assert!(!found[0].corner);
        }
    }

    #[test]
    fn shifted_parabola() {
        let found = points("(x-2)^2+1", -10.0, 10.0, 100);
        assert_eq!(found.len(), 1);
        assert!((found[0].x - 2.0).abs() < 1e-12);
        assert_eq!(found[0].y, 1.0);
    }

    #[test]
    fn abs_has_a_corner_minimum() {
        let found = points("abs(x)", -1.0, 1.0, 101);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].x, found[0].kind, found[0].corner),
            (0.0, FlatKind::Minimum, true)
        );
        let found = points("abs(x - 0.3)", -1.0, 1.0, 100);
        assert_eq!(found.len(), 1);
        assert!((found[0].x - 0.3).abs() < 1e-12 && found[0].corner);
    }

    #[test]
    fn poles_and_flat_stretches_are_not_extrema() {
        assert_eq!(points("1/x^2", -1.0, 1.0, 100), []);
        assert_eq!(points("1/x^2", -1.0, 1.0, 101), []);
        assert_eq!(points("tan(x)^2", 1.0, 2.0, 100), []);
        assert_eq!(points("5", -1.0, 1.0, 100), []);
        assert_eq!(points("relu(x)", -1.0, 1.0, 100), []);
    }

    #[test]
    fn cube_touches_zero_without_turning() {
        // f' = 3x² ≥ 0, zero only at 0; 101 samples put an exact grid zero there, 100 not.
        for samples in [100, 101] {
            let found = points("x^3", -1.0, 1.0, samples);
            assert_eq!(found.len(), 1, "{samples}");
            assert_eq!(
                (found[0].x, found[0].y, found[0].kind, found[0].corner),
                (0.0, 0.0, FlatKind::Neither, false)
            );
        }
        // f' = 3x² + 0.01 ≥ 0.01: never flat.
        assert_eq!(points("x^3 + 0.01x", -1.0, 1.0, 100), []);
    }

    #[test]
    fn snapping_needs_nearness() {
        // The minimum of (x − 10⁻⁶)² is 10⁻⁶ from 0, far more than 10⁻¹²·2: not moved.
        let found = points("(x - 0.000001)^2", -1.0, 1.0, 100);
        assert_eq!(found.len(), 1);
        assert!(found[0].x != 0.0 && (found[0].x - 1e-6).abs() < 1e-15);
    }

    #[test]
    fn degenerate_intervals() {
        assert_eq!(points("x^2", 1.0, 1.0, 100), []);
        assert_eq!(points("x^2", f64::NAN, 1.0, 100), []);
        assert_eq!(points("x^2", -1.0, f64::INFINITY, 100).len(), 0);
        assert_eq!(points("x^2", 1.0, -1.0, 0).len(), 1);
    }
}

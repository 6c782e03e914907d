//! Level lines of a function of two variables, by marching squares, and the levels to draw.
//!
//! [`contour_lines`] reads a [`Grid`] and returns the curves f = level as polylines:
//! each cell whose corners straddle the level gets one or two segments, with ends placed on
//! the cell's edges by linear interpolation, and segments sharing an edge are joined.
//! [`grid_levels`] chooses a map's levels: round ones, or quantiles where a few corners soar.
//!
//! It is written here rather than taken from the `contour` crate because the engine has
//! no dependencies and this is about a hundred lines, and because it must read the
//! engine's own [`Grid`] (the same samples the surface and the gradient field use) rather
//! than copy it into another crate's layout.
//!
//! ```
//! use calculus::{contour_lines, nice_levels, parse, Function2};
//!
//! let mut f = Function2::new(&parse("w^2 + b^2")?, None)?;
//! let grid = f.grid((-10.0, 10.0), (-10.0, 10.0), 81, 81);
//! // The bowl's level 25 is the circle of radius 5: one closed loop.
//! let lines = contour_lines(&grid, 25.0);
//! assert_eq!(lines.len(), 1);
//! assert_eq!(lines[0].first(), lines[0].last());
//! for &(w, b) in &lines[0] {
//!     // Along a cell edge of length h = 0.25, the chord of w² is off by at most h²/4.
//!     assert!((w * w + b * b - 25.0).abs() <= 0.25f64.powi(2) / 4.0 + 1e-12);
//! }
//! assert_eq!(nice_levels(0.0, 200.0, 20), (1..20).map(|k| 10.0 * k as f64).collect::<Vec<_>>());
//! # Ok::<(), calculus::Error>(())
//! ```

use crate::surface::Grid;

/// Most levels [`levels`] and [`nice_levels`] return, so a huge count cannot exhaust memory.
const MAX_LEVELS: usize = 1000;

/// The curves where the grid's function equals `level`, as polylines in (u, v).
///
/// - A corner counts as above the level when f ≥ level. Each cell edge with one corner
///   above and one below holds one point of the line, placed by linear interpolation along
///   that edge, so for a quadratic f the point is off by at most the chord error of f
///   along the edge.
/// - A cell with two opposite corners above (the ambiguous saddle case) is resolved by the
///   average of its corners, the value of the bilinear interpolant at the cell's centre:
///   if it is above, the two above corners are joined through the centre and the line cuts
///   off the two below corners; otherwise the other way round.
/// - A cell with a corner that is not finite is skipped, so a line stops at the edge of
///   the region where f is defined.
/// - Each line is oriented with higher values on its left (loops run counterclockwise
///   around a maximum, clockwise around a minimum). A closed loop ends with its first
///   point repeated. Repeated consecutive points (a line through a grid point exactly on
///   the level) are dropped, and so are lines that shrink to a single point.
///
/// A level that is not finite, or a grid with fewer than 2 × 2 values, gives no lines.
pub fn contour_lines(grid: &Grid, level: f64) -> Vec<Vec<(f64, f64)>> {
    let (nu, nv) = (grid.nu, grid.nv);
    if !level.is_finite() || nu < 2 || nv < 2 || grid.values.len() / nu < nv {
        return Vec::new();
    }
    let mut march = March {
        grid,
        level,
        segments: Vec::new(),
    };
    for j in 0..nv - 1 {
        let (below, above) = (
            &grid.values[j * nu..][..nu],
            &grid.values[(j + 1) * nu..][..nu],
        );
        for i in 0..nu - 1 {
            // Most cells lie wholly on one side of the level: pass over them on the cheapest
            // test. (A NaN corner counts as below here; `cell` skips cells with one.)
            let corners = [below[i], below[i + 1], above[i + 1], above[i]];
            let up = corners.iter().filter(|&&z| z >= level).count();
            if up != 0 && up != 4 {
                march.cell(i, j);
            }
        }
    }
    march.join()
}

/// Which side of the cell an edge is, counterclockwise from the bottom; corner k sits
/// between edge k − 1 and edge k.
const BOTTOM: usize = 0;
const RIGHT: usize = 1;
const TOP: usize = 2;
const LEFT: usize = 3;

struct March<'a> {
    grid: &'a Grid,
    level: f64,
    /// Segments between edge crossings, oriented with higher values on the left, in scan
    /// order.
    segments: Vec<(Crossing, Crossing)>,
}

/// Where the line crosses a grid edge: the edge's id (see [`March::crossing`]) and the point.
#[derive(Clone, Copy)]
struct Crossing {
    edge: usize,
    point: (f64, f64),
}

impl March<'_> {
    /// Adds the segments of cell (i, j), whose corners are (u_i, v_j) … (u_i+1, v_j+1).
    fn cell(&mut self, i: usize, j: usize) {
        let g = self.grid;
        // Counterclockwise from the bottom left, so corner k lies between edges k−1 and k.
        let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
        let z = corners.map(|(ci, cj)| g.value(ci, cj));
        if z.iter().any(|z| !z.is_finite()) {
            return;
        }
        let above = z.map(|z| z >= self.level);
        let saddle = above[0] == above[2] && above[1] == above[3];
        // Quartered before adding so four huge values cannot overflow to ∞.
        let centre = z.iter().map(|z| z / 4.0).sum::<f64>();
        // Cut off the below corners only in a saddle whose centre is above; otherwise the
        // above ones. (Outside a saddle both describe the same one segment.)
        let cut_below = saddle && centre >= self.level;
        for start in 0..4 {
            // A run of corners on the cut-off side begins at `start`: walk to its end.
            let side = above[start] != cut_below;
            if !side || above[(start + 3) % 4] != cut_below {
                continue;
            }
            let mut end = start;
            while above[(end + 1) % 4] != cut_below {
                end = (end + 1) % 4;
            }
            let (before, after) = ((start + 3) % 4, end);
            // With the cut-off corners above, higher values are on the left going from the
            // edge after the run to the edge before it; for below corners, the reverse.
            let (from, to) = if cut_below {
                (before, after)
            } else {
                (after, before)
            };
            let from = self.crossing(i, j, from);
            let to = self.crossing(i, j, to);
            if let (Some(from), Some(to)) = (from, to) {
                self.segments.push((from, to));
            }
        }
    }

    /// Where the level crosses edge `side` of cell (i, j).
    ///
    /// An edge is shared by two cells, so its id and point depend only on the edge: the
    /// point is interpolated from its lower-left end, and both cells get the same numbers.
    fn crossing(&self, i: usize, j: usize, side: usize) -> Option<Crossing> {
        let g = self.grid;
        let (nu, nv) = (g.nu, g.nv);
        // Horizontal edges (i, j)–(i+1, j) first, then vertical ones (i, j)–(i, j+1).
        let ((i0, j0), (i1, j1), edge) = match side {
            BOTTOM => ((i, j), (i + 1, j), j * (nu - 1) + i),
            TOP => ((i, j + 1), (i + 1, j + 1), (j + 1) * (nu - 1) + i),
            LEFT => ((i, j), (i, j + 1), nv * (nu - 1) + j * nu + i),
            RIGHT => ((i + 1, j), (i + 1, j + 1), nv * (nu - 1) + j * nu + i + 1),
            _ => return None,
        };
        let (z0, z1) = (g.value(i0, j0), g.value(i1, j1));
        // Halved so that differences of huge values stay finite.
        let t = (self.level / 2.0 - z0 / 2.0) / (z1 / 2.0 - z0 / 2.0);
        let t = if t.is_finite() {
            t.clamp(0.0, 1.0)
        } else {
            0.5
        };
        let lerp = |a: f64, b: f64| if t == 1.0 { b } else { a + t * (b - a) };
        let point = if i0 == i1 {
            (g.u_at(i0), lerp(g.v_at(j0), g.v_at(j1)))
        } else {
            (lerp(g.u_at(i0), g.u_at(i1)), g.v_at(j0))
        };
        Some(Crossing { edge, point })
    }

    /// Joins the segments into polylines. Every crossed edge is the start of a segment in
    /// one of its cells and the end of one in the other (the orientation makes it so), so
    /// following starts to ends traces paths and loops without choices.
    ///
    /// Edges are looked up in arrays indexed by edge id rather than in hash maps: a map is
    /// drawn at page load, when the wasm still runs unoptimised and hashing was most of
    /// the time.
    fn join(self) -> Vec<Vec<(f64, f64)>> {
        let edges = self.grid.nv * (self.grid.nu - 1) + self.grid.nv * self.grid.nu;
        // The segment starting at each edge, and whether a segment ends there.
        let mut starting = vec![usize::MAX; edges];
        let mut ends = vec![false; edges];
        for (k, (from, to)) in self.segments.iter().enumerate() {
            starting[from.edge] = k;
            ends[to.edge] = true;
        }
        let mut visited = vec![false; edges];
        let mut lines = Vec::new();
        // Open lines first (they start at an edge no segment ends at), then the loops.
        for closed in [false, true] {
            for (first, (start, _)) in self.segments.iter().enumerate() {
                if visited[start.edge] || (!closed && ends[start.edge]) {
                    continue;
                }
                visited[start.edge] = true;
                let mut points = vec![start.point];
                let mut segment = first;
                loop {
                    let to = self.segments[segment].1;
                    if visited[to.edge] {
                        break;
                    }
                    visited[to.edge] = true;
                    points.push(to.point);
                    segment = starting[to.edge];
                    if segment == usize::MAX {
                        break;
                    }
                }
                if closed {
                    points.push(start.point);
                }
                let mut line: Vec<(f64, f64)> = Vec::with_capacity(points.len());
                for point in points {
                    if line.last() != Some(&point) {
                        line.push(point);
                    }
                }
                if line.len() >= 2 {
                    lines.push(line);
                }
            }
        }
        lines
    }
}

/// `count` levels evenly spaced strictly between `lo` and `hi`:
/// lo + k·(hi − lo)/(count + 1) for k = 1, …, count.
///
/// Neither end is a level, since at the least and greatest value of a grid the line would
/// be a single point or a corner. (matplotlib's `levels=20` instead picks about 20 round
/// numbers; [`nice_levels`] does that.) The ends may come in either order; `count` is
/// capped at 1000, and ends that are equal or not finite give no levels.
pub fn levels(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    if !lo.is_finite() || !hi.is_finite() || lo == hi {
        return Vec::new();
    }
    let count = count.min(MAX_LEVELS);
    // Spacing from halves so that hi − lo cannot overflow.
    let step = (hi / 2.0 - lo / 2.0) / (count + 1) as f64 * 2.0;
    (1..=count)
        .map(|k| lo + k as f64 * step)
        .filter(|&l| lo < l && l < hi)
        .collect()
}

/// At most `count` round levels strictly between `lo` and `hi`, for a readable colour bar:
/// every multiple of a step of 1, 2, 2.5 or 5 × 10ⁿ, the smallest such step that gives at
/// most `count` of them (what matplotlib's `MaxNLocator` does for `levels=count`, minus
/// the ends). For 0 … 200 and 20 levels: 10, 20, …, 190.
///
/// Falls back to [`levels`] when no round number lies strictly inside or the ends are too
/// far apart for a finite step; ends that are equal or not finite, or a count of 0, give
/// no levels. `count` is capped at 1000.
pub fn nice_levels(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    let count = count.min(MAX_LEVELS);
    let span = hi - lo;
    if !lo.is_finite() || !hi.is_finite() || lo == hi || count == 0 {
        return Vec::new();
    }
    if !span.is_finite() {
        return levels(lo, hi, count);
    }
    let raw = span / count as f64;
    // The smallest of 1, 2, 2.5, 5 (× 10ⁿ) at least the raw step. A decade either side of
    // log10's guess covers its rounding; the candidates are in increasing order.
    let guess = raw.log10().floor() as i32;
    let Some((mantissa, exponent)) = (guess - 1..=guess + 1)
        .flat_map(|e| [1.0, 2.0, 2.5, 5.0].map(|m| (m, e)))
        .find(|&(m, e)| scaled(m, e) >= raw)
    else {
        return levels(lo, hi, count);
    };
    let step = scaled(mantissa, exponent);
    if !(step.is_finite() && step > 0.0) {
        return levels(lo, hi, count);
    }
    let first = (lo / step).floor();
    // At most span/step ≤ count multiples lie inside; two more cover the rounding of `first`.
    let nice = (0..count + 2)
        .map(|k| scaled((first + k as f64) * mantissa, exponent))
        .filter(|&l| lo < l && l < hi)
        .fold(Vec::new(), |mut out: Vec<f64>, l| {
            // Far from 0 a step may be below the spacing of floats: keep each level once.
            match out.last() {
                Some(&last) if l <= last => {}
                _ => out.push(l),
            }
            out
        });
    // No round number strictly inside (0 … 1 with one level): evenly spaced ones instead.
    if nice.is_empty() {
        levels(lo, hi, count)
    } else {
        nice
    }
}

/// The values a map of `grid` colours and draws levels across: its least and greatest finite
/// values, widened to value ± 1 when they are equal (a constant), and (0, 1) when no value
/// is finite.
pub fn value_range(grid: &Grid) -> (f64, f64) {
    let (lo, hi) = grid.finite_range().unwrap_or((0.0, 1.0));
    if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, lo + 1.0)
    }
}

/// At most `count` levels for a contour map of `grid` over the value range `(lo, hi)`:
/// round, evenly spaced levels ([`nice_levels`]); but where most of the map lies low and a
/// few corners soar (Rosenbrock's valley is 0 to 100 in a square reaching 2500), levels at
/// quantiles of the values, so the lines show the valley rather than the corners.
///
/// - The map "lies low" when the median of its finite values is within a tenth of the range
///   above `lo`.
/// - Then level k (k = 1, …, count) is the value of rank ⌊k·n/(count + 1)⌋ among the n
///   finite values in increasing order, rounded to two significant digits; levels not
///   strictly inside (lo, hi) are dropped, and so are repeats.
///
/// `count` is capped at 1000, as for [`levels`].
pub fn grid_levels(grid: &Grid, (lo, hi): (f64, f64), count: usize) -> Vec<f64> {
    let count = count.min(MAX_LEVELS);
    let mut values: Vec<f64> = grid
        .values
        .iter()
        .copied()
        .filter(|z| z.is_finite())
        .collect();
    // One full sort rather than a selection and then a sort: the wasm then carries one
    // sorting routine, not two; the small heapsort costs under a millisecond per map (81²
    // values), once per change of f or range.
    crate::view::sort(&mut values);
    let median = values.get(values.len() / 2).copied().unwrap_or(lo);
    if median - lo > 0.1 * (hi - lo) {
        return nice_levels(lo, hi, count);
    }
    let mut levels: Vec<f64> = (1..=count)
        .filter_map(|k| values.get(k * values.len() / (count + 1)).copied())
        .map(|z| {
            // Two significant digits read better on the colour bar and in the readout.
            let magnitude = 10f64.powf(z.abs().max(1e-300).log10().floor() - 1.0);
            (z / magnitude).round() * magnitude
        })
        .filter(|z| *z > lo && *z < hi)
        .collect();
    levels.dedup();
    levels
}

/// m × 10ⁿ, dividing for negative n so that 3 × 10⁻¹ is 0.3, not 0.30000000000000004.
fn scaled(m: f64, exponent: i32) -> f64 {
    if exponent >= 0 {
        m * 10f64.powi(exponent)
    } else {
        m / 10f64.powi(-exponent)
    }
}

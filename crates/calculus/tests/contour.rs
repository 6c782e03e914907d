//! Level lines by marching squares, checked against the curves f = level of functions whose
//! level sets are known in closed form: circles of the bowl w² + b², straight lines of the
//! plane w + b, the diagonals of the saddle w² − b².
//!
//! The tolerance: a point of a level line is placed on a cell edge by linear interpolation
//! of f between the edge's ends. Along an edge only one coordinate x changes, and for
//! f = a·x² + (terms linear in x) the chord differs from f by a·(x − x₀)(x₁ − x) ≤ a·h²/4,
//! where h is the edge's length; the linear terms are interpolated exactly. So the point
//! found where the chord equals the level has |f − level| ≤ |a|·h²/4, plus rounding.

use calculus::contour::{grid_levels, value_range};
use calculus::{contour_lines, levels, nice_levels, parse, Function2, Grid};
use proptest::prelude::*;
use std::f64::consts::PI;

type Line = Vec<(f64, f64)>;

fn grid(src: &str, range: (f64, f64), n: usize) -> Grid {
    let mut f = Function2::new(&parse(src).unwrap(), None).unwrap();
    f.grid(range, range, n, n)
}

/// Twice the signed area of a closed polyline: positive when it runs counterclockwise.
fn signed_area(line: &Line) -> f64 {
    line.windows(2)
        .map(|p| p[0].0 * p[1].1 - p[1].0 * p[0].1)
        .sum::<f64>()
        / 2.0
}

fn length(line: &Line) -> f64 {
    line.windows(2)
        .map(|p| (p[1].0 - p[0].0).hypot(p[1].1 - p[0].1))
        .sum()
}

fn on_boundary((u, v): (f64, f64), half: f64) -> bool {
    u.abs() == half || v.abs() == half
}

#[test]
fn each_level_of_the_bowl_is_a_circle_of_radius_root_level() {
    // f = w² + b² on [−10, 10]² with h = 0.2: every point is within h²/4 = 0.01 of its level.
    let h: f64 = 0.2;
    let tolerance = h * h / 4.0 + 1e-9;
    let grid = grid("w^2 + b^2", (-10.0, 10.0), 101);
    let (lo, hi) = grid.finite_range().unwrap();
    assert_eq!((lo, hi), (0.0, 200.0));
    let levels = levels(lo, hi, 20);
    assert_eq!(levels.len(), 20);
    for level in levels {
        let lines = contour_lines(&grid, level);
        for line in &lines {
            for &(w, b) in line {
                let f = w * w + b * b;
                assert!(
                    (f - level).abs() <= tolerance,
                    "f({w}, {b}) = {f}, level {level}"
                );
            }
        }
        if level < 100.0 {
            // The whole circle fits in the square: one closed loop.
            assert_eq!(lines.len(), 1, "level {level}");
            let line = &lines[0];
            assert_eq!(line.first(), line.last());
            // |r² − L| ≤ tol, so |r − √L| = |r² − L| / (r + √L) ≤ tol / √L.
            for &(w, b) in line {
                assert!((w.hypot(b) - level.sqrt()).abs() <= tolerance / level.sqrt());
            }
            // Higher values outside, on the left: the loop runs clockwise. Its area is the
            // circle's πL, less the caps cut off by chords of length s ≤ h√2 (together at
            // most perimeter · s²/(12r) = πh²/3) and a radius short by at most tol/√L
            // (at most 2π·tol).
            let area = signed_area(line);
            assert!(area < 0.0);
            let bound = PI * h * h / 3.0 + 2.0 * PI * tolerance;
            assert!(
                (-area - PI * level).abs() <= bound,
                "area {area}, level {level}"
            );
        } else {
            // The circle leaves the square through all four sides: four arcs, one per
            // corner of the square, each starting and ending on its boundary.
            assert_eq!(lines.len(), 4, "level {level}");
            for line in &lines {
                assert_ne!(line.first(), line.last());
                assert!(on_boundary(line[0], 10.0) && on_boundary(line[line.len() - 1], 10.0));
            }
        }
    }
}

#[test]
fn the_points_between_vertices_stay_close_too() {
    // The midpoint m of a segment pq inside one cell, for f = |x|²:
    // f(m) = (f(p) + f(q))/2 − |p − q|²/4, and |p − q| ≤ h√2, so f(m) is within
    // h²/4 + h²/2 = 3h²/4 of the level.
    let h: f64 = 0.5;
    let grid = grid("w^2 + b^2", (-10.0, 10.0), 41);
    for level in [3.0, 17.5, 50.0, 99.0] {
        for line in contour_lines(&grid, level) {
            for p in line.windows(2) {
                let (w, b) = ((p[0].0 + p[1].0) / 2.0, (p[0].1 + p[1].1) / 2.0);
                assert!((w * w + b * b - level).abs() <= 0.75 * h * h + 1e-9);
            }
        }
    }
}

#[test]
fn the_planes_level_lines_are_straight() {
    // f = w + b is linear, so interpolation is exact: each level L is the segment of
    // w + b = L across the square, up to rounding. Higher values lie up and right, so
    // with them on the left each line runs from top left to bottom right.
    let grid = grid("w + b", (-10.0, 10.0), 41);
    let levels = levels(-20.0, 20.0, 19);
    assert_eq!(levels.len(), 19); // −18, −16, …, 18
    for level in levels {
        let lines = contour_lines(&grid, level);
        assert_eq!(lines.len(), 1, "level {level}");
        let line = &lines[0];
        for &(w, b) in line {
            assert!((w + b - level).abs() <= 1e-12, "f({w}, {b}) = {}", w + b);
        }
        let (first, last) = (line[0], line[line.len() - 1]);
        assert!(first.0 < last.0 && first.1 > last.1);
        assert!(on_boundary(first, 10.0) && on_boundary(last, 10.0));
        // The whole chord of the square: length √2 · (20 − |L|).
        let want = 2f64.sqrt() * (20.0 - level.abs());
        assert!((length(line) - want).abs() <= 1e-9, "level {level}");
    }
}

#[test]
fn the_saddles_zero_level_is_the_two_diagonals() {
    // f = w² − b² = (w − b)(w + b) is 0 on both diagonals of [−10, 10]². On an integer
    // grid they pass through grid points, where the interpolation is exact.
    let grid = grid("w^2 - b^2", (-10.0, 10.0), 21);
    let lines = contour_lines(&grid, 0.0);
    assert!(!lines.is_empty());
    let mut ends = Vec::new();
    let mut total = 0.0;
    for line in &lines {
        for &(w, b) in line {
            assert_eq!(w.abs(), b.abs(), "({w}, {b})");
        }
        total += length(line);
        ends.extend([line[0], line[line.len() - 1]]);
    }
    // Two diagonals of length 20√2, reaching all four corners.
    assert!((total - 40.0 * 2f64.sqrt()).abs() <= 1e-9);
    for corner in [(-10.0, -10.0), (10.0, -10.0), (10.0, 10.0), (-10.0, 10.0)] {
        assert!(ends.contains(&corner), "{corner:?} in {ends:?}");
    }
}

/// One cell, corners (counterclockwise from (0, 0)) 1, −1, 1, −1: the bilinear interpolant
/// is (1 − 2u)(1 − 2v), whose centre value 0 decides which corners the level joins.
fn saddle_cell() -> Grid {
    Grid {
        u: (0.0, 1.0),
        v: (0.0, 1.0),
        nu: 2,
        nv: 2,
        values: vec![1.0, -1.0, -1.0, 1.0],
    }
}

#[test]
fn a_saddle_cell_is_resolved_by_its_centre() {
    // Level 1/2 is above the centre: the hyperbola (1 − 2u)(1 − 2v) = 1/2 has a branch
    // around each above corner. Along the edges f is linear, so the crossings are exact:
    // 1 − 2u = 1/2 at u = 1/4 (bottom, left), and 3/4 (right, top). Each runs with the
    // higher values on its left.
    let mut lines = contour_lines(&saddle_cell(), 0.5);
    lines.sort_by(|a, b| a[0].partial_cmp(&b[0]).unwrap());
    assert_eq!(
        lines,
        [
            vec![(0.25, 0.0), (0.0, 0.25)],
            vec![(0.75, 1.0), (1.0, 0.75)]
        ]
    );
    // Level −1/2 is below the centre: the branches cut off the below corners instead.
    let mut lines = contour_lines(&saddle_cell(), -0.5);
    lines.sort_by(|a, b| a[0].partial_cmp(&b[0]).unwrap());
    assert_eq!(
        lines,
        [
            vec![(0.25, 1.0), (0.0, 0.75)],
            vec![(0.75, 0.0), (1.0, 0.25)]
        ]
    );
}

#[test]
fn levels_outside_the_range_give_no_lines() {
    let grid = grid("w^2 + b^2", (-10.0, 10.0), 31);
    for level in [
        -1.0,
        -1e-12,
        200.5,
        1e300,
        f64::NAN,
        f64::INFINITY,
        -f64::INFINITY,
    ] {
        assert!(contour_lines(&grid, level).is_empty(), "level {level}");
    }
    // At the maximum, reached only at the four corners of the square, each line would be
    // a single point, and at the minimum all of the grid is at or above it.
    assert!(contour_lines(&grid, 200.0).is_empty());
    assert!(contour_lines(&grid, 0.0).is_empty());
}

#[test]
fn undefined_regions_and_broken_grids_do_not_panic() {
    // sqrt(w² + b² − 25) is NaN inside the circle of radius 5; level 1 is the circle of
    // radius √26 next to it. Lines stop where cells have NaN corners.
    let grid = grid("sqrt(w^2 + b^2 - 25)", (-10.0, 10.0), 41);
    for level in levels(0.0, 12.0, 12) {
        for line in contour_lines(&grid, level) {
            for &(w, b) in &line {
                assert!(w.is_finite() && b.is_finite());
                assert!(w * w + b * b >= 25.0 - 1e-9);
            }
        }
    }
    let weird = [f64::NAN, f64::INFINITY, -f64::INFINITY, 1e308, -1e308, 0.0];
    let values: Vec<f64> = (0..36).map(|k| weird[k * 7 % 6]).collect();
    let hand_made = |nu, nv, values: Vec<f64>| Grid {
        u: (0.0, 1.0),
        v: (f64::NAN, 1.0),
        nu,
        nv,
        values,
    };
    for level in [0.0, 1e308, -1e308, 5.0] {
        for (nu, nv, len) in [
            (6, 6, 36),
            (0, 0, 36),
            (1, 36, 36),
            (36, 1, 36),
            (10, 10, 36),
        ] {
            let grid = hand_made(nu, nv, values[..len].to_vec());
            let _ = contour_lines(&grid, level);
        }
        let _ = contour_lines(&hand_made(usize::MAX, 2, vec![0.0; 4]), level);
    }
    // Huge opposite values straddling the level: the crossing is still on the edge.
    let huge = Grid {
        u: (0.0, 1.0),
        v: (0.0, 1.0),
        nu: 2,
        nv: 2,
        values: vec![-1e308, 1e308, -1e308, 1e308],
    };
    assert_eq!(contour_lines(&huge, 0.0), [vec![(0.5, 1.0), (0.5, 0.0)]]);
}

#[test]
fn levels_are_evenly_spaced_inside_the_range() {
    // 200·k/21 for k = 1, …, 20.
    let got = levels(0.0, 200.0, 20);
    assert_eq!(got.len(), 20);
    for (k, level) in (1..=20).zip(&got) {
        assert!((level - 200.0 * k as f64 / 21.0).abs() <= 1e-12);
    }
    assert_eq!(levels(200.0, 0.0, 20), got);
    assert_eq!(levels(-1.0, 1.0, 1), [0.0]);
    assert_eq!(levels(-1.0, 1.0, 3), [-0.5, 0.0, 0.5]);
    assert!(levels(0.0, 1.0, 0).is_empty());
    assert!(levels(3.0, 3.0, 5).is_empty());
    assert!(levels(f64::NAN, 1.0, 5).is_empty());
    assert!(levels(0.0, f64::INFINITY, 5).is_empty());
    assert_eq!(levels(0.0, 1.0, usize::MAX).len(), 1000);
    assert_eq!(levels(-1e308, 1e308, 1), [0.0]);
}

#[test]
fn nice_levels_are_round_numbers() {
    let tens: Vec<f64> = (1..20).map(|k| 10.0 * k as f64).collect();
    assert_eq!(nice_levels(0.0, 200.0, 20), tens);
    assert_eq!(nice_levels(200.0, 0.0, 20), tens);
    // Step 1/10, written as decimals would be.
    assert_eq!(
        nice_levels(0.0, 1.0, 10),
        [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
    );
    // A span of 10 in 4 levels: step 2.5.
    assert_eq!(nice_levels(-3.0, 7.0, 4), [-2.5, 0.0, 2.5, 5.0]);
    // Ends off the round numbers: step 20 for 0.3 … 99.7.
    assert_eq!(nice_levels(0.3, 99.7, 5), [20.0, 40.0, 60.0, 80.0]);
    // No round number strictly inside: evenly spaced instead.
    assert_eq!(nice_levels(0.0, 1.0, 1), [0.5]);
    assert!(nice_levels(0.0, 1.0, 0).is_empty());
    assert!(nice_levels(1.0, 1.0, 3).is_empty());
    assert!(nice_levels(f64::NEG_INFINITY, 1.0, 3).is_empty());
    assert!(nice_levels(0.0, 1e-310, 3).len() <= 3);
    assert!(nice_levels(1e20, 1e20 + 1e5, 7).len() <= 7);
    assert_eq!(nice_levels(-1e308, 1e308, 1), [0.0]);
    assert!(nice_levels(0.0, 1.0, usize::MAX).len() <= 1000);
}

/// f(w, b) = a·w² + c·b² + p·w·b + d·w + e·b + g.
#[derive(Debug, Clone, Copy)]
struct Quadratic {
    a: f64,
    c: f64,
    p: f64,
    d: f64,
    e: f64,
    g: f64,
}

impl Quadratic {
    fn at(&self, w: f64, b: f64) -> f64 {
        self.a * w * w + self.c * b * b + self.p * w * b + self.d * w + self.e * b + self.g
    }

    fn source(&self) -> String {
        let Quadratic { a, c, p, d, e, g } = *self;
        format!("({a})*w^2 + ({c})*b^2 + ({p})*w*b + ({d})*w + ({e})*b + ({g})")
    }
}

fn quadratic() -> impl Strategy<Value = Quadratic> {
    let k = || -5.0..5.0f64;
    (k(), k(), k(), k(), k(), k()).prop_map(|(a, c, p, d, e, g)| Quadratic { a, c, p, d, e, g })
}

proptest! {
    #[test]
    fn contour_points_of_random_quadratics_are_on_their_level(
        q in quadratic(),
        (u0, du) in (-10.0..10.0f64, 0.5..20.0f64),
        (v0, dv) in (-10.0..10.0f64, 0.5..20.0f64),
        (nu, nv) in (3..60usize, 3..60usize),
        count in 1..12usize,
    ) {
        let mut f = Function2::new(&parse(&q.source()).unwrap(), None).unwrap();
        prop_assert_eq!(f.axes(), ("w", "b"));
        let grid = f.grid((u0, u0 + du), (v0, v0 + dv), nu, nv);
        let (hu, hv) = (du / (nu - 1) as f64, dv / (nv - 1) as f64);
        // Chord error of a·w² along a horizontal edge, c·b² along a vertical one (the
        // p·w·b term is linear along either), plus rounding at the scale of the values.
        let (lo, hi) = grid.finite_range().unwrap();
        let scale = 1.0 + lo.abs().max(hi.abs());
        let bound = (q.a.abs() * hu * hu).max(q.c.abs() * hv * hv) / 4.0 + 1e-9 * scale;
        for level in levels(lo, hi, count) {
            for line in contour_lines(&grid, level) {
                prop_assert!(line.len() >= 2);
                for (w, b) in line {
                    // Inside the rectangle, but for rounding.
                    let slack = 1e-9;
                    prop_assert!(u0 - slack <= w && w <= u0 + du + slack);
                    prop_assert!(v0 - slack <= b && b <= v0 + dv + slack);
                    let error = (q.at(w, b) - level).abs();
                    prop_assert!(error <= bound, "f({}, {}) off level {} by {}", w, b, level, error);
                }
            }
        }
    }
}

/// A 10 × 10 grid holding `values` (row by row) on the unit square.
fn grid_of(values: Vec<f64>) -> Grid {
    Grid {
        u: (0.0, 1.0),
        v: (0.0, 1.0),
        nu: 10,
        nv: 10,
        values,
    }
}

#[test]
fn a_bowl_gets_round_levels() {
    // w² + b² on [−10, 10]²: 0 to 200. The fraction of the square with w² + b² ≤ t is
    // πt/400 for t ≤ 100, so the median is 200/π ≈ 63.7, well above a tenth of the range
    // (20): the round levels 10, 20, …, 190.
    let g = grid("w^2 + b^2", (-10.0, 10.0), 81);
    assert_eq!(value_range(&g), (0.0, 200.0));
    let want: Vec<f64> = (1..20).map(|k| 10.0 * k as f64).collect();
    assert_eq!(grid_levels(&g, (0.0, 200.0), 20), want);
}

#[test]
fn a_map_lying_low_gets_levels_at_quantiles() {
    // z = k⁴ for k = 0, …, 99: median 50⁴ = 6 250 000, under a tenth of 99⁴ ≈ 9.6e7.
    // Three levels: ranks ⌊100k/4⌋ = 25, 50, 75, i.e. 25⁴ = 390 625, 50⁴ = 6 250 000 and
    // 75⁴ = 31 640 625, rounded to two significant digits.
    let g = grid_of((0..100).map(|k| f64::from(k).powi(4)).collect());
    let range = value_range(&g);
    assert_eq!(range, (0.0, 99f64.powi(4)));
    assert_eq!(
        grid_levels(&g, range, 3),
        [390_000.0, 6_300_000.0, 32_000_000.0]
    );
}

#[test]
fn quantile_levels_are_kept_once_and_strictly_inside() {
    // 0, ninety-eight 1s and 1000: the median 1 lies low; every quantile is 1, kept once.
    let mut values = vec![0.0];
    values.extend([1.0; 98]);
    values.push(1000.0);
    let g = grid_of(values);
    assert_eq!(grid_levels(&g, value_range(&g), 3), [1.0]);
    // Mostly the minimum itself: no level at the floor, none at all.
    let mut values = vec![0.0; 90];
    values.extend([1000.0; 10]);
    let g = grid_of(values);
    assert!(grid_levels(&g, value_range(&g), 3).is_empty());
}

#[test]
fn constant_and_undefined_maps_still_have_a_range() {
    // A constant c is shown on c ± 1; a map with no finite value on (0, 1).
    assert_eq!(value_range(&grid_of(vec![5.0; 100])), (4.0, 6.0));
    let g = grid_of(vec![f64::NAN; 100]);
    assert_eq!(value_range(&g), (0.0, 1.0));
    // No finite value: the median is taken as lo, so the quantile path runs on nothing.
    assert!(grid_levels(&g, (0.0, 1.0), 20).is_empty());
    assert!(grid_levels(&g, (0.0, 1.0), usize::MAX).is_empty());
}

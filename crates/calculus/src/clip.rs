//! The part of a line segment inside a rectangle (Liang–Barsky clipping), for drawing paths
//! that run far off a chart: what is drawn must lie on the segment's own line. Clamping each
//! coordinate instead moves far points sideways, and the path of a diverging descent, which
//! swings through the origin, would be drawn as lines that miss it.
//!
//! ```
//! use calculus::clip::clip_segment;
//!
//! // From far down-left to far up-right through the square [-1, 1]²: its diagonal.
//! let inside = clip_segment((-100.0, -100.0), (100.0, 100.0), (-1.0, 1.0), (-1.0, 1.0));
//! assert_eq!(inside, Some(((-1.0, -1.0), (1.0, 1.0))));
//! ```

/// A point (x, y).
pub type Point = (f64, f64);

/// The part of the segment from `a` to `b` inside [x.0, x.1] × [y.0, y.1], or `None` when
/// they do not meet (or a coordinate is not finite). An end that is inside comes back exactly
/// as given, so consecutive segments of a path still join.
pub fn clip_segment(a: Point, b: Point, x: (f64, f64), y: (f64, f64)) -> Option<(Point, Point)> {
    if ![a.0, a.1, b.0, b.1].iter().all(|v| v.is_finite()) {
        return None;
    }
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    // Along the segment a + t·(b − a), t in [0, 1]: each edge bounds t from one side.
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-dx, a.0 - x.0),
        (dx, x.1 - a.0),
        (-dy, a.1 - y.0),
        (dy, y.1 - a.1),
    ] {
        if p == 0.0 {
            // Parallel to this edge: wholly outside it, or no bound from it.
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| (a.0 + t * dx, a.1 + t * dy);
    let start = if t0 == 0.0 { a } else { at(t0) };
    let end = if t1 == 1.0 { b } else { at(t1) };
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: ((f64, f64), (f64, f64)) = ((-1.0, 1.0), (-1.0, 1.0));

    fn clip(a: Point, b: Point) -> Option<(Point, Point)> {
        clip_segment(a, b, SQUARE.0, SQUARE.1)
    }

    #[test]
    fn a_segment_inside_is_unchanged() {
        let (a, b) = ((-0.3, 0.1), (0.7, -0.9));
        assert_eq!(clip(a, b), Some((a, b)));
    }

    #[test]
    fn a_segment_outside_is_dropped() {
        assert_eq!(clip((2.0, 2.0), (3.0, 5.0)), None);
        // Beside a corner: both ends outside, the line misses the square.
        assert_eq!(clip((0.0, 3.0), (3.0, 0.0)), None);
        // Parallel to an edge, outside it.
        assert_eq!(clip((-5.0, 2.0), (5.0, 2.0)), None);
    }

    #[test]
    fn a_segment_leaving_is_cut_at_the_edge() {
        // From the centre to (3, 1): y = x/3 meets x = 1 at y = 1/3.
        let (start, end) = clip((0.0, 0.0), (3.0, 1.0)).unwrap();
        assert_eq!(start, (0.0, 0.0));
        assert_eq!(end.0, 1.0);
        assert!((end.1 - 1.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn far_ends_keep_the_segment_on_its_line() {
        // A diverging descent on w² + b² with η = 1.05 multiplies the point by −1.1 each step:
        // from (8, 9)·1.1⁵⁰ to −(8, 9)·1.1⁵¹, through the origin along b = 9w/8. The square
        // [−1, 1]² cuts that line at b = ±1, w = ±8/9.
        let k = 1.1_f64.powi(50);
        let (start, end) = clip((8.0 * k, 9.0 * k), (-8.8 * k, -9.9 * k)).unwrap();
        for (w, b) in [start, end] {
            assert!(
                (b - 9.0 * w / 8.0).abs() < 1e-12,
                "({w}, {b}) is off the line b = 9w/8"
            );
        }
        assert!((start.1 - 1.0).abs() < 1e-12 && (end.1 + 1.0).abs() < 1e-12);
    }

    #[test]
    fn points_that_are_not_finite_draw_nothing() {
        assert_eq!(clip((0.0, 0.0), (f64::INFINITY, 0.0)), None);
        assert_eq!(clip((f64::NAN, 0.0), (0.0, 0.0)), None);
    }
}

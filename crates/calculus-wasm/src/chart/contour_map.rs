//! The contour map that chapters 3 and 4 draw on: level lines of f(w, b) from marching
//! squares, coloured by height with a viridis colour bar, on axes with equal units, so that
//! anything drawn over it (arrows, a descent path) crosses the level lines at its true angles.
//!
//! It is not a chart of its own: a chart that holds one draws it first, then its marks.
//!
//! ```ignore
//! let map = ContourMap::new("w^2 + b^2")?;             // on [-10, 10]²
//! self.canvas.draw(view, |pen| {
//!     let frame = self.map.draw(pen)?;                 // axes, level lines, colour bar
//!     let plot = pen.plot(&frame);
//!     plot.arrows(&field, per_unit, pen.theme.arrow, pen.theme.thin_width);
//!     Ok(frame)
//! })?;
//! ```
//!
//! Chapter 3's `GradientField` passes its `levels()` and `contourPoints(k)` on to JS, for
//! tests that check the lines drawn.

use std::cell::OnceCell;

use calculus::contour::{contour_lines, grid_levels, value_range};
use calculus::surface::{Function2, Grid};
use wasm_bindgen::JsError;

use super::canvas::Pen;
use super::colour_bar::{self, Place, BELOW, SIDE};
use super::theme::viridis;
use super::{axes, Dash, DrawResult, Frame, Labels};

/// Samples per side of the grid the level lines are traced on.
const CONTOUR_GRID: usize = 81;
/// Level lines, as in the book's `plt.contour(W, B, Z, levels=20)`.
const LEVELS: usize = 20;

/// One contour level and its polylines.
type Level = (f64, Vec<Vec<(f64, f64)>>);

/// A function of two variables over a range, with its level lines traced once.
pub struct ContourMap {
    pub f: Function2,
    /// The function as the reader typed it.
    pub source: String,
    /// And in words, for the charts' `aria-label`s.
    pub spoken: String,
    pub u: (f64, f64),
    pub v: (f64, f64),
    /// Traced when first asked for, not each time f or the range is set: a widget sets both
    /// as it starts, and the sweep and the loss curve never draw their map at all.
    traced: OnceCell<Traced>,
}

/// The level lines of f over the range, and the range of f they were chosen from.
struct Traced {
    lines: Vec<Level>,
    z_range: (f64, f64),
}

impl ContourMap {
    /// `source` (of at most two variables) on [−10, 10]².
    pub fn new(source: &str) -> Result<ContourMap, JsError> {
        let (u, v) = ((-10.0, 10.0), (-10.0, 10.0));
        let (f, spoken) = super::two_variables(source, (u, v))?;
        Ok(ContourMap {
            f,
            spoken,
            source: source.trim().to_string(),
            u,
            v,
            traced: OnceCell::new(),
        })
    }

    /// Replaces f; on error the map keeps the last good one.
    pub fn set_function(&mut self, source: &str) -> Result<(), JsError> {
        (self.f, self.spoken) = super::two_variables(source, (self.u, self.v))?;
        self.source = source.trim().to_string();
        self.traced = OnceCell::new();
        Ok(())
    }

    pub fn set_range(&mut self, umin: f64, umax: f64, vmin: f64, vmax: f64) -> Result<(), JsError> {
        (self.u, self.v) = (
            super::checked_range(umin, umax)?,
            super::checked_range(vmin, vmax)?,
        );
        self.traced = OnceCell::new();
        Ok(())
    }

    /// The two variables: horizontal axis first.
    pub fn names(&self) -> (String, String) {
        let (u, v) = self.f.axes();
        (u.to_string(), v.to_string())
    }

    /// The contour levels, lowest first.
    pub fn levels(&self) -> Vec<f64> {
        self.traced()
            .lines
            .iter()
            .map(|(level, _)| *level)
            .collect()
    }

    /// Every point of the level lines at `levels()[index]`, flat: `[u, v, …]`.
    pub fn contour_points(&self, index: usize) -> Vec<f64> {
        self.traced()
            .lines
            .get(index)
            .map(|(_, lines)| lines.iter().flatten().flat_map(|&(u, v)| [u, v]).collect())
            .unwrap_or_default()
    }

    /// Draws the axes (equal units), the level lines and the colour bar for `pen.view`'s
    /// size, and returns the plot's frame for what goes on top. The bar stands right of the
    /// map, or lies under it on a narrow canvas, wherever the map is the larger for it.
    pub fn draw(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let (theme, view) = (&pen.theme, &pen.view);
        let s = theme.dpr;
        // The plot area before the bar takes its share, in CSS pixels.
        let plot_w = view.width - f64::from(theme.margin * 2 + theme.y_label_area) / s;
        let plot_h = view.height - f64::from(theme.margin * 2 + theme.x_label_area * 3 / 2) / s;
        let below = colour_bar::goes_below(plot_w, plot_h);
        let (bar_w, bar_h) = if below { (0.0, BELOW) } else { (SIDE, 0.0) };
        // Equal units on both axes: widen whichever range is short for the plot's shape.
        let aspect = (plot_w - bar_w).max(1.0) / (plot_h - bar_h).max(1.0);
        let (u, v) = square(self.u, self.v, aspect);
        let (u_name, v_name) = self.names();
        let labels = Labels {
            right: (bar_w * s) as u32,
            below: (bar_h * s) as u32,
            ..Labels::new(&u_name, &v_name)
        };
        let (_, frame) = axes(&pen.area, theme, u, v, &labels)?;
        let plot = pen.plot(&frame);
        let traced = self.traced();
        let (lo, hi) = traced.z_range;
        for (level, lines) in &traced.lines {
            let color = viridis((level - lo) / (hi - lo));
            for line in lines {
                plot.curve(line.iter().copied(), color, theme.thin_width, Dash::Solid);
            }
        }
        let place = if below {
            // Inset from the plot's sides, leaving room for the end labels.
            let y = view.height - f64::from(theme.margin) / s - BELOW / 2.0;
            Place::Below {
                y,
                left: frame.left + 36.0,
                right: frame.right - 36.0,
            }
        } else {
            Place::Right {
                x: view.width - 38.0,
                top: frame.top + 16.0,
                bottom: frame.bottom - 16.0,
            }
        };
        colour_bar::colour_bar(plot.context, theme, place, traced.z_range);
        Ok(frame)
    }

    /// The level lines of f over the range, traced on first use.
    fn traced(&self) -> &Traced {
        self.traced.get_or_init(|| {
            // Sampling needs f's evaluation buffers: a copy's, so that reading stays `&self`.
            let grid: Grid = self
                .f
                .clone()
                .grid(self.u, self.v, CONTOUR_GRID, CONTOUR_GRID);
            let z_range = value_range(&grid);
            let lines = grid_levels(&grid, z_range, LEVELS)
                .into_iter()
                .map(|level| (level, contour_lines(&grid, level)))
                .collect();
            Traced { lines, z_range }
        })
    }
}

/// Ranges widened (never cut) so that one unit is as long on both axes of a plot whose width
/// is `aspect` times its height.
fn square(u: (f64, f64), v: (f64, f64), aspect: f64) -> ((f64, f64), (f64, f64)) {
    let (du, dv) = (u.1 - u.0, v.1 - v.0);
    if du / dv < aspect {
        let extra = (dv * aspect - du) / 2.0;
        ((u.0 - extra, u.1 + extra), v)
    } else {
        let extra = (du / aspect - dv) / 2.0;
        (u, (v.0 - extra, v.1 + extra))
    }
}

//! The contour map that chapters 3 and 4 draw on: level lines of f(w, b) from marching
//! squares, coloured by height with a viridis colour bar, on axes with equal units, so that
//! anything drawn over it (arrows, a descent path) crosses the level lines at its true angles.
//!
//! ```ignore
//! let mut map = ContourMap::new("w^2 + b^2")?;        // on [-10, 10]²
//! let (root, context, frame) = map.draw(&canvas, 640.0, 480.0, &theme)?;
//! arrows(&context, &frame, &theme, &field, per_unit, theme.arrow, theme.thin_width);
//! ```

use std::cell::OnceCell;

use calculus::contour::{contour_lines, nice_levels};
use calculus::surface::{Function2, Grid};
use plotters::coord::Shift;
use plotters::prelude::*;
use wasm_bindgen::JsError;
use web_sys::CanvasRenderingContext2d;

use super::canvas::{Canvas, Surface};
use super::theme::{viridis, Theme, BACKING_ALPHA};
use super::{axes, draw_curve, Dash, DrawResult, Frame, LabelBox, Labels};

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
        Ok(ContourMap {
            f: super::two_variables(source)?,
            source: source.trim().to_string(),
            u: (-10.0, 10.0),
            v: (-10.0, 10.0),
            traced: OnceCell::new(),
        })
    }

    /// Replaces f; on error the map keeps the last good one.
    pub fn set_function(&mut self, source: &str) -> Result<(), JsError> {
        self.f = super::two_variables(source)?;
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

    /// Clears the canvas and draws the axes (equal units), the level lines and the colour
    /// bar; returns the drawing area, its context and the plot's frame for what goes on top.
    pub fn draw<'c>(
        &self,
        canvas: &'c Canvas,
        css_width: f64,
        css_height: f64,
        theme: &Theme,
    ) -> DrawResult<(
        DrawingArea<Surface<'c>, Shift>,
        CanvasRenderingContext2d,
        Frame,
    )> {
        let bar = (56.0 * theme.dpr) as u32;
        // Equal units on both axes: widen whichever range is short for the plot's shape.
        let plot_w = css_width - f64::from(theme.margin * 2 + theme.y_label_area + bar) / theme.dpr;
        let plot_h =
            css_height - f64::from(theme.margin * 2 + theme.x_label_area * 3 / 2) / theme.dpr;
        let (u, v) = square(self.u, self.v, plot_w.max(1.0) / plot_h.max(1.0));
        let (u_name, v_name) = self.names();
        let (root, context) = canvas.begin(css_width, css_height, theme.dpr)?;
        let (_, frame) = axes(
            &root,
            theme,
            u,
            v,
            &Labels {
                right: bar,
                ..Labels::new(&u_name, &v_name)
            },
        )?;
        let traced = self.traced();
        let (lo, hi) = traced.z_range;
        for (level, lines) in &traced.lines {
            let color = viridis((level - lo) / (hi - lo));
            for line in lines {
                draw_curve(
                    &context,
                    &frame,
                    theme,
                    line.iter().copied(),
                    color,
                    theme.thin_width,
                    Dash::Solid,
                );
            }
        }
        colour_bar(&context, theme, css_width, &frame, traced.z_range);
        Ok((root, context, frame))
    }

    /// The level lines of f over the range, traced on first use.
    fn traced(&self) -> &Traced {
        self.traced.get_or_init(|| {
            // Sampling needs f's evaluation buffers: a copy's, so that reading stays `&self`.
            let grid: Grid = self
                .f
                .clone()
                .grid(self.u, self.v, CONTOUR_GRID, CONTOUR_GRID);
            let (lo, hi) = grid.finite_range().unwrap_or((0.0, 1.0));
            let z_range = if hi > lo {
                (lo, hi)
            } else {
                (lo - 1.0, lo + 1.0)
            };
            let lines = levels_for(&grid, z_range)
                .into_iter()
                .map(|level| (level, contour_lines(&grid, level)))
                .collect();
            Traced { lines, z_range }
        })
    }
}

/// Round, evenly spaced levels; but where most of the map lies low and a few corners soar
/// (Rosenbrock's valley is 0 to 100 in a square reaching 2500), levels at quantiles of the
/// values, so the lines show the valley rather than the corners.
fn levels_for(grid: &Grid, (lo, hi): (f64, f64)) -> Vec<f64> {
    let mut values: Vec<f64> = grid
        .values
        .iter()
        .copied()
        .filter(|z| z.is_finite())
        .collect();
    let middle = values.len() / 2;
    let median = if values.is_empty() {
        lo
    } else {
        *values.select_nth_unstable_by(middle, f64::total_cmp).1
    };
    if median - lo > 0.1 * (hi - lo) {
        return nice_levels(lo, hi, LEVELS);
    }
    values.sort_unstable_by(f64::total_cmp);
    let mut levels: Vec<f64> = (1..=LEVELS)
        .filter_map(|k| values.get(k * values.len() / (LEVELS + 1)).copied())
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

/// `rgb(r,g,b)` for the canvas context.
pub fn css(color: RGBColor) -> String {
    format!("rgb({},{},{})", color.0, color.1, color.2)
}

/// Arrows from each (u, v) along (du, dv), `per_unit` CSS pixels per unit of gradient, as one
/// stroked path of shafts and one filled path of heads.
pub fn arrows(
    context: &CanvasRenderingContext2d,
    frame: &Frame,
    theme: &Theme,
    field: &[(f64, f64, f64, f64)],
    per_unit: f64,
    color: RGBColor,
    width: u32,
) {
    let s = theme.dpr;
    let head = 5.0 * s;
    frame.clip(context, s);
    let css = css(color);
    context.set_stroke_style_str(&css);
    context.set_fill_style_str(&css);
    context.set_line_width(f64::from(width));
    context.begin_path();
    let mut heads = Vec::new();
    for &(u, v, du, dv) in field {
        let (x0, y0) = frame.to_css(u, v);
        // Screen y grows downwards.
        let (dx, dy) = (du * per_unit, -dv * per_unit);
        let length = dx.hypot(dy);
        if !(length.is_finite() && length > 0.5) {
            continue;
        }
        let (x1, y1) = (x0 + dx, y0 + dy);
        context.move_to(x0 * s, y0 * s);
        context.line_to(x1 * s, y1 * s);
        heads.push((x1 * s, y1 * s, dx / length, dy / length));
    }
    context.stroke();
    context.begin_path();
    for (x, y, ux, uy) in heads {
        context.move_to(x, y);
        context.line_to(
            x - ux * head - uy * head * 0.5,
            y - uy * head + ux * head * 0.5,
        );
        context.line_to(
            x - ux * head + uy * head * 0.5,
            y - uy * head - ux * head * 0.5,
        );
        context.close_path();
    }
    context.fill();
    context.restore();
}

/// A point of the map as a filled disc of `color`, ringed with the background so it stands
/// out from the lines under it.
pub fn dot(
    context: &CanvasRenderingContext2d,
    frame: &Frame,
    theme: &Theme,
    (u, v): (f64, f64),
    color: RGBColor,
) {
    let s = theme.dpr;
    let (x, y) = frame.to_css(u, v);
    let r = f64::from(theme.point_radius);
    frame.clip(context, s);
    context.begin_path();
    let _ = context.arc(x * s, y * s, r + 2.0 * s, 0.0, std::f64::consts::TAU);
    context.set_fill_style_str(&css(theme.background));
    context.fill();
    context.begin_path();
    let _ = context.arc(x * s, y * s, r, 0.0, std::f64::consts::TAU);
    context.set_fill_style_str(&css(color));
    context.fill();
    context.restore();
}

/// Viridis from the lowest to the highest value of f, right of the plot, labelled at its ends.
fn colour_bar(
    context: &CanvasRenderingContext2d,
    theme: &Theme,
    css_width: f64,
    frame: &Frame,
    z: (f64, f64),
) {
    let s = theme.dpr;
    let (x, width) = ((css_width - 44.0) * s, 12.0 * s);
    // Inset from the plot's top and bottom, leaving room for the end labels.
    let (top, bottom) = ((frame.top + 16.0) * s, (frame.bottom - 16.0) * s);
    let steps = 48;
    for k in 0..steps {
        let t = f64::from(k) / f64::from(steps);
        context.set_fill_style_str(&css(viridis(1.0 - t)));
        let y = top + (bottom - top) * t;
        context.fill_rect(x, y, width, (bottom - top) / f64::from(steps) + 1.0);
    }
    context.set_fill_style_str(&css(theme.muted_text));
    context.set_font(&format!("{}px {}", theme.label_font, theme.font_family));
    context.set_text_align("center");
    context.set_text_baseline("bottom");
    let _ = context.fill_text(&super::tick_label(z.1), x + width / 2.0, top - 3.0 * s);
    context.set_text_baseline("top");
    let _ = context.fill_text(&super::tick_label(z.0), x + width / 2.0, bottom + 3.0 * s);
}

/// Muted text in a corner of the plot (a scale, a status), on a patch of background: the
/// bottom-right one, or the first of the others clear of the boxes in `keep_clear` (CSS
/// pixels: a draggable start, the current step, a banner), so that it never hides them; with
/// none clear, no caption.
pub fn caption(
    context: &CanvasRenderingContext2d,
    theme: &Theme,
    frame: &Frame,
    text: &str,
    keep_clear: &[LabelBox],
) {
    let s = theme.dpr;
    context.set_font(&format!("{}px {}", theme.label_font, theme.font_family));
    let width = context.measure_text(text).map(|m| m.width()).unwrap_or(0.0) / s;
    let height = 1.3 * theme.label_font / s;
    // (right-aligned?, bottom edge of the text) for each corner, in CSS pixels.
    let corners = [
        (true, frame.bottom - 4.0),
        (false, frame.bottom - 4.0),
        (true, frame.top + 4.0 + height),
        (false, frame.top + 4.0 + height),
    ];
    let clear = |&(right, bottom): &(bool, f64)| {
        let left = if right {
            frame.right - 4.0 - width
        } else {
            frame.left + 4.0
        };
        let margin = 10.0;
        !keep_clear.iter().any(|&((l, t), (r, b))| {
            l < left + width + margin
                && r > left - margin
                && t < bottom + margin
                && b > bottom - height - margin
        })
    };
    // On a small map every corner may be taken: the caption repeats what the controls say,
    // so it gives way.
    let Some((right, bottom)) = corners.iter().copied().find(|c| clear(c)) else {
        return;
    };
    let left = if right {
        frame.right - 4.0 - width
    } else {
        frame.left + 4.0
    };
    backing(context, theme, left * s, bottom * s, width * s);
    context.set_fill_style_str(&css(theme.muted_text));
    context.set_text_align("left");
    context.set_text_baseline("bottom");
    let _ = context.fill_text(text, left * s, bottom * s);
}

/// A patch of the chart's background under a line of label text `width` wide whose
/// bottom-left corner is (`left`, `bottom`) in canvas pixels.
pub fn backing(
    context: &CanvasRenderingContext2d,
    theme: &Theme,
    left: f64,
    bottom: f64,
    width: f64,
) {
    let s = theme.dpr;
    context.set_fill_style_str(&css(theme.background));
    context.set_global_alpha(BACKING_ALPHA);
    context.fill_rect(
        left - 2.0 * s,
        bottom - theme.label_font * 1.1,
        width + 4.0 * s,
        theme.label_font * 1.3,
    );
    context.set_global_alpha(1.0);
}

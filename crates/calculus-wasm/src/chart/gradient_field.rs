//! Chapter 3's compass: level lines of f(w, b), the gradient field as arrows, and a probe with
//! its gradient and a dial of directional derivatives ∇f·u.
//!
//! The map keeps one unit of w as long as one unit of b on screen, so that arrows cross the
//! level lines at the right angles the chapter promises. Arrows are scaled together: the longest
//! is most of a grid cell, and the legend says what a cell's length stands for.
//!
//! ```js
//! const chart = new GradientField(canvas);   // w^2 + b^2 on [-10, 10]²
//! chart.draw(3, 4, 640, 480, devicePixelRatio, false);
//! chart.readout(3, 4);   // "∇f(3.00, 4.00) = [6.00, 8.00], |∇f| = 10.00"
//! ```

use calculus::contour::{contour_lines, nice_levels};
use calculus::surface::{Function2, Grid};
use js_sys::Float64Array;
use plotters::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::canvas::Canvas;
use super::theme::{viridis, Scheme, Theme};
use super::{axes, draw_curve, format_number, Dash, Frame, Labels};
use crate::convert::float64_array;

/// Samples per side of the grid the level lines are traced on.
const CONTOUR_GRID: usize = 81;
/// Level lines, as in the book's `plt.contour(W, B, Z, levels=20)`.
const LEVELS: usize = 20;

/// One contour level and its polylines.
type Level = (f64, Vec<Vec<(f64, f64)>>);

#[wasm_bindgen]
pub struct GradientField {
    canvas: Canvas,
    f: Function2,
    source: String,
    u: (f64, f64),
    v: (f64, f64),
    /// Arrows per side.
    density: usize,
    /// Arrows show −∇f, the way down.
    descent: bool,
    /// Arrows show what `dZ_dw, dZ_db = np.gradient(Z)` gives: swapped and per grid step.
    pitfall: bool,
    /// Level lines for the current function and range.
    lines: Vec<Level>,
    z_range: (f64, f64),
}

#[wasm_bindgen]
impl GradientField {
    /// w² + b² on [−10, 10]², the book's bowl.
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<GradientField, JsError> {
        let mut field = GradientField {
            canvas: Canvas::new(canvas),
            f: super::two_variables("w^2 + b^2")?,
            source: "w^2 + b^2".to_string(),
            u: (-10.0, 10.0),
            v: (-10.0, 10.0),
            density: 11,
            descent: false,
            pitfall: false,
            lines: Vec::new(),
            z_range: (0.0, 1.0),
        };
        field.trace();
        Ok(field)
    }

    /// Replaces f (of at most two variables); on error the map keeps the last good one.
    #[wasm_bindgen(js_name = setFunction)]
    pub fn set_function(&mut self, source: &str) -> Result<(), JsError> {
        self.f = super::two_variables(source)?;
        self.source = source.trim().to_string();
        self.trace();
        Ok(())
    }

    #[wasm_bindgen(js_name = setRange)]
    pub fn set_range(&mut self, umin: f64, umax: f64, vmin: f64, vmax: f64) -> Result<(), JsError> {
        (self.u, self.v) = (
            super::checked_range(umin, umax)?,
            super::checked_range(vmin, vmax)?,
        );
        self.trace();
        Ok(())
    }

    /// Arrows per side, 3 to 40.
    #[wasm_bindgen(js_name = setDensity)]
    pub fn set_density(&mut self, arrows: u32) -> Result<(), JsError> {
        if !(3..=40).contains(&arrows) {
            return Err(JsError::new("arrows per side must be between 3 and 40"));
        }
        self.density = arrows as usize;
        Ok(())
    }

    #[wasm_bindgen(js_name = setDescent)]
    pub fn set_descent(&mut self, descent: bool) {
        self.descent = descent;
    }

    #[wasm_bindgen(js_name = setPitfall)]
    pub fn set_pitfall(&mut self, pitfall: bool) {
        self.pitfall = pitfall;
    }

    /// The two variables, as `"w,b"`: horizontal axis first.
    #[wasm_bindgen(getter)]
    pub fn axes(&self) -> String {
        let (u, v) = self.f.axes();
        format!("{u},{v}")
    }

    /// The arrows as drawn, flat: `[u, v, du, dv, …]`, before scaling.
    pub fn arrows(&mut self) -> Float64Array {
        let flat: Vec<f64> = self
            .field()
            .into_iter()
            .flat_map(|(u, v, du, dv)| [u, v, du, dv])
            .collect();
        float64_array(&flat)
    }

    /// The contour levels, lowest first.
    pub fn levels(&self) -> Float64Array {
        float64_array(
            &self
                .lines
                .iter()
                .map(|(level, _)| *level)
                .collect::<Vec<f64>>(),
        )
    }

    /// Every point of the level lines at `levels()[index]`, flat: `[u, v, …]`.
    #[wasm_bindgen(js_name = contourPoints)]
    pub fn contour_points(&self, index: usize) -> Float64Array {
        let flat: Vec<f64> = self
            .lines
            .get(index)
            .map(|(_, lines)| lines.iter().flatten().flat_map(|&(u, v)| [u, v]).collect())
            .unwrap_or_default();
        float64_array(&flat)
    }

    /// `∇f(3.00, 4.00) = [6.00, 8.00], |∇f| = 10.00` at the probe.
    pub fn readout(&mut self, pu: f64, pv: f64) -> String {
        let (u, v) = self.names();
        let (value, [du, dv]) = self.f.value_and_gradient(pu, pv);
        if !value.is_finite() {
            return format!(
                "f is undefined at ({}, {})",
                format_number(pu),
                format_number(pv)
            );
        }
        format!(
            "at ({u}, {v}) = ({}, {}): f = {}, ∇f = [∂f/∂{u}, ∂f/∂{v}] = [{}, {}], |∇f| = {}",
            format_number(pu),
            format_number(pv),
            format_number(value),
            format_number(du),
            format_number(dv),
            format_number(du.hypot(dv))
        )
    }

    pub fn describe(&mut self, pu: f64, pv: f64) -> String {
        let (u, v) = self.names();
        let arrows = match (self.pitfall, self.descent) {
            (true, _) => "arrows from np.gradient with its outputs swapped (the pitfall)",
            (false, true) => "arrows of −∇f, pointing downhill",
            (false, false) => "arrows of ∇f, pointing uphill",
        };
        let probe = self.readout(pu, pv);
        format!(
            "Contour map of f({u}, {v}) = {} with {} level lines and {arrows}. Probe {probe}.",
            self.source,
            self.lines.len(),
        )
    }

    #[wasm_bindgen(getter)]
    pub fn frame(&self) -> Option<Frame> {
        self.canvas.frame
    }

    /// `#rrggbb` of the arrows in the light or dark theme.
    #[wasm_bindgen(js_name = arrowColor)]
    pub fn arrow_color(dark: bool) -> String {
        super::theme::hex(Theme::new(Scheme::of(dark), 1.0).arrow)
    }

    pub fn draw(
        &mut self,
        pu: f64,
        pv: f64,
        css_width: f64,
        css_height: f64,
        dpr: f64,
        dark: bool,
    ) -> Result<(), JsError> {
        let theme = Theme::new(Scheme::of(dark), dpr);
        let bar = (56.0 * theme.dpr) as u32;
        // Equal units on both axes: widen whichever range is short for the plot's shape.
        let plot_w = css_width - f64::from(theme.margin * 2 + theme.y_label_area + bar) / theme.dpr;
        let plot_h =
            css_height - f64::from(theme.margin * 2 + theme.x_label_area * 3 / 2) / theme.dpr;
        let (u, v) = square(self.u, self.v, plot_w.max(1.0) / plot_h.max(1.0));
        let field = self.field();
        let probe = self.f.value_and_gradient(pu, pv).1;
        let (u_name, v_name) = self.names();

        let (root, context) = self.canvas.begin(css_width, css_height, dpr)?;
        let (chart, frame) = axes(
            &root,
            &theme,
            u,
            v,
            &Labels {
                x: &u_name,
                y: &v_name,
                log_y: false,
                zero_lines: false,
                right: bar,
            },
        )?;
        let (lo, hi) = self.z_range;
        for (level, lines) in &self.lines {
            let color = viridis((level - lo) / (hi - lo));
            for line in lines {
                draw_curve(
                    &context,
                    &frame,
                    &theme,
                    line.iter().copied(),
                    color,
                    theme.thin_width,
                    Dash::Solid,
                );
            }
        }
        let cell = ((self.u.1 - self.u.0) / (self.density - 1) as f64) * frame.scale().0;
        let longest = field
            .iter()
            .map(|a| a.2.hypot(a.3))
            .filter(|l| l.is_finite())
            .fold(0.0, f64::max);
        // CSS pixels per unit of gradient: the longest arrow spans 85% of a cell.
        let per_unit = if longest > 0.0 {
            0.85 * cell / longest
        } else {
            0.0
        };
        arrows(
            &context,
            &frame,
            &theme,
            &field,
            per_unit,
            theme.arrow,
            theme.thin_width,
        );
        let sign = if self.descent { -1.0 } else { 1.0 };
        let shown = [(pu, pv, sign * probe[0], sign * probe[1])];
        // The probe's arrow is at least 44 CSS pixels long, so that it shows even where the
        // field is gentle; its direction is what matters.
        let probe_length = probe[0].hypot(probe[1]);
        let probe_scale = if probe_length > 0.0 {
            per_unit.max(44.0 / probe_length)
        } else {
            0.0
        };
        arrows(
            &context,
            &frame,
            &theme,
            &shown,
            probe_scale,
            theme.tangent,
            theme.curve_width,
        );
        dot(&context, &frame, &theme, pu, pv);
        dial(&context, &frame, &theme, probe);
        colour_bar(&context, &theme, css_width, &frame, self.z_range);
        let what = if self.pitfall {
            "np.gradient (swapped)"
        } else if self.descent {
            "−∇f"
        } else {
            "∇f"
        };
        let scale_text = if per_unit > 0.0 {
            format!(
                "{what}: a cell's length = |∇f| of {}",
                format_number(cell / per_unit)
            )
        } else {
            format!("{what}: 0 everywhere")
        };
        caption(&context, &theme, &frame, &scale_text);
        drop(chart);
        super::drawing(root.present())?;
        drop(root);
        self.canvas.frame = Some(frame);
        Ok(())
    }
}

impl GradientField {
    fn names(&self) -> (String, String) {
        let (u, v) = self.f.axes();
        (u.to_string(), v.to_string())
    }

    /// Traces the level lines of f over the range once, for every redraw to reuse.
    fn trace(&mut self) {
        let grid: Grid = self.f.grid(self.u, self.v, CONTOUR_GRID, CONTOUR_GRID);
        let (lo, hi) = grid.finite_range().unwrap_or((0.0, 1.0));
        self.z_range = if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, lo + 1.0)
        };
        self.lines = levels_for(&grid, self.z_range)
            .into_iter()
            .map(|level| (level, contour_lines(&grid, level)))
            .collect();
    }

    /// (u, v, arrow u, arrow v) on the arrow grid: ∇f exactly (or −∇f), or the pitfall's
    /// swapped, per-grid-step numpy values.
    fn field(&mut self) -> Vec<(f64, f64, f64, f64)> {
        let n = self.density;
        if self.pitfall {
            let grid = self.f.grid(self.u, self.v, n, n);
            let (along_rows, along_columns) = grid.numpy_gradient();
            // dZ_dw, dZ_db = np.gradient(Z): the first output (along rows, that is along b)
            // is taken for w, the second (along w) for b.
            return (0..n * n)
                .map(|k| {
                    let (i, j) = (k % n, k / n);
                    let get = |a: &Vec<f64>| a.get(k).copied().unwrap_or(f64::NAN);
                    (
                        grid.u_at(i),
                        grid.v_at(j),
                        get(&along_rows),
                        get(&along_columns),
                    )
                })
                .collect();
        }
        let sign = if self.descent { -1.0 } else { 1.0 };
        self.f
            .gradient_field(self.u, self.v, n, n)
            .into_iter()
            .map(|(u, v, du, dv)| (u, v, sign * du, sign * dv))
            .collect()
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
    values.sort_by(f64::total_cmp);
    let median = values.get(values.len() / 2).copied().unwrap_or(lo);
    if median - lo > 0.1 * (hi - lo) {
        return nice_levels(lo, hi, LEVELS);
    }
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

/// Arrows from each (u, v) along (du, dv), `per_unit` CSS pixels per unit of gradient, as one
/// stroked path of shafts and one filled path of heads.
fn arrows(
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
    let css = format!("rgb({},{},{})", color.0, color.1, color.2);
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
        let h = head.min(head * 2.0);
        context.move_to(x, y);
        context.line_to(x - ux * h - uy * h * 0.5, y - uy * h + ux * h * 0.5);
        context.line_to(x - ux * h + uy * h * 0.5, y - uy * h - ux * h * 0.5);
        context.close_path();
    }
    context.fill();
    context.restore();
}

fn dot(context: &CanvasRenderingContext2d, frame: &Frame, theme: &Theme, u: f64, v: f64) {
    let s = theme.dpr;
    let (x, y) = frame.to_css(u, v);
    let r = f64::from(theme.point_radius);
    frame.clip(context, s);
    context.begin_path();
    let _ = context.arc(x * s, y * s, r + 2.0 * s, 0.0, std::f64::consts::TAU);
    context.set_fill_style_str(&format!(
        "rgb({},{},{})",
        theme.background.0, theme.background.1, theme.background.2
    ));
    context.fill();
    context.begin_path();
    let _ = context.arc(x * s, y * s, r, 0.0, std::f64::consts::TAU);
    context.set_fill_style_str(&format!(
        "rgb({},{},{})",
        theme.tangent.0, theme.tangent.1, theme.tangent.2
    ));
    context.fill();
    context.restore();
}

/// The compass: ∇f·u for 24 unit directions u around a circle, as rays from the centre
/// (longer for steeper, uphill in the arrow colour, downhill in the minimum colour). The
/// longest points along ∇f, and the ones at right angles to it have length 0: the level line.
fn dial(context: &CanvasRenderingContext2d, frame: &Frame, theme: &Theme, gradient: [f64; 2]) {
    let s = theme.dpr;
    let radius = 34.0 * s;
    let (cx, cy) = (
        (frame.left + 12.0) * s + radius,
        (frame.top + 12.0) * s + radius,
    );
    let norm = gradient[0].hypot(gradient[1]);
    let rgb = |c: RGBColor| format!("rgb({},{},{})", c.0, c.1, c.2);
    context.save();
    context.begin_path();
    let _ = context.arc(cx, cy, radius + 6.0 * s, 0.0, std::f64::consts::TAU);
    context.set_fill_style_str(&rgb(theme.background));
    context.set_global_alpha(0.9);
    context.fill();
    context.set_global_alpha(1.0);
    context.set_stroke_style_str(&rgb(theme.grid));
    context.set_line_width(f64::from(theme.grid_width));
    context.stroke();
    if norm.is_finite() && norm > 0.0 {
        for k in 0..24 {
            let angle = std::f64::consts::TAU * f64::from(k) / 24.0;
            let (ux, uy) = (angle.cos(), angle.sin());
            let slope = gradient[0] * ux + gradient[1] * uy;
            let length = radius * slope.abs() / norm;
            context.begin_path();
            context.move_to(cx, cy);
            context.line_to(cx + ux * length, cy - uy * length);
            context.set_stroke_style_str(&rgb(if slope >= 0.0 {
                theme.arrow
            } else {
                theme.minimum
            }));
            context.stroke();
        }
        context.begin_path();
        context.move_to(cx, cy);
        context.line_to(
            cx + radius * gradient[0] / norm,
            cy - radius * gradient[1] / norm,
        );
        context.set_stroke_style_str(&rgb(theme.tangent));
        context.set_line_width(f64::from(theme.curve_width));
        context.stroke();
    }
    context.set_fill_style_str(&rgb(theme.muted_text));
    context.set_font(&format!("{}px {}", theme.label_font, theme.font_family));
    context.set_text_align("center");
    context.set_text_baseline("top");
    let _ = context.fill_text("∇f·u", cx, cy + radius + 8.0 * s);
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
        let c = viridis(1.0 - t);
        context.set_fill_style_str(&format!("rgb({},{},{})", c.0, c.1, c.2));
        let y = top + (bottom - top) * t;
        context.fill_rect(x, y, width, (bottom - top) / f64::from(steps) + 1.0);
    }
    context.set_fill_style_str(&format!(
        "rgb({},{},{})",
        theme.muted_text.0, theme.muted_text.1, theme.muted_text.2
    ));
    context.set_font(&format!("{}px {}", theme.label_font, theme.font_family));
    context.set_text_align("center");
    context.set_text_baseline("bottom");
    let _ = context.fill_text(&super::tick_label(z.1), x + width / 2.0, top - 3.0 * s);
    context.set_text_baseline("top");
    let _ = context.fill_text(&super::tick_label(z.0), x + width / 2.0, bottom + 3.0 * s);
}

fn caption(context: &CanvasRenderingContext2d, theme: &Theme, frame: &Frame, text: &str) {
    let s = theme.dpr;
    context.set_fill_style_str(&format!(
        "rgb({},{},{})",
        theme.muted_text.0, theme.muted_text.1, theme.muted_text.2
    ));
    context.set_font(&format!("{}px {}", theme.label_font, theme.font_family));
    context.set_text_align("right");
    context.set_text_baseline("bottom");
    let _ = context.fill_text(text, frame.right * s - 4.0 * s, frame.bottom * s - 4.0 * s);
}

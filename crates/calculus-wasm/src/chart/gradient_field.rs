//! Chapter 3's compass: level lines of f(w, b), the gradient field as arrows, and a probe with
//! its gradient and a dial of directional derivatives ∇f·u.
//!
//! The map keeps one unit of w as long as one unit of b on screen, so that arrows cross the
//! level lines at the right angles the chapter promises. Arrows are scaled together: the longest
//! is most of a grid cell, and the legend says what a cell's length stands for.
//!
//! Beside it, on a second canvas, the same map can show the field of the classic pitfall,
//! `dZ_dw, dZ_db = np.gradient(Z)`: components swapped and counted per grid step.
//!
//! ```js
//! const chart = new GradientField(canvas);   // w^2 + b^2 on [-10, 10]², probe at (3, 4)
//! chart.setProbe(3, 4);
//! chart.draw(640, 480, devicePixelRatio, false);
//! chart.readout();   // "at (w, b) = (3.00, 4.00): f = 25.00, ∇f = … = [6.00, 8.00], …"
//! chart.attachPitfall(otherCanvas);
//! chart.drawPitfall(320, 320, devicePixelRatio, false);   // the wrong picture, beside it
//! ```

use crate::convert::Float64Array;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::canvas::{Canvas, DrawError, DrawResult, Figure, Pen, View};
use super::contour_map::ContourMap;
use super::theme::css;
use super::{format_number, spot, Frame, LabelBox, Plot};
use crate::convert::float64_array;
use crate::figure;

#[wasm_bindgen]
pub struct GradientField {
    canvas: Canvas,
    /// The pitfall's picture, beside the exact one (`attachPitfall`).
    pitfall: Option<Pitfall>,
    map: ContourMap,
    /// The probe: where the gradient, the dial and the readout are for.
    probe: (f64, f64),
    /// Arrows per side.
    density: usize,
    /// Arrows show −∇f, the way down (and the pitfall's picture its negative too).
    descent: bool,
    /// The arrows (sign included), kept until f, the range, the density or the direction
    /// changes: the probe moves, and the map redraws, far more often than those.
    field: Option<Vec<Arrow>>,
    /// ∇f at the probe, for the next paint (made by `prepare`).
    gradient: [f64; 2],
}

/// The np.gradient pitfall's picture: its canvas, and what it was last drawn with.
struct Pitfall {
    canvas: Canvas,
    /// Its arrows, for the next paint (made when it redraws).
    arrows: Vec<Arrow>,
    /// The size, ratio and theme it was last drawn at, until one of those changes: it does not
    /// follow the probe, so redrawing it at every probe move is waste.
    drawn: Option<View>,
}

/// The [`Figure`] of the pitfall's picture, on its own canvas beside the map.
pub struct PitfallFigure;

/// (u, v, arrow along u, arrow along v).
type Arrow = (f64, f64, f64, f64);

#[wasm_bindgen]
impl GradientField {
    /// w² + b² on [−10, 10]², the book's bowl.
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<GradientField, JsError> {
        Ok(GradientField {
            canvas: Canvas::new(canvas),
            map: ContourMap::new("w^2 + b^2")?,
            probe: (3.0, 4.0),
            pitfall: None,
            density: 11,
            descent: false,
            field: None,
            gradient: [0.0; 2],
        })
    }

    /// Replaces f (of at most two variables); on error the map keeps the last good one.
    #[wasm_bindgen(js_name = setFunction)]
    pub fn set_function(&mut self, source: &str) -> Result<(), JsError> {
        self.map.set_function(source)?;
        self.changed();
        Ok(())
    }

    #[wasm_bindgen(js_name = setRange)]
    pub fn set_range(&mut self, umin: f64, umax: f64, vmin: f64, vmax: f64) -> Result<(), JsError> {
        self.map.set_range(umin, umax, vmin, vmax)?;
        self.changed();
        Ok(())
    }

    /// Arrows per side, 3 to 40.
    #[wasm_bindgen(js_name = setDensity)]
    pub fn set_density(&mut self, arrows: u32) -> Result<(), JsError> {
        if !(3..=40).contains(&arrows) {
            return Err(JsError::new("arrows per side must be between 3 and 40"));
        }
        self.density = arrows as usize;
        self.changed();
        Ok(())
    }

    #[wasm_bindgen(js_name = setDescent)]
    pub fn set_descent(&mut self, descent: bool) {
        self.descent = descent;
        self.changed();
    }

    /// Moves the probe to (w, b).
    #[wasm_bindgen(js_name = setProbe)]
    pub fn set_probe(&mut self, w: f64, b: f64) {
        self.probe = (w, b);
    }

    /// The canvas that `drawPitfall` draws the np.gradient pitfall's picture on.
    #[wasm_bindgen(js_name = attachPitfall)]
    pub fn attach_pitfall(&mut self, canvas: HtmlCanvasElement) {
        self.pitfall = Some(Pitfall {
            canvas: Canvas::new(canvas),
            arrows: Vec::new(),
            drawn: None,
        });
    }

    /// The two variables, as `"w,b"`: horizontal axis first.
    #[wasm_bindgen(getter)]
    pub fn axes(&self) -> String {
        let (u, v) = self.map.names();
        format!("{u},{v}")
    }

    /// The arrows of the map, flat: `[u, v, du, dv, …]`, before scaling: ∇f exactly (or −∇f).
    pub fn arrows(&mut self) -> Float64Array {
        float64_array(&flatten(self.field()))
    }

    /// The arrows of the pitfall's picture, flat as `arrows()`: what
    /// `dZ_dw, dZ_db = np.gradient(Z)` gives on the arrow grid (negated for −∇f).
    #[wasm_bindgen(js_name = pitfallArrows)]
    pub fn pitfall_arrows(&mut self) -> Float64Array {
        float64_array(&flatten(&self.pitfall_field()))
    }

    /// The contour levels, lowest first.
    pub fn levels(&self) -> Float64Array {
        float64_array(&self.map.levels())
    }

    /// Every point of the level lines at `levels()[index]`, flat: `[u, v, …]`.
    #[wasm_bindgen(js_name = contourPoints)]
    pub fn contour_points(&self, index: usize) -> Float64Array {
        float64_array(&self.map.contour_points(index))
    }

    /// `∇f(3.00, 4.00) = [6.00, 8.00], ‖∇f‖ = 10.00` at the probe.
    pub fn readout(&mut self) -> String {
        let (u, v) = self.map.names();
        let (pu, pv) = self.probe;
        let (value, [du, dv]) = self.map.f.value_and_gradient(pu, pv);
        if !value.is_finite() {
            return format!(
                "f is undefined at ({}, {})",
                format_number(pu),
                format_number(pv)
            );
        }
        format!(
            "at ({u}, {v}) = ({}, {}): f = {}, ∇f = [∂f/∂{u}, ∂f/∂{v}] = [{}, {}], ‖∇f‖ = {}",
            format_number(pu),
            format_number(pv),
            format_number(value),
            format_number(du),
            format_number(dv),
            format_number(du.hypot(dv))
        )
    }

    pub fn describe(&mut self) -> String {
        let (u, v) = self.map.names();
        let arrows = if self.descent {
            "arrows of −∇f, pointing downhill"
        } else {
            "arrows of ∇f, pointing uphill"
        };
        let probe = self.readout();
        format!(
            "Contour map of f({u}, {v}) = {} with {} level lines and {arrows}. Probe {probe}.",
            self.map.spoken,
            self.map.levels().len(),
        )
    }

    /// The pitfall's picture in words, for its `aria-label`.
    #[wasm_bindgen(js_name = describePitfall)]
    pub fn describe_pitfall(&self) -> String {
        let (u, v) = self.map.names();
        let n = self.density;
        let step = (self.map.u.1 - self.map.u.0) / (n - 1) as f64;
        let minus = if self.descent { "minus " } else { "" };
        format!(
            "The np.gradient pitfall, beside the exact field: the same contour map of f({u}, {v}) = {} with arrows of {minus}dZ_d{u}, dZ_d{v} = np.gradient(Z) on the {n} × {n} arrow grid. The first output is the slope along the rows, that is along {v}, so the components are swapped; and it is change per grid step ({}), not per unit.",
            self.map.spoken,
            format_number(step)
        )
    }
}

impl Figure for GradientField {
    fn canvas(&self) -> DrawResult<&Canvas> {
        Ok(&self.canvas)
    }

    fn prepare(&mut self, _view: &View) -> Result<(), JsError> {
        let (pu, pv) = self.probe;
        self.gradient = self.map.f.value_and_gradient(pu, pv).1;
        self.field(); // filled in here, then read by paint
        Ok(())
    }

    /// The map, the field's arrows, the probe with its arrow, and the dial.
    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let (gradient, (pu, pv)) = (self.gradient, self.probe);
        let frame = self.map.draw(pen)?;
        let plot = pen.plot(&frame);
        let per_unit = self.quiver(&plot, self.field.as_deref().unwrap_or_default());
        self.probe_arrow(&plot, gradient, per_unit);
        dial(&plot, gradient);
        let what = if self.descent { "−∇f" } else { "∇f" };
        let scale = if per_unit > 0.0 {
            let norm = format_number(self.cell(&frame) / per_unit);
            [
                format!("{what}: a cell's length = ‖∇f‖ of {norm}"),
                format!("a cell = ‖∇f‖ of {norm}"),
            ]
        } else {
            [format!("{what}: 0 everywhere"), format!("{what} = 0")]
        };
        // Clear of the probe, and of the compass in the top-left corner.
        let compass = (frame.left + 40.0, frame.top + 20.0);
        let keep_clear = [spot(frame.to_css(pu, pv)), spot(compass)];
        fitted_caption(&plot, &scale, &keep_clear);
        Ok(frame)
    }
}

/// The pitfall's picture on the attached canvas: the same map, with the arrows of
/// `dZ_dw, dZ_db = np.gradient(Z)` (or their negative, beside −∇f) scaled like the map's.
impl Figure<PitfallFigure> for GradientField {
    fn canvas(&self) -> DrawResult<&Canvas> {
        let pitfall = self.pitfall.as_ref().map(|p| &p.canvas);
        pitfall.ok_or_else(|| {
            DrawError("no canvas for the pitfall: call attachPitfall(canvas) first".into())
        })
    }

    fn prepare(&mut self, _view: &View) -> Result<(), JsError> {
        let arrows = self.pitfall_field();
        if let Some(pitfall) = &mut self.pitfall {
            pitfall.arrows = arrows;
        }
        Ok(())
    }

    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let frame = self.map.draw(pen)?;
        let plot = pen.plot(&frame);
        let arrows = self.pitfall.as_ref().map(|p| &p.arrows[..]);
        let per_unit = self.quiver(&plot, arrows.unwrap_or_default());
        let scale = if per_unit > 0.0 {
            let per_step = format_number(self.cell(&frame) / per_unit);
            [
                format!("np.gradient: a cell's length = {per_step} per grid step"),
                format!("a cell = {per_step} per step"),
            ]
        } else {
            [
                "np.gradient: 0 everywhere".to_string(),
                "np.gradient = 0".to_string(),
            ]
        };
        fitted_caption(&plot, &scale, &[]);
        Ok(frame)
    }

    /// Only when its size, ratio or theme changed, or what it shows (see [`Pitfall::drawn`]).
    fn redraw(&mut self, view: View) -> Result<(), JsError> {
        if self.pitfall.as_ref().is_some_and(|p| p.drawn == Some(view)) {
            return Ok(());
        }
        <Self as Figure<PitfallFigure>>::prepare(self, &view)?;
        let canvas = <Self as Figure<PitfallFigure>>::canvas(self)?;
        canvas.draw(view, |pen| {
            <Self as Figure<PitfallFigure>>::paint(self, pen)
        })?;
        if let Some(pitfall) = &mut self.pitfall {
            pitfall.drawn = Some(view);
        }
        Ok(())
    }
}

figure!(GradientField);
figure!(GradientField as PitfallFigure: draw_pitfall = drawPitfall, pitfall_frame = pitfallFrame);

impl GradientField {
    /// f, the range, the density or the direction changed: the arrows and the pitfall's
    /// picture are made again.
    fn changed(&mut self) {
        self.field = None;
        if let Some(pitfall) = &mut self.pitfall {
            pitfall.drawn = None;
        }
    }

    /// (u, v, arrow u, arrow v) on the arrow grid: ∇f exactly, or −∇f.
    fn field(&mut self) -> &[Arrow] {
        let (map, n) = (&mut self.map, self.density);
        let sign = if self.descent { -1.0 } else { 1.0 };
        self.field.get_or_insert_with(|| {
            map.f
                .gradient_field(map.u, map.v, n, n)
                .into_iter()
                .map(|(u, v, du, dv)| (u, v, sign * du, sign * dv))
                .collect()
        })
    }

    /// (u, v, arrow u, arrow v) on the arrow grid as the pitfall draws them: the swapped,
    /// per-grid-step numpy values (negated for −∇f).
    fn pitfall_field(&mut self) -> Vec<Arrow> {
        let n = self.density;
        let sign = if self.descent { -1.0 } else { 1.0 };
        let grid = self.map.f.grid(self.map.u, self.map.v, n, n);
        let (along_rows, along_columns) = grid.numpy_gradient();
        // dZ_dw, dZ_db = np.gradient(Z): the first output (along rows, that is along b) is
        // taken for w, the second (along w) for b.
        (0..n * n)
            .map(|k| {
                let (i, j) = (k % n, k / n);
                let get = |a: &Vec<f64>| sign * a.get(k).copied().unwrap_or(f64::NAN);
                (
                    grid.u_at(i),
                    grid.v_at(j),
                    get(&along_rows),
                    get(&along_columns),
                )
            })
            .collect()
    }

    /// The length of one cell of the arrow grid, in CSS pixels.
    fn cell(&self, frame: &Frame) -> f64 {
        ((self.map.u.1 - self.map.u.0) / (self.density - 1) as f64) * frame.scale().0
    }

    /// Draws a field's arrows scaled together, the longest 85% of a cell; returns the scale in
    /// CSS pixels per unit of the field (0 when the field is 0 everywhere).
    fn quiver(&self, plot: &Plot, field: &[Arrow]) -> f64 {
        let longest = field
            .iter()
            .map(|a| a.2.hypot(a.3))
            .filter(|l| l.is_finite())
            .fold(0.0, f64::max);
        let per_unit = if longest > 0.0 {
            0.85 * self.cell(plot.frame) / longest
        } else {
            0.0
        };
        plot.arrows(field, per_unit, plot.theme.arrow, plot.theme.thin_width);
        per_unit
    }

    /// The probe and its arrow of ∇f (or −∇f), at least 44 CSS pixels long so that it shows
    /// even where the field is gentle: its direction is what matters.
    fn probe_arrow(&self, plot: &Plot, gradient: [f64; 2], per_unit: f64) {
        let (theme, at) = (plot.theme, self.probe);
        let sign = if self.descent { -1.0 } else { 1.0 };
        let shown = [(at.0, at.1, sign * gradient[0], sign * gradient[1])];
        let length = gradient[0].hypot(gradient[1]);
        let scale = if length > 0.0 {
            per_unit.max(44.0 / length)
        } else {
            0.0
        };
        plot.arrows(&shown, scale, theme.tangent, theme.curve_width);
        plot.dot(at, theme.tangent);
    }
}

fn flatten(field: &[Arrow]) -> Vec<f64> {
    field
        .iter()
        .flat_map(|&(u, v, du, dv)| [u, v, du, dv])
        .collect()
}

/// The first of `texts` that fits across the plot (the last one if none does), as the map's
/// caption.
fn fitted_caption(plot: &Plot, texts: &[String], keep_clear: &[LabelBox]) {
    let (context, theme, frame) = (plot.context, plot.theme, plot.frame);
    context.set_font(&theme.css_font(theme.label_font));
    let room = (frame.right - frame.left - 8.0) * theme.dpr;
    let text = texts
        .iter()
        .find(|t| context.measure_text(t).is_ok_and(|m| m.width() <= room))
        .or(texts.last());
    if let Some(text) = text {
        plot.caption(text, keep_clear);
    }
}

/// The compass: ∇f·u for 24 unit directions u around a circle, as rays from the centre
/// (longer for steeper, uphill in the arrow colour, downhill in the minimum colour). The
/// longest points along ∇f, and the ones at right angles to it have length 0: the level line.
fn dial(plot: &Plot, gradient: [f64; 2]) {
    let (context, theme, frame) = (plot.context, plot.theme, plot.frame);
    let s = theme.dpr;
    // Smaller on a small map (the pitfall's picture beside it halves the width).
    let radius = 34f64.min(0.12 * (frame.right - frame.left)) * s;
    let (cx, cy) = (
        (frame.left + 12.0) * s + radius,
        (frame.top + 12.0) * s + radius,
    );
    let norm = gradient[0].hypot(gradient[1]);
    context.save();
    context.begin_path();
    let _ = context.arc(cx, cy, radius + 6.0 * s, 0.0, std::f64::consts::TAU);
    context.set_fill_style_str(&css(theme.background));
    context.set_global_alpha(0.9);
    context.fill();
    context.set_global_alpha(1.0);
    context.set_stroke_style_str(&css(theme.grid));
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
            context.set_stroke_style_str(&css(if slope >= 0.0 {
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
        context.set_stroke_style_str(&css(theme.tangent));
        context.set_line_width(f64::from(theme.curve_width));
        context.stroke();
    }
    // Named below the disc, on a patch of background like the map's captions: the level
    // lines run on underneath.
    let name = "∇f·u";
    context.set_font(&theme.css_font(theme.label_font));
    let width = context.measure_text(name).map(|m| m.width()).unwrap_or(0.0);
    let bottom = cy + radius + 8.0 * s + theme.label_font;
    plot.backing(cx - width / 2.0, bottom, width);
    context.set_fill_style_str(&css(theme.muted_text));
    context.set_text_align("center");
    context.set_text_baseline("bottom");
    let _ = context.fill_text(name, cx, bottom);
    context.restore();
}

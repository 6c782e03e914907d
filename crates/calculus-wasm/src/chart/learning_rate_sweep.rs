//! The final loss after N steps of plain descent against the learning rate, with the
//! too-small, good and diverging regions and the critical rate 2/L.
//!
//! ```js
//! const sweep = new LearningRateSweep(canvas);
//! sweep.compute(8, 9, 100);                    // 200 rates from 0.001 to 2
//! sweep.criticalRate;                          // 1 for w^2 + b^2 (L = 2)
//! ```

use crate::convert::Float64Array;
use calculus::descent::{Optimizer, SweepPoint};
use calculus::sweep::{Region, Sweep, RATES};
use calculus::view::{y_range, LossScale};
use plotters::prelude::RGBColor;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::canvas::{Canvas, DrawResult, Figure, Pen};
use super::contour_map::ContourMap;
use super::marks::Plot;
use super::path::{checked_iterations, landscape, point_text, Runner};
use super::theme::css;
use super::{axes, format_significant, Dash, Frame, Labels};
use crate::convert::{float64_array, js_error};
use crate::figure;

/// The final loss after N steps of plain descent against the learning rate, log-log, with
/// the too-small, good and diverging regions and the critical rate 2/L.
#[wasm_bindgen]
pub struct LearningRateSweep {
    canvas: Canvas,
    map: ContourMap,
    runner: Runner,
    /// The last `compute`'s sweep; `None` until then, or after f changes.
    sweep: Option<Sweep>,
    /// Where the runs start, on the map.
    start: (f64, f64),
    /// Where the best run ended, on the map: where L was measured.
    best_end: Option<(f64, f64)>,
    /// The lab's learning rate, marked on the sweep.
    rate: f64,
}

#[wasm_bindgen]
impl LearningRateSweep {
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<LearningRateSweep, JsError> {
        let (map, runner) = landscape("w^2 + b^2", None)?;
        Ok(LearningRateSweep {
            canvas: Canvas::new(canvas),
            runner,
            map,
            sweep: None,
            start: (0.0, 0.0),
            best_end: None,
            rate: f64::NAN,
        })
    }

    #[wasm_bindgen(js_name = setFunction)]
    pub fn set_function(&mut self, source: &str) -> Result<(), JsError> {
        (self.map, self.runner) = landscape(source, Some(&self.map))?;
        self.sweep = None;
        Ok(())
    }

    /// Runs `steps` steps from (u, v) at each of 200 rates spaced evenly in log from 0.001
    /// to 2, and finds the critical rate 2/L where the best of them ended.
    pub fn compute(&mut self, u: f64, v: f64, steps: u32) -> Result<(), JsError> {
        let steps = checked_iterations(steps)?;
        self.sweep = None;
        let start = self.runner.inputs((u, v));
        let sweep = Sweep::run(&mut self.runner.descender, &start, steps).map_err(js_error)?;
        self.best_end = (sweep.best_end.as_ref()).map(|end| self.runner.on_map(end, (u, v)));
        self.start = (u, v);
        self.sweep = Some(sweep);
        Ok(())
    }

    /// 2/L at the best run's end, or NaN where f does not curve upwards there.
    #[wasm_bindgen(getter, js_name = criticalRate)]
    pub fn critical_rate(&self) -> f64 {
        self.critical().unwrap_or(f64::NAN)
    }

    /// The sweep, flat: `[rate, final loss, step it diverged at or −1, …]`.
    #[wasm_bindgen(js_name = points)]
    pub fn points_flat(&self) -> Float64Array {
        let flat: Vec<f64> = self
            .points()
            .iter()
            .flat_map(|p| {
                [
                    p.learning_rate,
                    p.loss,
                    p.diverged_at.map_or(-1.0, |k| k as f64),
                ]
            })
            .collect();
        float64_array(&flat)
    }

    /// What the sweep says about `rate` (the lab's), in words.
    pub fn readout(&mut self, rate: f64) -> String {
        let critical = match (self.critical(), self.best_end) {
            (Some(c), Some((u, v))) => {
                // The best run ends at the minimum to within 10⁻¹⁹⁴ or so: say "(0, 0)".
                let shown = |x: f64| if x.abs() < 1e-9 { 0.0 } else { x };
                format!(
                    "Critical rate 2/L = {} (L, the largest curvature, measured where the best run ended, {}).",
                    format_significant(c, 4),
                    point_text((shown(u), shown(v)))
                )
            }
            _ => "f does not curve upwards where the best run ended, so no critical rate."
                .to_string(),
        };
        let (steps, start_loss) = self
            .sweep
            .as_ref()
            .map_or((0, f64::NAN), |s| (s.steps, s.start_loss));
        let run = self.runner.run(self.start, rate, steps, Optimizer::Gd).ok();
        let outcome = match run {
            None => "no run".to_string(),
            Some(run) => match (run.diverged_at(), run.loss.last()) {
                (Some(k), _) => format!("diverges at step {k}"),
                (None, Some(&f)) => format!(
                    "ends at loss {} after {} steps (from {})",
                    format_significant(f, 3),
                    steps,
                    format_significant(start_loss, 3)
                ),
                (None, None) => "no run".to_string(),
            },
        };
        format!(
            "Learning rate {}: {outcome}. {critical}",
            format_significant(rate, 3)
        )
    }

    /// What the chart shows, for its label; the readout of a rate goes after it.
    pub fn describe(&self) -> String {
        format!(
            "Final loss after {} steps of gradient descent on f = {} against the learning rate from 0.001 to 2, both on log scales.",
            self.sweep.as_ref().map_or(100, |s| s.steps),
            self.map.spoken,
        )
    }

    /// Marks the lab's learning rate on the sweep.
    #[wasm_bindgen(js_name = setRate)]
    pub fn set_rate(&mut self, rate: f64) {
        self.rate = rate;
    }
}

impl LearningRateSweep {
    fn points(&self) -> &[SweepPoint] {
        self.sweep.as_ref().map_or(&[], |s| &s.points)
    }

    fn critical(&self) -> Option<f64> {
        self.sweep.as_ref().and_then(|s| s.critical_rate)
    }

    /// Diverged runs have no final loss: a cross along the top for each.
    fn crosses(&self, plot: &Plot) {
        let (context, frame, s) = (plot.context, plot.frame, plot.theme.dpr);
        context.set_stroke_style_str(&css(plot.theme.arrow));
        context.set_line_width(f64::from(plot.theme.thin_width));
        context.begin_path();
        for p in self.points().iter().filter(|p| p.diverged_at.is_some()) {
            let (px, _) = frame.axis_to_css(p.learning_rate.log10(), frame.y.1);
            let py = frame.top + 8.0;
            context.move_to((px - 3.0) * s, (py - 3.0) * s);
            context.line_to((px + 3.0) * s, (py + 3.0) * s);
            context.move_to((px + 3.0) * s, (py - 3.0) * s);
            context.line_to((px - 3.0) * s, (py + 3.0) * s);
        }
        context.stroke();
    }

    /// The critical rate 2/L and the lab's rate, as named vertical lines.
    fn markers(&self, plot: &Plot, curve: &[(f64, f64)]) {
        let (frame, theme) = (plot.frame, plot.theme);
        // A marker's name goes at the top of the plot (below the regions' names) or at its
        // bottom, whichever the curve crosses less near the marker: the good rates end near
        // zero, the rates around 2/L high.
        let quieter_at_top = |x10: f64| {
            let (cx, _) = frame.axis_to_css(x10, frame.y.0);
            let band = 2.0 * 1.4 * theme.label_font / theme.dpr;
            let (mut top, mut bottom) = (0, 0);
            for &(u, v) in curve.iter().filter(|(_, v)| v.is_finite()) {
                let (px, py) = frame.axis_to_css(u, v);
                if (px - cx).abs() < 90.0 {
                    top += usize::from(py < frame.top + 34.0 + band);
                    bottom += usize::from(py > frame.bottom - band);
                }
            }
            top < bottom
        };
        let in_range = |c: &f64| (RATES.0..=RATES.1).contains(c);
        if let Some(c) = self.critical().filter(in_range) {
            let (c10, text) = (c.log10(), format!("2/L = {}", format_significant(c, 3)));
            let line = (theme.arrow, theme.thin_width, Dash::Dashed);
            marker(plot, (c10, &text), line, (quieter_at_top(c10), 0.0));
        }
        let rate = self.rate;
        if rate.is_finite() && rate > 0.0 {
            let r10 = super::clamp(rate.log10(), frame.x.0, frame.x.1);
            let text = format!("η = {}", format_significant(rate, 3));
            let line = (theme.tangent, theme.curve_width, Dash::Solid);
            marker(plot, (r10, &text), line, (quieter_at_top(r10), 1.0));
        }
    }
}

impl Figure for LearningRateSweep {
    fn canvas(&self) -> DrawResult<&Canvas> {
        Ok(&self.canvas)
    }

    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let (values, start, scale, regions) = match &self.sweep {
            Some(s) => (s.scaled_losses(), s.scaled_start(), s.scale, &s.regions[..]),
            None => (Vec::new(), f64::NAN, LossScale::for_losses(&[]), &[][..]),
        };
        let y = y_range(values.iter().flatten().copied().chain([start]));
        let y = (y.0, y.1 + 0.12 * (y.1 - y.0));
        let x = (RATES.0.log10(), RATES.1.log10());
        let labels = Labels {
            log_y: scale.log,
            log_x: true,
            ..Labels::new("learning rate (log scale)", "final loss")
        };
        let curve: Vec<(f64, f64)> = (self.points().iter().zip(&values))
            .map(|(p, v)| (p.learning_rate.log10(), v.unwrap_or(f64::NAN)))
            .collect();
        let (_, frame) = axes(&pen.area, &pen.theme, x, y, &labels)?;
        let (plot, theme) = (pen.plot(&frame), &pen.theme);
        shade(&plot, self.points(), regions);
        // The start's loss: above this line a run ended worse off than it began.
        let level = [(x.0, start), (x.1, start)];
        plot.curve(level, theme.axis, theme.grid_width, Dash::Dashed);
        plot.curve(
            curve.iter().copied(),
            theme.curve,
            theme.curve_width,
            Dash::Solid,
        );
        self.crosses(&plot);
        self.markers(&plot, &curve);
        Ok(frame)
    }
}

figure!(LearningRateSweep);

/// Tints each region's span of rates and names it along the top.
fn shade(plot: &Plot, points: &[SweepPoint], regions: &[Region]) {
    let (context, theme, frame) = (plot.context, plot.theme, plot.frame);
    let s = theme.dpr;
    let x_of = |i: usize| {
        points
            .get(i)
            .map_or(frame.x.1, |p: &SweepPoint| p.learning_rate.log10())
    };
    let mut i = 0;
    // Each name's left and right edges, CSS pixels, so that a name spilling out of its span
    // never covers another's.
    let mut named: Vec<(f64, f64)> = Vec::new();
    frame.clip(context, s);
    while let Some(&region) = regions.get(i) {
        let mut j = i;
        while regions.get(j + 1) == Some(&region) {
            j += 1;
        }
        // Spans meet halfway between neighbouring rates.
        let left = if i == 0 {
            frame.x.0
        } else {
            (x_of(i - 1) + x_of(i)) / 2.0
        };
        let right = if j + 1 >= regions.len() {
            frame.x.1
        } else {
            (x_of(j) + x_of(j + 1)) / 2.0
        };
        let (x0, _) = frame.axis_to_css(left, frame.y.0);
        let (x1, _) = frame.axis_to_css(right, frame.y.0);
        let (color, name) = match region {
            Region::TooSmall => (theme.axis, "too small"),
            Region::Good => (theme.minimum, "good"),
            Region::TooLarge => (theme.secant, "too large"),
            Region::Diverges => (theme.arrow, "diverges"),
        };
        context.set_global_alpha(0.10);
        context.set_fill_style_str(&css(color));
        context.fill_rect(
            x0 * s,
            frame.top * s,
            (x1 - x0) * s,
            (frame.bottom - frame.top) * s,
        );
        context.set_global_alpha(1.0);
        context.set_font(&theme.css_font(theme.label_font));
        let width = context.measure_text(name).map(|m| m.width()).unwrap_or(0.0) / s;
        // Centred in its span; a span too narrow for its name at either end of the plot (the
        // rates that diverge, past 2/L) has it against the plot's edge, reaching into the
        // next span where that span's own name leaves room.
        let left = if width + 8.0 < x1 - x0 {
            Some((x0 + x1 - width) / 2.0)
        } else if j + 1 >= regions.len() {
            Some(frame.right - 4.0 - width)
        } else if i == 0 {
            Some(frame.left + 4.0)
        } else {
            None
        };
        let clear = |l: f64| {
            named
                .iter()
                .all(|&(a, b)| l + width + 6.0 < a || l > b + 6.0)
        };
        if let Some(l) = left.filter(|&l| l >= frame.left && clear(l)) {
            context.set_fill_style_str(&css(theme.muted_text));
            context.set_text_align("left");
            context.set_text_baseline("top");
            let _ = context.fill_text(name, l * s, (frame.top + 18.0) * s);
            named.push((l, l + width));
        }
        i = j + 1;
    }
    context.restore();
}

/// A vertical line at x (axis units) named by `text`: `(top, row)` puts the name at the top
/// of the plot (below the regions' names) or at its bottom, `row` names further in.
fn marker(
    plot: &Plot,
    (x, text): (f64, &str),
    (color, width, dash): (RGBColor, u32, Dash),
    (top, row): (bool, f64),
) {
    let (frame, theme) = (plot.frame, plot.theme);
    plot.vertical(x, color, width, dash);
    let s = theme.dpr;
    let line = 1.4 * theme.label_font / s;
    // The text's bottom edge, in CSS pixels: the regions' names take the top 32.
    let bottom = if top {
        frame.top + 34.0 + (row + 1.0) * line
    } else {
        frame.bottom - 4.0 - row * line
    };
    label(
        plot,
        (frame.axis_to_css(x, frame.y.0).0, bottom),
        text,
        color,
    );
}

/// Text in `color` beside a vertical line at `at.0`, its bottom edge at `at.1` (CSS pixels).
fn label(plot: &super::Plot, at: (f64, f64), text: &str, color: RGBColor) {
    let (context, theme) = (plot.context, plot.theme);
    let s = theme.dpr;
    context.save();
    context.set_font(&theme.css_font(theme.label_font));
    let width = context.measure_text(text).map(|m| m.width()).unwrap_or(0.0);
    // Right of the line, unless that would run off the canvas.
    let canvas_width = context
        .canvas()
        .map_or(f64::INFINITY, |c| f64::from(c.width()));
    let right = at.0 * s + 4.0 * s;
    let x = if right + width + 4.0 * s > canvas_width {
        at.0 * s - 4.0 * s - width
    } else {
        right
    };
    let y = at.1 * s;
    plot.backing(x, y, width);
    context.set_fill_style_str(&css(color));
    context.set_text_align("left");
    context.set_text_baseline("bottom");
    let _ = context.fill_text(text, x, y);
    context.restore();
}

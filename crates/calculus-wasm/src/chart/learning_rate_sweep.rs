//! The final loss after N steps of plain descent against the learning rate, with the
//! too-small, good and diverging regions and the critical rate 2/L.
//!
//! ```js
//! const sweep = new LearningRateSweep(canvas);
//! sweep.compute(8, 9, 100);                    // 200 rates from 0.001 to 2
//! sweep.criticalRate;                          // 1 for w^2 + b^2 (L = 2)
//! ```

use calculus::descent::{critical_rate, Optimizer, SweepPoint};
use js_sys::Float64Array;
use plotters::prelude::RGBColor;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::canvas::{Canvas, DrawResult, Figure, Pen};
use super::contour_map::ContourMap;
use super::marks::css;
use super::marks::Plot;
use crate::figure;

use super::{axes, format_significant, view_range, Dash, Frame, Labels};
use crate::convert::{float64_array, js_error};

use super::loss_curve::LossAxis;
use super::path::*;

/// The range of the sweep, as in the lab's slider: 0.001 to 2.
const SWEEP_RATES: (f64, f64) = (1e-3, 2.0);
/// Learning rates in a sweep (the bench's 200 × 100 steps).
const SWEEP_POINTS: usize = 200;

/// Where a rate of the sweep falls.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Region {
    TooSmall,
    Good,
    TooLarge,
    Diverges,
}

/// The final loss after N steps of plain descent against the learning rate, log-log, with
/// the too-small, good and diverging regions and the critical rate 2/L.
#[wasm_bindgen]
pub struct LearningRateSweep {
    canvas: Canvas,
    map: ContourMap,
    runner: Runner,
    points: Vec<SweepPoint>,
    start: (f64, f64),
    start_loss: f64,
    steps: usize,
    critical: Option<f64>,
    /// Where the best run ended, at which L was measured.
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
            points: Vec::new(),
            start: (0.0, 0.0),
            start_loss: f64::NAN,
            steps: 100,
            critical: None,
            best_end: None,
            rate: f64::NAN,
        })
    }

    #[wasm_bindgen(js_name = setFunction)]
    pub fn set_function(&mut self, source: &str) -> Result<(), JsError> {
        (self.map, self.runner) = landscape(source, Some(&self.map))?;
        self.points.clear();
        Ok(())
    }

    /// Runs `steps` steps from (u, v) at each of 200 rates spaced evenly in log from 0.001
    /// to 2, and finds the critical rate 2/L where the best of them ended.
    pub fn compute(&mut self, u: f64, v: f64, steps: u32) -> Result<(), JsError> {
        let steps = checked_iterations(steps)?;
        let (lo, hi) = (SWEEP_RATES.0.log10(), SWEEP_RATES.1.log10());
        let rates: Vec<f64> = (0..SWEEP_POINTS)
            .map(|i| 10f64.powf(lo + (hi - lo) * i as f64 / (SWEEP_POINTS - 1) as f64))
            .collect();
        let start = self.runner.inputs((u, v));
        self.points.clear();
        self.points = self
            .runner
            .descender
            .sweep(&start, &rates, steps, Optimizer::Gd)
            .map_err(js_error)?;
        self.steps = steps;
        self.start = (u, v);
        self.start_loss = self.map.f.value(u, v);
        let best = self
            .points
            .iter()
            .filter(|p| p.diverged_at.is_none() && p.loss.is_finite())
            .min_by(|a, b| a.loss.total_cmp(&b.loss))
            .copied();
        self.best_end = None;
        self.critical = None;
        if let Some(best) = best {
            let path = self
                .runner
                .run((u, v), best.learning_rate, steps, Optimizer::Gd)?;
            if let Some(&end) = path.points.last() {
                let expr = calculus::parse(&self.map.source).map_err(js_error)?;
                let (un, vn) = self.map.names();
                self.critical =
                    critical_rate(&expr, &[(&un, end.0), (&vn, end.1)]).map_err(js_error)?;
                self.best_end = Some(end);
            }
        }
        Ok(())
    }

    /// 2/L at the best run's end, or NaN where f does not curve upwards there.
    #[wasm_bindgen(getter, js_name = criticalRate)]
    pub fn critical_rate(&self) -> f64 {
        self.critical.unwrap_or(f64::NAN)
    }

    /// The sweep, flat: `[rate, final loss, step it diverged at or −1, …]`.
    pub fn points(&self) -> Float64Array {
        let flat: Vec<f64> = self
            .points
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
        let critical = match (self.critical, self.best_end) {
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
        let run = self
            .runner
            .run(self.start, rate, self.steps, Optimizer::Gd)
            .ok();
        let outcome = match run {
            None => "no run".to_string(),
            Some(run) => match (run.diverged_at(), run.loss.last()) {
                (Some(k), _) => format!("diverges at step {k}"),
                (None, Some(&f)) => format!(
                    "ends at loss {} after {} steps (from {})",
                    format_significant(f, 3),
                    self.steps,
                    format_significant(self.start_loss, 3)
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
            self.steps, self.map.source,
        )
    }

    /// Marks the lab's learning rate on the sweep.
    #[wasm_bindgen(js_name = setRate)]
    pub fn set_rate(&mut self, rate: f64) {
        self.rate = rate;
    }
}

impl LearningRateSweep {
    /// Diverged runs have no final loss: a cross along the top for each.
    fn crosses(&self, plot: &Plot) {
        let (context, frame, s) = (plot.context, plot.frame, plot.theme.dpr);
        context.set_stroke_style_str(&css(plot.theme.arrow));
        context.set_line_width(f64::from(plot.theme.thin_width));
        context.begin_path();
        for p in self.points.iter().filter(|p| p.diverged_at.is_some()) {
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
        let in_range = |c: &f64| (SWEEP_RATES.0..=SWEEP_RATES.1).contains(c);
        if let Some(c) = self.critical.filter(in_range) {
            let (c10, text) = (c.log10(), format!("2/L = {}", format_significant(c, 3)));
            let line = (theme.arrow, theme.thin_width, Dash::Dashed);
            marker(plot, (c10, &text), line, (quieter_at_top(c10), 0.0));
        }
        let rate = self.rate;
        if rate.is_finite() && rate > 0.0 {
            let r10 = rate.log10().clamp(frame.x.0, frame.x.1);
            let text = format!("η = {}", format_significant(rate, 3));
            let line = (theme.tangent, theme.curve_width, Dash::Solid);
            marker(plot, (r10, &text), line, (quieter_at_top(r10), 1.0));
        }
    }
}

impl Figure for LearningRateSweep {
    fn canvas(&self) -> &Canvas {
        &self.canvas
    }

    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let finals = self
            .points
            .iter()
            .filter(|p| p.diverged_at.is_none())
            .map(|p| p.loss);
        let axis = LossAxis::for_losses(&finals.chain([self.start_loss]).collect::<Vec<_>>());
        let start = axis.at(self.start_loss);
        let values: Vec<Option<f64>> = (self.points.iter())
            .map(|p| p.diverged_at.is_none().then(|| axis.at(p.loss)))
            .collect();
        let y = view_range(values.iter().flatten().copied().chain([start]));
        let y = (y.0, y.1 + 0.12 * (y.1 - y.0));
        let x = (SWEEP_RATES.0.log10(), SWEEP_RATES.1.log10());
        let labels = Labels {
            log_y: axis.log,
            log_x: true,
            ..Labels::new("learning rate (log scale)", "final loss")
        };
        let curve: Vec<(f64, f64)> = (self.points.iter().zip(&values))
            .map(|(p, v)| (p.learning_rate.log10(), v.unwrap_or(f64::NAN)))
            .collect();
        let (_, frame) = axes(&pen.area, &pen.theme, x, y, &labels)?;
        let (plot, theme) = (pen.plot(&frame), &pen.theme);
        shade(&plot, &self.points, &regions(&values, start));
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

/// Sorts each rate: good where the final loss fell at least halfway (in the chart's units)
/// from the start's to the best's; too small or too large on either side of the best; diverges
/// where the run blew up or ended above where it began.
fn regions(values: &[Option<f64>], start: f64) -> Vec<Region> {
    let best_index = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i);
    let Some(best_index) = best_index else {
        return vec![Region::Diverges; values.len()];
    };
    let best = values.get(best_index).copied().flatten().unwrap_or(start);
    let good = best + 0.5 * (start - best);
    values
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            None => Region::Diverges,
            Some(v) if *v > start && i > best_index => Region::Diverges,
            Some(v) if *v <= good => Region::Good,
            _ if i < best_index => Region::TooSmall,
            _ => Region::TooLarge,
        })
        .collect()
}

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
        context.set_font(&format!("{}px {}", theme.label_font, theme.font_family));
        let width = context.measure_text(name).map(|m| m.width()).unwrap_or(0.0);
        if width + 8.0 * s < (x1 - x0) * s {
            context.set_fill_style_str(&css(theme.muted_text));
            context.set_text_align("center");
            context.set_text_baseline("top");
            let _ = context.fill_text(name, (x0 + x1) / 2.0 * s, (frame.top + 18.0) * s);
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
    context.set_font(&format!("{}px {}", theme.label_font, theme.font_family));
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

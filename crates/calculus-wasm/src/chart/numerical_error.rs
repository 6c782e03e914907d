//! Chapter 1's numerical-versus-exact chart: |numpy.gradient − f'| at each sample, on a log
//! axis. For x² the central differences inside are exact (only rounding remains) and the two
//! one-sided ends are off by exactly the spacing h.
//!
//! ```js
//! const chart = new NumericalErrorChart(canvas);   // x^2, 100 samples on [-10, 10]
//! chart.setSamples(100);                           // throws outside 3..=5000
//! chart.draw(640, 300, devicePixelRatio, false);
//! chart.readout();   // "spacing h = 0.2020; ends: errors 0.2020 and 0.2020; inside: ..."
//! ```

use plotters::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::figure;

use super::canvas::{Canvas, Figure, Pen};
use super::legend::Entry;
use super::theme::Theme;
use super::{
    axes, drawing, format_number, format_significant, legend, padded, with_clip, Chart, Dash,
    DrawResult, Frame, Labels, LegendMark, OneVariable, Plot,
};

/// Errors this small are drawn on the floor of the axis: below it there is only rounding.
const FLOOR: f64 = 1e-17;

#[wasm_bindgen]
pub struct NumericalErrorChart {
    canvas: Canvas,
    f: OneVariable,
    range: (f64, f64),
    samples: usize,
    /// Sample positions and |numerical − exact| there, recomputed when an input changes.
    xs: Vec<f64>,
    errors: Vec<f64>,
}

#[wasm_bindgen]
impl NumericalErrorChart {
    /// x² with 100 samples on [−10, 10], as in the book's numpy example.
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<NumericalErrorChart, JsError> {
        let range = (-10.0, 10.0);
        let mut chart = NumericalErrorChart {
            canvas: Canvas::new(canvas),
            f: OneVariable::new("x^2", range)?,
            range,
            samples: 100,
            xs: Vec::new(),
            errors: Vec::new(),
        };
        chart.compute()?;
        Ok(chart)
    }

    #[wasm_bindgen(js_name = setFunction)]
    pub fn set_function(&mut self, source: &str) -> Result<(), JsError> {
        let previous = std::mem::replace(&mut self.f, OneVariable::new(source, self.range)?);
        self.compute().inspect_err(|_| self.f = previous)?;
        Ok(())
    }

    #[wasm_bindgen(js_name = setRange)]
    pub fn set_range(&mut self, xmin: f64, xmax: f64) -> Result<(), JsError> {
        let previous = std::mem::replace(&mut self.range, super::checked_range(xmin, xmax)?);
        self.compute().inspect_err(|_| self.range = previous)?;
        Ok(())
    }

    #[wasm_bindgen(js_name = setSamples)]
    pub fn set_samples(&mut self, samples: u32) -> Result<(), JsError> {
        if !(3..=5000).contains(&samples) {
            return Err(JsError::new("samples must be between 3 and 5000"));
        }
        let previous = std::mem::replace(&mut self.samples, samples as usize);
        self.compute().inspect_err(|_| self.samples = previous)?;
        Ok(())
    }

    #[wasm_bindgen(getter)]
    pub fn variable(&self) -> String {
        self.f.variable.clone()
    }

    /// The sample spacing h of linspace(xmin, xmax, samples).
    pub fn spacing(&self) -> f64 {
        (self.range.1 - self.range.0) / (self.samples - 1) as f64
    }

    /// `spacing h = 0.2020; at the ends: 0.2020 and 0.2020; inside: largest 2.84e-14`.
    pub fn readout(&self) -> String {
        let shown = |e: f64| {
            if e.is_finite() {
                format_significant(e, 4)
            } else {
                "not finite (f overflows)".to_string()
            }
        };
        let (first, last) = (
            self.errors.first().copied().unwrap_or(f64::NAN),
            self.errors.last().copied().unwrap_or(f64::NAN),
        );
        let inside = self
            .errors
            .get(1..self.errors.len().saturating_sub(1))
            .unwrap_or(&[]);
        let worst = inside
            .iter()
            .copied()
            .filter(|e| e.is_finite())
            .fold(0.0f64, f64::max);
        let mut inside_text = if worst == 0.0 {
            "inside: exactly 0".to_string()
        } else {
            format!("inside: largest {}", shown(worst))
        };
        if inside.iter().any(|e| !e.is_finite()) {
            inside_text.push_str(" where f stays finite");
        }
        format!(
            "spacing h = {}; error at the ends: {} and {}; {inside_text}",
            format_significant(self.spacing(), 4),
            shown(first),
            shown(last)
        )
    }

    pub fn describe(&self) -> String {
        format!(
            "Log-scale chart of the error |numerical − exact| of the derivative of f({v}) = {} at {} samples from {v} = {} to {}: {}.",
            self.f.spoken,
            self.samples,
            format_number(self.range.0),
            format_number(self.range.1),
            self.readout(),
            v = self.f.variable
        )
    }
}

impl Figure for NumericalErrorChart {
    fn canvas(&self) -> DrawResult<&Canvas> {
        Ok(&self.canvas)
    }

    /// The errors, the spacing h they are measured against, and the legend.
    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let logs = self.logs();
        let y = log_range(&logs);
        let labels = Labels {
            log_y: true,
            ..Labels::new(&self.f.variable, "")
        };
        let (mut chart, frame) = axes(&pen.area, &pen.theme, padded(self.range), y, &labels)?;
        let (plot, theme) = (pen.plot(&frame), &pen.theme);
        // The spacing h, which the one-sided ends miss by for x².
        let h = self.spacing().log10();
        if h > y.0 && h < y.1 {
            let line = [(self.range.0, h), (self.range.1, h)];
            plot.curve(line, theme.muted_text, theme.grid_width, Dash::Dashed);
        }
        let points: Vec<(f64, f64)> = self.xs.iter().copied().zip(logs.iter().copied()).collect();
        let line = points.iter().copied();
        plot.curve(line, theme.numerical, theme.grid_width, Dash::Solid);
        self.dots(&mut chart, &plot, &logs)?;
        let avoid = self.legend_avoids(&points, h, &frame);
        legend(&chart, &plot, &self.legend_entries(theme), &avoid, &[])?;
        Ok(frame)
    }
}

figure!(NumericalErrorChart);

impl NumericalErrorChart {
    fn compute(&mut self) -> Result<(), JsError> {
        let c = calculus::numerical::compare(&mut self.f.function, self.range, self.samples)
            .map_err(crate::convert::js_error)?;
        (self.xs, self.errors) = (c.xs, c.error);
        Ok(())
    }

    /// log10 of each error, the floor for those below it. An error that is not finite (f
    /// overflowed) has no place on the axis: it is left out (NaN).
    fn logs(&self) -> Vec<f64> {
        self.errors
            .iter()
            .map(|e| {
                if e.is_finite() {
                    e.max(FLOOR).log10()
                } else {
                    f64::NAN
                }
            })
            .collect()
    }

    /// A disc at each sample's error; a ring for an error of exactly 0, drawn on the floor.
    fn dots(&self, chart: &mut Chart, plot: &Plot, logs: &[f64]) -> DrawResult<()> {
        let theme = plot.theme;
        let r = theme.marker_radius * 2 / 3 + 1;
        let filled = ShapeStyle::from(&theme.numerical).filled();
        let hollow = ShapeStyle::from(&theme.numerical).stroke_width(theme.grid_width);
        with_clip(chart, plot.context, |chart| {
            drawing(
                chart.draw_series(
                    self.xs
                        .iter()
                        .zip(&self.errors)
                        .zip(logs)
                        .filter(|(_, l)| l.is_finite())
                        .map(|((&x, &e), &l)| {
                            Circle::new((x, l), r, if e < FLOOR { hollow } else { filled })
                        }),
                ),
            )
            .map(|_| ())
        })
    }

    fn legend_entries(&self, theme: &Theme) -> Vec<Entry> {
        let mut entries = vec![
            (
                "|numpy.gradient − f'|".to_string(),
                theme.numerical,
                LegendMark::Dot,
            ),
            (
                format!("h = {}", calculus::digits::fixed(self.spacing(), 4)),
                theme.muted_text,
                LegendMark::Dashed,
            ),
        ];
        if self.errors.iter().any(|e| *e < FLOOR) {
            entries.push((
                "exactly 0 (drawn at 10⁻¹⁷)".to_string(),
                theme.numerical,
                LegendMark::Ring,
            ));
        }
        entries
    }

    /// What the legend keeps off, as points (axis units) a few CSS pixels apart along what is
    /// drawn, so that the emptiest spot is the one with the least ink under it: the h line at
    /// log10 h = `h` and the line through the samples (`points`), each sample's marker counting
    /// as a stretch of line, and the two end samples as the whole h line.
    fn legend_avoids(&self, points: &[(f64, f64)], h: f64, frame: &Frame) -> Vec<(f64, f64)> {
        // A point every INK_STEP px along a segment from a to b (a included, b not).
        let along = |a: (f64, f64), b: (f64, f64)| {
            let (pa, pb) = (frame.axis_to_css(a.0, a.1), frame.axis_to_css(b.0, b.1));
            let steps = ((pb.0 - pa.0).hypot(pb.1 - pa.1) / INK_STEP).ceil();
            let steps = if steps.is_finite() {
                steps.max(1.0) as usize
            } else {
                1
            };
            (0..steps).map(move |i| {
                let t = i as f64 / steps as f64;
                (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
            })
        };
        let h_line: Vec<_> = along((self.range.0, h), (self.range.1, h)).collect();
        let lines = points.windows(2).flat_map(|pair| along(pair[0], pair[1]));
        // A line under the legend still reads on either side of it; a marker under it is lost.
        let markers = points.iter().flat_map(|p| [*p; MARKER_INK]);
        // The two end samples are what the figure asks the reader to compare: the legend never
        // sits on them while a spot clear of the h line's whole length is left.
        let ends = [points.first(), points.last()].into_iter().flatten();
        let ends = ends.flat_map(|p| std::iter::repeat_n(*p, h_line.len()));
        h_line
            .iter()
            .copied()
            .chain(lines)
            .chain(markers)
            .chain(ends)
            .collect()
    }
}

/// The spacing (CSS px) of the points `legend_avoids` puts along a drawn line.
const INK_STEP: f64 = 4.0;

/// How many points of line a sample's marker counts as (10: 40 px of line).
const MARKER_INK: usize = 10;

/// The y range (axis units) for the errors' logs: half a decade beyond the whole decades
/// they span, and at least two decades tall.
fn log_range(logs: &[f64]) -> (f64, f64) {
    let finite = logs.iter().copied().filter(|v| v.is_finite());
    let lo = finite.clone().fold(f64::INFINITY, f64::min);
    let hi = finite.fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() {
        (lo.floor() - 0.5, hi.ceil() + 0.5)
    } else {
        (-17.5, 0.5)
    };
    (lo, hi.max(lo + 2.0))
}

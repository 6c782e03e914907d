//! Chapter 6's cliff: two gradient descent walks from one start at one learning rate over a
//! valley cut by a steep ramp. The unclipped walk lands on the ramp, where ‖∇f‖ ≈ 18, and is
//! thrown far past the valley; the clipped one (each gradient scaled to at most the
//! threshold, as `torch.nn.utils.clip_grad_norm_`) walks down the ramp and settles.
//!
//! The landscape and its settings are the book's ([`CLIFF`]); the walks are the engine's
//! (`Descender::run_clipped`), drawn on chapter 4's contour map.
//!
//! ```js
//! const chart = new CliffMap(canvas);   // the cliff, threshold 1
//! chart.setThreshold(0.5);
//! chart.longestStep(true);              // ≤ 0.5 (rate 1 × threshold 0.5)
//! chart.stepLengths(false);             // the unclipped walk's steps: one of them ≈ 18
//! chart.draw(640, 480, devicePixelRatio, false);
//! ```

use calculus::descent::Optimizer;
use calculus::digits::Shortest;
use plotters::style::RGBColor;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::canvas::{Canvas, DrawResult, Figure, Pen};
use super::contour_map::ContourMap;
use super::marks::{set_dash, Plot};
use super::path::{point_text, Path, Runner};
use super::theme::css;
use super::{format_significant, Frame};
use crate::book::CLIFF;
use crate::convert::{float64_array, Float64Array};
use crate::figure;

#[wasm_bindgen]
pub struct CliffMap {
    canvas: Canvas,
    map: ContourMap,
    threshold: f64,
    /// The walk with no clipping, and the one clipped at `threshold`.
    thrown: Path,
    clipped: Path,
    runner: Runner,
}

#[wasm_bindgen]
impl CliffMap {
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<CliffMap, JsError> {
        let mut map = ContourMap::new(CLIFF.source)?;
        let [umin, umax, vmin, vmax] = CLIFF.range;
        map.set_range(umin, umax, vmin, vmax)?;
        let mut runner = Runner::new(&map)?;
        let thrown = walk(&mut runner, None)?;
        let mut chart = CliffMap {
            canvas: Canvas::new(canvas),
            map,
            threshold: CLIFF.threshold,
            thrown,
            clipped: Path::default(),
            runner,
        };
        chart.set_threshold(CLIFF.threshold)?;
        Ok(chart)
    }

    /// Clips the second walk at `threshold` (within the book's range); out of range, the
    /// chart keeps its last threshold and says why.
    #[wasm_bindgen(js_name = setThreshold)]
    pub fn set_threshold(&mut self, threshold: f64) -> Result<(), JsError> {
        let (lo, hi) = CLIFF.threshold_range;
        if !(lo..=hi).contains(&threshold) {
            return Err(JsError::new(&format!(
                "the threshold must be a number from {} to {}",
                Shortest(lo),
                Shortest(hi)
            )));
        }
        self.clipped = walk(&mut self.runner, Some(threshold))?;
        self.threshold = threshold;
        Ok(())
    }

    #[wasm_bindgen(getter)]
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// The length of every step of the clipped walk (or the unclipped one).
    #[wasm_bindgen(js_name = stepLengths)]
    pub fn step_lengths(&self, clipped: bool) -> Float64Array {
        float64_array(&self.path(clipped).step_lengths)
    }

    /// The longest step of the clipped walk (or the unclipped one).
    #[wasm_bindgen(js_name = longestStep)]
    pub fn longest_step(&self, clipped: bool) -> f64 {
        longest(self.path(clipped))
    }

    /// `[w, b, f]` where the clipped walk (or the unclipped one) ends.
    pub fn end(&self, clipped: bool) -> Vec<f64> {
        let path = self.path(clipped);
        match (path.points.last(), path.loss.last()) {
            (Some(&(u, v)), Some(&f)) => vec![u, v, f],
            _ => Vec::new(),
        }
    }

    /// Both walks in words: each one's longest step and where it ends.
    pub fn readout(&self) -> String {
        let words = |path: &Path| {
            let end = match (path.points.last(), path.loss.last()) {
                (Some(&p), Some(&f)) => {
                    format!("{}, f = {}", point_text(p), format_significant(f, 3))
                }
                _ => "nowhere".to_string(),
            };
            format!(
                "longest step {}, ends at {end}",
                format_significant(longest(path), 3)
            )
        };
        format!(
            "Unclipped: {}. Clipped at {}: {} (at most η × threshold = {}).",
            words(&self.thrown),
            value(self.threshold),
            words(&self.clipped),
            value(CLIFF.rate * self.threshold),
        )
    }

    /// The chart in words, for its `aria-label`.
    pub fn describe(&self) -> String {
        format!(
            "Contour map of the cliff f(w, b) = {}, with two walks of {} gradient descent steps at learning rate {} from {}: unclipped (dashed) and with the gradient clipped to norm {} (solid). {}",
            self.map.spoken,
            CLIFF.steps,
            value(CLIFF.rate),
            point_text(CLIFF.start),
            value(self.threshold),
            self.readout()
        )
    }
}

impl CliffMap {
    fn path(&self, clipped: bool) -> &Path {
        if clipped {
            &self.clipped
        } else {
            &self.thrown
        }
    }

    /// A walk as a dashed or solid line with beads, and its name beside its last point.
    fn draw_walk(&self, plot: &Plot, path: &Path, color: RGBColor, dashed: bool, name: &str) {
        let theme = plot.theme;
        if dashed {
            set_dash(plot.context, &theme.dash);
        }
        plot.polyline(&path.points, color, theme.curve_width);
        set_dash(plot.context, &[]);
        plot.beads(&path.points, color);
        if let Some(&end) = path.points.last() {
            plot.dot(end, color);
            // The thrown walk's name under its end, the clipped one's above: on a phone the
            // two ends are a few pixels apart.
            label(plot, end, name, color, dashed);
        }
    }
}

/// The book's walk from the cliff's start, clipped at `clip` or not.
fn walk(runner: &mut Runner, clip: Option<f64>) -> Result<Path, JsError> {
    let steps = CLIFF.steps as usize;
    runner.run_clipped(CLIFF.start, CLIFF.rate, steps, (Optimizer::Gd, clip))
}

/// A threshold or a rate as the controls show it: `1`, `0.3`, `4.5`.
fn value(v: f64) -> String {
    crate::format::format(v, crate::format::Style::Value)
}

fn longest(path: &Path) -> f64 {
    path.step_lengths.iter().copied().fold(0.0, f64::max)
}

/// `text` in `color` on a patch of background, just above (or `below`) and right of map
/// point `p` (left of it near the plot's right edge), kept inside the plot.
fn label(plot: &Plot, (u, v): (f64, f64), text: &str, color: RGBColor, below: bool) {
    let (context, theme, frame) = (plot.context, plot.theme, plot.frame);
    let s = theme.dpr;
    context.set_font(&format!("600 {}", theme.css_font(theme.label_font)));
    let width = context.measure_text(text).map(|m| m.width()).unwrap_or(0.0) / s;
    let (x, y) = frame.to_css(u, v);
    let mut left = x + 10.0;
    if left + width > frame.right - 4.0 {
        left = x - 10.0 - width;
    }
    let left = super::clamp(
        left,
        frame.left + 4.0,
        (frame.right - 4.0 - width).max(frame.left),
    );
    let bottom = if below {
        y + 10.0 + theme.label_font / s
    } else {
        y - 10.0
    };
    let bottom = super::clamp(
        bottom,
        frame.top + 4.0 + theme.label_font / s,
        frame.bottom - 4.0,
    );
    plot.backing(left * s, bottom * s, width * s);
    context.set_fill_style_str(&css(color));
    context.set_text_align("left");
    context.set_text_baseline("bottom");
    let _ = context.fill_text(text, left * s, bottom * s);
}

impl Figure for CliffMap {
    fn canvas(&self) -> DrawResult<&Canvas> {
        Ok(&self.canvas)
    }

    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let frame = self.map.draw(pen)?;
        let plot = pen.plot(&frame);
        let theme = &pen.theme;
        self.draw_walk(&plot, &self.thrown, theme.arrow, true, "unclipped");
        let clipped = format!("clipped at {}", value(self.threshold));
        self.draw_walk(&plot, &self.clipped, theme.curve, false, &clipped);
        plot.dot(CLIFF.start, theme.minimum);
        Ok(frame)
    }
}

figure!(CliffMap);

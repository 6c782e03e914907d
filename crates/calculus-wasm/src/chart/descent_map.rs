//! Chapter 4's lab: plain gradient descent on the contour map, from a start the reader drags.
//!
//! ```js
//! const map = new DescentMap(canvas);          // w^2 + b^2, from (8, 9), lr 0.1, 30 steps
//! map.run(8, 9, 0.1, 30);
//! map.point(30);                               // [0.0099…, 0.0111…, loss, ∂f/∂w, ∂f/∂b]
//! map.setStep(30, -1);                        // the whole path, no step ringed
//! map.draw(640, 480, devicePixelRatio, false);
//! ```

use crate::convert::Float64Array;
use calculus::descent::{Optimizer, DIVERGENCE_FACTOR};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::canvas::{Canvas, DrawResult, Figure, Pen};
use super::contour_map::ContourMap;
use super::marks::Plot;
use crate::figure;

use super::{format_number, format_significant, spot, Frame, LabelBox};
use crate::convert::float64_array;

use super::path::{checked_iterations, landscape, point_text, Path, Runner};

/// Plain gradient descent on the contour map: the path from a start the reader drags, its
/// green start and blue current point, and the step about to be taken.
#[wasm_bindgen]
pub struct DescentMap {
    canvas: Canvas,
    map: ContourMap,
    runner: Runner,
    path: Path,
    learning_rate: f64,
    /// The step shown, and the one ringed (pointed at in the loss curve).
    step: usize,
    highlight: Option<usize>,
}

#[wasm_bindgen]
impl DescentMap {
    /// w² + b² on [−10, 10]², no path until `run`.
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<DescentMap, JsError> {
        let (map, runner) = landscape("w^2 + b^2", None)?;
        Ok(DescentMap {
            canvas: Canvas::new(canvas),
            runner,
            map,
            path: Path::default(),
            learning_rate: 0.1,
            step: 0,
            highlight: None,
        })
    }

    /// Replaces f (at most two variables); on error the map keeps the last good one. The
    /// path is cleared until the next `run`.
    #[wasm_bindgen(js_name = setFunction)]
    pub fn set_function(&mut self, source: &str) -> Result<(), JsError> {
        (self.map, self.runner) = landscape(source, Some(&self.map))?;
        self.path = Path::default();
        Ok(())
    }

    #[wasm_bindgen(js_name = setRange)]
    pub fn set_range(&mut self, umin: f64, umax: f64, vmin: f64, vmax: f64) -> Result<(), JsError> {
        self.map.set_range(umin, umax, vmin, vmax)
    }

    /// The two variables, as `"w,b"`: horizontal axis first.
    #[wasm_bindgen(getter)]
    pub fn axes(&self) -> String {
        let (u, v) = self.map.names();
        format!("{u},{v}")
    }

    /// Runs plain gradient descent from (u, v). On error (f undefined at the start, a bad
    /// rate) the path is cleared and the error thrown.
    pub fn run(
        &mut self,
        u: f64,
        v: f64,
        learning_rate: f64,
        iterations: u32,
    ) -> Result<(), JsError> {
        self.path = Path::default();
        let iterations = checked_iterations(iterations)?;
        self.path = self
            .runner
            .run((u, v), learning_rate, iterations, Optimizer::Gd)?;
        self.learning_rate = learning_rate;
        Ok(())
    }

    /// Points in the path: the start and every step reached.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.path.points.len()
    }

    /// The step at which the run diverged, or −1.
    #[wasm_bindgen(getter, js_name = divergedAt)]
    pub fn diverged_at(&self) -> i32 {
        self.path.diverged_at().map_or(-1, |k| k as i32)
    }

    /// f at every point of the path.
    pub fn losses(&self) -> Float64Array {
        float64_array(&self.path.loss)
    }

    /// `[u, v, f, ∂f/∂u, ∂f/∂v]` at step `k` (empty past the end).
    pub fn point(&self, k: usize) -> Vec<f64> {
        self.path
            .step(k)
            .map_or_else(Vec::new, |((u, v), f, (gu, gv))| vec![u, v, f, gu, gv])
    }

    /// What step `k` shows, in words.
    pub fn readout(&self, k: usize) -> String {
        let (u, v) = self.map.names();
        let last = self.path.points.len().saturating_sub(1);
        let k = k.min(last);
        let Some((p, f, (gu, gv))) = self.path.step(k) else {
            return "No path yet.".to_string();
        };
        let mut text = format!(
            "step {k}: ({u}, {v}) = {}, f = {}, ∇f = [{}, {}], ‖∇f‖ = {}",
            point_text(p),
            format_significant(f, 4),
            format_significant(gu, 4),
            format_significant(gv, 4),
            format_significant(gu.hypot(gv), 4),
        );
        if let Some(at) = self.path.diverged_at() {
            if k == last {
                text.push_str(&format!(
                    ". Diverged at step {at}: the loss ran past {} times its start, so the run stopped.",
                    format_number(DIVERGENCE_FACTOR)
                ));
            }
        }
        text
    }

    pub fn describe(&self, k: usize) -> String {
        let (u, v) = self.map.names();
        let path = match (self.path.points.first(), self.path.diverged_at()) {
            (None, _) => "no path".to_string(),
            (Some(&start), None) => format!(
                "a descent path of {} steps at learning rate {} from {}",
                self.path.points.len() - 1,
                format_significant(self.learning_rate, 3),
                point_text(start)
            ),
            (Some(&start), Some(at)) => format!(
                "a descent path at learning rate {} from {} that diverges at step {at}",
                format_significant(self.learning_rate, 3),
                point_text(start)
            ),
        };
        format!(
            "Contour map of f({u}, {v}) = {} with {path}. Showing {}.",
            self.map.spoken,
            self.readout(k)
        )
    }

    /// Shows the path up to step `k`, with a ring at step `highlight` (−1 for none).
    #[wasm_bindgen(js_name = setStep)]
    pub fn set_step(&mut self, k: usize, highlight: i32) {
        self.step = k;
        self.highlight = usize::try_from(highlight).ok();
    }
}

impl DescentMap {
    /// The path up to the current step: its green start, the blue current point, the step
    /// about to be taken, and words for where it stands.
    fn draw_path(&self, plot: &Plot) {
        let (theme, points) = (plot.theme, &self.path.points);
        let last = points.len().saturating_sub(1);
        let k = self.step.min(last);
        let (Some(&start), Some(&current), Some(&(gu, gv))) =
            (points.first(), points.get(k), self.path.gradient.get(k))
        else {
            return;
        };
        let shown = points.get(..=k).unwrap_or_default();
        plot.polyline(shown, theme.path, theme.thin_width);
        plot.beads(shown, theme.path);
        if k < last || self.path.diverged {
            // The step about to be taken, −lr·∇f, at least 28 CSS pixels long so that its
            // direction shows where the steps are tiny, at most 90 where they are huge.
            let norm = gu.hypot(gv);
            let step_px = self.learning_rate * norm * plot.frame.scale().0;
            let per_unit = if norm > 0.0 {
                step_px.clamp(28.0, 90.0) / norm
            } else {
                0.0
            };
            let step = [(current.0, current.1, -gu, -gv)];
            plot.arrows(&step, per_unit, theme.arrow, theme.curve_width);
        }
        plot.dot(start, theme.minimum);
        plot.dot(current, theme.curve);
        if let Some(&h) = self.highlight.and_then(|h| points.get(h)) {
            plot.ring(plot.frame.to_css(h.0, h.1), theme.tangent);
        }
        self.words(plot, [start, current], k, last);
    }

    /// A banner when the run diverged or left the map, and the step caption, both clear of
    /// the start and the current step.
    fn words(&self, plot: &Plot, [start, current]: [(f64, f64); 2], k: usize, last: usize) {
        let frame = plot.frame;
        let marks = [
            frame.to_css(start.0, start.1),
            frame.to_css(current.0, current.1),
        ];
        let mut keep_clear: Vec<LabelBox> = marks.iter().map(|&p| spot(p)).collect();
        let (x, y) = marks[1];
        let off_map =
            !(frame.left..=frame.right).contains(&x) || !(frame.top..=frame.bottom).contains(&y);
        let message = match self.path.diverged_at() {
            Some(at) if k == last => Some(format!("diverged at step {at}")),
            _ if off_map => Some("the path has left the map".to_string()),
            _ => None,
        };
        if let Some(message) = message {
            keep_clear.push(plot.banner(&message, plot.theme.arrow, &marks));
        }
        // Of the steps taken, as the step counter says; a diverged run's banner names the
        // step that was refused.
        let rate = format_significant(self.learning_rate, 3);
        plot.caption(&format!("step {k} of {last}, η {rate}"), &keep_clear);
    }
}

impl Figure for DescentMap {
    fn canvas(&self) -> DrawResult<&Canvas> {
        Ok(&self.canvas)
    }

    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let frame = self.map.draw(pen)?;
        self.draw_path(&pen.plot(&frame));
        Ok(frame)
    }
}

figure!(DescentMap);

//! The loss along a descent path, step by step, on a log axis while every loss is positive.
//!
//! ```js
//! const curve = new LossCurve(canvas);
//! curve.setRun(map.losses(), 30, -1);         // 30 steps asked for, none diverged
//! curve.setStep(30, -1);                       // up to step 30, no ring
//! curve.draw(640, 320, devicePixelRatio, false);
//! ```

use calculus::view::{y_range, LossScale};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::canvas::{Canvas, DrawResult, Figure, Pen};
use super::{axes, Dash, Frame, Labels};
use crate::figure;

/// f along a path against the step, on a log axis while every loss is positive.
#[wasm_bindgen]
pub struct LossCurve {
    canvas: Canvas,
    losses: Vec<f64>,
    /// The axis the losses are drawn on, chosen when the run is set.
    scale: LossScale,
    /// Steps the run was asked for: the x axis spans them all, however far it got.
    steps: u32,
    diverged_at: Option<u32>,
    current: usize,
    highlight: Option<usize>,
}

#[wasm_bindgen]
impl LossCurve {
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> LossCurve {
        LossCurve {
            canvas: Canvas::new(canvas),
            losses: Vec::new(),
            scale: LossScale::for_losses(&[]),
            steps: 1,
            diverged_at: None,
            current: 0,
            highlight: None,
        }
    }

    /// Whether the run's losses are drawn on a log axis (none negative) or a linear one.
    #[wasm_bindgen(getter, js_name = logScale)]
    pub fn log_scale(&self) -> bool {
        self.scale.log
    }

    /// The run to show: its losses, the `steps` it was asked for, and the step it diverged
    /// at (−1: none).
    #[wasm_bindgen(js_name = setRun)]
    pub fn set_run(&mut self, losses: &[f64], steps: u32, diverged_at: i32) {
        self.losses = losses.to_vec();
        self.scale = LossScale::for_losses(losses);
        self.steps = steps.max(1);
        self.diverged_at = u32::try_from(diverged_at).ok();
    }

    /// The losses up to step `current` strong and the rest faint; a ring at `highlight`
    /// (−1: none).
    #[wasm_bindgen(js_name = setStep)]
    pub fn set_step(&mut self, current: usize, highlight: i32) {
        self.current = current;
        self.highlight = usize::try_from(highlight).ok();
    }
}

impl Figure for LossCurve {
    fn canvas(&self) -> DrawResult<&Canvas> {
        Ok(&self.canvas)
    }

    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let axis = self.scale;
        let ys: Vec<f64> = self.losses.iter().map(|&l| axis.at(l)).collect();
        let (x, y) = ((0.0, f64::from(self.steps)), loss_range(&axis, &ys));
        let labels = Labels {
            log_y: axis.log,
            zero_lines: !axis.log,
            ..Labels::new("step", if axis.log { "loss (log scale)" } else { "loss" })
        };
        let (_, frame) = axes(&pen.area, &pen.theme, x, y, &labels)?;
        let (plot, theme) = (pen.plot(&frame), &pen.theme);
        let points = |ys: &[f64]| -> Vec<(f64, f64)> {
            ys.iter().enumerate().map(|(i, &y)| (i as f64, y)).collect()
        };
        let current = self.current.min(ys.len().saturating_sub(1));
        plot.curve(points(&ys), theme.grid, theme.curve_width, Dash::Solid);
        let done = ys.get(..=current).unwrap_or_default();
        plot.curve(points(done), theme.curve, theme.curve_width, Dash::Solid);
        if let Some(&yc) = ys.get(current) {
            plot.disc(frame.axis_to_css(current as f64, yc), theme.curve);
        }
        if let Some((h, &yh)) = self.highlight.and_then(|h| Some((h, ys.get(h)?))) {
            plot.vertical(h as f64, theme.tangent, theme.thin_width, Dash::Dashed);
            plot.ring(frame.axis_to_css(h as f64, yh), theme.tangent);
        }
        if let Some(at) = self.diverged_at {
            plot.vertical(f64::from(at), theme.arrow, theme.thin_width, Dash::Dashed);
            plot.banner(&format!("diverged at step {at}"), theme.arrow, &[]);
        }
        Ok(frame)
    }
}

figure!(LossCurve);

/// The y range for losses already on `scale`: padded, and robust to poles on a linear axis.
fn loss_range(scale: &LossScale, ys: &[f64]) -> (f64, f64) {
    let y = if scale.log {
        let finite = || ys.iter().copied().filter(|v| v.is_finite());
        let lo = finite().fold(f64::INFINITY, f64::min);
        let hi = finite().fold(f64::NEG_INFINITY, f64::max);
        if lo.is_finite() && hi > lo {
            let pad = 0.06 * (hi - lo);
            (lo - pad, hi + pad)
        } else {
            (lo - 1.0, lo + 1.0)
        }
    } else {
        y_range(ys.iter().copied())
    };
    if y.0.is_finite() && y.1.is_finite() {
        y
    } else {
        (0.0, 1.0)
    }
}

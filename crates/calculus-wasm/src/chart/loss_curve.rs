//! The loss along a descent path, step by step, on a log axis while every loss is positive.
//!
//! ```js
//! const curve = new LossCurve(canvas);
//! curve.draw(map.losses(), 30, 30, -1, -1, 640, 320, devicePixelRatio, false);
//! ```

use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::canvas::Canvas;
use super::marks::{banner, disc, ring, vertical};
use super::theme::{Scheme, Theme};
use super::{axes, draw_curve, view_range, Dash, Frame, Labels};

// ---- the loss curve ---------------------------------------------------------------------

/// f along a path against the step, on a log axis while every loss is positive.
#[wasm_bindgen]
pub struct LossCurve {
    canvas: Canvas,
}

#[wasm_bindgen]
impl LossCurve {
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> LossCurve {
        LossCurve {
            canvas: Canvas::new(canvas),
        }
    }

    #[wasm_bindgen(getter)]
    pub fn frame(&self) -> Option<Frame> {
        self.canvas.frame()
    }

    /// Whether `losses` are drawn on a log axis (none negative) or a linear one.
    #[wasm_bindgen(js_name = logScale)]
    pub fn log_scale(losses: &[f64]) -> bool {
        LossAxis::for_losses(losses).log
    }

    /// The losses up to step `current` strong and the rest of the run faint, over `steps`
    /// planned steps; a ring at `highlight` and the step the run diverged at (−1: neither).
    #[allow(clippy::too_many_arguments)]
    pub fn draw(
        &mut self,
        losses: &[f64],
        steps: u32,
        current: usize,
        highlight: i32,
        diverged_at: i32,
        css_width: f64,
        css_height: f64,
        dpr: f64,
        dark: bool,
    ) -> Result<(), JsError> {
        let theme = Theme::new(Scheme::of(dark), dpr);
        let axis = LossAxis::for_losses(losses);
        let log = axis.log;
        let ys: Vec<f64> = losses.iter().map(|&l| axis.at(l)).collect();
        let y = if log {
            let lo = ys
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .fold(f64::INFINITY, f64::min);
            let hi = ys
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .fold(f64::NEG_INFINITY, f64::max);
            if lo.is_finite() && hi > lo {
                let pad = 0.06 * (hi - lo);
                (lo - pad, hi + pad)
            } else {
                (lo - 1.0, lo + 1.0)
            }
        } else {
            view_range(ys.iter().copied())
        };
        let y = if y.0.is_finite() && y.1.is_finite() {
            y
        } else {
            (0.0, 1.0)
        };
        let x = (0.0, f64::from(steps.max(1)));
        let (root, context) = self.canvas.begin(css_width, css_height, dpr)?;
        let (_, frame) = axes(
            &root,
            &theme,
            x,
            y,
            &Labels {
                log_y: log,
                zero_lines: !log,
                ..Labels::new("step", if log { "loss (log scale)" } else { "loss" })
            },
        )?;
        let points = |range: &[f64], from: usize| -> Vec<(f64, f64)> {
            range
                .iter()
                .enumerate()
                .map(|(i, &y)| ((from + i) as f64, y))
                .collect()
        };
        let current = current.min(ys.len().saturating_sub(1));
        draw_curve(
            &context,
            &frame,
            &theme,
            points(&ys, 0),
            theme.grid,
            theme.curve_width,
            Dash::Solid,
        );
        draw_curve(
            &context,
            &frame,
            &theme,
            points(ys.get(..=current).unwrap_or_default(), 0),
            theme.curve,
            theme.curve_width,
            Dash::Solid,
        );
        if let Some(&yc) = ys.get(current) {
            let (px, py) = frame.axis_to_css(current as f64, yc);
            disc(&context, &theme, (px, py), theme.curve);
        }
        if let Some(&yh) = usize::try_from(highlight).ok().and_then(|h| ys.get(h)) {
            let h = highlight as f64;
            vertical(
                &context,
                &frame,
                &theme,
                h,
                theme.tangent,
                theme.thin_width,
                Dash::Dashed,
            );
            ring(&context, &theme, frame.axis_to_css(h, yh), theme.tangent);
        }
        if diverged_at >= 0 {
            let d = f64::from(diverged_at);
            vertical(
                &context,
                &frame,
                &theme,
                d,
                theme.arrow,
                theme.thin_width,
                Dash::Dashed,
            );
            banner(
                &context,
                &theme,
                &frame,
                &format!("diverged at step {diverged_at}"),
                theme.arrow,
                &[],
            );
        }
        super::drawing(root.present())?;
        drop(root);
        self.canvas.set_frame(frame);
        Ok(())
    }
}

/// How losses map to a chart's y axis: log10 while none is negative, else the loss itself.
pub struct LossAxis {
    pub log: bool,
    /// On a log axis, 24 decades below the largest loss is as far down as it goes: a path
    /// that lands exactly on the minimum (loss 0) is drawn on that floor.
    floor: f64,
}

impl LossAxis {
    pub fn for_losses(losses: &[f64]) -> LossAxis {
        // A loss of exactly 0 (a step that lands on the minimum) sits on the floor.
        let log = losses.iter().all(|l| *l >= 0.0 || !l.is_finite())
            && losses.iter().any(|l| l.is_finite() && *l > 0.0);
        let top = losses
            .iter()
            .copied()
            .filter(|l| l.is_finite())
            .fold(f64::NEG_INFINITY, f64::max);
        LossAxis {
            log,
            floor: top.log10() - 24.0,
        }
    }

    pub fn at(&self, loss: f64) -> f64 {
        if self.log {
            loss.log10().max(self.floor)
        } else {
            loss
        }
    }
}

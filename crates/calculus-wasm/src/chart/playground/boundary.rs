//! The decision boundary: the network's P(class 1) over the plane as a heat map, tinted
//! towards each class's colour as the network grows sure, with the train points as discs
//! and the test points as rings over it.
//!
//! The map is a small image, one pixel per cell, put on a scratch canvas and scaled onto the
//! plot with smoothing: one `drawImage` instead of thousands of rectangles.

use calculus::dataset::grid;
use plotters::prelude::RGBColor;
use wasm_bindgen::{Clamped, JsError};
use web_sys::{CanvasRenderingContext2d, ImageData};

use super::Playground;
use crate::book::{PLAYGROUND_DATA, PLAYGROUND_LIMITS};
use crate::chart::canvas::{Canvas, DrawResult, Figure, Pen, View};
use crate::chart::theme::{css, Theme};
use crate::chart::{axes, DrawError, Frame, Labels};
use crate::convert::js_error;

/// How far the tint goes towards a class's colour where the network is sure: far enough to
/// read, not so far that the points of that colour vanish into it.
const SURE_TINT: f64 = 0.45;

impl Playground {
    /// `[xmin, xmax, ymin, ymax]` of the dataset's map.
    fn range(&self) -> [f64; 4] {
        PLAYGROUND_DATA
            .iter()
            .find(|d| d.dataset == self.recipe.dataset)
            .map_or([-6.0, 6.0, -6.0, 6.0], |d| d.range)
    }

    /// The map's cells as RGBA pixels, row by row from the top.
    fn heat_pixels(&self, theme: &Theme) -> Vec<u8> {
        let mut pixels = Vec::with_capacity(4 * self.cells.len());
        for &p in &self.cells {
            if !p.is_finite() {
                let RGBColor(r, g, b) = theme.background;
                pixels.extend([r, g, b, 255]);
                continue;
            }
            let (class, sure) = if p >= 0.5 {
                (theme.classes[1], 2.0 * p - 1.0)
            } else {
                (theme.classes[0], 1.0 - 2.0 * p)
            };
            let RGBColor(r, g, b) = theme.tint(class, SURE_TINT * sure);
            pixels.extend([r, g, b, 255]);
        }
        pixels
    }

    /// Paints the heat map over the plotting area of `frame`.
    fn draw_heat_map(&self, pen: &Pen<'_>, frame: &Frame) -> DrawResult<()> {
        let n = PLAYGROUND_LIMITS.grid as u32;
        if self.cells.len() != (n * n) as usize {
            return Ok(());
        }
        let failed = |_| DrawError("could not paint the decision boundary".into());
        let pixels = self.heat_pixels(&pen.theme);
        let image =
            ImageData::new_with_u8_clamped_array_and_sh(Clamped(&pixels), n, n).map_err(failed)?;
        if self.scratch.width() != n || self.scratch.height() != n {
            self.scratch.set_width(n);
            self.scratch.set_height(n);
        }
        let scratch = self
            .scratch
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| wasm_bindgen::JsCast::dyn_into::<CanvasRenderingContext2d>(c).ok())
            .ok_or_else(|| DrawError("this browser gave no 2D canvas context".into()))?;
        scratch.put_image_data(&image, 0.0, 0.0).map_err(failed)?;
        let (context, s) = (&pen.context, pen.theme.dpr);
        context.set_image_smoothing_enabled(true);
        context
            .draw_image_with_html_canvas_element_and_dw_and_dh(
                &self.scratch,
                frame.left * s,
                frame.top * s,
                (frame.right - frame.left) * s,
                (frame.bottom - frame.top) * s,
            )
            .map_err(failed)
    }

    /// The points of one set: discs (train) or rings (test), each in its class's colour.
    fn draw_points(&self, pen: &Pen<'_>, frame: &Frame, train: bool) {
        let data = self.training.data();
        let set = if train { &data.train } else { &data.test };
        let (context, theme) = (&pen.context, &pen.theme);
        let s = theme.dpr;
        let r = 3.5 * s;
        frame.clip(context, s);
        context.set_line_width(if train { 1.0 } else { 1.75 } * s);
        for (class, &color) in theme.classes.iter().enumerate() {
            context.begin_path();
            let points = set.inputs.chunks_exact(2).zip(&set.labels);
            for (p, _) in points.filter(|(_, &y)| (y >= 0.5) == (class == 1)) {
                let (x, y) = frame.to_css(p[0], p[1]);
                context.move_to(x * s + r, y * s);
                let _ = context.arc(x * s, y * s, r, 0.0, std::f64::consts::TAU);
            }
            let (fill, stroke) = if train {
                (color, theme.background)
            } else {
                (theme.background, color)
            };
            context.set_fill_style_str(&css(fill));
            context.fill();
            context.set_stroke_style_str(&css(stroke));
            context.stroke();
        }
        context.restore();
    }
}

impl Figure for Playground {
    fn canvas(&self) -> DrawResult<&Canvas> {
        Ok(&self.boundary)
    }

    fn prepare(&mut self, _view: &View) -> Result<(), JsError> {
        let points = grid(self.range(), PLAYGROUND_LIMITS.grid);
        self.cells = self.training.probabilities(&points).map_err(js_error)?;
        Ok(())
    }

    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let [x0, x1, y0, y1] = self.range();
        let labels = Labels::new("x₁", "x₂");
        let (_, frame) = axes(&pen.area, &pen.theme, (x0, x1), (y0, y1), &labels)?;
        self.draw_heat_map(pen, &frame)?;
        self.draw_points(pen, &frame, true);
        self.draw_points(pen, &frame, false);
        let plot = pen.plot(&frame);
        plot.caption("● train  ○ test", &[]);
        if self.training.diverged().is_some() {
            plot.banner(
                "diverged: the weights are not numbers",
                pen.theme.error,
                &[],
            );
        }
        Ok(frame)
    }
}

//! The plotters backend every chart draws through: a canvas 2D context, sized for the screen,
//! whose text is measured on the canvas itself and remembered.
//!
//! plotters-canvas has no HiDPI support and measures text by inserting `<span>`s into the DOM,
//! which forces a layout per label (milliseconds per redraw). [`Surface`] makes the canvas
//! calls plotters-canvas makes, call for call (so the same pixels), with text widths from
//! `measureText`, cached per chart across redraws, and its colours' alpha and fonts' sizes
//! written by `calculus::digits` rather than std's float formatting (7 KB gzipped).

use std::cell::RefCell;
use std::collections::HashMap;

use calculus::digits::Shortest;
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::canvas::DrawError;
use super::theme::rgba;

/// What the canvas threw, as JSON (plotters' error type for this backend).
#[derive(Debug)]
pub struct CanvasError(String);

impl std::fmt::Display for CanvasError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Canvas Error: {}", self.0)
    }
}

impl std::error::Error for CanvasError {}

fn thrown(e: JsValue) -> DrawingErrorKind<CanvasError> {
    let text = crate::convert::json(&e);
    DrawingErrorKind::DrawingError(CanvasError(text))
}

/// Text sizes measured on a canvas, keyed by CSS font and text. Labels repeat from one redraw
/// to the next (a drag moves the point, not the axes), so nearly every lookup hits.
#[derive(Default)]
pub struct TextCache {
    // A RefCell because plotters asks for sizes through `&self`.
    sizes: RefCell<HashMap<(String, String), (u32, u32)>>,
}

impl TextCache {
    /// Bounded so that a reader scrubbing through many ranges cannot grow it without limit.
    const CAPACITY: usize = 4096;
}

/// A plotters backend over a canvas 2D context. It makes the canvas calls plotters-canvas
/// makes, call for call (so the same pixels), with its colours' alpha and its fonts' sizes
/// written by `calculus::digits` rather than std's float formatting (7 KB gzipped).
pub struct Surface<'a> {
    canvas: HtmlCanvasElement,
    context: CanvasRenderingContext2d,
    texts: &'a TextCache,
}

impl<'a> Surface<'a> {
    /// Sizes the backing store to `css_width × css_height × dpr` (only when it changed, since
    /// assigning `width` clears and reallocates the canvas) and wraps it.
    pub fn prepare(
        canvas: &HtmlCanvasElement,
        css_width: f64,
        css_height: f64,
        dpr: f64,
        texts: &'a TextCache,
    ) -> Result<Surface<'a>, DrawError> {
        if !(css_width.is_finite() && css_height.is_finite() && dpr.is_finite())
            || css_width < 1.0
            || css_height < 1.0
            || dpr <= 0.0
        {
            return Err(DrawError(format!(
                "cannot draw on a {}×{} canvas at pixel ratio {}",
                Shortest(css_width),
                Shortest(css_height),
                Shortest(dpr)
            )));
        }
        let width = (css_width * dpr).round().min(8192.0) as u32;
        let height = (css_height * dpr).round().min(8192.0) as u32;
        if canvas.width() != width {
            canvas.set_width(width);
        }
        if canvas.height() != height {
            canvas.set_height(height);
        }
        let context = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
            .ok_or_else(|| DrawError("this browser gave no 2D canvas context".into()))?;
        Ok(Surface {
            canvas: canvas.clone(),
            context,
            texts,
        })
    }

    /// The raw context, for what plotters has no words for: clipping and dashes.
    pub fn context(&self) -> CanvasRenderingContext2d {
        self.context.clone()
    }

    fn set_line_style(&self, style: &impl BackendStyle) {
        self.context.set_stroke_style_str(&rgba(style.color()));
        self.context.set_line_width(style.stroke_width() as f64);
    }

    fn set_fill(&self, color: BackendColor) {
        self.context.set_fill_style_str(&rgba(color));
    }

    /// `moveTo` the first point, `lineTo` the others.
    fn trace(&self, path: impl IntoIterator<Item = BackendCoord>) {
        for (i, (x, y)) in path.into_iter().enumerate() {
            let (x, y) = (f64::from(x), f64::from(y));
            if i == 0 {
                self.context.move_to(x, y);
            } else {
                self.context.line_to(x, y);
            }
        }
    }
}

fn css_font<S: BackendTextStyle>(style: &S) -> String {
    format!(
        "{} {}px {}",
        style.style().as_str(),
        Shortest(style.size()),
        style.family().as_str()
    )
}

type BackendResult<T> = Result<T, DrawingErrorKind<CanvasError>>;

impl DrawingBackend for Surface<'_> {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        (self.canvas.width(), self.canvas.height())
    }
    fn ensure_prepared(&mut self) -> BackendResult<()> {
        Ok(())
    }
    fn present(&mut self) -> BackendResult<()> {
        Ok(())
    }
    fn draw_pixel(&mut self, (x, y): BackendCoord, color: BackendColor) -> BackendResult<()> {
        if color.alpha != 0.0 {
            self.set_fill(color);
            self.context.fill_rect(f64::from(x), f64::from(y), 1.0, 1.0);
        }
        Ok(())
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> BackendResult<()> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        // Vertical and horizontal lines half a pixel back, onto the pixel grid.
        let (mut a, mut b) = (
            (f64::from(from.0), f64::from(from.1)),
            (f64::from(to.0), f64::from(to.1)),
        );
        if a.0 == b.0 {
            a.0 -= 0.5;
            b.0 -= 0.5;
        }
        if a.1 == b.1 {
            a.1 -= 0.5;
            b.1 -= 0.5;
        }
        self.set_line_style(style);
        self.context.begin_path();
        self.context.move_to(a.0, a.1);
        self.context.line_to(b.0, b.1);
        self.context.stroke();
        Ok(())
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        (x0, y0): BackendCoord,
        (x1, y1): BackendCoord,
        style: &S,
        fill: bool,
    ) -> BackendResult<()> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let rect = (
            f64::from(x0),
            f64::from(y0),
            f64::from(x1 - x0),
            f64::from(y1 - y0),
        );
        if fill {
            self.set_fill(style.color());
            self.context.fill_rect(rect.0, rect.1, rect.2, rect.3);
        } else {
            self.set_line_style(style);
            self.context.stroke_rect(rect.0, rect.1, rect.2, rect.3);
        }
        Ok(())
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> BackendResult<()> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.context.begin_path();
        let mut path = path.into_iter().peekable();
        if path.peek().is_some() {
            self.set_line_style(style);
            self.trace(path);
        }
        self.context.stroke();
        Ok(())
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        (x, y): BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> BackendResult<()> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        if fill {
            self.set_fill(style.color());
        } else {
            self.set_line_style(style);
        }
        self.context.begin_path();
        self.context
            .arc(
                f64::from(x),
                f64::from(y),
                f64::from(radius),
                0.0,
                std::f64::consts::PI * 2.0,
            )
            .map_err(thrown)?;
        if fill {
            self.context.fill();
        } else {
            self.context.stroke();
        }
        Ok(())
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> BackendResult<()> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.context.begin_path();
        let mut vert = vert.into_iter().peekable();
        if vert.peek().is_some() {
            self.set_fill(style.color());
            self.trace(vert);
            self.context.close_path();
        }
        self.context.fill();
        Ok(())
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        (x, y): BackendCoord,
    ) -> BackendResult<()> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let degrees = match style.transform() {
            FontTransform::None => 0.0,
            FontTransform::Rotate90 => 90.0,
            FontTransform::Rotate180 => 180.0,
            FontTransform::Rotate270 => 270.0,
        };
        let (mut x, mut y) = (f64::from(x), f64::from(y));
        let turned = degrees != 0.0;
        if turned {
            self.context.save();
            self.context.translate(x, y).map_err(thrown)?;
            self.context
                .rotate(degrees / 180.0 * std::f64::consts::PI)
                .map_err(thrown)?;
            (x, y) = (0.0, 0.0);
        }
        self.context.set_text_baseline(match style.anchor().v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        });
        self.context.set_text_align(match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        });
        self.set_fill(color);
        self.context.set_font(&css_font(style));
        self.context.fill_text(text, x, y).map_err(thrown)?;
        if turned {
            self.context.restore();
        }
        Ok(())
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> BackendResult<(u32, u32)> {
        let key = (css_font(style), text.to_string());
        if let Some(size) = self
            .texts
            .sizes
            .try_borrow()
            .ok()
            .and_then(|s| s.get(&key).copied())
        {
            return Ok(size);
        }
        self.context.set_font(&key.0);
        let width = self
            .context
            .measure_text(text)
            .map(|m| m.width())
            .unwrap_or(style.size() * 0.6 * text.chars().count() as f64);
        // Canvas metrics give no line height for a font; its size is what plotters expects.
        let size = (width.ceil() as u32, style.size().ceil() as u32);
        if let Ok(mut sizes) = self.texts.sizes.try_borrow_mut() {
            if sizes.len() >= TextCache::CAPACITY {
                sizes.clear();
            }
            sizes.insert(key, size);
        }
        Ok(size)
    }
}

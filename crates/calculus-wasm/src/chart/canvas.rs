//! The drawing surface: an HTML canvas sized for the screen, behind a plotters backend that
//! measures text on the canvas itself and remembers what it measured.
//!
//! plotters-canvas has no HiDPI support and measures text by inserting `<span>`s into the DOM,
//! which forces a layout per label (milliseconds per redraw). [`Surface`] fixes both: the backing
//! store is CSS size × devicePixelRatio, and text widths come from `measureText`, cached per
//! chart across redraws.
//!
//! [`Canvas::draw`] is the one shape of every redraw, so that a chart holds only what is
//! particular to it: the theme resolved for the screen, the canvas sized, the chart's own
//! painting (axes, then its marks), the result presented and the frame kept for pointer
//! mapping. A chart implements [`Figure::paint`], and [`figure!`](crate::figure) gives it
//! the JS methods every chart has: `draw(cssWidth, cssHeight, dpr, dark)` and `frame`.
//!
//! ```ignore
//! impl Figure for LossCurve {
//!     fn canvas(&self) -> DrawResult<&Canvas> { Ok(&self.canvas) }
//!     fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
//!         let (_, frame) = axes(&pen.area, &pen.theme, x, y, &Labels::new("step", "loss"))?;
//!         pen.plot(&frame).curve(points, pen.theme.curve, pen.theme.curve_width, Dash::Solid);
//!         Ok(frame)
//!     }
//! }
//! figure!(LossCurve);
//! ```

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use calculus::digits::Shortest;
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};

use plotters::coord::Shift;
use wasm_bindgen::{JsCast, JsError, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::frame::Frame;
use super::marks::Plot;
use super::theme::{Scheme, Theme};

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
    let text = js_sys::JSON::stringify(&e).map_or_else(|_| "Unknown".to_string(), String::from);
    DrawingErrorKind::DrawingError(CanvasError(text))
}

/// What went wrong while drawing; it becomes a JS `Error` at the boundary.
#[derive(Debug)]
pub struct DrawError(pub String);

impl std::fmt::Display for DrawError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DrawError {}

pub type DrawResult<T> = Result<T, DrawError>;

/// plotters' errors, worded for the reader.
pub fn drawing<T, E: std::fmt::Display>(result: Result<T, E>) -> DrawResult<T> {
    result.map_err(|e| DrawError(format!("could not draw the chart: {e}")))
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

/// `rgba(r,g,b,a)`, as plotters-canvas writes a colour.
fn rgba(color: BackendColor) -> String {
    let (r, g, b) = color.rgb;
    format!("rgba({r},{g},{b},{})", Shortest(color.alpha))
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

/// The screen a redraw is for: the canvas's size in CSS pixels, the device pixel ratio and
/// the page's colour scheme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub width: f64,
    pub height: f64,
    pub dpr: f64,
    pub dark: bool,
}

impl View {
    pub fn new(width: f64, height: f64, dpr: f64, dark: bool) -> View {
        View {
            width,
            height,
            dpr,
            dark,
        }
    }
}

/// One redraw in progress: the plotters drawing area over the canvas, its raw 2D context (for
/// what plotters draws coarsely or not at all: curves, clipping, dashes, text on patches) and
/// the theme resolved for the screen.
pub struct Pen<'c> {
    pub area: DrawingArea<Surface<'c>, Shift>,
    pub context: CanvasRenderingContext2d,
    pub theme: Theme,
    pub view: View,
}

impl Pen<'_> {
    /// The marks over the axes that gave `frame`.
    pub fn plot<'p>(&'p self, frame: &'p Frame) -> Plot<'p> {
        Plot::new(&self.context, &self.theme, frame)
    }
}

/// Which of a chart's canvases a [`Figure`] draws: a chart with one canvas has only `Main`;
/// a second picture beside it (the gradient field's pitfall) is a `Figure` of its own marker.
pub struct Main;

/// A chart as the redraw scaffold sees it: a canvas, and how to paint it for one screen.
pub trait Figure<Which = Main> {
    /// The canvas this figure draws on, or why there is none yet.
    fn canvas(&self) -> DrawResult<&Canvas>;

    /// Work that needs `&mut self` before a redraw: what the engine computes for this view
    /// (samples across its width, values at the point), kept for `paint` to read.
    fn prepare(&mut self, _view: &View) -> Result<(), JsError> {
        Ok(())
    }

    /// Draws the axes and what is particular to the chart; returns the axes' frame.
    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame>;

    /// One whole redraw: prepare, then paint through [`Canvas::draw`].
    fn redraw(&mut self, view: View) -> Result<(), JsError> {
        <Self as Figure<Which>>::prepare(self, &view)?;
        let canvas = <Self as Figure<Which>>::canvas(self)?;
        canvas.draw(view, |pen| <Self as Figure<Which>>::paint(self, pen))
    }
}

/// The JS methods every chart has: `draw(cssWidth, cssHeight, dpr, dark)` and the `frame`
/// getter (where the last redraw put the plot), for a type that implements [`Figure`].
///
/// - `figure!(Chart)`: `draw` and `frame`, for its [`Main`] figure;
/// - `figure!(Chart as Which: draw_which = drawWhich, which_frame = whichFrame)`: the same
///   two for its figure `Which` on another canvas, under those Rust and JS names;
/// - `figure!(Chart: redraw)`: `draw` alone, through `Chart::redraw(&mut self, View)`, for a
///   picture with no frame (the 3D surface).
#[macro_export]
macro_rules! figure {
    (@draw $chart:ty, $draw:ident = $draw_js:ident, $redraw:expr) => {
        #[wasm_bindgen::prelude::wasm_bindgen]
        impl $chart {
            /// Redraws the chart on a canvas `css_width × css_height` CSS pixels large.
            #[wasm_bindgen(js_name = $draw_js)]
            pub fn $draw(
                &mut self,
                css_width: f64,
                css_height: f64,
                dpr: f64,
                dark: bool,
            ) -> Result<(), wasm_bindgen::JsError> {
                let view = $crate::chart::canvas::View::new(css_width, css_height, dpr, dark);
                $redraw(self, view)
            }
        }
    };
    ($chart:ty) => {
        $crate::figure!($chart as $crate::chart::canvas::Main: draw = draw, frame = frame);
    };
    ($chart:ty as $which:ty: $draw:ident = $draw_js:ident, $frame:ident = $frame_js:ident) => {
        $crate::figure!(@draw $chart, $draw = $draw_js,
            <$chart as $crate::chart::canvas::Figure<$which>>::redraw);
        #[wasm_bindgen::prelude::wasm_bindgen]
        impl $chart {
            /// Where the last redraw put the plotting area (`undefined` before the first).
            #[wasm_bindgen(getter, js_name = $frame_js)]
            pub fn $frame(&self) -> wasm_bindgen::JsValue {
                let canvas = <$chart as $crate::chart::canvas::Figure<$which>>::canvas(self);
                $crate::chart::Frame::js(canvas.ok().and_then($crate::chart::canvas::Canvas::frame))
            }
        }
    };
    ($chart:ty: $redraw:ident) => {
        $crate::figure!(@draw $chart, draw = draw, <$chart>::$redraw);
    };
}

/// A chart's canvas and what it keeps from one redraw to the next: measured text, and where
/// the last redraw put the plotting area (for pointer mapping).
pub struct Canvas {
    element: HtmlCanvasElement,
    texts: TextCache,
    frame: Cell<Option<Frame>>,
}

impl Canvas {
    pub fn new(element: HtmlCanvasElement) -> Canvas {
        Canvas {
            element,
            texts: TextCache::default(),
            frame: Cell::new(None),
        }
    }

    /// Where the last redraw put the plotting area; `None` before the first.
    pub fn frame(&self) -> Option<Frame> {
        self.frame.get()
    }

    /// A redraw of a chart on axes: `paint` draws the axes and what is particular to the
    /// chart, and returns the axes' frame, which is kept for pointer mapping.
    pub fn draw(
        &self,
        view: View,
        paint: impl FnOnce(&Pen<'_>) -> DrawResult<Frame>,
    ) -> Result<(), JsError> {
        let frame = self.paint(view, paint)?;
        self.frame.set(Some(frame));
        Ok(())
    }

    /// A redraw with no axes (the 3D surface): `paint` draws it all.
    pub fn paint<T>(
        &self,
        view: View,
        paint: impl FnOnce(&Pen<'_>) -> DrawResult<T>,
    ) -> Result<T, JsError> {
        let surface = Surface::prepare(
            &self.element,
            view.width,
            view.height,
            view.dpr,
            &self.texts,
        )?;
        let context = surface.context();
        let pen = Pen {
            area: surface.into_drawing_area(),
            context,
            theme: Theme::new(Scheme::of(view.dark), view.dpr),
            view,
        };
        let out = paint(&pen)?;
        drawing(pen.area.present())?;
        Ok(out)
    }
}

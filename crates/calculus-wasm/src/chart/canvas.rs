//! The redraw scaffold, over the plotters backend [`Surface`] (chart/backend.rs: the canvas
//! sized for the screen, text measured on the canvas and remembered).
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

use std::cell::Cell;

use plotters::prelude::*;

use plotters::coord::Shift;
use wasm_bindgen::JsError;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

pub use super::backend::{CanvasError, Surface, TextCache};

use super::frame::Frame;
use super::marks::Plot;
use super::theme::{Scheme, Theme};

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
        // A canvas keeps its context's state (line cap, dashes, alpha, …) from one redraw to
        // the next unless it was resized, so a setting a chart leaves behind would draw the
        // next redraw differently from the first (the gears' round spoke caps lengthened their
        // arrows by a pixel at each end). Every redraw starts from the state the first had.
        pen.context.save();
        let out = paint(&pen);
        pen.context.restore();
        let out = out?;
        drawing(pen.area.present())?;
        Ok(out)
    }
}

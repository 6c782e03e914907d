//! Everything the book draws: one module per chart, named for what the reader sees, on a few
//! shared ones. Charts are plotters charts on a [`canvas::Surface`], styled only from
//! [`theme`], and every redraw goes through [`canvas::Canvas::draw`].
//!
//! - [`canvas`]: the HiDPI surface, the redraw scaffold ([`canvas::Pen`], [`canvas::View`]);
//! - [`frame`]: chart coordinates ↔ CSS pixels;
//! - [`axes`]: axes, ticks and grid;
//! - [`marks`]: curves, points, arrows, captions; [`legend`]: the legend;
//! - [`function`]: the function a widget holds, compiled once.
//!
//! ```ignore
//! self.canvas.draw(view, |pen| {
//!     let (_, frame) = axes(&pen.area, &pen.theme, (-10.0, 10.0), (-20.0, 100.0), &Labels::new("x", "y"))?;
//!     plot.curve(points, pen.theme.curve, pen.theme.curve_width, Dash::Solid);
//!     Ok(frame)
//! })
//! ```

pub mod axes;
pub mod backend;
pub mod canvas;
#[cfg(feature = "cliff")]
pub mod cliff;
#[cfg(feature = "two-variables")]
pub mod colour_bar;
#[cfg(feature = "graph")]
pub mod computational_graph;
#[cfg(feature = "maps")]
pub mod contour_map;
#[cfg(feature = "deep-gradients")]
pub mod deep_gradients;
#[cfg(feature = "descent-map")]
pub mod descent_map;
#[cfg(feature = "explorer")]
pub mod explorer;
pub mod frame;
pub mod function;
#[cfg(feature = "gears")]
pub mod gears;
#[cfg(feature = "field")]
pub mod gradient_field;
#[cfg(feature = "graph")]
pub mod graph_drawing;
#[cfg(feature = "graph")]
pub mod graph_layout;
#[cfg(feature = "lr-sweep")]
pub mod learning_rate_sweep;
pub mod legend;
#[cfg(feature = "loss-curve")]
pub mod loss_curve;
pub mod marks;
#[cfg(feature = "numerical-error")]
pub mod numerical_error;
#[cfg(feature = "race")]
pub mod optimizer_race;
#[cfg(feature = "walks")]
pub mod path;
#[cfg(feature = "playground")]
pub mod playground;
#[cfg(feature = "secant")]
pub mod secant;
#[cfg(feature = "surface")]
pub mod surface3d;
pub mod theme;
#[cfg(feature = "tiny-network")]
pub mod tiny_network;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::format::{format, Style};
use canvas::Surface;
use theme::Theme;

pub use axes::{axes, power_label, tick_label, Labels};
pub use canvas::{drawing, DrawError, DrawResult};
pub use frame::Frame;
#[cfg(feature = "two-variables")]
pub use function::two_variables;
pub use function::{checked_range, Curves, OneVariable};
pub use legend::{legend, LegendMark};
pub use marks::{spot, with_clip, Dash, LabelBox, Plot};

/// The plot every chart on axes draws into: its area of the canvas in chart coordinates
/// (what plotters' `ChartContext` holds, with its `draw_series` and `plotting_area`).
pub struct Chart<'b> {
    area: DrawingArea<Surface<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
}

impl<'b> Chart<'b> {
    pub fn new(
        area: DrawingArea<Surface<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    ) -> Self {
        Chart { area }
    }

    /// The plot's area, in chart coordinates.
    pub fn plotting_area(
        &self,
    ) -> &DrawingArea<Surface<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>> {
        &self.area
    }

    /// Draws each element of `series`, as `ChartContext::draw_series` does.
    pub fn draw_series<B, E, R, S>(
        &mut self,
        series: S,
    ) -> Result<(), plotters::drawing::DrawingAreaErrorKind<canvas::CanvasError>>
    where
        B: plotters::element::CoordMapper,
        for<'e> &'e E: plotters::element::PointCollection<'e, (f64, f64), B>,
        E: plotters::element::Drawable<Surface<'b>, B>,
        R: std::borrow::Borrow<E>,
        S: IntoIterator<Item = R>,
    {
        for element in series {
            self.area.draw(element.borrow())?;
        }
        Ok(())
    }
}

/// `#rrggbb` of the main curve in the light or dark theme (the widget contract's `curveColor`).
#[wasm_bindgen::prelude::wasm_bindgen(js_name = curveColor)]
pub fn curve_color(dark: bool) -> String {
    theme::hex(Theme::new(theme::Scheme::of(dark), 1.0).curve)
}

/// `#rrggbb` of the gradient arrows and the surface's slice in the light or dark theme (for
/// pixel checks; in every build, like [`curve_color`]).
#[wasm_bindgen::prelude::wasm_bindgen(js_name = arrowColor)]
pub fn arrow_color(dark: bool) -> String {
    theme::hex(Theme::new(theme::Scheme::of(dark), 1.0).arrow)
}

pub use calculus::view::{padded, sample_xs, with_breaks, y_range as view_range};

/// `v` within [lo, hi]: `f64::clamp` for lo ≤ hi, without its panic for lo > hi, whose message
/// formats the bounds with `{:?}` and so links all of std's float formatting (3.5 KB gzipped;
/// see `calculus::digits`). Where bounds come from a canvas's size, a tiny canvas may give
/// lo > hi: then this is hi, not a trap.
pub fn clamp(v: f64, lo: f64, hi: f64) -> f64 {
    if v < lo {
        lo
    } else if v > hi {
        hi
    } else {
        v
    }
}

/// The readouts' number, two decimals ([`Style::Decimals`]).
pub fn format_number(v: f64) -> String {
    format(v, Style::Decimals(2))
}

/// `digits` significant digits ([`Style::Significant`]).
pub fn format_significant(v: f64, digits: usize) -> String {
    format(v, Style::Significant(digits as u8))
}

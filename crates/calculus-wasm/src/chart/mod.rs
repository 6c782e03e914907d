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
pub mod canvas;
#[cfg(any(feature = "field", feature = "descent"))]
pub mod contour_map;
#[cfg(feature = "descent")]
pub mod descent_map;
pub mod explorer;
pub mod frame;
pub mod function;
#[cfg(feature = "field")]
pub mod gradient_field;
#[cfg(feature = "descent")]
pub mod learning_rate_sweep;
pub mod legend;
#[cfg(feature = "descent")]
pub mod loss_curve;
pub mod marks;
pub mod numerical_error;
#[cfg(feature = "descent")]
pub mod optimizer_race;
#[cfg(feature = "descent")]
pub mod path;
pub mod secant;
#[cfg(feature = "surface")]
pub mod surface3d;
pub mod theme;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use canvas::Surface;
use theme::Theme;

pub use axes::{axes, power_label, tick_label, Labels};
pub use canvas::{drawing, DrawError, DrawResult};
pub use frame::Frame;
#[cfg(any(feature = "surface", feature = "field", feature = "descent"))]
pub use function::two_variables;
pub use function::{checked_range, OneVariable};
pub use legend::{legend, LegendMark};
pub use marks::{spot, with_clip, Dash, LabelBox, Plot};

/// The plotters chart every widget draws into.
pub type Chart<'a, 'b> = ChartContext<'a, Surface<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

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

/// A y range that shows what matters of `values`: padded, never empty, always finite, and
/// robust to poles. Near a pole (tan, 1/x) a few samples are huge; when an extreme lies far
/// beyond the middle of the samples, that side of the view is set by the middle instead, so
/// the shape of the function stays visible rather than a few spikes.
pub fn view_range(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    // Beyond ±1e300 nothing is drawable, and spans must not overflow to infinity.
    const LIMIT: f64 = 1e300;
    let mut v: Vec<f64> = values
        .into_iter()
        .filter(|y| y.is_finite())
        .map(|y| y.clamp(-LIMIT, LIMIT))
        .collect();
    if v.is_empty() {
        return (-1.0, 1.0);
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| {
        v.get(((v.len() - 1) as f64 * q).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    let (mut lo, mut hi) = (at(0.0), at(1.0));
    // Measured against the middle 80%, each side on its own: one heavy tail (tan's derivative,
    // 1 + tan², has only a high one) must not hide the other. Ten times the middle keeps exp(x)
    // on [−10, 10] whole, and cuts tan's spikes.
    let (q10, q90) = (at(0.1), at(0.9));
    let middle = (q90 - q10).max(1e-12);
    if hi - q90 > 10.0 * middle {
        hi = q90 + middle;
    }
    if q10 - lo > 10.0 * middle {
        lo = q10 - middle;
    }
    let span = hi - lo;
    let (lo, hi) = if span < 1e-9 * (1.0 + lo.abs()) {
        let pad = 1.0f64.max(lo.abs() * 0.1);
        (lo - pad, hi + pad)
    } else {
        (lo - 0.06 * span, hi + 0.06 * span)
    };
    (lo.max(-LIMIT), hi.min(LIMIT))
}

/// Samples of a curve as points, with a break (a NaN point) wherever the curve jumps: at a
/// pole or a step, joining the samples would draw a vertical line that is not in the graph.
///
/// A jump is a change between neighbours of more than a quarter of the view that the curve's
/// own steepness does not explain: against the sign of the slopes on both sides (tan at its
/// poles) or far beyond them (a step, where the slopes are 0). Without slopes, it is a change
/// ten times those of the neighbouring samples.
pub fn with_breaks(xs: &[f64], ys: &[f64], slopes: Option<&[f64]>, y_span: f64) -> Vec<(f64, f64)> {
    let mut points = Vec::with_capacity(xs.len() + 8);
    let step = |i: usize| match (ys.get(i.wrapping_sub(1)), ys.get(i)) {
        (Some(a), Some(b)) => (b - a).abs(),
        _ => 0.0,
    };
    let n = xs
        .len()
        .min(ys.len())
        .min(slopes.map_or(usize::MAX, <[f64]>::len));
    for (i, (&x, &y)) in xs.iter().zip(ys).take(n).enumerate() {
        if i > 0 {
            let (x0, y0) = (xs[i - 1], ys[i - 1]);
            let dy = y - y0;
            let big = dy.abs() > 0.25 * y_span;
            let jump = big
                && match slopes {
                    Some(s) => {
                        let (s0, s1) = (s[i - 1], s[i]);
                        let against = s0 * dy < 0.0 && s1 * dy < 0.0;
                        let unexplained = dy.abs() > 10.0 * (s0.abs() + s1.abs()) * (x - x0);
                        against || unexplained
                    }
                    None => dy.abs() > 10.0 * step(i - 1).max(step(i + 1)),
                };
            if jump {
                points.push(((x0 + x) / 2.0, f64::NAN));
            }
        }
        points.push((x, y));
    }
    points
}

/// The x range to draw for a function on `range`: a little wider, so that markers at the two
/// ends (numpy's one-sided samples, say) are drawn whole instead of cut by the frame.
pub fn padded(range: (f64, f64)) -> (f64, f64) {
    let pad = 0.015 * (range.1 - range.0);
    (range.0 - pad, range.1 + pad)
}

/// Evenly spaced sample positions across `range`, one per `step` CSS pixels of `width`.
pub fn sample_xs(range: (f64, f64), css_width: f64, step: f64) -> Vec<f64> {
    let n = ((css_width / step).ceil() as usize).clamp(64, 2048);
    (0..=n)
        .map(|i| range.0 + (range.1 - range.0) * i as f64 / n as f64)
        .collect()
}

/// A number as the reader sees it in readouts: two decimals, scientific notation for tiny
/// and huge values; never `-0.00`.
pub fn format_number(v: f64) -> String {
    format_decimals(v, 2)
}

/// [`format_number`] with `decimals` places (and as many significant digits in scientific
/// notation).
pub fn format_decimals(v: f64, decimals: usize) -> String {
    if v.is_nan() {
        return "undefined".to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "∞".to_string()
        } else {
            "−∞".to_string()
        };
    }
    let a = v.abs();
    let tiny = 0.5 * 10f64.powi(-(decimals as i32));
    let s = if a != 0.0 && (a >= 1e6 || a < tiny) {
        format!("{v:.decimals$e}")
    } else {
        format!("{v:.decimals$}")
    };
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s
    }
}

/// `v` to `digits` significant digits, in scientific notation when it is very small or large:
/// `0.2020`, `0.006800`, `5.684e-14`. For readouts that compare errors of any size.
pub fn format_significant(v: f64, digits: usize) -> String {
    if !v.is_finite() || v == 0.0 {
        return if v == 0.0 {
            "0".to_string()
        } else {
            format_number(v)
        };
    }
    let exponent = v.abs().log10().floor() as i32;
    if (-3..6).contains(&exponent) {
        let decimals = (digits as i32 - 1 - exponent).max(0) as usize;
        format!("{v:.decimals$}")
    } else {
        format!("{v:.prec$e}", prec = digits.saturating_sub(1))
    }
}

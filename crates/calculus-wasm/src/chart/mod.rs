//! Everything the book draws. Charts are plotters charts on a [`canvas::Surface`], styled only
//! from [`theme`]; each widget's chart is its own module.
//!
//! Every chart is a plotters `Cartesian2d<f64, f64>`. A log axis is drawn as a linear axis of
//! log10 values with labels written as powers of ten, so that one coordinate type (and one
//! [`Frame`] for pointer mapping) serves every chart.
//!
//! ```ignore
//! let texts = TextCache::default();
//! let surface = Surface::prepare(&canvas, 640.0, 360.0, dpr, &texts)?;
//! let root = surface.into_drawing_area();
//! let (mut chart, frame) = axes(&root, &theme, (-10.0, 10.0), (-20.0, 100.0), &Labels::default())?;
//! draw_curve(&context, &frame, &theme, points, theme.curve, theme.curve_width, Dash::Solid);
//! ```

pub mod canvas;
#[cfg(any(feature = "field", feature = "descent"))]
pub mod contour_map;
#[cfg(feature = "descent")]
pub mod descent;
pub mod explorer;
#[cfg(feature = "field")]
pub mod gradient_field;
pub mod numerical_error;
pub mod secant;
#[cfg(feature = "surface")]
pub mod surface3d;
pub mod theme;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use canvas::Surface;
use theme::Theme;

/// The plotters chart every widget draws into.
pub type Chart<'a, 'b> = ChartContext<'a, Surface<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

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

pub(crate) fn drawing<T, E: std::fmt::Display>(result: Result<T, E>) -> DrawResult<T> {
    result.map_err(|e| DrawError(format!("could not draw the chart: {e}")))
}

/// Where the plotting area of the last redraw sits, so that pointer positions (CSS pixels) map
/// to chart coordinates and back without asking plotters, whose chart borrows the canvas.
#[wasm_bindgen::prelude::wasm_bindgen]
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    /// Visible x range.
    #[wasm_bindgen(skip)]
    pub x: (f64, f64),
    /// Visible y range, in axis units (log10 of the value on a log axis).
    #[wasm_bindgen(skip)]
    pub y: (f64, f64),
    #[wasm_bindgen(skip)]
    pub log_y: bool,
    /// Plotting area in CSS pixels: left, right, top, bottom.
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl Frame {
    /// CSS pixel of a chart point (for a log axis, `y` is the value, not its logarithm).
    pub fn to_css(&self, x: f64, y: f64) -> (f64, f64) {
        self.axis_to_css(x, if self.log_y { y.log10() } else { y })
    }

    /// CSS pixel of a point given in axis units (log10 of the value on a log axis).
    pub fn axis_to_css(&self, x: f64, y: f64) -> (f64, f64) {
        let px = self.left + (x - self.x.0) / (self.x.1 - self.x.0) * (self.right - self.left);
        let py = self.bottom - (y - self.y.0) / (self.y.1 - self.y.0) * (self.bottom - self.top);
        (px, py)
    }

    /// The x coordinate under a CSS pixel column, clamped to the visible range.
    pub fn css_to_x(&self, px: f64) -> f64 {
        let t = ((px - self.left) / (self.right - self.left)).clamp(0.0, 1.0);
        self.x.0 + t * (self.x.1 - self.x.0)
    }

    /// The y coordinate (axis units) under a CSS pixel row, clamped to the visible range.
    pub fn css_to_y(&self, py: f64) -> f64 {
        let t = ((self.bottom - py) / (self.bottom - self.top)).clamp(0.0, 1.0);
        self.y.0 + t * (self.y.1 - self.y.0)
    }

    /// CSS pixels per unit along x and along y.
    pub fn scale(&self) -> (f64, f64) {
        (
            (self.right - self.left) / (self.x.1 - self.x.0),
            (self.bottom - self.top) / (self.y.1 - self.y.0),
        )
    }

    /// The tangent through (x, y) with `slope`, about a seventh of the plot wide on each side
    /// (at most `half` CSS pixels), so it reads as a tangent at one point, not another curve,
    /// whatever its steepness and the screen's width.
    pub fn tangent_segment(&self, x: f64, y: f64, slope: f64, half: f64) -> [(f64, f64); 2] {
        let half = half.min((self.right - self.left) / 7.0);
        let kx = (self.right - self.left) / (self.x.1 - self.x.0);
        let ky = (self.bottom - self.top) / (self.y.1 - self.y.0);
        let t = half / kx.hypot(slope * ky);
        [(x - t, y - slope * t), (x + t, y + slope * t)]
    }

    /// Saves the context and clips it to the plotting area; the caller restores.
    pub fn clip(&self, context: &web_sys::CanvasRenderingContext2d, scale: f64) {
        context.save();
        context.begin_path();
        context.rect(
            self.left * scale,
            self.top * scale,
            (self.right - self.left) * scale,
            (self.bottom - self.top) * scale,
        );
        context.clip();
    }
}

/// What JS asks of the last redraw's frame (pointer mapping, tests' pixel checks).
#[wasm_bindgen::prelude::wasm_bindgen]
impl Frame {
    /// The x under a CSS pixel column of the canvas, clamped to the visible range.
    #[wasm_bindgen(js_name = xAt)]
    pub fn x_at(&self, css_x: f64) -> f64 {
        self.css_to_x(css_x)
    }

    /// The y under a CSS pixel row of the canvas, clamped to the visible range.
    #[wasm_bindgen(js_name = yAt)]
    pub fn y_at(&self, css_y: f64) -> f64 {
        self.css_to_y(css_y)
    }

    /// CSS pixel `[x, y]` of a chart point, relative to the canvas's top-left corner.
    #[wasm_bindgen(js_name = toPixel)]
    pub fn to_pixel(&self, x: f64, y: f64) -> Vec<f64> {
        let (px, py) = self.to_css(x, y);
        vec![px, py]
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

/// Axis captions and options for [`axes`].
#[derive(Default)]
pub struct Labels<'s> {
    pub x: &'s str,
    pub y: &'s str,
    pub log_y: bool,
    /// x is log10 of the value: ticks at powers of ten, labelled 10ⁿ.
    pub log_x: bool,
    /// Draw the lines x = 0 and y = 0 a little stronger than the grid, as `plt.axhline` does.
    pub zero_lines: bool,
    /// Room kept free right of the plot, in device pixels (for a colour bar).
    pub right: u32,
}

impl<'s> Labels<'s> {
    /// Axis captions `x` and `y` on linear axes, with no zero lines and no room on the right.
    pub fn new(x: &'s str, y: &'s str) -> Labels<'s> {
        Labels {
            x,
            y,
            log_y: false,
            log_x: false,
            zero_lines: false,
            right: 0,
        }
    }
}

/// Clears the canvas, draws grid, ticks and captions, and returns the chart and its [`Frame`].
pub fn axes<'a, 'b>(
    root: &'a DrawingArea<Surface<'b>, Shift>,
    theme: &Theme,
    x: (f64, f64),
    y: (f64, f64),
    labels: &Labels,
) -> DrawResult<(Chart<'a, 'b>, Frame)> {
    // plotters loops for ever looking for tick marks on an infinite or empty range.
    for (lo, hi) in [x, y] {
        if !(lo.is_finite() && hi.is_finite() && hi - lo > 0.0 && (hi - lo).is_finite()) {
            return Err(DrawError(format!("cannot draw an axis from {lo} to {hi}")));
        }
    }
    drawing(root.fill(&theme.background))?;
    let label_font = FontDesc::new(
        FontFamily::Name(theme.font_family),
        theme.label_font,
        FontStyle::Normal,
    );
    let label_style = TextStyle::from(label_font.clone()).color(&theme.muted_text);
    let mut chart = drawing(
        ChartBuilder::on(root)
            .margin(theme.margin)
            .margin_right(theme.margin + labels.right)
            .x_label_area_size(
                theme.x_label_area
                    + if labels.x.is_empty() {
                        0
                    } else {
                        theme.x_label_area / 2
                    },
            )
            // Powers of ten (10⁻¹⁵) are wider than plain ticks; keep them clear of the caption.
            .y_label_area_size(
                theme.y_label_area
                    + if labels.log_y && !labels.y.is_empty() {
                        (16.0 * theme.dpr) as u32
                    } else {
                        0
                    },
            )
            .build_cartesian_2d(x.0..x.1, y.0..y.1),
    )?;
    let (log_x, log_y) = (labels.log_x, labels.log_y);
    // Integer exponents only: a label like 10^-2.5 reads as noise.
    let decades = |(lo, hi): (f64, f64), max| ((hi - lo).floor() as usize).clamp(2, max);
    let y_ticks = if log_y { decades(y, 8) } else { 7 };
    let x_ticks = if log_x { decades(x, 9) } else { 9 };
    drawing(
        chart
            .configure_mesh()
            .disable_x_mesh()
            .disable_y_mesh()
            .x_labels(x_ticks)
            .y_labels(y_ticks)
            .x_desc(labels.x)
            .y_desc(labels.y)
            .axis_style(ShapeStyle::from(&theme.axis).stroke_width(theme.axis_width))
            .label_style(label_style.clone())
            .axis_desc_style(label_style)
            .x_label_formatter(&|v| {
                if log_x {
                    power_label(*v)
                } else {
                    tick_label(*v)
                }
            })
            .y_label_formatter(&|v| {
                if log_y {
                    power_label(*v)
                } else {
                    tick_label(*v)
                }
            })
            .draw(),
    )?;
    // The grid is drawn by hand at the labelled positions only: plotters' light mesh doubles
    // the number of lines without helping the reader.
    let grid = ShapeStyle::from(&theme.grid).stroke_width(theme.grid_width);
    let xs = key_points(x, x_ticks, log_x);
    let ys = key_points(y, y_ticks, log_y);
    drawing(
        chart.draw_series(
            xs.iter()
                .map(|&v| PathElement::new(vec![(v, y.0), (v, y.1)], grid)),
        ),
    )?;
    drawing(
        chart.draw_series(
            ys.iter()
                .map(|&v| PathElement::new(vec![(x.0, v), (x.1, v)], grid)),
        ),
    )?;
    if labels.zero_lines {
        let zero = ShapeStyle::from(&theme.axis).stroke_width(theme.axis_width);
        if x.0 < 0.0 && x.1 > 0.0 {
            drawing(chart.draw_series(std::iter::once(PathElement::new(
                vec![(0.0, y.0), (0.0, y.1)],
                zero,
            ))))?;
        }
        if !log_y && y.0 < 0.0 && y.1 > 0.0 {
            drawing(chart.draw_series(std::iter::once(PathElement::new(
                vec![(x.0, 0.0), (x.1, 0.0)],
                zero,
            ))))?;
        }
    }
    let (px, py) = chart.plotting_area().get_pixel_range();
    let scale = theme.dpr;
    let frame = Frame {
        x,
        y,
        log_y,
        left: f64::from(px.start) / scale,
        right: f64::from(px.end) / scale,
        top: f64::from(py.start) / scale,
        bottom: f64::from(py.end) / scale,
    };
    Ok((chart, frame))
}

/// Tick positions at 1-2-5 steps, the same rule plotters uses for its labels.
fn key_points(range: (f64, f64), max: usize, integers: bool) -> Vec<f64> {
    let span = range.1 - range.0;
    if !(span.is_finite() && span > 0.0) {
        return Vec::new();
    }
    let raw = span / max.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    if integers {
        step = step.max(1.0).round();
    }
    let first = (range.0 / step).ceil() as i64;
    let last = (range.1 / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// A tick label with no more digits than it needs: `-10`, `2.5`, `0.001`.
pub fn tick_label(v: f64) -> String {
    let v = if v.abs() < 1e-12 { 0.0 } else { v };
    if v != 0.0 && (v.abs() >= 1e5 || v.abs() < 1e-3) {
        return format!("{v:.0e}");
    }
    let s = format!("{:.4}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// `10⁻³` for an exponent of −3. Non-integer exponents get no label.
pub fn power_label(exponent: f64) -> String {
    if (exponent - exponent.round()).abs() > 1e-9 {
        return String::new();
    }
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let n = exponent.round() as i64;
    let mut s = String::from("10");
    if n < 0 {
        s.push('⁻');
    }
    for c in n.unsigned_abs().to_string().chars() {
        s.push(DIGITS[c.to_digit(10).unwrap_or(0) as usize]);
    }
    s
}

/// Line dash for [`draw_curve`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dash {
    Solid,
    Dashed,
}

/// Draws y(x) (y in axis units) as polylines clipped to the plotting area, broken where the
/// function is not finite or jumps across the whole view (a pole, like tan at π/2), so no
/// false vertical strokes appear.
///
/// Curves go straight to the canvas rather than through plotters, whose integer pixel
/// coordinates make a smooth parabola visibly stair-stepped at a pixel ratio of 1.
pub fn draw_curve(
    context: &web_sys::CanvasRenderingContext2d,
    frame: &Frame,
    theme: &Theme,
    points: impl IntoIterator<Item = (f64, f64)>,
    color: RGBColor,
    width: u32,
    dash: Dash,
) {
    let y_view = frame.y;
    let span = y_view.1 - y_view.0;
    // Far enough outside the view to keep slopes right, near enough for the canvas's floats.
    let (lo, hi) = (y_view.0 - 4.0 * span, y_view.1 + 4.0 * span);
    let scale = theme.dpr;
    frame.clip(context, scale);
    context.begin_path();
    let mut pen_down = false;
    let mut previous: Option<f64> = None;
    for (x, y) in points {
        let jump = previous
            .is_some_and(|p| (p > y_view.1 && y < y_view.0) || (p < y_view.0 && y > y_view.1));
        if !y.is_finite() || jump {
            pen_down = false;
        }
        if !y.is_finite() {
            previous = None;
            continue;
        }
        let (px, py) = frame.axis_to_css(x, y.clamp(lo, hi));
        if pen_down {
            context.line_to(px * scale, py * scale);
        } else {
            context.move_to(px * scale, py * scale);
            pen_down = true;
        }
        previous = Some(y);
    }
    context.set_stroke_style_str(&css_color(color));
    context.set_line_width(f64::from(width));
    context.set_line_join("round");
    context.set_line_cap("round");
    if dash == Dash::Dashed {
        set_dash(context, &theme.dash);
    }
    context.stroke();
    if dash == Dash::Dashed {
        set_dash(context, &[]);
    }
    context.restore();
}

fn css_color(c: RGBColor) -> String {
    format!("rgb({},{},{})", c.0, c.1, c.2)
}

fn set_dash(context: &web_sys::CanvasRenderingContext2d, pattern: &[f64]) {
    let array = js_sys::Array::new();
    for v in pattern {
        array.push(&(*v).into());
    }
    // setLineDash only fails on negative or non-finite entries, which the theme never has.
    let _ = context.set_line_dash(&array);
}

/// Runs `draw` with the canvas clipped to the plotting area.
pub fn with_clip<T>(
    chart: &mut Chart,
    context: &web_sys::CanvasRenderingContext2d,
    draw: impl FnOnce(&mut Chart) -> DrawResult<T>,
) -> DrawResult<T> {
    let (px, py) = chart.plotting_area().get_pixel_range();
    context.save();
    context.begin_path();
    context.rect(
        f64::from(px.start),
        f64::from(py.start),
        f64::from(px.end - px.start),
        f64::from(py.end - py.start),
    );
    context.clip();
    let result = draw(chart);
    context.restore();
    result
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

/// A function of one variable as a widget holds it: compiled once, with its derivative as text
/// and MathML for display.
pub struct OneVariable {
    pub function: calculus::Function1,
    /// What the reader typed, trimmed.
    pub source: String,
    /// The variable's name; `x` for a constant function.
    pub variable: String,
    pub mathml: String,
    pub derivative_text: String,
    pub derivative_mathml: String,
}

impl OneVariable {
    pub fn new(source: &str) -> Result<OneVariable, wasm_bindgen::JsError> {
        let expr = calculus::parse(source).map_err(crate::convert::js_error)?;
        let function = calculus::Function1::new(&expr).map_err(crate::convert::js_error)?;
        let variable = function.variable().unwrap_or("x").to_string();
        let derivative = calculus::differentiate(&expr, &variable);
        Ok(OneVariable {
            function,
            source: source.trim().to_string(),
            mathml: expr.to_mathml(),
            derivative_text: derivative.to_string(),
            derivative_mathml: derivative.to_mathml(),
            variable,
        })
    }
}

/// A function of two variables a reader typed (chapters 2 and 3), compiled.
#[cfg(any(feature = "surface", feature = "field", feature = "descent"))]
pub fn two_variables(source: &str) -> Result<calculus::surface::Function2, wasm_bindgen::JsError> {
    let expr = calculus::parse(source).map_err(crate::convert::js_error)?;
    calculus::surface::Function2::new(&expr, None).map_err(crate::convert::js_error)
}

/// An x range a reader (or an attribute) asked for, if it is one.
pub fn checked_range(xmin: f64, xmax: f64) -> Result<(f64, f64), wasm_bindgen::JsError> {
    if !(xmin.is_finite() && xmax.is_finite()) {
        return Err(wasm_bindgen::JsError::new(
            "the range must be two finite numbers",
        ));
    }
    if xmax <= xmin {
        return Err(wasm_bindgen::JsError::new(&format!(
            "xmax ({xmax}) must be greater than xmin ({xmin})"
        )));
    }
    // Narrower than this, neighbouring samples round to the same float.
    let narrowest = 1e-9 * (1.0 + xmin.abs().max(xmax.abs()));
    if xmax - xmin < narrowest {
        return Err(wasm_bindgen::JsError::new(&format!(
            "the range is too narrow to draw: xmax − xmin must be at least {narrowest:.1e}"
        )));
    }
    if xmax - xmin > 1e12 {
        return Err(wasm_bindgen::JsError::new(
            "the range is too wide to draw (at most 10¹² across)",
        ));
    }
    Ok((xmin, xmax))
}

/// How a legend entry is drawn.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum LegendMark {
    Line,
    Dashed,
    Dot,
    Ring,
}

/// A legend in whichever spot along the top or bottom of the plotting area the `avoid` points
/// (in axis units) leave emptiest.
/// A box on the chart, `((left, top), (right, bottom))` in CSS pixels: a label's, say.
pub type LabelBox = ((f64, f64), (f64, f64));

/// The box of a single point (CSS pixels).
pub fn spot(p: (f64, f64)) -> LabelBox {
    (p, p)
}

pub fn legend(
    chart: &mut Chart,
    theme: &Theme,
    entries: &[(String, RGBColor, LegendMark)],
    avoid: &[(f64, f64)],
    keep_clear: &[LabelBox],
    frame: &Frame,
) -> DrawResult<()> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let font = FontDesc::new(
        FontFamily::Name(theme.font_family),
        theme.label_font,
        FontStyle::Normal,
    );
    let style = TextStyle::from(font)
        .color(&theme.text)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let area = chart.plotting_area().strip_coord_spec();
    let (aw, ah) = area.dim_in_pixel();
    let (aw, ah) = (aw as i32, ah as i32);
    let line = (theme.label_font * 1.9) as i32;
    let row = (theme.label_font * 1.5) as i32;
    let pad = (theme.label_font * 0.6) as i32;
    let mut text_width = 0;
    for (label, _, _) in entries {
        let (w, _) = drawing(area.estimate_text_size(label, &style))?;
        text_width = text_width.max(w as i32);
    }
    let w = pad * 3 + line + text_width;
    let h = pad * 2 + row * entries.len() as i32;
    let (right, bottom, middle) = (aw - w - pad, ah - h - pad, (aw - w) / 2);
    let (quarter, three_quarters, centre) = ((aw - w) / 4, (aw - w) * 3 / 4, (ah - h) / 2);
    // The corners first; then along the edges and down the sides, for charts whose corners
    // all hold something (a label, the curve).
    let spots = [
        (right, pad),
        (pad, pad),
        (right, bottom),
        (pad, bottom),
        (middle, pad),
        (middle, bottom),
        (quarter, pad),
        (three_quarters, pad),
        (quarter, bottom),
        (three_quarters, bottom),
        (right, centre),
        (pad, centre),
    ];
    let scale = theme.dpr;
    // Points near the box count too: a marker half under the border reads as hidden.
    let margin = f64::from(theme.point_radius * 2);
    let crowd = |(sx, sy): (i32, i32)| {
        avoid
            .iter()
            .filter(|(x, y)| {
                let (px, py) = frame.axis_to_css(*x, *y);
                let (px, py) = ((px - frame.left) * scale, (py - frame.top) * scale);
                px >= f64::from(sx) - margin
                    && px <= f64::from(sx + w) + margin
                    && py >= f64::from(sy) - margin
                    && py <= f64::from(sy + h) + margin
            })
            .count()
    };
    // A label under the legend is lost entirely: any spot clear of labels beats every other.
    let covered = |(sx, sy): (i32, i32)| {
        keep_clear
            .iter()
            .filter(|((l, t), (r, b))| {
                let (l, t) = ((l - frame.left) * scale, (t - frame.top) * scale);
                let (r, b) = ((r - frame.left) * scale, (b - frame.top) * scale);
                l < f64::from(sx + w)
                    && r > f64::from(sx)
                    && t < f64::from(sy + h)
                    && b > f64::from(sy)
            })
            .count()
    };
    let (x0, y0) = spots
        .iter()
        .copied()
        .min_by_key(|s| (covered(*s), crowd(*s)))
        .unwrap_or(spots[0]);
    let panel = [(x0, y0), (x0 + w, y0 + h)];
    drawing(area.draw(&Rectangle::new(
        panel,
        ShapeStyle::from(&theme.background.mix(0.9)).filled(),
    )))?;
    drawing(area.draw(&Rectangle::new(
        panel,
        ShapeStyle::from(&theme.grid).stroke_width(theme.grid_width),
    )))?;
    for (i, (label, color, mark)) in entries.iter().enumerate() {
        let cy = y0 + pad + row * i as i32 + row / 2;
        let lx = x0 + pad;
        let stroke = ShapeStyle::from(color).stroke_width(theme.curve_width);
        match mark {
            LegendMark::Line => {
                drawing(area.draw(&PathElement::new(vec![(lx, cy), (lx + line, cy)], stroke)))?
            }
            LegendMark::Dashed => {
                let third = line / 3;
                drawing(area.draw(&PathElement::new(vec![(lx, cy), (lx + third, cy)], stroke)))?;
                drawing(area.draw(&PathElement::new(
                    vec![(lx + 2 * third, cy), (lx + line, cy)],
                    stroke,
                )))?;
            }
            LegendMark::Dot => {
                let dot = ShapeStyle::from(color).filled();
                drawing(area.draw(&Circle::new((lx + line / 2, cy), theme.marker_radius, dot)))?;
            }
            LegendMark::Ring => {
                let ring = ShapeStyle::from(color).stroke_width(theme.grid_width);
                drawing(area.draw(&Circle::new((lx + line / 2, cy), theme.marker_radius, ring)))?;
            }
        }
        drawing(area.draw(&Text::new(
            label.clone(),
            (lx + line + pad, cy),
            style.clone(),
        )))?;
    }
    Ok(())
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

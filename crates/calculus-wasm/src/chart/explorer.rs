//! Chapter 1's function-and-derivative explorer: f(x), its exact f'(x), optionally numpy-style
//! numerical derivative samples, flat points labelled minimum/maximum, and a point with its
//! tangent line.
//!
//! ```js
//! const chart = new DerivativeExplorer(canvas);   // x^2 on [-10, 10], the point at x = 1
//! chart.setFunction("x^3 - 3x");                  // throws on a bad function, keeping x^2
//! chart.setX(1.5);
//! chart.draw(640, 360, devicePixelRatio, false);
//! chart.readout();   // "x = 1.50, f(x) = -1.12, f'(x) = 3.75: increasing"
//! ```

use calculus::{FlatKind, FlatPoint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::figure;

use super::canvas::{Canvas, Figure, Pen, View};
use super::legend::Entry;
use super::theme::Theme;
use super::{
    axes, drawing, format_number, legend, padded, view_range, with_breaks, with_clip, Chart,
    Curves, Dash, DrawResult, Frame, LabelBox, Labels, LegendMark, OneVariable, Plot,
};

/// How finely flat points are searched for: sign changes of f' between these many samples.
const FLAT_SEARCH_SAMPLES: usize = 2000;

/// Half the tangent line's length, in CSS pixels.
const TANGENT_HALF_LENGTH: f64 = 90.0;

/// Sample positions and the numerical derivative there.
type Samples = (Vec<f64>, Vec<f64>);

#[wasm_bindgen]
pub struct DerivativeExplorer {
    canvas: Canvas,
    f: OneVariable,
    range: (f64, f64),
    /// Number of numpy.gradient samples to show; 0 hides them.
    samples: usize,
    flats: Vec<FlatPoint>,
    /// Where the movable point is.
    x: f64,
    /// f and f' across the view, the numerical samples and the point, as the next paint
    /// draws them (made by `prepare`, for the view's width).
    curves: Curves,
    numerical: Option<Samples>,
    point: Point,
}

#[wasm_bindgen]
impl DerivativeExplorer {
    /// A chart of x² on [−10, 10] with the point at x = 1, the book's first example.
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<DerivativeExplorer, JsError> {
        let range = (-10.0, 10.0);
        let mut chart = DerivativeExplorer {
            canvas: Canvas::new(canvas),
            f: OneVariable::new("x^2", range)?,
            range,
            samples: 0,
            flats: Vec::new(),
            x: 1.0,
            curves: Curves::default(),
            numerical: None,
            point: Point::default(),
        };
        chart.find_flats();
        Ok(chart)
    }

    /// Replaces the function. On error (bad syntax, two variables) the chart keeps its last
    /// good function and the error's message says what is wrong and where.
    #[wasm_bindgen(js_name = setFunction)]
    pub fn set_function(&mut self, source: &str) -> Result<(), JsError> {
        self.f = OneVariable::new(source, self.range)?;
        self.find_flats();
        Ok(())
    }

    #[wasm_bindgen(js_name = setRange)]
    pub fn set_range(&mut self, xmin: f64, xmax: f64) -> Result<(), JsError> {
        self.range = super::checked_range(xmin, xmax)?;
        self.find_flats();
        Ok(())
    }

    /// Shows `samples` numerical-derivative points (numpy.gradient over linspace); 0 hides them.
    #[wasm_bindgen(js_name = setNumerical)]
    pub fn set_numerical(&mut self, samples: u32) -> Result<(), JsError> {
        if samples == 1 || samples > 5000 {
            return Err(JsError::new(
                "samples must be between 2 and 5000 (or 0 to hide them)",
            ));
        }
        self.samples = samples as usize;
        Ok(())
    }

    /// Moves the point (and its tangent) to `x`; the widget keeps it inside the range.
    #[wasm_bindgen(js_name = setX)]
    pub fn set_x(&mut self, x: f64) {
        self.x = x;
    }

    /// f'(x) as simplified text, e.g. `2*x`.
    #[wasm_bindgen(getter, js_name = derivativeText)]
    pub fn derivative_text(&self) -> String {
        self.f.derivative_text.clone()
    }

    /// f'(x) as MathML, for typesetting beside the chart.
    #[wasm_bindgen(getter, js_name = derivativeMathML)]
    pub fn derivative_mathml(&self) -> String {
        self.f.derivative_mathml.clone()
    }

    /// f(x) as MathML.
    #[wasm_bindgen(getter, js_name = functionMathML)]
    pub fn function_mathml(&self) -> String {
        self.f.mathml.clone()
    }

    /// The variable's name (`x` for a constant function).
    #[wasm_bindgen(getter)]
    pub fn variable(&self) -> String {
        self.f.variable.clone()
    }

    /// The live readout: `x = 1.50, f(x) = 2.25, f'(x) = 3.00: increasing`.
    pub fn readout(&mut self) -> String {
        let (x, v) = (self.x, &self.f.variable);
        let (fx, slope) = self.f.function.value_and_slope(x);
        let at = format!("{v} = {}", format_number(x));
        if !fx.is_finite() {
            // No value, no slope: whatever autodiff's rules give there means nothing.
            return format!("{at}, f({v}) = undefined, f'({v}) = undefined");
        }
        if self.f.function.jumps(x) {
            return format!(
                "{at}, f({v}) = {}, f'({v}) = undefined: f jumps here",
                format_number(fx)
            );
        }
        if let Some((left, right)) = self.f.function.corner(x) {
            return format!(
                "{at}, f({v}) = {}, f'({v}) = undefined: a corner (slope {} from the left, {} from the right)",
                format_number(fx),
                format_number(left),
                format_number(right)
            );
        }
        let trend = if !slope.is_finite() {
            ""
        } else if slope > 0.0 {
            ": increasing"
        } else if slope < 0.0 {
            ": decreasing"
        } else {
            ": flat"
        };
        format!(
            "{at}, f({v}) = {}, f'({v}) = {}{trend}",
            format_number(fx),
            format_number(slope)
        )
    }

    /// What the chart shows, in words, for its `aria-label`.
    pub fn describe(&mut self) -> String {
        let v = &self.f.variable;
        let mut s = format!(
            "Chart of f({v}) = {} and its derivative f'({v}) = {} for {v} from {} to {}.",
            self.f.spoken,
            self.f.derivative_spoken,
            format_number(self.range.0),
            format_number(self.range.1)
        );
        for p in &self.flats {
            s.push_str(&format!(
                " {} at {v} = {}, f = {}.",
                match p.kind {
                    FlatKind::Minimum => "Minimum",
                    FlatKind::Maximum => "Maximum",
                    FlatKind::Neither => "Flat point, neither minimum nor maximum,",
                },
                format_number(p.x),
                format_number(p.y)
            ));
        }
        if self.samples > 0 {
            s.push_str(&format!(
                " Dots: the numerical derivative from {} samples.",
                self.samples
            ));
        }
        s.push_str(&format!(
            " The point with its tangent line: {}.",
            self.readout()
        ));
        s
    }

    /// f'(x) by the autodiff graph (NaN where it is undefined).
    pub fn slope(&mut self, x: f64) -> f64 {
        self.f.function.value_and_slope(x).1
    }

    /// f(x), for callers placing things on the curve.
    pub fn value(&mut self, x: f64) -> f64 {
        self.f.function.value(x)
    }

    /// Flat points as a flat array `[x0, y0, kind0, x1, ...]` with kind 1 = minimum, −1 = maximum, 0 = flat but neither.
    #[wasm_bindgen(js_name = flatPoints)]
    pub fn flat_points(&self) -> Vec<f64> {
        self.flats
            .iter()
            .flat_map(|p| {
                [
                    p.x,
                    p.y,
                    match p.kind {
                        FlatKind::Minimum => 1.0,
                        FlatKind::Maximum => -1.0,
                        FlatKind::Neither => 0.0,
                    },
                ]
            })
            .collect()
    }
}

impl Figure for DerivativeExplorer {
    fn canvas(&self) -> DrawResult<&Canvas> {
        Ok(&self.canvas)
    }

    fn prepare(&mut self, view: &View) -> Result<(), JsError> {
        self.curves = self.f.curves(self.range, view.width);
        self.numerical = self.numerical()?;
        self.point = self.point();
        Ok(())
    }

    /// f, f', the numerical samples, the flat points, the point at x with its tangent.
    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let (curves, numerical) = (&self.curves, &self.numerical);
        let y = view_range(curves.fs.iter().chain(&curves.ds).copied());
        let labels = Labels {
            zero_lines: true,
            ..Labels::new(&self.f.variable, "")
        };
        let (mut chart, frame) = axes(&pen.area, &pen.theme, padded(self.range), y, &labels)?;
        let (plot, theme) = (pen.plot(&frame), &pen.theme);
        let span = y.1 - y.0;
        let f_points = with_breaks(&curves.xs, &curves.fs, Some(&curves.ds), span);
        let d_points = with_breaks(&curves.xs, &curves.ds, None, span);
        let d = d_points.iter().copied();
        plot.curve(d, theme.derivative, theme.curve_width, Dash::Dashed);
        if let Some(samples) = numerical {
            numerical_dots(&mut chart, &plot, samples)?;
        }
        let f = f_points.iter().copied();
        plot.curve(f, theme.curve, theme.curve_width, Dash::Solid);
        self.flat_markers(&mut chart, &plot)?;
        self.point.draw(&mut chart, &plot)?;
        // After the point, so that the point never hides a word.
        let words = self.flat_labels(&mut chart, &plot)?;
        let curve: Vec<(f64, f64)> = f_points
            .into_iter()
            .chain(d_points)
            .filter(|(_, y)| y.is_finite())
            .collect();
        let entries = self.legend_entries(theme, numerical.is_some());
        legend(&chart, &plot, &entries, &curve, &words)?;
        Ok(frame)
    }
}

figure!(DerivativeExplorer);

impl DerivativeExplorer {
    fn find_flats(&mut self) {
        self.flats = calculus::flat_points(
            &mut self.f.function,
            self.range.0,
            self.range.1,
            FLAT_SEARCH_SAMPLES,
        );
    }

    /// numpy.gradient over `samples` points of linspace(range): the book's Python, in Rust.
    fn numerical(&mut self) -> Result<Option<Samples>, JsError> {
        if self.samples < 2 {
            return Ok(None);
        }
        // Only the samples: the exact slopes beside them are the curve's, drawn already.
        let (xs, _, numerical) =
            calculus::numerical::sampled(&mut self.f.function, self.range, self.samples)
                .map_err(crate::convert::js_error)?;
        Ok(Some((xs, numerical)))
    }

    fn point(&mut self) -> Point {
        let x = self.x;
        let (fx, slope) = self.f.function.value_and_slope(x);
        // At a corner there is no tangent: the two one-sided ones show why.
        let slopes = match self.f.function.corner(x) {
            Some((left, right)) => [left, right],
            None => [slope, slope],
        };
        let tangent = fx.is_finite() && !self.f.function.jumps(x);
        Point {
            x,
            fx,
            slopes: tangent.then_some(slopes),
        }
    }

    /// A disc on f at each flat point, and a ring where f' crosses zero below it.
    fn flat_markers(&self, chart: &mut Chart, plot: &Plot) -> DrawResult<()> {
        let theme = plot.theme;
        let ring = |color: &RGBColor| ShapeStyle::from(color).stroke_width(theme.thin_width);
        with_clip(chart, plot.context, |chart| {
            for p in &self.flats {
                let color = flat_label(p.kind, theme).0;
                drawing(chart.draw_series([Circle::new(
                    (p.x, p.y),
                    theme.marker_radius + 1,
                    ShapeStyle::from(&color).filled(),
                )]))?;
                drawing(chart.draw_series([Circle::new(
                    (p.x, 0.0),
                    theme.marker_radius,
                    ring(&color),
                )]))?;
            }
            Ok(())
        })
    }

    /// "minimum", "maximum" or "inflection" beside each flat point: below a minimum and above
    /// a maximum unless the plot's edge is too near, and slid sideways to stay inside it.
    /// Returns the boxes the words take (CSS pixels), for the legend to keep clear of.
    fn flat_labels(&self, chart: &mut Chart, plot: &Plot) -> DrawResult<Vec<LabelBox>> {
        let (theme, frame) = (plot.theme, plot.frame);
        let font = theme.font(theme.annotation_font);
        let s = theme.dpr;
        let gap = f64::from(theme.marker_radius * 3) / s;
        let height = 1.3 * theme.annotation_font / s;
        let mut boxes = Vec::new();
        for p in &self.flats {
            let (px, py) = frame.to_css(p.x, p.y);
            let inside =
                px >= frame.left && px <= frame.right && py >= frame.top && py <= frame.bottom;
            if !inside {
                continue;
            }
            let (_, word, prefer_below) = flat_label(p.kind, theme);
            let style = TextStyle::from(font.clone()).color(&theme.text);
            let (w, _) = drawing(chart.plotting_area().estimate_text_size(word, &style))?;
            let half = f64::from(w) / s / 2.0;
            let (fits_below, fits_above) = (
                frame.bottom - py > gap + height,
                py - frame.top > gap + height,
            );
            let below = if prefer_below {
                fits_below || !fits_above
            } else {
                fits_below && !fits_above
            };
            let cx = super::clamp(
                px,
                frame.left + half + 2.0,
                (frame.right - half - 2.0).max(frame.left + half + 2.0),
            );
            let top = if below { py + gap } else { py - gap - height };
            let anchor = Pos::new(HPos::Center, VPos::Top);
            drawing(chart.draw_series([EmptyElement::at((p.x, p.y))
                + Text::new(
                    word.to_string(),
                    (((cx - px) * s) as i32, ((top - py) * s) as i32),
                    style.pos(anchor),
                )]))?;
            boxes.push(((cx - half, top), (cx + half, top + height)));
        }
        Ok(boxes)
    }

    fn legend_entries(&self, theme: &Theme, numerical: bool) -> Vec<Entry> {
        let v = &self.f.variable;
        [
            Some((format!("f({v})"), theme.curve, LegendMark::Line)),
            Some((format!("f'({v})"), theme.derivative, LegendMark::Dashed)),
            numerical.then(|| {
                (
                    "numpy.gradient".to_string(),
                    theme.numerical,
                    LegendMark::Dot,
                )
            }),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// The movable point as the redraw shows it.
#[derive(Default)]
struct Point {
    x: f64,
    fx: f64,
    /// The tangent's slope left and right of x (they differ at a corner); `None` where f is
    /// undefined or jumps, and has no tangent.
    slopes: Option<[f64; 2]>,
}

impl Point {
    /// The tangent, as two halves from the point, and the point over it.
    fn draw(&self, chart: &mut Chart, plot: &Plot) -> DrawResult<()> {
        let (x, fx, theme) = (self.x, self.fx, plot.theme);
        let halves = self.slopes.into_iter().flatten().enumerate();
        for (side, s) in halves.filter(|(_, s)| s.is_finite()) {
            let ends = plot.frame.tangent_segment(x, fx, s, TANGENT_HALF_LENGTH);
            let half = if side == 0 {
                [ends[0], (x, fx)]
            } else {
                [(x, fx), ends[1]]
            };
            plot.curve(half, theme.tangent, theme.curve_width, Dash::Solid);
        }
        if !fx.is_finite() {
            return Ok(());
        }
        with_clip(chart, plot.context, |chart| {
            drawing(chart.draw_series([
                Circle::new(
                    (x, fx),
                    theme.point_radius + theme.grid_width * 2,
                    ShapeStyle::from(&theme.background).filled(),
                ),
                Circle::new(
                    (x, fx),
                    theme.point_radius,
                    ShapeStyle::from(&theme.tangent).filled(),
                ),
            ]))
            .map(|_| ())
        })
    }
}

/// numpy.gradient's samples as small discs (the exact f' runs under them as a dashed line).
fn numerical_dots(chart: &mut Chart, plot: &Plot, (xs, gradients): &Samples) -> DrawResult<()> {
    let theme = plot.theme;
    let dot = ShapeStyle::from(&theme.numerical).filled();
    let r = (theme.marker_radius * 2 / 3).max(1);
    with_clip(chart, plot.context, |chart| {
        drawing(
            chart.draw_series(
                xs.iter()
                    .zip(gradients)
                    .filter(|(_, g)| g.is_finite())
                    .map(|(&a, &b)| Circle::new((a, b), r, dot)),
            ),
        )
        .map(|_| ())
    })
}

/// A flat point's colour, its word, and whether the word prefers to sit below it.
fn flat_label(kind: FlatKind, theme: &Theme) -> (RGBColor, &'static str, bool) {
    match kind {
        FlatKind::Minimum => (theme.minimum, "minimum", true),
        FlatKind::Maximum => (theme.maximum, "maximum", false),
        FlatKind::Neither => (theme.muted_text, "inflection", true),
    }
}

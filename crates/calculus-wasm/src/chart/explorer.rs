//! Chapter 1's function-and-derivative explorer: f(x), its exact f'(x), optionally numpy-style
//! numerical derivative samples, flat points labelled minimum/maximum, and a point with its
//! tangent line.
//!
//! ```js
//! const chart = new DerivativeExplorer(canvas);   // x^2 on [-10, 10]
//! chart.setFunction("x^3 - 3x");                  // throws, keeping x^3 - 3x's predecessor
//! chart.draw(1.5, 640, 360, devicePixelRatio, false);
//! chart.readout(1.5);  // "x = 1.50, f(x) = -1.12, f'(x) = 3.75: increasing"
//! ```

use calculus::{FlatKind, FlatPoint};
use plotters::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::canvas::Canvas;
use super::theme::{Scheme, Theme};
use super::{
    axes, drawing, format_number, padded, sample_xs, view_range, with_breaks, with_clip, Dash,
    Frame, LabelBox, Labels, LegendMark, OneVariable,
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
}

#[wasm_bindgen]
impl DerivativeExplorer {
    /// A chart of x² on [−10, 10], the book's first example.
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<DerivativeExplorer, JsError> {
        let mut chart = DerivativeExplorer {
            canvas: Canvas::new(canvas),
            f: OneVariable::new("x^2")?,
            range: (-10.0, 10.0),
            samples: 0,
            flats: Vec::new(),
        };
        chart.find_flats();
        Ok(chart)
    }

    /// Replaces the function. On error (bad syntax, two variables) the chart keeps its last
    /// good function and the error's message says what is wrong and where.
    #[wasm_bindgen(js_name = setFunction)]
    pub fn set_function(&mut self, source: &str) -> Result<(), JsError> {
        self.f = OneVariable::new(source)?;
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

    /// Redraws everything with the point at `x`.
    pub fn draw(
        &mut self,
        x: f64,
        css_width: f64,
        css_height: f64,
        dpr: f64,
        dark: bool,
    ) -> Result<(), JsError> {
        let theme = Theme::new(Scheme::of(dark), dpr);
        let xs = sample_xs(self.range, css_width, 1.5);
        let mut fs = Vec::with_capacity(xs.len());
        let mut ds = Vec::with_capacity(xs.len());
        for &x in &xs {
            let (f, d) = self.f.function.value_and_slope(x);
            fs.push(f);
            ds.push(d);
        }
        let y = view_range(fs.iter().chain(ds.iter()).copied());
        let numerical = self.numerical()?;

        let (root, context) = self.canvas.begin(css_width, css_height, dpr)?;
        let v = &self.f.variable;
        let (mut chart, frame) = axes(
            &root,
            &theme,
            padded(self.range),
            y,
            &Labels {
                zero_lines: true,
                ..Labels::new(v, "")
            },
        )?;
        let plot = super::Plot::new(&context, &theme, &frame);
        let span = y.1 - y.0;
        let f_points = with_breaks(&xs, &fs, Some(&ds), span);
        let d_points = with_breaks(&xs, &ds, None, span);
        plot.curve(
            d_points.iter().copied(),
            theme.derivative,
            theme.curve_width,
            Dash::Dashed,
        );
        if let Some((nx, ny)) = &numerical {
            let dot = ShapeStyle::from(&theme.numerical).filled();
            let r = (theme.marker_radius * 2 / 3).max(1);
            with_clip(&mut chart, &context, |chart| {
                drawing(
                    chart.draw_series(
                        nx.iter()
                            .zip(ny)
                            .filter(|(_, g)| g.is_finite())
                            .map(|(&a, &b)| Circle::new((a, b), r, dot)),
                    ),
                )
                .map(|_| ())
            })?;
        }
        plot.curve(
            f_points.iter().copied(),
            theme.curve,
            theme.curve_width,
            Dash::Solid,
        );
        self.flat_markers(&mut chart, &theme, &context)?;

        let (fx, slope) = self.f.function.value_and_slope(x);
        // At a corner there is no tangent: the two one-sided ones show why.
        let halves = match self.f.function.corner(x) {
            Some((left, right)) => [(left, 0), (right, 1)],
            None => [(slope, 0), (slope, 1)],
        };
        if fx.is_finite() && !self.f.function.jumps(x) {
            for (s, side) in halves.into_iter().filter(|(s, _)| s.is_finite()) {
                let ends = frame.tangent_segment(x, fx, s, TANGENT_HALF_LENGTH);
                let half = if side == 0 {
                    [ends[0], (x, fx)]
                } else {
                    [(x, fx), ends[1]]
                };
                plot.curve(half, theme.tangent, theme.curve_width, Dash::Solid);
            }
        }
        if fx.is_finite() {
            with_clip(&mut chart, &context, |chart| {
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
            })?;
        }
        let labels = self.flat_labels(&mut chart, &theme, &frame)?;
        let curve: Vec<(f64, f64)> = f_points
            .into_iter()
            .chain(d_points)
            .filter(|(_, y)| y.is_finite())
            .collect();
        self.legend(&chart, &plot, numerical.is_some(), &curve, &labels)?;
        drop(chart);
        drawing(root.present())?;
        drop(root);
        self.canvas.set_frame(frame);
        Ok(())
    }

    /// The live readout: `x = 1.50, f(x) = 2.25, f'(x) = 3.00: increasing`.
    pub fn readout(&mut self, x: f64) -> String {
        let v = &self.f.variable;
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
    pub fn describe(&mut self, x: f64) -> String {
        let v = &self.f.variable;
        let mut s = format!(
            "Chart of f({v}) = {} and its derivative f'({v}) = {} for {v} from {} to {}.",
            self.f.source,
            self.f.derivative_text,
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
            self.readout(x)
        ));
        s
    }

    /// The x under a CSS pixel column of the canvas (clamped to the range).
    /// Where the last redraw put the plotting area, for pointer mapping.
    #[wasm_bindgen(getter)]
    pub fn frame(&self) -> Option<Frame> {
        self.canvas.frame()
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
        let xs = calculus::linspace(self.range.0, self.range.1, self.samples);
        let ys: Vec<f64> = xs.iter().map(|&x| self.f.function.value(x)).collect();
        let grads = calculus::numerical_gradient(&ys, &xs).map_err(crate::convert::js_error)?;
        Ok(Some((xs, grads)))
    }

    /// A disc on f at each flat point, and a ring where f' crosses zero below it.
    fn flat_markers(
        &self,
        chart: &mut super::Chart,
        theme: &Theme,
        context: &web_sys::CanvasRenderingContext2d,
    ) -> super::DrawResult<()> {
        let ring = |color: &RGBColor| ShapeStyle::from(color).stroke_width(theme.thin_width);
        with_clip(chart, context, |chart| {
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
    /// Drawn after the movable point, so that the point never hides a word. Returns the
    /// boxes the words take (CSS pixels), for the legend to keep clear of.
    fn flat_labels(
        &self,
        chart: &mut super::Chart,
        theme: &Theme,
        frame: &Frame,
    ) -> super::DrawResult<Vec<LabelBox>> {
        let font = FontDesc::new(
            FontFamily::Name(theme.font_family),
            theme.annotation_font,
            FontStyle::Normal,
        );
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
            let cx = px.clamp(
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

    fn legend(
        &self,
        chart: &super::Chart,
        plot: &super::Plot,
        numerical: bool,
        avoid: &[(f64, f64)],
        keep_clear: &[LabelBox],
    ) -> super::DrawResult<()> {
        let (theme, v) = (plot.theme, &self.f.variable);
        let entries: Vec<(String, RGBColor, LegendMark)> = [
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
        .collect();
        super::legend(chart, plot, &entries, avoid, keep_clear)
    }
}

/// A flat point's colour, its word, and whether the word prefers to sit below it.
fn flat_label(kind: FlatKind, theme: &Theme) -> (RGBColor, &'static str, bool) {
    match kind {
        FlatKind::Minimum => (theme.minimum, "minimum", true),
        FlatKind::Maximum => (theme.maximum, "maximum", false),
        FlatKind::Neither => (theme.muted_text, "inflection", true),
    }
}

use plotters::style::text_anchor::{HPos, Pos, VPos};

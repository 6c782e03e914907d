//! Chapter 1's secant-to-tangent chart: the line through (x, f(x)) and (x + h, f(x + h)) turns
//! into the tangent as h shrinks, and its slope, the difference quotient, into f'(x).
//!
//! ```js
//! const chart = new SecantChart(canvas);      // x^2 on [-1, 3], x = 1 and h = 1
//! chart.setSecant(1, 0.1);
//! chart.draw(640, 360, devicePixelRatio, false);
//! chart.readout();   // "h = 0.1000: secant slope (f(x + h) − f(x))/h = 2.1000, tangent slope ..."
//! chart.quotient(1, 0.1);                     // (f(1.1) - f(1)) / 0.1 = 2.1 (up to rounding)
//! ```

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use wasm_bindgen::prelude::*;

use crate::format::{format, Style};
use web_sys::HtmlCanvasElement;

use crate::figure;

use super::canvas::{Canvas, Figure, Pen, View};
use super::legend::Entry;
use super::theme::Theme;
use super::{
    axes, drawing, legend, view_range, with_breaks, with_clip, Chart, Curves, Dash, DrawResult,
    Frame, Labels, LegendMark, OneVariable, Plot,
};

#[wasm_bindgen]
pub struct SecantChart {
    canvas: Canvas,
    f: OneVariable,
    range: (f64, f64),
    /// The secant runs through x and x + h; the tangent touches at x.
    x: f64,
    h: f64,
    /// The view (it reaches x + h as well), f and f' across it, and the secant, as the next
    /// paint draws them (made by `prepare`, for the view's width).
    view: (f64, f64),
    curves: Curves,
    secant: Option<Secant>,
}

#[wasm_bindgen]
impl SecantChart {
    /// x² on [−1, 3], with the secant from x = 1 to x + h = 2.
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<SecantChart, JsError> {
        let range = (-1.0, 3.0);
        Ok(SecantChart {
            canvas: Canvas::new(canvas),
            f: OneVariable::new("x^2", range)?,
            range,
            x: 1.0,
            h: 1.0,
            view: (-1.0, 3.0),
            curves: Curves::default(),
            secant: None,
        })
    }

    /// Replaces the function; on error the chart keeps the last good one.
    #[wasm_bindgen(js_name = setFunction)]
    pub fn set_function(&mut self, source: &str) -> Result<(), JsError> {
        self.f = OneVariable::new(source, self.range)?;
        Ok(())
    }

    #[wasm_bindgen(js_name = setRange)]
    pub fn set_range(&mut self, xmin: f64, xmax: f64) -> Result<(), JsError> {
        self.range = super::checked_range(xmin, xmax)?;
        Ok(())
    }

    /// The secant through x and x + h (the widget keeps h in [0.001, 1]).
    #[wasm_bindgen(js_name = setSecant)]
    pub fn set_secant(&mut self, x: f64, h: f64) {
        self.x = x;
        self.h = h;
    }

    #[wasm_bindgen(getter)]
    pub fn variable(&self) -> String {
        self.f.variable.clone()
    }

    /// The difference quotient (f(x + h) − f(x)) / h.
    pub fn quotient(&mut self, x: f64, h: f64) -> f64 {
        self.f.function.difference_quotient(x, h)
    }

    /// The exact slope f'(x), from the autodiff graph.
    pub fn slope(&mut self, x: f64) -> f64 {
        self.f.function.value_and_slope(x).1
    }

    /// `h = 0.1000: (f(x + h) − f(x))/h = 2.1000, f'(1.00) = 2.0000, gap 0.1000`.
    pub fn readout(&mut self) -> String {
        let (x, h) = (self.x, self.h);
        let q = self.quotient(x, h);
        let d = self.slope(x);
        let v = self.f.variable.clone();
        let secant = format!(
            "h = {}: secant slope (f({v} + h) − f({v}))/h = {}",
            format(h, Style::Fixed(4)),
            format(q, Style::Fixed(4))
        );
        let at = super::format_number(x);
        if !self.f.function.value(x).is_finite() {
            return format!("{secant}; f({at}) is undefined, so there is no tangent");
        }
        if self.f.function.jumps(x) {
            return format!("{secant}; no tangent at {v} = {at}: f jumps there");
        }
        if let Some((left, right)) = self.f.function.corner(x) {
            return format!(
                "{secant}; no tangent at {v} = {at}, a corner: the secant slope tends to {} from the left and {} from the right",
                format(left, Style::Fixed(4)),
                format(right, Style::Fixed(4))
            );
        }
        format!(
            "{secant}, tangent slope f'({at}) = {}, gap {}",
            format(d, Style::Fixed(4)),
            format((q - d).abs(), Style::Fixed(4))
        )
    }

    /// The chart in words, for its `aria-label`.
    pub fn describe(&mut self) -> String {
        let (x, h) = (self.x, self.h);
        let readout = self.readout();
        format!(
            "Chart of f({v}) = {} with the secant through {v} = {} and {v} + h = {} and the tangent at {v} = {}. {}.",
            self.f.spoken,
            super::format_number(x),
            super::format_number(x + h),
            super::format_number(x),
            readout,
            v = self.f.variable,
        )
    }

    /// f(x), for callers placing things on the curve.
    pub fn value(&mut self, x: f64) -> f64 {
        self.f.function.value(x)
    }
}

impl Figure for SecantChart {
    fn canvas(&self) -> DrawResult<&Canvas> {
        Ok(&self.canvas)
    }

    fn prepare(&mut self, view: &View) -> Result<(), JsError> {
        // The view reaches x + h as well: near an end of the range the second point, and the
        // triangle, would otherwise be cut off.
        self.view = calculus::view::reaching(self.range, self.x + self.h);
        self.curves = self.f.curves(self.view, view.width);
        self.secant = Some(self.secant());
        Ok(())
    }

    /// f, the tangent at x, and the secant with its rise-over-run triangle.
    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let Curves { xs, fs, ds } = &self.curves;
        let y = view_range(fs.iter().copied());
        let labels = Labels {
            zero_lines: true,
            ..Labels::new(&self.f.variable, "")
        };
        let (mut chart, frame) = axes(&pen.area, &pen.theme, self.view, y, &labels)?;
        let (plot, theme) = (pen.plot(&frame), &pen.theme);
        let curve = with_breaks(xs, fs, Some(ds), y.1 - y.0);
        let f = curve.iter().copied();
        plot.curve(f, theme.curve, theme.curve_width, Dash::Solid);
        if let Some(secant) = &self.secant {
            secant.draw(&mut chart, &plot)?;
        }
        legend(&chart, &plot, &self.legend_entries(theme), &curve, &[])?;
        Ok(frame)
    }
}

figure!(SecantChart);

impl SecantChart {
    fn secant(&mut self) -> Secant {
        let s = self.f.function.secant(self.x, self.h);
        let smooth = self.f.function.corner(s.x).is_none() && !self.f.function.jumps(s.x);
        let tangent = s.fx.is_finite() && s.tangent_slope.is_finite() && smooth;
        Secant { s, tangent }
    }

    fn legend_entries(&self, theme: &Theme) -> [Entry; 3] {
        [
            (
                format!("f({})", self.f.variable),
                theme.curve,
                LegendMark::Line,
            ),
            ("secant".to_string(), theme.secant, LegendMark::Line),
            ("tangent".to_string(), theme.tangent, LegendMark::Dashed),
        ]
    }
}

/// The secant and the tangent as one redraw shows them.
struct Secant {
    s: calculus::derivative::Secant,
    /// Whether f has a tangent at x to draw beside the secant.
    tangent: bool,
}

impl Secant {
    /// The tangent (dashed), the secant, its triangle and its two points.
    fn draw(&self, chart: &mut Chart, plot: &Plot) -> DrawResult<()> {
        let theme = plot.theme;
        if self.tangent {
            let tangent = self.line(plot.frame, |t| self.s.tangent_at(t));
            plot.curve(tangent, theme.tangent, theme.thin_width, Dash::Dashed);
        }
        if !(self.s.fx.is_finite() && self.s.fxh.is_finite()) {
            return Ok(());
        }
        // The secant first: the triangle's words go over it.
        if self.s.slope.is_finite() {
            plot.curve(
                self.line(plot.frame, |t| self.s.at(t)),
                theme.secant,
                theme.curve_width,
                Dash::Solid,
            );
        }
        self.triangle(chart, plot)?;
        self.points(chart, plot)
    }

    /// A line of the secant's, `at` its height above each x, across the view.
    fn line(&self, frame: &Frame, at: impl Fn(f64) -> f64) -> [(f64, f64); 2] {
        let view = frame.x;
        [(view.0, at(view.0)), (view.1, at(view.1))]
    }

    /// The rise-over-run triangle, with h and Δf named where there is room.
    fn triangle(&self, chart: &mut Chart, plot: &Plot) -> DrawResult<()> {
        let (x, h, fx, fxh) = (self.s.x, self.s.h, self.s.fx, self.s.fxh);
        let muted = ShapeStyle::from(&plot.theme.muted_text).stroke_width(plot.theme.grid_width);
        with_clip(chart, plot.context, |chart| {
            drawing(chart.draw_series([PathElement::new(
                vec![(x, fx), (x + h, fx), (x + h, fxh)],
                muted,
            )]))?;
            self.run_label(chart, plot)?;
            self.rise_label(chart, plot)
        })
    }

    /// "h" under the run (over it when the secant falls), when the run is wide enough.
    fn run_label(&self, chart: &mut Chart, plot: &Plot) -> DrawResult<()> {
        let (x, h, fx, fxh, theme) = (self.s.x, self.s.h, self.s.fx, self.s.fxh, plot.theme);
        let run_px = (plot.frame.to_css(x + h, fx).0 - plot.frame.to_css(x, fx).0).abs();
        if run_px <= 28.0 {
            return Ok(());
        }
        let gap = (theme.label_font * 0.4) as i32;
        let below = if fxh >= fx { VPos::Top } else { VPos::Bottom };
        let dy = if fxh >= fx { gap } else { -gap };
        let style = TextStyle::from(theme.font(theme.label_font))
            .color(&theme.muted_text)
            .pos(Pos::new(HPos::Center, below));
        drawing(chart.draw_series([
            EmptyElement::at((x + h / 2.0, fx)) + Text::new("h".to_string(), (0, dy), style)
        ]))?;
        Ok(())
    }

    /// "f(x + h) − f(x)" beside the rise, when the rise is tall enough: outside the triangle
    /// (where the secant runs) when the words fit there, on one line or else on two (a phone's
    /// narrow chart); inside it otherwise, on a patch of background.
    fn rise_label(&self, chart: &mut Chart, plot: &Plot) -> DrawResult<()> {
        let (x, h, fx, fxh, theme, frame) = (
            self.s.x, self.s.h, self.s.fx, self.s.fxh, plot.theme, plot.frame,
        );
        let rise_px = (frame.to_css(x + h, fxh).1 - frame.to_css(x + h, fx).1).abs();
        if rise_px <= 20.0 {
            return Ok(());
        }
        let gap = (theme.label_font * 0.4) as i32;
        let style = TextStyle::from(theme.font(theme.label_font)).color(&theme.muted_text);
        let width = |words: &[&str]| -> DrawResult<i32> {
            let mut widest = 0;
            for w in words {
                let (w, _) = drawing(chart.plotting_area().estimate_text_size(w, &style))?;
                widest = widest.max(w as i32);
            }
            Ok(widest)
        };
        let need = |w: i32| f64::from(w + gap) / theme.dpr;
        let rise_x = frame.to_css(x + h, fx).0;
        let outside_right = h > 0.0;
        let room = if outside_right {
            frame.right - rise_x
        } else {
            rise_x - frame.left
        };
        let (one, two) = (["f(x + h) − f(x)"], ["f(x + h)", "− f(x)"]);
        let (one_w, two_w) = (width(&one)?, width(&two)?);
        // Two lines need the rise to be two lines tall.
        let two_fit = room > need(two_w) && rise_px > 2.6 * theme.label_font / theme.dpr;
        let (lines, w, outside): (&[&str], i32, bool) = if room > need(one_w) {
            (&one, one_w, true)
        } else if two_fit {
            (&two, two_w, true)
        } else {
            (&one, one_w, false)
        };
        let right = outside_right == outside;
        let (h_pos, dx) = if right {
            (HPos::Left, gap)
        } else {
            (HPos::Right, -gap)
        };
        let at = (x + h, (fx + fxh) / 2.0);
        // Inside the triangle the secant and the curve run behind the words: they go on a
        // patch of background.
        if !outside {
            let half = (theme.label_font * 0.65) as i32;
            let (left, right_edge) = if right { (dx, dx + w) } else { (dx - w, dx) };
            let patch = ShapeStyle::from(&theme.background).filled();
            drawing(chart.draw_series([EmptyElement::at(at)
                + Rectangle::new([(left - 2, -half), (right_edge + 2, half)], patch)]))?;
        }
        // One line centred on the rise's middle; two from the middle towards the run, away
        // from where the secant and the tangent leave the triangle.
        let line = (theme.label_font * 1.2) as i32;
        let first = if fxh >= fx {
            0
        } else {
            -line * (lines.len() as i32 - 1)
        };
        for (i, words) in lines.iter().enumerate() {
            let style = style.pos(Pos::new(h_pos, VPos::Center));
            drawing(chart.draw_series([EmptyElement::at(at)
                + Text::new(words.to_string(), (dx, first + line * i as i32), style)]))?;
        }
        Ok(())
    }

    /// (x + h, f(x + h)) in the secant's colour and (x, f(x)) in the tangent's, each ringed
    /// with the background.
    fn points(&self, chart: &mut Chart, plot: &Plot) -> DrawResult<()> {
        let (x, h, fx, fxh, theme) = (self.s.x, self.s.h, self.s.fx, self.s.fxh, plot.theme);
        let ring = ShapeStyle::from(&theme.background).filled();
        with_clip(chart, plot.context, |chart| {
            drawing(chart.draw_series([
                Circle::new(
                    (x + h, fxh),
                    theme.marker_radius + theme.grid_width * 2,
                    ring,
                ),
                Circle::new(
                    (x + h, fxh),
                    theme.marker_radius,
                    ShapeStyle::from(&theme.secant).filled(),
                ),
                Circle::new((x, fx), theme.point_radius + theme.grid_width * 2, ring),
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

//! Chapter 1's secant-to-tangent chart: the line through (x, f(x)) and (x + h, f(x + h)) turns
//! into the tangent as h shrinks, and its slope, the difference quotient, into f'(x).
//!
//! ```js
//! const chart = new SecantChart(canvas);      // x^2
//! chart.draw(1, 0.1, 640, 360, devicePixelRatio, false);
//! chart.quotient(1, 0.1);                     // (f(1.1) - f(1)) / 0.1 = 2.1 (up to rounding)
//! ```

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::canvas::Canvas;
use super::theme::{Scheme, Theme};
use super::{
    axes, drawing, sample_xs, view_range, with_breaks, with_clip, Dash, Frame, Labels, LegendMark,
    OneVariable,
};

#[wasm_bindgen]
pub struct SecantChart {
    canvas: Canvas,
    f: OneVariable,
    range: (f64, f64),
}

#[wasm_bindgen]
impl SecantChart {
    /// x² on [−1, 3], around the default point x = 1.
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<SecantChart, JsError> {
        Ok(SecantChart {
            canvas: Canvas::new(canvas),
            f: OneVariable::new("x^2")?,
            range: (-1.0, 3.0),
        })
    }

    /// Replaces the function; on error the chart keeps the last good one.
    #[wasm_bindgen(js_name = setFunction)]
    pub fn set_function(&mut self, source: &str) -> Result<(), JsError> {
        self.f = OneVariable::new(source)?;
        Ok(())
    }

    #[wasm_bindgen(js_name = setRange)]
    pub fn set_range(&mut self, xmin: f64, xmax: f64) -> Result<(), JsError> {
        self.range = super::checked_range(xmin, xmax)?;
        Ok(())
    }

    #[wasm_bindgen(getter)]
    pub fn variable(&self) -> String {
        self.f.variable.clone()
    }

    /// The difference quotient (f(x + h) − f(x)) / h.
    pub fn quotient(&mut self, x: f64, h: f64) -> f64 {
        (self.f.function.value(x + h) - self.f.function.value(x)) / h
    }

    /// The exact slope f'(x), from the autodiff graph.
    pub fn slope(&mut self, x: f64) -> f64 {
        self.f.function.value_and_slope(x).1
    }

    /// `h = 0.1000: (f(x + h) − f(x))/h = 2.1000, f'(1.00) = 2.0000, gap 0.1000`.
    pub fn readout(&mut self, x: f64, h: f64) -> String {
        let q = self.quotient(x, h);
        let d = self.slope(x);
        let v = self.f.variable.clone();
        let secant = format!(
            "h = {}: secant slope (f({v} + h) − f({v}))/h = {}",
            fixed4(h),
            fixed4(q)
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
                fixed4(left),
                fixed4(right)
            );
        }
        format!(
            "{secant}, tangent slope f'({at}) = {}, gap {}",
            fixed4(d),
            fixed4((q - d).abs())
        )
    }

    /// The chart in words, for its `aria-label`.
    pub fn describe(&mut self, x: f64, h: f64) -> String {
        let readout = self.readout(x, h);
        format!(
            "Chart of f({v}) = {} with the secant through {v} = {} and {v} + h = {} and the tangent at {v} = {}. {}.",
            self.f.source,
            super::format_number(x),
            super::format_number(x + h),
            super::format_number(x),
            readout,
            v = self.f.variable,
        )
    }

    pub fn draw(
        &mut self,
        x: f64,
        h: f64,
        css_width: f64,
        css_height: f64,
        dpr: f64,
        dark: bool,
    ) -> Result<(), JsError> {
        let theme = Theme::new(Scheme::of(dark), dpr);
        // The view reaches x + h as well: near an end of the range the second point, and the
        // triangle, would otherwise be cut off.
        let view = reaching(self.range, x + h);
        let xs = sample_xs(view, css_width, 1.5);
        let (fs, ds): (Vec<f64>, Vec<f64>) = xs
            .iter()
            .map(|&x| self.f.function.value_and_slope(x))
            .unzip();
        let y = view_range(fs.iter().copied());
        let (fx, slope) = self.f.function.value_and_slope(x);
        let fxh = self.f.function.value(x + h);
        let q = (fxh - fx) / h;

        let (root, context) = self.canvas.begin(css_width, css_height, dpr)?;
        let (mut chart, frame) = axes(
            &root,
            &theme,
            view,
            y,
            &Labels {
                zero_lines: true,
                ..Labels::new(&self.f.variable, "")
            },
        )?;
        let plot = super::Plot::new(&context, &theme, &frame);
        let curve = with_breaks(&xs, &fs, Some(&ds), y.1 - y.0);
        plot.curve(
            curve.iter().copied(),
            theme.curve,
            theme.curve_width,
            Dash::Solid,
        );
        let line = |s: f64| {
            [
                (view.0, fx + s * (view.0 - x)),
                (view.1, fx + s * (view.1 - x)),
            ]
        };
        let smooth = self.f.function.corner(x).is_none() && !self.f.function.jumps(x);
        if fx.is_finite() && slope.is_finite() && smooth {
            plot.curve(line(slope), theme.tangent, theme.thin_width, Dash::Dashed);
        }
        if fx.is_finite() && fxh.is_finite() {
            // The secant first: the triangle's words go over it.
            if q.is_finite() {
                plot.curve(line(q), theme.secant, theme.curve_width, Dash::Solid);
            }
            // The rise-over-run triangle, with h and Δf named where there is room.
            let muted = ShapeStyle::from(&theme.muted_text).stroke_width(theme.grid_width);
            let font = FontDesc::new(
                FontFamily::Name(theme.font_family),
                theme.label_font,
                FontStyle::Normal,
            );
            let run_px = (frame.to_css(x + h, fx).0 - frame.to_css(x, fx).0).abs();
            let rise_px = (frame.to_css(x + h, fxh).1 - frame.to_css(x + h, fx).1).abs();
            with_clip(&mut chart, &context, |chart| {
                drawing(chart.draw_series([PathElement::new(
                    vec![(x, fx), (x + h, fx), (x + h, fxh)],
                    muted,
                )]))?;
                let gap = (theme.label_font * 0.4) as i32;
                if run_px > 28.0 {
                    let below = if fxh >= fx { VPos::Top } else { VPos::Bottom };
                    let dy = if fxh >= fx { gap } else { -gap };
                    let style = TextStyle::from(font.clone())
                        .color(&theme.muted_text)
                        .pos(Pos::new(HPos::Center, below));
                    drawing(chart.draw_series([EmptyElement::at((x + h / 2.0, fx))
                        + Text::new("h".to_string(), (0, dy), style)]))?;
                }
                if rise_px > 20.0 {
                    // Beside the rise, outside the triangle (where the secant runs) when the
                    // words fit there, inside it otherwise.
                    let words = "f(x + h) − f(x)";
                    let style = TextStyle::from(font).color(&theme.muted_text);
                    let (w, _) = drawing(chart.plotting_area().estimate_text_size(words, &style))?;
                    let need = (f64::from(w) + f64::from(gap)) / theme.dpr;
                    let rise_x = frame.to_css(x + h, fx).0;
                    let outside_right = h > 0.0;
                    let room = if outside_right {
                        frame.right - rise_x
                    } else {
                        rise_x - frame.left
                    };
                    let right = outside_right == (room > need);
                    let (h_pos, dx) = if right {
                        (HPos::Left, gap)
                    } else {
                        (HPos::Right, -gap)
                    };
                    let style = style.pos(Pos::new(h_pos, VPos::Center));
                    // Inside the triangle the secant and the curve run behind the words: they
                    // go on a patch of background.
                    let inside = room <= need;
                    let (w, half) = (w as i32, (theme.label_font * 0.65) as i32);
                    let (left, right_edge) = if right { (dx, dx + w) } else { (dx - w, dx) };
                    let patch = ShapeStyle::from(&theme.background).filled();
                    let at = (x + h, (fx + fxh) / 2.0);
                    if inside {
                        drawing(chart.draw_series([EmptyElement::at(at)
                            + Rectangle::new(
                                [(left - 2, -half), (right_edge + 2, half)],
                                patch,
                            )]))?;
                    }
                    drawing(chart.draw_series([
                        EmptyElement::at(at) + Text::new(words.to_string(), (dx, 0), style)
                    ]))?;
                }
                Ok(())
            })?;
            let ring = ShapeStyle::from(&theme.background).filled();
            with_clip(&mut chart, &context, |chart| {
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
            })?;
        }
        let entries = [
            (
                format!("f({})", self.f.variable),
                theme.curve,
                LegendMark::Line,
            ),
            ("secant".to_string(), theme.secant, LegendMark::Line),
            ("tangent".to_string(), theme.tangent, LegendMark::Dashed),
        ];
        super::legend(&chart, &plot, &entries, &curve, &[])?;
        drop(chart);
        drawing(root.present())?;
        drop(root);
        self.canvas.set_frame(frame);
        Ok(())
    }

    /// Where the last redraw put the plotting area, for pointer mapping.
    #[wasm_bindgen(getter)]
    pub fn frame(&self) -> Option<Frame> {
        self.canvas.frame()
    }

    /// f(x), for callers placing things on the curve.
    pub fn value(&mut self, x: f64) -> f64 {
        self.f.function.value(x)
    }
}

/// Four decimals: enough to watch 2 + h become 2 as h goes to 0.001.
fn fixed4(v: f64) -> String {
    if !v.is_finite() {
        return super::format_number(v);
    }
    let s = format!("{v:.4}");
    if s == "-0.0000" {
        "0.0000".to_string()
    } else {
        s
    }
}

/// `range` widened to take in `v` (with a little room beyond it), when `v` lies outside.
fn reaching((lo, hi): (f64, f64), v: f64) -> (f64, f64) {
    if !v.is_finite() || (lo..=hi).contains(&v) {
        return (lo, hi);
    }
    let (lo, hi) = (lo.min(v), hi.max(v));
    let pad = 0.05 * (hi - lo);
    if v <= lo {
        (lo - pad, hi)
    } else {
        (lo, hi + pad)
    }
}

//! Marks drawn over a chart's axes, straight on the canvas: curves with sub-pixel precision,
//! points, arrows, rings, vertical lines, captions and banners on patches of background.
//!
//! They draw on the raw 2D context rather than through plotters, whose integer pixel
//! coordinates make a smooth parabola visibly stair-stepped at a pixel ratio of 1.
//!
//! ```ignore
//! plot.curve(points, theme.curve, theme.curve_width, Dash::Solid);
//! plot.dot((1.0, 2.0), theme.minimum);
//! ```

use calculus::clip::clip_segment;
use plotters::prelude::RGBColor;
use web_sys::CanvasRenderingContext2d;

use super::frame::Frame;
use super::theme::{css, Theme, BACKING_ALPHA};
use super::{Chart, DrawResult};

/// Line dash for [`draw_curve`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dash {
    Solid,
    Dashed,
}

pub fn set_dash(context: &web_sys::CanvasRenderingContext2d, pattern: &[f64]) {
    // setLineDash only fails on negative or non-finite entries, which the theme never has.
    let _ = context.set_line_dash(&crate::convert::number_array(pattern));
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

/// A box on the chart, `((left, top), (right, bottom))` in CSS pixels: a label's, say.
pub type LabelBox = ((f64, f64), (f64, f64));

/// The box of a single point (CSS pixels).
pub fn spot(p: (f64, f64)) -> LabelBox {
    (p, p)
}

/// The marks of one redraw, drawn over the axes that gave `frame`.
pub struct Plot<'p> {
    pub context: &'p CanvasRenderingContext2d,
    pub theme: &'p Theme,
    pub frame: &'p Frame,
}

impl<'p> Plot<'p> {
    pub fn new(
        context: &'p CanvasRenderingContext2d,
        theme: &'p Theme,
        frame: &'p Frame,
    ) -> Plot<'p> {
        Plot {
            context,
            theme,
            frame,
        }
    }

    /// Draws y(x) (y in axis units) as polylines clipped to the plotting area, broken where the
    /// function is not finite or jumps across the whole view (a pole, like tan at π/2), so no
    /// false vertical strokes appear.
    ///
    /// Curves go straight to the canvas rather than through plotters, whose integer pixel
    /// coordinates make a smooth parabola visibly stair-stepped at a pixel ratio of 1.
    pub fn curve(
        &self,
        points: impl IntoIterator<Item = (f64, f64)>,
        color: RGBColor,
        width: u32,
        dash: Dash,
    ) {
        let (context, frame, theme) = (self.context, self.frame, self.theme);
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
            let (px, py) = frame.axis_to_css(x, super::clamp(y, lo, hi));
            if pen_down {
                context.line_to(px * scale, py * scale);
            } else {
                context.move_to(px * scale, py * scale);
                pen_down = true;
            }
            previous = Some(y);
        }
        context.set_stroke_style_str(&css(color));
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

    /// Arrows from each (u, v) along (du, dv), `per_unit` CSS pixels per unit of gradient, as one
    /// stroked path of shafts and one filled path of heads.
    pub fn arrows(
        &self,
        field: &[(f64, f64, f64, f64)],
        per_unit: f64,
        color: RGBColor,
        width: u32,
    ) {
        let (context, frame, theme) = (self.context, self.frame, self.theme);
        let s = theme.dpr;
        let head = 5.0 * s;
        frame.clip(context, s);
        let css = css(color);
        context.set_stroke_style_str(&css);
        context.set_fill_style_str(&css);
        context.set_line_width(f64::from(width));
        context.begin_path();
        let mut heads = Vec::new();
        for &(u, v, du, dv) in field {
            let (x0, y0) = frame.to_css(u, v);
            // Screen y grows downwards.
            let (dx, dy) = (du * per_unit, -dv * per_unit);
            let length = dx.hypot(dy);
            if !(length.is_finite() && length > 0.5) {
                continue;
            }
            let (x1, y1) = (x0 + dx, y0 + dy);
            context.move_to(x0 * s, y0 * s);
            context.line_to(x1 * s, y1 * s);
            heads.push((x1 * s, y1 * s, dx / length, dy / length));
        }
        context.stroke();
        context.begin_path();
        for (x, y, ux, uy) in heads {
            context.move_to(x, y);
            context.line_to(
                x - ux * head - uy * head * 0.5,
                y - uy * head + ux * head * 0.5,
            );
            context.line_to(
                x - ux * head + uy * head * 0.5,
                y - uy * head - ux * head * 0.5,
            );
            context.close_path();
        }
        context.fill();
        context.restore();
    }

    /// A point of the map as a filled disc of `color`, ringed with the background so it stands
    /// out from the lines under it.
    pub fn dot(&self, (u, v): (f64, f64), color: RGBColor) {
        let (context, frame, theme) = (self.context, self.frame, self.theme);
        let s = theme.dpr;
        let (x, y) = frame.to_css(u, v);
        let r = f64::from(theme.point_radius);
        frame.clip(context, s);
        context.begin_path();
        let _ = context.arc(x * s, y * s, r + 2.0 * s, 0.0, std::f64::consts::TAU);
        context.set_fill_style_str(&css(theme.background));
        context.fill();
        context.begin_path();
        let _ = context.arc(x * s, y * s, r, 0.0, std::f64::consts::TAU);
        context.set_fill_style_str(&css(color));
        context.fill();
        context.restore();
    }

    /// Muted text in a corner of the plot (a scale, a status), on a patch of background: the
    /// bottom-right one, or the first of the others clear of the boxes in `keep_clear` (CSS
    /// pixels: a draggable start, the current step, a banner), so that it never hides them; with
    /// none clear, no caption. Wider than the plot, it is broken into lines between words.
    pub fn caption(&self, text: &str, keep_clear: &[LabelBox]) {
        let (context, theme, frame) = (self.context, self.theme, self.frame);
        let s = theme.dpr;
        context.set_font(&theme.css_font(theme.label_font));
        let measure = |t: &str| context.measure_text(t).map_or(0.0, |m| m.width()) / s;
        let lines = wrap(text, frame.right - frame.left - 8.0, &measure);
        let width = lines.iter().map(|l| measure(l)).fold(0.0, f64::max);
        let line = 1.3 * theme.label_font / s;
        let height = line * lines.len() as f64;
        // (right-aligned?, bottom edge of the text) for each corner, in CSS pixels.
        let corners = [
            (true, frame.bottom - 4.0),
            (false, frame.bottom - 4.0),
            (true, frame.top + 4.0 + height),
            (false, frame.top + 4.0 + height),
        ];
        let clear = |&(right, bottom): &(bool, f64)| {
            let left = if right {
                frame.right - 4.0 - width
            } else {
                frame.left + 4.0
            };
            let margin = 10.0;
            !keep_clear.iter().any(|&((l, t), (r, b))| {
                l < left + width + margin
                    && r > left - margin
                    && t < bottom + margin
                    && b > bottom - height - margin
            })
        };
        // On a small map every corner may be taken: the caption repeats what the controls say,
        // so it gives way.
        let Some((right, bottom)) = corners.iter().copied().find(|c| clear(c)) else {
            return;
        };
        let left = if right {
            frame.right - 4.0 - width
        } else {
            frame.left + 4.0
        };
        context.set_text_align("left");
        context.set_text_baseline("bottom");
        for (i, text) in lines.iter().enumerate() {
            let bottom = bottom - line * (lines.len() - 1 - i) as f64;
            self.backing(left * s, bottom * s, width * s);
            context.set_fill_style_str(&css(theme.muted_text));
            let _ = context.fill_text(text, left * s, bottom * s);
        }
    }

    /// A patch of the chart's background under a line of label text `width` wide whose
    /// bottom-left corner is (`left`, `bottom`) in canvas pixels.
    pub fn backing(&self, left: f64, bottom: f64, width: f64) {
        let (context, theme) = (self.context, self.theme);
        let s = theme.dpr;
        context.set_fill_style_str(&css(theme.background));
        context.set_global_alpha(BACKING_ALPHA);
        context.fill_rect(
            left - 2.0 * s,
            bottom - theme.label_font * 1.1,
            width + 4.0 * s,
            theme.label_font * 1.3,
        );
        context.set_global_alpha(1.0);
    }

    /// A polyline through map points. Each segment is cut to a box a little larger than the plot:
    /// a path that runs away still crosses the view along its true line, and the canvas is never
    /// handed huge numbers.
    pub fn polyline(&self, points: &[(f64, f64)], color: RGBColor, width: u32) {
        let (context, frame, theme) = (self.context, self.frame, self.theme);
        let s = theme.dpr;
        let margin = 8.0;
        let (bx, by) = (
            (frame.left - margin, frame.right + margin),
            (frame.top - margin, frame.bottom + margin),
        );
        frame.clip(context, s);
        context.begin_path();
        let pixels: Vec<(f64, f64)> = points.iter().map(|&(u, v)| frame.to_css(u, v)).collect();
        // Where the pen is: a segment that starts elsewhere (after one that left the box) moves it.
        let mut pen = None;
        for pair in pixels.windows(2) {
            let Some((start, end)) = clip_segment(pair[0], pair[1], bx, by) else {
                pen = None;
                continue;
            };
            if pen != Some(start) {
                context.move_to(start.0 * s, start.1 * s);
            }
            context.line_to(end.0 * s, end.1 * s);
            pen = Some(end);
        }
        context.set_stroke_style_str(&css(color));
        context.set_line_width(f64::from(width));
        context.set_line_join("round");
        context.stroke();
        context.restore();
    }

    /// Small discs at the iterates, while there are few enough to tell apart.
    pub fn beads(&self, points: &[(f64, f64)], color: RGBColor) {
        let (context, frame, theme) = (self.context, self.frame, self.theme);
        if points.len() > 160 {
            return;
        }
        let s = theme.dpr;
        frame.clip(context, s);
        context.set_fill_style_str(&css(color));
        context.begin_path();
        for &(u, v) in points {
            let (x, y) = frame.to_css(u, v);
            if x.abs() > 1e4 || y.abs() > 1e4 {
                continue;
            }
            context.move_to(x * s + 2.5 * s, y * s);
            let _ = context.arc(x * s, y * s, 2.5 * s, 0.0, std::f64::consts::TAU);
        }
        context.fill();
        context.restore();
    }

    /// A circle around a point, for the step the reader points at in another chart.
    pub fn ring(&self, (x, y): (f64, f64), color: RGBColor) {
        let (context, theme) = (self.context, self.theme);
        let s = theme.dpr;
        context.save();
        context.begin_path();
        let _ = context.arc(x * s, y * s, 10.0 * s, 0.0, std::f64::consts::TAU);
        context.set_stroke_style_str(&css(color));
        context.set_line_width(f64::from(theme.curve_width));
        context.stroke();
        context.restore();
    }

    /// A message in a box at the top centre of the plot (the bottom centre when a point in
    /// `keep_clear` lies under the top one), in `color`. A message wider than the plot is
    /// broken into lines between words, so that a narrow chart shows all of it.
    pub fn banner(&self, text: &str, color: RGBColor, keep_clear: &[(f64, f64)]) -> LabelBox {
        let (context, theme, frame) = (self.context, self.theme, self.frame);
        let s = theme.dpr;
        context.save();
        context.set_font(&format!("600 {}", theme.css_font(theme.annotation_font)));
        let measure = |t: &str| context.measure_text(t).map_or(200.0 * s, |m| m.width());
        let pad = 8.0 * s;
        let lines = wrap(
            text,
            (frame.right - frame.left - 8.0) * s - 2.0 * pad,
            &measure,
        );
        let width = lines.iter().map(|l| measure(l)).fold(0.0, f64::max);
        let line_height = 1.25 * theme.annotation_font;
        let height = theme.annotation_font + line_height * (lines.len() - 1) as f64 + 2.0 * pad;
        // At the top, or at the bottom when a point that matters is under the top's place.
        let cx = (frame.left + frame.right) / 2.0 * s;
        let covers = |top: f64| {
            keep_clear.iter().any(|&(x, y)| {
                let (x, y) = (x * s, y * s);
                (x - cx).abs() < width / 2.0 + pad + 10.0 * s
                    && y > top - 10.0 * s
                    && y < top + height + 10.0 * s
            })
        };
        let top = [(frame.top + 10.0) * s, (frame.bottom - 10.0) * s - height]
            .into_iter()
            .find(|&top| !covers(top))
            .unwrap_or((frame.top + 10.0) * s);
        context.set_fill_style_str(&css(theme.background));
        context.set_global_alpha(0.92);
        context.fill_rect(cx - width / 2.0 - pad, top, width + 2.0 * pad, height);
        context.set_global_alpha(1.0);
        context.set_stroke_style_str(&css(color));
        context.set_line_width(f64::from(theme.grid_width));
        context.stroke_rect(cx - width / 2.0 - pad, top, width + 2.0 * pad, height);
        context.set_fill_style_str(&css(color));
        context.set_text_align("center");
        context.set_text_baseline("middle");
        let first = top + pad + theme.annotation_font / 2.0;
        for (i, line) in lines.iter().enumerate() {
            let _ = context.fill_text(line, cx, first + line_height * i as f64);
        }
        context.restore();
        let half = width / 2.0 + pad;
        (
            ((cx - half) / s, top / s),
            ((cx + half) / s, (top + height) / s),
        )
    }

    /// A vertical line across the plot at x (axis units).
    pub fn vertical(&self, x: f64, color: RGBColor, width: u32, dash: Dash) {
        let frame = self.frame;
        self.curve([(x, frame.y.0), (x, frame.y.1)], color, width, dash);
    }

    pub fn disc(&self, (x, y): (f64, f64), color: RGBColor) {
        let (context, theme) = (self.context, self.theme);
        let s = theme.dpr;
        context.begin_path();
        let _ = context.arc(
            x * s,
            y * s,
            f64::from(theme.marker_radius),
            0.0,
            std::f64::consts::TAU,
        );
        context.set_fill_style_str(&css(color));
        context.fill();
    }
}

/// `text` in lines no wider than `room` by `measure`, broken between words (a word wider than
/// `room` gets a line of its own).
fn wrap(text: &str, room: f64, measure: &dyn Fn(&str) -> f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        if let Some(line) = lines.last_mut() {
            let end = line.len();
            line.push(' ');
            line.push_str(word);
            if measure(line) <= room {
                continue;
            }
            line.truncate(end);
        }
        lines.push(word.to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn a_banner_breaks_between_words_only_where_it_must() {
        // One unit a character, spaces included.
        let measure = |t: &str| t.chars().count() as f64;
        let text = "diverged: the weights are not numbers";
        assert_eq!(wrap(text, 100.0, &measure), [text]);
        assert_eq!(
            wrap(text, 25.0, &measure),
            ["diverged: the weights are", "not numbers"]
        );
        assert_eq!(
            wrap(text, 12.0, &measure),
            ["diverged:", "the weights", "are not", "numbers"]
        );
        // A word wider than the room keeps a line of its own, whole.
        assert_eq!(
            wrap("a verylongword b", 4.0, &measure),
            ["a", "verylongword", "b"]
        );
    }
}

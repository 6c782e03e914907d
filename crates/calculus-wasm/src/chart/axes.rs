//! Axes, ticks and grid: what every chart draws before its content.
//!
//! Every chart is a plotters `Cartesian2d<f64, f64>`. A log axis is drawn as a linear axis of
//! log10 values with labels written as powers of ten, so that one coordinate type (and one
//! [`Frame`]) serves every chart.
//!
//! ```ignore
//! let (chart, frame) = axes(&pen.area, &pen.theme, (-10.0, 10.0), (0.0, 100.0), &Labels::new("x", "f(x)"))?;
//! ```

use std::ops::Range;

use calculus::digits::Shortest;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

use super::canvas::{drawing, DrawError, DrawResult, Surface};
use super::frame::Frame;
use super::theme::Theme;
use super::Chart;
use crate::format::{format, Style};

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
    /// Room kept free under the x axis's caption, in device pixels (for a colour bar).
    pub below: u32,
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
            below: 0,
        }
    }
}

/// Clears the canvas, draws grid, ticks and captions, and returns the chart and its [`Frame`].
pub fn axes<'b>(
    root: &DrawingArea<Surface<'b>, Shift>,
    theme: &Theme,
    x: (f64, f64),
    y: (f64, f64),
    labels: &Labels,
) -> DrawResult<(Chart<'b>, Frame)> {
    // plotters loops for ever looking for tick marks on an infinite or empty range.
    for (lo, hi) in [x, y] {
        if !(lo.is_finite() && hi.is_finite() && hi - lo > 0.0 && (hi - lo).is_finite()) {
            return Err(DrawError(format!(
                "cannot draw an axis from {} to {}",
                Shortest(lo),
                Shortest(hi)
            )));
        }
    }
    drawing(root.fill(&theme.background))?;
    let label_font = theme.font(theme.label_font);
    let label_style = TextStyle::from(label_font.clone()).color(&theme.muted_text);
    let x_area = theme.x_label_area
        + if labels.x.is_empty() {
            0
        } else {
            theme.x_label_area / 2
        };
    // Powers of ten (10⁻¹⁵) are wider than plain ticks; keep them clear of the caption.
    let y_area = theme.y_label_area
        + if labels.log_y && !labels.y.is_empty() {
            (16.0 * theme.dpr) as u32
        } else {
            0
        };
    // The plot and its label cells where plotters' ChartBuilder puts them (margins, then the
    // area split at the label sizes), without its general layout code (its sort: 2 KB
    // gzipped); the plot's coordinates are the Cartesian2d it would build.
    let (rx, ry) = root.get_base_pixel();
    let (rw, rh) = root.dim_in_pixel();
    let (rx1, ry1) = (rx + rw as i32, ry + rh as i32);
    let inner = Cell {
        x0: rx + theme.margin as i32,
        y0: ry + theme.margin as i32,
        x1: rx1 - (theme.margin + labels.right) as i32,
        y1: ry1 - (theme.margin + labels.below) as i32,
    };
    let (p, left, bottom) = label_cells(inner, y_area as i32, x_area as i32);
    let mut chart = Chart::new(
        root.margin(p.y0 - ry, ry1 - p.y1, p.x0 - rx, rx1 - p.x1)
            .apply_coord_spec(Cartesian2d::new(
                x.0..x.1,
                y.0..y.1,
                (p.x0..p.x1 - 1, p.y1 - 1..p.y0),
            )),
    );
    let (log_x, log_y) = (labels.log_x, labels.log_y);
    // Integer exponents only: a label like 10^-2.5 reads as noise.
    let decades = |(lo, hi): (f64, f64), max| ((hi - lo).floor() as usize).clamp(2, max);
    let y_ticks = if log_y { decades(y, 8) } else { 7 };
    let x_ticks = if log_x { decades(x, 9) } else { 9 };
    // The mesh as plotters' `configure_mesh().draw()` draws it, call for call (the same
    // backend calls with the same coordinates, so the same pixels), without its generic mesh
    // machinery: 6.5 KB gzipped of every build.
    let axis = ShapeStyle::from(&theme.axis).stroke_width(theme.axis_width);
    let label = |v: f64, log: bool| if log { power_label(v) } else { tick_label(v) };
    let coord = chart.plotting_area().as_coord_spec();
    let x_labels: Vec<(i32, String)> = coord
        .x_spec()
        .key_points(x_ticks)
        .into_iter()
        .map(|v| {
            (
                chart.plotting_area().map_coordinate(&(v, y.0)).0,
                label(v, log_x),
            )
        })
        .collect();
    let y_labels: Vec<(i32, String)> = coord
        .y_spec()
        .key_points(y_ticks)
        .into_iter()
        .map(|v| {
            (
                chart.plotting_area().map_coordinate(&(x.0, v)).1,
                label(v, log_y),
            )
        })
        .collect();
    let plot = chart.plotting_area();
    mesh(
        root,
        &Mesh {
            plot: p,
            x_axis: plot.get_x_axis_pixel_range(),
            y_axis: plot.get_y_axis_pixel_range(),
            left,
            bottom,
            x_labels: &x_labels,
            y_labels: &y_labels,
            x_desc: labels.x,
            y_desc: labels.y,
            label_style: &label_style,
            axis,
        },
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

/// A rectangle of device pixels, `[x0, x1) × [y0, y1)`.
#[derive(Clone, Copy)]
struct Cell {
    x0: i32,
    y0: i32,
    x1: i32,
    y1: i32,
}

/// The plot, and the label cells left of and under it, as ChartBuilder splits the area inside
/// the margins (`split_by_breakpoints`, breakpoints sorted): `None` where a cell is empty.
fn label_cells(inner: Cell, left: i32, below: i32) -> (Cell, Option<Cell>, Option<Cell>) {
    let (w, h) = (inner.x1 - inner.x0, inner.y1 - inner.y0);
    let xs = sorted([inner.x0, inner.x1, inner.x0 + left, inner.x0 + w]);
    let ys = sorted([inner.y0, inner.y1, inner.y0, inner.y0 + h - below]);
    let cell = |x0, y0, x1, y1| (x1 > x0 && y1 > y0).then_some(Cell { x0, y0, x1, y1 });
    (
        Cell {
            x0: xs[1],
            y0: ys[1],
            x1: xs[2],
            y1: ys[2],
        },
        cell(xs[0], ys[1], xs[1], ys[2]),
        cell(xs[1], ys[2], xs[2], ys[3]),
    )
}

/// Four numbers in order, by insertion (`sort_unstable` would link a quicksort for them).
fn sorted(mut a: [i32; 4]) -> [i32; 4] {
    for i in 1..4 {
        let mut j = i;
        while j > 0 && a[j - 1] > a[j] {
            a.swap(j - 1, j);
            j -= 1;
        }
    }
    a
}

/// What [`mesh`] draws: the plot's pixels and its axes' pixel ranges, the label cells, the
/// tick labels at their pixels, the captions and the styles.
struct Mesh<'m> {
    plot: Cell,
    x_axis: Range<i32>,
    y_axis: Range<i32>,
    left: Option<Cell>,
    bottom: Option<Cell>,
    x_labels: &'m [(i32, String)],
    y_labels: &'m [(i32, String)],
    x_desc: &'m str,
    y_desc: &'m str,
    label_style: &'m TextStyle<'m>,
    axis: ShapeStyle,
}

/// The captions, axis lines, tick labels and tick marks left of and under the plot, in the
/// order and at the pixels plotters' mesh (`ChartContext::draw_mesh`) draws them: the
/// captions first (y, then x), then the y axis with its labels and ticks, then the x axis
/// with its. A side whose cell is empty draws nothing.
fn mesh(root: &DrawingArea<Surface<'_>, Shift>, m: &Mesh) -> DrawResult<()> {
    let (rx, ry) = root.get_base_pixel();
    let text = |t: &str, style: &TextStyle, x: i32, y: i32| {
        drawing(root.draw_text(t, style, (x - rx, y - ry)))
    };
    let line = |(x0, y0): (i32, i32), (x1, y1): (i32, i32)| {
        drawing(root.draw(&PathElement::new(
            vec![(x0 - rx, y0 - ry), (x1 - rx, y1 - ry)],
            m.axis,
        )))
    };
    let p = m.plot;
    // plotters' tick: 5 % of the plot's smaller side, at most 5 pixels; labels at twice that.
    let tick = ((0.05 * f64::from((p.x1 - p.x0).min(p.y1 - p.y0))).round() as i32).min(5);
    let gap = tick * 2;
    let anchored = |h, v| m.label_style.pos(Pos::new(h, v));
    if let Some(c) = m.left {
        let style = m.label_style.transform(FontTransform::Rotate270);
        let style = style.pos(Pos::new(HPos::Center, VPos::Top));
        text(m.y_desc, &style, c.x0, c.y0 + (c.y1 - c.y0) / 2)?;
    }
    if let Some(c) = m.bottom {
        let style = anchored(HPos::Center, VPos::Bottom);
        text(m.x_desc, &style, c.x0 + (c.x1 - c.x0) / 2, c.y1)?;
    }
    if let Some(c) = m.left {
        let x = c.x1 - 1;
        line((x, m.y_axis.start), (x, m.y_axis.end))?;
        let style = anchored(HPos::Right, VPos::Center);
        for (y, label) in m
            .y_labels
            .iter()
            .filter(|(y, _)| (m.y_axis.start..=m.y_axis.end).contains(y))
        {
            text(label, &style, c.x1 - gap, *y)?;
            line((x - tick, *y), (x, *y))?;
        }
    }
    if let Some(c) = m.bottom {
        line((m.x_axis.start, c.y0), (m.x_axis.end, c.y0))?;
        let style = anchored(HPos::Center, VPos::Top);
        for (x, label) in m
            .x_labels
            .iter()
            .filter(|(x, _)| (m.x_axis.start..=m.x_axis.end).contains(x))
        {
            text(label, &style, *x, c.y0 + gap)?;
            line((*x, c.y0), (*x, c.y0 + tick))?;
        }
    }
    Ok(())
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
    format(v, Style::Tick)
}

/// `10⁻³` for an exponent of −3 ([`Style::Power`]). Non-integer exponents get no label.
pub fn power_label(exponent: f64) -> String {
    format(exponent, Style::Power)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
    }

    #[test]
    fn ticks_step_by_one_two_or_five_times_a_power_of_ten() {
        // 20 across in at most 9 steps: 2.22 a step rounds up to 5.
        assert!(close(
            &key_points((-10.0, 10.0), 9, false),
            &[-10.0, -5.0, 0.0, 5.0, 10.0]
        ));
        // 1 across in at most 7: 0.143 rounds up to 0.2.
        assert!(close(
            &key_points((0.0, 1.0), 7, false),
            &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        ));
        // 6.6 across in at most 4 steps: 1.65 rounds up to 2, and only the multiples inside.
        assert!(close(&key_points((-3.7, 2.9), 4, false), &[-2.0, 0.0, 2.0]));
    }

    #[test]
    fn log_axes_tick_whole_decades_only() {
        // 3.7 decades in 8 steps would be 0.5 a step: a log axis keeps to whole powers of ten.
        assert!(close(
            &key_points((-3.2, 0.5), 8, true),
            &[-3.0, -2.0, -1.0, 0.0]
        ));
    }

    #[test]
    fn no_ticks_on_an_empty_or_infinite_range() {
        assert!(key_points((1.0, 1.0), 7, false).is_empty());
        assert!(key_points((0.0, f64::INFINITY), 7, false).is_empty());
        assert!(key_points((f64::NAN, 1.0), 7, false).is_empty());
    }

    #[test]
    fn tick_labels_have_no_more_digits_than_they_need() {
        assert_eq!(tick_label(-10.0), "-10");
        assert_eq!(tick_label(2.5), "2.5");
        assert_eq!(tick_label(0.001), "0.001");
        assert_eq!(tick_label(0.6000000000000001), "0.6");
        // Float noise around zero, and −0, read as 0.
        assert_eq!(tick_label(1e-13), "0");
        assert_eq!(tick_label(-0.0), "0");
        assert_eq!(tick_label(-1e-13), "0");
        // Very large and very small ticks in scientific notation.
        assert_eq!(tick_label(100_000.0), "1e5");
        assert_eq!(tick_label(0.0005), "5e-4");
    }

    #[test]
    fn power_labels_are_superscript_powers_of_ten() {
        assert_eq!(power_label(-3.0), "10⁻³");
        assert_eq!(power_label(0.0), "10⁰");
        assert_eq!(power_label(2.0), "10²");
        assert_eq!(power_label(10.0), "10¹⁰");
        assert_eq!(power_label(-15.0), "10⁻¹⁵");
        // Between decades: no label rather than 10^-2.5.
        assert_eq!(power_label(0.5), "");
    }
}

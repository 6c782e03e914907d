//! The legend: a panel of entries in whichever spot of the plot its content leaves emptiest.
//!
//! It draws through plotters, on the plotting area of the axes' chart, so that its panel and
//! markers sit on whole device pixels like the axes around them.
//!
//! ```ignore
//! let entries = [("f(x)".to_string(), theme.curve, LegendMark::Line)];
//! legend(&chart, &plot, &entries, &curve_points, &word_boxes)?;
//! ```

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::Surface;
use super::marks::{LabelBox, Plot};
use super::theme::Theme;
use super::{drawing, Chart, DrawResult};

/// How a legend entry is drawn.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum LegendMark {
    Line,
    Dashed,
    Dot,
    Ring,
}

/// A legend entry: its words, colour and mark.
pub type Entry = (String, RGBColor, LegendMark);

/// A legend on the plotting area of `chart`, in whichever spot along its top or bottom the
/// `avoid` points (axis units) leave emptiest, and never over a box in `keep_clear` (CSS
/// pixels) when any spot is clear of them.
pub fn legend(
    chart: &Chart,
    plot: &Plot,
    entries: &[Entry],
    avoid: &[(f64, f64)],
    keep_clear: &[LabelBox],
) -> DrawResult<()> {
    let theme = plot.theme;
    let style = TextStyle::from(theme.font(theme.label_font))
        .color(&theme.text)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let area = chart.plotting_area().strip_coord_spec();
    let mut text_width = 0;
    for (label, _, _) in entries {
        let (w, _) = drawing(area.estimate_text_size(label, &style))?;
        text_width = text_width.max(w as i32);
    }
    let layout = Layout::new(theme, text_width, entries.len());
    let (x0, y0) = layout.emptiest_spot(plot, area.dim_in_pixel(), avoid, keep_clear);
    let panel = [(x0, y0), (x0 + layout.width, y0 + layout.height)];
    drawing(area.draw(&Rectangle::new(
        panel,
        ShapeStyle::from(&theme.background.mix(0.9)).filled(),
    )))?;
    drawing(area.draw(&Rectangle::new(
        panel,
        ShapeStyle::from(&theme.grid).stroke_width(theme.grid_width),
    )))?;
    for (i, (label, color, mark)) in entries.iter().enumerate() {
        let cy = y0 + layout.pad + layout.row * i as i32 + layout.row / 2;
        let lx = x0 + layout.pad;
        draw_mark(&area, theme, *mark, *color, (lx, cy), layout.line)?;
        drawing(area.draw(&Text::new(
            label.clone(),
            (lx + layout.line + layout.pad, cy),
            style.clone(),
        )))?;
    }
    Ok(())
}

/// The panel's measures, in device pixels.
struct Layout {
    /// Length of an entry's mark.
    line: i32,
    row: i32,
    pad: i32,
    width: i32,
    height: i32,
}

impl Layout {
    fn new(theme: &Theme, text_width: i32, entries: usize) -> Layout {
        let line = (theme.label_font * 1.9) as i32;
        let row = (theme.label_font * 1.5) as i32;
        let pad = (theme.label_font * 0.6) as i32;
        Layout {
            line,
            row,
            pad,
            width: pad * 3 + line + text_width,
            height: pad * 2 + row * entries as i32,
        }
    }

    /// The panel's top-left corner (device pixels from the plotting area's) in a plotting area
    /// `aw × ah` device pixels.
    fn emptiest_spot(
        &self,
        plot: &Plot,
        (aw, ah): (u32, u32),
        avoid: &[(f64, f64)],
        keep_clear: &[LabelBox],
    ) -> (i32, i32) {
        let (theme, frame) = (plot.theme, plot.frame);
        let (aw, ah) = (aw as i32, ah as i32);
        let (w, h, pad) = (self.width, self.height, self.pad);
        let (right, bottom, middle) = (aw - w - pad, ah - h - pad, (aw - w) / 2);
        let (quarter, three_quarters, centre) = ((aw - w) / 4, (aw - w) * 3 / 4, (ah - h) / 2);
        // The corners first; then along the edges and down the sides, for charts whose corners
        // all hold something (a label, the curve); last, the middle of the plot, for one whose
        // data runs along both edges (the numerical error's: h at the top, zeros at the bottom).
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
            (middle, centre),
            (quarter, centre),
            (three_quarters, centre),
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
        spots
            .iter()
            .copied()
            .min_by_key(|s| (covered(*s), crowd(*s)))
            .unwrap_or(spots[0])
    }
}

/// An entry's mark, `line` long from (`lx`, `cy`), as the chart draws what it stands for.
fn draw_mark(
    area: &DrawingArea<Surface<'_>, Shift>,
    theme: &Theme,
    mark: LegendMark,
    color: RGBColor,
    (lx, cy): (i32, i32),
    line: i32,
) -> DrawResult<()> {
    let stroke = ShapeStyle::from(&color).stroke_width(theme.curve_width);
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
            let dot = ShapeStyle::from(&color).filled();
            drawing(area.draw(&Circle::new((lx + line / 2, cy), theme.marker_radius, dot)))?;
        }
        LegendMark::Ring => {
            let ring = ShapeStyle::from(&color).stroke_width(theme.grid_width);
            drawing(area.draw(&Circle::new((lx + line / 2, cy), theme.marker_radius, ring)))?;
        }
    }
    Ok(())
}

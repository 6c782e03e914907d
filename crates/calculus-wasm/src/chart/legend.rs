//! The legend: a panel of entries in whichever spot of the plot its content leaves emptiest.
//!
//! ```ignore
//! legend(&mut chart, &theme, &[("f(x)".into(), theme.curve, LegendMark::Line)], &avoid, &[], &frame)?;
//! ```

use plotters::prelude::*;

use super::frame::Frame;
use super::marks::LabelBox;
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

/// A legend in whichever spot along the top or bottom of the plotting area the `avoid` points
/// (in axis units) leave emptiest.
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

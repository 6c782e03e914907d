//! The height scale of a function of two variables: a viridis bar from f's lowest value to
//! its highest, labelled at both ends. The contour maps (chapters 3, 4 and 6) and the 3D
//! surface (chapter 2) colour f the same way, so one bar reads both.
//!
//! It stands right of the picture, or lies under it where the canvas is narrow: whichever
//! leaves the map more room (a contour map keeps equal units, so a bar beside a narrow map
//! takes its width from the map itself).

use web_sys::CanvasRenderingContext2d;

use super::theme::{css, viridis, Theme};

/// Room a bar takes right of the picture, or under it, in CSS pixels.
pub const SIDE: f64 = 56.0;
pub const BELOW: f64 = 40.0;
/// The bar's thickness, and the gap between its ends and their labels, in CSS pixels.
const THICKNESS: f64 = 12.0;
const GAP: f64 = 4.0;
/// Colour steps drawn along the bar.
const STEPS: u32 = 48;

/// Where a bar goes, in CSS pixels from the canvas's top-left corner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Place {
    /// Upright, its centre line at `x`, from `top` (f's highest value) to `bottom`.
    Right { x: f64, top: f64, bottom: f64 },
    /// Lying, its centre line at `y`, from `left` (f's lowest value) to `right`.
    Below { y: f64, left: f64, right: f64 },
}

/// Draws the bar for f's values `z` (lowest, highest) at `place`.
pub fn colour_bar(context: &CanvasRenderingContext2d, theme: &Theme, place: Place, z: (f64, f64)) {
    let s = theme.dpr;
    let half = THICKNESS / 2.0 * s;
    for k in 0..STEPS {
        let (t, dt) = (f64::from(k) / f64::from(STEPS), 1.0 / f64::from(STEPS));
        context.set_fill_style_str(&css(viridis(t + dt / 2.0)));
        // One pixel of overlap, so no seam shows between steps.
        match place {
            Place::Right { x, top, bottom } => {
                let length = (bottom - top) * s;
                let y = bottom * s - length * (t + dt);
                context.fill_rect(x * s - half, y, 2.0 * half, length * dt + 1.0);
            }
            Place::Below { y, left, right } => {
                let length = (right - left) * s;
                let x = left * s + length * t;
                context.fill_rect(x, y * s - half, length * dt + 1.0, 2.0 * half);
            }
        }
    }
    context.set_fill_style_str(&css(theme.muted_text));
    context.set_font(&theme.css_font(theme.label_font));
    let (lo, hi) = (super::tick_label(z.0), super::tick_label(z.1));
    let label = |text: &str, (x, y): (f64, f64), align: &str, baseline: &str| {
        context.set_text_align(align);
        context.set_text_baseline(baseline);
        let _ = context.fill_text(text, x * s, y * s);
    };
    match place {
        Place::Right { x, top, bottom } => {
            label(&hi, (x, top - GAP), "center", "bottom");
            label(&lo, (x, bottom + GAP), "center", "top");
        }
        Place::Below { y, left, right } => {
            label(&lo, (left - GAP, y), "right", "middle");
            label(&hi, (right + GAP, y), "left", "middle");
        }
    }
}

/// Whether a square map gets more room with the bar under it than beside it, on a plot
/// area `width` × `height` CSS pixels before the bar takes its share.
pub fn goes_below(width: f64, height: f64) -> bool {
    (width).min(height - BELOW) > (width - SIDE).min(height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_map_keeps_its_bar_beside_it_and_a_narrow_one_under_it() {
        // The lab at 1280 px: a 620 × 496 canvas, less its axes (64 across, 59 down).
        assert!(!goes_below(556.0, 437.0));
        // At 360 px: a 305 × 339 canvas: beside, the map would be 185 px; under, 240.
        assert!(goes_below(241.0, 280.0));
        // A square plot area: beside, the map would be 244 px; under, 260 (the bar under it
        // is the thinner, 40 px against 56).
        assert!(goes_below(300.0, 300.0));
    }
}

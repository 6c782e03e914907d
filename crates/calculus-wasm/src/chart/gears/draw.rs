//! The gears' drawing: where the parts of a redraw go ([`Layout`]), the few shapes they are
//! made of ([`Ink`]), and one gear ([`Gear`]): a toothed disc with a spoke, so that its angle
//! shows, and an arc whose head shows the way it turns.

use std::f64::consts::{PI, TAU};

use plotters::prelude::RGBColor;

use super::super::theme::{css, Theme};
use super::super::Frame;
use crate::book::GEARS;

/// Where the parts of one redraw go, in CSS pixels.
pub struct Layout {
    pub width: f64,
    pub left: f64,
    pub slot: f64,
    /// The centre line of the gears, and the largest radius a gear is drawn at.
    pub cy: f64,
    pub r_max: f64,
    /// Baselines of the ratio labels above the gears and of the value labels below.
    pub ratio_top: f64,
    pub label_top: f64,
}

impl Layout {
    const MARGIN: f64 = 8.0;
    const ABOVE: f64 = 50.0;
    const BELOW: f64 = 44.0;

    pub fn new(width: f64, height: f64) -> Layout {
        let left = Self::MARGIN;
        let slot = (width - 2.0 * left) / 4.0;
        let band = (height - Self::ABOVE - Self::BELOW).max(20.0);
        // Room for the direction arrow (8 px) over the largest gear.
        let r_max = (0.46 * slot).min(band / 2.0 - 10.0).max(6.0);
        // When the width limits the gears (a phone), the labels keep close to them and the
        // whole sits in the middle of the canvas, rather than the gears floating between
        // labels at its edges.
        let block = Self::ABOVE + 2.0 * (r_max + 10.0) + Self::BELOW;
        let top = ((height - block) / 2.0).max(0.0);
        let cy = top + Self::ABOVE + r_max + 10.0;
        Layout {
            width,
            left,
            slot,
            cy,
            r_max,
            ratio_top: top + Self::MARGIN + 12.0,
            label_top: cy + r_max + 10.0 + 16.0,
        }
    }

    /// Gear k's centre.
    pub fn centre(&self, k: usize) -> (f64, f64) {
        (self.left + self.slot * (k as f64 + 0.5), self.cy)
    }

    /// The radius of a gear whose area shows `ratio` (X's, 1, is the middle size).
    pub fn radius(&self, ratio: f64) -> f64 {
        let (least, most) = GEARS.ratio_shown;
        let r1 = self.r_max / most.sqrt();
        let shown = if ratio.is_finite() {
            ratio.abs().clamp(least, most)
        } else {
            least
        };
        r1 * shown.sqrt()
    }

    pub fn frame(&self) -> Frame {
        Frame {
            x: (0.0, 4.0),
            y: (-1.0, 1.0),
            log_y: false,
            left: self.left,
            right: self.width - self.left,
            top: self.cy - self.r_max,
            bottom: self.cy + self.r_max,
        }
    }
}

/// The raw context and theme of a redraw, with the few shapes the gears are made of.
pub struct Ink<'a> {
    pub context: &'a web_sys::CanvasRenderingContext2d,
    pub theme: &'a Theme,
}

impl Ink<'_> {
    /// Text centred on x with its baseline at y (CSS pixels), `weight` "400" or "600",
    /// condensed to `fit` CSS pixels wide when it is wider (a value under a gear on a phone).
    pub fn text(&self, text: &str, (x, y): (f64, f64), color: RGBColor, weight: &str, fit: f64) {
        let (c, s) = (self.context, self.theme.dpr);
        c.set_font(&format!(
            "{weight} {}",
            self.theme.css_font(self.theme.label_font)
        ));
        c.set_fill_style_str(&css(color));
        c.set_text_align("center");
        c.set_text_baseline("alphabetic");
        let _ = c.fill_text_with_max_width(text, x * s, y * s, fit * s);
    }

    /// A word on a patch of background at (x, y), over a gear.
    pub fn tag(&self, text: &str, (x, y): (f64, f64), color: RGBColor) {
        let (c, s, theme) = (self.context, self.theme.dpr, self.theme);
        c.set_font(&format!("600 {}", theme.css_font(theme.label_font)));
        let w = c.measure_text(text).map(|m| m.width()).unwrap_or(40.0 * s);
        let h = theme.label_font * 1.4;
        c.set_fill_style_str(&css(theme.background));
        c.set_global_alpha(0.9);
        c.fill_rect(x * s - w / 2.0 - 3.0 * s, y * s - h / 2.0, w + 6.0 * s, h);
        c.set_global_alpha(1.0);
        c.set_stroke_style_str(&css(color));
        c.set_line_width(f64::from(theme.grid_width));
        c.stroke_rect(x * s - w / 2.0 - 3.0 * s, y * s - h / 2.0, w + 6.0 * s, h);
        self.text(
            text,
            (x, y + theme.label_font * 0.35 / s),
            color,
            "600",
            w / s,
        );
    }

    /// An arrow along the line from `from` to `to`, with its head at `to`.
    pub fn arrow(&self, from: (f64, f64), to: (f64, f64), color: RGBColor) {
        let (c, s) = (self.context, self.theme.dpr);
        c.begin_path();
        c.move_to(from.0 * s, from.1 * s);
        c.line_to(to.0 * s, to.1 * s);
        c.set_stroke_style_str(&css(color));
        c.set_line_width(f64::from(self.theme.thin_width));
        c.stroke();
        self.head(to, (to.1 - from.1).atan2(to.0 - from.0), color);
    }

    /// A filled arrowhead at `tip` pointing along the screen angle `direction` (radians).
    pub fn head(&self, tip: (f64, f64), direction: f64, color: RGBColor) {
        let (c, s) = (self.context, self.theme.dpr);
        let (len, half) = (7.0 * s, 3.5 * s);
        let (ux, uy) = (direction.cos(), direction.sin());
        let (x, y) = (tip.0 * s, tip.1 * s);
        c.begin_path();
        c.move_to(x, y);
        c.line_to(x - ux * len - uy * half, y - uy * len + ux * half);
        c.line_to(x - ux * len + uy * half, y - uy * len - ux * half);
        c.close_path();
        c.set_fill_style_str(&css(color));
        c.fill();
    }
}

/// X, A, B and C: the Okabe–Ito colours the book's curves use, one per gear.
pub fn gear_colors(theme: &Theme) -> [RGBColor; 4] {
    [
        theme.curve,
        theme.derivative,
        theme.numerical,
        theme.tangent,
    ]
}

/// One gear as drawn: a toothed disc with a spoke, so that its angle shows.
pub struct Gear {
    pub centre: (f64, f64),
    pub radius: f64,
    /// Anticlockwise from pointing up, radians.
    pub angle: f64,
}

impl Gear {
    /// The body (a tint of `color`), its outline, the spoke and the hub.
    pub fn draw(&self, ink: &Ink, color: RGBColor) {
        let (c, s, theme) = (ink.context, ink.theme.dpr, ink.theme);
        let (cx, cy) = (self.centre.0 * s, self.centre.1 * s);
        let r = self.radius * s;
        // Teeth about 9 CSS pixels apart, at least 8 of them.
        let teeth = ((TAU * self.radius / 9.0).round() as usize).max(8);
        let depth = (0.16 * r).min(5.0 * s);
        c.begin_path();
        for t in 0..teeth {
            let a = self.angle + TAU * t as f64 / teeth as f64;
            let step = TAU / teeth as f64;
            for (frac, rr) in [(0.0, r - depth), (0.4, r - depth), (0.5, r), (0.9, r)] {
                let theta = a + frac * step + PI / 2.0;
                c.line_to(cx + rr * theta.cos(), cy - rr * theta.sin());
            }
        }
        c.close_path();
        c.set_fill_style_str(&css(color));
        c.set_global_alpha(0.22);
        c.fill();
        c.set_global_alpha(1.0);
        c.set_stroke_style_str(&css(color));
        c.set_line_width(f64::from(theme.thin_width));
        c.stroke();
        // The spoke, from the hub to near the rim, at the gear's angle.
        let (ux, uy) = (
            (self.angle + PI / 2.0).cos(),
            -(self.angle + PI / 2.0).sin(),
        );
        c.begin_path();
        c.move_to(cx, cy);
        c.line_to(cx + ux * (r - depth * 1.6), cy + uy * (r - depth * 1.6));
        c.set_line_width(f64::from(theme.curve_width));
        c.set_line_cap("round");
        c.stroke();
        c.begin_path();
        let _ = c.arc(cx, cy, (0.14 * r).max(2.5 * s), 0.0, TAU);
        c.set_fill_style_str(&css(color));
        c.fill();
    }

    /// An arc over the gear with its head the way the gear turns when X turns anticlockwise.
    pub fn way(&self, ink: &Ink, anticlockwise: bool, color: RGBColor) {
        let (c, s) = (ink.context, ink.theme.dpr);
        let (cx, cy) = self.centre;
        let r = self.radius + 7.0;
        // Over the top, from 60° to 120° (screen angles run clockwise, so negate).
        let (from, to) = if anticlockwise {
            (60f64, 120f64)
        } else {
            (120.0, 60.0)
        };
        let (a0, a1) = (-from.to_radians(), -to.to_radians());
        c.begin_path();
        let _ = c.arc_with_anticlockwise(cx * s, cy * s, r * s, a0, a1, anticlockwise);
        c.set_stroke_style_str(&css(color));
        c.set_line_width(f64::from(ink.theme.thin_width));
        c.stroke();
        let tip = (cx + r * a1.cos(), cy + r * a1.sin());
        // The tangent at the tip, in the direction of travel.
        let direction = if anticlockwise {
            a1 - PI / 2.0
        } else {
            a1 + PI / 2.0
        };
        ink.head(tip, direction, color);
    }
}

//! The network as a picture: where the neurons sit for a canvas size, and the strokes and
//! labels it is drawn with (circles, edges with arrowheads, text on patches of background).
//! Positions are CSS pixels; [`Sketch`] scales them by the device pixel ratio.

use plotters::prelude::RGBColor;
use web_sys::CanvasRenderingContext2d;

use super::super::frame::Frame;
use super::super::marks::{set_dash, Dash, Plot};
use super::super::theme::{css, Theme};

pub type Point = (f64, f64);

/// Where the neurons sit. On a wide canvas the layers run left to right: columns for the
/// inputs, the hidden units, the output and the loss, and rows for a layer's two units. On a
/// narrow one they run down the page, and the loss's box sits beside the output. Either way
/// each neuron's numbers are written on its side away from the middle of the picture, where
/// no edge runs ([`Layout::numbers_above`]).
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    /// Layers down the page rather than across it.
    pub vertical: bool,
    /// Where along each layer (x across, or y down) its layer sits, for the inputs, the
    /// hidden units and the output.
    layers: [f64; 3],
    /// Where its two units sit along a layer, and the output within it.
    units: [f64; 2],
    middle: f64,
    /// The loss's box's centre.
    loss: Point,
    pub radius: f64,
}

impl Layout {
    /// The layout for a canvas `width × height` CSS pixels.
    pub fn new(width: f64, height: f64) -> Layout {
        let radius = (height / 18.0).clamp(13.0, 20.0);
        if width < 640.0 {
            let layers = [0.1 * height, 0.42 * height, 0.74 * height];
            return Layout {
                vertical: true,
                layers,
                units: [0.22 * width, 0.78 * width],
                middle: 0.5 * width,
                loss: (0.82 * width, layers[2]),
                radius,
            };
        }
        // Evenly spaced columns, at most 240 px apart and centred, with room at the sides
        // for the inputs' labels and the loss's box; the rows leave room above and below
        // for three lines of numbers.
        let (left, right) = (60.0, 70.0);
        let span = (width - left - right).clamp(60.0, 720.0);
        let start = left + ((width - left - right) - span).max(0.0) / 2.0;
        let column = |k: f64| start + k * span / 3.0;
        Layout {
            vertical: false,
            layers: [column(0.0), column(1.0), column(2.0)],
            units: [0.27 * height, 0.73 * height],
            middle: 0.5 * height,
            loss: (column(3.0), 0.5 * height),
            radius,
        }
    }

    fn at(&self, layer: usize, along: f64) -> Point {
        if self.vertical {
            (along, self.layers[layer])
        } else {
            (self.layers[layer], along)
        }
    }

    /// Input i, hidden unit j, the output and the loss: the centres the edges join.
    pub fn input(&self, i: usize) -> Point {
        self.at(0, self.units[i])
    }
    pub fn hidden(&self, j: usize) -> Point {
        self.at(1, self.units[j])
    }
    pub fn output(&self) -> Point {
        self.at(2, self.middle)
    }
    pub fn loss(&self) -> Point {
        self.loss
    }

    /// Whether neuron n's numbers (x₁, x₂, h₁, h₂, ŷ) go above it rather than under it:
    /// across, those of the top row; down the page, the inputs', whose edges leave downwards.
    pub fn numbers_above(&self, n: usize) -> bool {
        if self.vertical {
            n < 2
        } else {
            n == 0 || n == 2
        }
    }

    /// Where along weight k's edge (k = 2j + i for input i to hidden unit j, 6 + j for
    /// hidden unit j to the output) its label sits, from its start. Across, the two
    /// crossing edges are labelled near the inputs, where they are far apart; down the
    /// page, each pair of edges whose labels would meet is labelled at two heights.
    /// (Measured for labels like `∂L/∂w₅ = 1.3003`, about 100 px wide at 12 px.)
    pub fn label_at(&self, k: usize) -> f64 {
        match (self.vertical, k) {
            (false, 1 | 2) => 0.33,
            (true, 2) => 0.25,
            (true, 1) => 0.75,
            (true, 6) => 0.55,
            (true, 7) => 0.75,
            // Clear of the output's numbers, under it.
            (false, 6 | 7) => 0.4,
            _ => 0.5,
        }
    }

    /// The frame: chart coordinates (layer, place along it) to CSS pixels. Across, layer
    /// 0 to 3 (the loss) runs left to right and the place 0 (bottom) to 1 (top); down the
    /// page, the layer runs top to bottom on the y axis and the place left to right on x.
    pub fn frame(&self, width: f64) -> Frame {
        let (x, y, left, right) = if self.vertical {
            ((0.0, 1.0), (2.0, 0.0), 0.0, width)
        } else {
            ((0.0, 3.0), (0.0, 1.0), self.layers[0], self.loss.0)
        };
        // Down the page the layers are evenly spaced; across, the rows sit at heights 0.75
        // and 0.25 of a span twice their distance.
        let (top, bottom) = if self.vertical {
            (self.layers[0], self.layers[2])
        } else {
            let span = 2.0 * (self.units[1] - self.units[0]);
            (
                self.units[1] + 0.25 * span - span,
                self.units[1] + 0.25 * span,
            )
        };
        Frame {
            x,
            y,
            log_y: false,
            left,
            right,
            top,
            bottom,
        }
    }
}

/// Strokes and text in CSS pixels on a redraw's context.
pub struct Sketch<'a> {
    pub context: &'a CanvasRenderingContext2d,
    pub theme: &'a Theme,
    /// For its patch of background under text.
    pub plot: &'a Plot<'a>,
}

impl Sketch<'_> {
    fn s(&self) -> f64 {
        self.theme.dpr
    }

    /// A straight stroke from `a` to `b`, stopping `gap` short of each end.
    pub fn line(
        &self,
        a: Point,
        b: Point,
        gap: (f64, f64),
        color: RGBColor,
        width: u32,
        dash: Dash,
    ) {
        let (c, s) = (self.context, self.s());
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let length = dx.hypot(dy).max(1e-9);
        let (ux, uy) = (dx / length, dy / length);
        c.begin_path();
        c.move_to((a.0 + ux * gap.0) * s, (a.1 + uy * gap.0) * s);
        c.line_to((b.0 - ux * gap.1) * s, (b.1 - uy * gap.1) * s);
        c.set_stroke_style_str(&css(color));
        c.set_line_width(f64::from(width));
        if dash == Dash::Dashed {
            set_dash(c, &self.theme.dash);
        }
        c.stroke();
        set_dash(c, &[]);
    }

    /// An arrowhead at `tip` pointing from `from` towards `tip`.
    pub fn head(&self, from: Point, tip: Point, color: RGBColor) {
        let (c, s) = (self.context, self.s());
        let (dx, dy) = (tip.0 - from.0, tip.1 - from.1);
        let length = dx.hypot(dy).max(1e-9);
        let (ux, uy) = (dx / length, dy / length);
        let size = 7.0;
        c.begin_path();
        c.move_to(tip.0 * s, tip.1 * s);
        c.line_to(
            (tip.0 - ux * size - uy * size * 0.55) * s,
            (tip.1 - uy * size + ux * size * 0.55) * s,
        );
        c.line_to(
            (tip.0 - ux * size + uy * size * 0.55) * s,
            (tip.1 - uy * size - ux * size * 0.55) * s,
        );
        c.close_path();
        c.set_fill_style_str(&css(color));
        c.fill();
    }

    /// A neuron: a disc of background ringed in `color`, its name inside.
    pub fn neuron(&self, at: Point, radius: f64, name: &str, color: RGBColor, width: u32) {
        let (c, s, theme) = (self.context, self.s(), self.theme);
        c.begin_path();
        let _ = c.arc(at.0 * s, at.1 * s, radius * s, 0.0, std::f64::consts::TAU);
        c.set_fill_style_str(&css(theme.background));
        c.fill();
        c.set_stroke_style_str(&css(color));
        c.set_line_width(f64::from(width));
        c.stroke();
        self.text(name, at, theme.text, theme.annotation_font);
    }

    /// The loss's box around `at`, `width × height` CSS pixels.
    pub fn frame_box(&self, at: Point, size: (f64, f64), color: RGBColor, width: u32) {
        let (c, s) = (self.context, self.s());
        let (w, h) = size;
        c.set_fill_style_str(&css(self.theme.background));
        c.fill_rect((at.0 - w / 2.0) * s, (at.1 - h / 2.0) * s, w * s, h * s);
        c.set_stroke_style_str(&css(color));
        c.set_line_width(f64::from(width));
        c.stroke_rect((at.0 - w / 2.0) * s, (at.1 - h / 2.0) * s, w * s, h * s);
    }

    /// The width of `text` in the labels' font, in CSS pixels.
    pub fn width(&self, text: &str) -> f64 {
        self.context
            .set_font(&self.theme.css_font(self.theme.label_font));
        self.context
            .measure_text(text)
            .map(|m| m.width())
            .unwrap_or(0.0)
            / self.s()
    }

    /// `text` centred on `at`, in `size` (device pixels) and `color`.
    pub fn text(&self, text: &str, at: Point, color: RGBColor, size: f64) {
        let (c, s) = (self.context, self.s());
        c.set_font(&self.theme.css_font(size));
        c.set_text_align("center");
        c.set_text_baseline("middle");
        c.set_fill_style_str(&css(color));
        let _ = c.fill_text(text, at.0 * s, at.1 * s);
    }

    /// A label on a patch of background, so that it reads over the edges under it.
    pub fn label(&self, text: &str, at: Point, color: RGBColor) {
        if text.is_empty() {
            return;
        }
        let (s, width) = (self.s(), self.width(text));
        let left = at.0 - width / 2.0;
        // The patch's bottom sits a little under the text's middle line.
        let bottom = at.1 + 0.45 * self.theme.label_font / s;
        self.plot.backing(left * s, bottom * s, width * s);
        self.text(text, at, color, self.theme.label_font);
    }
}

//! Every colour, font size and line width a chart uses, in one place.
//!
//! The palette is Okabe–Ito (safe for the common colour-vision deficiencies); lines are also told
//! apart by dash and width, never by colour alone. Sizes are in CSS pixels and are multiplied by
//! the device pixel ratio in [`Theme::new`], so charts stay crisp on HiDPI screens.
//!
//! ```ignore
//! let theme = Theme::new(Scheme::Dark, 2.0);
//! assert_eq!(theme.curve_width, 2.0 * 2.0);
//! ```

use calculus::digits::Shortest;
use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor};
use plotters_backend::BackendColor;

/// Light or dark, following the page (see `web/widget.js`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Light,
    Dark,
}

/// Resolved theme for one redraw: colours plus sizes already scaled to device pixels.
#[derive(Clone, Debug)]
pub struct Theme {
    pub background: RGBColor,
    pub text: RGBColor,
    pub muted_text: RGBColor,
    pub grid: RGBColor,
    pub axis: RGBColor,
    /// f(x): the function itself.
    pub curve: RGBColor,
    /// f'(x): the exact derivative.
    pub derivative: RGBColor,
    /// numpy.gradient samples.
    pub numerical: RGBColor,
    /// Tangent lines and the dragged point.
    pub tangent: RGBColor,
    /// Secant lines.
    pub secant: RGBColor,
    pub minimum: RGBColor,
    pub maximum: RGBColor,
    /// Gradient arrows (red in the book's matplotlib code; Okabe–Ito vermilion here).
    pub arrow: RGBColor,
    /// A descent path (chapter 4); it starts at `minimum`'s green and ends at `curve`'s blue.
    pub path: RGBColor,
    /// The optimizer race: gd, momentum, rmsprop, adam.
    pub racers: [RGBColor; 4],
    /// Chapter 6's two classes, 0 and 1 (TensorFlow Playground's orange and blue).
    pub classes: [RGBColor; 2],
    /// The stretch of viridis that layers are coloured from, first layer to last: it stops
    /// short of the end that would vanish into the background (yellow on white, purple on
    /// near-black).
    pub depth: (f64, f64),
    /// The widget's own chrome around its charts (web/style.js's CSS, generated from these by
    /// `book-facts`; see [`Theme::css_colors`]): the card's and the fields' borders.
    pub border: RGBColor,
    /// Focus rings, sliders, checkboxes and pressed buttons: the curve's blue, a shade darker
    /// in the light scheme (6.5:1 on white, the curve's 5.2:1).
    pub accent: RGBColor,
    /// Error messages and the border of a field that holds a mistake.
    pub error: RGBColor,
    /// The background of text fields, selects and buttons.
    pub field: RGBColor,
    /// Scale factor from CSS pixels to canvas pixels.
    pub dpr: f64,
    pub font_family: &'static str,
    pub label_font: f64,
    pub annotation_font: f64,
    pub grid_width: u32,
    pub axis_width: u32,
    pub curve_width: u32,
    pub thin_width: u32,
    pub point_radius: u32,
    pub marker_radius: u32,
    /// Dash pattern, in device pixels.
    pub dash: [f64; 2],
    pub margin: u32,
    pub x_label_area: u32,
    pub y_label_area: u32,
}

impl Scheme {
    /// What the widget reports of its page: dark or not.
    pub fn of(dark: bool) -> Scheme {
        if dark {
            Scheme::Dark
        } else {
            Scheme::Light
        }
    }

    /// The light or the dark one of a pair `[light, dark]`.
    pub fn pick<T>(self, [light, dark]: [T; 2]) -> T {
        match self {
            Scheme::Light => light,
            Scheme::Dark => dark,
        }
    }
}

/// `0xrrggbb` as a colour.
const fn rgb(hex: u32) -> RGBColor {
    RGBColor((hex >> 16) as u8, (hex >> 8) as u8, hex as u8)
}

/// A table of `0xrrggbb`s as colours, at compile time.
const fn palette<const N: usize>(hex: [[u32; N]; 2]) -> [[RGBColor; N]; 2] {
    let mut colors = [[RGBColor(0, 0, 0); N]; 2];
    let mut k = 0;
    while k < 2 * N {
        colors[k / N][k % N] = rgb(hex[k / N][k % N]);
        k += 1;
    }
    colors
}

/// Light and dark: background, text, muted text, grid, axis.
const NEUTRAL: [[RGBColor; 5]; 2] = palette([
    [0xffffff, 0x22242a, 0x555b66, 0xe6e8ee, 0x8a909c],
    [0x16181d, 0xe6e8ee, 0xa8aeba, 0x2c3038, 0x747b88],
]);

/// Okabe–Ito, light and dark (the lighter members of the same families): curve, derivative,
/// numerical, tangent, secant, minimum, maximum.
const OKABE_ITO: [[RGBColor; 7]; 2] = palette([
    [
        0x0072b2, 0xd55e00, 0x009e73, 0xcc79a7, 0xe69f00, 0x009e73, 0xd55e00,
    ],
    [
        0x56b4e9, 0xe69f00, 0x2ec49a, 0xe09cc4, 0xf0e442, 0x2ec49a, 0xf08a4b,
    ],
]);

impl Theme {
    pub fn new(scheme: Scheme, dpr: f64) -> Theme {
        // A ratio outside this range is a broken environment, not a screen.
        let dpr = if dpr.is_finite() {
            dpr.clamp(0.5, 4.0)
        } else {
            1.0
        };
        let px = |css: f64| (css * dpr).round().max(1.0) as u32;
        let [background, text, muted_text, grid, axis] = scheme.pick(NEUTRAL);
        let [curve, derivative, numerical, tangent, secant, minimum, maximum] =
            scheme.pick(OKABE_ITO);
        Theme {
            background,
            text,
            muted_text,
            grid,
            axis,
            curve,
            derivative,
            numerical,
            tangent,
            secant,
            minimum,
            maximum,
            arrow: maximum,
            path: text,
            racers: [maximum, curve, minimum, tangent],
            classes: [rgb(scheme.pick([0xc96a00, 0xe69f00])), curve],
            depth: scheme.pick([(0.0, 0.8), (0.25, 1.0)]),
            border: rgb(scheme.pick([0xd6d9e0, 0x3a3f49])),
            accent: scheme.pick([rgb(0x0061a0), curve]),
            error: rgb(scheme.pick([0xb3261e, 0xff8a80])),
            field: scheme.pick([background, rgb(0x1f2229)]),
            dpr,
            font_family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
            label_font: 12.0 * dpr,
            annotation_font: 13.0 * dpr,
            grid_width: px(1.0),
            axis_width: px(1.0),
            curve_width: px(2.25),
            thin_width: px(1.5),
            point_radius: px(6.0),
            marker_radius: px(4.5),
            dash: [6.0 * dpr, 4.0 * dpr],
            margin: px(10.0),
            x_label_area: px(26.0),
            y_label_area: px(44.0),
        }
    }
}

impl Theme {
    /// The canvas context's font for text `size` device pixels tall (`12px system-ui, …`).
    pub fn css_font(&self, size: f64) -> String {
        format!("{}px {}", Shortest(size), self.font_family)
    }

    /// The same font, for plotters' text.
    pub fn font(&self, size: f64) -> FontDesc<'static> {
        FontDesc::new(FontFamily::Name(self.font_family), size, FontStyle::Normal)
    }

    /// The colours a widget's CSS uses, by custom property (`--bg`, `--fg`, ...), in the order
    /// web/style.js declares them: the page can override each with `--calc-<name>` (and
    /// `--calc-<name>-dark`).
    pub fn css_colors(&self) -> [(&'static str, RGBColor); 7] {
        [
            ("bg", self.background),
            ("fg", self.text),
            ("muted", self.muted_text),
            ("border", self.border),
            ("accent", self.accent),
            ("error", self.error),
            ("field", self.field),
        ]
    }
}

impl Theme {
    /// Layer `layer` (from 0) of `layers`: deeper layers further along viridis.
    pub fn layer(&self, layer: usize, layers: usize) -> RGBColor {
        let t = layer as f64 / layers.saturating_sub(1).max(1) as f64;
        viridis(self.depth.0 + (self.depth.1 - self.depth.0) * t)
    }

    /// `background` blended towards `color` by `amount` in [0, 1]: the heat map's tints.
    pub fn tint(&self, color: RGBColor, amount: f64) -> RGBColor {
        let a = amount.clamp(0.0, 1.0);
        let mix = |p: u8, q: u8| (f64::from(p) + (f64::from(q) - f64::from(p)) * a).round() as u8;
        let b = self.background;
        RGBColor(mix(b.0, color.0), mix(b.1, color.1), mix(b.2, color.2))
    }
}

/// The widget's border on paper, in either scheme (a printed page is white).
pub const PRINT_BORDER: RGBColor = rgb(0x999999);

/// Opacity of the patch of background laid under text that sits on a plot (captions, line
/// labels), so it stays readable over level lines and arrows without hiding them.
pub const BACKING_ALPHA: f64 = 0.85;

/// `rgb(r,g,b)`, for the canvas context.
pub fn css(color: RGBColor) -> String {
    format!("rgb({},{},{})", color.0, color.1, color.2)
}

/// `rgba(r,g,b,a)` of a plotters colour, as plotters-canvas wrote it (for the backend).
pub fn rgba(color: BackendColor) -> String {
    let (r, g, b) = color.rgb;
    format!("rgba({r},{g},{b},{})", Shortest(color.alpha))
}

/// `#rrggbb`, for the widget contract (`el.curveColor`) and for tests' pixel checks.
pub fn hex(color: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", color.0, color.1, color.2)
}

/// Viridis (matplotlib's default colour map, perceptually uniform and colour-blind safe) at
/// `t` in [0, 1], interpolated between nine of its stops: for level lines and colour bars.
pub fn viridis(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 9] = [
        (0x44, 0x01, 0x54),
        (0x47, 0x2c, 0x7a),
        (0x3b, 0x51, 0x8b),
        (0x2c, 0x71, 0x8e),
        (0x21, 0x90, 0x8d),
        (0x27, 0xad, 0x81),
        (0x5c, 0xc8, 0x63),
        (0xaa, 0xdc, 0x32),
        (0xfd, 0xe7, 0x25),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (STOPS.len() - 1) as f64;
    let k = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - k as f64;
    let (a, b) = (STOPS[k], STOPS[k + 1]);
    let mix = |p: u8, q: u8| (f64::from(p) + (f64::from(q) - f64::from(p)) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

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

use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor};

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
}

impl Theme {
    pub fn new(scheme: Scheme, dpr: f64) -> Theme {
        // A ratio outside this range is a broken environment, not a screen.
        let dpr = if dpr.is_finite() {
            dpr.clamp(0.5, 4.0)
        } else {
            1.0
        };
        let px = |css: f64| (css * dpr).round().max(1.0) as u32;
        let (background, text, muted_text, grid, axis) = match scheme {
            Scheme::Light => (
                RGBColor(0xff, 0xff, 0xff),
                RGBColor(0x22, 0x24, 0x2a),
                RGBColor(0x55, 0x5b, 0x66),
                RGBColor(0xe6, 0xe8, 0xee),
                RGBColor(0x8a, 0x90, 0x9c),
            ),
            Scheme::Dark => (
                RGBColor(0x16, 0x18, 0x1d),
                RGBColor(0xe6, 0xe8, 0xee),
                RGBColor(0xa8, 0xae, 0xba),
                RGBColor(0x2c, 0x30, 0x38),
                RGBColor(0x74, 0x7b, 0x88),
            ),
        };
        // Okabe–Ito; the dark variant swaps to the lighter members of the same families.
        let (curve, derivative, numerical, tangent, secant, minimum, maximum) = match scheme {
            Scheme::Light => (
                RGBColor(0x00, 0x72, 0xb2),
                RGBColor(0xd5, 0x5e, 0x00),
                RGBColor(0x00, 0x9e, 0x73),
                RGBColor(0xcc, 0x79, 0xa7),
                RGBColor(0xe6, 0x9f, 0x00),
                RGBColor(0x00, 0x9e, 0x73),
                RGBColor(0xd5, 0x5e, 0x00),
            ),
            Scheme::Dark => (
                RGBColor(0x56, 0xb4, 0xe9),
                RGBColor(0xe6, 0x9f, 0x00),
                RGBColor(0x2e, 0xc4, 0x9a),
                RGBColor(0xe0, 0x9c, 0xc4),
                RGBColor(0xf0, 0xe4, 0x42),
                RGBColor(0x2e, 0xc4, 0x9a),
                RGBColor(0xf0, 0x8a, 0x4b),
            ),
        };
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
            border: match scheme {
                Scheme::Light => RGBColor(0xd6, 0xd9, 0xe0),
                Scheme::Dark => RGBColor(0x3a, 0x3f, 0x49),
            },
            accent: match scheme {
                Scheme::Light => RGBColor(0x00, 0x61, 0xa0),
                Scheme::Dark => curve,
            },
            error: match scheme {
                Scheme::Light => RGBColor(0xb3, 0x26, 0x1e),
                Scheme::Dark => RGBColor(0xff, 0x8a, 0x80),
            },
            field: match scheme {
                Scheme::Light => background,
                Scheme::Dark => RGBColor(0x1f, 0x22, 0x29),
            },
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
        format!("{size}px {}", self.font_family)
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

/// The widget's border on paper, in either scheme (a printed page is white).
pub const PRINT_BORDER: RGBColor = RGBColor(0x99, 0x99, 0x99);

/// Opacity of the patch of background laid under text that sits on a plot (captions, line
/// labels), so it stays readable over level lines and arrows without hiding them.
pub const BACKING_ALPHA: f64 = 0.85;

/// `rgb(r,g,b)`, for the canvas context.
pub fn css(color: RGBColor) -> String {
    format!("rgb({},{},{})", color.0, color.1, color.2)
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

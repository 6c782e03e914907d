//! Where the plotting area of a redraw sits: chart coordinates to CSS pixels and back, so
//! that pointer positions map to the chart without asking plotters, whose chart borrows the
//! canvas.
//!
//! ```ignore
//! let (x, y) = frame.to_css(1.0, 2.0);       // CSS pixel of the point (1, 2)
//! assert_eq!(frame.css_to_x(x), 1.0);
//! ```

/// The frame is plain data, the same struct JS receives (`convert::FrameData`): JS maps
/// pointer positions itself (`web/frame.js`), and frees nothing.
pub use crate::convert::FrameData as Frame;

impl Frame {
    /// The frame as JS sees it, `undefined` for none.
    pub fn js(frame: Option<Frame>) -> wasm_bindgen::JsValue {
        crate::convert::frame(frame)
    }

    /// CSS pixel of a chart point (for a log axis, `y` is the value, not its logarithm).
    pub fn to_css(&self, x: f64, y: f64) -> (f64, f64) {
        self.axis_to_css(x, if self.log_y { y.log10() } else { y })
    }

    /// CSS pixel of a point given in axis units (log10 of the value on a log axis).
    pub fn axis_to_css(&self, x: f64, y: f64) -> (f64, f64) {
        let px = self.left + (x - self.x.0) / (self.x.1 - self.x.0) * (self.right - self.left);
        let py = self.bottom - (y - self.y.0) / (self.y.1 - self.y.0) * (self.bottom - self.top);
        (px, py)
    }

    /// The x coordinate under a CSS pixel column, clamped to the visible range.
    pub fn css_to_x(&self, px: f64) -> f64 {
        let t = ((px - self.left) / (self.right - self.left)).clamp(0.0, 1.0);
        self.x.0 + t * (self.x.1 - self.x.0)
    }

    /// The y coordinate (axis units) under a CSS pixel row, clamped to the visible range.
    pub fn css_to_y(&self, py: f64) -> f64 {
        let t = ((self.bottom - py) / (self.bottom - self.top)).clamp(0.0, 1.0);
        self.y.0 + t * (self.y.1 - self.y.0)
    }

    /// CSS pixels per unit along x and along y.
    pub fn scale(&self) -> (f64, f64) {
        (
            (self.right - self.left) / (self.x.1 - self.x.0),
            (self.bottom - self.top) / (self.y.1 - self.y.0),
        )
    }

    /// The tangent through (x, y) with `slope`, about a seventh of the plot wide on each side
    /// (at most `half` CSS pixels), so it reads as a tangent at one point, not another curve,
    /// whatever its steepness and the screen's width.
    pub fn tangent_segment(&self, x: f64, y: f64, slope: f64, half: f64) -> [(f64, f64); 2] {
        let half = half.min((self.right - self.left) / 7.0);
        let kx = (self.right - self.left) / (self.x.1 - self.x.0);
        let ky = (self.bottom - self.top) / (self.y.1 - self.y.0);
        let t = half / kx.hypot(slope * ky);
        [(x - t, y - slope * t), (x + t, y + slope * t)]
    }

    /// Saves the context and clips it to the plotting area; the caller restores.
    pub fn clip(&self, context: &web_sys::CanvasRenderingContext2d, scale: f64) {
        context.save();
        context.begin_path();
        context.rect(
            self.left * scale,
            self.top * scale,
            (self.right - self.left) * scale,
            (self.bottom - self.top) * scale,
        );
        context.clip();
    }
}

//! Where the plotting area of a redraw sits: chart coordinates to CSS pixels, so that marks
//! are drawn without asking plotters, whose chart borrows the canvas. JS maps pointers back
//! with the same numbers (`web/frame.js`).
//!
//! ```ignore
//! let (x, y) = frame.to_css(1.0, 2.0);       // CSS pixel of the point (1, 2)
//! ```

/// Where a chart's plotting area sat at its last redraw. Plain data, as JS receives it
/// (`{x: [x0, x1], y: [y0, y1], logY, left, right, top, bottom}`): JS maps pointer positions
/// itself (`web/frame.js`), and frees nothing.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    /// Visible x range.
    pub x: (f64, f64),
    /// Visible y range, in axis units (log10 of the value on a log axis).
    pub y: (f64, f64),
    pub log_y: bool,
    /// The plotting area in CSS pixels from the canvas's top-left corner.
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Frame {
    /// The frame as JS sees it, `undefined` for none.
    pub fn js(frame: Option<Frame>) -> wasm_bindgen::JsValue {
        crate::convert::frame_js(frame)
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

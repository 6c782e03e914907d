//! Chapter 5's gears (feature `backprop`): the chain x → A → B → C as four gears in a row.
//! Turning gear X by Δθ turns each later gear by the product of the local derivatives up to
//! it (A by dA/dx·Δθ, B by dB/dA·dA/dx·Δθ, C by dC/dx·Δθ): the chain rule as a gear train,
//! linearised at the current x.
//!
//! A gear's area is its link's ratio |d(out)/d(in)| (clamped to [1/9, 3] so that a huge or
//! tiny ratio stays drawable; the true number is always printed). A negative ratio turns the
//! gear against the one before it (the arrow over each gear shows its way when X turns
//! anticlockwise); a zero ratio stops that gear and every later one.
//!
//! Chart coordinates (for `frame`/`chartToPixel`): gear k's centre is (k + 0.5, 0), the gears'
//! band spans y ∈ [−1, 1].
//!
//! ```js
//! const chart = new GearsChart(canvas);   // x^2; sin(A); exp(B) at x = 1
//! chart.turn(30);                         // X by 30°: A by 60°, B by 32.4°, C by 75.2°
//! chart.turns;                            // Float64Array [30, 60, 32.4…, 75.2…]
//! chart.draw(640, 340, devicePixelRatio, false);
//! ```

use calculus::chain::{Chain, ChainPoint};
use calculus::Expr;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::book::{CHAINS, GEARS};
use crate::convert::{float64_array, js_error, Float64Array};
use crate::figure;
use crate::format::{format, Style};

use super::canvas::{Canvas, Figure, Pen};
use super::{drawing, DrawResult, Frame};

mod draw;
mod words;
use draw::{gear_colors, Gear, Ink, Layout};
use words::{degrees, value};

/// The gears' names after X, in chain order.
const NAMES: [&str; 3] = ["A", "B", "C"];

#[wasm_bindgen]
pub struct GearsChart {
    canvas: Canvas,
    /// The last good links, as typed, and parsed.
    sources: [String; 3],
    links: [Expr; 3],
    chain: Chain,
    x: f64,
    at: ChainPoint,
    /// Gear X's turn (degrees, anticlockwise) since x was last set.
    turn: f64,
    /// Where each gear stood (degrees) when x was last set: turns since then add to it, so
    /// a new x (new ratios) does not make the gears jump.
    rest: [f64; 4],
    /// The pointer's angle around gear X's centre while it turns X.
    grip: Option<f64>,
}

#[wasm_bindgen]
impl GearsChart {
    /// The plan's chain, x² → sin → exp, at the book's x.
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<GearsChart, JsError> {
        let sources = CHAINS[0].links.map(String::from);
        let links = parse_links(&sources)?;
        let mut chain = Chain::new(&links).map_err(js_error)?;
        let at = chain.at(GEARS.x);
        Ok(GearsChart {
            canvas: Canvas::new(canvas),
            sources,
            links,
            chain,
            x: GEARS.x,
            at,
            turn: 0.0,
            rest: [0.0; 4],
            grip: None,
        })
    }

    /// Replaces link `index` (0: A, 1: B, 2: C) with `source`, a formula of one variable of
    /// any name; on error the gears keep the last good link.
    #[wasm_bindgen(js_name = setLink)]
    pub fn set_link(&mut self, index: usize, source: &str) -> Result<(), JsError> {
        if index >= 3 {
            return Err(JsError::new(&format!(
                "there is no link {index}: 0, 1 or 2"
            )));
        }
        let expr = calculus::parse(source).map_err(js_error)?;
        let mut links = self.links.clone();
        links[index] = expr;
        let chain = Chain::new(&links).map_err(js_error)?;
        self.bank_turns();
        self.links = links;
        self.sources[index] = source.trim().to_string();
        self.chain = chain;
        self.at = self.chain.at(self.x);
        Ok(())
    }

    /// Moves the chain to x (a new linearisation): the turns so far stay where they took
    /// the gears, and count again from 0.
    #[wasm_bindgen(js_name = setX)]
    pub fn set_x(&mut self, x: f64) -> Result<(), JsError> {
        crate::convert::finite(Some(x), "x")?;
        self.bank_turns();
        self.x = x;
        self.at = self.chain.at(x);
        Ok(())
    }

    /// Turns gear X by `degrees` (anticlockwise), and every later gear by its ratio to X.
    pub fn turn(&mut self, degrees: f64) {
        if degrees.is_finite() {
            self.turn += degrees;
        }
    }

    /// Turns the gears back to where they stood when x was last set.
    #[wasm_bindgen(js_name = resetTurn)]
    pub fn reset_turn(&mut self) {
        self.turn = 0.0;
    }

    /// A press at (css_x, css_y) on the canvas: whether it takes hold of gear X (within its
    /// column of the last redraw), to turn it by dragging around its centre.
    pub fn grip(&mut self, css_x: f64, css_y: f64) -> bool {
        let Some(frame) = self.canvas.frame() else {
            return false;
        };
        let (cx, cy) = frame.to_css(0.5, 0.0);
        let half_slot = (frame.right - frame.left) / 8.0;
        let half_band = (frame.bottom - frame.top) / 2.0 + 24.0;
        let inside = (css_x - cx).abs() <= half_slot && (css_y - cy).abs() <= half_band;
        self.grip = inside
            .then(|| pointer_angle(&frame, css_x, css_y))
            .flatten();
        self.grip.is_some()
    }

    /// The held pointer moved to (css_x, css_y): X turns by the angle it swept around X's
    /// centre (the shorter way round, so a drag can turn any number of times).
    #[wasm_bindgen(js_name = dragTo)]
    pub fn drag_to(&mut self, css_x: f64, css_y: f64) {
        let (Some(from), Some(frame)) = (self.grip, self.canvas.frame()) else {
            return;
        };
        if let Some(to) = pointer_angle(&frame, css_x, css_y) {
            self.turn += (to - from + 180.0).rem_euclid(360.0) - 180.0;
            self.grip = Some(to);
        }
    }

    pub fn release(&mut self) {
        self.grip = None;
    }

    #[wasm_bindgen(getter)]
    pub fn x(&self) -> f64 {
        self.x
    }

    /// Each gear's turn (degrees) since x was last set: X's, then A's, B's and C's.
    #[wasm_bindgen(getter)]
    pub fn turns(&self) -> Float64Array {
        float64_array(&self.ratios().map(|r| r * self.turn))
    }

    /// dA/dx, dB/dA, dC/dB at x.
    #[wasm_bindgen(getter)]
    pub fn locals(&self) -> Float64Array {
        float64_array(&self.at.locals)
    }

    /// x, A, B, C.
    #[wasm_bindgen(getter)]
    pub fn values(&self) -> Float64Array {
        float64_array(&self.at.values)
    }

    /// dA/dx · dB/dA · dC/dB.
    #[wasm_bindgen(getter)]
    pub fn product(&self) -> f64 {
        self.at.product()
    }

    /// The engine's dC/dx of the composed formula.
    #[wasm_bindgen(getter)]
    pub fn whole(&self) -> f64 {
        self.at.whole
    }

    /// Whether the product and the engine's dC/dx agree (to 1e-12, relative).
    #[wasm_bindgen(getter)]
    pub fn agrees(&self) -> bool {
        self.at.agrees()
    }

    /// The link (0: A, 1: B, 2: C) whose ratio is 0 and stops the chain, or −1.
    #[wasm_bindgen(getter, js_name = stoppedAt)]
    pub fn stopped_at(&self) -> i32 {
        self.at.stopped_at().map_or(-1, |i| i as i32)
    }

    /// The composed formula, C(B(A(x))), as text and as MathML.
    #[wasm_bindgen(getter)]
    pub fn composed(&self) -> String {
        self.chain.composed().to_string()
    }

    #[wasm_bindgen(getter, js_name = composedMathml)]
    pub fn composed_mathml(&self) -> String {
        self.chain.composed().to_mathml()
    }

    /// The numbers in words, a sentence a line: the values, the local derivatives, the chain
    /// rule's product beside the engine's dC/dx, the turns, and what stops or reverses.
    pub fn readout(&self) -> String {
        let at = &self.at;
        let values = (1..4).map(|k| self.value_label(k)).collect::<Vec<_>>();
        let locals = (0..3)
            .map(|i| format!("{} = {}", self.local_name(i), value(at.locals[i])))
            .collect::<Vec<_>>();
        let mut lines = vec![
            format!("At {}: {}.", self.value_label(0), values.join(", ")),
            format!("{}.", locals.join(", ")),
            self.check(),
            self.turned(),
        ];
        lines.extend(self.notes());
        lines.join("\n")
    }

    /// The chart in words, for its `aria-label`.
    pub fn describe(&self) -> String {
        let turns = self.ratios().map(|r| r * self.turn);
        let names = [self.variable_name(), "A", "B", "C"];
        let turned = (0..4)
            .map(|k| format!("{} {}", names[k], degrees(turns[k])))
            .collect::<Vec<_>>();
        let locals = (0..3)
            .map(|i| format!("{} = {}", self.local_name(i), value(self.at.locals[i])))
            .collect::<Vec<_>>();
        format!(
            "Four gears in a row, {x} → A → B → C, for C = {} at {x} = {}. Each gear's size shows its link's ratio: {}. Turned so far: {}. {}",
            self.composed(),
            value(self.x),
            locals.join(", "),
            turned.join(", "),
            self.notes().join(" "),
            x = self.variable_name(),
        )
        .trim_end()
        .to_string()
    }

    /// Each link's variable, A's first ("" for a link of none, which ignores its input).
    #[wasm_bindgen(getter, js_name = linkVariables)]
    pub fn link_variables(&self) -> Vec<String> {
        self.chain
            .variables()
            .iter()
            .map(|v| v.unwrap_or_default().to_string())
            .collect()
    }

    /// The variable gear X stands for: the first link's (`x` when it has none).
    #[wasm_bindgen(getter)]
    pub fn variable(&self) -> String {
        self.variable_name().to_string()
    }
}

fn parse_links(sources: &[String; 3]) -> Result<[Expr; 3], JsError> {
    let [a, b, c] = sources;
    let parse = |s: &String| calculus::parse(s).map_err(js_error);
    Ok([parse(a)?, parse(b)?, parse(c)?])
}

/// The pointer's angle (degrees, anticlockwise from the right) around gear X's centre; none
/// right at the centre, where it has no direction.
fn pointer_angle(frame: &Frame, css_x: f64, css_y: f64) -> Option<f64> {
    let (cx, cy) = frame.to_css(0.5, 0.0);
    let (dx, dy) = (css_x - cx, cy - css_y);
    (dx.hypot(dy) >= 3.0).then(|| dy.atan2(dx).to_degrees())
}

impl GearsChart {
    fn variable_name(&self) -> &str {
        self.chain.variables()[0].unwrap_or("x")
    }

    /// How far each gear turns per degree of X: 1, dA/dx, dB/dx, dC/dx.
    fn ratios(&self) -> [f64; 4] {
        let p = &self.at.products;
        [1.0, p[0], p[1], p[2]]
    }

    /// Where the turns so far left each gear becomes its rest, and X's turn starts again.
    fn bank_turns(&mut self) {
        let ratios = self.ratios();
        for (rest, ratio) in self.rest.iter_mut().zip(ratios) {
            if ratio.is_finite() {
                *rest = (*rest + ratio * self.turn).rem_euclid(360.0);
            }
        }
        self.turn = 0.0;
    }

    /// The angle gear k is drawn at (degrees); its turn is taken modulo 360 first, so that a
    /// ratio of 10⁸ still draws at full precision.
    fn angle(&self, k: usize) -> f64 {
        let ratio = self.ratios()[k];
        let turned = if ratio.is_finite() {
            (ratio * self.turn).rem_euclid(360.0)
        } else {
            0.0
        };
        self.rest[k] + turned
    }

    /// "x = 1", "A = 1", ...: gear k's name and value.
    fn value_label(&self, k: usize) -> String {
        let name = if k == 0 {
            self.variable_name()
        } else {
            NAMES[k - 1]
        };
        format!("{name} = {}", format(self.at.values[k], Style::Value))
    }

    /// "dA/dx", "dB/dA", "dC/dB": link i's local derivative.
    fn local_name(&self, i: usize) -> String {
        let input = if i == 0 {
            self.variable_name()
        } else {
            NAMES[i - 1]
        };
        format!("d{}/d{input}", NAMES[i])
    }
}

figure!(GearsChart);

impl Figure for GearsChart {
    fn canvas(&self) -> DrawResult<&Canvas> {
        Ok(&self.canvas)
    }

    /// The ratios between the gears above them, the gears, and their values and turns below.
    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        drawing(pen.area.fill(&pen.theme.background))?;
        let layout = Layout::new(pen.view.width, pen.view.height);
        let ink = Ink {
            context: &pen.context,
            theme: &pen.theme,
        };
        for i in 0..3 {
            self.paint_link(&ink, &layout, i);
        }
        for k in 0..4 {
            self.paint_gear(&ink, &layout, k);
        }
        Ok(layout.frame())
    }
}

impl GearsChart {
    /// Link i between gears i and i + 1: its name (dA/dx) and ratio (×2) over an arrow.
    fn paint_link(&self, ink: &Ink, layout: &Layout, i: usize) {
        let theme = ink.theme;
        let x = layout.left + layout.slot * (i as f64 + 1.0);
        let local = self.at.locals[i];
        let fit = layout.slot - 6.0;
        let name = self.local_name(i);
        ink.text(&name, (x, layout.ratio_top), theme.muted_text, "400", fit);
        let ratio = format!("×{}", format(local, Style::Value));
        ink.text(&ratio, (x, layout.ratio_top + 16.0), theme.text, "600", fit);
        let half = (layout.slot * 0.3).min(40.0);
        let y = layout.ratio_top + 26.0;
        ink.arrow((x - half, y), (x + half, y), theme.axis);
    }

    /// Gear k at its angle, with its way of turning, and its value and turn below it.
    fn paint_gear(&self, ink: &Ink, layout: &Layout, k: usize) {
        let theme = ink.theme;
        let ratio = self.ratios()[k];
        let own = if k == 0 { 1.0 } else { self.at.locals[k - 1] };
        let radius = layout.radius(own);
        let centre = layout.centre(k);
        let moving = ratio.is_finite() && ratio != 0.0;
        let color = if moving {
            gear_colors(theme)[k]
        } else {
            theme.axis
        };
        let shape = Gear {
            centre,
            radius,
            angle: self.angle(k).to_radians(),
        };
        shape.draw(ink, color);
        if moving {
            shape.way(ink, ratio > 0.0, color);
        } else {
            let word = if ratio == 0.0 { "stopped" } else { "undefined" };
            ink.tag(word, centre, theme.text);
        }
        let (x, fit) = (centre.0, layout.slot - 6.0);
        let label = self.value_label(k);
        ink.text(&label, (x, layout.label_top), theme.text, "600", fit);
        let turned = degrees(ratio * self.turn);
        let turned = if ratio.is_finite() {
            turned
        } else {
            "—".into()
        };
        let below = (x, layout.label_top + 17.0);
        ink.text(&turned, below, theme.muted_text, "400", fit);
    }
}

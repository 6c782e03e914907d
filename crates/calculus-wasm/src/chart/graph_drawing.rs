//! How the computational graph chart sits on its canvas and is painted: the layout
//! ([`super::graph_layout`]) turned to left → right or bottom → top, whichever leaves the
//! boxes larger, scaled to fit, and the boxes, edges and the step's highlights drawn on it.
//!
//! A box shows its operation, its value once the forward pass has reached it, and its
//! gradient once the backward pass has (with `…` while contributions are still to come). On a
//! graph too large for boxes, nodes become discs with their operation only; the numbers stay in
//! the readouts.

use std::f64::consts::TAU;

use plotters::prelude::RGBColor;
use web_sys::CanvasRenderingContext2d;

use super::canvas::{Pen, View};
use super::computational_graph::{number, GraphChart, Lit};
use super::graph_layout::Layout;
use super::marks::set_dash;
use super::theme::{css, Theme, BACKING_ALPHA};
use super::Frame;

/// A box's height at full size, CSS pixels: three lines of text with room around them (its
/// width comes from the longest line, see [`Scene::new`]).
const BOX_HEIGHT: f64 = 50.0;
/// The width of a character of the boxes' 12 px text, about, and the room beside it.
const CHAR_WIDTH: f64 = 7.0;
const BOX_MARGIN: f64 = 14.0;
const PAD: f64 = 12.0;
/// Room between boxes along the layers (for the edges) and across them.
const GAP_ALONG: f64 = 36.0;
const GAP_ACROSS: f64 = 8.0;
/// Below this scale boxes hold no readable numbers: the nodes become discs.
const COMPACT_BELOW: f64 = 0.6;
/// The text shrinks with the boxes down to this fraction of its size.
const SMALLEST_TEXT: f64 = 0.7;

/// An edge in CSS pixels: input, user, which input of the user, and its points.
#[derive(Clone, Debug, Default)]
struct Edge {
    from: usize,
    to: usize,
    slot: usize,
    points: Vec<(f64, f64)>,
}

/// The chart's geometry for one view.
#[derive(Clone, Debug, Default)]
pub struct Scene {
    pub centers: Vec<(f64, f64)>,
    edges: Vec<Edge>,
    /// A box's width and height (a disc's diameter, twice, when compact).
    size: (f64, f64),
    scale: f64,
    compact: bool,
    left_right: bool,
    width: f64,
    height: f64,
}

impl Scene {
    /// Places `layout` on a `width × height` canvas, its boxes wide enough for `chars`
    /// characters on a line.
    pub fn new(layout: &Layout, (width, height): (f64, f64), chars: usize) -> Scene {
        let box_width = (chars as f64 * CHAR_WIDTH + BOX_MARGIN).clamp(56.0, 140.0);
        let full = (box_width, BOX_HEIGHT);
        let layers = layout.layers.max(1) as f64;
        let slots = layout.breadth + 1.0;
        let (w, h) = ((width - 2.0 * PAD).max(1.0), (height - 2.0 * PAD).max(1.0));
        let fit = |along: f64, across: f64, box_along: f64, box_across: f64| {
            let by_along = along / layers / (box_along + GAP_ALONG);
            let by_across = across / slots / (box_across + GAP_ACROSS);
            by_along.min(by_across).min(1.0)
        };
        let lr = fit(w, h, full.0, full.1);
        let bt = fit(h, w, full.1, full.0);
        let left_right = lr >= bt;
        let scale = lr.max(bt);
        let (along, across) = if left_right { (w, h) } else { (h, w) };
        let (box_along, box_across) = if left_right { full } else { (full.1, full.0) };
        // Cells no wider than a little more than a box needs: a small graph stays together.
        let cell_along = (along / layers).min((box_along + GAP_ALONG) * scale * 1.8);
        let cell_across = (across / slots).min((box_across + GAP_ACROSS) * scale * 1.3);
        let compact = scale < COMPACT_BELOW;
        let size = if compact {
            let d = (cell_along * 0.55).min(cell_across * 0.8).clamp(4.0, 36.0);
            (d, d)
        } else {
            (full.0 * scale, full.1 * scale)
        };
        let start_along = PAD + (along - cell_along * layers) / 2.0;
        let start_across = PAD + (across - cell_across * slots) / 2.0;
        let place = |(layer, pos): (f64, f64)| {
            let a = start_along + (layer + 0.5) * cell_along;
            let c = start_across + (pos + 0.5) * cell_across;
            if left_right {
                (a, c)
            } else {
                (c, height - a)
            }
        };
        let centers = layout
            .nodes
            .iter()
            .map(|p| place((p.layer as f64, p.across)))
            .collect();
        let edges = layout
            .routes
            .iter()
            .map(|r| Edge {
                from: r.from,
                to: r.to,
                slot: r.slot,
                points: r.points.iter().copied().map(place).collect(),
            })
            .collect();
        Scene {
            centers,
            edges,
            size,
            scale,
            compact,
            left_right,
            width,
            height,
        }
    }

    /// The node whose box (or disc) holds CSS pixel (x, y).
    pub fn hit(&self, x: f64, y: f64) -> Option<usize> {
        let (hw, hh) = (self.size.0 / 2.0 + 2.0, self.size.1 / 2.0 + 2.0);
        self.centers
            .iter()
            .position(|&(cx, cy)| (x - cx).abs() <= hw && (y - cy).abs() <= hh)
    }

    /// The frame of the canvas itself: chart coordinates are CSS pixels (y down).
    pub fn frame(&self, view: View) -> Frame {
        Frame {
            x: (0.0, view.width),
            y: (view.height, 0.0),
            log_y: false,
            left: 0.0,
            right: view.width,
            top: 0.0,
            bottom: view.height,
        }
    }

    /// The whole picture: background, edges, the step's edge, boxes.
    pub fn paint(&self, pen: &Pen<'_>, chart: &GraphChart) {
        let (ctx, theme) = (&pen.context, &pen.theme);
        let s = theme.dpr;
        ctx.set_fill_style_str(&css(theme.background));
        ctx.fill_rect(0.0, 0.0, self.width * s, self.height * s);
        let lit = chart.lit();
        for edge in &self.edges {
            self.draw_edge(ctx, theme, edge, theme.axis, theme.grid_width);
        }
        match lit {
            Lit::Forward(i) => {
                for edge in self.edges.iter().filter(|e| e.to == i) {
                    self.draw_edge(ctx, theme, edge, theme.curve, theme.curve_width);
                    self.draw_head(ctx, theme, edge, true, theme.curve);
                }
            }
            Lit::Backward(step, slot) => {
                if let Some(edge) = self.lit_edge(&step, slot) {
                    self.draw_edge(ctx, theme, edge, theme.arrow, theme.curve_width);
                    self.draw_head(ctx, theme, edge, false, theme.arrow);
                }
            }
            Lit::None | Lit::Seed(_) => {}
        }
        for i in 0..self.centers.len() {
            self.draw_node(ctx, theme, chart, i, &lit);
        }
        if let Lit::Backward(step, slot) = lit {
            if let Some(edge) = self.lit_edge(&step, slot) {
                self.draw_contribution(ctx, theme, edge, &number(step.contribution));
            }
        }
    }

    /// The edge a backward step runs along: from its user back to its input, the `slot`-th
    /// of the two when the user reads that input twice.
    fn lit_edge(&self, step: &calculus::BackwardStep, slot: usize) -> Option<&Edge> {
        let mut between = self
            .edges
            .iter()
            .filter(|e| e.from == step.to && e.to == step.from);
        between.nth(slot).or_else(|| {
            self.edges
                .iter()
                .find(|e| e.from == step.to && e.to == step.from)
        })
    }

    /// Where an edge leaves its input's box and enters its user's, and its bends, with the
    /// second of two edges between the same nodes (x·x) moved aside.
    fn path(&self, edge: &Edge, twin: bool) -> Vec<(f64, f64)> {
        let (hw, hh) = (self.size.0 / 2.0, self.size.1 / 2.0);
        let aside = if twin {
            (edge.slot as f64 - 0.5) * 0.45 * if self.left_right { hh } else { hw }
        } else {
            0.0
        };
        let last = edge.points.len().saturating_sub(1);
        edge.points
            .iter()
            .enumerate()
            .map(|(k, &(x, y))| {
                let end = if k == 0 {
                    1.0
                } else if k == last {
                    -1.0
                } else {
                    0.0
                };
                if self.left_right {
                    (x + end * hw, y + aside)
                } else {
                    (x + aside, y - end * hh)
                }
            })
            .collect()
    }

    /// One edge as smooth curves through its points, leaving and entering along the layers.
    fn draw_edge(
        &self,
        ctx: &CanvasRenderingContext2d,
        theme: &Theme,
        edge: &Edge,
        color: RGBColor,
        width: u32,
    ) {
        let s = theme.dpr;
        let twin = self.is_twin(edge);
        let points = self.path(edge, twin);
        ctx.begin_path();
        if let Some(&(x, y)) = points.first() {
            ctx.move_to(x * s, y * s);
        }
        for pair in points.windows(2) {
            let ((ax, ay), (bx, by)) = (pair[0], pair[1]);
            let (c1, c2) = if self.left_right {
                let mx = (ax + bx) / 2.0;
                ((mx, ay), (mx, by))
            } else {
                let my = (ay + by) / 2.0;
                ((ax, my), (bx, my))
            };
            ctx.bezier_curve_to(c1.0 * s, c1.1 * s, c2.0 * s, c2.1 * s, bx * s, by * s);
        }
        ctx.set_stroke_style_str(&css(color));
        ctx.set_line_width(f64::from(width));
        ctx.stroke();
    }

    /// Whether `edge`'s user reads the same node twice.
    fn is_twin(&self, edge: &Edge) -> bool {
        self.edges
            .iter()
            .filter(|e| e.to == edge.to && e.from == edge.from)
            .count()
            > 1
    }

    /// An arrowhead on `edge`: into its user (the forward pass) or back into its input (the
    /// gradient passed back).
    fn draw_head(
        &self,
        ctx: &CanvasRenderingContext2d,
        theme: &Theme,
        edge: &Edge,
        forward: bool,
        color: RGBColor,
    ) {
        let s = theme.dpr;
        let points = self.path(edge, self.is_twin(edge));
        let tip = if forward {
            points.last()
        } else {
            points.first()
        };
        let Some(&(x, y)) = tip else { return };
        let size = 8.0 * self.scale.max(0.7);
        // Along the layers: towards the output going forward, back towards the inputs.
        let sign = if forward { 1.0 } else { -1.0 };
        let (dx, dy) = if self.left_right {
            (sign, 0.0)
        } else {
            (0.0, -sign)
        };
        let (px, py) = (-dy, dx);
        ctx.begin_path();
        ctx.move_to(x * s, y * s);
        ctx.line_to(
            (x - dx * size + px * size * 0.55) * s,
            (y - dy * size + py * size * 0.55) * s,
        );
        ctx.line_to(
            (x - dx * size - px * size * 0.55) * s,
            (y - dy * size - py * size * 0.55) * s,
        );
        ctx.close_path();
        ctx.set_fill_style_str(&css(color));
        ctx.fill();
    }

    /// The middle of the edge a backward step runs along (CSS pixels), where its
    /// contribution is written.
    pub fn middle_of(&self, step: &calculus::BackwardStep, slot: usize) -> Option<(f64, f64)> {
        let edge = self.lit_edge(step, slot)?;
        Some(self.middle(edge))
    }

    /// The middle of an edge's path: of its middle bend, or of its one curve (which, from end to
    /// end, is symmetric about its midpoint).
    fn middle(&self, edge: &Edge) -> (f64, f64) {
        let points = self.path(edge, self.is_twin(edge));
        let a = points.get((points.len().max(1) - 1) / 2).copied();
        let b = points.get(points.len() / 2).copied();
        match (a, b) {
            (Some(a), Some(b)) => ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0),
            _ => (f64::NAN, f64::NAN),
        }
    }

    /// The contribution the lit edge carries, on a patch at the edge's middle.
    fn draw_contribution(
        &self,
        ctx: &CanvasRenderingContext2d,
        theme: &Theme,
        edge: &Edge,
        text: &str,
    ) {
        let s = theme.dpr;
        let (x, y) = self.middle(edge);
        ctx.set_font(&format!("600 {}", theme.css_font(self.font(theme))));
        let w = ctx.measure_text(text).map(|m| m.width()).unwrap_or(0.0);
        let h = self.font(theme) * 1.3;
        ctx.set_fill_style_str(&css(theme.background));
        ctx.set_global_alpha(BACKING_ALPHA);
        ctx.fill_rect(x * s - w / 2.0 - 3.0 * s, y * s - h / 2.0, w + 6.0 * s, h);
        ctx.set_global_alpha(1.0);
        ctx.set_fill_style_str(&css(theme.arrow));
        ctx.set_text_align("center");
        ctx.set_text_baseline("middle");
        let _ = ctx.fill_text(text, x * s, y * s);
    }

    /// The text size in the boxes, device pixels.
    fn font(&self, theme: &Theme) -> f64 {
        theme.label_font * self.scale.clamp(SMALLEST_TEXT, 1.0)
    }

    /// A node: its box (or disc) with its outline for the step, then its text.
    fn draw_node(
        &self,
        ctx: &CanvasRenderingContext2d,
        theme: &Theme,
        chart: &GraphChart,
        i: usize,
        lit: &Lit,
    ) {
        let s = theme.dpr;
        let Some(&(x, y)) = self.centers.get(i) else {
            return;
        };
        let Some(node) = chart.graph().nodes().get(i) else {
            return;
        };
        let output = i + 1 == self.centers.len();
        let variable = matches!(node.op, calculus::Op::Var(_));
        let (outline, width) = match *lit {
            Lit::Forward(j) if j == i => (theme.curve, theme.curve_width),
            Lit::Seed(j) if j == i => (theme.arrow, theme.curve_width),
            Lit::Backward(step, _) if step.to == i => (theme.arrow, theme.curve_width),
            Lit::Backward(step, _) if step.from == i => (theme.arrow, theme.thin_width),
            _ if variable => (theme.curve, theme.thin_width),
            _ if output => (theme.text, theme.thin_width),
            _ => (theme.axis, theme.grid_width),
        };
        let (w, h) = self.size;
        shape(ctx, (x * s, y * s), (w * s, h * s), self.compact);
        ctx.set_fill_style_str(&css(theme.field));
        ctx.fill();
        ctx.set_stroke_style_str(&css(outline));
        ctx.set_line_width(f64::from(width));
        ctx.stroke();
        if chart.focus() == Some(i) {
            shape(
                ctx,
                (x * s, y * s),
                ((w + 8.0) * s, (h + 8.0) * s),
                self.compact,
            );
            set_dash(ctx, &theme.dash);
            ctx.set_stroke_style_str(&css(theme.accent));
            ctx.set_line_width(f64::from(theme.thin_width));
            ctx.stroke();
            set_dash(ctx, &[]);
        }
        self.draw_node_text(ctx, theme, chart, i, (x * s, y * s));
    }

    /// The operation, then (in a box) the value and the gradient as far as the step has got.
    fn draw_node_text(
        &self,
        ctx: &CanvasRenderingContext2d,
        theme: &Theme,
        chart: &GraphChart,
        i: usize,
        (x, y): (f64, f64),
    ) {
        let graph = chart.graph();
        let constant = matches!(
            graph.nodes().get(i).map(|n| n.op),
            Some(calculus::Op::Const(_))
        );
        let head = if constant {
            number(graph.nodes().get(i).map_or(f64::NAN, |n| n.value))
        } else {
            graph.label(i)
        };
        let font = self.font(theme);
        ctx.set_text_align("center");
        ctx.set_text_baseline("middle");
        if self.compact {
            // A disc's label as large as the disc holds it (a character about 0.6 em wide,
            // across 85 % of the disc), up to the boxes' full size: shrunk with the boxes'
            // scale instead, "tanh" was 8 px in a 30 px disc on a phone.
            let disc = self.size.0 * theme.dpr;
            let chars = head.chars().count().max(1) as f64;
            let size = theme
                .label_font
                .min(disc * 0.6)
                .min(disc * 0.85 / (0.6 * chars));
            if size >= theme.label_font * 0.5 {
                write(ctx, theme, &head, (x, y), (600, size), theme.text);
            }
            return;
        }
        let line = font * 1.25;
        write(ctx, theme, &head, (x, y - line), (700, font), theme.text);
        let value = chart.shown_value(i);
        let (text, color) = if constant {
            (String::new(), theme.text)
        } else if value.is_nan() && chart.step() < chart.forward_steps() {
            ("?".to_string(), theme.muted_text)
        } else {
            (number(value), theme.text)
        };
        write(ctx, theme, &text, (x, y), (400, font), color);
        if let Some((g, all)) = chart.gradient_at(i) {
            let more = if all { "" } else { "…" };
            let text = format!("grad {}{more}", number(g));
            write(ctx, theme, &text, (x, y + line), (600, font), theme.arrow);
        }
    }
}

/// A box with rounded corners, or a disc, centred at `(x, y)` (device pixels), as a path.
fn shape(ctx: &CanvasRenderingContext2d, (x, y): (f64, f64), (w, h): (f64, f64), disc: bool) {
    ctx.begin_path();
    if disc {
        let _ = ctx.arc(x, y, w / 2.0, 0.0, TAU);
        return;
    }
    let r = (h * 0.18).min(8.0);
    let (l, t, rt, b) = (x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0);
    ctx.move_to(l + r, t);
    let _ = ctx.arc_to(rt, t, rt, b, r);
    let _ = ctx.arc_to(rt, b, l, b, r);
    let _ = ctx.arc_to(l, b, l, t, r);
    let _ = ctx.arc_to(l, t, rt, t, r);
    ctx.close_path();
}

/// One line of text centred at `(x, y)` (device pixels) in `(weight, size)`.
fn write(
    ctx: &CanvasRenderingContext2d,
    theme: &Theme,
    text: &str,
    (x, y): (f64, f64),
    (weight, size): (u32, f64),
    color: RGBColor,
) {
    if text.is_empty() {
        return;
    }
    ctx.set_font(&format!("{weight} {}", theme.css_font(size)));
    ctx.set_fill_style_str(&css(color));
    let _ = ctx.fill_text(text, x, y);
}

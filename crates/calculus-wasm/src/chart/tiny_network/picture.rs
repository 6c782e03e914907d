//! What the diagram shows at a stop: the lines of numbers under each neuron, the label on
//! each edge (a weight, its gradient or its new value) and beside each bias, the loss's box,
//! and which layer the stop is working on (drawn in the pass's colour, with arrowheads the
//! way the pass runs: forward to the right, backward, dashed, to the left).

use calculus::nn::Trace;
use plotters::prelude::RGBColor;

use super::super::marks::Dash;
use super::super::theme::Theme;
use super::diagram::{Layout, Point, Sketch};
use super::walk::{a, at, grad_z, gradient, number, z, Stop, Walk, NAMES};

/// How a layer is drawn at a stop.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Quiet,
    Forward,
    Backward,
    Step,
}

impl Mark {
    fn color(self, theme: &Theme) -> RGBColor {
        match self {
            Mark::Quiet => theme.axis,
            Mark::Forward => theme.curve,
            Mark::Backward => theme.arrow,
            Mark::Step => theme.minimum,
        }
    }
}

/// The layers a mark applies to.
const HIDDEN: usize = 0;
const OUTPUT: usize = 1;
const LOSS: usize = 2;

/// Everything the diagram writes at one stop.
pub struct Picture {
    /// Lines under x₁, x₂, h₁, h₂ and ŷ.
    neurons: [Vec<String>; 5],
    /// Beside each parameter (engine layout): on its edge, or by its neuron for a bias.
    parameters: [String; 9],
    /// Inside the loss's box.
    loss: Vec<String>,
    /// The hidden layer, the output layer and the loss.
    marks: [Mark; 3],
}

/// `name = value`.
fn named(name: &str, value: f64) -> String {
    format!("{name} = {}", number(value))
}

impl Walk<'_> {
    pub fn picture(&self, stop: Stop) -> Picture {
        use Mark::{Backward as B, Forward as F, Quiet as Q, Step as S};
        let marks = match stop {
            Stop::ForwardHidden => [F, Q, Q],
            Stop::ForwardOutput => [Q, F, Q],
            Stop::Loss => [Q, Q, F],
            Stop::BackwardOutput => [Q, B, B],
            Stop::BackwardHidden => [B, Q, Q],
            Stop::Step => [S, S, Q],
            Stop::LossAfter => [F, F, F],
        };
        Picture {
            neurons: self.neuron_lines(stop),
            parameters: std::array::from_fn(|k| self.parameter_label(stop, k)),
            loss: self.loss_lines(stop),
            marks,
        }
    }

    fn parameter_label(&self, stop: Stop, k: usize) -> String {
        let name = NAMES[k];
        let differentiated =
            stop == Stop::BackwardHidden || (stop == Stop::BackwardOutput && k >= 6);
        if differentiated {
            named(&format!("∂L/∂{name}"), gradient(self.before)[k])
        } else if stop >= Stop::Step {
            let new = self.stepped.get(k).copied().unwrap_or(f64::NAN);
            named(&format!("{name}′"), new)
        } else {
            named(name, self.parameters[k])
        }
    }

    fn neuron_lines(&self, stop: Stop) -> [Vec<String>; 5] {
        let (t, prime): (&Trace, &str) = if stop == Stop::LossAfter {
            (self.after, "′")
        } else {
            (self.before, "")
        };
        let line = |name: String, v: f64| format!("{name} = {}", number(v));
        let hidden = |j: usize| {
            let n = ["₁", "₂"][j];
            let h = line(format!("h{n}{prime}"), at(t, 0, j, a));
            if stop == Stop::BackwardHidden {
                vec![h, line(format!("∂L/∂z{n}"), at(t, 0, j, grad_z))]
            } else {
                vec![line(format!("z{n}{prime}"), at(t, 0, j, z)), h]
            }
        };
        let y_hat = line(format!("ŷ{prime}"), at(t, 1, 0, a));
        let output = match stop {
            Stop::ForwardHidden => vec![],
            Stop::ForwardOutput | Stop::Loss | Stop::Step | Stop::LossAfter => vec![y_hat],
            _ => vec![y_hat, line("∂L/∂ŷ".into(), at(t, 1, 0, grad_z))],
        };
        [
            vec![line("x₁".into(), self.inputs[0])],
            vec![line("x₂".into(), self.inputs[1])],
            hidden(0),
            hidden(1),
            output,
        ]
    }

    fn loss_lines(&self, stop: Stop) -> Vec<String> {
        let mut lines = vec![format!("y = {}", number(self.target))];
        if stop == Stop::LossAfter {
            lines.push(format!("L′ = {}", number(self.after.loss)));
            lines.push(format!("(was {})", number(self.before.loss)));
        } else if stop >= Stop::Loss {
            lines.push(format!("L = {}", number(self.before.loss)));
        }
        lines
    }
}

/// The weight k's edge: input i to hidden unit j for W₁[j][i] (k = 2j + i), hidden unit j
/// to the output for W₂ (k = 6 + j); its layer; and where along it its label sits.
fn edge(layout: &Layout, k: usize) -> (Point, Point, usize, f64) {
    let t = layout.label_at(k);
    if k < 4 {
        (layout.input(k % 2), layout.hidden(k / 2), HIDDEN, t)
    } else {
        (layout.hidden(k - 6), layout.output(), OUTPUT, t)
    }
}

/// Each bias, the neuron it belongs to (2 and 3 the hidden units, 4 the output) and its layer.
const BIASES: [(usize, usize, usize); 3] = [(4, 2, HIDDEN), (5, 3, HIDDEN), (8, 4, OUTPUT)];

const WEIGHTS: [usize; 6] = [0, 1, 2, 3, 6, 7];

impl Picture {
    pub fn draw(&self, sketch: &Sketch, layout: &Layout) {
        self.edges(sketch, layout);
        self.neurons(sketch, layout);
        self.parameter_labels(sketch, layout);
        self.loss_box(sketch, layout);
    }

    /// A stroke for each weight and one from ŷ to the loss, with the pass's arrowheads.
    fn edges(&self, sketch: &Sketch, layout: &Layout) {
        let theme = sketch.theme;
        let r = layout.radius;
        let mut strokes: Vec<(Point, Point, Mark, (f64, f64))> = WEIGHTS
            .iter()
            .map(|&k| {
                let (from, to, layer, _) = edge(layout, k);
                (from, to, self.marks[layer], (r, r))
            })
            .collect();
        let loss_gap = self.loss_size(sketch).0 / 2.0;
        strokes.push((
            layout.output(),
            layout.loss(),
            self.marks[LOSS],
            (r, loss_gap),
        ));
        // Quiet edges first, so that the layer at work is drawn over them where they cross.
        let (quiet, at_work): (Vec<_>, Vec<_>) =
            strokes.into_iter().partition(|s| s.2 == Mark::Quiet);
        for (from, to, mark, gap) in quiet.into_iter().chain(at_work) {
            let (width, dash) = match mark {
                Mark::Quiet => (theme.thin_width, Dash::Solid),
                Mark::Backward => (theme.curve_width, Dash::Dashed),
                _ => (theme.curve_width, Dash::Solid),
            };
            sketch.line(from, to, gap, mark.color(theme), width, dash);
            let along = |p: Point, q: Point, d: f64| {
                let length = (q.0 - p.0).hypot(q.1 - p.1).max(1e-9);
                (
                    p.0 + (q.0 - p.0) * d / length,
                    p.1 + (q.1 - p.1) * d / length,
                )
            };
            match mark {
                Mark::Forward | Mark::Step => {
                    sketch.head(from, along(to, from, gap.1), mark.color(theme));
                }
                Mark::Backward => sketch.head(to, along(from, to, gap.0), mark.color(theme)),
                Mark::Quiet => {}
            }
        }
    }

    fn neurons(&self, sketch: &Sketch, layout: &Layout) {
        let theme = sketch.theme;
        let r = layout.radius;
        let quiet = (theme.axis, theme.thin_width);
        let of = |layer: usize| match self.marks[layer] {
            Mark::Quiet => quiet,
            mark => (mark.color(theme), theme.curve_width),
        };
        let units = [
            (layout.input(0), "x₁", quiet),
            (layout.input(1), "x₂", quiet),
            (layout.hidden(0), "h₁", of(HIDDEN)),
            (layout.hidden(1), "h₂", of(HIDDEN)),
            (layout.output(), "ŷ", of(OUTPUT)),
        ];
        let step = 1.3 * theme.label_font / theme.dpr;
        for (n, ((at, name, (color, width)), lines)) in
            units.into_iter().zip(&self.neurons).enumerate()
        {
            sketch.neuron(at, r, name, color, width);
            let mut lines: Vec<(&str, RGBColor)> =
                lines.iter().map(|l| (l.as_str(), theme.text)).collect();
            if let Some(&(k, _, layer)) = BIASES.iter().find(|b| b.1 == n) {
                lines.push((&self.parameters[k], self.text_color(theme, layer)));
            }
            let above = layout.numbers_above(n);
            if above {
                // Read top to bottom, the nearest line last.
                lines.reverse();
            }
            for (m, (line, color)) in lines.into_iter().enumerate() {
                let offset = r + 0.75 * step + m as f64 * step;
                let y = if above { at.1 - offset } else { at.1 + offset };
                sketch.label(line, (at.0, y), color);
            }
        }
    }

    /// Labels of a quiet layer are muted; the layer at work's are in the text colour.
    fn text_color(&self, theme: &Theme, layer: usize) -> RGBColor {
        match self.marks[layer] {
            Mark::Quiet => theme.muted_text,
            _ => theme.text,
        }
    }

    /// Each weight on its edge (biases are among their neurons' numbers).
    fn parameter_labels(&self, sketch: &Sketch, layout: &Layout) {
        let theme = sketch.theme;
        for k in WEIGHTS {
            let (from, to, layer, t) = edge(layout, k);
            let at = (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
            sketch.label(&self.parameters[k], at, self.text_color(theme, layer));
        }
    }

    /// The box's size in CSS pixels: its widest line, its lines' height.
    fn loss_size(&self, sketch: &Sketch) -> (f64, f64) {
        let theme = sketch.theme;
        let widest = self
            .loss
            .iter()
            .map(|l| sketch.width(l))
            .fold(0.0, f64::max);
        let step = 1.3 * theme.label_font / theme.dpr;
        (widest + 14.0, self.loss.len() as f64 * step + 10.0)
    }

    fn loss_box(&self, sketch: &Sketch, layout: &Layout) {
        let theme = sketch.theme;
        let (w, h) = self.loss_size(sketch);
        let mark = self.marks[LOSS];
        let width = if mark == Mark::Quiet {
            theme.thin_width
        } else {
            theme.curve_width
        };
        let (x, y) = layout.loss();
        sketch.frame_box((x, y), (w, h), mark.color(theme), width);
        let step = 1.3 * theme.label_font / theme.dpr;
        let top = y - h / 2.0 + 5.0 + step / 2.0;
        for (n, line) in self.loss.iter().enumerate() {
            sketch.text(
                line,
                (x, top + n as f64 * step),
                theme.text,
                theme.label_font,
            );
        }
        sketch.text(
            "loss",
            (x, y - h / 2.0 - 0.7 * step),
            theme.muted_text,
            theme.label_font,
        );
    }
}

//! The walk through one training step of the 2-2-1 network, stop by stop: what each stop
//! shows, as rows of the table (a quantity, the rule that gives it, the rule with the
//! numbers put in, and the value) and as labels on the diagram.
//!
//! Every value here is one the engine computed ([`Trace`], the parameters before and after
//! its step); this module only writes them down beside the formula that produced them.
//!
//! ```text
//! ∂L/∂w₅ | ∂L/∂ŷ · h₁ = 2(ŷ − y) · h₁ | 2.1918 × 0.5933 | 1.3003
//! ```

use calculus::nn::{Activation, Trace};

use crate::format::{format, Style};

/// The stops, in the order the walk takes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stop {
    ForwardHidden,
    ForwardOutput,
    Loss,
    BackwardOutput,
    BackwardHidden,
    Step,
    LossAfter,
}

impl Stop {
    pub const ALL: [Stop; 7] = [
        Stop::ForwardHidden,
        Stop::ForwardOutput,
        Stop::Loss,
        Stop::BackwardOutput,
        Stop::BackwardHidden,
        Stop::Step,
        Stop::LossAfter,
    ];

    /// The stop at `index`, the last one past the end.
    pub fn at(index: usize) -> Stop {
        Stop::ALL[index.min(Stop::ALL.len() - 1)]
    }

    pub fn title(self) -> &'static str {
        match self {
            Stop::ForwardHidden => "Forward pass, hidden layer: z = W₁·x + b, h = f(z)",
            Stop::ForwardOutput => "Forward pass, output layer: ŷ = W₂·h + b₃",
            Stop::Loss => "The loss: L = (ŷ − y)²",
            Stop::BackwardOutput => "Backward pass, output layer: ∂L/∂ŷ, then each weight into ŷ",
            Stop::BackwardHidden => {
                "Backward pass, hidden layer: ∂L/∂h = W₂ᵀ·∂L/∂ŷ, ∂L/∂z = ∂L/∂h · f′(z)"
            }
            Stop::Step => "The gradient step: every parameter p becomes p − η·∂L/∂p",
            Stop::LossAfter => {
                "After the step: the forward pass again, and the loss before and after"
            }
        }
    }
}

/// The parameters' names, in the engine's layout: W₁ row by row, b₁ and b₂, W₂, b₃.
pub const NAMES: [&str; 9] = ["w₁", "w₂", "w₃", "w₄", "b₁", "b₂", "w₅", "w₆", "b₃"];

/// The inputs' names.
pub const INPUTS: [&str; 2] = ["x₁", "x₂"];

/// One line of the table.
pub struct Row {
    pub quantity: String,
    pub rule: String,
    pub numbers: String,
    pub value: String,
}

fn row(quantity: impl Into<String>, rule: impl Into<String>, numbers: String, value: f64) -> Row {
    Row {
        quantity: quantity.into(),
        rule: rule.into(),
        numbers,
        value: number(value),
    }
}

/// A number as the book writes it in tables.
pub fn number(v: f64) -> String {
    format(v, Style::Value)
}

/// A number as a factor of a product: in brackets when negative.
fn factor(v: f64) -> String {
    if v < 0.0 {
        format!("({})", number(v))
    } else {
        number(v)
    }
}

/// Subscript digits for a unit's number.
fn sub(k: usize) -> &'static str {
    ["₀", "₁", "₂", "₃", "₄", "₅", "₆"][k.min(6)]
}

/// What the walk reads: the settings, and the engine's numbers before and after its step.
pub struct Walk<'a> {
    pub inputs: [f64; 2],
    pub target: f64,
    pub rate: f64,
    pub activation: Activation,
    /// The parameters the step starts from and those it ends at.
    pub parameters: &'a [f64],
    pub stepped: &'a [f64],
    pub before: &'a Trace,
    pub after: &'a Trace,
    /// The loss before each step taken so far with "step again".
    pub losses: &'a [f64],
}

/// The gradient in the parameters' layout, from a trace's layers.
pub fn gradient(trace: &Trace) -> Vec<f64> {
    trace
        .layers
        .iter()
        .flat_map(|l| l.grad_weights.iter().chain(&l.grad_biases).copied())
        .collect()
}

/// A trace's layer `l`, `part` of it at unit `j` (NaN where the engine gave none).
pub fn at(trace: &Trace, l: usize, j: usize, part: fn(&calculus::nn::LayerTrace) -> &[f64]) -> f64 {
    trace
        .layers
        .get(l)
        .and_then(|layer| part(layer).get(j))
        .copied()
        .unwrap_or(f64::NAN)
}

pub fn z(l: &calculus::nn::LayerTrace) -> &[f64] {
    &l.z
}
pub fn a(l: &calculus::nn::LayerTrace) -> &[f64] {
    &l.a
}
pub fn grad_a(l: &calculus::nn::LayerTrace) -> &[f64] {
    &l.grad_a
}
pub fn grad_z(l: &calculus::nn::LayerTrace) -> &[f64] {
    &l.grad_z
}
pub fn slope(l: &calculus::nn::LayerTrace) -> &[f64] {
    &l.slope
}

/// How the activation is written: its name, h = f(z) as a rule and with z put in, and f′(z).
struct Written(Activation);

impl Written {
    fn name(&self) -> &'static str {
        match self.0 {
            Activation::Sigmoid => "σ",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::Linear => "id",
        }
    }

    fn rule(&self, z: &str) -> String {
        match self.0 {
            Activation::Sigmoid => format!("σ({z}) = 1/(1 + exp(−{z}))"),
            Activation::Tanh => format!("tanh({z})"),
            Activation::Relu => format!("max(0, {z})"),
            Activation::Linear => z.to_string(),
        }
    }

    fn numbers(&self, z: f64) -> String {
        match self.0 {
            Activation::Sigmoid => format!("1/(1 + exp(−{}))", factor(z)),
            Activation::Tanh => format!("tanh({})", number(z)),
            Activation::Relu => format!("max(0, {})", number(z)),
            Activation::Linear => number(z),
        }
    }

    /// f′(z) as a rule in h = f(z), and with the numbers in.
    fn slope(&self, j: usize, z: f64, h: f64) -> (String, String) {
        let (zj, hj, f) = (format!("z{}", sub(j)), format!("h{}", sub(j)), self.name());
        match self.0 {
            Activation::Sigmoid => (
                format!("σ′({zj}) = {hj}(1 − {hj})"),
                format!("{} × (1 − {})", factor(h), factor(h)),
            ),
            Activation::Tanh => (
                format!("tanh′({zj}) = 1 − {hj}²"),
                format!("1 − {}²", factor(h)),
            ),
            Activation::Relu => (
                format!("relu′({zj}) = 1 if {zj} > 0, else 0"),
                format!("{zj} = {}", number(z)),
            ),
            Activation::Linear => (format!("{f}′({zj}) = 1"), String::new()),
        }
    }
}

impl Walk<'_> {
    /// Every number of `stop`, each with the formula that produced it.
    pub fn rows(&self, stop: Stop) -> Vec<Row> {
        match stop {
            Stop::ForwardHidden => self.forward_hidden(self.parameters, self.before, ""),
            Stop::ForwardOutput => vec![self.forward_output(self.parameters, self.before, "")],
            Stop::Loss => vec![self.loss(self.before, "")],
            Stop::BackwardOutput => self.backward_output(),
            Stop::BackwardHidden => (0..2).flat_map(|j| self.backward_hidden(j)).collect(),
            Stop::Step => self.step(),
            Stop::LossAfter => self.loss_after(),
        }
    }

    /// z_j = w·x + b and h_j = f(z_j), with the parameters `p` and the trace `t`.
    fn forward_hidden(&self, p: &[f64], t: &Trace, prime: &str) -> Vec<Row> {
        let [x1, x2] = self.inputs;
        let f = Written(self.activation);
        (0..2)
            .flat_map(|j| {
                let (wa, wb, b) = (p[2 * j], p[2 * j + 1], p[4 + j]);
                let zj = at(t, 0, j, z);
                let (zn, hn) = (
                    format!("z{}{prime}", sub(j + 1)),
                    format!("h{}{prime}", sub(j + 1)),
                );
                [
                    row(
                        zn.clone(),
                        format!(
                            "{}{prime}·x₁ + {}{prime}·x₂ + {}{prime}",
                            NAMES[2 * j],
                            NAMES[2 * j + 1],
                            NAMES[4 + j]
                        ),
                        format!(
                            "{} × {} + {} × {} + {}",
                            factor(wa),
                            factor(x1),
                            factor(wb),
                            factor(x2),
                            factor(b)
                        ),
                        zj,
                    ),
                    row(hn, f.rule(&zn), f.numbers(zj), at(t, 0, j, a)),
                ]
            })
            .collect()
    }

    fn forward_output(&self, p: &[f64], t: &Trace, prime: &str) -> Row {
        let h = |j| at(t, 0, j, a);
        row(
            format!("ŷ{prime}"),
            format!("w₅{prime}·h₁{prime} + w₆{prime}·h₂{prime} + b₃{prime}"),
            format!(
                "{} × {} + {} × {} + {}",
                factor(p[6]),
                factor(h(0)),
                factor(p[7]),
                factor(h(1)),
                factor(p[8])
            ),
            at(t, 1, 0, a),
        )
    }

    fn loss(&self, t: &Trace, prime: &str) -> Row {
        row(
            format!("L{prime}"),
            format!("(ŷ{prime} − y)²"),
            format!("({} − {})²", number(at(t, 1, 0, a)), factor(self.target)),
            t.loss,
        )
    }

    fn backward_output(&self) -> Vec<Row> {
        let t = self.before;
        let (y_hat, d) = (at(t, 1, 0, a), at(t, 1, 0, grad_z));
        let grads = gradient(t);
        let mut rows = vec![row(
            "∂L/∂ŷ",
            "2(ŷ − y)",
            format!("2 × ({} − {})", number(y_hat), factor(self.target)),
            at(t, 1, 0, grad_a),
        )];
        for j in 0..2 {
            let h = format!("h{}", sub(j + 1));
            rows.push(row(
                format!("∂L/∂{}", NAMES[6 + j]),
                format!("∂L/∂ŷ · {h} = 2(ŷ − y) · {h}"),
                format!("{} × {}", factor(d), factor(at(t, 0, j, a))),
                grads[6 + j],
            ));
        }
        rows.push(row(
            "∂L/∂b₃",
            "∂L/∂ŷ · 1",
            format!("{} × 1", factor(d)),
            grads[8],
        ));
        rows
    }

    /// Hidden unit j: ∂L/∂h_j through W₂, f′(z_j), ∂L/∂z_j, and its weights' and bias's.
    fn backward_hidden(&self, j: usize) -> Vec<Row> {
        let t = self.before;
        let (n, grads) = (j + 1, gradient(t));
        let d_out = at(t, 1, 0, grad_z);
        let (dh, s, dz) = (at(t, 0, j, grad_a), at(t, 0, j, slope), at(t, 0, j, grad_z));
        let (rule, numbers) = Written(self.activation).slope(n, at(t, 0, j, z), at(t, 0, j, a));
        let mut rows = vec![
            row(
                format!("∂L/∂h{}", sub(n)),
                format!("{} · ∂L/∂ŷ (row {n} of W₂ᵀ·∂L/∂ŷ)", NAMES[6 + j]),
                format!("{} × {}", factor(self.parameters[6 + j]), factor(d_out)),
                dh,
            ),
            row(format!("f′(z{})", sub(n)), rule, numbers, s),
            row(
                format!("∂L/∂z{}", sub(n)),
                format!("∂L/∂h{} · f′(z{})", sub(n), sub(n)),
                format!("{} × {}", factor(dh), factor(s)),
                dz,
            ),
        ];
        for i in 0..2 {
            rows.push(row(
                format!("∂L/∂{}", NAMES[2 * j + i]),
                format!("∂L/∂z{} · {}", sub(n), INPUTS[i]),
                format!("{} × {}", factor(dz), factor(self.inputs[i])),
                grads[2 * j + i],
            ));
        }
        rows.push(row(
            format!("∂L/∂{}", NAMES[4 + j]),
            format!("∂L/∂z{} · 1", sub(n)),
            format!("{} × 1", factor(dz)),
            grads[4 + j],
        ));
        rows
    }

    fn step(&self) -> Vec<Row> {
        let grads = gradient(self.before);
        (0..NAMES.len())
            .map(|k| {
                let name = NAMES[k];
                row(
                    format!("new {name}"),
                    format!("{name} − η·∂L/∂{name}"),
                    format!(
                        "{} − {} × {}",
                        number(self.parameters[k]),
                        number(self.rate),
                        factor(grads[k])
                    ),
                    self.stepped.get(k).copied().unwrap_or(f64::NAN),
                )
            })
            .collect()
    }

    fn loss_after(&self) -> Vec<Row> {
        let mut rows = self.forward_hidden(self.stepped, self.after, "′");
        rows.push(self.forward_output(self.stepped, self.after, "′"));
        rows.push(self.loss(self.after, "′"));
        rows.push(Row {
            quantity: "L → L′".into(),
            rule: "(ŷ − y)² before the step, then (ŷ′ − y)² after it".into(),
            numbers: String::new(),
            value: format!("{} → {}", number(self.before.loss), number(self.after.loss)),
        });
        if !self.losses.is_empty() {
            let shown = self.losses.len().saturating_sub(8);
            let mut history: Vec<String> =
                self.losses[shown..].iter().map(|&l| number(l)).collect();
            history.push(number(self.before.loss));
            history.push(number(self.after.loss));
            rows.push(Row {
                quantity: "L, step by step".into(),
                rule: format!(
                    "(ŷ − y)² before each of the {} steps taken, then L and L′",
                    self.losses.len()
                ),
                numbers: if shown > 0 {
                    format!("the first {shown} left out")
                } else {
                    String::new()
                },
                value: history.join(" → "),
            });
        }
        rows
    }
}

//! The graph chart's words: each node's name (its subexpression), what a forward step
//! computes and what a backward step passes back, with the book's numbers.

use calculus::{BackwardStep, Expr, Func2, Graph, Op};

use crate::format::{format, Style};

use super::GraphChart;

/// A name longer than this is cut in the middle in readouts.
const NAME_CHARS: usize = 24;

impl GraphChart {
    /// `(a + b) = a + b = 2 + 1 = 3`.
    pub(super) fn forward_words(&self, i: usize) -> String {
        let nodes = self.graph.nodes();
        let Some(node) = nodes.get(i) else {
            return String::new();
        };
        let arg = |k: usize| {
            let v = node
                .args()
                .get(k)
                .and_then(|&a| nodes.get(a))
                .map_or(f64::NAN, |a| a.value);
            number(v)
        };
        let with_values = match node.op {
            Op::Add => format!("{} + {}", arg(0), arg(1)),
            Op::Sub => format!("{} − {}", arg(0), arg(1)),
            Op::Mul => format!("{} × {}", arg(0), arg(1)),
            Op::Div => format!("{} / {}", arg(0), arg(1)),
            Op::Pow => format!("{}^{}", arg(0), arg(1)),
            Op::PowInt(n) => format!("{}^{n}", arg(0)),
            Op::Neg => format!("−({})", arg(0)),
            // min, max, atan2 and nthRoot: a function of two arguments.
            _ if node.args().len() == 2 => {
                format!("{}({}, {})", self.graph.label(i), arg(0), arg(1))
            }
            op => format!("{}({})", op.name(), arg(0)),
        };
        format!("{} = {with_values} = {}", self.names[i], number(node.value))
    }

    /// `b + 1 → b: ∂f/∂(b + 1) × ∂(b + 1)/∂b = 3 × 1 = 3; ∂f/∂b = 3 so far (1 more to come)`.
    pub(super) fn backward_words(&self, j: usize, s: &BackwardStep) -> String {
        let (from, to) = (self.node_name(s.from), self.node_name(s.to));
        let parts: Vec<String> = self.steps[..=j]
            .iter()
            .filter(|t| t.to == s.to)
            .map(|t| number(t.contribution))
            .collect();
        let sum = if parts.len() > 1 {
            format!("{} = {}", parts.join(" + "), number(s.total))
        } else {
            number(s.total)
        };
        let left = self.feeds.get(s.to).copied().unwrap_or(0) - parts.len();
        let status = match left {
            0 if parts.len() > 1 => format!(" (all {} contributions)", parts.len()),
            0 => " (all of it)".to_string(),
            1 => " so far (1 more to come)".to_string(),
            n => format!(" so far ({n} more to come)"),
        };
        format!(
            "{from} → {to}: ∂f/∂{} × ∂{}/∂{} = {} × {} = {}; ∂f/∂{} = {sum}{status}",
            wrapped(&from),
            wrapped(&from),
            wrapped(&to),
            number(s.upstream),
            number(s.local),
            number(s.contribution),
            wrapped(&to)
        )
    }
}

/// The book's number (four decimals without trailing zeros, three significant digits below 0.1).
pub(in crate::chart) fn number(v: f64) -> String {
    format(v, Style::Value)
}

/// A name with parentheses when it is more than one symbol: ∂f/∂(a + b), ∂f/∂b.
pub(super) fn wrapped(name: &str) -> String {
    if name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
    {
        name.to_string()
    } else {
        format!("({name})")
    }
}

/// Each node's subexpression as the formula language writes it (cut in the middle when long).
pub(super) fn names(graph: &Graph) -> Vec<String> {
    let mut exprs: Vec<Expr> = Vec::with_capacity(graph.nodes().len());
    for (i, node) in graph.nodes().iter().enumerate() {
        let arg = |k: usize| {
            let e = node.args().get(k).and_then(|&a| exprs.get(a)).cloned();
            Box::new(e.unwrap_or(Expr::Num(f64::NAN)))
        };
        let expr = match node.op {
            Op::Var(_) => Expr::Var(graph.label(i)),
            Op::Const(c) => Expr::Num(c),
            Op::Neg => Expr::Neg(arg(0)),
            Op::Add => Expr::Add(arg(0), arg(1)),
            Op::Sub => Expr::Sub(arg(0), arg(1)),
            Op::Mul => Expr::Mul(arg(0), arg(1)),
            Op::Div => Expr::Div(arg(0), arg(1)),
            Op::Pow | Op::PowLn => Expr::Pow(arg(0), arg(1)),
            Op::PowInt(n) => Expr::Pow(arg(0), Box::new(Expr::Num(f64::from(n)))),
            Op::Func(f) => Expr::Call(f, arg(0)),
            Op::Root => Expr::Call2(Func2::NthRoot, arg(0), arg(1)),
            Op::Atan2 => Expr::Call2(Func2::Atan2, arg(0), arg(1)),
            Op::Min => Expr::Call2(Func2::Min, arg(0), arg(1)),
            Op::Max => Expr::Call2(Func2::Max, arg(0), arg(1)),
        };
        exprs.push(expr);
    }
    exprs.iter().map(|e| shortened(&e.to_string())).collect()
}

/// `text`, its middle replaced by `…` when longer than [`NAME_CHARS`].
fn shortened(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= NAME_CHARS {
        return text.to_string();
    }
    let half = NAME_CHARS / 2 - 1;
    let head: String = chars[..half].iter().collect();
    let tail: String = chars[chars.len() - half..].iter().collect();
    format!("{head}…{tail}")
}

//! Chapter 5's computational graph of any formula: the engine's [`Graph`] drawn as layers from
//! the inputs to the output, with the forward pass (values, node by node) and the backward
//! pass (one edge at a time, as [`Graph::backward_steps`] runs it) on one timeline.
//!
//! Step 0 shows the inputs; steps 1 to C compute the C operation nodes; step C + 1 seeds the
//! output's gradient with 1; each later step is one edge of the backward pass, in the engine's
//! order, adding `upstream × local` to its input's running total. Nothing here differentiates:
//! every number is the engine's, from one call of `backward_steps`.
//!
//! ```js
//! const chart = new GraphChart(canvas);       // micrograd's neuron, forward pass done
//! chart.setFunction("(a + b)*(b + 1)");       // colah's example, at a = 2, b = 1
//! chart.setStep(chart.steps);                 // the whole backward pass
//! chart.readout();  // "Backward, step 11 of 11: … ∂f/∂b = 3 + 2 = 5 (all of it)"
//! chart.draw(640, 420, devicePixelRatio, false);
//! ```

use calculus::{BackwardStep, Expr, Graph, Op};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::figure;

use super::canvas::{Canvas, Figure, Pen, View};
use super::graph_drawing::Scene;
use super::graph_layout::{layered, Layout};
use super::{DrawResult, Frame};
use crate::book::GRAPH_PRESETS;

mod words;
pub(super) use words::number;
use words::{names, wrapped};

/// The most nodes the chart draws: past this, boxes would be specks.
pub const MAX_NODES: usize = 400;

#[wasm_bindgen]
pub struct GraphChart {
    canvas: Canvas,
    source: String,
    /// The formula in words, for the `aria-label`.
    spoken: String,
    graph: Graph,
    /// Each node as the readouts name it: a variable, a number or the subexpression.
    names: Vec<String>,
    /// One value per variable, in `graph.variables()` order.
    values: Vec<f64>,
    steps: Vec<BackwardStep>,
    /// The step at which each node's value appears: 0 for inputs and numbers.
    known_at: Vec<usize>,
    /// How many backward steps feed each node.
    feeds: Vec<usize>,
    computed: usize,
    /// The most characters on a line of any box (its label, value or gradient).
    widest: usize,
    layout: Layout,
    step: usize,
    focus: Option<usize>,
    pub(super) scene: Scene,
}

#[wasm_bindgen]
impl GraphChart {
    /// micrograd's neuron at Karpathy's values, its forward pass done.
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<GraphChart, JsError> {
        let mut chart = GraphChart {
            canvas: Canvas::new(canvas),
            source: String::new(),
            spoken: String::new(),
            graph: Graph::compile(&Expr::Num(0.0)),
            names: Vec::new(),
            values: Vec::new(),
            steps: Vec::new(),
            known_at: Vec::new(),
            feeds: Vec::new(),
            computed: 0,
            widest: 0,
            layout: Layout::default(),
            step: 0,
            focus: None,
            scene: Scene::default(),
        };
        chart.set_function(GRAPH_PRESETS[0].source)?;
        Ok(chart)
    }

    /// Replaces the formula (on error the chart keeps the last good one). A variable keeps its
    /// value when the new formula has it too, takes its preset's value when the formula is a
    /// preset, and is 1 otherwise. The timeline goes to the end of the forward pass.
    #[wasm_bindgen(js_name = setFunction)]
    pub fn set_function(&mut self, source: &str) -> Result<(), JsError> {
        let expr = calculus::parse(source).map_err(crate::convert::js_error)?;
        let graph = Graph::compile(&expr);
        let count = graph.nodes().len();
        if count > MAX_NODES {
            return Err(JsError::new(&format!(
                "this formula's graph has {count} nodes; the chart draws at most {MAX_NODES}"
            )));
        }
        let compact = |s: &str| s.split_whitespace().collect::<String>();
        let preset = GRAPH_PRESETS
            .iter()
            .find(|p| compact(p.source) == compact(source));
        let old: Vec<(String, f64)> = self
            .graph
            .variables()
            .iter()
            .cloned()
            .zip(self.values.iter().copied())
            .collect();
        self.values = graph
            .variables()
            .iter()
            .map(|name| {
                let from_preset = preset.and_then(|p| p.values.iter().find(|v| v.0 == name));
                let kept = old.iter().find(|v| &v.0 == name).map(|v| v.1);
                from_preset.map(|v| v.1).or(kept).unwrap_or(1.0)
            })
            .collect();
        self.names = names(&graph);
        let inputs: Vec<Vec<usize>> = graph.nodes().iter().map(|n| n.args().to_vec()).collect();
        let pinned: Vec<bool> = graph
            .nodes()
            .iter()
            .map(|n| matches!(n.op, Op::Var(_)))
            .collect();
        self.layout = layered(&inputs, &pinned);
        let mut computed = 0;
        self.known_at = inputs
            .iter()
            .map(|args| {
                computed += usize::from(!args.is_empty());
                if args.is_empty() {
                    0
                } else {
                    computed
                }
            })
            .collect();
        self.computed = computed;
        self.graph = graph;
        self.source = source.trim().to_string();
        self.spoken = calculus::speech::spoken(&expr);
        self.focus = None;
        self.run();
        self.step = self.computed;
        Ok(())
    }

    /// The formula on the chart: the last good one.
    #[wasm_bindgen(getter)]
    pub fn source(&self) -> String {
        self.source.clone()
    }

    /// The variables, sorted (node k is variable k).
    #[wasm_bindgen(getter)]
    pub fn variables(&self) -> Vec<String> {
        self.graph.variables().to_vec()
    }

    /// Variable `k`'s value.
    pub fn value(&self, k: usize) -> f64 {
        self.values.get(k).copied().unwrap_or(f64::NAN)
    }

    /// Sets variable `k` and runs both passes again; the timeline stays where it is.
    #[wasm_bindgen(js_name = setValue)]
    pub fn set_value(&mut self, k: usize, v: f64) -> Result<(), JsError> {
        let name = self.graph.variables().get(k).cloned();
        let Some(name) = name else {
            return Err(JsError::new(&format!("there is no variable number {k}")));
        };
        if !v.is_finite() {
            return Err(JsError::new(&format!("{name} must be a finite number")));
        }
        self.values[k] = v;
        self.run();
        Ok(())
    }

    /// The number of steps on the timeline (forward, the seed, then every backward edge).
    #[wasm_bindgen(getter)]
    pub fn steps(&self) -> usize {
        self.computed + 1 + self.steps.len()
    }

    /// The step at which the forward pass is done.
    #[wasm_bindgen(getter, js_name = forwardSteps)]
    pub fn forward_steps(&self) -> usize {
        self.computed
    }

    #[wasm_bindgen(getter)]
    pub fn step(&self) -> usize {
        self.step
    }

    /// Moves the timeline to step `k` (clamped to 0…steps).
    #[wasm_bindgen(js_name = setStep)]
    pub fn set_step(&mut self, k: usize) {
        self.step = k.min(self.steps());
    }

    #[wasm_bindgen(getter, js_name = nodeCount)]
    pub fn node_count(&self) -> usize {
        self.names.len()
    }

    /// Node `i` as the readouts name it.
    #[wasm_bindgen(js_name = nodeName)]
    pub fn node_name(&self, i: usize) -> String {
        self.names.get(i).cloned().unwrap_or_default()
    }

    /// The node the reader points at or picked (−1: none), outlined on the chart.
    #[wasm_bindgen(js_name = setFocus)]
    pub fn set_focus(&mut self, i: i32) {
        self.focus = usize::try_from(i).ok().filter(|&i| i < self.names.len());
    }

    /// The value node `i` shows at this step (NaN before the forward pass reaches it).
    #[wasm_bindgen(js_name = shownValue)]
    pub fn shown_value(&self, i: usize) -> f64 {
        match (self.graph.nodes().get(i), self.known_at.get(i)) {
            (Some(node), Some(&at)) if at <= self.step => node.value,
            _ => f64::NAN,
        }
    }

    /// The gradient node `i` shows at this step: its running total, NaN before any arrives.
    #[wasm_bindgen(js_name = shownGradient)]
    pub fn shown_gradient(&self, i: usize) -> f64 {
        self.gradient_at(i).map_or(f64::NAN, |g| g.0)
    }

    /// ∂f/∂(node i) when the backward pass is over.
    pub fn gradient(&self, i: usize) -> f64 {
        self.graph.nodes().get(i).map_or(f64::NAN, |n| n.grad)
    }

    /// What the current step does, in words.
    pub fn readout(&self) -> String {
        let (k, total, c) = (self.step, self.steps(), self.computed);
        let at = format!("step {k} of {total}");
        if k == 0 {
            return format!("Inputs, {at}: step on to run the forward pass, one node at a time.");
        }
        if k <= c {
            let Some(i) = self.known_at.iter().position(|&s| s == k) else {
                return at;
            };
            return format!("Forward, {at}: {}", self.forward_words(i));
        }
        if k == c + 1 {
            return format!(
                "Backward, {at}: the output's gradient ∂f/∂f = 1 starts the backward pass."
            );
        }
        let j = k - c - 2;
        match self.steps.get(j) {
            Some(s) => format!("Backward, {at}: {}", self.backward_words(j, s)),
            None => at,
        }
    }

    /// Node `i`: its value and ∂f/∂node, with what each use passed back.
    #[wasm_bindgen(js_name = nodeReadout)]
    pub fn node_readout(&self, i: usize) -> String {
        let Some(node) = self.graph.nodes().get(i) else {
            return String::new();
        };
        let name = self.node_name(i);
        let parts: Vec<String> = self
            .steps
            .iter()
            .filter(|s| s.to == i)
            .map(|s| {
                let from = wrapped(&self.node_name(s.from));
                format!("{} through {from}", number(s.contribution))
            })
            .collect();
        let sum = if parts.len() > 1 {
            format!(" = {}", parts.join(" + "))
        } else {
            String::new()
        };
        format!(
            "{name} = {}; ∂f/∂{} = {}{sum}",
            number(node.value),
            wrapped(&name),
            number(node.grad)
        )
    }

    /// The chart in words, for its `aria-label`.
    pub fn describe(&self) -> String {
        let ops = self.names.len() - self.graph.variables().len();
        format!(
            "Computational graph of f = {}: {} inputs ({}) and {ops} other nodes in {} layers, \
             inputs first. f = {}. {}",
            self.spoken,
            self.graph.variables().len(),
            self.graph.variables().join(", "),
            self.layout.layers,
            number(self.graph.nodes().last().map_or(f64::NAN, |n| n.value)),
            self.readout()
        )
    }

    /// The node under CSS pixel (x, y) at the last redraw, or −1.
    #[wasm_bindgen(js_name = nodeAt)]
    pub fn node_at(&self, x: f64, y: f64) -> i32 {
        self.scene
            .hit(x, y)
            .and_then(|i| i32::try_from(i).ok())
            .unwrap_or(-1)
    }

    /// Where the current backward step's contribution is written, `[x, y]` in CSS pixels at
    /// the last redraw: the middle of the edge it runs along (empty on other steps).
    #[wasm_bindgen(getter, js_name = contributionAt)]
    pub fn contribution_at(&self) -> Vec<f64> {
        match self.lit() {
            Lit::Backward(step, slot) => self
                .scene
                .middle_of(&step, slot)
                .map_or(Vec::new(), |(x, y)| vec![x, y]),
            _ => Vec::new(),
        }
    }

    /// Node `i`'s centre `[x, y]` in CSS pixels at the last redraw (empty before).
    #[wasm_bindgen(js_name = nodeCenter)]
    pub fn node_center(&self, i: usize) -> Vec<f64> {
        self.scene
            .centers
            .get(i)
            .map_or(Vec::new(), |c| vec![c.0, c.1])
    }
}

impl Figure for GraphChart {
    fn canvas(&self) -> DrawResult<&Canvas> {
        Ok(&self.canvas)
    }

    fn prepare(&mut self, view: &View) -> Result<(), JsError> {
        self.scene = Scene::new(&self.layout, (view.width, view.height), self.widest);
        Ok(())
    }

    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        self.scene.paint(pen, self);
        Ok(self.scene.frame(pen.view))
    }
}

figure!(GraphChart);

/// A node's gradient as the chart shows it at one step: the running total, and whether every
/// contribution has arrived.
pub(super) type Shown = (f64, bool);

/// What the drawing reads of the timeline.
pub(super) enum Lit {
    None,
    /// The forward pass computing this node.
    Forward(usize),
    /// The seed: the output's gradient set to 1.
    Seed(usize),
    /// A backward edge, as the engine reported it, and which of the user's inputs it is (1
    /// for the second pass along the same pair, as in sin x · sin x).
    Backward(BackwardStep, usize),
}

impl GraphChart {
    /// Both passes at the current values, through the engine.
    fn run(&mut self) {
        self.steps = self.graph.backward_steps(&self.values);
        self.feeds = vec![0; self.names.len()];
        for s in &self.steps {
            if let Some(f) = self.feeds.get_mut(s.to) {
                *f += 1;
            }
        }
        let graph = &self.graph;
        let lines = graph.nodes().iter().enumerate().map(|(i, n)| {
            let grad = "grad …".chars().count() + number(n.grad).chars().count();
            let label = match n.op {
                Op::Const(_) => 0,
                _ => graph.label(i).chars().count(),
            };
            grad.max(label).max(number(n.value).chars().count())
        });
        self.widest = lines.max().unwrap_or(0);
    }

    pub(super) fn graph(&self) -> &Graph {
        &self.graph
    }

    pub(super) fn focus(&self) -> Option<usize> {
        self.focus
    }

    /// What the current step lights.
    pub(super) fn lit(&self) -> Lit {
        let (k, c) = (self.step, self.computed);
        if k == 0 {
            Lit::None
        } else if k <= c {
            self.known_at
                .iter()
                .position(|&s| s == k)
                .map_or(Lit::None, Lit::Forward)
        } else if k == c + 1 {
            Lit::Seed(self.names.len().saturating_sub(1))
        } else {
            let j = k - c - 2;
            let Some(&step) = self.steps.get(j) else {
                return Lit::None;
            };
            let same = |t: &&BackwardStep| t.from == step.from && t.to == step.to;
            Lit::Backward(step, self.steps[..j].iter().filter(same).count())
        }
    }

    /// Node `i`'s gradient at the current step, once any part of it has arrived.
    pub(super) fn gradient_at(&self, i: usize) -> Option<Shown> {
        if self.step <= self.computed {
            return None;
        }
        if i + 1 == self.names.len() {
            return Some((1.0, true));
        }
        let applied = self.steps.get(..self.step - self.computed - 1)?;
        let mine = applied.iter().filter(|s| s.to == i);
        let (count, total) = mine.fold((0, 0.0), |(n, _), s| (n + 1, s.total));
        let feeds = self.feeds.get(i).copied().unwrap_or(0);
        (count > 0).then_some((total, count == feeds))
    }
}

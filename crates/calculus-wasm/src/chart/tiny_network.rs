//! Chapter 5's tiny network, trained by hand: a 2-2-1 network on one example, walked
//! through one training step: the forward pass layer by layer, the loss, the backward pass
//! layer by layer, the gradient step and the loss after it. Every number is the network
//! engine's ([`calculus::nn::Network::trace`] and `step`); this chart draws the network
//! with the numbers of the current stop and writes each one beside the chain-rule formula
//! that produced it ([`walk`]).
//!
//! ```js
//! const chart = new TinyNetworkChart(canvas);   // Mazur's numbers: x = (0.05, 0.1), y = 0.01
//! chart.setStop(3);                             // backward pass, output layer
//! chart.draw(640, 340, devicePixelRatio, false);
//! chart.rows();    // ["∂L/∂ŷ", "2(ŷ − y)", "2 × (1.1059 − 0.01)", "2.1918", …], four per row
//! chart.stepAgain();                            // start the walk from the stepped weights
//! ```
//!
//! The chart's coordinates (`frame`, `chartToPixel`), on a canvas 640 px wide or more, are
//! (layer, height): layer 0 the inputs, 1 the hidden layer, 2 the output, 3 the loss; height
//! 0.75 the first unit of a layer, 0.25 the second, 0.5 the output and the loss. On a
//! narrower one the layers run down the page: (place across, layer), with layer 0 at the top.

mod diagram;
mod picture;
mod walk;

use calculus::digits::Shortest;
use calculus::nn::{Activation, Init, Loss, Network, NetworkOptions, StepOptions, Trace};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::book::TINY_NETWORK;
use crate::figure;

use super::canvas::{Canvas, Figure, Pen};
use super::{DrawResult, Frame};
use diagram::Layout;
use walk::{Stop, Walk, INPUTS, NAMES};

/// The largest size of an input, a target or a parameter a reader may type: the numbers
/// stay readable, and no loss overflows.
const LIMIT: f64 = 100.0;
/// The learning rates a reader may type.
const RATES: (f64, f64) = (0.001, 10.0);

/// What the reader set: the example, the rate, the activation and the starting parameters.
#[derive(Clone, Debug)]
struct Settings {
    inputs: [f64; 2],
    target: f64,
    rate: f64,
    activation: Activation,
    start: [f64; 9],
}

/// One training step as the engine made it: the parameters it starts from, the trace
/// there, the parameters after one SGD step and the trace at those.
struct Pass {
    parameters: Vec<f64>,
    before: Trace,
    stepped: Vec<f64>,
    after: Trace,
}

impl Pass {
    fn run(net: &mut Network, settings: &Settings, parameters: &[f64]) -> Result<Pass, JsError> {
        let error = |e: calculus::Error| JsError::new(&e.to_string());
        let (x, y) = (&settings.inputs[..], &[settings.target][..]);
        net.set_parameters(parameters).map_err(error)?;
        let before = net.trace(x, y, Loss::Mse).map_err(error)?;
        net.step(x, y, &StepOptions::new(settings.rate))
            .map_err(error)?;
        let stepped = net.parameters().to_vec();
        let after = net.trace(x, y, Loss::Mse).map_err(error)?;
        if !(after.loss.is_finite() && stepped.iter().all(|p| p.is_finite())) {
            return Err(JsError::new(
                "the step ran away (the loss after it is too large to hold): lower the learning rate, or Reset",
            ));
        }
        Ok(Pass {
            parameters: parameters.to_vec(),
            before,
            stepped,
            after,
        })
    }
}

#[wasm_bindgen]
pub struct TinyNetworkChart {
    canvas: Canvas,
    net: Network,
    settings: Settings,
    pass: Pass,
    /// The loss before each step taken with `stepAgain`, first first.
    losses: Vec<f64>,
    stop: Stop,
}

/// `value` when it is a number within ±[`LIMIT`]; otherwise why not, naming it `name`.
fn bounded(name: &str, value: f64) -> Result<f64, String> {
    if !value.is_finite() {
        return Err(format!("{name} needs a number"));
    }
    if value.abs() > LIMIT {
        let limit = Shortest(LIMIT);
        return Err(format!("{name} must be from −{limit} to {limit}"));
    }
    Ok(value)
}

fn network(activation: Activation) -> Result<Network, JsError> {
    let options = NetworkOptions {
        activation,
        init: Init::Zeros,
        seed: 1,
    };
    Network::new(&[2, 2, 1], &options).map_err(|e| JsError::new(&e.to_string()))
}

#[wasm_bindgen]
impl TinyNetworkChart {
    /// The walkthrough's network (sigmoid hidden layer), at the first stop.
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<TinyNetworkChart, JsError> {
        let settings = Settings {
            inputs: TINY_NETWORK.inputs,
            target: TINY_NETWORK.target,
            rate: TINY_NETWORK.rate,
            activation: Activation::Sigmoid,
            start: TINY_NETWORK.start,
        };
        let mut net = network(settings.activation)?;
        let pass = Pass::run(&mut net, &settings, &settings.start)?;
        Ok(TinyNetworkChart {
            canvas: Canvas::new(canvas),
            net,
            settings,
            pass,
            losses: Vec::new(),
            stop: Stop::ForwardHidden,
        })
    }

    /// Input `index` (0 or 1). Each setter throws on a bad value, and the chart keeps its
    /// last good state.
    #[wasm_bindgen(js_name = setInput)]
    pub fn set_input(&mut self, index: usize, value: f64) -> Result<(), JsError> {
        self.change(|s| {
            let name = INPUTS.get(index).ok_or("the inputs are 0 and 1")?;
            s.inputs[index] = bounded(name, value)?;
            Ok(())
        })
    }

    #[wasm_bindgen(js_name = setTarget)]
    pub fn set_target(&mut self, value: f64) -> Result<(), JsError> {
        self.change(|s| {
            s.target = bounded("y", value)?;
            Ok(())
        })
    }

    #[wasm_bindgen(js_name = setRate)]
    pub fn set_rate(&mut self, value: f64) -> Result<(), JsError> {
        let (lo, hi) = RATES;
        self.change(|s| {
            if !(value.is_finite() && (lo..=hi).contains(&value)) {
                return Err(format!(
                    "the learning rate η must be a number from {} to {}",
                    Shortest(lo),
                    Shortest(hi)
                ));
            }
            s.rate = value;
            Ok(())
        })
    }

    /// `relu`, `sigmoid`, `tanh` or `linear`, for the hidden layer.
    #[wasm_bindgen(js_name = setActivation)]
    pub fn set_activation(&mut self, name: &str) -> Result<(), JsError> {
        self.change(|s| {
            s.activation = Activation::named(name).map_err(|e| e.to_string())?;
            Ok(())
        })
    }

    /// Starting parameter `index` in the engine's layout (w₁ w₂ w₃ w₄ b₁ b₂ w₅ w₆ b₃).
    #[wasm_bindgen(js_name = setParameter)]
    pub fn set_parameter(&mut self, index: usize, value: f64) -> Result<(), JsError> {
        self.change(|s| {
            let name = NAMES.get(index).ok_or("the parameters are 0 to 8")?;
            s.start[index] = bounded(name, value)?;
            Ok(())
        })
    }

    /// Back to the starting parameters (the training steps are forgotten) and the first stop.
    pub fn reset(&mut self) -> Result<(), JsError> {
        self.apply(self.settings.clone())?;
        self.stop = Stop::ForwardHidden;
        Ok(())
    }

    /// Takes the step: the walk starts again from the stepped parameters (at the same stop).
    #[wasm_bindgen(js_name = stepAgain)]
    pub fn step_again(&mut self) -> Result<(), JsError> {
        let pass = Pass::run(&mut self.net, &self.settings, &self.pass.stepped)?;
        self.losses.push(self.pass.before.loss);
        self.pass = pass;
        Ok(())
    }

    /// The stop shown, 0 to `stops − 1` (a larger index is the last).
    #[wasm_bindgen(js_name = setStop)]
    pub fn set_stop(&mut self, index: usize) {
        self.stop = Stop::at(index);
    }

    #[wasm_bindgen(getter)]
    pub fn stop(&self) -> usize {
        self.stop as usize
    }

    #[wasm_bindgen(getter)]
    pub fn stops(&self) -> usize {
        Stop::ALL.len()
    }

    /// What stop `index` shows, in a few words.
    #[wasm_bindgen(js_name = stopTitle)]
    pub fn stop_title(&self, index: usize) -> String {
        Stop::at(index).title().to_string()
    }

    #[wasm_bindgen(getter)]
    pub fn inputs(&self) -> Vec<f64> {
        self.settings.inputs.to_vec()
    }

    #[wasm_bindgen(getter)]
    pub fn target(&self) -> f64 {
        self.settings.target
    }

    #[wasm_bindgen(getter)]
    pub fn rate(&self) -> f64 {
        self.settings.rate
    }

    #[wasm_bindgen(getter)]
    pub fn activation(&self) -> String {
        self.settings.activation.name().to_string()
    }

    /// The starting parameters the reader set (engine layout).
    #[wasm_bindgen(getter)]
    pub fn start(&self) -> Vec<f64> {
        self.settings.start.to_vec()
    }

    /// The parameters the walk's step starts from, and where it ends.
    #[wasm_bindgen(getter)]
    pub fn parameters(&self) -> Vec<f64> {
        self.pass.parameters.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn stepped(&self) -> Vec<f64> {
        self.pass.stepped.clone()
    }

    /// The loss before the step and after it.
    #[wasm_bindgen(getter)]
    pub fn loss(&self) -> f64 {
        self.pass.before.loss
    }

    #[wasm_bindgen(getter, js_name = lossAfter)]
    pub fn loss_after(&self) -> f64 {
        self.pass.after.loss
    }

    /// How many steps `stepAgain` has taken since the last reset or change.
    #[wasm_bindgen(getter)]
    pub fn steps(&self) -> usize {
        self.losses.len()
    }

    /// The current stop's numbers, four strings a row: the quantity, the rule that gives it,
    /// the rule with the numbers put in, and the value.
    pub fn rows(&self) -> Vec<String> {
        self.walk()
            .rows(self.stop)
            .into_iter()
            .flat_map(|r| [r.quantity, r.rule, r.numbers, r.value])
            .collect()
    }

    /// The current stop in a sentence: `Stop 4 of 7. …: ∂L/∂ŷ = 2.1918, …`.
    pub fn readout(&self) -> String {
        let rows = self.walk().rows(self.stop);
        let shown: Vec<String> = rows
            .iter()
            .filter(|r| !r.quantity.starts_with('f'))
            .map(|r| format!("{} = {}", r.quantity, r.value))
            .collect();
        format!(
            "Stop {} of {}. {}: {}.",
            self.stop as usize + 1,
            Stop::ALL.len(),
            self.stop.title(),
            shown.join(", ")
        )
    }

    /// The diagram in words, for its `aria-label`.
    pub fn describe(&self) -> String {
        let [x1, x2] = self.settings.inputs;
        format!(
            "Diagram of a network with inputs x₁ = {} and x₂ = {}, two {} hidden neurons h₁ and h₂, a linear output ŷ and the loss L against the target y = {}, each edge labelled with its weight; it shows stop {} of {}: {}. The table below lists every number.",
            walk::number(x1),
            walk::number(x2),
            self.settings.activation.name(),
            walk::number(self.settings.target),
            self.stop as usize + 1,
            Stop::ALL.len(),
            self.stop.title()
        )
    }
}

impl TinyNetworkChart {
    /// Settings changed by `edit`, applied when it and the engine accept them.
    fn change(
        &mut self,
        edit: impl FnOnce(&mut Settings) -> Result<(), String>,
    ) -> Result<(), JsError> {
        let mut settings = self.settings.clone();
        edit(&mut settings).map_err(|e| JsError::new(&e))?;
        self.apply(settings)
    }

    /// Runs the step for new settings from their starting parameters; keeps them only if
    /// the engine accepts them all.
    fn apply(&mut self, settings: Settings) -> Result<(), JsError> {
        let mut net = if settings.activation == self.settings.activation {
            self.net.clone()
        } else {
            network(settings.activation)?
        };
        let pass = Pass::run(&mut net, &settings, &settings.start)?;
        self.net = net;
        self.settings = settings;
        self.pass = pass;
        self.losses.clear();
        Ok(())
    }

    fn walk(&self) -> Walk<'_> {
        Walk {
            inputs: self.settings.inputs,
            target: self.settings.target,
            rate: self.settings.rate,
            activation: self.settings.activation,
            parameters: &self.pass.parameters,
            stepped: &self.pass.stepped,
            before: &self.pass.before,
            after: &self.pass.after,
            losses: &self.losses,
        }
    }
}

impl Figure for TinyNetworkChart {
    fn canvas(&self) -> DrawResult<&Canvas> {
        Ok(&self.canvas)
    }

    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let (width, height) = (pen.view.width, pen.view.height);
        let layout = Layout::new(width, height);
        let frame = layout.frame(width);
        let context = &pen.context;
        context.set_fill_style_str(&super::theme::css(pen.theme.background));
        context.fill_rect(0.0, 0.0, width * pen.theme.dpr, height * pen.theme.dpr);
        let plot = pen.plot(&frame);
        let sketch = diagram::Sketch {
            context,
            theme: &pen.theme,
            plot: &plot,
        };
        self.walk().picture(self.stop).draw(&sketch, &layout);
        Ok(frame)
    }
}

figure!(TinyNetworkChart);

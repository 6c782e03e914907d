//! Networks of dense layers, trained on batches: micrograd one level up, where a node is a
//! whole layer and a value is a matrix. Chapter 5 steps through a small one and chapter 6
//! trains them in the page.
//!
//! Typed formulas are differentiated by the one expression graph ([`crate::backprop`]);
//! a network is differentiated here, layer by layer, because an MLP written out as a formula
//! repeats every hidden unit once for every unit that reads it. The tests check each
//! gradient against that graph, on small networks written out as formulas.
//!
//! ```
//! use calculus::nn::{Network, NetworkOptions, StepOptions};
//!
//! // One linear unit ŷ = w·x + b, started at w = 1, b = 0, fitted to y = 3 at x = 1.
//! let mut net = Network::new(&[1, 1], &NetworkOptions::default())?;
//! net.set_parameters(&[1.0, 0.0])?;
//! assert_eq!(net.predict(&[2.0])?, [2.0]);
//! // mse = (1 − 3)² = 4; ∂L/∂w = 2(ŷ − y)·x = −4, ∂L/∂b = −4; sgd with lr 0.25 adds 1 to each.
//! let step = net.step(&[1.0], &[3.0], &StepOptions::new(0.25))?;
//! assert_eq!(step.loss, 4.0);
//! assert_eq!(net.parameters(), [2.0, 1.0]);
//! # Ok::<(), calculus::Error>(())
//! ```

mod init;
mod layer;
mod loss;
mod stats;
mod thinned;
pub mod training;

pub use init::Init;
pub use layer::Activation;
pub use loss::Loss;

use crate::error::{check, Error};
use crate::optim::{clip_grad_norm, Optimizer, Stepper};
use crate::random::Rng;
use layer::{transpose, Dense};

/// The most parameters a network may have. A step costs about 40 ns per parameter at a batch
/// of 64 here (0.4 ms for the bench's 10,000-parameter deep net), so a million take 40 ms a
/// step, with 8 MB for each copy of the parameters, their gradient and the optimizer's
/// state: the most a page can train while staying responsive.
pub const MAX_PARAMETERS: usize = 1_000_000;

/// How a network starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetworkOptions {
    /// The hidden layers' activation (the output layer is linear).
    pub activation: Activation,
    pub init: Init,
    pub seed: u64,
}

impl Default for NetworkOptions {
    /// tanh, He initialisation, seed 1.
    fn default() -> NetworkOptions {
        NetworkOptions {
            activation: Activation::Tanh,
            init: Init::He,
            seed: 1,
        }
    }
}

/// One training step's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepOptions {
    pub learning_rate: f64,
    pub optimizer: Optimizer,
    pub loss: Loss,
    /// The largest total gradient norm, as `clip_grad_norm_`'s `max_norm`; `None` never clips.
    pub clip: Option<f64>,
}

impl StepOptions {
    /// Plain SGD on the mse loss, unclipped.
    pub fn new(learning_rate: f64) -> StepOptions {
        StepOptions {
            learning_rate,
            optimizer: Optimizer::Gd,
            loss: Loss::Mse,
            clip: None,
        }
    }
}

impl StepOptions {
    /// Whether every setting is in its range: the rate and the clip positive and finite, the
    /// optimizer's hyperparameters its own.
    pub fn validate(&self) -> Result<(), Error> {
        check(
            "learningRate",
            self.learning_rate.is_finite() && self.learning_rate > 0.0,
            "a positive finite number",
        )?;
        if let Some(clip) = self.clip {
            check(
                "clip",
                clip.is_finite() && clip > 0.0,
                "a positive finite number",
            )?;
        }
        self.optimizer.validate()
    }
}

/// The mean loss of a batch and the sizes of its gradient, all taken before any clipping.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    pub loss: f64,
    /// ‖∇L‖: the 2-norm over every parameter's gradient, weights and biases.
    pub grad_norm: f64,
    /// ‖∂L/∂W_l‖ (Frobenius; weights only), first layer first.
    pub layer_norms: Vec<f64>,
    /// Whether the step scaled the gradient down (always false from `gradients`).
    pub clipped: bool,
}

/// Every number of one forward and backward pass through a layer ([`Network::trace`]).
/// Batches are n × units, row-major, like the API's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LayerTrace {
    /// z = W·x + b.
    pub z: Vec<f64>,
    /// a = activation(z); the last layer is linear, a = z.
    pub a: Vec<f64>,
    /// ∂L/∂a: from the loss for the last layer, else Wᵀ·∂L/∂z of the layer above.
    pub grad_a: Vec<f64>,
    /// ∂L/∂z = ∂L/∂a · activation′(z).
    pub grad_z: Vec<f64>,
    /// activation′(z), the local derivative ∂a/∂z that turns grad_a into grad_z (all ones in
    /// the linear last layer).
    pub slope: Vec<f64>,
    /// ∂L/∂W (outputs × inputs) and ∂L/∂b, summed over the batch, as in `gradient()`.
    pub grad_weights: Vec<f64>,
    pub grad_biases: Vec<f64>,
}

/// One pass through the network, every layer's numbers, first layer first.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    pub loss: f64,
    pub layers: Vec<LayerTrace>,
}

/// What the passes show each layer's numbers to. Not generic: the passes are the engine's
/// largest code, and one copy serves both `gradients` (which shows nothing) and `trace`.
type Record<'a> = &'a mut dyn FnMut(Part, usize, &[f64]);

/// Which of a layer's numbers the passes are showing.
#[derive(Debug, Clone, Copy)]
enum Part {
    Z,
    GradA,
    GradZ,
}

/// A multilayer perceptron: sizes [inputs, hidden…, outputs], hidden layers through one
/// activation, the last layer linear.
#[derive(Debug, Clone)]
pub struct Network {
    sizes: Vec<usize>,
    activation: Activation,
    layers: Vec<Dense>,
    /// Layer by layer: W_l (outputs × inputs, row-major), then b_l.
    parameters: Vec<f64>,
    /// ∂L/∂parameters from the last batch, in the same layout.
    gradient: Vec<f64>,
    /// The optimizer and its state; a new optimizer (or new parameters) starts it afresh.
    stepper: Option<Stepper>,
    /// The last batch's inputs, its targets and its outputs, one row per unit (units × n).
    batch: Vec<f64>,
    targets: Vec<f64>,
    /// Each layer's outputs a_l for the last batch (outputs × n), kept for the backward pass.
    outputs: Vec<Vec<f64>>,
    /// The last layer's outputs row-major (n × outputs), as `predict` returns them.
    predicted: Vec<f64>,
    /// dL/da of the layer being differentiated, and of the one below it.
    delta: Vec<f64>,
    delta_below: Vec<f64>,
}

impl Network {
    /// A network with `sizes` units per layer, its weights drawn as `options.init` says from
    /// the generator seeded with `options.seed`, layer by layer in parameter order.
    pub fn new(sizes: &[usize], options: &NetworkOptions) -> Result<Network, Error> {
        check(
            "sizes",
            sizes.len() >= 2 && sizes.iter().all(|&s| s >= 1),
            "at least two layer sizes (inputs and outputs), each ≥ 1",
        )?;
        options.init.validate()?;
        let mut layers = Vec::with_capacity(sizes.len() - 1);
        let mut offset = 0usize;
        for pair in sizes.windows(2) {
            let layer = Dense {
                inputs: pair[0],
                outputs: pair[1],
                offset,
            };
            offset = pair[0]
                .checked_mul(pair[1])
                .and_then(|w| w.checked_add(pair[1]))
                .and_then(|count| count.checked_add(offset))
                .filter(|&total| total <= MAX_PARAMETERS)
                .ok_or(Error::TooLarge {
                    parameters: sizes.windows(2).fold(0usize, |total, p| {
                        total.saturating_add(p[0].saturating_mul(p[1]).saturating_add(p[1]))
                    }),
                    max: MAX_PARAMETERS,
                })?;
            layers.push(layer);
        }
        let mut parameters = vec![0.0; offset];
        let mut rng = Rng::new(options.seed);
        for layer in &layers {
            let std = options.init.std(layer.inputs, layer.outputs);
            let (w, _) = layer.split_mut(&mut parameters);
            if options.init != Init::Zeros {
                w.iter_mut().for_each(|w| *w = std * rng.normal());
            }
        }
        Ok(Network {
            sizes: sizes.to_vec(),
            activation: options.activation,
            layers,
            gradient: vec![0.0; offset],
            parameters,
            stepper: None,
            batch: Vec::new(),
            targets: Vec::new(),
            outputs: vec![Vec::new(); sizes.len() - 1],
            predicted: Vec::new(),
            delta: Vec::new(),
            delta_below: Vec::new(),
        })
    }

    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    pub fn activation(&self) -> Activation {
        self.activation
    }

    /// Layer by layer: W_l (outputs × inputs, row-major: W[j][i] joins input i to output
    /// j), then b_l.
    pub fn parameters(&self) -> &[f64] {
        &self.parameters
    }

    /// The gradient the last `gradients` or `step` computed, before clipping.
    pub fn gradient(&self) -> &[f64] {
        &self.gradient
    }

    /// Replaces every parameter (same layout as [`parameters`](Self::parameters)) and
    /// forgets the optimizer's state, which belonged to the old ones.
    pub fn set_parameters(&mut self, parameters: &[f64]) -> Result<(), Error> {
        if parameters.len() != self.parameters.len() {
            return Err(Error::WrongLength {
                what: "parameters",
                expected: format!("{} numbers", self.parameters.len()),
                got: parameters.len(),
            });
        }
        finite("parameters", parameters)?;
        self.parameters.copy_from_slice(parameters);
        self.stepper = None;
        Ok(())
    }

    /// The raw (linear) outputs for a batch of inputs: n × outputs, row-major.
    pub fn predict(&mut self, inputs: &[f64]) -> Result<&[f64], Error> {
        let n = self.rows(inputs)?;
        self.forward(inputs, n, &mut |_, _, _| {});
        let last = self.outputs.last().map(Vec::as_slice).unwrap_or_default();
        self.predicted.resize(last.len(), 0.0);
        transpose(last, n, &mut self.predicted);
        Ok(&self.predicted)
    }

    /// The mean loss over a batch, from the forward pass alone (no gradient): how chapter 6
    /// measures a whole train or test set after each epoch.
    pub fn loss(&mut self, inputs: &[f64], targets: &[f64], loss: Loss) -> Result<f64, Error> {
        let n = self.rows(inputs)?;
        let outputs = self.targets_for(n, targets, loss)?;
        self.forward(inputs, n, &mut |_, _, _| {});
        self.targets.resize(targets.len(), 0.0);
        transpose(targets, outputs, &mut self.targets);
        let last = self.outputs.last().map(Vec::as_slice).unwrap_or_default();
        self.delta.resize(last.len(), 0.0);
        Ok(loss.forward_backward(last, &self.targets, &mut self.delta))
    }

    /// The mean loss over the batch and its gradient ([`gradient`](Self::gradient)), with
    /// the gradient's total and per-layer norms.
    pub fn gradients(
        &mut self,
        inputs: &[f64],
        targets: &[f64],
        loss: Loss,
    ) -> Result<Measured, Error> {
        self.passes(inputs, targets, loss, &mut |_, _, _| {})
    }

    /// [`gradients`](Self::gradients) with every number the two passes make, layer by
    /// layer: what chapter 5 shows of a small network on one example.
    pub fn trace(&mut self, inputs: &[f64], targets: &[f64], loss: Loss) -> Result<Trace, Error> {
        let mut layers: Vec<LayerTrace> =
            self.layers.iter().map(|_| LayerTrace::default()).collect();
        let n = self.rows(inputs).unwrap_or(1);
        let measured = self.passes(inputs, targets, loss, &mut |part, l, units_by_n| {
            if let Some(layer) = layers.get_mut(l) {
                let slot = match part {
                    Part::Z => &mut layer.z,
                    Part::GradA => &mut layer.grad_a,
                    Part::GradZ => &mut layer.grad_z,
                };
                slot.resize(units_by_n.len(), 0.0);
                transpose(units_by_n, n, slot);
            }
        })?;
        let last = self.layers.len() - 1;
        for (l, ((layer, dense), a)) in layers
            .iter_mut()
            .zip(&self.layers)
            .zip(&self.outputs)
            .enumerate()
        {
            layer.a.resize(a.len(), 0.0);
            transpose(a, n, &mut layer.a);
            // The backward rule itself, applied to ones: the very slope the pass multiplied by.
            layer.slope = vec![1.0; a.len()];
            if l != last {
                self.activation.backward(&layer.a, &mut layer.slope);
            }
            let (w, b) = dense.split(&self.gradient);
            layer.grad_weights = w.to_vec();
            layer.grad_biases = b.to_vec();
        }
        Ok(Trace {
            loss: measured.loss,
            layers,
        })
    }

    /// Each hidden layer's [spread](stats::spread) over the last batch that `gradients`,
    /// `trace`, `step` or `predict` ran forward: how much its outputs still vary from one
    /// example to the next, first hidden layer first (the linear output layer is left out).
    pub fn activation_spreads(&self) -> Vec<f64> {
        let n = self.batch.len() / self.sizes[0];
        let hidden = self.outputs.len().saturating_sub(1);
        self.outputs
            .iter()
            .take(hidden)
            .map(|a| stats::spread(a, n))
            .collect()
    }

    /// Checks a batch and its targets, runs the forward and the backward pass, showing
    /// `record` each layer's z, ∂L/∂a and ∂L/∂z (units × n) as they are made.
    fn passes(
        &mut self,
        inputs: &[f64],
        targets: &[f64],
        loss: Loss,
        record: Record,
    ) -> Result<Measured, Error> {
        let n = self.rows(inputs)?;
        let outputs = self.targets_for(n, targets, loss)?;
        self.forward(inputs, n, record);
        self.targets.resize(targets.len(), 0.0);
        transpose(targets, outputs, &mut self.targets);
        let value = self.backward(loss, record);
        let layer_norms = self
            .layers
            .iter()
            .map(|layer| norm(layer.split(&self.gradient).0))
            .collect();
        Ok(Measured {
            loss: value,
            grad_norm: norm(&self.gradient),
            layer_norms,
            clipped: false,
        })
    }

    /// One training step: the gradient, then clipping when `options.clip` is set, then the
    /// optimizer. What it returns was measured before clipping and before the update.
    pub fn step(
        &mut self,
        inputs: &[f64],
        targets: &[f64],
        options: &StepOptions,
    ) -> Result<Measured, Error> {
        options.validate()?;
        let mut measured = self.gradients(inputs, targets, options.loss)?;
        self.tune(options.optimizer)?;
        if let Some(clip) = options.clip {
            measured.clipped = clip_grad_norm(&mut self.gradient, clip).1;
        }
        if let Some(stepper) = &mut self.stepper {
            stepper.step(&mut self.parameters, &self.gradient, options.learning_rate);
        }
        Ok(measured)
    }

    /// Keeps the optimizer's state when the same rule steps again (its hyperparameters may
    /// change, as a PyTorch param_group's may); another rule starts from fresh state.
    fn tune(&mut self, optimizer: Optimizer) -> Result<(), Error> {
        match &mut self.stepper {
            Some(stepper) if stepper.optimizer().name() == optimizer.name() => {
                stepper.retune(optimizer)
            }
            _ => {
                self.stepper = Some(Stepper::new(optimizer, self.parameters.len())?);
                Ok(())
            }
        }
    }

    /// Checks the targets of a batch of n rows for `loss`; returns the outputs per row.
    fn targets_for(&self, n: usize, targets: &[f64], loss: Loss) -> Result<usize, Error> {
        let outputs = self.sizes[self.sizes.len() - 1];
        if targets.len() != n * outputs {
            return Err(Error::WrongLength {
                what: "targets",
                expected: format!("{n} × {outputs} numbers, one row per input row"),
                got: targets.len(),
            });
        }
        finite("targets", targets)?;
        loss.check_targets(targets)?;
        Ok(outputs)
    }

    /// How many rows `inputs` holds, refusing a batch of the wrong width or no rows.
    fn rows(&self, inputs: &[f64]) -> Result<usize, Error> {
        let width = self.sizes[0];
        if inputs.is_empty() || !inputs.chunks_exact(width).remainder().is_empty() {
            return Err(Error::WrongLength {
                what: "inputs",
                expected: format!("n × {width} numbers (rows of {width}), n ≥ 1"),
                got: inputs.len(),
            });
        }
        finite("inputs", inputs)?;
        Ok(inputs.len() / width)
    }

    /// Every layer's outputs for a batch of n rows, into `self.outputs`.
    fn forward(&mut self, inputs: &[f64], n: usize, record: Record) {
        self.batch.resize(inputs.len(), 0.0);
        transpose(inputs, self.sizes[0], &mut self.batch);
        let last = self.layers.len() - 1;
        for (l, layer) in self.layers.iter().enumerate() {
            let (below, rest) = self.outputs.split_at_mut(l);
            let x = below.last().map_or(self.batch.as_slice(), Vec::as_slice);
            let a = &mut rest[0];
            a.resize(n * layer.outputs, 0.0);
            let z = &mut self.delta;
            z.resize(n * layer.outputs, 0.0);
            layer.forward(layer.split(&self.parameters), x, z);
            record(Part::Z, l, z);
            let activation = if l == last {
                Activation::Linear
            } else {
                self.activation
            };
            activation.forward(z, a);
        }
    }

    /// The loss of the last forward pass against `self.targets`, and its gradient into
    /// `self.gradient`.
    fn backward(&mut self, loss: Loss, record: Record) -> f64 {
        let last = self.layers.len() - 1;
        let value = {
            let outputs = &self.outputs[last];
            self.delta.resize(outputs.len(), 0.0);
            loss.forward_backward(outputs, &self.targets, &mut self.delta)
        };
        self.gradient.fill(0.0);
        for (l, layer) in self.layers.iter().enumerate().rev() {
            record(Part::GradA, l, &self.delta);
            if l != last {
                self.activation.backward(&self.outputs[l], &mut self.delta);
            }
            record(Part::GradZ, l, &self.delta);
            let x = if l == 0 {
                &self.batch
            } else {
                &self.outputs[l - 1]
            };
            let dx = (l > 0).then(|| {
                self.delta_below.resize(x.len(), 0.0);
                self.delta_below.as_mut_slice()
            });
            let (w, _) = layer.split(&self.parameters);
            layer.backward(w, x, &self.delta, layer.split_mut(&mut self.gradient), dx);
            std::mem::swap(&mut self.delta, &mut self.delta_below);
        }
        value
    }
}

/// The 2-norm of a vector of numbers.
fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

fn finite(what: &'static str, values: &[f64]) -> Result<(), Error> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(Error::NotFinite {
            what,
            index,
            value: values[index],
        }),
        None => Ok(()),
    }
}

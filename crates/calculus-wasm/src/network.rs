//! `Network` and `dataset`: the network engine ([`calculus::nn`]) and the toy datasets
//! ([`calculus::dataset`]) as JS API (feature `network`).
//!
//! ```js
//! import init, { Network, dataset } from "./pkg/calculus.js";
//! await init();
//! const { inputs, labels } = dataset("spiral", { count: 250, noise: 0 });
//! const net = new Network([2, 8, 8, 1], { activation: "tanh", seed: 1 });
//! const { loss } = net.step(inputs.subarray(0, 20), labels.subarray(0, 10), { learningRate: 0.03 });
//! ```

use calculus::dataset::{generate, Dataset};
use calculus::nn;
use wasm_bindgen::prelude::*;

use crate::convert::{self, float64_array, js_error, Float64Array};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
export interface NetworkOptions {
  /** The hidden layers' activation (default "tanh"); the last layer is linear. */
  activation?: "relu" | "sigmoid" | "tanh" | "linear";
  /** Starting weights (default "he"); biases start at 0. */
  init?: "he" | "xavier" | "normal" | "zeros";
  /** The normal init's standard deviation (default 1). */
  std?: number;
  /** The same seed always gives the same parameters (default 1). */
  seed?: number;
}

export interface LayerTrace {
  /** z = W·x + b, n × units. */
  z: Float64Array;
  /** a = activation(z); the last layer is linear. */
  a: Float64Array;
  /** ∂L/∂a and ∂L/∂z, n × units. */
  gradA: Float64Array;
  gradZ: Float64Array;
  /** activation′(z), n × units: gradZ = gradA · slope (ones in the linear last layer). */
  slope: Float64Array;
  /** ∂L/∂W (units × inputs) and ∂L/∂b, as in `gradients`. */
  gradWeights: Float64Array;
  gradBiases: Float64Array;
}

export interface NetworkTrace {
  loss: number;
  layers: LayerTrace[];
}

export interface StepOptions {
  learningRate: number;
  optimizer?: "sgd" | "momentum" | "rmsprop" | "adam";
  loss?: "mse" | "bce";
  /** clip_grad_norm_'s max_norm: scale the gradient by clip/(‖g‖ + 1e-6) when that is < 1. */
  clip?: number;
  momentum?: number;
  alpha?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}
"#;

/// A multilayer perceptron trained on batches: sizes `[inputs, hidden..., outputs]`.
#[wasm_bindgen]
pub struct Network {
    net: nn::Network,
    /// The last call's inputs and targets, copied in from JS (reused: no allocation per step).
    inputs: Vec<f64>,
    targets: Vec<f64>,
}

#[wasm_bindgen]
impl Network {
    /// sizes: [inputs, hidden..., outputs], each ≥ 1, at least two entries.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "number[]")] sizes: JsValue,
        #[wasm_bindgen(unchecked_param_type = "NetworkOptions")] options: Option<JsValue>,
    ) -> Result<Network, JsError> {
        let sizes = convert::sizes(&sizes)?;
        let options = convert::network_options(&options.unwrap_or_default())?;
        Ok(Network {
            net: nn::Network::new(&sizes, &options).map_err(js_error)?,
            inputs: Vec::new(),
            targets: Vec::new(),
        })
    }

    /// The layer sizes it was made with.
    #[wasm_bindgen(getter, unchecked_return_type = "number[]")]
    pub fn sizes(&self) -> JsValue {
        let sizes: Vec<f64> = self.net.sizes().iter().map(|&s| s as f64).collect();
        convert::number_array(&sizes)
    }

    /// Layer by layer: W_l (outputs × inputs, row-major: W[j][i] joins input i to output j), then b_l.
    pub fn parameters(&self) -> Float64Array {
        float64_array(self.net.parameters())
    }

    /// Same layout; a wrong length throws. Resets the optimizer's state.
    #[wasm_bindgen(js_name = setParameters)]
    pub fn set_parameters(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Float64Array")] parameters: JsValue,
    ) -> Result<(), JsError> {
        convert::numbers(&parameters, "parameters", &mut self.inputs)?;
        self.net.set_parameters(&self.inputs).map_err(js_error)
    }

    /// inputs: n × sizes[0] row-major. Returns n × outputs, the raw (linear) outputs.
    pub fn predict(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Float64Array")] inputs: JsValue,
    ) -> Result<Float64Array, JsError> {
        convert::numbers(&inputs, "inputs", &mut self.inputs)?;
        Ok(float64_array(
            self.net.predict(&self.inputs).map_err(js_error)?,
        ))
    }

    /// Mean loss over the batch, its gradient in the parameters' layout, and ‖∂L/∂W_l‖
    /// (Frobenius, weights only) per layer.
    #[wasm_bindgen(
        unchecked_return_type = "{ loss: number; gradients: Float64Array; layerNorms: Float64Array }"
    )]
    pub fn gradients(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Float64Array")] inputs: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array")] targets: JsValue,
        #[wasm_bindgen(unchecked_param_type = "{ loss?: \"mse\" | \"bce\" }")] options: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsError> {
        let loss = self.batch_and_loss(&inputs, &targets, options)?;
        let measured = self
            .net
            .gradients(&self.inputs, &self.targets, loss)
            .map_err(js_error)?;
        Ok(convert::step_js(&measured, Some(self.net.gradient())))
    }

    /// One training step on the batch: gradients, then clipping (when clip is given), then
    /// the optimizer. loss, gradNorm (total norm) and layerNorms are measured before clipping
    /// and before the update.
    #[wasm_bindgen(
        unchecked_return_type = "{ loss: number; gradNorm: number; clipped: boolean; layerNorms: Float64Array }"
    )]
    pub fn step(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Float64Array")] inputs: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array")] targets: JsValue,
        #[wasm_bindgen(unchecked_param_type = "StepOptions")] options: JsValue,
    ) -> Result<JsValue, JsError> {
        let options = convert::step_options(&options, true)?;
        self.read(&inputs, &targets)?;
        let measured = self
            .net
            .step(&self.inputs, &self.targets, &options)
            .map_err(js_error)?;
        Ok(convert::step_js(&measured, None))
    }

    /// `gradients` with every number of both passes, layer by layer (first layer first; each
    /// batch n × units row-major): z = W·x + b, a = activation(z), ∂L/∂a, ∂L/∂z, and the
    /// layer's ∂L/∂W and ∂L/∂b.
    #[wasm_bindgen(unchecked_return_type = "NetworkTrace")]
    pub fn trace(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Float64Array")] inputs: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array")] targets: JsValue,
        #[wasm_bindgen(unchecked_param_type = "{ loss?: \"mse\" | \"bce\" }")] options: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsError> {
        let loss = self.batch_and_loss(&inputs, &targets, options)?;
        let trace = self
            .net
            .trace(&self.inputs, &self.targets, loss)
            .map_err(js_error)?;
        Ok(convert::trace_js(&trace))
    }

    /// Reads a batch and the `{ loss }` options of `gradients` and `trace`.
    fn batch_and_loss(
        &mut self,
        inputs: &JsValue,
        targets: &JsValue,
        options: Option<JsValue>,
    ) -> Result<nn::Loss, JsError> {
        let options = convert::step_options(&options.unwrap_or_default(), false)?;
        self.read(inputs, targets)?;
        Ok(options.loss)
    }

    fn read(&mut self, inputs: &JsValue, targets: &JsValue) -> Result<(), JsError> {
        convert::numbers(inputs, "inputs", &mut self.inputs)?;
        convert::numbers(targets, "targets", &mut self.targets)
    }
}

/// A toy dataset of 2-D points labelled 0 or 1: TensorFlow Playground's circle, xor, gauss
/// and spiral, or sklearn's two moons. inputs is n × 2 row-major; the same seed always
/// gives the same points. Defaults: 500 points, noise 0, seed 1.
#[wasm_bindgen(unchecked_return_type = "{ inputs: Float64Array; labels: Float64Array }")]
pub fn dataset(
    #[wasm_bindgen(
        unchecked_param_type = "\"circle\" | \"xor\" | \"gauss\" | \"spiral\" | \"moons\""
    )]
    name: &str,
    #[wasm_bindgen(unchecked_param_type = "{ count?: number; noise?: number; seed?: number }")]
    options: Option<JsValue>,
) -> Result<JsValue, JsError> {
    let dataset = Dataset::named(name).map_err(js_error)?;
    let (count, noise, seed) = convert::dataset_options(&options.unwrap_or_default())?;
    let samples = generate(dataset, count, noise, seed).map_err(js_error)?;
    Ok(convert::samples_js(&samples))
}

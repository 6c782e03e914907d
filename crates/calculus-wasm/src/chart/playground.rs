//! Chapter 6's training playground: a network learning a toy dataset in the page, drawn as
//! three charts: the decision boundary with the points, the train and test losses after each
//! epoch, and every layer's gradient norm at every step (with the steps that were clipped).
//!
//! The engine ([`calculus::nn::training`]) trains; this holds the run and its recipe, takes
//! settings and draws. JS decides how many batches fit in a frame.
//!
//! ```js
//! const pg = new Playground(boundary, loss, norms, scratch);
//! pg.setNetwork(8, 8, "sigmoid", "xavier", 1);  // restarts the run
//! pg.train(25);                                  // batches; fewer if it diverges
//! pg.draw(400, 400, devicePixelRatio, false);
//! pg.drawLoss(400, 240, devicePixelRatio, false);
//! pg.drawNorms(400, 240, devicePixelRatio, false);
//! ```

mod boundary;
mod curves;

use calculus::dataset::Dataset;
use calculus::digits::Shortest;
use calculus::nn::training::{Recipe, Training};
use calculus::nn::{Activation, Init};
use calculus::optim::Optimizer;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::canvas::Canvas;
use super::format_significant;
use crate::book::{self, PLAYGROUND_LIMITS as LIMITS};
use crate::convert::{float64_array, js_error, Float64Array};
use crate::figure;
use crate::format::{format, Style};

pub use curves::{LossFigure, NormFigure};

/// A network in training on a toy dataset, and the three canvases it is drawn on.
#[wasm_bindgen]
pub struct Playground {
    boundary: Canvas,
    loss: Canvas,
    norms: Canvas,
    /// A canvas (off the page) the heat map is painted on, one pixel per cell, before it is
    /// scaled onto the boundary's plot.
    scratch: HtmlCanvasElement,
    recipe: Recipe,
    training: Training,
    /// P(class 1) at the heat map's cells, row by row from the top; made in `prepare`.
    cells: Vec<f64>,
    /// The run's settings, each with the step from which it trained with them: the recipe's
    /// from step 0, then each `setStep` since (the run went on through them). What a replay
    /// of the run needs ("Copy as Python").
    schedule: Vec<(usize, String)>,
}

/// A whole number setting from JS, within `range`, or a message naming it.
fn within(what: &str, value: f64, (lo, hi): (usize, usize)) -> Result<usize, JsError> {
    if value.fract() == 0.0 && value >= lo as f64 && value <= hi as f64 {
        Ok(value as usize)
    } else {
        Err(JsError::new(&format!(
            "{what} must be a whole number from {lo} to {hi}"
        )))
    }
}

/// A number setting from JS, within `range`, or a message naming it.
fn between(what: &str, value: f64, (lo, hi): (f64, f64)) -> Result<f64, JsError> {
    if value >= lo && value <= hi {
        Ok(value)
    } else {
        Err(JsError::new(&format!(
            "{what} must be a number from {} to {}",
            format(lo, Style::Tick),
            format(hi, Style::Tick)
        )))
    }
}

/// The optimizer the reader calls `name` (PyTorch's names: `sgd` is plain descent).
fn optimizer(name: &str) -> Result<Optimizer, JsError> {
    book::playground_optimizer_named(name).ok_or_else(|| {
        JsError::new(&format!(
            "unknown optimizer '{name}': use sgd, momentum, rmsprop or adam"
        ))
    })
}

#[wasm_bindgen]
impl Playground {
    /// The playground at its start (the book module's `PLAYGROUND_START`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        boundary: HtmlCanvasElement,
        loss: HtmlCanvasElement,
        norms: HtmlCanvasElement,
        scratch: HtmlCanvasElement,
    ) -> Result<Playground, JsError> {
        let recipe = book::PLAYGROUND_START;
        let mut playground = Playground {
            boundary: Canvas::new(boundary),
            loss: Canvas::new(loss),
            norms: Canvas::new(norms),
            scratch,
            training: recipe.start().map_err(js_error)?,
            recipe,
            cells: Vec::new(),
            schedule: Vec::new(),
        };
        playground.schedule = vec![(0, playground.settings())];
        Ok(playground)
    }

    /// Starts a run of `recipe`; on an error the old run goes on.
    fn restart(&mut self, recipe: Recipe) -> Result<(), JsError> {
        self.training = recipe.start().map_err(js_error)?;
        self.recipe = recipe;
        self.schedule = vec![(0, self.settings())];
        Ok(())
    }

    /// The dataset (`circle`, `xor`, `gauss`, `spiral`, `moons`), its noise and the percentage
    /// of points trained on; restarts the run.
    #[wasm_bindgen(js_name = setData)]
    pub fn set_data(&mut self, name: &str, noise: f64, train_percent: f64) -> Result<(), JsError> {
        let recipe = Recipe {
            dataset: Dataset::named(name).map_err(js_error)?,
            noise: between("noise", noise, LIMITS.noise)?,
            train_fraction: between("the train share", train_percent, LIMITS.train_percent)?
                / 100.0,
            ..self.recipe
        };
        self.restart(recipe)
    }

    /// Hidden layers, units per layer, their activation and the initialisation (`std` is
    /// read by `normal` alone); restarts the run.
    #[wasm_bindgen(js_name = setNetwork)]
    pub fn set_network(
        &mut self,
        hidden: f64,
        width: f64,
        activation: &str,
        init: &str,
        std: f64,
    ) -> Result<(), JsError> {
        let mut recipe = self.recipe;
        recipe.hidden = within("hidden layers", hidden, LIMITS.hidden)?;
        recipe.width = within("units per layer", width, LIMITS.width)?;
        recipe.network.activation = Activation::named(activation).map_err(js_error)?;
        let std = between("σ", std, LIMITS.std)?;
        recipe.network.init = Init::named(init, Some(std)).map_err(js_error)?;
        self.restart(recipe)
    }

    /// The seed of the data and of the weights; restarts the run.
    #[wasm_bindgen(js_name = setSeed)]
    pub fn set_seed(&mut self, seed: f64) -> Result<(), JsError> {
        let (lo, hi) = LIMITS.seed;
        let mut recipe = self.recipe;
        recipe.network.seed = within("seed", seed, (lo as usize, hi as usize))? as u64;
        self.restart(recipe)
    }

    /// How the next steps are taken: optimizer, learning rate, batch size and the clipping
    /// threshold (0: no clipping). The run goes on from where it is.
    #[wasm_bindgen(js_name = setStep)]
    pub fn set_step(
        &mut self,
        optimizer_name: &str,
        learning_rate: f64,
        batch_size: f64,
        clip: f64,
    ) -> Result<(), JsError> {
        let mut recipe = self.recipe;
        recipe.step.optimizer = optimizer(optimizer_name)?;
        recipe.step.learning_rate = between("learning rate", learning_rate, LIMITS.learning_rate)?;
        recipe.batch_size = within("batch size", batch_size, LIMITS.batch_size)?;
        recipe.step.clip = match clip {
            0.0 => None,
            c => Some(between("clip threshold", c, LIMITS.clip)?),
        };
        self.training
            .set_options(recipe.step, recipe.batch_size)
            .map_err(js_error)?;
        self.recipe = recipe;
        // Settings changed again before any step with them never trained.
        let at = self.training.steps();
        if self.schedule.last().is_some_and(|&(from, _)| from == at) {
            self.schedule.pop();
        }
        self.schedule.push((at, self.settings()));
        Ok(())
    }

    /// Applies preset `key` of the book module's `PLAYGROUND_PRESETS`; restarts the run.
    pub fn preset(&mut self, key: &str) -> Result<(), JsError> {
        let preset = book::PLAYGROUND_PRESETS.iter().find(|p| p.key == key);
        let preset = preset.ok_or_else(|| JsError::new(&format!("no preset '{key}'")))?;
        self.restart(preset.recipe)
    }

    /// The same recipe from its first step.
    pub fn reset(&mut self) -> Result<(), JsError> {
        self.restart(self.recipe)
    }

    /// Up to `batches` steps (fewer when the run diverges); returns how many were taken.
    pub fn train(&mut self, batches: u32) -> u32 {
        self.training.train(batches as usize) as u32
    }

    /// Steps to the end of this epoch; returns how many were taken.
    #[wasm_bindgen(js_name = trainEpoch)]
    pub fn train_epoch(&mut self) -> u32 {
        self.training.train_epoch() as u32
    }

    /// The points of the dataset, train and test together.
    #[wasm_bindgen(getter)]
    pub fn count(&self) -> u32 {
        self.recipe.count as u32
    }

    /// The settings this run trained with, as `settings()` writes them, each after
    /// `step=<the step it took effect at>&`: step 0's, then each change of the step settings
    /// since (a change of anything else restarts the run).
    pub fn schedule(&self) -> Vec<String> {
        self.schedule
            .iter()
            .map(|(at, settings)| format!("step={at}&{settings}"))
            .collect()
    }

    /// Batches in one epoch at the current batch size.
    #[wasm_bindgen(getter, js_name = batchesPerEpoch)]
    pub fn batches_per_epoch(&self) -> u32 {
        let n = self.training.data().train.labels.len();
        n.div_ceil(self.recipe.batch_size.max(1)) as u32
    }

    #[wasm_bindgen(getter)]
    pub fn epoch(&self) -> u32 {
        self.training.epoch() as u32
    }

    #[wasm_bindgen(getter)]
    pub fn steps(&self) -> u32 {
        self.training.steps() as u32
    }

    #[wasm_bindgen(getter, js_name = clippedSteps)]
    pub fn clipped_steps(&self) -> u32 {
        self.training.clipped_steps() as u32
    }

    /// Whether the run stopped on a loss or a weight that is not a number.
    #[wasm_bindgen(getter)]
    pub fn diverged(&self) -> bool {
        self.training.diverged().is_some()
    }

    /// The latest train and test losses and accuracies: `[train, test, train acc, test acc]`.
    pub fn latest(&self) -> Vec<f64> {
        self.training.epochs().last().map_or(Vec::new(), |e| {
            vec![e.train_loss, e.test_loss, e.train_accuracy, e.test_accuracy]
        })
    }

    /// The epoch the latest losses (`latest`) were measured after: the last one completed, or,
    /// in a run of thousands whose records are thinned, the last one kept.
    #[wasm_bindgen(getter, js_name = latestEpoch)]
    pub fn latest_epoch(&self) -> u32 {
        self.training.epochs().last().map_or(0, |e| e.epoch as u32)
    }

    /// The first epoch's losses, `[train, test]` (before any step).
    pub fn first(&self) -> Vec<f64> {
        self.training
            .epochs()
            .first()
            .map_or(Vec::new(), |e| vec![e.train_loss, e.test_loss])
    }

    /// The parameters the latest losses (`latest`) were measured on: the network at the end of
    /// the last epoch, in `Network.parameters()`'s layout.
    #[wasm_bindgen(js_name = epochParameters)]
    pub fn epoch_parameters(&self) -> Float64Array {
        float64_array(self.training.epoch_parameters())
    }

    /// The last step's ‖∂L/∂W_l‖, first layer first (empty before the first step).
    #[wasm_bindgen(js_name = layerNorms)]
    pub fn layer_norms(&self) -> Vec<f64> {
        self.training
            .last()
            .map_or(Vec::new(), |m| m.layer_norms.clone())
    }

    /// The settings, for the fields and the address: `{dataset, noise, train, hidden, width,
    /// activation, init, std, optimizer, lr, batch, clip, seed}` as a query string.
    pub fn settings(&self) -> String {
        let r = &self.recipe;
        let (std, optimizer) = (book::playground_sigma(r), book::playground_optimizer(r));
        format!(
            "dataset={}&noise={}&train={}&hidden={}&width={}&activation={}&init={}&std={}&optimizer={}&lr={}&batch={}&clip={}&seed={}",
            r.dataset.name(),
            Shortest(r.noise),
            Shortest((r.train_fraction * 100.0 * 1e9).round() / 1e9),
            r.hidden,
            r.width,
            r.network.activation.name(),
            r.network.init.name(),
            Shortest(std),
            optimizer,
            Shortest(r.step.learning_rate),
            r.batch_size,
            Shortest(r.step.clip.unwrap_or(0.0)),
            r.network.seed
        )
    }

    /// Whether the initialisation reads σ (the normal one).
    #[wasm_bindgen(getter, js_name = usesSigma)]
    pub fn uses_sigma(&self) -> bool {
        matches!(self.recipe.network.init, Init::Normal { .. })
    }

    /// The state of the run in a sentence, for the readout.
    pub fn status(&self) -> String {
        let t = &self.training;
        if let Some(d) = t.diverged() {
            return format!(
                "Diverged at step {} (epoch {}): the loss became {}, so training stopped. Lower the learning rate, or turn clipping on, and reset.",
                d.step,
                d.epoch,
                if d.loss.is_nan() { "NaN".to_string() } else { format_significant(d.loss, 3) }
            );
        }
        let Some(e) = t.epochs().last() else {
            return String::new();
        };
        let clipped = match t.clipped_steps() {
            0 => String::new(),
            n => format!(", {n} clipped"),
        };
        format!(
            "epoch {}, step {}{clipped}: train loss {}, test loss {}, test accuracy {}%",
            e.epoch,
            t.steps(),
            format_significant(e.train_loss, 3),
            format_significant(e.test_loss, 3),
            Shortest((e.test_accuracy * 100.0).round())
        )
    }
}

figure!(Playground);
figure!(Playground as LossFigure: draw_loss = drawLoss, loss_frame = lossFrame);
figure!(Playground as NormFigure: draw_norms = drawNorms, norms_frame = normsFrame);

#[cfg(test)]
mod tests {
    use super::*;

    /// (The refusals build a JsError, which exists only in a browser: the e2e tests read them.)
    #[test]
    fn limits_read_as_the_book_writes_numbers() {
        assert_eq!(format(LIMITS.learning_rate.0, Style::Tick), "1e-5");
        assert_eq!(format(LIMITS.learning_rate.1, Style::Tick), "10");
        assert_eq!(within("batch size", 25.0, LIMITS.batch_size).ok(), Some(25));
        assert_eq!(between("noise", 0.5, LIMITS.noise).ok(), Some(0.5));
    }
}

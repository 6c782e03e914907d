//! Training a network on a toy dataset a few batches at a time, as chapter 6's playground
//! does between two frames: the train/test split, minibatches in a fresh order each epoch,
//! each step's per-layer gradient norms and clipping, the losses after every epoch, and the
//! point where a run diverges.
//!
//! The page asks for a handful of batches per frame ([`Training::train`]), so nothing here
//! runs long; the histories are thinned as they grow ([`Thinned`]), so a run left playing
//! for an hour keeps a few thousand records, not millions.
//!
//! ```
//! use calculus::dataset::{generate, split, Dataset};
//! use calculus::nn::training::Training;
//! use calculus::nn::{Activation, Init, Loss, Network, NetworkOptions, StepOptions};
//! use calculus::optim::Optimizer;
//!
//! let data = split(&generate(Dataset::Circle, 200, 0.0, 1)?, 0.5)?;
//! let options = NetworkOptions { activation: Activation::Relu, init: Init::He, seed: 1 };
//! let network = Network::new(&[2, 8, 8, 1], &options)?;
//! let step = StepOptions { optimizer: Optimizer::adam(), loss: Loss::Bce, ..StepOptions::new(0.03) };
//! let mut training = Training::new(network, data, step, 10)?;
//! while training.epoch() < 50 {
//!     training.train(10);
//! }
//! let epochs = training.epochs();
//! assert!(epochs.last().unwrap().test_loss < 0.5 * epochs[0].test_loss);
//! # Ok::<(), calculus::Error>(())
//! ```

pub use super::thinned::Thinned;
use super::{Activation, Loss, Measured, Network, NetworkOptions, StepOptions};
use crate::dataset::{generate, split, Dataset, Split};
use crate::error::{check, Error};
use crate::random::Rng;

/// Everything that decides a run: the data, the network and how it steps. The same recipe
/// always replays the same run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recipe {
    pub dataset: Dataset,
    pub count: usize,
    pub noise: f64,
    pub train_fraction: f64,
    pub hidden: usize,
    pub width: usize,
    /// The activation, the initialisation, and the seed of both the weights and the data.
    pub network: NetworkOptions,
    pub step: StepOptions,
    pub batch_size: usize,
}

impl Recipe {
    /// [2, width × hidden, 1].
    pub fn sizes(&self) -> Vec<usize> {
        let mut sizes = vec![2];
        sizes.extend(std::iter::repeat_n(self.width, self.hidden));
        sizes.push(1);
        sizes
    }

    /// The data split and the network drawn, before any step.
    pub fn start(&self) -> Result<Training, Error> {
        let samples = generate(self.dataset, self.count, self.noise, self.network.seed)?;
        let data = split(&samples, self.train_fraction)?;
        let network = Network::new(&self.sizes(), &self.network)?;
        Training::new(network, data, self.step, self.batch_size)
    }
}

/// The losses (and accuracies) on the whole train and test sets after an epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochRecord {
    /// Epochs completed (0: before any training).
    pub epoch: usize,
    pub train_loss: f64,
    pub test_loss: f64,
    /// The fraction of points on the right side of the boundary (output ≥ 0 ⇔ class 1).
    pub train_accuracy: f64,
    pub test_accuracy: f64,
}

/// One step's gradient, as the step measured it (before clipping).
#[derive(Debug, Clone, PartialEq)]
pub struct StepRecord {
    /// Where in training it was taken, in epochs (2.5: halfway through the third).
    pub at: f64,
    /// ‖∂L/∂W_l‖ per layer, first layer first.
    pub layer_norms: Vec<f64>,
    /// A moving geometric mean of each layer's norm over about the last [`SMOOTHING`] steps:
    /// the trend under the batch-to-batch noise. A norm of 0 counts as 10⁻³⁰.
    pub smoothed_norms: Vec<f64>,
    /// ‖∇L‖ over every parameter.
    pub grad_norm: f64,
    /// How many of the steps this record stands for were clipped.
    pub clipped: usize,
}

/// Where a run stopped because its loss or its parameters stopped being numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Divergence {
    /// The step (counted from 1) whose loss or update was not finite.
    pub step: usize,
    /// Epochs completed before it.
    pub epoch: usize,
    /// That step's batch loss (NaN or ±∞ when the loss itself gave out).
    pub loss: f64,
}

/// A network in training on a split dataset with the bce loss: it steps through the train
/// set in minibatches, a new order each epoch, and measures both sets after each epoch.
#[derive(Debug, Clone)]
pub struct Training {
    network: Network,
    data: Split,
    options: StepOptions,
    batch_size: usize,
    /// Draws each epoch's order (seeded from the network's seed: a run replays exactly).
    rng: Rng,
    order: Vec<usize>,
    /// The next position in `order`; 0 at the start of an epoch.
    cursor: usize,
    epoch: usize,
    steps: usize,
    clipped: usize,
    batch_inputs: Vec<f64>,
    batch_targets: Vec<f64>,
    epochs: Thinned<EpochRecord>,
    step_log: Thinned<StepRecord>,
    /// log10 of each layer's moving geometric mean norm.
    smoothed: Vec<f64>,
    last: Option<Measured>,
    diverged: Option<Divergence>,
    /// The parameters the last epoch record was measured on.
    measured_on: Vec<f64>,
}

/// Steps in the moving geometric mean of [`StepRecord::smoothed_norms`].
pub const SMOOTHING: f64 = 10.0;

/// The most points in one batch.
pub const MAX_BATCH: usize = 10_000;

impl Training {
    /// Training `network` (2 inputs, 1 output) on `data` with `options` (its loss is replaced
    /// by bce: the labels are classes) and batches of `batch_size`; the losses before any
    /// training are the first epoch record.
    pub fn new(
        network: Network,
        data: Split,
        options: StepOptions,
        batch_size: usize,
    ) -> Result<Training, Error> {
        let sizes = network.sizes();
        check(
            "network",
            sizes.first() == Some(&2) && sizes.last() == Some(&1),
            "2 inputs (the point) and 1 output (the logit of class 1)",
        )?;
        let order = (0..data.train.labels.len()).collect();
        let mut training = Training {
            rng: Rng::new(0x5eed ^ network_seed(&network)),
            network,
            data,
            options,
            batch_size: 1,
            order,
            cursor: 0,
            epoch: 0,
            steps: 0,
            clipped: 0,
            batch_inputs: Vec::new(),
            batch_targets: Vec::new(),
            epochs: Thinned::default(),
            step_log: Thinned::default(),
            smoothed: Vec::new(),
            last: None,
            diverged: None,
            measured_on: Vec::new(),
        };
        training.set_options(options, batch_size)?;
        training.record_epoch()?;
        Ok(training)
    }

    /// New step settings, from the next step on: an optimizer of the same kind keeps its
    /// state, as a PyTorch param_group's settings may change in the middle of training.
    pub fn set_options(&mut self, options: StepOptions, batch_size: usize) -> Result<(), Error> {
        options.validate()?;
        check(
            "batch size",
            (1..=MAX_BATCH).contains(&batch_size),
            "a whole number from 1 to 10000",
        )?;
        self.options = StepOptions {
            loss: Loss::Bce,
            ..options
        };
        self.batch_size = batch_size;
        Ok(())
    }

    /// Takes up to `batches` steps, fewer when the run diverges; returns how many it took.
    pub fn train(&mut self, batches: usize) -> usize {
        let mut taken = 0;
        while taken < batches && self.diverged.is_none() {
            self.step();
            taken += 1;
        }
        taken
    }

    /// Steps to the end of the current epoch (or to the divergence); returns the steps taken.
    pub fn train_epoch(&mut self) -> usize {
        let epoch = self.epoch;
        let mut taken = 0;
        while self.epoch == epoch && self.diverged.is_none() {
            self.step();
            taken += 1;
        }
        taken
    }

    /// One minibatch step; the epoch's end measures both sets.
    fn step(&mut self) {
        let n = self.order.len();
        if self.cursor == 0 {
            shuffle(&mut self.rng, &mut self.order);
        }
        let end = (self.cursor + self.batch_size).min(n);
        let rows = &self.order[self.cursor..end];
        self.batch_inputs.clear();
        self.batch_targets.clear();
        for &r in rows {
            self.batch_inputs
                .extend_from_slice(&self.data.train.inputs[2 * r..2 * r + 2]);
            self.batch_targets.push(self.data.train.labels[r]);
        }
        let at = self.epoch as f64 + self.cursor as f64 / n as f64;
        self.steps += 1;
        let measured = self
            .network
            .step(&self.batch_inputs, &self.batch_targets, &self.options);
        let finite = measured.as_ref().is_ok_and(|m| m.loss.is_finite())
            && self.network.parameters().iter().all(|p| p.is_finite());
        if let Ok(m) = &measured {
            self.clipped += usize::from(m.clipped);
            self.smooth(&m.layer_norms);
            self.step_log.push(
                StepRecord {
                    at,
                    layer_norms: m.layer_norms.clone(),
                    smoothed_norms: self.smoothed.iter().map(|l| 10f64.powf(*l)).collect(),
                    grad_norm: m.grad_norm,
                    clipped: usize::from(m.clipped),
                },
                |kept, dropped| kept.clipped += dropped.clipped,
            );
        }
        let loss = measured.as_ref().map_or(f64::NAN, |m| m.loss);
        self.last = measured.ok();
        if !finite {
            self.diverge(loss);
            return;
        }
        self.cursor = end;
        if self.cursor >= n {
            self.cursor = 0;
            self.epoch += 1;
            if self.record_epoch().is_err() {
                self.diverge(loss);
            }
        }
    }

    /// Moves each layer's log-mean a 1/[`SMOOTHING`] of the way to this step's log norm (the
    /// first step sets it); a norm that is not a number leaves it where it was.
    fn smooth(&mut self, norms: &[f64]) {
        let first = self.smoothed.len() != norms.len();
        if first {
            self.smoothed = vec![f64::NAN; norms.len()];
        }
        for (mean, &norm) in self.smoothed.iter_mut().zip(norms) {
            let log = norm.max(1e-30).log10();
            if !log.is_finite() {
                continue;
            }
            *mean = if mean.is_finite() {
                *mean + (log - *mean) / SMOOTHING
            } else {
                log
            };
        }
    }

    fn diverge(&mut self, loss: f64) {
        self.diverged = Some(Divergence {
            step: self.steps,
            epoch: self.epoch,
            loss,
        });
    }

    /// Measures both sets now and records them; an error when a loss is not finite.
    fn record_epoch(&mut self) -> Result<(), Error> {
        let (train_loss, train_accuracy) = self.measure(true)?;
        let (test_loss, test_accuracy) = self.measure(false)?;
        let record = EpochRecord {
            epoch: self.epoch,
            train_loss,
            test_loss,
            train_accuracy,
            test_accuracy,
        };
        self.epochs.push(record, |_, _| {});
        // Past Thinned::CAP records, a record the thinning drops leaves the last one kept.
        if self.epochs.items().last().map(|r| r.epoch) == Some(self.epoch) {
            self.measured_on.clear();
            self.measured_on
                .extend_from_slice(self.network.parameters());
        }
        check(
            "loss",
            train_loss.is_finite() && test_loss.is_finite(),
            "finite",
        )
    }

    /// The mean bce loss and the accuracy on the train or the test set.
    fn measure(&mut self, train: bool) -> Result<(f64, f64), Error> {
        let set = if train {
            &self.data.train
        } else {
            &self.data.test
        };
        let loss = self.network.loss(&set.inputs, &set.labels, Loss::Bce)?;
        let outputs = self.network.predict(&set.inputs)?;
        let right = outputs
            .iter()
            .zip(&set.labels)
            .filter(|(&o, &y)| (o >= 0.0) == (y >= 0.5))
            .count();
        Ok((loss, right as f64 / set.labels.len() as f64))
    }

    /// P(class 1) = σ(output) at each point of a batch (n × 2, row-major).
    pub fn probabilities(&mut self, points: &[f64]) -> Result<Vec<f64>, Error> {
        let outputs = self.network.predict(points)?;
        let mut p = vec![0.0; outputs.len()];
        Activation::Sigmoid.forward(outputs, &mut p);
        Ok(p)
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    pub fn data(&self) -> &Split {
        &self.data
    }

    pub fn options(&self) -> (StepOptions, usize) {
        (self.options, self.batch_size)
    }

    /// Epochs completed.
    pub fn epoch(&self) -> usize {
        self.epoch
    }

    /// Steps taken, counting a diverging one.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// How many steps clip_grad_norm_ scaled down.
    pub fn clipped_steps(&self) -> usize {
        self.clipped
    }

    /// The records after each epoch, epoch 0 (before training) first, thinned.
    pub fn epochs(&self) -> &[EpochRecord] {
        self.epochs.items()
    }

    /// Each step's gradient norms, thinned: a record stands for [`Thinned::stride`] steps.
    pub fn step_log(&self) -> &Thinned<StepRecord> {
        &self.step_log
    }

    /// The parameters the last epoch record (the last of [`epochs`](Self::epochs)) was
    /// measured on: the network at the end of that epoch (the steps since have moved it on).
    pub fn epoch_parameters(&self) -> &[f64] {
        &self.measured_on
    }

    /// What the last step measured.
    pub fn last(&self) -> Option<&Measured> {
        self.last.as_ref()
    }

    pub fn diverged(&self) -> Option<Divergence> {
        self.diverged
    }
}

/// The seed a network was made with is not kept; its first weight is as good a seed for the
/// batch order, and the same network always gives the same one.
fn network_seed(network: &Network) -> u64 {
    network.parameters().first().map_or(0, |w| w.to_bits())
}

/// Fisher–Yates on the epoch's order.
fn shuffle(rng: &mut Rng, order: &mut [usize]) {
    for i in (1..order.len()).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::dataset::{generate, Dataset};
    use crate::nn::{Init, NetworkOptions};
    use crate::optim::Optimizer;

    fn circle() -> Split {
        split(&generate(Dataset::Circle, 200, 0.0, 1).unwrap(), 0.5).unwrap()
    }

    fn network(hidden: usize, width: usize, activation: Activation, init: Init) -> Network {
        let mut sizes = vec![2];
        sizes.extend(std::iter::repeat_n(width, hidden));
        sizes.push(1);
        Network::new(
            &sizes,
            &NetworkOptions {
                activation,
                init,
                seed: 1,
            },
        )
        .unwrap()
    }

    #[test]
    fn an_epoch_steps_through_every_training_row_in_batches() {
        let mut t = Training::new(
            network(1, 4, Activation::Tanh, Init::Xavier),
            circle(),
            StepOptions::new(0.1),
            30,
        )
        .unwrap();
        // 100 rows in batches of 30: 30, 30, 30, 10.
        assert_eq!(t.train_epoch(), 4);
        assert_eq!((t.epoch(), t.steps()), (1, 4));
        let ats: Vec<f64> = t.step_log().items().iter().map(|r| r.at).collect();
        assert_eq!(ats, [0.0, 0.3, 0.6, 0.9]);
        assert_eq!(t.epochs().len(), 2);
        // The moving geometric mean starts at the first norm, then moves a tenth of the way
        // (in log10) towards each next one.
        let log = t.step_log().items();
        // The mean is kept in log10 and shown as 10^mean, a round trip that may move the
        // last bit.
        for (smoothed, norm) in log[0].smoothed_norms.iter().zip(&log[0].layer_norms) {
            assert!(
                (smoothed - norm).abs() < 1e-14 * norm,
                "{smoothed} vs {norm}"
            );
        }
        let (m0, n1) = (log[0].layer_norms[0].log10(), log[1].layer_norms[0].log10());
        let expected = 10f64.powf(m0 + (n1 - m0) / SMOOTHING);
        assert!((log[1].smoothed_norms[0] - expected).abs() < 1e-12 * expected);
        // The last record was measured on the network as it ended the epoch.
        assert_eq!(t.epoch_parameters(), t.network().parameters());
        assert_eq!(t.train(5), 5);
        assert_eq!((t.epoch(), t.steps()), (2, 9));
        assert_ne!(t.epoch_parameters(), t.network().parameters());
        // bce, whatever loss the options named.
        assert_eq!(t.options().0.loss, Loss::Bce);
    }

    #[test]
    fn the_epoch_losses_are_the_networks_bce_on_each_set() {
        let data = circle();
        let mut t = Training::new(
            network(2, 4, Activation::Relu, Init::He),
            data.clone(),
            StepOptions::new(0.1),
            10,
        )
        .unwrap();
        let mut net = t.network().clone();
        let first = t.epochs()[0];
        let g = net
            .gradients(&data.test.inputs, &data.test.labels, Loss::Bce)
            .unwrap();
        assert_eq!(first.test_loss, g.loss);
        let p = t.probabilities(&[0.0, 0.0, 4.0, 4.0]).unwrap();
        let raw = net.predict(&[0.0, 0.0, 4.0, 4.0]).unwrap().to_vec();
        for (p, z) in p.iter().zip(raw) {
            assert!((p - 1.0 / (1.0 + (-z).exp())).abs() < 1e-15);
        }
    }

    #[test]
    fn the_same_settings_replay_the_same_run() {
        let run = || {
            let mut t = Training::new(
                network(2, 6, Activation::Tanh, Init::Xavier),
                circle(),
                StepOptions {
                    optimizer: Optimizer::adam(),
                    ..StepOptions::new(0.01)
                },
                16,
            )
            .unwrap();
            t.train(37);
            t.network().parameters().to_vec()
        };
        assert_eq!(run(), run());
    }

    #[test]
    fn bad_settings_are_refused_and_the_old_ones_kept() {
        let mut t = Training::new(
            network(1, 2, Activation::Relu, Init::He),
            circle(),
            StepOptions::new(0.1),
            10,
        )
        .unwrap();
        let bad_rate = StepOptions::new(-1.0);
        assert!(t.set_options(bad_rate, 10).is_err());
        let bad_clip = StepOptions {
            clip: Some(0.0),
            ..StepOptions::new(0.1)
        };
        assert!(t.set_options(bad_clip, 10).is_err());
        assert!(t.set_options(StepOptions::new(0.1), 0).is_err());
        assert_eq!(t.options().0.learning_rate, 0.1);
        let three_inputs = Network::new(&[3, 1], &NetworkOptions::default()).unwrap();
        assert!(Training::new(three_inputs, circle(), StepOptions::new(0.1), 10).is_err());
    }
}

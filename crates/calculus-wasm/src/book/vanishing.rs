//! Chapter 6's facts: the deep network's defaults, the cliff, and the playground's datasets,
//! runs, menus and limits.

use calculus::dataset::Dataset;
use calculus::nn::training::Recipe;
use calculus::nn::{Activation, Init, Loss, NetworkOptions, StepOptions};
use calculus::Optimizer;

/// Chapter 6's `<calc-deep-gradients>`: a network of `depth` hidden layers of `width` units
/// (2 inputs, 1 output) on `points` points of a dataset with the bce loss. It starts where the
/// chapter's story starts: sigmoid units with small normal weights (σ = `sigma`), whose
/// gradient fades by orders of magnitude towards the input. σ's slider is log10 σ.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DeepGradientsFacts {
    pub depth: u32,
    pub depth_range: (u32, u32),
    pub width: u32,
    pub width_range: (u32, u32),
    /// `(name, label)`: the engine's names, in the select's order, and the one it starts on.
    pub activations: &'static [(&'static str, &'static str)],
    pub activation: usize,
    /// `(name, label)` of the initialisations; `normal` draws N(0, σ²) with σ from the slider.
    pub inits: &'static [(&'static str, &'static str)],
    pub init: usize,
    pub sigma: f64,
    pub sigma_range: (f64, f64),
    pub dataset: &'static str,
    pub points: usize,
    pub seed: u64,
}

/// The hidden activations chapters 5 and 6 offer in their menus: (the engine's name, what the
/// menu says).
pub const ACTIVATIONS: [(&str, &str); 3] =
    [("sigmoid", "sigmoid σ"), ("tanh", "tanh"), ("relu", "ReLU")];

pub const DEEP_GRADIENTS: DeepGradientsFacts = DeepGradientsFacts {
    depth: 10,
    depth_range: (2, 20),
    width: 32,
    width_range: (8, 64),
    activations: &ACTIVATIONS,
    activation: 0,
    inits: &[
        ("normal", "normal, σ below"),
        ("xavier", "Xavier"),
        ("he", "He"),
    ],
    init: 0,
    sigma: 0.1,
    sigma_range: (0.01, 10.0),
    dataset: "spiral",
    points: 64,
    seed: 1,
};

/// Chapter 6's `<calc-cliff>`: a valley sloping gently (at most 0.4) towards w = 3, cut by a
/// ramp that drops 8 over half a unit across the line w = −1 + b/2, where ‖∇f‖ ≈ 18, as in
/// Pascanu, Mikolov and Bengio's cliff. From `start`, `steps` plain gradient steps at `rate`
/// reach the ramp with steps under 0.4 (so they land on it, 0.5 across), then the unclipped
/// walk is thrown about 18 units on while the clipped one (at `threshold`, its slider log10)
/// walks down in steps of at most rate × threshold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CliffFacts {
    pub source: &'static str,
    /// `[wmin, wmax, bmin, bmax]`: room for the thrown walk.
    pub range: [f64; 4],
    pub start: (f64, f64),
    pub rate: f64,
    pub steps: u32,
    pub threshold: f64,
    pub threshold_range: (f64, f64),
}

pub const CLIFF: CliffFacts = CliffFacts {
    source: "0.4sqrt(1 + (w - 3)^2) + 0.1b^2 + 8 - 16(relu(w + 1 - 0.5b) - relu(w + 0.5 - 0.5b))",
    range: [-8.0, 18.0, -10.0, 6.0],
    start: (-7.0, 3.0),
    rate: 1.0,
    steps: 30,
    threshold: 1.0,
    threshold_range: (0.1, 30.0),
};

/// A dataset chapter 6's playground offers, with the square of the plane its map shows
/// (`[xmin, xmax, ymin, ymax]`): TensorFlow Playground's ±6 for its four, the two moons'
/// own neighbourhood for sklearn's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlaygroundData {
    pub dataset: Dataset,
    pub label: &'static str,
    pub range: [f64; 4],
}

const PLANE: [f64; 4] = [-6.0, 6.0, -6.0, 6.0];

pub const PLAYGROUND_DATA: [PlaygroundData; 5] = [
    PlaygroundData {
        dataset: Dataset::Circle,
        label: "circle",
        range: PLANE,
    },
    PlaygroundData {
        dataset: Dataset::Xor,
        label: "xor",
        range: PLANE,
    },
    PlaygroundData {
        dataset: Dataset::Gauss,
        label: "two Gaussians",
        range: PLANE,
    },
    PlaygroundData {
        dataset: Dataset::Spiral,
        label: "spiral",
        range: PLANE,
    },
    PlaygroundData {
        dataset: Dataset::Moons,
        label: "two moons",
        range: [-1.5, 2.5, -1.75, 2.25],
    },
];

/// A run of the playground, named for the part of chapter 6's story it tells.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlaygroundPreset {
    pub key: &'static str,
    pub label: &'static str,
    pub recipe: Recipe,
    /// How many epochs the story needs to show (its test in this module runs them).
    pub epochs: u32,
}

/// The playground's starting settings: ReLU + He on the circle, plain SGD.
const START: Recipe = Recipe {
    dataset: Dataset::Circle,
    count: 500,
    noise: 0.1,
    train_fraction: 0.5,
    hidden: 4,
    width: 8,
    network: NetworkOptions {
        activation: Activation::Relu,
        init: Init::He,
        seed: 1,
    },
    step: StepOptions {
        learning_rate: 0.03,
        optimizer: Optimizer::Gd,
        loss: Loss::Bce,
        clip: None,
    },
    batch_size: 10,
};

/// Eight hidden layers each way: what fails with sigmoid trains with ReLU and He.
const DEEP: Recipe = Recipe { hidden: 8, ..START };

pub const PLAYGROUND_PRESETS: [PlaygroundPreset; 3] = [
    PlaygroundPreset {
        key: "deep-sigmoid",
        label: "deep sigmoid (vanishing)",
        recipe: Recipe {
            network: NetworkOptions {
                activation: Activation::Sigmoid,
                init: Init::Xavier,
                seed: 1,
            },
            step: StepOptions {
                learning_rate: 0.3,
                ..START.step
            },
            ..DEEP
        },
        epochs: 100,
    },
    PlaygroundPreset {
        key: "too-large-init",
        label: "too-large init (exploding)",
        recipe: Recipe {
            width: 16,
            hidden: 6,
            network: NetworkOptions {
                activation: Activation::Relu,
                init: Init::Normal { std: 1.0 },
                seed: 1,
            },
            step: StepOptions {
                learning_rate: 0.1,
                ..START.step
            },
            ..START
        },
        epochs: 30,
    },
    PlaygroundPreset {
        key: "relu-he",
        label: "ReLU + He (trains)",
        recipe: DEEP,
        epochs: 50,
    },
];

/// The playground's menus: (the engine's name, what the menu says).
pub const PLAYGROUND_ACTIVATIONS: [(&str, &str); 4] = [
    ("relu", "ReLU"),
    ("tanh", "tanh"),
    ("sigmoid", "sigmoid"),
    ("linear", "linear (none)"),
];
pub const PLAYGROUND_INITS: [(&str, &str); 4] = [
    ("he", "He"),
    ("xavier", "Xavier"),
    ("normal", "normal, σ ="),
    ("zeros", "zeros"),
];
/// PyTorch's names: `sgd` is plain gradient descent.
pub const PLAYGROUND_OPTIMIZERS: [(&str, &str); 4] = [
    ("sgd", "SGD"),
    ("momentum", "momentum"),
    ("rmsprop", "RMSprop"),
    ("adam", "Adam"),
];

/// The σ a recipe's init reads (1, `torch.nn.init.normal_`'s, for the inits that read none).
pub fn playground_sigma(recipe: &Recipe) -> f64 {
    match recipe.network.init {
        Init::Normal { std } => std,
        _ => 1.0,
    }
}

/// The optimizer the playground calls `name` (PyTorch's names: `sgd` is plain descent), with
/// PyTorch's defaults.
pub fn playground_optimizer_named(name: &str) -> Option<Optimizer> {
    Optimizer::named(if name == "sgd" { "gd" } else { name })
}

/// A recipe's optimizer by the playground's name for it (PyTorch's: `sgd`, not `gd`).
pub fn playground_optimizer(recipe: &Recipe) -> &'static str {
    match recipe.step.optimizer.name() {
        "gd" => "sgd",
        other => other,
    }
}

/// What the playground starts with, and the clipping threshold its checkbox turns on.
pub const PLAYGROUND_START: Recipe = START;
pub const PLAYGROUND_CLIP: f64 = 1.0;

/// What a reader may set in the playground (and what a link may ask for).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlaygroundLimits {
    pub hidden: (usize, usize),
    pub width: (usize, usize),
    pub noise: (f64, f64),
    pub train_percent: (f64, f64),
    pub learning_rate: (f64, f64),
    pub batch_size: (usize, usize),
    pub clip: (f64, f64),
    pub std: (f64, f64),
    pub seed: (u64, u64),
    /// The steps trained that a link replays where it is opened (a deep network's 20,000
    /// steps take about five seconds here).
    pub steps: (usize, usize),
    /// The heat map's cells along each side.
    pub grid: usize,
}

pub const PLAYGROUND_LIMITS: PlaygroundLimits = PlaygroundLimits {
    hidden: (0, 10),
    width: (1, 16),
    noise: (0.0, 0.5),
    train_percent: (10.0, 90.0),
    learning_rate: (1e-5, 10.0),
    batch_size: (1, 250),
    clip: (1e-3, 1e3),
    std: (0.0, 10.0),
    seed: (1, 1_000_000),
    steps: (0, 20_000),
    grid: 48,
};

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use calculus::descent::Descender;

    #[test]
    fn the_cliff_throws_the_unclipped_walk_and_not_the_clipped_one() {
        let mut descender = Descender::new(&calculus::parse(CLIFF.source).expect("the cliff"));
        // Sorted variables: b, w.
        let start = [CLIFF.start.1, CLIFF.start.0];
        let run = |d: &mut Descender, clip| {
            d.run_clipped(
                &start,
                CLIFF.rate,
                CLIFF.steps as usize,
                Optimizer::Gd,
                clip,
            )
            .expect("a run")
        };
        let thrown = run(&mut descender, None);
        let clipped = run(&mut descender, Some(CLIFF.threshold));
        assert!(thrown.longest_step() > 15.0);
        assert!(clipped.longest_step() <= CLIFF.rate * CLIFF.threshold);
        let [umin, umax, vmin, vmax] = CLIFF.range;
        // The throw's landing and the start are on the map.
        for p in &thrown.path {
            assert!(
                (umin..=umax).contains(&p[1]) && (vmin..=vmax).contains(&p[0]),
                "{p:?}"
            );
        }
        let (lo, hi) = CLIFF.threshold_range;
        assert!(lo < CLIFF.threshold && CLIFF.threshold < hi);
        // The slider's top never clips: its walk is the unclipped one.
        assert_eq!(run(&mut descender, Some(hi)).path, thrown.path);
    }

    #[test]
    fn the_deep_network_defaults_are_inside_their_ranges() {
        let d = DEEP_GRADIENTS;
        assert!((d.depth_range.0..=d.depth_range.1).contains(&d.depth));
        assert!((d.width_range.0..=d.width_range.1).contains(&d.width));
        assert!((d.sigma_range.0..=d.sigma_range.1).contains(&d.sigma));
        for (name, _) in d.activations {
            assert!(calculus::nn::Activation::named(name).is_ok(), "{name}");
        }
        for (name, _) in d.inits {
            assert!(
                calculus::nn::Init::named(name, Some(d.sigma)).is_ok(),
                "{name}"
            );
        }
        assert_eq!(d.activations[d.activation].0, "sigmoid");
        assert_eq!(d.inits[d.init].0, "normal");
        assert!(calculus::dataset::Dataset::named(d.dataset).is_ok());
    }

    /// Chapter 6's story, run: each preset does what the prose says of it.
    #[test]
    fn the_playground_presets_tell_chapter_sixs_story() {
        let run = |key: &str| {
            let preset = PLAYGROUND_PRESETS.iter().find(|p| p.key == key).expect(key);
            let mut training = preset.recipe.start().expect(key);
            while training.epoch() < preset.epochs as usize && training.diverged().is_none() {
                training.train(25);
            }
            training
        };
        // Deep sigmoid: the first layer's gradient norm is over 10³ times smaller
        // than the last's (medians over the run), and the loss stays near ln 2 (a coin toss).
        let deep = run("deep-sigmoid");
        assert!(deep.diverged().is_none());
        let median = |layer: usize| {
            let mut v: Vec<f64> = (deep.step_log().items().iter())
                .map(|s| s.layer_norms[layer])
                .collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let (first, last) = (median(0), median(PLAYGROUND_PRESETS[0].recipe.hidden));
        assert!(first < 1e-3 * last, "{first} {last}");
        let last = deep.epochs().last().expect("epochs");
        assert!((last.train_loss - 2f64.ln()).abs() < 0.02, "{last:?}");
        // Too-large init: NaN within the first epoch unclipped; clipped, it learns.
        let exploding = run("too-large-init");
        let at = exploding.diverged().expect("diverges");
        assert!(at.epoch == 0 && at.step < 10 && at.loss.is_nan(), "{at:?}");
        let mut clipped = PLAYGROUND_PRESETS[1];
        clipped.recipe.step.clip = Some(PLAYGROUND_CLIP);
        let mut training = clipped.recipe.start().expect("clipped");
        while training.epoch() < clipped.epochs as usize {
            assert_eq!(training.train(25), 25);
        }
        let epochs = training.epochs();
        assert!(training.clipped_steps() > 0);
        assert!(epochs[epochs.len() - 1].test_loss < 0.05 * epochs[0].test_loss);
        // ReLU + He at the same depth: the loss falls to a tenth of its start.
        let relu = run("relu-he");
        let epochs = relu.epochs();
        assert!(relu.diverged().is_none());
        assert!(epochs[epochs.len() - 1].train_loss < 0.1 * epochs[0].train_loss);
        assert!(epochs[epochs.len() - 1].test_accuracy > 0.9);
    }

    #[test]
    fn the_playground_starts_inside_its_limits() {
        let l = PLAYGROUND_LIMITS;
        for r in [PLAYGROUND_START]
            .iter()
            .chain(PLAYGROUND_PRESETS.iter().map(|p| &p.recipe))
        {
            assert!((l.hidden.0..=l.hidden.1).contains(&r.hidden));
            assert!((l.width.0..=l.width.1).contains(&r.width));
            assert!((l.batch_size.0..=l.batch_size.1).contains(&r.batch_size));
            let (lo, hi) = l.learning_rate;
            assert!((lo..=hi).contains(&r.step.learning_rate));
            assert!(r.start().is_ok());
        }
        assert_eq!(PLAYGROUND_DATA.map(|d| d.dataset), Dataset::ALL);
    }
}

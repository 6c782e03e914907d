//! The book's facts that both the Rust charts and the JS widgets need, written once, here:
//! the example functions and landscapes every widget offers (with their ranges, starts and
//! tuned settings), the widgets' defaults and the limits of what a reader can set.
//!
//! The widgets read them from `build/pkg/book.js`, which `src/bin/book-facts.rs` writes from
//! this module (and the CSS colours from [`chart::theme`](crate::chart::theme)) at every build
//! (`scripts/build.mjs`); esbuild inlines that module into the widget bundles, so reading a
//! fact costs nothing at run time. Nothing in `web/` writes a fact again: tests/api checks it.
//!
//! The engine's own limits stay in the `calculus` crate and are re-exported here:
//! [`MAX_ITERATIONS`] and [`DIVERGENCE_FACTOR`].
//!
//! ```ignore
//! let bowl = &book::LANDSCAPES[book::LAB_LANDSCAPE];
//! assert_eq!((bowl.source, bowl.start, bowl.lab.rate), ("w^2 + b^2", (8.0, 9.0), 0.1));
//! ```

use calculus::dataset::Dataset;
pub use calculus::descent::{DIVERGENCE_FACTOR, MAX_ITERATIONS};
use calculus::nn::training::Recipe;
use calculus::nn::{Activation, Init, Loss, NetworkOptions, StepOptions};
use calculus::Optimizer;

/// A function of one variable the chapter 1 widgets offer, with the range of x where its
/// shape shows (x³ − 3x on [−10, 10] is a flat line with two specks).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Example {
    /// What the reader would type.
    pub source: &'static str,
    /// How the preset list names it.
    pub label: &'static str,
    /// `(xmin, xmax)`.
    pub range: (f64, f64),
}

/// The one-variable examples, in the preset list's order; charts start on the first.
pub const EXAMPLES: [Example; 5] = [
    Example {
        source: "x^2",
        label: "x²",
        range: (-10.0, 10.0),
    },
    Example {
        source: "x^3 - 3x",
        label: "x³ − 3x",
        range: (-3.0, 3.0),
    },
    Example {
        source: "sin(x)",
        label: "sin x",
        range: (-10.0, 10.0),
    },
    Example {
        source: "(x - 2)^2 + 1",
        label: "(x − 2)² + 1",
        range: (-2.0, 6.0),
    },
    Example {
        source: "x^4 - 3x^2 + x",
        label: "x⁴ − 3x² + x",
        range: (-2.5, 2.5),
    },
];

/// A function of two variables (chapters 2 and 3) with the rectangle where it shows,
/// `[wmin, wmax, bmin, bmax]` (the order of the charts' `setRange`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Surface {
    pub source: &'static str,
    pub label: &'static str,
    pub range: [f64; 4],
}

/// The functions that are both surfaces (chapters 2 and 3) and landscapes (chapter 4).
const BOWL: Surface = Surface {
    source: "w^2 + b^2",
    label: "w² + b² (bowl)",
    range: [-10.0, 10.0, -10.0, 10.0],
};
const VALLEY: Surface = Surface {
    source: "w^2 + 10b^2",
    label: "w² + 10b² (long valley)",
    range: [-10.0, 10.0, -10.0, 10.0],
};
const ROSENBROCK: Surface = Surface {
    source: "(1 - w)^2 + 100(b - w^2)^2",
    label: "Rosenbrock",
    range: [-2.0, 2.0, -1.0, 3.0],
};

/// Four minima at height 0, one at (3, 2), around a hump: a landscape where "downhill" depends
/// on where one stands (the summary's first and fourth steps, chapter 4's fourth landscape).
const HIMMELBLAU: Surface = Surface {
    source: "(w^2 + b - 11)^2 + (w + b^2 - 7)^2",
    label: "Himmelblau (four minima)",
    range: [-5.0, 5.0, -5.0, 5.0],
};

/// The surfaces of chapters 2 and 3, in the preset list's order; charts start on the first.
pub const SURFACES: [Surface; 6] = [
    BOWL,
    VALLEY,
    ROSENBROCK,
    Surface {
        source: "sin(w)*cos(b)",
        label: "sin w · cos b",
        range: [-5.0, 5.0, -5.0, 5.0],
    },
    Surface {
        source: "w^2 - b^2",
        label: "w² − b² (saddle)",
        range: [-10.0, 10.0, -10.0, 10.0],
    },
    HIMMELBLAU,
];

/// Plain gradient descent's settings in the lab: a rate that suits the bowl diverges at once
/// on Rosenbrock's steep walls, and the reader should first see each landscape's walk.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Walk {
    pub rate: f64,
    pub steps: u32,
}

/// One of the race's optimizers: its key (in the address, in `setRacer`'s options), its
/// name, and the hyperparameters the race shows beside η, as `(option, symbol)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Racer {
    pub key: &'static str,
    pub name: &'static str,
    pub params: &'static [(&'static str, &'static str)],
}

/// The race's optimizers, in the order of its table, its chart and
/// [`Theme::racers`](crate::chart::theme::Theme::racers).
pub const RACERS: [Racer; 4] = [
    Racer {
        key: "gd",
        name: "Gradient descent",
        params: &[],
    },
    Racer {
        key: "momentum",
        name: "Momentum",
        params: &[("momentum", "μ")],
    },
    Racer {
        key: "rmsprop",
        name: "RMSprop",
        params: &[("alpha", "α")],
    },
    Racer {
        key: "adam",
        name: "Adam",
        params: &[("beta1", "β₁"), ("beta2", "β₂")],
    },
];

/// The race's settings on one landscape: settings that let each optimizer show what it is
/// for. Each racer's are `[η, its params…]` in the order of [`RACERS`] (what
/// `OptimizerRace.settings(i)` returns); ε keeps PyTorch's default.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RaceSettings {
    pub steps: u32,
    pub racers: [&'static [f64]; 4],
}

impl RaceSettings {
    /// Racer `index`'s optimizer and learning rate; None for an index past the four.
    pub fn racer(&self, index: usize) -> Option<(Optimizer, f64)> {
        let values = self.racers.get(index)?;
        let lr = *values.first()?;
        let param = |i: usize| values.get(i).copied();
        let optimizer = match Optimizer::named(RACERS.get(index)?.key)? {
            Optimizer::Gd => Optimizer::Gd,
            Optimizer::Momentum { .. } => Optimizer::Momentum {
                momentum: param(1)?,
            },
            Optimizer::RmsProp { epsilon, .. } => Optimizer::RmsProp {
                alpha: param(1)?,
                epsilon,
            },
            Optimizer::Adam { epsilon, .. } => Optimizer::Adam {
                beta1: param(1)?,
                beta2: param(2)?,
                epsilon,
            },
        };
        Some((optimizer, lr))
    }
}

/// A landscape of chapter 4, with the settings the lab and the race start it with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Landscape {
    pub source: &'static str,
    pub label: &'static str,
    /// `[wmin, wmax, bmin, bmax]`.
    pub range: [f64; 4],
    /// Where the lab and the race start on it.
    pub start: (f64, f64),
    pub lab: Walk,
    pub race: RaceSettings,
}

/// Chapter 4's landscapes. On the long valley plain descent must keep η under 2/20 = 0.1 and
/// zig-zags across the valley at 0.09; momentum at a smaller rate gets there far sooner.
pub const LANDSCAPES: [Landscape; 4] = [
    Landscape {
        source: BOWL.source,
        label: BOWL.label,
        range: BOWL.range,
        start: (8.0, 9.0),
        lab: Walk {
            rate: 0.1,
            steps: 30,
        },
        race: RaceSettings {
            steps: 100,
            racers: [&[0.1], &[0.05, 0.9], &[0.3, 0.99], &[0.5, 0.9, 0.999]],
        },
    },
    Landscape {
        source: VALLEY.source,
        label: VALLEY.label,
        range: VALLEY.range,
        start: (-9.0, 2.0),
        lab: Walk {
            rate: 0.09,
            steps: 100,
        },
        race: RaceSettings {
            steps: 100,
            racers: [&[0.09], &[0.05, 0.5], &[0.1, 0.99], &[0.5, 0.9, 0.999]],
        },
    },
    Landscape {
        source: ROSENBROCK.source,
        label: ROSENBROCK.label,
        range: ROSENBROCK.range,
        start: (-1.5, 2.5),
        lab: Walk {
            rate: 0.0015,
            steps: 500,
        },
        race: RaceSettings {
            steps: 500,
            racers: [&[0.0015], &[0.001, 0.9], &[0.01, 0.99], &[0.1, 0.9, 0.999]],
        },
    },
    Landscape {
        source: HIMMELBLAU.source,
        label: HIMMELBLAU.label,
        range: HIMMELBLAU.range,
        start: (0.0, 0.0),
        lab: Walk {
            rate: 0.01,
            steps: 100,
        },
        race: RaceSettings {
            steps: 200,
            racers: [&[0.01], &[0.005, 0.9], &[0.05, 0.99], &[0.1, 0.9, 0.999]],
        },
    },
];

/// The landscape the lab starts on (and with it the loss curve and the sweep): the bowl.
pub const LAB_LANDSCAPE: usize = 0;
/// The landscape the race starts on: the long valley, where plain descent zig-zags.
pub const RACE_LANDSCAPE: usize = 1;

/// A learning rate of the chapter's story on the bowl, with the steps it needs to tell it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RatePreset {
    pub rate: f64,
    pub label: &'static str,
    pub steps: u32,
}

/// The lab's rate buttons. At 1.05 the bowl's loss grows by 1.21 a step and passes the
/// divergence bound ([`DIVERGENCE_FACTOR`] times the start's) at step 73.
pub const RATE_PRESETS: [RatePreset; 4] = [
    RatePreset {
        rate: 0.01,
        label: "too small",
        steps: 30,
    },
    RatePreset {
        rate: 0.1,
        label: "just right",
        steps: 30,
    },
    RatePreset {
        rate: 0.95,
        label: "oscillating",
        steps: 30,
    },
    RatePreset {
        rate: 1.05,
        label: "diverging",
        steps: 100,
    },
];

/// The learning rates a reader can set in the lab (its slider, its field, the live number in
/// the prose), and the range the sweep runs over: 0.001 to 2.
pub const RATE_RANGE: (f64, f64) = calculus::sweep::RATES;

/// The most steps the lab and the race take: a walk a reader can still watch. (The engine's
/// own limit, for any caller, is [`MAX_ITERATIONS`].)
pub const MAX_STEPS: u32 = 500;

/// How far from the origin a start may be typed (or come from the address), in each
/// coordinate.
pub const START_LIMIT: f64 = 1e6;

/// Chapter 1's `<calc-derivative>`: its point, its numerical samples and how many a reader
/// may ask for. Its function and range are [`EXAMPLES`]`[0]`'s.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DerivativeFacts {
    pub x: f64,
    pub samples: u32,
    /// What the samples field and attribute accept, as the chart does (0 hides the samples).
    pub samples_limit: (u32, u32),
}

pub const DERIVATIVE: DerivativeFacts = DerivativeFacts {
    x: 1.0,
    samples: 100,
    samples_limit: (2, 5000),
};

/// Chapter 1's `<calc-secant>`: x, h, the range of h (its slider is log10 of 1/h) and the
/// chart's range around x = 1. Its function is [`EXAMPLES`]`[0]`'s.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SecantFacts {
    pub x: f64,
    pub h: f64,
    pub h_range: (f64, f64),
    pub range: (f64, f64),
}

pub const SECANT: SecantFacts = SecantFacts {
    x: 1.0,
    h: 1.0,
    h_range: (1e-3, 1.0),
    range: (-1.0, 3.0),
};

/// Chapter 1's `<calc-numerical-error>`: its samples, its slider's range, and what the chart
/// accepts (an attribute may ask for more than the slider reaches). Function and range are
/// [`EXAMPLES`]`[0]`'s.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NumericalErrorFacts {
    pub samples: u32,
    pub slider: (u32, u32),
    pub samples_limit: (u32, u32),
}

pub const NUMERICAL_ERROR: NumericalErrorFacts = NumericalErrorFacts {
    samples: 100,
    slider: (3, 400),
    samples_limit: (3, 5000),
};

/// Chapter 2's `<calc-partial>`: the slice holds b at `at` and the point starts at `point` on
/// it; the surface is seen from `yaw` and `pitch` (radians), the pitch kept in `pitch_range`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PartialFacts {
    pub at: f64,
    pub point: f64,
    pub yaw: f64,
    pub pitch: f64,
    pub pitch_range: (f64, f64),
}

pub const PARTIAL: PartialFacts = PartialFacts {
    at: 5.0,
    point: 3.0,
    yaw: -0.6,
    pitch: 0.55,
    pitch_range: (0.05, 1.5),
};

/// Chapter 3's `<calc-gradient>`: the probe and the arrows per side of the field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GradientFacts {
    pub probe: (f64, f64),
    pub arrows: u32,
    pub arrows_range: (u32, u32),
}

pub const GRADIENT: GradientFacts = GradientFacts {
    probe: (3.0, 4.0),
    arrows: 11,
    arrows_range: (3, 40),
};

/// Chapter 4's `<calc-lr-sweep>`: the steps of each run, how many a page may ask for, and
/// how many rates (spaced evenly in log over [`RATE_RANGE`]) it runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepFacts {
    pub steps: u32,
    pub steps_range: (u32, u32),
    pub points: usize,
}

pub const SWEEP: SweepFacts = SweepFacts {
    steps: 100,
    steps_range: (1, 1000),
    points: calculus::sweep::POINTS,
};

/// What the race accepts from the address for a learning rate and for a hyperparameter
/// (momentum, α, β₁, β₂: fractions below 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RaceLimits {
    pub rate_range: (f64, f64),
    pub fraction_range: (f64, f64),
}

pub const RACE_LIMITS: RaceLimits = RaceLimits {
    rate_range: (1e-6, 100.0),
    fraction_range: (0.0, 0.9999),
};

/// A chain of three links chapter 5's gears offer, x → A → B → C: each link a formula of one
/// variable (by custom, the gear before it: A(x), B(A), C(B)).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Chain {
    pub links: [&'static str; 3],
    pub label: &'static str,
}

/// The chains, in the preset list's order; the gears start on the first, the plan's.
pub const CHAINS: [Chain; 6] = [
    Chain {
        links: ["x^2", "sin(A)", "exp(B)"],
        label: "x² → sin → exp",
    },
    Chain {
        links: ["x^2", "cos(A)", "exp(B)"],
        label: "x² → cos → exp (turns backwards)",
    },
    Chain {
        links: ["3x - 1", "sigmoid(A)", "(B - 1)^2"],
        label: "neuron: 3x − 1 → σ → error²",
    },
    Chain {
        links: ["sigmoid(x)", "sigmoid(A)", "sigmoid(B)"],
        label: "σ → σ → σ (the product shrinks)",
    },
    Chain {
        links: ["3x", "3A", "3B"],
        label: "3x → 3A → 3B (the product grows)",
    },
    Chain {
        links: ["relu(x)", "2A", "relu(B - 1)"],
        label: "relu → 2A → relu (stops)",
    },
];

/// Chapter 5's `<calc-gears>`: x, the x slider's range, how far one arrow key turns gear X
/// (degrees; with Shift, the larger), and the ratios a gear's drawn area can show (beyond
/// them it is drawn at the limit).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GearsFacts {
    pub x: f64,
    pub x_range: (f64, f64),
    pub turn_step: f64,
    pub turn_step_large: f64,
    pub ratio_shown: (f64, f64),
}

pub const GEARS: GearsFacts = GearsFacts {
    x: 1.0,
    x_range: (-3.0, 3.0),
    turn_step: 5.0,
    turn_step_large: 45.0,
    ratio_shown: (1.0 / 9.0, 3.0),
};

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
    grid: 48,
};

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use calculus::descent::Descender;

    #[test]
    fn every_example_parses_with_one_variable_and_a_range() {
        for e in EXAMPLES {
            let expr = calculus::parse(e.source).expect(e.source);
            assert!(calculus::Function1::new(&expr).is_ok(), "{}", e.source);
            assert!(e.range.0 < e.range.1, "{}", e.source);
        }
        for s in SURFACES {
            assert!(calculus::parse(s.source).is_ok(), "{}", s.source);
            assert!(
                s.range[0] < s.range[1] && s.range[2] < s.range[3],
                "{}",
                s.source
            );
        }
    }

    #[test]
    fn every_chain_composes_and_starts_inside_its_slider() {
        for c in CHAINS {
            let links: Vec<_> = c
                .links
                .iter()
                .map(|s| calculus::parse(s).expect(s))
                .collect();
            assert!(calculus::chain::Chain::new(&links).is_ok(), "{}", c.label);
        }
        let (lo, hi) = GEARS.x_range;
        assert!(lo < GEARS.x && GEARS.x < hi);
    }

    #[test]
    fn the_lab_starts_each_landscape_inside_its_map_and_its_limits() {
        for l in LANDSCAPES {
            let [umin, umax, vmin, vmax] = l.range;
            assert!((umin..=umax).contains(&l.start.0) && (vmin..=vmax).contains(&l.start.1));
            assert!(
                (RATE_RANGE.0..=RATE_RANGE.1).contains(&l.lab.rate),
                "{}",
                l.source
            );
            assert!((1..=MAX_STEPS).contains(&l.lab.steps), "{}", l.source);
            assert!((1..=MAX_STEPS).contains(&l.race.steps), "{}", l.source);
        }
        for p in RATE_PRESETS {
            assert!((RATE_RANGE.0..=RATE_RANGE.1).contains(&p.rate));
            assert!(p.steps <= MAX_STEPS);
        }
        assert!(MAX_STEPS as usize <= MAX_ITERATIONS);
        assert!(SWEEP.steps_range.1 as usize <= MAX_ITERATIONS);
        // The bowl is the first surface and the first landscape; the valley the second.
        assert_eq!(LANDSCAPES[LAB_LANDSCAPE].source, SURFACES[0].source);
        assert_eq!(LANDSCAPES[RACE_LANDSCAPE].source, SURFACES[1].source);
    }

    #[test]
    fn every_racer_has_its_settings_and_they_are_valid() {
        for l in LANDSCAPES {
            for (i, r) in RACERS.iter().enumerate() {
                assert_eq!(
                    l.race.racers[i].len(),
                    1 + r.params.len(),
                    "{} {}",
                    l.source,
                    r.key
                );
                let (optimizer, lr) = l.race.racer(i).expect(r.key);
                assert_eq!(optimizer.name(), r.key);
                assert!(
                    optimizer.validate().is_ok() && lr > 0.0,
                    "{} {}",
                    l.source,
                    r.key
                );
                for &p in &l.race.racers[i][1..] {
                    let (lo, hi) = RACE_LIMITS.fraction_range;
                    assert!((lo..=hi).contains(&p), "{} {}: {p}", l.source, r.key);
                }
            }
        }
        assert_eq!(LANDSCAPES[0].race.racer(4), None);
        // The valley's momentum: μ = 0.5 at η = 0.05, ε PyTorch's.
        assert_eq!(
            LANDSCAPES[RACE_LANDSCAPE].race.racer(1),
            Some((Optimizer::Momentum { momentum: 0.5 }, 0.05))
        );
    }

    /// The story the rate buttons tell on the bowl from (8, 9): 0.01 crawls, 0.1 arrives,
    /// 0.95 overshoots back and forth, 1.05 diverges within its 100 steps (at step 73).
    #[test]
    fn the_rate_presets_tell_the_bowls_story() {
        let bowl = LANDSCAPES[LAB_LANDSCAPE];
        let mut descender = Descender::new(&calculus::parse(bowl.source).expect("the bowl"));
        let start = [bowl.start.0, bowl.start.1];
        let run = |d: &mut Descender, p: &RatePreset| {
            d.run(&start, p.rate, p.steps as usize, Optimizer::Gd)
                .expect("a run")
        };
        let [small, right, oscillating, diverging] = RATE_PRESETS;
        let f0 = 145.0;
        let end = |r: &calculus::Descent| *r.loss.last().expect("a loss");
        assert!(end(&run(&mut descender, &small)) > 0.2 * f0);
        assert!(end(&run(&mut descender, &right)) < 1e-3);
        let o = run(&mut descender, &oscillating);
        assert!(!o.diverged && o.path[1][0] < 0.0 && o.path[2][0] > 0.0);
        let d = run(&mut descender, &diverging);
        assert!(d.diverged);
        assert_eq!(d.path.len(), 73);
    }

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

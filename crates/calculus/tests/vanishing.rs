//! Chapter 6's claims, checked on the engine the page runs: gradients vanish through a deep
//! sigmoid network and stay level through ReLU with He's initialisation; the slopes of
//! sigmoid and tanh are at most 1/4 and 1, which is why; and clipping caps a step on a cliff.

use calculus::dataset::{generate, Dataset};
use calculus::nn::{Activation, Init, Loss, Network, NetworkOptions};
use calculus::{derivatives, linspace, parse, Descender, Optimizer};

/// 10 hidden layers of 32 units between the 2 inputs and the 1 output.
const HIDDEN: usize = 10;
const WIDTH: usize = 32;

/// ‖∂L/∂W₁‖ / ‖∂L/∂W₁₀‖, the first layer's gradient over the last hidden layer's, on 64
/// points of the spiral (no noise) with the bce loss, as chapter 6's chart shows them.
fn first_over_last(activation: Activation, init: Init, seed: u64) -> f64 {
    let data = generate(Dataset::Spiral, 64, 0.0, 1).unwrap();
    let mut sizes = vec![2];
    sizes.extend([WIDTH; HIDDEN]);
    sizes.push(1);
    let options = NetworkOptions {
        activation,
        init,
        seed,
    };
    let mut net = Network::new(&sizes, &options).unwrap();
    let measured = net
        .gradients(&data.inputs, &data.labels, Loss::Bce)
        .unwrap();
    assert_eq!(measured.layer_norms.len(), HIDDEN + 1);
    measured.layer_norms[0] / measured.layer_norms[HIDDEN - 1]
}

/// Backpropagation multiplies by σ′(z)·W once per layer; σ′ ≤ 1/4 and Xavier's weights keep
/// ‖W‖ near 1 in effect, so ten layers shrink the gradient by several orders of magnitude.
/// (Measured, seeds 1–3: 6.9e-6, 1.6e-6, 1.8e-6.)
#[test]
fn ten_sigmoid_layers_with_xavier_init_vanish_towards_the_input() {
    for seed in 1..=3 {
        let ratio = first_over_last(Activation::Sigmoid, Init::Xavier, seed);
        assert!(ratio < 1e-3, "seed {seed}: layer 1 / layer 10 = {ratio:e}");
    }
}

/// ReLU's slope is 1 where a unit is on, and He's σ = √(2/fan_in) makes up for the half that
/// are off, so the backward pass neither shrinks nor grows. Within 20× rather than 2×: layer 1
/// has only 2 inputs per unit where the others have 32, so even equal gradients per weight
/// would make its Frobenius norm √(2/32) = 1/4 of theirs, and ten random layers scatter it
/// further. (Measured, seeds 1–3: 0.053, 0.31, 0.33; the sigmoid's are 10⁴ times smaller.)
#[test]
fn ten_relu_layers_with_he_init_stay_level() {
    for seed in 1..=3 {
        let ratio = first_over_last(Activation::Relu, Init::He, seed);
        assert!(
            (1.0 / 20.0..=20.0).contains(&ratio),
            "seed {seed}: layer 1 / layer 10 = {ratio}"
        );
        let sigmoid = first_over_last(Activation::Sigmoid, Init::Xavier, seed);
        assert!(ratio > 1e3 * sigmoid, "seed {seed}");
    }
}

/// The forward signal fades with the gradient: with N(0, 0.1²) weights every sigmoid unit
/// sits near σ(0) = 1/2 whatever the input, and each layer passes on less of the spread.
#[test]
fn small_weights_through_sigmoids_shrink_the_activations_spread_layer_by_layer() {
    let data = generate(Dataset::Spiral, 64, 0.0, 1).unwrap();
    let mut sizes = vec![2];
    sizes.extend([WIDTH; HIDDEN]);
    sizes.push(1);
    let options = NetworkOptions {
        activation: Activation::Sigmoid,
        init: Init::Normal { std: 0.1 },
        seed: 1,
    };
    let mut net = Network::new(&sizes, &options).unwrap();
    net.gradients(&data.inputs, &data.labels, Loss::Bce)
        .unwrap();
    let spreads = net.activation_spreads();
    assert_eq!(spreads.len(), HIDDEN);
    assert!(
        spreads.windows(2).all(|pair| pair[1] < pair[0]),
        "{spreads:?}"
    );
    assert!(spreads[HIDDEN - 1] < 1e-6 * spreads[0], "{spreads:?}");
}

/// The largest slope of each activation over [−10, 10], from the graph: σ′ peaks at 1/4 and
/// tanh′ at 1, both at 0. A product of ten factors of at most 1/4 is at most 10⁻⁶.
#[test]
fn sigmoid_slopes_are_at_most_a_quarter_and_tanh_slopes_at_most_one() {
    let xs = linspace(-10.0, 10.0, 2001);
    let steepest = |source: &str| {
        let slopes = derivatives(&parse(source).unwrap(), &xs).unwrap();
        slopes.iter().fold(0.0f64, |m, &s| m.max(s.abs()))
    };
    assert!((steepest("sigmoid(x)") - 0.25).abs() < 1e-15);
    assert!((steepest("tanh(x)") - 1.0).abs() < 1e-15);
    assert!(0.25f64.powi(10) < 1e-6);
}

/// Chapter 6's cliff (the book's `CLIFF`): a valley sloping gently (at most 0.4) towards
/// w = 3, cut by a ramp that drops 8 over half a unit across the line w = −1 + b/2, where
/// ‖∇f‖ = 16·‖(1, −1/2)‖ ≈ 18.
const CLIFF: &str =
    "0.4sqrt(1 + (w - 3)^2) + 0.1b^2 + 8 - 16(relu(w + 1 - 0.5b) - relu(w + 0.5 - 0.5b))";

/// 30 steps at rate 1 from (w, b) = (−7, 3), as the page runs them.
fn cliff_run(clip: Option<f64>) -> calculus::Descent {
    let mut descender = Descender::new(&parse(CLIFF).unwrap());
    // Variables in sorted order: b, then w.
    descender
        .run_clipped(&[3.0, -7.0], 1.0, 30, Optimizer::Gd, clip)
        .unwrap()
}

/// The walk reaches the ramp with steps shorter than the ramp is wide (the valley's slope is
/// under 0.4, the ramp 0.5 across), so it lands on it whatever the threshold.
#[test]
fn clipping_caps_every_step_on_the_cliff_at_the_rate_times_the_threshold() {
    for threshold in [0.1, 0.3, 1.0, 3.0, 10.0] {
        let run = cliff_run(Some(threshold));
        assert!(!run.diverged);
        assert!(
            run.longest_step() <= threshold,
            "threshold {threshold}: {}",
            run.longest_step()
        );
    }
    // Unclipped, the step from the ramp is the whole of rate × ‖∇f‖ ≈ 18.
    let thrown = cliff_run(None);
    assert!(thrown.longest_step() > 15.0, "{}", thrown.longest_step());
    // A threshold above the steepest gradient never clips: the same walk.
    assert_eq!(cliff_run(Some(30.0)).path, thrown.path);
}

#[test]
fn the_unclipped_walk_is_thrown_past_the_valley_and_the_clipped_one_settles_in_it() {
    let thrown = cliff_run(None);
    let clipped = cliff_run(Some(1.0));
    // Points are (b, w). The clipped walk ends at the valley's floor, w = 3, b = 0; the thrown
    // one lands 16 units on, at w ≈ 15.7, and is still crawling back when the steps run out.
    let end = |run: &calculus::Descent| run.path.last().cloned().unwrap();
    let (tb, tw) = (end(&thrown)[0], end(&thrown)[1]);
    let (cb, cw) = (end(&clipped)[0], end(&clipped)[1]);
    assert!((cw - 3.0).hypot(cb) < 0.1, "clipped ends at ({cw}, {cb})");
    assert!((tw - 3.0).hypot(tb) > 5.0, "thrown ends at ({tw}, {tb})");
    let farthest = thrown.path.iter().map(|p| p[1]).fold(f64::MIN, f64::max);
    assert!(farthest > 15.0, "{farthest}");
    // The recorded gradients are ∇f itself: on the ramp ‖∇f‖ ≈ 18, clipped or not.
    let steepest = |run: &calculus::Descent| {
        run.gradients
            .iter()
            .map(|g| g[0].hypot(g[1]))
            .fold(0.0, f64::max)
    };
    assert!(steepest(&clipped) > 17.0 && steepest(&thrown) > 17.0);
}

#[test]
fn a_threshold_that_is_not_a_positive_number_is_refused() {
    let mut descender = Descender::new(&parse(CLIFF).unwrap());
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let err = descender
            .run_clipped(&[3.0, -7.0], 1.0, 30, Optimizer::Gd, Some(bad))
            .unwrap_err();
        assert_eq!(err.to_string(), "clip must be a positive finite number");
    }
}

//! The network engine: every gradient against the one expression graph (the same network
//! written out as a formula), hand-worked steps, PyTorch's clipping and initialisation
//! rules, and the datasets' definitions.

use calculus::dataset::{generate, Dataset};
use calculus::expr::build::{add, call, div, mul, neg, num, pow, sub};
use calculus::nn::{Activation, Init, Loss, Network, NetworkOptions, StepOptions, MAX_PARAMETERS};
use calculus::optim::Optimizer;
use calculus::random::Rng;
use calculus::{gradient, Expr, Func};

fn var(i: usize) -> Expr {
    Expr::Var(format!("p{i}"))
}

/// The batch's mean loss as one formula in the parameters p0, p1, …, laid out as
/// `Network::parameters` lays them out.
fn loss_formula(
    sizes: &[usize],
    activation: Activation,
    loss: Loss,
    inputs: &[f64],
    targets: &[f64],
) -> Expr {
    let n = inputs.len() / sizes[0];
    let outputs = sizes[sizes.len() - 1];
    let mut total = num(0.0);
    for s in 0..n {
        let mut a: Vec<Expr> = inputs[s * sizes[0]..(s + 1) * sizes[0]]
            .iter()
            .map(|&x| num(x))
            .collect();
        let mut offset = 0;
        for (l, pair) in sizes.windows(2).enumerate() {
            let (m, k) = (pair[0], pair[1]);
            let last = l == sizes.len() - 2;
            a = (0..k)
                .map(|j| {
                    let mut z = var(offset + m * k + j);
                    for (i, x) in a.iter().enumerate() {
                        z = add(z, mul(var(offset + j * m + i), x.clone()));
                    }
                    match (last, activation) {
                        (true, _) | (false, Activation::Linear) => z,
                        (false, Activation::Tanh) => call(Func::Tanh, z),
                        (false, Activation::Sigmoid) => call(Func::Sigmoid, z),
                        (false, Activation::Relu) => call(Func::Relu, z),
                    }
                })
                .collect();
            offset += m * k + k;
        }
        for (o, &y) in a.into_iter().zip(&targets[s * outputs..]) {
            let term = match loss {
                Loss::Mse => pow(sub(o, num(y)), num(2.0)),
                // max(o, 0) − o·y + ln(1 + e^−|o|)
                Loss::Bce => add(
                    sub(call(Func::Relu, o.clone()), mul(o.clone(), num(y))),
                    call(
                        Func::Ln,
                        add(num(1.0), call(Func::Exp, neg(call(Func::Abs, o)))),
                    ),
                ),
            };
            total = add(total, term);
        }
    }
    div(total, num((n * outputs) as f64))
}

fn close(got: f64, want: f64, tolerance: f64) -> bool {
    (got - want).abs() <= tolerance * (1.0 + want.abs())
}

#[test]
fn every_gradient_matches_the_expression_graph() {
    let shapes: [&[usize]; 4] = [&[2, 3, 1], &[1, 2, 2, 2], &[3, 4, 2], &[2, 1]];
    let mut checked = 0;
    for (seed, sizes) in shapes.into_iter().enumerate() {
        for activation in Activation::ALL {
            for loss in [Loss::Mse, Loss::Bce] {
                let options = NetworkOptions {
                    activation,
                    init: Init::Normal { std: 0.8 },
                    seed: seed as u64 + 10,
                };
                let mut net = Network::new(sizes, &options).unwrap();
                // Biases start at 0; make them count.
                let mut rng = Rng::new(99 + seed as u64);
                let params: Vec<f64> = net
                    .parameters()
                    .iter()
                    .map(|p| p + 0.3 * rng.normal())
                    .collect();
                net.set_parameters(&params).unwrap();
                let n = 3;
                let inputs: Vec<f64> = (0..n * sizes[0]).map(|_| rng.between(-2.0, 2.0)).collect();
                let outputs = sizes[sizes.len() - 1];
                let targets: Vec<f64> = (0..n * outputs)
                    .map(|i| match loss {
                        Loss::Mse => rng.between(-1.0, 1.0),
                        Loss::Bce => [0.0, 1.0, 0.25][i % 3],
                    })
                    .collect();
                let measured = net.gradients(&inputs, &targets, loss).unwrap();

                let formula = loss_formula(sizes, activation, loss, &inputs, &targets);
                let names: Vec<String> = (0..params.len()).map(|i| format!("p{i}")).collect();
                let point: Vec<(&str, f64)> = names
                    .iter()
                    .map(String::as_str)
                    .zip(params.iter().copied())
                    .collect();
                let want_loss = calculus::evaluate(&formula, &point).unwrap();
                assert!(
                    close(measured.loss, want_loss, 1e-12),
                    "{sizes:?} {activation:?} {loss:?}: loss {} vs {want_loss}",
                    measured.loss
                );
                for (name, want) in gradient(&formula, &point).unwrap() {
                    let i: usize = name[1..].parse().unwrap();
                    let got = net.gradient()[i];
                    assert!(
                        close(got, want, 1e-12),
                        "{sizes:?} {activation:?} {loss:?}: ∂L/∂p{i} = {got}, graph says {want}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 300, "{checked}");
}

#[test]
fn a_tanh_network_by_hand() {
    // x = 1 → h = tanh(0.5·1 + 0) → ŷ = 2h + 0.1, mse against y = 0: L = ŷ².
    let mut net = Network::new(&[1, 1, 1], &NetworkOptions::default()).unwrap();
    net.set_parameters(&[0.5, 0.0, 2.0, 0.1]).unwrap();
    let h = 0.5f64.tanh();
    let y_hat = 2.0 * h + 0.1;
    let m = net.gradients(&[1.0], &[0.0], Loss::Mse).unwrap();
    assert!(close(m.loss, y_hat * y_hat, 1e-15));
    let d_out = 2.0 * y_hat;
    let d_hidden = d_out * 2.0 * (1.0 - h * h);
    let want = [d_hidden, d_hidden, d_out * h, d_out];
    for (got, want) in net.gradient().iter().zip(want) {
        assert!(close(*got, want, 1e-15), "{got} vs {want}");
    }
    assert!(close(m.layer_norms[0], d_hidden.abs(), 1e-15));
    assert!(close(m.layer_norms[1], (d_out * h).abs(), 1e-15));
    let total = want.iter().map(|g| g * g).sum::<f64>().sqrt();
    assert!(close(m.grad_norm, total, 1e-15));
}

#[test]
fn bce_never_overflows() {
    // ŷ = 1000·x. At x = 1, target 0: L = max(1000, 0) + ln(1 + e^−1000) = 1000, dL/dw = σ(1000) = 1.
    let mut net = Network::new(&[1, 1], &NetworkOptions::default()).unwrap();
    net.set_parameters(&[1000.0, 0.0]).unwrap();
    let m = net.gradients(&[1.0], &[0.0], Loss::Bce).unwrap();
    assert_eq!(m.loss, 1000.0);
    assert_eq!(net.gradient(), [1.0, 1.0]);
    // x = −1, target 1: L = 0 + 1000 + ln(1 + e^−1000) = 1000, dL/dŷ = σ(−1000) − 1 = −1.
    let m = net.gradients(&[-1.0], &[1.0], Loss::Bce).unwrap();
    assert_eq!(m.loss, 1000.0);
    assert_eq!(net.gradient(), [1.0, -1.0]);
    // At ŷ = 0 the loss is ln 2 whatever the target.
    net.set_parameters(&[0.0, 0.0]).unwrap();
    let m = net.gradients(&[1.0, 1.0], &[0.0, 1.0], Loss::Bce).unwrap();
    assert!(close(m.loss, std::f64::consts::LN_2, 1e-16));
}

#[test]
fn clipping_is_clip_grad_norm() {
    // ŷ = w·x + b at w = 1, b = 0, x = 1, y = 3: ∇L = (−4, −4), ‖∇L‖ = 4√2.
    let total = 4.0 * 2f64.sqrt();
    let mut net = Network::new(&[1, 1], &NetworkOptions::default()).unwrap();
    net.set_parameters(&[1.0, 0.0]).unwrap();
    let options = StepOptions {
        clip: Some(1.0),
        ..StepOptions::new(1.0)
    };
    let m = net.step(&[1.0], &[3.0], &options).unwrap();
    assert!(m.clipped);
    assert_eq!(m.grad_norm, total);
    let scale = 1.0 / (total + 1e-6);
    assert_eq!(net.parameters(), [1.0 + 4.0 * scale, 4.0 * scale]);

    // A clip above the norm leaves the step alone: lr 0.1 moves each by 0.4.
    net.set_parameters(&[1.0, 0.0]).unwrap();
    let options = StepOptions {
        clip: Some(10.0),
        ..StepOptions::new(0.1)
    };
    let m = net.step(&[1.0], &[3.0], &options).unwrap();
    assert!(!m.clipped);
    assert_eq!(net.parameters(), [1.0 + 0.1 * 4.0, 0.1 * 4.0]);
}

#[test]
fn optimizer_state_carries_across_steps() {
    // ŷ = w·x + b at x = 1 against y = 3: both parameters see g = 2(w + b − 3), so each
    // takes the same step as the one-parameter rule written out below.
    for optimizer in [
        Optimizer::Gd,
        Optimizer::momentum(),
        Optimizer::rms_prop(),
        Optimizer::adam(),
    ] {
        let mut net = Network::new(&[1, 1], &NetworkOptions::default()).unwrap();
        net.set_parameters(&[1.0, 0.0]).unwrap();
        let options = StepOptions {
            optimizer,
            ..StepOptions::new(0.05)
        };
        // The PyTorch rules written out for the two parameters, which see the same g.
        let (mut w, mut b) = (1.0f64, 0.0f64);
        let (mut buf, mut sq) = (0.0f64, 0.0f64);
        for t in 1..=5 {
            net.step(&[1.0], &[3.0], &options).unwrap();
            let g = 2.0 * (w + b - 3.0);
            let delta = match optimizer {
                Optimizer::Gd => 0.05 * g,
                Optimizer::Momentum { momentum } => {
                    buf = if t == 1 { g } else { momentum * buf + g };
                    0.05 * buf
                }
                Optimizer::RmsProp { alpha, epsilon } => {
                    sq = alpha * sq + (1.0 - alpha) * g * g;
                    0.05 * g / (sq.sqrt() + epsilon)
                }
                Optimizer::Adam {
                    beta1,
                    beta2,
                    epsilon,
                } => {
                    buf = beta1 * buf + (1.0 - beta1) * g;
                    sq = beta2 * sq + (1.0 - beta2) * g * g;
                    let c1 = 1.0 - beta1.powi(t);
                    let c2 = 1.0 - beta2.powi(t);
                    (0.05 / c1) * buf / (sq.sqrt() / c2.sqrt() + epsilon)
                }
            };
            w -= delta;
            b -= delta;
            let p = net.parameters();
            assert!(
                close(p[0], w, 1e-15) && close(p[1], b, 1e-15),
                "{optimizer:?} step {t}: {p:?} vs ({w}, {b})"
            );
        }
        // New parameters forget the state: the next momentum step starts its buffer at g.
        net.set_parameters(&[1.0, 0.0]).unwrap();
        net.step(&[1.0], &[3.0], &options).unwrap();
        let g = 2.0 * (1.0 - 3.0);
        if matches!(optimizer, Optimizer::Gd | Optimizer::Momentum { .. }) {
            assert!(close(net.parameters()[0], 1.0 - 0.05 * g, 1e-15));
        }
    }
}

#[test]
fn initialisation_follows_its_formula() {
    let cases = [
        (Init::He, (2.0f64 / 256.0).sqrt()),
        (Init::Xavier, (2.0f64 / 512.0).sqrt()),
        (Init::Normal { std: 0.3 }, 0.3),
    ];
    for (init, want) in cases {
        let options = NetworkOptions {
            init,
            ..NetworkOptions::default()
        };
        let net = Network::new(&[256, 256], &options).unwrap();
        let (w, b) = net.parameters().split_at(256 * 256);
        assert!(b.iter().all(|&b| b == 0.0));
        let mean = w.iter().sum::<f64>() / w.len() as f64;
        let sd = (w.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / w.len() as f64).sqrt();
        assert!(
            (sd / want - 1.0).abs() < 0.03,
            "{init:?}: std {sd} vs {want}"
        );
        assert!(mean.abs() < 4.0 * want / 256.0, "{init:?}: mean {mean}");
    }
    let zeros = NetworkOptions {
        init: Init::Zeros,
        ..NetworkOptions::default()
    };
    assert!(Network::new(&[3, 4, 2], &zeros)
        .unwrap()
        .parameters()
        .iter()
        .all(|&p| p == 0.0));
}

#[test]
fn a_seed_always_gives_the_same_network() {
    let at = |seed| {
        let options = NetworkOptions {
            seed,
            ..NetworkOptions::default()
        };
        Network::new(&[2, 8, 8, 1], &options)
            .unwrap()
            .parameters()
            .to_vec()
    };
    assert_eq!(at(1), at(1));
    assert_ne!(at(1), at(2));
    assert_eq!(at(1).len(), 2 * 8 + 8 + 8 * 8 + 8 + 8 + 1);
}

fn reason<T: std::fmt::Debug>(r: Result<T, calculus::Error>) -> String {
    r.unwrap_err().to_string()
}

#[test]
fn bad_input_is_refused_with_a_reason() {
    let opts = NetworkOptions::default();
    let message = |r: Result<Network, calculus::Error>| r.unwrap_err().to_string();
    let sizes_rule = "sizes must be at least two layer sizes (inputs and outputs), each ≥ 1";
    assert_eq!(message(Network::new(&[2], &opts)), sizes_rule);
    assert_eq!(message(Network::new(&[2, 0, 1], &opts)), sizes_rule);
    assert_eq!(
        message(Network::new(&[1000, 1000, 1], &opts)),
        format!(
            "a network of 1002001 parameters is too large for a page (at most {MAX_PARAMETERS})"
        )
    );
    assert!(Network::new(&[usize::MAX, usize::MAX], &opts).is_err());

    let mut net = Network::new(&[2, 3, 1], &opts).unwrap();
    assert_eq!(
        reason(net.set_parameters(&[0.0; 3])),
        "parameters must hold 13 numbers (got 3)"
    );
    assert_eq!(
        reason(net.predict(&[1.0, 2.0, 3.0])),
        "inputs must hold n × 2 numbers (rows of 2), n ≥ 1 (got 3)"
    );
    assert_eq!(
        reason(net.predict(&[])),
        "inputs must hold n × 2 numbers (rows of 2), n ≥ 1 (got 0)"
    );
    assert_eq!(
        reason(net.gradients(&[1.0, 2.0], &[1.0, 2.0], Loss::Mse)),
        "targets must hold 1 × 1 numbers, one row per input row (got 2)"
    );
    assert_eq!(
        reason(net.predict(&[1.0, f64::NAN])),
        "inputs[1] is NaN, but every entry must be a finite number"
    );
    assert_eq!(
        reason(net.gradients(&[1.0, 2.0], &[2.0], Loss::Bce)),
        "every target must be in [0, 1] for the bce loss (0 or 1 for a class)"
    );
    for lr in [0.0, -1.0, f64::INFINITY, f64::NAN] {
        assert_eq!(
            reason(net.step(&[1.0, 2.0], &[1.0], &StepOptions::new(lr))),
            "learningRate must be a positive finite number"
        );
    }
    let clipped = StepOptions {
        clip: Some(0.0),
        ..StepOptions::new(0.1)
    };
    assert_eq!(
        reason(net.step(&[1.0, 2.0], &[1.0], &clipped)),
        "clip must be a positive finite number"
    );
    assert_eq!(
        Activation::named("softmax").unwrap_err().to_string(),
        "unknown activation 'softmax': use relu, sigmoid, tanh or linear"
    );
    assert_eq!(
        Loss::named("l1").unwrap_err().to_string(),
        "unknown loss 'l1': use mse or bce"
    );
    assert_eq!(
        Init::named("orthogonal", None).unwrap_err().to_string(),
        "unknown init 'orthogonal': use he, xavier, normal or zeros"
    );
    // Nothing above changed the network.
    assert_eq!(
        net.parameters(),
        Network::new(&[2, 3, 1], &opts).unwrap().parameters()
    );
}

#[test]
fn predict_is_the_forward_pass() {
    // 2-2-1 relu: h = relu(W1 x + b1), ŷ = W2 h + b2, worked for two rows.
    let options = NetworkOptions {
        activation: Activation::Relu,
        ..NetworkOptions::default()
    };
    let mut net = Network::new(&[2, 2, 1], &options).unwrap();
    net.set_parameters(&[1.0, -1.0, 0.5, 2.0, 0.0, -1.0, 3.0, -2.0, 0.25])
        .unwrap();
    // Row (1, 2): z = (1 − 2 + 0, 0.5 + 4 − 1) = (−1, 3.5) → h = (0, 3.5) → ŷ = −7 + 0.25.
    // Row (2, 0): z = (2, 1 − 1) = (2, 0) → h = (2, 0) → ŷ = 6 + 0.25.
    assert_eq!(net.predict(&[1.0, 2.0, 2.0, 0.0]).unwrap(), [-6.75, 6.25]);
}

#[test]
fn a_row_predicts_the_same_alone_or_among_thousands() {
    // predict goes through a long batch in tiles; each row's outputs must not depend on
    // which tile it fell in, on its neighbours, or on where a tile ends.
    let mut net = Network::new(&[2, 8, 8, 3], &NetworkOptions::default()).unwrap();
    let inputs: Vec<f64> = (0..2 * 1001)
        .map(|i| ((i * 37 % 101) as f64 - 50.0) / 7.0)
        .collect();
    let together = net.predict(&inputs).unwrap().to_vec();
    assert_eq!(together.len(), 3 * 1001);
    for (row, want) in inputs.chunks(2).zip(together.chunks(3)) {
        let alone = net.predict(row).unwrap();
        assert_eq!(
            alone.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            want.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
    }
}

#[test]
fn datasets_hold_to_their_definitions() {
    for dataset in Dataset::ALL {
        let a = generate(dataset, 101, 0.1, 5).unwrap();
        assert_eq!((a.inputs.len(), a.labels.len()), (202, 101));
        assert_eq!(
            a,
            generate(dataset, 101, 0.1, 5).unwrap(),
            "{dataset:?} is seeded"
        );
        assert_ne!(a, generate(dataset, 101, 0.1, 6).unwrap());
        let ones = a.labels.iter().filter(|&&l| l == 1.0).count();
        assert!(a.labels.iter().all(|&l| l == 0.0 || l == 1.0));
        if matches!(dataset, Dataset::Gauss | Dataset::Spiral | Dataset::Moons) {
            // Half of each class (the odd point to the second half); the circle's and xor's
            // noise flips labels near the boundary.
            let want = if dataset == Dataset::Moons { 51 } else { 50 };
            assert_eq!(ones, want, "{dataset:?}");
        }
    }
    // Without noise the labels follow the geometry.
    let circle = generate(Dataset::Circle, 400, 0.0, 1).unwrap();
    for (p, &l) in circle.inputs.chunks(2).zip(&circle.labels) {
        let r = p[0].hypot(p[1]);
        assert!(
            if l == 1.0 {
                r < 2.5
            } else {
                (3.5..=5.0).contains(&r)
            },
            "{p:?} {l}"
        );
    }
    let xor = generate(Dataset::Xor, 400, 0.0, 1).unwrap();
    for p in xor.inputs.chunks(2) {
        assert!(p[0].abs() >= 0.3 && p[0].abs() <= 5.3 && p[1].abs() >= 0.3);
    }
    // Spiral without noise: point i of n on its arm sits at r = 5i/n, θ = 3.5πi/n (+π).
    let n = 50;
    let spiral = generate(Dataset::Spiral, 2 * n, 0.0, 1).unwrap();
    let mut want: Vec<(f64, f64, f64)> = Vec::new();
    for (turn, label) in [(0.0, 1.0), (std::f64::consts::PI, 0.0)] {
        for i in 0..n {
            let r = 5.0 * i as f64 / n as f64;
            let t = 3.5 * std::f64::consts::PI * i as f64 / n as f64 + turn;
            want.push((r * t.sin(), r * t.cos(), label));
        }
    }
    for (p, &l) in spiral.inputs.chunks(2).zip(&spiral.labels) {
        assert!(
            want.iter()
                .any(|w| close(p[0], w.0, 1e-12) && close(p[1], w.1, 1e-12) && l == w.2),
            "{p:?}"
        );
    }
    // Moons without noise lie on their two half circles.
    let moons = generate(Dataset::Moons, 100, 0.0, 1).unwrap();
    for (p, &l) in moons.inputs.chunks(2).zip(&moons.labels) {
        let (cx, cy) = if l == 0.0 { (0.0, 0.0) } else { (1.0, 0.5) };
        assert!(close((p[0] - cx).hypot(p[1] - cy), 1.0, 1e-15));
        assert!(if l == 0.0 {
            p[1] >= 0.0
        } else {
            p[1] <= 0.5 + 1e-15
        });
    }
    // Gauss at noise 0: centres (±2, ±2), variance 0.5 in each coordinate.
    let gauss = generate(Dataset::Gauss, 20_000, 0.0, 1).unwrap();
    let ys: Vec<f64> = gauss
        .inputs
        .chunks(2)
        .zip(&gauss.labels)
        .map(|(p, &l)| p[0] - if l == 1.0 { 2.0 } else { -2.0 })
        .collect();
    let mean = ys.iter().sum::<f64>() / ys.len() as f64;
    let var = ys.iter().map(|y| (y - mean).powi(2)).sum::<f64>() / ys.len() as f64;
    assert!(
        mean.abs() < 0.03 && (var / 0.5 - 1.0).abs() < 0.03,
        "{mean} {var}"
    );
    assert_eq!(
        generate(Dataset::Circle, 0, 0.0, 1)
            .unwrap_err()
            .to_string(),
        "count must be a whole number from 1 to 100000"
    );
    assert_eq!(
        Dataset::named("swiss").unwrap_err().to_string(),
        "unknown dataset 'swiss': use circle, xor, gauss, spiral or moons"
    );
}

mod finite_differences {
    use super::{Activation, Init, Loss, Network, NetworkOptions};
    use calculus::random::Rng;
    use proptest::prelude::{prop_assert, prop_oneof, proptest, Just, ProptestConfig};

    /// The batch's loss at `params`, through the network itself.
    fn loss_at(
        net: &mut Network,
        params: &[f64],
        inputs: &[f64],
        targets: &[f64],
        loss: Loss,
    ) -> f64 {
        net.set_parameters(params).unwrap();
        net.gradients(inputs, targets, loss).unwrap().loss
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Every partial derivative against the central difference (L(p + h) − L(p − h))/2h,
        /// whose error is O(h²) for these smooth activations (relu's kink is checked exactly,
        /// against the graph, above).
        #[test]
        fn gradients_match_central_differences(
            hidden in proptest::collection::vec(1usize..5, 0..3),
            inputs_width in 1usize..4,
            outputs in 1usize..3,
            activation in prop_oneof![Just(Activation::Tanh), Just(Activation::Sigmoid), Just(Activation::Linear)],
            loss in prop_oneof![Just(Loss::Mse), Just(Loss::Bce)],
            seed in 0u64..1000,
        ) {
            let mut sizes = vec![inputs_width];
            sizes.extend(&hidden);
            sizes.push(outputs);
            let options = NetworkOptions { activation, init: Init::Xavier, seed };
            let mut net = Network::new(&sizes, &options).unwrap();
            let mut rng = Rng::new(seed + 1);
            let params: Vec<f64> = net.parameters().iter().map(|p| p + 0.1 * rng.normal()).collect();
            let n = 4;
            let inputs: Vec<f64> = (0..n * inputs_width).map(|_| rng.between(-1.5, 1.5)).collect();
            let targets: Vec<f64> = (0..n * outputs).map(|_| rng.uniform()).collect();
            net.set_parameters(&params).unwrap();
            net.gradients(&inputs, &targets, loss).unwrap();
            let exact = net.gradient().to_vec();
            let h = 1e-5;
            for i in 0..params.len() {
                let mut p = params.clone();
                p[i] = params[i] + h;
                let up = loss_at(&mut net, &p, &inputs, &targets, loss);
                p[i] = params[i] - h;
                let down = loss_at(&mut net, &p, &inputs, &targets, loss);
                let numeric = (up - down) / (2.0 * h);
                prop_assert!(
                    (numeric - exact[i]).abs() <= 1e-7 * (1.0 + exact[i].abs()),
                    "{sizes:?} {activation:?} {loss:?}: ∂L/∂p{i} = {} but the central difference is {numeric}", exact[i]
                );
            }
        }
    }
}

//! Chapter 5's numbers: the backward pass edge by edge on the worked examples of colah and
//! micrograd, shared subexpressions as one node, the order of the pass on random formulas,
//! and a 2-2-1 network traced layer by layer against the chain rule worked by hand.

use calculus::nn::{Activation, Init, Loss, Network, NetworkOptions, StepOptions};
use calculus::{parse, BackwardStep, Graph, Op};
use proptest::prelude::*;

mod common;

fn compiled(src: &str) -> Graph {
    Graph::compile(&parse(src).unwrap())
}

/// The index of the node for variable `name`.
fn var(graph: &Graph, name: &str) -> usize {
    graph.variables().iter().position(|v| v == name).unwrap()
}

#[test]
fn colah_b_receives_two_contributions() {
    // e = (a + b)(b + 1), c = a + b = 3, d = b + 1 = 2 at a = 2, b = 1.
    // ∂e/∂a = d = 2; ∂e/∂b = d·1 + c·1 = 2 + 3 = 5.
    let mut g = compiled("(a + b)*(b + 1)");
    let steps = g.backward_steps(&[2.0, 1.0]);
    let (a, b) = (var(&g, "a"), var(&g, "b"));
    assert_eq!(g.nodes()[a].grad, 2.0);
    assert_eq!(g.nodes()[b].grad, 5.0);
    let into_b: Vec<&BackwardStep> = steps.iter().filter(|s| s.to == b).collect();
    let mut contributions: Vec<f64> = into_b.iter().map(|s| s.contribution).collect();
    contributions.sort_by(f64::total_cmp);
    assert_eq!(contributions, [2.0, 3.0]);
    // Each arrives through an add, whose local derivative is 1: the upstream passes unchanged.
    assert!(into_b
        .iter()
        .all(|s| s.local == 1.0 && s.upstream == s.contribution));
    assert_eq!(into_b.last().unwrap().total, 5.0);
    // The multiply swaps its factors: c receives d = 2, d receives c = 3.
    let out = g.nodes().len() - 1;
    let from_out: Vec<(f64, f64)> = steps
        .iter()
        .filter(|s| s.from == out)
        .map(|s| (g.nodes()[s.to].value, s.local))
        .collect();
    assert_eq!(from_out, [(3.0, 2.0), (2.0, 3.0)]);
}

#[test]
fn micrograd_neuron() {
    // o = tanh(n), n = x1·w1 + x2·w2 + b = 0.8813735870195432 = atanh(1/√2), so o = 1/√2 and
    // do/dn = 1 − o² = 1/2 (micrograd writes b = 6.8813735870195432, the same f64):
    // x1.grad = w1/2, w1.grad = x1/2, x2.grad = w2/2, w2.grad = x2/2.
    let mut g = compiled("tanh(x1*w1 + x2*w2 + b)");
    let names = ["b", "w1", "w2", "x1", "x2"];
    assert_eq!(g.variables(), names);
    let steps = g.backward_steps(&[6.881_373_587_019_543, -3.0, 1.0, 2.0, 0.0]);
    let grads: Vec<f64> = (0..5).map(|k| g.nodes()[k].grad).collect();
    let want = [0.5, 1.0, 0.0, -1.5, 0.5];
    for ((name, got), want) in names.iter().zip(&grads).zip(want) {
        assert!(
            (got - want).abs() < 1e-15,
            "{name}.grad = {got}, want {want}"
        );
    }
    let out = g.nodes().len() - 1;
    assert!((g.nodes()[out].value - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-15);
    // The tanh node's one edge carries 1 × (1 − o²).
    let first = steps[0];
    assert_eq!((first.from, first.upstream), (out, 1.0));
    assert!((first.local - 0.5).abs() < 1e-15);
}

#[test]
fn a_subexpression_written_twice_is_one_node() {
    // sin(x) appears twice; 2 and x appear twice: five nodes, not eight.
    let g = compiled("sin(x)*sin(x) + 2*x + 2");
    let ops: Vec<&str> = g.nodes().iter().map(|n| n.op.name()).collect();
    assert_eq!(ops.iter().filter(|&&o| o == "sin").count(), 1);
    assert_eq!(
        g.nodes().iter().filter(|n| n.op == Op::Const(2.0)).count(),
        1
    );
    // The merged sin(x) node feeds the product twice, so its gradient is the sum of both:
    // d/dx [sin²x + 2x + 2] = 2 sin x cos x + 2.
    let mut g = g;
    let x = 0.7_f64;
    let steps = g.backward_steps(&[x]);
    let sin = g.nodes().iter().position(|n| n.op.name() == "sin").unwrap();
    let into_sin: Vec<f64> = steps
        .iter()
        .filter(|s| s.to == sin)
        .map(|s| s.contribution)
        .collect();
    assert_eq!(into_sin, [x.sin(), x.sin()]);
    let want = 2.0 * x.sin() * x.cos() + 2.0;
    assert!((g.nodes()[0].grad - want).abs() < 1e-15);
    // Different subexpressions stay apart: x*y and y*x are two nodes.
    let g = compiled("x*y + y*x");
    assert_eq!(g.nodes().iter().filter(|n| n.op == Op::Mul).count(), 2);
}

#[test]
fn the_trace_is_the_backward_pass() {
    // backward_steps and the plain pass leave the same gradients, bit for bit.
    let src = "exp(sin(a*b) + a/b)^2 - ln(b + a*b)";
    let mut traced = compiled(src);
    traced.backward_steps(&[0.3, 1.7]);
    let mut plain = compiled(src);
    let mut grads = [0.0; 2];
    plain.value_and_gradient(&[0.3, 1.7], &mut grads);
    assert_eq!(grads, [traced.nodes()[0].grad, traced.nodes()[1].grad]);
}

/// The same number, bit for bit, or both NaN: the sign of a NaN made from two NaNs depends on
/// which operand the hardware keeps (x86 keeps the first), and a product's order is no part of
/// the trace's contract.
fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// What every trace must satisfy: a node passes its gradient on only after it has received
/// all of it; each node's contributions, added in order, are its running totals and end at
/// its `grad`; and the output starts with gradient 1.
fn check_trace(g: &Graph, steps: &[BackwardStep]) -> Result<(), TestCaseError> {
    let out = g.nodes().len() - 1;
    let mut finished = vec![false; g.nodes().len()];
    let mut totals = vec![0.0_f64; g.nodes().len()];
    totals[out] = 1.0;
    for s in steps {
        finished[s.from] = true;
        prop_assert!(!finished[s.to], "node {} received after passing on", s.to);
        prop_assert!(s.from > s.to);
        prop_assert!(same(s.upstream, totals[s.from]));
        prop_assert!(same(s.contribution, s.upstream * s.local));
        totals[s.to] += s.contribution;
        prop_assert!(same(s.total, totals[s.to]));
    }
    for (node, total) in g.nodes().iter().zip(&totals) {
        prop_assert!(same(node.grad, *total), "{} vs {}", node.grad, total);
    }
    Ok(())
}

proptest! {
    #[test]
    fn every_trace_runs_in_order_and_sums_to_the_gradients(
        e in common::smooth_expr(prop_oneof![
            Just(calculus::Expr::Var("x".into())),
            Just(calculus::Expr::Var("y".into())),
            (1..4i32).prop_map(|n| calculus::Expr::Num(n.into())),
        ]),
        x in 0.2..2.0f64,
        y in 0.2..2.0f64,
    ) {
        let mut g = Graph::compile(&e);
        let values: Vec<f64> = g.variables().iter().map(|v| if v == "x" { x } else { y }).collect();
        let steps = g.backward_steps(&values);
        check_trace(&g, &steps)?;
    }
}

#[test]
fn bad_expressions_are_errors_not_graphs() {
    for src in ["", "tanh(", "x +* y", "foo(x)"] {
        assert!(parse(src).is_err(), "{src}");
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

fn close(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert!(
            (g - w).abs() <= 1e-15 * (1.0 + w.abs()),
            "{got:?} vs {want:?}"
        );
    }
}

/// A 2-2-1 network, sigmoid hidden layer, linear output, mse, one example (the numbers of
/// Matt Mazur's well-known walkthrough): every number of both passes and one SGD step, from
/// the chain rule written out.
#[test]
fn a_two_two_one_network_by_hand() {
    let options = NetworkOptions {
        activation: Activation::Sigmoid,
        init: Init::Zeros,
        seed: 1,
    };
    let mut net = Network::new(&[2, 2, 1], &options).unwrap();
    // W1 = [[w1, w2], [w3, w4]], b1, W2 = [w5, w6], b2.
    let (w1, w2, w3, w4, b1) = (0.15, 0.20, 0.25, 0.30, 0.35);
    let (w5, w6, b2) = (0.40, 0.45, 0.60);
    net.set_parameters(&[w1, w2, w3, w4, b1, b1, w5, w6, b2])
        .unwrap();
    let (x1, x2, y) = (0.05, 0.10, 0.01);
    let trace = net.trace(&[x1, x2], &[y], Loss::Mse).unwrap();

    // Forward.
    let z = [w1 * x1 + w2 * x2 + b1, w3 * x1 + w4 * x2 + b1];
    let h = [sigmoid(z[0]), sigmoid(z[1])];
    let out = w5 * h[0] + w6 * h[1] + b2;
    let hidden = &trace.layers[0];
    let output = &trace.layers[1];
    close(&hidden.z, &z);
    close(&hidden.a, &h);
    close(&output.z, &[out]);
    close(&output.a, &[out]);
    close(&[trace.loss], &[(out - y).powi(2)]);

    // Backward: dL/dŷ = 2(ŷ − y); the output layer is linear, so dL/dz = dL/dŷ.
    let d_out = 2.0 * (out - y);
    close(&output.grad_a, &[d_out]);
    close(&output.grad_z, &[d_out]);
    close(&output.grad_weights, &[d_out * h[0], d_out * h[1]]);
    close(&output.grad_biases, &[d_out]);
    // Into the hidden layer through W2, then through σ′(z) = σ(z)(1 − σ(z)).
    let grad_a = [d_out * w5, d_out * w6];
    let grad_z = [
        grad_a[0] * h[0] * (1.0 - h[0]),
        grad_a[1] * h[1] * (1.0 - h[1]),
    ];
    close(&hidden.grad_a, &grad_a);
    close(&hidden.grad_z, &grad_z);
    close(&hidden.slope, &[h[0] * (1.0 - h[0]), h[1] * (1.0 - h[1])]);
    close(&output.slope, &[1.0]);
    close(
        &hidden.grad_weights,
        &[
            grad_z[0] * x1,
            grad_z[0] * x2,
            grad_z[1] * x1,
            grad_z[1] * x2,
        ],
    );
    close(&hidden.grad_biases, &grad_z);

    // One SGD step at rate 0.5, then the loss again: it falls.
    let rate = 0.5;
    net.step(&[x1, x2], &[y], &StepOptions::new(rate)).unwrap();
    let p: Vec<f64> = [w1, w2, w3, w4, b1, b1, w5, w6, b2]
        .iter()
        .zip([
            hidden.grad_weights[0],
            hidden.grad_weights[1],
            hidden.grad_weights[2],
            hidden.grad_weights[3],
            grad_z[0],
            grad_z[1],
            d_out * h[0],
            d_out * h[1],
            d_out,
        ])
        .map(|(w, g)| w - rate * g)
        .collect();
    close(net.parameters(), &p);
    let z = [p[0] * x1 + p[1] * x2 + p[4], p[2] * x1 + p[3] * x2 + p[5]];
    let after = p[6] * sigmoid(z[0]) + p[7] * sigmoid(z[1]) + p[8];
    let again = net.trace(&[x1, x2], &[y], Loss::Mse).unwrap();
    close(&[again.loss], &[(after - y).powi(2)]);
    assert!(again.loss < trace.loss);
}

/// The same shape with ReLU and numbers that are exact in binary, so every value is exact.
#[test]
fn a_relu_network_exactly() {
    let options = NetworkOptions {
        activation: Activation::Relu,
        init: Init::Zeros,
        seed: 1,
    };
    let mut net = Network::new(&[2, 2, 1], &options).unwrap();
    // z = (0.5·1 + 0.25·2 + 0.5, −1·1 − 0.5·2 + 0.25) = (1.5, −1.75): the second unit is off.
    net.set_parameters(&[0.5, 0.25, -1.0, -0.5, 0.5, 0.25, 1.0, -2.0, 0.5])
        .unwrap();
    let t = net.trace(&[1.0, 2.0], &[1.0], Loss::Mse).unwrap();
    assert_eq!(t.layers[0].z, [1.5, -1.75]);
    assert_eq!(t.layers[0].a, [1.5, 0.0]);
    // ŷ = 1.5 + 0 + 0.5 = 2, L = (2 − 1)² = 1, dL/dŷ = 2.
    assert_eq!((t.layers[1].a.as_slice(), t.loss), (&[2.0][..], 1.0));
    assert_eq!(t.layers[1].grad_weights, [3.0, 0.0]);
    // Back through W2 = [1, −2]: (2, −4); ReLU lets the first through and stops the second.
    assert_eq!(t.layers[0].grad_a, [2.0, -4.0]);
    assert_eq!(t.layers[0].grad_z, [2.0, 0.0]);
    assert_eq!(t.layers[0].grad_weights, [2.0, 4.0, 0.0, 0.0]);
    assert_eq!(t.layers[0].grad_biases, [2.0, 0.0]);
}

#[test]
fn a_trace_of_a_batch_is_row_major() {
    let mut net = Network::new(&[1, 1], &NetworkOptions::default()).unwrap();
    net.set_parameters(&[2.0, 1.0]).unwrap();
    // ŷ = 2x + 1 at x = 1, 2: (3, 5); mse against (0, 0) = 17, dL/dŷ = 2ŷ/2 = ŷ.
    let t = net.trace(&[1.0, 2.0], &[0.0, 0.0], Loss::Mse).unwrap();
    assert_eq!(t.layers[0].a, [3.0, 5.0]);
    assert_eq!(t.loss, 17.0);
    assert_eq!(t.layers[0].grad_a, [3.0, 5.0]);
    assert_eq!(t.layers[0].grad_weights, [13.0]);
    assert!(net.trace(&[1.0], &[1.0, 2.0], Loss::Mse).is_err());
}

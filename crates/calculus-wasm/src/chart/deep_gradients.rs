//! Chapter 6's deep network: the size of the gradient at every layer, ‖∂L/∂W_l‖ on a log
//! axis, and beside it how much each hidden layer's outputs still vary across the batch.
//! Sigmoid units with small weights show both fading by orders of magnitude towards the
//! input; ReLU with He's initialisation keeps them level.
//!
//! One batch, one backward pass, redone whenever a setting changes: the network is the
//! engine's (`calculus::nn::Network`), the numbers its `gradients` and `activation_spreads`.
//!
//! ```js
//! const chart = new DeepGradients(canvas, spreadCanvas); // 10 sigmoid layers of 32, σ = 0.1
//! chart.setNetwork(10, 32, "relu", "he", 0.1);
//! chart.setSeed(2);
//! chart.draw(640, 340, devicePixelRatio, false);        // gradients (computes them first)
//! chart.drawSpread(640, 340, devicePixelRatio, false);  // activation spreads
//! chart.ratio;      // ‖∂L/∂W₁‖ / ‖∂L/∂W₁₀‖
//! chart.readout();  // "Layer 1's gradient is 0.053 of layer 10's: …"
//! ```

use calculus::dataset::{generate, Dataset, Samples};
use calculus::digits::Shortest;
use calculus::nn::{Activation, Init, Loss, Network, NetworkOptions};
use plotters::style::RGBColor;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::canvas::{Canvas, DrawResult, Figure, Pen, View};
use super::theme::css;
use super::{axes, format_significant, power_label, Frame, Labels, Plot};
use crate::book::DEEP_GRADIENTS;
use crate::convert::{float64_array, js_error, Float64Array};
use crate::figure;

/// The network's settings, as the reader chose them.
#[derive(Clone, Copy, PartialEq)]
struct Settings {
    depth: usize,
    width: usize,
    activation: Activation,
    init: Init,
    seed: u64,
}

/// What one forward and backward pass measured.
#[derive(Default)]
struct Measured {
    /// ‖∂L/∂W_l‖ for every layer, the output layer last.
    norms: Vec<f64>,
    /// The spread of every hidden layer's outputs.
    spreads: Vec<f64>,
    loss: f64,
    total: f64,
}

#[wasm_bindgen]
pub struct DeepGradients {
    canvas: Canvas,
    spread: Canvas,
    data: Samples,
    settings: Settings,
    /// `None` until the settings' pass has run (settings changed since the last).
    measured: Option<Measured>,
}

/// The [`Figure`] of the activation spreads, on the second canvas.
pub struct SpreadFigure;

#[wasm_bindgen]
impl DeepGradients {
    /// The book's network ([`DEEP_GRADIENTS`]) on its batch: gradients drawn on `canvas`,
    /// activation spreads on `spread`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        canvas: HtmlCanvasElement,
        spread: HtmlCanvasElement,
    ) -> Result<DeepGradients, JsError> {
        let d = DEEP_GRADIENTS;
        let dataset = Dataset::named(d.dataset).map_err(js_error)?;
        let data = generate(dataset, d.points, 0.0, d.seed).map_err(js_error)?;
        let named = |list: &[(&str, &str)], i: usize| list.get(i).map_or("", |p| p.0).to_string();
        let mut chart = DeepGradients {
            canvas: Canvas::new(canvas),
            spread: Canvas::new(spread),
            data,
            settings: Settings {
                depth: d.depth as usize,
                width: d.width as usize,
                activation: Activation::Sigmoid,
                init: Init::Normal { std: d.sigma },
                seed: d.seed,
            },
            measured: None,
        };
        chart.set_network(
            d.depth,
            d.width,
            &named(d.activations, d.activation),
            &named(d.inits, d.init),
            d.sigma,
        )?;
        Ok(chart)
    }

    /// `depth` hidden layers of `width` units, each activation and initialisation by the
    /// engine's names (`sigma` is read by `normal` alone). Out of range, the chart keeps its
    /// last good network and says why.
    #[wasm_bindgen(js_name = setNetwork)]
    pub fn set_network(
        &mut self,
        depth: u32,
        width: u32,
        activation: &str,
        init: &str,
        sigma: f64,
    ) -> Result<(), JsError> {
        let d = DEEP_GRADIENTS;
        let within = |v: u32, (lo, hi): (u32, u32), what: &str| {
            if (lo..=hi).contains(&v) {
                Ok(v as usize)
            } else {
                Err(JsError::new(&format!(
                    "{what} must be a whole number from {lo} to {hi}"
                )))
            }
        };
        let (lo, hi) = d.sigma_range;
        if !(lo..=hi).contains(&sigma) {
            return Err(JsError::new(&format!(
                "σ must be from {} to {}",
                Shortest(lo),
                Shortest(hi)
            )));
        }
        let settings = Settings {
            depth: within(depth, d.depth_range, "depth")?,
            width: within(width, d.width_range, "width")?,
            activation: Activation::named(activation).map_err(js_error)?,
            init: Init::named(init, Some(sigma)).map_err(js_error)?,
            seed: self.settings.seed,
        };
        self.change(settings);
        Ok(())
    }

    /// A new draw of the weights (a whole number from 1; others are rounded or refused).
    #[wasm_bindgen(js_name = setSeed)]
    pub fn set_seed(&mut self, seed: f64) -> Result<(), JsError> {
        if !(1.0..=9e15).contains(&seed) {
            return Err(JsError::new("the seed must be a whole number from 1"));
        }
        self.change(Settings {
            seed: seed.round() as u64,
            ..self.settings
        });
        Ok(())
    }

    #[wasm_bindgen(getter)]
    pub fn seed(&self) -> f64 {
        self.settings.seed as f64
    }

    /// ‖∂L/∂W_l‖ for every layer, first layer first, the output layer last.
    pub fn norms(&mut self) -> Result<Float64Array, JsError> {
        Ok(float64_array(&self.measure()?.norms))
    }

    /// The spread of every hidden layer's outputs across the batch.
    pub fn spreads(&mut self) -> Result<Float64Array, JsError> {
        Ok(float64_array(&self.measure()?.spreads))
    }

    /// ‖∂L/∂W₁‖ / ‖∂L/∂W_L‖, L the last hidden layer: how much of the gradient reaches the
    /// first layer (NaN when the last hidden layer's gradient is 0).
    #[wasm_bindgen(getter)]
    pub fn ratio(&mut self) -> Result<f64, JsError> {
        let depth = self.settings.depth;
        let m = self.measure()?;
        Ok(first_over_last(&m.norms, depth))
    }

    /// The ratio in words, with the loss and the whole gradient's size.
    pub fn readout(&mut self) -> Result<String, JsError> {
        let depth = self.settings.depth;
        let m = self.measure()?;
        let ratio = first_over_last(&m.norms, depth);
        let verdict = match ratio {
            r if !r.is_finite() => "no gradient reaches the last hidden layer",
            r if r < 1e-2 => "vanishing towards the input",
            r if r > 1e2 => "exploding towards the input",
            _ => "level within a factor of 100",
        };
        Ok(format!(
            "Layer 1's gradient is {} of layer {depth}'s: {verdict}. Loss {}, ‖∇L‖ = {}.",
            times_power(ratio),
            format_significant(m.loss, 3),
            times_power(m.total),
        ))
    }

    /// The gradient chart in words, for its `aria-label`.
    pub fn describe(&mut self) -> Result<String, JsError> {
        let s = self.settings;
        let norms = self
            .measure()?
            .norms
            .iter()
            .map(|&v| times_power(v))
            .collect::<Vec<_>>();
        Ok(format!(
            "Bar chart, log scale: the gradient norm of each layer's weights in a network of {} hidden layers of {} {} units, first layer to output layer: {}.",
            s.depth,
            s.width,
            s.activation.name(),
            norms.join(", ")
        ))
    }

    /// The spread chart in words, for its `aria-label`.
    #[wasm_bindgen(js_name = describeSpread)]
    pub fn describe_spread(&mut self) -> Result<String, JsError> {
        let spreads = self
            .measure()?
            .spreads
            .iter()
            .map(|&v| times_power(v))
            .collect::<Vec<_>>();
        Ok(format!(
            "Bar chart, log scale: how much each hidden layer's outputs vary across the batch (their standard deviation), first hidden layer to last: {}.",
            spreads.join(", ")
        ))
    }
}

impl DeepGradients {
    fn change(&mut self, settings: Settings) {
        if settings != self.settings {
            self.settings = settings;
            self.measured = None;
        }
    }

    /// The pass for the current settings, run when they changed.
    fn measure(&mut self) -> Result<&Measured, JsError> {
        if self.measured.is_none() {
            let s = self.settings;
            let mut sizes = vec![2];
            sizes.extend(std::iter::repeat_n(s.width, s.depth));
            sizes.push(1);
            let options = NetworkOptions {
                activation: s.activation,
                init: s.init,
                seed: s.seed,
            };
            let mut net = Network::new(&sizes, &options).map_err(js_error)?;
            let m = net
                .gradients(&self.data.inputs, &self.data.labels, Loss::Bce)
                .map_err(js_error)?;
            self.measured = Some(Measured {
                spreads: net.activation_spreads(),
                norms: m.layer_norms,
                loss: m.loss,
                total: m.grad_norm,
            });
        }
        self.measured
            .as_ref()
            .ok_or_else(|| JsError::new("no measurement"))
    }
}

/// The first layer's gradient over the last hidden layer's (layer `depth`).
fn first_over_last(norms: &[f64], depth: usize) -> f64 {
    match (norms.first(), norms.get(depth.saturating_sub(1))) {
        (Some(&first), Some(&last)) if last > 0.0 => first / last,
        _ => f64::NAN,
    }
}

/// `1.2 × 10⁻⁶` beyond [0.01, 1000), plain significant digits inside; `0` and `overflow`.
fn times_power(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    if !v.is_finite() {
        return "overflow".to_string();
    }
    if (1e-2..1e3).contains(&v.abs()) {
        return format_significant(v, 2);
    }
    let exponent = v.abs().log10().floor();
    let mantissa = v / 10f64.powf(exponent);
    // 9.96 rounds to 10 at two digits: write it as the next power.
    let (mantissa, exponent) = if mantissa.abs() >= 9.95 {
        (mantissa.signum(), exponent + 1.0)
    } else {
        (mantissa, exponent)
    };
    format!(
        "{} × {}",
        format_significant(mantissa, 2),
        power_label(exponent)
    )
}

/// Bars of `values` (all positive, or drawn as missing) on a log axis from layer 1, with
/// the y axis spanning whole decades around them; `last` colours the final bar apart.
struct Bars<'v> {
    values: &'v [f64],
    x_label: &'v str,
    y_label: &'v str,
    color: RGBColor,
    last: Option<RGBColor>,
}

impl Bars<'_> {
    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let logs: Vec<f64> = self
            .values
            .iter()
            .map(|&v| {
                if v > 0.0 && v.is_finite() {
                    v.log10()
                } else {
                    f64::NAN
                }
            })
            .collect();
        let shown = logs.iter().copied().filter(|v| v.is_finite());
        let lo = shown.clone().fold(f64::INFINITY, f64::min);
        let hi = shown.fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if lo.is_finite() {
            // At least four decades, so that a level network still shows labelled powers.
            let (lo, hi) = ((lo - 0.3).floor(), (hi + 0.3).ceil());
            let short = (4.0 - (hi - lo)).max(0.0);
            (lo - (short / 2.0).ceil(), hi + (short / 2.0).floor())
        } else {
            (-1.0, 1.0)
        };
        let n = self.values.len().max(1) as f64;
        let labels = Labels {
            log_y: true,
            ..Labels::new(self.x_label, self.y_label)
        };
        let (_, frame) = axes(&pen.area, &pen.theme, (0.5, n + 0.5), (lo, hi), &labels)?;
        let plot = pen.plot(&frame);
        let last = self.values.len().saturating_sub(1);
        for (i, &log) in logs.iter().enumerate() {
            let color = match self.last {
                Some(c) if i == last => c,
                _ => self.color,
            };
            bar(&plot, i as f64 + 1.0, log, color);
        }
        Ok(frame)
    }
}

/// One bar at layer `x` from the bottom of the axis up to `log` (log10 of its value); a
/// value with no logarithm (0, overflow) gets a small muted mark on the axis instead.
fn bar(plot: &Plot, x: f64, log: f64, color: RGBColor) {
    let (context, frame, s) = (plot.context, plot.frame, plot.theme.dpr);
    let half = 0.36;
    let (left, bottom) = frame.axis_to_css(x - half, frame.y.0);
    let (right, _) = frame.axis_to_css(x + half, frame.y.0);
    let top = if log.is_finite() {
        frame.axis_to_css(x, log).1
    } else {
        bottom - 2.0
    };
    let fill = if log.is_finite() {
        color
    } else {
        plot.theme.muted_text
    };
    context.set_fill_style_str(&css(fill));
    // At least one device pixel wide, so a 20-layer chart on a phone still shows each bar.
    let width = ((right - left) * s).max(1.0);
    context.fill_rect(left * s, top * s, width, (bottom - top) * s);
}

impl Figure for DeepGradients {
    fn canvas(&self) -> DrawResult<&Canvas> {
        Ok(&self.canvas)
    }

    fn prepare(&mut self, _view: &View) -> Result<(), JsError> {
        self.measure().map(|_| ())
    }

    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let norms = self.measured.as_ref().map_or(&[][..], |m| &m.norms);
        Bars {
            values: norms,
            x_label: "layer (the last bar: the output layer)",
            y_label: "‖∂L/∂W‖",
            color: pen.theme.curve,
            last: Some(pen.theme.muted_text),
        }
        .paint(pen)
    }
}

impl Figure<SpreadFigure> for DeepGradients {
    fn canvas(&self) -> DrawResult<&Canvas> {
        Ok(&self.spread)
    }

    fn prepare(&mut self, _view: &View) -> Result<(), JsError> {
        self.measure().map(|_| ())
    }

    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let spreads = self.measured.as_ref().map_or(&[][..], |m| &m.spreads);
        Bars {
            values: spreads,
            x_label: "hidden layer",
            y_label: "spread of activations",
            color: pen.theme.numerical,
            last: None,
        }
        .paint(pen)
    }
}

figure!(DeepGradients);
figure!(DeepGradients as SpreadFigure: draw_spread = drawSpread, spread_frame = spreadFrame);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_read_as_powers_of_ten_beyond_the_everyday_range() {
        assert_eq!(times_power(1.23e-6), "1.2 × 10⁻⁶");
        assert_eq!(times_power(4.2e6), "4.2 × 10⁶");
        assert_eq!(times_power(9.96e-5), "1.0 × 10⁻⁴");
        assert_eq!(times_power(0.053), "0.053");
        assert_eq!(times_power(0.0), "0");
        assert_eq!(times_power(f64::INFINITY), "overflow");
    }

    #[test]
    fn the_ratio_is_the_first_layer_over_the_last_hidden_one() {
        assert_eq!(first_over_last(&[1.0, 2.0, 4.0, 8.0], 3), 0.25);
        assert!(first_over_last(&[1.0, 0.0, 8.0], 2).is_nan());
        assert!(first_over_last(&[], 2).is_nan());
    }
}

//! The playground's two charts over training, both against the epoch: the train and test
//! losses after each epoch, and each layer's gradient norm ‖∂L/∂W_l‖ over the steps (its
//! moving geometric mean, the trend under the batch-to-batch noise), with the whole
//! gradient's norm at each step, the clipping threshold and the steps that were clipped. Both y
//! axes are log10: the story of chapter 6 is told in orders of magnitude.

use plotters::prelude::RGBColor;

use super::Playground;
use crate::chart::canvas::{Canvas, DrawResult, Figure, Pen};
use crate::chart::marks::{LabelBox, Plot};
use crate::chart::theme::css;
use crate::chart::{axes, legend, Dash, Frame, Labels, LegendMark};

/// The loss chart's [`Figure`], on its own canvas.
pub struct LossFigure;

/// The gradient-norm chart's [`Figure`], on its own canvas.
pub struct NormFigure;

/// Most points drawn per line: two to four CSS pixels apart on a chart, enough for lines that
/// are moving means, and few enough that the browser rasterises them inside a frame.
const MAX_POINTS: usize = 200;

/// Room right of the norm chart's plot for the layers' names (CSS pixels).
const NAME_ROOM: f64 = 30.0;

/// (lo, hi) of the finite values (log10), out to the powers of ten around them, so that at
/// least two labelled ticks frame the lines.
fn log_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !(lo.is_finite() && hi.is_finite()) {
        return (-2.0, 1.0);
    }
    let (lo, hi) = (lo.floor(), hi.ceil());
    (lo, if hi > lo { hi } else { lo + 1.0 })
}

/// Every k-th of `n` indices, k chosen so that at most [`MAX_POINTS`] remain, and the last.
fn decimated(n: usize) -> impl Iterator<Item = usize> {
    let k = n.div_ceil(MAX_POINTS).max(1);
    (0..n)
        .step_by(k)
        .chain((n > 0 && !(n - 1).is_multiple_of(k)).then(|| n - 1))
}

impl Figure<LossFigure> for Playground {
    fn canvas(&self) -> DrawResult<&Canvas> {
        Ok(&self.loss)
    }

    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let epochs = self.training.epochs();
        let last = epochs.last().map_or(0, |e| e.epoch);
        let x = (0.0, (last as f64).max(10.0));
        let logs = |test: bool| -> Vec<(f64, f64)> {
            decimated(epochs.len())
                .map(|i| &epochs[i])
                .map(|e| {
                    (
                        e.epoch as f64,
                        if test { e.test_loss } else { e.train_loss },
                    )
                })
                .map(|(x, l)| (x, l.log10()))
                .collect()
        };
        let (train, test) = (logs(false), logs(true));
        let y = log_range(train.iter().chain(&test).map(|p| p.1));
        let labels = Labels {
            log_y: true,
            ..Labels::new("epoch", "bce loss (log scale)")
        };
        let (chart, frame) = axes(&pen.area, &pen.theme, x, y, &labels)?;
        let (plot, theme) = (pen.plot(&frame), &pen.theme);
        plot.curve(
            train.iter().copied(),
            theme.curve,
            theme.curve_width,
            Dash::Solid,
        );
        plot.curve(
            test.iter().copied(),
            theme.derivative,
            theme.curve_width,
            Dash::Dashed,
        );
        // Where each line is now: the only mark a run has before its first epoch ends.
        for (line, color) in [(&train, theme.curve), (&test, theme.derivative)] {
            if let Some(&(x, y)) = line.last().filter(|p| p.1.is_finite()) {
                plot.disc(frame.axis_to_css(x, y), color);
            }
        }
        let banner = self.draw_divergence(&plot, self.training.epoch() as f64);
        let entries = [
            ("train".to_string(), theme.curve, LegendMark::Line),
            ("test".to_string(), theme.derivative, LegendMark::Dashed),
        ];
        let avoid: Vec<(f64, f64)> = train.iter().chain(&test).copied().collect();
        // Never over the banner: it says why the lines stop.
        legend(&chart, &plot, &entries, &avoid, banner.as_slice())?;
        Ok(frame)
    }
}

impl Figure<NormFigure> for Playground {
    fn canvas(&self) -> DrawResult<&Canvas> {
        Ok(&self.norms)
    }

    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let log = self.training.step_log();
        let records = log.items();
        let shown: Vec<usize> = decimated(records.len()).collect();
        let end = records.last().map_or(0.0, |r| r.at);
        let x = (0.0, end.max(1.0));
        let clip = self.recipe.step.clip.map(f64::log10);
        let all = shown.iter().flat_map(|&i| {
            let r = &records[i];
            r.smoothed_norms
                .iter()
                .chain([&r.grad_norm])
                .map(|v| v.log10())
        });
        let y = log_range(all.chain(clip));
        let labels = Labels {
            log_y: true,
            right: (NAME_ROOM * pen.theme.dpr) as u32,
            ..Labels::new("epoch", "‖∂L/∂W‖ per layer (log)")
        };
        let (_, frame) = axes(&pen.area, &pen.theme, x, y, &labels)?;
        let (plot, theme) = (pen.plot(&frame), &pen.theme);
        let layers = self.recipe.hidden + 1;
        let line = |value: &dyn Fn(usize) -> f64| -> Vec<(f64, f64)> {
            shown
                .iter()
                .map(|&i| (records[i].at, value(i).log10()))
                .collect()
        };
        let mut ends = Vec::with_capacity(layers + 1);
        for l in 0..layers {
            let color = theme.layer(l, layers);
            let points = line(&|i| {
                records[i]
                    .smoothed_norms
                    .get(l)
                    .copied()
                    .unwrap_or(f64::NAN)
            });
            plot.curve(points.iter().copied(), color, theme.thin_width, Dash::Solid);
            ends.push((format!("L{}", l + 1), color, points.last().map(|p| p.1)));
        }
        let total = line(&|i| records[i].grad_norm);
        plot.curve(
            total.iter().copied(),
            theme.muted_text,
            theme.grid_width,
            Dash::Solid,
        );
        ends.push(("all".into(), theme.muted_text, total.last().map(|p| p.1)));
        if let Some(c) = clip {
            plot.curve(
                [(x.0, c), (x.1, c)],
                theme.error,
                theme.thin_width,
                Dash::Dashed,
            );
            self.draw_clipped(&plot, &shown);
        }
        draw_names(&plot, &ends);
        self.draw_divergence(&plot, end);
        Ok(frame)
    }
}

impl Playground {
    /// A mark on the whole gradient's line at each record that holds a clipped step.
    fn draw_clipped(&self, plot: &Plot<'_>, shown: &[usize]) {
        let records = self.training.step_log().items();
        let (context, frame, s) = (plot.context, plot.frame, plot.theme.dpr);
        frame.clip(context, s);
        context.begin_path();
        for &i in shown {
            let r = &records[i];
            if r.clipped == 0 || !r.grad_norm.is_finite() {
                continue;
            }
            let (x, y) = frame.axis_to_css(r.at, r.grad_norm.log10());
            context.move_to(x * s, (y - 4.0) * s);
            context.line_to(x * s, (y + 4.0) * s);
        }
        context.set_stroke_style_str(&css(plot.theme.error));
        context.set_line_width(f64::from(plot.theme.thin_width));
        context.stroke();
        context.restore();
    }

    /// Where a run diverged: a line at its end and a banner, whose box it returns.
    fn draw_divergence(&self, plot: &Plot<'_>, at: f64) -> Option<LabelBox> {
        let d = self.training.diverged()?;
        let theme = plot.theme;
        plot.vertical(at, theme.error, theme.thin_width, Dash::Dashed);
        Some(plot.banner(&format!("diverged at step {}", d.step), theme.error, &[]))
    }
}

/// Each line's name right of the plot, at the height its line ends, nudged apart so that no
/// two overlap.
fn draw_names(plot: &Plot<'_>, ends: &[(String, RGBColor, Option<f64>)]) {
    let (context, frame, theme) = (plot.context, plot.frame, plot.theme);
    let s = theme.dpr;
    let gap = 1.1 * theme.label_font / s;
    let mut names: Vec<(f64, &String, RGBColor)> = ends
        .iter()
        .filter_map(|(name, color, y)| {
            let y = y.filter(|y| y.is_finite())?;
            let y = frame.axis_to_css(frame.x.1, y).1;
            Some((
                crate::chart::clamp(y, frame.top, frame.bottom),
                name,
                *color,
            ))
        })
        .collect();
    // A dozen names at most: insertion sort, without the standard sorts' kilobytes of wasm.
    for i in 1..names.len() {
        let mut j = i;
        while j > 0 && names[j - 1].0 > names[j].0 {
            names.swap(j - 1, j);
            j -= 1;
        }
    }
    for i in 1..names.len() {
        names[i].0 = names[i].0.max(names[i - 1].0 + gap);
    }
    // Pushed past the bottom, the names move back up together.
    let mut floor = frame.bottom;
    for name in names.iter_mut().rev() {
        name.0 = name.0.min(floor);
        floor = name.0 - gap;
    }
    context.set_font(&theme.css_font(theme.label_font));
    context.set_text_align("left");
    context.set_text_baseline("middle");
    for (y, name, color) in names {
        context.set_fill_style_str(&css(color));
        let _ = context.fill_text(name, (frame.right + 4.0) * s, y * s);
    }
}

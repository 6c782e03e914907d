//! Chapter 4's lab: descent paths on the contour map, the loss along the path, the final loss
//! against the learning rate, and four optimizers racing from one start.
//!
//! Every path comes from the engine's [`Descender`] (the one graph, PyTorch's update rules);
//! this module only maps paths to the map's axes and draws them.
//!
//! ```js
//! const map = new DescentMap(canvas);          // w^2 + b^2, from (8, 9), lr 0.1, 30 steps
//! map.run(8, 9, 0.1, 30);
//! map.point(30);                               // [0.0099…, 0.0111…, loss, ∂f/∂w, ∂f/∂b]
//! map.draw(30, -1, 640, 480, devicePixelRatio, false);
//! ```

use calculus::descent::{critical_rate, Descender, Optimizer, SweepPoint, DIVERGENCE_FACTOR};
use js_sys::Float64Array;
use plotters::prelude::RGBColor;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::canvas::Canvas;
use super::contour_map::ContourMap;
use super::marks::{
    arrows, backing, banner, beads, caption, css, disc, dot, polyline, ring, vertical,
};
use super::theme::{Scheme, Theme};
use super::{
    axes, draw_curve, format_number, format_significant, spot, view_range, Dash, Frame, LabelBox,
    Labels,
};
use crate::convert::{float64_array, js_error};

/// A path in the map's coordinates (u across, v up), with f and ∇f at every point.
#[derive(Default, Clone)]
struct Path {
    points: Vec<(f64, f64)>,
    loss: Vec<f64>,
    gradient: Vec<(f64, f64)>,
    diverged: bool,
}

/// One step of a path: the point, f there and ∇f there.
type Step = ((f64, f64), f64, (f64, f64));

impl Path {
    /// The step at which the run diverged: the first point not in the path.
    fn diverged_at(&self) -> Option<usize> {
        self.diverged.then_some(self.points.len())
    }

    /// Step `k`: its point, f and ∇f there (None past the end).
    fn step(&self, k: usize) -> Option<Step> {
        Some((
            *self.points.get(k)?,
            *self.loss.get(k)?,
            *self.gradient.get(k)?,
        ))
    }
}

/// The map's function compiled for descent, and which axis each of its variables is on.
struct Runner {
    descender: Descender,
    /// For each variable, in the descender's (sorted) order: 0 for u, 1 for v.
    axis_of: Vec<usize>,
}

impl Runner {
    fn new(map: &ContourMap) -> Result<Runner, JsError> {
        let expr = calculus::parse(&map.source).map_err(js_error)?;
        let descender = Descender::new(&expr);
        let (u, _) = map.names();
        let axis_of = descender
            .variables()
            .iter()
            .map(|name| usize::from(*name != u))
            .collect();
        Ok(Runner { descender, axis_of })
    }

    fn inputs(&self, (u, v): (f64, f64)) -> Vec<f64> {
        self.axis_of
            .iter()
            .map(|&axis| if axis == 0 { u } else { v })
            .collect()
    }

    /// A point of the engine's (sorted) variables on the map; an axis f ignores keeps `rest`.
    fn on_map(&self, p: &[f64], rest: (f64, f64)) -> (f64, f64) {
        let mut q = rest;
        for (&x, &axis) in p.iter().zip(&self.axis_of) {
            if axis == 0 {
                q.0 = x;
            } else {
                q.1 = x;
            }
        }
        q
    }

    fn run(
        &mut self,
        start: (f64, f64),
        learning_rate: f64,
        iterations: usize,
        optimizer: Optimizer,
    ) -> Result<Path, JsError> {
        let run = self
            .descender
            .run(&self.inputs(start), learning_rate, iterations, optimizer)
            .map_err(js_error)?;
        Ok(Path {
            points: run.path.iter().map(|p| self.on_map(p, start)).collect(),
            gradient: run
                .gradients
                .iter()
                .map(|g| self.on_map(g, (0.0, 0.0)))
                .collect(),
            loss: run.loss,
            diverged: run.diverged,
        })
    }
}

/// `source` as a map (on `like`'s range, when given) and compiled for descent: what a chart
/// swaps in whole when the reader types a function, keeping its own on error.
fn landscape(source: &str, like: Option<&ContourMap>) -> Result<(ContourMap, Runner), JsError> {
    let mut map = ContourMap::new(source)?;
    if let Some(old) = like {
        map.set_range(old.u.0, old.u.1, old.v.0, old.v.1)?;
    }
    let runner = Runner::new(&map)?;
    Ok((map, runner))
}

fn checked_iterations(iterations: u32) -> Result<usize, JsError> {
    if (1..=100_000).contains(&iterations) {
        Ok(iterations as usize)
    } else {
        Err(JsError::new("iterations must be between 1 and 100000"))
    }
}

/// `(0.0099, 0.0111)`: four significant digits, as the book quotes points.
fn point_text((u, v): (f64, f64)) -> String {
    format!(
        "({}, {})",
        format_significant(u, 4),
        format_significant(v, 4)
    )
}

// ---- the descent map --------------------------------------------------------------------

/// Plain gradient descent on the contour map: the path from a start the reader drags, its
/// green start and blue current point, and the step about to be taken.
#[wasm_bindgen]
pub struct DescentMap {
    canvas: Canvas,
    map: ContourMap,
    runner: Runner,
    path: Path,
    learning_rate: f64,
}

#[wasm_bindgen]
impl DescentMap {
    /// w² + b² on [−10, 10]², no path until `run`.
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<DescentMap, JsError> {
        let (map, runner) = landscape("w^2 + b^2", None)?;
        Ok(DescentMap {
            canvas: Canvas::new(canvas),
            runner,
            map,
            path: Path::default(),
            learning_rate: 0.1,
        })
    }

    /// Replaces f (at most two variables); on error the map keeps the last good one. The
    /// path is cleared until the next `run`.
    #[wasm_bindgen(js_name = setFunction)]
    pub fn set_function(&mut self, source: &str) -> Result<(), JsError> {
        (self.map, self.runner) = landscape(source, Some(&self.map))?;
        self.path = Path::default();
        Ok(())
    }

    #[wasm_bindgen(js_name = setRange)]
    pub fn set_range(&mut self, umin: f64, umax: f64, vmin: f64, vmax: f64) -> Result<(), JsError> {
        self.map.set_range(umin, umax, vmin, vmax)
    }

    /// The two variables, as `"w,b"`: horizontal axis first.
    #[wasm_bindgen(getter)]
    pub fn axes(&self) -> String {
        let (u, v) = self.map.names();
        format!("{u},{v}")
    }

    /// Runs plain gradient descent from (u, v). On error (f undefined at the start, a bad
    /// rate) the path is cleared and the error thrown.
    pub fn run(
        &mut self,
        u: f64,
        v: f64,
        learning_rate: f64,
        iterations: u32,
    ) -> Result<(), JsError> {
        self.path = Path::default();
        let iterations = checked_iterations(iterations)?;
        self.path = self
            .runner
            .run((u, v), learning_rate, iterations, Optimizer::Gd)?;
        self.learning_rate = learning_rate;
        Ok(())
    }

    /// Points in the path: the start and every step reached.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.path.points.len()
    }

    /// The step at which the run diverged, or −1.
    #[wasm_bindgen(getter, js_name = divergedAt)]
    pub fn diverged_at(&self) -> i32 {
        self.path.diverged_at().map_or(-1, |k| k as i32)
    }

    /// f at every point of the path.
    pub fn losses(&self) -> Float64Array {
        float64_array(&self.path.loss)
    }

    /// `[u, v, f, ∂f/∂u, ∂f/∂v]` at step `k` (empty past the end).
    pub fn point(&self, k: usize) -> Vec<f64> {
        self.path
            .step(k)
            .map_or_else(Vec::new, |((u, v), f, (gu, gv))| vec![u, v, f, gu, gv])
    }

    /// What step `k` shows, in words.
    pub fn readout(&self, k: usize) -> String {
        let (u, v) = self.map.names();
        let last = self.path.points.len().saturating_sub(1);
        let k = k.min(last);
        let Some((p, f, (gu, gv))) = self.path.step(k) else {
            return "No path yet.".to_string();
        };
        let mut text = format!(
            "step {k}: ({u}, {v}) = {}, f = {}, ∇f = [{}, {}], ‖∇f‖ = {}",
            point_text(p),
            format_significant(f, 4),
            format_significant(gu, 4),
            format_significant(gv, 4),
            format_significant(gu.hypot(gv), 4),
        );
        if let Some(at) = self.path.diverged_at() {
            if k == last {
                text.push_str(&format!(
                    ". Diverged at step {at}: the loss ran past {} times its start, so the run stopped.",
                    format_number(DIVERGENCE_FACTOR)
                ));
            }
        }
        text
    }

    pub fn describe(&self, k: usize) -> String {
        let (u, v) = self.map.names();
        let path = match (self.path.points.first(), self.path.diverged_at()) {
            (None, _) => "no path".to_string(),
            (Some(&start), None) => format!(
                "a descent path of {} steps at learning rate {} from {}",
                self.path.points.len() - 1,
                format_significant(self.learning_rate, 3),
                point_text(start)
            ),
            (Some(&start), Some(at)) => format!(
                "a descent path at learning rate {} from {} that diverges at step {at}",
                format_significant(self.learning_rate, 3),
                point_text(start)
            ),
        };
        format!(
            "Contour map of f({u}, {v}) = {} with {path}. Showing {}.",
            self.map.source,
            self.readout(k)
        )
    }

    #[wasm_bindgen(getter)]
    pub fn frame(&self) -> Option<Frame> {
        self.canvas.frame()
    }

    /// Draws the path up to step `k`, with a ring at step `highlight` (−1 for none).
    #[allow(clippy::too_many_arguments)]
    pub fn draw(
        &mut self,
        k: usize,
        highlight: i32,
        css_width: f64,
        css_height: f64,
        dpr: f64,
        dark: bool,
    ) -> Result<(), JsError> {
        let theme = Theme::new(Scheme::of(dark), dpr);
        let (root, context, frame) = self.map.draw(&self.canvas, css_width, css_height, &theme)?;
        let points = &self.path.points;
        let last = points.len().saturating_sub(1);
        let k = k.min(last);
        if let (Some(&start), Some(&current), Some(&(gu, gv))) =
            (points.first(), points.get(k), self.path.gradient.get(k))
        {
            let shown = points.get(..=k).unwrap_or_default();
            polyline(
                &context,
                &frame,
                &theme,
                shown,
                theme.path,
                theme.thin_width,
            );
            beads(&context, &frame, &theme, shown, theme.path);
            // The step about to be taken, −lr·∇f, at least 28 CSS pixels long so that its
            // direction shows where the steps are tiny, at most 90 where they are huge.
            let norm = gu.hypot(gv);
            if k < last || self.path.diverged {
                let step_px = self.learning_rate * norm * frame.scale().0;
                let per_unit = if norm > 0.0 {
                    step_px.clamp(28.0, 90.0) / norm
                } else {
                    0.0
                };
                arrows(
                    &context,
                    &frame,
                    &theme,
                    &[(current.0, current.1, -gu, -gv)],
                    per_unit,
                    theme.arrow,
                    theme.curve_width,
                );
            }
            dot(&context, &frame, &theme, start, theme.minimum);
            dot(&context, &frame, &theme, current, theme.curve);
            if let Some(&h) = usize::try_from(highlight).ok().and_then(|h| points.get(h)) {
                ring(&context, &theme, frame.to_css(h.0, h.1), theme.tangent);
            }
            // The start and the current step stay in sight under the words.
            let marks = [
                frame.to_css(start.0, start.1),
                frame.to_css(current.0, current.1),
            ];
            let mut keep_clear: Vec<LabelBox> = marks.iter().map(|&p| spot(p)).collect();
            let (x, y) = marks[1];
            let off_map = !(frame.left..=frame.right).contains(&x)
                || !(frame.top..=frame.bottom).contains(&y);
            let message = match self.path.diverged_at() {
                Some(at) if k == last => Some(format!("diverged at step {at}")),
                _ if off_map => Some("the path has left the map".to_string()),
                _ => None,
            };
            if let Some(message) = message {
                keep_clear.push(banner(
                    &context,
                    &theme,
                    &frame,
                    &message,
                    theme.arrow,
                    &marks,
                ));
            }
            caption(
                &context,
                &theme,
                &frame,
                // Of the steps taken, as the step counter says; a diverged run's banner names
                // the step that was refused.
                &format!(
                    "step {k} of {last}, η {}",
                    format_significant(self.learning_rate, 3)
                ),
                &keep_clear,
            );
        }
        super::drawing(root.present())?;
        drop(root);
        self.canvas.set_frame(frame);
        Ok(())
    }
}

// ---- the loss curve ---------------------------------------------------------------------

/// f along a path against the step, on a log axis while every loss is positive.
#[wasm_bindgen]
pub struct LossCurve {
    canvas: Canvas,
}

#[wasm_bindgen]
impl LossCurve {
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> LossCurve {
        LossCurve {
            canvas: Canvas::new(canvas),
        }
    }

    #[wasm_bindgen(getter)]
    pub fn frame(&self) -> Option<Frame> {
        self.canvas.frame()
    }

    /// Whether `losses` are drawn on a log axis (none negative) or a linear one.
    #[wasm_bindgen(js_name = logScale)]
    pub fn log_scale(losses: &[f64]) -> bool {
        LossAxis::for_losses(losses).log
    }

    /// The losses up to step `current` strong and the rest of the run faint, over `steps`
    /// planned steps; a ring at `highlight` and the step the run diverged at (−1: neither).
    #[allow(clippy::too_many_arguments)]
    pub fn draw(
        &mut self,
        losses: &[f64],
        steps: u32,
        current: usize,
        highlight: i32,
        diverged_at: i32,
        css_width: f64,
        css_height: f64,
        dpr: f64,
        dark: bool,
    ) -> Result<(), JsError> {
        let theme = Theme::new(Scheme::of(dark), dpr);
        let axis = LossAxis::for_losses(losses);
        let log = axis.log;
        let ys: Vec<f64> = losses.iter().map(|&l| axis.at(l)).collect();
        let y = if log {
            let lo = ys
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .fold(f64::INFINITY, f64::min);
            let hi = ys
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .fold(f64::NEG_INFINITY, f64::max);
            if lo.is_finite() && hi > lo {
                let pad = 0.06 * (hi - lo);
                (lo - pad, hi + pad)
            } else {
                (lo - 1.0, lo + 1.0)
            }
        } else {
            view_range(ys.iter().copied())
        };
        let y = if y.0.is_finite() && y.1.is_finite() {
            y
        } else {
            (0.0, 1.0)
        };
        let x = (0.0, f64::from(steps.max(1)));
        let (root, context) = self.canvas.begin(css_width, css_height, dpr)?;
        let (_, frame) = axes(
            &root,
            &theme,
            x,
            y,
            &Labels {
                log_y: log,
                zero_lines: !log,
                ..Labels::new("step", if log { "loss (log scale)" } else { "loss" })
            },
        )?;
        let points = |range: &[f64], from: usize| -> Vec<(f64, f64)> {
            range
                .iter()
                .enumerate()
                .map(|(i, &y)| ((from + i) as f64, y))
                .collect()
        };
        let current = current.min(ys.len().saturating_sub(1));
        draw_curve(
            &context,
            &frame,
            &theme,
            points(&ys, 0),
            theme.grid,
            theme.curve_width,
            Dash::Solid,
        );
        draw_curve(
            &context,
            &frame,
            &theme,
            points(ys.get(..=current).unwrap_or_default(), 0),
            theme.curve,
            theme.curve_width,
            Dash::Solid,
        );
        if let Some(&yc) = ys.get(current) {
            let (px, py) = frame.axis_to_css(current as f64, yc);
            disc(&context, &theme, (px, py), theme.curve);
        }
        if let Some(&yh) = usize::try_from(highlight).ok().and_then(|h| ys.get(h)) {
            let h = highlight as f64;
            vertical(
                &context,
                &frame,
                &theme,
                h,
                theme.tangent,
                theme.thin_width,
                Dash::Dashed,
            );
            ring(&context, &theme, frame.axis_to_css(h, yh), theme.tangent);
        }
        if diverged_at >= 0 {
            let d = f64::from(diverged_at);
            vertical(
                &context,
                &frame,
                &theme,
                d,
                theme.arrow,
                theme.thin_width,
                Dash::Dashed,
            );
            banner(
                &context,
                &theme,
                &frame,
                &format!("diverged at step {diverged_at}"),
                theme.arrow,
                &[],
            );
        }
        super::drawing(root.present())?;
        drop(root);
        self.canvas.set_frame(frame);
        Ok(())
    }
}

/// How losses map to a chart's y axis: log10 while none is negative, else the loss itself.
struct LossAxis {
    log: bool,
    /// On a log axis, 24 decades below the largest loss is as far down as it goes: a path
    /// that lands exactly on the minimum (loss 0) is drawn on that floor.
    floor: f64,
}

impl LossAxis {
    fn for_losses(losses: &[f64]) -> LossAxis {
        // A loss of exactly 0 (a step that lands on the minimum) sits on the floor.
        let log = losses.iter().all(|l| *l >= 0.0 || !l.is_finite())
            && losses.iter().any(|l| l.is_finite() && *l > 0.0);
        let top = losses
            .iter()
            .copied()
            .filter(|l| l.is_finite())
            .fold(f64::NEG_INFINITY, f64::max);
        LossAxis {
            log,
            floor: top.log10() - 24.0,
        }
    }

    fn at(&self, loss: f64) -> f64 {
        if self.log {
            loss.log10().max(self.floor)
        } else {
            loss
        }
    }
}

// ---- the learning-rate sweep ------------------------------------------------------------

/// The range of the sweep, as in the lab's slider: 0.001 to 2.
const SWEEP_RATES: (f64, f64) = (1e-3, 2.0);
/// Learning rates in a sweep (the bench's 200 × 100 steps).
const SWEEP_POINTS: usize = 200;

/// Where a rate of the sweep falls.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Region {
    TooSmall,
    Good,
    TooLarge,
    Diverges,
}

/// The final loss after N steps of plain descent against the learning rate, log-log, with
/// the too-small, good and diverging regions and the critical rate 2/L.
#[wasm_bindgen]
pub struct LearningRateSweep {
    canvas: Canvas,
    map: ContourMap,
    runner: Runner,
    points: Vec<SweepPoint>,
    start: (f64, f64),
    start_loss: f64,
    steps: usize,
    critical: Option<f64>,
    /// Where the best run ended, at which L was measured.
    best_end: Option<(f64, f64)>,
}

#[wasm_bindgen]
impl LearningRateSweep {
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<LearningRateSweep, JsError> {
        let (map, runner) = landscape("w^2 + b^2", None)?;
        Ok(LearningRateSweep {
            canvas: Canvas::new(canvas),
            runner,
            map,
            points: Vec::new(),
            start: (0.0, 0.0),
            start_loss: f64::NAN,
            steps: 100,
            critical: None,
            best_end: None,
        })
    }

    #[wasm_bindgen(js_name = setFunction)]
    pub fn set_function(&mut self, source: &str) -> Result<(), JsError> {
        (self.map, self.runner) = landscape(source, Some(&self.map))?;
        self.points.clear();
        Ok(())
    }

    /// Runs `steps` steps from (u, v) at each of 200 rates spaced evenly in log from 0.001
    /// to 2, and finds the critical rate 2/L where the best of them ended.
    pub fn compute(&mut self, u: f64, v: f64, steps: u32) -> Result<(), JsError> {
        let steps = checked_iterations(steps)?;
        let (lo, hi) = (SWEEP_RATES.0.log10(), SWEEP_RATES.1.log10());
        let rates: Vec<f64> = (0..SWEEP_POINTS)
            .map(|i| 10f64.powf(lo + (hi - lo) * i as f64 / (SWEEP_POINTS - 1) as f64))
            .collect();
        let start = self.runner.inputs((u, v));
        self.points.clear();
        self.points = self
            .runner
            .descender
            .sweep(&start, &rates, steps, Optimizer::Gd)
            .map_err(js_error)?;
        self.steps = steps;
        self.start = (u, v);
        self.start_loss = self.map.f.value(u, v);
        let best = self
            .points
            .iter()
            .filter(|p| p.diverged_at.is_none() && p.loss.is_finite())
            .min_by(|a, b| a.loss.total_cmp(&b.loss))
            .copied();
        self.best_end = None;
        self.critical = None;
        if let Some(best) = best {
            let path = self
                .runner
                .run((u, v), best.learning_rate, steps, Optimizer::Gd)?;
            if let Some(&end) = path.points.last() {
                let expr = calculus::parse(&self.map.source).map_err(js_error)?;
                let (un, vn) = self.map.names();
                self.critical =
                    critical_rate(&expr, &[(&un, end.0), (&vn, end.1)]).map_err(js_error)?;
                self.best_end = Some(end);
            }
        }
        Ok(())
    }

    /// 2/L at the best run's end, or NaN where f does not curve upwards there.
    #[wasm_bindgen(getter, js_name = criticalRate)]
    pub fn critical_rate(&self) -> f64 {
        self.critical.unwrap_or(f64::NAN)
    }

    /// The sweep, flat: `[rate, final loss, step it diverged at or −1, …]`.
    pub fn points(&self) -> Float64Array {
        let flat: Vec<f64> = self
            .points
            .iter()
            .flat_map(|p| {
                [
                    p.learning_rate,
                    p.loss,
                    p.diverged_at.map_or(-1.0, |k| k as f64),
                ]
            })
            .collect();
        float64_array(&flat)
    }

    /// What the sweep says about `rate` (the lab's), in words.
    pub fn readout(&mut self, rate: f64) -> String {
        let critical = match (self.critical, self.best_end) {
            (Some(c), Some((u, v))) => {
                // The best run ends at the minimum to within 10⁻¹⁹⁴ or so: say "(0, 0)".
                let shown = |x: f64| if x.abs() < 1e-9 { 0.0 } else { x };
                format!(
                    "Critical rate 2/L = {} (L, the largest curvature, measured where the best run ended, {}).",
                    format_significant(c, 4),
                    point_text((shown(u), shown(v)))
                )
            }
            _ => "f does not curve upwards where the best run ended, so no critical rate."
                .to_string(),
        };
        let run = self
            .runner
            .run(self.start, rate, self.steps, Optimizer::Gd)
            .ok();
        let outcome = match run {
            None => "no run".to_string(),
            Some(run) => match (run.diverged_at(), run.loss.last()) {
                (Some(k), _) => format!("diverges at step {k}"),
                (None, Some(&f)) => format!(
                    "ends at loss {} after {} steps (from {})",
                    format_significant(f, 3),
                    self.steps,
                    format_significant(self.start_loss, 3)
                ),
                (None, None) => "no run".to_string(),
            },
        };
        format!(
            "Learning rate {}: {outcome}. {critical}",
            format_significant(rate, 3)
        )
    }

    /// What the chart shows, for its label; the readout of a rate goes after it.
    pub fn describe(&self) -> String {
        format!(
            "Final loss after {} steps of gradient descent on f = {} against the learning rate from 0.001 to 2, both on log scales.",
            self.steps, self.map.source,
        )
    }

    #[wasm_bindgen(getter)]
    pub fn frame(&self) -> Option<Frame> {
        self.canvas.frame()
    }

    /// The sweep with the lab's `rate` marked; the x axis is log10 of the rate.
    pub fn draw(
        &mut self,
        rate: f64,
        css_width: f64,
        css_height: f64,
        dpr: f64,
        dark: bool,
    ) -> Result<(), JsError> {
        let theme = Theme::new(Scheme::of(dark), dpr);
        let finals: Vec<f64> = self
            .points
            .iter()
            .filter(|p| p.diverged_at.is_none())
            .map(|p| p.loss)
            .chain([self.start_loss])
            .collect();
        let axis = LossAxis::for_losses(&finals);
        let log = axis.log;
        let start = axis.at(self.start_loss);
        let values: Vec<Option<f64>> = self
            .points
            .iter()
            .map(|p| p.diverged_at.is_none().then(|| axis.at(p.loss)))
            .collect();
        let y = view_range(values.iter().flatten().copied().chain([start]));
        let y = (y.0, y.1 + 0.12 * (y.1 - y.0));
        let x = (SWEEP_RATES.0.log10(), SWEEP_RATES.1.log10());
        let (root, context) = self.canvas.begin(css_width, css_height, dpr)?;
        let (_, frame) = axes(
            &root,
            &theme,
            x,
            y,
            &Labels {
                log_y: log,
                log_x: true,
                ..Labels::new("learning rate (log scale)", "final loss")
            },
        )?;
        let regions = regions(&values, start);
        shade(&context, &theme, &frame, &self.points, &regions);
        // The start's loss: above this line a run ended worse off than it began.
        draw_curve(
            &context,
            &frame,
            &theme,
            [(x.0, start), (x.1, start)],
            theme.axis,
            theme.grid_width,
            Dash::Dashed,
        );
        let curve: Vec<(f64, f64)> = self
            .points
            .iter()
            .zip(&values)
            .map(|(p, v)| (p.learning_rate.log10(), v.unwrap_or(f64::NAN)))
            .collect();
        draw_curve(
            &context,
            &frame,
            &theme,
            curve.iter().copied(),
            theme.curve,
            theme.curve_width,
            Dash::Solid,
        );
        // Diverged runs have no final loss: a cross along the top.
        let s = theme.dpr;
        context.set_stroke_style_str(&css(theme.arrow));
        context.set_line_width(f64::from(theme.thin_width));
        context.begin_path();
        for p in self.points.iter().filter(|p| p.diverged_at.is_some()) {
            let (px, _) = frame.axis_to_css(p.learning_rate.log10(), y.1);
            let py = frame.top + 8.0;
            context.move_to((px - 3.0) * s, (py - 3.0) * s);
            context.line_to((px + 3.0) * s, (py + 3.0) * s);
            context.move_to((px + 3.0) * s, (py - 3.0) * s);
            context.line_to((px - 3.0) * s, (py + 3.0) * s);
        }
        context.stroke();
        // A marker's name goes at the top of the plot (below the regions' names) or at its
        // bottom, whichever the curve crosses less near the marker: the good rates end near
        // zero, the rates around 2/L high.
        let quieter_at_top = |x10: f64| {
            let (cx, _) = frame.axis_to_css(x10, frame.y.0);
            let band = 2.0 * 1.4 * theme.label_font / theme.dpr;
            let (mut top, mut bottom) = (0, 0);
            for &(u, v) in curve.iter().filter(|(_, v)| v.is_finite()) {
                let (px, py) = frame.axis_to_css(u, v);
                if (px - cx).abs() < 90.0 {
                    top += usize::from(py < frame.top + 34.0 + band);
                    bottom += usize::from(py > frame.bottom - band);
                }
            }
            top < bottom
        };
        if let Some(c) = self
            .critical
            .filter(|c| (SWEEP_RATES.0..=SWEEP_RATES.1).contains(c))
        {
            let c10 = c.log10();
            marker(
                &context,
                &frame,
                &theme,
                (c10, &format!("2/L = {}", format_significant(c, 3))),
                (theme.arrow, theme.thin_width, Dash::Dashed),
                (quieter_at_top(c10), 0.0),
            );
        }
        if rate.is_finite() && rate > 0.0 {
            let r10 = rate.log10().clamp(x.0, x.1);
            marker(
                &context,
                &frame,
                &theme,
                (r10, &format!("η = {}", format_significant(rate, 3))),
                (theme.tangent, theme.curve_width, Dash::Solid),
                (quieter_at_top(r10), 1.0),
            );
        }
        super::drawing(root.present())?;
        drop(root);
        self.canvas.set_frame(frame);
        Ok(())
    }
}

/// Sorts each rate: good where the final loss fell at least halfway (in the chart's units)
/// from the start's to the best's; too small or too large on either side of the best; diverges
/// where the run blew up or ended above where it began.
fn regions(values: &[Option<f64>], start: f64) -> Vec<Region> {
    let best_index = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i);
    let Some(best_index) = best_index else {
        return vec![Region::Diverges; values.len()];
    };
    let best = values.get(best_index).copied().flatten().unwrap_or(start);
    let good = best + 0.5 * (start - best);
    values
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            None => Region::Diverges,
            Some(v) if *v > start && i > best_index => Region::Diverges,
            Some(v) if *v <= good => Region::Good,
            _ if i < best_index => Region::TooSmall,
            _ => Region::TooLarge,
        })
        .collect()
}

/// Tints each region's span of rates and names it along the top.
fn shade(
    context: &CanvasRenderingContext2d,
    theme: &Theme,
    frame: &Frame,
    points: &[SweepPoint],
    regions: &[Region],
) {
    let s = theme.dpr;
    let x_of = |i: usize| {
        points
            .get(i)
            .map_or(frame.x.1, |p: &SweepPoint| p.learning_rate.log10())
    };
    let mut i = 0;
    frame.clip(context, s);
    while let Some(&region) = regions.get(i) {
        let mut j = i;
        while regions.get(j + 1) == Some(&region) {
            j += 1;
        }
        // Spans meet halfway between neighbouring rates.
        let left = if i == 0 {
            frame.x.0
        } else {
            (x_of(i - 1) + x_of(i)) / 2.0
        };
        let right = if j + 1 >= regions.len() {
            frame.x.1
        } else {
            (x_of(j) + x_of(j + 1)) / 2.0
        };
        let (x0, _) = frame.axis_to_css(left, frame.y.0);
        let (x1, _) = frame.axis_to_css(right, frame.y.0);
        let (color, name) = match region {
            Region::TooSmall => (theme.axis, "too small"),
            Region::Good => (theme.minimum, "good"),
            Region::TooLarge => (theme.secant, "too large"),
            Region::Diverges => (theme.arrow, "diverges"),
        };
        context.set_global_alpha(0.10);
        context.set_fill_style_str(&css(color));
        context.fill_rect(
            x0 * s,
            frame.top * s,
            (x1 - x0) * s,
            (frame.bottom - frame.top) * s,
        );
        context.set_global_alpha(1.0);
        context.set_font(&format!("{}px {}", theme.label_font, theme.font_family));
        let width = context.measure_text(name).map(|m| m.width()).unwrap_or(0.0);
        if width + 8.0 * s < (x1 - x0) * s {
            context.set_fill_style_str(&css(theme.muted_text));
            context.set_text_align("center");
            context.set_text_baseline("top");
            let _ = context.fill_text(name, (x0 + x1) / 2.0 * s, (frame.top + 18.0) * s);
        }
        i = j + 1;
    }
    context.restore();
}

/// A vertical line at x (axis units) named by `text`: `(top, row)` puts the name at the top
/// of the plot (below the regions' names) or at its bottom, `row` names further in.
fn marker(
    context: &CanvasRenderingContext2d,
    frame: &Frame,
    theme: &Theme,
    (x, text): (f64, &str),
    (color, width, dash): (RGBColor, u32, Dash),
    (top, row): (bool, f64),
) {
    vertical(context, frame, theme, x, color, width, dash);
    let s = theme.dpr;
    let line = 1.4 * theme.label_font / s;
    // The text's bottom edge, in CSS pixels: the regions' names take the top 32.
    let bottom = if top {
        frame.top + 34.0 + (row + 1.0) * line
    } else {
        frame.bottom - 4.0 - row * line
    };
    label(
        context,
        theme,
        (frame.axis_to_css(x, frame.y.0).0, bottom),
        text,
        color,
    );
}

/// Text in `color` beside a vertical line at `at.0`, its bottom edge at `at.1` (CSS pixels).
fn label(
    context: &CanvasRenderingContext2d,
    theme: &Theme,
    at: (f64, f64),
    text: &str,
    color: RGBColor,
) {
    let s = theme.dpr;
    context.save();
    context.set_font(&format!("{}px {}", theme.label_font, theme.font_family));
    let width = context.measure_text(text).map(|m| m.width()).unwrap_or(0.0);
    // Right of the line, unless that would run off the canvas.
    let canvas_width = context
        .canvas()
        .map_or(f64::INFINITY, |c| f64::from(c.width()));
    let right = at.0 * s + 4.0 * s;
    let x = if right + width + 4.0 * s > canvas_width {
        at.0 * s - 4.0 * s - width
    } else {
        right
    };
    let y = at.1 * s;
    backing(context, theme, x, y, width);
    context.set_fill_style_str(&css(color));
    context.set_text_align("left");
    context.set_text_baseline("bottom");
    let _ = context.fill_text(text, x, y);
    context.restore();
}

// ---- the optimizer race -----------------------------------------------------------------

/// The four optimizers of the race, in the order of [`Theme::racers`].
const RACERS: [&str; 4] = ["gd", "momentum", "rmsprop", "adam"];

struct Racer {
    optimizer: Optimizer,
    learning_rate: f64,
    enabled: bool,
    path: Path,
}

/// GD, momentum, RMSprop and Adam from one start on one map, each with its own settings.
#[wasm_bindgen]
pub struct OptimizerRace {
    canvas: Canvas,
    map: ContourMap,
    runner: Runner,
    racers: Vec<Racer>,
}

#[wasm_bindgen]
impl OptimizerRace {
    /// The elongated bowl w² + 10b², where plain descent zig-zags.
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<OptimizerRace, JsError> {
        let (map, runner) = landscape("w^2 + 10b^2", None)?;
        let racers = [
            (Optimizer::Gd, 0.09),
            (Optimizer::momentum(), 0.02),
            (Optimizer::rms_prop(), 0.05),
            (Optimizer::adam(), 0.5),
        ]
        .into_iter()
        .map(|(optimizer, learning_rate)| Racer {
            optimizer,
            learning_rate,
            enabled: true,
            path: Path::default(),
        })
        .collect();
        Ok(OptimizerRace {
            canvas: Canvas::new(canvas),
            runner,
            map,
            racers,
        })
    }

    #[wasm_bindgen(js_name = setFunction)]
    pub fn set_function(&mut self, source: &str) -> Result<(), JsError> {
        (self.map, self.runner) = landscape(source, Some(&self.map))?;
        for racer in &mut self.racers {
            racer.path = Path::default();
        }
        Ok(())
    }

    #[wasm_bindgen(js_name = setRange)]
    pub fn set_range(&mut self, umin: f64, umax: f64, vmin: f64, vmax: f64) -> Result<(), JsError> {
        self.map.set_range(umin, umax, vmin, vmax)
    }

    /// Racer `index` (0 gd, 1 momentum, 2 rmsprop, 3 adam): `{learningRate, momentum, alpha,
    /// beta1, beta2, epsilon, enabled}`, any left out keeping PyTorch's defaults.
    #[wasm_bindgen(js_name = setRacer)]
    pub fn set_racer(&mut self, index: usize, options: &JsValue) -> Result<(), JsError> {
        let given = crate::convert::object_of(options, "racer options")?;
        let name = RACERS
            .get(index)
            .ok_or_else(|| JsError::new("racer index must be 0 to 3"))?;
        // A copy, named with its optimizer: the caller's object is left as it was.
        let options = js_sys::Object::assign(&js_sys::Object::new(), &given);
        js_sys::Reflect::set(&options, &"optimizer".into(), &JsValue::from_str(name))
            .map_err(|_| JsError::new("racer options must be a plain object"))?;
        let optimizer = crate::optimizer_of(&options)?;
        // Refused here, beside the field that set it: accepted, it would stop the whole race.
        optimizer.validate().map_err(js_error)?;
        let learning_rate = crate::convert::optional_number(&options, "learningRate")?;
        let enabled = js_sys::Reflect::get(&options, &"enabled".into())
            .ok()
            .and_then(|v| v.as_bool());
        let Some(racer) = self.racers.get_mut(index) else {
            return Err(JsError::new("racer index must be 0 to 3"));
        };
        if let Some(lr) = learning_rate {
            if !(lr.is_finite() && lr > 0.0) {
                return Err(JsError::new(
                    "learning rate must be a positive finite number",
                ));
            }
            racer.learning_rate = lr;
        }
        racer.optimizer = optimizer;
        if let Some(enabled) = enabled {
            racer.enabled = enabled;
        }
        Ok(())
    }

    /// `[learning rate, momentum or alpha or beta1, beta2]` of racer `index`, for the fields.
    pub fn settings(&self, index: usize) -> Vec<f64> {
        let Some(racer) = self.racers.get(index) else {
            return Vec::new();
        };
        let mut out = vec![racer.learning_rate];
        match racer.optimizer {
            Optimizer::Gd => {}
            Optimizer::Momentum { momentum } => out.push(momentum),
            Optimizer::RmsProp { alpha, .. } => out.push(alpha),
            Optimizer::Adam { beta1, beta2, .. } => out.extend([beta1, beta2]),
        }
        out
    }

    /// Runs every enabled racer from (u, v). The first error (f undefined at the start)
    /// clears the paths and is thrown.
    pub fn run(&mut self, u: f64, v: f64, iterations: u32) -> Result<(), JsError> {
        let iterations = checked_iterations(iterations)?;
        for racer in &mut self.racers {
            racer.path = Path::default();
        }
        for i in 0..self.racers.len() {
            let Some(racer) = self.racers.get(i) else {
                continue;
            };
            if !racer.enabled {
                continue;
            }
            let (optimizer, lr) = (racer.optimizer, racer.learning_rate);
            let path = self.runner.run((u, v), lr, iterations, optimizer)?;
            if let Some(racer) = self.racers.get_mut(i) {
                racer.path = path;
            }
        }
        Ok(())
    }

    /// Points in racer `index`'s path (0 when it is off).
    pub fn length(&self, index: usize) -> usize {
        self.racers.get(index).map_or(0, |r| r.path.points.len())
    }

    /// The step racer `index` diverged at, or −1.
    #[wasm_bindgen(js_name = divergedAt)]
    pub fn diverged_at(&self, index: usize) -> i32 {
        self.racers
            .get(index)
            .and_then(|r| r.path.diverged_at())
            .map_or(-1, |k| k as i32)
    }

    /// `[u, v, f]` of racer `index` at step `k` (its last point past its end; empty if off).
    pub fn point(&self, index: usize, k: usize) -> Vec<f64> {
        let Some(racer) = self.racers.get(index) else {
            return Vec::new();
        };
        let k = k.min(racer.path.points.len().saturating_sub(1));
        match (racer.path.points.get(k), racer.path.loss.get(k)) {
            (Some(&(u, v)), Some(&f)) => vec![u, v, f],
            _ => Vec::new(),
        }
    }

    /// `#rrggbb` of each racer in the light or dark theme.
    pub fn colors(dark: bool) -> Vec<String> {
        Theme::new(Scheme::of(dark), 1.0)
            .racers
            .iter()
            .map(|c| super::theme::hex(*c))
            .collect()
    }

    pub fn describe(&self, k: usize) -> String {
        let racers: Vec<String> = RACERS
            .iter()
            .zip(&self.racers)
            .filter(|(_, r)| r.enabled)
            .map(|(name, r)| {
                let last = r.path.points.len().saturating_sub(1);
                match (r.path.diverged_at(), r.path.loss.get(k.min(last))) {
                    (Some(at), _) if k >= last => format!("{name} diverged at step {at}"),
                    (_, Some(f)) => format!("{name} at loss {}", format_significant(*f, 3)),
                    _ => format!("{name} has no path"),
                }
            })
            .collect();
        format!(
            "Contour map of f = {} with four optimizers racing from one start; at step {k}: {}.",
            self.map.source,
            racers.join(", ")
        )
    }

    #[wasm_bindgen(getter)]
    pub fn frame(&self) -> Option<Frame> {
        self.canvas.frame()
    }

    /// Every racer's path up to step `k`.
    pub fn draw(
        &mut self,
        k: usize,
        css_width: f64,
        css_height: f64,
        dpr: f64,
        dark: bool,
    ) -> Result<(), JsError> {
        let theme = Theme::new(Scheme::of(dark), dpr);
        let (root, context, frame) = self.map.draw(&self.canvas, css_width, css_height, &theme)?;
        for (racer, &color) in self.racers.iter().zip(&theme.racers) {
            if !racer.enabled {
                continue;
            }
            let points = &racer.path.points;
            let shown = points
                .get(..=k.min(points.len().saturating_sub(1)))
                .unwrap_or_default();
            polyline(&context, &frame, &theme, shown, color, theme.curve_width);
            if let Some(&end) = shown.last() {
                dot(&context, &frame, &theme, end, color);
            }
        }
        let start = self.racers.iter().find_map(|r| r.path.points.first());
        if let Some(&start) = start {
            dot(&context, &frame, &theme, start, theme.path);
        }
        // Clear of the common start, which the reader drags.
        let keep_clear: Vec<LabelBox> = start
            .map(|p| spot(frame.to_css(p.0, p.1)))
            .into_iter()
            .collect();
        caption(&context, &theme, &frame, &format!("step {k}"), &keep_clear);
        super::drawing(root.present())?;
        drop(root);
        self.canvas.set_frame(frame);
        Ok(())
    }
}

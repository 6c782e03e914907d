//! GD, momentum, RMSprop and Adam racing from one start on one contour map.
//!
//! ```js
//! const race = new OptimizerRace(canvas);      // w^2 + 10b^2
//! race.run(-8, 4, 100);
//! race.point(3, 100);                          // Adam's [u, v, f] at step 100
//! ```

use calculus::descent::Optimizer;
use wasm_bindgen::prelude::*;

use crate::book;
use web_sys::HtmlCanvasElement;

use super::canvas::{Canvas, DrawResult, Figure, Pen};
use super::contour_map::ContourMap;
use crate::figure;

use super::theme::{Scheme, Theme};
use super::{format_significant, spot, Frame, LabelBox};
use crate::convert::js_error;

use super::path::{checked_iterations, landscape, Path, Runner};

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
    /// The step every racer is shown at.
    step: usize,
}

#[wasm_bindgen]
impl OptimizerRace {
    /// The elongated bowl w² + 10b², where plain descent zig-zags.
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<OptimizerRace, JsError> {
        let valley = &book::LANDSCAPES[book::RACE_LANDSCAPE];
        let (map, runner) = landscape(valley.source, None)?;
        let racers = (0..book::RACERS.len())
            .filter_map(|i| valley.race.racer(i))
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
            step: 0,
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

    /// The two variables, as `"w,b"`: horizontal axis first ("Copy as Python" names them).
    #[wasm_bindgen(getter)]
    pub fn axes(&self) -> String {
        let (u, v) = self.map.names();
        format!("{u},{v}")
    }

    #[wasm_bindgen(js_name = setRange)]
    pub fn set_range(&mut self, umin: f64, umax: f64, vmin: f64, vmax: f64) -> Result<(), JsError> {
        self.map.set_range(umin, umax, vmin, vmax)
    }

    /// Racer `index` (0 gd, 1 momentum, 2 rmsprop, 3 adam): `{learningRate, momentum, alpha,
    /// beta1, beta2, epsilon, enabled}`, any left out keeping PyTorch's defaults.
    #[wasm_bindgen(js_name = setRacer)]
    pub fn set_racer(&mut self, index: usize, options: &JsValue) -> Result<(), JsError> {
        let name = (book::RACERS.get(index).map(|r| r.key))
            .ok_or_else(|| JsError::new("racer index must be 0 to 3"))?;
        let given = crate::convert::racer(options, name)?;
        // Refused here, beside the field that set it: accepted, it would stop the whole race.
        given.optimizer.validate().map_err(js_error)?;
        let Some(racer) = self.racers.get_mut(index) else {
            return Err(JsError::new("racer index must be 0 to 3"));
        };
        if let Some(lr) = given.learning_rate {
            if !(lr.is_finite() && lr > 0.0) {
                return Err(JsError::new(
                    "learning rate must be a positive finite number",
                ));
            }
            racer.learning_rate = lr;
        }
        racer.optimizer = given.optimizer;
        if let Some(enabled) = given.enabled {
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
        let racers: Vec<String> = (book::RACERS.iter().map(|r| r.key))
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
            self.map.spoken,
            racers.join(", ")
        )
    }

    /// Shows every racer's path up to step `k`.
    #[wasm_bindgen(js_name = setStep)]
    pub fn set_step(&mut self, k: usize) {
        self.step = k;
    }
}

impl Figure for OptimizerRace {
    fn canvas(&self) -> DrawResult<&Canvas> {
        Ok(&self.canvas)
    }

    fn paint(&self, pen: &Pen<'_>) -> DrawResult<Frame> {
        let frame = self.map.draw(pen)?;
        let (plot, theme, k) = (pen.plot(&frame), &pen.theme, self.step);
        for (racer, &color) in self.racers.iter().zip(&theme.racers) {
            let points = &racer.path.points;
            let shown = points.get(..=k.min(points.len().saturating_sub(1)));
            let Some(shown) = shown.filter(|_| racer.enabled) else {
                continue;
            };
            plot.polyline(shown, color, theme.curve_width);
            if let Some(&end) = shown.last() {
                plot.dot(end, color);
            }
        }
        let start = self.racers.iter().find_map(|r| r.path.points.first());
        if let Some(&start) = start {
            plot.dot(start, theme.path);
        }
        // Clear of the common start, which the reader drags.
        let keep_clear: Vec<LabelBox> = start
            .map(|p| spot(frame.to_css(p.0, p.1)))
            .into_iter()
            .collect();
        plot.caption(&format!("step {k}"), &keep_clear);
        Ok(frame)
    }
}

figure!(OptimizerRace);

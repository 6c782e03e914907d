//! GD, momentum, RMSprop and Adam racing from one start on one contour map.
//!
//! ```js
//! const race = new OptimizerRace(canvas);      // w^2 + 10b^2
//! race.run(-8, 4, 100);
//! race.point(3, 100);                          // Adam's [u, v, f] at step 100
//! ```

use calculus::descent::Optimizer;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::canvas::{Canvas, Pen, View};
use super::contour_map::ContourMap;

use super::theme::{Scheme, Theme};
use super::{format_significant, spot, Frame, LabelBox};
use crate::convert::js_error;

use super::path::*;

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
        let (area, context) = self.canvas.begin(css_width, css_height, dpr)?;
        let (theme, view) = (
            Theme::new(Scheme::of(dark), dpr),
            View::new(css_width, css_height, dpr, dark),
        );
        let pen = Pen {
            area,
            context,
            theme,
            view,
        };
        let (frame, theme) = (self.map.draw(&pen)?, &pen.theme);
        let plot = pen.plot(&frame);
        for (racer, &color) in self.racers.iter().zip(&theme.racers) {
            if !racer.enabled {
                continue;
            }
            let points = &racer.path.points;
            let shown = points
                .get(..=k.min(points.len().saturating_sub(1)))
                .unwrap_or_default();
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
        super::drawing(pen.area.present())?;
        drop(pen);
        self.canvas.set_frame(frame);
        Ok(())
    }
}

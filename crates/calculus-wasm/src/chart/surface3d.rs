//! Chapter 2's loss landscape: f(w, b) as a shaded 3D surface you can turn, with the slice
//! at b = b₀ (or w = w₀) drawn in red along it.
//!
//! The surface is rasterised by [`raster`], not plotters, to turn smoothly. Turning uses a
//! coarser mesh, and the full one is drawn when the reader lets go; moving the slice or its
//! point reuses the last picture.
//!
//! Dragging on the surface near the slice's point moves the point instead: `sliceAt` projects
//! the pointer onto the red curve as drawn.
//!
//! ```js
//! const surface = new LossSurface(canvas);   // w^2 + b^2 on [-10, 10]², slice at b = 5
//! surface.setSlice(1, 5, 3);                 // b held at 5, the point at w = 3
//! surface.setCamera(-0.6, 0.55, false);      // yaw, pitch; not turning: the fine mesh
//! surface.draw(640, 400, devicePixelRatio, false);
//! surface.sliceAt(x, y);                     // the w on the slice nearest CSS pixel (x, y)
//! ```

mod raster;

use calculus::surface::{Function2, Grid};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::figure;

use super::canvas::{Canvas, Pen, View};
use super::colour_bar::{colour_bar, Place, SIDE};
use super::theme::css;
use raster::{Bounds, Camera, Picture};

/// Mesh samples per side while turning, and at rest.
const COARSE: usize = 31;
const FINE: usize = 49;
/// Points along the slice as drawn, and as searched for the one nearest the pointer.
const DRAWN_SAMPLES: u32 = 160;
const PICK_SAMPLES: u32 = 400;

#[wasm_bindgen]
pub struct LossSurface {
    canvas: Canvas,
    f: Function2,
    bounds: Bounds,
    /// Which variable the slice holds fixed: 1 for the second (b = b₀), 0 for the first.
    fixed: usize,
    at: f64,
    /// The point on the slice: the free variable's value.
    point: f64,
    eye: Eye,
    /// Sampled meshes, kept until the function or the range changes.
    meshes: Vec<Grid>,
    picture: Picture,
    /// What `picture` was made for. A redraw that only moves the slice or its point reuses it.
    shot: Option<Shot>,
    /// The last redraw's camera and pixel ratio, for mapping points to the screen.
    view: Option<(Camera, f64)>,
}

#[wasm_bindgen]
impl LossSurface {
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<LossSurface, JsError> {
        let (u, v) = ((-10.0, 10.0), (-10.0, 10.0));
        let mut surface = LossSurface {
            canvas: Canvas::new(canvas),
            f: super::two_variables("w^2 + b^2", (u, v))?.0,
            bounds: Bounds {
                u,
                v,
                z: (0.0, 1.0),
            },
            fixed: 1,
            at: 5.0,
            point: 3.0,
            eye: Eye {
                yaw: -0.6,
                pitch: 0.55,
                turning: false,
            },
            meshes: Vec::new(),
            picture: Picture::default(),
            shot: None,
            view: None,
        };
        surface.sample();
        Ok(surface)
    }

    #[wasm_bindgen(js_name = setFunction)]
    pub fn set_function(&mut self, source: &str) -> Result<(), JsError> {
        self.f = super::two_variables(source, (self.bounds.u, self.bounds.v))?.0;
        self.sample();
        Ok(())
    }

    #[wasm_bindgen(js_name = setRange)]
    pub fn set_range(&mut self, umin: f64, umax: f64, vmin: f64, vmax: f64) -> Result<(), JsError> {
        (self.bounds.u, self.bounds.v) = (
            super::checked_range(umin, umax)?,
            super::checked_range(vmin, vmax)?,
        );
        self.sample();
        Ok(())
    }

    /// Holds variable `fixed` (0: the first, 1: the second) at `at`, with the slice's point
    /// where the free variable is `point`.
    #[wasm_bindgen(js_name = setSlice)]
    pub fn set_slice(&mut self, fixed: u32, at: f64, point: f64) -> Result<(), JsError> {
        if fixed > 1 || !at.is_finite() || !point.is_finite() {
            return Err(JsError::new(
                "the slice needs a variable (0 or 1) and finite values",
            ));
        }
        (self.fixed, self.at, self.point) = (fixed as usize, at, point);
        Ok(())
    }

    /// Sees the surface from `yaw` (turn about the vertical) and `pitch` (height of the eye,
    /// 0 level to π/2 straight down), with the coarse mesh while `turning`.
    #[wasm_bindgen(js_name = setCamera)]
    pub fn set_camera(&mut self, yaw: f64, pitch: f64, turning: bool) {
        self.eye = Eye {
            yaw,
            pitch,
            turning,
        };
    }

    /// The two variables, as `"w,b"`.
    #[wasm_bindgen(getter)]
    pub fn axes(&self) -> String {
        let (u, v) = self.f.axes();
        format!("{u},{v}")
    }

    /// The chart in words, for its `aria-label`.
    pub fn describe(&self) -> String {
        let (u, v) = self.f.axes();
        let (free, fixed) = if self.fixed == 1 { (u, v) } else { (v, u) };
        let Bounds { u: us, v: vs, z } = self.bounds;
        format!(
            "3D surface of f({u}, {v}) for {u} from {} to {} and {v} from {} to {}, f from {} to {}, with the slice {fixed} = {} drawn in red along {free}.",
            super::format_number(us.0),
            super::format_number(us.1),
            super::format_number(vs.0),
            super::format_number(vs.1),
            super::format_number(z.0),
            super::format_number(z.1),
            super::format_number(self.at)
        )
    }

    /// CSS pixel `[x, y]` of the surface point above (u, v) in the last redraw: where the
    /// slice's point is, for picking it up with the pointer, and for tests' pixel checks (the
    /// red slice runs through (u, b₀)).
    #[wasm_bindgen(js_name = toPixel)]
    pub fn to_pixel(&mut self, u: f64, v: f64) -> Vec<f64> {
        let z = self.f.value(u, v);
        match &self.view {
            Some((camera, dpr)) if z.is_finite() => {
                let p = camera.project(self.bounds.cube(u, v, z));
                vec![p[0] / dpr, p[1] / dpr]
            }
            _ => vec![f64::NAN, f64::NAN],
        }
    }

    /// The free variable's value where the slice, as drawn in the last redraw, passes closest
    /// to CSS pixel (x, y): the pointer projected onto the red curve in screen space. Where the
    /// surface hides part of the slice, that part counts as 16 CSS px farther away, so that
    /// the part in view wins where the two cross on screen but the point can still be dragged
    /// behind the surface. NaN before the first redraw or when f is undefined all along it.
    #[wasm_bindgen(js_name = sliceAt)]
    pub fn slice_at(&mut self, x: f64, y: f64) -> f64 {
        if self.view.is_none() {
            return f64::NAN;
        }
        let samples = self.slice_samples(PICK_SAMPLES);
        let Some((camera, dpr)) = &self.view else {
            return f64::NAN;
        };
        let (x, y, hidden) = (x * dpr, y * dpr, 16.0 * dpr);
        let projected: Vec<Option<([f64; 3], bool)>> = samples
            .iter()
            .map(|(_, p)| {
                p.map(|p| {
                    let q = camera.project(p);
                    (q, self.picture.visible(&q))
                })
            })
            .collect();
        let mut best = (f64::INFINITY, f64::NAN);
        for (k, pair) in projected.windows(2).enumerate() {
            let (Some((a, a_visible)), Some((b, b_visible))) = (pair[0], pair[1]) else {
                continue;
            };
            // The nearest point of the segment a → b to the pointer.
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            let length2 = dx * dx + dy * dy;
            let t = if length2 > 0.0 {
                (((x - a[0]) * dx + (y - a[1]) * dy) / length2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let mut distance = (a[0] + t * dx - x).hypot(a[1] + t * dy - y);
            if !(a_visible && b_visible) {
                distance += hidden;
            }
            if distance < best.0 {
                let (t0, t1) = (samples[k].0, samples[k + 1].0);
                best = (distance, t0 + (t1 - t0) * t);
            }
        }
        if best.1.is_nan() {
            // No two neighbouring samples are defined: the nearest lone one.
            for ((t, _), q) in samples.iter().zip(&projected) {
                if let Some((q, _)) = q {
                    let distance = (q[0] - x).hypot(q[1] - y);
                    if distance < best.0 {
                        best = (distance, *t);
                    }
                }
            }
        }
        best.1
    }
}

figure!(LossSurface: redraw);

impl LossSurface {
    /// Draws the surface as the camera sees it, then the floor and the slice over it, and
    /// the height scale beside it (the surface's colours are the contour maps').
    fn redraw(&mut self, view: View) -> Result<(), JsError> {
        let slice = self.slice_samples(DRAWN_SAMPLES);
        let point = self.on_slice(self.point);
        let heights = self.bounds.z;
        let seen = self.canvas.paint(view, |pen| {
            let shot = Shot::of(self.eye, pen);
            let camera = shot.camera();
            if self.shot != Some(shot) {
                self.picture.clear(shot.size, pen.theme.background);
                if let Some(grid) = self.meshes.get(shot.mesh()) {
                    self.picture.mesh(grid, &self.bounds, &camera);
                }
                self.shot = Some(shot);
            }
            self.picture.show(&pen.context)?;
            let overlay = Overlay {
                pen,
                camera,
                picture: &self.picture,
            };
            overlay.floor(self.f.axes());
            overlay.slice(&slice, point);
            let bar = Place::Right {
                x: view.width - 38.0,
                top: 28.0,
                bottom: view.height - 28.0,
            };
            colour_bar(&pen.context, &pen.theme, bar, heights);
            Ok((camera, pen.theme.dpr))
        })?;
        self.view = Some(seen);
        Ok(())
    }

    fn sample(&mut self) {
        self.shot = None;
        let Bounds { u, v, .. } = self.bounds;
        self.meshes = [COARSE, FINE]
            .iter()
            .map(|&n| self.f.grid(u, v, n, n))
            .collect();
        let (lo, hi) = self
            .meshes
            .last()
            .and_then(Grid::finite_range)
            .unwrap_or((0.0, 1.0));
        self.bounds.z = if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, lo + 1.0)
        };
    }

    /// `n + 1` evenly spaced points of the slice: the free variable's value and the point in
    /// the unit cube (None where f is undefined).
    fn slice_samples(&mut self, n: u32) -> Vec<(f64, Option<[f64; 3]>)> {
        let (lo, hi) = if self.fixed == 1 {
            self.bounds.u
        } else {
            self.bounds.v
        };
        (0..=n)
            .map(|k| {
                let t = lo + (hi - lo) * f64::from(k) / f64::from(n);
                (t, self.on_slice(t))
            })
            .collect()
    }

    /// The point of the slice where the free variable is `t`, in the unit cube; None where f
    /// is undefined.
    fn on_slice(&mut self, t: f64) -> Option<[f64; 3]> {
        let (u, v) = if self.fixed == 1 {
            (t, self.at)
        } else {
            (self.at, t)
        };
        let z = self.f.value(u, v);
        z.is_finite().then(|| self.bounds.cube(u, v, z))
    }
}

/// Where the eye is, as `setCamera` set it.
#[derive(Clone, Copy, PartialEq)]
struct Eye {
    yaw: f64,
    pitch: f64,
    turning: bool,
}

/// What one picture of the surface was made for (the function and range aside: changing
/// those forgets the picture).
#[derive(Clone, Copy, PartialEq)]
struct Shot {
    eye: Eye,
    /// Device pixels.
    size: (usize, usize),
    /// Device pixels kept free on the right, for the height scale.
    bar: usize,
    dark: bool,
}

impl Shot {
    fn of(eye: Eye, pen: &Pen<'_>) -> Shot {
        let (view, dpr) = (pen.view, pen.theme.dpr);
        Shot {
            eye,
            size: (
                (view.width * dpr).round() as usize,
                (view.height * dpr).round() as usize,
            ),
            bar: (SIDE * dpr).round() as usize,
            dark: view.dark,
        }
    }

    fn camera(&self) -> Camera {
        let (w, h) = self.size;
        let pitch = self.eye.pitch.clamp(0.05, 1.5);
        // The surface is framed in what the height scale leaves of the width.
        let width = w.saturating_sub(self.bar).max(1);
        Camera::new(self.eye.yaw, pitch, width as f64, h as f64)
    }

    /// Which of the meshes: the coarse one while turning.
    fn mesh(&self) -> usize {
        usize::from(!self.eye.turning)
    }
}

/// What is drawn over the picture of the surface, left out where the surface is in front.
struct Overlay<'a, 'c> {
    pen: &'a Pen<'c>,
    camera: Camera,
    picture: &'a Picture,
}

impl Overlay<'_, '_> {
    /// The floor's outline, and the axis names, so the reader knows which way w and b run.
    fn floor(&self, (u, v): (&str, &str)) {
        let (context, theme) = (&self.pen.context, &self.pen.theme);
        let corners = [
            [-0.5, -0.5],
            [0.5, -0.5],
            [0.5, 0.5],
            [-0.5, 0.5],
            [-0.5, -0.5],
        ];
        context.set_stroke_style_str(&css(theme.axis));
        context.set_line_width(f64::from(theme.grid_width));
        let edges = corners.windows(2).flat_map(|pair| {
            let ([x0, y0], [x1, y1]) = (pair[0], pair[1]);
            (0..=40)
                .map(move |k| {
                    let t = f64::from(k) / 40.0;
                    Some([x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, -0.45])
                })
                .chain(std::iter::once(None))
        });
        self.path(edges);
        context.set_fill_style_str(&css(theme.text));
        context.set_font(&theme.css_font(theme.label_font * 1.1));
        context.set_text_align("center");
        context.set_text_baseline("middle");
        let label = |text: &str, p: [f64; 3]| {
            let q = self.camera.project(p);
            let _ = context.fill_text(text, q[0], q[1]);
        };
        label(&format!("{u} →"), [0.0, -0.62, -0.45]);
        label(&format!("{v} →"), [0.62, 0.0, -0.45]);
    }

    /// The slice in red through `samples`, and its point.
    fn slice(&self, samples: &[(f64, Option<[f64; 3]>)], point: Option<[f64; 3]>) {
        let (context, theme) = (&self.pen.context, &self.pen.theme);
        context.set_stroke_style_str(&css(theme.arrow));
        context.set_line_width(f64::from(theme.curve_width) * 1.6);
        context.set_line_cap("round");
        self.path(samples.iter().map(|&(_, p)| p));
        // The slice's point, as on the 2D chart beside it.
        let Some(point) = point else {
            return;
        };
        let p = self.camera.project(point);
        let r = f64::from(theme.point_radius);
        // Behind the surface, it shows through faintly: still there to be grabbed.
        let alpha = if self.picture.visible(&p) { 1.0 } else { 0.5 };
        context.set_global_alpha(alpha);
        context.begin_path();
        let _ = context.arc(p[0], p[1], r + 2.0 * theme.dpr, 0.0, std::f64::consts::TAU);
        context.set_fill_style_str(&css(theme.background));
        context.fill();
        context.begin_path();
        let _ = context.arc(p[0], p[1], r, 0.0, std::f64::consts::TAU);
        context.set_fill_style_str(&css(theme.tangent));
        context.fill();
        context.set_global_alpha(1.0);
    }

    /// Strokes a polyline of unit-cube points (None breaks it) where the surface does not hide
    /// it.
    fn path(&self, points: impl IntoIterator<Item = Option<[f64; 3]>>) {
        let context = &self.pen.context;
        context.begin_path();
        let mut pen_down = false;
        for point in points {
            let Some(point) = point else {
                pen_down = false;
                continue;
            };
            let p = self.camera.project(point);
            let visible = self.picture.visible(&p);
            if visible && pen_down {
                context.line_to(p[0], p[1]);
            } else {
                context.move_to(p[0], p[1]);
            }
            pen_down = visible;
        }
        context.stroke();
    }
}

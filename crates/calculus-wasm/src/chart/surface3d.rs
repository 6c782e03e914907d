//! Chapter 2's loss landscape: f(w, b) as a shaded 3D surface you can turn, with the slice
//! at b = b₀ (or w = w₀) drawn in red along it.
//!
//! plotters' 3D surface took 15–33 ms per redraw here, too slow to turn smoothly, so the mesh
//! is projected and filled here in one pass: a small z-buffered rasteriser writes the pixels,
//! which reach the canvas in one `putImageData`. Turning uses a coarser mesh, and the full one
//! is drawn when the reader lets go; moving the slice or its point reuses the last picture.
//!
//! Dragging on the surface near the slice's point moves the point instead: `sliceAt` projects
//! the pointer onto the red curve as drawn.
//!
//! ```js
//! const surface = new LossSurface(canvas);   // w^2 + b^2 on [-10, 10]², slice at b = 5
//! surface.draw(0.6, 0.5, 640, 400, devicePixelRatio, false, false);
//! ```

use calculus::surface::{Function2, Grid};
use wasm_bindgen::prelude::*;
use wasm_bindgen::Clamped;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use super::canvas::Canvas;
use super::marks::css;
use super::theme::{viridis, Scheme, Theme};

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
    u: (f64, f64),
    v: (f64, f64),
    /// Which variable the slice holds fixed: 1 for the second (b = b₀), 0 for the first.
    fixed: usize,
    at: f64,
    /// The point on the slice: the free variable's value.
    point: f64,
    /// Sampled meshes, kept until the function or the range changes.
    meshes: Vec<Grid>,
    z: (f64, f64),
    pixels: Vec<u8>,
    depth: Vec<f32>,
    /// What `pixels` and `depth` hold a picture of: view, mesh, size and theme. A redraw that
    /// only moves the slice or its point reuses them.
    rastered: Option<Raster>,
    /// The last redraw's view, pixel ratio and width in device pixels, for mapping points to
    /// the screen.
    view: Option<(Camera, f64, usize)>,
}

#[wasm_bindgen]
impl LossSurface {
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<LossSurface, JsError> {
        let mut surface = LossSurface {
            canvas: Canvas::new(canvas),
            f: super::two_variables("w^2 + b^2")?,
            u: (-10.0, 10.0),
            v: (-10.0, 10.0),
            fixed: 1,
            at: 5.0,
            point: 3.0,
            meshes: Vec::new(),
            z: (0.0, 1.0),
            pixels: Vec::new(),
            depth: Vec::new(),
            rastered: None,
            view: None,
        };
        surface.sample();
        Ok(surface)
    }

    #[wasm_bindgen(js_name = setFunction)]
    pub fn set_function(&mut self, source: &str) -> Result<(), JsError> {
        self.f = super::two_variables(source)?;
        self.sample();
        Ok(())
    }

    #[wasm_bindgen(js_name = setRange)]
    pub fn set_range(&mut self, umin: f64, umax: f64, vmin: f64, vmax: f64) -> Result<(), JsError> {
        (self.u, self.v) = (
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
        format!(
            "3D surface of f({u}, {v}) for {u} from {} to {} and {v} from {} to {}, f from {} to {}, with the slice {fixed} = {} drawn in red along {free}.",
            super::format_number(self.u.0),
            super::format_number(self.u.1),
            super::format_number(self.v.0),
            super::format_number(self.v.1),
            super::format_number(self.z.0),
            super::format_number(self.z.1),
            super::format_number(self.at)
        )
    }

    /// Draws the surface seen from `yaw` (turn about the vertical) and `pitch` (height of the
    /// eye, 0 level to π/2 straight down), with the coarse mesh while `turning`.
    #[allow(clippy::too_many_arguments)]
    pub fn draw(
        &mut self,
        yaw: f64,
        pitch: f64,
        css_width: f64,
        css_height: f64,
        dpr: f64,
        dark: bool,
        turning: bool,
    ) -> Result<(), JsError> {
        let theme = Theme::new(Scheme::of(dark), dpr);
        let (root, context) = self.canvas.begin(css_width, css_height, dpr)?;
        drop(root);
        let (w, h) = (
            (css_width * theme.dpr).round() as usize,
            (css_height * theme.dpr).round() as usize,
        );
        let camera = Camera::new(yaw, pitch.clamp(0.05, 1.5), w as f64, h as f64);
        let mesh = if turning { 0 } else { 1 };
        let raster = Raster {
            yaw: yaw.to_bits(),
            pitch: pitch.to_bits(),
            mesh,
            size: (w, h),
            dark,
        };
        if self.rastered != Some(raster) {
            self.fill(&camera, mesh, &theme, w, h);
            self.rastered = Some(raster);
        }
        let image = ImageData::new_with_u8_clamped_array_and_sh(
            Clamped(&self.pixels[..]),
            w as u32,
            h as u32,
        )
        .map_err(|_| JsError::new("this browser could not make an image for the surface"))?;
        context
            .put_image_data(&image, 0.0, 0.0)
            .map_err(|_| JsError::new("could not draw the surface"))?;
        self.floor(&context, &camera, &theme, w);
        self.slice(&context, &camera, &theme, w);
        self.view = Some((camera, theme.dpr, w));
        Ok(())
    }

    /// CSS pixel `[x, y]` of the surface point above (u, v) in the last redraw: where the
    /// slice's point is, for picking it up with the pointer, and for tests' pixel checks (the
    /// red slice runs through (u, b₀)).
    #[wasm_bindgen(js_name = toPixel)]
    pub fn to_pixel(&mut self, u: f64, v: f64) -> Vec<f64> {
        let z = self.f.value(u, v);
        match &self.view {
            Some((camera, dpr, _)) if z.is_finite() => {
                let p = camera.project(self.cube(u, v, z));
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
        let Some((camera, dpr, w)) = &self.view else {
            return f64::NAN;
        };
        let (x, y, w, hidden) = (x * dpr, y * dpr, *w, 16.0 * dpr);
        let projected: Vec<Option<([f64; 3], bool)>> = samples
            .iter()
            .map(|(_, p)| {
                p.map(|p| {
                    let q = camera.project(p);
                    (q, self.visible(&q, w))
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

impl LossSurface {
    fn sample(&mut self) {
        self.rastered = None;
        self.meshes = [COARSE, FINE]
            .iter()
            .map(|&n| self.f.grid(self.u, self.v, n, n))
            .collect();
        let (lo, hi) = self
            .meshes
            .last()
            .and_then(Grid::finite_range)
            .unwrap_or((0.0, 1.0));
        self.z = if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, lo + 1.0)
        };
    }

    /// `n + 1` evenly spaced points of the slice: the free variable's value and the point in
    /// the unit cube (None where f is undefined).
    fn slice_samples(&mut self, n: u32) -> Vec<(f64, Option<[f64; 3]>)> {
        let (lo, hi) = if self.fixed == 1 { self.u } else { self.v };
        (0..=n)
            .map(|k| {
                let t = lo + (hi - lo) * f64::from(k) / f64::from(n);
                let (u, v) = if self.fixed == 1 {
                    (t, self.at)
                } else {
                    (self.at, t)
                };
                let z = self.f.value(u, v);
                (t, z.is_finite().then(|| self.cube(u, v, z)))
            })
            .collect()
    }

    /// Whether a projected point is in front of the last redraw's surface (or off it), with a
    /// little slack for the mesh's flat facets.
    fn visible(&self, p: &[f64; 3], w: usize) -> bool {
        let at = (p[1].round().max(0.0) as usize) * w + p[0].round().max(0.0) as usize;
        self.depth
            .get(at)
            .is_none_or(|d| p[2] <= f64::from(*d) + 0.03)
    }

    /// The unit cube coordinates of a point: w and b across [−½, ½], f from −½ (lowest) up.
    fn cube(&self, u: f64, v: f64, z: f64) -> [f64; 3] {
        [
            (u - self.u.0) / (self.u.1 - self.u.0) - 0.5,
            (v - self.v.0) / (self.v.1 - self.v.0) - 0.5,
            (((z - self.z.0) / (self.z.1 - self.z.0)).clamp(-0.05, 1.05) - 0.5) * 0.8,
        ]
    }

    /// Rasterises the mesh into `pixels`, nearest surface winning, shaded by how squarely each
    /// facet faces the light.
    fn fill(&mut self, camera: &Camera, mesh: usize, theme: &Theme, w: usize, h: usize) {
        let bg = theme.background;
        self.pixels.clear();
        self.pixels
            .extend(std::iter::repeat_n([bg.0, bg.1, bg.2, 255], w * h).flatten());
        self.depth.clear();
        self.depth.resize(w * h, f32::INFINITY);
        let Some(grid) = self.meshes.get(mesh) else {
            return;
        };
        let (nu, nv) = (grid.nu, grid.nv);
        let points: Vec<Option<([f64; 3], [f64; 3])>> = (0..nv)
            .flat_map(|j| (0..nu).map(move |i| (i, j)))
            .map(|(i, j)| {
                let z = grid.value(i, j);
                z.is_finite().then(|| {
                    let p = self.cube(grid.u_at(i), grid.v_at(j), z);
                    (p, camera.project(p))
                })
            })
            .collect();
        let light = normalise([0.35, -0.45, 0.82]);
        for j in 0..nv - 1 {
            for i in 0..nu - 1 {
                let corner =
                    |di: usize, dj: usize| points.get((j + dj) * nu + i + di).copied().flatten();
                let (Some(a), Some(b), Some(c), Some(d)) =
                    (corner(0, 0), corner(1, 0), corner(1, 1), corner(0, 1))
                else {
                    continue;
                };
                let height = (a.0[2] + b.0[2] + c.0[2] + d.0[2]) / 4.0 / 0.8 + 0.5;
                let normal = normalise(cross(sub(b.0, a.0), sub(d.0, a.0)));
                let shade = 0.55 + 0.45 * dot(normal, light).abs();
                let colour = viridis(height);
                let rgb =
                    [colour.0, colour.1, colour.2].map(|c| (f64::from(c) * shade).round() as u8);
                for tri in [[a.1, b.1, c.1], [a.1, c.1, d.1]] {
                    raster(&mut self.pixels, &mut self.depth, w, h, tri, rgb);
                }
            }
        }
    }

    /// The floor's outline where the surface does not hide it, and the axis names, so the
    /// reader knows which way w and b run.
    fn floor(&self, context: &CanvasRenderingContext2d, camera: &Camera, theme: &Theme, w: usize) {
        let (u, v) = self.f.axes();
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
        self.visible_path(context, camera, w, edges);
        context.set_fill_style_str(&css(theme.text));
        context.set_font(&format!(
            "{}px {}",
            theme.label_font * 1.1,
            theme.font_family
        ));
        context.set_text_align("center");
        context.set_text_baseline("middle");
        let label = |text: &str, p: [f64; 3]| {
            let q = camera.project(p);
            let _ = context.fill_text(text, q[0], q[1]);
        };
        label(&format!("{u} →"), [0.0, -0.62, -0.45]);
        label(&format!("{v} →"), [0.62, 0.0, -0.45]);
    }

    /// Strokes a polyline of unit-cube points (None breaks it) where the surface does not hide
    /// it, with a little slack for the mesh's flat facets.
    fn visible_path(
        &self,
        context: &CanvasRenderingContext2d,
        camera: &Camera,
        w: usize,
        points: impl IntoIterator<Item = Option<[f64; 3]>>,
    ) {
        context.begin_path();
        let mut pen_down = false;
        for point in points {
            let Some(point) = point else {
                pen_down = false;
                continue;
            };
            let p = camera.project(point);
            let visible = self.visible(&p, w);
            if visible && pen_down {
                context.line_to(p[0], p[1]);
            } else {
                context.move_to(p[0], p[1]);
            }
            pen_down = visible;
        }
        context.stroke();
    }

    /// The slice in red, drawn where it is not hidden behind the surface.
    fn slice(
        &mut self,
        context: &CanvasRenderingContext2d,
        camera: &Camera,
        theme: &Theme,
        w: usize,
    ) {
        context.set_stroke_style_str(&css(theme.arrow));
        context.set_line_width(f64::from(theme.curve_width) * 1.6);
        context.set_line_cap("round");
        let points = self
            .slice_samples(DRAWN_SAMPLES)
            .into_iter()
            .map(|(_, p)| p);
        self.visible_path(context, camera, w, points);
        // The slice's point, as on the 2D chart beside it.
        let (u, v) = if self.fixed == 1 {
            (self.point, self.at)
        } else {
            (self.at, self.point)
        };
        let z = self.f.value(u, v);
        if z.is_finite() {
            let p = camera.project(self.cube(u, v, z));
            let r = f64::from(theme.point_radius);
            // Behind the surface, it shows through faintly: still there to be grabbed.
            context.set_global_alpha(if self.visible(&p, w) { 1.0 } else { 0.5 });
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
    }
}

/// The inputs of one rasterised picture of the surface (the function and range aside: changing
/// those forgets the picture).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Raster {
    yaw: u64,
    pitch: u64,
    mesh: usize,
    size: (usize, usize),
    dark: bool,
}

/// Where the eye is: turned by yaw about the vertical, raised by pitch.
struct Camera {
    cos_yaw: f64,
    sin_yaw: f64,
    cos_pitch: f64,
    sin_pitch: f64,
    centre: (f64, f64),
    scale: f64,
}

impl Camera {
    fn new(yaw: f64, pitch: f64, width: f64, height: f64) -> Camera {
        Camera {
            cos_yaw: yaw.cos(),
            sin_yaw: yaw.sin(),
            cos_pitch: pitch.cos(),
            sin_pitch: pitch.sin(),
            centre: (width / 2.0, height / 2.0),
            scale: width.min(height * 1.35) * 0.6,
        }
    }

    /// Device pixel x, y and a depth (smaller is nearer) of a unit-cube point.
    fn project(&self, [x, y, z]: [f64; 3]) -> [f64; 3] {
        let xr = x * self.cos_yaw - y * self.sin_yaw;
        let yr = x * self.sin_yaw + y * self.cos_yaw;
        let up = z * self.cos_pitch + yr * self.sin_pitch;
        let depth = yr * self.cos_pitch - z * self.sin_pitch;
        [
            self.centre.0 + xr * self.scale,
            self.centre.1 - up * self.scale,
            depth,
        ]
    }
}

/// Fills one projected triangle, pixel by pixel, where it is nearer than what is there.
fn raster(
    pixels: &mut [u8],
    depth: &mut [f32],
    w: usize,
    h: usize,
    [a, b, c]: [[f64; 3]; 3],
    rgb: [u8; 3],
) {
    let area = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
    if area.abs() < 1e-9 || !area.is_finite() {
        return;
    }
    let clamp = |v: f64, max: usize| (v.max(0.0) as usize).min(max.saturating_sub(1));
    let (x0, x1) = (
        clamp(a[0].min(b[0]).min(c[0]).floor(), w),
        clamp(a[0].max(b[0]).max(c[0]).ceil(), w),
    );
    let (y0, y1) = (
        clamp(a[1].min(b[1]).min(c[1]).floor(), h),
        clamp(a[1].max(b[1]).max(c[1]).ceil(), h),
    );
    for y in y0..=y1 {
        let py = y as f64 + 0.5;
        for x in x0..=x1 {
            let px = x as f64 + 0.5;
            // Barycentric weights; all of one sign inside the triangle.
            let wa = ((b[0] - px) * (c[1] - py) - (b[1] - py) * (c[0] - px)) / area;
            let wb = ((c[0] - px) * (a[1] - py) - (c[1] - py) * (a[0] - px)) / area;
            let wc = 1.0 - wa - wb;
            if wa < -1e-9 || wb < -1e-9 || wc < -1e-9 {
                continue;
            }
            let d = (wa * a[2] + wb * b[2] + wc * c[2]) as f32;
            let k = y * w + x;
            if let Some(slot) = depth.get_mut(k) {
                if d < *slot {
                    *slot = d;
                    if let Some(px) = pixels.get_mut(4 * k..4 * k + 3) {
                        px.copy_from_slice(&rgb);
                    }
                }
            }
        }
    }
}

fn sub(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn normalise(a: [f64; 3]) -> [f64; 3] {
    let n = dot(a, a).sqrt();
    if n > 0.0 {
        a.map(|x| x / n)
    } else {
        a
    }
}

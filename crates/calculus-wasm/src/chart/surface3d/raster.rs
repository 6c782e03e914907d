//! The 3D surface's picture: the unit cube it is drawn in, the camera, and a z-buffered
//! rasteriser.
//!
//! plotters' 3D surface took 15–33 ms per redraw, too slow to turn smoothly, so the mesh is
//! projected and filled here in one pass: each facet is written pixel by pixel where it is
//! nearer than what is there, and the picture reaches the canvas in one `putImageData`. The
//! depths are kept, so that what is drawn over the picture (the floor, the slice) can be left
//! out where the surface is in front of it.
//!
//! ```ignore
//! let camera = Camera::new(yaw, pitch, width as f64, height as f64);
//! picture.clear((width, height), theme.background);
//! picture.mesh(&grid, &bounds, &camera);   // f sampled on a grid, coloured by height
//! picture.show(&pen.context)?;
//! picture.visible(&camera.project(bounds.cube(u, v, z)));   // in front of the surface?
//! ```

use calculus::surface::Grid;
use plotters::prelude::RGBColor;
use wasm_bindgen::Clamped;
use web_sys::{CanvasRenderingContext2d, ImageData};

use crate::chart::theme::viridis;
use crate::chart::{DrawError, DrawResult};

/// The box the surface is drawn in: the ranges of the two variables and of f.
#[derive(Clone, Copy)]
pub struct Bounds {
    pub u: (f64, f64),
    pub v: (f64, f64),
    pub z: (f64, f64),
}

impl Bounds {
    /// The unit cube coordinates of a point: w and b across [−½, ½], f from −½ (lowest) up.
    pub fn cube(&self, u: f64, v: f64, z: f64) -> [f64; 3] {
        [
            (u - self.u.0) / (self.u.1 - self.u.0) - 0.5,
            (v - self.v.0) / (self.v.1 - self.v.0) - 0.5,
            (((z - self.z.0) / (self.z.1 - self.z.0)).clamp(-0.05, 1.05) - 0.5) * 0.8,
        ]
    }
}

/// Where the eye is: turned by yaw about the vertical, raised by pitch.
#[derive(Clone, Copy)]
pub struct Camera {
    cos_yaw: f64,
    sin_yaw: f64,
    cos_pitch: f64,
    sin_pitch: f64,
    centre: (f64, f64),
    scale: f64,
}

impl Camera {
    /// The camera for a picture `width` × `height` device pixels.
    pub fn new(yaw: f64, pitch: f64, width: f64, height: f64) -> Camera {
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
    pub fn project(&self, [x, y, z]: [f64; 3]) -> [f64; 3] {
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

/// A picture of the surface: a colour and a depth per device pixel. Its buffers are reused
/// from one picture to the next, so that turning the surface allocates nothing.
#[derive(Default)]
pub struct Picture {
    pixels: Vec<u8>,
    depth: Vec<f32>,
    width: usize,
    height: usize,
}

impl Picture {
    /// Starts a picture `width` × `height` device pixels of `background`, with nothing in it.
    pub fn clear(&mut self, (width, height): (usize, usize), background: RGBColor) {
        let bg = background;
        (self.width, self.height) = (width, height);
        self.pixels.clear();
        self.pixels
            .extend(std::iter::repeat_n([bg.0, bg.1, bg.2, 255], width * height).flatten());
        self.depth.clear();
        self.depth.resize(width * height, f32::INFINITY);
    }

    /// Rasterises the mesh `grid` of f over `bounds`, coloured by height.
    pub fn mesh(&mut self, grid: &Grid, bounds: &Bounds, camera: &Camera) {
        let (nu, nv) = (grid.nu, grid.nv);
        let points: Vec<Option<([f64; 3], [f64; 3])>> = (0..nv)
            .flat_map(|j| (0..nu).map(move |i| (i, j)))
            .map(|(i, j)| {
                let z = grid.value(i, j);
                z.is_finite().then(|| {
                    let p = bounds.cube(grid.u_at(i), grid.v_at(j), z);
                    (p, camera.project(p))
                })
            })
            .collect();
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
                self.facet([a, b, c, d], viridis(height));
            }
        }
    }

    /// Fills one cell of the mesh, its four corners given in the unit cube and projected, in
    /// `colour` shaded by how squarely it faces the light.
    fn facet(&mut self, corners: [([f64; 3], [f64; 3]); 4], colour: RGBColor) {
        let [a, b, c, d] = corners;
        let light = normalise([0.35, -0.45, 0.82]);
        let normal = normalise(cross(sub(b.0, a.0), sub(d.0, a.0)));
        let shade = 0.55 + 0.45 * dot(normal, light).abs();
        let rgb = [colour.0, colour.1, colour.2].map(|c| (f64::from(c) * shade).round() as u8);
        for triangle in [[a.1, b.1, c.1], [a.1, c.1, d.1]] {
            self.triangle(triangle, rgb);
        }
    }

    /// Puts the picture on the canvas, in one `putImageData`.
    pub fn show(&self, context: &CanvasRenderingContext2d) -> DrawResult<()> {
        let image = ImageData::new_with_u8_clamped_array_and_sh(
            Clamped(&self.pixels[..]),
            self.width as u32,
            self.height as u32,
        )
        .map_err(|_| DrawError("this browser could not make an image for the surface".into()))?;
        context
            .put_image_data(&image, 0.0, 0.0)
            .map_err(|_| DrawError("could not draw the surface".into()))
    }

    /// Whether a projected point is in front of the surface (or off it), with a little slack
    /// for the mesh's flat facets.
    pub fn visible(&self, p: &[f64; 3]) -> bool {
        let at = (p[1].round().max(0.0) as usize) * self.width + p[0].round().max(0.0) as usize;
        self.depth
            .get(at)
            .is_none_or(|d| p[2] <= f64::from(*d) + 0.03)
    }

    /// Fills one projected triangle, pixel by pixel, where it is nearer than what is there.
    fn triangle(&mut self, [a, b, c]: [[f64; 3]; 3], rgb: [u8; 3]) {
        let (w, h) = (self.width, self.height);
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
                if let Some(slot) = self.depth.get_mut(k) {
                    if d < *slot {
                        *slot = d;
                        if let Some(px) = self.pixels.get_mut(4 * k..4 * k + 3) {
                            px.copy_from_slice(&rgb);
                        }
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

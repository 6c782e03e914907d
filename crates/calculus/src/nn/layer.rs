//! One dense layer, z = x·Wᵀ + b, then a = f(z): forward and backward side by side.
//!
//! W is stored as PyTorch's `nn.Linear` stores it, outputs × inputs (W[j][i] joins input i
//! to output j). Inside the network a batch is held one row per unit (units × n, the
//! transpose of the row-major batch the API takes), so that every inner loop runs along the
//! batch: long, contiguous and vectorised, whatever the width of the layer.
//!
//! ```text
//! forward:  z_j = b_j + Σᵢ W[j][i]·x_i       a = f(z)
//! backward: dz = da ⊙ f′(z)    dW[j][i] = dz_j·x_i    db_j = Σ dz_j    dx_i = Σⱼ W[j][i]·dz_j
//! ```

use crate::elementary::{sigmoid_column, tanh_column};
use crate::error::{lookup, Error};
use crate::lanes::F64x2;

/// What a hidden layer applies to its sums. The last layer is always linear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Activation {
    /// max(z, 0); its slope at 0 is 0, as PyTorch's.
    Relu,
    /// 1/(1 + e^−z)
    Sigmoid,
    #[default]
    Tanh,
    /// z
    Linear,
}

impl Activation {
    pub const ALL: [Activation; 4] = [
        Activation::Relu,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Linear,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Linear => "linear",
        }
    }

    pub fn named(name: &str) -> Result<Activation, Error> {
        lookup(
            &Activation::ALL,
            Activation::name,
            name,
            "activation",
            "relu, sigmoid, tanh or linear",
        )
    }

    /// a = f(z), entry by entry.
    pub(crate) fn forward(self, z: &[f64], a: &mut [f64]) {
        match self {
            Activation::Tanh => tanh_column(z, a),
            Activation::Relu => {
                for (a, &z) in a.iter_mut().zip(z) {
                    *a = if z > 0.0 { z } else { 0.0 };
                }
            }
            Activation::Sigmoid => sigmoid_column(z, a),
            Activation::Linear => a.copy_from_slice(z),
        }
    }

    /// g ← g · f′(z), with f′ written through the output a = f(z), which is what the
    /// forward pass keeps: tanh′ = 1 − a², σ′ = a(1 − a), relu′ = [a > 0].
    pub(crate) fn backward(self, a: &[f64], g: &mut [f64]) {
        match self {
            Activation::Tanh => {
                for (g, &a) in g.iter_mut().zip(a) {
                    *g *= 1.0 - a * a;
                }
            }
            Activation::Sigmoid => {
                for (g, &a) in g.iter_mut().zip(a) {
                    *g *= a * (1.0 - a);
                }
            }
            Activation::Relu => {
                for (g, &a) in g.iter_mut().zip(a) {
                    *g = if a > 0.0 { *g } else { 0.0 };
                }
            }
            Activation::Linear => {}
        }
    }
}

/// Where a layer's numbers sit in the network's flat parameter vector: W (outputs × inputs)
/// at `offset`, then b (outputs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dense {
    pub inputs: usize,
    pub outputs: usize,
    pub offset: usize,
}

/// How many samples the kernels carry at once: eight sums in registers (four SIMD pairs),
/// each weight read once per eight samples.
const LANES: usize = 8;

impl Dense {
    pub fn weight_count(&self) -> usize {
        self.inputs * self.outputs
    }

    pub fn parameter_count(&self) -> usize {
        self.weight_count() + self.outputs
    }

    /// This layer's (W, b) in a vector laid out as the network's parameters.
    pub fn split<'a>(&self, all: &'a [f64]) -> (&'a [f64], &'a [f64]) {
        let w = self.offset..self.offset + self.weight_count();
        (&all[w.clone()], &all[w.end..w.end + self.outputs])
    }

    pub fn split_mut<'a>(&self, all: &'a mut [f64]) -> (&'a mut [f64], &'a mut [f64]) {
        let all = &mut all[self.offset..self.offset + self.parameter_count()];
        all.split_at_mut(self.weight_count())
    }

    /// z_j = b_j + Σᵢ W[j][i]·x_i for the batch x (inputs × n, one row per input unit).
    pub fn forward(&self, (w, b): (&[f64], &[f64]), x: &[f64], z: &mut [f64]) {
        let n = x.len() / self.inputs;
        for ((z, w), &b) in z
            .chunks_exact_mut(n)
            .zip(w.chunks_exact(self.inputs))
            .zip(b)
        {
            combine(b, w, 1, x, n, z);
        }
    }

    /// Given dz (outputs × n) and the layer's input x (inputs × n): dW = dz·xᵀ and db the
    /// row sums of dz, and, when asked, dx = Wᵀ·dz.
    pub fn backward(
        &self,
        w: &[f64],
        x: &[f64],
        dz: &[f64],
        (dw, db): (&mut [f64], &mut [f64]),
        dx: Option<&mut [f64]>,
    ) {
        let n = x.len() / self.inputs;
        for ((dz, dw), db) in dz
            .chunks_exact(n)
            .zip(dw.chunks_exact_mut(self.inputs))
            .zip(db)
        {
            for (dw, x) in dw.iter_mut().zip(x.chunks_exact(n)) {
                *dw = dot(dz, x);
            }
            *db = dz.iter().sum();
        }
        if let Some(dx) = dx {
            for (i, dx) in dx.chunks_exact_mut(n).enumerate() {
                // Column i of W, read with a stride of `inputs`.
                combine(0.0, &w[i..], self.inputs, dz, n, dx);
            }
        }
    }
}

/// out = c + Σₖ coefficient[k·stride]·rows[k] over `rows` (k × n): the one kernel of both
/// passes, eight samples at a time with their sums kept in registers.
#[inline(always)]
fn combine(c: f64, coefficients: &[f64], stride: usize, rows: &[f64], n: usize, out: &mut [f64]) {
    let full = n - n % LANES;
    for start in (0..full).step_by(LANES) {
        // In SIMD pairs written out: LLVM kept these sums scalar.
        let mut sums = [F64x2::splat(c); LANES / 2];
        for (row, &a) in rows
            .chunks_exact(n)
            .zip(coefficients.iter().step_by(stride))
        {
            let a = F64x2::splat(a);
            for (s, r) in sums
                .iter_mut()
                .zip(row[start..start + LANES].chunks_exact(2))
            {
                *s = *s + a * F64x2::load(r);
            }
        }
        for (s, out) in sums
            .iter()
            .zip(out[start..start + LANES].chunks_exact_mut(2))
        {
            s.store(out);
        }
    }
    let out = &mut out[full..];
    out.fill(c);
    for (row, &a) in rows
        .chunks_exact(n)
        .zip(coefficients.iter().step_by(stride))
    {
        for (s, &r) in out.iter_mut().zip(&row[full..]) {
            *s += a * r;
        }
    }
}

/// Σ aᵢbᵢ, in four running sums, two SIMD pairs.
#[inline(always)]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut sums = [0.0; 4];
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = a4
        .remainder()
        .iter()
        .zip(b4.remainder())
        .map(|(x, y)| x * y)
        .sum();
    let (mut low, mut high) = (F64x2::splat(0.0), F64x2::splat(0.0));
    for (a, b) in a4.zip(b4) {
        low = low + F64x2::load(&a[..2]) * F64x2::load(&b[..2]);
        high = high + F64x2::load(&a[2..]) * F64x2::load(&b[2..]);
    }
    low.store(&mut sums[..2]);
    high.store(&mut sums[2..]);
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + tail
}

/// Writes the rows × cols matrix `from` (row-major) transposed into `to` (cols × rows).
pub(crate) fn transpose(from: &[f64], cols: usize, to: &mut [f64]) {
    let rows = from.len() / cols.max(1);
    for (r, row) in from.chunks_exact(cols).enumerate() {
        for (c, &v) in row.iter().enumerate() {
            to[c * rows + r] = v;
        }
    }
}

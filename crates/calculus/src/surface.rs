//! Functions of two variables: the loss surface f(w, b), its values on a grid and its
//! gradient field.
//!
//! A [`Function2`] is compiled once into the one [`Graph`]; every value, partial derivative
//! and arrow of the field is a forward (and backward) pass of that graph, so the slopes are
//! exact, not differences of grid values. [`Grid`] holds f sampled on a rectangle, the
//! input of the 3D surface and of [`contour_lines`](crate::contour::contour_lines).
//!
//! ```
//! use calculus::{parse, Function2};
//!
//! let mut f = Function2::new(&parse("w^2 + b^2")?, None)?;
//! assert_eq!(f.axes(), ("w", "b")); // the book's f(w, b): w across, b up
//! assert_eq!(f.value_and_gradient(3.0, -1.0), (10.0, [6.0, -2.0])); // ∇f = (2w, 2b)
//!
//! let grid = f.grid((-10.0, 10.0), (-10.0, 10.0), 21, 21);
//! assert_eq!((grid.u_at(0), grid.v_at(20)), (-10.0, 10.0));
//! assert_eq!(grid.value(10, 10), 0.0); // the minimum, at the origin
//! assert_eq!(grid.finite_range(), Some((0.0, 200.0)));
//! # Ok::<(), calculus::Error>(())
//! ```

use crate::backprop::Graph;
use crate::error::Error;
use crate::expr::Expr;

/// The fewest and most samples along each side of a [`Grid`]: two make one cell, and a
/// thousand (a million values) is more than any chart can show.
const MIN_SAMPLES: usize = 2;
const MAX_SAMPLES: usize = 1000;

/// A compiled function of at most two variables, each tied to one axis of the chart.
#[derive(Debug, Clone)]
pub struct Function2 {
    graph: Graph,
    /// The names of the horizontal (u) and vertical (v) axes.
    axes: (String, String),
    /// For each variable of the graph, in its (alphabetical) order: 0 if it is the u axis,
    /// 1 if it is the v axis. Shorter than 2 when the function ignores an axis.
    axis_of: Vec<usize>,
}

impl Function2 {
    /// Compiles `expr` as f(u, v), with `names` the variables of the u and v axes.
    ///
    /// Without `names`, the axes are the expression's variables in alphabetical order,
    /// except that `w` and `b` together are read as the book's f(w, b): w across, b up. An
    /// axis the expression does not mention is still an axis (f is constant along it) and
    /// takes its name from the book's pairs: a lone `w` or `b` gets (w, b), a lone `x` or
    /// `y` gets (x, y), any other lone name `t` gets (t, y), and a constant gets (w, b).
    ///
    /// Errors: more than two variables; `names` that are equal, or that miss a variable of
    /// `expr` ([`Error::NoValue`] naming it).
    pub fn new(expr: &Expr, names: Option<(&str, &str)>) -> Result<Function2, Error> {
        let graph = Graph::compile(expr);
        let variables = graph.variables();
        let axes = match names {
            Some((u, v)) if u == v => {
                return Err(Error::InvalidOption {
                    option: "the two axes",
                    requirement: "two different variables",
                })
            }
            Some((u, v)) => (u.to_owned(), v.to_owned()),
            None => default_axes(variables).ok_or_else(|| Error::TooManyVariables {
                allowed: 2,
                expression: expr.to_string(),
                variables: variables.to_vec(),
            })?,
        };
        let axis_of = variables
            .iter()
            .map(|name| {
                if *name == axes.0 {
                    Ok(0)
                } else if *name == axes.1 {
                    Ok(1)
                } else {
                    Err(Error::NoValue {
                        variable: name.clone(),
                    })
                }
            })
            .collect::<Result<Vec<usize>, Error>>()?;
        Ok(Function2 {
            graph,
            axes,
            axis_of,
        })
    }

    /// The names of the horizontal (u) and vertical (v) axes.
    pub fn axes(&self) -> (&str, &str) {
        (&self.axes.0, &self.axes.1)
    }

    /// The graph's inputs for the point (u, v): only the variables it has, in its order.
    fn inputs(&self, u: f64, v: f64) -> ([f64; 2], usize) {
        let mut inputs = [0.0; 2];
        for (slot, &axis) in inputs.iter_mut().zip(&self.axis_of) {
            *slot = if axis == 0 { u } else { v };
        }
        (inputs, self.axis_of.len().min(2))
    }

    /// f(u, v).
    pub fn value(&mut self, u: f64, v: f64) -> f64 {
        let (inputs, n) = self.inputs(u, v);
        self.graph.forward(inputs.get(..n).unwrap_or_default())
    }

    /// (f(u, v), [∂f/∂u, ∂f/∂v]) from one forward and one backward pass. The partial
    /// derivative along an axis f does not mention is 0.
    pub fn value_and_gradient(&mut self, u: f64, v: f64) -> (f64, [f64; 2]) {
        let (inputs, n) = self.inputs(u, v);
        let mut slopes = [0.0; 2];
        let value = self.graph.value_and_gradient(
            inputs.get(..n).unwrap_or_default(),
            slopes.get_mut(..n).unwrap_or_default(),
        );
        let mut gradient = [0.0; 2];
        for (&slope, &axis) in slopes.iter().zip(&self.axis_of) {
            if let Some(slot) = gradient.get_mut(axis) {
                *slot = slope;
            }
        }
        (value, gradient)
    }

    /// f sampled at `nu` × `nv` evenly spaced points of the rectangle `u` × `v`, both ends
    /// included (`nu` and `nv` are clamped to 2..=1000).
    pub fn grid(&mut self, u: (f64, f64), v: (f64, f64), nu: usize, nv: usize) -> Grid {
        let mut grid = Grid {
            u,
            v,
            nu: nu.clamp(MIN_SAMPLES, MAX_SAMPLES),
            nv: nv.clamp(MIN_SAMPLES, MAX_SAMPLES),
            values: Vec::new(),
        };
        grid.values.reserve(grid.nu * grid.nv);
        for j in 0..grid.nv {
            let vj = grid.v_at(j);
            for i in 0..grid.nu {
                grid.values.push(self.value(grid.u_at(i), vj));
            }
        }
        grid
    }

    /// (u, v, ∂f/∂u, ∂f/∂v) at every point of the grid [`Function2::grid`] would sample,
    /// in the same row-major order: the arrows of the gradient field, exact from the graph.
    pub fn gradient_field(
        &mut self,
        u: (f64, f64),
        v: (f64, f64),
        nu: usize,
        nv: usize,
    ) -> Vec<(f64, f64, f64, f64)> {
        // An empty grid only to share its sample positions.
        let grid = Grid {
            u,
            v,
            nu: nu.clamp(MIN_SAMPLES, MAX_SAMPLES),
            nv: nv.clamp(MIN_SAMPLES, MAX_SAMPLES),
            values: Vec::new(),
        };
        let mut field = Vec::with_capacity(grid.nu * grid.nv);
        for j in 0..grid.nv {
            let vj = grid.v_at(j);
            for i in 0..grid.nu {
                let ui = grid.u_at(i);
                let (_, [du, dv]) = self.value_and_gradient(ui, vj);
                field.push((ui, vj, du, dv));
            }
        }
        field
    }
}

/// The axes when the caller names none (see [`Function2::new`]).
fn default_axes(variables: &[String]) -> Option<(String, String)> {
    let pair = |u: &str, v: &str| Some((u.to_owned(), v.to_owned()));
    match variables {
        [] => pair("w", "b"),
        [only] => match only.as_str() {
            "w" | "b" => pair("w", "b"),
            "x" | "y" => pair("x", "y"),
            other => pair(other, "y"),
        },
        // Sorted, so b comes first; the book writes f(w, b).
        [b, w] if b == "b" && w == "w" => pair("w", "b"),
        [u, v] => pair(u, v),
        _ => None,
    }
}

/// f sampled on a rectangle: `values[j * nu + i]` is f(u_i, v_j), with u_i = `u_at(i)`
/// and v_j = `v_at(j)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// The first and last u (horizontal axis).
    pub u: (f64, f64),
    /// The first and last v (vertical axis).
    pub v: (f64, f64),
    /// Samples along u.
    pub nu: usize,
    /// Samples along v.
    pub nv: usize,
    /// Row-major: row j holds the nu values at v = v_j.
    pub values: Vec<f64>,
}

impl Grid {
    /// u_i: `numpy.linspace(u.0, u.1, nu)[i]`.
    pub fn u_at(&self, i: usize) -> f64 {
        sample(self.u, self.nu, i)
    }

    /// v_j: `numpy.linspace(v.0, v.1, nv)[j]`.
    pub fn v_at(&self, j: usize) -> f64 {
        sample(self.v, self.nv, j)
    }

    /// f(u_i, v_j), or NaN outside the grid.
    pub fn value(&self, i: usize, j: usize) -> f64 {
        if i >= self.nu || j >= self.nv {
            return f64::NAN;
        }
        j.checked_mul(self.nu)
            .and_then(|row| row.checked_add(i))
            .and_then(|k| self.values.get(k))
            .copied()
            .unwrap_or(f64::NAN)
    }

    /// What `np.gradient(Z)` returns for this grid as a meshgrid `Z` (rows follow v, columns
    /// follow u): the derivative along the rows first, that is along v, then along u, both in
    /// index units (per grid step, not per unit of u or v), each laid out like `values`.
    ///
    /// Chapter 3's pitfall: unpacking it as `dZ_dw, dZ_db = np.gradient(Z)` swaps the two,
    /// and the arrows drawn from it sweep around the bowl instead of pointing uphill.
    pub fn numpy_gradient(&self) -> (Vec<f64>, Vec<f64>) {
        let (nu, nv) = (self.nu, self.nv);
        let mut along_v = vec![f64::NAN; nu * nv];
        let mut along_u = vec![f64::NAN; nu * nv];
        let unit = |n: usize| (0..n).map(|k| k as f64).collect::<Vec<f64>>();
        let (index_u, index_v) = (unit(nu), unit(nv));
        for j in 0..nv {
            let row: Vec<f64> = (0..nu).map(|i| self.value(i, j)).collect();
            if let Ok(d) = crate::numerical::numerical_gradient(&row, &index_u) {
                for (i, g) in d.into_iter().enumerate() {
                    if let Some(slot) = along_u.get_mut(j * nu + i) {
                        *slot = g;
                    }
                }
            }
        }
        for i in 0..nu {
            let column: Vec<f64> = (0..nv).map(|j| self.value(i, j)).collect();
            if let Ok(d) = crate::numerical::numerical_gradient(&column, &index_v) {
                for (j, g) in d.into_iter().enumerate() {
                    if let Some(slot) = along_v.get_mut(j * nu + i) {
                        *slot = g;
                    }
                }
            }
        }
        (along_v, along_u)
    }

    /// The least and greatest finite value, or `None` when no value is finite.
    pub fn finite_range(&self) -> Option<(f64, f64)> {
        self.values
            .iter()
            .copied()
            .filter(|z| z.is_finite())
            .fold(None, |range, z| match range {
                None => Some((z, z)),
                Some((lo, hi)) => Some((lo.min(z), hi.max(z))),
            })
    }
}

/// The k-th of n evenly spaced samples from `ends.0` to `ends.1`, computed as
/// [`linspace`](crate::numerical::linspace) does (`k * step + start`, the last one exactly
/// `ends.1`), so the grid's points are the ones the rest of the engine and numpy use.
fn sample(ends: (f64, f64), n: usize, k: usize) -> f64 {
    if n < 2 || k == 0 {
        return ends.0;
    }
    if k == n - 1 {
        return ends.1;
    }
    let step = (ends.1 - ends.0) / (n - 1) as f64;
    k as f64 * step + ends.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerical::linspace;

    #[test]
    fn samples_are_numpy_linspace() {
        let grid = Grid {
            u: (-10.0, 10.0),
            v: (0.0, 1.0),
            nu: 100,
            nv: 7,
            values: Vec::new(),
        };
        let us: Vec<f64> = (0..100).map(|i| grid.u_at(i)).collect();
        let vs: Vec<f64> = (0..7).map(|j| grid.v_at(j)).collect();
        assert_eq!(us, linspace(-10.0, 10.0, 100));
        assert_eq!(vs, linspace(0.0, 1.0, 7));
    }
}

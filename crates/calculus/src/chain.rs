//! Composed functions and the chain rule (chapter 5's gears): a chain of links
//! x → A → B → C, each a formula of one variable in a name of its own, composed by
//! substitution into one formula C(B(A(x))).
//!
//! At a point the chain reports each link's value and local derivative (dA/dx, dB/dA, dC/dB),
//! their running products (how far each gear turns per unit turn of X: dA/dx, dB/dx, dC/dx),
//! and, to check the chain rule against, the engine's derivative of the whole composition,
//! from one reverse pass over the composed formula's graph.
//!
//! ```
//! use calculus::chain::Chain;
//! use calculus::parse;
//!
//! let links = ["x^2", "sin(A)", "exp(B)"].map(|s| parse(s).unwrap());
//! let mut chain = Chain::new(&links)?;
//! assert_eq!(chain.composed().to_string(), "exp(sin(x^2))");
//! let at = chain.at(1.0);
//! assert_eq!(at.locals[0], 2.0); // dA/dx = 2x
//! assert!(at.agrees()); // dA/dx · dB/dA · dC/dB = dC/dx
//! # Ok::<(), calculus::Error>(())
//! ```

use crate::derivative::Function1;
use crate::error::Error;
use crate::expr::Expr;

/// How close the product of the local derivatives and the engine's dC/dx must be, relative
/// to the larger, to count as the same number: the two differ only by the order the same
/// factors are multiplied in (a few ulps), far inside this.
pub const AGREEMENT: f64 = 1e-12;

/// A chain of one-variable links, each compiled, and their composition.
#[derive(Debug, Clone)]
pub struct Chain {
    links: Vec<Function1>,
    composed: Expr,
    whole: Function1,
}

/// What a chain does at one point.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainPoint {
    /// x, then each link's output: x, A(x), B(A(x)), C(B(A(x))).
    pub values: Vec<f64>,
    /// Each link's derivative in its own input, at the input it gets: dA/dx, dB/dA, dC/dB.
    pub locals: Vec<f64>,
    /// The running products of the locals: dA/dx, dB/dx, dC/dx by the chain rule.
    pub products: Vec<f64>,
    /// dC/dx of the composed formula, from the engine's reverse pass over its graph.
    pub whole: f64,
}

impl Chain {
    /// Compiles each link (a formula of at most one variable, of any name) and composes
    /// them in order. A chain has at least one link.
    pub fn new(links: &[Expr]) -> Result<Chain, Error> {
        let Some((first, rest)) = links.split_first() else {
            return Err(Error::InvalidOption {
                option: "links",
                requirement: "at least one formula",
            });
        };
        let compiled = links
            .iter()
            .map(Function1::new)
            .collect::<Result<Vec<_>, _>>()?;
        let mut composed = first.clone();
        for (link, f) in rest.iter().zip(&compiled[1..]) {
            // A constant link ignores its input: the composition forgets what came before.
            composed = match f.variable() {
                Some(name) => link.replace(name, &composed),
                None => link.clone(),
            };
        }
        let whole = Function1::new(&composed)?;
        Ok(Chain {
            links: compiled,
            composed,
            whole,
        })
    }

    /// The links composed into one formula, C(B(A(x))).
    pub fn composed(&self) -> &Expr {
        &self.composed
    }

    /// Each link's variable (`None` for a constant link).
    pub fn variables(&self) -> Vec<Option<&str>> {
        self.links.iter().map(Function1::variable).collect()
    }

    /// Values, local derivatives, their running products and the engine's dC/dx at x.
    pub fn at(&mut self, x: f64) -> ChainPoint {
        let mut values = Vec::with_capacity(self.links.len() + 1);
        let mut locals = Vec::with_capacity(self.links.len());
        let mut products = Vec::with_capacity(self.links.len());
        let (mut input, mut product) = (x, 1.0);
        values.push(x);
        for link in &mut self.links {
            let (value, mut local) = link.value_and_slope(input);
            // Where a link is undefined (ln of a negative number), so is its derivative,
            // whatever number the derivative's own formula gives there.
            if !value.is_finite() {
                local = f64::NAN;
            }
            product *= local;
            values.push(value);
            locals.push(local);
            products.push(product);
            input = value;
        }
        let (c, mut whole) = self.whole.value_and_slope(x);
        if !c.is_finite() {
            whole = f64::NAN;
        }
        ChainPoint {
            values,
            locals,
            products,
            whole,
        }
    }
}

impl ChainPoint {
    /// dA/dx · dB/dA · dC/dB, the chain rule's dC/dx.
    pub fn product(&self) -> f64 {
        self.products.last().copied().unwrap_or(1.0)
    }

    /// Whether the product of the locals and the engine's dC/dx are the same number, to
    /// [`AGREEMENT`] relative (both 0 agree; a NaN agrees with nothing).
    pub fn agrees(&self) -> bool {
        let (p, w) = (self.product(), self.whole);
        p == w || (p - w).abs() <= AGREEMENT * p.abs().max(w.abs())
    }

    /// The first link whose local derivative is 0: there the chain stops, and every gear
    /// from that link's on stands still.
    pub fn stopped_at(&self) -> Option<usize> {
        self.locals.iter().position(|&d| d == 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn chain(sources: &[&str]) -> Result<Chain, Error> {
        let links: Vec<Expr> = sources.iter().map(|s| parse(s).unwrap()).collect();
        Chain::new(&links)
    }

    #[test]
    fn the_plans_chain_multiplies_its_local_derivatives() {
        let mut c = chain(&["x^2", "sin(A)", "exp(B)"]).unwrap();
        assert_eq!(c.composed().to_string(), "exp(sin(x^2))");
        let at = c.at(1.0);
        let (s, co) = (1f64.sin(), 1f64.cos());
        assert_eq!(at.values, [1.0, 1.0, s, s.exp()]);
        assert_eq!(at.locals[0], 2.0);
        assert!((at.locals[1] - co).abs() < 1e-15);
        assert!((at.locals[2] - s.exp()).abs() < 1e-15);
        let by_hand = 2.0 * co * s.exp();
        assert!((at.product() - by_hand).abs() < 1e-15 * by_hand);
        assert!((at.whole - by_hand).abs() < 1e-15 * by_hand);
        assert!(at.agrees());
        assert_eq!(at.stopped_at(), None);
    }

    #[test]
    fn each_link_may_name_its_variable_as_it_likes() {
        let mut named = chain(&["t^2", "sin(u)", "exp(u)"]).unwrap();
        let mut plan = chain(&["x^2", "sin(A)", "exp(B)"]).unwrap();
        assert_eq!(named.composed().to_string(), "exp(sin(t^2))");
        assert_eq!(named.variables(), [Some("t"), Some("u"), Some("u")]);
        assert_eq!(named.at(0.7), plan.at(0.7));
    }

    #[test]
    fn a_zero_local_derivative_stops_every_later_gear() {
        let mut c = chain(&["x^2", "sin(A)", "exp(B)"]).unwrap();
        let at = c.at(0.0);
        assert_eq!(at.stopped_at(), Some(0));
        assert_eq!(at.products, [0.0, 0.0, 0.0]);
        assert_eq!(at.whole, 0.0);
        assert!(at.agrees());
        // cos has slope 0 at A = 0 too: the second link stops the chain there.
        let at = chain(&["x", "cos(A)", "B"]).unwrap().at(0.0);
        assert_eq!(at.stopped_at(), Some(1));
        assert_eq!(at.products, [1.0, 0.0, 0.0]);
    }

    #[test]
    fn a_negative_link_turns_the_rest_backwards() {
        // cos' = −sin < 0 for A in (0, π): B and C turn against X.
        let at = chain(&["x^2", "cos(A)", "exp(B)"]).unwrap().at(1.0);
        assert!(at.locals[1] < 0.0 && at.products[1] < 0.0 && at.products[2] < 0.0);
        assert!(at.agrees());
    }

    #[test]
    fn a_constant_link_forgets_its_input() {
        let mut c = chain(&["x^2", "5", "B + 1"]).unwrap();
        assert_eq!(c.composed().to_string(), "5 + 1");
        let at = c.at(2.0);
        assert_eq!(at.values, [2.0, 4.0, 5.0, 6.0]);
        assert_eq!(at.stopped_at(), Some(1));
        assert_eq!(at.whole, 0.0);
    }

    #[test]
    fn links_of_two_variables_and_empty_chains_are_refused() {
        let e = chain(&["x^2", "A*y", "exp(B)"]).unwrap_err().to_string();
        assert!(e.contains("one variable") && e.contains("A, y"), "{e}");
        assert!(Chain::new(&[]).is_err());
    }

    #[test]
    fn huge_and_undefined_derivatives_are_reported_not_hidden() {
        // exp(exp(exp(x))) at x = 1: dC/dx = e^(e^e + e + 1) ≈ 1.4e8, and the two agree.
        let at = chain(&["exp(x)", "exp(A)", "exp(B)"]).unwrap().at(1.0);
        assert!(at.product() > 1e8 && at.agrees());
        // ln of a negative number: undefined from there on (though 1/A has a value at
        // A = −1), and no agreement to claim.
        let at = chain(&["x - 2", "ln(A)", "B"]).unwrap().at(1.0);
        assert_eq!(at.products[0], 1.0);
        assert!(at.values[2].is_nan() && at.locals[1].is_nan() && at.products[2].is_nan());
        assert!(at.whole.is_nan() && !at.agrees());
    }
}

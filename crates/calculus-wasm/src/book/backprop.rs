//! Chapter 5's facts: the chains the gears offer and the gears' defaults, and the formulas the
//! computational graph offers.

/// A chain of three links chapter 5's gears offer, x → A → B → C: each link a formula of one
/// variable (by custom, the gear before it: A(x), B(A), C(B)).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Chain {
    pub links: [&'static str; 3],
    pub label: &'static str,
}

/// The chains, in the preset list's order; the gears start on the first, the plan's.
pub const CHAINS: [Chain; 6] = [
    Chain {
        links: ["x^2", "sin(A)", "exp(B)"],
        label: "x² → sin → exp",
    },
    Chain {
        links: ["x^2", "cos(A)", "exp(B)"],
        label: "x² → cos → exp (turns backwards)",
    },
    Chain {
        links: ["3x - 1", "sigmoid(A)", "(B - 1)^2"],
        label: "neuron: 3x − 1 → σ → error²",
    },
    Chain {
        links: ["sigmoid(x)", "sigmoid(A)", "sigmoid(B)"],
        label: "σ → σ → σ (the product shrinks)",
    },
    Chain {
        links: ["3x", "3A", "3B"],
        label: "3x → 3A → 3B (the product grows)",
    },
    Chain {
        links: ["relu(x)", "2A", "relu(B - 1)"],
        label: "relu → 2A → relu (stops)",
    },
];

/// Chapter 5's `<calc-gears>`: x, the x slider's range, how far one arrow key turns gear X
/// (degrees; with Shift, the larger), and the ratios a gear's drawn area can show (beyond
/// them it is drawn at the limit).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GearsFacts {
    pub x: f64,
    pub x_range: (f64, f64),
    pub turn_step: f64,
    pub turn_step_large: f64,
    pub ratio_shown: (f64, f64),
}

pub const GEARS: GearsFacts = GearsFacts {
    x: 1.0,
    x_range: (-3.0, 3.0),
    turn_step: 5.0,
    turn_step_large: 45.0,
    ratio_shown: (1.0 / 9.0, 3.0),
};

/// `<calc-tiny-network>`'s start: Matt Mazur's walkthrough's numbers (with a linear output).
pub struct TinyNetworkFacts {
    pub inputs: [f64; 2],
    pub target: f64,
    pub rate: f64,
    /// W₁ row by row, b₁, b₂, W₂, b₃.
    pub start: [f64; 9],
}

pub const TINY_NETWORK: TinyNetworkFacts = TinyNetworkFacts {
    inputs: [0.05, 0.10],
    target: 0.01,
    rate: 0.5,
    start: [0.15, 0.20, 0.25, 0.30, 0.35, 0.35, 0.40, 0.45, 0.60],
};

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn every_chain_composes_and_starts_inside_its_slider() {
        for c in CHAINS {
            let links: Vec<_> = c
                .links
                .iter()
                .map(|s| calculus::parse(s).expect(s))
                .collect();
            assert!(calculus::chain::Chain::new(&links).is_ok(), "{}", c.label);
        }
        let (lo, hi) = GEARS.x_range;
        assert!(lo < GEARS.x && GEARS.x < hi);
    }
}

/// A formula `<calc-graph>` offers, with the values its author used.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GraphPreset {
    pub label: &'static str,
    pub source: &'static str,
    pub values: &'static [(&'static str, f64)],
}

/// micrograd's neuron (Karpathy's walkthrough; b is his 6.8813735870195432, the same double),
/// colah's e = (a + b)(b + 1), and one that reads sin x twice. The graph starts on the first.
pub const GRAPH_PRESETS: [GraphPreset; 4] = [
    GraphPreset {
        label: "micrograd's neuron",
        source: "tanh(x1*w1 + x2*w2 + b)",
        values: &[
            ("x1", 2.0),
            ("x2", 0.0),
            ("w1", -3.0),
            ("w2", 1.0),
            ("b", 6.881_373_587_019_543),
        ],
    },
    GraphPreset {
        label: "colah's e = (a + b)(b + 1)",
        source: "(a + b)*(b + 1)",
        values: &[("a", 2.0), ("b", 1.0)],
    },
    GraphPreset {
        label: "sin x used twice",
        source: "sin(x)*sin(x) + x",
        values: &[("x", 1.0)],
    },
    GraphPreset {
        label: "a squared sigmoid",
        source: "sigmoid(w*x + b)^2",
        values: &[("w", 0.5), ("x", 2.0), ("b", -1.0)],
    },
];

//! Chapters 2 and 3's facts: the functions of two variables (four of them chapter 4's
//! landscapes too), and the slicer's and the gradient field's defaults.

/// A function of two variables (chapters 2 and 3) with the rectangle where it shows,
/// `[wmin, wmax, bmin, bmax]` (the order of the charts' `setRange`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Surface {
    pub source: &'static str,
    pub label: &'static str,
    pub range: [f64; 4],
}

/// The functions that are both surfaces (chapters 2 and 3) and landscapes (chapter 4).
pub(super) const BOWL: Surface = Surface {
    source: "w^2 + b^2",
    label: "w² + b² (bowl)",
    range: [-10.0, 10.0, -10.0, 10.0],
};
pub(super) const VALLEY: Surface = Surface {
    source: "w^2 + 10b^2",
    label: "w² + 10b² (long valley)",
    range: [-10.0, 10.0, -10.0, 10.0],
};
pub(super) const ROSENBROCK: Surface = Surface {
    source: "(1 - w)^2 + 100(b - w^2)^2",
    label: "Rosenbrock",
    range: [-2.0, 2.0, -1.0, 3.0],
};

/// Four minima at height 0, one at (3, 2), around a hump: a landscape where "downhill" depends
/// on where one stands (the summary's first and fourth steps, chapter 4's fourth landscape).
pub(super) const HIMMELBLAU: Surface = Surface {
    source: "(w^2 + b - 11)^2 + (w + b^2 - 7)^2",
    label: "Himmelblau (four minima)",
    range: [-5.0, 5.0, -5.0, 5.0],
};

/// The surfaces of chapters 2 and 3, in the preset list's order; charts start on the first.
pub const SURFACES: [Surface; 6] = [
    BOWL,
    VALLEY,
    ROSENBROCK,
    Surface {
        source: "sin(w)*cos(b)",
        label: "sin w · cos b",
        range: [-5.0, 5.0, -5.0, 5.0],
    },
    Surface {
        source: "w^2 - b^2",
        label: "w² − b² (saddle)",
        range: [-10.0, 10.0, -10.0, 10.0],
    },
    HIMMELBLAU,
];

/// Chapter 2's `<calc-partial>`: the slice holds b at `at` and the point starts at `point` on
/// it; the surface is seen from `yaw` and `pitch` (radians), the pitch kept in `pitch_range`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PartialFacts {
    pub at: f64,
    pub point: f64,
    pub yaw: f64,
    pub pitch: f64,
    pub pitch_range: (f64, f64),
}

pub const PARTIAL: PartialFacts = PartialFacts {
    at: 5.0,
    point: 3.0,
    yaw: -0.6,
    pitch: 0.55,
    pitch_range: (0.05, 1.5),
};

/// Chapter 3's `<calc-gradient>`: the probe and the arrows per side of the field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GradientFacts {
    pub probe: (f64, f64),
    pub arrows: u32,
    pub arrows_range: (u32, u32),
}

pub const GRADIENT: GradientFacts = GradientFacts {
    probe: (3.0, 4.0),
    arrows: 11,
    arrows_range: (3, 40),
};

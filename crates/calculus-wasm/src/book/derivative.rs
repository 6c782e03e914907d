//! Chapter 1's facts: the functions of one variable its widgets offer, and the explorer's,
//! the secant's and the numerical-error chart's defaults and limits.

/// A function of one variable the chapter 1 widgets offer, with the range of x where its
/// shape shows (x³ − 3x on [−10, 10] is a flat line with two specks).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Example {
    /// What the reader would type.
    pub source: &'static str,
    /// How the preset list names it.
    pub label: &'static str,
    /// `(xmin, xmax)`.
    pub range: (f64, f64),
}

/// The one-variable examples, in the preset list's order; charts start on the first.
pub const EXAMPLES: [Example; 5] = [
    Example {
        source: "x^2",
        label: "x²",
        range: (-10.0, 10.0),
    },
    Example {
        source: "x^3 - 3x",
        label: "x³ − 3x",
        range: (-3.0, 3.0),
    },
    Example {
        source: "sin(x)",
        label: "sin x",
        range: (-10.0, 10.0),
    },
    Example {
        source: "(x - 2)^2 + 1",
        label: "(x − 2)² + 1",
        range: (-2.0, 6.0),
    },
    Example {
        source: "x^4 - 3x^2 + x",
        label: "x⁴ − 3x² + x",
        range: (-2.5, 2.5),
    },
];

/// Chapter 1's `<calc-derivative>`: its point, its numerical samples and how many a reader
/// may ask for. Its function and range are [`EXAMPLES`]`[0]`'s.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DerivativeFacts {
    pub x: f64,
    pub samples: u32,
    /// What the samples field and attribute accept, as the chart does (0 hides the samples).
    pub samples_limit: (u32, u32),
}

pub const DERIVATIVE: DerivativeFacts = DerivativeFacts {
    x: 1.0,
    samples: 100,
    samples_limit: (2, 5000),
};

/// Chapter 1's `<calc-secant>`: x, h, the range of h (its slider is log10 of 1/h) and the
/// chart's range around x = 1. Its function is [`EXAMPLES`]`[0]`'s.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SecantFacts {
    pub x: f64,
    pub h: f64,
    pub h_range: (f64, f64),
    pub range: (f64, f64),
}

pub const SECANT: SecantFacts = SecantFacts {
    x: 1.0,
    h: 1.0,
    h_range: (1e-3, 1.0),
    range: (-1.0, 3.0),
};

/// Chapter 1's `<calc-numerical-error>`: its samples, its slider's range, and what the chart
/// accepts (an attribute may ask for more than the slider reaches). Function and range are
/// [`EXAMPLES`]`[0]`'s.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NumericalErrorFacts {
    pub samples: u32,
    pub slider: (u32, u32),
    pub samples_limit: (u32, u32),
}

pub const NUMERICAL_ERROR: NumericalErrorFacts = NumericalErrorFacts {
    samples: 100,
    slider: (3, 400),
    samples_limit: (3, 5000),
};

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use crate::book::*;

    #[test]
    fn every_example_parses_with_one_variable_and_a_range() {
        for e in EXAMPLES {
            let expr = calculus::parse(e.source).expect(e.source);
            assert!(calculus::Function1::new(&expr).is_ok(), "{}", e.source);
            assert!(e.range.0 < e.range.1, "{}", e.source);
        }
        for s in SURFACES {
            assert!(calculus::parse(s.source).is_ok(), "{}", s.source);
            assert!(
                s.range[0] < s.range[1] && s.range[2] < s.range[3],
                "{}",
                s.source
            );
        }
    }
}

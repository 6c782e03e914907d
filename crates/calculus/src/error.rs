//! Every way the engine can refuse an input, as one typed error.
//!
//! Parse errors carry the 1-based column (counted in characters, not bytes) where the
//! reader should look; the wasm layer shows the message under the text field and can
//! place a caret with [`Error::column`].
//!
//! ```
//! let err = calculus::parse("2*(x+1))").unwrap_err();
//! assert_eq!(err.to_string(), "unexpected ')' at column 8");
//! assert_eq!(err.column(), Some(8));
//! ```

use std::fmt;

use crate::digits::Shortest;

/// An error from parsing, evaluating, differentiating or descending.
///
/// `Display` gives the whole message, ready to show a reader.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The input has no tokens at all.
    Empty,
    /// The input is longer than the parser accepts.
    TooLong { chars: usize, max: usize },
    /// A character that starts no token, e.g. `$`.
    UnexpectedCharacter { found: char, column: usize },
    /// A token where it cannot go, e.g. a second `)`.
    UnexpectedToken { found: String, column: usize },
    /// An operand was needed (after an operator, or at the start).
    ExpectedOperand { column: usize },
    /// A function name not followed by `(`.
    ExpectedParen { function: String, column: usize },
    /// A `(` that is never closed; `column` is where it was opened.
    Unclosed { column: usize },
    /// A name followed by `(` that is neither a function nor a one-letter variable.
    UnknownFunction { name: String, column: usize },
    /// A function called with the wrong number of arguments, e.g. `log(x, 2, 3)`; `takes`
    /// is how many it does take ("1 or 2 arguments").
    WrongArity {
        function: String,
        takes: &'static str,
        column: usize,
    },
    /// A literal too large for a 64-bit float, e.g. `1e400`.
    NumberTooLarge { text: String, column: usize },
    /// The tree (or the parser's recursion) would be deeper than `max`.
    TooDeep { max: usize, column: usize },
    /// A variable of the expression has no value.
    NoValue { variable: String },
    /// The expression is not a finite real number at `point` (`ln(x)` at x = −1, `1/x` at
    /// 0), or, with `slope`, it is but its derivative is not a number there (`atan2(x, x)`
    /// at 0).
    NotDefined {
        expression: String,
        point: Vec<(String, f64)>,
        slope: bool,
    },
    /// A tool for functions of `allowed` variables (one for the derivative charts, two for
    /// surfaces) was given a function of more.
    TooManyVariables {
        allowed: usize,
        expression: String,
        variables: Vec<String>,
    },
    /// `numerical_gradient` needs two samples to form a difference.
    TooFewPoints { got: usize },
    /// `ys` and `xs` have different lengths.
    LengthMismatch { ys: usize, xs: usize },
    /// Two consecutive sample positions are equal, so a difference would divide by zero.
    RepeatedPoint { index: usize, x: f64 },
    /// A descent option is out of range; `requirement` completes "`option` must be ...".
    InvalidOption {
        option: &'static str,
        requirement: &'static str,
    },
    /// The function (or a start coordinate) is not a finite number where descent starts.
    NotFiniteAtStart { value: f64 },
    /// An array of the wrong length; `expected` completes "`what` must hold ...".
    WrongLength {
        what: &'static str,
        expected: String,
        got: usize,
    },
    /// A name that is not one of `allowed`, e.g. an activation called "softmax".
    UnknownName {
        what: &'static str,
        name: String,
        allowed: &'static str,
    },
    /// A network with more parameters than a page can train.
    TooLarge { parameters: usize, max: usize },
    /// An entry of an array that must hold finite numbers does not.
    NotFinite {
        what: &'static str,
        index: usize,
        value: f64,
    },
}

impl Error {
    /// The 1-based character column the error points at, for parse errors.
    pub fn column(&self) -> Option<usize> {
        match self {
            Error::UnexpectedCharacter { column, .. }
            | Error::UnexpectedToken { column, .. }
            | Error::ExpectedOperand { column }
            | Error::ExpectedParen { column, .. }
            | Error::Unclosed { column }
            | Error::UnknownFunction { column, .. }
            | Error::WrongArity { column, .. }
            | Error::NumberTooLarge { column, .. }
            | Error::TooDeep { column, .. } => Some(*column),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Empty => write!(f, "empty expression"),
            Error::TooLong { chars, max } => write!(
                f,
                "expression is too long ({chars} characters; at most {max} are allowed)"
            ),
            Error::UnexpectedCharacter { found, column } => {
                write!(f, "unexpected character '{found}' at column {column}")
            }
            Error::UnexpectedToken { found, column } => {
                write!(f, "unexpected '{found}' at column {column}")
            }
            Error::ExpectedOperand { column } => {
                write!(f, "expected a number, variable or '(' at column {column}")
            }
            Error::ExpectedParen { function, column } => {
                write!(f, "expected '(' after '{function}' at column {column}")
            }
            Error::Unclosed { column } => write!(f, "unclosed '(' opened at column {column}"),
            Error::UnknownFunction { name, column } => {
                write!(f, "unknown function '{name}' at column {column}")
            }
            Error::WrongArity {
                function,
                takes,
                column,
            } => write!(f, "{function} takes {takes} at column {column}"),
            Error::NumberTooLarge { text, column } => {
                write!(f, "number '{text}' is too large at column {column}")
            }
            Error::TooDeep { max, column } => write!(
                f,
                "expression is nested too deeply (more than {max} levels) at column {column}"
            ),
            Error::NoValue { variable } => write!(f, "no value for variable '{variable}'"),
            Error::NotDefined {
                expression,
                point,
                slope,
            } => {
                write!(f, "not defined here: ")?;
                if *slope {
                    write!(f, "the slope of ")?;
                }
                write!(f, "{expression}")?;
                for (i, (name, value)) in point.iter().enumerate() {
                    let separator = if i == 0 { " at " } else { ", " };
                    write!(f, "{separator}{name} = {}", Shortest(*value))?;
                }
                if *slope {
                    write!(f, " is not a number")
                } else {
                    write!(f, " is not a finite real number")
                }
            }
            Error::TooManyVariables {
                allowed,
                expression,
                variables,
            } => write!(
                f,
                "expected a function of {}, but '{expression}' has {}: {}",
                match allowed {
                    1 => "one variable".to_string(),
                    2 => "two variables".to_string(),
                    n => format!("{n} variables"),
                },
                variables.len(),
                variables.join(", ")
            ),
            Error::TooFewPoints { got } => write!(
                f,
                "numerical gradient needs at least 2 points, got {got}"
            ),
            Error::LengthMismatch { ys, xs } => write!(
                f,
                "numerical gradient needs as many x values as y values, got {ys} y values and {xs} x values"
            ),
            Error::RepeatedPoint { index, x } => write!(
                f,
                "x values must differ from their neighbours, but x[{}] and x[{index}] are both {}",
                index.saturating_sub(1),
                Shortest(*x)
            ),
            Error::InvalidOption {
                option,
                requirement,
            } => write!(f, "{option} must be {requirement}"),
            Error::NotFiniteAtStart { value } => write!(
                f,
                "the function is not a finite number at the start point (it is {})",
                Shortest(*value)
            ),
            Error::WrongLength {
                what,
                expected,
                got,
            } => write!(f, "{what} must hold {expected} (got {got})"),
            Error::UnknownName {
                what,
                name,
                allowed,
            } => write!(f, "unknown {what} '{name}': use {allowed}"),
            Error::TooLarge { parameters, max } => write!(
                f,
                "a network of {parameters} parameters is too large for a page (at most {max})"
            ),
            Error::NotFinite { what, index, value } => write!(
                f,
                "{what}[{index}] is {}, but every entry must be a finite number",
                // As JS writes them: the readers of this message are JS callers.
                match *value {
                    v if v.is_nan() => "NaN",
                    v if v > 0.0 => "Infinity",
                    _ => "-Infinity",
                }
            ),
        }
    }
}

impl std::error::Error for Error {}

/// `Ok` when `ok`, else the [`Error::InvalidOption`] saying what `option` must be.
pub(crate) fn check(
    option: &'static str,
    ok: bool,
    requirement: &'static str,
) -> Result<(), Error> {
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidOption {
            option,
            requirement,
        })
    }
}

/// The one of `all` that `name_of` calls `name`, or the [`Error::UnknownName`] listing the
/// names `allowed` (how activations, losses and datasets are looked up by name).
pub(crate) fn lookup<T: Copy>(
    all: &[T],
    name_of: fn(T) -> &'static str,
    name: &str,
    what: &'static str,
    allowed: &'static str,
) -> Result<T, Error> {
    all.iter()
        .copied()
        .find(|&t| name_of(t) == name)
        .ok_or_else(|| Error::UnknownName {
            what,
            name: name.to_string(),
            allowed,
        })
}

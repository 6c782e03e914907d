//! The formula language as numpy: "Copy as Python" prints a reader's formula from the engine's
//! own expression tree, so the script computes what the widget computed.
//!
//! Every node maps to numpy with the meaning the engine gives it: `log` is `np.log`, sec, csc
//! and cot are 1/cos, 1/sin and 1/tan, the inverse ones take 1/x (`acot(x)` is
//! `np.arctan(1/x)`, which jumps at 0 as the engine's does), `relu` and `sigmoid`, which numpy
//! lacks, are `np.maximum(x, 0)` and `1/(1 + np.exp(-x))`, `step` is `np.heaviside(x, 0)`
//! (0 at 0, as relu′(0) = 0), `nthRoot(x, n)` the real root of a negative x for odd n. `^`
//! becomes `**`, which Python also reads right to left and, as the book does, tighter than a
//! leading minus; products written without a sign get their `*`.
//!
//! ```
//! use calculus::{parse, python::to_python};
//!
//! assert_eq!(to_python(&parse("sin(x)^2")?), "np.sin(x)**2");
//! assert_eq!(to_python(&parse("-x^2 + 2relu(x)")?), "-x**2 + 2*np.maximum(x, 0)");
//! # Ok::<(), calculus::Error>(())
//! ```
//!
//! Variables keep their names, except those Python reserves (`lambda`, `in`, `np`...), which
//! get a trailing underscore (see [`python_name`]).

use crate::expr::{Expr, Func, Func2};

/// How tightly a printed Python form holds together, as in expr.rs: a child printed below the
/// level its parent needs gets parentheses.
const SUM: u8 = 1;
const PRODUCT: u8 = 2;
const UNARY: u8 = 3;
const POWER: u8 = 4;
const ATOM: u8 = 5;

/// The expression as a Python expression over numpy (`import numpy as np`). It evaluates on
/// numpy floats and arrays alike; its variables are [`python_name`]s of the formula's.
pub fn to_python(expr: &Expr) -> String {
    python(expr).0
}

/// A formula variable's name in Python: itself, unless Python reserves it or the script
/// needs it (`np`, `plt`), then with `_` after it (`lambda_`).
pub fn python_name(name: &str) -> String {
    const TAKEN: [&str; 37] = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield", "np", "plt",
    ];
    if TAKEN.contains(&name) {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

/// The printed form and its binding level.
fn python(expr: &Expr) -> (String, u8) {
    match expr {
        Expr::Num(n) => number(*n),
        Expr::Var(name) => (python_name(name), ATOM),
        Expr::Pi => ("np.pi".into(), ATOM),
        Expr::E => ("np.e".into(), ATOM),
        Expr::Neg(a) => (format!("-{}", operand(a, UNARY)), UNARY),
        // Sums and products are left-associative, so a right operand of the same level keeps
        // its parentheses: a - (b - c).
        Expr::Add(a, b) => binary(a, " + ", SUM, b, PRODUCT, SUM),
        Expr::Sub(a, b) => binary(a, " - ", SUM, b, PRODUCT, SUM),
        Expr::Mul(a, b) => binary(a, "*", PRODUCT, b, UNARY, PRODUCT),
        Expr::Div(a, b) => binary(a, "/", PRODUCT, b, UNARY, PRODUCT),
        // Python's ** is right-associative, binds tighter than a minus on its left and takes
        // one on its right (x**-1), like the book's ^; its base must be an atom: (-2)**x.
        Expr::Pow(a, b) => binary(a, "**", ATOM, b, UNARY, POWER),
        Expr::Call(func, a) => call(*func, a),
        Expr::Call2(func, a, b) => call2(*func, a, b),
    }
}

/// `a` printed for a parent that needs level `needed`.
fn operand(a: &Expr, needed: u8) -> String {
    let (text, level) = python(a);
    if level < needed {
        format!("({text})")
    } else {
        text
    }
}

fn binary(a: &Expr, op: &str, left: u8, b: &Expr, right: u8, level: u8) -> (String, u8) {
    (
        format!("{}{op}{}", operand(a, left), operand(b, right)),
        level,
    )
}

/// A number as Python reads it back to the same f64: whole numbers without a point (`2`, so
/// `x**2` reads as written), others in Rust's shortest round-trip form (`0.1`, `1e-7`).
fn number(n: f64) -> (String, u8) {
    let text = if n.is_nan() {
        "np.nan".to_owned()
    } else if n.is_infinite() {
        if n > 0.0 { "np.inf" } else { "-np.inf" }.to_owned()
    } else if n.fract() == 0.0 && n.abs() < 1e16 {
        // -0 prints as "-0", which Python also reads as the integer 0; the sign of a zero
        // literal never changes a formula's value here.
        crate::digits::shortest(n)
    } else {
        crate::digits::debug(n)
    };
    let level = if text.starts_with('-') { UNARY } else { ATOM };
    (text, level)
}

/// `np.<name>(a)`.
fn np(name: &str, a: &Expr) -> (String, u8) {
    (format!("np.{name}({})", python(a).0), ATOM)
}

/// `1/np.<name>(a)`, a reciprocal (sec, csc, cot and the hyperbolic ones).
fn reciprocal(name: &str, a: &Expr) -> (String, u8) {
    (format!("1/np.{name}({})", python(a).0), PRODUCT)
}

/// `np.<name>(1/a)`, an inverse taken of 1/x (asec, acsc, acot and the hyperbolic ones).
fn of_reciprocal(name: &str, a: &Expr) -> (String, u8) {
    (format!("np.{name}(1/{})", operand(a, UNARY)), ATOM)
}

fn call(func: Func, a: &Expr) -> (String, u8) {
    match func {
        Func::Sin => np("sin", a),
        Func::Cos => np("cos", a),
        Func::Tan => np("tan", a),
        Func::Sec => reciprocal("cos", a),
        Func::Csc => reciprocal("sin", a),
        Func::Cot => reciprocal("tan", a),
        Func::Asin => np("arcsin", a),
        Func::Acos => np("arccos", a),
        Func::Atan => np("arctan", a),
        Func::Asec => of_reciprocal("arccos", a),
        Func::Acsc => of_reciprocal("arcsin", a),
        Func::Acot => of_reciprocal("arctan", a),
        Func::Sinh => np("sinh", a),
        Func::Cosh => np("cosh", a),
        Func::Tanh => np("tanh", a),
        Func::Sech => reciprocal("cosh", a),
        Func::Csch => reciprocal("sinh", a),
        Func::Coth => reciprocal("tanh", a),
        Func::Asinh => np("arcsinh", a),
        Func::Acosh => np("arccosh", a),
        Func::Atanh => np("arctanh", a),
        Func::Asech => of_reciprocal("arccosh", a),
        Func::Acsch => of_reciprocal("arcsinh", a),
        Func::Acoth => of_reciprocal("arctanh", a),
        Func::Exp => np("exp", a),
        Func::Ln => np("log", a),
        Func::Log10 => np("log10", a),
        Func::Log2 => np("log2", a),
        Func::Sqrt => np("sqrt", a),
        Func::Cbrt => np("cbrt", a),
        Func::Abs => np("abs", a),
        Func::Sign => np("sign", a),
        // numpy has neither: the formulas the book gives them.
        Func::Sigmoid => (format!("1/(1 + np.exp({}))", python(&negate(a)).0), PRODUCT),
        Func::Relu => (format!("np.maximum({}, 0)", python(a).0), ATOM),
        // 1 for x > 0, else 0: heaviside's value at 0 is its second argument.
        Func::Step => (format!("np.heaviside({}, 0)", python(a).0), ATOM),
    }
}

/// −a, folding a number's sign and a double minus, so sigmoid(x) prints `np.exp(-x)` and
/// sigmoid(-x) `np.exp(x)`.
fn negate(a: &Expr) -> Expr {
    match a {
        Expr::Num(n) => Expr::Num(-n),
        Expr::Neg(inner) => (**inner).clone(),
        _ => Expr::Neg(Box::new(a.clone())),
    }
}

fn call2(func: Func2, a: &Expr, b: &Expr) -> (String, u8) {
    let (x, y) = (python(a).0, python(b).0);
    match func {
        // ln x / ln base, as the engine computes it.
        Func2::Log => (format!("np.log({x})/np.log({y})"), PRODUCT),
        Func2::Atan2 => (format!("np.arctan2({x}, {y})"), ATOM),
        Func2::Min => (format!("np.minimum({x}, {y})"), ATOM),
        Func2::Max => (format!("np.maximum({x}, {y})"), ATOM),
        Func2::NthRoot => nth_root(a, b),
    }
}

/// nthRoot(x, n) as the engine computes it: √ and ∛ for 2 and 3; for another odd whole n the
/// real root of a negative x, −|x|^(1/n); otherwise x^(1/n).
fn nth_root(a: &Expr, n: &Expr) -> (String, u8) {
    let x = python(a).0;
    match n {
        Expr::Num(n) if *n == 2.0 => (format!("np.sqrt({x})"), ATOM),
        Expr::Num(n) if *n == 3.0 => (format!("np.cbrt({x})"), ATOM),
        Expr::Num(k) if (k % 2.0).abs() == 1.0 => {
            let power = operand(&Expr::Num(1.0 / k), UNARY);
            (format!("np.sign({x})*np.abs({x})**{power}"), PRODUCT)
        }
        Expr::Num(k) => (
            format!(
                "{}**{}",
                operand(a, ATOM),
                operand(&Expr::Num(1.0 / k), UNARY)
            ),
            POWER,
        ),
        // An n that varies: the odd case decided point by point.
        _ => {
            let n = operand(n, ATOM);
            let root = format!("**(1/{n})");
            (
                format!(
                    "np.where(({x} < 0) & (np.abs({n} % 2) == 1), -np.abs({x}){root}, {}{root})",
                    operand(a, ATOM)
                ),
                ATOM,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn py(src: &str) -> String {
        to_python(&parse(src).unwrap())
    }

    #[test]
    fn every_function_of_one_argument() {
        let expected = [
            ("sin", "np.sin(x)"),
            ("cos", "np.cos(x)"),
            ("tan", "np.tan(x)"),
            ("sec", "1/np.cos(x)"),
            ("csc", "1/np.sin(x)"),
            ("cot", "1/np.tan(x)"),
            ("asin", "np.arcsin(x)"),
            ("acos", "np.arccos(x)"),
            ("atan", "np.arctan(x)"),
            ("asec", "np.arccos(1/x)"),
            ("acsc", "np.arcsin(1/x)"),
            ("acot", "np.arctan(1/x)"),
            ("sinh", "np.sinh(x)"),
            ("cosh", "np.cosh(x)"),
            ("tanh", "np.tanh(x)"),
            ("sech", "1/np.cosh(x)"),
            ("csch", "1/np.sinh(x)"),
            ("coth", "1/np.tanh(x)"),
            ("asinh", "np.arcsinh(x)"),
            ("acosh", "np.arccosh(x)"),
            ("atanh", "np.arctanh(x)"),
            ("asech", "np.arccosh(1/x)"),
            ("acsch", "np.arcsinh(1/x)"),
            ("acoth", "np.arctanh(1/x)"),
            ("exp", "np.exp(x)"),
            ("ln", "np.log(x)"),
            ("log10", "np.log10(x)"),
            ("log2", "np.log2(x)"),
            ("sqrt", "np.sqrt(x)"),
            ("cbrt", "np.cbrt(x)"),
            ("abs", "np.abs(x)"),
            ("sigmoid", "1/(1 + np.exp(-x))"),
            ("relu", "np.maximum(x, 0)"),
            ("sign", "np.sign(x)"),
            ("step", "np.heaviside(x, 0)"),
        ];
        // Every function the language has is listed here, in the book's order.
        let names: Vec<_> = expected.iter().map(|(name, _)| *name).collect();
        let all: Vec<_> = Func::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names, all);
        for (name, python) in expected {
            assert_eq!(py(&format!("{name}(x)")), python, "{name}");
        }
        assert_eq!(
            py("log(x)"),
            "np.log(x)",
            "log of one argument is ln, as in numpy"
        );
    }

    #[test]
    fn every_function_of_two_arguments() {
        assert_eq!(py("log(x, 2)"), "np.log(x)/np.log(2)");
        assert_eq!(py("log(x, b)^2"), "(np.log(x)/np.log(b))**2");
        assert_eq!(py("atan2(y, x)"), "np.arctan2(y, x)");
        assert_eq!(py("min(a, b)"), "np.minimum(a, b)");
        assert_eq!(py("max(a, b + 1)"), "np.maximum(a, b + 1)");
        assert_eq!(py("pow(x, 3)"), "x**3");
        assert_eq!(py("pow(x + 1, y)"), "(x + 1)**y");
        assert_eq!(py("nthRoot(x, 2)"), "np.sqrt(x)");
        assert_eq!(py("nthRoot(x, 3)"), "np.cbrt(x)");
        assert_eq!(py("nthRoot(x, 5)"), "np.sign(x)*np.abs(x)**0.2");
        assert_eq!(py("nthRoot(x, 4)"), "x**0.25");
        assert!(py("nthRoot(x, n)").starts_with("np.where((x < 0) & (np.abs(n % 2) == 1)"));
        let names: Vec<_> = Func2::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names, ["log", "nthRoot", "atan2", "min", "max"]);
    }

    #[test]
    fn operators_and_precedence() {
        assert_eq!(py("sin(x)^2"), "np.sin(x)**2");
        assert_eq!(py("x**2"), "x**2", "** and ^ are one operator");
        assert_eq!(py("x^2"), "x**2");
        assert_eq!(py("2^3^2"), "2**3**2", "right to left, in both languages");
        assert_eq!(py("(2^3)^2"), "(2**3)**2");
        assert_eq!(py("a - b - c"), "a - b - c");
        assert_eq!(py("a - (b - c)"), "a - (b - c)");
        assert_eq!(py("a / b / c"), "a/b/c");
        assert_eq!(py("a / (b * c)"), "a/(b*c)");
        assert_eq!(py("(a + b) * c"), "(a + b)*c");
        assert_eq!(py("(a + b)^c"), "(a + b)**c");
        assert_eq!(py("a^(b + c)"), "a**(b + c)");
        assert_eq!(py("(x*y)^2"), "(x*y)**2");
        assert_eq!(py("sigmoid(x)^2"), "(1/(1 + np.exp(-x)))**2");
        assert_eq!(py("2 sec(x)"), "2*(1/np.cos(x))");
        assert_eq!(py("1 / sec(x)"), "1/(1/np.cos(x))");
    }

    #[test]
    fn unary_minus() {
        assert_eq!(
            py("-x^2"),
            "-x**2",
            "the power first, as Python reads it too"
        );
        assert_eq!(py("(-x)^2"), "(-x)**2");
        assert_eq!(py("x^-1"), "x**-1");
        assert_eq!(py("-(x + 1)"), "-(x + 1)");
        assert_eq!(py("2 * -x"), "2*-x");
        assert_eq!(py("a - -b"), "a - -b");
        assert_eq!(py("sigmoid(-x)"), "1/(1 + np.exp(x))");
        assert_eq!(
            to_python(&Expr::Pow(
                Box::new(Expr::Num(-2.0)),
                Box::new(Expr::Var("x".into()))
            )),
            "(-2)**x"
        );
    }

    #[test]
    fn implicit_multiplication() {
        assert_eq!(py("2x"), "2*x");
        assert_eq!(py("3(x + 1)"), "3*(x + 1)");
        assert_eq!(py("(x + 1)(x - 1)"), "(x + 1)*(x - 1)");
        assert_eq!(py("x y"), "x*y");
        assert_eq!(py("2pi x"), "2*np.pi*x");
        assert_eq!(
            py("1/2x"),
            "1/2*x",
            "1/2x is x/2 in the book, and in Python"
        );
        assert_eq!(py("w^2 + 10b^2"), "w**2 + 10*b**2");
    }

    #[test]
    fn numbers_and_constants() {
        assert_eq!(py("0.1 + .5 + 1e-3 + 2e3"), "0.1 + 0.5 + 0.001 + 2000");
        assert_eq!(py("1e-7 x"), "1e-7*x");
        assert_eq!(py("1e20 x"), "1e20*x");
        assert_eq!(py("e^x + pi"), "np.e**x + np.pi");
        assert_eq!(py("2e"), "2*np.e");
        assert_eq!(to_python(&Expr::Num(f64::INFINITY)), "np.inf");
        assert_eq!(to_python(&Expr::Num(f64::NAN)), "np.nan");
    }

    #[test]
    fn reserved_names_get_an_underscore() {
        assert_eq!(py("lambda^2 + np"), "lambda_**2 + np_");
        assert_eq!(python_name("w"), "w");
    }
}

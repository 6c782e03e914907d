//! The expression tree readers' formulas become, printed back as text or as MathML.
//!
//! `Display` prints the fewest parentheses that still parse back to the same tree, so a
//! simplified derivative can be shown in the text field it came from.
//!
//! ```
//! use calculus::{parse, Expr};
//!
//! let f = parse("-(x+1)^2 + 2x")?;
//! assert_eq!(f.to_string(), "-(x + 1)^2 + 2*x");
//! assert_eq!(parse(&f.to_string())?, f);
//! assert_eq!(f.variables(), ["x"]);
//! assert!(f.to_mathml().starts_with("<math>"));
//! # Ok::<(), calculus::Error>(())
//! ```

use std::collections::BTreeSet;
use std::fmt;

mod mathml;

/// A function of one argument readers can call by name, e.g. `sin(x)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Func {
    Sin,
    Cos,
    Tan,
    /// 1/cos x
    Sec,
    /// 1/sin x
    Csc,
    /// 1/tan x
    Cot,
    Asin,
    Acos,
    Atan,
    /// acos(1/x)
    Asec,
    /// asin(1/x)
    Acsc,
    /// atan(1/x), as mathjs defines it: −π/2 < acot x < 0 for x < 0, so it jumps at 0.
    Acot,
    Sinh,
    Cosh,
    Tanh,
    /// 1/cosh x
    Sech,
    /// 1/sinh x
    Csch,
    /// 1/tanh x
    Coth,
    Asinh,
    Acosh,
    Atanh,
    /// acosh(1/x)
    Asech,
    /// asinh(1/x)
    Acsch,
    /// atanh(1/x)
    Acoth,
    Exp,
    Ln,
    Log10,
    Log2,
    Sqrt,
    /// The real cube root, negative for negative x.
    Cbrt,
    Abs,
    Sigmoid,
    Relu,
    /// −1, 0 or 1; the derivative of `abs` (with sign(0) = 0, as in PyTorch).
    Sign,
    /// 1 for x > 0, else 0; the derivative of `relu` (relu'(0) = 0, as in PyTorch).
    Step,
}

impl Func {
    /// Every function, in the order the book lists them.
    pub const ALL: [Func; 35] = [
        Func::Sin,
        Func::Cos,
        Func::Tan,
        Func::Sec,
        Func::Csc,
        Func::Cot,
        Func::Asin,
        Func::Acos,
        Func::Atan,
        Func::Asec,
        Func::Acsc,
        Func::Acot,
        Func::Sinh,
        Func::Cosh,
        Func::Tanh,
        Func::Sech,
        Func::Csch,
        Func::Coth,
        Func::Asinh,
        Func::Acosh,
        Func::Atanh,
        Func::Asech,
        Func::Acsch,
        Func::Acoth,
        Func::Exp,
        Func::Ln,
        Func::Log10,
        Func::Log2,
        Func::Sqrt,
        Func::Cbrt,
        Func::Abs,
        Func::Sigmoid,
        Func::Relu,
        Func::Sign,
        Func::Step,
    ];

    /// The names, in the order of [`Func::ALL`] (a table rather than a `match`: smaller in
    /// the wasm).
    const NAMES: [&'static str; 35] = [
        "sin", "cos", "tan", "sec", "csc", "cot", "asin", "acos", "atan", "asec", "acsc", "acot",
        "sinh", "cosh", "tanh", "sech", "csch", "coth", "asinh", "acosh", "atanh", "asech",
        "acsch", "acoth", "exp", "ln", "log10", "log2", "sqrt", "cbrt", "abs", "sigmoid", "relu",
        "sign", "step",
    ];

    /// The name it is written and printed with.
    pub fn name(self) -> &'static str {
        Func::NAMES.get(self as usize).copied().unwrap_or_default()
    }

    /// The function a name denotes; `log` is the natural logarithm, as in numpy.
    pub(crate) fn from_name(name: &str) -> Option<Func> {
        if name == "log" {
            return Some(Func::Ln);
        }
        position(&Func::NAMES, name).and_then(|i| Func::ALL.get(i).copied())
    }

    /// The name typeset in MathML where it differs from the written one: the inverse
    /// functions as ISO 80000-2 names them (arcsin, arsinh), since "asin" is not how
    /// mathematics is printed.
    fn typeset_name(self) -> &'static str {
        match self {
            Func::Asin => "arcsin",
            Func::Acos => "arccos",
            Func::Atan => "arctan",
            Func::Asec => "arcsec",
            Func::Acsc => "arccsc",
            Func::Acot => "arccot",
            Func::Asinh => "arsinh",
            Func::Acosh => "arcosh",
            Func::Atanh => "artanh",
            Func::Asech => "arsech",
            Func::Acsch => "arcsch",
            Func::Acoth => "arcoth",
            Func::Sign => "sgn",
            f => f.name(),
        }
    }
}

/// A function of two arguments, e.g. `atan2(y, x)`. (`pow(a, b)` is `a^b` itself, so it
/// parses to [`Expr::Pow`].)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Func2 {
    /// log(x, base) = ln x / ln base.
    Log,
    /// nthRoot(x, n) = x^(1/n), and for odd integer n the real root of a negative x,
    /// −|x|^(1/n), as mathjs computes it.
    NthRoot,
    /// atan2(y, x): the angle of the point (x, y), in (−π, π].
    Atan2,
    Min,
    Max,
}

impl Func2 {
    /// Every two-argument function, in the order the book lists them.
    pub const ALL: [Func2; 5] = [
        Func2::Log,
        Func2::NthRoot,
        Func2::Atan2,
        Func2::Min,
        Func2::Max,
    ];

    /// The names, in the order of [`Func2::ALL`].
    const NAMES: [&'static str; 5] = ["log", "nthRoot", "atan2", "min", "max"];

    /// The name it is written and printed with.
    pub fn name(self) -> &'static str {
        Func2::NAMES.get(self as usize).copied().unwrap_or_default()
    }

    /// The names of its two arguments, as the book's list of functions writes them.
    pub fn parameters(self) -> [&'static str; 2] {
        match self {
            Func2::Log => ["x", "base"],
            Func2::NthRoot => ["x", "n"],
            Func2::Atan2 => ["y", "x"],
            Func2::Min | Func2::Max => ["a", "b"],
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Func2> {
        position(&Func2::NAMES, name).and_then(|i| Func2::ALL.get(i).copied())
    }
}

/// Where `name` is in `names`. One loop for both tables: inlined, each lookup unrolled its
/// string comparisons, 40 of them, into the parser.
#[inline(never)]
fn position(names: &[&str], name: &str) -> Option<usize> {
    names.iter().position(|n| *n == name)
}

/// A formula in one or more variables.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(f64),
    Var(String),
    /// π, written `pi`.
    Pi,
    /// Euler's number, written `e`.
    E,
    Neg(Box<Expr>),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Mul(Box<Expr>, Box<Expr>),
    Div(Box<Expr>, Box<Expr>),
    Pow(Box<Expr>, Box<Expr>),
    Call(Func, Box<Expr>),
    Call2(Func2, Box<Expr>, Box<Expr>),
}

/// How tightly a printed form holds together; a child printed below the level its parent
/// needs gets parentheses.
pub(crate) const SUM: u8 = 1;
pub(crate) const PRODUCT: u8 = 2;
pub(crate) const UNARY: u8 = 3;
pub(crate) const POWER: u8 = 4;
pub(crate) const ATOM: u8 = 5;

impl Expr {
    /// The variables the expression mentions, sorted and without repeats.
    pub fn variables(&self) -> Vec<String> {
        let mut names = BTreeSet::new();
        self.collect_variables(&mut names);
        names.into_iter().map(str::to_owned).collect()
    }

    fn collect_variables<'a>(&'a self, names: &mut BTreeSet<&'a str>) {
        match self {
            Expr::Var(name) => {
                names.insert(name);
            }
            Expr::Num(_) | Expr::Pi | Expr::E => {}
            Expr::Neg(a) | Expr::Call(_, a) => a.collect_variables(names),
            Expr::Add(a, b)
            | Expr::Sub(a, b)
            | Expr::Mul(a, b)
            | Expr::Div(a, b)
            | Expr::Pow(a, b)
            | Expr::Call2(_, a, b) => {
                a.collect_variables(names);
                b.collect_variables(names);
            }
        }
    }

    /// Whether `name` occurs in the expression.
    pub(crate) fn mentions(&self, name: &str) -> bool {
        match self {
            Expr::Var(v) => v == name,
            Expr::Num(_) | Expr::Pi | Expr::E => false,
            Expr::Neg(a) | Expr::Call(_, a) => a.mentions(name),
            Expr::Add(a, b)
            | Expr::Sub(a, b)
            | Expr::Mul(a, b)
            | Expr::Div(a, b)
            | Expr::Pow(a, b)
            | Expr::Call2(_, a, b) => a.mentions(name) || b.mentions(name),
        }
    }

    /// The expression with `name` replaced by the number `value`: f(w, b) with b held at b₀,
    /// the slice of chapter 2 (`(w^2 + b^2).substitute("b", 5.0)` is `w^2 + 5^2`).
    pub fn substitute(&self, name: &str, value: f64) -> Expr {
        self.replace(name, &Expr::Num(value))
    }

    /// The expression with every `name` replaced by the expression `with`: the composition
    /// f(g(x)) is `f.replace("u", &g)` for f written in u (chapter 5's chain of links).
    pub fn replace(&self, name: &str, with: &Expr) -> Expr {
        self.replace_all(&[(name, with)])
    }

    /// The expression with each variable named in `with` replaced by its expression, all at
    /// once (so a variable that a replacement brings in is not replaced again): a derivative
    /// rule in u, v, du and dv applied to the arguments and their derivatives.
    pub(crate) fn replace_all(&self, with: &[(&str, &Expr)]) -> Expr {
        let go = |e: &Expr| Box::new(e.replace_all(with));
        match self {
            Expr::Var(v) => match with.iter().find(|(name, _)| name == v) {
                Some((_, e)) => (*e).clone(),
                None => self.clone(),
            },
            Expr::Num(_) | Expr::Pi | Expr::E => self.clone(),
            Expr::Neg(a) => Expr::Neg(go(a)),
            Expr::Call(f, a) => Expr::Call(*f, go(a)),
            Expr::Add(a, b) => Expr::Add(go(a), go(b)),
            Expr::Sub(a, b) => Expr::Sub(go(a), go(b)),
            Expr::Mul(a, b) => Expr::Mul(go(a), go(b)),
            Expr::Div(a, b) => Expr::Div(go(a), go(b)),
            Expr::Pow(a, b) => Expr::Pow(go(a), go(b)),
            Expr::Call2(f, a, b) => Expr::Call2(*f, go(a), go(b)),
        }
    }

    /// The binding level of this node's printed form. A negative number prints with a
    /// leading minus, so it binds like unary minus.
    pub(crate) fn precedence(&self) -> u8 {
        match self {
            Expr::Num(n) if n.is_sign_negative() => UNARY,
            Expr::Num(_) | Expr::Var(_) | Expr::Pi | Expr::E | Expr::Call(..) | Expr::Call2(..) => {
                ATOM
            }
            Expr::Neg(_) => UNARY,
            Expr::Add(..) | Expr::Sub(..) => SUM,
            Expr::Mul(..) | Expr::Div(..) => PRODUCT,
            Expr::Pow(..) => POWER,
        }
    }

    fn fmt_operand(&self, f: &mut fmt::Formatter<'_>, needed: u8) -> fmt::Result {
        if self.precedence() < needed {
            write!(f, "({self})")
        } else {
            write!(f, "{self}")
        }
    }
}

/// Whether `a·b` should be typeset as juxtaposition: a plain number before a letter.
pub(crate) fn juxtaposes(a: &Expr, b: &Expr) -> bool {
    let number_first = matches!(a, Expr::Num(n) if n.is_finite() && !n.is_sign_negative());
    let letter_next = match b {
        Expr::Var(_) | Expr::Pi | Expr::E | Expr::Call(..) | Expr::Call2(..) => true,
        Expr::Pow(base, _) => matches!(**base, Expr::Var(_) | Expr::Pi | Expr::E),
        _ => false,
    };
    number_first && letter_next
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Infinity and NaN have no literal; print a formula with that value instead.
            Expr::Num(n) if n.is_nan() => write!(f, "(0/0)"),
            Expr::Num(n) if n.is_infinite() && *n > 0.0 => write!(f, "(1/0)"),
            Expr::Num(n) if n.is_infinite() => write!(f, "(-1/0)"),
            Expr::Num(n) => f.write_str(&crate::digits::shortest(*n)),
            Expr::Var(name) => write!(f, "{name}"),
            Expr::Pi => write!(f, "pi"),
            Expr::E => write!(f, "e"),
            Expr::Neg(a) => {
                write!(f, "-")?;
                a.fmt_operand(f, UNARY)
            }
            // Sums and products are left-associative, so a right operand of the same level
            // needs parentheses: a - (b - c).
            Expr::Add(a, b) => {
                a.fmt_operand(f, SUM)?;
                write!(f, " + ")?;
                b.fmt_operand(f, PRODUCT)
            }
            Expr::Sub(a, b) => {
                a.fmt_operand(f, SUM)?;
                write!(f, " - ")?;
                b.fmt_operand(f, PRODUCT)
            }
            Expr::Mul(a, b) => {
                a.fmt_operand(f, PRODUCT)?;
                write!(f, "*")?;
                b.fmt_operand(f, UNARY)
            }
            Expr::Div(a, b) => {
                a.fmt_operand(f, PRODUCT)?;
                write!(f, "/")?;
                b.fmt_operand(f, UNARY)
            }
            // `^` is right-associative and its exponent may carry a unary minus: x^-1.
            Expr::Pow(a, b) => {
                a.fmt_operand(f, ATOM)?;
                write!(f, "^")?;
                b.fmt_operand(f, UNARY)
            }
            Expr::Call(func, a) => write!(f, "{}({a})", func.name()),
            Expr::Call2(func, a, b) => write!(f, "{}({a}, {b})", func.name()),
        }
    }
}

/// Expressions built in code, as the derivative rules and the tests build them:
/// `add(mul(num(2.0), x), num(1.0))` is 2·x + 1.
pub mod build {
    use super::{Expr, Func, Func2};

    pub fn num(n: f64) -> Expr {
        Expr::Num(n)
    }
    pub fn neg(a: Expr) -> Expr {
        Expr::Neg(Box::new(a))
    }
    pub fn add(a: Expr, b: Expr) -> Expr {
        Expr::Add(Box::new(a), Box::new(b))
    }
    pub fn sub(a: Expr, b: Expr) -> Expr {
        Expr::Sub(Box::new(a), Box::new(b))
    }
    pub fn mul(a: Expr, b: Expr) -> Expr {
        Expr::Mul(Box::new(a), Box::new(b))
    }
    pub fn div(a: Expr, b: Expr) -> Expr {
        Expr::Div(Box::new(a), Box::new(b))
    }
    pub fn pow(a: Expr, b: Expr) -> Expr {
        Expr::Pow(Box::new(a), Box::new(b))
    }
    pub fn call(f: Func, a: Expr) -> Expr {
        Expr::Call(f, Box::new(a))
    }
    pub fn call2(f: Func2, a: Expr, b: Expr) -> Expr {
        Expr::Call2(f, Box::new(a), Box::new(b))
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn substitute_holds_one_variable_fixed() {
        // f(w, b) = w² + b² at b = 5 is w² + 25; at w = 3 its value is 34.
        let slice = crate::parse("w^2 + b^2").unwrap().substitute("b", 5.0);
        assert_eq!(slice.variables(), ["w"]);
        assert_eq!(crate::evaluate(&slice, &[("w", 3.0)]).unwrap(), 34.0);
        // A negative value stays a number when printed and parsed back.
        let shifted = crate::parse("w*b").unwrap().substitute("b", -2.0);
        assert_eq!(crate::parse(&shifted.to_string()).unwrap(), shifted);
    }

    #[test]
    fn replace_composes_one_formula_into_another() {
        // B(A) = A^2 after A(x) = x + 1 is (x + 1)^2: parentheses come back where needed.
        let outer = crate::parse("A^2 + sin(A)").unwrap();
        let inner = crate::parse("x + 1").unwrap();
        let composed = outer.replace("A", &inner);
        assert_eq!(composed.to_string(), "(x + 1)^2 + sin(x + 1)");
        assert_eq!(composed.variables(), ["x"]);
        assert_eq!(crate::parse(&composed.to_string()).unwrap(), composed);
    }
    use super::*;

    pub(super) fn num(n: f64) -> Box<Expr> {
        Box::new(Expr::Num(n))
    }
    pub(super) fn var(name: &str) -> Box<Expr> {
        Box::new(Expr::Var(name.into()))
    }

    #[test]
    fn display_uses_minimal_parentheses() {
        let x_plus_1 = Box::new(Expr::Add(var("x"), num(1.0)));
        let cases = [
            (Expr::Mul(num(2.0), var("x")), "2*x"),
            (
                Expr::Neg(Box::new(Expr::Pow(x_plus_1.clone(), num(2.0)))),
                "-(x + 1)^2",
            ),
            (Expr::Pow(var("x"), num(-1.0)), "x^-1"),
            (Expr::Pow(var("x"), Box::new(Expr::Neg(var("y")))), "x^-y"),
            (
                Expr::Sub(var("a"), Box::new(Expr::Sub(var("b"), var("c")))),
                "a - (b - c)",
            ),
            (
                Expr::Sub(Box::new(Expr::Sub(var("a"), var("b"))), var("c")),
                "a - b - c",
            ),
            (
                Expr::Div(var("a"), Box::new(Expr::Mul(var("b"), var("c")))),
                "a/(b*c)",
            ),
            (
                Expr::Pow(Box::new(Expr::Pow(var("a"), var("b"))), var("c")),
                "(a^b)^c",
            ),
            (
                Expr::Pow(var("a"), Box::new(Expr::Pow(var("b"), var("c")))),
                "a^b^c",
            ),
            (Expr::Pow(num(-2.0), num(2.0)), "(-2)^2"),
            (Expr::Mul(num(0.5), Box::new(Expr::Pi)), "0.5*pi"),
            (Expr::Call(Func::Sin, x_plus_1), "sin(x + 1)"),
            (Expr::Num(f64::INFINITY), "(1/0)"),
        ];
        for (expr, text) in cases {
            assert_eq!(expr.to_string(), text);
        }
    }

    #[test]
    fn variables_are_sorted_and_unique() {
        let e = Expr::Add(
            Box::new(Expr::Mul(var("y"), var("x"))),
            Box::new(Expr::Call(Func::Sin, var("y"))),
        );
        assert_eq!(e.variables(), ["x", "y"]);
    }

    #[test]
    fn func_names_round_trip() {
        for f in Func::ALL {
            assert_eq!(Func::from_name(f.name()), Some(f));
        }
        assert_eq!(Func::from_name("log"), Some(Func::Ln));
        assert_eq!(Func::from_name("foo"), None);
        for f in Func2::ALL {
            assert_eq!(Func2::from_name(f.name()), Some(f));
        }
        assert_eq!(Func::NAMES.len(), Func::ALL.len());
    }

    #[test]
    fn two_argument_calls_print_and_typeset() {
        let log = Expr::Call2(Func2::Log, var("x"), num(2.0));
        assert_eq!(log.to_string(), "log(x, 2)");
        assert_eq!(
            log.to_mathml(),
            "<math><mrow><msub><mi>log</mi><mn>2</mn></msub><mo>&#x2061;</mo>\
             <mrow><mo>(</mo><mi>x</mi><mo>)</mo></mrow></mrow></math>"
        );
        let root = Expr::Call2(Func2::NthRoot, var("x"), num(5.0));
        assert_eq!(root.to_string(), "nthRoot(x, 5)");
        assert_eq!(
            root.to_mathml(),
            "<math><mroot><mi>x</mi><mn>5</mn></mroot></math>"
        );
        assert_eq!(
            Expr::Call(Func::Cbrt, var("x")).to_mathml(),
            "<math><mroot><mi>x</mi><mn>3</mn></mroot></math>"
        );
        let angle = Expr::Call2(Func2::Atan2, var("y"), num(-1.0));
        assert_eq!(angle.to_string(), "atan2(y, -1)");
        assert_eq!(
            angle.to_mathml(),
            "<math><mrow><mi>atan2</mi><mo>&#x2061;</mo><mrow><mo>(</mo><mi>y</mi><mo>,</mo>\
             <mrow><mo>&#x2212;</mo><mn>1</mn></mrow><mo>)</mo></mrow></mrow></math>"
        );
        // The inverse functions are typeset with their mathematical names.
        assert!(Expr::Call(Func::Asin, var("x"))
            .to_mathml()
            .contains("<mi>arcsin</mi>"));
        assert!(Expr::Call(Func::Acosh, var("x"))
            .to_mathml()
            .contains("<mi>arcosh</mi>"));
        assert!(Expr::Call(Func::Log10, var("x"))
            .to_mathml()
            .contains("<msub><mi>log</mi><mn>10</mn></msub>"));
    }
}

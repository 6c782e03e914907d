//! A formula in words, as a screen reader should say it: what the charts put in their
//! `aria-label`s for a formula the reader typed.
//!
//! The book's own formulas get their spoken form from KaTeX and the speech rule engine at
//! build time; a typed formula exists only in the page, so the engine speaks it from its own
//! tree. Words follow ClearSpeak's habits: functions by their full names ("arctangent of x"),
//! squares and cubes by name, and "the quantity … end quantity" around a group that the
//! printed form puts in parentheses, so that the words have one reading only.
//!
//! ```
//! use calculus::{parse, speech::spoken};
//!
//! assert_eq!(spoken(&parse("atan(x)*sinh(x)")?), "arctangent of x times hyperbolic sine of x");
//! assert_eq!(spoken(&parse("(x + 1)^2")?), "the quantity x plus 1 end quantity squared");
//! assert_eq!(spoken(&parse("log(x, 2) - 3x")?), "log base 2 of x minus 3 x");
//! # Ok::<(), calculus::Error>(())
//! ```

use crate::expr::{juxtaposes, Expr, Func, Func2, ATOM, PRODUCT, SUM, UNARY};

/// `expr` in words.
pub fn spoken(expr: &Expr) -> String {
    let mut out = String::new();
    say(expr, &mut out);
    out
}

/// The words of each function of one argument, in the order of [`Func::ALL`].
const NAMES: [&str; 35] = [
    "sine",
    "cosine",
    "tangent",
    "secant",
    "cosecant",
    "cotangent",
    "arcsine",
    "arccosine",
    "arctangent",
    "arcsecant",
    "arccosecant",
    "arccotangent",
    "hyperbolic sine",
    "hyperbolic cosine",
    "hyperbolic tangent",
    "hyperbolic secant",
    "hyperbolic cosecant",
    "hyperbolic cotangent",
    "inverse hyperbolic sine",
    "inverse hyperbolic cosine",
    "inverse hyperbolic tangent",
    "inverse hyperbolic secant",
    "inverse hyperbolic cosecant",
    "inverse hyperbolic cotangent",
    "e to the",
    "natural log of",
    "log base 10 of",
    "log base 2 of",
    "square root of",
    "cube root of",
    "absolute value of",
    "sigmoid of",
    "ReLU of",
    "sign of",
    "step of",
];

fn say(expr: &Expr, out: &mut String) {
    match expr {
        Expr::Num(n) if n.is_nan() => out.push_str("not a number"),
        Expr::Num(n) if n.is_infinite() => out.push_str(if *n > 0.0 {
            "infinity"
        } else {
            "minus infinity"
        }),
        Expr::Num(n) if n.is_sign_negative() => {
            out.push_str("minus ");
            out.push_str(&crate::digits::shortest(-n));
        }
        Expr::Num(n) => out.push_str(&crate::digits::shortest(*n)),
        Expr::Var(name) => out.push_str(name),
        Expr::Pi => out.push_str("pi"),
        Expr::E => out.push('e'),
        Expr::Neg(a) => {
            out.push_str("minus ");
            operand(a, UNARY, out);
        }
        Expr::Add(a, b) => binary(a, SUM, " plus ", b, PRODUCT, out),
        Expr::Sub(a, b) => binary(a, SUM, " minus ", b, PRODUCT, out),
        // A number before a letter is read as it is written, "3 x".
        Expr::Mul(a, b) if juxtaposes(a, b) => binary(a, PRODUCT, " ", b, UNARY, out),
        Expr::Mul(a, b) => binary(a, PRODUCT, " times ", b, UNARY, out),
        Expr::Div(a, b) => binary(a, PRODUCT, " over ", b, UNARY, out),
        Expr::Pow(base, exponent) => {
            operand(base, ATOM, out);
            match **exponent {
                Expr::Num(2.0) => out.push_str(" squared"),
                Expr::Num(3.0) => out.push_str(" cubed"),
                _ => {
                    out.push_str(" to the ");
                    say(exponent, out);
                    // Where the exponent ends, when it is more than one thing.
                    if exponent.precedence() < ATOM {
                        out.push_str(" end exponent");
                    }
                }
            }
        }
        Expr::Call(Func::Exp, a) => {
            out.push_str("e to the ");
            operand(a, ATOM, out);
        }
        Expr::Call(f, a) => {
            out.push_str(NAMES.get(*f as usize).copied().unwrap_or_default());
            // The trigonometric and hyperbolic names take "of" here, the others carry it.
            if (*f as usize) < Func::Exp as usize {
                out.push_str(" of");
            }
            out.push(' ');
            operand(a, ATOM, out);
        }
        Expr::Call2(f, a, b) => {
            let (before, between) = match f {
                Func2::Log => {
                    out.push_str("log base ");
                    operand(b, ATOM, out);
                    out.push_str(" of ");
                    operand(a, ATOM, out);
                    return;
                }
                Func2::NthRoot => {
                    out.push_str("root ");
                    operand(b, ATOM, out);
                    out.push_str(" of ");
                    operand(a, ATOM, out);
                    return;
                }
                Func2::Atan2 => ("two-argument arctangent of ", " and "),
                Func2::Min => ("minimum of ", " and "),
                Func2::Max => ("maximum of ", " and "),
            };
            out.push_str(before);
            operand(a, ATOM, out);
            out.push_str(between);
            operand(b, ATOM, out);
        }
    }
}

fn binary(a: &Expr, left: u8, word: &str, b: &Expr, right: u8, out: &mut String) {
    operand(a, left, out);
    out.push_str(word);
    operand(b, right, out);
}

/// `expr` in words, grouped where the printed form would put it in parentheses.
fn operand(expr: &Expr, needed: u8, out: &mut String) {
    if expr.precedence() < needed {
        out.push_str("the quantity ");
        say(expr, out);
        out.push_str(" end quantity");
    } else {
        say(expr, out);
    }
}

#[cfg(test)]
mod tests {
    use super::spoken;
    use crate::expr::Func;
    use crate::parse;

    fn say(source: &str) -> String {
        spoken(&parse(source).unwrap())
    }

    #[test]
    fn every_function_has_its_words() {
        for f in Func::ALL {
            let words = say(&format!("{}(x)", f.name()));
            assert!(words.ends_with(" x"), "{}: {words}", f.name());
        }
        assert_eq!(say("asin(x)"), "arcsine of x");
        assert_eq!(say("acoth(x)"), "inverse hyperbolic cotangent of x");
        assert_eq!(say("sech(x)"), "hyperbolic secant of x");
        assert_eq!(say("sqrt(x)"), "square root of x");
        assert_eq!(say("log10(x)"), "log base 10 of x");
        assert_eq!(say("ln(x)"), "natural log of x");
        assert_eq!(say("exp(x)"), "e to the x");
        assert_eq!(say("relu(x)"), "ReLU of x");
    }

    #[test]
    fn two_argument_functions() {
        assert_eq!(say("log(x, 3)"), "log base 3 of x");
        assert_eq!(say("nthRoot(x, 5)"), "root 5 of x");
        assert_eq!(say("atan2(y, x)"), "two-argument arctangent of y and x");
        assert_eq!(say("min(a, b)"), "minimum of a and b");
        assert_eq!(say("max(x, 0)"), "maximum of x and 0");
        assert_eq!(say("pow(x, 4)"), "x to the 4");
    }

    #[test]
    fn groups_are_closed_where_the_printed_form_has_parentheses() {
        assert_eq!(
            say("sin(x + 1)"),
            "sine of the quantity x plus 1 end quantity"
        );
        assert_eq!(say("sin(x) + 1"), "sine of x plus 1");
        assert_eq!(
            say("x - (y - z)"),
            "x minus the quantity y minus z end quantity"
        );
        assert_eq!(
            say("(a + b)/c"),
            "the quantity a plus b end quantity over c"
        );
        assert_eq!(say("-x^2"), "minus x squared");
        assert_eq!(say("(-x)^2"), "the quantity minus x end quantity squared");
        assert_eq!(
            say("e^(-x^2/2) + 1"),
            "e to the minus x squared over 2 end exponent plus 1"
        );
        assert_eq!(say("2^x"), "2 to the x");
        assert_eq!(say("w^2 + b^2"), "w squared plus b squared");
        assert_eq!(say("3x^2 - 2*x"), "3 x squared minus 2 x");
        assert_eq!(say("x*y"), "x times y");
        assert_eq!(say("-0.5*pi"), "minus 0.5 times pi");
    }
}

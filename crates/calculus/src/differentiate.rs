//! Symbolic derivatives, for showing f'(x) as a formula.
//!
//! Numbers never come from here: slopes are computed on the [`Graph`](crate::Graph). This
//! module only writes the derivative down, by the textbook rules, and tidies it with
//! [`simplify`] so it reads the way a person would write it.
//!
//! ```
//! use calculus::{differentiate, parse};
//!
//! let f = parse("3x^3 - 2x + 1")?;
//! assert_eq!(differentiate(&f, "x").to_string(), "9*x^2 - 2");
//! # Ok::<(), calculus::Error>(())
//! ```

use crate::expr::build::{add, call, call2, div, mul, neg, num, pow, sub};
use crate::expr::{Expr, Func, Func2};

/// d(expr)/d(var), simplified.
pub fn differentiate(expr: &Expr, var: &str) -> Expr {
    simplify(&derive(expr, var))
}

/// The derivative by the sum, product, quotient, power and chain rules, unsimplified.
fn derive(expr: &Expr, var: &str) -> Expr {
    let d = |e: &Expr| derive(e, var);
    match expr {
        Expr::Num(_) | Expr::Pi | Expr::E => num(0.0),
        Expr::Var(v) => num(if v == var { 1.0 } else { 0.0 }),
        Expr::Neg(a) => neg(d(a)),
        Expr::Add(a, b) => add(d(a), d(b)),
        Expr::Sub(a, b) => sub(d(a), d(b)),
        // (ab)' = a'b + ab'
        Expr::Mul(a, b) => add(mul(d(a), cl(b)), mul(cl(a), d(b))),
        // (a/b)' = a'/b when b is constant, else (a'b − ab')/b²
        Expr::Div(a, b) if !b.mentions(var) => div(d(a), cl(b)),
        Expr::Div(a, b) => div(
            sub(mul(d(a), cl(b)), mul(cl(a), d(b))),
            pow(cl(b), num(2.0)),
        ),
        Expr::Pow(a, b) => {
            if !b.mentions(var) {
                // (a^n)' = n·a^(n−1)·a'
                let lowered = match **b {
                    Expr::Num(n) => num(n - 1.0),
                    _ => sub(cl(b), num(1.0)),
                };
                mul(mul(cl(b), pow(cl(a), lowered)), d(a))
            } else if !a.mentions(var) {
                // (c^b)' = c^b·ln(c)·b'
                mul(mul(expr.clone(), call(Func::Ln, cl(a))), d(b))
            } else {
                // (a^b)' = a^b·(b'·ln(a) + b·a'/a)
                mul(
                    expr.clone(),
                    add(
                        mul(d(b), call(Func::Ln, cl(a))),
                        div(mul(cl(b), d(a)), cl(a)),
                    ),
                )
            }
        }
        Expr::Call(f, a) => mul(outer_derivative(*f, a), d(a)),
        Expr::Call2(f, a, b) => {
            let rule = crate::parse(rule2(*f, b.mentions(var))).unwrap_or(num(f64::NAN));
            rule.replace_all(&[("u", a), ("v", b), ("du", &d(a)), ("dv", &d(b))])
        }
    }
}

/// The derivative of f(u, v) in terms of u, v and their derivatives du and dv, as the
/// textbooks write it; `v_varies` when v depends on the variable. Text, as
/// [`Func::derivative_rule`] is (`every_rule2_parses`).
fn rule2(f: Func2, v_varies: bool) -> &'static str {
    match (f, v_varies) {
        // log_c(u)' = u'/(u·ln c) for a constant base, else the quotient rule on ln u/ln v.
        (Func2::Log, false) => "du/(u*ln(v))",
        (Func2::Log, true) => "(du/u*ln(v) - ln(u)*dv/v)/ln(v)^2",
        // ⁿ√u' = u'/(n·ⁿ√u^(n−1)) for a constant n (which holds for the real root of a
        // negative u too), else the power rule on u^(1/v).
        (Func2::NthRoot, false) => "du/(v*nthRoot(u, v)^(v - 1))",
        (Func2::NthRoot, true) => "nthRoot(u, v)*(du/(v*u) - dv*ln(u)/v^2)",
        (Func2::Atan2, _) => "(v*du - u*dv)/(u^2 + v^2)",
        // min(u, v)' is u' where u < v and v' where v < u; where they meet, half of each, as
        // the graph takes it.
        (Func2::Min, _) => "du*(1 - sign(u - v))/2 + dv*(1 + sign(u - v))/2",
        (Func2::Max, _) => "du*(1 + sign(u - v))/2 + dv*(1 - sign(u - v))/2",
    }
}

/// f'(a) for the function f, as a formula in a: the rule of the graph's backward pass, as the
/// textbooks write it ([`Func::derivative_rule`]), with a put in for u.
fn outer_derivative(f: Func, a: &Expr) -> Expr {
    match crate::parse(f.derivative_rule()) {
        Ok(rule) => rule.replace("u", a),
        // Never: every rule parses (`every_derivative_rule_parses_in_u`).
        Err(_) => num(f64::NAN),
    }
}

fn cl(e: &Expr) -> Expr {
    e.clone()
}

/// Tidies an expression without changing its value (where it is defined): folds constant
/// arithmetic, drops `+0`, `*1`, `/1`, `^1`, turns `0*a` into 0 and `a^0` into 1, `0 - a`
/// into `-a`, `--a` into `a`, and gathers the numbers of a product into one leading
/// coefficient (`3*(3*x^2)` → `9*x^2`, `exp(2*x)*2` → `2*exp(2*x)`), which also takes
/// the sign of a negated product (`-(2*x)` → `-2*x`).
///
/// Functions of constants are kept as written (`sin(1)`), except where the value is an
/// exact small number: `ln(e)` and `exp(0)` are 1, `ln(1)` and `sqrt(0)` are 0, `sqrt(1)`
/// is 1. Inexact quotients (`1/3`) are kept as written too.
pub fn simplify(expr: &Expr) -> Expr {
    match expr {
        Expr::Num(_) | Expr::Var(_) | Expr::Pi | Expr::E => expr.clone(),
        Expr::Neg(a) => s_neg(simplify(a)),
        Expr::Add(a, b) => s_add(simplify(a), simplify(b)),
        Expr::Sub(a, b) => s_sub(simplify(a), simplify(b)),
        Expr::Mul(a, b) => s_mul(simplify(a), simplify(b)),
        Expr::Div(a, b) => s_div(simplify(a), simplify(b)),
        Expr::Pow(a, b) => s_pow(simplify(a), simplify(b)),
        Expr::Call(f, a) => s_call(*f, simplify(a)),
        Expr::Call2(f, a, b) => call2(*f, simplify(a), simplify(b)),
    }
}

/// The constant value of a plain number.
fn constant(e: &Expr) -> Option<f64> {
    match e {
        Expr::Num(n) => Some(*n),
        _ => None,
    }
}

/// Folds `value` only if it is finite: `1/0` stays a formula.
fn folded(value: f64, otherwise: impl FnOnce() -> Expr) -> Expr {
    if value.is_finite() {
        num(value)
    } else {
        otherwise()
    }
}

fn s_neg(a: Expr) -> Expr {
    match a {
        // −0 would print as "-0".
        Expr::Num(0.0) => num(0.0),
        Expr::Num(n) => num(-n),
        Expr::Neg(inner) => *inner,
        // The sign joins the product's coefficient: −(2·x) reads as −2·x. The product is
        // rebuilt from its factors, none of which is a product, so this cannot recurse.
        product @ Expr::Mul(..) => s_mul(num(-1.0), product),
        // −(−1/u) is 1/u: the sign goes to a numerator that carries one.
        Expr::Div(n, d) if leads_with_minus(&n) => div(s_neg(*n), *d),
        a => neg(a),
    }
}

/// Whether `e` is a product or quotient led by a minus, as `s_mul` writes them (`-2*x*y`
/// and `-x*y` lean left, so the sign is at the bottom of the left spine; `-1/u`, `-x/u`).
fn negative_product(e: &Expr) -> bool {
    match e {
        Expr::Mul(a, _) | Expr::Div(a, _) => leads_with_minus(a),
        _ => false,
    }
}

fn leads_with_minus(e: &Expr) -> bool {
    match e {
        Expr::Num(n) => *n < 0.0,
        Expr::Neg(_) => true,
        Expr::Mul(a, _) | Expr::Div(a, _) => leads_with_minus(a),
        _ => false,
    }
}

fn s_add(a: Expr, b: Expr) -> Expr {
    match (constant(&a), constant(&b)) {
        (Some(x), Some(y)) => folded(x + y, || add(a, b)),
        (Some(0.0), _) => b,
        (_, Some(0.0)) => a,
        // a + (−c) reads better as a − c.
        (_, Some(y)) if y < 0.0 => sub(a, num(-y)),
        _ => match (a, b) {
            (a, Expr::Neg(b)) => s_sub(a, *b),
            // a + (−2·x) reads better as a − 2·x.
            (a, b) if negative_product(&b) => s_sub(a, s_neg(b)),
            (Expr::Neg(a), b) => s_sub(b, *a),
            (a, b) => add(a, b),
        },
    }
}

fn s_sub(a: Expr, b: Expr) -> Expr {
    match (constant(&a), constant(&b)) {
        (Some(x), Some(y)) => folded(x - y, || sub(a, b)),
        (_, Some(0.0)) => a,
        (Some(0.0), _) => s_neg(b),
        (_, Some(y)) if y < 0.0 => add(a, num(-y)),
        _ => match b {
            Expr::Neg(b) => s_add(a, *b),
            b if negative_product(&b) => s_add(a, s_neg(b)),
            b => sub(a, b),
        },
    }
}

/// A product as a numeric coefficient times the other factors, in order, over the
/// denominators of the factors that were fractions of a number: 2·(−1/√u) is −2/√u.
fn s_mul(a: Expr, b: Expr) -> Expr {
    let mut product = Product {
        coefficient: 1.0,
        factors: Vec::new(),
        denominators: Vec::new(),
    };
    product.gather(a);
    product.gather(b);
    let Product {
        coefficient,
        factors,
        denominators,
    } = product;
    if coefficient == 0.0 {
        // Not −0, which would print as "-0".
        return num(0.0);
    }
    let mut factors = factors.into_iter();
    // The coefficient leads and the product leans left, so it prints as 2*x*y or -x*y
    // rather than 2*(x*y) or -(x*y).
    let numerator = match factors.next() {
        None => num(coefficient),
        Some(first) if coefficient == 1.0 => factors.fold(first, mul),
        Some(first) if coefficient == -1.0 => factors.fold(s_neg(first), mul),
        Some(first) => factors.fold(mul(num(coefficient), first), mul),
    };
    match denominators.into_iter().reduce(mul) {
        Some(denominator) => div(numerator, denominator),
        None => numerator,
    }
}

/// A product taken apart by [`s_mul`].
struct Product {
    coefficient: f64,
    factors: Vec<Expr>,
    denominators: Vec<Expr>,
}

impl Product {
    /// Collects the factors of a product, multiplying numbers and signs into the coefficient.
    fn gather(&mut self, e: Expr) {
        match e {
            Expr::Num(n) => self.coefficient *= n,
            Expr::Neg(a) => {
                self.coefficient = -self.coefficient;
                self.gather(*a);
            }
            Expr::Mul(a, b) => {
                self.gather(*a);
                self.gather(*b);
            }
            Expr::Div(n, d) if matches!(*n, Expr::Num(_)) => {
                self.gather(*n);
                self.denominators.push(*d);
            }
            e => self.factors.push(e),
        }
    }
}

fn s_div(a: Expr, b: Expr) -> Expr {
    match (constant(&a), constant(&b)) {
        // Fold only exact quotients: 6/3 is 2, but 1/3 stays a fraction.
        // (The fused remainder q·y − x is exact, so it is zero only for exact quotients.)
        (Some(x), Some(y)) if y != 0.0 && (x / y).mul_add(y, -x) == 0.0 => {
            folded(x / y, || div(a, b))
        }
        (_, Some(1.0)) => a,
        (_, Some(-1.0)) => s_neg(a),
        (Some(0.0), _) => num(0.0),
        _ => match a {
            // −a/b prints the same either way; a sign in front keeps products tidy.
            Expr::Neg(a) => s_neg(div(*a, b)),
            a => div(a, b),
        },
    }
}

fn s_pow(a: Expr, b: Expr) -> Expr {
    match (constant(&a), constant(&b)) {
        (Some(x), Some(y)) if y.fract() == 0.0 && (0.0..=64.0).contains(&y) => {
            folded(x.powf(y), || pow(a, b))
        }
        (_, Some(1.0)) => a,
        (_, Some(0.0)) => num(1.0),
        (Some(1.0), _) => num(1.0),
        _ => pow(a, b),
    }
}

/// A function of its (simplified) argument, folded where the value is an exact small
/// number. These arise from the rules themselves: d/dx e^x = e^x·ln(e), and a person would
/// write 1 for ln(e). Other values (`sin(1)`, `ln(2)`) stay as formulas, since a rounded
/// decimal would read worse than the exact expression.
fn s_call(f: Func, a: Expr) -> Expr {
    match (f, &a) {
        (Func::Ln, Expr::E) => num(1.0),
        (Func::Ln, Expr::Num(n)) if *n == 1.0 => num(0.0),
        (Func::Exp, Expr::Num(n)) if *n == 0.0 => num(1.0),
        (Func::Sqrt, Expr::Num(n)) if *n == 0.0 || *n == 1.0 => num(n.abs()),
        _ => call(f, a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn d(src: &str) -> String {
        differentiate(&parse(src).unwrap(), "x").to_string()
    }

    #[test]
    fn every_rule2_parses() {
        for f in Func2::ALL {
            for varies in [false, true] {
                let rule = parse(rule2(f, varies)).unwrap();
                let names = ["u", "v", "du", "dv"];
                assert!(rule.variables().iter().all(|v| names.contains(&v.as_str())));
            }
        }
    }

    #[test]
    fn required_derivatives() {
        let cases = [
            ("x^2", "2*x"),
            ("3*x^3 - 2*x + 1", "9*x^2 - 2"),
            ("x^3 - 3x", "3*x^2 - 3"),
            ("sin(x)", "cos(x)"),
            ("(x - 2)^2 + 1", "2*(x - 2)"),
            ("x^4 - 3x^2 + x", "4*x^3 - 6*x + 1"),
            ("5", "0"),
            ("x", "1"),
            ("exp(2x)", "2*exp(2*x)"),
            // The sign joins the coefficient: −(2·x) is −2·x.
            ("-x^2", "-2*x"),
            ("-3x^3", "-9*x^2"),
            ("x - x^2", "1 - 2*x"),
            ("x + -x^2", "1 - 2*x"),
            // d/dx c^x = c^x·ln(c), and ln(e) = 1.
            ("e^x", "e^x"),
            ("e^(2x)", "2*e^(2*x)"),
            ("2^x", "2^x*ln(2)"),
            ("-5", "0"),
            // the functions of issue 18, in the textbooks' forms
            ("asin(x)", "1/sqrt(1 - x^2)"),
            ("acos(2x)", "-2/sqrt(1 - (2*x)^2)"),
            ("atan(x)", "1/(1 + x^2)"),
            ("sec(x)", "sec(x)*tan(x)"),
            ("csc(x)", "-csc(x)*cot(x)"),
            ("cot(x)", "-csc(x)^2"),
            ("asec(x)", "1/(abs(x)*sqrt(x^2 - 1))"),
            ("acot(x)", "-1/(1 + x^2)"),
            ("sinh(x)", "cosh(x)"),
            ("cosh(3x)", "3*sinh(3*x)"),
            ("sech(x)", "-sech(x)*tanh(x)"),
            ("coth(x)", "-csch(x)^2"),
            ("asinh(x)", "1/sqrt(x^2 + 1)"),
            ("acosh(x)", "1/sqrt(x^2 - 1)"),
            ("atanh(x)", "1/(1 - x^2)"),
            ("asech(x)", "-1/(x*sqrt(1 - x^2))"),
            ("acsch(x)", "-1/(abs(x)*sqrt(x^2 + 1))"),
            ("log10(x)", "1/(x*ln(10))"),
            ("log(x, 2)", "1/(x*ln(2))"),
            ("log(2, x)", "-(ln(2)/x/ln(x)^2)"),
            ("cbrt(x)", "1/(3*cbrt(x)^2)"),
            ("nthRoot(x, 5)", "1/(5*nthRoot(x, 5)^4)"),
            ("pow(x, 3)", "3*x^2"),
            ("atan2(x, 2)", "2/(x^2 + 4)"),
            ("min(x, 2)", "(1 - sign(x - 2))/2"),
            ("max(x, 2)", "(1 + sign(x - 2))/2"),
        ];
        for (f, df) in cases {
            assert_eq!(d(f), df, "d/dx {f}");
        }
    }

    #[test]
    fn simplify_identities() {
        let cases = [
            ("x + 0", "x"),
            ("0 + x", "x"),
            ("0*x", "0"),
            ("x*0", "0"),
            ("1*x", "x"),
            ("x/1", "x"),
            ("x^1", "x"),
            ("x^0", "1"),
            ("0 - x", "-x"),
            ("--x", "x"),
            ("-(-x)", "x"),
            ("2*(3*x)", "6*x"),
            ("x*2*y*3", "6*x*y"),
            ("-1*x", "-x"),
            ("x + -2", "x - 2"),
            ("x - -2", "x + 2"),
            ("6/3", "2"),
            ("1/3", "1/3"),
            ("2^10", "1024"),
            ("1/0", "1/0"),
            ("x*-y", "-x*y"),
            ("sin(0*x)", "sin(0)"),
            ("-(2*x)", "-2*x"),
            ("-(x*2*y)", "-2*x*y"),
            ("-(-2*x)", "2*x"),
            ("-(x*y)", "-x*y"),
            ("x + -(2*x)", "x - 2*x"),
            ("x - -(2*x)", "x + 2*x"),
            ("x + -x*y", "x - x*y"),
            ("x + -1/y", "x - 1/y"),
            ("x - -x/y", "x + x/y"),
            ("x + -x*y/z", "x - x*y/z"),
            ("-(0*x)", "0"),
            ("ln(e)", "1"),
            ("ln(1)", "0"),
            ("exp(0)", "1"),
            ("e^1", "e"),
            ("sqrt(1)", "1"),
            ("sqrt(0)", "0"),
            ("ln(2)", "ln(2)"),
            ("ln(e)*x", "x"),
        ];
        for (src, simple) in cases {
            assert_eq!(simplify(&parse(src).unwrap()).to_string(), simple, "{src}");
        }
    }
}

//! An expression as MathML Core: fractions as `mfrac`, powers as `msup`, roots as `msqrt`,
//! `abs` as bars, so that the browser typesets a derivative without TeX.
//!
//! ```
//! use calculus::parse;
//!
//! assert_eq!(parse("x^2")?.to_mathml(), "<math><msup><mi>x</mi><mn>2</mn></msup></math>");
//! # Ok::<(), calculus::Error>(())
//! ```

use super::*;

impl Expr {
    /// The expression as a complete MathML Core `<math>` element.
    ///
    /// Fractions become `mfrac`, powers `msup`, square roots `msqrt` and `abs` bars, so the
    /// browser can typeset f'(x) without TeX.
    pub fn to_mathml(&self) -> String {
        let mut out = String::from("<math>");
        self.write_mathml(&mut out);
        out.push_str("</math>");
        out
    }

    /// Writes exactly one element (sequences are wrapped in `mrow`), so `msup` and `mfrac`
    /// always receive the two children they expect.
    fn write_mathml(&self, out: &mut String) {
        match self {
            Expr::Num(n) => {
                if n.is_sign_negative() {
                    out.push_str("<mrow><mo>&#x2212;</mo>");
                    push_mn(out, -n);
                    out.push_str("</mrow>");
                } else {
                    push_mn(out, *n);
                }
            }
            Expr::Var(name) => {
                out.push_str("<mi>");
                push_escaped(out, name);
                out.push_str("</mi>");
            }
            Expr::Pi => out.push_str("<mi>&#x3C0;</mi>"),
            Expr::E => out.push_str("<mi>e</mi>"),
            Expr::Neg(a) => {
                out.push_str("<mrow><mo>&#x2212;</mo>");
                a.write_mathml_operand(out, UNARY);
                out.push_str("</mrow>");
            }
            Expr::Add(a, b) => write_mathml_binary(out, a, "+", SUM, b, PRODUCT),
            Expr::Sub(a, b) => write_mathml_binary(out, a, "&#x2212;", SUM, b, PRODUCT),
            Expr::Mul(a, b) => {
                // 2x reads better than 2·x; anything else keeps a visible dot.
                let operator = if juxtaposes(a, b) {
                    "&#x2062;"
                } else {
                    "&#xB7;"
                };
                write_mathml_binary(out, a, operator, PRODUCT, b, UNARY);
            }
            Expr::Div(a, b) => {
                // The fraction bar groups both sides, so neither needs parentheses.
                out.push_str("<mfrac>");
                a.write_mathml(out);
                b.write_mathml(out);
                out.push_str("</mfrac>");
            }
            Expr::Pow(base, exponent) => {
                out.push_str("<msup>");
                if base.precedence() == ATOM && !matches!(**base, Expr::Call(..) | Expr::Call2(..))
                {
                    base.write_mathml(out);
                } else {
                    write_mathml_parenthesised(out, base);
                }
                exponent.write_mathml(out);
                out.push_str("</msup>");
            }
            Expr::Call(Func::Sqrt, a) => {
                out.push_str("<msqrt>");
                a.write_mathml(out);
                out.push_str("</msqrt>");
            }
            Expr::Call(Func::Abs, a) => {
                out.push_str("<mrow><mo>|</mo>");
                a.write_mathml(out);
                out.push_str("<mo>|</mo></mrow>");
            }
            Expr::Call(Func::Cbrt, a) => write_mathml_root(out, a, |out| push_mn(out, 3.0)),
            Expr::Call(func @ (Func::Log10 | Func::Log2), a) => {
                let base = if *func == Func::Log10 { 10.0 } else { 2.0 };
                write_mathml_log(out, |out| push_mn(out, base), a);
            }
            Expr::Call(func, a) => {
                out.push_str("<mrow><mi>");
                out.push_str(func.typeset_name());
                out.push_str("</mi><mo>&#x2061;</mo>");
                write_mathml_parenthesised(out, a);
                out.push_str("</mrow>");
            }
            Expr::Call2(Func2::NthRoot, a, n) => {
                write_mathml_root(out, a, |out| n.write_mathml(out))
            }
            Expr::Call2(Func2::Log, a, base) => {
                write_mathml_log(out, |out| base.write_mathml(out), a)
            }
            Expr::Call2(func, a, b) => {
                out.push_str("<mrow><mi>");
                out.push_str(func.name());
                out.push_str("</mi><mo>&#x2061;</mo><mrow><mo>(</mo>");
                a.write_mathml(out);
                out.push_str("<mo>,</mo>");
                b.write_mathml(out);
                out.push_str("<mo>)</mo></mrow></mrow>");
            }
        }
    }

    fn write_mathml_operand(&self, out: &mut String, needed: u8) {
        // A fraction is typeset as a block, so it never needs parentheses as an operand.
        let level = if matches!(self, Expr::Div(..)) {
            ATOM
        } else {
            self.precedence()
        };
        if level < needed {
            write_mathml_parenthesised(out, self);
        } else {
            self.write_mathml(out);
        }
    }
}

fn write_mathml_binary(out: &mut String, a: &Expr, op: &str, left: u8, b: &Expr, right: u8) {
    out.push_str("<mrow>");
    a.write_mathml_operand(out, left);
    out.push_str("<mo>");
    out.push_str(op);
    out.push_str("</mo>");
    b.write_mathml_operand(out, right);
    out.push_str("</mrow>");
}

/// ⁿ√a, its index written by `index`.
fn write_mathml_root(out: &mut String, a: &Expr, index: impl FnOnce(&mut String)) {
    out.push_str("<mroot>");
    a.write_mathml(out);
    index(out);
    out.push_str("</mroot>");
}

/// log_b(a), the base written by `base` as a subscript.
fn write_mathml_log(out: &mut String, base: impl FnOnce(&mut String), a: &Expr) {
    out.push_str("<mrow><msub><mi>log</mi>");
    base(out);
    out.push_str("</msub><mo>&#x2061;</mo>");
    write_mathml_parenthesised(out, a);
    out.push_str("</mrow>");
}

fn write_mathml_parenthesised(out: &mut String, a: &Expr) {
    out.push_str("<mrow><mo>(</mo>");
    a.write_mathml(out);
    out.push_str("<mo>)</mo></mrow>");
}

fn push_mn(out: &mut String, n: f64) {
    if n.is_finite() {
        out.push_str("<mn>");
        out.push_str(&crate::digits::shortest(n));
        out.push_str("</mn>");
    } else if n.is_nan() {
        out.push_str("<mi>NaN</mi>");
    } else {
        out.push_str("<mi>&#x221E;</mi>");
    }
}

fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{num, var};
    use super::*;

    #[test]
    fn mathml_typesets_fractions_powers_and_juxtaposition() {
        let e = Expr::Div(
            Box::new(Expr::Mul(num(2.0), var("x"))),
            Box::new(Expr::Call(Func::Sqrt, var("x"))),
        );
        assert_eq!(
            e.to_mathml(),
            "<math><mfrac><mrow><mn>2</mn><mo>&#x2062;</mo><mi>x</mi></mrow>\
             <msqrt><mi>x</mi></msqrt></mfrac></math>"
        );
        let e = Expr::Mul(Box::new(Expr::Call(Func::Sin, var("x"))), var("x"));
        assert_eq!(
            e.to_mathml(),
            "<math><mrow><mrow><mi>sin</mi><mo>&#x2061;</mo><mrow><mo>(</mo><mi>x</mi>\
             <mo>)</mo></mrow></mrow><mo>&#xB7;</mo><mi>x</mi></mrow></math>"
        );
        let e = Expr::Pow(Box::new(Expr::Add(var("x"), num(1.0))), num(2.0));
        assert_eq!(
            e.to_mathml(),
            "<math><msup><mrow><mo>(</mo><mrow><mi>x</mi><mo>+</mo><mn>1</mn></mrow>\
             <mo>)</mo></mrow><mn>2</mn></msup></math>"
        );
        assert_eq!(
            Expr::Var("a<b&c".into()).to_mathml(),
            "<math><mi>a&lt;b&amp;c</mi></math>"
        );
    }
}

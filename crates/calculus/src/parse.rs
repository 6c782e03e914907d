//! The expression language readers type: a recursive-descent parser, one function per
//! precedence level, with a hard limit on depth.
//!
//! From loosest to tightest: `+ -` (left), `* /` and implicit multiplication (left),
//! unary `- +`, `^` or `**` (right; its exponent may carry a unary minus), then numbers,
//! names, calls and parentheses. So `-x^2` is −(x²), `2^3^2` is 512 and `1/2x` is x/2.
//! A call's arguments are separated by commas: `log(x, 2)`, `atan2(y, x)`.
//!
//! ```
//! use calculus::parse;
//!
//! assert_eq!(parse("2x^2 - 3(x + 1)")?.to_string(), "2*x^2 - 3*(x + 1)");
//! assert_eq!(parse("sin(x").unwrap_err().to_string(), "unclosed '(' opened at column 4");
//! # Ok::<(), calculus::Error>(())
//! ```

use crate::decimal::decimal;
use crate::error::Error;
use crate::expr::{Expr, Func, Func2};

/// The deepest tree (and the deepest parser recursion) accepted. Every later pass over the
/// tree is recursive, so this bound is what keeps them all off the end of the stack.
pub(crate) const MAX_DEPTH: usize = 200;

/// The longest input accepted, in characters.
pub(crate) const MAX_LENGTH: usize = 10_000;

/// Every function a formula can call, as a reader calls it (`sin(x)`, `log(x, base)`), in the
/// order the book lists them: what the widgets' help and the README list.
pub fn functions() -> Vec<String> {
    let mut all = Vec::new();
    for f in Func::ALL {
        all.push(format!("{}(x)", f.name()));
        if f == Func::Ln {
            all.push("log(x)".to_string());
        }
    }
    for f in Func2::ALL {
        let [a, b] = f.parameters();
        all.push(format!("{}({a}, {b})", f.name()));
    }
    all.push("pow(a, b)".to_string());
    all
}

/// The named constants, π and Euler's number, as they are written.
pub const CONSTANTS: [&str; 2] = ["pi", "e"];

/// The operators, loosest first: `+ -`, then `* /` (and a product written without one,
/// `2x`), then `^`, also written `**`.
pub const OPERATORS: [&str; 6] = ["+", "-", "*", "/", "^", "**"];

/// Parses a formula such as `3x^2 - sin(2x)/x`.
pub fn parse(src: &str) -> Result<Expr, Error> {
    let chars = src.chars().count();
    if chars > MAX_LENGTH {
        return Err(Error::TooLong {
            chars,
            max: MAX_LENGTH,
        });
    }
    let tokens = tokenize(src)?;
    let end = Token {
        kind: Kind::End,
        column: chars + 1,
        text: String::new(),
    };
    let mut parser = Parser {
        tokens,
        pos: 0,
        nesting: 0,
        end,
    };
    if parser.peek().kind == Kind::End {
        return Err(Error::Empty);
    }
    let parsed = parser.expression()?;
    let next = parser.peek();
    if next.kind != Kind::End {
        return Err(Error::UnexpectedToken {
            found: next.text.clone(),
            column: next.column,
        });
    }
    Ok(parsed.expr)
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Num(f64),
    Ident(String),
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LParen,
    RParen,
    Comma,
    End,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    /// 1-based, in characters.
    column: usize,
    /// The source text, for error messages.
    text: String,
}

fn tokenize(src: &str) -> Result<Vec<Token>, Error> {
    let chars: Vec<char> = src.chars().collect();
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = at(i);
        let start = i;
        let kind = if c.is_whitespace() {
            i += 1;
            continue;
        } else if c.is_ascii_digit() || (c == '.' && at(i + 1).is_ascii_digit()) {
            while at(i).is_ascii_digit() {
                i += 1;
            }
            if at(i) == '.' {
                i += 1;
                while at(i).is_ascii_digit() {
                    i += 1;
                }
            }
            // An exponent only when digits follow, so `2e` stays 2·e and `2ex` is 2·ex.
            if matches!(at(i), 'e' | 'E') {
                let mut j = i + 1;
                if matches!(at(j), '+' | '-') {
                    j += 1;
                }
                if at(j).is_ascii_digit() {
                    i = j;
                    while at(i).is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let text: String = chars.get(start..i).unwrap_or_default().iter().collect();
            match decimal(&text) {
                n if n.is_finite() => Kind::Num(n),
                _ => {
                    return Err(Error::NumberTooLarge {
                        text,
                        column: start + 1,
                    })
                }
            }
        } else if c.is_ascii_alphabetic() || c == '_' {
            while at(i).is_ascii_alphanumeric() || at(i) == '_' {
                i += 1;
            }
            Kind::Ident(chars.get(start..i).unwrap_or_default().iter().collect())
        } else {
            i += 1;
            match c {
                '+' => Kind::Plus,
                '-' => Kind::Minus,
                '*' if at(i) == '*' => {
                    i += 1;
                    Kind::Caret
                }
                '*' => Kind::Star,
                '/' => Kind::Slash,
                '^' => Kind::Caret,
                '(' => Kind::LParen,
                ')' => Kind::RParen,
                ',' => Kind::Comma,
                _ => {
                    return Err(Error::UnexpectedCharacter {
                        found: c,
                        column: start + 1,
                    })
                }
            }
        };
        tokens.push(Token {
            kind,
            column: start + 1,
            text: chars.get(start..i).unwrap_or_default().iter().collect(),
        });
    }
    Ok(tokens)
}

/// A parsed subtree and its depth (a leaf has depth 1).
struct Parsed {
    expr: Expr,
    depth: usize,
}

impl Parsed {
    fn leaf(expr: Expr) -> Parsed {
        Parsed { expr, depth: 1 }
    }
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// How many `unary` frames are active: every recursive path passes through `unary`,
    /// so bounding this bounds the parser's own stack even for `((((x))))`.
    nesting: usize,
    end: Token,
}

impl Parser {
    fn peek(&self) -> &Token {
        self.tokens.get(self.pos).unwrap_or(&self.end)
    }

    fn advance(&mut self) {
        self.pos += 1;
    }

    /// Builds a node over `children`, refusing trees deeper than [`MAX_DEPTH`].
    fn node(expr: Expr, children: &[usize], column: usize) -> Result<Parsed, Error> {
        let depth = 1 + children.iter().copied().max().unwrap_or(0);
        if depth > MAX_DEPTH {
            return Err(Error::TooDeep {
                max: MAX_DEPTH,
                column,
            });
        }
        Ok(Parsed { expr, depth })
    }

    /// expression := term (('+' | '-') term)*
    fn expression(&mut self) -> Result<Parsed, Error> {
        let mut left = self.term()?;
        loop {
            let token = self.peek();
            let column = token.column;
            let make: fn(Box<Expr>, Box<Expr>) -> Expr = match token.kind {
                Kind::Plus => Expr::Add,
                Kind::Minus => Expr::Sub,
                _ => return Ok(left),
            };
            self.advance();
            let right = self.term()?;
            let expr = make(Box::new(left.expr), Box::new(right.expr));
            left = Self::node(expr, &[left.depth, right.depth], column)?;
        }
    }

    /// term := unary (('*' | '/' | implicit) unary)*, where implicit multiplication is a
    /// name or '(' directly after an operand: `2x`, `3(x+1)`, `(x+1)(x-1)`.
    fn term(&mut self) -> Result<Parsed, Error> {
        let mut left = self.unary()?;
        loop {
            let token = self.peek();
            let column = token.column;
            let make: fn(Box<Expr>, Box<Expr>) -> Expr = match token.kind {
                Kind::Star => {
                    self.advance();
                    Expr::Mul
                }
                Kind::Slash => {
                    self.advance();
                    Expr::Div
                }
                Kind::Ident(_) | Kind::LParen => Expr::Mul,
                _ => return Ok(left),
            };
            let right = self.unary()?;
            let expr = make(Box::new(left.expr), Box::new(right.expr));
            left = Self::node(expr, &[left.depth, right.depth], column)?;
        }
    }

    /// unary := ('-' | '+') unary | power
    fn unary(&mut self) -> Result<Parsed, Error> {
        let column = self.peek().column;
        if self.nesting >= MAX_DEPTH {
            return Err(Error::TooDeep {
                max: MAX_DEPTH,
                column,
            });
        }
        self.nesting += 1;
        let result = self.unary_inner(column);
        self.nesting -= 1;
        result
    }

    fn unary_inner(&mut self, column: usize) -> Result<Parsed, Error> {
        match self.peek().kind {
            Kind::Minus => {
                self.advance();
                let operand = self.unary()?;
                match operand.expr {
                    // A negative literal is a number, not an operation on one.
                    Expr::Num(n) => Ok(Parsed::leaf(Expr::Num(-n))),
                    expr => Self::node(Expr::Neg(Box::new(expr)), &[operand.depth], column),
                }
            }
            Kind::Plus => {
                self.advance();
                self.unary()
            }
            _ => self.power(),
        }
    }

    /// power := primary ('^' unary)?; the exponent recurses through `unary`, which makes
    /// `^` right-associative and allows `x^-1`.
    fn power(&mut self) -> Result<Parsed, Error> {
        let base = self.primary()?;
        let token = self.peek();
        if token.kind != Kind::Caret {
            return Ok(base);
        }
        let column = token.column;
        self.advance();
        let exponent = self.unary()?;
        let expr = Expr::Pow(Box::new(base.expr), Box::new(exponent.expr));
        Self::node(expr, &[base.depth, exponent.depth], column)
    }

    /// primary := number | constant | variable | function arguments | '(' expression ')'
    fn primary(&mut self) -> Result<Parsed, Error> {
        let token = self.peek().clone();
        match token.kind {
            Kind::Num(n) => {
                self.advance();
                Ok(Parsed::leaf(Expr::Num(n)))
            }
            Kind::Ident(name) => {
                self.advance();
                let (one, two) = (Func::from_name(&name), Func2::from_name(&name));
                let pow = name == "pow";
                if one.is_some() || two.is_some() || pow {
                    let next = self.peek();
                    if next.kind != Kind::LParen {
                        return Err(Error::ExpectedParen {
                            function: name,
                            column: next.column,
                        });
                    }
                    let mut arguments = self.arguments()?;
                    let depth = arguments.iter().map(|a| a.depth).max().unwrap_or(0);
                    let second = if arguments.len() == 2 {
                        arguments.pop()
                    } else {
                        None
                    };
                    let first = arguments.pop().filter(|_| arguments.is_empty());
                    let b = |p: Parsed| Box::new(p.expr);
                    let expr = match (first.map(b), second.map(b)) {
                        (Some(a), None) => one.map(|f| Expr::Call(f, a)),
                        // pow(a, b) is a^b itself.
                        (Some(a), Some(b)) if pow => Some(Expr::Pow(a, b)),
                        (Some(a), Some(b)) => two.map(|f| Expr::Call2(f, a, b)),
                        _ => None,
                    };
                    let takes = match (one.is_some(), two.is_some() || pow) {
                        (true, true) => "1 or 2 arguments",
                        (true, false) => "1 argument",
                        _ => "2 arguments",
                    };
                    let expr = expr.ok_or(Error::WrongArity {
                        function: name,
                        takes,
                        column: token.column,
                    })?;
                    return Self::node(expr, &[depth], token.column);
                }
                let expr = match name.as_str() {
                    "pi" => Expr::Pi,
                    "e" => Expr::E,
                    // `x(x+1)` is x times a group, but `foo(x)` is surely a misspelt function.
                    _ if self.peek().kind == Kind::LParen && name.chars().count() > 1 => {
                        return Err(Error::UnknownFunction {
                            name,
                            column: token.column,
                        })
                    }
                    _ => Expr::Var(name),
                };
                Ok(Parsed::leaf(expr))
            }
            Kind::LParen => self.group(),
            _ => Err(Error::ExpectedOperand {
                column: token.column,
            }),
        }
    }

    /// group := '(' expression ')', with the cursor on the '('.
    fn group(&mut self) -> Result<Parsed, Error> {
        let mut inner = self.list(false)?;
        inner.pop().ok_or(Error::Empty)
    }

    /// arguments := '(' expression (',' expression)* ')', with the cursor on the '('.
    fn arguments(&mut self) -> Result<Vec<Parsed>, Error> {
        self.list(true)
    }

    /// A parenthesised expression, or with `commas` a comma-separated list of them.
    fn list(&mut self, commas: bool) -> Result<Vec<Parsed>, Error> {
        let open = self.peek().column;
        self.advance();
        let mut items = vec![self.expression()?];
        loop {
            let close = self.peek();
            match close.kind {
                Kind::RParen => {
                    self.advance();
                    return Ok(items);
                }
                Kind::Comma if commas => {
                    self.advance();
                    items.push(self.expression()?);
                }
                Kind::End => return Err(Error::Unclosed { column: open }),
                _ => {
                    return Err(Error::UnexpectedToken {
                        found: close.text.clone(),
                        column: close.column,
                    })
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let cases = [
            ("2", 2.0),
            ("0.5", 0.5),
            (".5", 0.5),
            ("1e-3", 0.001),
            ("2E+4", 20000.0),
            ("2e3", 2000.0),
            ("-7", -7.0),
        ];
        for (src, value) in cases {
            assert_eq!(parse(src), Ok(Expr::Num(value)), "{src}");
        }
    }

    #[test]
    fn the_listed_language_is_the_parsed_one() {
        for call in functions() {
            let parsed = parse(&call).unwrap();
            assert!(
                matches!(parsed, Expr::Call(..) | Expr::Call2(..) | Expr::Pow(..)),
                "{call}"
            );
        }
        assert_eq!(
            functions().len(),
            Func::ALL.len() + 1 + Func2::ALL.len() + 1
        );
        assert_eq!(CONSTANTS.map(|c| parse(c).unwrap()), [Expr::Pi, Expr::E]);
        for op in OPERATORS {
            let parsed = parse(&format!("a {op} b")).unwrap();
            assert!(!matches!(parsed, Expr::Var(_) | Expr::Neg(_)), "{op}");
        }
    }

    #[test]
    fn two_e_is_a_product_with_euler() {
        assert_eq!(
            parse("2e"),
            Ok(Expr::Mul(Box::new(Expr::Num(2.0)), Box::new(Expr::E)))
        );
    }

    #[test]
    fn errors_point_at_their_column() {
        let cases = [
            ("", "empty expression", None),
            ("   ", "empty expression", None),
            ("2*(x+1))", "unexpected ')' at column 8", Some(8)),
            ("foo(x)", "unknown function 'foo' at column 1", Some(1)),
            (
                "2+*3",
                "expected a number, variable or '(' at column 3",
                Some(3),
            ),
            ("2*(x+1", "unclosed '(' opened at column 3", Some(3)),
            ("sin", "expected '(' after 'sin' at column 4", Some(4)),
            ("2*$", "unexpected character '$' at column 3", Some(3)),
            ("2 3", "unexpected '3' at column 3", Some(3)),
            (
                "x+",
                "expected a number, variable or '(' at column 3",
                Some(3),
            ),
            ("1e999", "number '1e999' is too large at column 1", Some(1)),
            ("(x+1]", "unexpected character ']' at column 5", Some(5)),
            ("π+1", "unexpected character 'π' at column 1", Some(1)),
            ("ππ+$", "unexpected character 'π' at column 1", Some(1)),
        ];
        for (src, message, column) in cases {
            let err = parse(src).unwrap_err();
            assert_eq!(err.to_string(), message, "{src}");
            assert_eq!(err.column(), column, "{src}");
        }
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        // 'é' is two bytes in UTF-8 but one column.
        let err = parse("é").unwrap_err();
        assert_eq!(err.column(), Some(1));
        let err = parse("(1+2)é").unwrap_err();
        assert_eq!(err.to_string(), "unexpected character 'é' at column 6");
    }
}

//! The expression language: precedence, implicit multiplication, errors and limits.

use calculus::{parse, Expr, Func, Func2};
use proptest::prelude::*;

/// A fully parenthesised prefix form, so each row of the table states its tree exactly.
fn tree(e: &Expr) -> String {
    match e {
        Expr::Num(n) => n.to_string(),
        Expr::Var(v) => v.clone(),
        Expr::Pi => "pi".into(),
        Expr::E => "e".into(),
        Expr::Neg(a) => format!("(neg {})", tree(a)),
        Expr::Add(a, b) => format!("(+ {} {})", tree(a), tree(b)),
        Expr::Sub(a, b) => format!("(- {} {})", tree(a), tree(b)),
        Expr::Mul(a, b) => format!("(* {} {})", tree(a), tree(b)),
        Expr::Div(a, b) => format!("(/ {} {})", tree(a), tree(b)),
        Expr::Pow(a, b) => format!("(^ {} {})", tree(a), tree(b)),
        Expr::Call(f, a) => format!("({} {})", f.name(), tree(a)),
        Expr::Call2(f, a, b) => format!("({} {} {})", f.name(), tree(a), tree(b)),
    }
}

#[test]
fn precedence_table() {
    let table = [
        // sums and products, left-associative
        ("1 + 2*3", "(+ 1 (* 2 3))"),
        ("1*2 + 3", "(+ (* 1 2) 3)"),
        ("a - b - c", "(- (- a b) c)"),
        ("a - b + c", "(+ (- a b) c)"),
        ("a/b/c", "(/ (/ a b) c)"),
        ("a/b*c", "(* (/ a b) c)"),
        // powers: right-associative, tighter than unary minus, exponent may be negated
        ("2^3^2", "(^ 2 (^ 3 2))"),
        ("x**2", "(^ x 2)"),
        ("2**3**2", "(^ 2 (^ 3 2))"),
        ("-x^2", "(neg (^ x 2))"),
        ("-2^2", "(neg (^ 2 2))"),
        ("x^-1", "(^ x -1)"),
        ("2^-x", "(^ 2 (neg x))"),
        ("x^-y^2", "(^ x (neg (^ y 2)))"),
        ("(-2)^2", "(^ -2 2)"),
        ("2*x^2", "(* 2 (^ x 2))"),
        // unary signs
        ("-x", "(neg x)"),
        ("2*-3", "(* 2 -3)"),
        ("2 - -x", "(- 2 (neg x))"),
        ("--x", "(neg (neg x))"),
        ("+x", "x"),
        ("-x*y", "(* (neg x) y)"),
        ("-(x + 1)", "(neg (+ x 1))"),
        // implicit multiplication, at the level of * and left-associative
        ("2x", "(* 2 x)"),
        ("2 x", "(* 2 x)"),
        ("3(x+1)", "(* 3 (+ x 1))"),
        ("2pi", "(* 2 pi)"),
        ("2e", "(* 2 e)"),
        ("(x+1)(x-1)", "(* (+ x 1) (- x 1))"),
        ("x(x+1)", "(* x (+ x 1))"),
        ("x y", "(* x y)"),
        ("1/2x", "(* (/ 1 2) x)"),
        ("2x^2", "(* 2 (^ x 2))"),
        ("-2x", "(* -2 x)"),
        ("2sin(x)", "(* 2 (sin x))"),
        ("sin(x)cos(x)", "(* (sin x) (cos x))"),
        ("2^3x", "(* (^ 2 3) x)"),
        // numbers and names
        ("2e3", "2000"),
        ("2E+4", "20000"),
        ("1e-3", "0.001"),
        (".5", "0.5"),
        ("2ex", "(* 2 ex)"),
        ("x_1 + ab", "(+ x_1 ab)"),
        ("log(x) + ln(x)", "(+ (ln x) (ln x))"),
        ("pi(x)", "(* pi x)"),
        ("  sqrt ( x )  ", "(sqrt x)"),
        // calls of two arguments; pow(a, b) is a^b itself
        ("log(x, 2)", "(log x 2)"),
        ("log(x)", "(ln x)"),
        ("log10(x) + log2(x)", "(+ (log10 x) (log2 x))"),
        ("pow(x, 2)", "(^ x 2)"),
        ("pow(2, -x)*3", "(* (^ 2 (neg x)) 3)"),
        ("atan2(y, x)", "(atan2 y x)"),
        ("nthRoot(x + 1, 3)", "(nthRoot (+ x 1) 3)"),
        ("min(a, max(b, c))", "(min a (max b c))"),
        ("2max(x, 0)", "(* 2 (max x 0))"),
    ];
    for (src, expected) in table {
        let parsed = parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        assert_eq!(tree(&parsed), expected, "{src}");
    }
}

#[test]
fn every_function_parses() {
    for f in Func::ALL {
        let src = format!("{}(x)", f.name());
        assert_eq!(
            parse(&src).unwrap(),
            Expr::Call(f, Box::new(Expr::Var("x".into())))
        );
    }
}

#[test]
fn error_messages_and_columns() {
    let table = [
        ("", "empty expression", None),
        ("(x + 1))", "unexpected ')' at column 8", Some(8)),
        ("sin(x))", "unexpected ')' at column 7", Some(7)),
        ("foo(x)", "unknown function 'foo' at column 1", Some(1)),
        ("2 + bar(x)", "unknown function 'bar' at column 5", Some(5)),
        (
            "2 *",
            "expected a number, variable or '(' at column 4",
            Some(4),
        ),
        (
            "2 * ",
            "expected a number, variable or '(' at column 5",
            Some(5),
        ),
        (
            "()",
            "expected a number, variable or '(' at column 2",
            Some(2),
        ),
        (
            "x^",
            "expected a number, variable or '(' at column 3",
            Some(3),
        ),
        ("12(3", "unclosed '(' opened at column 3", Some(3)),
        ("sin(x", "unclosed '(' opened at column 4", Some(4)),
        ("sin", "expected '(' after 'sin' at column 4", Some(4)),
        ("sin x", "expected '(' after 'sin' at column 5", Some(5)),
        ("2$", "unexpected character '$' at column 2", Some(2)),
        ("1.2.3", "unexpected '.3' at column 4", Some(4)),
        ("(x+1)2", "unexpected '2' at column 6", Some(6)),
        // the number of arguments, pointed at the function's name
        (
            "log(x, 2, 3)",
            "log takes 1 or 2 arguments at column 1",
            Some(1),
        ),
        ("2 + sin(x, y)", "sin takes 1 argument at column 5", Some(5)),
        ("atan2(y)", "atan2 takes 2 arguments at column 1", Some(1)),
        ("pow(x)", "pow takes 2 arguments at column 1", Some(1)),
        (
            "x*nthRoot(8)",
            "nthRoot takes 2 arguments at column 3",
            Some(3),
        ),
        ("max(1, 2, 3)", "max takes 2 arguments at column 1", Some(1)),
        // commas only between a call's arguments
        ("(x, y)", "unexpected ',' at column 3", Some(3)),
        ("min((x, y))", "unexpected ',' at column 7", Some(7)),
        ("x, y", "unexpected ',' at column 2", Some(2)),
        (
            "log(x,)",
            "expected a number, variable or '(' at column 7",
            Some(7),
        ),
        (
            "log(, x)",
            "expected a number, variable or '(' at column 5",
            Some(5),
        ),
        ("min(x, y", "unclosed '(' opened at column 4", Some(4)),
        ("min", "expected '(' after 'min' at column 4", Some(4)),
    ];
    for (src, message, column) in table {
        let err = parse(src).unwrap_err();
        assert_eq!(err.to_string(), message, "{src:?}");
        assert_eq!(err.column(), column, "{src:?}");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    // 10,000 characters, the most accepted: the 201st '(' is one level too many.
    let err = parse(&"(".repeat(10_000)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expression is nested too deeply (more than 200 levels) at column 201"
    );
    let deep = format!("{}x{}", "(".repeat(4_000), ")".repeat(4_000));
    assert_eq!(err.column(), parse(&deep).unwrap_err().column());
    assert!(parse(&"-".repeat(9_999)).is_err());
    assert!(parse(&format!("{}x", "+".repeat(5_000))).is_err());
    assert!(parse(&format!("x{}", "^x".repeat(1_000))).is_err());
    assert!(parse(&format!("{}x{}", "sin(".repeat(1_000), ")".repeat(1_000))).is_err());

    // Moderate nesting is fine.
    let ok = format!("{}x{}", "(".repeat(150), ")".repeat(150));
    assert_eq!(parse(&ok).unwrap(), Expr::Var("x".into()));
}

#[test]
fn long_operator_chains_are_bounded() {
    // 200 terms make a tree exactly 200 deep; one more is refused.
    let sum = |n: usize| vec!["x"; n].join("+");
    assert!(parse(&sum(200)).is_ok());
    let err = parse(&sum(201)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expression is nested too deeply (more than 200 levels) at column 400"
    );
    assert!(parse(&sum(2_000)).is_err());
    // 20,000 terms is longer than the input limit.
    let err = parse(&sum(20_000)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expression is too long (39999 characters; at most 10000 are allowed)"
    );
    assert!(parse(&vec!["x"; 4_000].join("*")).is_err());
}

#[test]
fn display_round_trips_through_parse() {
    for src in [
        "2*x",
        "9*x^2 - 2",
        "-(x + 1)^2",
        "sin(x)*cos(x)",
        "x^-1",
        "a - (b - c)",
        "a/(b*c)",
        "(a^b)^c",
        "a^b^c",
        "(-2)^2",
        "-x^2*y",
        "2*-x",
        "exp(-x^2/2)/sqrt(2*pi)",
        "1/(1 + e^-x)",
    ] {
        let e = parse(src).unwrap();
        assert_eq!(e.to_string(), src);
        assert_eq!(parse(&e.to_string()).unwrap(), e);
    }
}

fn any_expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        prop_oneof![Just("x"), Just("y"), Just("ab"), Just("t_2")]
            .prop_map(|v| Expr::Var(v.into())),
        prop_oneof![
            Just(0.0),
            Just(1.0),
            Just(2.5),
            Just(1e-7),
            Just(1e21),
            Just(0.1)
        ]
        .prop_map(Expr::Num),
        Just(Expr::Pi),
        Just(Expr::E),
    ];
    leaf.prop_recursive(5, 40, 2, |inner| {
        let b = |e: Expr| Box::new(e);
        prop_oneof![
            // A negated literal parses as a negative number, so only negate non-numbers.
            inner
                .clone()
                .prop_filter("not a number", |e| !matches!(e, Expr::Num(_)))
                .prop_map(move |a| Expr::Neg(b(a))),
            (inner.clone(), inner.clone()).prop_map(move |(x, y)| Expr::Add(b(x), b(y))),
            (inner.clone(), inner.clone()).prop_map(move |(x, y)| Expr::Sub(b(x), b(y))),
            (inner.clone(), inner.clone()).prop_map(move |(x, y)| Expr::Mul(b(x), b(y))),
            (inner.clone(), inner.clone()).prop_map(move |(x, y)| Expr::Div(b(x), b(y))),
            (inner.clone(), inner.clone()).prop_map(move |(x, y)| Expr::Pow(b(x), b(y))),
            (proptest::sample::select(Func::ALL.to_vec()), inner.clone())
                .prop_map(move |(f, x)| Expr::Call(f, b(x))),
            (
                proptest::sample::select(Func2::ALL.to_vec()),
                inner.clone(),
                inner
            )
                .prop_map(move |(f, x, y)| Expr::Call2(f, b(x), b(y))),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_tree_prints_and_parses_back_to_itself(e in any_expr()) {
        let text = e.to_string();
        prop_assert_eq!(parse(&text), Ok(e), "{}", text);
    }

    #[test]
    fn parse_never_panics(src in "[-+*/^(), .0-9a-z_$eE]{0,60}") {
        let _ = parse(&src);
    }

    #[test]
    fn mathml_is_one_math_element(e in any_expr()) {
        let m = e.to_mathml();
        prop_assert!(m.starts_with("<math>") && m.ends_with("</math>"));
        prop_assert_eq!(m.matches("<mrow>").count(), m.matches("</mrow>").count());
    }
}

//! Functions of two variables: which variable is which axis, values and exact partial
//! derivatives against their closed forms, grids, and the gradient field of the bowl.

use calculus::{parse, Function2, Grid};

fn function(src: &str) -> Function2 {
    Function2::new(&parse(src).unwrap(), None).unwrap()
}

#[test]
fn w_and_b_are_the_books_axes_and_others_go_alphabetically() {
    let axes = |src: &str| {
        let f = function(src);
        let (u, v) = f.axes();
        (u.to_owned(), v.to_owned())
    };
    let pair = |u: &str, v: &str| (u.to_owned(), v.to_owned());
    assert_eq!(axes("w^2 + b^2"), pair("w", "b"));
    assert_eq!(axes("(1 - w)^2 + 100(b - w^2)^2"), pair("w", "b"));
    assert_eq!(axes("x*y"), pair("x", "y"));
    assert_eq!(axes("y - x"), pair("x", "y"));
    assert_eq!(axes("c + a"), pair("a", "c"));
    // Only the pair w, b is special.
    assert_eq!(axes("w + z"), pair("w", "z"));
    assert_eq!(axes("b + z"), pair("b", "z"));
    // A missing axis takes its name from the book's pairs.
    assert_eq!(axes("b^2"), pair("w", "b"));
    assert_eq!(axes("w^2"), pair("w", "b"));
    assert_eq!(axes("y^2"), pair("x", "y"));
    assert_eq!(axes("t^2"), pair("t", "y"));
    assert_eq!(axes("7"), pair("w", "b"));
}

#[test]
fn values_and_partial_derivatives_are_the_closed_forms() {
    // f = w² + 10b²: ∂f/∂w = 2w, ∂f/∂b = 20b.
    let mut f = function("w^2 + 10b^2");
    assert_eq!(f.value(3.0, -2.0), 49.0);
    assert_eq!(f.value_and_gradient(3.0, -2.0), (49.0, [6.0, -40.0]));
    // f = xy: ∂f/∂x = y, ∂f/∂y = x.
    let mut f = function("x*y");
    assert_eq!(f.value_and_gradient(2.0, 3.0), (6.0, [3.0, 2.0]));
    // Rosenbrock at (1, 1): the minimum, f = 0 and ∇f = 0; at (0, 0): f = 1, ∇f = (−2, 0).
    let mut f = function("(1 - w)^2 + 100(b - w^2)^2");
    assert_eq!(f.value_and_gradient(1.0, 1.0), (0.0, [0.0, 0.0]));
    assert_eq!(f.value_and_gradient(0.0, 0.0), (1.0, [-2.0, 0.0]));
}

#[test]
fn an_axis_the_function_ignores_has_slope_zero() {
    // f(w, b) = b²: the u axis is w, unused.
    let mut f = function("b^2");
    assert_eq!(f.value_and_gradient(5.0, 3.0), (9.0, [0.0, 6.0]));
    let mut f = function("w^3");
    assert_eq!(f.value_and_gradient(2.0, 7.0), (8.0, [12.0, 0.0]));
    let mut f = function("7");
    assert_eq!(f.value_and_gradient(1.0, 2.0), (7.0, [0.0, 0.0]));
}

#[test]
fn named_axes_may_reorder_or_add_variables() {
    // f = x − 2y with y across and x up: f(u, v) = v − 2u.
    let expr = parse("x - 2y").unwrap();
    let mut f = Function2::new(&expr, Some(("y", "x"))).unwrap();
    assert_eq!(f.axes(), ("y", "x"));
    assert_eq!(f.value_and_gradient(1.0, 5.0), (3.0, [-2.0, 1.0]));
    // A one-variable function drawn over (x, z): constant along z.
    let mut f = Function2::new(&parse("x^2").unwrap(), Some(("z", "x"))).unwrap();
    assert_eq!(f.value_and_gradient(4.0, 3.0), (9.0, [0.0, 6.0]));
}

#[test]
fn bad_axes_and_too_many_variables_are_errors() {
    let err = Function2::new(&parse("x*y*z").unwrap(), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expected a function of two variables, but 'x*y*z' has 3: x, y, z"
    );
    let err = Function2::new(&parse("x*y").unwrap(), Some(("w", "b"))).unwrap_err();
    assert_eq!(err.to_string(), "no value for variable 'x'");
    let err = Function2::new(&parse("x*y").unwrap(), Some(("x", "x"))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the two axes must be two different variables"
    );
}

#[test]
fn a_grid_holds_the_function_row_by_row() {
    // f = w + 10b on w ∈ {0, 1, 2}, b ∈ {0, 1}: rows are b = 0 then b = 1.
    let mut f = function("w + 10b");
    let grid = f.grid((0.0, 2.0), (0.0, 1.0), 3, 2);
    assert_eq!(
        grid,
        Grid {
            u: (0.0, 2.0),
            v: (0.0, 1.0),
            nu: 3,
            nv: 2,
            values: vec![0.0, 1.0, 2.0, 10.0, 11.0, 12.0],
        }
    );
    assert_eq!(grid.value(2, 1), 12.0);
    assert_eq!((grid.u_at(1), grid.v_at(1)), (1.0, 1.0));
    assert!(grid.value(3, 0).is_nan());
    assert!(grid.value(0, 2).is_nan());
    assert!(grid.value(usize::MAX, usize::MAX).is_nan());
    assert_eq!(grid.finite_range(), Some((0.0, 12.0)));
}

#[test]
fn sample_counts_are_clamped() {
    let mut f = function("w*b");
    let small = f.grid((0.0, 1.0), (0.0, 1.0), 0, 1);
    assert_eq!((small.nu, small.nv, small.values.len()), (2, 2, 4));
    let large = f.grid((0.0, 1.0), (0.0, 1.0), 5000, 3);
    assert_eq!((large.nu, large.nv, large.values.len()), (1000, 3, 3000));
    assert_eq!(f.gradient_field((0.0, 1.0), (0.0, 1.0), 1, 0).len(), 4);
}

#[test]
fn undefined_values_and_bad_ranges_do_not_panic() {
    // ln(wb) is undefined where wb ≤ 0 (NaN, or −∞ at 0).
    let mut f = function("ln(w*b)");
    let grid = f.grid((-1.0, 1.0), (-1.0, 1.0), 3, 3);
    assert!(grid.value(0, 0) == 0.0 && grid.value(2, 2) == 0.0); // ln 1
    assert!(grid.value(0, 2).is_nan());
    assert_eq!(grid.finite_range(), Some((0.0, 0.0)));
    let mut f = function("sqrt(-w^2 - b^2 - 1)");
    assert_eq!(f.grid((-1.0, 1.0), (-1.0, 1.0), 4, 4).finite_range(), None);
    let mut f = function("w + b");
    let grid = f.grid((f64::NAN, f64::INFINITY), (f64::NEG_INFINITY, 0.0), 5, 5);
    assert_eq!(grid.values.len(), 25);
    let field = f.gradient_field((f64::NAN, 1.0), (0.0, f64::INFINITY), 3, 3);
    assert_eq!(field.len(), 9);
    // A hand-made grid whose values are too few.
    let broken = Grid {
        u: (0.0, 1.0),
        v: (0.0, 1.0),
        nu: 10,
        nv: 10,
        values: vec![1.0; 3],
    };
    assert!(broken.value(5, 5).is_nan());
    assert_eq!(broken.finite_range(), Some((1.0, 1.0)));
}

#[test]
fn the_bowls_gradient_points_away_from_the_minimum_everywhere() {
    // f(w, b) = w² + b² on [−10, 10]², 21 × 21 points: ∇f = (2w, 2b) exactly, and
    // ∇f · (w, b) = 2(w² + b²) > 0 except at the origin, the minimum.
    let mut f = function("w^2 + b^2");
    let field = f.gradient_field((-10.0, 10.0), (-10.0, 10.0), 21, 21);
    assert_eq!(field.len(), 21 * 21);
    let grid = f.grid((-10.0, 10.0), (-10.0, 10.0), 21, 21);
    let mut checked = 0;
    for (k, &(w, b, dw, db)) in field.iter().enumerate() {
        // The field's points are the grid's, in the same row-major order.
        assert_eq!((w, b), (grid.u_at(k % 21), grid.v_at(k / 21)));
        assert_eq!((dw, db), (2.0 * w, 2.0 * b), "at ({w}, {b})");
        if (w, b) == (0.0, 0.0) {
            assert_eq!((dw, db), (0.0, 0.0));
            continue;
        }
        let outward = dw * w + db * b;
        assert_eq!(outward, 2.0 * (w * w + b * b));
        assert!(outward > 0.0, "at ({w}, {b})");
        checked += 1;
    }
    assert_eq!(checked, 21 * 21 - 1);
}

#[test]
fn the_saddles_gradient_matches_its_closed_form() {
    // f = w² − b²: ∇f = (2w, −2b), uphill along w and downhill along b.
    let mut f = function("w^2 - b^2");
    for (w, b, dw, db) in f.gradient_field((-3.0, 3.0), (-2.0, 2.0), 7, 5) {
        assert_eq!((dw, db), (2.0 * w, -2.0 * b));
    }
}

#[test]
fn numpy_gradient_is_along_rows_first_and_per_grid_step() {
    // f = w² + b² on a 21 × 11 grid over [−10, 10] × [−5, 5]: steps h_w = 1, h_b = 1.
    // Inside, np.gradient's central difference along the rows (b) is
    // ((b + h)² − (b − h)²)/2 = 2b·h per index step, and along the columns 2w·h; both exact
    // for a quadratic. With h = 1 these are 2b and 2w.
    let mut f = Function2::new(&parse("w^2 + b^2").unwrap(), None).unwrap();
    let grid = f.grid((-10.0, 10.0), (-5.0, 5.0), 21, 11);
    let (along_rows, along_columns) = grid.numpy_gradient();
    for j in 1..10 {
        for i in 1..20 {
            let (w, b) = (grid.u_at(i), grid.v_at(j));
            assert_eq!(along_rows[j * 21 + i], 2.0 * b, "d/drow at ({w}, {b})");
            assert_eq!(along_columns[j * 21 + i], 2.0 * w, "d/dcol at ({w}, {b})");
        }
    }
    // The first row uses the one-sided difference (b₁² − b₀²)/1 = 16 − 25 = −9.
    assert_eq!(along_rows[3], -9.0);
}

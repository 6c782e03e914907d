//! How much a layer's outputs vary from one example to the next: the signal a deep network
//! passes forward. Where it shrinks layer by layer (sigmoid with small weights, every unit
//! near σ(0) = 0.5 whatever the input), the backward pass shrinks with it.
//!
//! ```text
//! spread(a) = √( mean over units j of var over the batch n of a_jn )
//! ```
//!
//! The variance is taken across the batch for each unit, then averaged over the units, so a
//! unit that outputs the same constant for every example (a dead ReLU, a saturated sigmoid)
//! counts as no signal, however far its constant sits from the other units'.

/// The spread of a layer's outputs held one row per unit (`units × n`, the network's own
/// layout): the root mean over units of each unit's population variance over the batch.
/// 0 for an empty layer or an empty batch.
pub fn spread(units_by_n: &[f64], n: usize) -> f64 {
    if n == 0 || units_by_n.len() < n {
        return 0.0;
    }
    let rows = units_by_n.chunks_exact(n);
    let units = rows.len();
    let total: f64 = rows
        .map(|row| {
            let mean = row.iter().sum::<f64>() / n as f64;
            row.iter().map(|a| (a - mean) * (a - mean)).sum::<f64>() / n as f64
        })
        .sum();
    (total / units as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spread_is_the_root_mean_of_the_units_variances() {
        // Unit 1 over four examples: 1, 3, 1, 3 (variance 1); unit 2: 0, 0, 4, 4 (variance 4).
        let a = [1.0, 3.0, 1.0, 3.0, 0.0, 0.0, 4.0, 4.0];
        assert_eq!(spread(&a, 4), (2.5f64).sqrt());
    }

    #[test]
    fn constant_units_carry_no_signal_whatever_their_values() {
        // A dead unit at 0 beside a saturated one at 1: they differ, but neither varies.
        assert_eq!(spread(&[0.0, 0.0, 0.0, 1.0, 1.0, 1.0], 3), 0.0);
        assert_eq!(spread(&[], 0), 0.0);
        assert_eq!(spread(&[1.0], 2), 0.0);
    }
}

//! The book's one seeded random number generator: SplitMix64 (Steele, Lea and Flood,
//! "Fast splittable pseudorandom number generators", 2014), small enough to read and the
//! same on every machine, so a seed always gives the same network and the same dataset.
//!
//! ```
//! use calculus::random::Rng;
//!
//! // The published first output of SplitMix64 from state 0.
//! assert_eq!(Rng::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
//! let u = Rng::new(7).uniform();
//! assert!((0.0..1.0).contains(&u));
//! ```

/// SplitMix64: a 64-bit counter stepped by the golden ratio, then mixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1): the top 53 bits, so every value is a multiple of 2⁻⁵³.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [low, high), as TensorFlow Playground's `randUniform`.
    pub fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.uniform()
    }

    /// A standard normal sample by Marsaglia's polar method, the one TensorFlow Playground's
    /// `normalRandom` uses (and, like it, keeping only the first of the pair).
    pub fn normal(&mut self) -> f64 {
        loop {
            let v1 = 2.0 * self.uniform() - 1.0;
            let v2 = 2.0 * self.uniform() - 1.0;
            let s = v1 * v1 + v2 * v2;
            // s = 0 would divide by zero; the polar method rejects it with s ≥ 1.
            if s > 0.0 && s < 1.0 {
                return v1 * (-2.0 * s.ln() / s).sqrt();
            }
        }
    }

    /// Shuffles `count` rows in place (Fisher–Yates): rows `width` numbers wide in `a`, and
    /// the same permutation applied to rows `b_width` wide in `b`.
    pub(crate) fn shuffle_rows(
        &mut self,
        a: &mut [f64],
        width: usize,
        b: &mut [f64],
        b_width: usize,
    ) {
        let count = a.len() / width.max(1);
        for i in (1..count).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            for k in 0..width {
                a.swap(i * width + k, j * width + k);
            }
            for k in 0..b_width {
                b.swap(i * b_width + k, j * b_width + k);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_and_normal_have_their_moments() {
        let mut rng = Rng::new(42);
        let n = 100_000;
        let us: Vec<f64> = (0..n).map(|_| rng.uniform()).collect();
        let mean = us.iter().sum::<f64>() / n as f64;
        // Uniform[0, 1): mean 1/2, sd of the mean √(1/12)/√n ≈ 0.0009.
        assert!((mean - 0.5).abs() < 0.005, "{mean}");
        let zs: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let mean = zs.iter().sum::<f64>() / n as f64;
        let var = zs.iter().map(|z| (z - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(
            mean.abs() < 0.02 && (var - 1.0).abs() < 0.02,
            "{mean} {var}"
        );
    }

    #[test]
    fn shuffling_permutes_rows_together() {
        let mut a: Vec<f64> = (0..20).map(f64::from).collect();
        let mut b: Vec<f64> = (0..10).map(|i| f64::from(i) * 2.0).collect();
        Rng::new(3).shuffle_rows(&mut a, 2, &mut b, 1);
        for (row, label) in a.chunks(2).zip(&b) {
            assert_eq!(row[1], row[0] + 1.0);
            assert_eq!(*label, row[0]);
        }
        let mut sorted = b.clone();
        sorted.sort_by(f64::total_cmp);
        assert_eq!(
            sorted,
            (0..10).map(|i| f64::from(i) * 2.0).collect::<Vec<_>>()
        );
    }
}

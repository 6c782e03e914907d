//! A history of bounded length for a run that may go on for hours: past [`Thinned::CAP`]
//! records, neighbours are merged in pairs and each record stands for twice as many items.
//! The playground's loss and gradient-norm charts draw from these, a line per record.
//!
//! ```
//! use calculus::nn::training::Thinned;
//!
//! let mut steps = Thinned::default();
//! for _ in 0..10_000 {
//!     steps.push(1, |kept: &mut u32, dropped| *kept += dropped);
//! }
//! assert!(steps.items().len() <= Thinned::<u32>::CAP + 1);
//! assert_eq!(steps.items().iter().sum::<u32>(), 10_000);
//! ```

/// A history that keeps at most [`Thinned::CAP`] + 1 records: when it grows past that, each
/// pair of neighbours is merged into one, and from then on one item in twice as many is
/// recorded, the others merged into the record before them.
#[derive(Debug, Clone, PartialEq)]
pub struct Thinned<T> {
    items: Vec<T>,
    /// Items per record.
    stride: usize,
    seen: usize,
}

impl<T> Default for Thinned<T> {
    fn default() -> Thinned<T> {
        Thinned {
            items: Vec::new(),
            stride: 1,
            seen: 0,
        }
    }
}

impl<T> Thinned<T> {
    /// Enough for a line per CSS pixel of a wide chart, twice over.
    pub const CAP: usize = 2048;

    /// Records `item`, or merges it into the last record with `merge(last, item)`.
    pub fn push(&mut self, item: T, merge: impl Fn(&mut T, T)) {
        match self.items.last_mut() {
            Some(last) if !self.seen.is_multiple_of(self.stride) => merge(last, item),
            _ => self.items.push(item),
        }
        self.seen += 1;
        if self.items.len() > Self::CAP {
            let mut merged = Vec::with_capacity(Self::CAP / 2 + 1);
            let mut items = std::mem::take(&mut self.items).into_iter();
            while let Some(mut first) = items.next() {
                if let Some(second) = items.next() {
                    merge(&mut first, second);
                }
                merged.push(first);
            }
            self.items = merged;
            self.stride *= 2;
        }
    }

    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// How many items each record stands for.
    pub fn stride(&self) -> usize {
        self.stride
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thinning_keeps_at_most_cap_records_and_merges_what_it_drops() {
        let mut h = Thinned::default();
        let total = 10 * Thinned::<usize>::CAP + 7;
        for _ in 0..total {
            h.push(1usize, |kept, dropped| *kept += dropped);
        }
        assert!(h.items().len() <= Thinned::<usize>::CAP + 1);
        assert_eq!(h.items().iter().sum::<usize>(), total);
        assert_eq!(h.stride(), 16);
        // Every record but the last stands for exactly `stride` items.
        assert!(h.items()[..h.items().len() - 1].iter().all(|&c| c == 16));
    }
}

//! The book's facts that both the Rust charts and the JS widgets need, written once, here:
//! the example functions and landscapes every widget offers (with their ranges, starts and
//! tuned settings), the widgets' defaults and the limits of what a reader can set.
//!
//! The widgets read them from `build/pkg/book.js`, which `src/bin/book-facts.rs` writes from
//! this module (and the CSS colours from [`chart::theme`](crate::chart::theme)) at every build
//! (`scripts/build.mjs`); esbuild inlines that module into the widget bundles, so reading a
//! fact costs nothing at run time. Nothing in `web/` writes a fact again: tests/api checks it.
//!
//! The engine's own limits stay in the `calculus` crate and are re-exported here:
//! [`MAX_ITERATIONS`] and [`DIVERGENCE_FACTOR`].
//!
//! ```ignore
//! let bowl = &book::LANDSCAPES[book::LAB_LANDSCAPE];
//! assert_eq!((bowl.source, bowl.start, bowl.lab.rate), ("w^2 + b^2", (8.0, 9.0), 0.1));
//! ```

mod backprop;
mod derivative;
mod descent;
mod surfaces;
mod vanishing;

pub use backprop::*;
pub use derivative::*;
pub use descent::*;
pub use surfaces::*;
pub use vanishing::*;

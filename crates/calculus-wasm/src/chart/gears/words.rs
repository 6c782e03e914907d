//! The gears in words: the readout's sentences (the chain rule checked against the engine,
//! the turns, what stops or reverses the chain) and the number styles they share with the
//! labels on the canvas.

use crate::format::{format, Style};

use super::GearsChart;

impl GearsChart {
    /// The chain rule checked: the product of the ratios beside the engine's dC/dx.
    pub(super) fn check(&self) -> String {
        let at = &self.at;
        let (product, whole) = (at.product(), at.whole);
        let long = |v: f64| format(v, Style::Significant(12));
        let factors = at.locals.iter().map(|&d| value(d)).collect::<Vec<_>>();
        let mark = if at.agrees() {
            "✓ they agree"
        } else {
            "✗ they differ"
        };
        if !whole.is_finite() || !product.is_finite() {
            return format!(
                "dC/d{} is undefined here, so the gears have no ratio to check.",
                self.variable_name()
            );
        }
        format!(
            "Chain rule: {} = {}; the engine's dC/d{} of {} = {} {mark}.",
            factors.join(" × "),
            long(product),
            self.variable_name(),
            self.composed(),
            long(whole),
        )
    }

    /// How far each gear has turned, as X's turn times its ratio.
    pub(super) fn turned(&self) -> String {
        let turns = self.ratios().map(|r| r * self.turn);
        if self.turn == 0.0 {
            return "Turn gear X: each gear turns by X's turn times the product of the ratios up to it (the chain rule, linearised at this point).".into();
        }
        format!(
            "X turned {}, so A turned {}, B {} and C {} (dC/d{} × {}).",
            degrees(turns[0]),
            degrees(turns[1]),
            degrees(turns[2]),
            degrees(turns[3]),
            self.variable_name(),
            degrees(turns[0]),
        )
    }

    /// What stops the chain, what is undefined, and which links turn backwards.
    pub(super) fn notes(&self) -> Vec<String> {
        let at = &self.at;
        let names = [self.variable_name(), "A", "B", "C"];
        let mut notes = Vec::new();
        if let Some(k) = (1..4).find(|&k| !at.values[k].is_finite()) {
            let later = names[k..].join(", ");
            notes.push(format!(
                "{} is undefined at {} = {}, so {later} cannot turn.",
                names[k],
                names[k - 1],
                value(at.values[k - 1])
            ));
            return notes;
        }
        if let Some(i) = at.stopped_at() {
            notes.push(format!(
                "{} = 0 here: the chain stops, so {} stand{} still.",
                self.local_name(i),
                names[i + 1..].join(", "),
                if i == 2 { "s" } else { "" }
            ));
            return notes;
        }
        for i in (0..3).filter(|&i| at.locals[i] < 0.0) {
            notes.push(format!(
                "{} < 0: {} turns against {}.",
                self.local_name(i),
                names[i + 1],
                names[i]
            ));
        }
        if at.product() < 0.0 {
            notes.push("So C turns against X.".into());
        }
        notes
    }
}

/// A number as the readouts write it ([`Style::Value`]).
pub(super) fn value(v: f64) -> String {
    format(v, Style::Value)
}

/// A turn in degrees as the labels write it: `+30°`, `-32.4°`.
pub(super) fn degrees(v: f64) -> String {
    let sign = if v > 0.0 { "+" } else { "" };
    format!("{sign}{}°", format(v, Style::Decimals(1)))
}

//! Chapter 4's facts: the landscapes with the settings the lab and the race start them with,
//! the race's optimizers, the lab's rate buttons, the sweep, and what a reader may set.

use super::surfaces::{BOWL, HIMMELBLAU, ROSENBROCK, VALLEY};
pub use calculus::descent::{DIVERGENCE_FACTOR, MAX_ITERATIONS};
use calculus::Optimizer;

/// Plain gradient descent's settings in the lab: a rate that suits the bowl diverges at once
/// on Rosenbrock's steep walls, and the reader should first see each landscape's walk.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Walk {
    pub rate: f64,
    pub steps: u32,
}

/// One of the race's optimizers: its key (in the address, in `setRacer`'s options), its
/// name, and the hyperparameters the race shows beside η, as `(option, symbol)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Racer {
    pub key: &'static str,
    pub name: &'static str,
    pub params: &'static [(&'static str, &'static str)],
}

/// The race's optimizers, in the order of its table, its chart and
/// [`Theme::racers`](crate::chart::theme::Theme::racers).
pub const RACERS: [Racer; 4] = [
    Racer {
        key: "gd",
        name: "Gradient descent",
        params: &[],
    },
    Racer {
        key: "momentum",
        name: "Momentum",
        params: &[("momentum", "μ")],
    },
    Racer {
        key: "rmsprop",
        name: "RMSprop",
        params: &[("alpha", "α")],
    },
    Racer {
        key: "adam",
        name: "Adam",
        params: &[("beta1", "β₁"), ("beta2", "β₂")],
    },
];

/// The race's settings on one landscape: settings that let each optimizer show what it is
/// for. Each racer's are `[η, its params…]` in the order of [`RACERS`] (what
/// `OptimizerRace.settings(i)` returns); ε keeps PyTorch's default.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RaceSettings {
    pub steps: u32,
    pub racers: [&'static [f64]; 4],
}

impl RaceSettings {
    /// Racer `index`'s optimizer and learning rate; None for an index past the four.
    pub fn racer(&self, index: usize) -> Option<(Optimizer, f64)> {
        let values = self.racers.get(index)?;
        let lr = *values.first()?;
        let param = |i: usize| values.get(i).copied();
        let optimizer = match Optimizer::named(RACERS.get(index)?.key)? {
            Optimizer::Gd => Optimizer::Gd,
            Optimizer::Momentum { .. } => Optimizer::Momentum {
                momentum: param(1)?,
            },
            Optimizer::RmsProp { epsilon, .. } => Optimizer::RmsProp {
                alpha: param(1)?,
                epsilon,
            },
            Optimizer::Adam { epsilon, .. } => Optimizer::Adam {
                beta1: param(1)?,
                beta2: param(2)?,
                epsilon,
            },
        };
        Some((optimizer, lr))
    }
}

/// A landscape of chapter 4, with the settings the lab and the race start it with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Landscape {
    pub source: &'static str,
    pub label: &'static str,
    /// `[wmin, wmax, bmin, bmax]`.
    pub range: [f64; 4],
    /// Where the lab and the race start on it.
    pub start: (f64, f64),
    pub lab: Walk,
    pub race: RaceSettings,
}

/// Chapter 4's landscapes. On the long valley plain descent must keep η under 2/20 = 0.1 and
/// zig-zags across the valley at 0.09; momentum at a smaller rate gets there far sooner.
pub const LANDSCAPES: [Landscape; 4] = [
    Landscape {
        source: BOWL.source,
        label: BOWL.label,
        range: BOWL.range,
        start: (8.0, 9.0),
        lab: Walk {
            rate: 0.1,
            steps: 30,
        },
        race: RaceSettings {
            steps: 100,
            racers: [&[0.1], &[0.05, 0.9], &[0.3, 0.99], &[0.5, 0.9, 0.999]],
        },
    },
    Landscape {
        source: VALLEY.source,
        label: VALLEY.label,
        range: VALLEY.range,
        start: (-9.0, 2.0),
        lab: Walk {
            rate: 0.09,
            steps: 100,
        },
        race: RaceSettings {
            steps: 100,
            racers: [&[0.09], &[0.05, 0.5], &[0.1, 0.99], &[0.5, 0.9, 0.999]],
        },
    },
    Landscape {
        source: ROSENBROCK.source,
        label: ROSENBROCK.label,
        range: ROSENBROCK.range,
        start: (-1.5, 2.5),
        lab: Walk {
            rate: 0.0015,
            steps: 500,
        },
        race: RaceSettings {
            steps: 500,
            racers: [&[0.0015], &[0.001, 0.9], &[0.01, 0.99], &[0.1, 0.9, 0.999]],
        },
    },
    Landscape {
        source: HIMMELBLAU.source,
        label: HIMMELBLAU.label,
        range: HIMMELBLAU.range,
        start: (0.0, 0.0),
        lab: Walk {
            rate: 0.01,
            steps: 100,
        },
        race: RaceSettings {
            steps: 200,
            racers: [&[0.01], &[0.005, 0.9], &[0.05, 0.99], &[0.1, 0.9, 0.999]],
        },
    },
];

/// The landscape the lab starts on (and with it the loss curve and the sweep): the bowl.
pub const LAB_LANDSCAPE: usize = 0;
/// The landscape the race starts on: the long valley, where plain descent zig-zags.
pub const RACE_LANDSCAPE: usize = 1;

/// A learning rate of the chapter's story on the bowl, with the steps it needs to tell it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RatePreset {
    pub rate: f64,
    pub label: &'static str,
    pub steps: u32,
}

/// The lab's rate buttons. At 1.05 the bowl's loss grows by 1.21 a step and passes the
/// divergence bound ([`DIVERGENCE_FACTOR`] times the start's) at step 73.
pub const RATE_PRESETS: [RatePreset; 4] = [
    RatePreset {
        rate: 0.01,
        label: "too small",
        steps: 30,
    },
    RatePreset {
        rate: 0.1,
        label: "just right",
        steps: 30,
    },
    RatePreset {
        rate: 0.95,
        label: "oscillating",
        steps: 30,
    },
    RatePreset {
        rate: 1.05,
        label: "diverging",
        steps: 100,
    },
];

/// The learning rates a reader can set in the lab (its slider, its field, the live number in
/// the prose), and the range the sweep runs over: 0.001 to 2.
pub const RATE_RANGE: (f64, f64) = calculus::sweep::RATES;

/// The most steps the lab and the race take: a walk a reader can still watch. (The engine's
/// own limit, for any caller, is [`MAX_ITERATIONS`].)
pub const MAX_STEPS: u32 = 500;

/// How far from the origin a start may be typed (or come from the address), in each
/// coordinate.
pub const START_LIMIT: f64 = 1e6;

/// Chapter 4's `<calc-lr-sweep>`: the steps of each run, how many a page may ask for, and
/// how many rates (spaced evenly in log over [`RATE_RANGE`]) it runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepFacts {
    pub steps: u32,
    pub steps_range: (u32, u32),
    pub points: usize,
}

pub const SWEEP: SweepFacts = SweepFacts {
    steps: 100,
    steps_range: (1, 1000),
    points: calculus::sweep::POINTS,
};

/// What the race accepts from the address for a learning rate and for a hyperparameter
/// (momentum, α, β₁, β₂: fractions below 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RaceLimits {
    pub rate_range: (f64, f64),
    pub fraction_range: (f64, f64),
}

pub const RACE_LIMITS: RaceLimits = RaceLimits {
    rate_range: (1e-6, 100.0),
    fraction_range: (0.0, 0.9999),
};

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use crate::book::*;
    use calculus::descent::Descender;

    #[test]
    fn the_lab_starts_each_landscape_inside_its_map_and_its_limits() {
        for l in LANDSCAPES {
            let [umin, umax, vmin, vmax] = l.range;
            assert!((umin..=umax).contains(&l.start.0) && (vmin..=vmax).contains(&l.start.1));
            assert!(
                (RATE_RANGE.0..=RATE_RANGE.1).contains(&l.lab.rate),
                "{}",
                l.source
            );
            assert!((1..=MAX_STEPS).contains(&l.lab.steps), "{}", l.source);
            assert!((1..=MAX_STEPS).contains(&l.race.steps), "{}", l.source);
        }
        for p in RATE_PRESETS {
            assert!((RATE_RANGE.0..=RATE_RANGE.1).contains(&p.rate));
            assert!(p.steps <= MAX_STEPS);
        }
        assert!(MAX_STEPS as usize <= MAX_ITERATIONS);
        assert!(SWEEP.steps_range.1 as usize <= MAX_ITERATIONS);
        // The bowl is the first surface and the first landscape; the valley the second.
        assert_eq!(LANDSCAPES[LAB_LANDSCAPE].source, SURFACES[0].source);
        assert_eq!(LANDSCAPES[RACE_LANDSCAPE].source, SURFACES[1].source);
    }

    #[test]
    fn every_racer_has_its_settings_and_they_are_valid() {
        for l in LANDSCAPES {
            for (i, r) in RACERS.iter().enumerate() {
                assert_eq!(
                    l.race.racers[i].len(),
                    1 + r.params.len(),
                    "{} {}",
                    l.source,
                    r.key
                );
                let (optimizer, lr) = l.race.racer(i).expect(r.key);
                assert_eq!(optimizer.name(), r.key);
                assert!(
                    optimizer.validate().is_ok() && lr > 0.0,
                    "{} {}",
                    l.source,
                    r.key
                );
                for &p in &l.race.racers[i][1..] {
                    let (lo, hi) = RACE_LIMITS.fraction_range;
                    assert!((lo..=hi).contains(&p), "{} {}: {p}", l.source, r.key);
                }
            }
        }
        assert_eq!(LANDSCAPES[0].race.racer(4), None);
        // The valley's momentum: μ = 0.5 at η = 0.05, ε PyTorch's.
        assert_eq!(
            LANDSCAPES[RACE_LANDSCAPE].race.racer(1),
            Some((Optimizer::Momentum { momentum: 0.5 }, 0.05))
        );
    }

    /// The story the rate buttons tell on the bowl from (8, 9): 0.01 crawls, 0.1 arrives,
    /// 0.95 overshoots back and forth, 1.05 diverges within its 100 steps (at step 73).
    #[test]
    fn the_rate_presets_tell_the_bowls_story() {
        let bowl = LANDSCAPES[LAB_LANDSCAPE];
        let mut descender = Descender::new(&calculus::parse(bowl.source).expect("the bowl"));
        let start = [bowl.start.0, bowl.start.1];
        let run = |d: &mut Descender, p: &RatePreset| {
            d.run(&start, p.rate, p.steps as usize, Optimizer::Gd)
                .expect("a run")
        };
        let [small, right, oscillating, diverging] = RATE_PRESETS;
        let f0 = 145.0;
        let end = |r: &calculus::Descent| *r.loss.last().expect("a loss");
        assert!(end(&run(&mut descender, &small)) > 0.2 * f0);
        assert!(end(&run(&mut descender, &right)) < 1e-3);
        let o = run(&mut descender, &oscillating);
        assert!(!o.diverged && o.path[1][0] < 0.0 && o.path[2][0] > 0.0);
        let d = run(&mut descender, &diverging);
        assert!(d.diverged);
        assert_eq!(d.path.len(), 73);
    }
}

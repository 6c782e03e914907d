//! Writes the book's facts (src/book/) and the widgets' CSS colours (src/chart/theme.rs) as
//! the ES module the widgets import, so that no fact is written twice:
//!
//! ```sh
//! cargo run -q -p calculus-wasm --bin book-facts -- build/pkg/book.js
//! ```
//!
//! scripts/build.mjs runs it at every build, after the wasm builds; esbuild then inlines what
//! each widget uses. Names are the Rust constants' (`LANDSCAPES`, `RATE_RANGE`, ...), fields
//! camelCase, pairs and ranges arrays, colours `#rrggbb`.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;

use calculus::nn::training::Recipe;
use calculus::nn::Init;
use calculus::optim::Optimizer;
use calculus_wasm::book::{
    self, Example, Landscape, RaceSettings, Racer, RatePreset, Surface, EXAMPLES, LANDSCAPES,
    RACERS, RATE_PRESETS, SURFACES,
};
use calculus_wasm::chart::theme::{hex, Scheme, Theme, PRINT_BORDER};

mod js;
use js::{num, nums, pair, str, Js};

fn example(e: &Example) -> Js {
    Js::Obj(vec![
        ("source", str(e.source)),
        ("label", str(e.label)),
        ("range", pair(e.range)),
    ])
}

fn surface(s: &Surface) -> Js {
    Js::Obj(vec![
        ("source", str(s.source)),
        ("label", str(s.label)),
        ("range", nums(&s.range)),
    ])
}

/// Each racer's settings as `setRacer` takes them: `{ learningRate, momentum }`, ...
fn race(r: &RaceSettings) -> Js {
    let racers = RACERS
        .iter()
        .zip(r.racers)
        .map(|(racer, values)| {
            let names = std::iter::once("learningRate").chain(racer.params.iter().map(|p| p.0));
            Js::Obj(names.zip(values).map(|(name, &v)| (name, num(v))).collect())
        })
        .collect();
    Js::Obj(vec![("steps", num(r.steps)), ("racers", Js::Arr(racers))])
}

fn landscape(l: &Landscape) -> Js {
    Js::Obj(vec![
        ("source", str(l.source)),
        ("label", str(l.label)),
        ("range", nums(&l.range)),
        ("start", pair(l.start)),
        (
            "lab",
            Js::Obj(vec![("rate", num(l.lab.rate)), ("steps", num(l.lab.steps))]),
        ),
        ("race", race(&l.race)),
    ])
}

fn racer(r: &Racer) -> Js {
    Js::Obj(vec![
        ("key", str(r.key)),
        ("name", str(r.name)),
        (
            "params",
            Js::Arr(
                r.params
                    .iter()
                    .map(|&(o, s)| Js::Arr(vec![str(o), str(s)]))
                    .collect(),
            ),
        ),
    ])
}

/// A playground recipe in the playground's own terms (`Playground.settings()`'s names).
fn recipe(r: &Recipe) -> Js {
    let (std, optimizer) = (book::playground_sigma(r), book::playground_optimizer(r));
    Js::Obj(vec![
        ("dataset", str(r.dataset.name())),
        ("noise", num(r.noise)),
        ("train", num(r.train_fraction * 100.0)),
        ("hidden", num(r.hidden as f64)),
        ("width", num(r.width as f64)),
        ("activation", str(r.network.activation.name())),
        ("init", str(r.network.init.name())),
        ("std", num(std)),
        ("optimizer", str(optimizer)),
        ("lr", num(r.step.learning_rate)),
        ("batch", num(r.batch_size as f64)),
        ("clip", num(r.step.clip.unwrap_or(0.0))),
        ("seed", num(r.network.seed as f64)),
    ])
}

/// An optimizer's hyperparameters by the names its `descend` options and the race use.
fn hyperparameters(optimizer: Option<Optimizer>) -> Js {
    Js::Obj(match optimizer {
        Some(Optimizer::Momentum { momentum }) => vec![("momentum", num(momentum))],
        Some(Optimizer::RmsProp { alpha, epsilon }) => {
            vec![("alpha", num(alpha)), ("epsilon", num(epsilon))]
        }
        Some(Optimizer::Adam {
            beta1,
            beta2,
            epsilon,
        }) => vec![
            ("beta1", num(beta1)),
            ("beta2", num(beta2)),
            ("epsilon", num(epsilon)),
        ],
        Some(Optimizer::Gd) | None => Vec::new(),
    })
}

fn choices(list: &[(&str, &str)]) -> Js {
    Js::Arr(
        list.iter()
            .map(|&(k, l)| Js::Arr(vec![str(k), str(l)]))
            .collect(),
    )
}

fn rate_preset(p: &RatePreset) -> Js {
    Js::Obj(vec![
        ("rate", num(p.rate)),
        ("label", str(p.label)),
        ("steps", num(p.steps)),
    ])
}

fn graph_preset(p: &book::GraphPreset) -> Js {
    // Its values are the chart's to give (GraphChart::set_function), not the widget's.
    Js::Obj(vec![("label", str(p.label)), ("source", str(p.source))])
}

fn chain(c: &book::Chain) -> Js {
    Js::Obj(vec![
        ("links", Js::Arr(c.links.iter().map(|s| str(s)).collect())),
        ("label", str(c.label)),
    ])
}

/// `[[value, label], …]`: a select's options.
fn options(pairs: &[(&str, &str)]) -> Js {
    Js::Arr(
        pairs
            .iter()
            .map(|&(v, l)| Js::Arr(vec![str(v), str(l)]))
            .collect(),
    )
}

fn deep_gradients(d: &book::DeepGradientsFacts) -> Js {
    Js::Obj(vec![
        ("depth", num(d.depth)),
        ("depthRange", pair(d.depth_range)),
        ("width", num(d.width)),
        ("widthRange", pair(d.width_range)),
        ("activations", options(d.activations)),
        ("activation", num(d.activation as f64)),
        ("inits", options(d.inits)),
        ("init", num(d.init as f64)),
        ("sigma", num(d.sigma)),
        ("sigmaRange", pair(d.sigma_range)),
        ("dataset", str(d.dataset)),
        ("points", num(d.points as f64)),
        ("seed", num(d.seed as f64)),
    ])
}

fn cliff(c: &book::CliffFacts) -> Js {
    Js::Obj(vec![
        ("source", str(c.source)),
        ("range", nums(&c.range)),
        ("start", pair(c.start)),
        ("rate", num(c.rate)),
        ("steps", num(c.steps)),
        ("threshold", num(c.threshold)),
        ("thresholdRange", pair(c.threshold_range)),
    ])
}

/// The widgets' CSS colours in one scheme, by custom property.
fn palette(scheme: Scheme) -> Js {
    let theme = Theme::new(scheme, 1.0);
    Js::Obj(
        theme
            .css_colors()
            .into_iter()
            .map(|(name, color)| (name, Js::Str(hex(color))))
            .collect(),
    )
}

/// Every export: its name, what it is, and its value.
fn exports() -> Vec<(&'static str, &'static str, Js)> {
    let d = book::DERIVATIVE;
    let s = book::SECANT;
    let n = book::NUMERICAL_ERROR;
    let p = book::PARTIAL;
    let g = book::GRADIENT;
    let w = book::SWEEP;
    let r = book::RACE_LIMITS;
    let gears = book::GEARS;
    let tiny = book::TINY_NETWORK;
    vec![
        (
            "FORMULA",
            "What a formula can use, from the parser: { functions: [\"sin(x)\", …], constants, operators (loosest first) }.",
            Js::Obj(vec![
                ("functions", Js::Arr(calculus::parse::functions().iter().map(|f| str(f)).collect())),
                ("constants", Js::Arr(calculus::parse::CONSTANTS.iter().map(|c| str(c)).collect())),
                ("operators", Js::Arr(calculus::parse::OPERATORS.iter().map(|o| str(o)).collect())),
            ]),
        ),
        (
            "EXAMPLES",
            "Functions of one variable: { source, label, range: [xmin, xmax] }; charts start on the first.",
            Js::Arr(EXAMPLES.iter().map(example).collect()),
        ),
        (
            "SURFACES",
            "Functions of two variables: { source, label, range: [wmin, wmax, bmin, bmax] }.",
            Js::Arr(SURFACES.iter().map(surface).collect()),
        ),
        (
            "LANDSCAPES",
            "Chapter 4's landscapes, with the start, the lab's { rate, steps } and the race's { steps, racers: setRacer options in RACERS order }.",
            Js::Arr(LANDSCAPES.iter().map(landscape).collect()),
        ),
        (
            "LAB_LANDSCAPE",
            "The index of the landscape the lab starts on.",
            num(book::LAB_LANDSCAPE as f64),
        ),
        (
            "RACE_LANDSCAPE",
            "The index of the landscape the race starts on.",
            num(book::RACE_LANDSCAPE as f64),
        ),
        (
            "RACERS",
            "The race's optimizers in chart order: { key, name, params: [[option, symbol]] }.",
            Js::Arr(RACERS.iter().map(racer).collect()),
        ),
        (
            "RATE_PRESETS",
            "The lab's rate buttons, the bowl's story: { rate, label, steps }.",
            Js::Arr(RATE_PRESETS.iter().map(rate_preset).collect()),
        ),
        (
            "RATE_RANGE",
            "The learning rates a reader can set, and the sweep's: [min, max].",
            pair(book::RATE_RANGE),
        ),
        (
            "MAX_STEPS",
            "The most steps the lab and the race take.",
            num(book::MAX_STEPS),
        ),
        (
            "MAX_ITERATIONS",
            "The engine's most iterations for one run.",
            num(book::MAX_ITERATIONS as f64),
        ),
        (
            "DIVERGENCE_FACTOR",
            "A run diverges once its loss passes this many times max(1, |f(start)|).",
            num(book::DIVERGENCE_FACTOR),
        ),
        (
            "START_LIMIT",
            "A start's coordinates lie within ±START_LIMIT.",
            num(book::START_LIMIT),
        ),
        (
            "ACTIVATIONS",
            "The hidden activations the chapter 5 and 6 menus offer: [name, label].",
            options(&book::ACTIVATIONS),
        ),
        (
            "DEEP_GRADIENTS",
            "<calc-deep-gradients>'s defaults and the ranges of its controls.",
            deep_gradients(&book::DEEP_GRADIENTS),
        ),
        (
            "CLIFF",
            "<calc-cliff>'s landscape, range, start, rate, steps and clipping threshold.",
            cliff(&book::CLIFF),
        ),
        (
            "PLAYGROUND_DATA",
            "Chapter 6's playground datasets: { key, label, range: [xmin, xmax, ymin, ymax] }.",
            Js::Arr(
                book::PLAYGROUND_DATA
                    .iter()
                    .map(|d| {
                        Js::Obj(vec![
                            ("key", str(d.dataset.name())),
                            ("label", str(d.label)),
                            ("range", nums(&d.range)),
                        ])
                    })
                    .collect(),
            ),
        ),
        (
            "PLAYGROUND_PRESETS",
            "The playground's story: { key, label, epochs, settings } (settings as in the address).",
            Js::Arr(
                book::PLAYGROUND_PRESETS
                    .iter()
                    .map(|p| {
                        Js::Obj(vec![
                            ("key", str(p.key)),
                            ("label", str(p.label)),
                            ("epochs", num(p.epochs)),
                            ("settings", recipe(&p.recipe)),
                        ])
                    })
                    .collect(),
            ),
        ),
        (
            "PLAYGROUND_START",
            "The playground's settings before a reader changes any (as in the address).",
            recipe(&book::PLAYGROUND_START),
        ),
        (
            "PLAYGROUND_CHOICES",
            "The playground's menus: [name, label] pairs; sigmaInits, the inits that read σ.",
            Js::Obj(vec![
                ("activation", choices(&book::PLAYGROUND_ACTIVATIONS)),
                ("init", choices(&book::PLAYGROUND_INITS)),
                ("optimizer", choices(&book::PLAYGROUND_OPTIMIZERS)),
                (
                    "sigmaInits",
                    Js::Arr(
                        book::PLAYGROUND_INITS
                            .iter()
                            .filter(|(name, _)| matches!(Init::named(name, None), Ok(Init::Normal { .. })))
                            .map(|(name, _)| str(name))
                            .collect(),
                    ),
                ),
            ]),
        ),
        (
            "PLAYGROUND_OPTIMIZERS",
            "Each playground optimizer's hyperparameters, PyTorch's defaults: { sgd: {}, momentum: { momentum }, rmsprop: { alpha, epsilon }, adam: { beta1, beta2, epsilon } }.",
            Js::Obj(
                book::PLAYGROUND_OPTIMIZERS
                    .iter()
                    .map(|&(name, _)| (name, hyperparameters(book::playground_optimizer_named(name))))
                    .collect(),
            ),
        ),
        (
            "PLAYGROUND_LIMITS",
            "What a reader may set in the playground: [min, max] each; the clip checkbox turns on `clip`.",
            {
                let l = book::PLAYGROUND_LIMITS;
                let whole = |(a, b): (usize, usize)| pair((a as f64, b as f64));
                Js::Obj(vec![
                    ("hidden", whole(l.hidden)),
                    ("width", whole(l.width)),
                    ("noise", pair(l.noise)),
                    ("train", pair(l.train_percent)),
                    ("lr", pair(l.learning_rate)),
                    ("batch", whole(l.batch_size)),
                    ("clip", pair(l.clip)),
                    ("std", pair(l.std)),
                    ("seed", pair((l.seed.0 as f64, l.seed.1 as f64))),
                    ("steps", whole(l.steps)),
                    ("clipOn", num(book::PLAYGROUND_CLIP)),
                ])
            },
        ),
        (
            "DERIVATIVE",
            "<calc-derivative>'s defaults and limits.",
            Js::Obj(vec![
                ("x", num(d.x)),
                ("samples", num(d.samples)),
                ("samplesLimit", pair(d.samples_limit)),
            ]),
        ),
        (
            "SECANT",
            "<calc-secant>'s defaults and limits.",
            Js::Obj(vec![
                ("x", num(s.x)),
                ("h", num(s.h)),
                ("hRange", pair(s.h_range)),
                ("range", pair(s.range)),
            ]),
        ),
        (
            "NUMERICAL_ERROR",
            "<calc-numerical-error>'s defaults and limits.",
            Js::Obj(vec![
                ("samples", num(n.samples)),
                ("slider", pair(n.slider)),
                ("samplesLimit", pair(n.samples_limit)),
            ]),
        ),
        (
            "PARTIAL",
            "<calc-partial>'s defaults and limits.",
            Js::Obj(vec![
                ("at", num(p.at)),
                ("point", num(p.point)),
                ("yaw", num(p.yaw)),
                ("pitch", num(p.pitch)),
                ("pitchRange", pair(p.pitch_range)),
            ]),
        ),
        (
            "GRADIENT",
            "<calc-gradient>'s defaults and limits.",
            Js::Obj(vec![
                ("probe", pair(g.probe)),
                ("arrows", num(g.arrows)),
                ("arrowsRange", pair(g.arrows_range)),
            ]),
        ),
        (
            "SWEEP",
            "<calc-lr-sweep>'s defaults and limits.",
            Js::Obj(vec![
                ("steps", num(w.steps)),
                ("stepsRange", pair(w.steps_range)),
                ("points", num(w.points as f64)),
            ]),
        ),
        (
            "RACE_LIMITS",
            "What the race takes from the address: a learning rate, a hyperparameter.",
            Js::Obj(vec![
                ("rateRange", pair(r.rate_range)),
                ("fractionRange", pair(r.fraction_range)),
            ]),
        ),
        (
            "CHAINS",
            "Chapter 5's chains of three links: { links: [A, B, C], label }; the gears start on the first.",
            Js::Arr(book::CHAINS.iter().map(chain).collect()),
        ),
        (
            "GRAPH_PRESETS",
            "<calc-graph>'s examples: { label, source }; the graph starts on the first.",
            Js::Arr(book::GRAPH_PRESETS.iter().map(graph_preset).collect()),
        ),
        (
            "GEARS",
            "<calc-gears>'s defaults and limits (turn steps in degrees), and the ratios a gear's size can show.",
            Js::Obj(vec![
                ("x", num(gears.x)),
                ("xRange", pair(gears.x_range)),
                ("turnStep", num(gears.turn_step)),
                ("turnStepLarge", num(gears.turn_step_large)),
                ("ratioShown", pair(gears.ratio_shown)),
            ]),
        ),
        (
            "TINY_NETWORK",
            "<calc-tiny-network>'s start (Matt Mazur's numbers): { inputs: [x₁, x₂], target, rate, start: [w₁ … w₄, b₁, b₂, w₅, w₆, b₃] }.",
            Js::Obj(vec![
                ("inputs", nums(&tiny.inputs)),
                ("target", num(tiny.target)),
                ("rate", num(tiny.rate)),
                ("start", nums(&tiny.start)),
            ]),
        ),
        (
            "PALETTE",
            "The widgets' CSS colours by custom property (--bg, --fg, ...), light and dark.",
            Js::Obj(vec![
                ("light", palette(Scheme::Light)),
                ("dark", palette(Scheme::Dark)),
            ]),
        ),
        (
            "PRINT_BORDER",
            "The widget's border on paper.",
            Js::Str(hex(PRINT_BORDER)),
        ),
    ]
}

/// The whole module.
fn module() -> Result<String, String> {
    let mut out = String::from(
        "// Generated by crates/calculus-wasm/src/bin/book-facts.rs from src/book/ and\n\
         // src/chart/theme.rs at every build: change the facts there, never here.\n",
    );
    for (name, doc, value) in exports() {
        let _ = write!(out, "\n/** {doc} */\nexport const {name} = ");
        value.write(&mut out).map_err(|e| format!("{name}: {e}"))?;
        out.push_str(";\n");
    }
    Ok(out)
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: book-facts <output.js>");
        std::process::exit(2);
    };
    let written = module().and_then(|js| std::fs::write(&path, js).map_err(|e| e.to_string()));
    if let Err(e) = written {
        eprintln!("book-facts: could not write {path}: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_and_numbers_read_back() {
        let mut out = String::new();
        Js::Arr(vec![
            str("a \"b\" \\ c\n²"),
            num(0.1),
            num(1e-6),
            num(1e6),
            num(-9),
        ])
        .write(&mut out)
        .unwrap();
        assert_eq!(
            out,
            r#"["a \"b\" \\ c\u000a²", 0.1, 0.000001, 1000000, -9]"#
        );
        assert!(num(f64::NAN).write(&mut String::new()).is_err());
    }

    #[test]
    fn the_module_holds_every_fact() {
        let js = module().unwrap();
        assert!(js.contains(r#"{ source: "x^2", label: "x²", range: [-10, 10] }"#));
        assert!(js.contains(
            r#"race: { steps: 100, racers: [{ learningRate: 0.09 }, { learningRate: 0.05, momentum: 0.5 }, { learningRate: 0.1, alpha: 0.99 }, { learningRate: 0.5, beta1: 0.9, beta2: 0.999 }] }"#
        ));
        assert!(js.contains("export const RATE_RANGE = [0.001, 2];"));
        let light = Theme::new(Scheme::Light, 1.0);
        let (bg, fg) = (hex(light.background), hex(light.text));
        assert!(js.contains(&format!(r#"light: {{ bg: "{bg}", fg: "{fg}", muted: "#)));
        let print = hex(PRINT_BORDER);
        assert!(js.contains(&format!(r#"export const PRINT_BORDER = "{print}";"#)));
    }
}

//! The values book-facts writes: numbers, strings, arrays and objects, as JSON (which is JS),
//! built with the helpers below so that each fact reads as its value:
//! `Js::Obj(vec![("range", pair((-1.0, 3.0)))])` is `{ range: [-1, 3] }`.

use std::fmt::Write as _;

/// A JS value, written as JSON (which is JS).
pub enum Js {
    Num(f64),
    Str(String),
    Arr(Vec<Js>),
    Obj(Vec<(&'static str, Js)>),
}

pub fn num(v: impl Into<f64>) -> Js {
    Js::Num(v.into())
}

pub fn str(s: &str) -> Js {
    Js::Str(s.to_string())
}

pub fn pair(p: (impl Into<f64>, impl Into<f64>)) -> Js {
    Js::Arr(vec![num(p.0), num(p.1)])
}

pub fn nums(values: &[f64]) -> Js {
    Js::Arr(values.iter().map(|&v| num(v)).collect())
}

impl Js {
    pub fn write(&self, out: &mut String) -> Result<(), String> {
        match self {
            // Rust writes the shortest digits that read back as the same double, as JS does.
            Js::Num(v) if v.is_finite() => {
                let _ = write!(out, "{v}");
            }
            Js::Num(v) => return Err(format!("{v} cannot be a fact: JSON has no such number")),
            Js::Str(s) => {
                out.push('"');
                for c in s.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        c if (c as u32) < 0x20 => {
                            let _ = write!(out, "\\u{:04x}", c as u32);
                        }
                        c => out.push(c),
                    }
                }
                out.push('"');
            }
            Js::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write(out)?;
                }
                out.push(']');
            }
            Js::Obj(fields) => {
                out.push_str("{ ");
                for (i, (name, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "{name}: ");
                    value.write(out)?;
                }
                out.push_str(" }");
            }
        }
        Ok(())
    }
}

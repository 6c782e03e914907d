// "Copy as Python": what every script is written with. Numbers as Python writes them back, the
// book's number styles as small Python functions (crates/calculus-wasm/src/format.rs), and the
// opening every script shares.

/** A number as Python writes it back (and the reader typed it). */
export const num = (v) => (Number.isInteger(v) ? String(v) : String(v).replace(/^(-?)\./, "$10."));
/** A number in Python where it may not be finite (a weight that overflowed, a folded ln(0)). */
export const pyNumber = (v) => (Number.isFinite(v) ? num(v) : Number.isNaN(v) ? "np.nan" : v > 0 ? "np.inf" : "-np.inf");
/** A string literal in Python. */
export const str = (s) => JSON.stringify(String(s));
/** A dict of numbers in Python: `{"alpha": 0.99}`. */
export const pyDict = (o) => `{${Object.entries(o).map(([k, v]) => `${str(k)}: ${num(v)}`).join(", ")}}`;

/** The book's number styles (crates/calculus-wasm/src/format.rs), each as a small function. */
const FORMATS = {
  _e: `def _e(s):  # the book writes 1.00e6 and 5.00e-3, not 1.00e+06 and 5.00e-03
    mantissa, exponent = s.split("e")
    return f"{mantissa}e{int(exponent)}"
`,
  special: `def special(v):
    return "undefined" if np.isnan(v) else ("∞" if v > 0 else "−∞")
`,
  dec: `def dec(v, d=2):  # d decimals; powers of ten from 10⁶ up and where the decimals would read 0
    if not np.isfinite(v):
        return special(v)
    if v != 0 and (abs(v) >= 10**6 or abs(v) < 0.5 * 10.0**-d):
        return _e(f"{v:.{d}e}")
    s = f"{v:.{d}f}"
    return s[1:] if s.startswith("-") and not s.strip("-0.") else s
`,
  fixed: `def fixed(v, d=4):  # d decimals
    if not np.isfinite(v):
        return special(v)
    s = f"{v:.{d}f}"
    return s[1:] if s.startswith("-") and not s.strip("-0.") else s
`,
  sig: `def sig(v, d=4):  # d significant digits; powers of ten outside [10⁻³, 10⁶)
    if not np.isfinite(v):
        return special(v)
    if v == 0:
        return "0"
    exponent = int(np.floor(np.log10(abs(v))))
    if -3 <= exponent < 6:
        return f"{v:.{max(0, d - 1 - exponent)}f}"
    return _e(f"{v:.{d - 1}e}")
`,
  val: `def val(v):  # four decimals from 0.1 to 10⁵, else three significant digits
    if not np.isfinite(v):
        return special(v)
    a = abs(v)
    if a == 0:
        return "0"
    if 0.1 <= a < 1e5:
        return f"{v:.4f}".rstrip("0").rstrip(".")
    s = f"{v:.2e}"
    exponent = int(s.split("e")[1])
    if exponent < -6 or exponent >= 3:
        return _e(s)
    s = f"{v:.{2 - exponent}f}"
    return s.rstrip("0").rstrip(".") if a >= 10**-3 else s
`,
};

/** The helpers `names` need (with what they call), in a fixed order. */
function formats(...names) {
  const wanted = new Set(names);
  if (["dec", "fixed", "sig", "val"].some((n) => wanted.has(n))) wanted.add("special");
  if (["dec", "sig", "val"].some((n) => wanted.has(n))) wanted.add("_e");
  return Object.keys(FORMATS).filter((n) => wanted.has(n)).map((n) => FORMATS[n]).join("\n");
}

/** The opening every script shares: what it reproduces, the imports, the helpers. */
export function head(title, caption, helpers) {
  return `# ${title}: ${caption}
# From The Handbook of Calculus for Machine Learning ("Copy as Python"). Needs numpy and matplotlib.
import numpy as np
import matplotlib.pyplot as plt

np.seterr(all="ignore")  # where f is not defined numpy gives nan, as the widget shows "undefined"

${formats(...helpers)}`;
}

/** `def name(args): return body`, with the engine's own formula in a comment. */
export const def = (name, args, body, comment) => `def ${name}(${args}):${comment ? `  # ${comment}` : ""}
    return ${body}
`;

/** A derivative that is a constant still gives an array on an array of points. */
export const onArray = (fn, x) => `${fn}(${x}) + 0 * ${x}`;

// The form controls a widget's template and setup share: the function field with what can be
// typed under it, the examples list, number fields with an error line each, and the messages
// for bad attributes and bad input. Methods of every widget (web/widget.js mixes them into
// CalcWidget), so that a widget's template says `this.functionField("f(x) =")`.
import { FORMULA } from "../pkg/book.js";
import { escapeMarkup } from "./markup.js";

const codes = (list) => list.map((item) => `<code>${item}</code>`).join(" ");

/** The "type a function" help under every function field: the parser's own lists, from book.js. */
const FORMULA_HELP = `<details class="hint" part="help"><summary>What you can type</summary>
  <p>Functions: ${codes(FORMULA.functions)}.</p>
  <p>Constants: ${codes(FORMULA.constants)}. Operators, loosest first: ${codes(FORMULA.operators)};
    a number or a bracket next to a name multiplies it: <code>2x</code>, <code>3(x + 1)</code>.</p>
</details>`;

/**
 * The value a step up or down from `v` on the grid of two significant digits, inside
 * `[lo, hi]`: from 0.1, 0.11 up and 0.099 down.
 */
export function nudge(v, up, [lo, hi]) {
  const unit = 10 ** (Math.floor(Math.log10(v) + 1e-9) - 1);
  let next = up ? v + unit : v - unit;
  if (!up && next < unit * 10 - 1e-12) next = v - unit / 10;
  return Math.min(hi, Math.max(lo, Number(next.toPrecision(2))));
}

const LOG_KEYS = { ArrowRight: true, ArrowUp: true, PageUp: true, ArrowLeft: false, ArrowDown: false, PageDown: false };

export const FORM_CONTROLS = {
  /**
   * Keys on a logarithmic slider step along the grid of two significant digits its values
   * are kept to (Shift or PageUp/PageDown: ten steps; Home/End: the ends). The slider's own
   * step, a hundredth of a decade, was rounded back to where it started: the arrows did
   * nothing. `value()` is the value now, `set(v)` sets it, `range` is `[lo, hi]`.
   */
  logSliderKeys(input, { value, set, range }) {
    input.addEventListener("keydown", (e) => {
      const up = LOG_KEYS[e.key];
      let v;
      if (e.key === "Home" || e.key === "End") v = range[e.key === "End" ? 1 : 0];
      else if (up === undefined) return;
      else {
        v = value();
        for (let k = 0; k < (e.shiftKey || e.key.startsWith("Page") ? 10 : 1); k++) v = nudge(v, up, range);
      }
      e.preventDefault();
      set(v);
    });
  },

  /** A labelled text field for a function, with its error line and what can be typed under it. */
  functionField(label = "f(x) =") {
    // What it will show, shown while the wasm arrives: setup checks it (a link may change it).
    const value = escapeMarkup(this.startingSource());
    return `<div class="field">
      <label>${label} <input type="text" name="function" value="${value}" autocomplete="off" autocapitalize="off"
        spellcheck="false" aria-describedby="${this.uid}-error"></label>
      <div class="error-slot"><p class="error" part="error" id="${this.uid}-error" aria-live="assertive"></p></div>
      ${FORMULA_HELP}
    </div>`;
  },

  /**
   * The readout, which the first draw fills. Until then (while the widget is busy) it holds
   * the lines it will about take, `wide` on a wide screen and `narrow` on a phone (style.js),
   * so that the page below does not move when it is drawn.
   */
  readout(wide, narrow = wide + 1) {
    return `<p class="readout lines-${wide} narrow-lines-${narrow}" part="readout"></p>`;
  },

  /**
   * Attribute `name` as `numberAttr` takes it, without saying what is wrong: what a field or
   * slider shows while the wasm arrives. Setup reads the attribute again, and says it.
   */
  startingNumber(name, fallback, range = null) {
    return this.readNumber(name, fallback, range).value;
  },

  /** As `startingNumber`, but `fallback` for a number outside `[lo, hi]`, where setup refuses it. */
  startingChecked(name, fallback, [lo, hi]) {
    const given = this.startingNumber(name, fallback);
    return given >= lo && given <= hi ? given : fallback;
  },

  /** The function a widget starts on: its `function` attribute, else its first example. */
  startingSource() {
    return this.getAttribute("function") ?? this.firstSource ?? this.presets[0]?.source ?? "";
  },

  presetSelect() {
    const starting = this.startingSource();
    const options = this.presets
      .map(({ source, label }) => `<option value="${source}"${source === starting ? " selected" : ""}>${label}</option>`)
      .join("");
    return `<label>Example <select name="preset"><option value="">custom</option>${options}</select></label>`;
  },

  /**
   * The attribute `name` as a number; `fallback` when it is absent. An attribute that is not a
   * finite number is reported in the widget (whoever wrote the page sees why) and ignored; one
   * outside `range` (`[lo, hi]`, when given) is reported and brought inside it.
   */
  numberAttr(name, fallback, range = null) {
    const { value, message } = this.readNumber(name, fallback, range);
    this.attributeError(name, message);
    return value;
  },

  /** What `numberAttr` takes from attribute `name`, and what it says (null: nothing is wrong). */
  readNumber(name, fallback, range = null) {
    const raw = this.getAttribute(name);
    const v = Number(raw);
    if (raw === null || raw.trim() === "") return { value: fallback, message: null };
    if (!Number.isFinite(v)) return { value: fallback, message: `${name}="${raw}" is not a number, so ${fallback} is used.` };
    if (!range || (v >= range[0] && v <= range[1])) return { value: v, message: null };
    const inside = Math.min(range[1], Math.max(range[0], v));
    return { value: inside, message: `${name}="${raw}" is outside ${range[0]} to ${range[1]}, so ${inside} is used.` };
  },

  /**
   * The attribute `name` if it is one of `words`, else the first of them (the default), with
   * a message for a value that is none of them, naming what is used `instead`.
   */
  wordAttr(name, words, instead = words[0]) {
    const raw = this.getAttribute(name);
    const known = raw === null || words.includes(raw);
    this.attributeError(name, known ? null : `${name}="${raw}" is neither ${words.map((w) => `"${w}"`).join(" nor ")}, so ${instead} is used.`);
    return known && raw !== null ? raw : words[0];
  },

  /** Shows (or, with null, clears) the problem with attribute `name` below the widget. */
  attributeError(name, message) {
    if (message) this._attributeErrors.set(name, message);
    else this._attributeErrors.delete(name);
    this.root.querySelector("[part~=attribute-error]").textContent = [...this._attributeErrors.values()].join(" ");
  },

  /**
   * Shows `message` next to `input` (the function field when null): in the input's own error
   * element (`#<uid>-<name>-error`) when it has one, otherwise in the line under the function
   * field. null clears that input's message and leaves the others' standing.
   */
  showError(input, message) {
    const field = input ?? this.root.querySelector("input[name=function]");
    const own = field && this.root.querySelector(`#${this.uid}-${field.name}-error`);
    if (own) {
      own.textContent = message ?? "";
    } else {
      const key = field?.name ?? "widget";
      this._fieldErrors ??= new Map();
      if (message) this._fieldErrors.set(key, message);
      else this._fieldErrors.delete(key);
      this.root.querySelector("[part~=error]").textContent = [...this._fieldErrors.values()].join(" ");
    }
    if (field) field.setAttribute("aria-invalid", message ? "true" : "false");
  },

  /** xmin and xmax refused (`message`, or null when taken): the chart keeps `range`, and says so. */
  rangeError(message, range = null) {
    const kept = range ? `${range[0]} to ${range[1]}` : "the range it had";
    this.attributeError("range", message && `xmin/xmax: ${message}, so ${kept} is used.`);
  },

  /**
   * A number field for a value inside `range()` (`[lo, hi]`): a number there goes to
   * `then(v)`; anything else is refused beside the field, `where` saying what the range is.
   */
  wireNumberIn(input, range, where, then) {
    input.addEventListener("input", () => {
      const [lo, hi] = range();
      const v = Number(input.value);
      if (input.value.trim() === "" || !(v >= lo && v <= hi)) {
        const text = (x) => String(x).replace("-", "−");
        this.showError(input, `Type a number from ${text(lo)} to ${text(hi)}${where ? `: ${where}` : ""}.`);
        return;
      }
      this.showError(input, null);
      then(v);
    });
  },

  /** Writes `value` into field `input`, unless it is the one the reader is typing in. */
  showValue(input, value, except) {
    if (input && input !== except) input.value = String(value);
  },

  /**
   * A labelled number field with its own error message beside it, showing `value` while the
   * wasm arrives, rather than an empty box: by default the number of the element's attribute
   * of the same name (w, rate, samples…). Setup checks it (and a link may change it).
   */
  numberField(name, label, attributes, value = this.startingNumber(name, null)) {
    const shown = value === null ? "" : ` value="${value}"`;
    return `<span class="number-field"><label>${label} <input type="number" name="${name}" ${attributes}${shown}
      aria-describedby="${this.uid}-${name}-error"></label>
      <span class="error" id="${this.uid}-${name}-error" aria-live="assertive"></span></span>`;
  },

  /**
   * Wires the function field and preset list to `chart.setFunction`. A bad function shows its
   * error and leaves the chart on its last good function. `onPreset` gets the example chosen;
   * with `presetAttributes`, also an example set as the `function` attribute (its range too).
   */
  wireFunction(onChange, onPreset, { presetAttributes = false } = {}) {
    const input = this.root.querySelector("input[name=function]");
    const preset = this.root.querySelector("select[name=preset]");
    // The function on the chart: the last good one (a chart starts on its first example, or
    // on the one the widget names as `firstSource`).
    let shown = this.firstSource ?? this.presets[0].source;
    let applied = false;
    let refusal = ""; // the message beside the field for the last function refused
    this.functionShown = shown;
    const apply = (source, fromAttribute = false) => {
      try {
        this.chart.setFunction(source);
      } catch (e) {
        this.whyRefused = e.message; // for a message elsewhere (a link's function refused)
        const message = fromAttribute ? `function="${source}": ${e.message}` : e.message;
        refusal = `${message}. The chart still shows ${shown}.`;
        this.showError(input, refusal);
        return false;
      }
      shown = source.trim();
      applied = true;
      this.functionShown = shown;
      this.showError(input, null);
      this.syncPreset(source);
      onChange?.();
      this.requestDraw();
      return true;
    };
    input.addEventListener("input", () => apply(input.value));
    preset?.addEventListener("change", () => {
      const chosen = this.presets.find((p) => p.source === preset.value);
      if (!chosen) return;
      input.value = chosen.source;
      onPreset?.(chosen);
      apply(chosen.source);
    });
    this.applyFunction = (source, fromAttribute) => {
      input.value = source;
      const example = fromAttribute && presetAttributes && this.presetFor(source);
      if (example) onPreset?.(example);
      const ok = apply(source, fromAttribute);
      if (ok || applied || !fromAttribute) return ok;
      // A bad attribute before any good function: the widget still runs, on its first
      // function, and the message stays beside the field with what the page asked for.
      const message = refusal;
      apply(shown);
      input.value = source;
      this.showError(input, message);
      return false;
    };
  },

  /** The example `source` is (spaces aside), if it is one: an entry of `presets`. */
  presetFor(source) {
    const norm = (s) => s.replace(/\s+/g, "");
    return this.presets.find((p) => norm(p.source) === norm(source));
  },

  syncPreset(source) {
    const preset = this.root.querySelector("select[name=preset]");
    if (preset) preset.value = this.presetFor(source)?.source ?? "";
  },
};

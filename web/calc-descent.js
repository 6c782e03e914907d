// <calc-descent id="lab" function="w^2 + b^2" w="8" b="9" rate="0.1" iterations="30">
// Chapter 4's lab: gradient descent on the contour map. The reader drags the start, sets the
// learning rate and the number of steps, and plays the walk step by step. Other elements
// follow it through `for="lab"` (the loss curve, the sweep, live numbers in the prose).
import { tidy } from "./widget.js";
import { PathWidget } from "./path-widget.js";
import { urlNumber } from "./url-state.js";
import { fileSlug } from "./widget-menu.js";
import { LAB_LANDSCAPE, LANDSCAPES, MAX_STEPS, RATE_PRESETS, RATE_RANGE, START_LIMIT } from "../pkg/book.js";

/** The landscape the lab starts on (the bowl), and what it starts with there. */
const FIRST = LANDSCAPES[LAB_LANDSCAPE];

export class CalcDescent extends PathWidget {
  /** It gives links its own settings (url-state.js); with an id it keeps them in the address. */
  static ownUrlState = true;

  static observedAttributes = ["function", "w", "b", "rate", "iterations", "settings", "theme"];

  get presets() {
    return LANDSCAPES;
  }

  get firstSource() {
    return FIRST.source;
  }

  template() {
    // What readAttributes will set, shown while the wasm arrives.
    const start = [this.startingNumber("w", FIRST.start[0]), this.startingNumber("b", FIRST.start[1])];
    const steps = Math.round(this.startingChecked("iterations", FIRST.lab.steps, [1, MAX_STEPS]));
    const rate = this.startingChecked("rate", FIRST.lab.rate, RATE_RANGE);
    // The rates are the bowl's: one of them is pressed while the bowl is shown at it.
    const bowl = this.presetFor(this.startingSource()) === FIRST;
    const rates = RATE_PRESETS.map((p) => `<button type="button" data-rate="${p.rate}" data-steps="${p.steps}"
      aria-pressed="${bowl && p.rate === rate}">${p.label} (${p.rate})</button>`).join("");
    return `
      <div class="row">${this.functionField("f(w, b) =")}${this.presetSelect()}</div>
      ${this.startFields(MAX_STEPS, start, steps)}
      <div class="row">
        <label class="slider">learning rate η <input type="range" name="rate-slider"
          min="${Math.log10(RATE_RANGE[0])}" max="${Math.log10(RATE_RANGE[1])}" step="0.001"
          value="${Math.log10(rate)}" aria-valuetext=""></label>
        ${this.numberField("rate", "η =", `min="${RATE_RANGE[0]}" max="${RATE_RANGE[1]}" step="any"`, rate)}
      </div>
      <div class="row rate-presets" role="group" aria-label="learning rates for w² + b²">${rates}</div>
      <div class="chart-box square"><canvas part="chart" role="img" tabindex="0"></canvas></div>
      ${this.walkControls(steps)}
      ${this.readout(2)}
      <details class="steps"><summary>Table of steps</summary><div class="table-wrap" tabindex="0"
        role="region" aria-label="every step of the run"><table><thead><tr><th scope="col">k</th>
        <th scope="col" class="u-name">w</th><th scope="col" class="v-name">b</th><th scope="col">loss</th>
        <th scope="col">‖∇f‖</th></tr></thead><tbody></tbody></table></div></details>
      <p class="hint">Drag on the map to move the green start, or focus the map and use the arrow keys
        (Shift for bigger moves). Play walks the path one step at a time.</p>`;
  }

  setup() {
    const $ = (s) => this.root.querySelector(s);
    this.chart = new this.calculus.DescentMap(this.canvas);
    this.inputs = {
      w: $("input[name=w]"),
      rate: $("input[name=rate]"),
      slider: $("input[name=rate-slider]"),
    };
    this.table = $("details.steps");
    this.range = FIRST.range;
    this.source = FIRST.source;
    this.highlighted = -1;
    this.k = 0;

    this.wirePathFunction(({ range, start, lab }) => {
      this.setRange(range, start);
      [this.rate, this.iterations] = [lab.rate, lab.steps];
    });
    this.wireStartFields();
    this.inputs.rate.addEventListener("input", () => this.setRate(Number(this.inputs.rate.value), this.inputs.rate));
    this.inputs.slider.addEventListener("input", () => this.setRate(tidy(Number((10 ** Number(this.inputs.slider.value)).toPrecision(3)))));
    this.logSliderKeys(this.inputs.slider, { value: () => this.rate, set: (rate) => this.setRate(rate), range: RATE_RANGE });
    this.wireWalk();
    this.root.querySelectorAll("button[data-rate]").forEach((button) =>
      button.addEventListener("click", () => {
        this.iterations = Math.max(this.iterations, Number(button.dataset.steps));
        this.setRate(Number(button.dataset.rate));
      }),
    );
    this.table.addEventListener("toggle", () => this.markCurrentRow());

    this.wireStart();

    this.readAttributes();
    this.bindSettings();
  }

  /** The widget's defaults: its attributes, else the first landscape's settings. */
  readAttributes() {
    this.start = [this.numberAttr("w", FIRST.start[0]), this.numberAttr("b", FIRST.start[1])];
    this.rate = this.checkedAttr("rate", FIRST.lab.rate, RATE_RANGE);
    this.iterations = Math.round(this.checkedAttr("iterations", FIRST.lab.steps, [1, MAX_STEPS]));
    this.useFunction(this.getAttribute("function") ?? FIRST.source, true);
    this.rerun();
  }

  checkedAttr(name, fallback, [min, max]) {
    const v = this.numberAttr(name, fallback);
    if (v < min || v > max) {
      this.attributeError(name, `${name}="${v}" is outside ${min} to ${max}, so ${fallback} is used.`);
      return fallback;
    }
    return v;
  }

  // ---- state -------------------------------------------------------------------------------

  /** What the address keeps. */
  settings() {
    return { f: this.source, w: this.start[0], b: this.start[1], lr: this.rate, n: this.iterations, k: this.k };
  }

  applySettings(settings) {
    this.pause();
    const notes = [];
    const [w0, b0] = [this.numberAttr("w", FIRST.start[0]), this.numberAttr("b", FIRST.start[1])];
    const source = settings.get("f") ?? this.getAttribute("function") ?? FIRST.source;
    if (!this.useFunction(source, false)) {
      notes.push(this.refusedFunction(settings, source));
      this.useFunction(this.getAttribute("function") ?? FIRST.source, true);
    }
    const limits = [-START_LIMIT, START_LIMIT];
    this.start = [urlNumber(settings, "w", w0, limits, notes, "w₀"), urlNumber(settings, "b", b0, limits, notes, "b₀")];
    this.rate = urlNumber(settings, "lr", this.checkedAttr("rate", FIRST.lab.rate, RATE_RANGE), RATE_RANGE, notes, "learning rate");
    this.iterations = Math.round(urlNumber(settings, "n", Math.round(this.checkedAttr("iterations", FIRST.lab.steps, [1, MAX_STEPS])), [1, MAX_STEPS], notes, "number of steps"));
    this.k = Math.round(urlNumber(settings, "k", MAX_STEPS, [0, MAX_STEPS], notes, "step", "the last step"));
    this.attributeError("url", notes.length ? notes.join(" ") : null);
    this.rerun(null, { keepStep: true });
  }

  /** Puts the function on the map, with its preset's range when it is one of the chapter's. */
  useFunction(source, fromAttribute) {
    const preset = this.presetFor(source);
    if (preset) this.setRange(preset.range);
    return this.applyFunction(source, fromAttribute);
  }

  /** Sets η (from a field, a preset, a slider or a linked element); out of range is refused. */
  setRate(rate, field = null) {
    if (!(Number.isFinite(rate) && rate >= RATE_RANGE[0] && rate <= RATE_RANGE[1])) {
      this.showError(field ?? this.inputs.rate, `The learning rate must be a number from ${RATE_RANGE[0]} to ${RATE_RANGE[1]}.`);
      return false;
    }
    this.showError(this.inputs.rate, null);
    this.rate = rate;
    this.rerun(field);
    return true;
  }

  /** Runs descent again and shows the whole path (or, with keepStep, the step it was on). */
  rerun(fromField = null, { keepStep = false } = {}) {
    if (!this.chart) return;
    this.pause();
    let error = null;
    try {
      this.chart.run(this.start[0], this.start[1], this.rate, this.iterations);
    } catch (e) {
      error = e.message;
    }
    this.showError(this.inputs.w, error ? `No path: ${error}.` : null);
    this.last = Math.max(0, this.chart.length - 1);
    this._run = (this._run ?? 0) + 1;
    this.k = keepStep ? Math.min(this.k, this.last) : this.last;
    this.syncFields(fromField);
    this.update();
  }

  syncFields(except) {
    this.syncStartFields(except);
    this.showValue(this.inputs.rate, this.rate, except);
    if (except !== this.inputs.slider) this.inputs.slider.value = String(Math.log10(this.rate));
    this.inputs.slider.setAttribute("aria-valuetext", `η = ${this.rate}`);
    // The rate presets tell the bowl's story: on another landscape none of them is "on".
    const bowl = this.presetFor(this.source) === FIRST;
    this.root.querySelectorAll("button[data-rate]").forEach((b) => b.setAttribute("aria-pressed", String(bowl && Number(b.dataset.rate) === this.rate)));
    const [u, v] = this.chart.axes.split(",");
    this.root.querySelector(".u-name").textContent = u;
    this.root.querySelector(".v-name").textContent = v;
  }

  update() {
    this.showPosition();
    this.setReadout(this.chart.readout(this.k));
    this.markCurrentRow();
    this.requestDraw();
    if (!this.playing) this.notifyUrl?.();
    this.dispatchEvent(new CustomEvent("calc-change", { detail: this.settings() }));
  }

  /** Rings step k of the path (from the loss curve); −1 clears. */
  highlight(k) {
    if (k === this.highlighted) return;
    this.highlighted = k;
    this.requestDraw();
  }

  // ---- what linked elements read ---------------------------------------------------------

  get losses() {
    return this.chart.losses();
  }

  get divergedAt() {
    return this.chart.divergedAt;
  }

  /** `[w, b, f, ∂f/∂w, ∂f/∂b]` at step k. */
  point(k) {
    return this.chart.point(k);
  }

  // ---- the table of steps ----------------------------------------------------------------

  /** Writes the table's rows, once per run (and only while the table is open). */
  fillTable() {
    if (!this.table.open || this._tableRun === this._run) return;
    this._tableRun = this._run;
    const body = this.table.querySelector("tbody");
    const rows = [];
    for (let k = 0; k <= this.last; k++) {
      const [w, b, f, gw, gb] = this.chart.point(k);
      const current = k === this.k ? ' class="current" aria-current="true"' : "";
      rows.push(`<tr${current}><td>${k}</td><td>${this.format(w)}</td><td>${this.format(b)}</td><td>${this.format(f)}</td><td>${this.format(Math.hypot(gw, gb))}</td></tr>`);
    }
    if (this.divergedAt >= 0) rows.push(`<tr><td>${this.divergedAt}</td><td colspan="4">diverged: the loss ran away</td></tr>`);
    body.innerHTML = rows.join("");
    this._currentRow = body.querySelector("tr.current");
  }

  /** Moves the table's highlight to the step shown, without rewriting the table. */
  markCurrentRow() {
    if (!this.table.open) return;
    this.fillTable();
    const row = this.table.querySelectorAll("tbody tr")[this.k];
    if (row === this._currentRow) return;
    this._currentRow?.classList.remove("current");
    this._currentRow?.removeAttribute("aria-current");
    row?.classList.add("current");
    row?.setAttribute("aria-current", "true");
    this._currentRow = row;
  }

  paint(width, height, dpr, dark) {
    this.chart.setStep(this.k, this.highlighted);
    this.chart.draw(width, height, dpr, dark);
    this.canvas.setAttribute("aria-label", this.chart.describe(this.k));
  }

  /** "Copy as Python" (web/python-scripts.js): what its script reproduces. */
  pythonUnavailable() {
    return null;
  }

  pythonState() {
    return {
      source: this.source, names: this.chart.axes.split(","), w: this.start[0], b: this.start[1], rate: this.rate,
      iterations: this.iterations, k: this.k, range: this.range,
    };
  }

  /** Under a saved PNG: "w² + b² from (8, 9), η = 0.1, 30 steps". */
  caption() {
    const shown = this.k < this.last ? ` (step ${this.k} shown)` : "";
    return `${this.pretty(this.source)} from (${this.start[0]}, ${this.start[1]}), η = ${this.rate}, ${this.iterations} steps${shown}`;
  }

  fileName() {
    return `descent-${fileSlug(this.source)}-lr${this.rate}`;
  }

  /** Copy embed code: the attributes that show what the widget shows now. */
  embedAttributes() {
    return { function: this.source, w: this.start[0], b: this.start[1], rate: this.rate, iterations: this.iterations, settings: this.stepBeyond(["f", "w", "b", "lr", "n"]) };
  }
}

customElements.get("calc-descent") ?? customElements.define("calc-descent", CalcDescent);

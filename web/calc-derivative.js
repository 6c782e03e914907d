// <calc-derivative function="x^2" x="1" xmin="-10" xmax="10" numerical samples="100">
// Chapter 1's explorer: f, its exact derivative, flat points, a draggable point with its
// tangent, and (optionally) numpy.gradient's samples beside the exact curve.
import { CalcWidget, tidy } from "./widget.js";
import { DERIVATIVE, EXAMPLES } from "../pkg/book.js";

const [FIRST] = EXAMPLES; // the chart's function and range until the page says otherwise
// What the chart accepts, as the embed page documents: the field and the attribute alike.
const [MIN_SAMPLES, MAX_SAMPLES] = DERIVATIVE.samplesLimit;

export class CalcDerivative extends CalcWidget {

  static observedAttributes = ["function", "x", "xmin", "xmax", "numerical", "samples", "theme"];

  template() {
    // The range, point and samples setup will take, shown while the wasm arrives.
    const [lo, hi] = [this.startingNumber("xmin", FIRST.range[0]), this.startingNumber("xmax", FIRST.range[1])];
    const x = this.startingNumber("x", DERIVATIVE.x, [lo, hi]);
    const numerical = this.hasAttribute("numerical");
    return `
      <div class="row">${this.functionField("f(x) =")}${this.presetSelect()}</div>
      <p class="formula"><span class="derivative-label">f′(x) =</span> <span class="derivative"></span></p>
      <div class="chart-box"><canvas part="chart" role="img" tabindex="0"></canvas></div>
      <div class="row essential">
        <label class="slider"><span class="var-name">x</span> <input type="range" name="x"
          min="${lo}" max="${hi}" step="any" value="${x}"></label>
        <span class="range-fields">${this.numberField("xmin", "from", 'step="any"', lo)}
          ${this.numberField("xmax", "to", 'step="any"', hi)}</span>
      </div>
      <div class="row">
        <label><input type="checkbox" name="numerical"${numerical ? " checked" : ""}> numerical derivative (numpy.gradient)</label>
        ${this.numberField("samples", "samples", `min="${MIN_SAMPLES}" max="${MAX_SAMPLES}" step="1"${numerical ? "" : " disabled"}`, this.startingNumber("samples", DERIVATIVE.samples, DERIVATIVE.samplesLimit))}
      </div>
      ${this.readout(1)}
      <p class="hint">Drag the point, or focus the chart and use ← → (Shift for bigger steps).</p>`;
  }

  setup() {
    this.chart = new this.calculus.DerivativeExplorer(this.canvas);
    this.x = DERIVATIVE.x;
    this.range = [...FIRST.range];
    this.samples = DERIVATIVE.samples;
    const $ = (s) => this.root.querySelector(s);
    this.xSlider = $("input[name=x]");
    this.numericalBox = $("input[name=numerical]");
    this.samplesInput = $("input[name=samples]");

    this.xminInput = $("input[name=xmin]");
    this.xmaxInput = $("input[name=xmax]");
    const report = (message) => this.showError(this.xmaxInput, message);
    this.wireFunction(
      () => this.updateFormula(),
      ({ range: [xmin, xmax] }) => this.setRange(xmin, xmax, report) && this.showRange(),
    );
    for (const field of [this.xminInput, this.xmaxInput]) {
      field.addEventListener("change", () => {
        const [xmin, xmax] = [this.xminInput.value, this.xmaxInput.value].map(Number);
        if (this.xminInput.value === "" || this.xmaxInput.value === "") report("the range needs two numbers");
        // Named as the reader sees the fields (the engine's message names the attributes).
        else if (xmax <= xmin) report(`“to” (${xmax}) must be greater than “from” (${xmin})`);
        else this.setRange(xmin, xmax, report);
      });
    }
    this.xSlider.addEventListener("input", () => this.moveTo(Number(this.xSlider.value)));
    this.numericalBox.addEventListener("change", () => this.applyNumerical());
    this.samplesInput.addEventListener("input", () => this.applyNumerical());

    this.wireDrag((x) => this.moveTo(this.snap(x)));
    this.canvas.addEventListener("keydown", (e) => {
      const step = this.step * (e.shiftKey ? 10 : 1);
      const moves = { ArrowRight: step, ArrowUp: step, ArrowLeft: -step, ArrowDown: -step };
      if (e.key in moves) this.moveTo(this.x + moves[e.key]);
      else if (e.key === "Home") this.moveTo(this.range[0]);
      else if (e.key === "End") this.moveTo(this.range[1]);
      else return;
      e.preventDefault();
    });

    this.applyFunction(this.getAttribute("function") ?? FIRST.source, true);
    this.updateFormula(); // also when the attribute's function was refused: x² is shown
    this.applyRange();
    this.numericalBox.checked = this.hasAttribute("numerical");
    this.samplesInput.value = String(this.numberAttr("samples", DERIVATIVE.samples, DERIVATIVE.samplesLimit));
    this.applyNumerical();
    this.moveTo(this.numberAttr("x", DERIVATIVE.x, this.range));
  }

  attributeChangedCallback(name, old, value) {
    if (!this.chart || old === value) return;
    if (name === "function") this.applyFunction(value ?? FIRST.source, true);
    else if (name === "x") this.moveTo(this.numberAttr("x", this.x, this.range));
    else if (name === "xmin" || name === "xmax") this.applyRange();
    else if (name === "numerical") {
      this.numericalBox.checked = value !== null;
      this.applyNumerical();
    } else if (name === "samples") {
      this.samplesInput.value = String(this.numberAttr("samples", this.samples, DERIVATIVE.samplesLimit));
      this.applyNumerical();
    } else this.requestDraw();
  }

  /** The keyboard step: (xmax − xmin)/200. */
  get step() {
    return (this.range[1] - this.range[0]) / 200;
  }

  /** Pointer positions snap to a tenth of the keyboard step so readouts stay tidy. */
  snap(x) {
    const fine = this.step / 10;
    return tidy(Math.round(x / fine) * fine);
  }

  /** The range from the attributes (the first example's, −10 to 10, by default). */
  applyRange() {
    const [xmin, xmax] = FIRST.range;
    this.setRange(this.numberAttr("xmin", xmin), this.numberAttr("xmax", xmax), (message) => this.rangeError(message, this.range));
    this.showRange();
  }

  /**
   * Shows f on [xmin, xmax]; `report` gets what is wrong with them, or null. A bad range
   * leaves the chart on its last good one. Returns whether the range was taken.
   */
  setRange(xmin, xmax, report) {
    let taken = true;
    try {
      this.chart.setRange(xmin, xmax);
      this.range = [xmin, xmax];
      report(null);
    } catch (e) {
      report(e.message);
      taken = false;
    }
    Object.assign(this.xSlider, { min: this.range[0], max: this.range[1], step: this.step / 10 });
    this.moveTo(this.x);
    return taken;
  }

  /** The range fields show the chart's range (after an attribute or a preset set it). */
  showRange() {
    this.xminInput.value = String(this.range[0]);
    this.xmaxInput.value = String(this.range[1]);
    this.showError(this.xmaxInput, null);
  }

  applyNumerical() {
    const on = this.numericalBox.checked;
    this.samplesInput.disabled = !on;
    if (!on) {
      this.showError(this.samplesInput, null);
      this.chart.setNumerical(0);
      this.refresh();
      return;
    }
    const n = Number(this.samplesInput.value);
    if (!Number.isInteger(n) || n < MIN_SAMPLES || n > MAX_SAMPLES) {
      this.showError(this.samplesInput, `a whole number from ${MIN_SAMPLES} to ${MAX_SAMPLES}`);
      return;
    }
    this.showError(this.samplesInput, null);
    this.samples = n;
    this.chart.setNumerical(n);
    this.refresh();
  }

  moveTo(x) {
    if (!Number.isFinite(x)) return;
    this.x = tidy(Math.min(this.range[1], Math.max(this.range[0], x)));
    this.chart.setX(this.x);
    this.xSlider.value = String(this.x);
    this.refresh();
  }

  updateFormula() {
    this.root.querySelector(".derivative-label").textContent = `f′(${this.chart.variable}) =`;
    this.root.querySelector(".var-name").textContent = this.chart.variable;
    this.root.querySelector(".derivative").innerHTML = this.chart.derivativeMathML;
    this.refresh();
  }

  /** Readout now (screen readers and tests see it at once); pixels at the next frame. */
  refresh() {
    this.setReadout(this.chart.readout());
    this.requestDraw();
  }

  paint(width, height, dpr, dark) {
    this.chart.draw(width, height, dpr, dark);
    this.canvas.setAttribute("aria-label", this.chart.describe());
  }

  /** "Copy as Python" (web/python-scripts.js): what its script reproduces. */
  pythonUnavailable() {
    return null;
  }

  pythonState() {
    const { numerical, samples } = this.embedAttributes();
    return { source: this.functionShown, variable: this.chart.variable, x: this.x, range: this.range, numerical, samples };
  }

  /** Copy embed code: the attributes that show what the widget shows now. */
  embedAttributes() {
    return {
      function: this.functionShown, x: this.x, xmin: this.range[0], xmax: this.range[1],
      numerical: this.numericalBox.checked, samples: this.numericalBox.checked ? this.samples : undefined,
    };
  }
}

customElements.get("calc-derivative") ?? customElements.define("calc-derivative", CalcDerivative);

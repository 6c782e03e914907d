// <calc-numerical-error function="x^2" samples="100" xmin="-10" xmax="10">
// Chapter 1's numerical vs exact: |numpy.gradient − f'| at every sample, on a log axis.
import { CalcWidget } from "./widget.js";
import { EXAMPLES, NUMERICAL_ERROR } from "../pkg/book.js";

const [FIRST] = EXAMPLES; // the chart's function and range until the page says otherwise
const [MIN_SAMPLES, MAX_SAMPLES] = NUMERICAL_ERROR.slider;

export class CalcNumericalError extends CalcWidget {

  static observedAttributes = ["function", "samples", "xmin", "xmax", "theme"];

  template() {
    // The samples setSamples will show, shown while the wasm arrives.
    const n = this.startingNumber("samples", NUMERICAL_ERROR.samples, NUMERICAL_ERROR.samplesLimit);
    return `
      <div class="row">${this.functionField("f(x) =")}${this.presetSelect()}</div>
      <div class="chart-box"><canvas part="chart" role="img" tabindex="0"></canvas></div>
      <div class="row">
        <label class="slider">samples <input type="range" name="samples" min="${MIN_SAMPLES}" max="${Math.max(MAX_SAMPLES, n)}" step="1"
          value="${n}"> <output aria-live="off" class="value samples-value">${n}</output></label>
      </div>
      ${this.readout(2)}`;
  }

  setup() {
    this.chart = new this.calculus.NumericalErrorChart(this.canvas);
    this.samplesInput = this.root.querySelector("input[name=samples]");
    this.wireFunction(() => this.refresh());
    this.samplesInput.addEventListener("input", () => this.setSamples(Number(this.samplesInput.value)));
    this.canvas.addEventListener("keydown", (e) => {
      const moves = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 };
      if (!(e.key in moves)) return;
      this.setSamples(Number(this.samplesInput.value) + moves[e.key] * (e.shiftKey ? 10 : 1));
      e.preventDefault();
    });
    this.applyFunction(this.getAttribute("function") ?? FIRST.source, true);
    this.applyRange();
    this.setSamples(this.numberAttr("samples", NUMERICAL_ERROR.samples, NUMERICAL_ERROR.samplesLimit));
  }

  attributeChangedCallback(name, old, value) {
    if (!this.chart || old === value) return;
    if (name === "function") this.applyFunction(value ?? FIRST.source, true);
    else if (name === "samples") this.setSamples(this.numberAttr("samples", NUMERICAL_ERROR.samples, NUMERICAL_ERROR.samplesLimit));
    else if (name === "xmin" || name === "xmax") this.applyRange();
    else this.requestDraw();
  }

  applyRange() {
    try {
      const [xmin, xmax] = FIRST.range;
      this.chart.setRange(this.numberAttr("xmin", xmin), this.numberAttr("xmax", xmax));
      this.rangeError(null);
    } catch (e) {
      this.rangeError(e.message);
    }
    this.refresh();
  }

  setSamples(n) {
    n = Math.round(n);
    try {
      this.chart.setSamples(n);
    } catch (e) {
      this.showError(this.samplesInput, e.message);
      return;
    }
    this.showError(this.samplesInput, null);
    // An attribute may ask for more samples than the slider's reach: the slider then reaches
    // them, rather than sitting at its end beside a larger number.
    if (n > Number(this.samplesInput.max)) this.samplesInput.max = String(n);
    this.samplesInput.value = String(n);
    this.root.querySelector(".samples-value").textContent = String(n);
    this.refresh();
  }

  refresh() {
    this.setReadout(this.chart.readout());
    this.requestDraw();
  }

  paint(width, height, dpr, dark) {
    this.chart.draw(width, height, dpr, dark);
    this.canvas.setAttribute("aria-label", this.chart.describe());
  }

  /** Copy embed code: the attributes that show what the widget shows now. */
  /** "Copy as Python" (web/python-scripts.js): what its script reproduces. */
  pythonUnavailable() {
    return null;
  }

  pythonState() {
    const { samples, xmin, xmax } = this.embedAttributes();
    const range = [Number(xmin ?? FIRST.range[0]), Number(xmax ?? FIRST.range[1])];
    return { source: this.functionShown, variable: this.chart.variable, samples: Number(samples), range };
  }

  embedAttributes() {
    // The range comes from the attributes only: the reader has no control over it.
    return { function: this.functionShown, samples: this.samplesInput.value, xmin: this.getAttribute("xmin") ?? undefined,
      xmax: this.getAttribute("xmax") ?? undefined };
  }
}

customElements.get("calc-numerical-error") ??
  customElements.define("calc-numerical-error", CalcNumericalError);

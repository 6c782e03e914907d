// <calc-secant function="x^2" x="1" h="1" xmin="-1" xmax="3">
// Chapter 1's secant to tangent: shrink h from 1 to 0.001 and watch the difference quotient
// (f(x + h) − f(x))/h become f'(x).
import { CalcWidget, tidy } from "./widget.js";
import { EXAMPLES, SECANT } from "../pkg/book.js";

/**
 * The h slider is logarithmic: position t in [0, 3] means h = 10^−t, to three significant
 * digits (the readout's and a copy's).
 */
const hOf = (t) => Number((10 ** -t).toPrecision(3));
const tOf = (h) => -Math.log10(h);
const [H_MIN, H_MAX] = SECANT.hRange;

export class CalcSecant extends CalcWidget {

  static observedAttributes = ["function", "x", "h", "xmin", "xmax", "theme"];

  template() {
    // The sliders where setup will put them (applyRange, setH), so that they do not jump.
    const x = this.startingNumber("x", SECANT.x);
    const [lo, hi] = [this.startingNumber("xmin", x - 2), this.startingNumber("xmax", x + 2)];
    const h = this.startingNumber("h", SECANT.h, [H_MIN, H_MAX]);
    return `
      <div class="row">${this.functionField("f(x) =")}${this.presetSelect()}</div>
      <div class="chart-box"><canvas part="chart" role="img" tabindex="0"></canvas></div>
      <div class="row">
        <label class="slider">h <input type="range" name="h" min="${tOf(H_MAX)}" max="${tOf(H_MIN)}" step="0.01"
          value="${tOf(h)}"> <output aria-live="off" class="value h-value"></output></label>
        <label class="slider">x <input type="range" name="x" min="${lo}" max="${hi}" step="${(hi - lo) / 400}"
          value="${x}"> <output aria-live="off" class="value x-value"></output></label>
      </div>
      ${this.readout(2)}
      <p class="hint">Slide h towards 0.001: the secant (through x and x + h) turns into the tangent.
        On the focused chart, ↑ shrinks h and ↓ grows it, ← → move x, and Shift takes bigger steps.</p>`;
  }

  setup() {
    this.chart = new this.calculus.SecantChart(this.canvas);
    const $ = (s) => this.root.querySelector(s);
    this.hSlider = $("input[name=h]");
    this.xSlider = $("input[name=x]");
    this.x = SECANT.x;
    this.h = SECANT.h;
    this.range = [...SECANT.range]; // the chart's own default, kept if the attributes give a bad range
    this.wireFunction(() => this.refresh());
    this.hSlider.addEventListener("input", () => this.setH(hOf(Number(this.hSlider.value))));
    this.xSlider.addEventListener("input", () => this.setX(Number(this.xSlider.value)));
    this.wireDrag((x) => this.setX(x));
    this.canvas.addEventListener("keydown", (e) => {
      // Shift: ten times the step, as on the other charts.
      const times = e.shiftKey ? 10 : 1;
      const step = ((this.range[1] - this.range[0]) / 200) * times;
      const moves = { ArrowRight: step, ArrowLeft: -step };
      // ↑ as on the h slider: towards 0.001, the tangent.
      const zoom = { ArrowUp: 0.05 * times, ArrowDown: -0.05 * times };
      if (e.key in moves) this.setX(this.x + moves[e.key]);
      else if (e.key in zoom) this.setH(hOf(tOf(this.h) + zoom[e.key]));
      else if (e.key === "Home") this.setX(this.range[0]);
      else if (e.key === "End") this.setX(this.range[1]);
      else return;
      e.preventDefault();
    });
    this.applyFunction(this.getAttribute("function") ?? EXAMPLES[0].source, true);
    this.x = this.numberAttr("x", SECANT.x);
    this.applyRange();
    this.setH(this.numberAttr("h", SECANT.h, [H_MIN, H_MAX]));
  }

  attributeChangedCallback(name, old, value) {
    if (!this.chart || old === value) return;
    if (name === "function") this.applyFunction(value ?? EXAMPLES[0].source, true);
    else if (name === "x") this.setX(this.numberAttr("x", this.x));
    else if (name === "h") this.setH(this.numberAttr("h", this.h));
    else if (name === "xmin" || name === "xmax") this.applyRange();
    else this.requestDraw();
  }

  applyRange() {
    const xmin = this.numberAttr("xmin", this.x - 2);
    const xmax = this.numberAttr("xmax", this.x + 2);
    try {
      this.chart.setRange(xmin, xmax);
      this.range = [xmin, xmax];
      this.rangeError(null);
    } catch (e) {
      this.rangeError(e.message, this.range);
    }
    const [lo, hi] = this.range;
    Object.assign(this.xSlider, { min: lo, max: hi, step: (hi - lo) / 400 });
    this.setX(this.x);
  }

  setX(x) {
    if (!Number.isFinite(x)) return;
    // A step of 1/400 of the range is 0.01 on the default range, the readout's precision,
    // so the x the reader sees is the x the slopes are computed at.
    const fine = (this.range[1] - this.range[0]) / 400;
    this.x = tidy(Math.min(this.range[1], Math.max(this.range[0], Math.round(x / fine) * fine)));
    this.xSlider.value = String(this.x);
    this.root.querySelector(".x-value").textContent = this.format(this.x, "fixed", 2);
    this.refresh();
  }

  setH(h) {
    if (!Number.isFinite(h)) return;
    this.h = Math.min(H_MAX, Math.max(H_MIN, h));
    this.hSlider.value = String(tOf(this.h));
    this.hSlider.setAttribute("aria-valuetext", `h = ${this.h}`);
    // As the readout writes it: four decimals.
    this.root.querySelector(".h-value").textContent = this.format(this.h, "fixed", 4);
    this.refresh();
  }

  refresh() {
    this.chart.setSecant(this.x, this.h);
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
    return { source: this.functionShown, variable: this.chart.variable, x: this.x, h: this.h, range: this.range };
  }

  embedAttributes() {
    return { function: this.functionShown, x: this.x, h: this.h, xmin: this.range[0], xmax: this.range[1] };
  }
}

customElements.get("calc-secant") ?? customElements.define("calc-secant", CalcSecant);

// <calc-lr-sweep for="lab" steps="100">
// The loss after N steps against the learning rate, both on log scales: too small is slow,
// past 2/L the run diverges. It follows the lab's function and start; a click sets the lab's
// rate.
import { CalcWidget } from "./widget.js";
import { xAt } from "./frame.js";
import { linkedLab } from "./linked.js";
import { RATE_RANGE, SWEEP } from "../pkg/book.js";

export class CalcLrSweep extends CalcWidget {
  static observedAttributes = ["steps", "theme"];

  template() {
    return `
      <div class="chart-box"><canvas part="chart" role="img" tabindex="0"></canvas></div>
      ${this.readout(3, 5)}
      <p class="hint">Click the chart (or focus it and use ← →) to give the descent above that learning rate.</p>`;
  }

  setup() {
    this.chart = new this.calculus.LearningRateSweep(this.canvas);
    this.steps = this.stepsAttr();
    this.rate = NaN;
    const rateAt = (e) => {
      const frame = this.chart.frame;
      if (!frame) return NaN;
      const r = 10 ** xAt(frame, e.clientX - this.canvas.getBoundingClientRect().left);
      return Number(r.toPrecision(2));
    };
    let dragging = false;
    this.canvas.addEventListener("pointerdown", (e) => {
      dragging = true;
      this.canvas.setPointerCapture(e.pointerId);
      this.lab?.setRate(rateAt(e));
    });
    this.canvas.addEventListener("pointermove", (e) => dragging && this.lab?.setRate(rateAt(e)));
    this.canvas.addEventListener("pointerup", () => (dragging = false));
    this.canvas.addEventListener("pointercancel", () => (dragging = false));
    this.canvas.addEventListener("keydown", (e) => {
      const factor = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (!factor || !this.lab) return;
      e.preventDefault();
      const next = this.lab.rate * 10 ** (factor * (e.shiftKey ? 0.1 : 0.02));
      this.lab.setRate(Number(Math.min(RATE_RANGE[1], Math.max(RATE_RANGE[0], next)).toPrecision(3)));
    });
    // Drawn first with the lab's run, not empty before it.
    const release = this.holdFirstDraw();
    linkedLab(this, { start: true })
      .then((lab) => {
        this.lab = lab;
        lab.addEventListener("calc-change", () => this.follow());
        this.follow();
      })
      .catch((e) => this.attributeError("for", e.message))
      .finally(release);
  }

  stepsAttr() {
    const n = this.numberAttr("steps", SWEEP.steps);
    const [min, max] = SWEEP.stepsRange;
    if (!(Number.isInteger(n) && n >= min && n <= max)) {
      this.attributeError("steps", `steps="${n}" should be a whole number from ${min} to ${max}, so ${SWEEP.steps} is used.`);
      return SWEEP.steps;
    }
    return n;
  }

  attributeChangedCallback(name) {
    if (!this.chart) return;
    if (name === "steps") {
      this.steps = this.stepsAttr();
      this.computed = null;
      this.follow();
    } else this.requestDraw();
  }

  /** Sweeps again when the lab's function or start changed; otherwise moves the marker. */
  follow() {
    const lab = this.lab;
    if (!lab) return;
    const key = `${lab.source}|${lab.start[0]}|${lab.start[1]}|${this.steps}`;
    // The lab also reports every step of a walk it plays; the sweep has nothing new to say.
    if (key === this.computed && lab.rate === this.rate) return;
    if (key !== this.computed) {
      try {
        this.chart.setFunction(lab.source);
        this.chart.compute(lab.start[0], lab.start[1], this.steps);
        this.attributeError("sweep", null);
      } catch (e) {
        this.attributeError("sweep", `No sweep: ${e.message}.`);
      }
      this.computed = key;
    }
    this.rate = lab.rate;
    this.setReadout(this.chart.readout(this.rate));
    this.canvas.setAttribute("aria-label", `${this.chart.describe()} ${this.readoutEl.textContent}`);
    this.requestDraw();
  }

  /** 2/L, where the sweep measured it (NaN when f does not curve upwards there). */
  get criticalRate() {
    return this.chart.criticalRate;
  }

  paint(width, height, dpr, dark) {
    this.chart.setRate(this.rate);
    this.chart.draw(width, height, dpr, dark);
  }

  /** "Copy as Python" (web/python-scripts.js): the sweep from the lab's start, at its rate. */
  pythonUnavailable() {
    return null;
  }

  pythonState() {
    if (!this.lab) throw new Error("it follows no lab on this page");
    return { ...this.lab.pythonState(), steps: this.steps };
  }

  /** Copy embed code: the attributes that show what the widget shows now. */
  embedAttributes() {
    return { for: this.getAttribute("for"), steps: this.steps };
  }
}

customElements.get("calc-lr-sweep") ?? customElements.define("calc-lr-sweep", CalcLrSweep);

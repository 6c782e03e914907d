// <calc-cliff threshold="1">
// Chapter 6's cliff: two gradient descent walks from one start at one learning rate. The
// unclipped one lands on the steep ramp and is thrown far past the valley; the clipped one
// (its gradient scaled to at most the threshold, as clip_grad_norm_) walks down and settles.
import { CalcWidget } from "./widget.js";
import { CLIFF } from "../pkg/book.js";

const [T_MIN, T_MAX] = CLIFF.thresholdRange;
/** The threshold slider is logarithmic: position t means 10^t, two significant digits. */
const thresholdOf = (t) => Number((10 ** t).toPrecision(2));

export class CalcCliff extends CalcWidget {

  static observedAttributes = ["threshold", "theme"];

  template() {
    // The threshold readThreshold will set, shown while the wasm arrives.
    const t = this.startingChecked("threshold", CLIFF.threshold, [T_MIN, T_MAX]);
    return `
      <p class="formula">f(w, b) = <code>${CLIFF.source}</code></p>
      <div class="chart-box square"><canvas part="chart" role="img" tabindex="0"></canvas></div>
      <div class="row essential">
        <label class="slider">Clipping threshold <input type="range" name="threshold"
          min="${Math.log10(T_MIN)}" max="${Math.log10(T_MAX)}" step="0.01" value="${Math.log10(t)}">
          <output aria-live="off" class="value threshold-value">${t}</output></label>
      </div>
      ${this.readout(3, 5)}
      <p class="hint">${CLIFF.steps} steps of gradient descent at learning rate ${CLIFF.rate} from (${CLIFF.start.join(", ")}).
        Dashed: the raw gradient. Solid: the gradient rescaled to norm at most the threshold before each step
        (torch.nn.utils.clip_grad_norm_), so no step is longer than learning rate × threshold.
        On the focused map, ← → change the threshold (Shift: faster).</p>`;
  }

  setup() {
    this.chart = new this.calculus.CliffMap(this.canvas);
    this.slider = this.root.querySelector("input[name=threshold]");
    this.slider.addEventListener("input", () => this.setThreshold(thresholdOf(Number(this.slider.value))));
    this.logSliderKeys(this.slider, { value: () => this.chart.threshold, set: (t) => this.setThreshold(t), range: [T_MIN, T_MAX] });
    this.canvas.addEventListener("keydown", (e) => {
      const step = { ArrowRight: 0.05, ArrowUp: 0.05, ArrowLeft: -0.05, ArrowDown: -0.05 }[e.key];
      if (step === undefined) return;
      e.preventDefault();
      const t = Math.log10(this.chart.threshold) + step * (e.shiftKey ? 5 : 1);
      this.setThreshold(thresholdOf(Math.min(Math.log10(T_MAX), Math.max(Math.log10(T_MIN), t))));
    });
    this.readThreshold();
  }

  attributeChangedCallback(name, old, value) {
    if (!this.chart || old === value) return;
    if (name === "threshold") this.readThreshold();
    else this.requestDraw();
  }

  readThreshold() {
    const t = this.numberAttr("threshold", CLIFF.threshold);
    if (t < T_MIN || t > T_MAX) {
      this.attributeError("threshold", `threshold="${this.getAttribute("threshold")}" is outside ${T_MIN} to ${T_MAX}, so ${CLIFF.threshold} is used.`);
      this.setThreshold(CLIFF.threshold);
    } else {
      this.setThreshold(t);
    }
  }

  setThreshold(t) {
    try {
      this.chart.setThreshold(t);
    } catch (e) {
      this.attributeError("threshold", `${e.message}; the map keeps threshold ${this.chart.threshold}.`);
    }
    const kept = this.chart.threshold;
    this.slider.value = String(Math.log10(kept));
    this.slider.setAttribute("aria-valuetext", `threshold ${kept}`);
    this.root.querySelector(".threshold-value").textContent = String(kept);
    this.setReadout(this.chart.readout());
    this.requestDraw();
  }

  get threshold() {
    return this.chart.threshold;
  }

  /** The step lengths of the clipped walk (true) or the unclipped one (false). */
  stepLengths(clipped) {
    return this.chart.stepLengths(clipped);
  }

  paint(width, height, dpr, dark) {
    this.chart.draw(width, height, dpr, dark);
    this.canvas.setAttribute("aria-label", this.chart.describe());
  }

  /** "Copy as Python" (web/python-scripts.js): the two walks at this threshold. */
  pythonUnavailable() {
    return null;
  }

  pythonState() {
    return { threshold: this.chart.threshold };
  }

  /** Copy embed code: the attributes that show what the widget shows now. */
  embedAttributes() {
    return { threshold: this.chart.threshold };
  }
}

customElements.get("calc-cliff") ?? customElements.define("calc-cliff", CalcCliff);

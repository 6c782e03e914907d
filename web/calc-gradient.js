// <calc-gradient function="w^2 + b^2" w="3" b="4">
// Chapter 3's compass: level lines, the gradient field, and a probe whose dial shows the
// slope ∇f·u in every direction u, steepest along ∇f.
import { CalcWidget, SURFACES, tidy } from "./widget.js";

export class CalcGradient extends CalcWidget {
  static calculusBuild = "calculus";
  static observedAttributes = ["function", "w", "b", "arrows", "theme"];

  get presets() {
    return SURFACES;
  }

  template() {
    return `
      <div class="row">${this.functionField("f(w, b) =")}${this.presetSelect()}</div>
      <div class="chart-box square"><canvas part="chart" role="img" tabindex="0"></canvas></div>
      <div class="row">
        <label class="slider">arrows <input type="range" name="arrows" min="3" max="40" step="1"></label>
        <label><input type="checkbox" name="descent"> show −∇f (downhill)</label>
        <label><input type="checkbox" name="pitfall"> np.gradient pitfall (outputs swapped)</label>
      </div>
      <p class="readout" part="readout" aria-live="polite"></p>
      <p class="hint">Move the probe by hovering, dragging, or with the arrow keys on the focused map.</p>`;
  }

  setup() {
    this.chart = new this.calculus.GradientField(this.canvas);
    const $ = (s) => this.root.querySelector(s);
    this.arrowsInput = $("input[name=arrows]");
    this.range = [-10, 10, -10, 10];
    this.wireFunction(
      () => this.refresh(),
      (range) => this.setRange(range),
    );
    this.arrowsInput.addEventListener("input", () => this.setArrows(Number(this.arrowsInput.value)));
    $("input[name=descent]").addEventListener("change", (e) => {
      this.chart.setDescent(e.target.checked);
      this.refresh();
    });
    $("input[name=pitfall]").addEventListener("change", (e) => {
      this.chart.setPitfall(e.target.checked);
      this.refresh();
    });
    const follow = (e) => this.moveTo(...this.pointAt(e));
    this.canvas.addEventListener("pointermove", (e) => {
      if (e.pointerType === "mouse" || e.buttons) follow(e);
    });
    this.canvas.addEventListener("pointerdown", (e) => {
      this.canvas.setPointerCapture(e.pointerId);
      follow(e);
    });
    this.canvas.addEventListener("keydown", (e) => {
      const step = ((this.range[1] - this.range[0]) / 40) * (e.shiftKey ? 5 : 1);
      const moves = { ArrowRight: [step, 0], ArrowLeft: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      if (!(e.key in moves)) return;
      this.moveTo(this.w + moves[e.key][0], this.b + moves[e.key][1]);
      e.preventDefault();
    });
    this.applyFunction(this.getAttribute("function") ?? SURFACES[0][0], true);
    this.setArrows(this.numberAttr("arrows", 11));
    this.moveTo(this.numberAttr("w", 3), this.numberAttr("b", 4));
  }

  attributeChangedCallback(name, old, value) {
    if (!this.chart || old === value) return;
    if (name === "function") this.applyFunction(value ?? SURFACES[0][0], true);
    else if (name === "w" || name === "b") this.moveTo(this.numberAttr("w", this.w), this.numberAttr("b", this.b));
    else if (name === "arrows") this.setArrows(this.numberAttr("arrows", 11));
    else this.requestDraw();
  }

  /** The (w, b) under a pointer event. */
  pointAt(event) {
    const rect = this.canvas.getBoundingClientRect();
    const frame = this.chart.frame;
    if (!frame) return [NaN, NaN];
    const point = [frame.xAt(event.clientX - rect.left), frame.yAt(event.clientY - rect.top)];
    frame.free();
    return point;
  }

  setRange([umin, umax, vmin, vmax]) {
    this.chart.setRange(umin, umax, vmin, vmax);
    this.range = [umin, umax, vmin, vmax];
    this.moveTo((umin + umax) / 2 + (umax - umin) / 8, (vmin + vmax) / 2 + (vmax - vmin) / 8);
  }

  setArrows(n) {
    n = Math.round(n);
    try {
      this.chart.setDensity(n);
    } catch (e) {
      this.showError(this.arrowsInput, e.message);
      return;
    }
    this.showError(this.arrowsInput, null);
    this.arrowsInput.value = String(n);
    this.refresh();
  }

  moveTo(w, b) {
    if (!Number.isFinite(w) || !Number.isFinite(b)) return;
    const [umin, umax, vmin, vmax] = this.range;
    const fine = (umax - umin) / 400;
    const snap = (x, lo, hi) => tidy(Math.min(hi, Math.max(lo, Math.round(x / fine) * fine)));
    this.w = snap(w, umin, umax);
    this.b = snap(b, vmin, vmax);
    this.refresh();
  }

  refresh() {
    if (this.w === undefined) return;
    this.setReadout(this.chart.readout(this.w, this.b));
    this.requestDraw();
  }

  paint(width, height, dpr, dark) {
    this.chart.draw(this.w, this.b, width, height, dpr, dark);
    this.canvas.setAttribute("aria-label", this.chart.describe(this.w, this.b));
  }
}

customElements.get("calc-gradient") ?? customElements.define("calc-gradient", CalcGradient);

// <calc-loss-curve for="lab">
// The loss at every step of a <calc-descent>'s run, on a log axis while the loss stays
// positive. Pointing at a step rings it here and on the lab's map.
import { CalcWidget } from "./widget.js";
import { xAt } from "./frame.js";
import { linkedLab } from "./linked.js";

export class CalcLossCurve extends CalcWidget {
  static observedAttributes = ["theme"];

  template() {
    return `
      <div class="chart-box"><canvas part="chart" role="img" tabindex="0"></canvas></div>
      ${this.readout(1, 1)}
      <p class="hint">Point at the curve (or focus it and use ← →) to find that step on the map.</p>`;
  }

  setup() {
    this.chart = new this.calculus.LossCurve(this.canvas);
    this.highlighted = -1;
    this.losses = new Float64Array(0);
    const stepAt = (e) => {
      const frame = this.chart.frame;
      if (!frame) return -1;
      const k = Math.round(xAt(frame, e.clientX - this.canvas.getBoundingClientRect().left));
      return k;
    };
    this.canvas.addEventListener("pointermove", (e) => this.point(stepAt(e)));
    this.canvas.addEventListener("pointerdown", (e) => this.point(stepAt(e)));
    this.canvas.addEventListener("pointerleave", (e) => e.pointerType === "mouse" && this.point(-1));
    this.canvas.addEventListener("keydown", (e) => {
      const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -Infinity, End: Infinity };
      if (!(e.key in moves)) return;
      e.preventDefault();
      const from = this.highlighted < 0 ? (this.lab?.k ?? 0) : this.highlighted;
      // Home is step 0, not "before the first step": point() reads a negative k as "none".
      this.point(Math.max(0, from + moves[e.key] * (e.shiftKey ? 10 : 1)));
    });
    this.canvas.addEventListener("blur", () => this.point(-1));
    // Drawn first with the lab's run, not empty before it.
    const release = this.holdFirstDraw();
    linkedLab(this, { start: true })
      .then((lab) => {
        this.lab = lab;
        lab.addEventListener("calc-change", () => this.refresh());
        this.refresh();
      })
      .catch((e) => this.attributeError("for", e.message))
      .finally(release);
  }

  attributeChangedCallback() {
    this.requestDraw();
  }

  refresh() {
    this.losses = this.lab.losses;
    // Handed over once per run, not at every redraw of a pointer's move.
    this.chart.setRun(this.losses, this.lab.iterations, this.lab.divergedAt);
    this.point(Math.min(this.highlighted, this.losses.length - 1));
    this.describeStep();
    this.requestDraw();
  }

  /** Rings step k here and on the lab's map (−1: none). */
  point(k) {
    const last = this.losses.length - 1;
    k = k < 0 || last < 0 ? -1 : Math.max(0, Math.min(last, k));
    if (k !== this.highlighted) {
      this.highlighted = k;
      this.lab?.highlight(k);
      this.describeStep();
      this.requestDraw();
    }
  }

  describeStep() {
    if (!this.lab) return;
    const k = this.highlighted >= 0 ? this.highlighted : this.lab.k;
    const loss = this.losses[k];
    const diverged = this.lab.divergedAt >= 0 ? `; the run diverged at step ${this.lab.divergedAt}` : "";
    this.setReadout(loss === undefined ? "No path." : `step ${k}: loss = ${this.format(loss)}${diverged}`);
  }

  paint(width, height, dpr, dark) {
    const lab = this.lab;
    this.chart.setStep(lab ? lab.k : 0, this.highlighted);
    this.chart.draw(width, height, dpr, dark);
    const log = this.chart.logScale;
    this.canvas.setAttribute(
      "aria-label",
      `Loss against step${log ? " on a log scale" : ""} for ${this.losses.length} points of the run. ${this.readoutEl.textContent}`,
    );
  }

  /** "Copy as Python" (web/python-scripts.js): the lab's run, at the step this chart shows. */
  pythonUnavailable() {
    return null;
  }

  pythonState() {
    if (!this.lab) throw new Error("it follows no lab on this page");
    return { ...this.lab.pythonState(), k: this.highlighted >= 0 ? this.highlighted : this.lab.k };
  }

  /** Copy embed code: the attributes that show what the widget shows now. */
  embedAttributes() {
    return { for: this.getAttribute("for") };
  }
}

customElements.get("calc-loss-curve") ?? customElements.define("calc-loss-curve", CalcLossCurve);

// <calc-gradient function="w^2 + b^2" w="3" b="4">
// Chapter 3's compass: level lines, the gradient field, and a probe whose dial shows the
// slope ∇f·u in every direction u, steepest along ∇f. A toggle puts the field of the classic
// np.gradient pitfall beside it, on a second map.
import { CalcWidget, tidy } from "./widget.js";
import { xAt, yAt } from "./frame.js";
import { GRADIENT, SURFACES } from "../pkg/book.js";

export class CalcGradient extends CalcWidget {
  static observedAttributes = ["function", "w", "b", "arrows", "downhill", "pitfall", "theme"];

  get presets() {
    return SURFACES;
  }

  template() {
    return `
      <div class="row">${this.functionField("f(w, b) =")}${this.presetSelect()}</div>
      <div class="maps">
        <div class="map">
          <p class="panel-title exact" hidden></p>
          <div class="chart-box square"><canvas part="chart" role="img" tabindex="0"></canvas></div>
        </div>
        <div class="map" hidden>
          <p class="panel-title wrong"></p>
          <div class="chart-box square"><canvas part="chart pitfall" role="img"></canvas></div>
        </div>
      </div>
      <div class="row probe-fields">
        <span>probe at</span>
        ${this.numberField("w", '<span class="axis">w</span> =', 'step="any"', this.startingNumber("w", GRADIENT.probe[0]))}
        ${this.numberField("b", '<span class="axis">b</span> =', 'step="any"', this.startingNumber("b", GRADIENT.probe[1]))}
      </div>
      <div class="row essential">
        <label class="slider">arrows <input type="range" name="arrows" min="${GRADIENT.arrowsRange[0]}" max="${GRADIENT.arrowsRange[1]}" step="1"
          value="${this.startingNumber("arrows", GRADIENT.arrows)}"></label>
        <label><input type="checkbox" name="descent"${this.hasAttribute("downhill") ? " checked" : ""}> show −∇f (downhill)</label>
        <label class="pitfall-toggle"><input type="checkbox" name="pitfall"${this.hasAttribute("pitfall") ? " checked" : ""}> beside it, the np.gradient pitfall</label>
      </div>
      ${this.readout(2)}
      <p class="hint">Move the probe by hovering, dragging, with the arrow keys on the focused map, or by typing where it goes.</p>`;
  }

  setup() {
    this.chart = new this.calculus.GradientField(this.canvas);
    const $ = (s) => this.root.querySelector(s);
    this.pitfallCanvas = $("canvas[part~=pitfall]");
    this.chart.attachPitfall(this.pitfallCanvas);
    this.pitfall = false;
    this.descent = false;
    this.arrowsInput = $("input[name=arrows]");
    this.range = SURFACES[0].range;
    this.wireFunction(
      () => {
        this.showPanels(); // the titles name the function's variables
        this.refresh();
      },
      ({ range }) => this.setRange(range),
      { presetAttributes: true },
    );
    this.arrowsInput.addEventListener("input", () => this.setArrows(Number(this.arrowsInput.value)));
    // Typed, the probe goes where the reader says (a screen reader's way to move it: arrow
    // keys on an image are not passed on in its browse mode).
    this.probeInputs = ["w", "b"].map((name) => $(`input[name=${name}]`));
    this.probeInputs.forEach((input, axis) =>
      this.wireNumberIn(input, () => this.range.slice(2 * axis, 2 * axis + 2), "the map's range", (v) =>
        this.moveTo(axis ? this.w : v, axis ? v : this.b, input),
      ),
    );
    this.descentInput = $("input[name=descent]");
    this.descentInput.addEventListener("change", (e) => this.setDescent(e.target.checked));
    $("input[name=pitfall]").addEventListener("change", (e) => this.setPitfall(e.target.checked));
    // The pitfall's map is measured on its own, like any canvas: it has no size while hidden.
    this.watchCanvas(this.pitfallCanvas);
    const follow = (e) => this.moveTo(...this.pointAt(e));
    // A mouse over the map shows the probe where it points; it stays where the reader put it
    // (a click, a drag, a key, a field), and goes back there as the mouse leaves: on its way to
    // the ⋯ menu the mouse used to drag the probe to the map's edge, and the copied link with it.
    this.canvas.addEventListener("pointermove", (e) => {
      if (e.buttons) follow(e);
      else if (e.pointerType === "mouse") this.moveTo(...this.pointAt(e), null, { preview: true });
    });
    this.canvas.addEventListener("pointerleave", (e) => {
      if (e.pointerType === "mouse" && this.placed) this.moveTo(...this.placed);
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
    this.applyFunction(this.getAttribute("function") ?? SURFACES[0].source, true);
    this.setArrows(this.numberAttr("arrows", GRADIENT.arrows, GRADIENT.arrowsRange));
    if (this.hasAttribute("downhill")) this.setDescent(true);
    if (this.hasAttribute("pitfall")) this.setPitfall(true);
    this.moveTo(this.numberAttr("w", GRADIENT.probe[0]), this.numberAttr("b", GRADIENT.probe[1]));
  }

  attributeChangedCallback(name, old, value) {
    if (!this.chart || old === value) return;
    if (name === "function") this.applyFunction(value ?? SURFACES[0].source, true);
    else if (name === "w" || name === "b") this.moveTo(this.numberAttr("w", this.w), this.numberAttr("b", this.b));
    else if (name === "arrows") this.setArrows(this.numberAttr("arrows", GRADIENT.arrows, GRADIENT.arrowsRange));
    else if (name === "downhill") this.setDescent(value !== null);
    else if (name === "pitfall") this.setPitfall(value !== null);
    else this.requestDraw();
  }

  /** The (w, b) under a pointer event. */
  pointAt(event) {
    const rect = this.canvas.getBoundingClientRect();
    const frame = this.chart.frame;
    if (!frame) return [NaN, NaN];
    const point = [xAt(frame, event.clientX - rect.left), yAt(frame, event.clientY - rect.top)];
    return point;
  }

  /** One map, or the exact one and the pitfall's side by side, each with its title. */
  showPanels() {
    const $ = (s) => this.root.querySelector(s);
    $(".maps").classList.toggle("pair", this.pitfall);
    $(".panel-title.exact").hidden = !this.pitfall;
    this.pitfallCanvas.closest(".map").hidden = !this.pitfall;
    const [u, v] = this.chart.axes.split(",");
    this.root.querySelectorAll(".probe-fields .axis").forEach((axis, i) => (axis.textContent = [u, v][i]));
    const minus = this.descent ? "−" : "";
    $(".panel-title.exact").textContent = `exact ${minus}∇f (correct)`;
    const negated = this.descent ? ", negated" : "";
    $(".panel-title.wrong").textContent = `dZ_d${u}, dZ_d${v} = np.gradient(Z)${negated} (wrong)`;
  }

  setRange([umin, umax, vmin, vmax]) {
    this.chart.setRange(umin, umax, vmin, vmax);
    this.range = [umin, umax, vmin, vmax];
    this.moveTo((umin + umax) / 2 + (umax - umin) / 8, (vmin + vmax) / 2 + (vmax - vmin) / 8);
  }

  /** Arrows of −∇f (downhill) instead of ∇f: the checkbox, or the `downhill` attribute. */
  setDescent(on) {
    this.descent = on;
    this.descentInput.checked = on;
    this.chart.setDescent(on);
    this.showPanels();
    this.refresh();
  }

  /** np.gradient's swapped field on a second map beside the exact one: the checkbox, or `pitfall`. */
  setPitfall(on) {
    this.pitfall = on;
    this.root.querySelector("input[name=pitfall]").checked = on;
    this.showPanels();
    this.refresh();
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

  /**
   * Puts the probe at (w, b), inside the map; its fields follow. Pointed at or stepped to, it
   * sits on the map's grid of 400 steps (tidy readouts); typed (`except`, the field typed in),
   * exactly where the reader says. A `preview` (the mouse passing over) leaves where the reader
   * placed it (`placed`), and the fields, as they were.
   */
  moveTo(w, b, except = null, { preview = false } = {}) {
    if (!Number.isFinite(w) || !Number.isFinite(b)) return;
    const [umin, umax, vmin, vmax] = this.range;
    const fine = (umax - umin) / 400;
    const grid = (x) => (except ? x : Math.round(x / fine) * fine);
    const snap = (x, lo, hi) => tidy(Math.min(hi, Math.max(lo, grid(x))));
    this.w = snap(w, umin, umax);
    this.b = snap(b, vmin, vmax);
    this.chart.setProbe(this.w, this.b);
    if (preview) return this.refresh();
    this.placed = [this.w, this.b];
    for (const [axis, input] of this.probeInputs.entries()) {
      if (input === except) continue;
      this.showValue(input, axis ? this.b : this.w);
      // Moved another way, a field's refused text is gone, and its message with it.
      if (input.getAttribute("aria-invalid") === "true") this.showError(input, null);
    }
    this.refresh();
  }

  refresh() {
    if (this.w === undefined) return;
    this.setReadout(this.chart.readout());
    this.requestDraw();
  }

  paint(width, height, dpr, dark) {
    this.chart.draw(width, height, dpr, dark);
    this.canvas.setAttribute("aria-label", this.chart.describe());
    const size = this.canvasSize(this.pitfallCanvas);
    if (this.pitfall && size.width >= 1 && size.height >= 1) {
      this.chart.drawPitfall(size.width, size.height, dpr, dark);
      this.pitfallCanvas.setAttribute("aria-label", this.chart.describePitfall());
    }
  }

  /** "Copy as Python" (web/python-scripts.js): what its script reproduces. */
  pythonUnavailable() {
    return null;
  }

  pythonState() {
    return {
      source: this.functionShown, names: this.chart.axes.split(","), w: this.w, b: this.b, range: this.range,
      arrows: Number(this.arrowsInput.value), downhill: this.descent,
    };
  }

  /** Copy embed code: the attributes that show what the widget shows now. */
  embedAttributes() {
    const arrows = Number(this.arrowsInput.value);
    const [w, b] = this.placed;
    return { function: this.functionShown, w, b, arrows: arrows === GRADIENT.arrows ? undefined : arrows, downhill: this.descent, pitfall: this.pitfall };
  }
}

customElements.get("calc-gradient") ?? customElements.define("calc-gradient", CalcGradient);

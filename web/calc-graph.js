// <calc-graph function="tanh(x1*w1 + x2*w2 + b)" step="end">
// Chapter 5's computational graph of any formula: the engine's graph (a subexpression written
// twice is one node) in layers from the inputs to the output, its forward pass node by node,
// then its backward pass edge by edge, each edge passing upstream × local back to its input.
// Every number and every step comes from the wasm chart (Graph::backward_steps); this file
// only wires controls, keys and the pointer to it.
import { CalcWidget, tidy } from "./widget.js";
import { GRAPH_PRESETS } from "../pkg/book.js";
import { escapeMarkup } from "./markup.js";
import { MONO_FONT } from "./style.js";

/** The graph's own sizes: taller than a plot, and taller still on a phone (it turns upright). */
const graphStyles = new CSSStyleSheet();
graphStyles.replaceSync(`
.chart-box.graph { height: var(--calc-height, 400px); }
.values { gap: 0.4rem 0.8rem; }
/* Until the first draw adds a field per variable, two rows of them (the neuron's five). */
.widget[aria-busy] .values:empty { min-height: 5.6rem; }
.widget[aria-busy] .k-value:empty::before { content: "00 / 00"; visibility: hidden; }
.values input[type="number"] { width: 9.5rem; }
@media (max-width: 480px) {
  .chart-box.graph { height: var(--calc-height-narrow, 460px); }
  .values input[type="number"] { width: 5.5rem; }
}
.node-readout { margin: 0; font-family: ${MONO_FONT}; font-size: 0.92em; overflow-wrap: anywhere; min-height: 1.4em; }
.walk button { min-width: 4.2rem; }
/* A sideways drag on an input's node sets its value; vertical swipes still scroll the page. */
.chart-box.graph canvas { touch-action: pan-y; }
`);

export class CalcGraph extends CalcWidget {
  static observedAttributes = ["function", "values", "step", "node", "theme"];

  /** The graph's examples (the book's facts; the chart gives each its author's values). */
  get presets() {
    return GRAPH_PRESETS;
  }

  template() {
    this.shadowRoot.adoptedStyleSheets = [...this.shadowRoot.adoptedStyleSheets, graphStyles];
    return `
      <div class="row">${this.functionField("f =")}${this.presetSelect()}</div>
      <div class="row values" role="group" aria-label="values of the inputs"></div>
      <div class="chart-box graph"><canvas part="chart" role="img" tabindex="0"></canvas></div>
      <div class="row walk">
        <button type="button" name="reset">Reset</button>
        <button type="button" name="back">Back</button>
        <button type="button" name="step">Step</button>
        <button type="button" name="play">Play</button>
        <label class="slider">step <input type="range" name="k" min="0" step="1"></label>
        <output aria-live="off" class="value k-value"></output>
      </div>
      ${this.readout(2)}
      <div class="row"><label>Node <select name="node"></select></label></div>
      <p class="node-readout" part="node-readout"></p>
      <p class="hint">Step runs the forward pass node by node, then the backward pass edge by edge.
        On the focused graph: → or Space steps, ← steps back, Home and End jump, ↑ ↓ pick a node.
        Point at a node (or pick it from the list) to see ∂f/∂node. Drag an input's node sideways
        to change its value (0.01 a pixel).</p>`;
  }

  setup() {
    const $ = (s) => this.root.querySelector(s);
    this.chart = new this.calculus.GraphChart(this.canvas);
    this.valuesRow = $(".values");
    this.kSlider = $("input[name=k]");
    this.nodeSelect = $("select[name=node]");
    this.playButton = $("button[name=play]");
    this.nodeReadoutEl = $("[part~=node-readout]");
    this.focused = -1;
    this.wireFunction(() => this.rebuild());
    $("button[name=reset]").addEventListener("click", () => this.showStep(0, true));
    $("button[name=back]").addEventListener("click", () => this.showStep(this.chart.step - 1, true));
    $("button[name=step]").addEventListener("click", () => this.stepOnce());
    this.playButton.addEventListener("click", () => (this.playing ? this.pause() : this.play()));
    this.kSlider.addEventListener("input", () => this.showStep(Number(this.kSlider.value), true));
    this.nodeSelect.addEventListener("change", () => this.setFocus(Number(this.nodeSelect.value)));
    this.wireKeys();
    this.wirePointer();
    this.applyFunction(this.getAttribute("function") ?? this.presets[0].source, true);
    this.applyValuesAttribute();
    this.applyStepAttribute();
    this.applyNodeAttribute();
  }

  attributeChangedCallback(name, old, value) {
    if (!this.chart || old === value) return;
    if (name === "function") {
      this.applyFunction(value ?? this.presets[0].source, true);
      this.applyValuesAttribute();
    } else if (name === "values") this.applyValuesAttribute();
    else if (name === "step") this.applyStepAttribute();
    else if (name === "node") this.applyNodeAttribute();
    else this.requestDraw();
  }

  /** `values="a=2.5; b=1"`: the inputs' values, over the formula's own. */
  applyValuesAttribute() {
    const raw = this.getAttribute("values");
    const problems = [];
    for (const pair of raw ? raw.split(";") : []) {
      const [name, text] = pair.split("=").map((s) => s.trim());
      const k = this.chart.variables.indexOf(name);
      const v = Number(text);
      if (k < 0) problems.push(`"${name}" is not one of ${this.chart.variables.join(", ")}.`);
      else if (!text || !Number.isFinite(v)) problems.push(`${name}'s "${text ?? ""}" is not a number.`);
      else this.chart.setValue(k, v);
    }
    this.attributeError("values", problems.length ? `values="${raw}": ${problems.join(" ")} The formula's own are used there.` : null);
    this.valuesRow.querySelectorAll("input").forEach((input, k) => (input.value = String(this.chart.value(k))));
    this.showStep(this.chart.step);
  }

  /** Every node's name, as the Node list shows it. */
  get nodeNames() {
    return Array.from({ length: this.chart.nodeCount }, (_, i) => this.chart.nodeName(i));
  }

  /** `node="a + b"`: the node picked, by its name in the Node list. */
  applyNodeAttribute() {
    const raw = this.getAttribute("node");
    const i = raw === null ? -1 : this.nodeNames.indexOf(raw.trim());
    this.attributeError("node", raw !== null && i < 0 ? `node="${raw}" is none of the graph's nodes, so none is picked.` : null);
    this.setFocus(i);
  }

  /** `step="end"` (the whole backward pass), `"forward"` (the default) or a number of steps. */
  applyStepAttribute() {
    const raw = this.getAttribute("step");
    if (raw === null || raw === "forward") return this.showStep(this.chart.forwardSteps);
    if (raw === "end") return this.showStep(this.chart.steps);
    const k = this.numberAttr("step", this.chart.forwardSteps, [0, this.chart.steps]);
    this.showStep(Math.round(k));
  }

  /** After a new formula: a field per variable, the list of nodes, the timeline's length. */
  rebuild() {
    this.pause();
    const names = this.chart.variables;
    this.valuesRow.innerHTML = names
      .map((name, k) => this.numberField(`var-${k}`, `${escapeMarkup(name)} =`, `step="any" value="${this.chart.value(k)}"`))
      .join("");
    this.valuesRow.querySelectorAll("input").forEach((input, k) =>
      input.addEventListener("input", () => this.setValue(k, input)),
    );
    this.formulaValues = names.map((_, k) => this.chart.value(k));
    const options = [`<option value="-1">none</option>`];
    this.nodeNames.forEach((name, i) => options.push(`<option value="${i}">${escapeMarkup(name)}</option>`));
    this.nodeSelect.innerHTML = options.join("");
    this.kSlider.max = String(this.chart.steps);
    this.setFocus(-1);
    this.showStep(this.chart.step);
  }

  setValue(k, input) {
    const v = input.valueAsNumber;
    try {
      if (input.value.trim() === "" || !Number.isFinite(v)) throw new Error(`${this.chart.variables[k]} must be a number`);
      this.chart.setValue(k, v);
    } catch (e) {
      this.showError(input, `${e.message}; the graph keeps ${this.chart.value(k)}.`);
      return;
    }
    this.showError(input, null);
    this.showStep(this.chart.step);
  }

  /** Moves the timeline to step k (clamped); `byReader` pauses a playing walk. */
  showStep(k, byReader = false) {
    if (byReader) this.pause();
    this.chart.setStep(Math.max(0, Math.min(this.chart.steps, k)));
    const step = this.chart.step;
    this.kSlider.value = String(step);
    this.kSlider.setAttribute("aria-valuetext", `step ${step} of ${this.chart.steps}`);
    this.root.querySelector(".k-value").textContent = `${step} / ${this.chart.steps}`;
    this.setReadout(this.chart.readout());
    this.showNode();
    this.requestDraw();
  }

  /** One step on; after the last, back to the start. */
  stepOnce() {
    this.pause();
    const k = this.chart.step;
    this.showStep(k >= this.chart.steps ? 0 : k + 1);
  }

  /** Plays the walk to the end, about two steps a second (faster on a big graph). */
  play() {
    if (this.chart.step >= this.chart.steps) this.showStep(0);
    const perSecond = Math.max(2, this.chart.steps / 15);
    const show = (k) => k !== this.chart.step && this.showStep(k);
    this.playFrom(this.chart.step, perSecond, show, () => this.chart.step >= this.chart.steps);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.pause();
  }

  wireKeys() {
    this.canvas.addEventListener("keydown", (e) => {
      const k = this.chart.step;
      const count = this.chart.nodeCount;
      if (e.key === "ArrowRight" || e.key === " ") this.stepOnce();
      else if (e.key === "ArrowLeft") this.showStep(k - 1, true);
      else if (e.key === "Home") this.showStep(0, true);
      else if (e.key === "End") this.showStep(this.chart.steps, true);
      else if (e.key === "ArrowDown") this.setFocus(this.focused < 0 ? 0 : (this.focused + 1) % count);
      else if (e.key === "ArrowUp") this.setFocus(this.focused <= 0 ? count - 1 : this.focused - 1);
      else if (e.key === "Escape") this.setFocus(-1);
      else return;
      e.preventDefault();
    });
  }

  /**
   * A hover shows a node; a press (mouse, touch or pen) picks it, a press elsewhere lets go.
   * Dragging an input's node sideways sets its value, 0.01 a pixel, through its field.
   */
  wirePointer() {
    const at = (e) => {
      const box = this.canvas.getBoundingClientRect();
      return this.chart.nodeAt(e.clientX - box.left, e.clientY - box.top);
    };
    this.canvas.addEventListener("pointermove", (e) => {
      if (this.drag) {
        const { k, x, from } = this.drag;
        const input = this.valuesRow.querySelector(`input[name=var-${k}]`);
        input.value = String(tidy(Math.round((from + (e.clientX - x) * 0.01) * 100) / 100));
        this.setValue(k, input);
      } else if (e.pointerType === "mouse") this.setFocus(at(e), false);
    });
    this.canvas.addEventListener("pointerleave", () => this.setFocus(this.picked ?? -1, false));
    this.canvas.addEventListener("pointerdown", (e) => {
      const i = at(e);
      this.setFocus(i);
      // The engine puts the inputs first, in `variables` order: node k is input k.
      if (i >= 0 && i < this.chart.variables.length) {
        this.drag = { k: i, x: e.clientX, from: this.chart.value(i) };
        this.canvas.setPointerCapture(e.pointerId);
      }
    });
    const release = () => (this.drag = null);
    this.canvas.addEventListener("pointerup", release);
    this.canvas.addEventListener("pointercancel", release);
  }

  /** Outlines node i (−1: none) and shows ∂f/∂node; `pick` keeps it after the pointer leaves. */
  setFocus(i, pick = true) {
    if (pick) this.picked = i;
    if (i === this.focused) return;
    this.focused = i;
    this.chart.setFocus(i);
    this.nodeSelect.value = String(i);
    this.showNode();
    this.requestDraw();
  }

  showNode() {
    const text = this.focused >= 0 ? this.chart.nodeReadout(this.focused) : "";
    if (this.nodeReadoutEl.textContent === text) return;
    this.nodeReadoutEl.textContent = text;
    this.announce(text);
  }

  paint(width, height, dpr, dark) {
    this.chart.draw(width, height, dpr, dark);
    this.canvas.setAttribute("aria-label", this.chart.describe());
  }

  /** "Copy as Python" (web/python-scripts.js): the formula, its inputs, the step and the node picked. */
  pythonUnavailable() {
    return null;
  }

  pythonState() {
    const { chart } = this;
    return {
      source: chart.source,
      values: Object.fromEntries(chart.variables.map((name, k) => [name, chart.value(k)])),
      names: this.nodeNames,
      step: chart.step,
      focus: this.focused,
    };
  }

  /** Copy embed code: the attributes that show what the widget shows now. */
  embedAttributes() {
    const { step, forwardSteps, steps, variables } = this.chart;
    // The inputs the reader changed from the formula's own, and the node picked.
    const values = variables.map((name, k) => [name, this.chart.value(k)]).filter(([, v], k) => v !== this.formulaValues[k]);
    return {
      function: this.functionShown,
      values: values.length ? values.map(([name, v]) => `${name}=${v}`).join("; ") : undefined,
      step: step === forwardSteps ? undefined : step === steps ? "end" : step,
      node: this.picked >= 0 ? this.chart.nodeName(this.picked) : undefined,
    };
  }
}

customElements.get("calc-graph") ?? customElements.define("calc-graph", CalcGraph);

// <calc-tiny-network x1="0.05" x2="0.1" y="0.01" rate="0.5" activation="sigmoid" stop="1">
// Chapter 5's tiny network, trained by hand: a 2-2-1 network on one example, walked through
// one training step (forward, loss, backward layer by layer, the step, the loss after), with
// every number in a table beside the chain-rule formula that produced it. The numbers, the
// formulas and the defaults are the chart's (crates/calculus-wasm/src/chart/tiny_network.rs);
// this element wires fields and buttons to it.
import { CalcWidget } from "./widget.js";
import { changedFrom } from "./widget-menu.js";
import { ACTIVATIONS, TINY_NETWORK } from "../pkg/book.js";

/** The fields, by input name: the label a reader sees and how the chart sets it. */
const SETTINGS = [
  { name: "x1", label: "x₁", set: (chart, v) => chart.setInput(0, v), get: (chart) => chart.inputs[0], start: TINY_NETWORK.inputs[0] },
  { name: "x2", label: "x₂", set: (chart, v) => chart.setInput(1, v), get: (chart) => chart.inputs[1], start: TINY_NETWORK.inputs[1] },
  { name: "y", label: "target y", set: (chart, v) => chart.setTarget(v), get: (chart) => chart.target, start: TINY_NETWORK.target },
  { name: "rate", label: "learning rate η", set: (chart, v) => chart.setRate(v), get: (chart) => chart.rate, start: TINY_NETWORK.rate },
];
/** The most steps the `steps` attribute takes: many more than the loss needs to settle. */
const MAX_STEPS_AGAIN = 1000;

/** The starting parameters' fields, in the engine's layout (W₁ row by row, b₁, b₂, W₂, b₃). */
const PARAMETERS = ["w₁", "w₂", "w₃", "w₄", "b₁", "b₂", "w₅", "w₆", "b₃"].map((label, index) => ({
  name: `p${index}`,
  label,
  set: (chart, v) => chart.setParameter(index, v),
  get: (chart) => chart.start[index],
  start: TINY_NETWORK.start[index],
}));

/** The `start` attribute's nine numbers, w₁ … b₃ as the fields list them; null if it is not that. */
function startOf(raw) {
  const values = raw?.split(",").map((s) => Number(s.trim()));
  return values?.length === PARAMETERS.length && values.every(Number.isFinite) ? values : null;
}

/** The table of numbers and the walk's controls; colours are the theme's, through style.js. */
const tinyStyles = new CSSStyleSheet();
tinyStyles.replaceSync(`
.widget { container-type: inline-size; }
/* Under 640 px the diagram's layers run down the page (tiny_network.rs's Layout). */
@container (max-width: 639.9px) { .chart-box { height: 420px; } }
.numbers caption { text-align: left; font-weight: 600; padding: 0.2rem 0 0.4rem; }
.numbers th[scope="row"], .numbers td.value { white-space: nowrap; }
.numbers td.rule { color: var(--muted); }
.numbers td { overflow-wrap: anywhere; }
.weights .row { margin-top: 0.5rem; }
/* Until the first draw fills it, the table holds about the place of its four rows: on one
   line each where the widget is wide, on two below about 600 px of content (measured here
   with the site's fonts, which set where the rules wrap). */
.widget[aria-busy] .numbers { height: 9.6rem; }
@container (max-width: 598px) { .widget[aria-busy] .numbers { height: 14.55rem; } }
.walk .stop-value { color: var(--muted); font-variant-numeric: tabular-nums; }
button:disabled { opacity: 0.55; cursor: not-allowed; }
@media (max-width: 480px) {
  .numbers thead { display: none; }
  .numbers tr, .numbers th, .numbers td { display: block; border: 0; padding: 0.05rem 0.2rem; }
  .numbers td { padding-left: 1.2rem; }
  .numbers tr { border-bottom: 1px solid var(--border); padding: 0.3rem 0; }
  .widget[aria-busy] .numbers { height: 26.3rem; }
}
`);

export class CalcTinyNetwork extends CalcWidget {

  constructor() {
    super();
    this.shadowRoot.adoptedStyleSheets = [...this.shadowRoot.adoptedStyleSheets, tinyStyles];
  }

  static observedAttributes = ["x1", "x2", "y", "rate", "activation", "start", "steps", "stop", "theme"];

  template() {
    // The book's numbers, or an attribute's, shown while the wasm arrives (setup checks them).
    const given = startOf(this.getAttribute("start"));
    const field = ({ name, label }, value) => this.numberField(name, label, 'step="any"', value);
    const settings = SETTINGS.map((spec) => field(spec, this.startingNumber(spec.name, spec.start)));
    const parameters = PARAMETERS.map((spec, i) => field(spec, given?.[i] ?? spec.start));
    const activations = ACTIVATIONS.map(([v, label]) => `<option value="${v}"${v === this.getAttribute("activation") ? " selected" : ""}>${label}</option>`).join("");
    return `
      <div class="row settings">${settings.join("")}
        <label>hidden activation <select name="activation">${activations}</select></label>
        <span class="error" id="${this.uid}-activation-error" aria-live="assertive"></span></div>
      <details class="weights"><summary>Starting weights and biases</summary>
        <div class="row">${parameters.join("")}</div></details>
      <div class="chart-box"><canvas part="chart" role="img" tabindex="0"></canvas></div>
      <div class="row walk" role="group" aria-label="walk through the training step">
        <button type="button" name="back"${this.startingNumber("stop", 1) > 1 ? "" : " disabled"}>← Back</button>
        <button type="button" name="next">Next →</button>
        <button type="button" name="reset">Reset</button>
        <button type="button" name="again">Step again</button>
        <span class="stop-value"></span>
        <span class="error" id="${this.uid}-again-error" aria-live="assertive"></span>
      </div>
      <table class="numbers"><caption></caption><thead><tr><th scope="col">quantity</th>
          <th scope="col">rule</th><th scope="col">with the numbers</th><th scope="col">value</th></tr></thead>
          <tbody></tbody></table>
      ${this.readout(2, 3)}
      <p class="hint">Next and Back walk through one training step (on the focused diagram: ← →, Home, End).
        Step again takes the step and walks on from the new weights: watch the loss fall.</p>`;
  }

  setup() {
    this.chart = new this.calculus.TinyNetworkChart(this.canvas);
    const $ = (s) => this.root.querySelector(s);
    this.caption = $("table.numbers caption");
    this.body = $("table.numbers tbody");
    this.stepError = $(`#${this.uid}-again-error`);
    for (const spec of [...SETTINGS, ...PARAMETERS]) {
      const input = $(`input[name=${spec.name}]`);
      input.value = String(spec.get(this.chart));
      input.addEventListener("input", () => this.setField(spec, input));
    }
    this.activation = $("select[name=activation]");
    this.activation.value = this.chart.activation;
    this.activation.addEventListener("change", () => this.setActivation(this.activation.value));
    $("button[name=back]").addEventListener("click", () => this.go(this.chart.stop - 1));
    $("button[name=next]").addEventListener("click", () => this.go(this.chart.stop + 1));
    $("button[name=reset]").addEventListener("click", () => this.reset());
    $("button[name=again]").addEventListener("click", () => this.stepAgain());
    this.canvas.addEventListener("keydown", (e) => {
      const last = this.chart.stops - 1;
      const to = { ArrowRight: this.chart.stop + 1, ArrowLeft: this.chart.stop - 1, Home: 0, End: last }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      this.go(to);
    });
    // The chart's own example, before any attribute: what the embed code leaves unsaid.
    this.example = this.state();
    for (const name of ["x1", "x2", "y", "rate", "activation", "start", "steps", "stop"]) this.applyAttribute(name);
    this.refresh();
  }

  /** The starting parameters as the `start` attribute writes them, in the engine's layout. */
  startText() {
    return Array.from(this.chart.start).join(", ");
  }

  attributeChangedCallback(name, old, value) {
    if (!this.chart || old === value) return;
    if (name === "theme") this.requestDraw();
    else {
      this.applyAttribute(name);
      this.refresh();
    }
  }

  /** Applies one attribute; a bad one is reported in the widget and the chart keeps its state. */
  applyAttribute(name) {
    const raw = this.getAttribute(name);
    if (raw === null) return this.attributeError(name, null);
    if (name === "activation") {
      const message = this.tryChart(() => this.chart.setActivation(raw.trim()));
      this.activation.value = this.chart.activation;
      return this.attributeError(name, message && `activation="${raw}": ${message}, so ${this.chart.activation} is used.`);
    }
    if (name === "start") {
      // Nine numbers, w₁ … b₃ as the "Starting weights" fields list them; a walk restarts.
      const values = startOf(raw);
      const message = !values
        ? `should be ${PARAMETERS.length} numbers, ${PARAMETERS.map((p) => p.label).join(", ")}, joined by commas`
        : values.map((v, i) => this.tryChart(() => PARAMETERS[i].set(this.chart, v))).find(Boolean);
      for (const spec of PARAMETERS) this.root.querySelector(`input[name=${spec.name}]`).value = String(spec.get(this.chart));
      this.attributeError(name, message ? `start="${raw}": ${message}, so the example's are used where it does not say.` : null);
      return ["steps", "stop"].forEach((later) => this.applyAttribute(later));
    }
    if (name === "steps") {
      // Steps taken with Step again, from the starting weights.
      const steps = Math.round(this.numberAttr("steps", 0, [0, MAX_STEPS_AGAIN]));
      const stop = this.chart.stop;
      this.tryChart(() => this.chart.reset());
      for (let k = 0; k < steps; k++) this.tryChart(() => this.chart.stepAgain());
      return this.chart.setStop(stop);
    }
    if (name === "stop") {
      const stop = Number(raw);
      const ok = Number.isInteger(stop) && stop >= 1 && stop <= this.chart.stops;
      if (ok) this.chart.setStop(stop - 1);
      return this.attributeError(name, ok ? null : `stop="${raw}" should be a whole number from 1 to ${this.chart.stops}, so ${this.chart.stop + 1} is used.`);
    }
    const spec = SETTINGS.find((s) => s.name === name);
    const kept = spec.get(this.chart);
    const value = this.numberAttr(name, kept);
    const message = this.tryChart(() => spec.set(this.chart, value));
    if (message) this.attributeError(name, `${name}="${raw}": ${message}, so ${this.format(kept)} is used.`);
    this.root.querySelector(`input[name=${name}]`).value = String(spec.get(this.chart));
  }

  /** Runs a chart setter; its error's message, or null when it took. */
  tryChart(set) {
    try {
      set();
      return null;
    } catch (e) {
      return e.message;
    }
  }

  /** A field typed in: the chart takes the value, or the message goes beside the field. */
  setField(spec, input) {
    // An unfinished number ("-", "1e") reads as empty: say so rather than setting 0.
    const value = input.value.trim() === "" ? NaN : Number(input.value);
    const message = this.tryChart(() => spec.set(this.chart, value));
    this.showError(input, message && `${message}. The network keeps ${spec.label} = ${this.format(spec.get(this.chart))}.`);
    if (!message) this.restarted();
  }

  setActivation(name) {
    const message = this.tryChart(() => this.chart.setActivation(name));
    this.root.querySelector(`#${this.uid}-activation-error`).textContent = message ?? "";
    this.restarted();
  }

  go(stop) {
    this.chart.setStop(Math.max(0, Math.min(this.chart.stops - 1, stop)));
    this.refresh();
  }

  reset() {
    this.tryChart(() => this.chart.reset());
    this.restarted();
  }

  stepAgain() {
    const message = this.tryChart(() => this.chart.stepAgain());
    this.stepError.textContent = message ? `${message}.` : "";
    this.refresh();
  }

  /** The walk starts afresh from the starting weights: an old step's message goes. */
  restarted() {
    this.stepError.textContent = "";
    this.refresh();
  }

  /** The stop's title, its table, the readout and the buttons, then a redraw. */
  refresh() {
    const { chart } = this;
    const stop = chart.stop;
    const title = chart.stopTitle(stop);
    this.root.querySelector(".stop-value").textContent = `Stop ${stop + 1} of ${chart.stops}` +
      (chart.steps ? `, after ${chart.steps} step${chart.steps > 1 ? "s" : ""} taken` : "");
    this.root.querySelector("button[name=back]").disabled = stop === 0;
    this.root.querySelector("button[name=next]").disabled = stop === chart.stops - 1;
    this.caption.textContent = `${stop + 1}. ${title}`;
    const cells = chart.rows();
    const rows = [];
    for (let i = 0; i < cells.length; i += 4) {
      const [quantity, rule, numbers, value] = cells.slice(i, i + 4);
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = quantity;
      tr.append(th);
      for (const [text, cls] of [[`= ${rule}`, "rule"], [numbers && `= ${numbers}`, "numbers"], [`= ${value}`, "value"]]) {
        const td = document.createElement("td");
        td.className = cls;
        td.textContent = text;
        tr.append(td);
      }
      rows.push(tr);
    }
    this.body.replaceChildren(...rows);
    this.setReadout(chart.readout());
    this.requestDraw();
  }

  paint(width, height, dpr, dark) {
    this.chart.draw(width, height, dpr, dark);
    this.canvas.setAttribute("aria-label", this.chart.describe());
  }

  /** "Copy as Python" (web/python-scripts.js): the example, the start, the steps taken, the stop. */
  pythonUnavailable() {
    return null;
  }

  pythonState() {
    const c = this.chart;
    return {
      inputs: c.inputs, target: c.target, rate: c.rate, activation: c.activation, start: c.start, steps: c.steps,
      stop: c.stop, title: c.stopTitle(c.stop),
    };
  }

  /** Copy embed code: the attributes that show what the widget shows now. */
  embedAttributes() {
    return changedFrom(this.state(), this.example);
  }

  /** Everything its attributes can say, as they would say it. */
  state() {
    const c = this.chart;
    return { x1: c.inputs[0], x2: c.inputs[1], y: c.target, rate: c.rate, activation: c.activation, start: this.startText(), steps: c.steps, stop: c.stop + 1 };
  }
}

customElements.get("calc-tiny-network") ?? customElements.define("calc-tiny-network", CalcTinyNetwork);

// <calc-deep-gradients depth="10" width="32" activation="sigmoid" init="normal" sigma="0.1" seed="1">
// Chapter 6's deep network: the gradient's size at every layer on a log axis, and beside it
// how much each hidden layer's outputs still vary. Sigmoid with small weights fades by
// orders of magnitude towards the input; ReLU with He stays level.
import { CalcWidget, tidy } from "./widget.js";
import { changedFrom } from "./widget-menu.js";
import { DEEP_GRADIENTS as D } from "../pkg/book.js";

const [SIGMA_MIN, SIGMA_MAX] = D.sigmaRange;
/** The σ slider is logarithmic: position t means σ = 10^t, kept to two significant digits. */
const sigmaOf = (t) => Number((10 ** t).toPrecision(2));
const names = (list) => list.map(([name]) => name);

export class CalcDeepGradients extends CalcWidget {

  static observedAttributes = ["depth", "width", "activation", "init", "sigma", "seed", "theme"];

  template() {
    const options = (list) => list.map(([value, label]) => `<option value="${value}">${label}</option>`).join("");
    const slider = (name, label, [min, max], step) => `
        <label class="slider">${label} <input type="range" name="${name}" min="${min}" max="${max}" step="${step}">
          <output aria-live="off" class="value ${name}-value"></output></label>`;
    return `
      <div class="row">
        ${slider("depth", "Hidden layers", D.depthRange, 1)}
        ${slider("width", "Width", D.widthRange, 1)}
      </div>
      <div class="row essential">
        <label>Activation <select name="activation">${options(D.activations)}</select></label>
        <label>Initialisation <select name="init">${options(D.inits)}</select></label>
        <button type="button" name="resample">Re-sample weights</button>
        <span class="seed-value hint"></span>
      </div>
      <div class="row">
        ${slider("sigma", "σ", [Math.log10(SIGMA_MIN), Math.log10(SIGMA_MAX)], 0.01)}
      </div>
      <div class="pair">
        <div><p class="panel-title" id="${this.uid}-grad-title">Gradient of each layer's weights, ‖∂L/∂W‖</p>
          <div class="chart-box"><canvas part="chart" role="img" aria-describedby="${this.uid}-grad-title"></canvas></div></div>
        <div><p class="panel-title" id="${this.uid}-spread-title">Spread of each hidden layer's outputs</p>
          <div class="chart-box"><canvas part="chart spread" role="img" aria-describedby="${this.uid}-spread-title"></canvas></div></div>
      </div>
      ${this.readout(2)}
      <p class="hint">One batch: ${D.points} points of the ${D.dataset} dataset, their labels as targets, the bce loss
        (BCEWithLogitsLoss) on the single output. Both axes are logarithmic: one grid line is a factor of 10.
        Layer 1 reads only 2 inputs per unit where the others read the width, so its bar sits a little lower
        even when nothing vanishes. The spread is each unit's standard deviation over the batch, averaged
        (root mean square) over the layer's units.</p>`;
  }

  setup() {
    const $ = (s) => this.root.querySelector(s);
    this.spreadCanvas = $("canvas[part~=spread]");
    this.chart = new this.calculus.DeepGradients(this.canvas, this.spreadCanvas);
    this.inputs = Object.fromEntries(["depth", "width", "sigma", "activation", "init"].map((n) => [n, $(`[name=${n}]`)]));
    this.settings = {
      depth: D.depth,
      width: D.width,
      activation: D.activations[D.activation][0],
      init: D.inits[D.init][0],
      sigma: D.sigma,
    };
    for (const name of ["depth", "width"]) {
      this.inputs[name].addEventListener("input", () => this.apply({ [name]: Number(this.inputs[name].value) }));
    }
    this.inputs.sigma.addEventListener("input", () => this.apply({ sigma: sigmaOf(Number(this.inputs.sigma.value)) }));
    this.logSliderKeys(this.inputs.sigma, { value: () => this.settings.sigma, set: (sigma) => this.apply({ sigma }), range: D.sigmaRange });
    for (const name of ["activation", "init"]) {
      this.inputs[name].addEventListener("change", () => this.apply({ [name]: this.inputs[name].value }));
    }
    $("button[name=resample]").addEventListener("click", () => this.setSeed(this.chart.seed + 1));
    // The spread chart is measured on its own: in a narrow widget it sits under the other.
    this.watchCanvas(this.spreadCanvas);
    this.readAttributes();
  }

  /** Every attribute again: a bad one is reported and the book's default used instead. */
  readAttributes() {
    const choice = (name, list, fallback) => {
      const raw = this.getAttribute(name);
      const ok = raw === null || names(list).includes(raw);
      this.attributeError(name, ok ? null : `${name}="${raw}" is not one of ${names(list).join(", ")}, so ${fallback} is used.`);
      return ok && raw !== null ? raw : fallback;
    };
    const ranged = (name, [lo, hi], fallback, whole) => {
      const v = this.numberAttr(name, fallback);
      const ok = Number.isFinite(v) && v >= lo && v <= hi && (!whole || Number.isInteger(v));
      if (!ok) this.attributeError(name, `${name}="${this.getAttribute(name)}" is outside ${lo} to ${hi}${whole ? " (whole numbers)" : ""}, so ${fallback} is used.`);
      return ok ? v : fallback;
    };
    this.apply({
      depth: ranged("depth", D.depthRange, D.depth, true),
      width: ranged("width", D.widthRange, D.width, true),
      activation: choice("activation", D.activations, D.activations[D.activation][0]),
      init: choice("init", D.inits, D.inits[D.init][0]),
      sigma: ranged("sigma", D.sigmaRange, D.sigma, false),
    });
    this.setSeed(ranged("seed", [1, 1e9], D.seed, true));
  }

  /** New settings for the network; the chart keeps its last good ones if it refuses them. */
  apply(changes) {
    const next = { ...this.settings, ...changes };
    try {
      this.chart.setNetwork(next.depth, next.width, next.activation, next.init, next.sigma);
      this.settings = next;
      this.attributeError("settings", null);
    } catch (e) {
      this.attributeError("settings", `${e.message}; the chart keeps its last settings.`);
    }
    this.sync();
  }

  setSeed(seed) {
    try {
      this.chart.setSeed(seed);
    } catch (e) {
      this.attributeError("settings", `${e.message}; the chart keeps seed ${this.chart.seed}.`);
    }
    this.sync();
  }

  /** The controls show the settings the chart holds. */
  sync() {
    this.showSettings(this.settings, this.chart.seed);
    this.requestDraw();
  }

  /** While the wasm arrives: the attributes' settings, else the book's (setup checks them). */
  showStarting() {
    const word = (name, list, k) => (names(list).includes(this.getAttribute(name)) ? this.getAttribute(name) : list[k][0]);
    const number = (name, range) => this.startingChecked(name, D[name], range);
    const settings = { depth: number("depth", D.depthRange), width: number("width", D.widthRange), sigma: number("sigma", D.sigmaRange) };
    this.showSettings({ ...settings, activation: word("activation", D.activations, D.activation), init: word("init", D.inits, D.init) }, number("seed", [1, 1e9]));
  }

  showSettings(s, seed) {
    const $ = (sel) => this.root.querySelector(sel);
    const input = (name) => $(`[name=${name}]`);
    input("depth").value = String(s.depth);
    input("width").value = String(s.width);
    input("activation").value = s.activation;
    input("init").value = s.init;
    input("sigma").value = String(tidy(Math.log10(s.sigma)));
    input("sigma").disabled = s.init !== D.inits[0][0];
    input("sigma").setAttribute("aria-valuetext", `σ = ${s.sigma}`);
    $(".depth-value").textContent = String(s.depth);
    $(".width-value").textContent = String(s.width);
    $(".sigma-value").textContent = String(s.sigma);
    $(".seed-value").textContent = `weights: draw ${seed}`;
  }

  /** ‖∂L/∂W₁‖ / ‖∂L/∂W_L‖ (L the last hidden layer), as the readout states it. */
  get ratio() {
    return this.chart.ratio;
  }

  get norms() {
    return this.chart.norms();
  }

  get spreads() {
    return this.chart.spreads();
  }

  paint(width, height, dpr, dark) {
    this.chart.draw(width, height, dpr, dark);
    const size = this.canvasSize(this.spreadCanvas);
    if (size.width >= 1 && size.height >= 1) this.chart.drawSpread(size.width, size.height, dpr, dark);
    this.setReadout(this.chart.readout());
    this.canvas.setAttribute("aria-label", this.chart.describe());
    this.spreadCanvas.setAttribute("aria-label", this.chart.describeSpread());
  }

  /** "Copy as Python" (web/python-scripts.js): the network, its seed and the batch. */
  pythonUnavailable() {
    return null;
  }

  pythonState() {
    return { ...this.settings, seed: this.chart.seed };
  }

  /** Copy embed code: the attributes that show what the widget shows now. */
  embedAttributes() {
    // What the reader changed from the chapter's start (and the weights' draw, once redrawn).
    const now = { ...this.settings, seed: this.chart.seed };
    const start = { depth: D.depth, width: D.width, activation: D.activations[D.activation][0], init: D.inits[D.init][0], sigma: D.sigma, seed: D.seed };
    return changedFrom(now, start);
  }
}

customElements.get("calc-deep-gradients") ?? customElements.define("calc-deep-gradients", CalcDeepGradients);

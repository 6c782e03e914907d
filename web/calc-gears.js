// <calc-gears links="x^2; sin(A); exp(B)" x="1">
// Chapter 5's gears: the chain x → A → B → C as a gear train. Turning gear X turns each later
// gear by the product of the local derivatives up to it, so C turns by dC/dx times X's turn:
// the chain rule, linearised at x. Everything shown is computed by the chart (Rust).
import { CalcWidget, tidy } from "./widget.js";
import { CHAINS, GEARS } from "../pkg/book.js";
import { escapeMarkup } from "./markup.js";

/** The links' fields: the gear each link makes, and what its input is by custom. */
const LINKS = [
  { name: "link-a", label: "A(x) =" },
  { name: "link-b", label: "B(A) =" },
  { name: "link-c", label: "C(B) =" },
];
const joined = (links) => links.join("; ");
const DEFAULT_LINKS = joined(CHAINS[0].links);
const [X_MIN, X_MAX] = GEARS.xRange;

// A sheet rather than style attributes, which a page's Content-Security-Policy may block.
const gearsStyles = new CSSStyleSheet();
gearsStyles.replaceSync(`
.preset-choice { flex: 1 1 18rem; min-width: 0; }
.preset-choice select { width: 100%; min-width: 0; }
.chart-box canvas { touch-action: none; }
.readout { white-space: pre-line; }
`);

export class CalcGears extends CalcWidget {

  static observedAttributes = ["links", "x", "turn", "theme"];

  constructor() {
    super();
    this.shadowRoot.adoptedStyleSheets = [...this.shadowRoot.adoptedStyleSheets, gearsStyles];
  }

  template() {
    // The chain it will show, shown while the wasm arrives (setup checks each link).
    const raw = this.getAttribute("links");
    const starting = raw?.split(";").length === 3 ? raw : DEFAULT_LINKS;
    const links = starting.split(";").map((s) => s.trim());
    const x = this.startingNumber("x", GEARS.x, GEARS.xRange);
    const fields = LINKS.map(
      ({ name, label }, i) => `<div class="field">
        <label><span class="link-label">${label}</span> <input type="text" name="${name}" value="${escapeMarkup(links[i])}" autocomplete="off"
          autocapitalize="off" spellcheck="false" aria-describedby="${this.uid}-${name}-error"></label>
        <p class="error" part="error" id="${this.uid}-${name}-error" aria-live="assertive"></p>
      </div>`,
    ).join("");
    const shown = joined(links);
    const options = CHAINS.map(({ links, label }) => {
      const value = joined(links);
      return `<option value="${value}"${value === shown ? " selected" : ""}>${label}</option>`;
    }).join("");
    return `
      <div class="row">${fields}</div>
      <div class="row"><label class="preset-choice">Example <select name="preset"><option value="">custom</option>${options}</select></label></div>
      <p class="formula">C(B(A(<span class="var-name">x</span>))) = <span class="composed"></span></p>
      <div class="chart-box"><canvas part="chart" role="img" tabindex="0"></canvas></div>
      <div class="row essential">
        <label class="slider"><span class="var-name">x</span> <input type="range" name="x-slider"
          min="${X_MIN}" max="${X_MAX}" step="0.01" value="${x}"></label>
        ${this.numberField("x", '<span class="var-name">x</span> =', 'step="any"', x)}
        <button type="button" name="reset">Turn back to 0°</button>
      </div>
      ${this.readout(6, 11)}
      <p class="hint">Drag gear X round, or focus the gears and press → ↑ (5° anticlockwise), ← ↓ (back),
        Shift for 45°, Home to turn back. Each gear turns by X's turn times the ratios up to it: the
        chain rule, linearised at this x. A gear's area shows its own ratio, the arc over it the way
        it turns.</p>`;
  }

  setup() {
    const $ = (s) => this.root.querySelector(s);
    this.chart = new this.calculus.GearsChart(this.canvas);
    this.linkInputs = LINKS.map(({ name }) => $(`input[name=${name}]`));
    this.shown = [...CHAINS[0].links]; // the links on the gears: the last good ones
    this.preset = $("select[name=preset]");
    this.xSlider = $("input[name=x-slider]");
    this.xField = $("input[name=x]");

    this.linkInputs.forEach((input, i) => input.addEventListener("input", () => this.applyLink(i, input.value)));
    this.preset.addEventListener("change", () => {
      if (this.preset.value) this.applyLinks(this.preset.value);
    });
    this.xSlider.addEventListener("input", () => this.setX(Number(this.xSlider.value)));
    this.xField.addEventListener("input", () => {
      const x = Number(this.xField.value);
      if (this.xField.value.trim() === "" || !Number.isFinite(x)) this.showError(this.xField, "x must be a number");
      else this.setX(x, this.xField);
    });
    $("button[name=reset]").addEventListener("click", () => this.turnBack());
    this.wireTurning();

    this.applyLinksAttribute();
    this.setX(this.numberAttr("x", GEARS.x, GEARS.xRange));
    this.turnAttribute();
  }

  /** The `turn` attribute: how far gear X has turned from where x set it, in degrees. */
  turnAttribute() {
    this.chart.resetTurn();
    this.turn(this.numberAttr("turn", 0));
  }

  attributeChangedCallback(name, old, value) {
    if (!this.chart || old === value) return;
    if (name === "links") this.applyLinksAttribute();
    else if (name === "x") this.setX(this.numberAttr("x", this.x, GEARS.xRange));
    else if (name === "turn") this.turnAttribute();
    else this.requestDraw();
  }

  /** Gear X turns by dragging round its centre (mouse, touch, pen) and by the arrow keys. */
  wireTurning() {
    const at = (e) => {
      const box = this.canvas.getBoundingClientRect();
      return [e.clientX - box.left, e.clientY - box.top];
    };
    this.canvas.addEventListener("pointerdown", (e) => {
      if (!this.chart.grip(...at(e))) return;
      this.canvas.setPointerCapture(e.pointerId);
      e.preventDefault();
    });
    this.canvas.addEventListener("pointermove", (e) => {
      if (!this.canvas.hasPointerCapture(e.pointerId)) return;
      this.chart.dragTo(...at(e));
      this.refresh();
    });
    const release = () => this.chart.release();
    this.canvas.addEventListener("pointerup", release);
    this.canvas.addEventListener("pointercancel", release);
    this.canvas.addEventListener("keydown", (e) => {
      const step = e.shiftKey ? GEARS.turnStepLarge : GEARS.turnStep;
      const turns = { ArrowRight: step, ArrowUp: step, ArrowLeft: -step, ArrowDown: -step };
      if (e.key in turns) this.turn(turns[e.key]);
      else if (e.key === "Home") this.turnBack();
      else return;
      e.preventDefault();
    });
  }

  /** Turns gear X by `degrees` (anticlockwise); the others follow by their ratios. */
  turn(degrees) {
    this.chart.turn(degrees);
    this.refresh();
  }

  turnBack() {
    this.chart.resetTurn();
    this.refresh();
  }

  applyLinksAttribute() {
    const raw = this.getAttribute("links");
    const parts = raw?.split(";").map((s) => s.trim());
    const bad = raw !== null && parts.length !== 3;
    this.attributeError(
      "links",
      bad ? `links="${raw}" should hold three formulas separated by ";" (A; B; C), so ${DEFAULT_LINKS} is used.` : null,
    );
    this.applyLinks(raw === null || bad ? DEFAULT_LINKS : raw, raw !== null && !bad);
  }

  /** Sets the three links from "A; B; C" (a preset or the attribute). */
  applyLinks(text, fromAttribute = false) {
    text.split(";").forEach((source, i) => {
      this.linkInputs[i].value = source.trim();
      this.applyLink(i, source.trim(), fromAttribute ? text : null);
    });
  }

  /**
   * Puts `source` on link i. A bad link shows its message beside its field and leaves the
   * gears on the last good one. `attribute`: the `links` attribute it came from.
   */
  applyLink(i, source, attribute = null) {
    const input = this.linkInputs[i];
    try {
      this.chart.setLink(i, source);
    } catch (e) {
      const where = attribute === null ? "" : `links="${attribute}": `;
      this.showError(input, `${where}${e.message}. The gears still use ${this.shown[i]}.`);
      return false;
    }
    this.shown[i] = source.trim();
    this.showError(input, null);
    const chosen = CHAINS.find(({ links }) => links.every((l, k) => l.replace(/\s+/g, "") === this.shown[k].replace(/\s+/g, "")));
    this.preset.value = chosen ? joined(chosen.links) : "";
    this.refresh();
    return true;
  }

  /** Moves the chain to x; `field`, the number field it was typed in, keeps what was typed. */
  setX(x, field = null) {
    if (!Number.isFinite(x)) return;
    this.chart.setX(x);
    this.x = x;
    this.xSlider.value = String(tidy(Math.min(X_MAX, Math.max(X_MIN, x))));
    this.xSlider.setAttribute("aria-valuetext", `x = ${this.format(x, "value")}`);
    if (field !== this.xField) this.xField.value = String(x);
    this.showError(this.xField, null);
    this.refresh();
  }

  // ---- what tests and the bench read ------------------------------------------------------

  /** Each gear's turn (degrees) since x was last set: X, A, B, C. */
  get turns() {
    return Array.from(this.chart.turns);
  }

  /** dA/dx, dB/dA, dC/dB at x. */
  get locals() {
    return Array.from(this.chart.locals);
  }

  /** x, A, B, C. */
  get values() {
    return Array.from(this.chart.values);
  }

  /** The chain rule's product and the engine's dC/dx, and whether they agree. */
  get check() {
    return { product: this.chart.product, whole: this.chart.whole, agrees: this.chart.agrees };
  }

  /** The link (0, 1, 2) whose ratio is 0 and stops the chain, or −1. */
  get stoppedAt() {
    return this.chart.stoppedAt;
  }

  refresh() {
    const variable = this.chart.variable;
    this.root.querySelectorAll(".var-name").forEach((el) => (el.textContent = variable));
    this.root.querySelector(".link-label").textContent = `A(${variable}) =`;
    const mathml = this.chart.composedMathml;
    if (this._mathml !== mathml) this.root.querySelector(".composed").innerHTML = this._mathml = mathml;
    this.setReadout(this.chart.readout());
    this.requestDraw();
  }

  paint(width, height, dpr, dark) {
    this.chart.draw(width, height, dpr, dark);
    this.canvas.setAttribute("aria-label", this.chart.describe());
  }

  /** "Copy as Python" (web/python-scripts.js): the links, x and how far X has turned. */
  pythonUnavailable() {
    return null;
  }

  pythonState() {
    const { chart } = this;
    return { links: [...this.shown], variables: chart.linkVariables, variable: chart.variable, composed: chart.composed, x: this.x, turn: this.turns[0] };
  }

  /** Copy embed code: the attributes that show what the widget shows now. */
  embedAttributes() {
    // How far X has turned, to a tenth of a degree, once it has.
    const turn = Math.round(this.turns[0] * 10) / 10;
    return { links: this.shown.join("; "), x: this.x, turn: turn || undefined };
  }
}

customElements.get("calc-gears") ?? customElements.define("calc-gears", CalcGears);

// Live numbers in the prose, as in Bret Victor's Tangle: inside a sentence,
//   with a learning rate of <calc-number for="lab" name="rate">0.1</calc-number>, after
//   <calc-value for="lab" name="iterations">30</calc-value> steps the walker stands at
//   <calc-value for="lab" name="end">(0.0099, 0.0111)</calc-value>
// the number can be dragged sideways or changed with the arrow keys; it sets the lab's rate,
// and every value in the sentence follows the lab. The text inside is what shows without
// JavaScript.
import { linkedLab } from "./linked.js";
import { nudge } from "./controls.js";
import { PALETTE, RATE_RANGE } from "../pkg/book.js";

const styles = new CSSStyleSheet();
styles.replaceSync(`
:host { font-variant-numeric: tabular-nums; }
:host([role="slider"]) {
  cursor: ew-resize;
  color: var(--calc-live, currentColor);
  border-bottom: 1.5px dashed currentColor;
  touch-action: none;
  user-select: none;
  -webkit-user-select: none;
  font-weight: 600;
  border-radius: 2px;
}
:host([role="slider"]:focus-visible) { outline: 2px solid currentColor; outline-offset: 2px; }
.error { color: var(--calc-error, ${PALETTE.light.error}); font-size: 0.85em; }
`);

/**
 * What a <calc-value> can show of the lab, by name, written by the book's formatter (the
 * lab's wasm build is running by the time the lab is ready): a rate as the sentence quotes
 * it (0.10, 0.95, 1.05), points as the lab's readout writes them.
 */
const VALUES = {
  rate: (lab) => lab.format(lab.rate, "rate"),
  iterations: (lab) => String(lab.iterations),
  end: (lab) => {
    if (lab.divergedAt >= 0) return `nowhere: the run diverged at step ${lab.divergedAt}`;
    const [w, b] = lab.point(lab.last);
    return lab.calculus.formatPoint(w, b, "value");
  },
  loss: (lab) => (lab.divergedAt >= 0 ? "beyond measure" : lab.format(lab.point(lab.last)[2])),
  start: (lab) => lab.calculus.formatPoint(lab.start[0], lab.start[1], "value"),
  factor: (lab) => lab.format(1 - 2 * lab.rate),
};

class LiveElement extends HTMLElement {
  constructor() {
    super();
    this.newReady();
  }

  /** `ready`: resolves once the element shows the lab's value (the widget contract). */
  newReady() {
    this.ready = new Promise((resolve, reject) => {
      this._ready = resolve;
      this._failed = reject;
    });
    // A bad `for` is told beside the number, where the writer sees it: not also as an
    // uncaught rejection in the console when no one awaits `ready`.
    this.ready.catch(() => {});
  }

  connectedCallback() {
    if (this.shadowRoot) return;
    this.attachShadow({ mode: "open" });
    this.shadowRoot.adoptedStyleSheets = [styles];
    // The fallback text stays visible until the lab answers.
    this.shadowRoot.innerHTML = `<span part="value"><slot></slot></span><span class="error" role="alert"></span>`;
    this.follow();
  }

  /**
   * Shows the lab's value once it has drawn. A lab that could not start is said beside the
   * number; once a widget tried again has drawn (widget.js `calc-restart`), it follows again.
   */
  follow() {
    linkedLab(this)
      .then((lab) => {
        this.shadowRoot.querySelector(".error").textContent = "";
        if (this.lab !== lab) {
          this.lab = lab;
          lab.addEventListener("calc-change", () => this.show());
          this.setup?.();
        }
        this.show();
        this._ready();
      })
      .catch((e) => {
        this.shadowRoot.querySelector(".error").textContent = ` (${e.message})`;
        this._failed(e);
        document.addEventListener("calc-restart", () => {
          this.newReady();
          this.follow();
        }, { once: true });
      });
  }

  /** The names this element takes: every value of the lab (a calc-number, the rate alone). */
  static names = Object.keys(VALUES);

  get text() {
    const name = this.getAttribute("name");
    const { names } = this.constructor;
    if (names.includes(name)) return VALUES[name](this.lab);
    return name === null ? `(it needs a name: one of ${names.join(", ")})` : `(name="${name}" is not one of ${names.join(", ")})`;
  }

  show() {
    const span = this.shadowRoot.querySelector("[part=value]");
    if (span.textContent !== this.text || span.firstElementChild) span.textContent = this.text;
  }
}

export class CalcValue extends LiveElement {}

export class CalcNumber extends LiveElement {
  static names = ["rate"];

  setup() {
    this.tabIndex = 0;
    this.setAttribute("role", "slider");
    this.setAttribute("aria-label", "learning rate");
    this.setAttribute("aria-valuemin", String(RATE_RANGE[0]));
    this.setAttribute("aria-valuemax", String(RATE_RANGE[1]));
    this.title = "Drag sideways, or use the arrow keys";
    let drag = null;
    this.addEventListener("pointerdown", (e) => {
      this.setPointerCapture(e.pointerId);
      drag = { x: e.clientX, rate: this.lab.rate };
      e.preventDefault();
      this.focus();
    });
    this.addEventListener("pointermove", (e) => {
      if (!drag) return;
      // A decade per 150 pixels: the whole range in about 500.
      const r = drag.rate * 10 ** ((e.clientX - drag.x) / 150);
      this.lab.setRate(Number(Math.min(RATE_RANGE[1], Math.max(RATE_RANGE[0], r)).toPrecision(2)));
    });
    const stop = () => (drag = null);
    this.addEventListener("pointerup", stop);
    this.addEventListener("pointercancel", stop);
    this.addEventListener("keydown", (e) => {
      const up = { ArrowRight: true, ArrowUp: true, ArrowLeft: false, ArrowDown: false }[e.key];
      if (up === undefined) return;
      e.preventDefault();
      // Shift takes ten steps at once, as on the other charts.
      let rate = this.lab.rate;
      for (let k = 0; k < (e.shiftKey ? 10 : 1); k++) rate = nudge(rate, up, RATE_RANGE);
      this.lab.setRate(rate);
    });
  }

  show() {
    super.show();
    this.setAttribute("aria-valuenow", String(this.lab.rate));
    this.setAttribute("aria-valuetext", `learning rate ${this.lab.format(this.lab.rate, "rate")}`);
  }
}

customElements.get("calc-value") ?? customElements.define("calc-value", CalcValue);
customElements.get("calc-number") ?? customElements.define("calc-number", CalcNumber);

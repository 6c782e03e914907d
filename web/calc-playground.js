// <calc-playground id="pg" preset="deep-sigmoid">
// Chapter 6's training playground: a network learning a toy dataset in the page, with its
// decision boundary, its train and test losses, and the gradient norm of every layer at every
// step, which is where vanishing and exploding gradients show. Training and drawing run in
// Rust (calculus::nn::training); this element schedules frames and wires the controls.
import { CalcWidget } from "./widget.js";
import { urlNumber, whose } from "./url-state.js";
import { PLAYGROUND_CHOICES, PLAYGROUND_DATA, PLAYGROUND_LIMITS, PLAYGROUND_PRESETS, PLAYGROUND_START } from "../pkg/book.js";

/** Training time allowed per frame (ms): with the three redraws it stays inside 8 ms. */
const TRAIN_BUDGET_MS = 2.5;

/** The charts a played frame redraws in turn. */
const CHARTS = ["boundary", "loss", "norms"];

const layout = new CSSStyleSheet();
layout.replaceSync(`
.views { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 0.75rem; }
.views .chart-box.boundary { height: auto; aspect-ratio: 1 / 1; }
.curves { display: grid; grid-template-rows: 1fr 1fr; gap: 0.75rem; min-height: 0; }
/* The curves share the boundary's height, half each. Size containment keeps their canvases'
   backing stores out of that height: otherwise each redraw fed the canvas's new height back into
   its box, and the charts settled at 180 or 280 px depending on when they were first measured. */
.curves .chart-box { height: auto; min-height: 180px; contain: size; }
fieldset { border: 1px solid var(--border); border-radius: 8px; margin: 0; padding: 0.4rem 0.6rem 0.6rem; }
legend { color: var(--muted); font-size: 0.9em; padding: 0 0.3rem; }
.groups { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: 0.6rem; }
.groups .row { gap: 0.4rem 0.8rem; }
.groups input[type="number"] { width: 5rem; }
.groups input[name="noise"] { min-width: 5rem; }
.story { gap: 0.4rem; }
/* Printed, a widget's rows of controls go (style.js); their frames would stay, empty. */
@media print { .groups { display: none; } }
.walk { gap: 0.4rem; }
@media (max-width: 640px) {
  .views { grid-template-columns: 1fr; }
  .curves { grid-template-rows: auto auto; }
  .curves .chart-box { height: 220px; }
}
`);

/** `<option>`s of [name, label] pairs. */
const options = (pairs) => pairs.map(([value, label]) => `<option value="${value}">${label}</option>`).join("");

/** The settings as numbers where they are numbers (Playground.settings() is a query string). */
function parseSettings(query) {
  const out = {};
  for (const [key, value] of new URLSearchParams(query)) out[key] = value;
  return out;
}

export class CalcPlayground extends CalcWidget {
  /** It gives links its own settings (url-state.js); with an id it keeps them in the address. */
  static ownUrlState = true;

  static observedAttributes = ["preset", "settings", "theme"];

  constructor() {
    super();
    // Before the template is laid out: while the wasm arrives, it holds the drawn widget's place.
    this.shadowRoot.adoptedStyleSheets = [...this.shadowRoot.adoptedStyleSheets, layout];
  }

  template() {
    const l = PLAYGROUND_LIMITS;
    const stories = PLAYGROUND_PRESETS.map(({ key, label }) => `<button type="button" data-preset="${key}" aria-pressed="false">${label}</button>`).join("");
    const data = PLAYGROUND_DATA.map(({ key, label }) => [key, label]);
    return `
      <div class="row story" role="group" aria-label="The chapter's runs"><span>Runs:</span>${stories}</div>
      <div class="groups">
        <fieldset><legend>Data</legend><div class="row">
          <label>dataset <select name="dataset">${options(data)}</select></label>
          <label class="slider">noise <input type="range" name="noise" min="${l.noise[0]}" max="${l.noise[1]}" step="0.05"></label>
          <output aria-live="off" class="value noise-value"></output>
          ${this.numberField("train", "train %", `min="${l.train[0]}" max="${l.train[1]}" step="5"`)}
          ${this.numberField("seed", "seed", `min="${l.seed[0]}" max="${l.seed[1]}" step="1"`)}
        </div></fieldset>
        <fieldset><legend>Network</legend><div class="row">
          ${this.numberField("hidden", "hidden layers", `min="${l.hidden[0]}" max="${l.hidden[1]}" step="1"`)}
          ${this.numberField("width", "units each", `min="${l.width[0]}" max="${l.width[1]}" step="1"`)}
          <label>activation <select name="activation">${options(PLAYGROUND_CHOICES.activation)}</select></label>
          <label>init <select name="init">${options(PLAYGROUND_CHOICES.init)}</select></label>
          ${this.numberField("std", "σ", `min="${l.std[0]}" max="${l.std[1]}" step="any"`)}
        </div></fieldset>
        <fieldset><legend>Training (bce loss)</legend><div class="row">
          <label>optimizer <select name="optimizer">${options(PLAYGROUND_CHOICES.optimizer)}</select></label>
          ${this.numberField("lr", "learning rate", `min="${l.lr[0]}" max="${l.lr[1]}" step="any"`)}
          ${this.numberField("batch", "batch size", `min="${l.batch[0]}" max="${l.batch[1]}" step="1"`)}
          <label><input type="checkbox" name="clip-on"> clip ‖∇L‖ at</label>
          ${this.numberField("clip", "threshold", `min="${l.clip[0]}" max="${l.clip[1]}" step="any"`)}
        </div></fieldset>
      </div>
      <div class="row walk">
        <button type="button" name="play">Play</button>
        <button type="button" name="batch-step">Step one batch</button>
        <button type="button" name="epoch-step">Step one epoch</button>
        <button type="button" name="reset">Reset</button>
      </div>
      ${this.readout(1)}
      <div class="views">
        <div class="chart-box boundary"><canvas part="chart boundary" role="img" tabindex="0"></canvas></div>
        <div class="curves">
          <div class="chart-box"><canvas part="chart loss" role="img" tabindex="0"></canvas></div>
          <div class="chart-box"><canvas part="chart norms" role="img" tabindex="0"></canvas></div>
        </div>
      </div>
      <p class="hint">Keys, with the focus on a chart: Space plays or pauses, → steps one batch, Shift+→ one epoch, R resets.
        The gradient chart follows each layer's norm (L1 is the first layer; a moving geometric mean over about ten steps),
        the thin grey line the whole gradient's; with clipping on, the dashed red line is the threshold and red ticks mark clipped steps.</p>`;
  }

  setup() {
    const $ = (s) => this.root.querySelector(s);
    this.$ = $;
    this.lossCanvas = $("canvas[part~=loss]");
    this.normsCanvas = $("canvas[part~=norms]");
    this.chart = new this.calculus.Playground(this.canvas, this.lossCanvas, this.normsCanvas, document.createElement("canvas"));
    /** Durations (ms) of each played frame's work: training slice and the three redraws. */
    this.frameTimes = [];
    this.playing = false;
    this._batchesPerMs = 1;
    this._turn = 0;
    this.watchCanvas(this.lossCanvas);
    this.watchCanvas(this.normsCanvas);
    this.wireControls();
    this.wireKeys();
    this.readAttributes();
    this.bindSettings();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.pause();
  }

  readAttributes() {
    const key = this.getAttribute("preset");
    this.attributeError("preset", null);
    if (key) {
      try {
        this.chart.preset(key);
      } catch (e) {
        this.attributeError("preset", `preset="${key}" is not one of ${PLAYGROUND_PRESETS.map((p) => p.key).join(", ")}, so the start is used.`);
      }
    }
    this.changed();
  }

  // ---- controls -------------------------------------------------------------------------

  wireControls() {
    const $ = this.$;
    for (const button of this.root.querySelectorAll("button[data-preset]")) {
      button.addEventListener("click", () => {
        this.chart.preset(button.dataset.preset);
        this.changed();
      });
    }
    // A change applies the changed field with the playground's other settings as they are,
    // so that a field still holding a refused value does not block the next good one.
    const group = (names, apply) => {
      for (const name of names) {
        const input = this.root.querySelector(`[name="${name}"]`);
        const event = input.type === "checkbox" || input.localName === "select" ? "change" : "input";
        input.addEventListener(event, () => {
          const current = this.settings();
          const value = (n) => (n === name ? input.value : current[n]);
          const number = (n) => (n === name ? this.number(n) : Number(current[n]));
          this.tryApply(input, () => apply(value, number));
        });
      }
    };
    group(["dataset", "noise", "train"], (v, n) => this.chart.setData(v("dataset"), n("noise"), n("train")));
    group(["hidden", "width", "activation", "init", "std"], (v, n) => this.chart.setNetwork(n("hidden"), n("width"), v("activation"), v("init"), n("std")));
    group(["optimizer", "lr", "batch", "clip-on", "clip"], (v, n) => {
      const on = $("[name=clip-on]").checked;
      if (on && !$("[name=clip]").value) $("[name=clip]").value = String(PLAYGROUND_LIMITS.clipOn);
      this.chart.setStep(v("optimizer"), n("lr"), n("batch"), on ? this.number("clip") : 0);
    });
    group(["seed"], (v, n) => this.chart.setSeed(n("seed")));
    $("button[name=play]").addEventListener("click", () => (this.playing ? this.pause() : this.play()));
    $("button[name=batch-step]").addEventListener("click", () => this.stepBy(() => this.chart.train(1)));
    $("button[name=epoch-step]").addEventListener("click", () => this.stepBy(() => this.chart.trainEpoch()));
    $("button[name=reset]").addEventListener("click", () => {
      this.chart.reset();
      this.changed();
    });
  }

  /** Field `name` as a number (NaN when empty or not one: the engine refuses it by name). */
  number(name) {
    const raw = this.$(`[name="${name}"]`).value;
    return raw.trim() === "" ? NaN : Number(raw);
  }

  /**
   * Runs `apply` (a setter of the chart) after `input` changed: on an error the message sits
   * beside the field and the run goes on with its last good settings.
   */
  tryApply(input, apply) {
    try {
      apply();
    } catch (e) {
      this.showError(input, `${e.message}; the playground keeps its last good settings.`);
      return;
    }
    this.root.querySelectorAll("[aria-invalid=true]").forEach((f) => this.showError(f, null));
    this.changed(input);
  }

  wireKeys() {
    this.root.addEventListener("keydown", (e) => {
      if (e.target.closest?.("input, select, textarea") || (e.target.localName === "button" && (e.key === " " || e.key === "Enter"))) return;
      if (e.key === " " || e.key === "k") this.playing ? this.pause() : this.play();
      else if (e.key === "ArrowRight" && e.shiftKey) this.stepBy(() => this.chart.trainEpoch());
      else if (e.key === "ArrowRight") this.stepBy(() => this.chart.train(1));
      else if (e.key === "r" || e.key === "R") {
        this.chart.reset();
        this.changed();
      } else return;
      e.preventDefault();
    });
  }

  // ---- state ----------------------------------------------------------------------------

  /** The settings changed (or the run restarted): fields, buttons, picture, address. */
  changed(except = null) {
    this.syncFields(except);
    this.update();
    if (!this.playing) this.notifyUrl?.();
  }

  /** While the wasm arrives, the fields show where the page starts it. */
  showStarting() {
    const start = Object.fromEntries(Object.entries(this.startSettings).map(([k, v]) => [k, String(v)]));
    this.syncFields(null, start, PLAYGROUND_CHOICES.sigmaInits.includes(start.init));
  }

  /** Every field shows the playground's settings, except the one being typed in. */
  syncFields(except, s = this.settings(), usesSigma = this.chart.usesSigma) {
    const $ = (selector) => this.root.querySelector(selector);
    for (const name of ["dataset", "noise", "train", "seed", "hidden", "width", "activation", "init", "std", "optimizer", "lr", "batch"]) {
      const field = $(`[name="${name}"]`);
      if (field !== except) field.value = s[name];
    }
    const on = Number(s.clip) > 0;
    $("[name=clip-on]").checked = on;
    if (on && $("[name=clip]") !== except) $("[name=clip]").value = s.clip;
    if ($("[name=clip]").value === "") $("[name=clip]").value = String(PLAYGROUND_LIMITS.clipOn);
    $("[name=clip]").disabled = !on;
    $("[name=std]").disabled = !usesSigma;
    $(".noise-value").textContent = s.noise;
    for (const button of this.root.querySelectorAll("button[data-preset]")) {
      const preset = PLAYGROUND_PRESETS.find((p) => p.key === button.dataset.preset);
      const same = Object.entries(preset.settings).every(([k, v]) => String(v) === s[k]);
      button.setAttribute("aria-pressed", String(same));
    }
  }

  /** Readout and the next redraw; a diverged run stops playing. */
  update() {
    this.setReadout(this.chart.status());
    if (this.chart.diverged && this.playing) this.pause();
    this.requestDraw();
  }

  /**
   * What a link keeps (url-state.js), `{name: value}`: the settings, and the steps trained
   * with them (`steps`), replayed where it is opened (the same seed, the same run), unless
   * the settings changed while it trained (`copyCaveat`).
   */
  settings() {
    const { steps } = this.chart;
    return { ...parseSettings(this.chart.settings()), ...(steps && this.replayable ? { steps } : {}) };
  }

  /** Whether the run so far is its settings' run from the start: no change while it trained. */
  get replayable() {
    return this.chart.schedule().length === 1 && this.chart.steps <= PLAYGROUND_LIMITS.steps[1];
  }

  copyCaveat() {
    if (!this.chart.steps || this.replayable) return null;
    return "It opens untrained: the settings changed while this run trained, and a copy carries the last settings only.";
  }

  /** Where the page starts it: its preset's settings, else the book's start. */
  get startSettings() {
    return PLAYGROUND_PRESETS.find((p) => p.key === this.getAttribute("preset"))?.settings ?? PLAYGROUND_START;
  }

  /**
   * Settings from the address (`#pg.lr=0.1&…`); a name it does not give is the page's start
   * (Back to the page's own address restores it); what it cannot use is named.
   */
  applySettings(settings) {
    this.pause();
    const notes = [];
    const base = this.startSettings;
    const pick = (name, what = name) => {
      const [lo, hi] = name === "clip" ? [0, PLAYGROUND_LIMITS.clip[1]] : PLAYGROUND_LIMITS[name] ?? [-Infinity, Infinity];
      return urlNumber(settings, name, Number(base[name]), [lo, hi], notes, what);
    };
    const word = (name, allowed) => {
      const v = settings.get(name);
      if (v === undefined) return base[name];
      if (allowed.includes(v)) return v;
      notes.push(`${whose(settings, name)} ${name} "${v.slice(0, 40)}" is not one of ${allowed.join(", ")}, so ${base[name]} is used.`);
      return base[name];
    };
    const attempt = (what, apply) => {
      try {
        apply();
      } catch (e) {
        notes.push(`${whose(settings)} ${what} could not be used (${e.message}).`);
      }
    };
    const names = (list) => list.map(([k]) => k);
    attempt("seed", () => this.chart.setSeed(pick("seed")));
    attempt("data", () => this.chart.setData(word("dataset", PLAYGROUND_DATA.map((d) => d.key)), pick("noise"), pick("train", "train %")));
    attempt("network", () =>
      this.chart.setNetwork(pick("hidden"), pick("width"), word("activation", names(PLAYGROUND_CHOICES.activation)), word("init", names(PLAYGROUND_CHOICES.init)), pick("std", "σ")),
    );
    attempt("training", () =>
      this.chart.setStep(word("optimizer", names(PLAYGROUND_CHOICES.optimizer)), pick("lr", "learning rate"), pick("batch", "batch size"), pick("clip", "clip threshold")),
    );
    // The steps this run had trained with these settings, replayed from the start: the same
    // seed and settings make the same run.
    const steps = Math.round(urlNumber(settings, "steps", 0, PLAYGROUND_LIMITS.steps, notes, "steps trained"));
    attempt("training", () => {
      this.chart.reset();
      for (let done = 0; done < steps; ) {
        const taken = this.chart.train(Math.min(1000, steps - done));
        if (!taken) break; // diverged: the run stops there, as it did
        done += taken;
      }
    });
    this.attributeError("url", notes.length ? notes.join(" ") : null);
    this.changed();
  }

  // ---- training -------------------------------------------------------------------------

  /** One step (a batch or an epoch) while paused. */
  stepBy(train) {
    this.pause();
    train();
    this.update();
  }

  play() {
    if (this.chart.diverged) {
      this.setReadout(`${this.chart.status()}`);
      return;
    }
    this.playing = true;
    this.$("button[name=play]").textContent = "Pause";
    const tick = () => {
      if (!this.playing) return;
      const t0 = performance.now();
      // An epoch per frame, as TensorFlow Playground trains, unless that would take longer
      // than the budget: then as many batches as fit, at the rate the last slices ran.
      const wanted = Math.max(1, Math.min(this.chart.batchesPerEpoch, Math.floor(TRAIN_BUDGET_MS * this._batchesPerMs)));
      const taken = this.chart.train(wanted);
      const spent = performance.now() - t0;
      if (taken > 0 && spent > 0) this._batchesPerMs = 0.7 * this._batchesPerMs + 0.3 * (taken / spent);
      // The readout four times a second: a page relaid out 60 times a second for a line of
      // text costs more than the text is worth while it runs past.
      if (t0 - (this._readAt ?? 0) > 250) {
        this._readAt = t0;
        this.setReadout(this.chart.status());
      }
      // The three charts take turns, a third of what the browser would rasterise per frame
      // with all three, and each still moves at 20 frames a second.
      this._turn = (this._turn + 1) % CHARTS.length;
      this.paintCharts(CHARTS[this._turn]);
      this.frameTimes.push(performance.now() - t0);
      if (this.chart.diverged) this.pause();
      if (this.frameTimes.length > 5000) this.frameTimes.splice(0, 1000);
      if (this.playing) this._animation = requestAnimationFrame(tick);
    };
    this._animation = requestAnimationFrame(tick);
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    cancelAnimationFrame(this._animation);
    this.$("button[name=play]").textContent = "Play";
    this.setReadout(this.chart.status());
    this.requestDraw();
    this.notifyUrl?.();
  }

  /** A played frame's redraw: one of the charts (an entry of CHARTS). */
  paintCharts(chart) {
    const box = this._size;
    if (!box || box.width < 1) return;
    const t0 = performance.now();
    const [dpr, dark] = [window.devicePixelRatio || 1, this.dark];
    try {
      this.paint(box.width, box.height, dpr, dark, chart);
    } catch (e) {
      this.attributeError("draw", `Could not draw: ${e.message}`);
      this.pause();
      return;
    }
    this.drawTimes.push(performance.now() - t0);
    if (this.drawTimes.length > 5000) this.drawTimes.splice(0, 1000);
  }

  /** Draws every chart, or `only` one of them (an entry of CHARTS), and their labels. */
  paint(width, height, dpr, dark, only = null) {
    this.root.classList.toggle("dark", dark);
    const wanted = (name) => only === null || only === name;
    if (wanted("boundary")) this.chart.draw(width, height, dpr, dark);
    const loss = this.canvasSize(this.lossCanvas);
    const norms = this.canvasSize(this.normsCanvas);
    if (wanted("loss") && loss.width >= 1 && loss.height >= 1) this.chart.drawLoss(loss.width, loss.height, dpr, dark);
    if (wanted("norms") && norms.width >= 1 && norms.height >= 1) this.chart.drawNorms(norms.width, norms.height, dpr, dark);
    // The charts' descriptions follow the run where it stops, not through every frame of it.
    if (this.playing) return;
    const status = this.chart.status();
    const { dataset, hidden } = this.settings();
    const label = PLAYGROUND_DATA.find((d) => d.key === dataset)?.label;
    this.canvas.setAttribute("aria-label", `Decision boundary on the ${label} data: the network's class for each point of the plane, orange for class 0 and blue for class 1, deeper where it is surer; discs are training points, rings test points. ${status}`);
    this.lossCanvas.setAttribute("aria-label", `Train (solid) and test (dashed) loss after each epoch, log scale. ${status}`);
    const norms_ = this.chart.layerNorms();
    const spread = norms_.length ? ` Last step: first layer ${this.format(norms_[0])}, last layer ${this.format(norms_[norms_.length - 1])}.` : " No step yet.";
    // The hidden layers and the output layer, known before the first step gives their norms.
    this.normsCanvas.setAttribute("aria-label", `Gradient norm of each layer's weights at every step, log scale, first layer L1 to output layer L${Number(hidden) + 1}.${spread}`);
  }

  /**
   * "Copy as Python" (web/python-scripts.js): the run's settings as they changed, where it is,
   * and the weights its latest losses were measured on.
   */
  pythonUnavailable() {
    return null;
  }

  pythonState() {
    const { chart } = this;
    return {
      schedule: chart.schedule().map(parseSettings), count: chart.count, steps: chart.steps, epoch: chart.latestEpoch,
      clipped: chart.clippedSteps, diverged: chart.diverged, measured: Array.from(chart.epochParameters()),
    };
  }

  /** Copy embed code: the attributes that show what the widget shows now. */
  embedAttributes() {
    // The preset is where the settings start; what the reader changed since is in `settings`.
    const preset = PLAYGROUND_PRESETS.find((p) => p.key === this.getAttribute("preset"));
    return { preset: preset?.key, settings: this.settingsBeyond([], this.startSettings) };
  }
}

customElements.get("calc-playground") ?? customElements.define("calc-playground", CalcPlayground);

// <calc-race function="w^2 + 10b^2" w="-9" b="2">
// Gradient descent, momentum, RMSprop and Adam from one start on one landscape, animated
// together, each in its own colour with its own settings, their losses listed as they go.
import { PathWidget } from "./path-widget.js";
import { urlNumber } from "./url-state.js";
import { LANDSCAPES, MAX_STEPS, RACERS, RACE_LANDSCAPE, RACE_LIMITS, START_LIMIT } from "../pkg/book.js";

/** The landscape the race starts on (the long valley), and what it starts with there. */
const FIRST = LANDSCAPES[RACE_LANDSCAPE];

export class CalcRace extends PathWidget {
  /** It gives links its own settings (url-state.js); with an id it keeps them in the address. */
  static ownUrlState = true;

  static observedAttributes = ["function", "w", "b", "iterations", "settings", "theme"];

  get presets() {
    return LANDSCAPES;
  }

  get firstSource() {
    return FIRST.source;
  }

  template() {
    // What readAttributes and tune will set, shown while the wasm arrives.
    const preset = this.presetFor(this.startingSource());
    const { steps, racers } = (preset ?? LANDSCAPES[0]).race;
    const start = (preset ?? FIRST).start.map((v, i) => this.startingNumber(["w", "b"][i], v));
    const iterations = this.startingChecked("iterations", steps, [1, MAX_STEPS]);
    const rows = RACERS.map(({ key, name, params }, i) => {
      const fields = [["learningRate", "η"], ...params]
        .map(([p, label]) => `<label>${label} <input type="number" name="${key}.${p}" step="any" min="0"
          value="${racers[i][p] ?? ""}" aria-describedby="${this.uid}-${key}-error"></label>`)
        .join(" ");
      return `<tr data-racer="${i}">
        <th scope="row"><label><input type="checkbox" name="${key}.enabled" checked>
          <span class="swatch" aria-hidden="true"></span> ${name}</label></th>
        <td><span class="params">${fields}</span>
          <span class="error" id="${this.uid}-${key}-error" aria-live="assertive"></span></td>
        <td class="loss" aria-live="off"></td></tr>`;
    }).join("");
    return `
      <div class="row">${this.functionField("f(w, b) =")}${this.presetSelect()}</div>
      ${this.startFields(MAX_STEPS, start, iterations)}
      <div class="table-wrap"><table class="racers"><thead><tr><th scope="col">optimizer</th>
        <th scope="col">settings</th><th scope="col">loss</th></tr></thead><tbody>${rows}</tbody></table></div>
      <div class="chart-box square"><canvas part="chart" role="img" tabindex="0"></canvas></div>
      ${this.walkControls(iterations)}
      ${this.readout(2)}
      <p class="hint">Drag on the map (or use the arrow keys on it) to move the common start.</p>`;
  }

  setup() {
    const $ = (s) => this.root.querySelector(s);
    this.chart = new this.calculus.OptimizerRace(this.canvas);
    this.range = FIRST.range;
    this.start = [...FIRST.start];
    this.k = 0;
    this.last = 0;
    this.wirePathFunction(({ range, start }) => {
      this.setRange(range, start);
      this.tune($("input[name=function]").value, false);
    });
    this.wireStartFields();
    this.wireWalk();
    this.root.querySelectorAll("tr[data-racer] input").forEach((input) =>
      input.addEventListener(input.type === "checkbox" ? "change" : "input", () => this.readRacer(input)),
    );

    this.wireStart();

    this.readAttributes();
    this.bindSettings();
  }

  readAttributes() {
    const source = this.getAttribute("function") ?? FIRST.source;
    const preset = this.presetFor(source);
    if (preset) this.setRange(preset.range, preset.start);
    this.tune(source, false);
    this.start = [this.numberAttr("w", this.start[0]), this.numberAttr("b", this.start[1])];
    const n = this.numberAttr("iterations", this.iterations);
    if (Number.isInteger(n) && n >= 1 && n <= MAX_STEPS) this.iterations = n;
    else this.attributeError("iterations", `iterations="${n}" should be a whole number from 1 to ${MAX_STEPS}, so ${this.iterations} is used.`);
    this.applyFunction(source, true);
  }

  /** Each racer's settings and the step count tuned for `source` (the bowl's for others). */
  tune(source, run = true) {
    const { steps, racers } = (this.presetFor(source) ?? LANDSCAPES[0]).race;
    this.iterations = steps;
    racers.forEach((options, i) => this.chart.setRacer(i, { ...options, enabled: true }));
    this.enabled = RACERS.map(() => true);
    if (run) this.rerun();
  }

  /** A racer's field changed: its new settings, or a message beside it. */
  readRacer(input) {
    const row = input.closest("tr");
    const i = Number(row.dataset.racer);
    const { key } = RACERS[i];
    const options = { enabled: row.querySelector(`input[name="${key}.enabled"]`).checked };
    for (const field of row.querySelectorAll("input[type=number]")) {
      const v = Number(field.value);
      if (field.value.trim() === "" || !Number.isFinite(v)) {
        this.racerError(i, `${field.closest("label").textContent.trim()} must be a number.`, field);
        return;
      }
      options[field.name.split(".")[1]] = v;
    }
    try {
      this.chart.setRacer(i, options);
    } catch (e) {
      this.racerError(i, `${e.message}; the race keeps ${RACERS[i].name}'s last good settings.`, input);
      return;
    }
    this.racerError(i, null);
    this.enabled[i] = options.enabled;
    this.rerun(input);
  }

  racerError(i, message, field) {
    const { key } = RACERS[i];
    this.root.querySelector(`#${this.uid}-${key}-error`).textContent = message ?? "";
    this.root.querySelectorAll(`tr[data-racer="${i}"] input[type=number]`).forEach((f) =>
      f.setAttribute("aria-invalid", String(!!message && f === field)),
    );
  }

  settings() {
    const out = { f: this.source, w: this.start[0], b: this.start[1], n: this.iterations, k: this.k };
    RACERS.forEach(({ key, params }, i) => {
      const values = this.chart.settings(i);
      out[`${key}.lr`] = values[0];
      params.forEach(([p], j) => (out[`${key}.${p}`] = values[j + 1]));
      if (!this.enabled[i]) out[`${key}.on`] = 0;
    });
    return out;
  }

  applySettings(settings) {
    this.pause();
    const notes = [];
    const source = settings.get("f") ?? this.getAttribute("function") ?? FIRST.source;
    this.readAttributes();
    if (!this.applyFunction(source, false)) {
      notes.push(this.refusedFunction(settings, source));
      this.applyFunction(this.getAttribute("function") ?? FIRST.source, true);
    } else if (settings.has("f")) {
      const preset = this.presetFor(source);
      if (preset) this.setRange(preset.range, preset.start);
      this.tune(source, false);
    }
    const limits = [-START_LIMIT, START_LIMIT];
    this.start = [urlNumber(settings, "w", this.start[0], limits, notes, "w₀"), urlNumber(settings, "b", this.start[1], limits, notes, "b₀")];
    this.iterations = Math.round(urlNumber(settings, "n", this.iterations, [1, MAX_STEPS], notes, "number of steps"));
    RACERS.forEach(({ key, params }, i) => {
      const current = this.chart.settings(i);
      const options = { learningRate: urlNumber(settings, `${key}.lr`, current[0], RACE_LIMITS.rateRange, notes, `${key} learning rate`) };
      params.forEach(([p], j) => (options[p] = urlNumber(settings, `${key}.${p}`, current[j + 1], RACE_LIMITS.fractionRange, notes, `${key} ${p}`)));
      options.enabled = settings.get(`${key}.on`) !== "0";
      this.chart.setRacer(i, options);
      this.enabled[i] = options.enabled;
    });
    const k = Math.round(urlNumber(settings, "k", MAX_STEPS, [0, MAX_STEPS], notes, "step", "the last step"));
    this.attributeError("url", notes.length ? notes.join(" ") : null);
    this.rerun(null, k);
  }

  rerun(except = null, k = Infinity) {
    if (!this.chart || !this.start) return;
    this.pause();
    let error = null;
    try {
      this.chart.run(this.start[0], this.start[1], this.iterations);
    } catch (e) {
      error = e.message;
    }
    this.showError(this.root.querySelector("input[name=w]"), error ? `No race: ${error}.` : null);
    this.last = Math.max(0, ...RACERS.map((_, i) => this.chart.length(i) - 1));
    this.k = Math.min(k, this.last);
    this.syncFields(except);
    this.update();
  }

  syncFields(except) {
    this.syncStartFields(except);
    RACERS.forEach(({ key, params }, i) => {
      const values = this.chart.settings(i);
      [["learningRate"], ...params].forEach(([p], j) => this.showValue(this.root.querySelector(`input[name="${key}.${p}"]`), values[j], except));
      const box = this.root.querySelector(`input[name="${key}.enabled"]`);
      if (box !== except) box.checked = this.enabled[i];
    });
  }

  update() {
    this.showPosition();
    const parts = [];
    this.root.querySelectorAll("tr[data-racer]").forEach((row, i) => {
      const cell = row.querySelector(".loss");
      const at = this.chart.divergedAt(i);
      const point = this.chart.point(i, this.k);
      let text;
      if (!this.enabled[i]) text = "off";
      else if (at >= 0 && this.k >= this.chart.length(i) - 1) text = `diverged at step ${at}`;
      else text = point.length ? this.format(point[2]) : "no path";
      cell.textContent = text;
      if (this.enabled[i]) parts.push(`${RACERS[i].name} ${text}`);
    });
    this.setReadout(`step ${this.k}: ${parts.join(", ")}`);
    this.requestDraw();
    if (!this.playing) this.notifyUrl?.();
  }

  paint(width, height, dpr, dark) {
    this.chart.setStep(this.k);
    this.chart.draw(width, height, dpr, dark);
    this.canvas.setAttribute("aria-label", this.chart.describe(this.k));
    // The table's swatches match the chart's colours, which change only with the theme.
    if (dark !== this._swatchesDark) {
      const colors = this.calculus.OptimizerRace.colors(dark);
      this.root.querySelectorAll(".swatch").forEach((s, i) => (s.style.background = colors[i]));
      this._swatchesDark = dark;
    }
  }

  /** "Copy as Python" (web/python-scripts.js): what its script reproduces. */
  pythonUnavailable() {
    return null;
  }

  pythonState() {
    const racers = RACERS.map(({ key, name, params }, i) => {
      const [learningRate, ...values] = this.chart.settings(i);
      return { key, name, learningRate, enabled: this.enabled[i], params: Object.fromEntries(params.map(([p], j) => [p, values[j]])) };
    });
    return { source: this.source, names: this.chart.axes.split(","), w: this.start[0], b: this.start[1], iterations: this.iterations, k: this.k, range: this.range, racers };
  }

  /** Copy embed code: the attributes that show what the widget shows now. */
  embedAttributes() {
    // Each optimizer's own settings have no attribute of their own: those the reader changed
    // from the ones tuned for this function go in `settings`.
    const tuned = {};
    (this.presetFor(this.source) ?? LANDSCAPES[0]).race.racers.forEach(({ learningRate, ...params }, i) => {
      tuned[`${RACERS[i].key}.lr`] = learningRate;
      for (const [p, v] of Object.entries(params)) tuned[`${RACERS[i].key}.${p}`] = v;
    });
    return { function: this.source, w: this.start[0], b: this.start[1], iterations: this.iterations, settings: this.stepBeyond(["f", "w", "b", "n"], tuned) };
  }
}

customElements.get("calc-race") ?? customElements.define("calc-race", CalcRace);

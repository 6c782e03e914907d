// What the descent lab and the optimizer race share: a start point the reader drags on the
// contour map (or moves with the arrow keys), and a walk along the path played step by step.
import { CalcWidget, tidy } from "./widget.js";
import { xAt, yAt } from "./frame.js";
import { START_LIMIT } from "../pkg/book.js";
import { whose } from "./url-state.js";

export class PathWidget extends CalcWidget {
  /** A link's (or settings attribute's) function `source` refused: the note that says why. */
  refusedFunction(settings, source) {
    return `${whose(settings, "f")} function "${source.slice(0, 60)}" could not be used (${this.whyRefused}), so the page's is shown.`;
  }

  /** The row of the start's fields and the number of steps. */
  startFields(maxSteps, [w, b], steps) {
    // The start and step count the widget will run, in the fields while the wasm arrives.
    return `<div class="row">
        <span>start</span>
        ${this.numberField("w", "w₀ =", 'step="any"', w)}
        ${this.numberField("b", "b₀ =", 'step="any"', b)}
        ${this.numberField("iterations", "steps", `min="1" max="${maxSteps}" step="1"`, steps)}
      </div>`;
  }

  /** Play, Step (one step on, pausing), Reset and the step scrubber. */
  walkControls(steps) {
    // At the last step until drawn, where a run starts (a shorter path moves it left then).
    return `<div class="row essential">
        <button type="button" name="play">Play</button>
        <button type="button" name="step">Step</button>
        <button type="button" name="reset">Reset</button>
        <label class="slider">step <input type="range" name="k" min="0" step="1" max="${steps}" value="${steps}"></label>
        <output aria-live="off" class="value k-value"></output>
      </div>`;
  }

  /** The function field and its examples: a typed function runs the path again. */
  wirePathFunction(onPreset) {
    const input = this.root.querySelector("input[name=function]");
    this.wireFunction(() => {
      this.source = input.value.trim();
      this.rerun();
    }, onPreset);
  }

  /** The start's fields and the number of steps follow the run. */
  syncStartFields(except) {
    const field = (name) => this.root.querySelector(`input[name=${name}]`);
    this.showValue(field("w"), this.start[0], except);
    this.showValue(field("b"), this.start[1], except);
    this.showValue(field("iterations"), this.iterations, except);
  }

  /** Dragging anywhere on the map puts the start there; the arrow keys nudge it. */
  wireStart() {
    const moveStart = (e) => {
      const frame = this.chart.frame;
      if (!frame) return;
      const rect = this.canvas.getBoundingClientRect();
      const [w, b] = [xAt(frame, e.clientX - rect.left), yAt(frame, e.clientY - rect.top)];
      this.moveStart(w, b);
    };
    let dragging = false;
    this.canvas.style.touchAction = "none";
    this.canvas.addEventListener("pointerdown", (e) => {
      dragging = true;
      this.canvas.setPointerCapture(e.pointerId);
      this.pause();
      moveStart(e);
    });
    this.canvas.addEventListener("pointermove", (e) => dragging && moveStart(e));
    const stop = () => (dragging = false);
    this.canvas.addEventListener("pointerup", stop);
    this.canvas.addEventListener("pointercancel", stop);
    this.canvas.addEventListener("keydown", (e) => {
      const step = ((this.range[1] - this.range[0]) / 40) * (e.shiftKey ? 5 : 1);
      const moves = { ArrowRight: [step, 0], ArrowLeft: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      if (!(e.key in moves)) return;
      e.preventDefault();
      this.moveStart(this.start[0] + moves[e.key][0], this.start[1] + moves[e.key][1]);
    });
  }

  /** Play/Pause, Reset, the step scrubber and the number of steps. */
  wireWalk() {
    const $ = (s) => this.root.querySelector(s);
    this.playButton = $("button[name=play]");
    this.kInput = $("input[name=k]");
    this.kInput.addEventListener("input", () => this.showStep(Number(this.kInput.value)));
    this.playButton.addEventListener("click", () => (this.playing ? this.pause() : this.play()));
    $("button[name=step]").addEventListener("click", () => {
      this.pause();
      this.showStep(this.k >= this.last ? 0 : this.k + 1);
    });
    $("button[name=reset]").addEventListener("click", () => {
      this.pause();
      this.showStep(0);
    });
    const steps = $("input[name=iterations]");
    steps.addEventListener("input", () => this.setIterations(Number(steps.value), steps));
  }

  setIterations(n, field) {
    const max = Number(field.max);
    if (!(Number.isInteger(n) && n >= 1 && n <= max)) {
      this.showError(field, `Steps must be a whole number from 1 to ${max}.`);
      return;
    }
    this.showError(field, null);
    this.iterations = n;
    this.rerun(field);
  }

  /** Shows step k (0 is the start); the rest of the path is hidden until it is reached. */
  showStep(k) {
    this.k = Math.max(0, Math.min(this.last, Math.round(k)));
    this.update();
  }

  /**
   * `settingsBeyond(covered, start)` for a path: the step shown (k) too, unless it is the last, where
   * the widget starts anyway.
   */
  stepBeyond(covered, start) {
    return this.settingsBeyond(this.k >= this.last ? [...covered, "k"] : covered, start);
  }

  /** The scrubber and its "k / last" follow the step shown. */
  showPosition() {
    this.kInput.max = String(this.last);
    this.kInput.value = String(this.k);
    this.root.querySelector(".k-value").textContent = `${this.k} / ${this.last}`;
  }

  /** The typed start: fields w and b, each with its message beside it. */
  wireStartFields() {
    ["w", "b"].forEach((name, axis) => {
      const input = this.root.querySelector(`input[name=${name}]`);
      this.wireNumberIn(input, () => [-START_LIMIT, START_LIMIT], "", (v) => {
        this.start[axis] = v;
        this.rerun(input);
      });
    });
  }

  /** Shows the map over [umin, umax] × [vmin, vmax] and, if given, moves the start. */
  setRange([umin, umax, vmin, vmax], start) {
    this.chart.setRange(umin, umax, vmin, vmax);
    this.range = [umin, umax, vmin, vmax];
    if (start) this.start = [...start];
  }

  /** The start on a grid of 1/400 of the map's width, so that values read cleanly. */
  moveStart(w, b) {
    if (!Number.isFinite(w) || !Number.isFinite(b)) return;
    const fine = (this.range[1] - this.range[0]) / 400;
    this.start = [tidy(Math.round(w / fine) * fine), tidy(Math.round(b / fine) * fine)];
    this.rerun();
  }

  /** Walks from step k (or from 0 at the end) to the last, in about four seconds. */
  play() {
    if (this.k >= this.last) this.k = 0;
    // 30 steps walk, 500 run.
    const perSecond = Math.min(150, Math.max(6, this.last / 4));
    this.playFrom(this.k, perSecond, (k) => this.showStep(k), () => this.k >= this.last);
  }

  pause() {
    if (!this.playing) return;
    super.pause();
    // The address records where the walk stopped, not every frame of it.
    this.notifyUrl?.();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.pause();
  }
}

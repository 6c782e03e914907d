// What the descent lab and the optimizer race share: a start point the reader drags on the
// contour map (or moves with the arrow keys), and a walk along the path played step by step.
import { CalcWidget, tidy } from "./widget.js";

export class PathWidget extends CalcWidget {
  /** Dragging anywhere on the map puts the start there; the arrow keys nudge it. */
  wireStart() {
    const moveStart = (e) => {
      const frame = this.chart.frame;
      if (!frame) return;
      const rect = this.canvas.getBoundingClientRect();
      const [w, b] = [frame.xAt(e.clientX - rect.left), frame.yAt(e.clientY - rect.top)];
      frame.free();
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

  /** The typed start: fields w and b, each with its message beside it. */
  wireStartFields() {
    ["w", "b"].forEach((name, axis) => {
      const input = this.root.querySelector(`input[name=${name}]`);
      input.addEventListener("input", () => {
        const v = Number(input.value);
        if (input.value.trim() === "" || !Number.isFinite(v) || Math.abs(v) > 1e6) {
          this.showError(input, "Type a number from −1000000 to 1000000.");
          return;
        }
        this.showError(input, null);
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
    this.playing = true;
    this.playButton.textContent = "Pause";
    // 30 steps walk, 500 run.
    const perSecond = Math.min(150, Math.max(6, this.last / 4));
    let from = performance.now();
    let k = this.k;
    const tick = (now) => {
      if (!this.playing) return;
      k += ((now - from) / 1000) * perSecond;
      from = now;
      this.showStep(Math.floor(k));
      if (this.k >= this.last) this.pause();
      else this._animation = requestAnimationFrame(tick);
    };
    this._animation = requestAnimationFrame(tick);
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    cancelAnimationFrame(this._animation);
    this.playButton.textContent = "Play";
    // The address records where the walk stopped, not every frame of it.
    this.notifyUrl?.();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.pause();
  }
}

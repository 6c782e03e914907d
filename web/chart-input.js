// What the reader does on a chart: a pointer on it (the chart x under it, dragging) and Play
// (a walk shown step by step, one redraw a frame). Methods of every widget (web/widget.js
// mixes them into CalcWidget), so that a widget's setup says `this.wireDrag((x) => ...)`.
import { toPixel, xAt } from "./frame.js";

export const CHART_INPUT = {
  /** CSS pixel of a chart point, relative to the canvas (widget contract). */
  chartToPixel(x, y) {
    const frame = this.chart?.frame;
    if (!frame) return null;
    const [px, py] = toPixel(frame, x, y);
    return { x: px, y: py };
  },

  /** The chart x under a pointer event. */
  xAtEvent(event) {
    const rect = this.canvas.getBoundingClientRect();
    const frame = this.chart.frame;
    return frame ? xAt(frame, event.clientX - rect.left) : NaN;
  },

  /** Dragging on the chart (mouse, touch or pen) calls `onX` with the chart x under the pointer. */
  wireDrag(onX) {
    let dragging = false;
    this.canvas.addEventListener("pointerdown", (e) => {
      dragging = true;
      this.canvas.setPointerCapture(e.pointerId);
      onX(this.xAtEvent(e));
    });
    this.canvas.addEventListener("pointermove", (e) => {
      if (dragging) onX(this.xAtEvent(e));
    });
    const stop = () => (dragging = false);
    this.canvas.addEventListener("pointerup", stop);
    this.canvas.addEventListener("pointercancel", stop);
  },

  /**
   * Plays a walk from step `k`, `perSecond` steps a second, one redraw a frame: `show(step)`
   * each frame, until `done()` says the walk is over. The element's `playButton` reads Pause
   * meanwhile; `pause()` stops it.
   */
  playFrom(k, perSecond, show, done) {
    this.playing = true;
    this.playButton.textContent = "Pause";
    let from = performance.now();
    const tick = (now) => {
      if (!this.playing) return;
      k += ((now - from) / 1000) * perSecond;
      from = now;
      show(Math.floor(k));
      if (done()) this.pause();
      else this._animation = requestAnimationFrame(tick);
    };
    this._animation = requestAnimationFrame(tick);
  },

  /** Stops a walk `playFrom` started. */
  pause() {
    if (!this.playing) return;
    this.playing = false;
    cancelAnimationFrame(this._animation);
    this.playButton.textContent = "Play";
  },
};

// <calc-partial function="w^2 + b^2" slice="b" at="5" point="3">
// Chapter 2's slicer: the loss surface in 3D, turned by dragging, with the slice b = b₀ in
// orange; beside it the slice itself in 2D, whose slope at the point is ∂f/∂w there.
import { CalcWidget, tidy } from "./widget.js";
import { xAt } from "./frame.js";
import { PARTIAL, SURFACES } from "../pkg/book.js";

/** An angle in radians as the attributes write it: degrees, to a tenth. */
const tenthOfDegree = (r) => Math.round((r * 1800) / Math.PI) / 10;

export class CalcPartial extends CalcWidget {
  static observedAttributes = ["function", "slice", "at", "point", "yaw", "pitch", "theme"];

  get presets() {
    return SURFACES;
  }

  template() {
    // The slice setup will show (its example's range, the held variable's value, the point),
    // shown while the wasm arrives.
    const range = (this.presetFor(this.startingSource()) ?? SURFACES[0]).range;
    const other = this.getAttribute("slice")?.trim() === "w";
    const [lo, hi] = other ? range.slice(0, 2) : range.slice(2);
    const at = this.startingNumber("at", PARTIAL.at, [lo, hi]);
    return `
      <div class="row">${this.functionField("f(w, b) =")}${this.presetSelect()}</div>
      <div class="pair">
        <div class="chart-box"><canvas part="chart" role="img" tabindex="0"></canvas></div>
        <div class="chart-box"><canvas part="chart slice" role="img" tabindex="0"></canvas></div>
      </div>
      <div class="row">
        <label class="slider"><span><span class="fixed-name">${other ? "w" : "b"}</span>₀</span> <input type="range" name="at" step="any"
          min="${lo}" max="${hi}" value="${at}"></label>
        <output aria-live="off" class="value at-value"></output>
        <label><input type="checkbox" name="other"${other ? " checked" : ""}> slice the other way</label>
      </div>
      <div class="row">
        <span>point at</span>
        ${this.numberField("point", `<span class="free-name">${other ? "b" : "w"}</span> =`, 'step="any"', this.startingNumber("point", PARTIAL.point))}
      </div>
      ${this.readout(1)}
      <p class="hint">Turn the surface by dragging it, or with the arrow keys on it. Drag the point along the
        orange slice, on the surface or on the flat chart, use ← → on the flat chart, or type where it goes.</p>`;
  }

  setup() {
    const $ = (s) => this.root.querySelector(s);
    this.chart = new this.calculus.LossSurface(this.canvas);
    this.sliceCanvas = $("canvas[part~=slice]");
    this.slice = new this.calculus.DerivativeExplorer(this.sliceCanvas);
    this.atInput = $("input[name=at]");
    this.otherBox = $("input[name=other]");
    this.yaw = PARTIAL.yaw;
    this.pitch = PARTIAL.pitch;
    this.turning = false;
    this.range = SURFACES[0].range;
    this.fixed = 1; // the second variable (b) is held fixed
    this.at = PARTIAL.at;
    this.point = PARTIAL.point;
    this.source = SURFACES[0].source;

    this.wireFunction(
      () => {
        this.source = this.root.querySelector("input[name=function]").value;
        this.updateSlice();
      },
      ({ range }) => this.setRange(range),
      { presetAttributes: true },
    );
    this.atInput.addEventListener("input", () => this.setAt(Number(this.atInput.value)));
    // Typed, the point goes where the reader says (arrow keys on an image do not reach the
    // page from a screen reader's browse mode).
    this.pointInput = $("input[name=point]");
    this.wireNumberIn(this.pointInput, () => this.freeRange(), "the slice's range", (v) => this.setPoint(v, this.pointInput));
    this.otherBox.addEventListener("change", () => {
      // Through the same point (w, b): the held value and the point's trade places.
      [this.at, this.point] = [this.point, this.at];
      this.setFixed(this.otherBox.checked ? 0 : 1);
    });

    // On the surface, a drag that starts on the slice's point moves the point along the slice
    // (the pointer projected onto the orange curve); any other drag turns the surface, drawn with
    // a coarse mesh until the pointer is let go. The arrow keys turn it.
    let drag = null;
    const local = (e) => {
      const rect = this.canvas.getBoundingClientRect();
      return [e.clientX - rect.left, e.clientY - rect.top];
    };
    const onPoint = (e) => {
      const [x, y] = local(e);
      const p = this.pointPixel();
      // A fingertip covers more than a mouse pointer does.
      const reach = e.pointerType === "touch" ? 22 : 12;
      return !!p && Math.hypot(x - p[0], y - p[1]) <= reach;
    };
    this.canvas.addEventListener("pointerdown", (e) => {
      this.canvas.setPointerCapture(e.pointerId);
      drag = { point: onPoint(e), last: [e.clientX, e.clientY] };
      this.turning = !drag.point;
      this.canvas.style.cursor = drag.point ? "grabbing" : "move";
    });
    this.canvas.addEventListener("pointermove", (e) => {
      if (!drag) {
        if (e.pointerType === "mouse") this.canvas.style.cursor = onPoint(e) ? "grab" : "";
        return;
      }
      if (drag.point) {
        this.setPoint(this.chart.sliceAt(...local(e)));
      } else {
        this.turn((e.clientX - drag.last[0]) * 0.01, (e.clientY - drag.last[1]) * 0.01);
        drag.last = [e.clientX, e.clientY];
      }
    });
    const release = () => {
      drag = null;
      this.turning = false;
      this.canvas.style.cursor = "";
      this.requestDraw();
    };
    this.canvas.addEventListener("pointerup", release);
    this.canvas.addEventListener("pointercancel", release);
    this.canvas.addEventListener("keydown", (e) => {
      const turns = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, 0.05], ArrowDown: [0, -0.05] };
      if (!(e.key in turns)) return;
      this.turn(...turns[e.key]);
      e.preventDefault();
    });

    // The point on the slice: drag or arrows on the 2D chart.
    let dragging = false;
    const pointAt = (e) => {
      const frame = this.slice.frame;
      if (!frame) return;
      const x = xAt(frame, e.clientX - this.sliceCanvas.getBoundingClientRect().left);
      this.setPoint(x);
    };
    this.sliceCanvas.addEventListener("pointerdown", (e) => {
      dragging = true;
      this.sliceCanvas.setPointerCapture(e.pointerId);
      pointAt(e);
    });
    this.sliceCanvas.addEventListener("pointermove", (e) => dragging && pointAt(e));
    this.sliceCanvas.addEventListener("pointerup", () => (dragging = false));
    this.sliceCanvas.addEventListener("pointercancel", () => (dragging = false));
    this.sliceCanvas.addEventListener("keydown", (e) => {
      const [lo, hi] = this.freeRange();
      const step = ((hi - lo) / 200) * (e.shiftKey ? 10 : 1);
      const moves = { ArrowRight: step, ArrowLeft: -step };
      if (!(e.key in moves)) return;
      this.setPoint(this.point + moves[e.key]);
      e.preventDefault();
    });
    this.watchCanvas(this.sliceCanvas);

    this.applyFunction(this.getAttribute("function") ?? SURFACES[0].source, true);
    this.source = this.root.querySelector("input[name=function]").value;
    this.fixed = this.fixedOfAttribute();
    this.otherBox.checked = this.fixed === 0;
    this.at = this.numberAttr("at", PARTIAL.at, this.fixedRange());
    this.point = this.numberAttr("point", this.point, this.freeRange());
    this.readView();
    this.updateSlice();
  }

  /**
   * The 3D view's `yaw` (turn) and `pitch` (tilt) attributes, in degrees; radians inside. The
   * book's own view is kept exactly where an attribute gives it, or none does.
   */
  readView() {
    const angle = (name, range) => {
      const book = tenthOfDegree(PARTIAL[name]);
      const v = this.numberAttr(name, book, range);
      return v === book ? PARTIAL[name] : (v * Math.PI) / 180;
    };
    this.yaw = angle("yaw");
    this.pitch = angle("pitch", PARTIAL.pitchRange.map(tenthOfDegree));
    this.requestDraw();
  }

  attributeChangedCallback(name, old, value) {
    if (!this.chart || old === value) return;
    if (name === "function") this.applyFunction(value ?? SURFACES[0].source, true);
    else if (name === "slice") this.setFixed(this.fixedOfAttribute());
    else if (name === "at") this.setAt(this.numberAttr("at", this.at, this.fixedRange()));
    else if (name === "point") this.setPoint(this.numberAttr("point", this.point, this.freeRange()));
    else if (name === "yaw" || name === "pitch") this.readView();
    else this.requestDraw();
  }

  /** The variable `slice` holds fixed: 1 for b (the default), 0 for w. */
  fixedOfAttribute() {
    return this.wordAttr("slice", ["b", "w"]) === "w" ? 0 : 1;
  }

  /** The axis names, e.g. ["w", "b"]. */
  get names() {
    return this.chart.axes.split(",");
  }

  /** [lo, hi] of the variable the slice runs along, and of the one it holds fixed. */
  freeRange() {
    const [umin, umax, vmin, vmax] = this.range;
    return this.fixed === 1 ? [umin, umax] : [vmin, vmax];
  }

  fixedRange() {
    const [umin, umax, vmin, vmax] = this.range;
    return this.fixed === 1 ? [vmin, vmax] : [umin, umax];
  }

  setRange(range) {
    this.chart.setRange(...range);
    this.range = range;
    const [lo, hi] = this.fixedRange();
    this.at = tidy(lo + (hi - lo) * 0.75);
    const [a, b] = this.freeRange();
    this.point = tidy(a + (b - a) * 0.65);
  }

  setFixed(fixed) {
    this.fixed = fixed;
    this.otherBox.checked = fixed === 0;
    this.updateSlice();
  }

  setAt(at) {
    if (!Number.isFinite(at)) return;
    const [lo, hi] = this.fixedRange();
    this.at = tidy(Math.min(hi, Math.max(lo, Math.round(at * 100) / 100)));
    this.updateSlice();
  }

  /** Puts the point at x along the slice (on its grid of 2000 steps unless typed); its field follows. */
  setPoint(x, except = null) {
    if (!Number.isFinite(x)) return;
    const [lo, hi] = this.freeRange();
    const fine = (hi - lo) / 2000;
    // Typed (`except`, the field), exactly there; pointed at or stepped to, on the grid.
    this.point = tidy(Math.min(hi, Math.max(lo, except ? x : Math.round(x / fine) * fine)));
    if (this.pointInput !== except) {
      this.showValue(this.pointInput, this.point);
      if (this.pointInput.getAttribute("aria-invalid") === "true") this.showError(this.pointInput, null);
    }
    this.refresh();
  }

  /** The 2D chart shows f with the fixed variable replaced by its value. */
  updateSlice() {
    const [u, v] = this.names;
    const fixedName = this.fixed === 1 ? v : u;
    const [lo, hi] = this.fixedRange();
    Object.assign(this.atInput, { min: lo, max: hi });
    this.atInput.value = String(this.at);
    this.root.querySelector(".fixed-name").textContent = fixedName;
    this.root.querySelector(".free-name").textContent = this.fixed === 1 ? u : v;
    this.root.querySelector(".at-value").textContent = this.format(this.at, "fixed", 2);
    try {
      this.slice.setFunction(this.calculus.substitute(this.source, fixedName, this.at));
      this.slice.setRange(...this.freeRange());
    } catch (e) {
      this.showError(null, e.message);
    }
    this.setPoint(this.point);
  }

  /** CSS pixel [x, y] of the slice's point on the 3D view, as last drawn; null before that. */
  pointPixel() {
    const [u, v] = this.fixed === 1 ? [this.point, this.at] : [this.at, this.point];
    const [x, y] = this.chart.toPixel(u, v);
    return Number.isFinite(x) && Number.isFinite(y) ? [x, y] : null;
  }

  turn(dyaw, dpitch) {
    this.yaw += dyaw;
    const [lowest, highest] = PARTIAL.pitchRange;
    this.pitch = Math.min(highest, Math.max(lowest, this.pitch + dpitch));
    this.requestDraw();
  }

  refresh() {
    const [u, v] = this.names;
    const [free, fixed] = this.fixed === 1 ? [u, v] : [v, u];
    const f = this.slice.value(this.point);
    const slope = this.slice.slope(this.point);
    const [w, b] = this.fixed === 1 ? [this.point, this.at] : [this.at, this.point];
    const two = (x) => this.format(x, "fixed", 2);
    this.setReadout(`∂f/∂${free} at (${u}, ${v}) = (${two(w)}, ${two(b)}) = ${two(slope)}, with ${fixed} held at ${two(this.at)}; f = ${two(f)}`);
    this.requestDraw();
  }

  paint(width, height, dpr, dark) {
    this.chart.setSlice(this.fixed, this.at, this.point);
    this.chart.setCamera(this.yaw, this.pitch, this.turning);
    this.chart.draw(width, height, dpr, dark);
    this.canvas.setAttribute("aria-label", this.chart.describe());
    const size = this.canvasSize(this.sliceCanvas);
    if (size.width >= 1 && size.height >= 1) {
      this.slice.setX(this.point);
      this.slice.draw(size.width, size.height, dpr, dark);
      this.sliceCanvas.setAttribute("aria-label", `The slice: ${this.slice.describe()}`);
    }
  }

  /** "Copy as Python" (web/python-scripts.js): what its script reproduces. */
  pythonUnavailable() {
    return null;
  }

  pythonState() {
    return { source: this.functionShown, names: this.names, fixed: this.fixed, at: this.at, point: this.point, freeRange: this.freeRange() };
  }

  /** Copy embed code: the attributes that show what the widget shows now. */
  embedAttributes() {
    // The view only once the reader has turned it; the turn as -180 to 180 degrees.
    const view = (name, angle) => (angle === PARTIAL[name] ? undefined : tenthOfDegree(Math.atan2(Math.sin(angle), Math.cos(angle))));
    return { function: this.functionShown, slice: this.fixed === 0 ? "w" : "b", at: this.at, point: this.point, yaw: view("yaw", this.yaw), pitch: view("pitch", this.pitch) };
  }
}

customElements.get("calc-partial") ?? customElements.define("calc-partial", CalcPartial);

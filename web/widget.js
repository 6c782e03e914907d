// The base of every widget: a custom element with an open shadow root, one canvas drawn by
// Rust, light/dark theme following the page, HiDPI sizing, redraw on resize, and the widget
// contract used by pages, tests and the bench (see ARCHITECTURE.md).
import { DEFAULT_LOADING, loadCalculus, loadingOf } from "./loader.js";
import { forgetNearViewport, leaveTabOrder, takeFocusStandIn, wasSeenNear, whenNearViewport } from "./near-viewport.js";
import { widgetStyles } from "./style.js";
import { EXAMPLES } from "../pkg/book.js";
import { FORM_CONTROLS } from "./controls.js";
import { CHART_INPUT } from "./chart-input.js";
import { addMenu, fileSlug, prettyFormula } from "./widget-menu.js";
import { Sharing } from "./sharing.js";

let uid = 0;

/** How long a readout holds before a screen reader hears it (announce). */
const ANNOUNCE_AFTER_MS = 600;
/** What Tab stops at inside a widget. */
const FOCUSABLE = 'input:not([type=hidden]):not(:disabled), select:not(:disabled), button:not(:disabled), textarea, summary, [tabindex="0"]';

/**
 * Paper is light: printed, every chart draws in the light theme, whatever the screen's, and
 * as it was once the print is done. (A dark chart printed as a black block.)
 */
const drawn = new Set();
const PRINT = matchMedia("print");
let printing = false;
function redrawForPaper(on) {
  printing = on;
  for (const w of drawn) w.drawNow();
}
addEventListener("beforeprint", () => redrawForPaper(true));
addEventListener("afterprint", () => redrawForPaper(false));
PRINT.addEventListener("change", () => redrawForPaper(PRINT.matches));

/**
 * Every started widget, drawn or not: the page's theme (its toggle, or the system's) reaches
 * each, a box waiting for its wasm or one whose start failed as much as a drawn chart.
 */
const started = new Set();
function followTheme() {
  for (const w of started) w.themeChanged();
}
new MutationObserver(followTheme).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
matchMedia("(prefers-color-scheme: dark)").addEventListener("change", followTheme);

/** Widgets whose start failed, showing "Try again". */
const failedStarts = new Set();

/**
 * A widget tried again has drawn: what stopped the others (the network, most likely) is
 * over. They try again too, and the live numbers in the prose (calc-live.js) hear of it.
 */
function restartFailed(widget) {
  widget._retried = false;
  for (const w of [...failedStarts]) w.retry();
  widget.dispatchEvent(new CustomEvent("calc-restart", { bubbles: true, composed: true }));
}

/**
 * Widgets waiting for their first draw. They all start when the shared wasm module resolves,
 * in one run of microtasks (or, while the page is being parsed, by its end); measuring them
 * together afterwards costs one layout for the page, and drawing then, rather than at the
 * next frame, gets the charts on screen sooner.
 */
const firstDraws = new Set();

function drawFirstTime() {
  const widgets = [...firstDraws];
  firstDraws.clear();
  // Every canvas first, each widget's other canvases too (watchCanvas): one layout for all.
  const boxes = widgets.map((w) => w.canvas.getBoundingClientRect());
  for (const w of widgets) for (const canvas of w._canvases.keys()) w._canvases.set(canvas, sizeOf(canvas.getBoundingClientRect()));
  widgets.forEach((w, i) => {
    w._size = sizeOf(boxes[i]);
    w.drawNow();
  });
}

/**
 * Gives fields their values typed (or picked) before the widget was set up, and tells the
 * widget as the reader's own input would: `input`, then `change`.
 */
function replayEdits(edits) {
  for (const [field, value] of edits) {
    if (field.type === "checkbox") field.checked = value;
    else field.value = value;
    for (const type of ["input", "change"]) field.dispatchEvent(new Event(type, { bubbles: true }));
  }
}

/** `{ width, height }` of a DOMRect or of a ResizeObserver entry's content box. */
function sizeOf(box) {
  const content = box.contentBoxSize?.[0];
  if (content) return { width: content.inlineSize, height: content.blockSize };
  const rect = box.contentRect ?? box;
  return { width: rect.width, height: rect.height };
}

const sameSize = (a, b) => !!a && !!b && a.width === b.width && a.height === b.height;

/** Rounds away the float noise of repeated steps (1 + 0.1 → 1.1, not 1.1000000000000001). */
export function tidy(v) {
  return Number(v.toFixed(12));
}

export class CalcWidget extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this.shadowRoot.adoptedStyleSheets = [widgetStyles];
    // Until it starts, its description is what it prints (style.js `slot.unstarted`).
    this.shadowRoot.innerHTML = '<slot class="unstarted"></slot>';
    this.uid = `calc${++uid}`;
    /** Durations (ms) of every redraw, for the bench. */
    this.drawTimes = [];
    this.newReady();
    this._frameRequest = 0;
    /** The widget's other canvases (watchCanvas) and their CSS sizes. */
    this._canvases = new Map();
  }

  /** `ready`: resolves at the first draw, rejects if the start fails (widget contract). */
  newReady() {
    this.ready = new Promise((resolve, reject) => {
      this._resolveReady = resolve;
      this._rejectReady = reject;
    });
  }

  /**
   * Starts a lazy widget: once it nears the viewport, or sooner when something on screen needs
   * it (a follower needs its lab). Either way once: the other way stops waiting.
   */
  startNow() {
    forgetNearViewport(this);
    this._nearViewport = true;
    if (this.isConnected && !this._started) this.connectedCallback();
  }

  connectedCallback() {
    if (this._started) {
      started.add(this);
      this.requestDraw();
      return;
    }
    if (this.loading === "lazy" && !this._nearViewport && !wasSeenNear(this)) {
      // As <img loading="lazy">: nothing is fetched or drawn until the widget nears the
      // viewport, on a book page as in a post. What the first screen shows says eager.
      whenNearViewport(this, () => this.startNow());
      return;
    }
    this._started = true;
    started.add(this);
    this.shadowRoot.querySelector("slot.unstarted")?.remove();
    this.ready.then(() => this.passFocus(), () => {});
    this.start().catch((e) => this.failed(e));
  }

  /**
   * A start that failed (its code or wasm could not be fetched, say): the widget gives its
   * description instead, as without JavaScript, with why and a button that tries again.
   */
  failed(error) {
    console.error(error);
    this._rejectReady(error);
    failedStarts.add(this);
    this.chart = null; // whatever setup made before it failed draws nothing now
    // Focus on the host (a retry, below) or in its shadow tree: it goes to the new button.
    const focused = document.activeElement === this;
    this.shadowRoot.innerHTML = `<div class="failed${this.dark ? " dark" : ""}">
        <p part="error" role="alert">This interactive chart could not start: <span class="reason"></span>
          <button type="button" class="retry">Try again</button></p>
        <slot></slot>
      </div>`;
    this.shadowRoot.querySelector(".reason").textContent = error.message;
    const retry = this.shadowRoot.querySelector("button.retry");
    retry.addEventListener("click", () => this.retry());
    if (focused) retry.focus();
    // Out of the Tab order: a stand-in (near-viewport.js) or a retry's hold has a button now.
    takeFocusStandIn(this)?.done();
    if (this._holdingFocus) leaveTabOrder(this);
    this._holdingFocus = false;
  }

  /** Starts again after a failed start, with a new `ready`; a reader who clicked keeps the focus. */
  retry() {
    const clicked = document.activeElement === this;
    failedStarts.delete(this);
    this._retried = true;
    this.newReady();
    if (clicked) {
      // The button goes with the message: the host holds the focus until the first control can.
      this._holdingFocus = true;
      this.tabIndex = -1;
      this.focus({ preventScroll: true });
      this.ready.then(() => {
        this._holdingFocus = false;
        this.visibleControls()[0]?.focus({ preventScroll: true });
        leaveTabOrder(this);
      }, () => {});
    }
    this.shadowRoot.querySelector(".failed")?.remove();
    this._started = false;
    this._nearViewport = true;
    this.connectedCallback();
  }

  /**
   * The focus, once the widget has drawn: a widget that stood in the Tab order while it waited
   * (near-viewport.js) and got the focus there hands it to its first control, or to its last
   * when the reader came back with Shift+Tab; and a keyboard's focus elsewhere that the widget,
   * growing as it started, pushed out of view is brought back into it.
   */
  passFocus() {
    const stand = takeFocusStandIn(this);
    if (stand?.focused) {
      const controls = this.visibleControls();
      (stand.backwards ? controls.at(-1) : controls[0])?.focus();
    }
    stand?.done();
    // Drawn, it may be taller than the space it held, and push the control the keyboard is on
    // out of view: that control is brought back.
    const focused = document.activeElement;
    if (!stand?.focused && focused && focused !== document.body && focused.matches(":focus-visible")) {
      const box = focused.getBoundingClientRect();
      if (box.bottom < 0 || box.top > innerHeight) focused.scrollIntoView({ block: "nearest" });
    }
  }

  /** What Tab stops at inside the drawn widget, in order. */
  visibleControls() {
    return [...this.root.querySelectorAll(FOCUSABLE)].filter((el) => el.checkVisibility?.() ?? true);
  }

  /** The page's theme changed: a drawn chart redraws; a box not drawn yet takes its colours. */
  themeChanged() {
    if (this.chart) this.requestDraw();
    else this.shadowRoot.querySelector(".widget, .failed")?.classList.toggle("dark", this.dark);
  }

  disconnectedCallback() {
    started.delete(this);
    cancelAnimationFrame(this._frameRequest);
    clearTimeout(this._announcing);
    drawn.delete(this);
  }

  async start() {
    const calculus = loadCalculus(this.localName);
    calculus.catch(() => {}); // awaited below; reported there, not as unhandled meanwhile
    const root = document.createElement("div");
    root.className = "widget";
    // A thumbnail (the summary's): the chart, its readout and its essential controls.
    root.classList.toggle("compact", this.hasAttribute("compact"));
    // In the page's theme from the start, not only once drawn: no light box on a dark page.
    root.classList.toggle("dark", this.dark);
    root.innerHTML = `${this.template()}
      <p class="error" part="attribute-error" aria-live="polite"></p>
      <p class="announce" role="status"></p>`;
    this._attributeErrors = new Map();
    // In place while the wasm arrives: the page is laid out with the widget at its size, not
    // collapsed, so that what it pushes down is not taken for near the viewport and started.
    // Busy until drawn. Its fields take the focus and what is typed meanwhile: set up, each
    // field changed is given back its value and tells the widget (`replayEdits`).
    root.setAttribute("aria-busy", "true");
    const edited = new Set();
    const noteEdit = (e) => e.composedPath()[0].name && edited.add(e.composedPath()[0]);
    for (const event of ["input", "change"]) root.addEventListener(event, noteEdit, { capture: true });
    this.shadowRoot.append(root);
    this.root = root;
    // What a template cannot say (a select's choice, say), shown while the wasm arrives.
    this.showStarting?.();
    this.calculus = await calculus;
    for (const event of ["input", "change"]) root.removeEventListener(event, noteEdit, { capture: true });
    const edits = [...edited].map((field) => [field, field.type === "checkbox" ? field.checked : field.value]);
    this.wordAttr("loading", ["lazy", "eager"], DEFAULT_LOADING);
    this.canvas = root.querySelector("canvas");
    this.readoutEl = root.querySelector("[part~=readout]");
    this.announcer = root.querySelector(".announce");
    for (const event of ["keydown", "pointerdown", "input", "change"]) {
      root.addEventListener(event, () => (this._used = true), { capture: true, passive: true });
    }
    this.applyLinkedAttributes();
    this.setup();
    replayEdits(edits);
    this.menu = addMenu(this, this.menuItems());
    this._firstDraw = () => {
      this._firstDraw = null;
      drawn.add(this);
      this._resolveReady();
      if (this._retried) restartFailed(this);
    };
    this._observe();
    // Clicking the widget's text or padding puts the keyboard on the chart, so that ←/→ then
    // move the point instead of turning the page (site.js leaves keys inside widgets alone).
    root.addEventListener("pointerdown", (e) => {
      if (!e.composedPath().some((n) => n instanceof Element && n.matches("input, select, button, label, canvas"))) {
        // After the press's own focus change, which would otherwise win: it puts focus on
        // the nearest focusable ancestor, the page's <main>, where ←/→ turn the page.
        setTimeout(() => this.canvas.focus({ preventScroll: true }));
      }
    });
    // Queued after every other widget's start (see firstDraws). A widget with no size yet
    // (hidden, say) draws when the ResizeObserver first sees it with one. While the parser is
    // still adding the page, measuring would lay out the document so far, and each widget
    // parsed after it would lay it out again: those wait for the end of parsing, and are
    // measured together then.
    if (firstDraws.size === 0) {
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawFirstTime, { once: true });
      else queueMicrotask(drawFirstTime);
    }
    firstDraws.add(this);
  }

  /**
   * The examples this widget offers, `{ source, label, range }` (the book's facts, from
   * crates/calculus-wasm/src/book/): chapter 1's functions of x unless a widget says.
   */
  get presets() {
    return EXAMPLES;
  }

  /**
   * `value` as the book writes numbers (crates/calculus-wasm/src/format.rs): `"value"` in
   * tables and sentences, `"rate"` for a learning rate, or `"fixed"`, `"decimals"` and
   * `"significant"` with their `digits`. The widget's wasm build must be instantiated.
   */
  format(value, style = "value", digits = undefined) {
    return this.calculus.formatNumber(value, style, digits);
  }

  /**
   * The entries of the widget's menu (the ⋯ button on its corner), `[{ action, label, run }]`:
   * `run()` returns what to announce. A widget or a later feature adds its own entries here.
   */
  menuItems() {
    const python = this.pythonUnavailable();
    // What the entries do loads on the first click (web/menu-actions.js); what they copy is
    // taken before that wait, so it is the view the reader clicked on.
    const actions = () => import("./menu-actions.js");
    const copy = async (text, what) => (await actions()).copyText(this, text, what);
    // What a copy of the view cannot carry, said with "copied".
    const copyView = async (text, what) => [await copy(text, what), this.copyCaveat()].filter(Boolean).join(" ");
    return [
      { action: "png", label: "Save as PNG", run: async () => (await actions()).savePng(this, this.caption(), this.fileName()) },
      { action: "link", label: "Copy link to this view", run: () => copyView(this.linkToView(), "Link") },
      // The script's templates and the formula → numpy translation (the full wasm build's
      // `toPython`) load on the first click: a page nobody copies from never fetches them.
      { action: "python", label: "Copy as Python", disabled: python, run: async () => copy(await (await import("./python-scripts.js")).pythonScript(this), "Python code") },
      { action: "embed", label: "Copy embed code", run: () => copyView(this.embedCode(), "Embed code") },
    ];
  }

  /** Why "Copy as Python" cannot reproduce this widget (null: it can; see web/python-scripts.js). */
  pythonUnavailable() {
    return "The script for this widget is not written yet.";
  }

  /** The one line under a saved PNG: the widget's settings (by default, its readout). */
  caption() {
    return this.readoutEl?.textContent.trim() ?? "";
  }

  /** A saved PNG's name, without `.png`: the widget and what it shows (`derivative-x2-x1.5`). */
  fileName() {
    const { function: source, ...rest } = this.embedAttributes();
    const parts = [this.localName.replace(/^calc-/, "")];
    if (source) parts.push(fileSlug(source));
    for (const [name, value] of Object.entries(rest).slice(0, 3)) {
      if (typeof value === "number" || (typeof value === "string" && value.length <= 12)) parts.push(`${name}${fileSlug(value)}`);
    }
    return parts.join("-");
  }

  /** `source` as a caption writes it (`w^2 + b^2` → `w² + b²`). */
  pretty(source) {
    return prettyFormula(source);
  }

  /** An attribute changed after the start: its theme is a redraw; any other, its state again. */
  attributeChangedCallback(name, old, value) {
    if (!this.chart || old === value) return;
    if (name === "theme" || !this.readAttributes) return this.requestDraw();
    this.readAttributes();
    this.notifyUrl?.apply?.();
  }

  /** Shadow DOM children of the widget; the canvas must be `canvas[part~=chart]`. */
  template() {
    throw new Error("a widget must define template()");
  }

  /** Build the chart, wire controls, apply attributes. */
  setup() {}

  /** Draw with the chart's `draw` and update readout and aria-label. */
  paint(_width, _height, _dpr, _dark) {}

  /** Whether the widget has begun loading (a lazy one: once it came near the viewport). */
  get started() {
    return !!this._started;
  }

  /** When the widget fetches its wasm and draws: `loading="lazy"` or `"eager"`, as on <img>. */
  get loading() {
    return loadingOf(this);
  }

  get dark() {
    if (printing || PRINT.matches) return false;
    const own = this.getAttribute("theme");
    if (own === "dark" || own === "light") return own === "dark";
    const page = document.documentElement.dataset.theme;
    if (page === "dark" || page === "light") return page === "dark";
    return matchMedia("(prefers-color-scheme: dark)").matches;
  }

  /** The main curve's `#rrggbb` in the current theme (widget contract). */
  get curveColor() {
    return this.calculus?.curveColor(this.dark);
  }

  requestDraw() {
    if (this._frameRequest || !this.chart) return;
    this._frameRequest = requestAnimationFrame(() => {
      this._frameRequest = 0;
      this.drawNow();
    });
  }

  /**
   * Keeps the widget from drawing, and `ready` from resolving, until the returned function is
   * called. A widget that shows another element's data (a linked lab) would otherwise draw an
   * empty chart first, and be "ready" before it shows anything.
   */
  holdFirstDraw() {
    this._held = true;
    return () => {
      this._held = false;
      this.drawNow();
    };
  }

  drawNow() {
    const box = this._size;
    if (this._held || !box || box.width < 1 || box.height < 1) return;
    // This draw shows the current state: a frame requested before it (setup's, say) would
    // only repeat it.
    cancelAnimationFrame(this._frameRequest);
    this._frameRequest = 0;
    const dark = this.dark;
    this.root.classList.toggle("dark", dark);
    const theme = this.getAttribute("theme");
    if (theme !== this._themeAsked) {
      this._themeAsked = theme;
      this.wordAttr("theme", ["light", "dark"], "the page's theme");
    }
    const t0 = performance.now();
    this.root.removeAttribute("aria-busy"); // drawn, or saying why not
    try {
      this.paint(box.width, box.height, window.devicePixelRatio || 1, dark);
    } catch (e) {
      // A drawing failure must not take the page down; say so where the reader looks.
      this.attributeError("draw", `Could not draw: ${e.message}`);
      return;
    }
    if (this._attributeErrors.has("draw")) this.attributeError("draw", null);
    this.drawTimes.push(performance.now() - t0);
    if (this.drawTimes.length > 5000) this.drawTimes.splice(0, 1000);
    this._firstDraw?.();
  }

  /**
   * A second canvas the widget draws (a slice beside a surface, a chart under a chart): its
   * size, `canvasSize(canvas)`, is measured with the main canvas's for the first draw and
   * kept by a ResizeObserver after, which redraws the widget when it changes (a panel shown,
   * a narrower window), not on its first report of the size the first draw used.
   */
  watchCanvas(canvas) {
    this._canvases.set(canvas, null);
    this._canvasWatch ??= new ResizeObserver((entries) => {
      let changed = false;
      for (const entry of entries) {
        const size = sizeOf(entry);
        if (sameSize(size, this._canvases.get(entry.target))) continue;
        this._canvases.set(entry.target, size);
        changed = true;
      }
      if (changed) this.requestDraw();
    });
    this._canvasWatch.observe(canvas);
  }

  /** The CSS size of a canvas given to `watchCanvas` (0 × 0 while it is hidden). */
  canvasSize(canvas) {
    let size = this._canvases.get(canvas);
    if (!size) {
      size = sizeOf(canvas.getBoundingClientRect());
      this._canvases.set(canvas, size);
    }
    return size;
  }

  _observe() {
    new ResizeObserver(([entry]) => {
      const size = sizeOf(entry);
      // The observer's first report repeats the size the first draw already used.
      const same = sameSize(size, this._size);
      this._size = size;
      if (same && this.drawTimes.length) return;
      // Already after layout: draw now rather than a frame later.
      this.drawNow();
    }).observe(this.canvas);
    // Zooming or moving to another screen changes devicePixelRatio without resizing the canvas.
    const watchRatio = () => {
      matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`).addEventListener(
        "change",
        () => {
          watchRatio();
          this.requestDraw();
        },
        { once: true },
      );
    };
    watchRatio();
  }

  setReadout(text) {
    if (!this.readoutEl || this.readoutEl.textContent === text) return;
    this.readoutEl.textContent = text;
    this.announce(text);
  }

  /**
   * Says `text` to a screen reader once it has held for ANNOUNCE_AFTER_MS: the readout changes
   * with every frame of a drag or of Play (40 times in a second and a half of dragging), and
   * each change of a live region was read, one after another. A slider says its own value.
   */
  announce(text) {
    // Only once the reader has used the widget: a page read aloud heard each widget's readout
    // as it loaded, and its followers' as the lab answered.
    if (!this._used) return;
    clearTimeout(this._announcing);
    this._announcing = setTimeout(() => {
      if (this.announcer.textContent !== text) this.announcer.textContent = text;
    }, ANNOUNCE_AFTER_MS);
  }
}

// The form controls every widget builds its row of inputs from (web/controls.js), and what a
// pointer or Play does on its chart (web/chart-input.js).
Object.assign(CalcWidget.prototype, FORM_CONTROLS, CHART_INPUT);

// How it is shared: links, embed code, settings kept in the address (web/sharing.js); its
// getters too, so not by Object.assign.
for (const [name, member] of Object.entries(Object.getOwnPropertyDescriptors(Sharing.prototype))) {
  if (name !== "constructor") Object.defineProperty(CalcWidget.prototype, name, member);
}

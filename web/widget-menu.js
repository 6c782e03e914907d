// The widget's menu: a ⋯ button on the corner of its card that opens a short list of actions
// (the widget's `menuItems()`: save as PNG, copy a link to this view, copy as Python, copy
// embed code). It follows the ARIA menu-button pattern: Enter, Space or ↓ opens it on its first
// item, ↑/↓/Home/End move, Escape closes it and gives the focus back to the button, Tab or a
// click elsewhere closes it.
import { WIDGETS_SCRIPT } from "./embed-url.js";

const escapeAttribute = (s) => String(s).replace(/[&"<>]/g, (c) => ({ "&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;" })[c]);

/** `<tag a="1" flag></tag>`: `attributes` maps names to values, `true` for a bare attribute. */
export function elementMarkup(tag, attributes, inner = "") {
  const list = Object.entries(attributes)
    .filter(([, v]) => v !== undefined && v !== null && v !== false)
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${escapeAttribute(v)}"`))
    .join("");
  return `<${tag}${list}>${inner}</${tag}>`;
}

/** The snippet a post pastes: the one widget script (at `script`), then `markup`. */
export function embedSnippet(markup, script = WIDGETS_SCRIPT) {
  return `<script type="module" src="${script}"></script>\n${markup}`;
}

/**
 * Puts the menu in `widget.root` (last, so the Tab order goes through the widget's own
 * controls first). `items`: `[{ action, label, run }]`; `run()` may return a message to
 * announce (or a promise of one).
 */
/**
 * One entry. An entry the widget cannot offer (`disabled`: why) stays in the list, focusable
 * as the ARIA pattern asks, and says why beside its label rather than doing something wrong.
 */
function menuEntry({ action, label, disabled }) {
  const why = disabled ? `<span class="menu-note">${disabled}</span>` : "";
  return `<button type="button" role="menuitem" tabindex="-1" data-action="${action}"${disabled ? ' aria-disabled="true"' : ""}>${label}${why}</button>`;
}

export function addMenu(widget, items) {
  const id = `${widget.uid}-menu`;
  const box = document.createElement("div");
  box.className = "widget-menu";
  box.setAttribute("part", "menu");
  box.innerHTML = `<button type="button" class="menu-button" aria-haspopup="menu" aria-expanded="false" aria-controls="${id}"
      aria-label="Widget menu"><span aria-hidden="true">⋯</span></button>
    <div class="menu-list" role="menu" id="${id}" aria-label="Widget menu" hidden>
      ${items.map(menuEntry).join("")}
    </div>
    <p class="menu-status" role="status" aria-live="polite"></p>`;
  widget.root.append(box);
  const button = box.querySelector(".menu-button");
  const list = box.querySelector(".menu-list");
  const status = box.querySelector(".menu-status");
  const entries = [...list.querySelectorAll("[role=menuitem]")];

  const isOpen = () => !list.hidden;
  const open = (focusIndex = 0) => {
    list.hidden = false;
    button.setAttribute("aria-expanded", "true");
    entries.at(focusIndex)?.focus();
  };
  const close = (refocus = true) => {
    if (!isOpen()) return;
    list.hidden = true;
    button.setAttribute("aria-expanded", "false");
    if (refocus) button.focus();
  };
  const say = (message) => {
    status.textContent = message ?? "";
    clearTimeout(widget._menuStatusTimer);
    if (message) widget._menuStatusTimer = setTimeout(() => (status.textContent = ""), 4000);
  };

  button.addEventListener("click", () => (isOpen() ? close() : open()));
  button.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      open(e.key === "ArrowDown" ? 0 : -1);
    }
  });
  list.addEventListener("keydown", (e) => {
    const i = entries.indexOf(e.target);
    const moves = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: entries.length - 1 };
    if (e.key in moves) {
      e.preventDefault();
      entries[(moves[e.key] + entries.length) % entries.length].focus();
    } else if (e.key === "Escape") {
      e.preventDefault();
      close();
    } else if (e.key === "Tab") {
      close(false);
    }
    // Keys used here are the menu's, not the page's (site.js turns pages with ←/→).
    e.stopPropagation();
  });
  list.addEventListener("click", async (e) => {
    const entry = e.target.closest("[role=menuitem]");
    const item = entry && items.find((it) => it.action === entry.dataset.action);
    if (!item) return;
    close();
    if (item.disabled) {
      say(`${item.label}: ${item.disabled}`);
      return;
    }
    try {
      say(await item.run());
    } catch (err) {
      say(`${item.label}: ${err.message}`);
    }
  });
  // A press outside the menu closes it (composedPath: the press may be in another shadow root).
  document.addEventListener("pointerdown", (e) => {
    if (isOpen() && !e.composedPath().includes(box)) close(false);
  });
  box.addEventListener("focusout", (e) => {
    if (isOpen() && !box.contains(e.relatedTarget)) close(false);
  });
  return { button, list, status, say };
}

/**
 * Copies `text`; where the clipboard is refused (an insecure page, a denied permission) the
 * text is put in a selected field in the widget, to copy by hand.
 */
export async function copyText(widget, text, what) {
  try {
    await navigator.clipboard.writeText(text);
    return `${what} copied.`;
  } catch {
    let field = widget.root.querySelector("textarea.menu-fallback");
    if (!field) {
      field = document.createElement("textarea");
      field.className = "menu-fallback";
      field.readOnly = true;
      field.setAttribute("aria-label", what);
      widget.root.append(field);
    }
    field.value = text;
    field.hidden = false;
    field.focus();
    field.select();
    return `The clipboard is not available here: ${what.toLowerCase()} is selected below, copy it with Ctrl+C or ⌘C.`;
  }
}

/** The formula as a caption writes it: `w^2 + b^2` → `w² + b²`, `2*x` → `2·x`. */
export function prettyFormula(source) {
  const sup = { 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹", "-": "⁻" };
  return String(source)
    .replace(/\*\*/g, "^")
    .replace(/\^(-?\d+)(?![.\d])/g, (_, d) => [...d].map((c) => sup[c]).join(""))
    .replace(/\*/g, "·");
}

/** A file name's part from a formula or value: `w^2 + b^2` → `w2-plus-b2`. */
export function fileSlug(text) {
  const words = { "+": "-plus-", "-": "-minus-", "*": "-times-", "/": "-over-", "(": "-", ")": "-", ",": "-" };
  return String(text)
    .replace(/\*\*|\^/g, "")
    .replace(/[+\-*/(),]/g, (c) => words[c])
    .replace(/[^A-Za-z0-9.]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
}

/**
 * "Save as PNG": the widget's charts redrawn by their own draw path at twice the device's
 * pixel ratio (a true re-render, not an upscale), placed as the reader sees them, in the
 * current theme, with `caption` on a line under them; downloaded as `name`.png. The canvases
 * are drawn back at the screen's ratio in the same task, so the page never shows the 2×.
 */
export async function savePng(widget, caption, name) {
  const canvases = [...widget.root.querySelectorAll("canvas[part~=chart]")].filter((c) => c.getBoundingClientRect().width >= 1);
  if (!canvases.length || !widget._size) throw new Error("the chart is not on screen");
  const ratio = 2 * (window.devicePixelRatio || 1);
  const dark = widget.dark;
  let image;
  try {
    widget.paint(widget._size.width, widget._size.height, ratio, dark);
    image = composeImage(widget, canvases, ratio, caption);
  } finally {
    widget.drawNow();
  }
  const blob = await new Promise((resolve, reject) => image.toBlob((b) => (b ? resolve(b) : reject(new Error("the browser made no image"))), "image/png"));
  const file = `${name}.png`;
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = file;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  return `Saved ${file}.`;
}

/** The canvases where they sit in the widget, on its background, and the caption under them. */
function composeImage(widget, canvases, ratio, caption) {
  const boxes = canvases.map((c) => c.getBoundingClientRect());
  const left = Math.min(...boxes.map((b) => b.left));
  const top = Math.min(...boxes.map((b) => b.top));
  // The main canvas's backing store is round(css × ratio), the width the reader's copy expects.
  const width = Math.max(...canvases.map((c, i) => Math.round((boxes[i].left - left) * ratio) + c.width));
  const chartsHeight = Math.max(...canvases.map((c, i) => Math.round((boxes[i].top - top) * ratio) + c.height));
  const style = getComputedStyle(widget.root);
  const fontSize = 13 * ratio;
  const lineHeight = Math.round(fontSize * 2);
  const out = document.createElement("canvas");
  out.width = width;
  out.height = chartsHeight + (caption ? lineHeight : 0);
  const g = out.getContext("2d");
  g.fillStyle = style.getPropertyValue("--bg").trim();
  g.fillRect(0, 0, out.width, out.height);
  canvases.forEach((c, i) => g.drawImage(c, Math.round((boxes[i].left - left) * ratio), Math.round((boxes[i].top - top) * ratio)));
  if (caption) {
    g.fillStyle = style.getPropertyValue("--fg").trim();
    const family = style.fontFamily;
    g.font = `${fontSize}px ${family}`;
    // One line: a long caption is set smaller rather than cut.
    const room = width - 2 * 8 * ratio;
    const measured = g.measureText(caption).width;
    if (measured > room) g.font = `${Math.max(6 * ratio, (fontSize * room) / measured)}px ${family}`;
    g.textBaseline = "middle";
    g.textAlign = "center";
    g.fillText(caption, width / 2, chartsHeight + lineHeight / 2);
  }
  return out;
}

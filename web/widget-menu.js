// The widget's menu: a ⋯ button on the corner of its card that opens a short list of actions
// (the widget's `menuItems()`: save as PNG, copy a link to this view, copy as Python, copy
// embed code). It follows the ARIA menu-button pattern: Enter, Space or ↓ opens it on its first
// item, ↑/↓/Home/End move, Escape closes it and gives the focus back to the button, Tab or a
// click elsewhere closes it.
import { WIDGETS_SCRIPT } from "./embed-url.js";
import { escapeMarkup } from "./markup.js";

/** `<tag a="1" flag></tag>`: `attributes` maps names to values, `true` for a bare attribute. */
export function elementMarkup(tag, attributes, inner = "") {
  const list = Object.entries(attributes)
    .filter(([, v]) => v !== undefined && v !== null && v !== false)
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${escapeMarkup(v)}"`))
    .join("");
  return `<${tag}${list}>${inner}</${tag}>`;
}

/** `now` with what equals `start` left out (undefined): the attributes a reader changed. */
export function changedFrom(now, start) {
  return Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v === start[k] ? undefined : v]));
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
  // Named for its figure where the page numbers them ("Menu of Figure 2.1"): a page of five
  // widgets had five buttons all called "Widget menu".
  const figure = widget.closest("figure")?.querySelector(".figure-label")?.textContent.trim().replace(/\.$/, "");
  const name = figure ? `Menu of ${figure}` : "Widget menu";
  const box = document.createElement("div");
  box.className = "widget-menu";
  box.setAttribute("part", "menu");
  box.innerHTML = `<button type="button" class="menu-button" aria-haspopup="menu" aria-expanded="false" aria-controls="${id}"
      aria-label="${name}"><span aria-hidden="true">⋯</span></button>
    <div class="menu-list" role="menu" id="${id}" aria-label="${name}" hidden>
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
    // Downward unless that runs off the screen and there is more room above (a widget low on
    // a phone's screen): the list, and the message an entry leaves, show where they can be
    // read whole.
    const { top, bottom } = button.getBoundingClientRect();
    const room = (visualViewport?.height ?? innerHeight) - bottom;
    box.classList.toggle("menu-up", list.offsetHeight > room && top > room);
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

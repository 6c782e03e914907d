// What the widget menu's entries do (web/widget-menu.js): copy to the clipboard, save the
// chart as a PNG. Imported on the first click (scripts/build-site.mjs ON_CLICK): a reader who
// never opens a menu never fetches it, and it is 1 KB gzipped off every chapter's first visit.

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

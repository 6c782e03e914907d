// Every widget with an id keeps its settings in the page's address, as TensorFlow Playground
// does, so a copied link reproduces what the reader sees:
//   chapter.html#lab.f=w%5E2%20%2B%20b%5E2&lab.lr=0.1&lab.n=30&race.n=200
// Keys are `<widget id>.<setting>`. A gesture (a drag, a burst of typing) makes one history
// entry, so Back and Forward step through what the reader did. Values from the address are
// untrusted: each widget checks its own and reports what it could not use.

const widgets = new Map(); // id → { read, apply }
/** Widgets without an id: nothing of theirs is written, but a copied link carries their settings. */
const linkOnly = new Map(); // key → { read }
let applying = false;
// -Infinity: the first change is always an entry of its own, so Back returns to the page as
// it opened, however soon after loading the reader changed something.
let lastWrite = -Infinity;
let pending = 0;

/** The address's hash as parameters (none when it is not parseable). */
function hashParams() {
  try {
    return new URLSearchParams(location.hash.slice(1));
  } catch {
    return new URLSearchParams();
  }
}

/**
 * The element link key `key` names: the element with that id, else the widget of that tag and
 * place (`derivative`, the first calc-derivative; `derivative-2`, the second); null if none.
 */
function widgetByKey(key) {
  // An id that is not a widget's (chapter 5's heading "gears") leaves the tag to name it.
  const byId = key ? document.getElementById(key) : null;
  if (byId?.localName.startsWith("calc-")) return byId;
  const [, base, n] = /^([a-z][a-z-]*?)(?:-(\d+))?$/.exec(key) ?? [];
  return base ? (document.querySelectorAll(`calc-${base}`)[(n ? Number(n) : 1) - 1] ?? null) : null;
}

/**
 * A link into the page lands where it points and stays there while the page grows above it
 * (prose drawn as it comes near, widgets starting and drawing), until the reader scrolls,
 * clicks or types. It points at a widget's view (`view=`, else the last widget it names), not
 * the top of a chapter 10,000 px above it, or at an element's id (`#fig-derivative`), which
 * the browser's own jump lands on before the widgets in and above it have their heights.
 */
function landOnLink() {
  const hash = location.hash.slice(1);
  let el = null;
  if (hash.includes("=")) {
    const params = hashParams();
    const keys = [...params.keys()].map((k) => k.slice(0, Math.max(0, k.indexOf("."))));
    el = [params.get("view"), ...keys.reverse()].map(widgetByKey).find(Boolean);
  } else if (hash) {
    try {
      el = document.getElementById(decodeURIComponent(hash));
    } catch {
      // Not an id (a malformed escape): nothing to land on.
    }
  }
  if (!el) return;
  const growth = new ResizeObserver(() => land());
  const stop = () => growth.disconnect();
  for (const event of ["wheel", "touchstart", "keydown", "pointerdown"]) {
    addEventListener(event, stop, { once: true, passive: true, capture: true });
  }
  // Long enough for the slowest widget on the first screens; a page that still moves after
  // that is not one the reader is waiting on.
  setTimeout(stop, PIN_MS);
  const land = () => el.scrollIntoView({ block: "start" });
  growth.observe(document.documentElement);
  land();
}
/** How long a link's landing follows the page's growth (ms), unless the reader moves first. */
const PIN_MS = 10_000;
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", landOnLink, { once: true });
else landOnLink();

/** The settings in the address for widget `id`, as a Map of name → string. */
function settingsFor(id) {
  const out = new Map();
  for (const [key, value] of hashParams()) {
    const dot = key.indexOf(".");
    // Nothing a widget reads is this long; a longer value is someone else's or hostile.
    if (dot > 0 && key.slice(0, dot) === id && value.length <= 500) out.set(key.slice(dot + 1), value);
  }
  return out;
}

/** Pairs as an address writes them, with spaces as %20 rather than +: it reads better shared. */
export function asHash(pairs) {
  return new URLSearchParams(pairs).toString().replace(/\+/g, "%20");
}

function hashNow() {
  const params = hashParams();
  for (const [id, widget] of widgets) {
    for (const key of [...params.keys()]) if (key.startsWith(`${id}.`)) params.delete(key);
    for (const [name, value] of Object.entries(widget.read())) params.set(`${id}.${name}`, String(value));
  }
  return asHash(params);
}

function write() {
  pending = 0;
  const hash = hashNow();
  if (hash === location.hash.slice(1)) return;
  const url = `${location.pathname}${location.search}#${hash}`;
  const now = performance.now();
  // Changes less than a second apart are one gesture: one history entry.
  if (now - lastWrite < 1000) history.replaceState(history.state, "", url);
  else history.pushState(history.state, "", url);
  lastWrite = now;
}

/**
 * The settings a widget is given: those of its `settings` attribute (`own`: the pairs a link
 * carries, "lr=0.1&n=30", without the widget's key), then the address's, which win. Each
 * remembers where it came from, for the messages (`whose`).
 */
class Given extends Map {
  constructor(own, address) {
    super();
    this.fromAttribute = new Set();
    this.fromLink = address.size > 0;
    for (const [name, value] of parsePairs(own ?? "")) {
      this.set(name, value);
      this.fromAttribute.add(name);
    }
    for (const [name, value] of address) {
      this.set(name, value);
      this.fromAttribute.delete(name);
    }
  }
}

/** `a=1&b=2` as a Map; nothing for what is not parseable or longer than any setting. */
function parsePairs(text) {
  const out = new Map();
  try {
    for (const [name, value] of new URLSearchParams(text)) if (value.length <= 500) out.set(name, value);
  } catch {}
  return out;
}

/**
 * "The link's" or "The settings attribute's": where setting `name` of `settings` (or, without
 * a name, most of them) came from, to begin a message about it.
 */
export function whose(settings, name) {
  const attribute = name === undefined ? !settings.fromLink : settings.fromAttribute?.has(name);
  return attribute ? "The settings attribute's" : "The link's";
}

/**
 * Ties widget `id` to the address. `read()` returns its settings as `{name: value}`;
 * `apply(settings: Map)` sets them (an absent name means the widget's default) and returns
 * messages about any it refused; `own()` is its `settings` attribute, settings the page gives
 * it as a link would. Given settings are applied at once. Returns `notify()`, which the
 * widget calls when its settings change, and `notify.apply()`, which applies what it is given
 * again (its attributes changed).
 */
export function bindToUrl(id, { read, apply, own = () => null }, { key = id } = {}) {
  // At the start, nothing given is nothing to do; later (Back to an address without the
  // widget's settings) it means its defaults.
  const applyGiven = (address, always = false) => {
    const settings = new Given(own(), address);
    if (!settings.size && !always) return;
    applying = true;
    try {
      apply(settings);
    } finally {
      applying = false;
    }
  };
  if (!id) {
    // Without an id the widget keeps nothing in the address (a page may hold several), but
    // "Copy link to this view" still gives its settings under `key`, applied once on opening.
    const notify = () => {};
    notify.apply = () => applyGiven(key ? settingsFor(key) : new Map());
    if (key) linkOnly.set(key, { read });
    notify.apply();
    return notify;
  }
  widgets.set(id, { read, apply: () => applyGiven(settingsFor(id), true) });
  applyGiven(settingsFor(id));
  const notify = () => {
    if (applying || pending) return;
    pending = requestAnimationFrame(write);
  };
  notify.apply = () => applyGiven(settingsFor(id));
  return notify;
}

/**
 * The absolute address of this page showing widget `id` as `settings` (`{name: value}`), with
 * no other widget's keys: the link "Copy link to this view" gives. A widget bound here gives
 * its own settings (what the address already keeps for it); any other, its attributes.
 */
export function linkTo(id, settings = (widgets.get(id) ?? linkOnly.get(id))?.read() ?? {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(settings)) params.set(`${id}.${name}`, String(value));
  const url = new URL(location.href);
  url.hash = asHash(params);
  return url.href;
}

/** Whether widget `id` gives its own settings to links (bindToUrl, with or without an id). */
export const boundToUrl = (id) => !!id && (widgets.has(id) || linkOnly.has(id));

/**
 * The attributes a link gives widget `key` (a widget that keeps no settings of its own in the
 * address): `{name: value}` for the names in `allowed`; `null` for a bare attribute the link
 * turns off. Read once, as the widget starts, as if the page had written them.
 */
export function linkedAttributes(key, allowed) {
  const out = {};
  for (const [name, value] of settingsFor(key)) if (allowed.includes(name)) out[name] = value === "off" ? null : value;
  return out;
}

function applyTo(id) {
  widgets.get(id)?.apply();
}

for (const event of ["popstate", "hashchange"]) {
  window.addEventListener(event, () => {
    for (const id of widgets.keys()) applyTo(id);
  });
}

/**
 * A number from the address, or `fallback` with a message when it is not one in
 * [min, max] (the message names the fallback as `fallbackSaid`: "the last step", say, where
 * the number is clamped later). `messages` collects the messages.
 */
export function urlNumber(settings, name, fallback, [min, max], messages, what = name, fallbackSaid = fallback) {
  if (!settings.has(name)) return fallback;
  const raw = settings.get(name);
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(v) || v < min || v > max) {
    messages.push(`${whose(settings, name)} ${what} "${raw.slice(0, 40)}" is not a number from ${min} to ${max}, so ${fallbackSaid} is used.`);
    return fallback;
  }
  return v;
}

// Widget styles live in the shadow root, so a widget looks the same in the book and in any
// blog post, and the host page's CSS cannot break it. Colours are the chart theme's
// (crates/calculus-wasm/src/chart/theme.rs, through build/pkg/book.js); the host can tune
// them with --calc-* properties.
import { PALETTE, PRINT_BORDER } from "../pkg/book.js";

/** `--bg: var(--calc-bg, <the theme's background>);` and so on, for one scheme ("-dark" suffix). */
const colors = (scheme, suffix) =>
  Object.entries(PALETTE[scheme])
    .map(([name, hex]) => `--${name}: var(--calc-${name}${suffix}, ${hex});`)
    .join("\n  ");

/**
 * The widgets' monospace faces, as the site's --font-mono (www/assets/site.css) orders them:
 * each system's usual face, Linux's before Windows'. A family the system lacks costs a lookup
 * through the browser's font service on the first layout (2.4 ms a name on chapter 1 while the
 * page loads). Five copies of a stack that ended on Consolas and the generic name missed two
 * names more on Linux than the site's.
 */
export const MONO_FONT = 'ui-monospace, "SFMono-Regular", Menlo, "DejaVu Sans Mono", Consolas, monospace';

/** The most lines a readout's place is held for (the gears' on a phone take 11). */
const MOST_LINES = 12;

export const widgetStyles = new CSSStyleSheet();
widgetStyles.replaceSync(`
:host {
  display: block;
  margin: 1.5rem 0;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  ${colors("light", "")}
}
:is(.widget, .failed).dark {
  ${colors("dark", "-dark")}
}
/* A lazy widget the reader never scrolled to has drawn nothing: on paper it gives its
   description (the light DOM) instead of an empty space. */
slot.unstarted { display: none; }
@media print { slot.unstarted { display: block; } }
/* The widget's box, and the one a start that failed shows instead: why, a way to try again,
   and the description a page without JavaScript would show (less its note that JavaScript
   is needed). */
.widget, .failed {
  background: var(--bg);
  color: var(--fg);
  border: 1px solid var(--border);
  border-radius: 10px;
  padding: 0.75rem;
}
.failed [part~=error] { color: var(--error); margin: 0 0 0.5rem; }
.failed button { font: inherit; margin-left: 0.4rem; }
::slotted(.widget-note) { display: none; }
.widget {
  display: grid;
  /* One column as wide as the widget, never as wide as its widest control: a select is as
     wide as its longest option, which ran past a 320 px screen. */
  grid-template-columns: minmax(0, 1fr);
  gap: 0.6rem;
}
.widget { position: relative; }
.widget-menu { position: absolute; top: -0.85rem; right: 0.75rem; z-index: 2; }
.menu-button { min-height: 1.6rem; min-width: 2rem; padding: 0 0.4rem; line-height: 1; font-size: 1.1rem; background: var(--bg); }
.menu-list { position: absolute; right: 0; top: calc(100% + 0.25rem); display: grid; min-width: 11rem; padding: 0.25rem;
  background: var(--bg); border: 1px solid var(--border); border-radius: 8px; box-shadow: 0 4px 14px color-mix(in srgb, var(--fg) 18%, transparent); }
.menu-up :is(.menu-list, .menu-status) { top: auto; bottom: calc(100% + 0.25rem); }
.menu-list[hidden], .menu-fallback[hidden] { display: none; }
.menu-list [role="menuitem"] { border: 0; background: transparent; text-align: left; white-space: nowrap; }
.menu-list [aria-disabled="true"] { cursor: default; }
.menu-note { display: block; font-size: 0.8em; font-style: italic; white-space: normal; max-width: 16rem; }
.menu-list [role="menuitem"]:hover, .menu-list [role="menuitem"]:focus-visible { background: color-mix(in srgb, var(--accent) 14%, transparent); }
.menu-status { position: absolute; right: 0; top: calc(100% + 0.25rem); margin: 0; padding: 0.2rem 0.5rem; width: max-content; max-width: min(22rem, 80vw);
  background: var(--bg); border: 1px solid var(--border); border-radius: 6px; font-size: 0.85em; }
.menu-status:empty { display: none; }
.menu-fallback { width: 100%; min-height: 5rem; font: 0.85em ${MONO_FONT}; }
/* What a screen reader hears once the readout settles (widget.js announce): not shown. */
.announce { position: absolute; width: 1px; height: 1px; margin: 0; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.row { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; }
label { display: inline-flex; align-items: center; gap: 0.4rem; color: var(--fg); }
.field { display: grid; gap: 0.2rem; flex: 1 1 16rem; }
.field label { width: 100%; }
input, select, button {
  font: inherit;
  color: var(--fg);
  background: var(--field);
  border: 1px solid var(--border);
  border-radius: 6px;
  padding: 0.25rem 0.45rem;
  min-height: 2rem;
}
select { max-width: 100%; text-overflow: ellipsis; }
label:has(> select) { max-width: 100%; min-width: 0; }
label > select { flex: 1 1 auto; min-width: 0; }
input[type="text"] { flex: 1; min-width: 0; font-family: ${MONO_FONT}; }
input[type="number"] { width: 5.5rem; }
input[type="range"] { flex: 1; min-width: 8rem; accent-color: var(--accent); padding: 0; border: 0; background: transparent; }
input[type="checkbox"] { min-height: auto; width: 1.1rem; height: 1.1rem; accent-color: var(--accent); }
input[aria-invalid="true"] { border-color: var(--error); outline-color: var(--error); }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.slider { flex: 1 1 14rem; }
.error { color: var(--error); margin: 0; min-height: 1.2em; font-size: 0.9em; }
.error:empty { display: none; }
/* A field's message never moves the widget while the reader types (no layout shift): the
   function field keeps a line for it (a longer one spills over the help below it), and a
   number field's message or a racer's shows over the row under its own. */
.error-slot { position: relative; min-height: 1.3em; }
.row, .racers tr, .number-field { position: relative; }
.row .number-field { position: static; }
:is(.error-slot, .number-field, .racers td) > .error:not(:empty) {
  position: absolute; left: 0; right: 0; z-index: 2;
  background: var(--bg);
}
:is(.number-field, .racers td) > .error:not(:empty) {
  top: 100%;
  padding: 0.15rem 0.45rem;
  border: 1px solid var(--error);
  border-radius: 6px;
  box-shadow: 0 2px 6px color-mix(in srgb, var(--fg) 25%, transparent);
}
.number-field { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 0.3rem; }
input:disabled { opacity: 0.55; cursor: not-allowed; }
.formula { margin: 0; color: var(--muted); overflow-wrap: anywhere; }
.formula math { color: var(--fg); font-size: 1.1em; math-style: normal; }
.chart-box { position: relative; width: 100%; height: var(--calc-height, 340px); }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0.75rem; }
@media (max-width: 640px) { .pair { grid-template-columns: 1fr; } }
.chart-box.square { height: auto; aspect-ratio: 5 / 4; max-height: 80vh; }
.pair .chart-box.square { aspect-ratio: 1 / 1; }
.maps.pair { align-items: end; }
.panel-title { margin: 0 0 0.3rem; font-size: 0.9em; font-weight: 600; }
.panel-title.wrong { color: var(--error); }
canvas { display: block; width: 100%; height: 100%; border-radius: 6px; touch-action: pan-y; cursor: crosshair; }
canvas:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.readout { margin: 0; font-variant-numeric: tabular-nums; font-family: ${MONO_FONT}; font-size: 0.92em; overflow-wrap: anywhere; }
/* A chart whose wasm is slow to come says so; not at once, so that a quick one never does. */
.widget[aria-busy] .chart-box::after {
  content: "Loading the chart…";
  position: absolute;
  inset: 0;
  display: grid;
  place-items: center;
  color: var(--muted);
  font-size: 0.9em;
  animation: calc-loading 0s 0.5s both;
}
@keyframes calc-loading { from { visibility: hidden; } to { visibility: visible; } }
/* What the first draw fills holds its place meanwhile (controls.js readout). */
${[...Array(MOST_LINES).keys()].map((i) => `.widget[aria-busy] .lines-${i + 1}:empty { min-height: ${i + 1}lh; }`).join("\n")}
@media (max-width: 600px) {
  ${[...Array(MOST_LINES).keys()].map((i) => `.widget[aria-busy] .narrow-lines-${i + 1}:empty { min-height: ${i + 1}lh; }`).join("\n  ")}
}
.hint { margin: 0; color: var(--muted); font-size: 0.85em; }
details.hint p { margin: 0.3rem 0 0; }
details.hint code { font-family: ${MONO_FONT}; white-space: nowrap; }
.value { font-variant-numeric: tabular-nums; min-width: 4.5em; }
/* On a phone a slider gives way before its label and value do. */
@media (max-width: 400px) { input[type="range"] { min-width: 5rem; } .value { min-width: 3em; } }
button { cursor: pointer; }
button[aria-pressed="true"] { border-color: var(--accent); box-shadow: inset 0 0 0 1px var(--accent); }
/* Windows' high contrast replaces every colour and drops shadows: the pressed button and the
   refused field keep a mark of their own, in the system's colours. */
@media (forced-colors: active) {
  button[aria-pressed="true"] { border: 3px solid Highlight; font-weight: 600; }
  input[aria-invalid="true"] { border: 2px dashed CanvasText; }
}
.rate-presets { gap: 0.4rem; }
.steps .table-wrap { max-height: 22rem; overflow: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 0.9em; }
th, td { text-align: left; padding: 0.2rem 0.5rem; border-bottom: 1px solid var(--border); }
thead th { position: sticky; top: 0; background: var(--bg); }
tr.current td { background: color-mix(in srgb, var(--accent) 14%, transparent); }
.racers .params { display: inline-flex; flex-wrap: wrap; gap: 0.3rem 0.8rem; }
.racers input[type="number"] { width: 5rem; }
.racers .loss { min-width: 7em; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem; border-radius: 50%; }
summary { cursor: pointer; color: var(--fg); }
@media (max-width: 480px) {
  .racers thead { display: none; }
  .racers tr, .racers th, .racers td { display: block; border: 0; }
  .racers tr { border-bottom: 1px solid var(--border); padding: 0.3rem 0; }
  .racers .loss::before { content: "loss "; color: var(--muted); }
}
@media (max-width: 480px) {
  .chart-box { height: var(--calc-height-narrow, 280px); }
  /* A narrow map puts its colour bar under it (chart/colour_bar.rs): taller than wide, it is
     as wide as the widget. */
  .chart-box.square, .pair .chart-box.square { aspect-ratio: 9 / 10; }
}
.compact { padding: 0.5rem; gap: 0.4rem; }
.compact > .row:not(.essential), .compact > details, .compact > .hint, .compact .range-fields, .compact .pitfall-toggle { display: none; }
.compact .chart-box { height: var(--calc-height, 230px); }
.compact .chart-box.square { height: auto; }
@media (min-width: 481px) { .compact .chart-box.square { aspect-ratio: 4 / 3; } }
.compact .pair { grid-template-columns: 1fr; }
@media print { .row, .hint, .error, .widget-menu { display: none; } .widget { border-color: ${PRINT_BORDER}; } }
`);

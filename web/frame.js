// A chart's frame, as wasm hands it over: plain data, nothing to free.
//   { x: [x0, x1], y: [y0, y1], logY, left, right, top, bottom }
// x and y are the visible ranges (y in axis units: log10 of the value on a log axis); left to
// bottom is the plotting area in CSS pixels from the canvas's top-left corner. The mapping is
// the linear one of crates/calculus-wasm/src/chart/frame.rs, which draws with it.

const clamp01 = (t) => Math.min(1, Math.max(0, t));

/** The x under a CSS pixel column, clamped to the visible range. */
export function xAt(frame, cssX) {
  const t = clamp01((cssX - frame.left) / (frame.right - frame.left));
  return frame.x[0] + t * (frame.x[1] - frame.x[0]);
}

/** The y (axis units) under a CSS pixel row, clamped to the visible range. */
export function yAt(frame, cssY) {
  const t = clamp01((frame.bottom - cssY) / (frame.bottom - frame.top));
  return frame.y[0] + t * (frame.y[1] - frame.y[0]);
}

/** CSS pixel [x, y] of a chart point (on a log axis, y is the value, not its logarithm). */
export function toPixel(frame, x, y) {
  const ya = frame.logY ? Math.log10(y) : y;
  return [
    frame.left + ((x - frame.x[0]) / (frame.x[1] - frame.x[0])) * (frame.right - frame.left),
    frame.bottom - ((ya - frame.y[0]) / (frame.y[1] - frame.y[0])) * (frame.bottom - frame.top),
  ];
}

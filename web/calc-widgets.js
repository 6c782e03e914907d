// The one script a page (or a blog post) needs: it defines every <calc-*> element. Each
// element loads the shared wasm module on first use.
//   <script type="module" src=".../web/calc-widgets.js"></script>
//   <calc-derivative function="x^3 - 3x"></calc-derivative>
export { CalcDerivative } from "./calc-derivative.js";
export { CalcSecant } from "./calc-secant.js";
export { CalcNumericalError } from "./calc-numerical-error.js";
export { CalcGradient } from "./calc-gradient.js";
export { CalcPartial } from "./calc-partial.js";
export { CalcDescent } from "./calc-descent.js";
export { CalcLossCurve } from "./calc-loss-curve.js";
export { CalcLrSweep } from "./calc-lr-sweep.js";
export { CalcRace } from "./calc-race.js";
export { CalcNumber, CalcValue } from "./calc-live.js";
export { loadCalculus } from "./loader.js";

// The npm package (build/npm/, `npm pack ./build/npm`): the maths API of the full `calculus`
// wasm build and the widgets, usable with no init step.
//
//   build/npm/
//     index.js        browsers and bundlers: instantiates the wasm (top-level await) from
//                     `new URL("./calculus_bg.wasm", import.meta.url)`, which Vite and webpack 5
//                     follow and emit; esbuild leaves it as is (copy the wasm beside the bundle)
//     node.js         Node ≥ 20: reads the same wasm from beside the module, synchronously
//     index.d.ts      the API's types, with what each function throws
//     widgets.js      `import "<package>/widgets"` defines every <calc-*> element
//     calculus.js, calculus_bg.wasm   wasm-bindgen's glue and the wasm (build/pkg/calculus*)
//
// The declarations and the export list come from wasm-bindgen's calculus.d.ts, so the package
// follows the Rust: a new API function fails this build until THROWS says what it throws.
import { promises as fs, readFileSync, readdirSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./setup.mjs";

const PKG = path.join(ROOT, "build", "pkg");
const WEB = path.join(ROOT, "web");

/**
 * What each API function throws (a JS `Error` whose message says what and where). Shared
 * sentences first, then per function.
 */
const PARSE = "the expression does not parse (the message names the column: `unexpected ')' at column 7`), " +
  "calls an unknown function or a function with the wrong number of arguments";
const VALUES = "a variable has no value (`no value for variable 'y'`), the values are not an object of finite numbers";
const UNDEFINED = "the expression is not a finite real number there (`not defined here: ln(x) at x = -1 …`)";
const THROWS = {
  evaluate: `${PARSE}; ${VALUES}; ${UNDEFINED}.`,
  derivative: `${PARSE}; the expression has two or more variables; ${UNDEFINED}, or the slope is not a number there.`,
  derivatives: `${PARSE}; the expression has two or more variables; \`xs\` is not a Float64Array or an array of numbers; \`out\` is not as long as \`xs\` (\`out must be as long as xs (2 numbers), not 3\`). Where it is not defined the slope is NaN (no error).`,
  differentiate: `${PARSE}; \`variable\` is not a variable name.`,
  differentiateMathML: `${PARSE}; \`variable\` is not a variable name.`,
  toMathML: `${PARSE}.`,
  toPython: `${PARSE}.`,
  substitute: `${PARSE}; \`name\` is not a variable name or \`value\` is not finite.`,
  gradient: `${PARSE}; ${VALUES}; ${UNDEFINED}.`,
  backprop: `${PARSE}; ${VALUES}; ${UNDEFINED}.`,
  backwardSteps: `${PARSE}; ${VALUES}; ${UNDEFINED}.`,
  descend: `${PARSE}; the options lack \`start\`, \`learningRate\` or \`iterations\`, or one has the wrong type or range ` +
    "(`unknown optimizer 'adamw'`, `iterations must be a whole number, 0 or more`); the function is not finite at the start. " +
    "A run that blows up later does not throw: it ends with `diverged: true`.",
  numericalGradient: "`ys` and `xs` differ in length, hold fewer than two points, or two consecutive `xs` are equal.",
  dataset: "the name is unknown, or the count, noise or seed is out of range.",
  formatNumber: "the style is unknown, or needs `digits` and has none.",
  formatPoint: "the style is unknown, or needs `digits` and has none.",
  curveColor: null,
  arrowColor: null,
};
/** Network's methods that throw, and when. */
const NETWORK_THROWS = {
  constructor: "there are fewer than two sizes, a size is below 1, or the activation or init is unknown.",
  predict: "`inputs` is not a whole number of rows of `sizes[0]` values.",
  setParameters: "`parameters` has the wrong length.",
  gradients: "the batch's inputs and targets do not match the network's sizes or each other, or the loss is unknown.",
  step: "the batch does not match the network's sizes, the optimizer or loss is unknown, or an option has the wrong type.",
  trace: "the batch's inputs and targets do not match the network's sizes or each other, or the loss is unknown.",
};

const NAME = "handbook-of-calculus-for-ml";

/** `/** … *\/` immediately before `index` in `text`, or "". */
function docBefore(text, index) {
  const m = /(\/\*\*(?:(?!\*\/)[\s\S])*\*\/\s*)$/.exec(text.slice(0, index));
  return m ? m[1] : "";
}

/** Adds `@throws {Error} <when>` to a doc comment (or makes one). */
function withThrows(doc, when, indent = "") {
  if (!when) return doc;
  const line = `${indent} * @throws {Error} when ${when}\n`;
  if (!doc) return `${indent}/**\n${line}${indent} */\n`;
  return doc.replace(/\s*\*\/\s*$/, `\n${indent} *\n${line}${indent} */\n`);
}

/**
 * The API's declarations, from wasm-bindgen's calculus.d.ts: every type and interface, every
 * function but the init pair, and class Network. Returns `{ dts, functions }`.
 */
export function apiDeclarations(source) {
  const firstClass = source.search(/(\/\*\*(?:(?!\*\/)[\s\S])*\*\/\s*)?^export class /m);
  const types = source.slice(0, firstClass).replace(/^\/\* (tslint|eslint)[^\n]*\n/gm, "").trim();
  if (/export (function|class)/.test(types)) throw new Error("build-npm: calculus.d.ts: expected only types before the first class");
  const functions = [];
  const parts = [];
  for (const m of source.matchAll(/^export function (\w+)\(.*;$/gm)) {
    const name = m[1];
    if (name === "initSync") continue;
    if (!(name in THROWS)) throw new Error(`build-npm: calculus.d.ts exports ${name}(): say what it throws in THROWS (scripts/build-npm.mjs)`);
    functions.push(name);
    parts.push(withThrows(docBefore(source, m.index), THROWS[name]) + m[0]);
  }
  for (const name of Object.keys(THROWS)) if (!functions.includes(name)) throw new Error(`build-npm: THROWS names ${name}, which calculus.d.ts does not export`);
  const net = /^export class Network \{\n[\s\S]*?\n\}$/m.exec(source);
  if (!net) throw new Error("build-npm: calculus.d.ts has no class Network");
  let network = net[0].replace(/^ {4}(free\(\): void;|\[Symbol\.dispose\]\(\): void;)\n/gm, "");
  for (const [method, when] of Object.entries(NETWORK_THROWS)) {
    const re = method === "constructor" ? /^ {4}constructor\(/m : new RegExp(`^ {4}${method}\\(`, "m");
    const at = re.exec(network);
    if (!at) throw new Error(`build-npm: Network has no ${method}`);
    const doc = docBefore(network, at.index);
    network = network.slice(0, at.index - doc.length) + withThrows(doc, when, "    ") + network.slice(at.index);
  }
  const freeDoc = "    /** Frees the network's memory in the wasm module now, rather than when it is garbage-collected. */\n    free(): void;\n";
  network = network.replace("export class Network {\n", `export class Network {\n${freeDoc}`);
  const dts = [
    "// The maths of the Handbook of Calculus for Machine Learning, compiled from Rust to WebAssembly.",
    "// Importing the package instantiates the wasm: every function answers at once, no init step.",
    "// Every function throws a JS Error (never a wasm trap) with a message a reader can act on.",
    "",
    types,
    "",
    docBefore(source, net.index) + network,
    "",
    ...parts.map((p) => `${p.trim()}\n`),
  ].join("\n");
  return { dts: `${dts.replace(/\n{3,}/g, "\n\n").trim()}\n`, functions };
}

/** One element's doc comment: what it shows and its attributes (web/embed-catalog.js). */
function elementDoc(entry) {
  if (!entry) return "";
  const text = (t) => String(t).replace(/\*\//g, "* /"); // nothing may close the comment early
  const attrs = entry.attributes.map((a) => `     * - \`${text(a.name)}\`: ${text(a.meaning)}; ${text(a.accepts)} (default: ${text(a.default)})`);
  return `    /**\n     * ${text(entry.about)}\n     *\n${attrs.join("\n")}\n     */\n`;
}

const widgetsDts = (tags, catalog) => `// \`import "${NAME}/widgets"\` defines every element of the book (in a browser): put one in the
// page and it draws. Each is shown live, with its attributes, on the book's "Embed a widget" page.
export {};

declare global {
  interface HTMLElementTagNameMap {
${tags.map((t) => `${elementDoc(catalog.find((e) => e.tag === t))}    "${t}": HTMLElement;`).join("\n")}
  }
}
`;

/** The repository the package came from: \$GITHUB_REPOSITORY (in Actions), else git's origin. */
function repository(env = process.env) {
  if (env.GITHUB_REPOSITORY) return { type: "git", url: `git+${env.GITHUB_SERVER_URL ?? "https://github.com"}/${env.GITHUB_REPOSITORY}.git` };
  try {
    const origin = execFileSync("git", ["remote", "get-url", "origin"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const gh = /github\.com[:/]([^/]+\/[^/]+?)(\.git)?$/.exec(origin);
    if (gh) return { type: "git", url: `git+https://github.com/${gh[1]}.git` };
    if (origin) return { type: "git", url: origin };
  } catch {
    // no git, or no origin
  }
  return null;
}

/** The web/ modules that define elements (each widget's, the live numbers'). */
function widgetModules() {
  return readdirSync(WEB).filter((f) => f.endsWith(".js") && /customElements\.define\("calc-/.test(readFileSync(path.join(WEB, f), "utf8"))).sort();
}

/**
 * The widgets as one module. web/loader.js (which on the site picks one of several builds)
 * becomes a loader that hands them the package's one `./calculus.js` glue once `./index.js`
 * has instantiated it: the package has one wasm and nothing fetches another. web/embed-url.js names the package's widgets.js on a CDN.
 */
async function bundleWidgets(out, version) {
  const { build } = await import("esbuild");
  const loaderExports = [...readFileSync(path.join(WEB, "loader.js"), "utf8").matchAll(/^export (?:async )?(?:function|const|let|class) (\w+)/gm)].map((m) => m[1]);
  const unknown = loaderExports.filter((e) => !["loadCalculus", "expectElements", "drawsChart", "buildFor", "NEAR_VIEWPORT", "loadingOf"].includes(e));
  if (unknown.length) throw new Error(`build-npm: web/loader.js now exports ${unknown.join(", ")}: give the package's loader (scripts/build-npm.mjs) the same`);
  const modules = widgetModules();
  const entry = modules.map((m) => `import "./${m}";`).join("\n");
  const result = await build({
    stdin: { contents: entry, resolveDir: WEB, sourcefile: "widgets.js" },
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "silent",
    plugins: [{
      name: "one-wasm",
      setup(b) {
        b.onResolve({ filter: /^(\.\.\/)+pkg\/book\.js$/ }, () => ({ path: path.join(PKG, "book.js") })); // from web/ and web/python/
        b.onResolve({ filter: /^\.\/(loader|embed-url)\.js$/ }, (a) => ({ path: a.path, namespace: "npm" }));
        // "Copy embed code" names this version of the package on a CDN: in a bundle, the
        // widgets have no script of their own that a post could load. (A \`new URL\` here would
        // also make Vite and webpack emit widgets.js a second time, as an asset.)
        const virtual = {
          "./loader.js": [
            'import * as glue from "./calculus.js";',
            'import "./index.js";',
            // As in a post: each widget starts when it nears the viewport, unless it says eager.
            'export const DEFAULT_LOADING = "lazy";',
            'export const NEAR_VIEWPORT = "100% 0px";',
            'export const loadingOf = (el) => (el.getAttribute("loading") === "eager" ? "eager" : "lazy");',
            "export function expectElements() {}",
            "export const drawsChart = () => true;",
            'export function buildFor() { return { name: "calculus" }; }',
            "export function loadCalculus() { return Promise.resolve(glue); }",
            "",
          ].join("\n"),
          "./embed-url.js": `export const WIDGETS_SCRIPT = ${JSON.stringify(`https://cdn.jsdelivr.net/npm/${NAME}@${version}/widgets.js`)};\n`,
        };
        b.onLoad({ filter: /.*/, namespace: "npm" }, (a) => ({ contents: virtual[a.path], loader: "js" }));
        b.onResolve({ filter: /^\.\/(index|calculus)\.js$/, namespace: "npm" }, (a) => ({ path: a.path, external: true }));
      },
    }],
  });
  await fs.writeFile(path.join(out, "widgets.js"), result.outputFiles[0].text);
  const tags = [...new Set(modules.flatMap((m) => [...readFileSync(path.join(WEB, m), "utf8").matchAll(/customElements\.define\("(calc-[a-z-]+)"/g)].map((x) => x[1])))];
  return tags.sort();
}

const entry = (functions, init) => `${init}
export { ${[...functions, "Network"].join(", ")} } from "./calculus.js";
`;

/** Writes the package into `out` (build/npm by default); returns its package.json. */
export async function buildNpm({ out = path.join(ROOT, "build", "npm"), env = process.env } = {}) {
  for (const f of ["calculus.js", "calculus_bg.wasm", "calculus.d.ts", "book.js"]) {
    if (!existsSync(path.join(PKG, f))) throw new Error(`build-npm: build/pkg/${f} is missing (run the wasm build first)`);
  }
  await fs.rm(out, { recursive: true, force: true });
  await fs.mkdir(out, { recursive: true });
  const { dts, functions } = apiDeclarations(await fs.readFile(path.join(PKG, "calculus.d.ts"), "utf8"));
  await fs.copyFile(path.join(PKG, "calculus.js"), path.join(out, "calculus.js"));
  await fs.copyFile(path.join(PKG, "calculus_bg.wasm"), path.join(out, "calculus_bg.wasm"));
  await fs.writeFile(path.join(out, "index.d.ts"), dts);
  // The literal `new URL("./calculus_bg.wasm", import.meta.url)` is what bundlers look for.
  await fs.writeFile(path.join(out, "index.js"), entry(functions, `// Browsers and bundlers. The wasm is fetched from beside this file and instantiated before
// anything is exported, so every function answers at once.
import init from "./calculus.js";

await init({ module_or_path: new URL("./calculus_bg.wasm", import.meta.url) });`));
  await fs.writeFile(path.join(out, "node.js"), entry(functions, `// Node ≥ 20: the wasm is read from beside this file, synchronously, before anything is exported.
import { readFileSync } from "node:fs";
import { initSync } from "./calculus.js";

initSync({ module: readFileSync(new URL("./calculus_bg.wasm", import.meta.url)) });`));
  const root = JSON.parse(await fs.readFile(path.join(ROOT, "package.json"), "utf8"));
  const tags = await bundleWidgets(out, root.version);
  const { loadCatalog } = await import("./embed-page.mjs");
  const catalog = await loadCatalog(ROOT, PKG);
  const undocumented = tags.filter((t) => !catalog.some((e) => e.tag === t));
  if (undocumented.length) throw new Error(`build-npm: web/embed-catalog.js does not describe ${undocumented.join(", ")}`);
  await fs.writeFile(path.join(out, "widgets.d.ts"), widgetsDts(tags, catalog));
  await fs.copyFile(path.join(ROOT, "npm", "README.md"), path.join(out, "README.md"));
  await fs.copyFile(path.join(ROOT, "LICENSE"), path.join(out, "LICENSE"));

  const repo = root.repository ?? repository(env);
  const pkg = {
    name: NAME,
    version: root.version,
    description: "The maths of the Handbook of Calculus for Machine Learning (expressions, autodiff, symbolic derivatives, " +
      "numpy-style numerical gradients, gradient descent, a small neural network) in WebAssembly, and the book's interactive widgets.",
    type: "module",
    license: root.license,
    ...(repo ? { repository: repo } : {}),
    keywords: ["calculus", "autodiff", "derivative", "gradient-descent", "backpropagation", "webassembly", "web-components"],
    engines: { node: ">=20" },
    exports: {
      ".": { types: "./index.d.ts", node: "./node.js", default: "./index.js" },
      "./widgets": { types: "./widgets.d.ts", default: "./widgets.js" },
      "./calculus_bg.wasm": "./calculus_bg.wasm",
      "./package.json": "./package.json",
    },
    main: "./node.js",
    module: "./index.js",
    types: "./index.d.ts",
    files: ["index.js", "node.js", "index.d.ts", "widgets.js", "widgets.d.ts", "calculus.js", "calculus_bg.wasm"],
    // Importing the widgets defines custom elements, and the entries instantiate the wasm:
    // neither may be dropped as unused.
    sideEffects: ["./index.js", "./node.js", "./widgets.js", "./calculus.js"],
  };
  if (!repo) console.warn('build-npm: warning: no repository known (no $GITHUB_REPOSITORY, no git origin, no "repository" in package.json)');
  await fs.writeFile(path.join(out, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  return pkg;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const pkg = await buildNpm();
  console.log(`build-npm: ${pkg.name}@${pkg.version} -> build/npm/`);
}

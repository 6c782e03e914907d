// What a fresh clone needs before it can build or test, installed on demand: the wasm target,
// wasm-bindgen-cli at the version Cargo.toml pins, npm packages, and a Chromium to test with.
// Imports only Node built-ins, because it runs before `npm install`.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const WASM_BINDGEN_VERSION = "0.2.130";

/** Runs a command in the project root, streaming its output; throws when it fails. */
export function run(cmd, args, options = {}) {
  console.log(`$ ${cmd} ${args.join(" ")}`);
  const result = spawnSync(cmd, args, { cwd: ROOT, stdio: "inherit", ...options });
  if (result.error) throw new Error(`could not run ${cmd}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${result.status})`);
}

function output(cmd, args) {
  try {
    return execFileSync(cmd, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

export function ensureRust() {
  if (output("cargo", ["--version"]) === null) {
    throw new Error("Rust is missing: install it with rustup (https://rustup.rs), then run this again.");
  }
  const targets = output("rustup", ["target", "list", "--installed"]) ?? "";
  if (!targets.split("\n").includes("wasm32-unknown-unknown")) {
    run("rustup", ["target", "add", "wasm32-unknown-unknown"]);
  }
  const version = output("wasm-bindgen", ["--version"]);
  if (version !== `wasm-bindgen ${WASM_BINDGEN_VERSION}`) {
    console.log(`wasm-bindgen ${WASM_BINDGEN_VERSION} is needed (found: ${version ?? "none"}); installing it once (a few minutes).`);
    // Not --locked: one of the CLI's locked dependencies is not on every registry mirror.
    run("cargo", ["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN_VERSION, "--force"]);
  }
}

export function ensureNodeModules() {
  // Every package the scripts use, so that a checkout which gained a dependency installs it.
  const { devDependencies = {} } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const needed = Object.keys(devDependencies);
  if (needed.every((p) => existsSync(path.join(ROOT, "node_modules", p, "package.json")))) return;
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  run(npm, existsSync(path.join(ROOT, "package-lock.json")) ? ["ci", "--no-audit", "--no-fund"] : ["install", "--no-audit", "--no-fund"]);
}

const CHROME_CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/snap/bin/chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
];

/** The Chromium to test with: $CHROME_PATH, or the usual install paths. */
export function findChrome() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROME_PATH is set to ${fromEnv}, but there is no file there.`);
    return fromEnv;
  }
  const found = CHROME_CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      "No Chromium found. Install it (Debian/Ubuntu: `sudo apt-get install chromium`; macOS: install Google Chrome) " +
        "or set CHROME_PATH to a Chrome or Chromium executable.",
    );
  }
  return found;
}

export function setup({ browser = false } = {}) {
  ensureRust();
  ensureNodeModules();
  if (browser) process.env.CHROME_PATH = findChrome();
}

// `npm run bench`: build, then measure against the budgets (bench/run.mjs prints the table).
import { spawnSync } from "node:child_process";
import { run, setup } from "./setup.mjs";
import { build } from "./build.mjs";

try {
  setup({ browser: true });
  // The size report names what each wasm build holds through twiggy (bench/sizes.mjs).
  if (spawnSync("twiggy", ["--version"], { stdio: "ignore" }).status !== 0) {
    console.log("twiggy is needed for the size report; installing it once (a minute or two).");
    run("cargo", ["install", "twiggy"]);
  }
  await build();
  // Options pass through: `npm run bench -- --pages-only` (see bench/run.mjs).
  run(process.execPath, ["bench/run.mjs", ...process.argv.slice(2)]);
} catch (e) {
  console.error(`\nnpm run bench failed: ${e.message}`);
  process.exit(1);
}

// `npm test`: formatting and lints, the Rust tests, a fresh build, then the JS API tests and
// the browser tests (node:test). Stops at the first failing stage.
import { readdirSync } from "node:fs";
import path from "node:path";
import { ROOT, run, setup } from "./setup.mjs";
import { build } from "./build.mjs";

const testFiles = (dir) =>
  readdirSync(path.join(ROOT, dir))
    .filter((f) => f.endsWith(".test.mjs"))
    .sort()
    .map((f) => path.join(dir, f));

try {
  setup({ browser: true });
  run("cargo", ["fmt", "--all", "--check"]);
  run("cargo", ["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]);
  run("cargo", ["test", "--workspace"]);
  await build();
  run(process.execPath, ["--test", "--test-concurrency=1", ...testFiles("tests/api"), ...testFiles("tests/e2e")]);
} catch (e) {
  console.error(`\nnpm test failed: ${e.message}`);
  process.exit(1);
}

// `npm run bench`: build, then measure against the budgets (bench/run.mjs prints the table).
import { run, setup } from "./setup.mjs";
import { build } from "./build.mjs";

try {
  setup({ browser: true });
  await build();
  // Options pass through: `npm run bench -- --pages-only` (see bench/run.mjs).
  run(process.execPath, ["bench/run.mjs", ...process.argv.slice(2)]);
} catch (e) {
  console.error(`\nnpm run bench failed: ${e.message}`);
  process.exit(1);
}

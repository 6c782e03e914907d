// `npm start`: set up what is missing, build everything, and serve the book on
// http://localhost:8080 (PORT overrides the port).
import path from "node:path";
import { ROOT, setup } from "./setup.mjs";
import { build } from "./build.mjs";

try {
  setup();
  await build();
  const { serve } = await import("./serve.mjs");
  const port = Number(process.env.PORT ?? 8080);
  const { url } = await serve({ root: path.join(ROOT, "dist"), port, host: "127.0.0.1" });
  console.log(`\nThe Handbook is being served at ${url.replace("127.0.0.1", "localhost")}\n(Ctrl+C to stop)`);
} catch (e) {
  console.error(`\nnpm start failed: ${e.message}`);
  process.exit(1);
}

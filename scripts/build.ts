// Builds dist/sigil: one executable with every web page, script and style embedded.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { webAssetsPlugin } from "./web-assets.ts";

const root = join(import.meta.dir, "..");
mkdirSync(join(root, "dist"), { recursive: true });
const outfile = join(root, "dist", "sigil");
const result = await Bun.build({
  entrypoints: [join(root, "src", "main.ts")],
  compile: { outfile },
  minify: true,
  sourcemap: "none",
  plugins: [webAssetsPlugin(true)],
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
console.log(`built ${outfile}`);

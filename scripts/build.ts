// Builds dist/sigil: one executable with every web page, script and style embedded.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { buildWebAssets, webAssetsPlugin } from "./web-assets.ts";

const root = join(import.meta.dir, "..");
mkdirSync(join(root, "dist"), { recursive: true });
const outfile = join(root, "dist", "sigil");
const result = await Bun.build({
  entrypoints: [join(root, "src", "main.ts")],
  compile: { outfile },
  minify: true,
  // Precompiled bytecode: the executable starts without parsing its JavaScript first.
  bytecode: true,
  sourcemap: "none",
  // Bundled before, not inside, the compile: a Bun.build nested in a plugin's onLoad never finishes (Bun 1.4.5).
  plugins: [webAssetsPlugin(true, await buildWebAssets(true))],
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
console.log(`built ${outfile}`);

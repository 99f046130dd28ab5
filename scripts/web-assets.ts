import type { BunPlugin } from "bun";
import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";

export interface WebAsset {
  type: string;
  body: string;
}

const WEB_DIR = join(import.meta.dir, "..", "web");
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** Bundles web/*.ts for the browser and collects the pages and styles: the files the server embeds. */
export async function buildWebAssets(minify: boolean): Promise<Record<string, WebAsset>> {
  const files = readdirSync(WEB_DIR);
  const entrypoints = files.filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts")).map((f) => join(WEB_DIR, f));
  const assets: Record<string, WebAsset> = {};
  const result = entrypoints.length > 0 ? await Bun.build({ entrypoints, target: "browser", minify, naming: "[name].[ext]", splitting: false }) : null;
  if (result && !result.success) throw new AggregateError(result.logs, "web asset build failed");
  for (const output of result?.outputs ?? []) {
    const name = output.path.replace(/^.*[\\/]/, "");
    assets[`/${name}`] = { type: TYPES[".js"]!, body: await output.text() };
  }
  for (const file of files) {
    const type = TYPES[extname(file)];
    if (type && !file.endsWith(".js")) assets[`/${file}`] = { type, body: readFileSync(join(WEB_DIR, file), "utf8") };
  }
  return assets;
}

/**
 * Provides the virtual module `sigil:web-assets`: at build time for the binary, at run time (preload) in development.
 * The binary's build passes the assets already bundled: a Bun.build started inside another build's onLoad never finishes.
 */
export function webAssetsPlugin(minify: boolean, prebuilt?: Record<string, WebAsset>): BunPlugin {
  return {
    name: "sigil-web-assets",
    setup(build) {
      build.onResolve({ filter: /^sigil:web-assets$/ }, () => ({ path: "web-assets", namespace: "sigil" }));
      build.onLoad({ filter: /.*/, namespace: "sigil" }, async () => ({
        contents: `export default ${JSON.stringify(prebuilt ?? (await buildWebAssets(minify)))};`,
        loader: "js",
      }));
    },
  };
}

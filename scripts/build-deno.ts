// Builds dist/sigil-deno from the same source as dist/sigil, the web pages embedded (written first as
// the module deno.json maps `sigil:web-assets` to), needing no file beside it and no network when it runs.
//
// `deno compile` joins the program to denort, Deno's runtime-only executable, which the npm `deno`
// package does not ship: deno downloads it from dl.deno.land unless DENORT_BIN names a copy. Where
// neither works (this project's build machines reach only npm and Debian), the closest thing is made
// instead: ONE JavaScript file (`deno bundle`: Sigil and every npm package inlined, the web assets
// embedded) whose shebang runs it with the `deno` on PATH, with the same permissions.
//
//   bun scripts/build-deno.ts              deno compile if denort is at hand, else the single-file bundle
//   bun scripts/build-deno.ts --bundle     the single-file bundle, whatever is at hand
//   bun scripts/build-deno.ts --compile    deno compile or fail
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DENO, DENO_PERMISSIONS } from "../test/support/runtime.ts";
import { writeWebAssetsModule } from "./web-assets.ts";

const root = join(import.meta.dir, "..");
const outfile = join(root, "dist", "sigil-deno");

/**
 * What the bundle's first line runs. The flags make `deno run` resolve nothing beyond the file itself:
 * no deno.json or package.json from wherever it is started (--no-config), no npm or remote module
 * (--no-npm, --no-remote: all of it is inside), and no permission prompt on a terminal. --ext=js: a
 * file without an extension is otherwise taken for TypeScript and transpiled at every start (measured:
 * 0.75 s and 117 MB to print --help, against 0.35 s and 69 MB as JavaScript). Not minified: deno bundle's
 * minified output loses the `require` it gives CommonJS packages ("Dynamic require of node:fs is not supported").
 */
export const BUNDLE_SHEBANG = `#!/usr/bin/env -S deno run ${DENO_PERMISSIONS.join(" ")} --no-prompt --no-config --no-npm --no-remote --ext=js`;

async function deno(args: string[]): Promise<{ code: number; output: string }> {
  const proc = Bun.spawn([DENO, ...args], { cwd: root, stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, output: stderr + stdout };
}

/** deno compile; "no-denort" when it failed only for want of denort (so the bundle can stand in). */
async function compile(): Promise<"ok" | "no-denort"> {
  // --no-check: tsc checks the types (npm run typecheck); deno's own check would only repeat it.
  // Into a file of its own first: deno compile will not overwrite a file it did not make (the bundle).
  const partial = `${outfile}.compiled`;
  rmSync(partial, { force: true });
  const { code, output } = await deno(["compile", "--no-check", ...DENO_PERMISSIONS, "--no-prompt", "--output", partial, join(root, "src", "main.ts")]);
  if (code === 0) {
    renameSync(partial, outfile);
    return "ok";
  }
  if (/denort/.test(output) && !process.env.DENORT_BIN) return "no-denort";
  throw new Error(`deno compile failed:\n${output}`);
}

async function bundle(): Promise<void> {
  const partial = `${outfile}.partial.js`;
  // --packages bundle inlines every npm package (from node_modules, as deno.json's nodeModulesDir says);
  // deno bundle fetches its esbuild from the npm registry once, at build time.
  const { code, output } = await deno(["bundle", "--quiet", "--config", join(root, "deno.json"), "--platform", "deno", "--packages", "bundle", "--output", partial, join(root, "src", "main.ts")]);
  if (code !== 0) throw new Error(`deno bundle failed:\n${output}`);
  const text = readFileSync(partial, "utf8");
  rmSync(partial, { force: true });
  // The entry's own `#!/usr/bin/env bun` comes through as the first line: replace it, never stack a second.
  const body = text.startsWith("#!") ? text.slice(text.indexOf("\n") + 1) : text;
  // Only Bun's driver asks for bun:sqlite, and only on Bun; anything else still unresolved would fail at run time.
  const unresolved = [...body.matchAll(/\b(?:require|import)\("([^"\s]+)"\)|\bimport\s*(?:\{[^}]*\}|\*\s*as\s*[\w$]+|[\w$]+)\s*from\s*"([^"\s]+)"/g)].map((m) => m[1] ?? m[2]!).filter((name) => !/^(node:|bun:sqlite$|supports-color$)/.test(name));
  if (unresolved.length > 0) throw new Error(`deno bundle left imports unresolved: ${[...new Set(unresolved)].join(", ")}`);
  writeFileSync(`${outfile}.tmp`, `${BUNDLE_SHEBANG}\n// Sigil for Deno in one file, built by scripts/build-deno.ts (deno bundle): needs only deno on PATH.\n${body}`);
  chmodSync(`${outfile}.tmp`, 0o755);
  renameSync(`${outfile}.tmp`, outfile);
}

if (import.meta.main) {
  const mode = process.argv.includes("--bundle") ? "bundle" : process.argv.includes("--compile") ? "compile" : "auto";
  mkdirSync(join(root, "dist"), { recursive: true });
  await writeWebAssetsModule(true);
  try {
    if (mode !== "bundle" && (await compile()) === "ok") {
      console.log(`built ${outfile} (deno compile)`);
    } else if (mode === "compile") {
      throw new Error("deno compile needs denort (Deno's runtime-only executable), which the npm deno package does not ship and which could not be downloaded: set DENORT_BIN to a denort 2.9.6 binary");
    } else {
      if (mode === "auto") console.error("build-deno: denort could not be downloaded and DENORT_BIN is not set, so no deno compile: building the single-file bundle (runs with deno on PATH)");
      await bundle();
      console.log(`built ${outfile} (single-file bundle for deno)`);
    }
  } catch (error) {
    console.error(`build-deno: ${(error as Error).message}`);
    process.exit(1);
  }
}

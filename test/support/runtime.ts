// Which runtime the black-box tests start Sigil on, chosen by SIGIL_RUNTIME:
//   bun (default)  bun on the source, as a developer runs it
//   bun-binary     dist/sigil, built by scripts/build.ts when missing or stale
//   deno           deno run on the same source (web assets from .build/web-assets.js, see deno.json)
//   deno-binary    dist/sigil-deno, built by scripts/build-deno.ts when missing or stale: a `deno compile`
//                  executable where denort is at hand, else the single-file bundle, run through its own
//                  shebang with the pinned deno on PATH (as a user runs it), never as `deno run FILE`
// SIGIL_BIN, when set, still names a binary to run as it is, whatever the runtime.
import { dirname, join } from "node:path";
import { ensureBinarySync } from "./binary.ts";

export const ROOT = join(import.meta.dir, "..", "..");
export const RUNTIMES = ["bun", "bun-binary", "deno", "deno-binary"] as const;
export type SigilRuntime = (typeof RUNTIMES)[number];

/** The deno that package.json pins (npm's `deno` package puts it here). */
export const DENO = join(ROOT, "node_modules", ".bin", "deno");
/**
 * What `deno run` grants Sigil: the network (serve, SMTP, status lists), its data directory and
 * config (read, write), the environment (config), and system facts node:os asks for. Nothing else:
 * Sigil spawns no process and loads no native library. scripts/build-deno.ts grants the same.
 */
export const DENO_PERMISSIONS = ["--allow-net", "--allow-read", "--allow-write", "--allow-env", "--allow-sys"];

export function selectedRuntime(value = process.env.SIGIL_RUNTIME): SigilRuntime {
  if (!value) return "bun";
  if (!(RUNTIMES as readonly string[]).includes(value)) throw new Error(`SIGIL_RUNTIME=${value}: expected one of ${RUNTIMES.join(", ")}`);
  return value as SigilRuntime;
}

const prepared = new Set<SigilRuntime>();

/** The command that runs Sigil on `runtime`, building what it needs first (once per process). */
export function runtimeCommand(runtime: SigilRuntime = selectedRuntime()): string[] {
  if (!prepared.has(runtime)) {
    if (runtime === "bun-binary") ensureBinarySync("bun");
    if (runtime === "deno-binary") ensureBinarySync("deno");
    if (runtime === "deno") ensureBinarySync("deno-assets");
    prepared.add(runtime);
  }
  switch (runtime) {
    case "bun": return [process.execPath, join(ROOT, "src", "main.ts")];
    case "bun-binary": return [join(ROOT, "dist", "sigil")];
    case "deno": return [DENO, "run", ...DENO_PERMISSIONS, "--no-prompt", join(ROOT, "src", "main.ts")];
    case "deno-binary": return withDenoOnPath(join(ROOT, "dist", "sigil-deno"));
  }
}

/** Runs `file` itself (its shebang, when it is the bundle, finds `deno` on PATH) with the pinned deno first on PATH. */
export function withDenoOnPath(file: string, path = process.env.PATH ?? "/usr/bin:/bin"): string[] {
  return ["/usr/bin/env", `PATH=${dirname(DENO)}:${path}`, file];
}

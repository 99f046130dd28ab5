// The built artefacts the tests and the bench run: dist/sigil (scripts/build.ts), dist/sigil-deno
// (scripts/build-deno.ts) and the web assets module Deno imports from source (scripts/web-assets.ts),
// each built when missing or older than the sources it embeds (a stale one would run old code),
// or a binary someone else built, used as is.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");
export type BuildTarget = "bun" | "deno" | "deno-assets";
const TARGETS: Record<BuildTarget, { path: string; script: string; args: string[]; sources: string[] }> = {
  bun: { path: resolve(ROOT, "dist", "sigil"), script: "build.ts", args: [], sources: ["src", "web"] },
  deno: { path: resolve(ROOT, "dist", "sigil-deno"), script: "build-deno.ts", args: [], sources: ["src", "web"] },
  "deno-assets": { path: resolve(ROOT, ".build", "web-assets.js"), script: "web-assets.ts", args: [], sources: ["web"] },
};
export const DEFAULT_BINARY = TARGETS.bun.path;
export const DENO_BINARY = TARGETS.deno.path;
const BUILD_TIMEOUT_MS = 180_000;

/** Newest modification time under a directory (bounded walk, skips dot-dirs and node_modules). */
function newestMtime(dir: string, depth = 0): number {
  if (depth > 8 || !existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path, depth + 1) : statSync(path).mtimeMs);
  }
  return newest;
}

function state(target: BuildTarget): { exists: boolean; stale: boolean } {
  const { path, sources } = TARGETS[target];
  const exists = existsSync(path);
  return { exists, stale: exists && Math.max(...sources.map((dir) => newestMtime(join(ROOT, dir)))) > statSync(path).mtimeMs };
}

const buildCommand = (target: BuildTarget) => [process.execPath, join(ROOT, "scripts", TARGETS[target].script), ...TARGETS[target].args];

export interface BinaryOptions {
  /** Which artefact (default: the Bun binary). */
  target?: BuildTarget;
  /** A binary to use as it is (default: the target's own path, rebuilt when stale). */
  bin?: string;
  /** Never build; fail when the binary is missing. */
  noBuild?: boolean;
  log?: (text: string) => void;
  /** Called with the build's process id, so that an interrupted caller can kill it. */
  onSpawn?: (pid: number) => void;
}

/** Makes sure the binary exists (building it when missing or stale); says whether it built. */
export async function ensureBinary(options: BinaryOptions = {}): Promise<{ path: string; built: boolean; stale: boolean }> {
  const target = options.target ?? "bun";
  const own = TARGETS[target].path;
  const path = options.bin ? resolve(options.bin) : own;
  if (path !== own || options.noBuild) {
    if (!existsSync(path)) throw new Error(`${path} does not exist`);
    return { path, built: false, stale: false };
  }
  const { exists, stale } = state(target);
  if (exists && !stale) return { path, built: false, stale: false };
  options.log?.(`${exists ? `${path} is older than its sources; rebuilding` : `building ${path}`}`);
  const build = Bun.spawn(buildCommand(target), { cwd: ROOT, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  options.onSpawn?.(build.pid);
  const timer = setTimeout(() => build.kill("SIGKILL"), BUILD_TIMEOUT_MS);
  const [stdout, stderr, code] = await Promise.all([new Response(build.stdout).text(), new Response(build.stderr).text(), build.exited]);
  clearTimeout(timer);
  if (code !== 0) {
    const why = build.signalCode === "SIGKILL" ? `did not finish within ${BUILD_TIMEOUT_MS / 1000} s` : `exited ${code}`;
    throw new Error(`bun scripts/${TARGETS[target].script} ${why}:\n${stderr}${stdout}`);
  }
  return { path, built: true, stale };
}

/** ensureBinary for the launcher, which must answer synchronously: blocks while it builds. */
export function ensureBinarySync(target: BuildTarget): string {
  const { exists, stale } = state(target);
  if (exists && !stale) return TARGETS[target].path;
  const build = Bun.spawnSync(buildCommand(target), { cwd: ROOT, stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: BUILD_TIMEOUT_MS });
  if (build.exitCode !== 0) throw new Error(`bun scripts/${TARGETS[target].script} exited ${build.exitCode}:\n${build.stderr.toString()}${build.stdout.toString()}`);
  return TARGETS[target].path;
}

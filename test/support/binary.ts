// The compiled binary: dist/sigil, built by scripts/build.ts when it is missing or older than the
// sources it embeds (a stale binary would run old code), or a binary someone else built, used as is.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { ROOT } from "./sigil-cli.ts";

export const DEFAULT_BINARY = resolve(ROOT, "dist", "sigil");
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

export interface BinaryOptions {
  /** A binary to use as it is (default: dist/sigil, rebuilt when stale). */
  bin?: string;
  /** Never build; fail when the binary is missing. */
  noBuild?: boolean;
  log?: (text: string) => void;
  /** Called with the build's process id, so that an interrupted caller can kill it. */
  onSpawn?: (pid: number) => void;
}

/** Makes sure the binary exists (building dist/sigil when missing or stale); says whether it built. */
export async function ensureBinary(options: BinaryOptions = {}): Promise<{ path: string; built: boolean; stale: boolean }> {
  const path = options.bin ? resolve(options.bin) : DEFAULT_BINARY;
  const exists = existsSync(path);
  if (path !== DEFAULT_BINARY || options.noBuild) {
    if (!exists) throw new Error(`${path} does not exist`);
    return { path, built: false, stale: false };
  }
  const stale = exists && Math.max(newestMtime(join(ROOT, "src")), newestMtime(join(ROOT, "web"))) > statSync(path).mtimeMs;
  if (exists && !stale) return { path, built: false, stale: false };
  options.log?.(exists ? "dist/sigil is older than src/ or web/; rebuilding" : "building dist/sigil");
  const build = Bun.spawn([process.execPath, join(ROOT, "scripts", "build.ts")], { cwd: ROOT, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  options.onSpawn?.(build.pid);
  const timer = setTimeout(() => build.kill("SIGKILL"), BUILD_TIMEOUT_MS);
  const [stdout, stderr, code] = await Promise.all([new Response(build.stdout).text(), new Response(build.stderr).text(), build.exited]);
  clearTimeout(timer);
  if (code !== 0) {
    const why = build.signalCode === "SIGKILL" ? `did not finish within ${BUILD_TIMEOUT_MS / 1000} s` : `exited ${code}`;
    throw new Error(`bun scripts/build.ts ${why}:\n${stderr}${stdout}`);
  }
  return { path, built: true, stale };
}

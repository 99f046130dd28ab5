// The bound the benchmark sets its figures beside: the RS256 signing rate of this machine, by
// openssl and by each runtime's own WebCrypto (through jose, as Sigil signs), measured in the same
// run because the machine is shared and noisy. A flow costs two signatures (the id_token and the access token).
import { join } from "node:path";
import { DENO } from "../test/support/runtime.ts";
import { run } from "./bench-children.ts";
import type { SignPath, SignRate } from "./bench-sign.ts";

export type { SignRate };
export type BenchRuntime = "bun" | "deno";

/** openssl speed rsa2048, sign/s (single core, or -multi N). */
export async function opensslSignRate(multi: number | null): Promise<number> {
  const args = ["openssl", "speed", "-seconds", "3", ...(multi ? ["-multi", String(multi)] : []), "rsa2048"];
  const result = await run(args, { timeoutMs: 60_000 });
  // "rsa 2048 bits 0.000250s 0.000015s   4007.7  65857.7": the third number is sign/s.
  const match = /^rsa\s+2048 bits\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)\s+[\d.]+/m.exec(result.stdout);
  if (result.code !== 0 || !match) throw new Error(`could not read ${args.join(" ")}:\n${result.stdout}\n${result.stderr}`);
  return Number(match[1]);
}

/**
 * `total` RS256 signatures, `batch` in flight, on `runtime` (a child process running scripts/bench-sign.ts
 * there, so that Bun's figure is measured exactly as Deno's); also CPU ms per signature.
 */
export async function runtimeSignRate(runtime: BenchRuntime, total: number, batch: number, path: SignPath = "webcrypto"): Promise<SignRate> {
  const root = join(import.meta.dir, "..");
  const script = join(root, "scripts", "bench-sign.ts");
  const command = runtime === "bun" ? [process.execPath, script] : [DENO, "run", "--allow-env", "--allow-sys", "--allow-read", script];
  const result = await run([...command, path, String(total), String(batch)], { timeoutMs: 120_000, cwd: root });
  if (result.code !== 0) throw new Error(`bench-sign on ${runtime} exited ${result.code}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as SignRate;
}

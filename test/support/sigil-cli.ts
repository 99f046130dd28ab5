// Which Sigil to run (the source under Bun, or the compiled binary SIGIL_BIN names) and its CLI,
// run against a data directory as an operator would.
import { join } from "node:path";
import { runtimeCommand } from "./runtime.ts";

export const ROOT = join(import.meta.dir, "..", "..");

/** The command that runs Sigil: the binary `bin` (default SIGIL_BIN) if set, else the runtime SIGIL_RUNTIME names (default bun on the source). */
export function sigilCommand(bin = process.env.SIGIL_BIN): string[] {
  return bin ? [bin] : runtimeCommand();
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `sigil <args> --data <dataDir>`, optionally feeding standard input. SIGIL_DATA is cleared so
 * that only --data names the directory; a command still running after `timeoutMs` is killed.
 */
export async function runCli(dataDir: string, args: string[], stdin?: string, command = sigilCommand(), cwd = ROOT, timeoutMs = 60_000, env: Record<string, string> = {}): Promise<CliResult> {
  const proc = Bun.spawn([...command, ...args, "--data", dataDir], {
    cwd,
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, SIGIL_DATA: undefined, ...env },
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  return { code, stdout, stderr };
}

// Every process the benchmark starts (servers, the build, openssl), so that none outlives it: on
// an interrupt or the overall timeout they are killed with whatever they started in turn.
import { descendants, parentOf } from "./bench-proc.ts";

const children = new Set<number>();

export const track = (pid: number) => void children.add(pid);
export const untrack = (pid: number) => void children.delete(pid);

/**
 * SIGKILL to every tracked process still there and to its descendants (openssl -multi forks
 * workers). A tracked id whose process is no longer this one's child (it ended; the id may be
 * another's now) is left alone.
 */
export function killChildren(): void {
  for (const pid of children) {
    if (parentOf(pid) !== process.pid) continue;
    for (const child of [...descendants(pid), pid]) {
      try {
        process.kill(child, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  children.clear();
}

/** Runs a command to completion within a time limit; returns its exit code and output. */
export async function run(cmd: string[], options: { timeoutMs: number; cwd?: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn(cmd, { cwd: options.cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  track(proc.pid);
  const timer = setTimeout(() => proc.kill("SIGKILL"), options.timeoutMs);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  untrack(proc.pid);
  return { code, stdout, stderr };
}

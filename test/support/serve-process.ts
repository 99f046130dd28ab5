// One `sigil serve` child process on port 0 of 127.0.0.1: its output kept, and ready as soon as it
// prints the line serve prints once it accepts connections ("sigil listening on http://HOST:PORT",
// src/cli/serve.ts). Watching the output rather than polling keeps start-up figures exact.

export interface ServeOptions {
  command: string[];
  dataDir: string;
  cwd: string;
  args: string[];
  env: Record<string, string>;
  /** Give up (and kill the process) when it has not said "listening" after this long. */
  timeoutMs: number;
  /** Keep only the last this many characters of output (a long load run logs much). */
  outputLimit: number;
  /** Called with the process id right after the spawn, before it is ready. */
  onSpawn?: (pid: number) => void;
}

export interface ServeProcess {
  readonly pid: number;
  readonly port: number;
  output(): string;
  running(): boolean;
  /** Sends `signal` (SIGTERM lets serve flush and close its store), then SIGKILL if it is still there after `graceMs`. */
  stop(signal?: "SIGTERM" | "SIGKILL", graceMs?: number): Promise<void>;
}

const LISTENING = /listening on http:\/\/[^:\s]+:(\d+)/;

export async function spawnServe(options: ServeOptions): Promise<ServeProcess> {
  const proc = Bun.spawn([...options.command, "serve", "--data", options.dataDir, "--port", "0", "--listen", "127.0.0.1", ...options.args], {
    cwd: options.cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, SIGIL_DATA: undefined, ...options.env },
  });
  options.onSpawn?.(proc.pid);
  let output = "";
  let port = 0;
  let heard = () => {};
  const listening = new Promise<"ready">((resolve) => (heard = () => resolve("ready")));
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      output += decoder.decode(chunk, { stream: true });
      if (port === 0) {
        const match = LISTENING.exec(output);
        if (match) {
          port = Number(match[1]);
          heard();
        }
      }
      if (output.length > options.outputLimit) output = output.slice(-options.outputLimit);
    }
  };
  // A read error only loses output: it must not become an unhandled rejection that fails the run.
  const drained = Promise.all([pump(proc.stdout), pump(proc.stderr)]).catch(() => undefined);
  const running = () => proc.exitCode === null && proc.signalCode === null;
  const stop = async (signal: "SIGTERM" | "SIGKILL" = "SIGTERM", graceMs = 10_000) => {
    if (!running()) return;
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
    await proc.exited;
    clearTimeout(timer);
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), options.timeoutMs)));
  const outcome = await Promise.race([listening, proc.exited.then(() => "exited" as const), timeout]);
  clearTimeout(timer);
  if (outcome !== "ready") {
    await stop("SIGKILL");
    await Promise.race([drained, Bun.sleep(500)]);
    throw new Error(`sigil did not start (${outcome === "timeout" ? `no "listening" within ${options.timeoutMs} ms` : `exited ${proc.exitCode ?? proc.signalCode}`}):\n${output}`);
  }
  return { pid: proc.pid, port, output: () => output, running, stop };
}

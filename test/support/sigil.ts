// The one launcher: starts a real Sigil server (from source, or the compiled binary when SIGIL_BIN
// is set or `command` names one) on a data directory (fresh, given, or a copy of a provisioned
// template) and a free port, and runs CLI commands against it. Used by the black-box tests, the
// offline conformance battery and the benchmark.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnServe } from "./serve-process.ts";
import { ROOT, runCli, sigilCommand, type CliResult } from "./sigil-cli.ts";
import { watchdog } from "./watchdog.ts";

export { runCli, sigilCommand, type CliResult };

export interface SigilServer {
  /** http://127.0.0.1:PORT — send a Host header to pick the tenant, or use origin(). */
  readonly port: number;
  readonly pid: number;
  readonly dataDir: string;
  /** The first admin set-up link printed at first start, if any. */
  readonly setupLink: string | null;
  /** The origin for a tenant host, e.g. origin("acme.localhost") → http://acme.localhost:PORT */
  origin(host?: string): string;
  /** fetch against 127.0.0.1:PORT with the Host header of `host` (default localhost), redirects not followed. */
  fetch(path: string, init?: RequestInit & { host?: string }): Promise<Response>;
  cli(args: string[], stdin?: string): Promise<CliResult>;
  /** Runs a CLI command and fails the test if it does not exit 0. */
  cliOk(args: string[], stdin?: string): Promise<string>;
  output(): string;
  /** Stops the process (and removes the data directory when started with removeOnStop). */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts a new server process on the same data directory (after stop). */
  restart(): Promise<SigilServer>;
}

export interface StartOptions {
  dataDir?: string;
  /** Serve a fresh copy of this data directory (one provisioned once, started many times). */
  template?: string;
  /** How to run Sigil (default: sigilCommand()). */
  command?: string[];
  /** Working directory of the server and its CLI (default: the repository). */
  cwd?: string;
  env?: Record<string, string>;
  args?: string[];
  /** Remove the data directory when the server is stopped. */
  removeOnStop?: boolean;
  /** Kill the server should this process die first, and remove the data directory once the server ends (so no restart). */
  watchdog?: boolean;
  /** How long to wait after "listening" for what serve prints next (the set-up link); default 50 ms. */
  settleMs?: number;
  /** Abort a fetch that has no signal of its own after this long (default: never). */
  requestTimeoutMs?: number;
  /** Keep only the last this many characters of the server's output (default: all). */
  outputLimit?: number;
  /** How long serve may take to listen (default 15 s). */
  startTimeoutMs?: number;
  /** Called with the server's process id as soon as it is spawned. */
  onSpawn?: (pid: number) => void;
}

export async function startSigil(options: StartOptions = {}): Promise<SigilServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "sigil-test-"));
  if (options.template) cpSync(options.template, dataDir, { recursive: true });
  const command = options.command ?? sigilCommand();
  const cwd = options.cwd ?? ROOT;
  const remove = () => {
    if (options.removeOnStop) removeDataDir(dataDir);
  };
  const proc = await spawnServe({
    command, dataDir, cwd, args: options.args ?? [], env: options.env ?? {},
    timeoutMs: options.startTimeoutMs ?? 15_000, outputLimit: options.outputLimit ?? Infinity,
    onSpawn: (pid) => {
      if (options.watchdog) watchdog(dataDir, pid);
      options.onSpawn?.(pid);
    },
  }).catch((error: unknown) => {
    remove();
    throw error;
  });
  if (options.settleMs !== 0) await Bun.sleep(options.settleMs ?? 50);
  const { port } = proc;
  // The CLI sees what the server was started with (a cluster's shared SIGIL_MASTER_KEY, say).
  const cli = (args: string[], stdin?: string) => runCli(dataDir, args, stdin, command, cwd, undefined, options.env ?? {});
  const server: SigilServer = {
    port,
    pid: proc.pid,
    dataDir,
    setupLink: /(http:\/\/\S+\/setup\.html#token=\S+)/.exec(proc.output())?.[1] ?? null,
    origin: (host = "localhost") => `http://${host}:${port}`,
    fetch: (path, init = {}) => {
      const { host = "localhost", ...rest } = init;
      const headers = new Headers(rest.headers);
      headers.set("host", `${host}:${port}`);
      const signal = rest.signal ?? (options.requestTimeoutMs ? AbortSignal.timeout(options.requestTimeoutMs) : undefined);
      return fetch(`http://127.0.0.1:${port}${path}`, { redirect: "manual", ...rest, headers, ...(signal ? { signal } : {}) });
    },
    cli,
    cliOk: async (args, stdin) => {
      const result = await cli(args, stdin);
      if (result.code !== 0) throw new Error(`sigil ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
      return result.stdout;
    },
    output: proc.output,
    stop: async (signal = "SIGTERM") => {
      await proc.stop(signal);
      remove();
    },
    restart: async () => {
      if (options.watchdog || options.removeOnStop) throw new Error("a server whose data directory goes with it cannot restart");
      await proc.stop();
      return startSigil({ ...options, dataDir, template: undefined });
    },
  };
  return server;
}

/** Removes a test's data directory. */
export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

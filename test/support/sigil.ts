// Starts a real Sigil server (from source, or the compiled binary when SIGIL_BIN is set)
// on a fresh data directory and a free port, and runs CLI commands against it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";

const ROOT = join(import.meta.dir, "..", "..");

/** The command that runs Sigil: the compiled binary if SIGIL_BIN names one, else bun on the source. */
export function sigilCommand(): string[] {
  const bin = process.env.SIGIL_BIN;
  return bin ? [bin] : [process.execPath, join(ROOT, "src", "main.ts")];
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `sigil <args>` against a data directory, optionally feeding standard input. */
export async function runCli(dataDir: string, args: string[], stdin?: string, command = sigilCommand(), cwd = ROOT): Promise<CliResult> {
  const proc = Bun.spawn([...command, ...args, "--data", dataDir], {
    cwd,
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, SIGIL_DATA: undefined },
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

export interface SigilServer {
  /** http://127.0.0.1:PORT — send a Host header to pick the tenant, or use origin(). */
  readonly port: number;
  readonly dataDir: string;
  /** The first admin set-up link printed at first start, if any. */
  readonly setupLink: string | null;
  /** The origin for a tenant host, e.g. origin("acme.localhost") → http://acme.localhost:PORT */
  origin(host?: string): string;
  /** fetch against 127.0.0.1:PORT with the Host header of `host` (default localhost). */
  fetch(path: string, init?: RequestInit & { host?: string }): Promise<Response>;
  cli(args: string[], stdin?: string): Promise<CliResult>;
  /** Runs a CLI command and fails the test if it does not exit 0. */
  cliOk(args: string[], stdin?: string): Promise<string>;
  output(): string;
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts a new server process on the same data directory (after stop). */
  restart(): Promise<SigilServer>;
}

export interface StartOptions {
  dataDir?: string;
  /** How to run Sigil (default: sigilCommand()). */
  command?: string[];
  /** Working directory of the server and its CLI (default: the repository). */
  cwd?: string;
  env?: Record<string, string>;
  args?: string[];
}

export async function startSigil(options: StartOptions = {}): Promise<SigilServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "sigil-test-"));
  const command = options.command ?? sigilCommand();
  const cwd = options.cwd ?? ROOT;
  const proc: Subprocess<"ignore", "pipe", "pipe"> = Bun.spawn(
    [...command, "serve", "--data", dataDir, "--port", "0", "--listen", "127.0.0.1", ...(options.args ?? [])],
    { cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, ...options.env } },
  );
  let output = "";
  const decoder = new TextDecoder();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output += decoder.decode(chunk);
  };
  void pump(proc.stdout);
  void pump(proc.stderr);
  const started = Date.now();
  let port = 0;
  while (Date.now() - started < 15_000) {
    const match = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
    if (match) {
      port = Number(match[1]);
      break;
    }
    if (proc.exitCode !== null) break;
    await Bun.sleep(20);
  }
  if (!port) {
    proc.kill("SIGKILL");
    throw new Error(`sigil did not start:\n${output}`);
  }
  await Bun.sleep(50);
  const setupLink = /(http:\/\/\S+\/setup\.html#token=\S+)/.exec(output)?.[1] ?? null;
  const server: SigilServer = {
    port,
    dataDir,
    setupLink,
    origin: (host = "localhost") => `http://${host}:${port}`,
    fetch: (path, init = {}) => {
      const { host = "localhost", ...rest } = init;
      const headers = new Headers(rest.headers);
      headers.set("host", `${host}:${port}`);
      return fetch(`http://127.0.0.1:${port}${path}`, { redirect: "manual", ...rest, headers });
    },
    cli: (args, stdin) => runCli(dataDir, args, stdin, command, cwd),
    cliOk: async (args, stdin) => {
      const result = await runCli(dataDir, args, stdin, command, cwd);
      if (result.code !== 0) throw new Error(`sigil ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
      return result.stdout;
    },
    output: () => output,
    stop: async (signal = "SIGTERM") => {
      if (proc.exitCode === null) {
        proc.kill(signal);
        await proc.exited;
      }
    },
    restart: async () => {
      await server.stop();
      return startSigil({ ...options, dataDir });
    },
  };
  return server;
}

/** Removes a test's data directory. */
export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

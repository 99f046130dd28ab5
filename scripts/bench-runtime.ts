// One runtime's part of the benchmark (scripts/bench.ts orders the run): its executable started on
// a fresh data directory, provisioned through its own CLI, started again five times for the start-up
// figure, warmed, measured idle, set beside the signing bound of that runtime, loaded with complete flows
// and then each endpoint alone. Starting and driving Sigil is the test harness's (test/support/).
import { mkdirSync, mkdtempSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { addConfidentialClient, addUser } from "../test/support/fixtures.ts";
import type { FlowParty } from "../test/support/oauth-flow.ts";
import { DENO, DENO_PERMISSIONS, withDenoOnPath } from "../test/support/runtime.ts";
import { ROOT } from "../test/support/sigil-cli.ts";
import { startSigil, type SigilServer } from "../test/support/sigil.ts";
import { opensslSignRate, runtimeSignRate, type BenchRuntime } from "./bench-bound.ts";
import { track, untrack } from "./bench-children.ts";
import { endpointCosts, load, targetOf, type LoadResult } from "./bench-load.ts";
import { machineJiffies, memoryKb, processCpuMs, threadBusy, threadCpuMs } from "./bench-proc.ts";
import { report, type Report } from "./bench-report.ts";
import { round } from "./bench-stats.ts";

const PARTY_NAMES = { host: "localhost", username: "bench", password: "bench-password-1", clientId: "bench-rp", redirectUri: "https://rp.example/cb" };
const REQUEST_TIMEOUT_MS = 10_000;
const START_TIMEOUT_MS = 15_000;
const START_REPEATS = 5;

// ---------------------------------------------------------------- server

/** How each runtime's executable is started: dist/sigil itself; dist/sigil-deno itself with the pinned deno on PATH (its shebang needs it when it is the bundle). */
const commandOf = (runtime: BenchRuntime, bin: string) => (runtime === "bun" ? [bin] : withDenoOnPath(bin));

/** The load server under a CPU profiler: Bun from source, Deno on the same executable file. */
function profileCommand(runtime: BenchRuntime, bin: string, profileDir: string): string[] {
  if (runtime === "bun") return [process.execPath, "--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${profileDir}`, join(ROOT, "src", "main.ts")];
  return [DENO, "run", "--cpu-prof", `--cpu-prof-dir=${profileDir}`, ...DENO_PERMISSIONS, "--no-prompt", "--no-config", bin];
}

/** Starts `serve` on the data directory and returns once discovery answers 200, with the time that took from spawn. */
async function startServer(dataDir: string, command: string[]): Promise<{ server: SigilServer; startMs: number }> {
  const started = performance.now();
  const server = await startSigil({
    dataDir, command, settleMs: 0, outputLimit: 65_536, requestTimeoutMs: REQUEST_TIMEOUT_MS, startTimeoutMs: START_TIMEOUT_MS, onSpawn: track,
  });
  const response = await server.fetch("/.well-known/openid-configuration");
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`discovery answered ${response.status}:\n${server.output()}`);
  return { server, startMs: performance.now() - started };
}

async function stopServer(server: SigilServer): Promise<void> {
  await server.stop();
  untrack(server.pid);
}

// ---------------------------------------------------------------- one runtime

export interface Executable {
  runtime: BenchRuntime;
  bin: string;
  built: boolean;
  stale: boolean;
}

export interface BenchOptions {
  cores: number;
  flows: number;
  concurrency: number;
  warmup: number;
  profile: boolean;
  /** Where each temporary data directory is recorded, for the caller to remove. */
  dataDirs: string[];
  log: (text: string) => void;
}

/** Start-up, memory, the signing bound and the load on one runtime's executable; its report. */
export async function benchRuntime(exe: Executable, options: BenchOptions): Promise<{ figures: Report; lines: string[]; errors: number }> {
  const { runtime, bin } = exe;
  const { cores, log, dataDirs } = options;
  const FLOWS = options.flows;
  const CONCURRENCY = options.concurrency;
  const WARMUP = options.warmup;
  const command = commandOf(runtime, bin);
  const loadavgBefore = loadavg();
  const dataDir = mkdtempSync(join(tmpdir(), `sigil-bench-${runtime}-`));
  dataDirs.push(dataDir);
  log(`${runtime}: ${bin}; data ${dataDir}; ${FLOWS} flows at concurrency ${CONCURRENCY}; ${cores} cores`);

  // First start on an empty directory makes the localhost tenant; provision it through the CLI as an operator would.
  const first = await startServer(dataDir, command);
  await addUser(first.server, PARTY_NAMES.host, PARTY_NAMES.username, PARTY_NAMES.password);
  const { clientSecret } = await addConfidentialClient(first.server, PARTY_NAMES.host, PARTY_NAMES.clientId, PARTY_NAMES);
  const party: FlowParty = { ...PARTY_NAMES, clientSecret };
  // The JWKS request makes the tenant's signing key, so later starts find everything in place; one flow checks the set-up.
  const checkFlow = await load(await targetOf(first.server, party), 1, 1);
  if (checkFlow.errors > 0) throw new Error(`the first flow failed: ${checkFlow.firstErrors.join("; ")}\n${first.server.output()}`);
  await stopServer(first.server);
  log(`${runtime}: first start (empty data dir) ${round(first.startMs)} ms; provisioned; keys made`);

  // Start-up on the existing, provisioned directory.
  const startSamples: number[] = [];
  for (let i = 0; i < START_REPEATS; i++) {
    const { server, startMs } = await startServer(dataDir, command);
    startSamples.push(startMs);
    await stopServer(server);
  }
  log(`${runtime}: start-up ${startSamples.map((s) => round(s)).join(", ")} ms`);

  // The load server.
  const profileDir = join(ROOT, ".bench", "profile");
  if (options.profile) mkdirSync(profileDir, { recursive: true });
  const { server } = await startServer(dataDir, options.profile ? profileCommand(runtime, bin, profileDir) : command);
  const pid = server.pid;
  const afterStart = memoryKb(pid);
  const target = await targetOf(server, party);
  let warmup: LoadResult | null = null;
  if (WARMUP > 0) {
    warmup = await load(target, WARMUP, CONCURRENCY);
    log(`${runtime}: warm-up ${WARMUP} flows: ${round((WARMUP * 1000) / warmup.wallMs)} flows/s, ${warmup.errors} errors`);
  }
  await Bun.sleep(1000);
  const idle = memoryKb(pid);

  // The bound, with the server idle: openssl, and this runtime's own WebCrypto in a child process of that runtime.
  log(`${runtime}: measuring the signing bound (openssl speed and ${runtime} WebCrypto)`);
  const opensslSingle = await opensslSignRate(null);
  const opensslMulti = await opensslSignRate(cores);
  // Three rounds of 2000 (each a second or two, so one noisy moment could halve one): the median round counts.
  const signRounds = [];
  for (let i = 0; i < 3; i++) signRounds.push(await runtimeSignRate(runtime, 2000, 64));
  const signConcurrent = [...signRounds].sort((a, b) => a.perSecond - b.perSecond)[1]!;
  const signSequential = await runtimeSignRate(runtime, 500, 1);

  // The load.
  log(`${runtime}: load: ${FLOWS} flows`);
  const serverCpu0 = processCpuMs(pid);
  const threads0 = threadCpuMs(pid);
  const benchCpu0 = process.cpuUsage();
  const machine0 = machineJiffies();
  const result = await load(target, FLOWS, CONCURRENCY);
  const serverCpuMs = processCpuMs(pid) - serverCpu0;
  const threads = threadBusy(pid, threads0, threadCpuMs(pid), result.wallMs);
  const benchCpu = process.cpuUsage(benchCpu0);
  const machine1 = machineJiffies();
  const after = memoryKb(pid);

  // Where the server's time goes: each endpoint alone, then the machine's signing rate again (it drifts).
  const costCount = Math.min(1000, FLOWS);
  log(`${runtime}: per-endpoint cost: ${costCount} requests each`);
  const costs = await endpointCosts(target, pid, costCount, CONCURRENCY);
  const opensslMultiAfter = await opensslSignRate(cores);
  await stopServer(server);

  const { report: figures, lines } = report({
    runtime, cores, loadavgBefore,
    args: { flows: FLOWS, concurrency: CONCURRENCY, warmup: WARMUP, bin, profile: options.profile, executableBytes: statSync(bin).size },
    build: { built: exe.built, stale: exe.stale },
    firstStartMs: first.startMs, startSamples,
    memory: { afterStart, idle, after },
    openssl: { single: opensslSingle, multi: opensslMulti, multiAfter: opensslMultiAfter },
    sign: { rounds: signRounds, concurrent: signConcurrent, sequential: signSequential },
    result, warmup, serverCpuMs, benchCpuMs: (benchCpu.user + benchCpu.system) / 1000, threads,
    machineBusy: (machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total),
    costs, verifier: null,
    serverLog: server.output().split("\n").filter((line) => line.trim() && !/listening on|first admin|no SMTP server configured| INFO request /.test(line)),
  }, ROOT);
  const costErrors = Object.values(costs).reduce((n, cost) => n + cost.errors, 0);
  return { figures, lines, errors: result.errors + costErrors };
}


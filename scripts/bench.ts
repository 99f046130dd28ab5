// The benchmark: start-up time, memory, and throughput/latency of complete
// authorization-code + PKCE flows against the compiled binary, each figure set
// beside a bound measured in the same run (the RSA signing rate of this machine,
// by openssl and by Bun's own WebCrypto), because the machine is shared and noisy.
// Talks only to 127.0.0.1; always terminates (bounded loops, per-request and overall timeouts).
// Then the OpenID4VP verifier figure (scripts/bench-verifier.ts): presentations verified per second
// in-process, beside the WebCrypto P-256 verify rate, and RSS over a run of fresh presentations.
// Starting, provisioning and driving Sigil is the test harness's (test/support/); this file only
// orders the run: bench-load.ts makes the load, bench-bound.ts the bound, bench-report.ts the report.
//
//   bun scripts/bench.ts [--flows N] [--concurrency C] [--bin dist/sigil] [--warmup W]
//                        [--timeout SECONDS] [--profile] [--keep] [--no-build]
//                        [--verifier N] [--verifier-memory N] [--long]
//
// --verifier N: presentations verified on one JS thread and again on one worker per core, over three
// rounds (0 skips the verifier figure); --verifier-memory N: fresh presentations in its memory run;
// --long makes that run 100,000 (RSS at 10k, 50k, 100k; about two more minutes).
//
// dist/sigil is built when missing or older than src/ or web/ (unless --no-build);
// a binary named with --bin is used as it is. --keep keeps the temporary data directory.
// --profile runs the load server from source under `bun --cpu-prof --cpu-prof-md`
// (profile in .bench/profile/); start-up is still measured on the binary.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ensureBinary } from "../test/support/binary.ts";
import { addConfidentialClient, addUser } from "../test/support/fixtures.ts";
import type { FlowParty } from "../test/support/oauth-flow.ts";
import { ROOT } from "../test/support/sigil-cli.ts";
import { startSigil, type SigilServer } from "../test/support/sigil.ts";
import { bunSignRate, opensslSignRate } from "./bench-bound.ts";
import { killChildren, track, untrack } from "./bench-children.ts";
import { endpointCosts, load, targetOf, type LoadResult } from "./bench-load.ts";
import { machineJiffies, memoryKb, processCpuMs, threadBusy, threadCpuMs } from "./bench-proc.ts";
import { report } from "./bench-report.ts";
import { round } from "./bench-stats.ts";
import { LONG_MEMORY_PRESENTATIONS, benchVerifier, verifierErrors, type VerifierReport } from "./bench-verifier.ts";

const PARTY_NAMES = { host: "localhost", username: "bench", password: "bench-password-1", clientId: "bench-rp", redirectUri: "https://rp.example/cb" };
const REQUEST_TIMEOUT_MS = 10_000;
const START_TIMEOUT_MS = 15_000;
const START_REPEATS = 5;
const VERIFIER_CONCURRENCY = 16;

// ---------------------------------------------------------------- arguments

const { values: argv } = parseArgs({
  args: process.argv.slice(2),
  options: {
    flows: { type: "string", default: "5000" },
    concurrency: { type: "string", default: "8" },
    bin: { type: "string", default: "dist/sigil" },
    warmup: { type: "string", default: "200" },
    timeout: { type: "string", default: "900" },
    profile: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    verifier: { type: "string", default: "6000" },
    "verifier-memory": { type: "string", default: "20000" },
    long: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
  strict: true,
});
if (argv.help) {
  console.log("usage: bun scripts/bench.ts [--flows N=5000] [--concurrency C=8] [--bin dist/sigil] [--warmup W=200] [--timeout S=900] [--profile] [--keep] [--no-build] [--verifier N=6000] [--verifier-memory N=20000] [--long]");
  process.exit(0);
}
const positiveInt = (name: string, text: string, min: number): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    console.error(`bench: --${name} must be an integer >= ${min}`);
    process.exit(2);
  }
  return n;
};
const FLOWS = positiveInt("flows", argv.flows, 1);
const CONCURRENCY = positiveInt("concurrency", argv.concurrency, 1);
const WARMUP = positiveInt("warmup", argv.warmup, 0);
const TIMEOUT_S = positiveInt("timeout", argv.timeout, 10);
const VERIFIER_PRESENTATIONS = positiveInt("verifier", argv.verifier, 0);
const VERIFIER_MEMORY = argv.long ? LONG_MEMORY_PRESENTATIONS : positiveInt("verifier-memory", argv["verifier-memory"], 0);
const CUSTOM_BIN = argv.bin === "dist/sigil" ? undefined : resolve(process.cwd(), argv.bin);

// ---------------------------------------------------------------- process hygiene

let dataDir: string | null = null;

function cleanup(): void {
  killChildren();
  if (dataDir && !argv.keep) rmSync(dataDir, { recursive: true, force: true });
}
/** The overall limit starts after the build (which has its own), so that a build is never killed half-written. */
function armOverallTimeout(): void {
  setTimeout(() => {
    console.error(`bench: overall timeout of ${TIMEOUT_S} s reached; stopping`);
    cleanup();
    process.exit(3);
  }, TIMEOUT_S * 1000);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    cleanup();
    process.exit(130);
  });
}

const log = (text: string) => process.stderr.write(`bench: ${text}\n`);

// ---------------------------------------------------------------- server

/** Starts `serve` on the data directory and returns once discovery answers 200, with the time that took from spawn. */
async function startServer(bin: string, profile = false): Promise<{ server: SigilServer; startMs: number }> {
  const profileDir = join(ROOT, ".bench", "profile");
  if (profile) mkdirSync(profileDir, { recursive: true });
  const command = profile ? [process.execPath, "--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${profileDir}`, join(ROOT, "src", "main.ts")] : [bin];
  const started = performance.now();
  const server = await startSigil({
    dataDir: dataDir!, command, settleMs: 0, outputLimit: 65_536, requestTimeoutMs: REQUEST_TIMEOUT_MS, startTimeoutMs: START_TIMEOUT_MS, onSpawn: track,
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

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const cores = cpus().length;
  const loadavgBefore = loadavg();
  let buildPid = 0;
  const { path: bin, built, stale } = await ensureBinary({ bin: CUSTOM_BIN, noBuild: argv["no-build"], log, onSpawn: (pid) => track((buildPid = pid)) })
    .finally(() => untrack(buildPid));
  armOverallTimeout();
  dataDir = mkdtempSync(join(tmpdir(), "sigil-bench-"));
  log(`data ${dataDir}; ${FLOWS} flows at concurrency ${CONCURRENCY}; ${cores} cores`);

  // First start on an empty directory makes the localhost tenant; provision it through the CLI as an operator would.
  const first = await startServer(bin);
  await addUser(first.server, PARTY_NAMES.host, PARTY_NAMES.username, PARTY_NAMES.password);
  const { clientSecret } = await addConfidentialClient(first.server, PARTY_NAMES.host, PARTY_NAMES.clientId, PARTY_NAMES);
  const party: FlowParty = { ...PARTY_NAMES, clientSecret };
  // The JWKS request makes the tenant's signing key, so later starts find everything in place; one flow checks the set-up.
  const checkFlow = await load(await targetOf(first.server, party), 1, 1);
  if (checkFlow.errors > 0) throw new Error(`the first flow failed: ${checkFlow.firstErrors.join("; ")}\n${first.server.output()}`);
  await stopServer(first.server);
  log(`first start (empty data dir) ${round(first.startMs)} ms; provisioned; keys made`);

  // Start-up on the existing, provisioned directory.
  const startSamples: number[] = [];
  for (let i = 0; i < START_REPEATS; i++) {
    const { server, startMs } = await startServer(bin);
    startSamples.push(startMs);
    await stopServer(server);
  }
  log(`start-up ${startSamples.map((s) => round(s)).join(", ")} ms`);

  // The load server.
  const { server } = await startServer(bin, argv.profile);
  const pid = server.pid;
  const afterStart = memoryKb(pid);
  const target = await targetOf(server, party);
  let warmup: LoadResult | null = null;
  if (WARMUP > 0) {
    warmup = await load(target, WARMUP, CONCURRENCY);
    log(`warm-up ${WARMUP} flows: ${round((WARMUP * 1000) / warmup.wallMs)} flows/s, ${warmup.errors} errors`);
  }
  await Bun.sleep(1000);
  const idle = memoryKb(pid);

  // The bound, with the server idle.
  log("measuring the signing bound (openssl speed and Bun WebCrypto, ~12 s)");
  const opensslSingle = await opensslSignRate(null);
  const opensslMulti = await opensslSignRate(cores);
  // Three rounds of 2000 (each well under a second, so one noisy moment could halve one): the median round counts.
  const bunRounds: { perSecond: number; cpuMsPerSign: number }[] = [];
  for (let i = 0; i < 3; i++) bunRounds.push(await bunSignRate(2000, 64));
  const bunConcurrent = [...bunRounds].sort((a, b) => a.perSecond - b.perSecond)[1]!;
  const bunSequential = await bunSignRate(500, 1);

  // The load.
  log(`load: ${FLOWS} flows`);
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
  log(`per-endpoint cost: ${costCount} requests each`);
  const costs = await endpointCosts(target, pid, costCount, CONCURRENCY);
  const opensslMultiAfter = await opensslSignRate(cores);
  await stopServer(server);

  // The OID4VP verifier, in-process, with the server stopped so that it has the machine.
  let verifier: VerifierReport | null = null;
  if (VERIFIER_PRESENTATIONS > 0) {
    verifier = await benchVerifier({ presentations: VERIFIER_PRESENTATIONS, concurrency: VERIFIER_CONCURRENCY, workers: cores, memoryPresentations: VERIFIER_MEMORY, log });
  }

  const { report: figures, lines } = report({
    cores, loadavgBefore,
    args: { flows: FLOWS, concurrency: CONCURRENCY, warmup: WARMUP, bin, profile: argv.profile },
    build: { built, stale },
    firstStartMs: first.startMs, startSamples,
    memory: { afterStart, idle, after },
    openssl: { single: opensslSingle, multi: opensslMulti, multiAfter: opensslMultiAfter },
    bun: { rounds: bunRounds, concurrent: bunConcurrent, sequential: bunSequential },
    result, warmup, serverCpuMs, benchCpuMs: (benchCpu.user + benchCpu.system) / 1000, threads,
    machineBusy: (machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total),
    costs, verifier,
    serverLog: server.output().split("\n").filter((line) => line.trim() && !/listening on|first admin/.test(line)),
  }, ROOT);
  console.log(lines.join("\n"));
  mkdirSync(join(ROOT, ".bench"), { recursive: true });
  writeFileSync(join(ROOT, ".bench", "last.json"), JSON.stringify(figures, null, 2) + "\n");
  log("wrote .bench/last.json");
  const costErrors = Object.values(costs).reduce((n, cost) => n + cost.errors, 0);
  return result.errors === 0 && costErrors === 0 && (verifier === null || verifierErrors(verifier) === 0) ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`bench: ${(error as Error)?.stack ?? String(error)}`);
  code = 1;
} finally {
  cleanup();
}
process.exit(code);

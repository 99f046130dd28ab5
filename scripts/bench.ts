// The benchmark: start-up time, memory, executable size, and throughput/latency of complete
// authorization-code + PKCE flows against the built executable of each runtime (dist/sigil on Bun,
// dist/sigil-deno on Deno), each figure set beside a bound measured in the same run (the RSA signing
// rate of this machine, by openssl and by that runtime's own WebCrypto), because the machine is shared and noisy.
// Talks only to 127.0.0.1; always terminates (bounded loops, per-request and overall timeouts).
// Then the OpenID4VP verifier figure (scripts/bench-verifier.ts): presentations verified per second
// in-process, beside the WebCrypto P-256 verify rate, and RSS over a run of fresh presentations.
// Starting, provisioning and driving Sigil is the test harness's (test/support/); this file only
// orders the run: bench-load.ts makes the load, bench-bound.ts the bound, bench-report.ts the report.
//
//   bun scripts/bench.ts [--runtime bun|deno|both] [--flows N] [--concurrency C] [--bin PATH] [--warmup W]
//                        [--timeout SECONDS] [--profile] [--keep] [--no-build]
//                        [--verifier N] [--verifier-memory N] [--long]
//
// --verifier N: presentations verified on one JS thread and again on one worker per core, over three
// rounds (0 skips the verifier figure); --verifier-memory N: fresh presentations in its memory run;
// --long makes that run 100,000 (RSS at 10k, 50k, 100k; about two more minutes).
//
// --runtime (default both, Bun first) picks the executables; each is built when missing or older than
// src/ or web/ (unless --no-build); a binary named with --bin (one runtime only) is used as it is.
// --keep keeps the temporary data directories. --profile runs the load server under `bun --cpu-prof`
// from source, or `deno run --cpu-prof` on dist/sigil-deno (profile in .bench/profile/); start-up is
// still measured on the executable. Ends with one table of both runtimes, as README "Runtimes" shows it.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ensureBinary } from "../test/support/binary.ts";
import { ROOT } from "../test/support/sigil-cli.ts";
import type { BenchRuntime } from "./bench-bound.ts";
import { killChildren, track, untrack } from "./bench-children.ts";
import { runtimeTable, type Report } from "./bench-report.ts";
import { benchRuntime, type Executable } from "./bench-runtime.ts";
import { verifierReportLines } from "./bench-verifier-report.ts";
import { LONG_MEMORY_PRESENTATIONS, benchVerifier, verifierErrors, type VerifierReport } from "./bench-verifier.ts";

const VERIFIER_CONCURRENCY = 16;

// ---------------------------------------------------------------- arguments

const { values: argv } = parseArgs({
  args: process.argv.slice(2),
  options: {
    flows: { type: "string", default: "5000" },
    concurrency: { type: "string", default: "8" },
    runtime: { type: "string", default: "both" },
    bin: { type: "string" },
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
  console.log("usage: bun scripts/bench.ts [--runtime bun|deno|both] [--flows N=5000] [--concurrency C=8] [--bin PATH] [--warmup W=200] [--timeout S=900] [--profile] [--keep] [--no-build] [--verifier N=6000] [--verifier-memory N=20000] [--long]");
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
const RUNTIMES: BenchRuntime[] = argv.runtime === "both" ? ["bun", "deno"] : argv.runtime === "bun" || argv.runtime === "deno" ? [argv.runtime] : [];
if (RUNTIMES.length === 0) {
  console.error("bench: --runtime must be bun, deno or both");
  process.exit(2);
}
if (argv.bin && RUNTIMES.length > 1) {
  console.error("bench: --bin names one runtime's executable: give --runtime bun or --runtime deno with it");
  process.exit(2);
}
const CUSTOM_BIN = argv.bin ? resolve(process.cwd(), argv.bin) : undefined;

// ---------------------------------------------------------------- process hygiene

const dataDirs: string[] = [];

function cleanup(): void {
  killChildren();
  if (!argv.keep) for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
}
/** The overall limit starts after the builds (which have their own), so that a build is never killed half-written. */
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

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const cores = cpus().length;
  const executables: Executable[] = [];
  for (const runtime of RUNTIMES) {
    let buildPid = 0;
    const built = await ensureBinary({ target: runtime, bin: CUSTOM_BIN, noBuild: argv["no-build"], log, onSpawn: (pid) => track((buildPid = pid)) })
      .finally(() => untrack(buildPid));
    executables.push({ runtime, bin: built.path, built: built.built, stale: built.stale });
  }
  armOverallTimeout();

  const runs: Report[] = [];
  let errors = 0;
  for (const exe of executables) {
    const run = await benchRuntime(exe, { cores, flows: FLOWS, concurrency: CONCURRENCY, warmup: WARMUP, profile: argv.profile, dataDirs, log });
    console.log(run.lines.join("\n") + "\n");
    runs.push(run.figures);
    errors += run.errors;
  }

  // The OID4VP verifier (Bun, in-process), with the servers stopped so that it has the machine.
  let verifier: VerifierReport | null = null;
  if (VERIFIER_PRESENTATIONS > 0) {
    verifier = await benchVerifier({ presentations: VERIFIER_PRESENTATIONS, concurrency: VERIFIER_CONCURRENCY, workers: cores, memoryPresentations: VERIFIER_MEMORY, log });
    console.log(verifierReportLines(verifier).join("\n") + "\n");
    errors += verifierErrors(verifier);
  }
  console.log(runtimeTable(runs).join("\n"));
  mkdirSync(join(ROOT, ".bench"), { recursive: true });
  writeFileSync(join(ROOT, ".bench", "last.json"), JSON.stringify({ runtimes: runs, verifier }, null, 2) + "\n");
  log("wrote .bench/last.json");
  return errors === 0 ? 0 : 1;
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

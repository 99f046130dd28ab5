// The verifier figure of the benchmark: complete OpenID4VP presentations verified per second by
// verifyPresentationResponse (JWE decrypt + issuer signature over a trusted x5c chain + KB-JWT +
// DCQL check), on one JS thread and on one Bun Worker per core, beside the machine's WebCrypto P-256
// (ES256) verify rate measured in the same run; then a memory run of fresh presentations with RSS
// sampled at 10%, 50% and 100% of it (100,000 under --long) to show memory stays flat.
// Bun runs WebCrypto operations on its own thread pool, so one JS thread already keeps more than one
// core busy: each figure carries "cores busy" (the process's CPU time over the wall time).
// Every presentation is distinct: its own transaction (nonce, state, ephemeral ECDH-ES key), its
// own PID issuance and KB-JWT, made by the test wallet before the clock starts.
//
//   bun scripts/bench-verifier.ts [--presentations N] [--concurrency C] [--workers W] [--long] [--memory N]
//
// Called by scripts/bench.ts (its report gains `verifier`); run alone it writes .bench/verifier.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { memoryKb } from "./bench-proc.ts";
import { median as medianOf, round } from "./bench-stats.ts";
import { ROUNDS, VERIFIER_TARGET_PER_SECOND, verifierErrors, verifierReportLines, type MemoryFigure, type Rate, type ThroughputFigure, type VerifierReport } from "./bench-verifier-report.ts";
import { BenchWorker, together } from "./bench-verifier-pool.ts";
import type { BenchFormat, P256Engine } from "./bench-verifier-worker.ts";

export { verifierErrors, verifierReportLines, type VerifierReport };

export const LONG_MEMORY_PRESENTATIONS = 100_000;
const P256_TOTAL = 20_000;
const P256_BATCH = 64;
const WARMUP_PER_WORKER = 500;
const MEMORY_BATCH = 1000;

export interface VerifierBenchOptions {
  /** Presentations verified on one JS thread, and again on all workers (split between them), over all rounds. */
  presentations: number;
  /** Verifications in flight per worker. */
  concurrency: number;
  /** Workers for the multi-worker run (default: one per core). */
  workers: number;
  /** Fresh presentations generated and verified in the memory run (0: skip it). */
  memoryPresentations: number;
  log: (text: string) => void;
}

const roundRate = (rate: Rate): Rate => ({ perSecond: round(rate.perSecond), busyCores: rate.busyCores, perCpuSecond: round(rate.perCpuSecond) });

/** Resident set size of this process (workers are threads, so theirs is included), from /proc. */
const rssKb = () => memoryKb(process.pid).rss;

async function p256Rate(workers: BenchWorker[], batch = P256_BATCH, engine: P256Engine = "webcrypto"): Promise<Rate> {
  const total = batch === 1 && engine === "webcrypto" ? P256_TOTAL / 3 : P256_TOTAL;
  const { wallMs, cpuMs, busyCores } = await together(workers, () => ({ type: "p256", total, batch, engine }), "p256");
  return { perSecond: (workers.length * total * 1000) / wallMs, busyCores: round(busyCores, 2), perCpuSecond: (workers.length * total * 1000) / cpuMs };
}

/**
 * Pre-generates `perWorker` presentations in each worker, then times their verification on all of them at once.
 * `p256` is the bound: node:crypto P-256 verifies on the same workers (same JS threads, one core each, the
 * verifier's own primitive); `webcrypto` the WebCrypto rate of the same round, reported beside it.
 */
async function throughput(workers: BenchWorker[], perWorker: number, concurrency: number, p256: Rate, webcrypto: Rate, format: BenchFormat = "sd-jwt"): Promise<ThroughputFigure> {
  const prepared = await together(workers, () => ({ type: "prepare", count: perWorker, format }), "ready");
  const { replies, wallMs, cpuMs, busyCores } = await together(workers, () => ({ type: "verify", concurrency }), "verified");
  const ok = replies.reduce((n, r) => n + r.ok, 0);
  const perSecond = (ok * 1000) / wallMs;
  return {
    threads: workers.length,
    busyCores: round(busyCores, 2),
    perCpuSecond: round((ok * 1000) / cpuMs),
    cpuRatioToP256Verify: round((ok * 1000) / cpuMs / p256.perCpuSecond, 4),
    ok,
    errors: replies.reduce((n, r) => n + r.errors, 0),
    firstError: replies.find((r) => r.firstError)?.firstError ?? null,
    wallMs: round(wallMs),
    perSecond: round(perSecond),
    roundsPerSecond: [round(perSecond)],
    ratioToP256Verify: round(perSecond / p256.perSecond, 4),
    ratioToWebCryptoVerify: round(perSecond / webcrypto.perSecond, 4),
    latencyMs: { p50: round(Math.max(...replies.map((r) => r.latencyMs.p50)), 2), p99: round(Math.max(...replies.map((r) => r.latencyMs.p99)), 2) },
    generateMs: round(prepared.wallMs),
  };
}

/** One figure from rounds: medians of the rates and ratios, sums of the counts, the worst p99. */
function combine(rounds: ThroughputFigure[]): ThroughputFigure {
  return {
    threads: rounds[0]!.threads,
    busyCores: medianOf(rounds.map((r) => r.busyCores)),
    perCpuSecond: medianOf(rounds.map((r) => r.perCpuSecond)),
    cpuRatioToP256Verify: medianOf(rounds.map((r) => r.cpuRatioToP256Verify)),
    ok: rounds.reduce((n, r) => n + r.ok, 0),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    firstError: rounds.find((r) => r.firstError)?.firstError ?? null,
    wallMs: round(rounds.reduce((n, r) => n + r.wallMs, 0)),
    perSecond: medianOf(rounds.map((r) => r.perSecond)),
    roundsPerSecond: rounds.map((r) => r.perSecond),
    ratioToP256Verify: medianOf(rounds.map((r) => r.ratioToP256Verify)),
    ratioToWebCryptoVerify: medianOf(rounds.map((r) => r.ratioToWebCryptoVerify)),
    latencyMs: { p50: medianOf(rounds.map((r) => r.latencyMs.p50)), p99: Math.max(...rounds.map((r) => r.latencyMs.p99)) },
    generateMs: round(rounds.reduce((n, r) => n + r.generateMs, 0)),
  };
}

async function memoryRun(workers: BenchWorker[], total: number, concurrency: number, log: (text: string) => void): Promise<MemoryFigure> {
  const checkpoints = [0.1, 0.5, 1].map((f) => Math.round(total * f));
  const samples: MemoryFigure["samples"] = [];
  const verifiedBy = new Array<number>(workers.length).fill(0);
  const heapBy = new Array<number>(workers.length).fill(0);
  const share = (i: number) => Math.floor(total / workers.length) + (i < total % workers.length ? 1 : 0);
  for (const w of workers) {
    w.onProgress = (progress) => {
      verifiedBy[w.index] = progress.verified;
      heapBy[w.index] = progress.heapUsed;
      const verified = verifiedBy.reduce((a, b) => a + b, 0);
      while (samples.length < checkpoints.length && verified >= checkpoints[samples.length]!) {
        samples.push({ verified, rssKb: rssKb(), heapUsedKb: Math.round(heapBy.reduce((a, b) => a + b, 0) / 1024) });
        log(`memory run: ${verified} verified, RSS ${round(samples.at(-1)!.rssKb / 1024)} MB`);
      }
    };
  }
  const rssBeforeKb = rssKb();
  const { replies, wallMs } = await together(workers, (w) => ({ type: "long", total: share(w.index), batch: MEMORY_BATCH, concurrency }), "long-done");
  for (const w of workers) w.onProgress = () => {};
  return {
    presentations: replies.reduce((n, r) => n + r.verified, 0),
    errors: replies.reduce((n, r) => n + r.errors, 0),
    firstError: replies.find((r) => r.firstError)?.firstError ?? null,
    wallMs: round(wallMs),
    rssBeforeKb,
    samples,
  };
}

export async function benchVerifier(options: VerifierBenchOptions): Promise<VerifierReport> {
  const { presentations, concurrency, log } = options;
  const workers = Array.from({ length: Math.max(1, options.workers) }, (_, i) => new BenchWorker(i));
  try {
    log(`verifier: warm-up (${WARMUP_PER_WORKER} presentations per worker, ${workers.length} workers)`);
    await together(workers, () => ({ type: "prepare", count: WARMUP_PER_WORKER }), "ready");
    await together(workers, () => ({ type: "verify", concurrency }), "verified");
    await together(workers, () => ({ type: "prepare", count: WARMUP_PER_WORKER, format: "mdoc" }), "ready");
    await together(workers, () => ({ type: "verify", concurrency }), "verified");

    const p256Sequential = await p256Rate(workers.slice(0, 1), 1);
    const perRound = Math.max(1, Math.ceil(presentations / ROUNDS));
    const singleRounds: ThroughputFigure[] = [];
    const multiRounds: ThroughputFigure[] = [];
    const mdocSingleRounds: ThroughputFigure[] = [];
    const mdocMultiRounds: ThroughputFigure[] = [];
    const p256SingleRounds: Rate[] = [];
    const p256MultiRounds: Rate[] = [];
    const nodeSingleRounds: Rate[] = [];
    const nodeMultiRounds: Rate[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      log(`verifier: round ${r} of ${ROUNDS}: P-256 verify rate and ${perRound} presentations on 1 JS thread, then the same on ${workers.length} workers`);
      p256SingleRounds.push(await p256Rate(workers.slice(0, 1)));
      nodeSingleRounds.push(await p256Rate(workers.slice(0, 1), 1, "node"));
      singleRounds.push(await throughput(workers.slice(0, 1), perRound, concurrency, nodeSingleRounds.at(-1)!, p256SingleRounds.at(-1)!));
      p256MultiRounds.push(await p256Rate(workers));
      nodeMultiRounds.push(await p256Rate(workers, 1, "node"));
      multiRounds.push(await throughput(workers, Math.ceil(perRound / workers.length), concurrency, nodeMultiRounds.at(-1)!, p256MultiRounds.at(-1)!));
      // The mdoc figure beside the same round's P-256 rates, so both formats are judged against one bound.
      mdocSingleRounds.push(await throughput(workers.slice(0, 1), perRound, concurrency, nodeSingleRounds.at(-1)!, p256SingleRounds.at(-1)!, "mdoc"));
      mdocMultiRounds.push(await throughput(workers, Math.ceil(perRound / workers.length), concurrency, nodeMultiRounds.at(-1)!, p256MultiRounds.at(-1)!, "mdoc"));
      log(`verifier: round ${r}: SD-JWT ${singleRounds.at(-1)!.perSecond}/s on 1 JS thread, ${multiRounds.at(-1)!.perSecond}/s on ${workers.length} workers; mdoc ${mdocSingleRounds.at(-1)!.perSecond}/s and ${mdocMultiRounds.at(-1)!.perSecond}/s`);
    }
    const single = combine(singleRounds);
    const multi = combine(multiRounds);
    const medianRate = (rates: Rate[]): Rate => ({
      perSecond: round(medianOf(rates.map((x) => x.perSecond))),
      busyCores: medianOf(rates.map((x) => x.busyCores)),
      perCpuSecond: round(medianOf(rates.map((x) => x.perCpuSecond))),
    });

    let memory: MemoryFigure | null = null;
    if (options.memoryPresentations > 0) {
      log(`verifier: memory run of ${options.memoryPresentations} fresh presentations on ${workers.length} workers`);
      memory = await memoryRun(workers, options.memoryPresentations, concurrency, log);
    }
    return {
      presentations,
      concurrency,
      workers: workers.length,
      p256: {
        sequential1Thread: roundRate(p256Sequential),
        batch1Thread: medianRate(p256SingleRounds),
        batchAllWorkers: medianRate(p256MultiRounds),
        batch1ThreadRounds: p256SingleRounds.map((x) => round(x.perSecond)),
        batchAllWorkersRounds: p256MultiRounds.map((x) => round(x.perSecond)),
        batch: P256_BATCH,
        node1Thread: medianRate(nodeSingleRounds),
        nodeAllWorkers: medianRate(nodeMultiRounds),
      },
      single,
      multi,
      mdoc: { single: combine(mdocSingleRounds), multi: combine(mdocMultiRounds) },
      memory,
      targetPerSecond: VERIFIER_TARGET_PER_SECOND,
    };
  } finally {
    for (const w of workers) w.terminate();
  }
}

if (import.meta.main) {
  const { values: argv } = parseArgs({
    args: process.argv.slice(2),
    options: {
      presentations: { type: "string", default: "10000" },
      concurrency: { type: "string", default: "16" },
      workers: { type: "string", default: String(cpus().length) },
      memory: { type: "string", default: "20000" },
      long: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (argv.help) {
    console.log("usage: bun scripts/bench-verifier.ts [--presentations N=10000] [--concurrency C=16] [--workers W=cores] [--memory N=20000] [--long (memory run of 100000)]");
    process.exit(0);
  }
  const int = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) {
      console.error(`bench-verifier: --${name} must be an integer >= ${min}`);
      process.exit(2);
    }
    return n;
  };
  const report = await benchVerifier({
    presentations: int("presentations", argv.presentations, 1),
    concurrency: int("concurrency", argv.concurrency, 1),
    workers: int("workers", argv.workers, 1),
    memoryPresentations: argv.long ? LONG_MEMORY_PRESENTATIONS : int("memory", argv.memory, 0),
    log: (text) => process.stderr.write(`bench: ${text}\n`),
  });
  console.log(verifierReportLines(report).join("\n"));
  const root = join(import.meta.dir, "..");
  mkdirSync(join(root, ".bench"), { recursive: true });
  writeFileSync(join(root, ".bench", "verifier.json"), JSON.stringify({ when: new Date().toISOString(), bun: Bun.version, cores: cpus().length, verifier: report }, null, 2) + "\n");
  process.stderr.write("bench: wrote .bench/verifier.json\n");
  process.exit(verifierErrors(report) === 0 ? 0 : 1);
}


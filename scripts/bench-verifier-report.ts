// The verifier figure's shape and its lines in the benchmark's report, with what each is judged by.
import { round } from "./bench-stats.ts";

export const VERIFIER_TARGET_PER_SECOND = 2000;
/** The machine is shared and noisy: each figure is the median of this many rounds, each round beside its own P-256 rate. */
export const ROUNDS = 3;
/** Each format's presentations per second should reach this share of the P-256 verify bound (issue 12). */
export const P256_SHARE_TARGET = 0.25;
/** RSS growth from the first checkpoint to the last that still counts as flat (allocator noise). */
const MEMORY_GROWTH_LIMIT_MB = 16;

export interface VerifierReport {
  presentations: number;
  concurrency: number;
  workers: number;
  /** WebCrypto ECDSA P-256/SHA-256 verifies per second; busyCores = process CPU time over wall time; perCpuSecond = count over process CPU time. */
  p256: {
    sequential1Thread: Rate; batch1Thread: Rate; batchAllWorkers: Rate; batch1ThreadRounds: number[]; batchAllWorkersRounds: number[]; batch: number;
    /** node:crypto verifies, synchronous on each JS thread (one core per thread): the bound the ratios use. */
    node1Thread: Rate; nodeAllWorkers: Rate;
  };
  single: ThroughputFigure;
  multi: ThroughputFigure;
  /** The same run for the mdoc PID (DeviceResponse, 5 elements, issuer chain of 2, device signature, encrypted response). */
  mdoc?: { single: ThroughputFigure; multi: ThroughputFigure };
  memory: MemoryFigure | null;
  targetPerSecond: number;
}

export interface Rate {
  perSecond: number;
  busyCores: number;
  /** Per second of this process's CPU time: unlike perSecond, it barely moves when other work shares the cores. */
  perCpuSecond: number;
}

export interface ThroughputFigure {
  threads: number;
  busyCores: number;
  /** Presentations per second of process CPU time (median of the rounds). */
  perCpuSecond: number;
  /** perCpuSecond over the P-256 verifies per CPU second of the same round (median): the noise-proof ratio. */
  cpuRatioToP256Verify: number;
  ok: number;
  errors: number;
  firstError: string | null;
  wallMs: number;
  /** Median of the rounds. */
  perSecond: number;
  roundsPerSecond: number[];
  /**
   * Presentations per second over node:crypto P-256 verifies per second on the same JS threads in the same
   * round (median of the rounds): both sides run on exactly those threads, one core each.
   */
  ratioToP256Verify: number;
  /** The same over WebCrypto's batched rate, which spreads one JS thread over Bun's crypto thread pool (kept for comparison with earlier reports). */
  ratioToWebCryptoVerify: number;
  latencyMs: { p50: number; p99: number };
  generateMs: number;
}

export interface MemoryFigure {
  presentations: number;
  errors: number;
  firstError: string | null;
  wallMs: number;
  rssBeforeKb: number;
  /** RSS and the workers' summed JS heap when the count first reached each checkpoint. */
  samples: { verified: number; rssKb: number; heapUsedKb: number }[];
}

export function verifierErrors(report: VerifierReport): number {
  return report.single.errors + report.multi.errors + (report.mdoc ? report.mdoc.single.errors + report.mdoc.multi.errors : 0) + (report.memory?.errors ?? 0);
}

/** The report's lines, in the style of scripts/bench.ts. */
export function verifierReportLines(report: VerifierReport): string[] {
  const mark = (pass: boolean) => (pass ? "ok  " : "MISS");
  const { single, multi, memory, p256 } = report;
  const rate = (r: Rate) => `${r.perSecond} (${r.busyCores} cores busy, ${r.perCpuSecond} per CPU s)`;
  const throughputLine = (label: string, f: ThroughputFigure) =>
    `${label.padEnd(33)}${f.perSecond}/s   = ${round(100 * f.ratioToP256Verify, 2)}% of the P-256 verify rate (${round(100 * f.ratioToWebCryptoVerify, 2)}% of WebCrypto's)   ${f.busyCores} cores busy   (rounds ${f.roundsPerSecond.join(" / ")}; p50 ${f.latencyMs.p50} ms, p99 ${f.latencyMs.p99} ms; ${f.ok} ok${f.errors ? `, ${f.errors} ERRORS` : ""})`;
  const lines = [
    `OpenID4VP verifier (verifyPresentationResponse: JWE decrypt + issuer x5c signature + KB-JWT + DCQL), ${report.presentations} distinct presentations on each side in ${ROUNDS} rounds, ${report.concurrency} in flight per JS thread`,
    `       P-256 verify/s (the bound)       node:crypto ${rate(p256.node1Thread)} 1 JS thread   ${rate(p256.nodeAllWorkers)} ${report.workers} workers`,
    `       WebCrypto P-256 verify/s         ${rate(p256.sequential1Thread)} one at a time   ${rate(p256.batch1Thread)} 1 JS thread, batches of ${p256.batch}   ${rate(p256.batchAllWorkers)} ${report.workers} workers   (medians of ${p256.batch1ThreadRounds.join(" / ")} and ${p256.batchAllWorkersRounds.join(" / ")})`,
    `  ${mark(single.errors === 0 && multi.errors === 0)} errors                           ${single.errors + multi.errors} of ${single.ok + single.errors + multi.ok + multi.errors}   target 0`,
    ...[single.firstError, multi.firstError].filter((e): e is string => e !== null).map((e) => `         ${e}`),
    `       ${throughputLine("presentations/s, 1 JS thread", single)}`,
    `  ${mark(multi.perSecond >= report.targetPerSecond)} ${throughputLine(`presentations/s, ${report.workers} workers`, multi)}   target >= ${report.targetPerSecond}/s`,
    `       per CPU second                   ${single.perCpuSecond} (1 JS thread), ${multi.perCpuSecond} (${report.workers} workers) presentations   = ${round(100 * multi.cpuRatioToP256Verify, 2)}% of P-256 verifies per CPU second   -> about ${round(report.workers * multi.perCpuSecond)}/s if ${report.workers} cores were this run's alone`,
    `  ${mark(single.ratioToP256Verify >= P256_SHARE_TARGET)} SD-JWT VC share of the P-256 bound  ${round(100 * single.ratioToP256Verify, 2)}% (1 JS thread), ${round(100 * multi.ratioToP256Verify, 2)}% (${report.workers} workers)   target >= ${100 * P256_SHARE_TARGET}%`,
  ];
  if (report.mdoc) {
    const m = report.mdoc;
    lines.push(
      `       mdoc PID (DeviceResponse, 5 elements, chain of 2, device signature, encrypted response), same rounds:`,
      `  ${mark(m.single.errors === 0 && m.multi.errors === 0)} mdoc errors                      ${m.single.errors + m.multi.errors} of ${m.single.ok + m.single.errors + m.multi.ok + m.multi.errors}   target 0`,
      ...[m.single.firstError, m.multi.firstError].filter((e): e is string => e !== null).map((e) => `         ${e}`),
      `       ${throughputLine("mdoc presentations/s, 1 thread", m.single)}`,
      `       ${throughputLine(`mdoc presentations/s, ${report.workers} workers`, m.multi)}`,
      `  ${mark(m.single.ratioToP256Verify >= P256_SHARE_TARGET)} mdoc share of the P-256 bound     ${round(100 * m.single.ratioToP256Verify, 2)}% (1 JS thread), ${round(100 * m.multi.ratioToP256Verify, 2)}% (${report.workers} workers); per CPU s ${round(100 * m.multi.cpuRatioToP256Verify, 2)}%   target >= ${100 * P256_SHARE_TARGET}%`,
    );
  }
  if (memory) {
    const first = memory.samples[0];
    const last = memory.samples.at(-1);
    const growth = first && last ? (last.rssKb - first.rssKb) / 1024 : NaN;
    lines.push(
      `  ${mark(memory.errors === 0 && growth < MEMORY_GROWTH_LIMIT_MB)} RSS over ${memory.presentations} fresh presentations  ${memory.samples.map((s) => `${round(s.rssKb / 1024)} MB at ${s.verified}`).join(", ")}   growth ${round(growth)} MB, target flat (< ${MEMORY_GROWTH_LIMIT_MB} MB)`,
      `       (RSS before ${round(memory.rssBeforeKb / 1024)} MB; workers' JS heap ${memory.samples.map((s) => `${round(s.heapUsedKb / 1024)}`).join(" / ")} MB; ${round(memory.wallMs / 1000)} s with generation${memory.errors ? `; ${memory.errors} ERRORS: ${memory.firstError}` : ""})`,
    );
  }
  return lines;
}

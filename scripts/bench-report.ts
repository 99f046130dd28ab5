// The benchmark's report: the figures computed from what was measured, each beside its target and
// its bound, as JSON (.bench/last.json) and as the text printed at the end of a run.
import type { EndpointCost, LoadResult } from "./bench-load.ts";
import { verifierReportLines, type VerifierReport } from "./bench-verifier-report.ts";
import { median, percentile, phaseStats, round, sortedOf } from "./bench-stats.ts";

export const TARGETS = { flowsPerSecond: 2000, p99Ms: 50, idleRssMb: 50, startMs: 100 };

type Memory = { rss: number; hwm: number; anon: number; file: number };
type SignRate = { perSecond: number; cpuMsPerSign: number };

/** Everything a run measured. */
export interface Measured {
  /** Which runtime's executable served (its WebCrypto is the `sign` bound). */
  runtime: "bun" | "deno";
  cores: number;
  loadavgBefore: number[];
  args: { flows: number; concurrency: number; warmup: number; bin: string; profile: boolean; executableBytes: number };
  build: { built: boolean; stale: boolean };
  firstStartMs: number;
  startSamples: number[];
  memory: { afterStart: Memory; idle: Memory; after: Memory };
  openssl: { single: number; multi: number; multiAfter: number };
  sign: { rounds: SignRate[]; concurrent: SignRate; sequential: SignRate };
  result: LoadResult;
  warmup: LoadResult | null;
  serverCpuMs: number;
  benchCpuMs: number;
  threads: { main: number; others: Record<string, number> };
  machineBusy: number;
  costs: Record<string, EndpointCost>;
  verifier: VerifierReport | null;
  serverLog: string[];
}

function gitCommit(root: string): string {
  const result = Bun.spawnSync(["git", "rev-parse", "--short", "HEAD"], { cwd: root, stdout: "pipe", stderr: "ignore" });
  const dirty = Bun.spawnSync(["git", "status", "--porcelain", "--", "src", "web"], { cwd: root, stdout: "pipe", stderr: "ignore" }).stdout.toString().trim().length > 0;
  return result.stdout.toString().trim() + (dirty ? "+dirty" : "");
}

export function report(m: Measured, root: string) {
  const { cores, result, warmup, costs, verifier, serverLog } = m;
  const { flows: flowCount, concurrency, warmup: warmupFlows } = m.args;
  const { afterStart, idle, after } = m.memory;
  const { single: opensslSingle, multi: opensslMulti, multiAfter: opensslMultiAfter } = m.openssl;
  const { rounds: signRounds, concurrent: signConcurrent, sequential: signSequential } = m.sign;
  const runtimeLabel = m.runtime === "bun" ? "Bun" : "Deno";
  const { threads, machineBusy } = m;
  const ok = result.timings.length;
  const flowsPerSecond = (ok * 1000) / result.wallMs;
  const totals = sortedOf(result.timings.map((t) => t.total));
  const p50 = percentile(totals, 50);
  const p99 = percentile(totals, 99);
  const startMedian = median(m.startSamples);
  // The machine is shared: take the mean of the rates before and after the load.
  const opensslBound = (opensslMulti + opensslMultiAfter) / 4;
  const signBound = signConcurrent.perSecond / 2;
  const serverCpuPerFlow = m.serverCpuMs / Math.max(1, ok);
  const signingCpuPerFlow = 2 * signConcurrent.cpuMsPerSign;
  const report = {
    when: new Date().toISOString(),
    commit: gitCommit(root),
    runtime: m.runtime,
    bun: Bun.version,
    cores,
    loadavgBefore: m.loadavgBefore.map((n) => round(n, 2)),
    args: m.args,
    build: m.build,
    startup: { firstStartMs: round(m.firstStartMs), samplesMs: m.startSamples.map((s) => round(s)), medianMs: round(startMedian), targetMs: TARGETS.startMs },
    memory: {
      afterStartRssKb: afterStart.rss,
      idleRssKb: idle.rss,
      idleRssAnonKb: idle.anon,
      idleRssFileKb: idle.file,
      idleRssMb: round(idle.rss / 1024),
      afterLoadRssKb: after.rss,
      peakRssKb: after.hwm,
      peakRssMb: round(after.hwm / 1024),
      targetIdleRssMb: TARGETS.idleRssMb,
    },
    bound: {
      opensslSignPerSecond1Core: round(opensslSingle),
      opensslSignPerSecondMulti: round(opensslMulti),
      opensslSignPerSecondMultiAfterLoad: round(opensslMultiAfter),
      opensslFlowsPerSecond: round(opensslBound),
      runtimeWebCryptoSignPerSecondBatch64: round(signConcurrent.perSecond),
      runtimeWebCryptoSignPerSecondBatch64Rounds: signRounds.map((r) => round(r.perSecond)),
      runtimeWebCryptoSignPerSecondSequential: round(signSequential.perSecond),
      runtimeWebCryptoCpuMsPerSign: round(signConcurrent.cpuMsPerSign, 3),
      runtimeWebCryptoFlowsPerSecond: round(signBound),
    },
    load: {
      flows: flowCount,
      ok,
      errors: result.errors,
      firstErrors: result.firstErrors,
      wallMs: round(result.wallMs),
      flowsPerSecond: round(flowsPerSecond),
      fractionOfOpensslBound: round(flowsPerSecond / opensslBound, 3),
      fractionOfRuntimeWebCryptoBound: round(flowsPerSecond / signBound, 3),
      latencyMs: phaseStats(result.timings, (t) => t.total),
      phasesMs: {
        authorize: phaseStats(result.timings, (t) => t.authorize),
        login: phaseStats(result.timings, (t) => t.login),
        token: phaseStats(result.timings, (t) => t.token),
        verify: phaseStats(result.timings, (t) => t.verify),
      },
      serverCpuMsPerFlow: round(serverCpuPerFlow, 3),
      benchCpuMsPerFlow: round(m.benchCpuMs / Math.max(1, ok), 3),
      serverOnlyCapacityFlowsPerSecond: round((cores * 1000) / serverCpuPerFlow),
      signingShareOfServerCpu: round(signingCpuPerFlow / serverCpuPerFlow, 3),
      machineBusyFraction: round(machineBusy, 3),
      serverMainThreadBusyFraction: threads.main,
      serverOtherThreadsBusyFraction: threads.others,
      endpointCosts: costs,
      warmup: warmup ? { flows: warmupFlows, errors: warmup.errors, flowsPerSecond: round((warmupFlows * 1000) / warmup.wallMs) } : null,
      targets: { flowsPerSecond: TARGETS.flowsPerSecond, p99Ms: TARGETS.p99Ms },
    },
    verifier,
    serverLog: serverLog.slice(0, 20),
  };

  const mark = (pass: boolean) => (pass ? "ok  " : "MISS");
  const lines = [
    `Sigil benchmark on ${runtimeLabel}  ${report.when}  commit ${report.commit}  ${cores} cores  load avg ${report.loadavgBefore.join(" ")}`,
    `  flows ${flowCount} (warm-up ${warmupFlows}), concurrency ${concurrency}, server ${m.args.profile ? `${m.runtime} --cpu-prof ${m.runtime === "bun" ? "src/main.ts" : m.args.bin}` : m.args.bin} (${round(m.args.executableBytes / 1e6, 1)} MB)`,
    "",
    "start-up and memory",
    `  ${mark(startMedian < TARGETS.startMs)} start-up to first discovery 200   median ${round(startMedian)} ms   target < ${TARGETS.startMs} ms   (samples ${report.startup.samplesMs.join(", ")}; empty dir ${report.startup.firstStartMs} ms)`,
    `  ${mark(idle.rss / 1024 <= TARGETS.idleRssMb)} idle RSS after warm-up             ${round(idle.rss / 1024)} MB   target <= ${TARGETS.idleRssMb} MB   (private ${round(idle.anon / 1024)} MB + executable pages ${round(idle.file / 1024)} MB; just started ${round(afterStart.rss / 1024)} MB)`,
    `       peak RSS (VmHWM) after load      ${round(after.hwm / 1024)} MB   (RSS after load ${round(after.rss / 1024)} MB)`,
    "",
    "bound (RS256 signing, 2 signatures per flow)",
    `       openssl rsa2048 sign/s           ${round(opensslSingle)} (1 core)   ${round(opensslMulti)} / ${round(opensslMultiAfter)} (-multi ${cores}, before / after load)   -> bound ${round(opensslBound)} flows/s`,
    `       ${`${runtimeLabel} jose/WebCrypto RS256 sign/s`.padEnd(32)} ${round(signConcurrent.perSecond)} (batches of 64, median of ${signRounds.map((r) => round(r.perSecond, 0)).join(" / ")})   ${round(signSequential.perSecond)} (one at a time)   ${round(signConcurrent.cpuMsPerSign, 3)} CPU ms/sign   -> bound ${round(signBound)} flows/s`,
    "",
    "load (authorize -> login -> token -> verify id_token)",
    `  ${mark(result.errors === 0)} errors                           ${result.errors} of ${flowCount}   target 0`,
    ...result.firstErrors.map((e) => `         ${e}`),
    `  ${mark(flowsPerSecond >= TARGETS.flowsPerSecond)} throughput                       ${round(flowsPerSecond)} flows/s   target >= ${TARGETS.flowsPerSecond}   = ${round((100 * flowsPerSecond) / opensslBound)}% of openssl bound, ${round((100 * flowsPerSecond) / signBound)}% of ${runtimeLabel} bound`,
    `  ${mark(p99 < TARGETS.p99Ms)} latency p99                      ${round(p99, 2)} ms   target < ${TARGETS.p99Ms} ms at C=8   (p50 ${round(p50, 2)} ms, max ${report.load.latencyMs.max} ms)`,
    `       phases p50 / p99 ms              authorize ${report.load.phasesMs.authorize.p50} / ${report.load.phasesMs.authorize.p99}   login ${report.load.phasesMs.login.p50} / ${report.load.phasesMs.login.p99}   token ${report.load.phasesMs.token.p50} / ${report.load.phasesMs.token.p99}   verify ${report.load.phasesMs.verify.p50} / ${report.load.phasesMs.verify.p99}`,
    `       CPU per flow                     server ${report.load.serverCpuMsPerFlow} ms   bench client ${report.load.benchCpuMsPerFlow} ms   machine busy ${round(100 * machineBusy)}%`,
    `       server threads busy              main (JS event loop) ${round(100 * threads.main)}%   others ${Object.entries(threads.others).filter(([, v]) => v >= 0.01).map(([k, v]) => `${k} ${round(100 * v)}%`).join(", ") || "-"}`,
    `       server-only capacity (est.)      ${report.load.serverOnlyCapacityFlowsPerSecond} flows/s if the server had all ${cores} cores   (2 RS256 signatures = ${round(signingCpuPerFlow, 2)} CPU ms, ~${round(100 * report.load.signingShareOfServerCpu)}% of the server's CPU per flow)`,
    "",
    `per endpoint, alone (at C=${concurrency}): server CPU ms per request (main-thread part), requests/s`,
    ...Object.entries(costs).map(([name, cost]) =>
      `       ${name.padEnd(32)} ${cost.serverCpuMs.toFixed(3)} ms (${cost.mainThreadCpuMs.toFixed(3)})   ${cost.perSecond}/s   (${cost.requests} requests${cost.errors > 0 ? `, ${cost.errors} ERRORS` : ""})`),
    ...(verifier ? ["", ...verifierReportLines(verifier)] : []),
    ...(serverLog.length > 0 ? ["", "server output:", ...serverLog.slice(0, 20).map((line) => `  ${line}`)] : []),
  ];
  return { report, lines };
}

export type Report = ReturnType<typeof report>["report"];

/** The runtimes side by side, as the markdown table README "Runtimes" shows. */
export function runtimeTable(runs: Report[]): string[] {
  const row = (figure: string, cell: (r: Report) => string) => `| ${figure} | ${runs.map(cell).join(" | ")} |`;
  const mb = (kb: number) => `${round(kb / 1024, 1)} MB`;
  const fmt = (n: number) => Math.round(n).toLocaleString("en");
  return [
    `| figure | ${runs.map((r) => `${r.runtime === "bun" ? "Bun" : "Deno"} (${r.args.bin.replace(/^.*\//, "dist/")})`).join(" | ")} |`,
    `| --- |${runs.map(() => " --- |").join("")}`,
    row("complete flows/s", (r) => fmt(r.load.flowsPerSecond)),
    row("p50 / p99", (r) => `${r.load.latencyMs.p50} / ${r.load.latencyMs.p99} ms`),
    row("server CPU per flow (of which 2 RS256 signatures)", (r) => `${r.load.serverCpuMsPerFlow} ms (${round(2 * r.bound.runtimeWebCryptoCpuMsPerSign, 2)} ms)`),
    row("idle RSS after warm-up", (r) => mb(r.memory.idleRssKb)),
    row("start to first discovery answer (median of 5)", (r) => `${r.startup.medianMs} ms`),
    row("executable size", (r) => `${round(r.args.executableBytes / 1e6, 1)} MB`),
    row("bound: openssl 2-core / own WebCrypto RS256", (r) => `${fmt(r.bound.opensslFlowsPerSecond)} / ${fmt(r.bound.runtimeWebCryptoFlowsPerSecond)} flows/s`),
    row("flows/s as a share of own WebCrypto bound", (r) => `${round(100 * r.load.fractionOfRuntimeWebCryptoBound)} %`),
  ];
}

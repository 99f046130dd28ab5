// The benchmark: start-up time, memory, and throughput/latency of complete
// authorization-code + PKCE flows against the compiled binary, each figure set
// beside a bound measured in the same run (the RSA signing rate of this machine,
// by openssl and by Bun's own WebCrypto), because the machine is shared and noisy.
// Talks only to 127.0.0.1; always terminates (bounded loops, per-request and overall timeouts).
// Then the OpenID4VP verifier figure (scripts/bench-verifier.ts): presentations verified per second
// in-process, beside the WebCrypto P-256 verify rate, and RSS over a run of fresh presentations.
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
import { createLocalJWKSet, jwtVerify, SignJWT, generateKeyPair, type JSONWebKeySet } from "jose";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir, cpus } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Subprocess } from "bun";
import { LONG_MEMORY_PRESENTATIONS, benchVerifier, verifierErrors, verifierReportLines } from "./bench-verifier.ts";
import type { VerifierReport } from "./bench-verifier.ts";

const ROOT = join(import.meta.dir, "..");
const HOST = "localhost";
const USERNAME = "bench";
const PASSWORD = "bench-password-1";
const CLIENT_ID = "bench-rp";
const REDIRECT_URI = "https://rp.example/cb";
const SCOPE = "openid profile email";
const REQUEST_TIMEOUT_MS = 10_000;
const START_TIMEOUT_MS = 15_000;
const START_POLL_MS = 2;
const START_REPEATS = 5;
const BUILD_TIMEOUT_MS = 180_000;
const TARGETS = { flowsPerSecond: 2000, p99Ms: 50, idleRssMb: 50, startMs: 100 };

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
const VERIFIER_CONCURRENCY = 16;
const BIN = resolve(argv.bin === "dist/sigil" ? ROOT : process.cwd(), argv.bin);
const DEFAULT_BIN = resolve(ROOT, "dist/sigil");

// ---------------------------------------------------------------- process hygiene

const children = new Set<Subprocess>();
let dataDir: string | null = null;

/** The process ids a process started (openssl -multi forks workers), from /proc. */
function descendants(pid: number): number[] {
  const found: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      for (const child of readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number)) {
        found.push(...descendants(child), child);
      }
    }
  } catch {
    // already gone
  }
  return found;
}

function cleanup(): void {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    for (const pid of descendants(child.pid)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    child.kill("SIGKILL");
  }
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

/** Runs a command to completion within a time limit; returns its exit code and output. */
async function run(cmd: string[], options: { stdin?: string; timeoutMs: number; cwd?: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn(cmd, {
    cwd: options.cwd ?? ROOT,
    stdin: options.stdin === undefined ? "ignore" : new TextEncoder().encode(options.stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  children.add(proc);
  const timer = setTimeout(() => proc.kill("SIGKILL"), options.timeoutMs);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  children.delete(proc);
  return { code, stdout, stderr };
}

// ---------------------------------------------------------------- build and provision

/** Newest modification time under a directory (bounded walk, skips dot-dirs). */
function newestMtime(dir: string, depth = 0): number {
  if (depth > 8 || !existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path, depth + 1) : statSync(path).mtimeMs);
  }
  return newest;
}

async function ensureBinary(): Promise<{ built: boolean; stale: boolean }> {
  const exists = existsSync(BIN);
  if (BIN !== DEFAULT_BIN || argv["no-build"]) {
    if (!exists) throw new Error(`--bin ${BIN} does not exist`);
    return { built: false, stale: false };
  }
  // A binary older than the sources would measure old code: rebuild it too.
  const stale = exists && Math.max(newestMtime(join(ROOT, "src")), newestMtime(join(ROOT, "web"))) > statSync(BIN).mtimeMs;
  if (exists && !stale) return { built: false, stale: false };
  log(exists ? "dist/sigil is older than src/ or web/; rebuilding" : "building dist/sigil");
  const started = performance.now();
  const result = await run([process.execPath, join(ROOT, "scripts", "build.ts")], { timeoutMs: BUILD_TIMEOUT_MS });
  if (result.code !== 0) {
    const why = performance.now() - started >= BUILD_TIMEOUT_MS - 100 ? `did not finish within ${BUILD_TIMEOUT_MS / 1000} s` : `exited ${result.code}`;
    throw new Error(`bun scripts/build.ts ${why}:\n${result.stderr}${result.stdout}`);
  }
  return { built: true, stale };
}

async function cli(args: string[], stdin?: string): Promise<string> {
  const result = await run([BIN, ...args, "--data", dataDir!], { stdin, timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`sigil ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

const md5Hex = (text: string) => new Bun.CryptoHasher("md5").update(text).digest("hex");

// ---------------------------------------------------------------- server

interface Server {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  port: number;
  output: () => string;
}

/** A free TCP port on 127.0.0.1 (bound and released; the small race is acceptable here). */
function freePort(): number {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true);
  return port;
}

/** fetch against the server with the tenant's Host header; never leaves 127.0.0.1. */
function local(port: number, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("host", `${HOST}:${port}`);
  return fetch(`http://127.0.0.1:${port}${path}`, { redirect: "manual", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...init, headers });
}

/** Spawns `serve` and returns once discovery answers 200, with the time that took from spawn. */
async function startServer(options: { profile?: boolean } = {}): Promise<{ server: Server; startMs: number }> {
  const port = freePort();
  const serveArgs = ["serve", "--data", dataDir!, "--port", String(port), "--listen", "127.0.0.1"];
  const profileDir = join(ROOT, ".bench", "profile");
  if (options.profile) mkdirSync(profileDir, { recursive: true });
  const cmd = options.profile
    ? [process.execPath, "--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${profileDir}`, join(ROOT, "src", "main.ts"), ...serveArgs]
    : [BIN, ...serveArgs];
  const started = performance.now();
  const proc = Bun.spawn(cmd, { cwd: ROOT, stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, SIGIL_DATA: undefined } });
  children.add(proc);
  let output = "";
  const decoder = new TextDecoder();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output = (output + decoder.decode(chunk)).slice(-65_536);
  };
  void pump(proc.stdout);
  void pump(proc.stderr);
  const server: Server = { proc, port, output: () => output };
  while (performance.now() - started < START_TIMEOUT_MS) {
    if (proc.exitCode !== null) break;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`, {
        headers: { host: `${HOST}:${port}` }, signal: AbortSignal.timeout(1000),
      });
      await response.arrayBuffer();
      if (response.status === 200) return { server, startMs: performance.now() - started };
    } catch {
      // not listening yet
    }
    await Bun.sleep(START_POLL_MS);
  }
  proc.kill("SIGKILL");
  throw new Error(`sigil did not answer discovery within ${START_TIMEOUT_MS} ms:\n${output}`);
}

async function stopServer(server: Server): Promise<void> {
  const { proc } = server;
  if (proc.exitCode === null && proc.signalCode === null) {
    proc.kill("SIGTERM");
    const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(10_000).then(() => false)]);
    if (!exited) proc.kill("SIGKILL");
    await proc.exited;
  }
  children.delete(proc);
}

/** VmRSS / VmHWM of a process, and how much of the RSS is private (anon) or file-backed (the executable's pages), kB. */
function memoryKb(pid: number): { rss: number; hwm: number; anon: number; file: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rss: field("VmRSS"), hwm: field("VmHWM"), anon: field("RssAnon"), file: field("RssFile") };
}

/** CPU time (user + system) a process has used, ms, from /proc/<pid>/stat. */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of stat (utime, stime), counted from field 3 after the command name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;

/** CPU ms per thread of a process, keyed "tid name" (the main thread's tid is the pid). */
function threadCpuMs(pid: number): Map<string, number> {
  const threads = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      threads.set(`${tid} ${name}`, ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS);
    } catch {
      // the thread ended meanwhile
    }
  }
  return threads;
}

/** Busy fraction of the wall time per thread name (main thread apart), from two threadCpuMs snapshots. */
function threadBusy(pid: number, before: Map<string, number>, after: Map<string, number>, wallMs: number): { main: number; others: Record<string, number> } {
  let main = 0;
  const others: Record<string, number> = {};
  for (const [key, ms] of after) {
    const used = ms - (before.get(key) ?? 0);
    const [tid, ...rest] = key.split(" ");
    if (Number(tid) === pid) main = used / wallMs;
    else {
      const name = rest.join(" ").replace(/\d+$/, "#");
      others[name] = round((others[name] ?? 0) + used / wallMs, 3);
    }
  }
  return { main: round(main, 3), others };
} // USER_HZ is 100 on every Linux architecture Bun ships for.

/** Busy and total jiffies of the whole machine, from /proc/stat. */
function machineJiffies(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const parts = line.trim().split(/\s+/).slice(1).map(Number);
  const total = parts.reduce((a, b) => a + b, 0);
  const idle = (parts[3] ?? 0) + (parts[4] ?? 0);
  return { busy: total - idle, total };
}

// ---------------------------------------------------------------- one flow

interface Credentials {
  port: number;
  clientSecret: string;
  jwks: ReturnType<typeof createLocalJWKSet>;
}

interface FlowTiming {
  total: number;
  authorize: number;
  login: number;
  token: number;
  verify: number;
}

class FlowError extends Error {}

const readExcerpt = async (response: Response) => (await response.text().catch(() => "")).slice(0, 300);

/** GET authorize: 302 to /login.html, returning the `return` value the login page receives. */
async function authorizeStep(c: Credentials, challenge: string, state: string, nonce: string): Promise<string> {
  const query = new URLSearchParams({
    client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, response_type: "code", scope: SCOPE,
    state, nonce, code_challenge: challenge, code_challenge_method: "S256",
  });
  const response = await local(c.port, `/oauth2/v1/authorize?${query}`);
  const location = response.headers.get("location") ?? "";
  if (response.status !== 302 || !location.startsWith("/login.html?")) {
    throw new FlowError(`authorize: ${response.status} ${location} ${await readExcerpt(response)}`);
  }
  await response.arrayBuffer();
  const returnTo = new URLSearchParams(location.slice("/login.html?".length)).get("return");
  if (!returnTo) throw new FlowError(`authorize: no return in ${location}`);
  return returnTo;
}

/** POST login as the page does (JSON, HA1, Accept: application/json): the code. */
async function loginStep(c: Credentials, returnTo: string, state: string): Promise<string> {
  const response = await local(c.port, "/oauth2/v1/login", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ user: USERNAME, ha1: HA1, return: returnTo }),
  });
  if (response.status !== 200) throw new FlowError(`login: ${response.status} ${await readExcerpt(response)}`);
  const body = (await response.json()) as { code?: string; redirect?: string };
  if (!body.code || !body.redirect?.startsWith(`${REDIRECT_URI}?`)) throw new FlowError(`login: no code in ${JSON.stringify(body).slice(0, 300)}`);
  if (new URL(body.redirect).searchParams.get("state") !== state) throw new FlowError("login: state not returned");
  return body.code;
}

/** POST token (client_secret_basic, PKCE verifier): the id_token. */
async function tokenStep(c: Credentials, code: string, verifier: string): Promise<string> {
  const response = await local(c.port, "/oauth2/v1/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${btoa(`${CLIENT_ID}:${c.clientSecret}`)}` },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
  });
  if (response.status !== 200) throw new FlowError(`token: ${response.status} ${await readExcerpt(response)}`);
  const tokens = (await response.json()) as { id_token?: string; access_token?: string };
  if (!tokens.id_token || !tokens.access_token) throw new FlowError("token: no id_token or access_token");
  return tokens.id_token;
}

const HA1 = md5Hex(`${USERNAME}:${HOST}:${PASSWORD}`);

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
  return { verifier, challenge: new Bun.CryptoHasher("sha256").update(verifier).digest("base64url") };
}

/** One complete authorization-code + PKCE flow, timed per phase; throws FlowError on any unexpected answer. */
async function flow(c: Credentials): Promise<FlowTiming> {
  const t0 = performance.now();
  const { verifier, challenge } = pkcePair();
  const state = crypto.randomUUID();
  const nonce = crypto.randomUUID();
  const returnTo = await authorizeStep(c, challenge, state, nonce);
  const t1 = performance.now();
  const code = await loginStep(c, returnTo, state);
  const t2 = performance.now();
  const idToken = await tokenStep(c, code, verifier);
  const t3 = performance.now();
  const { payload } = await jwtVerify(idToken, c.jwks, { issuer: `http://${HOST}:${c.port}`, audience: CLIENT_ID, algorithms: ["RS256"] });
  if (payload.nonce !== nonce) throw new FlowError(`id_token: nonce ${String(payload.nonce)} != ${nonce}`);
  const t4 = performance.now();
  return { total: t4 - t0, authorize: t1 - t0, login: t2 - t1, token: t3 - t2, verify: t4 - t3 };
}

/** Runs `count` calls of `step` with `concurrency` workers; counts failures, keeps the first few messages. */
async function pool<T>(count: number, concurrency: number, step: (index: number) => Promise<T>): Promise<{ results: T[]; errors: number; firstErrors: string[]; wallMs: number }> {
  let next = 0;
  let errors = 0;
  const firstErrors: string[] = [];
  const results: T[] = [];
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const index = next++;
      try {
        results.push(await step(index));
      } catch (error) {
        errors++;
        if (firstErrors.length < 5) firstErrors.push(error instanceof FlowError ? error.message : `exception: ${String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { results, errors, firstErrors, wallMs: performance.now() - started };
}

interface EndpointCost {
  requests: number;
  errors: number;
  perSecond: number;
  serverCpuMs: number;
  mainThreadCpuMs: number;
}

/**
 * Server CPU per request of each endpoint on its own (same concurrency): discovery as the
 * floor of the HTTP pipeline, then authorize, login (one `return`, many codes), token (those codes).
 */
async function endpointCosts(c: Credentials, pid: number, count: number, concurrency: number): Promise<Record<string, EndpointCost>> {
  // The cheap endpoints get more requests: CPU time is read in 10 ms ticks.
  const measure = async <T>(step: (index: number) => Promise<T>, requests = count) => {
    const cpu0 = processCpuMs(pid);
    const main0 = threadCpuMs(pid).get(`${pid} ${mainThreadName(pid)}`) ?? 0;
    const result = await pool(requests, concurrency, step);
    const cpu = processCpuMs(pid) - cpu0;
    const main = (threadCpuMs(pid).get(`${pid} ${mainThreadName(pid)}`) ?? 0) - main0;
    const cost: EndpointCost = {
      requests, errors: result.errors, perSecond: round((requests * 1000) / result.wallMs),
      serverCpuMs: round(cpu / requests, 3), mainThreadCpuMs: round(main / requests, 3),
    };
    return { cost, results: result.results };
  };
  const { verifier, challenge } = pkcePair();
  const state = crypto.randomUUID();
  const returnTo = await authorizeStep(c, challenge, state, crypto.randomUUID());
  const discovery = await measure(async () => {
    const response = await local(c.port, "/.well-known/openid-configuration");
    await response.arrayBuffer();
    if (response.status !== 200) throw new FlowError(`discovery: ${response.status}`);
  }, 4 * count);
  const authorize = await measure(() => authorizeStep(c, challenge, state, crypto.randomUUID()), 4 * count);
  const login = await measure(() => loginStep(c, returnTo, state));
  const codes = login.results;
  const token = await measure((index) => tokenStep(c, codes[index] ?? "missing", verifier));
  return { discovery: discovery.cost, authorize: authorize.cost, login: login.cost, token: token.cost };
}

const mainThreadName = (pid: number) => readFileSync(`/proc/${pid}/comm`, "utf8").trim();

interface LoadResult {
  flows: number;
  errors: number;
  firstErrors: string[];
  wallMs: number;
  timings: FlowTiming[];
}

/** Runs `count` flows with `concurrency` workers pulling from a shared counter. */
async function load(c: Credentials, count: number, concurrency: number): Promise<LoadResult> {
  const { results, errors, firstErrors, wallMs } = await pool(count, concurrency, () => flow(c));
  return { flows: count, errors, firstErrors, wallMs, timings: results };
}

// ---------------------------------------------------------------- bounds

/** openssl speed rsa2048, sign/s (single core, or -multi N). */
async function opensslSignRate(multi: number | null): Promise<number> {
  const args = ["openssl", "speed", "-seconds", "3", ...(multi ? ["-multi", String(multi)] : []), "rsa2048"];
  const result = await run(args, { timeoutMs: 60_000 });
  // "rsa 2048 bits 0.000250s 0.000015s   4007.7  65857.7": the third number is sign/s.
  const match = /^rsa\s+2048 bits\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)\s+[\d.]+/m.exec(result.stdout);
  if (result.code !== 0 || !match) throw new Error(`could not read ${args.join(" ")}:\n${result.stdout}\n${result.stderr}`);
  return Number(match[1]);
}

/** Bun's jose/WebCrypto RS256 signing rate, `total` JWTs in batches of `batch`; also CPU ms per signature. */
async function bunSignRate(total: number, batch: number): Promise<{ perSecond: number; cpuMsPerSign: number }> {
  const { privateKey } = await generateKeyPair("RS256", { modulusLength: 2048 });
  const now = Math.floor(Date.now() / 1000);
  const sign = () => new SignJWT({ client_id: CLIENT_ID, scope: SCOPE, auth_time: now, acr: "pwd", gid: crypto.randomUUID() })
    .setProtectedHeader({ alg: "RS256", kid: "bench", typ: "at+jwt" })
    .setIssuer("http://localhost").setSubject("bench").setAudience("http://localhost")
    .setIssuedAt(now).setExpirationTime(now + 3600).setJti(crypto.randomUUID())
    .sign(privateKey);
  for (let i = 0; i < 64; i++) await sign();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let done = 0; done < total; done += batch) await Promise.all(Array.from({ length: Math.min(batch, total - done) }, sign));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: (total * 1000) / wallMs, cpuMsPerSign: (cpu.user + cpu.system) / 1000 / total };
}

// ---------------------------------------------------------------- statistics and report

const percentile = (sorted: Float64Array, p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
const sortedOf = (values: number[]) => Float64Array.from(values).sort();
const median = (values: number[]) => percentile(sortedOf(values), 50);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function phaseStats(timings: FlowTiming[], key: keyof FlowTiming) {
  const sorted = sortedOf(timings.map((t) => t[key]));
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { p50: round(percentile(sorted, 50), 2), p90: round(percentile(sorted, 90), 2), p99: round(percentile(sorted, 99), 2), max: round(sorted[sorted.length - 1] ?? NaN, 2), mean: round(mean, 2) };
}

function gitCommit(): string {
  const result = Bun.spawnSync(["git", "rev-parse", "--short", "HEAD"], { cwd: ROOT, stdout: "pipe", stderr: "ignore" });
  const dirty = Bun.spawnSync(["git", "status", "--porcelain", "--", "src", "web"], { cwd: ROOT, stdout: "pipe", stderr: "ignore" }).stdout.toString().trim().length > 0;
  return result.stdout.toString().trim() + (dirty ? "+dirty" : "");
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const cores = cpus().length;
  const build = await ensureBinary();
  armOverallTimeout();
  dataDir = mkdtempSync(join(tmpdir(), "sigil-bench-"));
  log(`data ${dataDir}; ${FLOWS} flows at concurrency ${CONCURRENCY}; ${cores} cores`);

  // First start on an empty directory makes the localhost tenant; provision it through the CLI as an operator would.
  const first = await startServer();
  await cli(["user", "add", HOST, USERNAME, "--password-stdin"], `${PASSWORD}\n`);
  const clientOut = await cli(["client", "add", HOST, CLIENT_ID, "--redirect-uri", REDIRECT_URI, "--confidential"]);
  const clientSecret = /^secret: (\S+)$/m.exec(clientOut)?.[1];
  if (!clientSecret) throw new Error(`no secret printed by client add:\n${clientOut}`);
  const jwksOf = async (port: number) => createLocalJWKSet((await (await local(port, "/.well-known/jwks.json")).json()) as JSONWebKeySet);
  // The JWKS request makes the tenant's signing key, so later starts find everything in place; one flow checks the set-up.
  const checkFlow = await load({ port: first.server.port, clientSecret, jwks: await jwksOf(first.server.port) }, 1, 1);
  if (checkFlow.errors > 0) throw new Error(`the first flow failed: ${checkFlow.firstErrors.join("; ")}\n${first.server.output()}`);
  await stopServer(first.server);
  log(`first start (empty data dir) ${round(first.startMs)} ms; provisioned; keys made`);

  // Start-up on the existing, provisioned directory.
  const startSamples: number[] = [];
  for (let i = 0; i < START_REPEATS; i++) {
    const { server, startMs } = await startServer();
    startSamples.push(startMs);
    await stopServer(server);
  }
  log(`start-up ${startSamples.map((s) => round(s)).join(", ")} ms`);

  // The load server.
  const { server } = await startServer({ profile: argv.profile });
  const pid = server.proc.pid;
  const afterStart = memoryKb(pid);
  const credentials: Credentials = { port: server.port, clientSecret, jwks: await jwksOf(server.port) };
  let warmup: LoadResult | null = null;
  if (WARMUP > 0) {
    warmup = await load(credentials, WARMUP, CONCURRENCY);
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
  const result = await load(credentials, FLOWS, CONCURRENCY);
  const serverCpuMs = processCpuMs(pid) - serverCpu0;
  const threads = threadBusy(pid, threads0, threadCpuMs(pid), result.wallMs);
  const benchCpu = process.cpuUsage(benchCpu0);
  const benchCpuMs = (benchCpu.user + benchCpu.system) / 1000;
  const machine1 = machineJiffies();
  const after = memoryKb(pid);

  // Where the server's time goes: each endpoint alone, then the machine's signing rate again (it drifts).
  const costCount = Math.min(1000, FLOWS);
  log(`per-endpoint cost: ${costCount} requests each`);
  const costs = await endpointCosts(credentials, pid, costCount, CONCURRENCY);
  const opensslMultiAfter = await opensslSignRate(cores);
  await stopServer(server);

  // The OID4VP verifier, in-process, with the server stopped so that it has the machine.
  let verifier: VerifierReport | null = null;
  if (VERIFIER_PRESENTATIONS > 0) {
    verifier = await benchVerifier({ presentations: VERIFIER_PRESENTATIONS, concurrency: VERIFIER_CONCURRENCY, workers: cores, memoryPresentations: VERIFIER_MEMORY, log });
  }
  const serverLog = server.output().split("\n").filter((line) => line.trim() && !/listening on|first admin/.test(line));

  // Figures.
  const ok = result.timings.length;
  const flowsPerSecond = (ok * 1000) / result.wallMs;
  const totals = sortedOf(result.timings.map((t) => t.total));
  const p50 = percentile(totals, 50);
  const p99 = percentile(totals, 99);
  const startMedian = median(startSamples);
  // The machine is shared: take the mean of the rates before and after the load.
  const opensslBound = (opensslMulti + opensslMultiAfter) / 4;
  const bunBound = bunConcurrent.perSecond / 2;
  const serverCpuPerFlow = serverCpuMs / Math.max(1, ok);
  const signingCpuPerFlow = 2 * bunConcurrent.cpuMsPerSign;
  const machineBusy = (machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total);

  const report = {
    when: new Date().toISOString(),
    commit: gitCommit(),
    bun: Bun.version,
    cores,
    loadavgBefore: loadavg().map((n) => round(n, 2)),
    args: { flows: FLOWS, concurrency: CONCURRENCY, warmup: WARMUP, bin: BIN, profile: argv.profile },
    build,
    startup: { firstStartMs: round(first.startMs), samplesMs: startSamples.map((s) => round(s)), medianMs: round(startMedian), targetMs: TARGETS.startMs },
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
      bunWebCryptoSignPerSecondBatch64: round(bunConcurrent.perSecond),
      bunWebCryptoSignPerSecondBatch64Rounds: bunRounds.map((r) => round(r.perSecond)),
      bunWebCryptoSignPerSecondSequential: round(bunSequential.perSecond),
      bunWebCryptoCpuMsPerSign: round(bunConcurrent.cpuMsPerSign, 3),
      bunFlowsPerSecond: round(bunBound),
    },
    load: {
      flows: FLOWS,
      ok,
      errors: result.errors,
      firstErrors: result.firstErrors,
      wallMs: round(result.wallMs),
      flowsPerSecond: round(flowsPerSecond),
      fractionOfOpensslBound: round(flowsPerSecond / opensslBound, 3),
      fractionOfBunBound: round(flowsPerSecond / bunBound, 3),
      latencyMs: phaseStats(result.timings, "total"),
      phasesMs: {
        authorize: phaseStats(result.timings, "authorize"),
        login: phaseStats(result.timings, "login"),
        token: phaseStats(result.timings, "token"),
        verify: phaseStats(result.timings, "verify"),
      },
      serverCpuMsPerFlow: round(serverCpuPerFlow, 3),
      benchCpuMsPerFlow: round(benchCpuMs / Math.max(1, ok), 3),
      serverOnlyCapacityFlowsPerSecond: round((cores * 1000) / serverCpuPerFlow),
      signingShareOfServerCpu: round(signingCpuPerFlow / serverCpuPerFlow, 3),
      machineBusyFraction: round(machineBusy, 3),
      serverMainThreadBusyFraction: threads.main,
      serverOtherThreadsBusyFraction: threads.others,
      endpointCosts: costs,
      warmup: warmup ? { flows: WARMUP, errors: warmup.errors, flowsPerSecond: round((WARMUP * 1000) / warmup.wallMs) } : null,
      targets: { flowsPerSecond: TARGETS.flowsPerSecond, p99Ms: TARGETS.p99Ms },
    },
    verifier,
    serverLog: serverLog.slice(0, 20),
  };

  const mark = (pass: boolean) => (pass ? "ok  " : "MISS");
  const lines = [
    `Sigil benchmark  ${report.when}  commit ${report.commit}  bun ${report.bun}  ${cores} cores  load avg ${report.loadavgBefore.join(" ")}`,
    `  flows ${FLOWS} (warm-up ${WARMUP}), concurrency ${CONCURRENCY}, server ${argv.profile ? "bun --cpu-prof src/main.ts" : BIN}`,
    "",
    "start-up and memory",
    `  ${mark(startMedian < TARGETS.startMs)} start-up to first discovery 200   median ${round(startMedian)} ms   target < ${TARGETS.startMs} ms   (samples ${report.startup.samplesMs.join(", ")}; empty dir ${report.startup.firstStartMs} ms)`,
    `  ${mark(idle.rss / 1024 <= TARGETS.idleRssMb)} idle RSS after warm-up             ${round(idle.rss / 1024)} MB   target <= ${TARGETS.idleRssMb} MB   (private ${round(idle.anon / 1024)} MB + executable pages ${round(idle.file / 1024)} MB; just started ${round(afterStart.rss / 1024)} MB)`,
    `       peak RSS (VmHWM) after load      ${round(after.hwm / 1024)} MB   (RSS after load ${round(after.rss / 1024)} MB)`,
    "",
    "bound (RS256 signing, 2 signatures per flow)",
    `       openssl rsa2048 sign/s           ${round(opensslSingle)} (1 core)   ${round(opensslMulti)} / ${round(opensslMultiAfter)} (-multi ${cores}, before / after load)   -> bound ${round(opensslBound)} flows/s`,
    `       Bun jose/WebCrypto RS256 sign/s  ${round(bunConcurrent.perSecond)} (batches of 64, median of ${bunRounds.map((r) => round(r.perSecond, 0)).join(" / ")})   ${round(bunSequential.perSecond)} (one at a time)   ${round(bunConcurrent.cpuMsPerSign, 3)} CPU ms/sign   -> bound ${round(bunBound)} flows/s`,
    "",
    "load (authorize -> login -> token -> verify id_token)",
    `  ${mark(result.errors === 0)} errors                           ${result.errors} of ${FLOWS}   target 0`,
    ...result.firstErrors.map((e) => `         ${e}`),
    `  ${mark(flowsPerSecond >= TARGETS.flowsPerSecond)} throughput                       ${round(flowsPerSecond)} flows/s   target >= ${TARGETS.flowsPerSecond}   = ${round((100 * flowsPerSecond) / opensslBound)}% of openssl bound, ${round((100 * flowsPerSecond) / bunBound)}% of Bun bound`,
    `  ${mark(p99 < TARGETS.p99Ms)} latency p99                      ${round(p99, 2)} ms   target < ${TARGETS.p99Ms} ms at C=8   (p50 ${round(p50, 2)} ms, max ${report.load.latencyMs.max} ms)`,
    `       phases p50 / p99 ms              authorize ${report.load.phasesMs.authorize.p50} / ${report.load.phasesMs.authorize.p99}   login ${report.load.phasesMs.login.p50} / ${report.load.phasesMs.login.p99}   token ${report.load.phasesMs.token.p50} / ${report.load.phasesMs.token.p99}   verify ${report.load.phasesMs.verify.p50} / ${report.load.phasesMs.verify.p99}`,
    `       CPU per flow                     server ${report.load.serverCpuMsPerFlow} ms   bench client ${report.load.benchCpuMsPerFlow} ms   machine busy ${round(100 * machineBusy)}%`,
    `       server threads busy              main (JS event loop) ${round(100 * threads.main)}%   others ${Object.entries(threads.others).filter(([, v]) => v >= 0.01).map(([k, v]) => `${k} ${round(100 * v)}%`).join(", ") || "-"}`,
    `       server-only capacity (est.)      ${report.load.serverOnlyCapacityFlowsPerSecond} flows/s if the server had all ${cores} cores   (2 RS256 signatures = ${round(signingCpuPerFlow, 2)} CPU ms, ~${round(100 * report.load.signingShareOfServerCpu)}% of the server's CPU per flow)`,
    "",
    `per endpoint, alone (at C=${CONCURRENCY}): server CPU ms per request (main-thread part), requests/s`,
    ...Object.entries(costs).map(([name, cost]) =>
      `       ${name.padEnd(32)} ${cost.serverCpuMs.toFixed(3)} ms (${cost.mainThreadCpuMs.toFixed(3)})   ${cost.perSecond}/s   (${cost.requests} requests${cost.errors > 0 ? `, ${cost.errors} ERRORS` : ""})`),
    ...(verifier ? ["", ...verifierReportLines(verifier)] : []),
    ...(serverLog.length > 0 ? ["", "server output:", ...serverLog.slice(0, 20).map((line) => `  ${line}`)] : []),
  ];
  console.log(lines.join("\n"));
  mkdirSync(join(ROOT, ".bench"), { recursive: true });
  writeFileSync(join(ROOT, ".bench", "last.json"), JSON.stringify(report, null, 2) + "\n");
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

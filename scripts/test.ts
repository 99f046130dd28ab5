// Runs the whole suite with bun's test runner, then the black-box suites (everything under test/,
// which starts Sigil and talks to it over HTTP and the CLI) again against the Deno executable
// dist/sigil-deno (SIGIL_RUNTIME=deno-binary, test/support/runtime.ts: what a Deno user runs), and
// closes with the one plain line "tests: N passed, M failed" that CI reads, summed over every run.
//   bun scripts/test.ts             both passes
//   bun scripts/test.ts PATH...     bun test on PATH only, as before (arguments pass through)
// SIGIL_TEST_DENO_JOBS=N (default 2) splits the Deno pass over N bun test processes run side by side:
// its files wait on servers, browsers and timeouts more than they compute, so two share two cores well.
// Black-box tests start servers and browsers: 60 s per test (bunfig has no key for this).
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { ensureBinary } from "../test/support/binary.ts";

const ROOT = join(import.meta.dir, "..");
/** Not run on Deno, each with why (README "Runtimes"). None today: dist/sigil-deno runs them all. */
const NOT_ON_DENO = new Set<string>([]);

interface RunResult {
  code: number;
  passed: number;
  failed: number;
}

/** One `bun test` process; its output forwarded as it comes, each line prefixed with `label` when given. */
async function run(args: string[], env: Record<string, string>, label = ""): Promise<RunResult> {
  const proc = Bun.spawn([process.execPath, "test", "--timeout", "60000", ...args], { cwd: ROOT, stdout: "pipe", stderr: "pipe", stdin: "ignore", env: { ...process.env, ...env } });
  let summary = "";
  const forward = async (stream: ReadableStream<Uint8Array>, sink: NodeJS.WriteStream) => {
    const decoder = new TextDecoder();
    let pending = "";
    for await (const chunk of stream) {
      const text = decoder.decode(chunk, { stream: true });
      summary = (summary + text).slice(-4000);
      if (!label) {
        sink.write(text);
        continue;
      }
      // Whole lines only, so that two processes side by side never interleave within a line.
      const lines = (pending + text).split("\n");
      pending = lines.pop()!;
      if (lines.length > 0) sink.write(lines.map((line) => `${label} ${line}\n`).join(""));
    }
    if (pending) sink.write(`${label} ${pending}\n`);
  };
  await Promise.all([forward(proc.stdout, process.stdout), forward(proc.stderr, process.stderr)]);
  const code = await proc.exited;
  return { code, passed: Number(/^\s*(\d+) pass$/m.exec(summary)?.[1] ?? 0), failed: Number(/^\s*(\d+) fail$/m.exec(summary)?.[1] ?? 0) };
}

function blackBoxTests(dir = join(ROOT, "test")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    // test/runtime/ picks its runtimes itself (Bun and Deno in one file): the first run covers it.
    if (entry.isDirectory()) return entry.name === "support" || entry.name === "runtime" ? [] : blackBoxTests(path);
    const name = relative(ROOT, path);
    return entry.name.endsWith(".test.ts") && !NOT_ON_DENO.has(name) ? [`./${name}`] : [];
  }).sort();
}

/** The Deno pass: dist/sigil-deno built once up front (two processes must not both build it), the files dealt round-robin to `jobs` processes. */
async function denoPass(jobs: number): Promise<RunResult[]> {
  const { path, built } = await ensureBinary({ target: "deno", log: (text) => console.log(`test: ${text}`) });
  console.log(`\n== the black-box suites again against ${relative(ROOT, path)}${built ? " (just built)" : ""} (SIGIL_RUNTIME=deno-binary), ${jobs} process${jobs === 1 ? "" : "es"}${NOT_ON_DENO.size ? `; not on Deno: ${[...NOT_ON_DENO].join(", ")}` : ""} ==`);
  const files = blackBoxTests();
  const groups = Array.from({ length: jobs }, (_, g) => files.filter((_, i) => i % jobs === g)).filter((group) => group.length > 0);
  return Promise.all(groups.map((group, g) => run(group, { SIGIL_RUNTIME: "deno-binary" }, groups.length > 1 ? `[deno ${g + 1}/${groups.length}]` : "")));
}

const args = process.argv.slice(2);
const started = performance.now();
const runs = [await run(args, {})];
const bunSeconds = (performance.now() - started) / 1000;
if (args.length === 0) {
  const jobs = Number(process.env.SIGIL_TEST_DENO_JOBS ?? 2);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`SIGIL_TEST_DENO_JOBS=${process.env.SIGIL_TEST_DENO_JOBS}: expected a whole number of processes, 1 or more`);
  try {
    runs.push(...(await denoPass(jobs)));
  } catch (error) {
    // No dist/sigil-deno: every Deno test counts as not run, and the run fails with the build's words.
    console.error(`test: the Deno pass could not start: ${(error as Error).message}`);
    runs.push({ code: 1, passed: 0, failed: 0 });
  }
  console.log(`test: Bun pass ${Math.round(bunSeconds)} s, Deno pass ${Math.round((performance.now() - started) / 1000 - bunSeconds)} s`);
}
const passed = runs.reduce((n, r) => n + r.passed, 0);
const failed = runs.reduce((n, r) => n + r.failed, 0);
console.log(`tests: ${passed} passed, ${failed} failed`);
const failedRun = runs.find((r) => r.code !== 0);
process.exit(failedRun ? failedRun.code : passed === 0 || runs.some((r) => r.passed === 0) ? 1 : 0);

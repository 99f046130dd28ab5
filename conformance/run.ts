// conformance/run [--sigil URL] [--export DIR] [PLAN_FILE ...]
// Runs OpenID Foundation conformance-suite plans against a deployed Sigil and fails on any
// failure or warning that conformance/expected-failures.json does not list (with a reason), and
// on any SKIPPED module that conformance/expected-skips.json does not list.
// The suite: CONFORMANCE_SERVER, with CONFORMANCE_TOKEN or CONFORMANCE_DEV_MODE=1.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { findingsOf, judge, parseExpectedFailures, type Finding } from "./expected-failures.ts";
import { judgeSkips, parseExpectedSkips, type Skip } from "./expected-skips.ts";
import { loadPlanFile, type VerifierTrigger } from "./plan-file.ts";
import { SuiteApi, type ModuleResult } from "./suite-api.ts";
import type { PollingOptions } from "./wait-for-state.ts";

const HERE = import.meta.dir;
const PASSING: ModuleResult[] = ["PASSED", "WARNING", "REVIEW"];
// The suite's one module with autoStart() false (OIDCCServerRotateKeys.java). Every other module
// starts itself once CONFIGURED, and servers before suite commit 738fc73c3 (2026-06-02) start it
// a second time, concurrently, on POST /api/runner/{id}; run-test-plan.py starts only this one.
const MANUALLY_STARTED = new Set(["oidcc-server-rotate-keys"]);

const UNEXPLAINED: Finding = { testName: "", variant: {}, configurationFilename: "", block: undefined, condition: "(FAILED without a failing condition)", result: "failure", message: "" };

interface Row {
  plan: string;
  module: string;
  result: string;
  ok: boolean;
}

export async function runConformance(argv: string[], env: Record<string, string | undefined>, polling: Partial<PollingOptions> = {}): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { sigil: { type: "string" }, export: { type: "string" } }, allowPositionals: true });
  const suiteUrl = env.CONFORMANCE_SERVER;
  const sigilUrl = values.sigil ?? env.SIGIL_URL;
  const token = env.CONFORMANCE_TOKEN ?? null;
  if (!suiteUrl) return usage("set CONFORMANCE_SERVER to the suite's base URL");
  if (!sigilUrl) return usage("give Sigil's public base URL with --sigil or SIGIL_URL");
  if (!token && env.CONFORMANCE_DEV_MODE !== "1") return usage("set CONFORMANCE_TOKEN, or CONFORMANCE_DEV_MODE=1 for a suite in dev mode");

  const planDir = join(HERE, "plans");
  const planPaths = positionals.length > 0 ? positionals : readdirSync(planDir).filter((f) => f.endsWith(".json")).sort().map((f) => join(planDir, f));
  const secretsPath = env.CONFORMANCE_SECRETS ?? join(HERE, "secrets.json");
  const secrets = existsSync(secretsPath) ? (JSON.parse(readFileSync(secretsPath, "utf8")) as Record<string, string>) : {};
  const expected = parseExpectedFailures(readFileSync(env.CONFORMANCE_EXPECTED_FAILURES ?? join(HERE, "expected-failures.json"), "utf8"));
  const expectedSkips = parseExpectedSkips(readFileSync(env.CONFORMANCE_EXPECTED_SKIPS ?? join(HERE, "expected-skips.json"), "utf8"));

  const moduleTimeoutMs = Number(env.CONFORMANCE_MODULE_TIMEOUT_MS ?? 240_000);
  const api = new SuiteApi(suiteUrl, token, polling);
  await api.ready();
  const rows: Row[] = [];
  const findings: Finding[] = [];
  const skips: Skip[] = [];
  for (const path of planPaths) {
    const { name, plan } = loadPlanFile(path, readFileSync(path, "utf8"), { sigilUrl, suiteUrl, secrets });
    const created = await api.createPlan(plan.planName, plan.variant, plan.config);
    console.log(`plan ${plan.planName} (${name}): ${created.modules.length} modules, id ${created.id}`);
    for (const module of created.modules) {
      let result = "UNKNOWN";
      try {
        const id = await api.createModule(created.id, module);
        let state = await api.waitFor(id, ["CONFIGURED", "WAITING", "FINISHED", "INTERRUPTED"], moduleTimeoutMs);
        if (state === "CONFIGURED") {
          if (MANUALLY_STARTED.has(module.testModule)) await api.start(id);
          state = await api.waitFor(id, ["WAITING", "FINISHED", "INTERRUPTED"], moduleTimeoutMs);
        }
        if (state === "WAITING" && plan.verifier) await startPresentation(sigilUrl, plan.verifier, plan.variant?.client_id_prefix);
        if (state === "WAITING") state = await api.waitFor(id, ["FINISHED", "INTERRUPTED"], moduleTimeoutMs);
        const info = await api.info(id);
        result = state === "INTERRUPTED" ? "INTERRUPTED" : (info.result ?? "UNKNOWN");
        if (result === "SKIPPED") skips.push({ testName: module.testModule, variant: { ...plan.variant, ...module.variant }, configurationFilename: name });
        const logged = findingsOf(await api.log(id), module.testModule, { ...plan.variant, ...module.variant }, name);
        // A FAILED result with nothing in the log to explain it must not pass as "all expected".
        if (result === "FAILED" && !logged.some((f) => f.result === "failure")) logged.push({ ...UNEXPLAINED, testName: module.testModule, configurationFilename: name });
        findings.push(...logged);
      } catch (error) {
        result = `ERROR: ${(error as Error).message}`;
      }
      rows.push({ plan: name, module: module.testModule, result, ok: PASSING.includes(result as ModuleResult) || result === "FAILED" || result === "SKIPPED" });
      console.log(`  ${module.testModule.padEnd(72)} ${result}`);
    }
    if (values.export) {
      mkdirSync(values.export, { recursive: true });
      const file = await api.exportHtml(created.id);
      writeFileSync(join(values.export, file.name), file.bytes);
    }
  }

  const judged = judge(expected, findings);
  const unexpected = judged.unexpected;
  // Entries for plan files not run this time are not judged unused: running one plan file is normal.
  const ranFiles = new Set(rows.map((row) => row.plan));
  const ran = (entry: { "configuration-filename": string }) => entry["configuration-filename"] === "*" || ranFiles.has(entry["configuration-filename"]);
  const unused = judged.unused.filter(ran);
  const skipped = judgeSkips(expectedSkips, skips);
  const unexpectedModules = new Set([...unexpected.map((f) => f.testName), ...skipped.unexpected.map((s) => s.testName)]);
  let failed = 0;
  for (const row of rows) {
    // A module passes when it finished (PASSED, WARNING, REVIEW, FAILED only on listed conditions,
    // or SKIPPED as expected-skips.json says) and every failure or warning it logged is listed.
    if (!row.ok || unexpectedModules.has(row.module)) failed++;
  }
  for (const finding of unexpected) console.log(`unexpected ${finding.result}: ${finding.testName} ${finding.condition}: ${finding.message}`);
  for (const entry of unused) console.log(`unused expected-failures entry: ${entry["test-name"]} ${entry.condition} (${entry.comment})`);
  for (const skip of skipped.unexpected) console.log(`unexpected skip: ${skip.testName} (${skip.configurationFilename})`);
  const unusedSkips = skipped.unused.filter(ran);
  for (const entry of unusedSkips) console.log(`unused expected-skips entry: ${entry["test-name"]} (${entry.comment})`);
  const passed = rows.length - failed;
  const problems = failed + unused.length + unusedSkips.length;
  console.log(`conformance: ${passed} passed, ${problems} failed`);
  return problems === 0 ? 0 : 1;
}

/**
 * The OID4VP verifier plans: the suite, as the wallet, waits at its authorization endpoint for the
 * verifier's request. Sigil makes one through its verifier API; its wallet URL is the suite's
 * authorization endpoint (the tenant's wallet scheme, set by conformance/setup) with client_id,
 * request_uri and request_uri_method, and opening it hands the request to the suite, which then
 * fetches the request object from Sigil and posts its answer to Sigil's response_uri.
 */
async function startPresentation(sigilUrl: string, trigger: VerifierTrigger, clientIdPrefix: string | undefined): Promise<void> {
  const created = await fetch(`${sigilUrl.replace(/\/+$/, "")}/oid4vp/v1/presentations`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${trigger.client_id}:${trigger.client_secret}`)}`, "content-type": "application/json" },
    // The plan's client_id prefix is asked for per presentation, so one run covers every plan file.
    body: JSON.stringify({ response_mode: trigger.response_mode, ...(clientIdPrefix ? { client_id_prefix: clientIdPrefix } : {}), ...(trigger.dcql_query ? { dcql_query: trigger.dcql_query } : {}) }),
  });
  if (created.status !== 201) throw new Error(`Sigil's verifier API answered ${created.status}: ${(await created.text()).slice(0, 200)}`);
  const { wallet_url: walletUrl } = (await created.json()) as { wallet_url: string };
  if (!/^https?:\/\//.test(walletUrl)) throw new Error(`the wallet URL ${walletUrl.slice(0, 40)}… does not point at the suite: run conformance/setup with --suite`);
  const opened = await fetch(walletUrl, { redirect: "manual" });
  await opened.arrayBuffer();
}

function usage(problem: string): number {
  console.error(`conformance/run: ${problem}\nusage: conformance/run [--sigil URL] [--export DIR] [PLAN_FILE ...]`);
  return 2;
}

if (import.meta.main) {
  try {
    process.exit(await runConformance(process.argv.slice(2), process.env));
  } catch (error) {
    console.error(`conformance/run: ${(error as Error).message}`);
    process.exit(1);
  }
}

// COVERAGE.md must be what `bun conformance/coverage.ts` writes today, and every module must be
// accounted for; the script must fail on a module with neither a test nor a reason.
import { expect, test } from "bun:test";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COVERAGE_FILE, DATA_FILE, renderCoverage, type PlanModules } from "./coverage.ts";

const ROOT = join(import.meta.dir, "..");

test("COVERAGE.md is up to date with plan-modules.json and the offline tests (run `bun conformance/coverage.ts`)", () => {
  const { markdown } = renderCoverage();
  expect(readFileSync(join(ROOT, COVERAGE_FILE), "utf8")).toBe(markdown);
});

test("every module of every plan has an offline test or a stated reason, and every offline test belongs to a module", () => {
  expect(renderCoverage().problems).toEqual([]);
});

test("the module lists hold the three OIDC plans with their 38, 1 and 11 modules", () => {
  const data = JSON.parse(readFileSync(join(ROOT, DATA_FILE), "utf8")) as PlanModules;
  const counts = Object.fromEntries(data.plans.map((plan) => [plan.plan, plan.modules.length]));
  expect(counts).toMatchObject({
    "oidcc-basic-certification-test-plan": 38,
    "oidcc-config-certification-test-plan": 1,
    "oidcc-rp-initiated-logout-certification-test-plan": 11,
  });
});

test("the module lists hold the OID4VP verifier plans with the 12 modules of VP1FinalVerifierTestPlan each", () => {
  const data = JSON.parse(readFileSync(join(ROOT, DATA_FILE), "utf8")) as PlanModules;
  const counts = Object.fromEntries(data.plans.map((plan) => [plan.plan, plan.modules.length]));
  expect(counts).toMatchObject({ "oid4vp-1final-verifier-test-plan": 12, "oid4vp-1final-verifier-haip-test-plan": 12 });
});

test("the script reports a module with neither an offline test nor a reason, and an offline test no module claims", () => {
  const root = mkdtempSync(join(tmpdir(), "sigil-coverage-"));
  try {
    mkdirSync(join(root, "conformance", "offline"), { recursive: true });
    const data = JSON.parse(readFileSync(join(ROOT, DATA_FILE), "utf8")) as PlanModules;
    data.plans = [{ plan: "p", source: "P.java", variant: {}, modules: [{ module: "m-tested", class: "A" }, { module: "m-missing", class: "B" }, { module: "m-reasoned", class: "C", reason: "needs a human" }] }];
    writeFileSync(join(root, DATA_FILE), JSON.stringify(data));
    cpSync(join(ROOT, "conformance", "coverage.ts"), join(root, "conformance", "coverage.ts"));
    writeFileSync(join(root, "conformance", "offline", "m-tested.test.ts"), "");
    writeFileSync(join(root, "conformance", "offline", "stray.test.ts"), "");
    const { problems, markdown } = renderCoverage(root);
    expect(problems).toEqual([
      "p: m-missing has neither an offline test (conformance/offline/m-missing.test.ts) nor a reason it cannot run offline",
      "conformance/offline/stray.test.ts belongs to no module in conformance/plan-modules.json",
    ]);
    expect(markdown).toContain("cannot run offline: needs a human");
    const run = Bun.spawnSync([process.execPath, join(root, "conformance", "coverage.ts")], { cwd: root, stdout: "pipe", stderr: "pipe" });
    expect(run.exitCode).toBe(1);
    expect(run.stderr.toString()).toContain("m-missing has neither");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

// The runner against conformance/mock-suite.ts, a stand-in built from the suite's own source:
// plan creation with the variant, module runs, waiting (wait-state long-polls on a current
// suite, /api/info polling on an older one), results, logs and expected failures.
import { afterAll, beforeAll, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MockSuite } from "./mock-suite.ts";
import { runConformance } from "./run.ts";
import type { PollingOptions } from "./wait-for-state.ts";

const dir = mkdtempSync(join(tmpdir(), "sigil-conformance-"));
// Sigil's verifier API (not the suite's): hands out a wallet URL at the suite's authorize endpoint.
const suite = new MockSuite("t0ken", (request, url) => {
  if (url.pathname !== "/oid4vp/v1/presentations") return undefined;
  if (request.headers.get("authorization") !== `Basic ${btoa("conformance-verifier:v3rifier")}`) return new Response("no", { status: 401 });
  return Response.json({ wallet_url: `${suite.url}/test/a/sigil/authorize?client_id=x509_hash%3Aabc&request_uri=https%3A%2F%2Fsigil.example%2Fr%2F1&request_uri_method=post` }, { status: 201 });
});
const requests = suite.requests;

beforeAll(() => void suite.listen());
afterAll(() => suite.stop());
beforeEach(() => {
  suite.generation = "current";
  suite.timeoutAnswers = 0;
  suite.doubleStarts.length = 0;
  requests.length = 0;
});

function planFile(): string {
  const path = join(dir, "basic.json");
  writeFileSync(path, JSON.stringify({
    planName: "oidcc-basic-certification-test-plan",
    variant: { server_metadata: "discovery", client_registration: "static_client" },
    config: { alias: "sigil", server: { discoveryUrl: "{SIGIL_URL}/.well-known/openid-configuration" }, client: { client_id: "c1", client_secret: "{SECRET:c1}" } },
  }));
  writeFileSync(join(dir, "secrets.json"), JSON.stringify({ c1: "s3cret" }));
  return path;
}

function verifierPlanFile(variant: Record<string, string> = { credential_format: "sd_jwt_vc", response_mode: "direct_post.jwt" }, extra: Record<string, unknown> = {}): string {
  const path = join(dir, "oid4vp.json");
  writeFileSync(path, JSON.stringify({
    planName: "oid4vp-1final-verifier-haip-test-plan",
    variant,
    verifier: { client_id: "conformance-verifier", client_secret: "{SECRET:conformance-verifier}", response_mode: "direct_post.jwt", ...extra },
    config: { alias: "sigil", client: { request_object_trust_anchor_pem: "{SECRET:anchor}" }, credential: { signing_jwk: "{SECRET_JSON:jwk}" } },
  }));
  writeFileSync(join(dir, "secrets.json"), JSON.stringify({ "conformance-verifier": "v3rifier", anchor: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", jwk: JSON.stringify({ kty: "EC", d: "x" }) }));
  return path;
}

async function run(expected: unknown[], options: { plan?: string; sigil?: string; skips?: unknown[]; polling?: Partial<PollingOptions> } = {}) {
  const expectedPath = join(dir, "expected.json");
  writeFileSync(expectedPath, JSON.stringify(expected));
  const skipsPath = join(dir, "expected-skips.json");
  writeFileSync(skipsPath, JSON.stringify(options.skips ?? []));
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    const code = await runConformance(["--sigil", options.sigil ?? "https://sigil.example/", "--export", join(dir, "export"), options.plan ?? planFile()], {
      CONFORMANCE_SERVER: suite.url, CONFORMANCE_TOKEN: "t0ken", CONFORMANCE_MODULE_TIMEOUT_MS: "8000",
      CONFORMANCE_SECRETS: join(dir, "secrets.json"), CONFORMANCE_EXPECTED_FAILURES: expectedPath, CONFORMANCE_EXPECTED_SKIPS: skipsPath,
    }, options.polling ?? { pollIntervalMs: 100 });
    return { code, output: lines.join("\n") };
  } finally {
    console.log = original;
  }
}

const failing = { src: "CheckForUnexpectedParameters", result: "FAILURE", msg: "boom" };
const entry = {
  "test-name": "oidcc-b", variant: "*", "configuration-filename": "basic.json", condition: "CheckForUnexpectedParameters",
  "expected-result": "failure", comment: "Sigil answers X because Y",
};

test("creates the plan with its variant and the filled-in config, runs every module, and starts only the one module the suite does not start itself", async () => {
  suite.modules = [{ name: "oidcc-a", result: "PASSED", log: [] }, { name: "oidcc-server-rotate-keys", result: "WARNING", log: [] }];
  const { code, output } = await run([]);
  expect(code).toBe(0);
  expect(output).toContain("conformance: 2 passed, 0 failed");
  const plan = requests.find((r) => r.path === "/api/plan")!;
  expect(JSON.parse(plan.query.get("variant")!)).toEqual({ server_metadata: "discovery", client_registration: "static_client" });
  expect(plan.query.get("planName")).toBe("oidcc-basic-certification-test-plan");
  expect(JSON.parse(plan.body).server.discoveryUrl).toBe("https://sigil.example/.well-known/openid-configuration");
  expect(JSON.parse(plan.body).client.client_secret).toBe("s3cret");
  // oidcc-server-rotate-keys stays CONFIGURED until started, so passing proves the start; oidcc-a
  // starts itself, and a second start runs it twice at once on servers before 738fc73c3.
  expect(requests.filter((r) => r.method === "POST" && r.path === `/api/runner/${suite.idsOf("oidcc-server-rotate-keys").at(-1)}`)).toHaveLength(1);
  expect(requests.some((r) => r.method === "POST" && r.path === `/api/runner/${suite.idsOf("oidcc-a").at(-1)}`)).toBe(false);
  expect(suite.doubleStarts).toEqual([]);
});

test("fails on a failure that expected-failures.json does not list", async () => {
  suite.modules = [{ name: "oidcc-b", result: "FAILED", log: [failing] }];
  const { code, output } = await run([]);
  expect(code).toBe(1);
  expect(output).toContain("unexpected failure: oidcc-b CheckForUnexpectedParameters");
  expect(output).toContain("conformance: 0 passed, 1 failed");
});

test("passes a failure that is listed, and fails on a listed entry nothing used", async () => {
  suite.modules = [{ name: "oidcc-b", result: "FAILED", log: [failing] }];
  expect((await run([entry])).code).toBe(0);
  suite.modules = [{ name: "oidcc-b", result: "PASSED", log: [] }];
  const unused = await run([entry]);
  expect(unused.code).toBe(1);
  expect(unused.output).toContain("unused expected-failures entry");
});

test("fails on an unlisted warning, and refuses entries without a comment", async () => {
  suite.modules = [{ name: "oidcc-b", result: "WARNING", log: [{ src: "EnsureX", result: "WARNING", msg: "w" }] }];
  expect((await run([])).code).toBe(1);
  await expect(run([{ ...entry, comment: "" }])).rejects.toThrow(/comment/);
});

test("a SKIPPED module passes only when expected-skips.json lists it, and a listed skip that did not happen fails", async () => {
  const skip = { "test-name": "oidcc-b", variant: "*", "configuration-filename": "basic.json", comment: "Sigil offers no such scope" };
  suite.modules = [{ name: "oidcc-b", result: "SKIPPED", log: [] }];
  const unlisted = await run([]);
  expect(unlisted.code).toBe(1);
  expect(unlisted.output).toContain("unexpected skip: oidcc-b");
  expect((await run([], { skips: [skip] })).code).toBe(0);
  suite.modules = [{ name: "oidcc-b", result: "PASSED", log: [] }];
  const unused = await run([], { skips: [skip] });
  expect(unused.code).toBe(1);
  expect(unused.output).toContain("unused expected-skips entry: oidcc-b");
  // An entry for a plan file that was not run this time is not judged.
  expect((await run([], { skips: [{ ...skip, "configuration-filename": "other.json" }] })).code).toBe(0);
  await expect(run([], { skips: [{ ...skip, comment: "" }] })).rejects.toThrow(/comment/);
});

test("on a current suite, waits with wait-state long-polls, reads their state, asks again after a timeout answer, and stays within a few requests", async () => {
  suite.modules = [{ name: "oidcc-slow", result: "PASSED", log: [], runMs: 1000 }];
  const { code, output } = await run([], { polling: { pollIntervalMs: 100, longPollMs: 200 } });
  expect(output).toContain("conformance: 1 passed, 0 failed");
  expect(code).toBe(0);
  const id = suite.idsOf("oidcc-slow").at(-1)!;
  const waits = requests.filter((r) => r.path === `/api/runner/${id}/wait-state`);
  // The suite held at least one long-poll for its whole budget and answered {"timeout": true}.
  expect(suite.timeoutAnswers).toBeGreaterThan(0);
  for (const wait of waits) {
    expect(wait.query.get("states")!.split(",")).toContain("INTERRUPTED");
    expect(Number(wait.query.get("timeoutMs"))).toBeLessThanOrEqual(200);
  }
  // A second of running takes a handful of long-polls (a spinning client makes thousands),
  // and the status comes from wait-state alone: /api/info is read once, for the result.
  expect(requests.filter((r) => r.path.includes(id)).length).toBeLessThan(30);
  expect(requests.filter((r) => r.path === `/api/info/${id}`)).toHaveLength(1);
});

test("on an older suite without wait-state, polls /api/info with a pause, learns that once, and never starts a module twice", async () => {
  suite.generation = "before-wait-state";
  suite.modules = [{ name: "oidcc-slow", result: "PASSED", log: [], runMs: 1000 }, { name: "oidcc-next", result: "PASSED", log: [] }];
  const { code, output } = await run([], { polling: { pollIntervalMs: 200 } });
  expect(output).toContain("conformance: 2 passed, 0 failed");
  expect(code).toBe(0);
  expect(requests.filter((r) => r.path.endsWith("/wait-state"))).toHaveLength(1);
  const polls = requests.filter((r) => r.path === `/api/info/${suite.idsOf("oidcc-slow").at(-1)}`);
  // About one poll per 200 ms over a second of running: more proves polling, fewer than 20 the pause.
  expect(polls.length).toBeGreaterThan(3);
  expect(polls.length).toBeLessThan(20);
  // Only a hand-over comes sooner: one wait ending in a state the next does not want
  // (CONFIGURED, the WAITING a module passes through as it finishes), and the read of the result.
  const gaps = polls.slice(1).map((poll, i) => poll.at - polls[i]!.at);
  expect(gaps.filter((gap) => gap < 190).length).toBeLessThanOrEqual(3);
  expect(suite.doubleStarts).toEqual([]);
});

test("for a verifier plan, starts a presentation at Sigil once the module waits and opens its wallet URL at the suite", async () => {
  // The module moves on only if its authorize endpoint is called while it is WAITING.
  suite.modules = [{ name: "oid4vp-1final-verifier-happy-flow", result: "REVIEW", log: [], waitsForWallet: true }];
  const { code, output } = await run([], { plan: verifierPlanFile(), sigil: `${suite.url}/` });
  expect(code).toBe(0);
  expect(output).toContain("conformance: 1 passed, 0 failed");
  const config = JSON.parse(requests.find((r) => r.path === "/api/plan")!.body) as { client: Record<string, string>; credential: { signing_jwk: unknown } };
  expect(config.client.request_object_trust_anchor_pem).toBe("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
  expect(config.credential.signing_jwk).toEqual({ kty: "EC", d: "x" });
  const created = requests.findIndex((r) => r.path === "/oid4vp/v1/presentations");
  const opened = requests.findIndex((r) => r.path === "/test/a/sigil/authorize");
  expect(created).toBeGreaterThan(-1);
  expect(opened).toBeGreaterThan(created);
  expect(JSON.parse(requests[created]!.body)).toEqual({ response_mode: "direct_post.jwt" });
  expect(requests[opened]!.query.get("request_uri_method")).toBe("post");
});

test("an iso_mdl verifier plan asks Sigil for the plan's mso_mdoc DCQL query", async () => {
  suite.modules = [{ name: "oid4vp-1final-verifier-happy-flow", result: "PASSED", log: [], waitsForWallet: true }];
  const dcql = { credentials: [{ id: "mdl", format: "mso_mdoc", meta: { doctype_value: "org.iso.18013.5.1.mDL" }, claims: [{ path: ["org.iso.18013.5.1", "family_name"] }] }] };
  const plan = verifierPlanFile({ credential_format: "iso_mdl", response_mode: "direct_post.jwt" }, { dcql_query: dcql });
  expect((await run([], { plan, sigil: `${suite.url}/` })).code).toBe(0);
  const created = requests.find((r) => r.path === "/oid4vp/v1/presentations")!;
  expect(JSON.parse(created.body)).toEqual({ response_mode: "direct_post.jwt", dcql_query: dcql });
});

test("a verifier plan with a client_id prefix asks Sigil for that prefix", async () => {
  suite.modules = [{ name: "oid4vp-1final-verifier-happy-flow", result: "PASSED", log: [], waitsForWallet: true }];
  const plan = verifierPlanFile({ credential_format: "sd_jwt_vc", client_id_prefix: "x509_san_dns", response_mode: "direct_post" });
  expect((await run([], { plan, sigil: `${suite.url}/` })).code).toBe(0);
  const created = requests.find((r) => r.path === "/oid4vp/v1/presentations")!;
  expect(JSON.parse(created.body)).toEqual({ response_mode: "direct_post.jwt", client_id_prefix: "x509_san_dns" });
});

// The runner against a fake suite that speaks the suite's API: plan creation with the
// variant, module creation, start when CONFIGURED, waiting, results, logs, expected failures.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runConformance } from "./run.ts";

interface FakeModule { name: string; result: string; log: { src: string; result: string; msg: string }[]; configuredFirst?: boolean; waitsForWallet?: boolean }
let modules: FakeModule[] = [];
let waitStateSupported = true;
const requests: { method: string; path: string; query: URLSearchParams; body: string }[] = [];
let server: ReturnType<typeof Bun.serve>;
const dir = mkdtempSync(join(tmpdir(), "sigil-conformance-"));

beforeAll(() => {
  const states = new Map<string, string>();
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const url = new URL(request.url);
      requests.push({ method: request.method, path: url.pathname, query: url.searchParams, body: await request.text() });
      // Sigil's verifier API, and the suite's authorization endpoint its wallet URL points at.
      if (url.pathname === "/oid4vp/v1/presentations") {
        if (request.headers.get("authorization") !== `Basic ${btoa("conformance-verifier:v3rifier")}`) return new Response("no", { status: 401 });
        return Response.json({ wallet_url: `http://127.0.0.1:${server.port}/test/a/sigil/authorize?client_id=x509_hash%3Aabc&request_uri=https%3A%2F%2Fsigil.example%2Fr%2F1&request_uri_method=post` }, { status: 201 });
      }
      if (url.pathname === "/test/a/sigil/authorize") {
        for (const [name, state] of states) if (state === "WAITING") states.set(name, "FINISHED");
        return new Response("<html>result captured</html>", { headers: { "content-type": "text/html" } });
      }
      if (request.headers.get("authorization") !== "Bearer t0ken") return new Response("no", { status: 401 });
      const path = url.pathname;
      if (path === "/api/runner/available") return Response.json([]);
      if (path === "/api/plan" && request.method === "POST") return Response.json({ id: "plan-1", modules: modules.map((m) => ({ testModule: m.name, variant: { extra: "x" } })) }, { status: 201 });
      if (path === "/api/runner" && request.method === "POST") {
        const name = url.searchParams.get("test")!;
        states.set(name, modules.find((m) => m.name === name)?.configuredFirst ? "CONFIGURED" : "FINISHED");
        return Response.json({ id: name }, { status: 201 });
      }
      const waitState = /^\/api\/runner\/([^/]+)\/wait-state$/.exec(path);
      if (waitState) return waitStateSupported ? Response.json({ status: states.get(waitState[1]!) }) : new Response("", { status: 404 });
      const start = /^\/api\/runner\/([^/]+)$/.exec(path);
      if (start && request.method === "POST") {
        states.set(start[1]!, modules.find((m) => m.name === start[1])?.waitsForWallet ? "WAITING" : "FINISHED");
        return Response.json({});
      }
      const info = /^\/api\/info\/(.+)$/.exec(path);
      if (info) return Response.json({ status: states.get(info[1]!), result: modules.find((m) => m.name === info[1])?.result });
      const log = /^\/api\/log\/(.+)$/.exec(path);
      if (log) return Response.json(modules.find((m) => m.name === log[1])?.log ?? []);
      if (path === "/api/plan/exporthtml/plan-1") return new Response("zip", { headers: { "content-disposition": 'attachment; filename="plan-1.zip"' } });
      return new Response("not found", { status: 404 });
    },
  });
});
afterAll(() => server.stop(true));

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

function verifierPlanFile(variant: Record<string, string> = { credential_format: "sd_jwt_vc", response_mode: "direct_post.jwt" }): string {
  const path = join(dir, "oid4vp.json");
  writeFileSync(path, JSON.stringify({
    planName: "oid4vp-1final-verifier-haip-test-plan",
    variant,
    verifier: { client_id: "conformance-verifier", client_secret: "{SECRET:conformance-verifier}", response_mode: "direct_post.jwt" },
    config: { alias: "sigil", client: { request_object_trust_anchor_pem: "{SECRET:anchor}" }, credential: { signing_jwk: "{SECRET_JSON:jwk}" } },
  }));
  writeFileSync(join(dir, "secrets.json"), JSON.stringify({ "conformance-verifier": "v3rifier", anchor: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", jwk: JSON.stringify({ kty: "EC", d: "x" }) }));
  return path;
}

async function run(expected: unknown[], options: { plan?: string; sigil?: string; skips?: unknown[] } = {}) {
  const expectedPath = join(dir, "expected.json");
  writeFileSync(expectedPath, JSON.stringify(expected));
  const skipsPath = join(dir, "expected-skips.json");
  writeFileSync(skipsPath, JSON.stringify(options.skips ?? []));
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    const code = await runConformance(["--sigil", options.sigil ?? "https://sigil.example/", "--export", join(dir, "export"), options.plan ?? planFile()], {
      CONFORMANCE_SERVER: `http://127.0.0.1:${server.port}`, CONFORMANCE_TOKEN: "t0ken",
      CONFORMANCE_SECRETS: join(dir, "secrets.json"), CONFORMANCE_EXPECTED_FAILURES: expectedPath, CONFORMANCE_EXPECTED_SKIPS: skipsPath,
    });
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

test("creates the plan with its variant and the filled-in config, runs every module, and passes when all pass", async () => {
  modules = [{ name: "oidcc-a", result: "PASSED", log: [] }, { name: "oidcc-b", result: "WARNING", log: [], configuredFirst: true }];
  requests.length = 0;
  const { code, output } = await run([]);
  expect(code).toBe(0);
  expect(output).toContain("conformance: 2 passed, 0 failed");
  const plan = requests.find((r) => r.path === "/api/plan")!;
  expect(JSON.parse(plan.query.get("variant")!)).toEqual({ server_metadata: "discovery", client_registration: "static_client" });
  expect(plan.query.get("planName")).toBe("oidcc-basic-certification-test-plan");
  expect(JSON.parse(plan.body).server.discoveryUrl).toBe("https://sigil.example/.well-known/openid-configuration");
  expect(JSON.parse(plan.body).client.client_secret).toBe("s3cret");
  expect(requests.some((r) => r.method === "POST" && r.path === "/api/runner/oidcc-b")).toBe(true);
  expect(requests.some((r) => r.method === "POST" && r.path === "/api/runner/oidcc-a")).toBe(false);
});

test("fails on a failure that expected-failures.json does not list", async () => {
  modules = [{ name: "oidcc-b", result: "FAILED", log: [failing] }];
  const { code, output } = await run([]);
  expect(code).toBe(1);
  expect(output).toContain("unexpected failure: oidcc-b CheckForUnexpectedParameters");
  expect(output).toContain("conformance: 0 passed, 1 failed");
});

test("passes a failure that is listed, and fails on a listed entry nothing used", async () => {
  modules = [{ name: "oidcc-b", result: "FAILED", log: [failing] }];
  expect((await run([entry])).code).toBe(0);
  modules = [{ name: "oidcc-b", result: "PASSED", log: [] }];
  const unused = await run([entry]);
  expect(unused.code).toBe(1);
  expect(unused.output).toContain("unused expected-failures entry");
});

test("fails on an unlisted warning, and refuses entries without a comment", async () => {
  modules = [{ name: "oidcc-b", result: "WARNING", log: [{ src: "EnsureX", result: "WARNING", msg: "w" }] }];
  expect((await run([])).code).toBe(1);
  await expect(run([{ ...entry, comment: "" }])).rejects.toThrow(/comment/);
});

test("a SKIPPED module passes only when expected-skips.json lists it, and a listed skip that did not happen fails", async () => {
  const skip = { "test-name": "oidcc-b", variant: "*", "configuration-filename": "basic.json", comment: "Sigil offers no such scope" };
  modules = [{ name: "oidcc-b", result: "SKIPPED", log: [] }];
  const unlisted = await run([]);
  expect(unlisted.code).toBe(1);
  expect(unlisted.output).toContain("unexpected skip: oidcc-b");
  expect((await run([], { skips: [skip] })).code).toBe(0);
  modules = [{ name: "oidcc-b", result: "PASSED", log: [] }];
  const unused = await run([], { skips: [skip] });
  expect(unused.code).toBe(1);
  expect(unused.output).toContain("unused expected-skips entry: oidcc-b");
  // An entry for a plan file that was not run this time is not judged.
  expect((await run([], { skips: [{ ...skip, "configuration-filename": "other.json" }] })).code).toBe(0);
  await expect(run([], { skips: [{ ...skip, comment: "" }] })).rejects.toThrow(/comment/);
});

test("falls back to polling info when the suite has no wait-state endpoint", async () => {
  waitStateSupported = false;
  modules = [{ name: "oidcc-a", result: "PASSED", log: [], configuredFirst: true }];
  const { code } = await run([]);
  waitStateSupported = true;
  expect(code).toBe(0);
});

test("for a verifier plan, starts a presentation at Sigil once the module waits and opens its wallet URL at the suite", async () => {
  modules = [{ name: "oid4vp-1final-verifier-happy-flow", result: "REVIEW", log: [], configuredFirst: true, waitsForWallet: true }];
  requests.length = 0;
  const { code, output } = await run([], { plan: verifierPlanFile(), sigil: `http://127.0.0.1:${server.port}/` });
  expect(code).toBe(0);
  expect(output).toContain("conformance: 1 passed, 0 failed");
  const config = JSON.parse(requests.find((r) => r.path === "/api/plan")!.body) as { client: Record<string, string>; credential: { signing_jwk: unknown } };
  expect(config.client.request_object_trust_anchor_pem).toBe("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
  expect(config.credential.signing_jwk).toEqual({ kty: "EC", d: "x" });
  const started = requests.findIndex((r) => r.method === "POST" && r.path === "/api/runner/oid4vp-1final-verifier-happy-flow");
  const created = requests.findIndex((r) => r.path === "/oid4vp/v1/presentations");
  const opened = requests.findIndex((r) => r.path === "/test/a/sigil/authorize");
  expect(started).toBeGreaterThan(-1);
  expect(created).toBeGreaterThan(started);
  expect(opened).toBeGreaterThan(created);
  expect(JSON.parse(requests[created]!.body)).toEqual({ response_mode: "direct_post.jwt" });
  expect(requests[opened]!.query.get("request_uri_method")).toBe("post");
});

test("a verifier plan with a client_id prefix asks Sigil for that prefix", async () => {
  modules = [{ name: "oid4vp-1final-verifier-happy-flow", result: "PASSED", log: [], configuredFirst: true, waitsForWallet: true }];
  requests.length = 0;
  const plan = verifierPlanFile({ credential_format: "sd_jwt_vc", client_id_prefix: "x509_san_dns", response_mode: "direct_post" });
  expect((await run([], { plan, sigil: `http://127.0.0.1:${server.port}/` })).code).toBe(0);
  const created = requests.find((r) => r.path === "/oid4vp/v1/presentations")!;
  expect(JSON.parse(created.body)).toEqual({ response_mode: "direct_post.jwt", client_id_prefix: "x509_san_dns" });
});

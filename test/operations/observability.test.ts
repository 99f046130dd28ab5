// Operations through the real server: health on any Host, metrics on their own listener after a
// sign-in and a token exchange, one JSON log line per request with its id, and a forced 500
// (a table dropped under the running server) that logs one record and tells the client only the id.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { provision, type Provisioned } from "../support/fixtures.ts";
import { login, obtainTokens, startAuthorization, tokenRequest } from "../support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "../support/sigil.ts";

let server: SigilServer;
let p: Provisioned;
let metricsUrl: string;

beforeAll(async () => {
  server = await startSigil({ args: ["--metrics-listen", "127.0.0.1:0", "--log-format", "json"] });
  p = await provision(server);
  metricsUrl = /metrics: (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(server.output())![1]!;
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

const scrape = async () => {
  const response = await fetch(metricsUrl);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
  return response.text();
};
/** The value of one sample line, by its exact name and labels as prom-client writes them; 0 when absent. */
const sample = (text: string, series: string): number => Number(text.split("\n").find((line) => line.startsWith(`${series} `))?.split(" ")[1] ?? 0);
const logRecords = () => server.output().split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown>);

test("healthz and readyz answer on a Host that is no tenant, with a request id", async () => {
  const health = await server.fetch("/healthz", { host: "no-such-tenant.example" });
  expect(health.status).toBe(200);
  expect(health.headers.get("x-request-id")).toMatch(/^[0-9a-f]{24}$/);
  const ready = await server.fetch("/readyz", { host: "no-such-tenant.example" });
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: "ready" });
});

test("a sign-in and a token exchange move their counters, and the exposition parses", async () => {
  const before = await scrape();
  await obtainTokens(server, p);
  const { returnTo } = await startAuthorization(server, p);
  expect((await login(server, p, returnTo, "not-the-password")).status).toBe(401);
  const after = await scrape();
  const moved = (series: string) => sample(after, series) - sample(before, series);
  expect(moved('sigil_signins_total{tenant="localhost",method="pwd",result="success"}')).toBe(1);
  expect(moved('sigil_signins_total{tenant="localhost",method="pwd",result="failure"}')).toBe(1);
  expect(moved('sigil_tokens_issued_total{grant="authorization_code"}')).toBe(1);
  expect(moved('sigil_http_requests_total{method="POST",route="/oauth2/v1/token",status="200"}')).toBe(1);
  expect(moved('sigil_http_request_duration_seconds_count{method="POST",route="/oauth2/v1/token"}')).toBe(1);
  expect(moved('sigil_store_operation_duration_seconds_count{operation="codes.consume"}')).toBeGreaterThanOrEqual(1);
  expect(sample(after, "process_resident_memory_bytes")).toBeGreaterThan(1_000_000);
  // Prometheus text format 0.0.4: comments, blank lines, or `name{labels} value`.
  for (const line of after.split("\n")) {
    expect(line).toMatch(/^(|# (HELP|TYPE) .*|[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? -?[0-9.e+-]+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? (NaN|[+-]Inf))$/);
  }
});

test("metrics label routes by pattern: a raw path, a user name or a client id never becomes a label", async () => {
  await server.fetch("/probe-for-secret-path-xyz.html");
  await tokenRequest(server, { ...p, clientId: "client-id-never-a-label" }, { grant_type: "client_credentials" });
  const text = await scrape();
  for (const leak of ["secret-path-xyz", "client-id-never-a-label", "alice"]) expect(text).not.toContain(leak);
  expect(sample(text, 'sigil_http_requests_total{method="GET",route="/*",status="404"}')).toBeGreaterThanOrEqual(1);
});

test("metrics are served only on their own listener", async () => {
  expect((await server.fetch("/metrics")).status).toBe(404);
  expect((await fetch(metricsUrl.replace("/metrics", "/other"))).status).toBe(404);
});

test("every request logs one JSON line with its id, tenant, method, route, status and duration", async () => {
  const response = await server.fetch("/.well-known/openid-configuration");
  const id = response.headers.get("x-request-id")!;
  await Bun.sleep(50);
  const lines = logRecords().filter((record) => record.request_id === id);
  expect(lines).toEqual([{
    time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), level: "info", msg: "request", request_id: id, tenant: "localhost",
    method: "GET", route: "/.well-known/openid-configuration", status: 200, duration_ms: expect.any(Number),
  }]);
});

test("readyz says 503 with the reason when the store's schema is not the one this Sigil expects", async () => {
  const db = new Database(join(server.dataDir, "sigil.db"));
  const { user_version: version } = db.query("PRAGMA user_version").get() as { user_version: number };
  db.exec("PRAGMA user_version = 1");
  try {
    const ready = await server.fetch("/readyz");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "unavailable", reason: `the store is at schema 1, this Sigil expects ${version}` });
    expect((await server.fetch("/healthz")).status).toBe(200);
  } finally {
    db.exec(`PRAGMA user_version = ${version}`);
    db.close();
  }
  expect((await server.fetch("/readyz")).status).toBe(200);
});

test("a store that throws gives one JSON error record with the request id and stack; the client sees only server_error and the id", async () => {
  const db = new Database(join(server.dataDir, "sigil.db"));
  db.exec("DROP TABLE clients");
  db.close();
  const response = await tokenRequest(server, { ...p, clientId: "never-cached-client" }, { grant_type: "client_credentials" });
  const id = response.headers.get("x-request-id")!;
  expect(response.status).toBe(500);
  expect(await response.json()).toEqual({ error: "server_error", request_id: id });
  await Bun.sleep(50);
  const records = logRecords().filter((record) => record.request_id === id);
  const errors = records.filter((record) => record.level === "error");
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ msg: "unexpected error", error: expect.stringContaining("no such table"), stack: expect.stringContaining("\n    at ") });
  expect(records.filter((record) => record.msg === "request")).toMatchObject([{ status: 500, route: "/oauth2/v1/token" }]);
  expect(server.output()).not.toContain("unexpected error:");
});

// oidcc-rp-initiated-logout-discovery-endpoint-verification
// (OIDCCRpInitiatedLogoutDiscoveryEndpointVerification): discovery names an end_session_endpoint that is a
// valid HTTPS URL (CheckDiscEndSessionEndpoint), and every endpoint is HTTPS
// (CheckDiscEndpointAllEndpointsAreHttps). Offline the HTTPS part is checked behind Sigil's TLS-proxy mode;
// the endpoint itself must answer.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { pathOf, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp({ args: ["--trust-proxy"] });
});
afterAll(() => op.stop());

test("end_session_endpoint is published under the issuer and answers a bare request with a page, not an error status", async () => {
  expect(typeof op.metadata.end_session_endpoint).toBe("string");
  const url = new URL(op.metadata.end_session_endpoint!);
  expect(url.origin).toBe(op.issuer);
  expect(url.hash).toBe("");
  const response = await op.server.fetch(pathOf(url.href));
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type") ?? "").toContain("text/html");
});

test("behind a TLS proxy every endpoint, end_session_endpoint included, is HTTPS", async () => {
  const response = await op.server.fetch("/.well-known/openid-configuration", { headers: { "x-forwarded-proto": "https", "x-forwarded-host": "localhost" } });
  const metadata = (await response.json()) as Record<string, unknown>;
  expect(new URL(String(metadata.end_session_endpoint)).protocol).toBe("https:");
  const endpoints = Object.entries(metadata).filter(([name]) => name.endsWith("_endpoint") || name === "jwks_uri");
  expect(endpoints.length).toBeGreaterThanOrEqual(5);
  for (const [name, value] of endpoints) expect({ [name]: new URL(String(value)).protocol }).toEqual({ [name]: "https:" });
});

// oidcc-ensure-registered-redirect-uri (OIDCCEnsureRegisteredRedirectUri): the authorization request
// carries a randomised, unregistered redirect_uri under the registered one's path
// ({registered}/{random}). The OP must show an error page (screenshot in the suite) and must
// call neither that URI nor the registered one (OIDC Core §3.1.2.1, RFC 6749 §3.1.2.4).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { authorizationRequest, sendAuthorization, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

async function expectErrorPage(response: Response, ...uris: string[]) {
  const html = await response.text();
  expect(response.headers.has("location")).toBe(false);
  expect(response.headers.has("refresh")).toBe(false);
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(response.headers.get("content-type") ?? "").toContain("text/html");
  // Sigil's error pages carry a stable marker the suite's browser waits for.
  expect(html).toContain('id="sigil-error"');
  for (const uri of uris) expect(html).not.toContain(uri);
  expect(html).not.toMatch(/http-equiv\s*=\s*["']?refresh/i);
}

test.each([
  ["a random path segment appended to the registered URI", `/${crypto.randomUUID().replace(/-/g, "").slice(0, 10)}`],
  ["a query added to the registered URI", "?x=1"],
  ["a trailing slash", "/"],
])("an unregistered redirect_uri (%s) gets an error page, never a redirect (GET)", async (_name, suffix) => {
  const bad = `${op.p.redirectUri}${suffix}`;
  const request = authorizationRequest(op, { redirectUri: bad });
  await expectErrorPage(await sendAuthorization(op, request), bad);
});

test("an unregistered redirect_uri in a POSTed authorization request gets an error page too", async () => {
  const bad = `${op.p.redirectUri}/${crypto.randomUUID()}`;
  const request = authorizationRequest(op, { redirectUri: bad, method: "POST" });
  await expectErrorPage(await sendAuthorization(op, request), bad);
});

test("an unregistered redirect_uri with another client's registered redirect_uri host gets an error page", async () => {
  const bad = "https://attacker.example/cb";
  const request = authorizationRequest(op, { redirectUri: bad });
  await expectErrorPage(await sendAuthorization(op, request), bad, "attacker.example");
});

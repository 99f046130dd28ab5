// oidcc-ensure-request-object-with-redirect-uri (OIDCCEnsureRequestObjectWithRedirectUri): an unsigned
// request object by value carries the registered redirect_uri while the query carries an
// unregistered one (the registered URI with "_invalid" appended). The OP must either use the request
// object's redirect_uri (OIDC Core §6.1) and complete the flow, or show an invalid redirect_uri error
// page; answering request_not_supported to the registered (default) redirect_uri fails the module
// (EnsureOPDoesNotUseDefaultRedirectUriInCaseOfInvalidRedirectUri). Sigil supports no request
// objects, so it must show an error page and redirect nowhere.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { authorizationRequest, sendAuthorization, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

test("a request object with the registered redirect_uri and an unregistered one in the query gets an error page, no redirect", async () => {
  const inner = authorizationRequest(op);
  const requestObject = `${b64({ alg: "none" })}.${b64({ ...Object.fromEntries(inner.params), iss: op.client.clientId, aud: op.issuer })}.`;
  const invalid = `${op.p.redirectUri}_invalid`;
  const outer = authorizationRequest(op, { redirectUri: invalid, state: null, nonce: null, extra: { request: requestObject } });
  const response = await sendAuthorization(op, outer);
  const html = await response.text();
  expect(response.headers.has("location")).toBe(false);
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(html).toContain('id="sigil-error"');
  expect(html).not.toContain(invalid);
  expect(html).not.toMatch(/http-equiv\s*=\s*["']?refresh/i);
});

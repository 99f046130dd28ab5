// oidcc-response-type-missing (OIDCCResponseTypeMissing): an authorization request without
// response_type. The OP either redirects back with unsupported_response_type or invalid_request
// (after the generic error checks: state and iss echoed, no code, no unexpected parameters, a clean
// error_description) or shows an error page. Sigil redirects: client and redirect_uri are valid.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { authorizationRequest, expectAuthorizationError, sendAuthorization, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("a request without response_type is redirected back with invalid_request or unsupported_response_type and no code", async () => {
  const request = authorizationRequest(op, { responseType: null });
  expect(request.params.has("response_type")).toBe(false);
  const response = await sendAuthorization(op, request);
  expect(response.status).toBe(302);
  const location = response.headers.get("location") ?? "";
  expect(location.startsWith(`${op.p.redirectUri}?`)).toBe(true);
  const error = expectAuthorizationError(op, new URL(location), request);
  expect(["invalid_request", "unsupported_response_type"]).toContain(error);
});

test("the same request with response_type=code goes on to the sign-in page instead", async () => {
  const request = authorizationRequest(op);
  const response = await sendAuthorization(op, request);
  expect(response.status).toBe(302);
  expect(response.headers.get("location") ?? "").toStartWith("/login.html?");
});

// oidcc-login-hint (OIDCCLoginHint): the happy flow with login_hint=buffy@localhost added to the
// authorization request. The suite's default hint is buffy@<issuer host>; the user may still sign in as
// whoever they are. The parameter must not cause an error (OIDC Core §3.1.2.1, §15.1; RFC 6749 §3.1:
// unknown parameters are ignored): the flow completes and passes every check of the happy flow.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { authorizationRequest, completeFlow, expectAuthorizationError, sendAuthorization, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("an authorization request with login_hint=buffy@localhost completes the code flow and yields a valid id_token", async () => {
  const flow = await completeFlow(op, { extra: { login_hint: "buffy@localhost" } });
  expect(flow.request.params.get("login_hint")).toBe("buffy@localhost");
  expect(typeof flow.tokens.access_token).toBe("string");
});

test("control: the same request without response_type is refused, so the authorization endpoint does validate what it accepts", async () => {
  const request = authorizationRequest(op, { responseType: null, extra: { login_hint: "buffy@localhost" } });
  const response = await sendAuthorization(op, request);
  expect(response.status).toBe(302);
  expect(expectAuthorizationError(op, new URL(response.headers.get("location")!), request)).toBe("invalid_request");
});

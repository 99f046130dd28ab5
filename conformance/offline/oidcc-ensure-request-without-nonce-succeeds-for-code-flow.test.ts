// oidcc-ensure-request-without-nonce-succeeds-for-code-flow
// (OIDCCEnsureRequestWithoutNonceSucceedsForCodeFlow): nonce is optional in the code flow (OIDC Core
// §3.1.2.1), so a request without it must yield a code; the suite checks the authorization response and
// stops there. Here the exchange is done as well, and the id_token must then carry no nonce
// (ValidateIdTokenNonce: nothing sent, nothing back).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { authorizationRequest, completeFlow, expectAuthorizationSuccess, startOp, UserAgent, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("an authorization request without nonce is answered with a code, state and iss", async () => {
  const request = authorizationRequest(op, { nonce: null });
  expect(request.params.has("nonce")).toBe(false);
  const callback = await new UserAgent(op).authorize(request);
  expect(expectAuthorizationSuccess(op, callback, request).length).toBeGreaterThan(0);
});

test("the code from a request without nonce exchanges for an id_token without a nonce claim", async () => {
  const flow = await completeFlow(op, { nonce: null });
  expect(flow.idToken.claims).not.toHaveProperty("nonce");
});

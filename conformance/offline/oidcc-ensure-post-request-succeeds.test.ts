// oidcc-ensure-post-request-succeeds (OIDCCEnsurePostRequestSucceeds): the authorization request is
// sent as an HTTP POST with a form body (OIDC Core §3.1.2.1: the endpoint must support GET and
// POST); the OP must sign the user in and call the redirect_uri with a code.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { authorizationRequest, completeFlow, loginPageReturn, sendAuthorization, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("a POSTed authorization request leads to the sign-in page and then to the redirect_uri with a code", async () => {
  const flow = await completeFlow(op, { method: "POST" });
  expect(flow.request.method).toBe("POST");
});

test("the POSTed parameters reach the sign-in page intact", async () => {
  const request = authorizationRequest(op, { method: "POST" });
  const returnTo = loginPageReturn(op, await sendAuthorization(op, request));
  const carried = new URL(returnTo, op.issuer).searchParams;
  for (const [name, value] of request.params) expect({ [name]: carried.get(name) }).toEqual({ [name]: value });
});

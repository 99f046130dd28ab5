// oidcc-display-popup (OIDCCDisplayPopup): the happy flow with display=popup added to the authorization
// request. A popup-sized login page is fine; any login page is. The parameter must not cause an error (OIDC
// Core §3.1.2.1, §15.1; RFC 6749 §3.1: unknown parameters are ignored): the flow completes and passes every
// check of the happy flow.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { authorizationRequest, completeFlow, expectAuthorizationError, sendAuthorization, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("an authorization request with display=popup completes the code flow and yields a valid id_token", async () => {
  const flow = await completeFlow(op, { extra: { display: "popup" } });
  expect(flow.request.params.get("display")).toBe("popup");
  expect(typeof flow.tokens.access_token).toBe("string");
});

test("control: the same request without response_type is refused, so the authorization endpoint does validate what it accepts", async () => {
  const request = authorizationRequest(op, { responseType: null, extra: { display: "popup" } });
  const response = await sendAuthorization(op, request);
  expect(response.status).toBe(302);
  expect(expectAuthorizationError(op, new URL(response.headers.get("location")!), request)).toBe("invalid_request");
});

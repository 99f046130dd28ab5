// oidcc-ui-locales (OIDCCUiLocales): the happy flow with ui_locales=se added to the authorization request.
// The suite's default value when the configuration names none. The parameter must not cause an error (OIDC
// Core §3.1.2.1, §15.1; RFC 6749 §3.1: unknown parameters are ignored): the flow completes and passes every
// check of the happy flow.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { authorizationRequest, completeFlow, expectAuthorizationError, sendAuthorization, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("an authorization request with ui_locales=se completes the code flow and yields a valid id_token", async () => {
  const flow = await completeFlow(op, { extra: { ui_locales: "se" } });
  expect(flow.request.params.get("ui_locales")).toBe("se");
  expect(typeof flow.tokens.access_token).toBe("string");
});

test("control: the same request without response_type is refused, so the authorization endpoint does validate what it accepts", async () => {
  const request = authorizationRequest(op, { responseType: null, extra: { ui_locales: "se" } });
  const response = await sendAuthorization(op, request);
  expect(response.status).toBe(302);
  expect(expectAuthorizationError(op, new URL(response.headers.get("location")!), request)).toBe("invalid_request");
});

// oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported
// (OIDCCUnsignedRequestObjectSupportedCorrectlyOrRejectedAsUnsupported): the whole authorization
// request goes into an unsigned (alg none) request object passed by value in `request`, with
// response_type, client_id, scope and redirect_uri repeated in the query (OIDC Core §6.1). The OP
// must either process it or answer request_not_supported (§3.1.2.6); ignoring it is not allowed.
// Sigil announces request_parameter_supported=false, so it must answer request_not_supported, by
// redirect (the client and redirect_uri are valid), with iss and without a code.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { authorizationRequest, expectAuthorizationError, sendAuthorization, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

test("discovery says request objects are not supported", () => {
  expect(op.metadata.request_parameter_supported).toBe(false);
});

test.each(["GET", "POST"] as const)("an unsigned request object by value (%s) is answered with request_not_supported, never ignored", async (method) => {
  const inner = authorizationRequest(op);
  const claims = { ...Object.fromEntries(inner.params), iss: op.client.clientId, aud: op.issuer };
  const requestObject = `${b64({ alg: "none" })}.${b64(claims)}.`;
  const outer = authorizationRequest(op, { state: null, nonce: null, method, extra: { request: requestObject } });
  const response = await sendAuthorization(op, outer);
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("location")!);
  expect(expectAuthorizationError(op, location, outer)).toBe("request_not_supported");
});

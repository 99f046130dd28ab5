// oidcc-codereuse (OIDCCAuthCodeReuse): after the happy flow, the same code is sent to the token
// endpoint again at once. The OP must refuse with 400, JSON, invalid_grant and a clean
// error_description (CheckTokenEndpointHttpStatus400, CheckTokenEndpointReturnedJsonContentType,
// CheckErrorFromTokenEndpointResponseErrorInvalidGrant, the error text checks); the suite only warns
// when a reused code works, but RFC 6749 §4.1.2 says it MUST NOT, so here it fails.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { callUserinfo, completeFlow, exchangeCode, expectTokenError, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("a code used once is refused with 400 invalid_grant when used again immediately", async () => {
  const flow = await completeFlow(op);
  // The first exchange's token works before the replay.
  expect((await callUserinfo(op, flow.tokens.access_token)).status).toBe(200);
  await expectTokenError(await exchangeCode(op, flow.code, flow.request), "invalid_grant");
});

test("the reuse also revokes the access token of the first exchange (RFC 6749 §4.1.2)", async () => {
  const flow = await completeFlow(op);
  expect((await callUserinfo(op, flow.tokens.access_token)).status).toBe(200);
  await expectTokenError(await exchangeCode(op, flow.code, flow.request), "invalid_grant");
  const after = await callUserinfo(op, flow.tokens.access_token);
  expect(after.status).toBeGreaterThanOrEqual(400);
  expect(after.status).toBeLessThan(500);
});

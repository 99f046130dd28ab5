// oidcc-userinfo-post-body (OIDCCUserInfoPostBody): after the happy flow, userinfo is called by POST with
// the access token in the form body. The suite expects 200 with a JSON body (EnsureContentTypeJson),
// standard claims of the right types, a sub equal to the id_token's (EnsureUserInfoContainsSub,
// VerifyUserInfoAndIdTokenInTokenEndpointSameSub). The suite only warns when the body form is refused;
// Sigil supports it (RFC 6750 §2.2), so here it must work.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { callUserinfo, completeFlow, expectUserinfo, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("userinfo by POST with the access token in the form body answers 200 JSON whose sub is the id_token's", async () => {
  const flow = await completeFlow(op, { scope: "openid profile email" });
  const claims = await expectUserinfo(await callUserinfo(op, flow.tokens.access_token, "post-body"), flow.idToken.claims.sub!);
  // The scopes asked for are honoured here too (VerifyScopesReturnedInUserInfoClaims).
  expect(claims.preferred_username).toBe(op.p.username);
  expect(claims.email).toBe("alice@example.org");
});

test("the same call with a token that was never issued is refused with 401 invalid_token, so the 200 above is earned", async () => {
  const response = await callUserinfo(op, "not-a-token-" + crypto.randomUUID(), "post-body");
  expect(response.status).toBe(401);
  expect(response.headers.get("www-authenticate") ?? "").toContain('error="invalid_token"');
});

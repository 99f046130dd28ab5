// oidcc-userinfo-get (OIDCCUserInfoGet): after the happy flow, userinfo is called by GET with the access
// token in the Authorization header. The suite expects 200 with a JSON body (EnsureContentTypeJson),
// standard claims of the right types, a sub equal to the id_token's (EnsureUserInfoContainsSub,
// VerifyUserInfoAndIdTokenInTokenEndpointSameSub). Sigil supports all three forms (RFC 6750 §2.1, §2.2).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { callUserinfo, completeFlow, expectUserinfo, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("userinfo by GET with the access token in the Authorization header answers 200 JSON whose sub is the id_token's", async () => {
  const flow = await completeFlow(op, { scope: "openid profile email" });
  const claims = await expectUserinfo(await callUserinfo(op, flow.tokens.access_token, "get-header"), flow.idToken.claims.sub!);
  // The scopes asked for are honoured here too (VerifyScopesReturnedInUserInfoClaims).
  expect(claims.preferred_username).toBe(op.p.username);
  expect(claims.email).toBe("alice@example.org");
});

test("the same call with a token that was never issued is refused with 401 invalid_token, so the 200 above is earned", async () => {
  const response = await callUserinfo(op, "not-a-token-" + crypto.randomUUID(), "get-header");
  expect(response.status).toBe(401);
  expect(response.headers.get("www-authenticate") ?? "").toContain('error="invalid_token"');
});
